import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { InteractiveShell } from '../../../../cluster/src/kubelet/execsession';
import { extractHereDocs } from '../../../../cluster/src/kubelet/heredoc';
import { compoundRunnable, planScript } from '../../../../cluster/src/kubelet/scripts';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS, WEB_AND_CLIENT } from './webfixture';
import { shellPlayground } from './shellharness';

/**
 * Here-documents, subshells, functions and positional parameters, as busybox
 * ash runs them: in `kubectl exec`, in `sh -c` with arguments, and in the
 * container scripts the kubelet plays in simulated time.
 */
describe('simulated shell: here-documents, subshells and functions', () => {
  const h = shellPlayground(WEB_AND_CLIENT(1, 'traefik/whoami'), 11);
  let sh: ShellState;
  before(() => { sh = h.shell('client', 'c'); });
  const run = (s: string) => sh.run(s);

  it('takes a here-document\'s body out of the script: the lines up to the delimiter, tabs stripped under <<-', () => {
    const x = extractHereDocs("cat <<EOF > /tmp/a; echo next\nline 'one'\n  $X\nEOF\necho after <<-'END'\n\tquoted $X\n\tEND\n");
    assert.equal(x.docs.length, 2);
    assert.deepEqual(x.docs.map((d) => [d.body, d.expand]), [["line 'one'\n  $X\n", true], ['quoted $X\n', false]]);
    assert.equal(x.text, 'cat <\u0001heredoc0 > /tmp/a; echo next\necho after <\u0001heredoc1\n');
    assert.equal(x.open, false);
    // Inside quotes, comments and $( ) a `<<` is no redirection; a script that ends inside a body leaves it open.
    assert.equal(extractHereDocs('echo "a <<b" # c <<d').docs.length, 0);
    assert.equal(extractHereDocs('x=$(cat <<E\nin\nE\n)').docs.length, 0);
    assert.equal(extractHereDocs('cat <<EOF\nno end').open, true);
  });

  it('feeds a here-document to its command, expanded unless the delimiter is quoted', () => {
    assert.equal(run('X=world\ncat <<EOF\nhello $X, ${X}s: $((6*7)) $(echo sub) \\$X it\'s "q"\nEOF').stdout, 'hello world, worlds: 42 sub $X it\'s "q"\n');
    assert.equal(run("cat <<'EOF'\nraw $X $(nope)\nEOF").stdout, 'raw $X $(nope)\n');
    assert.equal(run('cat <<\\EOF\nraw $X\nEOF').stdout, 'raw $X\n');
    assert.equal(run('cat <<-EOF | tr a-z A-Z\n\t\tindented\n\tEOF\necho done').stdout, 'INDENTED\ndone\n');
    // Into a file, and read back by a loop (`done <<EOF`), expanded at each run.
    assert.equal(run('mkdir -p /www && cat > /www/index.html <<EOF\n<h1>$(hostname)</h1>\nEOF\ncat /www/index.html').stdout, '<h1>client</h1>\n');
    assert.equal(run('while read k v; do echo "$k=$v"; done <<EOF\na 1\nb 2 3\nEOF').stdout, 'a=1\nb=2 3\n');
    assert.equal(run('for i in 1 2; do cat <<EOF\npass $i\nEOF\ndone').stdout, 'pass 1\npass 2\n');
    // Two on one line are read in order; a body the script ends inside ends there.
    assert.equal(run('cat <<A; cat <<B\none\nA\ntwo\nB').stdout, 'one\ntwo\n');
    assert.equal(run('cat <<EOF\nunended').stdout, 'unended');
    // The command's status is its own: a file that cannot be created fails it, after the last newline too.
    const r = run('cat > /nope/x <<EOF\ny\nEOF\n');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "sh: can't create /nope/x: nonexistent directory\n");
  });

  it('runs backquotes as command substitutions, as ash does, and leaves quoted and escaped ones alone', () => {
    assert.equal(run('echo `hostname`').stdout, 'client\n');
    assert.equal(run('echo "now: `echo a b`"; x=`expr 2 + 3`; echo $x').stdout, 'now: a b\n5\n');
    assert.equal(run("echo '`x`' \\`y\\`").stdout, '`x` `y`\n');
    assert.equal(run('echo `echo \\`echo nested\\``').stdout, 'nested\n');
    assert.equal(run('cat <<EOF\nhost `hostname`\nEOF').stdout, 'host client\n');
    assert.equal(run("cat <<'EOF'\nhost `hostname`\nEOF").stdout, 'host `hostname`\n');
    // A container script with backquotes is played, not left to the image convention.
    assert.ok(compoundRunnable('while true; do echo "tick `date +%T`"; sleep 1; done'));
  });

  it('reads a here-document over several lines of a terminal, with the PS2 prompt', () => {
    const session = new InteractiveShell(new ShellState(sh.world), true);
    let out = '';
    for (const line of ['cat <<EOF\r', 'hello $HOSTNAME\r', 'EOF\r']) out += session.input(line).stdout;
    // The terminal echoes what is typed; the body's lines get `> ` until the delimiter, then the command runs.
    assert.equal(out, 'cat <<EOF\r\n> hello $HOSTNAME\r\n> EOF\r\nhello client\r\n/ # ');
  });

  it('runs a terminal\'s EXIT trap when Ctrl-D ends it', () => {
    const session = new InteractiveShell(new ShellState(sh.world), true);
    session.input('trap "echo bye" EXIT\r');
    assert.deepEqual(session.input('\x04'), { stdout: '\r\nbye\r\n', stderr: '', exit: 0 });
  });

  it('runs ( … ) in a subshell: its directory, variables and exit stay there', () => {
    assert.equal(run('(cd /tmp; pwd; SUBX=1); pwd; echo "x=$SUBX"').stdout, '/tmp\n/\nx=\n');
    const r = run('(echo in; exit 4); echo "status $?"');
    assert.equal(r.stdout, 'in\nstatus 4\n');
    assert.equal(run('(echo b; echo a) | sort').stdout, 'a\nb\n');
    assert.equal(run('(echo to file) > /tmp/sub; cat /tmp/sub').stdout, 'to file\n');
    assert.equal(run('(false) || echo failed').stdout, 'failed\n');
    assert.equal(run('( )').stderr, 'sh: syntax error: unexpected ")"\n');
  });

  it('defines and calls functions with positional parameters, return, local and shift', () => {
    assert.equal(run('f() { echo "$# args: [$1] [$2]"; return 3; echo no; }; f a "b c"; echo "status $?"').stdout, '2 args: [a] [b c]\nstatus 3\n');
    assert.equal(run('greet() {\n  local who=$1\n  echo "hello $who"\n}\nwho=outer; greet world; echo "$who"').stdout, 'hello world\nouter\n');
    assert.equal(run('each() { for a in "$@"; do echo "<$a>"; done; }; each x "y z" ""').stdout, '<x>\n<y z>\n<>\n');
    assert.equal(run('first() { n=0; while true; do n=$((n+1)); [ $n -eq 2 ] && return 7; done; }; first; echo "$? $n"').stdout, '7 2\n');
    assert.equal(run('up() { echo "$1" | tr a-z A-Z; }; up hi; up there > /tmp/up; cat /tmp/up').stdout, 'HI\nTHERE\n');
    assert.equal(run('set -- a "b c" d; echo $#; shift; echo "$@"; shift 5; echo $?').stdout, '3\nb c d\n1\n');
    assert.equal(run('local x=1').stderr, 'sh: local: not in a function\n');
    // A recursion without end is stopped rather than left to exhaust the simulator's stack.
    assert.match(run('loop() { loop; }; loop').stderr, /^kubeplay: functions nested 200 deep were stopped/);
    // `sh -c SCRIPT NAME ARGS`: $0 is NAME.
    assert.equal(run('sh -c \'echo "0=$0 1=$1 n=$#"\' me x "y z"').stdout, '0=me 1=x n=2\n');
    assert.equal(run('sh -c \'echo "0=$0 n=$#"\'').stdout, '0=sh n=0\n');
  });

  it('gives a function its own input, expands return\'s word, keeps local values whole, and loops over its arguments', () => {
    assert.equal(run('lines() { while read l; do echo "[$l]"; done; }; printf "a\\nb\\n" | lines').stdout, '[a]\n[b]\n');
    assert.equal(run('two() { read x; read y; echo "$x/$y"; }; two <<EOF\n1\n2\nEOF').stdout, '1/2\n');
    assert.equal(run('f() { false; return $?; }; f; echo $?').stdout, '1\n');
    assert.equal(run('f() { local v=$1; echo "$v"; }; f "a   b"').stdout, 'a   b\n');
    assert.equal(run('f() { for a; do echo "<$a>"; done; }; f x "y z"').stdout, '<x>\n<y z>\n');
    // A function piped or redirected runs at once: a container script that sleeps in one is not played.
    assert.equal(compoundRunnable('f() { sleep 5; echo x; }\necho start\nf | cat'), false);
    assert.equal(compoundRunnable('f() { echo x; }\nf | cat'), true);
  });

  it('runs pipeline parts in subshells, prefix assignments for one command, and "$@" joined to text', () => {
    assert.equal(run('echo hi | (read a; echo got $a)').stdout, 'got hi\n');
    assert.equal(run('setx() { PIPEX=1; }; setx | cat; cd /tmp | cat; echo "[$PIPEX] $(pwd)"').stdout, '[] /\n');
    assert.equal(run('show() { echo "[$FOO]"; }; FOO=bar show; FOO=1 printenv FOO; echo "after [$FOO]"').stdout, '[bar]\n1\nafter []\n');
    assert.equal(run('set -- a b; printf "<%s>" "$@"x; echo; printf "<%s>" x"$@"; echo').stdout, '<a><bx>\n<xa><b>\n');
    assert.equal(run('f() { return; }; false; f; echo $?').stdout, '1\n');
    assert.equal(run('gone() { echo f; }; unset -f gone; gone').code, 127);
    assert.equal(run('cat <<EOF\nunterminated').stdout, 'unterminated');
    // busybox expands a body in a child: its assignments stay there, and an error there leaves the command to run on nothing.
    assert.deepEqual(run('cat <<EOF\n$((1/0))\nEOF\necho st=$?'), { stdout: 'st=0\n', stderr: 'sh: divide by zero\n', code: 0 });
    assert.equal(run('cat <<EOF\n${HDQ=1}\nEOF\necho "q=[$HDQ]"').stdout, '1\nq=[]\n');
    assert.equal(run('set -x; traced() { echo in; }; traced a b; set +x').stderr, '+ traced a b\n+ echo in\n+ set +x\n');
  });

  it('runs background jobs beside the script: $! is the job, wait waits for it and returns its status', () => {
    assert.equal(run('echo a & echo b; wait; echo c').stdout, 'b\na\nc\n', 'the script goes on until it waits');
    assert.equal(run('(echo x; exit 3) & wait $!; echo "status $?"').stdout, 'x\nstatus 3\n');
    assert.match(run('sleep 1 & echo "pid $!"').stdout, /^pid [0-9]+\n$/);
    assert.equal(run('wait 99999; echo $?').stdout, '127\n');
    // A job is a process: ps lists it under the shell, kill ends it, and wait then returns 128 + the signal.
    const ps = run('sleep 100 & ps; kill $!; echo "kill $?"; wait $!; echo "wait $?"').stdout.split('\n');
    const shell = ps.find((l) => / sh$/.test(l))!;
    const job = ps.find((l) => / sleep 100$/.test(l))!;
    assert.ok(Number(job.trim().split(/\s+/)[0]) > Number(shell.trim().split(/\s+/)[0]), ps.join('\n'));
    assert.deepEqual(ps.slice(-3), ['kill 0', 'wait 143', '']);
    // set -e ends the script at a wait that fails.
    assert.deepEqual(run('sh -c \'set -e; false & wait $!; echo not reached\''), { stdout: '', stderr: '', code: 1 });
  });

  it('reads with IFS, keeps "$@" whole in an assignment, and feeds a piped subshell\'s commands', () => {
    assert.equal(run('echo "root:x:0:0:root:/root:/bin/sh" | while IFS=: read -r user pw uid rest; do echo "$user $uid [$rest]"; done').stdout, 'root 0 [0:root:/root:/bin/sh]\n');
    assert.equal(run('printf "  lead  \\n" | while IFS= read -r l; do echo "[$l]"; done').stdout, '[  lead  ]\n');
    assert.equal(run('printf "  a  b  \\n" | while read x y; do echo "[$x][$y]"; done').stdout, '[a][b]\n');
    assert.equal(run('set -- a b; x="$@"; echo "[$x]"; f() { local v="$@"; echo "[$v]"; }; f 1 2').stdout, '[a b]\n[1 2]\n');
    assert.equal(run('printf "a\\nb\\n" | (read x; echo first=$x; cat)').stdout, 'first=a\nb\n');
    assert.equal(run('echo a | (cat) | tr a A').stdout, 'A\n');
  });

  it('runs trap commands: EXIT as the shell ends (keeping its status), the list as ash prints it, a bad signal refused', () => {
    assert.deepEqual(run('sh -c \'trap "echo bye" EXIT; echo hi; exit 4\''), { stdout: 'hi\nbye\n', stderr: '', code: 4 });
    assert.equal(run('sh -c \'trap "echo cleanup" EXIT; false\'; echo $?').stdout, 'cleanup\n1\n');
    assert.equal(run('sh -c \'trap "echo t" TERM INT; trap\'').stdout, "trap -- 'echo t' INT\ntrap -- 'echo t' TERM\n");
    assert.deepEqual(run('sh -c \'trap x BOGUS\''), { stdout: '', stderr: 'sh: trap: BOGUS: invalid signal specification\n', code: 1 });
    // One operand alone resets it; a subshell's own EXIT trap runs as it ends; the shell can signal itself.
    assert.equal(run('sh -c \'trap "echo t" TERM; trap TERM; trap\'').stdout, '');
    assert.equal(run('(trap "echo bye" EXIT; echo in); echo out').stdout, 'in\nbye\nout\n');
    assert.equal(run('sh -c \'trap "echo usr1" USR1; kill -USR1 $$; echo after\'').stdout, 'usr1\nafter\n');
    // A job a subshell started is not the parent's to wait for.
    assert.equal(run('(sleep 5 &); wait; echo done').stdout, 'done\n');
  });

  it('a container script\'s TERM trap runs on deletion: at once in a wait, after the sleep in the foreground', () => {
    const deleteAndWatch = (script: string) => {
      const tp = newTestPlayground();
      try {
        tp.api.create(R.pods, 'default', {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tp' },
          spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script] }] },
        } as KObject);
        tp.advance(5000);
        assert.ok(compoundRunnable(script));
        const t0 = tp.clock.now();
        tp.api.delete(R.pods, 'default', 'tp');
        let logs: string[] = [];
        for (let i = 0; i < 400; i++) {
          tp.advance(100);
          let gone = false;
          try { tp.api.get(R.pods, 'default', 'tp'); } catch { gone = true; }
          if (gone) return { seconds: (tp.clock.now() - t0) / 1000, logs };
          try { logs = [...tp.logs('default', 'tp', 'c')]; } catch { /* between instances */ }
        }
        return { seconds: Infinity, logs };
      } finally {
        tp.close();
      }
    };
    // `sleep infinity & wait $!`: the wait returns at once and the trap exits a second later; the pod goes then, not at 30 s.
    const waiting = deleteAndWatch('trap \'echo "TERM at $(date +%T)"; sleep 1; exit 0\' TERM\necho started\nsleep infinity & wait $!');
    assert.deepEqual(waiting.logs, ['started', 'TERM at 00:00:05']);
    assert.ok(waiting.seconds >= 1 && waiting.seconds < 2.5, String(waiting.seconds));
    // A foreground sleep finishes first (00:00:10: the script started at 0 s, as the node had no other pull queued ahead
    // of busybox's), as ash takes a trap only after the foreground command.
    const foreground = deleteAndWatch('trap \'echo "TERM at $(date +%T)"; exit 0\' TERM\nwhile true; do echo "tick $(date +%T)"; sleep 10; done');
    assert.ok(foreground.seconds > 4 && foreground.seconds < 7, String(foreground.seconds));
    // The graceful-shutdown idiom: the trap stops the child, waits for it and exits.
    const child = deleteAndWatch('trap \'echo stopping; kill -TERM $child; wait $child; echo "child ended $?"; sleep 1; exit 0\' TERM\nsleep 1000 & child=$!\necho "child $child"\nwait $child');
    assert.deepEqual(child.logs, ['child 2', 'stopping', 'child ended 143']);
    assert.ok(child.seconds >= 1 && child.seconds < 2.5, String(child.seconds));
    // Without a trap, the PID-1 shell ignores TERM until the grace period's SIGKILL.
    assert.equal(deleteAndWatch('echo no trap; sleep 3600').seconds, 30);
  });

  it('`kill 1` from kubectl exec runs the TERM trap of the script that is the container\'s first process', () => {
    const kp = new KubePlayground({ seed: 5 });
    try {
      kp.apply(`apiVersion: v1
kind: Pod
metadata: {name: tp}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.36
    command: [sh, -c, "trap 'echo got TERM; exit 3' TERM; echo up; sleep infinity & wait"]
`);
      kp.runUntil(() => false, 20_000);
      const exec = new ShellState(kp.execWorld(kp.api.get(PODS, 'default', 'tp') as KObject, 'c'));
      assert.deepEqual(exec.run('kill 1; echo kill=$?'), { stdout: 'kill=0\n', stderr: '', code: 0 });
      kp.runUntil(() => false, 5_000);
      assert.equal((kp.api.get(PODS, 'default', 'tp') as KObject).status!.containerStatuses[0].state.terminated?.exitCode, 3);
      assert.deepEqual([...kp.logs('default', 'tp', 'c')], ['up', 'got TERM']);
    } finally {
      kp.close();
    }
  });

  it('expands a case pattern as ash does, and a sh -c script ends at an expansion error wherever it comes (outputs are busybox 1.35 ash\'s)', () => {
    assert.equal(run('x=web-3; case $x in ${HOSTNAME%-*}-*) echo same ;; *) echo other ;; esac').stdout, 'other\n');
    assert.equal(run('p="a*"; case abc in $p) echo glob ;; esac; case abc in "$p") echo lit ;; *) echo nolit ;; esac').stdout, 'glob\nnolit\n');
    assert.equal(run('case abc in ${u:-a}*) echo dflt ;; esac').stdout, 'dflt\n');
    // Bracket expressions with POSIX classes, a `]` first, a `-` last.
    assert.equal(run('case a1 in [[:alpha:]][[:digit:]]) echo cls;; esac; case "]" in []]) echo rb;; esac; case "-" in [a-]) echo dash;; esac').stdout, 'cls\nrb\ndash\n');
    assert.equal(run('x=abc123; echo ${x%%[[:digit:]]*} ${x##*[[:alpha:]]}').stdout, 'abc 123\n');
    // Quoted, `!`, `^` and `-` are plain in a bracket expression; a range written backwards matches nothing.
    assert.equal(run('case "!" in [\\!]) echo y;; *) echo n;; esac; case "^" in ["^"]) echo y;; *) echo n;; esac; case b in [a"-"z]) echo y;; *) echo n;; esac').stdout, 'y\ny\nn\n');
    assert.equal(run('case b in [c-a]) echo y;; *) echo n;; esac; [[ 5 =~ ^[[:digit:]]+$ ]] && echo number').stdout, 'n\nnumber\n');
    // A comment ends at its newline, a backslash before it or not; `[[` as a word of echo is no test.
    assert.equal(run('# note \\\necho hi').stdout, 'hi\n');
    assert.equal(run('echo [[ ; echo y && echo z').stdout, '[[\ny\nz\n');
    // In `[[`, and and or are `&&` and `||`: a `-a` there is an operand busybox does not know.
    assert.deepEqual(run('[[ a -a b ]]'), { stdout: '', stderr: 'sh: -a: unknown operand\n', code: 2 });
    // `sh -c` is a script's shell, not a terminal: `${X:?}` in a function or a loop ends it with status 2.
    assert.deepEqual(run("sh -c 'f() { echo ${1:?need}; echo in; }; f; echo after'"), { stdout: '', stderr: 'sh: 1: need\n', code: 2 });
    assert.deepEqual(run("sh -c 'for i in 1; do echo ${u:?x}; echo in; done; echo after'"), { stdout: '', stderr: 'sh: u: x\n', code: 2 });
    assert.deepEqual(run("sh -c 'echo $((1/0)); echo after'"), { stdout: '', stderr: 'sh: divide by zero\n', code: 2 });
  });

  it('plays a container script with functions, a subshell and a here-document in simulated time', () => {
    const script = [
      'log() { echo "$(date +%T) $*"; }',
      'retry() {', '  n=0', '  until [ $n -ge $1 ]; do', '    n=$((n+1)); log "try $n"; sleep 2', '  done', '}',
      '(cd /tmp && echo "in $(pwd)")',
      'cat <<EOF > /tmp/conf', 'name=$0 first=$1', 'EOF',
      'cat /tmp/conf', 'retry 3', 'log done',
    ].join('\n');
    assert.equal(planScript(script), undefined, 'not a flat script with one loop');
    assert.ok(compoundRunnable(script));
    const tp = newTestPlayground();
    try {
      tp.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fn' },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script, 'setup', 'alpha'] }] },
      } as KObject);
      tp.advance(30_000);
      const log = tp.logs('default', 'fn', 'c');
      // The start second depends on the seed's draws before it (image pull, start delays); the sleeps after it do not.
      const start = Number(/^00:00:0(\d) try 1$/.exec(log[2])?.[1]);
      const at = (s: number) => `00:00:${String(start + s).padStart(2, '0')}`;
      assert.deepEqual([...log], ['in /tmp', 'name=setup first=alpha', `${at(0)} try 1`, `${at(2)} try 2`, `${at(4)} try 3`, `${at(6)} done`]);
      const state = tp.api.get(R.pods, 'default', 'fn').status.containerStatuses[0].state.terminated;
      assert.equal(state.exitCode, 0);
      assert.equal(Date.parse(state.finishedAt) - Date.parse(state.startedAt), 6000, 'three sleeps of 2 s');
    } finally {
      tp.close();
    }
  });
});
