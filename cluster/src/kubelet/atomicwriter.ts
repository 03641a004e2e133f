/**
 * How the kubelet lays out a ConfigMap, Secret, downward API or projected
 * volume (pkg/volume/util/atomic_writer.go): the files live in a hidden
 * timestamped folder, `..data` is a symbolic link to it, and each top-level
 * name is a link `name -> ..data/name`. An update writes a new timestamped
 * folder and swaps `..data`, which is why `ls -la` of such a volume shows
 * links, and why the docs say to follow them to see a file's mode.
 */
import { isGone, linkEntry, normalize, type FileSpec, type Tree } from './tree';
import { fnv } from '../runtime/hash';

/** atomic_writer.go's dataDirName. */
export const DATA_DIR = '..data';

/** A uint32 from the text (FNV-1a): the digits os.MkdirTemp appends, fixed per content so a replay names it alike. */
function digits(text: string): string {
  return String(fnv(text));
}

/** newTimestampDir: `..` + the UTC time as Go's "2006_01_02_15_04_05." + MkdirTemp's random number. */
function timestampDir(mtime: number, salt: string): string {
  const d = new Date(mtime);
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${digits(`${salt}@${mtime}`)}`;
}

/**
 * Replaces the tree with the payload in the atomic writer's layout: the files (with their modes) under a new
 * timestamped folder (0755, as newTimestampDir chmods it; folders inside made 0755 by MkdirAll under the kubelet's
 * umask), `..data` linking to it, and one link per top-level name (createUserVisibleFiles).
 */
export function writeAtomic(t: Tree, files: Iterable<FileSpec>, mtime: number, salt = ''): void {
  t.deleteTree('');
  const ts = timestampDir(mtime, salt);
  t.set(ts, { dir: true, mode: 0o755, mtime }, false);
  const visible = new Set<string>();
  for (const [path, data, mode] of files) {
    const rel = normalize(path).slice(1);
    if (!rel) continue;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${ts}/${parts.slice(0, i).join('/')}`;
      if (!t.entries.has(dir)) t.set(dir, { dir: true, mode: 0o755, mtime }, false);
    }
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
    t.set(`${ts}/${rel}`, { dir: false, data: bytes, mode: mode ?? 0o644, mtime }, false);
    visible.add(parts[0]);
  }
  t.set(DATA_DIR, linkEntry(ts, mtime), false);
  for (const name of visible) t.set(name, linkEntry(`${DATA_DIR}/${name}`, mtime), false);
}

/** Whether the tree's current data folder holds exactly this payload (shouldWritePayload: else nothing is rewritten). */
export function samePayload(t: Tree, files: FileSpec[]): boolean {
  const data = t.entries.get(DATA_DIR);
  const ts = data && !isGone(data) && !data.dir ? data.link : undefined;
  if (ts === undefined) return false;
  let count = 0;
  for (const p of t.below(ts)) { const e = t.entries.get(p); if (e && !isGone(e) && !e.dir) count++; }
  if (count !== files.length) return false;
  for (const [path, bytes, mode] of files) {
    const e = t.entries.get(`${ts}/${normalize(path).slice(1)}`);
    if (!e || isGone(e) || e.dir || e.mode !== (mode ?? 0o644)) return false;
    if (!Buffer.from(e.data).equals(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes))) return false;
  }
  return true;
}
