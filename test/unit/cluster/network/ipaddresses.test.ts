/**
 * MultiCIDRServiceAllocator as kind v1.34 has it: the `kubernetes` ServiceCIDR made from the service range, Ready
 * and protected by its finalizer, and an IPAddress per allocated ClusterIP, made and released with its Service.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';

const CIDRS = { group: 'networking.k8s.io', version: 'v1', resource: 'servicecidrs' };
const IPS = { group: 'networking.k8s.io', version: 'v1', resource: 'ipaddresses' };

describe('ServiceCIDR and IPAddress', () => {
  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
  });
  afterEach(() => pg.close());

  const ip = (name: string) => pg.api.get(IPS, undefined, name) as any;

  it('has the kubernetes ServiceCIDR of the service range, Ready, with the service-cidrs finalizer', () => {
    const c = pg.api.get(CIDRS, undefined, 'kubernetes') as any;
    assert.deepStrictEqual(c.spec, { cidrs: ['10.96.0.0/12'] });
    assert.deepStrictEqual(c.metadata.finalizers, ['networking.k8s.io/service-cidr-finalizer']);
    const ready = c.status.conditions[0];
    assert.deepStrictEqual({ ...ready, lastTransitionTime: undefined }, { type: 'Ready', status: 'True', lastTransitionTime: undefined, reason: '', message: 'Kubernetes Service CIDR is ready' });
  });

  it('holds an IPAddress for each ClusterIP, named by it and parented to its Service, gone with the Service', () => {
    pg.advance(1_000);
    assert.deepStrictEqual(ip('10.96.0.1').spec, { parentRef: { resource: 'services', namespace: 'default', name: 'kubernetes' } });
    assert.deepStrictEqual(ip('10.96.0.1').metadata.labels, { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' });
    assert.strictEqual(ip('10.96.0.10').spec.parentRef.name, 'kube-dns');
    const svc = pg.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as any).object as any;
    pg.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } } as any);
    pg.advance(1_000);
    const mine = ip(svc.spec.clusterIP);
    assert.deepStrictEqual(mine.spec.parentRef, { resource: 'services', namespace: 'default', name: 'web' });
    const held = (pg.api.list(IPS, undefined).items as any[]).filter((o) => o.spec.parentRef.name === 'headless');
    assert.strictEqual(held.length, 0);
    pg.api.delete(R.services, 'default', 'web');
    pg.advance(1_000);
    assert.throws(() => ip(svc.spec.clusterIP), /not found/);
  });

  const cidr = (name: string, cidrs: string[]) =>
    pg.api.create(CIDRS, undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec: { cidrs } } as any).object as any;
  const service = (name: string, spec: Record<string, unknown> = {}) =>
    pg.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } } as any).object as any;
  const ipAddress = (name: string, parentRef: unknown) =>
    pg.api.create(IPS, undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name }, spec: { parentRef } } as any).object as any;
  const readyOf = (name: string) => {
    const c = (pg.api.get(CIDRS, undefined, name) as any).status?.conditions?.find((x: any) => x.type === 'Ready');
    return c && { status: c.status, reason: c.reason, message: c.message };
  };

  // The Extend Service IP Ranges task (kubernetes/website tasks/network/extend-service-ip-ranges.md).
  it('gives a new ServiceCIDR the finalizer and Ready from the service-cidrs controller, and Services addresses from it', () => {
    cidr('newcidr1', ['10.200.0.0/24']);
    pg.advance(1_000);
    const c = pg.api.get(CIDRS, undefined, 'newcidr1') as any;
    assert.deepStrictEqual(c.metadata.finalizers, ['networking.k8s.io/service-cidr-finalizer']);
    assert.deepStrictEqual(readyOf('newcidr1'), { status: 'True', reason: '', message: 'Kubernetes Service CIDR is ready' });
    assert.strictEqual(service('s3', { clusterIP: '10.200.0.5' }).spec.clusterIP, '10.200.0.5');
    // MetaAllocator: an address in no ServiceCIDR, or a range's network or broadcast address.
    assert.throws(() => service('s4', { clusterIP: '10.201.0.5' }),
      /spec\.clusterIPs: Invalid value: \[\]string\{"10\.201\.0\.5"\}: failed to allocate IP 10\.201\.0\.5: the provided network does not match the current range$/);
    assert.throws(() => service('s5', { clusterIP: '10.200.0.255' }),
      /failed to allocate IP 10\.200\.0\.255: the provided IP \(10\.200\.0\.255\) is not in the valid range\. The range of valid IPs is 10\.200\.0\.0\/24$/);
  });

  it('allocates from another ServiceCIDR once the default one is being deleted, which its addresses keep Terminating', () => {
    cidr('newcidr1', ['10.200.0.0/24']);
    pg.advance(1_000);
    pg.api.delete(CIDRS, undefined, 'kubernetes');
    pg.advance(15_000);
    // servicecidrs_controller.go: ServiceCIDRReasonTerminating while 10.96.0.1 and 10.96.0.10 lie in it alone.
    assert.deepStrictEqual(readyOf('kubernetes'), { status: 'False', reason: 'Terminating',
      message: 'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR' });
    assert.ok((pg.api.get(CIDRS, undefined, 'kubernetes') as any).metadata.deletionTimestamp);
    for (let i = 0; i < 5; i++) assert.match(service(`s${i}`).spec.clusterIP, /^10\.200\.0\.\d+$/);
    assert.throws(() => service('late', { clusterIP: '10.96.100.100' }), /the provided network does not match the current range/);
  });

  it('deletes a ServiceCIDR another one contains, 10 s after its deletion began', () => {
    cidr('small', ['10.96.0.0/24']);
    pg.advance(1_000);
    pg.api.delete(CIDRS, undefined, 'small');
    pg.advance(5_000);
    assert.ok(pg.api.get(CIDRS, undefined, 'small'));
    pg.advance(6_000);
    assert.throws(() => pg.api.get(CIDRS, undefined, 'small'), /not found/);
  });

  it('lets a hand-made IPAddress reserve its address: the Service asking for it is refused, dynamic picks skip it', () => {
    pg.advance(1_000);
    ipAddress('10.96.7.7', { resource: 'services', namespace: 'default', name: 'ghost' });
    assert.throws(() => service('s2', { clusterIP: '10.96.7.7' }),
      /Service "s2" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"10\.96\.7\.7"\}: failed to allocate IP 10\.96\.7\.7: provided IP is already allocated$/);
    pg.advance(1_000);
    assert.deepStrictEqual(ip('10.96.7.7').spec.parentRef, { resource: 'services', namespace: 'default', name: 'ghost' });
    // A /30 holds two addresses: one taken by the IPAddress, the other is all a Service can get.
    pg.api.delete(CIDRS, undefined, 'kubernetes');
    cidr('tiny', ['10.210.0.0/30']);
    ipAddress('10.210.0.1', { resource: 'services', namespace: 'default', name: 'ghost' });
    pg.advance(1_000);
    assert.strictEqual(service('a').spec.clusterIP, '10.210.0.2');
    assert.throws(() => service('b'), /failed to allocate a serviceIP: range is full/);
  });

  it('validates ServiceCIDRs as ValidateServiceCIDR and ValidateServiceCIDRUpdate do', () => {
    const refused = (name: string, cidrs: string[] | undefined, msg: string) =>
      assert.throws(() => pg.api.create(CIDRS, undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec: cidrs && { cidrs } } as any),
        (e: any) => { assert.strictEqual(e.message, `ServiceCIDR.networking.k8s.io "${name}" is invalid: ${msg}`); return true; });
    refused('empty', [], 'spec.cidrs: Required value: at least one CIDR required');
    refused('nospec', undefined, 'spec.cidrs: Required value: at least one CIDR required');
    refused('bad', ['foo'], 'spec.cidrs[0]: Invalid value: "foo": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
    refused('host', ['10.1.0.5/24'], 'spec.cidrs[0]: Invalid value: "10.1.0.5/24": must not have bits set beyond the prefix length');
    refused('zeros', ['10.1.0.0/024'], 'spec.cidrs[0]: Invalid value: "10.1.0.0/024": must not have leading 0s in IP or prefix length');
    refused('three', ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24'],
      'spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"}}: may only hold up to 2 values');
    refused('two4', ['10.1.0.0/24', '10.2.0.0/24'],
      'spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.1.0.0/24", "10.2.0.0/24"}}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64');
    refused('v6', ['2001:DB8::/64'], 'spec.cidrs[0]: Invalid value: "2001:DB8::/64": must be in canonical form ("2001:db8::/64")');
    const c = cidr('newcidr1', ['10.200.0.0/24']);
    assert.throws(() => pg.api.update(CIDRS, undefined, { ...c, spec: { cidrs: ['10.201.0.0/24'] } } as any),
      /"newcidr1" is invalid: spec\.cidrs\[0\]: Invalid value: "10\.201\.0\.0\/24": field is immutable$/);
    assert.throws(() => pg.api.update(CIDRS, undefined, { ...c, spec: { cidrs: [] } } as any),
      /"newcidr1" is invalid: \[spec\.cidrs: Required value: at least one CIDR required, spec\.cidrs: Invalid value: \[\]string\{\}: field is immutable\]$/);
    // A single-stack ServiceCIDR may become dual-stack.
    const dual = pg.api.update(CIDRS, undefined, { ...c, spec: { cidrs: ['10.200.0.0/24', 'fd00::/64'] } } as any).object as any;
    assert.deepStrictEqual(dual.spec.cidrs, ['10.200.0.0/24', 'fd00::/64']);
  });

  it('validates IPAddresses as ValidateIPAddress and ValidateIPAddressUpdate do', () => {
    const refused = (name: string, parentRef: unknown, msg: string) =>
      assert.throws(() => ipAddress(name, parentRef), (e: any) => { assert.strictEqual(e.message, `IPAddress.networking.k8s.io "${name}" is invalid: ${msg}`); return true; });
    const ref = { resource: 'services', namespace: 'default', name: 'x' };
    refused('foo', ref, 'metadata.name: Invalid value: "foo": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
    refused('10.96.07.7', ref, 'metadata.name: Invalid value: "10.96.07.7": must not have leading 0s');
    refused('2001:DB8::1', ref, 'metadata.name: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")');
    refused('10.96.7.8', {}, '[spec.parentRef.resource: Required value, spec.parentRef.name: Required value]');
    refused('10.96.7.9', { resource: 'services', name: 'a/b' }, 'spec.parentRef.name: Invalid value: "a/b": may not contain \'/\'');
    const made = ipAddress('10.96.7.7', ref);
    assert.throws(() => pg.api.update(IPS, undefined, { ...made, spec: { parentRef: { ...ref, name: 'other' } } } as any), (e: any) => {
      assert.strictEqual(e.message, 'IPAddress.networking.k8s.io "10.96.7.7" is invalid: spec.parentRef: Invalid value: '
        + 'networking.ParentReference{Group:"", Resource:"services", Namespace:"default", Name:"other"}: field is immutable');
      return true;
    });
  });
});
