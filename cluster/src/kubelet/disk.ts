/**
 * What containers write, and where it lives, as a node keeps it:
 * - a container's writable layer, which a restart replaces with an empty one;
 * - `emptyDir` volumes, shared by the pod's containers, kept across container
 *   restarts and removed with the pod;
 * - `hostPath` volumes (and hostPath/local PersistentVolumes, which the
 *   default StorageClass provisions): the node's own disk, shared by every
 *   pod on that node;
 * - other PersistentVolumes: data that belongs to the volume, so a claim's
 *   files follow it to a new pod on any node, until the PV is deleted;
 * - what a container keeps from its start (startsnap.ts) and the kubelet's
 *   copies of ConfigMap and Secret volumes;
 * - the kubelet's checkpoint of what it allocated to a resized pod (resize.ts).
 * No real I/O: trees live in memory; the playground saves them in a file of
 * their own (store/persist.ts).
 */
import { FsError, Tree, isGone, type Stored } from './tree';

export { FsError, Tree, normalize, treeOf, type Errno, type Entry } from './tree';
export { ContainerFs, type Mount, type Stat } from './containerfs';

/** The kinds of tree that belong to one pod, keyed `<kind>/<pod uid>/...`. */
const POD_KINDS = new Set(['layer', 'emptydir', 'env', 'subpath', 'cfgvol', 'alloc']);
/** The allocation manager's checkpoint file (pkg/kubelet/allocation: allocatedPodsStateFile). */
const ALLOCATION_FILE = 'allocated_pods_state';

export class Disks {
  private readonly trees = new Map<string, Tree>();
  /** The container instance each instance-owned tree belongs to: a new instance (a restart) starts afresh. */
  private readonly owners = new Map<string, string>();
  /** Pod uid → the keys of its trees, so a pod's deletion costs only its own trees. */
  private readonly byPod = new Map<string, Set<string>>();
  private usedBytes = 0;
  /** Bumped on every change; the playground saves the disks when it moved. */
  version = 0;
  /** Called after any change, so the playground saves. */
  onChange: () => void = () => undefined;

  /** Total bytes of file data across all disks past which writes fail with ENOSPC. */
  constructor(readonly limitBytes = 256 * 1024 * 1024) {}

  used(): number {
    return this.usedBytes;
  }

  /** A change was made (by a container's filesystem view): save soon. */
  changed(): void {
    this.version++;
    this.onChange();
  }

  private tree(key: string): Tree {
    let t = this.trees.get(key);
    if (t) return t;
    t = new Tree();
    // A view left open on a pod that is gone (an exec session about to end) writes into nothing that is kept.
    const [kind, uid] = key.split('/');
    if (POD_KINDS.has(kind) && this.gonePods.has(uid)) return t;
    this.register(key, t);
    return t;
  }

  /** Pods deleted lately (the newest 10,000), whose trees must not come back. */
  private readonly gonePods = new Set<string>();
  /** When each instance that owns a tree started: an older instance never takes a newer one's tree. */
  private readonly ownerStart = new Map<string, number>();

  private register(key: string, t: Tree): void {
    this.trees.set(key, t);
    t.onBytes = (d) => { this.usedBytes += d; };
    this.usedBytes += t.bytes;
    const [kind, uid] = key.split('/');
    if (POD_KINDS.has(kind) && uid) {
      let s = this.byPod.get(uid);
      if (!s) this.byPod.set(uid, (s = new Set()));
      s.add(key);
    }
  }

  private unregister(key: string): boolean {
    const t = this.trees.get(key);
    if (!t) return false;
    this.trees.delete(key);
    this.owners.delete(key);
    this.ownerStart.delete(key);
    this.usedBytes -= t.bytes;
    t.onBytes = undefined;
    const [kind, uid] = key.split('/');
    if (POD_KINDS.has(kind)) this.byPod.get(uid)?.delete(key);
    return true;
  }

  /**
   * The writable layer of one container instance (`instance` is its
   * containerID), when anything was written to it. A layer is only kept once
   * written (`adoptLayer`), so reading costs nothing.
   */
  layer(podUid: string, container: string, instance: string): Tree | undefined {
    return this.owned(`layer/${podUid}/${container}`, instance, false);
  }

