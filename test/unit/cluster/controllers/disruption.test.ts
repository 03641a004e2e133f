/** The disruption controller: PodDisruptionBudget status, as the eviction subresource (and kubectl drain) reads it. */
import * as assert from 'assert';
import { newTestControlPlane, newTestPlayground, R } from '../../../../cluster/src/testing';
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

describe('the eviction subresource and budgets', () => {
  const PDBS = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
  const podWith = (name: string, status: any, extra: any = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'db' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] }, ...extra, status,
  }) as KObject;
  const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const unready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };
  /** A control plane without the disruption controller: budget status is written by hand, as the controller would. */
  function setup(budgetSpec: any, status: any) {
    const cp = newTestControlPlane();
    cp.api.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } }, ...budgetSpec } } as KObject);
    const cur = cp.api.get(PDBS, 'default', 'db');
    cp.api.update(PDBS, 'default', { ...cur, status } as KObject, {}, 'status');
    // Creating a pod resets its status (Pending): the status is written afterwards, as a kubelet would.
    const addPod = (pod: KObject) => {
      const created = cp.api.create(R.pods, 'default', { ...pod, status: undefined } as KObject).object;
      if (pod.status?.phase !== 'Pending') cp.api.update(R.pods, 'default', { ...created, status: pod.status } as KObject, {}, 'status');
    };
    const evictPod = (name: string) => cp.api.create(R.pods, 'default', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } } as KObject, {}, 'eviction', name);
    const refusal = (name: string) => { try { evictPod(name); } catch (e: any) { return e.status; } return undefined; };
    return { cp, addPod, evictPod, refusal, budget: () => cp.api.get(PDBS, 'default', 'db').status };
  }
  const healthy = { observedGeneration: 1, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0 };

  it('lets an unready pod go without spending a healthy budget, and marks it DisruptionTarget', () => {
    const { cp, addPod, evictPod, refusal, budget } = setup({ minAvailable: 2 }, healthy);
    addPod(podWith('sick', unready));
    addPod(podWith('fine', ready));
    assert.strictEqual(refusal('fine')?.code, 429, 'a ready pod is guarded');
    evictPod('sick');
    const sick = cp.api.get(R.pods, 'default', 'sick');
    assert.ok(sick.metadata.deletionTimestamp);
    const dt = sick.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
    assert.deepStrictEqual([dt.status, dt.reason, dt.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
    assert.deepStrictEqual([budget().disruptionsAllowed, budget().disruptedPods], [0, undefined], 'the budget is not spent');
  });

  it('guards an unready pod when the budget is not healthy, unless the policy is AlwaysAllow', () => {
    const short = { ...healthy, currentHealthy: 1 };
    const a = setup({ minAvailable: 2 }, short);
    a.addPod(podWith('sick', unready));
    assert.strictEqual(a.refusal('sick')?.details?.causes?.[0]?.message, 'The disruption budget db needs 2 healthy pods and has 1 currently');
    const b = setup({ minAvailable: 2, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, short);
    b.addPod(podWith('sick', unready));
    b.evictPod('sick');
    assert.ok(b.cp.api.get(R.pods, 'default', 'sick').metadata.deletionTimestamp);
  });

  it('answers 429 while the budget controller has not caught up, and 500 for a pod under two budgets', () => {
    const { cp, addPod, refusal } = setup({ minAvailable: 1 }, { ...healthy, observedGeneration: 0, disruptionsAllowed: 5 });
    addPod(podWith('fine', ready));
    const late = refusal('fine');
    assert.deepStrictEqual([late.code, late.reason, late.details.retryAfterSeconds, late.details.causes[0].message],
      [429, 'TooManyRequests', 10, 'The disruption budget db is still being processed by the server.']);
    cp.api.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db2' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } } as KObject);
    const two = refusal('fine');
    assert.deepStrictEqual([two.code, two.message, two.reason], [500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', undefined]);
  });

  it('a Pending pod is evicted without looking at budgets', () => {
    const { cp, addPod, evictPod } = setup({ minAvailable: 5 }, healthy);
    addPod(podWith('waiting', { phase: 'Pending' }, { spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    evictPod('waiting');
    let gone = false;
    try { cp.api.get(R.pods, 'default', 'waiting'); } catch { gone = true; }
    assert.ok(gone, 'an unscheduled pod is deleted at once');
  });

  it('honours the Eviction\'s own preconditions and dry run, and ignores a budget without a selector', () => {
    const { cp, addPod, budget } = setup({ minAvailable: 1 }, { ...healthy, currentHealthy: 3, desiredHealthy: 1, disruptionsAllowed: 2 });
    addPod(podWith('a', ready));
    addPod(podWith('b', ready));
    const evictWith = (name: string, deleteOptions: any) =>
      cp.api.create(R.pods, 'default', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name }, deleteOptions } as KObject, {}, 'eviction', name);
    // kubectl drain --dry-run=server: nothing changes.
    evictWith('a', { dryRun: ['All'] });
    const a = cp.api.get(R.pods, 'default', 'a');
    assert.ok(!a.metadata.deletionTimestamp);
    assert.ok(!a.status.conditions.some((c: any) => c.type === 'DisruptionTarget'));
    assert.strictEqual(budget().disruptionsAllowed, 2);
    // The pod's current resourceVersion as a precondition: the eviction goes through despite the condition's own write.
    evictWith('a', { preconditions: { resourceVersion: a.metadata.resourceVersion } });
    assert.ok(cp.api.get(R.pods, 'default', 'a').metadata.deletionTimestamp);
    // A stale uid is refused before anything is written.
    let stale: any;
    try { evictWith('b', { preconditions: { uid: 'not-the-uid' } }); } catch (e: any) { stale = e.status; }
    assert.strictEqual(stale?.code, 409);
    assert.match(stale.message, /the UID in the precondition \(not-the-uid\) does not match the UID in record/);
    assert.ok(!cp.api.get(R.pods, 'default', 'b').status.conditions.some((c: any) => c.type === 'DisruptionTarget'));
    // As upstream, the budget was checked and spent before the precondition failed; its controller gives it back later.
    assert.strictEqual(budget().disruptionsAllowed, 0);
  });

  it('refuses an Eviction named other than its URL (400) and dry-run options that differ from the request\'s (500), before admission and budgets', () => {
    const { cp, addPod, budget } = setup({ minAvailable: 1 }, { ...healthy, currentHealthy: 3, desiredHealthy: 1, disruptionsAllowed: 2 });
    addPod(podWith('a', ready));
    const post = (body: any, url = 'a', opts = {}) => {
      try { cp.api.create(R.pods, 'default', { apiVersion: 'policy/v1', kind: 'Eviction', ...body } as KObject, opts, 'eviction', url); } catch (e: any) { return e.status; }
      return undefined;
    };
    // EvictionREST.Create: errors.NewBadRequest when eviction.Name differs from the URL's, a missing name included.
    for (const metadata of [{ name: 'b' }, {}]) {
      const s = post({ metadata });
      assert.deepStrictEqual([s?.code, s?.reason, s?.message], [400, 'BadRequest', 'name in URL does not match name in Eviction object']);
    }
    // The create handler's namespace check comes first: a body naming another namespace is a 400 of its own.
    const other = post({ metadata: { name: 'a', namespace: 'kube-system' } });
    assert.deepStrictEqual([other?.code, other?.reason, other?.message], [400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request']);
    // propagateDryRun's plain error: a 500 with no reason, both lists as Go prints them.
    const s = post({ metadata: { name: 'a' }, deleteOptions: { dryRun: ['All', 'All'] } }, 'a', { dryRun: true });
    assert.deepStrictEqual([s?.code, s?.reason, s?.message], [500, undefined, 'Non-matching dry-run options in request and content: [All] and [All All]']);
    assert.ok(!cp.api.get(R.pods, 'default', 'a').metadata.deletionTimestamp);
    assert.strictEqual(budget().disruptionsAllowed, 2);
    // The same lists on both sides are no mismatch: a dry run that changes nothing.
    assert.strictEqual(post({ metadata: { name: 'a' }, deleteOptions: { dryRun: ['All'] } }, 'a', { dryRun: true }), undefined);
    assert.ok(!cp.api.get(R.pods, 'default', 'a').metadata.deletionTimestamp);
  });

  it('a budget without a selector covers no pod, so it is not a second budget', () => {
    const { cp, addPod, evictPod } = setup({ minAvailable: 1 }, { ...healthy, currentHealthy: 3, desiredHealthy: 1, disruptionsAllowed: 2 });
    addPod(podWith('b', ready));
    cp.api.create(PDBS, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'none' }, spec: { minAvailable: 1 } } as KObject);
    evictPod('b');
    assert.ok(cp.api.get(R.pods, 'default', 'b').metadata.deletionTimestamp);
  });
});
