/**
 * Control-plane scale benchmark (issue 3). Each case runs in its own child
 * process so peak RSS is the case's alone:
 *   - 5,000 nodes and 150,000 pods as Deployments across namespaces;
 *   - 100 nodes and 3,000 pods;
 *   - the scheduler alone binding 150,000 pending pods, 100 to a ReplicaSet, onto 5,000 nodes.
 * Figures: wall seconds from apply until every pod is Running, peak RSS,
 * scheduler pods/s. Bars: 150k case <= 20 s and <= 2 GB; scheduler >= 20,000 pods/s.
 * Beside them, for each playground case, what its time is made of that a profile does not show: the main thread's
 * CPU (the process's other CPU is V8's garbage-collector threads) and the minor page faults, at the cost of one
 * fault measured in the same process (see faultCostUs).
 */
import { spawnSync } from 'child_process';
import type { KObject } from '../../cluster/src/contract';
import { KubePlayground } from '../../cluster/src/playground';
import { newTestControlPlane, R } from '../../cluster/src/testing';
import { createScheduler } from '../../cluster/src/scheduler';
import { PAUSE_IMAGE } from '../../cluster/src/kubelet/staticpods';
import { threadCpuMs } from './threadCpu';

interface CaseSpec {
  name: string;
  nodes: number;
  namespaces: number;
  deploymentsPerNamespace: number;
  replicas: number;
}

const CASES: CaseSpec[] = [
  { name: '150k pods / 5,000 nodes', nodes: 5000, namespaces: 50, deploymentsPerNamespace: 30, replicas: 100 },
  { name: '3k pods / 100 nodes', nodes: 100, namespaces: 10, deploymentsPerNamespace: 10, replicas: 30 },
];

interface Result {
  case: string;
  pods: number;
  running: number;
  wallSeconds: number;
  bootSeconds: number;
  peakRssMB: number;
  simSeconds: number;
  schedulerPodsPerSec?: number;
  /** The scheduler case: the most pods of one ReplicaSet it put on one node (the spread at work: 1 on 5,000 nodes). */
  mostOfOneOwnerOnANode?: number;
  /** The same per CPU second of the scheduling phase, which other processes on the machine do not dilute. */
  schedulerPodsPerCpuSec?: number;
  /** CPU seconds the case used (user + system): on a shared machine, wall time also counts other people's work. */
  cpuSeconds?: number;
  /** CPU seconds of the main thread in the timed part (the rest of the process's is V8's helper threads: GC). */
  mainThreadCpuSeconds?: number;
  /** Minor page faults in the timed part: each first touch of a page of memory the process had not used. */
  minorFaults?: number;
  /** What one such fault cost on this machine, measured in the same process just before the case (see faultCostUs). */
  faultCostUs?: number;
  ok: boolean;
}

/**
 * The pods' image: the sandbox image a kind node of Kubernetes 1.34 ships preloaded, as the scalability tests run
 * pause pods on nodes that have it, so the case measures the control plane rather than a pull per pod.
 * KUBEPLAY_BENCH_IMAGE picks another (`registry.k8s.io/pause:3.10`, which the benchmark used until stop 28, is
 * pulled by every pod: each node's pulls queue, and the case runs about 9 s of simulated time instead of 1).
 */
const BENCH_IMAGE = process.env.KUBEPLAY_BENCH_IMAGE ?? PAUSE_IMAGE;

/** One of the cases' Deployments: `app-<i>` in `ns`, `replicas` pods of the benchmark image. */
export function deployment(ns: string, i: number, replicas: number): string {
  const name = `app-${i}`;
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: BENCH_IMAGE }] } },
    },
  });
}

let peakRss = 0;
let calls = 0;
/** RSS is read every 2,000 loop steps (reading it is a syscall); the loop is synchronous, so timers cannot sample. */
function sampleRss(force = false): void {
  if (!force && ++calls % 2000 !== 0) return;
  const r = process.memoryUsage.rss();
  if (r > peakRss) peakRss = r;
}

/**
 * Microseconds a first touch of a 4 KiB page costs here: one byte written in each page of a fresh 16 MiB block,
 * against the same writes again once the pages are there. It depends on the host more than anything the code does:
 * 13–30 µs on the VMs of stops 46–49 (a case's 260,000 faults alone took 4–5 s there), 1.4 µs on stop 50's, which ran
 * the same code's 150k case in about half the time. Every megabyte of heap the case does not need costs where it is high.
 */
function faultCostUs(): number {
  const PAGE = 4096;
  const block = new Uint8Array(16 << 20);
  const touch = () => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < block.length; i += PAGE) block[i] = 1;
    return Number(process.hrtime.bigint() - t) / 1000;
  };
  const first = touch();
  const again = touch();
  return Math.max(0, first - again) / (block.length / PAGE);
}

