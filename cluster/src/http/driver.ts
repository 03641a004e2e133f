/**
 * Moves the playground's simulated clock with wall time (times `speed`) and
 * runs its loop right after each write, so a watcher hears of a change in the
 * same turn of the event loop instead of at the next tick.
 */
import type { Playground } from '../contract';

const TICK_MS = 20;

export class TimeDriver {
  speed: number;
  paused = false;
  private timer?: NodeJS.Timeout;
  private last = 0;
  private carry = 0;
  private kicked = false;
  /** Failures inside the loop are reported, never thrown into a request. */
  onError: (err: unknown) => void = (err) => console.error('kubeplay: playground loop failed:', err);

  constructor(private readonly pg: Playground | undefined, speed = 1) {
    this.speed = speed;
  }

  start(): void {
    if (!this.pg || this.timer) return;
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = performance.now();
    const elapsed = now - this.last;
    this.last = now;
    if (this.paused || !this.pg) return;
    this.carry += elapsed * this.speed;
    const step = Math.floor(this.carry);
    if (step <= 0) return;
    this.carry -= step;
    try {
      this.pg.advance(step);
    } catch (err) {
      this.onError(err);
    }
  }

  /** Schedules one settle soon; many writes in one turn share it. */
  kick(): void {
    if (!this.pg || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      try {
        this.pg!.settle();
      } catch (err) {
        this.onError(err);
      }
    });
  }
}
