import type { Api, GVR, KObject } from '../../contract.js';
import { Informer, NO_VALUES, informerFor } from '../../runtime/informer.js';
import { getControllerOf } from '../../runtime/objects.js';
import { keyOf } from './queue.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type CacheHandler = (type: CacheEventType, obj: KObject, old?: KObject) => void;

function rvNum(o: KObject | undefined): number {
  const rv = o?.metadata?.resourceVersion;
  return rv ? Number(rv) : 0;
}

const controllerUid = (o: KObject): string | undefined => getControllerOf(o)?.uid;

const ORPHAN_INDEX = 'workload:orphan-namespace';

/**
 * The workload controllers' view of one resource: the runtime's shared
 * informer, plus an overlay of the objects this process wrote and the watch
 * has not delivered yet.
 *
 * The overlay gives a sync read-your-writes: a ReplicaSet that just created
 * three pods counts them on its next sync even if the watch events are still
 * queued. That is the guarantee upstream's expectations provide (never create
 * the same missing pod twice), with less state. Overlay entries drop out as
 * soon as the informer catches up (same or newer resourceVersion, or DELETED),
 * so it stays a handful of objects.
 */
export class ObjectCache {
  private readonly inf: Informer;
  private readonly overlay = new Map<string, { obj: KObject; deleted: boolean }>();
  /** Bumped by every change seen or recorded: a view computed at one version holds while it stays. */
  version = 0;

  constructor(api: Api, readonly gvr: GVR) {
    this.inf = informerFor({ api }, gvr);
    this.inf.addIndex(
      ORPHAN_INDEX,
      (o) => (controllerUid(o) ? NO_VALUES : [o.metadata.namespace ?? '']),
      (a, b) => a.metadata.ownerReferences === b.metadata.ownerReferences,
    );
    this.inf.on({
      update: (_o, n) => this.catchUp(n, false),
      add: (n) => this.catchUp(n, false),
      delete: (n) => this.catchUp(n, true),
    });
  }

  private catchUp(o: KObject, deleted: boolean): void {
    this.version++;
    if (this.overlay.size === 0) return;
    const key = keyOf(o.metadata.namespace, o.metadata.name!);
    const e = this.overlay.get(key);
    if (e && (deleted || rvNum(o) >= rvNum(e.obj))) this.overlay.delete(key);
  }

  /**
   * Handlers run after the informer's own bookkeeping. Existing objects are not replayed. `only` tells the informer
   * which changes the handler can act on, so it is not called for the rest (every pod write reaches every handler):
   * `controlledBy`, the objects a controller of that kind controls and those no controller owns; `deletions`, only
   * deletions.
   */
  onEvent(h: CacheHandler, only?: { controlledBy?: string; deletions?: boolean }): void {
    let live = false;
    const controllerKind = only?.controlledBy;
    this.inf.on(
      only?.deletions
        ? { delete: (o) => h('DELETED', o), controllerKind }
        : {
            add: (o) => live && h('ADDED', o),
            update: (old, o) => h('MODIFIED', o, old),
            delete: (o) => h('DELETED', o),
            controllerKind,
          },
    );
    live = true;
  }

  start(): void {
    this.inf.start();
  }

  stop(): void {
    /* the shared informer is stopped by the playground (stopInformers) */
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    const base = this.inf.get(namespace, name);
    // Nearly always the overlay is empty (the informer caught up): no key is joined for it.
    if (this.overlay.size === 0) return base;
    const e = this.overlay.get(keyOf(namespace, name));
    if (e && rvNum(e.obj) > rvNum(base)) return e.deleted ? undefined : e.obj;
    return base;
  }

  list(namespace?: string): KObject[] {
    return this.merge(this.inf.list(namespace), (o) => namespace === undefined || o.metadata.namespace === namespace);
  }

  /** Objects whose controlling ownerReference has this uid. */
  ownedBy(uid: string): KObject[] {
    // The informer indexes every ownerReference; keep those where this owner is the controller.
    const all = this.inf.byOwner(uid);
    let items = all;
    for (let i = 0; i < all.length; i++) {
      if (controllerUid(all[i]) !== uid) {
        items = all.filter((o) => controllerUid(o) === uid);
        break;
      }
    }
    return this.merge(items, (o) => controllerUid(o) === uid);
  }

  /** Objects in `namespace` that no controller owns. */
  orphans(namespace: string): KObject[] {
    return this.merge(this.inf.byIndex(ORPHAN_INDEX, namespace), (o) => !controllerUid(o) && (o.metadata.namespace ?? '') === namespace);
  }

  /** Records an object we just wrote (create/update/patch result). */
  upsert(obj: KObject): void {
    this.version++;
    if (rvNum(this.inf.get(obj.metadata.namespace, obj.metadata.name!)) >= rvNum(obj)) return;
    this.overlay.set(keyOf(obj.metadata.namespace, obj.metadata.name!), { obj, deleted: false });
  }

  /** Records an object we just deleted outright. */
  remove(obj: KObject): void {
    this.version++;
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const base = this.inf.getByKey(key) ?? obj;
    this.overlay.set(key, { obj: { ...base, metadata: { ...base.metadata, resourceVersion: String(rvNum(base) + 0.5) } }, deleted: true });
  }

  private merge(items: KObject[], belongs: (o: KObject) => boolean): KObject[] {
    if (this.overlay.size === 0) return items;
    const out: KObject[] = [];
    const seen = new Set<string>();
    for (const o of items) {
      const key = keyOf(o.metadata.namespace, o.metadata.name!);
      seen.add(key);
      const e = this.overlay.get(key);
      if (!e || rvNum(e.obj) <= rvNum(o)) out.push(o);
      else if (!e.deleted && belongs(e.obj)) out.push(e.obj);
    }
    for (const [key, e] of this.overlay) {
      if (!seen.has(key) && !e.deleted && belongs(e.obj) && !this.inf.getByKey(key)) out.push(e.obj);
    }
    return out;
  }
}

/** The workload controllers' caches, one per resource, over the runtime's shared informers. */
export class Informers {
  private readonly caches = new Map<string, ObjectCache>();
  constructor(private readonly api: Api) {}

  for(gvr: GVR): ObjectCache {
    const k = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    let c = this.caches.get(k);
    if (!c) this.caches.set(k, (c = new ObjectCache(this.api, gvr)));
    return c;
  }
}
