/**
 * One key of an EventKeyLru, in its object's chain (through `sibling`) and in the recency list. Once evicted, the
 * slot takes the next key added (see `add`), so its fields are not readonly.
 */
class KeySlot<V> {
  prev: KeySlot<V> | null = null;
  next: KeySlot<V> | null = null;
  sibling: KeySlot<V> | null = null;
  constructor(
    public group: KeyGroup,
    public sub: string,
    public component: string,
    public host: string,
    public type: string,
    public reason: string,
    public message: string | null,
    public value: V,
  ) {}
}

/**
 * The keys one object has in the caches that share a KeyGroupIndex: for each cache, the head of a chain of that
 * cache's keys about the object (the most recent first, the others through `sibling`). Three fields rather than an
 * array, so an object's group is one allocation (there is one per pod, kept for a few thousand events).
 */
export class KeyGroup {
  private h0: KeySlot<unknown> | null = null;
  private h1: KeySlot<unknown> | null = null;
  private h2: KeySlot<unknown> | null = null;
  constructor(readonly id: string) {}

  /** The most recent key of cache `no`. */
  head(no: number): KeySlot<unknown> | null {
    return no === 0 ? this.h0 : no === 1 ? this.h1 : this.h2;
  }

  setHead(no: number, s: KeySlot<unknown> | null): void {
    if (no === 0) this.h0 = s;
    else if (no === 1) this.h1 = s;
    else this.h2 = s;
  }

  /** Whether no cache holds a key of the object. */
  empty(): boolean {
    return !this.h0 && !this.h1 && !this.h2;
  }
}

/** How many caches a KeyGroupIndex serves at most (the correlator's three). */
const MAX_CACHES = 3;

/**
 * The object part of the keys of several EventKeyLrus: one map from the object's id (its uid string, whose hash is
 * cached) to its KeyGroup. The event correlator's three caches key by the same object, so an event looks its object
 * up once here, not once in each cache and again for each add and each eviction. A group is dropped with its
 * last key.
 */
export class KeyGroupIndex {
  private readonly groups = new Map<string, KeyGroup>();
  /** How many caches share the index: each has its number, in the order they were made. */
  private registered = 0;
  /**
   * The group `group` answered last: an object's events come in runs (the kubelet's Pulled, Created and Started
   * for a container, a ReplicaSet's creates), and the run's later events find it here with no map lookup. Only
   * while it holds a key: a group that lost its last key has left the map, and its object gets a new one.
   */
  private last: KeyGroup | undefined;

  /** The group of `id`, undefined when no cache holds a key of it. */
  find(id: string): KeyGroup | undefined {
    return this.groups.get(id);
  }

  /** The group of `id`, made when absent: the caller adds a key to it before anything else happens. */
  group(id: string): KeyGroup {
    const last = this.last;
    if (last && last.id === id && !last.empty()) return last;
    let g = this.groups.get(id);
    if (!g) this.groups.set(id, (g = new KeyGroup(id)));
    return (this.last = g);
  }

  get size(): number {
    return this.groups.size;
  }

  /** The next cache's number. */
  register(): number {
    if (this.registered >= MAX_CACHES) throw new Error(`KeyGroupIndex: more than ${MAX_CACHES} caches`);
    return this.registered++;
  }

  /** Drops `g` when no cache holds a key of it any longer. */
  release(g: KeyGroup): void {
    if (g.empty()) this.groups.delete(g.id);
  }
}

/**
 * The event correlator's least-recently-used cache of at most `cap` keys, as
 * client-go keeps its caches (groupcache's lru.Cache), for its composite keys: the object,
 * source, type, reason and (for the logger) message. A key is found through
 * its object's small group of keys, compared field by field, instead of being
 * joined into one long string that has to be built and hashed on every event.
 * The strings compared are mostly the very instances the caller holds (the
 * object's uid, the component's constants), so each lookup hashes nothing
 * new. Recency is a doubly linked list: the least recently used key goes first. An object's keys are chained
 * through the keys themselves from its KeyGroup, which caches keying by the same objects share.
 */
export class EventKeyLru<V> {
  private oldest: KeySlot<V> | null = null;
  private newest: KeySlot<V> | null = null;
  private count = 0;
  /** This cache's number in the index: its chain in each group starts at `head(no)`. */
  private readonly no: number;
  /** The value of the key `add` last evicted, until taken (takeEvicted). */
  private evicted: V | undefined;

