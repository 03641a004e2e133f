import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { createNetwork, ServiceAllocator, type Network } from '../../../../cluster/src/network';
import { createScheduler } from '../../../../cluster/src/scheduler';
import { SeededRand } from '../../../../cluster/src/runtime/rand';
import { Harness, PODS } from '../nodes/harness';

const SVC = { group: '', version: 'v1', resource: 'services' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const EPS = { group: '', version: 'v1', resource: 'endpoints' };
/** Slices of one Service (the bootstrap `kubernetes` Service has its own). */
const slicesOf = (h: Harness, svc: string) => h.api.list(SLICES, 'default').items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);

function setup(): { h: Harness; net: Network } {
  const h = new Harness();
  const net = createNetwork(h.ctx);
  for (const c of [createNodes(h.ctx, 3), createScheduler(h.ctx), net]) c.start();
  h.settle();
  return { h, net };
}
/** A cluster DNS server as kubeadm sets it up: one CoreDNS pod behind kube-system/kube-dns at 10.96.0.10. */
function startDns(h: Harness): void {
  h.api.create(PODS, 'kube-system', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }] },
  });
  h.api.create(SVC, 'kube-system', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' },
    spec: { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
  });
  h.advance(10_000);
}
function web(h: Harness, n: number, extra: any = {}) {
  for (let i = 0; i < n; i++) {
    h.api.create(PODS, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
    });
  }
}

describe('service allocation', () => {
  it('allocates ClusterIPs in 10.96.0.0/12 and NodePorts in 30000-32767, rejecting duplicates', () => {
    const a = new ServiceAllocator(new SeededRand(7));
    const k8s: any = { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } };
    a.admit(k8s, undefined);
    assert.strictEqual(k8s.spec.clusterIP, '10.96.0.1');
    const s: any = { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] } };
    a.admit(s, undefined);
    const n = s.spec.clusterIP.split('.').map(Number);
    assert.ok(n[0] === 10 && n[1] >= 96 && n[1] <= 111, s.spec.clusterIP);
    assert.deepStrictEqual(s.spec.clusterIPs, [s.spec.clusterIP]);
    assert.ok(s.spec.ports[0].nodePort >= 30086 && s.spec.ports[0].nodePort <= 32767);
    const dup: any = { metadata: { name: 'dup', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] } };
    assert.throws(() => a.admit(dup, undefined), (e: any) => e.status.code === 422 && e.message === 'Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated');
    const port: any = { metadata: { name: 'p', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: s.spec.ports[0].nodePort }] } };
    assert.throws(() => a.admit(port, undefined), /spec.ports\[0\].nodePort: Invalid value: \d+: provided port is already allocated/);
    const headless: any = { metadata: { name: 'h', namespace: 'default' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } };
    a.admit(headless, undefined);
    assert.deepStrictEqual(headless.spec.clusterIPs, ['None']);
    a.release(s);
    const again: any = { metadata: { name: 'again', namespace: 'default' }, spec: { clusterIP: s.spec.clusterIP, ports: [{ port: 80 }] } };
    assert.doesNotThrow(() => a.admit(again, undefined));
  });

  it('checks the cluster IPs before allocating, and fails with those errors alone (initIPFamilyFields)', () => {
    const a = new ServiceAllocator(new SeededRand(7));
    const bad: any = { metadata: { name: 'bad', namespace: 'default' }, spec: { clusterIP: 'abc', ports: [{ port: 80 }] } };
    assert.throws(() => a.admit(bad, undefined), (e: any) => e.status.code === 422
      && e.message === 'Service "bad" is invalid: spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
    const both: any = { metadata: { name: 'both', namespace: 'default' }, spec: { clusterIP: '10.96.0.72', clusterIPs: ['10.96.0.73'], ports: [{ port: 80 }] } };
    assert.throws(() => a.admit(both, undefined), (e: any) => e.message === 'Service "both" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.73"}: first value must match `clusterIP`');
    const fams: any = { metadata: { name: 'fams', namespace: 'default' }, spec: { clusterIPs: ['abc'], ipFamilies: ['IPv4', 'IPv4'], ports: [{ port: 80 }] } };
    assert.throws(() => a.admit(fams, undefined), (e: any) => /spec\.ipFamilies\[1\]: Duplicate value: "IPv4"/.test(e.message) && /spec\.clusterIPs\[0\]: Invalid value: "abc"/.test(e.message)
      && e.message.indexOf('ipFamilies') < e.message.indexOf('clusterIPs[0]'));
  });
});

