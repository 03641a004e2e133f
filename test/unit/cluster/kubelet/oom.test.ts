import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { summarizePod } from '../../../../kube/src/printPod';

/** The documentation's "Exceed a Container's memory limit" example: the container is OOM-killed and restarted. */
describe('kubelet: the OOM killer', () => {
  it('OOM-kills a container that asks for more than its memory limit, then restarts it with back-off; one within it runs', () => {
    const pg = newTestPlayground();
    try {
      const pod = (name: string, bytes: string, limit: string) => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name },
        spec: { containers: [{ name: 'memory-demo-ctr', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'],
          resources: { requests: { memory: '50Mi' }, limits: { memory: limit } } }] },
      } as KObject);
      pod('memory-demo', '150M', '200Mi');
      pod('memory-demo-2', '250M', '100Mi');
      pg.advance(20_000);
      const demo2 = pg.api.get(R.pods, 'default', 'memory-demo-2');
      const st = demo2.status.containerStatuses[0];
      const last = st.lastState.terminated ?? st.state.terminated;
      assert.deepStrictEqual([last.reason, last.exitCode], ['OOMKilled', 137]);
      assert.ok(st.restartCount >= 1);
      pg.advance(20_000);
      assert.match(summarizePod(pg.api.get(R.pods, 'default', 'memory-demo-2')).reason, /^(OOMKilled|CrashLoopBackOff)$/);
      const ok = pg.api.get(R.pods, 'default', 'memory-demo').status.containerStatuses[0];
      assert.deepStrictEqual([ok.restartCount, !!ok.state.running], [0, true]);
    } finally {
      pg.close();
    }
  });
});
