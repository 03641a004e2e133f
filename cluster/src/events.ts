/**
 * The event recorder every component shares (client-go's record package in
 * miniature): a core/v1 Event named `<object>.<hex nanoseconds>`, and a
 * repeat of the same source/object/type/reason/message bumps `count` and
 * `lastTimestamp` on the existing Event instead of writing a new one, as the
 * upstream correlator does. Events live for an hour of simulated time
 * (the apiserver's default --event-ttl); a cap keeps huge runs bounded.
 */
import type { EventRecorder, EventSource, KObject, ObjectMeta } from './contract';
import type { Store } from './store/store';
import type { SimClock } from './runtime/clock';
import { SeededRand } from './runtime/rand';
import { EventKeyLru, KeyGroupIndex } from './runtime/lru';
import { lowerBound, rfc3339, rfc3339Micro } from './runtime/objects';
import { newUid, UID_DRAWS } from './apiserver/meta';

const TABLE = '/events';
const TTL_MS = 60 * 60 * 1000;
const AGGREGATE_MAX = 10;
const AGGREGATE_WINDOW_MS = 600_000;
/** client-go keeps its aggregation records, its repeat records and its spam records in LRUs of this size. */
const LRU_ENTRIES = 4096;
/**
 * The correlator's spam filter (EventSourceObjectSpamFilter): a token bucket per source and object that
 * holds 25 events and refills one every 5 minutes (defaultSpamBurst, defaultSpamQPS = 1/300).
 */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
/**
 * Components that write events.k8s.io/v1 Events through client-go's newer broadcaster, which has no
 * spam filter (kube-scheduler's EventBroadcasterAdapter).
 */
const UNFILTERED_SOURCES: ReadonlySet<string> = new Set(['default-scheduler']);

/**
 * client-go's events.k8s.io/v1 broadcaster (tools/events): an isomorphic event (same type, action, reason,
 * reporting controller and instance, regarding and related references, resourceVersion included) turns the
 * first Event into a series: the second occurrence writes `series.count: 2`, later ones only count in memory.
 * Every 6 minutes a series idle that long is written a last time and forgotten (finishSeries), as is a
 * singleton older than that; every 30 minutes the live series are written again (refreshExistingEventSeries).
 */
const SERIES_FINISH_MS = 6 * 60_000;
/** Where an Event's last write stands in the expiry order once it was written again (see Recorder.renewed): one per uid, in a chain per name. */
interface Renewal {
  uid: string;
  place: number;
  next: Renewal | undefined;
}

/** The empty `source` of an events.k8s.io/v1 Event, one frozen object for all (stored objects are frozen anyway). */
const NO_SOURCE = Object.freeze({});
const SERIES_REFRESH_MS = 30 * 60_000;
/** Character codes of the hex digits. */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/**
 * What the events.k8s.io/v1 recorder knows of one isomorphic key: what it needs to write the Event again, and
 * its series. Upstream keeps the whole Event; this keeps its parts, most of them strings other objects share
 * (the scheduler leaves one entry per pod it binds, for six minutes).
 */
interface SeriesEntry {
  ns: string;
  name: string;
  eventTime: number;
  reporter: Reporter;
  regarding: Record<string, unknown>;
  related?: Record<string, unknown>;
  type: string;
  reason: string;
  action: string;
  note: string;
  series?: { count: number; last: number };
}

/**
 * An Event created while nobody reads Events is kept back as its parts (a draft), not as an Event: in a big run most
 * are dropped by the cap before anyone reads them, and a draft is a run of slots in two arrays made once, where an
 * Event is two objects and two strings more of its own for the young generation to copy, promote and later collect.
 * The arrays are a ring: a draft's slots are at its place in the expiry order modulo their size, which is kept above
 * the number of places between the oldest live one and the newest (see Recorder.draft). These are the slots per
 * draft: of `draftRefs`, the name, namespace, timestamp (creationTimestamp, and a core/v1 Event's lastTimestamp),
 * involvedObject, reason, message, then a core/v1 Event's source and firstTimestamp or an events.k8s.io/v1 Event's
 * reporter and eventTime, then type and action; of `draftNums`, the rand's state before the uid's draws, the count
 * and the shape.
 */
const DRAFT_REFS = 10;
const DRAFT_NUMS = 3;
/** Drafts the ring holds at first (a power of two); it doubles as needed. */
const DRAFT_RING = 256;
/** A draft's shapes: a core/v1 Event, one the aggregator combined (no reporting fields), an events.k8s.io/v1 Event. */
const CORE = 0;
const COMBINED = 1;
const V1 = 2;

/** The deletion of an Event in the store, kept back behind writes kept back (see Recorder.pending). */
interface Deletion {
  namespace: string | undefined;
  name: string;
  uid: string;
}

/** The component and instance an events.k8s.io/v1 Event names (reportingController, reportingInstance). */
export interface Reporter {
  controller: string;
  instance: string;
}

export interface RecorderOptions {
  /** Most Events kept; the oldest go first (default 50,000). */
  maxEvents?: number;
  /** Called for each new or repeated event (the teaching log). */
  onEvent?: (repeat: boolean) => void;
}

/**
 * What the correlator's logger remembers of an event key: the Event's name, its count and first
 * timestamp. These move on with every observation, also one the spam filter then drops, so the next
 * Event written carries the whole count, as client-go's eventObserve does.
 */
interface Observation {
  ns: string;
  name: string;
  count: number;
  first: string;
  /** The Event this recorder last wrote for the key, while the store may still hold it (see `bumped`). */
  written: KObject | undefined;
  /** That write's revision when it was kept back as a draft (written is then undefined), else 0. */
  draftRev: number;
  /** That write's place in the expiry order, counted from the recorder's start (see Recorder.pending). */
  writtenAt: number;
}

/** A spam record's token bucket. */
interface SpamBucket {
  tokens: number;
  last: number;
}

/**
 * Takes a token from the bucket if it has one, after refilling it for the time since its last
 * change (golang.org/x/time/rate's AllowN, which the spam filter's rate limiter wraps).
 */
