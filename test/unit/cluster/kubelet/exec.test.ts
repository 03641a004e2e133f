/**
 * The simulated container's shell, against a hand-built world: a pod, two
 * Services, a ConfigMap and a Secret, a DNS table and a kube-proxy that
 * alternates between two backends.
 */
import * as assert from 'node:assert/strict';
import type { KObject } from '../../../../cluster/src/contract';
import { ShellState, execCommand, formatDate, readsStdin, tokenize } from '../../../../cluster/src/kubelet/exec';
import { containerEnv, resolvConf, type ExecWorld } from '../../../../cluster/src/kubelet/execenv';
import { InteractiveShell, isShell } from '../../../../cluster/src/kubelet/execsession';

const svc = (name: string, ns: string, ip: string, ports: any[]): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: ip, ports } });

/** The same world with its container running another image (which decides which programs it has). */
function withImage(w: ExecWorld, image: string): ExecWorld {
  const c = w.pod.spec!.containers[0];
  return { ...w, pod: { ...w.pod, spec: { ...w.pod.spec, containers: [{ ...c, image }] } } };
}

function world(podOverrides: any = {}): ExecWorld {
  const pod: KObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'client', namespace: 'shop', uid: 'u-1', labels: { app: 'client' } },
    spec: {
      nodeName: 'node-1',
      containers: [{
        name: 'box', image: 'busybox',
        env: [
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'URL', value: 'http://$(MY_POD):80' },
        ],
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
        volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }, { name: 'kube-api-access-x7k2q', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
      }],
      volumes: [
        { name: 'conf', configMap: { name: 'cfg' } },
        // The ServiceAccount admission plugin's volume (its namespace file is all this world can fill).
        { name: 'kube-api-access-x7k2q', projected: { defaultMode: 420, sources: [{ downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } },
      ],
      ...podOverrides,
    },
    status: { phase: 'Running', podIP: '10.244.1.9' },
  };
  const dns: Record<string, string[]> = {
    'web.shop.svc.cluster.local': ['10.96.5.5'],
    'db.other.svc.cluster.local': ['10.96.7.7'],
    'ext.shop.svc.cluster.local': ['example.com'],
  };
  let turn = 0;
  return {
    pod, container: 'box',
    now: () => Date.UTC(2026, 10, 28, 7, 8, 30),
    lookup: (fqdn) => dns[fqdn] ?? [],
    route: (ip, port) => {
      if (ip !== '10.96.5.5' || port !== 80) return undefined;
      const i = turn++ % 2;
      return { podNamespace: 'shop', podName: `web-${i}`, ip: `10.244.2.${i + 1}`, port: 8080 };
    },
    podByIP: () => undefined,
    services: (ns) => (ns === 'default' ? [svc('kubernetes', 'default', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }])] : ns === 'shop' ? [svc('web', 'shop', '10.96.5.5', [{ port: 80 }]), svc('headless', 'shop', 'None', [{ port: 80 }])] : []),
    configMap: (_ns, name) => (name === 'cfg' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { mode: 'fast', 'app.conf': 'x=1\n' } } : undefined),
    secret: (_ns, name) => (name === 'creds' ? { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { password: Buffer.from('s3cret').toString('base64') } } : undefined),
  };
}

