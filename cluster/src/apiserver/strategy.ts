/**
 * Per-resource rules the upstream registries (pkg/registry/<r>/strategy.go)
 * apply on create and update: which resources track `generation`, how status
 * is reset on create, and which spec fields are immutable.
 */
import type { KObject } from '../contract';
import { deepEqual } from '../runtime/objects';
import { quantity, qosClass as podQosClass } from '../scheduler/resources';
import { goLabelSelector } from '../../../kube/src/rules/status';
import type { FieldError } from './status';
import { ipAddressUpdateErrors, serviceCIDRUpdateErrors } from './servicecidrvalidation';
import { podSpecSites, type JsonObject } from '../../../kube/src/rules/context';
import { podSpecWarningReads, podSpecWarnings } from '../../../kube/src/rules/podWarnings';

type Obj = Record<string, any>;

/** Resources whose strategy sets generation 1 on create and bumps it on spec changes. */
const GENERATION = new Set([
  '/pods',
  '/replicationcontrollers',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  'policy/poddisruptionbudgets',
  'networking.k8s.io/ingresses',
  'networking.k8s.io/ingressclasses',
  'networking.k8s.io/networkpolicies',
  'apiextensions.k8s.io/customresourcedefinitions',
  'autoscaling/horizontalpodautoscalers',
  // validatingAdmissionPolicyStrategy.PrepareForCreate sets Generation 1.
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  // The flowSchema and priorityLevelConfiguration strategies' PrepareForCreate set Generation 1.
  'flowcontrol.apiserver.k8s.io/flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
  // The deviceClass and resourceSlice strategies' PrepareForCreate set Generation 1; a spec change bumps it.
  'resource.k8s.io/deviceclasses',
  'resource.k8s.io/resourceslices',
]);

/**
 * dropDisabledFields of the registries' PrepareForCreate and PrepareForUpdate: a field behind a feature gate
 * that is off in this apiserver's version (1.34) is cleared, unless the stored object already uses it.
 * MaxUnavailableStatefulSet is alpha until 1.35, so a StatefulSet's rollingUpdate.maxUnavailable is dropped.
 */
export function dropDisabledFields(id: string, obj: Obj, old?: Obj): void {
  if (id === 'apps/statefulsets') {
    const ru = obj.spec?.updateStrategy?.rollingUpdate;
    if (ru && typeof ru === 'object' && old?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable == null) delete ru.maxUnavailable;
  }
}

const externallyAccessible = (s: Obj | undefined) =>
  s?.type === 'LoadBalancer' || s?.type === 'NodePort' || ((s?.type ?? 'ClusterIP') === 'ClusterIP' && (s?.externalIPs?.length ?? 0) > 0);
const needsNodePort = (s: Obj | undefined) => s?.type === 'NodePort' || s?.type === 'LoadBalancer';
const needsClusterIP = (s: Obj | undefined) => s?.type !== 'ExternalName';
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The Service strategy's dropTypeDependentFields on update: when the type changes, what the old type needed and
 * the user did not touch (allocated or defaulted for it) goes, so that `kubectl apply` from NodePort to ClusterIP
 * is not refused for the node ports and the externalTrafficPolicy the live object still carries.
 */
export function dropTypeDependentFields(id: string, obj: Obj, old: Obj): void {
  if (id !== '/services') return;
  const s = obj.spec, o = old.spec;
  if (!s || typeof s !== 'object' || !o) return;
  if (needsClusterIP(o) && !needsClusterIP(s)) {
    if (same(s.clusterIP, o.clusterIP) && same(s.clusterIPs, o.clusterIPs)) { delete s.clusterIP; delete s.clusterIPs; }
    if (same(s.ipFamilies, o.ipFamilies)) delete s.ipFamilies;
    if (same(s.ipFamilyPolicy, o.ipFamilyPolicy)) delete s.ipFamilyPolicy;
  }
  const nodePorts = (x: Obj) => (Array.isArray(x.ports) ? x.ports.map((p: any) => p?.nodePort ?? 0) : []);
  if (needsNodePort(o) && !needsNodePort(s) && same(nodePorts(s), nodePorts(o)) && Array.isArray(s.ports)) {
    for (const p of s.ports) if (p && typeof p === 'object') delete p.nodePort;
  }
  const needsHC = (x: Obj) => x.type === 'LoadBalancer' && x.externalTrafficPolicy === 'Local';
  if (needsHC(o) && !needsHC(s) && same(s.healthCheckNodePort, o.healthCheckNodePort)) delete s.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (same(s.allocateLoadBalancerNodePorts, o.allocateLoadBalancerNodePorts)) delete s.allocateLoadBalancerNodePorts;
    if (same(s.loadBalancerClass, o.loadBalancerClass)) delete s.loadBalancerClass;
    // No load balancer any more: no address for one in the status either.
    if (obj.status?.loadBalancer?.ingress) obj.status = { ...obj.status, loadBalancer: {} };
  }
  if (externallyAccessible(o) && !externallyAccessible(s) && same(s.externalTrafficPolicy, o.externalTrafficPolicy)) delete s.externalTrafficPolicy;
}

