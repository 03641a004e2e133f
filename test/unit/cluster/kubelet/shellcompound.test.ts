import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { InteractiveShell } from '../../../../cluster/src/kubelet/execsession';
import { casePattern, needsMoreInput, parseCompound } from '../../../../cluster/src/kubelet/shellcompound';
import { compoundRunnable } from '../../../../cluster/src/kubelet/scripts';
import { maskSubstitutions } from '../../../../cluster/src/kubelet/shellsyntax';
import { PODS, WEB_AND_CLIENT } from './webfixture';
import { shellPlayground } from './shellharness';

/**
 * The simulated shell's compound commands (if, for, while, until, case, groups, break and continue) as
 * busybox ash runs them, in `kubectl exec` and in the scripts the kubelet plays.
 */
// traefik/whoami names the pod that answered, which the loop through the Service counts.
const APP = WEB_AND_CLIENT(3, 'traefik/whoami');

describe('simulated shell: compound commands', () => {
  const h = shellPlayground(APP, 11);
  let sh: ShellState;
  before(() => { sh = h.shell('client', 'c'); });
  const run = (s: string) => sh.run(s);

  it('runs for, while, until, if/elif/else and case', () => {
    assert.equal(run('for i in 1 2 3; do echo tick $i; done').stdout, 'tick 1\ntick 2\ntick 3\n');
    assert.equal(run('for p in a "b c"; do echo "[$p]"; done').stdout, '[a]\n[b c]\n');
    assert.equal(run('i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done; echo end $i').stdout, '0\n1\n2\nend 3\n');
    assert.equal(run('n=0; until [ $n -ge 2 ]; do n=$((n+1)); done; echo $n').stdout, '2\n');
    assert.equal(run('if false; then echo a; elif [ 1 = 1 ]; then echo b; else echo c; fi').stdout, 'b\n');
    assert.equal(run('if false; then echo a; fi; echo $?').stdout, '0\n');
    assert.equal(run('for f in web.yaml app.json x; do case $f in *.yaml|*.yml) echo "$f yaml";; *.json) echo "$f json";; *) echo "$f other";; esac; done').stdout,
      'web.yaml yaml\napp.json json\nx other\n');
    assert.equal(run('{ echo g1; echo g2; } | wc -l').stdout, '2\n');
  });

  it('takes break and continue, with a count, and $? of a loop is its last body\'s', () => {
    assert.equal(run('for x in a b c; do if [ $x = b ]; then continue; fi; echo $x; done').stdout, 'a\nc\n');
    assert.equal(run('for i in 1 2 3; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done').stdout, '1a\n2a\n3a\n');
    assert.equal(run('while true; do echo once; break; done').stdout, 'once\n');
    assert.equal(run('for i in 1 2; do false; done; echo $?').stdout, '1\n');
    assert.equal(run('for i in; do echo never; done; echo $?').stdout, '0\n');
    const bad = run('for i in 1; do break x; done');
    assert.equal(bad.stderr, 'sh: break: Illegal number: x\n');
    // Past the loops there are, break leaves the outermost; outside any loop it does nothing (POSIX).
    assert.equal(run('for i in 1 2; do for j in a; do break 5; done; echo no; done; echo after').stdout, 'after\n');
    assert.equal(run('break; echo after').stdout, 'after\n');
    assert.equal(run('for i in 1 2; do continue 2; echo no; done; echo after').stdout, 'after\n');
    // A for loop runs over all of its words, however many.
    assert.equal(run('n=0; for i in $(seq 1 10005); do n=$((n+1)); done; echo $n $?').stdout, '10005 0\n');
  });

  it('applies a compound command\'s redirections to both of its streams, in order, and pipes after them', () => {
    const quiet = run('for h in nosuch; do wget -qO- http://$h; done >/dev/null 2>&1; echo rc=$?');
    assert.deepEqual([quiet.stdout, quiet.stderr], ['rc=1\n', '']);
    assert.deepEqual([run('{ echo a; echo b >&2; } 2>/dev/null').stdout, run('{ echo a; echo b >&2; } 2>/dev/null').stderr], ['a\n', '']);
    assert.equal(run('for i in 1 2; do echo $i; echo e$i >&2; done 2>&1 | sort -r').stdout, 'e2\ne1\n2\n1\n');
    assert.equal(run('{ echo out; echo err >&2; } > /tmp/both 2>&1; cat /tmp/both').stdout, 'out\nerr\n');
    const nodir = run('for i in 1; do echo ran; done > /nodir/f');
    assert.deepEqual([nodir.stdout, nodir.stderr, nodir.code], ['', "sh: can't create /nodir/f: nonexistent directory\n", 1], 'nothing runs when a redirection fails');
  });

  it('expands a case word without splitting it, and an unquoted pattern variable as a glob', () => {
    assert.equal(run('x="a  b"; case $x in "a  b") echo match;; *) echo no;; esac').stdout, 'match\n');
    assert.equal(run("pat='*.txt'; case a.txt in $pat) echo glob;; *) echo no;; esac").stdout, 'glob\n');
    assert.equal(run("pat='*.txt'; case a.txt in \"$pat\") echo literal;; *) echo no;; esac").stdout, 'no\n');
  });

  it('sends a loop\'s output through a pipe or into a file, and shows which pods a Service sent requests to', () => {
    const spread = run('for i in $(seq 1 6); do wget -qO- http://web | grep Hostname; done | sort | uniq -c');
    assert.equal(spread.code, 0, spread.stderr);
    const lines = spread.stdout.replace(/\n$/, '').split('\n');
    assert.equal(lines.length, 3, spread.stdout);
    for (const l of lines) assert.match(l, /^ {6}2 Hostname: web-[a-z0-9]+-[a-z0-9]{5}$/);
    assert.equal(run('for i in 1 2 3; do echo $i; done > /tmp/o; cat /tmp/o').stdout, '1\n2\n3\n');
    assert.equal(run('for i in 4; do echo $i; done >> /tmp/o; wc -l < /tmp/o').stdout, '4\n');
  });

  it('reads lines with read: from a file redirected into a loop, or a pipeline piped into one (a subshell)', () => {
    assert.equal(run('printf "a b c\\nd e\\n" > /tmp/f; while read x y; do echo "[$x] [$y]"; done < /tmp/f').stdout, '[a] [b c]\n[d] [e]\n');
    assert.equal(run('cat /etc/resolv.conf | while read k v; do echo "$k"; done').stdout, 'search\nnameserver\noptions\n');
    // A last line without a newline: read sets it but answers 1, so the body does not run for it.
    assert.equal(run('printf "one\\nlast" | while read l; do echo got $l; done').stdout, 'got one\n');
    // Without -r a backslash escapes and a backslash at the end joins the next line; -r keeps them.
    assert.equal(run("printf 'x\\\\\\ny\\n' | while read l; do echo \"$l\"; done").stdout, 'xy\n');
    assert.equal(run("printf 'x\\\\\\ny\\n' | while read -r l; do echo \"$l\"; done").stdout, 'x\\\ny\n');
    // The pipeline's loop runs in a subshell, as in ash: its variables do not outlive it; a redirected loop's do.
    assert.equal(run('i=0; cat /etc/hosts | while read l; do i=$((i+1)); done; echo $i').stdout, '0\n');
    assert.notEqual(run('i=0; while read l; do i=$((i+1)); done < /etc/hosts; echo $i').stdout, '0\n');
    assert.equal(run('while read l; do echo $l; done < /nope').stderr, "sh: can't open /nope: no such file\n");
  });

  it('ends at exit, and stops a loop that would never end after its last allowed pass', () => {
    const s = new ShellState(sh.world);
    const r = s.run('for i in 1 2; do echo $i; exit 4; done; echo never');
    assert.deepEqual([r.stdout, r.code, s.exited], ['1\n', 4, 4]);
    const spin = run('while true; do :; done; echo after');
    assert.equal(spin.stdout, 'after\n');
    assert.match(spin.stderr, /^kubeplay: the loop was stopped after 10000 passes/);
  });

  it('says what ash says about a broken compound command', () => {
    assert.deepEqual(run('for i in 1 2; do echo'), { stdout: '', stderr: 'sh: syntax error: unexpected end of file (expecting "done")\n', code: 2 });
    assert.equal(run('done').stderr, 'sh: syntax error: unexpected "done"\n');
    assert.equal(run('if true; fi').stderr, 'sh: syntax error: unexpected "fi" (expecting "then")\n');
    // An empty list inside a compound command is refused at the word that ends it.
    assert.equal(run('while do :; done').stderr, 'sh: syntax error: unexpected "do"\n');
    assert.equal(run('if then echo; fi').stderr, 'sh: syntax error: unexpected "then"\n');
    assert.equal(run('{ }').stderr, 'sh: syntax error: unexpected "}"\n');
    assert.equal(run('echo done; echo fi').stdout, 'done\nfi\n', 'keywords count only where a command starts');
    assert.equal(run("echo 'for x in'").stdout, 'for x in\n');
  });

  it('expands parameters with defaults: :- - :+ + := and the length', () => {
    assert.equal(run('echo ${NOPE:-default} ${HOSTNAME:-none} [${E2-unset}]').stdout, 'default client [unset]\n');
    assert.equal(run('E=; echo [${E-unset}] [${E:-empty}] [${E+set}] [${NOPE+set}]').stdout, '[] [empty] [set] []\n');
    assert.equal(run('echo ${#HOSTNAME} ${A:=assigned} $A').stdout, '6 assigned assigned\n');
    assert.equal(run('echo "${X:-a b}" ${NOPE:-$HOSTNAME}').stdout, 'a b client\n');
    // The quotes of a default word keep its blanks when it is used; an unquoted one is split.
    assert.equal(run('echo ${X:-"a  b"}; echo ${X:-a  b}; Z="1  2"; echo ${Z:-"d"}; echo ${X:-"$Z"}').stdout, 'a  b\na b\n1 2\n1  2\n');
  });

  it('echo -e, set -e/-x/-o, unset and expr', () => {
    const fresh = (s: string) => new ShellState(sh.world).run(s);
    assert.equal(fresh('echo -e "a\\tb"; echo -ne "q\\n"; echo -e "cut\\chere"; echo "x\\ty"').stdout, 'a\tb\nq\ncutx\\ty\n');
    assert.deepEqual([fresh('set -e; false; echo after').stdout, fresh('set -e; false; echo after').code], ['', 1]);
    assert.equal(fresh('set -euo pipefail; echo ok').stdout, 'ok\n');
    const traced = fresh('set -x; echo "a b" x; set +x; echo quiet');
    assert.deepEqual([traced.stdout, traced.stderr], ['a b x\nquiet\n', "+ echo 'a b' x\n+ set +x\n"]);
    assert.equal(fresh('set -q').stderr, 'sh: set: illegal option -q\n');
    assert.equal(fresh('x=5; unset x; echo ${x:-gone}').stdout, 'gone\n');
    assert.equal(fresh('expr 1 + 2 \\* 3; expr length hello; expr 2 \\> 10; expr abc \\< abd').stdout, '7\n5\n0\n1\n');
    const zero = fresh('expr 4 - 4');
    assert.deepEqual([zero.stdout, zero.code], ['0\n', 1], 'a zero result exits 1');
    assert.equal(fresh('expr 7 / 0').stderr, 'expr: division by zero\n');
    assert.equal(fresh('expr a + 1').stderr, 'expr: non-numeric argument\n');
  });

  it('$RANDOM gives numbers from 0 to 32767, the same sequence for the same pod and container', () => {
    const a = new ShellState(sh.world).run('echo $RANDOM $RANDOM $((RANDOM % 10))').stdout.trim().split(' ').map(Number);
    const b = new ShellState(sh.world).run('echo $RANDOM $RANDOM $((RANDOM % 10))').stdout.trim().split(' ').map(Number);
    assert.deepEqual(a, b);
    assert.notEqual(a[0], a[1]);
    for (const n of a) assert.ok(Number.isInteger(n) && n >= 0 && n <= 32767);
    assert.ok(a[2] < 10);
    // Assigning RANDOM seeds it: the same seed, the same numbers.
    const seeded = new ShellState(sh.world).run('RANDOM=7; echo $RANDOM $RANDOM; RANDOM=7; echo $RANDOM $RANDOM').stdout.split('\n');
    assert.equal(seeded[0], seeded[1]);
    assert.notEqual(seeded[0], '7 7');
  });

  it('keeps an assignment\'s captured blanks, and gives it the status of its command substitution', () => {
    const fresh = (s: string) => new ShellState(sh.world).run(s);
    assert.equal(fresh('if out=$(wget -qO- http://nosuch 2>&1); then echo ok; else echo "fail: $out"; fi').stdout, "fail: wget: bad address 'nosuch'\n");
    assert.equal(fresh('x=$(echo hi; exit 3); echo $?').stdout, '3\n');
    assert.equal(fresh('x=$(false) || echo failed').stdout, 'failed\n');
    assert.equal(fresh('y="1  2"; z=$y; echo "[$z]"; echo [$z]').stdout, '[1  2]\n[1 2]\n');
  });

  it('seq and uniq as busybox prints them', () => {
    assert.equal(run('seq 3').stdout, '1\n2\n3\n');
    assert.equal(run('seq -s, 2 2 9').stdout, '2,4,6,8\n');
    assert.equal(run('seq -w 8 10').stdout, '08\n09\n10\n');
    assert.equal(run('seq 5 1').stdout, '');
    assert.match(run('seq x').stderr, /^BusyBox v1\.36\.1 multi-call binary\.\n\nUsage: seq \[-w\] \[-s SEP\] \[FIRST \[INC\]\] LAST\n/);
    assert.equal(run('seq -w -2 1').stdout, '-2\n-1\n00\n01\n', '-w counts the minus sign');
    assert.equal(run('seq 1 2.5').stdout, '1\n2\n', "LAST's decimals do not count");
    assert.equal(run('seq 0.5 1 2').stdout, '0.5\n1.5\n');
    assert.equal(run("printf_not_here=1; echo 'a\na\nb\na' > /tmp/u; uniq -c /tmp/u").stdout, '      2 a\n      1 b\n      1 a\n');
    assert.equal(run('uniq -d /tmp/u').stdout, 'a\n');
  });

  it('reads a compound command over several lines in an interactive session, with the PS2 prompt', () => {
    const session = new InteractiveShell(new ShellState(sh.world), true);
    session.start();
    const a = session.input('for i in 1 2\r');
    assert.equal(a.stdout, 'for i in 1 2\r\n> ');
    const b = session.input('do echo n$i\r');
    assert.equal(b.stdout, 'do echo n$i\r\n> ');
    const c = session.input('done\r');
    assert.equal(c.stdout, 'done\r\nn1\r\nn2\r\n/ # ');
    // Ctrl-C drops what was read so far.
    session.input('while true\r');
    assert.equal(session.input('\x03').stdout, '^C\r\n/ # ');
    assert.equal(session.input('echo ok\r').stdout, 'echo ok\r\nok\r\n/ # ');
  });

  it('tells complete text from text that needs another line', () => {
    assert.equal(needsMoreInput(maskSubstitutions('for i in 1 2')), true);
    assert.equal(needsMoreInput(maskSubstitutions('if true; then echo $(date)')), true);
    assert.equal(needsMoreInput(maskSubstitutions('for i in 1; do echo; done')), false);
    assert.equal(needsMoreInput(maskSubstitutions('echo hi')), false);
    assert.equal(needsMoreInput(maskSubstitutions('done')), false, 'an error, not more input');
    assert.equal(parseCompound('echo a; ls | wc -l'), undefined, 'a flat line stays with the flat shell');
    assert.ok(casePattern('*.y[a]ml').test('x.yaml'));
    assert.ok(!casePattern('"*".txt').test('a.txt'));
    assert.ok(casePattern('[!a]?').test('bc'));
  });

  it('survives any text: random mixes of keywords and operators never throw and always end', () => {
    const parts = ['for', 'i', 'in', 'do', 'done', 'if', 'then', 'else', 'elif', 'fi', 'while', 'until', 'case', 'esac', '{', '}', '(', ')', ';', ';;', '\n',
      '&&', '||', '|', '>', '<', '2>&1', 'echo', 'x', '$i', '${i:-a}', '"', "'", '$(', '$((', '1+', 'break', 'continue', 'true', 'false', 'seq', '3',
      'a)', '*)', 'exit', '&', '#', '\\', 'sleep', 'cat', 'wc', '-l', '$?', '${#x}', '${', '}}'];
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let k = 0; k < 3000; k++) {
      const toks = Array.from({ length: 1 + rnd(14) }, () => parts[rnd(parts.length)]);
      const line = toks.join(rnd(3) ? ' ' : '');
      const r = new ShellState(sh.world).run(line);
      assert.equal(typeof r.code, 'number', line);
      const steps = new ShellState(sh.world).steps(line);
      for (let i = 0, x = steps.next(); !x.done; x = steps.next(), i++) assert.ok(i < 100_000, line);
    }
  });

  it('plays a container script with for and if, sleeping where it sleeps, and keeps its own output as the log', () => {
    assert.equal(compoundRunnable('for i in 1 2; do echo $i; sleep 1; done'), true);
    assert.equal(compoundRunnable('for i in 1 2; do python app.py; done'), false, 'an application binary keeps the image convention');
    assert.equal(compoundRunnable('while true; do date; sleep 5; done | tee /tmp/log'), false, 'a piped loop would run before its reader, its sleeps taking no time');
    assert.equal(compoundRunnable('while true; do date; sleep 5; done > /tmp/log'), true);
    const p = new KubePlayground({ seed: 12 });
    try {
      p.apply(`
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'for i in 1 2 3; do echo tick $i; sleep 2; done; if [ -f /nope ]; then echo has; else echo "no file"; exit 4; fi']
`);
      assert.ok(p.runUntil(() => p.api.get(PODS, 'default', 'ticker').status?.phase === 'Failed', 60_000));
      const st = p.api.get(PODS, 'default', 'ticker').status.containerStatuses[0].state.terminated;
      assert.equal(st.exitCode, 4);
      assert.equal((Date.parse(st.finishedAt) - Date.parse(st.startedAt)) / 1000, 6, 'three passes of sleep 2');
      const log = p.logs('default', 'ticker');
      assert.deepEqual([...log], ['tick 1', 'tick 2', 'tick 3', 'no file']);
      const times = (log as string[] & { times?: number[] }).times!;
      assert.equal(times[1] - times[0], 2000);
      // A loop that sleeps runs on for as long as it sleeps, with no cap on its passes.
      p.apply(`
apiVersion: v1
kind: Pod
metadata: {name: forever}
spec:
  containers: [{name: c, image: busybox, command: [sh, -c, 'while true; do if true; then echo tick; fi; sleep 1; done > /tmp/ticks']}]
`);
      p.advance(3 * 3600_000);
      const f = p.api.get(PODS, 'default', 'forever').status.containerStatuses[0];
      assert.deepEqual([f.restartCount, !!f.state.running], [0, true], 'still running after three simulated hours');
    } finally {
      p.close();
    }
  });
});
