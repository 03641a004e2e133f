import type { Clock, TimerHandle } from '../contract';

interface Timer {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

/**
 * Simulated time. Timers sit in a binary heap ordered by (due time, creation
 * order), so timers due at the same instant fire in the order they were set:
 * that ordering is what makes a run repeat exactly under the same seed.
 * Nothing fires by itself; the loop (runtime/loop.ts) pulls due timers.
 */
export class SimClock implements Clock {
  private t: number;
  private seq = 0;
  private heap: Timer[] = [];
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
    const timer: Timer = { at: this.t + d, seq: id, fn };
    this.push(timer);
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
    this.dropCancelled();
    return this.heap.length ? this.heap[0].at : undefined;
  }

  /** Runs the earliest timer if it is due now; answers whether one ran. */
  runDue(): boolean {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.at > this.t) return false;
    this.pop();
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
    this.heap = [];
    this.live.clear();
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].fn === null) this.pop();
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(x: Timer): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
