/**
 * Stopping a pod's containers, as the kubelet's KillPod does: when the pod
 * is done, when it is deleted, and when a shorter grace period comes in.
 * The stage table (stages.ts) then stops each container in its turn.
 */
import type { ContainerSim, PodSim } from './podsim';
import { flushScriptOutput } from './scriptrun';

/** What stopping needs from the kubelet engine. */
export interface StopHost {
  clear(c: ContainerSim): void;
  event(p: PodSim, reason: string, message: string, c?: ContainerSim): void;
}

/** A running container's process ended with `code` (killed, or its attached shell exited). */
export function exitContainer(c: ContainerSim, now: number, code: number, reason?: string): void {
  c.current = { exitCode: code, reason: reason ?? (code === 0 ? 'Completed' : 'Error'), startedAt: c.startedAt!, finishedAt: now, containerID: c.containerID! };
  // The instance's log outlives it: `kubectl logs` of a waiting container, and `--previous`, read it.
  if (c.run) flushScriptOutput(c.run, now);
  const log = c.run ?? c.console;
  if (log) {
    c.current.output = c.console?.partial ? [...c.console.output, c.console.partial] : log.output;
    c.current.times = c.console?.partial ? [...(c.console.times ?? []), now] : log.times;
    c.current.dropped = log.dropped;
    if (c.run) c.current.played = true;
  }
  c.ready = false;
  if (c.probes) c.started = false;
  // A hook still running goes with the container (a postStart hook's sync is over).
  c.hook = undefined;
  c.termAt = c.termFrom = c.termGraceSec = undefined;
  c.step = 'exited';
}

/**
 * Every regular container is done and will not be started again (restartPolicy Never, or OnFailure after
 * success) while something else still has to stop: the sidecars, which would otherwise keep the pod alive.
 */
export function podDone(p: PodSim): boolean {
  const policy = p.pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return false;
  let other = false;
  let regularDone = true;
  for (const c of p.containers) {
    // computeInitContainerActions: a regular init container that failed under restartPolicy Never kills the pod.
    if (c.init && !c.sidecar && c.step === 'done' && c.current && c.current.exitCode !== 0 && policy === 'Never') return p.containers.some((o) => o.step !== 'done');
    if (!c.init && !c.ephemeral && c.step !== 'done') regularDone = false;
    if ((c.init || c.ephemeral) && c.step !== 'done') other = true;
  }
  return regularDone && other;
}

/**
 * The pod starts to stop (deleted, or killed once its work is done): every
 * container waiting to start is cancelled, and each running one gets its
 * Killing event now, as killContainer records it before the termination
 * order makes a sidecar wait for its turn.
 */
export function beginStop(p: PodSim, now: number, host: StopHost): void {
  p.killStartedAt = now;
  for (const c of p.containers) if (c.step !== 'stopping') host.clear(c);
  const running = p.containers.filter((c) => c.step === 'running');
  // Regular containers first, then the sidecars in the order they will stop (the last declared first).
  for (const c of [...running.filter((c) => !c.sidecar), ...running.filter((c) => c.sidecar).reverse()]) {
    if (c.killNoticed) continue;
    host.event(p, 'Killing', `Stopping container ${c.name}`, c);
    c.killNoticed = true;
  }
}

/** A shorter grace period arrived while the pod stops: every container still stopping is stopped again with it. */
export function restartStop(p: PodSim, now: number, host: StopHost): void {
  for (const c of p.containers) {
    if (c.step !== 'stopping' || c.probeKill) continue;
    host.clear(c);
    c.step = 'running';
  }
  beginStop(p, now, host);
}

