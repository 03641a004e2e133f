import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { informerFor } from '../../../../cluster/src/runtime/informer';
import { contextAs, controllerActor, SCHEDULER_ACTOR } from '../../../../cluster/src/auth/identities';

/**
 * Components write as their own users through a wrapped Api (identities.ts), and still share one informer per
 * resource: a wrapper of its own per component once made every controller list and cache every pod again.
 */
describe('runtime: informers shared across components that write as different users', () => {
  it('gives a wrapped context the informer of the Api it wraps', () => {
    const cp = newTestControlPlane();
    const base = informerFor(cp.ctx, R.pods);
    const rs = contextAs(cp.ctx, controllerActor('replicaset-controller'));
    const sched = contextAs(rs, SCHEDULER_ACTOR);
    assert.notStrictEqual(rs.api, cp.ctx.api);
    assert.strictEqual(informerFor(rs, R.pods), base);
    assert.strictEqual(informerFor(sched, R.pods), base);
  });
});
