import type { Component, ComponentContext, EventSource, GVR, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { PODS } from '../util/gvr.js';
import { podsToDelete } from '../util/activepods.js';
import { formerController, getControllerOf } from '../util/owner.js';
import { isPodActive, isPodReady, nextAvailableIn } from '../util/pods.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import type { Matcher } from '../util/selector.js';
import { errorMessage, namespaceTerminating, isNotFound, podFromTemplate, sameJSON, writeStatus } from '../util/write.js';
import { calculateReplicaStatus, slowStartBatches } from './status.js';
import { PodCounts } from './tracker.js';

/** Upstream's burstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;

export interface ReplicaKind {
  /** Component name used for events and the log. */
  component: string;
  kind: string;
  apiVersion: string;
  gvr: GVR;
  selector(obj: KObject): Matcher;
}

/**
 * The replica manager shared by ReplicaSet and ReplicationController
 * (upstream runs RCs through the same code). `sync(key)` re-reads the object
 * and its pods from the caches, adopts matching orphans, creates or deletes
 * pods to reach spec.replicas, then writes status.
 */
export class ReplicaManager implements Component {
  readonly name: string;
  private readonly queue: WorkQueue;
  private readonly objs: ObjectCache;
  private readonly pods: ObjectCache;
  private readonly counts = new PodCounts();
  /** Objects that must take the full path next sync (an orphan may need adopting, or the selector changed). */
  private readonly needsClaim = new Set<string>();
  /**
   * Each object version's compiled selector and queue key (cached objects are immutable, so identity is a safe key).
   * Every event of one of its pods queues the key: one string kept with the object, where a `namespace/name` joined
   * for each event would be a new string to flatten and hash in the queue's set.
   */
  private readonly owners = new WeakMap<KObject, { match: Matcher; key: string }>();

  /** This controller as its Events' source (frozen: the recorder shares it). */
  private readonly source: EventSource;

  constructor(private readonly ctx: ComponentContext, informers: Informers, private readonly k: ReplicaKind) {
    this.source = Object.freeze({ component: k.component });
    this.name = k.component;
    this.objs = informers.for(k.gvr);
    this.pods = informers.for(PODS);
    // A ManageError was reported already (FailedCreate, ReplicaFailure): it is only retried, not logged again.
    this.queue = newQueue(ctx.clock, (key) => this.sync(key), (key, err) => { if (!(err instanceof ManageError)) ctx.log(k.component, `error syncing ${key}: ${errorMessage(err)}`); });
    this.objs.onEvent((t, o, old) => {
      if (t === 'DELETED') this.counts.forget(o.metadata.uid!);
      if (!old || old.metadata.generation !== o.metadata.generation) this.needsClaim.add(keyOf(o.metadata.namespace, o.metadata.name!));
      this.queue.add(keyOf(o.metadata.namespace, o.metadata.name!));
    });
    this.pods.onEvent((t, pod, old) => this.onPod(t, pod, old), { controlledBy: k.kind });
  }

  start(): void {
    this.objs.start();
    this.pods.start();
    for (const o of this.objs.list()) this.queue.add(keyOf(o.metadata.namespace, o.metadata.name!));
  }

  stop(): void {
    this.queue.stop();
  }

  private onPod(type: string, pod: KObject, old?: KObject): void {
    // A change that moves none of the counts (binding, container start before readiness, a status
    // echo) changes nothing a sync, or the tracked counts, would see.
    if (type === 'MODIFIED' && old && !countsDiffer(old, pod)) return;
    const ref = getControllerOf(pod);
    // A pod that left its controller (its reference removed or pointed elsewhere): the old owner syncs too, or it would
    // never hear that it lost a pod and make a replacement (upstream's updatePod, controllerRefChanged).
    const left = formerController(this.objs, this.k.kind, old, pod);
    if (left) {
      this.counts.forget(left.metadata.uid!);
      this.queue.add(this.ownerEntry(left).key);
    }
    if (ref) {
      if (ref.kind !== this.k.kind) return;
      const owner = this.objs.get(pod.metadata.namespace, ref.name);
      if (!owner || owner.metadata.uid !== ref.uid) {
        this.counts.forget(ref.uid);
        return;
      }
      // The owner was found under the pod's namespace and the reference's name: its key is theirs.
      const entry = this.ownerEntry(owner);
      this.counts.observe(type, pod, ref.uid, owner, entry.match(pod.metadata.labels));
      // The sync this triggers schedules the re-check for when a ready pod becomes available.
      this.queue.add(entry.key);
      return;
    }
    if (type === 'DELETED') return;
    // An orphan: any of ours whose selector matches may adopt it.
    for (const o of this.objs.list(pod.metadata.namespace)) {
      if (!this.matcher(o)(pod.metadata.labels)) continue;
      const key = keyOf(o.metadata.namespace, o.metadata.name!);
      this.needsClaim.add(key);
      this.queue.add(key);
    }
  }

