/**
 * The disruption controller (pkg/controller/disruption): keeps each
 * PodDisruptionBudget's status, which the eviction subresource reads (so
 * `kubectl drain` waits while a budget allows no disruption).
 *
 * - Pods: those of the budget's namespace its selector matches.
 * - Expected pods and desired healthy: minAvailable as a number counts the
 *   matching pods; a percentage, or maxUnavailable, is taken of the summed
 *   scale of the pods' controllers (ReplicationController, the Deployment
 *   over a ReplicaSet, a ReplicaSet, a StatefulSet), rounded up.
 * - Healthy: Ready, not being deleted, and not evicted in the last
 *   2 minutes (status.disruptedPods, which the eviction subresource fills).
 * - disruptionsAllowed = healthy − desired, never below 0, and 0 while no pod
 *   is expected; the DisruptionAllowed condition says SufficientPods or
 *   InsufficientPods, or SyncFailed with the error.
 */
import type { Component, ComponentContext, EventSource, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { DEPLOYMENTS, PDBS, PODS, RCS, REPLICASETS, STATEFULSETS } from '../util/gvr.js';
import { getControllerOf } from '../util/owner.js';
import { isPodReady } from '../util/pods.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { compileSelector, type Matcher } from '../util/selector.js';
import { formatTime, parseTime } from '../util/time.js';
import { errorMessage, writeStatus } from '../util/write.js';
import { isPercent, scaledValueFromIntOrPercent } from '../../../../kube/src/intstr.js';
import { withDisruptionAllowed } from '../../apiserver/pdbhelper.js';

const COMPONENT = 'controllermanager';
/** How long an evicted pod may take to get its deletionTimestamp before the budget counts it again. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** Owners of pods that have no scale subresource, as group/Kind -> the GroupResource upstream's message names. */
const NO_SCALE: Record<string, string> = { 'apps/DaemonSet': 'daemonsets.apps', 'batch/Job': 'jobs.batch', '/Node': 'nodes', '/Pod': 'pods' };

export class DisruptionController implements Component {
  readonly name = 'disruption-controller';
  private readonly queue: WorkQueue;
  private readonly pdbs: ObjectCache;
  private readonly pods: ObjectCache;
  private readonly rcs: ObjectCache;
  private readonly rss: ObjectCache;
  private readonly deployments: ObjectCache;
  private readonly statefulsets: ObjectCache;
  private readonly source: EventSource = Object.freeze({ component: COMPONENT });
  /** Each budget version's compiled selector. */
  private readonly matchers = new WeakMap<KObject, Matcher>();
  /** Namespaces that hold a budget: a pod change elsewhere costs one lookup. */
  private readonly namespaces = new Map<string, number>();

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.pdbs = informers.for(PDBS);
    this.pods = informers.for(PODS);
    this.rcs = informers.for(RCS);
    this.rss = informers.for(REPLICASETS);
    this.deployments = informers.for(DEPLOYMENTS);
    this.statefulsets = informers.for(STATEFULSETS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(this.name, `error syncing PodDisruptionBudget ${k}: ${errorMessage(err)}`));
    this.pdbs.onEvent((t, pdb, old) => {
      const ns = pdb.metadata.namespace ?? '';
      if (t === 'ADDED') this.namespaces.set(ns, (this.namespaces.get(ns) ?? 0) + 1);
      else if (t === 'DELETED') this.forgetNamespace(ns);
      // Our own status writes change nothing a sync reads.
      if (t !== 'MODIFIED' || old?.metadata.generation !== pdb.metadata.generation) this.queue.add(keyOf(pdb.metadata.namespace, pdb.metadata.name!));
    });
    this.pods.onEvent((_t, pod, old) => {
      const ns = pod.metadata.namespace ?? '';
      if (!this.namespaces.has(ns)) return;
      const matching: string[] = [];
      for (const pdb of this.pdbs.list(ns)) {
        const match = this.matcher(pdb);
        if (match(pod.metadata.labels)) matching.push(pdb.metadata.name!);
        if (match(pod.metadata.labels) || (old && match(old.metadata.labels))) this.queue.add(keyOf(ns, pdb.metadata.name!));
      }
      // getPdbForPod: a pod two budgets select is worth a warning each time the controller looks at it.
      if (matching.length > 1) {
        matching.sort();
        this.ctx.events.event(this.source, pod, 'Warning', 'MultiplePodDisruptionBudgets', `Pod ${JSON.stringify(ns)}/${JSON.stringify(pod.metadata.name)} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(matching[0])} arbitrarily.`);
      }
    });
  }

  start(): void {
    for (const c of [this.pdbs, this.pods, this.rcs, this.rss, this.deployments, this.statefulsets]) c.start();
    for (const pdb of this.pdbs.list()) {
      const ns = pdb.metadata.namespace ?? '';
      this.namespaces.set(ns, (this.namespaces.get(ns) ?? 0) + 1);
      this.queue.add(keyOf(pdb.metadata.namespace, pdb.metadata.name!));
    }
  }

  stop(): void {
    this.queue.stop();
  }

  private matcher(pdb: KObject): Matcher {
    let m = this.matchers.get(pdb);
    if (!m) this.matchers.set(pdb, (m = compileSelector(pdb.spec?.selector)));
    return m;
  }

  private forgetNamespace(ns: string): void {
    const n = (this.namespaces.get(ns) ?? 1) - 1;
    if (n > 0) this.namespaces.set(ns, n);
    else this.namespaces.delete(ns);
  }

  sync(key: string): void {
    this.ctx.count(this.name, 'syncs');
    const [ns, name] = splitKey(key);
    const pdb = this.pdbs.get(ns, name);
    if (!pdb) return;
    const match = this.matcher(pdb);
    const pods = this.pods.list(ns).filter((p) => match(p.metadata.labels));
    if (!pods.length) this.ctx.events.event(this.source, pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: { expected: number; desired: number };
    try {
      counts = this.expectedPodCount(pdb, pods);
    } catch (err) {
      this.ctx.events.event(this.source, pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(err)}`);
      this.failSafe(pdb, errorMessage(err));
      return;
    }
    const now = this.ctx.clock.now();
    const { disrupted, recheckAt } = this.disruptedPods(pdb, pods, now);
    let healthy = 0;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      const t = parseTime(disrupted[p.metadata.name!]);
      if (t !== undefined && t + DELETION_TIMEOUT_MS > now) continue;
      if (isPodReady(p)) healthy++;
    }
    let allowed = healthy - counts.desired;
    if (counts.expected <= 0 || allowed <= 0) allowed = 0;
    const status: any = {
      observedGeneration: pdb.metadata.generation,
      disruptedPods: Object.keys(disrupted).length ? disrupted : undefined,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: counts.desired,
      expectedPods: counts.expected,
      conditions: allowedCondition(pdb, allowed > 0 ? ['True', 'SufficientPods', ''] : ['False', 'InsufficientPods', ''], now),
    };
    if (status.disruptedPods === undefined) delete status.disruptedPods;
    writeStatus(this.ctx.api, PDBS, pdb, status, this.pdbs);
    if (recheckAt !== undefined) this.queue.addAfter(key, recheckAt - now);
  }

  /** getExpectedPodCount: [expected pods, desired healthy]. */
  private expectedPodCount(pdb: KObject, pods: KObject[]): { expected: number; desired: number } {
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    if (maxUnavailable !== undefined && maxUnavailable !== null) {
      const expected = this.expectedScale(pdb, pods);
      return { expected, desired: Math.max(0, expected - scaledValueFromIntOrPercent(maxUnavailable, expected, true)) };
    }
    if (minAvailable !== undefined && minAvailable !== null) {
      if (!isPercent(minAvailable)) return { expected: pods.length, desired: Number(minAvailable) };
      const expected = this.expectedScale(pdb, pods);
      return { expected, desired: scaledValueFromIntOrPercent(minAvailable, expected, true) };
    }
    return { expected: 0, desired: 0 };
  }

  /** getExpectedScale: the summed scale of the pods' controllers; pods without one are reported, a controller of no known kind fails. */
  private expectedScale(pdb: KObject, pods: KObject[]): number {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata.name!);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const found = this.controllerScale(ref, pod.metadata.namespace);
      if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
      scales.set(found.uid, found.scale);
    }
    if (unmanaged.length) {
      this.ctx.events.event(this.source, pdb, 'Warning', 'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`);
    }
    let sum = 0;
    for (const s of scales.values()) sum += s;
    return sum;
  }

  /** The finders in upstream's order; each answers only for its kind, and only when the uid matches. */
  private controllerScale(ref: { kind: string; name: string; uid: string; apiVersion: string }, ns: string | undefined): { uid: string; scale: number } | undefined {
    const owned = (o: KObject | undefined) => (o && o.metadata.uid === ref.uid ? o : undefined);
    if (ref.kind === 'ReplicationController') {
      const rc = owned(this.rcs.get(ns, ref.name));
      return rc && { uid: rc.metadata.uid!, scale: rc.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
      const rs = owned(this.rss.get(ns, ref.name));
      if (!rs) return undefined;
      const top = getControllerOf(rs);
      if (top?.kind === 'Deployment') {
        const d = this.deployments.get(ns, top.name);
        return d && d.metadata.uid === top.uid ? { uid: d.metadata.uid!, scale: d.spec?.replicas ?? 1 } : undefined;
      }
      return { uid: rs.metadata.uid!, scale: rs.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet') {
      const sts = owned(this.statefulsets.get(ns, ref.name));
      return sts && { uid: sts.metadata.uid!, scale: sts.spec?.replicas ?? 1 };
    }
    // getScaleController: a built-in kind without a scale subresource says so (a DaemonSet's or a Job's pods).
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const noScale = NO_SCALE[`${group}/${ref.kind}`];
    if (noScale) throw new Error(`${noScale} does not implement the scale subresource`);
    return undefined;
  }

  /** buildDisruptedPodMap: evictions whose pod is still here, not yet deleting and within the timeout; and when to look again. */
  private disruptedPods(pdb: KObject, pods: KObject[], now: number): { disrupted: Record<string, string>; recheckAt?: number } {
    const prev: Record<string, string> = pdb.status?.disruptedPods ?? {};
    const disrupted: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      const at = prev[p.metadata.name!];
      if (at === undefined) continue;
      const due = (parseTime(at) ?? now) + DELETION_TIMEOUT_MS;
      if (due < now) {
        this.ctx.events.event(this.source, p, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);
        continue;
      }
      disrupted[p.metadata.name!] = at;
      if (recheckAt === undefined || due < recheckAt) recheckAt = due;
    }
    return { disrupted, recheckAt };
  }

  /** failSafe: no disruption allowed, and the condition says why. */
  private failSafe(pdb: KObject, message: string): void {
    const now = this.ctx.clock.now();
    const status = { ...(pdb.status ?? {}), disruptionsAllowed: 0, conditions: allowedCondition(pdb, ['False', 'SyncFailed', message], now) };
    writeStatus(this.ctx.api, PDBS, pdb, status, this.pdbs);
  }
}

/** apimeta.SetStatusCondition for DisruptionAllowed: the transition time moves only when the status flips. */
function allowedCondition(pdb: KObject, [status, reason, message]: [string, string, string], now: number): any[] {
  return withDisruptionAllowed(pdb.status?.conditions, pdb.metadata.generation, status, reason, message, formatTime(now));
}

/** A LabelSelector as Go's %v prints the pointer's struct, near enough for the event text. */
function selectorText(sel: any): string {
  const labels = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}: ${v},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}
