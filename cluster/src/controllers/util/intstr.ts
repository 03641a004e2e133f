import { scaledValueFromIntOrPercent } from '../../../../kube/src/intstr.js';

/** intstr.GetScaledValueFromIntOrPercent with the API default applied when the field is unset. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number | string): number {
  return scaledValueFromIntOrPercent(v === undefined || v === null ? dflt : v, total, roundUp);
}
