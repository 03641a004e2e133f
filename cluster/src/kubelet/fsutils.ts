/**
 * busybox's applets that walk or describe the filesystem: `find`, `du`,
 * `stat`, `readlink` and `ln`, over a container's filesystem (disk.ts), with
 * the words, formats and exit codes of busybox 1.37's findutils/find.c,
 * coreutils/du.c, coreutils/stat.c, coreutils/readlink.c and coreutils/ln.c.
 */
import { normalize, type Stat } from './disk';
import { casePattern } from './shellsyntax';
import type { CmdOut } from './netcmds';
import { ERRNO_TEXT, errnoOf, modeString, usage, type FileContext } from './filecmds';
import { fnv } from '../runtime/hash';

const join = (dir: string, name: string) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/** 512-byte blocks a file takes on a 4 KiB-block disk; a symbolic link keeps its target in its inode. */
const blocks = (st: Stat) => (st.link !== undefined ? 0 : st.dir ? 8 : Math.ceil(st.size / 4096) * 8);

/** Names in a folder, or none when it cannot be read. */
function names(c: FileContext, abs: string): string[] {
  try { return c.fs.list(abs); } catch { return []; }
}

type Test = (path: string, st: Stat, depth: number) => boolean;

/**
 * `find [PATH]... [EXPRESSION]`: `-name`/`-iname` (a pattern on the last name, as fnmatch without flags: `*`
 * matches a leading dot), `-path`, `-type f|d|l`, `-maxdepth N`, `-mindepth N`, `-print`, `!`/`-not`, `-a`,
 * `-o`. Symbolic links are not followed. Paths go depth first, a folder before what is in it.
 */
export function find(c: FileContext, args: string[]): CmdOut {
  let i = 0;
  const starts: string[] = [];
  while (i < args.length && !args[i].startsWith('-') && args[i] !== '!' && args[i] !== '(') starts.push(args[i++]);
  let maxDepth = Infinity, minDepth = 0;
  // The expression as or-groups of and-ed tests (`-a` is implied between tests, `-o` splits groups).
  const groups: Test[][] = [[]];
  let negate = false;
  const add = (t: Test) => { const n = negate; groups[groups.length - 1].push(n ? (p, s, d) => !t(p, s, d) : t); negate = false; };
  const need = (opt: string): string | CmdOut => (i < args.length ? args[i++] : { stdout: '', stderr: `find: ${opt} requires an argument\n`, code: 1 });
  while (i < args.length) {
    const a = args[i++];
    if (a === '!' || a === '-not') { negate = !negate; continue; }
    if (a === '-a' || a === '-and') continue;
    if (a === '-o' || a === '-or') { groups.push([]); continue; }
    if (a === '-print') { add(() => true); continue; }
    if (a === '-name' || a === '-iname' || a === '-path' || a === '-type' || a === '-maxdepth' || a === '-mindepth') {
      const v = need(a);
      if (typeof v !== 'string') return v;
      if (a === '-maxdepth' || a === '-mindepth') {
        // xatoi_positive: a number or the end.
        if (!/^\d+$/.test(v)) return { stdout: '', stderr: `find: invalid number '${v}'\n`, code: 1 };
        if (a === '-maxdepth') maxDepth = Number(v); else minDepth = Number(v);
        continue;
      }
      if (a === '-type') {
        if (!/^[fdlbcps]$/.test(v)) return { stdout: '', stderr: `find: invalid argument '${v}' to '-type'\n`, code: 1 };
        add((_p, st) => (v === 'd' ? st.dir : v === 'l' ? st.link !== undefined : v === 'f' ? !st.dir && st.link === undefined : false));
        continue;
      }
      const re = casePattern(v);
      const folded = new RegExp(re.source, 'i');
      const last = (p: string) => p.replace(/\/+$/, '').slice(p.replace(/\/+$/, '').lastIndexOf('/') + 1) || '/';
      add(a === '-path' ? (p) => re.test(p) : a === '-iname' ? (p) => folded.test(last(p)) : (p) => re.test(last(p)));
      continue;
    }
    return { ...usage('find', '[-HL] [PATH]... [OPTIONS] [ACTIONS]'), stderr: `find: unrecognized: ${a}\n${usage('find', '[-HL] [PATH]... [OPTIONS] [ACTIONS]').stderr}` };
  }
  const matches = (p: string, st: Stat, d: number) => groups.some((g) => g.every((t) => t(p, st, d)));
  let out = '', err = '', code = 0;
  const visit = (path: string, abs: string, depth: number) => {
    const st = c.fs.lstat(abs);
    if (!st) { err += `find: ${path}: No such file or directory\n`; code = 1; return; }
    if (depth >= minDepth && matches(path, st, depth)) out += path + '\n';
    if (!st.dir || depth >= maxDepth) return;
    for (const n of names(c, abs)) visit(join(path, n), `${abs === '/' ? '' : abs}/${n}`, depth + 1);
  };
  for (const s of starts.length ? starts : ['.']) visit(s, normalize(s, c.cwd), 0);
  return { stdout: out, stderr: err, code };
}

