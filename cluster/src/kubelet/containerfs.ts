/**
 * One container's view of its filesystem: the pod's volumes mounted over the
 * container's writable layer, over the files the image and the kubelet put
 * there (`generated`, read through unless the layer shadows or removes
 * them). A removal in the layer is a whiteout that hides everything of the
 * image below it; a folder made again there is opaque.
 */
import type { Disks } from './disk';
import { FsError, IMPLIED_DIR, isGone, linkEntry, normalize, resolveLinks, type Entry, type ReadTree, type Tree } from './tree';

/** A volume as one container mounts it. */
export interface Mount {
  /** Absolute mount path (never `/`: a volume cannot be mounted over the root). */
  at: string;
  tree: Tree;
  /** Where in the tree the mount starts (a hostPath, a subPath). */
  base: string;
  readOnly: boolean;
  /** Called before the mount is read (a ConfigMap volume the kubelet rewrites at its syncs). */
  refresh?: () => void;
  /** The mount point's own mode and owner (an emptyDir is drwxrwxrwx; with the pod's fsGroup, drwxrwsrwx of that group). */
  root?: { mode: number; uid?: number; gid?: number };
  /** A tmpfs's size (a memory-backed emptyDir, tmpfs.ts): the bytes its files may hold together. */
  limitBytes?: number;
}

/**
 * What stat answers; `link` (lstat only): the path is a symbolic link to that. `links` and `ino`: a file with
 * hard links (the busybox image's applets), its link count and the inode they share.
 */
export interface Stat { dir: boolean; size: number; mode: number; mtime: number; uid: number; gid: number; link?: string; links?: number; ino?: number }

const join = (base: string, rest: string) => (!base ? rest : !rest ? base : `${base}/${rest}`);
const parentOf = (abs: string) => abs.slice(0, abs.lastIndexOf('/')) || '/';
const parentRel = (rel: string) => { const i = rel.lastIndexOf('/'); return i < 0 ? '' : rel.slice(0, i); };

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const need = a.length + b.length;
  // Appends write into spare room behind `a` when it has some (a log a loop appends to grows in amortised
  // constant time); views handed out earlier keep their own length, so they never change.
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

export class ContainerFs {
  private readonly mounts: Mount[];
  private claimed = false;
  /** Who the processes writing here are: what they make is theirs (a setgid folder gives its group instead). */
  owner: { uid: number; gid: number } = { uid: 0, gid: 0 };

  constructor(
    /** The layer to write to when nobody has written to this container yet (kept once claimed). */
    private readonly scratch: Tree,
    mounts: Mount[],
    private readonly generated: ReadTree,
    private readonly now: () => number,
    private readonly disks?: Disks,
    /** When the container started: the time folders nobody wrote show (mount points, the image's). */
    private readonly epoch = 0,
    /** Called before the first change to the layer: a layer nobody wrote to is not kept (disks.ts). */
    private readonly claimLayer?: () => void,
    /** The container's kept layer, looked up at each use: another session may have written it first. */
    private readonly keptLayer?: () => Tree | undefined,
  ) {
    this.mounts = mounts.filter((m) => m.at !== '/').sort((a, b) => b.at.length - a.at.length);
  }

  private get layer(): Tree {
    return this.keptLayer?.() ?? this.scratch;
  }

  private mountOf(abs: string): Mount | undefined {
    for (const m of this.mounts) {
      if (abs === m.at || abs.startsWith(m.at + '/')) {
        m.refresh?.();
        return m;
      }
    }
    return undefined;
  }

  /**
   * The tree and path `abs` lands on. Inside a volume the symbolic links on the way are followed (the atomic
   * writer's `..data` and per-key links of a ConfigMap or Secret volume); with `followLast` false the last
   * name is left as it is, as lstat does.
   */
  private where(abs: string, followLast = true): { tree: Tree; rel: string; readOnly: boolean; mount?: Mount } {
    const m = this.mountOf(abs);
    if (m) return { tree: m.tree, rel: resolveLinks(m.tree, join(m.base, abs === m.at ? '' : abs.slice(m.at.length + 1)), followLast), readOnly: m.readOnly, mount: m };
    return { tree: this.layer, rel: abs.slice(1), readOnly: false };
  }

