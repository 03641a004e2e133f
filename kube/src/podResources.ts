/**
 * A pod's total requests and limits as exact quantities, the way upstream's
 * resource helpers add them up for quota and LimitRanger: the containers'
 * sum, sidecars (init containers with restartPolicy Always) added to it, and
 * the largest moment of initialization if that is more. Sums keep the
 * format of the first value added, so the totals print as upstream's do.
 */
import { addQty, cmpQty, parseQty, type Qty } from './qty';

export type QtyList = Map<string, Qty>;

type Obj = Record<string, any>;

/** A map of quantities (`{cpu: 500m}`) as exact values; what is no quantity is left out (validation reports it). */
export function qtyMap(m: unknown): QtyList {
  const out: QtyList = new Map();
  if (!m || typeof m !== 'object' || Array.isArray(m)) return out;
  const r = m as Obj;
  for (const k of Object.keys(r)) {
    const q = parseQty(r[k]);
    if (q) out.set(k, q);
  }
  return out;
}

/** The container's `resources.<side>` as quantities. */
export function containerList(c: Obj | undefined, side: 'requests' | 'limits'): QtyList {
  return qtyMap(c?.resources?.[side]);
}

/** addResourceList: a missing key takes the value, a present one adds it. */
export function addList(into: QtyList, add: QtyList): void {
  for (const [k, v] of add) {
    const have = into.get(k);
    into.set(k, have ? addQty(have, v) : v);
  }
}

/** maxResourceList: per key, the larger. */
function maxList(into: QtyList, other: QtyList): void {
  for (const [k, v] of other) {
    const have = into.get(k);
    if (!have || cmpQty(v, have) > 0) into.set(k, v);
  }
}

function aggregate(pod: Obj, side: 'requests' | 'limits'): QtyList {
  const spec = pod?.spec ?? {};
  const total: QtyList = new Map();
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) addList(total, containerList(c, side));
  const sidecars: QtyList = new Map();
  const initMax: QtyList = new Map();
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    const own = containerList(c, side);
    let use: QtyList;
    if (c?.restartPolicy === 'Always') {
      addList(total, own);
      addList(sidecars, own);
      use = sidecars;
    } else {
      use = new Map();
      addList(use, own);
      addList(use, sidecars);
    }
    maxList(initMax, use);
  }
  maxList(total, initMax);
  return total;
}

/**
 * PodRequests: with `overhead`, spec.overhead is added to every resource it
 * names (quota counts it; LimitRanger's own sum does not).
 */
export function podRequestList(pod: Obj, overhead = true): QtyList {
  const out = aggregate(pod, 'requests');
  if (overhead) addList(out, overheadOf(pod));
  return out;
}

/** PodLimits: overhead only adds to limits that are set and not zero. */
export function podLimitList(pod: Obj, overhead = true): QtyList {
  const out = aggregate(pod, 'limits');
  if (overhead) {
    for (const [k, v] of overheadOf(pod)) {
      const have = out.get(k);
      if (have && have.nanos !== 0n) out.set(k, addQty(have, v));
    }
  }
  return out;
}

const overheadOf = (pod: Obj): QtyList => qtyMap(pod?.spec?.overhead);
