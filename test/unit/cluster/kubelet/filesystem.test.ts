/**
 * Containers' filesystems (kubelet/disk.ts, mounts.ts): the shell's file
 * commands and redirections with busybox's messages, what outlives a session
 * (the writable layer, emptyDir, hostPath, a claim's volume), read-only
 * ConfigMap mounts, `tar`, and saving the disks.
 */
import * as assert from 'node:assert/strict';
import type { KObject } from '../../../../cluster/src/contract';
import { ShellState, execCommand, readsBinaryStdin, readsStdin } from '../../../../cluster/src/kubelet/exec';
import { containerFs } from '../../../../cluster/src/kubelet/mounts';
import { Header } from 'tar';
import { siteAnswer } from '../../../../cluster/src/kubelet/sites';
import { Disks, savedDisksProblem } from '../../../../cluster/src/kubelet/disk';
import type { ExecWorld } from '../../../../cluster/src/kubelet/execenv';

const NOW = Date.UTC(2026, 10, 28, 7, 8, 30);
const running = (name: string, id: string) => ({ name, containerID: `containerd://${id}`, state: { running: { startedAt: '2026-11-28T07:00:00Z' } } });

function pod(ids: Record<string, string> = { app: 'c1', side: 's1' }, overrides: any = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', uid: 'pod-uid-1', labels: { app: 'web' } },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'app', image: 'busybox', volumeMounts: [{ name: 'shared', mountPath: '/shared' }, { name: 'conf', mountPath: '/etc/app' }, { name: 'data', mountPath: '/data' }, { name: 'host', mountPath: '/host' }] },
        { name: 'side', image: 'busybox', volumeMounts: [{ name: 'shared', mountPath: '/from-app', readOnly: true }, { name: 'conf', mountPath: '/etc/one.conf', subPath: 'one.conf' }] },
      ],
      volumes: [
        { name: 'shared', emptyDir: {} },
        { name: 'conf', configMap: { name: 'cfg' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } },
        { name: 'host', hostPath: { path: '/var/lib/web' } },
      ],
      ...overrides,
    },
    status: { phase: 'Running', podIP: '10.244.1.9', containerStatuses: Object.entries(ids).map(([n, id]) => running(n, id)) },
  };
}

function world(disks: Disks | undefined, container: string, p: KObject = pod(), pv = 'pvc-1234'): ExecWorld {
  return {
    pod: p, container,
    now: () => NOW,
    lookup: () => [],
    route: () => undefined,
    podByIP: () => undefined,
    services: () => [],
    configMap: (_ns, name) => (name === 'cfg' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'one.conf': 'a=1\n', 'two.conf': 'b=2\n' } } : undefined),
    secret: () => undefined,
    disks,
    persistentVolume: (_ns, claim) => (claim === 'data-web-0' ? { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: pv }, spec: {} } : undefined),
  };
}

const sh = (w: ExecWorld) => new ShellState(w);

