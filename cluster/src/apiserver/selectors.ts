import type { KObject } from '../contract';
import { matchesRequirements, parseSelector, type Requirement } from '../../../kube/src/labels';
import { badRequest } from './status';

/** One `field=value` / `field!=value` term of a field selector. */
export interface FieldTerm {
  field: string;
  op: '=' | '!=';
  value: string;
}

type Getter = (o: KObject) => string | undefined;

const common: Record<string, Getter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const eventFields: Record<string, Getter> = {
  'involvedObject.kind': (o) => str(o.involvedObject?.kind),
  'involvedObject.namespace': (o) => str(o.involvedObject?.namespace),
  'involvedObject.name': (o) => str(o.involvedObject?.name),
  'involvedObject.uid': (o) => str(o.involvedObject?.uid),
  'involvedObject.apiVersion': (o) => str(o.involvedObject?.apiVersion),
  'involvedObject.resourceVersion': (o) => str(o.involvedObject?.resourceVersion),
  'involvedObject.fieldPath': (o) => str(o.involvedObject?.fieldPath),
  reason: (o) => str(o.reason),
  reportingComponent: (o) => str(o.reportingComponent),
  // ToSelectableFields: an Event with no source component (an events.k8s.io recorder's) is selected by its reporter.
  source: (o) => str(o.source?.component || o.reportingComponent),
  type: (o) => str(o.type),
};

/**
 * Fields each resource can be selected by, for the resources whose API
 * version registers a field label conversion (pkg/apis/<group>/v1
 * conversion.go; the registries' ToSelectableFields). A resource missing here
 * goes through the scheme's default conversion, which knows the two metadata
 * fields alone.
 */
