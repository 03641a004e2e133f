/**
 * What the workspace defines, across open documents and files on disk: the
 * names that references may point at (ConfigMaps, Secrets, PVCs) and the pod
 * templates that Service selectors may match.
 *
 * Cross-object features (completion of names, hover on selectors,
 * go-to-definition, and the validation engineer's cross-object checks) read
 * it through `WorkspaceIndex`. Entries are kept per URI; an open document
 * replaces what the scan read from disk for the same URI.
 */
import { listeningPorts } from '../../../kube/src/imageConvention';
import { namespacePolicy, type LevelVersion } from '../../../kube/src/podSecurity';
import { MUST_SPECIFY, quotaScopes, type ScopeExpression } from '../../../kube/src/quota';
import { defaultLimitRangeItem } from '../../../kube/src/rules/quota';
import { getSchema } from '../../../kube/src/schema';
import type { FieldPath, Model, ModelDocument } from './model';

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
  /** A NetworkPolicy's spec, for the checks that weigh a namespace's policies together. */
  networkPolicy?: Record<string, unknown>;
}

export interface WorkspaceIndex {
  /** Every indexed object. */
  objects(): Iterable<IndexedObject>;
  /** Objects of one kind (`ConfigMap`, `Secret`, `PersistentVolumeClaim`, …). */
  byKind(kind: string): IndexedObject[];
  /**
   * Whether an object of that kind and name is defined. A namespace given on
   * both sides must agree; a missing one matches any (manifests often leave it
   * to `kubectl -n`).
   */
  has(kind: string, name: string, namespace?: string): boolean;
  /** Objects that carry a pod template (Pods, Deployments, Jobs, CronJobs, …). */
  workloads(): IndexedObject[];
  /**
   * The same objects as `objects()`, one list per URI other than `except`;
   * a URI that did not change keeps handing out the same list, so callers
   * can tell what changed by identity.
   */
  listsExcept?(except?: string): IndexedObject[][];
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

export class Workspace implements WorkspaceIndex {
  private readonly files = new Map<string, IndexedObject[]>();
  private readonly open = new Map<string, IndexedObject[]>();
  private kindCache?: Map<string, IndexedObject[]>;

  /** Objects read from a file on disk (replaced on each call for that URI). */
  setFile(uri: string, objects: IndexedObject[]): void {
    this.files.set(uri, objects);
    this.kindCache = undefined;
  }
  removeFile(uri: string): void {
    this.files.delete(uri);
    this.kindCache = undefined;
  }
  /** Objects of an open document; they win over the file's on-disk contents. */
  setOpen(uri: string, objects: IndexedObject[]): void {
    this.open.set(uri, objects);
    this.kindCache = undefined;
  }
  closeOpen(uri: string): void {
    this.open.delete(uri);
    this.kindCache = undefined;
  }
  clear(): void {
    this.files.clear();
    this.open.clear();
    this.kindCache = undefined;
  }

  *objects(): Iterable<IndexedObject> {
    for (const [uri, list] of this.files) if (!this.open.has(uri)) yield* list;
    for (const list of this.open.values()) yield* list;
  }

  listsExcept(except?: string): IndexedObject[][] {
    const out: IndexedObject[][] = [];
    for (const [uri, list] of this.files) if (uri !== except && !this.open.has(uri)) out.push(list);
    for (const [uri, list] of this.open) if (uri !== except) out.push(list);
    return out;
  }

  byKind(kind: string): IndexedObject[] {
    if (!this.kindCache) {
      // Rebuilt on the first lookup after an edit (hover, completion): plain loops, no generator.
      const cache = (this.kindCache = new Map());
      for (const list of this.listsExcept()) {
        for (const o of list) {
          const l = cache.get(o.kind);
          if (l) l.push(o);
          else cache.set(o.kind, [o]);
        }
      }
    }
    return this.kindCache.get(kind) ?? [];
  }

  has(kind: string, name: string, namespace?: string): boolean {
    return this.byKind(kind).some((o) => o.name === name && sameNamespace(o.namespace, namespace));
  }

  workloads(): IndexedObject[] {
    return Object.keys(POD_TEMPLATE_PATHS).flatMap((k) => this.byKind(k));
  }
}

const perDocument = new WeakMap<ModelDocument, IndexedObject[]>();

const perModel = new WeakMap<Model, IndexedObject[]>();

/**
 * The indexable objects of a model (cached per unchanged document, and per
 * model: the text-sync handler and the cross-object checks both ask after
 * every edit). Callers must not modify the returned list.
 */
export function indexModel(model: Model): IndexedObject[] {
  let cached = perModel.get(model);
  if (!cached) perModel.set(model, (cached = indexDocuments(model)));
  return cached;
}

/**
 * After an edit, the previous version's list is spliced: its entries for the
 * documents the new version shares (same objects, same lines) are copied in
 * two slices, and only the documents in between are looked at.
 */
function indexDocuments(model: Model): IndexedObject[] {
  const r = model.reuse;
  const prevList = r && perModel.get(r.prev);
  if (!r || !prevList) return indexRange(model, 0, model.documents.length);
  const pd = r.prev.documents;
  const frontObjs = firstObjectAtLine(prevList, r.front < pd.length ? pd[r.front].startLine : Infinity);
  const backObjs = firstObjectAtLine(prevList, r.backOld < pd.length ? pd[r.backOld].startLine : Infinity);
  const middle = indexRange(model, r.front, r.backOld < pd.length ? r.backNew : model.documents.length);
  const out = prevList.slice(0, frontObjs).concat(middle);
  return r.backOld < pd.length ? out.concat(prevList.slice(backObjs)) : out;
}

/** Entries are in document order and carry their document's first line. */
function firstObjectAtLine(list: readonly IndexedObject[], line: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].line >= line) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function indexRange(model: Model, from: number, to: number): IndexedObject[] {
  const out: IndexedObject[] = [];
  for (let i = from; i < to; i++) {
    const doc = model.documents[i];
    let list = perDocument.get(doc);
    if (!list) {
      list = indexDocument(model.uri, doc);
      perDocument.set(doc, list);
    } else if (list.length && list[0].uri !== model.uri) {
      list = list.map((o) => ({ ...o, uri: model.uri }));
    }
    for (const o of list) out.push(o);
  }
  return out;
}

