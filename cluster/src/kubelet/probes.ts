/**
 * Liveness, readiness and startup probes, played the way the kubelet's prober
 * workers play them (pkg/kubelet/prober/worker.go): one worker per probe,
 * ticking every periodSeconds from when the kubelet took the pod on, skipping
 * until initialDelaySeconds have passed since the container started, counting
 * runs of equal results against successThreshold and failureThreshold, and
 * holding a liveness or startup worker after a failure until a new container
 * instance appears. Only containers that declare probes get workers, so the
 * thousands of probe-less pods of a big cluster pay nothing.
 */
import type { TimerHandle } from '../contract';
import { portNameError, probeAnswer } from './images';
import { inPostStart, restartPolicyOf, type ContainerSim, type PodSim } from './podsim';

export type ProbeType = 'startup' | 'liveness' | 'readiness';
type Result = 'Success' | 'Failure' | 'Unknown';

export interface ProbeWorker {
  type: ProbeType;
  spec: any;
  periodMs: number;
  /** The container instance the result belongs to. */
  containerID?: string;
  result: Result;
  lastResult?: Result;
  resultRun: number;
  onHold: boolean;
  stopped: boolean;
  timer?: TimerHandle;
  /** A probe still running (an exec probe that takes time); ticks meanwhile are dropped but one. */
  busy?: TimerHandle;
  tickMissed?: boolean;
}

/** upstream probeType.String() */
const LABEL: Record<ProbeType, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };
const FIELD: Record<ProbeType, string> = { startup: 'startupProbe', liveness: 'livenessProbe', readiness: 'readinessProbe' };
/** Each worker's result before its first probe of a new container (newWorker's initialValue). */
const INITIAL: Record<ProbeType, Result> = { startup: 'Unknown', liveness: 'Success', readiness: 'Failure' };

/** Workers for the probes a container (regular, or a sidecar) declares, or undefined when it declares none. */
export function probeWorkers(spec: any): ProbeWorker[] | undefined {
  if (!spec.livenessProbe && !spec.readinessProbe && !spec.startupProbe) return undefined;
  const out: ProbeWorker[] = [];
  for (const type of ['startup', 'liveness', 'readiness'] as ProbeType[]) {
    const s = spec[FIELD[type]];
    if (s) out.push({ type, spec: s, periodMs: (s.periodSeconds || 10) * 1000, result: INITIAL[type], resultRun: 0, onHold: false, stopped: false });
  }
  return out;
}

const workerOf = (c: ContainerSim, type: ProbeType) => c.probes?.find((w) => w.type === type);

/** `started` and `ready` as the prober manager's UpdatePodStatus derives them from the workers' results. */
export function refreshProbeState(c: ContainerSim): void {
  const running = c.step === 'running' || c.step === 'stopping';
  const su = workerOf(c, 'startup');
  const rd = workerOf(c, 'readiness');
  c.started = running && (!su || (su.containerID === c.containerID && su.result === 'Success'));
  c.ready = (!c.init || c.sidecar) && c.started && (!rd || (rd.containerID === c.containerID && rd.result === 'Success'));
}

export interface ProbeHost {
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(h: TimerHandle): void;
  event(p: PodSim, type: 'Normal' | 'Warning', reason: string, message: string, c?: ContainerSim): void;
  /** The node's kubelet is down (a failed node): its workers skip their ticks. */
  frozen(p: PodSim): boolean;
  /** A worker's result changed: the kubelet syncs the pod (status, and a kill for a failed liveness/startup probe). */
  resultChanged(c: ContainerSim, p: PodSim, w: ProbeWorker): void;
  /** Whether a path exists in the container's filesystem now (what it and `kubectl exec` wrote), when the kubelet can see it. */
  fileExists?(p: PodSim, c: ContainerSim, path: string): boolean | undefined;
  /**
   * An httpGet probe reached the server behind its port: the server's side of it (an access log line), and the
   * status it answered with when the playground knows what that server serves (undefined when it does not).
   */
  httpProbed?(p: PodSim, c: ContainerSim, httpGet: any): number | undefined;
}

/**
 * Starts every worker of the pod (the prober manager's AddPod): each probes
 * once after `jitterMs(period)` and then on its ticker.
 */
export function startProbes(p: PodSim, host: ProbeHost, jitterMs: (periodMs: number) => number): void {
  for (const c of p.containers) for (const w of c.probes ?? []) schedule(c, p, w, host, jitterMs(w.periodMs));
}

export function stopProbes(p: PodSim, host: ProbeHost): void {
  for (const c of p.containers) {
    for (const w of c.probes ?? []) {
      w.stopped = true;
      if (w.timer !== undefined) host.clearTimer(w.timer);
      if (w.busy !== undefined) host.clearTimer(w.busy);
      w.timer = w.busy = undefined;
    }
  }
}

function schedule(c: ContainerSim, p: PodSim, w: ProbeWorker, host: ProbeHost, inMs = w.periodMs): void {
  w.timer = host.setTimer(inMs, () => {
    w.timer = undefined;
    if (w.stopped) return;
    if (w.busy !== undefined) w.tickMissed = true;
    else if (!host.frozen(p) && !doProbe(c, p, w, host)) return stop(w);
    schedule(c, p, w, host);
  });
}

