/**
 * The load generator of the HTTP benchmark, run in a worker thread so the
 * client does not share the server's event loop (as kubectl would not).
 */
import type * as http from 'node:http';
import { threadCpuMs } from './threadCpu';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';

interface Target { url: string; token: string; ca: string }
const target = workerData as Target;
/**
 * The TLS settings are built once, as a real client builds its transport
 * once. Given as `ca`, the CA's PEM text would become part of the agent's
 * pool key, rebuilt and hashed several times per request.
 */
const secureContext = tls.createSecureContext({ ca: target.ca });
const agent = new https.Agent({ secureContext, keepAlive: true, maxSockets: 1, noDelay: true });
const base = new URL(target.url);
// An IPv6 host keeps its brackets in a URL but not in request options.
const hostname = base.hostname.replace(/^\[(.*)\]$/, '$1');
const hostHeader = base.host;
const bearer = `Bearer ${target.token}`;
const TIMEOUT_MS = 30_000;

/**
 * Requests in flight and when they were sent: one watchdog timer ends a
 * stuck one, instead of arming a socket timeout (two listeners and a timer)
 * per request. Sequential loops have at most one entry here.
 */
const inFlight = new Map<http.ClientRequest, number>();
let watchdog: NodeJS.Timeout | undefined;

function armWatchdog(): void {
  if (watchdog) return;
  watchdog = setInterval(() => {
    const now = performance.now();
    for (const [req, sent] of inFlight) if (now - sent > TIMEOUT_MS) req.destroy(new Error('timeout'));
    if (inFlight.size === 0) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  }, 1000);
  watchdog.unref();
}

/**
 * One HTTPS request on the keep-alive agent, as a plain client sends it:
 * host, port and path given as options (no URL parse per request), the
 * headers as a raw list (written as given, Host included, as a Go or curl
 * client writes them), and the body as one string, so Node writes headers
 * and body in one TLS record.
 */
function request(method: string, p: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = ['Host', hostHeader, 'Authorization', bearer, 'Accept', 'application/json', 'Content-Type', 'application/json'];
    if (payload !== undefined) headers.push('Content-Length', String(Buffer.byteLength(payload)));
    const req = https.request({ protocol: 'https:', hostname, port: base.port, path: p, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        inFlight.delete(req);
        resolve({ status: res.statusCode ?? 0, text: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8') });
      });
    });
    req.on('error', (err) => {
      inFlight.delete(req);
      reject(err);
    });
    inFlight.set(req, performance.now());
    armWatchdog();
    req.end(payload);
  });
}

function watch(p: string, onEvent: (e: any) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = https.request(target.url + p, { method: 'GET', agent: new https.Agent({ ca: target.ca }), headers: { authorization: `Bearer ${target.token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) onEvent(JSON.parse(line));
        }
      });
      res.on('error', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', (err: any) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
}


async function creates(ns: string, n: number, prefix = 'cm') {
  const cpu0 = threadCpuMs();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await request('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${i}` }, data: { i: String(i) } });
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
  }
  const ms = performance.now() - t0;
  const cpu1 = threadCpuMs();
  return { ms, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

async function latency(ns: string, n: number) {
  const sentAt = new Map<string, number>();
  const lat: number[] = [];
  let wake: (() => void) | undefined;
  const stop = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true`, (e) => {
    const name = e.object?.metadata?.name;
    const t = sentAt.get(name);
    if (e.type === 'ADDED' && t !== undefined) {
      lat.push(performance.now() - t);
      sentAt.delete(name);
      wake?.();
    }
  });
  for (let i = 0; i < n; i++) {
    const name = `lat-${i}`;
    const got = new Promise<void>((r) => (wake = r));
    sentAt.set(name, performance.now());
    const res = await request('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
    await Promise.race([got, new Promise((r) => setTimeout(r, 2000))]);
  }
  stop();
  return { lat };
}

const watchers: { stop: () => void; names: Set<string> }[] = [];
let events = 0;

async function startWatchers(count: number, p: string, label: string) {
  for (let i = 0; i < count; i++) {
    const names = new Set<string>();
    const stop = await watch(p, (e) => {
      events++;
      const o = e.object;
      if (o?.metadata?.labels?.[label]) names.add(`${o.metadata.namespace}/${o.metadata.name}`);
    });
    watchers.push({ stop, names });
  }
  return { started: watchers.length };
}

const handlers: Record<string, (m: any) => Promise<unknown> | unknown> = {
  request: (m) => request(m.method, m.path, m.body),
  creates: (m) => creates(m.ns, m.n, m.prefix),
  latency: (m) => latency(m.ns, m.n),
  startWatchers: (m) => startWatchers(m.count, m.path, m.label),
  watchCounts: () => ({ counts: watchers.map((w) => w.names.size), events }),
  stopWatchers: () => {
    for (const w of watchers) w.stop();
    watchers.length = 0;
    agent.destroy();
    return {};
  },
};

parentPort!.on('message', async (m: any) => {
  try {
    parentPort!.postMessage({ id: m.id, result: await handlers[m.cmd](m) });
  } catch (err: any) {
    parentPort!.postMessage({ id: m.id, error: String(err?.stack ?? err) });
  }
});
