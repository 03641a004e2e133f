import type { KObject } from '../contract';
import type { NodeRuntime } from './engine';
import { CONDITION_TYPES, type PodSim } from './podsim';
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
  const last = Number(String(st.podIP).split('.')[3]);
  if (last >= node.nextIP) node.nextIP = last + 1;
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

