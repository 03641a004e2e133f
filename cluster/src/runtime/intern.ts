/**
 * Frozen values that many stored objects have alike, kept once each. Stored objects are frozen anyway, so two pods
 * may hold the same `ownerReferences` list or the same running state: at 150,000 pods every per-pod copy is 150,000
 * objects for the collector to copy and, on a virtual machine where a first touch of a page is slow, to fault in.
 * Keys are the caller's; the table forgets everything when it grows past its size (entries are cheap to make again).
 */
export class Interner<T> {
  private readonly table = new Map<string, T>();

  constructor(private readonly max = 8192) {}

  get(key: string, make: () => T): T {
    let v = this.table.get(key);
    if (v === undefined) {
      if (this.table.size >= this.max) this.table.clear();
      this.table.set(key, (v = make()));
    }
    return v;
  }
}

/** A frozen empty object: `{}` where an object is defaulted and mostly left empty. */
export const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});
