/**
 * Upstream's Job helpers, one by one: getCompletionIndex, orderedIntervals
 * (parse, merge) and firstPendingIndexes, appendDuplicatedIndexPodsForRemoval
 * with controller.ActivePods order, newBackoffRecord and
 * getRemainingTimeForFailuresCount, and getFinishedTime with native sidecars.
 */
import * as assert from 'assert';
import type { KObject } from '../../../../cluster/src/contract';
import { firstPendingIndexes, mergeIntervals, parseIntervals, podIndex, withIndexes, type Interval } from '../../../../cluster/src/controllers/job/indexes';
import { activePodsForRemoval, duplicatedIndexPods, sortActive } from '../../../../cluster/src/controllers/job/removal';
import { nextBackoffRecord, remainingBackoff, remainingForFailures } from '../../../../cluster/src/controllers/job/backoff';
import { finishTime } from '../../../../cluster/src/controllers/job/util';
import { indexedGenerateName, indexedPod } from '../../../../cluster/src/controllers/job/indexedpod';

const INDEX = 'batch.kubernetes.io/job-completion-index';
const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString().replace('.000Z', 'Z');
const ms = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);

function pod(name: string, o: { index?: string; label?: string; node?: string; phase?: string; readyAt?: number; created?: number; restarts?: number; failedAt?: number } = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, uid: name,
      annotations: o.index === undefined ? {} : { [INDEX]: o.index },
      labels: o.label === undefined ? {} : { [INDEX]: o.label },
      creationTimestamp: o.created === undefined ? undefined : T(o.created),
    },
    spec: { nodeName: o.node },
    status: {
      phase: o.phase,
      conditions: o.readyAt !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: T(o.readyAt) }]
        : o.failedAt !== undefined ? [{ type: 'Ready', status: 'False', lastTransitionTime: T(o.failedAt) }] : [],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  } as KObject;
}
const names = (ps: KObject[]) => ps.map((p) => p.metadata.name);

describe('job: getCompletionIndex', () => {
  it('reads the annotation only, with Atoi (sign allowed, int64 range), negatives being no index', () => {
    assert.strictEqual(podIndex(pod('a', { label: '3' })), undefined, 'the label is never read');
    assert.strictEqual(podIndex(pod('a', { index: '4', label: '3' })), 4);
    assert.strictEqual(podIndex(pod('a', { index: '+5' })), 5);
    assert.strictEqual(podIndex(pod('a', { index: '007' })), 7);
    assert.strictEqual(podIndex(pod('a', { index: '-0' })), 0);
    assert.strictEqual(podIndex(pod('a', { index: '-1' })), undefined);
    for (const bad of ['', ' 1', '1e3', '0x10', '1_0', '99999999999999999999']) assert.strictEqual(podIndex(pod('a', { index: bad })), undefined, bad);
  });
});

describe('job: index intervals', () => {
  it('parses as parseIndexesFromString: joins adjacent parts, clips the last bound, skips bad parts, stops at completions', () => {
    assert.deepStrictEqual(parseIntervals('1,3-5,6,8-20', 10), [[1, 1], [3, 6], [8, 9]]);
    assert.deepStrictEqual(parseIntervals('x,2-y,4,12,5', 10), [[4, 4]]);
    assert.deepStrictEqual(parseIntervals('', 10), []);
  });

  it('merges sorted lists, joining overlapping and adjacent intervals', () => {
    assert.deepStrictEqual(mergeIntervals([[0, 2], [8, 9]], [[3, 4], [6, 6], [9, 12]]), [[0, 4], [6, 6], [8, 12]]);
    assert.deepStrictEqual(withIndexes([[5, 6]], [9, 4, 4, 0]), [[0, 0], [4, 6], [9, 9]]);
  });

  it('firstPendingIndexes gives the same indexes as a scan from 0', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let round = 0; round < 300; round++) {
      const completions = rnd(40);
      const taken = new Set<number>();
      for (let k = rnd(30); k > 0; k--) taken.add(rnd(45));
      const count = rnd(12);
      const expected: number[] = [];
      for (let i = 0; i < completions && expected.length < count; i++) if (!taken.has(i)) expected.push(i);
      assert.deepStrictEqual(firstPendingIndexes(count, completions, withIndexes([], taken)), expected, `round ${round}`);
    }
  });

  it('walks intervals, not indexes: two billion finished indexes cost one step', () => {
    const done: Interval[] = [[0, 1_999_999_990]];
    assert.deepStrictEqual(firstPendingIndexes(3, 2_000_000_000, done), [1_999_999_991, 1_999_999_992, 1_999_999_993]);
    assert.deepStrictEqual(firstPendingIndexes(2, 2_000_000_000, [[0, 999_999_999], [1_000_000_001, 1_999_999_998]]), [1_000_000_000, 1_999_999_999]);
  });
});

