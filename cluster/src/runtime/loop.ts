import type { SimClock } from './clock';

interface Dispatcher {
  dispatch(): boolean;
}

/**
 * The playground's single-threaded loop. `settle` alternates between
 * delivering queued watch events (so every informer sees a write before
 * anything else runs) and firing timers that are due now (queues, kubelet
 * stages). `advance` then walks simulated time from timer to timer.
 */
export class Loop {
  /** Safety valve: a component that rewrites forever must not hang the process. */
  maxStepsPerSettle = 20_000_000;
  private settling = false;
  onSettled: (() => void) | undefined;
  onRunaway: ((steps: number) => void) | undefined;

  constructor(
    private readonly clock: SimClock,
    private readonly store: Dispatcher,
  ) {}

  settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      let steps = 0;
      for (;;) {
        if (this.store.dispatch()) continue;
        if (this.clock.runDue()) {
          if (++steps > this.maxStepsPerSettle) {
            this.onRunaway?.(steps);
            break;
          }
          continue;
        }
        break;
      }
    } finally {
      this.settling = false;
    }
    this.onSettled?.();
  }

  advance(ms: number): void {
    const target = this.clock.now() + Math.max(0, ms);
    this.settle();
    for (;;) {
      const next = this.clock.nextAt();
      if (next === undefined || next > target) break;
      this.clock.setNow(next);
      this.settle();
    }
    this.clock.setNow(target);
    this.settle();
  }

  runUntil(done: () => boolean, maxMs: number): boolean {
    const end = this.clock.now() + Math.max(0, maxMs);
    this.settle();
    if (done()) return true;
    for (;;) {
      const next = this.clock.nextAt();
      if (next === undefined || next > end) break;
      this.clock.setNow(next);
      this.settle();
      if (done()) return true;
    }
    this.clock.setNow(end);
    this.settle();
    return done();
  }

  get busy(): boolean {
    return this.settling;
  }
}
