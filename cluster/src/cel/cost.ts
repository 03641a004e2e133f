/**
 * CEL's runtime cost, as cel-go's interpreter meters it (interpreter/runtimecost.go CostObserver, with the Kubernetes
 * library's call costs of k8s.io/apiserver/pkg/cel/library/cost.go CallCost), and the limits Kubernetes sets on it
 * (k8s.io/apiserver/pkg/apis/cel/config.go). cel-js has no cost tracking of its own: a program is metered by giving
 * the nodes of its parsed tree an `evaluate` (or, for calls and operators, a `handle`) that charges what cel-go's
 * observer charges for the same step before passing on: an identifier or a field selection 1, a constant 0, a list
 * literal 10, a map literal 30, a call 1 or its size-dependent cost, and for the macros the steps of cel-go's
 * expansion (`all` charges 3 a turn for its loop condition and accumulator, `exists` 4, `map` 12 for `@result +
 * [x]`...). A charge that takes the count past the limit throws `operation cancelled: actual cost limit exceeded`.
 *
 * Only programs run through runMetered are instrumented, the first time they run: a cluster with no CRD rule and no
 * policy never meets this code.
 */
import type { CelProgram } from './engine';
import { RE2_MATCHES } from './libraries';
import { NAMESPACES, type TwoVarMacro } from './extensions';

/** PerCallLimit: the most one evaluation of an expression may cost (roughly 0.1 s). */
export const PER_CALL_LIMIT = 1_000_000;
/** RuntimeCELCostBudget: what a custom resource's rules, or one binding's validations (per param), may cost. */
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;
/** RuntimeCELCostBudgetMatchConditions: what a binding's matchConditions may cost. */
export const RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS = 2_500_000;

/** cel-go's EvalCancelledError text when the tracker passes its limit. */
export const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';
/** validation.go and filter.go's words when the budget of a request runs out. */
export const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

// One instance: the quantifiers of cel-js catch what a step throws and go on to the next element, so each element
// left rethrows it at its first step; a shared error keeps that from building a stack trace each time.
const exceeded = new Error(COST_LIMIT_EXCEEDED);

interface Meter {
  cost: number;
  limit: number;
}
let meter: Meter | undefined;

function charge(n: number): void {
  const m = meter;
  if (m !== undefined) {
    m.cost += n;
    if (m.cost > m.limit) throw exceeded;
  }
}

export interface Metered {
  value?: unknown;
  /** What the evaluation threw: COST_LIMIT_EXCEEDED's error once the limit was passed. */
  error?: unknown;
  /** evalDetails.ActualCost(). */
  cost: number;
}

/**
 * Evaluates `program` with cel-go's cost tracker and `limit` (cel.CostLimit): the value or error, and the actual cost.
 * An evaluation nested in another (a policy's variable read from an expression) has its own count.
 */
export function runMetered(program: CelProgram, vars: Record<string, unknown>, limit = PER_CALL_LIMIT): Metered {
  instrument(program);
  const outer = meter;
  const m: Meter = { cost: 0, limit };
  meter = m;
  try {
    const value = program(vars);
    // A quantifier may have swallowed the error and still produced a value: cel-go would have stopped.
    return m.cost > limit ? { error: exceeded, cost: m.cost } : { value, cost: m.cost };
  } catch (error) {
    return { error: m.cost > limit ? exceeded : error, cost: m.cost };
  } finally {
    meter = outer;
  }
}

/** Whether an error is the cost limit's. */
export const isCostLimitError = (e: unknown): boolean => e === exceeded;

type Evaluate = (ev: unknown, ast: unknown, ctx: unknown) => unknown;
interface Node {
  op: string;
  args: any;
  meta: { alternate?: Node; macro?: any; evaluate: Evaluate };
  evaluate: Evaluate;
  handle?: (...a: any[]) => unknown;
  checkedType?: { name?: string; kind?: string };
}

const instrumented = new WeakSet<object>();

