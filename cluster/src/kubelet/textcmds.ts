/**
 * busybox's small text tools in the simulated shell: `cut`, `tr`, `printf`,
 * `basename`, `dirname`, `uniq`, `seq` and `expr`. Pure: input comes as text (standard input or a
 * file's, read by the caller), output and status go back as a CmdOut.
 */
import type { CmdOut } from './netcmds';

const ok = (stdout: string): CmdOut => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CmdOut => ({ stdout: '', stderr, code });

/** Lines of a text, the last one without its newline counted only when it has characters. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A cut LIST (`1,3`, `2-`, `-3`, `1-2`) as a test of 1-based positions; undefined when it is not one. */
function cutList(list: string): ((n: number) => boolean) | undefined {
  const ranges: Array<[number, number]> = [];
  for (const part of list.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || (!m[1] && !m[3]) || (!m[2] && m[3])) return undefined;
    const from = m[1] ? Number(m[1]) : 1;
    const to = m[2] ? (m[3] ? Number(m[3]) : Infinity) : from;
    if (from < 1 || to < from) return undefined;
    ranges.push([from, to]);
  }
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}

/** busybox `cut -d DELIM -f LIST [-s]`, `cut -c LIST` (or `-b`), on `text`. */
export function cut(args: string[], read: (file: string | undefined) => string | undefined): CmdOut {
  let delim = '\t';
  let fields: string | undefined;
  let chars: string | undefined;
  let onlyDelimited = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^-([dfcbs])(.*)$/.exec(a);
    if (!m) { files.push(a); continue; }
    if (m[1] === 's') { onlyDelimited = true; continue; }
    const v = m[2] || args[++i];
    if (v === undefined) return fail(`cut: option requires an argument -- '${m[1]}'\n`);
    if (m[1] === 'd') {
      if ([...v].length !== 1) return fail('cut: the delimiter must be a single character\n');
      delim = v;
    } else if (m[1] === 'f') fields = v;
    else chars = v;
  }
  const list = fields ?? chars;
  if (list === undefined) return fail('cut: expected a list of bytes, characters, or fields\n');
  const pick = cutList(list);
  if (!pick) return fail(`cut: invalid byte, character or field list\n`);
  let out = '';
  for (const file of files.length ? files : [undefined]) {
    const text = read(file);
    if (text === undefined) return fail(`cut: can't open '${file}': No such file or directory\n`);
    for (const line of linesOf(text)) {
      if (chars !== undefined) { out += [...line].filter((_, k) => pick(k + 1)).join('') + '\n'; continue; }
      if (!line.includes(delim)) { if (!onlyDelimited) out += line + '\n'; continue; }
      out += line.split(delim).filter((_, k) => pick(k + 1)).join(delim) + '\n';
    }
  }
  return ok(out);
}

const CLASSES: Record<string, string> = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', lower: 'abcdefghijklmnopqrstuvwxyz', digit: '0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  space: ' \t\n\r\v\f', blank: ' \t', punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', xdigit: '0123456789ABCDEFabcdef',
};

/** A tr SET spelled out: ranges `a-z`, classes `[:upper:]`, escapes `\n \t \\`. */
function trSet(set: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < set.length; i++) {
    const cls = /^\[:([a-z]+):\]/.exec(set.slice(i));
    if (cls && CLASSES[cls[1]]) { out.push(...CLASSES[cls[1]]); i += cls[0].length - 1; continue; }
    let c = set[i];
    if (c === '\\' && i + 1 < set.length) {
      const e = set[++i];
      c = e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
    }
    if (set[i + 1] === '-' && i + 2 < set.length) {
      const end = set[i + 2];
      for (let k = c.charCodeAt(0); k <= end.charCodeAt(0); k++) out.push(String.fromCharCode(k));
      i += 2;
      continue;
    }
    out.push(c);
  }
  return out;
}

