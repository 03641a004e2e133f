/**
 * Admission webhooks, called as far as the playground can call them. For a
 * write that a Validating or Mutating WebhookConfiguration's rules match
 * (group, version, resource, operation, scope, namespace and object
 * selectors; never the webhook configurations themselves), the apiserver
 * posts to the webhook's Service. Here the post goes where the cluster's
 * network would take it:
 *
 * - no such Service, no ready endpoint, or nothing listening on the target
 *   port: the call fails, and with `failurePolicy: Fail` the write is refused
 *   with the dispatcher's words (`Internal error occurred: failed calling
 *   webhook "validate.nginx.ingress.kubernetes.io": failed to call webhook:
 *   Post "https://svc.ns.svc:443/path?timeout=10s": no endpoints available
 *   for service "svc"`), the error learners meet when a controller is not up yet;
 * - a server the playground knows answers as it would: the ingress-nginx
 *   controller (with `--validating-webhook`) refuses an Ingress of its class
 *   whose host and path another Ingress already has; any other server
 *   allows, changing nothing (its code is not run).
 *
 * Webhooks named by `clientConfig.url` (outside the cluster) are not called.
 * The subresources that create (pods/binding, pods/eviction, serviceaccounts/token) reach the webhooks whose rules
 * name them, with the subresource's own object (a policy/v1 Eviction for pods/eviction): mutating ones before the
 * REST storage reads the object, validating ones where it runs its createValidation.
 * So do the updates (and patches) of a subresource (pods/status, nodes/status, pods/ephemeralcontainers, pods/resize,
 * deployments/scale...): an UPDATE with subResource set, the object and oldObject the parent's (a Pod for
 * pods/status), except the scale subresource's, which are autoscaling/v1 Scales (ScaleREST.GroupVersionKind,
 * toScaleUpdateValidation). A rule must name the subresource: `pods` alone never matches pods/status.
 * Validating webhooks run after the object's own validation, as upstream's.
 */
import type { AdmissionPlugin } from './api';
import type { KObject, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import { internal, StatusError } from './status';
import { resourceForKind, type ResourceInfo } from './resources';
import { matchResources, ruleMatches, type RequestAttributes } from './policy/match';
import { SUBRESOURCE_KINDS } from './policy/vap';
import { getScale } from './scale';
import { admissionRequest } from './policy/request';
import { servingContainer } from '../kubelet/podhttp';
import { portEndpoints } from '../network/proxy';
import { controllerConfig, isIngressNginx } from '../kubelet/ingresssite';
import { servesIngress } from '../network/ingress';

const VALIDATING = 'admissionregistration.k8s.io/validatingwebhookconfigurations';
const MUTATING = 'admissionregistration.k8s.io/mutatingwebhookconfigurations';
const SLICES = 'discovery.k8s.io/endpointslices';

type Op = 'CREATE' | 'UPDATE';

/** ToStatusErr: a webhook's refusal, at least a 400, its message after who denied it. */
function denied(name: string, message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 400, reason: 'BadRequest', message: `admission webhook "${name}" denied the request: ${message}` } as any);
}

const listOf = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** One request as the dispatcher sees it: the resource named in the URL, the subresource, and the object's kind. */
interface Call {
  info: ResourceInfo;
  subresource: string;
  kind: { group: string; version: string; kind: string };
  op: Op;
  namespace: string;
  name: string;
  object: KObject;
  oldObject?: KObject;
  opts: WriteOptions;
}

/**
 * The AdmissionReview a webhook is posted (request.CreateV1AdmissionReview), less the uid the dispatcher draws for
 * each call: the request's resource and subresource (pods, eviction), the kind of the object it carries (policy/v1
 * Eviction for pods/eviction), the name and namespace of the URL, the operation's options and who asked.
 */
export function admissionReview(c: Call): KObject {
  const request = admissionRequest({ kind: { group: c.kind.group, version: c.kind.version, kind: c.kind.kind },
    resource: { group: c.info.group, version: c.info.version, resource: c.info.resource },
    subresource: c.subresource, name: c.name, namespace: c.namespace, operation: c.op,
    objects: { object: c.object, oldObject: c.oldObject } }, c.opts);
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request } as unknown as KObject;
}