  private matcher(o: KObject): Matcher {
    return this.ownerEntry(o).match;
  }

  private ownerEntry(o: KObject): { match: Matcher; key: string } {
    let e = this.owners.get(o);
    if (!e) this.owners.set(o, (e = { match: this.k.selector(o), key: keyOf(o.metadata.namespace, o.metadata.name!) }));
    return e;
  }

  sync(key: string): void {
    this.ctx.count(this.k.component, 'syncs');
    const [ns, name] = splitKey(key);
    const obj = this.objs.get(ns, name);
    if (!obj) return;
    const claim = this.needsClaim.delete(key);
    if (!claim && this.fastSync(obj)) return;
    try {
      this.fullSync(key, obj);
    } catch (err) {
      if (claim) this.needsClaim.add(key);
      throw err;
    }
  }

  private fullSync(key: string, obj: KObject): void {
    const match = this.matcher(obj);
    const pods = this.claimPods(obj, match);
    this.counts.rebuild(obj, pods);
    const active = pods.filter(isPodActive);
    let manageError: string | undefined;
    let fresh = active;
    if (!obj.metadata.deletionTimestamp) {
      const r = this.manageReplicas(obj, active);
      manageError = r.error;
      // Status counts what this sync made and removed (the caches will say the same once the watch catches up).
      if (r.created.length || r.deleted.size) fresh = [...active.filter((p) => !r.deleted.has(p)), ...r.created];
    }
    const now = this.ctx.clock.now();
    const status = calculateReplicaStatus(obj, fresh, obj.spec?.template?.metadata?.labels ?? {}, now, manageError);
    try {
      writeStatus(this.ctx.api, this.k.gvr, obj, status, this.objs);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    // Requeue to report availability once minReadySeconds passes.
    const wait = nextAvailableIn(fresh, obj.spec?.minReadySeconds ?? 0, now);
    if (wait !== undefined) this.queue.addAfter(key, wait);
    // A failed create or delete fails the sync, so the queue retries the key with back-off (syncReplicaSet returns it).
    if (manageError) throw new ManageError(manageError);
  }

  /**
   * The common case after a pod event: the right number of active pods, no
   * orphan seen since the last full sync, nothing time-dependent. Status comes from the running
   * counts; returns false whenever the full scan is needed.
   */
  private fastSync(obj: KObject): boolean {
    if (obj.metadata.deletionTimestamp || (obj.spec?.minReadySeconds ?? 0) > 0) return false;
    const c = this.counts.get(obj);
    if (!c || c.active !== (obj.spec?.replicas ?? 1)) return false;
    const status: any = { replicas: c.active };
    if (c.fully) status.fullyLabeledReplicas = c.fully;
    if (c.ready) status.readyReplicas = c.ready;
    if (c.ready) status.availableReplicas = c.ready;
    if (obj.metadata.generation) status.observedGeneration = obj.metadata.generation;
    const conds = (obj.status?.conditions ?? []).filter((x: any) => x.type !== 'ReplicaFailure');
    if (conds.length) status.conditions = conds;
    try {
      writeStatus(this.ctx.api, this.k.gvr, obj, status, this.objs);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return true;
  }

  /**
   * Pods this object controls, after adopting orphans whose labels match and
   * releasing owned pods whose labels no longer match (ClaimPods).
   */
  private claimPods(obj: KObject, match: Matcher): KObject[] {
    const ns = obj.metadata.namespace!;
    const uid = obj.metadata.uid!;
    const out: KObject[] = [];
    for (const p of this.pods.ownedBy(uid)) {
      if (match(p.metadata.labels)) out.push(p);
      else if (!obj.metadata.deletionTimestamp && !p.metadata.deletionTimestamp) this.release(p, uid);
    }
    if (obj.metadata.deletionTimestamp) return out;
    for (const p of this.pods.orphans(ns)) {
      if (p.metadata.deletionTimestamp || !match(p.metadata.labels)) continue;
      const adopted = this.adopt(p, obj);
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private adopt(pod: KObject, owner: KObject): KObject | undefined {
    const refs = [...(pod.metadata.ownerReferences ?? []), {
      apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true,
    }];
    try {
      const res = this.ctx.api.patch(PODS, pod.metadata.namespace, pod.metadata.name!, 'merge', { metadata: { ownerReferences: refs, uid: pod.metadata.uid } }).object;
      this.pods.upsert(res);
      return res;
    } catch {
      return undefined;
    }
  }

  private release(pod: KObject, uid: string): void {
    const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    try {
      const res = this.ctx.api.patch(PODS, pod.metadata.namespace, pod.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null } }).object;
      this.pods.upsert(res);
    } catch {
      /* gone already */
    }
  }

  /** Creates or deletes pods toward spec.replicas; returns what it did and the create/delete error to report, if any. */
  private manageReplicas(obj: KObject, active: KObject[]): { error?: string; created: KObject[]; deleted: Set<KObject> } {
    const out = { error: undefined as string | undefined, created: [] as KObject[], deleted: new Set<KObject>() };
    const want = obj.spec?.replicas ?? 1;
    const diff = active.length - want;
    const src = this.source;
    if (diff !== 0) {
      const what = diff < 0 ? `creating ${Math.min(-diff, BURST_REPLICAS)}` : `deleting ${Math.min(diff, BURST_REPLICAS)}`;
      this.ctx.log(this.k.component, `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name} has ${active.length}, wants ${want}: ${what} pod(s)`);
    }
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      const generateName = `${obj.metadata.name}-`;
      for (const batch of slowStartBatches(n)) {
        for (let i = 0; i < batch; i++) {
          const pod = podFromTemplate(obj.spec.template, obj, { generateName }, true);
          try {
            const created = this.ctx.api.create(PODS, obj.metadata.namespace, pod).object;
            this.pods.upsert(created);
            out.created.push(created);
            this.ctx.events.event(src, obj, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
            this.ctx.count(this.k.component, 'podsCreated');
          } catch (err) {
            // createPods records no event, and manageReplicas reports no error, when the namespace is going away.
            if (namespaceTerminating(err)) return out;
            const msg = errorMessage(err);
            this.ctx.events.event(src, obj, 'Warning', 'FailedCreate', `Error creating: ${msg}`);
            out.error = msg;
            return out;
          }
        }
      }
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(active, this.relatedPods(obj), n, this.ctx.clock.now());
      for (const v of victims) {
        try {
          const res = this.ctx.api.delete(PODS, v.metadata.namespace, v.metadata.name!);
          if (res?.metadata?.deletionTimestamp) this.pods.upsert(res);
          else this.pods.remove(v);
          out.deleted.add(v);
          this.ctx.events.event(src, obj, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`);
          this.ctx.count(this.k.component, 'podsDeleted');
        } catch (err) {
          if (isNotFound(err)) continue;
          const msg = errorMessage(err);
          this.ctx.events.event(src, obj, 'Warning', 'FailedDelete', `Error deleting: ${msg}`);
          out.error = msg;
          return out;
        }
      }
    }
    return out;
  }

  /** Pods of every object sharing our controller (a Deployment's ReplicaSets), for ranking victims. */
  private relatedPods(obj: KObject): KObject[] {
    const parent = getControllerOf(obj);
    if (!parent) return this.pods.ownedBy(obj.metadata.uid!);
    const out: KObject[] = [];
    for (const sib of this.objs.list(obj.metadata.namespace)) {
      if (getControllerOf(sib)?.uid === parent.uid) out.push(...this.pods.ownedBy(sib.metadata.uid!));
    }
    return out;
  }
}

/** Whether an update of a pod can change its owner's status or replica count. */
function countsDiffer(a: KObject, b: KObject): boolean {
  if (isPodActive(a) !== isPodActive(b) || isPodReady(a) !== isPodReady(b)) return true;
  if (!!a.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp) return true;
  if (a.metadata.labels !== b.metadata.labels && !sameJSON(a.metadata.labels ?? {}, b.metadata.labels ?? {})) return true;
  if (a.metadata.ownerReferences !== b.metadata.ownerReferences && !sameJSON(a.metadata.ownerReferences ?? [], b.metadata.ownerReferences ?? [])) return true;
  return false;
}

/** What a sync that could not create or delete pods throws: already reported (event, ReplicaFailure), so only retried. */
export class ManageError extends Error {}
