import type { KObject } from '../contract';
import { deepFreeze } from '../runtime/objects';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One change, as kept in a resource's history and handed to watchers. */
export interface ChangeRecord {
  rev: number;
  type: EventType;
  object: KObject;
  /** The state before (MODIFIED) or the last state (DELETED); lets filtered watchers turn a change into ADDED/DELETED. */
  prev?: KObject;
}

export interface StoreWatcher {
  /** Delivers one change; answers nothing. Called from `dispatch()`, never from a write. */
  deliver(rec: ChangeRecord): void;
  /** Highest rev already delivered or queued for this watcher. */
  lastRev: number;
  backlog?: ChangeRecord[];
  stopped?: boolean;
}

/** Where one object lives in a table, in etcd key order (`namespace/name`, or `name`). */
export interface TableSlot {
  key: string;
  namespace: string;
  name: string;
}

/** The objects of one group/resource, with its bounded change history and watchers. */
export class Table {
  /**
   * namespace ('' when cluster-scoped) -> name -> object: the only map of
   * objects. Reads and writes use the name strings objects carry (their hashes
   * are cached), never a freshly joined `namespace/name` key.
   */
  readonly byName = new Map<string, Map<string, KObject>>();
  size = 0;
  history: ChangeRecord[] = [];
  /** Changes at or below this rev are no longer in `history` (a watch from there gets 410 Gone). */
  compactedRev = 0;
  readonly watchers = new Set<StoreWatcher>();
  /** The taps that see this resource's changes, and the store's tap generation they were picked at. */
  taps: TapFn[] = [];
  tapsGen = -1;
  /** How many of `taps` see its writes (the others want only what deletes objects: TapScope.deletionsOnly). */
  writeTaps = 0;
  /** The writer that may keep writes back from this resource until someone reads it (Store.defer). */
  deferred: DeferredWrites | undefined;
  /** Whether that writer keeps writes back now: the next read has them written first. */
  held = false;
  /** Slots in etcd order, rebuilt lazily after an add or a removal (updates keep it). */
  private sorted: TableSlot[] | undefined;
  constructor(readonly id: string) {}