/** busybox's make_human_readable_str for `du -h`: whole bytes below 1024, else one decimal and the unit. */
function human(bytes: number): string {
  if (bytes === 0) return '0';
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let val = bytes, frac = 0, u = 0;
  while (val >= 1024) { u++; frac = Math.floor(((val % 1024) * 10 + 512) / 1024); val = Math.floor(val / 1024); }
  if (frac >= 10) { val++; frac = 0; }
  return u ? `${val}.${frac}${units[u]}` : String(val);
}

/**
 * `du [-aschkm] [-d N] [FILE]...`: the 512-byte blocks of each folder and what is in it, printed after what is
 * below it, in KiB unless `-h` or `-m`; a file named on the command line is printed too, one below only with
 * `-a`; a file with hard links counts once (du.c's ino/dev hash).
 */
export function du(c: FileContext, args: string[]): CmdOut {
  const files: string[] = [];
  let all = false, total = false, unit = 1024, maxDepth = Infinity;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') { files.push(a); continue; }
    for (let k = 1; k < a.length; k++) {
      const f = a[k];
      if (f === 'a') all = true;
      else if (f === 's') maxDepth = 0;
      else if (f === 'c') total = true;
      else if (f === 'h') unit = 0;
      else if (f === 'k') unit = 1024;
      else if (f === 'm') unit = 1024 * 1024;
      else if (f === 'd') {
        const v = a.slice(k + 1) || args[++i];
        if (v === undefined || !/^\d+$/.test(v)) return { stdout: '', stderr: v === undefined ? "du: option requires an argument -- 'd'\n" : `du: invalid number '${v}'\n`, code: 1 };
        maxDepth = Number(v);
        break;
      } else if (!'HLlxb'.includes(f)) return { stdout: '', stderr: `du: invalid option -- '${f}'\n${usage('du', '[-aHLdclsxhmk] [FILE]...').stderr}`, code: 1 };
    }
  }
  // du.c's print: sizes are 512-byte blocks; a fixed unit rounds up (DESKTOP), -h rounds to the nearest tenth.
  const shown = (blk: number) => {
    if (!unit) return human(blk * 512);
    const size = blk + Math.floor((unit - 1) / 1024);
    return String(Math.floor((size * 512 + unit / 2) / unit));
  };
  const seen = new Set<number>();
  let out = '', err = '', code = 0;
  const walk = (path: string, abs: string, depth: number): number => {
    const st = c.fs.lstat(abs);
    if (!st) { err += `du: ${path}: No such file or directory\n`; code = 1; return 0; }
    if (st.links && st.links > 1 && st.ino !== undefined) { if (seen.has(st.ino)) return 0; seen.add(st.ino); }
    let sum = blocks(st);
    if (st.dir) for (const n of names(c, abs)) sum += walk(join(path, n), `${abs === '/' ? '' : abs}/${n}`, depth + 1);
    else if (!all && depth !== 0) return sum;
    if (depth <= maxDepth) out += `${shown(sum)}\t${path}\n`;
    return sum;
  };
  let sum = 0;
  for (const f of files.length ? files : ['.']) sum += walk(f, normalize(f, c.cwd), 0);
  if (total) out += `${shown(sum)}\ttotal\n`;
  return { stdout: out, stderr: err, code };
}

/** A stable made-up inode number for a path (the simulation keeps none). */
function inodeOf(abs: string, st: Stat): number {
  if (st.ino !== undefined) return 1_000_000 + st.ino;
  return (fnv(abs) % 9_000_000) + 1_000_000;
}

