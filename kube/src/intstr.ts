/**
 * IntOrString arithmetic as upstream's intstr.GetScaledValueFromIntOrPercent:
 * `"25%"` of 10 is 3 when rounding up (maxSurge) and 2 when rounding down
 * (maxUnavailable).
 */
export function scaledValueFromIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) {
    const n = Number(v);
    if (/^-?\d+$/.test(v) && Number.isSafeInteger(n)) {
      throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
    }
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const pct = Number(v.slice(0, -1));
  if (!/^-?\d+$/.test(v.slice(0, -1))) throw new Error(`invalid value "${v}": strconv.Atoi: parsing "${v.slice(0, -1)}": invalid syntax`);
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** True for `25%`-style values. */
export function isPercent(v: unknown): v is string {
  return typeof v === 'string' && /^-?\d+%$/.test(v);
}
