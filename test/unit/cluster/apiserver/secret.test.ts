import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';

describe('apiserver: Secret stringData', () => {
  it('merges stringData into base64 data over existing keys and stores no stringData, on create and on patch', () => {
    const cp = newTestControlPlane();
    const s = cp.api.create(R.secrets, 'default', {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' },
      data: { a: Buffer.from('old').toString('base64'), b: Buffer.from('keep').toString('base64') },
      stringData: { a: 'new', c: 'pässword' },
    } as any).object;
    assert.strictEqual(s.stringData, undefined);
    assert.deepStrictEqual(Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString('utf8')])), { a: 'new', b: 'keep', c: 'pässword' });
    const p = cp.api.patch(R.secrets, 'default', 's', 'merge', { stringData: { b: 'changed' } }).object;
    assert.strictEqual(p.stringData, undefined);
    assert.strictEqual(Buffer.from(p.data.b, 'base64').toString('utf8'), 'changed');
    assert.strictEqual(Buffer.from(p.data.a, 'base64').toString('utf8'), 'new');
  });
});