/** stat's human_time: local time (UTC in the image) with nanoseconds and the zone. */
function statTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0')} +0000`;
}

/**
 * print_it's `%[#-+.I 0-9]*X` sequences: each is filled from `fields` (a letter it lacks prints as itself, as
 * print_stat's default case does), padded as printf pads it; `%%` and a trailing `%` print `%`.
 */
const INT_MAX = 2 ** 31 - 1;
const MAX_WIDTH = 1 << 20;

function printIt(format: string, fields: Record<string, string>): string {
  return format.replace(/%([#\-+.I 0-9]*)(.?)/g, (_m, mods: string, k: string) => {
    if (k === '' || k === '%') return '%';
    let v = fields[k] ?? k;
    const m = /^([-0#+ I]*)(\d*)(?:\.(\d*))?$/.exec(mods);
    if (!m) return v;
    if (m[3] !== undefined && !/^\d+$/.test(v)) v = v.slice(0, Number(m[3] || 0));
    // printf's width is a C int: past INT_MAX glibc refuses the conversion (EOVERFLOW) and prints nothing; a width
    // that fits but no terminal could show is held to a megabyte, so that a typo cannot exhaust the shell's memory.
    const asked = Number(m[2] || 0);
    if (asked > INT_MAX) return '';
    const width = Math.min(asked, MAX_WIDTH);
    if (v.length >= width) return v;
    if (m[1].includes('-')) return v.padEnd(width);
    return m[1].includes('0') && /^[0-9a-f]+$/.test(v) ? v.padStart(width, '0') : v.padStart(width);
  }) + '\n';
}

/**
 * The container's root as statfs(2) describes it: an overlay (whose magic busybox's human_fstype does not know,
 * so `UNKNOWN`) on the node's 100Gi disk, with made-up block and inode counts that stay the same.
 */
const OVERLAY_STATFS = { i: '9e3779b97f4a7c15', l: '255', t: '794c7630', T: 'UNKNOWN', s: '4096', S: '4096', b: '26214400', f: '23068672', a: '21757952', c: '6553600', d: '6291456' };

/** The type bits of st_mode, which %f prints with the permissions in hex. */
const typeBits = (st: Stat) => (st.link !== undefined ? 0o120000 : st.dir ? 0o040000 : 0o100000);

/**
 * `stat [-tLf] [-c FMT] FILE...` (getopt32 "tLfc:", at least one FILE; options may follow files, `--` ends them):
 * stat.c's default format (`  File: …`, `  Size: …`, …, `Change: …`), `-t` its terse line, `-f` the filesystem's
 * status (do_statfs) in its default or terse format, `-c` a format of its sequences. Without `-L` a symbolic link is
 * described itself. Any other letter is getopt's `invalid option` and the usage, as is `-c` without its argument.
 */
export function stat(c: FileContext, args: string[]): CmdOut {
  let follow = false, terse = false, fsys = false, format: string | undefined, ended = false;
  const files: string[] = [];
  const refuse = (why: string): CmdOut => ({ stdout: '', stderr: `stat: ${why}\n${usage('stat', '[-ltf] [-c FMT] FILE...').stderr}`, code: 1 });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (ended || a.length < 2 || a[0] !== '-') { files.push(a); continue; }
    if (a === '--') { ended = true; continue; }
    if (a.startsWith('--')) return refuse(`unrecognized option '${a}'`);
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'L') follow = true;
      else if (f === 't') terse = true;
      else if (f === 'f') fsys = true;
      else if (f === 'c') {
        format = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (format === undefined) return refuse("option requires an argument -- 'c'");
        break;
      } else return refuse(`invalid option -- '${f}'`);
    }
  }
  if (!files.length) return usage('stat', '[-ltf] [-c FMT] FILE...');
  let out = '', err = '';
  if (fsys) {
    for (const f of files) {
      if (!c.fs.stat(normalize(f, c.cwd))) { err += `stat: can't read file system information for '${f}': No such file or directory\n`; continue; }
      const fmt = format ?? (terse ? '%n %i %l %t %s %b %f %a %c %d'
        : '  File: "%n"\n    ID: %-8i Namelen: %-7l Type: %T\nBlock size: %-10s\nBlocks: Total: %-10b Free: %-10f Available: %a\nInodes: Total: %-10c Free: %d');
      out += printIt(fmt, { ...OVERLAY_STATFS, n: f });
    }
    return { stdout: out, stderr: err, code: err ? 1 : 0 };
  }
  const user = (uid: number) => { const n = c.names?.user(uid) ?? (uid ? String(uid) : 'root'); return n === String(uid) ? 'UNKNOWN' : n; };
  const group = (gid: number) => { const n = c.names?.group(gid) ?? (gid ? String(gid) : 'root'); return n === String(gid) ? 'UNKNOWN' : n; };
  for (const f of files) {
    const abs = normalize(f, c.cwd);
    const st = follow ? c.fs.stat(abs) : c.fs.lstat(abs);
    if (!st) { err += `stat: can't stat '${f}': No such file or directory\n`; continue; }
    const type = st.link !== undefined ? 'symbolic link' : st.dir ? 'directory' : st.size === 0 ? 'regular empty file' : 'regular file';
    const perm = (st.mode & 0o7777).toString(8).padStart(4, '0');
    const links = st.dir ? 2 + names(c, abs).filter((n) => c.fs.lstat(`${abs === '/' ? '' : abs}/${n}`)?.dir).length : st.links ?? 1;
    const name = st.link !== undefined ? `'${f}' -> '${st.link}'` : f;
    if (format !== undefined || terse) {
      const secs = String(Math.floor(st.mtime / 1000));
      const fields: Record<string, string> = {
        n: f, N: name, s: String(st.size), a: (st.mode & 0o7777).toString(8), A: modeString(st), U: user(st.uid), G: group(st.gid),
        u: String(st.uid), g: String(st.gid), F: type, h: String(links), i: String(inodeOf(abs, st)), b: String(blocks(st)), B: '512', o: '4096',
        f: (typeBits(st) | (st.mode & 0o7777)).toString(16), d: '47', D: '2f', t: '0', T: '0',
        x: statTime(st.mtime), y: statTime(st.mtime), z: statTime(st.mtime), X: secs, Y: secs, Z: secs,
      };
      out += printIt(format ?? '%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o', fields);
      continue;
    }
    out += `  File: ${name}\n`
      + `  Size: ${String(st.size).padEnd(10)}\tBlocks: ${String(blocks(st)).padEnd(10)} IO Block: ${'4096'.padEnd(6)} ${type}\n`
      + `Device: 2fh/47d\tInode: ${String(inodeOf(abs, st)).padEnd(10)}  Links: ${links}\n`
      + `Access: (${perm}/${modeString(st)})  Uid: (${String(st.uid).padStart(5)}/${user(st.uid).padStart(8)})   Gid: (${String(st.gid).padStart(5)}/${group(st.gid).padStart(8)})\n`
      + `Access: ${statTime(st.mtime)}\nModify: ${statTime(st.mtime)}\nChange: ${statTime(st.mtime)}\n`;
  }
  return { stdout: out, stderr: err, code: err ? 1 : 0 };
}

