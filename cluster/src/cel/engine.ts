/**
 * The CEL engine the apiserver evaluates Kubernetes expressions with: @marcbachmann/cel-js (macros, member
 * overloads, optional types, a type checker, errors that point into the source) with the Kubernetes libraries of
 * k8s.io/apiserver/pkg/cel/library registered on it (libraries.ts). One environment serves CRD validation rules and
 * admission policies: what differs between them is only the variables an expression may name.
 *
 * Cost: as upstream, a CRD rule's cost is estimated when it is written (estimate.ts) and every expression is metered
 * when it runs, with a per-call limit and a per-request budget (cost.ts runMetered); cel-js also bounds the size of
 * an expression (maxAstNodes, maxDepth).
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import { RE2_MATCHES, registerKubernetesLibraries } from './libraries';
import { literalIssues, programError } from './literals';
import { NAMESPACES, KeyedList, celEquals, keyedHolders, keyedListAdd, setsArgumentError } from './extensions';
import { registerFormat } from './format';

// The package is an ES module; Node (>= 20.19) loads it with require(), and esbuild bundles it like any other.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cel: typeof CelJs = require('@marcbachmann/cel-js');

export type CelEnvironment = CelJs.Environment;
export const CelOptional = cel.Optional;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const CelDuration: typeof import('@marcbachmann/cel-js/evaluator', { with: { 'resolution-mode': 'import' } }).Duration = require('@marcbachmann/cel-js/evaluator').Duration;

/** A compiled expression: call it with the variables' values. */
export interface CelProgram {
  (vars: Record<string, unknown>): unknown;
}

const LIMITS = { maxAstNodes: 10000, maxDepth: 100 };

const envs = new Map<string, CelJs.Environment>();

/**
 * The environment whose variables are `names` (each a dyn; the objects they are bound to are JSON, whose shape the
 * schema gives, not CEL's type checker). Kept per set of names: building one registers every library function.
 */
export function environment(names: readonly string[]): CelJs.Environment {
  const key = names.join(',');
  let env = envs.get(key);
  if (!env) {
    env = new cel.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, limits: LIMITS });
    registerKubernetesLibraries(env);
    registerFormat(env, cel.Optional);
    registerOptionalV2(env);
    for (const n of names) env.registerVariable(n, 'dyn');
    envs.set(key, env);
  }
  return env;
}

/** cel-go's traits.Zeroer: null, false, 0, "", b"", an empty list or map, a zero duration, the epoch. */
function isZeroValue(v: unknown): boolean {
  if (v === null || v === false || v === 0n || v === 0 || v === '') return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (v instanceof Date) return v.getTime() === 0;
  if (v instanceof CelDuration) return (v as unknown as { seconds: bigint; nanos: number }).seconds === 0n && (v as unknown as { nanos: number }).nanos === 0;
  return !!v && typeof v === 'object' && v.constructor === Object && Object.keys(v).length === 0;
}

/**
 * What cel-js's optional types lack of cel-go's (cel/library.go optionalLib at its latest version, which base.go's
 * unversioned cel.OptionalTypes() enables): optional.ofNonZeroValue (version 0), and version 2's list.first(),
 * list.last(), optional.unwrap() and list.unwrapOpt().
 */
function registerOptionalV2(env: CelJs.Environment): void {
  const Opt = cel.Optional;
  env.registerFunction('OptionalNamespace.ofNonZeroValue(A): optional<A>', (_: unknown, v: unknown) => (isZeroValue(v) ? Opt.none() : Opt.of(v)));
  env.registerFunction('list<A>.first(): optional<A>', (l: unknown[]) => (l.length ? Opt.of(l[0]) : Opt.none()));
  env.registerFunction('list<A>.last(): optional<A>', (l: unknown[]) => (l.length ? Opt.of(l[l.length - 1]) : Opt.none()));
  // optUnwrap: the values of the optionals that have one; anything else in the list is an error.
  const unwrap = (l: unknown[]) =>
    l.flatMap((o) => {
      if (!(o instanceof Opt)) throw new Error(`value ${String(o)} is not optional`);
      return o.hasValue() ? [o.value()] : [];
    });
  env.registerFunction('OptionalNamespace.unwrap(list<optional<A>>): list<A>', (_: unknown, l: unknown[]) => unwrap(l));
  env.registerFunction('list<optional<A>>.unwrapOpt(): list<A>', (l: unknown[]) => unwrap(l));
}

