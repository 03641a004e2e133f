/**
 * The playground façade: one simulated cluster. It owns the clock, the
 * seeded randomness, the store and the apiserver, builds every component
 * through playground/wiring.ts, and runs them on one loop. Same seed and
 * same calls give the same names, events and timings.
 */
import { ADDONS } from './contract';
import type {
  Api, ApplyResult, Component, ComponentContext, DeleteOptions, GVR, KObject, LogLine, Playground, PlaygroundOptions, PlaygroundStats, WriteOptions,
} from './contract';
import { ApiServer } from './apiserver/api';
import { resourceForKind, gvrOf, storageId } from './apiserver/resources';
import { badRequest, isStatusError, notFound } from './apiserver/status';
import { Recorder } from './events';
import { SimClock } from './runtime/clock';
import { stopInformers } from './runtime/informer';
import { Loop } from './runtime/loop';
import { WorkQueue } from './runtime/queue';
import { rfc3339 } from './runtime/objects';
import { SeededRand } from './runtime/rand';
import { Store } from './store/store';
import { loadDisks, loadServiceAccountKey, loadSnapshot, saveDisks, saveServiceAccountKey, saveSnapshot, SA_KEY_FILE } from './store/persist';
import { Disks, normalize } from './kubelet/disk';
import type { ExecWorld } from './kubelet/execenv';
import type { PodApiAnswer, PodApiRequest, PodApiServer } from './network/apiserver';
import type { RouteSource } from './network/proxy';
import { ROOT_CA_STANDIN } from './controllers/namespace/namespace';
import { installKubeadmCertificateBindings } from './auth/policy';
import type { IngressGateway } from './kubelet/ingresssite';
import type { Verdict } from '../../kube/src/networkPolicy';
import { traceConnection, type ConnectionTrace } from './kubelet/reach';
import { bootstrap } from './playground/bootstrap';
import { installCoreDNS } from './playground/coredns';
import { installMetricsServer } from './playground/metricsserver';
import { ensureLocalAPIServices } from './playground/aggregator';
import { ensureDefaultServiceCIDR } from './network/ipaddresses';
import type { FlowRequest } from './apiserver/flowcontrol';
import { installKubeProxy } from './playground/kubeproxy';
import { installKindnet } from './playground/kindnet';
import { installLocalPathProvisioner } from './playground/localpath';
import { installIngressNginx } from './playground/ingressnginx';
import { clientSideApply, noKindMatch } from './playground/apply';
import { parseManifest } from './playground/manifest';
import { wire, type Wiring } from './playground/wiring';
import { ClusterCounts, computeStats } from './playground/stats';
import { rolloutUndoDeployment } from './controllers';
import { logs as kubeletLogs } from './kubelet';
import { LAST_USED_LABEL, TokenIssuer } from './auth/issuer';
import { actingAs, ADMIN_ACTOR, APISERVER_WRITE } from './auth/identities';
import { ensureRbacDefaults } from './auth/policy';

/** 2026-01-01T00:00:00Z: a fixed default start, so runs repeat. */
export const DEFAULT_START = Date.UTC(2026, 0, 1);
const LOG_HISTORY = 5000;
/**
 * How long kind's control plane has been up when the playground is handed over. `kind create cluster` returns after
 * kubeadm init (whose wait-control-plane phase waits for the static pods to answer their health checks), the CNI and
 * storage installs and the workers' kubeadm join: by then etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler are Running and Ready, and older than the workers. A fresh playground runs this much simulated time
 * before the start time asked for: the control-plane node alone (its static pods pass their 10 s startup probes and
 * turn Ready), then the add-ons and the workers' join (KUBEADM_INIT_MS), and every node turns Ready once kindnet's pod
 * runs on it.
 */
export const CONTROL_PLANE_BOOT_MS = 20_000;
/** When, in that boot, kubeadm init is done (its static pods up) and kind goes on with the add-ons and the workers' join. */
export const KUBEADM_INIT_MS = 10_000;
/** Controller queues batch keys over this much simulated time: a burst of pod updates costs one sync of their owner, as a busy controller-manager's queue coalesces them. */
const DEFAULT_CONTROLLER_BATCH_MS = 50;