/** busybox `tr [-cds] SET1 [SET2]` on standard input; `-c` takes every character not in SET1. */
export function tr(args: string[], stdin: string): CmdOut {
  const flags = args.filter((a) => /^-[cds]+$/.test(a)).join('');
  const sets = args.filter((a) => !/^-[cds]+$/.test(a));
  const del = flags.includes('d');
  const squeeze = flags.includes('s');
  const complement = flags.includes('c');
  if (!sets.length || (!del && !squeeze && sets.length < 2)) return fail('BusyBox v1.36.1 multi-call binary.\n\nUsage: tr [-cds] STRING1 [STRING2]\n');
  const from = trSet(sets[0]);
  const inFrom = new Set(from);
  const selected = (c: string) => inFrom.has(c) !== complement;
  const to = sets[1] !== undefined ? trSet(sets[1]) : [];
  const map = new Map<string, string>();
  if (!del && !complement) from.forEach((c, k) => map.set(c, to[Math.min(k, to.length - 1)] ?? c));
  const squeezeSet = new Set(del || sets[1] === undefined ? (del ? to : from) : to);
  let out = '';
  let prev = '';
  for (const c of stdin) {
    if (del && selected(c)) continue;
    // The complement of SET1 has no order of its own here: each of its characters becomes SET2's last.
    const r = !del && complement && to.length ? (selected(c) ? to[to.length - 1] : c) : map.get(c) ?? c;
    if (squeeze && r === prev && squeezeSet.has(r)) continue;
    out += r;
    prev = r;
  }
  return ok(out);
}

/**
 * Backslash escapes as printf's format and %b arguments (`printf`) or `echo -e` read them: `\n \t \\ \a \b \e
 * \r \v \f \xHH \0NNN`, printf's also `\NNN` and `\"`; and `\c`, after which nothing more is printed (the text
 * is cut there, `stop` set). Any other backslash stays as written.
 */
export function backslashEscapes(s: string, at?: { stop: boolean }, printf = true): string {
  let out = '';
  const re = printf ? /\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9A-Fa-f]{1,2}|[ntr\\abvfe"c])/g : /\\(0[0-7]{0,3}|x[0-9A-Fa-f]{1,2}|[ntr\\abvfec])/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out += s.slice(last, m.index);
    last = m.index + m[0].length;
    const e = m[1];
    if (e === 'c') { if (at) at.stop = true; return out; }
    if (e[0] === 'x') out += String.fromCharCode(parseInt(e.slice(1), 16));
    else if (/^[0-7]/.test(e)) out += String.fromCharCode(parseInt(e, 8) & 0xff);
    else out += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', v: '\v', f: '\f', e: '\x1b', '"': '"' } as Record<string, string>)[e];
  }
  return out + s.slice(last);
}

