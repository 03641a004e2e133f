/** list (selectors, limit and continue) and watch (ordered events from a resourceVersion, bookmarks) over the store. */
import type { KObject, ListOptions, ListResult, WatchEvent, WatchHandle } from '../contract';
import type { ChangeRecord, StoreWatcher } from '../store/store';
import { objectKey } from '../runtime/objects';
import type { ApiServer } from './api';
import { apiVersionOf, storageId, type ResourceInfo } from './resources';
import { compileSelectors } from './selectors';
import { badRequest, gone } from './status';

export function listResource(api: ApiServer, info: ResourceInfo, namespace: string | undefined, opts: ListOptions): ListResult {
  const id = storageId(info);
  const ns = info.namespaced ? namespace || undefined : undefined;
  const pred = compileSelectors(id === '/events' && info.group ? 'events.k8s.io/events' : id, opts.labelSelector, opts.fieldSelector);
  let start = '';
  if (opts.continue) {
    try {
      const tok = JSON.parse(Buffer.from(opts.continue, 'base64').toString('utf8'));
      start = String(tok.start ?? '');
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
    }
  }
  // Objects come in etcd key order. All-namespace lists walk the table's cached sorted keys
  // (re-sorted only after adds and removals); one namespace's list sorts just that namespace.
  const matched: { key: string; o: KObject }[] = [];
  if (ns === undefined) {
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
  const rv = String(api.store.rev);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  if (limit && matched.length > limit) {
    const page = matched.slice(0, limit);
    const last = page[page.length - 1].key;
    const token = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: last + '\u0000' })).toString('base64');
    return { items: page.map((m) => api.present(info, m.o)), resourceVersion: rv, continue: token, remainingItemCount: matched.length - limit };
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
  const pred = compileSelectors(id === '/events' && info.group ? 'events.k8s.io/events' : id, opts.labelSelector, opts.fieldSelector);
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
