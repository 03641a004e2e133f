/**
 * metadata rules the apiserver applies to every object (ValidateObjectMeta):
 * the name as each kind requires, a namespaced object's namespace, label keys and values, annotation keys and
 * their 256 KiB total. Pod templates get the label and annotation checks too.
 */
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../names';
import { strictIPErrors } from '../cidr';
import type { JsonObject, Rule } from './context';
import { get, isObject, podSpecSites } from './context';
import type { FieldPath, Finding } from './types';

/** apimachinery TotalAnnotationSizeLimitB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

type NameFn = (name: string) => string[];

/** RBAC names are path segments (`system:controller:x` is fine), upstream ValidateRBACName. */
function pathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const msgs: string[] = [];
  if (name.includes('/')) msgs.push("may not contain '/'");
  if (name.includes('%')) msgs.push("may not contain '%'");
  return msgs;
}

const NAME_RULES: Record<string, NameFn> = {
  Service: isDNS1035Label,
  Namespace: isDNS1123Label,
  // ValidateStatefulSetName: NameIsDNSLabel (its pods' hostnames are `<name>-<ordinal>`).
  StatefulSet: isDNS1123Label,
  Role: pathSegmentName, ClusterRole: pathSegmentName, RoleBinding: pathSegmentName, ClusterRoleBinding: pathSegmentName,
  // ValidateIPAddressName: an IPAddress is named by its address, as the strict IsValidIP reads it.
  IPAddress: strictIPErrors,
};
for (const k of ['Pod', 'ConfigMap', 'Secret', 'Deployment', 'ReplicaSet', 'DaemonSet', 'ReplicationController', 'Job',
  'CronJob', 'PersistentVolumeClaim', 'PersistentVolume', 'ServiceAccount', 'Ingress', 'IngressClass', 'NetworkPolicy',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'StorageClass', 'PriorityClass', 'LimitRange', 'ResourceQuota', 'Endpoints',
  'EndpointSlice', 'Node', 'PodTemplate', 'ControllerRevision', 'Lease', 'ServiceCIDR',
  // resource.k8s.io: ValidateResourceClaimName and ValidateResourceClaimTemplateName are NameIsDNSSubdomain, as are
  // a ResourceSlice's name and a DeviceClass's (validate.LongName).
  'DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice']) NAME_RULES[k] = isDNS1123Subdomain;

/** A CronJob's name gets an 11-character suffix for its Jobs (upstream validateCronJob). */
const CRONJOB_NAME_MAX = 52;

function checkName(obj: JsonObject, kind: string, out: Finding[]): void {
  const meta = obj.metadata;
  const name = isObject(meta) ? meta.name : undefined;
  const generateName = isObject(meta) ? meta.generateName : undefined;
  if (typeof name !== 'string' || name === '') {
    if (typeof generateName === 'string' && generateName !== '') return;
    const path = isObject(meta) ? ['metadata', 'name'] : ['metadata'];
    out.push({ code: 'missing-name', severity: 'error', path, target: 'key', message: 'Required value: name or generateName is required',
      apiError: { type: 'FieldValueRequired', detail: 'name or generateName is required', apiPath: ['metadata', 'name'] } });
    return;
  }
  const fn = NAME_RULES[kind];
  const msgs = fn ? fn(name) : [];
  if (kind === 'CronJob' && name.length > CRONJOB_NAME_MAX) msgs.push(`must be no more than ${CRONJOB_NAME_MAX} characters`);
  for (const detail of msgs) {
    out.push({ code: 'invalid-name', severity: 'error', path: ['metadata', 'name'], message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
      apiError: { type: 'FieldValueInvalid', value: name, detail } });
  }
}

/**
 * A Job's name becomes the value of its pods' `job-name` and `batch.kubernetes.io/job-name` labels (the strategy's
 * generateSelector, unless the selector is manual), so a name that is no label value is refused at
 * spec.template.labels. The editor says it on the name, where the fix is.
 */