/**
 * `readlink [-fnv] FILE`: a symbolic link's target as written; `-f` the path with every link followed, whose last
 * part need not exist (xmalloc_realpath_coreutils). Failures are silent but for the status, unless `-v`.
 */
export function readlink(c: FileContext, args: string[]): CmdOut {
  const flags = new Set<string>();
  const files: string[] = [];
  for (const a of args) if (a.length > 1 && a.startsWith('-')) for (const f of a.slice(1)) flags.add(f); else files.push(a);
  for (const f of flags) if (!'fnvsq'.includes(f)) return { stdout: '', stderr: `readlink: invalid option -- '${f}'\n${usage('readlink', '[-fnv] FILE').stderr}`, code: 1 };
  if (files.length !== 1) return usage('readlink', '[-fnv] FILE');
  const f = files[0];
  const nl = flags.has('n') ? '' : '\n';
  // libbb's xmalloc_readlink_or_warn words it (EINVAL: `not a symlink`); coreutils' readlink is silent, so busybox
  // is too unless -v.
  const fail = (why: string) => ({ stdout: '', stderr: flags.has('v') ? `readlink: ${f}: cannot read link: ${why}\n` : '', code: 1 });
  const abs = normalize(f, c.cwd);
  if (flags.has('f')) {
    // The folder must resolve; the last name may be missing.
    const slash = abs.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : abs.slice(0, slash);
    const pst = c.fs.stat(parent);
    if (!pst || !pst.dir) return { stdout: '', stderr: '', code: 1 };
    return { stdout: realPath(c, abs) + nl, stderr: '', code: 0 };
  }
  const st = c.fs.lstat(abs);
  if (!st) return fail(ERRNO_TEXT.ENOENT);
  if (st.link === undefined) return fail('not a symlink');
  return { stdout: st.link + nl, stderr: '', code: 0 };
}

