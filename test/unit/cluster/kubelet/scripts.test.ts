import * as assert from 'assert';
import { expandReferences, planScript, shellScript } from '../../../../cluster/src/kubelet/scripts';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Container commands the kubelet plays through the simulated shell: their
 * output is the container's log, and a polling loop really waits for what it
 * polls (the documentation's init-container example waits for its Services).
 */
describe('kubelet: container scripts', () => {
  it('reads sh -c scripts and direct commands the shell knows, and leaves anything else to the image convention', () => {
    assert.strictEqual(shellScript(['sh', '-c', 'echo hi && sleep 5']), 'echo hi && sleep 5');
    assert.strictEqual(shellScript(['/bin/sh', '-c', 'date']), 'date');
    assert.strictEqual(shellScript(['nslookup', 'web']), 'nslookup web');
    assert.strictEqual(shellScript(['echo', "it's"]), "echo 'it'\\''s'");
    assert.strictEqual(shellScript(['python', 'app.py']), undefined);
    assert.strictEqual(shellScript(['sh']), undefined);
    assert.deepStrictEqual(planScript('echo "going to sleep; 5 now"; sleep 3600'), { before: 'echo "going to sleep; 5 now"; sleep 3600', after: '' });
    assert.deepStrictEqual(planScript('until nslookup db; do echo waiting; sleep 2; done; echo ready'), {
      before: '', loop: { until: true, condition: 'nslookup db', body: 'echo waiting; sleep 2' }, after: 'echo ready',
    });
    assert.strictEqual(planScript('while ! wget -qO- http://web; do sleep 5; done')!.loop!.until, true);
    assert.deepStrictEqual(planScript('echo "a; while b"; until nslookup x; do echo "all done"; sleep 1; done')!.loop, { until: true, condition: 'nslookup x', body: 'echo "all done"; sleep 1' },
      'keywords inside quotes are text');
    // A block script, as YAML's `|` writes it: blank lines, and lines that end in an operator, continue.
    const block = planScript('\ni=0\n\nwhile true\ndo\n  echo "$i" &&\n    i=$((i+1))\n  sleep 1\ndone\n')!;
    assert.deepStrictEqual(block, { before: ' i=0', loop: { until: false, condition: 'true', body: 'echo "$i" &&     i=$((i+1));  sleep 1' }, after: '' });
    // Refused: unknown commands, other descriptors' redirections, background jobs, nested shells, `!` outside a loop,
    // env running a command, tail -f, `||` after a loop, nested loops, if/for.
    for (const refused of ['python app.py', 'echo hi 3>/tmp/x', 'cat <<EOF', 'tail -n+1 -F /var/log/1.log', "echo \"it's ok\"; mycmd",
      'echo $(foo $(cat x))', 'env FOO=1 mycmd', "sh -c 'mycmd'", '! nslookup x && echo y', 'until nslookup x; do sleep 1; done || echo failed',
      'echo a & sleep 1', 'echo hi &> /tmp/x', 'while true; do while true; do sleep 1; done; done', 'if true; then echo y; fi', 'for i in 1 2; do echo $i; done', 'echo `date`',
      'tail --follow x', 'echo $((2>1))', 'while ! a && b; do sleep 1; done']) {
      assert.strictEqual(planScript(refused), undefined, refused);
    }
    assert.ok(planScript('nslookup web 2>/dev/null || echo no'), 'the shell\'s own redirections are fine');
    // kubectl: only in an image that ships it, and only what the pod's kubectl simulates; the rest keeps the image
    // convention (a watch, `rollout status`, an apply are not failed for want of a simulation).
    assert.ok(planScript('kubectl get pods -n shop -o name; sleep 60', { kubectl: true }));
    assert.ok(planScript('kubectl rollout restart deployment/web', { kubectl: true }));
    assert.ok(planScript('until kubectl auth can-i list pods -q; do sleep 5; done', { kubectl: true }));
    assert.strictEqual(planScript('kubectl get pods', { kubectl: false }), undefined, 'an image without kubectl (or one the playground does not know)');
    for (const kept of ['kubectl rollout status deployment/web', 'kubectl get pods -w', 'kubectl -v=6 get pods', 'kubectl logs deploy/web', 'kubectl get pods --bogus', 'kubectl apply -f /m.yaml']) {
      assert.strictEqual(planScript(kept, { kubectl: true }), undefined, kept);
    }
    // Files: redirections into the container's filesystem and the file commands are played too.
    for (const played of ['touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', 'echo "$i" >> /var/log/1.log', 'echo hi > /tmp/x', 'echo hi 1>&2',
      'mkdir -p /data && cp /etc/hostname /data/ && [ -f /data/hostname ] && tee /data/copy < /data/hostname', 'echo Hello from the debian container > /pod-data/index.html']) {
      assert.ok(planScript(played), played);
    }
    // Loop words are keywords only where a command starts.
    assert.deepStrictEqual(planScript('sleep 5; echo done'), { before: 'sleep 5; echo done', after: '' });
    assert.strictEqual(planScript('while true; do echo done; sleep 1; done')!.loop!.body, 'echo done; sleep 1');
    assert.strictEqual(planScript('while true\ndo\n  echo to do\n  sleep 1\ndone')!.loop!.body, 'echo to do;  sleep 1');
    // A sleep that would take no time (in a substitution, in a pipeline) is refused rather than played wrong.
    assert.strictEqual(planScript('echo $(sleep 3; echo x); echo y'), undefined);
    assert.strictEqual(planScript('sleep 3 | echo piped; echo z'), undefined);
    assert.strictEqual(expandReferences('nslookup $(SVC).$(NS) $$(x) $(MISSING)', (n) => ({ SVC: 'web', NS: 'shop' } as Record<string, string>)[n]), 'nslookup web.shop $(x) $(MISSING)');
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
      // busybox:1.28's nslookup (libc's resolver): the server with its reverse name, then the failure on stderr.
      assert.deepStrictEqual(log.slice(0, 5), ['Server:    10.96.0.10', 'Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local', '',
        "nslookup: can't resolve 'myservice.default.svc.cluster.local'", 'waiting for myservice']);
      for (const name of ['myservice', 'mydb']) {
        pg.api.create(R.services, ns, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80, targetPort: 9376 }] } } as KObject);
      }
      pg.advance(10_000);
      assert.strictEqual(pod().status.phase, 'Running');
      for (const s of pod().status.initContainerStatuses) assert.strictEqual(s.state.terminated?.exitCode, 0, s.name);
      const ip = pg.api.get(R.services, ns, 'mydb').spec.clusterIP;
      const found = pg.logs(ns, 'myapp-pod', 'init-mydb');
      assert.deepStrictEqual(found.slice(found.indexOf('Name:      mydb.default.svc.cluster.local')).slice(0, 2),
        ['Name:      mydb.default.svc.cluster.local', `Address 1: ${ip} mydb.default.svc.cluster.local`]);
      assert.ok(pg.logs(ns, 'myapp-pod', 'myapp-container').includes('The app is running!'));
    } finally {
      pg.close();
    }
  });

  it('with busybox 1.29 and later, `until nslookup db` never ends: the bare name fails in the other search domains', () => {
    const pg = newTestPlayground();
    try {
      const waiter = (name: string, host: string) => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name },
        spec: {
          initContainers: [{ name: 'wait', image: 'busybox:1.36', command: ['sh', '-c', `until nslookup ${host}; do echo waiting; sleep 2; done`] }],
          containers: [{ name: 'app', image: 'nginx' }],
        },
      } as KObject);
      waiter('bare', 'db');
      waiter('fqdn', 'db.default.svc.cluster.local');
      pg.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }] } } as KObject);
      pg.advance(60_000);
      // db.default.svc.cluster.local answers, db.svc.cluster.local and db.cluster.local do not: the status is 1.
      assert.strictEqual(pg.api.get(R.pods, 'default', 'bare').status.phase, 'Pending');
      const log = pg.logs('default', 'bare', 'wait');
      assert.ok(log.includes('Name:\tdb.default.svc.cluster.local') && log.includes("** server can't find db.cluster.local: NXDOMAIN"), log.join('\n'));
      assert.strictEqual(pg.api.get(R.pods, 'default', 'fqdn').status.phase, 'Running', 'a name with a dot is asked as typed');
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
      assert.match(lines[0], /^0: \w{3} \w{3} [ \d]\d \d{2}:\d{2}:\d{2} UTC \d{4}$/);
      lines.forEach((l, i) => assert.ok(l.startsWith(`${i}: `), l));
      const secs = lines.slice(0, 3).map((l) => Date.parse(l.replace(/^\d+: \w{3} /, '').replace(' UTC', 'Z')));
      assert.deepStrictEqual([secs[1] - secs[0], secs[2] - secs[1]], [1000, 1000]);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'counter').status.phase, 'Running');
    } finally {
      pg.close();
    }
  });

  it('goes on writing while its pod terminates (a PID-1 shell ignores SIGTERM) until the SIGKILL, or its own end', () => {
    const pg = newTestPlayground();
    try {
      const pod = (name: string, script: string) => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, finalizers: ['example.com/keep'] },
        spec: { terminationGracePeriodSeconds: 10, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] },
      } as KObject);
      pod('counter', 'i=0; while true; do echo "$i"; i=$((i+1)); sleep 1; done');
      pod('finisher', 'echo start; sleep 8; echo bye');
      assert.ok(pg.runUntil(() => pg.api.list(R.pods, 'default').items.every((p) => p.status?.phase === 'Running'), 30_000));
      pg.advance(3_000);
      const deletedAt = pg.clock.now();
      const before = pg.logs('default', 'counter').filter((l) => /^\d+$/.test(l)).length;
      for (const name of ['counter', 'finisher']) pg.api.delete(R.pods, 'default', name);
      pg.advance(6_000);
      const during = pg.logs('default', 'counter').filter((l) => /^\d+$/.test(l)).length;
      assert.ok(during - before >= 5, `still counting while terminating: ${before} then ${during}`);
      pg.advance(10_000);
      const term = (name: string) => pg.api.get(R.pods, 'default', name).status.containerStatuses[0].state.terminated;
      // The counter is killed when its 10 s grace period ends; the finisher's sleep ended first, and so did it, with 0.
      const counter = term('counter');
      assert.strictEqual(counter.exitCode, 137);
      assert.strictEqual(Date.parse(counter.finishedAt) - Math.floor(deletedAt / 1000) * 1000 >= 9_000, true, counter.finishedAt);
      const finisher = term('finisher');
      assert.strictEqual(finisher.exitCode, 0);
      assert.strictEqual(finisher.reason, 'Completed');
      assert.strictEqual(Date.parse(finisher.finishedAt) - Date.parse(finisher.startedAt), 8_000);
      assert.ok(pg.logs('default', 'finisher').includes('bye'));
    } finally {
      pg.close();
    }
  });

  it('keeps each instance\'s output for logs --previous once the container restarts', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crasher' },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo "started at $(date +%s)"; sleep 2; echo bye; exit 3'] }] },
      } as KObject);
      assert.ok(pg.runUntil(() => (pg.api.get(R.pods, 'default', 'crasher').status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2, 120_000));
      const st = pg.api.get(R.pods, 'default', 'crasher').status.containerStatuses[0];
      const prev = pg.logs('default', 'crasher', 'c', true);
      const started = Math.floor(Date.parse(st.lastState.terminated.startedAt) / 1000);
      // The previous instance's own line (its start time), not the first instance's nor the current one's.
      // The script replaced the image's entrypoint: what it wrote is the whole log, as on a node.
      assert.deepStrictEqual([...prev], [`started at ${started}`, 'bye']);
    } finally {
      pg.close();
    }
  });

  it('waits out the sleeps before an exit, and ends a script that neither sleeps nor exits under restartPolicy Always (a real one exits at once)', () => {
    const pg = newTestPlayground();
    try {
      const pod = (name: string, cmd: string[], restartPolicy = 'Always') => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox', command: cmd }] },
      } as KObject);
      pod('crash', ['sh', '-c', 'echo about to fail; sleep 30; exit 3'], 'Never');
      pod('oneshot', ['sh', '-c', 'echo hello from a one-shot'], 'Always');
      pg.advance(20_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'crash').status.phase, 'Running', 'still in its 30 s sleep');
      assert.ok(pg.api.get(R.pods, 'default', 'oneshot').status.containerStatuses[0].restartCount >= 1, 'exited and was restarted');
      pg.advance(20_000);
      const crash = pg.api.get(R.pods, 'default', 'crash');
      assert.strictEqual(crash.status.phase, 'Failed');
      assert.strictEqual(crash.status.containerStatuses[0].state.terminated.exitCode, 3);
      assert.ok(pg.logs('default', 'crash').includes('about to fail'));
    } finally {
      pg.close();
    }
  });

  it('keeps the last 10,000 lines of a script and says how many went before them, so a follower keeps counting', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'chatty' },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'i=0; while true; do echo line $i; i=$((i+1)); sleep 0.1; done'] }] },
      } as KObject);
      pg.advance(1_200_000);
      const lines = pg.logs('default', 'chatty') as string[] & { dropped?: number };
      const out = lines.filter((l) => l.startsWith('line '));
      assert.strictEqual(out.length, 10_000);
      const last = Number(out[out.length - 1].slice(5));
      assert.ok(last > 10_000, `${last}`);
      assert.strictEqual(lines.dropped, last + 1 - 10_000, 'every line is either kept or counted as dropped');
    } finally {
      pg.close();
    }
  });

  it('keeps an init container polling across a restart of the playground (its script starts over)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-script-'));
    try {
      const pg = newTestPlayground({ stateDir: dir });
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'waiter' },
        spec: { initContainers: [{ name: 'wait', image: 'busybox:1.28', command: ['sh', '-c', 'until nslookup later; do echo waiting; sleep 2; done'] }], containers: [{ name: 'app', image: 'nginx' }] },
      } as KObject);
      pg.advance(20_000);
      assert.ok(pg.api.get(R.pods, 'default', 'waiter').status.initContainerStatuses[0].state.running);
      pg.close();
      const again = newTestPlayground({ stateDir: dir });
      try {
        again.advance(20_000);
        const p = again.api.get(R.pods, 'default', 'waiter');
        assert.strictEqual(p.status.phase, 'Pending');
        assert.ok(p.status.initContainerStatuses[0].state.running, 'still polling: no Service "later" yet');
        again.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'later' }, spec: { ports: [{ port: 80 }] } } as KObject);
        again.advance(10_000);
        assert.strictEqual(again.api.get(R.pods, 'default', 'waiter').status.phase, 'Running');
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a script in time: output after a sleep comes after it, an exit ends it at once, a sleep that is never reached does not count', () => {
    const pg = newTestPlayground();
    try {
      const pod = (name: string, script: string, restartPolicy = 'Never') => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] },
      } as KObject);
      assert.ok(pg.runUntil(() => pg.dnsServing(), 120_000));
      pod('late', 'echo early; sleep 20; echo late; sleep 3600');
      pod('quit', 'echo a; exit 3; sleep 300');
      pod('skipped', 'nslookup nosuch && sleep 3600');
      pod('strict', 'echo $((1/0)) || echo handled; echo after');
      pod('block', 'echo one\n\necho two &&\n  echo three\nsleep 3600', 'Always');
      pod('status', 'while nslookup nosuch; do echo body; done; echo st=$?');
      // The script makes its own files: a folder that is not there is not made for it.
      pod('nodir', 'echo y > /nope/x; echo st=$?; touch /tmp/ok; ls /tmp; sleep 3600', 'Always');
      // What a line prints before its `exit` reaches the log; a loop with no sleep takes no time.
      pod('lastwords', 'for i in 1 2; do echo $i; done; echo fatal >&2; exit 4; echo never');
      pod('spin', 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); done; echo counted $i; sleep 3600', 'Always');
      // A loop that never sleeps keeps its container running, as a real one does.
      pod('forever', 'while true; do :; done', 'Always');
      pg.advance(10_000);
      const phase = (n: string) => pg.api.get(R.pods, 'default', n).status.phase;
      const code = (n: string) => pg.api.get(R.pods, 'default', n).status.containerStatuses[0].state.terminated?.exitCode;
      const out = (n: string) => pg.logs('default', n).filter((l) => !l.includes('kubeplay:'));
      assert.deepStrictEqual(out('late'), ['early']);
      assert.strictEqual(phase('quit'), 'Failed');
      assert.strictEqual(code('quit'), 3);
      assert.strictEqual(phase('skipped'), 'Failed', 'the lookup failed, so the sleep after && never ran');
      assert.strictEqual(code('skipped'), 1);
      assert.strictEqual(code('strict'), 2, 'an arithmetic error ends a script, as ash does');
      assert.deepStrictEqual(out('strict'), ['sh: divide by zero']);
      assert.deepStrictEqual(out('block'), ['one', 'two', 'three']);
      assert.ok(out('status').includes('st=0'), 'after a loop, $? is the loop\'s status');
      // Standard output and error reach the log in the order they came.
      assert.deepStrictEqual(out('nodir'), ["sh: can't create /nope/x: nonexistent directory", 'st=1', 'ok']);
      assert.deepStrictEqual(out('lastwords'), ['1', '2', 'fatal']);
      assert.strictEqual(code('lastwords'), 4);
      assert.deepStrictEqual(out('spin'), ['counted 500']);
      assert.strictEqual(phase('forever'), 'Running');
      assert.ok(pg.api.get(R.pods, 'default', 'forever').status.containerStatuses[0].state.running);
      pg.advance(20_000);
      assert.deepStrictEqual(out('late'), ['early', 'late']);
    } finally {
      pg.close();
    }
  });

  it('plays scripts with comments and POSIX parameter expansion as busybox ash runs them: each StatefulSet pod finds its ordinal in its hostname', () => {
    const pg = newTestPlayground();
    try {
      // The outputs below are busybox 1.35 ash's for the same scripts.
      const script = [
        '# Each replica finds its ordinal in its hostname (web-0, web-1).',
        'ordinal=${HOSTNAME##*-}   # after the last dash; a comment ends at its line: echo never',
        'if [ "$ordinal" -eq 0 ]; then echo "primary ${HOSTNAME}"; else echo "replica of ${HOSTNAME%-*}-0"; fi',
        'conf=/etc/app/${ROLE:-default}.conf; echo "${conf##*/} ${conf%.conf} ${#conf}"',
        'sleep 3600',
      ].join('\n');
      pg.api.create(R.statefulsets, 'default', {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' },
        spec: {
          serviceName: 'web', replicas: 2, selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script] }] } },
        },
      } as KObject);
      const pod = (name: string, text: string) => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', text] }] },
      } as KObject);
      // `${NAME:?word}` of an unset name ends the script with status 2 and the word; `?` alone tests for unset only.
      pod('required', 'echo start; name=${NAME:?NAME must be set}; echo never');
      pod('unset', 'empty=; echo "[${empty?}]"; echo ${missing?}; echo never');
      pod('patterns', 'f=archive.tar.gz; echo ${f%.*} ${f%%.*} ${f#*.} ${f##*.}; p="*."; echo ${f#$p} ${f#"$p"}');
      // A required variable in a here-document (checking the script must not throw), a line continuation, and a `#`
      // that does not start a word.
      pod('heredoc', 'cat <<EOF > /tmp/app.conf\nhost=${HOSTNAME:?HOSTNAME must be set}\nEOF\ncat /tmp/app.conf\necho one \\\n  two # joined\nx=$(echo a)#b; echo $x a\\ #b');
      const out = (n: string) => pg.logs('default', n).filter((l) => !l.includes('kubeplay:'));
      assert.ok(pg.runUntil(() => out('web-1').length > 0 && out('patterns').length > 0, 120_000));
      assert.deepStrictEqual(out('web-0'), ['primary web-0', 'default.conf /etc/app/default 21']);
      assert.deepStrictEqual(out('web-1'), ['replica of web-0', 'default.conf /etc/app/default 21']);
      pg.advance(5_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'web-1').status.phase, 'Running', 'the script sleeps on after its comments');
      const code = (n: string) => pg.api.get(R.pods, 'default', n).status.containerStatuses[0].state.terminated?.exitCode;
      assert.deepStrictEqual(out('required'), ['start', 'sh: NAME: NAME must be set']);
      assert.strictEqual(code('required'), 2);
      assert.deepStrictEqual(out('unset'), ['[]', 'sh: missing: parameter not set']);
      assert.strictEqual(code('unset'), 2);
      assert.deepStrictEqual(out('patterns'), ['archive.tar archive tar.gz gz', 'tar.gz archive.tar.gz']);
      assert.deepStrictEqual(out('heredoc'), ['host=heredoc', 'one two', 'a#b a #b']);
    } finally {
      pg.close();
    }
  });

  it('plays the documentation\'s downward API volume example: busybox\'s [[ ]], and a file without a last newline joined to what follows', () => {
    const pg = newTestPlayground();
    try {
      // kubernetes.io "Expose Pod Information to Containers Through Files", dapi-volume.yaml.
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: 'kubernetes-downwardapi-volume-example', labels: { zone: 'us-est-coast', cluster: 'test-cluster1', rack: 'rack-22' }, annotations: { build: 'two', builder: 'john-doe' } },
        spec: {
          containers: [{
            name: 'client-container', image: 'registry.k8s.io/busybox:1.27.2', command: ['sh', '-c'],
            args: ["while true; do if [[ -e /etc/podinfo/labels ]]; then echo -en '\\n\\n'; cat /etc/podinfo/labels; fi; if [[ -e /etc/podinfo/annotations ]]; then echo -en '\\n\\n'; cat /etc/podinfo/annotations; fi; sleep 5; done;"],
            volumeMounts: [{ name: 'podinfo', mountPath: '/etc/podinfo' }],
          }],
          volumes: [{ name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } }],
        },
      } as KObject);
      // busybox 1.35 ash's answers and messages, for [ and [[ alike.
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tests' },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', [
          '[ a b ]; echo $?', '[ 1 -eq x ]; echo $?', '[ a; echo $?', '[[ a; echo $?', '[ "" -eq 1 ]; echo $?',
          '[ a -a b ] && [ 1 -lt 2 -o x ] && [ ! -e /nope ] && [ \\( 1 -eq 1 \\) ] && echo grammar',
          'x=abc; [[ $x == *b* ]] && [[ $x != a ]] && [[ $x =~ ^ab ]] && [ "$x" != "a*" ] && echo patterns',
          '[[ $x == a* && -n $x ]] && [[ -z $x || $x = abc ]] && echo and-or; [[ a = b || a = a && b = c ]]; echo $?',
          'printf one; printf "two\\n"; printf last',
        ].join('\n')] }] },
      } as KObject);
      const out = (n: string) => pg.logs('default', n).filter((l) => !l.includes('kubeplay:'));
      pg.advance(12_000);
      // The labels file has no last newline: the next `echo -en '\n\n'` ends its last line and leaves one blank line.
      assert.deepStrictEqual(out('kubernetes-downwardapi-volume-example').slice(0, 8), ['', '', 'cluster="test-cluster1"', 'rack="rack-22"', 'zone="us-est-coast"', '', 'build="two"', 'builder="john-doe"']);
      assert.deepStrictEqual(out('tests'), [
        'sh: b: unknown operand', '2', 'sh: x: bad number', '2', 'sh: missing ]', '2', 'sh: missing ]]', '2', 'sh: bad number', '2',
        'grammar', 'patterns', 'and-or', '1', 'onetwo', 'last',
      ]);
    } finally {
      pg.close();
    }
  });

  it('expands Kubernetes $(VAR) references in command and args from the container\'s environment before the script runs', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'refs' },
        spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'GREETING', value: 'hello' }, { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          command: ['sh', '-c', 'echo $(GREETING) from $(MY_POD); sleep 3600'] }] },
      } as KObject);
      pg.advance(10_000);
      assert.ok(pg.logs('default', 'refs').includes('hello from refs'));
    } finally {
      pg.close();
    }
  });

  it('gives a one-shot command its real output and exit status: a Job pod looking up a missing name fails', () => {
    const pg = newTestPlayground();
    try {
      // CoreDNS first: until kube-dns has a ready endpoint, lookups time out (as they do on a real cluster).
      assert.ok(pg.runUntil(() => pg.dnsServing(), 120_000));
      // The documentation's lookup needs busybox:1.28: newer busybox asks `kubernetes.default` as a top-level name.
      for (const [name, host, image] of [['found', 'kubernetes.default', 'busybox:1.28'], ['missing', 'nosuch', 'busybox:1.28'], ['newer', 'kubernetes.default', 'busybox']]) {
        pg.api.create(R.pods, 'default', {
          apiVersion: 'v1', kind: 'Pod', metadata: { name },
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image, args: ['nslookup', host] }] },
        } as KObject);
      }
      pg.advance(30_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'found').status.phase, 'Succeeded');
      assert.ok(pg.logs('default', 'found').includes('Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local'));
      assert.strictEqual(pg.api.get(R.pods, 'default', 'newer').status.phase, 'Failed');
      assert.ok(pg.logs('default', 'newer').includes("** server can't find kubernetes.default: NXDOMAIN"));
      const missing = pg.api.get(R.pods, 'default', 'missing');
      assert.strictEqual(missing.status.phase, 'Failed');
      assert.strictEqual(missing.status.containerStatuses[0].state.terminated.exitCode, 1);
    } finally {
      pg.close();
    }
  });
});
