/**
 * default-scheduler: takes unscheduled pods in FIFO order, filters a sample of
 * nodes (percentageOfNodesToScore, starting where the last cycle stopped),
 * scores the feasible ones and binds through the pods/binding subresource.
 * A pod that fits nowhere gets PodScheduled=False/Unschedulable with the
 * upstream message and a FailedScheduling event, and waits until the cluster
 * changes (a node added or updated, a pod deleted or finished, a claim bound),
 * with upstream's per-pod back-off of 1 s doubling to 10 s.
 */
import { CONTROL_PLANE_NODE } from '../layout';
import type { Component, ComponentContext, KObject, TimerHandle } from '../contract';
import { ABSENT_NODE_REASON, AFFINITY_CONFLICT, FILTERS, preFilter, preFilterNodeNames, runFilters, type FitArgs, type PodCycle, type Rejection } from './filters';
import { fitErrorMessage, NO_NODES_MESSAGE } from './message';
import { NodeInfo, podEntry, type PodEntry } from './nodeinfo';
import { scheduleSimple } from './fastpath';
import { NodeTable } from './nodetable';
import { numFeasibleNodesToFind, pickNode } from './score';
import { delayedClaims, volumeNodeTerms, volumePreFilter } from './volumes';
import { draPreFilter, podClaims } from './dra';
import { findPreemption, notEligible, podPriority, type Candidate } from './preemption';
import { deepEqual } from '../runtime/objects';
import { GVRS, isoTime, objKey, ObjectCache } from './watch';
import { observedGeneration } from '../controllers/util/pods';

const ABSENT: Rejection = { reasons: [ABSENT_NODE_REASON], unresolvable: true };

export const SCHEDULER_NAME = 'default-scheduler';
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** Pods left unschedulable this long are retried even without a cluster event. */
const UNSCHEDULABLE_TIMEOUT_MS = 5 * 60_000;
const BATCH = 2000;
/** The event source, shared by every event the scheduler records. */
/**
 * kube-scheduler records through client-go's events.k8s.io/v1 broadcaster, as `default-scheduler` from the
 * instance `default-scheduler-<hostname>`: in a kind cluster its static pod runs on the control-plane node's network.
 */
const SCHEDULER_REPORTER = Object.freeze({ controller: SCHEDULER_NAME, instance: `${SCHEDULER_NAME}-${CONTROL_PLANE_NODE}` });

interface Waiting { attempts: number; lastTry: number; since: number; timer?: TimerHandle }

export interface SchedulerOptions {
  percentageOfNodesToScore?: number;
  /** NodeResourcesFit's plugin args (ignoredResources, ignoredResourceGroups); none by default. */
  nodeResourcesFit?: FitArgs;
}

export class Scheduler implements Component {
  readonly name = SCHEDULER_NAME;
  readonly nodes = new Map<string, NodeInfo>();
  private order: NodeInfo[] = [];
  private table = new NodeTable();
  private nextStart = 0;
  /** Each assigned or assumed pod's entry; `entry.node` says where it is counted. */
  private placed = new PlacedPods();
  /** How many placed pods have each priority: preemption is skipped at once when none is below the pod's. */
  private placedPriorities = new Map<number, number>();
  /** Keys to schedule, in the PrioritySort plugin's order (see ActiveQueue); `active` says which are live (a key leaves the set when dropped). */
  private activeQ = new ActiveQueue();
  private active = new Set<string>();
  private unschedulable = new Map<string, Waiting>();
  private attempts = new Map<string, number>();
  private armed?: TimerHandle;
  private flushTimer?: TimerHandle;
  private pods?: ObjectCache;
  private nodeCache?: ObjectCache;
  private pvcs?: ObjectCache;
  private pvs?: ObjectCache;
  private scs?: ObjectCache;
  private pdbs?: ObjectCache;
  private resourceClaims?: ObjectCache;
  private deviceClasses?: ObjectCache;
  private running = false;
  /** Placed pods with required anti-affinity; when 0 the existing-pods check is skipped. */
  private antiPods = 0;
  /** Reused between cycles. */
  private feasible: NodeInfo[] = [];
  /**
   * Pods nominated to a node by preemption and not bound yet, by key (entry.node
   * is the nominated node): a pod of lower or equal priority counts them on
   * that node, so it cannot take the room being freed for them.
   */
  private nominated = new Map<string, PodEntry>();

