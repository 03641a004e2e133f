/**
 * The extension's "Drain node", on the playground or a real cluster: what `kubectl drain <node>
 * --ignore-daemonsets --delete-emptydir-data --force` does on the client's side (kubectl's
 * pkg/drain/drain.go and filters.go), with kubectl's own lines as progress:
 *
 * - cordon (`node/<name> cordoned`, or `already cordoned`);
 * - the node's pods, read from the server, less the pods of a DaemonSet that exists (one warning names them) and
 *   mirror pods; pods no controller owns are evicted with their own warning;
 * - every pod through the eviction API at once, never deleted: a 429 (a PodDisruptionBudget allows no disruption
 *   now) is printed and retried every 5 s until it passes or the user cancels, as kubectl retries until its
 *   --timeout, whose default is none; any other refusal ends that pod's eviction and, at the end, the drain;
 * - each evicted pod waited for (polled every second) until it is gone or another of its name took its place.
 *
 * No vscode here: the command wraps it in a cancellable progress notification.
 */
import type { KObject } from './types';

/** What the drain needs of a connection: the raw authenticated request (client/src/kube/api.ts Connection). */
export interface DrainConnection {
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<any>;
}

export interface DrainOptions {
  /** A line as kubectl prints it. */
  report?: (line: string) => void;
  /** The user gave up (kubectl's Ctrl-C): no more retries or polls. */
  cancelled?: () => boolean;
  /** Between a refused eviction and its retry (kubectl: 5 s). */
  retryMs?: number;
  /** Between two looks at an evicted pod (kubectl: 1 s). */
  pollMs?: number;
}

export interface DrainResult {
  /** `namespace/name` of every pod evicted and gone. */
  evicted: string[];
  /** kubectl's `error when evicting …` lines of pods that could not be evicted. */
  errors: string[];
  cancelled: boolean;
}

const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

const enc = encodeURIComponent;
const codeOf = (e: any): number | undefined => e?.code ?? e?.status?.code;
const messageOf = (e: any): string => String(e?.status?.message ?? e?.message ?? e);
const finished = (p: KObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const controllerOf = (p: KObject): any => (p.metadata.ownerReferences ?? []).find((o: any) => o.controller);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function drainNode(conn: DrainConnection, node: string, opts: DrainOptions = {}): Promise<DrainResult> {
  const report = opts.report ?? (() => undefined);
  const cancelled = opts.cancelled ?? (() => false);
  const retryMs = opts.retryMs ?? 5_000;
  const pollMs = opts.pollMs ?? 1_000;
  const result: DrainResult = { evicted: [], errors: [], cancelled: false };
  // A wait that ends early when the user cancels (kubectl's Ctrl-C does not sit out its 5 s either).
  const pause = async (ms: number) => {
    for (let left = ms; left > 0 && !cancelled(); left -= 100) await sleep(Math.min(100, left));
  };

  const current = await conn.request('GET', `/api/v1/nodes/${enc(node)}`);
  if (current?.spec?.unschedulable) report(`node/${node} already cordoned`);
  else {
    await conn.request('PATCH', `/api/v1/nodes/${enc(node)}`, { spec: { unschedulable: true } }, 'application/merge-patch+json');
    report(`node/${node} cordoned`);
  }

  const pods = await podsForDeletion(conn, node, report);
  const evictOne = async (pod: KObject): Promise<void> => {
    const ns = pod.metadata.namespace!, name = pod.metadata.name!;
    for (;;) {
      if (cancelled()) return;
      // evictPods prints this before every attempt, the retries too.
      report(`evicting pod ${ns}/${name}`);
      try {
        await conn.request('POST', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}/eviction`,
          { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } });
        break;
      } catch (e) {
        const code = codeOf(e);
        if (code === 404) return;
        if (code === 429) {
          report(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${messageOf(e)}`);
          await pause(retryMs);
          continue;
        }
        // A namespace being deleted refuses evictions (403, cause NamespaceTerminating) until its pods are gone.
        const terminating = code === 403 && ((e as any)?.status?.details?.causes ?? []).some((c: any) => c?.reason === 'NamespaceTerminating');
        if (terminating && !pod.metadata.deletionTimestamp) {
          report(`error when evicting pod "${name}" from terminating namespace "${ns}" (will retry after 5s): ${messageOf(e)}`);
          await pause(retryMs);
          continue;
        }
        if (terminating) break;
        result.errors.push(`error when evicting pods/"${name}" -n "${ns}": ${messageOf(e)}`);
        return;
      }
    }
    // waitForDelete: gone, or another pod of its name (a StatefulSet's) took its place.
    for (;;) {
      if (cancelled()) return;
      let now: KObject | undefined;
      try {
        now = await conn.request('GET', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`);
      } catch (e) {
        if (codeOf(e) !== 404) throw e;
      }
      if (!now || now.metadata?.uid !== pod.metadata.uid) break;
      await pause(pollMs);
    }
    report(`pod/${name} evicted`);
    result.evicted.push(`${ns}/${name}`);
  };
  await Promise.all(pods.map(evictOne));
  result.cancelled = cancelled();
  if (!result.cancelled && !result.errors.length) report(`node/${node} drained`);
  return result;
}

/** GetPodsForDeletion with --ignore-daemonsets --delete-emptydir-data --force, and kubectl's one warning line. */
async function podsForDeletion(conn: DrainConnection, node: string, report: (line: string) => void): Promise<KObject[]> {
  const list = await conn.request('GET', `/api/v1/pods?fieldSelector=${enc(`spec.nodeName=${node}`)}`);
  const out: KObject[] = [];
  const warnings = new Map<string, string[]>();
  const warn = (msg: string, p: KObject) => {
    const names = warnings.get(msg) ?? [];
    names.push(`${p.metadata.namespace}/${p.metadata.name}`);
    warnings.set(msg, names);
  };
  const daemonSets = new Map<string, boolean>();
  for (const pod of (list?.items ?? []) as KObject[]) {
    const owner = controllerOf(pod);
    if (owner?.kind === 'DaemonSet' && !finished(pod)) {
      // daemonSetFilter: skipped with a warning while the DaemonSet exists; an orphan goes (--force).
      const key = `${pod.metadata.namespace}/${owner.name}`;
      if (!daemonSets.has(key)) {
        let exists = true;
        try {
          await conn.request('GET', `/apis/apps/v1/namespaces/${enc(pod.metadata.namespace!)}/daemonsets/${enc(owner.name)}`);
        } catch (e) {
          if (codeOf(e) !== 404) throw e;
          exists = false;
        }
        daemonSets.set(key, exists);
      }
      if (daemonSets.get(key)) {
        warn(DAEMONSET_WARNING, pod);
        continue;
      }
    }
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    if (!owner && !finished(pod)) warn(UNMANAGED_WARNING, pod);
    out.push(pod);
  }
  if (warnings.size) report(`Warning: ${[...warnings].map(([msg, names]) => `${msg}: ${names.join(', ')}`).join('; ')}`);
  return out;
}
