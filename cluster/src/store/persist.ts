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
import { savedDisksProblem } from '../kubelet/disk';

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
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, STATE_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  const body = JSON.stringify({ format: FORMAT, version: VERSION, ...snap });
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
  if (isObj(d.extra) && d.extra.disks !== undefined) return savedDisksProblem(d.extra.disks);
  return undefined;
}

export function loadSnapshot(dir: string): LoadResult {
  const file = path.join(dir, STATE_FILE);
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
    why = problem(data);
  } catch (e) {
    why = `unreadable: ${(e as Error).message}`;
  }
  if (why) {
    const movedTo = `${file}.corrupt-${Date.now()}`;
    try {
      fs.renameSync(file, movedTo);
    } catch {
      /* leave it */
    }
    return { corrupt: why, movedTo };
  }
  return { snapshot: { rev: data.rev, time: data.time, rand: data.rand >>> 0, tables: data.tables, extra: isObj(data.extra) ? data.extra : undefined } };
}
