/**
 * busybox `tar` over a container's filesystem: create (`c`), extract (`x`)
 * and list (`t`), to and from a file or standard in/out (`-f -`), with `-C`,
 * `-v`, `-m`, `-o`, `-z` (gzip) and kubectl's `--no-same-permissions`/`--no-same-owner`.
 * This is what `kubectl cp` runs in the container: `tar cf - <path>` to copy
 * out and `tar -xmf - -C <dir>` to copy in. The archive format is node-tar's
 * (ustar headers, pax for long names); busybox's messages and exit codes.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Header, Parser, Pax } from 'tar';
import { normalize } from './disk';
import { ERRNO_TEXT, errnoOf, type FileContext } from './filecmds';
import type { CmdOut } from './netcmds';

const USAGE = 'BusyBox v1.36.1 multi-call binary.\n\nUsage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [FILE]...\n';

interface TarArgs { mode?: 'c' | 'x' | 't'; file?: string; dir?: string; verbose: boolean; gzip?: boolean; keepTime: boolean; keepPerms: boolean; files: string[]; bad?: string }

/** Old-style bundles (`cf`), dashed bundles (`-xmf`) and separate flags; `f` and `C` take the next operand. */
function parseArgs(argv: string[]): TarArgs {
  const a: TarArgs = { verbose: false, keepTime: true, keepPerms: true, files: [] };
  const queue = [...argv];
  let first = true;
  while (queue.length) {
    const arg = queue.shift()!;
    if (arg === '--no-same-permissions') { a.keepPerms = false; continue; }
    if (arg === '--no-same-owner' || arg === '--numeric-owner' || arg === '--overwrite') continue;
    if (arg.startsWith('--')) { a.bad = arg; continue; }
    const bundle = arg.startsWith('-') && arg.length > 1 ? arg.slice(1) : first && !arg.startsWith('/') ? arg : undefined;
    first = false;
    if (bundle === undefined) { a.files.push(arg); continue; }
    for (const ch of bundle) {
      if (ch === 'c' || ch === 'x' || ch === 't') a.mode = ch;
      else if (ch === 'f') a.file = queue.shift();
      else if (ch === 'C') a.dir = queue.shift();
      else if (ch === 'v') a.verbose = true;
      else if (ch === 'z') a.gzip = true;
      else if (ch === 'm') a.keepTime = false;
      else if (ch === 'o' || ch === 'p' || ch === 'h') continue;
      else a.bad = `-${ch}`;
    }
  }
  return a;
}

/** Whether `tar ARGS` reads its archive from standard input (extract or list with `-f -` or no `-f`). */
export function tarReadsStdin(args: string[]): boolean {
  const a = parseArgs(args);
  return (a.mode === 'x' || a.mode === 't') && (!a.file || a.file === '-');
}

/** The most a gzipped archive may expand to: the size of the playground's disks. */
const GUNZIP_LIMIT = 256 * 1024 * 1024;

const fail = (stderr: string, code = 1): CmdOut => ({ stdout: '', stderr, code });

export function tar(c: FileContext, argv: string[]): CmdOut {
  const a = parseArgs(argv);
  if (!a.mode || a.bad) return fail(a.bad ? `tar: unrecognized option '${a.bad}'\n${USAGE}` : USAGE);
  const base = a.dir !== undefined ? normalize(a.dir, c.cwd) : c.cwd;
  if (a.dir !== undefined) {
    const st = c.fs.stat(base);
    if (!st?.dir) return fail(`tar: can't change directory to '${a.dir}': ${st ? 'Not a directory' : 'No such file or directory'}\n`);
  }
  return a.mode === 'c' ? create(c, a, base) : extract(c, a, base);
}

function create(c: FileContext, a: TarArgs, base: string): CmdOut {
  if (!a.files.length) return fail('tar: empty archive\n');
  const blocks: Buffer[] = [];
  let stderr = '';
  let names = '';
  let failed = false;
  let warned = false;
  for (const f of a.files) {
    const abs = normalize(f, base);
    let walked;
    try { walked = c.fs.walk(abs); } catch (e) { stderr += `tar: ${f}: ${ERRNO_TEXT[errnoOf(e)]}\n`; failed = true; continue; }
    let member = f.replace(/\/+$/, '') || '/';
    if (member.startsWith('/')) {
      if (!warned) stderr += "tar: removing leading '/' from member names\n";
      warned = true;
      member = member.replace(/^\/+/, '');
    }
    for (const { rel, stat } of walked) {
      const path = [member, rel].filter(Boolean).join('/') + (stat.dir ? '/' : '');
      if (path === '/' || path === '') continue;
      // A symbolic link is archived as one (its target as written), not followed.
      const link = stat.link;
      const data = stat.dir || link !== undefined ? undefined : Buffer.from(c.fs.read(rel ? `${abs === '/' ? '' : abs}/${rel}` : abs));
      const type = stat.dir ? 'Directory' : link !== undefined ? 'SymbolicLink' : 'File';
      const h = new Header({ path, mode: stat.mode & 0o7777, uid: 0, gid: 0, uname: 'root', gname: 'root', size: data?.length ?? 0, mtime: new Date(stat.mtime), type, ...(link !== undefined ? { linkpath: link } : {}) });
      const block = Buffer.alloc(512);
      if (h.encode(block, 0)) blocks.push(new Pax({ path, mtime: new Date(stat.mtime) }).encode());
      blocks.push(block);
      if (data) {
        blocks.push(data);
        if (data.length % 512) blocks.push(Buffer.alloc(512 - (data.length % 512)));
      }
      names += path + '\n';
    }
  }
  blocks.push(Buffer.alloc(1024));
  const plain = Buffer.concat(blocks);
  const archive = new Uint8Array(a.gzip ? gzipSync(plain) : plain);
  if (failed) stderr += 'tar: error exit delayed from previous errors\n';
  const code = failed ? 1 : 0;
  const toStdout = !a.file || a.file === '-';
  if (!toStdout) {
    try { c.fs.write(normalize(a.file!, c.cwd), archive); } catch (e) { return fail(`tar: can't open '${a.file}': ${ERRNO_TEXT[errnoOf(e)]}\n`); }
  }
  // With the archive on stdout, the names `-v` prints go to stderr.
  if (a.verbose) { if (toStdout) stderr += names; }
  return { stdout: toStdout ? '' : a.verbose ? names : '', stderr, code, bin: toStdout ? archive : undefined };
}

