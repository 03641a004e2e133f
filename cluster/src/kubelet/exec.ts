/**
 * `kubectl exec` into a simulated container: a small, deterministic
 * busybox-like shell that answers from the simulation's truth (the pod, the
 * DNS and kube-proxy models, ConfigMaps and Secrets, the simulated clock).
 * No I/O here: the HTTP layer feeds stdin and ships what comes out.
 *
 * The shell knows `;`, `&&`, `||`, `|`, single and double quotes, `$VAR`,
 * `${VAR}`, `$?`, `$(command)`, `$((arithmetic))`, and the redirections
 * `>/dev/null`, `2>/dev/null`, `2>&1`, `>&2`.
 * Commands that sleep return at once: simulated time is not held up by a shell.
 */
import { ROOT_DIRS, containerEnv, containerFiles, hostnameOf, type ExecWorld } from './execenv';
import { curl, getent, nslookup, wget, type CmdOut } from './netcmds';
import { arithmetic, commandName, maskSubstitutions, parse, sleepMs, splitList, substitutionSpans, tokenize, type RunOptions, type RunOut } from './shellsyntax';

export { arithmetic, commandName, tokenize, type RunOptions, type RunOut };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** busybox `date`: `Sat Nov 28 07:08:30 UTC 2026`. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** strftime as `date +FORMAT` applies it, in UTC (the container's TZ); an unknown conversion is printed as written. */
export function strftime(ms: number, format: string): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const conv: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()], A: () => FULL_DAYS[d.getUTCDay()], b: () => MONTHS[d.getUTCMonth()], h: () => MONTHS[d.getUTCMonth()],
    B: () => FULL_MONTHS[d.getUTCMonth()], Y: () => String(d.getUTCFullYear()), y: () => p2(d.getUTCFullYear() % 100), m: () => p2(d.getUTCMonth() + 1),
    d: () => p2(d.getUTCDate()), e: () => String(d.getUTCDate()).padStart(2, ' '), H: () => p2(d.getUTCHours()), M: () => p2(d.getUTCMinutes()),
    S: () => p2(d.getUTCSeconds()), s: () => String(Math.floor(ms / 1000)), j: () => String(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1).padStart(3, '0'),
    u: () => String(d.getUTCDay() || 7), w: () => String(d.getUTCDay()), Z: () => 'UTC', z: () => '+0000', n: () => '\n', t: () => '\t', '%': () => '%',
    T: () => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`, R: () => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`,
    D: () => `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`, F: () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    N: () => String((ms % 1000) * 1_000_000).padStart(9, '0'),
  };
  return format.replace(/%(.)/gs, (all, c: string) => conv[c]?.() ?? all);
}

/** busybox `date`: the default format, `+FORMAT`, `-I` (ISO date) and `-R` (RFC 2822); `-u` changes nothing (UTC already). */
function dateCommand(ms: number, args: string[]): { out?: string; err?: string } {
  let out = formatDate(ms);
  for (const a of args) {
    if (a === '-u' || a === '--utc') continue;
    if (a.startsWith('+')) out = strftime(ms, a.slice(1));
    else if (a === '-I' || a === '-Idate') out = strftime(ms, '%F');
    else if (a === '-Iseconds') out = strftime(ms, '%FT%T+00:00');
    else if (a === '-R') out = strftime(ms, '%a, %d %b %Y %T +0000');
    else return { err: `date: invalid date '${a}'\n` };
  }
  return { out: out + '\n' };
}

/** The shells the simulated image answers to; `bash` behaves as busybox `ash` does. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'ash', 'bash']);


/** Commands that read standard input when given no file. */
const STDIN_READERS = new Set(['cat', 'grep', 'wc', 'head', 'tail', 'sort', ...SHELLS]);

/** Whether a direct exec of `argv` would wait for standard input. */
export function readsStdin(argv: string[]): boolean {
  if (!argv.length) return false;
  const cmd = commandName(argv[0]);
  const rest = argv.slice(1);
  if (!STDIN_READERS.has(cmd)) return false;
  if (SHELLS.has(cmd)) return !rest.includes('-c');
  const files = rest.filter((a) => !a.startsWith('-'));
  return cmd === 'grep' ? files.length < 2 : files.length === 0;
}

