import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { checksLocalStorage, localStorageViolation, podEphemeralLimit } from '../../../../cluster/src/kubelet/eviction';
import { formatQty } from '../../../../kube/src/qty';

/** A shell loop appending 71-byte lines (3000 of them: 213,000 bytes) to `file`, then sleeping. */
const writer = (file: string, lines = 3000) => ['sh', '-c', `i=0; while [ $i -lt ${lines} ]; do echo 0123456789012345678901234567890123456789012345678901234567890123456789 >> ${file}; i=$((i+1)); done; sleep 3600`];
const pod = (name: string, spec: any): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } as KObject);
const eventsOf = (pg: ReturnType<typeof newTestPlayground>, name: string) =>
  [...pg.store.list('/events')].filter((e: any) => e.involvedObject.name === name).map((e: any) => `${e.type} ${e.reason}: ${e.message}`);

/** The eviction manager's local storage checks (localStorageEviction), which run on kind's kubelet. */
describe('kubelet: local ephemeral storage eviction', () => {
  it('evicts a pod whose container writes past its ephemeral-storage limit: Failed, Evicted, a Warning event, not restarted, kept', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('eph', { containers: [{ name: 'c', image: 'busybox', command: writer('/tmp/f'), resources: { limits: { 'ephemeral-storage': '100Ki' } } }] }));
      const get = () => pg.api.get(R.pods, 'default', 'eph');
      pg.runUntil(() => get().status?.phase === 'Failed', 60_000);
      // The check runs at the eviction manager's 10 s housekeeping.
      assert.ok(pg.clock.now() - Date.parse(get().status.startTime) <= 12_000);
      const st = get().status;
      assert.equal(st.reason, 'Evicted');
      // podEphemeralStorageLimitEviction comes before the container's own check, with upstream's trailing space.
      assert.equal(st.message, 'Pod ephemeral local storage usage exceeds the total limit of containers 100Ki. ');
      assert.ok(!(st.conditions ?? []).some((c: any) => c.type === 'DisruptionTarget'), 'local storage evictions set no DisruptionTarget');
      assert.ok(eventsOf(pg, 'eph').includes('Warning Evicted: Pod ephemeral local storage usage exceeds the total limit of containers 100Ki. '), eventsOf(pg, 'eph').join('\n'));
      pg.advance(60_000);
      const after = get();
      assert.equal(after.status.phase, 'Failed');
      assert.ok(after.status.containerStatuses[0].state.terminated);
      assert.equal(after.status.containerStatuses[0].restartCount, 0);
    } finally {
      pg.close();
    }
  });

  it("names the container when it alone is over its limit and the pod's total is not", () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('two', { containers: [
        { name: 'big', image: 'busybox', command: writer('/tmp/f', 2000), resources: { limits: { 'ephemeral-storage': '100Ki' } } },
        { name: 'idle', image: 'busybox', command: ['sleep', '3600'], resources: { limits: { 'ephemeral-storage': '1Mi' } } },
      ] }));
      const get = () => pg.api.get(R.pods, 'default', 'two');
      pg.runUntil(() => get().status?.phase === 'Failed', 60_000);
      assert.equal(get().status.message, 'Container big exceeded its local ephemeral storage limit "100Ki". ');
    } finally {
      pg.close();
    }
  });

  it('evicts a pod over its emptyDir sizeLimit once the volume stats cache has measured it', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('ed', {
        containers: [{ name: 'c', image: 'busybox', command: writer('/cache/f'), volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }],
        volumes: [{ name: 'cache', emptyDir: { sizeLimit: '100Ki' } }],
      }));
      const get = () => pg.api.get(R.pods, 'default', 'ed');
      pg.runUntil(() => get().status?.phase === 'Running', 60_000);
      pg.advance(20_000);
      // Written long ago, but the volume is only measured at the kubelet's next 1-minute pass.
      assert.equal(get().status.phase, 'Running');
      pg.runUntil(() => get().status?.phase === 'Failed', 200_000);
      assert.equal(get().status.reason, 'Evicted');
      assert.equal(get().status.message, 'Usage of EmptyDir volume "cache" exceeds the limit "100Ki". ');
      assert.ok(eventsOf(pg, 'ed').includes('Warning Evicted: Usage of EmptyDir volume "cache" exceeds the limit "100Ki". '));
    } finally {
      pg.close();
    }
  });

  it('leaves pods within their limits alone', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('ok', {
        containers: [{ name: 'c', image: 'busybox', command: writer('/cache/f', 500), resources: { limits: { 'ephemeral-storage': '1Mi' } }, volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }],
        volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Mi' } }],
      }));
      pg.advance(200_000);
      const st = pg.api.get(R.pods, 'default', 'ok').status;
      assert.equal(st.phase, 'Running');
      assert.equal(st.reason, undefined);
    } finally {
      pg.close();
    }
  });

  it('a ReplicaSet replaces its evicted pod, which stays as a Failed object', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create({ group: 'apps', version: 'v1', resource: 'replicasets' }, 'default', {
        apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'w' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: {
          containers: [{ name: 'c', image: 'busybox', command: writer('/tmp/f'), resources: { limits: { 'ephemeral-storage': '100Ki' } } }] } } },
      } as KObject);
      const pods = () => pg.api.list(R.pods, 'default').items as KObject[];
      pg.runUntil(() => pods().some((p) => p.status?.reason === 'Evicted') && pods().length >= 2, 60_000);
      pg.advance(3_000);
      const evicted = pods().filter((p) => p.status?.reason === 'Evicted');
      assert.ok(evicted.length >= 1);
      assert.ok(evicted.every((p) => p.status.phase === 'Failed' && !p.metadata.deletionTimestamp));
      assert.ok(pods().some((p) => p.status?.phase !== 'Failed'), 'a replacement was created');
    } finally {
      pg.close();
    }
  });

  it('checks no pod without an ephemeral-storage limit or a sizeLimit', () => {
    assert.equal(checksLocalStorage(pod('a', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] })), false);
    assert.equal(checksLocalStorage(pod('b', { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'v', emptyDir: {} }] })), false);
    assert.equal(checksLocalStorage(pod('c', { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Gi' } }] })), true);
  });

  it("adds up the pod's limit as PodLimits does: containers and sidecars, or an init container when more", () => {
    const lim = (q: string) => ({ resources: { limits: { 'ephemeral-storage': q } } });
    const total = (spec: any) => { const q = podEphemeralLimit(pod('p', spec)); return q && formatQty(q); };
    assert.equal(total({ containers: [{ name: 'a', ...lim('100Ki') }, { name: 'b', ...lim('100Ki') }, { name: 'c' }] }), '200Ki');
    assert.equal(total({ initContainers: [{ name: 's', restartPolicy: 'Always', ...lim('1Mi') }], containers: [{ name: 'a', ...lim('1Mi') }] }), '2Mi');
    assert.equal(total({ initContainers: [{ name: 'i', ...lim('5Mi') }], containers: [{ name: 'a', ...lim('1Mi') }] }), '5Mi');
    assert.equal(total({ containers: [{ name: 'a' }] }), undefined);
    // Usage equal to the limit is not over it.
    const p = pod('p', { containers: [{ name: 'a', ...lim('1Ki') }] });
    assert.equal(localStorageViolation(p, new Map([['a', 1024]]), undefined), undefined);
    assert.equal(localStorageViolation(p, new Map([['a', 1025]]), undefined), 'Pod ephemeral local storage usage exceeds the total limit of containers 1Ki. ');
  });
});
