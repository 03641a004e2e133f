/**
 * The cel-go extensions of Kubernetes' base environment (apiserver/pkg/cel/environment/base.go) that cel-js lacks:
 * ext.Strings' `strings.quote` (version 1; Kubernetes enables version 2), ext.Sets (`sets.contains`,
 * `sets.equivalent`, `sets.intersects`, since 1.29) and ext.TwoVarComprehensions (since 1.32: `all`, `exists`,
 * `existsOne`, `transformList`, `transformMap` and `transformMapEntry` over an index or key and a value).
 *
 * cel-js has no namespaced functions: `sets` and `strings` are constants of a namespace type whose member functions
 * they call, as its own `cel.bind` is. The cost meter (cost.ts) and the estimator (estimate.ts) treat such a call as
 * the global function cel-go declares, and charge the two-variable comprehensions the steps of cel-go's expansions.
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };

/** The namespaces whose functions are called as members of a constant (`sets.contains(a, b)`). */
export const NAMESPACES: ReadonlySet<string> = new Set(['sets', 'strings', 'format']);

class SetsNamespace {}
class StringsNamespace {}

/**
 * A list whose schema says `x-kubernetes-list-type: set` (no keys) or `map` (the escaped `x-kubernetes-list-map-keys`):
 * apiserver/pkg/cel/common/values.go unstructuredSetList and unstructuredMapList, whose Equal ignores the order of
 * the elements. Otherwise an ordinary array.
 */
export class KeyedList extends Array<unknown> {
  mapKeys?: readonly string[];
}
// cel-js knows a list by its constructor being Array; so do map() and filter() of it, which make plain lists.
Object.defineProperty(KeyedList.prototype, 'constructor', { value: Array, writable: true, configurable: true });

/** Lists and objects with a KeyedList somewhere inside: their equality is celEquals' (engine.ts). */
export const keyedHolders = new WeakSet<object>();

/**
 * unstructuredSetList.Equal: as many elements, each of the other's in this set. unstructuredMapList.Equal: as many
 * elements, and each of the other's equal to this list's element with the same key fields.
 */
function keyedListEquals(a: KeyedList, b: unknown): boolean {
  if (!Array.isArray(b) || a.length !== b.length) return false;
  const keys = a.mapKeys;
  if (!keys) return b.every((x) => a.some((y) => celEquals(y, x)));
  const field = (e: unknown, k: string) => (e && typeof e === 'object' ? (e as Record<string, unknown>)[k] : undefined);
  return b.every((x) => {
    const mine = a.find((e) => keys.every((k) => celEquals(field(e, k), field(x, k))));
    return mine !== undefined && celEquals(mine, x);
  });
}

/**
 * `X + Y` with X a set or map list (values.go unstructuredSetList.Add, unstructuredMapList.Add; cel-go asks the left
 * operand): a set keeps X's elements in place and appends those of Y it does not hold yet; a map list keeps X's
 * positions, an element of Y replacing X's element with the same key fields, and appends Y's other elements (an
 * appended key is not looked up again, as upstream's index holds only X's keys). The result is of X's list type.
 */
export function keyedListAdd(a: KeyedList, b: unknown[]): KeyedList {
  const out = new KeyedList();
  out.push(...a);
  const keys = a.mapKeys;
  if (keys) {
    out.mapKeys = keys;
    const field = (e: unknown, k: string) => (e && typeof e === 'object' ? (e as Record<string, unknown>)[k] : undefined);
    const own = a.length;
    for (const y of b) {
      let i = 0;
      while (i < own && !keys.every((k) => celEquals(field(out[i], k), field(y, k)))) i++;
      if (i < own) out[i] = y;
      else out.push(y);
    }
    return out;
  }
  for (const y of b) if (!out.some((x) => celEquals(x, y))) out.push(y);
  return out;
}

