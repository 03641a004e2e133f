import * as assert from 'assert';
import { tabwrite } from '../../../client/src/model/describe/tabwriter';
import { describePod } from '../../../client/src/model/describe/pod';
import { describeDeployment } from '../../../client/src/model/describe/workloads';
import { describeService, formatEndpointSlices } from '../../../client/src/model/describe/service';
import { describeNode } from '../../../client/src/model/describe/node';
import { describe as describeAny } from '../../../client/src/model/describe';
import { ClusterStore } from '../../../client/src/model/store';
import { humanDuration, rfc1123z } from '../../../client/src/model/format';

const T0 = Date.parse('2026-01-05T10:00:00Z');

function pod(): any {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: 'web-7d4b9c-abcde', namespace: 'default', uid: 'pod-uid',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'rs-uid', controller: true }],
      creationTimestamp: '2026-01-05T09:59:00Z',
    },
    spec: {
      nodeName: 'node-1', serviceAccountName: 'default', priority: 0,
      containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running', hostIP: '10.0.0.1', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], startTime: '2026-01-05T09:59:00Z',
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, image: 'nginx:1.14.2', imageID: 'docker.io/library/nginx@sha256:1', containerID: 'containerd://abc', state: { running: { startedAt: '2026-01-05T09:59:02Z' } } }],
    },
  };
}