export function takeSpamToken(b: SpamBucket, now: number): boolean {
  const tokens = Math.min(SPAM_BURST, b.tokens + Math.max(0, now - b.last) / SPAM_REFILL_MS);
  if (tokens < 1) return false;
  b.tokens = tokens - 1;
  b.last = now;
  return true;
}

interface AggEntry {
  /**
   * Distinct messages, oldest first, at most AGGREGATE_MAX: one message as itself (most keys never see a second,
   * and an array per key would be the young generation's to copy), more as a tiny list (cheaper than a Set).
   */
  messages: string | string[];
  last: number;
}

/**
 * The object part of the correlator's keys. Upstream keys by the object's
 * kind/namespace/name/uid/apiVersion; a uid names one object alone, so with a
 * uid the rest is left out (same grouping; the uid string is the object's own,
 * whose hash is cached).
 */
function objectPart(o: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string }): string {
  return o.uid ? o.uid : `${o.kind}\u0000${o.namespace}\u0000${o.name}\u0000${o.apiVersion}`;
}

/** An ObjectReference to `o`, as reference.GetReference makes it (resourceVersion included); frozen, as the Event's part. */
function objectRef(o: KObject): Record<string, unknown> {
  const m = o.metadata;
  // A reference a reporter built itself (kube-proxy's node reference: kind, name and uid alone).
  if (o.apiVersion === undefined) return Object.freeze(m.namespace ? { kind: o.kind, namespace: m.namespace, name: m.name, uid: m.uid } : { kind: o.kind, name: m.name, uid: m.uid });
  return Object.freeze(m.namespace
    ? { kind: o.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: o.apiVersion, resourceVersion: m.resourceVersion }
    : { kind: o.kind, name: m.name, uid: m.uid, apiVersion: o.apiVersion, resourceVersion: m.resourceVersion });
}

/**
 * A Node's reference as its reporters build it. The kubelet and kube-proxy make theirs from the node's name alone
 * (NewMainKubelet's nodeRef: the uid is the name, no apiVersion); node-controller's RecordNodeEvent has the real
 * uid and the apiVersion. Neither has a resourceVersion. So `kubectl describe node` asks for events by both uids.
 */
function nodeRef(node: KObject, component: string): Record<string, unknown> {
  const name = node.metadata.name;
  return Object.freeze(component === 'kubelet' || component === 'kube-proxy'
    ? { kind: 'Node', name, uid: name }
    : { kind: 'Node', name, uid: node.metadata.uid, apiVersion: 'v1' });
}

/** The group of isomorphic keys an object's events fall in: its uid (a string the object holds), else its name. */
function groupOf(o: KObject): string {
  const m = o.metadata;
  return m.uid || `${o.kind}\u0000${m.namespace ?? ''}\u0000${m.name}\u0000${o.apiVersion}`;
}

/**
 * The next write of an Event this recorder wrote and the store still holds as written: the spread of `prev` with a
 * new count, lastTimestamp and message, field by field in the order `event` builds them (a spread of a frozen object
 * costs several times as much). The metadata is the one `event` builds, with the store's resourceVersion.
 */
function bumped(prev: KObject, count: number, ts: string, message: string): KObject {
  const m = prev.metadata;
  return Object.freeze({
    apiVersion: prev.apiVersion,
    kind: prev.kind,
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, creationTimestamp: m.creationTimestamp, resourceVersion: m.resourceVersion },
    involvedObject: prev.involvedObject,
    reason: prev.reason,
    message,
    source: prev.source,
    firstTimestamp: prev.firstTimestamp,
    lastTimestamp: ts,
    count,
    type: prev.type,
    eventTime: prev.eventTime,
    reportingComponent: prev.reportingComponent,
    reportingInstance: prev.reportingInstance,
  });
}

/** Whether two references are the same, as Go compares the struct (a uid names one object: kind, name and the rest follow). */
function sameRef(a: Record<string, unknown> | undefined, b: KObject | undefined): boolean {
  if (!a || !b) return a === undefined && b === undefined;
  const m = b.metadata;
  return a.uid === m.uid && a.resourceVersion === m.resourceVersion && a.name === m.name && a.namespace === m.namespace && a.kind === b.kind && a.apiVersion === b.apiVersion;
}

