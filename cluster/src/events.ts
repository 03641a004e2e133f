/**
 * The event recorder every component shares (client-go's record package in
 * miniature): a core/v1 Event named `<object>.<hex nanoseconds>`, and a
 * repeat of the same source/object/type/reason/message bumps `count` and
 * `lastTimestamp` on the existing Event instead of writing a new one, as the
 * upstream correlator does. Events live for an hour of simulated time
 * (the apiserver's default --event-ttl); a cap keeps huge runs bounded.
 */
import type { EventRecorder, EventSource, KObject } from './contract';
import type { Store } from './store/store';
import type { SimClock } from './runtime/clock';
import type { SeededRand } from './runtime/rand';
import { EventKeyLru } from './runtime/lru';
import { rfc3339 } from './runtime/objects';
import { newUid } from './apiserver/meta';

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

export interface RecorderOptions {
  /** Most Events kept; the oldest go first (default 50,000). */
  maxEvents?: number;
  /** Called for each new or repeated event (the teaching log). */
  onEvent?: (e: KObject) => void;
}

/** Where an Event lives, when it was created (for the TTL), and which Event it was (a recreated one has another uid). */
interface EventRef {
  ns: string;
  name: string;
  at: number;
  uid: string;
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
  /** Distinct messages, oldest first, at most AGGREGATE_MAX (a tiny list: cheaper than a Set per entry). */
  messages: string[];
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

export class Recorder implements EventRecorder {
  /**
   * The correlator's logger: the Event each exact repeat bumps, an LRU of 4096 keys like client-go's.
   * Its key is the aggregator's plus the message, or the aggregator's alone for a combined event.
   */
  private byKey = new EventKeyLru<Observation>(LRU_ENTRIES);
  /** The correlator's aggregator (source, object, type, reason), an LRU of 4096 keys like client-go's. */
  private similar = new EventKeyLru<AggEntry>(LRU_ENTRIES);
  /** The spam filter's token buckets by source and object, an LRU of 4096 keys like client-go's. */
  private spam = new EventKeyLru<SpamBucket>(LRU_ENTRIES);
  /** Events oldest first, for the TTL and the cap. */
  private order: EventRef[] = [];
  private orderAt = 0;
  private seq = 0;
  /** `<name>.<hex UnixNano>` as client-go names events; the BigInt base is kept per millisecond. */
  private nanosMs = NaN;
  /** Hex of the millisecond's UnixNano above the low 32 bits, and those low bits as a number. */
  private nanosHigh = '';
  private nanosLow = 0;
  private readonly max: number;
  /** Disabled recorders drop events (used by benchmarks that measure without them). */
  enabled = true;

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    private readonly rand: SeededRand,
    private readonly opts: RecorderOptions = {},
  ) {
    this.max = opts.maxEvents ?? 50_000;
  }

