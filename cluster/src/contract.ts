/**
 * The seams inside the playground's control plane. Every part (store,
 * apiserver, controllers, scheduler, kubelets, network) is written against
 * these types, so each can be built and tested on its own with a fake clock.
 *
 * Objects are plain JSON (`KObject`), exactly as the Kubernetes API carries
 * them; there are no typed wrappers, so what a controller writes is what
 * kubectl reads.
 */

// ---------- objects ----------

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [k: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [k: string]: any;
}

/** Group/version/resource, e.g. `{ group: 'apps', version: 'v1', resource: 'deployments' }`. */
export interface GVR {
  group: string;
  version: string;
  resource: string;
}

// ---------- time and randomness (injected) ----------

/** Simulated time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
  /** Runs `fn` once simulated time reaches `now() + delayMs`. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}
export type TimerHandle = number;

/** A seeded source of randomness. Same seed, same sequence. */
export interface Rand {
  /** Uniform in [0, 1). */
  next(): number;
  /** `n` characters drawn from `alphabet`. */
  string(n: number, alphabet: string): string;
}

// ---------- the apiserver, as the controllers and the HTTP layer see it ----------

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** `Exact`: the list as it was at resourceVersion (also the legacy form, a limit with a resourceVersion). */
  resourceVersionMatch?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Strict | Warn | Ignore; unknown fields are dropped (Ignore/Warn) or refused (Strict). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  force?: boolean;
  /**
   * Paths of keys the request body repeated (see findDuplicateFields in
   * cluster/src/apiserver/duplicates.ts); refused under Strict, warned under Warn.
   */
  duplicateFields?: string[];
  /** The subresource a write came through when the main resource is what changes (`scale`): managedFields name it. */
  managedSubresource?: string;
  /** Who asks, when an HTTP client does (RBAC's escalation check needs it); absent for the playground's own components. */
  user?: { username: string; groups: string[]; uid?: string; extra?: Record<string, string[]> };
  /**
   * The playground's own writer (a controller's service account, a kubelet's node, the scheduler; see
   * cluster/src/auth/identities.ts) when no HTTP client asks: admission's request.userInfo names it. RBAC ignores it.
   */
  actor?: { readonly username: string; readonly groups: readonly string[]; readonly uid?: string; readonly extra?: Readonly<Record<string, string[]>> };
  /**
   * In-process callers only (the HTTP layer never sets it): the body's values are fresh objects the caller gives up,
   * so a merge patch keeps them without a copy (the kubelet's status writes, a new status object every time).
   */
  handOver?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KObject;
}

