import type { Api, GVR, KObject, OwnerReference, WatchHandle } from '../contract';
import { getControllerOf } from './objects';

export interface InformerHandlers {
  add?(obj: KObject): void;
  update?(oldObj: KObject, newObj: KObject): void;
  delete?(obj: KObject): void;
  /**
   * The kind of controller these handlers serve: they act only on objects a controller of this kind controls and on
   * those no controller owns (which it may adopt), so the informer does not call them for the rest. Most pod changes
   * are of pods other controllers own, and one look at the object's controller reference, shared by every such
   * handler, costs less than a call to each (client-go's FilteringResourceEventHandler, with the filter known here).
   */
  controllerKind?: string;
}

type IndexFn = (obj: KObject) => string[];
/** Says, for an update, that an index's values cannot have changed (so `fn` need not run twice). */
type UnchangedFn = (oldObj: KObject, newObj: KObject) => boolean;

/**
 * One cached object. The items map and every index bucket hold the same
 * entry, so an update that leaves an object in its buckets (a status write)
 * only swaps `obj`, without touching the index maps.
 */
interface Entry {
  obj: KObject;
  /** The entries before and after it in the order objects first came (see `Informer.first`). */
  prev: Entry | undefined;
  next: Entry | undefined;
}

interface Index {
  fn: IndexFn;
  unchanged?: UnchangedFn;
  buckets: Map<string, Set<Entry>>;
}

/**
 * A shared cache of one resource, kept current by a watch, with indexes by
 * namespace, by owner uid and by any function a component registers.
 * Objects are the store's frozen instances (no copies): read them, and
 * deepCopy before changing. Every component built on the same Api shares one
 * informer per resource (see `informerFor`), as client-go's factory does.
 */
export class Informer {
  /**
   * namespace ('' when cluster-scoped) -> name -> entry, as the store keeps them: a write's lookup uses the strings
   * the object carries (their hashes cached), never a `namespace/name` joined for it.
   */
  private items = new Map<string, Map<string, Entry>>();
  /**
   * Every entry in the order its object first came (lists and replays keep that order, across namespaces): a list
   * linked through the entries, as a Set of them would keep it, without a table of every object to insert into.
   */
  private first: Entry | undefined;
  private last: Entry | undefined;
  private count = 0;
  private indexes = new Map<string, Index>();
  /** The same indexes as a list: every write walks them, and a list needs no iterator for it. */
  private indexList: Index[] = [];
  private handlers: InformerHandlers[] = [];
  private handle: WatchHandle | undefined;
  private synced = false;

  constructor(
    private readonly api: Api,
    readonly gvr: GVR,
  ) {
    this.addIndex(
      'owner',
      (o) => ownerUids(o.metadata.ownerReferences),
      (a, b) => a.metadata.ownerReferences === b.metadata.ownerReferences,
    );
  }

