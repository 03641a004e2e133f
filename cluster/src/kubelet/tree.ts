/**
 * One tree of files (a container layer, a volume, a node's disk), in memory:
 * entries keyed by path relative to the tree's root, with an index of each
 * folder's children and of how many live entries sit below it, so lookups,
 * listings and removals cost the depth of a path or the size of a subtree,
 * never the size of the tree.
 */

export type Errno = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EROFS' | 'EEXIST' | 'ENOSPC' | 'ENOTEMPTY' | 'EINVAL' | 'EBUSY';

export class FsError extends Error {
  constructor(readonly code: Errno) { super(code); }
}

/**
 * `uid`/`gid`: the owner (absent: root), as the process that made it was. `link`: a symbolic link to that
 * path (relative to the link's folder); its `data` is the target's text, whose length lstat reports as its size.
 * `links` and `ino`: a file of an image with hard links (the busybox image's applets), its link count and inode.
 */
export interface FileEntry { dir: false; data: Uint8Array; mode: number; mtime: number; uid?: number; gid?: number; link?: string; links?: number; ino?: number }
/** `opaque`: a folder made where a removed one stood; what the image had below the old one stays hidden. */
export interface DirEntry { dir: true; mode: number; mtime: number; opaque?: boolean; uid?: number; gid?: number }
/** A layer's record that a path of the image (and all below it) is removed. */
export interface Whiteout { gone: true }
export type Entry = FileEntry | DirEntry;
export type Stored = Entry | Whiteout;

export const isGone = (e: Stored | undefined): e is Whiteout => !!e && 'gone' in e;

/** Most entries a tree a container writes to holds; past it a write gets ENOSPC, as a full inode table does. */
export const MAX_ENTRIES = 50_000;

const ROOT_DIR: DirEntry = Object.freeze({ dir: true, mode: 0o755, mtime: 0 });
export const IMPLIED_DIR: DirEntry = Object.freeze({ dir: true, mode: 0o755, mtime: 0 });
/** The bytes an entry holds on the disk: a file's; a folder and a symbolic link (its target is in its inode) hold none. */
const sizeOf = (e: Stored | undefined) => (e && !isGone(e) && !e.dir && e.link === undefined ? e.data.length : 0);
const parentRel = (rel: string) => { const i = rel.lastIndexOf('/'); return i < 0 ? '' : rel.slice(0, i); };
const nameOf = (rel: string) => rel.slice(rel.lastIndexOf('/') + 1);

/** What a container's filesystem reads of the files below its layer (the image's, the kubelet's). */
export interface ReadTree {
  get(rel: string): Entry | undefined;
  children(rel: string): { names: Set<string>; gone: Set<string> };
}

/**
 * Two read-only trees seen as one, `top` over `bottom`: a container's own generated files (/etc/hosts, the
 * mount points) over the image's shared files, so that the image's tree is built once per image.
 */
export class Overlay implements ReadTree {
  constructor(private readonly top: Tree, private readonly bottom: ReadTree) {}

  get(rel: string): Entry | undefined {
    const e = this.top.get(rel);
    return e && e !== IMPLIED_DIR ? e : this.bottom.get(rel) ?? e;
  }

  children(rel: string): { names: Set<string>; gone: Set<string> } {
    const names = new Set(this.top.children(rel).names);
    for (const n of this.bottom.children(rel).names) names.add(n);
    return { names, gone: new Set() };
  }
}

export class Tree {
  readonly entries = new Map<string, Stored>();
  /** Folder → the names directly below it that have an entry or something below them. */
  private readonly kids = new Map<string, Set<string>>();
  /** Folder → how many live (not whiteout) entries sit anywhere below it. */
  private readonly live = new Map<string, number>();
  bytes = 0;
  /** When its contents were taken (a ConfigMap volume's last refresh). */
  at?: number;
  /** Told of every change in the bytes it holds (the disks' running total). */
  onBytes?: (delta: number) => void;

  /** The entry at `rel`, a folder implied by something below it, or undefined. */
  get(rel: string): Entry | undefined {
    if (rel === '') return ROOT_DIR;
    const e = this.entries.get(rel);
    if (e) return isGone(e) ? undefined : e;
    return (this.live.get(rel) ?? 0) > 0 ? IMPLIED_DIR : undefined;
  }

  gone(rel: string): boolean {
    return isGone(this.entries.get(rel));
  }

  /** Names directly below `rel` that exist, and those removed by a whiteout (returned apart). */
  children(rel: string): { names: Set<string>; gone: Set<string> } {
    const names = new Set<string>();
    const gone = new Set<string>();
    for (const n of this.kids.get(rel) ?? []) {
      const p = rel ? `${rel}/${n}` : n;
      const e = this.entries.get(p);
      if (isGone(e)) gone.add(n);
      else if (e || (this.live.get(p) ?? 0) > 0) names.add(n);
    }
    return { names, gone };
  }