export interface WatchHandle {
  stop(): void;
  /** Delivers what the watch starts with (its initial ADDED events, or the history it resumes from) now, not at the next dispatch. */
  flush?(): void;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Result of a write: the object as stored, plus warnings (e.g. fieldValidation=Warn). */
export interface WriteResult {
  object: KObject;
  warnings?: string[];
}

/**
 * The semantic API: admission, defaulting, validation, then the store.
 * Objects it returns (and watch events and informer caches carry) are the
 * store's own instances, deep-frozen and shared: read them freely, but copy
 * (`deepCopy` in cluster/src/runtime/objects.ts, or structuredClone) before
 * changing anything. Objects passed in are never kept: the Api copies them.
 * Failures throw `StatusError` (see cluster/src/apiserver/status.ts) carrying
 * an upstream-shaped `Status` object.
 * `subresource` is 'status' | 'scale' | 'binding' | 'eviction' where it applies.
 */
export interface Api {
  create(gvr: GVR, namespace: string | undefined, obj: KObject, opts?: WriteOptions, subresource?: string, parentName?: string): WriteResult;
  get(gvr: GVR, namespace: string | undefined, name: string, subresource?: string): KObject;
  list(gvr: GVR, namespace: string | undefined, opts?: ListOptions): ListResult;
  /** The storage's checks of `opts.continue` (400 for a bad token, 410 Expired past compaction), without listing. */
  checkContinue?(gvr: GVR, namespace: string | undefined, opts: ListOptions): void;
  update(gvr: GVR, namespace: string | undefined, obj: KObject, opts?: WriteOptions, subresource?: string): WriteResult;
  patch(gvr: GVR, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions, subresource?: string): WriteResult;
  delete(gvr: GVR, namespace: string | undefined, name: string, opts?: DeleteOptions): KObject;
  /**
   * Events from `resourceVersion` (exclusive) on; '0' or undefined sends the current state as ADDED first.
   * Events are queued and delivered by the playground's loop, never from inside the write that caused them.
   */
  watch(gvr: GVR, namespace: string | undefined, opts: ListOptions & { sendInitialEvents?: boolean; allowBookmarks?: boolean }, onEvent: (e: WatchEvent) => void): WatchHandle;
}

// ---------- events and the control-plane log ----------

/** Who acted: `scheduler`, `kubelet` (with host), `replicaset-controller`, ... as upstream's Event.source / reportingController. */
export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecorder {
  /**
   * Writes a core/v1 Event (deduplicated by count as upstream) about `regarding`; `fieldPath` names the part of
   * it the event is about (a kubelet's `spec.containers{name}`), as involvedObject.fieldPath.
   */
  event(source: EventSource, regarding: KObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  /**
   * Writes an Event as client-go's events.k8s.io/v1 recorder does (kube-scheduler's): with `action`, the
   * reporting controller and instance and `related`, a repeat turning it into a `series`. `once`: the reporter
   * cannot record it again about the same object version, so the broadcaster's cache need not keep it.
   */
  eventV1(reporter: { controller: string; instance: string }, regarding: KObject, related: KObject | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string, once?: boolean): void;
}

/** One line of the teaching log: which component did what. */
export interface LogLine {
  time: number;
  component: string;
  message: string;
}

// ---------- parts of the control plane ----------

/** A controller, scheduler or kubelet: started once, stopped at shutdown or reset. */
export interface Component {
  readonly name: string;
  start(): void;
  stop(): void;
}

/** Everything a component is handed when it is built. */
export interface ComponentContext {
  api: Api;
  clock: Clock;
  rand: Rand;
  events: EventRecorder;
  log(component: string, message: string): void;
  /** Counters shown in the UI: `count('scheduler', 'scheduled')`. */
  count(component: string, counter: string, by?: number): void;
}

// ---------- the whole playground, as the HTTP layer, the CLI and benchmarks see it ----------

/** The add-ons a playground can install (`ingress` is minikube's name for the first). */
export const ADDONS: Record<string, string> = { 'ingress-nginx': 'ingress-nginx', ingress: 'ingress-nginx' };

export interface PlaygroundOptions {
  /** Seed for names and jitter; same seed + same inputs = same run. */
  seed?: number;
  /** Worker nodes (default 3). */
  nodes?: number;
  /**
   * A control-plane node as kind and kubeadm make one (default true): kubeplay-control-plane, tainted NoSchedule,
   * with the etcd, kube-apiserver, kube-controller-manager and kube-scheduler static pods and a kube-proxy on every node.
   */
  controlPlane?: boolean;
  /** Per-node capacity. Defaults: cpu "4", memory "16Gi", pods "110". */
  nodeCapacity?: { cpu?: string; memory?: string; pods?: string };
  /** Simulated start time (ms since epoch). */
  startTime?: number;
  /** Folder for the persisted state; none = in memory only. */
  stateDir?: string;
  /** Most Events kept (oldest dropped first; they also expire after an hour of simulated time). Default 50,000. */
  maxEvents?: number;
  /**
   * Controller queues batch keys over this much simulated time (default 50 ms; 0 = at once),
   * trading a little status latency for far fewer syncs in very large runs.
   */
  controllerBatchMs?: number;
  /** Simulated-time speed for `startRealtime` (default 1). */
  speed?: number;
  /** The CA of the HTTPS API, which every namespace's kube-root-ca.crt ConfigMap (and so every pod's ca.crt) publishes. */
  rootCaCert?: string;
  /**
   * The CA the controller-manager signs approved CertificateSigningRequests with (--cluster-signing-cert-file and
   * --cluster-signing-key-file, PEM). Without it no signer runs, as a controller-manager given no key.
   */
  clusterSigningCa?: { cert: string; key: string };
  /** Add-ons installed at start and after a reset (ADDONS): `ingress-nginx`. Installing one again changes nothing. */
  addons?: string[];
}

export interface ApplyResult {
  gvr: GVR;
  object: KObject;
  /** What `kubectl apply` prints: created | configured | unchanged. */
  action: 'created' | 'configured' | 'unchanged';
  warnings?: string[];
}

export interface PlaygroundStats {
  time: number;
  speed: number;
  paused: boolean;
  components: Record<string, Record<string, number>>;
  nodes: { total: number; ready: number };
  pods: { total: number; running: number; pending: number; failed: number; succeeded: number };
}

/**
 * The playground. Watch events, controllers and kubelets run on its loop:
 * a write never calls back into the writer synchronously. `settle()` runs the
 * loop until nothing is left to do at the current simulated time;
 * `advance(ms)` moves simulated time forward, firing timers in order.
 */
export interface Playground {
  readonly api: Api;
  readonly clock: Clock;
  /** Runs queued work at the current time until quiet. */
  settle(): void;
  /** Moves simulated time forward by `ms`, settling after each timer. */
  advance(ms: number): void;
  /** Advances until `done()` is true or `maxMs` of simulated time passed; returns whether it became true. */
  runUntil(done: () => boolean, maxMs: number): boolean;

  /** Applies every document of a YAML or JSON text, as `kubectl apply` (client-side) would. */
  apply(text: string, opts?: WriteOptions & { namespace?: string }): ApplyResult[];
  deleteManifest(text: string, opts?: DeleteOptions & { namespace?: string }): KObject[];

  killPod(namespace: string, name: string): void;
  /**
   * A container's main process ended with `code` (an attached shell that
   * exited, as `kubectl run -i --rm … -- sh` ends it); its restart policy
   * decides what follows. With `containerID`, only that instance (a session
   * left from an earlier one does nothing). Answers whether it was running.
   */
  endContainer(namespace: string, name: string, container: string, code: number, containerID?: string): boolean;
  /**
   * What a container's own process printed on its stdout (an attached shell's
   * session): it goes to the container's log, as the runtime writes a
   * container's output there. With `containerID`, only for that instance.
   */
  containerOutput(namespace: string, name: string, container: string, text: string, containerID?: string): void;
  /** A new connection to the server in a running container: its number (nginx's connection counter) and the worker's PID. */
  serverConnection?(namespace: string, name: string, container: string): { n: number; pid(): number } | undefined;
  addNode(name?: string): KObject;
  removeNode(name: string): void;
  failNode(name: string): void;
  recoverNode(name: string): void;
  /** Whether the node's kubelet is stopped (failNode): nothing answers on its port 10250 until it recovers. */
  kubeletDown?(name: string): boolean;
  cordon(name: string): void;
  uncordon(name: string): void;
  drain(name: string): void;
  scale(gvr: GVR, namespace: string, name: string, replicas: number): void;
  rolloutRestart(gvr: GVR, namespace: string, name: string): void;
  rolloutUndo(gvr: GVR, namespace: string, name: string, toRevision?: number): void;
  setImage(gvr: GVR, namespace: string, name: string, container: string, image: string): void;
  reset(): void;

  /** kube-dns model: A records for `<svc>.<ns>.svc.cluster.local` and StatefulSet pod names; none while `dnsServing()` is false. */
  resolve(name: string): string[];
  /** Whether the cluster DNS answers: kube-system/kube-dns has at least one ready endpoint. */
  dnsServing(): boolean;
  /** kube-proxy model: which pod IP:port serves a request to this Service IP and port (round robin). */
  route(ip: string, port: number, protocol?: string, from?: { node?: string; fromPod?: boolean }): { podNamespace: string; podName: string; ip: string; port: number; dropped?: boolean } | undefined;
  /**
   * The network plugin's NetworkPolicy enforcement: whether a connection from
   * a pod (or an address: a node's, for NodePort traffic) to a pod's port opens.
   */
  connect?(from: KObject | { ip: string; forwarded?: boolean }, to: KObject | { ip: string }, port: number, protocol?: string): import('../../kube/src/networkPolicy').Verdict;
  /** What a connection from a running pod to `host:port` meets, step by step (kubelet/reach.ts). */
  traceConnection?(namespace: string, name: string, host: string, port: number): import('./kubelet/reach').ConnectionTrace;
  /** What a process in the container sees (exec): the cluster's DNS and Services, its objects, and the container's filesystem. */
  execWorld?(pod: KObject, container: string): import('./kubelet/execenv').ExecWorld;
  /**
   * Who answers pods' requests to the apiserver (the kubernetes Service's endpoint): the HTTP server's
   * handlers while it runs; none (undefined), and connections from pods to it are refused.
   */
  serveApiToPods?(serve: ((req: import('./network/apiserver').PodApiRequest) => import('./network/apiserver').PodApiAnswer) | undefined): void;
  /** Installs an add-on (ADDONS) as its manifest would; what exists is left alone. Throws for an unknown name. */
  enableAddon?(name: string): void;
  /** The Ingress routing an ingress-nginx controller pod does (network/ingress.ts), for requests that reach one. */
  ingressGateway?(): import('./kubelet/ingresssite').IngressGateway;
  /**
   * Simulated container log lines. With `previous`, the previous instance's,
   * read from the pod's lastState, or NoPreviousContainerError when there is none.
   */
  logs(namespace: string, pod: string, container?: string, previous?: boolean, instance?: string): string[];
  /** The container ID of the instance the kubelet runs now, if any (the pod's status may lag behind it). */
  /** API Priority and Fairness's classification of a request: the UIDs of its FlowSchema and priority level. */
  classifyFlow?(r: import('./apiserver/flowcontrol').FlowRequest): { flowSchemaUID: string; priorityLevelUID: string } | undefined;
  runningInstance?(namespace: string, pod: string, container: string): string | undefined;
  onLog(listener: (line: LogLine) => void): () => void;
  /** The recent teaching log (oldest first), for clients that connect late. */
  logHistory(): LogLine[];
  /** Drives simulated time from wall time × speed (timers plus a settle soon after every write). */
  startRealtime(speed?: number): void;
  stopRealtime(): void;
  setSpeed(speed: number): void;
  pause(): void;
  resume(): void;
  stats(): PlaygroundStats;
  /** Writes state to stateDir (atomic). Called by the playground itself after changes; exposed for shutdown. */
  save(): void;
  close(): void;
}
