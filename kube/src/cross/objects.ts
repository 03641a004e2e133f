/**
 * What cross-object checks know of one object (kube/src/cross/checks.ts): its
 * name, namespace and labels, its pod template's labels and containers, a
 * Service's ports, a quota's obligations. Built from a parsed value, so the
 * language server (per document) and `kubeplay validate` (per file) index
 * the same way.
 */
import { listeningPorts } from '../imageConvention';
import { namespacePolicy, type LevelVersion } from '../podSecurity';
import { MUST_SPECIFY, quotaScopes, type ScopeExpression } from '../quota';
import { defaultLimitRangeItem } from '../rules/quota';
import type { FieldPath } from '../rules/types';
import { getSchema } from '../schema';

export interface IndexedPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface IndexedContainer {
  name: string;
  ports: IndexedPort[];
  /** Resources the container requests (`cpu`, `memory`, …). */
  requests: string[];
  /** Resources it sets a limit for. */
  limits?: string[];
  /** An init container that is not a native sidecar: the autoscaler leaves it out. */
  initOnly?: boolean;
  /**
   * Where its image listens (imageConvention's listeningPorts) when the image alone says it; 'any' for an image
   * the convention knows only by its declared ports, which the editor does not second-guess.
   */
  listens: number[] | 'any';
  image: string;
}

/** The pod template of a workload (or the Pod itself). */
export interface PodTemplateInfo {
  /** Path of the template inside the object: `['spec', 'template']`, or `[]` for a Pod. */
  path: FieldPath;
  labels: Record<string, string>;
  containers: IndexedContainer[];
  /**
   * What of the template cannot be trusted because the template itself is wrong: its containers (`contianers:`,
   * a misspelt key in a container, a document YAML could not read) or its labels (`lables:`). The checks that
   * read them from a Service say nothing then: the template's own diagnostics name the one cause.
   */
  unsure?: { containers: boolean; labels: boolean };
}

export interface IndexedObject {
  uri: string;
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** First line of the document in its file, and the object's path in the document (List items). */
  line: number;
  path: FieldPath;
  podTemplate?: PodTemplateInfo;
  /** Service `spec.selector`, when the object is a Service. */
  serviceSelector?: Record<string, string>;
  /** A Service's ports (its number and name), when the object is a Service. */
  servicePorts?: { port: number; name?: string }[];
  /** An IngressClass annotated as the cluster's default. */
  isDefaultIngressClass?: boolean;
  /** A ResourceQuota's `spec.hard` keys that oblige every container to state a request or limit (`requests.cpu`, `limits.memory`, …). */
  quotaRequires?: string[];
  /** The quota's scopes (spec.scopes and scopeSelector): it governs only the pods inside them. */
  quotaScopes?: ScopeExpression[];
  /** A LimitRange's Container defaults, as stored (a default limit from max, a default request from the default or min). */
  limitDefaults?: { requests: string[]; limits: string[] };
  /** A Namespace's Pod Security enforce and warn levels, when one of them is not privileged. */
  podSecurity?: { enforce: LevelVersion; warn: LevelVersion };
  /** A Secret's keys (`data` and `stringData`), which a `secretKeyRef` may name. */
  secretKeys?: string[];
  /** A NetworkPolicy's spec, for the checks that weigh a namespace's policies together. */
  networkPolicy?: Record<string, unknown>;
}

/** Where each workload kind keeps its pod template. */
export const POD_TEMPLATE_PATHS: Record<string, FieldPath> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export function sameNamespace(a?: string, b?: string): boolean {
  return !a || !b || a === b;
}

/**
 * The index entry of one object: `uri` and `line` say where its document is, `path` where the object is in it
 * (a List's items), `broken` that its document could not be read whole (what was read may be cut short).
 * `shared`: for `kubeplay validate`, which keeps 100,000 entries until the last file is read and never changes
 * them (what it keeps is what the garbage collector copies): empty label maps and lists are one shared, frozen
 * value, the strings that repeat from object to object (kinds, namespaces, label values, images) one string
 * each, and what only the language server reads (the apiVersion, the object's own labels, a Service's
 * selector) is left out.
 */
export function indexObject(uri: string, line: number, path: FieldPath, kind: string, value: Record<string, unknown>, broken: boolean, shared = false): IndexedObject {
  const meta = rec(value.metadata);
  const str = shared ? onceString : plainString;
  if (shared) kind = once(kind);
  const entry: IndexedObject = {
    uri,
    // The checks across objects read neither the apiVersion nor the object's own labels: validate keeps neither.
    apiVersion: shared ? undefined : str(value.apiVersion),
    kind,
    name: typeof meta?.name === 'string' ? meta.name : '',
    namespace: str(meta?.namespace),
    labels: shared ? NO_STRINGS : strings(meta?.labels),
    line,
    path,
  };
  try {
    describeObject(entry, kind, value, meta, broken, shared);
  } catch {
    // A shape no reader foresaw: the object is still known by kind, name and labels.
  }
  return entry;
}