/**
 * A declared type for the type checker (apiserver/pkg/cel DeclType): an object with its fields, a map with string
 * keys, a list, or a simple type by its CEL name (`int`, `double`, `string`, `bool`, `bytes`,
 * `google.protobuf.Timestamp`, `google.protobuf.Duration`, `dyn`).
 */
export type DeclType =
  | { kind: 'object'; fields: Record<string, DeclType>; name?: string }
  | { kind: 'map'; value: DeclType }
  | { kind: 'list'; item: DeclType }
  | { kind: 'optional'; of: DeclType }
  | { kind: 'simple'; name: string };

/** The object types a typed environment declares, by name, with their fields' types (for the checks cel-js leaves). */
export type ObjectTypes = Map<string, Record<string, DeclType>>;

export interface TypedEnvironment {
  env: CelJs.Environment;
  objects: ObjectTypes;
  names: Map<DeclType, string>;
}

/**
 * An environment for type-checking only, whose variables have the declared types: objects become message types named
 * after their place (`selfType`, `selfType.spec`, a list's items `<list>.idx`, a map's values `<map>.elem`; upstream's
 * are `@idx` and `@elem`, which cel-js's operator signatures cannot spell), each comparable with itself. Programs keep
 * running in the dyn environment: the checked types only decide what is refused when the expression is written.
 */
export function typedEnvironment(vars: Record<string, DeclType>, typeName = 'selfType'): TypedEnvironment {
  const env = environment([]).clone();
  const objects: ObjectTypes = new Map();
  const names = new Map<DeclType, string>();
  const nameOf = (t: DeclType, path: string): string => {
    switch (t.kind) {
      case 'simple':
        return t.name;
      case 'list':
        return `list<${nameOf(t.item, `${path}.idx`)}>`;
      case 'map':
        return `map<string, ${nameOf(t.value, `${path}.elem`)}>`;
      case 'optional':
        return `optional<${nameOf(t.of, path)}>`;
      case 'object': {
        let n = names.get(t);
        if (n) return n;
        names.set(t, (n = t.name ?? path));
        const fields: Record<string, string> = {};
        for (const [k, f] of Object.entries(t.fields)) fields[k] = nameOf(f, `${path}.${k}`);
        objects.set(n, t.fields);
        env.registerType(n, { fields });
        env.registerOperator(`${n} == ${n}`, (a: unknown, b: unknown) => a === b);
        return n;
      }
    }
  };
  Object.entries(vars).forEach(([v, t], i) => env.registerVariable(v, nameOf(t, i ? `${typeName}${i}` : typeName)));
  return { env, objects, names };
}

export interface Compiled {
  program?: CelProgram;
  /** cel-go's issues.String(): `ERROR: <input>:1:6: <message>`, the source line and a caret under the column. */
  error?: string;
  /** The checked output type (`bool`, `string`, `dyn`, ...). */
  type?: string;
  /** Why building the program fails (a constant find() pattern that does not compile): regexp's error text. */
  programError?: string;
}

export interface CompileOptions {
  /**
   * The variables are dyns standing for values whose declared types another compile checks (a CRD rule's runtime
   * program): the homogeneous-literal check, which depends on those types, is left to that compile.
   */
  untyped?: boolean;
}

/**
 * Parses and type-checks `source` in `env` (cel.Env.Compile). With `objects` (a typed environment's), the checks
 * cel-js does not make on declared object types are made too, in cel-go's words: a field that `has()` or an optional
 * select names must exist, and only objects and maps have fields. Then the base environment's AST validators run on
 * the literals (literals.ts), and what building the program would refuse is noted as `programError`.
 */
