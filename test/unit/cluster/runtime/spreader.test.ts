import * as assert from 'assert';
import { Spreader } from '../../../../cluster/src/runtime/spreader';

/** The same own keys, in the same order, with the same values (deepStrictEqual does not look at the order). */
function sameAsSpread(got: object, want: object): void {
  assert.deepStrictEqual(Object.keys(got), Object.keys(want));
  assert.deepStrictEqual(got, want);
  assert.strictEqual(Object.getPrototypeOf(got), Object.prototype);
}

describe('Spreader', () => {
  it('copies as the spread does: the fields replace in place where the source has them, else come last in their order', () => {
    const s = new Spreader(['spec', 'status']);
    const withBoth = Object.freeze({ kind: 'Pod', spec: 1, metadata: { a: 1 }, status: 2 });
    sameAsSpread(s.spread(withBoth, 'S', 'T'), { ...withBoth, spec: 'S', status: 'T' });
    // The same shape again (the compiled copy), then others: fields missing, a value undefined, a number-like key.
    sameAsSpread(s.spread(Object.freeze({ kind: 'Pod', spec: 3, metadata: { b: 2 }, status: 4 }), 'S2', undefined), { kind: 'Pod', spec: 'S2', metadata: { b: 2 }, status: undefined });
    const without = Object.freeze({ b: 1, a: undefined, 2: 'x', 1: 'y' });
    sameAsSpread(s.spread(without, 'S', 'T'), { ...without, spec: 'S', status: 'T' });
    const partial = { status: 0, x: 1 };
    sameAsSpread(s.spread(partial, 'S', 'T'), { ...partial, spec: 'S', status: 'T' });
    // A copy is its own object, never the source's.
    const c = s.spread(partial, 1, 2);
    assert.notStrictEqual(c, partial);
    assert.strictEqual(partial.status, 0);
  });

  it('copies keys that are not names, and an own __proto__ key as the spread does', () => {
    const s = new Spreader(['nodeName']);
    const odd = Object.freeze({ 'a-b': 1, 'with "quotes"\n': 2, constructor: 3 });
    sameAsSpread(s.spread(odd, 'n'), { ...odd, nodeName: 'n' });
    const proto = JSON.parse('{"x": 1, "__proto__": {"y": 2}}');
    const got = s.spread(proto, 'n');
    sameAsSpread(got, { ...proto, nodeName: 'n' });
    assert.ok(Object.prototype.hasOwnProperty.call(got, '__proto__'));
  });

  it('spreads objects of shapes past the ones it compiled as the spread does', () => {
    const s = new Spreader(['f']);
    for (let i = 0; i < 20; i++) {
      const src: Record<string, number> = {};
      for (let k = 0; k <= i; k++) src[`k${k}`] = k;
      sameAsSpread(s.spread(src, i), { ...src, f: i });
      sameAsSpread(s.spread(src, i), { ...src, f: i });
    }
    const none = new Spreader();
    const src = Object.freeze({ a: 1, b: { c: 2 } });
    const copy = none.spread(src);
    sameAsSpread(copy, { ...src });
    assert.strictEqual(copy.b, src.b, 'a shallow copy');
    assert.ok(!Object.isFrozen(copy));
  });
});
