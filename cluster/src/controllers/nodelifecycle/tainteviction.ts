/**
 * The taint eviction controller (taint-eviction-controller): pods on a node
 * with a NoExecute taint they do not tolerate are deleted at once; pods that
 * tolerate it for tolerationSeconds are deleted when that time has passed
 * since the taint's timeAdded (the DefaultTolerationSeconds admission gives
 * every pod 300 s for not-ready and unreachable). Removing the taint in time
 * cancels the eviction.
 */
import { indexPodsByNode, informerFor } from '../../runtime/informer';
import type { Component, ComponentContext, KObject, TimerHandle } from '../../contract';
import { tolerates } from '../../scheduler/filters';
import { GVRS, isoTime, objKey, ObjectCache } from '../../scheduler/watch';
import { observedGeneration } from '../util/pods';

const COMPONENT = 'taint-eviction-controller';
/** The nodes that carry a NoExecute taint, all under one value. */
const NO_EXECUTE_INDEX = 'taint-eviction:no-execute';
const NO_EXECUTE = 'tainted';
const TAINTED = [NO_EXECUTE];
const UNTAINTED: string[] = [];

/** How long the pod may stay: 0 = now, Infinity = forever (upstream getMinTolerationTime). */
export function evictionDelayMs(pod: KObject, taints: any[], now: number): number {
  let min = Infinity;
  for (const t of taints) {
    if (t.effect !== 'NoExecute') continue;
    const tols = (pod.spec?.tolerations ?? []).filter((x: any) => tolerates([x], t));
    if (!tols.length) return 0;
    for (const x of tols) {
      if (x.tolerationSeconds === undefined || x.tolerationSeconds === null) continue;
      const added = t.timeAdded ? Date.parse(t.timeAdded) : now;
      min = Math.min(min, Math.max(0, added + Math.max(0, x.tolerationSeconds) * 1000 - now));
    }
  }
  return min;
}

export class TaintEvictionController implements Component {
  readonly name = COMPONENT;
  private pods?: ObjectCache;
  private nodes?: ObjectCache;
  private pending = new Map<string, TimerHandle>();

  constructor(private ctx: ComponentContext) {}

  start(): void {
    this.nodes = new ObjectCache(this.ctx.api, GVRS.nodes, (t, n) => { if (t !== 'DELETED') this.syncNode(n); }).start();
    // The informer counts these nodes before any handler runs, so the count always agrees with the nodes a pod's
    // sync would look up.
    const nodes = informerFor(this.ctx, GVRS.nodes);
    nodes.addIndex(
      NO_EXECUTE_INDEX,
      (n) => ((n.spec?.taints ?? []).some((t: any) => t?.effect === 'NoExecute') ? TAINTED : UNTAINTED),
      (a, b) => a.spec?.taints === b.spec?.taints,
    );
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, (t, p) => {
      if (t === 'DELETED') return this.cancel(objKey(p), undefined);
      // No eviction pending and no NoExecute taint on any node: syncPod could neither start nor cancel one, so the
      // pod's node (the lookup of every pod write) is not needed.
      if (this.pending.size === 0 && nodes.countByIndex(NO_EXECUTE_INDEX, NO_EXECUTE) === 0) return;
      const node = p.spec?.nodeName ? this.nodes?.get(undefined, p.spec.nodeName) : undefined;
      if (node) this.syncPod(p, node);
    }).start();
    indexPodsByNode(this.ctx, GVRS.pods);
  }

  stop(): void {
    this.pods?.stop();
    this.nodes?.stop();
    for (const t of this.pending.values()) this.ctx.clock.clearTimer(t);
    this.pending.clear();
  }

  /** Nothing pending and no taints on the node: every syncPod would be a no-op (the common case, per pod write). */
  private idle(node: KObject): boolean {
    return this.pending.size === 0 && !node.spec?.taints?.length;
  }

  private syncNode(node: KObject): void {
    if (this.idle(node)) return;
    for (const p of this.pods?.byIndex('nodeName', node.metadata.name!) ?? []) this.syncPod(p, node);
  }

  private syncPod(pod: KObject, node: KObject): void {
    if (this.idle(node)) return;
    const key = objKey(pod);
    if (pod.metadata.deletionTimestamp) return this.cancel(key, undefined);
    const taints = (node.spec?.taints ?? []).filter((t: any) => t.effect === 'NoExecute');
    const delay = taints.length ? evictionDelayMs(pod, taints, this.ctx.clock.now()) : Infinity;
    if (delay === Infinity) return this.cancel(key, pod);
    if (this.pending.has(key)) return;
    const t = this.ctx.clock.setTimer(delay, () => { this.pending.delete(key); this.evict(pod); });
    this.pending.set(key, t);
  }

  private cancel(key: string, pod: KObject | undefined): void {
    const t = this.pending.get(key);
    if (t === undefined) return;
    this.ctx.clock.clearTimer(t);
    this.pending.delete(key);
    if (pod) this.ctx.events.event({ component: COMPONENT }, pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  private evict(pod: KObject): void {
    const ns = pod.metadata.namespace!, name = pod.metadata.name!;
    const key = `${ns}/${name}`;
    this.ctx.events.event({ component: COMPONENT }, pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      const cur = this.ctx.api.get(GVRS.pods, ns, name);
      if (cur.metadata.uid !== pod.metadata.uid || cur.metadata.deletionTimestamp) return;
      const conditions = [...(cur.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget'),
        { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(this.ctx.clock.now()), ...observedGeneration(cur), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }];
      this.ctx.api.patch(GVRS.pods, ns, name, 'merge', { status: { conditions } }, undefined, 'status');
      this.ctx.api.delete(GVRS.pods, ns, name, { preconditions: { uid: pod.metadata.uid } });
      this.ctx.log(COMPONENT, `evicted ${key} from tainted node ${pod.spec?.nodeName}`);
      this.ctx.count(COMPONENT, 'evicted');
    } catch { /* already gone */ }
  }
}