export function compile(env: CelJs.Environment, source: string, objects?: ObjectTypes, options?: CompileOptions): Compiled {
  let parsed: ReturnType<CelJs.Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (e) {
    return { error: issueText(source, parseError(source, e)) };
  }
  const ast = (parsed as { ast?: unknown }).ast;
  useRe2Matches(ast);
  const checked = parsed.check();
  if (!checked.valid) return { error: issueText(source, checkerError(env, source, checked.error)).split(RE2_MATCHES).join('matches') };
  const extra = notInKubernetes(ast, source);
  if (extra) return { error: issueText(source, extra) };
  const sets = setsArgumentError(ast, source);
  if (sets) return { error: issueText(source, { summary: sets.summary, node: { pos: sets.pos } }) };
  if (objects) {
    const e = fieldErrors(ast, objects, source);
    if (e) return { error: issueText(source, { summary: e.summary, node: { pos: dotBefore(source, e.pos) } }) };
  }
  const issues = literalIssues(ast, source, !options?.untyped);
  if (issues.length) return { error: issues.map((i) => issueText(source, { summary: i.summary, node: { pos: i.pos } })).join('\n') };
  keyedEquality(ast);
  const program: CelProgram = Object.assign((vars: Record<string, unknown>) => parsed(vars), { ast: parsed.ast });
  const out: Compiled = { program, type: checked.type };
  const bad = programError(ast);
  if (bad !== undefined) out.programError = bad;
  return out;
}

/** ANTLR's words for cel-go's FIRST(expr), the tokens an expression may start with. */
const EXPR_START = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

/**
 * cel-js's `Unexpected token: EOF` where an expression must follow (after a binary operator, `in`, the `?` or `:` of
 * a conditional or a map entry, or in an empty input) in the words of cel-go's ANTLR parser (parser_test.go `1 + $`):
 * `Syntax error: mismatched input '<EOF>' expecting {...}` at the end of the input. Other parse errors keep cel-js's.
 */
function parseError(source: string, err: unknown): unknown {
  const e = err as { message?: string };
  if (!/^Unexpected token: EOF/.test(e?.message ?? '')) return err;
  const before = source.replace(/\s+$/, '');
  const binary = /(?:&&|\|\||==|!=|<=|>=|<|>|\+|\*|\/|%|:)$/.test(before)
    || /(?:^|[^\w.])in$/.test(before)
    // A `-` or `?` after an operand (not a unary minus, nor the `?` of an optional select or entry).
    || /[\w)\]'"]\s*[-?]$/.test(before);
  if (before !== '' && !binary) return err;
  return { summary: `Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}`, node: { pos: source.length } };
}

/** Points every `matches` call of a parsed expression at the RE2 overload (libraries.ts RE2_MATCHES). */
function useRe2Matches(ast: unknown): void {
  const seen = new Set<unknown>();
  const walk = (n: any): void => {
    if (!n || typeof n !== 'object' || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if ((n.op === 'rcall' || n.op === 'call') && Array.isArray(n.args) && n.args[0] === 'matches') n.args[0] = RE2_MATCHES;
    if (n.args !== undefined) walk(n.args);
  };
  walk(ast);
}

/**
 * `==` and `!=` whose left operand is a list of x-kubernetes-list-type set or map, or holds one: the order of its
 * elements does not count (apiserver/pkg/cel/common/values.go, unstructuredSetList and unstructuredMapList Equal; cel-go
 * calls the left operand's Equal). Other operands keep cel-js's equality. `+` with such a list on the left is a union
 * or a merge (keyedListAdd).
 */
function keyedEquality(ast: unknown): void {
  const seen = new Set<unknown>();
  const walk = (n: any): void => {
    if (!n || typeof n !== 'object' || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n)) return n.forEach(walk);
    if ((n.op === '==' || n.op === '!=') && typeof n.handle === 'function') {
      const h = n.handle;
      const negate = n.op === '!=';
      n.handle = (l: unknown, r: unknown, a: unknown, ev: unknown) =>
        l instanceof KeyedList || (l && typeof l === 'object' && keyedHolders.has(l)) ? celEquals(l, r) !== negate : h(l, r, a, ev);
    } else if (n.op === '+' && typeof n.handle === 'function') {
      const h = n.handle;
      n.handle = (l: unknown, r: unknown, a: unknown, ev: unknown) => (l instanceof KeyedList && Array.isArray(r) ? keyedListAdd(l, r) : h(l, r, a, ev));
    }
    if (n.op !== 'value') walk(n.args);
  };
  walk(ast);
}

