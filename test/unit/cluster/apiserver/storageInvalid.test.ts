import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { statusOf } from './statusOf';

/**
 * The apiserver refuses bad claims, volumes, claim templates and Service
 * ports with upstream's Invalid Status, from the same shared rules the editor
 * runs; a StatefulSet stored with invalid claim templates stays updatable
 * (SkipValidateVolumeClaimTemplates), as its invalid pod spec does.
 */
const status = statusOf;

const GOOD_TEMPLATE = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

function sts(name: string, templates: any[]) {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, volumeClaimTemplates: templates,
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } } } };
}

describe('apiserver: storage and Service validation as upstream', () => {
  it('a claim without access modes or a storage request: 422 with both causes, as the PVC events of issue #132211 read', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.pvcs, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} } as any));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(e.message,
      'PersistentVolumeClaim "data" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]');
    assert.deepStrictEqual(e.details.causes, [
      { reason: 'FieldValueRequired', message: 'Required value: at least 1 access mode is required', field: 'spec.accessModes' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.resources[storage]' },
    ]);
  });

  it('a volume with two sources and no capacity', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.pvs, undefined, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'vol' },
      spec: { accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' }, nfs: { server: 'nfs', path: '/' } } } as any));
    assert.strictEqual(e.message, 'PersistentVolume "vol" is invalid: [spec.capacity: Required value, '
      + 'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage", spec.nfs: Forbidden: may not specify more than 1 volume type]');
  });

  it('a StatefulSet\'s claim templates are validated on create (1.34), after the retention policy and before replicas', () => {
    const cp = newTestControlPlane();
    const bad: any = sts('db', [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }]);
    bad.spec.replicas = -1;
    const e = status(() => cp.api.create(R.statefulsets, 'default', bad));
    assert.strictEqual(e.message, 'StatefulSet.apps "db" is invalid: [spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required, '
      + 'spec.replicas: Invalid value: -1: must be greater than or equal to 0]');
    assert.strictEqual(cp.api.create(R.statefulsets, 'default', sts('ok', [GOOD_TEMPLATE]) as any).object.metadata.name, 'ok');
  });

  it('an update of a set stored with invalid claim templates skips them; a set stored valid keeps being checked', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.statefulsets, 'default', sts('legacy', [GOOD_TEMPLATE]) as any);
    const old = JSON.parse(JSON.stringify(cp.store.get('apps/statefulsets', 'default', 'legacy')));
    delete old.spec.volumeClaimTemplates[0].spec.accessModes;
    cp.store.put('apps/statefulsets', old);
    assert.strictEqual(cp.api.patch(R.statefulsets, 'default', 'legacy', 'merge', { spec: { replicas: 3 } }).object.spec.replicas, 3);
    // Its pod spec is still checked: the two skips are separate.
    const podErr = status(() => cp.api.patch(R.statefulsets, 'default', 'legacy', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: '' }] } } } }));
    assert.match(podErr.message, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
    assert.doesNotMatch(podErr.message, /volumeClaimTemplates/);

    cp.api.create(R.statefulsets, 'default', sts('fresh', [GOOD_TEMPLATE]) as any);
    const cur = JSON.parse(JSON.stringify(cp.api.get(R.statefulsets, 'default', 'fresh')));
    cur.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '0';
    const e = status(() => cp.api.update(R.statefulsets, 'default', cur));
    assert.match(e.message, /spec\.volumeClaimTemplates\[0\]\.spec\.resources\[storage\]: Invalid value: "0": must be greater than zero/);
  });

  it('Service: nodePort on a ClusterIP Service and a duplicate port, after the per-port checks', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'alt', port: 80 }] } } as any));
    assert.deepStrictEqual(e.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, '
        + 'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });
});
