/**
 * The workspace facts cross-object checks need (which names are defined,
 * which pod templates carry which labels), kept up to date incrementally.
 *
 * The index hands out the same IndexedObject for an unchanged document, so an
 * edit replaces only a few entries. When the replacements say the same thing
 * (a changed replica count, a comment), `version` stays put and every
 * per-object result computed against it can be reused.
 */
import { sameNamespace, type IndexedObject } from './objects';

export class CrossEnv {
  /** The document this environment serves (what "the rest of the workspace" is differs per document). */
  constructor(readonly uri = '') {}

  /** Bumped whenever what the checks can see changes. */
  version = 0;
  /**
   * Kind → name → the defining object, or the objects in the order they came when several share the name
   * (one object is kept bare: 100,000 names should not mean 100,000 small containers).
   */
  private readonly defined = new Map<string, Map<string, IndexedObject | IndexedObject[]>>();
  /** Pod template label key → value → workloads carrying it. */
  private readonly byLabel = new Map<string, Map<string, Set<IndexedObject>>>();
  /** ResourceQuotas that oblige containers to state requests or limits, and LimitRanges that give defaults. */
  readonly quotas = new Set<IndexedObject>();
  readonly limitRanges = new Set<IndexedObject>();
  /** Namespaces with a Pod Security level other than privileged, by name. */
  readonly podSecurity = new Map<string, Set<IndexedObject>>();
  readonly networkPolicies = new Set<IndexedObject>();
  /** Workloads whose pod template's labels could not be read as written (their own diagnostics say why). */
  readonly unsureLabels = new Set<IndexedObject>();
  /** IngressClasses annotated as the cluster's default. */
  private readonly defaultIngressClasses = new Set<IndexedObject>();
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

  /**
   * Adds one object, for an environment built once (`kubeplay validate`): the same facts as update() records,
   * without the bookkeeping it needs to compare one call's lists with the last. Names and labels are indexed
   * when first looked up (100,000 ConfigMaps need no map of names if nothing refers to one). Not to be mixed
   * with update().
   */
  index(o: IndexedObject): void {
    this.note(o);
    this.bulk.push(o);
  }

  /** Objects index() took, in order; those before `named` are in `defined`, before `labelled` in `byLabel`. */
  private readonly bulk: IndexedObject[] = [];
  private named = 0;
  private labelled = 0;

  private add(o: IndexedObject): void {
    this.entries.add(o);
    this.note(o);
    this.name(o);
    this.label(o);
  }

  /** The sets of objects of a few kinds. */
  private note(o: IndexedObject): void {
    if (o.quotaRequires?.length) this.quotas.add(o);
    if (o.limitDefaults) this.limitRanges.add(o);
    if (o.networkPolicy) this.networkPolicies.add(o);
    if (o.isDefaultIngressClass && o.kind === 'IngressClass') this.defaultIngressClasses.add(o);
    if (o.podTemplate?.unsure?.labels) this.unsureLabels.add(o);
    if (o.podSecurity) {
      let set = this.podSecurity.get(o.name);
      if (!set) this.podSecurity.set(o.name, (set = new Set()));
      set.add(o);
    }
  }

  private name(o: IndexedObject): void {
    let names = this.defined.get(o.kind);
    if (!names) this.defined.set(o.kind, (names = new Map()));
    const d = names.get(o.name);
    if (d === undefined) names.set(o.name, o);
    else if (Array.isArray(d)) { if (!d.includes(o)) d.push(o); }
    else if (d !== o) names.set(o.name, [d, o]);
  }

  private label(o: IndexedObject): void {
    const labels = o.podTemplate?.labels;
    if (!labels) return;
    for (const k in labels) {
      let values = this.byLabel.get(k);
      if (!values) this.byLabel.set(k, (values = new Map()));
      const v = labels[k];
      let s = values.get(v);
      if (!s) values.set(v, (s = new Set()));
      s.add(o);
    }
  }

  private remove(o: IndexedObject): void {
    this.entries.delete(o);
    this.quotas.delete(o);
    this.limitRanges.delete(o);
    this.networkPolicies.delete(o);
    this.unsureLabels.delete(o);
    this.defaultIngressClasses.delete(o);
    const ps = this.podSecurity.get(o.name);
    if (ps?.delete(o) && !ps.size) this.podSecurity.delete(o.name);
    const names = this.defined.get(o.kind);
    const d = names?.get(o.name);
    if (d === o) names!.delete(o.name);
    else if (Array.isArray(d)) {
      const i = d.indexOf(o);
      if (i >= 0) d.splice(i, 1);
      if (!d.length) names!.delete(o.name);
    }
    if (names && !names.size) this.defined.delete(o.kind);
    const labels = o.podTemplate?.labels;
    if (labels) {
      for (const k in labels) {
        const values = this.byLabel.get(k);
        const s = values?.get(labels[k]);
        if (s) {
          s.delete(o);
          if (!s.size) values!.delete(labels[k]);
          if (!values!.size) this.byLabel.delete(k);
        }
      }
    }
  }

  /** The first object (in the order they came) of that kind and name whose namespace may be `namespace`. */
  find(kind: string, name: string, namespace: string | undefined): IndexedObject | undefined {
    while (this.named < this.bulk.length) this.name(this.bulk[this.named++]);
    const d = this.defined.get(kind)?.get(name);
    if (d === undefined) return undefined;
    if (!Array.isArray(d)) return sameNamespace(d.namespace, namespace) ? d : undefined;
    for (const o of d) if (sameNamespace(o.namespace, namespace)) return o;
    return undefined;
  }

  /** Whether an IngressClass of the workspace is annotated as the default. */
  hasDefaultIngressClass(): boolean {
    return this.defaultIngressClasses.size > 0;
  }

  /** The workloads whose pod template carries the label `key=value`, in the order they came. */
  withLabel(key: string, value: string): ReadonlySet<IndexedObject> | undefined {
    while (this.labelled < this.bulk.length) this.label(this.bulk[this.labelled++]);
    return this.byLabel.get(key)?.get(value);
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