export function tracksGeneration(id: string): boolean {
  return GENERATION.has(id);
}

/**
 * The pod's QoS class, set once at create (PrepareForCreate's ComputePodQOS) by the same rule the kubelet knows
 * (zero requests count as none); the kubelet keeps what the apiserver set.
 */
export function qosClass(spec: Obj | undefined): string {
  try {
    return podQosClass({ spec: spec ?? {} } as KObject);
  } catch {
    return 'BestEffort'; // a quantity validation refuses anyway
  }
}

/** The status an object starts with (PrepareForCreate). Undefined keeps what was sent. */
export function initialStatus(id: string, obj: Obj): Obj | undefined | null {
  switch (id) {
    case '/pods': {
      // applySchedulingGatedCondition: a gated pod says why it waits (kubectl shows STATUS SchedulingGated).
      const gated = Array.isArray(obj.spec?.schedulingGates) && obj.spec.schedulingGates.length > 0;
      return gated
        ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }], qosClass: qosClass(obj.spec) }
        : { phase: 'Pending', qosClass: qosClass(obj.spec) };
    }
    case '/services':
    case 'networking.k8s.io/ingresses':
      return { loadBalancer: {} };
    case '/namespaces':
      return { phase: 'Active' };
    case '/persistentvolumes':
    case '/persistentvolumeclaims':
      return { phase: 'Pending' };
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/statefulsets':
    case 'apps/daemonsets':
    case '/replicationcontrollers':
    case 'batch/jobs':
    case 'batch/cronjobs':
    case 'policy/poddisruptionbudgets':
      return {};
    // A zero HorizontalPodAutoscalerStatus: desiredReplicas and currentMetrics are not omitempty.
    case 'autoscaling/horizontalpodautoscalers':
      return { desiredReplicas: 0, currentMetrics: null };
    // PrepareForCreate wipes a ResourceQuota's status: only the quota controller fills it in.
    case '/resourcequotas':
      return {};
    // PrepareForCreate of the APIService, CertificateSigningRequest and ValidatingAdmissionPolicy strategies
    // wipe the status: only their controllers (the aggregator's availability controllers, the CSR approver
    // and signer, the policy type checker) write it.
    case 'apiregistration.k8s.io/apiservices':
    case 'certificates.k8s.io/certificatesigningrequests':
    case 'admissionregistration.k8s.io/validatingadmissionpolicies':
      return {};
    // So do the FlowSchema, PriorityLevelConfiguration and ServiceCIDR strategies: the APF config consumer and
    // the service-cidrs controller write those.
    case 'flowcontrol.apiserver.k8s.io/flowschemas':
    case 'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations':
    case 'networking.k8s.io/servicecidrs':
      return {};
    // The resourceClaim strategy's PrepareForCreate: only the scheduler and the drivers write a claim's status.
    case 'resource.k8s.io/resourceclaims':
      return {};
    default:
      return undefined;
  }
}

/** WarningsOnCreate of the registries that have them. */
export function createWarnings(id: string, obj: Obj): string[] {
  // The Ingress registry: the legacy class annotation alone still works, and is deprecated.
  if (id === 'networking.k8s.io/ingresses' && obj.metadata?.annotations?.['kubernetes.io/ingress.class'] !== undefined && obj.spec?.ingressClassName == null) {
    return ['annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead'];
  }
  return podTemplateWarnings(obj);
}