describe('the cluster DNS address', () => {
  it('keeps 10.96.0.10 for kube-system/kube-dns: no other Service gets it, asked for or not', () => {
    const a = new ServiceAllocator(new SeededRand(3));
    const mine: any = { metadata: { name: 'mine', namespace: 'default' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] } };
    assert.throws(() => a.admit(mine, undefined), (e: any) => e.status.code === 422 && /spec\.clusterIPs: Invalid value: \[\]string\{"10\.96\.0\.10"\}: failed to allocate IP 10\.96\.0\.10: provided IP is already allocated/.test(e.message));
    // Dynamic picks skip it too.
    for (let i = 0; i < 300; i++) {
      const s: any = { metadata: { name: `s${i}`, namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
      a.admit(s, undefined);
      assert.notStrictEqual(s.spec.clusterIP, '10.96.0.10');
    }
    const dns: any = { metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] } };
    a.admit(dns, undefined);
    assert.deepStrictEqual(dns.spec.clusterIPs, ['10.96.0.10']);
  });
});

describe('endpoints, DNS and kube-proxy', () => {
  it('lists ready pods in an EndpointSlice and Endpoints, resolves and routes round-robin to the named target port', () => {
    const { h, net } = setup();
    web(h, 3);
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
    h.settle();
    const svc = h.api.get(SVC, 'default', 'web');
    assert.ok(svc.spec.clusterIP.startsWith('10.'));
    // Not running yet: endpoints exist but are not ready.
    let slice: any = slicesOf(h, 'web')[0];
    // A Service with no endpoints keeps a placeholder slice whose list reads null, as upstream serves it.
    assert.ok(!slice || slice.endpoints === null);
    h.advance(10_000);
    const slices = slicesOf(h, 'web');
    assert.strictEqual(slices.length, 1);
    slice = slices[0];
    assert.match(slice.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.strictEqual(slice.metadata.labels['kubernetes.io/service-name'], 'web');
    assert.strictEqual(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.strictEqual(slice.addressType, 'IPv4');
    assert.deepStrictEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.strictEqual(slice.endpoints.length, 3);
    for (const e of slice.endpoints) {
      assert.deepStrictEqual(e.conditions, { ready: true, serving: true, terminating: false });
      assert.strictEqual(e.targetRef.kind, 'Pod');
      assert.ok(e.nodeName.startsWith('kubeplay-worker'));
    }
    const ep = h.api.get(EPS, 'default', 'web');
    assert.strictEqual(ep.subsets[0].addresses.length, 3);
    assert.deepStrictEqual(ep.subsets[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);

    startDns(h);
    for (const n of ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local', 'web.default.svc.cluster.local.']) {
      assert.deepStrictEqual(net.resolve(n), [svc.spec.clusterIP], n);
    }
    assert.deepStrictEqual(net.resolve('web', 'other'), []);
    assert.deepStrictEqual(net.resolve('web.default', 'other'), [svc.spec.clusterIP]);

    const seen = [1, 2, 3, 4, 5, 6].map(() => net.route(svc.spec.clusterIP, 80)!);
    assert.deepStrictEqual(seen.slice(0, 3).map((r) => r.podName).sort(), ['web-0', 'web-1', 'web-2']);
    assert.deepStrictEqual(seen.slice(3).map((r) => r.podName), seen.slice(0, 3).map((r) => r.podName));
    assert.ok(seen.every((r) => r.port === 8080 && r.podNamespace === 'default'));
    assert.strictEqual(net.route(svc.spec.clusterIP, 81), undefined);

    // A terminating pod leaves the ready set.
    h.api.delete(PODS, 'default', 'web-0');
    h.settle();
    const after = slicesOf(h, 'web')[0].endpoints;
    const gone = after.find((e: any) => e.targetRef.name === 'web-0');
    assert.ok(!gone || gone.conditions.ready === false);
    for (let i = 0; i < 4; i++) assert.notStrictEqual(net.route(svc.spec.clusterIP, 80)!.podName, 'web-0');
  });

  it('answers headless Services with pod IPs and StatefulSet pods by name', () => {
    const { h, net } = setup();
    for (let i = 0; i < 2; i++) {
      h.api.create(PODS, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `db-${i}`, namespace: 'default', labels: { app: 'db' } },
        spec: { hostname: `db-${i}`, subdomain: 'db', containers: [{ name: 'c', image: 'redis:7' }] },
      });
    }
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 6379 }] } });
    h.advance(10_000);
    startDns(h);
    const ips = h.api.list(PODS, 'default').items.map((p) => p.status.podIP).sort();
    assert.deepStrictEqual([...net.resolve('db.default.svc.cluster.local')].sort(), ips);
    const db1 = h.api.get(PODS, 'default', 'db-1').status.podIP;
    assert.deepStrictEqual(net.resolve('db-1.db.default.svc.cluster.local'), [db1]);
    assert.deepStrictEqual(net.resolve('db-1.db'), [db1]);
    assert.strictEqual((slicesOf(h, 'db')[0].metadata.labels as any)['service.kubernetes.io/headless'], '');
    assert.deepStrictEqual(net.resolve(`${db1.replace(/\./g, '-')}.default.pod.cluster.local`), [db1]);
  });

  it('answers names only while kube-system/kube-dns has a ready endpoint', () => {
    const { h, net } = setup();
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    h.settle();
    const ip = h.api.get(SVC, 'default', 'web').spec.clusterIP;
    assert.strictEqual(net.dnsServing(), false);
    assert.deepStrictEqual(net.resolve('web'), [], 'no DNS server yet');
    startDns(h);
    assert.strictEqual(h.api.get(SVC, 'kube-system', 'kube-dns').spec.clusterIP, '10.96.0.10');
    assert.strictEqual(net.dnsServing(), true);
    assert.deepStrictEqual(net.resolve('web'), [ip]);
    assert.deepStrictEqual(net.resolve('kube-dns.kube-system'), ['10.96.0.10']);
    h.api.delete(PODS, 'kube-system', 'coredns');
    h.settle();
    assert.strictEqual(net.dnsServing(), false, 'a terminating server pod is not ready');
    assert.deepStrictEqual(net.resolve('web'), []);
  });

  it('routes NodePort traffic from any node IP', () => {
    const { h, net } = setup();
    web(h, 1);
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    h.advance(10_000);
    const np = h.api.get(SVC, 'default', 'np').spec.ports[0].nodePort;
    assert.ok(np >= 30000 && np <= 32767);
    assert.deepStrictEqual(net.route('172.18.0.3', np), { podNamespace: 'default', podName: 'web-0', ip: h.api.get(PODS, 'default', 'web-0').status.podIP, port: 8080, service: 'default/np' });
  });
});

