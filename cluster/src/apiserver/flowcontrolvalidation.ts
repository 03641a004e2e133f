/**
 * FlowSchema and PriorityLevelConfiguration validation as pkg/apis/flowcontrol/validation/validation.go (v1.34,
 * flowcontrol v1, where a Limited level may have 0 nominalConcurrencyShares): matchingPrecedence in 1..10000 (1 for
 * `exempt` alone), a known distinguisher method, a priority level name, rules with subjects and well-formed resource
 * and non-resource rules, a level's type matching its name, its limits and queuing in range, and the mandatory
 * objects (bootstrap's `exempt` and `catch-all`) whose spec must stay the fixed value (the `exempt` level's
 * `spec.exempt` excepted). The object is the defaulted v1 shape (defaults/index.ts).
 */
import type { KObject } from '../contract';
import type { FieldError } from '../../../kube/src/rules/status';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../kube/src/names';
import { deepEqual } from '../runtime/objects';
import { mandatoryFlowSchemas, mandatoryPriorityLevels } from './flowcontrol';

const MAX_MATCHING_PRECEDENCE = 10000;
const MAX_QUEUES = 10_000_000;
/** shufflesharding.MaxHashBits. */
const MAX_HASH_BITS = 60;
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'proxy', 'update', 'watch'];
const NS_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";

type Obj = Record<string, any>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const invalid = (field: string, value: unknown, detail: string, valueText?: string): FieldError =>
  ({ type: 'FieldValueInvalid', field, value, detail, ...(valueText !== undefined ? { valueText } : {}) });
const required = (field: string, detail: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const notSupported = (field: string, value: unknown, supported: string[], valueText?: string): FieldError =>
  ({ type: 'FieldValueNotSupported', field, value, detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, ...(valueText !== undefined ? { valueText } : {}) });

/** %#v of a pointer field: Go prints its address; the simulation has none, so a fixed-looking one. */
const ptr = (type: string, v: unknown) => (v == null ? `(*flowcontrol.${type})(nil)` : `(*flowcontrol.${type})(0xc000a1c0f0)`);
const goStrings = (v: unknown) => (Array.isArray(v) ? `[]string{${v.map((s) => JSON.stringify(str(s))).join(', ')}}` : '[]string(nil)');

/** %#v of the internal FlowSchemaSpec, the value of the mandatory-spec error. */
function goFlowSchemaSpec(spec: Obj): string {
  const subject = (s: Obj) => `flowcontrol.Subject{Kind:${JSON.stringify(str(s.kind))}, User:${ptr('UserSubject', s.user)}, Group:${ptr('GroupSubject', s.group)}, ServiceAccount:${ptr('ServiceAccountSubject', s.serviceAccount)}}`;
  const rr = (r: Obj) => `flowcontrol.ResourcePolicyRule{Verbs:${goStrings(r.verbs)}, APIGroups:${goStrings(r.apiGroups)}, Resources:${goStrings(r.resources)}, ClusterScope:${r.clusterScope === true}, Namespaces:${goStrings(r.namespaces)}}`;
  const nr = (r: Obj) => `flowcontrol.NonResourcePolicyRule{Verbs:${goStrings(r.verbs)}, NonResourceURLs:${goStrings(r.nonResourceURLs)}}`;
  const slice = (type: string, v: unknown, f: (x: Obj) => string) => (Array.isArray(v) ? `[]flowcontrol.${type}{${v.map((x) => f(obj(x) ?? {})).join(', ')}}` : `[]flowcontrol.${type}(nil)`);
  const rule = (r: Obj) => `flowcontrol.PolicyRulesWithSubjects{Subjects:${slice('Subject', r.subjects, subject)}, ResourceRules:${slice('ResourcePolicyRule', r.resourceRules, rr)}, NonResourceRules:${slice('NonResourcePolicyRule', r.nonResourceRules, nr)}}`;
  return `flowcontrol.FlowSchemaSpec{PriorityLevelConfiguration:flowcontrol.PriorityLevelConfigurationReference{Name:${JSON.stringify(str(obj(spec.priorityLevelConfiguration)?.name))}}, `
    + `MatchingPrecedence:${num(spec.matchingPrecedence)}, DistinguisherMethod:${ptr('FlowDistinguisherMethod', spec.distinguisherMethod)}, Rules:${slice('PolicyRulesWithSubjects', spec.rules, rule)}}`;
}

/** %#v of the internal PriorityLevelConfigurationSpec. */
function goPriorityLevelSpec(spec: Obj): string {
  return `flowcontrol.PriorityLevelConfigurationSpec{Type:${JSON.stringify(str(spec.type))}, Limited:${ptr('LimitedPriorityLevelConfiguration', spec.limited)}, Exempt:${ptr('ExemptPriorityLevelConfiguration', spec.exempt)}}`;
}

function subjectErrors(s: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const kind = str(s.kind);
  if (kind === 'ServiceAccount') {
    const sa = obj(s.serviceAccount);
    if (!sa) errs.push(required(`${at}.serviceAccount`, "serviceAccount is required when subject kind is 'ServiceAccount'"));
    else {
      const name = str(sa.name);
      if (!name) errs.push(required(`${at}.serviceAccount.name`, ''));
      else if (name !== '*') for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`${at}.serviceAccount.name`, name, m));
      const ns = str(sa.namespace);
      if (!ns) errs.push(required(`${at}.serviceAccount.namespace`, 'must specify namespace for service account'));
      else for (const m of isDNS1123Label(ns)) errs.push(invalid(`${at}.serviceAccount.namespace`, ns, m));
    }
    if (s.user != null) errs.push(forbidden(`${at}.user`, "user is forbidden when subject kind is not 'User'"));
    if (s.group != null) errs.push(forbidden(`${at}.group`, "group is forbidden when subject kind is not 'Group'"));
  } else if (kind === 'User' || kind === 'Group') {
    const key = kind === 'User' ? 'user' : 'group';
    const v = obj(s[key]);
    if (!v) errs.push(required(`${at}.${key}`, `${key} is required when subject kind is '${kind}'`));
    else if (!str(v.name)) errs.push(required(`${at}.${key}.name`, ''));
    if (s.serviceAccount != null) errs.push(forbidden(`${at}.serviceAccount`, "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"));
    if (kind === 'User' && s.group != null) errs.push(forbidden(`${at}.group`, "group is forbidden when subject kind is not 'Group'"));
    if (kind === 'Group' && s.user != null) errs.push(forbidden(`${at}.user`, "user is forbidden when subject kind is not 'User'"));
  } else errs.push(notSupported(`${at}.kind`, kind, ['Group', 'ServiceAccount', 'User']));
  return errs;
}

