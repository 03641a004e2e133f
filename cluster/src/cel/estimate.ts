/**
 * The estimated cost of a CRD rule, as cel-go's checker computes it (checker/cost.go: each node's cost, a
 * comprehension's loop cost times the size of its range, string and list functions proportional to the sizes of
 * their operands) with the sizes apiextensions derives from the schema (compilation.go sizeEstimator over the
 * DeclType of apiserver/pkg/cel/common/schemas.go: maxItems, maxProperties and maxLength, and where they are absent
 * what a 3 MiB request could hold given the element's smallest serialization) and the Kubernetes library's estimates
 * (apiserver/pkg/cel/library/cost.go EstimateCallCost). Only the maximum is kept: it is what the limits are held to.
 *
 * The walk reads the type-checked cel-js tree of the rule; cel-js's macros expand as cel-go's do, with the loop steps
 * cel-go's expansions have (see cost.ts).
 */
import type { CelProgram } from './engine';
import { escapeFieldName, type ValueSchema } from './values';
import { RE2_MATCHES } from './libraries';
import { NAMESPACES } from './extensions';
import { TWO_VAR_COSTS } from './cost';

/** StaticEstimatedCostLimit: the most one rule or messageExpression may be estimated to cost. */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
/** StaticEstimatedCRDCostLimit: the most all the rules of a schema may be estimated to cost together. */
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;

const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;
const MAX = 18446744073709551615; // math.MaxUint64, where cel-go's arithmetic saturates
const add = (a: number, b: number) => Math.min(a + b, MAX);
const mul = (a: number, b: number) => Math.min(a * b, MAX);
const factor = (a: number, f: number) => Math.min(Math.ceil(a * f), MAX);

/** A DeclType's MaxElements and MinSerializedSize, with its fields, items or values. */
export interface SizeModel {
  max: number;
  minSize: number;
  fields?: Record<string, SizeModel>;
  elem?: SizeModel;
  isMap?: boolean;
}

/** A map's keys are apiservercel.StringType, whose MaxElements is 0. */
const KEY: SizeModel = { max: 0, minSize: 2 };
const STRING_META: ValueSchema = { type: 'string' };

const models = [new WeakMap<object, SizeModel | null>(), new WeakMap<object, SizeModel | null>()];

/** common.SchemaDeclType's sizes for a schema node (undefined where CEL sees nothing). */
export function sizeModel(s: ValueSchema & Record<string, any>, root: boolean): SizeModel | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const cache = models[root ? 1 : 0];
  let m = cache.get(s);
  if (m === undefined) cache.set(s, (m = build(s, root) ?? null));
  return m ?? undefined;
}

