/**
 * The API groups a kind v1.34 cluster serves besides the workload ones (review 30, finding 2): discovery lists
 * them with upstream's short names and categories, objects of each kind are accepted by the schema-driven
 * validation, and `kubectl get` gets upstream's Table columns for them.
 */
import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { AGGREGATED_V2 } from '../../../cluster/src/http/discovery';
import { localGroupVersions } from '../../../cluster/src/playground/aggregator';
import { certificateRequest } from '../cluster/certificates/fixtures';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const T0 = '2026-01-01T00:00:00Z';

describe('http: apiregistration, node, certificates and the newer storage and admission kinds', function () {
  this.timeout(20_000);
  const h = useHarness();

  const create = async (path: string, body: any) => {
    const r = await h.request('POST', path, { body });
    assert.equal(r.status, 201, r.text);
    return r.json();
  };
  const table = async (path: string) => {
    const r = await h.request('GET', path, { headers: { accept: TABLE } });
    assert.equal(r.status, 200, r.text);
    return r.json();
  };

  it('lists the groups and resources with upstream short names, categories and status subresources', async () => {
    const groups = (await h.request('GET', '/apis')).json().groups.map((g: any) => g.name);
    for (const g of ['apiregistration.k8s.io', 'certificates.k8s.io', 'node.k8s.io']) assert.ok(groups.includes(g), g);
    // Upstream's /apis order: apiregistration right after the core group, node.k8s.io after coordination.
    assert.equal(groups[0], 'apiregistration.k8s.io');
    const all = (await h.request('GET', '/apis', { headers: { accept: AGGREGATED_V2 } })).json().items;
    const res = (g: string, r: string) => all.find((i: any) => i.metadata.name === g).versions[0].resources.find((x: any) => x.resource === r);
    assert.deepEqual(res('apiregistration.k8s.io', 'apiservices').categories, ['api-extensions']);
    assert.equal(res('apiregistration.k8s.io', 'apiservices').scope, 'Cluster');
    assert.deepEqual(res('apiregistration.k8s.io', 'apiservices').subresources.map((s: any) => s.subresource), ['status']);
    assert.deepEqual(res('certificates.k8s.io', 'certificatesigningrequests').shortNames, ['csr']);
    assert.deepEqual(res('storage.k8s.io', 'volumeattributesclasses').shortNames, ['vac']);
    assert.equal(res('storage.k8s.io', 'csistoragecapacities').scope, 'Namespaced');
    assert.deepEqual(res('admissionregistration.k8s.io', 'validatingadmissionpolicies').categories, ['api-extensions']);
    assert.deepEqual(res('admissionregistration.k8s.io', 'validatingadmissionpolicybindings').categories, ['api-extensions']);
    assert.equal(res('node.k8s.io', 'runtimeclasses').singularResource, 'runtimeclass');
  });

  it('has an APIService for every group-version it serves itself (metrics.k8s.io is aggregated, apiregistration the aggregator own)', async () => {
    const apis = (await h.request('GET', '/apis')).json().groups.flatMap((g: any) => g.versions.map((v: any) => v.groupVersion));
    const local = new Set(localGroupVersions());
    for (const gv of ['v1', ...apis]) {
      if (gv === 'metrics.k8s.io/v1beta1' || gv.startsWith('apiregistration.k8s.io/')) continue;
      assert.ok(local.has(gv), `${gv} has no APIService`);
    }
  });

  it('prints APIServices as the aggregator does: Local or namespace/name, and the Available status with its reason', async () => {
    await create('/apis/apiregistration.k8s.io/v1/apiservices', {
      apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.apps' },
      spec: { service: null, group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 },
    });
    const remote = await create('/apis/apiregistration.k8s.io/v1/apiservices', {
      apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: { service: { name: 'metrics-server', namespace: 'kube-system' }, group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true },
      status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed' }] },
    });
    // SetDefaults_ServiceReference; PrepareForCreate wipes the status.
    assert.equal(remote.spec.service.port, 443);
    assert.deepEqual(remote.status, {});
    let t = await table('/apis/apiregistration.k8s.io/v1/apiservices');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Service', 'Available', 'Age']);
    assert.deepEqual(t.rows.map((r: any) => r.cells.slice(0, 3)), [['v1.apps', 'Local', 'Unknown'], ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'Unknown']]);
    const cond = { type: 'Available', status: 'False', lastTransitionTime: T0, reason: 'MissingEndpoints', message: 'endpointslices for service/metrics-server in "kube-system" have no addresses with port name "https"' };
    const put = await h.request('PUT', '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io/status', { body: { ...remote, status: { conditions: [cond] } } });
    assert.equal(put.status, 200, put.text);
    t = await table('/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io');
    assert.deepEqual(t.rows[0].cells.slice(0, 3), ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)']);
  });

  it('accepts and prints RuntimeClasses, VolumeAttributesClasses and CSIStorageCapacities', async () => {
    await create('/apis/node.k8s.io/v1/runtimeclasses', { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' });
    let t = await table('/apis/node.k8s.io/v1/runtimeclasses');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Handler', 'Age']);
    assert.deepEqual(t.rows[0].cells.slice(0, 2), ['gvisor', 'runsc']);
    await create('/apis/storage.k8s.io/v1/volumeattributesclasses', {
      apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttributesClass', metadata: { name: 'gold' }, driverName: 'pd.csi.storage.gke.io', parameters: { iops: '3000' },
    });
    t = await table('/apis/storage.k8s.io/v1/volumeattributesclasses');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'DriverName', 'Age']);
    assert.deepEqual(t.rows[0].cells.slice(0, 2), ['gold', 'pd.csi.storage.gke.io']);
    await create('/apis/storage.k8s.io/v1/namespaces/default/csistoragecapacities', {
      apiVersion: 'storage.k8s.io/v1', kind: 'CSIStorageCapacity', metadata: { name: 'cap' }, storageClassName: 'standard', capacity: '1024Mi',
    });
    t = await table('/apis/storage.k8s.io/v1/namespaces/default/csistoragecapacities');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'StorageClassName', 'Capacity']);
    assert.deepEqual(t.rows[0].cells, ['cap', 'standard', '1Gi']);
  });

  it('accepts and prints ValidatingAdmissionPolicies and their bindings', async () => {
    const vap = await create('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'replicas' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.replicas <= 5' }],
      },
    });
    assert.equal(vap.metadata.generation, 1);
    await create('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'replicas-binding' },
      spec: { policyName: 'replicas', validationActions: ['Deny'], paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } },
    });
    let t = await table('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Validations', 'ParamKind', 'Age']);
    assert.deepEqual(t.rows[0].cells.slice(0, 3), ['replicas', 1, '<unset>']);
    t = await table('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'PolicyName', 'ParamRef', 'Age']);
    assert.deepEqual(t.rows[0].cells.slice(0, 3), ['replicas-binding', 'replicas', '*/limits']);
  });

  it('accepts and prints CertificateSigningRequests: Pending, the requester from the request\'s user', async () => {
    const request = certificateRequest({ cn: 'jane' }).base64;
    const csr = await create('/apis/certificates.k8s.io/v1/certificatesigningrequests', {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'jane' },
      spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86400, usages: ['client auth'] },
      status: { conditions: [{ type: 'Approved', status: 'True' }] },
    });
    assert.deepEqual(csr.status, {});
    const t = await table('/apis/certificates.k8s.io/v1/certificatesigningrequests');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    assert.deepEqual([t.rows[0].cells[0], ...t.rows[0].cells.slice(2)], ['jane', 'kubernetes.io/kube-apiserver-client', 'kubeplay-admin', '24h', 'Pending']);
  });
});
