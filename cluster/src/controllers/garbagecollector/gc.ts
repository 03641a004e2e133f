/**
 * The garbage collector (pkg/controller/garbagecollector) on the store's
 * indexes instead of a graph of informers: the store already knows every
 * object by uid and every dependent by owner uid, so no per-resource cache
 * is needed. It deletes dependents whose owners are gone (background),
 * deletes the dependents of an owner that waits in foreground deletion and
 * then lets the owner go, and orphans dependents (drops the ownerReference)
 * of an owner deleted with propagationPolicy=Orphan.
 */
import type { Component, ComponentContext, KObject, OwnerReference } from '../../contract';
import { GC_IGNORED_TABLES, type Store, type ChangeRecord } from '../../store/store';
import { WorkQueue } from '../../runtime/queue';
import { resourceInfo, resourceForKind, gvrOf, storageId } from '../../apiserver/resources';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from '../../apiserver/delete';
import { isStatusError } from '../../apiserver/status';
import { customResourcesOf } from '../../apiserver/crd/registry';

export const GC_NAME = 'garbage-collector-controller';

/**
 * An update the graph builder would pass over (processGraphChanges): the same ownerReferences, and no
 * change to whether the object is being deleted or to its finalizers. A status write, the bulk of all
 * writes, is one; whatever its owners were was judged when they last changed.
 */
function unchangedForGc(a: KObject['metadata'], b: KObject['metadata']): boolean {
  return a.ownerReferences === b.ownerReferences && a.deletionTimestamp === b.deletionTimestamp && a.finalizers === b.finalizers;
}

/** Queue keys: `<action>|<table>|<ns/name>`. */
type Action = 'delete' | 'orphan' | 'foreground';

export class GarbageCollector implements Component {
  readonly name = GC_NAME;
  private queue: WorkQueue;
  private untap: (() => void) | undefined;
  /** Dependent and owner uids already reported with OwnerRefInvalidNamespace. */
  private reported = new Set<string>();

