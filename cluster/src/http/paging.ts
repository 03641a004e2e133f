/**
 * Paged lists served from one snapshot. The apiserver answers a `continue`
 * from the resourceVersion of the first page (etcd keeps that revision), so
 * the pages of one list agree with each other. Here the first page lists
 * everything once and later pages are slices of that snapshot: `kubectl get
 * pods -A` over 10,000 pods costs one list, not twenty. The tokens keep the
 * apiserver's format, so a token whose snapshot has expired still works: the
 * Api resumes after its `start` key.
 */
import { randomBytes } from 'node:crypto';
import type { Api, GVR, KObject, ListOptions, ListResult } from '../contract';
import { objectKey } from '../runtime/objects';

interface Snapshot {
  items: KObject[];
  resourceVersion: string;
  expires: number;
  /** The list had no selector, so the count of what is left is known. */
  counted: boolean;
}

const TTL_MS = 60_000;
const MAX_SNAPSHOTS = 32;

export class Pager {
  private readonly snapshots = new Map<string, Snapshot>();

  list(api: Api, gvr: GVR, ns: string | undefined, opts: ListOptions): ListResult {
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    if (!limit) return api.list(gvr, ns, opts);
    if (opts.continue) {
      const tok = decodeToken(opts.continue);
      const snap = tok?.snap ? this.snapshots.get(tok.snap) : undefined;
      if (!snap || typeof tok.at !== 'number' || snap.expires < Date.now()) return api.list(gvr, ns, opts);
      return this.page(tok.snap, snap, tok.at, limit);
    }
    const all = api.list(gvr, ns, { ...opts, limit: undefined, continue: undefined });
    if (all.items.length <= limit) return all;
    this.prune();
    const id = randomBytes(9).toString('base64url');
    const snap: Snapshot = { items: all.items, resourceVersion: all.resourceVersion, expires: Date.now() + TTL_MS, counted: !opts.labelSelector && !opts.fieldSelector };
    this.snapshots.set(id, snap);
    return this.page(id, snap, 0, limit);
  }

  private page(id: string, snap: Snapshot, at: number, limit: number): ListResult {
    const end = Math.min(snap.items.length, at + limit);
    const items = snap.items.slice(at, end);
    if (end >= snap.items.length) {
      this.snapshots.delete(id);
      return { items, resourceVersion: snap.resourceVersion };
    }
    const last = items[items.length - 1].metadata;
    const token = Buffer.from(JSON.stringify({
      v: 'meta.k8s.io/v1', rv: Number(snap.resourceVersion), start: objectKey(last.namespace, last.name!) + '\u0000', snap: id, at: end,
    })).toString('base64');
    // With a selector the store cannot count what is left (it counts every key), so it says nothing.
    return { items, resourceVersion: snap.resourceVersion, continue: token, ...(snap.counted ? { remainingItemCount: snap.items.length - end } : {}) };
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, s] of this.snapshots) if (s.expires < now) this.snapshots.delete(id);
    while (this.snapshots.size >= MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value as string);
  }
}

function decodeToken(t: string): any {
  try {
    return JSON.parse(Buffer.from(t, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}