export class KubePlayground implements Playground {
  readonly clock: SimClock;
  readonly store = new Store();
  readonly rand: SeededRand;
  readonly loop: Loop;
  /** Stable across reset: forwards to the current apiserver. */
  readonly api: Api;
  private inner!: ApiServer;
  private recorder!: Recorder;
  private wiring!: Wiring;
  /** The HTTP server's handlers, for pods' requests to the apiserver (serveApiToPods). */
  private podApi?: (req: PodApiRequest) => PodApiAnswer;
  private components: Component[] = [];
  private counters: Record<string, Record<string, number>> = {};
  private logListeners = new Set<(l: LogLine) => void>();
  private history: LogLine[] = [];
  private speed: number;
  private paused = false;
  private realtime: NodeJS.Timeout | undefined;
  private lastWall = 0;
  private carry = 0;
  private soon: NodeJS.Immediate | undefined;
  private dirty = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private counts!: ClusterCounts;
  /** What containers wrote: layers, emptyDirs, node disks and volumes (kubelet/disk.ts), saved with the state. */
  readonly disks = new Disks();
  /** The disks' version last written to the disks file. */
  private savedDisks = -1;
  /** Signs and checks service-account tokens (its key lives in the state folder; a reset makes a new one). */
  readonly tokens: TokenIssuer;

  constructor(private readonly opts: PlaygroundOptions = {}) {
    const saved = opts.stateDir ? loadSnapshot(opts.stateDir) : undefined;
    // A fresh cluster with a control plane boots before the start time (CONTROL_PLANE_BOOT_MS); a restored one goes on from its own time.
    const boots = !(saved && 'snapshot' in saved) && (opts.controlPlane ?? true);
    this.clock = new SimClock((opts.startTime ?? DEFAULT_START) - (boots ? CONTROL_PLANE_BOOT_MS : 0));
    this.rand = new SeededRand(opts.seed ?? 1);
    this.speed = opts.speed ?? 1;
    this.loop = new Loop(this.clock, this.store);
    this.loop.onSettled = () => this.afterSettle();
    this.loop.onRunaway = (n) => this.log('playground', `stopped a settle after ${n} steps: some component keeps rewriting`);
    const kick = () => this.kick();
    this.clock.onWork = kick;
    this.store.onWork = kick;
    this.store.onChange = () => {
      this.dirty = true;
    };
    // What the CLI, the extension and benchmarks do through playground.api is the kind kubeconfig user's doing.
    this.api = actingAs(forwardingApi(() => this.inner), ADMIN_ACTOR);
    this.disks.onChange = () => {
      this.dirty = true;
      this.afterSettle();
    };
    let restored = false;
    if (saved && opts.stateDir) {
      const r = saved;
      if ('snapshot' in r) {
        this.store.load(r.snapshot.rev, r.snapshot.tables);
        this.clock.setNow(r.snapshot.time);
        this.rand.setState(r.snapshot.rand);
        restored = true;
        // What containers wrote belongs to the cluster it was saved with: a fresh cluster starts with empty disks.
        const d = loadDisks(opts.stateDir);
        if ('disks' in d) this.disks.load(d.disks);
        else if ('corrupt' in d) this.log('playground', `disks file unusable (${d.corrupt}); moved to ${d.movedTo}, containers start with empty disks`);
        this.savedDisks = this.disks.version;
      } else if ('corrupt' in r) {
        this.log('playground', `state file unusable (${r.corrupt}); moved to ${r.movedTo}, starting fresh`);
      }
    }
    this.tokens = this.issuerFor(restored);
    this.build(restored);
  }

