import * as assert from 'node:assert/strict';
import { podRow } from '../../../cluster/src/http/tables/pods';
import { humanDuration } from '../../../cluster/src/http/tables/format';
import { printerFor, toTable } from '../../../cluster/src/http/tables';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const T0 = '2026-01-01T00:00:00Z';

function pod(status: any, spec: any = {}, meta: any = {}) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: T0, ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  };
}

describe('http tables: pod STATUS as upstream printPod computes it', () => {
  it('shows Pending with no statuses and <none> for IP and node', () => {
    const r = podRow(pod({ phase: 'Pending' }), NOW);
    assert.deepEqual(r.cells.slice(0, 5), ['p', '0/1', 'Pending', '0', '60m']);
    assert.deepEqual(r.cells.slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });

  it('shows the waiting reason of a container (ContainerCreating, ImagePullBackOff, CrashLoopBackOff)', () => {
    for (const reason of ['ContainerCreating', 'ImagePullBackOff', 'CrashLoopBackOff']) {
      const r = podRow(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason } } }] }), NOW);
      assert.equal(r.cells[2], reason);
    }
  });

  it('counts ready running containers and restarts with the age of the last one', () => {
    const r = podRow(pod({
      phase: 'Running', podIP: '10.244.0.5',
      containerStatuses: [{ name: 'app', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: '2026-01-01T00:55:00Z' } } }],
    }, { nodeName: 'node-1' }), NOW);
    assert.deepEqual(r.cells.slice(0, 7), ['p', '1/1', 'Running', '2 (5m ago)', '60m', '10.244.0.5', 'node-1']);
  });

  it('shows Completed for a succeeded pod, with the Completed row condition', () => {
    const r = podRow(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), NOW);
    assert.equal(r.cells[2], 'Completed');
    assert.equal(r.conditions?.[0].reason, 'Succeeded');
  });

  it('shows Init:N/M while init containers run, and Init:<reason> when one fails', () => {
    const spec = { initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] };
    const running = podRow(pod({
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'i2', ready: false, restartCount: 0, state: { running: {} } },
      ],
    }, spec), NOW);
    assert.equal(running.cells[2], 'Init:1/2');
    const failing = podRow(pod({
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    }, spec), NOW);
    assert.equal(failing.cells[2], 'Init:CrashLoopBackOff');
    const exit = podRow(pod({ phase: 'Failed', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] }, spec), NOW);
    assert.equal(exit.cells[2], 'Init:ExitCode:2');
  });

  it('shows Terminating once a running pod has a deletionTimestamp', () => {
    const r = podRow(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] }, {}, { deletionTimestamp: T0 }), NOW);
    assert.equal(r.cells[2], 'Terminating');
  });

  it('counts a started sidecar (restartable init container) in READY', () => {
    const r = podRow(pod({
      phase: 'Running',
      initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 0, state: { running: {} } }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      conditions: [{ type: 'Initialized', status: 'True' }],
    }, { initContainers: [{ name: 'side', image: 'envoy', restartPolicy: 'Always' }] }), NOW);
    assert.deepEqual(r.cells.slice(1, 3), ['2/2', 'Running']);
  });
});

