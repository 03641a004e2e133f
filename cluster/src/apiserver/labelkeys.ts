/**
 * The pod strategy's PrepareForCreate merges matchLabelKeys and
 * mismatchLabelKeys into the selectors they refine (mutatePodAffinity,
 * mutateTopologySpreadConstraints): each key the pod carries becomes a
 * `key In (value)` requirement (`NotIn` for mismatchLabelKeys) at the end of
 * the term's matchExpressions, before validation. Only a Pod's creation
 * does this; templates and updates keep what they say.
 */
import type { KObject } from '../contract';
import { labelKeyTerms, mergedRequirements } from '../../../kube/src/rules/labelKeys';

export function mergeLabelKeys(pod: KObject): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return;
  const labels = pod.metadata?.labels && typeof pod.metadata.labels === 'object' ? pod.metadata.labels : {};
  for (const [term, , mismatch] of labelKeyTerms(spec, ['spec'])) {
    const add = mergedRequirements(term, labels, mismatch);
    if (!add.length) continue;
    const sel = term.labelSelector as { matchExpressions?: unknown };
    // A matchExpressions that is no list is validation's to refuse; nothing is added to it.
    if (sel.matchExpressions === undefined || sel.matchExpressions === null) sel.matchExpressions = add;
    else if (Array.isArray(sel.matchExpressions)) sel.matchExpressions.push(...add);
  }
}
