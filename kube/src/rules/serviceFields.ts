/**
 * The Service fields upstream ValidateService ties to the type and to each
 * other (pkg/apis/core/validation): externalTrafficPolicy only on a Service
 * reachable from outside, sessionAffinityConfig only with ClientIP affinity
 * (and a timeout within a day), an ExternalName's DNS name and the address
 * fields it may not have, the selector's labels, and the fields that belong
 * to LoadBalancer Services. Defaults applied before validation count: type
 * ClusterIP, sessionAffinity None.
 */
import type { Rule } from './context';
import { apiFinding, isObject } from './context';
import { labelMapFindings } from './labelSelector';
import { isDNS1123Subdomain, isQualifiedName } from '../names';
import { parseCidr, parseIP } from '../cidr';
import type { Finding } from './types';

const LB_ONLY = "may only be used when `type` is 'LoadBalancer'";
const EXTERNAL_NAME_FORBIDS = 'may not be set for ExternalName services';
const MAX_CLIENT_IP_SECONDS = 86400;

function forbidden(code: string, path: (string | number)[], detail: string, message = `Forbidden: ${detail}`): Finding {
  return { code, severity: 'error', path, target: 'key', message, apiError: { type: 'FieldValueForbidden', detail } };
}

export const serviceFieldsRule: Rule = {
  codes: ['service-external-traffic-policy', 'session-affinity-config', 'external-name-invalid', 'external-name-forbidden', 'service-selector-label',
    'load-balancer-only', 'health-check-node-port', 'service-ip', 'service-app-protocol'],
  kinds: ['Service'],
  check(obj, _ctx, out) {
    const spec = obj.spec;
    if (!isObject(spec)) return;
    const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
    const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
    const reachable = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs.length > 0);

    if (type === 'ExternalName') {
      // A trailing dot marks the name fully qualified; what precedes it must be a DNS subdomain.
      const cname = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
      if (cname) {
        for (const detail of isDNS1123Subdomain(cname)) {
          const f = apiFinding('external-name-invalid', ['spec', 'externalName'], 'FieldValueInvalid', cname, detail);
          out.push(f);
        }
      }
      // The strategy copies clusterIP into clusterIPs before validation, so upstream names clusterIPs.
      const ips = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : typeof spec.clusterIP === 'string' && spec.clusterIP ? [spec.clusterIP] : [];
      if (ips.length) {
        const f = forbidden('external-name-forbidden', spec.clusterIP !== undefined ? ['spec', 'clusterIP'] : ['spec', 'clusterIPs'], EXTERNAL_NAME_FORBIDS,
          `Forbidden: ${EXTERNAL_NAME_FORBIDS}: an ExternalName Service is a DNS alias and has no cluster IP`);
        f.apiError!.apiPath = ['spec', 'clusterIPs'];
        out.push(f);
      }
      if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length) out.push(forbidden('external-name-forbidden', ['spec', 'ipFamilies'], EXTERNAL_NAME_FORBIDS));
      if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) out.push(forbidden('external-name-forbidden', ['spec', 'ipFamilyPolicy'], EXTERNAL_NAME_FORBIDS));
    }

    if (isObject(spec.selector)) labelMapFindings('service-selector-label', spec.selector, ['spec', 'selector'], out);

    const affinity = typeof spec.sessionAffinity === 'string' && spec.sessionAffinity !== '' ? spec.sessionAffinity : 'None';
    const sac = spec.sessionAffinityConfig;
    if (affinity === 'None' && sac !== undefined && sac !== null) {
      out.push(forbidden('session-affinity-config', ['spec', 'sessionAffinityConfig'], 'must not be set when session affinity is None',
        'Forbidden: must not be set when session affinity is None; set sessionAffinity: ClientIP, or remove sessionAffinityConfig'));
    } else if (affinity === 'ClientIP' && isObject(sac) && isObject(sac.clientIP)) {
      const t = sac.clientIP.timeoutSeconds;
      if (typeof t === 'number' && (t <= 0 || t > MAX_CLIENT_IP_SECONDS)) {
        out.push(apiFinding('session-affinity-config', ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], 'FieldValueInvalid', t,
          `must be greater than 0 and less than ${MAX_CLIENT_IP_SECONDS}`));
      }
    }

    const etp = spec.externalTrafficPolicy;
    if (!reachable && typeof etp === 'string' && etp !== '') {
      const detail = 'may only be set for externally-accessible services';
      out.push(apiFinding('service-external-traffic-policy', ['spec', 'externalTrafficPolicy'], 'FieldValueInvalid', etp, detail,
        `Invalid value: ${JSON.stringify(etp)}: ${detail} (type NodePort or LoadBalancer, or a ClusterIP with externalIPs)`));
    }

    const ranges = spec.loadBalancerSourceRanges;
    if (Array.isArray(ranges) && ranges.length) {
      // Upstream names the field with a capital L here.
      if (type !== 'LoadBalancer') {
        const f = forbidden('load-balancer-only', ['spec', 'loadBalancerSourceRanges'], LB_ONLY);
        f.apiError!.apiPath = ['spec', 'LoadBalancerSourceRanges'];
        out.push(f);
      }
      if (ranges.some((r) => typeof r !== 'string' || !parseCidr(r.trim()))) {
        const detail = 'must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ';
        const text = `[${ranges.map((r) => String(r)).join(' ')}]`;
        const f = apiFinding('load-balancer-only', ['spec', 'loadBalancerSourceRanges'], 'FieldValueInvalid', text, detail);
        f.apiError!.apiPath = ['spec', 'LoadBalancerSourceRanges'];
        out.push(f);
      }
    }
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
      out.push(forbidden('load-balancer-only', ['spec', 'allocateLoadBalancerNodePorts'], LB_ONLY));
    }
    const hc = spec.healthCheckNodePort;
    if (typeof hc === 'number' && hc !== 0 && !(type === 'LoadBalancer' && etp === 'Local')) {
      const detail = "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
      out.push(apiFinding('health-check-node-port', ['spec', 'healthCheckNodePort'], 'FieldValueInvalid', hc, detail));
    }
    addresses(spec, type, out);
    // validateServicePort: an appProtocol follows label-key syntax (`http`, `kubernetes.io/h2c`, `example.com/proto`).
    if (Array.isArray(spec.ports)) {
      spec.ports.forEach((p, i) => {
        const ap = isObject(p) ? p.appProtocol : undefined;
        if (typeof ap !== 'string') return;
        for (const d of isQualifiedName(ap)) out.push(apiFinding('service-app-protocol', ['spec', 'ports', i, 'appProtocol'], 'FieldValueInvalid', ap, d));
      });
    }
  },
};

const IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/**
 * The Service's addresses as ValidateService reads them (IsValidIPForLegacyField, lenient about leading zeros as
 * the StrictIPCIDRValidation gate leaves it off): each cluster IP but a first `None` (defaulting makes clusterIP
 * the first of clusterIPs, where upstream reports it); each external IP, which ValidateNonSpecialIP also keeps
 * out of the unspecified, loopback and link-local ranges.
 */
function addresses(spec: Record<string, unknown>, type: string, out: Finding[]): void {
  if (type !== 'ExternalName') out.push(...clusterIPsRelatedFindings(spec));
  externalIPs(spec, out);
}

/**
 * ValidateServiceClusterIPsRelatedFields' checks of a Service that is not ExternalName, which the apiserver's IP
 * allocator runs (initIPFamilyFields) before it allocates anything, and returns alone when they fail.
 */
export function clusterIPsRelatedFindings(spec: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  // clusterIP and clusterIPs written both: the first of clusterIPs must be clusterIP (the strategy syncs one from the other).
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length && spec.clusterIPs[0] !== spec.clusterIP) {
    out.push(apiFinding('service-ip', ['spec', 'clusterIPs'], 'FieldValueInvalid', spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  {
    const ips = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : [];
    const written = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? 'clusterIPs' : 'clusterIP';
    const at = (i: number) => (written === 'clusterIPs' ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP']);
    const whole = (detail: string) => {
      const f = apiFinding('service-ip', written === 'clusterIPs' ? ['spec', 'clusterIPs'] : ['spec', 'clusterIP'], 'FieldValueInvalid', ips, detail);
      f.apiError!.apiPath = ['spec', 'clusterIPs'];
      out.push(f);
    };
    // ValidateServiceClusterIPsRelatedFields, in its order: the families alone, each IP, how many, dual stack, families.
    const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
    const seen = new Set<unknown>();
    families.forEach((fam, i) => {
      if (seen.has(fam)) out.push(apiFinding('service-ip', ['spec', 'ipFamilies', i], 'FieldValueDuplicate', fam, ''));
      seen.add(fam);
    });
    let invalid = false;
    ips.forEach((ip, i) => {
      if (typeof ip !== 'string') return;
      if (i === 0 && ip === 'None') {
        if (ips.length > 1) { invalid = true; whole("'None' must be the first and only value"); }
        return;
      }
      if (parseIP(ip)) return;
      invalid = true;
      const f = apiFinding('service-ip', at(i), 'FieldValueInvalid', ip, IP_DETAIL);
      f.apiError!.apiPath = ['spec', 'clusterIPs', i];
      out.push(f);
    });
    if (ips.length > 2) whole('may only hold up to 2 values');
    if (!invalid) {
      const parsed = ips.map((ip) => parseIP(String(ip)));
      // netutils.IsDualStackIPStrings: both families present (two IPs of one family are not dual stack).
      if (ips.length > 1 && !(parsed.some((a) => a?.v6) && parsed.some((a) => a && !a.v6))) whole('may specify no more than one IP for each IP family');
      const headless = ips.length === 1 && ips[0] === 'None';
      if (!headless) {
        parsed.forEach((a, i) => {
          if (i >= families.length || !a) return;
          const want = families[i] === 'IPv4' ? false : families[i] === 'IPv6' ? true : undefined;
          if (want === undefined || a.v6 === want) return;
          const f = apiFinding('service-ip', at(i), 'FieldValueInvalid', ips[i], `expected an ${want ? 'IPv6' : 'IPv4'} value as indicated by \`ipFamilies[${i}]\``);
          f.apiError!.apiPath = ['spec', 'clusterIPs', i];
          out.push(f);
        });
      }
    }
  }
  return out;
}

function externalIPs(spec: Record<string, unknown>, out: Finding[]): void {
  if (!Array.isArray(spec.externalIPs)) return;
  spec.externalIPs.forEach((ip, i) => {
    if (typeof ip !== 'string') return;
    const path = ['spec', 'externalIPs', i];
    const a = parseIP(ip);
    if (!a) { out.push(apiFinding('service-ip', path, 'FieldValueInvalid', ip, IP_DETAIL)); return; }
    for (const d of specialIP(a)) out.push(apiFinding('service-ip', path, 'FieldValueInvalid', ip, d.replace('%v', ip)));
  });
}

/** ValidateNonSpecialIP's refusals, in its order (Go's net.IP IsUnspecified, IsLoopback, IsLinkLocalUnicast, IsLinkLocalMulticast). */
function specialIP(a: { v6: boolean; n: bigint }): string[] {
  const out: string[] = [];
  const top = (bits: number) => (a.n >> BigInt((a.v6 ? 128 : 32) - bits));
  if (a.n === 0n) out.push('may not be unspecified (%v)');
  if (a.v6 ? a.n === 1n : top(8) === 127n) out.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  if (a.v6 ? top(10) === 0x3fan : top(16) === 0xa9fen) out.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  if (a.v6 ? top(16) === 0xff02n || (top(8) === 0xffn && (top(16) & 0xfn) === 2n) : top(24) === 0xe00000n) out.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  return out;
}
