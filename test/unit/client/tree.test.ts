import * as assert from 'assert';
import { ClusterStore, Coalescer } from '../../../client/src/model/store';
import { plainT, TreeModel, TreeContext } from '../../../client/src/model/tree';
import { TreeNode } from '../../../client/src/model/node';
import { TreeMirror } from '../../../client/src/model/mirror';
import { podStatus, podLook, statusBarText } from '../../../client/src/model/status';

const NOW = Date.parse('2026-01-05T10:00:00Z');

function ctx(store: ClusterStore): TreeContext {
  return { store, t: plainT, now: () => NOW, target: { kind: 'playground', name: 'kubeplay', connected: true },
    stats: { time: NOW, speed: 1, paused: false, components: { 'default-scheduler': { scheduled: 3 }, etcd: { objects: 12, revision: 40 }, 'replicaset-controller': { syncs: 4, podsCreated: 3 }, 'deployment-controller': { syncs: 2 }, 'kube-controller-manager': { syncs: 6 } } } };
}

const meta = (name: string, extra: any = {}) => ({ name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-05T09:59:00Z', ...extra });
const owner = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }] });
const running = (node = 'node-1'): any => ({ nodeName: node, containers: [{ name: 'c', image: 'nginx' }] });
const runningStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] };

function seed(store: ClusterStore, pods = 3) {
  store.apply('nodes', 'ADDED', { kind: 'Node', metadata: { name: 'node-1', uid: 'n1' }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  store.apply('namespaces', 'ADDED', { kind: 'Namespace', metadata: { name: 'default', uid: 'ns' } });
  store.apply('deployments', 'ADDED', { kind: 'Deployment', apiVersion: 'apps/v1', metadata: meta('web'), spec: { replicas: pods }, status: { readyReplicas: pods } });
  store.apply('replicasets', 'ADDED', { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata: meta('web-abc', { ...owner('Deployment', 'web'), annotations: { 'deployment.kubernetes.io/revision': '1' } }), spec: { replicas: pods }, status: { readyReplicas: pods } });
  for (let i = 0; i < pods; i++) {
    store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: meta(`web-abc-${String(i).padStart(5, '0')}`, owner('ReplicaSet', 'web-abc')), spec: running(), status: runningStatus });
  }
}

const child = (nodes: TreeNode[], label: string) => {
  const n = nodes.find((x) => x.label === label);
  assert.ok(n, `no row "${label}" among ${nodes.map((x) => x.label).join(', ')}`);
  return n!;
};

