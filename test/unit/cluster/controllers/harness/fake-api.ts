/**
 * TEST-ONLY in-memory Api for the workload controllers, so they can be tested
 * before (and independently of) the real apiserver: uid, resourceVersion,
 * generation on spec change, generateName, status subresource, merge and
 * JSON patch, and watch events delivered later on the clock (never inside
 * the write), as the contract requires. Defaulting covers only the fields
 * the controllers read.
 */
import type { Api, GVR, KObject, ListResult, WatchEvent, WatchHandle, WriteResult } from '../../../../../cluster/src/contract';
import type { SimClock } from '../../../../../cluster/src/runtime/clock';
import type { SeededRand } from '../../../../../cluster/src/runtime/rand';
import { deepCopy, deepEqual, deepFreeze, rfc3339 } from '../../../../../cluster/src/runtime/objects';
import { setTemplateGeneration } from '../../../../../cluster/src/apiserver/strategy';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

class ApiError extends Error {
  constructor(readonly status: { code: number; reason: string; message: string }) {
    super(status.message);
  }
}

interface Watcher {
  gvr: string;
  ns?: string;
  fn: (e: WatchEvent) => void;
  stopped: boolean;
}

function gk(g: GVR): string {
  return `${g.group}/${g.resource}`;
}

function defaults(gvr: GVR, o: KObject): void {
  const s = (o.spec ??= {});
  switch (gvr.resource) {
    case 'deployments':
      s.replicas ??= 1;
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      s.strategy ??= { type: 'RollingUpdate' };
      if (s.strategy.type === 'RollingUpdate') s.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...(s.strategy.rollingUpdate ?? {}) };
      break;
    case 'replicasets':
    case 'replicationcontrollers':
      s.replicas ??= 1;
      if (gvr.resource === 'replicationcontrollers') s.selector ??= { ...(s.template?.metadata?.labels ?? {}) };
      break;
    case 'jobs':
      if (s.completions === undefined && s.parallelism === undefined) s.completions = 1;
      s.parallelism ??= 1;
      s.backoffLimit ??= 6;
      s.completionMode ??= 'NonIndexed';
      if (!s.selector && !s.manualSelector) {
        const uid = o.metadata.uid!;
        s.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
        const l = (s.template.metadata ??= {}).labels ??= {};
        l['batch.kubernetes.io/controller-uid'] = uid;
        l['controller-uid'] = uid;
        l['batch.kubernetes.io/job-name'] = o.metadata.name!;
        l['job-name'] = o.metadata.name!;
      }
      break;
    case 'cronjobs':
      s.concurrencyPolicy ??= 'Allow';
      s.suspend ??= false;
      s.successfulJobsHistoryLimit ??= 3;
      s.failedJobsHistoryLimit ??= 1;
      break;
    case 'statefulsets':
      s.replicas ??= 1;
      s.podManagementPolicy ??= 'OrderedReady';
      s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      s.revisionHistoryLimit ??= 10;
      s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      break;
    case 'daemonsets':
      s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      s.revisionHistoryLimit ??= 10;
      break;
  }
}

export class FakeApi implements Api {
  private objs = new Map<string, Map<string, KObject>>();
  private rv = 1;
  private uid = 0;
  private watchers: Watcher[] = [];
  private pending: { w: Watcher; e: WatchEvent }[] = [];
  private flushScheduled = false;
  writes = 0;

  constructor(private readonly clock: SimClock, private readonly rand: SeededRand) {}

  private table(g: GVR): Map<string, KObject> {
    let t = this.objs.get(gk(g));
    if (!t) this.objs.set(gk(g), (t = new Map()));
    return t;
  }

  private emit(g: GVR, type: WatchEvent['type'], obj: KObject): void {
    for (const w of this.watchers) {
      if (w.stopped || w.gvr !== gk(g) || (w.ns && w.ns !== obj.metadata.namespace)) continue;
      this.pending.push({ w, e: { type, object: obj } });
    }
    if (!this.flushScheduled && this.pending.length) {
      this.flushScheduled = true;
      this.clock.setTimer(0, () => {
        this.flushScheduled = false;
        const p = this.pending;
        this.pending = [];
        for (const { w, e } of p) if (!w.stopped) w.fn(e);
      });
    }
  }

