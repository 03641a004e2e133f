/** The numbers the UI shows: pods by phase, nodes Ready, and per-component counters (etcd and controller-manager derived here). */
import type { KObject, PlaygroundStats } from '../contract';
import type { Store } from '../store/store';

/**
 * Pod phases and Ready nodes, kept current from the store's commits so that
 * stats() stays O(1) in the number of pods (the UI polls it).
 */
export class ClusterCounts {
  readonly pods = { total: 0, running: 0, pending: 0, failed: 0, succeeded: 0 };
  readonly nodes = { total: 0, ready: 0 };

  constructor(store: Store) {
    for (const p of store.list('/pods')) this.pod(p, 1);
    for (const n of store.list('/nodes')) this.node(n, 1);
    store.commitHooks.push((table, prev, next) => {
      if (table === '/pods') {
        if (prev) this.pod(prev, -1);
        if (next) this.pod(next, 1);
      } else if (table === '/nodes') {
        if (prev) this.node(prev, -1);
        if (next) this.node(next, 1);
      }
    });
  }

  private pod(p: KObject, d: number): void {
    this.pods.total += d;
    const phase = p.status?.phase;
    if (phase === 'Running') this.pods.running += d;
    else if (phase === 'Pending') this.pods.pending += d;
    else if (phase === 'Failed') this.pods.failed += d;
    else if (phase === 'Succeeded') this.pods.succeeded += d;
  }

  private node(n: KObject, d: number): void {
    this.nodes.total += d;
    if ((n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')) this.nodes.ready += d;
  }
}

export function computeStats(
  store: Store,
  counts: ClusterCounts,
  counters: Record<string, Record<string, number>>,
  clock: { time: number; speed: number; paused: boolean },
): PlaygroundStats {
  const pods = { ...counts.pods };
  const nodes = { ...counts.nodes };
  let objects = 0;
  for (const id of store.tableIds()) objects += store.count(id);
  const components: Record<string, Record<string, number>> = {};
  for (const [c, m] of Object.entries(counters)) components[c] = { ...m };
  components.etcd = { objects, revision: store.rev };
  // The controller-manager is the sum of its controllers, as one process upstream.
  const cm: Record<string, number> = { syncs: 0 };
  for (const [c, m] of Object.entries(counters)) if (c.endsWith('-controller') && m.syncs) cm.syncs += m.syncs;
  components['kube-controller-manager'] = cm;
  return { ...clock, components, nodes, pods };
}
