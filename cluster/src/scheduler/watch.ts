/**
 * A tiny list+watch cache used by the scheduler, kubelets, node lifecycle,
 * network and storage components until the core runtime's informers land.
 * It only relies on the contract: `Api.watch` with no resourceVersion replays
 * the current state as ADDED, then streams changes from the playground loop.
 */
import type { Api, GVR, KObject, WatchHandle } from '../contract';

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
} satisfies Record<string, GVR>;

export type ChangeHandler = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject, old: KObject | undefined) => void;

export const objKey = (o: KObject): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata.name);

/** Keeps the latest copy of every object of one resource and tells `onChange` what moved. */
export class ObjectCache {
  readonly items = new Map<string, KObject>();
  private handle?: WatchHandle;
  constructor(private api: Api, private gvr: GVR, private onChange?: ChangeHandler) {}

  start(): this {
    this.handle = this.api.watch(this.gvr, undefined, {}, (e) => {
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') return;
      const k = objKey(e.object);
      const old = this.items.get(k);
      if (e.type === 'DELETED') this.items.delete(k);
      else this.items.set(k, e.object);
      // A replayed ADDED for an object we already hold is an update.
      const type = e.type === 'ADDED' && old ? 'MODIFIED' : e.type;
      this.onChange?.(type, e.object, old);
    });
    return this;
  }
  stop(): void { this.handle?.stop(); this.handle = undefined; this.items.clear(); }
  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }
  list(): IterableIterator<KObject> { return this.items.values(); }
}

/** True when a thrown apiserver error has this HTTP code (StatusError or anything carrying `code`/`status.code`). */
export function isStatus(err: unknown, code: number): boolean {
  const e = err as any;
  return e?.code === code || e?.status?.code === code || e?.statusCode === code;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
