/**
 * The admission plugin's CEL environments as the policy's write-time validation and its type checking declare them
 * (apiserver/pkg/admission/plugin/cel compile.go createEnvForOpts, composition.go): `object`, `oldObject` (and
 * `params` when the policy has a paramKind) are dyns, `request` and `namespaceObject` the plugin's hand-made
 * object types, and a policy with variables gets `variables`, an object type `kubernetes.variables` with one field
 * for each variable compiled so far, of that variable's checked type (convertCelTypeToDeclType).
 */
import { typedEnvironment, type DeclType, type TypedEnvironment } from '../../cel/engine';

const s = (name: string): DeclType => ({ kind: 'simple', name });
const obj = (name: string, fields: Record<string, DeclType>): DeclType => ({ kind: 'object', name, fields });
const listOf = (item: DeclType): DeclType => ({ kind: 'list', item });
const mapOf = (value: DeclType): DeclType => ({ kind: 'map', value });

/** plugin/cel BuildRequestType: the AdmissionRequest without uid, object and oldObject. */
export const REQUEST_TYPE = (() => {
  const gvk = obj('kubernetes.GroupVersionKind', { group: s('string'), version: s('string'), kind: s('string') });
  const gvr = obj('kubernetes.GroupVersionResource', { group: s('string'), version: s('string'), resource: s('string') });
  const userInfo = obj('kubernetes.UserInfo', { username: s('string'), uid: s('string'), groups: listOf(s('string')), extra: mapOf(listOf(s('string'))) });
  return obj('kubernetes.AdmissionRequest', {
    kind: gvk, resource: gvr, subResource: s('string'), requestKind: gvk, requestResource: gvr, requestSubResource: s('string'),
    name: s('string'), namespace: s('string'), operation: s('string'), userInfo, dryRun: s('bool'), options: s('dyn'),
  });
})();

/** plugin/cel BuildNamespaceType (its metadata's `UID` spelled as upstream spells it). */
export const NAMESPACE_TYPE = (() => {
  const strings = listOf(s('string'));
  const condition = obj('kubernetes.NamespaceCondition', {
    status: s('string'), type: s('string'), lastTransitionTime: s('google.protobuf.Timestamp'), message: s('string'), reason: s('string'),
  });
  const metadata = obj('kubernetes.NamespaceMetadata', {
    name: s('string'), generateName: s('string'), namespace: s('string'), labels: mapOf(s('string')), annotations: mapOf(s('string')),
    UID: s('string'), creationTimestamp: s('google.protobuf.Timestamp'), deletionGracePeriodSeconds: s('int'),
    deletionTimestamp: s('google.protobuf.Timestamp'), generation: s('int'), resourceVersion: s('string'), finalizers: strings,
  });
  return obj('kubernetes.Namespace', {
    metadata, spec: obj('kubernetes.NamespaceSpec', { finalizers: strings }),
    status: obj('kubernetes.NamespaceStatus', { conditions: listOf(condition), phase: s('string') }),
  });
})();

export const VARIABLES_TYPE = 'kubernetes.variables';

const SIMPLE = new Set(['bool', 'bytes', 'double', 'int', 'string', 'uint', 'google.protobuf.Duration', 'google.protobuf.Timestamp']);

/** Splits `a, map<b, c>` at its top-level commas. */
function params(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<') depth++;
    else if (text[i] === '>') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(text.slice(from).trim());
  return out;
}

/**
 * convertCelTypeToDeclType: a variable's checked type as the type of its field: the primitive types, timestamps and
 * durations as they are, lists and maps with their parameters converted, anything else (objects, optionals, type
 * parameters, null) a dyn. Maps are declared with string keys here; another key type makes the map a dyn.
 */
export function declOfCheckedType(type: string | undefined): DeclType {
  if (!type) return s('dyn');
  if (SIMPLE.has(type)) return s(type);
  const m = /^(list|map)<(.*)>$/.exec(type);
  if (m && m[1] === 'list') return listOf(declOfCheckedType(m[2]));
  if (m) {
    const [k, v] = params(m[2]);
    if (k === 'string') return mapOf(declOfCheckedType(v));
  }
  return s('dyn');
}

/** The cel-js name of a field type declOfCheckedType gives. */
function fieldName(t: DeclType): string {
  switch (t.kind) {
    case 'simple':
      return t.name;
    case 'list':
      return `list<${fieldName(t.item)}>`;
    case 'map':
      return `map<string, ${fieldName(t.value)}>`;
    default:
      return 'dyn';
  }
}

/** `base` with `variables` declared as kubernetes.variables of these fields (compositionState.AddField). */
export function withVariables(base: TypedEnvironment, fields: Record<string, DeclType>): TypedEnvironment {
  const env = base.env.clone();
  const names: Record<string, string> = {};
  for (const [k, t] of Object.entries(fields)) names[k] = fieldName(t);
  env.registerType(VARIABLES_TYPE, { fields: names });
  env.registerVariable('variables', VARIABLES_TYPE);
  const objects = new Map(base.objects);
  objects.set(VARIABLES_TYPE, fields);
  return { env, objects, names: base.names };
}

const admissionEnvs = new Map<boolean, TypedEnvironment>();
/** The environment of a policy's expressions when it is written (OptionalVariableDeclarations.HasParams), kept. */
export function admissionEnvironment(hasParams: boolean): TypedEnvironment {
  let t = admissionEnvs.get(hasParams);
  if (!t) {
    const vars: Record<string, DeclType> = { object: s('dyn'), oldObject: s('dyn'), request: REQUEST_TYPE, namespaceObject: NAMESPACE_TYPE };
    if (hasParams) vars.params = s('dyn');
    admissionEnvs.set(hasParams, (t = typedEnvironment(vars, 'admission')));
  }
  return t;
}