  sortedSlots(): TableSlot[] {
    if (!this.sorted) {
      const out: TableSlot[] = [];
      for (const [namespace, names] of this.byName) {
        for (const name of names.keys()) out.push({ key: namespace ? namespace + '/' + name : name, namespace, name });
      }
      this.sorted = out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return this.sorted;
  }

  at(slot: TableSlot): KObject | undefined {
    return this.byName.get(slot.namespace)?.get(slot.name);
  }

  *all(): IterableIterator<KObject> {
    for (const names of this.byName.values()) yield* names.values();
  }

  membershipChanged(): void {
    this.sorted = undefined;
  }
}

/**
 * Resources the garbage collector leaves out of its graph, as upstream's
 * DefaultIgnoredResources does (Events, which are also the bulk of all
 * writes): they get no uid or owner index entries, and the collector skips
 * their changes.
 */
export const GC_IGNORED_TABLES: ReadonlySet<string> = new Set(['/events']);

export type TapFn = (table: string, rec: ChangeRecord) => void;

/**
 * The resources a tap sees: those named in `only`, or all but those in `except` (neither: every resource). Most
 * all-resource controllers read one or two resources, and the bulk of all changes are pods' and Events': a tap that
 * names its resources is not called for the others.
 */
export interface TapScope {
  only?: readonly string[];
  except?: ReadonlySet<string>;
  /**
   * Resources of which the tap acts only on what deletes objects (DELETED changes, a deletionTimestamp set): their
   * other changes still reach it, but a writer may keep its writes back from it (see DeferredWrites).
   */
  deletionsOnly?: readonly string[];
}

interface Tap {
  fn: TapFn;
  scope: TapScope | undefined;
}

/**
 * A writer that keeps its writes of a resource back while nobody reads it (the event recorder: in a big run most
 * Events are written and dropped again by the cap before anyone looks). Each write kept back has its revision taken
 * when it is made (Store.hold), so the revisions are those the writes would have had; `flush` writes them all, in that
 * order (Store.putAt), and the store calls it before anything reads the resource or writes it otherwise.
 */
export interface DeferredWrites {
  flush(): void;
}

export interface StoreOptions {
  /** Changes kept per resource for watches that resume from an older resourceVersion. */
  historyPerResource?: number;
}

/**
 * The etcd part: objects keyed by group/resource/namespace/name, a
 * cluster-wide monotonic revision, and per-resource change history for watch.
 * Stored objects are frozen; writers hand over fresh objects. Watchers are
 * fed by `dispatch()`, which the loop calls, so a write never re-enters its
 * writer. Precondition checks and metadata rules live in the apiserver; the
 * store only keeps what it is given.
 */
export class Store {
  rev = 1;
  private tables = new Map<string, Table>();
  /** Changes waiting for `dispatch()`: two parallel arrays, so a write allocates no pair. */
  private pendingTables: Table[] = [];
  private pendingRecs: ChangeRecord[] = [];
  private pendingAt = 0;
  private backlogged = new Set<StoreWatcher>();
  /** Watchers of every resource, or of a set (the garbage collector, the namespace controller): fed `(table id, change)`. */
  private taps: Tap[] = [];
  /** Bumped when a tap comes or goes: each table picks its taps again. */
  private tapsGen = 0;
  /** uid -> table id, namespace ('' when cluster-scoped) and name of every live object (but those of GC_IGNORED_TABLES). */
  readonly uids = new UidIndex(this.tables);
  /** owner uid -> set of `table id|key` of dependents. */
  readonly dependents = new Map<string, Set<string>>();
  private readonly historyCap: number;
  /** The deferred writers by resource, which outlive the tables (a reset clears them). */
  private readonly deferredWriters = new Map<string, DeferredWrites>();
  /** Called whenever there is something to dispatch (real-time mode schedules a settle). */
  onWork: (() => void) | undefined;
  /** Called after every committed change (persistence marks itself dirty). */
  onChange: (() => void) | undefined;
  /** Synchronous observers of every commit (running counts for stats); they must not write. */
  readonly commitHooks: ((table: string, prev: KObject | undefined, next: KObject | undefined) => void)[] = [];

  constructor(opts: StoreOptions = {}) {
    this.historyCap = opts.historyPerResource ?? 2_000;
  }

  /** A resource's table, with every write kept back from it written first (see DeferredWrites). */
  table(id: string): Table {
    const t = this.tableOf(id);
    if (t.held) this.release(t);
    return t;
  }

  private tableOf(id: string): Table {
    let t = this.tables.get(id);
    if (!t) {
      this.tables.set(id, (t = new Table(id)));
      t.deferred = this.deferredWriters.get(id);
    }
    return t;
  }

  /** Registers the writer that may keep writes of `id` back (see DeferredWrites). */
  defer(id: string, w: DeferredWrites): void {
    const t = this.tableOf(id);
    // A writer that comes in place of another (a playground built again on its store) has the other's writes written.
    if (t.held) this.release(t);
    t.deferred = w;
    this.deferredWriters.set(id, w);
  }

  /** Whether nothing reads the writes of `id` as they happen: no watcher, and no tap but those wanting deletions only. */
  quiet(id: string): boolean {
    const t = this.tableOf(id);
    if (t.watchers.size) return false;
    this.tapsOf(t);
    return t.writeTaps === 0;
  }

  /**
   * Takes the revision of a write of `id` its deferred writer keeps back; the resource's next read has the writer
   * write it first (Store.putAt). `obj`, the object written, gets the revision and is frozen as `put` would; a kept
   * deletion has none. A write of its writer's that is never written (the writer dropped it before anyone read) still
   * takes its revision, so later objects get the revisions they would have had.
   */
  hold(id: string, obj?: KObject): number {
    this.tableOf(id).held = true;
    this.onChange?.();
    const rev = ++this.rev;
    if (obj) stamp(obj, rev);
    return rev;
  }