/** The identifiers an expression reads (CompilationResult.UsesOldSelf looks for `oldSelf` among them). */
export function identifiers(program: CelProgram | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const node = n as { op?: string; args?: unknown };
    if (node.op === 'id' && typeof node.args === 'string') out.add(node.args);
    else if (node.op !== 'value') walk(node.args);
  };
  walk((program as { ast?: unknown } | undefined)?.ast);
  return out;
}

interface AstNode {
  op?: string;
  args?: unknown;
  pos?: number;
  checkedType?: { name?: string };
}

/** cel-go reports a field selection at its `.`; cel-js's node starts at the field name. */
function dotBefore(source: string, pos: number): number {
  let i = pos - 1;
  while (i > 0 && /[\s?]/.test(source[i])) i--;
  return source[i] === '.' ? i : pos;
}

/** cel-go's type names: `list(string)`, `map(string, int)`. */
const goTypeName = (name: string) => name.replace(/</g, '(').replace(/>/g, ')');

/**
 * The checker's errors in cel-go's words where a field selection failed (checker/errors.go undefinedField,
 * typeDoesNotSupportFieldSelection), at the `.`.
 */
function checkerError(env: CelJs.Environment, source: string, err: unknown): unknown {
  const e = err as { summary?: string; message?: string; node?: AstNode };
  const node = e?.node;
  const undeclaredFn = node && undeclaredFunction(env, source, (e.summary ?? e.message ?? '').split('\n')[0], node);
  if (undeclaredFn) return undeclaredFn;
  // A namespaced function (extensions.ts) in cel-go's words: `found no matching overload for 'sets.contains' applied
  // to '(list(int), list(string))'`, at its `(`.
  const namespaced = /^found no matching overload for '(\w+)\.(\w+)\((.*)\)'$/.exec((e?.summary ?? e?.message ?? '').split('\n')[0]);
  if (namespaced && node && NAMESPACES.has(namespaced[1])) {
    return { summary: `found no matching overload for '${namespaced[1]}.${namespaced[2]}' applied to '(${goTypeName(namespaced[3])})'`, node: { pos: source.indexOf('(', node.pos ?? 0) } };
  }
  const overload = node && overloadError(source, (e.summary ?? e.message ?? '').split('\n')[0], node);
  if (overload) return overload;
  // checker/errors.go undeclaredReference (the environments here have no container).
  const undeclared = /^Unknown variable: (.*)$/.exec((e?.summary ?? e?.message ?? '').split('\n')[0]);
  if (undeclared && node) return { summary: `undeclared reference to '${undeclared[1]}' (in container '')`, node: { pos: node.pos ?? 0 } };
  if (!node || (node.op !== '.' && node.op !== '.?') || !Array.isArray(node.args)) return err;
  const summary = (e.summary ?? e.message ?? '').split('\n')[0];
  const pos = dotBefore(source, node.pos ?? 0);
  const missing = /^No such key: (.*)$/.exec(summary);
  if (missing) return { summary: `undefined field '${missing[1]}'`, node: { pos } };
  const left = (node.args[0] as AstNode | undefined)?.checkedType?.name;
  if (left && /^Cannot index type|^List index must be/.test(summary)) {
    return { summary: `type '${goTypeName(left)}' does not support field selection`, node: { pos } };
  }
  return err;
}

/**
 * cel-js's own member functions of bytes, which neither cel-go's standard library nor the extensions Kubernetes 1.34
 * enables declare (base.go: no ext.Encoders, whose base64 functions are namespaced anyway): cel-go's checker finds no
 * function by those names.
 */
const CEL_JS_ONLY = new Set(['at', 'base64', 'hex', 'json']);

/**
 * The calls cel-js accepts that cel-go refuses: a member call of a function only cel-js has is `undeclared reference
 * to 'hex' (in container '')`; `b.string()`, cel-go's string() being a global conversion only, is `found no matching
 * overload for 'string' applied to 'bytes.()'` (checker/errors.go noMatchingOverload of an instance call). At the
 * call's `(`, as cel-go's parser places a call's id.
 */
