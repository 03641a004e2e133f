/**
 * The parts of a new pod that a controller's pods have alike, shared between them once the pod is about to be
 * stored (stored objects are frozen, so sharing changes nothing a reader can see): the owner reference list, the
 * labels, the tolerations DefaultTolerationSeconds added, an empty securityContext. A ReplicaSet's 100 pods then
 * hold one of each instead of 100. Only values of the plain shapes below are shared; anything else is left as it is.
 */
import type { KObject } from '../contract';
import { EMPTY_OBJECT, Interner } from '../runtime/intern';
import { deepFreeze } from '../runtime/objects';

const ownerLists = new Interner<unknown[]>();
const labelMaps = new Interner<Record<string, string>>();
const tolerationLists = new Interner<unknown[]>();

const OWNER_KEYS = new Set(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']);
const TOLERATION_KEYS = new Set(['key', 'operator', 'value', 'effect', 'tolerationSeconds']);

/** A key naming a list of flat records whose fields are all among `allowed` (undefined when it is not one). */
function recordsKey(list: unknown, allowed: Set<string>): string | undefined {
  if (!Array.isArray(list) || list.length === 0 || list.length > 8) return undefined;
  let key = '';
  for (const r of list) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
    for (const [k, v] of Object.entries(r)) {
      if (!allowed.has(k) || (v !== null && typeof v === 'object')) return undefined;
      key += `${k}\u0001${typeof v}\u0001${String(v)}\u0002`;
    }
    key += '\u0003';
  }
  return key;
}

function labelsKey(labels: unknown): string | undefined {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  let key = '';
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string') return undefined;
    key += `${k}\u0001${v}\u0002`;
  }
  return key;
}

/** Whether two lists of flat records have the same fields and values in the same order. */
function sameRecords(a: unknown[], b: readonly unknown[] | undefined): boolean {
  if (a === b) return true;
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameFlat(a[i], b[i])) return false;
  return true;
}

/** Same fields, in the same order (the order a reader sees), with the same values. */
function sameFlat(a: any, b: any): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || a[ka[i]] !== b[ka[i]]) return false;
  return true;
}

/**
 * The last value shared of each kind: a controller creates its pods one after another, so most pods find theirs
 * here with a field-by-field comparison, before any key is built.
 */
let lastOwners: readonly unknown[] | undefined;
let lastLabels: Record<string, string> | undefined;
let lastTolerations: readonly unknown[] | undefined;

export function internPodParts(pod: KObject): void {
  const m = pod.metadata;
  const refs = m.ownerReferences;
  if (Array.isArray(refs) && sameRecords(refs, lastOwners)) m.ownerReferences = lastOwners as typeof refs;
  else {
    const owners = recordsKey(refs, OWNER_KEYS);
    if (owners !== undefined) {
      // A key is text: one that two lists could both make (a uid with the separators in it) must not hand one
      // pod another's owners, so what the table answers is compared field by field before it is shared.
      const shared = ownerLists.get(owners, () => deepFreeze(refs!));
      if (sameRecords(refs!, shared)) m.ownerReferences = (lastOwners = shared) as typeof refs;
    }
  }
  const l = m.labels;
  if (l && sameFlat(l, lastLabels)) m.labels = lastLabels;
  else {
    const labels = labelsKey(l);
    if (labels !== undefined && labels !== '') {
      const shared = labelMaps.get(labels, () => deepFreeze(l!));
      if (sameFlat(l, shared)) m.labels = lastLabels = shared;
    }
  }
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object') return;
  const t = spec.tolerations;
  if (Array.isArray(t) && sameRecords(t, lastTolerations)) spec.tolerations = lastTolerations;
  else {
    const tolerations = recordsKey(t, TOLERATION_KEYS);
    if (tolerations !== undefined) {
      const shared = tolerationLists.get(tolerations, () => deepFreeze(t));
      if (sameRecords(t, shared)) spec.tolerations = lastTolerations = shared;
    }
  }
  const sc = spec.securityContext;
  if (sc && typeof sc === 'object' && !Array.isArray(sc) && Object.keys(sc).length === 0) spec.securityContext = EMPTY_OBJECT;
}
