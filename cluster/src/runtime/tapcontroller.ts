import type { Component, ComponentContext } from '../contract';
import type { ChangeRecord, Store, TapScope } from '../store/store';
import { WorkQueue } from './queue';

/**
 * A controller fed by the store's all-resource tap rather than by informers: the few that watch several kinds of
 * cluster objects and keep no cache of their own (the CRD controllers, the ServiceCIDR and IPAddress ones, APIService
 * availability, ClusterRole aggregation). Each turns a change into keys in `observe`, names what to look at when it
 * starts in `seed`, and reconciles one key in `sync`.
 */
export abstract class TapController implements Component {
  abstract readonly name: string;
  /** The resources `observe` looks at (the store calls it for those alone). */
  protected abstract readonly scope: TapScope;
  protected readonly queue: WorkQueue;
  private untap?: () => void;

  /** `failure` is the log line for a key whose sync threw. */
  constructor(
    protected readonly ctx: ComponentContext,
    protected readonly store: Store,
    failure: (key: string, message: string) => string = (key, message) => `${key} failed with: ${message}`,
  ) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { onError: (k, e) => ctx.log(this.name, failure(k, (e as Error).message)) });
  }

  start(): void {
    this.untap = this.store.tap((table, rec) => this.observe(table, rec), this.scope);
    this.seed();
  }

  stop(): void {
    this.untap?.();
    this.queue.stop();
  }

  protected abstract observe(table: string, rec: ChangeRecord): void;
  protected abstract seed(): void;
  protected abstract sync(key: string): void;
}