  event(source: EventSource, regarding: KObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    if (!this.enabled || !regarding?.metadata) return;
    const now = this.clock.now();
    const m = regarding.metadata;
    const ns = m.namespace || 'default';
    // The correlator's aggregator: past 10 different messages for the same object and reason within
    // 10 minutes, they fold into one "(combined from similar events): ..." Event.
    // The reference's fieldPath is part of the object in every key: two containers' events never fold together.
    const base = m.uid ? m.uid : objectPart({ kind: regarding.kind, namespace: ns, name: m.name, apiVersion: regarding.apiVersion });
    const obj = fieldPath ? `${base}\u0000${fieldPath}` : base;
    const component = source.component;
    const host = source.host ?? '';
    let agg = this.similar.get(obj, component, host, type, reason, null);
    if (!agg) this.similar.add(obj, component, host, type, reason, null, (agg = { messages: [], last: now }));
    else if (now - agg.last > AGGREGATE_WINDOW_MS) this.similar.set(obj, component, host, type, reason, null, (agg = { messages: [], last: now }));
    const msgs = agg.messages;
    if (!msgs.includes(message)) msgs.push(message);
    agg.last = now;
    let keyMessage: string | null;
    if (msgs.length >= AGGREGATE_MAX) {
      msgs.shift();
      message = `(combined from similar events): ${message}`;
      keyMessage = null;
    } else keyMessage = message;
    const ts = rfc3339(now);
    // The logger observes first: a repeat takes the key's Event name and counts on from it.
    let seen = this.byKey.get(obj, component, host, type, reason, keyMessage);
    let count = 1;
    if (seen) count = ++seen.count;
    else {
      seen = { ns, name: `${m.name}.${this.nanosHex(now, this.seq++ % 1000000)}`, count: 1, first: ts };
      this.byKey.add(obj, component, host, type, reason, keyMessage, seen);
    }
    // Then the spam filter: past 25 events from one source about one object, one more every 5 minutes.
    if (!UNFILTERED_SOURCES.has(component)) {
      const bucket = this.spam.get(obj, component, host, '', '', null);
      if (!bucket) this.spam.add(obj, component, host, '', '', null, { tokens: SPAM_BURST - 1, last: now });
      else if (!takeSpamToken(bucket, now)) return;
    }
    if (count > 1) {
      const prev = this.store.get(TABLE, seen.ns, seen.name);
      if (prev) {
        const next = { ...prev, metadata: { ...prev.metadata }, count, lastTimestamp: ts, message };
        this.store.put(TABLE, next);
        this.opts.onEvent?.(next);
        return;
      }
      // Gone past its TTL (or the cap), or dropped by the spam filter when new: the patch fails,
      // and client-go creates the Event under the name and first timestamp its logger remembers.
    }
    // Two literals rather than a `delete`, which would leave the object in slow dictionary mode.
    const involved: Record<string, unknown> = m.namespace
      ? { kind: regarding.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: regarding.apiVersion, resourceVersion: m.resourceVersion }
      : { kind: regarding.kind, name: m.name, uid: m.uid, apiVersion: regarding.apiVersion, resourceVersion: m.resourceVersion };
    if (fieldPath) involved.fieldPath = fieldPath;
    const name = seen.name;
    const ev: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns, uid: newUid(this.rand), creationTimestamp: ts },
      involvedObject: involved,
      reason,
      message,
      source: this.sourceOf(source),
      firstTimestamp: seen.first,
      lastTimestamp: ts,
      count,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    this.store.put(TABLE, ev);
    this.order.push({ ns, name, at: now, uid: ev.metadata.uid! });
    this.opts.onEvent?.(ev);
    this.expire(now);
  }

  /**
   * The Event's `source`. A component that keeps one frozen EventSource
   * (a kubelet per node, the scheduler) has it shared by all its Events, as
   * stored objects are frozen anyway; any other source is copied.
   */
  private sourceOf(source: EventSource): EventSource {
    if (Object.isFrozen(source)) return source;
    return source.host ? { component: source.component, host: source.host } : { component: source.component };
  }

  /** Hex of `now` ms in nanoseconds plus `extra`, exact past 2^53: BigInt only when the low 32 bits carry. */
  private nanosHex(now: number, extra: number): string {
    if (now !== this.nanosMs) {
      this.nanosMs = now;
      const base = BigInt(Math.floor(now)) * 1000000n;
      const high = base >> 32n;
      this.nanosHigh = high === 0n ? '' : high.toString(16);
      this.nanosLow = Number(base & 0xffffffffn);
    }
    const low = this.nanosLow + extra;
    if (low > 0xffffffff) return (BigInt(Math.floor(now)) * 1000000n + BigInt(extra)).toString(16);
    return this.nanosHigh ? this.nanosHigh + low.toString(16).padStart(8, '0') : low.toString(16);
  }



  /** Drops events past their TTL, and the oldest beyond the cap. */
  expire(now: number): void {
    while (this.orderAt < this.order.length) {
      const e = this.order[this.orderAt];
      const live = this.order.length - this.orderAt;
      if (live <= this.max && now - e.at < TTL_MS) break;
      this.orderAt++;
      // A logger entry left naming this Event finds it gone on the next repeat and creates it again. An Event
      // deleted by hand and created again under its name is another Event, with its own entry: this one passes it by.
      if (this.store.get(TABLE, e.ns, e.name)?.metadata.uid === e.uid) this.store.remove(TABLE, e.ns, e.name);
    }
    if (this.orderAt > 10_000 && this.orderAt * 2 > this.order.length) {
      this.order = this.order.slice(this.orderAt);
      this.orderAt = 0;
    }
  }

  /** Takes up Events already in the store (a restored playground): they dedupe and expire like fresh ones. */
  adopt(): void {
    const evs = [...this.store.list(TABLE)].sort((a, b) => Date.parse(a.lastTimestamp ?? '') - Date.parse(b.lastTimestamp ?? ''));
    for (const e of evs) {
      const io = e.involvedObject ?? {};
      const ns = e.metadata.namespace!;
      const combined = String(e.message ?? '').startsWith('(combined from similar events): ');
      const name = e.metadata.name!;
      const seen: Observation = { ns, name, count: Number(e.count) || 1, first: String(e.firstTimestamp ?? e.lastTimestamp ?? '') };
      this.byKey.set(objectPart({ ...io, namespace: ns }), e.source?.component ?? '', e.source?.host ?? '', e.type, e.reason, combined ? null : String(e.message), seen);
      this.order.push({ ns, name, at: Date.parse(e.lastTimestamp ?? '') || this.clock.now(), uid: e.metadata.uid ?? '' });
    }
  }

  /** Forgets the dedupe cache (reset). */
  clear(): void {
    this.byKey.clear();
    this.similar.clear();
    this.spam.clear();
    this.order = [];
    this.orderAt = 0;
  }
}