describe('Endpoints as the endpoints controller writes them', () => {
  it('sorts each subset\'s addresses by IP (RepackSubsets) and leaves an empty label map out', () => {
    const { h } = setup();
    web(h, 6);
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    h.advance(20_000);
    const ep = h.api.get(EPS, 'default', 'web');
    const ips: string[] = ep.subsets[0].addresses.map((a: any) => a.ip);
    assert.strictEqual(ips.length, 6);
    assert.deepStrictEqual(ips, [...ips].sort());
    assert.strictEqual(ep.metadata.labels, undefined);
  });
});

describe('endpoint conditions, zones and hints (podToEndpoint, trafficdist)', () => {
  it('publishNotReadyAddresses forces `ready` only: `serving` stays the pod\'s readiness', () => {
    const { h } = setup();
    web(h, 1, { containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { exec: { command: ['false'] } } }] });
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { publishNotReadyAddresses: true, selector: { app: 'web' }, ports: [{ port: 80 }] } });
    h.advance(30_000);
    const ep = slicesOf(h, 'web')[0].endpoints[0];
    assert.deepStrictEqual(ep.conditions, { ready: true, serving: false, terminating: false });
  });

  it('an endpoint carries its node\'s zone, and PreferClose / PreferSameNode give ready endpoints hints', () => {
    const { h } = setup();
    for (const [n, z] of [['kubeplay-worker', 'z1'], ['kubeplay-worker2', 'z2'], ['kubeplay-worker3', 'z1']]) {
      h.api.patch({ group: '', version: 'v1', resource: 'nodes' }, undefined, n, 'merge', { metadata: { labels: { 'topology.kubernetes.io/zone': z } } });
    }
    web(h, 3);
    const svc = (name: string, trafficDistribution?: string) => h.api.create(SVC, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...(trafficDistribution ? { trafficDistribution } : {}) },
    });
    svc('plain');
    svc('close', 'PreferClose');
    svc('node', 'PreferSameNode');
    h.advance(30_000);
    const zoneOf: Record<string, string> = { 'kubeplay-worker': 'z1', 'kubeplay-worker2': 'z2', 'kubeplay-worker3': 'z1' };
    const eps = (name: string) => slicesOf(h, name)[0].endpoints;
    assert.strictEqual(eps('plain').length, 3);
    for (const e of eps('plain')) {
      assert.strictEqual(e.zone, zoneOf[e.nodeName]);
      assert.strictEqual(e.hints, undefined);
    }
    for (const e of eps('close')) assert.deepStrictEqual(e.hints, { forZones: [{ name: zoneOf[e.nodeName] }] });
    for (const e of eps('node')) assert.deepStrictEqual(e.hints, { forZones: [{ name: zoneOf[e.nodeName] }], forNodes: [{ name: e.nodeName }] });
  });
});