  /**
   * The token issuer, with the state folder's key when the cluster it signed for was restored. A fresh cluster
   * (first start, a state file set aside, a reset) gets a new key, as a new cluster has a new sa.key: its
   * accounts reuse the seeded uids of the old one, and the old tokens must not fit them.
   */
  private issuerFor(restored: boolean): TokenIssuer {
    const dir = this.opts.stateDir;
    const keep = dir ? (pem: string) => {
      try {
        saveServiceAccountKey(dir, pem);
      } catch (e) {
        this.log('playground', `could not keep the service-account key: ${(e as Error).message}`);
      }
    } : undefined;
    const keyPem = dir && restored ? loadServiceAccountKey(dir) : undefined;
    if (keyPem) {
      try {
        return new TokenIssuer(this.store, this.clock, keyPem, keep);
      } catch (e) {
        this.log('playground', `service-account key ${SA_KEY_FILE} unusable (${(e as Error).message}); a new one is made`);
      }
    }
    return new TokenIssuer(this.store, this.clock, undefined, keep);
  }

  // ---------- assembly ----------

  private build(restored: boolean): void {
    WorkQueue.setCoalesce(this.clock, this.opts.controllerBatchMs ?? DEFAULT_CONTROLLER_BATCH_MS);
    this.store.commitHooks.length = 0;
    // A pod gone from the store takes its layers and emptyDirs along; a deleted PV, its data.
    this.store.commitHooks.push((table, prev, next) => {
      if (next || !prev) return;
      if (table === '/pods') this.disks.dropPod(prev.metadata.uid ?? prev.metadata.name!);
      else if (table === '/persistentvolumes') this.disks.dropVolume(prev.metadata.name!, provisionedFolder(prev));
    });
    this.counts = new ClusterCounts(this.store);
    this.inner = new ApiServer({ store: this.store, clock: this.clock, rand: this.rand, count: (c) => this.count('apiserver', c) });
    this.inner.tokens = this.tokens;
    // The legacy validator's merge patch of the Secret's last-used label (through the apiserver's loopback client,
    // pkg/kubeapiserver/options/authentication.go SecretsWriter); a Secret that changed meanwhile is left be.
    this.tokens.markSecretUsed = (ns, name, uid, day) => {
      try {
        this.inner.patch({ group: '', version: 'v1', resource: 'secrets' }, ns, name, 'merge', { metadata: { uid, labels: { [LAST_USED_LABEL]: day } } }, APISERVER_WRITE);
      } catch (e) {
        if (!isStatusError(e)) throw e;
      }
    };
    this.recorder = new Recorder(this.store, this.clock, this.rand, {
      maxEvents: this.opts.maxEvents,
      onEvent: (repeat) => this.count('events', repeat ? 'repeated' : 'recorded'),
    });
    if (restored) this.recorder.adopt();
    const ctx: ComponentContext = {
      api: this.inner,
      clock: this.clock,
      rand: this.rand,
      events: this.recorder,
      log: (c, m) => this.log(c, m),
      count: (c, k, by) => this.count(c, k, by),
    };
    // A restored cluster's kubelets come back as a restarted kubelet does (tryRegisterWithAPIServer finds its
    // Node already registered): the Node objects stay, with the labels, taints, cordon and annotations users
    // gave them; each kubelet adopts its node (NodeFleet.start) and takes up the pods bound to it again.
    this.wiring = wire(ctx, this.inner, this.store, this.opts, restored, this.disks, this.tokens, () => this.podApiServer());
    // The apiserver's own writes at start go through admission, as its loopback client's do upstream: a
    // ValidatingAdmissionPolicy saved with the cluster may refuse one. Upstream's post-start hook then logs and
    // tries again; here the refusal is logged and the cluster opens without that object, never not at all.
    const postStart = (hook: string, fn: () => void) => {
      try {
        fn();
      } catch (e) {
        this.log('kube-apiserver', `poststarthook/${hook} failed: ${(e as Error).message}`);
      }
    };
    // The kubernetes-service-cidr-controller: the default ServiceCIDR, from the service range.
    postStart('start-service-ip-repair-controllers', () => ensureDefaultServiceCIDR(this.inner, this.clock.now()));
    if (!restored) bootstrap(this.inner);
    if (!restored && (this.opts.controlPlane ?? true)) installKubeadmCertificateBindings(this.inner);
    // The RBAC post-start hook: the default roles and bindings, made again when missing (a cluster saved before it had them too).
    postStart('rbac/bootstrap-roles', () => ensureRbacDefaults(this.inner));
    // The kube-apiserver-autoregistration post-start hook: an APIService per served group-version.
    postStart('apiservice-registration-controller', () => ensureLocalAPIServices(this.inner));
    this.components = this.wiring.components;
    for (const c of this.components) {
      c.start();
      this.settle();
    }
    // kind create cluster, in its actions' order: kubeadm init (the control-plane node alone until its static pods
    // are up, then kubeadm's add-ons, kube-proxy and CoreDNS), installcni (kindnet), installstorage (local-path),
    // kubeadm join on the workers. Every node is NotReady until kindnet's pod runs on it; by the hand-over all are Ready.
    // A restored cluster keeps what the user left (a deleted or scaled coredns included).
    if (!restored && (this.opts.controlPlane ?? true)) {
      this.advance(KUBEADM_INIT_MS);
      installKubeProxy(this.inner);
      installCoreDNS(this.inner);
      installKindnet(this.inner);
      installLocalPathProvisioner(this.inner);
      this.wiring.fleet.joinWorkers();
      this.settle();
      this.advance(CONTROL_PLANE_BOOT_MS - KUBEADM_INIT_MS);
    } else if (!restored) installCoreDNS(this.inner);
    if (!restored) installMetricsServer(this.inner);
    for (const a of this.opts.addons ?? []) this.installAddon(a);
    this.settle();
  }

