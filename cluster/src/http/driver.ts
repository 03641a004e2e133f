/**
 * Simulated time while serving: the playground's own real-time mode moves
 * its clock with wall time × speed and settles right after each write, so a
 * watcher hears of a change in the same turn of the event loop. For a bare
 * Api (tests), `settle` is called after each write instead.
 */
import type { Playground } from '../contract';

export class TimeDriver {
  constructor(private readonly pg: Playground | undefined, private initialSpeed: number | undefined, private readonly settle?: () => void) {}

  get speed(): number {
    return this.pg ? this.pg.stats().speed : this.initialSpeed ?? 1;
  }

  set speed(v: number) {
    if (this.pg) this.pg.setSpeed(v);
    else this.initialSpeed = v;
  }

  get paused(): boolean {
    return this.pg ? this.pg.stats().paused : false;
  }

  set paused(v: boolean) {
    if (!this.pg) return;
    if (v) this.pg.pause();
    else this.pg.resume();
  }

  /** Without a speed, a playground keeps the one it was made with. */
  start(): void {
    this.pg?.startRealtime(this.initialSpeed);
  }

  stop(): void {
    this.pg?.stopRealtime();
  }

  /** After a write: the playground kicks itself from its store; a bare Api is settled soon. */
  kick(): void {
    if (!this.pg && this.settle) setImmediate(this.settle);
  }
}
