/**
 * The Job controller's arithmetic against upstream's helpers: getFinishedTime,
 * parseIndexesFromString, matchPodFailurePolicy's actions, and which failed
 * pod an index keeps for its next pod (getPodsWithDelayedDeletionPerIndex).
 */
import * as assert from 'assert';
import type { KObject } from '../../../../cluster/src/contract';
import { firstPendingIndexes } from '../../../../cluster/src/controllers/job/indexes';
import { finishTime, isPodFailed, matchPodFailurePolicy, parseIndexes, podsWithDelayedDeletion, remainingTimePerIndex } from '../../../../cluster/src/controllers/job/util';

let podSeq = 0;

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString().replace('.000Z', 'Z');
const ms = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);

function pod(over: { index?: number; failures?: number; ignored?: number; finishedAt?: number; phase?: string; deleted?: number; grace?: number; conditions?: any[]; containers?: any[] } = {}): KObject {
  const annotations: Record<string, string> = {};
  if (over.index !== undefined) annotations['batch.kubernetes.io/job-completion-index'] = String(over.index);
  if (over.failures !== undefined) annotations['batch.kubernetes.io/job-index-failure-count'] = String(over.failures);
  if (over.ignored !== undefined) annotations['batch.kubernetes.io/job-index-ignored-failure-count'] = String(over.ignored);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `p${++podSeq}`, namespace: 'default', creationTimestamp: T(0), annotations, finalizers: ['batch.kubernetes.io/job-tracking'],
      ...(over.deleted !== undefined ? { deletionTimestamp: T(over.deleted), deletionGracePeriodSeconds: over.grace ?? 30 } : {}),
    },
    status: {
      phase: over.phase ?? 'Failed',
      conditions: over.conditions ?? [],
      containerStatuses: over.containers ?? (over.finishedAt !== undefined ? [{ name: 'main', state: { terminated: { exitCode: 1, finishedAt: T(over.finishedAt) } } }] : []),
    },
  } as KObject;
}

describe('job util: getFinishedTime order', () => {
  it('uses the containers only when every one has terminated', () => {
    const p = pod({
      containers: [{ name: 'a', state: { terminated: { exitCode: 1, finishedAt: T(50) } } }, { name: 'b', state: { running: { startedAt: T(1) } } }],
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: T(40) }],
    });
    assert.strictEqual(finishTime(p), ms(40), 'one container still runs: the Ready=False transition');
    p.status.containerStatuses[1].state = { terminated: { exitCode: 0, finishedAt: T(55) } };
    assert.strictEqual(finishTime(p), ms(55), 'all terminated: the latest finishedAt');
  });

  it('reads Ready only when False, then the deletion time less the grace period, then creation', () => {
    const running = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T(5) }], deleted: 100, grace: 30 });
    assert.strictEqual(finishTime(running), ms(70));
    const bare = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T(5) }] });
    assert.strictEqual(finishTime(bare), ms(0));
  });
});

describe('job util: parseIndexesFromString', () => {
  it('skips parts whose bound is not an integer, as Go\'s Atoi refuses them', () => {
    assert.deepStrictEqual([...parseIndexes('-1,2', 5)], [2]);
    assert.deepStrictEqual([...parseIndexes('1-x,3', 5)], [3]);
    assert.deepStrictEqual([...parseIndexes(',4', 5)], [4]);
  });

  it('stops at the first interval starting past completions and clamps the last bound', () => {
    assert.deepStrictEqual([...parseIndexes('1,3-9', 5)], [1, 3, 4]);
    assert.deepStrictEqual([...parseIndexes('7,1', 5)], []);
  });
});

describe('job util: matchPodFailurePolicy actions', () => {
  const failed = pod({ finishedAt: 3 });
  it('skips a rule whose action it does not know and goes on to the next', () => {
    const job = { spec: { podFailurePolicy: { rules: [
      { action: 'Restart', onExitCodes: { operator: 'In', values: [1] } },
      { action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } },
    ] } } } as unknown as KObject;
    assert.deepStrictEqual(matchPodFailurePolicy(job, failed), { action: 'Ignore' });
  });

  it('reports FailIndex as FailIndex whatever backoffLimitPerIndex is (the gate is GA); only isIndexFailed acts on it', () => {
    const job = { spec: { podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] } } } as unknown as KObject;
    assert.deepStrictEqual(matchPodFailurePolicy(job, failed), { action: 'FailIndex' });
  });
});

describe('job util: per-index helpers', () => {
  it('isPodFailed: a deleted unfinished pod is failed unless only failed pods are replaced', () => {
    const deleted = pod({ phase: 'Running', deleted: 10 });
    assert.strictEqual(isPodFailed(deleted, false), true);
    assert.strictEqual(isPodFailed(deleted, true), false);
    assert.strictEqual(isPodFailed(pod({ phase: 'Succeeded', deleted: 10 }), false), false);
  });

  it('keeps, per index, the later candidate only when its count is not lower and it did not finish earlier', () => {
    const none = () => false;
    const higherButEarlier = [pod({ index: 0, failures: 1, finishedAt: 20 }), pod({ index: 0, failures: 2, finishedAt: 10 })];
    assert.strictEqual(podsWithDelayedDeletion(higherButEarlier, 3, false, none).get(0), higherButEarlier[0]);
    const sameLater = [pod({ index: 0, failures: 1, finishedAt: 10 }), pod({ index: 0, failures: 0, ignored: 1, finishedAt: 20 })];
    assert.strictEqual(podsWithDelayedDeletion(sameLater, 3, false, none).get(0), sameLater[1]);
    const skipped = podsWithDelayedDeletion([pod({ index: 1, finishedAt: 5 }), pod({ index: 4, finishedAt: 5 })], 3, false, (i) => i === 1);
    assert.deepStrictEqual([...skipped.keys()], [], 'a taken index and one past completions keep nothing');
  });

  it('getRemainingTimePerIndex doubles with the absolute count (ignored failures included)', () => {
    const p = pod({ index: 0, failures: 1, ignored: 1, finishedAt: 10 });
    assert.strictEqual(remainingTimePerIndex(p, ms(10)), 40_000);
    assert.strictEqual(remainingTimePerIndex(p, ms(60)), 0);
    assert.strictEqual(remainingTimePerIndex(undefined, ms(10)), 0);
  });

  it('firstPendingIndexes takes the lowest free indexes without looking at back-off', () => {
    assert.deepStrictEqual(firstPendingIndexes(2, 5, [[0, 0], [2, 2]]), [1, 3]);
    assert.deepStrictEqual(firstPendingIndexes(3, 2, []), [0, 1]);
  });
});
