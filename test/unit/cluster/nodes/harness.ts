/**
 * A small in-memory stand-in for the core engineer's store + apiserver, used
 * by the node/network/storage tests until cluster/src/testing.ts lands. It
 * keeps the contract's promises that matter here: watch events are queued and
 * delivered by the loop (never inside the write), timers fire in time order,
 * pods with a node are deleted gracefully (deletionTimestamp first), and the
 * binding, status and eviction subresources exist.
 */
import type {
  Api, Clock, ComponentContext, DeleteOptions, GVR, KObject, ListOptions, ListResult, PatchType, Rand,
  TimerHandle, WatchEvent, WatchHandle, WriteOptions, WriteResult,
} from '../../../../cluster/src/contract';

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  timers = new Map<number, { at: number; seq: number; fn: () => void }>();
  constructor(start = Date.UTC(2025, 0, 1)) { this.t = start; }
  now(): number { return this.t; }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, delayMs), seq: id, fn });
    return id;
  }
  clearTimer(h: TimerHandle): void { this.timers.delete(h); }
  nextDue(): { id: number; at: number; fn: () => void } | undefined {
    let best: { id: number; at: number; seq: number; fn: () => void } | undefined;
    for (const [id, tm] of this.timers) if (!best || tm.at < best.at || (tm.at === best.at && tm.seq < best.seq)) best = { id, ...tm };
    return best;
  }
  set(t: number): void { this.t = t; }
}