function verbErrors(verbs: unknown, at: string): FieldError[] {
  const v = list(verbs).map(str);
  if (!v.length) return [required(`${at}.verbs`, 'verbs must contain at least one value')];
  if (v.includes('*')) return v.length > 1 ? [invalid(`${at}.verbs`, v, "if '*' is present, must not specify other verbs")] : [];
  return v.every((x) => VERBS.includes(x)) ? [] : [notSupported(`${at}.verbs`, v, VERBS)];
}

/** ValidateNonResourceURLPath. */
function urlError(path: string, at: string): FieldError | undefined {
  if (!path) return invalid(at, path, 'must not be empty');
  if (path === '/') return undefined;
  if (!path.startsWith('/')) return invalid(at, path, 'must start with slash');
  if (path.includes(' ')) return invalid(at, path, 'must not contain white-space');
  if (path.includes('//')) return invalid(at, path, 'must not contain double slash');
  const stars = path.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !path.endsWith('/*'))) return invalid(at, path, 'wildcard can only do suffix matching');
  return undefined;
}

function ruleErrors(rule: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const subjects = list(rule.subjects);
  if (subjects.length) subjects.forEach((s, i) => errs.push(...subjectErrors(obj(s) ?? {}, `${at}.subjects[${i}]`)));
  else errs.push(required(`${at}.subjects`, 'subjects must contain at least one value'));
  const rrs = list(rule.resourceRules), nrs = list(rule.nonResourceRules);
  if (!rrs.length && !nrs.length) errs.push(required(at, 'at least one of resourceRules and nonResourceRules has to be non-empty'));
  rrs.forEach((x, i) => {
    const r = obj(x) ?? {}, p = `${at}.resourceRules[${i}]`;
    errs.push(...verbErrors(r.verbs, p));
    const multi = (key: string, what: string, need: string) => {
      const v = list(r[key]).map(str);
      if (!v.length) errs.push(required(`${p}.${key}`, need));
      else if (v.length > 1 && v.includes('*')) errs.push(invalid(`${p}.${key}`, v, `if '*' is present, must not specify other ${what}`));
    };
    multi('apiGroups', 'api groups', 'resource rules must supply at least one api group');
    multi('resources', 'resources', 'resource rules must supply at least one resource');
    const ns = list(r.namespaces).map(str);
    if (!ns.length && r.clusterScope !== true) errs.push(required(`${p}.namespaces`, 'resource rules that are not cluster scoped must supply at least one namespace'));
    else if (ns.includes('*')) { if (ns.length > 1) errs.push(invalid(`${p}.namespaces`, ns, "if '*' is present, must not specify other namespaces")); }
    else ns.forEach((n, j) => { for (const m of isDNS1123Label(n)) errs.push(invalid(`${p}.namespaces[${j}]`, n, NS_INTRO + m)); });
  });
  nrs.forEach((x, i) => {
    const r = obj(x) ?? {}, p = `${at}.nonResourceRules[${i}]`;
    errs.push(...verbErrors(r.verbs, p));
    const urls = list(r.nonResourceURLs).map(str);
    if (!urls.length) errs.push(required(`${p}.nonResourceURLs`, 'nonResourceURLs must contain at least one value'));
    else if (urls.includes('*')) { if (urls.length > 1) errs.push(invalid(`${p}.nonResourceURLs`, urls, "if '*' is present, must not specify other non-resource URLs")); }
    else urls.forEach((u, j) => { const e = urlError(u, `${p}.nonResourceURLs[${j}]`); if (e) errs.push(e); });
  });
  return errs;
}

