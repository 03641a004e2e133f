/**
 * `pods/{name}/portforward`: kubectl port-forward and client libraries reach a
 * simulated container's port (its HTTP server, podhttp.ts) through the API.
 * Three framings, as a real apiserver and kubelet accept them:
 *
 * - SPDY/3.1 over a WebSocket tunnel (subprotocol `SPDY/3.1+portforward.k8s.io`),
 *   which kubectl 1.31 and newer try first: each binary message carries SPDY bytes;
 * - SPDY/3.1 over a plain HTTP upgrade (`Upgrade: SPDY/3.1`,
 *   `X-Stream-Protocol-Version: portforward.k8s.io`), kubectl's fallback;
 * - the kubelet's WebSocket channels (`v4.channel.k8s.io` and its older names),
 *   as @kubernetes/client-node speaks it: for the i-th port of `?ports=`,
 *   channel 2i carries data and 2i+1 errors, each opened with the port as two
 *   little-endian bytes.
 *
 * Over SPDY each forwarded connection is a pair of streams the client opens,
 * an `error` stream and a `data` stream with the same `requestID` and `port`
 * headers (kubelet's httpStreamHandler). A running container answers on the
 * ports its image listens on (imageConvention's listeningPorts); elsewhere, or
 * while none runs, a connection fails with the runtime's "connection refused"
 * on its error stream, which makes kubectl end the session. The session ends too when the pod is deleted or finishes, as
 * the kubelet's streaming connection does ("lost connection to pod").
 */
import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import { SpdySession, RstStatus, type SpdyStream } from './spdy';
import { SimulatedHttpConnection, podAnswers, type WhoAmI } from '../kubelet/podhttp';
import { servedBy, siteOf } from './podsite';
import { badRequest, toStatus, type Status } from './status';
import { kubeletRefusal } from './logs';

const PODS = { group: '', version: 'v1', resource: 'pods' };
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const SPDY_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
/** A token standing for SPDY_TUNNEL_PROTOCOL inside the WebSocket handshake (see handlePortForward). */
const TUNNEL_TOKEN = 'kubeplay-spdy-tunnel';
/** The kubelet's WebSocket port-forward subprotocols (pkg/kubelet/cri/streaming/portforward/websocket.go), besides none at all. */
export const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];
/** Forwarding connections served, for the kubelet's `(conn=…)` in its messages. */
let connections = 0;
/** How often a forwarding session checks that its pod still runs (wall time). */
const POD_CHECK_MS = 250;
/** The kubelet gives up on a stream pair whose other half does not come (streamCreationTimeout's default). */
const PAIR_TIMEOUT_MS = 30_000;

export interface ForwardRefusal { code: number; body: string; contentType: string }

function statusRefusal(s: Status): ForwardRefusal {
  return { code: s.code, body: JSON.stringify(s), contentType: 'application/json' };
}

/**
 * The apiserver's checks before a port-forward upgrade (PortForwardLocation):
 * the pod exists and has a node. Its phase is not checked there: kubectl
 * checks it first, and a pod that does not listen fails per connection.
 */
export function admitPortForward(ctx: HttpContext, ns: string, name: string): KObject | ForwardRefusal {
  let pod: KObject;
  try { pod = ctx.api.get(PODS, ns, name); } catch (e) { return statusRefusal(toStatus(e)); }
  if (!pod.spec?.nodeName) return statusRefusal(badRequest(`pod ${name} does not have a host assigned`));
  const unreachable = kubeletRefusal(ctx, pod.spec.nodeName);
  if (unreachable) return statusRefusal(unreachable);
  return pod;
}

/** A 64-hex sandbox id and a CNI namespace name for the pod, stable for its uid, as containerd names them. */
function sandboxOf(pod: KObject): { id: string; netns: string } {
  const h = createHash('sha256').update(`sandbox/${pod.metadata.uid ?? pod.metadata.name}`).digest('hex');
  return { id: h, netns: `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}` };
}