  constructor(
    private readonly ctx: ComponentContext,
    private readonly store: Store,
  ) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), {
      onError: (k, e) => ctx.log(GC_NAME, `error syncing ${k}: ${(e as Error).message}`),
    });
  }

  start(): void {
    this.untap = this.store.tap((table, rec) => this.observe(table, rec), { except: GC_IGNORED_TABLES });
    // Catch up with whatever happened while we were not running (a restored playground).
    for (const table of this.store.tableIds()) {
      if (GC_IGNORED_TABLES.has(table)) continue;
      for (const o of this.store.list(table)) this.consider(table, o);
    }
  }

  stop(): void {
    this.untap?.();
    this.queue.stop();
  }

  private key(action: Action, table: string, o: KObject): string {
    const m = o.metadata;
    return `${action}|${table}|${m.namespace ? m.namespace + '/' : ''}${m.name}`;
  }

  private observe(table: string, rec: ChangeRecord): void {
    if (GC_IGNORED_TABLES.has(table)) return;
    if (rec.type === 'DELETED') {
      const gone = rec.prev ?? rec.object;
      const uid = gone.metadata.uid;
      if (uid) for (const d of this.store.dependentsOf(uid)) this.queue.add(this.key('delete', d.table, d.object));
      // An owner waiting for this dependent may now be free to go.
      for (const r of gone.metadata.ownerReferences ?? []) {
        const owner = this.store.byUid(r.uid);
        if (owner && owner.metadata.deletionTimestamp) this.consider(this.tableOfUid(r.uid)!, owner);
      }
      return;
    }
    if (rec.type === 'MODIFIED' && rec.prev && unchangedForGc(rec.prev.metadata, rec.object.metadata)) return;
    if (rec.type === 'ADDED' || rec.type === 'MODIFIED') this.consider(table, rec.object);
  }

  private tableOfUid(uid: string): string | undefined {
    return this.store.uids.get(uid)?.table;
  }

  /**
   * What a reference is worth (classifyReferences, isDangling): the owner named by kind and name, in the
   * dependent's namespace when the kind is namespaced, with the reference's uid. `unresolvable` (never acted on):
   * a kind the apiserver does not serve, or a cluster-scoped dependent naming a namespaced owner. A namespaced
   * owner found by uid in another namespace is reported (OwnerRefInvalidNamespace) and counts as gone.
   */
  private classify(r: OwnerReference, dep: KObject): 'solid' | 'dangling' | 'waiting' | 'unresolvable' {
    const depNs = dep.metadata.namespace;
    const byUid = this.store.byUid(r.uid);
    let owner: KObject | undefined;
    if (byUid && byUid.metadata.name === r.name && byUid.kind === r.kind && (byUid.metadata.namespace === undefined || (depNs !== undefined && byUid.metadata.namespace === depNs))) {
      owner = byUid;
    } else {
      const info = resourceForKind(r.apiVersion, r.kind, this.store);
      if (!info || (depNs === undefined && info.namespaced)) return 'unresolvable';
      const found = this.store.get(storageId(info), info.namespaced ? depNs : undefined, r.name);
      if (found?.metadata.uid === r.uid) owner = found;
      else if (info.namespaced && byUid?.metadata.namespace && byUid.metadata.namespace !== depNs) this.reportInvalidNamespace(r, dep);
    }
    if (!owner) return 'dangling';
    return owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FINALIZER_FOREGROUND) ? 'waiting' : 'solid';
  }

  /** reportInvalidNamespaceOwnerRef: once for each dependent and reference. */
  private reportInvalidNamespace(r: OwnerReference, dep: KObject): void {
    const key = `${dep.metadata.uid}/${r.uid}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const ns = dep.metadata.namespace;
    this.ctx.events.event({ component: GC_NAME }, dep, 'Warning', 'OwnerRefInvalidNamespace',
      `ownerRef [${r.apiVersion}/${r.kind}, namespace: ${ns}, name: ${r.name}, uid: ${r.uid}] does not exist in namespace ${JSON.stringify(ns)}`);
  }

  /** Queues work for an object only when something is to be done, so 100k pods cost a lookup each, not a sync. */
  private consider(table: string, o: KObject): void {
    const m = o.metadata;
    if (m.deletionTimestamp && m.finalizers) {
      if (m.finalizers.includes(FINALIZER_ORPHAN)) this.queue.add(this.key('orphan', table, o));
      if (m.finalizers.includes(FINALIZER_FOREGROUND)) this.queue.add(this.key('foreground', table, o));
    }
    const refs = m.ownerReferences;
    if (refs && refs.length) {
      for (const r of refs) {
        const v = this.classify(r, o);
        if (v === 'dangling' || v === 'waiting') {
          this.queue.add(this.key('delete', table, o));
          break;
        }
      }
    }
  }

  private sync(k: string): void {
    const [action, table, nsName] = splitKey(k);
    const slash = nsName.indexOf('/');
    const ns = slash >= 0 ? nsName.slice(0, slash) : undefined;
    const name = slash >= 0 ? nsName.slice(slash + 1) : nsName;
    const o = this.store.get(table, ns, name);
    if (!o) return;
    if (action === 'delete') this.attemptToDelete(table, o);
    else if (action === 'orphan') this.orphanDependents(table, o);
    else this.processForeground(table, o);
  }

  private gvr(table: string) {
    const i = table.indexOf('/');
    const info = resourceInfo(table.slice(0, i), table.slice(i + 1)) ?? customResourcesOf(this.store)?.info(table.slice(0, i), table.slice(i + 1));
    if (!info) throw new Error(`no resource for ${table}`);
    return { info, gvr: gvrOf(info) };
  }

  /** Classifies the owners (solid, dangling, waiting) and deletes or fixes the dependent as upstream's attemptToDeleteItem. */
  private attemptToDelete(table: string, o: KObject): void {
    if (o.metadata.deletionTimestamp && !o.metadata.finalizers?.includes(FINALIZER_FOREGROUND)) return;
    const refs = o.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const r of refs) {
      const v = this.classify(r, o);
      // An unresolvable reference stops the dependent's processing (upstream forgets the item).
      if (v === 'unresolvable') return;
      if (v === 'dangling') dangling.push(r);
      else if (v === 'waiting') waiting.push(r);
      else solid.push(r);
    }
    const { info, gvr } = this.gvr(table);
    const ns = o.metadata.namespace;
    const name = o.metadata.name!;
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      // Still owned by someone alive: only drop the references to owners that are gone or waiting on us.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      const keep = refs.filter((r) => !drop.has(r.uid));
      this.write(() => this.ctx.api.patch(gvr, ns, name, 'merge', { metadata: { ownerReferences: keep, uid: o.metadata.uid } }));
      return;
    }
    if (o.metadata.deletionTimestamp) return;
    const hasDependents = this.store.dependentsOf(o.metadata.uid!).length > 0;
    const policy = waiting.length && hasDependents ? 'Foreground' : o.metadata.finalizers?.includes(FINALIZER_ORPHAN) ? 'Orphan' : 'Background';
    const owner = refs[0];
    this.write(() => {
      this.ctx.api.delete(gvr, ns, name, { propagationPolicy: policy, preconditions: { uid: o.metadata.uid } });
      this.ctx.log(GC_NAME, `deleted ${info.kind.toLowerCase()} ${ns ? ns + '/' : ''}${name} (owner ${owner.kind} ${owner.name} is ${waiting.length ? 'being deleted in the foreground' : 'gone'}; ${policy.toLowerCase()} propagation)`);
      this.ctx.count(GC_NAME, 'deleted');
    });
  }

  /** Orphan: every dependent loses its reference to this owner, then the `orphan` finalizer comes off. */
  private orphanDependents(table: string, owner: KObject): void {
    const uid = owner.metadata.uid!;
    for (const d of this.store.dependentsOf(uid)) {
      const { gvr } = this.gvr(d.table);
      const keep = (d.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      this.write(() =>
        this.ctx.api.patch(gvr, d.object.metadata.namespace, d.object.metadata.name!, 'merge', {
          metadata: { ownerReferences: keep.length ? keep : null, uid: d.object.metadata.uid },
        }),
      );
    }
    this.ctx.log(GC_NAME, `orphaned the dependents of ${owner.kind} ${owner.metadata.name}`);
    this.removeFinalizer(table, owner, FINALIZER_ORPHAN);
  }

  /** Foreground: dependents are deleted first; the owner goes once no blocking dependent is left. */
  private processForeground(table: string, owner: KObject): void {
    const deps = this.store.dependentsOf(owner.metadata.uid!);
    let blocking = 0;
    for (const d of deps) {
      const ref = d.object.metadata.ownerReferences?.find((r) => r.uid === owner.metadata.uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!d.object.metadata.deletionTimestamp) this.queue.add(this.key('delete', d.table, d.object));
    }
    if (blocking === 0) this.removeFinalizer(table, owner, FINALIZER_FOREGROUND);
  }

  private removeFinalizer(table: string, o: KObject, finalizer: string): void {
    const { gvr } = this.gvr(table);
    const finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.write(() =>
      this.ctx.api.patch(gvr, o.metadata.namespace, o.metadata.name!, 'merge', {
        metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: o.metadata.resourceVersion },
      }),
    );
  }

  /** NotFound and Conflict mean the world moved on; the next change brings the object back to us. */
  private write(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }
}

function splitKey(k: string): [string, string, string] {
  const a = k.indexOf('|');
  const b = k.indexOf('|', a + 1);
  return [k.slice(0, a), k.slice(a + 1, b), k.slice(b + 1)];
}
