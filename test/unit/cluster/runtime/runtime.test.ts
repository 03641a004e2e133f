import * as assert from 'assert';
import { SimClock } from '../../../../cluster/src/runtime/clock';
import { SeededRand } from '../../../../cluster/src/runtime/rand';
import { WorkQueue } from '../../../../cluster/src/runtime/queue';
import { Loop } from '../../../../cluster/src/runtime/loop';
import { Store } from '../../../../cluster/src/store/store';
import { informerFor } from '../../../../cluster/src/runtime/informer';
import { deepCopy, deepEqual, deepFreeze } from '../../../../cluster/src/runtime/objects';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import type { OwnerReference } from '../../../../cluster/src/contract';

describe('cluster runtime', () => {
  describe('SimClock', () => {
    it('fires timers in due order, same-time timers in creation order, and only when pulled', () => {
      const c = new SimClock(1000);
      const seen: string[] = [];
      c.setTimer(50, () => seen.push('b50'));
      c.setTimer(10, () => seen.push('a10'));
      c.setTimer(50, () => seen.push('c50'));
      const h = c.setTimer(20, () => seen.push('cancelled'));
      c.clearTimer(h);
      assert.strictEqual(c.runDue(), false);
      const loop = new Loop(c, new Store());
      loop.advance(100);
      assert.deepStrictEqual(seen, ['a10', 'b50', 'c50']);
      assert.strictEqual(c.now(), 1100);
    });

    it('keeps (due time, creation order) through bursts at one instant, cancellations and timers set earlier than the next one due', () => {
      const c = new SimClock(0);
      const loop = new Loop(c, new Store());
      const seen: number[] = [];
      const want: Array<[number, number]> = [];
      let n = 0;
      const set = (delay: number) => {
        const id = n++;
        want.push([c.now() + delay, id]);
        return { id, h: c.setTimer(delay, () => seen.push(id)) };
      };
      // A far timer first, then, from inside a timer, a burst of 3,000 at one instant (past the slot's compaction)
      // with every third cancelled, and zero delays set while later instants wait.
      set(500);
      assert.strictEqual(c.nextAt(), 500);
      c.setTimer(10, () => {
        for (let i = 0; i < 3000; i++) {
          const t = set(i % 2 ? 40 : 0);
          if (i % 3 === 0) {
            c.clearTimer(t.h);
            want.splice(want.findIndex(([, id]) => id === t.id), 1);
          }
        }
      });
      loop.advance(1000);
      want.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.deepStrictEqual(seen, want.map(([, id]) => id));
      assert.strictEqual(c.pendingTimers(), 0);
      assert.strictEqual(c.nextAt(), undefined);
    });

    it('runUntil stops as soon as the condition holds', () => {
      const c = new SimClock(0);
      const loop = new Loop(c, new Store());
      let n = 0;
      for (let i = 1; i <= 10; i++) c.setTimer(i * 100, () => n++);
      assert.strictEqual(loop.runUntil(() => n >= 3, 10_000), true);
      assert.strictEqual(c.now(), 300);
      assert.strictEqual(loop.runUntil(() => n >= 100, 500), false);
      assert.strictEqual(c.now(), 800);
    });

    it('refuses to move time from inside the loop, where no timer could fire (it would spin for ever)', () => {
      const c = new SimClock(0);
      const loop = new Loop(c, new Store());
      const errors: string[] = [];
      c.setTimer(10, () => {
        for (const move of [() => loop.advance(1000), () => loop.runUntil(() => false, 1000)]) {
          try { move(); } catch (e) { errors.push((e as Error).message); }
        }
      });
      c.setTimer(20, () => errors.push('later timer ran'));
      loop.advance(100);
      assert.deepStrictEqual(errors, ['simulated time cannot move from inside the playground loop', 'simulated time cannot move from inside the playground loop', 'later timer ran']);
      assert.strictEqual(c.now(), 100);
    });
  });

  describe('SeededRand', () => {
    it('repeats per seed and differs across seeds', () => {
      const a = new SeededRand(42);
      const b = new SeededRand(42);
      const c = new SeededRand(43);
      const sa = a.string(20, 'abc123');
      assert.strictEqual(sa, b.string(20, 'abc123'));
      assert.notStrictEqual(sa, c.string(20, 'abc123'));
      for (let i = 0; i < 1000; i++) {
        const x = a.next();
        assert.ok(x >= 0 && x < 1);
      }
    });
  });

  describe('WorkQueue', () => {
    it('dedupes keys, runs one per turn, and backs off failing keys exponentially', () => {
      const c = new SimClock(0);
      const loop = new Loop(c, new Store());
      const runs: [string, number][] = [];
      let failuresLeft = 3;
      const q = new WorkQueue(c, (k) => {
        runs.push([k, c.now()]);
        if (k === 'bad' && failuresLeft-- > 0) throw new Error('boom');
      });
      q.add('a');
      q.add('a');
      q.add('bad');
      loop.settle();
      assert.deepStrictEqual(runs, [['a', 0], ['bad', 0]]);
      loop.advance(1000);
      // retries after 5, 10 and 20 ms
      assert.deepStrictEqual(runs.filter((r) => r[0] === 'bad').map((r) => r[1]), [0, 5, 15, 35]);
      // The fourth run succeeded: the key's back-off is forgotten, as the controllers' queue.Forget does.
      assert.strictEqual(q.numRequeues('bad'), 0);
    });

    it('addAfter keeps the sooner time of a key already waiting, as client-go\'s delaying queue', () => {
      const c = new SimClock(0);
      const loop = new Loop(c, new Store());
      const runs: number[] = [];
      const q = new WorkQueue(c, () => { runs.push(c.now()); });
      q.addAfter('k', 10_000);
      q.addAfter('k', 1_000);
      q.addAfter('k', 5_000);
      loop.advance(20_000);
      assert.deepStrictEqual(runs, [1_000]);
    });
  });

  describe('objects', () => {
    it('deepFreeze makes stored objects read-only; deepCopy gives a writable copy', () => {
      const o = deepFreeze({ a: { b: [1, 2] } }) as any;
      assert.throws(() => {
        o.a.b.push(3);
      });
      const c = deepCopy(o);
      c.a.b.push(3);
      assert.deepStrictEqual(c.a.b, [1, 2, 3]);
      assert.ok(deepEqual({ x: 1, y: undefined }, { x: 1 }));
      assert.ok(!deepEqual({ x: [1] }, { x: [2] }));
    });
  });

  describe('shared informers', () => {
    it('are shared per Api, follow writes through the loop, and index by namespace and owner', () => {
      const cp = newTestControlPlane();
      const inf = informerFor(cp.ctx, R.configmaps);
      assert.strictEqual(informerFor(cp.ctx, R.configmaps), inf);
      const seen: string[] = [];
      inf.on({ add: (o) => seen.push('add ' + o.metadata.name), update: (_a, b) => seen.push('update ' + b.metadata.name), delete: (o) => seen.push('delete ' + o.metadata.name) });
      const owner = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } }).object;
      cp.api.create(R.configmaps, 'kube-system', {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: 'dep', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] },
      });
      assert.deepStrictEqual(seen, [], 'nothing is delivered from inside a write');
      cp.settle();
      assert.deepStrictEqual(seen, ['add owner', 'add dep']);
      assert.deepStrictEqual(inf.list('kube-system').map((o) => o.metadata.name), ['dep']);
      assert.deepStrictEqual(inf.byOwner(owner.metadata.uid!).map((o) => o.metadata.name), ['dep']);
      cp.api.patch(R.configmaps, 'default', 'owner', 'merge', { data: { k: 'v' } });
      cp.api.delete(R.configmaps, 'kube-system', 'dep');
      cp.settle();
      assert.deepStrictEqual(seen.slice(2), ['update owner', 'delete dep']);
      assert.deepStrictEqual(inf.byOwner(owner.metadata.uid!), []);
      assert.strictEqual(inf.get('default', 'owner')!.data.k, 'v');
    });

    it('hand a controller kind\'s handlers only the objects that kind controls and orphans, in registration order', () => {
      const cp = newTestControlPlane();
      const inf = informerFor(cp.ctx, R.configmaps);
      const seen: string[] = [];
      const ref = (kind: string, controller: boolean) => [{ apiVersion: 'v1', kind, name: 'o', uid: 'u-' + kind, controller }];
      const cm = (name: string, ownerReferences?: OwnerReference[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences } });
      cp.api.create(R.configmaps, 'default', cm('early-a', ref('A', true)));
      cp.api.create(R.configmaps, 'default', cm('early-b', ref('B', true)));
      cp.settle();
      const on = (who: string, controllerKind?: string) =>
        inf.on({
          add: (o) => seen.push(`${who} add ${o.metadata.name}`),
          update: (_a, b) => seen.push(`${who} update ${b.metadata.name}`),
          delete: (o) => seen.push(`${who} delete ${o.metadata.name}`),
          controllerKind,
        });
      on('A', 'A');
      on('all');
      on('B', 'B');
      assert.deepStrictEqual(seen, ['A add early-a', 'all add early-a', 'all add early-b', 'B add early-b'], 'replays skip the other kinds');
      seen.length = 0;
      cp.api.create(R.configmaps, 'default', cm('a', ref('A', true)));
      cp.api.create(R.configmaps, 'default', cm('orphan'));
      cp.api.create(R.configmaps, 'default', cm('owned-not-controlled', ref('B', false)));
      cp.api.patch(R.configmaps, 'default', 'a', 'merge', { data: { k: 'v' } });
      cp.api.delete(R.configmaps, 'default', 'early-b');
      cp.settle();
      assert.deepStrictEqual(seen, [
        'A add a', 'all add a',
        'A add orphan', 'all add orphan', 'B add orphan',
        'A add owned-not-controlled', 'all add owned-not-controlled', 'B add owned-not-controlled',
        'A update a', 'all update a',
        'all delete early-b', 'B delete early-b',
      ]);
      // A controller reference that changes kind: the update reaches the old kind's handlers and the new one's.
      seen.length = 0;
      cp.api.patch(R.configmaps, 'default', 'a', 'merge', { metadata: { ownerReferences: ref('B', true) } });
      cp.api.patch(R.configmaps, 'default', 'a', 'merge', { data: { k: 'w' } });
      cp.settle();
      assert.deepStrictEqual(seen, ['A update a', 'all update a', 'B update a', 'all update a', 'B update a']);
    });
  });
});
