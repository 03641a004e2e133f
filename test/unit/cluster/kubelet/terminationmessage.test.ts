import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * Termination messages, as the kubelet's runtime manager reads them when a container exits: the file at
 * terminationMessagePath (the documentation's "Determine the Reason for Pod Failure" task), or under
 * FallbackToLogsOnError the end of a failed container's log.
 */
describe('kubelet: termination messages', () => {
  let pg: KubePlayground;
  afterEach(() => pg?.close());
  const run = (container: Record<string, unknown>, ms = 30_000) => {
    pg = newTestPlayground();
    pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tm' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', ...container }] } } as KObject);
    pg.advance(ms);
    return pg.api.get(R.pods, 'default', 'tm').status.containerStatuses[0].state.terminated;
  };

  it('reads what the container wrote to /dev/termination-log, as the documentation\'s example shows', () => {
    const t = run({ image: 'debian', command: ['/bin/sh'], args: ['-c', 'sleep 10 && echo Sleep expired > /dev/termination-log'] });
    assert.equal(t.reason, 'Completed');
    assert.equal(t.message, 'Sleep expired\n');
    // Another path, and only its last 4 KiB.
    const long = run({ image: 'busybox:1.36', command: ['sh', '-c', 'for i in $(seq 0 299); do echo "line $i of the reason"; done > /tmp/why; exit 2'], terminationMessagePath: '/tmp/why' });
    assert.equal(long.exitCode, 2);
    assert.equal(Buffer.byteLength(long.message), 4096);
    assert.ok(long.message.endsWith('line 299 of the reason\n'));
  });

  it('falls back to the end of a failed container\'s log under FallbackToLogsOnError, and only then', () => {
    const failed = run({ image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; echo "error: config missing" >&2; exit 3'], terminationMessagePolicy: 'FallbackToLogsOnError' });
    assert.equal(failed.message, 'starting\nerror: config missing\n');
    // A file wins over the log; a container that succeeded gets no message; the default policy (File) reads no log.
    assert.equal(run({ image: 'busybox:1.36', command: ['sh', '-c', 'echo written > /dev/termination-log; echo log; exit 1'], terminationMessagePolicy: 'FallbackToLogsOnError' }).message, 'written\n');
    assert.equal(run({ image: 'busybox:1.36', command: ['sh', '-c', 'echo fine'], terminationMessagePolicy: 'FallbackToLogsOnError' }).message, undefined);
    assert.equal(run({ image: 'busybox:1.36', command: ['sh', '-c', 'echo bad; exit 1'] }).message, undefined);
    // The last 80 lines, at most 2 KiB.
    const script = (words: string) => `for i in $(seq 0 199); do echo "log line number $i${words}"; done; exit 1`;
    const eighty = run({ image: 'busybox:1.36', command: ['sh', '-c', script('')], terminationMessagePolicy: 'FallbackToLogsOnError' }).message;
    assert.equal(eighty.split('\n').filter(Boolean).length, 80);
    assert.ok(eighty.startsWith('log line number 120\n') && eighty.endsWith('log line number 199\n'));
    const capped = run({ image: 'busybox:1.36', command: ['sh', '-c', script(', with a few more words')], terminationMessagePolicy: 'FallbackToLogsOnError' }).message;
    assert.equal(Buffer.byteLength(capped), 2048);
    assert.ok(capped.endsWith('log line number 199, with a few more words\n'));
  });

  it('cuts each message to an even share of 12 KiB over the pod\'s containers, as the status manager does', () => {
    pg = newTestPlayground();
    // Four containers each leave 4 KiB: 12288 / 4 = 3072 bytes of each reach the status.
    const writer = (name: string) => ({ name, image: 'busybox:1.36', command: ['sh', '-c', 'for i in $(seq 0 299); do echo "line $i of the reason"; done > /dev/termination-log; exit 1'] });
    pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'four' }, spec: { restartPolicy: 'Never', containers: ['a', 'b', 'c', 'd'].map(writer) } } as KObject);
    pg.advance(30_000);
    const statuses = pg.api.get(R.pods, 'default', 'four').status.containerStatuses;
    assert.deepEqual(statuses.map((s: any) => Buffer.byteLength(s.state.terminated.message)), [3072, 3072, 3072, 3072]);
    // The file's last 4 KiB, then the share's first 3 KiB of those.
    assert.ok(statuses[0].state.terminated.message.startsWith('n\nline 122 of the reason\n'));
    assert.ok(!statuses[0].state.terminated.message.endsWith('line 299 of the reason\n'));
  });
});