function build(s: ValueSchema & Record<string, any>, root: boolean): SizeModel | undefined {
  const maxLength = typeof s.maxLength === 'number' ? Math.max(0, s.maxLength) : undefined;
  if (s['x-kubernetes-int-or-string']) return { max: maxLength !== undefined ? maxLength * 4 : MAX_REQUEST_SIZE_BYTES - 2, minSize: 1 };
  let props: Record<string, any> = s.properties ?? {};
  const meta = props.metadata?.properties;
  if (root && !(props.kind?.type === 'string' && props.apiVersion?.type === 'string' && props.metadata?.type === 'object'
    && meta?.name?.type === 'string' && meta?.generateName?.type === 'string')) {
    // WithTypeAndObjectMeta: kind, apiVersion and a metadata of name and generateName, none of them required.
    props = { ...props, kind: STRING_META, apiVersion: STRING_META, metadata: { type: 'object', properties: { name: STRING_META, generateName: STRING_META } } };
  }
  switch (s.type) {
    case 'array': {
      const items = s.items && sizeModel(s.items, !!s.items['x-kubernetes-embedded-resource']);
      if (!items) return undefined;
      const max = typeof s.maxItems === 'number' ? Math.max(0, s.maxItems) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (items.minSize + 1));
      return { max, minSize: 2, elem: items };
    }
    case 'object': {
      const ap = s.additionalProperties;
      if (ap && typeof ap === 'object') {
        const values = sizeModel(ap, !!ap['x-kubernetes-embedded-resource']);
        if (!values) return undefined;
        const max = typeof s.maxProperties === 'number' ? Math.max(0, s.maxProperties) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (values.minSize + 6));
        return { max, minSize: 2, elem: values, isMap: true };
      }
      const required = new Set<string>(Array.isArray(s.required) ? s.required : []);
      const fields: Record<string, SizeModel> = {};
      let minSize = 2;
      for (const [k, p] of Object.entries(props)) {
        const f = sizeModel(p, !!p?.['x-kubernetes-embedded-resource']);
        if (!f) continue;
        const name = escapeFieldName(k);
        if (name !== undefined) fields[name] = f;
        if (required.has(k) && p.default === undefined) minSize += k.length + f.minSize + 4;
      }
      return { max: 0, minSize, fields };
    }
    case 'string':
      switch (s.format) {
        case 'byte':
          return { max: maxLength ?? MAX_REQUEST_SIZE_BYTES - 2, minSize: 2 };
        case 'duration':
          return { max: 32, minSize: 3 };
        case 'date':
          return { max: 12, minSize: 12 };
        case 'date-time':
          return { max: 32, minSize: 21 };
      }
      if (maxLength !== undefined) return { max: maxLength * 4, minSize: 2 };
      if (Array.isArray(s.enum) && s.enum.length) {
        return { max: s.enum.reduce((m: number, v: unknown) => (typeof v === 'string' ? Math.max(m, Buffer.byteLength(v)) : m), 0), minSize: 2 };
      }
      return { max: MAX_REQUEST_SIZE_BYTES - 2, minSize: 2 };
    case 'boolean':
      return { max: 0, minSize: 4 };
    case 'number':
    case 'integer':
      return { max: 0, minSize: 1 };
    default:
      return undefined;
  }
}

/** maxCardinality(declType.MinSerializedSize): how often a value of that size fits in a request. */
export const maxCardinality = (minSize: number) => Math.floor(MAX_REQUEST_SIZE_BYTES / (minSize + 1));

interface Size {
  min: number;
  max: number;
}
const UNKNOWN: Size = { min: 0, max: MAX };
const fixed = (n: number): Size => ({ min: n, max: n });

interface Node {
  op: string;
  args: any;
  meta: { alternate?: Node; macro?: any };
  checkedType?: { name?: string; kind?: string; valueType?: { name?: string } };
}

interface Local {
  model?: SizeModel;
  size?: Size;
}

/** The Kubernetes types whose equality library/cost.go estimates at 1. */
const O1_EQUALITY = new Set(['kubernetes.Quantity', 'kubernetes.Semver', 'net.IP', 'net.CIDR']);

const SCALARS = new Set(['bool', 'double', 'int', 'uint', 'google.protobuf.Duration', 'google.protobuf.Timestamp']);

