import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { tmpfsSize } from '../../../../cluster/src/kubelet/tmpfs';

/**
 * A memory-backed emptyDir is a tmpfs of a size (pkg/volume/emptydir calculateEmptyDirMemorySize, setupTmpfs), and
 * busybox's dd with the container's /dev devices fills a volume or a disk.
 */
const run = (pg: KubePlayground, pod: string, line: string) => new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', pod), 'main')).run(line);

const pod = (name: string, volume: string, resources = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep, infinity]
    volumeMounts: [{name: cache, mountPath: /cache}]
${resources}
  volumes:
  - name: cache
    emptyDir: ${volume}
`;

describe('memory-backed emptyDir (tmpfs) and dd', () => {
  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
    pg.advance(10_000);
  });
  afterEach(() => pg.close());

  it('a write past sizeLimit fails with No space left on device; the file stops at the limit and the pod runs on', () => {
    pg.apply(pod('memdir', '{medium: Memory, sizeLimit: 100Ki}'));
    pg.advance(20_000);
    const line = 'x'.repeat(70);
    const r = run(pg, 'memdir', `i=0; while [ $i -lt 3000 ]; do echo ${line} >> /cache/f || break; i=$((i+1)); done; echo $i`);
    assert.equal(r.stderr, 'sh: write error: No space left on device\n');
    assert.equal(r.stdout, `${Math.floor(102400 / 71)}\n`);
    assert.equal(run(pg, 'memdir', 'wc -c /cache/f').stdout, '102400 /cache/f\n');
    // Full: dd reads its first block and cannot write it.
    const dd = run(pg, 'memdir', 'dd if=/dev/zero of=/cache/g bs=1k count=10');
    assert.equal(dd.code, 1);
    assert.match(dd.stderr, /^dd: error writing '\/cache\/g': No space left on device\n1\+0 records in\n0\+0 records out\n0 bytes \(0B\) copied, /);
    pg.advance(180_000);
    const p = pg.api.get(R.pods, 'default', 'memdir');
    assert.equal(p.status.phase, 'Running');
    assert.equal(p.status.containerStatuses[0].restartCount, 0);
  });

  it('without sizeLimit the tmpfs is the pod\'s memory limit, else the node\'s allocatable memory', () => {
    const alloc = { memory: '16Gi' };
    const p = (resources: any, sizeLimit?: string, extra: any[] = []) => ({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', resources }, ...extra], volumes: [{ name: 'v', emptyDir: { medium: 'Memory', ...(sizeLimit ? { sizeLimit } : {}) } }] },
    });
    const vol = (x: any) => x.spec.volumes[0];
    const size = (x: any) => tmpfsSize(x as any, vol(x), alloc);
    assert.equal(size(p({ limits: { memory: '64Mi' } })), 64 * 1024 * 1024);
    // The volume's own limit counts only when it is no more than what the pod may use.
    assert.equal(size(p({ limits: { memory: '64Mi' } }, '1Gi')), 64 * 1024 * 1024);
    assert.equal(size(p({ limits: { memory: '64Mi' } }, '1Mi')), 1024 * 1024);
    // A container without a memory limit leaves the pod's cgroup unbounded: the node's allocatable.
    assert.equal(size(p({ limits: { memory: '64Mi' } }, undefined, [{ name: 'b' }])), 16 * 1024 ** 3);
    assert.equal(size(p({ requests: { memory: '64Mi' } })), 16 * 1024 ** 3);
    // Both containers limited: the sum; a pod-level limit stands for the pod.
    assert.equal(size(p({ limits: { memory: '64Mi' } }, undefined, [{ name: 'b', resources: { limits: { memory: '32Mi' } } }])), 96 * 1024 * 1024);
    assert.equal(size({ ...p({}), spec: { ...p({}).spec, resources: { limits: { memory: '128Mi' } } } }), 128 * 1024 * 1024);
    // A disk-backed emptyDir is no tmpfs.
    assert.equal(tmpfsSize({ spec: {} } as any, { emptyDir: {} }, alloc), undefined);
  });

  it('dd fills a tmpfs bounded by the pod memory limit: records, bytes and the error as busybox prints them', () => {
    pg.apply(pod('lim', '{medium: Memory}', '    resources: {limits: {memory: 4Mi}}'));
    pg.advance(20_000);
    const r = run(pg, 'lim', 'dd if=/dev/zero of=/cache/big bs=1M count=6');
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n');
    assert.deepEqual(lines.slice(0, 3), ["dd: error writing '/cache/big': No space left on device", '5+0 records in', '4+0 records out']);
    assert.match(lines[3], /^4194304 bytes \(4\.0MB\) copied, \d+\.\d{6} seconds, \d+(\.\d)?[KMG]?B\/s$/);
    assert.equal(run(pg, 'lim', 'wc -c /cache/big').stdout, '4194304 /cache/big\n');
  });

  it('dd copies blocks and prints its status lines; /dev has the devices a containerd container has', () => {
    pg.apply(pod('d', '{}'));
    pg.advance(20_000);
    let r = run(pg, 'd', 'dd if=/dev/zero of=/cache/f bs=1M count=5');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^5\+0 records in\n5\+0 records out\n5242880 bytes \(5\.0MB\) copied, \d\.\d{6} seconds, [\d.]+[KMG]B\/s\n$/);
    assert.equal(run(pg, 'd', 'wc -c /cache/f').stdout, '5242880 /cache/f\n');
    r = run(pg, 'd', 'echo hello | dd of=/tmp/h bs=4 status=noxfer');
    assert.equal(r.stderr, '1+1 records in\n1+1 records out\n');
    assert.equal(run(pg, 'd', 'cat /tmp/h').stdout, 'hello\n');
    assert.equal(run(pg, 'd', 'dd if=/dev/urandom bs=100 count=3 status=none | wc -c').stdout, '300\n');
    assert.equal(run(pg, 'd', 'dd if=/nope of=/tmp/x').stderr, "dd: can't open '/nope': No such file or directory\n");
    assert.equal(run(pg, 'd', 'echo x > /dev/full').stderr, 'sh: write error: No space left on device\n');
    // tee to the process's own streams: /dev/stdout gets the input a second time, /dev/stderr once, as on a real shell.
    assert.deepEqual(run(pg, 'd', 'echo hi | tee /dev/stdout'), { stdout: 'hi\nhi\n', stderr: '', code: 0 });
    const both = run(pg, 'd', 'echo hi | tee /dev/stderr /tmp/t');
    assert.deepEqual([both.stdout, both.stderr, both.code], ['hi\n', 'hi\n', 0]);
    assert.equal(run(pg, 'd', 'cat /tmp/t').stdout, 'hi\n');
    assert.equal(run(pg, 'd', 'ls /dev').stdout.split(/\s+/).filter(Boolean).join(' '),
      'core fd full mqueue null ptmx pts random shm stderr stdin stdout termination-log tty urandom zero');
  });
});
