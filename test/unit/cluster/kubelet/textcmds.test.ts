import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { basename, cut, dirname, printf, tr } from '../../../../cluster/src/kubelet/textcmds';
import { grep } from '../../../../cluster/src/kubelet/grep';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS, WEB_AND_CLIENT } from './webfixture';

/** busybox's text tools and `ping` in the simulated shell. */

describe('simulated shell: text tools', () => {
  const stdin = (t: string) => (f: string | undefined) => (f === undefined ? t : undefined);

  it('cut fields and characters as busybox does', () => {
    assert.equal(cut(['-d:', '-f2'], stdin('a:b:c\nnone\n')).stdout, 'b\nnone\n');
    assert.equal(cut(['-d', ':', '-f', '1,3', '-s'], stdin('a:b:c\nnone\n')).stdout, 'a:c\n');
    assert.equal(cut(['-f2-'], stdin('a\tb\tc\n')).stdout, 'b\tc\n');
    assert.equal(cut(['-c', '-3'], stdin('abcdef\n')).stdout, 'abc\n');
    assert.equal(cut(['-d', '::', '-f1'], stdin('')).stderr, 'cut: the delimiter must be a single character\n');
    assert.equal(cut(['-f', '0'], stdin('')).code, 1);
    assert.equal(cut(['-f1', 'nofile'], stdin('')).stderr, "cut: can't open 'nofile': No such file or directory\n");
  });

  it('grep counts, numbers, prints only the match, matches whole words and lines, as busybox grep does', () => {
    const env = 'KUBERNETES_SERVICE_HOST=10.96.0.1\nWEB_SERVICE_HOST=10.96.5.5\nWEB_SERVICE_PORT=80\nHOME=/root\n';
    const files: Record<string, string> = { '/a': 'web\nwebby\n', '/b': 'db\n' };
    const run = (args: string[], input = env) => grep(args, { stdin: input, read: (f) => files[f] });
    assert.deepEqual(run(['-c', 'SERVICE']), { stdout: '3\n', stderr: '', code: 0 });
    assert.deepEqual(run(['-c', 'NOPE']), { stdout: '0\n', stderr: '', code: 1 });
    assert.deepEqual(run(['-c', 'zz'], 'abc\n'), { stdout: '0\n', stderr: '', code: 1 });
    assert.equal(run(['-n', 'WEB']).stdout, '2:WEB_SERVICE_HOST=10.96.5.5\n3:WEB_SERVICE_PORT=80\n');
    assert.equal(run(['-o', '10\\.96\\.[0-9.]*']).stdout, '10.96.0.1\n10.96.5.5\n');
    assert.equal(run(['-on', 'PORT=[0-9]*']).stdout, '3:PORT=80\n');
    assert.equal(run(['-w', 'web'], 'web\nwebby\nthe web server\n').stdout, 'web\nthe web server\n');
    assert.equal(run(['-x', 'web'], 'web\nwebby\n').stdout, 'web\n');
    assert.equal(run(['-e', 'HOME', '-e', 'PORT']).stdout, 'WEB_SERVICE_PORT=80\nHOME=/root\n');
    // Patterns valid alone but not together (one group name twice) do not throw.
    assert.equal(run(['-e', '(?<n>a)', '-e', '(?<n>b)'], 'x\n').code, 1);
    assert.equal(run(['-vc', 'SERVICE']).stdout, '1\n');
    assert.equal(run(['-ic', 'home']).stdout, '1\n');
    assert.equal(run(['-m1', 'SERVICE']).stdout, 'KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    assert.equal(run(['-F', '10.96.5.5']).stdout, 'WEB_SERVICE_HOST=10.96.5.5\n');
    // More than one file: each line (and count) says its file; -l and -L name files; -h drops the names.
    assert.equal(run(['web', '/a', '/b']).stdout, '/a:web\n/a:webby\n');
    assert.equal(run(['-c', 'b', '/a', '/b']).stdout, '/a:2\n/b:1\n');
    assert.equal(run(['-h', 'b', '/a', '/b']).stdout, 'web\nwebby\ndb\n');
    assert.equal(run(['-l', 'db', '/a', '/b']).stdout, '/b\n');
    assert.equal(run(['-L', 'db', '/a', '/b']).stdout, '/a\n');
    assert.deepEqual(run(['x', '/nope']), { stdout: '', stderr: 'grep: /nope: No such file or directory\n', code: 2 });
    assert.deepEqual(run(['-s', 'x', '/nope']), { stdout: '', stderr: '', code: 2 });
    assert.deepEqual(run(['-q', 'WEB']), { stdout: '', stderr: '', code: 0 });
    assert.equal(run([]).code, 2);
  });

  it('tr translates, deletes and squeezes, with ranges and classes', () => {
    assert.equal(tr(['a-z', 'A-Z'], 'hello\n').stdout, 'HELLO\n');
    assert.equal(tr(['[:lower:]', '[:upper:]'], 'k8s\n').stdout, 'K8S\n');
    assert.equal(tr(['-d', '0-9'], 'web-7b4c9\n').stdout, 'web-bc\n');
    assert.equal(tr(['-s', ' '], 'a    b  c\n').stdout, 'a b c\n');
    assert.equal(tr([':', '\\n'], 'a:b\n').stdout, 'a\nb\n');
    assert.equal(tr(['abc', 'x'], 'abcd').stdout, 'xxxd', 'a short SET2 repeats its last character');
    assert.equal(tr(['-dc', '0-9'], 'Hello, World 42\n').stdout, '42');
    assert.equal(tr(['-c', 'a-z\\n', '_'], 'a-b c\n').stdout, 'a_b_c\n');
  });

  it('printf formats with widths, precision and escapes, repeating the format for extra arguments', () => {
    assert.equal(printf(['%s-%03d|%-4s|%x|%X|%o\\n', 'a', '7', 'b', '255', '255', '8']).stdout, 'a-007|b   |ff|FF|10\n');
    assert.equal(printf(['%s\\n', 'x', 'y']).stdout, 'x\ny\n');
    assert.equal(printf(['%.2f %5.1f%%\\n', '3.14159', '42']).stdout, '3.14  42.0%\n');
    assert.equal(printf(['%5s|%-5s|%.1s\\n', 'ab', 'cd', 'xyz']).stdout, '   ab|cd   |x\n');
    assert.equal(printf(['%d\\n', 'x']).stderr, "printf: invalid number 'x'\n");
    assert.equal(printf(['no newline']).stdout, 'no newline');
    assert.equal(printf(['%b', 'a\\tb']).stdout, 'a\tb');
    // Integers read as strtoll with base 0, and must read whole.
    assert.equal(printf(['%d %d %x\\n', '010', '0x1f', '255']).stdout, '8 31 ff\n');
    assert.deepEqual(printf(['%d\\n', '3.5']), { stdout: '0\n', stderr: "printf: invalid number '3.5'\n", code: 1 });
    assert.equal(printf(['a\\x41b\\cnot']).stdout, 'aAb', '\\xHH, and \\c stops the output');
    assert.deepEqual(printf(['x%qy\\n', '1']), { stdout: 'x', stderr: 'printf: %q: invalid format\n', code: 1 });
  });

  it('basename and dirname', () => {
    assert.equal(basename(['/usr/share/nginx/html/index.html', '.html']).stdout, 'index\n');
    assert.equal(basename(['/a/b/']).stdout, 'b\n');
    assert.equal(basename(['/']).stdout, '/\n');
    assert.equal(dirname(['/a/b.txt']).stdout, '/a\n');
    assert.equal(dirname(['b']).stdout, '.\n');
    assert.equal(dirname(['/b']).stdout, '/\n');
  });
});

describe('simulated shell: ping', () => {
  let pg: KubePlayground;
  let sh: ShellState;
  let client: KObject;
  before(() => {
    pg = new KubePlayground({ seed: 21 });
    pg.apply(WEB_AND_CLIENT(3));
    pg.runUntil(() => false, 20_000);
    client = pg.api.get(PODS, 'default', 'client') as KObject;
    sh = new ShellState(pg.execWorld(client, 'c'));
  });
  after(() => pg.close());

  it('gets no answer from a Service\'s ClusterIP, which no host owns', () => {
    const ip = (pg.api.get({ group: '', version: 'v1', resource: 'services' }, 'default', 'web') as KObject).spec.clusterIP;
    const r = sh.run('ping -c 3 web');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `PING web (${ip}): 56 data bytes\n\n--- web ping statistics ---\n3 packets transmitted, 0 packets received, 100% packet loss\n`);
  });

  it('gets answers from pods, with the TTL their hops leave, and from itself', () => {
    const pods = (pg.api.list(PODS, 'default').items as KObject[]).filter((p) => p.metadata.labels?.app === 'web');
    for (const p of pods) {
      const r = sh.run(`ping -c 2 ${p.status?.podIP}`);
      assert.equal(r.code, 0, r.stdout);
      const ttl = p.spec.nodeName === client.spec.nodeName ? 63 : 62;
      assert.match(r.stdout, new RegExp(`^64 bytes from ${p.status?.podIP.replace(/\./g, '\\.')}: seq=1 ttl=${ttl} time=\\d+\\.\\d{3} ms$`, 'm'));
      assert.match(r.stdout, /^2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n$/m);
    }
    assert.match(sh.run(`ping -c 1 ${client.status?.podIP}`).stdout, /ttl=64/);
    assert.equal(sh.run('ping -c 1 nosuch').stderr, "ping: bad address 'nosuch'\n");
    // Without -c it would ping until Ctrl-C: the simulated shell sends a few and says so.
    const endless = sh.run('ping localhost');
    assert.match(endless.stdout, /^4 packets transmitted, 4 packets received/m);
    assert.match(endless.stderr, /^kubeplay: ping stopped after 4 packets/);
  });

  it('is dropped by a NetworkPolicy that allows only some ports, and passes one that allows all', () => {
    const target = (pg.api.list(PODS, 'default').items as KObject[]).find((p) => p.metadata.labels?.app === 'web')!;
    pg.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-80}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{ports: [{port: 80}]}]
`);
    assert.equal(sh.run(`ping -c 1 ${target.status?.podIP}`).code, 1, 'ICMP is no port the rule lists');
    pg.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-all}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{}]
`);
    assert.equal(sh.run(`ping -c 1 ${target.status?.podIP}`).code, 0);
  });
});
