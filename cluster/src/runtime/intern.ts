/**
 * Values made from a key, kept once each: the project's bounded memo table.
 *   - Frozen values that many stored objects have alike. Stored objects are frozen anyway, so two pods may hold the
 *     same `ownerReferences` list or the same running state: at 150,000 pods every per-pod copy is 150,000 objects
 *     for the collector to copy and, on a virtual machine where a first touch of a page is slow, to fault in.
 *   - Answers worked out once per distinct input that callers repeat (an Accept header, a quantity's spelling, a
 *     regular expression's pattern, an image's digest).
 * Keys are the caller's; the table forgets everything when it grows past its size (entries are cheap to make again).
 * A `make` that throws leaves the table as it was.
 */
export class Interner<T, K extends string | number = string> {
  private readonly table = new Map<K, T>();
  /**
   * The key asked for last and its answer (always in the table: a clear only comes with a new key, which is then the
   * last). Callers mostly ask for one key many times in a row (the pods of one node, of one template, started in one
   * second), and comparing two strings costs less than a look-up in the table.
   */
  private lastKey: K | undefined;
  private lastValue: T | undefined;

  constructor(private readonly max = 8192) {}

  /** The value of `key`, made by `make(key)` when the table has none. */
  get(key: K, make: (key: K) => T): T {
    if (key === this.lastKey) return this.lastValue as T;
    let v = this.table.get(key);
    if (v === undefined) {
      if (this.table.size >= this.max) this.table.clear();
      this.table.set(key, (v = make(key)));
    }
    this.lastKey = key;
    this.lastValue = v;
    return v;
  }

  /** Forgets every value (those made from something that has since changed). */
  clear(): void {
    this.table.clear();
    this.lastKey = undefined;
    this.lastValue = undefined;
  }
}

/** A frozen empty object: `{}` where an object is defaulted and mostly left empty. */
export const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});
