/**
 * IP addresses and CIDR blocks as numbers, for NetworkPolicy's ipBlock: parse
 * (Go's net.ParseIP/ParseCIDR forms, with the leading zeros of IPv4 octets
 * that netutils' "sloppy" parsers still take), containment and subsets.
 */

export interface Cidr {
  v6: boolean;
  /** The block's first address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** The address as written, host bits and all (ParseCIDR keeps it apart from the network). */
  ip: bigint;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    // Leading zeros are read as decimal, as the lenient parsers of Kubernetes 1.32 read them.
    if (!/^\d+$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i];
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  let n = 0n;
  for (const g of [...head, ...new Array(fill).fill(0), ...tail]) n = (n << 16n) | BigInt(g);
  return n;
}

/** An address as a number and its family, or undefined when it is not one. */
export function parseIP(s: string): { v6: boolean; n: bigint } | undefined {
  if (typeof s !== 'string') return undefined;
  const v4 = parseV4(s);
  if (v4 !== undefined) return { v6: false, n: v4 };
  if (!s.includes(':')) return undefined;
  const v6 = parseV6(s);
  if (v6 === undefined) return undefined;
  // An IPv4-mapped IPv6 address is the IPv4 one, as Go's net.IP treats it.
  if (v6 >> 32n === 0xffffn) return { v6: false, n: v6 & 0xffffffffn };
  return { v6: true, n: v6 };
}

/** `a.b.c.d/n` or `v6/n`; undefined when it is not a CIDR. */
export function parseCidr(s: string): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const text = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  // An address written as IPv6 is a 128-bit block, an IPv4-mapped one included (Go's ParseCIDR).
  const v6 = text.includes(':');
  const n = v6 ? parseV6(text) : parseV4(text);
  if (n === undefined || !/^\d{1,3}$/.test(bits)) return undefined;
  const width = v6 ? 128 : 32;
  const prefix = Number(bits);
  if (prefix > width) return undefined;
  const host = (1n << BigInt(width - prefix)) - 1n;
  const base = n & ~host;
  // An IPv4-mapped network (::ffff:a.b.c.d/96 and narrower) is the IPv4 block it maps, as Go's To4() makes it.
  if (v6 && prefix >= 96 && base >> 32n === 0xffffn) return { v6: false, base: base & 0xffffffffn, prefix: prefix - 96, ip: n & 0xffffffffn };
  return { v6, base, prefix, ip: n };
}

/** Whether the address lies in the block. */
export function cidrContains(c: Cidr, ip: string): boolean {
  // An IPv6 block never holds an IPv4 address (Go's IPNet.Contains; an IPv4-mapped block is an IPv4 one).
  const a = parseIP(ip);
  if (!a || a.v6 !== c.v6) return false;
  const width = c.v6 ? 128 : 32;
  const host = (1n << BigInt(width - c.prefix)) - 1n;
  return (a.n & ~host) === c.base;
}

/** Whether `inner` lies wholly within `outer` (an equal block counts). */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  if (inner.v6 !== outer.v6 || inner.prefix < outer.prefix) return false;
  const width = outer.v6 ? 128 : 32;
  const host = (1n << BigInt(width - outer.prefix)) - 1n;
  return (inner.base & ~host) === outer.base;
}

const IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** An IPv6 address written as Go's netip prints it (RFC 5952: lower case, the longest run of zero groups as `::`). */
function formatV6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]) => a.map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

const hasLeadingZero = (v4: string) => v4.split('.').some((o) => o.length > 1 && o.startsWith('0'));

/** apimachinery validation/ip.go IsValidIP, the strict one for new API fields (IPAddress names): the details, empty when `value` is a valid address in canonical form. */
export function strictIPErrors(value: string): string[] {
  const a = parseIP(value);
  if (!a) return [IP_DETAIL];
  if (!value.includes(':')) {
    if (hasLeadingZero(value)) return ['must not have leading 0s'];
    return [];
  }
  // parseIP reads an IPv4-mapped address as the IPv4 one.
  if (!a.v6) return ['must not be an IPv4-mapped IPv6 address'];
  const canonical = formatV6(a.n);
  return value === canonical ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}

/** apimachinery validation/ip.go IsValidCIDR, the strict one for new API fields (ServiceCIDR cidrs): the details, empty when `value` is a valid subnet in canonical form. */
export function strictCIDRErrors(value: string): string[] {
  const c = parseCidr(value);
  if (!c) return [CIDR_DETAIL];
  const slash = value.indexOf('/');
  const text = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const v6 = text.includes(':');
  if ((!v6 && hasLeadingZero(text)) || (bits.length > 1 && bits.startsWith('0'))) return ['must not have leading 0s in IP or prefix length'];
  if (v6 && !c.v6) return ['must not have an IPv4-mapped IPv6 address'];
  if (c.ip !== c.base) return ['must not have bits set beyond the prefix length'];
  const canonical = `${c.v6 ? formatV6(c.base) : formatV4(c.base)}/${c.prefix}`;
  return value === canonical ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}
