import * as assert from 'assert';
import { createNodes, type NodeFleet } from '../../../../cluster/src/kubelet';
import { podRow } from '../../../../cluster/src/http/tables/pods';
import { Harness, PODS } from '../nodes/harness';

/**
 * Native sidecars (init containers with restartPolicy: Always), played as
 * upstream's kubelet plays them: computeInitContainerActions for the start
 * order, getPhase and generate.go for phase and conditions, the termination
 * ordering for deletes, and computePodActions' KillPod when a Job-style pod's
 * regular containers are done.
 */
function pod(name: string, spec: any): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'kubeplay-worker', ...spec } };
}
const proxy = (extra: any = {}) => ({ name: 'proxy', image: 'nginx', restartPolicy: 'Always', ...extra });
const get = (h: Harness, name: string) => h.api.get(PODS, 'default', name);
const init = (h: Harness, name: string, c: string) => get(h, name).status.initContainerStatuses.find((s: any) => s.name === c);
const app = (h: Harness, name: string, c: string) => get(h, name).status.containerStatuses.find((s: any) => s.name === c);
const condition = (h: Harness, name: string, type: string) => {
  const c = get(h, name).status.conditions.find((x: any) => x.type === type);
  return [c.status, c.reason, c.message].filter((x) => x !== undefined);
};
const row = (h: Harness, name: string) => podRow(get(h, name), h.clock.now()).cells;

