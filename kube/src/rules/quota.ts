/**
 * ResourceQuota and LimitRange, as upstream validates them
 * (ValidateResourceQuota, validateResourceQuotaScopes, validateScopeSelector,
 * ValidateLimitRange): resource names a quota can track or a container can
 * ask for, non-negative and whole counts, scopes that fit the resources,
 * LimitRange types, and min <= defaultRequest <= default <= max with a ratio
 * of at least 1 and at most max/min. A LimitRange is checked as stored, after
 * its defaulting (a default limit from max, a default request from the
 * default or min), so the editor says what the apiserver says.
 */
import type { Json, JsonObject, Rule } from './context';
import { apiFinding, invalidBare, isObject, keyedAt } from './context';
import type { FieldPath, Finding } from './types';
import { containerResourceNameErrors, isIntegerResourceName, isOvercommitAllowed, isStandardQuotaResourceName, quotaResourceNameErrors, resourceNameErrors } from '../resourceNames';
import { isQualifiedName } from '../names';
import { cmpQty, formatQty, parseQty, qtyMilli } from '../qty';
import { qtyMap } from '../podResources';

const QUOTA = 'quota-invalid';
const LIMITS = 'limitrange-invalid';

const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const CONFLICTS: [string, string][] = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']];
const POD_COMPUTE = new Set(['pods', 'cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
const EXISTS_ONLY = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);
const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

/** IsResourceQuotaScopeValidForResource. */
function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (SCOPES.includes(scope)) return POD_COMPUTE.has(resource);
  return true;
}

function scopesText(scopes: Json[]): string {
  return `[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(String(s))).join(', ')}}`;
}

