import { PrefixWriter } from './writer';
import { annotationsMultiline, describeEvents, DescribeInput, labelsMultiline, rfc1123z, since } from './common';
import { cpuMilli, quantityValue } from '../format';
import { formatQuantity } from '../../../../kube/src/quantity';
import type { KObject } from '../types';

export interface NodeInput extends DescribeInput {
  /** Pods bound to the node (terminated ones are filtered out here, as kubectl's field selector does). */
  pods: KObject[];
}

/** `kubectl describe node`. */
export function describeNode({ obj: node, events, now, pods }: NodeInput): string {
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
    ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'],
  ]) w.write(0, `  ${label}:\t${info[key] ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  describeNodeResources(w, node, pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'), now);
  describeEvents(w, events, now);
  return w.toString();
}

function sum(pod: KObject, kind: 'requests' | 'limits', res: 'cpu' | 'memory'): number {
  let n = 0;
  const value = (q: unknown) => (q === undefined ? 0 : res === 'cpu' ? cpuMilli(q as string) : quantityValue(q as string));
  // kubectl's resourcehelper (determineContainerReqs/Limits): a container whose status reports resources counts with
  // the most of its spec and its status (allocated requests too) while a resize is under way, its status alone
  // while the resize is Infeasible.
  const infeasible = (pod.status?.conditions ?? []).some((x: any) => x?.type === 'PodResizePending' && x.reason === 'Infeasible');
  for (const c of pod.spec?.containers ?? []) {
    const spec = c.resources?.[kind]?.[res] ?? (kind === 'requests' ? c.resources?.limits?.[res] : undefined);
    const cs = (pod.status?.containerStatuses ?? []).find((s: any) => s?.name === c.name);
    if (!cs?.resources) { n += value(spec); continue; }
    const seen = [cs.resources[kind]?.[res], kind === 'requests' ? cs.allocatedResources?.[res] : undefined];
    if (!infeasible) seen.push(spec);
    n += Math.max(0, ...seen.map(value));
  }
  return n;
}

const cpuStr = (m: number) => formatQuantity(m / 1000, 'cpu');
const memStr = (b: number) => formatQuantity(b, 'memory');
const pct = (a: number, b: number) => (b ? Math.trunc((a / b) * 100) : 0);

function describeNodeResources(w: PrefixWriter, node: KObject, pods: KObject[], now: number): void {
  const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
  const aCpu = cpuMilli(alloc.cpu);
  const aMem = quantityValue(alloc.memory);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  let rc = 0, lc = 0, rm = 0, lm = 0;
  for (const p of pods) {
    const [a, b, c, d] = [sum(p, 'requests', 'cpu'), sum(p, 'limits', 'cpu'), sum(p, 'requests', 'memory'), sum(p, 'limits', 'memory')];
    rc += a; lc += b; rm += c; lm += d;
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t${cpuStr(a)} (${pct(a, aCpu)}%)\t${cpuStr(b)} (${pct(b, aCpu)}%)\t${memStr(c)} (${pct(c, aMem)}%)\t${memStr(d)} (${pct(d, aMem)}%)\t${since(p.metadata.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${cpuStr(rc)} (${pct(rc, aCpu)}%)\t${cpuStr(lc)} (${pct(lc, aCpu)}%)\n`);
  w.write(1, `memory\t${memStr(rm)} (${pct(rm, aMem)}%)\t${memStr(lm)} (${pct(lm, aMem)}%)\n`);
  w.write(1, 'ephemeral-storage\t0 (0%)\t0 (0%)\n');
}