export class SeededRand implements Rand {
  private s: number;
  constructor(seed = 1) { this.s = seed >>> 0 || 1; }
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  string(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

export class HttpError extends Error {
  constructor(public code: number, public reason: string, message: string) { super(message); }
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
const key = (g: GVR) => `${g.group}/${g.resource}`;
const clusterScoped = new Set(['/nodes', '/persistentvolumes', 'storage.k8s.io/storageclasses', '/namespaces']);

interface Watcher { gvr: GVR; ns?: string; fn: (e: WatchEvent) => void; stopped: boolean }

export class FakeApi implements Api {
  private data = new Map<string, Map<string, KObject>>();
  private rv = 1;
  private uidSeq = 0;
  private watchers: Watcher[] = [];
  queue: Array<() => void> = [];
  constructor(private clock: Clock, private rand: Rand) {}

  private bucket(g: GVR) { let b = this.data.get(key(g)); if (!b) this.data.set(key(g), (b = new Map())); return b; }
  private id(g: GVR, ns: string | undefined, name: string) { return clusterScoped.has(key(g)) ? name : `${ns}/${name}`; }
  private emit(g: GVR, type: WatchEvent['type'], obj: KObject) {
    for (const w of this.watchers) {
      if (w.stopped || key(w.gvr) !== key(g) || (w.ns && w.ns !== obj.metadata.namespace)) continue;
      const copy = clone(obj);
      this.queue.push(() => { if (!w.stopped) w.fn({ type, object: copy }); });
    }
  }
  private store(g: GVR, obj: KObject, type: 'ADDED' | 'MODIFIED') {
    obj.metadata.resourceVersion = String(++this.rv);
    this.bucket(g).set(this.id(g, obj.metadata.namespace, obj.metadata.name!), clone(obj));
    this.emit(g, type, obj);
    return { object: clone(obj) };
  }

  create(g: GVR, ns: string | undefined, obj: KObject, _o?: WriteOptions, sub?: string, parent?: string): WriteResult {
    if (sub === 'binding') {
      const pod = this.get(g, ns, parent!);
      if (pod.spec.nodeName) throw new HttpError(409, 'Conflict', `pod ${parent} is already assigned to node "${pod.spec.nodeName}"`);
      pod.spec.nodeName = obj.target.name;
      pod.status = pod.status ?? {};
      pod.status.conditions = [...(pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date(this.clock.now()).toISOString() }];
      this.store(g, pod, 'MODIFIED');
      return { object: obj };
    }
    if (sub === 'eviction') {
      this.delete(g, ns, parent!, obj.deleteOptions ?? {});
      return { object: obj };
    }
    obj = clone(obj);
    obj.metadata = obj.metadata ?? {};
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + this.rand.string(5, 'bcdfghjklmnpqrstvwxz2456789');
    if (!clusterScoped.has(key(g))) obj.metadata.namespace = ns ?? obj.metadata.namespace ?? 'default';
    if (this.bucket(g).has(this.id(g, obj.metadata.namespace, obj.metadata.name!))) throw new HttpError(409, 'AlreadyExists', `${g.resource} "${obj.metadata.name}" already exists`);
    obj.metadata.uid = `uid-${++this.uidSeq}`;
    obj.metadata.creationTimestamp = new Date(this.clock.now()).toISOString();
    return this.store(g, obj, 'ADDED');
  }
  get(g: GVR, ns: string | undefined, name: string): KObject {
    const o = this.bucket(g).get(this.id(g, ns, name));
    if (!o) throw new HttpError(404, 'NotFound', `${g.resource} "${name}" not found`);
    return clone(o);
  }
  list(g: GVR, ns: string | undefined, _o?: ListOptions): ListResult {
    const items = [...this.bucket(g).values()].filter((o) => !ns || o.metadata.namespace === ns).map(clone);
    return { items, resourceVersion: String(this.rv) };
  }
  update(g: GVR, ns: string | undefined, obj: KObject, _o?: WriteOptions, sub?: string): WriteResult {
    const cur = this.get(g, ns ?? obj.metadata.namespace, obj.metadata.name!);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${g.resource} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const next = sub === 'status' ? { ...cur, status: clone(obj.status) } : { ...clone(obj), status: cur.status, metadata: { ...clone(obj.metadata), uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp, deletionTimestamp: cur.metadata.deletionTimestamp } };
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0 && g.resource !== 'pods') {
      this.bucket(g).delete(this.id(g, cur.metadata.namespace, cur.metadata.name!));
      this.emit(g, 'DELETED', next);
      return { object: next };
    }
    return this.store(g, next, 'MODIFIED');
  }
  patch(g: GVR, ns: string | undefined, name: string, _t: PatchType, patch: any, _o?: WriteOptions, sub?: string): WriteResult {
    const cur = this.get(g, ns, name);
    const merge = (a: any, b: any): any => {
      if (b === null || typeof b !== 'object' || Array.isArray(b) || a === null || typeof a !== 'object' || Array.isArray(a)) return b;
      const out = { ...a };
      for (const k of Object.keys(b)) { if (b[k] === null) delete out[k]; else out[k] = merge(a[k], b[k]); }
      return out;
    };
    const next = merge(cur, patch);
    next.metadata.resourceVersion = undefined;
    return this.update(g, ns, next, undefined, sub);
  }
  delete(g: GVR, ns: string | undefined, name: string, opts: DeleteOptions = {}): KObject {
    const cur = this.get(g, ns, name);
    const id = this.id(g, ns, name);
    if (g.resource === 'pods' && cur.spec?.nodeName && !(cur.status?.phase === 'Succeeded' || cur.status?.phase === 'Failed')) {
      const grace = opts.gracePeriodSeconds ?? cur.metadata.deletionGracePeriodSeconds ?? cur.spec.terminationGracePeriodSeconds ?? 30;
      if (grace > 0) {
        if (!cur.metadata.deletionTimestamp) {
          cur.metadata.deletionTimestamp = new Date(this.clock.now() + grace * 1000).toISOString();
          cur.metadata.deletionGracePeriodSeconds = grace;
          this.store(g, cur, 'MODIFIED');
        }
        return cur;
      }
    }
    if ((cur.metadata.finalizers ?? []).length) {
      cur.metadata.deletionTimestamp = cur.metadata.deletionTimestamp ?? new Date(this.clock.now()).toISOString();
      this.store(g, cur, 'MODIFIED');
      return cur;
    }
    this.bucket(g).delete(id);
    this.emit(g, 'DELETED', cur);
    return cur;
  }
  watch(g: GVR, ns: string | undefined, o: ListOptions, fn: (e: WatchEvent) => void): WatchHandle {
    const w: Watcher = { gvr: g, ns, fn, stopped: false };
    this.watchers.push(w);
    if (o.resourceVersion && o.resourceVersion !== '0') return { stop: () => { w.stopped = true; } };
    for (const o of this.list(g, ns).items) this.queue.push(() => { if (!w.stopped) fn({ type: 'ADDED', object: o }); });
    return { stop: () => { w.stopped = true; } };
  }
}

export interface RecordedEvent { component: string; host?: string; kind: string; name: string; namespace?: string; type: string; reason: string; message: string; time: number }

/** The loop: deliver queued watch events, fire due timers, repeat until quiet. */
export class Harness {
  clock = new FakeClock();
  rand = new SeededRand(42);
  api = new FakeApi(this.clock, this.rand);
  events: RecordedEvent[] = [];
  logs: string[] = [];
  counters: Record<string, number> = {};
  ctx: ComponentContext = {
    api: this.api, clock: this.clock, rand: this.rand,
    events: { event: (src, obj, type, reason, message) => { this.events.push({ component: src.component, host: src.host, kind: obj.kind, name: obj.metadata.name!, namespace: obj.metadata.namespace, type, reason, message, time: this.clock.now() }); } },
    log: (c, m) => { this.logs.push(`${c}: ${m}`); },
    count: (c, n, by = 1) => { this.counters[`${c}/${n}`] = (this.counters[`${c}/${n}`] ?? 0) + by; },
  };
  settle(): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const job = this.api.queue.shift();
      if (job) { job(); continue; }
      const t = this.clock.nextDue();
      if (t && t.at <= this.clock.now()) { this.clock.timers.delete(t.id); t.fn(); continue; }
      return;
    }
    throw new Error('settle did not converge');
  }
  advance(ms: number): void {
    const end = this.clock.now() + ms;
    this.settle();
    for (;;) {
      const t = this.clock.nextDue();
      if (!t || t.at > end) break;
      this.clock.set(Math.max(this.clock.now(), t.at));
      this.settle();
    }
    this.clock.set(end);
    this.settle();
  }
  eventsFor(name: string, reason?: string): RecordedEvent[] {
    return this.events.filter((e) => e.name === name && (!reason || e.reason === reason));
  }
}

export const PODS: GVR = { group: '', version: 'v1', resource: 'pods' };
export const NODES: GVR = { group: '', version: 'v1', resource: 'nodes' };