const perResource: Record<string, Record<string, Getter>> = {
  '/pods': {
    'spec.nodeName': (o) => str(o.spec?.nodeName),
    'spec.restartPolicy': (o) => str(o.spec?.restartPolicy),
    'spec.schedulerName': (o) => str(o.spec?.schedulerName),
    'spec.serviceAccountName': (o) => str(o.spec?.serviceAccountName),
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => str(o.status?.phase),
    'status.podIP': (o) => str(o.status?.podIP),
    // Accepted by the conversion, but ToSelectableFields never sets it: it matches the empty string.
    'status.podIPs': () => '',
    'status.nominatedNodeName': (o) => str(o.status?.nominatedNodeName),
    // The old v1 clients' name for spec.nodeName, which the conversion still maps.
    'spec.host': (o) => str(o.spec?.nodeName),
  },
  '/events': eventFields,
  'events.k8s.io/events': {
    'regarding.kind': (o) => str(o.involvedObject?.kind),
    'regarding.namespace': (o) => str(o.involvedObject?.namespace),
    'regarding.name': (o) => str(o.involvedObject?.name),
    'regarding.uid': (o) => str(o.involvedObject?.uid),
    'regarding.apiVersion': (o) => str(o.involvedObject?.apiVersion),
    'regarding.resourceVersion': (o) => str(o.involvedObject?.resourceVersion),
    'regarding.fieldPath': (o) => str(o.involvedObject?.fieldPath),
    reason: (o) => str(o.reason),
    reportingController: (o) => str(o.reportingComponent),
    type: (o) => str(o.type),
  },
  '/nodes': { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  '/namespaces': { 'status.phase': (o) => str(o.status?.phase) },
  '/secrets': { type: (o) => str(o.type) },
  '/replicationcontrollers': { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  'apps/replicasets': { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  'batch/jobs': { 'status.successful': (o) => str(o.status?.succeeded ?? 0) },
  '/services': { 'spec.clusterIP': (o) => str(o.spec?.clusterIP), 'spec.type': (o) => str(o.spec?.type) },
  '/persistentvolumeclaims': {},
  // pkg/apis/certificates/v1/conversion.go: metadata.name and spec.signerName only (no metadata.namespace).
  'certificates.k8s.io/certificatesigningrequests': { 'spec.signerName': (o) => str(o.spec?.signerName) },
};

/** Cluster-scoped resources whose field label conversion does not list metadata.namespace. */
const NO_NAMESPACE_FIELD = new Set(['/nodes', '/namespaces', 'certificates.k8s.io/certificatesigningrequests']);

/**
 * A custom resource's field labels (apiextensions-apiserver pkg/apiserver/conversion/converter.go,
 * ConvertFieldLabel): metadata.name, metadata.namespace unless the CRD is cluster-scoped, and the version's
 * selectableFields. Anything else is `field label not supported: <label>`.
 */
const namespacedCustom: Record<string, Getter> = common;
const clusterCustom: Record<string, Getter> = { 'metadata.name': common['metadata.name'] };

/**
 * A selectable field's value, as the custom resource strategy's GetAttrs takes it: the value at the path
 * (validation allows only `.a.b` steps), printed by fmt.Sprint; an absent field (or null) is the empty string.
 */
function selectableField(path: string): Getter {
  const steps = path.split('.');
  return (o) => {
    let v: any = o;
    for (const s of steps) {
      if (v === null || typeof v !== 'object') return '';
      v = v[s];
    }
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
}

/** Parses `a=b,c!=d` (also `==`); backslash escapes `,`, `=` and `!` in values as upstream. */
export function parseFieldSelector(s: string): FieldTerm[] {
  const out: FieldTerm[] = [];
  if (!s.trim()) return out;
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[++i];
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  for (const p of parts) {
    // parseSelector skips an empty term (`status.phase=Running,`).
    if (p === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(p);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${p}'`);
    const value = m[3].replace(/\\(.)/g, '$1');
    out.push({ field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value });
  }
  return out;
}

/** A compiled list predicate, or undefined when nothing filters. */
export type Predicate = (o: KObject) => boolean;

/**
 * The list predicate of a label and a field selector. A field the resource
 * cannot be selected by is a 400 with the conversion's own text, as the
 * apiserver's list and watch handlers answer (kubectl adds its
 * `Unable to find "<gvr>" that match ...` prefix on its side). `custom` marks a CRD's resource, whose converter
 * has its own field labels.
 */
export function compileSelectors(
  table: string,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
  custom?: { clusterScoped: boolean; selectableFields?: string[] },
): Predicate | undefined {
  let reqs: Requirement[] = [];
  if (labelSelector) {
    try {
      reqs = parseSelector(labelSelector);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
  }
  const terms = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  const getters: { g: Getter; t: FieldTerm }[] = [];
  const fields = custom ? (custom.clusterScoped ? clusterCustom : namespacedCustom) : perResource[table];
  for (const t of terms) {
    // Nodes, namespaces and CSRs register conversions that know no metadata.namespace; a CRD's lists its own.
    const g = custom
      ? (fields![t.field] ?? (custom.selectableFields?.includes(t.field) ? selectableField(t.field) : undefined))
      : ((t.field === 'metadata.namespace' && NO_NAMESPACE_FIELD.has(table) ? undefined : common[t.field]) ?? fields?.[t.field]);
    if (!g) {
      // The resource's own conversion, or the scheme's DefaultMetaV1FieldSelectorConversion.
      throw badRequest(fields ? `field label not supported: ${t.field}` : `${JSON.stringify(t.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    getters.push({ g, t });
  }
  if (!reqs.length && !getters.length) return undefined;
  return (o) => {
    if (reqs.length && !matchesRequirements(reqs, o.metadata.labels)) return false;
    for (const { g, t } of getters) {
      const v = g(o) ?? '';
      if (t.op === '=' ? v !== t.value : v === t.value) return false;
    }
    return true;
  };
}

/** The field selector answers a namespace/name pair directly (e.g. `metadata.name=x`): a fast path for lists. */
export function nameFromFieldSelector(fieldSelector: string | undefined): string | undefined {
  if (!fieldSelector) return undefined;
  const terms = parseFieldSelector(fieldSelector);
  const t = terms.find((x) => x.field === 'metadata.name' && x.op === '=');
  return t?.value;
}
