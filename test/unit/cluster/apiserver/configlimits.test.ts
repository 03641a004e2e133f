import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from './statusOf';

/**
 * ConfigMaps and Secrets as ValidateConfigMap(Update) and ValidateSecret(Update) keep them (review 30): an immutable
 * object stays immutable, a Secret's type never changes, and the values may total 1 MiB.
 */
describe('ConfigMap and Secret limits', () => {
  const cm = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'imm' }, ...extra }) as KObject;

  it('keeps an immutable ConfigMap immutable: turning it off is refused before the data change', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.configmaps, 'default', cm({ immutable: true, data: { a: '1' } }));
    const off = statusOf(() => cp.api.patch(R.configmaps, 'default', 'imm', 'merge', { immutable: false }));
    assert.strictEqual(off.message, 'ConfigMap "imm" is invalid: immutable: Forbidden: field is immutable when `immutable` is set');
    const both = statusOf(() => cp.api.patch(R.configmaps, 'default', 'imm', 'json', [{ op: 'remove', path: '/immutable' }, { op: 'replace', path: '/data/a', value: '3' }]));
    assert.strictEqual(both.message, 'ConfigMap "imm" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, data: Forbidden: field is immutable when `immutable` is set]');
    assert.strictEqual(cp.api.get(R.configmaps, 'default', 'imm').data.a, '1');
  });

  it('refuses a change of a Secret\'s type, immutable or not', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mix' }, stringData: { a: '1' } } as KObject);
    // An empty type is Opaque, as SetDefaults_Secret makes it: an update that leaves it so is no change of type.
    cp.api.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty' }, type: '', stringData: { a: '1' } } as KObject);
    assert.strictEqual(cp.api.get(R.secrets, 'default', 'empty').type, 'Opaque');
    cp.api.patch(R.secrets, 'default', 'empty', 'merge', { type: '', stringData: { b: '2' } });
    const e = statusOf(() => cp.api.patch(R.secrets, 'default', 'mix', 'merge', { type: 'example.com/x' }));
    assert.strictEqual(e.message, 'Secret "mix" is invalid: type: Invalid value: "example.com/x": field is immutable');
  });

  it('refuses values over 1 MiB in total: the whole ConfigMap ([]), a Secret\'s data', () => {
    const cp = newTestControlPlane();
    const big = 'a'.repeat(1_100_000);
    const c = statusOf(() => cp.api.create(R.configmaps, 'default', cm({ metadata: { name: 'big' }, data: { 'big.txt': big } })));
    assert.strictEqual(c.message, 'ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes');
    const s = statusOf(() => cp.api.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bigs' }, data: { 'big.txt': Buffer.from(big).toString('base64') } } as KObject));
    assert.strictEqual(s.message, 'Secret "bigs" is invalid: data: Too long: may not be more than 1048576 bytes');
    // Exactly 1 MiB is allowed, counted in bytes (a two-byte character counts twice).
    cp.api.create(R.configmaps, 'default', cm({ metadata: { name: 'edge' }, data: { a: 'é'.repeat(512 * 1024) } }));
  });
});