const event = (reason: string, message: string, at: string, count = 1, component = 'default-scheduler'): any => ({
  metadata: { name: `e-${reason}`, namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web', uid: 'pod-uid' },
  type: 'Normal', reason, message, count, source: { component },
  firstTimestamp: at, lastTimestamp: count > 1 ? '2026-01-05T09:59:50Z' : at,
});

describe('client describe formatter', () => {
  it('aligns columns the way Go tabwriter does, with blocks broken by lines lacking the column', () => {
    const out = tabwrite('Name:\tx\nNamespace:\tdefault\nIPs:\n  IP:\t1.2.3.4\nControlled By:\tReplicaSet/a\n');
    assert.strictEqual(out, 'Name:       x\nNamespace:  default\nIPs:\n  IP:           1.2.3.4\nControlled By:  ReplicaSet/a\n');
  });

  it('leaves the text after the last tab unpadded and pads empty cells', () => {
    assert.strictEqual(tabwrite('a\t\tb\nlonger\t\tc\n'), 'a         b\nlonger    c\n');
  });

  it('formats durations like apimachinery HumanDuration', () => {
    assert.deepStrictEqual(
      [5e3, 119e3, 125e3, 600e3, 3 * 3600e3 + 5 * 60e3, 50 * 3600e3, 3 * 86400e3 + 3600e3].map(humanDuration),
      ['5s', '119s', '2m5s', '10m', '3h5m', '2d2h', '3d1h'],
    );
    assert.strictEqual(rfc1123z('2026-01-05T09:59:00Z'), 'Mon, 05 Jan 2026 09:59:00 +0000');
  });

  it('describes a pod in kubectl layout with Events at the bottom', () => {
    const text = describePod({ obj: pod(), events: [event('Scheduled', 'Successfully assigned default/web to node-1', '2026-01-05T09:59:00Z'), event('Pulled', 'Container image "nginx:1.14.2" already present on machine', '2026-01-05T09:59:01Z', 3, 'kubelet')], now: T0 });
    const lines = text.split('\n');
    assert.strictEqual(lines[0], 'Name:             web-7d4b9c-abcde');
    assert.strictEqual(lines[1], 'Namespace:        default');
    assert.ok(lines.includes('Node:             node-1/10.0.0.1'), text);
    assert.ok(lines.includes('Labels:           app=web'), text);
    assert.ok(lines.includes('                  pod-template-hash=7d4b9c'), text);
    assert.ok(lines.includes('Controlled By:  ReplicaSet/web-7d4b9c'), text);
    assert.ok(lines.includes('    State:          Running'), text);
    assert.ok(lines.includes('      Started:      Mon, 05 Jan 2026 09:59:02 +0000'), text);
    assert.ok(lines.includes('QoS Class:       BestEffort'), text);
    assert.ok(lines.includes('Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s'), text);
    const ev = lines.indexOf('Events:');
    assert.ok(ev > 0 && ev > lines.findIndex((l) => l.startsWith('Tolerations')), 'Events come last');
    assert.strictEqual(lines[ev + 1], '  Type    Reason     Age                From               Message');
    assert.strictEqual(lines[ev + 2], '  ----    ------     ----               ----               -------');
    assert.strictEqual(lines[ev + 3], '  Normal  Scheduled  60s                default-scheduler  Successfully assigned default/web to node-1');
    assert.strictEqual(lines[ev + 4], '  Normal  Pulled     10s (x3 over 59s)  kubelet            Container image "nginx:1.14.2" already present on machine');
  });

  it('prints Events: <none> when there are none', () => {
    assert.ok(describePod({ obj: pod(), events: [], now: T0 }).endsWith('Events:          <none>\n'));
  });

  it('describes a deployment with its new and old ReplicaSets', () => {
    const d: any = {
      kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'd', creationTimestamp: '2026-01-05T09:00:00Z', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'b' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.16' }] } } },
      status: { replicas: 3, updatedReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] },
    };
    const rs = (h: string, rev: string, n: number): any => ({ metadata: { name: `web-${h}`, labels: { 'pod-template-hash': h }, annotations: { 'deployment.kubernetes.io/revision': rev } }, spec: { replicas: n }, status: { replicas: n } });
    const text = describeDeployment({ obj: d, events: [], now: T0, replicaSets: [rs('a', '1', 0), rs('b', '2', 3)] });
    assert.match(text, /^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    assert.match(text, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    assert.match(text, /^OldReplicaSets:\s+web-a \(0\/0 replicas created\)$/m);
    assert.match(text, /^NewReplicaSet:\s+web-b \(3\/3 replicas created\)$/m);
    assert.match(text, /^Pod Template:\n  Labels:\s+app=web\n\s+pod-template-hash=b\n  Containers:\n   nginx:\n    Image:\s+nginx:1.16$/m);
    assert.match(text, /^  Available \s+True\s+MinimumReplicasAvailable$/m);
  });

  it('lists at most three endpoints of a service port', () => {
    const slice: any = { metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'web' } }, ports: [{ name: '', port: 80 }],
      endpoints: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((a, i) => ({ addresses: [a], conditions: { ready: i !== 4 } })) };
    assert.strictEqual(formatEndpointSlices([slice], ''), '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...');
    const text = describeService({ obj: { kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } }, events: [], now: T0, endpointSlices: [slice] });
    assert.match(text, /^Port:\s+<unset>\s+80\/TCP$/m);
    assert.match(text, /^TargetPort:\s+8080\/TCP$/m);
    assert.match(text, /^Endpoints:\s+10\.0\.0\.1:80,10\.0\.0\.2:80,10\.0\.0\.3:80 \+ 1 more\.\.\.$/m);
  });

  it('describes a node with allocation of its non-terminated pods', () => {
    const node: any = { kind: 'Node', metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/worker': '' } }, spec: {},
      status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], nodeInfo: { kubeletVersion: 'v1.34.0' } } };
    const p = pod();
    p.spec.containers[0].resources = { requests: { cpu: '500m', memory: '256Mi' } };
    const done = pod();
    done.metadata.name = 'done';
    done.status.phase = 'Succeeded';
    const text = describeNode({ obj: node, events: [], now: T0, pods: [p, done] });
    assert.match(text, /^Roles:\s+worker$/m);
    assert.match(text, /^Non-terminated Pods:\s+\(1 in total\)$/m);
    assert.match(text, /^  cpu\s+500m \(12%\)\s+0 \(0%\)$/m);
    assert.match(text, /^  memory\s+256Mi \(1%\)\s+0 \(0%\)$/m);
  });

  it('shows the node Lease after Unschedulable, as kubectl describe node does (no acquireTime: <unset>)', () => {
    const node: any = { kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: { nodeInfo: {} } };
    const lease: any = { kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:07.123456Z' } };
    const text = describeNode({ obj: node, events: [], now: T0, pods: [], lease });
    assert.match(text, /^Unschedulable:\s+false\nLease:\n  HolderIdentity:\s+node-1\n  AcquireTime:\s+<unset>\n  RenewTime:\s+Mon, 01 Jan 2024 00:00:07 \+0000\n/m);
    assert.doesNotMatch(describeNode({ obj: node, events: [], now: T0, pods: [] }), /^Lease:/m, 'no Lease read, no section');
    assert.match(text, /^  Kubelet Version:\s+\n  Kube-Proxy Version:\s+\n/m, 'kubectl prints the deprecated kube-proxy version, empty');
  });

  it('lists ephemeral-storage, huge pages and extended resources under Allocated resources, as describeNodeResource does', () => {
    const alloc = { cpu: '4', 'ephemeral-storage': '100Gi', 'example.com/dongle': '4', 'hugepages-1Gi': '0', 'hugepages-2Mi': '1Gi', memory: '16Gi', 'nvidia.com/gpu': '2', pods: '110' };
    const node: any = { kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: { allocatable: alloc, capacity: alloc, nodeInfo: {} } };
    const p = pod();
    p.spec.containers[0].resources = {
      requests: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '10Gi', 'hugepages-2Mi': '512Mi', 'nvidia.com/gpu': '1' },
      limits: { memory: '256Mi', 'ephemeral-storage': '20Gi', 'hugepages-2Mi': '512Mi', 'nvidia.com/gpu': '1' },
    };
    // A sidecar runs beside the app for the pod's whole life: its requests add up.
    p.spec.initContainers = [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '100m', 'ephemeral-storage': '1Gi' } } }];
    const text = describeNode({ obj: node, events: [], now: T0, pods: [p] });
    const allocated = text.slice(text.indexOf('Allocated resources:'), text.indexOf('Events:'));
    assert.deepStrictEqual(allocated.split('\n').slice(4).map((l) => l.trim().split(/\s{2,}|\t+/).join(' | ')).filter(Boolean), [
      'cpu | 600m (15%) | 0 (0%)',
      'memory | 256Mi (1%) | 256Mi (1%)',
      'ephemeral-storage | 11Gi (11%) | 20Gi (20%)',
      'hugepages-1Gi | 0 (0%) | 0 (0%)',
      'hugepages-2Mi | 512Mi (50%) | 512Mi (50%)',
      'example.com/dongle | 0 | 0',
      'nvidia.com/gpu | 1 | 1',
    ]);
  });

  it('counts a pod being resized with the larger of its spec and status, as kubectl does', () => {
    const node: any = { kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, capacity: { cpu: '4', memory: '16Gi', pods: '110' } } };
    const p = pod();
    p.spec.containers[0].resources = { requests: { cpu: '500m' }, limits: { cpu: '500m' } };
    p.status.containerStatuses = [{ name: 'nginx', allocatedResources: { cpu: '500m' }, resources: { requests: { cpu: '1' }, limits: { cpu: '1' } } }];
    assert.match(describeNode({ obj: node, events: [], now: T0, pods: [p] }), /^  cpu\s+1 \(25%\)\s+1 \(25%\)$/m);
    p.spec.containers[0].resources = { requests: { cpu: '2' }, limits: { cpu: '2' } };
    p.status.conditions = [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }];
    assert.match(describeNode({ obj: node, events: [], now: T0, pods: [p] }), /^  cpu\s+1 \(25%\)\s+1 \(25%\)$/m, 'an infeasible resize counts as what runs');
    p.status.conditions = [];
    assert.match(describeNode({ obj: node, events: [], now: T0, pods: [p] }), /^  cpu\s+2 \(50%\)\s+2 \(50%\)$/m);
  });

  it('never prints secret values', () => {
    const store = new ClusterStore();
    const secret: any = { kind: 'Secret', metadata: { name: 's', namespace: 'default', uid: 's' }, type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } };
    const text = describeAny(store, secret, T0);
    assert.match(text, /^password:\s+7 bytes$/m);
    assert.ok(!text.includes('hunter2') && !text.includes(secret.data.password));
  });
});

