/**
 * A workload's selector must select its own pod template, else the controller
 * would create pods it never counts. Reported where upstream reports it:
 * spec.template.metadata.labels, FieldValueInvalid, the labels map, and
 * "`selector` does not match template `labels`".
 */
import { labelSelectorMatches } from '../labels';
import type { Json, JsonObject, Rule } from './context';
import { get, isObject } from './context';
import type { Finding } from './types';

export const SELECTOR_MISMATCH_DETAIL = '`selector` does not match template `labels`';

/** Upstream's wording differs per kind (ReplicaSet reuses the Deployment text). */
const EMPTY_SELECTOR: Record<string, string> = {
  Deployment: 'empty selector is invalid for deployment',
  ReplicaSet: 'empty selector is invalid for deployment',
  DaemonSet: 'empty selector is invalid for daemonset',
  StatefulSet: 'empty selector is invalid for statefulset',
};

function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const k in v) out[k] = String(v[k]);
  return out;
}

function mismatch(obj: JsonObject, selector: unknown, out: Finding[]): void {
  const labels = stringMap(get(obj, ['spec', 'template', 'metadata', 'labels']) as Json | undefined);
  out.push({
    code: 'selector-mismatch', severity: 'error', path: ['spec', 'template', 'metadata', 'labels'], target: 'key',
    message: `Invalid value: ${SELECTOR_MISMATCH_DETAIL}. The selector must match the pod template's labels, or the controller cannot find its own pods.`,
    apiError: { type: 'FieldValueInvalid', value: labels, detail: SELECTOR_MISMATCH_DETAIL },
    data: { selector, labels },
  });
}

export const selectorRule: Rule = {
  codes: ['selector-mismatch', 'empty-selector'],
  kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController'],
  check(obj, ctx, out) {
    const sel = get(obj, ['spec', 'selector']);
    if (ctx.kind === 'ReplicationController') {
      // A map selector; empty means "default to the template labels" (SetDefaults_ReplicationController), and with
      // none of those either, ValidateReplicationControllerSpec finds the selector empty.
      if (!isObject(sel) || Object.keys(sel).length === 0) {
        const tl = get(obj, ['spec', 'template', 'metadata', 'labels']);
        if (!isObject(tl) || Object.keys(tl).length === 0) {
          out.push({ code: 'empty-selector', severity: 'error', path: isObject(sel) ? ['spec', 'selector'] : ['spec'], target: 'key',
            message: 'Required value: a ReplicationController selects its pods by spec.selector, or by its template\'s labels when that is empty; it has neither',
            apiError: { type: 'FieldValueRequired', detail: '', apiPath: ['spec', 'selector'] } });
        }
        return;
      }
      const labels = stringMap(get(obj, ['spec', 'template', 'metadata', 'labels']) as Json | undefined);
      if (!Object.keys(sel).every((k) => labels[k] === String(sel[k]))) mismatch(obj, sel, out);
      return;
    }
    if (!isObject(sel)) return; // missing: the schema walk reports the required field
    const ml = sel.matchLabels;
    const me = sel.matchExpressions;
    // A part of the wrong type (`matchLabels` as a list) fails the decode: the schema reports that alone.
    if ((ml !== undefined && ml !== null && !isObject(ml)) || (me !== undefined && me !== null && !Array.isArray(me))) return;
    const empty = (!isObject(ml) || Object.keys(ml).length === 0) && (!Array.isArray(me) || me.length === 0);
    if (empty) {
      const detail = EMPTY_SELECTOR[ctx.kind];
      out.push({ code: 'empty-selector', severity: 'error', path: ['spec', 'selector'], target: 'key', message: `Invalid value: ${detail}`,
        apiError: { type: 'FieldValueInvalid', value: sel, detail } });
      return;
    }
    const labels = stringMap(get(obj, ['spec', 'template', 'metadata', 'labels']) as Json | undefined);
    let matches: boolean;
    try {
      matches = labelSelectorMatches(sel as never, labels);
    } catch {
      return; // a malformed selector is reported by the schema walk / selector syntax
    }
    if (!matches) mismatch(obj, sel, out);
  },
};
