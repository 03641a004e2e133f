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
 * Validating webhooks run after the object's own validation, as upstream's.
 */
import type { AdmissionPlugin } from './api';
import type { KObject } from '../contract';
import type { Store } from '../store/store';
import { labelSelectorMatches } from '../../../kube/src/labels';
import { internal, StatusError } from './status';
import { resourceForKind } from './resources';
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
const has = (list: unknown, v: string) => listOf(list).some((x) => x === '*' || x === v);

/** Whether one of the webhook's rules covers this request. */
function ruleMatches(w: any, group: string, version: string, resource: string, op: Op, namespaced: boolean): boolean {
  return listOf(w?.rules).some((r) => {
    if (!r || !has(r.apiGroups, group) || !has(r.operations, op)) return false;
    // matchPolicy Equivalent: another version of the same resource matches too.
    if (!has(r.apiVersions, version) && w.matchPolicy === 'Exact') return false;
    if (!has(r.resources, resource)) return false;
    const scope = r.scope ?? '*';
    return scope === '*' || (scope === 'Namespaced') === namespaced;
  });
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

/** The admission plugin: mutating webhooks at admission, validating ones after the object's validation. */
export function webhookAdmission(store: Store): AdmissionPlugin {
  const run = (table: string, op: Op, obj: KObject, old: KObject | undefined) => {
    const configs = store.list(table);
    let any = false;
    for (const _ of configs) { any = true; break; }
    if (!any) return;
    const info = resourceForKind(String(obj.apiVersion ?? ''), String(obj.kind ?? ''));
    if (!info || info.group === 'admissionregistration.k8s.io') return;
    const nsLabels = info.namespaced ? store.get('/namespaces', undefined, obj.metadata.namespace ?? '')?.metadata.labels ?? {} : obj.kind === 'Namespace' ? obj.metadata.labels ?? {} : undefined;
    for (const cfg of store.list(table)) {
      for (const w of listOf(cfg.webhooks)) {
        if (!ruleMatches(w, info.group, info.version, info.resource, op, info.namespaced)) continue;
        if (nsLabels && !labelSelectorMatches(w.namespaceSelector ?? {}, nsLabels)) continue;
        if (!labelSelectorMatches(w.objectSelector ?? {}, obj.metadata.labels ?? {}) && !(old && labelSelectorMatches(w.objectSelector ?? {}, old.metadata.labels ?? {}))) continue;
        const svcRef = w.clientConfig?.service;
        if (!svcRef) continue;
        const to = reach(store, svcRef);
        if ('error' in to) {
          if ((w.failurePolicy ?? 'Fail') === 'Ignore') continue;
          const url = `https://${svcRef.name}.${svcRef.namespace}.svc:${svcRef.port ?? 443}${svcRef.path ?? ''}?timeout=${w.timeoutSeconds ?? 10}s`;
          throw internal(`failed calling webhook "${w.name}": failed to call webhook: Post "${url}": ${to.error}`);
        }
        if (table === VALIDATING && obj.kind === 'Ingress') {
          const no = ingressNginxReview(store, to.pod, obj);
          if (no) throw denied(String(w.name), no);
        }
      }
    }
  };
  return {
    name: 'Webhooks',
    admit(op, obj, old, _opts, subresource) {
      if (!subresource) run(MUTATING, op, obj, old);
    },
    validate(op, obj, old, _opts, subresource) {
      if (!subresource) run(VALIDATING, op, obj, old);
    },
  };
}
