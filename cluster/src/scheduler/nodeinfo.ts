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
  /** While the entry waits to join its node's maps (NodeInfo.pods), the entry added there before it. */
  arrivedAfter: PodEntry | undefined;
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
   * affinity, a node going): until then the pods a binding assumes here are only chained from `lastArrived`, since
   * a key set in one of 5,000 maps (out of the processor's cache, each) cost more than all the rest of `add`, and
   * most nodes' maps are never read while their pods just run.
   */
  get pods(): ReadonlyMap<string, PodEntry> {
    if (this.lastArrived !== undefined) this.settleArrived();
    return this.podMap;
  }
  /** How many pods of each spread group (controller owner uid) are here, in the order the groups came; built as `pods` is. */
  get owners(): ReadonlyMap<string, number> {
    if (this.lastArrived !== undefined) this.settleArrived();
    return this.ownerMap;
  }
  private readonly podMap = new Map<string, PodEntry>();
  private readonly ownerMap = new Map<string, number>();
  /** The last pod added and not yet in `podMap` and `ownerMap`; each such entry's `arrivedAfter` is the one added before it. */
  private lastArrived: PodEntry | undefined;
  podCount = 0;
  readonly ports = new Map<string, number>();
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
    if (absent) {
      // Only the entry and this node are written (see `pods`).
      e.arrivedAfter = this.lastArrived;
      this.lastArrived = e;
    } else {
      if (this.pods.has(e.key)) this.remove(e.key);
      this.podMap.set(e.key, e);
      if (e.owner) this.ownerMap.set(e.owner, (this.ownerMap.get(e.owner) ?? 0) + 1);
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
    // Indexed: a for-of over the shared empty list still made an iterator for nearly every pod.
    const ports = e.ports;
    for (let i = 0; i < ports.length; i++) this.ports.set(ports[i], (this.ports.get(ports[i]) ?? 0) + 1);
    if (e.owner) this.table?.ownerChanged(this, e.owner, 1);
    if (e.hasAntiAffinity) this.antiAffinityPods.add(e);
    this.table?.sync(this);
  }

  /** Moves the pods chained from `lastArrived` into the maps, oldest first: the maps are then as if each had been set at its `add`. */
  private settleArrived(): void {
    const chain: PodEntry[] = [];
    for (let e = this.lastArrived; e !== undefined; e = e.arrivedAfter) chain.push(e);
    this.lastArrived = undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const e = chain[i];
      e.arrivedAfter = undefined;
      this.podMap.set(e.key, e);
      if (e.owner) this.ownerMap.set(e.owner, (this.ownerMap.get(e.owner) ?? 0) + 1);
    }
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
    const ports = e.ports;
    for (let i = 0; i < ports.length; i++) { const n = (this.ports.get(ports[i]) ?? 1) - 1; if (n) this.ports.set(ports[i], n); else this.ports.delete(ports[i]); }
    if (e.owner) {
      const n = (this.ownerMap.get(e.owner) ?? 1) - 1;
      if (n) this.ownerMap.set(e.owner, n); else this.ownerMap.delete(e.owner);
      this.table?.ownerChanged(this, e.owner, -1);
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
    arrivedAfter: undefined,
  };
}
