import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { parse } from 'yaml';
import { newTestControlPlane, R } from '../../../cluster/src/testing';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { setup } from '../server/harness';
import { textAt } from '../validate/helpers';

/**
 * Claim and volume specs as upstream validates them
 * (ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeSpec, and since
 * 1.34 ValidateVolumeClaimTemplates for a StatefulSet): the apiserver's field
 * errors in upstream order, and the editor's diagnostics at the same places.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);

function diagnose(text: string) {
  const { model, ctx } = setup(text + '|');
  return computeDiagnostics(model, ctx).map((d) => ({ code: String(d.code), text: textAt(text, d.range), message: d.message }));
}

const pvc = (spec: any) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec });
const pv = (spec: any) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'vol' }, spec });
const MODES = 'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"';

describe('rules/storage: PersistentVolumeClaim specs', () => {
  it('a claim with neither access modes nor a storage request gets both Required errors, as the PVC controller\'s Events show', () => {
    assert.deepStrictEqual(errors(pvc({})), ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
    assert.deepStrictEqual(errors(pvc({ accessModes: [], resources: { requests: { cpu: '1' } } })),
      ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  });

  it('an unknown mode is reported on the list, ReadWriteOncePod may not join another mode, and a zero or negative request is refused', () => {
    assert.deepStrictEqual(errors(pvc({ accessModes: ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteAll'], resources: { requests: { storage: '0Gi' } } })), [
      `spec.accessModes: Unsupported value: "ReadWriteAll": ${MODES}`,
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ]);
    assert.deepStrictEqual(errors(pvc({ accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '-1Gi' } } })),
      ['spec.resources[storage]: Invalid value: "-1Gi": must be greater than zero']);
  });

  it('volumeMode values and the storage class name (a DNS subdomain) come after the request', () => {
    const errs = errors(pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Raw', storageClassName: 'Fast_SSD' }));
    assert.strictEqual(errs.length, 2);
    assert.match(errs[0], /^spec\.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain must consist of/);
    assert.strictEqual(errs[1], 'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"');
  });

  it('a valid claim gives no findings at all', () => {
    assert.deepStrictEqual(validateObject(pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' }), schema,
      { kubernetesVersion: '1.34' }), []);
  });

  it('the editor marks the spec key for missing parts, the value for a bad request, and the item for an unknown mode', () => {
    const ds = diagnose('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  storageClassName: standard\n');
    assert.deepStrictEqual(ds.map((d) => [d.code, d.text]), [['access-modes-required', 'spec'], ['storage-request-required', 'spec']]);
    const bad = diagnose('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce, Sometimes]\n'
      + '  resources:\n    requests:\n      storage: "0"\n');
    assert.deepStrictEqual(bad.map((d) => [d.code, d.text]), [['enum-value', 'Sometimes'], ['storage-request-positive', '"0"']]);
    assert.strictEqual(bad[1].message, 'Invalid value: "0": must be greater than zero');
  });
});

describe('rules/storage: PersistentVolume specs', () => {
  it('an empty spec: access modes, capacity (required, and only storage supported), and a volume source', () => {
    assert.deepStrictEqual(errors(pv({})), [
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
  });

  it('a second source is forbidden (upstream names cephfs `cephFS`), a negative size fails both quantity checks, reclaim policy values', () => {
    const errs = errors(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '-1Gi' }, persistentVolumeReclaimPolicy: 'Keep',
      hostPath: { path: '/data' }, cephfs: { monitors: ['m'] }, csi: { driver: 'd', volumeHandle: 'h' } }));
    assert.deepStrictEqual(errs, [
      'spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity',
      'spec.capacity[storage]: Invalid value: "-1Gi": must be greater than zero',
      'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
      'spec.cephFS: Forbidden: may not specify more than 1 volume type',
      'spec.csi: Forbidden: may not specify more than 1 volume type',
    ]);
  });

  it('a local volume needs node affinity; flexVolume is counted but never refused itself', () => {
    assert.deepStrictEqual(errors(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, local: { path: '/mnt/disk' } })),
      ['spec.nodeAffinity: Required value: Local volume requires node affinity']);
    assert.deepStrictEqual(errors(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, nfs: { server: 'n', path: '/' }, flexVolume: { driver: 'x' } })), []);
    assert.deepStrictEqual(errors(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, local: { path: '/mnt' }, nodeAffinity: {} })),
      ['spec.nodeAffinity.required: Required value: must specify required node constraints']);
  });

  it('the editor puts "more than 1 volume type" on the second source\'s key', () => {
    const ds = diagnose('apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: vol\nspec:\n  accessModes: [ReadWriteOnce]\n  capacity:\n    storage: 1Gi\n'
      + '  hostPath:\n    path: /data\n  nfs:\n    server: nfs.local\n    path: /\n');
    assert.deepStrictEqual(ds.map((d) => [d.code, d.text]), [['pv-volume-type', 'nfs']]);
  });
});

describe('rules/storage: StatefulSet volumeClaimTemplates (1.34)', () => {
  const sts = (templates: any[], extra: any = {}) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
    spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, ...extra, volumeClaimTemplates: templates,
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } } } });

  it('each template\'s claim spec is checked under spec.volumeClaimTemplates[i].spec, after the retention policy and before replicas', () => {
    const errs = errors(sts([{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }, { metadata: { name: 'logs' } }], { replicas: -1 }));
    assert.deepStrictEqual(errs, [
      'spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required',
      'spec.volumeClaimTemplates[1].spec.accessModes: Required value: at least 1 access mode is required',
      'spec.volumeClaimTemplates[1].spec.resources[storage]: Required value',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('a complete template is clean, and an unknown mode in a template is reported on its list', () => {
    const good = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    assert.deepStrictEqual(errors(sts([good])), []);
    assert.deepStrictEqual(errors(sts([{ ...good, spec: { ...good.spec, accessModes: ['RWO'] } }])),
      [`spec.volumeClaimTemplates[0].spec.accessModes: Unsupported value: "RWO": ${MODES}`]);
  });
});

describe('rules/storage: the editor and the apiserver agree', () => {
  const docs: [keyof typeof R, string][] = [
    ['pvcs', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce, ReadWriteOncePod]\n'
      + '  resources:\n    requests:\n      storage: "0"\n'],
    ['pvs', 'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: vol\nspec:\n  accessModes: [ReadWriteOnce]\n  local:\n    path: /mnt\n'],
    ['statefulsets', 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n'
      + '  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: c\n        image: postgres\n'
      + '        env:\n        - name: POSTGRES_PASSWORD\n          value: example\n'
      + '  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      resources:\n        requests:\n          storage: 1Gi\n'],
    ['services', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: a\n    port: 80\n    nodePort: 30080\n  - name: b\n    port: 80\n'],
  ];
  for (const [resource, text] of docs) {
    it(`${resource}: one diagnostic per cause of the Invalid status, with the same upstream text`, () => {
      const cp = newTestControlPlane();
      const obj = parse(text);
      let causes: { field: string; message: string }[] = [];
      try {
        cp.api.create(R[resource], obj.kind === 'PersistentVolume' ? undefined : 'default', obj);
        assert.fail('expected Invalid');
      } catch (e: any) {
        causes = e.status.details.causes;
      }
      const editor = apiErrors(validateObject(parse(text), schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
      assert.deepStrictEqual(causes.map((c) => `${c.field}: ${c.message}`), editor);
      assert.strictEqual(diagnose(text).length, causes.length);
    });
  }
});

describe('rules: host and network volume paths (validateHostPathVolumeSource, validateNFSVolumeSource, validateLocalVolumeSource)', () => {
  const pv = (spec: any) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec } });
  it('a PersistentVolume: no `..` on a host or local path, an absolute NFS export, no Recycle of the host root', () => {
    assert.deepStrictEqual(errors(pv({ hostPath: { path: '/data/../etc' } })), ['spec.hostPath.path: Invalid value: "/data/../etc": must not contain \'..\'']);
    assert.deepStrictEqual(errors(pv({ nfs: { server: 'nfs.example', path: 'export' } })), ['spec.nfs.path: Invalid value: "export": must be an absolute path']);
    assert.deepStrictEqual(errors(pv({ hostPath: { path: '/' }, persistentVolumeReclaimPolicy: 'Recycle' })),
      ["spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"]);
    assert.deepStrictEqual(errors(pv({ hostPath: { path: '/data/pv1' }, persistentVolumeReclaimPolicy: 'Recycle' })), []);
    assert.deepStrictEqual(errors(pv({ nfs: { server: 'nfs.example', path: '/exports/a' } })), []);
  });

  it('a pod volume with such a path is refused and, like any invalid volume, not declared: its mount is Not found', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {
      containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'host', mountPath: '/h' }] }],
      volumes: [{ name: 'host', hostPath: { path: '/var/../etc' } }] } };
    assert.deepStrictEqual(errors(pod), [
      'spec.volumes[0].hostPath.path: Invalid value: "/var/../etc": must not contain \'..\'',
      'spec.containers[0].volumeMounts[0].name: Not found: "host"',
    ]);
  });
});

describe('rules: a StatefulSet\'s claim retention policy and pod management policy', () => {
  const sts = (spec: any) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { selector: { matchLabels: { a: 'b' } }, serviceName: 's',
    template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, ...spec } });
  it('whenDeleted and whenScaled are Retain or Delete; podManagementPolicy is refused in ValidateStatefulSetSpec\'s words', () => {
    assert.deepStrictEqual(errors(sts({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Delete' } })),
      ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"']);
    assert.deepStrictEqual(errors(sts({ podManagementPolicy: 'parallel' })), ['spec.podManagementPolicy: Invalid value: "parallel": must be \'OrderedReady\' or \'Parallel\'']);
  });
});

describe('rules: a claim\'s selector', () => {
  it('is a label selector, validated as ValidateLabelSelector does', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } }, selector: { matchExpressions: [{ key: 'tier', operator: 'in', values: ['fast'] }] } } };
    assert.deepStrictEqual(errors(pvc), ['spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator']);
  });
});

describe('rules: a ReplicationController without a selector', () => {
  it('takes its template\'s labels; with none of those either, the selector is Required', () => {
    const rc = (labels?: any) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r' }, spec: { replicas: 1,
      template: { metadata: labels ? { labels } : {}, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    assert.deepStrictEqual(errors(rc({ app: 'web' })), []);
    assert.deepStrictEqual(errors(rc()), ['spec.selector: Required value']);
  });
});