function notInKubernetes(ast: unknown, source: string): { summary: string; node: { pos: number } } | undefined {
  let found: { summary: string; node: { pos: number } } | undefined;
  const seen = new Set<unknown>();
  const walk = (n: any): void => {
    if (found || !n || typeof n !== 'object' || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.op === 'rcall' && Array.isArray(n.args) && (CEL_JS_ONLY.has(n.args[0]) || n.args[0] === 'string')) {
      const receiver = n.args[1] as { end?: number; checkedType?: { name?: string } } | undefined;
      const pos = source.indexOf('(', receiver?.end ?? n.pos ?? 0);
      if (CEL_JS_ONLY.has(n.args[0])) found = { summary: `undeclared reference to '${n.args[0]}' (in container '')`, node: { pos } };
      else found = { summary: `found no matching overload for 'string' applied to '${goTypeName(receiver?.checkedType?.name ?? 'dyn')}.()'`, node: { pos } };
      return;
    }
    if (n.op !== 'value') walk(n.args);
  };
  walk(ast);
  return found;
}

const functionNames = new WeakMap<CelJs.Environment, Set<string>>();

/**
 * cel-js's `found no matching overload for 'string.reverse()'` for a function no overload of which is declared, in
 * cel-go's words: its checker looks the function up by name first (checker.go checkCall) and, finding none, reports
 * `undeclared reference to 'reverse' (in container '')` at the call's `(` (where the parser places a call's id).
 */
function undeclaredFunction(env: CelJs.Environment, source: string, summary: string, node: AstNode): unknown {
  const m = /^found no matching overload for '(?:([\w.<>, ]+)\.)?(\w+)\(.*\)'$/.exec(summary);
  if (!m || (node.op !== 'call' && node.op !== 'rcall') || !Array.isArray(node.args) || node.args[0] !== m[2]) return undefined;
  if (m[1] && NAMESPACES.has(m[1])) return undefined;
  let names = functionNames.get(env);
  if (!names) functionNames.set(env, (names = new Set(env.getDefinitions().functions.map((f) => f.name))));
  if (names.has(m[2])) return undefined;
  // A member call's `(` follows its receiver and name; a global call's, its name.
  const from = node.op === 'rcall' ? ((node.args[1] as { end?: number } | undefined)?.end ?? node.pos ?? 0) : node.pos ?? 0;
  return { summary: `undeclared reference to '${m[2]}' (in container '')`, node: { pos: source.indexOf('(', from) } };
}

/** cel-go's names of the operators' functions (common/operators). */
const OPERATORS: Record<string, string> = {
  '==': '_==_', '!=': '_!=_', '<': '_<_', '<=': '_<=_', '>': '_>_', '>=': '_>=_', '+': '_+_', '-': '_-_', '*': '_*_',
  '/': '_/_', '%': '_%_', in: '@in', '!_': '!_', '-_': '-_', '[]': '_[_]',
};

/**
 * cel-js's `no such overload: int == double` in cel-go's words (checker/errors.go noMatchingOverload): `found no
 * matching overload for '_==_' applied to '(int, double)'`, at the operator (a call at its `(`, as cel-go's parser
 * places a call's id on its open parenthesis).
 */
function overloadError(source: string, summary: string, node: AstNode & { start?: number; end?: number }): unknown {
  const m = /^no such overload: (\S+) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (\S+)$/.exec(summary);
  const args = Array.isArray(node.args) ? (node.args as (AstNode & { end?: number })[]) : [];
  if (m && OPERATORS[m[2]] && args.length === 2) {
    // The operator follows the left operand (and any closing parentheses around it).
    let i = args[0]?.end ?? node.pos ?? 0;
    while (i < source.length && /[\s)]/.test(source[i])) i++;
    return { summary: `found no matching overload for '${OPERATORS[m[2]]}' applied to '(${goTypeName(m[1])}, ${goTypeName(m[3])})'`, node: { pos: i } };
  }
  return undefined;
}

/** The cel-js name of a declared type (an object by the name its environment registered). */
function declName(t: DeclType | undefined, objects: ObjectTypes): string {
  if (!t) return 'dyn';
  switch (t.kind) {
    case 'simple':
      return t.name;
    case 'list':
      return `list<${declName(t.item, objects)}>`;
    case 'map':
      return `map<string, ${declName(t.value, objects)}>`;
    case 'optional':
      return `optional<${declName(t.of, objects)}>`;
    case 'object':
      for (const [n, f] of objects) if (f === t.fields) return n;
      return 'dyn';
  }
}

