import type { Clock, TimerHandle } from '../contract';

interface Timer {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

/**
 * The timers due at one instant, in the order they were set (their seq order); those before `head` have been
 * taken. Timers are set in whole milliseconds and a run spans few of them, so most instants hold many timers.
 */
interface Slot {
  at: number;
  timers: (Timer | undefined)[];
  head: number;
}

/** A slot whose taken timers reach past this many is cut down to the rest (a burst at one instant keeps growing it). */
const SLOT_COMPACT = 1024;

/**
 * Simulated time. Timers due at the same instant fire in the order they were set, earlier instants first: that
 * ordering is what makes a run repeat exactly under the same seed. Each instant's timers are one list in set order
 * (a later timer has a later seq), and a binary heap orders the instants alone: a timer costs an append and a take,
 * not a walk through a heap of every pending timer (150,000 pods keep that many waiting).
 * Nothing fires by itself; the loop (runtime/loop.ts) pulls due timers.
 */
export class SimClock implements Clock {
  private t: number;
  private seq = 0;
  /** The slot of each instant that has one, and those instants as a min-heap. */
  private slots = new Map<number, Slot>();
  private times: number[] = [];
  /** The earliest instant's slot once looked up (undefined: look it up again). */
  private front: Slot | undefined;
  /** The slot `setTimer` appended to last: timers set one after another are mostly due at the same instant. */
  private lastSlot: Slot | undefined;
  private live = new Map<number, Timer>();
  /** Called when a timer becomes due without time moving (a zero delay), so a real-time driver can run it soon. */
  onWork: (() => void) | undefined;

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const id = ++this.seq;
    const d = Number.isFinite(delayMs) && delayMs > 0 ? Math.ceil(delayMs) : 0;
    const at = this.t + d;
    const timer: Timer = { at, seq: id, fn };
    let slot = this.lastSlot;
    if (slot === undefined || slot.at !== at) {
      slot = this.slots.get(at);
      if (slot === undefined) slot = this.addSlot(at);
      this.lastSlot = slot;
    }
    slot.timers.push(timer);
    this.live.set(id, timer);
    if (d === 0 && this.onWork) this.onWork();
    return id;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = this.live.get(handle);
    if (timer) {
      timer.fn = null;
      this.live.delete(handle);
    }
  }

  /** Due time of the earliest pending timer, if any. */
  nextAt(): number | undefined {
    return this.peek()?.at;
  }

  /** Runs the earliest timer if it is due now; answers whether one ran. */
  runDue(): boolean {
    const top = this.peek();
    if (!top || top.at > this.t) return false;
    const slot = this.front!;
    slot.timers[slot.head++] = undefined;
    this.live.delete(top.seq);
    const fn = top.fn!;
    top.fn = null;
    fn();
    return true;
  }

  /** Moves time forward (never back). */
  setNow(t: number): void {
    if (t > this.t) this.t = t;
  }

  pendingTimers(): number {
    return this.live.size;
  }

  /** Forgets every timer (reset). */
  clearAll(): void {
    this.slots.clear();
    this.times = [];
    this.front = this.lastSlot = undefined;
    this.live.clear();
  }

  private addSlot(at: number): Slot {
    const slot: Slot = { at, timers: [], head: 0 };
    this.slots.set(at, slot);
    // An instant earlier than the front's (a zero delay while the earliest timer is still to come) is the new front.
    if (this.front !== undefined && at < this.front.at) this.front = undefined;
    const h = this.times;
    h.push(at);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p] <= at) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = at;
    return slot;
  }

  /** The earliest timer not cancelled, in the front slot; slots left with none go, with their instants. */
  private peek(): Timer | undefined {
    for (;;) {
      let slot = this.front;
      if (slot === undefined) {
        if (!this.times.length) return undefined;
        slot = this.front = this.slots.get(this.times[0])!;
      }
      const list = slot.timers;
      while (slot.head < list.length) {
        const x = list[slot.head]!;
        if (x.fn !== null) {
          if (slot.head > SLOT_COMPACT && slot.head * 2 > list.length) {
            slot.timers = list.slice(slot.head);
            slot.head = 0;
          }
          return x;
        }
        list[slot.head++] = undefined;
      }
      this.slots.delete(slot.at);
      this.popTime();
      if (this.lastSlot === slot) this.lastSlot = undefined;
      this.front = undefined;
    }
  }

  private popTime(): void {
    const h = this.times;
    const last = h.pop()!;
    const n = h.length;
    if (!n) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && h[r] < h[l] ? r : l;
      if (h[m] >= last) break;
      h[i] = h[m];
      i = m;
    }
    h[i] = last;
  }
}
