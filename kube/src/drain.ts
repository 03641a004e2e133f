/**
 * What `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data --force` decides and prints, for the two
 * drains that act as kubectl does: the playground's own (cluster/src/kubelet/drain.ts, on the simulated clock) and
 * the extension's (client/src/model/drain.ts, over HTTP, on the playground or a real cluster). Each reads pods and
 * calls the eviction API its own way; the rules and the lines are these (staging/src/k8s.io/kubectl/pkg/drain/
 * drain.go and filters.go, pkg/cmd/drain/drain.go).
 */

/** The fields of a pod the drain reads. */
interface DrainPod {
  metadata: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string; annotations?: Record<string, string>; ownerReferences?: any[] };
  status?: { phase?: string };
}

const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

const finished = (pod: DrainPod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const controllerOf = (pod: DrainPod): any => (pod.metadata.ownerReferences ?? []).find((o: any) => o?.controller);

/** The DaemonSet (`namespace/name`) whose pod this is, when the drain must ask whether it still exists. */
export function daemonSetToCheck(pod: DrainPod): string | undefined {
  const owner = controllerOf(pod);
  return owner?.kind === 'DaemonSet' && !finished(pod) ? `${pod.metadata.namespace}/${owner.name}` : undefined;
}

/**
 * GetPodsForDeletion with makeFilters' order: DaemonSet, mirror, local storage (allowed), unreplicated (forced).
 * `daemonSetExists` answers for the keys daemonSetToCheck gives. Answers the pods to evict and kubectl's one
 * warning line (WarningPrinter.Print), if any.
 */
export function podsForDeletion<P extends DrainPod>(pods: Iterable<P>, daemonSetExists: (key: string) => boolean): { pods: P[]; warning?: string } {
  const out: P[] = [];
  const warnings = new Map<string, string[]>();
  const warn = (msg: string, pod: DrainPod) => {
    const names = warnings.get(msg) ?? [];
    names.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
    warnings.set(msg, names);
  };
  for (const pod of pods) {
    // daemonSetFilter: kept with a warning while its DaemonSet exists; an orphan goes (--force), as a finished pod.
    const ds = daemonSetToCheck(pod);
    if (ds !== undefined && daemonSetExists(ds)) {
      warn(DAEMONSET_WARNING, pod);
      continue;
    }
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    // The last filter's status is the one kept: only unreplicatedFilter's warning survives local storage's.
    if (!controllerOf(pod) && !finished(pod)) warn(UNMANAGED_WARNING, pod);
    out.push(pod);
  }
  const warning = warnings.size ? `Warning: ${[...warnings].map(([msg, names]) => `${msg}: ${names.join(', ')}`).join('; ')}` : undefined;
  return { pods: out, warning };
}

const codeOf = (e: any): number | undefined => e?.status?.code ?? e?.code;
const messageOf = (e: any): string => String(e?.status?.message ?? e?.message ?? e);

/**
 * What evictPods does with an eviction the apiserver refused, and the line it prints:
 * - `gone`: the pod no longer exists (404); nothing is printed and nothing waited for;
 * - `retry`: a PodDisruptionBudget allows no disruption now (429), or the namespace is being deleted (403,
 *   NamespaceTerminating) and the pod is not yet: the line is printed and the eviction tried again in 5 s;
 * - `wait`: the namespace is being deleted and so is the pod: it is waited for as if evicted;
 * - `fail`: any other error, kept for the end of the drain (the line is that error).
 */
export function evictionRefused(e: unknown, pod: DrainPod): { then: 'gone' | 'retry' | 'wait' | 'fail'; line?: string } {
  const ns = pod.metadata.namespace, name = pod.metadata.name;
  const code = codeOf(e);
  if (code === 404) return { then: 'gone' };
  if (code === 429) return { then: 'retry', line: `error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${messageOf(e)}` };
  const terminating = code === 403 && ((e as any)?.status?.details?.causes ?? []).some((c: any) => c?.reason === 'NamespaceTerminating');
  if (terminating && !pod.metadata.deletionTimestamp) {
    return { then: 'retry', line: `error when evicting pod "${name}" from terminating namespace "${ns}" (will retry after 5s): ${messageOf(e)}` };
  }
  if (terminating) return { then: 'wait' };
  return { then: 'fail', line: `error when evicting pods/"${name}" -n "${ns}": ${messageOf(e)}` };
}

/** kubectl's lines for the steps every drain takes. */
export const drainLine = {
  cordoned: (node: string) => `node/${node} cordoned`,
  alreadyCordoned: (node: string) => `node/${node} already cordoned`,
  /** evictPods prints it before every attempt, the retries too. */
  evicting: (pod: DrainPod) => `evicting pod ${pod.metadata.namespace}/${pod.metadata.name}`,
  evicted: (pod: DrainPod) => `pod/${pod.metadata.name} evicted`,
  drained: (node: string) => `node/${node} drained`,
};

/** kubectl's retry period after a refused eviction, and its poll of an evicted pod (waitForDelete). */
export const DRAIN_RETRY_MS = 5_000;
export const DRAIN_POLL_MS = 1_000;
