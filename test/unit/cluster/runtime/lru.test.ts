import * as assert from 'assert';
import { LruMap } from '../../../../cluster/src/runtime/lru';
import { SeededRand } from '../../../../cluster/src/runtime/rand';

describe('LruMap', () => {
  it('keeps exactly the most recently used keys, in order, over a long random run', () => {
    const rand = new SeededRand(7);
    const cap = 50;
    const lru = new LruMap<number>(cap);
    // The reference: an array, most recently used last.
    let ref: [string, number][] = [];
    for (let i = 0; i < 200_000; i++) {
      // Few keys, so gets hit, sets overwrite and the table rehashes many times.
      const key = `k${Math.floor(rand.next() * 120)}`;
      if (rand.next() < 0.5) {
        const got = lru.get(key);
        const at = ref.findIndex(([k]) => k === key);
        assert.strictEqual(got, at >= 0 ? ref[at][1] : undefined, `get ${key} at step ${i}`);
        if (at >= 0) ref.push(...ref.splice(at, 1));
      } else {
        lru.set(key, i);
        ref = ref.filter(([k]) => k !== key);
        ref.push([key, i]);
        if (ref.length > cap) ref.shift();
      }
      if (i % 997 === 0) assert.deepStrictEqual([...lru.keys()], ref.map(([k]) => k), `order at step ${i}`);
    }
    assert.strictEqual(lru.size, cap);
    lru.clear();
    lru.set('a', 1);
    assert.deepStrictEqual([...lru.keys()], ['a']);
  });
});