describe('kube-proxy\'s endpoint choice by where the connection enters (CategorizeEndpoints)', () => {
  function zoned() {
    const { h, net } = setup();
    for (const [n, z] of [['kubeplay-worker', 'z1'], ['kubeplay-worker2', 'z2'], ['kubeplay-worker3', 'z1']]) {
      h.api.patch({ group: '', version: 'v1', resource: 'nodes' }, undefined, n, 'merge', { metadata: { labels: { 'topology.kubernetes.io/zone': z } } });
    }
    // Two replicas, on kubeplay-worker and kubeplay-worker2; none on kubeplay-worker3.
    web(h, 1, { nodeName: 'kubeplay-worker' });
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-b', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'kubeplay-worker2', containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] } });
    return { h, net };
  }
  /** The Service once the network has given it its address (this harness has no admission plugin). */
  const svc = (h: Harness, name: string, spec: any) => {
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }], ...spec } });
    h.settle();
    return h.api.get(SVC, 'default', name);
  };
  const nodeIP = (h: Harness, n: string) => h.api.get({ group: '', version: 'v1', resource: 'nodes' }, undefined, n).status.addresses.find((a: any) => a.type === 'InternalIP').address;

  it('internalTrafficPolicy Local: a pod reaches its own node\'s endpoint, and is dropped on a node without one', () => {
    const { h, net } = zoned();
    const ip = svc(h, 'local', { internalTrafficPolicy: 'Local' }).spec.clusterIP;
    h.advance(30_000);
    for (let i = 0; i < 4; i++) assert.strictEqual(net.route(ip, 80, 'TCP', { node: 'kubeplay-worker2', fromPod: true })!.podName, 'web-b');
    assert.strictEqual(net.route(ip, 80, 'TCP', { node: 'kubeplay-worker3', fromPod: true })!.dropped, true);
    // Without a known source (the tree view's question) every endpoint serves.
    assert.deepStrictEqual(new Set([0, 1, 2, 3].map(() => net.route(ip, 80)!.podName)), new Set(['web-0', 'web-b']));
  });

  it('externalTrafficPolicy Local: a NodePort serves only from the node dialled; a pod\'s own traffic keeps the cluster policy', () => {
    const { h, net } = zoned();
    const port = svc(h, 'ext', { type: 'NodePort', externalTrafficPolicy: 'Local' }).spec.ports[0].nodePort;
    h.advance(30_000);
    assert.strictEqual(net.route(nodeIP(h, 'kubeplay-worker'), port)!.podName, 'web-0');
    assert.strictEqual(net.route(nodeIP(h, 'kubeplay-worker3'), port)!.dropped, true);
    assert.ok(!net.route(nodeIP(h, 'kubeplay-worker3'), port, 'TCP', { node: 'kubeplay-worker3', fromPod: true })!.dropped);
  });

  it('trafficDistribution PreferClose keeps a connection in its zone when the zone has an endpoint, else anywhere', () => {
    const { h, net } = zoned();
    const ip = svc(h, 'close', { trafficDistribution: 'PreferClose' }).spec.clusterIP;
    h.advance(30_000);
    for (let i = 0; i < 4; i++) assert.strictEqual(net.route(ip, 80, 'TCP', { node: 'kubeplay-worker3', fromPod: true })!.podName, 'web-0', 'z1 has web-0');
    for (let i = 0; i < 4; i++) assert.strictEqual(net.route(ip, 80, 'TCP', { node: 'kubeplay-worker2', fromPod: true })!.podName, 'web-b', 'z2 has web-b');
    const same = svc(h, 'same', { trafficDistribution: 'PreferSameNode' }).spec.clusterIP;
    h.advance(5_000);
    // kubeplay-worker3 has no endpoint of its own: the zone's.
    for (let i = 0; i < 4; i++) assert.strictEqual(net.route(same, 80, 'TCP', { node: 'kubeplay-worker3', fromPod: true })!.podName, 'web-0');
    for (let i = 0; i < 4; i++) assert.strictEqual(net.route(same, 80, 'TCP', { node: 'kubeplay-worker2', fromPod: true })!.podName, 'web-b');
  });
});

