/**
 * Requests from pods to the apiserver (`curl https://kubernetes.default.svc`
 * in a container): served by the same handlers as the HTTPS server's, through
 * an IncomingMessage and a ServerResponse made here, synchronously, since the
 * simulated shell runs its commands to the end at once. The handlers run
 * synchronously once a request's body is read (negotiate.ts bodyOf), so the
 * answer is whole when the call returns; a watch or a followed log is not,
 * and is closed after what it wrote first.
 */
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type * as http from 'node:http';
import type { PodApiAnswer, PodApiRequest } from '../network/apiserver';
import { setBody } from './negotiate';
import { sendStatus, toStatus } from './status';

/** Requests made by pods (served here, not by the HTTPS server). */
const fromPods = new WeakSet<http.IncomingMessage>();

/** Whether a request came from a pod, through the kubernetes Service. */
export const fromPod = (req: http.IncomingMessage) => fromPods.has(req);

/** What the request handlers read of an IncomingMessage. */
function incoming(r: PodApiRequest): http.IncomingMessage {
  const headers: Record<string, string | string[]> = {};
  const distinct: Record<string, string[]> = {};
  const raw: string[] = [];
  for (const [k, v] of r.headers) {
    const key = k.toLowerCase();
    raw.push(k, v);
    (distinct[key] ??= []).push(v);
    // Node joins repeated headers with a comma, but keeps set-cookie's apart and the first of a few single ones.
    const had = headers[key];
    if (had === undefined) headers[key] = v;
    else if (key === 'set-cookie') headers[key] = [...(had as string[]), v];
    else if (!['host', 'authorization', 'content-type', 'content-length', 'user-agent'].includes(key)) headers[key] = `${had}, ${v}`;
  }
  const socket = Object.assign(new EventEmitter(), {
    remoteAddress: r.remoteAddr, encrypted: true,
    setNoDelay: () => socket, setKeepAlive: () => socket, setTimeout: () => socket, destroy: () => socket,
  });
  return Object.assign(new EventEmitter(), {
    method: r.method, url: r.target, httpVersion: '2.0', headers, headersDistinct: distinct, rawHeaders: raw, socket, connection: socket,
    destroy: () => undefined,
  }) as unknown as http.IncomingMessage;
}

/** A ServerResponse that keeps what is written to it. */
class Recorded extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableEnded = false;
  writableLength = 0;
  readonly chunks: Buffer[] = [];
  private readonly heads = new Map<string, [string, string | number | string[]]>();

  setHeader(k: string, v: string | number | string[]): this { this.heads.set(k.toLowerCase(), [k, v]); return this; }
  getHeader(k: string) { return this.heads.get(k.toLowerCase())?.[1]; }
  hasHeader(k: string) { return this.heads.has(k.toLowerCase()); }
  removeHeader(k: string) { this.heads.delete(k.toLowerCase()); }

  writeHead(code: number, reason?: string | http.OutgoingHttpHeaders, headers?: http.OutgoingHttpHeaders): this {
    if (typeof reason === 'string') this.statusMessage = reason;
    else headers = reason;
    this.statusCode = code;
    for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) this.setHeader(k, v as string | number | string[]);
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void { this.headersSent = true; }
  cork(): void { /* nothing is sent anywhere */ }
  uncork(): void { /* as above */ }

  write(chunk: string | Uint8Array, enc?: unknown, cb?: () => void): boolean {
    if (this.writableEnded) return false;
    this.headersSent = true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof enc === 'string' ? enc as BufferEncoding : 'utf8') : Buffer.from(chunk));
    (typeof enc === 'function' ? enc as () => void : cb)?.();
    return true;
  }

  end(chunk?: unknown, enc?: unknown, cb?: () => void): this {
    if (this.writableEnded) return this;
    if (typeof chunk === 'function') cb = chunk as () => void;
    else if (chunk !== undefined && chunk !== null) this.write(chunk as string | Uint8Array, enc);
    this.headersSent = true;
    this.writableEnded = true;
    (typeof enc === 'function' ? enc as () => void : cb)?.();
    this.emit('finish');
    return this;
  }

  /**
   * The answer's headers as Go's server sends them over HTTP/2: the handler's sorted by name, then
   * Content-Length (for an answer that was whole, not a stream) and Date.
   */
  headerList(body: Buffer, date: string, streaming: boolean): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const names = [...this.heads.keys()].filter((k) => k !== 'transfer-encoding' && k !== 'content-length' && k !== 'date').sort();
    for (const key of names) {
      const [k, v] = this.heads.get(key)!;
      for (const one of Array.isArray(v) ? v : [v]) out.push([k, String(one)]);
    }
    if (!streaming) out.push(['Content-Length', String(body.length)]);
    out.push(['Date', date]);
    return out;
  }
}

/**
 * Serves one request from a pod with `serve` (the HTTPS server's own routing,
 * run synchronously) and answers what it wrote.
 */
export function serveInCluster(serve: (req: http.IncomingMessage, res: http.ServerResponse) => void, r: PodApiRequest, now: number): PodApiAnswer {
  const req = incoming(r);
  fromPods.add(req);
  const res = new Recorded();
  const out = res as unknown as http.ServerResponse;
  try {
    setBody(req, Buffer.from(r.body));
    serve(req, out);
  } catch (err) {
    if (!res.headersSent) sendStatus(out, toStatus(err));
    else res.end();
  }
  const streaming = !res.writableEnded;
  if (streaming) {
    // The client goes: a watch or a followed log stops writing and lets go of what it held.
    req.emit('close');
    res.emit('close');
  }
  const body = Buffer.concat(res.chunks);
  return { status: res.statusCode, reason: res.statusMessage || STATUS_CODES[res.statusCode] || '', headers: res.headerList(body, new Date(now).toUTCString(), streaming), body, streaming };
}
