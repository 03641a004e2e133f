/**
 * The checks the Kubernetes CEL environment makes on a type-checked expression's literals before it accepts it
 * (apiserver/pkg/cel/environment/base.go, from 1.29: cel.ASTValidators(ValidateDurationLiterals,
 * ValidateTimestampLiterals, ValidateRegexLiterals, ValidateHomogeneousAggregateLiterals); cel-go cel/validator.go),
 * and the one the program builder makes (cel.OptimizeRegex(library.ExtensionLibRegexOptimizations...), used by the
 * CRD compiler and the admission plugin's): a constant pattern of find() or findAll() is compiled when the program
 * is built. The walk is over cel-js's checked AST (nodes `{op, args, pos, checkedType}`).
 */
import { RE2JS } from 're2js';
import { goParseDuration } from '../../../kube/src/cron';
import { RE2_MATCHES } from './libraries';

/** One validator issue: cel-go's message and the source offset of the expression it is reported at. */
export interface LiteralIssue {
  summary: string;
  pos: number;
}

interface Node {
  op?: string;
  args?: unknown;
  pos?: number;
  start?: number;
  end?: number;
  checkedType?: CelType;
}

/** cel-js's TypeDeclaration, as far as it is read here. */
interface CelType {
  kind: string;
  name: string;
  keyType?: CelType;
  valueType?: CelType;
}

const isNode = (n: unknown): n is Node => !!n && typeof n === 'object' && !Array.isArray(n) && typeof (n as Node).op === 'string';

/** The callee name, receiver and arguments of a call node (cel-js: `call` [name, args], `rcall` [name, receiver, args]). */
function callOf(n: Node): { name: string; receiver?: Node; args: Node[] } | undefined {
  const a = n.args as unknown[];
  if (!Array.isArray(a) || typeof a[0] !== 'string') return undefined;
  if (n.op === 'call' && Array.isArray(a[1])) return { name: a[0], args: a[1] as Node[] };
  if (n.op === 'rcall' && Array.isArray(a[2])) return { name: a[0], receiver: a[1] as Node, args: a[2] as Node[] };
  return undefined;
}

/** Every node below `n` with the call names of its ancestors (for the homogeneous check's exempt functions). */
function visit(n: unknown, f: (node: Node, inFormat: boolean) => void, inFormat = false): void {
  if (Array.isArray(n)) {
    for (const x of n) visit(x, f, inFormat);
    return;
  }
  if (!isNode(n)) return;
  f(n, inFormat);
  if (n.op === 'value' || n.op === 'id') return;
  const c = callOf(n);
  visit(n.args, f, inFormat || c?.name === 'format');
}

const stringArg = (n: Node | undefined): string | undefined => (n?.op === 'value' && typeof n.args === 'string' ? n.args : undefined);

/** regexp.Compile's error, or undefined (RE2JS words its syntax errors as Go's regexp/syntax does). */
function regexError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** time.ParseDuration accepts it and it fits in an int64 of nanoseconds (cel-go's string-to-duration conversion). */
function validDuration(s: string): boolean {
  const ms = goParseDuration(s);
  return typeof ms === 'number' && Math.abs(ms) <= 9_223_372_036_854.775;
}

const MIN_UNIX = -62135596800; // 0001-01-01T00:00:00Z
const MAX_UNIX = 253402300799; // 9999-12-31T23:59:59Z

/**
 * cel-go's string-to-timestamp conversion: time.Parse(time.RFC3339, s) (which takes a one-digit hour, a comma before
 * the fraction, and offsets up to 24:60), then the CEL range of years 1 to 9999.
 */
function validTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return false;
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysIn = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day < 1 || day > daysIn) return false;
  let offset = 0;
  if (m[7]) {
    const oh = Number(m[8]);
    const om = Number(m[9]);
    if (oh > 24 || om > 60) return false;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  // Date.UTC would read the years 0 to 99 as 1900 to 1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec);
  const unix = Math.floor(d.getTime() / 1000) - offset;
  return unix >= MIN_UNIX && unix <= MAX_UNIX;
}