/** CEL's equality (heterogeneous numbers equal across int, uint and double; lists and maps element-wise). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof KeyedList) return keyedListEquals(a, b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  const d = a as { seconds?: unknown; nanos?: unknown };
  if (a && typeof a === 'object' && typeof d.seconds === 'bigint' && typeof d.nanos === 'number') {
    const e = b as { seconds?: unknown; nanos?: unknown } | null;
    return !!e && typeof e === 'object' && e.seconds === d.seconds && e.nanos === d.nanos;
  }
  const num = (v: unknown) => typeof v === 'bigint' || typeof v === 'number';
  if (num(a) && num(b)) return Number(a) === Number(b) && (typeof a !== 'bigint' || typeof b !== 'bigint' || a === b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  const ea = mapEntries(a);
  const eb = mapEntries(b);
  if (!ea || !eb || ea.length !== eb.length) return false;
  return ea.every(([k, v]) => {
    const other = eb.find(([k2]) => celEquals(k, k2));
    return !!other && celEquals(v, other[1]);
  });
}

/** A map value's entries (cel-js keeps maps as Maps or plain objects), or undefined for anything else. */
function mapEntries(v: unknown): [unknown, unknown][] | undefined {
  if (v instanceof Map) return [...v.entries()];
  if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && (v.constructor === Object || v.constructor === undefined)) return Object.entries(v);
  return undefined;
}

const contains = (l: unknown[], sub: unknown[]) => sub.every((x) => l.some((y) => celEquals(x, y)));

/** ext/strings.go quote: double-quoted, CEL's escape sequences written out, invalid text replaced by U+FFFD. */
export function quote(s: string): string {
  const escapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
  let out = '';
  // A lone surrogate (text that is not UTF-8 once encoded) becomes U+FFFD, as sanitize() does.
  for (const ch of s) out += escapes[ch] ?? (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch);
  return `"${out}"`;
}

export function registerExtensions(env: CelJs.Environment): void {
  env.registerType('sets', SetsNamespace);
  env.registerConstant('sets', 'sets', new SetsNamespace());
  // list(T), list(T) as cel-go declares them; and for dyn values, whose element types cel-js works out when they
  // run (a list of ints and one of doubles), any two lists, as cel-go's runtime takes them.
  const sets: [string, (a: unknown[], b: unknown[]) => boolean][] = [
    ['contains', contains],
    ['equivalent', (a, b) => contains(a, b) && contains(b, a)],
    ['intersects', (a, b) => a.some((x) => b.some((y) => celEquals(x, y)))],
  ];
  for (const [name, f] of sets) {
    env.registerFunction(`sets.${name}(list<T>, list<T>): bool`, (_: unknown, a: unknown[], b: unknown[]) => f(a, b));
    env.registerFunction(`sets.${name}(list, list): bool`, (_: unknown, a: unknown[], b: unknown[]) => f(a, b));
  }
  env.registerType('strings', StringsNamespace);
  env.registerConstant('strings', 'strings', new StringsNamespace());
  env.registerFunction('strings.quote(string): string', (_: unknown, s: string) => quote(s));
  registerTwoVarComprehensions(env);
}

/** A checked type's name as a tree: `map<string, list<int>>` is map with string and list(int). */
interface TypeTree {
  name: string;
  params: TypeTree[];
}

function typeTree(text: string): TypeTree {
  let i = 0;
  const read = (): TypeTree => {
    const m = /^[\w.]+/.exec(text.slice(i));
    const name = m ? m[0] : '';
    i += name.length;
    const params: TypeTree[] = [];
    if (text[i] === '<') {
      do {
        i++;
        while (text[i] === ' ') i++;
        params.push(read());
      } while (text[i] === ',');
      i++;
    }
    return { name, params };
  };
  return read();
}

/** Whether a value of one checked type may stand where the other is (a dyn or a free type parameter takes anything). */
function assignable(a: TypeTree, b: TypeTree): boolean {
  const free = (t: TypeTree) => t.name === 'dyn' || /^[A-Z]$/.test(t.name);
  if (free(a) || free(b)) return true;
  return a.name === b.name && a.params.length === b.params.length && a.params.every((p, i) => assignable(p, b.params[i]));
}

