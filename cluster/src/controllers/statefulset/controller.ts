import type { Component, ComponentContext, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { CONTROLLERREVISIONS, PODS, PVCS, STATEFULSETS } from '../util/gvr.js';
import {
  createRevision, equalRevisionData, hashRevisionData, newRevision, revisionName, revisionPatch, sortRevisions, truncateHistory, updateRevisionNumber,
} from '../util/history.js';
import { deepCopy, formerController, getControllerOf } from '../util/owner.js';
import { isPodAvailable, isPodReady, nextAvailableIn } from '../util/pods.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { compileSelector } from '../util/selector.js';
import { errorMessage, isAlreadyExists, isNotFound, writeStatus } from '../util/write.js';
import { POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL, newClaim, newStatefulPod, ordinalOf, startOrdinal } from './identity.js';
import { claimObjects } from '../util/claim.js';

const COMPONENT = 'statefulset-controller';

/**
 * The StatefulSet controller: stable names `<set>-<n>`, created in order and
 * each waiting for its predecessor to be Running and Ready (OrderedReady) or
 * all at once (Parallel); scaled down from the highest ordinal; claims made
 * from volumeClaimTemplates before the pod and kept after it (Retain);
 * rolling updates from the highest ordinal down to the partition.
 */
export class StatefulSetController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  private readonly sets: ObjectCache;
  private readonly pods: ObjectCache;
  private readonly revisions: ObjectCache;
  private readonly pvcs: ObjectCache;

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.sets = informers.for(STATEFULSETS);
    this.pods = informers.for(PODS);
    this.revisions = informers.for(CONTROLLERREVISIONS);
    this.pvcs = informers.for(PVCS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(COMPONENT, `error syncing statefulset ${k}: ${errorMessage(err)}`));
    this.sets.onEvent((_t, s) => this.queue.add(keyOf(s.metadata.namespace, s.metadata.name!)));
    this.pods.onEvent((t, p, old) => {
      const ref = getControllerOf(p);
      // A pod that left its StatefulSet: that set syncs too (updatePod, controllerRefChanged).
      const left = formerController(this.sets, 'StatefulSet', old, p);
      if (left) this.queue.add(keyOf(left.metadata.namespace, left.metadata.name!));
      if (!ref) {
        // An orphan: every StatefulSet whose selector matches it may adopt it (addPod's getPodStatefulSets).
        if (t !== 'DELETED') this.enqueueMatching(p);
        return;
      }
      if (ref.kind !== 'StatefulSet') return;
      const key = keyOf(p.metadata.namespace, ref.name);
      this.queue.add(key);
    }, { controlledBy: 'StatefulSet' });
  }

  start(): void {
    for (const c of [this.sets, this.pods, this.revisions, this.pvcs]) c.start();
    for (const s of this.sets.list()) this.queue.add(keyOf(s.metadata.namespace, s.metadata.name!));
  }

  stop(): void {
    this.queue.stop();
  }

  private enqueueMatching(p: KObject): void {
    for (const s of this.sets.list(p.metadata.namespace)) {
      if (s.spec?.selector && compileSelector(s.spec.selector)(p.metadata.labels) && ordinalOf(s, p) >= 0) this.queue.add(keyOf(s.metadata.namespace, s.metadata.name!));
    }
  }

  private event(set: KObject, type: 'Normal' | 'Warning', reason: string, msg: string): void {
    this.ctx.events.event({ component: COMPONENT }, set, type, reason, msg);
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const cached = this.sets.get(ns, name);
    if (!cached) return;
    const set = deepCopy(cached);
    const match = compileSelector(set.spec?.selector);
    // getPodsForStatefulSet: ClaimPods with isMemberOf (a `<set>-<ordinal>` name); adoptOrphanRevisions by selector.
    const pods = claimObjects(this.ctx, PODS, this.pods, set, { match: (p) => match(p.metadata.labels) && ordinalOf(set, p) >= 0 });
    claimObjects(this.ctx, CONTROLLERREVISIONS, this.revisions, set, { match: (r) => match(r.metadata.labels), noRelease: true });
    const revs = this.revisions.ownedBy(set.metadata.uid!);
    const { current, update, collisionCount } = this.syncRevisions(set, revs);
    const status = this.updatePods(set, pods, current, update, key);
    status.collisionCount = collisionCount;
    const ordered: any = {};
    for (const k of ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision', 'collisionCount', 'availableReplicas']) {
      if (status[k] !== undefined) ordered[k] = status[k];
    }
    const live = new Set<string>([current.metadata.name!, update.metadata.name!]);
    for (const p of this.pods.ownedBy(set.metadata.uid!)) if (p.metadata.labels?.[REVISION_LABEL]) live.add(p.metadata.labels[REVISION_LABEL]);
    truncateHistory(this.ctx.api, this.revisions, this.revisions.ownedBy(set.metadata.uid!), live, set.spec?.revisionHistoryLimit ?? 10);
    writeStatus(this.ctx.api, STATEFULSETS, set, ordered, this.sets);
  }

  /** getStatefulSetRevisions: the current revision and the one matching today's template (created if new). */
  private syncRevisions(set: KObject, revs: KObject[]): { current: KObject; update: KObject; collisionCount: number } {
    const sorted = sortRevisions(revs);
    let collisionCount: number = set.status?.collisionCount ?? 0;
    const next = sorted.length ? (sorted[sorted.length - 1].revision ?? 0) + 1 : 1;
    const data = revisionPatch(set);
    const nameFor = (c: number) => revisionName(set.metadata.name!, hashRevisionData(data, c));
    const hash = hashRevisionData(data, collisionCount);
    const candidate = newRevision(set, data, next, hash, nameFor(collisionCount));
    const equal = sorted.filter((r) => equalRevisionData(r, candidate));
    let update: KObject;
    if (equal.length && equal[equal.length - 1] === sorted[sorted.length - 1]) update = equal[equal.length - 1];
    else if (equal.length) update = updateRevisionNumber(this.ctx.api, this.revisions, equal[equal.length - 1], next);
    else ({ cr: update, collisionCount } = createRevision(this.ctx.api, this.revisions, set, candidate, collisionCount, nameFor));
    const current = sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** Template of a stored revision, applied onto the set (ApplyRevision). */
  private setAt(set: KObject, rev: KObject): KObject {
    const t = deepCopy(rev.data?.spec?.template ?? set.spec.template);
    delete t.$patch;
    if (t.metadata?.creationTimestamp === null) delete t.metadata.creationTimestamp;
    return { ...set, spec: { ...set.spec, template: t } };
  }

  /** One pass of updateStatefulSet: returns the status to write. */
  private updatePods(set: KObject, pods: KObject[], current: KObject, update: KObject, key: string): any {
    const now = this.ctx.clock.now();
    const replicaCount = set.spec?.replicas ?? 1;
    const start = startOrdinal(set);
    const monotonic = (set.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const mrs = set.spec?.minReadySeconds ?? 0;
    const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = rolling ? set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0 : 0;
    const currentSet = this.setAt(set, current);
    const updateSet = this.setAt(set, update);

    const replicas: (KObject | undefined)[] = new Array(replicaCount).fill(undefined);
    const condemned: KObject[] = [];
    for (const p of pods) {
      const ord = ordinalOf(set, p);
      if (ord >= start && ord < start + replicaCount) replicas[ord - start] = p;
      else if (ord >= 0) condemned.push(p);
    }
    condemned.sort((a, b) => ordinalOf(set, a) - ordinalOf(set, b));
    const st = { replicas: 0, ready: 0, available: 0, current: 0, updated: 0 };
    // computeReplicaStatus: a terminating pod still counts as a replica, but at no revision.
    const count = (p: KObject) => {
      st.replicas++;
      if (isPodReady(p)) st.ready++;
      if (isPodAvailable(p, mrs, now)) st.available++;
      if (!p.metadata.deletionTimestamp) countRevision(p, 1);
    };
    const countRevision = (p: KObject, by: number) => {
      const rev = p.metadata.labels?.[REVISION_LABEL];
      if (rev === current.metadata.name) st.current += by;
      if (rev === update.metadata.name) st.updated += by;
    };
    for (const p of pods) count(p);
    const healthy = (p: KObject) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && isPodReady(p) && isPodAvailable(p, mrs, now);
    const buildStatus = () => {
      const s: any = { observedGeneration: set.metadata.generation, replicas: st.replicas };
      if (st.ready) s.readyReplicas = st.ready;
      if (st.current) s.currentReplicas = st.current;
      if (st.updated) s.updatedReplicas = st.updated;
      s.currentRevision = current.metadata.name;
      s.updateRevision = update.metadata.name;
      s.availableReplicas = st.available;
      // completeRollingUpdate: once every replica runs the update revision, it becomes current.
      if (rolling && s.updatedReplicas === replicaCount && s.readyReplicas === replicaCount && s.replicas === replicaCount) {
        s.currentReplicas = s.updatedReplicas;
        s.currentRevision = s.updateRevision;
      }
      const wait = nextAvailableIn(pods, mrs, now);
      if (wait !== undefined) this.queue.addAfter(key, wait);
      return s;
    };
    if (set.metadata.deletionTimestamp) return buildStatus();

    const newPod = (ord: number) => {
      // Below the partition, pods are recreated at the current revision.
      const useCurrent = rolling && ord < start + partition;
      return useCurrent && current !== update
        ? newStatefulPod(currentSet, current.metadata.name!, ord)
        : newStatefulPod(updateSet, update.metadata.name!, ord);
    };

    for (let i = 0; i < replicaCount; i++) {
      const ord = start + i;
      let p = replicas[i];
      if (p && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') && !p.metadata.deletionTimestamp) {
        this.deletePod(set, p);
        countRevision(p, -1);
        st.replicas--;
        replicas[i] = p = undefined;
        if (monotonic) return buildStatus();
      }
      if (!p) {
        const created = this.createPod(set, newPod(ord));
        if (created) count(created);
        if (monotonic) return buildStatus();
        continue;
      }
      // processReplica: a Pending pod gets the claims it lacks (one deleted under it, say), or it never schedules.
      if (p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp) this.createClaims(set, p);
      if (p.metadata.deletionTimestamp) {
        if (monotonic) return buildStatus();
        continue;
      }
      if (!healthy(p) && monotonic) return buildStatus();
      // Enforce the invariants: the pod's identity labels, and the owners the retention policy asks for today.
      this.fixIdentity(set, p);
      this.fixClaimOwners(set, p, false);
    }

    // Claims of condemned pods first get the owners scale-down asks for (whenScaled: Delete hands them to the pod).
    for (const p of condemned) this.fixClaimOwners(set, p, true);
    const firstUnhealthy = [...replicas, ...condemned].find((p) => p && !healthy(p));
    for (let t = condemned.length - 1; t >= 0; t--) {
      const p = condemned[t];
      if (p.metadata.deletionTimestamp) {
        if (monotonic) return buildStatus();
        continue;
      }
      if (!healthy(p) && monotonic && p !== firstUnhealthy) return buildStatus();
      this.deletePod(set, p);
      countRevision(p, -1);
      if (monotonic) return buildStatus();
    }

    if (!rolling) return buildStatus();
    for (let t = replicaCount - 1; t >= partition; t--) {
      const p = replicas[t];
      if (!p) continue;
      if (p.metadata.labels?.[REVISION_LABEL] !== update.metadata.name && !p.metadata.deletionTimestamp) {
        this.deletePod(set, p);
        countRevision(p, -1);
        return buildStatus();
      }
      if (!healthy(p)) return buildStatus();
    }
    return buildStatus();
  }

  /** createPersistentVolumeClaims: the pod's claims from the set's templates, those that do not exist yet. */
  private createClaims(set: KObject, pod: KObject): void {
    const ord = ordinalOf(set, pod);
    for (const tmpl of set.spec.volumeClaimTemplates ?? []) {
      const claim = newClaim(set, tmpl, ord);
      if (this.pvcs.get(claim.metadata.namespace, claim.metadata.name!)) continue;
      if ((set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain') === 'Delete') {
        claim.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }];
      }
      try {
        this.pvcs.upsert(this.ctx.api.create(PVCS, set.metadata.namespace, claim).object);
        this.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
      } catch (err) {
        if (!isAlreadyExists(err)) {
          this.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`);
          throw err;
        }
      }
    }
  }

  private createPod(set: KObject, pod: KObject): KObject | undefined {
    this.createClaims(set, pod);
    try {
      const created = this.ctx.api.create(PODS, set.metadata.namespace, pod).object;
      this.pods.upsert(created);
      this.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      this.ctx.log(COMPONENT, `StatefulSet ${set.metadata.namespace}/${set.metadata.name} created pod ${pod.metadata.name}`);
      return created;
    } catch (err) {
      if (isAlreadyExists(err)) return undefined;
      this.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`);
      throw err;
    }
  }

  /**
   * UpdateStatefulPod's identity part: a pod whose pod-name label is not its name (someone removed or changed it)
   * gets both identity labels back (updateIdentity), and the set says so.
   */
  private fixIdentity(set: KObject, p: KObject): void {
    if (p.metadata.labels?.[POD_NAME_LABEL] === p.metadata.name) return;
    const ordinal = ordinalOf(set, p);
    const next = deepCopy(p);
    next.metadata.labels = { ...(next.metadata.labels ?? {}), [POD_NAME_LABEL]: p.metadata.name!, [POD_INDEX_LABEL]: String(ordinal) };
    try {
      this.pods.upsert(this.ctx.api.update(PODS, p.metadata.namespace, next).object);
      this.event(set, 'Normal', 'SuccessfulUpdate', `update Pod ${p.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (err) {
      if (isNotFound(err)) return;
      this.event(set, 'Warning', 'FailedUpdate', `update Pod ${p.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`);
    }
  }

  private deletePod(set: KObject, p: KObject): void {
    try {
      const res = this.ctx.api.delete(PODS, p.metadata.namespace, p.metadata.name!);
      if (res?.metadata?.deletionTimestamp) this.pods.upsert(res);
      else this.pods.remove(p);
      this.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      this.ctx.log(COMPONENT, `StatefulSet ${set.metadata.namespace}/${set.metadata.name} deleted pod ${p.metadata.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /**
   * updateClaimOwnerRefForSetAndPod: a claim's owners follow persistentVolumeClaimRetentionPolicy as it is now.
   * whenDeleted: Delete makes the set the claim's controller (the garbage collector removes the claim with the
   * set); whenScaled: Delete makes a scaled-down pod its controller instead (the claim goes with the pod);
   * Retain drops the reference. Owners other than the set and the pod are kept.
   */
  private fixClaimOwners(set: KObject, pod: KObject, scaledDown: boolean): void {
    const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
    const whenDeleted = policy.whenDeleted ?? 'Retain';
    const whenScaled = policy.whenScaled ?? 'Retain';
    for (const tmpl of set.spec.volumeClaimTemplates ?? []) {
      const pvc = this.pvcs.get(set.metadata.namespace, newClaim(set, tmpl, ordinalOf(set, pod)).metadata.name!);
      if (!pvc) continue;
      const have: any[] = pvc.metadata.ownerReferences ?? [];
      const want = have.filter((r) => r.uid !== set.metadata.uid && r.uid !== pod.metadata.uid);
      const add = (ref: any) => {
        // A claim that already has another controller gets ours as a plain owner.
        if (want.some((r) => r.controller)) delete ref.controller;
        want.push(ref);
      };
      if (whenScaled === 'Delete' && scaledDown) add({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true });
      else if (whenDeleted === 'Delete') add({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true });
      const key = (r: any) => `${r.uid}/${!!r.controller}`;
      if (have.length === want.length && have.map(key).sort().join() === want.map(key).sort().join()) continue;
      const meta: any = { ...pvc.metadata };
      if (want.length) meta.ownerReferences = want;
      else delete meta.ownerReferences;
      this.pvcs.upsert(this.ctx.api.update(PVCS, pvc.metadata.namespace, { ...pvc, metadata: meta }).object);
    }
  }
}
