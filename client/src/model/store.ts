import type { KObject } from './types';

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/**
 * The client's mirror of the cluster, fed by list + watch. It keeps the
 * indexes the tree needs so that opening a node never scans every pod:
 * by namespace, by controller uid, by node name and by involved object.
 */
export class ClusterStore {
  private readonly objects = new Map<string, Map<string, KObject>>();
  private readonly byNs = new Map<string, Map<string, Map<string, KObject>>>();
  private readonly byOwner = new Map<string, Map<string, KObject>>();
  private readonly byNode = new Map<string, Map<string, KObject>>();
  private readonly byInvolved = new Map<string, Map<string, KObject>>();
  /** Pods by status.phase ('' when it has none yet), kept as pods come and go so a count never scans them. */
  private readonly podPhases = new Map<string, number>();
  /** Bumped on every change; cheap "did anything happen" checks for the UI. */
  version = 0;

  /** Replaces everything of one resource with a fresh list (after a list or a re-list). */
  replace(resource: string, items: KObject[]): void {
    for (const o of [...(this.objects.get(resource)?.values() ?? [])]) this.remove(resource, o);
    for (const o of items) this.put(resource, o);
    this.version++;
  }

  apply(resource: string, type: WatchType, obj: KObject): void {
    const old = this.objects.get(resource)?.get(keyOf(obj));
    if (old) this.remove(resource, old);
    if (type !== 'DELETED') this.put(resource, obj);
    this.version++;
  }

  clear(): void {
    for (const m of [this.objects, this.byNs, this.byOwner, this.byNode, this.byInvolved]) m.clear();
    this.podPhases.clear();
    this.version++;
  }

  get(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.objects.get(resource)?.get(`${namespace ?? ''}/${name}`);
  }

  list(resource: string, namespace?: string): KObject[] {
    if (namespace === undefined) return [...(this.objects.get(resource)?.values() ?? [])];
    return [...(this.byNs.get(resource)?.get(namespace)?.values() ?? [])];
  }

  count(resource: string, namespace?: string): number {
    if (namespace === undefined) return this.objects.get(resource)?.size ?? 0;
    return this.byNs.get(resource)?.get(namespace)?.size ?? 0;
  }

  /** How many pods are in a phase (Pending, Running, Succeeded, Failed, Unknown), in all namespaces. */
  podsInPhase(phase: string): number {
    return this.podPhases.get(phase) ?? 0;
  }

  /** Namespaces that exist or hold objects (a real cluster may hide the Namespace objects). */
  namespaces(): string[] {
    const names = new Set<string>(this.list('namespaces').map((n) => n.metadata.name ?? ''));
    for (const m of this.byNs.values()) for (const ns of m.keys()) if (ns) names.add(ns);
    return [...names].sort();
  }

  /** Objects of `resource` whose controller is the object with `uid`. */
  owned(resource: string, uid: string | undefined): KObject[] {
    if (!uid) return [];
    return [...(this.byOwner.get(`${resource}|${uid}`)?.values() ?? [])];
  }

  podsOnNode(node: string): KObject[] {
    return [...(this.byNode.get(node)?.values() ?? [])];
  }

  /** core/v1 Events about one object, matched by uid as kubectl's field selector does. */
  eventsFor(uid: string | undefined): KObject[] {
    if (!uid) return [];
    return [...(this.byInvolved.get(uid)?.values() ?? [])];
  }

  private put(resource: string, o: KObject): void {
    const k = keyOf(o);
    mapOf(this.objects, resource).set(k, o);
    mapOf(mapOf(this.byNs, resource), o.metadata.namespace ?? '').set(k, o);
    const ctl = o.metadata.ownerReferences?.find((r) => r.controller);
    if (ctl) mapOf(this.byOwner, `${resource}|${ctl.uid}`).set(k, o);
    if (resource === 'pods') {
      if (o.spec?.nodeName) mapOf(this.byNode, o.spec.nodeName).set(k, o);
      this.countPhase(o, 1);
    }
    if (resource === 'events' && o.involvedObject?.uid) mapOf(this.byInvolved, o.involvedObject.uid).set(k, o);
  }

  private remove(resource: string, o: KObject): void {
    const k = keyOf(o);
    this.objects.get(resource)?.delete(k);
    this.byNs.get(resource)?.get(o.metadata.namespace ?? '')?.delete(k);
    const ctl = o.metadata.ownerReferences?.find((r) => r.controller);
    if (ctl) this.byOwner.get(`${resource}|${ctl.uid}`)?.delete(k);
    if (resource === 'pods') {
      if (o.spec?.nodeName) this.byNode.get(o.spec.nodeName)?.delete(k);
      this.countPhase(o, -1);
    }
    if (resource === 'events' && o.involvedObject?.uid) this.byInvolved.get(o.involvedObject.uid)?.delete(k);
  }

  private countPhase(pod: KObject, d: number): void {
    const phase = typeof pod.status?.phase === 'string' ? pod.status.phase : '';
    this.podPhases.set(phase, (this.podPhases.get(phase) ?? 0) + d);
  }
}

function mapOf<K, V>(m: Map<K, Map<string, V>>, k: K): Map<string, V> {
  let v = m.get(k);
  if (!v) m.set(k, (v = new Map()));
  return v;
}

/**
 * Collapses bursts of changes into one notification per window, so a
 * rollout that touches hundreds of pods redraws the tree once, not hundreds
 * of times. The timer is injected so tests need no real time.
 */
export class Coalescer {
  private timer: unknown;
  constructor(
    private readonly windowMs: number,
    private readonly fire: () => void,
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
  ) {}

  poke(): void {
    if (this.timer !== undefined) return;
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      this.fire();
    }, this.windowMs);
  }
}