/** One shell's state: variables, working directory, files it wrote, whether `exit` ran. */
export class ShellState {
  readonly vars = new Map<string, string>();
  /** Results of `$( )` and `$(( ))` for the element being run: read like variables, never part of the environment. */
  private readonly subs = new Map<string, string>();
  /** A script's shell (not an interactive one): an expansion error ends it with status 2, as ash's non-interactive shell. */
  strict = false;
  cwd = '/';
  last = 0;
  exited?: number;
  private files: Map<string, string>;

  /** A new container shell, or with `parent` a child of it (see fork). */
  constructor(readonly world: ExecWorld, parent?: ShellState) {
    if (parent) {
      for (const [k, v] of parent.vars) this.vars.set(k, v);
      this.cwd = parent.cwd;
      this.files = parent.files;
      return;
    }
    for (const [k, v] of containerEnv(world)) this.vars.set(k, v);
    this.files = containerFiles(world);
  }

  /** A child shell (`sh -c` run from this one): its own copy of the variables and directory, the same filesystem. */
  fork(): ShellState {
    return new ShellState(this.world, this);
  }

  get(name: string): string {
    return name === '?' ? String(this.last) : this.subs.get(name) ?? this.vars.get(name) ?? '';
  }

  private abs(p: string): string {
    const parts = (p.startsWith('/') ? p : `${this.cwd}/${p}`).split('/');
    const out: string[] = [];
    for (const s of parts) { if (s === '..') out.pop(); else if (s && s !== '.') out.push(s); }
    return '/' + out.join('/');
  }