function stop(w: ProbeWorker): void {
  w.stopped = true;
}

/**
 * The prober manager's manual trigger: a pod sync that finds a started
 * container not ready runs its readiness probe at once instead of waiting
 * for the next tick.
 */
export function triggerReadiness(p: PodSim, host: ProbeHost): void {
  for (const c of p.containers) {
    const w = workerOf(c, 'readiness');
    if (!w || w.stopped || w.busy !== undefined || !c.started || c.ready) continue;
    if (!doProbe(c, p, w, host)) stop(w);
  }
}

/** One pass of worker.doProbe; false when the worker should end. */
function doProbe(c: ContainerSim, p: PodSim, w: ProbeWorker, host: ProbeHost): boolean {
  const policy = restartPolicyOf(c, p);
  if (!c.containerID) return true; // not created yet
  if (w.containerID !== c.containerID) {
    w.containerID = c.containerID;
    w.result = INITIAL[w.type];
    w.onHold = false;
  }
  if (w.onHold) return true;
  // Until its postStart hook returns, the status the workers read shows the container waiting, with no ID: nothing to probe.
  if (inPostStart(c)) return true;
  const running = c.step === 'running' || c.step === 'stopping';
  if (!running) {
    w.result = 'Failure';
    return !(c.step === 'done' && policy === 'Never');
  }
  // StopLivenessAndStartup stops the regular containers' workers only: a sidecar is still probed while its pod stops.
  if (p.deleting && w.type !== 'readiness' && !c.sidecar) {
    w.result = 'Success';
    return false;
  }
  // The status's startedAt has whole seconds, and the kubelet compares whole seconds.
  const startedAt = Math.floor(c.startedAt! / 1000) * 1000;
  if (Math.floor((host.now() - startedAt) / 1000) < (w.spec.initialDelaySeconds ?? 0)) return true;
  if (c.started ? w.type === 'startup' : w.type !== 'startup') return true;
  // ResolveContainerPort looks a port name up in the probed container's own ports. When it is not there the prober
  // records the error with the unknown result it had, and the worker throws that result away (worker.go, "Prober
  // error"): the result stays as it was.
  const portError = w.spec.exec ? undefined : portNameError(c.spec, (w.spec.httpGet ?? w.spec.tcpSocket)?.port);
  if (portError !== undefined) {
    host.event(p, 'Warning', 'Unhealthy', `${LABEL[w.type]} probe errored and resulted in unknown state: ${portError}`, c);
    return true;
  }
  // The pod's containers share its network: a probe's port may be served by a sidecar beside the probed container.
  const neighbours = [...(p.pod.spec?.containers ?? []), ...(p.pod.spec?.initContainers ?? []).filter((x: any) => x.restartPolicy === 'Always')];
  let answer = probeAnswer(c.spec, c.behaviour, w.spec, p.podIP ?? '', host.now() - c.startedAt!, neighbours, host.fileExists ? (path) => host.fileExists!(p, c, path) : undefined);
  if (answer.ok && w.spec.httpGet && host.httpProbed) {
    // pkg/probe/http/http.go DoHTTPProbe: a status from 200 to 399 passes (3xx with a warning); any other fails.
    const status = host.httpProbed(p, c, w.spec.httpGet);
    if (status !== undefined && (status < 200 || status >= 400)) answer = { ok: false, output: `HTTP probe failed with statuscode: ${status}`, tookMs: 0 };
  }
  const id = c.containerID;
  const record = () => {
    // The container may have gone while a slow probe ran; its answer is then thrown away.
    if (c.containerID !== id || !(c.step === 'running' || c.step === 'stopping')) return;
    if (!answer.ok) host.event(p, 'Warning', 'Unhealthy', `${LABEL[w.type]} probe failed: ${answer.output}`, c);
    count(c, p, w, answer.ok ? 'Success' : 'Failure', host);
  };
  if (answer.tookMs <= 0) { record(); return true; }
  w.busy = host.setTimer(answer.tookMs, () => {
    w.busy = undefined;
    if (w.stopped) return;
    record();
    // Go's ticker keeps one tick for a slow receiver: it is served as soon as the probe returns.
    if (w.tickMissed) {
      w.tickMissed = false;
      if (!doProbe(c, p, w, host)) stop(w);
    }
  });
  return true;
}

function count(c: ContainerSim, p: PodSim, w: ProbeWorker, result: Result, host: ProbeHost): void {
  if (w.lastResult === result) w.resultRun++;
  else { w.lastResult = result; w.resultRun = 1; }
  if ((result === 'Failure' && w.resultRun < (w.spec.failureThreshold || 3))
    || (result === 'Success' && w.resultRun < (w.spec.successThreshold || 1))) return;
  const changed = w.result !== result;
  w.result = result;
  if (w.type !== 'readiness' && result === 'Failure') {
    // Held until a new container instance appears.
    w.onHold = true;
    w.resultRun = 0;
  }
  if (changed) host.resultChanged(c, p, w);
}
