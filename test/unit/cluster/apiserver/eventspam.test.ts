import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { Recorder, takeSpamToken } from '../../../../cluster/src/events';
import { createNodes } from '../../../../cluster/src/kubelet';
import type { KObject } from '../../../../cluster/src/contract';

const MIN = 60_000;

function configMap(cp: ReturnType<typeof newTestControlPlane>, name: string): KObject {
  return cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } as KObject).object;
}

describe('event spam filter (client-go EventSourceObjectSpamFilter)', () => {
  it('refills a bucket of 25 by one token every 5 minutes', () => {
    const b = { tokens: 25, last: 0 };
    for (let i = 0; i < 25; i++) assert.ok(takeSpamToken(b, 0), `token ${i}`);
    assert.ok(!takeSpamToken(b, 0));
    assert.ok(!takeSpamToken(b, 299_999));
    assert.ok(takeSpamToken(b, 300_000));
    assert.ok(!takeSpamToken(b, 300_001));
    // A long quiet spell fills it to 25 and no further.
    for (let i = 0; i < 25; i++) assert.ok(takeSpamToken(b, 200 * MIN), `refilled token ${i}`);
    assert.ok(!takeSpamToken(b, 200 * MIN));
  });

  it('writes 25 events from one source about one object, then one per 5 minutes; other sources and objects have their own', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    const other = configMap(cp, 'd');
    for (let i = 0; i < 30; i++) cp.ctx.events.event({ component: 'x' }, cm, 'Normal', `Reason${i}`, 'm');
    assert.strictEqual(cp.eventsFor(cm).length, 25);
    cp.ctx.events.event({ component: 'y' }, cm, 'Normal', 'Other', 'm');
    cp.ctx.events.event({ component: 'x' }, other, 'Normal', 'Other', 'm');
    cp.ctx.events.event({ component: 'x', host: 'node-2' }, cm, 'Normal', 'Other', 'm');
    assert.strictEqual(cp.eventsFor(cm).length, 27);
    assert.strictEqual(cp.eventsFor(other).length, 1);
    cp.advance(5 * MIN);
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Late', 'm');
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Later', 'm');
    assert.deepStrictEqual(cp.eventsFor(cm).filter((e) => e.reason.startsWith('Late')).map((e) => e.reason), ['Late']);
  });

  it('counts a dropped repeat, so the next Event written carries the whole count', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    for (let i = 0; i < 24; i++) cp.ctx.events.event({ component: 'x' }, cm, 'Normal', `Reason${i}`, 'm');
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'BackOff', 'Back-off');
    for (let i = 0; i < 7; i++) {
      cp.advance(10_000);
      cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'BackOff', 'Back-off');
    }
    const first = cp.eventsFor(cm).find((e) => e.reason === 'BackOff')!;
    assert.strictEqual(first.count, 1, 'the repeats were dropped');
    cp.advance(5 * MIN);
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'BackOff', 'Back-off');
    const after = cp.eventsFor(cm).filter((e) => e.reason === 'BackOff');
    assert.strictEqual(after.length, 1);
    assert.strictEqual(after[0].metadata.name, first.metadata.name);
    assert.strictEqual(after[0].count, 9);
    assert.strictEqual(after[0].firstTimestamp, first.firstTimestamp);
  });

  it('creates a dropped new Event under the name and first timestamp its key remembers, with the count so far', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    for (let i = 0; i < 25; i++) cp.ctx.events.event({ component: 'x' }, cm, 'Normal', `Reason${i}`, 'm');
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'Unhealthy', 'probe failed');
    cp.advance(MIN);
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'Unhealthy', 'probe failed');
    assert.ok(!cp.eventsFor(cm).some((e) => e.reason === 'Unhealthy'));
    cp.advance(5 * MIN);
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'Unhealthy', 'probe failed');
    const [e] = cp.eventsFor(cm).filter((x) => x.reason === 'Unhealthy');
    assert.strictEqual(e.count, 3);
    assert.strictEqual(e.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.strictEqual(e.lastTimestamp, '2026-01-01T00:06:00Z');
    assert.match(e.metadata.name!, /^c\.[0-9a-f]+$/);
  });

  it('leaves the scheduler alone, which writes through the events.k8s.io broadcaster that has no such filter', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    for (let i = 0; i < 30; i++) cp.ctx.events.event({ component: 'default-scheduler' }, cm, 'Warning', 'FailedScheduling', `try ${i}`);
    // Past 10 messages they fold into the combined Event, written every time.
    const combined = cp.eventsFor(cm).find((e) => e.message.startsWith('(combined from similar events): '))!;
    assert.strictEqual(combined.count, 21);
  });
});

