/**
 * The one engine that runs every rule over a plain JSON object. The language
 * server maps the findings' paths to ranges; the playground apiserver turns
 * the ones with `apiError` into an upstream Status. No text, no positions.
 */
import { isRemovedAt } from '../removed';
import type { JsonObject, Rule, RuleRunContext, SchemaLike } from './context';
import { ACCEPTED_MISSING, isObject } from './context';
import { claimSpecRule } from './claimSpec';
import { containersRule } from './containers';
import { nonNegativeRule } from './nonNegative';
import { objectMetaRule } from './objectMeta';
import { persistentVolumeRule } from './persistentVolume';
import { removedApiRule } from './removedApi';
import { podSourcesRule } from './podSources';
import { downwardApiRule } from './downwardApi';
import { nodePortRangeRule, podSpecFieldsRule, workloadSelectorRule } from './podSpecFields';
import { podWarningsRule } from './podWarnings';
import { podDnsRule } from './podDns';
import { containerCommandRule } from './command';
import { imageStartupRule } from './imageStartup';
import { nslookupLoopRule } from './nslookupLoop';
import { pid1TermRule } from './pid1Term';
import { preStopGraceRule } from './preStopGrace';
import { probeTargetsRule } from './probeTargets';
import { configKeysRule } from './configKeys';
import { cronJobRule } from './cronJob';
import { priorityClassRule } from './priorityClass';
import { closest } from './suggest';
import { notRegisteredMessage } from './status';
import { resourcesRule } from './resources';
import { podLevelResourcesRule } from './podLevelResources';
import { restartPolicyRule } from './restartPolicy';
import { jobPoliciesRule } from './jobPolicies';
import { daemonSetRollingUpdateRule, rollingUpdateRule, statefulSetStrategyRule } from './rollingUpdate';
import { SCHEMA_CODES, walkSchema } from './schemaWalk';
import { selectorRule } from './selector';
import { secretDataRule } from './secretData';
import { secretTypeRule } from './secretType';
import { rbacRule } from './rbac';
import { ingressRule } from './ingress';
import { networkPolicyRule } from './networkPolicy';
import { webhooksRule } from './webhooks';
import { quotaRule } from './quota';
import { podSecurityLabelsRule } from './podSecurityLabels';
import { servicePortsRule } from './servicePorts';
import { sidecarsRule } from './sidecars';
import { serviceSpecRule } from './serviceSpec';
import { serviceFieldsRule } from './serviceFields';
import type { Finding, RuleContext } from './types';
import { volumesRule } from './volumes';

/** The rule table, in the order findings are reported. */
export const RULES: readonly Rule[] = [
  removedApiRule, objectMetaRule, containersRule, volumesRule, restartPolicyRule, selectorRule, rollingUpdateRule, servicePortsRule, secretDataRule, secretTypeRule, rbacRule, ingressRule, networkPolicyRule, webhooksRule, quotaRule, podSecurityLabelsRule, nonNegativeRule, resourcesRule, podLevelResourcesRule,
  claimSpecRule, persistentVolumeRule, serviceSpecRule, serviceFieldsRule, jobPoliciesRule, sidecarsRule, podSourcesRule, downwardApiRule, daemonSetRollingUpdateRule, configKeysRule, statefulSetStrategyRule, cronJobRule, priorityClassRule,
  podSpecFieldsRule, podDnsRule, workloadSelectorRule, nodePortRangeRule, podWarningsRule, containerCommandRule, imageStartupRule, nslookupLoopRule, pid1TermRule, preStopGraceRule, probeTargetsRule,
];

/** Every code the engine can emit, for settings validation and docs. */
export const ALL_CODES: readonly string[] = [...new Set(['missing-kind', 'unknown-api-version', 'unknown-kind', ...SCHEMA_CODES, ...RULES.flatMap((r) => r.codes)])];

/**
 * Validates one object. Objects without apiVersion and kind are not
 * Kubernetes and give no findings; unknown kinds get only the removed-API check.
 */