  private children(dir: string): string[] | undefined {
    const prefix = dir === '/' ? '/' : dir + '/';
    const names = new Set<string>(dir === '/' ? ROOT_DIRS : []);
    for (const f of this.files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
    if (!names.size && !(dir === '/root' || dir === '/tmp' || dir === '/home')) return undefined;
    return [...names].sort();
  }

  /**
   * Command substitution and arithmetic for one list element, run when its
   * turn comes (after the elements before it set their variables): each
   * `$(cmd)` runs in a child shell and each `$((expr))` is computed, and the
   * result goes in as a variable reference, so it is taken literally, never
   * read again as shell syntax. Inside single quotes nothing is expanded.
   */
  private substitute(text: string, temps: string[]): { text: string; stderr: string; error?: number } {
    const spans = substitutionSpans(text);
    if (!spans.length) return { text, stderr: '' };
    let out = '';
    let stderr = '';
    let at = 0;
    for (const [a, b] of spans) {
      out += text.slice(at, a);
      at = b;
      const inner = text.slice(a + 2, b - 1);
      let value: string;
      if (inner.startsWith('(') && inner.endsWith(')')) {
        try {
          value = String(arithmetic(inner.slice(1, -1), (n) => this.get(n)));
        } catch (e) {
          return { text: '', stderr: stderr + `sh: ${(e as Error).message}\n`, error: 2 };
        }
      } else {
        const r = this.fork().run(inner);
        stderr += r.stderr;
        value = r.stdout.replace(/\n+$/, '');
      }
      const name = `__kubeplay_sub${temps.length}`;
      temps.push(name);
      this.subs.set(name, value);
      out += '${' + name + '}';
    }
    return { text: out + text.slice(at), stderr };
  }

  /**
   * Runs a command line; stdin feeds the first command of each pipeline.
   * With `pauseAtSleep` (the kubelet playing a container's script), a `sleep`
   * reached on its own stops the run there and says how long it sleeps and
   * what is left to run after it, so that time can pass in between.
   */
  run(line: string, stdin = '', opts: RunOptions = {}): RunOut {
    const masked = maskSubstitutions(line);
    // Syntax is checked once; variables and substitutions expand per list element, after the previous one ran ($?).
    const checked = parse(tokenize(masked, () => ''));
    if (typeof checked === 'string') { this.last = 2; if (this.strict) this.exited = 2; return { stdout: '', stderr: checked + '\n', code: 2 }; }
    let stdout = '', stderr = '';
    let skip = !!opts.skipFirst;
    const temps: string[] = [];
    const segs = splitList(masked);
    try {
      for (let k = 0; k < segs.length; k++) {
        const seg = segs[k];
        if (!skip) {
          const sub = this.substitute(line.slice(seg.start, seg.end), temps);
          stderr += sub.stderr;
          if (sub.error !== undefined) {
            this.last = sub.error;
            if (this.strict) this.exited = sub.error;
          } else {
            const parsed = parse(tokenize(sub.text, (n) => this.get(n)));
            const p = typeof parsed === 'string' ? undefined : parsed[0];
            const pause = opts.pauseAtSleep && p?.cmds.length === 1 ? sleepMs(p.cmds[0].argv) : undefined;
            if (pause !== undefined) {
              this.last = 0;
              const rest = seg.next === undefined ? '' : line.slice(seg.end + seg.next.length);
              return { stdout, stderr, code: 0, pause: { ms: pause, rest, skipFirst: seg.next === '||' } };
            }
            let input = stdin;
            let r: CmdOut = { stdout: '', stderr: '', code: 0 };
            for (const c of p?.cmds ?? []) {
              r = this.exec(c.argv, input);
              if (c.errToOut) r = { stdout: r.stdout + r.stderr, stderr: '', code: r.code };
              if (c.outToErr) r = { stdout: '', stderr: r.stderr + r.stdout, code: r.code };
              if (c.quietErr) r = { ...r, stderr: '' };
              if (c.quietOut) r = { ...r, stdout: '' };
              stderr += r.stderr;
              input = r.stdout;
              if (this.exited !== undefined) break;
            }
            stdout += r.stdout;
            this.last = r.code;
          }
          if (this.exited !== undefined) break;
        }
        skip = (seg.next === '&&' && this.last !== 0) || (seg.next === '||' && this.last === 0);
      }
    } finally {
      for (const t of temps) this.subs.delete(t);
    }
    return { stdout, stderr, code: this.exited ?? this.last };
  }

  /** Runs one command with its arguments (already split and expanded). */
  exec(argv: string[], stdin = ''): CmdOut {
    const [given, ...args] = argv;
    const cmd = given === undefined ? undefined : commandName(given);
    const ok = (stdout = ''): CmdOut => ({ stdout, stderr: '', code: 0 });
    const fail = (stderr: string, code = 1): CmdOut => ({ stdout: '', stderr, code });
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(given ?? '');
    if (assign && !args.length) { this.vars.set(assign[1], assign[2]); return ok(); }
    switch (cmd) {
      case undefined: return ok();
      case 'true': case ':': return ok();
      case 'false': return fail('', 1);
      case 'exit': {
        const n = args.length ? Number(args[0]) : this.last;
        this.exited = Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2;
        return { stdout: '', stderr: Number.isInteger(n) ? '' : `sh: exit: Illegal number: ${args[0]}\n`, code: this.exited };
      }
      case 'echo': {
        const noNl = args[0] === '-n';
        return ok((noNl ? args.slice(1) : args).join(' ') + (noNl ? '' : '\n'));
      }
      case 'hostname': return ok(hostnameOf(this.world.pod) + '\n');
      case 'whoami': return ok('root\n');
      case 'id': return ok('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
      case 'pwd': return ok(this.cwd + '\n');
      case 'date': {
        const r = dateCommand(this.world.now(), args);
        return r.err !== undefined ? fail(r.err) : ok(r.out);
      }
      case 'uname': return ok(args.includes('-a') ? `Linux ${hostnameOf(this.world.pod)} 6.8.0 #1 SMP x86_64 GNU/Linux\n` : 'Linux\n');
      case 'sleep': return args.length && args.every((a) => /^(\d+(\.\d+)?[smhd]?|infinity)$/.test(a)) ? ok() : fail(`sleep: invalid number '${args[0] ?? ''}'\n`);
      case 'env': case 'printenv': {
        if (cmd === 'printenv' && args.length) {
          const found = args.filter((a) => this.vars.has(a));
          return { stdout: found.map((a) => this.vars.get(a) + '\n').join(''), stderr: '', code: found.length === args.length ? 0 : 1 };
        }
        return ok([...this.vars].map(([k, v]) => `${k}=${v}\n`).join(''));
      }
      case 'export': {
        for (const a of args) { const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a); if (m) this.vars.set(m[1], m[2]); }
        return ok();
      }
      case 'cd': {
        const to = this.abs(args[0] ?? '/root');
        if (!this.children(to)) return fail(`sh: cd: can't cd to ${args[0]}: No such file or directory\n`, 2);
        this.cwd = to;
        return ok();
      }
      case 'ls': {
        const paths = args.filter((a) => !a.startsWith('-'));
        let out = '', code = 0, err = '';
        for (const p of paths.length ? paths : [this.cwd]) {
          const abs = this.abs(p);
          const kids = this.children(abs);
          if (kids) out += (paths.length > 1 ? `${p}:\n` : '') + kids.map((k) => k + '\n').join('');
          else if (this.files.has(abs)) out += p + '\n';
          else { err += `ls: ${p}: No such file or directory\n`; code = 1; }
        }
        return { stdout: out, stderr: err, code };
      }
      case 'cat': {
        const files = args.filter((a) => !a.startsWith('-') || a === '-');
        if (!files.length) return ok(stdin);
        let out = '', err = '', code = 0;
        for (const f of files) {
          if (f === '-') { out += stdin; continue; }
          const abs = this.abs(f);
          if (this.files.has(abs)) out += this.files.get(abs);
          else if (this.children(abs)) { err += `cat: read error: Is a directory\n`; code = 1; }
          else { err += `cat: can't open '${f}': No such file or directory\n`; code = 1; }
        }
        return { stdout: out, stderr: err, code };
      }
      case 'grep': {
        const flags = args.filter((a) => a.startsWith('-')).join('');
        const [pattern, file] = args.filter((a) => !a.startsWith('-'));
        if (pattern === undefined) return fail('BusyBox v1.36.1 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n', 2);
        const text = file !== undefined ? this.files.get(this.abs(file)) : stdin;
        if (text === undefined) return fail(`grep: ${file}: No such file or directory\n`, 2);
        let re: RegExp;
        try { re = new RegExp(pattern, flags.includes('i') ? 'i' : ''); } catch { re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')); }
        const lines = text.split('\n').filter((l, i, all) => (i < all.length - 1 || l !== '') && re.test(l) !== flags.includes('v'));
        return { stdout: flags.includes('q') ? '' : lines.map((l) => l + '\n').join(''), stderr: '', code: lines.length ? 0 : 1 };
      }
      case 'wc': {
        const lines = stdin.split('\n').length - 1;
        return ok(args.includes('-l') ? `${lines}\n` : `${String(lines).padStart(7)} ${String(stdin.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(stdin.length).padStart(7)}\n`);
      }
      case 'sort': case 'head': case 'tail': {
        const file = args.find((a) => !a.startsWith('-') && !/^\d+$/.test(a));
        const text = file !== undefined ? this.files.get(this.abs(file)) : stdin;
        if (text === undefined) return fail(`${cmd}: can't open '${file}': No such file or directory\n`);
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        const nArg = args.find((a) => /^-?\d+$/.test(a) || /^-n\d+$/.test(a)) ?? (args.includes('-n') ? args[args.indexOf('-n') + 1] : undefined);
        const n = nArg !== undefined ? Math.abs(Number(nArg.replace(/^-n/, ''))) : 10;
        const pick = cmd === 'sort' ? [...lines].sort() : cmd === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n));
        if (cmd === 'sort' && args.includes('-r')) pick.reverse();
        return ok(pick.map((l) => l + '\n').join(''));
      }
      case 'nslookup': return nslookup(this.world, args);
      case 'getent': return getent(this.world, args);
      case 'wget': return wget(this.world, args, (p, t) => this.files.set(this.abs(p), t));
      case 'curl': return curl(this.world, args);
      case 'sh': case 'ash': case 'bash': { // SHELLS
        const c = args.indexOf('-c');
        const sub = this.fork();
        const r = c >= 0 ? sub.run(args[c + 1] ?? '') : sub.runScript(stdin);
        return { ...r, code: sub.exited ?? r.code };
      }
      default:
        return fail(`sh: ${given}: not found\n`, 127);
    }
  }

  /** Runs a whole script (non-interactive `sh` reading its standard input). */
  runScript(text: string): CmdOut {
    let stdout = '', stderr = '';
    for (const line of text.split('\n')) {
      const r = this.run(line);
      stdout += r.stdout;
      stderr += r.stderr;
      if (this.exited !== undefined) break;
    }
    return { stdout, stderr, code: this.exited ?? this.last };
  }
}

/** Direct exec of `argv` as the container runtime does it (no shell around it). */
export function execCommand(world: ExecWorld, argv: string[], stdin = ''): CmdOut {
  const state = new ShellState(world);
  return state.exec(argv, stdin);
}