describe('health check node ports (LoadBalancer, externalTrafficPolicy Local)', () => {
  it('are allocated, kept across updates, refused when taken, and dropped with the need for them', () => {
    const a = new ServiceAllocator(new SeededRand(5));
    const lb = (name: string, extra: any = {}): any => ({ metadata: { name, namespace: 'default' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80, protocol: 'TCP' }], ...extra } });
    const first = lb('first');
    a.admit(first, undefined);
    const hc = first.spec.healthCheckNodePort;
    assert.ok(hc >= 30000 && hc <= 32767 && hc !== first.spec.ports[0].nodePort, String(hc));
    assert.throws(() => a.admit(lb('second', { healthCheckNodePort: hc }), undefined), (e: any) => e.status.code === 500 && e.status.reason === 'InternalError'
      && e.message === `Internal error occurred: failed to allocate requested HealthCheck NodePort ${hc}: provided port is already allocated`);
    // An update that leaves the field out keeps the port.
    const upd = lb('first', { ports: [{ port: 81, protocol: 'TCP' }] });
    a.admit(upd, first);
    assert.strictEqual(upd.spec.healthCheckNodePort, hc);
    // Cluster policy no longer needs it: the field goes and the port is free again.
    const cluster = lb('first', { externalTrafficPolicy: 'Cluster', healthCheckNodePort: hc });
    a.admit(cluster, upd);
    assert.strictEqual(cluster.spec.healthCheckNodePort, undefined);
    const third = lb('third', { healthCheckNodePort: hc });
    assert.doesNotThrow(() => a.admit(third, undefined));
    // ClusterIP and NodePort Services get none.
    const np: any = { metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } };
    a.admit(np, undefined);
    assert.strictEqual(np.spec.healthCheckNodePort, undefined);
  });
});

