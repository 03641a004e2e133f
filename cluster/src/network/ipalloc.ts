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
 */
import type { AdmissionPlugin } from '../apiserver/api';
import { internal, invalid, type FieldError } from '../apiserver/status';
import { clusterIPsRelatedFindings } from '../../../kube/src/rules/serviceFields';
import { findingFieldError } from '../../../kube/src/rules/status';
import type { KObject, Rand, WriteOptions } from '../contract';
import { CLUSTER_DNS_IP } from './dns';

export const SERVICE_CIDR = '10.96.0.0/12';
const BASE = ipToInt('10.96.0.0');
const SIZE = 1 << 20; // /12
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

/** Upstream's static band: min(max(16, size/16), 256) for IPs, min(max(16, size/32), 128) for ports. */
const IP_STATIC = Math.min(Math.max(16, SIZE / 16), 256);
const PORT_RANGE = NODE_PORT_MAX - NODE_PORT_MIN + 1;
const PORT_STATIC = Math.min(Math.max(16, Math.floor(PORT_RANGE / 32)), 128);

export class ServiceAllocator {
  /** IP (as int) → owning service key. */
  readonly ips = new Map<number, string>();
  readonly ports = new Map<number, string>();
  /** What each admitted, not yet stored Service changed (see abort). */
  private readonly pending = new WeakMap<KObject, Undo>();

  constructor(private rand: Rand) {}

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
      if (want) {
        const n = ipToInt(want);
        if (!/^\d+\.\d+\.\d+\.\d+$/.test(want) || n < BASE || n >= BASE + SIZE) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [want], detail: `failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}` });
        } else if ((this.ips.has(n) && this.ips.get(n) !== key) || (RESERVED.has(n) && RESERVED.get(n) !== key)) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [want], detail: `failed to allocate IP ${want}: provided IP is already allocated` });
        } else newIps.push(n);
      } else {
        const n = this.pick(this.ips, BASE + 1, SIZE - 2, IP_STATIC - 1);
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

  /** A random free value in [first, first+count), trying the dynamic band above `staticBand` first. */
  private pick(used: Map<number, string>, first: number, count: number, staticBand: number, also: number[] = []): number | undefined {
    const free = (n: number) => !used.has(n) && !also.includes(n) && !(used === this.ips && RESERVED.has(n));
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