  /** stat without following a symbolic link at the end of the path (what `ls -l` shows for each name). */
  lstat(abs: string): Stat | undefined {
    abs = this.real(abs, false);
    const e = this.unfollowed(abs);
    if (e && !e.dir && e.link !== undefined) return { dir: false, size: e.data.length, mode: e.mode, mtime: e.mtime || this.epoch, uid: e.uid ?? 0, gid: e.gid ?? 0, link: e.link };
    return this.stat(abs);
  }

  /** The entry at `abs` itself, a symbolic link left as it is. */
  private unfollowed(abs: string): Entry | undefined {
    const w = this.where(abs, false);
    if (w.mount) return abs === w.mount.at ? undefined : w.tree.get(w.rel);
    return this.entry(abs);
  }

  /**
   * `abs` with the symbolic links on its way followed (all of them, or all but the last with `followLast`
   * false), as the kernel resolves a path: a relative target from the link's folder, an absolute one from the
   * root (so a link may lead into a volume or out of one). A loop (past 40 links) is left as it is.
   */
  private real(abs: string, followLast = true): string {
    let parts = abs.split('/').filter(Boolean);
    let hops = 0;
    for (let i = 0; i < parts.length; i++) {
      if (i === parts.length - 1 && !followLast) break;
      const e = this.unfollowed('/' + parts.slice(0, i + 1).join('/'));
      if (!e || e.dir || e.link === undefined) continue;
      if (++hops > 40) return abs;
      const target = normalize(e.link, '/' + parts.slice(0, i).join('/'));
      parts = [...target.split('/').filter(Boolean), ...parts.slice(i + 1)];
      i = -1;
    }
    return '/' + parts.join('/');
  }

  /** Mount points directly below `abs` (they exist as folders whatever the tree under them says). */
  private mountNames(abs: string): string[] {
    const prefix = abs === '/' ? '/' : abs + '/';
    const out: string[] = [];
    for (const m of this.mounts) if (m.at.startsWith(prefix)) out.push(m.at.slice(prefix.length).split('/')[0]);
    return out;
  }

  /** Whether the layer hides the image's `rel`: a whiteout at it or above it, or an opaque folder above it. */
  private hidden(rel: string): boolean {
    for (let p = rel; p !== ''; p = parentRel(p)) {
      const e = this.layer.entries.get(p);
      if (isGone(e)) return true;
      // Above the path: an opaque folder, or a file (nothing of the image can be below a file).
      if (p !== rel && e && (!e.dir || e.opaque)) return true;
    }
    return false;
  }

  private entry(abs: string): Entry | undefined {
    const w = this.where(abs);
    if (w.mount) return w.tree.get(w.rel);
    const own = w.tree.get(w.rel);
    // A folder the layer only implies (something was written inside it) keeps the image's own mode and time.
    if (own && (own !== IMPLIED_DIR || this.hidden(w.rel))) return own;
    const image = this.hidden(w.rel) ? undefined : this.generated.get(w.rel);
    return image ?? own;
  }

  stat(abs: string): Stat | undefined {
    abs = this.real(abs);
    const point = this.mountOf(abs);
    if (point?.at === abs && point.root) {
      const r = point.root;
      return { dir: true, size: 4096, mode: r.mode, mtime: this.epoch, uid: r.uid ?? 0, gid: r.gid ?? 0 };
    }
    let e = this.entry(abs);
    if (!e && (this.mountNames(abs).length || point?.at === abs)) e = IMPLIED_DIR;
    if (!e) return undefined;
    const hard = !e.dir && e.links ? { links: e.links, ino: e.ino } : {};
    return { dir: e.dir, size: e.dir ? 4096 : e.data.length, mode: e.mode, mtime: e.mtime || this.epoch, uid: e.uid ?? 0, gid: e.gid ?? 0, ...hard };
  }

