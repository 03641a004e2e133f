/**
 * Validation: the shared rules of kube/src/rules (the ones the editor runs),
 * turned into upstream field errors, plus the unknown-field handling of
 * `fieldValidation` (Strict / Warn / Ignore; unknown fields are always dropped).
 */
import { getSchema, type Schema } from '../../../kube/src/schema';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, findingFieldError, isStatefulSetClaimTemplateFinding, isStatefulSetPodSpecFinding, type FieldError } from '../../../kube/src/rules/status';
import type { FieldPath, Finding } from '../../../kube/src/rules/types';
import type { KObject } from '../contract';

let schema: Schema | null | undefined;

/** The shared schema, or null when its data is missing (validation then only does what the registry checks). */
export function sharedSchema(): Schema | null {
  if (schema === undefined) {
    try {
      schema = getSchema();
    } catch {
      schema = null;
    }
  }
  return schema;
}

export interface RuleOutcome {
  errors: FieldError[];
  /** Paths of fields the schema does not declare. */
  unknown: FieldPath[];
  /** `json: cannot unmarshal ...`-style decode failures. */
  typeErrors: { path: FieldPath; message: string }[];
}

/** `old`: the stored object an update replaces (StatefulSet pod-spec and claim-template validation ratchet on it). */
export function runRules(obj: KObject, old?: KObject): RuleOutcome {
  const out: RuleOutcome = { errors: [], unknown: [], typeErrors: [] };
  const s = sharedSchema();
  if (!s) return out;
  let findings: Finding[];
  try {
    // A write never has its status validated: a spec write keeps the stored status, and status
    // writes skip these rules (a missing StatefulSetStatus.replicas there just decodes to zero).
    findings = validateObject(obj, s, { kubernetesVersion: s.data.kubernetesVersion, apiserver: true }).filter((f) => !(f.apiError && (f.apiError.apiPath ?? f.path)[0] === 'status'));
    if (old) findings = ratchet(findings, old, s, obj.kind === 'StatefulSet' ? [...STATEFULSET_PARTS, ...LABEL_VALUE_PARTS] : LABEL_VALUE_PARTS);
    // ValidateIngressCreate alone compares the legacy class annotation with ingressClassName.
    if (old && obj.kind === 'Ingress') findings = findings.filter((f) => !(f.code === 'ingress-invalid' && f.path[0] === 'metadata'));
  } catch {
    return out;
  }
  for (const f of findings) {
    if (f.code === 'unknown-field') out.unknown.push(f.path);
    else if (f.code === 'wrong-type') out.typeErrors.push({ path: f.path, message: decodeMessage(obj, f) });
    // []byte fields are base64 in JSON and resource.Quantity parses itself while decoding:
    // a bad one fails the decode (400), before any validation.
    else if ((f.code === 'invalid-base64' || f.code === 'invalid-quantity') && f.apiError?.detail) out.typeErrors.push({ path: f.path, message: f.apiError.detail });
  }
  // In upstream's order (ValidateObjectMeta, then the kind's spec walk), as the Status message and causes show it.
  for (const f of apiErrors(findings, obj.kind)) {
    if (f.code !== 'invalid-base64' && f.code !== 'invalid-quantity') out.errors.push(findingFieldError(f));
  }
  return out;
}

/** A label value refused at `...values[i]`. */
const isValueItem = (f: Finding) => f.apiError?.type === 'FieldValueInvalid' && typeof f.path[f.path.length - 1] === 'number' && f.path[f.path.length - 2] === 'values';
/** A required node affinity's (a pod's or a PersistentVolume's) value that is no label value. */
const isNodeAffinityValue = (f: Finding) => (f.code === 'invalid-node-affinity' || f.code === 'pv-node-affinity') && isValueItem(f) && !f.path.includes('matchFields');
/** A pod affinity term's selector value that is no label value. */
const isAffinitySelectorValue = (f: Finding) => f.code === 'invalid-affinity-term' && isValueItem(f) && f.path.includes('matchExpressions');
/** A topology spread constraint's selector that ValidateLabelSelector refuses. */
const isSpreadSelector = (f: Finding) => f.code === 'invalid-spread-constraint' && f.path.includes('labelSelector');

/** A StatefulSet's pod spec (SkipValidatePodTemplateSpec) and claim templates (SkipValidateVolumeClaimTemplates). */
const STATEFULSET_PARTS = [isStatefulSetPodSpecFinding, isStatefulSetClaimTemplateFinding];
/**
 * Label values upstream lets an update keep when the old pod spec (or PV) already had such
 * (AllowInvalidLabelValueInRequiredNodeAffinity, AllowInvalidLabelValueInSelector,
 * AllowInvalidTopologySpreadConstraintLabelSelector), so an object stored before a check (or by an older
 * playground) can still be changed.
 */
