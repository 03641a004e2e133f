import type { Clock, TimerHandle } from '../contract';

export interface QueueOptions {
  /** Keys handled per turn of the loop before yielding to watch delivery and other components (default 1). */
  batch?: number;
  /** First retry delay of a failing key, doubled per failure (upstream: 5 ms). */
  baseDelayMs?: number;
  /** Retry delay cap (upstream: 1000 s). */
  maxDelayMs?: number;
  /** Called when `sync` throws; default rethrows nothing and retries with back-off. */
  onError?: (key: string, err: unknown) => void;
  /**
   * Batches adds over this much simulated time (keys are handled at the next
   * multiple of it), so a burst of pod updates costs one sync of their owner,
   * as a busy controller-manager's queue coalesces them. Default: what
   * `WorkQueue.setCoalesce` gave this queue's clock (0 = handle at once).
   */
  coalesceMs?: number;
}

/**
 * A controller's queue of keys, in the spirit of client-go's workqueue: a key
 * is held once however often it is added, `sync(key)` re-reads current state,
 * and a failing key comes back with exponential back-off on the simulated
 * clock. One key is handled per turn (by default), so watch events written by
 * that sync reach every informer before the next key runs.
 */
export class WorkQueue {
  /** Per-clock default for `coalesceMs`: one playground's setting never leaks into another's queues. */
  private static coalesceByClock = new WeakMap<Clock, number>();

  /** Sets the default `coalesceMs` of every queue on this clock (the playground does; bare control planes keep 0). */
  static setCoalesce(clock: Clock, ms: number): void {
    WorkQueue.coalesceByClock.set(clock, ms);
  }

  private keys = new Set<string>();
  private scheduled: TimerHandle | undefined;
  private failures = new Map<string, number>();
  private delayed = new Map<string, TimerHandle>();
  /** When each delayed key is due (addAfter keeps the sooner). */
  private delayedAt = new Map<string, number>();
  private stopped = false;
  private readonly batch: number;
  private readonly base: number;
  private readonly max: number;

  constructor(
    private readonly clock: Clock,
    private readonly sync: (key: string) => void,
    private readonly opts: QueueOptions = {},
  ) {
    this.batch = opts.batch ?? 1;
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 1_000_000;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.keys.add(key);
    if (this.scheduled === undefined) this.scheduled = this.clock.setTimer(this.delay(), () => this.drain());
  }

  private delay(): number {
    const q = this.opts.coalesceMs ?? WorkQueue.coalesceByClock.get(this.clock) ?? 0;
    if (!q) return 0;
    const now = this.clock.now();
    return Math.ceil(now / q) * q - now;
  }

  /**
   * Adds the key after `ms` of simulated time. A key already waiting keeps the
   * sooner of the two times, as client-go's delaying queue does.
   */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const waiting = this.delayed.get(key);
    if (waiting !== undefined) {
      if ((this.delayedAt.get(key) ?? -Infinity) <= at) return;
      this.clock.clearTimer(waiting);
    }
    const h = this.clock.setTimer(ms, () => {
      if (this.delayed.get(key) === h) { this.delayed.delete(key); this.delayedAt.delete(key); }
      this.add(key);
    });
    this.delayed.set(key, h);
    this.delayedAt.set(key, at);
  }

  /** Re-adds a key after a back-off that doubles with each consecutive failure. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min(this.max, this.base * Math.pow(2, n));
    const h = this.clock.setTimer(delay, () => {
      if (this.delayed.get(key) === h) { this.delayed.delete(key); this.delayedAt.delete(key); }
      this.add(key);
    });
    this.delayed.set(key, h);
    this.delayedAt.set(key, this.clock.now() + delay);
  }

  /** Clears the failure count of a key (after a successful sync). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.keys.size;
  }

  stop(): void {
    this.stopped = true;
    this.keys.clear();
    if (this.scheduled !== undefined) this.clock.clearTimer(this.scheduled);
    for (const h of this.delayed.values()) this.clock.clearTimer(h);
    this.delayed.clear();
    this.delayedAt.clear();
    this.scheduled = undefined;
  }

  private drain(): void {
    this.scheduled = undefined;
    for (let i = 0; i < this.batch && this.keys.size && !this.stopped; i++) {
      const key = this.keys.values().next().value as string;
      this.keys.delete(key);
      try {
        this.sync(key);
        // A sync that succeeds resets the key's back-off (the controllers' queue.Forget(key)).
        if (this.failures.size && this.failures.has(key)) this.failures.delete(key);
      } catch (err) {
        if (this.opts.onError) this.opts.onError(key, err);
        this.addRateLimited(key);
      }
    }
    if (this.keys.size && !this.stopped && this.scheduled === undefined) {
      this.scheduled = this.clock.setTimer(0, () => this.drain());
    }
  }
}