describe('client describe formatter: batch and config kinds', () => {
  const store = new ClusterStore();
  it('describes a Job with its pod statuses and duration', () => {
    const text = describeAny(store, { kind: 'Job', metadata: { name: 'report', namespace: 'default', uid: 'j' }, spec: { parallelism: 1, completions: 3, backoffLimit: 6, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j' } }, template: { metadata: { labels: { job: 'report' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      status: { startTime: '2026-01-05T09:00:00Z', completionTime: '2026-01-05T09:02:30Z', succeeded: 3, ready: 0 } } as any, T0);
    assert.match(text, /^Completions:\s+3$/m);
    assert.match(text, /^Duration:\s+2m30s$/m);
    assert.match(text, /^Pods Statuses:\s+0 Active \(0 Ready\) \/ 3 Succeeded \/ 0 Failed$/m);
    assert.match(text, /^Events:\s+<none>$/m);
  });

  it('describes a CronJob with unset fields as <unset>', () => {
    const text = describeAny(store, { kind: 'CronJob', metadata: { name: 'cleanup', namespace: 'default', uid: 'c' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } }, status: {} } as any, T0);
    assert.match(text, /^Schedule:\s+\*\/5 \* \* \* \*$/m);
    assert.match(text, /^Concurrency Policy:\s+Allow$/m);
    assert.match(text, /^Time Zone:\s+<unset>$/m);
    assert.match(text, /^Last Schedule Time:\s+<unset>$/m);
    assert.match(text, /^Active Jobs:\s+<none>$/m);
  });

  it('describes a DaemonSet with its scheduling counts and a ConfigMap with its data', () => {
    const ds = describeAny(store, { kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', uid: 'd' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { containers: [] } } }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberAvailable: 2 } } as any, T0);
    assert.match(ds, /^Desired Number of Nodes Scheduled: 3$/m);
    assert.match(ds, /^Number of Nodes Scheduled with Available Pods: 2$/m);
    const cm = describeAny(store, { kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' }, data: { LOG_LEVEL: 'debug' } } as any, T0);
    assert.match(cm, /\nData\n====\nLOG_LEVEL:\n----\ndebug\n/);
  });
});

describe('client describe formatter: environment', () => {
  it('resolves downward-API env of a pod and points at secret keys without values', () => {
    const p = pod();
    p.spec.containers[0].env = [
      { name: 'MY_POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'MODE', value: 'prod' },
    ];
    const text = describePod({ obj: p, events: [], now: T0 });
    assert.match(text, /^ {6}MY_POD:\s+web-7d4b9c-abcde \(v1:metadata\.name\)$/m);
    assert.match(text, /^ {6}PASSWORD:\s+<set to the key 'password' in secret 'db'>\s+Optional: false$/m);
    assert.match(text, /^ {6}MODE:\s+prod$/m);
  });
});