/** cel-go's type names: `list(string)`, `map(string, int)`. */
const goName = (t: string) => t.replace(/</g, '(').replace(/>/g, ')');

/**
 * The sets functions take two lists of one element type (ext/sets.go declares `list(T), list(T)`): cel-go's checker
 * refuses `sets.contains([1], ["a"])` with `found no matching overload for 'sets.contains' applied to '(list(int),
 * list(string))'` at the call's `(`. The overload of any two lists registered above is for values whose types are
 * only known when they run; this check, on the checked tree, restores the refusal where the types are known.
 */
export function setsArgumentError(ast: unknown, source: string): { summary: string; pos: number } | undefined {
  const seen = new Set<unknown>();
  const walk = (n: any): { summary: string; pos: number } | undefined => {
    if (!n || typeof n !== 'object' || seen.has(n)) return undefined;
    seen.add(n);
    if (Array.isArray(n)) {
      for (const x of n) {
        const e = walk(x);
        if (e) return e;
      }
      return undefined;
    }
    if (n.op === 'value' || n.op === 'id') return undefined;
    if (n.op === 'rcall' && n.args?.[1]?.op === 'id' && n.args[1].args === 'sets' && Array.isArray(n.argTypes) && n.argTypes.length === 2) {
      const [a, b] = (n.argTypes as unknown[]).map((t) => typeTree(String(t)));
      const list = (t: TypeTree) => t.name === 'list' && t.params.length === 1;
      if (list(a) && list(b) && !assignable(a.params[0], b.params[0])) {
        return {
          summary: `found no matching overload for 'sets.${n.args[0]}' applied to '(${n.argTypes.map((t: unknown) => goName(String(t))).join(', ')})'`,
          pos: source.indexOf('(', n.pos ?? 0),
        };
      }
    }
    return walk(n.args);
  };
  return walk(ast);
}

type Node = { op: string; args: any; pos?: number };
type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

/** What one two-variable comprehension holds once parsed and checked; cost.ts sets `turn` to meter each step. */
export interface TwoVarMacro {
  twoVar: Kind;
  receiver: Node;
  first: string;
  second: string;
  filter?: Node;
  body: Node;
  /** The checker's contexts: the first variable's, and the second's forked from it. */
  ctx1?: any;
  ctx2?: any;
  /** Called with each turn's outcome (whether the filter or predicate held): cost.ts charges the step's cost. */
  turn?: (passed: boolean) => void;
}

const simpleName = (n: Node): string => {
  if (n?.op !== 'id' || typeof n.args !== 'string') throw new Error('argument must be a simple name');
  return n.args;
};

/** The (index or key, value) pairs a comprehension ranges over. */
function pairs(v: unknown): [unknown, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [BigInt(i), x]);
  const e = mapEntries(v);
  if (e) return e;
  throw new Error('no such overload');
}

function registerTwoVarComprehensions(env: CelJs.Environment): void {
  const define = (kind: Kind, withFilter: boolean) => {
    const sig = withFilter ? 'ast, ast, ast, ast' : 'ast, ast, ast';
    env.registerFunction(`list.${kind}(${sig}): dyn`, ({ args, receiver }: { args: Node[]; receiver: Node }) => {
      const first = simpleName(args[0]);
      const second = simpleName(args[1]);
      if (first === second) throw new Error(`duplicate variable name: ${first}`);
      const m: TwoVarMacro & { typeCheck: unknown; evaluate: unknown } = {
        twoVar: kind, receiver, first, second, filter: withFilter ? args[2] : undefined, body: args[withFilter ? 3 : 2],
        typeCheck: check, evaluate: run,
      };
      return m;
    });
  };
  for (const k of ['all', 'exists', 'existsOne'] as const) define(k, false);
  for (const k of ['transformList', 'transformMap', 'transformMapEntry'] as const) {
    define(k, false);
    define(k, true);
  }
}

