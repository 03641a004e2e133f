/**
 * ConfigMap, Secret and projected volumes as the kubelet's atomic writer lays
 * them out: the files, with their modes, in a hidden timestamped folder,
 * `..data` linking to it and each key a link `name -> ..data/name`, as
 * busybox `ls` shows them on a node (the Secrets concept page's walkthrough).
 */
import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { Disks } from '../../../../cluster/src/kubelet/disk';
import { writeAtomic } from '../../../../cluster/src/kubelet/atomicwriter';

const YAML = `apiVersion: v1
kind: ConfigMap
metadata: {name: vol-cm}
data: {level: debug, lvl: info}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: vols}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, infinity]
    volumeMounts: [{name: cm, mountPath: /etc/config}, {name: items, mountPath: /etc/items}, {name: sec, mountPath: /etc/secret}]
  volumes:
  - {name: cm, configMap: {name: vol-cm, defaultMode: 0400}}
  - {name: items, configMap: {name: vol-cm, items: [{key: lvl, path: lvl, mode: 0777}, {key: level, path: conf/level}]}}
  - {name: sec, secret: {secretName: app-secret, defaultMode: 0440}}
`;

function run(pg: KubePlayground, line: string) {
  return new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', 'vols'), 'c')).run(line);
}

/** `Mon dd hh:mm` as busybox prints a recent time. */
const DATE = '[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d';
const TS = '\\.\\.\\d{4}_\\d\\d_\\d\\d_\\d\\d_\\d\\d_\\d\\d\\.\\d{1,10}';

