/**
 * What containers write, and where it lives, as a node keeps it:
 * - a container's writable layer, which a restart replaces with an empty one;
 * - `emptyDir` volumes, shared by the pod's containers, kept across container
 *   restarts and removed with the pod;
 * - `hostPath` volumes (and hostPath/local PersistentVolumes): the node's own
 *   disk, shared by every pod on that node;
 * - other PersistentVolumes: data that belongs to the volume, so a claim's
 *   files follow it to a new pod on any node, until the PV is deleted.
 * ConfigMap, Secret, downward API and projected volumes are built fresh for
 * each view from the objects (read-only). No real I/O: trees live in memory
 * and go into the playground's state file.
 */

export type Errno = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EROFS' | 'EEXIST' | 'ENOSPC' | 'ENOTEMPTY' | 'EINVAL';

export class FsError extends Error {
  constructor(readonly code: Errno) { super(code); }
}

export interface FileEntry { dir: false; data: Uint8Array; mode: number; mtime: number }
export interface DirEntry { dir: true; mode: number; mtime: number }
/** A layer's record that a path below it (a generated file) is removed. */
interface Whiteout { gone: true }
export type Entry = FileEntry | DirEntry;
type Stored = Entry | Whiteout;

const isGone = (e: Stored | undefined): e is Whiteout => !!e && 'gone' in e;

/** Most entries one tree holds; past it a write gets ENOSPC, as a full inode table does. */
const MAX_ENTRIES = 20_000;

/** One tree of files, keyed by path relative to its root ('' is the root, which always exists). */
export class Tree {
  readonly entries = new Map<string, Stored>();
  bytes = 0;
  /** When its contents were taken (a ConfigMap volume's last refresh). */
  at?: number;

  /** The entry at `rel`, a directory implied by something below it, or undefined. */
  get(rel: string): Entry | undefined {
    if (rel === '') return ROOT_DIR;
    const e = this.entries.get(rel);
    if (e) return isGone(e) ? undefined : e;
    const prefix = rel + '/';
    for (const [k, v] of this.entries) if (!isGone(v) && k.startsWith(prefix)) return IMPLIED_DIR;
    return undefined;
  }

  gone(rel: string): boolean {
    return isGone(this.entries.get(rel));
  }

  /** Names directly below `rel`, whiteouts apart (they are returned separately). */
  children(rel: string): { names: Set<string>; gone: Set<string> } {
    const prefix = rel === '' ? '' : rel + '/';
    const names = new Set<string>();
    const gone = new Set<string>();
    for (const [k, v] of this.entries) {
      if (!k.startsWith(prefix) || k.length === prefix.length) continue;
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (isGone(v)) { if (slash < 0) gone.add(name); } else names.add(name);
    }
    for (const n of names) gone.delete(n);
    return { names, gone };
  }

  set(rel: string, e: Stored): void {
    const old = this.entries.get(rel);
    if (!old && this.entries.size >= MAX_ENTRIES) throw new FsError('ENOSPC');
    this.bytes += sizeOf(e) - sizeOf(old);
    this.entries.set(rel, e);
  }

  delete(rel: string): void {
    const old = this.entries.get(rel);
    if (!old) return;
    this.bytes -= sizeOf(old);
    this.entries.delete(rel);
  }

  /** Removes `rel` and everything below it; answers how many entries went. */
  deleteTree(rel: string): number {
    let n = 0;
    const prefix = rel + '/';
    for (const k of [...this.entries.keys()]) if (k === rel || rel === '' || k.startsWith(prefix)) { this.delete(k); n++; }
    return n;
  }
}

const ROOT_DIR: DirEntry = Object.freeze({ dir: true, mode: 0o755, mtime: 0 });
const IMPLIED_DIR: DirEntry = Object.freeze({ dir: true, mode: 0o755, mtime: 0 });
const sizeOf = (e: Stored | undefined) => (e && !isGone(e) && !e.dir ? e.data.length : 0);

/** `/a/./b//c/../d` → `/a/b/d`; relative paths are taken from `cwd`. */
export function normalize(path: string, cwd = '/'): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const s of parts) { if (s === '..') out.pop(); else if (s && s !== '.') out.push(s); }
  return '/' + out.join('/');
}

