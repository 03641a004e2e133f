import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';

/** ValidateNetworkPolicy (v1.32) in upstream's words and order, shared by the editor and the apiserver. */
const schema = getSchema();
const errors = (spec: any) => apiErrors(validateObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec }, schema, { kubernetesVersion: '1.32' }), 'NetworkPolicy').map(fieldErrorString);

describe('rules/networkPolicy', () => {
  it('accepts the upstream examples, host bits and leading zeros in a CIDR included (1.32 parses leniently)', () => {
    assert.deepStrictEqual(errors({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), []);
    assert.deepStrictEqual(errors({ podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
      { namespaceSelector: { matchLabels: { project: 'myproject' } }, podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.5/24' } }], ports: [{ port: 32000, endPort: 32768 }] }, {}] }), []);
    assert.deepStrictEqual(errors({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '010.0.0.0/8' } }] }] }), []);
    // Duplicates are not checked.
    assert.deepStrictEqual(errors({ podSelector: {}, policyTypes: ['Egress', 'Egress'] }), []);
  });

  it('ports: protocol, range, endPort rules (the 1.32 message prints port for endPort < port), named ports', () => {
    assert.deepStrictEqual(errors({ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 0 }, { port: 32000, endPort: 100 }, { port: 'http', endPort: 90 }, { endPort: 90 }, { port: 'Web_Port' }] }] }), [
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[1].endPort: Invalid value: 32000: must be greater than or equal to `port`',
      'spec.ingress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
      'spec.ingress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      'spec.ingress[0].ports[4].port: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });

  it('peers: one of them, ipBlock alone, valid CIDRs with strict subsets; ports before peers, the count after the parts', () => {
    assert.deepStrictEqual(errors({ podSelector: {}, egress: [{ to: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16', '10.1.0.0/24', 'x', '10.0.1.0/24'] }, podSelector: {} }, { ipBlock: { cidr: '10.0.0.1' } }], ports: [{ protocol: 'udp' }] }] }), [
      'spec.egress[0].ports[0].protocol: Unsupported value: "udp": supported values: "TCP", "UDP", "SCTP"',
      'spec.egress[0].to[0]: Required value: must specify a peer',
      'spec.egress[0].to[1].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
      'spec.egress[0].to[1].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
      'spec.egress[0].to[1].ipBlock.except[2]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'spec.egress[0].to[1]: Forbidden: may not specify both ipBlock and another peer',
      'spec.egress[0].to[2].ipBlock.cidr: Invalid value: "10.0.0.1": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    assert.deepStrictEqual(errors({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '' } }] }] }), ['spec.ingress[0].from[0].ipBlock.cidr: Required value']);
  });

  it('label selectors as ValidateLabelSelector checks them, and policyTypes', () => {
    assert.deepStrictEqual(errors({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Equals', values: ['y'] }] } }), [
      "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.podSelector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector operator',
    ]);
    assert.deepStrictEqual(errors({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a b' } } }] }] }), [
      "spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    assert.deepStrictEqual(errors({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }), ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes']);
    assert.deepStrictEqual(errors({ podSelector: {}, policyTypes: ['ingress'] }), ['spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"']);
  });
});