  /** Sets an entry; `capped` (the default) refuses a new one past MAX_ENTRIES. The root cannot be set. */
  set(rel: string, e: Stored, capped = true): void {
    if (rel === '') throw new FsError('EINVAL');
    const old = this.entries.get(rel);
    if (!old && capped && this.entries.size >= MAX_ENTRIES) throw new FsError('ENOSPC');
    const delta = sizeOf(e) - sizeOf(old);
    this.bytes += delta;
    if (delta) this.onBytes?.(delta);
    this.entries.set(rel, e);
    if (!old) this.link(rel);
    const was = !!old && !isGone(old);
    const is = !isGone(e);
    if (was !== is) this.count(rel, is ? 1 : -1);
  }

  delete(rel: string): void {
    const old = this.entries.get(rel);
    if (!old) return;
    const delta = -sizeOf(old);
    this.bytes += delta;
    if (delta) this.onBytes?.(delta);
    this.entries.delete(rel);
    if (!isGone(old)) this.count(rel, -1);
    this.unlink(rel);
  }

  /** Removes `rel` and everything below it ('' empties the tree); answers how many entries went. */
  deleteTree(rel: string): number {
    let n = 0;
    for (const name of [...(this.kids.get(rel) ?? [])]) n += this.deleteTree(rel ? `${rel}/${name}` : name);
    if (rel !== '' && this.entries.has(rel)) { this.delete(rel); n++; }
    return n;
  }

  /** Every path below `rel` that has an entry (depth first), for walks that must see whiteouts too. */
  *below(rel: string): Iterable<string> {
    for (const name of this.kids.get(rel) ?? []) {
      const p = rel ? `${rel}/${name}` : name;
      if (this.entries.has(p)) yield p;
      yield* this.below(p);
    }
  }

  /** Adds `rel` to its parent's children, and the parent to its own, up to the root. */
  private link(rel: string): void {
    for (let p = rel; p !== ''; p = parentRel(p)) {
      const parent = parentRel(p);
      let set = this.kids.get(parent);
      if (!set) this.kids.set(parent, (set = new Set()));
      if (set.has(nameOf(p))) return;
      set.add(nameOf(p));
    }
  }

  /** Drops `rel` (and then empty ancestors) from the children index once nothing is there. */
  private unlink(rel: string): void {
    for (let p = rel; p !== ''; p = parentRel(p)) {
      if (this.entries.has(p) || this.kids.get(p)?.size) return;
      this.kids.delete(p);
      this.kids.get(parentRel(p))?.delete(nameOf(p));
    }
  }

  private count(rel: string, by: number): void {
    for (let p = parentRel(rel); ; p = parentRel(p)) {
      const n = (this.live.get(p) ?? 0) + by;
      if (n) this.live.set(p, n); else this.live.delete(p);
      if (p === '') return;
    }
  }
}

/** `/a/./b//c/../d` → `/a/b/d`; relative paths are taken from `cwd`. */
export function normalize(path: string, cwd = '/'): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const s of parts) { if (s === '..') out.pop(); else if (s && s !== '.') out.push(s); }
  return '/' + out.join('/');
}

/** A file to write: its path, its bytes or text, and its mode when it is not the tree's default. */
export type FileSpec = [path: string, data: string | Uint8Array, mode?: number];

/** A tree holding the given files, uncapped (kubelet-written files, a pinned subPath file); empty paths are skipped. */
export function treeOf(files: Iterable<FileSpec>, mtime = 0, mode = 0o644): Tree {
  const t = new Tree();
  fillTree(t, files, mtime, mode);
  return t;
}

/** Replaces a tree's files with these (paths normalised inside the tree; an empty one is skipped). */
export function fillTree(t: Tree, files: Iterable<FileSpec>, mtime: number, mode = 0o644): void {
  t.deleteTree('');
  for (const [path, data, own] of files) {
    const rel = normalize(path).slice(1);
    if (!rel) continue;
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
    t.set(rel, { dir: false, data: bytes, mode: own ?? mode, mtime }, false);
  }
}

/** A symbolic link entry to `target`. */
export function linkEntry(target: string, mtime: number): FileEntry {
  return { dir: false, data: new Uint8Array(Buffer.from(target, 'utf8')), mode: 0o777, mtime, link: target };
}

/**
 * `rel` with the symbolic links on its way followed inside the tree (all of them, or all but the last with
 * `followLast` false), as the kernel resolves a path; a link that leaves the tree or loops past 40 stays as it is.
 */
export function resolveLinks(t: Tree, rel: string, followLast = true): string {
  let parts = rel.split('/').filter(Boolean);
  let hops = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && !followLast) break;
    const here = parts.slice(0, i + 1).join('/');
    const e = t.entries.get(here);
    if (!e || isGone(e) || e.dir || e.link === undefined) continue;
    if (++hops > 40 || e.link.startsWith('/')) return rel;
    const to = parts.slice(0, i);
    for (const s of e.link.split('/')) {
      if (s === '..') { if (!to.length) return rel; to.pop(); } else if (s && s !== '.') to.push(s);
    }
    parts = [...to, ...parts.slice(i + 1)];
    i = -1;
  }
  return parts.join('/');
}