const join = (base: string, rest: string) => (!base ? rest : !rest ? base : `${base}/${rest}`);
const parentOf = (abs: string) => abs.slice(0, abs.lastIndexOf('/')) || '/';

/** The node's disks: every tree that outlives one exec session. */
export class Disks {
  private readonly trees = new Map<string, Tree>();
  /** The container instance each layer belongs to: a new instance (a restart) starts from an empty layer. */
  private readonly layerOwner = new Map<string, string>();
  /** Called after any change, so the playground saves its state. */
  onChange: () => void = () => undefined;

  /** Total bytes of file data across all disks past which writes fail with ENOSPC. */
  constructor(readonly limitBytes = 256 * 1024 * 1024) {}

  used(): number {
    let n = 0;
    for (const t of this.trees.values()) n += t.bytes;
    return n;
  }

  private tree(key: string): Tree {
    let t = this.trees.get(key);
    if (!t) this.trees.set(key, (t = new Tree()));
    return t;
  }

  /** The writable layer of one container instance (`instance` is its containerID). */
  layer(podUid: string, container: string, instance: string): Tree {
    return this.owned(`layer/${podUid}/${container}`, instance, true)!;
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
    if (this.layerOwner.get(key) !== instance) {
      if (!create) return undefined;
      if (this.layerOwner.has(key)) this.trees.delete(key);
      this.layerOwner.set(key, instance);
    }
    return create ? this.tree(key) : this.trees.get(key);
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

  /** The pod is gone from its node: its layers and emptyDirs go with it. */
  dropPod(podUid: string): void {
    for (const kind of ['layer', 'emptydir', 'env', 'subpath', 'cfgvol']) this.dropPrefix(`${kind}/${podUid}/`);
  }

  dropVolume(pvName: string): void {
    this.dropPrefix(`pv/${pvName}`, true);
  }

  dropNode(name: string): void {
    this.dropPrefix(`node/${name}`, true);
  }

  private dropPrefix(prefix: string, exact = false): void {
    let changed = false;
    for (const k of [...this.trees.keys()]) {
      if (exact ? k !== prefix : !k.startsWith(prefix)) continue;
      this.trees.delete(k);
      this.layerOwner.delete(k);
      changed = true;
    }
    if (changed) this.onChange();
  }

  /** Throws ENOSPC when `extra` more bytes would pass the limit. */
  reserve(extra: number): void {
    if (extra > 0 && this.used() + extra > this.limitBytes) throw new FsError('ENOSPC');
  }

  /** For the state file: trees with their files base64-encoded. */
  save(): SavedDisks {
    const trees: SavedDisks['trees'] = {};
    for (const [key, t] of this.trees) {
      if (!t.entries.size && t.at === undefined) continue;
      const entries: SavedEntry[] = [];
      for (const [path, e] of t.entries) {
        if (isGone(e)) entries.push({ path, gone: true });
        else if (e.dir) entries.push({ path, dir: true, mode: e.mode, mtime: e.mtime });
        else entries.push({ path, mode: e.mode, mtime: e.mtime, data: Buffer.from(e.data).toString('base64') });
      }
      trees[key] = { owner: this.layerOwner.get(key), entries, ...(t.at !== undefined ? { at: t.at } : {}) };
    }
    return { trees };
  }

  load(saved: SavedDisks): void {
    this.trees.clear();
    this.layerOwner.clear();
    for (const [key, st] of Object.entries(saved.trees)) {
      const t = this.tree(key);
      if (st.owner !== undefined) this.layerOwner.set(key, st.owner);
      if (typeof st.at === 'number') t.at = st.at;
      for (const e of st.entries) {
        if (e.gone) t.set(e.path, { gone: true });
        else if (e.dir) t.set(e.path, { dir: true, mode: e.mode ?? 0o755, mtime: e.mtime ?? 0 });
        else t.set(e.path, { dir: false, mode: e.mode ?? 0o644, mtime: e.mtime ?? 0, data: new Uint8Array(Buffer.from(e.data ?? '', 'base64')) });
      }
    }
  }
}

export interface SavedEntry { path: string; gone?: boolean; dir?: boolean; mode?: number; mtime?: number; data?: string }
export interface SavedDisks { trees: Record<string, { owner?: string; at?: number; entries: SavedEntry[] }> }

/** Answers why a saved `disks` section is unusable, or undefined when it is fine. */
export function savedDisksProblem(d: any): string | undefined {
  if (typeof d !== 'object' || d === null || typeof d.trees !== 'object' || d.trees === null) return 'bad disks';
  for (const [key, t] of Object.entries<any>(d.trees)) {
    if (!/^(layer|emptydir|node|pv|env|subpath|cfgvol)\//.test(key) || typeof t !== 'object' || t === null || !Array.isArray(t.entries)) return `bad disk ${key}`;
    for (const e of t.entries) {
      if (typeof e !== 'object' || e === null || typeof e.path !== 'string' || !e.path || e.path.startsWith('/')) return `bad entry in disk ${key}`;
      if (!e.gone && !e.dir && typeof e.data !== 'string') return `bad file in disk ${key}`;
    }
  }
  return undefined;
}

/** A volume as one container mounts it. */
export interface Mount {
  /** Absolute mount path. */
  at: string;
  tree: Tree;
  /** Where in the tree the mount starts (a hostPath, a subPath). */
  base: string;
  readOnly: boolean;
}

/** What stat answers. */
export interface Stat { dir: boolean; size: number; mode: number; mtime: number }

/**
 * One container's view of the filesystem: its mounts over its writable
 * layer, over the files the image and the kubelet put there (`generated`,
 * read through unless the layer shadows or removes them).
 */
export class ContainerFs {
  private readonly mounts: Mount[];

  constructor(
    private readonly layer: Tree,
    mounts: Mount[],
    private readonly generated: Tree,
    private readonly now: () => number,
    private readonly disks?: Disks,
    /** When the container started: the time directories nobody wrote show (mount points, the image's). */
    private readonly epoch = 0,
  ) {
    this.mounts = [...mounts].sort((a, b) => b.at.length - a.at.length);
  }

  private mountOf(abs: string): Mount | undefined {
    for (const m of this.mounts) if (abs === m.at || abs.startsWith(m.at === '/' ? '/' : m.at + '/')) return m;
    return undefined;
  }

  private where(abs: string): { tree: Tree; rel: string; readOnly: boolean; mount?: Mount } {
    const m = this.mountOf(abs);
    if (m) return { tree: m.tree, rel: join(m.base, abs.slice(m.at.length + 1)), readOnly: m.readOnly, mount: m };
    return { tree: this.layer, rel: abs.slice(1), readOnly: false };
  }

  /** Mount points directly below `abs` (they exist as directories whatever the tree under them says). */
  private mountNames(abs: string): string[] {
    const prefix = abs === '/' ? '/' : abs + '/';
    const out: string[] = [];
    for (const m of this.mounts) if (m.at.startsWith(prefix) && m.at !== abs) out.push(m.at.slice(prefix.length).split('/')[0]);
    return out;
  }

  stat(abs: string): Stat | undefined {
    const w = this.where(abs);
    let e: Entry | undefined;
    if (w.mount) e = w.tree.get(w.rel);
    else if (!w.tree.gone(w.rel)) e = w.tree.get(w.rel) ?? this.generated.get(w.rel);
    if (!e && this.mountNames(abs).length) e = IMPLIED_DIR;
    if (!e && w.mount && abs === w.mount.at) e = IMPLIED_DIR;
    if (!e) return undefined;
    return { dir: e.dir, size: e.dir ? 4096 : e.data.length, mode: e.mode, mtime: e.mtime || this.epoch };
  }

  private entry(abs: string): Entry | undefined {
    const w = this.where(abs);
    if (w.mount) return w.tree.get(w.rel);
    if (w.tree.gone(w.rel)) return undefined;
    return w.tree.get(w.rel) ?? this.generated.get(w.rel);
  }

  /** A file's bytes; throws ENOENT, or EISDIR for a directory. */
  read(abs: string): Uint8Array {
    const e = this.entry(abs);
    if (!e) throw new FsError(this.stat(abs) ? 'EISDIR' : 'ENOENT');
    if (e.dir) throw new FsError('EISDIR');
    return e.data;
  }

  readText(abs: string): string {
    return Buffer.from(this.read(abs)).toString('utf8');
  }

  /** Names in a directory, sorted; throws ENOENT or ENOTDIR. */
  list(abs: string): string[] {
    const st = this.stat(abs);
    if (!st) throw new FsError('ENOENT');
    if (!st.dir) throw new FsError('ENOTDIR');
    const w = this.where(abs);
    const names = new Set<string>(this.mountNames(abs));
    const own = w.tree.children(w.rel);
    for (const n of own.names) names.add(n);
    if (!w.mount) for (const n of this.generated.children(w.rel).names) if (!own.gone.has(n)) names.add(n);
    return [...names].sort();
  }

  /** The parent must be a directory one can write in; answers where the path lands. */
  private writable(abs: string): { tree: Tree; rel: string } {
    if (abs === '/') throw new FsError('EISDIR');
    const parent = this.stat(parentOf(abs));
    if (!parent) throw new FsError('ENOENT');
    if (!parent.dir) throw new FsError('ENOTDIR');
    const w = this.where(abs);
    if (w.readOnly || (w.mount && abs === w.mount.at)) throw new FsError(w.readOnly ? 'EROFS' : 'EINVAL');
    return w;
  }

  /** Throws what opening `abs` for writing would fail with (EISDIR, EROFS, ENOENT, ...). */
  checkWritable(abs: string): void {
    if (this.stat(abs)?.dir) throw new FsError('EISDIR');
    this.writable(abs);
  }

  /** Writes (or appends to) a file, creating it. */
  write(abs: string, data: Uint8Array | string, append = false, mode = 0o644): void {
    if (abs === '/dev/null') return;
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
    const existing = this.stat(abs);
    if (existing?.dir) throw new FsError('EISDIR');
    const w = this.writable(abs);
    const old = append && existing ? this.read(abs) : undefined;
    this.disks?.reserve(old ? bytes.length : bytes.length - (existing?.size ?? 0));
    const next = old ? grow(old, bytes) : bytes;
    w.tree.set(w.rel, { dir: false, data: next, mode: existing?.mode ?? mode, mtime: this.now() });
    this.disks?.onChange();
  }

  /** `touch`: creates an empty file, or sets a file's time. */
  touch(abs: string): void {
    const st = this.stat(abs);
    if (!st) return this.write(abs, new Uint8Array(0));
    const w = this.writable(abs);
    const e = this.entry(abs)!;
    w.tree.set(w.rel, { ...e, mtime: this.now() } as Entry);
    this.disks?.onChange();
  }

  /** Sets a file's modification time (tar restoring what the archive says). */
  setTime(abs: string, mtime: number): void {
    const e = this.entry(abs);
    if (!e) throw new FsError('ENOENT');
    const w = this.writable(abs);
    w.tree.set(w.rel, { ...e, mtime } as Entry);
  }

  mkdir(abs: string, parents = false, mode = 0o755): void {
    if (parents) {
      const parts = abs.split('/').filter(Boolean);
      let at = '';
      for (const p of parts) {
        at += '/' + p;
        const st = this.stat(at);
        if (st && !st.dir) throw new FsError('ENOTDIR');
        if (!st) this.mkdir(at, false, mode);
      }
      return;
    }
    if (this.stat(abs)) throw new FsError('EEXIST');
    const w = this.writable(abs);
    w.tree.set(w.rel, { dir: true, mode, mtime: this.now() });
    this.disks?.onChange();
  }

  /** Removes a file, or with `recursive` a directory and all below it; an empty directory with `dirOnly` (rmdir). */
  remove(abs: string, recursive = false, dirOnly = false): void {
    const st = this.stat(abs);
    if (!st) throw new FsError('ENOENT');
    if (st.dir && !recursive && !dirOnly) throw new FsError('EISDIR');
    if (!st.dir && dirOnly) throw new FsError('ENOTDIR');
    if (dirOnly && this.list(abs).length) throw new FsError('ENOTEMPTY');
    const w = this.where(abs);
    if (w.readOnly) throw new FsError('EROFS');
    if (w.mount && abs === w.mount.at) throw new FsError('EINVAL');
    if (st.dir) for (const name of this.list(abs)) this.remove(`${abs === '/' ? '' : abs}/${name}`, true);
    w.tree.deleteTree(w.rel);
    // A generated file (or directory) under the layer stays hidden.
    if (!w.mount && this.generated.get(w.rel)) w.tree.set(w.rel, { gone: true });
    this.disks?.onChange();
  }

  /**
   * Whether anything put there by the user is at or below `abs`: a volume
   * mounted on it, above it or inside it, or something the writable layer
   * holds there (a file written or copied in, or an image file removed).
   */
  customized(abs: string): boolean {
    for (const m of this.mounts) if (m.at === abs || abs.startsWith(m.at === '/' ? '/' : m.at + '/') || m.at.startsWith(abs + '/')) return true;
    const rel = abs.slice(1);
    for (const k of this.layer.entries.keys()) if (k === rel || k.startsWith(rel + '/')) return true;
    return false;
  }

  /**
   * What this filesystem knows of a path, for exec probes: true or false
   * inside a volume, or where the layer or the generated files have it (or a
   * removal); undefined for an image file nobody wrote or removed.
   */
  knows(abs: string): boolean | undefined {
    const w = this.where(abs);
    if (w.mount) return abs === w.mount.at || !!w.tree.get(w.rel);
    if (w.tree.gone(w.rel)) return false;
    return w.tree.get(w.rel) || this.generated.get(w.rel) ? true : undefined;
  }

  /** Every file and directory below `abs` (itself first), as paths relative to it: what `tar` and `cp -r` walk. */
  walk(abs: string): Array<{ rel: string; stat: Stat }> {
    const st = this.stat(abs);
    if (!st) throw new FsError('ENOENT');
    const out: Array<{ rel: string; stat: Stat }> = [{ rel: '', stat: st }];
    if (!st.dir) return out;
    const visit = (dir: string, rel: string) => {
      for (const name of this.list(dir)) {
        const p = `${dir === '/' ? '' : dir}/${name}`;
        const s = this.stat(p);
        if (!s) continue;
        const r = rel ? `${rel}/${name}` : name;
        out.push({ rel: r, stat: s });
        if (s.dir) visit(p, r);
      }
    };
    visit(abs, '');
    return out;
  }
}

/**
 * `a` followed by `b`. Appends write into spare room behind `a` when its
 * buffer has some (a log file a loop appends to grows in amortised constant
 * time); views handed out earlier keep their own length, so they never change.
 */
function grow(a: Uint8Array, b: Uint8Array): Uint8Array {
  const need = a.length + b.length;
  if (a.byteOffset === 0 && a.buffer.byteLength >= need && spare.get(a.buffer) === a.length) {
    new Uint8Array(a.buffer).set(b, a.length);
    spare.set(a.buffer, need);
    return new Uint8Array(a.buffer, 0, need);
  }
  const buf = new ArrayBuffer(Math.max(need, Math.min(need * 2, need + 16 * 1024 * 1024)));
  const out = new Uint8Array(buf, 0, need);
  out.set(a, 0);
  out.set(b, a.length);
  spare.set(buf, need);
  return out;
}

/** How much of a growable buffer is in use: only the view that ends there may append in place. */
const spare = new WeakMap<ArrayBufferLike, number>();

/** A read-only tree holding the given files (ConfigMap and Secret volumes, kubelet-written files). */
export function treeOf(files: Iterable<[string, string | Uint8Array]>, mtime = 0, mode = 0o644): Tree {
  const t = new Tree();
  for (const [rel, data] of files) {
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
    t.set(rel.replace(/^\/+/, ''), { dir: false, data: bytes, mode, mtime });
  }
  return t;
}