  /** Takes a revision for a change a deferred writer drops unwritten (the deletion of a write it kept back). */
  reserve(): number {
    this.onChange?.();
    return ++this.rev;
  }

  /**
   * Marks the changes of `id` up to `rev` as gone from its history: a deferred writer that dropped writes nobody read
   * (their changes never were in it) says so, and a watch from before them gets 410 Gone, as after etcd's compaction.
   */
  compactTo(id: string, rev: number): void {
    const t = this.tableOf(id);
    if (rev > t.compactedRev) t.compactedRev = rev;
  }

  /** The object as the store holds it, leaving writes kept back where they are (for their own writer). */
  peek(id: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.tables.get(id)?.byName.get(namespace || '')?.get(name);
  }

  private release(t: Table): void {
    t.held = false;
    t.deferred?.flush();
  }

  private releaseAll(): void {
    for (const t of this.tables.values()) if (t.held) this.release(t);
  }

  tableIds(): string[] {
    return [...this.tables.keys()];
  }

  get(id: string, namespace: string | undefined, name: string): KObject | undefined {
    const t = this.tables.get(id);
    if (!t) return undefined;
    if (t.held) this.release(t);
    const m = t.byName.get(namespace || '');
    return m ? m.get(name) : undefined;
  }

  /** Objects of a resource (all, or one namespace), in map order. */
  list(id: string, namespace?: string): Iterable<KObject> {
    const t = this.tables.get(id);
    if (!t) return [];
    if (t.held) this.release(t);
    if (namespace === undefined) return t.all();
    return t.byName.get(namespace)?.values() ?? [];
  }

  count(id: string, namespace?: string): number {
    const t = this.tables.get(id);
    if (!t) return 0;
    if (t.held) this.release(t);
    return namespace === undefined ? t.size : t.byName.get(namespace)?.size ?? 0;
  }

  byUid(uid: string): KObject | undefined {
    const loc = this.uids.get(uid);
    return loc ? this.tables.get(loc.table)?.byName.get(loc.namespace)?.get(loc.name) : undefined;
  }

  /** `[table id, object]` of every object that names `uid` as an owner. */
  dependentsOf(uid: string): { table: string; object: KObject }[] {
    const s = this.dependents.get(uid);
    if (!s) return [];
    const out: { table: string; object: KObject }[] = [];
    for (const ref of s) {
      const i = ref.indexOf('|');
      const table = ref.slice(0, i);
      const key = ref.slice(i + 1);
      const j = key.indexOf('/');
      const o = this.tables.get(table)?.byName.get(j < 0 ? '' : key.slice(0, j))?.get(j < 0 ? key : key.slice(j + 1));
      if (o) out.push({ table, object: o });
    }
    return out;
  }

  /**
   * Writes an object (create or replace). Assigns the next revision as its
   * resourceVersion, freezes it and records the change. `obj` must be a
   * fresh object the caller no longer changes. A writer may hand it over
   * frozen but for its metadata, which is then all there is left to freeze
   * (the event recorder does: an Event is built of its own strings and
   * frozen parts it shares, so nothing in it needs walking).
   */
  put(id: string, obj: KObject): KObject {
    const t = this.table(id);
    const rev = ++this.rev;
    stamp(obj, rev);
    return this.write(t, obj, rev);
  }

  /**
   * Writes what a deferred writer kept back (see DeferredWrites), at the revision it took then: `obj` is frozen and
   * carries that revision.
   */
  putAt(id: string, obj: KObject): KObject {
    return this.write(this.tableOf(id), obj, Number(obj.metadata.resourceVersion));
  }

