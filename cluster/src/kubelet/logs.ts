/**
 * `kubectl logs --previous`: the previous instance's lines, read from what the
 * pod's status says about it (lastState.terminated), as the kubelet's
 * validateContainerLogStatus does. Pure, so the HTTP layer can answer from the
 * pod object alone.
 */
import type { KObject } from '../contract';
import { containerLogLines, type HostFacts } from './images';

/** Upstream's refusal (pkg/kubelet/kubelet_pods.go); the apiserver returns it as 400 BadRequest. */
export class NoPreviousContainerError extends Error {
  constructor(container: string, pod: string) {
    super(`previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(pod)} not found`);
  }
}

/**
 * The previous instance's log of `container`, or throws NoPreviousContainerError.
 * `kept` is what the kubelet still holds of that instance's script output, by container ID; `host`, the node's facts.
 */
export function previousLogLines(pod: KObject, container: string, kept?: (containerID: string) => { output?: readonly string[]; times?: readonly number[]; dropped?: number; played?: boolean } | undefined, host?: HostFacts): LogLines {
  const st = pod.status ?? {};
  const statuses: any[] = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])];
  const last = statuses.find((s) => s.name === container)?.lastState?.terminated;
  if (!last?.containerID) throw new NoPreviousContainerError(container, pod.metadata.name!);
  if (last.reason === 'StartError') return [];
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c: any) => c.name === container) ?? { name: container };
  const instance = kept?.(last.containerID);
  const lines: LogLines = containerLogLines(pod, spec, Date.parse(last.startedAt), last.exitCode, Date.parse(last.finishedAt), instance?.output, instance?.times, instance?.played, host);
  if (instance?.dropped) lines.dropped = instance.dropped;
  return lines;
}

/**
 * A container's log lines; `dropped` counts the lines before them that the log no longer keeps, and `times`
 * (when known) holds when each line was written.
 */
export type LogLines = string[] & { dropped?: number; times?: number[] };