function runPlaygroundCase(c: CaseSpec): Result {
  const noEvents = !!process.env.KUBEPLAY_BENCH_NO_EVENTS;
  const t0 = Date.now();
  // The playground's own default batching unless a run asks for another (KUBEPLAY_BENCH_BATCH_MS=0 turns it off).
  const batch = process.env.KUBEPLAY_BENCH_BATCH_MS;
  const pg = new KubePlayground({
    seed: 1,
    nodes: c.nodes,
    nodeCapacity: { cpu: '64', memory: '256Gi', pods: '110' },
    ...(batch !== undefined ? { controllerBatchMs: Number(batch) } : {}),
    // For a like-for-like comparison with runs before the control-plane node (and its 5,001 kube-proxy pods).
    ...(process.env.KUBEPLAY_BENCH_NO_CONTROL_PLANE ? { controlPlane: false } : {}),
  });
  const bootSeconds = (Date.now() - t0) / 1000;
  if (noEvents) (pg as any).recorder.enabled = false;
  const total = c.namespaces * c.deploymentsPerNamespace * c.replicas;
  // Count Running pods from the change stream instead of scanning 150k pods per step.
  const running = new Set<string>();
  // Only the benchmark's own namespaces count (the cluster's add-ons, such as CoreDNS in kube-system, do not).
  pg.store.tap((table, rec) => {
    if (table !== '/pods' || !rec.object.metadata.namespace?.startsWith('ns-')) return;
    // The uid names one pod and is a string the object already holds (a joined key would be one more per write).
    const key = rec.object.metadata.uid!;
    if (rec.type !== 'DELETED' && rec.object.status?.phase === 'Running') running.add(key);
    else running.delete(key);
  }, { only: ['/pods'] });
  const faultCost = faultCostUs();
  const faults0 = process.resourceUsage().minorPageFault;
  const main0 = threadCpuMs();
  const start = Date.now();
  // For profiles: the monotonic microsecond the timed part starts at (a .cpuprofile's sample clock).
  if (process.env.KUBEPLAY_BENCH_VERBOSE) process.stderr.write(`timed part starts at ${process.hrtime.bigint() / 1000n} us\n`);
  const simStart = pg.clock.now();
  for (let n = 0; n < c.namespaces; n++) {
    const ns = `ns-${n}`;
    pg.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KObject);
    const docs: string[] = [];
    for (let i = 0; i < c.deploymentsPerNamespace; i++) docs.push(deployment(ns, i, c.replicas));
    pg.apply(docs.join('\n---\n'));
    sampleRss(true);
  }
  const ok = pg.runUntil(() => {
    sampleRss();
    return running.size >= total;
  }, 30 * 60_000);
  const wallSeconds = (Date.now() - start) / 1000;
  const main1 = threadCpuMs();
  const minorFaults = process.resourceUsage().minorPageFault - faults0;
  sampleRss(true);
  const stats = pg.stats();
  if (process.env.KUBEPLAY_BENCH_VERBOSE) process.stderr.write(JSON.stringify(stats.components) + '\n');
  const res: Result = {
    case: c.name,
    pods: total,
    running: running.size,
    wallSeconds,
    bootSeconds,
    peakRssMB: Math.round(peakRss / 1048576),
    simSeconds: (pg.clock.now() - simStart) / 1000,
    ok,
    minorFaults,
    faultCostUs: Math.round(faultCost * 10) / 10,
    ...(main0 !== undefined && main1 !== undefined ? { mainThreadCpuSeconds: (main1 - main0) / 1000 } : {}),
  };
  pg.close();
  return res;
}

/** The scheduler alone: nodes and pending pods exist, then it binds them all. */
function runSchedulerCase(nodes: number, pods: number): Result {
  const cp = newTestControlPlane();
  for (let i = 0; i < nodes; i++) {
    cp.api.create(R.nodes, undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
      spec: {},
      status: {
        capacity: { cpu: '64', memory: '256Gi', pods: '110' },
        allocatable: { cpu: '64', memory: '256Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      },
    } as KObject);
  }
  // As in the 150k case, 100 pods to a ReplicaSet, each pod naming it as its controller: the scheduler's default
  // topology spread then counts each one's pods per node, as it does for the Deployments' pods.
  for (let i = 0; i < pods; i++) {
    const rs = Math.floor(i / 100);
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${rs}`, uid: `00000000-0000-4000-8000-${String(rs).padStart(12, '0')}`, controller: true };
    cp.api.create(R.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p-${i}`, labels: { app: `a${rs}` }, ownerReferences: [owner] },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    } as KObject);
  }
  cp.settle();
  sampleRss(true);
  const start = Date.now();
  const cpu0 = process.cpuUsage();
  cp.start(createScheduler(cp.ctx));
  cp.settle();
  const wallSeconds = (Date.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const schedCpu = (cpu.user + cpu.system) / 1e6;
  sampleRss(true);
  let bound = 0;
  const together = new Map<string, number>();
  for (const p of cp.store.list('/pods')) {
    if (!p.spec?.nodeName) continue;
    bound++;
    const k = `${p.metadata.ownerReferences![0].name} ${p.spec.nodeName}`;
    together.set(k, (together.get(k) ?? 0) + 1);
  }
  return {
    case: `scheduler alone: ${pods} pods / ${nodes} nodes`,
    pods,
    running: bound,
    wallSeconds,
    bootSeconds: 0,
    peakRssMB: Math.round(peakRss / 1048576),
    simSeconds: 0,
    schedulerPodsPerSec: Math.round(bound / wallSeconds),
    schedulerPodsPerCpuSec: Math.round(bound / schedCpu),
    mostOfOneOwnerOnANode: [...together.values()].reduce((a, b) => Math.max(a, b), 0),
    ok: bound === pods,
  };
}