/** The pod as it is now, when a running container in it listens on `port` (same uid, Running). */
function listening(ctx: HttpContext, pod: KObject, port: number): KObject | undefined {
  let now: KObject;
  try { now = ctx.api.get(PODS, pod.metadata.namespace!, pod.metadata.name!); } catch { return undefined; }
  const up = now.metadata.uid === pod.metadata.uid && now.status?.phase === 'Running' && podAnswers(now, port);
  return up ? now : undefined;
}

/** Why a connection to the pod's port fails when nothing answers it, in the kubelet's and containerd's words. */
function refusedText(pod: KObject, port: number): string {
  const sb = sandboxOf(pod);
  return `error forwarding port ${port} to pod ${sb.id}, uid : failed to execute portforward in network namespace "${sb.netns}": ` +
    `failed to connect to localhost:${port} inside namespace "${sb.id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused ` +
    `IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
}

/**
 * Whether the session's pod is still there for the kubelet: the same pod,
 * not terminating and not finished (its sandbox is then torn down).
 */
function stillThere(ctx: HttpContext, pod: KObject): boolean {
  try {
    const now = ctx.api.get(PODS, pod.metadata.namespace!, pod.metadata.name!);
    const phase = now.status?.phase;
    return now.metadata.uid === pod.metadata.uid && !now.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
  } catch {
    return false;
  }
}

function whoFor(ctx: HttpContext, pod: KObject, port: number): WhoAmI {
  return { podName: pod.metadata.name!, podIP: pod.status?.podIP ?? '', port, remoteAddr: '127.0.0.1', site: siteOf(ctx, pod, port), served: servedBy(ctx, pod, port) };
}

/** A port number as the kubelet parses the `port` header or the `ports` query: 1–65535. */
function parsePort(s: string | undefined | null): number | undefined {
  if (s === undefined || s === null || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Watches the pod for the session: when it stops running, `onGone` runs once. */
function watchPod(ctx: HttpContext, pod: KObject, onGone: () => void): () => void {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    untrack();
  };
  const timer = setInterval(() => {
    if (!stillThere(ctx, pod)) { stop(); onGone(); }
  }, POD_CHECK_MS);
  timer.unref?.();
  const untrack = ctx.track(() => { stop(); onGone(); });
  return stop;
}

/**
 * Serves SPDY port-forward streams: pairs each error stream with its data
 * stream by requestID, then joins the data stream to a connection to the
 * pod's port. `end` closes the transport under the session.
 */
export function serveSpdyPortForward(ctx: HttpContext, pod: KObject, write: (b: Buffer) => void, end: () => void): SpdySession {
  interface Pair { error?: SpdyStream; data?: SpdyStream; port: number; timer: ReturnType<typeof setTimeout> }
  const pairs = new Map<string, Pair>();
  let stopWatch = () => undefined as void;
  const spdy: SpdySession = new SpdySession(
    write,
    {
      onStream: (s) => {
        const type = s.header('streamtype');
        const port = parsePort(s.header('port'));
        if ((type !== 'error' && type !== 'data') || port === undefined) {
          // httpStreamReceived refuses the stream (the header is missing or not a port): spdystream's Reset, a CANCEL.
          s.resetStream(RstStatus.Cancel);
          return;
        }
        // Clients before requestID paired streams by id; the kubelet derives one the same way.
        const rid = s.header('requestid') ?? String(type === 'error' ? s.id : s.id - 2);
        let p = pairs.get(rid);
        if (!p) {
          p = { port, timer: setTimeout(() => timeOut(rid), PAIR_TIMEOUT_MS) };
          p.timer.unref?.();
          pairs.set(rid, p);
        }
        if (p[type]) {
          // httpStreamPair.add refuses a second stream of a type; the handler reports it on the pair's error stream.
          s.reply();
          p.error?.write(Buffer.from(`error processing stream for request ${rid}: ${type} stream already assigned`));
          return;
        }
        p[type] = s;
        s.reply();
        // The pair forwards to the port its data stream names.
        if (type === 'data') p.port = port;
        if (p.error && p.data) {
          clearTimeout(p.timer);
          pairs.delete(rid);
          forward(p.error, p.data, p.port);
        }
      },
      onClose: () => {
        for (const p of pairs.values()) clearTimeout(p.timer);
        pairs.clear();
        stopWatch();
        end();
      },
    },
  );
  const connId = `0x${(++connections).toString(16).padStart(10, 'c0')}`;
  const timeOut = (rid: string) => {
    const p = pairs.get(rid);
    if (!p) return;
    pairs.delete(rid);
    // The kubelet's words when the other half of a pair never comes (its connection's address is Go's pointer).
    p.error?.write(Buffer.from(`(conn=${connId}, request=${rid}) timed out waiting for streams`));
  };

  const forward = (error: SpdyStream, data: SpdyStream, port: number) => {
    // The client never writes on the error stream; its FIN (or nothing) is read and dropped.
    error.listen(() => undefined, () => undefined);
    const up = listening(ctx, pod, port);
    if (!up) {
      // The kubelet writes the runtime's error on the error stream, then closes both (kubectl then ends the session).
      data.listen(() => undefined, () => undefined);
      error.write(Buffer.from(refusedText(pod, port), 'utf8'));
      error.end();
      data.end();
      return;
    }
    const conn = new SimulatedHttpConnection(whoFor(ctx, up, port), () => ctx.now(), (b) => data.write(b), () => {
      data.end();
      error.end();
    });
    data.listen((b) => conn.receive(b), () => conn.end());
    data.onReset = () => conn.end();
  };

  stopWatch = watchPod(ctx, pod, () => spdy.shutdown('the pod stopped running'));
  return spdy;
}

/** SPDY over a plain upgraded socket (kubectl's fallback when the WebSocket tunnel is refused). */
export function upgradeSpdy(ctx: HttpContext, pod: KObject, socket: Duplex, head: Buffer): void {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n` +
      '\r\n',
  );
  const session = serveSpdyPortForward(ctx, pod, (b) => { if (socket.writable) socket.write(b); }, () => socket.end());
  socket.on('data', (b: Buffer) => session.receive(b));
  socket.on('close', () => session.shutdown('the connection closed', false));
  if (head?.length) session.receive(head);
}

