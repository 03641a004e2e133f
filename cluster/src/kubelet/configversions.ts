/**
 * What ConfigMaps and Secrets were a short while ago. The kubelet rewrites a pod's ConfigMap and Secret volumes at
 * its periodic sync (--sync-frequency, 1m), from the objects as they were then: a change made since shows at the
 * next sync, never at once. The playground writes those volumes lazily, when something reads them, so it needs the
 * objects as of the last sync boundary: each change is kept with what it replaced, for a few sync periods.
 */
import type { Component, KObject } from '../contract';
import type { Store } from '../store/store';

const KEEP_MS = 5 * 60_000;
export type ConfigTable = '/configmaps' | '/secrets';

interface Change {
  at: number;
  /** The object before the change; undefined when the change made it. */
  prev: KObject | undefined;
}

export class ConfigVersions implements Component {
  readonly name = 'config-versions';
  private readonly changes = new Map<string, Change[]>();
  private off: (() => void) | undefined;
  private swept = 0;

  constructor(private readonly store: Store, private readonly now: () => number) {}

  start(): void {
    if (this.off) return;
    // At the write itself (a read in the same instant, before the watchers hear of it, already sees the change).
    const hook = (table: string, prev: KObject | undefined, next: KObject | undefined) => {
      if (table === '/configmaps' || table === '/secrets') this.record(table, prev, (next ?? prev)!);
    };
    this.store.commitHooks.push(hook);
    this.off = () => {
      const i = this.store.commitHooks.indexOf(hook);
      if (i >= 0) this.store.commitHooks.splice(i, 1);
    };
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
    this.changes.clear();
  }

  private record(table: string, prev: KObject | undefined, obj: KObject): void {
    const m = obj.metadata;
    const key = `${table}\u0000${m.namespace}\u0000${m.name}`;
    const now = this.now();
    // Objects not written again (deleted ones) are forgotten once their changes are older than anyone asks about.
    if (now - this.swept >= KEEP_MS) {
      this.swept = now;
      for (const [k, list] of this.changes) if (list[list.length - 1].at < now - KEEP_MS) this.changes.delete(k);
    }
    const list = (this.changes.get(key) ?? []).filter((c) => c.at >= now - KEEP_MS);
    list.push({ at: now, prev });
    this.changes.set(key, list);
  }

  /**
   * The object as it was at `at`: the state the first change after `at` replaced, or `current` when nothing has
   * changed since (`null`: no object then).
   */
  asOf(table: ConfigTable, ns: string, name: string, at: number, current: KObject | undefined): KObject | undefined {
    const list = this.changes.get(`${table}\u0000${ns}\u0000${name}`);
    const first = list?.find((c) => c.at > at);
    return first ? first.prev : current;
  }

}