function child(which: string): void {
  const cpu0 = process.cpuUsage();
  let r: Result;
  if (which === 'scheduler') r = runSchedulerCase(5000, 150_000);
  else if (which === 'custom') r = runPlaygroundCase(JSON.parse(process.env.KUBEPLAY_BENCH_CASE ?? '{}'));
  else r = runPlaygroundCase(CASES[Number(which)]);
  const cpu = process.cpuUsage(cpu0);
  r.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\n');
}

function spawnCase(which: string): Result | undefined {
  // A heap limit under 2 GB makes V8 collect before RSS passes the bar; more GC work, the live set is what counts.
  const heap = process.env.KUBEPLAY_BENCH_HEAP_MB ?? '1900';
  // The young-generation size the playground runs with (npm start, the VS Code client).
  const p = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${heap}`, '--max-semi-space-size=64', __filename, '--cluster-bench-child', which], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    process.stdout.write(`  case ${which} failed (exit ${p.status}): ${(p.stderr ?? '').split('\n').slice(-15).join('\n')}\n`);
    return undefined;
  }
  return JSON.parse(line.slice(7));
}

export async function run(): Promise<void> {
  const only = process.env.KUBEPLAY_BENCH_CLUSTER_CASES?.split(',');
  const which = ['0', '1', 'scheduler'].filter((w) => !only || only.includes(w));
  process.stdout.write('\n== cluster control plane (issue 3) ==\n');
  const results: Result[] = [];
  for (const w of which) {
    const r = spawnCase(w);
    if (!r) continue;
    results.push(r);
    const extra = r.schedulerPodsPerSec !== undefined ? `, scheduler ${r.schedulerPodsPerSec} pods/s wall, ${r.schedulerPodsPerCpuSec} pods per CPU-second (bar >= 20000 pods/s); at most ${r.mostOfOneOwnerOnANode} pod(s) of one ReplicaSet on a node` : `, boot ${r.bootSeconds.toFixed(1)} s, ${r.simSeconds.toFixed(0)} s simulated`;
    process.stdout.write(
      `  ${r.case}: ${r.running}/${r.pods} ${r.schedulerPodsPerSec !== undefined ? 'bound' : 'Running'} in ${r.wallSeconds.toFixed(2)} s wall (process CPU ${r.cpuSeconds?.toFixed(1)} s incl. setup), peak RSS ${r.peakRssMB} MB${extra}${r.ok ? '' : '  [DID NOT CONVERGE]'}\n`,
    );
  }
  for (const r of results) {
    if (r.minorFaults === undefined || r.faultCostUs === undefined) continue;
    const main = r.mainThreadCpuSeconds !== undefined ? `; main thread CPU ${r.mainThreadCpuSeconds.toFixed(1)} s of the ${r.wallSeconds.toFixed(1)} s` : '';
    process.stdout.write(`  ${r.case}, timed part: ${r.minorFaults.toLocaleString('en-US')} minor page faults at ${r.faultCostUs} µs each here (measured in the same process): about ${(r.minorFaults * r.faultCostUs / 1e6).toFixed(1)} s${main}\n`);
  }
  const big = results.find((r) => r.case.startsWith('150k'));
  const small = results.find((r) => r.case.startsWith('3k'));
  if (big) {
    process.stdout.write(`  bar: 150k case <= 20 s wall: ${big.wallSeconds <= 20 ? 'met' : 'NOT met'}; <= 2048 MB RSS: ${big.peakRssMB <= 2048 ? 'met' : 'NOT met'}\n`);
  }
  if (big && small && big.cpuSeconds && small.cpuSeconds) {
    process.stdout.write(`  CPU per pod, 150k case / 3k case: ${((big.cpuSeconds / big.pods) / (small.cpuSeconds / small.pods)).toFixed(2)} (1.00 = linear scaling)\n`);
  }
}

if (process.argv.includes('--cluster-bench-child')) {
  child(process.argv[process.argv.indexOf('--cluster-bench-child') + 1]);
} else if (require.main === module) {
  void run();
}