describe('job: which active pods go (activePodsForRemoval)', () => {
  it('orders pods as controller.ActivePods: unassigned, Pending/Unknown/Running, not ready, ready more recently, more restarts, newer', () => {
    const pods = [
      pod('old-ready', { node: 'n', phase: 'Running', readyAt: 10, created: 1 }),
      pod('new-ready', { node: 'n', phase: 'Running', readyAt: 20, created: 1 }),
      pod('restarts', { node: 'n', phase: 'Running', created: 1, restarts: 2 }),
      pod('running', { node: 'n', phase: 'Running', created: 1 }),
      pod('unknown', { node: 'n', phase: 'Unknown', created: 1 }),
      pod('pending-new', { node: 'n', phase: 'Pending', created: 5 }),
      pod('no-phase', { node: 'n', created: 3 }),
      pod('unassigned', { phase: 'Pending', created: 0 }),
    ];
    assert.deepStrictEqual(names(sortActive(pods)), ['unassigned', 'pending-new', 'no-phase', 'unknown', 'restarts', 'running', 'new-ready', 'old-ready']);
  });

  it('removes pods without a valid index, past completions, and all but the most advanced pod of an index', () => {
    const pods = [
      pod('i1-ready', { index: '1', node: 'n', phase: 'Running', readyAt: 5, created: 1 }),
      pod('i1-pending', { index: '1', phase: 'Pending', created: 2 }),
      pod('i0', { index: '0', node: 'n', phase: 'Running', created: 1 }),
      pod('label-only', { label: '2', node: 'n', phase: 'Running', created: 1 }),
      pod('i7', { index: '7', node: 'n', phase: 'Running', created: 1 }),
      pod('i1-running', { index: '1', node: 'n', phase: 'Running', created: 3 }),
    ];
    const [rm, left] = duplicatedIndexPods(pods, 5);
    assert.deepStrictEqual(names(rm), ['label-only', 'i1-pending', 'i1-running', 'i7']);
    assert.deepStrictEqual(names(left), ['i0', 'i1-ready']);
    // Past the duplicates, the count still decides; a non-indexed Job only counts.
    assert.deepStrictEqual(names(activePodsForRemoval(pods, 5, true, 5)), ['label-only', 'i1-pending', 'i1-running', 'i7', 'i0']);
    assert.deepStrictEqual(names(activePodsForRemoval(pods, 1, false, 5)), ['i1-pending']);
    assert.deepStrictEqual(activePodsForRemoval(pods.slice(0, 1), 0, true, 5), []);
  });
});

