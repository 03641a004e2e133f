/**
 * The scheduler's cache: one NodeInfo per node with the sums of what its pods
 * request, kept up to date incrementally as pods are assumed, bound, finish
 * or go away — never recomputed from a pod list. This is what lets one
 * scheduling cycle cost a few comparisons per sampled node.
 */
import type { KObject } from '../contract';
import type { NodeTable } from './nodetable';
import { isScalarResourceName, podRequests, quantity, type PodRequest } from './resources';

export interface PodEntry {
  key: string;
  pod: KObject;
  node: string;
  req: PodRequest;
  ports: string[];
  /** The controller owner's uid: the spread group of the default topology spread. */
  owner?: string;
  hasAntiAffinity: boolean;
}

export class NodeInfo {
  node!: KObject;
  name: string;
  allocMilliCpu = 0;
  allocMemory = 0;
  allocPods = 0;
  allocEphemeral = 0;
  /** The allocatable scalar resources (huge pages, extended resources); a name absent is 0. */
  allocScalar: Record<string, number> = {};
  milliCpu = 0;
  memory = 0;
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
  ephemeral = 0;
  /** What the pods here request of each scalar resource; created with the first pod that requests one. */
  scalar: Map<string, number> | undefined;
  /**
   * The pods here by key, in the order they came. Built when something reads it (a pod leaving, preemption,
   * affinity, a node going): until then a node's new pods wait in `arrived`, an array push each, since setting a key
   * in one of 5,000 maps costs the binding of every pod more than all the rest of `add` (most nodes' maps are never
   * read while their pods just run).
   */
  get pods(): ReadonlyMap<string, PodEntry> {
    if (this.arrived.length) this.settleArrived();
    return this.podMap;
  }
  private readonly podMap = new Map<string, PodEntry>();
  /** Pods added since `pods` was last read, in the order they came; none of them is in `podMap`. */
  private arrived: PodEntry[] = [];
  podCount = 0;
  readonly ports = new Map<string, number>();
  readonly owners = new Map<string, number>();
  /** Pods here with required anti-affinity terms (checked against every incoming pod). */
  readonly antiAffinityPods = new Set<PodEntry>();
  labels: Record<string, string> = {};
  /** Bumped on every change; scoring caches per (generation, request signature). */
  generation = 0;
  scoreGen = -1;
  scoreSig = -1;
  scoreBase = 0;
  scoreSpread = 0;
  /** Position in the scheduler's NodeTable (-1 = none). */
  slot = -1;
  table?: NodeTable;
  taints: any[] = [];
  unschedulable = false;

  constructor(node: KObject) {
    this.name = node.metadata.name!;
    this.setNode(node);
  }

  setNode(node: KObject): void {
    this.generation++;
    this.node = node;
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    this.allocMilliCpu = Math.round(quantity(a.cpu) * 1000);
    this.allocMemory = quantity(a.memory);
    this.allocPods = quantity(a.pods);
    this.allocEphemeral = Math.ceil(quantity(a['ephemeral-storage']));
    const scalar: Record<string, number> = {};
    for (const k in a) if (isScalarResourceName(k)) scalar[k] = Math.ceil(quantity(a[k]));
    this.allocScalar = scalar;
    this.labels = node.metadata.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
    this.table?.sync(this);
  }

  /** `absent`: the caller knows this node holds no entry of this key (the scheduler's placed pods say so), so none is looked for. */
  add(e: PodEntry, absent = false): void {
    if (absent) this.arrived.push(e);
    else {
      if (this.pods.has(e.key)) this.remove(e.key);
      this.podMap.set(e.key, e);
    }
    this.generation++;
    this.podCount++;
    this.milliCpu += e.req.milliCpu;
    this.memory += e.req.memory;
    this.nonZeroMilliCpu += e.req.nonZeroMilliCpu;
    this.nonZeroMemory += e.req.nonZeroMemory;
    if (e.req.ephemeral) this.ephemeral += e.req.ephemeral;
    if (e.req.scalar) {
      const m = (this.scalar ??= new Map());
      for (const k in e.req.scalar) m.set(k, (m.get(k) ?? 0) + e.req.scalar[k]);
    }
    for (const p of e.ports) this.ports.set(p, (this.ports.get(p) ?? 0) + 1);
    if (e.owner) {
      const n = (this.owners.get(e.owner) ?? 0) + 1;
      this.owners.set(e.owner, n);
      this.table?.ownerChanged(this, e.owner, n);
    }
    if (e.hasAntiAffinity) this.antiAffinityPods.add(e);
    this.table?.sync(this);
  }

  /** Moves the pods that arrived into `podMap`, in their order: the map is then as if each had been set at its `add`. */
  private settleArrived(): void {
    const a = this.arrived;
    for (let i = 0; i < a.length; i++) this.podMap.set(a[i].key, a[i]);
    a.length = 0;
  }

  remove(key: string): PodEntry | undefined {
    const e = this.pods.get(key);
    if (!e) return undefined;
    this.generation++;
    this.podMap.delete(key);
    this.podCount--;
    this.milliCpu -= e.req.milliCpu;
    this.memory -= e.req.memory;
    this.nonZeroMilliCpu -= e.req.nonZeroMilliCpu;
    this.nonZeroMemory -= e.req.nonZeroMemory;
    if (e.req.ephemeral) this.ephemeral -= e.req.ephemeral;
    if (e.req.scalar) for (const k in e.req.scalar) this.scalar!.set(k, this.scalar!.get(k)! - e.req.scalar[k]);
    for (const p of e.ports) { const n = (this.ports.get(p) ?? 1) - 1; if (n) this.ports.set(p, n); else this.ports.delete(p); }
    if (e.owner) {
      const n = (this.owners.get(e.owner) ?? 1) - 1;
      if (n) this.owners.set(e.owner, n); else this.owners.delete(e.owner);
      this.table?.ownerChanged(this, e.owner, n);
    }
    this.antiAffinityPods.delete(e);
    this.table?.sync(this);
    return e;
  }
}

/** Host ports a pod asks for, as "protocol/port" (hostIP is treated as 0.0.0.0). */
export function hostPorts(pod: KObject): string[] {
  let out: string[] | undefined;
  // Indexed: the lists are frozen (see deepFreeze).
  const cs = pod.spec?.containers;
  if (cs) for (let i = 0; i < cs.length; i++) {
    const ps = cs[i].ports;
    if (ps) for (let j = 0; j < ps.length; j++) if (ps[j].hostPort) (out ??= []).push(`${ps[j].protocol ?? 'TCP'}/${ps[j].hostPort}`);
  }
  return out ?? NO_PORTS;
}
/** Shared by the pods that ask for no host port (nearly all); never written to. */
const NO_PORTS: string[] = [];

export function podEntry(key: string, pod: KObject, node: string): PodEntry {
  const owner = (pod.metadata.ownerReferences ?? []).find((o: any) => o.controller)?.uid;
  return {
    key, pod, node, req: podRequests(pod), ports: hostPorts(pod), owner,
    hasAntiAffinity: !!pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length,
  };
}
