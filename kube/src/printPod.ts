/**
 * What `kubectl get pods` prints for a pod's READY, STATUS and RESTARTS,
 * worked out as upstream's printPod does (pkg/printers/internalversion):
 * init containers first (`Init:0/2`, `Init:CrashLoopBackOff`; started sidecars
 * count as ready containers), then the app containers from last to first, then
 * deletion (`Terminating`). One answer for the apiserver's Table and the
 * editor's tree view, so both read as a terminal does.
 */

export interface PodSummary {
  /** The STATUS column. */
  reason: string;
  /** READY as ready/total; native sidecars count in both. */
  ready: number;
  total: number;
  /** RESTARTS, and the newest restart's time (RFC 3339) for its "(5m ago)". */
  restarts: number;
  lastRestart?: string;
}

const isRestartableInit = (c: any) => c?.restartPolicy === 'Always';
const hasTrue = (conds: any[] | undefined, type: string) => (conds ?? []).some((c) => c.type === type && c.status === 'True');

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export function summarizePod(pod: any): PodSummary {
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map<string, any>();
  for (const c of spec.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (isRestartableInit(c)) total++;
  }

  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const lastTerm = c.lastState?.terminated?.finishedAt;
    if (lastTerm) lastRestart = later(lastRestart, lastTerm);
    const sidecar = isRestartableInit(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      if (lastTerm) lastSidecarRestart = later(lastSidecarRestart, lastTerm);
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs: any[] = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const lastTerm = c.lastState?.terminated?.finishedAt;
      if (lastTerm) lastRestart = later(lastRestart, lastTerm);
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const terminal = phase === 'Succeeded' || phase === 'Failed';
  if (pod?.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod?.metadata?.deletionTimestamp && !terminal) reason = 'Terminating';
  return { reason, ready, total, restarts, lastRestart };
}