export class Recorder implements EventRecorder {
  /**
   * The object part of the three caches' keys, shared: an event looks its object up once for all three (each
   * cache's keys, its recency and its cap stay its own).
   */
  private keyGroups = new KeyGroupIndex();
  /**
   * The correlator's logger: the Event each exact repeat bumps, an LRU of 4096 keys like client-go's.
   * Its key is the aggregator's plus the message, or the aggregator's alone for a combined event.
   */
  private byKey = new EventKeyLru<Observation>(LRU_ENTRIES, this.keyGroups);
  /** The correlator's aggregator (source, object, type, reason), an LRU of 4096 keys like client-go's. */
  private similar = new EventKeyLru<AggEntry>(LRU_ENTRIES, this.keyGroups);
  /** The spam filter's token buckets by source and object, an LRU of 4096 keys like client-go's. */
  private spam = new EventKeyLru<SpamBucket>(LRU_ENTRIES, this.keyGroups);
  /**
   * Events oldest first, for the TTL and the cap: the metadata of each as it was written (where it lives, and which
   * Event it was: a recreated one has another uid), and beside it when (a plain number array, no record per Event).
   * The metadata alone, not the Event: an Event written again (a count, a series) is a new object each time, and a
   * place kept for each would hold every superseded copy alive until the cap reaches it; and the cap reads the
   * metadata of Events long out of the cache, one object fewer to fetch.
   */
  private order: (ObjectMeta | number)[] = [];
  private orderTimes: number[] = [];
  private orderAt = 0;
  /** How many places the expiry order has dropped from its front: `order[i]` is place `orderShift + i`. */
  private orderShift = 0;
  /**
   * The changes kept back from the store while nobody reads Events (Store.quiet), oldest first, and beside them their
   * revisions: the writes of the expiry order's places from `pendingBase` on, and the deletions of Events written
   * before. Most Events of a big run are dropped by the cap before anyone reads them, and one dropped here was never
   * written at all: its write leaves `undefined`. A new Event is kept back as a draft (see DRAFT_REFS): its entry
   * here is the draft's place in the expiry order, and that place holds its revision, until it is built.
   */
  private pending: (KObject | Deletion | number | undefined)[] = [];
  /** The drafts' ring (see DRAFT_REFS): a draft at place p has its slots at `p & draftMask`. */
  private draftRefs: unknown[] = new Array<unknown>(DRAFT_RING * DRAFT_REFS).fill(undefined);
  private draftNums = new Float64Array(DRAFT_RING * DRAFT_NUMS);
  private draftMask = DRAFT_RING - 1;
  private pendingRevs: number[] = [];
  /** How many of `pending` are dropped writes. */
  private pendingDropped = 0;
  private pendingBase = 0;
  /** The newest revision a write kept back and then dropped took (the store's history never had its change). */
  private droppedRev = 0;
  /** The last reference built, and what it was built from: the kubelet says several things in a row about one container. */
  private lastInvolved: Record<string, unknown> | undefined;
  private lastRegarding: KObject | undefined;
  private lastFieldPath: string | undefined;
  private seq = 0;
  /** `<name>.<hex UnixNano>` as client-go names events; the BigInt base is kept per millisecond. */
  private nanosMs = NaN;
  /** Hex of the millisecond's UnixNano above the low 32 bits, and those low bits as a number. */
  private nanosHigh = '';
  private nanosLow = 0;
  /**
   * The name's hex as character codes: the high part's digits, then eight for the low bits, which each Event
   * writes before making one flat string of them (number-to-hex text and padding cost three times as much).
   */
  private nanosCodes: number[] = [];
  /** The millisecond microTime last wrote, and its text. */
  private microMs = NaN;
  private microText = '';
  private readonly max: number;
  /** The events.k8s.io/v1 broadcaster's cache of isomorphic events (eventV1). */
  private isomorphic = new Map<string, SeriesEntry | SeriesEntry[]>();
  /**
   * When Events written again (a count, a series) were last written: their TTL counts from there. Keyed by the
   * Event's name, whose hash the store's look-ups have cached, then told apart by uid (another Event may have had the
   * name): the cap reads an old Event's uid string here, which no look-up has hashed.
   */
  private renewed = new Map<string, Renewal>();
  private seriesArmed = false;
  /** When the expiry timer fires (Infinity: none is armed), and its generation (clear() disarms it). */
  private expiryAt = Infinity;
  private expiryGen = 0;
  private seriesGen = 0;
  /** When the recorder started: the broadcaster's tickers count from there. */
  private readonly born: number;
  /** Disabled recorders drop events (used by benchmarks that measure without them). */
  enabled = true;

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    private readonly rand: SeededRand,
    private readonly opts: RecorderOptions = {},
  ) {
    this.max = opts.maxEvents ?? 50_000;
    this.born = clock.now();
    store.defer(TABLE, { flush: () => this.flush() });
  }

  event(source: EventSource, regarding: KObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    if (!this.enabled || !regarding?.metadata) return;
    const now = this.clock.now();
    const m = regarding.metadata;
    const ns = m.namespace || 'default';
    // The correlator's aggregator: past 10 different messages for the same object and reason within
    // 10 minutes, they fold into one "(combined from similar events): ..." Event.
    // The object's own uid string is the key's group (its hash is cached). The aggregator and the spam filter key by
    // the object alone (getSpamKey, EventAggregatorByReasonFunc): a pod's containers share them. Only the logger's
    // key of an exact repeat (getEventKey) has the reference's fieldPath beside it.
    const obj = m.uid ? m.uid : objectPart({ kind: regarding.kind, namespace: ns, name: m.name, apiVersion: regarding.apiVersion });
    // Made when absent: the aggregator records every event, so the group gets its key below.
    const g = this.keyGroups.group(obj);
    const sub = fieldPath ?? '';
    const component = source.component;
    const host = source.host ?? '';
    let agg = this.similar.get(g, '', component, host, type, reason, null);
    if (!agg) this.similar.add(g, '', component, host, type, reason, null, (agg = this.newAgg(message, now)));
    else if (now - agg.last > AGGREGATE_WINDOW_MS) this.similar.set(g, '', component, host, type, reason, null, (agg = { messages: message, last: now }));
    else if (agg.messages !== message) {
      if (typeof agg.messages === 'string') agg.messages = [agg.messages, message];
      else if (!agg.messages.includes(message)) agg.messages.push(message);
    }
    agg.last = now;
    const msgs = agg.messages;
    let keyMessage: string | null;
    if (typeof msgs !== 'string' && msgs.length >= AGGREGATE_MAX) {
      msgs.shift();
      message = `(combined from similar events): ${message}`;
      keyMessage = null;
    } else keyMessage = message;
    const ts = rfc3339(now);
    // The logger observes first: a repeat takes the key's Event name and counts on from it.
    // A combined Event's key is the aggregator's, which has no field path.
    const logSub = keyMessage === null ? '' : sub;
    let seen = this.byKey.get(g, logSub, component, host, type, reason, keyMessage);
    let count = 1;
    if (seen) count = ++seen.count;
    else {
      seen = this.newObservation(ns, `${m.name}.${this.nanosHex(now, this.seq++ % 1000000)}`, ts);
      this.byKey.add(g, logSub, component, host, type, reason, keyMessage, seen);
    }
    // Then the spam filter: past 25 events from one source about one object, one more every 5 minutes.
    if (!UNFILTERED_SOURCES.has(component)) {
      const bucket = this.spam.get(g, '', component, host, '', '', null);
      if (!bucket) this.spam.add(g, '', component, host, '', '', null, this.newBucket(now));
      else if (!takeSpamToken(bucket, now)) return;
    }
    if (count > 1) {
      const prev = this.current(seen);
      if (prev) {
        // Built frozen but for its metadata (see Store.put): the rest is the stored Event's, frozen, and strings.
        const next = prev === seen.written ? bumped(prev, count, ts, message) : Object.freeze({ ...prev, metadata: { ...prev.metadata }, count, lastTimestamp: ts, message });
        seen.written = next;
        seen.draftRev = 0;
        seen.writtenAt = this.write(next);
        this.renew(next, now);
        this.opts.onEvent?.(true);
        return;
      }
      // Gone past its TTL (or the cap), or dropped by the spam filter when new: the patch fails,
      // and client-go creates the Event under the name and first timestamp its logger remembers.
    }
    const involved = regarding.kind === 'Node' ? nodeRef(regarding, component) : this.involvedRef(regarding, fieldPath);
    const name = seen.name;
    if (this.store.quiet(TABLE)) {
      // Nobody reads Events: kept back as a draft, built when the store asks for it (see DRAFT_REFS).
      seen.written = undefined;
      seen.writtenAt = this.nextPlace;
      seen.draftRev = this.draft(name, ns, ts, involved, reason, message, this.sourceOf(source), seen.first, type, undefined, count, keyMessage === null ? COMBINED : CORE, now);
      this.opts.onEvent?.(count > 1);
      this.expire(now);
      return;
    }
    // Built frozen but for its metadata, which the store freezes once it has set the resourceVersion (Store.put): the
    // reference and the source are frozen parts, everything else strings and numbers, so nothing needs walking.
    const ev: KObject = Object.freeze({
      apiVersion: 'v1',
      kind: 'Event',
      // resourceVersion is the store's to set; named here, it has its slot in the object from the start.
      metadata: { name, namespace: ns, uid: newUid(this.rand), creationTimestamp: ts, resourceVersion: '' },
      involvedObject: involved,
      reason,
      message,
      source: this.sourceOf(source),
      firstTimestamp: seen.first,
      lastTimestamp: ts,
      count,
      type,
      eventTime: null,
      // EventAggregate's combined Event is a new one made of the source, object, type, reason and message: it has
      // no reporting fields.
      reportingComponent: keyMessage === null ? '' : source.component,
      reportingInstance: keyMessage === null ? '' : source.host ?? '',
    });
    seen.written = ev;
    seen.draftRev = 0;
    seen.writtenAt = this.write(ev);
    this.enqueue(ev, now);
    this.opts.onEvent?.(count > 1);
    this.expire(now);
  }

  /**
   * Keeps a new Event back as a draft (see DRAFT_REFS), at the revision and the place in the expiry order its write
   * would have had, and with the uid it would have had: the draws are made now, as `newUid` would, and made again
   * from the same state when it is built. Answers its revision.
   */
  private draft(name: string, ns: string, ts: string, involved: unknown, reason: string, message: string, sourceOrReporter: unknown,
    firstOrEventTime: string, type: string, action: string | undefined, count: number, shape: number, now: number): number {
    const place = this.nextPlace;
    if (!this.pending.length) this.pendingBase = place;
    // Every live draft has a place from the oldest live one on: the ring holds them all while it has more slots.
    if (place - (this.orderShift + this.orderAt) > this.draftMask) this.growDrafts(place);
    const uidState = this.rand.getState();
    this.rand.skip(UID_DRAWS);
    const rev = this.store.hold(TABLE);
    const slot = place & this.draftMask;
    const refs = this.draftRefs;
    const r = slot * DRAFT_REFS;
    refs[r] = name;
    refs[r + 1] = ns;
    refs[r + 2] = ts;
    refs[r + 3] = involved;
    refs[r + 4] = reason;
    refs[r + 5] = message;
    refs[r + 6] = sourceOrReporter;
    refs[r + 7] = firstOrEventTime;
    refs[r + 8] = type;
    refs[r + 9] = action;
    const n = slot * DRAFT_NUMS;
    this.draftNums[n] = uidState;
    this.draftNums[n + 1] = count;
    this.draftNums[n + 2] = shape;
    this.pending.push(place);
    this.pendingRevs.push(rev);
    this.order.push(rev);
    this.orderTimes.push(now);
    if (this.expiryAt === Infinity) this.armExpiry();
    return rev;
  }

  /** Doubles the drafts' ring until it holds the places from the oldest live one to `place`, live drafts moving along. */
  private growDrafts(place: number): void {
    const oldRefs = this.draftRefs;
    const oldNums = this.draftNums;
    const oldMask = this.draftMask;
    let size = oldMask + 1;
    while (place - (this.orderShift + this.orderAt) >= size) size *= 2;
    this.draftRefs = new Array<unknown>(size * DRAFT_REFS).fill(undefined);
    this.draftNums = new Float64Array(size * DRAFT_NUMS);
    this.draftMask = size - 1;
    for (const c of this.pending) {
      if (typeof c !== 'number') continue;
      const from = c & oldMask;
      const to = c & this.draftMask;
      for (let k = 0; k < DRAFT_REFS; k++) this.draftRefs[to * DRAFT_REFS + k] = oldRefs[from * DRAFT_REFS + k];
      for (let k = 0; k < DRAFT_NUMS; k++) this.draftNums[to * DRAFT_NUMS + k] = oldNums[from * DRAFT_NUMS + k];
    }
  }

  /** The Event the draft at `place` holds, as it would have been written at revision `rev`. */
  private built(place: number, rev: number): KObject {
    const refs = this.draftRefs;
    const nums = this.draftNums;
    const slot = place & this.draftMask;
    const r = slot * DRAFT_REFS;
    const n = slot * DRAFT_NUMS;
    const metadata = Object.freeze({
      name: refs[r], namespace: refs[r + 1], uid: newUid(new SeededRand(nums[n])), creationTimestamp: refs[r + 2], resourceVersion: String(rev),
    });
    const shape = nums[n + 2];
    if (shape === V1) {
      const reporter = refs[r + 6] as Reporter;
      return Object.freeze({
        apiVersion: 'v1', kind: 'Event', metadata, involvedObject: refs[r + 3], reason: refs[r + 4], message: refs[r + 5], source: NO_SOURCE,
        firstTimestamp: null, lastTimestamp: null, type: refs[r + 8], eventTime: refs[r + 7], action: refs[r + 9],
        reportingComponent: reporter.controller, reportingInstance: reporter.instance,
      }) as unknown as KObject;
    }
    const source = refs[r + 6] as EventSource;
    return Object.freeze({
      apiVersion: 'v1',
      kind: 'Event',
      metadata,
      involvedObject: refs[r + 3],
      reason: refs[r + 4],
      message: refs[r + 5],
      source,
      firstTimestamp: refs[r + 7],
      lastTimestamp: refs[r + 2],
      count: nums[n + 1],
      type: refs[r + 8],
      eventTime: null,
      reportingComponent: shape === COMBINED ? '' : source.component,
      reportingInstance: shape === COMBINED ? '' : source.host ?? '',
    }) as unknown as KObject;
  }

  /** Lets go of what the draft at `place` holds (it was built): a dropped one's slots wait to be taken again. */
  private forgetDraft(place: number): void {
    const r = (place & this.draftMask) * DRAFT_REFS;
    this.draftRefs.fill(undefined, r, r + DRAFT_REFS);
  }

  /**
   * Builds the draft at `i` of `pending`, at `place`: the Event takes the draft's entry there and its place in the
   * expiry order, as if it had been kept back whole.
   */
  private buildPending(i: number, place: number): KObject {
    const ev = this.built(place, this.pendingRevs[i]);
    this.pending[i] = ev;
    this.order[place - this.orderShift] = ev.metadata;
    this.forgetDraft(place);
    return ev;
  }

  /**
   * A new key's aggregation record. This and the two below fill in the record of the key the cache's last add
   * evicted, when there is one: in a big run every pod is a new object and each of its events a new key, so every
   * add evicts one, and its record (which only the cache held) serves rather than a new one made to live through
   * a few thousand events (EventKeyLru.takeEvicted).
   */
  private newAgg(message: string, now: number): AggEntry {
    const a = this.similar.takeEvicted();
    if (!a) return { messages: message, last: now };
    a.messages = message;
    a.last = now;
    return a;
  }

  /** A new key's logger record: its Event's name and first timestamp, seen once. */
  private newObservation(ns: string, name: string, first: string): Observation {
    const o = this.byKey.takeEvicted();
    if (!o) return { ns, name, count: 1, first, written: undefined, draftRev: 0, writtenAt: -1 };
    o.ns = ns;
    o.name = name;
    o.count = 1;
    o.first = first;
    o.written = undefined;
    o.draftRev = 0;
    o.writtenAt = -1;
    return o;
  }

  /**
   * Writes an Event, or keeps the write back while nobody reads Events (see `pending`); answers the place in the
   * expiry order its `enqueue`, which follows every write, gives it. A write kept back has its revision now.
   */
  private write(ev: KObject): number {
    const place = this.nextPlace;
    if (!this.store.quiet(TABLE)) {
      // Anything kept back is written first (the store sees to it), then this.
      this.store.put(TABLE, ev);
      return place;
    }
    if (!this.pending.length) this.pendingBase = place;
    this.pendingRevs.push(this.store.hold(TABLE, ev));
    this.pending.push(ev);
    return place;
  }

  /** The place in the expiry order the next `enqueue` gives. */
  private get nextPlace(): number {
    return this.orderShift + this.order.length;
  }

  /** Whether the write at `place` of the expiry order is kept back, not in the store. */
  private isPending(place: number): boolean {
    return this.pending.length > 0 && place >= this.pendingBase;
  }

  /**
   * The Event the key's logger entry names as it is now: gone (undefined) once the expiry order has passed its last
   * write (the cap or the TTL deleted it), else kept back, or in the store.
   */
  private current(seen: Observation): KObject | undefined {
    if (seen.writtenAt >= 0 && seen.writtenAt < this.orderShift + this.orderAt) return undefined;
    if (this.isPending(seen.writtenAt)) {
      if (seen.written !== undefined) return seen.written;
      if (seen.draftRev) {
        // Kept back as a draft: built now, in its place (a repeat while nobody reads is rare).
        const i = lowerBound(this.pendingRevs, seen.draftRev);
        const c = this.pending[i];
        seen.draftRev = 0;
        if (typeof c === 'number') return (seen.written = this.buildPending(i, c));
      }
    }
    return this.store.peek(TABLE, seen.ns, seen.name);
  }

  /** Writes what was kept back into the store, oldest first, at the revisions it took (the store asks, before a read). */
  private flush(): void {
    const pending = this.pending;
    const revs = this.pendingRevs;
    this.pending = [];
    this.pendingRevs = [];
    this.pendingDropped = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i];
      if (c === undefined) continue;
      if (typeof c === 'number') {
        // A draft: built, and its place in the expiry order takes the Event's metadata, as for one written whole.
        const ev = this.built(c, revs[i]);
        this.order[c - this.orderShift] = ev.metadata;
        this.forgetDraft(c);
        this.store.putAt(TABLE, ev);
      } else if ('metadata' in c) this.store.putAt(TABLE, c as KObject);
      else this.store.removeAt(TABLE, c.namespace, c.name, c.uid, revs[i]);
    }
    if (this.droppedRev) this.store.compactTo(TABLE, this.droppedRev);
    this.droppedRev = 0;
  }

  /** Drops the write kept back at revision `rev`: it is never written. */
  private dropPending(rev: number): void {
    this.pending[lowerBound(this.pendingRevs, rev)] = undefined;
    this.pendingDropped++;
    if (rev > this.droppedRev) this.droppedRev = rev;
  }

  /** A spam record that has just spent its first token. */
  private newBucket(now: number): SpamBucket {
    const b = this.spam.takeEvicted();
    if (!b) return { tokens: SPAM_BURST - 1, last: now };
    b.tokens = SPAM_BURST - 1;
    b.last = now;
    return b;
  }

  /**
   * The Event's involvedObject, as reference.GetReference makes it. Events about one version of an object and one
   * field path (the kubelet's Pulling, Pulled, Created and Started for a container) share one frozen reference:
   * stored objects are frozen anyway, and that is three objects fewer per pod for the young generation to copy.
   */
  private involvedRef(regarding: KObject, fieldPath: string | undefined): Record<string, unknown> {
    const m = regarding.metadata;
    if (this.lastInvolved && this.lastRegarding === regarding && this.lastFieldPath === fieldPath && Object.isFrozen(m)
      && this.lastInvolved.kind === regarding.kind && this.lastInvolved.apiVersion === regarding.apiVersion) return this.lastInvolved;
    // A literal for each shape: a `delete` would leave the object in slow dictionary mode, and a field added later
    // would live outside it, in a backing array of its own.
    const involved: Record<string, unknown> = m.namespace
      ? fieldPath
        ? { kind: regarding.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: regarding.apiVersion, resourceVersion: m.resourceVersion, fieldPath }
        : { kind: regarding.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: regarding.apiVersion, resourceVersion: m.resourceVersion }
      : fieldPath
        ? { kind: regarding.kind, name: m.name, uid: m.uid, apiVersion: regarding.apiVersion, resourceVersion: m.resourceVersion, fieldPath }
        : { kind: regarding.kind, name: m.name, uid: m.uid, apiVersion: regarding.apiVersion, resourceVersion: m.resourceVersion };
    this.lastRegarding = regarding;
    this.lastFieldPath = fieldPath;
    return (this.lastInvolved = Object.freeze(involved));
  }

  private enqueue(ev: KObject, at: number): void {
    this.order.push(ev.metadata);
    this.orderTimes.push(at);
    if (this.expiryAt === Infinity) this.armExpiry();
  }

  /**
   * The TTL runs out with time alone, as etcd's lease deletes an Event an hour after its last write: a timer waits
   * for the oldest place in the expiry order (later places are later), expires what is due, and waits for the next.
   */
  private armExpiry(): void {
    if (this.orderAt >= this.order.length) return;
    const due = this.orderTimes[this.orderAt] + TTL_MS;
    this.expiryAt = due;
    const gen = ++this.expiryGen;
    this.clock.setTimer(Math.max(0, due - this.clock.now()), () => {
      if (gen !== this.expiryGen) return;
      this.expiryAt = Infinity;
      this.expire(this.clock.now());
      this.armExpiry();
    });
  }

  /**
   * An Event as client-go's events.k8s.io/v1 recorder writes it (kube-scheduler's): `eventTime` in
   * microseconds, `action`, the reporting controller and instance, no source, timestamps or count; a repeat
   * becomes a `series` (see SERIES_FINISH_MS). The apiserver stores it as a core/v1 Event, which is what
   * `kubectl get events` and `kubectl describe` read.
   */
  eventV1(reporter: Reporter, regarding: KObject, related: KObject | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string, once = false): void {
    if (!this.enabled || !regarding?.metadata) return;
    const now = this.clock.now();
    // The key is the regarding object's group, then the rest compared field by field: no key string per event.
    const group = groupOf(regarding);
    // Most of what the broadcaster says is said once (the scheduler's Scheduled) and leaves no entry: with none
    // kept, there is nothing to look up.
    const had = this.isomorphic.size ? this.isomorphic.get(group) : undefined;
    let seen: SeriesEntry | undefined;
    if (had) {
      for (const c of Array.isArray(had) ? had : [had]) {
        if (c.reason === reason && c.action === action && c.type === type && c.reporter.controller === reporter.controller
          && c.reporter.instance === reporter.instance && sameRef(c.regarding, regarding) && sameRef(c.related, related)) { seen = c; break; }
      }
    }
    if (seen) {
      if (seen.series) {
        seen.series.count++;
        seen.series.last = now;
        return;
      }
      seen.series = { count: 2, last: now };
      this.writeSeries(seen);
      return;
    }
    const m = regarding.metadata;
    const ns = m.namespace || 'default';
    const name = `${m.name}.${this.nanosHex(now, this.seq++ % 1000000)}`;
    const ref = objectRef(regarding);
    const rel = related ? objectRef(related) : undefined;
    // An event its reporter can never record again about the same object version (a pod is bound once, at one
    // resourceVersion) would never find its entry: it is not kept, which changes nothing that can be seen. The usual
    // one (the scheduler's Scheduled), while nobody reads Events, is kept back as a draft with no entry made at all.
    if (once && note && !rel && this.store.quiet(TABLE)) {
      this.draft(name, ns, rfc3339(now), ref, reason, note, reporter, this.microTime(now), type, action, 0, V1, now);
      this.opts.onEvent?.(false);
      this.expire(now);
      return;
    }
    const e: SeriesEntry = { ns, name, eventTime: now, reporter, regarding: ref, related: rel, type, reason, action, note };
    if (once) {
      this.create(this.v1Event(e, now), now, false);
      return;
    }
    if (!had) this.isomorphic.set(group, e);
    else if (Array.isArray(had)) had.push(e);
    else this.isomorphic.set(group, [had, e]);
    this.create(this.v1Event(e, now), now, false);
    this.armSeriesTimers(now);
  }

  /** The Event as the apiserver stores an events.k8s.io/v1 one: core/v1, with no source, timestamps or count. */
  private v1Event(e: SeriesEntry, now: number): KObject {
    const metadata = { name: e.name, namespace: e.ns, uid: newUid(this.rand), creationTimestamp: rfc3339(now), resourceVersion: '' };
    const eventTime = this.microTime(e.eventTime);
    // Built frozen but for its metadata, as `event` builds its Events (the references are frozen when made). The
    // usual one (a note, no series, nothing related: the scheduler's Scheduled) is one literal, all its fields in
    // the object itself.
    if (e.note && !e.series && !e.related) {
      return Object.freeze({
        apiVersion: 'v1', kind: 'Event', metadata, involvedObject: e.regarding, reason: e.reason, message: e.note, source: NO_SOURCE,
        firstTimestamp: null, lastTimestamp: null, type: e.type, eventTime, action: e.action,
        reportingComponent: e.reporter.controller, reportingInstance: e.reporter.instance,
      });
    }
    const ev: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata,
      involvedObject: e.regarding,
      reason: e.reason,
      message: e.note,
      source: NO_SOURCE,
      firstTimestamp: null,
      lastTimestamp: null,
      type: e.type,
      eventTime,
    };
    // An empty note is left out (`message` is omitempty), as kube-proxy's Starting shows.
    if (!e.note) delete ev.message;
    if (e.series) ev.series = Object.freeze({ count: e.series.count, lastObservedTime: this.microTime(e.series.last) });
    ev.action = e.action;
    if (e.related) ev.related = e.related;
    ev.reportingComponent = e.reporter.controller;
    ev.reportingInstance = e.reporter.instance;
    return Object.freeze(ev);
  }

  /** A MicroTime's text, kept for the last millisecond asked: the Events of one millisecond share one string. */
  private microTime(ms: number): string {
    if (ms !== this.microMs) {
      this.microMs = ms;
      this.microText = rfc3339Micro(ms);
    }
    return this.microText;
  }

  /** The series' count as a patch writes it; an Event gone (its TTL, the cap) is created again with it (recordEvent). */
  private writeSeries(e: SeriesEntry): void {
    // A series is rare: the store writes what was kept back, and the Event is read there.
    const prev = this.store.get(TABLE, e.ns, e.name);
    if (prev) {
      const next = { ...prev, metadata: { ...prev.metadata }, series: { count: e.series!.count, lastObservedTime: this.microTime(e.series!.last) } };
      this.write(next);
      this.renew(next, this.clock.now());
      this.opts.onEvent?.(true);
      return;
    }
    const now = this.clock.now();
    this.create(this.v1Event(e, now), now, true);
  }

  /**
   * Every write of an Event starts its TTL again (the events registry's TTLFunc): the Event gets a new place at the
   * end of the expiry order, and its older place, when reached, passes it by.
   */
  private renew(ev: KObject, now: number): void {
    const m = ev.metadata;
    const r = this.renewalOf(m);
    // The place `enqueue` gives the write.
    const place = this.nextPlace;
    if (r !== undefined) r.place = place;
    else this.renewed.set(m.name!, { uid: m.uid!, place, next: this.renewed.get(m.name!) });
    this.enqueue(ev, now);
  }

  /** The renewal of the Event `m` names, if it has one. */
  private renewalOf(m: ObjectMeta): Renewal | undefined {
    let r = this.renewed.get(m.name!);
    while (r !== undefined && r.uid !== m.uid) r = r.next;
    return r;
  }

  /** Forgets the renewal `r` of the Event named `name`. */
  private forgetRenewal(name: string, r: Renewal): void {
    const first = this.renewed.get(name)!;
    if (first === r) {
      if (r.next === undefined) this.renewed.delete(name);
      else this.renewed.set(name, r.next);
      return;
    }
    let before = first;
    while (before.next !== r) before = before.next!;
    before.next = r.next;
  }

  private create(ev: KObject, now: number, repeat: boolean): void {
    this.write(ev);
    this.enqueue(ev, now);
    this.opts.onEvent?.(repeat);
    this.expire(now);
  }

  /** The broadcaster's two tickers, which tick from its start on (wait.Until), armed while it remembers anything. */
  private armSeriesTimers(now: number): void {
    if (this.seriesArmed) return;
    this.seriesArmed = true;
    const gen = ++this.seriesGen;
    const next = (period: number) => period - ((((now = this.clock.now()) - this.born) % period) + period) % period;
    const finish = () => {
      if (gen !== this.seriesGen) return;
      const t = this.clock.now();
      const done = (e: SeriesEntry) => {
        if (!(e.series ? e.series.last < t - SERIES_FINISH_MS : e.eventTime < t - SERIES_FINISH_MS)) return false;
        if (e.series) this.writeSeries(e);
        return true;
      };
      for (const [k, g] of this.isomorphic) {
        if (!Array.isArray(g)) {
          if (done(g)) this.isomorphic.delete(k);
          continue;
        }
        const left = g.filter((e) => !done(e));
        if (!left.length) this.isomorphic.delete(k);
        else this.isomorphic.set(k, left.length === 1 ? left[0] : left);
      }
      if (this.isomorphic.size) this.clock.setTimer(next(SERIES_FINISH_MS), finish);
      else this.disarmSeries();
    };
    const refresh = () => {
      if (gen !== this.seriesGen) return;
      for (const g of this.isomorphic.values()) for (const e of Array.isArray(g) ? g : [g]) if (e.series) this.writeSeries(e);
      this.clock.setTimer(next(SERIES_REFRESH_MS), refresh);
    };
    this.clock.setTimer(next(SERIES_FINISH_MS), finish);
    this.clock.setTimer(next(SERIES_REFRESH_MS), refresh);
  }

  private disarmSeries(): void {
    this.seriesArmed = false;
    this.seriesGen++;
  }

  /**
   * The Event's `source`. A component that keeps one frozen EventSource
   * (a kubelet per node, the scheduler) has it shared by all its Events, as
   * stored objects are frozen anyway; any other source is copied, frozen.
   */
  private sourceOf(source: EventSource): EventSource {
    if (Object.isFrozen(source)) return source;
    return Object.freeze(source.host ? { component: source.component, host: source.host } : { component: source.component });
  }

  /** Hex of `now` ms in nanoseconds plus `extra`, exact past 2^53: BigInt only when the low 32 bits carry. */
  private nanosHex(now: number, extra: number): string {
    if (now !== this.nanosMs) {
      this.nanosMs = now;
      const base = BigInt(Math.floor(now)) * 1000000n;
      const high = base >> 32n;
      const highHex = high === 0n ? '' : high.toString(16);
      if (highHex !== this.nanosHigh) {
        this.nanosHigh = highHex;
        this.nanosCodes = [];
        for (let i = 0; i < highHex.length; i++) this.nanosCodes.push(highHex.charCodeAt(i));
        for (let i = 0; i < 8; i++) this.nanosCodes.push(48);
      }
      this.nanosLow = Number(base & 0xffffffffn);
    }
    let low = this.nanosLow + extra;
    if (low > 0xffffffff) return (BigInt(Math.floor(now)) * 1000000n + BigInt(extra)).toString(16);
    if (!this.nanosHigh) return low.toString(16);
    const codes = this.nanosCodes;
    for (let i = codes.length - 1, end = codes.length - 8; i >= end; i--) {
      codes[i] = HEX_CODES[low & 15];
      low >>>= 4;
    }
    return String.fromCharCode.apply(null, codes);
  }



  /** Drops events past their TTL, and the oldest beyond the cap. */
  expire(now: number): void {
    while (this.orderAt < this.order.length) {
      const at = this.orderTimes[this.orderAt];
      const live = this.order.length - this.orderAt;
      if (live <= this.max && now - at < TTL_MS) break;
      const e = this.order[this.orderAt];
      const place = this.orderShift + this.orderAt;
      this.order[this.orderAt++] = undefined as unknown as ObjectMeta;
      if (typeof e === 'number') {
        // A draft, kept back and never built: no other write of its Event came (that would have built it), and the
        // store never had it. Dropped unwritten, its deletion takes the revision it would have had.
        this.dropPending(e);
        this.droppedRev = this.store.reserve();
        continue;
      }
      // A write kept back that a later write of the same Event supersedes, or that the Event's end reaches, is
      // dropped unwritten.
      const held = this.isPending(place);
      if (held) this.dropPending(Number(e.resourceVersion));
      // A logger entry left naming this Event finds it gone on the next repeat and creates it again. An Event
      // deleted by hand and created again under its name is another Event, with its own entry: this one passes it by.
      // A place an Event has since left for a later one (a write renewed its TTL) expires nothing.
      const renewal = this.renewed.size ? this.renewalOf(e) : undefined;
      if (renewal !== undefined && renewal.place > place) continue;
      if (renewal !== undefined) this.forgetRenewal(e.name!, renewal);
      // With nothing kept back, the Event is deleted from the store as ever. Otherwise deleting one in the store waits
      // behind the writes kept back, which come first (a version written before and then written again and kept back,
      // too); and an Event whose writes were all kept back has its deletion take the revision it would have had, and
      // nothing more.
      if (!this.pending.length) {
        this.store.remove(TABLE, e.namespace, e.name!, e.uid!);
        continue;
      }
      if (this.store.peek(TABLE, e.namespace, e.name!)?.metadata.uid === e.uid) {
        this.pending.push({ namespace: e.namespace, name: e.name!, uid: e.uid! });
        this.pendingRevs.push(this.store.hold(TABLE));
      } else if (held) this.droppedRev = this.store.reserve();
    }
    if (this.orderAt > 10_000 && this.orderAt * 2 > this.order.length) {
      this.order = this.order.slice(this.orderAt);
      this.orderTimes = this.orderTimes.slice(this.orderAt);
      this.orderShift += this.orderAt;
      this.orderAt = 0;
    }
    // The writes kept back that were dropped leave the list (a cluster nobody reads keeps only the cap's).
    if (this.pendingDropped > 10_000 && this.pendingDropped * 2 > this.pending.length) {
      const keep: (KObject | Deletion | number)[] = [];
      const revs: number[] = [];
      for (let i = 0; i < this.pending.length; i++) {
        const c = this.pending[i];
        if (c === undefined) continue;
        keep.push(c);
        revs.push(this.pendingRevs[i]);
      }
      this.pending = keep;
      this.pendingRevs = revs;
      this.pendingDropped = 0;
    }
  }

  /** Takes up Events already in the store (a restored playground): they dedupe and expire like fresh ones. */
  adopt(): void {
    // The last write of each: lastTimestamp for a core/v1 writer's, the series or eventTime for an events.k8s.io one's.
    const lastWrite = (e: KObject) => Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '') || 0;
    const evs = [...this.store.list(TABLE)].sort((a, b) => lastWrite(a) - lastWrite(b));
    for (const e of evs) {
      const io = e.involvedObject ?? {};
      const ns = e.metadata.namespace!;
      const combined = String(e.message ?? '').startsWith('(combined from similar events): ');
      const name = e.metadata.name!;
      // Its place in the expiry order is the one `enqueue` below gives it.
      const seen: Observation = { ns, name, count: Number(e.count) || 1, first: String(e.firstTimestamp ?? e.lastTimestamp ?? ''), written: undefined, draftRev: 0, writtenAt: this.nextPlace };
      this.byKey.set(this.keyGroups.group(objectPart({ ...io, namespace: ns })), !combined && typeof io.fieldPath === 'string' ? io.fieldPath : '', e.source?.component ?? '', e.source?.host ?? '', e.type, e.reason, combined ? null : String(e.message), seen);
      this.enqueue(e, lastWrite(e) || this.clock.now());
    }
  }

  /** Forgets the dedupe cache (reset). */
  clear(): void {
    this.byKey.clear();
    this.similar.clear();
    this.spam.clear();
    this.isomorphic.clear();
    this.renewed.clear();
    this.disarmSeries();
    this.order = [];
    this.orderTimes = [];
    this.orderAt = 0;
    this.orderShift = 0;
    this.pending = [];
    this.pendingRevs = [];
    this.draftRefs = new Array<unknown>(DRAFT_RING * DRAFT_REFS).fill(undefined);
    this.draftNums = new Float64Array(DRAFT_RING * DRAFT_NUMS);
    this.draftMask = DRAFT_RING - 1;
    this.pendingDropped = 0;
    this.pendingBase = 0;
    this.droppedRev = 0;
    this.expiryAt = Infinity;
    this.expiryGen++;
    this.lastInvolved = this.lastRegarding = undefined;
  }
}
