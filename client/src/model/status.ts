import type { KObject } from './types';

/**
 * The STATUS column of `kubectl get pods`, computed the way kubectl's printer
 * does (init containers first, then the last container with a reason, then
 * deletion), so the tree shows the same word a user sees in a terminal.
 */
export interface PodStatus {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
}

export function podStatus(pod: KObject): PodStatus {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  const total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let reason: string = st.reason || st.phase || 'Pending';
  for (const c of st.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  let initializing = false;
  const inits: any[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initialized = (st.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    let hasRunning = false;
    const cs: any[] = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const term = c.state?.terminated;
      const wait = c.state?.waiting;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed') reason = 'Terminating';
  return { reason, ready, total, restarts };
}

/** How a status is drawn: a codicon id and a theme colour id. Kept pure so it can be tested without VS Code. */
export interface Look {
  icon: string;
  color?: string;
}

export function podLook(s: PodStatus): Look {
  switch (s.reason) {
    case 'Running':
      return s.ready === s.total ? { icon: 'pass-filled', color: 'charts.green' } : { icon: 'circle-large-outline', color: 'charts.yellow' };
    case 'Pending':
    case 'SchedulingGated':
      return { icon: 'clock', color: 'charts.yellow' };
    case 'ContainerCreating':
    case 'PodInitializing':
      return { icon: 'sync~spin', color: 'charts.blue' };
    case 'CrashLoopBackOff':
      return { icon: 'debug-restart', color: 'charts.red' };
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'InvalidImageName':
      return { icon: 'cloud-download', color: 'charts.red' };
    case 'Completed':
    case 'Succeeded':
      return { icon: 'check', color: 'disabledForeground' };
    case 'Terminating':
      return { icon: 'trash', color: 'charts.orange' };
    case 'NotReady':
      return { icon: 'circle-large-outline', color: 'charts.yellow' };
    case 'Unknown':
      return { icon: 'question', color: 'charts.orange' };
    default:
      if (s.reason.startsWith('Init:')) return { icon: 'sync~spin', color: 'charts.blue' };
      return { icon: 'error', color: 'charts.red' }; // Failed, Error, OOMKilled, ExitCode:N, Evicted, ...
  }
}

/** Ready/desired replicas for any workload kind, in the form the tree shows as `3/3 ready`. */
export function workloadReady(obj: KObject): { ready: number; desired: number } {
  const st = obj.status ?? {};
  switch (obj.kind) {
    case 'DaemonSet':
      return { ready: st.numberReady ?? 0, desired: st.desiredNumberScheduled ?? 0 };
    case 'Job':
      return { ready: st.succeeded ?? 0, desired: obj.spec?.completions ?? 1 };
    default:
      return { ready: st.readyReplicas ?? 0, desired: obj.spec?.replicas ?? 1 };
  }
}

export function nodeReady(node: KObject): 'True' | 'False' | 'Unknown' {
  const c = (node.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  return c?.status ?? 'Unknown';
}
