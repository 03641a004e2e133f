/**
 * The floor under issue 3's 150k-pod case: how long the case's bare writes take on this machine when nothing else
 * runs, for two ways of keeping a pod. No scheduling, no controllers, no watch delivery, no validation: only the
 * four writes of each pod (create, bind, two status writes) and its four Events, into a store map and one
 * informer map, with Events capped at 50,000 as the playground caps them.
 *   - trees: each write a fresh frozen JSON tree, copied from the last as the apiserver does (the playground's way),
 *     sharing with its siblings what the playground's pods share. The pod and Event are the ones a playground
 *     really stores, taken from a one-pod run first.
 *   - records: a pod as one small record of its own fields (name, uid, node, phase, IP, ...) that points at its
 *     template, and Events as slots of preallocated columns: the "compact records" design that the closing notes
 *     of issue 3 name as the way to the bar.
 * Each runs in a child process of its own (peak RSS is its alone), with the flags the case runs with.
 */
import { spawnSync } from 'child_process';
import type { KObject } from '../../cluster/src/contract';
import { KubePlayground } from '../../cluster/src/playground';
import { PAUSE_IMAGE } from '../../cluster/src/kubelet/staticpods';
import { deepFreeze as freeze } from '../../cluster/src/runtime/objects';

const PODS = 150_000;
const NODES = 5_000;
const EVENT_CAP = 50_000;

interface FloorResult {
  way: string;
  seconds: number;
  rssMB: number;
}

/** One pod and one Event as the playground stores them. */
function samples(): { pod: KObject; event: KObject } {
  const pg = new KubePlayground({ seed: 1, nodes: 1 });
  pg.apply(
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'main', image: PAUSE_IMAGE }] } } },
    }),
  );
  const running = () => [...pg.store.list('/pods', 'default')].find((p) => p.status?.phase === 'Running');
  pg.runUntil(() => !!running(), 60_000);
  const pod = running();
  const event = [...pg.store.list('/events', 'default')].find((e) => (e as any).involvedObject?.kind === 'Pod');
  pg.close();
  if (!pod || !event) throw new Error('the one-pod playground did not run its pod');
  // Frozen, as the playground's stored objects are (a spread of a frozen object takes a slower path in V8, and an
  // Event spread from a plain one gets a map of its own when frozen: neither is the playground's way).
  return { pod: freeze(JSON.parse(JSON.stringify(pod))), event: freeze(JSON.parse(JSON.stringify(event))) };
}

function trees(): void {
  const { pod, event } = samples();
  const store = new Map<string, KObject>();
  const informer = new Map<string, KObject>();
  const events = new Array<KObject | undefined>(EVENT_CAP);
  let evAt = 0;
  let rev = 1;
  const put = (key: string, o: KObject) => {
    o.metadata.resourceVersion = String(++rev);
    freeze(o);
    store.set(key, o);
    informer.set(key, o);
  };
  const record = (ns: string, name: string, reason: string) => {
    const e = { ...event, metadata: { ...event.metadata, name: `${name}.${rev.toString(16)}`, namespace: ns, uid: `e-${rev}` }, involvedObject: { ...(event as any).involvedObject, name, namespace: ns }, reason } as KObject;
    e.metadata.resourceVersion = String(++rev);
    events[evAt++ % EVENT_CAP] = freeze(e);
  };
  // Each pod version gets fresh copies of exactly the parts the playground's pods do not share with their siblings
  // (measured on a converged playground: about 16 objects per pod): the roots of the pod, its metadata, spec and
  // status, its container and container status, the API-access volume and its mounts (their name is the pod's own),
  // and the pod IP. The rest (the projected volume's sources, tolerations, conditions, container state) is shared.
  const spec0 = JSON.parse(JSON.stringify(pod.spec));
  delete spec0.nodeName;
  freeze(spec0);
  const c0 = spec0.containers[0];
  const vol0 = spec0.volumes[0];
  const running = freeze(JSON.parse(JSON.stringify(pod.status)));
  const cs0 = running.containerStatuses[0];
  const waiting = freeze({ ...running, phase: 'Pending', podIP: undefined, podIPs: undefined, containerStatuses: [{ ...cs0, ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } }] });
  const statusOf = (base: any, vol: string, extra: object) => ({
    ...base,
    ...extra,
    containerStatuses: [{ ...base.containerStatuses[0], volumeMounts: [{ ...cs0.volumeMounts[0], name: vol }] }],
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < PODS; i++) {
    const ns = `ns-${i % 50}`;
    const name = `${pod.metadata.generateName}${i.toString(36)}`;
    const key = `${ns}/${name}`;
    const vol = `kube-api-access-${i.toString(36)}`;
    // Created from the template, with the pod's own API-access volume; no node yet.
    const spec = { ...spec0, containers: [{ ...c0, volumeMounts: [{ ...c0.volumeMounts[0], name: vol }] }], volumes: [{ ...vol0, name: vol }] };
    put(key, { ...pod, metadata: { ...pod.metadata, name, namespace: ns, uid: `uid-${i}` }, spec, status: { phase: 'Pending', qosClass: pod.status?.qosClass } });
    let p = store.get(key)!;
    put(key, { ...p, metadata: { ...p.metadata }, spec: { ...p.spec, nodeName: `node-${i % NODES}` } });
    record(ns, name, 'Scheduled');
    p = store.get(key)!;
    put(key, { ...p, metadata: { ...p.metadata }, status: statusOf(waiting, vol, {}) });
    record(ns, name, 'Pulled');
    record(ns, name, 'Created');
    record(ns, name, 'Started');
    p = store.get(key)!;
    const ip = `10.244.${(i >> 8) & 255}.${i & 255}`;
    put(key, { ...p, metadata: { ...p.metadata }, status: statusOf(running, vol, { podIP: ip, podIPs: [{ ip }] }) });
  }
  report('trees', start);
}

