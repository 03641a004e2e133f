/**
 * `kubeplay serve`: the playground behind the Kubernetes HTTP API.
 * `startServer()` is the programmatic form the main job and the VS Code
 * extension use; `runServe()` is the command line, which runs until a signal.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDONS, type Playground } from '../../cluster/src/contract';
import { createPlayground } from '../../cluster/src/playground';
import { ensureTls, ingressFakeCertificate, servingHosts } from '../../cluster/src/http/tls';
import { ensureToken, writeKubeconfig } from '../../cluster/src/http/kubeconfig';
import { startApiHttpServer, type ApiHttpServer } from '../../cluster/src/http/server';
import { getSchema } from '../../kube/src/schema';

export interface StartServerOptions {
  /** 0 (default) takes a free port. */
  port?: number;
  /** Never anything but 127.0.0.1 unless asked. */
  address?: string;
  /** Where certificates, token and cluster state live; a fresh temporary folder (state in memory only) when absent. */
  stateDir?: string;
  /** Defaults to `<stateDir>/kubeconfig`. */
  kubeconfigPath?: string;
  nodes?: number;
  /** Capacity of each node (cpu, memory, pods), as the extension's kubeplay.nodeCapacity setting gives it. */
  nodeCapacity?: { cpu?: string; memory?: string; pods?: string };
  /** Simulated seconds per wall-clock second. */
  speed?: number;
  seed?: number;
  /** Add-ons to install (`ingress-nginx`). */
  addons?: string[];
  /** Serve an existing playground instead of creating one (it is not closed by `close()`). */
  playground?: Playground;
  /** Open NodePort Services' node ports on the address, as Docker Desktop does (`kubeplay serve` does by default). */
  exposeNodePorts?: boolean;
  /** Lines about the exposed node ports. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  kubeconfigPath: string;
  token: string;
  caCert: string;
  stateDir: string;
  playground: Playground;
  http: ApiHttpServer;
  /** Stops serving, saves state and closes the playground. */
  close(): Promise<void>;
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const persistent = opts.stateDir !== undefined;
  const stateDir = path.resolve(opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-')));
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const address = opts.address ?? '127.0.0.1';
  const tls = ensureTls(stateDir, servingHosts(address));
  const token = ensureToken(stateDir);
  const owned = !opts.playground;
  const playground =
    opts.playground ??
    createPlayground({
      seed: opts.seed,
      nodes: opts.nodes,
      nodeCapacity: opts.nodeCapacity,
      speed: opts.speed,
      // Simulated time starts at wall time, so ages kubectl computes itself (describe) read true; a restored state keeps its own clock.
      startTime: Date.now(),
      stateDir: persistent ? path.join(stateDir, 'cluster') : undefined,
      rootCaCert: tls.caCert,
      // kind's controller-manager signs with the cluster CA, which is also the apiserver's client CA.
      clusterSigningCa: { cert: tls.caCert, key: tls.caKey },
      addons: opts.addons,
    });
  let http: ApiHttpServer;
  try {
    http = await startApiHttpServer({ playground, schema: getSchema().data, token, tls, clientCa: tls.caCert, address, port: opts.port ?? 0, speed: opts.speed, exposeNodePorts: opts.exposeNodePorts, log: opts.log,
      ingressCertificate: ingressFakeCertificate });
  } catch (err) {
    if (owned) playground.close();
    throw err;
  }
  const kubeconfigPath = path.resolve(opts.kubeconfigPath ?? path.join(stateDir, 'kubeconfig'));
  // A wildcard listen address is reached on loopback; the certificate covers 127.0.0.1.
  const url = address === '0.0.0.0' || address === '::' ? http.url.replace(/\/\/[^/]*:/, '//127.0.0.1:') : http.url;
  writeKubeconfig(kubeconfigPath, { server: url, caCert: tls.caCert, token });
  let closed = false;
  return {
    url, kubeconfigPath, token, caCert: tls.caCert, stateDir, playground, http,
    close: async () => {
      if (closed) return;
      closed = true;
      await http.close();
      if (owned) {
        try {
          playground.save();
        } finally {
          playground.close();
        }
      }
    },
  };
}

