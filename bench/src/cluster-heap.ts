/**
 * What a running pod keeps in memory (issue 3): the live heap a pod adds to the playground, measured at 10,000
 * pods on 100 nodes after full collections, and what it is made of, by kind of heap object.
 *
 * The 150k case's wall time is mostly spent waiting on memory (see the closing notes of issue 3), so a smaller
 * working set per pod is the way to it. Wall time on a shared 2-core machine moves by a fifth from run to run and
 * hides a change of a few percent. The census of data objects is the same on every run of the same code (the
 * playground is deterministic; only compiled code, which it leaves out, differs), so a change that shrinks what a
 * pod keeps shows here even when the 150k case cannot tell.
 *
 * The census parses a V8 heap snapshot taken before the Deployments are applied and one taken once every pod
 * runs, and subtracts. An object is classed by its own property names (its shape), so the rows say which kind of
 * record takes the room: a stored Event, an Event's metadata, the kubelet's record of a container, and so on.
 * At 10,000 pods the Events stay under the playground's cap of 50,000, so the rows include about four per pod.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import type { KObject } from '../../cluster/src/contract';
import { KubePlayground } from '../../cluster/src/playground';
import { R } from '../../cluster/src/testing';
import { deployment } from './cluster';

const NAMESPACES = 10;
const DEPLOYMENTS = 10;
const REPLICAS = 100;
const PODS = NAMESPACES * DEPLOYMENTS * REPLICAS;
/** Rows printed, most bytes per pod first. */
const TOP = 14;

interface Row {
  kind: string;
  count: number;
  bytes: number;
}

interface HeapResult {
  pods: number;
  running: number;
  events: number;
  /** heapUsed after full collections, per pod: with compiled code, which varies a little from run to run. */
  bytesPerPod: number;
  /** The census's data objects (all but code), per pod. */
  dataBytesPerPod: number;
  objectsPerPod: number;
  rows: Row[];
}

/** Live heap objects by kind: [count, self bytes]. */
type Census = Map<string, [number, number]>;

/** The kind of one heap object: a plain object by its property names, anything else by V8's type (and name). */
function census(): Census {
  const snap = JSON.parse(readSnapshot());
  const meta = snap.snapshot.meta;
  const nf: number = meta.node_fields.length;
  const ef: number = meta.edge_fields.length;
  const nodeTypes: string[] = meta.node_types[0];
  const edgeTypes: string[] = meta.edge_types[0];
  const T = meta.node_fields.indexOf('type');
  const NAME = meta.node_fields.indexOf('name');
  const SIZE = meta.node_fields.indexOf('self_size');
  const EC = meta.node_fields.indexOf('edge_count');
  const ET = meta.edge_fields.indexOf('type');
  const EN = meta.edge_fields.indexOf('name_or_index');
  const nodes: number[] = snap.nodes;
  const edges: number[] = snap.edges;
  const strings: string[] = snap.strings;
  const out: Census = new Map();
  let e = 0;
  for (let i = 0; i < nodes.length; i += nf) {
    const type = nodeTypes[nodes[i + T]];
    const ec = nodes[i + EC];
    let kind: string;
    if (type === 'object') {
      const props: string[] = [];
      for (let k = 0; k < ec; k++) {
        const at = e + k * ef;
        if (edgeTypes[edges[at + ET]] === 'property') {
          const p = strings[edges[at + EN]];
          if (p !== '__proto__') props.push(p);
        }
      }
      const ctor = strings[nodes[i + NAME]];
      kind = `${ctor === 'Object' ? '' : `${ctor} `}{${props.slice(0, 6).join(', ')}${props.length > 6 ? ', …' : ''}}`;
    } else if (type === 'concatenated string') kind = 'string (concatenated: a rope of parts)';
    else if (type === 'string' || type === 'sliced string' || type === 'number') kind = type;
    else if (type === 'array' || type === 'hidden') kind = `${type} ${strings[nodes[i + NAME]].slice(0, 40)}`.trim();
    else kind = type;
    e += ec * ef;
    const row = out.get(kind);
    if (row) {
      row[0]++;
      row[1] += nodes[i + SIZE];
    } else out.set(kind, [1, nodes[i + SIZE]]);
  }
  return out;
}