  /**
   * Keeps `t` as the instance's layer (its first write); an earlier
   * instance's goes. A session left from an earlier instance (started
   * before the current owner) keeps nothing: its container is gone.
   */
  adoptLayer(podUid: string, container: string, instance: string, t: Tree, startedAt?: number): boolean {
    const key = `layer/${podUid}/${container}`;
    if (this.owners.get(key) === instance && this.trees.get(key) === t) return true;
    if (this.gonePods.has(podUid)) return false;
    const current = this.ownerStart.get(key);
    if (this.owners.has(key) && this.owners.get(key) !== instance && current !== undefined && startedAt !== undefined && current > startedAt) return false;
    this.unregister(key);
    this.owners.set(key, instance);
    if (startedAt !== undefined) this.ownerStart.set(key, startedAt);
    this.register(key, t);
    return true;
  }

  /**
   * What one container instance got when it started and keeps for its life
   * (startsnap.ts): `env` (its ConfigMap and Secret variables), `subpath`
   * (files it mounts with subPath). Undefined when none was taken.
   */
  startSnapshot(kind: 'env' | 'subpath', podUid: string, container: string, instance: string, create = false): Tree | undefined {
    return this.owned(`${kind}/${podUid}/${container}`, instance, create);
  }

  /** The contents of a pod's ConfigMap, Secret or downward API volume as the kubelet last wrote them (`at` says when). */
  configVolume(podUid: string, volume: string, create = false): Tree | undefined {
    const key = `cfgvol/${podUid}/${volume}`;
    return create ? this.tree(key) : this.trees.get(key);
  }

  /** The tree `key` of `instance`; another instance's is dropped first (a restart starts afresh). */
  private owned(key: string, instance: string, create: boolean): Tree | undefined {
    if (this.owners.get(key) !== instance) {
      if (!create) return undefined;
      this.unregister(key);
      this.owners.set(key, instance);
    }
    return create ? this.tree(key) : this.trees.get(key);
  }