  private write(t: Table, obj: KObject, rev: number): KObject {
    const id = t.id;
    const ns = obj.metadata.namespace || '';
    const name = obj.metadata.name!;
    let names = t.byName.get(ns);
    if (!names) t.byName.set(ns, (names = new Map()));
    const prev = names.get(name);
    if (!prev) {
      t.size++;
      t.membershipChanged();
    }
    names.set(name, obj);
    if (!prev || prev.metadata.uid !== obj.metadata.uid || prev.metadata.ownerReferences !== obj.metadata.ownerReferences) {
      if (prev) this.unindex(id, ns, name, prev);
      this.index(id, ns, name, obj);
    }
    this.record(t, { rev, type: prev ? 'MODIFIED' : 'ADDED', object: obj, prev });
    for (const h of this.commitHooks) h(id, prev, obj);
    return obj;
  }

  /**
   * Removes an object; the DELETED change carries its last state at a new revision. With `uid`, only the object of
   * that uid: another one of the same name stays (and undefined is answered).
   */
  remove(id: string, namespace: string | undefined, name: string, uid?: string): KObject | undefined {
    const t = this.tables.get(id);
    if (!t) return undefined;
    if (t.held) this.release(t);
    return this.delete(t, namespace, name, uid, undefined);
  }

  /** Deletes what a deferred writer kept the deletion of back (see DeferredWrites), at the revision it took then. */
  removeAt(id: string, namespace: string | undefined, name: string, uid: string, rev: number): KObject | undefined {
    return this.delete(this.tableOf(id), namespace, name, uid, rev);
  }

