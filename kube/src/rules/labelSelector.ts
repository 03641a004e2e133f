/**
 * A metav1.LabelSelector as upstream's ValidateLabelSelector checks it:
 * matchLabels keys and values, each matchExpressions entry's operator and
 * values (in its order: the operator, then the key, then the values). Used
 * by the kinds whose validation calls it on a selector of their own.
 */
import { isQualifiedName, isValidLabelValue } from '../names';
import { apiFinding, isObject, type JsonObject } from './context';
import type { FieldPath, Finding } from './types';

/** ValidateLabels of a map at `mp` (matchLabels, a nodeSelector): keys and values, both reported at the map. */
export function labelMapFindings(code: string, map: JsonObject, mp: FieldPath, out: Finding[]): void {
  for (const k in map) {
    for (const detail of isQualifiedName(k)) {
      const f = apiFinding(code, [...mp, k], 'FieldValueInvalid', k, detail);
      f.target = 'key';
      f.apiError!.apiPath = mp;
      out.push(f);
    }
    const v = map[k];
    if (typeof v !== 'string') continue;
    for (const detail of isValidLabelValue(v)) {
      const f = apiFinding(code, [...mp, k], 'FieldValueInvalid', v, detail);
      f.apiError!.apiPath = mp;
      out.push(f);
    }
  }
}

export function labelSelectorFindings(code: string, sel: unknown, path: FieldPath, out: Finding[]): void {
  if (!isObject(sel)) return;
  const ml = sel.matchLabels;
  if (isObject(ml)) labelMapFindings(code, ml, [...path, 'matchLabels'], out);
  const me = sel.matchExpressions;
  if (!Array.isArray(me)) return;
  me.forEach((e, i) => {
    if (!isObject(e)) return;
    const ep = [...path, 'matchExpressions', i];
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': case 'NotIn':
        if (!values.length) {
          // Shown at the operator when there is no values key to point at.
          const f = apiFinding(code, e.values === undefined ? [...ep, 'operator'] : [...ep, 'values'], 'FieldValueRequired', undefined, "must be specified when `operator` is 'In' or 'NotIn'");
          f.apiError!.apiPath = [...ep, 'values'];
          if (e.values !== undefined) f.target = 'key';
          out.push(f);
        }
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length) out.push({ ...apiFinding(code, [...ep, 'values'], 'FieldValueForbidden', undefined, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"), target: 'key' });
        break;
      default:
        // A missing operator is the schema walk's (a required field).
        if (typeof e.operator === 'string') out.push(apiFinding(code, [...ep, 'operator'], 'FieldValueInvalid', e.operator, 'not a valid selector operator'));
    }
    if (typeof e.key === 'string') for (const detail of isQualifiedName(e.key)) out.push(apiFinding(code, [...ep, 'key'], 'FieldValueInvalid', e.key, detail));
    values.forEach((v, j) => {
      if (typeof v !== 'string') return;
      for (const detail of isValidLabelValue(v)) out.push(apiFinding(code, [...ep, 'values', j], 'FieldValueInvalid', v, detail));
    });
  });
}
