/**
 * The nodes as flat typed arrays, in scheduling order, mirroring each
 * NodeInfo's free resources and a per-slot verdict for the last pod
 * signature seen there. The common-case cycle (fastpath.ts) scans a 500-node
 * window per pod at 5,000 nodes; with the verdict cached, a slot costs two
 * array reads, which is what keeps that scan in the microseconds.
 */
import type { NodeInfo } from './nodeinfo';

/** Slots per block of a BlockSummary (a power of two: a slot's block is `slot >> BLOCK_SHIFT`). */
export const BLOCK_SHIFT = 6;
export const BLOCK = 1 << BLOCK_SHIFT;

/**
 * For each full block of BLOCK slots, a summary of one cached score array
 * (`fit` or `fit200`) for one request signature: whether every slot holds a
 * score (none is tainted, cordoned or full), the highest score and how many
 * slots have it. A scan that meets a whole block of a window reads these
 * three numbers instead of its 64 slots; exact, since the window's choice
 * depends only on its highest score and the count of slots having it.
 */
export class BlockSummary {
  /** The request signature the block was summarized for; -1 once one of its slots changed. */
  sig = new Float64Array(0);
  max = new Float64Array(0);
  ties = new Int32Array(0);
  /** 1 when every slot of the block holds a score (>= 0). */
  ok = new Uint8Array(0);

  resize(slots: number): void {
    const n = (slots >> BLOCK_SHIFT) + 1;
    this.sig = new Float64Array(n).fill(-1);
    this.max = new Float64Array(n);
    this.ties = new Int32Array(n);
    this.ok = new Uint8Array(n);
  }
}

export class NodeTable {
  nodes: NodeInfo[] = [];
  /** 1 when the node is schedulable and untainted. */
  plain = new Uint8Array(0);
  freePods = new Float64Array(0);
  freeCpu = new Float64Array(0);
  freeMem = new Float64Array(0);
  /** The request signature `fit` and `base` were computed for; -1 once the node changed. */
  cacheSig = new Float64Array(0);
  /** The node's whole score for that signature when it is plain and fits the requests, else -1. */
  fit = new Float64Array(0);
  base = new Float64Array(0);
  /** `fit` with the spread term of a node holding none of the pod's spread group (200), for the same signature. */
  fit200 = new Float64Array(0);
  /** Block summaries of `fit` and `fit200`: a slot's verdict dropped or recomputed drops its block's. */
  fitBlocks = new BlockSummary();
  fit200Blocks = new BlockSummary();
  /** Pods of the spread group `counted` on each slot (0 elsewhere), kept current as pods come and go. */
  counts = new Float64Array(0);
  /** The slots whose `counts` are not 0 (the nodes holding pods of the group counted), in no order. */
  readonly countedSlots: number[] = [];
  private counted: string | undefined;
  /** The nodes holding pods of each spread group (controller owner uid), with how many. Only nodes in the table. */
  private ownerNodes = new Map<string, Map<NodeInfo, number>>();

  /** Rebuilds the table for this order of nodes (node added or removed). */
  reset(order: NodeInfo[]): void {
    const n = order.length;
    if (this.plain.length < n) {
      const cap = Math.max(16, n * 2);
      this.plain = new Uint8Array(cap);
      this.freePods = new Float64Array(cap); this.freeCpu = new Float64Array(cap); this.freeMem = new Float64Array(cap);
      this.cacheSig = new Float64Array(cap); this.fit = new Float64Array(cap);
      this.base = new Float64Array(cap); this.fit200 = new Float64Array(cap); this.counts = new Float64Array(cap);
    }
    // The slots move: no block summary holds.
    this.fitBlocks.resize(this.plain.length);
    this.fit200Blocks.resize(this.plain.length);
    this.counts.fill(0);
    this.countedSlots.length = 0;
    this.counted = undefined;
    this.ownerNodes.clear();
    this.nodes = order;
    for (let i = 0; i < n; i++) {
      order[i].slot = i;
      order[i].table = this;
      this.sync(order[i]);
      for (const [owner, n] of order[i].owners) if (n > 0) this.ownerChanged(order[i], owner, n);
    }
  }

  /** The scheduler appended `ni` to `order` (the array this table was reset with). */
  append(order: NodeInfo[], ni: NodeInfo): void {
    const s = order.length - 1;
    if (order !== this.nodes || order[s] !== ni || s >= this.plain.length) return this.reset(order);
    ni.slot = s;
    ni.table = this;
    this.sync(ni);
  }

  /** The node changed (its object, or a pod added or removed): mirror it and drop its cached verdict. */
  sync(ni: NodeInfo): void {
    const s = ni.slot;
    if (s < 0 || this.nodes[s] !== ni) return;
    this.plain[s] = ni.taints.length === 0 && !ni.unschedulable ? 1 : 0;
    this.freePods[s] = ni.allocPods - ni.podCount;
    this.freeCpu[s] = ni.allocMilliCpu - ni.milliCpu;
    this.freeMem[s] = ni.allocMemory - ni.memory;
    this.cacheSig[s] = -1;
    this.fitBlocks.sig[s >> BLOCK_SHIFT] = this.fit200Blocks.sig[s >> BLOCK_SHIFT] = -1;
  }

  /**
   * `ni` holds `delta` more pods of the spread group `owner`. The count is the table's own (what the node's
   * `owners` says once built): a node's pods need not be read in for it.
   */
  ownerChanged(ni: NodeInfo, owner: string, delta: number): void {
    let m = this.ownerNodes.get(owner);
    const n = Math.max(0, (m?.get(ni) ?? 0) + delta);
    if (n > 0) {
      if (!m) this.ownerNodes.set(owner, (m = new Map()));
      m.set(ni, n);
    } else if (m) {
      m.delete(ni);
      if (!m.size) this.ownerNodes.delete(owner);
    }
    if (owner === this.counted && ni.slot >= 0 && this.nodes[ni.slot] === ni) {
      const s = ni.slot, slots = this.countedSlots;
      if (this.counts[s] === 0 && n !== 0) slots.push(s);
      else if (this.counts[s] !== 0 && n === 0) {
        const i = slots.indexOf(s);
        slots[i] = slots[slots.length - 1];
        slots.pop();
      }
      this.counts[s] = n;
    }
  }

  /**
   * `counts` for this spread group: switching groups rewrites only the slots
   * of the two groups' nodes, so pods of many Deployments interleaved cost
   * no per-node cache refresh.
   */
  countFor(owner: string): Float64Array {
    if (owner === this.counted) return this.counts;
    const c = this.counts, slots = this.countedSlots;
    for (let i = 0; i < slots.length; i++) c[slots[i]] = 0;
    slots.length = 0;
    this.counted = owner;
    const m = this.ownerNodes.get(owner);
    if (m) for (const [ni, n] of m) if (ni.slot >= 0) { c[ni.slot] = n; slots.push(ni.slot); }
    return c;
  }
}
