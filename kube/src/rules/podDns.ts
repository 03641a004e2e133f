/**
 * A pod's own DNS settings, as upstream's ValidatePodSpec checks them
 * (pkg/apis/core/validation/validation.go): validatePodDNSConfig for
 * `dnsConfig` against `dnsPolicy`, and ValidateHostAliases. The kubelet
 * writes both into the container's /etc/resolv.conf and /etc/hosts, so what
 * slips through here would make a resolver file libc cannot read (a name
 * where an address goes, a fourth nameserver it ignores) or, for
 * `dnsPolicy: None` without servers, an empty one.
 */
import { parseIP } from '../cidr';
import { isDNS1123Subdomain, maxLenError, regexError, DNS1123SubdomainMaxLength } from '../names';
import type { JsonObject, Rule } from './context';
import { apiFinding, eachObject, isObject, podSpecSites } from './context';
import type { FieldPath, Finding } from './types';

/** Limits from Linux libc's resolver (validation.go MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;

/**
 * IsValidIP's message. With StrictIPCIDRValidation off (its default through 1.34) the address is parsed as
 * netutils.ParseIPSloppy does, leading zeros allowed, which is cidr.ts's parseIP.
 */
const IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

const labelWithUnderscore = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const subdomainWithUnderscore = `${labelWithUnderscore}(\\.${labelWithUnderscore})*`;
const subdomainWithUnderscoreRe = new RegExp(`^${subdomainWithUnderscore}$`);

/**
 * apimachinery's IsDNS1123SubdomainWithUnderscore, which search domains meet once the RelaxedDNSSearchValidation
 * gate is on (beta and on by default from 1.33, GA in 1.34): `_sip._tcp.example.com` is a search domain some
 * service-discovery setups need.
 */
function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!subdomainWithUnderscoreRe.test(value)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
      subdomainWithUnderscore, 'example.com'));
  }
  return errs;
}

/** Whether RelaxedDNSSearchValidation is on by default at this version (kube_features.go: Beta, on, in 1.33). */
function relaxedSearches(kubernetesVersion: string): boolean {
  const [major, minor] = kubernetesVersion.replace(/^v/, '').split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 33);
}

/** `[]string{"a", "b"}`, as field.Invalid prints a string list (%#v). */
function goStrings(list: unknown[]): string {
  return `[]string{${list.map((x) => JSON.stringify(String(x))).join(', ')}}`;
}

function invalidList(path: FieldPath, list: unknown[], detail: string): Finding {
  const text = goStrings(list);
  const f = apiFinding('invalid-dns-config', path, 'FieldValueInvalid', list, detail, `Invalid value: ${text}: ${detail}`);
  f.apiError!.valueText = text;
  return f;
}

/** validatePodDNSConfig: `dnsPolicy: None` needs a dnsConfig with a nameserver; then the limits and forms of each list. */
function dnsConfig(spec: JsonObject, sp: FieldPath, relaxed: boolean, out: Finding[]): void {
  const at = [...sp, 'dnsConfig'];
  const cfg = isObject(spec.dnsConfig) ? spec.dnsConfig : undefined;
  const nameservers = Array.isArray(cfg?.nameservers) ? cfg!.nameservers : [];
  if (spec.dnsPolicy === 'None') {
    if (!cfg) {
      // The editor marks dnsPolicy when there is no dnsConfig to mark.
      const f = apiFinding('invalid-dns-config', spec.dnsConfig === undefined ? [...sp, 'dnsPolicy'] : at, 'FieldValueRequired', undefined,
        'must provide `dnsConfig` when `dnsPolicy` is None');
      f.apiError!.apiPath = at;
      out.push(f);
      return;
    }
    if (!nameservers.length) {
      const f = apiFinding('invalid-dns-config', cfg.nameservers === undefined ? at : [...at, 'nameservers'], 'FieldValueRequired', undefined,
        'must provide at least one DNS nameserver when `dnsPolicy` is None');
      f.apiError!.apiPath = [...at, 'nameservers'];
      out.push(f);
      return;
    }
  }
  if (!cfg) return;
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    out.push(invalidList([...at, 'nameservers'], nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => {
    if (typeof ns === 'string' && !parseIP(ns)) out.push(apiFinding('invalid-dns-config', [...at, 'nameservers', i], 'FieldValueInvalid', ns, IP_DETAIL));
  });
  const searches = Array.isArray(cfg.searches) ? cfg.searches : [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    out.push(invalidList([...at, 'searches'], searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  // The spaces between the domains count: it is the length of the `search` line libc reads.
  if (searches.map(String).join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    out.push(invalidList([...at, 'searches'], searches, `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`));
  }
  searches.forEach((s, i) => {
    if (typeof s !== 'string') return;
    // A rooted name (one trailing dot) is accepted; with relaxed validation, so is `.` alone.
    if (relaxed && s === '.') return;
    const name = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const d of relaxed ? isDNS1123SubdomainWithUnderscore(name) : isDNS1123Subdomain(name)) {
      out.push(apiFinding('invalid-dns-config', [...at, 'searches', i], 'FieldValueInvalid', name, d));
    }
  });
  eachObject(cfg.options, (o, i) => {
    if (typeof o.name !== 'string' || o.name === '') out.push(apiFinding('invalid-dns-config', [...at, 'options', i], 'FieldValueRequired', undefined, 'must not be empty'));
  });
}

/** ValidateHostAliases: every `ip` an address, every hostname a DNS subdomain. */
function hostAliases(list: unknown, sp: FieldPath, apiserver: boolean, out: Finding[]): void {
  eachObject(list, (h, i) => {
    const at = [...sp, 'hostAliases', i];
    // A missing ip is the schema walk's in the editor; the apiserver decodes it as "".
    const ip = typeof h.ip === 'string' ? h.ip : h.ip === undefined && apiserver ? '' : undefined;
    if (ip !== undefined && !parseIP(ip)) out.push(apiFinding('invalid-host-alias', [...at, 'ip'], 'FieldValueInvalid', ip, IP_DETAIL));
    if (!Array.isArray(h.hostnames)) return;
    h.hostnames.forEach((name, j) => {
      if (typeof name === 'string') for (const d of isDNS1123Subdomain(name)) out.push(apiFinding('invalid-host-alias', [...at, 'hostnames', j], 'FieldValueInvalid', name, d));
    });
  });
}

export const podDnsRule: Rule = {
  codes: ['invalid-dns-config', 'invalid-host-alias'],
  check(obj, ctx, out) {
    const sites = podSpecSites(obj, ctx.kind);
    // Most objects have no pod spec: the version is read only for those that do.
    const relaxed = sites.length > 0 && relaxedSearches(ctx.kubernetesVersion);
    for (const site of sites) {
      dnsConfig(site.spec, site.specPath, relaxed, out);
      hostAliases(site.spec.hostAliases, site.specPath, !!ctx.apiserver, out);
    }
  },
};