  /** Installs an add-on by name; unknown names throw with the known ones. */
  enableAddon(name: string): void {
    this.installAddon(name);
    this.settle();
  }

  private installAddon(name: string): void {
    const addon = ADDONS[name];
    if (!addon) throw new Error(`unknown add-on "${name}" (known: ${[...new Set(Object.values(ADDONS))].join(', ')})`);
    if (addon === 'ingress-nginx') installIngressNginx(this.inner);
    this.log('playground', `add-on ${addon} installed`);
  }

  private teardown(): void {
    for (const c of [...this.components].reverse()) {
      try {
        c.stop();
      } catch (e) {
        this.log('playground', `stopping ${c.name}: ${(e as Error).message}`);
      }
    }
    stopInformers(this.inner);
    this.components = [];
  }

  // ---------- time ----------

  settle(): void {
    this.loop.settle();
  }

  advance(ms: number): void {
    this.loop.advance(ms);
  }

  runUntil(done: () => boolean, maxMs: number): boolean {
    return this.loop.runUntil(done, maxMs);
  }

  startRealtime(speed?: number): void {
    if (speed !== undefined) this.speed = speed;
    if (this.realtime) return;
    this.lastWall = Date.now();
    this.realtime = setInterval(() => this.tick(), 25);
    this.realtime.unref?.();
  }

  stopRealtime(): void {
    if (this.realtime) clearInterval(this.realtime);
    this.realtime = undefined;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error('speed must be a positive number');
    this.tick();
    this.speed = speed;
  }

  pause(): void {
    this.tick();
    this.paused = true;
  }

  resume(): void {
    this.lastWall = Date.now();
    this.paused = false;
  }

  /**
   * One real-time step: simulated time catches up with wall time x speed,
   * within a 40 ms budget so requests and watches keep flowing; a busy
   * simulation lags behind wall time instead of freezing the process.
   */
  private tick(): void {
    const now = Date.now();
    const elapsed = now - this.lastWall;
    this.lastWall = now;
    if (this.paused || !this.realtime || this.closed) return;
    // Simulated time moves in whole milliseconds (timestamps and event names assume it); the fraction carries over.
    const step = elapsed * this.speed + this.carry;
    const whole = Math.floor(step);
    this.carry = step - whole;
    if (!this.loop.advance(whole, now + 40)) this.kick();
  }

  /** In real-time mode, work made by a write (an HTTP request) runs right after the current task. */
  private kick(): void {
    if (!this.realtime || this.soon || this.loop.busy || this.closed) return;
    this.soon = setImmediate(() => {
      this.soon = undefined;
      if (!this.loop.settle(Date.now() + 40)) this.kick();
    });
  }

