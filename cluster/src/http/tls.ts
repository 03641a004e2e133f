/**
 * The playground's certificate authority and serving certificate.
 *
 * kubectl only sends a bearer token over TLS, so HTTPS is not optional. The
 * certificates are made once with the system's `openssl` (never hand-rolled
 * X.509) and kept in the state folder, so a kubeconfig written yesterday still
 * trusts the server today.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { issueCertificate, privateKeyPem, randomSerial, rsaKeyPair } from '../auth/x509';

export interface TlsMaterial {
  caCert: string;
  /** The CA's key: the controller-manager signs CertificateSigningRequests with it, as kind's does. */
  caKey: string;
  cert: string;
  key: string;
}

const DEFAULT_HOSTS = ['127.0.0.1', 'localhost'];

/** The subjectAltName list the serving certificate must carry for `address`. */
export function servingHosts(address?: string): string[] {
  const hosts = [...DEFAULT_HOSTS];
  if (address && address !== '0.0.0.0' && address !== '::' && !hosts.includes(address)) hosts.push(address);
  return hosts;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  } catch (err: any) {
    if (err && err.code === 'ENOENT') {
      throw new Error('kubeplay needs the `openssl` command to create its TLS certificates; install it (e.g. apt-get install openssl)');
    }
    const stderr = err?.stderr ? String(err.stderr) : '';
    throw new Error(`openssl ${args[0]} failed: ${stderr || err?.message}`);
  }
}

function sanLine(hosts: string[]): string {
  return hosts.map((h) => (net.isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
}

/**
 * Loads the CA and serving certificate from `dir/tls`, creating what is
 * missing. The serving certificate is re-issued (by the same CA) when it does
 * not cover every host in `hosts`, so `--address` changes keep old kubeconfigs valid.
 */
export function ensureTls(dir: string, hosts: string[] = DEFAULT_HOSTS): TlsMaterial {
  const tlsDir = path.join(dir, 'tls');
  fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const f = (n: string) => path.join(tlsDir, n);
  if (!fs.existsSync(f('ca.crt')) || !fs.existsSync(f('ca.key'))) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=kubeplay-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], tlsDir);
    for (const n of ['server.crt', 'server.key', 'server.hosts']) fs.rmSync(f(n), { force: true });
  }
  const have = fs.existsSync(f('server.hosts')) ? fs.readFileSync(f('server.hosts'), 'utf8').trim() : '';
  const covered = have.split(',').filter(Boolean);
  const needsServing = !fs.existsSync(f('server.crt')) || !fs.existsSync(f('server.key')) || hosts.some((h) => !covered.includes(h));
  if (needsServing) {
    const all = [...new Set([...covered, ...hosts])].sort();
    fs.writeFileSync(f('server.ext'), [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${sanLine(all)}`,
      '',
    ].join('\n'));
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kubeplay-apiserver'], tlsDir);
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '0x' + randomSerial().toString('hex'),
      '-out', 'server.crt', '-days', '825', '-extfile', 'server.ext'], tlsDir);
    fs.rmSync(f('server.csr'), { force: true });
    fs.writeFileSync(f('server.hosts'), all.join(',') + '\n');
  }
  for (const n of ['ca.key', 'server.key']) fs.chmodSync(f(n), 0o600);
  return {
    caCert: fs.readFileSync(f('ca.crt'), 'utf8'),
    caKey: fs.readFileSync(f('ca.key'), 'utf8'),
    cert: fs.readFileSync(f('server.crt'), 'utf8'),
    key: fs.readFileSync(f('server.key'), 'utf8'),
  };
}

let fakeCert: { cert: string; key: string } | undefined;

/**
 * ingress-nginx's default certificate, served for hosts no Ingress has a TLS
 * Secret for: self-signed, "Kubernetes Ingress Controller Fake Certificate"
 * of "Acme Co" for ingress.local, made afresh as the controller makes it at
 * each start (here: once per process, in memory, with node:crypto).
 */
export function ingressFakeCertificate(): { cert: string; key: string } {
  if (fakeCert) return fakeCert;
  // RSA 2048, as the controller's own (an EC default certificate also stops Node's SNI switch to an Ingress's RSA one).
  const { publicKey, privateKey } = rsaKeyPair();
  const now = Date.now();
  const name = { organization: 'Acme Co', commonName: 'Kubernetes Ingress Controller Fake Certificate' };
  const cert = issueCertificate({ subject: name, issuer: name, publicKey, signingKey: privateKey, serial: randomSerial(),
    notBefore: now, notAfter: now + 365 * 86_400_000, ca: false, dnsNames: ['ingress.local'] });
  return (fakeCert = { cert, key: privateKeyPem(privateKey) });
}