  /** The owner a new file or folder at `abs` gets: the writer's uid, and the folder's group when it is setgid. */
  private newOwner(abs: string): { uid?: number; gid?: number } {
    const slash = abs.lastIndexOf('/');
    const parent = this.stat(slash <= 0 ? '/' : abs.slice(0, slash));
    const gid = parent && parent.mode & 0o2000 ? parent.gid : this.owner.gid;
    const out: { uid?: number; gid?: number } = {};
    if (this.owner.uid) out.uid = this.owner.uid;
    if (gid) out.gid = gid;
    return out;
  }

  /** A file's bytes; throws ENOENT, EISDIR for a folder, ENOTDIR for `file/`. */
  read(abs: string, trailingSlash = false): Uint8Array {
    abs = this.real(abs);
    const e = this.entry(abs);
    if (!e) throw new FsError(this.stat(abs) ? 'EISDIR' : this.missing(abs));
    if (e.dir) throw new FsError('EISDIR');
    if (trailingSlash) throw new FsError('ENOTDIR');
    return e.data;
  }

  /** Why `abs` is not there: a file on the way (ENOTDIR), or nothing (ENOENT). */
  private missing(abs: string): 'ENOTDIR' | 'ENOENT' {
    for (let p = parentOf(abs); p !== '/'; p = parentOf(p)) {
      const st = this.stat(p);
      if (st) return st.dir ? 'ENOENT' : 'ENOTDIR';
    }
    return 'ENOENT';
  }

  readText(abs: string): string {
    return Buffer.from(this.read(abs)).toString('utf8');
  }

  /** Names in a folder, sorted; throws ENOENT or ENOTDIR. */
  list(abs: string): string[] {
    abs = this.real(abs);
    const st = this.stat(abs);
    if (!st) throw new FsError('ENOENT');
    if (!st.dir) throw new FsError('ENOTDIR');
    const w = this.where(abs);
    const names = new Set<string>(this.mountNames(abs));
    const own = w.tree.children(w.rel);
    for (const n of own.names) names.add(n);
    const opaque = !w.mount && (() => { const e = this.layer.entries.get(w.rel); return !!(e && !isGone(e) && e.dir && e.opaque); })();
    if (!w.mount && !opaque && !this.hidden(w.rel)) for (const n of this.generated.children(w.rel).names) if (!own.gone.has(n)) names.add(n);
    return [...names].sort();
  }

  /** The parent must be a folder one can write in; answers where the path lands (claiming the layer). */
  private writable(abs: string): { tree: Tree; rel: string; mount?: Mount } {
    if (abs === '/') throw new FsError('EISDIR');
    const parent = this.stat(parentOf(abs));
    if (!parent) throw new FsError('ENOENT');
    if (!parent.dir) throw new FsError('ENOTDIR');
    const w = this.where(abs);
    if (w.readOnly) throw new FsError('EROFS');
    if (w.mount && abs === w.mount.at) throw new FsError('EBUSY');
    if (!w.mount) this.claim();
    return w;
  }

  private claim(): void {
    if (this.claimed) return;
    this.claimed = true;
    this.claimLayer?.();
  }

  /** Whether a volume is mounted at `abs` or anywhere below it (a rename of it would be refused as busy). */
  holdsMount(abs: string): boolean {
    return this.mounts.some((m) => m.at === abs || m.at.startsWith(abs === '/' ? '/' : abs + '/'));
  }

  /** Throws what opening `abs` for writing would fail with (EISDIR, EROFS, ENOENT, ...). */
  checkWritable(abs: string): void {
    abs = this.real(abs);
    if (this.stat(abs)?.dir) throw new FsError('EISDIR');
    this.writable(abs);
  }

