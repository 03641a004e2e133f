/**
 * ClusterIP and NodePort allocation, done synchronously on the Service's
 * create and update as upstream's service registry does (an admission plugin
 * the apiserver calls). ClusterIPs come from 10.96.0.0/12 and NodePorts from
 * 30000–32767. As upstream's bitmap allocators, dynamic picks are random
 * (seeded here) and prefer the upper part of the range, leaving the lower
 * band (256 IPs / 86 ports) to users who ask for a specific value;
 * 10.96.0.1 belongs to the `kubernetes` Service, and 10.96.0.10 (the
 * kubelet's clusterDNS, named in every pod's resolv.conf) is kept for
 * kube-system/kube-dns even while that Service does not exist, so no user
 * Service can take the cluster's DNS address.
 *
 * With MultiCIDRServiceAllocator (GA, locked on in 1.34) the ranges are the
 * ServiceCIDRs and the IPAddress objects are the allocations
 * (pkg/registry/core/service/ipallocator/cidrallocator.go, MetaAllocator):
 * an address comes from any ServiceCIDR that is Ready (or has no Ready
 * condition yet) and not being deleted, and an address some IPAddress names
 * is taken, whoever made it.
 */
import type { AdmissionPlugin } from '../apiserver/api';
import { internal, invalid, type FieldError } from '../apiserver/status';
import { clusterIPsRelatedFindings } from '../../../kube/src/rules/serviceFields';
import { findingFieldError } from '../../../kube/src/rules/status';
import type { KObject, Rand, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import { parseCidr } from '../../../kube/src/cidr';
import { CLUSTER_DNS_IP } from './dns';

export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** Addresses only one Service may hold, by namespace/name. */
export const RESERVED_IPS: ReadonlyMap<string, string> = new Map([[CLUSTER_DNS_IP, 'kube-system/kube-dns']]);
const RESERVED = new Map([...RESERVED_IPS].map(([ip, key]) => [ipToInt(ip), key]));

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Upstream's static band: min(max(16, size/16), 256) for IPs (none below 16 addresses), min(max(16, size/32), 128) for ports. */
const ipStaticBand = (size: number) => (size < 16 ? 0 : Math.min(Math.max(16, size / 16), 256));
const PORT_RANGE = NODE_PORT_MAX - NODE_PORT_MIN + 1;
const PORT_STATIC = Math.min(Math.max(16, Math.floor(PORT_RANGE / 32)), 128);

/** One IPv4 range addresses are allocated from: its first and last usable address (not the network or broadcast one). */
interface IPRange {
  cidr: string;
  /** The prefix's own first and last address (network and broadcast). */
  start: number;
  end: number;
  first: number;
  /** Usable addresses. */
  count: number;
  /** The lower band kept for static picks. */
  band: number;
}

function rangeOf(cidr: string): IPRange | undefined {
  const c = parseCidr(cidr);
  if (!c || c.v6) return undefined;
  const size = 2 ** (32 - c.prefix);
  return { cidr, start: Number(c.base), end: Number(c.base) + size - 1, first: Number(c.base) + 1, count: Math.max(0, size - 2), band: Math.max(0, ipStaticBand(size) - 1) };
}

const DEFAULT_RANGE = rangeOf(SERVICE_CIDR)!;
const SERVICE_CIDRS = 'networking.k8s.io/servicecidrs';
const IP_ADDRESSES = 'networking.k8s.io/ipaddresses';

/** cidrallocator.go isReady: a ServiceCIDR with no Ready condition counts as ready; one being deleted never does. */
function usable(c: KObject): boolean {
  if (c.metadata.deletionTimestamp) return false;
  const ready = (c.status?.conditions ?? []).find((x: any) => x?.type === 'Ready');
  return !ready || ready.status === 'True';
}

export class ServiceAllocator {
  /** IP (as int) → owning service key. */
  readonly ips = new Map<number, string>();
  readonly ports = new Map<number, string>();
  /** What each admitted, not yet stored Service changed (see abort). */
  private readonly pending = new WeakMap<KObject, Undo>();

  /** Where the ServiceCIDRs and IPAddresses are read (unset: the service range alone, no IPAddress objects). */
  private store?: Store;

  constructor(private rand: Rand) {}

  /** Reads the ranges from the ServiceCIDRs and the taken addresses from the IPAddresses of this store. */
  useStore(store: Store): void {
    this.store = store;
  }

  /** The IPv4 ranges of the usable ServiceCIDRs (each CIDR once, however many ServiceCIDRs name it). */
  private ranges(): IPRange[] {
    if (!this.store) return [DEFAULT_RANGE];
    const out = new Map<string, IPRange>();
    for (const c of this.store.list(SERVICE_CIDRS)) {
      if (!usable(c)) continue;
      for (const cidr of c.spec?.cidrs ?? []) {
        if (out.has(cidr)) continue;
        const r = cidr === SERVICE_CIDR ? DEFAULT_RANGE : rangeOf(cidr);
        if (r) out.set(cidr, r);
      }
    }
    return [...out.values()];
  }

  /**
   * Whether an IPAddress other than `key`'s own names this address (ipallocator.go createIPAddress: AlreadyExists is
   * ErrAllocated). One the allocator made for a Service since deleted is on its way out (the ipallocator controller
   * deletes it a moment later; upstream the registry deletes it with the Service), so it does not count.
   */
  private heldByObject(ip: string, key: string): boolean {
    const ipa = this.store?.get(IP_ADDRESSES, undefined, ip) as any;
    if (!ipa) return false;
    const ref = ipa.spec?.parentRef;
    if (ref?.resource === 'services' && !ref.group) {
      if (`${ref.namespace}/${ref.name}` === key) return false;
      if (ipa.metadata.labels?.['ipaddress.kubernetes.io/managed-by'] === 'ipallocator.k8s.io' && !this.store!.get('/services', ref.namespace, ref.name)) return false;
    }
    return true;
  }

  /** Rebuilds the allocation maps from stored Services (after a restore). */
  rebuild(services: Iterable<KObject>): void {
    this.ips.clear();
    this.ports.clear();
    for (const s of services) {
      const key = `${s.metadata.namespace}/${s.metadata.name}`;
      for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) if (ip !== 'None' && ip) this.ips.set(ipToInt(ip), key);
      for (const p of s.spec?.ports ?? []) if (p.nodePort) this.ports.set(p.nodePort, key);
      if (s.spec?.healthCheckNodePort) this.ports.set(s.spec.healthCheckNodePort, key);
    }
  }

  /** Fills in spec.clusterIP(s) and nodePorts, or throws the upstream Invalid error. Mutates `svc`. */
  admit(svc: KObject, old: KObject | undefined, dryRun = false): void {
    const s = (svc.spec ??= {});
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const errs: FieldError[] = [];
    const newIps: number[] = [];
    const newPorts: number[] = [];
    // initIPFamilyFields: the cluster IPs' own checks come before any allocation, and fail alone.
    if (s.type !== 'ExternalName' && !(old?.spec?.clusterIP && old.spec.type !== 'ExternalName')) {
      const pre = clusterIPsRelatedFindings(s);
      if (pre.length) throw invalid('', 'Service', svc.metadata.name ?? '', pre.map(findingFieldError));
    }
    if (s.type === 'ExternalName') {
      delete s.clusterIP; delete s.clusterIPs;
    } else if (old?.spec?.clusterIP && old.spec.type !== 'ExternalName') {
      s.clusterIP = old.spec.clusterIP;
      s.clusterIPs = old.spec.clusterIPs ?? [old.spec.clusterIP];
    } else if (s.clusterIP === 'None' || s.clusterIPs?.[0] === 'None') {
      s.clusterIP = 'None';
      s.clusterIPs = ['None'];
    } else {
      const want: string | undefined = s.clusterIP || s.clusterIPs?.[0];
      const ranges = this.ranges();
      if (want) {
        const n = ipToInt(want);
        const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(want);
        // MetaAllocator.getAllocator: a ready range whose prefix holds the address, else ErrMismatchedNetwork; then
        // that range's own bounds (its network and broadcast addresses are no ClusterIPs: ErrNotInRange).
        const holding = v4 ? ranges.filter((r) => n >= r.start && n <= r.end) : [];
        const fail = (why: string) => errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [want], detail: `failed to allocate IP ${want}: ${why}` });
        if (!holding.length) fail('the provided network does not match the current range');
        else if (!holding.some((r) => n >= r.first && n < r.first + r.count)) fail(`the provided IP (${want}) is not in the valid range. The range of valid IPs is ${holding[0].cidr}`);
        else if ((this.ips.has(n) && this.ips.get(n) !== key) || (RESERVED.has(n) && RESERVED.get(n) !== key) || this.heldByObject(want, key)) {
          fail('provided IP is already allocated');
        } else newIps.push(n);
      } else {
        const n = this.pickIP(ranges, key);
        if (n === undefined) errs.push({ type: 'InternalError', field: 'spec.clusterIPs', detail: 'failed to allocate a serviceIP: range is full' });
        else newIps.push(n);
      }
      if (newIps.length) { s.clusterIP = intToIp(newIps[0]); s.clusterIPs = [s.clusterIP]; }
    }
    const needsNodePorts = s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
    const oldPorts = new Map<string, number>();
    for (const p of old?.spec?.ports ?? []) if (p.nodePort) oldPorts.set(`${p.protocol ?? 'TCP'}/${p.port}`, p.nodePort);
    (s.ports ?? []).forEach((p: any, i: number) => {
      if (!needsNodePorts) { if (s.type === 'ClusterIP' || s.type === 'ExternalName') delete p.nodePort; return; }
      if (p.nodePort) {
        const owner = this.ports.get(p.nodePort);
        if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
        } else if (owner && owner !== key) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: 'provided port is already allocated' });
        } else newPorts.push(p.nodePort);
        return;
      }
      const reuse = oldPorts.get(`${p.protocol ?? 'TCP'}/${p.port}`);
      const n = reuse ?? this.pick(this.ports, NODE_PORT_MIN, PORT_RANGE, PORT_STATIC, newPorts);
      if (n === undefined) errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: 0, detail: 'failed to allocate a nodePort: range is full' });
      else { p.nodePort = n; newPorts.push(n); }
    });
    if (errs.length) throw invalid('', 'Service', svc.metadata.name ?? '', errs);
    // The health check node port of a LoadBalancer with externalTrafficPolicy Local (needsHCNodePort): kept from the
    // old object when both need one, allocated when the Service comes to need one (the requested port, or any), and
    // dropped when it no longer does (dropTypeDependentFields). A port it cannot have is an internal error upstream.
    const needsHC = (x: KObject | undefined) => x?.spec?.type === 'LoadBalancer' && x.spec.externalTrafficPolicy === 'Local';
    if (needsHC(svc)) {
      if (needsHC(old)) {
        if (!s.healthCheckNodePort) s.healthCheckNodePort = old!.spec.healthCheckNodePort;
      } else if (s.healthCheckNodePort) {
        const want = s.healthCheckNodePort;
        const owner = this.ports.get(want);
        if (want < NODE_PORT_MIN || want > NODE_PORT_MAX) {
          throw internal(`failed to allocate requested HealthCheck NodePort ${want}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`);
        }
        if ((owner && owner !== key) || newPorts.includes(want)) throw internal(`failed to allocate requested HealthCheck NodePort ${want}: provided port is already allocated`);
        newPorts.push(want);
      } else {
        const n = this.pick(this.ports, NODE_PORT_MIN, PORT_RANGE, PORT_STATIC, newPorts);
        if (n === undefined) throw internal('failed to allocate a HealthCheck NodePort 0: range is full');
        s.healthCheckNodePort = n;
        newPorts.push(n);
      }
    } else if (needsHC(old) && s.healthCheckNodePort === old!.spec.healthCheckNodePort) {
      delete s.healthCheckNodePort;
    }
    if (dryRun) return;
    // What this write changes, so that a write refused later (quota, validation, a taken name) can be undone.
    const undo: Undo = { ips: [], ports: [] };
    const snapshot = (map: Map<number, string>, n: number, into: [number, string | undefined][]) => into.push([n, map.get(n)]);
    if (old) {
      for (const ip of old.spec?.clusterIPs ?? (old.spec?.clusterIP ? [old.spec.clusterIP] : [])) if (ip && ip !== 'None') snapshot(this.ips, ipToInt(ip), undo.ips);
      for (const p of old.spec?.ports ?? []) if (p.nodePort) snapshot(this.ports, p.nodePort, undo.ports);
      if (old.spec?.healthCheckNodePort) snapshot(this.ports, old.spec.healthCheckNodePort, undo.ports);
      this.release(old, svc);
    }
    for (const n of newIps) { snapshot(this.ips, n, undo.ips); this.ips.set(n, key); }
    for (const n of newPorts) { snapshot(this.ports, n, undo.ports); this.ports.set(n, key); }
    this.pending.set(svc, undo);
  }

  /** Puts back what `admit` changed for `svc` (its write was refused after admission). */
  abort(svc: KObject): void {
    const undo = this.pending.get(svc);
    if (!undo) return;
    this.pending.delete(svc);
    // Newest first, so a number touched twice ends as it was before the write.
    for (const [map, list] of [[this.ips, undo.ips], [this.ports, undo.ports]] as const) {
      for (let i = list.length - 1; i >= 0; i--) {
        const [n, owner] = list[i];
        if (owner === undefined) map.delete(n);
        else map.set(n, owner);
      }
    }
  }

  /** Frees what `svc` held (all of it, or what `next` no longer uses). */
  release(svc: KObject, next?: KObject): void {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const keepIps = new Set((next?.spec?.clusterIPs ?? []).filter((x: string) => x !== 'None').map(ipToInt));
    const keepPorts = new Set([...(next?.spec?.ports ?? []).map((p: any) => p.nodePort), next?.spec?.healthCheckNodePort].filter(Boolean));
    for (const ip of svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])) {
      if (!ip || ip === 'None') continue;
      const n = ipToInt(ip);
      if (!keepIps.has(n) && this.ips.get(n) === key) this.ips.delete(n);
    }
    for (const n of [...(svc.spec?.ports ?? []).map((p: any) => p.nodePort), svc.spec?.healthCheckNodePort]) {
      if (n && !keepPorts.has(n) && this.ports.get(n) === key) this.ports.delete(n);
    }
  }

  /**
   * A free address from the ranges: MetaAllocator.AllocateNextService tries its allocators in Go's (random) map
   * order and moves on from a full one. One range draws nothing extra from the seeded randomness.
   */
  private pickIP(ranges: IPRange[], key: string): number | undefined {
    const start = ranges.length > 1 ? Math.floor(this.rand.next() * ranges.length) : 0;
    const taken = (n: number) => this.heldByObject(intToIp(n), key);
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[(start + i) % ranges.length];
      const n = this.pick(this.ips, r.first, r.count, r.band, [], taken);
      if (n !== undefined) return n;
    }
    return undefined;
  }

  /** A random free value in [first, first+count), trying the dynamic band above `staticBand` first. */
  private pick(used: Map<number, string>, first: number, count: number, staticBand: number, also: number[] = [], taken?: (n: number) => boolean): number | undefined {
    const free = (n: number) => !used.has(n) && !also.includes(n) && !(used === this.ips && RESERVED.has(n)) && !taken?.(n);
    staticBand = Math.min(staticBand, count);
    const bands: Array<[number, number]> = [[first + staticBand, count - staticBand], [first, staticBand]];
    for (const [start, len] of bands) {
      if (len <= 0) continue;
      const off = Math.floor(this.rand.next() * len);
      for (let i = 0; i < len; i++) {
        const n = start + ((off + i) % len);
        if (free(n)) return n;
      }
    }
    return undefined;
  }
}

interface Undo {
  ips: [number, string | undefined][];
  ports: [number, string | undefined][];
}

/** The allocator as an apiserver admission plugin: `apiServer.use(serviceIPAdmission(allocator))`. */
export function serviceIPAdmission(alloc: ServiceAllocator): AdmissionPlugin {
  return {
    name: 'ServiceIPAllocation',
    resources: ['/services'],
    // The status subresource keeps the stored spec (the status strategy's PrepareForUpdate): nothing to allocate.
    admit: (op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, opts: WriteOptions, subresource?: string) =>
      (subresource ? undefined : alloc.admit(obj, op === 'UPDATE' ? old : undefined, !!opts.dryRun)),
    released: (obj: KObject) => alloc.release(obj),
    aborted: (_op: 'CREATE' | 'UPDATE', obj: KObject) => alloc.abort(obj),
  };
}
