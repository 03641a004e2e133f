/**
 * A Job's podFailurePolicy, successPolicy and podReplacementPolicy, as
 * upstream's validateJobSpec checks them (pkg/apis/batch/validation), for Jobs
 * and CronJob job templates: rule counts, actions, exit-code requirements
 * (operator, container name, values non-empty, unique, ordered, no 0 under
 * In), pod-condition patterns, success rules (Indexed Jobs only, counts and
 * index ranges within completions), and the replacement policy a failure
 * policy allows.
 */
import type { Rule } from './context';
import { ACCEPTED_MISSING, get, isObject, jobSpecPath } from './context';
import { isDNS1123Label, isQualifiedName } from '../names';
import type { FieldErrorType, FieldPath, Finding } from './types';

const MAX_RULES = 20;
const MAX_CONDITION_PATTERNS = 20;
const MAX_EXIT_CODES = 255;
const MAX_SUCCESS_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const STATUSES = ['False', 'True', 'Unknown'];

/** Go's %q of a []string: `["a" "b"]`. */
const goList = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
/** Go's %#v of a []int32: a missing list is nil, an empty one is not. */
const goInts = (v: unknown) => (Array.isArray(v) ? `[]int32{${v.join(', ')}}` : '[]int32(nil)');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Items of a list, a null item read as the zero value Go decodes it to. */
function eachItem(v: unknown, fn: (item: Record<string, any>, i: number) => void): void {
  list(v).forEach((it, i) => { if (it === null || isObject(it)) fn(it ?? {}, i); });
}

function finding(path: FieldPath, type: FieldErrorType, message: string, api: Omit<NonNullable<Finding['apiError']>, 'type'>): Finding {
  return { code: 'job-policy', severity: 'error', path, message, apiError: { type, ...api } };
}

const required = (path: FieldPath, detail: string) => finding(path, 'FieldValueRequired', `Required value: ${detail}`, { detail });
const invalid = (path: FieldPath, value: unknown, detail: string, valueText?: string) =>
  finding(path, 'FieldValueInvalid', `Invalid value: ${valueText ?? JSON.stringify(value)}: ${detail}`, valueText !== undefined ? { value, detail, valueText } : { value, detail });
