import type { Api, GVR, KObject, WatchHandle } from '../contract';
import { objectKey } from './objects';

export interface InformerHandlers {
  add?(obj: KObject): void;
  update?(oldObj: KObject, newObj: KObject): void;
  delete?(obj: KObject): void;
}

type IndexFn = (obj: KObject) => string[];

/**
 * A shared cache of one resource, kept current by a watch, with indexes by
 * namespace, by owner uid and by any function a component registers.
 * Objects are the store's frozen instances (no copies): read them, and
 * deepCopy before changing. Every component built on the same Api shares one
 * informer per resource (see `informerFor`), as client-go's factory does.
 */
export class Informer {
  private items = new Map<string, KObject>();
  private indexFns = new Map<string, IndexFn>();
  private indexes = new Map<string, Map<string, Map<string, KObject>>>();
  private handlers: InformerHandlers[] = [];
  private handle: WatchHandle | undefined;
  private synced = false;

  constructor(
    private readonly api: Api,
    readonly gvr: GVR,
  ) {
    this.addIndex('namespace', (o) => [o.metadata.namespace ?? '']);
    this.addIndex('owner', (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid));
  }

  /** Lists, then watches from the list's resourceVersion. Idempotent. */
  start(): void {
    if (this.handle) return;
    const res = this.api.list(this.gvr, undefined);
    for (const o of res.items) this.put(o);
    this.synced = true;
    this.handle = this.api.watch(this.gvr, undefined, { resourceVersion: res.resourceVersion }, (e) => {
      if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        const key = objectKey(e.object.metadata.namespace, e.object.metadata.name!);
        const old = this.items.get(key);
        this.put(e.object);
        for (const h of this.handlers) {
          if (old) h.update?.(old, e.object);
          else h.add?.(e.object);
        }
      } else if (e.type === 'DELETED') {
        const key = objectKey(e.object.metadata.namespace, e.object.metadata.name!);
        this.remove(key);
        for (const h of this.handlers) h.delete?.(e.object);
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
    if (h.add) for (const o of this.items.values()) h.add(o);
    return () => {
      const i = this.handlers.indexOf(h);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /** Adds a named index; `fn` maps an object to its index values. */
  addIndex(name: string, fn: IndexFn): void {
    if (this.indexFns.has(name)) return;
    this.indexFns.set(name, fn);
    const idx = new Map<string, Map<string, KObject>>();
    this.indexes.set(name, idx);
    for (const [key, o] of this.items) for (const v of fn(o)) bucket(idx, v).set(key, o);
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.items.get(objectKey(namespace, name));
  }

  getByKey(key: string): KObject | undefined {
    return this.items.get(key);
  }

  /** All objects, or those of one namespace. */
  list(namespace?: string): KObject[] {
    if (namespace === undefined) return [...this.items.values()];
    return this.byIndex('namespace', namespace);
  }

  byIndex(name: string, value: string): KObject[] {
    const b = this.indexes.get(name)?.get(value);
    return b ? [...b.values()] : [];
  }

  /** Objects whose ownerReferences name this uid. */
  byOwner(uid: string): KObject[] {
    return this.byIndex('owner', uid);
  }

  get size(): number {
    return this.items.size;
  }

  private put(o: KObject): void {
    const key = objectKey(o.metadata.namespace, o.metadata.name!);
    const old = this.items.get(key);
    this.items.set(key, o);
    for (const [name, fn] of this.indexFns) {
      const idx = this.indexes.get(name)!;
      // The built-in indexes cannot move when namespace and ownerReferences are the same instances (status updates).
      if (old && ((name === 'namespace' && old.metadata.namespace === o.metadata.namespace) || (name === 'owner' && old.metadata.ownerReferences === o.metadata.ownerReferences))) {
        if (name === 'namespace') idx.get(o.metadata.namespace ?? '')?.set(key, o);
        else for (const r of o.metadata.ownerReferences ?? []) idx.get(r.uid)?.set(key, o);
        continue;
      }
      const values = fn(o);
      if (old) {
        const before = fn(old);
        if (sameValues(before, values)) {
          // Same buckets: only the object reference changes (the common status update).
          for (const v of values) idx.get(v)!.set(key, o);
          continue;
        }
        for (const v of before) {
          const b = idx.get(v);
          if (b) {
            b.delete(key);
            if (b.size === 0) idx.delete(v);
          }
        }
      }
      for (const v of values) bucket(idx, v).set(key, o);
    }
  }

  private remove(key: string): void {
    const old = this.items.get(key);
    if (!old) return;
    this.unindex(key, old);
    this.items.delete(key);
  }

  private unindex(key: string, o: KObject): void {
    for (const [name, fn] of this.indexFns) {
      const idx = this.indexes.get(name)!;
      for (const v of fn(o)) {
        const b = idx.get(v);
        if (b) {
          b.delete(key);
          if (b.size === 0) idx.delete(v);
        }
      }
    }
  }
}

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bucket(idx: Map<string, Map<string, KObject>>, v: string): Map<string, KObject> {
  let b = idx.get(v);
  if (!b) idx.set(v, (b = new Map()));
  return b;
}

const factories = new WeakMap<Api, Map<string, Informer>>();

/**
 * The shared informer for a resource on this Api, started on first use.
 * Components built from one playground share it.
 */
export function informerFor(ctx: { api: Api }, gvr: GVR): Informer {
  let m = factories.get(ctx.api);
  if (!m) factories.set(ctx.api, (m = new Map()));
  const id = gvr.group + '/' + gvr.resource;
  let inf = m.get(id);
  if (!inf) {
    m.set(id, (inf = new Informer(ctx.api, gvr)));
    inf.start();
  }
  return inf;
}

/** Stops and forgets every shared informer of an Api (playground reset/close). */
export function stopInformers(api: Api): void {
  const m = factories.get(api);
  if (!m) return;
  for (const inf of m.values()) inf.stop();
  factories.delete(api);
}
