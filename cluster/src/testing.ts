/**
 * Helpers for tests of any component: a bare control plane (store +
 * apiserver + clock + loop, no controllers) to build one component on, or a
 * whole playground.
 */
import type { Component, ComponentContext, KObject, LogLine, PlaygroundOptions } from './contract';
import { ApiServer } from './apiserver/api';
import { Recorder } from './events';
import { SimClock } from './runtime/clock';
import { Loop } from './runtime/loop';
import { SeededRand } from './runtime/rand';
import { Store } from './store/store';
import { bootstrap } from './playground/bootstrap';
import { DEFAULT_START, KubePlayground } from './playground';

export interface TestControlPlane {
  ctx: ComponentContext;
  api: ApiServer;
  store: Store;
  clock: SimClock;
  rand: SeededRand;
  loop: Loop;
  /** Teaching-log lines written through ctx.log. */
  logs: LogLine[];
  /** Counters written through ctx.count. */
  counters: Record<string, Record<string, number>>;
  settle(): void;
  advance(ms: number): void;
  runUntil(done: () => boolean, maxMs: number): boolean;
  /** Starts components (settling after each), returns them. */
  start(...components: Component[]): Component[];
  /** Events recorded about an object (core/v1 Events from the store). */
  eventsFor(o: KObject): KObject[];
}

/**
 * A control plane with the system namespaces and no components: build your
 * component with `cp.ctx`, `cp.start(c)`, then drive time with `cp.advance`.
 */
export function newTestControlPlane(opts: { seed?: number; startTime?: number; bootstrap?: boolean } = {}): TestControlPlane {
  const store = new Store();
  const clock = new SimClock(opts.startTime ?? DEFAULT_START);
  const rand = new SeededRand(opts.seed ?? 1);
  const loop = new Loop(clock, store);
  const logs: LogLine[] = [];
  const counters: Record<string, Record<string, number>> = {};
  const api = new ApiServer({ store, clock, rand });
  const events = new Recorder(store, clock, rand);
  const ctx: ComponentContext = {
    api,
    clock,
    rand,
    events,
    log: (component, message) => logs.push({ time: clock.now(), component, message }),
    count: (component, counter, by = 1) => {
      const m = (counters[component] ??= {});
      m[counter] = (m[counter] ?? 0) + by;
    },
  };
  if (opts.bootstrap !== false) bootstrap(api);
  loop.settle();
  return {
    ctx,
    api,
    store,
    clock,
    rand,
    loop,
    logs,
    counters,
    settle: () => loop.settle(),
    advance: (ms) => loop.advance(ms),
    runUntil: (done, maxMs) => loop.runUntil(done, maxMs),
    start: (...cs) => {
      for (const c of cs) {
        c.start();
        loop.settle();
      }
      return cs;
    },
    eventsFor: (o) =>
      [...store.list('/events', o.metadata.namespace || 'default')].filter((e) => e.involvedObject?.uid === o.metadata.uid),
  };
}

/** A whole playground (every component), deterministic by seed. Close it when done. */
export function newTestPlayground(opts: PlaygroundOptions = {}): KubePlayground {
  return new KubePlayground({ seed: 1, nodes: 3, ...opts });
}

/** Shorthands for the GVRs tests use most. */
export const R = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  services: { group: '', version: 'v1', resource: 'services' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  events: { group: '', version: 'v1', resource: 'events' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  pvcs: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  pvs: { group: '', version: 'v1', resource: 'persistentvolumes' },
  replicationcontrollers: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  storageclasses: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' },
  pdbs: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  priorityclasses: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
  hpas: { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' },
  hpasV1: { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' },
  resourcequotas: { group: '', version: 'v1', resource: 'resourcequotas' },
  limitranges: { group: '', version: 'v1', resource: 'limitranges' },
};

/** The apiserver's message for a call that should be refused (its Status message), or 'no error' when it went through. */
export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e: any) {
    return e?.status?.message ?? String(e);
  }
  return 'no error';
}
