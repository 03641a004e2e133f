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

  /**
   * Runs everything due now. With a wall-clock `deadline` (ms since epoch) it
   * stops when that passes and answers false, so a real-time driver keeps
   * the process responsive and resumes on its next turn.
   */
  settle(deadline?: number): boolean {
    if (this.settling) return true;
    this.settling = true;
    let done = true;
    try {
      let steps = 0;
      for (;;) {
        if (this.store.dispatch()) continue;
        if (this.clock.runDue()) {
          if (++steps > this.maxStepsPerSettle) {
            this.onRunaway?.(steps);
            break;
          }
          if (deadline !== undefined && (steps & 127) === 0 && Date.now() > deadline) {
            done = false;
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
    return done;
  }

  /** Time moves only from outside the loop: from inside (a component's callback), no timer could fire, for ever. */
  private notSettling(): void {
    if (this.settling) throw new Error('simulated time cannot move from inside the playground loop');
  }

    /** Moves time forward by `ms`, firing timers in order; with a deadline it may stop early (answers false, time left where work stopped). */
  advance(ms: number, deadline?: number): boolean {
    this.notSettling();
    const target = this.clock.now() + Math.max(0, Math.floor(ms));
    if (!this.settle(deadline)) return false;
    for (;;) {
      const next = this.clock.nextAt();
      if (next === undefined || next > target) break;
      this.clock.setNow(next);
      if (!this.settle(deadline)) return false;
    }
    this.clock.setNow(target);
    return this.settle(deadline);
  }

  runUntil(done: () => boolean, maxMs: number): boolean {
    this.notSettling();
    const end = this.clock.now() + Math.max(0, Math.floor(maxMs));
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
