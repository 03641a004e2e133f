/**
 * pods/binding's own check of its target (ValidatePodBinding), whose errors BindingREST.Create returns as a plain
 * aggregate rather than an API status.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from './statusOf';

const pod = (name: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { schedulerName: 'by-hand', containers: [{ name: 'c', image: 'nginx' }] },
}) as KObject;

describe('cluster/apiserver: pods/binding target', () => {
  it('answers ValidatePodBinding\'s errors as BindingREST.Create returns them: an aggregate, so a 500 with no reason', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('loose'));
      const body = (target: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'loose' }, target }) as KObject;
      const s = statusOf(() => pg.api.create(R.pods, 'default', body({ kind: 'Node' }), {}, 'binding', 'loose'));
      assert.deepStrictEqual([s.code, s.reason, s.message, s.details], [500, undefined, 'target.name: Required value', undefined]);
      const both = statusOf(() => pg.api.create(R.pods, 'default', body({ kind: 'Pod' }), {}, 'binding', 'loose'));
      assert.strictEqual(both.message, '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]');
      assert.strictEqual(statusOf(() => pg.api.create(R.pods, 'default', body({ kind: 'Pod', name: 'kubeplay-worker' }), {}, 'binding', 'loose')).code, 500);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'loose').spec.nodeName, undefined);
    } finally {
      pg.close();
    }
  });
});