describe('event TTL after a delete by hand', () => {
  it('an Event deleted and created again under its name lives its own hour', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Synced', 'synced');
    const [first] = cp.eventsFor(cm);
    cp.advance(50 * MIN);
    cp.api.delete(R.events, 'default', first.metadata.name!);
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Synced', 'synced');
    const [again] = cp.eventsFor(cm);
    assert.strictEqual(again.metadata.name, first.metadata.name);
    assert.notStrictEqual(again.metadata.uid, first.metadata.uid);
    // The first Event's hour ends at minute 60: the recreated one stays until minute 110.
    cp.advance(15 * MIN);
    cp.ctx.events.event({ component: 'y' }, cm, 'Normal', 'Tick', 'expire now');
    assert.deepStrictEqual(cp.eventsFor(cm).map((e) => e.reason).sort(), ['Synced', 'Tick']);
    cp.advance(50 * MIN);
    cp.ctx.events.event({ component: 'y' }, cm, 'Normal', 'Tock', 'expire now');
    assert.ok(!cp.eventsFor(cm).some((e) => e.reason === 'Synced'));
  });

  it('a repeat written onto an Event made again by hand renews that Event alone, apart from the first one of its name', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    const say = () => cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Synced', 'synced');
    const synced = () => cp.eventsFor(cm).filter((e) => e.reason === 'Synced');
    say();
    const [first] = synced();
    cp.advance(10 * MIN);
    say();
    cp.advance(10 * MIN);
    cp.api.delete(R.events, 'default', first.metadata.name!);
    const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, ...meta } = first.metadata;
    const made = cp.api.create(R.events, 'default', { ...first, metadata: meta } as KObject).object;
    assert.notStrictEqual(made.metadata.uid, first.metadata.uid);
    // Two repeats patch the Event made by hand, at minutes 30 and 40: its hour counts from minute 40.
    cp.advance(10 * MIN);
    say();
    cp.advance(10 * MIN);
    say();
    // Minute 95: the first Event's places (minutes 0 and 10) and the repeat's at 30 have passed, the one at 40 holds.
    cp.advance(55 * MIN);
    cp.ctx.events.event({ component: 'y' }, cm, 'Normal', 'Tick', 'expire now');
    assert.deepStrictEqual(synced().map((e) => [e.metadata.uid, e.count]), [[made.metadata.uid, 4]]);
    cp.advance(10 * MIN);
    cp.ctx.events.event({ component: 'y' }, cm, 'Normal', 'Tock', 'expire now');
    assert.deepStrictEqual(synced(), []);
  });
});