describe('kubelet exec shell', () => {
  it('builds the environment as the kubelet does, Service links included', () => {
    const env = new Map(containerEnv(world()));
    assert.equal(env.get('HOSTNAME'), 'client');
    assert.equal(env.get('MODE'), 'fast');
    assert.equal(env.get('PASSWORD'), 's3cret');
    assert.equal(env.get('URL'), 'http://client:80');
    assert.equal(env.get('CFG_mode'), 'fast');
    assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
    assert.equal(env.get('KUBERNETES_SERVICE_PORT'), '443');
    assert.equal(env.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
    assert.equal(env.get('KUBERNETES_PORT'), 'tcp://10.96.0.1:443');
    assert.equal(env.get('KUBERNETES_PORT_443_TCP_ADDR'), '10.96.0.1');
    assert.equal(env.get('WEB_SERVICE_HOST'), '10.96.5.5');
    assert.equal(env.get('WEB_PORT_80_TCP_PROTO'), 'tcp');
    assert.equal(env.has('HEADLESS_SERVICE_HOST'), false, 'a headless Service has no link variables');
    const noLinks = new Map(containerEnv(world({ enableServiceLinks: false })));
    assert.equal(noLinks.has('WEB_SERVICE_HOST'), false);
    assert.equal(noLinks.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1', 'the apiserver Service is always linked');
  });

  it('answers hostname, env, printenv, echo, date and the kubelet-managed files', () => {
    const w = world();
    assert.deepEqual(execCommand(w, ['hostname']), { stdout: 'client\n', stderr: '', code: 0 });
    // busybox's -i, -f, -d and -s, from the kubelet's /etc/hosts; -f wins over -s over -d over -i, as busybox answers.
    assert.equal(execCommand(w, ['hostname', '-i']).stdout, '10.244.1.9\n');
    assert.equal(execCommand(w, ['hostname', '-f']).stdout, 'client\n');
    assert.equal(execCommand(w, ['hostname', '-d']).stdout, '');
    assert.equal(execCommand(w, ['hostname', '-di']).stdout, '');
    const sts = world({ hostname: 'web-0', subdomain: 'web' });
    assert.equal(execCommand(sts, ['hostname', '-f']).stdout, 'web-0.web.shop.svc.cluster.local\n');
    assert.equal(execCommand(sts, ['hostname', '-d']).stdout, 'web.shop.svc.cluster.local\n');
    assert.deepEqual(execCommand(w, ['hostname', 'other']), { stdout: '', stderr: 'hostname: sethostname: Operation not permitted\n', code: 1 });
    assert.match(execCommand(w, ['hostname', '-x']).stderr, /^hostname: invalid option -- 'x'\nBusyBox v1\.36\.1 multi-call binary\.\n\nUsage: hostname \[-sidf\]/);
    assert.equal(execCommand(w, ['printenv', 'MODE']).stdout, 'fast\n');
    assert.equal(execCommand(w, ['printenv', 'NOPE']).code, 1);
    assert.equal(execCommand(w, ['date']).stdout, 'Sat Nov 28 07:08:30 UTC 2026\n');
    assert.equal(execCommand(w, ['date', '+%s %F %T %j %a %B %e%%']).stdout, `${Math.floor(Date.UTC(2026, 10, 28, 7, 8, 30) / 1000)} 2026-11-28 07:08:30 332 Sat November 28%\n`);
    assert.equal(execCommand(w, ['date', '-u', '-I']).stdout, '2026-11-28\n');
    assert.equal(execCommand(w, ['date', '-R']).stdout, 'Sat, 28 Nov 2026 07:08:30 +0000\n');
    assert.deepEqual([execCommand(w, ['date', '-d', 'yesterday']).stderr, execCommand(w, ['date', '-d']).code], ["date: invalid date '-d'\n", 1]);
    assert.equal(formatDate(Date.UTC(2026, 0, 5, 1, 2, 3)), 'Mon Jan  5 01:02:03 UTC 2026', "busybox's default format pads the day with a space (%e)");
    assert.equal(formatDate(Date.UTC(2026, 10, 28, 7, 8, 30)), 'Sat Nov 28 07:08:30 UTC 2026');
    assert.equal(execCommand(w, ['cat', '/etc/hostname']).stdout, 'client\n');
    assert.equal(execCommand(w, ['cat', '/etc/resolv.conf']).stdout, 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    assert.match(execCommand(w, ['cat', '/etc/hosts']).stdout, /^10\.244\.1\.9\tclient$/m);
    assert.equal(execCommand(w, ['cat', '/etc/app/app.conf']).stdout, 'x=1\n');
    assert.equal(execCommand(w, ['ls', '/etc/app']).stdout, 'app.conf\nmode\n');
    assert.deepEqual(execCommand(w, ['cat', '/nope']), { stdout: '', stderr: "cat: can't open '/nope': No such file or directory\n", code: 1 });
    assert.match(execCommand(w, ['ls', '/']).stdout, /^etc$/m);
  });

  it('substitutes $(command) output, outside single quotes, as sh does', () => {
    const sh = new ShellState(world());
    assert.equal(sh.run('echo ns=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)').stdout, 'ns=shop\n');
    assert.equal(sh.run('echo "$(hostname) in $(echo $(echo nested))"').stdout, 'client in nested\n');
    assert.equal(sh.run("echo '$(hostname)'").stdout, '$(hostname)\n');
    assert.equal(sh.run('nslookup web.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local').code, 0);
    assert.doesNotMatch(sh.run('X=$(hostname); env').stdout, /__kubeplay/, 'substitutions are not variables');
    assert.equal(sh.run('false &&\necho no\n\necho yes').stdout, 'yes\n', 'a newline after && continues the list; blank lines are nothing');
    assert.equal(sh.run('echo hi |\n  grep h').stdout, 'hi\n');
    const missing = sh.run('echo [$(cat /nope)]');
    assert.equal(missing.stdout, '[]\n');
    assert.equal(missing.stderr, "cat: can't open '/nope': No such file or directory\n");
    // Unquoted results are split into fields at blanks; quoted ones stay one word; an empty unquoted one is no word.
    assert.equal(sh.run('X="a   b"; echo $X; echo "$X"').stdout, 'a b\na   b\n');
    assert.equal(sh.run('echo [$(echo "  x   y  ")]').stdout, '[ x y ]\n');
    assert.equal(sh.run('echo $NOPE one').stdout, 'one\n');
  });

  it('honours dnsPolicy None and dnsConfig in resolv.conf', () => {
    const pod = world({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }] } }).pod;
    assert.equal(resolvConf(pod), 'search corp.example\nnameserver 1.1.1.1\noptions ndots:2\n');
  });

  it('looks names up as busybox 1.36 does: a bare name in every search domain, A and AAAA, every reply printed', () => {
    const w = world();
    const head = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
    const nx = (n: string) => `** server can't find ${n}: NXDOMAIN\n\n`;
    // Found in the first domain, not in the other two: printed, and the status is 1. The AAAA reply has no record.
    assert.deepEqual(execCommand(w, ['nslookup', 'web']), {
      stdout: `${head}Name:\tweb.shop.svc.cluster.local\nAddress: 10.96.5.5\n\n${nx('web.svc.cluster.local')}${nx('web.cluster.local')}\n${nx('web.svc.cluster.local')}${nx('web.cluster.local')}`,
      stderr: '', code: 1,
    });
    // A name with a dot is asked as typed (busybox ignores ndots): only the full name answers.
    assert.deepEqual(execCommand(w, ['nslookup', 'db.other']), { stdout: `${head}${nx('db.other')}${nx('db.other')}`, stderr: '', code: 1 });
    assert.deepEqual(execCommand(w, ['nslookup', 'db.other.svc.cluster.local']),
      { stdout: `${head}Name:\tdb.other.svc.cluster.local\nAddress: 10.96.7.7\n\n\n`, stderr: '', code: 0 });
    assert.match(execCommand(w, ['nslookup', 'ext']).stdout, /^ext\.shop\.svc\.cluster\.local\tcanonical name = example\.com$/m);
    // busybox has no getent (it is glibc's and musl's); alpine has musl's, which resolves as libc does.
    assert.deepEqual(execCommand(w, ['getent', 'hosts', 'web']), { stdout: '', stderr: 'sh: getent: not found\n', code: 127, notFound: true });
    const alpine = withImage(w, 'alpine:3.20');
    assert.equal(execCommand(alpine, ['getent', 'hosts', 'web']).stdout, '10.96.5.5       web.shop.svc.cluster.local\n');
    assert.equal(execCommand(alpine, ['getent', 'hosts', 'nothing']).code, 2);
  });

  it('looks names up as busybox 1.28 does: what libc resolves under ndots:5, the name as typed', () => {
    const w = world();
    const c = w.pod.spec!.containers[0];
    w.pod = { ...w.pod, spec: { ...w.pod.spec, containers: [{ ...c, image: 'busybox:1.28' }] } };
    const server = 'Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n';
    assert.deepEqual(execCommand(w, ['nslookup', 'web']), { stdout: `${server}Name:      web\nAddress 1: 10.96.5.5\n`, stderr: '', code: 0 });
    assert.deepEqual(execCommand(w, ['nslookup', 'db.other']), { stdout: `${server}Name:      db.other\nAddress 1: 10.96.7.7\n`, stderr: '', code: 0 });
    assert.deepEqual(execCommand(w, ['nslookup', 'nothing']), { stdout: server, stderr: "nslookup: can't resolve 'nothing'\n", code: 1 });
  });

  it('times out on names while the cluster DNS has no ready endpoint, as busybox does', () => {
    const w: ExecWorld = { ...world(), dnsServing: () => false };
    assert.deepEqual(execCommand(w, ['nslookup', 'web']), { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 });
    assert.deepEqual(execCommand(w, ['wget', '-qO-', 'http://web']), { stdout: '', stderr: "wget: bad address 'web'\n", code: 1 });
    // getent and curl, in an image that has them (netshoot's alpine).
    const tools = withImage(w, 'nicolaka/netshoot');
    assert.deepEqual(execCommand(tools, ['getent', 'hosts', 'web']), { stdout: '', stderr: '', code: 2 });
    assert.equal(execCommand(tools, ['curl', '-s', 'web']).code, 6);
    // Addresses need no server: straight to the Service IP still goes through kube-proxy.
    assert.match(execCommand(w, ['wget', '-qO-', 'http://10.96.5.5']).stdout, /^Hostname: web-\d\n/);
    const up: ExecWorld = { ...world(), dnsServing: () => true };
    assert.match(execCommand(up, ['nslookup', 'web']).stdout, /^Name:\tweb\.shop\.svc\.cluster\.local$/m);
  });

  it('sends wget and curl through kube-proxy and names the pod that served', () => {
    const w = world();
    const a = execCommand(w, ['wget', '-qO-', 'http://web']);
    // busybox has wget and no curl; the curl image has curl.
    assert.equal(execCommand(w, ['curl', '-s', 'web/healthz']).code, 127);
    const curlImage = withImage(w, 'curlimages/curl:8.5.0');
    const b = execCommand(curlImage, ['curl', '-s', 'web/healthz']);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, 'Hostname: web-0\nIP: 10.244.2.1\nPort: 8080\nRemoteAddr: 10.244.1.9\nGET / HTTP/1.1\nHost: web\nUser-Agent: Wget\nConnection: close\n');
    assert.match(b.stdout, /^Hostname: web-1\nIP: 10\.244\.2\.2\n/);
    assert.match(b.stdout, /GET \/healthz HTTP\/1\.1/);
    assert.deepEqual(execCommand(w, ['wget', '-qO-', 'http://nothing']), { stdout: '', stderr: "wget: bad address 'nothing'\n", code: 1 });
    assert.deepEqual(execCommand(w, ['wget', '-qO-', 'http://web:81']), { stdout: '', stderr: "wget: can't connect to remote host (10.96.5.5): Connection refused\n", code: 1 });
    assert.equal(execCommand(curlImage, ['curl', 'nothing']).code, 6);
    assert.equal(execCommand(curlImage, ['curl', 'web:81']).code, 7);
    const s = new ShellState(w);
    assert.equal(s.run('wget -q http://web && cat index.html | grep Hostname').stdout, 'Hostname: web-0\n');
  });

  it('reaches the pod itself on localhost, where its own image listens', () => {
    const w = world({ containers: [{ name: 'box', image: 'nginx:1.27' }] });
    w.pod.status = { phase: 'Running', podIP: '10.244.1.9', containerStatuses: [{ name: 'box', state: { running: {} } }] };
    const a = execCommand(w, ['curl', '-s', 'localhost/x']);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, 'Hostname: client\nIP: 10.244.1.9\nPort: 80\nRemoteAddr: 127.0.0.1\nGET /x HTTP/1.1\nHost: localhost\nUser-Agent: curl/8.5.0\nAccept: */*\n');
    const closed = execCommand(w, ['curl', 'http://127.0.0.1:8080/']);
    assert.equal(closed.code, 7);
    assert.match(closed.stderr, /curl: \(7\) Failed to connect to 127\.0\.0\.1 port 8080/);
  });

  it('parses a shell line: quotes, variables, lists and pipes', () => {
    const s = new ShellState(world());
    assert.equal(s.run(`echo "mode is $MODE" 'not $MODE'`).stdout, 'mode is fast not $MODE\n');
    assert.equal(s.run('false || echo fallback; true && echo yes').stdout, 'fallback\nyes\n');
    assert.equal(s.run('false; echo $?').stdout, '1\n');
    assert.equal(s.run('env | grep ^WEB_SERVICE_HOST').stdout, 'WEB_SERVICE_HOST=10.96.5.5\n');
    assert.equal(s.run('X=1; echo ${X}2').stdout, '12\n');
    assert.equal(s.run('cat /nope 2>/dev/null; echo $?').stdout, '1\n');
    assert.deepEqual(s.run('frob'), { stdout: '', stderr: 'sh: frob: not found\n', code: 127 });
    assert.deepEqual(tokenize('a&&b', () => ''), [{ word: 'a' }, { op: '&&' }, { word: 'b' }]);
    assert.equal(s.run('env | grep ^KUBERNETES_SERVICE | sort -r | head -n 2').stdout, 'KUBERNETES_SERVICE_PORT_HTTPS=443\nKUBERNETES_SERVICE_PORT=443\n');
    assert.equal(s.run('cat /etc/resolv.conf | tail -1').stdout, 'options ndots:5\n');
    assert.equal(s.run('sleep 5; exit 4').code, 4);
    assert.equal(s.exited, 4);
  });

  it('runs sh -c and reports exit codes as the runtime does', () => {
    const w = world();
    assert.equal(execCommand(w, ['sh', '-c', 'exit 3']).code, 3);
    assert.equal(execCommand(w, ['sh', '-c', 'echo a; exit 300']).code, 44);
    assert.equal(execCommand(w, ['sh', '-c', 'echo $MODE']).stdout, 'fast\n');
    assert.equal(execCommand(w, ['true']).code, 0);
    assert.equal(execCommand(w, ['false']).code, 1);
    assert.deepEqual(execCommand(w, ['nosuch', 'x']), { stdout: '', stderr: 'sh: nosuch: not found\n', code: 127, notFound: true });
    assert.equal(execCommand(w, ['cat'], 'piped\n').stdout, 'piped\n');
  });

  it('sees the files the container\'s own command touched and removed, on the timeline exec probes read', () => {
    // The documentation's liveness-exec container: /tmp/healthy exists for its first 30 s.
    const at = (secondsRunning: number): ExecWorld => {
      const w = world({ containers: [{ name: 'box', image: 'busybox', args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'] }], volumes: [] });
      const started = w.now() - secondsRunning * 1000;
      w.pod.status.containerStatuses = [{ name: 'box', state: { running: { startedAt: new Date(started).toISOString().replace('.000Z', 'Z') } } }];
      return w;
    };
    assert.deepEqual(execCommand(at(10), ['cat', '/tmp/healthy']), { stdout: '', stderr: '', code: 0 });
    assert.equal(execCommand(at(10), ['ls', '/tmp']).stdout, 'healthy\n');
    assert.deepEqual(execCommand(at(31), ['cat', '/tmp/healthy']), { stdout: '', stderr: "cat: can't open '/tmp/healthy': No such file or directory\n", code: 1 });
  });

  it('runs commands given by path as their basename, as busybox does', () => {
    const w = world();
    assert.deepEqual(execCommand(w, ['/bin/sh', '-c', 'echo hi']), { stdout: 'hi\n', stderr: '', code: 0 });
    // busybox has no bash; debian does.
    assert.equal(execCommand(w, ['/bin/bash', '-c', 'exit 4']).code, 127);
    assert.equal(execCommand(withImage(w, 'debian:12'), ['/bin/bash', '-c', 'exit 4']).code, 4);
    assert.deepEqual(execCommand(w, ['/bin/cat'], 'piped\n'), { stdout: 'piped\n', stderr: '', code: 0 });
    assert.equal(execCommand(w, ['sh', '-c', '/bin/echo a | /usr/bin/wc -l']).stdout, '1\n');
    assert.deepEqual(execCommand(w, ['/bin/nosuch']), { stdout: '', stderr: 'sh: /bin/nosuch: not found\n', code: 127, notFound: true });
    assert.equal(readsStdin(['/bin/cat']), true);
    assert.equal(readsStdin(['/bin/sh']), true);
    assert.equal(readsStdin(['/bin/sh', '-c', 'x']), false);
    assert.equal(isShell(['/usr/bin/ash']), true);
  });

  it('runs sh -c from the shell as a child: exported variables and directory copied in, not back out', () => {
    const s = new ShellState(world());
    s.run('export X=1; cd /etc');
    assert.equal(s.run(`sh -c 'echo $X; pwd; X=2; cd /; echo $MODE'`).stdout, '1\n/etc\nfast\n');
    assert.equal(s.run('echo $X; pwd').stdout, '1\n/etc\n');
    assert.equal(s.run('sh -c "exit 7"').code, 7);
    assert.equal(s.exited, undefined);
  });

  it('knows which commands wait for standard input', () => {
    assert.equal(readsStdin(['cat']), true);
    assert.equal(readsStdin(['cat', '/etc/hosts']), false);
    assert.equal(readsStdin(['sh', '-c', 'x']), false);
    assert.equal(readsStdin(['sh']), true);
    assert.equal(readsStdin(['hostname']), false);
    assert.equal(isShell(['sh']), true);
    assert.equal(isShell(['/bin/bash']), true);
    assert.equal(isShell(['sh', '-c', 'ls']), false);
  });

  it('plays an interactive TTY session: prompt, echo, backspace, Ctrl-C, exit', () => {
    const sh = new InteractiveShell(new ShellState(world()), true);
    assert.equal(sh.start().stdout, '/ # ');
    assert.equal(sh.input('hostnam').stdout, 'hostnam');
    assert.equal(sh.input('x\x7f').stdout, 'x\b \b');
    assert.equal(sh.input('e\r').stdout, 'e\r\nclient\r\n/ # ');
    assert.equal(sh.input('ec\x03').stdout, 'ec^C\r\n/ # ');
    assert.equal(sh.input('cd /etc\r').stdout, 'cd /etc\r\n/etc # ');
    const end = sh.input('exit 2\r');
    assert.equal(end.exit, 2);
    const d = new InteractiveShell(new ShellState(world()), true);
    d.start();
    assert.equal(d.input('\x04').exit, 0);
  });

  it('a terminal shows both streams in the order they were written', () => {
    const sh = new InteractiveShell(new ShellState(world()), true);
    sh.start();
    assert.equal(sh.input('echo one; ls /nope; echo two\r').stdout, 'echo one; ls /nope; echo two\r\none\r\nls: /nope: No such file or directory\r\ntwo\r\n/ # ');
    assert.equal(sh.input('for i in 1 2; do echo $i; cat /nope$i; done\r').stdout.split('\r\n').slice(1, 5).join('|'),
      "1|cat: can't open '/nope1': No such file or directory|2|cat: can't open '/nope2': No such file or directory");
  });

  it('ls on a terminal lays its names out in columns, as busybox does; through a pipe, or with -1, one a line', () => {
    const state = new ShellState(world());
    const sh = new InteractiveShell(state, true);
    sh.start();
    const screen = (cmd: string) => sh.input(cmd + '\r').stdout.split('\r\n').slice(1, -1);
    const root = screen('ls /');
    assert.equal(root.length, 1, root.join('|'));
    const names = root[0].split(/ +/);
    assert.ok(names.length > 5 && names.includes('etc') && names.includes('var'), root[0]);
    // Each column is as wide as the longest name and one space.
    const width = Math.max(...names.map((n) => n.length)) + 1;
    assert.equal(root[0].indexOf(names[1]), width);
    assert.ok(screen('ls / | cat').length > 5, 'one a line through a pipe');
    assert.ok(screen('ls -1 /').length > 5, 'one a line with -1');
    assert.equal(screen('echo $(ls /)').length, 1);
  });

  it('bash prompts as Debian\'s bash.bashrc sets it: user@host:dir and # for root', () => {
    const sh = new InteractiveShell(new ShellState(world()), true, 'bash');
    assert.equal(sh.start().stdout, 'root@client:/# ');
    assert.equal(sh.input('cd /etc\r').stdout, 'cd /etc\r\nroot@client:/etc# ');
  });

  it('runs a piped script without a TTY, line by line, until stdin ends', () => {
    const sh = new InteractiveShell(new ShellState(world()), false);
    assert.equal(sh.start().stdout, '');
    assert.deepEqual(sh.input('echo one\nhost'), { stdout: 'one\n', stderr: '' });
    assert.deepEqual(sh.input('name\nfrob\n'), { stdout: 'client\n', stderr: 'sh: frob: not found\n' });
    assert.deepEqual(sh.end(), { stdout: '', stderr: '', exit: 127 });
  });
});
