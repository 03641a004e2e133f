import * as assert from 'assert';
import type { KObject } from '../../../../cluster/src/contract';
import { computeHash, fnv32, fnv32a, safeEncodeString, stableStringify } from '../../../../cluster/src/controllers/util/hash';
import { compareForDeletion, podsToDelete } from '../../../../cluster/src/controllers/util/activepods';
import { isPodAvailable } from '../../../../cluster/src/controllers/util/pods';
import { slowStartBatches } from '../../../../cluster/src/controllers/replicaset/status';
import { maxScaledDown } from '../../../../cluster/src/controllers/deployment/rolling';
import {
  lastRevision, maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts, setCondition, setNewReplicaSetAnnotations,
} from '../../../../cluster/src/controllers/deployment/util';

const enc = (s: string) => new TextEncoder().encode(s);
const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: number; created?: number; restarts?: number; cost?: number } = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, uid: name, creationTimestamp: iso(o.created ?? NOW - 3600_000), annotations: o.cost !== undefined ? { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } : undefined },
    spec: { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: iso(o.readySince ?? NOW - 3000_000) }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('controller utils', () => {
  it('FNV-32 and FNV-32a match the reference vectors', () => {
    assert.strictEqual(fnv32a(enc('')), 0x811c9dc5);
    assert.strictEqual(fnv32a(enc('a')), 0xe40c292c);
    assert.strictEqual(fnv32a(enc('foobar')), 0xbf9cf968);
    assert.strictEqual(fnv32(enc('a')), 0x050c5d7e);
    assert.strictEqual(fnv32(enc('foobar')), 0x31f0b262);
  });

  it('SafeEncodeString maps digits into the safe alphabet', () => {
    assert.strictEqual(safeEncodeString('0123456789'), '456789bcdf');
    const h = computeHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx' }] } });
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.notStrictEqual(h, computeHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx' }] } }, 1));
    assert.strictEqual(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('orders scale-down victims as upstream', () => {
    const now = NOW;
    const cmp = (a: KObject, b: KObject) => compareForDeletion(a, b, 0, 0, now);
    assert.ok(cmp(pod('a'), pod('b', { node: 'n' })) < 0, 'unassigned first');
    assert.ok(cmp(pod('a', { node: 'n', phase: 'Pending' }), pod('b', { node: 'n', phase: 'Unknown' })) < 0, 'pending before unknown');
    assert.ok(cmp(pod('a', { node: 'n', phase: 'Unknown' }), pod('b', { node: 'n' })) < 0, 'unknown before running');
    assert.ok(cmp(pod('a', { node: 'n', ready: false }), pod('b', { node: 'n' })) < 0, 'not ready first');
    assert.ok(cmp(pod('a', { node: 'n', cost: -5 }), pod('b', { node: 'n', cost: 10 })) < 0, 'lower deletion cost first');
    assert.ok(compareForDeletion(pod('a', { node: 'n' }), pod('b', { node: 'm' }), 3, 1, now) < 0, 'more co-located pods first');
    assert.ok(cmp(pod('a', { node: 'n', readySince: now - 10_000 }), pod('b', { node: 'n', readySince: now - 1000_000 })) < 0, 'ready for less time first');
    assert.ok(cmp(pod('a', { node: 'n', restarts: 5 }), pod('b', { node: 'n' })) < 0, 'more restarts first');
    // compareMaxContainerRestarts: regular containers first; sidecar restarts only break a tie; other init containers never count.
    const withInit = (name: string, restarts: number, sidecar: boolean) => {
      const p = pod(name, { node: 'n' });
      p.spec.initContainers = [{ name: 'i', image: 'x', ...(sidecar ? { restartPolicy: 'Always' } : {}) }];
      p.status.initContainerStatuses = [{ name: 'i', restartCount: restarts }];
      return p;
    };
    assert.ok(cmp(withInit('a', 4, true), withInit('b', 1, true)) < 0, 'a sidecar that restarted more breaks the tie');
    assert.strictEqual(cmp(withInit('a', 4, false), withInit('b', 1, false)), 0, 'regular init containers do not count');
    assert.ok(cmp(pod('a', { node: 'n', restarts: 2 }), withInit('b', 9, true)) < 0, 'regular restarts decide before sidecars');
    assert.ok(cmp(pod('a', { node: 'n', created: now - 60_000, readySince: now - 1000_000 }), pod('b', { node: 'n', created: now - 6000_000, readySince: now - 1000_000 })) < 0, 'newer first');
    // Within the same log2 bucket the uid decides, so a burst is not picked apart by milliseconds.
    assert.ok(cmp(pod('a', { node: 'n', readySince: now - 1_000_000 }), pod('b', { node: 'n', readySince: now - 1_000_100 })) < 0);
    const pods = [pod('ready-old', { node: 'n1' }), pod('pending', { node: 'n1', phase: 'Pending', ready: false }), pod('unassigned', { phase: 'Pending', ready: false }), pod('notready', { node: 'n2', ready: false })];
    assert.deepStrictEqual(podsToDelete(pods, pods, 3, now).map((p) => p.metadata.name), ['unassigned', 'pending', 'notready']);
  });

  it('availability waits minReadySeconds, strictly', () => {
    const p = pod('a', { node: 'n', readySince: NOW - 10_000 });
    assert.strictEqual(isPodAvailable(p, 0, NOW), true);
    assert.strictEqual(isPodAvailable(p, 9, NOW), true);
    assert.strictEqual(isPodAvailable(p, 10, NOW), false);
  });

  it('slow start batches double', () => {
    assert.deepStrictEqual(slowStartBatches(10), [1, 2, 4, 3]);
    assert.deepStrictEqual(slowStartBatches(0), []);
  });
});

describe('deployment arithmetic', () => {
  const d = (replicas: number, surge: any, unavail: any, type = 'RollingUpdate'): KObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: { team: 'a' } },
    spec: { replicas, strategy: { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavail } } },
  });
  const rs = (replicas: number): KObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { replicas } });

  it('maxSurge rounds up, maxUnavailable rounds down, both zero means one unavailable', () => {
    assert.deepStrictEqual(resolveFenceposts('25%', '25%', 10), [3, 2]);
    assert.deepStrictEqual(resolveFenceposts('25%', '25%', 1), [1, 0]);
    assert.deepStrictEqual(resolveFenceposts(0, 0, 5), [0, 1]);
    assert.deepStrictEqual(resolveFenceposts('0%', '10%', 5), [0, 1]);
    assert.strictEqual(maxUnavailable(d(3, 0, 5)), 3, 'capped at replicas');
    assert.strictEqual(maxSurge(d(3, 2, 0, 'Recreate')), 0);
    assert.strictEqual(maxUnavailable(d(0, 1, 1)), 0);
  });

  it('new ReplicaSet grows within the surge budget', () => {
    const dep = d(10, '25%', '25%');
    assert.strictEqual(newRSNewReplicas(dep, [rs(10), rs(0)], rs(0)), 3);
    assert.strictEqual(newRSNewReplicas(dep, [rs(8), rs(3)], rs(3)), 5);
    assert.strictEqual(newRSNewReplicas(dep, [rs(10), rs(3)], rs(3)), 3);
    assert.strictEqual(newRSNewReplicas(d(10, 1, 1, 'Recreate'), [rs(0)], rs(0)), 10);
  });

  it('old ReplicaSets shrink only as far as availability allows', () => {
    // replicas 10, maxUnavailable 2: 13 pods, 3 new all unavailable → 13 - 8 - 3 = 2
    assert.strictEqual(maxScaledDown(13, 10, 2, 3), 2);
    assert.strictEqual(maxScaledDown(13, 10, 2, 10), -5);
  });

  it('revision annotations: copy, bump, history', () => {
    const dep = d(3, 1, 0);
    const r: KObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', annotations: { 'deployment.kubernetes.io/revision': '1' } }, spec: { replicas: 3 } };
    assert.ok(setNewReplicaSetAnnotations(dep, r, 4, true));
    assert.strictEqual(r.metadata.annotations!['deployment.kubernetes.io/revision'], '4');
    assert.strictEqual(r.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.strictEqual(r.metadata.annotations!.team, 'a');
    setNewReplicaSetAnnotations(dep, r, 6, true);
    assert.strictEqual(r.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,4');
    const fresh: KObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'n' }, spec: { replicas: 0 } };
    setNewReplicaSetAnnotations(dep, fresh, 1, false);
    assert.deepStrictEqual(fresh.metadata.annotations, { team: 'a', 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    assert.strictEqual(lastRevision([r, fresh, { ...fresh, metadata: { annotations: { 'deployment.kubernetes.io/revision': '3' } } } as KObject]), 3);
  });

  it('conditions keep lastTransitionTime while the status holds and move to the end when they change', () => {
    const s: any = { conditions: [] };
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'A', message: '', lastUpdateTime: 't1', lastTransitionTime: 't1' });
    setCondition(s, { type: 'Available', status: 'False', reason: 'B', message: '', lastUpdateTime: 't1', lastTransitionTime: 't1' });
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'C', message: '', lastUpdateTime: 't2', lastTransitionTime: 't2' });
    assert.deepStrictEqual(s.conditions.map((c: any) => [c.type, c.reason, c.lastTransitionTime, c.lastUpdateTime]), [['Available', 'B', 't1', 't1'], ['Progressing', 'C', 't1', 't2']]);
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'C', message: '', lastUpdateTime: 't3', lastTransitionTime: 't3' });
    assert.strictEqual(s.conditions[1].lastUpdateTime, 't2', 'same status and reason is a no-op');
  });
});