  // ---------- operations ----------

  apply(text: string, opts: WriteOptions & { namespace?: string } = {}): ApplyResult[] {
    const out: ApplyResult[] = [];
    for (const obj of parseManifest(text)) {
      const r = clientSideApply(this.inner, obj, asAdmin(opts));
      this.log('kubectl', `${lowerKind(r.object)}/${r.object.metadata.name} ${r.action}`);
      out.push(r);
      this.settle();
    }
    return out;
  }

  deleteManifest(text: string, opts: DeleteOptions & { namespace?: string } = {}): KObject[] {
    const out: KObject[] = [];
    for (const obj of parseManifest(text)) {
      const info = resourceForKind(obj.apiVersion, obj.kind, this.store);
      if (!info) throw noKindMatch(obj);
      const ns = info.namespaced ? obj.metadata?.namespace || opts.namespace || 'default' : undefined;
      const r = this.inner.delete(gvrOf(info), ns, obj.metadata.name!, asAdmin<DeleteOptions>({ propagationPolicy: 'Background', ...opts }));
      this.log('kubectl', `${lowerKind(r)} "${obj.metadata.name}" deleted`);
      out.push(r);
      this.settle();
    }
    return out;
  }

  killPod(namespace: string, name: string): void {
    if (!this.store.get('/pods', namespace, name)) throw notFound({ group: '', resource: 'pods' }, name);
    this.wiring.fleet.engine.killPod(namespace, name);
    this.settle();
  }

  endContainer(namespace: string, name: string, container: string, code: number, containerID?: string): boolean {
    const ended = this.wiring.fleet.engine.endContainer(namespace, name, container, code, containerID);
    if (ended) this.settle();
    return ended;
  }

  containerOutput(namespace: string, name: string, container: string, text: string, containerID?: string): void {
    this.wiring.fleet.engine.containerOutput(namespace, name, container, text, containerID);
  }

  serverConnection(namespace: string, name: string, container: string): { n: number; pid(): number } | undefined {
    return this.wiring.fleet.engine.serverConnection(namespace, name, container);
  }

  addNode(name?: string): KObject {
    const n = this.wiring.fleet.addNode(name);
    this.settle();
    return n;
  }

  removeNode(name: string): void {
    this.requireNode(name);
    this.wiring.fleet.removeNode(name);
    this.settle();
  }

  failNode(name: string): void {
    this.requireNode(name);
    this.wiring.fleet.failNode(name);
    this.settle();
  }

  kubeletDown(name: string): boolean {
    return this.wiring.fleet.kubeletDown(name);
  }

  recoverNode(name: string): void {
    this.requireNode(name);
    this.wiring.fleet.recoverNode(name);
    this.settle();
  }

  cordon(name: string): void {
    this.requireNode(name);
    this.wiring.fleet.cordon(name, true);
    this.settle();
  }

  uncordon(name: string): void {
    this.requireNode(name);
    this.wiring.fleet.cordon(name, false);
    this.settle();
  }

  drain(name: string): void {
    this.requireNode(name);
    this.wiring.fleet.drain(name);
    this.settle();
  }

  scale(gvr: GVR, namespace: string, name: string, replicas: number): void {
    this.inner.patch(gvr, namespace, name, 'merge', { spec: { replicas } }, { fieldManager: 'kubectl-scale', actor: ADMIN_ACTOR }, 'scale');
    this.log('kubectl', `${gvr.resource}/${name} scaled to ${replicas}`);
    this.settle();
  }