/**
 * The field selections cel-js lets through on declared types (inside has(), optional selects, fields of timestamps
 * and strings), refused as cel-go's checker refuses them (checkSelectField): a map yields its value type, an object
 * its declared field's (`undefined field`), a dyn anything; every other type `does not support field selection`.
 */
function fieldErrors(ast: unknown, objects: ObjectTypes, source: string): { summary: string; pos: number } | undefined {
  /** The type `field` of a value of type `left` has, or the error selecting it. */
  const select = (left: string | undefined, field: string, pos: number): { type?: string; error?: { summary: string; pos: number } } => {
    if (!left) return {};
    const t = left.startsWith('optional<') ? left.slice('optional<'.length, -1) : left;
    // A dyn, or a free type parameter (cel-js names them `T`, `K`, `V`), selects anything.
    if (t === 'dyn' || t.startsWith('dyn<') || /^[A-Z]$/.test(t)) return {};
    const fields = objects.get(t);
    if (fields) return field in fields ? { type: declName(fields[field], objects) } : { error: { summary: `undefined field '${field}'`, pos } };
    if (t.startsWith('map<')) return { type: t.slice(t.indexOf(', ') + 2, -1) };
    return { error: { summary: `type '${goTypeName(t)}' does not support field selection`, pos } };
  };
  const walk = (n: unknown): { summary: string; pos: number } | undefined => {
    if (!n || typeof n !== 'object') return undefined;
    if (Array.isArray(n)) {
      for (const x of n) {
        const e = walk(x);
        if (e) return e;
      }
      return undefined;
    }
    const node = n as AstNode;
    if (node.op === 'value' || node.op === 'id') return undefined;
    const args = node.args as unknown[];
    if (node.op === 'call' && Array.isArray(args) && args[0] === 'has' && Array.isArray(args[1])) {
      // has(a.b.c): the chain down to its variable, whose type the checker knows, then each field in turn. The
      // presence test itself (the last select) is a macro node placed at has's `(` (parser_test.go `has(m.f)`).
      const chain: AstNode[] = [];
      let cur = (args[1] as AstNode[])[0];
      while (cur && (cur.op === '.' || cur.op === '.?') && Array.isArray(cur.args)) {
        chain.unshift(cur);
        cur = (cur.args as AstNode[])[0];
      }
      if (cur?.op === 'id') {
        let t: string | undefined = cur.checkedType?.name;
        const paren = source.indexOf('(', node.pos ?? 0);
        for (const [i, sel] of chain.entries()) {
          const r = select(t, (sel.args as unknown[])[1] as string, i === chain.length - 1 ? paren : sel.pos ?? 0);
          if (r.error) return r.error;
          t = r.type;
        }
        return undefined;
      }
    }
    if ((node.op === '.' || node.op === '.?') && Array.isArray(args)) {
      const e = select((args[0] as AstNode | undefined)?.checkedType?.name, args[1] as string, node.pos ?? 0).error;
      if (e) return e;
    }
    return walk(node.args);
  };
  return walk(ast);
}

/** cel-go's Errors.ToDisplayString for one error: the 1-based line and column, then the source line with a caret. */
function issueText(source: string, err: unknown): string {
  const e = err as { summary?: string; message?: string; range?: { start: number }; node?: { pos?: number } };
  const summary = (e?.summary ?? e?.message ?? String(err)).split('\n')[0];
  const pos = e?.node?.pos ?? e?.range?.start ?? 0;
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - (before.lastIndexOf('\n') + 1);
  const text = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${col + 1}: ${summary}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

/**
 * The text of an error an expression raised when it ran, in cel-go's words where they differ (`no such key: x`,
 * `division by zero`, `no such overload`); the source excerpt cel-js appends is left out, as cel-go has none.
 */
export function runtimeErrorText(err: unknown): string {
  const e = err as { summary?: string; message?: string };
  let s = (e?.summary ?? e?.message ?? String(err)).split('\n')[0];
  s = s.replace(/^No such key: index out of bounds, index (-?\d+) >= size (\d+)$/, "index out of bounds: $1");
  s = s.replace(/^No such key:/, 'no such key:');
  if (/^no such overload|^found no matching overload/.test(s)) s = 'no such overload';
  return s;
}
