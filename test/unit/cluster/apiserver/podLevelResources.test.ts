import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { errorText } from './statusOf';

/**
 * Pod-level spec.resources (PodLevelResources, beta and on in 1.34): SetDefaults_Pod's defaulting, ValidatePodSpec's
 * validatePodResources in upstream's words, and the QoS class ComputePodQOS gives from the pod-level lists.
 */
const pod = (name: string, resources: any, containers: any[] = [{ name: 'c', image: 'nginx' }]) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { resources, containers },
});

describe('apiserver: pod-level resources', () => {
  it('defaults pod-level requests from the limits, or from the containers\' requests, and classes the pod by them', () => {
    const cp = newTestControlPlane();
    const a = cp.api.create(R.pods, 'default', pod('a', { limits: { cpu: '1', memory: '1Gi' } })).object;
    assert.deepStrictEqual(a.spec.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    // The container gets nothing from the pod's limits: its resources stay the empty struct Go writes as `{}`.
    assert.deepStrictEqual(a.spec.containers[0].resources, {});
    assert.strictEqual(a.status.qosClass, 'Guaranteed');
    // A container's request is the pod's, its limit (copied into its request) counts too; memory falls back to the pod limit.
    const b = cp.api.create(R.pods, 'default', pod('b', { limits: { cpu: '2', memory: '1Gi' } }, [
      { name: 'x', image: 'nginx', resources: { requests: { cpu: '250m' } } },
      { name: 'y', image: 'nginx', resources: { limits: { cpu: '500m' } } },
    ])).object;
    assert.deepStrictEqual(b.spec.resources.requests, { cpu: '750m', memory: '1Gi' });
    assert.strictEqual(b.status.qosClass, 'Burstable');
    // With pod-level limits, memory the containers request is the pod's request too (not the pod's limit): Burstable,
    // though the container alone would be Guaranteed.
    const c = cp.api.create(R.pods, 'default', pod('c', { requests: { cpu: '1' }, limits: { cpu: '1' } }, [
      { name: 'x', image: 'nginx', resources: { limits: { cpu: '1', memory: '64Mi' } } },
    ])).object;
    assert.deepStrictEqual(c.spec.resources, { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1' } });
    assert.strictEqual(c.status.qosClass, 'Burstable');
    // A huge page size the containers limit becomes the pod's limit and request too.
    const d = cp.api.create(R.pods, 'default', pod('d', { limits: { memory: '1Gi' } }, [
      { name: 'x', image: 'nginx', resources: { limits: { 'hugepages-2Mi': '10Mi', memory: '100Mi' } } },
    ])).object;
    // Requests alone are not defaulted.
    const e = cp.api.create(R.pods, 'default', pod('e', { requests: { memory: '64Mi' } })).object;
    assert.deepStrictEqual(e.spec.resources, { requests: { memory: '64Mi' } });
    assert.strictEqual(e.status.qosClass, 'Burstable');
    assert.deepStrictEqual(d.spec.resources, { limits: { memory: '1Gi', 'hugepages-2Mi': '10Mi' }, requests: { memory: '100Mi', 'hugepages-2Mi': '10Mi' } });
  });

  it('a workload template is not defaulted: neither pod-level requests nor the containers\' requests from their limits', () => {
    const cp = newTestControlPlane();
    const d = cp.api.create(R.deployments, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {
        resources: { limits: { cpu: '2' } }, containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } } }] } } },
    }).object;
    assert.deepStrictEqual(d.spec.template.spec.resources, { limits: { cpu: '2' } });
    assert.deepStrictEqual(d.spec.template.spec.containers[0].resources, { limits: { cpu: '1' } });
  });

  it('refuses what validatePodResources refuses, in its words', () => {
    const cp = newTestControlPlane();
    const create = (o: any) => () => cp.api.create(R.pods, 'default', o);
    assert.strictEqual(errorText(create(pod('p', { requests: { 'ephemeral-storage': '1Gi', cpu: '500m' } }))),
      '422 Pod "p" is invalid: spec.resources.requests[ephemeral-storage]: Unsupported value: ephemeral-storage: supported values: "cpu", "hugepages-", "memory"');
    // validateResourceQuantityHugePageValue, as for a container: the limit and the request defaulted from it.
    assert.strictEqual(errorText(create(pod('p', { limits: { 'hugepages-2Mi': '5Mi', memory: '1Gi' } }))),
      '422 Pod "p" is invalid: [spec.resources.limits[hugepages-2Mi]: Invalid value: "5Mi": 5Mi is not positive integer multiple of hugepages-2Mi, '
      + 'spec.resources.requests[hugepages-2Mi]: Invalid value: "5Mi": 5Mi is not positive integer multiple of hugepages-2Mi]');
    assert.strictEqual(errorText(create(pod('p', { requests: { cpu: '2' }, limits: { cpu: '1' } }))),
      '422 Pod "p" is invalid: spec.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
    // The pod must request what its containers request together; one it does not request counts as 0.
    assert.strictEqual(errorText(create(pod('p', { requests: { memory: '100Mi' } }, [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m' } } }]))),
      '422 Pod "p" is invalid: spec.resources.requests[cpu]: Invalid value: "0": must be greater than or equal to aggregate container requests of 500m');
    // A container's limit (its request too, by default) above the pod's.
    assert.strictEqual(errorText(create(pod('p', { requests: { cpu: '2' }, limits: { cpu: '2' } }, [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '3' } } }]))),
      '422 Pod "p" is invalid: [spec.resources.requests[cpu]: Invalid value: "2": must be greater than or equal to aggregate container requests of 3, '
      + 'spec.resources.containers[0][cpu].limits: Invalid value: "3": must be less than or equal to pod limits of 2]');
    assert.strictEqual(errorText(create(pod('p', { limits: { cpu: '1' }, claims: [{ name: 'gpu' }] }))),
      '422 Pod "p" is invalid: spec.resources.claims: Forbidden: claims cannot be set for Resources at pod-level');
    assert.strictEqual(errorText(create(pod('p', { limits: { 'hugepages-2Mi': '10Mi' } }))),
      '422 Pod "p" is invalid: spec.resources: Forbidden: HugePages require cpu or memory');
  });
});
