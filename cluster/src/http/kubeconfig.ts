/**
 * The bearer token and the kubeconfig that hands it, with the CA, to kubectl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Reads the token kept in the state folder, or makes a new 256-bit one. */
export function ensureToken(dir: string): string {
  const file = path.join(dir, 'token');
  if (fs.existsSync(file)) {
    const t = fs.readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(t)) return t;
  }
  const token = randomBytes(32).toString('hex');
  fs.mkdirSync(dir, { recursive: true });
  writePrivate(file, token + '\n');
  return token;
}

/** The token's bytes, kept between requests: a server checks every request against the same token. */
let expected: { token: string; bytes: Buffer } | undefined;

/** Constant-time check of an `Authorization` header against the token. */
/**
 * The bearer token of an Authorization header, as the apiserver's bearertoken authenticator reads it: the trimmed
 * header split on single spaces, `Bearer` (any case) then the token; a second space before it leaves it empty,
 * which authenticates nobody.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer' || parts[1] === '') return undefined;
  return parts[1];
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = bearerToken(header);
  if (given === undefined) return false;
  if (expected?.token !== token) expected = { token, bytes: Buffer.from(token) };
  const a = Buffer.from(given);
  return a.length === expected.bytes.length && timingSafeEqual(a, expected.bytes);
}

export interface KubeconfigInput {
  server: string;
  caCert: string;
  token: string;
  namespace?: string;
}

/** A kubeconfig with one cluster, one user and the context `kubeplay`. JSON is valid YAML, and kubectl reads it as is. */
export function renderKubeconfig(k: KubeconfigInput): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: 'kubeplay', cluster: { server: k.server, 'certificate-authority-data': Buffer.from(k.caCert).toString('base64') } }],
    users: [{ name: 'kubeplay', user: { token: k.token } }],
    contexts: [{ name: 'kubeplay', context: { cluster: 'kubeplay', user: 'kubeplay', namespace: k.namespace ?? 'default' } }],
    'current-context': 'kubeplay',
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function writeKubeconfig(file: string, k: KubeconfigInput): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writePrivate(file, renderKubeconfig(k));
}

/** Writes with mode 0600 even when the file already existed with a wider mode. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