describe('client tree model', () => {
  it('shows Deployment → ReplicaSet (revision) → Pods with ready counts', () => {
    const store = new ClusterStore();
    seed(store);
    const model = new TreeModel(ctx(store));
    const ns = child(child(model.roots(), 'Namespaces').children!(), 'default');
    const deployments = child(child(ns.children!(), 'Workloads').children!(), 'Deployments');
    const web = child(deployments.children!(), 'web');
    assert.strictEqual(web.description, '3/3 ready');
    assert.strictEqual(web.contextValue, 'kubeplay.deployment');
    const rs = child(web.children!(), 'web-abc');
    assert.match(rs.description!, /^rev 1 · 3\/3 ready$/);
    const pods = rs.children!();
    assert.strictEqual(pods.length, 3);
    assert.strictEqual(pods[0].contextValue, 'kubeplay.pod');
    assert.deepStrictEqual(pods[0].look, { icon: 'pass-filled', color: 'charts.green' });
  });

  it('says so under Workloads when a namespace runs nothing, until something is applied there', () => {
    const store = new ClusterStore();
    store.apply('namespaces', 'ADDED', { kind: 'Namespace', metadata: { name: 'default', uid: 'ns' } });
    const workloads = () => child(child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default').children!(), 'Workloads');
    assert.strictEqual(workloads().expanded, true);
    const [none, ...rest] = workloads().children!();
    assert.deepStrictEqual([none.label, none.description, none.children, none.contextValue, rest.length], ['No workloads', 'apply a manifest to add one', undefined, undefined, 0]);
    seed(store);
    assert.deepStrictEqual(workloads().children!().map((n) => n.label), ['Deployments']);
  });

  it('names a NodePort Service\'s node ports, and on the playground the localhost URL they answer on', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('services', 'ADDED', { kind: 'Service', apiVersion: 'v1', metadata: meta('web-np'), spec: { type: 'NodePort', clusterIP: '10.96.3.4', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 31433 }] } });
    const row = (c: TreeContext) => {
      const ns = child(child(new TreeModel(c).roots(), 'Namespaces').children!(), 'default');
      return child(child(ns.children!(), 'Services').children!(), 'web-np');
    };
    assert.match(String(row(ctx(store)).tooltip?.()), /- Node port: 31433\/TCP — on this machine: http:\/\/127\.0\.0\.1:31433\/$/);
    const real = { ...ctx(store), target: { kind: 'context' as const, name: 'prod', connected: true } };
    assert.match(String(row(real).tooltip?.()), /- Node port: 31433\/TCP$/, 'a real cluster\'s nodes are not this machine');
  });

  it('shows an Ingress with its class and address, a row per path naming its Service port and ready endpoints, and how to reach a host from here', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('namespaces', 'ADDED', { kind: 'Namespace', metadata: { name: 'ingress-nginx', uid: 'ns2' } });
    store.apply('services', 'ADDED', { kind: 'Service', apiVersion: 'v1', metadata: { ...meta('ingress-nginx-controller'), namespace: 'ingress-nginx' }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30595 }, { name: 'https', port: 443, nodePort: 31916 }] } });
    store.apply('services', 'ADDED', { kind: 'Service', apiVersion: 'v1', metadata: meta('web'), spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } });
    store.apply('endpointslices', 'ADDED', { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', metadata: meta('web-x', { labels: { 'kubernetes.io/service-name': 'web' } }),
      ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }, { addresses: ['10.244.2.5'], conditions: { ready: false } }] });
    store.apply('ingresses', 'ADDED', { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: meta('site'),
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }, { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }] } } });
    const ns = child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default');
    const site = child(child(ns.children!(), 'Ingresses').children!(), 'site');
    assert.strictEqual(site.description, 'nginx · 172.18.0.2');
    assert.match(String(site.tooltip?.()), /- `curl --resolve shop\.example:30595:127\.0\.0\.1 http:\/\/shop\.example:30595\/`$/);
    assert.deepStrictEqual(site.children!().map((r) => [r.label, r.description]), [
      ['shop.example/ …', '→ web:8080 · 1 endpoints'],
      ['shop.example/api', '→ api:80 · no such Service'],
    ]);
  });

  it('says on a workload that an autoscaler scales it, with its range and targets', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('horizontalpodautoscalers', 'ADDED', { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', metadata: meta('web'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '90m' } } }] } });
    const model = new TreeModel(ctx(store));
    const ns = child(child(model.roots(), 'Namespaces').children!(), 'default');
    const web = child(child(child(ns.children!(), 'Workloads').children!(), 'Deployments').children!(), 'web');
    assert.strictEqual(web.description, '3/3 ready · HPA 1–10, cpu: 45%/50%');
    assert.match(String(web.tooltip?.()), /Autoscaled by HorizontalPodAutoscaler web: 1–10 replicas, cpu: 45%\/50%/);
    assert.strictEqual(child(web.children!(), 'web-abc').description, 'rev 1 · 3/3 ready', 'the ReplicaSet is not the target');
  });

  it('shows nodes with allocation and the pods on them, and control plane counters', () => {
    const store = new ClusterStore();
    seed(store);
    const model = new TreeModel(ctx(store));
    const nodes = child(model.roots(), 'Nodes');
    assert.strictEqual(nodes.description, '1/1 ready');
    const n1 = child(nodes.children!(), 'node-1');
    assert.strictEqual(n1.description, 'Ready');
    // Cordoned, as kubectl get nodes prints it; cpu, memory and the taints are in the tooltip.
    store.apply('nodes', 'MODIFIED', { kind: 'Node', metadata: { name: 'node-1', uid: 'n1' }, spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    const cordoned = child(new TreeModel(ctx(store)).roots().find((r) => r.label === 'Nodes')!.children!(), 'node-1');
    assert.strictEqual(cordoned.description, 'Ready,SchedulingDisabled');
    const tip = typeof cordoned.tooltip === 'function' ? cordoned.tooltip() : String(cordoned.tooltip);
    assert.match(tip, /- Unschedulable: true\n/);
    assert.match(tip, /- Taints: `node\.kubernetes\.io\/unschedulable:NoSchedule`\n/);
    assert.match(tip, /cpu .*\/4 · mem .*\/16Gi · pods 3\/110/);
    assert.strictEqual(child(n1.children!(), 'Pods').children!().length, 3);
    assert.strictEqual(child(n1.children!(), 'Pods').description, '3/110', 'the pods against the node\'s limit');
    const cp = child(model.roots(), 'Control plane').children!();
    assert.deepStrictEqual(cp.map((c) => c.label), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kube-dns']);
    assert.strictEqual(child(cp, 'kube-scheduler').description, '3 scheduled');
    assert.strictEqual(child(cp, 'etcd').description, '12 objects');
    assert.strictEqual(child(cp, 'kube-proxy').description, 'idle');
  });

  it('files controllers under the controller-manager', () => {
    const store = new ClusterStore();
    seed(store);
    const cm = child(child(new TreeModel(ctx(store)).roots(), 'Control plane').children!(), 'kube-controller-manager');
    assert.strictEqual(cm.description, '6 syncs');
    assert.deepStrictEqual(cm.children!().map((c) => c.label), ['deployment-controller', 'kube-controller-manager', 'replicaset-controller']);
    assert.strictEqual(child(cm.children!(), 'replicaset-controller').description, 'syncs 4 · pods created 3');
  });

  it('groups 10,000 pods into pages of 100 and computes nothing below closed rows', () => {
    const store = new ClusterStore();
    seed(store, 10_000);
    const model = new TreeModel(ctx(store));
    const ns = child(child(model.roots(), 'Namespaces').children!(), 'default');
    const rs = child(child(child(child(ns.children!(), 'Workloads').children!(), 'Deployments').children!(), 'web').children!(), 'web-abc');
    const pages = rs.children!();
    assert.strictEqual(pages.length, 100);
    assert.strictEqual(pages[0].label, '1–100');
    assert.strictEqual(pages[0].children!().length, 100);
    assert.strictEqual(new Set(pages.map((p) => p.id)).size, 100, 'page ids are unique');
  });

  it('keeps ids stable across refreshes and updates from watch events', () => {
    const store = new ClusterStore();
    seed(store);
    const model = new TreeModel(ctx(store));
    const find = () => child(child(child(child(child(model.roots(), 'Namespaces').children!(), 'default').children!(), 'Workloads').children!(), 'Deployments').children!(), 'web');
    const before = find().id;
    store.apply('deployments', 'MODIFIED', { kind: 'Deployment', apiVersion: 'apps/v1', metadata: meta('web'), spec: { replicas: 5 }, status: { readyReplicas: 3 } });
    const after = find();
    assert.strictEqual(after.id, before);
    assert.strictEqual(after.description, '3/5 ready');
    store.apply('pods', 'DELETED', { kind: 'Pod', metadata: meta('web-abc-00000', owner('ReplicaSet', 'web-abc')), spec: running() });
    assert.strictEqual(store.podsOnNode('node-1').length, 2);
    assert.strictEqual(store.owned('pods', 'uid-web-abc').length, 2);
  });

  it('finds the path to an applied object for reveal', () => {
    const store = new ClusterStore();
    seed(store);
    const model = new TreeModel(ctx(store));
    const path = model.pathTo({ apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'web' });
    assert.deepStrictEqual(path?.map((n) => n.label), ['Namespaces', 'default', 'Workloads', 'Deployments', 'web']);
  });

  it('shows Secret keys with sizes, never values', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('secrets', 'ADDED', { kind: 'Secret', metadata: meta('db'), type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
    const model = new TreeModel(ctx(store));
    const ns = child(child(model.roots(), 'Namespaces').children!(), 'default');
    const secret = child(child(ns.children!(), 'Secrets').children!(), 'db');
    const keys = secret.children!();
    assert.deepStrictEqual(keys.map((k) => [k.label, k.description]), [['password', '7 bytes']]);
    assert.ok(!JSON.stringify(keys.map(({ parent, ...k }) => k)).includes('hunter2'));
  });

  it('computes kubectl STATUS words and their looks', () => {
    const base = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } };
    const waiting = (reason: string) => ({ ...base, status: { phase: 'Pending', containerStatuses: [{ name: 'c', restartCount: 4, state: { waiting: { reason } } }] } });
    assert.strictEqual(podStatus(waiting('CrashLoopBackOff')).reason, 'CrashLoopBackOff');
    assert.strictEqual(podStatus(waiting('CrashLoopBackOff')).restarts, 4);
    assert.strictEqual(podLook(podStatus(waiting('ImagePullBackOff'))).color, 'charts.red');
    assert.strictEqual(podStatus(waiting('ContainerCreating')).reason, 'ContainerCreating');
    assert.strictEqual(podStatus({ ...base, status: { phase: 'Pending' } }).reason, 'Pending');
    // A native sidecar that has started counts as a ready container, as kubectl prints it (2/2 Running).
    const sidecar = {
      metadata: { name: 'p' }, spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'c' }] },
      status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 1, state: { running: {} } }],
        containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
    };
    assert.deepStrictEqual(podStatus(sidecar), { reason: 'Running', ready: 2, total: 2, restarts: 1 });
    assert.strictEqual(podLook(podStatus(sidecar)).icon, 'pass-filled');
    assert.strictEqual(podStatus({ ...base, status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { reason: 'Completed', exitCode: 0 } } }] } }).reason, 'Completed');
    assert.strictEqual(podStatus({ ...base, status: { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137 } } }] } }).reason, 'ExitCode:137');
    assert.strictEqual(podStatus({ metadata: { name: 'p', deletionTimestamp: 'x' }, spec: base.spec, status: runningStatus }).reason, 'Terminating');
  });

  it('gives the status bar one icon, short figures, and the tooltip\'s sentence for screen readers', () => {
    const calm = statusBarText(plainT, 'Playground', { ready: 4, total: 4 }, 21, 0);
    assert.strictEqual(calm.text, '$(server) 4/4 · 21');
    assert.strictEqual(calm.tooltip, 'Playground: 4/4 nodes ready, 21 pods running in all namespaces, 0 pending');
    assert.strictEqual(statusBarText(plainT, 'Playground', { ready: 3, total: 4 }, 21, 2).text, '$(server) 3/4 · 21 · 2 pending');
  });

  it('counts pods by phase as watch events, re-lists and a reset change them (the status bar reads these)', () => {
    const store = new ClusterStore();
    const pod = (name: string, phase?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta(name), spec: running(), ...(phase ? { status: { phase } } : {}) });
    store.apply('pods', 'ADDED', pod('a'));
    store.apply('pods', 'ADDED', pod('b', 'Pending'));
    assert.deepStrictEqual([store.podsInPhase('Pending'), store.podsInPhase('Running'), store.podsInPhase('')], [1, 0, 1]);
    store.apply('pods', 'MODIFIED', pod('a', 'Pending'));
    store.apply('pods', 'MODIFIED', pod('b', 'Running'));
    store.apply('pods', 'MODIFIED', pod('b', 'Running'));
    assert.deepStrictEqual([store.podsInPhase('Pending'), store.podsInPhase('Running'), store.podsInPhase('')], [1, 1, 0]);
    store.apply('pods', 'DELETED', pod('a', 'Pending'));
    store.apply('pods', 'DELETED', pod('gone', 'Running'));
    assert.deepStrictEqual([store.podsInPhase('Pending'), store.podsInPhase('Running')], [0, 1]);
    store.replace('pods', [pod('c', 'Running'), pod('d', 'Succeeded'), pod('e', 'Pending')]);
    assert.deepStrictEqual(['Pending', 'Running', 'Succeeded'].map((p) => store.podsInPhase(p)), [1, 1, 1]);
    // Objects of other resources never count, whatever their status says.
    store.apply('nodes', 'ADDED', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { phase: 'Running' } });
    assert.strictEqual(store.podsInPhase('Running'), 1);
    store.clear();
    assert.strictEqual(store.podsInPhase('Running'), 0);
  });

  it('coalesces bursts of changes into one refresh per window', () => {
    let fired = 0;
    const timers: (() => void)[] = [];
    const c = new Coalescer(100, () => fired++, (fn) => timers.push(fn));
    for (let i = 0; i < 500; i++) c.poke();
    assert.strictEqual(timers.length, 1);
    timers.shift()!();
    assert.strictEqual(fired, 1);
    c.poke();
    assert.strictEqual(timers.length, 1);
  });
});

