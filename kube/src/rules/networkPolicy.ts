/**
 * NetworkPolicies, as upstream's ValidateNetworkPolicySpec (v1.32) checks
 * them, in its order: the pod selector; each ingress rule's ports, then its
 * peers; the same for egress; then policyTypes. CIDRs are parsed the lenient
 * way 1.32 still does (host bits and leading zeros pass).
 */
import type { Rule } from './context';
import { apiFinding, isObject } from './context';
import { labelSelectorFindings } from './labelSelector';
import { portNameErrors, portNumErrors } from './ports';
import { cidrWithin, parseCidr } from '../cidr';
import type { FieldPath, Finding } from './types';

const CODE = 'netpol-invalid';
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
const CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const invalid = (path: FieldPath, value: unknown, detail: string) => apiFinding(CODE, path, 'FieldValueInvalid', value, detail);

function notSupported(path: FieldPath, value: string, supported: string[]): Finding {
  const f = apiFinding(CODE, path, 'FieldValueNotSupported', value, '');
  f.apiError!.supported = supported;
  f.message = `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`;
  return f;
}

function checkPort(port: unknown, path: FieldPath, out: Finding[]): void {
  if (!isObject(port)) return;
  if (typeof port.protocol === 'string' && !PROTOCOLS.includes(port.protocol)) out.push(notSupported([...path, 'protocol'], port.protocol, PROTOCOLS));
  const p = port.port;
  const end = port.endPort;
  if (typeof p === 'number') {
    for (const m of portNumErrors(p)) out.push(invalid([...path, 'port'], p, m));
    if (typeof end === 'number') {
      // 1.32 prints the port, not endPort, as the value of this one.
      if (end < p) out.push(invalid([...path, 'endPort'], p, 'must be greater than or equal to `port`'));
      for (const m of portNumErrors(end)) out.push(invalid([...path, 'endPort'], end, m));
    }
  } else if (typeof p === 'string') {
    if (typeof end === 'number') out.push(invalid([...path, 'endPort'], end, 'may not be specified when `port` is non-numeric'));
    for (const m of portNameErrors(p)) out.push(invalid([...path, 'port'], p, m));
  } else if (p === undefined || p === null) {
    if (typeof end === 'number') out.push(invalid([...path, 'endPort'], end, 'may not be specified when `port` is not specified'));
  }
}

function checkIPBlock(block: unknown, path: FieldPath, out: Finding[]): void {
  if (!isObject(block)) return;
  const cidr = block.cidr;
  if (typeof cidr !== 'string' || cidr === '') {
    // A missing cidr is the schema walk's (a required field); an empty one is upstream's bare Required.
    if (cidr === '') out.push({ ...apiFinding(CODE, [...path, 'cidr'], 'FieldValueRequired', undefined, ''), target: 'key' });
    return;
  }
  const outer = parseCidr(cidr);
  if (!outer) {
    out.push(invalid([...path, 'cidr'], cidr, CIDR_DETAIL));
    return;
  }
  (Array.isArray(block.except) ? block.except : []).forEach((ex, i) => {
    if (typeof ex !== 'string') return;
    const inner = parseCidr(ex);
    if (!inner) {
      out.push(invalid([...path, 'except', i], ex, CIDR_DETAIL));
      return;
    }
    if (!cidrWithin(inner, outer) || inner.prefix <= outer.prefix) out.push(invalid([...path, 'except', i], ex, 'must be a strict subset of `cidr`'));
  });
}

function checkPeer(peer: unknown, path: FieldPath, out: Finding[]): void {
  if (!isObject(peer)) return;
  let peers = 0;
  const present = (v: unknown) => v !== undefined && v !== null;
  if (present(peer.podSelector)) {
    peers++;
    labelSelectorFindings(CODE, peer.podSelector, [...path, 'podSelector'], out);
  }
  if (present(peer.namespaceSelector)) {
    peers++;
    labelSelectorFindings(CODE, peer.namespaceSelector, [...path, 'namespaceSelector'], out);
  }
  if (present(peer.ipBlock)) {
    peers++;
    checkIPBlock(peer.ipBlock, [...path, 'ipBlock'], out);
  }
  if (peers === 0) out.push({ ...apiFinding(CODE, path, 'FieldValueRequired', undefined, 'must specify a peer'), target: 'key' });
  else if (peers > 1 && present(peer.ipBlock)) out.push({ ...apiFinding(CODE, path, 'FieldValueForbidden', undefined, 'may not specify both ipBlock and another peer'), target: 'key' });
}

export const networkPolicyRule: Rule = {
  codes: [CODE],
  kinds: ['NetworkPolicy'],
  check(obj, _ctx, out) {
    const spec = obj.spec;
    if (!isObject(spec)) return;
    labelSelectorFindings(CODE, spec.podSelector, ['spec', 'podSelector'], out);
    for (const [dir, peerKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
      const rules = spec[dir];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        if (!isObject(rule)) return;
        if (Array.isArray(rule.ports)) rule.ports.forEach((p, j) => checkPort(p, ['spec', dir, i, 'ports', j], out));
        const peers = rule[peerKey];
        if (Array.isArray(peers)) peers.forEach((p, k) => checkPeer(p, ['spec', dir, i, peerKey, k], out));
      });
    }
    const types = spec.policyTypes;
    if (!Array.isArray(types)) return;
    if (types.length > 2) {
      const f = invalid(['spec', 'policyTypes'], types, 'may not specify more than two policyTypes');
      f.apiError!.valueText = `[]networking.PolicyType{${types.map((t) => JSON.stringify(String(t))).join(', ')}}`;
      f.target = 'key';
      out.push(f);
      return;
    }
    types.forEach((t, i) => {
      if (typeof t === 'string' && !POLICY_TYPES.includes(t)) out.push(notSupported(['spec', 'policyTypes', i], t, POLICY_TYPES));
    });
  },
};
