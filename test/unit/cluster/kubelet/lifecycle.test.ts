import * as assert from 'assert';
import { createNodes, logs, BACKOFF_MAX_MS, type NodeFleet } from '../../../../cluster/src/kubelet';
import { Harness, PODS } from '../nodes/harness';

function pod(name: string, spec: any): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'kubeplay-worker', ...spec } };
}
const get = (h: Harness, name: string) => h.api.get(PODS, 'default', name);
const cs = (h: Harness, name: string) => get(h, name).status.containerStatuses[0];

describe('kubelet stage engine', () => {
  let h: Harness;
  let fleet: NodeFleet;
  beforeEach(() => {
    h = new Harness();
    fleet = createNodes(h.ctx, 1);
    fleet.start();
    h.settle();
  });

  it('takes a pod through ContainerCreating, Running and Ready with the upstream events', () => {
    h.api.create(PODS, 'default', pod('web', { containers: [{ name: 'nginx', image: 'nginx' }] }));
    h.advance(10);
    // SyncPod writes the status before it creates the sandbox: ContainerCreating, no IP yet.
    const first = get(h, 'web');
    assert.deepStrictEqual(first.status.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
    assert.strictEqual(first.status.podIP, undefined);
    assert.strictEqual(first.status.conditions.find((c: any) => c.type === 'PodReadyToStartContainers').status, 'False');
    h.advance(340);
    assert.strictEqual(get(h, 'web').status.podIP, undefined, 'the sandbox is up, but the PLEG has not relisted yet');
    // The first relist (1 s after the kubelet started) has seen the sandbox, but the pod worker is still in the sync
    // that pulls the image (the runtime's SyncPod blocks on the pull): no second status write, so no IP yet.
    h.advance(650);
    const p0 = get(h, 'web');
    assert.strictEqual(p0.status.podIP, undefined);
    assert.strictEqual(p0.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.strictEqual(p0.status.qosClass, 'BestEffort');
    h.advance(5000);
    const p = get(h, 'web');
    assert.strictEqual(p.status.phase, 'Running');
    assert.match(p.status.podIP, /^10\.244\.1\.\d+$/);
    assert.strictEqual(p.status.hostIP, '172.18.0.3');
    const ready = p.status.conditions.find((c: any) => c.type === 'Ready');
    assert.strictEqual(ready.status, 'True');
    assert.deepStrictEqual(p.status.conditions.map((c: any) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    assert.strictEqual(p.status.containerStatuses[0].started, true);
    // PodObservedGenerationTracking (beta in 1.34): the status and the kubelet's conditions name the spec's generation.
    assert.strictEqual(p.status.observedGeneration, 1);
    assert.ok(p.status.conditions.every((c: any) => c.observedGeneration === 1), JSON.stringify(p.status.conditions));
    assert.match(p.status.containerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/);
    const reasons = h.eventsFor('web').map((e) => e.reason);
    assert.deepStrictEqual(reasons, ['Pulling', 'Pulled', 'Created', 'Started']);
    const ev = h.eventsFor('web');
    assert.strictEqual(ev[0].message, 'Pulling image "nginx"');
    assert.match(ev[1].message, /^Successfully pulled image "nginx" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: 72195292 bytes\.$/);
    assert.strictEqual(ev[2].message, 'Created container: nginx');
    assert.strictEqual(ev[3].message, 'Started container nginx');
    assert.strictEqual(ev[0].component, 'kubelet');
    assert.strictEqual(ev[0].host, 'kubeplay-worker');
    assert.ok(logs(fleet, 'default', 'web', 'nginx').some((l) => l.includes('Configuration complete; ready for start up')));
  });

  it('imagePullPolicy Never runs only an image the node has: ErrImageNeverPull, tried again at each pod worker retry', () => {
    h.api.create(PODS, 'default', pod('local', { containers: [{ name: 'app', image: 'myapp:1.0', imagePullPolicy: 'Never' }] }));
    h.advance(30_000);
    assert.deepStrictEqual(cs(h, 'local').state, { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "myapp:1.0" is not present with pull policy of Never' } });
    assert.strictEqual(h.eventsFor('local', 'Pulling').length, 0, 'never pulled');
    const never = h.eventsFor('local', 'ErrImageNeverPull');
    assert.ok(never.length >= 2 && never.every((e) => e.type === 'Warning' && e.message === 'Container image "myapp:1.0" is not present with pull policy of Never'), JSON.stringify(never));
    assert.ok(h.eventsFor('local', 'Failed').every((e) => e.message === 'Error: ErrImageNeverPull'));
    // Once another pod has pulled the image onto the node, the next retry runs it.
    h.api.create(PODS, 'default', pod('puller', { containers: [{ name: 'app', image: 'myapp:1.0' }] }));
    h.advance(30_000);
    assert.ok(cs(h, 'local').state.running, JSON.stringify(cs(h, 'local').state));
  });

  it('a bare shell and the pause image write no log of their own', () => {
    h.api.create(PODS, 'default', pod('bare', { containers: [{ name: 'bare', image: 'busybox' }] }));
    h.api.create(PODS, 'default', pod('p', { containers: [{ name: 'p', image: 'registry.k8s.io/pause:3.10.1' }] }));
    h.advance(20_000);
    assert.ok(cs(h, 'bare').restartCount >= 1, 'the shell exits at once, with nothing to read');
    assert.deepStrictEqual([...logs(fleet, 'default', 'bare', 'bare')], []);
    assert.ok(cs(h, 'p').state.running);
    assert.deepStrictEqual([...logs(fleet, 'default', 'p', 'p')], []);
  });

  it('starts the containers one after another, each pulling its image first (a repeated image is then present)', () => {
    h.api.create(PODS, 'default', pod('two', { containers: [{ name: 'web', image: 'httpd:2.4' }, { name: 'cache', image: 'redis:7' }, { name: 'web2', image: 'httpd:2.4' }] }));
    h.advance(30_000);
    assert.deepStrictEqual(h.eventsFor('two').map((e) => `${e.reason} ${e.message.replace(/ in .*/, '')}`), [
      'Pulling Pulling image "httpd:2.4"', 'Pulled Successfully pulled image "httpd:2.4"', 'Created Created container: web', 'Started Started container web',
      'Pulling Pulling image "redis:7"', 'Pulled Successfully pulled image "redis:7"', 'Created Created container: cache', 'Started Started container cache',
      'Pulled Container image "httpd:2.4" already present on machine', 'Created Created container: web2', 'Started Started container web2',
    ]);
    // No pod of its own waits in "including waiting": each pull started when the one before had finished.
    const pulled = h.eventsFor('two', 'Pulled').filter((e) => e.message.startsWith('Successfully'));
    for (const e of pulled) {
      const m = /in ([\d.]+m?s) \(([\d.]+m?s) including waiting\)/.exec(e.message)!;
      assert.strictEqual(m[1], m[2], e.message);
    }
  });

  it('a container\'s status shows the resources it was given while it runs, and the user it runs as', () => {
    h.api.create(PODS, 'default', pod('res', { containers: [
      { name: 'sized', image: 'nginx:1.27', resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } } },
      // The unprivileged nginx build (the official one cannot start as user 1000: its folders are root's).
      { name: 'plain', image: 'nginxinc/nginx-unprivileged:1.27', securityContext: { runAsUser: 1000, runAsGroup: 3000 } },
      { name: 'alp', image: 'alpine:3.20', command: ['sleep', '3600'] },
    ], securityContext: { fsGroup: 2000 } }));
    h.advance(30_000);
    const [sized, plain, alp] = get(h, 'res').status.containerStatuses;
    assert.deepStrictEqual(sized.resources, { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } });
    assert.deepStrictEqual(plain.resources, {});
    assert.deepStrictEqual(sized.user, { linux: { uid: 0, gid: 0, supplementalGroups: [0, 2000] } });
    assert.deepStrictEqual(plain.user, { linux: { uid: 1000, gid: 3000, supplementalGroups: [2000, 3000] } });
    // Alpine's root is in bin, daemon, sys, adm, disk, wheel, floppy, dialout, tape and video (its /etc/group).
    assert.deepStrictEqual(alp.user, { linux: { uid: 0, gid: 0, supplementalGroups: [0, 1, 2, 3, 4, 6, 10, 11, 20, 26, 27, 2000] } });
    // A container not yet created has neither.
    h.api.create(PODS, 'default', pod('waiting', { containers: [{ name: 'app', image: 'myapp:2.0', imagePullPolicy: 'Never' }] }));
    h.advance(5_000);
    const w = cs(h, 'waiting');
    assert.strictEqual(w.resources, undefined);
    assert.strictEqual(w.user, undefined);
  });

  it('a pod whose image is on the node still shows ContainerCreating, and Running once the PLEG relists (every second)', () => {
    h.api.create(PODS, 'default', pod('first', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
    h.advance(10_000);
    const seen: Array<{ at: number; state: string; ip?: string }> = [];
    h.store.tap((table, rec) => {
      if (table !== '/pods' || rec.object.metadata.name !== 'second' || rec.type !== 'MODIFIED') return;
      seen.push({ at: h.clock.now(), state: Object.keys(rec.object.status?.containerStatuses?.[0]?.state ?? {})[0] + ':' + (rec.object.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''), ip: rec.object.status?.podIP });
    });
    const t0 = h.clock.now();
    h.api.create(PODS, 'default', pod('second', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
    h.advance(3000);
    assert.deepStrictEqual(seen.map((s) => s.state), ['waiting:ContainerCreating', 'running:'], JSON.stringify(seen));
    assert.ok(seen[0].at - t0 < 50 && seen[0].ip === undefined, 'the first write comes at once, before the sandbox has an IP');
    assert.strictEqual(h.eventsFor('second', 'Pulled')[0].message, 'Container image "nginx:1.27" already present on machine');
    const started = Date.parse(cs(h, 'second').state.running.startedAt);
    assert.ok(seen[1].at > t0 + 200 && seen[1].at <= t0 + 1300, `Running is posted at the relist after the start: ${seen[1].at - t0} ms`);
    assert.ok(seen[1].at >= started, 'never before the container started');
  });

  it('writes no status while the first sync pulls: two containers show ContainerCreating, then both Running, with an init container its run first', () => {
    const writes = (name: string) => {
      const out: string[] = [];
      h.store.tap((table, rec) => {
        if (table !== '/pods' || rec.object.metadata.name !== name || rec.type !== 'MODIFIED') return;
        const st = rec.object.status ?? {};
        const show = (c: any) => `${c.name}=${Object.keys(c.state ?? {})[0]}${c.state?.waiting ? ':' + c.state.waiting.reason : ''}`;
        out.push([...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])].map(show).join(',') + (st.podIP ? ' ip' : ''));
      });
      return out;
    };
    const two = writes('two');
    h.api.create(PODS, 'default', pod('two', { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'cache', image: 'redis:7' }] }));
    h.advance(60_000);
    // kubelet.SyncPod writes the status once, at its start; the runtime's SyncPod then makes the sandbox and pulls
    // and starts both containers before it returns, so the next write is the relist's after both started.
    assert.deepStrictEqual(two, ['web=waiting:ContainerCreating,cache=waiting:ContainerCreating', 'web=running,cache=running ip'], two.join(' | '));
    const init = writes('init');
    h.api.create(PODS, 'default', pod('init', {
      initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] }],
      containers: [{ name: 'app', image: 'httpd:2.4' }],
    }));
    h.advance(60_000);
    assert.deepStrictEqual(init.slice(0, 3), [
      'setup=waiting:PodInitializing,app=waiting:PodInitializing',
      'setup=running,app=waiting:PodInitializing ip',
      'setup=terminated,app=waiting:PodInitializing ip',
    ], init.join(' | '));
    assert.strictEqual(init[init.length - 1], 'setup=terminated,app=running ip', init.join(' | '));
  });

  it('a container that crashes while the sync still pulls another image is restarted only after that sync: its first Error shows', () => {
    const rows: string[] = [];
    h.store.tap((table, rec) => {
      if (table !== '/pods' || rec.object.metadata.name !== 'pair') return;
      const a = (rec.object.status?.containerStatuses ?? []).find((c: any) => c.name === 'a');
      const row = a && `${a.state.waiting?.reason ?? a.state.terminated?.reason ?? 'Running'}/${a.restartCount}`;
      if (row && rows[rows.length - 1] !== row) rows.push(row);
    });
    // `a` crashes 109 ms after it starts; `b`'s image (183 MB) takes seconds to pull, in the same sync.
    h.api.create(PODS, 'default', pod('pair', { containers: [{ name: 'a', image: 'kubeplay/crash:after-109ms' }, { name: 'b', image: 'example.com/big13:1' }] }));
    h.advance(30_000);
    assert.deepStrictEqual(rows.slice(0, 4), ['ContainerCreating/0', 'Error/0', 'Error/1', 'CrashLoopBackOff/1'], rows.join(' '));
  });

  it('cannot start a command whose executable name has blanks: StartError, exit 128, never started, then CrashLoopBackOff', () => {
    const rows: string[] = [];
    h.store.tap((table, rec) => {
      const st = table === '/pods' && rec.object.metadata.name === 'typo' ? rec.object.status?.containerStatuses?.[0] : undefined;
      const row = st && `${st.state.waiting?.reason ?? st.state.terminated?.reason ?? 'Running'}/${st.restartCount}`;
      if (row && rows[rows.length - 1] !== row) rows.push(row);
    });
    h.api.create(PODS, 'default', pod('typo', { containers: [{ name: 'app', image: 'python:3.12', command: ['python app.py'] }] }));
    h.advance(30_000);
    // The failed start shows for one sync as RunContainerError (the reason cache); the second failure backs off.
    assert.deepStrictEqual(rows.slice(0, 4), ['ContainerCreating/0', 'RunContainerError/0', 'RunContainerError/1', 'CrashLoopBackOff/1'], rows.join(' '));
    const s = cs(h, 'typo');
    assert.strictEqual(s.started, false);
    assert.ok(s.restartCount >= 1);
    assert.strictEqual(s.state.waiting.reason, 'CrashLoopBackOff');
    const why = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "python app.py": executable file not found in $PATH: unknown';
    assert.deepStrictEqual({ ...s.lastState.terminated, finishedAt: undefined, containerID: undefined },
      { exitCode: 128, reason: 'StartError', message: why, startedAt: '1970-01-01T00:00:00Z', finishedAt: undefined, containerID: undefined });
    const reasons = h.eventsFor('typo').map((e) => e.reason);
    assert.ok(!reasons.includes('Started'), reasons.join());
    assert.ok(reasons.includes('BackOff'));
    assert.strictEqual(h.eventsFor('typo', 'Failed')[0].message, `Error: ${why}`);
    assert.deepStrictEqual(logs(fleet, 'default', 'typo', 'app'), [], 'a container that never ran wrote nothing');
    // The same command written as items runs.
    h.api.create(PODS, 'default', pod('fixed', { containers: [{ name: 'app', image: 'python:3.12', command: ['python', 'app.py'] }] }));
    h.advance(30_000);
    assert.ok(cs(h, 'fixed').state.running);
  });

  it('shows a crashed container as Error until the kubelet restarts it at its next relist, then Running, then CrashLoopBackOff', () => {
    const rows: string[] = [];
    h.store.tap((table, rec) => {
      if (table !== '/pods' || rec.object.metadata.name !== 'crash' || rec.type !== 'MODIFIED') return;
      const st = rec.object.status?.containerStatuses?.[0];
      if (!st) return;
      const state = Object.keys(st.state)[0];
      const row = `${state === 'waiting' ? st.state.waiting.reason : state === 'terminated' ? st.state.terminated.reason : 'Running'}/${st.restartCount}`;
      if (rows[rows.length - 1] !== row) rows.push(row);
    });
    h.api.create(PODS, 'default', pod('crash', { containers: [{ name: 'c', image: 'kubeplay/crash:after-3s' }] }));
    h.advance(30_000);
    // As `kubectl get pods -w` shows it on a node: the first exit is seen (Error) before the restart, whose start
    // comes with the next relist; the second exit waits out the back-off.
    assert.deepStrictEqual(rows.slice(0, 6), ['ContainerCreating/0', 'Running/0', 'Error/0', 'Running/1', 'Error/1', 'CrashLoopBackOff/1'], rows.join(' '));
  });

  it('lists each container\'s mounts in its status, read-only ones with their recursiveReadOnly mode (RecursiveReadOnlyMounts)', () => {
    h.api.create(PODS, 'default', pod('mounts', {
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'conf', emptyDir: {} }, { name: 'keys', emptyDir: {} }],
      containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 'conf', mountPath: '/etc/app', readOnly: true },
        { name: 'keys', mountPath: '/keys', readOnly: true, recursiveReadOnly: 'IfPossible' },
      ] }],
    }));
    h.advance(10);
    const want = [
      { name: 'data', mountPath: '/data' },
      { name: 'conf', mountPath: '/etc/app', readOnly: true, recursiveReadOnly: 'Disabled' },
      { name: 'keys', mountPath: '/keys', readOnly: true, recursiveReadOnly: 'Enabled' },
    ];
    assert.deepStrictEqual(cs(h, 'mounts').volumeMounts, want, 'already while ContainerCreating');
    h.advance(10_000);
    assert.ok(cs(h, 'mounts').state.running);
    assert.deepStrictEqual(cs(h, 'mounts').volumeMounts, want);
  });

  it('pulls one image at a time per node: a second pod waits, then pulls from cached layers', () => {
    for (const n of ['a', 'b']) h.api.create(PODS, 'default', pod(n, { containers: [{ name: 'c', image: 'redis' }] }));
    h.advance(10_000);
    const msg = (n: string) => h.eventsFor(n, 'Pulled')[0].message;
    const parse = (m: string) => /in ([\d.]+m?s) \(([\d.]+m?s) including waiting\)/.exec(m)!.slice(1).map((d) => (d.endsWith('ms') ? Number(d.slice(0, -2)) : Number(d.slice(0, -1)) * 1000));
    const [pa, ta] = parse(msg('a')), [pb, tb] = parse(msg('b'));
    const [first, second] = ta <= tb ? [[pa, ta], [pb, tb]] : [[pb, tb], [pa, ta]];
    assert.strictEqual(first[0], first[1], 'the first pull does not wait');
    assert.ok(second[1] > second[0] && second[1] >= first[1], `second waited: ${msg('a')} / ${msg('b')}`);
    assert.ok(second[0] < 1000, 'layers already there');
  });

  it('gives a hostNetwork pod the node\'s address', () => {
    h.api.create(PODS, 'default', pod('hn', { hostNetwork: true, containers: [{ name: 'c', image: 'nginx:1.27' }] }));
    h.advance(5000);
    const p = get(h, 'hn');
    assert.strictEqual(p.status.podIP, p.status.hostIP);
  });

  it('becomes Ready only after the readiness probe initial delay', () => {
    h.api.create(PODS, 'default', pod('probe', { containers: [{ name: 'app', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 20 } }] }));
    h.advance(5000);
    const started = Date.parse(cs(h, 'probe').state.running.startedAt);
    assert.strictEqual(cs(h, 'probe').ready, false);
    assert.strictEqual(get(h, 'probe').status.conditions.find((c: any) => c.type === 'Ready').reason, 'ContainersNotReady');
    while (!cs(h, 'probe').ready && h.clock.now() < started + 60_000) h.advance(100);
    const after = h.clock.now() - started; // startedAt has second precision, as upstream
    // The probe runs on its worker's 10 s ticker: the first tick at or after the initial delay.
    assert.ok(after >= 20_000 && after <= 31_100, `ready ${after} ms after start`);
  });

  it('runs init containers one after another before the app containers', () => {
    h.api.create(PODS, 'default', pod('init', {
      initContainers: [{ name: 'wait', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3'] }, { name: 'migrate', image: 'kubeplay/exit:code-0-after-2s' }],
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    }));
    h.advance(2000);
    let p = get(h, 'init');
    assert.strictEqual(p.status.phase, 'Pending');
    assert.deepStrictEqual(p.status.conditions.find((c: any) => c.type === 'Initialized'),
      { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [wait migrate]', lastProbeTime: null, lastTransitionTime: p.status.conditions[1].lastTransitionTime, observedGeneration: 1 });
    assert.ok(p.status.initContainerStatuses[0].state.running);
    assert.ok(p.status.initContainerStatuses[1].state.waiting);
    h.advance(6000);
    p = get(h, 'init');
    assert.strictEqual(p.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
    assert.ok(p.status.initContainerStatuses[1].state.running || p.status.initContainerStatuses[1].state.terminated);
    h.advance(5000);
    p = get(h, 'init');
    assert.strictEqual(p.status.phase, 'Running');
    assert.strictEqual(p.status.conditions.find((c: any) => c.type === 'Initialized').status, 'True');
    const started = h.eventsFor('init', 'Started').map((e) => e.message);
    assert.deepStrictEqual(started, ['Started container wait', 'Started container migrate', 'Started container app']);
  });

  it('restarts a failing container under OnFailure and completes once it succeeds', () => {
    h.api.create(PODS, 'default', pod('onfail', { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'kubeplay/exit:code-2-after-1s' }] }));
    h.advance(15_000);
    const p = get(h, 'onfail');
    assert.strictEqual(p.status.phase, 'Running');
    assert.ok(p.status.containerStatuses[0].restartCount >= 1);
    assert.strictEqual(p.status.containerStatuses[0].lastState.terminated.exitCode, 2);
  });

  it('busybox with no command runs its shell, which reads end-of-file and exits 0: Completed, then CrashLoopBackOff under Always', () => {
    h.api.create(PODS, 'default', pod('bb', { containers: [{ name: 'bb', image: 'busybox' }] }));
    h.api.create(PODS, 'default', pod('once', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'ubuntu:24.04', command: ['/bin/bash'] }] }));
    h.api.create(PODS, 'default', pod('tty', { containers: [{ name: 'c', image: 'alpine', tty: true }] }));
    h.advance(40_000);
    const bb = cs(h, 'bb');
    assert.ok(bb.restartCount >= 2, `restarted: ${bb.restartCount}`);
    assert.strictEqual(bb.lastState.terminated.reason, 'Completed');
    assert.strictEqual(bb.lastState.terminated.exitCode, 0);
    assert.ok(h.eventsFor('bb', 'BackOff').some((e) => /^Back-off restarting failed container bb in pod bb_default\(/.test(e.message)));
    assert.strictEqual(get(h, 'once').status.phase, 'Succeeded');
    assert.strictEqual(cs(h, 'tty').state.running !== undefined, true, 'a shell with a terminal waits on it');
  });

  it('nginx run by the pod\'s own command without daemon off forks into the background: its first process exits 0, Completed, then CrashLoopBackOff', () => {
    h.api.create(PODS, 'default', pod('daemon', { containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx'] }] }));
    h.api.create(PODS, 'default', pod('entry', { restartPolicy: 'Never', containers: [{ name: 'web', image: 'nginx:1.27', args: ['nginx'] }] }));
    h.api.create(PODS, 'default', pod('fore', { containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;'] }] }));
    h.advance(40_000);
    const d = cs(h, 'daemon');
    assert.ok(d.restartCount >= 2, `restarted: ${d.restartCount}`);
    assert.strictEqual(d.lastState.terminated.reason, 'Completed');
    assert.strictEqual(d.lastState.terminated.exitCode, 0);
    assert.ok(h.eventsFor('daemon', 'BackOff').length > 0);
    // nginx's notices up to ngx_daemon, from PID 1; the forked master's words of its workers are not counted on.
    const lines = logs(fleet, 'default', 'daemon', 'web');
    assert.deepStrictEqual(lines.filter((l) => l.includes('[notice]')).map((l) => l.replace(/^.*\[notice\] /, '')),
      ['1#1: using the "epoll" event method', '1#1: nginx/1.27.5', '1#1: OS: Linux 6.8.0-kubeplay', '1#1: getrlimit(RLIMIT_NOFILE): 1024:524288']);
    // Through the image's entrypoint (args alone replace its CMD) it says what its scripts did first, then ends the same way.
    assert.strictEqual(get(h, 'entry').status.phase, 'Succeeded');
    assert.ok(logs(fleet, 'default', 'entry', 'web').some((l) => l.endsWith('Configuration complete; ready for start up')));
    const f = cs(h, 'fore');
    assert.ok(f.state.running && f.restartCount === 0);
    assert.ok(logs(fleet, 'default', 'fore', 'web').some((l) => l.endsWith('start worker processes')));
  });

  it('nginx on a read-only root or as another user than root fails where it first writes, unless volumes are mounted there', () => {
    const ro = { readOnlyRootFilesystem: true };
    const vols = [{ name: 'cache', emptyDir: {} }, { name: 'run', emptyDir: {} }];
    const at = (...names: string[]) => names.map((n) => ({ name: n, mountPath: n === 'cache' ? '/var/cache/nginx' : '/var/run' }));
    h.api.create(PODS, 'default', pod('ro', { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: ro }] }));
    h.api.create(PODS, 'default', pod('pid', { volumes: vols, containers: [{ name: 'web', image: 'nginx:1.27', securityContext: ro, volumeMounts: at('cache') }] }));
    h.api.create(PODS, 'default', pod('user', { securityContext: { runAsUser: 101 }, containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    h.api.create(PODS, 'default', pod('fixed', { volumes: vols, containers: [{ name: 'web', image: 'nginx:1.27', securityContext: ro, volumeMounts: at('cache', 'run') }] }));
    h.advance(40_000);
    for (const name of ['ro', 'pid', 'user']) {
      const s = cs(h, name);
      assert.strictEqual(s.lastState.terminated?.exitCode, 1, name);
      assert.ok(s.restartCount >= 2, `${name} restarted ${s.restartCount}`);
    }
    const tail = (name: string) => logs(fleet, 'default', name, 'web').filter((l) => !l.startsWith('/docker-entrypoint.sh') && !l.includes(' kubeplay: ')).map((l) => l.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, ''));
    assert.deepStrictEqual(tail('ro').slice(0, 3), [
      '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)',
      '[emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
      'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
    ]);
    // The PID file comes after nginx has said what it runs on.
    const pid = tail('pid');
    assert.strictEqual(pid[pid.length - 3], '[notice] 1#1: getrlimit(RLIMIT_NOFILE): 1024:524288');
    assert.strictEqual(pid[pid.length - 2], 'nginx: [emerg] open() "/run/nginx.pid" failed (30: Read-only file system)'.replace(/^nginx: \[emerg\] /, '[emerg] 1#1: '));
    assert.strictEqual(pid[pid.length - 1], 'nginx: [emerg] open() "/run/nginx.pid" failed (30: Read-only file system)');
    const user = tail('user');
    assert.ok(user.includes('nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2'));
    assert.strictEqual(user[user.length - 1], 'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)');
    const fixed = cs(h, 'fixed');
    assert.ok(fixed.state.running && fixed.restartCount === 0);
    assert.ok(tail('fixed').includes('[notice] 1#1: start worker processes'));
  });

  it('postgres with no superuser password: its entrypoint says why and exits 1, again and again; with one it runs', () => {
    h.api.create(PODS, 'default', pod('nopw', { containers: [{ name: 'db', image: 'postgres:16' }] }));
    h.api.create(PODS, 'default', pod('pw', { containers: [{ name: 'db', image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'example' }] }] }));
    h.advance(40_000);
    const s = cs(h, 'nopw');
    assert.strictEqual(s.lastState.terminated.exitCode, 1);
    assert.ok(s.restartCount >= 2, `restarted ${s.restartCount}`);
    const lines = logs(fleet, 'default', 'nopw', 'db');
    assert.deepStrictEqual(lines.slice(0, 3), [
      'Error: Database is uninitialized and superuser password is not specified.',
      '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
      '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
    ]);
    assert.strictEqual(lines.filter((l) => !l.includes(' kubeplay: ')).length, 9);
    const ok = cs(h, 'pw');
    assert.ok(ok.state.running && ok.restartCount === 0);
  });

  it('mysql and mariadb with no root password: their entrypoints log why, as root and as another user, and exit 1, again and again', () => {
    h.api.create(PODS, 'default', pod('my', { containers: [{ name: 'db', image: 'mysql:8.4' }] }));
    h.api.create(PODS, 'default', pod('maria', { containers: [{ name: 'db', image: 'mariadb' }] }));
    h.api.create(PODS, 'default', pod('older', { securityContext: { runAsUser: 999 }, containers: [{ name: 'db', image: 'mysql:5.6' }] }));
    h.api.create(PODS, 'default', pod('five', { containers: [{ name: 'db', image: 'mysql:5.7' }] }));
    h.api.create(PODS, 'default', pod('root', { containers: [{ name: 'db', image: 'mysql:8.0', env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'pw' }, { name: 'MYSQL_USER', value: 'root' }] }] }));
    h.api.create(PODS, 'default', pod('ok', { containers: [{ name: 'db', image: 'mariadb:11.4', env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'pw' }] }] }));
    h.advance(40_000);
    for (const name of ['my', 'maria', 'older', 'root']) {
      const s = cs(h, name);
      assert.strictEqual(s.lastState.terminated?.exitCode, 1, name);
      assert.ok(s.restartCount >= 2, `${name} restarted ${s.restartCount}`);
    }
    const tail = (name: string) => logs(fleet, 'default', name, 'db').filter((l) => !l.includes(' kubeplay: ')).map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 /, ''));
    assert.deepStrictEqual(tail('my'), [
      '[Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.7-1.el9 started.',
      "[Note] [Entrypoint]: Switching to dedicated user 'mysql'",
      '[Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.7-1.el9 started.',
      '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
      '    You need to specify one of the following as an environment variable:',
      '    - MYSQL_ROOT_PASSWORD',
      '    - MYSQL_ALLOW_EMPTY_PASSWORD',
      '    - MYSQL_RANDOM_ROOT_PASSWORD',
    ]);
    assert.deepStrictEqual(tail('maria'), [
      '[Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:12.1.2+maria~ubu2404 started.',
      '[Warn] [Entrypoint]: /sys/fs/cgroup///memory.pressure not writable, functionality unavailable to MariaDB',
      "[Note] [Entrypoint]: Switching to dedicated user 'mysql'",
      '[Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:12.1.2+maria~ubu2404 started.',
      '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
      '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD',
    ]);
    // Not root: no step down; a tag whose build is not known here leaves out the lines that name it.
    assert.deepStrictEqual(tail('older').slice(0, 2), ['[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified', '    You need to specify one of the following as an environment variable:']);
    assert.strictEqual(tail('five')[0], '[Note] [Entrypoint]: Entrypoint script for MySQL Server 5.7.44-1.el7 started.');
    assert.strictEqual(tail('root')[3], '[ERROR] [Entrypoint]: MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user');
    assert.match(logs(fleet, 'default', 'my', 'db')[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 \[Note\]/);
    const ok = cs(h, 'ok');
    assert.ok(ok.state.running && ok.restartCount === 0, JSON.stringify(ok.state));
  });

  it('mongo with the root user\'s name but no password: its entrypoint says both are needed and exits 1; with both, or neither, it runs', () => {
    h.api.create(PODS, 'default', pod('half', { containers: [{ name: 'db', image: 'mongo:8', env: [{ name: 'MONGO_INITDB_ROOT_USERNAME', value: 'admin' }] }] }));
    h.api.create(PODS, 'default', pod('both', { containers: [{ name: 'db', image: 'mongo:8', env: [{ name: 'MONGO_INITDB_ROOT_USERNAME', value: 'admin' }, { name: 'MONGO_INITDB_ROOT_PASSWORD_FILE', value: '/run/secrets/pw' }] }] }));
    h.api.create(PODS, 'default', pod('open', { containers: [{ name: 'db', image: 'mongo:8' }] }));
    h.advance(40_000);
    const s = cs(h, 'half');
    assert.strictEqual(s.lastState.terminated?.exitCode, 1);
    assert.ok(s.restartCount >= 2, `restarted ${s.restartCount}`);
    assert.deepStrictEqual(logs(fleet, 'default', 'half', 'db').filter((l) => !l.includes(' kubeplay: ')), [
      '', "error: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'", '       both must be specified for a user to be created', '',
    ]);
    for (const name of ['both', 'open']) assert.ok(cs(h, name).state.running && cs(h, name).restartCount === 0, name);
  });

  it('a pod update that changes an image: the container is killed and restarts with the new image, whatever the restart policy', () => {
    h.api.create(PODS, 'default', pod('n1', { restartPolicy: 'Never', containers: [{ name: 'n1', image: 'nginx:1.26' }] }));
    h.advance(10_000);
    assert.strictEqual(cs(h, 'n1').image, 'docker.io/library/nginx:1.26');
    const p = get(h, 'n1');
    h.api.update(PODS, 'default', { ...p, spec: { ...p.spec, containers: [{ ...p.spec.containers[0], image: 'nginx:1.27' }] } });
    h.advance(10_000);
    const after = cs(h, 'n1');
    assert.strictEqual(after.image, 'docker.io/library/nginx:1.27');
    assert.strictEqual(after.restartCount, 1);
    assert.ok(after.state.running, JSON.stringify(after.state));
    assert.strictEqual(get(h, 'n1').status.phase, 'Running');
    const reasons = h.eventsFor('n1').map((e) => `${e.reason}: ${e.message}`);
    assert.ok(reasons.includes('Killing: Container n1 definition changed, will be restarted'), reasons.join('\n'));
    assert.ok(reasons.includes('Pulling: Pulling image "nginx:1.27"'), reasons.join('\n'));

    // A crash-looping container whose image is fixed starts at once: a new spec has no back-off (doBackOff's key is its hash).
    h.api.create(PODS, 'default', pod('loop', { containers: [{ name: 'c', image: 'busybox' }] }));
    h.advance(120_000);
    assert.strictEqual(cs(h, 'loop').state.waiting?.reason, 'CrashLoopBackOff');
    const l = get(h, 'loop');
    h.api.update(PODS, 'default', { ...l, spec: { ...l.spec, containers: [{ ...l.spec.containers[0], image: 'nginx:1.27' }] } });
    h.advance(5_000);
    assert.ok(cs(h, 'loop').state.running, JSON.stringify(cs(h, 'loop').state));
    assert.strictEqual(cs(h, 'loop').image, 'docker.io/library/nginx:1.27');

    // A pod stuck pulling a tag that does not exist runs once the image is fixed.
    h.api.create(PODS, 'default', pod('typo', { containers: [{ name: 'c', image: 'nginx:1.161' }] }));
    h.advance(20_000);
    assert.strictEqual(cs(h, 'typo').state.waiting.reason, 'ImagePullBackOff');
    const t = get(h, 'typo');
    h.api.update(PODS, 'default', { ...t, spec: { ...t.spec, containers: [{ ...t.spec.containers[0], image: 'nginx:1.16.1' }] } });
    h.advance(10_000);
    assert.ok(cs(h, 'typo').state.running, JSON.stringify(cs(h, 'typo').state));
  });

  it('the probes page\'s HTTP liveness example (agnhost liveness) fails after 10 s with status 500 and is restarted', () => {
    h.api.create(PODS, 'default', pod('liveness-http', { containers: [{ name: 'liveness', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['liveness'],
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 3, periodSeconds: 3 } }] }));
    h.advance(40_000);
    const msgs = h.eventsFor('liveness-http').map((e) => `${e.reason}: ${e.message}`);
    assert.ok(msgs.includes('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500'), msgs.join('\n'));
    assert.ok(msgs.includes('Killing: Container liveness failed liveness probe, will be restarted'), msgs.join('\n'));
    assert.ok(cs(h, 'liveness-http').restartCount >= 1);
  });

  it('completes Job pods after the default duration with exit code 0', () => {
    h.api.create(PODS, 'default', pod('job', { restartPolicy: 'Never', containers: [{ name: 'work', image: 'ghcr.io/acme/task:1.0' }] }));
    for (let i = 0; i < 60 && !get(h, 'job').status.containerStatuses?.[0]?.state?.running; i++) h.advance(500);
    const startedAt = Date.parse(cs(h, 'job').state.running.startedAt);
    h.advance(startedAt + 3900 - h.clock.now());
    assert.strictEqual(get(h, 'job').status.phase, 'Running');
    h.advance(2200);
    const p = get(h, 'job');
    const t = p.status.containerStatuses[0].state.terminated;
    assert.strictEqual(Date.parse(t.finishedAt) - Date.parse(t.startedAt), 5000);
    assert.strictEqual(p.status.phase, 'Succeeded');
    assert.strictEqual(p.status.containerStatuses[0].state.terminated.exitCode, 0);
    assert.strictEqual(p.status.containerStatuses[0].state.terminated.reason, 'Completed');
    assert.strictEqual(p.status.conditions.find((c: any) => c.type === 'Ready').reason, 'PodCompleted');
  });

  it('exits with the code the image names and fails under restartPolicy Never', () => {
    h.api.create(PODS, 'default', pod('exit', { restartPolicy: 'Never', containers: [{ name: 'x', image: 'kubeplay/exit:code-3-after-5s' }] }));
    h.advance(10_000);
    const p = get(h, 'exit');
    assert.strictEqual(p.status.phase, 'Failed');
    assert.strictEqual(p.status.containerStatuses[0].state.terminated.exitCode, 3);
    assert.strictEqual(p.status.containerStatuses[0].state.terminated.reason, 'Error');
  });

  it('crash-loops with back-off 10 s doubling to 5 min, keeping restartCount and lastState', () => {
    h.api.create(PODS, 'default', pod('crash', { containers: [{ name: 'c', image: 'kubeplay/exit:code-1-after-1s', imagePullPolicy: 'IfNotPresent' }] }));
    // Record the gap between each exit and the next start.
    h.advance(500);
    const gaps: number[] = [];
    let lastFinish: number | undefined;
    let lastRestarts = 0;
    for (let t = 0; t < 1_500_000 && gaps.length < 8; t += 100) {
      h.advance(100);
      const s = cs(h, 'crash');
      if (s.restartCount !== lastRestarts) {
        const started = Date.parse(s.state.running?.startedAt ?? s.state.terminated?.startedAt);
        gaps.push(Math.round((started - Date.parse(s.lastState.terminated.finishedAt)) / 1000));
        lastRestarts = s.restartCount;
        lastFinish = undefined;
      }
      if (s.state.waiting?.reason === 'CrashLoopBackOff' && lastFinish === undefined) lastFinish = h.clock.now();
    }
    // The first restart comes with the relist that sees the exit (within a second); then the back-off doubles.
    assert.ok(gaps[0] <= 1, String(gaps));
    assert.deepStrictEqual(gaps.slice(1), [10, 20, 40, 80, 160, 300, 300]);
    assert.strictEqual(BACKOFF_MAX_MS, 300_000);
    const backoffs = h.eventsFor('crash', 'BackOff');
    assert.ok(backoffs.length >= 6);
    assert.match(backoffs[0].message, /^Back-off restarting failed container c in pod crash_default\(.+\)$/);
  });

  it('fails to pull with ErrImagePull then ImagePullBackOff', () => {
    h.api.create(PODS, 'default', pod('bad', { containers: [{ name: 'c', image: 'kubeplay/missing:1.0' }] }));
    h.advance(2000);
    assert.strictEqual(cs(h, 'bad').state.waiting.reason, 'ErrImagePull');
    h.advance(1000);
    assert.strictEqual(cs(h, 'bad').state.waiting.reason, 'ImagePullBackOff');
    assert.match(cs(h, 'bad').state.waiting.message, /^Back-off pulling image "kubeplay\/missing:1.0": ErrImagePull: /);
    const failed = h.eventsFor('bad', 'Failed').map((e) => e.message);
    assert.ok(failed.includes('Error: ErrImagePull'));
    assert.ok(failed.includes('Error: ImagePullBackOff'));
    assert.ok(h.eventsFor('bad', 'BackOff').some((e) => e.message === 'Back-off pulling image "kubeplay/missing:1.0"'));
    const pulls = () => h.eventsFor('bad', 'Pulling').length;
    assert.strictEqual(pulls(), 1);
    h.advance(10_000);
    assert.strictEqual(pulls(), 2);
  });

  it('stops containers on graceful deletion and deletes the pod with grace 0', () => {
    h.api.create(PODS, 'default', pod('gone', { containers: [{ name: 'nginx', image: 'nginx' }] }));
    h.advance(5000);
    h.api.delete(PODS, 'default', 'gone');
    h.settle();
    assert.ok(h.eventsFor('gone', 'Killing').some((e) => e.message === 'Stopping container nginx'));
    assert.doesNotThrow(() => get(h, 'gone'));
    h.advance(1000);
    assert.throws(() => get(h, 'gone'), /not found/);
  });

  it('gives a container at least 2 s after SIGTERM, even when the deletion asks for 0: a shell that ignores it is killed (137, Error)', () => {
    // A finalizer keeps the pod object, as the Job controller's tracking finalizer does, so the kubelet plays the kill.
    h.api.create(PODS, 'default', {
      ...pod('hold', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] }),
      metadata: { name: 'hold', finalizers: ['example.com/hold'] },
    } as any);
    h.advance(5000);
    h.api.delete(PODS, 'default', 'hold', { gracePeriodSeconds: 0 });
    h.advance(1900);
    assert.ok(cs(h, 'hold').state.running, 'still in its 2 s shutdown window');
    h.advance(200);
    const t = cs(h, 'hold').state.terminated;
    assert.strictEqual(t.exitCode, 137);
    assert.strictEqual(t.reason, 'Error');
    assert.strictEqual(get(h, 'hold').status.phase, 'Failed');
  });

  it('restarts a killed container, keeping the previous instance as lastState and in logs', () => {
    h.api.create(PODS, 'default', pod('k', { containers: [{ name: 'nginx', image: 'nginx' }] }));
    h.advance(5000);
    assert.strictEqual(cs(h, 'k').restartCount, 0);
    assert.ok(fleet.engine.killPod('default', 'k'));
    h.advance(3000);
    const s = cs(h, 'k');
    assert.strictEqual(s.restartCount, 1);
    assert.strictEqual(s.lastState.terminated.exitCode, 137);
    assert.ok(s.state.running);
    assert.ok(logs(fleet, 'default', 'k', 'nginx', true).some((l) => l.includes('exiting with code 137')));
  });
});