/** The matchers' view of a call (the rule, namespace and object matchers the policies share with webhooks). */
function attributesOf(store: Store, c: Call): RequestAttributes {
  const ns = c.namespace;
  return {
    group: c.info.group, version: c.info.version, resource: c.info.resource, subresource: c.subresource, kind: c.kind.kind,
    namespaced: c.info.namespaced, namespace: ns, name: c.name, operation: c.op, object: c.object, oldObject: c.oldObject ?? null,
    namespaceLabels: () => (ns ? store.get('/namespaces', undefined, ns)?.metadata.labels ?? {} : undefined),
  };
}

/**
 * Whether a webhook is called for this request (webhook/predicates: rules with their subresources as rules.go reads
 * them, so `pods` leaves pods/eviction out and `pods/eviction`, `pods/*`, `* /eviction` take it in; then the
 * namespace and object selectors, the object being the subresource's own, an Eviction's labels not its pod's).
 */
function webhookMatches(w: any, a: RequestAttributes): boolean {
  const anyVersion = w?.matchPolicy !== 'Exact';
  if (!listOf(w?.rules).some((r) => r && typeof r === 'object' && ruleMatches(r, a, anyVersion))) return false;
  return matchResources({ namespaceSelector: w.namespaceSelector, objectSelector: w.objectSelector }, a, true);
}

/** What the apiserver's post to a Service-backed webhook meets: the serving pod, or why the post fails. */
function reach(store: Store, svcRef: any): { pod: KObject } | { error: string } {
  const ns = String(svcRef.namespace ?? 'default');
  const name = String(svcRef.name ?? '');
  const svc = store.get('/services', ns, name);
  if (!svc) return { error: `service "${name}" not found` };
  const port = Number(svcRef.port ?? 443);
  const sp = listOf(svc.spec?.ports).find((p) => p?.port === port);
  if (!sp) return { error: `no service port ${port} found for service "${name}"` };
  const slices = [...store.list(SLICES, ns)].filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
  for (const { ep, port: target } of portEndpoints(slices, sp.name ?? '').ready) {
    const pod = ep.targetRef?.name ? store.get('/pods', ep.targetRef.namespace ?? ns, ep.targetRef.name) : undefined;
    if (!pod) continue;
    if (servingContainer(pod, target)) return { pod };
    return { error: `dial tcp ${ep.addresses[0]}:${target}: connect: connection refused` };
  }
  return { error: `no endpoints available for service "${name}"` };
}

/**
 * ingress-nginx's admission check of an Ingress (checkOverlap): of its own
 * class only, a host and path another Ingress of the class already has is
 * refused, naming that Ingress.
 */
function ingressNginxReview(store: Store, server: KObject, ing: KObject): string | undefined {
  const container = listOf(server.spec?.containers).find(isIngressNginx);
  if (!container) return undefined;
  const cfg = controllerConfig(container);
  const classes = new Map([...store.list('networking.k8s.io/ingressclasses')].map((c) => [c.metadata.name!, c]));
  if (!servesIngress(cfg, ing, classes)) return undefined;
  const others = [...store.list('networking.k8s.io/ingresses')]
    .filter((o) => !(o.metadata.namespace === ing.metadata.namespace && o.metadata.name === ing.metadata.name) && servesIngress(cfg, o, classes))
    .sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1));
  for (const rule of listOf(ing.spec?.rules)) {
    const host = String(rule?.host || '_');
    for (const p of listOf(rule?.http?.paths)) {
      const path = String(p?.path || '/');
      for (const o of others) {
        const clash = listOf(o.spec?.rules).some((r) => String(r?.host || '_') === host && listOf(r?.http?.paths).some((q) => String(q?.path || '/') === path));
        if (clash) return `host "${host}" and path "${path}" is already defined in ingress ${o.metadata.namespace}/${o.metadata.name}`;
      }
    }
  }
  return undefined;
}

/**
 * The admission plugin: mutating webhooks at admission, validating ones after the object's validation.
 * `posted` sees each review the dispatcher posts to a server it reached (a test's window on the call).
 */
