/**
 * busybox 1.36's `dd` (coreutils/dd.c) over a container's filesystem: blocks of `ibs` bytes read from `if=` (a
 * file, standard input, or one of the character devices /dev/zero, /dev/full, /dev/random, /dev/urandom, /dev/null)
 * and written as `obs`-byte blocks to `of=` (a file, or standard output), `count` of them at most, then the three
 * status lines on stderr. A write that fails (a full tmpfs or disk: ENOSPC) stops it with
 * `dd: error writing 'FILE': No space left on device` and status 1, what was written so far staying in the file.
 * What learners use it for is filling a disk or an emptyDir to see the kubelet react.
 */
import { FsError, normalize } from './disk';
import { ERRNO_TEXT, errnoOf, usage, type FileContext } from './filecmds';
import type { CmdOut } from './netcmds';

const USAGE = '[if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]\n'
  + '\t[conv=notrunc|noerror|sync|fsync]\n\t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]\n\n'
  + 'Copy a file with converting and formatting\n\n'
  + '\tif=FILE\t\tRead from FILE instead of stdin\n\tof=FILE\t\tWrite to FILE instead of stdout\n\tbs=N\t\tRead and write N bytes at a time\n'
  + '\tibs=N\t\tRead N bytes at a time\n\tobs=N\t\tWrite N bytes at a time\n\tcount=N\t\tCopy only N input blocks\n\tskip=N\t\tSkip N input blocks\n'
  + '\tseek=N\t\tSkip N output blocks\n\tconv=notrunc\tDon\'t truncate output file\n\tconv=noerror\tContinue after read errors\n'
  + '\tconv=sync\tPad blocks with zeros\n\tconv=fsync\tPhysically write data out before finishing\n\tconv=swab\tSwap every pair of bytes\n'
  + '\tiflag=skip_bytes\tskip=N is in bytes\n\tiflag=count_bytes\tcount=N is in bytes\n\toflag=seek_bytes\tseek=N is in bytes\n'
  + '\tiflag=direct\tO_DIRECT input\n\toflag=direct\tO_DIRECT output\n\tiflag=fullblock\tRead full blocks\n\toflag=append\tOpen output in append mode\n'
  + '\tstatus=noxfer\tSuppress rate output\n\tstatus=none\tSuppress all output\n\nN may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G';

/** cwbkMG_suffixes. */
const SUFFIXES: Record<string, number> = { c: 1, w: 2, b: 512, kB: 1000, kD: 1000, k: 1024, K: 1024, MB: 1_000_000, MD: 1_000_000, M: 1_048_576, GB: 1e9, GD: 1e9, G: 1_073_741_824 };
const WORDS: Record<string, string[]> = {
  conv: ['notrunc', 'sync', 'noerror', 'fsync', 'swab'], iflag: ['skip_bytes', 'count_bytes', 'fullblock', 'direct'], oflag: ['seek_bytes', 'append', 'direct'],
  status: ['none', 'noxfer'],
};
/** Devices that never end: what a read of them gives. */
const ENDLESS = new Set(['/dev/zero', '/dev/full', '/dev/random', '/dev/urandom']);
/** Devices a write goes nowhere on (/dev/full fails it instead, as the kernel's full device does). */
const DISCARD = new Set(['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom']);
/** An endless copy to a sink that never fills stops here (the simulation has no process to interrupt). */
const ENDLESS_CAP = 64 * 1_048_576;
/** A batch of blocks written at once. */
const BATCH = 4 * 1_048_576;

class Die extends Error {}

/** xatoul_sfx: a whole number with an optional suffix; anything else is busybox's "invalid number". */
function number(v: string): number {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(v);
  const mult = m ? (m[2] ? SUFFIXES[m[2]] : 1) : undefined;
  if (!m || mult === undefined) throw new Die(`dd: invalid number '${v}'\n`);
  return Number(m[1]) * mult;
}

/** make_human_readable_str(n, 1, 0): whole bytes below 1024, else one decimal and the unit. */
function human(n: number): string {
  if (n === 0) return '0';
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let val = Math.floor(n), frac = 0, u = 0;
  while (val >= 1024) { u++; frac = Math.floor(((val % 1024) * 10 + 512) / 1024); val = Math.floor(val / 1024); }
  if (frac >= 10) { val++; frac = 0; }
  return u ? `${val}.${frac}${units[u]}` : String(val);
}