  /** `cap` at least 1; `index` shared with other caches keying by the same objects, or the cache's own. */
  constructor(
    private readonly cap: number,
    readonly index: KeyGroupIndex = new KeyGroupIndex(),
  ) {
    if (!(cap >= 1)) throw new Error('EventKeyLru: cap must be at least 1');
    this.no = index.register();
  }

  get size(): number {
    return this.count;
  }

  /** The value, now the most recently used; undefined when absent. `message` null is the key without one. */
  get(group: KeyGroup | undefined, sub: string, component: string, host: string, type: string, reason: string, message: string | null): V | undefined {
    const s = group && this.find(group, sub, component, host, type, reason, message);
    if (!s) return undefined;
    this.touch(s);
    return s.value;
  }

  /** Stores `value` as the most recently used, evicting the least recently used past the cap. */
  set(group: KeyGroup, sub: string, component: string, host: string, type: string, reason: string, message: string | null, value: V): void {
    const s = this.find(group, sub, component, host, type, reason, message);
    if (s) {
      s.value = value;
      this.touch(s);
      return;
    }
    this.add(group, sub, component, host, type, reason, message, value);
  }

  /** `set` for a key known to be absent (a `get` just missed it): no second search. */
  add(group: KeyGroup, sub: string, component: string, host: string, type: string, reason: string, message: string | null, value: V): void {
    let s = this.oldest;
    if (this.count >= this.cap && s) {
      // Full: the least recently used key goes, and its slot takes the new key. client-go's cache (groupcache's
      // lru.Cache.Add) pushes the new key first and then removes the oldest, which is never the key just added
      // (cap >= 1): the same keys remain, and a cache that turns over constantly (every pod a new object) allocates
      // nothing.
      this.drop(s, group);
      this.evicted = s.value;
      s.group = group;
      s.sub = sub;
      s.component = component;
      s.host = host;
      s.type = type;
      s.reason = reason;
      s.message = message;
      s.value = value;
    } else {
      s = new KeySlot(group, sub, component, host, type, reason, message, value);
    }
    this.count++;
    s.sibling = group.head(this.no) as KeySlot<V> | null;
    group.setHead(this.no, s);
    this.link(s);
  }

  /**
   * The value of the key the last `add` evicted, once. The cache was its only holder when its values are the
   * caller's own records (the correlator's), so the caller may fill it in afresh as the value of its next new key:
   * a cache that turns over constantly then allocates no value either.
   */
  takeEvicted(): V | undefined {
    const v = this.evicted;
    this.evicted = undefined;
    return v;
  }

  /** Forgets every key, and the groups no other cache holds a key of. */
  clear(): void {
    this.evicted = undefined;
    for (let s = this.oldest; s; s = s.next) {
      s.group.setHead(this.no, null);
      this.index.release(s.group);
    }
    this.oldest = this.newest = null;
    this.count = 0;
  }

  /** Keys, least recently used first, each as its fields joined by NUL (for tests). */
  *keys(): IterableIterator<string> {
    for (let s = this.oldest; s; s = s.next) yield [s.sub ? `${s.group.id}\u0000${s.sub}` : s.group.id, s.component, s.host, s.type, s.reason, ...(s.message === null ? [] : [s.message])].join('\u0000');
  }

  private find(group: KeyGroup, sub: string, component: string, host: string, type: string, reason: string, message: string | null): KeySlot<V> | undefined {
    for (let s = group.head(this.no) as KeySlot<V> | null; s; s = s.sibling) {
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

  /** Takes `s` out of the cache; its group goes from the index with its last key, unless it is `keep` (about to get one). */
  private drop(s: KeySlot<V>, keep: KeyGroup): void {
    this.unlink(s);
    this.count--;
    const g = s.group;
    const head = g.head(this.no) as KeySlot<V>;
    if (head === s) {
      g.setHead(this.no, s.sibling);
      if (!s.sibling && g !== keep) this.index.release(g);
    } else {
      let before = head;
      while (before.sibling !== s) before = before.sibling!;
      before.sibling = s.sibling;
    }
    s.sibling = null;
  }
}
