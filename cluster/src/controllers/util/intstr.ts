/**
 * intstr.GetScaledValueFromIntOrPercent: a plain number, or "N%" of total,
 * rounded up or down. Throws on other strings, as upstream returns an error.
 */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number | string): number {
  const x = v === undefined || v === null ? dflt : v;
  if (typeof x === 'number') return x;
  const m = /^(-?\d+)%$/.exec(x);
  if (!m) {
    if (/^-?\d+$/.test(x)) return Number(x);
    throw new Error(`invalid value for IntOrString: invalid value "${x}": must be an integer or percentage (e.g '5%')`);
  }
  const p = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(p) : Math.floor(p);
}
