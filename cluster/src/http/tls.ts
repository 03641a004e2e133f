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
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';

export interface TlsMaterial {
  caCert: string;
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
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '0x' + randomSerial(),
      '-out', 'server.crt', '-days', '825', '-extfile', 'server.ext'], tlsDir);
    fs.rmSync(f('server.csr'), { force: true });
    fs.writeFileSync(f('server.hosts'), all.join(',') + '\n');
  }
  for (const n of ['ca.key', 'server.key']) fs.chmodSync(f(n), 0o600);
  return {
    caCert: fs.readFileSync(f('ca.crt'), 'utf8'),
    cert: fs.readFileSync(f('server.crt'), 'utf8'),
    key: fs.readFileSync(f('server.key'), 'utf8'),
  };
}

const fakeCerts = new Map<string, { cert: string; key: string }>();

/**
 * ingress-nginx's default certificate, served for hosts no Ingress has a TLS
 * Secret for: self-signed, "Kubernetes Ingress Controller Fake Certificate"
 * of "Acme Co" for ingress.local, as the controller makes it at start. Made
 * once with openssl and kept in `dir/tls` (a temporary folder without one).
 */
export function ingressFakeCertificate(dir?: string): { cert: string; key: string } {
  const base = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-ingress-'));
  const cached = fakeCerts.get(base);
  if (cached) return cached;
  const tlsDir = path.join(base, 'tls');
  fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const f = (n: string) => path.join(tlsDir, n);
  if (!fs.existsSync(f('ingress-fake.crt')) || !fs.existsSync(f('ingress-fake.key'))) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ingress-fake.key', '-out', 'ingress-fake.crt', '-days', '365',
      '-subj', '/O=Acme Co/CN=Kubernetes Ingress Controller Fake Certificate', '-addext', 'subjectAltName=DNS:ingress.local'], tlsDir);
    fs.chmodSync(f('ingress-fake.key'), 0o600);
  }
  const out = { cert: fs.readFileSync(f('ingress-fake.crt'), 'utf8'), key: fs.readFileSync(f('ingress-fake.key'), 'utf8') };
  fakeCerts.set(base, out);
  return out;
}

/** A positive 128-bit serial: the top bit clear so DER never reads it as negative. */
function randomSerial(): string {
  return randomBytes(16).toString('hex').replace(/^[89a-f]/, '1');
}