const plainString = (v: unknown) => (typeof v === 'string' ? v : undefined);
const onceString = (v: unknown) => (typeof v === 'string' ? once(v) : undefined);

/** What the cross-object checks read of one object, beyond its name and labels. */
function describeObject(entry: IndexedObject, kind: string, v: Record<string, any>, meta: Record<string, unknown> | undefined, broken: boolean, shared: boolean): void {
  const tp = POD_TEMPLATE_PATHS[kind];
  if (tp) {
    const t = rec(get(v, tp));
    if (t) entry.podTemplate = podTemplate(t, tp, broken, shared);
  }
  if (kind === 'IngressClass' && strings(meta?.annotations)['ingressclass.kubernetes.io/is-default-class'] === 'true') entry.isDefaultIngressClass = true;
  if (kind === 'ResourceQuota') {
    entry.quotaRequires = Object.keys(rec(rec(v.spec)?.hard) ?? {}).filter((k) => MUST_SPECIFY.has(k)).sort();
    const scopes = quotaScopes(v);
    if (scopes.length) entry.quotaScopes = scopes;
  }
  if (kind === 'LimitRange') entry.limitDefaults = limitDefaults(v);
  if (kind === 'Secret') entry.secretKeys = [...Object.keys(rec(v.data) ?? {}), ...Object.keys(rec(v.stringData) ?? {})];
  if (kind === 'NetworkPolicy' && rec(v.spec)) entry.networkPolicy = rec(v.spec);
  if (kind === 'Namespace') {
    const p = namespacePolicy(rec(meta?.labels));
    if (p.enforce.level !== 'privileged' || p.warn.level !== 'privileged') entry.podSecurity = { enforce: p.enforce, warn: p.warn };
  }
  if (kind === 'Service') {
    const sel = rec(rec(v.spec)?.selector);
    // Read by the language server (which workloads a Service selects), not by the checks across objects.
    if (sel && !shared) entry.serviceSelector = strings(sel);
    let ports: { port: number; name?: string }[] | undefined;
    for (const p of arr(rec(v.spec)?.ports)) {
      const port = rec(p);
      if (typeof port?.port !== 'number') continue;
      const one = typeof port.name === 'string' ? { port: port.port, name: shared ? once(port.name) : port.name } : { port: port.port };
      if (ports) ports.push(one);
      else ports = [one];
    }
    entry.servicePorts = ports ?? (shared ? (NONE as unknown as { port: number }[]) : []);
  }
}

function limitDefaults(v: Record<string, unknown>): { requests: string[]; limits: string[] } {
  const requests = new Set<string>();
  const limits = new Set<string>();
  for (const it of arr(rec(v.spec)?.limits)) {
    const item = rec(it);
    if (item?.type !== 'Container') continue;
    // As the apiserver stores it (SetDefaults_LimitRangeItem): the defaults are what LimitRanger gives a container.
    const stored = JSON.parse(JSON.stringify(item)) as Record<string, any>;
    defaultLimitRangeItem(stored);
    for (const k of Object.keys(rec(stored.default) ?? {})) limits.add(k);
    for (const k of Object.keys(rec(stored.defaultRequest) ?? {})) requests.add(k);
  }
  return { requests: [...requests].sort(), limits: [...limits].sort() };
}

/** Where a container's image listens, known from the image, its command and a configuration mounted over its own, or 'any'. */
export function imageListens(container: Record<string, unknown>): number[] | 'any' {
  // The index entry and the probe checks of one object ask for the same containers, one after the other.
  for (let i = 0; i < recent.length; i += 2) if (recent[i] === container) return recent[i + 1] as number[] | 'any';
  const listens = listensUncached(container);
  recent[next] = container;
  recent[next + 1] = listens;
  next = (next + 2) % recent.length;
  return listens;
}

/** The last few containers asked about, and their answers (container, answer, …). */
const recent: unknown[] = new Array(16).fill(undefined);
let next = 0;

function listensUncached(container: Record<string, unknown>): number[] | 'any' {
  const byImage = listeningPorts({ image: container.image, command: container.command, args: container.args });
  // An image the convention knows, with its configuration mounted over: the declared ports are what it serves.
  if (byImage === 'any' || !Array.isArray(container.volumeMounts)) return byImage;
  return listeningPorts({ image: container.image, command: container.command, args: container.args, ports: container.ports, volumeMounts: container.volumeMounts });
}