function instrument(program: CelProgram): void {
  const ast = (program as { ast?: Node }).ast;
  if (!ast || instrumented.has(ast)) return;
  instrumented.add(ast);
  const seen = new Set<unknown>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object' || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n)) return n.forEach(visit);
    const node = n as Node;
    if (typeof node.op !== 'string' || !node.meta) return;
    const meta = node.meta;
    if (meta.alternate) return visit(meta.alternate);
    if (meta.macro) return macro(node, visit);
    switch (node.op) {
      case 'value':
        return;
      case 'id':
      case '.':
      case '.?':
      case '[]':
      case '[?]':
      case 'accuValue':
        own(node, 1);
        break;
      case 'accuInc':
        // `@result + 1`
        own(node, 2);
        break;
      case 'accuPush':
        // `@result + [x]`: the list, the concatenation and the accumulator
        own(node, 12);
        break;
      case 'list':
        own(node, 10);
        break;
      case 'map':
        own(node, 30);
        break;
      case 'comprehension':
        comprehension(node);
        return visit([node.args.iterable, node.args.init, node.args.step]);
      case 'rcall':
        // `sets.contains(a, b)`: cel-go's global function, whose name reads no variable.
        if (node.args[1]?.op === 'id' && NAMESPACES.has(node.args[1].args)) {
          callHandle(node, `${node.args[1].args}.${node.args[0]}`);
          return visit(node.args[2]);
        }
        callHandle(node, node.args[0]);
        break;
      case 'call':
        callHandle(node, node.args[0]);
        break;
      case '&&':
      case '||':
      case '?:':
        break;
      default:
        callHandle(node, node.op);
    }
    if (node.op !== 'id') visit(node.args);
  };
  visit(ast);
}

/** The node charges `cost` each time it is evaluated, then evaluates as before. */
function own(node: Node, cost: number): void {
  node.evaluate = (ev, ast, ctx) => {
    charge(cost);
    return node.meta.evaluate(ev, ast, ctx);
  };
}

/**
 * cel-go's expansions: all (init true, `@not_strictly_false(@result)` then `@result && p` each turn: 3, result 1),
 * exists (4 a turn, `!@result`), exists_one (result `@result == 1`: 2), map and filter (init `[]`, result 1).
 */
function comprehension(node: Node): void {
  const { init, step, kind } = node.args as { init: Node; step: Node; kind?: string };
  const quantifier = kind === 'quantifier' && init.op === 'value';
  const perTurn = quantifier && init.args === true ? 3 : quantifier && init.args === false ? 4 : 0;
  own(node, quantifier && typeof init.args !== 'boolean' ? 2 : 1);
  if (perTurn) own(step, perTurn);
}

/** has(): a presence test costs nothing (PresenceTestHasCost(false)) beyond the selections it walks; cel.bind: `[]`. */
function macro(node: Node, visit: (n: unknown) => void): void {
  const m = node.meta.macro;
  if (Array.isArray(m.macroHasProps)) {
    const walked = Math.max(0, m.macroHasProps.length - 2);
    if (walked) node.evaluate = (ev, _ast, ctx) => (charge(walked), m.evaluate(ev, m, ctx));
    visit(m.macroHasProps[m.macroHasProps.length - 1]);
  } else if (m.exp) {
    node.evaluate = (ev, _ast, ctx) => (charge(10), m.evaluate(ev, m, ctx));
    visit([m.val, m.exp]);
  } else if (m.twoVar) {
    const t = TWO_VAR_COSTS[(m as TwoVarMacro).twoVar];
    node.evaluate = (ev, _ast, ctx) => (charge(t.base), m.evaluate(ev, m, ctx));
    (m as TwoVarMacro).turn = (passed) => charge(passed ? t.turn : t.skip);
    visit([m.receiver, m.filter, m.body]);
  }
}

/**
 * ext/comprehensions.go's expansions, as cel-go meters them: the result (and the literal the accumulator starts
 * from), then each turn's loop condition and step (`@result && p`, `@result || p`; `@result + [t]`,
 * `cel.@mapInsert(@result, k, t)`); a filter that fails leaves `@result` (1).
 */
export const TWO_VAR_COSTS: Record<TwoVarMacro['twoVar'], { base: number; turn: number; skip: number }> = {
  all: { base: 1, turn: 3, skip: 3 },
  exists: { base: 1, turn: 4, skip: 4 },
  existsOne: { base: 2, turn: 2, skip: 1 },
  transformList: { base: 11, turn: 12, skip: 1 },
  transformMap: { base: 31, turn: 3, skip: 1 },
  transformMapEntry: { base: 31, turn: 2, skip: 1 },
};

