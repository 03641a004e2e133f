import * as assert from 'assert';
import { describePod, qosClass } from '../../../client/src/model/describe/pod';
import { describeNode } from '../../../client/src/model/describe/node';

/**
 * kubectl describe with pod-level spec.resources: describe pod prints them above the containers (describeResources);
 * describe node, up to kubectl 1.35, counts only the containers (kubectl's own PodRequestsAndLimits; kubernetes/kubectl#1807,
 * fixed by kubernetes#137394 in 1.36), so a pod-level-only pod reads 0 there, as with the real kubectl.
 */
const T0 = Date.parse('2026-01-05T10:00:00Z');
const pod = (): any => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'pl', namespace: 'default', uid: 'u', creationTimestamp: '2026-01-05T09:59:00Z' },
  spec: {
    nodeName: 'node-1', serviceAccountName: 'default', priority: 0,
    resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m', memory: '1Gi' } },
    containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '250m' } } }],
  },
  status: { phase: 'Running', hostIP: '10.0.0.1', podIP: '10.244.1.3', podIPs: [{ ip: '10.244.1.3' }], qosClass: 'Burstable',
    containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'nginx', imageID: 'x', containerID: 'containerd://a', state: { running: { startedAt: '2026-01-05T09:59:02Z' } } }] },
});

describe('client describe: pod-level resources', () => {
  it('describe pod prints the pod-level limits and requests above the containers, as kubectl does', () => {
    const text = describePod({ obj: pod(), events: [], now: T0 });
    assert.ok(text.includes('IP:  10.244.1.3\nResources:\n  Limits:\n    cpu:     1\n    memory:  1Gi\n  Requests:\n    cpu:     250m\n    memory:  1Gi\nContainers:\n'), text);
  });

  it('classes a pod with pod-level resources by those when the status has no class', () => {
    assert.strictEqual(qosClass({ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, containers: [{ name: 'c' }] }), 'Guaranteed');
    assert.strictEqual(qosClass({ resources: { limits: { cpu: '1' }, requests: { cpu: '1' } }, containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }), 'Burstable');
  });

  it('describe node counts the containers only, as kubectl 1.34 does', () => {
    const alloc = { cpu: '4', memory: '16Gi', pods: '110' };
    const node: any = { kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: { allocatable: alloc, capacity: alloc, nodeInfo: {} } };
    const text = describeNode({ obj: node, events: [], now: T0, pods: [pod()] });
    assert.match(text, /^  default\s+pl\s+250m \(6%\)\s+0 \(0%\)\s+0 \(0%\)\s+0 \(0%\)\s+\S+$/m);
  });
});
