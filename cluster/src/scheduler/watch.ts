/**
 * Shared helpers of the node-side components (scheduler, kubelets, node
 * lifecycle, network, storage): the resources they watch and a thin view over
 * the core runtime's shared informers.
 */
import type { Api, GVR, KObject } from '../contract';
import { informerFor, type Informer } from '../runtime/informer';
import { rfc3339 } from '../runtime/objects';

export const GVRS = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  pvs: { group: '', version: 'v1', resource: 'persistentvolumes' },
  pvcs: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  endpointSlices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  storageClasses: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' },
  pdbs: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  resourceClaims: { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaims' },
  deviceClasses: { group: 'resource.k8s.io', version: 'v1', resource: 'deviceclasses' },
} satisfies Record<string, GVR>;

export type ChangeHandler = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject, old: KObject | undefined) => void;

export const objKey = (o: KObject): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata.name);

/**
 * One resource's shared informer (cluster/src/runtime/informer.ts) seen
 * through a single change callback. Objects are the store's frozen instances:
 * read them, copy before changing.
 */
export class ObjectCache {
  private inf?: Informer;
  private off?: () => void;
  constructor(private api: Api, private gvr: GVR, private onChange?: ChangeHandler) {}

  start(): this {
    this.inf = informerFor({ api: this.api }, this.gvr);
    const h = this.onChange;
    // A cache that is only read registers nothing: the informer need not call it at every write (150,000 pods).
    if (!h) return this;
    this.off = this.inf.on({
      add: (o) => h('ADDED', o, undefined),
      update: (old, o) => h('MODIFIED', o, old),
      delete: (o) => h('DELETED', o, o),
    });
    return this;
  }
  stop(): void { this.off?.(); this.off = undefined; }
  get(namespace: string | undefined, name: string): KObject | undefined { return this.inf?.get(namespace, name); }
  /** By `objKey` form ("ns/name", or "name" when cluster-scoped): no split and rejoin per lookup. */
  getByKey(key: string): KObject | undefined { return this.inf?.getByKey(key); }
  list(namespace?: string): KObject[] { return this.inf?.list(namespace) ?? []; }
  /** How many objects `list(namespace)` would answer, with no list made for it. */
  count(namespace?: string): number { return namespace === undefined ? this.size : this.inf?.countByIndex('namespace', namespace) ?? 0; }
  byIndex(name: string, value: string): KObject[] { return this.inf?.byIndex(name, value) ?? []; }
  addIndex(name: string, fn: (o: KObject) => string[]): void { this.inf?.addIndex(name, fn); }
  get size(): number { return this.inf?.size ?? 0; }
}

/** True when a thrown apiserver error has this HTTP code (StatusError or anything carrying `code`/`status.code`). */
export function isStatus(err: unknown, code: number): boolean {
  const e = err as any;
  return e?.code === code || e?.status?.code === code || e?.statusCode === code;
}

/** Largest time value a Date holds (ECMAScript's 8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

/**
 * RFC 3339 to the second. A time a Date holds and not before 1970 is rfc3339's text, which keeps the last seconds'
 * texts: a status write names two or three times of a few seconds (its start, its containers' starts), and making
 * each text anew (a Date, its ISO text, a regular expression) costs a microsecond. Other times, where a second is
 * not the floor of a thousandth (a negative fraction) or that throw, are made as they always were.
 */
export const isoTime = (ms: number): string =>
  ms >= 0 && ms <= MAX_DATE_MS ? rfc3339(ms) : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