/** GetWarningsForPod / GetWarningsForPodTemplate: a Pod's spec, or a workload's pod template. */
export function podTemplateWarnings(obj: Obj): string[] {
  if (!POD_SPEC_KINDS.has(obj.kind)) return [];
  if (obj.kind === 'Pod' && obj.spec && typeof obj.spec === 'object' && !Array.isArray(obj.spec)) return podWarnings(obj.spec);
  const out: string[] = [];
  for (const site of podSpecSites(obj as JsonObject, obj.kind)) for (const w of podSpecWarnings(site.spec, site.specPath)) out.push(w.text);
  return out;
}

/**
 * A pod's warnings depend only on what podSpecWarningReads lists (kept beside podSpecWarnings, so the two change
 * together). A controller's pods hold those values as shared frozen objects (validationmemo.ts): the last pod's answer
 * is kept with what it read, and a pod that reads the very same values gets it again.
 */
let lastPodReads: unknown[] = [];
let lastPodWarnings: string[] = [];

function podWarnings(spec: Obj): string[] {
  const reads = podSpecWarningReads(spec as JsonObject);
  if (reads && reads.length === lastPodReads.length && reads.every((v, i) => v === lastPodReads[i])) return lastPodWarnings.slice();
  const out: string[] = [];
  for (const w of podSpecWarnings(spec as JsonObject, ['spec'])) out.push(w.text);
  if (reads) {
    lastPodReads = reads;
    lastPodWarnings = out.slice();
  }
  return out;
}

const POD_SPEC_KINDS = new Set(['Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob']);

/** Whether an update changes what bumps generation (Deployments count annotations too, as upstream). */
/** The apps/v1 annotation that carries a DaemonSet's TemplateGeneration (the field apps/v1 does not have). */
export const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/**
 * The DaemonSet strategy's TemplateGeneration, as apps/v1 shows it in an annotation: 1 on create (PrepareForCreate);
 * on update one more than the stored one when the pod template changed, else what the request carries (the v1
 * conversion reads it from the annotation, 0 without it). Mutates `obj`.
 */
export function setTemplateGeneration(obj: Obj, old: KObject | undefined): void {
  let gen: number;
  if (!old) gen = 1;
  else if (!deepEqual(old.spec?.template, obj.spec?.template)) gen = templateGeneration(old) + 1;
  else gen = templateGeneration(obj as KObject);
  obj.metadata ??= {};
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [DS_TEMPLATE_GENERATION]: String(gen) };
}
export function templateGeneration(o: KObject): number {
  const v = Number(o.metadata?.annotations?.[DS_TEMPLATE_GENERATION]);
  return Number.isInteger(v) ? v : 0;
}

export function specChanged(id: string, oldObj: KObject, newObj: Obj): boolean {
  for (const k of Object.keys(newObj)) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!deepEqual(oldObj[k], newObj[k])) return true;
  }
  for (const k of Object.keys(oldObj)) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!(k in newObj)) return true;
  }
  if (id === 'apps/deployments' && !deepEqual(oldObj.metadata.annotations ?? {}, newObj.metadata?.annotations ?? {})) return true;
  return false;
}

const immutable = (field: string, detail = 'field is immutable'): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value: undefined,
  detail,
  omitValue: false,
});

/** The Job strategy's AllowMutableSchedulingDirectives: a Job suspended that has never started. */
const schedulingMutable = (job: KObject) => !!job.spec?.suspend && !job.status?.startTime;

/**
 * validatePodTemplateUpdate with AllowMutableSchedulingDirectives: the old template with the new one's node
 * affinity, nodeSelector, tolerations, scheduling gates, labels and annotations, so only other changes count.
 */
