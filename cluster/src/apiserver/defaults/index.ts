import { defaultEndpoints, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPersistentVolumeClaim, defaultSecret, defaultService } from './core';
import { defaultPod, defaultPodTemplate } from './pod';
import { defaultEvent } from '../eventvalidation';
import { defaultLimitRangeItem } from '../../../../kube/src/rules/quota';
import { canonicalMetricTargets, canonicalQuantityField, canonicalQuantityMap } from './quantity';
import { policyTypesOf } from '../../../../kube/src/networkPolicy';
import { defaultResourceClaim, defaultResourceClaimTemplate } from '../dravalidation';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultReplicaSet,
  defaultReplicationController,
  defaultStatefulSet,
} from './workloads';

export { defaultPullPolicy } from './pod';
export { defaultJobLabels, generateJobSelector } from './workloads';

type Obj = Record<string, any>;

/** Defaulting by store id (group/resource), applied to every object written, as decoding does upstream. */
const byResource: Record<string, (o: Obj) => void> = {
  '/pods': defaultPod,
  '/services': defaultService,
  '/namespaces': defaultNamespace,
  '/persistentvolumeclaims': defaultPersistentVolumeClaim,
  '/persistentvolumes': defaultPersistentVolume,
  '/secrets': defaultSecret,
  '/endpoints': defaultEndpoints,
  '/events': defaultEvent,
  '/nodes': defaultNode,
  '/replicationcontrollers': defaultReplicationController,
  '/podtemplates': (o) => defaultPodTemplate(o.template),
  // Quantities are stored in their canonical text (`1.5Gi` → `1536Mi`), as any resource.Quantity is; quota and limit tables show them.
  '/limitranges': (o) => {
    if (!Array.isArray(o.spec?.limits)) return;
    for (const item of o.spec.limits) {
      if (!item || typeof item !== 'object') continue;
      for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) canonicalMap(item[f]);
      defaultLimitRangeItem(item);
    }
  },
  '/resourcequotas': (o) => canonicalMap(o.spec?.hard),
  'apps/deployments': defaultDeployment,
  'apps/replicasets': defaultReplicaSet,
  'apps/daemonsets': defaultDaemonSet,
  'apps/statefulsets': defaultStatefulSet,
  'batch/jobs': defaultJob,
  'batch/cronjobs': defaultCronJob,
  'autoscaling/horizontalpodautoscalers': defaultHorizontalPodAutoscaler,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': (o) => defaultWebhooks(o, false),
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': (o) => defaultWebhooks(o, true),
  // SetDefaults_ValidatingAdmissionPolicySpec: failurePolicy Fail; SetDefaults_MatchResources and SetDefaults_Rule.
  'admissionregistration.k8s.io/validatingadmissionpolicies': (o) => {
    if (!o.spec || typeof o.spec !== 'object') return;
    o.spec.failurePolicy ??= 'Fail';
    defaultMatchResources(o.spec.matchConstraints);
  },
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': (o) => {
    if (o.spec && typeof o.spec === 'object') defaultMatchResources(o.spec.matchResources);
  },
  // SetDefaults_IngressClass: parameters without a scope are the cluster's.
  'networking.k8s.io/ingressclasses': (o) => {
    const p = o.spec?.parameters;
    if (p && typeof p === 'object' && (p.scope === undefined || p.scope === null)) p.scope = 'Cluster';
  },
  'networking.k8s.io/networkpolicies': defaultNetworkPolicy,
  'rbac.authorization.k8s.io/rolebindings': defaultRoleBinding,
  'rbac.authorization.k8s.io/clusterrolebindings': defaultRoleBinding,
  // resource.Quantity fields, stored in canonical form (the CSIStorageCapacity table prints capacity so).
  'storage.k8s.io/csistoragecapacities': (o) => {
    canonicalQuantityField(o, 'capacity');
    canonicalQuantityField(o, 'maximumVolumeSize');
  },
  // kube-aggregator's SetDefaults_ServiceReference (apiregistration/v1/defaults.go): a service's port is 443.
  'apiregistration.k8s.io/apiservices': (o) => {
    const svc = o.spec?.service;
    if (svc && typeof svc === 'object' && !Array.isArray(svc) && (svc.port === undefined || svc.port === null)) svc.port = 443;
  },
  // flowcontrol/v1 defaults.go: SetDefaults_FlowSchemaSpec (matchingPrecedence 1000).
  'flowcontrol.apiserver.k8s.io/flowschemas': (o) => {
    if (o.spec && typeof o.spec === 'object' && !o.spec.matchingPrecedence) o.spec.matchingPrecedence = 1000;
  },
  // SetDefaults_PriorityLevelConfiguration (v1 keeps an explicit 0 shares), _ExemptPriorityLevelConfiguration,
  // _LimitedPriorityLevelConfiguration and _QueuingConfiguration.
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': (o) => {
    const ex = o.spec?.exempt;
    if (ex && typeof ex === 'object') {
      ex.nominalConcurrencyShares ??= 0;
      ex.lendablePercent ??= 0;
    }
    const lim = o.spec?.limited;
    if (lim && typeof lim === 'object') {
      lim.nominalConcurrencyShares ??= 30;
      lim.lendablePercent ??= 0;
      const q = lim.limitResponse?.queuing;
      if (q && typeof q === 'object') {
        q.queues ||= 64;
        q.handSize ||= 8;
        q.queueLengthLimit ||= 50;
      }
    }
  },
  // resource.k8s.io/v1's SetDefaults_ExactDeviceRequest and SetDefaults_DeviceSubRequest: ExactCount, count 1.
  'resource.k8s.io/resourceclaims': defaultResourceClaim,
  'resource.k8s.io/resourceclaimtemplates': defaultResourceClaimTemplate,
  // SetDefaults_PriorityClass.
  'scheduling.k8s.io/priorityclasses': (o) => {
    o.preemptionPolicy ??= 'PreemptLowerPriority';
  },
};