describe('kubelet: native sidecar containers', () => {
  let h: Harness;
  let fleet: NodeFleet;
  beforeEach(() => {
    h = new Harness();
    fleet = createNodes(h.ctx, 1);
    fleet.start();
    h.settle();
  });
  afterEach(() => fleet.stop());

  it('starts the sidecar first, keeps it running next to the app, and counts it in READY (2/2)', () => {
    h.api.create(PODS, 'default', pod('web', { initContainers: [proxy()], containers: [{ name: 'app', image: 'nginx' }] }));
    h.advance(1500);
    // The sidecar is pulling; the app waits for it (PodInitializing), and the pod is Pending.
    assert.strictEqual(get(h, 'web').status.phase, 'Pending');
    assert.deepStrictEqual(condition(h, 'web', 'Initialized'), ['False', 'ContainersNotInitialized', 'containers with incomplete status: [proxy]']);
    assert.deepStrictEqual(row(h, 'web').slice(1, 3), ['0/2', 'Init:0/1']);
    h.advance(10_000);
    const p = get(h, 'web');
    assert.strictEqual(p.status.phase, 'Running');
    const s = init(h, 'web', 'proxy');
    assert.ok(s.state.running);
    assert.strictEqual(s.started, true);
    assert.strictEqual(s.ready, true);
    assert.ok(app(h, 'web', 'app').state.running);
    assert.ok(Date.parse(app(h, 'web', 'app').state.running.startedAt) >= Date.parse(s.state.running.startedAt));
    for (const t of ['Initialized', 'Ready', 'ContainersReady']) assert.deepStrictEqual(condition(h, 'web', t), ['True'], t);
    assert.deepStrictEqual(row(h, 'web').slice(1, 4), ['2/2', 'Running', '0']);
    const started = h.eventsFor('web', 'Started').map((e) => e.message);
    assert.deepStrictEqual(started, ['Started container proxy', 'Started container app']);
  });

  it('shows an init container that exited 0 ready, and the pod Initialized, in the status that first shows the exit', () => {
    const bad: string[] = [];
    h.store.tap((table, rec) => {
      const st = table === '/pods' && rec.object.metadata.name === 'i' ? rec.object.status : undefined;
      const ic = st?.initContainerStatuses?.[0];
      if (!ic?.state?.terminated) return;
      const initialized = st.conditions.find((c: any) => c.type === 'Initialized')?.status;
      if (!ic.ready || initialized !== 'True') bad.push(`ready=${ic.ready} Initialized=${initialized}`);
    });
    h.api.create(PODS, 'default', pod('i', { initContainers: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'true'] }], containers: [{ name: 'c', image: 'nginx' }] }));
    h.advance(20_000);
    assert.ok(get(h, 'i').status.initContainerStatuses[0].state.terminated, 'the init container ran');
    assert.deepStrictEqual(bad, []);
  });

  it('starts the next init container only once a sidecar has passed its startup probe', () => {
    // kubeplay/warmup answers probes only after 20 s.
    const sidecar = proxy({ image: 'kubeplay/warmup:20s', startupProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2, failureThreshold: 30 } });
    h.api.create(PODS, 'default', pod('slow', { initContainers: [sidecar, { name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo ok'] }], containers: [{ name: 'app', image: 'nginx' }] }));
    h.advance(12_000);
    assert.ok(init(h, 'slow', 'proxy').state.running);
    assert.strictEqual(init(h, 'slow', 'proxy').started, false);
    assert.ok(init(h, 'slow', 'setup').state.waiting, 'setup waits for the sidecar to be started');
    assert.deepStrictEqual(condition(h, 'slow', 'Initialized'), ['False', 'ContainersNotInitialized', 'containers with incomplete status: [proxy setup]']);
    h.advance(30_000);
    assert.strictEqual(init(h, 'slow', 'proxy').started, true);
    assert.strictEqual(init(h, 'slow', 'setup').state.terminated?.exitCode, 0);
    assert.ok(app(h, 'slow', 'app').state.running);
    assert.strictEqual(get(h, 'slow').status.phase, 'Running');
  });

  it('restarts a crashing sidecar with back-off even under restartPolicy Never, and the pod stays Initialized', () => {
    h.api.create(PODS, 'default', pod('crashy', {
      restartPolicy: 'Never',
      initContainers: [proxy({ image: 'kubeplay/crash:after-5s' })],
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }],
    }));
    h.advance(60_000);
    const s = init(h, 'crashy', 'proxy');
    assert.ok(s.restartCount >= 2, `restarts: ${s.restartCount}`);
    assert.strictEqual(s.lastState.terminated.exitCode, 1);
    assert.ok(app(h, 'crashy', 'app').state.running, 'the app keeps running');
    assert.strictEqual(get(h, 'crashy').status.phase, 'Running');
    assert.deepStrictEqual(condition(h, 'crashy', 'Initialized'), ['True']);
    assert.ok(h.eventsFor('crashy', 'BackOff').some((e) => /^Back-off restarting failed container proxy in pod crashy_default\(/.test(e.message)));
    // While the sidecar waits to restart it is not ready: the pod is not Ready, and the sidecar is named first.
    let seen = false;
    for (let i = 0; i < 60 && !seen; i++) {
      h.advance(1000);
      const c = condition(h, 'crashy', 'ContainersReady');
      if (c[0] === 'False') {
        assert.deepStrictEqual(c, ['False', 'ContainersNotReady', 'containers with unready status: [proxy]']);
        seen = true;
      }
    }
    assert.ok(seen, 'saw the sidecar unready');
    // RESTARTS counts the sidecar's restarts.
    assert.match(String(row(h, 'crashy')[3]), /^\d+ \(\d+s ago\)$/);
  });

  it('stops the sidecars of a Job-style pod once its regular containers are done, then reports Succeeded', () => {
    h.api.create(PODS, 'default', pod('batch', {
      restartPolicy: 'Never',
      initContainers: [proxy()],
      containers: [{ name: 'work', image: 'kubeplay/sleep:10s' }],
    }));
    h.advance(8000);
    assert.strictEqual(get(h, 'batch').status.phase, 'Running');
    h.advance(10_000);
    const p = get(h, 'batch');
    assert.strictEqual(p.status.phase, 'Succeeded');
    assert.strictEqual(app(h, 'batch', 'work').state.terminated.reason, 'Completed');
    assert.ok(init(h, 'batch', 'proxy').state.terminated, 'the sidecar was stopped');
    assert.strictEqual(init(h, 'batch', 'proxy').restartCount, 0, 'and not restarted');
    assert.deepStrictEqual(h.eventsFor('batch', 'Killing').map((e) => e.message), ['Stopping container proxy']);
    assert.deepStrictEqual(condition(h, 'batch', 'Initialized'), ['True', 'PodCompleted']);
    assert.deepStrictEqual(condition(h, 'batch', 'Ready'), ['False', 'PodCompleted']);
    assert.deepStrictEqual(row(h, 'batch').slice(1, 3), ['0/2', 'Completed']);
  });

  it('on deletion stops regular containers first, then the sidecars in reverse order, on what is left of the grace period', () => {
    h.api.create(PODS, 'default', pod('ordered', {
      terminationGracePeriodSeconds: 10,
      initContainers: [proxy({ name: 'first' }), proxy({ name: 'second', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] })],
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }],
    }));
    h.advance(20_000);
    assert.strictEqual(get(h, 'ordered').status.phase, 'Running');
    h.api.delete(PODS, 'default', 'ordered');
    h.settle();
    // killContainer records every Killing event at once; only the signals wait their turn.
    assert.deepStrictEqual(h.eventsFor('ordered', 'Killing').map((e) => e.message), ['Stopping container app', 'Stopping container second', 'Stopping container first']);
    // The app ignores SIGTERM and is killed when the 10 s run out; the sidecars wait for it.
    h.advance(9_000);
    assert.ok(app(h, 'ordered', 'app').state.running);
    assert.ok(init(h, 'ordered', 'first').state.running && init(h, 'ordered', 'second').state.running);
    h.advance(1_100);
    assert.strictEqual(app(h, 'ordered', 'app').state.terminated.exitCode, 137);
    // Now the last sidecar; it also ignores SIGTERM and gets the 2 s minimum, the grace period being used up.
    assert.ok(init(h, 'ordered', 'second').state.running, 'the second sidecar is stopping');
    assert.ok(init(h, 'ordered', 'first').state.running, 'the first sidecar waits for the second');
    h.advance(2_100);
    assert.strictEqual(init(h, 'ordered', 'second').state.terminated.exitCode, 137);
    assert.ok(init(h, 'ordered', 'first').state.running, 'the first sidecar (nginx) stops half a second after its SIGTERM');
    assert.strictEqual(h.eventsFor('ordered', 'Killing').length, 3, 'no Killing event twice');
    h.advance(3_000);
    assert.throws(() => get(h, 'ordered'), /not found/);
  });

  it('stops a running sidecar when a regular init container after it fails under restartPolicy Never', () => {
    h.api.create(PODS, 'default', pod('broken', {
      restartPolicy: 'Never',
      initContainers: [proxy(), { name: 'setup', image: 'busybox', command: ['sh', '-c', 'exit 3'] }],
      containers: [{ name: 'app', image: 'nginx' }],
    }));
    h.advance(30_000);
    const p = get(h, 'broken');
    assert.strictEqual(p.status.phase, 'Failed');
    assert.strictEqual(init(h, 'broken', 'setup').state.terminated.exitCode, 3);
    assert.ok(init(h, 'broken', 'proxy').state.terminated, 'the sidecar was stopped');
    assert.deepStrictEqual(h.eventsFor('broken', 'Killing').map((e) => e.message), ['Stopping container proxy']);
    assert.ok(app(h, 'broken', 'app').state.waiting, 'the app never started');
    assert.deepStrictEqual(row(h, 'broken').slice(1, 3), ['0/2', 'Init:Error']);
  });

  it('reports a regular init container that exited 0 as ready, as UpdatePodStatus does', () => {
    h.api.create(PODS, 'default', pod('inited', { initContainers: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo ok'] }], containers: [{ name: 'app', image: 'nginx' }] }));
    h.advance(20_000);
    const s = init(h, 'inited', 'setup');
    assert.strictEqual(s.state.terminated.exitCode, 0);
    assert.strictEqual(s.ready, true);
    assert.strictEqual(s.started, false);
  });

  it('kills again with a shorter grace period when a second delete asks for one', () => {
    h.api.create(PODS, 'default', pod('slowstop', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] }));
    h.advance(10_000);
    h.api.delete(PODS, 'default', 'slowstop');
    h.advance(5_000);
    assert.ok(app(h, 'slowstop', 'app').state.running, 'still in its 30 s grace period');
    h.api.delete(PODS, 'default', 'slowstop', { gracePeriodSeconds: 3 });
    h.advance(2_900);
    assert.ok(app(h, 'slowstop', 'app').state.running);
    assert.deepStrictEqual(h.eventsFor('slowstop', 'Killing').map((e) => e.message), ['Stopping container app', 'Stopping container app']);
    h.advance(1_000);
    assert.throws(() => get(h, 'slowstop'), /not found/);
  });

  it('shows the last instance as the state of a crash-looping container whose pod was deleted, and the one before as lastState', () => {
    h.api.create(PODS, 'default', { ...pod('loop', { containers: [{ name: 'app', image: 'kubeplay/crash:after-2s' }] }), metadata: { name: 'loop', namespace: 'default', finalizers: ['example.com/hold'] } });
    // Into its second back-off (the restarts come with the relists, so the moment is found rather than fixed).
    h.advance(20_000);
    for (let t = 0; t < 120_000 && !(app(h, 'loop', 'app').state.waiting?.reason === 'CrashLoopBackOff' && app(h, 'loop', 'app').restartCount >= 2); t += 500) h.advance(500);
    const before = app(h, 'loop', 'app');
    assert.strictEqual(before.state.waiting?.reason, 'CrashLoopBackOff');
    assert.ok(before.restartCount >= 2);
    h.api.delete(PODS, 'default', 'loop');
    h.advance(1_000);
    const after = app(h, 'loop', 'app');
    assert.strictEqual(after.state.terminated.exitCode, 1);
    assert.strictEqual(after.state.terminated.containerID, before.lastState.terminated.containerID, 'the instance that crashed last');
    assert.notStrictEqual(after.lastState.terminated.containerID, after.state.terminated.containerID, 'lastState is the one before it');
  });

  it('reports a container a deleted pod never started as ContainerStatusUnknown, and the pod Failed (TerminatePod)', () => {
    h.api.create(PODS, 'default', { ...pod('early', { containers: [{ name: 'app', image: 'nginx' }] }), metadata: { name: 'early', namespace: 'default', finalizers: ['example.com/hold'] } });
    h.advance(300);
    h.api.delete(PODS, 'default', 'early');
    h.advance(5000);
    const p = get(h, 'early');
    assert.strictEqual(p.status.phase, 'Failed');
    assert.deepStrictEqual(p.status.containerStatuses[0].state, {
      terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: null, finishedAt: null },
    });
  });

  it('judges TerminatePod\'s "initialized" from the status before the stop: an app container stuck pulling next to a started sidecar ends ContainerStatusUnknown', () => {
    h.api.create(PODS, 'default', { ...pod('stuck', { initContainers: [proxy()], containers: [{ name: 'app', image: 'kubeplay/missing:1.0' }] }), metadata: { name: 'stuck', namespace: 'default', finalizers: ['example.com/hold'] } });
    h.advance(20_000);
    assert.strictEqual(app(h, 'stuck', 'app').state.waiting.reason, 'ImagePullBackOff');
    h.api.delete(PODS, 'default', 'stuck');
    h.advance(5_000);
    assert.strictEqual(get(h, 'stuck').status.phase, 'Failed');
    assert.strictEqual(app(h, 'stuck', 'app').state.terminated.reason, 'ContainerStatusUnknown');
  });

  it('keeps Ready False until the readiness gates are True, and follows a gate set later', () => {
    h.api.create(PODS, 'default', pod('gated', { readinessGates: [{ conditionType: 'example.com/lb' }], containers: [{ name: 'app', image: 'nginx' }] }));
    h.advance(10_000);
    assert.deepStrictEqual(condition(h, 'gated', 'ContainersReady'), ['True']);
    assert.deepStrictEqual(condition(h, 'gated', 'Ready'), ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
    const conds = [...get(h, 'gated').status.conditions, { type: 'example.com/lb', status: 'False' }];
    h.api.patch(PODS, 'default', 'gated', 'merge', { status: { conditions: conds } }, undefined, 'status');
    h.advance(100);
    assert.deepStrictEqual(condition(h, 'gated', 'Ready'), ['False', 'ReadinessGatesNotReady', 'the status of pod readiness gate "example.com/lb" is not "True", but False']);
    const ok = get(h, 'gated').status.conditions.map((c: any) => (c.type === 'example.com/lb' ? { ...c, status: 'True' } : c));
    h.api.patch(PODS, 'default', 'gated', 'merge', { status: { conditions: ok } }, undefined, 'status');
    h.advance(100);
    assert.deepStrictEqual(condition(h, 'gated', 'Ready'), ['True']);
    assert.strictEqual(row(h, 'gated')[8], '1/1');
  });
});
