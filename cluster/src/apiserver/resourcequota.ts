/**
 * The ResourceQuota admission plugin, the last validating step of a write:
 * what the new object costs (a pod's requests and limits, a Service's node
 * ports, a claim's storage, any object's count) is added to the `status.used`
 * of every quota of the namespace that limits it and whose scopes it falls
 * in; if one of them would go over `status.hard`, the write is refused with
 * upstream's message and no quota is charged. Charges are written before the
 * object is stored, as upstream's plugin does; only the resourcequota
 * controller ever lowers them. A quota the controller has not filled in yet
 * limits nothing.
 */
import type { Clock, KObject, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import type { AdmissionPlugin } from './api';
import { forbidden } from './status';
import { resourceForKind } from './resources';
import { addQty, cmpQty, fromList, isQuotaIgnored, evaluatorKind, matchingResources, podConstraintError, prettyPrint, quotaMatches, subQty, toList, usageOf } from '../../../kube/src/quota';
import type { QtyList } from '../../../kube/src/podResources';

const QUOTAS = '/resourcequotas';

/**
 * A namespace's objects of one resource by name: the policies an admission plugin applies in turn (upstream's
 * lister order is a map's; a fixed one keeps the reported quota or LimitRange the same every run).
 */
export function byNameIn(store: Store, id: string, ns: string | undefined): KObject[] {
  if (!ns || !store.count(id, ns)) return [];
  return [...store.list(id, ns)].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
}

export const quotasOf = (store: Store, ns: string): KObject[] => byNameIn(store, QUOTAS, ns);

function mask(list: QtyList, keys: Iterable<string>): QtyList {
  const out: QtyList = new Map();
  for (const k of keys) {
    const v = list.get(k);
    if (v) out.set(k, v);
  }
  return out;
}

export function resourceQuotaAdmission(store: Store, clock: Clock): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    validate(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, opts: WriteOptions, subresource?: string): void {
      const ns = obj.metadata.namespace;
      if (subresource || !ns || !store.count(QUOTAS, ns)) return;
      const info = resourceForKind(obj.apiVersion, obj.kind);
      if (!info || !info.namespaced || isQuotaIgnored(info.group, info.resource)) return;
      const kind = evaluatorKind(info.group, info.resource);
      // Pods and plain counts are charged on create only; Services and claims on updates too (a new NodePort, a bigger claim).
      if (op === 'UPDATE' && kind !== 'services' && kind !== 'persistentvolumeclaims') return;
      const now = clock.now();
      const quotas = quotasOf(store, ns);
      const matching: KObject[] = [];
      for (const q of quotas) {
        if (!quotaMatches(q, info.group, info.resource, obj)) continue;
        const restricted = matchingResources(info.group, info.resource, Object.keys(q.status.hard)).sort();
        if (kind === 'pods') {
          const err = podConstraintError(restricted, obj);
          if (err) throw forbidden(info, obj.metadata.name ?? '', `failed quota: ${q.metadata.name}: ${err}`);
        }
        const used = q.status.used ?? {};
        if (restricted.some((r) => used[r] === undefined)) {
          throw forbidden(info, obj.metadata.name ?? '', `status unknown for quota: ${q.metadata.name}, resources: ${restricted.join(',')}`);
        }
        matching.push(q);
      }
      if (!matching.length) return;
      const usage = usageOf(info.group, info.resource, obj, now);
      const negative = [...usage].filter(([, v]) => v.nanos < 0n).map(([k]) => k).sort();
      if (negative.length) throw forbidden(info, obj.metadata.name ?? '', `quota usage is negative for resource(s): ${negative.join(',')}`);
      const oldUsage = op === 'UPDATE' && old ? usageOf(info.group, info.resource, old, now) : undefined;
      const charges: [KObject, QtyList][] = [];
      for (const q of matching) {
        // An update is charged only what grew, and only to the quotas the old object already counted in.
        let delta: QtyList = usage;
        if (oldUsage && quotaMatches(q, info.group, info.resource, old!)) {
          delta = new Map();
          for (const [k, v] of usage) {
            const before = oldUsage.get(k);
            const d = before ? subQty(v, before) : v;
            if (d.nanos > 0n) delta.set(k, d);
          }
        }
        const hard = toList(q.status.hard);
        const requested: QtyList = new Map();
        for (const [k, v] of mask(delta, hard.keys())) if (v.nanos !== 0n) requested.set(k, v);
        if (!requested.size) continue;
        const used = toList(q.status.used);
        const next = new Map(used);
        const exceeded: string[] = [];
        for (const [k, v] of requested) {
          const sum = used.has(k) ? addQty(used.get(k)!, v) : v;
          next.set(k, sum);
          if (cmpQty(sum, hard.get(k)!) > 0) exceeded.push(k);
        }
        if (exceeded.length) {
          throw forbidden(info, obj.metadata.name ?? '',
            `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`);
        }
        charges.push([q, next]);
      }
      if (opts.dryRun) return;
      // Upstream's plugin writes the charge with UpdateStatus (retrying conflicts); here the store is written
      // directly: admission runs synchronously, so the quota read above is the stored one.
      for (const [q, next] of charges) {
        store.put(QUOTAS, { ...q, metadata: { ...q.metadata }, status: { ...q.status, used: fromList(next) } });
      }
    },
  };
}
