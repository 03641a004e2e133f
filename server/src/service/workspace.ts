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
import { indexObject, sameNamespace, type IndexedObject, POD_TEMPLATE_PATHS } from '../../../kube/src/cross/objects';
import type { Model, ModelDocument } from './model';

// The index entries are the shared cross-object layer's (kube/src/cross), so `kubeplay validate` reads files as the editor does.
export { get, imageListens, POD_TEMPLATE_PATHS, sameNamespace } from '../../../kube/src/cross/objects';
export type { IndexedContainer, IndexedObject, IndexedPort, PodTemplateInfo } from '../../../kube/src/cross/objects';

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

/** Keyed by the model's `documents` array (one per version, see Reuse). */
const perModel = new WeakMap<readonly ModelDocument[], IndexedObject[]>();

/**
 * The indexable objects of a model (cached per unchanged document, and per
 * model: the text-sync handler and the cross-object checks both ask after
 * every edit). Callers must not modify the returned list.
 */
export function indexModel(model: Model): IndexedObject[] {
  let cached = perModel.get(model.documents);
  if (!cached) perModel.set(model.documents, (cached = indexDocuments(model)));
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
  const pd = r.prev;
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
  for (const o of doc.objects) if (o.kind) out.push(indexObject(uri, doc.startLine, o.path, o.kind, o.value, broken));
  return out;
}
