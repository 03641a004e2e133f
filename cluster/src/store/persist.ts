/**
 * Saving and restoring the store. A save writes a temporary file, fsyncs it
 * and renames it over the old one (then fsyncs the folder), so a crash leaves
 * either the old state or the new one, never half of each. A file that does
 * not parse or has the wrong shape is moved aside and the playground starts
 * fresh rather than failing or loading something half-valid.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KObject } from '../contract';
import { savedDisksProblem, type SavedDisks } from '../kubelet/disk';

export const STATE_FILE = 'state.json';
const FORMAT = 'kubeplay-state';
const VERSION = 1;

export interface Snapshot {
  rev: number;
  time: number;
  rand: number;
  tables: Record<string, KObject[]>;
  /** Anything else a part wants kept (e.g. counters). */
  extra?: Record<string, unknown>;
}

export function saveSnapshot(dir: string, snap: Snapshot): void {
  writeAtomic(dir, STATE_FILE, JSON.stringify({ format: FORMAT, version: VERSION, ...snap }));
}

/** Writes `name` in `dir` as a whole: a temporary file, fsynced, renamed over the old one, then the folder fsynced. */
function writeAtomic(dir: string, name: string, body: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    /* some platforms cannot fsync a directory */
  }
}

/**
 * What containers wrote (kubelet/disk.ts) is kept in a file of its own,
 * written only when it changed, so a big disk does not slow every save of
 * the cluster, and a damaged disks file costs the files alone, never the
 * cluster.
 */
export const DISKS_FILE = 'disks.json';
const DISKS_FORMAT = 'kubeplay-disks';

export function saveDisks(dir: string, disks: SavedDisks): void {
  writeAtomic(dir, DISKS_FILE, JSON.stringify({ format: DISKS_FORMAT, version: VERSION, ...disks }));
}

export type DisksLoad = { disks: SavedDisks } | { missing: true } | { corrupt: string; movedTo: string };

export function loadDisks(dir: string): DisksLoad {
  const r = readChecked(dir, DISKS_FILE, (data) =>
    !isObj(data) || data.format !== DISKS_FORMAT ? 'not a kubeplay disks file' : data.version !== VERSION ? `unsupported version ${data.version}` : savedDisksProblem(data));
  return 'data' in r ? { disks: { trees: r.data.trees } } : r;
}

/**
 * Reads a JSON file of the state folder and checks it; one that does not
 * parse or fails the check is moved aside (never loaded half-valid).
 */
function readChecked(dir: string, name: string, check: (data: any) => string | undefined): { data: any } | { missing: true } | { corrupt: string; movedTo: string } {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { missing: true };
  }
  let why: string | undefined;
  let data: any;
  try {
    data = JSON.parse(text);
    why = check(data);
  } catch (e) {
    why = `unreadable: ${(e as Error).message}`;
  }
  return why ? { corrupt: why, movedTo: moveAside(file) } : { data };
}

function moveAside(file: string): string {
  const movedTo = `${file}.corrupt-${Date.now()}`;
  try {
    fs.renameSync(file, movedTo);
  } catch {
    /* leave it */
  }
  return movedTo;
}

export type LoadResult = { snapshot: Snapshot } | { missing: true } | { corrupt: string; movedTo: string };

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks every part of a parsed snapshot; answers why it is unusable, or undefined. */
function problem(d: any): string | undefined {
  if (!isObj(d) || d.format !== FORMAT) return 'not a kubeplay state file';
  if (d.version !== VERSION) return `unsupported version ${d.version}`;
  if (!Number.isInteger(d.rev) || d.rev < 1) return 'bad revision';
  if (typeof d.time !== 'number' || !Number.isFinite(d.time)) return 'bad time';
  if (!isObj(d.tables)) return 'bad tables';
  for (const [id, list] of Object.entries(d.tables)) {
    if (!/^[a-z0-9.-]*\/[a-z0-9]+$/.test(id) || !Array.isArray(list)) return `bad table ${id}`;
    for (const o of list as unknown[]) {
      if (!isObj(o) || !isObj(o.metadata) || typeof o.metadata.name !== 'string' || !o.metadata.name) return `bad object in ${id}`;
      const rv = Number(o.metadata.resourceVersion);
      if (!Number.isInteger(rv) || rv > d.rev) return `bad resourceVersion in ${id}`;
    }
  }
  return undefined;
}

export function loadSnapshot(dir: string): LoadResult {
  const r = readChecked(dir, STATE_FILE, problem);
  if (!('data' in r)) return r;
  const data = r.data;
  return { snapshot: { rev: data.rev, time: data.time, rand: data.rand >>> 0, tables: data.tables, extra: isObj(data.extra) ? data.extra : undefined } };
}

/** The service-account signing key (PKCS#8 PEM), as kubeadm keeps sa.key: tokens issued before a restart stay valid. */
export const SA_KEY_FILE = 'sa.key';

export function saveServiceAccountKey(dir: string, pem: string): void {
  writeAtomic(dir, SA_KEY_FILE, pem);
}

/** The kept key, or undefined when there is none or it is not a PEM private key (a new one is made then). */
export function loadServiceAccountKey(dir: string): string | undefined {
  try {
    const text = fs.readFileSync(path.join(dir, SA_KEY_FILE), 'utf8');
    return /-----BEGIN PRIVATE KEY-----/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
