/** One key of an EventKeyLru, in its object's group (a chain through `sibling`) and in the recency list. */
class KeySlot<V> {
  prev: KeySlot<V> | null = null;
  next: KeySlot<V> | null = null;
  sibling: KeySlot<V> | null = null;
  constructor(
    readonly group: string,
    readonly sub: string,
    readonly component: string,
    readonly host: string,
    readonly type: string,
    readonly reason: string,
    readonly message: string | null,
    public value: V,
  ) {}
}

/**
 * The event correlator's least-recently-used cache of at most `cap` keys, as
 * client-go keeps its caches (golang-lru), for its composite keys: the object,
 * source, type, reason and (for the logger) message. A key is found through
 * its object's small group of keys, compared field by field, instead of being
 * joined into one long string that has to be built and hashed on every event.
 * The strings compared are mostly the very instances the caller holds (the
 * object's uid, the component's constants), so each lookup hashes nothing
 * new. Recency is a doubly linked list: the least recently used key goes first. A group's keys are chained
 * through the keys themselves (no array per object: one lives about as long as a thousand pods' events, long
 * enough for the young generation to copy it).
 */
export class EventKeyLru<V> {
  /** The most recent key of each group; the others follow through `sibling`. */
  private readonly groups = new Map<string, KeySlot<V>>();
  private oldest: KeySlot<V> | null = null;
  private newest: KeySlot<V> | null = null;
  private count = 0;

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.count;
  }

  /** The value, now the most recently used; undefined when absent. `message` null is the key without one. */
  get(group: string, sub: string, component: string, host: string, type: string, reason: string, message: string | null): V | undefined {
    const s = this.find(group, sub, component, host, type, reason, message);
    if (!s) return undefined;
    this.touch(s);
    return s.value;
  }

  /** Stores `value` as the most recently used, evicting the least recently used past the cap. */
  set(group: string, sub: string, component: string, host: string, type: string, reason: string, message: string | null, value: V): void {
    const s = this.find(group, sub, component, host, type, reason, message);
    if (s) {
      s.value = value;
      this.touch(s);
      return;
    }
    this.add(group, sub, component, host, type, reason, message, value);
  }

  /** `set` for a key known to be absent (a `get` just missed it): no second search. */
  add(group: string, sub: string, component: string, host: string, type: string, reason: string, message: string | null, value: V): void {
    const s = new KeySlot(group, sub, component, host, type, reason, message, value);
    s.sibling = this.groups.get(group) ?? null;
    this.groups.set(group, s);
    this.link(s);
    if (++this.count > this.cap) this.evict(this.oldest!);
  }

  clear(): void {
    this.groups.clear();
    this.oldest = this.newest = null;
    this.count = 0;
  }

  /** Keys, least recently used first, each as its fields joined by NUL (for tests). */
  *keys(): IterableIterator<string> {
    for (let s = this.oldest; s; s = s.next) yield [s.sub ? `${s.group}\u0000${s.sub}` : s.group, s.component, s.host, s.type, s.reason, ...(s.message === null ? [] : [s.message])].join('\u0000');
  }

  private find(group: string, sub: string, component: string, host: string, type: string, reason: string, message: string | null): KeySlot<V> | undefined {
    for (let s: KeySlot<V> | null = this.groups.get(group) ?? null; s; s = s.sibling) {
      if (s.reason === reason && s.sub === sub && s.message === message && s.type === type && s.component === component && s.host === host) return s;
    }
    return undefined;
  }

  private link(s: KeySlot<V>): void {
    s.prev = this.newest;
    s.next = null;
    if (this.newest) this.newest.next = s;
    else this.oldest = s;
    this.newest = s;
  }

  private unlink(s: KeySlot<V>): void {
    if (s.prev) s.prev.next = s.next;
    else this.oldest = s.next;
    if (s.next) s.next.prev = s.prev;
    else this.newest = s.prev;
    s.prev = s.next = null;
  }

  private touch(s: KeySlot<V>): void {
    if (s === this.newest) return;
    this.unlink(s);
    this.link(s);
  }

  private evict(s: KeySlot<V>): void {
    this.unlink(s);
    this.count--;
    const head = this.groups.get(s.group)!;
    if (head === s) {
      if (s.sibling) this.groups.set(s.group, s.sibling);
      else this.groups.delete(s.group);
    } else {
      let before = head;
      while (before.sibling !== s) before = before.sibling!;
      before.sibling = s.sibling;
    }
    s.sibling = null;
  }
}