function checkJobNameLabel(obj: JsonObject, out: Finding[]): void {
  const name = isObject(obj.metadata) ? obj.metadata.name : undefined;
  const spec = obj.spec;
  if (typeof name !== 'string' || !name || (isObject(spec) && spec.manualSelector === true)) return;
  for (const detail of isValidLabelValue(name)) {
    out.push({ code: 'job-name-label', severity: 'error', path: ['metadata', 'name'],
      message: `Invalid value: ${JSON.stringify(name)}: ${detail} (the Job's name is its pods' job-name label)`,
      apiError: { type: 'FieldValueInvalid', value: name, detail, apiPath: ['spec', 'template', 'labels'] } });
  }
}

/**
 * Labels and annotations of one metadata block at `metaPath`. `apiBase` is
 * where upstream reports them: a pod template's go under the template itself
 * (ValidatePodTemplateSpec passes `spec.template`, so `spec.template.labels`).
 */
export function checkLabelsAndAnnotations(obj: JsonObject, metaPath: FieldPath, out: Finding[], apiBase: FieldPath = metaPath): void {
  const meta = get(obj, metaPath);
  if (!isObject(meta)) return;
  const labels = meta.labels;
  if (isObject(labels)) {
    const lp = metaPath.concat('labels');
    for (const k in labels) {
      for (const detail of isQualifiedName(k)) {
        out.push({ code: 'invalid-label-key', severity: 'error', path: [...lp, k], target: 'key', message: `Invalid value: ${JSON.stringify(k)}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value: k, detail, apiPath: apiBase.concat('labels') } });
      }
      const v = labels[k];
      if (typeof v !== 'string') continue; // the schema walk reports non-strings
      for (const detail of isValidLabelValue(v)) {
        out.push({ code: 'invalid-label-value', severity: 'error', path: [...lp, k], message: `Invalid value: ${JSON.stringify(v)}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value: v, detail, apiPath: apiBase.concat('labels') } });
      }
    }
  }
  const ann = meta.annotations;
  if (isObject(ann)) {
    const ap = [...metaPath, 'annotations'];
    let size = 0;
    for (const k in ann) {
      size += Buffer.byteLength(k) + (typeof ann[k] === 'string' ? Buffer.byteLength(ann[k] as string) : 0);
      for (const detail of isQualifiedName(k.toLowerCase())) {
        out.push({ code: 'invalid-annotation-key', severity: 'error', path: [...ap, k], target: 'key', message: `Invalid value: ${JSON.stringify(k)}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value: k, detail, apiPath: apiBase.concat('annotations') } });
      }
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
      const detail = `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`;
      out.push({ code: 'annotations-too-long', severity: 'error', path: ap, target: 'key',
        message: `Too long: annotations total ${size} bytes; ${detail}`, apiError: apiBase === metaPath ? { type: 'FieldValueTooLong', value: '', detail } : { type: 'FieldValueTooLong', value: '', detail, apiPath: apiBase.concat('annotations') } });
    }
  }
}

/** An owner reference as Go marshals the struct (its fields in declaration order), for the value of an error about the list. */
function ownerRefJson(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', name: r.name ?? '', uid: r.uid ?? '' };
  if (typeof r.controller === 'boolean') out.controller = r.controller;
  if (typeof r.blockOwnerDeletion === 'boolean') out.blockOwnerDeletion = r.blockOwnerDeletion;
  return out;
}

/**
 * schema.ParseGroupVersion as FromAPIVersionAndKind uses it: "" and "/" are empty, no slash is a core version, one
 * slash splits group from version, and more than one is an error, which leaves the version empty.
 */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const i = gv.indexOf('/');
  if (i < 0) return { group: '', version: gv };
  if (gv.indexOf('/', i + 1) >= 0) return { group: '', version: '' };
  return { group: gv.slice(0, i), version: gv.slice(i + 1) };
}

/**
 * ValidateOwnerReferences (apimachinery's objectmeta.go): each reference names a version, a kind, a name and a uid
 * (the errors are at `metadata.ownerReferences.<field>`, with no index), an Event owns nothing, and only one
 * reference may be the controller.
 */
function checkOwnerReferences(obj: JsonObject, out: Finding[]): void {
  const meta = obj.metadata;
  const refs = isObject(meta) ? meta.ownerReferences : undefined;
  if (!Array.isArray(refs)) return;
  const base = ['metadata', 'ownerReferences'];
  let firstController = '';
  refs.forEach((r, i) => {
    if (!isObject(r)) return;
    const apiVersion = typeof r.apiVersion === 'string' ? r.apiVersion : '';
    const { group, version } = parseGroupVersion(apiVersion);
    const empty = (field: string, value: string, detail: string) => out.push({ code: 'invalid-owner-reference', severity: 'error', path: [...base, i, field],
      message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, apiError: { type: 'FieldValueInvalid', value, detail, apiPath: [...base, field] } });
    if (!version) empty('apiVersion', apiVersion, 'version must not be empty');
    const kind = typeof r.kind === 'string' ? r.kind : '';
    if (!kind) empty('kind', kind, 'must not be empty');
    const name = typeof r.name === 'string' ? r.name : '';
    if (!name) empty('name', name, 'must not be empty');
    if (!(typeof r.uid === 'string' && r.uid)) empty('uid', typeof r.uid === 'string' ? r.uid : '', 'must not be empty');
    // BannedOwners is keyed by the parsed GroupVersionKind, so `/v1` is the core group's v1 as well.
    if (group === '' && version === 'v1' && kind === 'Event') {
      const detail = '/v1, Kind=Event is disallowed from being an owner';
      out.push({ code: 'invalid-owner-reference', severity: 'error', path: [...base, i], message: detail,
        apiError: { type: 'FieldValueInvalid', value: r, valueText: JSON.stringify(ownerRefJson(r)), detail, apiPath: base } });
    }
    if (r.controller === true) {
      const current = `${kind}/${name}`;
      if (!firstController) firstController = current;
      else {
        const detail = `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`;
        out.push({ code: 'invalid-owner-reference', severity: 'error', path: [...base, i, 'controller'], message: detail,
          apiError: { type: 'FieldValueInvalid', value: refs, valueText: JSON.stringify(refs.map((x) => (isObject(x) ? ownerRefJson(x) : x))), detail, apiPath: base } });
      }
    }
  });
}

/**
 * ValidateObjectMetaAccessor checks a namespaced object's namespace with ValidateNamespaceName (a DNS-1123 label).
 * A cluster-scoped kind is left alone: kubectl sends no namespace for it and the apiserver clears one it is given.
 * The editor's alone: the apiserver's NamespaceLifecycle admission, which runs before validation, has already
 * answered `namespaces "Default" not found` (no namespace has such a name).
 */
function checkNamespace(obj: JsonObject, namespaced: boolean | undefined, out: Finding[]): void {
  const ns = isObject(obj.metadata) ? obj.metadata.namespace : undefined;
  if (!namespaced || typeof ns !== 'string' || ns === '') return;
  for (const detail of isDNS1123Label(ns)) {
    out.push({ code: 'invalid-namespace', severity: 'error', path: ['metadata', 'namespace'], message: `Invalid value: ${JSON.stringify(ns)}: ${detail}`,
      apiError: { type: 'FieldValueInvalid', value: ns, detail } });
  }
}

export const objectMetaRule: Rule = {
  codes: ['invalid-name', 'invalid-namespace', 'missing-name', 'job-name-label', 'invalid-label-key', 'invalid-label-value', 'invalid-annotation-key', 'annotations-too-long', 'invalid-owner-reference'],
  check(obj, ctx, out) {
    if (ctx.kindInfo?.listKind || ctx.kind.endsWith('List')) return;
    checkName(obj, ctx.kind, out);
    if (!ctx.apiserver) checkNamespace(obj, ctx.kindInfo?.namespaced, out);
    // The apiserver sees the name in the pod template's job-name labels, where the label rules report it.
    if (ctx.kind === 'Job' && !ctx.apiserver) checkJobNameLabel(obj, out);
    checkLabelsAndAnnotations(obj, ['metadata'], out);
    checkOwnerReferences(obj, out);
    for (const site of podSpecSites(obj, ctx.kind)) if (site.template) checkLabelsAndAnnotations(obj, site.metaPath, out, site.metaPath.slice(0, -1));
  },
};