export function indexDocument(uri: string, doc: ModelDocument): IndexedObject[] {
  const out: IndexedObject[] = [];
  // A document the parser could not read whole: what was read of it may be cut short or misplaced.
  const broken = doc.problems.some((p) => p.severity === 'error' && p.code !== 'DUPLICATE_KEY');
  for (const o of doc.objects) {
    if (!o.kind) continue;
    const v = o.value;
    const meta = rec(v.metadata);
    const entry: IndexedObject = {
      uri,
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name ?? '',
      namespace: o.namespace,
      labels: strings(meta?.labels),
      line: doc.startLine,
      path: o.path,
    };
    try {
      describeObject(entry, o.kind, v, meta, broken);
    } catch {
      // A shape no reader foresaw: the object is still known by kind, name and labels.
    }
    out.push(entry);
  }
  return out;
}

/** What the cross-object checks read of one object, beyond its name and labels. */
function describeObject(entry: IndexedObject, kind: string, v: Record<string, any>, meta: Record<string, unknown> | undefined, broken: boolean): void {
  const tp = POD_TEMPLATE_PATHS[kind];
  if (tp) {
    const t = rec(get(v, tp));
    if (t) entry.podTemplate = podTemplate(t, tp, broken);
  }
  if (kind === 'IngressClass' && strings(meta?.annotations)['ingressclass.kubernetes.io/is-default-class'] === 'true') entry.isDefaultIngressClass = true;
  if (kind === 'ResourceQuota') {
    entry.quotaRequires = Object.keys(rec(rec(v.spec)?.hard) ?? {}).filter((k) => MUST_SPECIFY.has(k)).sort();
    const scopes = quotaScopes(v);
    if (scopes.length) entry.quotaScopes = scopes;
  }
  if (kind === 'LimitRange') entry.limitDefaults = limitDefaults(v);
  if (kind === 'NetworkPolicy' && rec(v.spec)) entry.networkPolicy = rec(v.spec);
  if (kind === 'Namespace') {
    const p = namespacePolicy(rec(meta?.labels));
    if (p.enforce.level !== 'privileged' || p.warn.level !== 'privileged') entry.podSecurity = { enforce: p.enforce, warn: p.warn };
  }
  if (kind === 'Service') {
    const sel = rec(rec(v.spec)?.selector);
    if (sel) entry.serviceSelector = strings(sel);
    entry.servicePorts = arr(rec(v.spec)?.ports).flatMap((p) => {
      const port = rec(p);
      return typeof port?.port === 'number' ? [{ port: port.port, ...(typeof port.name === 'string' ? { name: port.name } : {}) }] : [];
    });
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

function podTemplate(t: Record<string, unknown>, path: FieldPath, broken: boolean): PodTemplateInfo {
  const spec = rec(t.spec);
  const containers: IndexedContainer[] = [];
  const inits = new Set(arr(spec?.initContainers));
  for (const c of [...arr(spec?.containers), ...arr(spec?.initContainers)]) {
    const cr = rec(c);
    if (!cr) continue;
    const ports: IndexedPort[] = [];
    for (const p of arr(cr.ports)) {
      const pr = rec(p);
      if (pr && typeof pr.containerPort === 'number')
        ports.push({ containerPort: pr.containerPort, name: typeof pr.name === 'string' ? pr.name : undefined, protocol: typeof pr.protocol === 'string' ? pr.protocol : undefined });
    }
    const requests = Object.keys(rec(rec(cr.resources)?.requests) ?? {});
    const limits = Object.keys(rec(rec(cr.resources)?.limits) ?? {});
    const entry: IndexedContainer = { name: typeof cr.name === 'string' ? cr.name : '', ports, requests, limits, listens: imageListens(cr), image: typeof cr.image === 'string' ? cr.image : '' };
    if (inits.has(c) && cr.restartPolicy !== 'Always') entry.initOnly = true;
    containers.push(entry);
  }
  const info: PodTemplateInfo = { path, labels: strings(rec(t.metadata)?.labels), containers };
  // A few keys each: the schema's unknown-field and missing-required findings on the way to the containers and labels.
  const known = knownFields();
  const templateOk = allKnown(t, path.length ? known.template : known.pod);
  const labels = broken || !templateOk || !allKnown(rec(t.metadata), known.meta);
  const ctrs = broken || !templateOk || !Array.isArray(spec?.containers) || !allKnown(spec, known.spec)
    || [...arr(spec?.containers), ...arr(spec?.initContainers)].some((c) => !allKnown(rec(c), known.container));
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
function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const r = rec(v);
  if (r) for (const [k, x] of Object.entries(r)) if (x !== null && x !== undefined) out[k] = String(x);
  return out;
}
