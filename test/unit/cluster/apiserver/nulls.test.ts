import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * A stray `-` in YAML sends a `null` list element. Go's decoder makes it the
 * element type's zero value, which validation then judges; the playground
 * does the same, so nothing downstream ever sees a null where a struct goes.
 */
describe('apiserver: null list elements decode to zero values', () => {
  it('refuses a pod whose containers or volumes hold a null, as the zero struct fails validation; the cluster keeps running', () => {
    const pg = new KubePlayground({ seed: 1, nodes: 1 });
    try {
      const create = (spec: any) => pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec } as KObject);
      assert.throws(() => create({ volumes: [null], containers: [{ name: 'a', image: 'nginx' }] }), (e: any) => e.status.message === 'Pod "p" is invalid: spec.volumes[0].name: Required value');
      assert.throws(() => create({ containers: [null] }), (e: any) => e.status.message === 'Pod "p" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value]');
      const ok = create({ containers: [{ name: 'a', image: 'nginx', args: ['x', null] }] });
      assert.deepEqual(ok.object.spec.containers[0].args, ['x', ''], 'a null string is the empty string');
      assert.doesNotThrow(() => pg.advance(5_000));
    } finally {
      pg.close();
    }
  });
});