  private delete(t: Table, namespace: string | undefined, name: string, uid: string | undefined, at: number | undefined): KObject | undefined {
    const id = t.id;
    const ns = namespace || '';
    const names = t.byName.get(ns);
    const prev = names?.get(name);
    if (!names || !prev || (uid !== undefined && prev.metadata.uid !== uid)) return undefined;
    names.delete(name);
    if (names.size === 0) t.byName.delete(ns);
    t.size--;
    t.membershipChanged();
    this.unindex(id, ns, name, prev);
    const rev = at ?? ++this.rev;
    // The DELETED object carries the deletion's revision; with nobody watching this resource
    // (only the all-resource taps, which read metadata), the last state serves and no copy is made.
    const gone = t.watchers.size
      ? (deepFreeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(rev) } }) as KObject)
      : prev;
    this.record(t, { rev, type: 'DELETED', object: gone, prev });
    for (const h of this.commitHooks) h(id, prev, undefined);
    return gone;
  }

  /**
   * Registers a watcher from `fromRev` (exclusive). Answers 'gone' when that
   * revision fell out of history. With `initial`, the watcher first gets those
   * objects as ADDED (a list folded into the watch).
   */
  watch(id: string, w: StoreWatcher, fromRev: number | undefined, initial?: KObject[], bookmark?: KObject): 'ok' | 'gone' {
    const t = this.table(id);
    const backlog: ChangeRecord[] = [];
    if (initial) {
      for (const o of initial) backlog.push({ rev: Number(o.metadata.resourceVersion), type: 'ADDED', object: o });
    } else if (fromRev !== undefined) {
      if (fromRev < t.compactedRev) return 'gone';
      let lo = 0;
      let hi = t.history.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (t.history[mid].rev <= fromRev) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < t.history.length; i++) backlog.push(t.history[i]);
    }
    if (bookmark) backlog.push({ rev: this.rev, type: 'BOOKMARK', object: bookmark });
    w.lastRev = this.rev;
    t.watchers.add(w);
    if (backlog.length) {
      w.backlog = backlog;
      this.backlogged.add(w);
      this.onWork?.();
    }
    return 'ok';
  }

  /** Sees every change of the resources in `scope` (default: all) from now on, delivered by `dispatch()` like any watch. */
  tap(fn: TapFn, scope?: TapScope): () => void {
    const t: Tap = { fn, scope };
    // A tap sees changes from now on: what was kept back is written before it comes.
    this.releaseAll();
    this.taps = [...this.taps, t];
    this.tapsGen++;
    return () => {
      this.taps = this.taps.filter((x) => x !== t);
      this.tapsGen++;
    };
  }

  /** The taps of a table, in the order they were registered. */
  private tapsOf(t: Table): TapFn[] {
    if (t.tapsGen === this.tapsGen) return t.taps;
    const mine = this.taps.filter(({ scope }) => !scope || (scope.only ? scope.only.includes(t.id) : !scope.except?.has(t.id)));
    t.taps = mine.map((x) => x.fn);
    t.writeTaps = mine.filter(({ scope }) => !scope?.deletionsOnly?.includes(t.id)).length;
    t.tapsGen = this.tapsGen;
    return t.taps;
  }

  /** Delivers a watcher's backlog at once, for a reader that cannot wait for `dispatch()`. */
  flushBacklog(w: StoreWatcher): void {
    const b = w.backlog;
    if (!b) return;
    w.backlog = undefined;
    this.backlogged.delete(w);
    for (const rec of b) if (!w.stopped) w.deliver(rec);
  }

  unwatch(id: string, w: StoreWatcher): void {
    w.stopped = true;
    this.tables.get(id)?.watchers.delete(w);
    this.backlogged.delete(w);
  }

  /** Whether changes wait for delivery. */
  hasPending(): boolean {
    return this.pendingAt < this.pendingRecs.length || this.backlogged.size > 0;
  }

  /**
   * Delivers queued changes to watchers, oldest first; answers whether it
   * delivered anything. Changes written by handlers during delivery are
   * delivered in the same call, after the ones before them.
   */
  dispatch(): boolean {
    if (!this.hasPending()) return false;
    while (this.hasPending()) {
      if (this.backlogged.size) {
        const ws = [...this.backlogged];
        this.backlogged.clear();
        for (const w of ws) {
          const b = w.backlog ?? [];
          w.backlog = undefined;
          for (const rec of b) if (!w.stopped) w.deliver(rec);
        }
        continue;
      }
      const table = this.pendingTables[this.pendingAt];
      const rec = this.pendingRecs[this.pendingAt++];
      for (const w of table.watchers) {
        if (w.lastRev < rec.rev && !w.stopped) {
          w.lastRev = rec.rev;
          w.deliver(rec);
        }
      }
      const taps = this.tapsOf(table);
      for (let i = 0; i < taps.length; i++) taps[i](table.id, rec);
    }
    this.pendingTables = [];
    this.pendingRecs = [];
    this.pendingAt = 0;
    return true;
  }

  /** Drops everything (reset). Watchers are dropped too. */
  clear(): void {
    this.tables.clear();
    this.pendingTables = [];
    this.pendingRecs = [];
    this.pendingAt = 0;
    this.backlogged.clear();
    this.taps = [];
    this.tapsGen++;
    this.uids.clear();
    this.dependents.clear();
  }

  /** Loads objects as they were saved (their resourceVersions kept), without change records. */
  load(rev: number, tables: Record<string, KObject[]>): void {
    this.clear();
    this.rev = rev;
    for (const id of Object.keys(tables)) {
      const t = this.table(id);
      for (const o of tables[id]) {
        const ns = o.metadata.namespace || '';
        deepFreeze(o);
        let names = t.byName.get(ns);
        if (!names) t.byName.set(ns, (names = new Map()));
        if (!names.has(o.metadata.name!)) t.size++;
        names.set(o.metadata.name!, o);
        this.index(id, ns, o.metadata.name!, o);
      }
      t.compactedRev = rev;
      t.membershipChanged();
    }
  }

  /** Every object by table, for a snapshot. */
  snapshot(): Record<string, KObject[]> {
    const out: Record<string, KObject[]> = {};
    this.releaseAll();
    for (const [id, t] of this.tables) if (t.size) out[id] = [...t.all()];
    return out;
  }

  private record(t: Table, rec: ChangeRecord): void {
    t.history.push(rec);
    if (t.history.length > this.historyCap * 2) {
      const drop = t.history.length - this.historyCap;
      t.compactedRev = t.history[drop - 1].rev;
      t.history = t.history.slice(drop);
    }
    if (t.watchers.size || this.tapsOf(t).length) {
      this.pendingTables.push(t);
      this.pendingRecs.push(rec);
      if (this.pendingRecs.length - this.pendingAt === 1) this.onWork?.();
    }
    this.onChange?.();
  }

  private index(id: string, namespace: string, name: string, o: KObject): void {
    if (GC_IGNORED_TABLES.has(id)) return;
    const uid = o.metadata.uid;
    if (uid) this.uids.set(uid, id, namespace, name);
    const refs = o.metadata.ownerReferences;
    if (refs) {
      const ref = dependentRef(id, namespace, name);
      for (const r of refs) {
        let s = this.dependents.get(r.uid);
        if (!s) this.dependents.set(r.uid, (s = new Set()));
        s.add(ref);
      }
    }
  }

  private unindex(id: string, namespace: string, name: string, o: KObject): void {
    if (GC_IGNORED_TABLES.has(id)) return;
    const uid = o.metadata.uid;
    if (uid) this.uids.delete(uid, id, namespace, name);
    const refs = o.metadata.ownerReferences;
    if (refs) {
      const ref = dependentRef(id, namespace, name);
      for (const r of refs) {
        const s = this.dependents.get(r.uid);
        if (s) {
          s.delete(ref);
          if (s.size === 0) this.dependents.delete(r.uid);
        }
      }
    }
  }
}