describe('kubelet restart (restored playground)', () => {
  it('adopts existing nodes and running pods without restarting them', () => {
    const h = new Harness();
    const first = createNodes(h.ctx, 2);
    first.start();
    h.api.create(PODS, 'default', pod('keep', { containers: [{ name: 'nginx', image: 'nginx' }] }));
    h.advance(5000);
    const before = cs(h, 'keep');
    first.stop();
    const second = createNodes(h.ctx, 1);
    second.start();
    h.advance(5000);
    assert.deepStrictEqual(second.nodeNames.sort(), ['kubeplay-worker', 'kubeplay-worker2', 'kubeplay-worker3']);
    const cidrs = h.api.list({ group: '', version: 'v1', resource: 'nodes' }, undefined).items.map((n) => n.spec.podCIDR);
    assert.strictEqual(new Set(cidrs).size, 3);
    const after = cs(h, 'keep');
    assert.strictEqual(after.containerID, before.containerID);
    assert.deepStrictEqual(after.state, before.state);
    assert.strictEqual(after.restartCount, 0);
    assert.ok(second.engine.killPod('default', 'keep'));
    h.advance(3000);
    assert.strictEqual(cs(h, 'keep').restartCount, 1);
  });
});

describe('kubelet events name their container', () => {
  it('involvedObject.fieldPath is spec.containers{name} or spec.initContainers{name}, as GenerateContainerRef makes it; pod-level events have none', () => {
    const { newTestPlayground, R } = require('../../../../cluster/src/testing');
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two' }, spec: {
        initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'true'] }],
        containers: [{ name: 'web', image: 'nginx:1.27' }] } });
      pg.advance(30_000);
      const evs = pg.api.list(R.events, 'default').items.filter((e: any) => e.involvedObject.name === 'two');
      const by = (reason: string) => evs.filter((e: any) => e.reason === reason).map((e: any) => e.involvedObject.fieldPath).sort();
      assert.deepStrictEqual(by('Started'), ['spec.containers{web}', 'spec.initContainers{setup}']);
      assert.deepStrictEqual(by('Created'), ['spec.containers{web}', 'spec.initContainers{setup}']);
      assert.deepStrictEqual(by('Scheduled'), [undefined]);
    } finally {
      pg.close();
    }
  });
});

describe('what the documentation\'s one-liners print', () => {
  it('the Jobs page\'s pi Job prints pi to 2000 digits, as `kubectl logs jobs/pi` shows, and completes', () => {
    const h = new Harness();
    const fleet = createNodes(h.ctx, 1);
    fleet.start();
    h.settle();
    h.api.create(PODS, 'default', pod('pi', { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }] }));
    h.advance(30_000);
    assert.strictEqual(get(h, 'pi').status.phase, 'Succeeded');
    const out = logs(fleet, 'default', 'pi');
    assert.strictEqual(out.length, 1);
    assert.strictEqual(out[0].length, 2001);
    assert.ok(out[0].startsWith('3.14159265358979323846264338327950288419716939937510'));
    // The page's own output ends so (bpi rounds the 2000th digit).
    assert.ok(out[0].endsWith('8326459958133904780275901'), out[0].slice(-30));
  });
});
