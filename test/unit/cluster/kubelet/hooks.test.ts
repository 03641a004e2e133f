import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';
import { goQuote } from '../../../../cluster/src/kubelet/hooks';

/**
 * Container lifecycle hooks as the kubelet runs them: a preStop hook before
 * the SIGTERM, taking its time out of the grace period; a postStart hook
 * holding the sync that started the container; their failures' events and
 * the PostStartHookError status.
 */
describe('kubelet: lifecycle hooks', () => {
  let pg: KubePlayground;
  afterEach(() => pg?.close());

  const pod = (containers: any[], extra: Record<string, unknown> = {}) => {
    pg = newTestPlayground();
    pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hk' }, spec: { ...extra, containers } } as KObject);
  };
  const get = () => { try { return pg.api.get(R.pods, 'default', 'hk'); } catch { return undefined; } };
  const events = () => [...pg.store.list('/events')].filter((e) => e.involvedObject.name === 'hk')
    .map((e) => `${e.type} ${e.reason}${(e.count ?? 1) > 1 ? ` x${e.count}` : ''}: ${e.message}`);
  /** Steps 100 ms at a time until `done` holds; answers the simulated milliseconds it took. */
  const until = (done: () => boolean, maxMs = 120_000) => {
    const t0 = pg.clock.now();
    while (!done()) {
      if (pg.clock.now() - t0 > maxMs) throw new Error(`not within ${maxMs} ms`);
      pg.advance(100);
    }
    return pg.clock.now() - t0;
  };
  const running = () => get()?.status?.containerStatuses?.every((s: any) => s.state?.running);
  /** Deletes the pod once it runs; answers the seconds until it is gone. */
  const deleteTime = () => {
    until(() => !!running());
    pg.api.delete(R.pods, 'default', 'hk');
    return until(() => !get()) / 1000;
  };

  it('runs a preStop sleep before the SIGTERM: the pod goes after the hook and the container\'s own stop', () => {
    pod([{ name: 'c', image: 'nginx:1.27', lifecycle: { preStop: { sleep: { seconds: 5 } } } }]);
    // nginx stops on SIGTERM in half a second, after the hook's 5 s.
    assert.equal(deleteTime(), 5.5);
    assert.ok(!events().some((e) => /Failed/.test(e)), events().join('\n'));
  });

  it('sends the SIGTERM a played script traps only after the hook, which it keeps running through', () => {
    pod([{
      name: 'c', image: 'busybox:1.36',
      command: ['sh', '-c', 'trap "echo got TERM; sleep 1; exit 0" TERM; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done'],
      lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 3'] } } },
    }]);
    until(() => !!running());
    const before = pg.logs('default', 'hk', 'c').length;
    pg.api.delete(R.pods, 'default', 'hk');
    let logs: string[] = [];
    const took = until(() => {
      // A pod gone has no log left: keep the last one read.
      try { const l = pg.logs('default', 'hk', 'c'); if (l.length) logs = l; } catch { /* gone */ }
      return !get();
    });
    // The script ticks on through the 3 s hook, traps the TERM after its current sleep, and exits a second later.
    assert.ok(took >= 4000 && took <= 5000, String(took));
    assert.equal(logs.at(-1), 'got TERM', logs.join('\n'));
    assert.ok(logs.length - before >= 4, logs.join('\n'));
  });

  it('cuts a preStop hook at the grace period: the SIGTERM then, the SIGKILL 2 s later; an exec hook fails with its container', () => {
    pod([{ name: 'c', image: 'nginx:1.27', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 40'] } } } }], { terminationGracePeriodSeconds: 10 });
    assert.equal(deleteTime(), 10.5);
    assert.ok(events().includes('Warning FailedPreStopHook: PreStopHook failed'), events().join('\n'));
    // A process that ignores SIGTERM is killed at the 2 s minimum after the hook's cut.
    pg.close();
    pod([{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], lifecycle: { preStop: { sleep: { seconds: 8 } } } }], { terminationGracePeriodSeconds: 9 });
    // 8 s of hook leave 1 s of grace, raised to the 2 s minimum.
    assert.equal(deleteTime(), 10);
    assert.ok(!events().some((e) => /FailedPreStopHook/.test(e)), events().join('\n'));
  });

  it('records a failed preStop hook when it returns and stops the container at once', () => {
    pod([{ name: 'c', image: 'nginx:1.27', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 3; exit 1'] } } } }]);
    assert.equal(deleteTime(), 3.5);
    const ev = events();
    assert.ok(ev.indexOf('Warning FailedPreStopHook: PreStopHook failed') > ev.indexOf('Normal Killing: Stopping container c'), ev.join('\n'));
    pg.close();
    // An HTTP hook fails only when nothing listens on its port.
    pod([{ name: 'c', image: 'nginx:1.27', lifecycle: { preStop: { httpGet: { port: 9999, path: '/quit' } } } }]);
    assert.equal(deleteTime(), 0.5);
    assert.ok(events().includes('Warning FailedPreStopHook: PreStopHook failed'));
    pg.close();
    pod([{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } } }]);
    assert.equal(deleteTime(), 0.5);
    assert.ok(!events().some((e) => /Failed/.test(e)));
  });

  it('holds the sync on a postStart hook: ContainerCreating and the next container\'s start wait for it', () => {
    pod([
      { name: 'a', image: 'nginx:1.27', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 5'] } } } },
      { name: 'b', image: 'nginx:1.27' },
    ]);
    until(() => events().some((e) => e === 'Normal Started: Started container a'));
    const startedA = pg.clock.now();
    pg.advance(3000);
    const p = get()!;
    // What the sync wrote at its start: both waiting, no container ID, the pod Pending; b not even created.
    assert.equal(p.status.phase, 'Pending');
    for (const s of p.status.containerStatuses) {
      assert.deepEqual(s.state, { waiting: { reason: 'ContainerCreating' } });
      assert.equal(s.containerID, undefined);
    }
    assert.ok(!events().some((e) => e === 'Normal Created: Created container: b'));
    until(() => !!running());
    assert.ok(pg.clock.now() - startedA >= 5000);
    assert.equal(get()!.status.phase, 'Running');
  });

  it('fails an HTTP hook whose port name the container does not declare, as ResolveContainerPort words it', () => {
    pod([{ name: 'c', image: 'nginx:1.27', ports: [{ name: 'web', containerPort: 80 }], lifecycle: { postStart: { httpGet: { port: 'http', path: '/warm' } } } }]);
    let seen: any;
    until(() => {
      const s = get()?.status?.containerStatuses?.[0];
      if (s?.state?.waiting?.reason === 'PostStartHookError') seen = s;
      return !!seen;
    });
    assert.equal(seen.state.waiting.message, `HTTP lifecycle hook (/warm) for Container "c" in Pod "hk_default(${get()!.metadata.uid})" failed - error: strconv.Atoi: parsing "http": invalid syntax`);
    pg.close();
    // The name it declares resolves to nginx's port 80, which answers: the hook passes and the container runs.
    pod([{ name: 'c', image: 'nginx:1.27', ports: [{ name: 'web', containerPort: 80 }], lifecycle: { postStart: { httpGet: { port: 'web', path: '/warm' } } } }]);
    until(() => !!get()?.status?.containerStatuses?.[0]?.state?.running);
    pg.advance(5_000);
    assert.ok(get()!.status.containerStatuses[0].state.running);
    assert.ok(!events().some((e) => /Failed/.test(e)), events().join('\n'));
  });

  it('kills a container whose postStart hook failed, shows PostStartHookError, and backs off its restarts', () => {
    pod([{ name: 'c', image: 'nginx:1.27', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo oops >&2; exit 2'] } } } }]);
    let seen: any;
    until(() => {
      const s = get()?.status?.containerStatuses?.[0];
      if (s?.state?.waiting?.reason === 'PostStartHookError') seen = s;
      return !!seen;
    });
    const uid = get()!.metadata.uid;
    assert.equal(seen.state.waiting.message,
      `Exec lifecycle hook ([sh -c echo oops >&2; exit 2]) for Container "c" in Pod "hk_default(${uid})" failed - error: command 'sh -c echo oops >&2; exit 2' exited with 2: oops\n, message: "oops\\n"`);
    assert.equal(seen.lastState.terminated.reason, 'Completed');
    // The pod runs on (its container has run), as upstream's getPhase counts a stopped container under Always.
    assert.equal(get()!.status.phase, 'Running');
    until(() => get()?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
    const ev = events();
    assert.ok(ev.some((e) => /^Warning FailedPostStartHook( x\d+)?: PostStartHook failed$/.test(e)), ev.join('\n'));
    assert.ok(ev.some((e) => /^Normal Killing( x\d+)?: FailedPostStartHook$/.test(e)), ev.join('\n'));
  });

  it('ends an exec hook with its container: a preStop `kill 1` lets a trapping script exit at once, and the hook fails', () => {
    pod([{
      name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'trap "echo got term; exit 0" TERM; while true; do sleep 1; done'],
      lifecycle: { preStop: { exec: { command: ['sh', '-c', 'kill 1; sleep 20'] } } },
    }]);
    // The trap runs after the script's current sleep; the container's end takes the hook with it.
    assert.ok(deleteTime() <= 1.5);
    assert.ok(events().includes('Warning FailedPreStopHook: PreStopHook failed'), events().join('\n'));
    pg.close();
    // A postStart hook that outlives its container fails when the container ends, which is when it finished.
    pod([{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo start; sleep 5; echo done'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 10'] } } } }], { restartPolicy: 'Never' });
    until(() => get()?.status?.phase === 'Succeeded');
    const t = get()!.status.containerStatuses[0].state.terminated;
    assert.equal(Date.parse(t.finishedAt) - Date.parse(t.startedAt), 5000);
    assert.ok(events().includes('Warning FailedPostStartHook: PostStartHook failed'), events().join('\n'));
  });

  it('starts a sidecar\'s preStop hook with the pod\'s termination, and its SIGTERM at its turn', () => {
    pod([{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'trap "sleep 10; exit 0" TERM; while true; do sleep 1; done'] }], {
      initContainers: [{ name: 'side', image: 'busybox:1.36', restartPolicy: 'Always', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'], lifecycle: { preStop: { sleep: { seconds: 15 } } } }],
    });
    // The app stops in about 11 s; the sidecar's 15 s hook, begun at the deletion, ends later, then its TERM.
    const took = deleteTime();
    assert.ok(took >= 15 && took <= 16.5, String(took));
  });

  it('writes what a hook sends to /proc/1/fd/1 in the container\'s log, and fails a hook whose shell the image lacks', () => {
    pod([{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'while true; do sleep 1; done'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hi from the hook > /proc/1/fd/1'] } } } }]);
    until(() => !!running());
    assert.deepEqual([...pg.logs('default', 'hk', 'c')], ['hi from the hook']);
    pg.close();
    pod([{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], lifecycle: { postStart: { exec: { command: ['/bin/bash', '-c', 'echo hi'] } } } }]);
    let msg = '';
    until(() => { msg = get()?.status?.containerStatuses?.[0]?.state?.waiting?.message ?? ''; return /PostStartHookError|bash/.test(msg); });
    assert.match(msg, /exec: "\/bin\/bash": stat \/bin\/bash: no such file or directory: unknown, message: ""$/);
  });

  it('shows a container stopped by its failed postStart as terminated when the restart policy will not start it again', () => {
    pod([{ name: 'c', image: 'nginx:1.27', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 3'] } } } }], { restartPolicy: 'OnFailure' });
    until(() => ['Succeeded', 'Failed'].includes(get()?.status?.phase));
    assert.equal(get()!.status.phase, 'Succeeded');
    assert.equal(get()!.status.containerStatuses[0].state.terminated.reason, 'Completed');
  });

  it('quotes output as Go\'s %q does', () => {
    assert.equal(goQuote('a "b"\n\t\\ é\u0001'), '"a \\"b\\"\\n\\t\\\\ é\\x01"');
  });
});
