/**
 * busybox's file commands over a container's filesystem (disk.ts): `ls`,
 * `cat`, `touch`, `mkdir`, `rm`, `rmdir`, `cp`, `mv`, `tee` and `test`/`[`
 * (`find`, `du`, `stat`, `readlink` and `ln` are in fsutils.ts),
 * with busybox 1.36's messages (checked against a real busybox) and exit codes.
 */
import { FsError, normalize, type ContainerFs, type Errno, type Stat } from './disk';
import type { CmdOut } from './netcmds';
import { casePattern, DOUBLE_AND, DOUBLE_OR, posixClass } from './shellsyntax';

/** strerror's words (glibc, as the default busybox image is built). */
export const ERRNO_TEXT: Record<Errno, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
};

export const errnoOf = (e: unknown): Errno => (e instanceof FsError ? e.code : 'EINVAL');

/** The shell's own view: where relative paths start, and the filesystem. */
export interface FileContext {
  fs: ContainerFs;
  cwd: string;
  now(): number;
  stdin: string;
  stdinBytes?: Uint8Array;
  /** The names the image's /etc/passwd and /etc/group give owners (absent: root for 0, else the number). */
  names?: { user(uid: number): string; group(gid: number): string };
  /** Standard output is a terminal this wide: ls prints its names in columns. */
  columns?: number;
  /** The image's programs are GNU coreutils' (Debian-based images), not busybox's: their formats and messages. */
  gnu?: boolean;
}

/**
 * A file name as GNU coreutils quotes it in its messages. `quoteaf` (ls's "cannot access", head's "cannot open")
 * always quotes, in the shell-escape style; `quotef` (cat, wc) only when the name needs it.
 */
export function gnuQuote(name: string, always = true): string {
  if (!always && /^[A-Za-z0-9_./:@%+,=-]+$/.test(name)) return name;
  return `'${name.replace(/'/g, "'\\''")}'`;
}

/**
 * busybox ls's display_files on a terminal: every column as wide as the longest name and one space, as many
 * columns as fit, filled top to bottom; the last name of a row is not padded.
 */
function inColumns(names: string[], width: number): string {
  if (!names.length) return '';
  const colWidth = Math.max(...names.map((n) => [...n].length)) + 1;
  const ncols = Math.max(1, Math.floor(width / colWidth));
  const nrows = Math.ceil(names.length / ncols);
  let out = '';
  for (let r = 0; r < nrows; r++) {
    const row: string[] = [];
    for (let c = 0; c < ncols; c++) {
      const i = c * nrows + r;
      if (i < names.length) row.push(names[i]);
    }
    out += row.map((n, k) => (k < row.length - 1 ? n + ' '.repeat(colWidth - [...n].length) : n)).join('') + '\n';
  }
  return out;
}

/**
 * GNU ls's columns on a terminal (src/ls.c calculate_columns and print_many_per_line): the most columns (up to a
 * third of the width) whose line fits, each as wide as its longest name plus two (the last one without), filled
 * top to bottom; the gap after a name is made of tabs where one reaches a tab stop (every 8 columns, the default
 * tab size), else spaces (indent).
 */
function gnuColumns(names: string[], width: number): string {
  const n = names.length;
  if (!n) return '';
  const len = names.map((x) => [...x].length);
  const maxCols = Math.min(Math.floor(width / 3) + (width % 3 !== 0 ? 1 : 0), n);
  let cols = 1;
  let widths: number[] = [len.reduce((a, b) => Math.max(a, b), 0)];
  for (let k = maxCols; k > 1; k--) {
    const rows = Math.ceil(n / k);
    const w = new Array<number>(k).fill(3);
    for (let f = 0; f < n; f++) { const col = Math.floor(f / rows); w[col] = Math.max(w[col], len[f] + (col === k - 1 ? 0 : 2)); }
    if (w.reduce((a, b) => a + b, 0) < width) { cols = k; widths = w; break; }
  }
  const rows = Math.ceil(n / cols);
  const indent = (from: number, to: number) => {
    let gap = '';
    while (from < to) {
      if (Math.floor(to / 8) > Math.floor((from + 1) / 8)) { gap += '\t'; from += 8 - (from % 8); } else { gap += ' '; from++; }
    }
    return gap;
  };
  let out = '';
  for (let r = 0; r < rows; r++) {
    let pos = 0;
    for (let col = 0, f = r; ; col++) {
      out += names[f];
      const next = f + rows;
      if (next >= n) break;
      out += indent(pos + len[f], pos + widths[col]);
      pos += widths[col];
      f = next;
    }
    out += '\n';
  }
  return out;
}