class PodRecord {
  rv = 0;
  nodeName = '';
  phase = 0;
  podIP = '';
  startedAt = 0;
  containerID = '';
  ready = false;
  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly uid: string,
    readonly template: KObject,
  ) {}
}

function records(): void {
  const { pod } = samples();
  const store = new Map<string, PodRecord>();
  const informer = new Map<string, PodRecord>();
  const evObject = new Array<PodRecord | undefined>(EVENT_CAP);
  const evReason = new Uint8Array(EVENT_CAP);
  const evRev = new Float64Array(EVENT_CAP);
  let evAt = 0;
  let rev = 1;
  // A record is replaced, not changed, on every write (readers may hold the last one), as the trees are.
  const put = (key: string, r: PodRecord) => {
    r.rv = ++rev;
    store.set(key, r);
    informer.set(key, r);
  };
  const copy = (r: PodRecord) => Object.assign(new PodRecord(r.namespace, r.name, r.uid, r.template), r);
  const record = (r: PodRecord, reason: number) => {
    const i = evAt++ % EVENT_CAP;
    evObject[i] = r;
    evReason[i] = reason;
    evRev[i] = ++rev;
  };
  const start = process.hrtime.bigint();
  for (let i = 0; i < PODS; i++) {
    const ns = `ns-${i % 50}`;
    const name = `${pod.metadata.generateName}${i.toString(36)}`;
    const key = `${ns}/${name}`;
    put(key, new PodRecord(ns, name, `uid-${i}`, pod));
    let r = copy(store.get(key)!);
    r.nodeName = `node-${i % NODES}`;
    put(key, r);
    record(r, 1);
    r = copy(r);
    r.phase = 1;
    r.startedAt = i;
    put(key, r);
    record(r, 2);
    record(r, 3);
    record(r, 4);
    r = copy(r);
    r.phase = 2;
    r.podIP = `10.244.${(i >> 8) & 255}.${i & 255}`;
    r.containerID = i.toString(16).padStart(64, '0');
    r.ready = true;
    put(key, r);
  }
  report('records', start);
}

function report(way: string, start: bigint): void {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const r: FloorResult = { way, seconds, rssMB: Math.round(process.memoryUsage.rss() / 1048576) };
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\n');
}

function spawnWay(way: string): FloorResult | undefined {
  const p = spawnSync(process.execPath, [...process.execArgv, '--max-old-space-size=1900', '--max-semi-space-size=64', __filename, '--floor-child', way], { encoding: 'utf8' });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    process.stdout.write(`  floor (${way}) failed (exit ${p.status}): ${(p.stderr ?? '').split('\n').slice(-8).join('\n')}\n`);
    return undefined;
  }
  return JSON.parse(line.slice(7));
}

export async function run(): Promise<void> {
  const only = process.env.KUBEPLAY_BENCH_CLUSTER_CASES?.split(',');
  if (only && !only.includes('floor')) return;
  process.stdout.write(`\n== the floor under the 150k case: ${PODS.toLocaleString('en')} pods, 4 writes and 4 Events each, nothing else ==\n`);
  const t = spawnWay('trees');
  const r = spawnWay('records');
  if (t) process.stdout.write(`  as frozen JSON trees (the playground's way): ${t.seconds.toFixed(2)} s, RSS ${t.rssMB} MB\n`);
  if (r) process.stdout.write(`  as compact records: ${r.seconds.toFixed(2)} s, RSS ${r.rssMB} MB\n`);
  if (t && r) process.stdout.write(`  trees / records: ${(t.seconds / r.seconds).toFixed(1)}x the time (the 150k case's bar is 20 s for all its work)\n`);
}

if (process.argv.includes('--floor-child')) {
  const way = process.argv[process.argv.indexOf('--floor-child') + 1];
  if (way === 'trees') trees();
  else records();
} else if (require.main === module) {
  void run();
}
