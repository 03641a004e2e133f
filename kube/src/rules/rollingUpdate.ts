/**
 * Deployment rolling-update bounds: maxSurge and maxUnavailable are ints or
 * percentages, maxUnavailable is at most 100%, and they may not both be zero
 * (the rollout could then never make progress). Omitted values default to 25%.
 */
import { regexError } from '../names';
import type { Json, JsonObject, Rule } from './context';
import type { Finding } from './types';
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

/** ValidatePositiveIntOrPercent of maxUnavailable and maxSurge: a percent string or a non-negative int. */
function positiveIntOrPercent(ru: JsonObject, base: string[], out: Finding[]): void {
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
}

/** IsNotMoreThan100Percent of one bound. */
function notOver100(ru: JsonObject, base: string[], f: 'maxUnavailable' | 'maxSurge', out: Finding[]): void {
  const v = ru[f];
  if (typeof v === 'string' && /^[0-9]+%$/.test(v) && parseInt(v, 10) > 100) {
    out.push({ code: 'invalid-int-or-percent', severity: 'error', path: [...base, f], message: `Invalid value: ${JSON.stringify(v)}: must not be greater than 100%`,
      apiError: { type: 'FieldValueInvalid', value: v, detail: 'must not be greater than 100%' } });
  }
}

export const rollingUpdateRule: Rule = {
  codes: ['surge-unavailable-zero', 'invalid-int-or-percent', 'strategy-rolling-update'],
  kinds: ['Deployment'],
  check(obj, _ctx, out) {
    const ru = get(obj, ['spec', 'strategy', 'rollingUpdate']);
    if (!isObject(ru)) return;
    const base = ['spec', 'strategy', 'rollingUpdate'];
    // ValidateDeploymentStrategy: a Recreate Deployment has no rolling update to tune.
    if (get(obj, ['spec', 'strategy', 'type']) === 'Recreate') {
      const detail = "may not be specified when strategy `type` is 'Recreate'";
      out.push({ code: 'strategy-rolling-update', severity: 'error', path: base, target: 'key', message: `Forbidden: ${detail}: remove it, or use type RollingUpdate`,
        apiError: { type: 'FieldValueForbidden', detail } });
      return;
    }
    positiveIntOrPercent(ru, base, out);
    notOver100(ru, base, 'maxUnavailable', out);
    const mu = ru.maxUnavailable;
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

/**
 * ValidateRollingUpdateDaemonSet: the same int-or-percent checks (both bounds at most 100%), and exactly one
 * of maxUnavailable and maxSurge non-zero. apps/v1 defaults maxUnavailable to 1 and maxSurge to 0, so a
 * maxSurge alone is refused as well: a surging DaemonSet needs `maxUnavailable: 0`.
 */
export const daemonSetRollingUpdateRule: Rule = {
  codes: ['daemonset-surge-unavailable', 'invalid-int-or-percent'],
  kinds: ['DaemonSet'],
  check(obj, _ctx, out) {
    const ru = get(obj, ['spec', 'updateStrategy', 'rollingUpdate']);
    const type = get(obj, ['spec', 'updateStrategy', 'type']);
    if (!isObject(ru) || (type !== undefined && type !== 'RollingUpdate')) return;
    const base = ['spec', 'updateStrategy', 'rollingUpdate'];
    positiveIntOrPercent(ru, base, out);
    notOver100(ru, base, 'maxUnavailable', out);
    notOver100(ru, base, 'maxSurge', out);
    const unavailable = intOrPercentValue(ru.maxUnavailable ?? 1) !== 0;
    const surge = intOrPercentValue(ru.maxSurge ?? 0) !== 0;
    if (unavailable && surge) {
      const detail = 'may not be set when maxUnavailable is non-zero';
      out.push({ code: 'daemonset-surge-unavailable', severity: 'error', path: [...base, 'maxSurge'],
        message: `Invalid value: ${JSON.stringify(ru.maxSurge)}: ${detail}${ru.maxUnavailable === undefined ? ' (it defaults to 1): set `maxUnavailable: 0` to surge' : ''}`,
        apiError: { type: 'FieldValueInvalid', value: ru.maxSurge, detail } });
    } else if (!unavailable && !surge) {
      out.push({ code: 'daemonset-surge-unavailable', severity: 'error', path: [...base, 'maxUnavailable'],
        message: 'Required value: cannot be 0 when maxSurge is 0: a rolling update could then replace no pod',
        apiError: { type: 'FieldValueRequired', detail: 'cannot be 0 when maxSurge is 0' } });
    }
  },
};

/** ValidateStatefulSetUpdateStrategy: `rollingUpdate` belongs to the RollingUpdate type only. */
export const statefulSetStrategyRule: Rule = {
  codes: ['strategy-rolling-update', 'claim-retention-policy'],
  kinds: ['StatefulSet'],
  check(obj, _ctx, out) {
    // ValidatePersistentVolumeClaimRetentionPolicyType: each of the two policies is Retain or Delete.
    const policy = get(obj, ['spec', 'persistentVolumeClaimRetentionPolicy']);
    if (isObject(policy)) {
      for (const k of ['whenDeleted', 'whenScaled']) {
        const v = policy[k];
        if (typeof v !== 'string' || v === 'Retain' || v === 'Delete') continue;
        out.push({ code: 'claim-retention-policy', severity: 'error', path: ['spec', 'persistentVolumeClaimRetentionPolicy', k],
          message: `Unsupported value: ${JSON.stringify(v)}: supported values: "Retain", "Delete"`,
          apiError: { type: 'FieldValueNotSupported', value: v, supported: ['Retain', 'Delete'] }, data: { supported: ['Retain', 'Delete'] } });
      }
    }
    const ru = get(obj, ['spec', 'updateStrategy', 'rollingUpdate']);
    if (get(obj, ['spec', 'updateStrategy', 'type']) !== 'OnDelete' || !isObject(ru)) return;
    const detail = "only allowed for updateStrategy 'RollingUpdate'";
    const partition = typeof ru.partition === 'number' ? ru.partition : 0;
    out.push({ code: 'strategy-rolling-update', severity: 'error', path: ['spec', 'updateStrategy', 'rollingUpdate'], target: 'key',
      message: `Invalid value: ${detail}: an OnDelete StatefulSet replaces a pod only when you delete it`,
      apiError: { type: 'FieldValueInvalid', value: ru, detail, valueText: `apps.RollingUpdateStatefulSetStrategy{Partition:${partition}, MaxUnavailable:(*intstr.IntOrString)(nil)}` } });
  },
};
