import * as assert from 'assert';
import { podMetrics } from '../../../../cluster/src/metrics/usage';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * Pod-level limits hold the containers: one without its own limit runs under the pod's (kuberuntime getCPULimit /
 * getMemoryLimit), the pod-level cgroup caps them together, and memory past it is OOM-killed (KEP-2837's cgroup OOM).
 */
describe('metrics and the OOM killer: pod-level limits', () => {
  const T0 = Date.parse('2026-01-01T00:00:00Z');
  const pod = (resources: any, containers: any[]): KObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { nodeName: 'n1', resources, containers },
    status: { phase: 'Running', containerStatuses: containers.map((c) => ({ name: c.name, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } })) },
  } as KObject);
  const cpu = (env: string) => [{ name: 'KUBEPLAY_CPU', value: env }];
  const milli = (q: string) => (q.endsWith('n') ? Number(q.slice(0, -1)) / 1e6 : q.endsWith('u') ? Number(q.slice(0, -1)) / 1e3 : q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);

  it('throttles a container without its own limit at the pod-level cpu limit, and the containers together at it', () => {
    const one = podMetrics(pod({ limits: { cpu: '500m' } }, [{ name: 'a', image: 'nginx', env: cpu('2') }]), T0 + 31_000)!;
    assert.strictEqual(one.containers[0].usage.cpu, '500m');
    const two = podMetrics(pod({ limits: { cpu: '1' } }, [
      { name: 'a', image: 'nginx', env: cpu('2') },
      { name: 'b', image: 'nginx', env: cpu('2'), resources: { limits: { cpu: '250m' } } },
    ]), T0 + 31_000)!;
    const [a, b] = two.containers.map((c) => milli(c.usage.cpu));
    assert.ok(Math.abs(a + b - 1000) < 1, `${a} + ${b}`);
    assert.ok(b <= 250 && b > 150, `b keeps its own share: ${b}`);
  });

  it('OOM-kills a container without a memory limit that wants more than the pod-level limit', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hog' },
        spec: { resources: { limits: { memory: '100Mi' } },
          containers: [{ name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'] }] },
      } as KObject);
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fits' },
        spec: { resources: { limits: { memory: '300Mi' } },
          containers: [{ name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }] },
      } as KObject);
      pg.advance(20_000);
      const st = pg.api.get(R.pods, 'default', 'hog').status.containerStatuses[0];
      const last = st.lastState.terminated ?? st.state.terminated;
      assert.deepStrictEqual([last.reason, last.exitCode], ['OOMKilled', 137]);
      const ok = pg.api.get(R.pods, 'default', 'fits').status.containerStatuses[0];
      assert.deepStrictEqual([ok.restartCount, !!ok.state.running], [0, true]);
    } finally {
      pg.close();
    }
  });
});
