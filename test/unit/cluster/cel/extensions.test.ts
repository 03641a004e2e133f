/**
 * The cel-go extensions of Kubernetes' base environment that cel-js lacks: strings.quote, ext.Sets and the
 * two-variable comprehensions, with cel-go's results, errors and costs.
 */
import * as assert from 'node:assert/strict';
import { compile, environment, runtimeErrorText } from '../../../../cluster/src/cel/engine';
import { runMetered } from '../../../../cluster/src/cel/cost';
import { estimateCost, sizeModel } from '../../../../cluster/src/cel/estimate';

function run(src: string, self: unknown = {}): unknown {
  const c = compile(environment(['self']), src);
  assert.ok(c.program, c.error);
  return c.program!({ self });
}

const compileError = (src: string) => compile(environment(['self']), src).error?.split('\n')[0];

describe('CEL: the cel-go extensions of the base environment', () => {
  it('strings.quote writes CEL\'s escapes out (ext/strings.go quote)', () => {
    assert.equal(run('strings.quote(\'single-quote with "double quote"\')'), '"single-quote with \\"double quote\\""');
    assert.equal(run('strings.quote("two escape sequences \\a\\n")'), '"two escape sequences \\a\\n"');
  });

  it('sets.contains, sets.equivalent and sets.intersects, with CEL equality', () => {
    assert.equal(run('sets.contains([], []) && !sets.contains([], [1]) && sets.contains([1, 2, 3, 4], [2, 3])'), true);
    assert.equal(run('sets.equivalent([1, 2, 2], [2, 1]) && !sets.equivalent([1], [1, 2])'), true);
    assert.equal(run('!sets.intersects([1], []) && sets.intersects([1], [1, 2]) && sets.intersects([[1], [2, 3]], [[1, 2], [2, 3]])'), true);
    assert.equal(run('sets.contains(self.a, self.b) && sets.intersects(self.c, self.d)', { a: [1n, 2n], b: [2], c: [{ x: 1n }], d: [{ x: 1n }, { x: 2n }] }), true);
    assert.equal(run('sets.contains(self.a, self.b)', { a: [1n], b: [1.0] }), true);
  });

  it('sets refuse two lists of different element types when written, as cel-go\'s list(T), list(T) declarations do', () => {
    assert.equal(compileError('sets.contains([1, 2], ["a"])'), "ERROR: <input>:1:14: found no matching overload for 'sets.contains' applied to '(list(int), list(string))'");
    assert.equal(compileError('sets.intersects([1], [1.0])'), "ERROR: <input>:1:16: found no matching overload for 'sets.intersects' applied to '(list(int), list(double))'");
    assert.equal(compileError('sets.equivalent([[1]], [["a"]])'), "ERROR: <input>:1:16: found no matching overload for 'sets.equivalent' applied to '(list(list(int)), list(list(string)))'");
    // A dyn, or an empty literal's free element type, goes with any list.
    assert.equal(compileError('sets.contains(self.a, ["a"]) && sets.intersects([], [1]) && sets.equivalent([{"a": 1}], [{"b": 2}])'), undefined);
  });

  it('two-variable comprehensions: all, exists, existsOne over index or key and value', () => {
    assert.equal(run('[10, 20].all(i, v, v > i * 10) && !["a", "b"].all(i, v, i == 0)'), true);
    assert.equal(run('{"a": 1, "b": 2}.exists(k, v, k == "b" && v == 2) && self.existsOne(k, v, v > 1)', { x: 1n, y: 2n }), true);
    // all/exists keep going past an error: a false (true) answer wins over it, as the one-variable forms.
    assert.equal(run('[0, 1].all(i, v, 1 / v > 5)'), false);
    assert.equal(runtimeErrorText(runMetered(compile(environment(['self']), '[0, 1].all(i, v, 1 / v > 0)').program!, {}).error), 'division by zero');
  });

  it('transformList, transformMap and transformMapEntry, with an optional filter', () => {
    assert.deepEqual(run('[1, 2, 3].transformList(i, v, i > 0, v * 2)'), [4n, 6n]);
    assert.deepEqual(run('{"a": 1, "b": 2}.transformMap(k, v, v > 1, k + "!")'), { b: 'b!' });
    assert.deepEqual(run('["x", "y"].transformMapEntry(i, v, {v: i})'), { x: 0n, y: 1n });
    assert.equal(runtimeErrorText(runMetered(compile(environment(['self']), '[1, 2].transformMapEntry(i, v, {"k": v})').program!, {}).error), 'insert failed: key k already exists');
  });

  it('refuses what cel-go\'s macro expansion and checker refuse', () => {
    assert.match(compileError('[1].all(i, i, true)') ?? '', /duplicate variable name: i/);
    assert.equal(compileError('[1].all(i, v, v)'), "ERROR: <input>:1:15: found no matching overload for '_&&_' applied to '(bool, int)'");
  });

  it('costs what cel-go charges: the one-variable forms\' steps, and sets\' product of sizes', () => {
    const cost = (src: string) => runMetered(compile(environment(['self']), src).program!, { self: [1n, 2n, 3n] }).cost;
    assert.equal(cost('self.all(i, v, v > 0)'), cost('self.all(x, x > 0)'));
    assert.equal(cost('self.transformList(i, v, v)'), cost('self.map(v, v)'));
    // self 1, the literal 10, then 1 + 3 * 2.
    assert.equal(cost('sets.contains(self, [1, 2])'), 18);
    assert.equal(cost('sets.equivalent(self, [1, 2])'), 24);
    // The estimate walks them too: a list of at most 10 items.
    const model = sizeModel({ type: 'array', maxItems: 10, items: { type: 'integer' } } as any, false);
    const est = (src: string) => estimateCost(compile(environment(['self']), src).program, model);
    assert.equal(est('self.all(i, v, v > 0)'), est('self.all(x, x > 0)'));
    assert.equal(est('sets.contains(self, self)'), 1 + 1 + 1 + 100);
  });
});