/** SPDY tunnelled in WebSocket binary messages (kubectl 1.31 and newer). */
export function serveTunnel(ctx: HttpContext, pod: KObject, ws: WebSocket): void {
  const session = serveSpdyPortForward(ctx, pod, (b) => { if (ws.readyState === ws.OPEN) ws.send(b, { binary: true }); }, () => ws.close(1000));
  ws.on('message', (data: Buffer, isBinary: boolean) => { if (isBinary) session.receive(Buffer.from(data)); });
  ws.on('close', () => session.shutdown('the connection closed', false));
  ws.on('error', () => session.shutdown('the connection failed', false));
}

/** The kubelet's WebSocket channel protocol: one connection to each port of `?ports=`. */
export function serveChannels(ctx: HttpContext, pod: KObject, ws: WebSocket, ports: number[], base64: boolean): void {
  const send = (channel: number, b: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    const framed = Buffer.concat([Buffer.from([channel]), b]);
    if (base64) ws.send(String.fromCharCode(0x30 + channel) + b.toString('base64'));
    else ws.send(framed, { binary: true });
  };
  const portBytes = (p: number) => Buffer.from([p & 0xff, (p >> 8) & 0xff]);
  let open = ports.length;
  const conns = ports.map((port, i) => {
    send(2 * i, portBytes(port));
    send(2 * i + 1, portBytes(port));
    const up = listening(ctx, pod, port);
    const conn = new SimulatedHttpConnection(whoFor(ctx, up ?? pod, port), () => ctx.now(), (b) => send(2 * i, b), () => {
      if (--open === 0) ws.close(1000);
    });
    if (!up) {
      // The kubelet's WebSocket handler writes the error on the port's error channel and the connection ends.
      send(2 * i + 1, Buffer.from(refusedText(pod, port), 'utf8'));
      conn.end();
    }
    return conn;
  });
  const stop = watchPod(ctx, pod, () => ws.close(1000));
  ws.on('message', (data: Buffer | string, isBinary: boolean) => {
    let b: Buffer;
    if (base64 && !isBinary) {
      const s = data.toString();
      if (!s.length) return;
      b = Buffer.concat([Buffer.from([s.charCodeAt(0) - 0x30]), Buffer.from(s.slice(1), 'base64')]);
    } else b = Buffer.from(data as Buffer);
    if (!b.length) return;
    const ch = b[0];
    if (ch % 2 !== 0 || ch / 2 >= conns.length) return;
    conns[ch / 2].receive(b.subarray(1));
  });
  ws.on('close', () => { stop(); for (const c of conns) c.end(); });
  // A malformed frame is the client's problem: its connection ends, the server goes on.
  ws.on('error', () => ws.terminate());
}

