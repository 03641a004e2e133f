/**
 * TEST-ONLY world for controller scenarios: the SimClock loop, the FakeApi,
 * the workload controllers, and a FakeKubelet that stands in for the
 * scheduler and kubelets (bind, then Running and Ready after fixed delays;
 * pods whose restartPolicy is not Always finish after `jobMs`, failing when
 * the image name contains "fail").
 */
import type { Component, ComponentContext, KObject } from '../../../../../cluster/src/contract';
import { SimClock } from '../../../../../cluster/src/runtime/clock';
import { SeededRand } from '../../../../../cluster/src/runtime/rand';
import { deepCopy, rfc3339 } from '../../../../../cluster/src/runtime/objects';
import { workloadControllers } from '../../../../../cluster/src/controllers/index';
import { FakeApi } from './fake-api';

export const START = Date.UTC(2018, 2, 6, 9, 3, 54);
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

export interface RecordedEvent {
  time: number;
  component: string;
  regarding: string;
  type: string;
  reason: string;
  message: string;
}

export interface WorldOptions {
  nodes?: number;
  /** ms from bind to Running (and Ready, unless a readiness probe delays it). */
  startMs?: number;
  jobMs?: number;
  /** Test hook called after every timer. */
  onStep?: () => void;
  kubelet?: boolean;
}

export class World {
  readonly clock = new SimClock(START);
  readonly rand = new SeededRand(42);
  readonly api = new FakeApi(this.clock, this.rand);
  readonly events: RecordedEvent[] = [];
  readonly logs: string[] = [];
  readonly components: Component[];
  private nodeIdx = 0;

  constructor(readonly opts: WorldOptions = {}) {
    for (let i = 0; i < (opts.nodes ?? 3); i++) this.addNode(`node-${i + 1}`);
    const ctx: ComponentContext = {
      api: this.api,
      clock: this.clock,
      rand: this.rand,
      events: {
        event: (src, regarding, type, reason, message) =>
          this.events.push({ time: this.clock.now(), component: src.component, regarding: `${regarding.kind}/${regarding.metadata.name}`, type, reason, message }),
        eventV1: (rep, regarding, _related, type, reason, _action, message) =>
          this.events.push({ time: this.clock.now(), component: rep.controller, regarding: `${regarding.kind}/${regarding.metadata.name}`, type, reason, message }),
      },
      log: (c, m) => this.logs.push(`${c}: ${m}`),
      count: () => {},
    };
    this.components = workloadControllers(ctx);
    if (opts.kubelet !== false) this.components.push(new FakeKubelet(this, opts.startMs ?? 2000, opts.jobMs ?? 5000));
    for (const c of this.components) c.start();
    this.settle();
  }

  addNode(name: string, extra: Partial<KObject> = {}): KObject {
    return this.api.create(NODES, undefined, {
      apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] }, ...extra,
    }).object;
  }

  nextNode(): string {
    const nodes = this.api.all(NODES).filter((n) => !n.spec?.unschedulable);
    return nodes[this.nodeIdx++ % nodes.length].metadata.name!;
  }

  settle(): void {
    while (this.clock.runDue()) this.opts.onStep?.();
  }

  advance(ms: number): void {
    const end = this.clock.now() + ms;
    this.settle();
    for (;;) {
      const at = this.clock.nextAt();
      if (at === undefined || at > end) break;
      this.clock.setNow(at);
      this.settle();
    }
    this.clock.setNow(end);
    this.settle();
  }

  runUntil(done: () => boolean, maxMs: number, stepMs = 100): boolean {
    const end = this.clock.now() + maxMs;
    while (!done()) {
      if (this.clock.now() >= end) return false;
      this.advance(stepMs);
    }
    return true;
  }

  pods(ns = 'default'): KObject[] {
    return this.api.all(PODS, ns);
  }

  eventsFor(reason: string): RecordedEvent[] {
    return this.events.filter((e) => e.reason === reason);
  }
}

/** TEST-ONLY: binds pods and plays Pending → Running → Ready (or Succeeded/Failed). */
export class FakeKubelet implements Component {
  readonly name = 'fake-kubelet';
  private seen = new Set<string>();
  private handle: { stop(): void } | undefined;

  constructor(private readonly w: World, private readonly startMs: number, private readonly jobMs: number) {}

  start(): void {
    this.handle = this.w.api.watch(PODS, undefined, {}, (e) => {
      if (e.type !== 'ADDED') return;
      const uid = e.object.metadata.uid!;
      if (this.seen.has(uid)) return;
      this.seen.add(uid);
      this.w.clock.setTimer(0, () => this.bind(e.object));
    });
  }

  stop(): void {
    this.handle?.stop();
  }

  private current(p: KObject): KObject | undefined {
    try {
      const cur = this.w.api.get(PODS, p.metadata.namespace, p.metadata.name!);
      return cur.metadata.uid === p.metadata.uid ? cur : undefined;
    } catch {
      return undefined;
    }
  }

  private bind(p: KObject): void {
    const cur = this.current(p);
    if (!cur) return;
    let node = cur.spec?.nodeName;
    if (!node) {
      const terms = cur.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
      const pinned = terms?.[0]?.matchFields?.find((f: any) => f.key === 'metadata.name')?.values?.[0];
      node = pinned ?? this.w.nextNode();
      const b = deepCopy(cur);
      b.spec.nodeName = node;
      this.w.api.update(PODS, cur.metadata.namespace, b);
    }
    this.w.clock.setTimer(this.startMs, () => this.run(p));
  }

  private run(p: KObject): void {
    const cur = this.current(p);
    if (!cur || cur.status?.phase !== 'Pending') return;
    const t = rfc3339(this.w.clock.now());
    const probeDelay = (cur.spec.containers?.[0]?.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
    const u = deepCopy(cur);
    u.status = {
      phase: 'Running',
      startTime: t,
      conditions: [{ type: 'Ready', status: probeDelay ? 'False' : 'True', lastTransitionTime: t }],
      containerStatuses: [{ name: cur.spec.containers?.[0]?.name ?? 'c', ready: !probeDelay, restartCount: 0 }],
    };
    this.w.api.update(PODS, cur.metadata.namespace, u, undefined, 'status');
    if (probeDelay) this.w.clock.setTimer(probeDelay, () => this.ready(p));
    const rp = cur.spec.restartPolicy ?? 'Always';
    if (rp !== 'Always') this.w.clock.setTimer(this.jobMs, () => this.finish(p, /fail/.test(cur.spec.containers?.[0]?.image ?? '')));
  }

  private ready(p: KObject): void {
    const cur = this.current(p);
    if (!cur || cur.status?.phase !== 'Running') return;
    const u = deepCopy(cur);
    u.status.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(this.w.clock.now()) }];
    this.w.api.update(PODS, cur.metadata.namespace, u, undefined, 'status');
  }

  private finish(p: KObject, failed: boolean): void {
    const cur = this.current(p);
    if (!cur || cur.status?.phase !== 'Running') return;
    const u = deepCopy(cur);
    u.status.phase = failed ? 'Failed' : 'Succeeded';
    u.status.conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: rfc3339(this.w.clock.now()) }];
    this.w.api.update(PODS, cur.metadata.namespace, u, undefined, 'status');
  }
}
