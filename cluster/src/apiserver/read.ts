/** list (selectors, limit and continue) and watch (ordered events from a resourceVersion, bookmarks) over the store. */
import type { KObject, ListOptions, ListResult, WatchEvent, WatchHandle } from '../contract';
import type { ChangeRecord, StoreWatcher } from '../store/store';
import { objectKey } from '../runtime/objects';
import type { ApiServer } from './api';
import { apiVersionOf, storageId, type ResourceInfo } from './resources';
import { compileSelectors } from './selectors';
import { badRequest, gone } from './status';
import { continueFrom, encodeContinue } from './continuetoken';

/**
 * The revision an Exact list reads at (resourceVersionMatch=Exact, or the legacy form: a limit with a resourceVersion
 * other than 0). Past the table's history it is gone, as a compacted etcd revision: 410 Expired.
 */
function exactRevision(api: ApiServer, id: string, opts: ListOptions): number | undefined {
  if (opts.resourceVersionMatch !== 'Exact' || !opts.resourceVersion || !/^\d+$/.test(opts.resourceVersion)) return undefined;
  const rev = Number(opts.resourceVersion);
  if (rev >= api.store.rev) return undefined;
  if (rev < api.store.table(id).compactedRev) throw gone('The resourceVersion for the provided list is too old.');
  return rev;
}