/** The checker's side: the variables' types from the range (int and the element of a list, a map's key and value). */
function check(checker: any, m: TwoVarMacro, ctx: any): unknown {
  const range = checker.check(m.receiver, ctx);
  const dyn = checker.getType('dyn');
  const [t1, t2] = range.kind === 'list' ? [checker.getType('int'), range.valueType ?? dyn]
    : range.kind === 'map' ? [range.keyType ?? dyn, range.valueType ?? dyn] : [dyn, dyn];
  m.ctx1 = ctx.forkWithVariable(m.first, t1);
  m.ctx2 = m.ctx1.forkWithVariable(m.second, t2);
  const boolish = (t: any, n: Node, op: string) => {
    const name = String(t);
    if (name !== 'bool' && name !== 'dyn') throw checker.createError('invalid_macro_argument', `found no matching overload for '${op}' applied to '(bool, ${name.replace(/</g, '(').replace(/>/g, ')')})'`, n);
  };
  if (m.filter) boolish(checker.check(m.filter, m.ctx2), m.filter, '_?_:_');
  const body = checker.check(m.body, m.ctx2);
  switch (m.twoVar) {
    case 'all':
    case 'exists':
    case 'existsOne':
      boolish(body, m.body, m.twoVar === 'exists' ? '_||_' : m.twoVar === 'all' ? '_&&_' : '_?_:_');
      return checker.getType('bool');
    case 'transformList':
      return checker.registry?.getListType?.(body) ?? checker.getType('list<dyn>');
    case 'transformMap':
      return checker.registry?.getMapType?.(t1, body) ?? checker.getType('map<dyn, dyn>');
    default:
      return String(body).startsWith('map<') || String(body) === 'dyn' ? body : checker.getType('map<dyn, dyn>');
  }
}

/** The evaluation, with the outcomes of cel-go's expansions: `all` and `exists` absorb errors as their one-variable forms do. */
function run(ev: any, m: TwoVarMacro, ctx: any): unknown {
  const items = pairs(ev.run(m.receiver, ctx));
  // The first variable's context is the second's parent: reuse() points each at the evaluation's.
  const first = m.ctx1.reuse(ctx);
  const vars = m.ctx2.reuse(first);
  let error: unknown;
  let count = 0;
  const list: unknown[] = [];
  const map = new Map<unknown, unknown>();
  for (const [k, v] of items) {
    first.setIterValue(k, ev);
    vars.setIterValue(v, ev);
    if (m.twoVar === 'all' || m.twoVar === 'exists') {
      m.turn?.(true);
      const r = ev.tryEval(m.body, vars);
      if (r instanceof Error) {
        error ??= r;
        continue;
      }
      if (m.twoVar === 'all' && r === false) return false;
      if (m.twoVar === 'exists' && r === true) return true;
      continue;
    }
    if (m.twoVar === 'existsOne') {
      const r = ev.run(m.body, vars) === true;
      m.turn?.(r);
      if (r) count++;
      continue;
    }
    const pass = m.filter ? ev.run(m.filter, vars) === true : true;
    m.turn?.(pass);
    if (!pass) continue;
    const r = ev.run(m.body, vars);
    if (m.twoVar === 'transformList') list.push(r);
    else if (m.twoVar === 'transformMap') map.set(k, r);
    else {
      const entries = mapEntries(r);
      if (!entries) throw new Error('no such overload');
      for (const [ek, ev2] of entries) {
        // cel.@mapInsert: a key already there is an error.
        if ([...map.keys()].some((x) => celEquals(x, ek))) throw new Error(`insert failed: key ${String(ek)} already exists`);
        map.set(ek, ev2);
      }
    }
  }
  switch (m.twoVar) {
    case 'all':
      if (error) throw error;
      return true;
    case 'exists':
      if (error) throw error;
      return false;
    case 'existsOne':
      return count === 1;
    case 'transformList':
      return list;
    default:
      return [...map.keys()].every((k) => typeof k === 'string') ? Object.fromEntries(map) : map;
  }
}
