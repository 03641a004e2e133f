/** The numbers the UI shows: pods by phase, nodes Ready, and per-component counters (etcd and controller-manager derived here). */
import type { PlaygroundStats } from '../contract';
import type { Store } from '../store/store';

export function computeStats(
  store: Store,
  counters: Record<string, Record<string, number>>,
  clock: { time: number; speed: number; paused: boolean },
): PlaygroundStats {
  const pods = { total: 0, running: 0, pending: 0, failed: 0, succeeded: 0 };
  for (const p of store.list('/pods')) {
    pods.total++;
    const phase = p.status?.phase;
    if (phase === 'Running') pods.running++;
    else if (phase === 'Pending') pods.pending++;
    else if (phase === 'Failed') pods.failed++;
    else if (phase === 'Succeeded') pods.succeeded++;
  }
  const nodes = { total: 0, ready: 0 };
  for (const n of store.list('/nodes')) {
    nodes.total++;
    if ((n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')) nodes.ready++;
  }
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