describe('kubelet back-off syncs', () => {
  const pod = (name: string, image: string): KObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent' }] } }) as KObject;

  it('says BackOff again at every pod-worker sync of a crash loop (10 to 15 s), and the spam filter keeps the writes to one per 5 minutes past 25', () => {
    const cp = newTestControlPlane();
    createNodes(cp.ctx, 1).start();
    cp.settle();
    let writes = 0;
    cp.store.tap((t, r) => {
      if (t === '/events' && r.type !== 'DELETED' && r.object.involvedObject?.name === 'crash') writes++;
    });
    const p = cp.api.create(R.pods, 'default', pod('crash', 'kubeplay/exit:code-1-after-1s')).object;
    cp.advance(10 * MIN);
    const backOff = () => cp.eventsFor(p).find((e) => e.reason === 'BackOff')!;
    const at10 = backOff().count;
    cp.advance(50 * MIN);
    const restarts = cp.api.get(R.pods, 'default', 'crash').status.containerStatuses[0].restartCount;
    assert.ok(restarts >= 14, `restarts ${restarts}`);
    // An hour of back-offs, mostly 5 minutes long, re-synced every 10 to 15 s: about 4 to 6 a minute.
    assert.ok(backOff().count > 200 && backOff().count < 360, `BackOff x${backOff().count}`);
    assert.ok(backOff().count > at10 + 150);
    assert.ok(writes <= 25 + 12 + 1, `writes ${writes}`);
    // What went unwritten is not lost from the counts that were: Created lags the restarts, as on a real node.
    const created = cp.eventsFor(p).find((e) => e.reason === 'Created')!;
    assert.ok(created.count < restarts, `Created x${created.count} against ${restarts} restarts`);
  });

  it('says Back-off pulling image again at every sync while the pull waits', () => {
    const cp = newTestControlPlane();
    createNodes(cp.ctx, 1).start();
    cp.settle();
    const p = cp.api.create(R.pods, 'default', pod('bad', 'kubeplay/missing:1.0')).object;
    cp.advance(2 * MIN);
    const evs = cp.eventsFor(p);
    const backOff = evs.find((e) => e.message === 'Back-off pulling image "kubeplay/missing:1.0"')!;
    const failedPulls = evs.find((e) => e.message === 'Error: ErrImagePull')!.count;
    // Pull back-offs of 10, 20 and 40 s in two minutes: syncs inside them say it again.
    assert.ok(failedPulls >= 3 && failedPulls <= 5, `ErrImagePull x${failedPulls}`);
    assert.ok(backOff.count > failedPulls + 2, `BackOff x${backOff.count}`);
    assert.strictEqual(evs.find((e) => e.message === 'Error: ImagePullBackOff')!.count, backOff.count);
  });
});

describe('the recorder\'s own bookkeeping', () => {
  it('keeps the newest Events up to its cap, the oldest going first', () => {
    const cp = newTestControlPlane();
    const rec = new Recorder(cp.store, cp.clock, cp.rand, { maxEvents: 5 });
    const cm = configMap(cp, 'c');
    for (let i = 0; i < 8; i++) rec.event({ component: 'x' }, cm, 'Normal', `Step${i}`, `step ${i}`);
    assert.deepStrictEqual(cp.eventsFor(cm).map((e) => e.reason).sort(), ['Step3', 'Step4', 'Step5', 'Step6', 'Step7']);
  });

  it('forgets an object\'s aggregation, repeat and spam records once 4096 newer keys push them out, and the keys after start afresh', () => {
    const cp = newTestControlPlane();
    const rec = new Recorder(cp.store, cp.clock, cp.rand);
    const cm = configMap(cp, 'c');
    const x = { component: 'x' };
    // 9 different messages of one reason (one short of combining), a repeat, then the rest of the spam budget of 25.
    for (let i = 0; i < 9; i++) rec.event(x, cm, 'Warning', 'Failed', `attempt ${i} failed`);
    rec.event(x, cm, 'Warning', 'Failed', 'attempt 8 failed');
    for (let i = 0; i < 15; i++) rec.event(x, cm, 'Normal', `Reason${i}`, 'm');
    rec.event(x, cm, 'Normal', 'Dropped', 'over the budget');
    assert.ok(!cp.eventsFor(cm).some((e) => e.reason === 'Dropped'));
    // A minute later, an event about each of 4096 new objects: every cache turns over.
    cp.advance(MIN);
    const pods: KObject[] = [];
    for (let i = 0; i < 4096; i++) {
      const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resourceVersion: '1' } } as KObject;
      pods.push(p);
      rec.event({ component: 'kubelet', host: 'n1' }, p, 'Normal', 'Pulled', 'pulled', 'spec.containers{c}');
    }
    // The newest objects' keys took the places (and the records) of the oldest: each starts with a count of 1, a
    // single message and a whole budget.
    for (const p of pods.slice(-30)) {
      const pulled = (message: string) => rec.event({ component: 'kubelet', host: 'n1' }, p, 'Normal', 'Pulled', message, 'spec.containers{c}');
      pulled('pulled');
      for (let i = 0; i < 23; i++) pulled(`pulled ${i % 10}`);
      // 9 messages of their own (the first twice), then the 15 past them combined, every one written.
      const evs = cp.eventsFor(p);
      assert.strictEqual(evs.length, 10, p.metadata.name);
      assert.deepStrictEqual(evs.filter((e) => e.message === 'pulled').map((e) => [e.count, e.firstTimestamp]), [[2, '2026-01-01T00:01:00Z']], p.metadata.name);
      assert.deepStrictEqual(evs.filter((e) => e.message.startsWith('(combined from similar events): ')).map((e) => e.count), [15], p.metadata.name);
    }
    // The first object has no records left: a tenth message is an Event of its own, past the old budget, and a repeat
    // of an old message starts a new Event.
    rec.event(x, cm, 'Warning', 'Failed', 'attempt 9 failed');
    rec.event(x, cm, 'Warning', 'Failed', 'attempt 8 failed');
    const failed = cp.eventsFor(cm).filter((e) => e.reason === 'Failed');
    assert.strictEqual(failed.length, 11);
    assert.ok(!failed.some((e) => e.message.startsWith('(combined')));
    assert.deepStrictEqual(failed.filter((e) => e.message === 'attempt 8 failed').map((e) => e.count).sort(), [1, 2]);
  });

  it('shares one frozen involvedObject between events about one version of an object and one field path', () => {
    const cp = newTestControlPlane();
    const cm = configMap(cp, 'c');
    const ev = (reason: string, obj: KObject, fieldPath?: string) => {
      cp.ctx.events.event({ component: 'kubelet', host: 'n1' }, obj, 'Normal', reason, reason, fieldPath);
      return cp.eventsFor(cm).find((e) => e.reason === reason)!;
    };
    const a = ev('Pulling', cm, 'spec.containers{c}');
    const b = ev('Pulled', cm, 'spec.containers{c}');
    assert.strictEqual(a.involvedObject, b.involvedObject);
    const other = ev('Created', cm, 'spec.containers{d}');
    assert.notStrictEqual(other.involvedObject, a.involvedObject);
    assert.strictEqual(other.involvedObject.fieldPath, 'spec.containers{d}');
    // A new version of the object: a new reference, with its resourceVersion.
    const next = cp.api.update(R.configmaps, 'default', { ...cm, data: { k: 'v' } }).object;
    const c = ev('Started', next, 'spec.containers{d}');
    assert.strictEqual(c.involvedObject.resourceVersion, next.metadata.resourceVersion);
    assert.notStrictEqual(c.involvedObject.resourceVersion, a.involvedObject.resourceVersion);
  });
});