describe('container filesystems', () => {
  it('writes, appends and reads through redirections, with ash\'s messages when it cannot', () => {
    const s = sh(world(new Disks(), 'app'));
    assert.deepEqual(s.run('echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f'), { stdout: 'one\ntwo\n', stderr: '', code: 0 });
    assert.equal(s.run('wc -l < /tmp/f').stdout, '2\n');
    assert.equal(s.run('echo out; echo err >&2').stdout, 'out\n');
    const both = s.run('ls /nope > /tmp/log 2>&1; cat /tmp/log');
    assert.equal(both.stdout, 'ls: /nope: No such file or directory\n');
    assert.deepEqual(s.run('echo x > /nope/f'), { stdout: '', stderr: "sh: can't create /nope/f: nonexistent directory\n", code: 1 });
    assert.deepEqual(s.run('cat < /nope'), { stdout: '', stderr: "sh: can't open /nope: no such file\n", code: 1 });
    assert.deepEqual(s.run('echo x > /tmp'), { stdout: '', stderr: "sh: can't create /tmp: Is a directory\n", code: 1 });
    // A redirection's file is created even when the command prints nothing, and `>` truncates.
    assert.equal(s.run('true > /tmp/empty; ls /tmp/empty').stdout, '/tmp/empty\n');
    assert.equal(s.run('echo hi 2>/dev/null >/dev/null').stdout, '');
    assert.equal(s.run('cat /dev/null').stdout, '');
  });

  it('runs mkdir, touch, rm, rmdir, cp, mv, tee and test with busybox\'s words and exit codes', () => {
    const s = sh(world(new Disks(), 'app'));
    const r = (line: string) => s.run(line);
    assert.equal(r('mkdir /w && mkdir /w').stderr, "mkdir: can't create directory '/w': File exists\n");
    assert.equal(r('mkdir /x/y').stderr, "mkdir: can't create directory '/x/y': No such file or directory\n");
    assert.equal(r('mkdir -p /w/a/b && touch /w/f && ls /w').stdout, 'a\nf\n');
    assert.equal(r('mkdir -p /w/f/x').stderr, "mkdir: can't create directory '/w/f/': Not a directory\n");
    assert.deepEqual(r('rm /w/zz'), { stdout: '', stderr: "rm: can't remove '/w/zz': No such file or directory\n", code: 1 });
    assert.equal(r('rm /w/a').stderr, "rm: '/w/a' is a directory\n");
    assert.equal(r('rmdir /w/a').stderr, "rmdir: '/w/a': Directory not empty\n");
    assert.equal(r('rm -f /w/zz; echo $?').stdout, '0\n');
    assert.equal(r('touch /nope/x').stderr, 'touch: /nope/x: No such file or directory\n');
    assert.equal(r('cat /w').stderr, 'cat: read error: Is a directory\n');
    assert.equal(r('cp /w /v').stderr, "cp: omitting directory '/w'\n");
    assert.equal(r('cp /zz /v').stderr, "cp: can't stat '/zz': No such file or directory\n");
    assert.equal(r('mv /zz /v').stderr, "mv: can't rename '/zz': No such file or directory\n");
    assert.equal(r('echo data > /w/a/b/file && cp -r /w /v && cat /v/a/b/file').stdout, 'data\n');
    assert.equal(r('mv /v/a/b/file /v/moved && ls /v/a/b && cat /v/moved').stdout, 'data\n');
    assert.equal(r('echo abc | tee /t1 /t2 && cat /t1 /t2').stdout, 'abc\nabc\nabc\n');
    assert.equal(r('test -d /w && [ -f /w/f ] && [ ! -s /w/f ] && [ -e /nope ] || echo tests').stdout, 'tests\n');
    assert.equal(r('[ 3 -gt 2 ] && [ "a" = "a" ] && [ -n x ] && echo yes').stdout, 'yes\n');
    assert.equal(r('[ 1 -eq 1').stderr, 'sh: missing ]\n');
    assert.equal(r('rm -r /w && ls /w').stderr, 'ls: /w: No such file or directory\n');
  });

  it('appends in place without changing what an earlier read returned', () => {
    const s = sh(world(new Disks(), 'app'));
    s.run('echo 1 > /tmp/log');
    for (let i = 2; i <= 500; i++) s.fs.write('/tmp/log', `${i}\n`, true);
    const before = s.fs.read('/tmp/log');
    s.run('echo 501 >> /tmp/log');
    assert.equal(Buffer.from(before).toString().split('\n').length, 501);
    assert.equal(s.run('wc -l /tmp/log').stdout, '501 /tmp/log\n');
    assert.equal(s.run('head -n 2 /tmp/log; tail -n 1 /tmp/log').stdout, '1\n2\n501\n');
    s.run('echo new > /tmp/log');
    assert.equal(s.run('cat /tmp/log').stdout, 'new\n');
  });

  it('lists as busybox ls -l does', () => {
    const s = sh(world(new Disks(), 'app'));
    s.run('mkdir /d; echo hello > /d/g; touch /d/f');
    assert.equal(s.run('ls -l /d').stdout, [
      'total 4',
      '-rw-r--r--    1 root     root             0 Nov 28 07:08 f',
      '-rw-r--r--    1 root     root             6 Nov 28 07:08 g',
      '',
    ].join('\n'));
    assert.equal(s.run('ls -l /d/g').stdout, '-rw-r--r--    1 root     root             6 Nov 28 07:08 /d/g\n');
    assert.equal(s.run('ls /d/g /d').stdout, '/d/g\n\n/d:\nf\ng\n');
    assert.match(s.run('ls -ld /tmp').stdout, /^drwxrwxrwt    2 root     root          4096 Nov 28 07:00 \/tmp\n$/);
  });

  it('keeps a container\'s layer across sessions, and starts a restarted container from an empty one', () => {
    const disks = new Disks();
    // Two sessions open at once (kubectl exec -it in two terminals): each sees what the other writes.
    const a = sh(world(disks, 'app'));
    const b = sh(world(disks, 'app'));
    b.run('echo from-b > /root/b');
    assert.equal(a.run('cat /root/b; echo from-a > /root/a').stdout, 'from-b\n');
    assert.equal(b.run('cat /root/a').stdout, 'from-a\n');
    sh(world(disks, 'app')).run('echo mine > /root/note');
    assert.equal(sh(world(disks, 'app')).run('cat /root/note').stdout, 'mine\n');
    // The other container has a layer of its own.
    assert.equal(sh(world(disks, 'side')).run('cat /root/note').stderr, "cat: can't open '/root/note': No such file or directory\n");
    // A new instance of `app` (a restart) has a new containerID: its layer is fresh.
    const restarted = pod({ app: 'c2', side: 's1' });
    assert.equal(sh(world(disks, 'app', restarted)).run('cat /root/note').code, 1);
  });

  it('shares an emptyDir between the pod\'s containers and keeps it across restarts; read-only mounts refuse writes', () => {
    const disks = new Disks();
    sh(world(disks, 'app')).run('echo hello > /shared/index.html');
    const side = sh(world(disks, 'side'));
    assert.equal(side.run('cat /from-app/index.html').stdout, 'hello\n');
    assert.equal(side.run('echo x > /from-app/y').stderr, "sh: can't create /from-app/y: Read-only file system\n");
    assert.equal(side.run('rm /from-app/index.html').stderr, "rm: can't remove '/from-app/index.html': Read-only file system\n");
    assert.equal(sh(world(disks, 'app', pod({ app: 'c9', side: 's1' }))).run('cat /shared/index.html').stdout, 'hello\n');
    // ConfigMap volumes: the keys as files, read-only; a subPath mounts one file.
    const app = sh(world(disks, 'app'));
    assert.equal(app.run('ls /etc/app').stdout, 'one.conf\ntwo.conf\n');
    assert.equal(app.run('echo c=3 >> /etc/app/one.conf').stderr, "sh: can't create /etc/app/one.conf: Read-only file system\n");
    assert.equal(app.run('touch /etc/app/new').stderr, 'touch: /etc/app/new: Read-only file system\n');
    assert.equal(side.run('cat /etc/one.conf').stdout, 'a=1\n');
    // The pod is gone: its layers and emptyDirs go too.
    disks.dropPod('pod-uid-1');
    assert.equal(sh(world(disks, 'app')).run('ls /shared').stdout, '');
  });

  it('keeps a claim\'s files with its volume and hostPath files with the node, whichever pod mounts them', () => {
    const disks = new Disks();
    sh(world(disks, 'app')).run('echo state > /data/db; echo node > /host/n');
    const other = pod({ app: 'z1', side: 'z2' });
    other.metadata.uid = 'pod-uid-2';
    assert.equal(sh(world(disks, 'app', other)).run('cat /data/db /host/n').stdout, 'state\nnode\n');
    const elsewhere = pod({ app: 'z3', side: 'z4' }, { nodeName: 'node-2' });
    elsewhere.metadata.uid = 'pod-uid-3';
    assert.equal(sh(world(disks, 'app', elsewhere)).run('cat /data/db; ls /host').stdout, 'state\n');
    disks.dropVolume('pvc-1234');
    assert.equal(sh(world(disks, 'app', other)).run('ls /data').stdout, '');
  });

  it('refuses writes past the disks\' size with ENOSPC, losing nothing already written', () => {
    const disks = new Disks(64);
    const s = sh(world(disks, 'app'));
    s.run('echo 0123456789 > /tmp/a');
    const r = s.run('echo 012345678901234567890123456789012345678901234567890123456789 > /tmp/b');
    assert.equal(r.stderr, 'sh: write error: No space left on device\n');
    assert.equal(s.run('cat /tmp/a').stdout, '0123456789\n');
  });

  it('creates, lists and extracts tar archives as busybox tar does', () => {
    const s = sh(world(new Disks(), 'app'));
    s.run('mkdir -p /src/sub; echo a > /src/a.txt; echo deep > /src/sub/deep.txt');
    const c = execCommand(s.world, ['tar', 'cf', '-', '/src']);
    assert.equal(c.code, 0);
    assert.equal(c.stderr, "tar: removing leading '/' from member names\n");
    assert.ok(c.bin && c.bin.length % 512 === 0);
    // The archive, fed back on standard input (kubectl cp's `tar -xmf - -C DIR`), lands where -C says.
    const w2 = world(new Disks(), 'app');
    assert.ok(readsBinaryStdin(['tar', '-xmf', '-', '-C', '/tmp']));
    assert.ok(!readsBinaryStdin(['tar', 'cf', '-', '/src']));
    const x = execCommand(w2, ['tar', '-xmf', '-', '-C', '/tmp'], '', c.bin);
    assert.deepEqual(x, { stdout: '', stderr: '', code: 0 });
    assert.equal(sh(w2).run('cat /tmp/src/a.txt /tmp/src/sub/deep.txt').stdout, 'a\ndeep\n');
    assert.equal(s.run('cd /; tar cf /t.tar src && tar tf /t.tar').stdout, 'src/\nsrc/a.txt\nsrc/sub/\nsrc/sub/deep.txt\n');
    assert.match(s.run('tar tvf /t.tar').stdout, /^-rw-r--r-- root\/root {9}2 2026-11-28 07:08:30 src\/a\.txt$/m);
    const missing = execCommand(s.world, ['tar', 'cf', '-', '/nope']);
    assert.deepEqual({ ...missing, bin: undefined }, { stdout: '', stderr: 'tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n', code: 1, bin: undefined });
    assert.equal(execCommand(s.world, ['tar', '-xmf', '-', '-C', '/nope'], '', c.bin).stderr, "tar: can't change directory to '/nope': No such file or directory\n");
    assert.equal(execCommand(s.world, ['tar', 'xf', '-'], '', new Uint8Array(0)).stderr, 'tar: short read\n');
    assert.equal(execCommand(s.world, ['tar', 'xf', '-'], '', new Uint8Array(Buffer.alloc(1024, 'x'))).stderr, 'tar: invalid tar magic\n');
    // Binary content survives the round trip byte for byte.
    const bytes = new Uint8Array(1500).map((_, i) => (i * 37) % 256);
    s.fs.write('/bin.dat', bytes);
    const round = execCommand(s.world, ['tar', 'cf', '-', 'bin.dat']);
    const w3 = world(new Disks(), 'app');
    execCommand(w3, ['tar', 'xf', '-', '-C', '/root'], '', round.bin);
    assert.deepEqual(sh(w3).fs.read('/root/bin.dat'), bytes);
  });

  it('saves and restores its trees, and refuses a saved section of the wrong shape', () => {
    const disks = new Disks();
    sh(world(disks, 'app')).run('echo kept > /data/x; mkdir /shared/d; echo layer > /root/l');
    const saved = JSON.parse(JSON.stringify(disks.save()));
    assert.equal(savedDisksProblem(saved), undefined);
    const back = new Disks();
    back.load(saved);
    assert.equal(sh(world(back, 'app')).run('cat /data/x /root/l; ls /shared').stdout, 'kept\nlayer\nd\n');
    // The restored layer still belongs to its instance: a restart after the restore starts fresh.
    assert.equal(sh(world(back, 'app', pod({ app: 'new', side: 's1' }))).run('cat /root/l').code, 1);
    assert.equal(savedDisksProblem({ trees: { 'layer/x': { entries: [{ path: '/abs', data: '' }] } } }), 'bad entry in disk layer/x');
    assert.equal(savedDisksProblem({ trees: { 'bogus/x': { entries: [] } } }), 'bad disk bogus/x');
    assert.equal(savedDisksProblem(null), 'bad disks');
  });

  it('survives what a user can type: rm -rf /, a volume at /, variables as targets, mv onto itself', () => {
    const disks = new Disks();
    const bare = pod({ app: 'c1', side: 's1' }, { automountServiceAccountToken: false });
    bare.spec!.containers[0].volumeMounts.push({ name: 'shared', mountPath: '/' });
    const s = sh(world(disks, 'app', bare));
    assert.equal(s.run('ls -l / >/dev/null; echo $?').stdout, '0\n', 'a volume mounted at / is not mounted (the runtime refuses it)');
    assert.equal(s.run('F=/tmp/x; echo hi > $F; cat $F').stdout, 'hi\n');
    assert.deepEqual(s.run('cd /tmp && mv x . && mv x x && cat x'), { stdout: 'hi\n', stderr: '', code: 0 });
    assert.deepEqual(s.run('cp /tmp/x /tmp/x'), { stdout: '', stderr: "cp: '/tmp/x' and '/tmp/x' are the same file\n", code: 1 });
    assert.equal(s.run('mkdir /d; cp -r /d /d/sub').stderr, "cp: recursion detected, omitting directory '/d/sub'\n");
    assert.equal(s.run('echo hi > /tmp/new/').stderr, "sh: can't create /tmp/new/: Is a directory\n");
    assert.equal(s.run('cat /tmp/x/').stderr, "cat: can't open '/tmp/x/': Not a directory\n");
    assert.equal(s.run('ls /tmp/x/').stderr, 'ls: /tmp/x/: Not a directory\n');
    assert.deepEqual(s.run('echo y >&3'), { stdout: '', stderr: 'sh: 3: Bad file descriptor\n', code: 1 });
    // rm -rf /: what the layer held goes and the image's folders are hidden; the root stays, and the disks still save.
    // (Mount points are busy and stay, with the folders that lead to them, as on a node.)
    assert.match(s.run('rm -rf /').stderr, /Device or resource busy/);
    assert.equal(s.run('ls /').stdout, 'data\netc\nhost\nshared\n');
    assert.equal(s.run('mkdir /tmp && echo back > /tmp/f && cat /tmp/f').stdout, 'back\n');
    assert.equal(savedDisksProblem(JSON.parse(JSON.stringify(disks.save()))), undefined);
  });

  it('hides everything of the image below a removed folder, and a folder made again there starts empty', () => {
    const p = pod();
    p.spec!.containers[0].volumeMounts = [];
    const s = sh(world(new Disks(), 'app', p));
    assert.equal(s.run('rm -rf /etc; cat /etc/hostname').stderr, "cat: can't open '/etc/hostname': No such file or directory\n");
    assert.equal(s.run('mkdir /etc; ls /etc').stdout, '');
    assert.equal(s.run('echo mine > /etc/hosts; ls /etc; cat /etc/hosts').stdout, 'hosts\nmine\n');
  });

  it('keeps binary bytes through cat, pipes and redirections, and feeds sh -c its standard input', () => {
    const s = sh(world(new Disks(), 'app'));
    const bytes = new Uint8Array(700).map((_, i) => (i * 89 + 3) % 256);
    s.fs.write('/tmp/b.bin', bytes);
    s.run('cat /tmp/b.bin > /tmp/copy.bin; cat /tmp/b.bin | cat > /tmp/piped.bin');
    assert.deepEqual(s.fs.read('/tmp/copy.bin'), bytes);
    assert.deepEqual(s.fs.read('/tmp/piped.bin'), bytes);
    s.run('tar czf /tmp/a.tgz /tmp/b.bin');
    assert.equal(s.run('cat /tmp/a.tgz | tar tzf -').stdout, 'tmp/b.bin\n');
    const out = execCommand(s.world, ['cat', '/tmp/b.bin']);
    assert.deepEqual(out.bin, bytes, 'a direct cat hands its bytes to the exec stream');
    // kubectl exec -i pod -- sh -c 'cat > /tmp/up' < file
    assert.ok(readsStdin(['sh', '-c', 'cat > /tmp/up']));
    assert.ok(!readsStdin(['sh', '-c', 'echo hi; cat /etc/hostname']));
    assert.ok(!readsStdin(['sh', '-c', 'cat < /etc/hostname']));
    assert.equal(execCommand(s.world, ['sh', '-c', 'cat > /tmp/up && wc -c /tmp/up'], 'uploaded\n').stdout, '9 /tmp/up\n');
  });

  it('tells exec probes what it knows: a written or removed file, a volume\'s files, and not the service-account token', () => {
    const disks = new Disks();
    const w = world(disks, 'app');
    sh(w).run('touch /shared/ready; rm /etc/hostname');
    const fs = containerFs(w);
    assert.equal(fs.knows('/shared/ready'), true);
    assert.equal(fs.knows('/shared/missing'), false);
    assert.equal(fs.knows('/etc/hostname'), false);
    assert.equal(fs.knows('/etc/resolv.conf'), true);
    assert.equal(fs.knows('/opt/app/healthz'), undefined, 'an image file nobody wrote: the convention decides');
    assert.equal(fs.knows('/var/run/secrets/kubernetes.io/serviceaccount/token'), undefined);
  });

  it('drops a deleted pod\'s trees by its own index, and counts the bytes the disks hold', () => {
    const disks = new Disks();
    for (let i = 0; i < 2000; i++) {
      const p = pod({ app: `c${i}`, side: `s${i}` });
      p.metadata.uid = `uid-${i}`;
      sh(world(disks, 'app', p)).run(`echo ${i} > /root/n; echo x > /shared/e`);
    }
    assert.ok(disks.used() > 0);
    // Reading a container's files leaves nothing behind: only a write keeps its layer.
    const reader = pod({ app: 'r1', side: 's' });
    reader.metadata.uid = 'uid-reader';
    sh(world(disks, 'app', reader)).run('cat /etc/hostname; ls /');
    assert.equal(Object.keys(disks.save().trees).filter((k) => k.startsWith('layer/') && k.includes('uid-reader')).length, 0);
    for (let i = 0; i < 2000; i++) disks.dropPod(`uid-${i}`);
    assert.equal(Object.keys(disks.save().trees).filter((k) => k.startsWith('layer/') || k.startsWith('emptydir/')).length, 0);
  });

  it('reads odd archives as busybox tar does: cut short, empty, and members that climb out', () => {
    const s = sh(world(new Disks(), 'app'));
    const member = (path: string, body: Buffer) => {
      const h = Buffer.alloc(512);
      new Header({ path, mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: new Date(NOW), type: 'File' }).encode(h, 0);
      return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
    };
    const evil = Buffer.concat([member('a/../../evil.txt', Buffer.from('hi\n')), Buffer.alloc(1024)]);
    assert.deepEqual(execCommand(s.world, ['tar', 'xf', '-', '-C', '/tmp'], '', new Uint8Array(evil)), { stdout: '', stderr: "tar: removing leading 'a/../../' from member names\n", code: 0 });
    assert.equal(s.run('cat /tmp/evil.txt').stdout, 'hi\n');
    const whole = Buffer.concat([member('one.txt', Buffer.from('1\n')), member('big.bin', Buffer.alloc(2000, 7)), Buffer.alloc(1024)]);
    const cut = execCommand(s.world, ['tar', 'xf', '-', '-C', '/root'], '', new Uint8Array(whole.subarray(0, 1024 + 800)));
    assert.deepEqual([cut.stderr, cut.code], ['tar: short read\n', 1]);
    assert.equal(s.run('cat /root/one.txt').stdout, '1\n', 'what came before the cut is there');
    assert.deepEqual(execCommand(s.world, ['tar', 'tf', '-'], '', new Uint8Array(1024)), { stdout: '', stderr: '', code: 0 });
  });

  it('answers as nginx does once its html folder holds the user\'s files: file, index, 301 with the query, 403, 404, 405', () => {
    const p = pod({ app: 'c1', side: 's1' });
    p.spec!.containers[0] = { name: 'app', image: 'nginx:1.27.3', volumeMounts: [{ name: 'shared', mountPath: '/usr/share/nginx/html' }] };
    const w = world(new Disks(), 'app', p);
    const s = sh(w);
    const c = p.spec!.containers[0];
    const get = (method: string, target: string) => siteAnswer(containerFs(w), c, method, target, 'web', NOW)!;
    assert.equal(get('GET', '/').status, 403, 'an empty folder and no index.html');
    s.run('mkdir /usr/share/nginx/html/docs; echo "<h1>hi</h1>" > /usr/share/nginx/html/index.html; echo body{} > /usr/share/nginx/html/docs/a.css');
    const index = get('GET', '/?x=1');
    assert.deepEqual([index.status, index.body.toString(), index.headers.find(([k]) => k === 'Content-Type')?.[1]], [200, '<h1>hi</h1>\n', 'text/html']);
    assert.equal(get('GET', '/docs/a.css').headers.find(([k]) => k === 'Content-Type')?.[1], 'text/css');
    const moved = get('GET', '/docs?page=2');
    assert.deepEqual([moved.status, moved.headers.find(([k]) => k === 'Location')?.[1]], [301, 'http://web/docs/?page=2']);
    assert.equal(get('GET', '/docs/').status, 403);
    assert.equal(get('GET', '/nope.html').status, 404);
    assert.equal(get('POST', '/index.html').status, 405);
    assert.equal(get('POST', '/nope.html').status, 404);
    // The static handler takes only GET, HEAD and POST: any other method is 405, there or not.
    assert.equal(get('PUT', '/nope.html').status, 405);
    assert.equal(get('DELETE', '/index.html').status, 405);
    assert.equal(get('POST', '/docs').status, 301);
    assert.equal(get('POST', '/docs/').status, 403, 'no index there');
    assert.equal(get('POST', '/').status, 405, 'the index is a file');
    // A broken escape is nginx's 400, after which it closes; a well-formed one is a byte (not a file here: 404).
    assert.deepEqual([get('GET', '/%zz').status, get('GET', '/%zz').close], [400, true]);
    assert.equal(get('GET', '/%ff').status, 404);
    assert.deepEqual([get('GET', '/a%00b').status, get('GET', '/a%00b').close], [400, true]);
    assert.equal(get('HEAD', '/').body.length, 0);
    assert.match(get('GET', '/nope.html').body.toString(), /<hr><center>nginx\/1\.27\.3<\/center>/);
  });

  it('holds up against the second review\'s inputs: tar of /, mv of a volume, a stale session, a file over a removed folder, empty targets, sh -ec', () => {
    const disks = new Disks();
    const s = sh(world(disks, 'app'));
    const root = execCommand(s.world, ['tar', 'cf', '-', '/etc']);
    assert.equal(root.code, 0);
    assert.ok(execCommand(s.world, ['tar', 'cf', '-', '-C', '/', 'etc']).bin);
    assert.equal(execCommand(s.world, ['tar', 'cf', '-', '/']).code, 0, 'the whole root, mounts included');
    s.run('echo keep > /shared/k');
    assert.deepEqual(s.run('mv /shared /backup'), { stdout: '', stderr: "mv: can't rename '/shared': Device or resource busy\n", code: 1 });
    assert.equal(s.run('cat /shared/k').stdout, 'keep\n');
    // A session left from an earlier instance of the container keeps nothing once a newer one wrote.
    const old = sh(world(disks, 'app'));
    const restarted = pod({ app: 'c2', side: 's1' });
    restarted.status!.containerStatuses[0].state.running.startedAt = '2026-11-28T07:05:00Z';
    sh(world(disks, 'app', restarted)).run('echo new > /root/n');
    old.run('echo stale > /root/s');
    assert.equal(sh(world(disks, 'app', restarted)).run('cat /root/n; ls /root').stdout, 'new\nn\n');
    // A file where the image's folder was: nothing of the image shows below it.
    const p = pod();
    p.spec!.containers[0].volumeMounts = [];
    const f = sh(world(new Disks(), 'app', p));
    assert.equal(f.run('rm -rf /etc; echo x > /etc; cat /etc/hostname').stderr, "cat: can't open '/etc/hostname': Not a directory\n");
    assert.match(f.run('ls -ld /tmp; echo a > /tmp/a; ls -ld /tmp').stdout, /^drwxrwxrwt .*\ndrwxrwxrwt /, '/tmp keeps its sticky mode');
    assert.deepEqual(f.run('E=; echo x > $E'), { stdout: '', stderr: "sh: can't create : nonexistent directory\n", code: 1 });
    assert.deepEqual(execCommand(f.world, ['sh', '-ec', 'echo one; false; echo two']), { stdout: 'one\n', stderr: '', code: 1 });
    assert.equal(execCommand(f.world, ['sh', '-ec', 'false || echo ok; false && echo no; echo reached']).stdout, 'ok\nreached\n');
    assert.equal(execCommand(f.world, ['sh', '-lc', 'echo hi']).stdout, 'hi\n');
    // busybox has no bash.
    assert.equal(execCommand(f.world, ['bash', '-lc', 'echo hi']).code, 127);
  });

  it('counts bytes of binary input, and rm -r of a folder holding a mount removes all else in it', () => {
    const s = sh(world(new Disks(), 'app'));
    s.fs.write('/tmp/b.bin', new Uint8Array(300).map((_, i) => 128 + (i % 100)));
    assert.equal(s.run('cat /tmp/b.bin | wc -c; wc -c /tmp/b.bin').stdout, '300\n300 /tmp/b.bin\n');
    // /etc/app is a ConfigMap mount (read-only, busy): the rest of /etc goes.
    s.run('echo x > /etc/mine');
    assert.match(s.run('rm -rf /etc').stderr, /Read-only file system|Device or resource busy/);
    assert.equal(s.run('ls /etc').stdout, 'app\n');
    assert.equal(s.run('cat /etc/hostname').code, 1);
  });
});