  /** Writes (or appends to) a file, creating it. */
  write(abs: string, data: Uint8Array | string, append = false, mode = 0o644): void {
    abs = this.real(abs);
    // The character devices: null, zero and the random ones swallow what is written, full refuses it.
    if (abs === '/dev/null' || abs === '/dev/zero' || abs === '/dev/random' || abs === '/dev/urandom') return;
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
    if (abs === '/dev/full') { if (bytes.length) throw new FsError('ENOSPC'); return; }
    const existing = this.stat(abs);
    if (existing?.dir) throw new FsError('EISDIR');
    const w = this.writable(abs);
    const old = append && existing ? this.read(abs) : undefined;
    // A full tmpfs takes what still fits (write(2) returns the short count) and the next write gets ENOSPC.
    const limit = w.mount?.limitBytes;
    const room = limit === undefined ? Infinity : Math.max(0, limit - (w.tree.bytes - (old ? 0 : existing?.size ?? 0)));
    const fits = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.disks?.reserve(old ? fits.length : fits.length - (existing?.size ?? 0));
    const next = old ? concat(old, fits) : fits;
    const owner = existing ? { ...(existing.uid ? { uid: existing.uid } : {}), ...(existing.gid ? { gid: existing.gid } : {}) } : this.newOwner(abs);
    w.tree.set(w.rel, { dir: false, data: next, mode: existing?.mode ?? mode, mtime: this.now(), ...owner });
    this.disks?.changed();
    if (fits !== bytes) throw new FsError('ENOSPC');
  }

  /** `ln -s`: a symbolic link at `abs` to `target` (taken as written); EEXIST where something is. */
  symlink(abs: string, target: string): void {
    abs = this.real(abs, false);
    if (this.lstat(abs)) throw new FsError('EEXIST');
    const w = this.writable(abs);
    w.tree.set(w.rel, { ...linkEntry(target, this.now()), ...this.newOwner(abs) });
    this.disks?.changed();
  }

  /** `touch`: creates an empty file, or sets a file's time. */
  touch(abs: string): void {
    if (!this.stat(abs)) return this.write(abs, new Uint8Array(0));
    this.setTime(abs, this.now());
  }

  /** Sets a file's or folder's modification time. */
  setTime(abs: string, mtime: number): void {
    abs = this.real(abs);
    const e = this.entry(abs);
    if (!e) throw new FsError('ENOENT');
    const w = this.writable(abs);
    w.tree.set(w.rel, { ...e, mtime } as Entry);
    this.disks?.changed();
  }

  /** Sets a file's or folder's owner (a rename keeps its owner). */
  setOwner(abs: string, uid: number, gid: number): void {
    abs = this.real(abs);
    const e = this.entry(abs);
    if (!e) throw new FsError('ENOENT');
    const w = this.writable(abs);
    const { uid: _u, gid: _g, ...rest } = e;
    w.tree.set(w.rel, { ...rest, ...(uid ? { uid } : {}), ...(gid ? { gid } : {}) } as Entry);
    this.disks?.changed();
  }

  mkdir(abs: string, parents = false, mode = 0o755): void {
    if (parents) {
      let at = '';
      for (const p of abs.split('/').filter(Boolean)) {
        at += '/' + p;
        const st = this.stat(at);
        if (st && !st.dir) throw new FsError('ENOTDIR');
        if (!st) this.mkdir(at, false, mode);
      }
      return;
    }
    abs = this.real(abs);
    if (this.lstat(abs)) throw new FsError('EEXIST');
    const w = this.writable(abs);
    // Where the image's folder was removed, the new one does not bring its old contents back.
    const opaque = !w.mount && w.tree.gone(w.rel);
    const owner = this.newOwner(abs);
    // A folder made in a setgid folder is setgid too, so the group carries on down.
    const slash = abs.lastIndexOf('/');
    if ((this.stat(slash <= 0 ? '/' : abs.slice(0, slash))?.mode ?? 0) & 0o2000) mode |= 0o2000;
    w.tree.set(w.rel, opaque ? { dir: true, mode, mtime: this.now(), opaque: true, ...owner } : { dir: true, mode, mtime: this.now(), ...owner });
    this.disks?.changed();
  }

