/**
 * Checks across objects, in the same file and the workspace: a Service
 * selector that matches no pod template, a targetPort name no selected
 * container has, a target port (or probe port) the image does not listen on,
 * and references to ConfigMaps, Secrets, PVCs and ServiceAccounts that nothing
 * in the workspace defines (information only: they may exist in a cluster).
 *
 * Runs on every diagnostics pass, so it only reads the index and the model's
 * already-parsed values.
 */
import type { Finding } from '../../../kube/src/rules/types';
import type { FieldPath, KubeObject, Model, ModelDocument } from './model';
import { CrossEnv } from './diagnosticsCrossEnv';
import { evaluatePod, forbiddenDetail, lvString } from '../../../kube/src/podSecurity';
import { knownRootImage } from '../../../kube/src/imageConvention';
import { quotaMatchesScopes } from '../../../kube/src/quota';
import { isPodLevelResourcesSet } from '../../../kube/src/podResources';
import { networkPolicyChecks } from './diagnosticsNetpol';
import { imageListens, indexModel, sameNamespace, type IndexedObject, type WorkspaceIndex } from './workspace';

export interface CrossFinding {
  doc: ModelDocument;
  finding: Finding;
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const POD_SPEC_PATHS: Record<string, FieldPath> = {
  Pod: ['spec'], PodTemplate: ['template', 'spec'], Deployment: ['spec', 'template', 'spec'], ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'], DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function at(v: unknown, path: FieldPath): unknown {
  let cur = v;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** One environment per document URI (what "the rest of the workspace" is differs per document). */
const envs = new Map<string, CrossEnv>();
/** Per object value: its findings against an environment version. */
const results = new WeakMap<Obj, { env: CrossEnv; version: number; findings: Finding[] }>();

export function crossObjectFindings(model: Model, workspace?: WorkspaceIndex): CrossFinding[] {
  const out: CrossFinding[] = [];
  const { docs } = crossFindingsByDocument(model, workspace);
  docs.forEach((findings, i) => {
    for (const finding of findings) out.push({ doc: model.documents[i], finding });
  });
  return out;
}

/** Per model: the findings of each document against one environment version. */
const perModel = new WeakMap<Model, { env: CrossEnv; version: number; docs: Finding[][] }>();
const NONE: Finding[] = [];

/**
 * The findings of each document of `model`, in document order, and the
 * environment version they were computed against. While that version stays
 * put, a version built from the previous one takes the previous one's
 * findings for the documents it shares (see Model.reuse) and looks only at
 * the documents in between.
 */
export function crossFindingsByDocument(model: Model, workspace?: WorkspaceIndex): { env: CrossEnv; version: number; docs: Finding[][] } {
  const lists: IndexedObject[][] = [];
  if (workspace?.listsExcept) lists.push(...workspace.listsExcept(model.uri));
  else if (workspace) lists.push([...workspace.objects()].filter((o) => o.uri !== model.uri));
  lists.push(indexModel(model));
  let env = envs.get(model.uri);
  if (!env) envs.set(model.uri, (env = new CrossEnv(model.uri)));
  env.update(lists);
  const mine = perModel.get(model);
  if (mine && mine.env === env && mine.version === env.version) return mine;
  const r = model.reuse;
  const prev = r && perModel.get(r.prev);
  let docs: Finding[][];
  if (r && prev && prev.env === env && prev.version === env.version) {
    const backReused = r.backOld < r.prev.documents.length;
    docs = prev.docs.slice(0, r.front);
    for (let i = r.front, end = backReused ? r.backNew : model.documents.length; i < end; i++) docs.push(documentFindings(model.documents[i], env));
    if (backReused) docs = docs.concat(prev.docs.slice(r.backOld));
  } else {
    docs = model.documents.map((d) => documentFindings(d, env!));
  }
  const result = { env, version: env.version, docs };
  perModel.set(model, result);
  return result;
}

function documentFindings(doc: ModelDocument, env: CrossEnv): Finding[] {
  // Unchanged documents are the same ModelDocument: reuse their findings without touching their objects.
  let cached = perDoc.get(doc);
  if (!cached || cached.env !== env || cached.version !== env.version) {
    const findings: Finding[] = [];
    for (const object of doc.objects) findings.push(...objectFindings(object, env));
    perDoc.set(doc, (cached = { env, version: env.version, findings: findings.length ? findings : NONE }));
  }
  return cached.findings;
}

const perDoc = new WeakMap<ModelDocument, { env: CrossEnv; version: number; findings: Finding[] }>();

function objectFindings(object: KubeObject, env: CrossEnv): Finding[] {
  const kind = object.kind;
  if (!kind || !object.kindInfo) return [];
  let r = results.get(object.value);
  if (!r || r.env !== env || r.version !== env.version) {
    const findings: Finding[] = [];
    const push = (f: Finding) => findings.push({ ...f, path: [...object.path, ...f.path] });
    if (kind === 'Service') serviceChecks(object.value, object.namespace, env, push);
    if (kind === 'HorizontalPodAutoscaler') autoscalerChecks(object.value, object.namespace, env.defined, push);
    if (kind === 'Ingress') ingressChecks(object.value, object.namespace, env.defined, push);
    if (kind === 'NetworkPolicy' && rec(object.value.spec)) networkPolicyChecks(rec(object.value.spec)!, object.name ?? '', object.namespace, env, push);
    const specPath = POD_SPEC_PATHS[kind];
    if (specPath) referenceChecks(object.value, specPath, object.namespace, env.defined, push);
    if (specPath) probePortChecks(object.value, specPath, push);
    if (specPath) runAsRootChecks(object.value, specPath, push);
    if (specPath && env.quotas.size) quotaChecks(object.value, specPath, object.namespace, env, push);
    if (specPath && env.podSecurity.size && object.namespace) podSecurityChecks(object.value, kind, specPath, object.namespace, env, push);
    results.set(object.value, (r = { env, version: env.version, findings }));
  }
  return r.findings;
}

/**
 * A ResourceQuota in the workspace that tracks `requests.cpu`, `limits.memory`
 * and the like makes quota admission refuse every pod with a container that
 * states no such value (`failed quota: q: must specify …`), unless a
 * LimitRange of the namespace fills it in. Said per container, with the
 * apiserver's words for the pod.
 */
function quotaChecks(obj: Obj, specPath: FieldPath, namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  const spec = rec(at(obj, specPath));
  // With pod-level resources the quota asks nothing of the containers (podEvaluator.Constraints).
  if (!spec || isPodLevelResourcesSet(spec)) return;
  // A namespace-wide policy applies where it surely shares the namespace: both name the same one, or the same file
  // (applied together) leaves it to `kubectl -n`. A quota elsewhere in a folder of unrelated examples is not this one's.
  const governs = (o: IndexedObject) => (o.namespace && namespace ? o.namespace === namespace : o.uri === env.uri && sameNamespace(o.namespace, namespace));
  const defRequests = new Set<string>();
  const defLimits = new Set<string>();
  for (const lr of env.limitRanges) {
    if (!governs(lr)) continue;
    for (const k of lr.limitDefaults!.requests) defRequests.add(k);
    for (const k of lr.limitDefaults!.limits) defLimits.add(k);
  }
  const containers: { list: string; i: number; name: string; requests: Set<string>; limits: Set<string> }[] = [];
  for (const list of ['containers', 'initContainers']) {
    arr(spec[list]).forEach((c, i) => {
      const res = rec(rec(c)?.resources);
      const limits = new Set([...Object.keys(rec(res?.limits) ?? {}), ...defLimits]);
      // A limit alone is also the request (the pod's defaulting copies it).
      const requests = new Set([...Object.keys(rec(res?.requests) ?? {}), ...Object.keys(rec(res?.limits) ?? {}), ...defRequests]);
      containers.push({ list, i, name: String(rec(c)?.name ?? ''), requests, limits });
    });
  }
  const supplies = (c: (typeof containers)[number], key: string) => {
    const [side, res] = key.includes('.') ? key.split('.') : ['requests', key];
    return (side === 'limits' ? c.limits : c.requests).has(res);
  };
  for (const q of env.quotas) {
    // A scoped quota (NotBestEffort, Terminating, a PriorityClass…) leaves the pods outside its scopes alone.
    if (!governs(q) || (q.quotaScopes && !quotaMatchesScopes(q.quotaScopes, { spec }))) continue;
    const missing = new Map<string, string[]>();
    for (const c of containers) for (const k of q.quotaRequires!) if (!supplies(c, k)) missing.set(k, [...(missing.get(k) ?? []), c.name]);
    if (!missing.size) continue;
    const upstream = `failed quota: ${q.name}: must specify ${[...missing.keys()].sort().map((k) => `${k} for: ${[...new Set(missing.get(k))].sort().join(',')}`).join('; ')}`;
    const where = q.namespace ? ` in namespace "${q.namespace}"` : '';
    for (const c of containers) {
      const lacks = [...missing.keys()].filter((k) => !supplies(c, k)).sort();
      if (!lacks.length) continue;
      push({ code: 'quota-must-specify', severity: 'warning', path: [...specPath, c.list, c.i, 'name'],
        message: `The ResourceQuota "${q.name}"${where} tracks ${lacks.join(', ')}, which this container does not set, so the apiserver refuses its pods: "${upstream}". Set them under resources, or give the namespace a LimitRange with defaults.`,
        data: { quota: q.name, missing: lacks } });
    }
  }
}

/**
 * runAsNonRoot (the container's or the pod's) on an image the convention
 * knows runs as root, with no runAsUser: the kubelet's verifyRunAsNonRoot
 * refuses to start the container (CreateContainerConfigError), on a cluster
 * as in the playground.
 */
function runAsRootChecks(obj: Obj, specPath: FieldPath, push: (f: Finding) => void): void {
  const spec = rec(at(obj, specPath));
  if (!spec) return;
  const pod = rec(spec.securityContext) ?? {};
  for (const list of ['initContainers', 'containers']) {
    arr(spec[list]).forEach((c, i) => {
      const ctr = rec(c);
      if (!ctr || typeof ctr.image !== 'string') return;
      const sc = rec(ctr.securityContext) ?? {};
      const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      const user = sc.runAsUser ?? pod.runAsUser;
      if (nonRoot !== true || user !== undefined || !knownRootImage(ctr.image)) return;
      push({ code: 'run-as-root-image', severity: 'warning', path: [...specPath, list, i, 'image'],
        message: `${ctr.image} runs as root, so with runAsNonRoot the kubelet refuses to start this container (CreateContainerConfigError: container has runAsNonRoot and image will run as root). `
          + 'Use an image built to run as a non-root user (for nginx, nginxinc/nginx-unprivileged), or set a runAsUser the image can run as.' });
    });
  }
}

/**
 * The pod spec as the restricted quick fix (codeActions.ts restrictedFix) leaves it: the settings restricted asks
 * for added where they are missing, nothing that is set changed. The fix is offered only when this passes.
 */
function withRestrictedDefaults(spec: Obj): Obj {
  const s = JSON.parse(JSON.stringify(spec)) as Obj;
  for (const list of ['initContainers', 'containers']) {
    for (const c of arr(s[list])) {
      const ctr = rec(c);
      if (!ctr) continue;
      const sc = rec(ctr.securityContext);
      if (!sc || !Object.keys(sc).length) {
        ctr.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
        continue;
      }
      if (sc.allowPrivilegeEscalation === undefined) sc.allowPrivilegeEscalation = false;
      const caps = rec(sc.capabilities);
      if (!caps || !Object.keys(caps).length) sc.capabilities = { drop: ['ALL'] };
      else if (caps.drop === undefined) caps.drop = ['ALL'];
    }
  }
  const podSc = rec(s.securityContext);
  if (!podSc || !Object.keys(podSc).length) s.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
  else {
    if (podSc.runAsNonRoot === undefined) podSc.runAsNonRoot = true;
    if (podSc.seccompProfile === undefined) podSc.seccompProfile = { type: 'RuntimeDefault' };
  }
  return s;
}

/**
 * A pod, or a workload's pod template, in a namespace of the workspace that
 * enforces (or warns at) a Pod Security level it breaks: the apiserver
 * refuses the pod, or every pod of the workload (FailedCreate events and no
 * pods), with the PodSecurity plugin's words. Said only when the object names
 * the namespace: where a namespace-less manifest lands is kubectl's choice.
 */
function podSecurityChecks(obj: Obj, kind: string, specPath: FieldPath, namespace: string, env: CrossEnv, push: (f: Finding) => void): void {
  const set = env.podSecurity.get(namespace);
  if (!set) return;
  const nsObj = [...set][0];
  const policy = nsObj.podSecurity!;
  const template = kind === 'Pod' ? obj : rec(at(obj, specPath.slice(0, -1)));
  const meta = rec(template?.metadata) ?? {};
  const spec = rec(at(obj, specPath)) ?? {};
  const enforced = evaluatePod(policy.enforce, meta, spec);
  const failures = enforced.length ? enforced : evaluatePod(policy.warn, meta, spec);
  if (!failures.length) return;
  const lv = lvString(enforced.length ? policy.enforce : policy.warn);
  const words = `${enforced.length ? '' : 'would '}violate${enforced.length ? 's' : ''} PodSecurity "${lv}": ${forbiddenDetail(failures)}`;
  const what = kind === 'Pod' ? 'the apiserver refuses this pod' : `the apiserver refuses every pod of this ${kind} (FailedCreate events, no pods)`;
  const message = enforced.length
    ? `Namespace "${namespace}" enforces Pod Security "${lv}", so ${what}: ${words}`
    : `Namespace "${namespace}" warns at Pod Security "${lv}": ${words}`;
  const level = enforced.length ? policy.enforce : policy.warn;
  const fixable = evaluatePod(level, meta, withRestrictedDefaults(spec)).length === 0;
  // After the fix the kubelet refuses an image that runs as root (runAsNonRoot): the fix says so, and is not preferred.
  const rootImage = [...arr(spec.initContainers), ...arr(spec.containers)].map((c) => rec(c)?.image).find((i): i is string => typeof i === 'string' && knownRootImage(i));
  push({ code: 'pod-security', severity: enforced.length ? 'warning' : 'information', path: specPath, target: 'key', message,
    data: { level: lv, fixable, ...(rootImage ? { rootImage } : {}) } });
}

/** Forget the environment of a closed document. */
export function forgetCrossEnv(uri: string): void {
  envs.delete(uri);
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

function serviceChecks(svc: Obj, namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  const spec = rec(svc.spec);
  const selRaw = rec(spec?.selector);
  if (!spec || !selRaw) return;
  const keys = Object.keys(selRaw);
  if (!keys.length) return;
  const selector: Record<string, string> = {};
  // A selector of the wrong shape (`matchLabels:` in a Service) is the schema's to report; it selects nothing here.
  if (keys.some((k) => selRaw[k] !== null && typeof selRaw[k] === 'object')) return;
  for (const k of keys) selector[k] = String(selRaw[k]);
  const candidates = env.byLabel.get(`${keys[0]}=${selector[keys[0]]}`);
  const matched = [...(candidates ?? [])].filter((w) => sameNamespace(w.namespace, namespace) && selects(selector, w.podTemplate!.labels));
  // One cause, one message: a template whose labels or containers are misspelt (`lables:`, `contianers:`) or
  // unreadable YAML has its own diagnostics, and what a Service would make of it is a guess.
  if (!matched.length && [...env.unsureLabels].some((w) => sameNamespace(w.namespace, namespace))) return;
  if (matched.some((w) => w.podTemplate!.unsure?.containers)) return;
  if (!matched.length) {
    const text = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    push({ code: 'service-selects-nothing', severity: 'information', path: ['spec', 'selector'], target: 'key',
      message: `No pod template in the workspace has the labels ${text}, so this Service has no endpoints here.`, data: { selector } });
    return;
  }
  const portNames = new Set<string>();
  for (const w of matched) for (const c of w.podTemplate!.containers) for (const p of c.ports) if (p.name) portNames.add(p.name);
  arr(spec.ports).forEach((p, i) => unservedTargetPort(rec(p), i, matched, push));
  arr(spec.ports).forEach((p, i) => {
    const tp = rec(p)?.targetPort;
    // A quoted number ("8080") is no port name: the apiserver refuses it (invalid-port-name), which says it all.
    if (typeof tp !== 'string' || tp === '' || portNames.has(tp) || /^\d+$/.test(tp)) return;
    const names = [...portNames];
    push({ code: 'unknown-target-port', severity: 'warning', path: ['spec', 'ports', i, 'targetPort'],
      message: `No container selected by this Service has a port named "${tp}".` + (names.length ? ` Named ports: ${names.join(', ')}.` : ' The selected containers name no ports.'),
      data: { portNames: names, targetPort: tp } });
  });
}

/**
 * A Service port whose target no selected container's image listens on
 * (the playground's image convention, docs/images.md): every connection
 * through it is refused, on the playground as on a cluster. Said only when
 * every selected pod template's serving containers are images whose ports
 * the convention knows from the image itself, so an unknown image never
 * raises it.
 */
function unservedTargetPort(port: Obj | undefined, i: number, matched: IndexedObject[], push: (f: Finding) => void): void {
  if (!port || (port.protocol ?? 'TCP') !== 'TCP' || typeof port.port !== 'number') return;
  const tp = port.targetPort ?? port.port;
  const served = new Set<number>();
  let target: number | undefined;
  for (const w of matched) {
    const containers = w.podTemplate!.containers.filter((c) => !c.initOnly);
    if (!containers.length || containers.some((c) => c.listens === 'any')) return;
    let n: number | undefined;
    if (typeof tp === 'number') n = tp;
    else if (typeof tp === 'string') n = containers.flatMap((c) => c.ports).find((x) => x.name === tp)?.containerPort;
    if (n === undefined) return; // an unknown name is unknown-target-port's to report, a quoted number invalid-port-name's
    if (containers.some((c) => (c.listens as number[]).includes(n!))) return;
    target = n;
    for (const c of containers) for (const x of c.listens as number[]) served.add(x);
  }
  if (target === undefined) return;
  const images = [...new Set(matched.flatMap((w) => w.podTemplate!.containers.filter((c) => !c.initOnly).map((c) => c.image)))];
  const list = [...served].sort((a, b) => a - b);
  const where = list.length ? `listen${images.length === 1 ? 's' : ''} on ${list.join(', ')}` : images.length === 1 ? 'listens on no port' : 'listen on no port';
  push({ code: 'target-port-unserved', severity: 'warning', path: port.targetPort !== undefined ? ['spec', 'ports', i, 'targetPort'] : ['spec', 'ports', i, 'port'],
    message: `Nothing in the pods this Service selects listens on port ${target} (${images.join(', ')} ${where}), so connections through it are refused.`,
    data: { servedPorts: port.targetPort !== undefined ? list.map(String) : [] } });
}

/**
 * An HTTP or TCP probe aimed at a port its container's image does not listen
 * on: the kubelet's connection is refused, so the probe never passes (a
 * readiness probe keeps the pod unready, a liveness probe restarts it).
 */
function probePortChecks(obj: Obj, specPath: FieldPath, push: (f: Finding) => void): void {
  const spec = rec(at(obj, specPath));
  if (!spec) return;
  // The pod's containers share its network: a port any of its (long-running) containers serves answers.
  const serving = [...arr(spec.containers), ...arr(spec.initContainers).filter((c) => rec(c)?.restartPolicy === 'Always')].map((c) => imageListens(rec(c) ?? {}));
  if (serving.some((l) => l === 'any')) return;
  const podPorts = [...new Set((serving as number[][]).flat())].sort((a, b) => a - b);
  for (const list of ['containers', 'initContainers'] as const) {
    arr(spec[list]).forEach((c, ci) => {
      const ctr = rec(c);
      if (!ctr) return;
      const listens = podPorts;
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const pr = rec(ctr[probe]);
        for (const action of ['httpGet', 'tcpSocket'] as const) {
          const a = rec(pr?.[action]);
          if (!a || a.port === undefined || (action === 'httpGet' && typeof a.host === 'string' && a.host)) continue;
          let n: number | undefined;
          if (typeof a.port === 'number') n = a.port;
          else if (typeof a.port === 'string') n = arr(ctr.ports).map(rec).find((x) => x?.name === a.port)?.containerPort as number | undefined;
          if (n === undefined || listens.includes(n)) continue;
          push({ code: 'probe-port-unserved', severity: 'warning', path: [...specPath, list, ci, probe, action, 'port'],
            message: serving.length === 1
              ? `${String(ctr.image)} listens on ${listens.length ? listens.join(', ') : 'no port'}, not ${n}: this ${probe}'s connection is refused, so it never passes.`
              : `Nothing in this pod listens on ${n} (its containers listen on ${listens.length ? listens.join(', ') : 'no port'}): this ${probe}'s connection is refused, so it never passes.`,
            data: { servedPorts: typeof a.port === 'number' ? listens.map(String) : [] } });
        }
      }
    });
  }
}

/**
 * An autoscaler with a utilization target needs a request for that resource
 * in every container of its target's pods (upstream's calculateRequests:
 * regular containers and native sidecars). Without one it never computes a
 * replica count (`missing request for cpu in container web of Pod …`), and
 * `kubectl get hpa` shows `<unknown>/50%` for ever.
 */
function autoscalerChecks(hpa: Obj, namespace: string | undefined, defined: Map<string, Map<IndexedObject, string | undefined>>, push: (f: Finding) => void): void {
  const spec = rec(hpa.spec);
  const ref = rec(spec?.scaleTargetRef);
  if (!spec || typeof ref?.kind !== 'string' || typeof ref.name !== 'string') return;
  const target = [...(defined.get(`${ref.kind}/${ref.name}`)?.entries() ?? [])].find(([, ns]) => sameNamespace(ns, namespace))?.[0];
  const template = target?.podTemplate;
  // Containers misspelt or unreadable: their own diagnostics come first, what they request is unknown.
  if (!template || template.unsure?.containers) return;
  // Utilization targets: v2's Resource/ContainerResource metrics, or v1's targetCPUUtilizationPercentage (80% CPU by default).
  const wanted: { path: FieldPath; resource: string; container?: string }[] = [];
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
function ingressChecks(ing: Obj, namespace: string | undefined, defined: Map<string, Map<IndexedObject, string | undefined>>, push: (f: Finding) => void): void {
  const spec = rec(ing.spec);
  if (!spec) return;
  // No class at all: controllers pass it by, unless a default IngressClass gives it one when it is created.
  const annotations = rec(rec(ing.metadata)?.annotations);
  if ((spec.ingressClassName === undefined || spec.ingressClassName === null) && !(annotations && 'kubernetes.io/ingress.class' in annotations)) {
    const hasDefault = [...(defined.entries())].some(([key, objs]) => key.startsWith('IngressClass/') && [...objs.keys()].some((o) => o.isDefaultIngressClass));
    if (!hasDefault) {
      push({ code: 'ingress-no-class', severity: 'information', path: ['spec'], target: 'key',
        message: 'This Ingress names no class (spec.ingressClassName), and no IngressClass in the workspace is the default: ingress-nginx and most controllers leave it alone, so it gets no address and routes nothing. Name the class, e.g. ingressClassName: nginx.',
        data: { className: 'nginx' } });
    }
  }
  const backends: { path: FieldPath; backend: Obj }[] = [];
  const dflt = rec(spec.defaultBackend);
  if (dflt) backends.push({ path: ['spec', 'defaultBackend'], backend: dflt });
  arr(spec.rules).forEach((r, i) => arr(rec(rec(r)?.http)?.paths).forEach((p, j) => {
    const b = rec(rec(p)?.backend);
    if (b) backends.push({ path: ['spec', 'rules', i, 'http', 'paths', j, 'backend'], backend: b });
  }));
  for (const { path, backend } of backends) {
    const svc = rec(backend.service);
    if (typeof svc?.name !== 'string' || !svc.name) continue;
    const found = [...(defined.get(`Service/${svc.name}`)?.entries() ?? [])].find(([, ns]) => sameNamespace(ns, namespace))?.[0];
    if (!found) {
      push({ code: 'missing-reference', severity: 'information', path: [...path, 'service', 'name'],
        message: `No Service named "${svc.name}" is defined in the workspace (it may exist in the cluster). Until it exists, the ingress controller answers 503 for this backend.`,
        data: { kind: 'Service', name: svc.name } });
      continue;
    }
    const port = rec(svc.port);
    const ports = found.servicePorts ?? [];
    if (!port || !ports.length) continue;
    const list = ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
    if (typeof port.number === 'number' && !ports.some((p) => p.port === port.number)) {
      push({ code: 'ingress-backend-port', severity: 'warning', path: [...path, 'service', 'port', 'number'],
        message: `Service "${svc.name}" has no port ${port.number} (its ports: ${list}): the ingress controller finds no endpoints for this backend and answers 503.`,
        data: { service: svc.name, ports: ports.map((p) => p.port) } });
    } else if (typeof port.name === 'string' && port.name && !ports.some((p) => p.name === port.name)) {
      push({ code: 'ingress-backend-port', severity: 'warning', path: [...path, 'service', 'port', 'name'],
        message: `Service "${svc.name}" has no port named "${port.name}" (its ports: ${list}): the ingress controller finds no endpoints for this backend and answers 503.`,
        data: { service: svc.name, ports: ports.map((p) => p.port) } });
    }
  }
}

/** One name a pod spec gives another object: where, which kind, and what happens on a cluster without it. */
interface PodRef { path: FieldPath; kind: string; name: string; without?: string }

const word = (kind: string) => (kind === 'ConfigMap' ? 'configmap' : 'secret');

/** Where pod specs name other objects (optional references left out: the kubelet does without them). */
function references(spec: Obj, specPath: FieldPath): PodRef[] {
  const refs: PodRef[] = [];
  // Every namespace has the kube-root-ca.crt ConfigMap (which a pod's kube-api-access volume names).
  const add = (path: FieldPath, kind: string, name: unknown, without?: (n: string) => string, optional?: unknown) => {
    if (optional === true) return;
    if (typeof name === 'string' && name && !(kind === 'ConfigMap' && name === 'kube-root-ca.crt')) refs.push({ path: [...specPath, ...path], kind, name, without: without?.(name) });
  };
  arr(spec.volumes).forEach((v, i) => {
    const vol = rec(v);
    if (!vol) return;
    const mount = (kind: string) => (n: string) => `Until it exists the kubelet does not start the pod (ContainerCreating): MountVolume.SetUp failed for volume "${String(vol.name)}" : ${word(kind)} "${n}" not found.`;
    const cm = rec(vol.configMap);
    const sec = rec(vol.secret);
    add(['volumes', i, 'configMap', 'name'], 'ConfigMap', cm?.name, mount('ConfigMap'), cm?.optional);
    add(['volumes', i, 'secret', 'secretName'], 'Secret', sec?.secretName, mount('Secret'), sec?.optional);
    add(['volumes', i, 'persistentVolumeClaim', 'claimName'], 'PersistentVolumeClaim', rec(vol.persistentVolumeClaim)?.claimName);
    arr(rec(vol.projected)?.sources).forEach((s, j) => {
      const pcm = rec(rec(s)?.configMap);
      const psec = rec(rec(s)?.secret);
      add(['volumes', i, 'projected', 'sources', j, 'configMap', 'name'], 'ConfigMap', pcm?.name, mount('ConfigMap'), pcm?.optional);
      add(['volumes', i, 'projected', 'sources', j, 'secret', 'name'], 'Secret', psec?.name, mount('Secret'), psec?.optional);
    });
  });
  for (const list of ['containers', 'initContainers'] as const) {
    arr(spec[list]).forEach((c, i) => {
      const ctr = rec(c);
      if (!ctr) return;
      const config = (kind: string) => (n: string) => `Until it exists container "${String(ctr.name)}" does not start: CreateContainerConfigError (${word(kind)} "${n}" not found).`;
      arr(ctr.env).forEach((e, j) => {
        const vf = rec(rec(e)?.valueFrom);
        const cmk = rec(vf?.configMapKeyRef);
        const sk = rec(vf?.secretKeyRef);
        add([list, i, 'env', j, 'valueFrom', 'configMapKeyRef', 'name'], 'ConfigMap', cmk?.name, config('ConfigMap'), cmk?.optional);
        add([list, i, 'env', j, 'valueFrom', 'secretKeyRef', 'name'], 'Secret', sk?.name, config('Secret'), sk?.optional);
      });
      arr(ctr.envFrom).forEach((e, j) => {
        const cr = rec(rec(e)?.configMapRef);
        const sr = rec(rec(e)?.secretRef);
        add([list, i, 'envFrom', j, 'configMapRef', 'name'], 'ConfigMap', cr?.name, config('ConfigMap'), cr?.optional);
        add([list, i, 'envFrom', j, 'secretRef', 'name'], 'Secret', sr?.name, config('Secret'), sr?.optional);
      });
    });
  }
  arr(spec.imagePullSecrets).forEach((s, i) => add(['imagePullSecrets', i, 'name'], 'Secret', rec(s)?.name,
    () => 'The kubelet pulls without it and warns (FailedToRetrieveImagePullSecret); a private image then fails to pull.'));
  // Every namespace has the `default` account. An empty serviceAccountName gives way to the deprecated serviceAccount, as the v1 conversion does.
  const sa = spec.serviceAccountName || spec.serviceAccount;
  if (sa !== 'default') add([spec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount'], 'ServiceAccount', sa);
  return refs;
}

/** References per parsed pod spec; the model hands out the same value objects while a document is unchanged. */
const refCache = new WeakMap<Obj, PodRef[]>();

function referenceChecks(obj: Obj, specPath: FieldPath, namespace: string | undefined, defined: Map<string, Map<IndexedObject, string | undefined>>, push: (f: Finding) => void): void {
  const spec = rec(at(obj, specPath));
  if (!spec) return;
  let refs = refCache.get(spec);
  if (!refs) refCache.set(spec, (refs = references(spec, specPath)));
  for (const r of refs) {
    const found = [...(defined.get(`${r.kind}/${r.name}`)?.values() ?? [])].some((ns) => sameNamespace(ns, namespace));
    if (found) continue;
    push({ code: 'missing-reference', severity: 'information', path: r.path,
      message: r.kind === 'ServiceAccount'
        ? `No ServiceAccount named "${r.name}" is defined in the workspace (it may exist in the cluster). Without it the apiserver refuses the pods: error looking up service account …: serviceaccount "${r.name}" not found.`
        : `No ${r.kind} named "${r.name}" is defined in the workspace (it may exist in the cluster).${r.without ? ` ${r.without}` : ''}`, data: { kind: r.kind, name: r.name } });
  }
}
