/**
 * The cross-object checks of names one object gives another: an autoscaler's
 * target, an Ingress's backends and class, the ConfigMaps, Secrets, PVCs and
 * ServiceAccounts a pod spec names (checks.ts runs them).
 */
import type { FieldPath, Finding } from '../rules/types';
import type { CrossEnv } from './env';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);


/**
 * An autoscaler with a utilization target needs a request for that resource
 * in every container of its target's pods (upstream's calculateRequests:
 * regular containers and native sidecars). Without one it never computes a
 * replica count (`missing request for cpu in container web of Pod …`), and
 * `kubectl get hpa` shows `<unknown>/50%` for ever.
 */
export interface AutoscalerFacts {
  /** The target's kind and name (scaleTargetRef). */
  kind: string;
  name: string;
  /** The utilization targets: where each is, and the resource (of one container, or of all) it needs a request for. */
  wanted: { path: FieldPath; resource: string; container?: string }[];
}

export function autoscalerFacts(hpa: Obj): AutoscalerFacts | undefined {
  const spec = rec(hpa.spec);
  const ref = rec(spec?.scaleTargetRef);
  if (!spec || typeof ref?.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  // Utilization targets: v2's Resource/ContainerResource metrics, or v1's targetCPUUtilizationPercentage (80% CPU by default).
  const wanted: AutoscalerFacts['wanted'] = [];
  const v1 = typeof hpa.apiVersion === 'string' && hpa.apiVersion.endsWith('/v1');
  if (v1) wanted.push({ path: spec.targetCPUUtilizationPercentage !== undefined ? ['spec', 'targetCPUUtilizationPercentage'] : ['spec', 'scaleTargetRef'], resource: 'cpu' });
  else if (!arr(spec.metrics).length) wanted.push({ path: ['spec', 'scaleTargetRef'], resource: 'cpu' });
  arr(spec.metrics).forEach((m, i) => {
    const mr = rec(m);
    const src = mr?.type === 'Resource' ? rec(mr.resource) : mr?.type === 'ContainerResource' ? rec(mr.containerResource) : undefined;
    if (!src || typeof src.name !== 'string' || rec(src.target)?.averageUtilization === undefined) return;
    const key = mr!.type === 'Resource' ? 'resource' : 'containerResource';
    wanted.push({ path: ['spec', 'metrics', i, key, 'target', 'averageUtilization'], resource: src.name, container: typeof src.container === 'string' ? src.container : undefined });
  });
  return { kind: ref.kind, name: ref.name, wanted };
}

export function autoscalerChecks(hpa: AutoscalerFacts, namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  const target = env.find(hpa.kind, hpa.name, namespace);
  const template = target?.podTemplate;
  // Containers misspelt or unreadable: their own diagnostics come first, what they request is unknown.
  if (!template || template.unsure?.containers) return;
  const wanted = hpa.wanted;
  for (const w of wanted) {
    const missing = template.containers.find((c) => !c.initOnly && (!w.container || c.name === w.container) && !c.requests.includes(w.resource));
    if (!missing) continue;
    push({ code: 'autoscaler-missing-request', severity: 'warning', path: w.path,
      message: `Container "${missing.name}" of ${target!.kind} ${target!.name} requests no ${w.resource}: the autoscaler cannot compute ${w.resource} utilization ` +
        `("missing request for ${w.resource} in container ${missing.name}") and never scales; kubectl get hpa shows <unknown>.`,
      data: { resource: w.resource, container: missing.name } });
  }
}

/**
 * An Ingress's backends against the workspace's Services: a Service nothing
 * defines (information: it may exist in the cluster), and a port the Service
 * does not have (a warning: ingress-nginx finds no endpoints and answers 503).
 */
export interface IngressFacts {
  /** It names no class, by field or annotation. */
  noClass: boolean;
  /** Its backends that name a Service: where, the name, and the port (`number` or `name`) when it gives one. */
  backends: { path: FieldPath; name: string; port?: { number: unknown; name: unknown } }[];
}

export function ingressFacts(ing: Obj): IngressFacts | undefined {
  const spec = rec(ing.spec);
  if (!spec) return undefined;
  const annotations = rec(rec(ing.metadata)?.annotations);
  const noClass = (spec.ingressClassName === undefined || spec.ingressClassName === null) && !(annotations && 'kubernetes.io/ingress.class' in annotations);
  const backends: IngressFacts['backends'] = [];
  const add = (path: FieldPath, backend: Obj) => {
    const svc = rec(backend.service);
    if (typeof svc?.name !== 'string' || !svc.name) return;
    const port = rec(svc.port);
    backends.push({ path, name: svc.name, port: port && { number: port.number, name: port.name } });
  };
  const dflt = rec(spec.defaultBackend);
  if (dflt) add(['spec', 'defaultBackend'], dflt);
  arr(spec.rules).forEach((r, i) => arr(rec(rec(r)?.http)?.paths).forEach((p, j) => {
    const b = rec(rec(p)?.backend);
    if (b) add(['spec', 'rules', i, 'http', 'paths', j, 'backend'], b);
  }));
  return { noClass, backends };
}

export function ingressChecks(ing: IngressFacts, namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  // No class at all: controllers pass it by, unless a default IngressClass gives it one when it is created.
  if (ing.noClass && !env.hasDefaultIngressClass()) {
    push({ code: 'ingress-no-class', severity: 'information', path: ['spec'], target: 'key',
      message: 'This Ingress names no class (spec.ingressClassName), and no IngressClass in the workspace is the default: ingress-nginx and most controllers leave it alone, so it gets no address and routes nothing. Name the class, e.g. ingressClassName: nginx.',
      data: { className: 'nginx' } });
  }
  for (const { path, name, port } of ing.backends) {
    const found = env.find('Service', name, namespace);
    if (!found) {
      push({ code: 'missing-reference', severity: 'information', path: [...path, 'service', 'name'],
        message: `No Service named "${name}" is defined in the workspace (it may exist in the cluster). Until it exists, the ingress controller answers 503 for this backend.`,
        data: { kind: 'Service', name: name } });
      continue;
    }
    const ports = found.servicePorts ?? [];
    if (!port || !ports.length) continue;
    const list = ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
    if (typeof port.number === 'number' && !ports.some((p) => p.port === port.number)) {
      push({ code: 'ingress-backend-port', severity: 'warning', path: [...path, 'service', 'port', 'number'],
        message: `Service "${name}" has no port ${port.number} (its ports: ${list}): the ingress controller finds no endpoints for this backend and answers 503.`,
        data: { service: name, ports: ports.map((p) => p.port) } });
    } else if (typeof port.name === 'string' && port.name && !ports.some((p) => p.name === port.name)) {
      push({ code: 'ingress-backend-port', severity: 'warning', path: [...path, 'service', 'port', 'name'],
        message: `Service "${name}" has no port named "${port.name}" (its ports: ${list}): the ingress controller finds no endpoints for this backend and answers 503.`,
        data: { service: name, ports: ports.map((p) => p.port) } });
    }
  }
}

/** One name a pod spec gives another object: where, which kind, and what happens on a cluster without it. */
export interface PodRef { path: FieldPath; kind: string; name: string; without?: string }

const word = (kind: string) => (kind === 'ConfigMap' ? 'configmap' : 'secret');

/**
 * Whether a pod spec names an object there (optional references left out); asked before a reference's path is
 * built, as most pod specs name few objects and validate reads 100,000. Every namespace has the
 * kube-root-ca.crt ConfigMap (which a pod's kube-api-access volume names).
 */
const names = (kind: string, name: unknown, optional?: unknown): name is string =>
  optional !== true && typeof name === 'string' && name !== '' && !(kind === 'ConfigMap' && name === 'kube-root-ca.crt');
const mount = (vol: Obj, kind: string, n: string) => `Until it exists the kubelet does not start the pod (ContainerCreating): MountVolume.SetUp failed for volume "${String(vol.name)}" : ${word(kind)} "${n}" not found.`;
const config = (ctr: Obj, kind: string, n: string) => `Until it exists container "${String(ctr.name)}" does not start: CreateContainerConfigError (${word(kind)} "${n}" not found).`;

/** Where pod specs name other objects (optional references left out: the kubelet does without them). */
export function references(spec: Obj, specPath: FieldPath): PodRef[] {
  const refs: PodRef[] = [];
  const add = (path: FieldPath, kind: string, name: string, without?: string) => refs.push({ path: [...specPath, ...path], kind, name, without });
  arr(spec.volumes).forEach((v, i) => {
    const vol = rec(v);
    if (!vol) return;
    const cm = rec(vol.configMap);
    const sec = rec(vol.secret);
    if (names('ConfigMap', cm?.name, cm?.optional)) add(['volumes', i, 'configMap', 'name'], 'ConfigMap', cm!.name as string, mount(vol, 'ConfigMap', cm!.name as string));
    if (names('Secret', sec?.secretName, sec?.optional)) add(['volumes', i, 'secret', 'secretName'], 'Secret', sec!.secretName as string, mount(vol, 'Secret', sec!.secretName as string));
    const claim = rec(vol.persistentVolumeClaim)?.claimName;
    if (names('PersistentVolumeClaim', claim)) add(['volumes', i, 'persistentVolumeClaim', 'claimName'], 'PersistentVolumeClaim', claim);
    arr(rec(vol.projected)?.sources).forEach((src, j) => {
      const pcm = rec(rec(src)?.configMap);
      const psec = rec(rec(src)?.secret);
      if (names('ConfigMap', pcm?.name, pcm?.optional)) add(['volumes', i, 'projected', 'sources', j, 'configMap', 'name'], 'ConfigMap', pcm!.name as string, mount(vol, 'ConfigMap', pcm!.name as string));
      if (names('Secret', psec?.name, psec?.optional)) add(['volumes', i, 'projected', 'sources', j, 'secret', 'name'], 'Secret', psec!.name as string, mount(vol, 'Secret', psec!.name as string));
    });
  });
  for (const list of ['containers', 'initContainers'] as const) {
    arr(spec[list]).forEach((c, i) => {
      const ctr = rec(c);
      if (!ctr) return;
      arr(ctr.env).forEach((e, j) => {
        const vf = rec(rec(e)?.valueFrom);
        if (!vf) return;
        const cmk = rec(vf.configMapKeyRef);
        const sk = rec(vf.secretKeyRef);
        if (names('ConfigMap', cmk?.name, cmk?.optional)) add([list, i, 'env', j, 'valueFrom', 'configMapKeyRef', 'name'], 'ConfigMap', cmk!.name as string, config(ctr, 'ConfigMap', cmk!.name as string));
        if (names('Secret', sk?.name, sk?.optional)) add([list, i, 'env', j, 'valueFrom', 'secretKeyRef', 'name'], 'Secret', sk!.name as string, config(ctr, 'Secret', sk!.name as string));
      });
      arr(ctr.envFrom).forEach((e, j) => {
        const cr = rec(rec(e)?.configMapRef);
        const sr = rec(rec(e)?.secretRef);
        if (names('ConfigMap', cr?.name, cr?.optional)) add([list, i, 'envFrom', j, 'configMapRef', 'name'], 'ConfigMap', cr!.name as string, config(ctr, 'ConfigMap', cr!.name as string));
        if (names('Secret', sr?.name, sr?.optional)) add([list, i, 'envFrom', j, 'secretRef', 'name'], 'Secret', sr!.name as string, config(ctr, 'Secret', sr!.name as string));
      });
    });
  }
  arr(spec.imagePullSecrets).forEach((s, i) => {
    const name = rec(s)?.name;
    if (names('Secret', name)) add(['imagePullSecrets', i, 'name'], 'Secret', name, 'The kubelet pulls without it and warns (FailedToRetrieveImagePullSecret); a private image then fails to pull.');
  });
  // Every namespace has the `default` account. An empty serviceAccountName gives way to the deprecated serviceAccount, as the v1 conversion does.
  const sa = spec.serviceAccountName || spec.serviceAccount;
  if (sa !== 'default' && names('ServiceAccount', sa)) add([spec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount'], 'ServiceAccount', sa);
  return refs;
}

/** References per parsed pod spec; the model hands out the same value objects while a document is unchanged. */
const refCache = new WeakMap<Obj, PodRef[]>();

export function cachedReferences(spec: Obj, specPath: FieldPath): readonly PodRef[] {
  let refs = refCache.get(spec);
  if (!refs) refCache.set(spec, (refs = references(spec, specPath)));
  return refs;
}

export function referenceChecks(refs: readonly PodRef[], namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  for (const r of refs) {
    if (env.find(r.kind, r.name, namespace)) continue;
    push({ code: 'missing-reference', severity: 'information', path: r.path,
      message: r.kind === 'ServiceAccount'
        ? `No ServiceAccount named "${r.name}" is defined in the workspace (it may exist in the cluster). Without it the apiserver refuses the pods: error looking up service account …: serviceaccount "${r.name}" not found.`
        : `No ${r.kind} named "${r.name}" is defined in the workspace (it may exist in the cluster).${r.without ? ` ${r.without}` : ''}`, data: { kind: r.kind, name: r.name } });
  }
}
