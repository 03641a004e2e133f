import * as assert from 'assert';
import { from } from '../../../server/src/service/settings';

describe('server/settings', () => {
  it('defaults to the schema version and no overrides', () => {
    assert.deepStrictEqual(from(undefined, '1.34'), { kubernetesVersion: '1.34', lint: {} });
    assert.deepStrictEqual(from('junk', '1.34'), { kubernetesVersion: '1.34', lint: {} });
  });
  it('cleans versions and severities', () => {
    assert.strictEqual(from({ kubernetesVersion: 'v1.22.3' }, '1.34').kubernetesVersion, '1.22');
    assert.strictEqual(from({ kubernetesVersion: 1.3 }, '1.34').kubernetesVersion, '1.3');
    assert.strictEqual(from({ kubernetesVersion: 'latest' }, '1.34').kubernetesVersion, '1.34');
    assert.deepStrictEqual(from({ lint: { a: 'Error', b: 'info', c: 'off', d: 'loud', e: 3 } }, '1.34').lint, { a: 'error', b: 'information', c: 'off' });
  });
});
