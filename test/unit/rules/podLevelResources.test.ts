import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { getSchema } from '../../../kube/src/schema/index';

/**
 * The editor runs validatePodResources as the apiserver does: a Pod as SetDefaults_Pod will leave it (so pod-level
 * limits with container requests are fine), a workload's template as written.
 */
const schema = getSchema();
const run = (obj: unknown) => validateObject(obj, schema, { kubernetesVersion: '1.34' }).filter((f) => f.apiError);
const pod = (resources: any, containers: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { resources, containers } });

describe('rules: pod-level resources', () => {
  it('a Pod is judged after defaulting: pod-level limits and container requests are no error', () => {
    assert.deepStrictEqual(run(pod({ limits: { cpu: '2', memory: '1Gi' } }, [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m' }, limits: { memory: '256Mi' } } }])), []);
  });

  it('reports the pod-level checks at their fields, with the upstream parts', () => {
    const fs = run(pod({ requests: { cpu: '250m', storage: '1Gi' } }, [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m' } } }]));
    assert.deepStrictEqual(fs.map((f) => [f.code, f.path.join('.'), f.message]), [
      ['invalid-resource-name', 'spec.resources.requests.storage', 'Unsupported value: storage: supported values: "cpu", "hugepages-", "memory"'],
      ['pod-requests-below-containers', 'spec.resources.requests.cpu', 'Invalid value: "250m": must be greater than or equal to aggregate container requests of 500m (cpu)'],
    ]);
    assert.deepStrictEqual(fs[1].apiError?.apiPath, ['spec', 'resources', 'requests[cpu]']);
  });

  it('huge pages at pod level come in whole pages', () => {
    const fs = run(pod({ limits: { 'hugepages-2Mi': '3Mi', memory: '1Gi' } }, [{ name: 'c', image: 'nginx' }]));
    assert.deepStrictEqual(fs.map((f) => [f.code, f.path.join('.'), f.message]), [
      ['invalid-resource-quantity', 'spec.resources.limits.hugepages-2Mi', 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi'],
      ['invalid-resource-quantity', 'spec.resources.requests.hugepages-2Mi', 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi'],
    ]);
    assert.deepStrictEqual(fs[0].apiError?.apiPath, ['spec', 'resources', 'limits[hugepages-2Mi]']);
    assert.deepStrictEqual(run(pod({ limits: { 'hugepages-2Mi': '4Mi', memory: '1Gi' } }, [{ name: 'c', image: 'nginx' }])), []);
  });

  it('a Deployment template is not defaulted: a container limit above the pod limit is reported, container limits alone are not requests', () => {
    const d = (ctr: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { resources: { limits: { cpu: '1' } }, containers: [{ name: 'c', image: 'nginx', resources: ctr }] } } } });
    assert.deepStrictEqual(run(d({ limits: { cpu: '500m' } })), []);
    const fs = run(d({ limits: { cpu: '2' } }));
    assert.deepStrictEqual(fs.map((f) => [f.code, f.path.join('.')]), [['container-limit-above-pod', 'spec.template.spec.containers.0.resources.limits.cpu']]);
    assert.deepStrictEqual(fs[0].apiError?.apiPath, ['spec', 'template', 'spec', 'resources', 'containers[0][cpu]', 'limits']);
  });
});
