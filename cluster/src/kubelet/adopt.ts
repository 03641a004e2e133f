import type { KObject } from '../contract';
import type { NodeRuntime } from './engine';
import { CONDITION_TYPES, type PodSim } from './podsim';
import { resizable, sameResources, type ResizeCondition } from './resize';
import { BACKOFF_INITIAL_MS } from './stages';

/**
 * A pod that already ran before this kubelet started (a restored playground):
 * pick its containers up where the saved status left them instead of
 * starting over.
 */
export function adoptStatus(p: PodSim, pod: KObject, node: NodeRuntime): void {
  const st = pod.status;
  p.sandboxReady = true;
  p.volumesReady = true;
  p.podIP = st.podIP;
  // The address stays this pod's; host-local's own record of the last one it gave is not in the saved state, so
  // the highest address in use stands in for it.
  if (st.podIP && st.podIP !== st.hostIP) {
    const last = Number(String(st.podIP).split('.')[3]);
    if (last >= 0 && last < 256) {
      node.usedIPs[last] = 1;
      if (last > node.lastIP) node.lastIP = last;
    }
  }
  if (st.startTime) p.startTime = Date.parse(st.startTime);
  for (const c of st.conditions ?? []) {
    const i = CONDITION_TYPES.indexOf(c.type);
    if (i >= 0 && c.lastTransitionTime) { p.condStatus[i] = c.status; p.condTime[i] = Date.parse(c.lastTransitionTime); }
  }
  const statuses = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])];
  const term = (t: any) => ({ exitCode: t.exitCode, reason: t.reason, startedAt: Date.parse(t.startedAt), finishedAt: Date.parse(t.finishedAt), containerID: t.containerID });
  for (const c of p.containers) {
    const cs = statuses.find((x: any) => x.name === c.name);
    if (!cs) continue;
    c.restartCount = cs.restartCount ?? 0;
    c.containerID = cs.containerID;
    if (cs.lastState?.terminated) { c.last = term(cs.lastState.terminated); c.backoffMs = BACKOFF_INITIAL_MS; }
    if (cs.state?.running) {
      c.step = 'running';
      c.startedAt = Date.parse(cs.state.running.startedAt);
      c.ready = !!cs.ready;
      if (c.probes) c.started = !!cs.started;
    } else if (cs.state?.terminated) {
      c.current = term(cs.state.terminated);
      c.step = c.init && !c.sidecar ? 'done' : 'exited';
    }
  }
  // A regular container that ran means initialization was over (sidecars restarting later do not undo it).
  if (p.containers.some((c) => !c.init && !c.ephemeral && c.containerID !== undefined)) p.initialized = true;
}

/**
 * A restarted kubelet and a pod that was resized: the allocation manager reads its allocated_pods_state checkpoint
 * back ("To handle kubelet restarts, test pod admissibility using AllocatedResources values … from checkpoint store.
 * If found, that is the source of truth", allocation_manager.go AddPod), the runtime still runs each container with
 * the resources it was given, and the status manager takes the resize conditions up from the pod's status
 * (BackfillPodResizeConditions). A resize still pending is thus judged again at the next sync, never applied.
 * A playground saved without the checkpoint falls back on each running container's saved status resources.
 * Answers whether the pod has anything of a resize to resume.
 */
export function adoptResize(p: PodSim, pod: KObject, checkpoint: Record<string, any> | undefined): boolean {
  // A resize bumps the generation: a pod still at its first one was never resized (most pods, at no cost).
  if (!checkpoint && !((pod.metadata.generation ?? 1) > 1)) return false;
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const allocated = new Map<string, any>();
  for (const c of p.containers) {
    if (!resizable(c)) continue;
    const desired = c.spec.resources;
    const cs = statuses.find((x) => x?.name === c.name);
    const running = cs?.state?.running && cs.resources ? cs.resources : undefined;
    const alloc = checkpoint?.[c.name];
    // What the container runs with, or (not running) what its next start gets: the allocation, not the spec.
    const actual = running ?? alloc;
    if (actual && !sameResources(actual, desired)) c.spec = { ...c.spec, resources: { ...actual } };
    if (alloc) allocated.set(c.name, alloc);
    else if (!checkpoint && c.spec.resources !== desired) allocated.set(c.name, c.spec.resources);
  }
  const cond = (type: string): ResizeCondition | undefined => {
    const c = (pod.status?.conditions ?? []).find((x: any) => x?.type === type && x.status === 'True');
    if (!c) return undefined;
    const since = Date.parse(c.lastTransitionTime);
    const probed = Date.parse(c.lastProbeTime);
    return { reason: c.reason || undefined, message: c.message || undefined, generation: c.observedGeneration, since, probed: Number.isNaN(probed) ? since : probed };
  };
  const pending = cond('PodResizePending');
  const inProgress = cond('PodResizeInProgress');
  if (!allocated.size && !pending && !inProgress) return false;
  p.resize = { allocated, pending, inProgress, checkpointed: !!checkpoint };
  return true;
}