const invalidNoValue = (path: FieldPath, detail: string) => finding(path, 'FieldValueInvalid', `Invalid value: ${detail}`, { detail, omitValue: true });
const notSupported = (path: FieldPath, value: unknown, supported: string[]): Finding => ({
  ...finding(path, 'FieldValueNotSupported', `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, { value, supported }),
  data: { allowed: supported },
});
const tooMany = (path: FieldPath, n: number, max: number) =>
  finding(path, 'FieldValueTooMany', `Too many: ${n}: must have at most ${max} items`, { value: n, detail: `must have at most ${max} items` });

/** The Job specs of an object: a Job's spec, a CronJob's job template spec. */
function jobSpecs(obj: Record<string, unknown>, kind: string): { spec: Record<string, any>; path: FieldPath }[] {
  const path = jobSpecPath(kind);
  const spec = path ? get(obj, path) : undefined;
  return path && isObject(spec) ? [{ spec, path }] : [];
}

function podFailurePolicy(spec: Record<string, any>, base: FieldPath, out: Finding[]): void {
  const pfp = spec.podFailurePolicy;
  if (!isObject(pfp)) return;
  const rulesPath = [...base, 'podFailurePolicy', 'rules'];
  const rules = list(pfp.rules);
  // A policy without rules is accepted (the schema's required list comes from JSON tags, not validation).
  if (pfp.rules === undefined || pfp.rules === null) out.push({ code: ACCEPTED_MISSING, severity: 'hint', path: rulesPath, message: '' });
  if (rules.length > MAX_RULES) out.push(tooMany(rulesPath, rules.length, MAX_RULES));
  const tpl = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
  const names = new Set<unknown>([...list(tpl.containers), ...list(tpl.initContainers)].map((c: any) => (isObject(c) ? c.name : undefined)));
  eachItem(rules, (rule, i) => {
    const rulePath = [...rulesPath, i];
    const action = rule.action;
    if (action === undefined || action === null || action === '') out.push(required([...rulePath, 'action'], `valid values: ${goList(ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) out.push(invalid([...rulePath, 'action'], action, 'requires the backoffLimitPerIndex to be set'));
    } else if (typeof action === 'string' && !ACTIONS.includes(action)) out.push(notSupported([...rulePath, 'action'], action, ACTIONS));
    const exit = rule.onExitCodes;
    const conds = list(rule.onPodConditions);
    if (isObject(exit)) onExitCodes(exit, [...rulePath, 'onExitCodes'], names, out);
    if (conds.length) onPodConditions(conds, [...rulePath, 'onPodConditions'], out);
    if (isObject(exit) && conds.length) out.push(invalidNoValue(rulePath, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!isObject(exit) && !conds.length) out.push(invalidNoValue(rulePath, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
}

function onExitCodes(req: Record<string, any>, path: FieldPath, names: Set<unknown>, out: Finding[]): void {
  const op = req.operator;
  if (op === undefined || op === null || op === '') out.push(required([...path, 'operator'], `valid values: ${goList(OPERATORS)}`));
  else if (typeof op === 'string' && !OPERATORS.includes(op)) out.push(notSupported([...path, 'operator'], op, OPERATORS));
  if (typeof req.containerName === 'string' && !names.has(req.containerName)) {
    out.push(invalid([...path, 'containerName'], req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = list(req.values);
  const valuesPath = [...path, 'values'];
  if (!values.length) out.push(invalid(valuesPath, req.values ?? null, 'at least one value is required', goInts(req.values)));
  else if (values.length > MAX_EXIT_CODES) out.push(tooMany(valuesPath, values.length, MAX_EXIT_CODES));
  let ordered = true;
  const seen = new Set<unknown>();
  values.forEach((v, j) => {
    if (op === 'In' && v === 0) out.push(invalid([...valuesPath, j], v, 'must not be 0 for the In operator'));
    if (seen.has(v)) out.push(finding([...valuesPath, j], 'FieldValueDuplicate', `Duplicate value: ${JSON.stringify(v)}`, { value: v }));
    else seen.add(v);
    if (j > 0 && typeof v === 'number' && typeof values[j - 1] === 'number' && (values[j - 1] as number) > v) ordered = false;
  });
  if (!ordered) out.push(invalid(valuesPath, values, 'must be ordered', goInts(values)));
}


function onPodConditions(patterns: unknown[], path: FieldPath, out: Finding[]): void {
  if (patterns.length > MAX_CONDITION_PATTERNS) out.push(tooMany(path, patterns.length, MAX_CONDITION_PATTERNS));
  eachItem(patterns, (p, j) => {
    const type = typeof p.type === 'string' ? p.type : '';
    for (const msg of isQualifiedName(type)) out.push(invalid([...path, j, 'type'], type, msg));
    // A missing or empty status defaults to True (SetDefaults_Job): only an unknown one is refused.
    const status = p.status;
    if (typeof status === 'string' && status !== '' && !STATUSES.includes(status)) out.push(notSupported([...path, j, 'status'], status, STATUSES));
  });
}

/** validateIndexesFormat: how many indexes an index list names, or its error in upstream's words. */
function countIndexes(s: string, completions: number): number | string {
  if (!s) return 0;
  // strconv.Atoi: a 64-bit integer.
  const parse = (t: string) => (/^[+-]?\d+$/.test(t) && Math.abs(Number(t)) < 2 ** 63 ? Number(t) : undefined);
  let last: number | undefined;
  let total = 0;
  for (const interval of s.split(',')) {
    // parseIndexInterval: the whole "x" or "x-y" first, then its place after the one before.
    const limits = interval.split('-');
    if (limits.length > 2) return `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const x = parse(limits[0]);
    if (x === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[0])}`;
    if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
    let y = x;
    if (limits.length > 1) {
      const p = parse(limits[1]);
      if (p === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[1])}`;
      if (p >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
      if (x >= p) return `non-increasing order, previous: ${x}, current: ${p}`;
      y = p;
    }
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}

function successPolicy(spec: Record<string, any>, base: FieldPath, out: Finding[]): void {
  const sp = spec.successPolicy;
  if (!isObject(sp)) return;
  const path = [...base, 'successPolicy'];
  if (spec.completionMode !== 'Indexed') {
    // Go prints the struct with pointer addresses, which no two servers share; the shape is kept.
    out.push(invalid(path, sp, 'requires indexed completion mode', 'batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{...}}'));
    return;
  }
  const rules = list(sp.rules);
  const rulesPath = [...path, 'rules'];
  if (!rules.length) out.push(required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_RULES) out.push(tooMany(rulesPath, rules.length, MAX_SUCCESS_RULES));
  // completions and parallelism both unset default to 1; completions unset otherwise is its own error upstream.
  const completions: number | undefined = typeof spec.completions === 'number' ? spec.completions
    : (spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null) ? 1 : undefined;
  eachItem(rules, (rule, i) => {
    const rulePath = [...rulesPath, i];
    const count = rule.succeededCount;
    const indexes = rule.succeededIndexes;
    if ((count === undefined || count === null) && (indexes === undefined || indexes === null)) {
      out.push(required(rulePath, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (typeof indexes === 'string') {
      if (indexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) {
        out.push(finding([...rulePath, 'succeededIndexes'], 'FieldValueTooLong', `Too long: may not be more than ${MAX_SUCCEEDED_INDEXES_LENGTH} bytes`, { detail: `may not be more than ${MAX_SUCCEEDED_INDEXES_LENGTH} bytes` }));
      }
      const n = completions === undefined ? 0 : countIndexes(indexes, completions);
      if (typeof n === 'string') out.push(invalid([...rulePath, 'succeededIndexes'], indexes, `error parsing succeededIndexes: ${n}`));
      else total = n;
    }
    if (typeof count === 'number') {
      const countPath = [...rulePath, 'succeededCount'];
      if (count < 0) out.push(invalid(countPath, count, 'must be greater than or equal to 0'));
      if (completions !== undefined && count > completions) out.push(invalid(countPath, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (typeof indexes === 'string' && completions !== undefined && count > total) {
        out.push(invalid(countPath, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
}

const INDEXED_LIMIT = 100_000;

/**
 * validateJobSpec's completion-mode checks: an Indexed Job counts its completions (parallelism without
 * completions leaves them unset), keeps maxFailedIndexes within them, and the per-index fields belong to
 * Indexed Jobs alone; maxFailedIndexes needs backoffLimitPerIndex.
 */
function completionMode(spec: Record<string, any>, base: FieldPath, out: Finding[]): void {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const set = (v: unknown) => v !== undefined && v !== null;
  const indexed = spec.completionMode === 'Indexed';
  // SetDefaults_Job: neither completions nor parallelism given means one of each.
  const completions = num(spec.completions) ?? (!set(spec.completions) && !set(spec.parallelism) ? 1 : undefined);
  const maxFailed = num(spec.maxFailedIndexes);
  if (set(spec.maxFailedIndexes) && !set(spec.backoffLimitPerIndex)) out.push(required([...base, 'backoffLimitPerIndex'], 'when maxFailedIndexes is specified'));
  if (indexed) {
    if (completions === undefined && !set(spec.completions)) out.push(required([...base, 'completions'], 'when completion mode is Indexed'));
    const par = num(spec.parallelism);
    if (par !== undefined && par > INDEXED_LIMIT) out.push(invalid([...base, 'parallelism'], par, `must be less than or equal to ${INDEXED_LIMIT} when completion mode is Indexed`));
    if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) out.push(invalid([...base, 'maxFailedIndexes'], maxFailed, 'must be less than or equal to completions'));
    if (maxFailed !== undefined && maxFailed > INDEXED_LIMIT) out.push(invalid([...base, 'maxFailedIndexes'], maxFailed, `must be less than or equal to ${INDEXED_LIMIT}`));
  } else if (spec.completionMode === undefined || spec.completionMode === null || spec.completionMode === 'NonIndexed') {
    for (const k of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
      const v = num(spec[k]);
      if (v !== undefined) out.push(invalid([...base, k], v, 'requires indexed completion mode'));
    }
  }
}

/** ValidateJob: an Indexed Job's last pod is `<name>-<completions-1>`, which must be a DNS label for its hostname. */
function indexedHostname(obj: Record<string, unknown>, spec: Record<string, any>, out: Finding[]): void {
  const name = get(obj, ['metadata', 'name']);
  if (typeof name !== 'string' || !name || spec.completionMode !== 'Indexed' || typeof spec.completions !== 'number' || spec.completions <= 0) return;
  const last = `${name}-${spec.completions - 1}`;
  if (isDNS1123Label(last).length) out.push(invalid(['metadata', 'name'], name, `will not able to create pod with invalid DNS label: ${last}`));
}

function podReplacementPolicy(spec: Record<string, any>, base: FieldPath, out: Finding[]): void {
  const v = spec.podReplacementPolicy;
  if (typeof v !== 'string') return;
  const path = [...base, 'podReplacementPolicy'];
  // A failure policy narrows the enum to Failed (this replaces the schema's wider enum finding); values
  // outside the enum are otherwise the schema walk's.
  if (isObject(spec.podFailurePolicy) && v !== 'Failed') out.push(notSupported(path, v, ['Failed']));
}

export const jobPoliciesRule: Rule = {
  codes: ['job-policy'],
  check(obj, ctx, out) {
    for (const { spec, path } of jobSpecs(obj, ctx.kind)) {
      completionMode(spec, path, out);
      if (ctx.kind === 'Job') indexedHostname(obj, spec, out);
      podFailurePolicy(spec, path, out);
      successPolicy(spec, path, out);
      podReplacementPolicy(spec, path, out);
    }
  },
};
