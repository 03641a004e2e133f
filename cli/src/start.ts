/**
 * `kubeplay start` (`npm start`): the main job. Starts the playground, applies
 * examples/, lets simulated time run until the workloads settle, prints the
 * cluster as a tree and the events tagged with the component that acted,
 * then serves the Kubernetes API for kubectl until Ctrl-C (or exits, with --once).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONTROL_PLANE_BOOT_MS, createPlayground, type KubePlayground } from '../../cluster/src/playground';
import type { Api, KObject } from '../../cluster/src/contract';
import { startServer } from './serve';
import { clusterTree, eventLog, GVRS } from './clusterTree';
import { getSchema } from '../../kube/src/schema';

/** Served, the cluster's clock ends this far behind the wall clock, so a run that settles a little later stays in the past. */
const REHEARSAL_MARGIN_MS = 5_000;

const USAGE = `Usage: kubeplay start [--once] [examples-folder] [options]

Starts the playground, applies the manifests of examples/ (or the folder
given), runs simulated time until they settle, prints the cluster and its
events, and serves the Kubernetes API until Ctrl-C.

Options:
  --once              exit after printing instead of serving
  --nodes N           simulated worker nodes, besides the control-plane node (default 3)
  --speed X           simulated seconds per second while serving (default 1)
  --port N            API port (default 0: a free port)
  --state DIR         keep the playground's state (certificates, token, cluster) in DIR
  --max-wait SECONDS  simulated seconds to wait for the workloads to settle (default 600)`;

interface StartFlags {
  once: boolean;
  dir?: string;
  nodes?: number;
  speed?: number;
  port?: number;
  state?: string;
  maxWait: number;
}