  /** kubectl rollout restart: stamps the template with `kubectl.kubernetes.io/restartedAt`. */
  rolloutRestart(gvr: GVR, namespace: string, name: string): void {
    const at = rfc3339(this.clock.now());
    this.inner.patch(gvr, namespace, name, 'strategic', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } }, { fieldManager: 'kubectl-rollout', actor: ADMIN_ACTOR });
    this.log('kubectl', `${gvr.resource}/${name} restarted`);
    this.settle();
  }

  rolloutUndo(gvr: GVR, namespace: string, name: string, toRevision?: number): void {
    if (gvr.resource !== 'deployments') throw new Error(`rollout undo is supported for deployments, not ${gvr.resource}`);
    const msg = rolloutUndoDeployment(this.api, namespace, name, toRevision ?? 0);
    this.log('kubectl', msg);
    this.settle();
  }

  /** kubectl set image: a strategic patch of one container's image. */
  setImage(gvr: GVR, namespace: string, name: string, container: string, image: string): void {
    const containers = [{ name: container, image }];
    const patch = gvr.resource === 'pods' ? { spec: { containers } } : gvr.resource === 'cronjobs' ? { spec: { jobTemplate: { spec: { template: { spec: { containers } } } } } } : { spec: { template: { spec: { containers } } } };
    this.inner.patch(gvr, namespace, name, 'strategic', patch, { fieldManager: 'kubectl-set', actor: ADMIN_ACTOR });
    this.log('kubectl', `${gvr.resource}/${name} image updated: ${container}=${image}`);
    this.settle();
  }

  reset(): void {
    this.teardown();
    this.store.clear();
    this.disks.load({ trees: {} });
    this.clock.clearAll();
    this.recorder.clear();
    this.rand.setState(this.opts.seed ?? 1);
    this.counters = {};
    this.tokens.rotate();
    this.build(false);
    this.log('playground', 'cluster reset');
    this.dirty = true;
  }

  resolve(name: string): string[] {
    return this.wiring.network.resolve(name);
  }

  dnsServing(): boolean {
    return this.wiring.network.dnsServing();
  }

  route(ip: string, port: number, protocol?: string, from?: RouteSource) {
    return this.wiring.network.route(ip, port, protocol, from);
  }

  connect(from: KObject | { ip: string; forwarded?: boolean }, to: KObject | { ip: string }, port: number, protocol = 'TCP'): Verdict {
    return this.wiring.network.connect(from, to, port, protocol);
  }

  /**
   * What a connection from a pod to `host:port` meets, as the pod would dial it: the name resolved (or why
   * not), the pod behind a Service's address, the NetworkPolicies' verdict, and the outcome.
   */
  traceConnection(namespace: string, name: string, host: string, port: number): ConnectionTrace {
    const pod = this.api.get({ group: '', version: 'v1', resource: 'pods' }, namespace, name);
    if (!pod.spec?.nodeName || pod.status?.phase !== 'Running') throw badRequest(`pod ${name} is not running`);
    return traceConnection(this.execWorld(pod, pod.spec.containers?.[0]?.name ?? ''), host, port);
  }

  /** What a process in this container sees: the cluster's DNS, Services, objects and the container's filesystem. */
  execWorld(pod: KObject, container: string): ExecWorld {
    return this.wiring.world(pod, container);
  }

  serveApiToPods(serve: ((req: PodApiRequest) => PodApiAnswer) | undefined): void {
    this.podApi = serve;
  }

  private podApiServer(): PodApiServer | undefined {
    const serve = this.podApi;
    return serve ? { caCert: this.opts.rootCaCert ?? ROOT_CA_STANDIN, serve } : undefined;
  }

    ingressGateway(): IngressGateway {
    return this.wiring.network.ingress;
  }

  /** The container ID of the instance the kubelet runs now (the pod's status may not show it yet). */
  /** The FlowSchema and priority level API Priority and Fairness puts a request in (their UIDs go in its answer's headers). */
  classifyFlow(r: FlowRequest): { flowSchemaUID: string; priorityLevelUID: string } | undefined {
    const c = this.wiring.apf.classify(r);
    return c && { flowSchemaUID: c.flowSchema.metadata.uid!, priorityLevelUID: c.priorityLevel.metadata.uid! };
  }

  runningInstance(namespace: string, pod: string, container: string): string | undefined {
    return this.wiring.fleet.engine.runningInstance(namespace, pod, container);
  }

  logs(namespace: string, pod: string, container?: string, previous = false, instance?: string): string[] {
    return kubeletLogs(this.wiring.fleet, namespace, pod, container, previous, instance);
  }

  onLog(listener: (line: LogLine) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  logHistory(): LogLine[] {
    return [...this.history];
  }

  stats(): PlaygroundStats {
    return computeStats(this.store, this.counts, this.counters, { time: this.clock.now(), speed: this.speed, paused: this.paused });
  }

  save(): void {
    if (!this.opts.stateDir) return;
    saveSnapshot(this.opts.stateDir, { rev: this.store.rev, time: this.clock.now(), rand: this.rand.getState(), tables: this.store.snapshot() });
    // The disks only when a container wrote something since the last save.
    if (this.disks.version !== this.savedDisks) {
      const v = this.disks.version;
      saveDisks(this.opts.stateDir, this.disks.save());
      this.savedDisks = v;
    }
    this.dirty = false;
  }

  close(): void {
    if (this.closed) return;
    this.stopRealtime();
    if (this.soon) clearImmediate(this.soon);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.teardown();
    if (this.dirty) this.save();
    this.closed = true;
  }

  // ---------- internals ----------

  private requireNode(name: string): void {
    if (!this.store.get('/nodes', undefined, name)) throw notFound({ group: '', resource: 'nodes' }, name);
  }

  private log(component: string, message: string): void {
    const line: LogLine = { time: this.clock.now(), component, message };
    this.history.push(line);
    if (this.history.length > LOG_HISTORY * 2) this.history = this.history.slice(-LOG_HISTORY);
    for (const l of this.logListeners) l(line);
  }

  private count(component: string, counter: string, by = 1): void {
    const m = (this.counters[component] ??= {});
    m[counter] = (m[counter] ?? 0) + by;
    if (component === 'apiserver') m.requests = (m.requests ?? 0) + (counter === 'requests' ? 0 : by);
  }

  /** Saves soon after changes (at most every 2 s of wall time), never from inside a write. */
  private afterSettle(): void {
    if (!this.opts.stateDir || !this.dirty || this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      if (this.dirty && !this.closed) {
        try {
          this.save();
        } catch (e) {
          this.log('playground', `saving state failed: ${(e as Error).message}`);
        }
      }
    }, 2000);
    this.saveTimer.unref?.();
  }
}