export function validateObject(obj: unknown, schema: SchemaLike, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  if (!isObject(obj)) return out;
  run(obj, schema, ctx, out);
  return ctx.lint ? applyLint(out, ctx.lint) : out;
}

function run(obj: JsonObject, schema: SchemaLike, ctx: RuleContext, out: Finding[]): void {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    // Keys are case-sensitive: `apiversion:` or `Kind:` leave the object unnamed (kubectl: "apiVersion not set").
    const misspelt = (field: string) => Object.keys(obj).find((k) => k !== field && k.toLowerCase() === field.toLowerCase());
    const slips = (['apiVersion', 'kind'] as const).filter((f) => obj[f] === undefined && misspelt(f));
    if (apiVersion === undefined && kind === undefined && !slips.length) return;
    for (const field of slips) {
      const key = misspelt(field)!;
      out.push({ code: 'missing-kind', severity: 'error', path: [key], target: 'key', data: { field, rename: key },
        message: `"${field}" must be set to a string to identify the object: keys are case-sensitive, and "${key}" is not "${field}".` });
    }
    if (slips.length) return;
    const missing = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
    out.push({ code: 'missing-kind', severity: 'error', path: [missing], target: 'key', message: `"${missing}" must be set to a string to identify the object.`,
      data: { field: missing } });
    return;
  }
  if (kind === 'List' && apiVersion === 'v1' && Array.isArray(obj.items)) {
    walkList(obj, schema, ctx, out);
    return;
  }
  const kindInfo = schema.kind(apiVersion, kind);
  const rctx: RuleRunContext = { kubernetesVersion: ctx.kubernetesVersion, lint: ctx.lint, schema, kindInfo, apiVersion, kind, apiserver: ctx.apiserver };
  if (!kindInfo) {
    const before = out.length;
    removedApiRule.check(obj, rctx, out);
    // Suggest only versions still served at the configured release, GA before beta/alpha.
    const others = schema.kindsByKind(kind).filter((k) => !k.listKind && !isRemovedAt(k.apiVersion, kind, ctx.kubernetesVersion));
    others.sort((a, b) => stability(a.version) - stability(b.version));
    if (out.length === before && others.length) {
      const versions = others.map((k) => k.apiVersion);
      out.push({ code: 'unknown-api-version', severity: 'error', path: ['apiVersion'],
        message: `${kind} is not served in ${apiVersion}. Use ${versions[0]}${versions.length > 1 ? ` (also served: ${versions.slice(1).join(', ')})` : ''}.`,
        data: { replacement: versions[0], versions } });
    }
    // A kind the schema does not know in a built-in group/version (no CRD can add one there): kubectl's
    // RESTMapper finds no match. Kinds are case-sensitive, so `deployment` is the usual mistake.
    const served = schema.kindsByApiVersion?.(apiVersion) ?? [];
    if (out.length === before && served.length && kind !== 'List') {
      const suggestion = closest(kind, served.map((k) => k.kind));
      // kubectl's RESTMapper also knows each kind in lower case, so `deployment` reaches the apiserver,
      // whose decoder refuses it; any other spelling finds no match in kubectl itself.
      const message = suggestion && kind === suggestion.toLowerCase()
        ? notRegisteredMessage(kind, apiVersion, suggestion)
        : `no matches for kind "${kind}" in version "${apiVersion}"${suggestion ? `: did you mean "${suggestion}"?` : ''}`;
      out.push({ code: 'unknown-kind', severity: 'error', path: ['kind'], message, ...(suggestion ? { data: { suggestion } } : {}) });
    }
    return;
  }
  const walked = out.length;
  walkSchema(obj, kindInfo.definition, schema, out, ctx.apiserver === true);
  const schemaEnd = out.length;
  for (const rule of rulesFor(kind, !!ctx.apiserver)) {
    // One rule that trips over an odd shape must not cost the others (or the schema's decode errors).
    const before = out.length;
    try {
      rule.check(obj, rctx, out);
    } catch {
      out.length = before;
    }
  }
  mergeWithSchema(out, walked, schemaEnd);
}

