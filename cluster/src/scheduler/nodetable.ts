/**
 * The nodes as flat typed arrays, in scheduling order, mirroring each
 * NodeInfo's free resources and a per-slot verdict for the last pod
 * signature seen there. The common-case cycle (fastpath.ts) scans a 500-node
 * window per pod at 5,000 nodes; with the verdict cached, a slot costs two
 * array reads, which is what keeps that scan in the microseconds.
 */
import type { NodeInfo } from './nodeinfo';

export class NodeTable {
  nodes: NodeInfo[] = [];
  /** 1 when the node is schedulable and untainted. */
  plain = new Uint8Array(0);
  freePods = new Float64Array(0);
  freeCpu = new Float64Array(0);
  freeMem = new Float64Array(0);
  /** The pod signature `fit`, `base` and `spread` were computed for; -1 once the node changed. */
  cacheSig = new Float64Array(0);
  /** The node's whole score for that signature when it is plain and fits the requests, else -1. */
  fit = new Float64Array(0);
  base = new Float64Array(0);
  spread = new Float64Array(0);

  /** Rebuilds the table for this order of nodes (node added or removed). */
  reset(order: NodeInfo[]): void {
    const n = order.length;
    if (this.plain.length < n) {
      const cap = Math.max(16, n * 2);
      this.plain = new Uint8Array(cap);
      this.freePods = new Float64Array(cap); this.freeCpu = new Float64Array(cap); this.freeMem = new Float64Array(cap);
      this.cacheSig = new Float64Array(cap); this.fit = new Float64Array(cap);
      this.base = new Float64Array(cap); this.spread = new Float64Array(cap);
    }
    this.nodes = order;
    for (let i = 0; i < n; i++) {
      order[i].slot = i;
      order[i].table = this;
      this.sync(order[i]);
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
  }
}
