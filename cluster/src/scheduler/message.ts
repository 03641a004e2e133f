/**
 * The FailedScheduling message, built like upstream's FitError.Error():
 * "0/N nodes are available: <prefilter msg>. | <sorted histogram>." followed
 * by the PostFilter messages — the DynamicResources plugin's "no new claims to
 * deallocate" and DefaultPreemption's: by default the histogram of why no node
 * had victims; `postFilter` gives its refusal instead ("not eligible due to
 * ..."), or `null` when preemption succeeded, which ends the message after the
 * filters, as a successful PostFilter drops the other plugins' reasons.
 */
import type { Rejection } from './filters';

function histogram(counts: Map<string, number>): string {
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

export function fitErrorMessage(numAllNodes: number, rejections: Iterable<Rejection>, preFilterMsg?: string, postFilter?: string | null): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  const preemption = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
  if (preFilterMsg) {
    msg += ` ${preFilterMsg}.`;
    bump(preemption, 'Preemption is not helpful for scheduling', numAllNodes);
  } else {
    const reasons = new Map<string, number>();
    for (const r of rejections) {
      for (const x of r.reasons) bump(reasons, x);
      bump(preemption, r.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod');
    }
    if (reasons.size) msg += ` ${histogram(reasons)}.`;
  }
  if (postFilter === null) return msg;
  msg += ` no new claims to deallocate, preemption: ${postFilter ?? `0/${numAllNodes} nodes are available: ${histogram(preemption)}.`}`;
  return msg;
}

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';
