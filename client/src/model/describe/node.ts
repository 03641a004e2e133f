import { PrefixWriter } from './writer';
import { annotationsMultiline, describeEvents, DescribeInput, labelsMultiline, rfc1123z, since } from './common';
import { cpuMilli, quantityValue } from '../format';
import { formatQuantity } from '../../../../kube/src/quantity';
import type { KObject } from '../types';

export interface NodeInput extends DescribeInput {
  /** Pods bound to the node (terminated ones are filtered out here, as kubectl's field selector does). */
  pods: KObject[];
  /** The node's Lease in kube-node-lease, when the caller could read it (kubectl leaves the section out otherwise). */
  lease?: KObject;
}

/** `kubectl describe node`. */
export function describeNode({ obj: node, events, now, pods, lease }: NodeInput): string {
  const w = new PrefixWriter();
  const st = node.status ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length)
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  const role = node.metadata.labels?.['kubernetes.io/role'];
  if (role) roles.push(role);
  w.write(0, `Roles:\t${roles.length ? [...new Set(roles)].sort().join(',') : '<none>'}\n`);
  labelsMultiline(w, 'Labels', node.metadata.labels);
  annotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  const taints = [...(node.spec?.taints ?? [])].sort((a, b) => (`${a.effect},${a.key}` < `${b.effect},${b.key}` ? -1 : 1));
  w.write(0, 'Taints:\t');
  if (!taints.length) w.line('<none>');
  taints.forEach((t, i) => {
    if (i) w.write(0, '\t');
    w.write(0, `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}\n`);
  });
  w.write(0, `Unschedulable:\t${!!node.spec?.unschedulable}\n`);
  if (lease) {
    // describeNode: the holder, and the lease's times in RFC 1123, `<unset>` for what the Lease does not carry (the
    // kubelet's node lease has no acquireTime).
    const spec = lease.spec ?? {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
  }
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', st.capacity], ['Allocatable', st.allocatable]] as const) {
    if (!list || !Object.keys(list).length) continue;
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(list).sort()) w.write(0, `  ${k}:\t${list[k]}\n`);
  }
  const info = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, key] of [
    ['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'], ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'],
    // kubectl still prints the deprecated kube-proxy version (empty since 1.33, which stopped setting it).
    ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion'],
  ]) w.write(0, `  ${label}:\t${info[key] ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  describeNodeResources(w, node, pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'), now);
  describeEvents(w, events, now);
  return w.toString();
}

/**
 * resourcehelper.PodRequests / PodLimits for every resource the pod names (cpu in millicores, the rest in whole
 * units): the containers and sidecars summed, or the busiest moment of initialization if more, plus the overhead.
 * A container whose status reports resources counts with the most of its spec and its status (allocated requests
 * too) while a resize is under way, and its status alone while the resize is Infeasible (determineContainerReqs/Limits).
 */
function podTotals(pod: KObject, kind: 'requests' | 'limits'): Map<string, number> {
  const value = (name: string, q: unknown) => (q === undefined ? 0 : name === 'cpu' ? cpuMilli(q as string) : Math.ceil(quantityValue(q as string)));
  const of = (c: any, name: string) => value(name, c.resources?.[kind]?.[name]);
  const infeasible = (pod.status?.conditions ?? []).some((x: any) => x?.type === 'PodResizePending' && x.reason === 'Infeasible');
  const statuses = new Map<string, any>((pod.status?.containerStatuses ?? []).map((st: any) => [st?.name, st]));
  const regular = (c: any, name: string) => {
    const cs = statuses.get(c.name);
    if (!cs?.resources) return of(c, name);
    const seen = [value(name, cs.resources[kind]?.[name]), kind === 'requests' ? value(name, cs.allocatedResources?.[name]) : 0];
    if (!infeasible) seen.push(value(name, c.resources?.[kind]?.[name] ?? (kind === 'requests' ? c.resources?.limits?.[name] : undefined)));
    return Math.max(0, ...seen);
  };
  const names = new Set<string>();
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of all) for (const k of Object.keys(c.resources?.[kind] ?? {})) names.add(k);
  const out = new Map<string, number>();
  for (const name of names) {
    let total = 0, sidecars = 0, initMax = 0;
    for (const c of pod.spec?.containers ?? []) total += regular(c, name);
    for (const c of pod.spec?.initContainers ?? []) {
      const own = of(c, name);
      if (c.restartPolicy === 'Always') { total += own; sidecars += own; initMax = Math.max(initMax, sidecars); }
      else initMax = Math.max(initMax, own + sidecars);
    }
    out.set(name, Math.max(total, initMax));
  }
  // The overhead counts only toward a resource the pod already names (PodLimits), or always (PodRequests).
  for (const [name, q] of Object.entries<any>(pod.spec?.overhead ?? {})) {
    if (kind === 'limits' && !out.has(name)) continue;
    out.set(name, (out.get(name) ?? 0) + value(name, q));
  }
  return out;
}

const cpuStr = (m: number) => formatQuantity(m / 1000, 'cpu');
const memStr = (b: number) => formatQuantity(b, 'memory');
const pct = (a: number, b: number) => (b ? Math.trunc((a / b) * 100) : 0);
/** kubectl's IsStandardContainerResourceName: cpu, memory, ephemeral-storage and huge pages. */
const standardContainerResource = (name: string) => ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('hugepages-');

/** describe.go's describeNodeResource. */
function describeNodeResources(w: PrefixWriter, node: KObject, pods: KObject[], now: number): void {
  const st = node.status ?? {};
  const alloc = st.allocatable && Object.keys(st.allocatable).length ? st.allocatable : (st.capacity ?? {});
  const aCpu = cpuMilli(alloc.cpu);
  const aMem = quantityValue(alloc.memory);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs = new Map<string, number>(), limits = new Map<string, number>();
  const add = (to: Map<string, number>, from: Map<string, number>) => { for (const [k, v] of from) to.set(k, (to.get(k) ?? 0) + v); };
  for (const p of pods) {
    const r = podTotals(p, 'requests'), l = podTotals(p, 'limits');
    add(reqs, r);
    add(limits, l);
    const [a, b, c, d] = [r.get('cpu') ?? 0, l.get('cpu') ?? 0, r.get('memory') ?? 0, l.get('memory') ?? 0];
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t${cpuStr(a)} (${pct(a, aCpu)}%)\t${cpuStr(b)} (${pct(b, aCpu)}%)\t${memStr(c)} (${pct(c, aMem)}%)\t${memStr(d)} (${pct(d, aMem)}%)\t${since(p.metadata.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const row = (name: string, fmt: (n: number) => string, of: number) => {
    const rq = reqs.get(name) ?? 0, lm = limits.get(name) ?? 0;
    w.write(1, `${name}\t${fmt(rq)} (${pct(rq, of)}%)\t${fmt(lm)} (${pct(lm, of)}%)\n`);
  };
  row('cpu', cpuStr, aCpu);
  row('memory', memStr, aMem);
  row('ephemeral-storage', memStr, quantityValue(alloc['ephemeral-storage']));
  const names = Object.keys(alloc).sort();
  for (const name of names) if (name.startsWith('hugepages-')) row(name, memStr, quantityValue(alloc[name]));
  // Extended resources: counts, without a percentage.
  for (const name of names) {
    if (standardContainerResource(name) || name === 'pods') continue;
    w.write(1, `${name}\t${reqs.get(name) ?? 0}\t${limits.get(name) ?? 0}\n`);
  }
}
