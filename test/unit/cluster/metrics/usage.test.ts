import * as assert from 'assert';
import { containerUsage, formatBytes, formatNanoCores, nodeMetrics, podMetrics, stressDemand } from '../../../../cluster/src/metrics/usage';
import type { KObject } from '../../../../cluster/src/contract';

/** The simulated resource metrics pipeline (docs/images.md): what metrics-server would serve. */
describe('metrics: container usage and metrics.k8s.io objects', () => {
  const T0 = Date.parse('2026-01-01T00:00:00Z');
  const pod = (containers: any[], startedAt = '2026-01-01T00:00:00Z'): KObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers },
    status: { phase: 'Running', containerStatuses: containers.map((c) => ({ name: c.name, state: { running: { startedAt } } })) },
  } as KObject);

  it('prints quantities as resource.Quantity canonicalises them', () => {
    assert.deepStrictEqual([formatNanoCores(0.25), formatNanoCores(0.0015), formatNanoCores(0.001234567), formatNanoCores(2), formatNanoCores(0)], ['250m', '1500u', '1234567n', '2', '0']);
    assert.deepStrictEqual([formatBytes(4 * 1024 * 1024), formatBytes(3120 * 1024), formatBytes(1000), formatBytes(2 * 1024 ** 3)], ['4Mi', '3120Ki', '1000', '2Gi']);
  });

  it('follows KUBEPLAY_CPU and KUBEPLAY_MEMORY within a few percent, throttled at the limits, idle otherwise', () => {
    const loaded = containerUsage({ name: 'c', image: 'nginx', env: [{ name: 'KUBEPLAY_CPU', value: '400m' }, { name: 'KUBEPLAY_MEMORY', value: '64Mi' }] }, 'seed');
    assert.ok(Math.abs(loaded.cpu - 0.4) <= 0.02, String(loaded.cpu));
    assert.ok(Math.abs(loaded.memory - 64 * 1024 * 1024) <= 0.02 * 64 * 1024 * 1024);
    assert.strictEqual(loaded.memory % 4096, 0, 'whole pages');
    const capped = containerUsage({ name: 'c', image: 'nginx', env: [{ name: 'KUBEPLAY_CPU', value: '2' }], resources: { limits: { cpu: '500m', memory: '1Mi' } } }, 'seed');
    assert.strictEqual(capped.cpu, 0.5);
    assert.ok(capped.memory <= 1024 * 1024);
    assert.ok(containerUsage({ name: 'c', image: 'busybox:1.36' }, 's').cpu === 0);
    assert.deepStrictEqual(containerUsage({ name: 'c', image: 'nginx' }, 'same'), containerUsage({ name: 'c', image: 'nginx' }, 'same'), 'deterministic');
  });

  it("has the control plane's components at rest as an idle kind cluster shows them: the API server first by far", () => {
    const MI = 1024 * 1024;
    const expected: Array<[string, number, number]> = [
      ['registry.k8s.io/kube-apiserver:v1.34.0', 0.040, 320 * MI],
      ['registry.k8s.io/etcd:3.6.4-0', 0.025, 30 * MI],
      ['registry.k8s.io/kube-controller-manager:v1.34.0', 0.018, 48 * MI],
      ['registry.k8s.io/kube-scheduler:v1.34.0', 0.004, 21 * MI],
      ['registry.k8s.io/kube-proxy:v1.34.0', 0.001, 12 * MI],
      ['docker.io/kindest/kindnetd:v20250512-df8de77b', 0.001, 7 * MI],
    ];
    for (const [image, cpu, memory] of expected) {
      const u = containerUsage({ name: 'c', image }, 'idle');
      assert.ok(Math.abs(u.cpu - cpu) <= 0.1 * cpu && Math.abs(u.memory - memory) <= 0.05 * memory, `${image}: ${JSON.stringify(u)}`);
    }
  });

  it('has a pod\'s metrics from two scrapes, or from the first one 10 s or more after it started, stamped with the last scrape', () => {
    const p = pod([{ name: 'web', image: 'nginx', env: [{ name: 'KUBEPLAY_CPU', value: '100m' }] }], '2026-01-01T00:00:07Z');
    assert.strictEqual(podMetrics(p, T0 + 25_000), undefined, 'the scrape at 15 s came 8 s after it started');
    const m = podMetrics(p, T0 + 31_000)!;
    assert.strictEqual(m.timestamp, '2026-01-01T00:00:30Z');
    assert.strictEqual(m.window, '15s');
    // A container that started 11 s before a scrape is measured from its start (metrics-server's fresh-container rule).
    assert.strictEqual(podMetrics(pod([{ name: 'web', image: 'nginx' }], '2026-01-01T00:00:04Z'), T0 + 16_000)!.window, '11s');
    assert.deepStrictEqual(m.metadata.labels, { app: 'web' });
    assert.match(m.containers[0].usage.cpu, /^\d+n$|^\d+m$/);
    assert.strictEqual(podMetrics({ ...p, status: { ...p.status, phase: 'Pending' } } as KObject, T0 + 60_000), undefined);
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as KObject;
    const nm = nodeMetrics(node, [p], T0 + 31_000)!;
    assert.strictEqual(nm.kind, 'NodeMetrics');
    assert.strictEqual(nodeMetrics({ ...node, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } } as KObject, [p], T0 + 31_000), undefined, 'a NotReady node is not scraped');
  });
});

describe('metrics: the documentation\'s stress examples, and the OOM killer', () => {
  it('reads stress and vish/stress arguments as the demand they create', () => {
    assert.deepStrictEqual(stressDemand({ image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }), { memory: 150 * 1024 * 1024 });
    assert.deepStrictEqual(stressDemand({ image: 'vish/stress', args: ['-cpus', '2'] }), { cpu: 2 });
    assert.deepStrictEqual(stressDemand({ image: 'nginx', args: ['-cpus', '2'] }), {});
    // CPU beyond the limit is throttled: cpu-demo asks for 2 cores under a 1-core limit.
    assert.strictEqual(containerUsage({ name: 'c', image: 'vish/stress', args: ['-cpus', '2'], resources: { limits: { cpu: '1' } } }, 's').cpu, 1);
  });
});
