import * as assert from 'node:assert/strict';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { shellPlayground, manifests, SHELL_PODS } from './shellharness';

/**
 * A shell typed at the prompt of `kubectl exec -it POD -- sh` is a child process that takes the terminal over, as
 * in a real container: its own prompt, $0, line count and variables; `exit` or Ctrl-D gives the terminal back to
 * its parent, with `$?` set; `exec bash` takes the current shell's place.
 */
const PODS_YAML = manifests(SHELL_PODS.web, SHELL_PODS.box);

describe('a shell started inside the shell', () => {
  const { world, terminal } = shellPlayground(PODS_YAML);

  it('bash in nginx\'s dash: its prompt and $0, and `exit` returns to sh, whose `exit` ends the session', () => {
    const t = terminal('web');
    assert.equal(t.first, '# ');
    assert.equal(t.type('bash'), 'root@web:/# ');
    assert.equal(t.type('echo $0'), 'bash\nroot@web:/# ');
    // An interactive bash says `exit` as it leaves (builtins/exit.def).
    assert.equal(t.type('exit'), 'exit\n# ');
    assert.equal(t.exit, undefined, 'the session goes on');
    assert.equal(t.type('echo $0'), 'sh\n# ');
    assert.equal(t.type('exit'), '');
    assert.equal(t.exit, 0);
  });

  it('`exit N` and Ctrl-D set the parent\'s $?; bash says `exit` at Ctrl-D, dash a newline', () => {
    const t = terminal('web');
    t.type('bash');
    assert.equal(t.type('exit 3'), 'exit\n# ');
    assert.equal(t.type('echo $?'), '3\n# ');
    t.type('bash');
    t.type('false');
    assert.equal(t.key('\x04'), 'exit\n# ');
    assert.equal(t.type('echo $?'), '1\n# ');
    t.type('sh');
    assert.equal(t.key('\x04'), '\n# ');
    assert.equal(t.exit, undefined);
    t.type('bash -l');
    assert.equal(t.type('exit 4'), 'logout\n# ', 'a login bash says logout');
    assert.equal(t.type('echo $?'), '4\n# ');
  });

  it('the child gets the environment and the directory, not the shell variables; its cd stays in it', () => {
    const t = terminal('web');
    t.type('X=own; export Y=env; Z=1; export Z; cd /tmp');
    assert.equal(t.type('bash'), 'root@web:/tmp# ');
    assert.equal(t.type('echo "[$X] [$Y] [$Z] [$HOSTNAME]"'), '[] [env] [1] [web]\nroot@web:/tmp# ');
    assert.equal(t.type('cd /etc; X=child'), 'root@web:/etc# ');
    t.type('exit');
    assert.equal(t.type('pwd; echo $X'), '/tmp\nown\n# ');
  });

  it('each shell numbers its errors by the lines it has read', () => {
    const t = terminal('web');
    assert.equal(t.type('ps'), 'sh: 1: ps: not found\n# ');
    assert.equal(t.type('sh'), '# ');
    assert.equal(t.type('ps'), 'sh: 1: ps: not found\n# ');
    t.type('exit');
    assert.equal(t.type('ps'), 'sh: 3: ps: not found\n# ');
    assert.equal(t.type('/bin/bash'), 'root@web:/# ');
    assert.equal(t.type('echo $0; ps'), '/bin/bash\nbash: ps: command not found\nroot@web:/# ');
  });

  it('`exec bash` takes the shell\'s place: its exit ends the session', () => {
    const t = terminal('web');
    assert.equal(t.type('exec bash'), 'root@web:/# ');
    assert.equal(t.type('exit 6'), 'exit\n');
    assert.equal(t.exit, 6);
  });

  it('a shell the image lacks is not found, in the current shell\'s words', () => {
    const web = terminal('web');
    assert.equal(web.type('ash'), 'sh: 1: ash: not found\n# ');
    const box = terminal('box');
    assert.equal(box.type('bash'), 'sh: bash: not found\n/ # ');
    assert.equal(box.type('echo $?'), '127\n/ # ');
  });

  it('busybox: sh in sh is ash again, a child process that ps shows', () => {
    const t = terminal('box');
    t.type('cd /etc');
    assert.equal(t.type('sh'), '/etc # ');
    const rows = t.type('ps -o pid,ppid,args').split('\n').slice(1, -1).map((l) => l.trim().split(/\s+/));
    const shells = rows.filter((r) => r[2] === 'sh');
    assert.equal(shells.length, 2, rows.join('|'));
    assert.equal(shells[1][1], shells[0][0], 'the nested sh is the first one\'s child');
    assert.equal(rows.find((r) => r[2] === 'ps')![1], shells[1][0], 'ps is the nested sh\'s child');
    assert.equal(t.type('echo $PPID'), `${shells[0][0]}\n/etc # `);
    assert.equal(t.type('exit'), '/etc # ');
  });

  it('a script\'s shells see exported variables only, and a command\'s assignments', () => {
    const sh = new ShellState(world('box'));
    assert.equal(sh.run(`X=1; sh -c 'echo "[$X]"'`).stdout, '[]\n');
    assert.equal(sh.run(`X=2 sh -c 'echo "[$X]"'; echo $X`).stdout, '[2]\n1\n');
    assert.equal(sh.run(`export X; sh -c 'echo "[$X]"; env | grep ^X='`).stdout, '[1]\nX=1\n');
    assert.equal(new ShellState(world('web')).run(`sh -c 'bash -c "echo \\$0"'`).stdout, 'bash\n');
  });
});
