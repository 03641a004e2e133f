/**
 * resource.Quantity with exact arithmetic, for the places where the printed
 * text of a sum must be upstream's to the character: ResourceQuota usage,
 * LimitRange messages and the `kubectl get quota` columns. Values are held as
 * a BigInt count of nano-units (Quantity's own finest scale; finer input is
 * rounded up, as upstream rounds) with the format the text was written in,
 * which decides how a result prints (`String()`'s canonical form).
 */

export type QtyFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Qty {
  /** The value in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QtyFormat;
}

const NANO = 1_000_000_000n;
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SUFFIX_OF_EXP: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_ORDER: [string, bigint][] = [['Ei', BINARY.Ei], ['Pi', BINARY.Pi], ['Ti', BINARY.Ti], ['Gi', BINARY.Gi], ['Mi', BINARY.Mi], ['Ki', BINARY.Ki]];

const RE = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export const ZERO: Qty = Object.freeze({ nanos: 0n, format: 'DecimalSI' as QtyFormat });

/** Division rounding away from zero, as Quantity rounds a value finer than its scale. */
function divUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : a < 0n ? q - 1n : q + 1n;
}

/** Parses a quantity's text (or a JSON number); undefined when it is not one. */
export function parseQty(v: unknown): Qty | undefined {
  // A number prints as the quantity it is; anything but a string or a finite number is no quantity.
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : typeof v === 'string' ? v : '';
  const m = RE.exec(s);
  if (!m) return undefined;
  const [, sign, num, suffix = ''] = m;
  const [whole, frac = ''] = num.split('.');
  // digits × 10^-frac.length, scaled to nanos.
  if (whole.length + frac.length > 60) return undefined;
  const digits = BigInt((whole || '0') + frac);
  let exp10 = -frac.length;
  let factor = 1n;
  let format: QtyFormat = 'DecimalSI';
  if (suffix in BINARY) {
    factor = BINARY[suffix];
    format = 'BinarySI';
  } else if (suffix in DECIMAL_EXP) exp10 += DECIMAL_EXP[suffix];
  else {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  }
  // nanos = digits × factor × 10^(exp10 + 9), rounded up when finer than a nano. Upstream keeps any magnitude
  // (inf.Dec); here beyond 10^±60 is left unmodelled, so that `1e300000` costs nothing instead of a huge BigInt.
  const e = exp10 + 9;
  if (digits.toString().length + e > 70 || e < -60) return undefined;
  let nanos: bigint;
  if (e >= 0) nanos = digits * factor * 10n ** BigInt(e);
  else nanos = divUp(digits * factor, 10n ** BigInt(-e));
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

export function qtyOf(nanos: bigint, format: QtyFormat = 'DecimalSI'): Qty {
  return { nanos, format };
}

/** Quantity.Add keeps the receiver's format; a receiver whose value is zero takes the other's. */
export function addQty(a: Qty, b: Qty): Qty {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function subQty(a: Qty, b: Qty): Qty {
  return { nanos: a.nanos - b.nanos, format: a.format };
}

export function cmpQty(a: Qty, b: Qty): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Quantity.Value(): whole units, rounded up. */
export function qtyValue(q: Qty): bigint {
  return divUp(q.nanos, NANO);
}

/** Quantity.MilliValue(): thousandths, rounded up. */
export function qtyMilli(q: Qty): bigint {
  return divUp(q.nanos, 1_000_000n);
}

/** The value as a float (ratios and messages that upstream prints with %f). */
export function qtyNumber(q: Qty): number {
  return Number(q.nanos) / 1e9;
}

/**
 * Quantity.String(): the canonical text. DecimalSI picks the largest suffix
 * that keeps the mantissa whole (`1500m`, `2k`, `1500`); BinarySI the largest
 * power of 1024 (`1536Mi`), falling back to DecimalSI below 1024 or for a
 * fraction; DecimalExponent writes the exponent (`1e3`).
 */
export function formatQty(q: Qty): string {
  const n = q.nanos;
  if (n === 0n) return '0';
  if (q.format === 'BinarySI' && (n >= 1024n * NANO || n <= -1024n * NANO) && n % NANO === 0n) {
    const whole = n / NANO;
    for (const [suffix, f] of BINARY_ORDER) if (whole % f === 0n) return `${whole / f}${suffix}`;
    return String(whole);
  }
  // Largest exponent (a multiple of 3, from -9; SI suffixes end at E = 18) whose mantissa is whole.
  const top = q.format === 'DecimalExponent' ? Infinity : 18;
  let exp = -9;
  let mant = n;
  while (exp < top && mant % 1000n === 0n) {
    mant /= 1000n;
    exp += 3;
  }
  if (q.format === 'DecimalExponent') return exp === 0 ? String(mant) : `${mant}e${exp}`;
  return `${mant}${SUFFIX_OF_EXP[exp]}`;
}

/** Shorthand: parse and print canonically (`"1.5Gi"` → `"1536Mi"`); the input itself when it is no quantity. */
export function canonicalQty(v: string | number): string {
  const q = parseQty(v);
  return q ? formatQty(q) : String(v);
}