/** An integer argument as strtoll reads it with base 0 (`010` is 8, `0x1f` 31, `'A` 65); undefined unless all of it reads. */
function integerArg(text: string): number | undefined {
  if (/^['"]/.test(text)) return text.charCodeAt(1) || 0;
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!m) return undefined;
  const body = m[2];
  const v = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : Number(body);
  return m[1] === '-' ? -v : v;
}

/** Where an invalid conversion stopped the output (cut there afterwards). */
const CUT = '\u0000printf-invalid\u0000';

/** busybox `printf FORMAT [ARG]...`: %s %b %c %d %i %u %x %X %o %f %e %g %%, with flags, width and precision; the format repeats while arguments remain. */
export function printf(args: string[]): CmdOut {
  if (!args.length) return fail('BusyBox v1.36.1 multi-call binary.\n\nUsage: printf FORMAT [ARG]...\n');
  const format = args[0];
  const rest = args.slice(1);
  let out = '';
  let err = '';
  let k = 0;
  const spec = /%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(.?)/g;
  const at = { stop: false };
  let bad: string | undefined;
  do {
    const before = k;
    out += backslashEscapes(format, at).replace(spec, (all, flags: string = '', width?: string, precision?: string, conv?: string) => {
      if (bad !== undefined) return '';
      if (conv === '%') return '%';
      if (!conv || !'sbcdiuxXofeEgG'.includes(conv)) { bad = all; return CUT; }
      const w = width === '*' ? Number(rest[k++] ?? 0) : width ? Number(width) : 0;
      const p = precision === '*' ? Number(rest[k++] ?? 0) : precision !== undefined ? Number(precision) : undefined;
      const arg = rest[k++];
      let body: string;
      if (conv === 's' || conv === 'b') {
        body = arg ?? '';
        if (conv === 'b') body = backslashEscapes(body, at);
        if (p !== undefined) body = body.slice(0, p);
      } else if (conv === 'c') body = (arg ?? '').slice(0, 1);
      else {
        const text = arg ?? '0';
        // Integers read as strtoll with base 0, the others as strtod; a leading quote gives the character's code.
        const n = 'diuxXo'.includes(conv) ? integerArg(text) : /^['"]/.test(text) ? text.charCodeAt(1) || 0 : /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : undefined;
        if (n === undefined) err += `printf: invalid number '${text}'\n`;
        const v = n ?? 0;
        if ('diu'.includes(conv)) body = String(Math.trunc(v));
        else if (conv === 'x') body = Math.trunc(v).toString(16);
        else if (conv === 'X') body = Math.trunc(v).toString(16).toUpperCase();
        else if (conv === 'o') body = Math.trunc(v).toString(8);
        else if (conv === 'f') body = v.toFixed(p ?? 6);
        else if (conv === 'e' || conv === 'E') {
          const [m, e] = v.toExponential(p ?? 6).split('e');
          body = `${m}e${e[0] === '-' ? '-' : '+'}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
          if (conv === 'E') body = body.toUpperCase();
        } else body = String(Number(v.toPrecision(p || 6)));
        if (flags.includes('+') && v >= 0) body = '+' + body;
        else if (flags.includes(' ') && v >= 0) body = ' ' + body;
      }
      if (body.length >= w) return body;
      if (flags.includes('-')) return body.padEnd(w);
      if (flags.includes('0') && !'sbc'.includes(conv)) {
        const sign = /^[-+ ]/.test(body) ? body[0] : '';
        return sign + body.slice(sign.length).padStart(w - sign.length, '0');
      }
      return body.padStart(w);
    });
    if (bad !== undefined) { out = out.slice(0, out.indexOf(CUT)); break; }
    if (k === before || at.stop) break;
  } while (k < rest.length);
  if (bad !== undefined) return { stdout: out, stderr: err + `printf: ${bad}: invalid format\n`, code: 1 };
  return { stdout: out, stderr: err, code: err ? 1 : 0 };
}

/** busybox `basename PATH [SUFFIX]`. */
export function basename(args: string[]): CmdOut {
  if (!args.length) return fail('BusyBox v1.36.1 multi-call binary.\n\nUsage: basename FILE [SUFFIX]\n');
  const p = args[0].replace(/\/+$/, '');
  let base = p === '' ? (args[0].startsWith('/') ? '/' : '') : p.slice(p.lastIndexOf('/') + 1);
  const suffix = args[1];
  if (suffix && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
  return ok(base + '\n');
}

/** busybox `dirname PATH`. */
export function dirname(args: string[]): CmdOut {
  if (!args.length) return fail('BusyBox v1.36.1 multi-call binary.\n\nUsage: dirname FILENAME\n');
  const p = args[0].replace(/\/+$/, '');
  if (p === '') return ok(args[0].startsWith('/') ? '/\n' : '.\n');
  const i = p.lastIndexOf('/');
  if (i < 0) return ok('.\n');
  const d = p.slice(0, i).replace(/\/+$/, '');
  return ok((d === '' ? '/' : d) + '\n');
}

/** busybox `uniq [-cdu] [INPUT]`: adjacent repeated lines once; -c counts them (`%7lu `), -d only repeated, -u only single. */
export function uniq(args: string[], read: (file: string | undefined) => string | undefined): CmdOut {
  const flags = args.filter((a) => /^-[cdu]+$/.test(a)).join('');
  const file = args.find((a) => !a.startsWith('-'));
  const text = read(file);
  if (text === undefined) return fail(`uniq: can't open '${file}': No such file or directory\n`);
  const lines = linesOf(text);
  let out = '';
  for (let i = 0; i < lines.length;) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    const n = j - i;
    if (!(flags.includes('d') && n < 2) && !(flags.includes('u') && n > 1)) out += (flags.includes('c') ? `${String(n).padStart(7)} ` : '') + lines[i] + '\n';
    i = j;
  }
  return ok(out);
}

/** busybox `seq [-w] [-s SEP] [FIRST [INC]] LAST`: the numbers from FIRST to LAST by INC. */
export function seq(args: string[]): CmdOut {
  const usage: CmdOut = {
    stdout: '', code: 1,
    stderr: 'BusyBox v1.36.1 multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n\nPrint numbers from FIRST to LAST, in steps of INC.\nFIRST, INC default to 1.\n\n\t-w\tPad to last with leading zeros\n\t-s SEP\tString separator\n',
  };
  let width = false;
  let sep = '\n';
  const nums: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-w') width = true;
    else if (a === '-s') sep = args[++i] ?? '';
    else if (a.startsWith('-s') && a.length > 2) sep = a.slice(2);
    else nums.push(a);
  }
  // A number that does not read whole is a usage error (bb_show_usage), as is a count of them outside 1 to 3.
  if (nums.length < 1 || nums.length > 3 || nums.some((n) => !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(n))) return usage;
  const values = nums.map(Number);
  const [first, inc, last] = values.length === 1 ? [1, 1, values[0]] : values.length === 2 ? [values[0], 1, values[1]] : values;
  // Decimals print with as many places as FIRST and INC give (LAST's do not count, as in coreutils).
  const places = Math.max(0, ...nums.slice(0, -1).map((n) => (n.includes('.') ? n.length - n.indexOf('.') - 1 : 0)));
  const out: string[] = [];
  if (inc !== 0) {
    for (let k = 0; out.length < 1_000_000; k++) {
      const v = first + k * inc;
      if (inc > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
      out.push(v.toFixed(places));
    }
  }
  if (width) {
    // -w pads to the widest number, its minus sign counted, with zeros after the sign.
    const w = Math.max(...out.map((x) => x.length));
    for (let k = 0; k < out.length; k++) {
      const sign = out[k].startsWith('-') ? '-' : '';
      out[k] = sign + out[k].slice(sign.length).padStart(w - sign.length, '0');
    }
  }
  return { stdout: out.length ? out.join(sep) + '\n' : '', stderr: '', code: 0 };
}

/**
 * busybox `expr`: integer `+ - * / %`, the comparisons `= != < <= > >=` (numbers when both sides are, else
 * strings), `|` and `&`, `length STRING`, and parentheses; it prints the value and exits 1 when it is 0 or empty.
 */
export function expr(args: string[]): CmdOut {
  let i = 0;
  const isInt = (v: string) => /^-?\d+$/.test(v);
  const fail = (msg: string, code = 2): never => { throw Object.assign(new Error(msg), { code }); };
  const primary = (): string => {
    const t = args[i++];
    if (t === undefined) return fail('expr: syntax error');
    if (t === '(') { const v = or(); if (args[i++] !== ')') fail('expr: syntax error'); return v; }
    if (t === 'length') { const s = args[i++]; if (s === undefined) fail('expr: syntax error'); return String([...s!].length); }
    return t;
  };
  const mul = (): string => {
    let v = primary();
    while (args[i] === '*' || args[i] === '/' || args[i] === '%') {
      const op = args[i++];
      const r = primary();
      if (!isInt(v) || !isInt(r)) fail('expr: non-numeric argument');
      if (op !== '*' && Number(r) === 0) fail('expr: division by zero');
      v = String(op === '*' ? Number(v) * Number(r) : op === '/' ? Math.trunc(Number(v) / Number(r)) : Number(v) % Number(r));
    }
    return v;
  };
  const add = (): string => {
    let v = mul();
    while (args[i] === '+' || args[i] === '-') {
      const op = args[i++];
      const r = mul();
      if (!isInt(v) || !isInt(r)) fail('expr: non-numeric argument');
      v = String(op === '+' ? Number(v) + Number(r) : Number(v) - Number(r));
    }
    return v;
  };
  const cmp = (): string => {
    let v = add();
    while (['=', '!=', '<', '<=', '>', '>='].includes(args[i])) {
      const op = args[i++];
      const r = add();
      const c = isInt(v) && isInt(r) ? Number(v) - Number(r) : v < r ? -1 : v > r ? 1 : 0;
      v = ({ '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 } as Record<string, boolean>)[op] ? '1' : '0';
    }
    return v;
  };
  const and = (): string => {
    let v = cmp();
    while (args[i] === '&') { i++; const r = cmp(); v = v !== '' && v !== '0' && r !== '' && r !== '0' ? v : '0'; }
    return v;
  };
  const or = (): string => {
    let v = and();
    while (args[i] === '|') { i++; const r = and(); v = v !== '' && v !== '0' ? v : r !== '' && r !== '0' ? r : '0'; }
    return v;
  };
  try {
    if (!args.length) return { stdout: '', stderr: 'BusyBox v1.36.1 multi-call binary.\n\nUsage: expr EXPRESSION\n', code: 2 };
    const v = or();
    if (i !== args.length) fail('expr: syntax error');
    return { stdout: v + '\n', stderr: '', code: v === '' || v === '0' ? 1 : 0 };
  } catch (e) {
    const err = e as Error & { code?: number };
    return { stdout: '', stderr: err.message + '\n', code: err.code ?? 2 };
  }
}