function readSnapshot(): string {
  // getHeapSnapshot() streams; writeHeapSnapshot() to a file and back is the synchronous way.
  const file = v8.writeHeapSnapshot(path.join(os.tmpdir(), `kubeplay-bench-heap-${process.pid}.heapsnapshot`));
  try {
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function child(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const used = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const pg = new KubePlayground({ seed: 1, nodes: 100, nodeCapacity: { cpu: '64', memory: '256Gi', pods: '110' } });
  const running = new Set<string>();
  pg.store.tap((table, rec) => {
    if (!rec.object.metadata.namespace?.startsWith('ns-')) return;
    if (rec.type !== 'DELETED' && rec.object.status?.phase === 'Running') running.add(rec.object.metadata.uid!);
    else running.delete(rec.object.metadata.uid!);
  }, { only: ['/pods'] });
  const before = census();
  const heap0 = used();
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    pg.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KObject);
    const docs: string[] = [];
    for (let i = 0; i < DEPLOYMENTS; i++) docs.push(deployment(ns, i, REPLICAS));
    pg.apply(docs.join('\n---\n'));
  }
  pg.runUntil(() => running.size >= PODS, 30 * 60_000);
  const heap1 = used();
  const after = census();
  const rows: Row[] = [];
  let objects = 0;
  let data = 0;
  for (const [kind, [count, bytes]] of after) {
    const [c0, b0] = before.get(kind) ?? [0, 0];
    if (kind === 'code' || kind === 'closure') continue;
    objects += count - c0;
    data += bytes - b0;
    if (bytes - b0 > 0) rows.push({ kind, count: count - c0, bytes: bytes - b0 });
  }
  rows.sort((a, b) => b.bytes - a.bytes);
  const r: HeapResult = {
    pods: PODS,
    running: running.size,
    events: pg.store.count('/events'),
    bytesPerPod: Math.round((heap1 - heap0) / PODS),
    dataBytesPerPod: Math.round(data / PODS),
    objectsPerPod: objects / PODS,
    rows: rows.slice(0, TOP),
  };
  pg.close();
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\n');
}

export async function run(): Promise<void> {
  const only = process.env.KUBEPLAY_BENCH_CLUSTER_CASES?.split(',');
  if (only && !only.includes('heap')) return;
  process.stdout.write(`\n== what a running pod keeps: the live heap at ${PODS.toLocaleString('en')} pods on 100 nodes, per pod ==\n`);
  const p = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', '--max-old-space-size=4096', '--max-semi-space-size=64', __filename, '--heap-child'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    process.stdout.write(`  heap census failed (exit ${p.status}): ${(p.stderr ?? '').split('\n').slice(-10).join('\n')}\n`);
    return;
  }
  const r: HeapResult = JSON.parse(line.slice(7));
  process.stdout.write(`  ${r.running}/${r.pods} Running, ${r.events.toLocaleString('en')} Events stored\n`);
  process.stdout.write(`  live heap per pod: ${r.bytesPerPod.toLocaleString('en')} bytes; of it data, ${r.dataBytesPerPod.toLocaleString('en')} bytes in ${r.objectsPerPod.toFixed(1)} heap objects (these two within a few bytes on every run of the same code)\n`);
  process.stdout.write('  the most of it, per pod:\n');
  for (const row of r.rows) {
    process.stdout.write(`    ${(row.bytes / r.pods).toFixed(0).padStart(6)} B  ${(row.count / r.pods).toFixed(2).padStart(6)} ×  ${row.kind}\n`);
  }
}

if (process.argv.includes('--heap-child')) {
  child();
} else if (require.main === module) {
  void run();
}