  /** Lists, then watches from the list's resourceVersion. Idempotent. */
  start(): void {
    if (this.handle) return;
    const res = this.api.list(this.gvr, undefined);
    for (const o of res.items) this.put(o);
    this.synced = true;
    this.handle = this.api.watch(this.gvr, undefined, { resourceVersion: res.resourceVersion }, (e) => {
      if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        const old = this.put(e.object);
        const kind = getControllerOf(e.object)?.kind;
        // An update also reaches the handlers of the kind that controlled the version before (a controller syncs its
        // old owner when a pod's controller reference changes, as upstream's updatePod handlers do).
        const oldKind = old && old.metadata.ownerReferences !== e.object.metadata.ownerReferences ? getControllerOf(old)?.kind : kind;
        for (const h of this.handlers) {
          if (kind !== undefined && h.controllerKind !== undefined && h.controllerKind !== kind && h.controllerKind !== oldKind) continue;
          if (old) h.update?.(old, e.object);
          else h.add?.(e.object);
        }
      } else if (e.type === 'DELETED') {
        this.remove(e.object.metadata.namespace, e.object.metadata.name!);
        const kind = getControllerOf(e.object)?.kind;
        for (const h of this.handlers) {
          if (kind !== undefined && h.controllerKind !== undefined && h.controllerKind !== kind) continue;
          h.delete?.(e.object);
        }
      }
    });
  }

  stop(): void {
    this.handle?.stop();
    this.handle = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Registers handlers; objects already cached are replayed as adds, as client-go does. */
  on(h: InformerHandlers): () => void {
    this.handlers.push(h);
    if (h.add) {
      for (const o of this.list()) {
        const kind = h.controllerKind === undefined ? undefined : getControllerOf(o)?.kind;
        if (kind === undefined || kind === h.controllerKind) h.add(o);
      }
    }
    return () => {
      const i = this.handlers.indexOf(h);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /**
   * Adds a named index; `fn` maps an object to its index values. `unchanged`,
   * when given, tells cheaply that an update keeps the values (e.g. the same
   * labels instance), so `fn` is not run for it.
   */
  addIndex(name: string, fn: IndexFn, unchanged?: UnchangedFn): void {
    if (name === NAMESPACE_INDEX || this.indexes.has(name)) return;
    const idx: Index = { fn, unchanged, buckets: new Map() };
    this.indexes.set(name, idx);
    this.indexList.push(idx);
    for (let e = this.first; e; e = e.next) for (const v of fn(e.obj)) bucket(idx.buckets, v).add(e);
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.items.get(namespace || '')?.get(name)?.obj;
  }

  /** The object of a `namespace/name` key (objectKey). */
  getByKey(key: string): KObject | undefined {
    const i = key.indexOf('/');
    return i < 0 ? this.items.get('')?.get(key)?.obj : this.items.get(key.slice(0, i))?.get(key.slice(i + 1))?.obj;
  }

  /** All objects, or those of one namespace. */
  list(namespace?: string): KObject[] {
    if (namespace === undefined) {
      const out = new Array<KObject>(this.count);
      let i = 0;
      for (let e = this.first; e; e = e.next) out[i++] = e.obj;
      return out;
    }
    return this.byIndex('namespace', namespace);
  }

  byIndex(name: string, value: string): KObject[] {
    const b = name === NAMESPACE_INDEX ? this.items.get(value) : this.indexes.get(name)?.buckets.get(value);
    return b ? objects(b) : [];
  }

  /** How many objects an index holds under a value, with no list made for it. */
  countByIndex(name: string, value: string): number {
    return (name === NAMESPACE_INDEX ? this.items.get(value) : this.indexes.get(name)?.buckets.get(value))?.size ?? 0;
  }

  /** Objects whose ownerReferences name this uid. */
  byOwner(uid: string): KObject[] {
    return this.byIndex('owner', uid);
  }

  get size(): number {
    return this.count;
  }

  /** Caches `o`; answers the object it replaced, if any. */
  private put(o: KObject): KObject | undefined {
    const ns = o.metadata.namespace || '';
    let names = this.items.get(ns);
    if (!names) this.items.set(ns, (names = new Map()));
    const name = o.metadata.name!;
    const e = names.get(name);
    if (!e) {
      const fresh: Entry = { obj: o, prev: this.last, next: undefined };
      names.set(name, fresh);
      if (this.last) this.last.next = fresh;
      else this.first = fresh;
      this.last = fresh;
      this.count++;
      const list = this.indexList;
      for (let i = 0; i < list.length; i++) for (const v of list[i].fn(o)) bucket(list[i].buckets, v).add(fresh);
      return undefined;
    }
    const old = e.obj;
    e.obj = o;
    const list = this.indexList;
    for (let i = 0; i < list.length; i++) {
      const idx = list[i];
      if (idx.unchanged?.(old, o)) continue;
      const values = idx.fn(o);
      const before = idx.fn(old);
      if (sameValues(before, values)) continue;
      for (const v of before) {
        const b = idx.buckets.get(v);
        if (b) {
          b.delete(e);
          if (b.size === 0) idx.buckets.delete(v);
        }
      }
      for (const v of values) bucket(idx.buckets, v).add(e);
    }
    return old;
  }

  private remove(namespace: string | undefined, name: string): void {
    const ns = namespace || '';
    const names = this.items.get(ns);
    const e = names?.get(name);
    if (!names || !e) return;
    for (const idx of this.indexList) {
      for (const v of idx.fn(e.obj)) {
        const b = idx.buckets.get(v);
        if (b) {
          b.delete(e);
          if (b.size === 0) idx.buckets.delete(v);
        }
      }
    }
    names.delete(name);
    if (names.size === 0) this.items.delete(ns);
    if (e.prev) e.prev.next = e.next;
    else this.first = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.last = e.prev;
    this.count--;
  }
}

/** The objects of a bucket, or of a namespace's names map: both hold entries in the order they came. */
function objects(entries: Set<Entry> | Map<string, Entry>): KObject[] {
  const out = new Array<KObject>(entries.size);
  let i = 0;
  for (const e of entries.values()) out[i++] = e.obj;
  return out;
}

/** An index function's answer for an object it puts in no bucket: one list for all (index values are only read). */
export const NO_VALUES: string[] = [];

let lastRefs: readonly OwnerReference[] | undefined;
let lastUids: string[] = NO_VALUES;

/**
 * The owner index's values. A controller's objects share one frozen ownerReferences list (the store deep-freezes
 * what it keeps, and the informer holds only its objects), so the uids of the last list are kept and answered again.
 */
function ownerUids(refs: readonly OwnerReference[] | undefined): string[] {
  if (!refs) return NO_VALUES;
  if (refs === lastRefs) return lastUids;
  const uids = refs.map((r) => r.uid);
  if (Object.isFrozen(refs)) {
    lastRefs = refs;
    lastUids = uids;
  }
  return uids;
}

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bucket(idx: Map<string, Set<Entry>>, v: string): Set<Entry> {
  let b = idx.get(v);
  if (!b) idx.set(v, (b = new Set()));
  return b;
}

/**
 * Objects by namespace: the items map answers it (its names map of a namespace holds the same entries a bucket
 * would, in the same order: both gain an entry when its object first comes and lose it when the object goes), so no
 * bucket is kept for it.
 */
const NAMESPACE_INDEX = 'namespace';

const factories = new WeakMap<Api, Map<string, Informer>>();

/**
 * An Api that wraps another (a component's writes made as its own user, auth/identities.ts) names the one it wraps
 * here: informers belong to that one, so the components keep sharing them.
 */
export const API_ROOT = Symbol('the Api this one wraps');
export function rootApi(api: Api): Api {
  return (api as { [API_ROOT]?: Api })[API_ROOT] ?? api;
}

/**
 * The shared informer for a resource on this Api, started on first use.
 * Components built from one playground share it.
 */
export function informerFor(ctx: { api: Api }, gvr: GVR): Informer {
  const api = rootApi(ctx.api);
  let m = factories.get(api);
  if (!m) factories.set(api, (m = new Map()));
  const id = gvr.group + '/' + gvr.resource;
  let inf = m.get(id);
  if (!inf) {
    m.set(id, (inf = new Informer(api, gvr)));
    inf.start();
  }
  return inf;
}

/** Stops and forgets every shared informer of an Api (playground reset/close). */
export function stopInformers(api: Api): void {
  const root = rootApi(api);
  const m = factories.get(root);
  if (!m) return;
  for (const inf of m.values()) inf.stop();
  factories.delete(root);
}

/** The pods-by-node index several components share; a pod's node only changes when it is bound. */
export function indexPodsByNode(ctx: { api: Api }, pods: GVR): void {
  informerFor(ctx, pods).addIndex(
    'nodeName',
    (p) => (p.spec?.nodeName ? [p.spec.nodeName] : NO_VALUES),
    (a, b) => a.spec?.nodeName === b.spec?.nodeName,
  );
}
