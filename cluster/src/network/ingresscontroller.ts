/**
 * What the ingress-nginx controller's process does to the API while its
 * container runs (internal/ingress/controller/store, status): the request
 * path itself is the network's (ingress.ts) and the pod's (kubelet/ingresssite.ts).
 *
 * - Each running controller pod's informers record `Normal Sync "Scheduled
 *   for sync"` (source `nginx-ingress-controller`) on every Ingress of its
 *   class when it starts, and again whenever one is added or changes (a
 *   status write included);
 * - a change of the nginx configuration it renders (servers, locations and
 *   their backends; not endpoints, which nginx takes without a reload) is
 *   `Normal RELOAD "NGINX reload triggered due to a change in configuration"`
 *   on the pod;
 * - one pod per namespace and `--election-id` leads (the first to run), and
 *   only the leader writes `status.loadBalancer` of its Ingresses: at once
 *   when it takes the lead and every 60 s after (`--status-update-interval`).
 *   The addresses are `--publish-status-address`'s, or the `--publish-service`
 *   Service's (its ClusterIP for ClusterIP and NodePort, its load balancer's
 *   for LoadBalancer), or, with neither (the bare-metal manifest), the
 *   ExternalIP, else InternalIP, of the nodes running Ready controller pods
 *   labelled like the leader. The lease itself is not stored.
 *
 * Each process writes with its pod's service-account token (client-go's in-cluster config): the controller as
 * ingress-nginx/ingress-nginx in the kind manifest, the certgen Jobs as ingress-nginx/ingress-nginx-admission.
 */
import { isIP } from 'node:net';
import type { Component, ComponentContext, KObject, TimerHandle } from '../contract';
import { GVRS, ObjectCache, objKey, type ChangeHandler } from '../scheduler/watch';
import { controllerConfig, isIngressNginx, type IngressControllerConfig } from '../kubelet/ingresssite';
import { buildServers, servedIngresses } from './ingress';
import { isCertgen, runCertgen } from './certgen';
import { actingAs, podActor, writeAs } from '../auth/identities';

const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const SOURCE = { component: 'nginx-ingress-controller' };
/** How long a failing kube-webhook-certgen run takes before it exits 1. */
const CERTGEN_FAIL_MS = 1_000;
/** status.UpdateInterval: seconds between the leader's status syncs. */
export const STATUS_UPDATE_INTERVAL_MS = 60_000;

interface Running {
  pod: KObject;
  config: IngressControllerConfig;
  /** The rendered configuration last loaded, to tell a reload from an endpoint change. */
  rendered: string;
}

/** The controller container of a pod, when it runs one. */
function controllerContainer(pod: KObject): any | undefined {
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s: any) => s.state?.running).map((s: any) => s.name));
  return (pod.spec?.containers ?? []).find((c: any) => running.has(c.name) && isIngressNginx(c));
}

const isReady = (pod: KObject) => pod.status?.phase === 'Running' && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

export class IngressNginxController implements Component {
  readonly name = 'ingress-nginx';
  private pods?: ObjectCache;
  private ingresses?: ObjectCache;
  private classes?: ObjectCache;
  private services?: ObjectCache;
  private nodes?: ObjectCache;
  /** Controller pods whose container runs, by ns/name, in the order they started. */
  private readonly running = new Map<string, Running>();
  /** Leader's pod key by `namespace/election-id`. */
  private readonly leaders = new Map<string, string>();
  private readonly timers = new Map<string, TimerHandle>();
  private reloadTimer: TimerHandle | undefined;
  /** Container IDs of certgen runs already done. */
  private readonly certgenDone = new Set<string>();

  /** `endContainer`: ends a container's process with a code (the kubelet's; a failing certgen run exits 1). */
  constructor(
    private readonly ctx: ComponentContext,
    private readonly endContainer?: (namespace: string, pod: string, container: string, code: number, containerID: string) => void,
  ) {}

