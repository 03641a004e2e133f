/**
 * NodePort Services reachable from the host, as Docker Desktop's Kubernetes
 * makes them: every TCP `nodePort` of a NodePort Service is opened on the
 * serving address (127.0.0.1 by default), and a connection
 * there goes where kube-proxy would send one to a node's IP and that port
 * (the round-robin model over ready endpoints), to the simulated container's
 * HTTP server. So `kubectl expose deploy/web --type=NodePort` is followed by
 * `curl localhost:<nodePort>`, or a browser.
 *
 * A connection that finds no endpoint, or a pod port nothing listens on, is
 * reset, the nearest a host socket comes to the REJECT of a real node.
 * A port the host already uses is skipped, with one log line; the playground
 * itself never depends on it.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Duplex } from 'node:stream';
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import { SimulatedHttpConnection, podAnswers } from '../kubelet/podhttp';
import { servedBy, siteOf } from './podsite';
import { controllerConfig, isIngressNginx } from '../kubelet/ingresssite';
import { servingContainer } from '../kubelet/podhttp';

const SERVICES = { group: '', version: 'v1', resource: 'services' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
/** How often the open ports are matched to the Services (wall time). */
const SYNC_MS = 500;
/** How long a connection a NetworkPolicy drops is held before it is closed: Linux's SYN retries (tcp_syn_retries 6). */
const DROPPED_MS = 127_000;
/** nginx's client_header_timeout and SSL handshake timeout. */
const HANDSHAKE_TIMEOUT_MS = 60_000;

interface Opened {
  server: net.Server;
  /** `ns/name` of the Service the port belongs to, for the log. */
  owner: string;
  sockets: Set<net.Socket>;
}

export class NodePortExposer {
  private readonly open = new Map<number, Opened>();
  /** Ports that could not be opened (in use on the host), not retried until their Service changes hands. */
  private readonly failed = new Map<number, string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The controller's default certificate, as one TLS context for every connection. */
  private fallbackContext: tls.SecureContext | undefined;

  constructor(
    private readonly ctx: HttpContext,
    private readonly address: string,
    private readonly log: (line: string) => void = () => undefined,
    /** ingress-nginx's default certificate (made on first use), for its HTTPS port. */
    private readonly ingressCertificate?: () => { cert: string; key: string },
  ) {}

  start(): void {
    // The controller's default certificate takes a moment to make (RSA): made now, not in a client's handshake.
    if (this.ingressCertificate) {
      const make = this.ingressCertificate;
      setImmediate(() => { try { make(); } catch (e) { this.log(`ingress default certificate: ${(e as Error).message}`); } });
    }
    this.sync();
    this.timer = setInterval(() => this.sync(), SYNC_MS);
    this.timer.unref?.();
  }

