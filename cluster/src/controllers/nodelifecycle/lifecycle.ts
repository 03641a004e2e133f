/**
 * The node lifecycle controller (node-controller): it watches kubelet
 * heartbeats (the node's Lease and its Ready condition) and, when a node has
 * been silent longer than node-monitor-grace-period (50 s), sets its
 * conditions to Unknown, marks its pods not ready and taints it
 * node.kubernetes.io/unreachable. It also keeps the condition taints in step
 * (not-ready, unreachable, unschedulable) as TaintNodesByCondition does.
 */
import { indexPodsByNode } from '../../runtime/informer';
import type { Component, ComponentContext, KObject, TimerHandle } from '../../contract';
import { GVRS, isoTime, ObjectCache } from '../../scheduler/watch';

export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
const COMPONENT = 'node-controller';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const readyOf = (n: KObject) => (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');

export class NodeLifecycleController implements Component {
  readonly name = 'node-lifecycle-controller';
  private nodes?: ObjectCache;
  private leases?: ObjectCache;
  private pods?: ObjectCache;
  private timer?: TimerHandle;
  private registered = new Set<string>();

  constructor(private ctx: ComponentContext) {}

  start(): void {
    this.leases = new ObjectCache(this.ctx.api, GVRS.leases).start();
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods).start();
    indexPodsByNode(this.ctx, GVRS.pods);
    this.nodes = new ObjectCache(this.ctx.api, GVRS.nodes, (t, n) => {
      if (t === 'DELETED') {
        // monitorNodeHealth's deleted nodes: the controller forgets the node and says so.
        if (this.registered.delete(n.metadata.name!)) {
          this.ctx.events.event({ component: COMPONENT }, n, 'Normal', 'RemovingNode', `Node ${n.metadata.name} event: Removing Node ${n.metadata.name} from Controller`);
        }
        return;
      }
      if (!this.registered.has(n.metadata.name!)) {
        this.registered.add(n.metadata.name!);
        this.ctx.events.event({ component: COMPONENT }, n, 'Normal', 'RegisteredNode', `Node ${n.metadata.name} event: Registered Node ${n.metadata.name} in Controller`);
      }
      this.syncTaints(n);
    }).start();
    this.arm();
  }

  stop(): void {
    for (const c of [this.nodes, this.leases, this.pods]) c?.stop();
    if (this.timer !== undefined) this.ctx.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.ctx.clock.setTimer(NODE_MONITOR_PERIOD_MS, () => { this.monitor(); this.arm(); });
  }

  /** monitorNodeHealth: a node silent past the grace period goes Unknown. */
  monitor(): void {
    const now = this.ctx.clock.now();
    for (const node of this.nodes?.list() ?? []) {
      const ready = readyOf(node);
      if (!ready || ready.status === 'Unknown') continue;
      const lease = this.leases?.get('kube-node-lease', node.metadata.name!);
      const seen = Math.max(Date.parse(ready.lastHeartbeatTime ?? node.metadata.creationTimestamp), lease ? Date.parse(lease.spec?.renewTime ?? 0) : 0);
      if (now - seen <= NODE_MONITOR_GRACE_PERIOD_MS) continue;
      this.markUnknown(node, now);
    }
  }

  private markUnknown(node: KObject, now: number): void {
    const name = node.metadata.name!;
    const conditions = (node.status?.conditions ?? []).map((c: any) =>
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type)
        ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: isoTime(now) }
        : c);
    try {
      this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: { conditions } }, undefined, 'status');
    } catch { return; }
    this.ctx.events.event({ component: COMPONENT }, node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    this.ctx.log(COMPONENT, `node ${name} stopped posting status for over ${NODE_MONITOR_GRACE_PERIOD_MS / 1000}s: Ready=Unknown`);
    this.ctx.count(COMPONENT, 'nodesNotReady');
    // MarkPodsNotReady
    for (const pod of this.pods?.byIndex('nodeName', name) ?? []) {
      const conds = pod.status?.conditions ?? [];
      if (!conds.some((c: any) => c.type === 'Ready' && c.status === 'True')) continue;
      // Only Ready: ContainersReady stays as the (silent) kubelet last posted it, as upstream.
      const next = conds.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: isoTime(now) } : c));
      try {
        this.ctx.api.patch(GVRS.pods, pod.metadata.namespace, pod.metadata.name!, 'merge', { status: { conditions: next } }, undefined, 'status');
        this.ctx.events.event({ component: COMPONENT }, pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch { /* gone */ }
    }
  }

  /** The taints each node should carry for its conditions and spec.unschedulable. */
  private syncTaints(node: KObject): void {
    const ready = readyOf(node)?.status;
    const want: any[] = [];
    const now = isoTime(this.ctx.clock.now());
    if (ready === 'Unknown') want.push({ key: TAINT_UNREACHABLE, effect: 'NoSchedule' }, { key: TAINT_UNREACHABLE, effect: 'NoExecute' });
    if (ready === 'False') want.push({ key: TAINT_NOT_READY, effect: 'NoSchedule' }, { key: TAINT_NOT_READY, effect: 'NoExecute' });
    if (node.spec?.unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
    const managed = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY, TAINT_UNSCHEDULABLE]);
    const cur: any[] = node.spec?.taints ?? [];
    const same = (a: any, b: any) => a.key === b.key && a.effect === b.effect;
    const keep = cur.filter((t) => !managed.has(t.key) || want.some((w) => same(w, t)));
    // SwapNodeControllerTaint stamps every taint it adds, NoSchedule ones included.
    const add = want.filter((w) => !cur.some((t) => same(t, w))).map((w) => ({ ...w, timeAdded: now }));
    if (!add.length && keep.length === cur.length) return;
    const taints = [...keep, ...add];
    try {
      this.ctx.api.patch(GVRS.nodes, undefined, node.metadata.name!, 'merge', { spec: { taints: taints.length ? taints : null } });
      this.ctx.log(COMPONENT, `node ${node.metadata.name}: taints now [${taints.map((t) => `${t.key}:${t.effect}`).join(', ')}]`);
    } catch { /* node gone or changed; the next event resyncs */ }
  }
}
