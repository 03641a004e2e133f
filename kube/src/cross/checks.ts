/**
 * Checks across objects, in the same file and the workspace (or the files
 * `kubeplay validate` is given): a Service selector that matches no pod
 * template, a targetPort name no selected container has, a target port (or
 * probe port) the image does not listen on, quota and Pod Security policies
 * a pod template breaks, and references to ConfigMaps, Secrets, PVCs and
 * ServiceAccounts nothing defines (information only: they may exist in a
 * cluster).
 *
 * One object at a time against a CrossEnv, whose maps (names, labels,
 * namespaces) make each check a few lookups: never a scan of every object.
 * The language server caches the results per document; validate runs them
 * once per resource.
 */
import type { FieldPath, Finding } from '../rules/types';
import type { CrossEnv } from './env';
import { evaluatePod, forbiddenDetail, lvString } from '../podSecurity';
import { knownRootImage } from '../imageConvention';
import { quotaMatchesScopes } from '../quota';
import { isPodLevelResourcesSet } from '../podResources';
import { networkPolicyChecks } from './netpol';
import { autoscalerChecks, autoscalerFacts, cachedReferences, ingressChecks, ingressFacts, referenceChecks, references, type AutoscalerFacts, type IngressFacts, type PodRef } from './refs';
import { get as at, imageListens, sameNamespace, type IndexedObject } from './objects';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const POD_SPEC_PATHS: Record<string, FieldPath> = {
  Pod: ['spec'], PodTemplate: ['template', 'spec'], Deployment: ['spec', 'template', 'spec'], ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'], DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};


/** The object a check looks at: a document's (or a List item's, at `path`) parsed value, of a kind the schema knows. */
export interface CrossSubject {
  kind: string;
  value: Obj;
  name?: string;
  namespace?: string;
  /** Where the object is in its document (`[]`, or `['items', i]` in a List); findings' paths start with it. */
  path: FieldPath;
  /** Its file: a namespace-less quota or LimitRange governs the objects of its own file (applied together). */
  uri: string;
}

/**
 * What the checks need of one object, read from its value once and independent of the other objects: a
 * Service's selector and ports, the names an autoscaler, an Ingress or a pod spec gives other objects, and
 * what the object alone is found to say (probe ports, images that run as root). `kubeplay validate` keeps
 * these until the last file is read instead of the parsed values.
 */
export interface CrossFacts {
  service?: ServiceFacts;
  autoscaler?: AutoscalerFacts;
  ingress?: IngressFacts;
  /** A NetworkPolicy's spec. */
  networkPolicy?: Obj;
  /** Where a pod spec is, for kinds that have one (quota and Pod Security read it then). */
  specPath?: FieldPath;
  refs?: readonly PodRef[];
  /** What the object alone says (paths from the object). */
  own?: Finding[];
}

/** The facts of a pod spec that names no other object and says nothing alone, per kind. */
const SPEC_ONLY: Record<string, CrossFacts> = Object.fromEntries(Object.entries(POD_SPEC_PATHS).map(([kind, specPath]) => [kind, Object.freeze({ specPath })]));

/** What the checks that read an object alone found, collected without a closure per object. */
const collected: Finding[] = [];
const collect = (f: Finding) => { collected.push(f); };

/** The facts of one object of `kind`, or undefined when no cross-object check looks at that kind. */
export function crossFacts(kind: string, value: Obj, refs: (spec: Obj, specPath: FieldPath) => readonly PodRef[] = references): CrossFacts | undefined {
  const specPath = POD_SPEC_PATHS[kind];
  if (specPath) {
    const spec = rec(at(value, specPath));
    if (!spec) return SPEC_ONLY[kind];
    const refList = refs(spec, specPath);
    probePortChecks(spec, specPath, collect);
    runAsRootChecks(spec, specPath, collect);
    // Most pod specs name nothing missing-able and say nothing alone: they share one (read-only) record per kind.
    if (!refList.length && !collected.length) return SPEC_ONLY[kind];
    return collected.length ? { specPath, refs: refList, own: collected.splice(0) } : { specPath, refs: refList };
  }
  switch (kind) {
    case 'Service': {
      const service = serviceFacts(value);
      return service ? { service } : undefined;
    }
    case 'HorizontalPodAutoscaler': {
      const autoscaler = autoscalerFacts(value);
      return autoscaler ? { autoscaler } : undefined;
    }
    case 'Ingress': {
      const ingress = ingressFacts(value);
      return ingress ? { ingress } : undefined;
    }
    case 'NetworkPolicy': {
      const networkPolicy = rec(value.spec);
      return networkPolicy ? { networkPolicy } : undefined;
    }
  }
  return undefined;
}

/** The object the facts were read from, as far as the checks against the environment need it. */
export interface CrossPlace {
  kind: string;
  name?: string;
  namespace?: string;
  path: FieldPath;
  uri: string;
}

/**
 * Where crossFactChecks puts findings: with the object's path before theirs. Findings (and paths) the checks
 * build for the call are taken as they are when the object is a document's; those from the facts (read once,
 * shared) are copied, as is a path that is a constant.
 */
let sink: Finding[] | undefined;
let sinkPrefix: FieldPath = [];
// (A list begun with its first finding holds just that one: pushed onto `[]`, it would reserve 17 places.)
const pushFresh = (f: Finding) => {
  const g = sinkPrefix.length ? { ...f, path: [...sinkPrefix, ...f.path] } : f;
  if (sink) sink.push(g);
  else sink = [g];
};
const pushShared = (f: Finding) => {
  const g = { ...f, path: [...sinkPrefix, ...f.path] };
  if (sink) sink.push(g);
  else sink = [g];
};

/**
 * What the cross-object checks say of one object against `env`, from its facts, added to `out` (undefined when
 * they say nothing and no `out` was given); `value` gives its parsed value again, asked for only when a quota
 * or a Pod Security namespace of the workspace governs it.
 */
export function crossFactChecks(facts: CrossFacts, object: CrossPlace, env: CrossEnv, value: (object: CrossPlace) => Obj | undefined, out?: Finding[]): Finding[] | undefined {
  const saved = sink;
  const savedPrefix = sinkPrefix;
  sink = out;
  sinkPrefix = object.path;
  try {
    const namespace = object.namespace;
    if (facts.service) serviceChecks(facts.service, namespace, env, pushFresh);
    if (facts.autoscaler) autoscalerChecks(facts.autoscaler, namespace, env, pushShared);
    if (facts.ingress) ingressChecks(facts.ingress, namespace, env, pushFresh);
    if (facts.networkPolicy) networkPolicyChecks(facts.networkPolicy, object.name ?? '', namespace, env, pushFresh);
    const specPath = facts.specPath;
    if (!specPath) return sink;
    if (facts.refs) referenceChecks(facts.refs, namespace, env, pushShared);
    if (facts.own) for (const f of facts.own) pushShared(f);
    if (env.quotas.size && governed(env, namespace, object.uri)) {
      const v = value(object);
      if (v) quotaChecks(v, specPath, namespace, object.uri, env, pushFresh);
    }
    if (env.podSecurity.size && namespace && env.podSecurity.has(namespace)) {
      const v = value(object);
      if (v) podSecurityChecks(v, object.kind, specPath, namespace, env, pushShared);
    }
    return sink;
  } finally {
    sink = saved;
    sinkPrefix = savedPrefix;
  }
}

/** What the cross-object checks say of one object against `env` (the objects it may meet). */
export function crossObjectChecks(object: CrossSubject, env: CrossEnv): Finding[] {
  const facts = crossFacts(object.kind, object.value, cachedReferences);
  return (facts && crossFactChecks(facts, object, env, () => object.value, [])) || [];
}

/**
 * A namespace-wide policy applies where it surely shares the namespace: both name the same one, or the same file
 * (applied together) leaves it to `kubectl -n`. A quota elsewhere in a folder of unrelated examples is not this one's.
 */
function governsObject(o: IndexedObject, namespace: string | undefined, uri: string): boolean {
  return o.namespace && namespace ? o.namespace === namespace : o.uri === uri && sameNamespace(o.namespace, namespace);
}

/** Whether a quota of the workspace governs an object in `namespace` of file `uri`. */
function governed(env: CrossEnv, namespace: string | undefined, uri: string): boolean {
  for (const q of env.quotas) if (governsObject(q, namespace, uri)) return true;
  return false;
}

/**
 * A ResourceQuota in the workspace that tracks `requests.cpu`, `limits.memory`
 * and the like makes quota admission refuse every pod with a container that
 * states no such value (`failed quota: q: must specify …`), unless a
 * LimitRange of the namespace fills it in. Said per container, with the
 * apiserver's words for the pod.
 */
function quotaChecks(obj: Obj, specPath: FieldPath, namespace: string | undefined, uri: string, env: CrossEnv, push: (f: Finding) => void): void {
  const spec = rec(at(obj, specPath));
  // With pod-level resources the quota asks nothing of the containers (podEvaluator.Constraints).
  if (!spec || isPodLevelResourcesSet(spec)) return;
  const governs = (o: IndexedObject) => governsObject(o, namespace, uri);
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
function runAsRootChecks(spec: Obj, specPath: FieldPath, push: (f: Finding) => void): void {
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

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** A Service's selector (when it has one of the right shape) and its ports. */
interface ServiceFacts {
  selector: Record<string, string>;
  /** `spec.ports`, an entry per item (undefined for one that is no mapping). */
  ports: (ServicePortFacts | undefined)[];
}

interface ServicePortFacts {
  protocol: unknown;
  port: unknown;
  targetPort: unknown;
}

function serviceFacts(svc: Obj): ServiceFacts | undefined {
  const spec = rec(svc.spec);
  const selRaw = rec(spec?.selector);
  if (!spec || !selRaw) return undefined;
  const keys = Object.keys(selRaw);
  if (!keys.length) return undefined;
  const selector: Record<string, string> = {};
  // A selector of the wrong shape (`matchLabels:` in a Service) is the schema's to report; it selects nothing here.
  for (const k of keys) if (selRaw[k] !== null && typeof selRaw[k] === 'object') return undefined;
  for (const k of keys) selector[k] = String(selRaw[k]);
  const ports = arr(spec.ports).map((p): ServicePortFacts | undefined => {
    const port = rec(p);
    return port && { protocol: port.protocol, port: port.port, targetPort: port.targetPort };
  });
  return { selector, ports };
}

function serviceChecks(svc: ServiceFacts, namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  const selector = svc.selector;
  let first: string | undefined;
  for (const k in selector) { first = k; break; }
  const candidates = env.withLabel(first!, selector[first!]);
  const matched: IndexedObject[] = [];
  if (candidates) for (const w of candidates) if (sameNamespace(w.namespace, namespace) && selects(selector, w.podTemplate!.labels)) matched.push(w);
  // One cause, one message: a template whose labels or containers are misspelt (`lables:`, `contianers:`) or
  // unreadable YAML has its own diagnostics, and what a Service would make of it is a guess.
  if (!matched.length) for (const w of env.unsureLabels) if (sameNamespace(w.namespace, namespace)) return;
  if (matched.some((w) => w.podTemplate!.unsure?.containers)) return;
  if (!matched.length) {
    let text = '';
    for (const k in selector) text += `${text ? ',' : ''}${k}=${selector[k]}`;
    push({ code: 'service-selects-nothing', severity: 'information', path: ['spec', 'selector'], target: 'key',
      message: `No pod template in the workspace has the labels ${text}, so this Service has no endpoints here.`, data: { selector } });
    return;
  }
  const portNames = new Set<string>();
  for (const w of matched) for (const c of w.podTemplate!.containers) for (const p of c.ports) if (p.name) portNames.add(p.name);
  svc.ports.forEach((p, i) => unservedTargetPort(p, i, matched, push));
  svc.ports.forEach((p, i) => {
    const tp = p?.targetPort;
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
function unservedTargetPort(port: ServicePortFacts | undefined, i: number, matched: IndexedObject[], push: (f: Finding) => void): void {
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

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Whether a container of the pod has an HTTP or TCP probe (most pod specs of a large stream have none). */
function hasPortProbe(spec: Obj): boolean {
  for (const list of ['containers', 'initContainers'] as const) {
    for (const c of arr(spec[list])) {
      const ctr = rec(c);
      if (ctr) for (const probe of PROBES) if (rec(ctr[probe])) return true;
    }
  }
  return false;
}

/**
 * An HTTP or TCP probe aimed at a port its container's image does not listen
 * on: the kubelet's connection is refused, so the probe never passes (a
 * readiness probe keeps the pod unready, a liveness probe restarts it).
 */
function probePortChecks(spec: Obj, specPath: FieldPath, push: (f: Finding) => void): void {
  if (!hasPortProbe(spec)) return;
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

