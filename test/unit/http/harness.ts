/**
 * A served apiserver for the HTTP tests: the real semantic Api over a fresh
 * store (no controllers), behind the real HTTPS server, plus a tiny client.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiServer } from '../../../cluster/src/apiserver/api';
import { Store } from '../../../cluster/src/store/store';
import { SimClock } from '../../../cluster/src/runtime/clock';
import { SeededRand } from '../../../cluster/src/runtime/rand';
import { startApiHttpServer, type ApiHttpServer } from '../../../cluster/src/http/server';
import { ensureTls } from '../../../cluster/src/http/tls';
import { ensureToken } from '../../../cluster/src/http/kubeconfig';
import { getSchema } from '../../../kube/src/schema';

export interface Harness {
  server: ApiHttpServer;
  api: ApiServer;
  store: Store;
  token: string;
  ca: string;
  dir: string;
  request(method: string, p: string, opts?: { body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

let sharedDir: string | undefined;
/** One state folder (and so one openssl run) for the whole test process. */
export function stateDir(): string {
  if (!sharedDir) sharedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-http-'));
  return sharedDir;
}

export async function startHarness(): Promise<Harness> {
  const dir = stateDir();
  const tls = ensureTls(dir);
  const token = ensureToken(dir);
  const store = new Store();
  const clock = new SimClock(Date.parse('2026-01-01T00:00:00Z'));
  const api = new ApiServer({ store, clock, rand: new SeededRand(1) });
  const server = await startApiHttpServer({
    api, schema: getSchema().data, token, tls, settle: () => store.dispatch(), now: () => clock.now(),
    logs: () => ['line one', 'line two', 'line three'],
  });
  for (const ns of ['default', 'kube-system']) {
    try {
      api.create({ group: '', version: 'v1', resource: 'namespaces' }, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    } catch {
      /* the apiserver may create it itself */
    }
  }
  store.dispatch();
  const agent = new https.Agent({ ca: tls.caCert, keepAlive: true });
  const request: Harness['request'] = (method, p, opts = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const tok = opts.token === undefined ? token : opts.token;
      if (tok) headers.authorization = `Bearer ${tok}`;
      let payload: string | undefined;
      if (opts.body !== undefined) {
        payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] = headers['content-type'] ?? 'application/json';
      }
      const req = https.request(server.url + p, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  return {
    server, api, store, token, ca: tls.caCert, dir, request,
    close: async () => {
      agent.destroy();
      await server.close();
    },
  };
}

/**
 * A harness for one describe block: started before its tests, closed after.
 * The returned object forwards to it, so tests write `h.request(...)`.
 */
export function useHarness(): Harness {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });
  return new Proxy({} as Harness, { get: (_t, k) => (h as any)[k] });
}