/** ValidateFlowSchema (its spec and the mandatory check; metadata is the shared rules'). */
export function flowSchemaErrors(fs: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = fs.metadata?.name ?? '';
  const spec = obj(fs.spec) ?? {};
  const mp = num(spec.matchingPrecedence);
  if (mp <= 0) errs.push(invalid('spec.matchingPrecedence', mp, 'must be a positive value'));
  if (mp > MAX_MATCHING_PRECEDENCE) errs.push(invalid('spec.matchingPrecedence', mp, `must not be greater than ${MAX_MATCHING_PRECEDENCE}`));
  if (mp === 1 && name !== 'exempt') errs.push(invalid('spec.matchingPrecedence', mp, "only the schema named 'exempt' may have matchingPrecedence 1"));
  const dm = obj(spec.distinguisherMethod);
  if (dm && !['ByNamespace', 'ByUser'].includes(str(dm.type))) {
    errs.push(notSupported('spec.distinguisherMethod.type', dm, ['ByNamespace', 'ByUser'], `flowcontrol.FlowDistinguisherMethod{Type:${JSON.stringify(str(dm.type))}}`));
  }
  const pl = str(obj(spec.priorityLevelConfiguration)?.name);
  if (pl) for (const m of isDNS1123Subdomain(pl)) errs.push(invalid('spec.priorityLevelConfiguration.name', pl, m));
  else errs.push(required('spec.priorityLevelConfiguration.name', 'must reference a priority level'));
  list(spec.rules).forEach((r, i) => errs.push(...ruleErrors(obj(r) ?? {}, `spec.rules[${i}]`)));
  const mand = mandatoryFlowSchemas().find((m) => m.metadata.name === name);
  if (mand && !deepEqual(normalized(spec), normalized(mand.spec))) {
    errs.push(invalid('spec', spec, `spec of '${name}' must equal the fixed value`, goFlowSchemaSpec(spec)));
  }
  return errs;
}

/** JSON with the empty lists and false booleans Go's internal structs cannot tell from absent ones dropped. */
function normalized(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalized) : undefined;
  const o = obj(v);
  if (!o) return v === false ? undefined : v;
  const out: Obj = {};
  for (const k of Object.keys(o)) { const n = normalized(o[k]); if (n !== undefined && n !== null) out[k] = n; }
  return out;
}

