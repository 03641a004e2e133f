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
import { eachObject, get, isObject } from './context';
import { isQualifiedName } from '../names';
import type { FieldErrorType, FieldPath, Finding } from './types';

const MAX_RULES = 20;
const MAX_CONDITION_PATTERNS = 20;
const MAX_EXIT_CODES = 255;
const MAX_SUCCESS_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const STATUSES = ['False', 'True', 'Unknown'];
/** The schema's enum; a failure policy allows only Failed. */
const REPLACEMENT = ['Failed', 'TerminatingOrFailed'];

/** Go's %q of a []string: `["a" "b"]`. */
const goList = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
/** Go's %#v of a []int32. */
const goInts = (v: unknown[]) => (v.length ? `[]int32{${v.join(', ')}}` : '[]int32(nil)');

function finding(path: FieldPath, type: FieldErrorType, message: string, api: Omit<NonNullable<Finding['apiError']>, 'type'>): Finding {
  return { code: 'job-policy', severity: 'error', path, message, apiError: { type, ...api } };
}

const required = (path: FieldPath, detail: string) => finding(path, 'FieldValueRequired', `Required value: ${detail}`, { detail });
const invalid = (path: FieldPath, value: unknown, detail: string, valueText?: string) =>
  finding(path, 'FieldValueInvalid', `Invalid value: ${valueText ?? JSON.stringify(value)}: ${detail}`, valueText !== undefined ? { value, detail, valueText } : { value, detail });
