/**
 * The controller reference managers' ClaimObjects (ClaimPods, ClaimControllerRevisions): what an owner controls is
 * what it already controls and its selector still matches, plus the orphans in its namespace that match, which it
 * adopts. What it controls and no longer matches it releases, unless the owner itself is being deleted. An object
 * being deleted is not adopted.
 */
import type { ComponentContext, GVR, KObject } from '../../contract.js';
import type { ObjectCache } from './cache.js';
import { newControllerRef } from './owner.js';

export interface ClaimOptions {
  /** Whether the owner's selector (and any further filter, such as a StatefulSet's `<set>-<ordinal>` names) takes the object. */
  match(o: KObject): boolean;
  /** Leave out releasing (a StatefulSet adopts orphan revisions and never releases one). */
  noRelease?: boolean;
  /** Set when the claim tried an adoption or a release (a write, which may have failed and be tried again). */
  wrote?: boolean;
}

export function claimObjects(ctx: ComponentContext, gvr: GVR, cache: ObjectCache, owner: KObject, opts: ClaimOptions): KObject[] {
  const uid = owner.metadata.uid!;
  const deleting = !!owner.metadata.deletionTimestamp;
  const out: KObject[] = [];
  for (const o of cache.ownedBy(uid)) {
    if (opts.match(o)) out.push(o);
    else if (!deleting && !opts.noRelease) {
      opts.wrote = true;
      release(ctx, gvr, cache, o, uid);
    }
  }
  if (deleting) return out;
  for (const o of cache.orphans(owner.metadata.namespace ?? '')) {
    if (o.metadata.deletionTimestamp || !opts.match(o)) continue;
    opts.wrote = true;
    const adopted = setOwners(ctx, gvr, cache, o, [...(o.metadata.ownerReferences ?? []), newControllerRef(owner)]);
    if (adopted) out.push(adopted);
  }
  return out;
}

function release(ctx: ComponentContext, gvr: GVR, cache: ObjectCache, o: KObject, uid: string): void {
  setOwners(ctx, gvr, cache, o, (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid));
}

/** The patch carries the object's uid, as AdoptPod's does: a same-named object created since is left alone. */
function setOwners(ctx: ComponentContext, gvr: GVR, cache: ObjectCache, o: KObject, refs: any[]): KObject | undefined {
  try {
    const res = ctx.api.patch(gvr, o.metadata.namespace, o.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid: o.metadata.uid } }).object;
    cache.upsert(res);
    return res;
  } catch {
    return undefined;
  }
}