/** Where an object lives: its table id, namespace ('' when cluster-scoped) and name. */
export interface UidLocation {
  table: string;
  namespace: string;
  name: string;
}

/** The table whose uids are indexed only once a lookup needs them (see UidIndex). */
const LAZY_UID_TABLE = '/pods';

/**
 * The store's uid -> location map, which the garbage collector asks for owners. Pods are the bulk of all objects and
 * nearly never anyone's owner: their uids go into a map of their own only when a lookup first misses the other
 * objects' (built then from the pods table, and kept from there on), so a cluster whose lookups all find their owner
 * among the others never writes an entry for each pod. A uid is one object's, so which map answers it makes no
 * difference.
 */
export class UidIndex {
  private readonly others = new Map<string, UidLocation>();
  private pods: Map<string, UidLocation> | undefined;

  constructor(private readonly tables: Map<string, Table>) {}

  get(uid: string): UidLocation | undefined {
    return this.others.get(uid) ?? this.podMap().get(uid);
  }

  set(uid: string, table: string, namespace: string, name: string): void {
    const m = table === LAZY_UID_TABLE ? this.pods : this.others;
    m?.set(uid, { table, namespace, name });
  }

  /** Drops the uid's entry if it still names this object. */
  delete(uid: string, table: string, namespace: string, name: string): void {
    const m = table === LAZY_UID_TABLE ? this.pods : this.others;
    const loc = m?.get(uid);
    if (loc && loc.table === table && loc.namespace === namespace && loc.name === name) m!.delete(uid);
  }

  clear(): void {
    this.others.clear();
    this.pods = undefined;
  }

  private podMap(): Map<string, UidLocation> {
    if (!this.pods) {
      this.pods = new Map();
      for (const [namespace, names] of this.tables.get(LAZY_UID_TABLE)?.byName ?? []) {
        for (const [name, o] of names) if (o.metadata.uid) this.pods.set(o.metadata.uid, { table: LAZY_UID_TABLE, namespace, name });
      }
    }
    return this.pods;
  }
}

/**
 * `table id|namespace/name` as one flat string: joined with `+`, it would be a tree of four pieces kept for every
 * dependent object (150,000 pods have one each).
 */
function dependentRef(id: string, namespace: string, name: string): string {
  return namespace ? [id, '|', namespace, '/', name].join('') : [id, '|', name].join('');
}

/** Gives an object the revision it is written at and freezes it (its metadata alone when the rest is frozen already). */
function stamp(obj: KObject, rev: number): void {
  obj.metadata.resourceVersion = String(rev);
  deepFreeze(Object.isFrozen(obj) ? obj.metadata : obj);
}
