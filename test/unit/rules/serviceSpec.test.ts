import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { setup } from '../server/harness';
import { textAt } from '../validate/helpers';

/**
 * ValidateService's checks over the whole port list: ports required, no
 * nodePort on a ClusterIP Service, no duplicate (protocol, nodePort) or
 * (protocol, port), reported after spec.type as upstream appends them.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const svc = (spec: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });
const DUP80 = 'core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}';

describe('rules/serviceSpec: checks across a Service\'s ports', () => {
  it('a second port with the same protocol and port is a Duplicate of the whole port, printed as upstream\'s key struct', () => {
    assert.deepStrictEqual(errors(svc({ ports: [{ name: 'http', port: 80 }, { name: 'alt', port: 80, protocol: 'TCP', targetPort: 8080 }] })),
      [`spec.ports[1]: Duplicate value: ${DUP80}`]);
    // Another protocol on the same number is a different port.
    assert.deepStrictEqual(errors(svc({ ports: [{ name: 'dns', port: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }] })), []);
  });

  it('nodePort on a ClusterIP Service (also when type is left to its default) is forbidden, port by port', () => {
    const expect = ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"];
    assert.deepStrictEqual(errors(svc({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] })), expect);
    assert.deepStrictEqual(errors(svc({ ports: [{ port: 80, nodePort: 30080 }] })), expect);
    assert.deepStrictEqual(errors(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), []);
  });

  it('duplicate nodePorts, then duplicate ports, after the per-port name and range checks', () => {
    const errs = errors(svc({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'a', port: 80, nodePort: 30080, targetPort: 70000 }] }));
    assert.deepStrictEqual(errs, [
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[1].nodePort: Duplicate value: 30080',
      `spec.ports[1]: Duplicate value: ${DUP80}`,
    ]);
  });

  it('ports are required unless the Service is headless or ExternalName', () => {
    assert.deepStrictEqual(errors(svc({ selector: { app: 'web' } })), ['spec.ports: Required value']);
    assert.deepStrictEqual(errors(svc({ ports: [] })), ['spec.ports: Required value']);
    assert.deepStrictEqual(errors(svc({ clusterIP: 'None', selector: { app: 'db' } })), []);
    assert.deepStrictEqual(errors(svc({ type: 'ExternalName', externalName: 'db.example.com' })), []);
  });

  it('the editor marks the nodePort key and the duplicate port number', () => {
    const { model, ctx } = setup('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: a\n    port: 80\n    nodePort: 30080\n'
      + '  - name: b\n    port: 80\n|');
    const ds = computeDiagnostics(model, ctx).map((d) => [String(d.code), textAt(model.text, d.range)]);
    assert.deepStrictEqual(ds, [['node-port-cluster-ip', 'nodePort'], ['duplicate-service-port', '80']]);
  });
});

describe('rules/serviceFields: fields tied to the Service type and to each other (ValidateService)', () => {
  const P = [{ port: 80 }];
  it('externalTrafficPolicy only where the Service is reachable from outside', () => {
    assert.deepStrictEqual(errors(svc({ ports: P, externalTrafficPolicy: 'Local' })),
      ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
    assert.deepStrictEqual(errors(svc({ type: 'NodePort', ports: P, externalTrafficPolicy: 'Local' })), []);
    assert.deepStrictEqual(errors(svc({ ports: P, externalIPs: ['192.0.2.10'], externalTrafficPolicy: 'Local' })), []);
  });

  it('sessionAffinityConfig only with ClientIP, and a timeout within a day', () => {
    assert.deepStrictEqual(errors(svc({ ports: P, sessionAffinityConfig: { clientIP: { timeoutSeconds: 100 } } })),
      ['spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None']);
    assert.deepStrictEqual(errors(svc({ ports: P, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } })),
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400']);
    assert.deepStrictEqual(errors(svc({ ports: P, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } })), []);
  });

  it('an ExternalName is a DNS subdomain (one trailing dot allowed) and has no cluster IP or IP families', () => {
    assert.deepStrictEqual(errors(svc({ type: 'ExternalName', externalName: 'db.example.com.' })), []);
    const [bad] = errors(svc({ type: 'ExternalName', externalName: 'https://db.example.com/' }));
    assert.match(bad, /^spec\.externalName: Invalid value: "https:\/\/db\.example\.com\/": a lowercase RFC 1123 subdomain must consist of/);
    assert.deepStrictEqual(errors(svc({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.50', ipFamilyPolicy: 'SingleStack' })), [
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ]);
  });

  it('the selector holds labels; LoadBalancer-only fields and healthCheckNodePort stay with their type', () => {
    const [sel] = errors(svc({ ports: P, selector: { app: 'my app' } }));
    assert.match(sel, /^spec\.selector: Invalid value: "my app": a valid label must be an empty string or consist of alphanumeric characters/);
    assert.deepStrictEqual(errors(svc({ ports: P, loadBalancerSourceRanges: ['10.0.0.0/33'] })), [
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
      'spec.LoadBalancerSourceRanges: Invalid value: "[10.0.0.0/33]": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ',
    ]);
    assert.deepStrictEqual(errors(svc({ ports: P, allocateLoadBalancerNodePorts: false })),
      ["spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
    assert.deepStrictEqual(errors(svc({ type: 'LoadBalancer', ports: P, healthCheckNodePort: 30001 })),
      ["spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"]);
    assert.deepStrictEqual(errors(svc({ type: 'LoadBalancer', ports: P, externalTrafficPolicy: 'Local', healthCheckNodePort: 30001, loadBalancerSourceRanges: ['10.0.0.0/8'] })), []);
  });

  it('cluster IPs and external IPs are addresses, external ones outside the special ranges; appProtocol is a qualified name', () => {
    const BAD_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIP: '10.0.0.300' })), [`spec.clusterIPs[0]: Invalid value: "10.0.0.300": ${BAD_IP}`]);
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIP: 'None' })), []);
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIPs: ['10.96.0.20', 'fd00::zz'] })), [`spec.clusterIPs[1]: Invalid value: "fd00::zz": ${BAD_IP}`]);
    // Leading zeros pass while StrictIPCIDRValidation is off (1.34's default).
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIP: '10.096.0.020' })), []);
    assert.deepStrictEqual(errors(svc({ ports: P, externalIPs: ['abc', '0.0.0.0', '127.0.0.1', '169.254.169.254', '224.0.0.5', '::1', 'fe80::1', '203.0.113.7'] })), [
      `spec.externalIPs[0]: Invalid value: "abc": ${BAD_IP}`,
      'spec.externalIPs[1]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      'spec.externalIPs[2]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[3]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'spec.externalIPs[4]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      'spec.externalIPs[5]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[6]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
    // Dual stack: one IP per family, at most two, None alone, each IP of the family ipFamilies names.
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIPs: ['10.96.0.20', '10.96.0.21'] })),
      ['spec.clusterIPs: Invalid value: []string{"10.96.0.20", "10.96.0.21"}: may specify no more than one IP for each IP family']);
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIPs: ['None', '10.96.0.21'] })),
      ['spec.clusterIPs: Invalid value: []string{"None", "10.96.0.21"}: \'None\' must be the first and only value']);
    // Both families are there, so IsDualStackIPStrings passes: only the count is wrong.
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIPs: ['10.96.0.20', 'fd00::20', '10.96.0.22'] })), [
      'spec.clusterIPs: Invalid value: []string{"10.96.0.20", "fd00::20", "10.96.0.22"}: may only hold up to 2 values',
    ]);
    assert.deepStrictEqual(errors(svc({ ports: P, clusterIP: 'fd00::20', ipFamilies: ['IPv4'] })),
      ['spec.clusterIPs[0]: Invalid value: "fd00::20": expected an IPv4 value as indicated by `ipFamilies[0]`']);
    assert.deepStrictEqual(errors(svc({ ports: P, ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv4'] })), ['spec.ipFamilies[1]: Duplicate value: "IPv4"']);
    assert.deepStrictEqual(errors(svc({ ports: P, ipFamilies: ['IPv5'] })), ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"']);
    assert.deepStrictEqual(errors(svc({ ports: P, ipFamilyPolicy: 'RequireDualStack', clusterIPs: ['10.96.0.20', 'fd00::20'], ipFamilies: ['IPv4', 'IPv6'] })), []);
    const [ap] = errors(svc({ ports: [{ port: 80, appProtocol: 'http 2' }] }));
    assert.match(ap, /^spec\.ports\[0\]\.appProtocol: Invalid value: "http 2": name part must consist of alphanumeric characters/);
    assert.deepStrictEqual(errors(svc({ ports: [{ name: 'h', port: 80, appProtocol: 'kubernetes.io/h2c' }, { name: 'g', port: 81, appProtocol: 'grpc' }] })), []);
    // The editor marks clusterIP itself, where the author wrote it.
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 10.0.0.300\n  ports:\n  - port: 80\n';
    const { model, ctx } = setup(text);
    const d = computeDiagnostics(model, ctx).find((x) => x.code === 'service-ip')!;
    assert.strictEqual(textAt(text, d.range), '10.0.0.300');
  });
});