/** ValidateLimitedPriorityLevelConfiguration and ValidateLimitResponse, with v1's non-negative shares. */
function limitedErrors(lim: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const at = 'spec.limited';
  const shares = num(lim.nominalConcurrencyShares);
  if (shares < 0) errs.push(invalid(`${at}.nominalConcurrencyShares`, shares, 'must be a non-negative integer'));
  const lr = obj(lim.limitResponse) ?? {};
  const type = str(lr.type);
  if (type === 'Reject') {
    if (lr.queuing != null) errs.push(forbidden(`${at}.limitResponse.queuing`, 'must be nil if limited.limitResponse.type is not Limited'));
  } else if (type === 'Queue') {
    const q = obj(lr.queuing);
    if (!q) errs.push(required(`${at}.limitResponse.queuing`, 'must not be empty if limited.limitResponse.type is Limited'));
    else {
      const qp = `${at}.limitResponse.queuing`;
      const queues = num(q.queues), hand = num(q.handSize), limit = num(q.queueLengthLimit);
      if (limit <= 0) errs.push(invalid(`${qp}.queueLengthLimit`, limit, 'must be positive'));
      if (queues <= 0) errs.push(invalid(`${qp}.queues`, queues, 'must be positive'));
      else if (queues > MAX_QUEUES) errs.push(invalid(`${qp}.queues`, queues, `must not be greater than ${MAX_QUEUES}`));
      if (hand <= 0) errs.push(invalid(`${qp}.handSize`, hand, 'must be positive'));
      else if (hand > queues) errs.push(invalid(`${qp}.handSize`, hand, `should not be greater than queues (${queues})`));
      else if (Math.ceil(Math.log2(queues) * hand) > MAX_HASH_BITS) {
        // shufflesharding.RequiredEntropyBits: ceil(log2(deckSize) * handSize).
        errs.push(invalid(`${qp}.handSize`, hand, `required entropy bits of deckSize ${queues} and handSize ${hand} should not be greater than ${MAX_HASH_BITS}`));
      }
    }
  } else errs.push(notSupported(`${at}.limitResponse.type`, type, ['Queue', 'Reject']));
  const lp = lim.lendablePercent;
  if (typeof lp === 'number' && (lp < 0 || lp > 100)) errs.push(invalid(`${at}.lendablePercent`, lp, 'must be between 0 and 100, inclusive'));
  const bp = lim.borrowingLimitPercent;
  if (typeof bp === 'number' && bp < 0) errs.push(invalid(`${at}.borrowingLimitPercent`, bp, 'if specified, must be a non-negative integer'));
  return errs;
}

/** ValidatePriorityLevelConfiguration (spec and the mandatory check). */
export function priorityLevelErrors(pl: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = pl.metadata?.name ?? '';
  const spec = obj(pl.spec) ?? {};
  const type = str(spec.type);
  if ((name === 'exempt') !== (type === 'Exempt')) errs.push(invalid('spec.type', type, "type must be 'Exempt' if and only if name is 'exempt'"));
  if (type === 'Exempt') {
    if (spec.limited != null) errs.push(forbidden('spec.limited', 'must be nil if the type is not Limited'));
    const ex = obj(spec.exempt);
    if (ex) {
      const s = ex.nominalConcurrencyShares, lp = ex.lendablePercent;
      if (typeof s === 'number' && s < 0) errs.push(invalid('spec.exempt.nominalConcurrencyShares', s, 'must be a non-negative integer'));
      if (typeof lp === 'number' && (lp < 0 || lp > 100)) errs.push(invalid('spec.exempt.lendablePercent', lp, 'must be between 0 and 100, inclusive'));
    }
  } else if (type === 'Limited') {
    if (spec.exempt != null) errs.push(forbidden('spec.exempt', 'must be nil if the type is Limited'));
    const lim = obj(spec.limited);
    if (!lim) errs.push(required('spec.limited', 'must not be empty when type is Limited'));
    else errs.push(...limitedErrors(lim));
  } else errs.push(notSupported('spec.type', type, ['Exempt', 'Limited']));
  // ValidateIfMandatoryPriorityLevelConfigurationObject: `exempt` may change its spec.exempt, nothing else.
  const mand = mandatoryPriorityLevels().find((m) => m.metadata.name === name);
  if (mand) {
    const fixed = obj(mand.spec) ?? {};
    const have = name === 'exempt' ? { ...spec, exempt: fixed.exempt } : spec;
    if (!deepEqual(normalized(have), normalized(fixed))) {
      const detail = name === 'exempt' ? "spec of 'exempt' except the 'spec.exempt' field must equal the fixed value" : `spec of '${name}' must equal the fixed value`;
      errs.push(invalid('spec', spec, detail, goPriorityLevelSpec(spec)));
    }
  }
  return errs;
}
