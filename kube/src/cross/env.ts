/**
 * The workspace facts cross-object checks need (which names are defined,
 * which pod templates carry which labels), kept up to date incrementally.
 *
 * The index hands out the same IndexedObject for an unchanged document, so an
 * edit replaces only a few entries. When the replacements say the same thing
 * (a changed replica count, a comment), `version` stays put and every
 * per-object result computed against it can be reused.
 */
import type { IndexedObject } from './objects';

export class CrossEnv {
  /** The document this environment serves (what "the rest of the workspace" is differs per document). */
  constructor(readonly uri = '') {}

  /** Bumped whenever what the checks can see changes. */
  version = 0;
  /** `Kind/name` → defining objects and their namespaces. */
  readonly defined = new Map<string, Map<IndexedObject, string | undefined>>();
  /** `key=value` of pod template labels → workloads carrying it. */
  readonly byLabel = new Map<string, Set<IndexedObject>>();
  /** ResourceQuotas that oblige containers to state requests or limits, and LimitRanges that give defaults. */
  readonly quotas = new Set<IndexedObject>();
  readonly limitRanges = new Set<IndexedObject>();
  /** Namespaces with a Pod Security level other than privileged, by name. */
  readonly podSecurity = new Map<string, Set<IndexedObject>>();
  readonly networkPolicies = new Set<IndexedObject>();
  /** Workloads whose pod template's labels could not be read as written (their own diagnostics say why). */
  readonly unsureLabels = new Set<IndexedObject>();
  private entries = new Set<IndexedObject>();
  private last: readonly IndexedObject[][] = [];

  /**
   * `lists`: the workspace's objects, one list per URI, in a stable order.
   * The index hands out the same list while a URI is unchanged and the same
   * objects for unchanged documents, so after an edit only the edited URI's
   * list is compared, element by element, and only the run between its
   * unchanged head and tail is taken out and put back.
   */
  update(lists: readonly IndexedObject[][]): void {
    const added: IndexedObject[] = [];
    const removed: IndexedObject[] = [];
    if (lists.length === this.last.length) {
      for (let i = 0; i < lists.length; i++) if (lists[i] !== this.last[i]) diffLists(this.last[i], lists[i], added, removed);
    } else {
      const next = new Set<IndexedObject>();
      for (const list of lists) for (const o of list) next.add(o);
      for (const o of next) if (!this.entries.has(o)) added.push(o);
      for (const o of this.entries) if (!next.has(o)) removed.push(o);
    }
    this.last = lists;
    if (!added.length && !removed.length) return;
    for (const o of removed) this.remove(o);
    for (const o of added) this.add(o);
    if (!sameFacts(added, removed)) this.version++;
  }

  private add(o: IndexedObject): void {
    this.entries.add(o);
    if (o.quotaRequires?.length) this.quotas.add(o);
    if (o.limitDefaults) this.limitRanges.add(o);
    if (o.networkPolicy) this.networkPolicies.add(o);
    if (o.podTemplate?.unsure?.labels) this.unsureLabels.add(o);
    if (o.podSecurity) {
      let set = this.podSecurity.get(o.name);
      if (!set) this.podSecurity.set(o.name, (set = new Set()));
      set.add(o);
    }
    const key = `${o.kind}/${o.name}`;
    let d = this.defined.get(key);
    if (!d) this.defined.set(key, (d = new Map()));
    d.set(o, o.namespace);
    const labels = o.podTemplate?.labels;
    if (labels) {
      for (const k in labels) {
        const lk = `${k}=${labels[k]}`;
        let s = this.byLabel.get(lk);
        if (!s) this.byLabel.set(lk, (s = new Set()));
        s.add(o);
      }
    }
  }

  private remove(o: IndexedObject): void {
    this.entries.delete(o);
    this.quotas.delete(o);
    this.limitRanges.delete(o);
    this.networkPolicies.delete(o);
    this.unsureLabels.delete(o);
    const ps = this.podSecurity.get(o.name);
    if (ps?.delete(o) && !ps.size) this.podSecurity.delete(o.name);
    const key = `${o.kind}/${o.name}`;
    const d = this.defined.get(key);
    if (d) {
      d.delete(o);
      if (!d.size) this.defined.delete(key);
    }
    const labels = o.podTemplate?.labels;
    if (labels) {
      for (const k in labels) {
        const lk = `${k}=${labels[k]}`;
        const s = this.byLabel.get(lk);
        if (s) {
          s.delete(o);
          if (!s.size) this.byLabel.delete(lk);
        }
      }
    }
  }
}

/** What differs between two versions of one URI's list: the run between their common head and tail. */
function diffLists(a: readonly IndexedObject[], b: readonly IndexedObject[], added: IndexedObject[], removed: IndexedObject[]): void {
  let head = 0;
  const n = Math.min(a.length, b.length);
  while (head < n && a[head] === b[head]) head++;
  let ta = a.length;
  let tb = b.length;
  while (ta > head && tb > head && a[ta - 1] === b[tb - 1]) {
    ta--;
    tb--;
  }
  for (let i = head; i < ta; i++) removed.push(a[i]);
  for (let i = head; i < tb; i++) added.push(b[i]);
}

/** What of an object the checks look at. */
function facts(o: IndexedObject): string {
  return JSON.stringify([o.uri, o.kind, o.name, o.namespace ?? null, o.servicePorts ?? null, o.isDefaultIngressClass ?? false, o.quotaRequires ?? null, o.quotaScopes ?? null, o.limitDefaults ?? null, o.podSecurity ?? null, o.networkPolicy ?? null,
    o.podTemplate ? [o.podTemplate.labels, o.podTemplate.containers.map((c) => [c.ports.map((p) => p.name ?? ''), c.requests, c.limits ?? null, !!c.initOnly]), o.podTemplate.unsure ?? null] : null]);
}

function sameFacts(a: IndexedObject[], b: IndexedObject[]): boolean {
  if (a.length !== b.length) return false;
  const count = new Map<string, number>();
  for (const o of a) { const f = facts(o); count.set(f, (count.get(f) ?? 0) + 1); }
  for (const o of b) {
    const f = facts(o);
    const n = count.get(f);
    if (!n) return false;
    count.set(f, n - 1);
  }
  return true;
}
