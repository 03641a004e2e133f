/** The disruption controller: PodDisruptionBudget status, as the eviction subresource (and kubectl drain) reads it. */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

const deployment = (name: string, replicas: number): KObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
}) as KObject;
const pdb = (name: string, app: string, spec: any): KObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app } }, ...spec } }) as KObject;
const status = (pg: ReturnType<typeof newTestPlayground>, name: string) => pg.api.get(R.pdbs, 'default', name).status;
const evict = (pg: ReturnType<typeof newTestPlayground>, pod: string) =>
  pg.api.create(R.pods, 'default', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' } } as KObject, {}, 'eviction', pod);
const ready = (pg: ReturnType<typeof newTestPlayground>, app: string) =>
  pg.api.list(R.pods, 'default', { labelSelector: `app=${app}` }).items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;

describe('disruption controller', () => {
  it('keeps a minAvailable budget\'s status, and evictions spend and wait for it as upstream', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.deployments, 'default', deployment('web', 3));
      pg.api.create(R.pdbs, 'default', pdb('web-pdb', 'web', { minAvailable: 2 }));
      assert.ok(pg.runUntil(() => status(pg, 'web-pdb')?.currentHealthy === 3, 120_000));
      let st = status(pg, 'web-pdb');
      assert.deepStrictEqual(
        [st.observedGeneration, st.disruptionsAllowed, st.currentHealthy, st.desiredHealthy, st.expectedPods],
        [1, 1, 3, 2, 3],
      );
      assert.deepStrictEqual(st.conditions.map((c: any) => [c.type, c.status, c.reason, c.message, c.observedGeneration]), [['DisruptionAllowed', 'True', 'SufficientPods', '', 1]]);
      const pods = pg.api.list(R.pods, 'default', { labelSelector: 'app=web' }).items.map((p) => p.metadata.name!);
      evict(pg, pods[0]);
      assert.strictEqual(status(pg, 'web-pdb').disruptionsAllowed, 0, 'the eviction spent the budget');
      assert.ok(status(pg, 'web-pdb').disruptedPods[pods[0]]);
      let refused: any;
      try { evict(pg, pods[1]); } catch (e: any) { refused = e.status; }
      assert.deepStrictEqual([refused?.code, refused?.reason, refused?.message], [429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."]);
      pg.settle();
      st = status(pg, 'web-pdb');
      assert.deepStrictEqual([st.disruptionsAllowed, st.currentHealthy], [0, 2]);
      assert.deepStrictEqual(st.conditions.map((c: any) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
      // The Deployment replaces the evicted pod; once it is Ready the budget allows one disruption again.
      assert.ok(pg.runUntil(() => ready(pg, 'web') === 3 && status(pg, 'web-pdb').disruptionsAllowed === 1, 120_000));
      assert.strictEqual(status(pg, 'web-pdb').disruptedPods, undefined, 'the evicted pod is gone from the map');
    } finally {
      pg.close();
    }
  });

  it('takes percentages and maxUnavailable of the controllers\' scale, rounded up', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.deployments, 'default', deployment('api', 3));
      pg.api.create(R.pdbs, 'default', pdb('half-down', 'api', { maxUnavailable: '50%' }));
      pg.api.create(R.pdbs, 'default', pdb('half-up', 'api', { minAvailable: '50%' }));
      assert.ok(pg.runUntil(() => status(pg, 'half-down')?.currentHealthy === 3 && status(pg, 'half-up')?.currentHealthy === 3, 120_000));
      const down = status(pg, 'half-down');
      assert.deepStrictEqual([down.expectedPods, down.desiredHealthy, down.disruptionsAllowed], [3, 1, 2], 'maxUnavailable 50% of 3 rounds up to 2');
      const up = status(pg, 'half-up');
      assert.deepStrictEqual([up.expectedPods, up.desiredHealthy, up.disruptionsAllowed], [3, 2, 1], 'minAvailable 50% of 3 rounds up to 2');
    } finally {
      pg.close();
    }
  });

  it('allows nothing for a percentage over pods no controller owns, and says why', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
      pg.api.create(R.pdbs, 'default', pdb('solo-pdb', 'solo', { minAvailable: '50%' }));
      pg.api.create(R.pdbs, 'default', pdb('empty-pdb', 'nobody', { minAvailable: 1 }));
      assert.ok(pg.runUntil(() => status(pg, 'solo-pdb')?.currentHealthy === 1, 120_000));
      const st = status(pg, 'solo-pdb');
      assert.deepStrictEqual([st.expectedPods, st.desiredHealthy, st.disruptionsAllowed], [0, 0, 0]);
      const events = pg.api.list(R.events, 'default').items;
      const unmanaged = events.find((e) => e.reason === 'UnmanagedPods' && e.involvedObject.name === 'solo-pdb');
      assert.ok(unmanaged && unmanaged.type === 'Warning' && unmanaged.source.component === 'controllermanager');
      assert.ok(events.some((e) => e.reason === 'NoPods' && e.involvedObject.name === 'empty-pdb' && e.message === 'No matching pods found'));
    } finally {
      pg.close();
    }
  });
});
