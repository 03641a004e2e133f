import * as assert from 'assert';
import { createNodes, logs, previousLogLines, type NodeFleet } from '../../../../cluster/src/kubelet';
import { Harness, PODS } from '../nodes/harness';
import { newTestControlPlane } from '../../../../cluster/src/testing';

function pod(name: string, container: any, spec: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'app', ...container }], ...spec } };
}
const get = (h: Harness, name: string) => h.api.get(PODS, 'default', name);
const cs = (h: Harness, name: string) => get(h, name).status.containerStatuses[0];
const cond = (h: Harness, name: string, type: string) => get(h, name).status.conditions.find((c: any) => c.type === type);
/** Seconds since `t0` of each occurrence of an event. */
const at = (h: Harness, name: string, reason: string, t0: number) => h.eventsFor(name, reason).map((e) => (e.time - t0) / 1000);

/** The liveness-exec example of the Kubernetes documentation (Configure Liveness, Readiness and Startup Probes). */
const LIVENESS_EXEC = {
  image: 'registry.k8s.io/busybox:1.27.2',
  args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
  livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
};

describe('kubelet probes', () => {
  let h: Harness;
  let fleet: NodeFleet;
  let t0: number;
  beforeEach(() => {
    h = new Harness();
    fleet = createNodes(h.ctx, 1);
    fleet.start();
    h.settle();
    t0 = h.clock.now();
  });

  it('restarts the documentation\'s liveness-exec container after three failed probes, with upstream events and lastState', () => {
    h.api.create(PODS, 'default', pod('liveness-exec', LIVENESS_EXEC));
    h.advance(30_000);
    const started = Date.parse(cs(h, 'liveness-exec').state.running.startedAt);
    assert.deepStrictEqual(h.eventsFor('liveness-exec', 'Unhealthy'), [], 'the file is still there');
    for (let i = 0; i < 60 && !h.eventsFor('liveness-exec', 'Killing').length; i++) h.advance(500);
    const unhealthy = h.eventsFor('liveness-exec', 'Unhealthy');
    assert.strictEqual(unhealthy.length, 3);
    for (const e of unhealthy) {
      assert.strictEqual(e.type, 'Warning');
      assert.strictEqual(e.message, "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
      assert.strictEqual(e.component, 'kubelet');
    }
    // Probes tick every 5 s from when the kubelet took the pod on; the file goes 30 s after the start.
    const fails = at(h, 'liveness-exec', 'Unhealthy', t0);
    assert.ok(fails[0] * 1000 >= started - t0 + 30_000 && fails[0] * 1000 < started - t0 + 36_000, `first failure at ${fails}` /* startedAt is truncated to the second */);
    // The recorder folds the repeats into one Event with count 3 (kubectl describe: "x3 over 10s").
    const stored = h.api.list({ group: '', version: 'v1', resource: 'events' }, 'default').items.filter((e: any) => e.reason === 'Unhealthy');
    assert.strictEqual(stored.length, 1);
    assert.strictEqual(stored[0].count, 3);
    assert.strictEqual(Date.parse(stored[0].lastTimestamp) - Date.parse(stored[0].firstTimestamp), 10_000);
    const killing = h.eventsFor('liveness-exec', 'Killing');
    assert.deepStrictEqual(killing.map((e) => [e.type, e.message]), [['Normal', 'Container app failed liveness probe, will be restarted']]);
    assert.strictEqual(killing[0].time, Date.parse(stored[0].lastTimestamp), 'killed on the third failure');
    // The shell ignores SIGTERM: killed when the 30 s grace period ends, exit 137, then started again.
    assert.strictEqual(cs(h, 'liveness-exec').restartCount, 0);
    h.advance(31_000);
    const s = cs(h, 'liveness-exec');
    assert.strictEqual(s.restartCount, 1);
    assert.ok(s.state.running);
    assert.strictEqual(s.lastState.terminated.exitCode, 137);
    assert.strictEqual(s.lastState.terminated.reason, 'Error');
    assert.strictEqual(Date.parse(s.lastState.terminated.finishedAt) - killing[0].time, 30_000);
    assert.deepStrictEqual(h.eventsFor('liveness-exec', 'Started').length, 2);
    assert.deepStrictEqual(h.eventsFor('liveness-exec', 'Created').length, 2);
    assert.ok(logs(fleet, 'default', 'liveness-exec', 'app', true).at(-1)!.endsWith('kubeplay: exiting with code 137'));
  });

  it('keeps restarting on liveness failures until the back-off outgrows the container\'s life: CrashLoopBackOff', () => {
    h.api.create(PODS, 'default', pod('sick', {
      image: 'kubeplay/unhealthy:after-5s',
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2, failureThreshold: 1 },
    }));
    h.advance(10_000);
    assert.strictEqual(h.eventsFor('sick', 'Unhealthy')[0].message, 'Liveness probe failed: HTTP probe failed with statuscode: 500');
    let sawBackOff = false;
    for (let i = 0; i < 600 && !sawBackOff; i++) {
      h.advance(1000);
      sawBackOff = cs(h, 'sick').state.waiting?.reason === 'CrashLoopBackOff';
    }
    assert.ok(sawBackOff, 'reaches CrashLoopBackOff');
    const s = cs(h, 'sick');
    assert.ok(s.restartCount >= 2);
    // nginx-like servers stop on SIGTERM: the killed instance ends with 0.
    assert.deepStrictEqual([s.lastState.terminated.exitCode, s.lastState.terminated.reason], [0, 'Completed']);
    assert.match(s.state.waiting.message, /^back-off \d+s restarting failed container=app pod=sick_default\(.+\)$/);
    assert.ok(h.eventsFor('sick', 'BackOff').every((e) => /^Back-off restarting failed container app in pod sick_default\(/.test(e.message)));
    // Each kill was announced, each restart started a new instance.
    assert.strictEqual(h.eventsFor('sick', 'Killing').length, s.restartCount + 1);
    assert.strictEqual(h.eventsFor('sick', 'Started').length, s.restartCount + 1);
  });

  it('flips Ready and ContainersReady to False on readiness failures and back, without restarting', () => {
    h.api.create(PODS, 'default', pod('flappy', {
      image: 'busybox',
      command: ['sh', '-c', 'touch /tmp/ready; sleep 30; rm -f /tmp/ready; sleep 30; touch /tmp/ready; sleep 3600'],
      readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5, failureThreshold: 2, successThreshold: 2 },
    }));
    while (!get(h, 'flappy').status?.containerStatuses?.[0]?.state.running) h.advance(100);
    const started = Date.parse(cs(h, 'flappy').state.running.startedAt);
    // A sync right after the start runs the readiness probe at once; successThreshold 2 wants a second success.
    assert.strictEqual(cs(h, 'flappy').ready, false);
    h.advance(5000);
    assert.strictEqual(cs(h, 'flappy').ready, true);
    assert.strictEqual(cond(h, 'flappy', 'Ready').status, 'True');
    while (cs(h, 'flappy').ready && h.clock.now() < started + 60_000) h.advance(500);
    const notReadyAt = h.clock.now() - started;
    assert.ok(notReadyAt >= 35_000 && notReadyAt < 46_000, `not ready ${notReadyAt} ms after start`);
    for (const type of ['Ready', 'ContainersReady']) {
      const c = cond(h, 'flappy', type);
      assert.deepStrictEqual([c.status, c.reason, c.message], ['False', 'ContainersNotReady', 'containers with unready status: [app]']);
    }
    assert.ok(h.eventsFor('flappy', 'Unhealthy').every((e) => e.message === "Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory\n"));
    while (!cs(h, 'flappy').ready && h.clock.now() < started + 120_000) h.advance(500);
    assert.strictEqual(cs(h, 'flappy').ready, true);
    assert.ok(h.clock.now() - started >= 60_000);
    assert.strictEqual(cond(h, 'flappy', 'ContainersReady').status, 'True');
    assert.strictEqual(cs(h, 'flappy').restartCount, 0);
    assert.deepStrictEqual(h.eventsFor('flappy', 'Killing'), []);
  });

  it('gates liveness and readiness behind the startup probe until it succeeds', () => {
    h.api.create(PODS, 'default', pod('slow', {
      image: 'kubeplay/warmup:45s',
      startupProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 30 },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 1 },
      readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
    }));
    h.advance(30_000);
    let s = cs(h, 'slow');
    assert.ok(s.state.running);
    assert.deepStrictEqual([s.started, s.ready], [false, false]);
    const early = h.eventsFor('slow', 'Unhealthy');
    assert.ok(early.length >= 2);
    assert.ok(early.every((e) => e.message === 'Startup probe failed: HTTP probe failed with statuscode: 500'), 'only the startup probe runs');
    h.advance(30_000);
    s = cs(h, 'slow');
    assert.deepStrictEqual([s.started, s.ready], [true, true], 'the readiness probe runs as soon as the startup probe passes');
    assert.strictEqual(s.restartCount, 0);
    assert.deepStrictEqual(h.eventsFor('slow', 'Killing'), []);
  });

  it('kills a container whose startup probe runs out of failures', () => {
    h.api.create(PODS, 'default', pod('never-up', {
      image: 'kubeplay/warmup:1h',
      startupProbe: { tcpSocket: { port: 'http' }, periodSeconds: 3, failureThreshold: 2 },
      ports: [{ name: 'http', containerPort: 8080 }],
    }));
    // The pull takes a few random seconds; the kill comes two failed probes (3 s apart) after the start.
    for (let i = 0; i < 40 && !h.eventsFor('never-up', 'Killing').length; i++) h.advance(500);
    const ip = get(h, 'never-up').status.podIP;
    assert.deepStrictEqual(h.eventsFor('never-up', 'Unhealthy').map((e) => e.message), [1, 2].map(() => `Startup probe failed: dial tcp ${ip}:8080: connect: connection refused`));
    assert.deepStrictEqual(h.eventsFor('never-up', 'Killing').map((e) => e.message), ['Container app failed startup probe, will be restarted']);
    h.advance(1000);
    assert.strictEqual(cs(h, 'never-up').restartCount, 1);
    assert.strictEqual(cs(h, 'never-up').lastState.terminated.exitCode, 0);
  });

  it('fails HTTP and TCP probes to a port the image does not listen on, as the prober words it, and passes them on the right one', () => {
    h.api.create(PODS, 'default', pod('wrong-port', {
      image: 'nginx:1.27',
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2 },
      livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2, failureThreshold: 100 },
    }));
    h.api.create(PODS, 'default', pod('right-port', { image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2 } }));
    h.advance(15_000);
    const ip = get(h, 'wrong-port').status.podIP;
    const msgs = new Set(h.eventsFor('wrong-port', 'Unhealthy').map((e) => e.message));
    assert.deepStrictEqual([...msgs].sort(), [
      `Liveness probe failed: dial tcp ${ip}:8080: connect: connection refused`,
      `Readiness probe failed: Get "http://${ip}:8080/healthz": dial tcp ${ip}:8080: connect: connection refused`,
    ]);
    assert.strictEqual(cs(h, 'wrong-port').ready, false, 'nginx serves 80: declaring 8080 opens nothing');
    assert.strictEqual(cs(h, 'right-port').ready, true);
    assert.deepStrictEqual(h.eventsFor('right-port', 'Unhealthy'), []);
  });

  it('errors on a port name the container does not declare, keeping each probe\'s result as it was', () => {
    // nginx listens on 80: with the name resolved, every one of these probes would pass.
    h.api.create(PODS, 'default', pod('unnamed', {
      image: 'nginx:1.27',
      ports: [{ name: 'web', containerPort: 80 }],
      readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 },
      livenessProbe: { tcpSocket: { port: 'htp' }, periodSeconds: 2, failureThreshold: 1 },
    }));
    h.api.create(PODS, 'default', pod('never-started', {
      image: 'nginx:1.27',
      startupProbe: { httpGet: { path: '/', port: 'web' }, periodSeconds: 2, failureThreshold: 1 },
    }));
    h.api.create(PODS, 'default', pod('named', { image: 'nginx:1.27', ports: [{ name: 'web', containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 'web' }, periodSeconds: 2 } }));
    h.advance(20_000);
    const msgs = new Set(h.eventsFor('unnamed', 'Unhealthy').map((e) => [e.type, e.message].join(' ')));
    assert.deepStrictEqual([...msgs].sort(), ['Warning Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "htp": invalid syntax',
      'Warning Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax']);
    // The readiness result stays Failure (its initial value) and the liveness one Success: unready, never restarted.
    assert.strictEqual(cs(h, 'unnamed').ready, false);
    assert.strictEqual(cond(h, 'unnamed', 'Ready').status, 'False');
    assert.strictEqual(cs(h, 'unnamed').restartCount, 0);
    assert.deepStrictEqual(h.eventsFor('unnamed', 'Killing'), []);
    // A startup probe that errors never succeeds and never fails: the container is never started, nor killed.
    assert.deepStrictEqual([...new Set(h.eventsFor('never-started', 'Unhealthy').map((e) => e.message))], ['Startup probe errored and resulted in unknown state: strconv.Atoi: parsing "web": invalid syntax']);
    assert.strictEqual(cs(h, 'never-started').started, false);
    assert.strictEqual(cs(h, 'never-started').restartCount, 0);
    assert.strictEqual(cs(h, 'named').ready, true);
    assert.deepStrictEqual(h.eventsFor('named', 'Unhealthy'), []);
  });

  it('does not restart under restartPolicy Never, and says so', () => {
    h.api.create(PODS, 'default', pod('once', { image: 'kubeplay/unhealthy', command: ['sleep', 'infinity'], livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 } }, { restartPolicy: 'Never', terminationGracePeriodSeconds: 3 }));
    h.advance(30_000);
    assert.deepStrictEqual(h.eventsFor('once', 'Unhealthy').map((e) => e.message), ['Liveness probe failed: ', 'Liveness probe failed: ', 'Liveness probe failed: ']);
    assert.deepStrictEqual(h.eventsFor('once', 'Killing').map((e) => e.message), ['Container app failed liveness probe']);
    const s = cs(h, 'once');
    assert.strictEqual(s.restartCount, 0);
    assert.deepStrictEqual([s.state.terminated?.exitCode, s.state.terminated?.reason], [137, 'Error']);
    assert.strictEqual(get(h, 'once').status.phase, 'Failed');
  });

  it('times an exec probe out after timeoutSeconds with the runtime\'s message, the failure reported when the timeout ends', () => {
    h.api.create(PODS, 'default', pod('slowprobe', { image: 'nginx:1.27', readinessProbe: { exec: { command: ['sh', '-c', 'sleep 5'] }, timeoutSeconds: 2, periodSeconds: 10 } }));
    h.advance(25_000);
    const ev = h.eventsFor('slowprobe', 'Unhealthy');
    assert.ok(ev.length >= 1);
    assert.strictEqual(ev[0].message, 'Readiness probe failed: command "sh -c sleep 5" timed out');
    const startedAt = Date.parse(cs(h, 'slowprobe').state.running.startedAt);
    // The first probe (right after the start) reports 2 s later.
    assert.ok(ev[0].time - startedAt >= 2000 && ev[0].time - startedAt < 3100, `${ev[0].time - startedAt}`);
    assert.strictEqual(cs(h, 'slowprobe').ready, false);
  });

  it('ticks from when the kubelet took the pod on, at a random offset only while the kubelet is younger than a period', () => {
    h.advance(60_000);
    const created = h.clock.now();
    h.api.create(PODS, 'default', pod('aligned', { image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 20, periodSeconds: 10 } }));
    while (!get(h, 'aligned').status?.containerStatuses?.[0]?.ready && h.clock.now() < created + 60_000) h.advance(100);
    const started = Date.parse(cs(h, 'aligned').state.running.startedAt);
    const readyAt = Date.parse(cond(h, 'aligned', 'Ready').lastTransitionTime);
    assert.ok(readyAt - started >= 20_000 && readyAt - started <= 31_000, `${readyAt - started}`);
    assert.strictEqual((readyAt - created) % 10_000, 0, 'on the 10 s ticker started with the pod');
    // A node whose kubelet just started spreads its workers over the period (seeded, so the same every run).
    const offsets = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const cp = newTestControlPlane({ seed: 11 + i });
      const f = createNodes(cp.ctx, 1);
      cp.start(f);
      const t = cp.clock.now();
      cp.api.create(PODS, 'default', pod('j', { image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 20 } }));
      let ready: string | undefined;
      while (!ready && cp.clock.now() < t + 60_000) { cp.advance(100); ready = cp.api.get(PODS, 'default', 'j').status?.conditions?.find((c: any) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime; }
      offsets.add((Date.parse(ready!) - t) % 10_000);
      f.stop();
    }
    assert.ok(offsets.size > 1, `offsets ${[...offsets]}`);
  });

  it('adds no probe timers for pods without probes, and plays the same seed the same way', () => {
    h.api.create(PODS, 'default', pod('plain', { image: 'nginx:1.27' }));
    h.advance(20_000);
    assert.strictEqual(fleet.engine.sims.get('default/plain')!.containers[0].probes, undefined);
    const run = () => {
      const cp = newTestControlPlane({ seed: 7 });
      const f = createNodes(cp.ctx, 1);
      cp.start(f);
      cp.api.create(PODS, 'default', pod('p', { image: 'kubeplay/unhealthy:after-20s', livenessProbe: { httpGet: { path: '/', port: 80 } }, readinessProbe: { tcpSocket: { port: 80 } } }));
      cp.advance(200_000);
      const pending = cp.clock.pendingTimers();
      const events = [...cp.store.list('/events')].map((e: any) => [e.reason, e.message, e.count, e.firstTimestamp, e.lastTimestamp].join('|'));
      f.stop();
      return { events, status: JSON.stringify(cp.api.get(PODS, 'default', 'p').status), pending };
    };
    const a = run(), b = run();
    assert.deepStrictEqual(a, b);
    assert.ok(a.events.some((e) => e.startsWith('Killing|Container app failed liveness probe, will be restarted')));
    assert.ok(a.events.some((e) => e.startsWith('Unhealthy|Readiness probe failed: dial tcp ')));
  });
});