/** Field names of the core types a pod template is read through, from the schema (once). */
let fieldNames: { pod: Set<string>; template: Set<string>; meta: Set<string>; spec: Set<string>; container: Set<string> } | undefined;
function knownFields(): NonNullable<typeof fieldNames> {
  if (!fieldNames) {
    const s = getSchema();
    const names = (id: string) => new Set(Object.keys(s.def(id)?.properties ?? {}));
    fieldNames = { pod: names('io.k8s.api.core.v1.Pod'), template: names('io.k8s.api.core.v1.PodTemplateSpec'), meta: names('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: names('io.k8s.api.core.v1.PodSpec'), container: names('io.k8s.api.core.v1.Container') };
  }
  return fieldNames;
}
const allKnown = (v: Record<string, unknown> | undefined, known: Set<string>) => {
  if (v) for (const k in v) if (!known.has(k)) return false;
  return true;
};

function podTemplate(t: Record<string, unknown>, path: FieldPath, broken: boolean, shared: boolean): PodTemplateInfo {
  const spec = rec(t.spec);
  // Lists begun with their first element hold what they hold (pushed onto `[]`, they would reserve 17 places).
  let containers: IndexedContainer[] = shared ? (NONE as unknown as IndexedContainer[]) : [];
  const same = shared ? once : (x: string) => x;
  const main = arr(spec?.containers);
  const inits = arr(spec?.initContainers);
  const keys = (v: unknown) => {
    const r = rec(v);
    if (!r) return shared ? (NONE as unknown as string[]) : [];
    const k = Object.keys(r);
    return shared && !k.length ? (NONE as unknown as string[]) : k;
  };
  for (let n = 0; n < main.length + inits.length; n++) {
    const c = n < main.length ? main[n] : inits[n - main.length];
    const cr = rec(c);
    if (!cr) continue;
    let ports: IndexedPort[] = shared ? (NONE as unknown as IndexedPort[]) : [];
    for (const p of arr(cr.ports)) {
      const pr = rec(p);
      if (pr && typeof pr.containerPort === 'number') {
        const port: IndexedPort = { containerPort: pr.containerPort, name: typeof pr.name === 'string' ? same(pr.name) : undefined, protocol: typeof pr.protocol === 'string' ? same(pr.protocol) : undefined };
        if (ports === (NONE as unknown)) ports = [port];
        else ports.push(port);
      }
    }
    const resources = rec(cr.resources);
    const requests = keys(resources?.requests);
    const limits = keys(resources?.limits);
    const entry: IndexedContainer = { name: typeof cr.name === 'string' ? same(cr.name) : '', ports, requests, limits, listens: imageListens(cr), image: typeof cr.image === 'string' ? same(cr.image) : '' };
    if (inits.includes(c) && cr.restartPolicy !== 'Always') entry.initOnly = true;
    if (containers === (NONE as unknown)) containers = [entry];
    else containers.push(entry);
  }
  const info: PodTemplateInfo = { path, labels: strings(rec(t.metadata)?.labels, shared), containers };
  // A few keys each: the schema's unknown-field and missing-required findings on the way to the containers and labels.
  const known = knownFields();
  const templateOk = allKnown(t, path.length ? known.template : known.pod);
  const labels = broken || !templateOk || !allKnown(rec(t.metadata), known.meta);
  const ctrs = broken || !templateOk || !Array.isArray(spec?.containers) || !allKnown(spec, known.spec)
    || main.some((c) => !allKnown(rec(c), known.container)) || inits.some((c) => !allKnown(rec(c), known.container));
  if (labels || ctrs) info.unsure = { containers: ctrs, labels };
  return info;
}

export function get(v: unknown, path: FieldPath): unknown {
  let cur = v;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}
function rec(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
/** The shared empty list and map of `shared` entries. */
const NONE: readonly never[] = Object.freeze([]);
const NO_STRINGS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function strings(v: unknown, shared = false): Record<string, string> {
  const r = rec(v);
  if (!r) return shared ? NO_STRINGS : {};
  let out: Record<string, string> | undefined;
  for (const k in r) {
    if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
    const x = r[k];
    if (x !== null && x !== undefined) (out ??= {})[k] = shared ? once(String(x)) : String(x);
  }
  return out ?? (shared ? NO_STRINGS : {});
}

/** One string for each of the few values that repeat (at most 4,096 of them: names, which do not, are left alone). */
const strings1 = new Map<string, string>();
function once(s: string): string {
  const t = strings1.get(s);
  if (t !== undefined) return t;
  if (strings1.size < 4096) strings1.set(s, s);
  return s;
}