describe('client tree rows a learner reads at the side bar\'s width', () => {
  const zh: Record<string, string> = { '{0} requests': '{0} 个请求', 'syncs': '同步次数', 'pods created': '创建的 Pod', 'counter': '计数器', 'value': '值', '{0} syncs': '同步 {0} 次' };
  const zhT = (m: string, ...args: (string | number)[]) => plainT(zh[m] ?? m, ...args);

  it('labels a pod under its ReplicaSet, Job, StatefulSet or DaemonSet by what tells it apart; the full name stays in the tooltip and for screen readers', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('statefulsets', 'ADDED', { kind: 'StatefulSet', apiVersion: 'apps/v1', metadata: meta('db'), spec: { replicas: 1 }, status: { readyReplicas: 1 } });
    store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: meta('db-0', owner('StatefulSet', 'db')), spec: running(), status: runningStatus });
    const ns = child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default');
    const workloads = child(ns.children!(), 'Workloads').children!();
    const rs = child(child(child(workloads, 'Deployments').children!(), 'web').children!(), 'web-abc');
    const pod = child(rs.children!(), '…-00001');
    assert.strictEqual(pod.description, 'Running · 1/1 ready · node-1');
    assert.strictEqual(pod.accessibility, 'web-abc-00001, Running · 1/1 ready · node-1');
    assert.match(String(pod.tooltip?.()), /^\*\*web\\-abc\\-00001\*\*/);
    assert.strictEqual(pod.ref?.name, 'web-abc-00001');
    assert.ok(child(child(child(workloads, 'StatefulSets').children!(), 'db').children!(), '…-0'));
    // Under a node, pods of every owner mix: the full name.
    const onNode = child(child(child(new TreeModel(ctx(store)).roots(), 'Nodes').children!(), 'node-1').children!(), 'Pods').children!();
    assert.ok(child(onNode, 'web-abc-00001'));
  });

  it('puts the namespaces first and the control plane closed below them, each component with one translated headline and its counters named in words', () => {
    const store = new ClusterStore();
    seed(store);
    const c = { ...ctx(store), t: zhT };
    c.stats!.components['apiserver'] = { get: 5, requests: 9 };
    const roots = new TreeModel(c).roots();
    assert.deepStrictEqual(roots.map((r) => r.id), ['target', 'ns', 'nodes', 'cp', 'pvs']);
    const cp = roots.find((r) => r.id === 'cp')!;
    assert.ok(!cp.expanded, 'closed by default');
    const comps = cp.children!();
    assert.strictEqual(child(comps, 'kube-apiserver').description, '9 个请求');
    const cm = child(comps, 'kube-controller-manager');
    assert.strictEqual(cm.description, '同步 6 次');
    const tip = String(cm.tooltip?.());
    assert.match(tip, /\| 计数器 \| 值 \|/);
    assert.match(tip, /\| 同步次数 \| 6 \|/, 'the controller-manager\'s own sum, not added twice');
    assert.match(tip, /\| 创建的 Pod \| 3 \|/);
    assert.ok(!/podsCreated/.test(tip), tip);
  });

  it('says "1 pod" of a namespace with one pod', () => {
    const store = new ClusterStore();
    seed(store, 1);
    const ns = child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default');
    assert.strictEqual(ns.description, '1 pod');
  });

  it('lists events newest first, events of the same second in the reverse of the order they were written, and pages by age', () => {
    const store = new ClusterStore();
    seed(store);
    const ev = (name: string, reason: string, at: string, rv: number) => store.apply('events', 'ADDED', {
      kind: 'Event', apiVersion: 'v1', metadata: { name, namespace: 'default', uid: name, creationTimestamp: at, resourceVersion: String(rv) },
      involvedObject: { kind: 'Pod', name: 'web-abc-00000' }, reason, type: 'Normal', message: reason, lastTimestamp: at, firstTimestamp: at,
    });
    // Written in this order within two seconds, and stored in another.
    ev('e5', 'Started', '2026-01-05T09:59:31Z', 105);
    ev('e1', 'Killing', '2026-01-05T09:59:30Z', 101);
    ev('e3', 'Scheduled', '2026-01-05T09:59:31Z', 103);
    ev('e2', 'SuccessfulCreate', '2026-01-05T09:59:30Z', 102);
    ev('e4', 'Pulled', '2026-01-05T09:59:31Z', 104);
    ev('e6', 'Created', '2026-01-05T09:59:31Z', 1000);
    const ns = child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default');
    const events = child(ns.children!(), 'Events');
    assert.deepStrictEqual(events.children!().map((e) => e.label), ['Created', 'Started', 'Pulled', 'Scheduled', 'SuccessfulCreate', 'Killing']);
    for (let i = 0; i < 250; i++) ev(`old-${i}`, 'Pulled', new Date(NOW - 3600_000 - i * 1000).toISOString(), 10 + i);
    const pages = child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default').children!().find((r) => r.label === 'Events')!.children!();
    assert.deepStrictEqual(pages.map((p) => [p.label, p.description]), [['newest 100', '29s – 61m'], ['older 101–200', '61m – 63m'], ['older 201–256', '63m – 64m']]);
  });
});

