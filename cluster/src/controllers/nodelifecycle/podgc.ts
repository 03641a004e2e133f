/**
 * The pod garbage collector (pod-garbage-collector), two of its rules, each
 * marking the pod Failed before a force delete (markFailedAndDeletePod), so
 * that controllers waiting for a terminal phase (a Job's tracking finalizer)
 * see one:
 * - orphans: a pod bound to a node that no longer exists, after a 40 s
 *   quarantine, with the DisruptionTarget condition upstream sets;
 * - unscheduled and terminating: a pod deleted before it was bound that a
 *   finalizer still holds;
 * - terminating on an out-of-service node (gcTerminating): a pod being
 *   deleted whose node is not Ready and carries the
 *   `node.kubernetes.io/out-of-service` taint, the non-graceful node
 *   shutdown recovery. Upstream finds these on its 20 s pass; here the taint
 *   or the deletion triggers the check at once.
 */
import { indexPodsByNode } from '../../runtime/informer';
import type { Component, ComponentContext, KObject, TimerHandle } from '../../contract';
import { GVRS, isoTime, objKey, ObjectCache } from '../../scheduler/watch';
import { observedGeneration } from '../util/pods';

const COMPONENT = 'pod-garbage-collector';
const terminal = (p: KObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';
/** Not Ready (nodeutil.IsNodeReady is false) and tainted out of service: its terminating pods may go. */
const outOfService = (n: KObject) =>
  !(n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') && (n.spec?.taints ?? []).some((t: any) => t?.key === TAINT_OUT_OF_SERVICE);
export const QUARANTINE_MS = 40_000;

export class PodGCController implements Component {
  readonly name = COMPONENT;
  private pods?: ObjectCache;
  private nodes?: ObjectCache;
  private timers = new Map<string, TimerHandle>();
  /**
   * Pods whose quarantine ended with the pod kept and its node still gone (the force delete failed): only a later
   * write of theirs arms it again, so while any is left no write is passed over (see `start`).
   */
  private unarmed = new Set<string>();

  constructor(private ctx: ComponentContext) {}

  start(): void {
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, (t, p, old) => {
      if (t === 'DELETED') {
        if (this.unarmed.size) this.unarmed.delete(objKey(p));
        return;
      }
      // A write that keeps the pod's node and deletes nothing (a status write, most of them) would find what the
      // check of the version before it left: its node there, or its quarantine armed (a node's deletion arms it for
      // every pod on the node). That holds until a quarantine ends with the pod kept, the one case a write re-arms.
      if (old && this.unarmed.size === 0 && old.spec?.nodeName === p.spec?.nodeName && !p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return;
      this.check(p);
    }).start();
    indexPodsByNode(this.ctx, GVRS.pods);
    this.nodes = new ObjectCache(this.ctx.api, GVRS.nodes, (t, n) => {
      if (t === 'DELETED' || outOfService(n)) for (const p of this.pods?.byIndex('nodeName', n.metadata.name!) ?? []) this.check(p);
    }).start();
  }

  stop(): void {
    this.pods?.stop();
    this.nodes?.stop();
    for (const t of this.timers.values()) this.ctx.clock.clearTimer(t);
    this.timers.clear();
    this.unarmed.clear();
  }

  private check(pod: KObject): void {
    const node = pod.spec?.nodeName;
    if (!node) {
      if (pod.metadata.deletionTimestamp && !terminal(pod)) this.markFailedAndDelete(pod, undefined);
      return;
    }
    const n = this.nodes?.get(undefined, node);
    if (n && pod.metadata.deletionTimestamp && outOfService(n)) {
      // Done already: Failed, and deleted with no grace (a finalizer may still hold it).
      if (terminal(pod) && pod.metadata.deletionGracePeriodSeconds === 0) return;
      if (this.markFailedAndDelete(pod, undefined)) this.ctx.log(COMPONENT, `force-deleted terminating pod ${objKey(pod)} on out-of-service node ${node}`);
      return;
    }
    // A pod on a node that exists (nearly every write) needs no key: it is joined only for the quarantine's timer.
    if (n) return;
    const key = objKey(pod);
    if (this.timers.has(key)) return;
    this.unarmed.delete(key);
    this.timers.set(key, this.ctx.clock.setTimer(QUARANTINE_MS, () => {
      this.timers.delete(key);
      if (this.nodes?.get(undefined, node)) return;
      if (this.markFailedAndDelete(pod, { reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' })) {
        this.ctx.log(COMPONENT, `force-deleted orphaned pod ${key} (node ${node} no longer exists)`);
      } else this.unarmed.add(key);
    }));
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and the condition, if any) unless already terminal, then a delete with no grace. */
  private markFailedAndDelete(pod: KObject, cond: { reason: string; message: string } | undefined): boolean {
    const ns = pod.metadata.namespace!, name = pod.metadata.name!;
    try {
      const cur = this.ctx.api.get(GVRS.pods, ns, name);
      if (cur.metadata.uid !== pod.metadata.uid) return false;
      if (!terminal(cur)) {
        const status: any = { phase: 'Failed' };
        if (cond) {
          status.conditions = [...(cur.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget'),
            { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(this.ctx.clock.now()), ...observedGeneration(cur), ...cond }];
        }
        this.ctx.api.patch(GVRS.pods, ns, name, 'merge', { status }, undefined, 'status');
      }
      this.ctx.api.delete(GVRS.pods, ns, name, { gracePeriodSeconds: 0 });
      return true;
    } catch {
      return false; // gone
    }
  }
}