describe('job: Job-wide back-off record', () => {
  const failed = (s: number) => pod(`f${s}`, { phase: 'Failed', failedAt: s });
  const succeeded = (s: number) => pod(`s${s}`, { phase: 'Succeeded', failedAt: s });

  it('adds failures up across syncs and keeps them when a sync sees none', () => {
    let r = nextBackoffRecord(undefined, [], [failed(5), failed(3)]);
    assert.deepStrictEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: ms(5) });
    r = nextBackoffRecord(r, [], []);
    assert.deepStrictEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: ms(5) });
    r = nextBackoffRecord(r, [], [failed(4)]);
    assert.deepStrictEqual(r, { failuresAfterLastSuccess: 3, lastFailureTime: ms(4) }, 'the last failure is this sync\'s latest');
  });

  it('a success resets the count to the failures strictly after it', () => {
    const prev = { failuresAfterLastSuccess: 4, lastFailureTime: ms(1) };
    assert.deepStrictEqual(nextBackoffRecord(prev, [succeeded(10)], []), { failuresAfterLastSuccess: 0 });
    assert.deepStrictEqual(nextBackoffRecord(prev, [succeeded(10), succeeded(6)], [failed(10), failed(12), failed(4), failed(11)]), { failuresAfterLastSuccess: 2, lastFailureTime: ms(12) });
  });

  it('waits 10 s doubled per further failure, capped at 10 min, from the last failure', () => {
    assert.strictEqual(remainingForFailures(0, undefined, ms(0)), 0);
    assert.strictEqual(remainingForFailures(1, ms(0), ms(4)), 6_000);
    assert.strictEqual(remainingForFailures(3, ms(0), ms(0)), 40_000);
    assert.strictEqual(remainingForFailures(7, ms(0), ms(0)), 600_000);
    assert.strictEqual(remainingForFailures(40, ms(0), ms(100)), 500_000);
    assert.strictEqual(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: ms(0) }, ms(11)), 0);
  });
});

describe('job: getFinishedTime with native sidecars', () => {
  const terminated = (name: string, s: number) => ({ name, state: { terminated: { exitCode: 0, finishedAt: T(s) } } });
  const withSidecar = (main: any, side: any): KObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', creationTimestamp: T(0) },
    spec: { initContainers: [{ name: 'init' }, { name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'main' }] },
    status: { phase: 'Succeeded', containerStatuses: [main], initContainerStatuses: [terminated('init', 99), side] },
  } as KObject);

  it('takes the latest finish of the regular containers and the sidecars (plain init containers not read)', () => {
    assert.strictEqual(finishTime(withSidecar(terminated('main', 10), terminated('side', 12))), ms(12));
    assert.strictEqual(finishTime(withSidecar(terminated('main', 10), terminated('side', 8))), ms(10));
  });

  it('a sidecar still running means no container time; a running main with a stopped sidecar gives the sidecar\'s, as upstream', () => {
    assert.strictEqual(finishTime(withSidecar(terminated('main', 10), { name: 'side', state: { running: {} } })), ms(0), 'falls back to the creation time');
    assert.strictEqual(finishTime(withSidecar({ name: 'main', state: { running: {} } }, terminated('side', 7))), ms(7));
  });
});

describe('job: the pod of an index', () => {
  it('cuts a long Job name so the index stays in the generated name (podGenerateNameWithIndex)', () => {
    assert.strictEqual(indexedGenerateName('pi', 3), 'pi-3-');
    const long = 'a'.repeat(60);
    assert.strictEqual(indexedGenerateName(long, 12), `${'a'.repeat(54)}-12-`);
    assert.strictEqual(indexedGenerateName('b'.repeat(54), 7), `${'b'.repeat(54)}-7-`, '58 characters fit');
  });

  it('adds JOB_COMPLETION_INDEX only to containers that do not set it', () => {
    const job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'ix', namespace: 'default', uid: 'u1' },
      spec: { completionMode: 'Indexed', completions: 2, template: { spec: { restartPolicy: 'Never', containers: [
        { name: 'a', image: 'busybox', env: [{ name: 'JOB_COMPLETION_INDEX', value: 'mine' }] },
        { name: 'b', image: 'busybox' },
      ] } } },
    } as KObject;
    const p = indexedPod(job, 1);
    assert.deepStrictEqual(p.spec.containers.map((c: any) => c.env.map((e: any) => e.value ?? e.valueFrom.fieldRef.fieldPath)), [['mine'], [`metadata.labels['${INDEX}']`]]);
    assert.strictEqual(p.metadata.annotations?.[INDEX], '1');
    assert.strictEqual(p.spec.hostname, 'ix-1');
  });
});
