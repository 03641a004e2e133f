/**
 * What a simulated container answers on a TCP port: an HTTP/1.1 server in
 * the manner of traefik/whoami, which says which pod served the request and
 * echoes the request back. `curl` and `wget` inside a pod read the same body
 * (netcmds.ts); `kubectl port-forward` carries a real byte stream to it, so
 * this side parses requests as Go's net/http server would: keep-alive,
 * `Connection: close`, HEAD, request bodies by Content-Length, and its plain
 * `400 Bad Request` for bytes that are not HTTP.
 */

import { listensOn } from '../../../kube/src/imageConvention';
import type { Site, SiteAnswer } from './sites';
import type { AccessRecord, ServerConnection } from './accesslog';

/**
 * The container whose process answers a connection to the pod's `port`: a
 * running container (a regular one, or a sidecar) whose image listens there
 * (imageConvention's listeningPorts). All containers share the pod's network.
 */
export function servingContainer(pod: any, port: number): any | undefined {
  const running = runningContainers(pod);
  const containers = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
  return containers.find((c: any) => running.has(c.name) && listensOn(c, port));
}

/** The names of the pod's containers its status shows running (init containers too). */
export function runningContainers(pod: any): Set<string> {
  const running = new Set<string>();
  for (const s of [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])]) if (s?.state?.running) running.add(s.name);
  return running;
}

/** Whether a connection to the pod's `port` finds a process (servingContainer). */
export function podAnswers(pod: any, port: number): boolean {
  return servingContainer(pod, port) !== undefined;
}

/** Who served a request, and who asked. */
export interface WhoAmI {
  podName: string;
  podIP: string;
  port: number;
  /** The client's address: a pod IP, or 127.0.0.1 for a port-forwarded connection (it arrives on loopback). */
  remoteAddr: string;
  /** What the container's server answers, when it is more than the whoami echo: nginx's files, an example app (sites.ts). */
  site?: Site;
  /** The connection is TLS, terminated in front of the server (an ingress controller's HTTPS port). */
  tls?: boolean;
  /** Told of every request answered, with its status and body size (the server's access log, accesslog.ts). */
  served?(req: AccessRecord, status: number, bytes: number, error?: string, conn?: { current?: ServerConnection }): void;
}

/** The body: the pod's name and IP, the port, the client, then the request line and headers. */
export function whoamiBody(who: WhoAmI, method: string, target: string, headers: Array<[string, string]>): string {
  const lines = [
    `Hostname: ${who.podName}`,
    `IP: ${who.podIP}`,
    `Port: ${who.port}`,
    `RemoteAddr: ${who.remoteAddr}`,
    `${method} ${target} HTTP/1.1`,
    ...headers.map(([k, v]) => `${k}: ${v}`),
  ];
  return lines.join('\n') + '\n';
}

/**
 * The answer's header lines with its `Connection` header where nginx writes it: after Last-Modified and Location,
 * before ETag and Accept-Ranges (at the end when the answer has neither, or already names its own).
 */
export function headLines(site: SiteAnswer, connection: string): string[] {
  const head = site.headers.map(([k, v]) => `${k}: ${v}`);
  if (site.headers.some(([k]) => k === 'Connection')) return head;
  const at = site.headers.findIndex(([k]) => k === 'ETag' || k === 'Accept-Ranges');
  head.splice(at < 0 ? head.length : at, 0, `Connection: ${connection}`);
  return head;
}