function checkQuota(obj: JsonObject, out: Finding[]): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const hard = isObject(spec.hard) ? spec.hard : {};
  const keys = Object.keys(hard).sort();
  for (const k of keys) {
    const path: FieldPath = ['spec', 'hard', k];
    for (const d of quotaResourceNameErrors(k)) out.push({ ...invalidBare(QUOTA, path, k, d), target: 'key' });
    const v = hard[k];
    const q = typeof v === 'string' || typeof v === 'number' ? parseQty(v) : undefined;
    if (!q) continue; // the schema walk reports a malformed quantity
    if (q.nanos < 0n) out.push(apiFinding(QUOTA, path, 'FieldValueInvalid', formatQty(q), 'must be greater than or equal to 0'));
    if (isIntegerResourceName(k) && q.nanos % 1_000_000_000n !== 0n) out.push(invalidBare(QUOTA, path, formatQty(q), 'must be an integer'));
  }
  const scopes = Array.isArray(spec.scopes) ? spec.scopes : [];
  const seen = new Set<string>();
  for (const s of scopes) {
    const scope = String(s);
    if (!SCOPES.includes(scope)) out.push(invalidBare(QUOTA, ['spec', 'scopes'], scopesText(scopes), 'unsupported scope'));
    for (const k of keys) {
      if (isStandardQuotaResourceName(k) && !scopeFits(scope, k)) out.push(invalidBare(QUOTA, ['spec', 'scopes'], scopesText(scopes), 'unsupported scope applied to resource'));
    }
    seen.add(scope);
  }
  if (CONFLICTS.some(([a, b]) => seen.has(a) && seen.has(b))) out.push(invalidBare(QUOTA, ['spec', 'scopes'], scopesText(scopes), 'conflicting scopes'));
  const sel = isObject(spec.scopeSelector) ? spec.scopeSelector : undefined;
  const exprs = sel && Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  const base: FieldPath = ['spec', 'scopeSelector', 'matchExpressions'];
  const selected = new Set<string>();
  for (const e of exprs) {
    if (!isObject(e)) continue;
    const name = String(e.scopeName ?? '');
    const op = String(e.operator ?? '');
    const values = Array.isArray(e.values) ? e.values : [];
    if (!SCOPES.includes(name)) out.push(invalidBare(QUOTA, [...base, 'scopeName'], name, 'unsupported scope'));
    for (const k of keys) {
      if (isStandardQuotaResourceName(k) && !scopeFits(name, k)) out.push(invalidBare(QUOTA, base, `core.ScopedResourceSelectorRequirement{ScopeName:"${name}", Operator:"${op}", Values:[]string{${values.map((v) => JSON.stringify(String(v))).join(', ')}}}`, 'unsupported scope applied to resource'));
    }
    if (EXISTS_ONLY.has(name) && op !== 'Exists') {
      out.push(invalidBare(QUOTA, [...base, 'operator'], op, 'must be \'Exists\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity'));
    }
    if (op === 'In' || op === 'NotIn') {
      if (!values.length) out.push(apiFinding(QUOTA, [...base, 'values'], 'FieldValueRequired', undefined, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length) out.push(invalidBare(QUOTA, [...base, 'values'], `[]string{${values.map((v) => JSON.stringify(String(v))).join(', ')}}`, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
    } else out.push(invalidBare(QUOTA, [...base, 'operator'], op, 'not a valid selector operator'));
    selected.add(name);
  }
  if (CONFLICTS.some(([a, b]) => selected.has(a) && selected.has(b))) out.push(invalidBare(QUOTA, base, 'conflicting', 'conflicting scopes'));
}

// ---------- LimitRange ----------

const FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
/** The maps whose keys upstream's paths print in brackets. */
const KEYED_MAPS = new Set<string>(['hard', ...FIELDS]);

/**
 * SetDefaults_LimitRangeItem, for a Container item: the default limit is the
 * max, the default request the default limit, else the min. Changes `item`.
 */
export function defaultLimitRangeItem(item: Record<string, any>): void {
  if (!item || typeof item !== 'object' || item.type !== 'Container') return;
  const fill = (into: string, from: string) => {
    const src = item[from];
    if (!src || typeof src !== 'object') return;
    for (const k of Object.keys(src)) {
      if (!item[into] || typeof item[into] !== 'object') item[into] = {};
      if (item[into][k] === undefined) item[into][k] = src[k];
    }
  };
  fill('default', 'max');
  fill('defaultRequest', 'default');
  fill('defaultRequest', 'min');
}

function checkLimitItem(raw: JsonObject, i: number, types: Set<string>, out: Finding[]): void {
  const item = JSON.parse(JSON.stringify(raw)) as Record<string, any>;
  defaultLimitRangeItem(item);
  const base: FieldPath = ['spec', 'limits', i];
  const type = typeof item.type === 'string' ? item.type : '';
  const typeErrs = isQualifiedName(type);
  for (const d of typeErrs) out.push(apiFinding(LIMITS, [...base, 'type'], 'FieldValueInvalid', type, d));
  if (!typeErrs.length && !type.includes('/') && !LIMIT_TYPES.includes(type)) out.push(apiFinding(LIMITS, [...base, 'type'], 'FieldValueInvalid', type, 'must be a standard limit type or fully qualified'));
  if (types.has(type)) out.push(apiFinding(LIMITS, [...base, 'type'], 'FieldValueDuplicate', type, ''));
  types.add(type);
  const nameErrs = (k: string) => (type === 'Pod' || type === 'Container' ? containerResourceNameErrors(k) : resourceNameErrors(k));
  const names = (field: string) => {
    const m = item[field];
    if (!m || typeof m !== 'object') return;
    for (const k of Object.keys(m).sort()) for (const d of nameErrs(k)) out.push({ ...invalidBare(LIMITS, [...base, field, k], k, d), target: 'key' });
  };
  names('max');
  names('min');
  if (type === 'Pod') {
    for (const field of ['default', 'defaultRequest']) {
      if (isObject(item[field]) && Object.keys(item[field]).length) out.push(apiFinding(LIMITS, [...base, field], 'FieldValueForbidden', undefined, "may not be specified when `type` is 'Pod'"));
    }
  } else {
    names('default');
    names('defaultRequest');
  }
  const [max, min, def, defReq, ratio] = FIELDS.map((f) => qtyMap(item[f]));
  if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
    out.push(apiFinding(LIMITS, [...base, 'limits'], 'FieldValueRequired', undefined, 'either minimum or maximum storage value is required, but neither was provided'));
  }
  names('maxLimitRequestRatio');
  const keys = new Set<string>([...max.keys(), ...min.keys(), ...def.keys(), ...defReq.keys(), ...ratio.keys()]);
  const s = formatQty;
  for (const k of [...keys].sort()) {
    const mx = max.get(k), mn = min.get(k), d = def.get(k), dr = defReq.get(k), r = ratio.get(k);
    const at = (field: string): FieldPath => [...base, field, k];
    if (mn && mx && cmpQty(mn, mx) > 0) out.push(invalidBare(LIMITS, at('min'), s(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
    if (dr && mn && cmpQty(mn, dr) > 0) out.push(invalidBare(LIMITS, at('defaultRequest'), s(dr), `min value ${s(mn)} is greater than default request value ${s(dr)}`));
    if (dr && mx && cmpQty(dr, mx) > 0) out.push(invalidBare(LIMITS, at('defaultRequest'), s(dr), `default request value ${s(dr)} is greater than max value ${s(mx)}`));
    if (dr && d && cmpQty(dr, d) > 0) out.push(invalidBare(LIMITS, at('defaultRequest'), s(dr), `default request value ${s(dr)} is greater than default limit value ${s(d)}`));
    if (d && mn && cmpQty(mn, d) > 0) out.push(invalidBare(LIMITS, at('default'), s(mn), `min value ${s(mn)} is greater than default value ${s(d)}`));
    if (d && mx && cmpQty(d, mx) > 0) out.push(invalidBare(LIMITS, at('default'), s(mx), `default value ${s(d)} is greater than max value ${s(mx)}`));
    if (r && r.nanos < 1_000_000_000n) out.push(invalidBare(LIMITS, at('maxLimitRequestRatio'), s(r), `ratio ${s(r)} is less than 1`));
    if (r && mn && mx) {
      const limit = Number(qtyMilli(mx)) / Number(qtyMilli(mn));
      const value = Number(qtyMilli(r)) / 1000;
      if (value > limit) out.push(invalidBare(LIMITS, at('maxLimitRequestRatio'), s(r), `ratio ${s(r)} is greater than max/min = ${limit.toFixed(6)}`));
    }
    if (!isOvercommitAllowed(k) && d && dr && cmpQty(d, dr) !== 0) {
      out.push(invalidBare(LIMITS, at('defaultRequest'), s(dr), `default value ${s(d)} must equal to defaultRequest value ${s(dr)} in ${k}`));
    }
  }
}

export const quotaRule: Rule = {
  codes: [QUOTA, LIMITS],
  kinds: ['ResourceQuota', 'LimitRange'],
  check(obj, ctx, out) {
    const found: Finding[] = [];
    if (ctx.kind === 'ResourceQuota') checkQuota(obj, found);
    else {
      const spec = isObject(obj.spec) ? obj.spec : {};
      const types = new Set<string>();
      (Array.isArray(spec.limits) ? spec.limits : []).forEach((item, i) => {
        if (isObject(item)) checkLimitItem(item, i, types, found);
      });
    }
    for (const f of found) out.push(KEYED_MAPS.has(String(f.path[f.path.length - 2])) ? keyedAt(f) : f);
  },
};