const LABEL_VALUE_PARTS = [isNodeAffinityValue, isAffinitySelectorValue, isSpreadSelector];

/**
 * An update skips the checks whose part was already invalid in the stored object, each part on its own: the
 * stored object is validated once, and only when the update fails some part.
 */
function ratchet(findings: Finding[], old: KObject, s: Schema, parts: Array<(f: Finding) => boolean>): Finding[] {
  const failing = parts.filter((is) => findings.some((f) => f.apiError && is(f)));
  if (!failing.length) return findings;
  const before = validateObject(old, s, { kubernetesVersion: s.data.kubernetesVersion, apiserver: true });
  for (const is of failing) {
    if (before.some((f) => f.apiError && f.severity === 'error' && is(f))) findings = findings.filter((f) => !(f.apiError && is(f)));
  }
  return findings;
}

/** Removes fields at these paths (unknown fields are pruned as decoding drops them upstream). */
export function prune(obj: KObject, paths: FieldPath[]): void {
  for (const p of paths) {
    let cur: any = obj;
    for (let i = 0; i < p.length - 1 && cur; i++) cur = cur[p[i]];
    if (cur && typeof cur === 'object') delete cur[p[p.length - 1]];
  }
}

const GO_TYPES: Record<string, string> = { integer: 'int32', number: 'float64', boolean: 'bool', string: 'string' };

/** encoding/json's UnmarshalTypeError text: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
/** Lists of named Go string types, which the schema gives as plain strings. */
const NAMED_LISTS: Record<string, string> = {
  'NetworkPolicySpec.policyTypes': '[]v1.PolicyType',
  'PersistentVolumeClaimSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
  'PersistentVolumeSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
  'ServiceSpec.ipFamilies': '[]v1.IPFamily',
  'Capabilities.add': '[]v1.Capability',
  'Capabilities.drop': '[]v1.Capability',
};

function decodeMessage(obj: KObject, f: Finding): string {
  const s = sharedSchema();
  const data = (f.data ?? {}) as { expected?: string; actual?: string };
  const actual = data.actual === 'integer' ? 'number' : data.actual === 'boolean' ? 'bool' : data.actual ?? 'value';
  // Go's decoder names struct fields only: a map's keys (`data.FLAG`, `labels.app`) are not in the path,
  // and a value inside a map is reported at the map with the value's type (`ConfigMap.data of type string`).
  let path = f.path;
  let mapValue = false;
  if (s) {
    const kept: (string | number)[] = [];
    for (let i = 0; i < f.path.length; i++) {
      kept.push(f.path[i]);
      if (s.fieldAt(obj.apiVersion, obj.kind, f.path.slice(0, i + 1))?.type.kind === 'map' && i + 1 < f.path.length) {
        i++;
        if (i === f.path.length - 1) mapValue = true;
      }
    }
    path = kept;
  }
  const names = path.filter((p): p is string => typeof p === 'string');
  let parent = '';
  let goType = GO_TYPES[data.expected ?? ''] ?? data.expected ?? 'value';
  // A list item's error names the struct that holds the list, as Go's decoder does.
  let field = path.length;
  while (field > 0 && typeof path[field - 1] === 'number') field--;
  const item = field < path.length;
  if (s) {
    const parentPath = path.slice(0, field - 1);
    const pt = s.fieldAt(obj.apiVersion, obj.kind, parentPath);
    let t = pt?.type;
    while (t && t.kind === 'array') t = t.items;
    if (t?.kind === 'object') parent = t.ref.slice(t.ref.lastIndexOf('.') + 1);
    const ft = s.fieldAt(obj.apiVersion, obj.kind, path)?.type;
    if (mapValue) { /* the value's own type, as above */ } else if (ft?.kind === 'object') goType = 'v1.' + ft.ref.slice(ft.ref.lastIndexOf('.') + 1);
    else if (ft?.kind === 'array') goType = '[]' + (ft.items.kind === 'object' ? 'v1.' + ft.items.ref.slice(ft.items.ref.lastIndexOf('.') + 1) : ft.items.kind === 'primitive' ? GO_TYPES[ft.items.type] : 'interface {}');
    else if (ft?.kind === 'map') goType = 'map[string]string';
    const named = NAMED_LISTS[`${parent}.${names[names.length - 1]}`];
    if (named) goType = item ? named.slice(2) : named;
  }
  return `json: cannot unmarshal ${actual} into Go struct field ${parent ? parent + '.' : ''}${names.join('.')} of type ${goType}`;
}
