/**
 * Deployment rolling-update bounds: maxSurge and maxUnavailable are ints or
 * percentages, maxUnavailable is at most 100%, and they may not both be zero
 * (the rollout could then never make progress). Omitted values default to 25%.
 */
import { regexError } from '../names';
import type { Json, Rule } from './context';
import { get, isObject } from './context';

/** Upstream IsValidPercent's message. */
export const PERCENT_FORMAT_ERROR = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');

/** intstr value for the zero test: a valid percent's number, an int, else 0 (like IntValue()). */
function intOrPercentValue(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (/^[0-9]+%$/.test(v)) return parseInt(v, 10);
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) || String(n) !== v ? 0 : n;
  }
  return 0;
}

export const rollingUpdateRule: Rule = {
  codes: ['surge-unavailable-zero', 'invalid-int-or-percent'],
  kinds: ['Deployment'],
  check(obj, _ctx, out) {
    const ru = get(obj, ['spec', 'strategy', 'rollingUpdate']);
    if (!isObject(ru)) return;
    const base = ['spec', 'strategy', 'rollingUpdate'];
    for (const f of ['maxUnavailable', 'maxSurge'] as const) {
      const v = ru[f];
      if (typeof v === 'string' && !/^[0-9]+%$/.test(v)) {
        out.push({ code: 'invalid-int-or-percent', severity: 'error', path: [...base, f], message: `Invalid value: ${JSON.stringify(v)}: ${PERCENT_FORMAT_ERROR}`,
          apiError: { type: 'FieldValueInvalid', value: v, detail: PERCENT_FORMAT_ERROR } });
      } else if (typeof v === 'number' && v < 0) {
        out.push({ code: 'invalid-int-or-percent', severity: 'error', path: [...base, f], message: `Invalid value: ${v}: must be greater than or equal to 0`,
          apiError: { type: 'FieldValueInvalid', value: v, detail: 'must be greater than or equal to 0' } });
      }
    }
    const mu = ru.maxUnavailable;
    if (typeof mu === 'string' && /^[0-9]+%$/.test(mu) && parseInt(mu, 10) > 100) {
      out.push({ code: 'invalid-int-or-percent', severity: 'error', path: [...base, 'maxUnavailable'], message: `Invalid value: ${JSON.stringify(mu)}: must not be greater than 100%`,
        apiError: { type: 'FieldValueInvalid', value: mu, detail: 'must not be greater than 100%' } });
    }
    // apps/v1 defaults an omitted bound to 25%, so only two explicit zeros are refused.
    if (mu === undefined || ru.maxSurge === undefined || mu === null || ru.maxSurge === null) return;
    if (intOrPercentValue(mu) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
      const detail = 'may not be 0 when `maxSurge` is 0';
      out.push({ code: 'surge-unavailable-zero', severity: 'error', path: [...base, 'maxUnavailable'],
        message: `Invalid value: ${JSON.stringify(mu)}: ${detail}. With both at 0 a rolling update can neither add nor remove a pod.`,
        apiError: { type: 'FieldValueInvalid', value: mu, detail } });
    }
  },
};