/** The whoami echo as a whole answer (what a proxy in front of the pod passes back). */
export function whoamiAnswer(who: WhoAmI, method: string, target: string, headers: Array<[string, string]>, now: number): SiteAnswer {
  const body = Buffer.from(whoamiBody(who, method, target, headers), 'utf8');
  return {
    status: 200,
    reason: 'OK',
    headers: [['Date', httpDate(now)], ['Content-Length', String(body.length)], ['Content-Type', 'text/plain; charset=utf-8']],
    body: method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}

/** Go's http.TimeFormat: `Mon, 02 Jan 2006 15:04:05 GMT`. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Canonical header keys, as Go's textproto writes them back (`user-agent` → `User-Agent`). */
export function canonicalKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

const MAX_HEADER_BYTES = 1 << 20;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * One TCP connection to a simulated container's port. Bytes from the client
 * go to `receive`; the answers go out through `send`; `close` is called once
 * when the server side closes (after `Connection: close`, a bad request, or
 * the client's end once every answer is out).
 */
export class SimulatedHttpConnection {
  private buf: Buffer = Buffer.alloc(0);
  private closed = false;
  /** The request whose head is read and whose body is still coming. */
  private req: { line: { method: string; target: string; version: string }; headers: Array<[string, string]>; get: (k: string) => string | undefined; bodyLeft: number; continued: boolean } | undefined;
  /** The server's number for this connection, once a request on it was served (every request on it shares it). */
  private readonly connection: { current?: ServerConnection } = {};

  constructor(
    private readonly who: WhoAmI,
    private readonly now: () => number,
    private readonly send: (b: Buffer) => void,
    private readonly close: () => void,
  ) {}

  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.closed && this.serveOne()) { /* pipelined requests are answered in order */ }
  }

  /** The client closed its side: whatever half request is left gets no answer, and the server closes too. */
  end(): void {
    this.shut();
  }

  private shut(): void {
    if (this.closed) return;
    this.closed = true;
    this.close();
  }

  /** Answers one whole request from the buffer; false when more bytes are needed. */
  private serveOne(): boolean {
    if (!this.req && !this.readHead()) return false;
    const r = this.req!;
    // The body is read and dropped as it comes (whoami answers with the head only), so no size is buffered.
    if (r.bodyLeft > 0) {
      const take = Math.min(r.bodyLeft, this.buf.length);
      r.bodyLeft -= take;
      this.buf = this.buf.subarray(take);
      if (r.bodyLeft > 0) {
        // Go's server says 100 Continue when the handler first reads a body the client holds back for it.
        if ((r.get('Expect') ?? '').toLowerCase() === '100-continue' && r.line.version === 'HTTP/1.1' && !r.continued) {
          r.continued = true;
          this.send(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1'));
        }
        return false;
      }
    }
    this.req = undefined;
    const { line, headers, get } = r;
    const connection = (get('Connection') ?? '').toLowerCase();
    let keepAlive = line.version === 'HTTP/1.1' ? connection !== 'close' : connection === 'keep-alive';
    // whoami echoes the request's headers, Host first as Go's request dump puts it.
    const echoed: Array<[string, string]> = [];
    const host = get('Host');
    if (host !== undefined) echoed.push(['Host', host]);
    for (const [k, v] of headers) if (k !== 'Host') echoed.push([k, v]);
    const site = this.who.site?.({ method: line.method, target: line.target, host: host ?? '', headers: echoed, remoteAddr: this.who.remoteAddr, tls: this.who.tls });
    let body: Buffer;
    let lines: string[];
    let status = 200;
    if (site) {
      body = site.body;
      status = site.status;
      if (site.close) keepAlive = false;
      lines = [`HTTP/1.1 ${site.status} ${site.reason}`, ...headLines(site, keepAlive ? 'keep-alive' : 'close')];
    } else {
      body = Buffer.from(whoamiBody(this.who, line.method, line.target, echoed), 'utf8');
      lines = [
        'HTTP/1.1 200 OK',
        `Date: ${httpDate(this.now())}`,
        `Content-Length: ${body.length}`,
        'Content-Type: text/plain; charset=utf-8',
      ];
      if (!keepAlive) lines.push('Connection: close');
    }
    const out = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
    this.send(line.method === 'HEAD' ? out : Buffer.concat([out, body]));
    this.who.served?.({ method: line.method, target: line.target, headers: echoed, remoteAddr: this.who.remoteAddr, version: line.version }, status, body.length, site?.error, this.connection);
    if (!keepAlive) { this.shut(); return false; }
    return true;
  }

  /** Parses a whole request head off the buffer into `req`; false when it is not all there (or was refused). */
  private readHead(): boolean {
    // Go's server skips the blank lines some clients send between requests.
    while (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) this.buf = this.buf.subarray(2);
    // A TLS handshake (a record of type 22) on a plain port: no request line will come.
    if (this.buf.length >= 2 && this.buf[0] === 0x16 && this.buf[1] === 0x03) { this.badRequest(); return false; }
    const endOfHead = this.buf.indexOf('\r\n\r\n');
    if (endOfHead < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) this.badRequest('431 Request Header Fields Too Large');
      // A first line that cannot start a request is refused at once, as soon as it is whole.
      else {
        const eol = this.buf.indexOf('\r\n');
        if (eol >= 0 && !parseRequestLine(this.buf.subarray(0, eol).toString('latin1'))) this.badRequest();
      }
      return false;
    }
    const head = this.buf.subarray(0, endOfHead).toString('latin1').split('\r\n');
    const line = parseRequestLine(head[0]);
    if (!line) { this.badRequest(); return false; }
    const headers: Array<[string, string]> = [];
    for (const h of head.slice(1)) {
      const colon = h.indexOf(':');
      const key = colon > 0 ? h.slice(0, colon) : '';
      if (!TOKEN.test(key)) { this.badRequest(); return false; }
      headers.push([canonicalKey(key), h.slice(colon + 1).trim()]);
    }
    const get = (k: string) => headers.find(([n]) => n === k)?.[1];
    if (line.version === 'HTTP/1.1' && get('Host') === undefined) { this.badRequest('400 Bad Request: missing required Host header'); return false; }
    if (get('Transfer-Encoding')) { this.badRequest('501 Not Implemented: chunked request bodies are not simulated'); return false; }
    const lengthText = get('Content-Length') ?? '0';
    const length = /^\d+$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!Number.isSafeInteger(length)) { this.badRequest('400 Bad Request: bad Content-Length'); return false; }
    this.buf = this.buf.subarray(endOfHead + 4);
    this.req = { line, headers, get, bodyLeft: length, continued: false };
    return true;
  }

  /**
   * The answer to a request the server cannot read, then the connection closes: the server's own page when it has
   * one (nginx's), else Go's bare status and text (traefik/whoami and the other Go servers).
   */
  private badRequest(status = '400 Bad Request'): void {
    const [code, ...rest] = status.split(' ');
    const own = this.who.site?.refuse?.(Number(code));
    if (own) {
      const head = [`HTTP/1.1 ${own.status} ${own.reason}`, ...headLines(own, 'close')].join('\r\n');
      this.send(Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), own.body]));
      this.shut();
      return;
    }
    const colon = rest.join(' ').indexOf(':');
    const reason = colon < 0 ? rest.join(' ') : rest.join(' ').slice(0, colon);
    const text = colon < 0 ? `${code} ${reason}` : `${code} ${reason}${rest.join(' ').slice(colon)}`;
    this.send(Buffer.from(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${text}`, 'latin1'));
    this.shut();
  }
}

function parseRequestLine(s: string): { method: string; target: string; version: string } | undefined {
  const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/1\.[01])$/.exec(s);
  return m ? { method: m[1], target: m[2], version: m[3] } : undefined;
}