  /** The host ports open now, by Service (`ns/name` → ports). */
  ports(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [port, o] of this.open) out.set(o.owner, [...(out.get(o.owner) ?? []), port]);
    return out;
  }

  /** Opens the ports of new NodePort Services and closes those whose Service went. */
  sync(): void {
    const wanted = new Map<number, string>();
    let services: KObject[];
    try { services = this.ctx.api.list(SERVICES, undefined).items as KObject[]; } catch { return; }
    // (A LoadBalancer Service stays <pending> here; Docker Desktop would publish it on its port, not its nodePort.)
    for (const s of services) {
      if (s.spec?.type !== 'NodePort') continue;
      for (const p of s.spec?.ports ?? []) {
        if ((p.protocol ?? 'TCP') === 'TCP' && Number.isInteger(p.nodePort)) wanted.set(p.nodePort, `${s.metadata.namespace}/${s.metadata.name}`);
      }
    }
    for (const [port, o] of this.open) {
      if (wanted.get(port) === o.owner) continue;
      this.closePort(port);
    }
    for (const [port, owner] of this.failed) if (wanted.get(port) !== owner) this.failed.delete(port);
    for (const [port, owner] of wanted) {
      if (this.open.has(port) || this.failed.has(port)) continue;
      this.openPort(port, owner);
    }
  }

  private openPort(port: number, owner: string): void {
    const opened: Opened = { server: net.createServer((socket) => this.serve(socket, port, opened)), owner, sockets: new Set() };
    this.open.set(port, opened);
    opened.server.on('error', (e: NodeJS.ErrnoException) => {
      this.open.delete(port);
      this.failed.set(port, owner);
      this.log(`NodePort ${port} of Service ${owner} is not reachable from this machine: ${e.code === 'EADDRINUSE' ? `${this.address}:${port} is in use` : e.message}`);
    });
    opened.server.listen(port, this.address, () => this.log(`NodePort ${port} of Service ${owner}: http://${this.address.includes(':') ? `[${this.address}]` : this.address}:${port}/`));
  }

  private closePort(port: number): void {
    const o = this.open.get(port);
    if (!o) return;
    this.open.delete(port);
    o.server.close();
    for (const s of o.sockets) s.destroy();
  }

  /** One host connection: where kube-proxy on the first node sends it, or a reset. */
  private serve(socket: net.Socket, port: number, opened: Opened): void {
    opened.sockets.add(socket);
    socket.on('close', () => opened.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const target = this.route(port);
    if (!target) {
      socket.resetAndDestroy();
      return;
    }
    // The connection reaches the pod from the node's address (kube-proxy's SNAT), as traffic from outside the
    // cluster: a NetworkPolicy that does not let that address in drops it, whichever node the pod runs on.
    // Nothing answers, and the client waits until it gives up (a host socket cannot unsay the accept; it is
    // closed after the kernel's SYN retries would have ended, about two minutes).
    if (this.ctx.playground?.connect && !this.ctx.playground.connect({ ip: target.nodeIP, forwarded: true }, target.pod, target.port, 'TCP').allowed) {
      socket.setTimeout(DROPPED_MS, () => socket.destroy());
      socket.resume();
      return;
    }
    let secure: tls.TlsOptions | undefined;
    try {
      secure = this.tlsContext(target.pod, target.port);
    } catch (e) {
      this.log(`TLS for NodePort ${port}: ${(e as Error).message}`);
    }
    const serveOn = (stream: net.Socket | tls.TLSSocket, overTls: boolean, first?: Buffer) => {
      const conn = new SimulatedHttpConnection(
        // The node forwards with SNAT (externalTrafficPolicy: Cluster): the pod sees the node's address.
        { podName: target.pod.metadata.name!, podIP: target.ip, port: target.port, remoteAddr: target.nodeIP, site: siteOf(this.ctx, target.pod, target.port), tls: overTls, served: servedBy(this.ctx, target.pod, target.port) },
        () => this.ctx.now(),
        (b) => { if (!stream.destroyed) stream.write(b); },
        () => stream.end(),
      );
      stream.on('data', (b: Buffer) => conn.receive(b));
      stream.on('end', () => conn.end());
      if (first) conn.receive(first);
    };
    if (!secure) {
      serveOn(socket, false);
      return;
    }
    // nginx's TLS port: a handshake (a record of type 22) is TLS; anything else is plain HTTP, which nginx answers with its 497 page.
    // A client that sends nothing (or half a handshake) is dropped after nginx's minute.
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      if (first[0] !== 0x16) {
        socket.setTimeout(0);
        serveOn(socket, false, first);
        return;
      }
      // The bytes already read go to TLS through a stream of our own in front of the socket.
      const front = new Duplex({
        read() { socket.resume(); },
        write(chunk, _enc, done) { if (socket.destroyed) done(); else socket.write(chunk, () => done()); },
        final(done) { socket.end(); done(); },
      });
      socket.on('data', (b: Buffer) => { if (!front.push(b)) socket.pause(); });
      socket.on('end', () => front.push(null));
      socket.on('close', () => front.destroy());
      front.push(first);
      let tlsSocket: tls.TLSSocket;
      try {
        tlsSocket = new tls.TLSSocket(front, { isServer: true, ...secure });
      } catch (e) {
        this.log(`TLS for NodePort ${port}: ${(e as Error).message}`);
        socket.destroy();
        return;
      }
      tlsSocket.on('error', () => socket.destroy());
      tlsSocket.once('secure', () => socket.setTimeout(0));
      serveOn(tlsSocket, true);
    });
  }

  /**
   * The TLS an ingress-nginx controller's HTTPS port speaks: the certificate
   * of the Ingress whose TLS hosts name the SNI server name (its Secret's
   * tls.crt and tls.key), else the controller's fake default certificate.
   * Undefined for any other server, which speaks plain HTTP.
   */
  private tlsContext(pod: KObject, port: number): tls.TlsOptions | undefined {
    const c = servingContainer(pod, port);
    const gw = this.ctx.playground?.ingressGateway?.();
    if (!c || !gw || !this.ingressCertificate || !isIngressNginx(c)) return undefined;
    const config = controllerConfig(c);
    if (port !== config.httpsPort) return undefined;
    const fallback = (this.fallbackContext ??= tls.createSecureContext(this.ingressCertificate()));
    const controller = { namespace: pod.metadata.namespace ?? 'default', config };
    return {
      secureContext: fallback,
      SNICallback: (name, cb) => {
        try {
          const own = gw.certificate(controller, name);
          cb(null, own ? tls.createSecureContext(own) : fallback);
        } catch {
          // A Secret whose certificate and key do not go together: nginx keeps the default one.
          cb(null, fallback);
        }
      },
    };
  }

  private route(port: number): { pod: KObject; ip: string; port: number; nodeIP: string } | undefined {
    let node: KObject | undefined;
    try { node = (this.ctx.api.list(NODES, undefined).items as KObject[])[0]; } catch { return undefined; }
    const nodeIP: string | undefined = node?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address;
    if (!nodeIP) return undefined;
    const r = this.ctx.playground?.route(nodeIP, port, 'TCP');
    if (!r) return undefined;
    let pod: KObject;
    try { pod = this.ctx.api.get(PODS, r.podNamespace, r.podName); } catch { return undefined; }
    if (pod.status?.phase !== 'Running' || !podAnswers(pod, r.port)) return undefined;
    return { pod, ip: r.ip, port: r.port, nodeIP };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const port of [...this.open.keys()]) this.closePort(port);
  }
}
