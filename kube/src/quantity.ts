/**
 * resource.Quantity: parse, check and print. Values are held as JS numbers in
 * base units (cores, bytes, count); that loses nothing at the magnitudes a
 * manifest or a simulated node uses.
 */

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// Upstream grammar: <signedNumber><suffix>, suffix = binarySI | decimalSI | decimalExponent.
const re = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export const quantityErrorMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export function isQuantity(s: unknown): boolean {
  if (typeof s === 'number') return Number.isFinite(s);
  return typeof s === 'string' && re.test(s.trim()) && s.trim() === s;
}

/** "500m" → 0.5, "128Mi" → 134217728, 2 → 2. Throws on anything else. */
export function parseQuantity(s: string | number): number {
  if (typeof s === 'number') {
    if (!Number.isFinite(s)) throw new Error(quantityErrorMessage);
    return s;
  }
  const m = re.exec(s);
  if (!m) throw new Error(quantityErrorMessage);
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in binary) return n * binary[suffix];
  if (suffix in decimal) return n * decimal[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

/** Thousandths of the value, rounded up as upstream's MilliValue does. */
export function quantityMilli(s: string | number): number {
  return Math.ceil(Math.round(parseQuantity(s) * 1e6) / 1e3);
}

/**
 * Prints a number the way a user writes it: CPU as cores or millicores
 * (`0.5` → `500m`), memory in the largest exact binary unit (`134217728` → `128Mi`).
 */
export function formatQuantity(n: number, kind: 'cpu' | 'memory' | 'plain' = 'plain'): string {
  if (kind === 'cpu') {
    const milli = Math.round(n * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (kind === 'memory') {
    for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const f = binary[unit];
      if (n >= f && n % f === 0) return `${n / f}${unit}`;
    }
    return String(n);
  }
  return String(n);
}

/** "500m" = 0.5 CPU; "128Mi" = 134,217,728 bytes: for hovers. */
export function describeQuantity(s: string | number, resource?: string, zh = false): string | undefined {
  let n: number;
  try {
    n = parseQuantity(s);
  } catch {
    return undefined;
  }
  const num = n.toLocaleString('en-US', { maximumFractionDigits: 9 });
  if (resource === 'cpu') return zh ? `${s} = ${num} 个 CPU` : `${s} = ${num} CPU${n === 1 ? '' : 's'}`;
  if (resource === 'memory' || resource === 'storage' || resource === 'ephemeral-storage' || /^hugepages-/.test(resource ?? ''))
    return zh ? `${s} = ${num} 字节` : `${s} = ${num} bytes`;
  return `${s} = ${num}`;
}
