/**
 * The kubelet's private picture of one pod: per-container simulation state,
 * from which the pod's status is derived exactly the way upstream's
 * generateAPIPodStatus/getPhase derive it. Only the status is ever written.
 */
import type { KObject, TimerHandle } from '../contract';
import { rfc3339 as isoTime } from '../runtime/objects';
import { qosClass } from '../scheduler/resources';
import { imageDigest } from './images';
import { parseImage, type Behaviour } from '../../../kube/src/imageConvention';
import type { ProbeWorker } from './probes';

export type Step =
  | 'pull' | 'pulling' | 'pull-backoff' | 'create' | 'running' | 'exited' | 'crash-backoff' | 'done' | 'stopping';

export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
  message?: string;
}

export interface ContainerSim {
  name: string;
  spec: any;
  init: boolean;
  behaviour: Behaviour;
  step: Step;
  waitingReason?: string;
  waitingMessage?: string;
  startedAt?: number;
  ready: boolean;
  restartCount: number;
  containerID?: string;
  current?: Terminated;
  last?: Terminated;
  /** Crash-loop back-off (ms) armed by the last restart; 0 = none yet. */
  backoffMs: number;
  pullBackoffMs: number;
  timer?: TimerHandle;
  pullStartedAt?: number;
  /** Time spent actually pulling (the rest of the wait is the node's pull queue). */
  pullMs?: number;
  /** Probe workers (probes.ts); undefined for a container without probes, which costs nothing. */
  probes?: ProbeWorker[];
  /** The running instance passed its startup probe (or has none); kept only for containers with probes. */
  started?: boolean;
  /** Set while the kubelet stops the container for a failed liveness or startup probe. */
  probeKill?: { graceMs: number };
}

export interface PodSim {
  key: string;
  uid: string;
  pod: KObject;
  node: string;
  hostIP: string;
  podIP?: string;
  startTime: number;
  sandboxReady: boolean;
  /** Every PersistentVolumeClaim the pod mounts is Bound (the kubelet mounts volumes before the sandbox starts). */
  volumesReady: boolean;
  claims: string[];
  containers: ContainerSim[];
  deleting: boolean;
  /** Per kubelet-owned condition (CONDITION_TYPES order): last status and its transition time. Flat, as there are 150k of these. */
  condStatus: string[];
  condTime: number[];
  sandboxTimer?: TimerHandle;
  dirty: boolean;
  finished: boolean;
  /** Computed once: the spec's resources cannot change. */
  qos?: string;
}

export const initDone = (p: PodSim) => p.containers.every((c) => !c.init || (c.step === 'done' && c.current?.exitCode === 0));

function containerStatus(c: ContainerSim): any {
  const ref = parseImage(String(c.spec.image ?? ''));
  const s: any = { name: c.name, image: ref.full, imageID: '', ready: c.ready, restartCount: c.restartCount, started: c.probes ? !!c.started : c.step === 'running' };
  if (c.step === 'running' || c.step === 'stopping') {
    s.state = { running: { startedAt: isoTime(c.startedAt!) } };
  } else if (c.current && (c.step === 'exited' || c.step === 'done')) {
    s.state = { terminated: term(c.current) };
  } else {
    s.state = { waiting: { reason: c.waitingReason ?? 'ContainerCreating', ...(c.waitingMessage ? { message: c.waitingMessage } : {}) } };
  }
  if (c.containerID) { s.containerID = c.containerID; s.imageID = imageDigest(String(c.spec.image ?? '')); }
  s.lastState = c.last ? { terminated: term(c.last) } : {};
  return s;
}
const term = (t: Terminated) => ({
  exitCode: t.exitCode, reason: t.reason, ...(t.message ? { message: t.message } : {}),
  startedAt: isoTime(t.startedAt), finishedAt: isoTime(t.finishedAt), containerID: t.containerID,
});

/** Upstream getPhase, reduced to the states the simulation produces. */
export function podPhase(p: PodSim): string {
  const policy = p.pod.spec?.restartPolicy ?? 'Always';
  const inits = p.containers.filter((c) => c.init);
  const apps = p.containers.filter((c) => !c.init);
  for (const c of inits) {
    if (c.step === 'done' && c.current && c.current.exitCode !== 0 && policy === 'Never') return 'Failed';
  }
  if (!initDone(p)) return 'Pending';
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of apps) {
    if (c.step === 'running' || c.step === 'stopping') running++;
    else if (c.step === 'done' || c.step === 'exited') { stopped++; if (c.current?.exitCode === 0) succeeded++; }
    else if (c.last) running++; // waiting to restart after a previous run: counts as running (upstream)
    else waiting++;
  }
  if (waiting > 0 && running === 0 && stopped === 0) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === apps.length) {
    if (p.deleting) return succeeded === stopped ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (policy === 'OnFailure') return succeeded === stopped ? 'Succeeded' : 'Running';
    return succeeded === stopped ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

export const CONDITION_TYPES = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function cond(p: PodSim, now: number, type: string, status: string, reason?: string, message?: string): any {
  const i = CONDITION_TYPES.indexOf(type);
  const t = p.condStatus[i] === status ? p.condTime[i] : now;
  p.condStatus[i] = status;
  p.condTime[i] = t;
  const c: any = { type, status, lastProbeTime: null, lastTransitionTime: isoTime(t) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The full pod status the kubelet would post now. */
export function buildStatus(p: PodSim, now: number): any {
  const phase = podPhase(p);
  const apps = p.containers.filter((c) => !c.init);
  const inits = p.containers.filter((c) => c.init);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const unready = apps.filter((c) => !c.ready).map((c) => c.name);
  const incompleteInit = inits.filter((c) => !(c.step === 'done' && c.current?.exitCode === 0)).map((c) => c.name);
  const conditions = [
    cond(p, now, 'PodReadyToStartContainers', p.sandboxReady && !terminal ? 'True' : 'False'),
    incompleteInit.length && !terminal
      ? cond(p, now, 'Initialized', 'False', 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`)
      : cond(p, now, 'Initialized', 'True'),
    terminal ? cond(p, now, 'Ready', 'False', 'PodCompleted')
      : unready.length ? cond(p, now, 'Ready', 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
      : cond(p, now, 'Ready', 'True'),
    terminal ? cond(p, now, 'ContainersReady', 'False', 'PodCompleted')
      : unready.length ? cond(p, now, 'ContainersReady', 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
      : cond(p, now, 'ContainersReady', 'True'),
    cond(p, now, 'PodScheduled', 'True'),
  ];
  const prevConds: any[] = p.pod.status?.conditions ?? [];
  // Keep conditions other writers own (DisruptionTarget, readiness gates).
  for (const c of prevConds) if (!conditions.some((x) => x.type === c.type)) conditions.push(c);
  const status: any = {
    phase,
    conditions,
    hostIP: p.hostIP,
    hostIPs: [{ ip: p.hostIP }],
    startTime: isoTime(p.startTime),
    containerStatuses: apps.map(containerStatus),
    qosClass: (p.qos ??= qosClass(p.pod)),
  };
  if (p.podIP) { status.podIP = p.podIP; status.podIPs = [{ ip: p.podIP }]; }
  if (inits.length) status.initContainerStatuses = inits.map(containerStatus);
  return status;
}