/** cel-go's int-to-timestamp conversion: unix seconds within the CEL range. */
const validUnix = (v: bigint) => v >= BigInt(MIN_UNIX) && v <= BigInt(MAX_UNIX);

/**
 * Where cel-go's parser places an expression's id, which is where its issues are reported: a call at its `(`, a
 * field selection at its `.`, an index at its `[`, an operator at the operator; a literal, identifier, list or map
 * where it starts.
 */
export function exprPos(n: Node, source: string): number {
  const pos = n.pos ?? 0;
  const c = callOf(n);
  if (c) {
    const from = c.receiver ? source.indexOf(c.name, c.receiver.end ?? pos) : pos;
    const paren = source.indexOf('(', from < 0 ? pos : from);
    return paren < 0 ? pos : paren;
  }
  if (n.op === '.' || n.op === '.?') {
    let i = pos - 1;
    while (i > 0 && /[\s?]/.test(source[i])) i--;
    return source[i] === '.' ? i : pos;
  }
  const args = Array.isArray(n.args) ? (n.args as Node[]) : [];
  if (n.op !== 'value' && n.op !== 'id' && n.op !== 'list' && n.op !== 'map' && args.length >= 2 && isNode(args[0]) && args[0].end !== undefined) {
    // A binary operator or an index follows its left operand (and any closing parentheses around it).
    let i = args[0].end;
    while (i < source.length && /[\s)]/.test(source[i])) i++;
    return i;
  }
  return pos;
}

/** Results of these functions are declared looser here (dyn, list) than cel-go types them: they join with anything. */
const LOOSE_RESULTS = new Set(['sum', 'min', 'max']);

const FREE: CelType = { kind: 'param', name: 'T' };
const DYN: CelType = { kind: 'dyn', name: 'dyn' };

/** The type cel-go's checker gives an aggregate's element (type parameters of empty literals stay free). */
function typeOfNode(n: Node): CelType {
  if (n.op === 'list') {
    const elems = (n.args as Node[]).map(typeOfNode);
    const joined = joinAll(elems);
    return { kind: 'list', name: 'list', valueType: joined === undefined ? DYN : joined ?? FREE };
  }
  if (n.op === 'map') {
    const entries = n.args as [Node, Node][];
    const k = joinAll(entries.map((e) => typeOfNode(e[0])));
    const v = joinAll(entries.map((e) => typeOfNode(e[1])));
    return { kind: 'map', name: 'map', keyType: k === undefined ? DYN : k ?? FREE, valueType: v === undefined ? DYN : v ?? FREE };
  }
  const c = callOf(n);
  if (c && LOOSE_RESULTS.has(c.name) && c.receiver) return FREE;
  return n.checkedType ?? DYN;
}

/** The common type of all, null when there are none, undefined when two differ. */
function joinAll(types: CelType[]): CelType | null | undefined {
  let t: CelType | null | undefined = null;
  for (const x of types) {
    t = t === null ? x : unify(t, x);
    if (t === undefined) return undefined;
  }
  return t;
}

/** Type.IsEquivalentType after the checker's substitutions: a free type parameter takes the other type. */
function unify(a: CelType, b: CelType): CelType | undefined {
  if (a.kind === 'param') return b;
  if (b.kind === 'param') return a;
  if (a.kind === 'dyn' || b.kind === 'dyn') return a.kind === b.kind ? a : undefined;
  if (a.kind !== b.kind) return undefined;
  if (a.kind === 'list' || a.kind === 'optional') {
    const v = unify(a.valueType ?? DYN, b.valueType ?? DYN);
    return v && { ...a, valueType: v };
  }
  if (a.kind === 'map') {
    const k = unify(a.keyType ?? DYN, b.keyType ?? DYN);
    const v = unify(a.valueType ?? DYN, b.valueType ?? DYN);
    return k && v && { ...a, keyType: k, valueType: v };
  }
  return a.name === b.name ? a : undefined;
}