describe('config volumes in the atomic writer\'s layout', () => {
  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
    pg.apply(YAML);
    pg.advance(30_000);
  });
  afterEach(() => pg.close());

  it('lists the timestamped folder, the ..data link and one link per key, with the files\' modes behind them', () => {
    const la = run(pg, 'ls -la /etc/config').stdout.split('\n');
    assert.equal(la[0], 'total 12');
    assert.match(la[3], new RegExp(`^drwxr-xr-x    2 root     root          4096 ${DATE} ${TS}$`));
    const ts = la[3].split(' ').pop()!;
    assert.match(la[4], new RegExp(`^lrwxrwxrwx    1 root     root            ${ts.length} ${DATE} \\.\\.data -> ${ts.replace(/\./g, '\\.')}$`));
    assert.match(la[5], new RegExp(`^lrwxrwxrwx    1 root     root            12 ${DATE} level -> \\.\\.data/level$`));
    assert.match(la[6], new RegExp(`^lrwxrwxrwx    1 root     root            10 ${DATE} lvl -> \\.\\.data/lvl$`));
    assert.equal(run(pg, 'ls /etc/config').stdout, 'level\nlvl\n', 'without -a only the keys show');
    assert.equal(run(pg, 'cat /etc/config/level').stdout, 'debug');
    // ls -l of the link itself (busybox does not follow it with -l); with a slash, what it points to.
    assert.match(run(pg, 'ls -l /etc/config/..data').stdout, new RegExp(`^lrwxrwxrwx .* /etc/config/\\.\\.data -> ${TS}\\n$`));
    assert.match(run(pg, 'ls -l /etc/config/..data/').stdout, new RegExp(`^total 8\\n-r--------    1 root     root             5 ${DATE} level\\n-r--------    1 root     root             4 ${DATE} lvl\\n$`));
    // items: the item's mode, a nested path behind its top-level folder's link.
    assert.match(run(pg, 'ls -l /etc/items/..data/lvl').stdout, /^-rwxrwxrwx .* \/etc\/items\/\.\.data\/lvl\n$/);
    assert.match(run(pg, 'ls -la /etc/items').stdout, /lrwxrwxrwx .* conf -> \.\.data\/conf\n/);
    assert.match(run(pg, 'ls -l /etc/items/conf/level').stdout, /^-rw-r--r-- /);
  });

  it('walks the Secrets page\'s `cd /etc/foo/..data; ls -l` to the file\'s mode', () => {
    assert.match(run(pg, 'ls -la /etc/secret').stdout, /lrwxrwxrwx .* password -> \.\.data\/password\n$/);
    const r = run(pg, 'cd /etc/secret/..data; pwd; ls -l');
    assert.match(r.stdout, new RegExp(`^/etc/secret/\\.\\.data\\ntotal 4\\n-r--r-----    1 root     root             6 ${DATE} password\\n$`));
    assert.equal(run(pg, 'cat /etc/secret/password').stdout, 's3cret');
    assert.equal(run(pg, 'rm /etc/secret/password').stderr, "rm: can't remove '/etc/secret/password': Read-only file system\n");
  });

  it('gives the service-account volume the same layout', () => {
    const out = run(pg, 'ls -la /var/run/secrets/kubernetes.io/serviceaccount').stdout;
    for (const key of ['ca.crt', 'namespace', 'token']) assert.match(out, new RegExp(`lrwxrwxrwx .* ${key.replace('.', '\\.')} -> \\.\\.data/${key.replace('.', '\\.')}\\n`));
    assert.match(out, new RegExp(`\\.\\.data -> ${TS}\\n`));
    assert.equal(run(pg, 'cat /var/run/secrets/kubernetes.io/serviceaccount/namespace').stdout, 'default');
  });

  it('swaps ..data to a new timestamped folder at the sync after an update, and drops a removed key\'s link', () => {
    const before = run(pg, 'ls -a /etc/config').stdout.split('\n').find((l) => l.startsWith('..2'));
    const cm = pg.api.get(R.configmaps, 'default', 'vol-cm');
    pg.api.update(R.configmaps, 'default', { ...cm, data: { level: 'info', extra: 'x' } } as any);
    pg.advance(90_000);
    const names = run(pg, 'ls -a /etc/config').stdout.split('\n').filter(Boolean);
    const after = names.find((l) => l.startsWith('..2'));
    assert.ok(after && after !== before, `${before} -> ${after}`);
    assert.deepEqual(names.filter((n) => !n.startsWith('..2')), ['.', '..', '..data', 'extra', 'level']);
    assert.equal(run(pg, 'cat /etc/config/level').stdout, 'info');
  });

  it('keeps the links when the disks are saved and loaded', () => {
    const disks = new Disks();
    writeAtomic(disks.configVolume('u', 'v', true)!, [['a', 'x', 0o400]], Date.UTC(2026, 0, 2, 3, 4, 5), 'u/v');
    const again = new Disks();
    again.load(JSON.parse(JSON.stringify(disks.save())));
    const t = again.configVolume('u', 'v')!;
    const data = t.entries.get('..data') as any;
    assert.match(data.link, /^\.\.2026_01_02_03_04_05\.\d+$/);
    assert.equal((t.entries.get('a') as any).link, '..data/a');
    assert.equal((t.entries.get(`${data.link}/a`) as any).mode, 0o400);
  });
});

describe('config volumes follow their objects at the kubelet\'s sync, not at once', () => {
  it('shows a ConfigMap changed since the last sync only after the next one, however long nothing read the volume', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(YAML);
      pg.advance(30_000);
      assert.equal(run(pg, 'cat /etc/config/level').stdout, 'debug');
      // Nothing reads the volume for five minutes; then the ConfigMap changes, between two syncs.
      pg.advance(5 * 60_000 + 20_000);
      pg.api.patch(R.configmaps, 'default', 'vol-cm', 'merge', { data: { level: 'info' } });
      assert.equal(run(pg, 'cat /etc/config/level').stdout, 'debug', 'the last sync wrote the old value');
      // The next sync (a minute after the one before, counted from the pod's start) writes the new one.
      let waited = 0;
      while (run(pg, 'cat /etc/config/level').stdout === 'debug' && waited < 120_000) {
        pg.advance(5_000);
        waited += 5_000;
      }
      assert.ok(waited > 0 && waited <= 60_000, `shown after ${waited} ms`);
      assert.equal(run(pg, 'cat /etc/config/level').stdout, 'info');
    } finally {
      pg.close();
    }
  });
});