/** env.EstimateCost(ast).Max for a program compiled in a typed environment whose `self` and `oldSelf` are `root`. */
export function estimateCost(program: CelProgram | undefined, root: SizeModel | undefined): number {
  const ast = (program as { ast?: Node } | undefined)?.ast;
  if (!ast) return 0;
  const sizes = new Map<Node, Size>();
  const models = new Map<Node, SizeModel>();
  const locals = new Map<string, Local[]>();
  const local = (name: string) => locals.get(name)?.at(-1);
  const push = (name: string, l: Local) => locals.set(name, [...(locals.get(name) ?? []), l]);
  const pop = (name: string) => locals.get(name)?.pop();
  const kind = (n: Node) => n.checkedType?.kind;
  const typeName = (n: Node) => n.checkedType?.name ?? 'dyn';
  const isString = (n: Node) => ['string', 'bytes'].includes(typeName(n));

  /** coster.computeSize: computed, literal, schema path, scalar type, local variable, else unknown. */
  const sizeOf = (n: Node): Size => {
    const c = sizes.get(n);
    if (c) return c;
    if (n.op === 'value') {
      const v = n.args;
      if (typeof v === 'string') return fixed([...v].length);
      if (v instanceof Uint8Array) return fixed(v.length);
      return fixed(1);
    }
    if (n.op === 'list' || n.op === 'map') return fixed(n.args.length);
    const m = models.get(n);
    if (m) return { min: 0, max: m.max };
    const t = n.checkedType;
    if (t && (SCALARS.has(t.name ?? '') || (t.kind === 'optional' && SCALARS.has(t.valueType?.name ?? '')))) return fixed(1);
    if (n.op === 'id') return local(n.args)?.size ?? UNKNOWN;
    return UNKNOWN;
  };

  const cost = (n: Node): number => {
    if (n.meta?.alternate) {
      const c = cost(n.meta.alternate);
      const a = n.meta.alternate;
      if (sizes.has(a)) sizes.set(n, sizes.get(a)!);
      if (models.has(a)) models.set(n, models.get(a)!);
      return c;
    }
    if (n.meta?.macro) return macro(n);
    switch (n.op) {
      case 'value':
        return 0;
      case 'id': {
        const l = local(n.args);
        const m = l ? l.model : n.args === 'self' || n.args === 'oldSelf' ? root : undefined;
        if (m) models.set(n, m);
        return 1;
      }
      case '.':
      case '.?': {
        const [operand, field] = n.args as [Node, string];
        let c = cost(operand);
        if (n.op === '.?' || ['map', 'message', 'param'].includes(kind(operand) ?? '')) c = add(c, 1);
        const m = models.get(operand)?.fields?.[field];
        if (m) models.set(n, m);
        return c;
      }
      case '[]':
      case '[?]': {
        const c = add(add(cost(n.args[0]), cost(n.args[1])), 1);
        const m = models.get(n.args[0])?.elem;
        if (m) models.set(n, m);
        return c;
      }
      case '&&':
      case '||':
        return add(cost(n.args[0]), cost(n.args[1]));
      case '?:': {
        const c = cost(n.args[0]);
        const l = cost(n.args[1]);
        const r = cost(n.args[2]);
        const a = sizeOf(n.args[1]);
        const b = sizeOf(n.args[2]);
        sizes.set(n, { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
        return add(c, Math.max(l, r));
      }
      case 'list':
        return (n.args as Node[]).reduce((s, e) => add(s, cost(e)), 10);
      case 'map':
        return (n.args as Node[][]).reduce((s, [k, v]) => add(add(s, cost(k)), cost(v)), 30);
      case 'comprehension':
        return comprehension(n);
      case 'accuValue':
        return 1;
      case 'accuInc':
        return 2;
      case 'accuPush':
        return add(12, cost(n.args));
      case 'call':
        return call(n, n.args[0], undefined, n.args[1]);
      case 'rcall':
        // `sets.contains(a, b)` is a global function in cel-go: no target, no variable read.
        if (n.args[1]?.op === 'id' && NAMESPACES.has(n.args[1].args)) return call(n, `${n.args[1].args}.${n.args[0]}`, undefined, n.args[2]);
        return call(n, n.args[0], n.args[1], n.args[2]);
      case '!_':
      case '-_':
        return add(1, cost(n.args));
      default:
        return call(n, n.op, undefined, n.args);
    }
  };

  /** costComprehension: the range once, then its size times each turn's condition and step. */
  const comprehension = (n: Node): number => {
    const { iterable, init, step, iterVarName, kind: k } = n.args as { iterable: Node; init: Node; step: Node; iterVarName: string; kind?: string };
    const range = cost(iterable);
    const count = sizeOf(iterable);
    const rm = models.get(iterable);
    const listRange = kind(iterable) === 'list' || (!!rm?.elem && !rm.isMap);
    // compilation.go sizeEstimator: a range without a path still yields a one-element path, read from the root.
    push(iterVarName, { model: rm ? (listRange ? rm.elem : rm.isMap ? KEY : undefined) : root });
    const quantifier = k === 'quantifier' && init.op === 'value';
    const turn = add(quantifier && init.args === true ? 3 : quantifier && init.args === false ? 4 : 0, cost(step));
    pop(iterVarName);
    const base = quantifier ? (typeof init.args === 'boolean' ? 1 : 2) : add(cost(init), 1);
    sizes.set(n, quantifier ? fixed(1) : count);
    return add(add(range, base), mul(count.max, turn));
  };

  const macro = (n: Node): number => {
    const m = n.meta.macro;
    if (Array.isArray(m.macroHasProps)) {
      // has(e.f): e's cost; the presence test itself costs nothing (PresenceTestHasCost(false)).
      const sel = m.args?.[0] as Node | undefined;
      return sel?.op === '.' ? cost(sel.args[0]) : 0;
    }
    if (m.exp) {
      // cel.bind: an empty list as its range, the bound value, the expression.
      const v = cost(m.val);
      push(m.var, { model: models.get(m.val), size: sizeOf(m.val) });
      const e = cost(m.exp);
      pop(m.var);
      return add(add(10, v), e);
    }
    if (m.twoVar) {
      // ext/comprehensions.go: the range once, then its size times each turn (see cost.ts TWO_VAR_COSTS).
      const range = cost(m.receiver);
      const count = sizeOf(m.receiver);
      const rm = models.get(m.receiver);
      const isMap = kind(m.receiver) === 'map' || !!rm?.isMap;
      push(m.first, { model: isMap ? KEY : undefined });
      push(m.second, { model: rm?.elem });
      const t = TWO_VAR_COSTS[m.twoVar as keyof typeof TWO_VAR_COSTS];
      const turn = add(add(t.turn, m.filter ? cost(m.filter) : 0), cost(m.body));
      pop(m.second);
      pop(m.first);
      if (m.twoVar === 'transformList' || m.twoVar === 'transformMap') sizes.set(n, count);
      return add(add(range, t.base), mul(count.max, turn));
    }
    return 1;
  };

  const call = (n: Node, name: string, target: Node | undefined, args: Node[]): number => {
    let sum = 0;
    for (const a of args) sum = add(sum, cost(a));
    if (target) sum = add(sum, cost(target));
    const fn = name === RE2_MATCHES ? 'matches' : name;
    const t = target ? sizeOf(target) : undefined;
    const arg = (i: number) => (args[i] ? sizeOf(args[i]) : UNKNOWN);
    const result = (s: Size) => sizes.set(n, s);
    switch (fn) {
      // library/cost.go EstimateCallCost
      case 'isSorted': case 'sum': case 'max': case 'min': case 'indexOf': case 'lastIndexOf':
        if (target && t) {
          if (kind(target) === 'list') {
            const el = models.get(target)?.elem;
            const elType = target.checkedType?.valueType?.name;
            const elCost = elType === 'string' || elType === 'bytes' ? add(1, factor(el ? el.max : MAX, 0.1)) : 1;
            return add(sum, mul(t.max, elCost));
          }
          return add(sum, factor(t.max, 0.1));
        }
        break;
      case 'url':
        if (args.length === 1) return add(sum, factor(arg(0).max, 0.1));
        break;
      case 'lowerAscii': case 'upperAscii': case 'substring': case 'trim':
        if (t) return result(t), add(sum, factor(t.max, 0.1));
        break;
      case 'replace':
        if (t && args.length >= 2) {
          const from = arg(0);
          const to = arg(1);
          const count = from.min === 0 ? (t.max < MAX ? t.max + 1 : t.max) : to.max <= from.min ? 0 : Math.ceil(t.max / from.min);
          result({ min: 0, max: add(mul(count, to.max), from.min === 0 || to.max <= from.min ? t.max : 0) });
          return add(sum, factor(t.max, 0.2));
        }
        break;
      case 'split':
        if (t) {
          const limit = args[1]?.op === 'value' ? Number(args[1].args) : t.max;
          result({ min: 0, max: limit });
          return add(sum, factor(t.max, 0.2));
        }
        break;
      case 'join':
        if (target && t) {
          const el = models.get(target)?.elem;
          let sz = mul(t.max, el ? el.max : MAX);
          if (args.length) sz = add(sz, mul(arg(0).max, t.max > 0 ? t.max - 1 : 0));
          result({ min: 0, max: sz });
          return add(sum, factor(sz, 0.1));
        }
        break;
      case 'find': case 'findAll':
        if (t && args.length >= 1) {
          result({ min: 0, max: t.max });
          return add(sum, mul(factor(add(t.max, 1), 0.1), factor(arg(0).max, 0.25)));
        }
        break;
      case 'ip':
        if (target) return add(sum, args.length ? factor(arg(0).max, 0.1) : 1);
        break;
      case 'masked': case 'prefixLength': case 'family': case 'isUnspecified': case 'isLoopback':
      case 'sign': case 'asInteger': case 'isInteger': case 'asApproximateFloat': case 'isGreaterThan': case 'isLessThan':
      case 'compareTo': case 'add': case 'sub':
        return add(sum, 1);
      case 'containsIP': case 'containsCIDR':
        if (target && args.length >= 1) {
          let c = fn === 'containsIP' ? 4 : 4 + 2 + 1;
          if (isString(args[0])) c += factor(arg(0).max, 0.1);
          return add(sum, c);
        }
        break;
      // checker/cost.go functionCost
      case 'format':
        if (t) return result({ min: 0, max: add(t.max, arg(0).max) }), add(sum, factor(t.max, 0.1));
        break;
      case 'startsWith': case 'endsWith':
        if (args.length === 1) return add(sum, factor(arg(0).max, 0.1));
        break;
      case 'matches':
        if (t && args.length === 1) return add(sum, mul(factor(add(t.max, 1), 0.1), factor(arg(0).max, 0.25)));
        break;
      case 'contains':
        if (t && args.length === 1) return add(sum, mul(factor(t.max, 0.1), factor(arg(0).max, 0.1)));
        break;
      case 'in':
        if (kind(args[1]) !== 'map') return add(sum, arg(1).max);
        break;
      case '+': {
        const [l, r] = [arg(0), arg(1)];
        const s = { min: add(l.min, r.min), max: add(l.max, r.max) };
        if (kind(args[0]) === 'list' || kind(args[1]) === 'list') return result(s), add(sum, 1);
        if (isString(args[0]) || isString(args[1]) || (kind(args[0]) === 'dyn' && kind(args[1]) === 'dyn')) return result(s), add(sum, factor(s.max, 0.1));
        break;
      }
      case '<': case '<=': case '>': case '>=':
        if (!(isString(args[0]) || isString(args[1]) || (kind(args[0]) === 'dyn' && kind(args[1]) === 'dyn'))) break;
      // falls through: strings and bytes compare as equality does
      case '==': case '!=': {
        // library/cost.go EstimateCallCost `_==_`: Kubernetes types of one kind compare in constant time, a
        // NamedFormat by its name (at most MaxFormatSize, 64, times 0.1).
        const t0 = typeName(args[0]);
        if (t0 === typeName(args[1]) && O1_EQUALITY.has(t0)) return add(sum, 1);
        if (t0 === 'kubernetes.NamedFormat' && typeName(args[1]) === t0) return add(sum, factor(64, 0.1));
        return add(sum, factor(Math.min(arg(0).max, arg(1).max), 0.1));
      }
      case 'validate':
        // library/cost.go: the string's traversal times a regex of MaxNameFormatRegexSize (128) characters.
        if (target && typeName(target) === 'kubernetes.NamedFormat' && args.length === 1) return add(sum, factor(factor(arg(0).max, 0.1), 128 * 0.25));
        break;
      // ext/sets.go estimateSetsCost
      case 'sets.contains': case 'sets.intersects':
        return add(sum, add(1, mul(arg(0).max, arg(1).max)));
      case 'sets.equivalent':
        return add(sum, add(1, mul(2, mul(arg(0).max, arg(1).max))));
      case 'dyn':
        if (args[0]) {
          if (sizes.has(args[0])) sizes.set(n, sizes.get(args[0])!);
          if (models.has(args[0])) models.set(n, models.get(args[0])!);
        }
        break;
    }
    return add(sum, 1);
  };

  try {
    return cost(ast);
  } catch {
    // A tree this walk does not know: no estimate rather than a failed write.
    return 0;
  }
}

/** getCostErrorMessage: how far past the limit, in words. */
export function costErrorMessage(what: string, cost: number, limit: number): string {
  const f = cost / limit;
  const by = f > 100 ? 'more than 100x' : f < 1.5 ? `${f.toFixed(6)}x` : `${f.toFixed(1)}x`;
  return `${what} exceeds budget by factor of ${by} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