export const SERVE_USAGE = `Usage: kubeplay serve [options]

Serves the playground over the Kubernetes HTTP API (HTTPS, bearer token).

Options:
  --port N          port to listen on; 0 takes a free one (default 0)
  --address IP      address to listen on (default 127.0.0.1)
  --state DIR       state folder: certificates, token, cluster state (default ~/.kubeplay)
  --kubeconfig FILE where to write the kubeconfig (default <state>/kubeconfig)
  --nodes N         number of simulated worker nodes, besides the control-plane node
  --node-capacity cpu=4,memory=16Gi,pods=110
                    capacity of each node (any of the three)
  --speed X         simulated seconds per second (default 1)
  --seed N          seed for names and timing jitter
  --addons LIST     add-ons to install, comma-separated: ingress-nginx (also called ingress)
  --no-node-ports   do not open NodePort Services' node ports on the address
                    (by default http://127.0.0.1:<nodePort> reaches them, as on Docker Desktop)
  --json            print one JSON line {"url","kubeconfig","pid"} instead of text`;

interface ServeFlags extends StartServerOptions {
  json: boolean;
  help: boolean;
  noNodePorts?: boolean;
}

/** `cpu=4,memory=16Gi,pods=110` → { cpu: '4', memory: '16Gi', pods: '110' }. */
function parseCapacity(v: string | undefined): { cpu?: string; memory?: string; pods?: string } {
  const out: Record<string, string> = {};
  for (const part of (v ?? '').split(',').filter(Boolean)) {
    const [k, val] = part.split('=');
    if (!['cpu', 'memory', 'pods'].includes(k) || !val) throw new Error(`invalid value for --node-capacity: ${v}`);
    out[k] = val;
  }
  return out;
}

export function parseServeArgs(argv: string[]): ServeFlags {
  const out: ServeFlags = { json: false, help: false };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < min) throw new Error(`invalid value for ${flag}: ${v ?? '(missing)'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => (value !== undefined ? value : argv[++i]);
    switch (arg) {
      case '--port': out.port = num(arg, next(), 0); break;
      case '--address': out.address = next(); break;
      case '--state': out.stateDir = next(); break;
      case '--kubeconfig': out.kubeconfigPath = next(); break;
      case '--nodes': out.nodes = num(arg, next(), 0); break;
      case '--node-capacity': out.nodeCapacity = parseCapacity(next()); break;
      case '--speed': out.speed = num(arg, next(), Number.MIN_VALUE); break;
      case '--seed': out.seed = num(arg, next(), 0); break;
      case '--addons': {
        const list = (next() ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        for (const a of list) if (!ADDONS[a]) throw new Error(`unknown add-on ${a} (known: ${[...new Set(Object.values(ADDONS))].join(', ')})`);
        out.addons = [...(out.addons ?? []), ...list];
        break;
      }
      case '--json': out.json = true; break;
      case '--no-node-ports': out.noNodePorts = true; break;
      case '-h': case '--help': out.help = true; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
    if (!Number.isInteger(out.port ?? 0) || (out.port ?? 0) > 65535) throw new Error(`invalid value for --port: ${out.port}`);
  }
  return out;
}

export async function runServe(argv: string[]): Promise<number> {
  let flags: ServeFlags;
  try {
    flags = parseServeArgs(argv);
  } catch (err: any) {
    console.error(`kubeplay serve: ${err.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (flags.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  const server = await startServer({
    ...flags,
    stateDir: flags.stateDir ?? path.join(os.homedir(), '.kubeplay'),
    exposeNodePorts: !flags.noNodePorts,
    // With --json, stdout carries the one JSON line its reader expects; the rest goes to stderr.
    log: flags.json ? (l) => console.error(`kubeplay: ${l}`) : (l) => console.log(l),
  });
  if (flags.json) {
    console.log(JSON.stringify({ url: server.url, kubeconfig: server.kubeconfigPath, pid: process.pid }));
  } else {
    console.log(`Kubeplay API: ${server.url}`);
    console.log(`Kubeconfig: ${server.kubeconfigPath}`);
    console.log(`Try: kubectl --kubeconfig ${server.kubeconfigPath} get nodes`);
  }
  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(() => resolve(0), (err) => {
        console.error(`kubeplay serve: ${err?.message ?? err}`);
        resolve(1);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
