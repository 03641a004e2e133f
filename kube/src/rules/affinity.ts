/**
 * A pod's affinity as upstream's validateAffinity checks it (pkg/apis/core/validation):
 *   - node affinity: the required node selector has at least one term; each requirement's operator, its values
 *     for that operator (Gt and Lt take exactly one), its key as a label name and, in the required terms, its
 *     values as label values; a matchFields requirement names `metadata.name` with one node name; a preferred
 *     term's weight is 1-100;
 *   - pod affinity and anti-affinity terms: their label and namespace selectors (ValidateLabelSelector), the
 *     namespaces they list (DNS labels, reported at upstream's `namespace`), and a topologyKey that is a label
 *     name and not empty; a weighted term's weight is 1-100.
 * matchLabelKeys and mismatchLabelKeys are labelKeys.ts'. A PersistentVolume's node affinity uses the same
 * node selector check (validateVolumeNodeAffinity).
 */
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../names';
import { ACCEPTED_MISSING, apiFinding, isObject, type JsonObject } from './context';
import { labelSelectorFindings } from './labelSelector';
import type { FieldPath, Finding } from './types';

const WEIGHT_RANGE = 'must be in the range 1-100';

/** Go reads a missing (or null) string as "" and a missing list as empty. */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const absent = (v: unknown): boolean => v === undefined || v === null;
/** A list field holding something else: the schema walk's wrong type (the apiserver's decode error), nothing more to say. */
const notList = (v: unknown): boolean => !absent(v) && !Array.isArray(v);

/** The items of a list of structs: a null item (a bare `-` in YAML) is Go's zero struct, checked as `{}`. */
function eachStruct(v: unknown, fn: (item: JsonObject, index: number) => void): void {
  if (!Array.isArray(v)) return;
  v.forEach((item, i) => {
    if (item === null) fn({}, i);
    else if (isObject(item)) fn(item, i);
  });
}

/**
 * ValidateNodeSelectorRequirement. A missing operator is the schema walk's in the editor; the apiserver reads it
 * as "" and refuses it as upstream does.
 */