describe('http tables: other kinds', () => {
  it('formats ages as apimachinery HumanDuration', () => {
    const s = 1000;
    assert.equal(humanDuration(59 * s), '59s');
    assert.equal(humanDuration(119 * s), '119s');
    assert.equal(humanDuration(150 * s), '2m30s');
    assert.equal(humanDuration(600 * s), '10m');
    assert.equal(humanDuration(3 * 3600 * s + 5 * 60 * s), '3h5m');
    assert.equal(humanDuration(30 * 3600 * s), '30h');
    assert.equal(humanDuration(50 * 3600 * s), '2d2h');
    assert.equal(humanDuration(400 * 86400 * s), '400d');
  });

  it('prints deployments as READY UP-TO-DATE AVAILABLE AGE with wide columns', () => {
    const p = printerFor('apps', 'deployments');
    assert.deepEqual(p.columns.map((c) => [c.name, c.priority ?? 0]), [
      ['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1],
    ]);
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', creationTimestamp: T0 },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    assert.deepEqual(p.row(d, NOW).cells, ['web', '2/3', 3, 2, '60m', 'nginx', 'nginx:1.25', 'app=web']);
  });

  it('prints services with TYPE CLUSTER-IP EXTERNAL-IP PORT(S)', () => {
    const p = printerFor('', 'services');
    const svc = (spec: any, status: any = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', creationTimestamp: T0 }, spec, status });
    assert.deepEqual(p.row(svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } }), NOW).cells,
      ['s', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '60m', 'app=web']);
    assert.equal(p.row(svc({ type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }), NOW).cells[4], '80:30080/TCP');
    assert.equal(p.row(svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [] }), NOW).cells[3], '<pending>');
  });

  it('prints node STATUS with SchedulingDisabled and ROLES from labels', () => {
    const p = printerFor('', 'nodes');
    const n = {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: T0, labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.34.0' } },
    };
    assert.deepEqual(p.row(n, NOW).cells.slice(0, 5), ['n1', 'Ready,SchedulingDisabled', 'control-plane', '60m', 'v1.34.0']);
  });

  it('prints events with LAST SEEN TYPE REASON OBJECT MESSAGE', () => {
    const p = printerFor('', 'events');
    assert.deepEqual(p.columns.filter((c) => !c.priority).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    const e = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web' }, reason: 'Scheduled', type: 'Normal',
      message: 'Successfully assigned default/web to n1', firstTimestamp: '2026-01-01T00:59:00Z', lastTimestamp: '2026-01-01T00:59:30Z', count: 1,
      source: { component: 'default-scheduler' },
    };
    assert.deepEqual(p.row(e, NOW).cells, ['30s', 'Normal', 'Scheduled', 'pod/web', '', 'default-scheduler', 'Successfully assigned default/web to n1', '60s', 1, 'web.1']);
    // As kube-scheduler writes it through events.k8s.io/v1 and core/v1 reads it back: no source, no timestamps, a series.
    const v1 = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.2' }, involvedObject: { kind: 'Pod', name: 'web' }, reason: 'FailedScheduling', type: 'Warning',
      message: '0/1 nodes are available', source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: '2026-01-01T00:58:00.000000Z',
      series: { count: 3, lastObservedTime: '2026-01-01T00:59:50.000000Z' }, action: 'Scheduling',
      reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-kubeplay-control-plane',
    };
    assert.deepEqual(p.row(v1, NOW).cells, ['10s', 'Warning', 'FailedScheduling', 'pod/web', '', 'default-scheduler, default-scheduler-kubeplay-control-plane', '0/1 nodes are available', '2m', 3, 'web.2']);
  });

  it('prints controller revisions and quotas as upstream does', () => {
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'ds-abc', creationTimestamp: T0, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true }] }, revision: 2 };
    assert.deepEqual(printerFor('apps', 'controllerrevisions').row(cr, NOW).cells, ['ds-abc', 'daemonset.apps/ds', 2, '60m']);
    const q = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', creationTimestamp: T0 }, spec: { hard: { pods: '10', 'limits.cpu': '4' } }, status: { hard: { pods: '10', 'limits.cpu': '4' }, used: { pods: '3', 'limits.cpu': '1' } } };
    assert.deepEqual(printerFor('', 'resourcequotas').row(q, NOW).cells, ['q', 'pods: 3/10', 'limits.cpu: 1/4', '60m']);
  });

  it('prints autoscalers\' TARGETS as formatHPAMetrics: name: current/target, <unknown> until measured, two at most', () => {
    const p = printerFor('autoscaling', 'horizontalpodautoscalers');
    const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });
    const hpa = (metrics: any[], status: any = {}, min: number | null = 2) => ({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', creationTimestamp: T0 },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...(min === null ? {} : { minReplicas: min }), maxReplicas: 5, metrics }, status,
    });
    assert.deepEqual(p.row(hpa([cpu(80)]), NOW).cells, ['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', 5, 0, '60m']);
    assert.deepEqual(p.row(hpa([cpu(50)], { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 37, averageValue: '120m' } } }] }), NOW).cells.slice(2, 6),
      ['cpu: 37%/50%', '2', 5, 3]);
    const mem = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
    const pods = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } };
    const ext = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } };
    assert.equal(p.row(hpa([mem, pods]), NOW).cells[2], 'memory: <unknown>/500Mi, <unknown>/10');
    assert.equal(p.row(hpa([cpu(80), mem, pods, ext]), NOW).cells[2], 'cpu: <unknown>/80%, memory: <unknown>/500Mi + 2 more...');
    assert.equal(p.row(hpa([], {}, null), NOW).cells[2], '<none>');
    assert.equal(p.row(hpa([], {}, null), NOW).cells[3], '<unset>');
  });

  it('prints cells as printers.go writes them: SUSPEND True/False, ns/name service accounts, RWO-first access modes, sorted unclipped LB addresses, three hosts', () => {
    const meta = { name: 'x', namespace: 'default', creationTimestamp: T0 };
    const cron = printerFor('batch', 'cronjobs').row({ metadata: meta, spec: { schedule: '* * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [] } } } } } }, NOW).cells;
    assert.equal(cron[3], 'False');
    const rb = printerFor('rbac.authorization.k8s.io', 'rolebindings').row({ metadata: meta, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'api-demo' }] }, NOW).cells;
    assert.equal(rb[rb.length - 1], 'api-demo/sa');
    const pv = printerFor('', 'persistentvolumes').row({ metadata: meta, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteMany'] }, status: { phase: 'Available' } }, NOW).cells;
    assert.equal(pv[2], 'RWO,RWX');
    // The beta storage-class annotation wins over storageClassName (GetPersistentVolumeClass / ...ClaimClass).
    const beta = { ...meta, annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' } };
    const pvBeta = printerFor('', 'persistentvolumes').row({ metadata: beta, spec: { capacity: { storage: '1Gi' }, storageClassName: 'fast' }, status: { phase: 'Available' } }, NOW).cells;
    assert.equal(pvBeta[6], 'slow');
    const pvcBeta = printerFor('', 'persistentvolumeclaims').row({ metadata: beta, spec: { storageClassName: 'fast' }, status: { phase: 'Pending' } }, NOW).cells;
    assert.equal(pvcBeta[5], 'slow');
    const svc = printerFor('', 'services').row({ metadata: meta, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.9', externalIPs: ['203.0.113.10'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.99' }, { hostname: 'a-long-hostname.elb.example.com' }, { ip: '203.0.113.99' }] } } }, NOW).cells;
    assert.equal(svc[3], '203.0.113.99,a-long-hostname.elb.example.com,203.0.113.10');
    const rules = ['a.example', 'b.example', '', 'c.example', 'd.example'].map((host) => (host ? { host } : {}));
    const ing = printerFor('networking.k8s.io', 'ingresses').row({ metadata: meta, spec: { rules } }, NOW).cells;
    assert.equal(ing[2], 'a.example,b.example,c.example + 2 more...');
    const slice = printerFor('discovery.k8s.io', 'endpointslices').row({ metadata: meta, addressType: 'IPv4', endpoints: [],
      ports: [{ port: 53 }, { name: 'dns' }, {}, { port: 9153 }, { port: 8080 }] }, NOW).cells;
    assert.equal(slice[2], '53,dns,* + 2 more...');
  });

  it('builds a Table with PartialObjectMetadata rows, or the object, or nothing', () => {
    const p = printerFor('', 'configmaps');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: T0 }, data: { a: '1', b: '2' } };
    const t = toTable(p, [cm], { apiVersion: 'meta.k8s.io/v1', now: NOW, includeObject: 'Metadata' });
    assert.equal(t.kind, 'Table');
    assert.deepEqual((t.rows[0] as any).cells, ['c', 2, '60m']);
    assert.deepEqual((t.rows[0] as any).object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata });
    assert.equal((toTable(p, [cm], { apiVersion: 'meta.k8s.io/v1', now: NOW, includeObject: 'Object' }).rows[0] as any).object, cm);
    assert.equal((toTable(p, [cm], { apiVersion: 'meta.k8s.io/v1', now: NOW, includeObject: 'None' }).rows[0] as any).object, undefined);
  });
});
