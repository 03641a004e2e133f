/**
 * The CEL libraries Kubernetes adds to cel-go (k8s.io/apiserver/pkg/cel/library and the cel-go extensions that
 * environment/base.go enables), where cel-js lacks them: the strings extension's replace, charAt and format; the
 * lists library (isSorted, sum, min, max, indexOf, lastIndexOf); the regex library (find, findAll, on RE2 as
 * upstream); url; quantity; ip and cidr. cel-js already has lowerAscii, upperAscii, trim, split, join, indexOf,
 * lastIndexOf, substring, matches and the optional type.
 *
 * Left out as 1.34 leaves them out of the environment new expressions are compiled in (EnvSet.NewExpressionsEnv, at
 * the compatibility version 1.33): string.reverse(), which ext.Strings adds at version 3 (base.go enables version 2),
 * and ext.Lists (slice, flatten, distinct, reverse, sort, ...), which base.go introduces at 1.34. A call to either is
 * an `undeclared reference` (engine.ts).
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import { RE2JS } from 're2js';
import { addQty, cmpQty, parseQty, qtyNumber, qtyOf, qtyValue, subQty, type Qty } from '../../../kube/src/qty';
import { quantityErrorMessage } from '../../../kube/src/quantity';
import { parseCidr, parseIP, cidrContains, cidrWithin, type Cidr } from '../../../kube/src/cidr';
import { registerExtensions } from './extensions';
import { rfc3339Nano } from '../runtime/objects';
import { Interner } from '../runtime/intern';
import { goQuote } from '../kubelet/hooks';

/** kubernetes.Quantity (library/quantity.go). */
export class Quantity {
  constructor(readonly q: Qty) {}
}

/** kubernetes.URL (library/urls.go), a parsed URL. */
export class KubeURL {
  constructor(readonly url: URL, readonly raw: string) {}
}

/** net.IP (library/ip.go). */
export class KubeIP {
  constructor(readonly text: string, readonly v6: boolean, readonly n: bigint) {}
}

/** net.CIDR (library/cidr.go). */
export class KubeCIDR {
  constructor(readonly text: string, readonly cidr: Cidr) {}
}

/** kubernetes.Semver (apiserver/pkg/cel/semver.go), a blang/semver Version. */
export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    /** The prerelease identifiers: numbers (bigint) or alphanumerics. */
    readonly pre: (bigint | string)[],
  ) {}
}

const NUMBERS = /^[0-9]*$/;
const ALPHANUM = /^[0-9A-Za-z-]*$/;
const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 10, 64)'s errors. */
function parseUint(s: string): bigint {
  if (s === '') throw new Error('strconv.ParseUint: parsing "": invalid syntax');
  const n = BigInt(s);
  if (n > MAX_UINT64) throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return n;
}

/** blang/semver/v4 Parse, with its error texts (semver.go). */
function parseSemver(s: string): Semver {
  if (s === '') throw new Error('Version string empty');
  const parts = splitN(s, '.', 3);
  if (parts.length !== 3) throw new Error('No Major.Minor.Patch elements found');
  const number = (p: string, what: string) => {
    if (!NUMBERS.test(p)) throw new Error(`Invalid character(s) found in ${what} number ${goQuote(p)}`);
    if (p.length > 1 && p[0] === '0') throw new Error(`${what[0].toUpperCase()}${what.slice(1)} number must not contain leading zeroes ${goQuote(p)}`);
    return parseUint(p);
  };
  const major = number(parts[0], 'major');
  const minor = number(parts[1], 'minor');
  let rest = parts[2];
  let build: string[] = [];
  let pre: string[] = [];
  const plus = rest.indexOf('+');
  if (plus !== -1) {
    build = rest.slice(plus + 1).split('.');
    rest = rest.slice(0, plus);
  }
  const dash = rest.indexOf('-');
  if (dash !== -1) {
    pre = rest.slice(dash + 1).split('.');
    rest = rest.slice(0, dash);
  }
  const patch = number(rest, 'patch');
  const ids = pre.map((p): bigint | string => {
    if (p === '') throw new Error('Prerelease is empty');
    if (NUMBERS.test(p)) {
      if (p.length > 1 && p[0] === '0') throw new Error(`Numeric PreRelease version must not contain leading zeroes ${goQuote(p)}`);
      return parseUint(p);
    }
    if (!ALPHANUM.test(p)) throw new Error(`Invalid character(s) found in prerelease ${goQuote(p)}`);
    return p;
  });
  for (const b of build) {
    if (b === '') throw new Error('Build meta data is empty');
    if (!ALPHANUM.test(b)) throw new Error(`Invalid character(s) found in build meta data ${goQuote(b)}`);
  }
  return new Semver(major, minor, patch, ids);
}

