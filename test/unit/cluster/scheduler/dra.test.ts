import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { createScheduler } from '../../../../cluster/src/scheduler';
import { Harness, PODS } from '../nodes/harness';

/**
 * The DynamicResources plugin without a DRA driver (kind ships none): a pod whose claim is missing is not tried at
 * all (PreEnqueue: no event, no condition), a claim naming a missing DeviceClass fails PreFilter, and an unallocated
 * claim of an existing class fails every node's Filter with `cannot allocate all claims`.
 */
const CLAIMS = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaims' };
const CLASSES = { group: 'resource.k8s.io', version: 'v1', resource: 'deviceclasses' };
const TAIL = 'no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

function pod(name: string, claimName: string): any {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx', resources: { claims: [{ name: 'gpu' }] } }], resourceClaims: [{ name: 'gpu', resourceClaimName: claimName }] },
  };
}
const claim = (name: string, cls: string): any =>
  ({ apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name }, spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: cls } }] } } });

describe('scheduler: DynamicResources without a driver', () => {
  function harness(): Harness {
    const h = new Harness();
    createNodes(h.ctx, 3).start();
    createScheduler(h.ctx).start();
    h.settle();
    return h;
  }
  const scheduled = (h: Harness, name: string) => h.api.get(PODS, 'default', name).status.conditions?.find((c: any) => c.type === 'PodScheduled');

  it('leaves a pod whose claim does not exist out of scheduling: Pending, no event, no condition', () => {
    const h = harness();
    h.api.create(PODS, 'default', pod('waits', 'nope'));
    h.settle();
    const p = h.api.get(PODS, 'default', 'waits');
    assert.strictEqual(p.spec.nodeName, undefined);
    assert.strictEqual(p.status.phase, 'Pending');
    assert.strictEqual(scheduled(h, 'waits'), undefined);
    assert.deepStrictEqual(h.eventsFor('waits', 'FailedScheduling'), []);
  });

  it('fails PreFilter for a missing device class, then every node once the class exists', () => {
    const h = harness();
    h.api.create(CLAIMS, 'default', claim('gpu', 'gpu.example.com'));
    h.api.create(PODS, 'default', pod('gpu-pod', 'gpu'));
    h.settle();
    assert.strictEqual(scheduled(h, 'gpu-pod')?.message, `0/3 nodes are available: request gpu: device class gpu.example.com does not exist. ${TAIL}`);
    h.api.create(CLASSES, undefined, { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'gpu.example.com' } } as any);
    h.advance(60_000);
    const c = scheduled(h, 'gpu-pod');
    assert.strictEqual(c?.reason, 'Unschedulable');
    assert.strictEqual(c?.message, `0/3 nodes are available: 3 cannot allocate all claims. ${TAIL}`);
    assert.strictEqual(h.api.get(PODS, 'default', 'gpu-pod').spec.nodeName, undefined);
  });

  it('tries a gated pod again when its claim is created', () => {
    const h = harness();
    h.api.create(CLASSES, undefined, { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'c' } } as any);
    h.api.create(PODS, 'default', pod('later', 'late'));
    h.settle();
    assert.strictEqual(scheduled(h, 'later'), undefined);
    h.api.create(CLAIMS, 'default', claim('late', 'c'));
    h.advance(10_000);
    assert.strictEqual(scheduled(h, 'later')?.message, `0/3 nodes are available: 3 cannot allocate all claims. ${TAIL}`);
  });
  it('tries a gated pod again when the claim made from its template is recorded in its status', () => {
    const h = harness();
    h.api.create(CLASSES, undefined, { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'c' } } as any);
    const p = pod('templated', 'unused');
    p.spec.resourceClaims = [{ name: 'gpu', resourceClaimTemplateName: 'tmpl' }];
    h.api.create(PODS, 'default', p);
    h.api.create(CLAIMS, 'default', claim('templated-gpu-abcde', 'c'));
    h.settle();
    assert.strictEqual(scheduled(h, 'templated'), undefined, 'the claim is not the pod\'s until its status names it');
    // What the resource claim controller writes: only the pod's status changes (UpdatePodGeneratedResourceClaim).
    h.api.patch(PODS, 'default', 'templated', 'merge', { status: { resourceClaimStatuses: [{ name: 'gpu', resourceClaimName: 'templated-gpu-abcde' }] } }, undefined, 'status');
    h.advance(10_000);
    assert.strictEqual(scheduled(h, 'templated')?.message, `0/3 nodes are available: 3 cannot allocate all claims. ${TAIL}`);
  });
});
