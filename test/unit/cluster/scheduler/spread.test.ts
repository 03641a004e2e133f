import * as assert from 'assert';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * PodTopologySpread with a pod's own topologySpreadConstraints, on the kind layout (a tainted control-plane node and
 * three workers).
 */
describe('scheduler: topology spread constraints', () => {
  let pg: KubePlayground;
  afterEach(() => pg?.close());

  const deploy = (name: string, replicas: number, spread: any[], labels: Record<string, string> = { app: name }) => {
    pg.apply(JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { topologySpreadConstraints: spread, containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
    }));
  };
  const placed = (app: string) => {
    const by: Record<string, number> = {};
    for (const p of pg.store.list('/pods', 'default')) if (p.metadata.labels?.app === app) by[p.spec.nodeName ?? 'Pending'] = (by[p.spec.nodeName ?? 'Pending'] ?? 0) + 1;
    return by;
  };
  const failures = () => new Set([...pg.store.list('/events')].filter((e) => e.reason === 'FailedScheduling').map((e) => e.message));
  const hostSpread = (extra: any = {}) => [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra }];

  it('counts the tainted control-plane node as an empty domain, as upstream does (kubernetes#116118): 3 of 7 pods run', () => {
    pg = new KubePlayground({ seed: 3 });
    deploy('web', 7, hostSpread());
    pg.runUntil(() => false, 30_000);
    assert.deepStrictEqual(placed('web'), { 'kubeplay-worker': 1, 'kubeplay-worker2': 1, 'kubeplay-worker3': 1, Pending: 4 });
    assert.ok(failures().has("0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 node(s) didn't match pod topology spread constraints. no new claims to deallocate, preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."), [...failures()].join('\n'));
  });

  it('spreads 3/2/2 when the constraint honors taints, and holds to minDomains', () => {
    pg = new KubePlayground({ seed: 3 });
    deploy('web', 7, hostSpread({ nodeTaintsPolicy: 'Honor' }));
    pg.runUntil(() => false, 30_000);
    const by = placed('web');
    assert.deepStrictEqual(Object.values(by).sort(), [2, 2, 3], JSON.stringify(by));
    pg.close();
    // Fewer domains (3) than minDomains (5): the smallest counts as 0, so each node takes one pod.
    pg = new KubePlayground({ seed: 3 });
    deploy('web', 5, hostSpread({ nodeTaintsPolicy: 'Honor', minDomains: 5 }));
    pg.runUntil(() => false, 30_000);
    assert.deepStrictEqual(placed('web').Pending, 2);
  });

  it('refuses nodes without the topology key, which nothing can fix', () => {
    pg = new KubePlayground({ seed: 3 });
    deploy('web', 1, [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }]);
    pg.runUntil(() => false, 20_000);
    assert.deepStrictEqual(placed('web'), { Pending: 1 });
    assert.ok([...failures()].some((m) => m.includes("3 node(s) didn't match pod topology spread constraints (missing required label). no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.")), [...failures()].join('\n'));
  });

  it('scores ScheduleAnyway constraints by the pods they select, and counts only the pod\'s namespace', () => {
    pg = new KubePlayground({ seed: 3 });
    // Three db pods on the first worker.
    for (let i = 0; i < 3; i++) {
      pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `db-${i}`, labels: { app: 'db' } }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KObject);
    }
    deploy('web', 4, [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'db' } } }]);
    pg.runUntil(() => false, 30_000);
    // Web keeps away from the db pods' node (the system default would have spread it over all three).
    assert.strictEqual(placed('web')['kubeplay-worker'], undefined, JSON.stringify(placed('web')));
    assert.strictEqual(placed('web').Pending, undefined);
  });

  it('counts nothing for a constraint without a labelSelector, and takes a node deleted as a change to retry on', () => {
    pg = new KubePlayground({ seed: 3 });
    // No selector selects no pods: the constraint never finds a skew (upstream's LabelSelectorAsSelector(nil)).
    deploy('web', 7, [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }]);
    pg.runUntil(() => false, 30_000);
    assert.strictEqual(placed('web').Pending, undefined, JSON.stringify(placed('web')));
    pg.close();
    // 3 of 5 run while the empty control-plane domain holds the minimum at 0; without that node, the rest fit at once.
    pg = new KubePlayground({ seed: 3 });
    deploy('web', 5, hostSpread());
    pg.runUntil(() => false, 30_000);
    assert.strictEqual(placed('web').Pending, 2);
    pg.api.delete({ group: '', version: 'v1', resource: 'nodes' }, undefined, 'kubeplay-control-plane');
    pg.advance(15_000);
    assert.strictEqual(placed('web').Pending, undefined, JSON.stringify(placed('web')));
  });

  it('retries when a matching pod is placed by another hand, which can lift the smallest domain', () => {
    pg = new KubePlayground({ seed: 3 });
    deploy('web', 5, hostSpread());
    pg.runUntil(() => false, 30_000);
    assert.strictEqual(placed('web').Pending, 2);
    // A web pod bound straight to the control-plane node: the minimum is 1 now, so each worker may take a second.
    pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pinned', labels: { app: 'web' } }, spec: { nodeName: 'kubeplay-control-plane', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KObject);
    pg.advance(15_000);
    assert.strictEqual(placed('web').Pending, undefined, JSON.stringify(placed('web')));
  });

  it('refuses constraints upstream validation refuses, in its words', () => {
    pg = new KubePlayground({ seed: 3 });
    const sel = { matchLabels: { app: 'a' } };
    assert.throws(() => pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'v', labels: { app: 'a' } },
      spec: {
        topologySpreadConstraints: [
          { maxSkew: 0, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel, matchLabelKeys: ['app'] },
          { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel },
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 3, labelSelector: sel },
        ],
        containers: [{ name: 'c', image: 'nginx' }],
      },
    } as KObject), (e: any) => {
      assert.strictEqual(e.status.message, 'Pod "v" is invalid: [spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero, '
        + 'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{kubernetes.io/hostname, DoNotSchedule}", '
        // The pod's creation merged `app In (a)` into the selector, whose matchLabels name app already: upstream's
        // ValidateMatchLabelKeysAndMismatchLabelKeys says so at the constraint's path, indexed by the key.
        + 'spec.topologySpreadConstraints[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector, '
        + 'spec.topologySpreadConstraints[2].minDomains: Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway]');
      return true;
    });
  });

  it('ANDs the pod\'s own values for matchLabelKeys into the selector', () => {
    pg = new KubePlayground({ seed: 3 });
    for (let i = 0; i < 2; i++) {
      pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `other-${i}`, labels: { app: 'other', tier: 'front' } }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KObject);
    }
    const front = { matchExpressions: [{ key: 'tier', operator: 'Exists' }] };
    deploy('web', 3, [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor', labelSelector: front, matchLabelKeys: ['app'] }],
      { app: 'web', tier: 'front' });
    pg.runUntil(() => false, 30_000);
    // Counting app=web only, one per worker; counting every front pod, the first worker (2 others) would get none.
    assert.deepStrictEqual(placed('web'), { 'kubeplay-worker': 1, 'kubeplay-worker2': 1, 'kubeplay-worker3': 1 });
  });
});