/** The path with every symbolic link on it followed (a relative target from its folder). */
function realPath(c: FileContext, abs: string): string {
  let parts = abs.split('/').filter(Boolean);
  for (let i = 0, hops = 0; i < parts.length && hops <= 40; i++) {
    const here = '/' + parts.slice(0, i + 1).join('/');
    const st = c.fs.lstat(here);
    if (st?.link === undefined) continue;
    hops++;
    parts = [...normalize(st.link, '/' + parts.slice(0, i).join('/')).split('/').filter(Boolean), ...parts.slice(i + 1)];
    i = -1;
  }
  return '/' + parts.join('/');
}

/**
 * `ln [-sfnv] TARGET... LINK|DIR`: a symbolic link with `-s` (its target kept as written), else a hard link, which
 * the simulation makes as a copy of the file (the two do not share later changes). Into DIR under the target's
 * name; `-f` replaces what is there; `-n` does not go into a link to a folder.
 */
export function ln(c: FileContext, args: string[]): CmdOut {
  const flags = new Set<string>();
  const ops: string[] = [];
  for (const a of args) if (a.length > 1 && a.startsWith('-') && !ops.length) for (const f of a.slice(1)) flags.add(f); else ops.push(a);
  for (const f of flags) if (!'sfnbvT'.includes(f)) return { stdout: '', stderr: `ln: invalid option -- '${f}'\n${usage('ln', '[-sfnbtv] [-S SUF] TARGET... LINK|DIR').stderr}`, code: 1 };
  if (!ops.length) return usage('ln', '[-sfnbtv] [-S SUF] TARGET... LINK|DIR');
  // `ln TARGET` alone makes the link in the current folder under the target's last name.
  const last = ops.length === 1 ? ops[0].replace(/\/+$/, '').slice(ops[0].replace(/\/+$/, '').lastIndexOf('/') + 1) : ops[ops.length - 1];
  const targets = ops.length === 1 ? ops : ops.slice(0, -1);
  let out = '', err = '';
  for (const t of targets) {
    let dest = last;
    const dAbs = normalize(last, c.cwd);
    const into = flags.has('n') ? c.fs.lstat(dAbs) : c.fs.stat(dAbs);
    if (into?.dir) {
      if (flags.has('T')) return { stdout: out, stderr: err + `ln: '${last}' is a directory\n`, code: 1 };
      dest = join(last, t.replace(/\/+$/, '').slice(t.replace(/\/+$/, '').lastIndexOf('/') + 1));
    }
    const abs = normalize(dest, c.cwd);
    if (!flags.has('s') && !c.fs.stat(normalize(t, c.cwd))) { err += `ln: ${t}: No such file or directory\n`; continue; }
    if (flags.has('f') && c.fs.lstat(abs) && !c.fs.lstat(abs)!.dir) { try { c.fs.remove(abs); } catch { /* the link call says why */ } }
    if (flags.has('v')) out += `'${dest}' -> '${t}'\n`;
    try {
      if (flags.has('s')) c.fs.symlink(abs, t);
      else {
        const src = normalize(t, c.cwd);
        if (c.fs.stat(src)?.dir) throw Object.assign(new Error('EPERM'), { perm: true });
        if (c.fs.lstat(abs)) { err += `ln: ${dest}: File exists\n`; continue; }
        c.fs.write(abs, c.fs.read(src), false, c.fs.stat(src)!.mode);
      }
    } catch (e) {
      err += (e as { perm?: boolean }).perm ? `ln: ${dest}: Operation not permitted\n` : `ln: ${dest}: ${ERRNO_TEXT[errnoOf(e)]}\n`;
    }
  }
  return { stdout: out, stderr: err, code: err ? 1 : 0 };
}