function withSchedulingOf(oldT: any, newT: any): any {
  const t = newT ?? {};
  const ot = structuredClone(oldT ?? {});
  ot.spec ??= {};
  ot.metadata ??= {};
  const na = t.spec?.affinity;
  const oa = ot.spec.affinity;
  if (!na && oa) {
    // Affinity may be cleared if it held nothing but node affinity.
    delete oa.nodeAffinity;
    if (Object.values(oa).every((v) => v === undefined || v === null)) delete ot.spec.affinity;
  } else if (na && !oa) ot.spec.affinity = { nodeAffinity: na.nodeAffinity };
  else if (na && oa) oa.nodeAffinity = na.nodeAffinity;
  ot.spec.nodeSelector = t.spec?.nodeSelector;
  ot.spec.tolerations = t.spec?.tolerations;
  ot.spec.schedulingGates = t.spec?.schedulingGates;
  ot.metadata.annotations = t.metadata?.annotations;
  ot.metadata.labels = t.metadata?.labels;
  return ot;
}

/**
 * ValidatePersistentVolumeClaimUpdate: a claim's spec is fixed once created, except that volumeName may be set
 * once (the binder does), and a Bound claim's storage request and volumeAttributesClassName may change; the
 * request may go down only while it stays above status.capacity (RecoverVolumeExpansionFailure). The message
 * ends with a diff of the two specs: go-cmp's own layout is not reproduced, only the changed fields.
 */
function claimUpdateErrors(oldObj: KObject, newObj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const o = oldObj.spec ?? {};
  const n = newObj.spec ?? {};
  const bound = (newObj.status ?? oldObj.status)?.phase === 'Bound';
  const a: Obj = { ...o };
  const b: Obj = { ...n };
  if (!o.volumeName) a.volumeName = n.volumeName;
  if (bound) {
    b.resources = { ...(n.resources ?? {}), requests: { ...(n.resources?.requests ?? {}), storage: o.resources?.requests?.storage } };
    if (b.resources.requests.storage === undefined) delete b.resources.requests.storage;
    a.volumeAttributesClassName = n.volumeAttributesClassName;
  }
  if (!deepEqual(a, b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !deepEqual(a[k], b[k]));
    const diff = keys.map((k) => `- \t${k}: ${JSON.stringify(a[k] ?? null)},\n+ \t${k}: ${JSON.stringify(b[k] ?? null)},`).join('\n');
    errs.push({ type: 'FieldValueForbidden', field: 'spec', detail: `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{\n${diff}\n  }\n` });
  }
  const oldSize = storageBytes(o.resources?.requests?.storage);
  const newSize = storageBytes(n.resources?.requests?.storage);
  const capacity = storageBytes(oldObj.status?.capacity?.storage);
  if (newSize < oldSize && newSize <= capacity) {
    errs.push({ type: 'FieldValueForbidden', field: 'spec.resources.requests.storage', detail: 'field can not be less than status.capacity' });
  }
  if (!deepEqual(o.volumeMode, n.volumeMode)) errs.push({ ...immutable('volumeMode'), value: n.volumeMode });
  return errs;
}
const storageBytes = (q: unknown) => (q === undefined || q === null ? 0 : quantity(q as string));

