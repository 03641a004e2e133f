import type { Component, ComponentContext, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../util/gvr.js';
import { getControllerOf, newControllerRef } from '../util/owner.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { compileSelector, isEmptySelector } from '../util/selector.js';
import { errorMessage, sameJSON } from '../util/write.js';
import { rollback, rollbackTo } from './rollback.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync.js';

export const COMPONENT = 'deployment-controller';

/**
 * The deployment controller. Queue of deployment keys; `syncDeployment`
 * re-reads the deployment, claims its ReplicaSets and picks the path as
 * upstream does: status only while deleting, scale while paused or on a
 * scaling event, rollback, else the strategy's rollout.
 */
export class DeploymentController implements Component {
  readonly name = COMPONENT;
  readonly queue: WorkQueue;
  readonly deployments: ObjectCache;
  readonly rss: ObjectCache;
  readonly pods: ObjectCache;

  constructor(readonly ctx: ComponentContext, informers: Informers) {
    this.deployments = informers.for(DEPLOYMENTS);
    this.rss = informers.for(REPLICASETS);
    this.pods = informers.for(PODS);
    this.queue = newQueue(ctx.clock, (k) => this.syncDeployment(k), (k, err) => ctx.log(COMPONENT, `error syncing deployment ${k}: ${errorMessage(err)}`));
    this.deployments.onEvent((_t, d) => this.enqueue(d));
    this.rss.onEvent((t, rs, old) => this.onReplicaSet(t, rs, old));
    this.pods.onEvent((t, pod) => {
      // Recreate waits for old pods to go away, so their deletion matters.
      if (t !== 'DELETED') return;
      const ref = getControllerOf(pod);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = this.rss.get(pod.metadata.namespace, ref.name);
      const dref = rs && getControllerOf(rs);
      if (dref?.kind === 'Deployment') this.queue.add(keyOf(pod.metadata.namespace, dref.name));
    }, { controlledBy: 'ReplicaSet', deletions: true });
  }

  start(): void {
    this.deployments.start();
    this.rss.start();
    this.pods.start();
    for (const d of this.deployments.list()) this.enqueue(d);
  }

  stop(): void {
    this.queue.stop();
  }

  now(): number {
    return this.ctx.clock.now();
  }

  enqueue(d: KObject): void {
    this.queue.add(keyOf(d.metadata.namespace, d.metadata.name!));
  }

  private onReplicaSet(type: string, rs: KObject, old?: KObject): void {
    const ref = getControllerOf(rs);
    if (ref) {
      if (ref.kind === 'Deployment') this.queue.add(keyOf(rs.metadata.namespace, ref.name));
      if (old && type === 'MODIFIED') {
        const oref = getControllerOf(old);
        if (oref && oref.uid !== ref.uid && oref.kind === 'Deployment') this.queue.add(keyOf(rs.metadata.namespace, oref.name));
      }
      return;
    }
    if (type === 'DELETED') return;
    for (const d of this.deployments.list(rs.metadata.namespace)) {
      if (compileSelector(d.spec?.selector)(rs.metadata.labels)) this.enqueue(d);
    }
  }

  syncDeployment(key: string): void {
    this.ctx.count(COMPONENT, 'syncs');
    const [ns, name] = splitKey(key);
    const cached = this.deployments.get(ns, name);
    if (!cached) return;
    // Only metadata and status are changed in place during a sync; spec stays the cached (frozen) one.
    const d: KObject = { ...cached, metadata: { ...cached.metadata, annotations: { ...(cached.metadata.annotations ?? {}) } } };
    if (!cached.metadata.annotations) delete d.metadata.annotations;
    if (isEmptySelector(d.spec?.selector)) {
      this.ctx.events.event({ component: COMPONENT }, d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        this.writeStatus(d, { ...(d.status ?? {}), observedGeneration: d.metadata.generation });
      }
      return;
    }
    const rsList = this.claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) return syncStatusOnly(this, d, rsList);
    checkPausedConditions(this, d);
    if (d.spec?.paused) return sync(this, d, rsList);
    if (rollbackTo(d) !== undefined) return rollback(this, d, rsList);
    if (isScalingEvent(this, d, rsList)) return sync(this, d, rsList);
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(this, d, rsList);
    return rolloutRolling(this, d, rsList);
  }

  /** ReplicaSets this deployment controls, adopting matching orphans and releasing mismatches. */
  private claimReplicaSets(d: KObject): KObject[] {
    const match = compileSelector(d.spec.selector);
    const out: KObject[] = [];
    for (const rs of this.rss.ownedBy(d.metadata.uid!)) {
      if (match(rs.metadata.labels)) out.push(rs);
      else if (!d.metadata.deletionTimestamp) this.setOwner(rs, (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid));
    }
    if (d.metadata.deletionTimestamp) return out;
    for (const rs of this.rss.orphans(d.metadata.namespace!)) {
      if (rs.metadata.deletionTimestamp || !match(rs.metadata.labels)) continue;
      const adopted = this.setOwner(rs, [...(rs.metadata.ownerReferences ?? []), newControllerRef(d)]);
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private setOwner(rs: KObject, refs: any[]): KObject | undefined {
    try {
      const res = this.ctx.api.patch(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null } }).object;
      this.rss.upsert(res);
      return res;
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the deployment's annotations (revision) and status, updating `d`
   * in place so later steps of the same sync compare against what is stored.
   */
  writeStatus(d: KObject, status: any): void {
    const stored = this.deployments.get(d.metadata.namespace, d.metadata.name!) ?? d;
    let cur = stored;
    const annotations = d.metadata.annotations;
    if (!sameJSON(stored.metadata.annotations ?? {}, annotations ?? {}) || !sameJSON(stored.status ?? {}, status)) {
      // Annotations ride along on the status update, as upstream's status strategy allows:
      // a main-resource update would bump generation.
      const body = (base: KObject) => ({ ...base, metadata: { ...base.metadata, annotations }, status });
      try {
        cur = this.ctx.api.update(DEPLOYMENTS, d.metadata.namespace, body(cur), undefined, 'status').object;
      } catch {
        cur = this.ctx.api.update(DEPLOYMENTS, d.metadata.namespace, body(this.ctx.api.get(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!)), undefined, 'status').object;
      }
      this.deployments.upsert(cur);
    }
    d.metadata = { ...cur.metadata, annotations: cur.metadata.annotations ? { ...cur.metadata.annotations } : undefined };
    if (!d.metadata.annotations) delete d.metadata.annotations;
    d.status = cur.status ?? status;
  }
}
