/**
 * The resourcequota controller (pkg/controller/resourcequota): it copies a
 * quota's `spec.hard` into `status.hard` and counts `status.used` afresh from
 * what the namespace holds, when a quota is created or its limits change,
 * when something it counts goes away (a pod deleted or finished, a Service
 * that stops being a NodePort, any counted object deleted), and every five
 * minutes. Admission only ever adds to `used`; this is what gives it back.
 */
import type { Component, ComponentContext, KObject, TimerHandle } from '../../contract';
import type { ChangeRecord, Store } from '../../store/store';
import { WorkQueue } from '../../runtime/queue';
import { resourceInfo } from '../../apiserver/resources';
import { quotasOf } from '../../apiserver/resourcequota';
import {
  addQty, evaluatorKind, fromList, isQuotaIgnored, QUOTA_IGNORED, matchingResources, podCountsForCompute, quotaScopes, quotaMatchesScopes, toList, usageOf, ZERO,
} from '../../../../kube/src/quota';
import type { QtyList } from '../../../../kube/src/podResources';
import { deepEqual } from '../../runtime/objects';

export const RQ_NAME = 'resourcequota-controller';
const QUOTAS = '/resourcequotas';
const QUOTA_GVR = { group: '', version: 'v1', resource: 'resourcequotas' };
/** --resource-quota-sync-period. */
export const RESYNC_MS = 5 * 60_000;

/** The resources every quota is computed over besides the `count/…` ones its keys name. */
const BUILTIN: [string, string][] = [['', 'pods'], ['', 'services'], ['', 'persistentvolumeclaims'], ['', 'configmaps'], ['', 'secrets'], ['', 'replicationcontrollers'], ['', 'resourcequotas']];

/** The (group, resource) pairs whose evaluators compute some of `keys`. */
function evaluatorsFor(keys: string[]): [string, string][] {
  const out: [string, string][] = BUILTIN.filter(([g, r]) => matchingResources(g, r, keys).length);
  for (const k of keys) {
    if (!k.startsWith('count/')) continue;
    const rest = k.slice('count/'.length);
    const dot = rest.indexOf('.');
    const [resource, group] = dot < 0 ? [rest, ''] : [rest.slice(0, dot), rest.slice(dot + 1)];
    const info = resourceInfo(group, resource);
    if (!info || !info.namespaced || isQuotaIgnored(group, resource) || out.some(([g, r]) => g === group && r === resource)) continue;
    out.push([group, resource]);
  }
  return out;
}

/** The quota usage class of a Service: only moving between these changes what it costs. */
const serviceClass = (s: KObject | undefined) => (s?.spec?.type === 'NodePort' || s?.spec?.type === 'LoadBalancer' ? s.spec.type : '');

export class ResourceQuotaController implements Component {
  readonly name = RQ_NAME;
  private readonly queue: WorkQueue;
  private untap: (() => void) | undefined;
  private resync: TimerHandle | undefined;

  constructor(private readonly ctx: ComponentContext, private readonly store: Store) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { onError: (k, e) => ctx.log(RQ_NAME, `error syncing ${k}: ${(e as Error).message}`) });
  }

  start(): void {
    this.untap = this.store.tap((table, rec) => this.observe(table, rec), { except: QUOTA_IGNORED });
    this.enqueueAll();
    const tick = () => {
      this.enqueueAll();
      this.resync = this.ctx.clock.setTimer(RESYNC_MS, tick);
    };
    this.resync = this.ctx.clock.setTimer(RESYNC_MS, tick);
  }

  stop(): void {
    this.untap?.();
    if (this.resync !== undefined) this.ctx.clock.clearTimer(this.resync);
    this.queue.stop();
  }

  private enqueueAll(): void {
    for (const q of this.store.list(QUOTAS)) this.queue.add(`${q.metadata.namespace}/${q.metadata.name}`);
  }

  private observe(table: string, rec: ChangeRecord): void {
    const o = rec.object;
    const ns = o.metadata.namespace;
    if (!ns) return;
    if (table === QUOTAS) {
      // New quotas, and changed limits; a status write (ours, or admission's charge) is no reason to count again.
      if (rec.type === 'ADDED' || (rec.type === 'MODIFIED' && !deepEqual(rec.prev?.spec, o.spec))) this.queue.add(`${ns}/${o.metadata.name}`);
      if (rec.type !== 'DELETED') return;
    }
    if (!this.store.count(QUOTAS, ns)) return;
    const slash = table.indexOf('/');
    const group = table.slice(0, slash);
    const resource = table.slice(slash + 1);
    if (isQuotaIgnored(group, resource)) return;
    if (rec.type === 'MODIFIED') {
      const kind = evaluatorKind(group, resource);
      const prev = rec.prev;
      let replenish = false;
      if (kind === 'pods') replenish = !!prev && podCountsForCompute(prev, this.ctx.clock.now()) && !podCountsForCompute(o, this.ctx.clock.now());
      else if (kind === 'services') replenish = serviceClass(prev) !== serviceClass(o);
      else if (kind === 'persistentvolumeclaims') replenish = !deepEqual(prev?.status?.allocatedResources?.storage, o.status?.allocatedResources?.storage);
      if (!replenish) return;
    } else if (rec.type !== 'DELETED') return;
    for (const q of quotasOf(this.store, ns)) {
      if (matchingResources(group, resource, Object.keys(q.status?.hard ?? {})).length) this.queue.add(`${ns}/${q.metadata.name}`);
    }
  }

  private sync(key: string): void {
    const slash = key.indexOf('/');
    const ns = key.slice(0, slash);
    const q = this.store.get(QUOTAS, ns, key.slice(slash + 1));
    if (!q) return;
    const hard = toList(q.spec?.hard);
    const keys = [...hard.keys()];
    const used: Record<string, string> = {};
    const old = q.status?.used ?? {};
    for (const k of keys) if (old[k] !== undefined) used[k] = old[k];
    const scopes = quotaScopes(q);
    const now = this.ctx.clock.now();
    for (const [group, resource] of evaluatorsFor(keys)) {
      const matched = matchingResources(group, resource, keys);
      const sum: QtyList = new Map(matched.map((k) => [k, ZERO]));
      const pods = evaluatorKind(group, resource) === 'pods';
      // Scoped quotas count pods alone (other evaluators match no scope).
      if (!scopes.length || pods) {
        for (const o of this.store.list(`${group}/${resource}`, ns)) {
          if (scopes.length && !quotaMatchesScopes(scopes, o)) continue;
          const usage = usageOf(group, resource, o, now);
          for (const k of matched) {
            const v = usage.get(k);
            if (v) sum.set(k, addQty(sum.get(k)!, v));
          }
        }
      }
      Object.assign(used, fromList(sum));
    }
    const status = { hard: fromList(hard), used: Object.fromEntries(Object.keys(used).sort().map((k) => [k, used[k]])) };
    if (deepEqual(status, q.status)) return;
    this.ctx.api.update(QUOTA_GVR, ns, { ...q, status }, {}, 'status');
  }
}