  /** Removes a file, or with `recursive` a folder and all below it; an empty folder with `dirOnly` (rmdir). */
  remove(abs: string, recursive = false, dirOnly = false): void {
    // A symbolic link is removed itself, not what it points at.
    abs = this.real(abs, false);
    const st = this.lstat(abs);
    if (!st) throw new FsError('ENOENT');
    if (st.dir && !recursive && !dirOnly) throw new FsError('EISDIR');
    if (!st.dir && dirOnly) throw new FsError('ENOTDIR');
    if (dirOnly && this.list(abs).length) throw new FsError('ENOTEMPTY');
    const w = this.where(abs, false);
    if (w.readOnly) throw new FsError('EROFS');
    if (w.mount && abs === w.mount.at) {
      // A mount point stays (busy); with -r what is inside it goes.
      if (!recursive) throw new FsError('EBUSY');
      for (const name of this.list(abs)) this.remove(`${abs}/${name}`, true);
      throw new FsError('EBUSY');
    }
    // Mount points below are busy: what is inside them goes, they stay, and the removal fails there.
    let busy = false;
    if (st.dir && this.holdsMount(abs) && abs !== '/') {
      // With a mount somewhere below, everything else goes entry by entry (as rm -r walks), and the folders
      // that lead to a mount stay.
      for (const name of this.list(abs)) {
        try { this.remove(`${abs}/${name}`, true); } catch { busy = true; }
      }
    } else if (st.dir) {
      for (const name of this.mountNames(abs)) {
        try { this.remove(`${abs === '/' ? '' : abs}/${name}`, true); } catch { busy = true; }
      }
    }
    if (abs === '/') {
      // The root itself stays: everything of the layer goes, and the image's top-level entries are hidden one by one.
      this.claim();
      this.layer.deleteTree('');
      for (const n of this.generated.children('').names) if (!this.mountNames('/').includes(n)) this.layer.set(n, { gone: true }, false);
    } else if (!busy) {
      if (!w.mount) this.claim();
      w.tree.deleteTree(w.rel);
      if (!w.mount && this.generated.get(w.rel) && !this.hidden(w.rel)) w.tree.set(w.rel, { gone: true }, false);
    }
    this.disks?.changed();
    if (busy) throw new FsError('EBUSY');
  }

  /**
   * What this filesystem knows of a path, for exec probes: true or false
   * where the layer, a volume or the image's files decide; undefined where
   * the simulation cannot know (an image file nobody wrote or removed).
   */
  knows(abs: string): boolean | undefined {
    abs = this.real(abs);
    const w = this.where(abs);
    if (w.mount) {
      if (abs === w.mount.at || w.tree.get(w.rel)) return true;
      return this.generated.get(abs.slice(1)) ? undefined : false;
    }
    if (w.tree.get(w.rel)) return true;
    if (this.hidden(w.rel)) return false;
    return this.generated.get(w.rel) ? true : undefined;
  }

  /** Every file and folder below `abs` (itself first), as paths relative to it: what `tar` and `cp -r` walk. */
  walk(abs: string): Array<{ rel: string; stat: Stat }> {
    abs = this.real(abs);
    const st = this.stat(abs);
    if (!st) throw new FsError('ENOENT');
    const out: Array<{ rel: string; stat: Stat }> = [{ rel: '', stat: st }];
    if (!st.dir) return out;
    const visit = (dir: string, rel: string) => {
      for (const name of this.list(dir)) {
        const p = `${dir === '/' ? '' : dir}/${name}`;
        // A symbolic link below is not followed (one to its own folder would never end).
        const s = this.lstat(p);
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

