import * as assert from 'node:assert/strict';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { ls } from '../../../../cluster/src/kubelet/filecmds';
import { shellPlayground, manifests, podYaml, SHELL_PODS } from './shellharness';

/**
 * What `kubectl exec -it POD -- sh` shows of the shell's variables and of `exec`, as dash, bash and busybox ash do,
 * and the GNU coreutils formats of the Debian-based images beside busybox's.
 */
const PODS_YAML = manifests(
  podYaml('web', '{name: web, image: nginx, env: [{name: MODE, value: fast}]}'),
  SHELL_PODS.box,
  `apiVersion: v1
kind: Pod
metadata: {name: deb}
spec:
  securityContext: {runAsUser: 1000}
  containers: [{name: deb, image: 'debian:bookworm', command: [sleep, infinity]}]
`,
  `apiVersion: v1
kind: Pod
metadata: {name: box1000}
spec:
  securityContext: {runAsUser: 1000}
  containers: [{name: box, image: busybox, command: [sleep, infinity]}]
`,
);

describe('shell variables, exec and the coreutils of each image', () => {
  const h = shellPlayground(PODS_YAML);
  const { world } = h;
  /** A terminal session: each line's output (the echo of the line and the next prompt left out), and that prompt. */
  const terminal = (name: string) => {
    const t = h.terminal(name);
    return {
      type: (line: string) => {
        const lines = t.type(line).split('\n');
        return { out: lines.slice(0, -1).map((l) => l + '\n').join(''), prompt: lines[lines.length - 1] };
      },
      get exit() { return t.exit; },
    };
  };

  describe('variables', () => {
    it('env and printenv show the environment alone; set shows the shell\'s own variables too', () => {
      for (const pod of ['web', 'box']) {
        const t = terminal(pod);
        t.type('PLAIN=1');
        assert.equal(t.type('env | grep -c PLAIN').out, '0\n', pod);
        assert.equal(t.type('printenv PLAIN; echo $?').out, '1\n', pod);
        assert.equal(t.type('env | grep ^MODE=').out, pod === 'web' ? 'MODE=fast\n' : '', pod);
        // dash's and ash's showvars: NAME='value', sorted.
        assert.equal(t.type('set | grep -E "^(PLAIN|PS2)="').out, "PLAIN='1'\nPS2='> '\n", pod);
        t.type('export PLAIN');
        assert.equal(t.type('env | grep PLAIN').out, 'PLAIN=1\n', pod);
        assert.equal(t.type('printenv PLAIN').out, '1\n', pod);
      }
    });

    it('export -p: dash\'s `export X=\'1\'`, bash\'s `declare -x X="1"`', () => {
      const t = terminal('web');
      t.type("export X=1 Q=\"it's\"; export BARE; Y=2");
      assert.equal(t.type('export -p | grep -E " (X|Q|Y|BARE|MODE)"').out, "export BARE\nexport MODE='fast'\nexport Q='it'\"'\"'s'\nexport X='1'\n");
      t.type('bash');
      assert.equal(t.type('export -p | grep -E " (X|Q|Y|MODE)"').out, 'declare -x MODE="fast"\ndeclare -x Q="it\'s"\ndeclare -x X="1"\n');
      assert.equal(t.type('Z="a b"; set | grep -E "^(Z|X)="').out, "X=1\nZ='a b'\n");
    });
  });

  describe('assignments before a command', () => {
    it('go into that command\'s environment alone', () => {
      const t = terminal('web');
      assert.equal(t.type('X=1 sh -c \'echo $X\'').out, '1\n');
      assert.equal(t.type('X=1 env | grep ^X=').out, 'X=1\n');
      assert.equal(t.type('echo "[$X]"; env | grep -c ^X=').out, '[]\n0\n');
    });

    it('before a special builtin dash keeps them in the shell, unexported; bash puts them back', () => {
      const t = terminal('web');
      assert.equal(t.type('K=1 :; echo "[$K]"; env | grep -c ^K=').out, '[1]\n0\n');
      t.type('bash');
      assert.equal(t.type('B=1 :; echo "[$B]"').out, '[]\n');
    });

    it('`X=1 bash` at the prompt starts a bash that has X in its environment, and the parent has not', () => {
      const t = terminal('web');
      assert.equal(t.type('X=1 bash').prompt, 'root@web:/# ');
      assert.equal(t.type('echo $X; printenv X').out, '1\n1\n');
      assert.equal(t.type('exit').prompt, '# ');
      assert.equal(t.type('echo "[$X]"').out, '[]\n');
    });
  });

  describe('exec', () => {
    it('runs the command in the shell\'s place: the session ends with its status', () => {
      const t = terminal('web');
      assert.equal(t.type('exec ls /etc/hosts').out, '/etc/hosts\n');
      assert.equal(t.exit, 0);
      const u = terminal('box');
      u.type('exec ls /nope');
      assert.equal(u.exit, 1);
    });

    it('in a shell started at the prompt, gives the terminal back to its parent', () => {
      const t = terminal('web');
      t.type('bash');
      const r = t.type('exec sh -c "exit 3"');
      assert.equal(r.prompt, '# ');
      assert.equal(t.exit, undefined);
      assert.equal(t.type('echo $?').out, '3\n');
      assert.equal(t.type('sh -c \'exec echo one; echo two\'').out, 'one\n');
    });

    it('a command not found: dash and ash end with 127, an interactive bash goes on', () => {
      const t = terminal('web');
      t.type('bash');
      assert.equal(t.type('exec nope').out, 'bash: exec: nope: not found\n');
      assert.equal(t.type('echo $?').out, '127\n');
      t.type('exit');
      assert.equal(t.type('exec nope').out, 'sh: 2: exec: nope: not found\n');
      assert.equal(t.exit, 127);
      const u = terminal('box');
      assert.equal(u.type('exec nope').out, 'sh: exec: nope: not found\n');
      assert.equal(u.exit, 127);
    });

    it('with redirections alone, moves the shell\'s own output', () => {
      const t = terminal('web');
      t.type('exec >/tmp/log 2>&1');
      assert.equal(t.type('echo hi; ls /nope').out, '');
      t.type('exec >/dev/tty 2>/dev/tty');
      assert.equal(t.type('cat /tmp/log').out, "hi\nls: cannot access '/nope': No such file or directory\n");
      assert.equal(t.exit, undefined);
    });
  });

  describe('GNU coreutils in the Debian-based images, busybox elsewhere', () => {
    it('ls -l: GNU sizes its columns to the listing; busybox pads to fixed widths', () => {
      const web = terminal('web').type('ls -l /etc').out.split('\n');
      assert.equal(web[0], 'total 28');
      assert.equal(web[3], '-rw-r--r-- 1 root root    4 Jan  1 00:00 hostname');
      assert.equal(web[5], 'drwxr-xr-x 3 root root 4096 Jan  1 00:00 nginx');
      assert.equal(web[6], 'lrwxrwxrwx 1 root root   21 Jan  1 00:00 os-release -> ../usr/lib/os-release');
      const box = terminal('box').type('ls -l /etc/hostname').out;
      assert.equal(box, '-rw-r--r--    1 root     root             4 Jan  1 00:00 /etc/hostname\n');
    });

    it('ls on a terminal: GNU\'s columns as wide as their names plus two, with tabs at tab stops; busybox\'s all alike', () => {
      // debian_version(14+2) ends at the tab stop at 16, so a tab; group(5+2) and hostname(8+2) stay short of the
      // next stops (24, 32), so spaces; hosts(5+2), from column 38 to 40, crosses the stop at 40: a tab.
      assert.equal(terminal('web').type('ls /etc').out, 'debian_version\tgroup  hostname  hosts\tnginx  os-release  passwd  resolv.conf\n');
      assert.equal(terminal('web').type('ls /etc | cat').out, 'debian_version\ngroup\nhostname\nhosts\nnginx\nos-release\npasswd\nresolv.conf\n');
      assert.equal(terminal('box').type('ls /etc').out, 'group         hosts         passwd        shadow\nhostname      nsswitch.conf resolv.conf\n');
    });

    it('ls -l shows the year for a file more than six months old (GNU: half a Gregorian year; busybox: 182.5 days)', () => {
      const fs = new ShellState(world('web')).fs;
      const start = fs.stat('/etc/hostname')!.mtime;
      const at = (days: number, gnu: boolean) => ls({ fs, cwd: '/', now: () => start + days * 86_400_000, stdin: '', gnu }, ['-l', '/etc/hostname']).stdout;
      // 182.55 days: inside GNU's half Gregorian year (182.62 days), past busybox's 182.5.
      assert.match(at(182.55, true), / Jan {2}1 00:00 /);
      assert.match(at(182.55, false), / Jan {2}1 {2}2026 /);
      assert.match(at(183, true), / Jan {2}1 {2}2026 /);
      assert.match(at(0, true), / Jan {2}1 00:00 /, 'written this instant: recent');
      // Ten minutes in the future: GNU shows the year, busybox allows up to 15 minutes ahead.
      assert.match(at(-10 / 1440, true), / Jan {2}1 {2}2026 /);
      assert.match(at(-10 / 1440, false), / Jan {2}1 00:00 /);
    });

    it('error messages: GNU\'s `cannot access \'x\'` and `cat: x:`, busybox\'s own', () => {
      const web = terminal('web');
      assert.equal(web.type('ls nope; echo $?').out, "ls: cannot access 'nope': No such file or directory\n2\n");
      assert.equal(web.type('cat nope /etc').out, 'cat: nope: No such file or directory\ncat: /etc: Is a directory\n');
      assert.equal(web.type('head nope').out, "head: cannot open 'nope' for reading: No such file or directory\n");
      assert.equal(web.type('tail -n 1 nope').out, "tail: cannot open 'nope' for reading: No such file or directory\n");
      assert.equal(web.type('wc nope').out, 'wc: nope: No such file or directory\n');
      assert.equal(web.type('wc -q; echo $?').out, "wc: invalid option -- 'q'\nTry 'wc --help' for more information.\n1\n");
      const box = terminal('box');
      assert.equal(box.type('ls nope').out, 'ls: nope: No such file or directory\n');
      assert.equal(box.type('cat nope').out, "cat: can't open 'nope': No such file or directory\n");
      assert.equal(box.type('head nope').out, "head: can't open 'nope': No such file or directory\n");
    });

    it('options a GNU program does not know: getopt\'s words and the --help hint (ls fails with 2)', () => {
      const web = terminal('web');
      assert.equal(web.type('ls -y; echo $?').out, "ls: invalid option -- 'y'\nTry 'ls --help' for more information.\n2\n");
      assert.equal(web.type('date -x; echo $?').out, "date: invalid option -- 'x'\nTry 'date --help' for more information.\n1\n");
      assert.equal(web.type('head -n').out, "head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n");
      assert.equal(web.type('head -n 1 /etc/hostname; head -1 /etc/hostname; date -I; wc -l </etc/hostname').out, 'web\nweb\n2026-01-01\n1\n');
    });

    it('id and whoami: GNU\'s and busybox\'s words for a user or ID without a name', () => {
      const deb = terminal('deb');
      assert.equal(deb.type('id -un 2>/dev/null; echo $?').out, '1000\n1\n');
      assert.equal(deb.type('id -un 2>&1 >/dev/null').out, 'id: cannot find name for user ID 1000\n');
      assert.equal(deb.type('whoami').out, 'whoami: cannot find name for user ID 1000\n');
      assert.equal(deb.type('id nope').out, "id: 'nope': no such user\n");
      const box = terminal('box1000');
      assert.equal(box.type('whoami').out, 'whoami: unknown uid 1000\n');
      assert.equal(box.type('id nope').out, 'id: unknown user nope\n');
    });

    it('wc: GNU pads to the size of the files, and to 7 for a pipe; one count of one input is not padded', () => {
      const web = terminal('web');
      assert.equal(web.type('wc /etc/hosts /etc/hostname').out, '  8  20 198 /etc/hosts\n  1   1   4 /etc/hostname\n  9  21 202 total\n');
      assert.equal(web.type('echo hi | wc').out, '      1       1       3\n');
      assert.equal(web.type('echo hi | wc -l').out, '1\n');
      assert.equal(terminal('box').type('wc /etc/hostname').out, '      1       1       4 /etc/hostname\n');
    });
  });
});