  /**
   * The resources the kubelet allocated to a resized pod's containers, by container name, as its allocation manager
   * checkpoints them (the allocated_pods_state file in its root folder) so that a restarted kubelet keeps them.
   * Only pods that were resized have one: for the others the allocation is the spec.
   */
  allocation(podUid: string): Record<string, any> | undefined {
    const e = this.trees.get(`alloc/${podUid}`)?.get(ALLOCATION_FILE);
    if (!e || e.dir) return undefined;
    try {
      const v = JSON.parse(Buffer.from(e.data).toString('utf8'));
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  setAllocation(podUid: string, containers: Record<string, any>, now: number): void {
    const data = new Uint8Array(Buffer.from(JSON.stringify(containers), 'utf8'));
    this.tree(`alloc/${podUid}`).set(ALLOCATION_FILE, { dir: false, data, mode: 0o600, mtime: now }, false);
    this.changed();
  }

  /** The bytes an emptyDir holds (none when nothing was written to it), without making it. */
  emptyDirBytes(podUid: string, volume: string): number {
    return this.trees.get(`emptydir/${podUid}/${volume}`)?.bytes ?? 0;
  }

  emptyDir(podUid: string, volume: string): Tree {
    return this.tree(`emptydir/${podUid}/${volume}`);
  }

  /** A node's own disk, where hostPath volumes point. */
  node(name: string): Tree {
    return this.tree(`node/${name}`);
  }

  /** A PersistentVolume's data (not hostPath or local ones, which live on a node). */
  volume(pvName: string): Tree {
    return this.tree(`pv/${pvName}`);
  }

  /** The pod is gone from its node: its layers, emptyDirs and kept copies go with it. */
  dropPod(podUid: string): void {
    this.gonePods.add(podUid);
    if (this.gonePods.size > 10_000) this.gonePods.delete(this.gonePods.values().next().value!);
    const keys = this.byPod.get(podUid);
    if (!keys) return;
    this.byPod.delete(podUid);
    for (const k of [...keys]) this.unregister(k);
    if (keys.size) this.changed();
  }

  /** A PersistentVolume is deleted: its data goes (a hostPath-backed one's folder on its node, as the local-path provisioner deletes it). */
  dropVolume(pvName: string, nodeFolder?: { node: string; path: string }): void {
    let changed = this.unregister(`pv/${pvName}`);
    const t = nodeFolder ? this.trees.get(`node/${nodeFolder.node}`) : undefined;
    if (t && nodeFolder!.path) changed = t.deleteTree(nodeFolder!.path) > 0 || changed;
    if (changed) this.changed();
  }

  /** Throws ENOSPC when `extra` more bytes would pass the limit. */
  reserve(extra: number): void {
    if (extra > 0 && this.usedBytes + extra > this.limitBytes) throw new FsError('ENOSPC');
  }

  /** For the disks file: trees with their files base64-encoded. */
  save(): SavedDisks {
    const trees: SavedDisks['trees'] = {};
    for (const [key, t] of this.trees) {
      if (!t.entries.size && t.at === undefined) continue;
      const entries: SavedEntry[] = [];
      for (const [path, e] of t.entries) {
        if (isGone(e)) { entries.push({ path, gone: true }); continue; }
        const owner = { ...(e.uid ? { uid: e.uid } : {}), ...(e.gid ? { gid: e.gid } : {}) };
        if (e.dir) entries.push({ path, dir: true, mode: e.mode, mtime: e.mtime, ...(e.opaque ? { opaque: true } : {}), ...owner });
        else entries.push({ path, mode: e.mode, mtime: e.mtime, data: Buffer.from(e.data).toString('base64'), ...(e.link !== undefined ? { link: e.link } : {}), ...owner });
      }
      const started = this.ownerStart.get(key);
      trees[key] = { owner: this.owners.get(key), entries, ...(t.at !== undefined ? { at: t.at } : {}), ...(started !== undefined ? { started } : {}) };
    }
    return { trees };
  }

  /** Takes up saved trees (checked by savedDisksProblem first); the caps do not apply to what was already written. */
  load(saved: SavedDisks): void {
    for (const k of [...this.trees.keys()]) this.unregister(k);
    this.byPod.clear();
    this.gonePods.clear();
    for (const [key, st] of Object.entries(saved.trees)) {
      const t = this.tree(key);
      if (typeof st.owner === 'string') this.owners.set(key, st.owner);
      if (typeof st.started === 'number') this.ownerStart.set(key, st.started);
      if (typeof st.at === 'number') t.at = st.at;
      for (const e of st.entries) {
        const mode = typeof e.mode === 'number' ? e.mode : e.dir ? 0o755 : 0o644;
        const mtime = typeof e.mtime === 'number' ? e.mtime : 0;
        const owner = { ...(Number.isInteger(e.uid) && e.uid! > 0 ? { uid: e.uid } : {}), ...(Number.isInteger(e.gid) && e.gid! > 0 ? { gid: e.gid } : {}) };
        const entry: Stored = e.gone ? { gone: true }
          : e.dir ? { dir: true, mode, mtime, ...(e.opaque ? { opaque: true } : {}), ...owner }
          : { dir: false, mode, mtime, data: new Uint8Array(Buffer.from(e.data ?? '', 'base64')), ...(typeof e.link === 'string' ? { link: e.link } : {}), ...owner };
        t.set(e.path, entry, false);
      }
    }
    this.version++;
  }
}

export interface SavedEntry { path: string; gone?: boolean; dir?: boolean; opaque?: boolean; mode?: number; mtime?: number; data?: string; uid?: number; gid?: number; link?: string }
export interface SavedDisks { trees: Record<string, { owner?: string; at?: number; started?: number; entries: SavedEntry[] }> }

/** Answers why a saved disks file is unusable, or undefined when it is fine. */
export function savedDisksProblem(d: any): string | undefined {
  if (typeof d !== 'object' || d === null || typeof d.trees !== 'object' || d.trees === null) return 'bad disks';
  for (const [key, t] of Object.entries<any>(d.trees)) {
    if (!/^(layer|emptydir|node|pv|env|subpath|cfgvol|alloc)\/./.test(key) || typeof t !== 'object' || t === null || !Array.isArray(t.entries)) return `bad disk ${key}`;
    if (t.owner !== undefined && typeof t.owner !== 'string') return `bad owner in disk ${key}`;
    if ((t.at !== undefined && typeof t.at !== 'number') || (t.started !== undefined && typeof t.started !== 'number')) return `bad time in disk ${key}`;
    for (const e of t.entries) {
      if (typeof e !== 'object' || e === null || typeof e.path !== 'string' || !e.path || e.path.startsWith('/') || e.path.endsWith('/') || e.path.split('/').some((s: string) => s === '' || s === '.' || s === '..')) return `bad entry in disk ${key}`;
      if (!e.gone && !e.dir && typeof e.data !== 'string') return `bad file in disk ${key}`;
    }
  }
  return undefined;
}