const ok = (stdout = ''): CmdOut => ({ stdout, stderr: '', code: 0 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Splits `-abc` flags (letters) from operands; `--` ends flags. */
function flagsOf(args: string[]): { flags: Set<string>; rest: string[] } {
  const flags = new Set<string>();
  const rest: string[] = [];
  let done = false;
  for (const a of args) {
    if (!done && a === '--') { done = true; continue; }
    if (!done && a.length > 1 && a.startsWith('-')) for (const c of a.slice(1)) flags.add(c);
    else rest.push(a);
  }
  return { flags, rest };
}

export function modeString(st: Stat): string {
  const bits = 'rwxrwxrwx';
  let s = st.link !== undefined ? 'l' : st.dir ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += st.mode & (1 << (8 - i)) ? bits[i] : '-';
  // setuid and setgid show in the owner's and the group's execute places, sticky in the others'.
  if (st.mode & 0o4000) s = s.slice(0, 3) + (st.mode & 0o100 ? 's' : 'S') + s.slice(4);
  if (st.mode & 0o2000) s = s.slice(0, 6) + (st.mode & 0o10 ? 's' : 'S') + s.slice(7);
  if (st.mode & 0o1000) s = s.slice(0, 9) + (st.mode & 1 ? 't' : 'T');
  return s;
}

/**
 * `ls -l`'s date: the time of day when the file is recent, else the year. busybox (coreutils/ls.c): less than
 * 365/2 days old and not more than 15 minutes ahead. GNU (src/ls.c print_long_format): after "six months ago"
 * (half of a Gregorian year, 31556952 / 2 seconds) and not in the future (a file written this very instant on the
 * simulated clock counts as now: GNU reads the clock again for a file that looks newer than its start).
 */
function lsDate(ms: number, now: number, gnu = false): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = gnu ? ms > now - (31_556_952 / 2) * 1000 && ms <= now : now - ms < 3600 * 24 * 365 / 2 * 1000 && now - ms > -15 * 60_000;
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

/** The columns of one `ls -l` line: mode, links, owner, group, size, date, and the name (`name -> target` for a link). */
function longFields(c: FileContext, abs: string, st: Stat, name: string): string[] {
  let links = st.links ?? 1;
  if (st.dir) { links = 2; try { for (const n of c.fs.list(abs)) if (c.fs.lstat(`${abs === '/' ? '' : abs}/${n}`)?.dir) links++; } catch { /* unreadable: 2 */ } }
  const user = c.names?.user(st.uid) ?? (st.uid ? String(st.uid) : 'root');
  const group = c.names?.group(st.gid) ?? (st.gid ? String(st.gid) : 'root');
  return [modeString(st), String(links), user, group, String(st.size), lsDate(st.mtime, c.now(), c.gnu), `${name}${st.link !== undefined ? ` -> ${st.link}` : ''}`];
}

/**
 * `ls -l`'s lines for a listing. busybox (ls.c display_single): fixed widths, `%4lu` links, `%-8.8s` owner and
 * group, `%9` size. GNU (ls.c print_long_format): each column as wide as its widest entry in the listing, the links
 * and size right-aligned, owner and group left-aligned, one space between.
 */
function longLines(c: FileContext, rows: string[][]): string {
  if (!c.gnu) return rows.map(([m, l, u, g, s, d, n]) => `${m} ${l.padStart(4)} ${u.slice(0, 8).padEnd(8)} ${g.slice(0, 8).padEnd(8)} ${s.padStart(9)} ${d} ${n}\n`).join('');
  const w = [1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(([m, l, u, g, s, d, n]) => `${m} ${l.padStart(w[0])} ${u.padEnd(w[1])} ${g.padEnd(w[2])} ${s.padStart(w[3])} ${d} ${n}\n`).join('');
}

export function ls(c: FileContext, args: string[]): CmdOut {
  const { flags, rest } = flagsOf(args);
  const long = flags.has('l');
  const all = flags.has('a');
  const listDir = flags.has('d');
  let out = '', err = '', code = 0;
  const paths = rest.length ? rest : ['.'];
  const files: string[] = [];
  const dirs: string[] = [];
  // busybox follows a symbolic link named on the command line unless -l (my_stat in ls.c); `name/`, `.` and `..`
  // name the folder itself, so they always follow.
  const named = (p: string) => (long && !/(^|\/)(\.\.?)?$/.test(p) ? c.fs.lstat(normalize(p, c.cwd)) : c.fs.stat(normalize(p, c.cwd)));
  for (const p of paths) {
    const st = named(p);
    // GNU ls.c file_failure: "cannot access %s" with the name quoted (quoteaf); busybox: `ls: NAME: reason`.
    const failed = (why: string) => { err += c.gnu ? `ls: cannot access ${gnuQuote(p)}: ${why}\n` : `ls: ${p}: ${why}\n`; code = c.gnu ? 2 : 1; };
    if (!st) { failed('No such file or directory'); continue; }
    if (!st.dir && p.endsWith('/')) { failed('Not a directory'); continue; }
    (st.dir && !listDir ? dirs : files).push(p);
  }
  const columns = !long && !flags.has('1') ? c.columns : undefined;
  if (long) out += longLines(c, files.sort().map((p) => longFields(c, normalize(p, c.cwd), named(p)!, p)));
  else if (!columns) for (const p of files.sort()) out += p + '\n';
  const layout = c.gnu ? gnuColumns : inColumns;
  if (columns) out += layout(files.sort(), columns);
  dirs.sort().forEach((p, i) => {
    const abs = normalize(p, c.cwd);
    if (paths.length > 1) out += `${files.length || i ? '\n' : ''}${p}:\n`;
    const names = c.fs.list(abs).filter((n) => all || !n.startsWith('.'));
    const entries: Array<[string, string]> = names.map((n) => [n, `${abs === '/' ? '' : abs}/${n}`]);
    if (all) entries.unshift(['.', abs], ['..', normalize('..', abs)]);
    if (long) {
      let blocks = 0;
      // A short link's target sits in its inode: it takes no blocks.
      for (const [, a] of entries) { const s = c.fs.lstat(a); if (s && s.link === undefined) blocks += Math.ceil(s.size / 4096) * 4; }
      out += `total ${blocks}\n`;
      out += longLines(c, entries.map(([n, a]) => longFields(c, a, (n === '.' || n === '..' ? c.fs.stat(a) : c.fs.lstat(a))!, n)));
    } else if (columns) {
      out += layout(entries.map(([n]) => n), columns);
    } else {
      for (const [n] of entries) out += n + '\n';
    }
  });
  return { stdout: out, stderr: err, code };
}

/** `cat`: its output is bytes (`bin`), so binary files pass through pipes and redirections whole. */
export function cat(c: FileContext, args: string[]): CmdOut {
  const files = args.filter((a) => !a.startsWith('-') || a === '-');
  const stdinBytes = () => c.stdinBytes ?? new Uint8Array(Buffer.from(c.stdin, 'utf8'));
  if (!files.length) return withBytes(stdinBytes(), '', 0);
  const parts: Uint8Array[] = [];
  let err = '', code = 0;
  for (const f of files) {
    if (f === '-') { parts.push(stdinBytes()); continue; }
    try {
      parts.push(c.fs.read(normalize(f, c.cwd), f.endsWith('/')));
    } catch (e) {
      const no = errnoOf(e);
      // GNU cat.c: `cat: NAME: reason` (quotef); busybox: `can't open 'NAME'`, and a folder is a read error.
      if (c.gnu) err += `cat: ${gnuQuote(f, false)}: ${ERRNO_TEXT[no]}\n`;
      else err += no === 'EISDIR' ? 'cat: read error: Is a directory\n' : `cat: can't open '${f}': ${ERRNO_TEXT[no]}\n`;
      code = 1;
    }
  }
  return withBytes(new Uint8Array(Buffer.concat(parts)), err, code);
}

/** Output as text, with the bytes kept beside it only when text would not carry them whole (binary files). */
export function withBytes(bytes: Uint8Array, stderr: string, code: number): CmdOut {
  const text = Buffer.from(bytes).toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { stdout: text, stderr, code } : { stdout: text, stderr, code, bin: bytes };
}

/** Runs `fn` for each operand, collecting busybox's `<cmd>: <what>: <error>` lines. */
function each(rest: string[], fn: (p: string) => string | undefined): CmdOut {
  let err = '';
  for (const p of rest) {
    try {
      const e = fn(p);
      if (e) err += e;
    } catch (e) {
      err += `${ERRNO_TEXT[errnoOf(e)]}\u0000${p}\n`;
    }
  }
  return { stdout: '', stderr: err, code: err ? 1 : 0 };
}

/** Fills in the failing operand's message in a command's own wording. */
function worded(r: CmdOut, format: (p: string, why: string) => string): CmdOut {
  if (!r.stderr) return r;
  const lines = r.stderr.split('\n').filter(Boolean).map((l) => {
    const [why, p] = l.split('\u0000');
    return p === undefined ? l : format(p, why);
  });
  return { ...r, stderr: lines.map((l) => l + '\n').join('') };
}

export const usage = (cmd: string, text: string): CmdOut => ({ stdout: '', stderr: `BusyBox v1.36.1 multi-call binary.\n\nUsage: ${cmd} ${text}\n`, code: 1 });

export function touch(c: FileContext, args: string[]): CmdOut {
  const { flags, rest } = flagsOf(args);
  if (!rest.length) return usage('touch', '[-cham] [-d DATE] [-t DATE] [-r FILE] FILE...');
  return worded(each(rest, (p) => {
    const abs = normalize(p, c.cwd);
    if (flags.has('c') && !c.fs.stat(abs)) return undefined;
    c.fs.touch(abs);
    return undefined;
  }), (p, why) => `touch: ${p}: ${why}`);
}

export function mkdir(c: FileContext, args: string[]): CmdOut {
  const { flags, rest } = flagsOf(args);
  if (!rest.length) return usage('mkdir', '[-m MODE] [-p] DIRECTORY...');
  return worded(each(rest, (p) => {
    const abs = normalize(p, c.cwd);
    if (flags.has('p')) {
      try { c.fs.mkdir(abs, true); } catch (e) {
        // busybox names the prefix it stopped at, with its slash.
        if (errnoOf(e) === 'ENOTDIR') return `mkdir: can't create directory '${blocked(c, p)}': Not a directory\n`;
        throw e;
      }
      return undefined;
    }
    c.fs.mkdir(abs);
    return undefined;
  }), (p, why) => `mkdir: can't create directory '${p}': ${why}`);
}

/** The prefix of `p` up to the first part that is a file (busybox's `mkdir -p` error names it with a slash). */
function blocked(c: FileContext, p: string): string {
  const parts = p.split('/');
  let at = '';
  for (const [i, part] of parts.entries()) {
    at = i === 0 ? part || '/' : at === '/' ? `/${part}` : `${at}/${part}`;
    const st = c.fs.stat(normalize(at, c.cwd));
    if (st && !st.dir) return `${at}/`;
  }
  return p;
}

export function rm(c: FileContext, args: string[]): CmdOut {
  const { flags, rest } = flagsOf(args);
  const force = flags.has('f');
  const recursive = flags.has('r') || flags.has('R');
  if (!rest.length) return force ? ok() : usage('rm', '[-irf] FILE...');
  return worded(each(rest, (p) => {
    const abs = normalize(p, c.cwd);
    // A symbolic link is removed itself (a dangling one too).
    const st = c.fs.lstat(abs);
    if (!st) return force ? undefined : `rm: can't remove '${p}': No such file or directory\n`;
    if (st.dir && !recursive) return `rm: '${p}' is a directory\n`;
    c.fs.remove(abs, recursive);
    return undefined;
  }), (p, why) => `rm: can't remove '${p}': ${why}`);
}

export function rmdir(c: FileContext, args: string[]): CmdOut {
  const { rest } = flagsOf(args);
  if (!rest.length) return usage('rmdir', '[-p] DIRECTORY...');
  return worded(each(rest, (p) => { c.fs.remove(normalize(p, c.cwd), false, true); return undefined; }), (p, why) => `rmdir: '${p}': ${why}`);
}

/** Copies `from` to `to` (a directory with -r), in the container's filesystem. */
/** Copies a file or folder; `keepOwner` for mv, which renames (the owner stays), where cp makes the copier's. */
function copyTree(c: FileContext, from: string, to: string, keepOwner = false): void {
  for (const { rel, stat } of c.fs.walk(from)) {
    const src = rel ? `${from}/${rel}` : from;
    const dst = rel ? `${to}/${rel}` : to;
    if (stat.dir) { if (!c.fs.stat(dst)) c.fs.mkdir(dst, false, stat.mode); }
    // A symbolic link below is copied as a link (busybox's cp -r, and mv), not followed.
    else if (stat.link !== undefined) { c.fs.symlink(dst, stat.link); continue; }
    else c.fs.write(dst, c.fs.read(src), false, stat.mode);
    if (keepOwner) c.fs.setOwner(dst, stat.uid, stat.gid);
  }
}

/** `cp` and `mv`: the last operand is the target; into it when it is a directory. */
export function cpMv(c: FileContext, cmd: 'cp' | 'mv', args: string[]): CmdOut {
  const { flags, rest } = flagsOf(args);
  if (rest.length < 2) return usage(cmd, cmd === 'cp' ? '[-arPLHpfinlsTu] SOURCE DEST' : '[-fin] SOURCE DEST');
  const target = rest[rest.length - 1];
  const tAbs = normalize(target, c.cwd);
  const intoDir = !!c.fs.stat(tAbs)?.dir;
  if (rest.length > 2 && !intoDir) return { stdout: '', stderr: `${cmd}: '${target}' is not a directory\n`, code: 1 };
  let err = '';
  for (const src of rest.slice(0, -1)) {
    const sAbs = normalize(src, c.cwd);
    const st = c.fs.stat(sAbs);
    if (!st) { err += cmd === 'cp' ? `cp: can't stat '${src}': No such file or directory\n` : `mv: can't rename '${src}': No such file or directory\n`; continue; }
    if (cmd === 'cp' && st.dir && !(flags.has('r') || flags.has('R') || flags.has('a'))) { err += `cp: omitting directory '${src}'\n`; continue; }
    const dst = intoDir ? `${tAbs === '/' ? '' : tAbs}/${sAbs.slice(sAbs.lastIndexOf('/') + 1)}` : tAbs;
    // The destination as busybox names it: the target, or the source's name inside it.
    const shown = intoDir ? `${target.replace(/\/+$/, '')}/${sAbs.slice(sAbs.lastIndexOf('/') + 1)}` : target;
    // Onto itself: mv renames a file to its own name (nothing happens); cp refuses.
    if (dst === sAbs) {
      if (cmd === 'cp') err += `cp: '${src}' and '${shown}' are the same file\n`;
      continue;
    }
    if (st.dir && dst.startsWith(sAbs === '/' ? '/' : sAbs + '/')) {
      err += cmd === 'cp' ? `cp: recursion detected, omitting directory '${shown}'\n` : `mv: can't rename '${src}': Invalid argument\n`;
      continue;
    }
    // rename(2) of a mount point, or of a folder holding one, is refused as busy: nothing moves.
    if (cmd === 'mv' && c.fs.holdsMount(sAbs)) { err += `mv: can't rename '${src}': Device or resource busy\n`; continue; }
    try {
      copyTree(c, sAbs, dst, cmd === 'mv');
      if (cmd === 'mv') c.fs.remove(sAbs, true);
    } catch (e) {
      const why = ERRNO_TEXT[errnoOf(e)];
      err += cmd === 'cp' ? `cp: can't create '${dst}': ${why}\n` : `mv: can't rename '${src}': ${why}\n`;
    }
  }
  return { stdout: '', stderr: err, code: err ? 1 : 0 };
}

/** The paths that name the process's own output streams (/dev/stdout links to /proc/self/fd/1), by descriptor. */
const STREAM_PATHS: Record<string, 1 | 2> = { '/dev/stdout': 1, '/dev/fd/1': 1, '/proc/self/fd/1': 1, '/dev/stderr': 2, '/dev/fd/2': 2, '/proc/self/fd/2': 2 };

export function tee(c: FileContext, args: string[]): CmdOut {
  const { flags, rest } = flagsOf(args);
  let err = '';
  let failed = false;
  let extra = '';
  for (const p of rest) {
    // tee writes each buffer to its standard output, then to each file in turn: /dev/stdout gets it twice.
    const fd = STREAM_PATHS[normalize(p, c.cwd)];
    if (fd !== undefined) {
      const text = c.stdinBytes ? Buffer.from(c.stdinBytes).toString('utf8') : c.stdin;
      if (fd === 1) extra += text;
      else err += text;
      continue;
    }
    try { c.fs.write(normalize(p, c.cwd), c.stdinBytes ?? c.stdin, flags.has('a')); } catch (e) { err += `tee: ${p}: ${ERRNO_TEXT[errnoOf(e)]}\n`; failed = true; }
  }
  if (c.stdinBytes && !extra) return withBytes(c.stdinBytes, err, failed ? 1 : 0);
  const out = c.stdinBytes ? Buffer.from(c.stdinBytes).toString('utf8') : c.stdin;
  return { stdout: out + extra, stderr: err, code: failed ? 1 : 0 };
}

/** An error of busybox's test: ash prints it after `sh: ` and the status is 2. */
class TestError extends Error {}

const UNARY = new Set(['-e', '-r', '-w', '-f', '-d', '-s', '-x', '-z', '-n', '-L', '-h', '-b', '-c', '-p', '-S', '-t', '-g', '-u', '-k', '-O', '-G']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

/** busybox's getn: an integer with optional blanks and sign, else `X: bad number` (`bad number` alone when empty). */
function testNumber(s: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new TestError(s.trim() === '' ? 'bad number' : `${s}: bad number`);
  const n = Number(s);
  if (Math.abs(n) > 9223372036854775807) throw new TestError(`${s}: out of range`);
  return n;
}

/**
 * `test`, `[` and busybox ash's `[[`: file tests, string tests and integer comparisons, `!`, `-a`, `-o` and
 * parentheses, read as busybox's test reads them (POSIX's rules for up to four arguments, then its grammar), with
 * its messages (`sh: missing ]`, `sh: X: unknown operand`, `sh: X: bad number`). In `[[`, `=`, `==` and `!=` match
 * the right side as a pattern and `=~` as a regular expression; words are split and globbed as for `[`.
 */
export function test(c: FileContext, cmd: string, args: string[]): CmdOut {
  let a = args;
  const double = cmd === '[[';
  if (cmd === '[' || double) {
    const close = double ? ']]' : ']';
    if (a[a.length - 1] !== close) return { stdout: '', stderr: `sh: missing ${close}\n`, code: 2 };
    a = a.slice(0, -1);
  }
  const fileTest = (op: string, p: string): boolean => {
    const st = c.fs.stat(normalize(p, c.cwd));
    switch (op) {
      case '-e': case '-r': case '-w': return !!st;
      case '-f': return !!st && !st.dir;
      case '-d': return !!st?.dir;
      case '-s': return !!st && !st.dir && st.size > 0;
      case '-x': return !!st && (st.dir || (st.mode & 0o111) !== 0);
      default: return false;
    }
  };
  const unary = (op: string, x: string): boolean => (op === '-z' ? x === '' : op === '-n' ? x !== '' : fileTest(op, x));
  const binary = (l: string, op: string, r: string): boolean => {
    switch (op) {
      case '=': case '==': return double ? casePattern(r).test(l) : l === r;
      case '!=': return double ? !casePattern(r).test(l) : l !== r;
      case '<': return l < r;
      case '>': return l > r;
      default: {
        const x = testNumber(l), y = testNumber(r);
        return op === '-eq' ? x === y : op === '-ne' ? x !== y : op === '-lt' ? x < y : op === '-le' ? x <= y : op === '-gt' ? x > y : x >= y;
      }
    }
  };
  let i = 0;
  let n = a.length;
  const isBinary = (op: string | undefined) => op !== undefined && (BINARY.has(op) || (double && op === '=~'));
  const apply = (l: string, op: string, r: string): boolean => {
    if (op !== '=~') return binary(l, op, r);
    // An extended regular expression: its POSIX classes (`[[:digit:]]`) as JavaScript reads them.
    try { return new RegExp(r.replace(/\[:([a-z]+):\]/g, (m, name: string) => posixClass(name) ?? m)).test(l); } catch { throw new TestError(''); }
  };
  // The grammar: or := and [-o or]; and := not [-a and]; not := ! not | primary; primary := ( or ) | UNARY x | x BINARY y | x.
  // An operator with nothing after it is `argument expected`, a group left open `closing paren expected`.
  const operand = () => { if (i >= n) throw new TestError(`${a[i - 1]}: argument expected`); };
  // In `[[`, and and or are its own `&&` and `||` (doubleBracketOperators); `-a` and `-o` are no operators there.
  const AND = double ? DOUBLE_AND : '-a';
  const OR = double ? DOUBLE_OR : '-o';
  const or = (): boolean => { const l = and(); if (a[i] === OR) { i++; if (i >= n) throw new TestError('argument expected'); const r = or(); return l || r; } return l; };
  const and = (): boolean => { const l = not(); if (a[i] === AND) { i++; if (i >= n) throw new TestError('argument expected'); const r = and(); return l && r; } return l; };
  const not = (): boolean => { if (a[i] === '!' && i + 1 < n) { i++; return !not(); } return primary(); };
  const primary = (): boolean => {
    const t = a[i];
    if (t === '(' && i + 1 >= n) throw new TestError('argument expected');
    if (t === '(') {
      i++;
      const r = or();
      if (a[i] !== ')') throw new TestError('closing paren expected');
      i++;
      return r;
    }
    if (isBinary(a[i + 1])) {
      i += 2;
      operand();
      i++;
      return apply(t, a[i - 2], a[i - 1]);
    }
    if (UNARY.has(t) && i + 1 < n) { i += 2; return unary(t, a[i - 1]); }
    i++;
    return t !== '';
  };
  try {
    let result = false;
    let negate = false;
    // busybox's special cases (POSIX's rules by the number of arguments): none is false, one is a non-empty test,
    // three with a binary operator in the middle are that comparison, and a leading `!` negates the rest.
    for (;;) {
      n = a.length;
      if (n === 0) { result = false; break; }
      if (n === 1) { result = a[0] !== ''; break; }
      if (n === 3 && isBinary(a[1])) { result = apply(a[0], a[1], a[2]); break; }
      // Only up to four arguments: past that, `!` binds to the primary after it, as the grammar reads it.
      if (a[0] === '!' && n <= 4) { a = a.slice(1); negate = !negate; continue; }
      i = 0;
      result = or();
      if (i < n) throw new TestError(`${a[i]}: unknown operand`);
      break;
    }
    return { stdout: '', stderr: '', code: result !== negate ? 0 : 1 };
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    // A regular expression `=~` cannot compile fails without a word.
    return { stdout: '', stderr: e.message ? `sh: ${e.message}\n` : '', code: 2 };
  }
}
