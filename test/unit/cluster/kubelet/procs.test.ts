import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState, execCommand } from '../../../../cluster/src/kubelet/exec';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS } from './webfixture';
import { shellPlayground } from './shellharness';

/**
 * busybox `ps` in a pod: each container its own PID namespace (its first process is PID 1), or with
 * shareProcessNamespace the pod's, where the sandbox's /pause is PID 1 (the documentation's "Share Process
 * Namespace between Containers in a Pod").
 */
const SHARED = `apiVersion: v1
kind: Pod
metadata: {name: nginx}
spec:
  shareProcessNamespace: true
  containers:
  - name: nginx
    image: nginx
  - name: shell
    image: busybox:1.28
    command: ["sleep", "3600"]
    securityContext: {capabilities: {add: [SYS_PTRACE]}}
    stdin: true
    tty: true
---
apiVersion: v1
kind: Pod
metadata: {name: box}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {containers: [{name: web, image: "nginx:1.27-alpine"}, {name: side, image: busybox, command: [sh, -c, 'sleep 3600']}]}
`;

describe('ps and the PID namespaces of a pod', () => {
  const h = shellPlayground(SHARED);
  const { pod } = h;

  it('shows the whole pod with shareProcessNamespace: /pause as PID 1, nginx and its workers, the other container, the session', () => {
    const cpus = Number((h.pg.api.get({ group: '', version: 'v1', resource: 'nodes' }, undefined, pod('nginx').spec!.nodeName!) as KObject).status!.capacity.cpu);
    const sh = new ShellState(h.pg.execWorld(pod('nginx'), 'shell'));
    const out = sh.run('ps ax');
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.split('\n').filter(Boolean);
    // busybox's columns: PID right-aligned in 5, USER in 8, TIME in 5 (format_time's " 0:00"), then the command
    // line, as the documentation's page on sharing the process namespace prints them.
    assert.equal(lines[0], 'PID   USER     TIME  COMMAND');
    assert.equal(lines[1], '    1 65535     0:00 /pause', 'the sandbox runs as 65535, which busybox has no name for');
    assert.match(lines[2], /^ +\d+ root      0:00 nginx: master process nginx -g daemon off;$/);
    const workers = lines.filter((l) => / 101 +0:00 nginx: worker process$/.test(l));
    assert.equal(workers.length, cpus, 'worker_processes auto: one per CPU of the node');
    assert.match(lines[lines.length - 3], /^ +\d+ root      0:00 sleep 3600$/);
    assert.match(lines[lines.length - 2], /^ +\d+ root      0:00 sh$/);
    assert.match(lines[lines.length - 1], /^ +\d+ root      0:00 ps ax$/);
    const pids = lines.slice(1).map((l) => Number(l.trim().split(/ +/)[0]));
    // Start order: the sandbox, nginx, its workers (forked after the 27 PIDs the image's entrypoint scripts used
    // up before it exec'd nginx), the other container, the session, ps.
    const master = pids[1];
    assert.deepEqual(pids.slice(2, 2 + cpus), Array.from({ length: cpus }, (_, i) => master + 28 + i));
    assert.ok(pids[pids.length - 3] > pids[1 + cpus] && pids[pids.length - 2] > pids[pids.length - 3]);
    assert.equal(pids[pids.length - 1], pids[pids.length - 2] + 1, 'ps is forked by the session\'s sh');
    // The session keeps its shell's PID; each ps is a new process after the last one.
    const again = sh.run('ps').stdout.split('\n').filter(Boolean);
    assert.equal(again[again.length - 2], lines[lines.length - 2]);
    assert.ok(Number(again[again.length - 1].trim().split(' ')[0]) > pids[pids.length - 1]);
    // -o picks columns: the workers' parent is the master, the session's shell has none in the namespace.
    const cols = sh.run('ps -o pid,ppid,comm').stdout.split('\n').filter(Boolean);
    assert.equal(cols[0], 'PID   PPID  COMMAND');
    assert.ok(cols.filter((l) => new RegExp(`^ +\\d+ +${master} nginx$`).test(l)).length === cpus, cols.join('\n'));
    // ELAPSED is format_time's text, left in its 7-wide column.
    assert.match(sh.run('ps -o etime,pid').stdout.split('\n')[1], /^ {1,2}\d:\d\d {3}    1$/);
  });

  it('shows a container its own processes only without it: its command as PID 1, the exec session, ps', () => {
    const sh = new ShellState(h.pg.execWorld(pod('box'), 'c'));
    const lines = sh.run('ps').stdout.split('\n').filter(Boolean);
    assert.equal(lines[1], '    1 root      0:00 sleep infinity');
    assert.deepEqual(lines.slice(2).map((l) => l.replace(/^ +\d+ /, '')), ['root      0:00 sh', 'root      0:00 ps']);
    // A shell the session starts is a process of its own, whose child ps is; `sh -c` of one command is that
    // command (ash runs it in its own place).
    const nested = sh.run('sh -c "ps -o pid,ppid,args; true"').stdout.split('\n').filter(Boolean);
    const [outer, inner, self] = nested.slice(-3).map((l) => l.trim().split(/ +/));
    assert.equal(self[1], inner[0], 'ps is the child of sh -c');
    assert.equal(inner[1], outer[0], 'which is the child of the session\'s sh');
    assert.equal(nested[nested.length - 2].replace(/^ +\d+ +\d+ /, ''), 'sh -c ps -o pid,ppid,args; true');
    const alone = sh.run('sh -c "ps -o pid,ppid,args"').stdout.split('\n').filter(Boolean);
    assert.match(alone[alone.length - 1], new RegExp(`^ +\\d+ +${outer[0]} ps -o pid,ppid,args$`));
    assert.ok(!alone.some((l) => l.includes('sh -c')));
    // kubectl exec pod -- ps: no shell, the runtime starts ps itself.
    const direct = execCommand(h.pg.execWorld(pod('box'), 'c'), ['ps']).stdout.split('\n').filter(Boolean);
    assert.equal(direct.length, 3);
    assert.match(direct[2], /^ +\d+ root      0:00 ps$/);
    // nginx's own container (the Alpine build: the Debian one has no procps): the master is PID 1; the sidecar's
    // process is not in its namespace.
    const web = new ShellState(h.pg.execWorld(pod('web'), 'web')).run('ps').stdout.split('\n').filter(Boolean);
    assert.equal(web[1], '    1 root      0:00 nginx: master process nginx -g daemon off;');
    assert.ok(web.every((l) => !l.includes('sleep 3600')));
    assert.ok(web.some((l) => / nginx +0:00 nginx: worker process$/.test(l)), 'the nginx image names user 101');
    // The sidecar's `sh -c 'sleep 3600'` is the process `sleep 3600`: ash ran its one command in its place.
    assert.equal(new ShellState(h.pg.execWorld(pod('web'), 'side')).run('ps').stdout.split('\n')[1], '    1 root      0:00 sleep 3600');
  });

  it('kill: nginx starts new workers on HUP; a process the namespace shares ends its container, which restarts', () => {
    const sh = new ShellState(h.pg.execWorld(pod('nginx'), 'shell'));
    const table = () => sh.run('ps -o pid,ppid,args').stdout.split('\n').filter(Boolean).slice(1).map((l) => l.trim().split(/ +/));
    const before = table();
    const master = before.find((r) => r[2] === 'nginx:' && r[3] === 'master')![0];
    const workers = before.filter((r) => r[1] === master).map((r) => r[0]);
    assert.deepEqual(sh.run(`kill -HUP ${master}`), { stdout: '', stderr: '', code: 0 });
    const after = table().filter((r) => r[1] === master).map((r) => r[0]);
    assert.equal(after.length, workers.length);
    assert.ok(after.every((p) => !workers.includes(p) && Number(p) > Number(workers[workers.length - 1])), 'new workers, new PIDs');
    assert.deepEqual(sh.run(`kill ${workers[0]}`), { stdout: '', stderr: `sh: can't kill pid ${workers[0]}: No such process\n`, code: 1 });
    // The pause process is the namespace's init: a HUP is dropped, stopping the sandbox is not simulated.
    assert.equal(sh.run('kill -HUP 1').code, 0);
    assert.match(sh.run('kill 1').stderr, /^kubeplay: stopping the pod sandbox \(\/pause\) is not simulated\n$/);
    // The other container's sleep is not PID 1 here: TERM ends it, exit code 143, and restartPolicy Always restarts it.
    const sleep = table().find((r) => r[2] === 'sleep')![0];
    assert.equal(sh.run(`kill ${sleep}`).code, 0);
    h.pg.advance(5_000);
    const status = pod('nginx').status!.containerStatuses.find((c: any) => c.name === 'shell');
    assert.deepEqual([status.restartCount, status.lastState.terminated.exitCode, status.lastState.terminated.reason], [1, 143, 'Error']);
    const again = new ShellState(h.pg.execWorld(pod('nginx'), 'shell')).run('ps -o pid,args').stdout;
    assert.match(again, new RegExp(`\\n +(\\d+) sleep 3600\\n`));
    assert.ok(Number(/\n +(\d+) sleep 3600\n/.exec(again)![1]) > Number(sleep), 'the new instance has a new PID');
  });

  it('kill: a container\'s PID 1 gets only the signals its program handles (sleep none, nginx TERM)', () => {
    const box = new ShellState(h.pg.execWorld(pod('box'), 'c'));
    assert.equal(box.run('kill 1').code, 0);
    assert.equal(box.run('kill -9 1').code, 0);
    h.pg.advance(5_000);
    assert.equal(pod('box').status!.containerStatuses[0].restartCount, 0, 'sleep as PID 1 ignores TERM, and KILL from inside');
    // nginx handles TERM: a fast shutdown, exit code 0, and the kubelet restarts the container.
    assert.equal(new ShellState(h.pg.execWorld(pod('web'), 'web')).run('kill 1').code, 0);
    h.pg.advance(5_000);
    const web = pod('web').status!.containerStatuses.find((c: any) => c.name === 'web');
    assert.deepEqual([web.restartCount, web.lastState.terminated.exitCode, web.lastState.terminated.reason], [1, 0, 'Completed']);
    // The session's own shell: an interactive ash ignores TERM; KILL ends it.
    const sh = new ShellState(h.pg.execWorld(pod('box'), 'c'));
    const me = sh.run('ps -o pid,args').stdout.split('\n').find((l) => / sh$/.test(l))!.trim().split(' ')[0];
    assert.equal(sh.run(`kill ${me}`).code, 0);
    assert.equal(sh.exited, undefined);
    // $$ is the shell's PID (a subshell's is its parent's); `sh -c '...'` has its own.
    assert.equal(sh.run('echo $$ ${$} $(echo $$)').stdout, `${me} ${me} ${me}\n`);
    assert.notEqual(sh.run("sh -c 'echo $$; true'").stdout, `${me}\n`);
    // $PPID: 0 for the session's shell (its parent is outside the namespace), the session's shell for a `sh -c` one.
    assert.equal(sh.run('echo $PPID').stdout, '0\n');
    assert.equal(sh.run("sh -c 'echo $PPID; true'").stdout, `${me}\n`);
    sh.run('kill -9 $$');
    assert.equal(sh.exited, 137);
  });

  it('kill -l names the signals, and bad arguments get busybox\'s words', () => {
    const sh = new ShellState(h.pg.execWorld(pod('box'), 'c'));
    const list = sh.run('kill -l').stdout.split('\n');
    assert.deepEqual([list[0], list[8], list[14]], [' 1) HUP', ' 9) KILL', '15) TERM']);
    assert.equal(sh.run('kill -l 9 TERM').stdout, 'KILL\n15\n');
    assert.deepEqual(sh.run('kill -s NOPE 1'), { stdout: '', stderr: "sh: bad signal name 'NOPE'\n", code: 1 });
    assert.equal(sh.run('kill abc').stderr, "sh: invalid number 'abc'\n");
    assert.equal(sh.run('kill 4242').stderr, "sh: can't kill pid 4242: No such process\n");
  });

  it('puts a debug container with a target in the target\'s namespace, seen from both sides', () => {
    h.pg.api.patch(PODS, 'default', 'box', 'strategic', { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', command: ['sleep', '1000'], targetContainerName: 'c' }] } }, {}, 'ephemeralcontainers');
    h.pg.advance(10_000);
    const fromDebug = new ShellState(h.pg.execWorld(pod('box'), 'dbg')).run('ps -o pid,args').stdout.split('\n').filter(Boolean);
    const fromTarget = new ShellState(h.pg.execWorld(pod('box'), 'c')).run('ps -o pid,args').stdout.split('\n').filter(Boolean);
    assert.equal(fromDebug[1], '    1 sleep infinity');
    const debugLine = fromDebug.find((l) => l.endsWith(' sleep 1000'));
    assert.ok(debugLine, fromDebug.join('\n'));
    assert.ok(fromTarget.includes(debugLine!), `the target sees the debug container's process: ${fromTarget.join('\n')}`);
  });

  it('keeps PIDs with the playground: a second one with the same seed starts from the same numbers', () => {
    const run = () => {
      const other = new KubePlayground({ seed: 3 });
      try {
        other.apply(SHARED);
        other.runUntil(() => false, 20_000);
        return new ShellState(other.execWorld(other.api.get(PODS, 'default', 'box') as KObject, 'c')).run('ps').stdout;
      } finally {
        other.close();
      }
    };
    const first = run();
    assert.equal(run(), first);
    assert.match(first, /\n    7 root      0:00 sh\n    8 root      0:00 ps\n$/);
  });

  it('plays the security-context task: ps, id and whoami as user 1000 in group 3000, with fsGroup and supplementalGroups', () => {
    const other = new KubePlayground({ seed: 4 });
    try {
      other.apply(`apiVersion: v1
kind: Pod
metadata: {name: security-context-demo}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}
  volumes: [{name: sec-ctx-vol, emptyDir: {}}]
  containers:
  - name: sec-ctx-demo
    image: busybox:1.28
    command: ["sh", "-c", "sleep 1h"]
    volumeMounts: [{name: sec-ctx-vol, mountPath: /data/demo}]
    securityContext: {allowPrivilegeEscalation: false}
`);
      other.runUntil(() => false, 20_000);
      const sh = new ShellState(other.execWorld(other.api.get(PODS, 'default', 'security-context-demo') as KObject, 'sec-ctx-demo'));
      const ps = sh.run('ps').stdout.split('\n');
      assert.deepEqual(ps.slice(0, 2), ['PID   USER     TIME  COMMAND', '    1 1000      0:00 sleep 1h']);
      assert.match(ps[2], /^ +\d+ 1000      0:00 sh$/);
      assert.equal(sh.run('id').stdout, 'uid=1000 gid=3000 groups=2000,3000,4000\n');
      // -G: the primary group first; -n of an id the image has no name for prints the number and fails.
      assert.deepEqual(sh.run('id -gn'), { stdout: '3000\n', stderr: 'id: unknown ID 3000\n', code: 1 });
      assert.deepEqual([sh.run('id -u').stdout, sh.run('id -g').stdout, sh.run('id -G').stdout], ['1000\n', '3000\n', '3000 2000 4000\n']);
      assert.deepEqual(sh.run('whoami'), { stdout: '', stderr: 'whoami: unknown uid 1000\n', code: 1 });
      // The volume belongs to the fsGroup, setgid: what user 1000 makes there is group 2000's, elsewhere its own group's.
      assert.match(sh.run('ls -l /data').stdout, /^total \d+\ndrwxrwsrwx +2 root +2000 +4096 .+ demo\n$/);
      assert.match(sh.run('cd /data/demo; echo hello > testfile; ls -l').stdout, /^total \d+\n-rw-r--r-- +1 1000 +2000 +6 .+ testfile\n$/);
      assert.match(sh.run('mkdir /data/demo/sub; ls -ld /data/demo/sub').stdout, /^drwxr-sr-x +2 1000 +2000 /);
      assert.match(sh.run('echo x > /tmp/f; ls -l /tmp/f').stdout, /^-rw-r--r-- +1 1000 +3000 /);
      // The owner outlives a restart of the playground's disks.
      const saved = JSON.parse(JSON.stringify(other.disks.save()));
      other.disks.load(saved);
      const again = new ShellState(other.execWorld(other.api.get(PODS, 'default', 'security-context-demo') as KObject, 'sec-ctx-demo'));
      assert.match(again.run('ls -l /data/demo/testfile').stdout, /^-rw-r--r-- +1 1000 +2000 /);
      // Without a securityContext, busybox's root: in wheel too, as its /etc/group says.
      assert.equal(new ShellState(h.pg.execWorld(pod('box'), 'c')).run('id').stdout, 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
    } finally {
      other.close();
    }
  });

  it('kill (second review): a live view after restarts, the images that handle signals, busybox\'s list and words', () => {
    const other = new KubePlayground({ seed: 5 });
    try {
      other.apply(`${SHARED}---
apiVersion: v1
kind: Pod
metadata: {name: cache}
spec: {containers: [{name: redis, image: redis}, {name: who, image: traefik/whoami}, {name: list, image: busybox, command: [sh, -c, 'echo start; exec sleep 3600']}]}
`);
      other.runUntil(() => false, 20_000);
      const P = (n: string) => other.api.get(PODS, 'default', n) as KObject;
      // One session in the shared pod: after its kill restarts the other container, it sees the new instance.
      const sh = new ShellState(other.execWorld(P('nginx'), 'shell'));
      const sleep = () => /\n +(\d+) sleep 3600\n/.exec(sh.run('ps -o pid,args').stdout)?.[1];
      const first = sleep()!;
      assert.equal(sh.run(`kill ${first}`).code, 0);
      other.advance(5_000);
      const second = sleep();
      assert.ok(second && Number(second) > Number(first), `a new PID: ${second}`);
      assert.deepEqual(sh.run(`kill ${first}`), { stdout: '', stderr: `sh: can't kill pid ${first}: No such process\n`, code: 1 });
      // nginx's master ignores PIPE and takes WINCH without effect (daemon off); a worker ignores USR2.
      const master = /\n +(\d+) nginx: master/.exec(sh.run('ps -o pid,args').stdout)![1];
      const worker = /\n +(\d+) nginx: worker/.exec(sh.run('ps -o pid,args').stdout)![1];
      assert.equal(sh.run(`kill -PIPE ${master}; kill -WINCH ${master}; kill -USR2 ${worker}`).code, 0);
      assert.ok(sh.run('ps -o pid,args').stdout.includes(` ${worker} nginx: worker process`));
      other.advance(5_000);
      assert.equal(P('nginx').status!.containerStatuses.find((c: any) => c.name === 'nginx').restartCount, 0);
      // redis-server stops on TERM (exit 0); a Go program as PID 1 dies with status 2; ash runs a list's last command in
      // its own place, so `echo start; exec sleep 3600` is `sleep 3600`.
      assert.equal(new ShellState(other.execWorld(P('cache'), 'redis')).run('kill 1').code, 0);
      assert.equal(new ShellState(other.execWorld(P('cache'), 'who')).run('kill 1').code, 0);
      assert.equal(new ShellState(other.execWorld(P('cache'), 'list')).run('ps').stdout.split('\n')[1], '    1 root      0:00 sleep 3600');
      other.advance(5_000);
      const last = (c: string) => { const st = P('cache').status!.containerStatuses.find((x: any) => x.name === c); return [st.restartCount, st.lastState?.terminated?.exitCode]; };
      assert.deepEqual([last('redis'), last('who')], [[1, 0], [1, 2]]);
      // busybox's list (29 is POLL; RTMIN and RTMAX), any number below 65, its words, and the failures as the status.
      const list = sh.run('kill -l').stdout.split('\n').filter(Boolean);
      assert.deepEqual([list.length, list[28], list[31], list[32]], [33, '29) POLL', '32) RTMIN', '64) RTMAX']);
      assert.equal(sh.run('kill -l 34 IO').stdout, 'RTMIN+2\n29\n');
      assert.deepEqual(sh.run('kill -9'), { stdout: '', stderr: 'sh: you need to specify whom to kill\n', code: 1 });
      assert.equal(sh.run('kill 4242 4343').code, 2);
      assert.equal(execCommand(other.execWorld(P('nginx'), 'shell'), ['kill', '4242']).stderr, "kill: can't kill pid 4242: No such process\n");
    } finally {
      other.close();
    }
  });

  it('mv keeps a file\'s owner; cp makes the copy the copier\'s', () => {
    const other = new KubePlayground({ seed: 6 });
    try {
      other.apply(`apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  volumes: [{name: shared, emptyDir: {}}]
  containers:
  - {name: a, image: busybox, command: [sleep, infinity], securityContext: {runAsUser: 1000}, volumeMounts: [{name: shared, mountPath: /s}]}
  - {name: b, image: busybox, command: [sleep, infinity], securityContext: {runAsUser: 1001}, volumeMounts: [{name: shared, mountPath: /s}]}
`);
      other.runUntil(() => false, 20_000);
      const P = other.api.get(PODS, 'default', 'two') as KObject;
      new ShellState(other.execWorld(P, 'a')).run('echo x > /s/f');
      const b = new ShellState(other.execWorld(P, 'b'));
      assert.match(b.run('cp /s/f /s/copy; mv /s/f /s/moved; ls -l /s').stdout, /^total \d+\n-rw-r--r-- +1 1001 +root .+ copy\n-rw-r--r-- +1 1000 +root .+ moved\n$/);
    } finally {
      other.close();
    }
  });

  it('answers bad options as busybox does', () => {
    const sh = new ShellState(h.pg.execWorld(pod('box'), 'c'));
    const bad = sh.run('ps -x');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^ps: invalid option -- 'x'\nBusyBox v1\.36\.1 multi-call binary\.\n\nUsage: ps \[-o COL1,COL2=HEADER\] \[-T\]\n/);
    assert.equal(sh.run('ps -o nope').stderr, "ps: bad -o argument 'nope', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss\n");
    // Only the last item names a header, which takes the rest (commas too) and sets the column's width.
    assert.match(sh.run('ps -o args,pid=PROCESS').stdout, /^COMMAND\nsleep infinity\n/, 'nothing fits after args');
    assert.match(sh.run('ps -o pid=PROCESS,args=CMD').stdout, /^PROCESS,args=CMD\n               1\n/);
    // The header's width holds for args too: the command line is cut to it, as busybox's read_cmdline does.
    assert.match(sh.run('ps -o pid,args=CMD').stdout, /^PID   CMD\n    1 sle\n/);
    assert.match(sh.run('ps -o args=CMD,pid').stdout, /^CMD,pid\nsleep i\n/);
    assert.match(sh.run('ps -o pid= -o user=').stdout, /^    1 root\n/, 'empty headers: no header line');
    assert.match(sh.run('ps -o comm,args=COMMAND_LINE').stdout, /^COMMAND          COMMAND_LINE\nsleep            sleep infini\n/);
    assert.equal(sh.run('ps -- -x').code, 0);
  });
});