function nodeRequirement(code: string, rq: JsonObject, at: FieldPath, labelValues: boolean, apiserver: boolean, out: Finding[]): void {
  if (notList(rq.values)) return;
  const values = list(rq.values);
  switch (rq.operator) {
    case 'In': case 'NotIn':
      if (!values.length) out.push(apiFinding(code, [...at, 'values'], 'FieldValueRequired', undefined, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length) out.push(apiFinding(code, [...at, 'values'], 'FieldValueForbidden', undefined, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt': case 'Lt':
      if (values.length !== 1) out.push(apiFinding(code, [...at, 'values'], 'FieldValueRequired', undefined, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      if (typeof rq.operator === 'string' || (absent(rq.operator) && apiserver)) {
        out.push(apiFinding(code, [...at, 'operator'], 'FieldValueInvalid', str(rq.operator), 'not a valid selector operator'));
      }
  }
  if (typeof rq.key === 'string' || apiserver) for (const d of isQualifiedName(str(rq.key))) out.push(apiFinding(code, [...at, 'key'], 'FieldValueInvalid', str(rq.key), d));
  if (!labelValues) return;
  values.forEach((v, i) => {
    if (typeof v === 'string') for (const d of isValidLabelValue(v)) out.push(apiFinding(code, [...at, 'values', i], 'FieldValueInvalid', v, d));
  });
}

/** ValidateNodeFieldSelectorRequirement: `metadata.name` is the one field, In or NotIn one node name. */
function fieldRequirement(code: string, rq: JsonObject, at: FieldPath, apiserver: boolean, out: Finding[]): void {
  if (notList(rq.values)) return;
  const values = list(rq.values);
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (values.length !== 1) {
      out.push(apiFinding(code, [...at, 'values'], 'FieldValueRequired', undefined, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else if (typeof rq.operator === 'string' || (absent(rq.operator) && apiserver)) {
    out.push(apiFinding(code, [...at, 'operator'], 'FieldValueInvalid', str(rq.operator), 'not a valid selector operator'));
  }
  if (rq.key !== 'metadata.name') {
    if (typeof rq.key === 'string' || apiserver) out.push(apiFinding(code, [...at, 'key'], 'FieldValueInvalid', str(rq.key), 'not a valid field selector key'));
    return;
  }
  values.forEach((v, i) => {
    if (typeof v === 'string') for (const d of isDNS1123Subdomain(v)) out.push(apiFinding(code, [...at, 'values', i], 'FieldValueInvalid', v, d));
  });
}

/** ValidateNodeSelectorTerm. */
function nodeSelectorTerm(code: string, term: JsonObject, at: FieldPath, labelValues: boolean, apiserver: boolean, out: Finding[]): void {
  eachStruct(term.matchExpressions, (rq, j) => nodeRequirement(code, rq, [...at, 'matchExpressions', j], labelValues, apiserver, out));
  eachStruct(term.matchFields, (rq, j) => fieldRequirement(code, rq, [...at, 'matchFields', j], apiserver, out));
}

/**
 * ValidateNodeSelector for a required node selector (a pod's required node affinity, a PersistentVolume's
 * nodeAffinity.required): at least one term, each term's requirements, their values as label values.
 */
export function nodeSelectorFindings(code: string, sel: JsonObject, at: FieldPath, apiserver: boolean, out: Finding[]): void {
  if (notList(sel.nodeSelectorTerms)) return;
  const terms = list(sel.nodeSelectorTerms);
  if (!terms.length) {
    // A missing list is the schema walk's in the editor (with its quick fix); this replaces it with upstream's words.
    if (sel.nodeSelectorTerms !== undefined || apiserver) {
      out.push(apiFinding(code, [...at, 'nodeSelectorTerms'], 'FieldValueRequired', undefined, 'must have at least one node selector term'));
    }
    return;
  }
  eachStruct(terms, (t, i) => nodeSelectorTerm(code, t, [...at, 'nodeSelectorTerms', i], true, apiserver, out));
}

/** A weight outside 1-100 (a missing one is 0 to the apiserver; the editor's schema walk says it is missing). */
function weight(code: string, w: JsonObject, at: FieldPath, apiserver: boolean, out: Finding[]): void {
  const v = w.weight;
  if (typeof v === 'number' ? v <= 0 || v > 100 : absent(v) && apiserver) {
    out.push(apiFinding(code, [...at, 'weight'], 'FieldValueInvalid', typeof v === 'number' ? v : 0, WEIGHT_RANGE));
  }
}

/** validatePodAffinityTerm, but for its matchLabelKeys and mismatchLabelKeys (labelKeys.ts). */
function podAffinityTerm(code: string, term: JsonObject, at: FieldPath, apiserver: boolean, out: Finding[]): void {
  labelSelectorFindings(code, term.labelSelector, [...at, 'labelSelector'], out);
  labelSelectorFindings(code, term.namespaceSelector, [...at, 'namespaceSelector'], out);
  list(term.namespaces).forEach((v, i) => {
    // A null entry is Go's "" (refused: a name must not be empty).
    const ns = v === null ? '' : v;
    if (typeof ns !== 'string') return;
    for (const d of isDNS1123Label(ns)) {
      // Upstream reports every namespace at `namespace`, with no index.
      const f = apiFinding(code, [...at, 'namespaces', i], 'FieldValueInvalid', ns, d);
      f.apiError!.apiPath = [...at, 'namespace'];
      out.push(f);
    }
  });
  const key = term.topologyKey;
  if (typeof key === 'string' && key !== '') {
    for (const d of isQualifiedName(key)) out.push(apiFinding(code, [...at, 'topologyKey'], 'FieldValueInvalid', key, d));
  } else if (key === '' || absent(key)) {
    // A missing key is the schema walk's in the editor ("missing required field", which this replaces with upstream's
    // words); an empty one is refused three times, as upstream also runs the label-name check on "".
    out.push(apiFinding(code, [...at, 'topologyKey'], 'FieldValueRequired', undefined, 'can not be empty'));
    if (key === '' || apiserver) for (const d of isQualifiedName('')) out.push(apiFinding(code, [...at, 'topologyKey'], 'FieldValueInvalid', '', d));
  }
}

/** validateAffinity over a pod spec at `sp`. */
export function affinityFindings(spec: JsonObject, sp: FieldPath, apiserver: boolean, out: Finding[]): void {
  const aff = spec.affinity;
  if (!isObject(aff)) return;
  const at = [...sp, 'affinity'];
  const na = aff.nodeAffinity;
  if (isObject(na)) {
    const nap = [...at, 'nodeAffinity'];
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObject(req)) nodeSelectorFindings('invalid-node-affinity', req, [...nap, 'requiredDuringSchedulingIgnoredDuringExecution'], apiserver, out);
    eachStruct(na.preferredDuringSchedulingIgnoredDuringExecution, (p, i) => {
      const pp = [...nap, 'preferredDuringSchedulingIgnoredDuringExecution', i];
      weight('invalid-node-affinity', p, pp, apiserver, out);
      if (isObject(p.preference)) nodeSelectorTerm('invalid-node-affinity', p.preference, [...pp, 'preference'], false, apiserver, out);
      // A missing preference is Go's empty term, which passes (and selects no node).
      else if (absent(p.preference)) out.push({ code: ACCEPTED_MISSING, severity: 'hint', path: [...pp, 'preference'], message: '' });
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = aff[kind];
    if (!isObject(pa)) continue;
    const pap = [...at, kind];
    eachStruct(pa.requiredDuringSchedulingIgnoredDuringExecution, (t, i) => podAffinityTerm('invalid-affinity-term', t, [...pap, 'requiredDuringSchedulingIgnoredDuringExecution', i], apiserver, out));
    eachStruct(pa.preferredDuringSchedulingIgnoredDuringExecution, (w, i) => {
      const wp = [...pap, 'preferredDuringSchedulingIgnoredDuringExecution', i];
      weight('invalid-affinity-term', w, wp, apiserver, out);
      // A missing term is Go's empty one: the apiserver refuses its empty topologyKey (the editor says the term is missing).
      if (absent(w.podAffinityTerm) && apiserver) out.push({ code: ACCEPTED_MISSING, severity: 'hint', path: [...wp, 'podAffinityTerm'], message: '' });
      if (isObject(w.podAffinityTerm) || (absent(w.podAffinityTerm) && apiserver)) podAffinityTerm('invalid-affinity-term', isObject(w.podAffinityTerm) ? w.podAffinityTerm : {}, [...wp, 'podAffinityTerm'], apiserver, out);
    });
  }
}