describe('kubectl logs --previous', () => {
  it('returns the previous instance\'s lines, or upstream\'s error when there is none', () => {
    const h = new Harness();
    const fleet = createNodes(h.ctx, 1);
    fleet.start();
    h.api.create(PODS, 'default', pod('crashy', { image: 'kubeplay/crash:after-3s' }));
    h.advance(2000);
    const noPrevious = 'previous terminated container "app" in pod "crashy" not found';
    assert.throws(() => logs(fleet, 'default', 'crashy', 'app', true), { message: noPrevious });
    assert.throws(() => previousLogLines(get(h, 'crashy'), 'app'), { message: noPrevious });
    // It runs 3 s once its (randomly timed) pull is done, and restarts at once the first time.
    for (let i = 0; i < 40 && !cs(h, 'crashy').restartCount; i++) h.advance(250);
    const s = cs(h, 'crashy');
    assert.strictEqual(s.restartCount, 1);
    const prev = logs(fleet, 'default', 'crashy', 'app', true);
    assert.ok(prev.at(-1)!.endsWith('kubeplay: exiting with code 1'));
    assert.deepStrictEqual(previousLogLines(get(h, 'crashy'), 'app'), prev, 'the status says as much as the kubelet');
    const current = logs(fleet, 'default', 'crashy', 'app');
    assert.ok(!current.some((l) => l.includes('exiting')), 'the current instance still runs');
    assert.notDeepStrictEqual(current, prev);
  });
});
