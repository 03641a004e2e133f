import * as net from 'net';
import { Writable } from 'stream';
import * as vscode from 'vscode';
import type { Cluster } from '../cluster';
import { defaultSpec, ingressRoutes, nodePortUrl, parseForwardSpec, podForService, targetPortOf } from '../model/forward';
import { targetRef } from './pick';

/** Whether something accepts connections at the URL's host and port (a node port the host had free). */
function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname, () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

/** One local port forwarded to a pod. */
interface Forward {
  url: string;
  label: string;
  server: net.Server;
  sockets: Set<net.Socket>;
}

/**
 * "Port Forward…" on a pod or a Service, as `kubectl port-forward` does it:
 * a local TCP port whose connections each open a port-forward stream to the
 * pod through the Kubernetes API (the kubelet's WebSocket channel protocol,
 * which the playground and real clusters serve). Works on either target.
 */
export class PortForwards implements vscode.Disposable {
  private readonly forwards: Forward[] = [];

  constructor(private readonly cluster: Cluster) {}

  commands(): Record<string, (...args: any[]) => unknown> {
    const t = vscode.l10n.t;
    return {
      'kubeplay.portForward': async (arg, specText?: string) => {
        const ref = await targetRef(this.cluster, arg, ['pods', 'services'], t('Pod or Service to forward a port to'));
        if (!ref) return;
        const obj = this.cluster.store.get(ref.resource, ref.namespace, ref.name);
        if (!obj) {
          void vscode.window.showErrorMessage(t('{0} {1} is not in the cluster any more.', ref.kind, ref.name));
          return;
        }
        const text = specText ?? (await vscode.window.showInputBox({
          prompt: t('Local port and {0} port, as kubectl port-forward takes them (8080:80, or :80 for any free local port)', ref.kind),
          value: defaultSpec(obj),
          validateInput: (v) => (parseForwardSpec(v) ? undefined : t('Write LOCAL:REMOTE, REMOTE or :REMOTE with ports from 1 to 65535')),
        }));
        if (text === undefined) return;
        const spec = parseForwardSpec(text);
        if (!spec) return;
        try {
          return await this.start(ref.kind, ref.namespace ?? 'default', ref.name, spec.local, spec.remote);
        } catch (e: any) {
          void vscode.window.showErrorMessage(t('Port forward failed: {0}', e?.message ?? String(e)));
          return undefined;
        }
      },
      'kubeplay.openService': async (arg) => {
        const ref = await targetRef(this.cluster, arg, ['services'], t('Service to open in the browser'));
        if (!ref) return;
        const svc = this.cluster.store.get('services', ref.namespace, ref.name);
        const url = svc && this.cluster.isPlayground ? nodePortUrl(svc) : undefined;
        // A NodePort Service of the playground answers on localhost; any other goes through a port-forward.
        if (!url || !(await reachable(url))) return vscode.commands.executeCommand('kubeplay.portForward', arg);
        await vscode.env.openExternal(vscode.Uri.parse(url));
        return url;
      },
      'kubeplay.openIngress': async (arg) => {
        const ref = await targetRef(this.cluster, arg, ['ingresses'], t('Ingress to open in the browser'));
        if (!ref) return;
        const ing = this.cluster.store.get('ingresses', ref.namespace, ref.name);
        const controller = this.cluster.store.get('services', 'ingress-nginx', 'ingress-nginx-controller');
        if (!ing) return;
        if (!controller) {
          const install = t('Install ingress-nginx');
          const choice = await vscode.window.showInformationMessage(t('No ingress controller runs in the playground, so no Ingress routes yet.'), install);
          if (choice === install) await vscode.commands.executeCommand('kubeplay.installIngress');
          return;
        }
        const routes = ingressRoutes(ing, controller);
        const open = routes.find((r) => r.url);
        if (open) {
          await vscode.env.openExternal(vscode.Uri.parse(open.url!));
          return open.url;
        }
        if (!routes.length) return;
        // A browser cannot send another Host to 127.0.0.1; curl can.
        const copy = t('Copy Command');
        const choice = await vscode.window.showInformationMessage(t('A browser cannot reach {0} on this machine (only names under .localhost go to 127.0.0.1). Run: {1}', routes[0].host, routes[0].curl), copy);
        if (choice === copy) await vscode.env.clipboard.writeText(routes[0].curl);
        return routes[0].curl;
      },
      'kubeplay.stopPortForward': async () => {
        if (!this.forwards.length) {
          void vscode.window.showInformationMessage(t('No ports are being forwarded.'));
          return;
        }
        const picked = await vscode.window.showQuickPick(this.forwards.map((f) => ({ label: f.url, description: f.label, f })), { placeHolder: t('Forward to stop') });
        if (picked) this.stop(picked.f);
      },
    };
  }