/** strings.SplitN: at most n parts, the last holding the rest. */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i === -1) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/**
 * semverlib.go normalizeAndParse (semver(s, true), version 1 of the library): no `v` prefix, no leading zeros, a
 * missing minor or patch filled with 0; spaces are not trimmed.
 */
function normalizeSemver(s: string): Semver {
  const parts = splitN(s.startsWith('v') ? s.slice(1) : s, '.', 3).map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t === '' || !/^[0-9]/.test(t) ? '0' + t : t;
  });
  if (parts.length < 3) {
    if (/[+-]/.test(parts[parts.length - 1])) throw new Error('short version cannot contain PreRelease/Build meta data');
    while (parts.length < 3) parts.push('0');
  }
  return parseSemver(parts.join('.'));
}

/** Version.Compare: major, minor, patch, then a release above its prereleases, identifier by identifier. */
function compareSemver(a: Semver, b: Semver): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] > b[k] ? 1 : -1;
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0 : a.pre.length ? -1 : 1;
  for (let i = 0; i < a.pre.length && i < b.pre.length; i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === y) continue;
    // Numeric identifiers sort below alphanumeric ones.
    if (typeof x !== typeof y) return typeof x === 'bigint' ? -1 : 1;
    return x > y ? 1 : -1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

/** types.Int(v.Major): Go's conversion of a uint64 to an int64 wraps. */
const int64 = (n: bigint) => BigInt.asIntN(64, n);

type Ord = bigint | number | string | boolean;

