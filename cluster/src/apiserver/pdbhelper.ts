/**
 * pkg/apis/policy/helper for the DisruptionAllowed condition, shared by the
 * eviction subresource and the disruption controller.
 */

/**
 * The budget's conditions with DisruptionAllowed set as apimeta.SetStatusCondition
 * sets it: replaced in place (or appended), its transition time kept while
 * the status does not change.
 */
export function withDisruptionAllowed(conditions: any[] | undefined, observedGeneration: unknown, status: string, reason: string, message: string, now: string): any[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex((c) => c?.type === 'DisruptionAllowed');
  const prev = i >= 0 ? out[i] : undefined;
  const cond = { type: 'DisruptionAllowed', status, observedGeneration, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now, reason, message };
  if (i >= 0) out[i] = cond;
  else out.push(cond);
  return out;
}