/** Charges a call's cost (CostTracker.costCall, library CostEstimator.CallCost) once its handler has returned. */
function callHandle(node: Node, name: string): void {
  const h = node.handle;
  if (typeof h !== 'function') return;
  const fn = name === RE2_MATCHES ? 'matches' : name;
  const member = node.op === 'rcall';
  switch (node.op) {
    case 'call':
    case 'rcall':
      // call: (args, ast, ev); rcall: (receiver and args, ev, ast)
      node.handle = (a: unknown[], b: unknown, c: unknown) => {
        const r = h(a, b, c);
        charge(callCost(fn, a, r, member));
        return r;
      };
      return;
    case '!_':
    case '-_':
      node.handle = (a: unknown, b: unknown, c: unknown) => {
        const r = h(a, b, c);
        charge(1);
        return r;
      };
      return;
    default:
      node.handle = (l: unknown, r: unknown, c: unknown, d: unknown) => {
        const v = h(l, r, c, d);
        charge(callCost(fn, [l, r], v, false));
        return v;
      };
  }
}

/** traits.Sizer's Size(): a string's characters, bytes, a list's items, a map's entries; 1 for anything else. */
function size(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Uint8Array) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (v && typeof v === 'object' && (v.constructor === Object || v.constructor === undefined)) return Object.keys(v).length;
  return 1;
}

const sized = (v: unknown) => typeof v === 'string' || v instanceof Uint8Array;
const tenth = (n: number) => Math.ceil(n * 0.1);

/** library/cost.go traversalCost: a string's tenth (rounded down), the sum over a list's or map's elements, else 1. */
function traversal(v: unknown): number {
  if (typeof v === 'string' || v instanceof Uint8Array) return Math.floor(v.length * 0.1);
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + traversal(x), 0);
  if (v instanceof Map) {
    let c = 0;
    for (const [k, x] of v) c += traversal(k) + traversal(x);
    return c;
  }
  if (v && typeof v === 'object' && v.constructor === Object) {
    let c = 0;
    for (const k of Object.keys(v)) c += traversal(k) + traversal((v as Record<string, unknown>)[k]);
    return c;
  }
  return 1;
}

function callCost(fn: string, a: unknown[], result: unknown, member: boolean): number {
  switch (fn) {
    // library/cost.go CallCost, asked first
    case 'isSorted': case 'sum': case 'max': case 'min': case 'indexOf': case 'lastIndexOf':
      return traversal(a[0]);
    case 'url': case 'lowerAscii': case 'upperAscii': case 'substring': case 'trim':
    case 'cidr': case 'isIP': case 'isCIDR': case 'quantity': case 'isQuantity': case 'semver': case 'isSemver':
      return tenth(size(a[0]));
    case 'ip':
      return member ? 1 : tenth(size(a[0]));
    case 'replace': case 'split':
      return Math.ceil(size(a[0]) * 2 * 0.1);
    case 'join':
      return Math.ceil(size(result) * 2 * 0.1);
    case 'find': case 'findAll':
    case 'matches':
      return tenth(1 + size(a[0])) * Math.ceil(size(a[1]) * 0.25);
    case 'containsIP': case 'containsCIDR': {
      let c = tenth(size(a[0]) * 2) + (fn === 'containsCIDR' ? tenth(size(a[0])) + 1 : 0);
      if (typeof a[1] === 'string') c += tenth(a[1].length);
      return c;
    }
    // ext/sets.go trackSetsCost: one plus the product of the sizes (twice for equivalent); a[0] is the namespace
    case 'sets.contains': case 'sets.intersects':
      return 1 + size(a[1]) * size(a[2]);
    case 'sets.equivalent':
      return 1 + 2 * size(a[1]) * size(a[2]);
    // interpreter/runtimecost.go costCall
    case 'startsWith': case 'endsWith': case 'bytes':
      return tenth(size(a[0]));
    case 'string':
      return a[0] instanceof Uint8Array ? tenth(a[0].length) : 1;
    case 'in':
      return Array.isArray(a[1]) ? a[1].length : 1;
    case '<': case '<=': case '>': case '>=':
      return sized(a[0]) && sized(a[1]) ? tenth(Math.min(size(a[0]), size(a[1]))) : 1;
    case '==': case '!=':
      return tenth(Math.min(size(a[0]), size(a[1])));
    case '+':
      return sized(a[0]) && sized(a[1]) ? tenth(size(a[0]) + size(a[1])) : 1;
    case 'contains':
      return tenth(size(a[0])) * tenth(size(a[1]));
    default:
      return 1;
  }
}
