import * as assert from 'assert';
import { podRequests } from '../../../../cluster/src/scheduler/resources';

const ctr = (name: string, cpu?: string, memory?: string, sidecar = false): any => ({
  name, image: 'x', ...(sidecar ? { restartPolicy: 'Always' } : {}),
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
});
const pod = (containers: any[], initContainers: any[] = []): any => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, initContainers } });

describe('pod requests (resourcehelper.PodRequests)', () => {
  it('adds sidecars to the regular containers, and takes the busiest moment of initialization when it is more', () => {
    // Regular 100m + sidecars 50m + 50m = 200m while running; during init, the regular init container (300m)
    // runs next to the first sidecar: 350m, which wins.
    const p = pod([ctr('app', '100m', '64Mi')], [ctr('proxy', '50m', '32Mi', true), ctr('setup', '300m', '16Mi'), ctr('log', '50m', '32Mi', true)]);
    const r = podRequests(p);
    assert.strictEqual(r.milliCpu, 350);
    assert.strictEqual(r.memory, (64 + 32 + 32) * 1024 * 1024, 'running: 64Mi + both sidecars beats 16Mi + 32Mi during init');
  });

  it('keeps the classic rule without sidecars: the larger of the containers\' sum and the largest init container', () => {
    assert.strictEqual(podRequests(pod([ctr('a', '100m'), ctr('b', '100m')], [ctr('i', '500m')])).milliCpu, 500);
    assert.strictEqual(podRequests(pod([ctr('a', '100m'), ctr('b', '100m')], [ctr('i', '150m')])).milliCpu, 200);
  });

  it('gives containers that request nothing the scoring defaults (100m, 200Mi), sidecars included', () => {
    const r = podRequests(pod([ctr('a')], [ctr('proxy', undefined, undefined, true)]));
    assert.strictEqual(r.milliCpu, 0);
    assert.strictEqual(r.nonZeroMilliCpu, 200);
    assert.strictEqual(r.nonZeroMemory, 400 * 1024 * 1024);
  });

  it('adds the pod overhead to both, as calculateResource does', () => {
    const p = pod([ctr('a')]);
    p.spec.overhead = { cpu: '250m', memory: '120Mi' };
    const r = podRequests(p);
    assert.deepStrictEqual([r.milliCpu, r.nonZeroMilliCpu, r.memory, r.nonZeroMemory], [250, 350, 120 * 1048576, 320 * 1048576]);
  });

  it('aggregates ephemeral-storage and scalar resources the same way, and leaves them out for a cpu/memory pod', () => {
    const c = (name: string, requests: any, sidecar = false): any => ({ name, image: 'x', ...(sidecar ? { restartPolicy: 'Always' } : {}), resources: { requests } });
    const p = pod([c('a', { 'nvidia.com/gpu': '1', 'ephemeral-storage': '1Gi' }), c('b', { 'nvidia.com/gpu': '1', 'hugepages-2Mi': '4Mi', memory: '1Gi' })],
      [c('init', { 'nvidia.com/gpu': '4' }), c('proxy', { 'ephemeral-storage': '500Mi' }, true)]);
    p.spec.overhead = { 'ephemeral-storage': '12Mi' };
    const r = podRequests(p);
    assert.deepStrictEqual(r.scalar, { 'nvidia.com/gpu': 4, 'hugepages-2Mi': 4 * 1048576 });
    assert.strictEqual(r.ephemeral, (1024 + 500 + 12) * 1048576);
    const plain = podRequests(pod([ctr('a', '100m', '64Mi')]));
    assert.deepStrictEqual([plain.ephemeral, plain.scalar], [0, undefined]);
  });
});