export function webhookAdmission(store: Store, posted?: (webhook: string, review: KObject) => void): AdmissionPlugin {
  const run = (table: string, c: Call) => {
    // The scheduler binds every pod through here: with no configuration stored, this is all it costs.
    if (store.count(table) === 0 || c.info.group === 'admissionregistration.k8s.io') return;
    let a: RequestAttributes | undefined;
    for (const cfg of store.list(table)) {
      for (const w of listOf(cfg.webhooks)) {
        if (!webhookMatches(w, (a ??= attributesOf(store, c)))) continue;
        const svcRef = w.clientConfig?.service;
        if (!svcRef) continue;
        const to = reach(store, svcRef);
        if ('error' in to) {
          if ((w.failurePolicy ?? 'Fail') === 'Ignore') continue;
          const url = `https://${svcRef.name}.${svcRef.namespace}.svc:${svcRef.port ?? 443}${svcRef.path ?? ''}?timeout=${w.timeoutSeconds ?? 10}s`;
          throw internal(`failed calling webhook "${w.name}": failed to call webhook: Post "${url}": ${to.error}`);
        }
        const review = admissionReview(c);
        posted?.(String(w.name), review);
        const no = table === VALIDATING ? serverReview(store, to.pod, review) : undefined;
        if (no) throw denied(String(w.name), no);
      }
    }
  };
  /**
   * A write of an object through its own resource, or an update through one of its subresources (the kubelet's
   * pods/status writes come here: with no configuration stored, the table-size check is all they cost).
   */
  const onObject = (table: string, op: Op, obj: KObject, old: KObject | undefined, opts: WriteOptions, subresource: string | undefined) => {
    if (store.count(table) === 0) return;
    const info = resourceForKind(String(obj.apiVersion ?? ''), String(obj.kind ?? ''), store);
    if (!info) return;
    // The scale subresource's updates reach the pipeline as the parent's, marked by their managed-fields subresource.
    const sub = subresource || (opts.managedSubresource === 'scale' ? 'scale' : '');
    let kind = { group: info.group, version: info.version, kind: info.kind };
    let object = obj;
    let oldObject = old;
    if (sub === 'scale') {
      // ScaleREST.GroupVersionKind: autoscaling/v1 Scale for apps/v1, replicationcontrollers and custom resources; the
      // admission chain sees the old and new Scale, not the parent (scaleUpdatedObjectInfo, toScaleUpdateValidation).
      kind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
      object = getScale(info, obj);
      oldObject = old && getScale(info, old);
    }
    run(table, { info, subresource: sub, kind, op, namespace: info.namespaced ? obj.metadata.namespace ?? '' : '', name: obj.metadata.name ?? '', object, oldObject, opts });
  };
  /**
   * A create through pods/binding, pods/eviction or serviceaccounts/token (or the legacy bindings resource): the
   * webhooks see the subresource's object, of its storage's kind (policy/v1 Eviction), with the URL's name.
   */
  const onSubresource = (table: string, info: ResourceInfo, subresource: string, namespace: string | undefined, name: string, obj: KObject, opts: WriteOptions) => {
    if (store.count(table) === 0) return;
    const kind = subresource ? SUBRESOURCE_KINDS[`${info.group}/${info.resource}/${subresource}`] : { group: info.group, version: info.version, kind: info.kind };
    if (!kind) return;
    const meta = obj?.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
    const object = { ...(obj ?? {}), apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version, kind: kind.kind, metadata: namespace && info.namespaced ? { ...meta, namespace } : meta } as KObject;
    run(table, { info, subresource, kind, op: 'CREATE', namespace: namespace ?? '', name, object, opts });
  };
  return {
    name: 'Webhooks',
    admit(op, obj, old, opts, subresource) {
      onObject(MUTATING, op, obj, old, opts, subresource);
    },
    validate(op, obj, old, opts, subresource) {
      onObject(VALIDATING, op, obj, old, opts, subresource);
    },
    admitCreateSubresource(info, subresource, namespace, name, obj, opts) {
      onSubresource(MUTATING, info, subresource, namespace, name, obj, opts);
    },
    validateCreateSubresource(info, subresource, namespace, name, obj, opts) {
      onSubresource(VALIDATING, info, subresource, namespace, name, obj, opts);
    },
  };
}

/** What a server the playground knows answers to a review: a refusal's message, or nothing (allowed). */
function serverReview(store: Store, server: KObject, review: KObject): string | undefined {
  const obj = (review as any).request?.object as KObject | undefined;
  if (obj?.kind === 'Ingress' && (review as any).request?.subResource === undefined) return ingressNginxReview(store, server, obj);
  return undefined;
}
