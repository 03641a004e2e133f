import * as assert from 'assert';
import { Interner } from '../../../../cluster/src/runtime/intern';

describe('Interner', () => {
  it('makes each key once, answers the kept value after, and forgets all when full', () => {
    const made: string[] = [];
    const t = new Interner<{ k: string }>(3);
    const make = (k: string) => {
      made.push(k);
      return { k };
    };
    const a = t.get('a', make);
    assert.strictEqual(t.get('a', make), a);
    t.get('b', make);
    assert.strictEqual(t.get('a', make), a, 'a kept value, not only the last one');
    t.get('c', make);
    assert.deepStrictEqual(made, ['a', 'b', 'c']);
    // A fourth key finds the table full: everything is forgotten and made again when asked for.
    t.get('d', make);
    assert.notStrictEqual(t.get('a', make), a);
    assert.deepStrictEqual(made, ['a', 'b', 'c', 'd', 'a']);
  });

  it('keeps number keys apart from their spellings as text', () => {
    const t = new Interner<string, string | number>(16);
    assert.strictEqual(t.get(5, (k) => `number ${k}`), 'number 5');
    assert.strictEqual(t.get('5', (k) => `text ${k}`), 'text 5');
    assert.strictEqual(t.get(5, () => 'made again'), 'number 5');
  });

  it('keeps nothing when make throws, and nothing after clear', () => {
    const t = new Interner<string>(16);
    assert.throws(() => t.get('bad', () => { throw new Error('no'); }), /no/);
    assert.strictEqual(t.get('bad', () => 'good'), 'good');
    t.get('x', () => 'first');
    t.clear();
    // Not even the last answer survives a clear.
    assert.strictEqual(t.get('x', () => 'second'), 'second');
  });
});
