import * as assert from 'assert';
import { EventKeyLru } from '../../../../cluster/src/runtime/lru';
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
      if (op < 0.5) {
        const got = lru.get(...f);
        const at = ref.findIndex(([k]) => k === key);
        assert.strictEqual(got, at >= 0 ? ref[at][1] : undefined, `get ${key} at step ${i}`);
        if (at >= 0) ref.push(...ref.splice(at, 1));
      } else {
        // `add` is for keys known to be absent; `set` for any.
        const present = ref.some(([k]) => k === key);
        if (!present && op < 0.75) lru.add(...f, i);
        else lru.set(...f, i);
        ref = ref.filter(([k]) => k !== key);
        ref.push([key, i]);
        if (ref.length > cap) ref.shift();
      }
      if (i % 997 === 0) assert.deepStrictEqual([...lru.keys()], ref.map(([k]) => k), `order at step ${i}`);
    }
    assert.strictEqual(lru.size, cap);
    lru.clear();
    lru.set('o', '', 'c', '', 'Normal', 'r', null, 1);
    assert.deepStrictEqual([...lru.keys()], ['o\u0000c\u0000\u0000Normal\u0000r']);
  });
});
