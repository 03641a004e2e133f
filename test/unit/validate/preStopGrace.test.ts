import * as assert from 'assert';
import { hookSleepSeconds } from '../../../kube/src/rules/preStopGrace';
import { applyEdits, byCode, diagnose as diagnoseMarked, quickFixes as quickFixesMarked } from './helpers';

const diagnose = (text: string) => diagnoseMarked(text, {}, '§');
const quickFixes = (text: string, code: string) => quickFixesMarked(text, code, {}, '§');

const deployment = (hook: string, spec = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:${spec}
      containers:
      - name: nginx
        image: nginx:1.27
        lifecycle:
          preStop:
            exec:
              command: ${hook}
`;

describe('a preStop hook that sleeps the whole grace period', () => {
  it('warns that the grace period counts the hook, and sets a longer one', () => {
    const text = deployment(`["sh", "-c", "sleep 30"]`);
    const [d] = byCode(diagnose(text).list, 'prestop-grace');
    assert.strictEqual(d.severity, 2, 'warning');
    assert.match(d.message, /sleeps 30 s, and terminationGracePeriodSeconds \(30 s, the default\) counts the hook too.*kills the container 2 s later.*e\.g\. 60 s/);
    const { actions, uri } = quickFixes(text, 'prestop-grace');
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].title, 'Set terminationGracePeriodSeconds to 60');
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed, /    spec:\n      terminationGracePeriodSeconds: 60\n      containers:/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'prestop-grace'), [], fixed);
    // A grace period already given is changed in place.
    const given = deployment(`["sleep", "45"]`, '\n      terminationGracePeriodSeconds: 40');
    assert.match(byCode(diagnose(given).list, 'prestop-grace')[0].message, /sleeps 45 s, and terminationGracePeriodSeconds \(40 s\)/);
    const f2 = quickFixes(given, 'prestop-grace');
    assert.match(applyEdits(given, f2.actions[0].edit.changes[f2.uri]), /terminationGracePeriodSeconds: 75\n/);
  });

  it('says nothing for a hook shorter than the grace period, or one whose time it cannot tell', () => {
    for (const hook of [`["sh", "-c", "sleep 10"]`, `["sleep", "29"]`, `["sh", "-c", "while true; do sleep 60; done"]`, `["sh", "-c", "sleep $DELAY"]`, `["/usr/sbin/nginx", "-s", "quit"]`]) {
      assert.deepStrictEqual(byCode(diagnose(deployment(hook)).list, 'prestop-grace'), [], hook);
    }
  });

  it('adds up the foreground sleeps of a script, with their units', () => {
    assert.strictEqual(hookSleepSeconds(['sh', '-c', 'nginx -s quit; sleep 20; sleep 15']), 35);
    assert.strictEqual(hookSleepSeconds(['/bin/sleep', '1m']), 60);
    assert.strictEqual(hookSleepSeconds(['sh', '-c', ' sleep 5 && nginx -s quit && sleep 30']), 35);
    assert.strictEqual(hookSleepSeconds(['sh', '-c', 'echo bye']), undefined);
    assert.strictEqual(hookSleepSeconds(['sh', '-c', 'sleep 100 & wait']), undefined);
    // Only one branch of an if runs: not guessed at.
    assert.strictEqual(hookSleepSeconds(['sh', '-c', 'if [ -f /x ]; then sleep 40; else sleep 5; fi']), undefined);
  });

  it('says so too for a sleep action exactly as long as the grace period, which the apiserver lets through', () => {
    const text = deployment(`["true"]`).replace(/exec:\n\s+command: \["true"\]\n/, 'sleep:\n              seconds: 30\n');
    assert.match(text, /sleep:\n {14}seconds: 30/);
    const [d] = byCode(diagnose(text).list, 'prestop-grace');
    assert.match(d.message, /sleeps 30 s/);
    assert.deepStrictEqual(byCode(diagnose(text.replace('seconds: 30', 'seconds: 29')).list, 'prestop-grace'), []);
  });
});
