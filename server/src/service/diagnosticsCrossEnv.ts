/**
 * The workspace facts cross-object checks need (which names are defined,
 * which pod templates carry which labels), kept up to date incrementally.
 *
 * The index hands out the same IndexedObject for an unchanged document, so an
 * edit replaces only a few entries. When the replacements say the same thing
 * (a changed replica count, a comment), `version` stays put and every
 * per-object result computed against it can be reused.
 */
import type { IndexedObject } from './workspace';

export class CrossEnv {
  /** Bumped whenever what the checks can see changes. */
  version = 0;
  /** `Kind/name` → defining objects and their namespaces. */
  readonly defined = new Map<string, Map<IndexedObject, string | undefined>>();
  /** `key=value` of pod template labels → workloads carrying it. */
  readonly byLabel = new Map<string, Set<IndexedObject>>();
  private entries = new Set<IndexedObject>();
  private last: IndexedObject[] = [];

  update(current: IndexedObject[]): void {
    // The common case (nothing else changed, same objects in the same order) costs one pass of ===.
    if (current.length === this.last.length && current.every((o, i) => o === this.last[i])) return;
    this.last = current;
    const next = new Set<IndexedObject>();
    const added: IndexedObject[] = [];
    for (const o of current) {
      next.add(o);
      if (!this.entries.has(o)) added.push(o);
    }
    const removed: IndexedObject[] = [];
    if (added.length || next.size !== this.entries.size) for (const o of this.entries) if (!next.has(o)) removed.push(o);
    if (!added.length && !removed.length) return;
    for (const o of removed) this.remove(o);
    for (const o of added) this.add(o);
    this.entries = next;
    if (!sameFacts(added, removed)) this.version++;
  }

  private add(o: IndexedObject): void {
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

/** What of an object the checks look at. */
function facts(o: IndexedObject): string {
  return JSON.stringify([o.uri, o.kind, o.name, o.namespace ?? null, o.podTemplate ? [o.podTemplate.labels, o.podTemplate.containers.map((c) => c.ports.map((p) => p.name ?? ''))] : null]);
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
