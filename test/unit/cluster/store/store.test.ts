import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Store, type ChangeRecord } from '../../../../cluster/src/store/store';
import { loadSnapshot, saveSnapshot, STATE_FILE } from '../../../../cluster/src/store/persist';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';

const cm = (name: string, ns = 'default', data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });

describe('cluster store', () => {
  it('gives every write a cluster-wide, increasing resourceVersion', () => {
    const s = new Store();
    const a = s.put('/configmaps', cm('a') as any);
    const b = s.put('apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b', namespace: 'default' } });
    const a2 = s.put('/configmaps', { ...a, metadata: { ...a.metadata }, data: { x: '1' } });
    const revs = [a, b, a2].map((o) => Number(o.metadata.resourceVersion));
    assert.ok(revs[0] < revs[1] && revs[1] < revs[2], String(revs));
    assert.ok(Object.isFrozen(a2) && Object.isFrozen(a2.metadata));
  });

  it('freezes the metadata of an object handed over frozen but for it', () => {
    const s = new Store();
    const o = s.put('/configmaps', Object.freeze({ ...cm('a'), metadata: { name: 'a', namespace: 'default', labels: { x: '1' } } }) as any);
    assert.strictEqual(o.metadata.resourceVersion, String(s.rev));
    assert.ok(Object.isFrozen(o.metadata) && Object.isFrozen(o.metadata.labels));
  });

  it('delivers ADDED, MODIFIED, DELETED in order, only from dispatch, and resumes from a resourceVersion', () => {
    const s = new Store();
    const seen: string[] = [];
    s.watch('/configmaps', { lastRev: 0, deliver: (r: ChangeRecord) => seen.push(`${r.type} ${r.object.metadata.name} ${r.rev}`) }, s.rev);
    const a = s.put('/configmaps', cm('a') as any);
    s.put('/configmaps', { ...a, metadata: { ...a.metadata } });
    s.remove('/configmaps', 'default', 'a');
    assert.strictEqual(seen.length, 0);
    s.dispatch();
    assert.deepStrictEqual(seen.map((x: string) => x.split(' ').slice(0, 2).join(' ')), ['ADDED a', 'MODIFIED a', 'DELETED a']);
    const fromRev = Number(a.metadata.resourceVersion);
    const later: string[] = [];
    assert.strictEqual(s.watch('/configmaps', { lastRev: 0, deliver: (r) => later.push(r.type) }, fromRev), 'ok');
    s.dispatch();
    assert.deepStrictEqual(later, ['MODIFIED', 'DELETED']);
  });

  it('removes an object by name, or only the one of a given uid', () => {
    const s = new Store();
    const a = s.put('/configmaps', { ...cm('a'), metadata: { name: 'a', namespace: 'default', uid: 'u1' } } as any);
    const rev = s.rev;
    assert.strictEqual(s.remove('/configmaps', 'default', 'a', 'u0'), undefined);
    assert.strictEqual(s.get('/configmaps', 'default', 'a'), a);
    assert.strictEqual(s.rev, rev, 'a refused removal changes nothing');
    assert.strictEqual(s.remove('/configmaps', 'default', 'a', 'u1')?.metadata.uid, 'u1');
    assert.strictEqual(s.get('/configmaps', 'default', 'a'), undefined);
    s.put('/configmaps', cm('b') as any);
    assert.strictEqual(s.remove('/configmaps', 'default', 'b')?.metadata.name, 'b');
  });

  it('finds objects by uid, pods too once a lookup first misses the others', () => {
    const s = new Store();
    const pod = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid } }) as any;
    s.put('/configmaps', { ...cm('a'), metadata: { name: 'a', namespace: 'default', uid: 'c1' } } as any);
    s.put('/pods', pod('p1', 'p1-uid'));
    s.put('/pods', pod('gone', 'gone-uid'));
    s.remove('/pods', 'default', 'gone');
    assert.strictEqual(s.byUid('c1')?.metadata.name, 'a');
    assert.strictEqual(s.byUid('p1-uid')?.metadata.name, 'p1');
    assert.strictEqual(s.byUid('gone-uid'), undefined);
    // From here on the pods' map is kept as they come and go.
    s.put('/pods', pod('p2', 'p2-uid'));
    s.remove('/pods', 'default', 'p1');
    assert.deepStrictEqual(s.uids.get('p2-uid'), { table: '/pods', namespace: 'default', name: 'p2' });
    assert.strictEqual(s.byUid('p1-uid'), undefined);
    assert.strictEqual(s.byUid('nobody'), undefined);
  });

  it('answers gone for a resourceVersion older than the kept history', () => {
    const s = new Store({ historyPerResource: 10 });
    const first = s.put('/configmaps', cm('x0') as any);
    for (let i = 1; i < 40; i++) s.put('/configmaps', cm('x' + i) as any);
    assert.strictEqual(s.watch('/configmaps', { lastRev: 0, deliver: () => undefined }, Number(first.metadata.resourceVersion)), 'gone');
  });

  it('the apiserver turns a too-old watch into 410 Expired', () => {
    const cp = newTestControlPlane();
    const t = cp.store.table('/configmaps');
    t.compactedRev = cp.store.rev;
    assert.throws(
      () => cp.api.watch(R.configmaps, 'default', { resourceVersion: '1' }, () => undefined),
      (e: any) => e.status.code === 410 && e.status.reason === 'Expired' && /^too old resource version: 1 \(\d+\)$/.test(e.status.message),
    );
  });

  describe('persistence', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-store-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('saves atomically and restores objects, revision and time', () => {
      const s = new Store();
      s.put('/configmaps', cm('a', 'default', { k: 'v' }) as any);
      saveSnapshot(dir, { rev: s.rev, time: 1234, rand: 99, tables: s.snapshot() });
      assert.deepStrictEqual(fs.readdirSync(dir), [STATE_FILE]);
      const r = loadSnapshot(dir);
      assert.ok('snapshot' in r);
      const t = new Store();
      t.load(r.snapshot.rev, r.snapshot.tables);
      assert.strictEqual(t.rev, s.rev);
      assert.strictEqual(t.get('/configmaps', 'default', 'a')!.data.k, 'v');
      assert.strictEqual(r.snapshot.time, 1234);
    });

    it('moves a corrupt or malformed file aside instead of loading it', () => {
      fs.writeFileSync(path.join(dir, STATE_FILE), '{"format":"kubeplay-state","version":1,"rev":3,"time":0,"tables":{"/pods":[{"metadata":{}}]}}');
      const r = loadSnapshot(dir);
      assert.ok('corrupt' in r && /bad object/.test(r.corrupt));
      assert.ok(!fs.existsSync(path.join(dir, STATE_FILE)));
      fs.writeFileSync(path.join(dir, STATE_FILE), '{not json');
      const r2 = loadSnapshot(dir);
      assert.ok('corrupt' in r2);
      assert.ok('missing' in loadSnapshot(dir));
    });
  });
});