  constructor(private ctx: ComponentContext, private opts: SchedulerOptions = {}) {}

  start(): void {
    this.running = true;
    this.nodeCache = new ObjectCache(this.ctx.api, GVRS.nodes, (t, n) => this.onNode(t, n)).start();
    this.pvcs = new ObjectCache(this.ctx.api, GVRS.pvcs, (t, c, old) => {
      if (t !== 'DELETED' && c.status?.phase === 'Bound' && old?.status?.phase !== 'Bound') this.moveAll('PersistentVolumeClaim bound');
      else if (t === 'ADDED') this.moveAll('PersistentVolumeClaim added');
    }).start();
    this.pvs = new ObjectCache(this.ctx.api, GVRS.pvs).start();
    this.scs = new ObjectCache(this.ctx.api, GVRS.storageClasses).start();
    this.pdbs = new ObjectCache(this.ctx.api, GVRS.pdbs).start();
    // DynamicResources' EventsToRegister: a claim added or updated, a device class added or updated.
    this.resourceClaims = new ObjectCache(this.ctx.api, GVRS.resourceClaims, (t) => { if (t !== 'DELETED') this.moveAll('ResourceClaim changed'); }).start();
    this.deviceClasses = new ObjectCache(this.ctx.api, GVRS.deviceClasses, (t) => { if (t !== 'DELETED') this.moveAll('DeviceClass changed'); }).start();
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, (t, p, old) => this.onPod(t, p, old)).start();
  }

  stop(): void {
    this.running = false;
    for (const c of [this.pods, this.nodeCache, this.pvcs, this.pvs, this.scs, this.pdbs, this.resourceClaims, this.deviceClasses]) c?.stop();
    if (this.armed !== undefined) this.ctx.clock.clearTimer(this.armed);
    if (this.flushTimer !== undefined) this.ctx.clock.clearTimer(this.flushTimer);
    for (const w of this.unschedulable.values()) if (w.timer !== undefined) this.ctx.clock.clearTimer(w.timer);
    this.armed = this.flushTimer = undefined;
    this.active.clear();
    this.activeQ = new ActiveQueue();
    this.unschedulable.clear();
  }

  /** Pods waiting in the unschedulable set (for tests and stats). */
  get pendingCount(): number { return this.unschedulable.size + this.active.size; }

  private onNode(type: string, node: KObject): void {
    const name = node.metadata.name!;
    if (type === 'DELETED') {
      const ni = this.nodes.get(name);
      if (ni) {
        for (const here of ni.pods.values()) {
          const m = here.pod.metadata;
          const e = this.placed.get(m.namespace, m.name!);
          if (e?.node === name) {
            this.countPriority(e, -1);
            this.placed.delete(m.namespace, m.name!);
          }
        }
      }
      // Nominations to a node that is gone are void.
      for (const [k, e] of this.nominated) if (e.node === name) this.clearNomination(k, e.pod);
      if (ni) this.antiPods -= ni.antiAffinityPods.size;
      this.nodes.delete(name);
      if (ni) { ni.table = undefined; ni.slot = -1; }
      this.order = [...this.nodes.values()];
      this.table.reset(this.order);
      // A domain gone may let a spread-constrained pod fit (PodTopologySpread's Node/Delete event).
      if (ni) this.moveAll('Node deleted');
      return;
    }
    let ni = this.nodes.get(name);
    if (!ni) {
      ni = new NodeInfo(node);
      this.nodes.set(name, ni);
      this.order.push(ni);
      this.table.append(this.order, ni);
      this.moveAll('Node added');
      return;
    }
    const sig = (n: NodeInfo) => `${n.allocMilliCpu}/${n.allocMemory}/${n.allocPods}/${n.allocEphemeral}/${JSON.stringify(n.allocScalar)}/${n.unschedulable}/${JSON.stringify(n.taints)}/${JSON.stringify(n.labels)}`;
    const before = sig(ni);
    ni.setNode(node);
    const after = sig(ni);
    if (before !== after) this.moveAll('Node updated');
  }

  private onPod(type: string, pod: KObject, old?: KObject): void {
    const node = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    // Only a pod bound, finished or gone has its entry read: a pending one (each new pod) skips the lookup.
    const was = node || terminal || type === 'DELETED' ? this.placed.get(pod.metadata.namespace, pod.metadata.name!) : undefined;
    // A placed pod's entry has its key, already hashed: no key is built for each of its status writes.
    const key = was !== undefined ? was.key : objKey(pod);
    if (this.nominated.size && (type === 'DELETED' || terminal || node)) this.nominated.delete(key);
    if (type === 'DELETED' || terminal || (node && was !== undefined && was.node !== node)) {
      if (was) {
        this.unplace(this.nodes.get(was.node), was);
        this.moveAll(type === 'DELETED' ? 'Pod deleted' : 'Pod finished');
      }
      this.forget(key);
      if (type === 'DELETED' || terminal) return;
    }
    if (node) {
      this.forget(key);
      // The binding of a pod we assumed: one lookup, the counts are already right.
      if (was !== undefined && was.node === node) {
        const before = was.pod.metadata;
        const prior = was.pod;
        was.pod = pod;
        // A resize (pods/resize) changes what a placed pod counts for, from its spec and, while under way, its status.
        if ((pod.metadata.generation ?? 1) > 1 && (pod.spec !== prior.spec || pod.status !== prior.status)) this.resized(key, pod, node, was);
        // What spread constraints count of a placed pod (labels, being deleted) changed: the node's counts are stale,
        // and a pod its labels kept out may fit now (PodTopologySpread's Pod/UpdatePodLabel event).
        if (before.labels !== pod.metadata.labels || before.deletionTimestamp !== pod.metadata.deletionTimestamp) {
          const ni = this.nodes.get(node);
          if (ni) ni.generation++;
          if (before.labels !== pod.metadata.labels && !deepEqual(before.labels, pod.metadata.labels)) this.moveAll('Pod updated');
        }
        return;
      }
      const ni = this.nodes.get(node);
      if (ni) {
        this.place(ni, podEntry(key, pod, node));
        // A pod placed by another hand (a nodeName, a restart): domains it joins may let a pending pod fit
        // (the Pod/Add event PodTopologySpread and InterPodAffinity register).
        if (this.unschedulable.size) this.moveAll('Pod added');
      }
      return;
    }
    if ((pod.spec?.schedulerName ?? SCHEDULER_NAME) !== SCHEDULER_NAME) return;
    if (pod.metadata.deletionTimestamp || pod.spec?.schedulingGates?.length) return;
    if (this.unschedulable.has(key)) {
      // Our own condition write changes only status; a changed spec or labels may make the pod fit.
      // So may the claims the resource claim controller made for it (DynamicResources' UpdatePodGeneratedResourceClaim).
      const claimsMade = pod.spec?.resourceClaims?.length && old && !deepEqual(old.status?.resourceClaimStatuses, pod.status?.resourceClaimStatuses);
      if (!claimsMade && (!old || (deepEqual(old.spec, pod.spec) && deepEqual(old.metadata.labels, pod.metadata.labels)))) return;
      this.forget(key);
    }
    this.enqueue(key, pod);
  }

  /**
   * A placed pod's requests changed (a resize asked for, actuated, or found infeasible): its node's sums follow, and
   * a smaller pod lets the pending ones try again (the Pod/UpdatePodScaleDown event of NodeResourcesFit).
   */
  private resized(key: string, pod: KObject, node: string, was: PodEntry): void {
    const ni = this.nodes.get(node);
    if (!ni) return;
    const e = podEntry(key, pod, node);
    if (e.req.milliCpu === was.req.milliCpu && e.req.memory === was.req.memory) return;
    const smaller = e.req.milliCpu < was.req.milliCpu || e.req.memory < was.req.memory;
    this.place(ni, e);
    if (smaller) this.moveAll('Pod updated');
  }

  private place(ni: NodeInfo, e: PodEntry): void {
    if (ni.antiAffinityPods.size && ni.pods.get(e.key)?.hasAntiAffinity) this.antiPods--;
    const old = this.placed.get(e.pod.metadata.namespace, e.pod.metadata.name!);
    // A pod not placed anywhere is on no node (a new pod, nearly always).
    ni.add(e, old === undefined);
    if (e.hasAntiAffinity) this.antiPods++;
    if (old) this.countPriority(old, -1);
    this.placed.set(e);
    this.countPriority(e, 1);
  }

  private countPriority(e: PodEntry, d: number): void {
    const p = podPriority(e.pod);
    const n = (this.placedPriorities.get(p) ?? 0) + d;
    if (n > 0) this.placedPriorities.set(p, n);
    else this.placedPriorities.delete(p);
  }

  /** Whether some placed pod has a lower priority than `prio` (without one, preemption has no victim anywhere). */
  private anyPlacedBelow(prio: number): boolean {
    for (const p of this.placedPriorities.keys()) if (p < prio) return true;
    return false;
  }

  /** Takes the pod of `entry` off `ni` and out of the placed pods (whatever entry it has there). */
  private unplace(ni: NodeInfo | undefined, entry: PodEntry): void {
    const e = ni?.remove(entry.key);
    if (e?.hasAntiAffinity) this.antiPods--;
    const m = entry.pod.metadata;
    const was = this.placed.get(m.namespace, m.name!);
    if (was) this.countPriority(was, -1);
    this.placed.delete(m.namespace, m.name!);
  }

  private forget(key: string): void {
    if (this.active.size) this.active.delete(key);
    if (this.unschedulable.size) {
      const w = this.unschedulable.get(key);
      if (w?.timer !== undefined) this.ctx.clock.clearTimer(w.timer);
      this.unschedulable.delete(key);
    }
    if (this.attempts.size) this.attempts.delete(key);
  }

  private enqueue(key: string, pod = this.pods?.getByKey(key)): void {
    if (this.active.has(key)) return;
    this.active.add(key);
    this.activeQ.push(key, pod ? podPriority(pod) : 0);
    if (this.armed === undefined && this.running) this.armed = this.ctx.clock.setTimer(0, () => this.drain());
  }

  /** A cluster event may make unschedulable pods fit: retry each once its back-off has passed. */
  private moveAll(why: string): void {
    if (!this.unschedulable.size) return;
    const now = this.ctx.clock.now();
    let moved = 0;
    for (const [key, w] of this.unschedulable) {
      if (w.timer !== undefined) continue;
      const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** (w.attempts - 1), MAX_BACKOFF_MS);
      const wait = w.lastTry + backoff - now;
      if (wait <= 0) { this.unschedulable.delete(key); this.enqueue(key); moved++; }
      else w.timer = this.ctx.clock.setTimer(wait, () => { w.timer = undefined; if (this.unschedulable.delete(key)) this.enqueue(key); });
    }
    if (moved) this.ctx.log(SCHEDULER_NAME, `${why}: retrying ${moved} unschedulable pod(s)`);
  }

  private drain(): void {
    this.armed = undefined;
    let n = 0;
    for (let key = this.activeQ.pop(); key !== undefined && n < BATCH; key = n < BATCH ? this.activeQ.pop() : undefined) {
      if (!this.active.delete(key)) continue; // dropped while queued
      n++;
      const pod = this.pods?.getByKey(key);
      if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) continue;
      this.scheduleOne(key, pod);
    }
    if (this.active.size && this.running) this.armed = this.ctx.clock.setTimer(0, () => this.drain());
  }

  private scheduleOne(key: string, pod: KObject): void {
    const entry = podEntry(key, pod, '');
    const all = this.order.length;
    if (all === 0) return this.fail(key, pod, NO_NODES_MESSAGE);
    const vol = volumePreFilter(pod, this.pvcs!, this.scs!);
    if (vol) return this.fail(key, pod, fitErrorMessage(all, [], vol));
    let unallocatedClaims = false;
    if (pod.spec?.resourceClaims?.length) {
      // DynamicResources' PreEnqueue, then its PreFilter (dra.ts).
      const claims = podClaims(pod, this.resourceClaims!);
      if (typeof claims === 'string') return this.gate(key, claims);
      const dra = draPreFilter(claims, this.deviceClasses!);
      if (dra.message) return this.fail(key, pod, fitErrorMessage(all, [], dra.message));
      unallocatedClaims = dra.unallocated;
    }
    const withAnti = this.antiPods > 0 ? this.order.filter((n) => n.antiAffinityPods.size) : [];
    const cycle = preFilter(pod, entry, this.order, withAnti, this.opts.nodeResourcesFit);
    if (unallocatedClaims) {
      cycle.unallocatedClaims = true;
      cycle.simple = false;
    }
    if (pod.spec?.volumes?.length) {
      cycle.volumeTerms = volumeNodeTerms(pod, this.pvcs!, this.pvs!);
      if (cycle.volumeTerms) cycle.simple = false;
    }
    const pinned = preFilterNodeNames(pod);
    if (pinned) return this.schedulePinned(key, pod, entry, cycle, all, pinned);
    const want = numFeasibleNodesToFind(all, this.opts.percentageOfNodesToScore);
    // A pod nominated by an earlier preemption tries its node first (evaluateNominatedNode).
    const nominatedTo = pod.status?.nominatedNodeName ? this.nodes.get(pod.status.nominatedNodeName) : undefined;
    if (nominatedTo && !this.filterWithNominated(cycle, nominatedTo, key)) return this.assumeAndBind(key, pod, entry, nominatedTo, 1, 1);
    const fast = this.nominated.size ? undefined : scheduleSimple(cycle, this.table, this.nextStart, want, this.random);
    if (fast) {
      this.nextStart = fast.next;
      return this.assumeAndBind(key, pod, entry, fast.node, fast.feasible, fast.checked);
    }
    const feasible = this.feasible;
    feasible.length = 0;
    const rejected: Rejection[] = [];
    const order = this.order;
    // The common case (no selectors, affinity, ports; untainted schedulable node) is filtered inline.
    const simple = cycle.simple, rc = entry.req.milliCpu, rm = entry.req.memory;
    let idx = this.nextStart % all;
    let i = 0;
    for (; i < all && feasible.length < want; i++) {
      const ni = order[idx];
      if (++idx === all) idx = 0;
      if (this.nominated.size) {
        const r = this.filterWithNominated(cycle, ni, key);
        if (r) rejected.push(r);
        else feasible.push(ni);
        continue;
      }
      if (simple && !ni.unschedulable && ni.taints.length === 0 && ni.podCount < ni.allocPods
        && (rc <= 0 || rc <= ni.allocMilliCpu - ni.milliCpu) && (rm <= 0 || rm <= ni.allocMemory - ni.memory)) {
        feasible.push(ni);
        continue;
      }
      const r = runFilters(cycle, ni);
      if (r) rejected.push(r);
      else feasible.push(ni);
    }
    this.nextStart = idx;
    if (!feasible.length) return this.postFilter(key, pod, cycle, all, rejected);
    const chosen = feasible[pickNode(cycle, feasible, this.random)];
    this.assumeAndBind(key, pod, entry, chosen, feasible.length, i);
  }

  private random = () => this.ctx.rand.next();

  /**
   * A pod whose required node affinity names its nodes (a DaemonSet's pod): only those nodes are filtered, as
   * NodeAffinity's PreFilterResult makes upstream do; every other node counts as not satisfying NodeAffinity.
   */
  private schedulePinned(key: string, pod: KObject, entry: PodEntry, cycle: PodCycle, all: number, names: Set<string>): void {
    if (!names.size) return this.fail(key, pod, fitErrorMessage(all, [], AFFINITY_CONFLICT));
    const feasible: NodeInfo[] = [];
    const rejected: Rejection[] = [];
    let present = 0;
    for (const name of names) {
      const ni = this.nodes.get(name);
      if (!ni) continue;
      present++;
      const r = this.filterWithNominated(cycle, ni, key);
      if (r) rejected.push(r);
      else feasible.push(ni);
    }
    if (!feasible.length) {
      for (let i = present; i < all; i++) rejected.push(ABSENT);
      return this.postFilter(key, pod, cycle, all, rejected);
    }
    const chosen = feasible.length === 1 ? feasible[0] : feasible[pickNode(cycle, feasible, this.random)];
    this.assumeAndBind(key, pod, entry, chosen, feasible.length, present);
  }

  /** The filters on `ni` with the pods nominated to it of at least this pod's priority counted there (addNominatedPods). */
  private filterWithNominated(cycle: PodCycle, ni: NodeInfo, key: string): Rejection | null {
    const prio = podPriority(cycle.pod);
    const extra: PodEntry[] = [];
    for (const e of this.nominated.values()) {
      if (e.node === ni.name && e.key !== key && podPriority(e.pod) >= prio && !ni.pods.has(e.key)) extra.push(e);
    }
    for (const e of extra) ni.add(e);
    try {
      return runFilters(cycle, ni);
    } finally {
      for (const e of extra) ni.remove(e.key);
    }
  }

  /** DefaultPreemption: frees a node for the pod if lower-priority pods can make room; the pod waits, nominated to it. */
  private postFilter(key: string, pod: KObject, cycle: PodCycle, all: number, rejected: Rejection[]): void {
    const filter = (c: PodCycle, n: NodeInfo) => this.filterWithNominated(c, n, key);
    const why = notEligible(pod, this.nodes, (n: NodeInfo) => filter(cycle, n));
    if (why) return this.fail(key, pod, fitErrorMessage(all, rejected, undefined, why));
    // Every placed pod is as important as this one (the common case): no node has a victim, and no node is walked.
    const cand = this.anyPlacedBelow(podPriority(pod)) ? findPreemption(cycle, this.order, this.random, this.pdbs?.list() ?? [], filter, this.ctx.clock.now()) : undefined;
    if (!cand) {
      // Preempt's empty nomination: a node nominated before is no longer this pod's.
      if (this.nominated.has(key) || pod.status?.nominatedNodeName) this.clearNomination(key, pod);
      return this.fail(key, pod, fitErrorMessage(all, rejected));
    }
    this.preempt(key, pod, cand);
    this.fail(key, pod, fitErrorMessage(all, rejected, undefined, null), cand.node.name);
  }

  /** Forgets a pod's nomination and clears status.nominatedNodeName (ClearNominatedNodeName). */
  private clearNomination(key: string, pod: KObject): void {
    this.nominated.delete(key);
    if (!pod.status?.nominatedNodeName) return;
    try {
      this.ctx.api.patch(GVRS.pods, pod.metadata.namespace, pod.metadata.name!, 'merge', { status: { nominatedNodeName: null } }, undefined, 'status');
    } catch { /* gone */ }
  }

  /** prepareCandidate: each victim gets DisruptionTarget, is deleted gracefully and told who preempted it; lower-priority nominations there are cleared. */
  private preempt(key: string, pod: KObject, cand: Candidate): void {
    const node = cand.node.name;
    const prio = podPriority(pod);
    for (const v of cand.victims) {
      const ns = v.pod.metadata.namespace!, name = v.pod.metadata.name!;
      // A victim already on its way out is not deleted again.
      if (v.pod.metadata.deletionTimestamp) continue;
      try {
        this.setCondition(ns, name, 'DisruptionTarget', {
          type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(this.ctx.clock.now()), ...observedGeneration(v.pod),
          reason: 'PreemptionByScheduler', message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
        });
        this.ctx.api.delete(GVRS.pods, ns, name, { preconditions: { uid: v.pod.metadata.uid } });
      } catch {
        continue; // gone already
      }
      // A victim is preempted once (one on its way out is passed over): its event has no series to join.
      this.ctx.events.eventV1(SCHEDULER_REPORTER, v.pod, pod, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${pod.metadata.uid} on node ${node}`, true);
      this.ctx.log(SCHEDULER_NAME, `preempted ${v.key} on ${node} for ${key}`);
      this.ctx.count(SCHEDULER_NAME, 'preempted');
    }
    for (const [k, e] of this.nominated) {
      if (e.node !== node || k === key || podPriority(e.pod) >= prio) continue;
      this.clearNomination(k, this.pods?.getByKey(k) ?? e.pod);
    }
    const entry = podEntry(key, pod, node);
    this.nominated.set(key, entry);
  }

  private assumeAndBind(key: string, pod: KObject, entry: PodEntry, chosen: NodeInfo, feasibleCount: number, checked: number): void {
    // Assume: count the pod on the node before the binding's watch event arrives.
    entry.node = chosen.name;
    this.place(chosen, entry);
    try {
      // VolumeBinding PreBind: tell the provisioner where the consumer runs.
      for (const pvc of delayedClaims(pod, this.pvcs!, this.scs!)) {
        this.ctx.api.patch(GVRS.pvcs, pvc.metadata.namespace, pvc.metadata.name!, 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': chosen.name } } });
      }
      this.bind(pod, chosen.name);
    } catch (e) {
      this.unplace(chosen, entry);
      this.ctx.log(SCHEDULER_NAME, `binding ${key} to ${chosen.name} failed: ${(e as Error).message}`);
      // A refused binding (an admission policy's, say) is a scheduling error (handleBindingCycleError): the
      // FailedScheduling event and a PodScheduled=False SchedulerError condition in RunBindPlugins' words, and a
      // retry after the back-off. A pod gone or bound meanwhile is left alone.
      const status = (e as { status?: { code?: number; message?: string } }).status;
      if (status?.code !== undefined && status.code !== 404 && status.code !== 409) {
        this.fail(key, pod, `running Bind plugin "DefaultBinder": ${status.message ?? (e as Error).message}`, undefined, 'SchedulerError');
      }
      return;
    }
    if (this.attempts.size) this.attempts.delete(key);
    // A pod is bound once: its Scheduled event has no series to join.
    this.ctx.events.eventV1(SCHEDULER_REPORTER, pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${key} to ${chosen.name}`, true);
    this.ctx.log(SCHEDULER_NAME, `assigned ${key} to ${chosen.name} (${feasibleCount} feasible of ${checked} nodes checked)`);
    this.ctx.count(SCHEDULER_NAME, 'scheduled');
  }

  private bind(pod: KObject, node: string): void {
    const ns = pod.metadata.namespace!, name = pod.metadata.name!;
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    try {
      this.ctx.api.create(GVRS.pods, ns, binding, undefined, 'binding', name);
    } catch (e: any) {
      const code = e?.code ?? e?.status?.code;
      if (code !== 404 && code !== 405) throw e;
      // No binding subresource: set spec.nodeName, then the PodScheduled condition.
      const cur = this.ctx.api.get(GVRS.pods, ns, name);
      if (cur.spec?.nodeName) throw e;
      this.ctx.api.update(GVRS.pods, ns, { ...cur, spec: { ...cur.spec, nodeName: node } });
      this.setCondition(ns, name, 'PodScheduled', { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(this.ctx.clock.now()) });
    }
  }

  /**
   * handleSchedulingFailure: the event, the condition, and the pod parked until a cluster event or its back-off
   * (an error, `SchedulerError`, goes back after the back-off alone, as upstream's backoffQ).
   */
  private fail(key: string, pod: KObject, message: string, nominate?: string, reason: 'Unschedulable' | 'SchedulerError' = 'Unschedulable'): void {
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    const now = this.ctx.clock.now();
    const w: Waiting = { attempts, lastTry: now, since: now };
    this.unschedulable.set(key, w);
    if (reason === 'SchedulerError') {
      const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      w.timer = this.ctx.clock.setTimer(backoff, () => { w.timer = undefined; if (this.unschedulable.get(key) === w) { this.unschedulable.delete(key); this.enqueue(key); } });
    }
    this.armFlush();
    this.ctx.events.eventV1(SCHEDULER_REPORTER, pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message);
    this.ctx.log(SCHEDULER_NAME, `${key}: ${message}`);
    this.ctx.count(SCHEDULER_NAME, 'unschedulable');
    const prev = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    if (prev?.status === 'False' && prev.reason === reason && prev.message === message && !nominate) return;
    this.setCondition(pod.metadata.namespace!, pod.metadata.name!, 'PodScheduled', {
      type: 'PodScheduled', status: 'False', lastProbeTime: null,
      lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : isoTime(now), reason, message,
    }, nominate);
  }

  /**
   * A pod a PreEnqueue plugin turned away: it waits with the unschedulable pods until an event moves it, with no
   * FailedScheduling event and no condition (upstream never starts a cycle for it).
   */
  private gate(key: string, why: string): void {
    const now = this.ctx.clock.now();
    this.unschedulable.set(key, { attempts: 0, lastTry: now, since: now });
    this.armFlush();
    this.ctx.log(SCHEDULER_NAME, `${key}: ${why}`);
  }

  /** Replaces one condition in the pod's status (and sets status.nominatedNodeName when given), as the scheduler's status patch does. */
  private setCondition(ns: string, name: string, type: string, cond: any, nominatedNodeName?: string): void {
    try {
      const cur = this.ctx.api.get(GVRS.pods, ns, name);
      const conditions = [...(cur.status?.conditions ?? []).filter((c: any) => c.type !== type), cond];
      const status: any = { phase: cur.status?.phase ?? 'Pending', conditions };
      if (nominatedNodeName) status.nominatedNodeName = nominatedNodeName;
      this.ctx.api.patch(GVRS.pods, ns, name, 'merge', { status }, undefined, 'status');
    } catch { /* pod gone */ }
  }

  /** Upstream flushes pods unschedulable for 5 minutes back to the queue every 30 s. */
  private armFlush(): void {
    if (this.flushTimer !== undefined || !this.running) return;
    this.flushTimer = this.ctx.clock.setTimer(30_000, () => {
      this.flushTimer = undefined;
      const now = this.ctx.clock.now();
      for (const [key, w] of this.unschedulable) {
        if (w.timer === undefined && now - w.lastTry >= UNSCHEDULABLE_TIMEOUT_MS) { this.unschedulable.delete(key); this.enqueue(key); }
      }
      if (this.unschedulable.size) this.armFlush();
    });
  }
}

