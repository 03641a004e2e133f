import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { getSchema } from '../../../kube/src/schema/index';
import { applyEdits, byCode, diagnose as diagnoseMarked, quickFixes as quickFixesMarked, textAt } from './helpers';

// These texts have YAML block scalars (`- |`), so the cursor is marked `§`.
const diagnose = (text: string) => diagnoseMarked(text, {}, '§');
const quickFixes = (text: string, code: string) => quickFixesMarked(text, code, {}, '§');

const pod = (container: string, spec = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:${spec}
  containers:
  - name: app
    image: busybox:1.36
${container}`;

describe('a shell script that runs for ever as the container\'s PID 1, with no trap', () => {
  it('says deletion waits out the grace period, and adds the trap in each YAML style', () => {
    const quoted = pod(`    command: ['sh', '-c', 'while true; do echo tick; sleep 10; done']\n`);
    const [d] = byCode(diagnose(quoted).list, 'pid1-term');
    assert.strictEqual(d.severity, 3, 'information');
    assert.match(d.message, /PID 1.*ignores SIGTERM.*terminationGracePeriodSeconds \(30 s\).*exit 137/);
    assert.strictEqual(textAt(quoted, d.range), "'while true; do echo tick; sleep 10; done'");
    const fix = (text: string, title = "Add trap 'exit 0' TERM") => {
      const { actions, uri } = quickFixes(text, 'pid1-term');
      assert.strictEqual(actions.length, 1);
      assert.strictEqual(actions[0].title, title);
      const fixed = applyEdits(text, actions[0].edit.changes[uri]);
      assert.deepStrictEqual(byCode(diagnose(fixed).list, 'pid1-term'), [], fixed);
      return fixed;
    };
    assert.match(fix(quoted), /command: \['sh', '-c', 'trap ''exit 0'' TERM; while true; do echo tick; sleep 10; done'\]/);
    const double = pod(`    command: ["/bin/sh", "-c", "while :; do date; sleep 5; done"]\n`);
    assert.match(fix(double), /"trap 'exit 0' TERM; while :; do date; sleep 5; done"/);
    // A foreground `sleep infinity` would keep the trap waiting for ever: it goes to the background, and the shell waits.
    const block = pod(`    command:\n    - sh\n    - -c\n    - |\n      echo started\n      sleep infinity\n`, '\n  terminationGracePeriodSeconds: 60');
    assert.match(byCode(diagnose(block).list, 'pid1-term')[0].message, /\(60 s\).*sleep infinity & wait/);
    assert.match(fix(block, "Add trap 'exit 0' TERM and wait for sleep infinity"), /- \|\n {6}trap 'exit 0' TERM\n {6}echo started\n {6}sleep infinity & wait\n/);
    // In the background with a wait, the shell still ignores TERM: only the trap is added.
    assert.match(fix(pod(`    command: ['sh', '-c', 'sleep infinity & wait']\n`)), /'trap ''exit 0'' TERM; sleep infinity & wait'/);
    // tail -f: said, without a fix.
    const tail = pod(`    command: ['sh', '-c', 'touch /tmp/log; tail -f /tmp/log']\n`);
    assert.match(byCode(diagnose(tail).list, 'pid1-term')[0].message, /tail -f … & wait/);
    assert.strictEqual(quickFixes(tail, 'pid1-term').actions.length, 0);
    // The documentation's "command and arguments" example: the shell in command, the script in args.
    const args = pod(`    command: ["/bin/sh"]\n    args: ["-c", "while true; do echo hello; sleep 10;done"]\n`);
    assert.strictEqual(byCode(diagnose(args).list, 'pid1-term').length, 1);
    assert.match(fix(args), /args: \["-c", "trap 'exit 0' TERM; while true; do echo hello; sleep 10;done"\]/);
  });

  it('says nothing for a script that ends, traps, execs, a shared process namespace, a plain init container or a short grace period', () => {
    for (const [container, spec] of [
      [`    command: ['sh', '-c', 'echo hi; sleep 5']\n`, ''],
      [`    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']\n`, ''],
      [`    command: ['sh', '-c', 'echo setup; exec sleep infinity']\n`, ''],
      [`    command: ['sh', '-c', 'sleep infinity & wait']\n`, '\n  terminationGracePeriodSeconds: 2'],
      [`    command: ['sh', '-c', 'while true; do sleep 1; done']\n`, '\n  shareProcessNamespace: true'],
      [`    command: ['sh', '-c', 'while true; do sleep 1; done']\n`, '\n  terminationGracePeriodSeconds: 1'],
      [`    command: ['python', '-c', 'while True: pass']\n`, ''],
    ]) assert.deepStrictEqual(byCode(diagnose(pod(container, spec)).list, 'pid1-term'), [], container + spec);
    const init = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: wait, image: busybox, command: ['sh', '-c', 'while true; do sleep 1; done']}
  - {name: side, image: busybox, restartPolicy: Always, command: ['sh', '-c', 'echo shipping; sleep infinity']}
  containers:
  - {name: app, image: nginx}
`;
    const found = byCode(diagnose(init).list, 'pid1-term');
    assert.strictEqual(found.length, 1, 'the sidecar only');
    assert.strictEqual(textAt(init, found[0].range), "'echo shipping; sleep infinity'");
  });

  it('is the editor\'s alone: the apiserver accepts the pod without a word', () => {
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'while true; do sleep 1; done'] }] } };
    const codes = (apiserver: boolean) => validateObject(obj, getSchema(), { kubernetesVersion: '1.34', apiserver }).map((f) => f.code);
    assert.ok(codes(false).includes('pid1-term'), 'the editor runs it');
    assert.ok(!codes(true).includes('pid1-term'), 'the apiserver does not');
  });
});
