import * as assert from 'assert';
import { newTestControlPlane, newTestPlayground, R } from '../../../../cluster/src/testing';
import { statusOf } from './statusOf';

/** ValidatePodUpdate: what a pod update may change (images, a lower deadline, added tolerations, removed gates). */
describe('apiserver: pod updates as ValidatePodUpdate allows them', () => {
  const base = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: { terminationGracePeriodSeconds: 30, activeDeadlineSeconds: 600, schedulingGates: [{ name: 'wait' }],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }], containers: [{ name: 'c', image: 'nginx:1.26' }] } });
  const setup = () => {
    const cp = newTestControlPlane();
    cp.api.create(R.pods, 'default', base() as any);
    const update = (f: (spec: any) => void) => {
      const p = structuredClone(cp.api.get(R.pods, 'default', 'p'));
      f(p.spec);
      return () => cp.api.update(R.pods, 'default', p);
    };
    return { cp, update };
  };

  it('allows a new image, a lower deadline, an added toleration, a toleration\'s seconds and a removed gate', () => {
    const { update } = setup();
    update((s) => {
      s.containers[0].image = 'nginx:1.27';
      s.activeDeadlineSeconds = 300;
      s.tolerations[0].tolerationSeconds = 10;
      s.tolerations.push({ key: 'other', operator: 'Exists' });
      s.schedulingGates = [];
    })();
  });

  it('a gated pod is born with PodScheduled False, SchedulingGated (kubectl STATUS SchedulingGated); the scheduler takes it once the gates are gone', () => {
    const pg = newTestPlayground();
    try {
      const p = pg.api.create(R.pods, 'default', base() as any).object;
      assert.deepStrictEqual(p.status.conditions, [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null,
        reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }]);
      pg.advance(5_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'p').spec.nodeName, undefined);
      const cur = structuredClone(pg.api.get(R.pods, 'default', 'p'));
      cur.spec.schedulingGates = [];
      pg.api.update(R.pods, 'default', cur);
      pg.advance(5_000);
      const after = pg.api.get(R.pods, 'default', 'p');
      assert.ok(after.spec.nodeName);
      assert.strictEqual(after.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
    } finally {
      pg.close();
    }
  });

  it('refuses the rest in upstream\'s words', () => {
    const { update } = setup();
    const msg = (f: (spec: any) => void) => statusOf(update(f)).message;
    assert.match(msg((s) => { s.terminationGracePeriodSeconds = 10; }), /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than /);
    assert.strictEqual(msg((s) => { s.schedulingGates.push({ name: 'x' }); }), 'Pod "p" is invalid: spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate \'x\'');
    assert.strictEqual(msg((s) => { s.tolerations[0].effect = 'NoSchedule'; delete s.tolerations[0].tolerationSeconds; }), 'Pod "p" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds');
    assert.strictEqual(msg((s) => { s.activeDeadlineSeconds = 900; }), 'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value');
    assert.strictEqual(msg((s) => { delete s.activeDeadlineSeconds; }), 'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value');
  });
});