/**
 * The placed pods' entries by namespace, then name. The pod watch finds a
 * pod's entry from the strings of its metadata, which each version of the pod
 * shares with the one before and whose hashes are kept, instead of building
 * and hashing a "namespace/name" key at each write of each placed pod (its
 * binding and the kubelet's status writes all reach the scheduler).
 */
class PlacedPods {
  private byNs = new Map<string, Map<string, PodEntry>>();

  get(ns: string | undefined, name: string): PodEntry | undefined {
    return this.byNs.get(ns || '')?.get(name);
  }

  /** Under the namespace and name of the entry's pod (those of its key). */
  set(e: PodEntry): void {
    const ns = e.pod.metadata.namespace || '';
    let m = this.byNs.get(ns);
    if (!m) this.byNs.set(ns, (m = new Map()));
    m.set(e.pod.metadata.name!, e);
  }

  delete(ns: string | undefined, name: string): void {
    const m = this.byNs.get(ns || '');
    if (m?.delete(name) && !m.size) this.byNs.delete(ns || '');
  }
}

/**
 * The active queue in PrioritySort's order: higher priority first, then the
 * order pods were queued in. One FIFO per priority value (a cluster has a few),
 * so the common case of equal priorities stays a plain FIFO.
 */
class ActiveQueue {
  private buckets = new Map<number, { keys: string[]; head: number }>();
  /** Priorities with a bucket, highest first. */
  private order: number[] = [];

  push(key: string, priority: number): void {
    let b = this.buckets.get(priority);
    if (!b) {
      this.buckets.set(priority, (b = { keys: [], head: 0 }));
      let i = 0;
      while (i < this.order.length && this.order[i] > priority) i++;
      this.order.splice(i, 0, priority);
    }
    b.keys.push(key);
  }

  pop(): string | undefined {
    while (this.order.length) {
      const p = this.order[0];
      const b = this.buckets.get(p)!;
      if (b.head < b.keys.length) {
        const key = b.keys[b.head++];
        if (b.head > 4096 && b.head * 2 > b.keys.length) {
          b.keys = b.keys.slice(b.head);
          b.head = 0;
        }
        return key;
      }
      this.buckets.delete(p);
      this.order.shift();
    }
    return undefined;
  }
}

export { FILTERS };