  start(): void {
    // The simulated process must never throw into the store's dispatch: a bad object is logged and skipped.
    // The cache's three arguments passed as they are: a rest parameter would be an array per pod event.
    const guard = (what: string, fn: ChangeHandler): ChangeHandler => (t, o, old) => {
      try {
        fn(t, o, old);
      } catch (e) {
        this.ctx.log('ingress-nginx', `${what}: ${(e as Error).message}`);
      }
    };
    this.ingresses = new ObjectCache(this.ctx.api, INGRESSES, guard('ingress event', (t, o, old) => this.onIngress(t, o, old))).start();
    this.classes = new ObjectCache(this.ctx.api, INGRESS_CLASSES, guard('ingress class event', () => this.reloadSoon())).start();
    this.services = new ObjectCache(this.ctx.api, GVRS.services).start();
    this.nodes = new ObjectCache(this.ctx.api, GVRS.nodes).start();
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, guard('pod event', (t, o) => this.onPod(t, o))).start();
    for (const p of this.pods.list()) this.onPod('ADDED', p);
  }

  stop(): void {
    for (const h of this.timers.values()) this.ctx.clock.clearTimer(h);
    this.timers.clear();
    if (this.reloadTimer !== undefined) this.ctx.clock.clearTimer(this.reloadTimer);
    this.reloadTimer = undefined;
    for (const c of [this.pods, this.ingresses, this.classes, this.services, this.nodes]) c?.stop();
  }

  private classMap(): Map<string, KObject> {
    return new Map((this.classes?.list() ?? []).map((c) => [c.metadata.name!, c]));
  }

  private served(config: IngressControllerConfig): KObject[] {
    return servedIngresses(config, this.ingresses?.list() ?? [], this.classMap());
  }

  /** Starts and stops the simulated processes as their containers do. Most pods are not controllers: one cheap test. */
  private onPod(type: string, pod: KObject): void {
    const containers: any[] = pod.spec?.containers ?? [];
    // One look at each image tells both kinds of container from the rest: both images are under `ingress-nginx/`,
    // and most pods' are not (this runs for every pod write). Indexed: the list is frozen (see deepFreeze).
    let nginx = false;
    let certgen = false;
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i];
      const image = c?.image;
      if (typeof image !== 'string' || !image.includes('ingress-nginx/')) continue;
      nginx = true;
      certgen ||= isCertgen(c);
    }
    // kube-webhook-certgen (the manifests' admission Jobs): its work is done once, when its container runs.
    if (certgen) {
      if (type === 'DELETED') for (const s of pod.status?.containerStatuses ?? []) this.certgenDone.delete(s.containerID);
      else this.certgen(pod);
    }
    const controller = nginx && containers.some(isIngressNginx);
    if (!controller && !this.running.size) return;
    const key = objKey(pod);
    const was = this.running.get(key);
    if (!was && !controller) return;
    const c = type === 'DELETED' ? undefined : controllerContainer(pod);
    const same = was && c && was.pod.metadata.uid === pod.metadata.uid;
    if (same) {
      was.pod = pod;
      return;
    }
    if (was) this.stopProcess(key, was);
    if (c) this.startProcess(key, pod, controllerConfig(c));
  }

  private certgen(pod: KObject): void {
    for (const s of pod.status?.containerStatuses ?? []) {
      if (!s.state?.running || !s.containerID || this.certgenDone.has(s.containerID)) continue;
      const c = (pod.spec?.containers ?? []).find((x: any) => x.name === s.name);
      if (!c || !isCertgen(c)) continue;
      this.certgenDone.add(s.containerID);
      const r = runCertgen(actingAs(this.ctx.api, podActor(pod)), pod, c, this.ctx.clock.now());
      this.ctx.log('kube-webhook-certgen', `${objKey(pod)}: ${r.message}`);
      if (!r.ok && this.endContainer) {
        const end = this.endContainer;
        const id = s.containerID;
        this.ctx.clock.setTimer(CERTGEN_FAIL_MS, () => end(pod.metadata.namespace!, pod.metadata.name!, s.name, 1, id));
      }
    }
  }

  private startProcess(key: string, pod: KObject, config: IngressControllerConfig): void {
    const r: Running = { pod, config, rendered: '' };
    this.running.set(key, r);
    // The informers' first list: every Ingress of the class is "added".
    for (const ing of this.served(config)) this.ctx.events.event(SOURCE, ing, 'Normal', 'Sync', 'Scheduled for sync');
    this.reload(r);
    const group = this.groupOf(pod, config);
    if (!this.leaders.has(group)) this.lead(group, key);
  }

  private stopProcess(key: string, r: Running): void {
    this.running.delete(key);
    const group = this.groupOf(r.pod, r.config);
    if (this.leaders.get(group) !== key) return;
    this.leaders.delete(group);
    const t = this.timers.get(group);
    if (t) this.ctx.clock.clearTimer(t);
    this.timers.delete(group);
    // The next running pod of the group takes the lease.
    const next = [...this.running.entries()].find(([, o]) => this.groupOf(o.pod, o.config) === group);
    if (next) this.lead(group, next[0]);
  }

  private groupOf(pod: KObject, config: IngressControllerConfig): string {
    return `${pod.metadata.namespace}/${config.electionId}`;
  }

  private lead(group: string, key: string): void {
    this.leaders.set(group, key);
    const sync = () => {
      try {
        this.syncStatus(group);
      } catch (e) {
        this.ctx.log('ingress-nginx', `status sync: ${(e as Error).message}`);
      }
    };
    const tick = () => {
      this.timers.set(group, this.ctx.clock.setTimer(STATUS_UPDATE_INTERVAL_MS, tick));
      sync();
    };
    sync();
    this.timers.set(group, this.ctx.clock.setTimer(STATUS_UPDATE_INTERVAL_MS, tick));
  }

  private onIngress(type: string, ing: KObject, old: KObject | undefined): void {
    if (!this.running.size) return;
    const classes = this.classMap();
    // What nginx.conf is made of: a status write (the leader's own) changes none of it.
    const rendered = type !== 'MODIFIED' || !old || old.spec !== ing.spec || old.metadata.annotations !== ing.metadata.annotations
      || old.metadata.deletionTimestamp !== ing.metadata.deletionTimestamp;
    for (const r of this.running.values()) {
      const now = type !== 'DELETED' && servedIngresses(r.config, [ing], classes).length > 0;
      const before = !!old && servedIngresses(r.config, [old], classes).length > 0;
      // The store's handlers: an Ingress of the class that is new to it, or changed in any way, is synced.
      if (now && (type === 'ADDED' || !before || old !== ing)) this.ctx.events.event(SOURCE, ing, 'Normal', 'Sync', 'Scheduled for sync');
      if ((now || before) && rendered) this.reloadSoon();
    }
  }

  /** Renders once after a burst of changes (a settle), not once per changed Ingress. */
  private reloadSoon(): void {
    if (this.reloadTimer !== undefined) return;
    this.reloadTimer = this.ctx.clock.setTimer(0, () => {
      this.reloadTimer = undefined;
      this.reloadAll();
    });
  }

  private reloadAll(): void {
    for (const r of this.running.values()) this.reload(r);
  }

  /** Renders the configuration; a change from the loaded one is a reload, which the pod's events show. */
  private reload(r: Running): void {
    const rendered = renderConfig(buildServers(this.served(r.config)));
    if (rendered === r.rendered) return;
    r.rendered = rendered;
    this.ctx.events.event(SOURCE, r.pod, 'Normal', 'RELOAD', 'NGINX reload triggered due to a change in configuration');
  }

  /** The leader's status sync: every served Ingress gets the current addresses, when they differ. */
  private syncStatus(group: string): void {
    const key = this.leaders.get(group);
    const leader = key ? this.running.get(key) : undefined;
    if (!leader) return;
    const want = this.addresses(leader);
    // A --publish-service that is not there is an error: nothing is written, what was there stays.
    if (!want) return;
    const wantText = JSON.stringify(want);
    const as = writeAs(podActor(leader.pod));
    for (const ing of this.served(leader.config)) {
      const have = sortAddresses(ing.status?.loadBalancer?.ingress ?? []);
      if (JSON.stringify(have) === wantText) continue;
      try {
        this.ctx.api.update(INGRESSES, ing.metadata.namespace, { ...ing, status: { ...(ing.status ?? {}), loadBalancer: want.length ? { ingress: want } : {} } }, as, 'status');
        this.ctx.log('ingress-nginx', `updating Ingress status of ${objKey(ing)} to ${wantText}`);
      } catch (e) {
        this.ctx.log('ingress-nginx', `error updating status of Ingress ${objKey(ing)}: ${(e as Error).message}`);
      }
    }
  }

  /** runningAddresses(): what the Ingresses' ADDRESS shows. */
  private addresses(leader: Running): Array<{ ip?: string; hostname?: string }> | undefined {
    const { config, pod } = leader;
    const out: Array<{ ip?: string; hostname?: string }> = [];
    if (config.publishStatusAddress) {
      for (const a of config.publishStatusAddress.split(/,\s*/)) if (a) out.push(isIP(a) ? { ip: a } : { hostname: a });
      return sortAddresses(out);
    }
    if (config.publishService) {
      const [ns, name] = config.publishService.replace(/\$\(POD_NAMESPACE\)/g, pod.metadata.namespace ?? '').split('/');
      const svc = this.services?.get(ns, name);
      if (!svc) return undefined;
      // statusAddressFromService: by the Service's type.
      const s = svc.spec ?? {};
      const external: string[] = s.externalIPs ?? [];
      switch (s.type ?? 'ClusterIP') {
        case 'ExternalName': return [{ hostname: s.externalName }];
        case 'ClusterIP': return s.clusterIP && s.clusterIP !== 'None' ? [{ ip: s.clusterIP }] : [];
        case 'NodePort':
          if (!external.length) return s.clusterIP && s.clusterIP !== 'None' ? [{ ip: s.clusterIP }] : [];
          return sortAddresses(external.map((ip) => ({ ip })));
        default:
          for (const i of svc.status?.loadBalancer?.ingress ?? []) out.push(i.ip ? { ip: i.ip } : { hostname: i.hostname });
          for (const ip of external) out.push({ ip });
          return sortAddresses(out);
      }
    }
    const labels: Record<string, string> = pod.metadata.labels ?? {};
    const seen = new Set<string>();
    for (const p of this.pods?.list(pod.metadata.namespace) ?? []) {
      if (!Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v) || !isReady(p) || !p.spec?.nodeName) continue;
      const node = this.nodes?.get(undefined, p.spec.nodeName);
      const addrs: any[] = node?.status?.addresses ?? [];
      const ip = addrs.find((a) => a.type === 'ExternalIP')?.address ?? addrs.find((a) => a.type === 'InternalIP')?.address;
      if (ip && !seen.has(ip)) {
        seen.add(ip);
        out.push({ ip });
      }
    }
    return sortAddresses(out);
  }
}

/** Sorted by IP, then hostname, as the controller compares them. */
function sortAddresses(list: Array<{ ip?: string; hostname?: string }>): Array<{ ip?: string; hostname?: string }> {
  return list
    .map((a) => (a.ip ? { ip: a.ip } : { hostname: a.hostname }))
    .sort((a, b) => ((a.ip ?? '') + (a.hostname ?? '') < (b.ip ?? '') + (b.hostname ?? '') ? -1 : 1));
}

/** The parts of the servers that nginx.conf holds (hosts, locations and their backends), as text to compare. */
function renderConfig(servers: ReturnType<typeof buildServers>): string {
  const parts: string[] = [];
  for (const s of [...servers.values()].sort((a, b) => (a.host < b.host ? -1 : 1))) {
    parts.push(`server ${s.host} ${s.regex} ${s.certified} ${s.appRoot ?? ''}`);
    for (const l of s.locations) parts.push(`  ${l.match} ${l.path} ${l.backend ? `${l.backend.namespace}/${l.backend.service}:${l.backend.port.number ?? l.backend.port.name}` : 'default'} ${l.rewrite ?? ''} ${l.sslRedirect}`);
  }
  return parts.join('\n');
}