/** CEL's ordering of two comparable values (ints and doubles compare across kinds). */
function compare(a: Ord, b: Ord): number {
  if (typeof a === 'string' || typeof b === 'string' || typeof a === 'boolean') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function comparable(v: unknown): v is Ord {
  return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function needList(list: unknown[], fn: string): Ord[] {
  for (const v of list) if (!comparable(v)) throw new Error(`no such overload: ${fn}`);
  return list as Ord[];
}

/** cel-go equality for the values indexOf looks for: ints and doubles equal across kinds. */
function same(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return a === b;
}

/** The strings extension's format(): %s %d %f %e %x %X %o %b and %%, with a precision for %f and %e. */
function format(spec: string, args: unknown[]): string {
  let i = 0;
  return spec.replace(/%(\.\d+)?([sdfeExXob%])/g, (_m, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    const v = args[i++];
    const digits = prec ? Number(prec.slice(1)) : 6;
    switch (verb) {
      case 's':
        return stringOf(v);
      case 'd':
        if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isInteger(v))) throw new Error('error during formatting: decimal clause can only be used on integers');
        return String(v);
      case 'f':
        return Number(v).toFixed(digits);
      case 'e':
      case 'E':
        return Number(v).toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
      case 'x':
      case 'X': {
        const s = typeof v === 'string' ? Buffer.from(v).toString('hex') : BigInt(v as bigint).toString(16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
      case 'o':
        return BigInt(v as bigint).toString(8);
      default:
        return typeof v === 'boolean' ? (v ? '1' : '0') : BigInt(v as bigint).toString(2);
    }
  });
}

function stringOf(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stringOf).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${stringOf(k)}:${stringOf(x)}`).join(', ')}}`;
  if (v === null) return 'null';
  if (typeof v === 'object' && v) return `{${Object.entries(v).map(([k, x]) => `${k}:${stringOf(x)}`).join(', ')}}`;
  return String(v);
}

/**
 * cel-js's own `matches` runs a backtracking RegExp (`(a+)+$` on forty characters takes hours), and its overload
 * cannot be replaced: the engine renames `matches` calls in each parsed expression to this RE2 one (engine.ts).
 */
export const RE2_MATCHES = 'matches__re2';

const regexes = new Interner<RE2JS>(256);
const compileRe2 = (pattern: string): RE2JS => RE2JS.compile(pattern);
const re2 = (pattern: string): RE2JS => regexes.get(pattern, compileRe2);

function quantity(s: string): Quantity {
  const q = parseQty(s);
  if (!q) throw new Error(quantityErrorMessage);
  return new Quantity(q);
}

const NANO = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;

function parseURL(s: string): KubeURL {
  // url.ParseRequestURI: an absolute URL or an absolute path.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && !s.startsWith('/')) throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
  try {
    return new KubeURL(new URL(s, s.startsWith('/') ? 'relative:///' : undefined), s);
  } catch {
    throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
  }
}

function ip(s: string): KubeIP {
  const a = parseIP(s);
  // library/ip.go refuses zones and IPv4-mapped IPv6 addresses, as netip.ParseAddr does.
  if (!a || s.includes('%') || (a.v6 === false && s.includes(':'))) throw new Error(`IP Address "${s}" parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`);
  return new KubeIP(s, a.v6, a.n);
}

function cidr(s: string): KubeCIDR {
  const c = parseCidr(s);
  if (!c || s.includes('%')) throw new Error(`network address parse error during conversion from string: netip.ParsePrefix("${s}"): bad prefix`);
  return new KubeCIDR(s, c);
}

function ipText(v6: boolean, n: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

/** DurationToString: the seconds as strconv.FormatFloat(d.Seconds(), 'f', -1, 64) prints them, then `s`. */
function durationString(seconds: bigint, nanos: number): string {
  const total = seconds * 1_000_000_000n + BigInt(nanos);
  const neg = total < 0n;
  const abs = neg ? -total : total;
  const whole = abs / 1_000_000_000n;
  const frac = String(abs % 1_000_000_000n).padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}s`;
}

export function registerKubernetesLibraries(env: CelJs.Environment): void {
  const fn = (sig: string, impl: (...a: any[]) => unknown) => env.registerFunction(sig, impl);
  // cel-go's standard conversions cel-js lacks (common/stdlib/standard.go): timestamp() and duration() of a value that
  // already is one (identity; a date-time or duration field is typed so), string() of both, int() of a timestamp.
  fn('timestamp(google.protobuf.Timestamp): google.protobuf.Timestamp', (t: Date) => t);
  fn('duration(google.protobuf.Duration): google.protobuf.Duration', (d: unknown) => d);
  fn('string(google.protobuf.Timestamp): string', (t: Date) => rfc3339Nano(t.getTime()));
  fn('string(google.protobuf.Duration): string', (d: { seconds: bigint; nanos: number }) => durationString(d.seconds, d.nanos));
  fn('int(google.protobuf.Timestamp): int', (t: Date) => BigInt(Math.floor(t.getTime() / 1000)));
  // strings (cel-go ext.Strings, version 2 as Kubernetes enables it)
  fn('string.charAt(int): string', (s: string, i: bigint) => {
    const cps = [...s];
    if (i < 0n || i > BigInt(cps.length)) throw new Error(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  });
  fn('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    if (n < 0n) return s.split(a).join(b);
    const parts = s.split(a);
    const k = Number(n);
    return parts.length <= k + 1 ? parts.join(b) : parts.slice(0, k + 1).join(b) + a + parts.slice(k + 1).join(a);
  });
  fn('string.format(list): string', (s: string, args: unknown[]) => format(s, args));
  // lists (library/lists.go)
  fn('list.isSorted(): bool', (l: unknown[]) => needList(l, 'isSorted').every((v, i, a) => i === 0 || compare(a[i - 1], v) <= 0));
  fn('list.sum(): dyn', (l: unknown[]) => {
    const xs = needList(l, 'sum');
    if (!xs.length) return 0n;
    if (xs.every((x) => typeof x === 'bigint')) return (xs as bigint[]).reduce((a, b) => a + b, 0n);
    return xs.reduce((a, b) => Number(a) + Number(b), 0);
  });
  fn('list.min(): dyn', (l: unknown[]) => {
    const xs = needList(l, 'min');
    if (!xs.length) throw new Error('min called on empty list');
    return xs.reduce((a, b) => (compare(b, a) < 0 ? b : a));
  });
  fn('list.max(): dyn', (l: unknown[]) => {
    const xs = needList(l, 'max');
    if (!xs.length) throw new Error('max called on empty list');
    return xs.reduce((a, b) => (compare(b, a) > 0 ? b : a));
  });
  fn('list.indexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => same(x, v))));
  fn('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (same(l[i], v)) return BigInt(i);
    return -1n;
  });
  // regex (library/regex.go): RE2, as Go's regexp. `matches` too: cel-js's own runs a backtracking RegExp, where
  // `(a+)+$` on forty characters takes hours; RE2 takes time linear in the value.
  fn(`string.${RE2_MATCHES}(string): bool`, (s: string, p: string) => re2(p).matcher(s).find());
  fn(`${RE2_MATCHES}(string, string): bool`, (s: string, p: string) => re2(p).matcher(s).find());
  fn('string.find(string): string', (s: string, p: string) => {
    const m = re2(p).matcher(s);
    return m.find() ? m.group(0) ?? '' : '';
  });
  fn('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  fn('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => findAll(s, p, n));
  // quantity (library/quantity.go)
  env.registerType('kubernetes.Quantity', Quantity);
  fn('quantity(string): kubernetes.Quantity', quantity);
  fn('isQuantity(string): bool', (s: string) => parseQty(s) !== undefined);
  fn('kubernetes.Quantity.sign(): int', (q: Quantity) => BigInt(cmpQty(q.q, qtyOf(0n))));
  fn('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.q.nanos % NANO === 0n && q.q.nanos / NANO <= MAX_INT64);
  fn('kubernetes.Quantity.asInteger(): int', (q: Quantity) => {
    if (q.q.nanos % NANO !== 0n || qtyValue(q.q) > MAX_INT64) throw new Error('cannot convert value to integer');
    return qtyValue(q.q);
  });
  fn('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) => qtyNumber(q.q));
  fn('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => BigInt(cmpQty(a.q, b.q)));
  fn('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => cmpQty(a.q, b.q) > 0);
  fn('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => cmpQty(a.q, b.q) < 0);
  fn('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => new Quantity(addQty(a.q, b.q)));
  fn('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => new Quantity(addQty(a.q, qtyOf(b * NANO))));
  fn('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => new Quantity(subQty(a.q, b.q)));
  fn('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => new Quantity(subQty(a.q, qtyOf(b * NANO))));
  // Quantity.Equal: resource.Quantity's Equal compares the amounts, so quantity("1") == quantity("1000m").
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => cmpQty(a.q, b.q) === 0);
  // semver (library/semverlib.go, version 1 as base.go enables it from 1.33: with the normalizing overloads)
  env.registerType('kubernetes.Semver', Semver);
  fn('semver(string): kubernetes.Semver', (s: string) => parseSemver(s));
  fn('semver(string, bool): kubernetes.Semver', (s: string, normalize: boolean) => (normalize ? normalizeSemver(s) : parseSemver(s)));
  fn('isSemver(string): bool', (s: string) => ok(() => parseSemver(s)));
  fn('isSemver(string, bool): bool', (s: string, normalize: boolean) => ok(() => (normalize ? normalizeSemver(s) : parseSemver(s))));
  fn('kubernetes.Semver.major(): int', (v: Semver) => int64(v.major));
  fn('kubernetes.Semver.minor(): int', (v: Semver) => int64(v.minor));
  fn('kubernetes.Semver.patch(): int', (v: Semver) => int64(v.patch));
  fn('kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => compareSemver(a, b) > 0);
  fn('kubernetes.Semver.isLessThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => compareSemver(a, b) < 0);
  fn('kubernetes.Semver.compareTo(kubernetes.Semver): int', (a: Semver, b: Semver) => BigInt(compareSemver(a, b)));
  // Semver.Equal: Version.EQ, which leaves build metadata out.
  env.registerOperator('kubernetes.Semver == kubernetes.Semver', (a: Semver, b: Semver) => compareSemver(a, b) === 0);
  // url (library/urls.go)
  env.registerType('kubernetes.URL', KubeURL);
  fn('url(string): kubernetes.URL', parseURL);
  fn('isURL(string): bool', (s: string) => {
    try {
      parseURL(s);
      return true;
    } catch {
      return false;
    }
  });
  fn('kubernetes.URL.getScheme(): string', (u: KubeURL) => (u.raw.startsWith('/') ? '' : u.url.protocol.replace(/:$/, '')));
  fn('kubernetes.URL.getHost(): string', (u: KubeURL) => (u.raw.startsWith('/') ? '' : u.url.host));
  fn('kubernetes.URL.getHostname(): string', (u: KubeURL) => (u.raw.startsWith('/') ? '' : u.url.hostname.replace(/^\[(.*)\]$/, '$1')));
  fn('kubernetes.URL.getPort(): string', (u: KubeURL) => (u.raw.startsWith('/') ? '' : u.url.port));
  fn('kubernetes.URL.getEscapedPath(): string', (u: KubeURL) => u.url.pathname);
  fn('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeURL) => {
    const out = new Map<string, string[]>();
    for (const [k, v] of u.url.searchParams) out.set(k, [...(out.get(k) ?? []), v]);
    return out;
  });
  // ip and cidr (library/ip.go, library/cidr.go)
  env.registerType('net.IP', KubeIP);
  env.registerType('net.CIDR', KubeCIDR);
  fn('ip(string): net.IP', ip);
  fn('isIP(string): bool', (s: string) => ok(() => ip(s)));
  fn('net.IP.family(): int', (a: KubeIP) => (a.v6 ? 6n : 4n));
  fn('net.IP.isUnspecified(): bool', (a: KubeIP) => a.n === 0n);
  fn('net.IP.isLoopback(): bool', (a: KubeIP) => (a.v6 ? a.n === 1n : a.n >> 24n === 127n));
  fn('string(net.IP): string', (a: KubeIP) => ipText(a.v6, a.n));
  fn('cidr(string): net.CIDR', cidr);
  fn('isCIDR(string): bool', (s: string) => ok(() => cidr(s)));
  fn('net.CIDR.containsIP(string): bool', (c: KubeCIDR, s: string) => cidrContains(c.cidr, ip(s).text));
  fn('net.CIDR.containsIP(net.IP): bool', (c: KubeCIDR, a: KubeIP) => cidrContains(c.cidr, a.text));
  fn('net.CIDR.containsCIDR(string): bool', (c: KubeCIDR, s: string) => cidrWithin(cidr(s).cidr, c.cidr));
  fn('net.CIDR.containsCIDR(net.CIDR): bool', (c: KubeCIDR, d: KubeCIDR) => cidrWithin(d.cidr, c.cidr));
  fn('net.CIDR.prefixLength(): int', (c: KubeCIDR) => BigInt(c.cidr.prefix));
  fn('net.CIDR.ip(): net.IP', (c: KubeCIDR) => new KubeIP(ipText(c.cidr.v6, c.cidr.ip), c.cidr.v6, c.cidr.ip));
  fn('net.CIDR.masked(): net.CIDR', (c: KubeCIDR) => cidr(`${ipText(c.cidr.v6, c.cidr.base)}/${c.cidr.prefix}`));
  fn('string(net.CIDR): string', (c: KubeCIDR) => `${ipText(c.cidr.v6, c.cidr.ip)}/${c.cidr.prefix}`);
  // IP.Equal and CIDR.Equal compare netip.Addr and netip.Prefix values: the same family and address (however it was
  // written), and for a CIDR the same address as written, unmasked, and prefix length (cidr.go, ip.go).
  env.registerOperator('net.IP == net.IP', (a: KubeIP, b: KubeIP) => a.v6 === b.v6 && a.n === b.n);
  env.registerOperator('net.CIDR == net.CIDR', (a: KubeCIDR, b: KubeCIDR) => a.cidr.v6 === b.cidr.v6 && a.cidr.ip === b.cidr.ip && a.cidr.prefix === b.cidr.prefix);
  registerExtensions(env);
}

function ok(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

function findAll(s: string, p: string, n: bigint): string[] {
  const out: string[] = [];
  if (n === 0n) return out;
  const m = re2(p).matcher(s);
  while (m.find()) {
    out.push(m.group(0) ?? '');
    if (n > 0n && BigInt(out.length) >= n) break;
  }
  return out;
}
