import * as assert from 'node:assert/strict';
import { allResources } from '../../../cluster/src/apiserver/resources';
import { OpenApi } from '../../../cluster/src/http/openapi';
import { ResourceRegistry } from '../../../cluster/src/http/resources';
import { parseApiPath } from '../../../cluster/src/http/paths';
import { chooseRepresentation, wantsAggregated } from '../../../cluster/src/http/negotiate';
import { REVIEW_RESOURCES } from '../../../cluster/src/http/reviews';
import { COMPONENT_STATUS_RESOURCE } from '../../../cluster/src/http/componentstatus';
import { METRICS_RESOURCES } from '../../../cluster/src/http/metrics';
import { getSchema } from '../../../kube/src/schema';

describe('http openapi', () => {
  const schema = getSchema().data;
  const reg = new ResourceRegistry(allResources(), schema);
  const oa = new OpenApi(schema, reg, 'v1.34.0+kubeplay');

  it('v2 carries patch merge keys, strategies and group-version-kinds from the schema', () => {
    const doc = JSON.parse(oa.v2());
    assert.equal(doc.swagger, '2.0');
    const podSpec = doc.definitions['io.k8s.api.core.v1.PodSpec'];
    assert.equal(podSpec.properties.containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(podSpec.properties.containers['x-kubernetes-patch-strategy'], 'merge');
    const deploy = doc.definitions['io.k8s.api.apps.v1.Deployment'];
    assert.ok(deploy['x-kubernetes-group-version-kind'].some((g: any) => g.group === 'apps' && g.version === 'v1' && g.kind === 'Deployment'));
    assert.equal(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
  });

  it('v2 defines only the group-versions the server serves, so kubectl skips client-side validation of the others', () => {
    // As startApiHttpServer builds it: the apiserver's table plus the resources the HTTP layer answers itself.
    const served = new ResourceRegistry(allResources(), schema, [...REVIEW_RESOURCES, COMPONENT_STATUS_RESOURCE, ...METRICS_RESOURCES]);
    const doc = JSON.parse(new OpenApi(schema, served, 'v1.34.0+kubeplay').v2());
    const servedGVs = new Set(served.all().map((r) => `${r.group}/${r.version}`));
    const published = new Set<string>();
    for (const d of Object.values<any>(doc.definitions)) for (const g of d['x-kubernetes-group-version-kind'] ?? []) published.add(`${g.group}/${g.version}`);
    assert.deepEqual([...published].filter((gv) => !servedGVs.has(gv)), []);
    for (const old of ['io.k8s.api.extensions.v1beta1.Deployment', 'io.k8s.api.apps.v1beta2.Deployment', 'io.k8s.api.batch.v1beta1.CronJob', 'io.k8s.api.policy.v1beta1.PodSecurityPolicy']) {
      assert.equal(doc.definitions[old], undefined, old);
    }
    // The served kinds, their lists, the kinds of their subresources, what they reference and the meta types stay.
    for (const id of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentList', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.api.policy.v1.Eviction',
      'io.k8s.api.authentication.v1.TokenRequest', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
      'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent', 'io.k8s.apimachinery.pkg.version.Info']) {
      assert.ok(doc.definitions[id], id);
    }
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(doc).match(/"#\/definitions\/[^"]+"/g) ?? [];
    for (const r of new Set(refs)) assert.ok(doc.definitions[r.slice(15, -1)], r);
  });

  it('v2 protobuf encodes the same definitions', () => {
    const pb = oa.v2Protobuf();
    assert.ok(pb.length > 100_000);
    assert.ok(pb.includes(Buffer.from('io.k8s.api.apps.v1.DeploymentStrategy')));
    assert.ok(pb.includes(Buffer.from('x-kubernetes-patch-merge-key')));
  });

  it('v3 lists each group-version and documents PATCH with fieldValidation and dryRun per GVK', () => {
    const index = oa.v3Index() as any;
    assert.match(index.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    assert.ok(index.paths['api/v1']);
    const doc = JSON.parse(oa.v3Doc('apis/apps/v1')!);
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
    const names = item.patch.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name);
    assert.ok(names.includes('fieldValidation') && names.includes('dryRun'));
    const strategy = doc.components.schemas['io.k8s.api.apps.v1.DeploymentStrategy'];
    assert.deepEqual(strategy.properties.type.enum, ['Recreate', 'RollingUpdate']);
    assert.ok(doc.components.schemas['io.k8s.api.core.v1.PodSpec'], 'referenced definitions are included');
    assert.equal(oa.v3Doc('apis/nope/v1'), undefined);
  });
});

describe('http paths and negotiation', () => {
  it('parses resource paths as the apiserver does', () => {
    assert.deepEqual(parseApiPath('/api/v1/namespaces/default/pods/web/log'), {
      type: 'resource', path: { group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web', subresource: 'log', watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('/api/v1/namespaces/kube-system'), {
      type: 'resource', path: { group: '', version: 'v1', resource: 'namespaces', name: 'kube-system', watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('/api/v1/namespaces/x/status'), {
      type: 'resource', path: { group: '', version: 'v1', resource: 'namespaces', name: 'x', subresource: 'status', watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('/apis/apps/v1/watch/namespaces/d/deployments'), {
      type: 'resource', path: { group: 'apps', version: 'v1', namespace: 'd', resource: 'deployments', name: undefined, subresource: undefined, watchPrefix: true },
    });
    assert.deepEqual(parseApiPath('/apis/apps'), { type: 'group', group: 'apps' });
    assert.equal(parseApiPath('/metrics'), undefined);
  });

  it('picks a Table, metadata or the object from Accept in the client\'s order', () => {
    assert.deepEqual(chooseRepresentation('application/json;as=Table;v=v1;g=meta.k8s.io,application/json'), { as: 'table', apiVersion: 'meta.k8s.io/v1' });
    assert.deepEqual(chooseRepresentation('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io'), { as: 'partial', apiVersion: 'meta.k8s.io/v1' });
    assert.deepEqual(chooseRepresentation('application/vnd.kubernetes.protobuf,application/json'), { as: 'object' });
    assert.deepEqual(chooseRepresentation(undefined), { as: 'object' });
    assert.equal(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'), 'v2');
    assert.equal(wantsAggregated('application/json'), undefined);
  });
});