describe('client tree mirror (what VS Code is asked to refresh)', () => {
  const open = (m: TreeMirror, path: string[]) => {
    let rows = m.children();
    let row: TreeNode | undefined;
    for (const id of path) {
      row = rows.find((r) => r.id === id);
      assert.ok(row, `no row ${id} among ${rows.map((r) => r.id).join(', ')}`);
      rows = m.children(row);
    }
    return rows;
  };
  const RS = 'ns/default/workloads/deployments/deployments:web/replicasets:web-abc';
  const PATH = ['ns', 'ns/default', 'ns/default/workloads', 'ns/default/workloads/deployments', 'ns/default/workloads/deployments/deployments:web', RS];

  it('asks for nothing when nothing changed, and keeps one object per row', () => {
    const store = new ClusterStore();
    seed(store);
    const mirror = new TreeMirror(() => new TreeModel(ctx(store)).roots());
    const pods = open(mirror, PATH);
    assert.strictEqual(pods.length, 3);
    assert.deepStrictEqual(mirror.changes(), []);
    assert.strictEqual(open(mirror, PATH)[0], pods[0], 'same instance after a re-fetch');
  });

  it('refreshes nothing as time passes and counters move: ages and counters are in tooltips, built on hover', () => {
    const store = new ClusterStore();
    seed(store);
    let now = NOW;
    const c = { ...ctx(store), now: () => now };
    const mirror = new TreeMirror(() => new TreeModel(c).roots());
    const pods = open(mirror, PATH);
    const before = pods[0].tooltip!();
    assert.match(before, /Age: 60s/);
    now += 3 * 60_000;
    // A node heartbeat: the node's conditions move, the workload rows do not.
    const n = store.get('nodes', '', 'node-1')!;
    store.apply('nodes', 'MODIFIED', { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(now).toISOString() }] } });
    assert.deepStrictEqual(mirror.changes(), [], 'a refresh of the ReplicaSet row would drop its pods\' handles');
    assert.match(pods[0].tooltip!(), /Age: 4m/, 'the tooltip is as old as the moment it is hovered');
  });

  it('refreshes only the pod row whose status changed', () => {
    const store = new ClusterStore();
    seed(store);
    const mirror = new TreeMirror(() => new TreeModel(ctx(store)).roots());
    const pods = open(mirror, PATH);
    const p = store.get('pods', 'default', 'web-abc-00001')!;
    store.apply('pods', 'MODIFIED', { ...p, status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } });
    const changed = mirror.changes();
    assert.deepStrictEqual(changed.map((n) => n?.id), [pods[1].id]);
    assert.strictEqual(changed[0], pods[1], 'the instance VS Code knows');
    assert.match(pods[1].description!, /^CrashLoopBackOff/);
  });

  it('refreshes again a row whose children were fetched twice in one turn, the first fetch perhaps shown as none', () => {
    const store = new ClusterStore();
    seed(store);
    const turnEnds: (() => void)[] = [];
    let doubts = 0;
    const mirror = new TreeMirror(() => new TreeModel(ctx(store)).roots(), () => doubts++, (fn) => turnEnds.push(fn));
    const endTurn = () => turnEnds.splice(0).forEach((fn) => fn());
    open(mirror, PATH);
    endTurn();
    const ns = mirror.children().find((r) => r.id === 'ns')!;
    endTurn();
    const dep = open(mirror, PATH.slice(0, 4)).find((r) => r.id === PATH[4])!;
    endTurn();
    // One fetch a turn, however many rows: nothing to doubt.
    mirror.children(dep);
    mirror.children(ns);
    assert.strictEqual(doubts, 0);
    assert.deepStrictEqual(mirror.takeDoubts(), []);
    endTurn();
    // The window and a reveal fetch the Deployment's ReplicaSets in the same turn.
    mirror.children(dep);
    mirror.children(dep);
    mirror.children(dep);
    mirror.children();
    mirror.children();
    assert.strictEqual(doubts, 1, 'told once, however many doubts pile up before they are taken');
    const taken = mirror.takeDoubts();
    assert.deepStrictEqual(taken.map((n) => n?.id), [dep.id, undefined]);
    assert.strictEqual(taken[0], dep, 'the instance VS Code knows');
    assert.deepStrictEqual(mirror.takeDoubts(), [], 'taken once');
    endTurn();
    mirror.children(dep);
    assert.strictEqual(doubts, 1, 'a fetch in a later turn is no doubt');
    mirror.children(dep);
    assert.strictEqual(doubts, 2);
    // A row that has gone since is not refreshed.
    mirror.takeDoubts();
    endTurn();
    mirror.children(dep);
    mirror.children(dep);
    store.apply('deployments', 'DELETED', store.get('deployments', 'default', 'web')!);
    endTurn();
    const workloads = open(mirror, PATH.slice(0, 2)).find((r) => r.id === PATH[2])!;
    endTurn();
    assert.ok(!mirror.children(workloads).some((r) => r.id === PATH[3]), 'the Deployments group is gone');
    assert.deepStrictEqual(mirror.takeDoubts().map((n) => n?.id), [], 'its doubt goes with it');
  });

  it('refreshes a row a reveal walked past after its text changed: the reveal does not show VS Code the new text', () => {
    const store = new ClusterStore();
    seed(store);
    const model = new TreeModel(ctx(store));
    const mirror = new TreeMirror(() => model.roots());
    open(mirror, PATH.slice(0, 1));
    const ns = mirror.children().find((r) => r.id === 'ns')!;
    const def = mirror.children(ns).find((r) => r.id === 'ns/default')!;
    assert.strictEqual(def.description, '3 pods');
    // An apply: the Deployment and its pods reach the store before the client reveals the Deployment.
    store.apply('deployments', 'ADDED', { kind: 'Deployment', apiVersion: 'apps/v1', metadata: meta('bulk'), spec: { replicas: 2 }, status: {} });
    for (const i of [0, 1]) store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: meta(`bulk-x-${i}`), spec: running(), status: { phase: 'Pending' } });
    const path = mirror.adoptPath(model.pathTo({ apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'bulk' })!);
    assert.strictEqual(path[1], def, 'the instance VS Code knows');
    // VS Code's reveal fetches the children of the rows on the path, not those rows' own items again.
    const ids = mirror.changes().map((n) => n?.id);
    assert.ok(ids.includes('ns/default'), `the namespace row now says "5 pods" and VS Code still shows "3 pods": ${ids.join(', ')}`);
    assert.deepStrictEqual(mirror.changes().map((n) => n?.id), [], 'asked once');
  });

  it('refreshes a parent when its children change', () => {
    const store = new ClusterStore();
    seed(store);
    const mirror = new TreeMirror(() => new TreeModel(ctx(store)).roots());
    open(mirror, PATH);
    store.apply('pods', 'DELETED', store.get('pods', 'default', 'web-abc-00000')!);
    // The namespace row's "3 pods" became "2 pods": refreshing it re-fetches everything below it,
    // so nothing deeper is listed, and the rest of the tree (nodes, other namespaces) is left alone.
    const ids = mirror.changes().map((n) => n?.id);
    assert.ok(ids.includes('ns/default'), ids.join(', '));
    assert.ok(!ids.includes(undefined), 'not the whole tree');
    assert.ok(!ids.some((id) => id?.startsWith('ns/default/')), ids.join(', '));
  });

  it('lists a static pod\'s mirror (controlled by its Node) under kube-system\'s Pods, and gives its Control plane row the pod', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('namespaces', 'ADDED', { kind: 'Namespace', metadata: { name: 'kube-system', uid: 'ks' } });
    store.apply('nodes', 'ADDED', { kind: 'Node', metadata: { name: 'kubeplay-control-plane', uid: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    const nodeOwner = { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'kubeplay-control-plane', uid: 'cp', controller: true }] };
    for (const c of ['etcd', 'kube-scheduler']) {
      store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: { ...meta(`${c}-kubeplay-control-plane`, nodeOwner), namespace: 'kube-system', labels: { component: c, tier: 'control-plane' }, annotations: { 'kubernetes.io/config.mirror': 'abc', 'kubernetes.io/config.hash': 'abc' } }, spec: running('kubeplay-control-plane'), status: runningStatus });
    }
    store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: { ...meta('kube-proxy-x1', owner('DaemonSet', 'kube-proxy')), namespace: 'kube-system' }, spec: running(), status: runningStatus });
    const model = new TreeModel(ctx(store));
    const ks = child(child(model.roots(), 'Namespaces').children!(), 'kube-system');
    const pods = child(child(ks.children!(), 'Workloads').children!(), 'Pods');
    assert.strictEqual(pods.description, '2');
    assert.deepStrictEqual(pods.children!().map((p) => p.label), ['etcd-kubeplay-control-plane', 'kube-scheduler-kubeplay-control-plane']);
    const cp = child(model.roots(), 'Control plane').children!();
    const sched = child(cp, 'kube-scheduler');
    assert.strictEqual(sched.contextValue, 'kubeplay.component.pod');
    assert.deepStrictEqual(sched.ref, { apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespace: 'kube-system', name: 'kube-scheduler-kubeplay-control-plane' });
    assert.match(String(sched.tooltip?.()), /- Pod: kube\\-system\/kube\\-scheduler\\-kubeplay\\-control\\-plane — Running/);
    assert.strictEqual(child(cp, 'etcd').ref?.name, 'etcd-kubeplay-control-plane');
    // No static pod behind these rows: no pod actions.
    for (const name of ['kube-apiserver', 'kube-proxy', 'kubelet']) {
      assert.strictEqual(child(cp, name).contextValue, 'kubeplay.component', name);
      assert.strictEqual(child(cp, name).ref, undefined, name);
    }
  });

  it('writes a node tooltip\'s <none> so that Markdown keeps it, says why a condition is unhealthy, and translates its labels', () => {
    const store = new ClusterStore();
    seed(store);
    store.apply('nodes', 'ADDED', { kind: 'Node', metadata: { name: 'node-2', uid: 'n2' }, spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] },
      status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized' },
      ] } });
    const nodes = child(new TreeModel(ctx(store)).roots(), 'Nodes').children!();
    const ready = child(nodes, 'node-1').tooltip!();
    assert.match(ready, /- Taints: \\<none\\>\n/, 'escaped, or the hover reads <none> as an HTML tag');
    const notReady = child(nodes, 'node-2').tooltip!();
    assert.match(notReady, /- Ready: False \(KubeletNotReady\) — container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized$/m);
    assert.match(notReady, /- MemoryPressure: False \(KubeletHasSufficientMemory\)$/m, 'a healthy condition without its message');
    const zh: Record<string, string> = { Unschedulable: '不可调度', Taints: '污点', '<none>': '<无>' };
    const zhTip = child(child(new TreeModel({ ...ctx(store), t: (m, ...a) => plainT(zh[m] ?? m, ...a) }).roots(), 'Nodes').children!(), 'node-1').tooltip!();
    assert.match(zhTip, /- 不可调度: false\n- 污点: \\<无\\>\n/);
  });

  it('puts the first waiting or failed container\'s reason and message in the pod tooltip, not an init container that completed', () => {
    const store = new ClusterStore();
    seed(store, 0);
    store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: meta('mean-pod'), spec: { nodeName: 'node-1', initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'web', image: 'nginx:no-such-tag' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:no-such-tag"' } } }] } });
    store.apply('pods', 'ADDED', { kind: 'Pod', apiVersion: 'v1', metadata: meta('ok-pod'), spec: running(), status: runningStatus });
    const pods = child(child(child(child(new TreeModel(ctx(store)).roots(), 'Namespaces').children!(), 'default').children!(), 'Workloads').children!(), 'Pods').children!();
    const tip = child(pods, 'mean-pod').tooltip!();
    assert.match(tip, /\n- `web`: ImagePullBackOff: Back\\-off pulling image "nginx:no\\-such\\-tag"$/);
    assert.doesNotMatch(tip, /Completed/);
    assert.doesNotMatch(child(pods, 'ok-pod').tooltip!(), /^- `c`:/m, 'a running container says nothing more');
  });
});
