/**
 * busybox `grep` (findutils/grep.c), the options lessons use on a pod's
 * environment, files and logs: -c counts, -n numbers, -o prints only the
 * match, -w and -x match whole words or lines, -e gives patterns (several
 * allowed), -l/-L name files, -H/-h choose the `file:` prefix, -m N stops
 * early, -q, -v, -i, -s, -F and -E. Patterns are read as JavaScript regular
 * expressions (near POSIX's extended ones). Not simulated: -r/-R, -f FILE
 * and the context options -A/-B/-C, whose numbers are taken and ignored.
 */

export interface GrepIo {
  stdin: string;
  /** A file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
}

export interface GrepOut { stdout: string; stderr: string; code: number }

const USAGE = 'BusyBox v1.36.1 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n';
const FLAGS = 'HhnlLoqvsrRiwxFEc';
const WITH_ARG = 'mABCef';

interface Options { flags: Set<string>; patterns: string[]; max?: number; files: string[] }

/** getopt32 over the arguments: clustered flags (`-ci`), arguments attached or next (`-m1`, `-e PAT`), `--`. */
function parse(args: string[]): Options | string {
  const flags = new Set<string>();
  const patterns: string[] = [];
  const rest: string[] = [];
  let max: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { rest.push(...args.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { rest.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (WITH_ARG.includes(f)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) return `grep: option requires an argument -- '${f}'\n${USAGE}`;
        if (f === 'e') patterns.push(value);
        if (f === 'm') {
          if (!/^\d+$/.test(value)) return `grep: invalid number '${value}'\n`;
          max = Number(value);
        }
        break;
      }
      if (!FLAGS.includes(f)) return `grep: unrecognized option: ${f}\n${USAGE}`;
      flags.add(f);
    }
  }
  if (!patterns.length) {
    if (!rest.length) return USAGE;
    patterns.push(rest.shift()!);
  }
  return { flags, patterns, max, files: rest };
}

function matcher(o: Options): RegExp {
  const parts = o.patterns.map((p) => {
    let src = o.flags.has('F') ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : p;
    try { new RegExp(src); } catch { src = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
    // -x: the whole line; -w: no word character just before or after the match.
    if (o.flags.has('x')) return `^(?:${src})$`;
    if (o.flags.has('w')) return `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
    return `(?:${src})`;
  });
  try {
    return new RegExp(parts.join('|'), o.flags.has('i') ? 'gi' : 'g');
  } catch {
    // Patterns that are valid alone but not together (the same group name twice): each taken literally.
    return new RegExp(o.patterns.map((p) => `(?:${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`).join('|'), o.flags.has('i') ? 'gi' : 'g');
  }
}

/** The lines of a text, without the empty one after a final newline. */
const linesOf = (text: string) => { const l = text.split('\n'); if (l[l.length - 1] === '') l.pop(); return l; };

export function grep(args: string[], io: GrepIo): GrepOut {
  const parsed = parse(args);
  if (typeof parsed === 'string') return { stdout: '', stderr: parsed, code: 2 };
  const o = parsed;
  const re = matcher(o);
  const has = (f: string) => o.flags.has(f);
  const sources = o.files.length ? o.files : ['-'];
  const prefixNames = has('H') || (!has('h') && sources.length > 1);
  let stdout = '';
  let stderr = '';
  let matched = false;
  let failed = false;
  for (const src of sources) {
    const name = src === '-' ? '(standard input)' : src;
    const text = src === '-' ? io.stdin : io.read(src);
    if (text === undefined) {
      if (!has('s')) stderr += `grep: ${src}: No such file or directory\n`;
      failed = true;
      continue;
    }
    let count = 0;
    let out = '';
    const lines = linesOf(text);
    for (let n = 0; n < lines.length; n++) {
      if (o.max !== undefined && count >= o.max) break;
      const line = lines[n];
      re.lastIndex = 0;
      const hits = [...line.matchAll(re)].filter((m) => m[0] !== '' || !has('o'));
      const selected = (line.match(re) !== null) !== has('v');
      if (!selected) continue;
      count++;
      const head = `${prefixNames ? `${name}:` : ''}${has('n') ? `${n + 1}:` : ''}`;
      if (has('o') && !has('v')) for (const m of hits) out += `${head}${m[0]}\n`;
      else if (!has('o')) out += `${head}${line}\n`;
    }
    if (count) matched = true;
    // -q answers at the first match, and says nothing.
    if (has('q')) { if (matched) return { stdout: '', stderr: '', code: 0 }; continue; }
    if (has('l')) { if (count) stdout += `${name}\n`; continue; }
    if (has('L')) { if (!count) stdout += `${name}\n`; continue; }
    if (has('c')) { stdout += `${prefixNames ? `${name}:` : ''}${count}\n`; continue; }
    stdout += out;
  }
  // -L succeeds when it named a file.
  const ok = has('L') ? stdout !== '' : matched;
  return { stdout, stderr, code: failed && !(has('q') && matched) ? 2 : ok ? 0 : 1 };
}