  private store(g: GVR, o: KObject, type: WatchEvent['type']): KObject {
    o.metadata.resourceVersion = String(++this.rv);
    const frozen = deepFreeze(o);
    this.table(g).set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, frozen);
    this.writes++;
    this.emit(g, type, frozen);
    return frozen;
  }

  create(g: GVR, ns: string | undefined, obj: KObject): WriteResult {
    const o = deepCopy(obj);
    o.metadata = { ...o.metadata };
    if (ns) o.metadata.namespace = ns;
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + this.rand.string(5, SAFE);
    const key = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (this.table(g).has(key)) {
      throw new ApiError({ code: 409, reason: 'AlreadyExists', message: `${g.resource} "${o.metadata.name}" already exists` });
    }
    o.metadata.uid = `uid-${++this.uid}`;
    o.metadata.creationTimestamp = rfc3339(this.clock.now());
    o.metadata.generation = 1;
    defaults(g, o);
    // The DaemonSet strategy's template generation, which the controller labels pods with.
    if (g.resource === 'daemonsets') setTemplateGeneration(o, undefined);
    if (g.resource === 'pods') o.status ??= { phase: 'Pending' };
    return { object: this.store(g, o, 'ADDED') };
  }

  get(g: GVR, ns: string | undefined, name: string): KObject {
    const o = this.table(g).get(`${ns ?? ''}/${name}`);
    if (!o) throw new ApiError({ code: 404, reason: 'NotFound', message: `${g.resource} "${name}" not found` });
    return o;
  }

  list(g: GVR, ns: string | undefined): ListResult {
    const items = [...this.table(g).values()].filter((o) => !ns || o.metadata.namespace === ns);
    return { items, resourceVersion: String(this.rv) };
  }

  update(g: GVR, ns: string | undefined, obj: KObject, _o?: unknown, sub?: string): WriteResult {
    const cur = this.get(g, ns ?? obj.metadata.namespace, obj.metadata.name!);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new ApiError({ code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${g.resource} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again` });
    }
    let next: KObject;
    if (sub === 'status') {
      next = { ...deepCopy(cur), status: deepCopy(obj.status) };
      if (g.resource === 'deployments') next.metadata.annotations = deepCopy(obj.metadata.annotations);
    } else {
      next = deepCopy(obj);
      next.status = deepCopy(cur.status);
      next.metadata = { ...next.metadata, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp, generation: cur.metadata.generation };
      defaults(g, next);
      if (!deepEqual(cur.spec, next.spec)) next.metadata.generation = (cur.metadata.generation ?? 0) + 1;
      if (g.resource === 'daemonsets') setTemplateGeneration(next, cur);
    }
    if (deepEqual(cur, { ...next, metadata: { ...next.metadata, resourceVersion: cur.metadata.resourceVersion } })) return { object: cur };
    return { object: this.store(g, next, 'MODIFIED') };
  }

  patch(g: GVR, ns: string | undefined, name: string, type: string, patch: any, _o?: unknown, sub?: string): WriteResult {
    const cur = deepCopy(this.get(g, ns, name));
    let next: KObject;
    if (type === 'json') {
      next = cur;
      for (const op of patch) {
        const path = op.path.split('/').slice(1);
        let t: any = next;
        for (const p of path.slice(0, -1)) t = t[p] ??= {};
        if (op.op === 'remove') delete t[path[path.length - 1]];
        else t[path[path.length - 1]] = deepCopy(op.value);
      }
    } else next = mergePatch(cur, patch);
    next.metadata.resourceVersion = undefined;
    return this.update(g, ns, next, undefined, sub);
  }

  delete(g: GVR, ns: string | undefined, name: string): KObject {
    const o = this.get(g, ns, name);
    this.table(g).delete(`${ns ?? ''}/${name}`);
    const gone = deepFreeze({ ...deepCopy(o), metadata: { ...deepCopy(o.metadata), resourceVersion: String(++this.rv) } });
    this.emit(g, 'DELETED', gone);
    // Background cascade, as the garbage collector would do soon after.
    for (const [id, t] of this.objs) {
      for (const [k, d] of [...t]) {
        if (d.metadata.ownerReferences?.some((r) => r.uid === o.metadata.uid)) {
          const [group, resource] = id.split('/');
          this.delete({ group, version: 'v1', resource }, d.metadata.namespace, d.metadata.name!);
          void k;
        }
      }
    }
    return gone;
  }

  watch(g: GVR, ns: string | undefined, _opts: unknown, fn: (e: WatchEvent) => void): WatchHandle {
    const w: Watcher = { gvr: gk(g), ns, fn, stopped: false };
    this.watchers.push(w);
    return { stop: () => (w.stopped = true) };
  }

  /** Test helper: all objects of a resource, sorted by name. */
  all(g: GVR, ns?: string): KObject[] {
    return this.list(g, ns).items.slice().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }
}

function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return deepCopy(patch);
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
