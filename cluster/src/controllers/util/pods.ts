import type { KObject } from '../../contract.js';
import { parseTime } from './time.js';

export function podCondition(pod: KObject, type: string): any | undefined {
  // A plain loop: every controller's pod handler asks this per watch event, and `find` would take a closure each time.
  const conds = pod.status?.conditions;
  if (conds) for (let i = 0; i < conds.length; i++) if (conds[i].type === type) return conds[i];
  return undefined;
}

export function isPodReady(pod: KObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** When the pod last became Ready (ms), if it is. */
export function podReadyTime(pod: KObject): number | undefined {
  const c = podCondition(pod, 'Ready');
  return c?.status === 'True' ? parseTime(c.lastTransitionTime) : undefined;
}

/**
 * Ready for at least minReadySeconds. Upstream compares strictly
 * (`readyTime + minReadySeconds` before now), so a pod is not yet available at
 * the exact boundary.
 */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 < now;
}

export function isPodTerminating(pod: KObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** Not finished and not being deleted: what controllers count as "theirs". */
export function isPodActive(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function maxContainerRestarts(pod: KObject): number {
  let max = 0;
  // controller_utils.go counts the regular containers here; sidecars only break ties (compareMaxContainerRestarts).
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** The most restarts of the pod's sidecars (init containers with restartPolicy Always). */
function maxSidecarRestarts(pod: KObject): number {
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').map((c: any) => c.name));
  let max = 0;
  for (const s of pod.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/**
 * compareMaxContainerRestarts: negative when `a` has restarted more (and goes
 * first), by its regular containers, then, on a tie, by its sidecars; 0 when equal.
 */
export function compareRestarts(a: KObject, b: KObject): number {
  const d = maxContainerRestarts(b) - maxContainerRestarts(a);
  return d !== 0 ? d : maxSidecarRestarts(b) - maxSidecarRestarts(a);
}

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  for (const k in selector) if (labels?.[k] !== selector[k]) return false;
  return true;
}

/**
 * Milliseconds until the next ready pod becomes available (ready for more
 * than minReadySeconds), or undefined if none is waiting. Timestamps have
 * whole seconds, so waiting exactly minReadySeconds can land on the boundary
 * where the pod is not yet available; this lands just after it.
 */
export function nextAvailableIn(pods: KObject[], minReadySeconds: number, now: number): number | undefined {
  if (!minReadySeconds) return undefined;
  let best: number | undefined;
  for (const p of pods) {
    const t = podReadyTime(p);
    if (t === undefined || isPodAvailable(p, minReadySeconds, now)) continue;
    const wait = Math.max(1, t + minReadySeconds * 1000 + 1 - now);
    if (best === undefined || wait < best) best = wait;
  }
  return best;
}

/**
 * CalculatePodConditionObservedGeneration with PodObservedGenerationTracking on (beta in 1.34): a condition a
 * controller sets names the generation of the pod it saw.
 */
export function observedGeneration(pod: KObject): { observedGeneration?: number } {
  const g = pod.metadata.generation;
  return typeof g === 'number' ? { observedGeneration: g } : {};
}
