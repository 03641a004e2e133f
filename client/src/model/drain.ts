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
import { DRAIN_POLL_MS, DRAIN_RETRY_MS, daemonSetToCheck, drainLine, evictionRefused, podsForDeletion as choosePods } from '../../../kube/src/drain';

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

const enc = encodeURIComponent;
const codeOf = (e: any): number | undefined => e?.code ?? e?.status?.code;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function drainNode(conn: DrainConnection, node: string, opts: DrainOptions = {}): Promise<DrainResult> {
  const report = opts.report ?? (() => undefined);
  const cancelled = opts.cancelled ?? (() => false);
  const retryMs = opts.retryMs ?? DRAIN_RETRY_MS;
  const pollMs = opts.pollMs ?? DRAIN_POLL_MS;
  const result: DrainResult = { evicted: [], errors: [], cancelled: false };
  // A wait that ends early when the user cancels (kubectl's Ctrl-C does not sit out its 5 s either).
  const pause = async (ms: number) => {
    for (let left = ms; left > 0 && !cancelled(); left -= 100) await sleep(Math.min(100, left));
  };

  const current = await conn.request('GET', `/api/v1/nodes/${enc(node)}`);
  if (current?.spec?.unschedulable) report(drainLine.alreadyCordoned(node));
  else {
    await conn.request('PATCH', `/api/v1/nodes/${enc(node)}`, { spec: { unschedulable: true } }, 'application/merge-patch+json');
    report(drainLine.cordoned(node));
  }

  const pods = await podsForDeletion(conn, node, report);
  const evictOne = async (pod: KObject): Promise<void> => {
    const ns = pod.metadata.namespace!, name = pod.metadata.name!;
    for (;;) {
      if (cancelled()) return;
      report(drainLine.evicting(pod));
      try {
        await conn.request('POST', `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}/eviction`,
          { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } });
        break;
      } catch (e) {
        const refused = evictionRefused(e, pod);
        if (refused.then === 'gone') return;
        if (refused.then === 'fail') {
          result.errors.push(refused.line!);
          return;
        }
        if (refused.then === 'wait') break;
        report(refused.line!);
        await pause(retryMs);
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
    report(drainLine.evicted(pod));
    result.evicted.push(`${ns}/${name}`);
  };
  await Promise.all(pods.map(evictOne));
  result.cancelled = cancelled();
  if (!result.cancelled && !result.errors.length) report(drainLine.drained(node));
  return result;
}

/** GetPodsForDeletion with --ignore-daemonsets --delete-emptydir-data --force, and kubectl's one warning line. */
async function podsForDeletion(conn: DrainConnection, node: string, report: (line: string) => void): Promise<KObject[]> {
  const list = await conn.request('GET', `/api/v1/pods?fieldSelector=${enc(`spec.nodeName=${node}`)}`);
  const pods = (list?.items ?? []) as KObject[];
  // Whether each DaemonSet that owns a pod here still exists: one read each, before the filters run.
  const daemonSets = new Map<string, boolean>();
  for (const key of new Set(pods.map(daemonSetToCheck).filter((k): k is string => k !== undefined))) {
    const [ns, name] = key.split('/');
    try {
      await conn.request('GET', `/apis/apps/v1/namespaces/${enc(ns)}/daemonsets/${enc(name)}`);
      daemonSets.set(key, true);
    } catch (e) {
      if (codeOf(e) !== 404) throw e;
      daemonSets.set(key, false);
    }
  }
  const chosen = choosePods(pods, (key) => daemonSets.get(key) ?? true);
  if (chosen.warning) report(chosen.warning);
  return chosen.pods;
}
