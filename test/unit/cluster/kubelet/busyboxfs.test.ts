/**
 * The busybox image's own files (kubelet/imageroot.ts) and the applets that walk them (kubelet/fsutils.ts):
 * /bin with every applet a hard link to busybox, buildroot's /etc/passwd and /etc/group, `id` and `whoami`
 * reading them, and `find`, `du`, `stat`, `readlink` and `ln` with busybox 1.37's words and formats.
 */
import * as assert from 'node:assert/strict';
import type { KObject } from '../../../../cluster/src/contract';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { Disks } from '../../../../cluster/src/kubelet/disk';
import type { ExecWorld } from '../../../../cluster/src/kubelet/execenv';

const NOW = Date.UTC(2026, 10, 28, 7, 8, 30);

function pod(image = 'busybox:1.36', securityContext: any = undefined): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'bb', namespace: 'default', uid: 'pod-uid-bb' },
    spec: { nodeName: 'node-1', ...(securityContext ? { securityContext } : {}), containers: [{ name: 'c', image, command: ['sleep', '3600'] }] },
    status: { phase: 'Running', podIP: '10.244.1.9', containerStatuses: [{ name: 'c', containerID: 'containerd://c1', state: { running: { startedAt: '2026-11-28T07:00:00Z' } } }] },
  };
}

function shell(p: KObject = pod()): ShellState {
  const w: ExecWorld = {
    pod: p, container: 'c', now: () => NOW, lookup: () => [], route: () => undefined, podByIP: () => undefined, services: () => [],
    configMap: () => undefined, secret: () => undefined, disks: new Disks(), persistentVolume: () => undefined,
  };
  return new ShellState(w);
}

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;