/** The bytes an endless device gives: zeros, or (random devices) a fixed pseudo-random stream, the same every run. */
function deviceBytes(dev: string, n: number, state: { seed: number }): Uint8Array {
  const out = new Uint8Array(n);
  if (dev === '/dev/random' || dev === '/dev/urandom') {
    let s = state.seed;
    for (let i = 0; i < n; i++) { s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0; out[i] = s >>> 24; }
    state.seed = s;
  }
  return out;
}

export function dd(c: FileContext, args: string[]): CmdOut {
  try {
    return run(c, args);
  } catch (e) {
    if (e instanceof Die) return { stdout: '', stderr: e.message, code: 1 };
    throw e;
  }
}

function run(c: FileContext, args: string[]): CmdOut {
  let ibs = 512, obs = 512, count: number | undefined, skip = 0, seek = 0;
  let infile: string | undefined, outfile: string | undefined;
  const flags = new Set<string>();
  for (const arg of args) {
    if (arg === '--') continue;
    const eq = arg.indexOf('=');
    if (eq < 0) return usage('dd', USAGE);
    const key = arg.slice(0, eq), val = arg.slice(eq + 1);
    if (WORDS[key]) {
      for (const w of key === 'status' ? [val] : val.split(',')) {
        if (!WORDS[key].includes(w)) return { stdout: '', stderr: `dd: invalid argument '${w}' to '${key}'\n`, code: 1 };
        flags.add(`${key}=${w}`);
      }
      continue;
    }
    switch (key) {
      case 'bs': ibs = obs = number(val); break;
      case 'ibs': ibs = number(val); break;
      case 'obs': obs = number(val); break;
      case 'count': count = number(val); break;
      case 'skip': skip = number(val); break;
      case 'seek': seek = number(val); break;
      case 'if': infile = val; break;
      case 'of': outfile = val; break;
      default: return usage('dd', USAGE);
    }
    if ((key === 'bs' || key === 'ibs' || key === 'obs') && number(val) < 1) throw new Die(`dd: number ${val} is not in 1..9223372036854775807 range\n`);
  }
  const countBytes = flags.has('iflag=count_bytes');

  // The input: a device, a file's bytes, or standard input.
  const inAbs = infile === undefined ? undefined : normalize(infile, c.cwd);
  let source: Uint8Array | undefined;
  const endless = inAbs !== undefined && ENDLESS.has(inAbs);
  const rnd = { seed: 0x6b756265 };
  if (inAbs === '/dev/null') source = new Uint8Array(0);
  else if (!endless) {
    if (inAbs === undefined) source = c.stdinBytes ?? new Uint8Array(Buffer.from(c.stdin, 'utf8'));
    else {
      try { source = c.fs.read(inAbs); } catch (e) { throw new Die(`dd: can't open '${infile}': ${ERRNO_TEXT[errnoOf(e)]}\n`); }
    }
  }
  let at = skip * (flags.has('iflag=skip_bytes') ? 1 : ibs);
  const readBlock = (n: number): Uint8Array => {
    if (endless) return deviceBytes(inAbs!, n, rnd);
    const out = source!.subarray(Math.min(at, source!.length), Math.min(at + n, source!.length));
    at += out.length;
    return out;
  };

  // The output: a file (created, truncated unless seek= or conv=notrunc), a device, or standard output.
  const outAbs = outfile === undefined ? undefined : normalize(outfile, c.cwd);
  const shown = outfile ?? 'standard output';
  let before = new Uint8Array(0);
  let after: Uint8Array = new Uint8Array(0);
  const toFile = outAbs !== undefined && !DISCARD.has(outAbs) && outAbs !== '/dev/full';
  if (toFile) {
    let old: Uint8Array = new Uint8Array(0);
    try { old = c.fs.read(outAbs!); } catch (e) {
      if (errnoOf(e) !== 'ENOENT') throw new Die(`dd: can't open '${outfile}': ${ERRNO_TEXT[errnoOf(e)]}\n`);
    }
    const notrunc = flags.has('conv=notrunc');
    const offset = flags.has('oflag=append') ? old.length : seek * (flags.has('oflag=seek_bytes') ? 1 : obs);
    const kept = notrunc || seek || flags.has('oflag=append') ? old : new Uint8Array(0);
    // ftruncate(seek * obs) without notrunc: the file ends where writing starts (or is extended with zeros to it).
    before = new Uint8Array(offset);
    before.set(kept.subarray(0, offset));
    if (notrunc) after = old.subarray(offset);
    try { c.fs.write(outAbs!, before, false); } catch (e) { throw new Die(`dd: can't open '${outfile}': ${ERRNO_TEXT[errnoOf(e)]}\n`); }
  }

  let inFull = 0, inPart = 0, outFull = 0, outPart = 0, total = 0;
  const stdout: Uint8Array[] = [];
  let failed: string | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let obuf: Uint8Array[] = [];
  let obufBytes = 0;
  /** write_and_stats for each output block, the blocks of a batch written at once. */
  const flush = () => {
    if (!pendingBytes || failed) return;
    const blocks = pending;
    const data = blocks.length === 1 ? blocks[0] : new Uint8Array(Buffer.concat(blocks));
    pending = [];
    pendingBytes = 0;
    let written = data.length;
    if (toFile) {
      const had = c.fs.stat(outAbs!)?.size ?? 0;
      try { c.fs.write(outAbs!, data, true); } catch (e) {
        written = (c.fs.stat(outAbs!)?.size ?? had) - had;
        failed = `dd: error writing '${shown}': ${ERRNO_TEXT[errnoOf(e)]}\n`;
      }
    } else if (outAbs === '/dev/full') {
      written = 0;
      failed = `dd: error writing '${shown}': ${ERRNO_TEXT.ENOSPC}\n`;
    } else if (outAbs === undefined) stdout.push(data);
    total += written;
    let left = written;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      if (left < b.length) {
        // dd reads a block and writes it before it reads the next: the failed block was the last one read.
        if (failed) [inFull, inPart] = readAt[i];
        break;
      }
      left -= b.length;
      if (b.length === obs) outFull++; else outPart++;
    }
    readAt = [];
  };
  /** The input records read when each pending block was written. */
  let readAt: Array<[number, number]> = [];
  const emit = (block: Uint8Array) => {
    pending.push(block);
    readAt.push([inFull, inPart]);
    pendingBytes += block.length;
    if (pendingBytes >= BATCH) flush();
  };
  for (;;) {
    if (failed) break;
    let n = ibs;
    if (count !== undefined) {
      if (count <= 0) break;
      if (countBytes && count < ibs) n = count;
    }
    // An endless source into a sink that never fills is cut short (see ENDLESS_CAP).
    if (endless && count === undefined && !toFile && outAbs !== '/dev/full' && (inFull + inPart) * ibs >= ENDLESS_CAP) break;
    let block = readBlock(n);
    if (!block.length) break;
    if (count !== undefined) count -= countBytes ? block.length : 1;
    if (block.length === ibs) inFull++;
    else {
      inPart++;
      if (flags.has('conv=sync')) { const padded = new Uint8Array(ibs); padded.set(block); block = padded; }
    }
    if (ibs === obs) { emit(block); continue; }
    // Two buffers: the input is regrouped into obs-byte blocks.
    obuf.push(block);
    obufBytes += block.length;
    while (obufBytes >= obs) {
      const all = new Uint8Array(Buffer.concat(obuf));
      emit(all.subarray(0, obs));
      obuf = [all.subarray(obs)];
      obufBytes -= obs;
    }
  }
  if (!failed && obufBytes) emit(new Uint8Array(Buffer.concat(obuf)));
  flush();
  // conv=notrunc: what the file held past the written part stays.
  if (toFile && after.length > total) {
    try { c.fs.write(outAbs!, after.subarray(total), true); } catch (e) { if (!(e instanceof FsError)) throw e; }
  }
  let err = failed ?? '';
  if (!flags.has('status=none')) {
    err += `${inFull}+${inPart} records in\n${outFull}+${outPart} records out\n`;
    if (!flags.has('status=noxfer')) {
      // The copy takes no simulated time; the line shows what a node's page cache would make of it (about 1 GiB/s).
      const seconds = 0.000042 + total / 1_073_741_824;
      err += `${total} bytes (${human(total)}B) copied, ${seconds.toFixed(6)} seconds, ${human(Math.floor(total / seconds))}B/s\n`;
    }
  }
  const out: CmdOut = { stdout: '', stderr: err, code: failed ? 1 : 0 };
  if (stdout.length) out.bin = new Uint8Array(Buffer.concat(stdout));
  return out;
}