  /** Starts forwarding; answers the local URL (the command's result, which tests read). */
  async start(kind: string, namespace: string, name: string, local: number, remote: number): Promise<string> {
    const t = vscode.l10n.t;
    let pod = name;
    let podPort = remote;
    if (kind === 'Service') {
      const svc = this.cluster.store.get('services', namespace, name);
      if (!svc) throw new Error(t('Service {0} is not in the cluster any more.', name));
      const target = podForService(svc, this.cluster.store.list('pods'));
      if (!target) throw new Error(t('Service {0} selects no pods to forward to.', name));
      pod = target.metadata.name!;
      podPort = targetPortOf(svc, target, remote);
    }
    const p = this.cluster.store.get('pods', namespace, pod);
    // kubectl's own check before it dials.
    if (p && p.status?.phase !== 'Running') throw new Error(`unable to forward port because pod is not running. Current status=${p.status?.phase ?? 'Unknown'}`);
    const conn = await this.cluster.connect();
    const pf = new conn.lib.PortForward(conn.kc);
    const forward: Forward = { url: '', label: '', server: net.createServer(), sockets: new Set() };
    forward.server.on('connection', (socket) => {
      forward.sockets.add(socket);
      socket.on('close', () => forward.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      this.connect(pf, namespace, pod, podPort, socket);
    });
    await new Promise<void>((resolve, reject) => {
      forward.server.once('error', reject);
      forward.server.listen(local, '127.0.0.1', () => resolve());
    });
    const port = (forward.server.address() as net.AddressInfo).port;
    forward.url = `http://127.0.0.1:${port}`;
    forward.label = `${namespace}/${pod}:${podPort}`;
    this.forwards.push(forward);
    this.cluster.output.appendLine(`[client] ${t('Forwarding from {0} -> {1}', `127.0.0.1:${port}`, `${forward.label}`)}`);
    const open = t('Open in Browser');
    const stop = t('Stop');
    void vscode.window.showInformationMessage(t('Forwarding {0} to pod {1}', forward.url, forward.label), open, stop).then((choice) => {
      if (choice === open) void vscode.env.openExternal(vscode.Uri.parse(forward.url));
      else if (choice === stop) this.stop(forward);
    });
    return forward.url;
  }

  /** One local connection: one port-forward stream to the pod; either side closing closes the other. */
  private connect(pf: any, namespace: string, pod: string, port: number, socket: net.Socket): void {
    const t = vscode.l10n.t;
    const toSocket = new Writable({
      write(chunk, _enc, cb) {
        if (!socket.destroyed) socket.write(chunk);
        cb();
      },
    });
    let reported = false;
    const errors = new Writable({
      write: (chunk, _enc, cb) => {
        // The channel's opening port bytes reach here as an empty chunk: only text is an error.
        if (!chunk.length) return cb();
        if (!reported) {
          reported = true;
          this.cluster.output.appendLine(`[client] ${t('an error occurred forwarding {0}: {1}', `${namespace}/${pod}:${port}`, chunk.toString())}`);
        }
        socket.destroy();
        cb();
      },
    });
    socket.pause();
    // The browser may give up on the connection before the stream opens: the stream is then closed as it opens.
    let gone = false;
    socket.once('close', () => { gone = true; });
    pf.portForward(namespace, pod, [port], toSocket, errors, socket).then(
      (ws: any) => {
        if (gone) {
          ws.close?.();
          return;
        }
        socket.resume();
        ws.addEventListener?.('close', () => socket.end());
        socket.on('close', () => ws.close?.());
      },
      (e: any) => {
        this.cluster.output.appendLine(`[client] ${t('Port forward failed: {0}', e?.message ?? String(e))}`);
        socket.destroy();
      },
    );
  }

  stop(f: Forward): void {
    const i = this.forwards.indexOf(f);
    if (i >= 0) this.forwards.splice(i, 1);
    f.server.close();
    for (const s of f.sockets) s.destroy();
    this.cluster.output.appendLine(`[client] ${vscode.l10n.t('Stopped forwarding {0}', f.url)}`);
  }

  dispose(): void {
    for (const f of [...this.forwards]) this.stop(f);
  }
}