/**
 * The node folder of a volume the local-path provisioner made (the default
 * StorageClass's), which it deletes with the PV under the Delete policy; a
 * hostPath PV written by hand keeps its files on the node, as on a cluster.
 */
function provisionedFolder(pv: KObject): { node: string; path: string } | undefined {
  if (!pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] || (pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') !== 'Delete') return undefined;
  const folder = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  const node = pv.metadata.annotations?.['local.path.provisioner/selected-node']
    ?? pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.find((e: any) => e.key === 'kubernetes.io/hostname')?.values?.[0];
  return folder && node ? { node, path: normalize(String(folder)).slice(1) } : undefined;
}

function lowerKind(o: KObject): string {
  const info = resourceForKind(o.apiVersion ?? '', o.kind ?? '');
  return info ? (info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase()) : String(o.kind).toLowerCase();
}

/** The playground's kubectl-like operations act as kind's admin user, unless an HTTP client's user is given. */
function asAdmin<T extends WriteOptions>(opts: T): T {
  return opts.user || opts.actor ? opts : { ...opts, actor: ADMIN_ACTOR };
}

/** An Api whose target can be swapped (reset builds a new apiserver; holders of `playground.api` keep working). */
function forwardingApi(target: () => ApiServer): Api {
  return {
    create: (...a) => target().create(...a),
    get: (...a) => target().get(...a),
    list: (...a) => target().list(...a),
    // The HTTP pager asks before it serves a page from its snapshot; without this it listed everything again per page.
    checkContinue: (...a) => target().checkContinue(...a),
    update: (...a) => target().update(...a),
    patch: (...a) => target().patch(...a),
    delete: (...a) => target().delete(...a),
    watch: (...a) => target().watch(...a),
  };
}

export function createPlayground(opts: PlaygroundOptions = {}): KubePlayground {
  return new KubePlayground(opts);
}

export { storageId, isStatusError };
