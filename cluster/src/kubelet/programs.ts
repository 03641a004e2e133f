/**
 * What a few well-known one-liners of the Kubernetes documentation print,
 * so that `kubectl logs` shows what the page shows. The Jobs page's `pi`
 * Job runs `perl -Mbignum=bpi -wle 'print bpi(2000)'`: Math::BigFloat's
 * bpi(N), pi to N significant digits, rounded as its default mode rounds
 * (to even). Computed here with Machin's formula in integers.
 */

/** The lines a container's command prints, when it is one of these; undefined otherwise. */
export function programOutput(container: any): string[] | undefined {
  const argv: string[] = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
  if (!argv.length || !/(^|\/)perl$/.test(argv[0])) return undefined;
  const text = argv.slice(1).join(' ');
  const m = /-Mbignum=bpi\b.*\bprint\s+bpi\(\s*(\d{1,5})\s*\)/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= 20_000 ? [piDigits(n)] : undefined;
}

const cache = new Map<number, string>();

/** Pi to `n` significant digits, as text: "3" then, for n > 1, a point and n-1 decimals. */
export function piDigits(n: number): string {
  let s = cache.get(n);
  if (s !== undefined) return s;
  // Enough guard digits that the rounding digit is right; pi's expansion has no long runs of 9s before 20,000.
  const guard = 10;
  const scale = 10n ** BigInt(n - 1 + guard);
  const arctanInv = (x: bigint): bigint => {
    let term = scale / x, sum = term, k = 1n, sign = -1n;
    const x2 = x * x;
    while (term !== 0n) {
      term /= x2;
      k += 2n;
      sum += sign * (term / k);
      sign = -sign;
    }
    return sum;
  };
  const pi = 4n * (4n * arctanInv(5n) - arctanInv(239n)); // pi * 10^(n-1+guard)
  const div = 10n ** BigInt(guard);
  let q = pi / div;
  const r = pi % div;
  const half = div / 2n;
  if (r > half || (r === half && q % 2n === 1n)) q += 1n;
  const digits = q.toString();
  s = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  cache.set(n, s);
  return s;
}