/** Per kind, the rules that apply to it, in table order: the editor's, and the apiserver's (no editor-only ones). */
const editorRules = new Map<string, readonly Rule[]>();
const apiserverRules = new Map<string, readonly Rule[]>();

/**
 * The rules to run on an object of `kind`, sorted out once per kind instead of once per object (a stream holds
 * many objects of few kinds). Only kinds the schema knows get here, so the maps stay small.
 */
function rulesFor(kind: string, apiserver: boolean): readonly Rule[] {
  const byKind = apiserver ? apiserverRules : editorRules;
  let rules = byKind.get(kind);
  if (!rules) {
    rules = RULES.filter((r) => (!r.kinds || r.kinds.includes(kind)) && !(r.editorOnly && apiserver));
    byKind.set(kind, rules);
  }
  return rules;
}

/** Schema findings a rule's own report at the same path replaces. */
const SUPERSEDED = new Set(['missing-required', 'null-value', 'enum-value']);

/**
 * One report per field, as upstream gives. Where a rule reports a field the
 * schema walk also flagged (missing, null, or outside the enum), the rule's
 * report is upstream's: it replaces the schema finding's message and error,
 * and the schema finding keeps its code, target and data, so the editor's
 * quick fixes ("add the missing field", the enum values) stay. A rule's
 * narrower "Unsupported value" list is kept whole, with its own data.
 */
function mergeWithSchema(out: Finding[], from: number, schemaEnd: number): void {
  if (out.length === schemaEnd) return;
  const key = (f: Finding) => f.path.join('\u0000');
  const schemaAt = new Map<string, number>();
  for (let i = from; i < schemaEnd; i++) if (SUPERSEDED.has(out[i].code)) schemaAt.set(key(out[i]), i);
  const drop = new Set<number>();
  for (let i = schemaEnd; i < out.length; i++) {
    const f = out[i];
    if (f.code === ACCEPTED_MISSING) {
      drop.add(i);
      const at = schemaAt.get(key(f));
      if (at !== undefined && out[at].code === 'missing-required') drop.add(at);
      continue;
    }
    const at = f.apiError ? schemaAt.get(key(f)) : undefined;
    if (at === undefined || drop.has(at)) continue;
    const s = out[at];
    if (f.apiError!.type === 'FieldValueNotSupported' && s.code === 'enum-value') {
      drop.add(at);
      continue;
    }
    out[at] = { ...s, message: f.message, apiError: f.apiError, severity: f.severity };
    drop.add(i);
    // A second report at the same place (upstream gives several for one field) stays a finding of its own.
    schemaAt.delete(key(f));
  }
  if (!drop.size) return;
  let w = from;
  for (let i = from; i < out.length; i++) if (!drop.has(i)) out[w++] = out[i];
  out.length = w;
}


/** v1 before v1beta1 before v1alpha1. */
function stability(version: string): number {
  const m = /^v(\d+)(alpha|beta)?(\d*)$/.exec(version);
  if (!m) return 1000;
  return (m[2] === 'alpha' ? 200 : m[2] === 'beta' ? 100 : 0) - Number(m[1]) * 10 - Number(m[3] || 0) / 100;
}

/** `kind: List`: each item is validated as an object of its own. */
function walkList(obj: JsonObject, schema: SchemaLike, ctx: RuleContext, out: Finding[]): void {
  const items = obj.items;
  if (!Array.isArray(items)) return;
  items.forEach((item, i) => {
    if (!isObject(item)) return;
    const inner: Finding[] = [];
    run(item, schema, ctx, inner);
    for (const f of inner) {
      f.path = ['items', i, ...f.path];
      if (f.apiError?.apiPath) f.apiError.apiPath = ['items', i, ...f.apiError.apiPath];
      out.push(f);
    }
  });
}

/** Settings `lint: {code: severity | 'off'}`. */
export function applyLint(findings: Finding[], lint: Record<string, string>): Finding[] {
  const res: Finding[] = [];
  for (const f of findings) {
    const o = lint[f.code];
    if (o === 'off') continue;
    if (o === 'error' || o === 'warning' || o === 'information' || o === 'hint') f.severity = o;
    res.push(f);
  }
  return res;
}
