/**
 * Paged lists served from one snapshot. The apiserver answers a `continue`
 * from the resourceVersion of the first page (etcd keeps that revision), so
 * the pages of one list agree with each other. Here the first page lists
 * everything once and later pages are slices of that snapshot: `kubectl get
 * pods -A` over 10,000 pods costs one list, not twenty. The tokens are the
 * apiserver's own (revision and start key, nothing more): a snapshot is found
 * by what was listed and at which revision, the page by its start key, and a
 * token whose snapshot has expired still works, the Api resuming after its key.
 */
import type { Api, GVR, KObject, ListOptions, ListResult } from '../contract';
import { lowerBound, objectKey } from '../runtime/objects';
import { decodeContinue, encodeContinue } from '../apiserver/continuetoken';
import { listLimit } from '../apiserver/read';

interface Snapshot {
  items: KObject[];
  /** The items' table keys, in order, to find a page by its token's start key. */
  keys: string[];
  resourceVersion: string;
  expires: number;
  /** The list had no selector, so the count of what is left is known. */
  counted: boolean;
}

const TTL_MS = 60_000;
const MAX_SNAPSHOTS = 32;

/** What a snapshot answers for: one resource, namespace and selectors at one revision. */
const snapshotId = (gvr: GVR, ns: string | undefined, opts: ListOptions, rv: string) =>
  JSON.stringify([gvr.group, gvr.version, gvr.resource, ns ?? '', opts.labelSelector ?? '', opts.fieldSelector ?? '', rv]);

export class Pager {
  private readonly snapshots = new Map<string, Snapshot>();

  list(api: Api, gvr: GVR, ns: string | undefined, opts: ListOptions): ListResult {
    const limit = listLimit(opts);
    if (!limit) return api.list(gvr, ns, opts);
    if (opts.continue) {
      const tok = decodeContinue(opts.continue, ns || undefined);
      const id = typeof tok === 'string' || tok.rv <= 0 ? undefined : snapshotId(gvr, ns, opts, String(tok.rv));
      const snap = id ? this.snapshots.get(id) : undefined;
      // The Api refuses the token as the storage would (400, or 410 once its revision is compacted).
      if (!snap || snap.expires < Date.now() || !api.checkContinue) return api.list(gvr, ns, opts);
      api.checkContinue(gvr, ns, opts);
      return this.page(id!, snap, lowerBound(snap.keys, (tok as { start: string }).start), limit, ns);
    }
    const all = api.list(gvr, ns, { ...opts, limit: undefined, continue: undefined });
    if (all.items.length <= limit) return all;
    this.prune();
    const id = snapshotId(gvr, ns, opts, all.resourceVersion);
    const keys = all.items.map((o) => objectKey(o.metadata.namespace, o.metadata.name!));
    const snap: Snapshot = { items: all.items, keys, resourceVersion: all.resourceVersion, expires: Date.now() + TTL_MS, counted: !opts.labelSelector && !opts.fieldSelector };
    this.snapshots.set(id, snap);
    return this.page(id, snap, 0, limit, ns);
  }

  private page(id: string, snap: Snapshot, at: number, limit: number, ns: string | undefined): ListResult {
    const end = Math.min(snap.items.length, at + limit);
    const items = snap.items.slice(at, end);
    if (end >= snap.items.length) {
      this.snapshots.delete(id);
      return { items, resourceVersion: snap.resourceVersion };
    }
    const token = encodeContinue(snap.keys[end - 1] + '\u0000', ns || undefined, Number(snap.resourceVersion));
    // With a selector the store cannot count what is left (it counts every key), so it says nothing.
    return { items, resourceVersion: snap.resourceVersion, continue: token, ...(snap.counted ? { remainingItemCount: snap.items.length - end } : {}) };
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, s] of this.snapshots) if (s.expires < now) this.snapshots.delete(id);
    while (this.snapshots.size >= MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value as string);
  }
}

