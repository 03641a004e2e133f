import * as assert from 'assert';
import { EventKeyLru, KeyGroupIndex } from '../../../../cluster/src/runtime/lru';
import { SeededRand } from '../../../../cluster/src/runtime/rand';

describe('EventKeyLru', () => {
  it('keeps exactly the most recently used keys, in order, over a long random run', () => {
    const rand = new SeededRand(7);
    const cap = 50;
    const lru = new EventKeyLru<number>(cap);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand.next() * xs.length)];
    // The reference: an array of joined keys, most recently used last.
    let ref: [string, number][] = [];
    for (let i = 0; i < 200_000; i++) {
      // Few keys over few objects, so gets hit, sets overwrite, and groups grow and shrink.
      // Every field takes part in the key: keys that differ in one field alone are distinct.
      const f: [string, string, string, string, string, string, string | null] = [
        pick(['uid-a', 'uid-b', 'uid-c', 'uid-d']), pick(['', 'spec.containers{a}', 'spec.containers{b}']), pick(['kubelet', 'scheduler']), pick(['', 'node-1']),
        pick(['Normal', 'Warning']), pick(['Pulled', 'Started', 'BackOff']), pick([null, 'm1', 'm2']),
      ];
      // The field path (the second field) counts as part of the object: joined to it when there is one.
      const key = [f[1] ? `${f[0]}\u0000${f[1]}` : f[0], ...f.slice(2, 6), ...(f[6] === null ? [] : [f[6]])].join('\u0000');
      const op = rand.next();
      const [id, ...rest] = f;
      if (op < 0.5) {
        const got = lru.get(lru.index.find(id), ...rest);
        const at = ref.findIndex(([k]) => k === key);
        assert.strictEqual(got, at >= 0 ? ref[at][1] : undefined, `get ${key} at step ${i}`);
        if (at >= 0) ref.push(...ref.splice(at, 1));
      } else {
        // `add` is for keys known to be absent; `set` for any.
        const present = ref.some(([k]) => k === key);
        if (!present && op < 0.75) lru.add(lru.index.group(id), ...rest, i);
        else lru.set(lru.index.group(id), ...rest, i);
        ref = ref.filter(([k]) => k !== key);
        ref.push([key, i]);
        if (ref.length > cap) ref.shift();
      }
      if (i % 997 === 0) {
        assert.deepStrictEqual([...lru.keys()], ref.map(([k]) => k), `order at step ${i}`);
        // A group lives exactly as long as a key of its object.
        assert.strictEqual(lru.index.size, new Set(ref.map(([k]) => k.slice(0, k.indexOf('\u0000')))).size, `groups at step ${i}`);
      }
    }
    assert.strictEqual(lru.size, cap);
    lru.clear();
    assert.strictEqual(lru.index.size, 0);
    lru.set(lru.index.group('o'), '', 'c', '', 'Normal', 'r', null, 1);
    assert.deepStrictEqual([...lru.keys()], ['o\u0000c\u0000\u0000Normal\u0000r']);
  });

  it('shares groups between caches that key by the same objects, each keeping its own keys, order and cap', () => {
    const index = new KeyGroupIndex();
    const a = new EventKeyLru<number>(2, index);
    const b = new EventKeyLru<number>(3, index);
    const key = ['', 'kubelet', 'node-1', 'Normal'] as const;
    a.add(index.group('p1'), ...key, 'Pulled', null, 1);
    b.add(index.group('p1'), ...key, 'Pulled', 'm', 2);
    a.add(index.group('p2'), ...key, 'Pulled', null, 3);
    assert.strictEqual(a.get(index.find('p1'), ...key, 'Pulled', null), 1);
    assert.strictEqual(b.get(index.find('p1'), ...key, 'Pulled', null), undefined, 'the other cache does not see it');
    // a is full: p2's key is now its oldest and goes; p2 then has no key in either cache, and its group goes too.
    a.add(index.group('p3'), ...key, 'Started', null, 4);
    assert.deepStrictEqual([...a.keys()].map((k) => k.split('\u0000')[0]), ['p1', 'p3']);
    assert.strictEqual(index.find('p2'), undefined);
    // p1 leaves a but is kept for b.
    a.add(index.group('p4'), ...key, 'Started', null, 5);
    assert.deepStrictEqual([...a.keys()].map((k) => k.split('\u0000')[0]), ['p3', 'p4']);
    assert.strictEqual(b.get(index.find('p1'), ...key, 'Pulled', 'm'), 2);
    // An object's own oldest key gives its slot to the object's new key: the group stays.
    a.add(index.group('p3'), ...key, 'Created', null, 6);
    a.add(index.group('p3'), ...key, 'Killing', null, 7);
    assert.deepStrictEqual([...a.keys()], ['p3\u0000kubelet\u0000node-1\u0000Normal\u0000Created', 'p3\u0000kubelet\u0000node-1\u0000Normal\u0000Killing']);
    assert.strictEqual(a.get(index.find('p3'), ...key, 'Created', null), 6);
    assert.strictEqual(index.find('p4'), undefined);
    // Clearing one cache keeps the groups the other still holds keys of.
    a.clear();
    assert.deepStrictEqual([index.find('p1')?.id, index.find('p3'), index.size], ['p1', undefined, 1]);
    b.clear();
    assert.strictEqual(index.size, 0);
  });
});
