import * as assert from 'assert';
import { planScript, shellScript } from '../../../../cluster/src/kubelet/scripts';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * Container commands the kubelet plays through the simulated shell: their
 * output is the container's log, and a polling loop really waits for what it
 * polls (the documentation's init-container example waits for its Services).
 */
describe('kubelet: container scripts', () => {
  it('reads sh -c scripts and direct commands the shell knows, and leaves application commands to the image convention', () => {
    assert.strictEqual(shellScript({ command: ['sh', '-c', 'echo hi && sleep 5'] }), 'echo hi && sleep 5');
    assert.strictEqual(shellScript({ args: ['/bin/sh', '-c', 'date'] }), 'date');
    assert.strictEqual(shellScript({ args: ['nslookup', 'web'] }), 'nslookup web');
    assert.strictEqual(shellScript({ command: ['echo', "it's"] }), "echo 'it'\\''s'");
    assert.strictEqual(shellScript({ command: ['python', 'app.py'] }), undefined);
    assert.strictEqual(shellScript({ command: ['sh'] }), undefined);
    assert.strictEqual(planScript('python app.py'), undefined, 'an unknown command keeps the convention');
    assert.strictEqual(planScript('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy'), undefined);
    assert.deepStrictEqual(planScript('echo hi && sleep 3600'), { before: 'echo hi && true', after: '', afterMs: 3_600_000 });
    assert.deepStrictEqual(planScript('until nslookup db; do echo waiting; sleep 2; done; echo ready'), {
      before: '', loop: { until: true, condition: 'nslookup db', body: 'echo waiting; true', periodMs: 2000 }, after: ' echo ready', afterMs: 0,
    });
    assert.strictEqual(planScript('while ! wget -qO- http://web; do sleep 5; done')!.loop!.until, true);
    assert.strictEqual(planScript('i=0; while true; do echo $i; i=$((i+1)); sleep 1; done')!.loop!.until, false);
    assert.strictEqual(planScript('while true; do while true; do sleep 1; done; done'), undefined, 'nested loops are not read');
  });

  it('plays the documentation\'s init containers: Init:0/2 until the Services exist, then the app runs and says so', () => {
    const pg = newTestPlayground();
    try {
      const ns = 'default';
      const wait = (svc: string) => `until nslookup ${svc}.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for ${svc}; sleep 2; done`;
      pg.api.create(R.pods, ns, {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'myapp-pod' },
        spec: {
          containers: [{ name: 'myapp-container', image: 'busybox:1.28', command: ['sh', '-c', 'echo The app is running! && sleep 3600'] }],
          initContainers: [
            { name: 'init-myservice', image: 'busybox:1.28', command: ['sh', '-c', wait('myservice')] },
            { name: 'init-mydb', image: 'busybox:1.28', command: ['sh', '-c', wait('mydb')] },
          ],
        },
      } as KObject);
      pg.advance(60_000);
      const pod = () => pg.api.get(R.pods, ns, 'myapp-pod');
      assert.strictEqual(pod().status.phase, 'Pending');
      assert.ok(pod().status.initContainerStatuses[0].state.running, 'the first init container keeps polling');
      const log = pg.logs(ns, 'myapp-pod', 'init-myservice');
      assert.ok(log.filter((l) => l === 'waiting for myservice').length >= 20, 'one line per 2 s pass');
      assert.ok(log.includes("** server can't find myservice.default.svc.cluster.local: NXDOMAIN"));
      for (const name of ['myservice', 'mydb']) {
        pg.api.create(R.services, ns, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80, targetPort: 9376 }] } } as KObject);
      }
      pg.advance(10_000);
      assert.strictEqual(pod().status.phase, 'Running');
      for (const s of pod().status.initContainerStatuses) assert.strictEqual(s.state.terminated?.exitCode, 0, s.name);
      assert.ok(pg.logs(ns, 'myapp-pod', 'init-mydb').some((l) => l.startsWith('Name:\tmydb.default.svc.cluster.local')));
      assert.ok(pg.logs(ns, 'myapp-pod', 'myapp-container').includes('The app is running!'));
    } finally {
      pg.close();
    }
  });

  it('plays a counting loop with arithmetic and date, one line per second, as the logging documentation\'s counter pod', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'counter' },
        spec: { containers: [{ name: 'count', image: 'busybox:1.28', args: ['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'] }] },
      } as KObject);
      pg.advance(30_000);
      const lines = pg.logs('default', 'counter').filter((l) => /^\d+: /.test(l));
      assert.ok(lines.length >= 20, `${lines.length} lines`);
      assert.match(lines[0], /^0: \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
      lines.forEach((l, i) => assert.ok(l.startsWith(`${i}: `), l));
      const secs = lines.slice(0, 3).map((l) => Date.parse(l.replace(/^\d+: \w{3} /, '').replace(' UTC', 'Z')));
      assert.deepStrictEqual([secs[1] - secs[0], secs[2] - secs[1]], [1000, 1000]);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'counter').status.phase, 'Running');
    } finally {
      pg.close();
    }
  });

  it('gives a one-shot command its real output and exit status: a Job pod looking up a missing name fails', () => {
    const pg = newTestPlayground();
    try {
      // CoreDNS first: until kube-dns has a ready endpoint, lookups time out (as they do on a real cluster).
      assert.ok(pg.runUntil(() => pg.dnsServing(), 120_000));
      for (const [name, host] of [['found', 'kubernetes.default'], ['missing', 'nosuch']]) {
        pg.api.create(R.pods, 'default', {
          apiVersion: 'v1', kind: 'Pod', metadata: { name },
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', args: ['nslookup', host] }] },
        } as KObject);
      }
      pg.advance(30_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'found').status.phase, 'Succeeded');
      assert.ok(pg.logs('default', 'found').includes('Address: 10.96.0.1'));
      const missing = pg.api.get(R.pods, 'default', 'missing');
      assert.strictEqual(missing.status.phase, 'Failed');
      assert.strictEqual(missing.status.containerStatuses[0].state.terminated.exitCode, 1);
    } finally {
      pg.close();
    }
  });
});
