/** RFC 7386 JSON Merge Patch: objects merge recursively, null deletes, anything else replaces. */

import { deepCopy } from '../../runtime/objects';

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `patch` applied to `target`, neither changed. The result shares what the patch leaves alone with `target`; what
 * it takes from the patch is copied, unless the caller hands the patch over (`owned`), when its values are kept.
 */
export function applyMergePatch(target: unknown, patch: unknown, owned = false): unknown {
  if (!isObj(patch)) return patch === undefined ? target : owned ? patch : deepCopy(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) delete out[k];
    // A value that is no object replaces what was there (undefined keeps it) with no call: a status write is all such.
    else if (!isObj(v)) out[k] = v === undefined ? out[k] : owned ? v : deepCopy(v);
    else out[k] = applyMergePatch(out[k], v, owned);
  }
  return out;
}

/** The merge patch that turns `from` into `to` (used by client-side apply for kinds without a schema). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isObj(from) || !isObj(to)) return to;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (!(k in to)) out[k] = null;
  for (const k of Object.keys(to)) {
    if (!(k in from)) out[k] = to[k];
    else if (JSON.stringify(from[k]) !== JSON.stringify(to[k])) {
      out[k] = isObj(from[k]) && isObj(to[k]) ? createMergePatch(from[k], to[k]) : to[k];
    }
  }
  return out;
}
