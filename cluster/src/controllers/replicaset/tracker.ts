/**
 * Running counts of each ReplicaSet's pods (active, ready, fully labelled),
 * kept from the pod informer's events, so that the sync that follows most
 * pod events (a pod became Ready: only status changes) costs O(1) instead of
 * a scan of every pod. At 150,000 pods that is the difference between
 * seconds and minutes.
 *
 * The counts only ever answer "is there nothing to do?". Whenever they say
 * pods must be created or deleted, or anything is uncertain, the controller
 * falls back to the full scan, which also sees its own unconfirmed writes.
 * Every informer event re-queues the ReplicaSet, so a transiently stale
 * count is corrected by the next sync.
 */
import type { KObject } from '../../contract.js';
import { isPodActive, isPodReady } from '../util/pods.js';

interface Entry {
  templateKey: string;
  /**
   * Flags by pod name: a ReplicaSet's pods are in its own namespace, so the name alone keys them, and it is a string
   * the pod holds (its hash cached), where a joined `namespace/name` would be a new string per informer event.
   */
  pods: Map<string, number>;
  active: number;
  ready: number;
  fully: number;
}

const ACTIVE = 1;
const READY = 2;
const FULLY = 4;

const labelKeys = new WeakMap<object, string>();

/** The template's labels as text, memoized per (immutable) labels object. */
export function templateLabelsKey(rs: KObject): string {
  const l = rs.spec?.template?.metadata?.labels;
  if (!l) return '';
  let k = labelKeys.get(l);
  if (k === undefined) {
    k = Object.keys(l).sort().map((x) => `${x}=${l[x]}`).join(',');
    if (Object.isFrozen(l)) labelKeys.set(l, k);
  }
  return k;
}

function flags(pod: KObject, templateLabels: Record<string, string>): number {
  if (!isPodActive(pod)) return 0;
  let f = ACTIVE;
  if (isPodReady(pod)) f |= READY;
  const l = pod.metadata.labels ?? {};
  let fully = true;
  for (const k in templateLabels) if (l[k] !== templateLabels[k]) fully = false;
  if (fully) f |= FULLY;
  return f;
}

/** How a count moves when a pod's flags go from `before` to `after`: -1, 0 or 1. */
function delta(before: number, after: number, bit: number): number {
  return ((after & bit) ? 1 : 0) - ((before & bit) ? 1 : 0);
}

export class PodCounts {
  private readonly entries = new Map<string, Entry>();

  /** Applies one informer event for a pod controlled by `rs` (undefined when the owner is unknown). */
  observe(type: string, pod: KObject, ownerUid: string, rs: KObject | undefined, stillMatches: boolean): void {
    const e = this.entries.get(ownerUid);
    if (!e) return;
    if (!rs || !stillMatches || templateLabelsKey(rs) !== e.templateKey) {
      this.entries.delete(ownerUid);
      return;
    }
    const key = pod.metadata.name!;
    const before = e.pods.get(key) ?? 0;
    const after = type === 'DELETED' ? 0 : flags(pod, rs.spec?.template?.metadata?.labels ?? {});
    if (type === 'DELETED') e.pods.delete(key);
    else e.pods.set(key, after);
    e.active += delta(before, after, ACTIVE);
    e.ready += delta(before, after, READY);
    e.fully += delta(before, after, FULLY);
  }

  /** Rebuilds the counts from a full scan of the pods the ReplicaSet controls. */
  rebuild(rs: KObject, pods: KObject[]): void {
    const tl = rs.spec?.template?.metadata?.labels ?? {};
    const e: Entry = { templateKey: templateLabelsKey(rs), pods: new Map(), active: 0, ready: 0, fully: 0 };
    for (const p of pods) {
      const f = flags(p, tl);
      e.pods.set(p.metadata.name!, f);
      if (f & ACTIVE) e.active++;
      if (f & READY) e.ready++;
      if (f & FULLY) e.fully++;
    }
    this.entries.set(rs.metadata.uid!, e);
  }

  /** The counts, if they are trustworthy for this ReplicaSet as it is now. */
  get(rs: KObject): { active: number; ready: number; fully: number } | undefined {
    const e = this.entries.get(rs.metadata.uid!);
    if (!e || e.templateKey !== templateLabelsKey(rs)) return undefined;
    return { active: e.active, ready: e.ready, fully: e.fully };
  }

  forget(uid: string): void {
    this.entries.delete(uid);
  }
}