/**
 * The subprotocol the WebSocket server answers with: the SPDY tunnel when
 * offered, else the first of the client's offers the kubelet speaks, in the
 * client's order, as wsstream's handshake picks it.
 */
export function pickPortForwardProtocol(offered: Set<string>): string | false {
  if (offered.has(SPDY_TUNNEL_PROTOCOL) || offered.has(TUNNEL_TOKEN)) return SPDY_TUNNEL_PROTOCOL;
  for (const p of offered) if (CHANNEL_PROTOCOLS.includes(p)) return p;
  return false;
}

/**
 * The upgrade handler's port-forward branch: checks, then one of the three
 * framings. Refusals are plain HTTP answers on the socket.
 */
export function handlePortForward(
  ctx: HttpContext,
  wss: WebSocketServer,
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ns: string,
  name: string,
  q: URLSearchParams,
  refuse: (code: number, body: string, contentType: string) => void,
): void {
  const pod = admitPortForward(ctx, ns, name);
  if (!('metadata' in pod)) return refuse(pod.code, pod.body, pod.contentType);
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (offered.includes(SPDY_TUNNEL_PROTOCOL)) {
      // `ws` accepts only RFC 7230 tokens as offered subprotocols, and '/' is not one: the offer is renamed
      // for its parser, and the answer names the real protocol again (pickPortForwardProtocol).
      req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
      wss.handleUpgrade(req, socket, head, (ws) => serveTunnel(ctx, pod, ws));
      return;
    }
    // No subprotocol at all is the binary channel protocol too (wsstream's "" entry).
    const channel = offered.find((p) => CHANNEL_PROTOCOLS.includes(p)) ?? (offered.length === 0 ? '' : undefined);
    if (channel === undefined) {
      // wsstream's handshake refusal, which the WebSocket server answers with 403 and plain text.
      return refuse(403, `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [ ${CHANNEL_PROTOCOLS.join(' ')}]`, 'text/plain; charset=utf-8');
    }
    const raw = q.getAll('ports').flatMap((v) => v.split(','));
    const ports = raw.map((v) => parsePort(v.trim()));
    if (!raw.length || ports.some((p) => p === undefined)) {
      const bad = raw.find((v, i) => ports[i] === undefined);
      return refuse(400, raw.length ? `unable to parse "${bad}" as a port: must be a number between 1 and 65535` : 'query parameter "port" is required', 'text/plain; charset=utf-8');
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveChannels(ctx, pod, ws, ports as number[], channel.includes('base64')));
    return;
  }
  if (upgrade === 'spdy/3.1') {
    // httpstream.Handshake's refusals: 403, plain text, Go's list formatting.
    const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!versions.length) return refuse(403, 'unable to upgrade: X-Stream-Protocol-Version is required', 'text/plain; charset=utf-8');
    if (!versions.includes(PORT_FORWARD_PROTOCOL)) {
      return refuse(403, `unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`, 'text/plain; charset=utf-8');
    }
    upgradeSpdy(ctx, pod, socket, head);
    return;
  }
  const s = badRequest(`Upgrade request required`);
  refuse(s.code, JSON.stringify(s), 'application/json');
}