interface Member { path: string; type: string; mode: number; mtime: number; data: Buffer; size: number }

/** Reads an archive's members; an error text when it is not one. */
function readArchive(bytes: Uint8Array): { members: Member[]; short: boolean } | string {
  if (!bytes.length) return 'tar: short read\n';
  // Nothing but end-of-archive blocks: an empty archive, which busybox reads without a word.
  if (bytes.length >= 512 && bytes.every((b) => b === 0)) return { members: [], short: false };
  const members: Member[] = [];
  let bad = false;
  const p = new Parser({
    onReadEntry: (e: any) => {
      const chunks: Buffer[] = [];
      e.on('data', (d: Buffer) => chunks.push(d));
      e.on('end', () => members.push({ path: String(e.path), type: String(e.type), mode: e.mode ?? 0o644, mtime: e.mtime ? e.mtime.getTime() : 0, data: Buffer.concat(chunks), size: e.size ?? 0 }));
    },
  } as any);
  p.on('warn', (code: string) => { if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ENTRY_INVALID') bad = true; });
  p.on('error', () => { bad = true; });
  try { p.end(Buffer.from(bytes)); } catch { bad = true; }
  if (bad && !members.length) return bytes.length < 512 ? 'tar: short read\n' : 'tar: invalid tar magic\n';
  // An archive cut off inside a member: what came before is extracted, the cut member in part, then busybox stops.
  return { members, short: bad };
}

/**
 * busybox's strip_unsafe_prefix: leading `/` and `../`, and everything up
 * to the last `/../`, go, so nothing lands outside the target folder.
 */
function stripUnsafePrefix(name: string): string {
  let at = 0;
  for (;;) {
    if (name[at] === '/') { at++; continue; }
    if (name.startsWith('../', at)) { at += 3; continue; }
    const up = name.indexOf('/../', at);
    if (up < 0) break;
    at = up + 4;
  }
  return name.slice(0, at);
}

function extract(c: FileContext, a: TarArgs, base: string): CmdOut {
  let bytes: Uint8Array;
  if (!a.file || a.file === '-') bytes = c.stdinBytes ?? new Uint8Array(Buffer.from(c.stdin, 'utf8'));
  else {
    try { bytes = c.fs.read(normalize(a.file, c.cwd)); } catch (e) { return fail(`tar: can't open '${a.file}': ${ERRNO_TEXT[errnoOf(e)]}\n`); }
  }
  if (a.gzip) {
    // No more than the disks can hold comes out: past that, a full disk's error (a gzip bomb stops there).
    try { bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: GUNZIP_LIMIT })); } catch (e) {
      if ((e as any)?.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return fail('tar: write error: No space left on device\n');
      return fail(bytes.length ? 'tar: invalid magic\n' : 'tar: short read\n');
    }
  }
  const read = readArchive(bytes);
  if (typeof read === 'string') return fail(read);
  const { members, short } = read;
  let stdout = '', stderr = '';
  let warned = false;
  for (const m of members) {
    if (a.mode === 't') {
      stdout += a.verbose ? listLine(m) : m.path + '\n';
      continue;
    }
    const prefix = stripUnsafePrefix(m.path);
    if (prefix && !warned) {
      stderr += `tar: removing leading '${prefix}' from member names\n`;
      warned = true;
    }
    const rel = m.path.slice(prefix.length);
    if (!rel || rel.split('/').includes('..')) continue;
    const abs = normalize(rel, base);
    if (abs === base) continue;
    const mode = a.keepPerms ? m.mode & 0o7777 : m.mode & 0o7755;
    try {
      const parent = abs.slice(0, abs.lastIndexOf('/')) || '/';
      if (!c.fs.stat(parent)) c.fs.mkdir(parent, true);
      if (m.type === 'Directory') {
        if (!c.fs.stat(abs)?.dir) c.fs.mkdir(abs, false, mode || 0o755);
      } else if (m.type === 'File' || m.type === 'OldFile' || m.type === 'ContiguousFile') {
        c.fs.write(abs, new Uint8Array(m.data), false, mode || 0o644);
        if (a.keepTime && m.mtime) c.fs.setTime(abs, m.mtime);
      } else {
        continue; // links, devices and fifos are not simulated
      }
    } catch (e) {
      return { stdout, stderr: stderr + `tar: can't open '${rel}': ${ERRNO_TEXT[errnoOf(e)]}\n`, code: 1 };
    }
    if (a.verbose) stdout += m.path + '\n';
  }
  return short ? { stdout, stderr: stderr + 'tar: short read\n', code: 1 } : { stdout, stderr, code: 0 };
}

function listLine(m: Member): string {
  const d = new Date(m.mtime);
  const p = (n: number) => String(n).padStart(2, '0');
  const bits = 'rwxrwxrwx';
  let mode = m.type === 'Directory' ? 'd' : '-';
  for (let i = 0; i < 9; i++) mode += m.mode & (1 << (8 - i)) ? bits[i] : '-';
  const when = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${mode} root/root ${String(m.size).padStart(9)} ${when} ${m.path}\n`;
}
