/**
 * The extension's Apply (client/src/kube/api.ts Connection.apply) against a
 * served playground: what the user wrote reaches the server whole, including
 * fields that client-node's typed models rename (a LimitRange's `default`),
 * and dry runs change nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { Connection } from '../../client/src/kube/api';
import { ClusterStore } from '../../client/src/model/store';

describe('the extension\'s Apply against the playground', function () {
  this.timeout(60_000);
  let srv: RunningServer;
  let dir: string;
  let conn: Connection;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-apply-'));
    srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 1, speed: 40, seed: 4 });
    conn = await Connection.open({ file: srv.kubeconfigPath }, new ClusterStore(), () => undefined, () => undefined);
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a LimitRange\'s default limits as written (client-node\'s serializer drops them)', async () => {
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '300m' }, defaultRequest: { cpu: '150m' }, max: { cpu: '1' } }] } };
    const dry = await conn.apply(lr as any, true);
    assert.deepEqual(dry.spec.limits[0].default, { cpu: '300m' });
    await assert.rejects(conn.read({ apiVersion: 'v1', kind: 'LimitRange', resource: 'limitranges', namespace: 'default', name: 'defaults' }), /not found/);
    const out = await conn.apply(lr as any, false);
    assert.deepEqual(out.spec.limits[0].default, { cpu: '300m' });
    assert.equal(out.metadata.namespace, 'default');
    // Applying again is server-side apply's no-op, and a change lands.
    const again = await conn.apply({ ...lr, spec: { limits: [{ ...lr.spec.limits[0], default: { cpu: '400m' } }] } } as any, false);
    assert.deepEqual(again.spec.limits[0].default, { cpu: '400m' });
    assert.equal((again.metadata as any).managedFields?.[0]?.manager, 'kubeplay');
  });

  it('reports the server\'s refusal as an ApiError with its status', async () => {
    await assert.rejects(conn.apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'limits.pods': '1' } } } as any, false),
      (e: any) => e.code === 422 && /must be a standard resource for quota/.test(e.message));
  });
});
