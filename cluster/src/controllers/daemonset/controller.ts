import type { Component, ComponentContext, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { CONTROLLERREVISIONS, DAEMONSETS, NODES, PODS } from '../util/gvr.js';
import { computeHash } from '../util/hash.js';
import { CR_HASH_LABEL, createRevision, equalRevisionData, newRevision, revisionPatch, sortRevisions, truncateHistory, updateRevisionNumber } from '../util/history.js';
import { deepCopy, formerController, getControllerOf } from '../util/owner.js';
import { isPodAvailable, isPodReady, nextAvailableIn } from '../util/pods.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { compileSelector } from '../util/selector.js';
import { parseTime } from '../util/time.js';
import { errorMessage, namespaceTerminating, isNotFound, podFromTemplate, sameJSON, writeStatus } from '../util/write.js';
import { slowStartBatches } from '../replicaset/status.js';
import { daemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeName } from './predicates.js';
import { REVISION_LABEL, rollingUpdatePlan, updateBudgets } from './update.js';
import { templateGeneration } from '../../apiserver/strategy.js';
import { claimObjects } from '../util/claim.js';

const COMPONENT = 'daemonset-controller';
const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
const FAILED_BACKOFF_MS = 1000;
const MAX_FAILED_BACKOFF_MS = 15 * 60_000;

const byAge = (a: KObject, b: KObject): number =>
  (parseTime(a.metadata.creationTimestamp) ?? 0) - (parseTime(b.metadata.creationTimestamp) ?? 0) || (a.metadata.name! < b.metadata.name! ? -1 : 1);

/**
 * The DaemonSet controller: one pod per eligible node. Pods are not bound
 * here: each is pinned to its node by required node affinity
 * (matchFields metadata.name) and the scheduler binds it, as upstream.
 */
export class DaemonSetController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  private readonly dss: ObjectCache;
  private readonly pods: ObjectCache;
  private readonly nodes: ObjectCache;
  private readonly revisions: ObjectCache;
  /** Back-off per DaemonSet and node after deleting a failed pod (the kubelet may keep rejecting it). */
  private readonly failedBackoff = new Map<string, { delay: number; last: number }>();
  /** Bumped on node changes that matter; eligibility is cached per DaemonSet version and this. */
  private nodesVersion = 0;
  private readonly eligCache = new WeakMap<KObject, { version: number; elig: Map<string, [boolean, boolean]> }>();
  /**
   * The daemon pods by node as this sync last listed them, at that version of the pod cache. A sync lists them three
   * times (manage, rollingUpdate, updateDaemonSetStatus, as upstream's syncDaemonSet does); a step that wrote nothing
   * leaves the list as it was, so the next step takes it instead of walking every pod again.
   */
  private byNodeMemo?: { version: number; byNode: Map<string, KObject[]> };

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.dss = informers.for(DAEMONSETS);
    this.pods = informers.for(PODS);
    this.nodes = informers.for(NODES);
    this.revisions = informers.for(CONTROLLERREVISIONS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(COMPONENT, `error syncing daemonset ${k}: ${errorMessage(err)}`));
    this.dss.onEvent((_t, d) => this.queue.add(keyOf(d.metadata.namespace, d.metadata.name!)));
    this.pods.onEvent((t, p, old) => {
      const ref = getControllerOf(p);
      // A pod that left its DaemonSet: that set syncs too (updatePod, controllerRefChanged).
      const left = formerController(this.dss, 'DaemonSet', old, p);
      if (left) this.queue.add(keyOf(left.metadata.namespace, left.metadata.name!));
      if (!ref && t !== 'DELETED') {
        // An orphan: every DaemonSet whose selector matches it may adopt it (addPod's getDaemonSetsForPod).
        for (const d of this.dss.list(p.metadata.namespace)) {
          if (compileSelector(d.spec?.selector)(p.metadata.labels)) this.queue.add(keyOf(d.metadata.namespace, d.metadata.name!));
        }
        return;
      }
      if (ref?.kind !== 'DaemonSet') return;
      if (t === 'MODIFIED' && old && !podChangeMatters(old, p)) return;
      this.queue.add(keyOf(p.metadata.namespace, ref.name));
    }, { controlledBy: 'DaemonSet' });
    this.nodes.onEvent((t, n, old) => {
      if (t === 'MODIFIED' && old && !nodeChangeMatters(old, n)) return;
      this.nodesVersion++;
      this.enqueueAll();
    });
  }

  start(): void {
    for (const c of [this.dss, this.pods, this.nodes, this.revisions]) c.start();
    this.enqueueAll();
  }

  stop(): void {
    this.queue.stop();
  }

  private enqueueAll(): void {
    for (const d of this.dss.list()) this.queue.add(keyOf(d.metadata.namespace, d.metadata.name!));
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const cached = this.dss.get(ns, name);
    if (!cached) return;
    const ds = deepCopy(cached);
    const now = this.ctx.clock.now();
    const { hash, collisionCount } = this.constructHistory(ds);
    const elig = this.eligibility(cached);
    this.byNodeMemo = undefined;
    try {
      if (!ds.metadata.deletionTimestamp) {
        this.manage(ds, hash, key, now, elig);
        if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') this.rollingUpdate(ds, hash, now, elig);
        this.cleanupHistory(ds, hash);
      }
      this.updateStatus(ds, hash, collisionCount, now, key, elig);
    } finally {
      this.byNodeMemo = undefined;
    }
  }

  /** [shouldRun, shouldContinueRunning] per node, sorted by name: evaluated once per sync. */
  private eligibility(ds: KObject): Map<string, [boolean, boolean]> {
    const cached = this.eligCache.get(ds);
    if (cached && cached.version === this.nodesVersion) return cached.elig;
    const elig = this.computeEligibility(ds);
    this.eligCache.set(ds, { version: this.nodesVersion, elig });
    return elig;
  }

  private computeEligibility(ds: KObject): Map<string, [boolean, boolean]> {
    const out = new Map<string, [boolean, boolean]>();
    const nodes = this.nodes.list().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const tols = daemonTolerations(ds.spec?.template?.spec);
    for (const n of nodes) out.set(n.metadata.name!, nodeShouldRunDaemonPod(n, ds, tols));
    return out;
  }

  /**
   * Daemon pods by target node (getNodesToDaemonPods without deleted terminal pods): those still terminating are
   * listed, as they still hold their node.
   */
  private podsByNode(ds: KObject): Map<string, KObject[]> {
    const memo = this.byNodeMemo;
    // A copy: rollingUpdate edits its map (the lists it leaves as they are).
    if (memo && memo.version === this.pods.version) return new Map(memo.byNode);
    const match = compileSelector(ds.spec?.selector);
    const out = new Map<string, KObject[]>();
    // getDaemonPods: ClaimPods adopts matching orphans and releases pods relabelled out of the selector.
    const claim = { match: (o: KObject) => match(o.metadata.labels), wrote: false };
    for (const p of claimObjects(this.ctx, PODS, this.pods, ds, claim)) {
      if (p.metadata.deletionTimestamp && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')) continue;
      const n = targetNodeName(p);
      if (!n) continue;
      const list = out.get(n);
      if (list) list.push(p);
      else out.set(n, [p]);
    }
    if (claim.wrote) return out;
    this.byNodeMemo = { version: this.pods.version, byNode: out };
    return new Map(out);
  }

  private manage(ds: KObject, hash: string, key: string, now: number, elig: Map<string, [boolean, boolean]>): void {
    const byNode = this.podsByNode(ds);
    const create: string[] = [];
    const del: KObject[] = [];
    const surge = updateBudgets(ds, 1).maxSurge > 0;
    for (const [n, [shouldRun, shouldContinue]] of elig) {
      // podsShouldBeOnNode: a pod still terminating counts as the node's daemon pod (only one both deleted and
      // terminal is gone), so no replacement starts beside it unless the DaemonSet surges.
      const all = byNode.get(n) ?? [];
      if (shouldRun && all.length === 0) {
        create.push(n);
      } else if (shouldContinue) {
        const running: KObject[] = [];
        for (const p of all) {
          if (p.metadata.deletionTimestamp) continue;
          if (p.status?.phase === 'Failed') {
            const bk = `${ds.metadata.uid}/${n}`;
            const b = this.failedBackoff.get(bk);
            if (b && now - b.last < b.delay) {
              this.queue.addAfter(key, b.delay - (now - b.last));
              continue;
            }
            this.failedBackoff.set(bk, { delay: b ? Math.min(b.delay * 2, MAX_FAILED_BACKOFF_MS) : FAILED_BACKOFF_MS, last: now });
            this.ctx.events.event({ component: COMPONENT }, ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${n}, will try to kill it`);
            del.push(p);
          } else if (p.status?.phase === 'Succeeded') del.push(p);
          else running.push(p);
        }
        if (!surge && running.length > 1) del.push(...running.sort(byAge).slice(1));
        // Surging, the node needs at least one pod that is not being deleted.
        if (surge && running.length === 0 && shouldRun) create.push(n);
        if (surge && running.length > 2) del.push(...running.sort(byAge).slice(2));
      } else {
        del.push(...all.filter((p) => !p.metadata.deletionTimestamp));
      }
    }
    this.syncNodes(ds, del, create, hash);
  }

  private syncNodes(ds: KObject, del: KObject[], create: string[], hash: string): void {
    const src = { component: COMPONENT };
    if (create.length || del.length) {
      this.ctx.log(COMPONENT, `DaemonSet ${ds.metadata.namespace}/${ds.metadata.name}: creating ${create.length} pod(s), deleting ${del.length}`);
    }
    const template = deepCopy(ds.spec.template);
    template.spec.tolerations = daemonTolerations(template.spec);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [REVISION_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(templateGeneration(ds)) } };
    let i = 0;
    outer: for (const batch of slowStartBatches(create.length)) {
      for (let j = 0; j < batch; j++, i++) {
        const pod = podFromTemplate(template, ds, { generateName: `${ds.metadata.name}-` });
        pod.spec.affinity = pinToNode(pod.spec.affinity, create[i]);
        try {
          const created = this.ctx.api.create(PODS, ds.metadata.namespace, pod).object;
          this.pods.upsert(created);
          this.ctx.events.event(src, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (err) {
          if (!namespaceTerminating(err)) this.ctx.events.event(src, ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
          break outer;
        }
      }
    }
    for (const p of del) {
      try {
        const res = this.ctx.api.delete(PODS, p.metadata.namespace, p.metadata.name!);
        if (res?.metadata?.deletionTimestamp) this.pods.upsert(res);
        else this.pods.remove(p);
        this.ctx.events.event(src, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private rollingUpdate(ds: KObject, hash: string, now: number, elig: Map<string, [boolean, boolean]>): void {
    let desired = 0;
    for (const [run] of elig.values()) if (run) desired++;
    const { maxSurge, maxUnavailable } = updateBudgets(ds, desired);
    const byNode = this.podsByNode(ds);
    for (const n of [...byNode.keys()]) if (!elig.get(n)?.[1]) byNode.delete(n);
    for (const [n, [run]] of elig) if (run && !byNode.has(n)) byNode.set(n, []);
    const plan = rollingUpdatePlan(byNode, hash, maxSurge, maxUnavailable, ds.spec?.minReadySeconds ?? 0, now);
    if (plan.deletePods.length || plan.createOn.length) this.syncNodes(ds, plan.deletePods, plan.createOn, hash);
  }

  /** The revision for today's template (created, or an older equal one renumbered); returns its hash. */
  private constructHistory(ds: KObject): { hash: string; collisionCount: number } {
    // controlledHistories: ClaimControllerRevisions by the selector.
    const match = compileSelector(ds.spec?.selector);
    const revs = sortRevisions(claimObjects(this.ctx, CONTROLLERREVISIONS, this.revisions, ds, { match: (r) => match(r.metadata.labels) }));
    let collisionCount: number = ds.status?.collisionCount ?? 0;
    const data = revisionPatch(ds);
    const next = revs.length ? (revs[revs.length - 1].revision ?? 0) + 1 : 1;
    const probe = { metadata: { name: '' }, data } as unknown as KObject;
    const equal = revs.filter((r) => equalRevisionData(r, probe));
    if (equal.length) {
      const cur = equal[equal.length - 1];
      if (cur !== revs[revs.length - 1]) updateRevisionNumber(this.ctx.api, this.revisions, cur, next);
      return { hash: cur.metadata.labels?.[REVISION_LABEL] ?? cur.metadata.labels?.[CR_HASH_LABEL] ?? '', collisionCount };
    }
    const hashFor = (c: number) => computeHash(ds.spec.template, c);
    const hash = hashFor(collisionCount);
    const cr = newRevision(ds, data, next, hash, `${ds.metadata.name}-${hash}`);
    delete cr.metadata.labels![CR_HASH_LABEL];
    cr.metadata.labels![REVISION_LABEL] = hash;
    const res = createRevision(this.ctx.api, this.revisions, ds, cr, collisionCount, (c) => `${ds.metadata.name}-${hashFor(c)}`);
    return { hash: res.cr.metadata.labels?.[REVISION_LABEL] ?? hash, collisionCount: res.collisionCount };
  }

  private cleanupHistory(ds: KObject, hash: string): void {
    const live = new Set<string>();
    for (const r of this.revisions.ownedBy(ds.metadata.uid!)) {
      const h = r.metadata.labels?.[REVISION_LABEL];
      if (h === hash || this.pods.ownedBy(ds.metadata.uid!).some((p) => p.metadata.labels?.[REVISION_LABEL] === h)) live.add(r.metadata.name!);
    }
    truncateHistory(this.ctx.api, this.revisions, this.revisions.ownedBy(ds.metadata.uid!), live, ds.spec?.revisionHistoryLimit ?? 10);
  }

  private updateStatus(ds: KObject, hash: string, collisionCount: number, now: number, key: string, elig: Map<string, [boolean, boolean]>): void {
    const byNode = this.podsByNode(ds);
    const mrs = ds.spec?.minReadySeconds ?? 0;
    let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    for (const [name, [shouldRun]] of elig) {
      // updateDaemonSetStatus counts a terminating pod too, and judges the node by its oldest pod.
      const pods = byNode.get(name) ?? [];
      if (!shouldRun) {
        if (pods.length) misscheduled++;
        continue;
      }
      desired++;
      if (!pods.length) continue;
      current++;
      const p = pods.sort(byAge)[0];
      if (isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, mrs, now)) available++;
      }
      // IsPodUpdated: the pod has the revision's hash, or the DaemonSet's template generation.
      if (p.metadata.labels?.[REVISION_LABEL] === hash || p.metadata.labels?.[TEMPLATE_GENERATION_LABEL] === String(templateGeneration(ds))) updated++;
    }
    const s: any = { currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready };
    if (ds.metadata.generation) s.observedGeneration = ds.metadata.generation;
    if (updated) s.updatedNumberScheduled = updated;
    if (available) s.numberAvailable = available;
    if (desired - available) s.numberUnavailable = desired - available;
    if (collisionCount) s.collisionCount = collisionCount;
    writeStatus(this.ctx.api, DAEMONSETS, ds, s, this.dss);
    const wait = nextAvailableIn([...byNode.values()].flat(), mrs, now);
    if (wait !== undefined) this.queue.addAfter(key, wait);
  }
}

/** Heartbeats (condition times, resource usage) do not change where daemon pods belong. */
function nodeChangeMatters(a: KObject, b: KObject): boolean {
  if (!sameJSON(a.metadata.labels ?? {}, b.metadata.labels ?? {})) return true;
  if (!sameJSON(a.spec?.taints ?? [], b.spec?.taints ?? []) || !!a.spec?.unschedulable !== !!b.spec?.unschedulable) return true;
  const conds = (n: KObject) => (n.status?.conditions ?? []).map((c: any) => `${c.type}=${c.status}`).sort().join(',');
  return conds(a) !== conds(b);
}

/** Pod updates that can change a DaemonSet's decisions or status. */
function podChangeMatters(a: KObject, b: KObject): boolean {
  return a.status?.phase !== b.status?.phase || isPodReady(a) !== isPodReady(b) || !!a.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp ||
    a.spec?.nodeName !== b.spec?.nodeName || !sameJSON(a.metadata.labels ?? {}, b.metadata.labels ?? {});
}