const invalidNoValue = (path: FieldPath, detail: string) => finding(path, 'FieldValueInvalid', `Invalid value: ${detail}`, { detail, omitValue: true });
const notSupported = (path: FieldPath, value: unknown, supported: string[]) =>
  finding(path, 'FieldValueNotSupported', `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, { value, supported });
const tooMany = (path: FieldPath, n: number, max: number) =>
  finding(path, 'FieldValueTooMany', `Too many: ${n}: must have at most ${max} items`, { value: n, detail: `must have at most ${max} items` });

/** The Job specs of an object: a Job's spec, a CronJob's job template spec. */
function jobSpecs(obj: Record<string, unknown>, kind: string): { spec: Record<string, any>; path: FieldPath }[] {
  const path: FieldPath | undefined = kind === 'Job' ? ['spec'] : kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec'] : undefined;
  const spec = path ? get(obj, path) : undefined;
  return path && isObject(spec) ? [{ spec, path }] : [];
}

function podFailurePolicy(spec: Record<string, any>, base: FieldPath, out: Finding[]): void {
  const pfp = spec.podFailurePolicy;
  if (!isObject(pfp)) return;
  const rulesPath = [...base, 'podFailurePolicy', 'rules'];
  const rules = Array.isArray(pfp.rules) ? pfp.rules : [];
  if (rules.length > MAX_RULES) out.push(tooMany(rulesPath, rules.length, MAX_RULES));
  const tpl = spec.template?.spec ?? {};
  const names = new Set<string>([...(tpl.containers ?? []), ...(tpl.initContainers ?? [])].map((c: any) => c?.name));
  eachObject(rules, (rule, i) => {
    const rulePath = [...rulesPath, i];
    const action = rule.action;
    if (action === undefined || action === '') out.push(required([...rulePath, 'action'], `valid values: ${goList(ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) out.push(invalid([...rulePath, 'action'], action, 'requires the backoffLimitPerIndex to be set'));
    } else if (typeof action === 'string' && !ACTIONS.includes(action)) out.push(notSupported([...rulePath, 'action'], action, ACTIONS));
    const exit = rule.onExitCodes;
    const conds = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
    if (isObject(exit)) onExitCodes(exit, [...rulePath, 'onExitCodes'], names, out);
    if (conds.length) onPodConditions(conds, [...rulePath, 'onPodConditions'], out);
    if (isObject(exit) && conds.length) out.push(invalidNoValue(rulePath, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!isObject(exit) && !conds.length) out.push(invalidNoValue(rulePath, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
}

function onExitCodes(req: Record<string, any>, path: FieldPath, names: Set<string>, out: Finding[]): void {
  const op = req.operator;
  if (op === undefined || op === '') out.push(required([...path, 'operator'], `valid values: ${goList(OPERATORS)}`));
  else if (typeof op === 'string' && !OPERATORS.includes(op)) out.push(notSupported([...path, 'operator'], op, OPERATORS));
  if (typeof req.containerName === 'string' && !names.has(req.containerName)) {
    out.push(invalid([...path, 'containerName'], req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values: unknown[] = Array.isArray(req.values) ? req.values : [];
  const valuesPath = [...path, 'values'];
  if (!values.length) out.push(invalid(valuesPath, values, 'at least one value is required', goInts(values)));
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
  eachObject(patterns, (p, j) => {
    const type = typeof p.type === 'string' ? p.type : '';
    for (const msg of isQualifiedName(type)) out.push(invalid([...path, j, 'type'], type, msg));
    // A missing status defaults to True (SetDefaults_Job), so only an empty or unknown one is refused.
    const status = p.status;
    if (status === '') out.push(required([...path, j, 'status'], `valid values: ${goList(STATUSES)}`));
    else if (typeof status === 'string' && !STATUSES.includes(status)) out.push(notSupported([...path, j, 'status'], status, STATUSES));
  });
}

/** validateIndexesFormat: how many indexes an index list names, or its error in upstream's words. */
function countIndexes(s: string, completions: number): number | string {
  if (!s) return 0;
  const parse = (t: string) => (/^[+-]?\d+$/.test(t) && Math.abs(Number(t)) < 2 ** 31 ? Number(t) : undefined);
  let last: number | undefined;
  let total = 0;
  for (const interval of s.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const x = parse(limits[0]);
    if (x === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[0])}`;
    if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total++;
    last = x;
    if (limits.length > 1) {
      const y = parse(limits[1]);
      if (y === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[1])}`;
      if (y >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
      if (last >= y) return `non-increasing order, previous: ${last}, current: ${y}`;
      total += y - x;
      last = y;
    }
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
  const rules = Array.isArray(sp.rules) ? sp.rules : [];
  const rulesPath = [...path, 'rules'];
  if (!rules.length) out.push(required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_RULES) out.push(tooMany(rulesPath, rules.length, MAX_SUCCESS_RULES));
  const completions = typeof spec.completions === 'number' ? spec.completions : 0;
  eachObject(rules, (rule, i) => {
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
      const n = countIndexes(indexes, completions);
      if (typeof n === 'string') out.push(invalid([...rulePath, 'succeededIndexes'], indexes, `error parsing succeededIndexes: ${n}`));
      else total = n;
    }
    if (typeof count === 'number') {
      const countPath = [...rulePath, 'succeededCount'];
      if (count < 0) out.push(invalid(countPath, count, 'must be greater than or equal to 0'));
      if (count > completions) out.push(invalid(countPath, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (typeof indexes === 'string' && count > total) {
        out.push(invalid(countPath, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
}

function podReplacementPolicy(spec: Record<string, any>, base: FieldPath, out: Finding[]): void {
  const v = spec.podReplacementPolicy;
  if (typeof v !== 'string') return;
  const path = [...base, 'podReplacementPolicy'];
  // Values outside the enum are the schema walk's enum-value finding; a failure policy narrows it to Failed.
  if (isObject(spec.podFailurePolicy) && REPLACEMENT.includes(v) && v !== 'Failed') out.push(notSupported(path, v, ['Failed']));
}

export const jobPoliciesRule: Rule = {
  codes: ['job-policy'],
  check(obj, ctx, out) {
    for (const { spec, path } of jobSpecs(obj, ctx.kind)) {
      podFailurePolicy(spec, path, out);
      successPolicy(spec, path, out);
      podReplacementPolicy(spec, path, out);
    }
  },
};