/** FormatCELType: `list(int)`, `map(string, int)`, `optional_type(int)`, `null_type`; a free parameter is a dyn. */
export function formatCelType(t: CelType): string {
  switch (t.kind) {
    case 'param':
    case 'dyn':
      return 'dyn';
    case 'list':
      return `list(${formatCelType(t.valueType ?? DYN)})`;
    case 'map':
      return `map(${formatCelType(t.keyType ?? DYN)}, ${formatCelType(t.valueType ?? DYN)})`;
    case 'optional':
      return `optional_type(${formatCelType(t.valueType ?? DYN)})`;
    default:
      return t.name === 'null' ? 'null_type' : t.name;
  }
}

/**
 * The AST validators' issues, in cel-go's words, at the positions cel-go reports them (sorted as Errors.ToDisplayString
 * sorts them). `homogeneous: false` leaves out the aggregate-literal check, for an environment whose variables are
 * dyns standing for typed values (its element types would not be upstream's).
 */
export function literalIssues(ast: unknown, source: string, homogeneous = true): LiteralIssue[] {
  const out: LiteralIssue[] = [];
  const mismatch = (at: Node, expected: CelType, found: CelType) =>
    out.push({ summary: `expected type '${formatCelType(expected)}' but found '${formatCelType(found)}'`, pos: exprPos(at, source) });
  visit(ast, (n, inFormat) => {
    const c = callOf(n);
    if (c) {
      const arg = c.args[0];
      const s = stringArg(arg);
      // formatValidator: the first argument of the function, when it is a literal (for the global matches(s, re)
      // that is the string, as upstream's validator reads it).
      if (c.name === 'duration' && !c.receiver && s !== undefined && !validDuration(s)) out.push({ summary: 'invalid duration argument', pos: arg.pos ?? 0 });
      if (c.name === 'timestamp' && !c.receiver && arg?.op === 'value') {
        const v = arg.args;
        if ((typeof v === 'string' && !validTimestamp(v)) || (typeof v === 'bigint' && !validUnix(v))) out.push({ summary: 'invalid timestamp argument', pos: arg.pos ?? 0 });
      }
      if ((c.name === 'matches' || c.name === RE2_MATCHES) && s !== undefined && regexError(s) !== undefined) {
        out.push({ summary: 'invalid matches argument', pos: arg.pos ?? 0 });
      }
      return;
    }
    if (!homogeneous || inFormat) return;
    if (n.op === 'list') {
      let first: CelType | undefined;
      for (const e of n.args as Node[]) {
        const t = typeOfNode(e);
        if (!first) {
          first = t;
          continue;
        }
        const u = unify(first, t);
        if (!u) {
          mismatch(e, first, t);
          break;
        }
        first = u;
      }
    } else if (n.op === 'map') {
      let key: CelType | undefined;
      let value: CelType | undefined;
      for (const [k, v] of n.args as [Node, Node][]) {
        const kt = typeOfNode(k);
        const vt = typeOfNode(v);
        if (!key || !value) {
          key = kt;
          value = vt;
          continue;
        }
        const ku = unify(key, kt);
        if (ku) key = ku;
        else mismatch(k, key, kt);
        const vu = unify(value, vt);
        if (vu) value = vu;
        else mismatch(v, value, vt);
      }
    }
  });
  return out.sort((a, b) => a.pos - b.pos);
}

/**
 * What building the program refuses (cel.OptimizeRegex with library.ExtensionLibRegexOptimizations): find() and
 * findAll() with a constant pattern compile it, so a bad one is regexp.Compile's error.
 */
export function programError(ast: unknown): string | undefined {
  let err: string | undefined;
  visit(ast, (n) => {
    if (err !== undefined) return;
    const c = callOf(n);
    if (!c || !c.receiver || (c.name !== 'find' && c.name !== 'findAll')) return;
    const s = stringArg(c.args[0]);
    if (s !== undefined) err = regexError(s);
  });
  return err;
}