function parse(argv: string[]): StartFlags | string {
  const f: StartFlags = { once: false, maxWait: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (name: string) => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number`);
      return v;
    };
    try {
      if (a === '--once') f.once = true;
      else if (a === '--nodes') f.nodes = num(a);
      else if (a === '--speed') f.speed = num(a);
      else if (a === '--port') f.port = num(a);
      else if (a === '--max-wait') f.maxWait = num(a);
      else if (a === '--state') f.state = argv[++i];
      else if (a === '--help' || a === '-h') return USAGE;
      else if (a.startsWith('-')) return `kubeplay start: unknown option ${a}\n\n${USAGE}`;
      else f.dir = a;
    } catch (e) {
      return `kubeplay start: ${(e as Error).message}`;
    }
  }
  return f;
}

function examplesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'examples');
    if (fs.existsSync(p) && fs.existsSync(path.join(dir, 'package.json'))) return p;
  }
  throw new Error('examples/ not found');
}

/** Every workload has what it asked for: the point at which a user would say "it's up". */
export function settled(api: Api): boolean {
  const all = (gvr: (typeof GVRS)[keyof typeof GVRS]) => api.list(gvr, undefined).items;
  const pods = all(GVRS.pods);
  if (pods.some((p) => p.metadata.deletionTimestamp || !['Running', 'Succeeded'].includes(p.status?.phase))) return false;
  if (pods.some((p) => p.status?.phase === 'Running' && !(p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'))) return false;
  const ok = (o: KObject, want: number, have: number | undefined) => (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0) && (have ?? 0) >= want;
  if (all(GVRS.deployments).some((d) => !ok(d, d.spec?.replicas ?? 1, Math.min(d.status?.availableReplicas ?? 0, d.status?.updatedReplicas ?? 0)) || (d.status?.replicas ?? 0) !== (d.spec?.replicas ?? 1))) return false;
  if (all(GVRS.statefulsets).some((s) => !ok(s, s.spec?.replicas ?? 1, s.status?.readyReplicas))) return false;
  if (all(GVRS.daemonsets).some((d) => !ok(d, d.status?.desiredNumberScheduled ?? 0, d.status?.numberReady))) return false;
  if (all(GVRS.jobs).some((j) => !(j.status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'))) return false;
  // An autoscaler has settled once its recommendation matches the size (or it cannot act); not while metrics are still to come.
  for (const h of all(GVRS.hpas)) {
    const cond = (type: string) => (h.status?.conditions ?? []).find((c: any) => c.type === type);
    const active = cond('ScalingActive');
    if (!active) return false;
    if (active.status === 'True' && cond('AbleToScale')?.reason !== 'ReadyForNewScale') return false;
    // A utilization outside the 10% tolerance will move it at the next sync, unless it is at a bound.
    const bound = [h.spec?.minReplicas ?? 1, h.spec?.maxReplicas].includes(h.status?.currentReplicas);
    const off = (h.spec?.metrics ?? []).some((m: any, i: number) => {
      const want = m?.resource?.target?.averageUtilization;
      const have = h.status?.currentMetrics?.[i]?.resource?.current?.averageUtilization;
      return typeof want === 'number' && typeof have === 'number' && (have / want < 0.9 || have / want > 1.1);
    });
    if (active.status === 'True' && off && !bound) return false;
    if (active.status === 'False' && /no metrics returned|did not receive metrics|currently unable to handle the request/.test(active.message ?? '')) return false;
  }
  return true;
}

export async function runStart(argv: string[]): Promise<number> {
  const flags = parse(argv);
  if (typeof flags === 'string') {
    const help = flags === USAGE;
    (help ? console.log : console.error)(flags);
    return help ? 0 : 2;
  }
  const dir = flags.dir ?? examplesDir();
  const files = fs.readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  const schema = getSchema();
  const applyAll = (p: KubePlayground, report: boolean): number => {
    let bad = 0;
    for (const f of files) {
      try {
        for (const r of p.apply(fs.readFileSync(path.join(dir, f), 'utf8'))) {
          if (!report) continue;
          const kind = r.object.kind.toLowerCase();
          const group = r.gvr.group ? `.${r.gvr.group}` : '';
          console.log(`  ${kind}${group}/${r.object.metadata.name} ${r.action}`);
        }
      } catch (e) {
        bad++;
        if (report) console.error(`  ${f}: ${(e as Error).message}`);
      }
    }
    return bad;
  };
  // Settling runs simulated time ahead of the wall clock. When the cluster is then served, its clock must not be
  // in the future: kubectl computes ages from its own clock, and `describe` would print <invalid> for everything
  // newer than the lead. A rehearsal measures how long settling takes, and the real run starts that long ago.
  let startTime = Date.now();
  if (!flags.once) {
    const rehearsal = createPlayground({ nodes: flags.nodes ?? 3, startTime, seed: 1, addons: ['ingress-nginx'] });
    applyAll(rehearsal, false);
    rehearsal.runUntil(() => settled(rehearsal.api), flags.maxWait * 1000);
    startTime = Date.now() - (rehearsal.clock.now() - startTime) - REHEARSAL_MARGIN_MS;
    rehearsal.close();
  }
  // With the NGINX Ingress controller, as `kubeplay serve --addons ingress-nginx`: the examples' Ingress routes.
  const pg = createPlayground({ nodes: flags.nodes ?? 3, startTime, seed: 1, addons: ['ingress-nginx'] });
  console.log(`Kubeplay playground: a control-plane node and ${flags.nodes ?? 3} worker nodes, Kubernetes ${schema.data.kubernetesVersion} API`);
  console.log(`Applying ${path.relative(process.cwd(), dir) || dir}/ ...`);
  const failed = applyAll(pg, true);
  const wall = Date.now();
  const ok = pg.runUntil(() => settled(pg.api), flags.maxWait * 1000);
  const simSeconds = (pg.clock.now() - startTime) / 1000;
  console.log(
    ok
      ? `Settled after ${simSeconds.toFixed(1)} s of simulated time (${Date.now() - wall} ms of wall time).`
      : `Not settled after ${flags.maxWait} s of simulated time; showing the cluster as it is.`,
  );
  console.log('');
  console.log(clusterTree(pg.api, 'Cluster'));
  console.log('');
  console.log('Events (who acted, and what it did):');
  // From the control plane's boot on, which a fresh playground runs before its start time (CONTROL_PLANE_BOOT_MS).
  for (const line of eventLog(pg.api, startTime - CONTROL_PLANE_BOOT_MS)) console.log('  ' + line);
  console.log('');

  // Served until Ctrl-C, NodePort Services are reachable on localhost as on Docker Desktop.
  const server = await startServer({ playground: pg, port: flags.port, stateDir: flags.state, speed: flags.speed, exposeNodePorts: !flags.once, log: (l) => console.log(`  ${l}`) });
  console.log(`Kubernetes API: ${server.url}`);
  console.log(`Kubeconfig:     ${server.kubeconfigPath}`);
  console.log(`Try:            KUBECONFIG=${server.kubeconfigPath} kubectl get pods -A -o wide`);
  // The examples' Ingress, through the ingress-nginx controller's NodePort (browsers send *.localhost here).
  const ingressPort = ingressHttpPort(pg);
  if (!flags.once && ingressPort) console.log(`Ingress:        http://web.localhost:${ingressPort}/  (the web Service through ingress-nginx)`);
  const code = failed ? 1 : 0;
  if (flags.once) {
    await server.close();
    pg.close();
    return code;
  }
  console.log('Serving until Ctrl-C.');
  return new Promise((resolve) => {
    const stop = async () => {
      await server.close();
      pg.close();
      resolve(code);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The ingress-nginx controller Service's HTTP NodePort, when the add-on runs. */
function ingressHttpPort(pg: { api: { get(gvr: any, ns: string, name: string): any } }): number | undefined {
  try {
    const svc = pg.api.get({ group: '', version: 'v1', resource: 'services' }, 'ingress-nginx', 'ingress-nginx-controller');
    return (svc.spec?.ports ?? []).find((p: any) => p.name === 'http')?.nodePort;
  } catch {
    return undefined;
  }
}