/** The table as it was at `rev`: today's objects with every later change in the history undone, newest first. */
function listAt(api: ApiServer, id: string, ns: string | undefined, rev: number, pred: ((o: KObject) => boolean) | undefined, start: string): { key: string; o: KObject }[] {
  const table = api.store.table(id);
  const then = new Map<string, KObject | null>();
  for (let i = table.history.length - 1; i >= 0 && table.history[i].rev > rev; i--) {
    const r = table.history[i];
    then.set(objectKey(r.object.metadata.namespace, r.object.metadata.name!), r.type === 'ADDED' ? null : (r.prev ?? null));
  }
  const out: { key: string; o: KObject }[] = [];
  const take = (key: string, o: KObject | null | undefined) => {
    if (!o || (ns !== undefined && o.metadata.namespace !== ns) || (pred && !pred(o)) || (start && key < start)) return;
    out.push({ key, o });
  };
  for (const o of api.store.list(id, ns)) {
    const key = objectKey(o.metadata.namespace, o.metadata.name!);
    take(key, then.has(key) ? then.get(key) : o);
  }
  for (const [key, o] of then) if (o && !api.store.get(id, o.metadata.namespace, o.metadata.name!)) take(key, o);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The list predicate for a resource: Events of events.k8s.io by their own field labels, a CRD's by its converter's. */
function selectorsFor(id: string, info: ResourceInfo, opts: ListOptions) {
  const table = id === '/events' && info.group ? 'events.k8s.io/events' : id;
  return compileSelectors(table, opts.labelSelector, opts.fieldSelector, info.custom ? { clusterScoped: !info.namespaced, selectableFields: info.custom.selectableFields } : undefined);
}

/**
 * The page size a list is served with. resourceVersion=0 without a continue token is served from the watch cache,
 * which ignores the limit and answers everything at once (cacher.go computeListLimit).
 */
export function listLimit(opts: ListOptions): number {
  if (!opts.limit || opts.limit <= 0 || (opts.resourceVersion === '0' && !opts.continue)) return 0;
  return opts.limit;
}

/** The checks of a list's continue token (400, 410 past compaction) without the list, for a pager serving its pages. */
export function checkContinue(api: ApiServer, info: ResourceInfo, namespace: string | undefined, opts: ListOptions): void {
  continueFrom(opts, info.namespaced ? namespace || undefined : undefined, api.store.table(storageId(info)).compactedRev);
}

export function listResource(api: ApiServer, info: ResourceInfo, namespace: string | undefined, opts: ListOptions): ListResult {
  const id = storageId(info);
  const ns = info.namespaced ? namespace || undefined : undefined;
  const pred = selectorsFor(id, info, opts);
  const tok = opts.continue ? continueFrom(opts, ns, api.store.table(id).compactedRev) : undefined;
  const start = tok?.start ?? '';
  // Objects come in etcd key order. All-namespace lists walk the table's cached sorted keys
  // (re-sorted only after adds and removals); one namespace's list sorts just that namespace.
  let matched: { key: string; o: KObject }[] = [];
  // A continue token reads at the revision of the list's first page, so the pages agree (etcd keeps it); rv -1 (the
  // token a 410 hands out) reads at the current one.
  const at = exactRevision(api, id, opts) ?? (tok && tok.rv > 0 && tok.rv < api.store.rev ? tok.rv : undefined);
  if (at !== undefined) matched = listAt(api, id, ns, at, pred, start);
  else if (ns === undefined) {
    const table = api.store.table(id);
    const slots = table.sortedSlots();
    let lo = 0;
    if (start) {
      let hi = slots.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (slots[mid].key < start) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let i = lo; i < slots.length; i++) {
      const o = table.at(slots[i]);
      if (o && (!pred || pred(o))) matched.push({ key: slots[i].key, o });
    }
  } else {
    for (const o of api.store.list(id, ns)) {
      if (pred && !pred(o)) continue;
      const key = objectKey(o.metadata.namespace, o.metadata.name!);
      if (start && key < start) continue;
      matched.push({ key, o });
    }
    matched.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  const rv = String(at ?? api.store.rev);
  const limit = listLimit(opts);
  if (limit && matched.length > limit) {
    const page = matched.slice(0, limit);
    const token = encodeContinue(page[page.length - 1].key + '\u0000', ns, Number(rv));
    const out: ListResult = { items: page.map((m) => api.present(info, m.o)), resourceVersion: rv, continue: token };
    // The store counts what it skipped, matching or not: with a selector it gives no count rather than a wrong one.
    if (!pred) out.remainingItemCount = matched.length - limit;
    return out;
  }
  return { items: matched.map((m) => api.present(info, m.o)), resourceVersion: rv };
}

export function watchResource(
  api: ApiServer,
  info: ResourceInfo,
  namespace: string | undefined,
  opts: ListOptions & { sendInitialEvents?: boolean; allowBookmarks?: boolean },
  onEvent: (e: WatchEvent) => void,
): WatchHandle {
  const id = storageId(info);
  const ns = info.namespaced ? namespace || undefined : undefined;
  const pred = selectorsFor(id, info, opts);
  const inScope = (o: KObject | undefined) => !!o && (!ns || o.metadata.namespace === ns) && (!pred || pred(o));
  const emit = (type: WatchEvent['type'], o: KObject) => onEvent({ type, object: api.present(info, o) });
  const w: StoreWatcher = {
    lastRev: 0,
    deliver: (rec: ChangeRecord) => {
      if (rec.type === 'ADDED') {
        if (inScope(rec.object)) emit('ADDED', rec.object);
      } else if (rec.type === 'MODIFIED') {
        const now = inScope(rec.object);
        const was = inScope(rec.prev);
        if (now && was) emit('MODIFIED', rec.object);
        else if (now) emit('ADDED', rec.object);
        else if (was) emit('DELETED', rec.object);
      } else if (rec.type === 'DELETED') {
        if (inScope(rec.prev ?? rec.object)) emit('DELETED', rec.object);
      } else if (rec.type === 'BOOKMARK') {
        onEvent({ type: 'BOOKMARK', object: rec.object });
      }
    },
  };
  const rv = opts.resourceVersion;
  let initial: KObject[] | undefined;
  let fromRev: number | undefined;
  if (opts.sendInitialEvents || rv === undefined || rv === '' || rv === '0') {
    initial = [...api.store.list(id, ns)];
  } else {
    fromRev = Number(rv);
    if (!Number.isInteger(fromRev) || fromRev < 0) throw badRequest(`invalid resource version: ${rv}`);
  }
  if (initial && opts.sendInitialEvents && opts.allowBookmarks) {
    initial = [...initial];
    const bookmark = {
      apiVersion: apiVersionOf(info),
      kind: info.kind,
      metadata: { resourceVersion: String(api.store.rev), annotations: { 'k8s.io/initial-events-end': 'true' } },
    } as KObject;
    (initial as any).bookmark = bookmark;
  }
  const res = api.store.watch(id, w, fromRev, initial, (initial as any)?.bookmark);
  if (res === 'gone') throw gone(`too old resource version: ${rv} (${api.store.table(id).compactedRev})`);
  return { stop: () => api.store.unwatch(id, w), flush: () => api.store.flushBacklog(w) };
}