describe('Events kept back while nobody reads them', () => {
  /**
   * One history of Events: new ones past a cap of 5, repeats of kept ones and of dropped ones, an hour's TTL, and a
   * series of the scheduler's. `watched` has a watcher of Events from the start, so every write goes to the store as
   * it is made; otherwise the recorder keeps its writes back until something reads.
   */
  function history(watched: boolean, maxEvents = 5) {
    const cp = newTestControlPlane();
    const seen: string[] = [];
    if (watched) cp.store.watch('/events', { lastRev: 0, deliver: (r) => seen.push(`${r.type} ${r.object.metadata.name} ${r.rev}`) }, undefined);
    const rec = new Recorder(cp.store, cp.clock, cp.rand, { maxEvents });
    const cm = configMap(cp, 'c');
    const other = configMap(cp, 'd');
    const x = { component: 'x' };
    rec.event(x, cm, 'Normal', 'Early', 'gone in an hour');
    rec.event(x, cm, 'Normal', 'Early', 'gone in an hour');
    cp.advance(61 * MIN);
    for (let i = 0; i < 4; i++) rec.event(x, cm, 'Normal', `Step${i}`, `step ${i}`);
    rec.event(x, cm, 'Normal', 'Step1', 'step 1');
    for (let i = 0; i < 6; i++) rec.event(x, other, 'Warning', `Other${i}`, 'again');
    // Step0 and Step2 are gone by now: their repeats are Events again, under the names the logger remembers.
    rec.event(x, cm, 'Normal', 'Step0', 'step 0');
    rec.event(x, other, 'Warning', 'Other5', 'again');
    rec.eventV1({ controller: 'default-scheduler', instance: 's' }, cm, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no nodes');
    rec.eventV1({ controller: 'default-scheduler', instance: 's' }, cm, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no nodes');
    rec.event(x, cm, 'Normal', 'Early', 'gone in an hour');
    rec.event(x, other, 'Warning', 'Other5', 'again');
    // A read writes what was kept back; then the scheduler's Scheduled, said once per pod version (kept back with no
    // series entry), and another read; then a repeat of an Event written by a read, and enough new ones after that
    // the recorder tidies its list of writes kept back (past 10,000 dropped) while some of them are kept back.
    const reads = () => [...cp.store.table('/events').all()].map((e) => JSON.stringify(e)).sort();
    const read = reads();
    for (let i = 0; i < 3; i++) rec.eventV1({ controller: 'default-scheduler', instance: 's' }, other, undefined, 'Normal', 'Scheduled', 'Binding', `bound ${i}`, true);
    const read2 = reads();
    rec.event(x, cm, 'Normal', 'Step1', 'step 1');
    rec.eventV1({ controller: 'default-scheduler', instance: 's' }, cm, undefined, 'Normal', 'Scheduled', 'Binding', 'bound again', true);
    for (let i = 0; i < 12_000; i++) rec.event({ component: `c${i}` }, i % 2 ? cm : other, 'Normal', 'Many', `many ${i}`);
    rec.event(x, cm, 'Normal', 'Step1', 'step 1');
    cp.settle();
    const events = [...cp.store.list('/events')].map((e) => JSON.stringify(e)).sort();
    return { cp, events, seen, read, read2, rev: cp.store.rev, next: cp.rand.next() };
  }

  it('end with the same Events, revisions and random draws as writes made at once', () => {
    const live = history(true);
    const kept = history(false);
    assert.ok(live.seen.length > 20, 'the watcher saw every write as it was made');
    assert.strictEqual(kept.rev, live.rev);
    assert.strictEqual(kept.next, live.next);
    assert.deepStrictEqual(kept.read, live.read);
    assert.deepStrictEqual(kept.read2, live.read2);
    assert.deepStrictEqual(kept.events, live.events);
    assert.ok(kept.read2.some((e) => JSON.parse(e).reason === 'Scheduled'), 'a Scheduled kept back was written at the read');
    assert.ok(kept.read.some((e) => JSON.parse(e).count === 2), 'a repeat of a kept Event bumped its count');
  });

  it('end the same with a cap of 1,000, past which more are kept back than the recorder first makes room for', () => {
    const live = history(true, 1000);
    const kept = history(false, 1000);
    assert.strictEqual(kept.rev, live.rev);
    assert.strictEqual(kept.next, live.next);
    assert.deepStrictEqual(kept.read2, live.read2);
    assert.deepStrictEqual(kept.events, live.events);
    assert.strictEqual(kept.events.length, 1000);
  });

  it('are in the store only once something reads, and a watch from before those the cap dropped is 410 Gone', () => {
    const cp = newTestControlPlane();
    const rec = new Recorder(cp.store, cp.clock, cp.rand, { maxEvents: 3 });
    const cm = configMap(cp, 'c');
    const before = String(cp.store.rev);
    for (let i = 0; i < 8; i++) rec.event({ component: 'x' }, cm, 'Normal', `Step${i}`, `step ${i}`);
    assert.strictEqual((cp.store as any).tables.get('/events')?.size ?? 0, 0, 'nothing is written while nobody reads');
    assert.strictEqual([...cp.store.table('/events').all()].length, 3, 'reading the table writes the three the cap keeps');
    assert.throws(() => cp.api.watch({ group: '', version: 'v1', resource: 'events' }, 'default', { resourceVersion: before }, () => {}), (e: any) => e.code === 410);
    // A watch from now on sees the next Event as it is written: nothing is kept back while someone watches.
    const got: string[] = [];
    const h = cp.api.watch({ group: '', version: 'v1', resource: 'events' }, 'default', { resourceVersion: String(cp.store.rev) }, (e) => got.push(`${e.type} ${e.object.reason}`));
    rec.event({ component: 'x' }, cm, 'Normal', 'Watched', 'seen');
    cp.settle();
    assert.deepStrictEqual(got, ['ADDED Watched', 'DELETED Step5']);
    h.stop();
  });
});
