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
});
