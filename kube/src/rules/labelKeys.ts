/**
 * matchLabelKeys and mismatchLabelKeys of pod affinity terms and topology
 * spread constraints (Kubernetes 1.34, MatchLabelKeysInPodAffinity and
 * MatchLabelKeysInPodTopologySpreadSelectorMerge on).
 *
 * Creating a Pod, the apiserver's PrepareForCreate appends `key In (value)`
 * (`NotIn` for mismatchLabelKeys) to the term's labelSelector, for each key
 * the pod carries as a label. Validation (ValidateMatchLabelKeysAndMismatchLabelKeys)
 * then sees the merged selector. A pod template is never merged, so a
 * template that names a key in both places passes while every pod made
 * from it is refused.
 */
import { isQualifiedName } from '../names';
import { apiFinding, eachObject, isObject, type JsonObject } from './context';
import type { FieldPath, Finding } from './types';

/** Where a pod spec keeps its terms: [term object, path of the term, whether it has mismatchLabelKeys]. */
export function labelKeyTerms(spec: JsonObject, sp: FieldPath): Array<[JsonObject, FieldPath, boolean]> {
  const out: Array<[JsonObject, FieldPath, boolean]> = [];
  const aff = isObject(spec.affinity) ? spec.affinity : undefined;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = aff && isObject(aff[kind]) ? (aff[kind] as JsonObject) : undefined;
    if (!a) continue;
    // mutatePodAffinity: the preferred terms first, then the required ones.
    eachObject(a.preferredDuringSchedulingIgnoredDuringExecution, (w, i) => {
      if (isObject(w.podAffinityTerm)) out.push([w.podAffinityTerm, [...sp, 'affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm'], true]);
    });
    eachObject(a.requiredDuringSchedulingIgnoredDuringExecution, (t, i) => out.push([t, [...sp, 'affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i], true]));
  }
  eachObject(spec.topologySpreadConstraints, (c, i) => out.push([c, [...sp, 'topologySpreadConstraints', i], false]));
  return out;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The requirements PrepareForCreate appends to a term's selector for a pod with these labels (applyLabelKeysToLabelSelector). */
export function mergedRequirements(term: JsonObject, labels: Record<string, unknown>, mismatch: boolean): JsonObject[] {
  const match = strings(term.matchLabelKeys);
  const mis = mismatch ? strings(term.mismatchLabelKeys) : [];
  if ((match.length === 0 && mis.length === 0) || !isObject(term.labelSelector)) return [];
  const out: JsonObject[] = [];
  for (const [keys, operator] of [[match, 'In'], [mis, 'NotIn']] as const) {
    for (const key of keys) if (Object.prototype.hasOwnProperty.call(labels, key) && typeof labels[key] === 'string') out.push({ key, operator, values: [labels[key] as string] });
  }
  return out;
}

/**
 * ValidateMatchLabelKeysAndMismatchLabelKeys over a term whose selector has `extra` requirements after its own
 * (the ones a pod's creation appends): the keys are label names, and need a selector; a matchExpressions entry whose
 * key is a matchLabelKey already named by the selector is refused at the term's path indexed by that key (upstream's
 * `fldPath.Index(i)`); a key in both lists is refused.
 */
export function labelKeyFindings(code: string, term: JsonObject, at: FieldPath, mismatch: boolean, extra: JsonObject[], out: Finding[]): void {
  const sel = isObject(term.labelSelector) ? term.labelSelector : undefined;
  const lists: Array<['matchLabelKeys' | 'mismatchLabelKeys', unknown]> = [['matchLabelKeys', term.matchLabelKeys]];
  if (mismatch) lists.push(['mismatchLabelKeys', term.mismatchLabelKeys]);
  for (const [field, list] of lists) {
    if (!Array.isArray(list) || list.length === 0) continue;
    if (!sel) {
      out.push(apiFinding(code, [...at, field], 'FieldValueForbidden', undefined, 'must not be specified when labelSelector is not set'));
      continue;
    }
    list.forEach((k, i) => {
      if (typeof k !== 'string') return;
      for (const d of isQualifiedName(k)) out.push(apiFinding(code, [...at, field, i], 'FieldValueInvalid', k, d));
    });
  }
  if (sel) {
    const index = new Map<string, number>();
    strings(term.matchLabelKeys).forEach((k, i) => index.set(k, i));
    const seen = new Set<string>(isObject(sel.matchLabels) ? Object.keys(sel.matchLabels) : []);
    const own = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.filter(isObject) : [];
    for (const e of [...own, ...extra]) {
      const key = typeof e.key === 'string' ? e.key : '';
      const i = index.get(key);
      if (i !== undefined && seen.has(key)) {
        const f = apiFinding(code, [...at, 'matchLabelKeys', i], 'FieldValueInvalid', key, 'exists in both matchLabelKeys and labelSelector');
        // Upstream indexes the term's own path: `spec.topologySpreadConstraints[0][0]`.
        f.apiError!.apiPath = [...at, i];
        out.push(f);
      }
      seen.add(key);
    }
  }
  if (mismatch) {
    const mis = new Set(strings(term.mismatchLabelKeys));
    strings(term.matchLabelKeys).forEach((k, i) => {
      if (mis.has(k)) out.push(apiFinding(code, [...at, 'matchLabelKeys', i], 'FieldValueInvalid', k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
    });
  }
}
