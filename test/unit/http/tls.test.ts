import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureTls } from '../../../cluster/src/http/tls';
import { ensureToken, renderKubeconfig, tokenMatches, writeKubeconfig } from '../../../cluster/src/http/kubeconfig';

describe('http tls and kubeconfig', function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-tls-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes a CA and a serving certificate for 127.0.0.1 and localhost, signed by it, and keeps them', () => {
    const a = ensureTls(dir);
    const cert = new crypto.X509Certificate(a.cert);
    const ca = new crypto.X509Certificate(a.caCert);
    assert.ok(cert.verify(ca.publicKey), 'serving certificate is signed by the CA');
    assert.ok(ca.ca);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    const b = ensureTls(dir);
    assert.equal(b.cert, a.cert, 'the second start reuses the certificates');
    assert.equal(fs.statSync(path.join(dir, 'tls', 'ca.key')).mode & 0o777, 0o600);
  });

  it('re-issues the serving certificate from the same CA when another address is asked for', () => {
    const a = ensureTls(dir);
    const b = ensureTls(dir, ['127.0.0.1', 'localhost', '127.0.0.2']);
    assert.equal(b.caCert, a.caCert);
    assert.notEqual(b.cert, a.cert);
    assert.equal(new crypto.X509Certificate(b.cert).checkIP('127.0.0.2'), '127.0.0.2');
  });

  it('keeps a 256-bit token and checks it in constant time', () => {
    const t = ensureToken(dir);
    assert.match(t, /^[0-9a-f]{64}$/);
    assert.equal(ensureToken(dir), t);
    assert.ok(tokenMatches(`Bearer ${t}`, t));
    assert.ok(!tokenMatches(`Bearer ${t.slice(1)}x`, t));
    assert.ok(!tokenMatches(undefined, t));
    assert.ok(!tokenMatches(t, t));
  });

  it('writes a kubeconfig with mode 0600, context kubeplay and the CA as certificate-authority-data', () => {
    const file = path.join(dir, 'kc', 'config');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    writeKubeconfig(file, { server: 'https://127.0.0.1:1234', caCert: 'PEM', token: 'tok' });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const kc = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(kc['current-context'], 'kubeplay');
    assert.equal(kc.clusters[0].cluster['certificate-authority-data'], Buffer.from('PEM').toString('base64'));
    assert.equal(kc.users[0].user.token, 'tok');
    assert.equal(renderKubeconfig({ server: 's', caCert: 'c', token: 't' }).includes('"namespace": "default"'), true);
  });
});