describe('the busybox image\'s files', () => {
  it('has /bin with busybox, getconf and every applet as a hard link, and buildroot\'s /etc/passwd and /etc/group', () => {
    const sh = shell();
    const bin = sh.run('ls /bin').stdout.split('\n').filter(Boolean);
    assert.equal(bin.length, 407);
    for (const a of ['[', '[[', 'sh', 'ls', 'find', 'du', 'stat', 'readlink', 'ln', 'wget', 'nslookup', 'busybox', 'getconf', 'top', 'free', 'df']) assert.ok(bin.includes(a), a);
    assert.ok(!bin.includes('curl') && !bin.includes('bash'));
    assert.match(sh.run('ls -l /bin/sh').stdout, /^-rwxr-xr-x +406 root +root +1029704 Nov 28 07:00 \/bin\/sh\n$/);
    assert.equal(sh.run('cat /etc/passwd').stdout, PASSWD);
    assert.match(sh.run('cat /etc/group').stdout, /^root:x:0:\ndaemon:x:1:\n[\s\S]*\nwheel:x:10:root\n[\s\S]*\nusers:x:100:\nnobody:x:65534:\n$/);
    assert.match(sh.run('ls -l /etc/shadow').stdout, /^-rw------- /);
    // /lib64 is a link to lib; the home folders the build made belong to their users.
    assert.match(sh.run('ls -l /lib64').stdout, /^lrwxrwxrwx +1 root +root +3 .+ \/lib64 -> lib\n$/);
    assert.match(sh.run('ls -ld /home /root /usr/sbin').stdout, /^drwxr-xr-x +2 nobody +nobody .+ \/home\ndrwx------ +2 root +root .+ \/root\ndrwxr-xr-x +2 daemon +daemon .+ \/usr\/sbin\n$/);
    // Other images keep their own files: nginx's Debian /bin is a link into /usr (debianroot.ts), without busybox.
    assert.equal(shell(pod('nginx')).run('readlink /bin').stdout, 'usr/bin\n');
    assert.ok(!shell(pod('nginx')).run('ls /bin').stdout.split('\n').includes('busybox'));
  });

  it('id and whoami read /etc/passwd and /etc/group for the runAsUser the pod gives', () => {
    assert.deepEqual(shell(pod('busybox', { runAsUser: 65534 })).run('id; whoami').stdout, 'uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\nnobody\n');
    // sync's group in /etc/passwd is users (100).
    assert.equal(shell(pod('busybox', { runAsUser: 4 })).run('id').stdout, 'uid=4(sync) gid=100(users) groups=100(users)\n');
    const sh = shell(pod('busybox', { runAsUser: 1000 }));
    assert.deepEqual(sh.run('whoami'), { stdout: '', stderr: 'whoami: unknown uid 1000\n', code: 1 });
    // A user added to the file is named from then on (the primary group stays the one the runtime set).
    sh.run('echo app:x:1000:1000::/home/app:/bin/sh >> /etc/passwd');
    assert.deepEqual(sh.run('whoami; id'), { stdout: 'app\nuid=1000(app) gid=0(root) groups=0(root)\n', stderr: '', code: 0 });
    assert.match(sh.run('touch /tmp/f; ls -l /tmp/f').stdout, /^-rw-r--r-- +1 app +root /);
  });

  it('find walks the filesystem with -name, -type, -maxdepth and -print, without following links', () => {
    const sh = shell();
    assert.equal(sh.run('find /etc -name "*wd"').stdout, '/etc/passwd\n');
    assert.equal(sh.run('find / -maxdepth 1 -type l').stdout, '/lib64\n');
    assert.equal(sh.run('mkdir -p /tmp/d/e; touch /tmp/d/f /tmp/d/e/.g; ln -s f /tmp/d/l; cd /tmp; find d').stdout, 'd\nd/e\nd/e/.g\nd/f\nd/l\n');
    assert.equal(sh.run('find d -type f -print').stdout, 'd/e/.g\nd/f\n');
    assert.equal(sh.run('find d -maxdepth 1 ! -type d').stdout, 'd/f\nd/l\n');
    assert.deepEqual(sh.run('find nope d/f'), { stdout: 'd/f\n', stderr: 'find: nope: No such file or directory\n', code: 1 });
    assert.deepEqual(sh.run('find d -type x'), { stdout: '', stderr: "find: invalid argument 'x' to '-type'\n", code: 1 });
    assert.deepEqual(sh.run('find d -maxdepth'), { stdout: '', stderr: 'find: -maxdepth requires an argument\n', code: 1 });
    assert.match(sh.run('find d -foo').stderr, /^find: unrecognized: -foo\nBusyBox v1\.36\.1 multi-call binary\.\n/);
  });

  it('du counts 512-byte blocks once per inode, in KiB, -s, -h, -a and -c as busybox prints them', () => {
    const sh = shell();
    sh.run('mkdir -p /tmp/d/e; echo hello > /tmp/d/f; ln -s f /tmp/d/l; touch /tmp/d/e/g; cd /tmp');
    assert.equal(sh.run('du d').stdout, '4\td/e\n12\td\n');
    assert.equal(sh.run('du -s d; du -sh d; du -sk d').stdout, '12\td\n12.0K\td\n12\td\n');
    assert.equal(sh.run('du -a d').stdout, '0\td/e/g\n4\td/e\n4\td/f\n0\td/l\n12\td\n');
    assert.equal(sh.run('du -c d d/f').stdout, '4\td/e\n12\td\n4\td/f\n16\ttotal\n');
    assert.deepEqual(sh.run('du nope'), { stdout: '', stderr: 'du: nope: No such file or directory\n', code: 1 });
    // 406 names of one busybox count once.
    assert.equal(sh.run('du -sh /bin').stdout, '1.0M\t/bin\n');
  });

  it('stat prints busybox\'s default format, readlink reads links and ln makes them', () => {
    const sh = shell();
    const st = sh.run('stat /etc/passwd').stdout.split('\n');
    assert.equal(st[0], '  File: /etc/passwd');
    assert.equal(st[1], '  Size: 340       \tBlocks: 8          IO Block: 4096   regular file');
    assert.match(st[2], /^Device: \w+h\/\d+d\tInode: \d+ +Links: 1$/);
    assert.deepEqual(st.slice(3), ['Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)', 'Access: 2026-11-28 07:00:00.000000000 +0000', 'Modify: 2026-11-28 07:00:00.000000000 +0000', 'Change: 2026-11-28 07:00:00.000000000 +0000', '']);
    assert.match(sh.run('stat /bin/sh').stdout, /Links: 406\n/);
    assert.match(sh.run('stat /lib64').stdout, /^  File: '\/lib64' -> 'lib'\n  Size: 3 +\tBlocks: 0 +IO Block: 4096 +symbolic link\n/);
    assert.deepEqual(sh.run('stat nope'), { stdout: '', stderr: "stat: can't stat 'nope': No such file or directory\n", code: 1 });
    assert.equal(sh.run('readlink /lib64; readlink -f /usr/bin/env; readlink -f /tmp/new').stdout, 'lib\n/bin/env\n/tmp/new\n');
    assert.deepEqual(sh.run('readlink /etc/passwd'), { stdout: '', stderr: '', code: 1 });
    assert.deepEqual(sh.run('readlink -v /etc/passwd'), { stdout: '', stderr: 'readlink: /etc/passwd: cannot read link: not a symlink\n', code: 1 });
    // ln -s keeps the target as written; the link reads through, rm removes the link alone.
    assert.deepEqual(sh.run('ln -s /etc/passwd /tmp/pw; head -1 /tmp/pw; ls -l /tmp/pw'), { stdout: 'root:x:0:0:root:/root:/bin/sh\nlrwxrwxrwx    1 root     root            11 Nov 28 07:08 /tmp/pw -> /etc/passwd\n', stderr: '', code: 0 });
    assert.deepEqual(sh.run('ln -s /etc/group /tmp/pw'), { stdout: '', stderr: 'ln: /tmp/pw: File exists\n', code: 1 });
    assert.equal(sh.run('ln -sf /etc/group /tmp/pw; readlink /tmp/pw; rm /tmp/pw; ls /tmp; cat /etc/group | wc -l').stdout, '/etc/group\n26\n');
    assert.equal(sh.run('mkdir /tmp/a; ln -s /tmp/a /tmp/b; touch /tmp/b/x; ls /tmp/a; cd /tmp; ln -sv a c').stdout, "x\n'c' -> 'a'\n");
    assert.deepEqual(sh.run('ln nope x'), { stdout: '', stderr: 'ln: nope: No such file or directory\n', code: 1 });
    assert.deepEqual(sh.run('ln /tmp/a d'), { stdout: '', stderr: 'ln: d: Operation not permitted\n', code: 1 });
  });

  it('stat takes getopt32\'s "tLfc:": -f the filesystem\'s status, -t the terse line, any other letter refused with the usage', () => {
    const sh = shell();
    // do_statfs's default format; an overlay's magic is not in human_fstype's list.
    assert.deepEqual(sh.run('stat -f /'), { stdout: '  File: "/"\n    ID: 9e3779b97f4a7c15 Namelen: 255     Type: UNKNOWN\nBlock size: 4096      \n'
      + 'Blocks: Total: 26214400   Free: 23068672   Available: 21757952\nInodes: Total: 6553600    Free: 6291456\n', stderr: '', code: 0 });
    assert.equal(sh.run('stat -ft /etc').stdout, '/etc 9e3779b97f4a7c15 255 794c7630 4096 26214400 23068672 21757952 6553600 6291456\n');
    assert.deepEqual(sh.run('stat -f nope'), { stdout: '', stderr: "stat: can't read file system information for 'nope': No such file or directory\n", code: 1 });
    assert.equal(sh.run("stat -f -c '%T %s' /").stdout, 'UNKNOWN 4096\n');
    // "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o", the mode in hex with its type bits; options may follow a file.
    assert.match(sh.run('stat /etc/passwd -t').stdout, /^\/etc\/passwd 340 8 81a4 0 0 2f \d+ 1 0 0 1795849200 1795849200 1795849200 4096\n$/);
    assert.match(sh.run('stat -Lt /lib64').stdout, /^\/lib64 \d+ 8 41ed 0 0 2f /);
    assert.equal(sh.run("stat -c '[%-6s|%5h|%y|%q]' /etc/passwd").stdout, '[340   |    1|2026-11-28 07:00:00.000000000 +0000|q]\n');
    const usage = 'BusyBox v1.36.1 multi-call binary.\n\nUsage: stat [-ltf] [-c FMT] FILE...\n';
    assert.deepEqual(sh.run('stat -x /'), { stdout: '', stderr: `stat: invalid option -- 'x'\n${usage}`, code: 1 });
    assert.deepEqual(sh.run('stat -l /'), { stdout: '', stderr: `stat: invalid option -- 'l'\n${usage}`, code: 1 });
    assert.deepEqual(sh.run('stat / -c'), { stdout: '', stderr: `stat: option requires an argument -- 'c'\n${usage}`, code: 1 });
    assert.equal(sh.run('stat -c %n -- -f').stderr, "stat: can't stat '-f': No such file or directory\n");
    // A width past C's int: glibc's printf refuses it and prints nothing; the shell goes on.
    assert.deepEqual(sh.run("stat -c '[%999999999999s]' /etc/passwd; echo after"), { stdout: '[]\nafter\n', stderr: '', code: 0 });
  });
});