const canonicalMap = canonicalQuantityMap;

/**
 * SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort: no policyTypes means Ingress, and Egress too
 * when there are egress rules (an empty list is none); a port without a protocol is TCP.
 */
function defaultNetworkPolicy(o: Obj): void {
  // The spec and its podSelector are structs in Go: absent, they decode as empty ones.
  if (o.spec === undefined || o.spec === null) o.spec = {};
  const spec = o.spec;
  if (typeof spec !== 'object' || Array.isArray(spec)) return;
  if (spec.podSelector === undefined || spec.podSelector === null) spec.podSelector = {};
  // Only an absent or empty list is defaulted; anything else is the decoder's to refuse.
  if (spec.policyTypes === undefined || spec.policyTypes === null || (Array.isArray(spec.policyTypes) && !spec.policyTypes.length)) {
    spec.policyTypes = policyTypesOf({ egress: spec.egress });
  }
  for (const list of [spec.ingress, spec.egress]) {
    if (!Array.isArray(list)) continue;
    for (const rule of list) {
      if (!rule || typeof rule !== 'object' || !Array.isArray(rule.ports)) continue;
      for (const p of rule.ports) if (p && typeof p === 'object' && (p.protocol === undefined || p.protocol === null)) p.protocol = 'TCP';
    }
  }
}

/** rbac/v1 SetDefaults_RoleBinding and SetDefaults_Subject: the RBAC group for roleRef, Users and Groups. */
function defaultRoleBinding(o: Obj): void {
  if (o.roleRef && typeof o.roleRef === 'object' && !o.roleRef.apiGroup) o.roleRef.apiGroup = 'rbac.authorization.k8s.io';
  if (!Array.isArray(o.subjects)) return;
  for (const s of o.subjects) {
    if (!s || typeof s !== 'object' || s.apiGroup) continue;
    // A ServiceAccount's stays "" (and so is left out, as omitempty leaves it).
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = 'rbac.authorization.k8s.io';
  }
}

/**
 * autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1, a CPU
 * utilization target of 80% when no metric is given, and a behavior given in
 * part completed from the controller's built-in scaling rules.
 */
function defaultHorizontalPodAutoscaler(o: Obj): void {
  // The v1 round-trip annotations never reach storage (DropRoundTripHorizontalPodAutoscalerAnnotations).
  const ann = o.metadata?.annotations;
  if (ann && typeof ann === 'object') {
    for (const k of ['autoscaling.alpha.kubernetes.io/metrics', 'autoscaling.alpha.kubernetes.io/current-metrics', 'autoscaling.alpha.kubernetes.io/conditions', 'autoscaling.alpha.kubernetes.io/behavior']) delete ann[k];
    if (!Object.keys(ann).length) delete o.metadata.annotations;
  }
  const spec = (o.spec ??= {});
  spec.minReplicas ??= 1;
  canonicalMetricTargets(spec.metrics);
  if (!Array.isArray(spec.metrics) || !spec.metrics.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const b = spec.behavior;
  if (b && typeof b === 'object') {
    const fill = (from: Obj | undefined, defaults: Obj): Obj => {
      const to = { ...defaults };
      // tolerance belongs to the HPAConfigurableTolerance gate, off by default in 1.34: the field is dropped.
      for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies']) if (from?.[k] !== undefined && from[k] !== null) to[k] = from[k];
      return to;
    };
    b.scaleUp = fill(b.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    // Scale-down's stabilization window stays unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization decides.
    b.scaleDown = fill(b.scaleDown, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  }
}

export function applyDefaults(storeId: string, obj: Obj): void {
  const f = byResource[storeId];
  if (f) f(obj);
}

/**
 * admissionregistration/v1 SetDefaults_ValidatingWebhook / MutatingWebhook,
 * SetDefaults_Rule and SetDefaults_ServiceReference: failurePolicy Fail,
 * matchPolicy Equivalent, empty selectors, a 10 s timeout, rules of scope
 * `*`, a service's port 443, and for mutating webhooks reinvocationPolicy Never.
 */
function defaultWebhooks(o: Obj, mutating: boolean): void {
  for (const w of Array.isArray(o.webhooks) ? o.webhooks : []) {
    if (!w || typeof w !== 'object') continue;
    w.failurePolicy ??= 'Fail';
    w.matchPolicy ??= 'Equivalent';
    w.namespaceSelector ??= {};
    w.objectSelector ??= {};
    w.timeoutSeconds ??= 10;
    if (mutating) w.reinvocationPolicy ??= 'Never';
    for (const r of Array.isArray(w.rules) ? w.rules : []) if (r && typeof r === 'object') r.scope ??= '*';
    const svc = w.clientConfig?.service;
    if (svc && typeof svc === 'object') svc.port ??= 443;
  }
}

/** SetDefaults_MatchResources (matchPolicy Equivalent, empty selectors) and its rules' scope `*`. */
function defaultMatchResources(mr: Obj | undefined): void {
  if (!mr || typeof mr !== 'object') return;
  mr.matchPolicy ??= 'Equivalent';
  mr.namespaceSelector ??= {};
  mr.objectSelector ??= {};
  for (const k of ['resourceRules', 'excludeResourceRules']) {
    for (const r of Array.isArray(mr[k]) ? mr[k] : []) if (r && typeof r === 'object') r.scope ??= '*';
  }
}