/** Spec fields upstream refuses to change on update. */
export function immutableErrors(id: string, oldObj: KObject, newObj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const o = oldObj.spec ?? {};
  const n = newObj.spec ?? {};
  const check = (path: string, a: unknown, b: unknown) => {
    if (!deepEqual(a, b)) errs.push({ ...immutable(path), value: b });
  };
  const checkSelector = () => {
    if (!deepEqual(o.selector, n.selector)) errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', valueText: goLabelSelector(n.selector), detail: 'field is immutable' });
  };
  switch (id) {
    case 'rbac.authorization.k8s.io/rolebindings':
    case 'rbac.authorization.k8s.io/clusterrolebindings': {
      // A binding's role is fixed for its life: to bind another, make another binding (ValidateRoleBindingUpdate).
      const a = (oldObj as any).roleRef ?? {};
      const b = (newObj as any).roleRef ?? {};
      if (a.apiGroup !== b.apiGroup || a.kind !== b.kind || a.name !== b.name) {
        errs.push({ type: 'FieldValueInvalid', field: 'roleRef', detail: 'cannot change roleRef',
          valueText: `rbac.RoleRef{APIGroup:${JSON.stringify(String(b.apiGroup ?? ''))}, Kind:${JSON.stringify(String(b.kind ?? ''))}, Name:${JSON.stringify(String(b.name ?? ''))}}` });
      }
      break;
    }
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/daemonsets':
      checkSelector();
      break;
    case 'scheduling.k8s.io/priorityclasses':
      // ValidatePriorityClassUpdate: the value may not change, preemptionPolicy is immutable.
      if (oldObj.value !== (newObj as any).value) errs.push({ type: 'FieldValueForbidden', field: 'value', detail: 'may not be changed in an update.' });
      if (!deepEqual(oldObj.preemptionPolicy, (newObj as any).preemptionPolicy)) errs.push({ ...immutable('preemptionPolicy'), value: (newObj as any).preemptionPolicy });
      break;
    case 'networking.k8s.io/ingressclasses':
      check('spec.controller', o.controller, n.controller);
      break;
    case 'networking.k8s.io/servicecidrs':
      errs.push(...serviceCIDRUpdateErrors(newObj as KObject, oldObj));
      break;
    case 'networking.k8s.io/ipaddresses':
      errs.push(...ipAddressUpdateErrors(newObj as KObject, oldObj));
      break;
    // ValidateResourceClaimUpdate and ValidateResourceClaimTemplateUpdate: the whole spec is immutable (upstream prints
    // the internal Go struct as the value; it is left out here).
    case 'resource.k8s.io/resourceclaims':
    case 'resource.k8s.io/resourceclaimtemplates':
      if (!deepEqual(oldObj.spec, newObj.spec)) errs.push({ ...immutable('spec'), omitValue: true });
      break;
    // ValidateResourceSliceUpdate: the pool's name, the driver and the node name stay.
    case 'resource.k8s.io/resourceslices':
      check('spec.pool.name', o.pool?.name, n.pool?.name);
      check('spec.driver', o.driver, n.driver);
      check('spec.nodeName', o.nodeName, n.nodeName);
      break;
    case 'apps/statefulsets': {
      checkSelector();
      const allowed = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit'];
      const strip = (s: Obj) => {
        const c: Obj = { ...s };
        for (const k of allowed) delete c[k];
        return c;
      };
      if (!deepEqual(strip(o), strip(n))) {
        errs.push({
          type: 'FieldValueForbidden',
          field: 'spec',
          detail:
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        });
      }
      break;
    }
    case 'batch/jobs': {
      // ValidateJobSpecUpdate, in its order. An Indexed Job's completions change only in tandem with parallelism
      // (ElasticIndexedJob); other Jobs' not at all.
      if (!deepEqual(o.completions, n.completions)) {
        if (n.completionMode !== 'Indexed') check('spec.completions', o.completions, n.completions);
        else if (typeof n.completions === 'number' && n.completions !== n.parallelism) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.completions', value: n.completions, detail: 'can only be modified in tandem with spec.parallelism' });
        }
      }
      checkSelector();
      check('spec.template', schedulingMutable(oldObj) ? withSchedulingOf(o.template, n.template) : o.template, n.template);
      check('spec.completionMode', o.completionMode, n.completionMode);
      check('spec.podFailurePolicy', o.podFailurePolicy, n.podFailurePolicy);
      check('spec.backoffLimitPerIndex', o.backoffLimitPerIndex, n.backoffLimitPerIndex);
      check('spec.managedBy', o.managedBy, n.managedBy);
      check('spec.successPolicy', o.successPolicy, n.successPolicy);
      break;
    }
    case '/pods': {
      // ValidatePodUpdate: activeDeadlineSeconds may be set or lowered, never raised or unset.
      const newAds = n.activeDeadlineSeconds;
      const oldAds = o.activeDeadlineSeconds;
      if (typeof newAds === 'number') {
        if (newAds < 0 || newAds > 2147483647) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.activeDeadlineSeconds', value: newAds, detail: 'must be between 0 and 2147483647, inclusive' });
          break;
        }
        if (typeof oldAds === 'number' && oldAds < newAds) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.activeDeadlineSeconds', value: newAds, detail: 'must be less than or equal to previous value' });
          break;
        }
      } else if (typeof oldAds === 'number') {
        // field.Invalid with a nil *int64 prints it as the string "null".
        errs.push({ type: 'FieldValueInvalid', field: 'spec.activeDeadlineSeconds', valueText: '"null"', detail: 'must not update from a positive integer to nil value' });
      }
      // validateOnlyAddedTolerations: each old toleration stays, but for its tolerationSeconds.
      const newTols: Obj[] = n.tolerations ?? [];
      for (const old of (o.tolerations ?? []) as Obj[]) {
        if (!newTols.some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t))) {
          errs.push({ type: 'FieldValueForbidden', field: 'spec.tolerations', detail: 'existing toleration can not be modified except its tolerationSeconds' });
          break;
        }
      }
      // validateOnlyDeletedSchedulingGates: a gate may go, none may come.
      const oldGates = new Set(((o.schedulingGates ?? []) as Obj[]).map((g) => g.name));
      ((n.schedulingGates ?? []) as Obj[]).forEach((g, i) => {
        if (!oldGates.has(g.name)) errs.push({ type: 'FieldValueForbidden', field: `spec.schedulingGates[${i}].name`, detail: `only deletion is allowed, but found new scheduling gate '${g.name}'` });
      });
      // The rest of the spec must not change: images, the deadline, tolerations and gates are judged above, and
      // terminationGracePeriodSeconds may only go from a negative value to 1.
      const graceRelaxed = typeof o.terminationGracePeriodSeconds === 'number' && o.terminationGracePeriodSeconds < 0 && n.terminationGracePeriodSeconds === 1;
      // A pod saved by an older playground may lack the `resources: {}` defaulting now adds: the same zero struct to Go.
      const ctr = (x: Obj) => ({ ...x, image: undefined, resources: x?.resources && Object.keys(x.resources).length ? x.resources : undefined });
      const strip = (s: Obj) => {
        const c: Obj = { ...s, containers: (s.containers ?? []).map(ctr) };
        c.initContainers = (s.initContainers ?? []).map(ctr);
        delete c.activeDeadlineSeconds;
        delete c.tolerations;
        if (graceRelaxed) delete c.terminationGracePeriodSeconds;
        delete c.schedulingGates;
        if (s.nodeName === undefined || o.nodeName === undefined) delete c.nodeName;
        return c;
      };
      if (!deepEqual(strip(o), strip(n))) {
        errs.push({
          type: 'FieldValueForbidden',
          field: 'spec',
          detail:
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        });
      }
      break;
    }
    case '/services':
      if (o.clusterIP && n.clusterIP !== undefined && n.clusterIP !== o.clusterIP && o.type !== 'ExternalName' && n.type !== 'ExternalName') {
        check('spec.clusterIPs[0]', o.clusterIP, n.clusterIP);
      }
      break;
    case '/resourcequotas': {
      // ValidateResourceQuotaUpdate: spec.scopes compare as sets; scopeSelector and hard may change.
      const a = new Set<string>(o.scopes ?? []);
      const b = new Set<string>(n.scopes ?? []);
      if (a.size !== b.size || [...a].some((x) => !b.has(x))) {
        errs.push({ type: 'FieldValueInvalid', field: 'spec.scopes', detail: 'field is immutable', valueText: `[]core.ResourceQuotaScope{${(n.scopes ?? []).map((x: unknown) => JSON.stringify(String(x))).join(', ')}}` });
      }
      break;
    }
    case '/persistentvolumeclaims':
      errs.push(...claimUpdateErrors(oldObj, newObj));
      break;
    case '/configmaps':
    case '/secrets':
      // ValidateSecretUpdate: a Secret's type never changes (the default is Opaque).
      if (id === '/secrets' && (newObj.type || 'Opaque') !== (oldObj.type || 'Opaque')) errs.push({ type: 'FieldValueInvalid', field: 'type', value: newObj.type, detail: 'field is immutable' });
      if (oldObj.immutable === true) {
        // Once immutable, always immutable: only deleting the object undoes it.
        if (newObj.immutable !== true) errs.push({ type: 'FieldValueForbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
        const fields = id === '/secrets' ? ['data', 'stringData'] : ['data', 'binaryData'];
        for (const f of fields) if (!deepEqual(oldObj[f], newObj[f])) errs.push({ type: 'FieldValueForbidden', field: f, detail: 'field is immutable when `immutable` is set' });
      }
      break;
  }
  return errs;
}