describe('a Service changing type', () => {
  it('drops what the old type needed and the update left as it was (dropTypeDependentFields): NodePort to ClusterIP, LoadBalancer to NodePort', () => {
    const { h } = setup();
    const lb = h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }] } }).object;
    assert.deepStrictEqual([lb.spec.externalTrafficPolicy, lb.spec.allocateLoadBalancerNodePorts], ['Cluster', true]);
    // What kubectl apply sends after the type changes: the live object with the new type.
    const asNodePort = h.api.update(SVC, 'default', { ...lb, spec: { ...lb.spec, type: 'NodePort' } }).object;
    assert.strictEqual(asNodePort.spec.allocateLoadBalancerNodePorts, undefined);
    assert.strictEqual(asNodePort.spec.ports[0].nodePort, lb.spec.ports[0].nodePort, 'NodePort still needs the node port');
    const asClusterIP = h.api.update(SVC, 'default', { ...asNodePort, spec: { ...asNodePort.spec, type: 'ClusterIP' } }).object;
    assert.strictEqual(asClusterIP.spec.externalTrafficPolicy, undefined);
    assert.strictEqual(asClusterIP.spec.ports[0].nodePort, undefined);
    assert.strictEqual(asClusterIP.spec.clusterIP, lb.spec.clusterIP);
    // The status subresource takes a load balancer's address (what MetalLB or cloud-provider-kind write) and keeps the spec.
    const lb2 = h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge2', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }] } }).object;
    const st = h.api.patch(SVC, 'default', 'edge2', 'merge', { status: { loadBalancer: { ingress: [{ ip: '203.0.113.50' }] } } }, undefined, 'status').object;
    assert.deepStrictEqual(st.status.loadBalancer.ingress, [{ ip: '203.0.113.50' }]);
    assert.deepStrictEqual([st.spec.clusterIP, st.spec.ports[0].nodePort], [lb2.spec.clusterIP, lb2.spec.ports[0].nodePort]);
    // A value the user writes with the new type is theirs, and refused as upstream refuses it.
    assert.throws(() => h.api.update(SVC, 'default', { ...asClusterIP, spec: { ...asClusterIP.spec, externalTrafficPolicy: 'Local' } }),
      (e: any) => /spec\.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services/.test(e.status.message));
  });
});

describe('Services without a selector', () => {
  it('keep the Endpoints someone else writes (the apiserver\'s `kubernetes`, a user\'s), mirrored into slices, which go only with the Service', () => {
    const { h, net } = setup();
    h.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external-db', namespace: 'default' }, spec: { ports: [{ port: 5432 }] } });
    h.api.create(EPS, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] });
    h.advance(5_000);
    assert.deepStrictEqual(h.api.get(EPS, 'default', 'kubernetes').subsets, [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    assert.strictEqual(h.api.get(EPS, 'default', 'external-db').subsets[0].addresses[0].ip, '192.0.2.10');
    // The mirroring controller copies them into a slice of its own; the apiserver's `kubernetes` Endpoints skip it.
    const mirrored = slicesOf(h, 'external-db');
    assert.strictEqual(mirrored.length, 1);
    assert.strictEqual(mirrored[0].metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.match(mirrored[0].metadata.name!, /^external-db-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepStrictEqual(mirrored[0].metadata.ownerReferences!.map((o: any) => [o.kind, o.name]), [['Endpoints', 'external-db']]);
    assert.deepStrictEqual([mirrored[0].endpoints, mirrored[0].ports], [[{ addresses: ['192.0.2.10'], conditions: { ready: true } }], [{ port: 5432, protocol: 'TCP' }]]);
    assert.deepStrictEqual(slicesOf(h, 'kubernetes').map((s) => s.metadata.name), ['kubernetes']);
    // So kube-proxy routes the Service to the address written by hand.
    const ip = h.api.get(SVC, 'default', 'external-db').spec.clusterIP;
    assert.deepStrictEqual(net.route(ip, 5432), { podNamespace: 'default', podName: '', ip: '192.0.2.10', port: 5432, service: 'default/external-db' });
    h.api.delete(SVC, 'default', 'external-db');
    h.advance(5_000);
    assert.throws(() => h.api.get(EPS, 'default', 'external-db'), /not found/);
    assert.deepStrictEqual(slicesOf(h, 'external-db'), [], 'the mirrored slice goes with the Service');
  });
});
