/**
 * A least-recently-used map of at most `cap` entries, as client-go's event
 * correlator keeps its caches (golang-lru).
 *
 * It is a JavaScript Map in recency order: a use deletes and re-inserts the
 * key, so the oldest key is always the first live one. Eviction reads it
 * through one long-lived key iterator. Every slot before that iterator's
 * position was deleted, so each step is O(1). A fresh `keys().next()` would
 * instead walk every deleted slot the table still holds, which is O(size) per
 * eviction until the table rehashes. A Map iterator stays valid across
 * deletes, inserts and rehashes: it goes on from where it was.
 */
export class LruMap<V> {
  private readonly map = new Map<string, V>();
  private oldest: IterableIterator<string> = this.map.keys();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.map.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Stores `value` as the most recently used, evicting the least recently used past the cap. */
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.cap) {
      const r = this.oldest.next();
      if (!r.done) this.map.delete(r.value);
    }
  }

  clear(): void {
    this.map.clear();
    this.oldest = this.map.keys();
  }

  /** Keys, least recently used first. */
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
}
