/**
 * `kubectl exec` into a simulated container: a small, deterministic
 * busybox-like shell that answers from the simulation's truth (the pod, the
 * DNS and kube-proxy models, ConfigMaps and Secrets, the simulated clock).
 * No I/O here: the HTTP layer feeds stdin and ships what comes out.
 *
 * The shell knows `;`, `&&`, `||`, `|`, single and double quotes, `$VAR`,
 * `${VAR}`, `$?`, `$(command)`, `$((arithmetic))`, and the redirections
 * `>`, `>>`, `<`, `2>`, `2>&1`, `>&2` into the container's filesystem
 * (mounts.ts: its writable layer and its volumes), and the compound commands
 * of shellcompound.ts (if, for, while, until, case, groups).
 * Commands that sleep return at once: simulated time is not held up by a shell.
 */
import { docRoot, gnuCoreutils, imageSh, lacksProgram, parseImage } from '../../../kube/src/imageConvention';
import { imageRoot } from './imageroot';
import { du, find, ln, readlink, stat } from './fsutils';
import { dd } from './ddcmd';
import { containerEnv, containerSpecOf, type ExecWorld } from './execenv';
import { kernelHostname } from './hostname';
import { canonicalName } from './hostsfile';
import { grep } from './grep';
import { kubectl } from './kubectl';
import type { KObject } from '../contract';
import { curl, getent, nc, ping, wget, type CmdOut } from './netcmds';
import { nslookup } from './nslookup';
import { ifconfig, ipCommand, netstat, route } from './netinfo';
import { arithmetic, blankComments, commandName, doubleBracketOperators, hasGlob, unescapeGlob, joinContinuations, maskSubstitutions, ParameterError, parse, patternOf, sleepMs, splitList, substitutionSpans, tokenize, type Redirect, type RunOptions, type RunOut, type Simple } from './shellsyntax';
import { normalize, type ContainerFs } from './disk';
import { containerFs } from './mounts';
// SPECIAL_BUILTINS: the POSIX special builtins, which a function of the same name does not hide.
import { clearCommand, commandV, isBuiltin, nginxCommand, SPECIAL_BUILTINS, typeCommand, whichCommand, type LookupContext } from './lookupcmds';
import { nginxVersion } from './nginxversion';
import { SIMULATED_PROGRAMS } from './debianroot';
import { ERRNO_TEXT, cat, cpMv, errnoOf, gnuQuote, ls, mkdir, rm, rmdir, tee, test, touch, withBytes, type FileContext } from './filecmds';
import { tar, tarReadsStdin } from './tar';
import { backslashEscapes, basename, cut, dirname, expr, printf, seq, tr, uniq } from './textcmds';
import { casePattern, parseCompound, readsOn, ShellSyntaxError, type ShellNode } from './shellcompound';
import { expandBody, extractHereDocs, hereDocIndex, type HereDoc } from './heredoc';
import { etcNames, execsInPlace, groupName, idCommand, identityOf, namespaceProcs, userName, whoamiCommand, type EtcFiles, newPid, ps, respawnWorkers, signalEffect, signalName, signalNumber, SIGNAL_LIST, type Proc } from './procs';

/** What a compound command does as it runs: output, or a `sleep` it reached (when the kubelet plays it). */
/**
 * What a script does next, as the shell plays it: output, a sleep (time passes), or a `wait` for background
 * jobs, which the scheduler (ShellState.schedule) answers with the status `wait` returns.
 */
export type ShellStep = { out: string; err: string } | { sleep: number } | { wait: number[] | null; resume: (status: number) => void; by?: ShellState };
/** A background job (`cmd &`): its subshell, its PID, where it is in its commands, and when it goes on. */
interface Job {
  pid: number;
  shell: ShellState;
  steps: Generator<ShellStep, Jump | undefined>;
  at: number;
  status?: number;
  /** The shell that started it, whose `wait` waits for it (a job a subshell left behind is no one's to wait for). */
  owner: ShellState;
  /** What `ps` shows for it, and since when. */
  args: string;
  started: number;
  /** A signal that ended it (`kill $!`): its status is 128 + the signal. */
  killed?: number;
}
/** Signals whose default action is to do nothing (the rest end a process that has no handler). */
const IGNORED_BY_DEFAULT = new Set([17, 23, 28]);
/** A `break` or `continue` still to be taken by an enclosing loop, or a `return` by the function being run. */
type Jump = { kind: 'break' | 'continue'; n: number } | { kind: 'return' };
/** A defined function: its body, and the text its spans are offsets into. */
interface ShellFunction { body: ShellNode; line: string }
/** Busybox ash, dash or bash: the shells whose words the simulated one speaks (ShellState.dialect). */
export type Dialect = 'ash' | 'dash' | 'bash';
/**
 * Commands that dash and bash run as builtins although an image may lack the program of that name: `kill` is
 * procps's /usr/bin/kill, which Debian's slim images do not have, and a builtin of both shells.
 */
const BUILTIN_PROGRAMS: ReadonlySet<string> = new Set(['kill']);
/** How many newlines `text` has before `end`. */
function newlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
/** How deep function calls may nest before the simulated shell stops (ash itself would run out of stack). */
const MAX_CALL_DEPTH = 200;
/** How a node runs: as a test (no `set -e` exit), pausing at sleeps (a played script), inside how many loops. */
/** `fn`: inside a function, where `return` ends the call. */
interface WalkOptions { tested: boolean; pause: boolean; depth: number; fn?: boolean }

export { arithmetic, commandName, tokenize, type RunOptions, type RunOut };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `date` with no format: busybox's default, "%a %b %e %H:%M:%S %Z %Y" (coreutils/date.c), whose %e pads the day
 * with a space: `Tue Dec  1 04:36:34 UTC 2026`, `Sat Nov 28 07:08:30 UTC 2026`. GNU date prints the same in the C locale.
 */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
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

/** A value single-quoted as dash's and ash's single_quote() (mystring.c) writes it: every `'` as `'"'"'`. */
function singleQuoted(v: string): string {
  return `'${v.replace(/'/g, `'"'"'`)}'`;
}

/**
 * A value as bash's `set` prints it (variables.c print_var_value): `$'…'` when it holds a control character
 * (ansic_quote), single quotes when it holds a character special to the shell (sh_single_quote), else as it is.
 */
function bashQuoted(v: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(v)) {
    const esc: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1b': '\\E', "'": "\\'", '\\': '\\\\' };
    // eslint-disable-next-line no-control-regex
    return `$'${v.replace(/[\x00-\x1f\x7f'\\]/g, (c) => esc[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`)}'`;
  }
  return /[\s'"\\|&;()<>!{}*[\]?^$`~#]/.test(v) ? `'${v.replace(/'/g, "'\\''")}'` : v;
}

/** Variable names in the order the shells list them (strcmp in the C locale). */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * GNU getopt's answer to an option a coreutils program does not know (`wc -q`): `invalid option -- 'q'`, or for
 * one that lacks its value `option requires an argument -- 'n'`, then the hint to `--help` (coreutils' usage()),
 * with the program's failure status (`ls`'s is 2: LS_FAILURE); undefined when the options are all right.
 * `optstring` is getopt's: a letter followed by `:` takes a value, the rest of the word or the next argument
 * (`::`, an optional one, the rest of the word alone).
 * Long options pass, and so does a word of digits after `-` for the programs that read it as a count (`head -5`).
 */
function badOption(cmd: string, args: string[], optstring: string, status = 1): CmdOut | undefined {
  const fail = (what: string, f: string): CmdOut => ({ stdout: '', stderr: `${cmd}: ${what} -- '${f}'\nTry '${cmd} --help' for more information.\n`, code: status });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-' || a.startsWith('--')) continue;
    if ((cmd === 'head' || cmd === 'tail') && /^-\d+$/.test(a)) continue;
    for (let k = 1; k < a.length; k++) {
      const f = a[k];
      const at = f === ':' ? -1 : optstring.indexOf(f);
      if (at < 0) return fail('invalid option', f);
      if (optstring[at + 1] !== ':') continue;
      // `::`: an optional value, only in the same word (`date -I`, `date -Iseconds`).
      if (optstring[at + 2] === ':') break;
      if (k === a.length - 1 && i === args.length - 1) return fail('option requires an argument', f);
      if (k === a.length - 1) i++;
      break;
    }
  }
  return undefined;
}

/** The short options (getopt's optstring) of the GNU coreutils programs the shell answers for. */
const GNU_OPTIONS: Record<string, string> = {
  ls: 'abcdfghiklmnopqrstuvw:xABCDFGHI:LNQRST:UXZ1', cat: 'AbeEnstTuv', date: 'd:f:I::r:Rs:u', uname: 'asnrvmpio',
  id: 'agnruzGZ', whoami: '', wc: 'clmwL', head: 'c:n:qvz', tail: 'c:fFn:qs:vz', sort: 'bcCdfghik:mMno:rRsS:t:T:uVz',
};

/** A word as ash's xtrace prints it: plain when it needs no quoting, else single-quoted (`'` as `'"'"'`). */
function traceWord(w: string): string {
  return /^[A-Za-z0-9_./=:@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`;
}

/** The shells the simulated image answers to; `bash` behaves as busybox `ash` does. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'ash', 'bash']);


/**
 * A shell's options as sh reads them: flag clusters before the script (`-c`, `-ec`, `-lc`, `-e -c`). Answers
 * the index of the cluster holding `c` (the script is the next argument; -1 without one) and whether `-e` is on.
 */
export function shellFlags(args: string[]): { script: number; errexit: boolean } {
  let errexit = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!/^-[a-zA-Z]+$/.test(a)) break;
    if (a.includes('e')) errexit = true;
    if (a.includes('c')) return { script: i, errexit };
  }
  return { script: -1, errexit };
}

/** Commands that read standard input when given no file. */
const STDIN_READERS = new Set(['cat', 'grep', 'wc', 'head', 'tail', 'sort', 'uniq', 'cut', 'tr', 'tee', ...SHELLS]);

/** Whether a direct exec of `argv` would wait for standard input. */
export function readsStdin(argv: string[], depth = 0): boolean {
  if (!argv.length || depth > 3) return false;
  const cmd = commandName(argv[0]);
  const rest = argv.slice(1);
  if (!STDIN_READERS.has(cmd)) return false;
  if (SHELLS.has(cmd)) { const c = shellFlags(rest).script; return c < 0 || scriptReadsStdin(rest[c + 1] ?? '', depth); }
  if (cmd === 'tee') return true;
  const files = rest.filter((a) => !a.startsWith('-'));
  return cmd === 'grep' ? files.length < 2 : files.length === 0;
}

/**
 * Whether a `sh -c` script reads its standard input: one of its commands
 * does, with no `<` of its own (`cat > /tmp/f`, `tar xf -`). `kubectl exec -i
 * pod -- sh -c 'cat > f' < file` then waits for the input to end.
 */
function scriptReadsStdin(script: string, depth: number): boolean {
  const parsed = parse(tokenize(maskSubstitutions(script), () => 'x'));
  if (typeof parsed === 'string') return false;
  return parsed.some((p) => {
    const first = p.cmds[0];
    return !!first && !first.redirs.some((r) => r.op === '<') && (readsStdin(first.argv, depth + 1) || readsBinaryStdin(first.argv));
  });
}

/** A direct `tar` that reads its archive from standard input (`kubectl cp` into a container). */
export function readsBinaryStdin(argv: string[]): boolean {
  return commandName(argv[0] ?? '') === 'tar' && tarReadsStdin(argv.slice(1));
}

/** ash's words for a redirection that fails: ENOENT and ENOTDIR get its own, the rest strerror's. */
function redirectError(op: 'create' | 'open', target: string, e: unknown): string {
  const no = errnoOf(e);
  const why = no === 'ENOENT' || no === 'ENOTDIR' ? (op === 'create' ? 'nonexistent directory' : 'no such file') : ERRNO_TEXT[no];
  return `sh: can't ${op} ${target}: ${why}\n`;
}

/** Where a stream goes: the command's own output, nowhere, a file, or the container's first process's output (its log). */
type Sink = 1 | 2 | null | { path: string } | { main: true };

/** One shell's state: variables, working directory, files it wrote, whether `exit` ran. */
export class ShellState {
  readonly vars = new Map<string, string>();
  /**
   * The variables in the environment: the container's, and those `export` marks. A shell run from this one
   * (spawnShell) gets these alone, as a program gets only its envp; the others are this shell's own.
   */
  readonly exported = new Set<string>();
  /** Results of `$( )` and `$(( ))` for the element being run: read like variables, never part of the environment. */
  private readonly subs = new Map<string, string>();
  /** A script's shell (not an interactive one): an expansion error ends it with status 2, as ash's non-interactive shell. */
  strict = false;
  /** `set -f`: no pathname expansion. */
  noglob = false;
  /** A `sh -c` run by this state answers its output in the order written too (`order`), for an exec session to send so. */
  orderedShells = false;
  /** `sh -e`: a command that fails ends the shell. */
  errexit = false;
  /** A terminal's shell (execsession.ts): a `return` outside a function ends the line typed, not the shell. */
  interactive = false;
  /** A shell reading a terminal (`kubectl exec -it`), not a pipe: bash's `exit` says so on it. */
  onTerminal = false;
  /** A login shell (`bash -l`): bash's `exit` says `logout`. */
  login = false;
  /** The terminal's width when this shell runs on one (`kubectl exec -it`): ls lays out its names in columns there. */
  terminalColumns?: number;
  /**
   * Where the shell's own standard output and error go (`exec >file 2>&1` moves them for every command after it);
   * a subshell and a shell run from this one inherit them, as a forked process inherits its descriptors.
   */
  private fds: { out: Sink; err: Sink } = { out: 1, err: 2 };
  /** Set while a command runs whose standard output is that terminal (not a pipe, a file or a substitution). */
  private toTerminal = false;
  private randomState: number | undefined;
  /** The status of the last command substitution of the list element being run (undefined: none ran). */
  private subStatus: number | undefined;
  /** `set -x`: commands are traced on stderr. */
  xtrace = false;
  cwd = '/';
  /** The programs this shell has run (its command hash table, which `type` reports as tracked). */
  private hashed = new Set<string>();
  last = 0;
  /** How many times a played script has paused at a sleep (a loop that sleeps is not spinning). */
  private sleeps = 0;
  /** The input a compound command reads from (`done < file`, `cmd | while read …`), shared by its `read`s. */
  private input: { text: string; pos: number } | undefined;
  /** The background jobs of the script being run, shared with its subshells and functions (see schedule). */
  private jobs: Job[] = [];
  /** `$!`: the last background job's PID. */
  private lastJob: number | undefined;
  /** `trap`: the command run for each signal (0: EXIT); an empty one ignores the signal. */
  private traps = new Map<number, string>();
  /** Trapped signals received and not yet handled. */
  private pending: number[] = [];
  exited?: number;
  readonly fs: ContainerFs;
  /**
   * The process this shell is, for `ps` (procs.ts): a session's shell (`kubectl exec -- sh`, `sh -c` run from
   * another shell), none for a command the runtime execs directly, or the container's own first process when the
   * session is attached to it. Subshells share their shell's.
   */
  session: ShellProcess;
  /** The here-documents taken out of what this shell has read (heredoc.ts), shared with its subshells, which run the same text. */
  private hereDocs: HereDoc[];
  /** `$0`, and the positional parameters `$1`… (`sh -c SCRIPT NAME ARGS`, a function's arguments, `set --`). */
  arg0 = 'sh';
  /**
   * Which shell this is, whose words its own errors take (shellError): busybox ash, dash (`sh` in the
   * Debian-based images, imageUserland.ts) or bash.
   */
  dialect: Dialect;
  /** The line of its input the text being run starts at (a terminal's lines count one by one, as dash's parser does). */
  lineBase = 1;
  /** The lines a compound command's leaf lies below the start of the text being run (walk). */
  private lineShift = 0;
  /** The line of the command being run, which dash and a script's bash put in their errors. */
  private lineNo = 1;
  params: string[] = [];
  /** The functions defined so far. */
  private functions = new Map<string, ShellFunction>();
  /** The variables each running function made `local`, with the values to put back when it returns. */
  private locals: Array<Map<string, string | undefined>> = [];

  /** A new container shell, or with `parent` a child of it (see fork). */
  constructor(readonly world: ExecWorld, parent?: ShellState) {
    if (parent) {
      this.dialect = parent.dialect;
      this.lineBase = this.lineNo = parent.lineNo;
      for (const [k, v] of parent.vars) this.vars.set(k, v);
      for (const k of parent.exported) this.exported.add(k);
      // A subshell starts from its parent's $RANDOM sequence, as a forked ash does.
      this.randomState = parent.randomState;
      this.cwd = parent.cwd;
      this.fs = parent.fs;
      this.session = parent.session;
      this.hereDocs = parent.hereDocs;
      this.fds = parent.fds;
      return;
    }
    this.hereDocs = [];
    this.dialect = imageSh(String(containerSpecOf(world).image ?? ''));
    this.session = { args: 'sh', started: world.now() };
    for (const [k, v] of containerEnv(world)) { this.vars.set(k, v); this.exported.add(k); }
    this.fs = containerFs(world);
  }

  /** A child shell (`sh -c` run from this one): its own copy of the variables and directory, the same filesystem. */
  fork(): ShellState {
    return new ShellState(this.world, this);
  }

  /**
   * A new shell process this one runs (`bash` typed at a prompt, `sh -c …`): it starts in this one's directory,
   * with the environment alone (the exported variables; a variable this shell did not export stays behind, as a
   * program gets only its envp), its own $0 (the name it was run by), its own line count from 1, its own dialect
   * (`bash` is bash, `sh` the image's: dash in the Debian-based ones), and no functions, traps or jobs.
   */
  spawnShell(argv: string[]): ShellState {
    const child = this.fork();
    for (const k of [...child.vars.keys()]) if (!this.exported.has(k)) child.vars.delete(k);
    child.session = { args: argv.join(' '), started: this.world.now(), parent: this.session };
    child.dialect = commandName(argv[0]) === 'bash' ? 'bash' : imageSh(String(containerSpecOf(this.world).image ?? ''));
    child.lineBase = child.lineNo = 1;
    child.arg0 = argv[0];
    return child;
  }

  /**
   * A subshell (`( … )`, `$( … )`, a pipeline's compound part): a copy of this shell, with its options,
   * positional parameters and functions, whose changes stay in it.
   */
  subshell(): ShellState {
    const child = this.fork();
    child.strict = this.strict;
    child.errexit = this.errexit;
    child.xtrace = this.xtrace;
    child.arg0 = this.arg0;
    child.params = this.params;
    child.functions = new Map(this.functions);
    child.input = this.input;
    child.jobs = this.jobs;
    child.lastJob = this.lastJob;
    // A subshell keeps the signals its parent ignores; the other traps are reset (POSIX).
    for (const [sig, action] of this.traps) if (action === '') child.traps.set(sig, '');
    return child;
  }

  /**
   * A signal sent to this shell (the kubelet's SIGTERM to a container's first process): true when a trap
   * catches or ignores it. A caught one runs its trap as soon as the script gets control: at once in a `wait`
   * (which then returns 128 + the signal), after the command running in the foreground (a `sleep`) otherwise.
   */
  signal(sig: number): boolean {
    const action = this.traps.get(sig);
    if (action === undefined) return false;
    if (action !== '') this.pending.push(sig);
    return true;
  }

  get(name: string): string {
    return this.lookup(name) ?? '';
  }

  /** A variable's value, undefined when it is unset. */
  lookup(name: string): string | undefined {
    if (name === 'RANDOM') {
      // Assigning RANDOM seeds the sequence, as in ash.
      const seed = this.vars.get('RANDOM');
      if (seed !== undefined) { this.randomState = (Number.parseInt(seed, 10) || 0) >>> 0; this.vars.delete('RANDOM'); }
      return String(this.random());
    }
    if (name === '$') return this.shellPid();
    // ash sets PPID at start: the shell's parent, 0 when that is outside the namespace (the runtime started it).
    if (name === 'PPID' && !this.vars.has('PPID')) {
      this.processes();
      return String(this.session.kind === 'attached' || this.session.kind === 'direct' ? 0 : this.session.parent?.pid ?? 0);
    }
    if (name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57 && /^[0-9]+$/.test(name)) {
      const n = Number(name);
      return n === 0 ? this.arg0 : this.params[n - 1];
    }
    if (name === '#') return String(this.params.length);
    if (name === '!') return this.lastJob === undefined ? undefined : String(this.lastJob);
    if (name === '@' || name === '*') return this.params.length ? this.params.join(' ') : undefined;
    return name === '?' ? String(this.last) : this.subs.get(name) ?? this.vars.get(name);
  }

  /** `$$`: the PID of the shell this session is (a subshell's is its parent's, as in ash; an attached one is the container's). */
  private shellPid(): string {
    const { procs } = this.processes();
    if (this.session.kind === 'attached') return String(procs.find((p) => p.container === this.world.container && p.ppid === 0)?.pid ?? 1);
    return this.session.pid !== undefined ? String(this.session.pid) : '';
  }

  /**
   * ash's `$RANDOM`: a new number from 0 to 32767 at each read. The sequence is the simulation's: seeded by the
   * pod's uid and the container, so the same playground gives the same numbers on every run.
   */
  private random(): number {
    if (this.randomState === undefined) {
      let h = 2166136261;
      for (const ch of `${this.world.pod.metadata?.uid ?? ''}/${this.world.container}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
      this.randomState = h;
    }
    this.randomState = (Math.imul(this.randomState, 1103515245) + 12345) >>> 0;
    return (this.randomState >>> 16) & 0x7fff;
  }

  private abs(p: string): string {
    return normalize(p, this.cwd);
  }

  /** A word after pathname expansion: the names its pattern matches, sorted, or the word itself when none does. */
  private globbed(word: string, pattern: string | undefined): string[] {
    if (pattern === undefined || this.noglob || !hasGlob(pattern)) return [word];
    const found = this.pathnames(pattern);
    return found.length ? found : [word];
  }

  /**
   * ash's expmeta: the pattern is matched a path component at a time against the folders' entries, from the
   * working folder or `/`; a name with a leading dot needs a dot in the pattern; a trailing `/` keeps folders
   * alone. The names come sorted as bytes (ash's expsort), as typed (relative stays relative).
   */
  private pathnames(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const dirsOnly = /[^/]\/+$/.test(pattern);
    const comps = pattern.split('/').filter((c) => c !== '');
    let found = [absolute ? '/' : ''];
    const join = (base: string, name: string) => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);
    for (const comp of comps) {
      const next: string[] = [];
      if (!hasGlob(comp)) {
        const lit = unescapeGlob(comp);
        for (const f of found) next.push(join(f, lit));
      } else {
        const re = casePattern(comp);
        const dotted = comp.startsWith('.') || comp.startsWith('\\.');
        for (const f of found) {
          let names: string[];
          // readdir gives `.` and `..` too, which a pattern with a leading dot matches (`.*`).
          try { names = [...(dotted ? ['.', '..'] : []), ...this.fs.list(this.abs(f === '' ? '.' : f))]; } catch { continue; }
          for (const n of names) if ((dotted || !n.startsWith('.')) && re.test(n)) next.push(join(f, n));
        }
      }
      found = next;
      if (!found.length) return [];
    }
    found = found.filter((f) => {
      const st = this.fs.stat(this.abs(f)) ?? this.fs.lstat(this.abs(f));
      return st !== undefined && (!dirsOnly || st.dir);
    });
    return (dirsOnly ? found.map((f) => `${f}/`) : found).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * The container's /etc/passwd and /etc/group where the image's are modelled (imageroot.ts), so that names follow
   * what the container has now; undefined for other images, whose names come from procs.ts's tables.
   */
  private etc(): EtcFiles | undefined {
    if (!imageRoot(String(containerSpecOf(this.world).image ?? ''))) return undefined;
    return { passwd: this.readFile('/etc/passwd'), group: this.readFile('/etc/group') };
  }

  /** What `type`, `command -v` and `which` look commands up in: this shell's PATH, functions and hash, the container's files. */
  private commandLookup(): LookupContext {
    const image = String(containerSpecOf(this.world).image ?? '');
    const modelled = !!imageRoot(image);
    return {
      dialect: this.dialect, path: this.vars.get('PATH') ?? '', hashed: this.hashed,
      hasFunction: (n) => this.functions.has(n),
      executable: (p) => {
        if (!modelled) return undefined;
        const st = this.fs.stat(this.abs(p));
        return !!st && !st.dir && (st.mode & 0o111) !== 0;
      },
      hasProgram: (n) => (SIMULATED_PROGRAMS.has(n) || (n === 'nginx' && !!docRoot({ image }))) && !lacksProgram(image, n),
    };
  }

  private fileContext(stdin: string, stdinBytes?: Uint8Array): FileContext {
    const image = String(containerSpecOf(this.world).image ?? '');
    const etc = this.etc();
    let known: { users: Record<number, string>; groups: Record<number, string> } | undefined;
    const read = () => (known ??= { users: etcNames(etc!.passwd).names, groups: etcNames(etc!.group).names });
    const names = etc
      ? { user: (n: number) => read().users[n] ?? String(n), group: (n: number) => read().groups[n] ?? String(n) }
      : { user: (n: number) => userName(image, n), group: (n: number) => groupName(image, n) };
    return {
      fs: this.fs, cwd: this.cwd, now: () => this.world.now(), stdin, stdinBytes, names, gnu: gnuCoreutils(image),
      ...(this.toTerminal && this.terminalColumns ? { columns: this.terminalColumns } : {}),
    };
  }

  /** A file's text, or undefined when it cannot be read. */
  private readFile(p: string): string | undefined {
    try { return this.fs.readText(this.abs(p)); } catch { return undefined; }
  }

  /** Writes a file a command saves (wget's, curl -o); strerror's words when it cannot. */
  private saveFile(p: string, text: string): string | undefined {
    try { this.fs.write(this.abs(p), text); return undefined; } catch (e) { return ERRNO_TEXT[errnoOf(e)]; }
  }

  /**
   * Redirections applied left to right: where stdout and stderr go (1 the terminal or the pipe, 2 stderr, null
   * nowhere, or a file, created or truncated now and appended to as output comes) and what stdin holds; or
   * ash's message when one cannot be opened.
   */
  private applyRedirections(redirs: readonly Redirect[], stdin: string, stdinBytes?: Uint8Array): { out: Sink; err: Sink; stdin: string; stdinBytes?: Uint8Array; note?: string } | string {
    let { out, err } = this.fds;
    let note: string | undefined;
    for (const r of redirs) {
      if (r.op === '>&') { const to: Sink = r.target === '1' ? out : err; if (r.fd === 1) out = to; else err = to; continue; }
      const doc = r.op === '<' ? hereDocIndex(r.target) : undefined;
      if (doc !== undefined) {
        const t = this.hereDocText(doc);
        if (t.error !== undefined) return t.error;
        stdin = t.text;
        stdinBytes = undefined;
        if (t.stderr) note = (note ?? '') + t.stderr;
        continue;
      }
      const abs = this.abs(r.target);
      if (r.op === '<') {
        if (abs === '/dev/null') { stdin = ''; stdinBytes = undefined; continue; }
        try { stdinBytes = this.fs.read(abs); stdin = Buffer.from(stdinBytes).toString('utf8'); } catch (e) { return redirectError('open', r.target, e); }
        continue;
      }
      let sink: Sink;
      const fd = /^&(\d+)$/.exec(r.target);
      if (fd) return `sh: ${fd[1]}: Bad file descriptor\n`;
      if (r.target.endsWith('/')) return `sh: can't create ${r.target}: Is a directory\n`;
      if (abs === '/dev/null') sink = null;
      // The descriptor as it is at this point of the command's redirections (`exec >log` moved the shell's).
      else if (abs === '/dev/stdout' || abs === '/proc/self/fd/1') sink = out;
      else if (abs === '/dev/stderr' || abs === '/proc/self/fd/2') sink = err;
      // The terminal itself, whatever the descriptors say (`exec >/dev/tty` after `exec >log`).
      else if (abs === '/dev/tty' && this.onTerminal) sink = 1;
      // PID 1's output is the container's log (the usual way for a hook or an exec to write there); for the
      // container's own first process, that is its own output.
      else if ((abs === '/proc/1/fd/1' || abs === '/proc/1/fd/2') && this.world.mainOutput) sink = this.session?.kind === 'attached' ? (abs.endsWith('1') ? 1 : 2) : { main: true };
      else {
        try {
          if (r.op === '>' || !this.fs.stat(abs)) this.fs.write(abs, '', false);
          else this.fs.checkWritable(abs);
        } catch (e) { return redirectError('create', r.target, e); }
        sink = { path: abs };
      }
      if (r.fd === 2) err = sink; else out = sink;
    }
    return { out, err, stdin, stdinBytes, ...(note ? { note } : {}) };
  }

  /**
   * A here-document's text as its command reads it now: as written, or expanded with the variables of this
   * moment (a body in a loop is expanded at each pass). busybox expands a body in a child process: an
   * assignment there (`${X=1}`) stays there, and an expansion error is the child's message, after which the
   * command still runs, reading nothing. `stderr` is what the expansion wrote.
   */
  private hereDocText(n: number): { text: string; stderr?: string; error?: string } {
    const doc = this.hereDocs[n];
    if (!doc) return { text: '' };
    if (!doc.expand) return { text: doc.body };
    let stderr = '';
    const child = this.subshell();
    try {
      const text = expandBody(doc.body, {
        vars: (name) => child.lookup(name),
        assign: (name, v) => child.vars.set(name, v),
        command: (cmd) => {
          const r = child.subshell().run(cmd);
          stderr += r.stderr;
          return (r.bin ? Buffer.from(r.bin).toString('utf8') : r.stdout).replace(/\n+$/, '');
        },
        arithmetic: (e) => String(arithmetic(e, (name) => child.get(name))),
      });
      return { text, stderr };
    } catch (e) {
      return { text: '', stderr: stderr + `sh: ${(e as Error).message}\n` };
    }
  }

  /** A script's text with its here-documents taken out and kept for its commands to read (heredoc.ts). */
  private takeHereDocs(text: string): string {
    const x = extractHereDocs(text, this.hereDocs.length);
    this.hereDocs.push(...x.docs);
    // Comments go first (a comment ends at its newline, a backslash before it or not), then line continuations are
    // joined: what follows a `#` on its line is never run, `;` and all.
    return doubleBracketOperators(joinContinuations(blankComments(x.text)));
  }

  /**
   * One command of a pipeline with its redirections, applied left to right
   * as ash does: files are created (or truncated) before the command runs,
   * and one that cannot be opened stops it with status 1.
   */
  private runSimple(c: Simple, stdin: string, stdinBytes?: Uint8Array): CmdOut {
    // Inside `[[ … ]]` words are patterns and strings, never pathnames (bash and busybox ash expand them unglobbed).
    if (c.globs && c.argv[0] !== '[[') c = { ...c, argv: c.argv.flatMap((w, i) => this.globbed(w, c.globs![i])) };
    const io = this.applyRedirections(c.redirs, stdin, stdinBytes);
    if (typeof io === 'string') return { stdout: '', stderr: io, code: 1 };
    const { out, err } = io;
    // `exec` with redirections alone (POSIX exec: "any redirections shall take effect in the current shell").
    if (c.argv.length === 1 && c.argv[0] === 'exec') { this.fds = { out, err }; return { stdout: '', stderr: io.note ?? '', code: 0 }; }
    ({ stdin, stdinBytes } = io);
    const note = io.note ?? '';
    // set -x: each command, expanded, on stderr after ash's PS4 (`+ `), its words quoted where the shell would need it.
    const trace = this.xtrace && c.argv.length ? `+ ${c.argv.map(traceWord).join(' ')}\n` : '';
    const wasTerminal = this.toTerminal;
    this.toTerminal = wasTerminal && out === 1;
    let r: CmdOut;
    try {
      r = c.argv.length ? this.exec(c.argv, stdin, stdinBytes) : { stdout: '', stderr: '', code: 0 };
    } finally {
      this.toTerminal = wasTerminal;
    }
    if (trace || note) r.stderr = note + trace + r.stderr;
    const res: CmdOut = { stdout: '', stderr: '', code: r.code };
    let writeError = '';
    // Output that came as bytes (tar, cat) stays bytes on stdout and in files; stderr is text.
    const emit = (sink: Sink, text: string, bytes?: Uint8Array) => {
      if (sink === null || (!text && !bytes?.length)) return;
      if (sink === 1) {
        if (bytes) res.bin = res.bin ? new Uint8Array(Buffer.concat([res.bin, bytes])) : bytes;
        else if (res.bin) res.bin = new Uint8Array(Buffer.concat([res.bin, Buffer.from(text, 'utf8')]));
        else res.stdout += text;
      } else if (sink === 2) res.stderr += bytes ? Buffer.from(bytes).toString('utf8') : text;
      else if ('main' in sink) this.world.mainOutput!(bytes ? Buffer.from(bytes).toString('utf8') : text);
      else {
        try { this.fs.write(sink.path, bytes ?? text, true); } catch (e) { writeError = `sh: write error: ${ERRNO_TEXT[errnoOf(e)]}\n`; }
      }
    };
    emit(out, r.bin ? '' : r.stdout, r.bin);
    emit(err, r.stderr);
    if (writeError) { res.stderr += writeError; res.code = 1; }
    return res;
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
        const r = this.subshell().run(inner);
        stderr += r.stderr;
        value = r.stdout.replace(/\n+$/, '');
        this.subStatus = r.code;
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
    line = this.takeHereDocs(line);
    const masked = maskSubstitutions(line);
    const tree = this.parseTree(masked, this.strict);
    if (typeof tree === 'string') return { stdout: '', stderr: tree, code: 2 };
    // A shell ends with its line unless it is a terminal's (one line of many) or reads a script a part at a time.
    const final = !this.interactive && !opts.chunk;
    if (tree) {
      // A compound command: sleeps inside it return at once here (the kubelet plays scripts with `steps`).
      let stdout = '', stderr = '';
      const order: Array<{ fd: 1 | 2; text: string }> = [];
      for (const step of this.schedule(this.walk(tree, line, stdin, { tested: !!opts.tested, pause: false, depth: 0 }), false, final)) {
        if ('out' in step) {
          stdout += step.out; stderr += step.err;
          if (step.out) order.push({ fd: 1, text: step.out });
          if (step.err) order.push({ fd: 2, text: step.err });
        }
      }
      return { stdout, stderr, code: this.exited ?? this.last, ...(opts.ordered ? { order } : {}) };
    }
    const r = this.runFlat(line, masked, stdin, opts);
    if (r.pause || !this.traps.get(0) || !(final || this.exited !== undefined)) return r;
    return this.withExitTrap(r);
  }

  /** The shell ends (a terminal's end of input): its EXIT trap runs, and the status is the one it ends with. */
  endShell(): CmdOut {
    let stdout = '', stderr = '';
    for (const step of this.exitTrap(false)) if ('out' in step) { stdout += step.out; stderr += step.err; }
    return { stdout, stderr, code: this.exited ?? this.last };
  }

  /** What a flat line wrote, then what its EXIT trap writes as the shell ends. */
  private withExitTrap(r: RunOut): RunOut {
    const t = this.endShell();
    return { ...r, stdout: r.stdout + t.stdout, stderr: r.stderr + t.stderr, code: t.code };
  }

  /** Runs the EXIT trap once, as the shell ends; the status stays the one the shell ended with unless it exits. */
  private *exitTrap(pause: boolean): Generator<ShellStep, void> {
    const action = this.traps.get(0);
    if (!action) return;
    this.traps.delete(0);
    const code = this.exited ?? this.last;
    this.exited = undefined;
    yield* this.trapSteps(action, pause);
    this.exited = this.exited ?? code;
  }

  /** A trap's command, parsed and walked as a script of its own. */
  private *trapSteps(action: string, pause: boolean): Generator<ShellStep, void> {
    const line = this.takeHereDocs(action);
    const tree = this.parseTree(maskSubstitutions(line), false);
    if (typeof tree === 'string') { yield { out: '', err: tree }; return; }
    const saved = this.last;
    yield* this.walk(tree ?? { t: 'simple', span: { start: 0, end: line.length } }, line, '', { tested: false, pause, depth: 0 });
    // The trap does not change $? for what runs after it.
    if (this.exited === undefined) this.last = saved;
  }

  /**
   * Runs a script's commands with its background jobs (`cmd &`) beside them, in the order of a clock of its
   * own: the script goes on until it sleeps or waits, then each job that is due, and when nothing is due the
   * clock moves to the next wake (yielded as a sleep when `pause`, so that simulated time passes; the value
   * sent back is how much did, less when a signal woke the script early). A `wait` returns when its jobs have
   * ended, with the last one's status. When the script ends, its jobs end with it (the container's first
   * process is gone); at the end of a shell (`final`), its EXIT trap runs.
   */
  private *schedule(main: Generator<ShellStep, unknown>, pause: boolean, final: boolean): Generator<ShellStep, void, number | undefined> {
    const outer = this.jobs;
    const jobs: Job[] = (this.jobs = []);
    let t = 0;
    let mainAt = 0;
    let waiting: Extract<ShellStep, { wait: unknown }> | undefined;
    let script: Generator<ShellStep, unknown> = main;
    const ended = (pid: number) => jobs.find((j) => j.pid === pid);
    // A `wait` is over when every job it names (or every job) has ended; it returns the last one's status (127: no such job).
    const waitOver = (w: Extract<ShellStep, { wait: unknown }>): number | undefined => {
      if (!w.wait) return jobs.every((j) => j.status !== undefined || (w.by && j.owner !== w.by)) ? 0 : undefined;
      let status = 0;
      for (const pid of w.wait) {
        const j = ended(pid);
        if (j && j.status === undefined) return undefined;
        status = j ? j.status! : 127;
      }
      return status;
    };
    try {
      for (;;) {
        // A job a signal ended (`kill $!`) is over, with 128 + the signal.
        for (const j of jobs) {
          if (j.killed === undefined || j.status !== undefined) continue;
          j.status = 128 + j.killed;
          const status = waiting && waitOver(waiting);
          if (waiting && status !== undefined) { waiting.resume(status); waiting = undefined; mainAt = t; }
        }
        if (this.pending.length) {
          const sig = this.pending.shift()!;
          // A signal ends a `wait` at once; its trap runs before the script goes on.
          if (waiting) { waiting.resume(128 + sig); waiting = undefined; mainAt = t; }
          const action = this.traps.get(sig);
          if (action) {
            const rest = script;
            const self = this;
            script = (function* () { yield* self.trapSteps(action, pause); return yield* rest; })();
          }
        }
        if (!waiting && mainAt <= t && this.exited === undefined) {
          const r = script.next();
          if (r.done) break;
          const v = r.value;
          if ('out' in v) { yield v; continue; }
          if ('sleep' in v) { mainAt = t + v.sleep; continue; }
          const status = waitOver(v);
          if (status !== undefined) v.resume(status);
          else waiting = v;
          continue;
        }
        if (this.exited !== undefined) {
          // What the line that exited printed before its `exit` is still to come: `echo fatal >&2; exit 1`.
          for (let r = script.next(); !r.done && 'out' in r.value; r = script.next()) yield r.value;
          break;
        }
        const job = jobs.find((j) => j.status === undefined && j.at <= t);
        if (job) {
          const r = job.steps.next();
          if (r.done) {
            job.status = job.shell.exited ?? job.shell.last;
            const status = waiting && waitOver(waiting);
            if (waiting && status !== undefined) { waiting.resume(status); waiting = undefined; mainAt = t; }
            continue;
          }
          const v = r.value;
          if ('out' in v) yield v;
          else if ('sleep' in v) job.at = t + v.sleep;
          else v.resume(0);
          continue;
        }
        const next = Math.min(waiting ? Infinity : mainAt, ...jobs.filter((j) => j.status === undefined).map((j) => j.at));
        if (next === Infinity && !pause) {
          // Without time passing (kubectl exec), a job that sleeps for ever ends the wait rather than hanging it.
          if (waiting) { waiting.resume(0); waiting = undefined; mainAt = t; continue; }
          break;
        }
        if (!pause) { t = next; continue; }
        const passed = yield { sleep: next - t };
        t += passed !== undefined && passed < next - t ? Math.max(0, passed) : next - t;
      }
      if (final || this.exited !== undefined) yield* this.exitTrap(pause);
    } finally {
      this.jobs = outer;
    }
  }

  /**
   * A script with compound commands run step by step: what it writes, and each `sleep` it reaches as a
   * pause, so that the kubelet can let simulated time pass there (scriptrun.ts). Returns its status.
   */
  *steps(line: string): Generator<ShellStep, number, number | undefined> {
    line = this.takeHereDocs(line);
    const tree = this.parseTree(maskSubstitutions(line), true);
    if (typeof tree === 'string') {
      yield { out: '', err: tree };
      return 2;
    }
    yield* this.schedule(this.walk(tree ?? { t: 'simple', span: { start: 0, end: line.length } }, line, '', { tested: false, pause: true, depth: 0 }), true, true);
    return this.exited ?? this.last;
  }

  /**
   * The compound command tree of a masked line (undefined for a flat line), or ash's syntax error, after
   * which the status is 2 and, in a script (`ends`), the shell is done.
   */
  private parseTree(masked: string, ends: boolean): ShellNode | undefined | string {
    try {
      return parseCompound(masked);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.last = 2;
      if (ends) this.exited = 2;
      return e.message + '\n';
    }
  }

  /**
   * `export -p` (and `export` alone): the exported variables, sorted by name, as input the shell could read back.
   * dash and busybox ash (var.c showvars with the prefix "export"): `export NAME='value'`, always single-quoted, and
   * `export NAME` for one exported without a value; bash (builtins/setattr.def show_var_attributes): `declare -x
   * NAME="value"`, double-quoted.
   */
  private listExports(): string {
    let out = '';
    for (const name of [...this.exported].sort(byName)) {
      const v = this.vars.get(name);
      if (this.dialect === 'bash') out += `declare -x ${name}${v === undefined ? '' : `="${v.replace(/(["\\$`])/g, '\\$1')}"`}\n`;
      else out += `export ${name}${v === undefined ? '' : `=${singleQuoted(v)}`}\n`;
    }
    return out;
  }

  /**
   * `set` alone: every shell variable, exported or not, sorted by name. dash and busybox ash (showvars with no
   * prefix) print `NAME='value'`; bash prints `NAME=value`, quoted only when the value needs it
   * (print_var_value: sh_single_quote). The shell's own variables come with them: dash's IFS, OPTIND, PPID, PS1, PS2
   * and PS4 (var.c varinit), bash's likewise.
   */
  private listVariables(): string {
    const all = new Map(this.vars);
    const root = identityOf(this.world.pod, containerSpecOf(this.world)).uid === 0;
    const own: Record<string, string> = { IFS: ' \t\n', OPTIND: '1', PPID: this.get('PPID'), PS2: '> ', PS4: '+ ' };
    // ash's and dash's PS1 (var.c): `# ` for root, `$ ` otherwise; bash's the one Debian's bash.bashrc sets is not in a non-login env.
    if (this.dialect !== 'bash') own.PS1 = root ? '# ' : '$ ';
    for (const [k, v] of Object.entries(own)) if (!all.has(k)) all.set(k, v);
    let out = '';
    for (const name of [...all.keys()].sort(byName)) {
      const v = all.get(name)!;
      out += `${name}=${this.dialect === 'bash' ? bashQuoted(v) : singleQuoted(v)}\n`;
    }
    return out;
  }

  /**
   * `set`: `-e`/`+e` (errexit) and `-x`/`+x` (xtrace) take effect, and `--` or the first word that is no
   * option starts the new positional parameters; `-f` (noglob) turns pathname expansion off; `-u` and `-o pipefail`
   * are accepted and not enforced (the simulated shell has no unset-variable error or pipeline statuses to change).
   */
  private setOptions(args: string[]): CmdOut {
    for (let i = 0; i < args.length; i++) {
      // `set -- ARGS` and the words after the options are the new positional parameters.
      if (args[i] === '--') { this.params = args.slice(i + 1); break; }
      const m = /^([-+])([a-zA-Z]+)$/.exec(args[i]);
      if (!m) { this.params = args.slice(i); break; }
      const on = m[1] === '-';
      for (const f of m[2]) {
        if (f === 'o') {
          // `-o NAME` (also inside a cluster, `-euo pipefail`): the long name is the next word.
          const name = args[++i];
          if (name === 'errexit') this.errexit = on;
          else if (name === 'xtrace') this.xtrace = on;
          else if (name === 'noglob') this.noglob = on;
          else if (name !== 'pipefail' && name !== 'nounset') return { stdout: '', stderr: `sh: set: illegal option -o ${name ?? ''}\n`, code: 2 };
        } else if (f === 'e') this.errexit = on;
        else if (f === 'x') this.xtrace = on;
        else if (f === 'f') this.noglob = on;
        else if (!'uCvn'.includes(f)) return { stdout: '', stderr: `sh: set: illegal option ${m[1]}${f}\n`, code: 2 };
      }
    }
    return { stdout: '', stderr: '', code: 0 };
  }

  /** Passes a loop may make before the simulated shell stops it (it cannot be interrupted the way Ctrl-C stops ash). */
  static readonly MAX_PASSES = 10_000;
  /**
   * Passes a loop of a script played in time makes without a `sleep` before it rests a simulated second: a real
   * one spins on, and this keeps such a container (a CPU-burning demo, a log spammer) running at a small cost.
   */
  static readonly PASSES_PER_REST = 1_000;

  /**
   * Runs one node of a compound command. Leaves go to the flat shell; `stdin` feeds each leaf's first
   * command. With `pause`, a `sleep` reached on its own is yielded instead of passed over. The return value
   * is a break or continue still to be taken by an enclosing loop.
   */
  private *walk(node: ShellNode, line: string, stdin: string, o: WalkOptions): Generator<ShellStep, Jump | undefined> {
    if (this.exited !== undefined) return undefined;
    switch (node.t) {
      case 'simple': {
        let text = line.slice(node.span.start, node.span.end);
        if (/^\s*wait(\s|$)/.test(text)) {
          // `wait [PID…]`: the scheduler resumes the script once the jobs have ended.
          const args = this.expandFields(text);
          const pids = typeof args === 'string' ? [] : args.slice(1);
          const bad = pids.find((a) => !/^[0-9]+$/.test(a));
          if (bad !== undefined) { yield { out: '', err: `sh: wait: Illegal number: ${bad}\n` }; this.last = 2; return undefined; }
          let status = 0;
          yield { wait: pids.length ? pids.map(Number) : null, resume: (s) => { status = s; }, by: this };
          this.last = status;
          if (this.errexit && status !== 0 && !o.tested && this.exited === undefined) this.exited = status;
          return undefined;
        }
        const call = this.functionCall(text);
        if (call) {
          if (this.xtrace) yield { out: '', err: `+ ${[call.name, ...call.args].map(traceWord).join(' ')}\n` };
          yield* this.call(call.fn, call.args, stdin, o);
          if (this.errexit && this.last !== 0 && !o.tested && this.exited === undefined) this.exited = this.last;
          return undefined;
        }
        let skipFirst = false;
        // Inside a compound command that reads an input (`… | while read l`, `done < f`, `echo a | (cat)`), a command
        // that reads its standard input takes the rest of it, as it would from the pipe.
        let input = stdin;
        if (!stdin && this.input && this.input.pos < this.input.text.length && !/^\s*read(\s|$)/.test(text) && scriptReadsStdin(text, 0)) {
          input = this.input.text.slice(this.input.pos);
          this.input.pos = this.input.text.length;
        }
        // The leaf's line, for dash's and bash's messages: the lines of the compound command above it.
        const shift = this.dialect === 'ash' ? 0 : newlines(line, node.span.start);
        for (;;) {
          this.lineShift = shift;
          const r = this.runFlat(text, maskSubstitutions(text), input, { pauseAtSleep: o.pause, skipFirst, tested: o.tested });
          this.lineShift = 0;
          input = stdin;
          // Both streams in the order they came (a played script's log keeps it), else as two.
          if (r.order && !r.bin) { for (const w of r.order) yield w.fd === 1 ? { out: w.text, err: '' } : { out: '', err: w.text }; }
          else if (r.stdout || r.stderr) yield { out: r.bin ? Buffer.from(r.bin).toString('utf8') : r.stdout, err: r.stderr };
          if (!r.pause) return undefined;
          this.sleeps++;
          yield { sleep: r.pause.ms };
          if (!r.pause.rest.trim()) return undefined;
          text = r.pause.rest;
          skipFirst = r.pause.skipFirst;
        }
      }
      case 'seq':
        for (const item of node.items) {
          const j = yield* this.walk(item, line, stdin, o);
          if (j || this.exited !== undefined) return j;
        }
        return undefined;
      case 'andor': {
        for (let k = 0; k < node.parts.length; k++) {
          if (k > 0 && (node.ops[k - 1] === '&&') !== (this.last === 0)) continue;
          // Every part but the last is tested: `set -e` does not end the shell there.
          const j = yield* this.walk(node.parts[k], line, stdin, { ...o, tested: o.tested || k < node.parts.length - 1 });
          if (j || this.exited !== undefined) return j;
        }
        return undefined;
      }
      case 'if': {
        for (const b of node.branches) {
          const j = yield* this.walk(b.cond, line, stdin, { ...o, tested: true });
          if (j || this.exited !== undefined) return j;
          if (this.last === 0) return yield* this.walk(b.body, line, stdin, o);
        }
        if (node.otherwise) return yield* this.walk(node.otherwise, line, stdin, o);
        this.last = 0;
        return undefined;
      }
      case 'loop': case 'for': {
        let status = 0;
        let ran = false;
        // Passes since time last passed (a played script's sleep): only a loop that spins without ever sleeping is stopped.
        let spinning = 0;
        const inner = { ...o, depth: o.depth + 1 };
        // `for NAME; do` (no `in`) walks the positional parameters.
        const items = node.t === 'for' ? (node.words ? this.expandFields(line.slice(node.words.start, node.words.end)) : [...this.params]) : undefined;
        if (items && typeof items === 'string') { yield { out: '', err: items }; this.last = 1; return undefined; }
        for (let k = 0; ; k++) {
          const slept = this.sleeps;
          if (items) {
            if (k >= items.length) break;
            this.vars.set((node as { name: string }).name, items[k]);
          } else {
            const loop = node as Extract<ShellNode, { t: 'loop' }>;
            const j = yield* this.walk(loop.cond, line, stdin, { ...inner, tested: true });
            if (this.exited !== undefined) return undefined;
            if (j) { if (j.kind === 'return') return j; if (j.n > 1) return { kind: j.kind, n: j.n - 1 }; if (j.kind === 'break') break; continue; }
            if ((this.last === 0) === loop.until) break;
            // A script the kubelet plays in time rests a second instead (a real one spins on; the log keeps up).
            if (spinning >= ShellState.PASSES_PER_REST && o.pause) { spinning = 0; this.sleeps++; yield { sleep: 1000 }; }
            if (++spinning > ShellState.MAX_PASSES) {
              yield { out: '', err: `kubeplay: the loop was stopped after ${ShellState.MAX_PASSES} passes (the simulated shell cannot be interrupted)\n` };
              this.last = 130;
              return undefined;
            }
          }
          ran = true;
          const j = yield* this.walk(node.body, line, stdin, inner);
          status = this.last;
          if (this.sleeps !== slept) spinning = 0;
          if (this.exited !== undefined) return undefined;
          if (j) {
            if (j.kind === 'return') return j;
            if (j.n > 1) return { kind: j.kind, n: j.n - 1 };
            if (j.kind === 'break') break;
          }
        }
        // A loop's status is its last body's, 0 when the body never ran.
        this.last = ran ? status : 0;
        return undefined;
      }
      case 'case': {
        const word = this.expandWord(line.slice(node.word.start, node.word.end));
        if (typeof word !== 'string') { yield { out: '', err: word.error }; this.last = 2; return undefined; }
        for (const arm of node.arms) {
          for (const p of arm.patterns) {
            let pattern: string;
            try {
              pattern = this.expandPattern(line.slice(p.start, p.end));
            } catch (e) {
              yield { out: '', err: this.expansionFailed(e) };
              this.last = 2;
              return undefined;
            }
            if (!casePattern(pattern).test(word)) continue;
            if (!arm.body) { this.last = 0; return undefined; }
            return yield* this.walk(arm.body, line, stdin, o);
          }
        }
        this.last = 0;
        return undefined;
      }
      case 'group':
        return yield* this.walk(node.body, line, stdin, o);
      case 'subshell': {
        // ash forks: what the list sets, its directory and its exit stay in the child; a break ends only it.
        const child = this.subshell();
        yield* child.walk(node.body, line, stdin, { ...o, fn: false });
        // A trap set inside runs as the subshell ends.
        yield* child.exitTrap(o.pause);
        this.last = child.exited ?? child.last;
        if (this.errexit && this.last !== 0 && !o.tested && this.exited === undefined) this.exited = this.last;
        return undefined;
      }
      case 'func':
        this.functions.set(node.name, { body: node.body, line });
        this.last = 0;
        return undefined;
      case 'bg': {
        // The job runs in a subshell beside the script (schedule); `$!` is its PID.
        const child = this.subshell();
        // A PID after the shell's own and the jobs before it (a container's script shell is its PID 1).
        const { parent, w } = this.processes();
        let pid = newPid(w, true);
        while (pid <= Math.max(1, parent, this.lastJob ?? 0)) pid = newPid(w, true);
        // A simple command is exec'd in the forked child (`sleep 1000`); anything else is the forked shell itself.
        const args = node.body.t === 'simple' ? line.slice(node.body.span.start, node.body.span.end).trim() : this.session.args;
        this.jobs.push({ pid, shell: child, owner: this, steps: child.walk(node.body, line, '', { ...o, tested: true, depth: 0, fn: false }), at: -Infinity, args, started: this.world.now() });
        this.lastJob = pid;
        this.last = 0;
        return undefined;
      }
      case 'jump': {
        // The count or status is a word like any other (`return $?`, `break $n`), expanded when it runs.
        const word = typeof node.n === 'string' ? this.expandWord(node.n) : node.n;
        const arg = typeof word === 'string' && /^[0-9]+$/.test(word) ? Number(word) : typeof word === 'object' ? node.n : word;
        if (node.kind === 'return') {
          const n = arg === undefined ? this.last : typeof arg === 'number' ? arg : Number.NaN;
          if (!Number.isInteger(n)) {
            yield { out: '', err: `sh: return: Illegal number: ${arg}\n` };
            this.last = 2;
            if (this.strict) this.exited = 2;
            return undefined;
          }
          this.last = n & 255;
          if (o.fn) return { kind: 'return' };
          // Outside a function, ash skips the rest of the script (as ksh does); a terminal's line just ends.
          if (!this.interactive) this.exited = this.last;
          return { kind: 'return' };
        }
        const n = typeof arg === 'number' ? arg : Number.NaN;
        if (!Number.isInteger(n) || n < 1) {
          yield { out: '', err: `sh: ${node.kind}: Illegal number: ${arg}\n` };
          this.last = 2;
          if (this.strict) this.exited = 2;
          return undefined;
        }
        this.last = 0;
        // Outside a loop it does nothing; past the loops there are, it leaves the outermost (POSIX).
        if (!o.depth) return undefined;
        return { kind: node.kind, n: Math.min(n, o.depth) };
      }
      case 'pipein': {
        // The pipeline on the left runs first; the compound command reads what it wrote (`read`).
        const src = line.slice(node.src.start, node.src.end);
        const left = this.runFlat(src, maskSubstitutions(src), stdin, { tested: true });
        if (left.stderr) yield { out: '', err: left.stderr };
        if (this.exited !== undefined) return undefined;
        // As every part of an ash pipeline, it runs in a subshell: what it sets (`i=$((i+1))`) is gone after it,
        // and its exit or break ends only that subshell.
        const child = this.subshell();
        yield* child.withInput(left.bin ? Buffer.from(left.bin).toString('utf8') : left.stdout, () => child.walk(node.node, line, '', o));
        this.last = child.exited ?? child.last;
        return undefined;
      }
      case 'tail': {
        if (node.input) {
          // `done < file`: the compound command reads the file.
          const words = this.expandFields(line.slice(node.input.start, node.input.end));
          const file = typeof words === 'string' ? undefined : words[0];
          const doc = file === undefined ? undefined : hereDocIndex(file);
          let text: string | undefined;
          if (doc !== undefined) {
            const t = this.hereDocText(doc);
            if (t.error !== undefined || t.stderr) yield { out: '', err: t.error ?? t.stderr ?? '' };
            if (t.error !== undefined) { this.last = 1; return undefined; }
            text = t.text;
          } else text = file === undefined ? undefined : this.readFile(file);
          if (text === undefined) {
            yield { out: '', err: `sh: can't open ${file ?? ''}: no such file\n` };
            this.last = 1;
            return undefined;
          }
          return yield* this.withInput(text, () => this.walk({ ...node, input: undefined }, line, stdin, o));
        }
        if (!node.pipe && !node.redirs) return yield* this.walk(node.node, line, stdin, o);
        // The redirections are opened first, in order, as ash does (a file that cannot be is an error and nothing
        // runs); then the command's output is collected and each stream goes where they say, the pipe being stdout.
        const sinks = this.openRedirections((node.redirs ?? []).map((s) => line.slice(s.start, s.end)));
        if (typeof sinks === 'string') { yield { out: '', err: sinks }; this.last = 1; return undefined; }
        // Without a pipe the output goes as it comes, and a played script's sleeps pass (its time goes on); a pipe's
        // reader gets it all at the end (the shell plays a pipe's two sides one after the other).
        let piped = '';
        const inner = this.walk(node.node, line, stdin, { ...o, pause: o.pause && !node.pipe });
        let r = inner.next();
        for (; !r.done; r = inner.next()) {
          if (!('out' in r.value)) { yield r.value; continue; }
          let out = '', err = '';
          for (const [text, sink] of [[r.value.out, sinks.out], [r.value.err, sinks.err]] as const) {
            if (!text || sink === null) continue;
            if (sink === 1) { if (node.pipe) piped += text; else out += text; }
            else if (sink === 2) err += text;
            else if ('main' in sink) this.world.mainOutput!(text);
            else { try { this.fs.write(sink.path, text, true); } catch (e) { err += `sh: write error: ${ERRNO_TEXT[errnoOf(e)]}\n`; } }
          }
          if (out || err) yield { out, err };
        }
        if (!node.pipe) return r.value;
        const out = piped;
        if (this.exited !== undefined) return undefined;
        const rest = line.slice(node.pipe.start, node.pipe.end);
        const t = this.runFlat(rest, maskSubstitutions(rest), out, { tested: o.tested });
        if (t.stdout || t.stderr) yield { out: t.stdout, err: t.stderr };
        return r.value;
      }
    }
  }

  /**
   * A compound command's output redirections (`> f`, `>> f`, `2> f`, `2>&1`, `>&2`) as written: expanded, read
   * as a simple command's, and opened by applyRedirections.
   */
  private openRedirections(redirs: string[]): { out: Sink; err: Sink } | string {
    const temps: string[] = [];
    try {
      const sub = this.substitute(`: ${redirs.join(' ')}`, temps);
      if (sub.error !== undefined) return sub.stderr;
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(tokenize(sub.text, (n) => this.lookup(n)));
      } catch (e) {
        return this.expansionFailed(e);
      }
      const simple = typeof parsed === 'string' ? undefined : parsed[0]?.cmds[0];
      if (!simple) return "sh: can't create : nonexistent directory\n";
      const io = this.applyRedirections(simple.redirs, '');
      return typeof io === 'string' ? io : { out: io.out, err: io.err };
    } finally {
      for (const t of temps) this.subs.delete(t);
    }
  }

  /**
   * The function a leaf calls and its arguments, when it is a call of one with nothing else about it (no pipe,
   * no redirection): such a call is walked in place, so that its sleeps pass as a script's do. Any other use of
   * a function goes through exec.
   */
  private functionCall(text: string): { name: string; fn: ShellFunction; args: string[] } | undefined {
    if (!this.functions.size) return undefined;
    const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?=\s|$)/.exec(text)?.[1];
    const fn = name === undefined || SPECIAL_BUILTINS.has(name) ? undefined : this.functions.get(name);
    if (!fn) return undefined;
    if (!tokenize(maskSubstitutions(text), () => 'x').every((t) => 'word' in t)) return undefined;
    const argv = this.expandFields(text);
    if (typeof argv === 'string' || argv[0] !== name) return undefined;
    return { name, fn, args: argv.slice(1) };
  }

  /** Runs a function with its arguments as the positional parameters; its status is its last command's, or its `return`'s. */
  private *call(fn: ShellFunction, args: string[], stdin: string, o: WalkOptions): Generator<ShellStep, void> {
    if (this.locals.length >= MAX_CALL_DEPTH) {
      yield { out: '', err: `kubeplay: functions nested ${MAX_CALL_DEPTH} deep were stopped (the simulated shell has no stack to exhaust)\n` };
      this.last = 2;
      if (this.strict) this.exited = 2;
      return;
    }
    const saved = this.params;
    this.params = args;
    this.locals.push(new Map());
    try {
      yield* this.walk(fn.body, fn.line, stdin, { ...o, depth: 0, fn: true });
    } finally {
      this.params = saved;
      for (const [k, v] of this.locals.pop()!) { if (v === undefined) this.vars.delete(k); else this.vars.set(k, v); }
    }
  }

  /**
   * An error of the shell itself about `cmd`, newline included, in its words: busybox ash `sh: cmd: msg`; dash
   * `$0: LINE: cmd: msg` (error.c exvwarning2: "%s: %d: %s: " of arg0, errlinno and commandname); bash `$0: cmd:
   * msg` at a terminal (its base name), `$0: line LINE: cmd: msg` in a script (error.c's get_name_for_error and the line of a
   * non-interactive shell).
   */
  shellError(cmd: string, msg: string): string {
    if (this.dialect === 'dash') return `${this.arg0}: ${this.lineNo}: ${cmd}: ${msg}\n`;
    // An interactive bash names itself by its program's base name (error.c get_name_for_error: base_pathname(shell_name)).
    if (this.dialect === 'bash') return this.interactive ? `${commandName(this.arg0)}: ${cmd}: ${msg}\n` : `${this.arg0}: line ${this.lineNo}: ${cmd}: ${msg}\n`;
    return `sh: ${cmd}: ${msg}\n`;
  }

  /** A command no builtin, function or program answers: status 127 and the shell's words (dash exec.c: "not found"). */
  private notFound(given: string): CmdOut {
    this.hashed.delete(given);
    return { stdout: '', stderr: this.shellError(given, this.dialect === 'bash' ? 'command not found' : 'not found'), code: 127, notFound: true };
  }

  /** A function run as a command (in a pipeline, with redirections, from `sh -c`): at once, its sleeps taking no time. */
  private runFunction(fn: ShellFunction, args: string[], stdin: string): CmdOut {
    let stdout = '', stderr = '';
    // Its `read`s take their lines from what was piped or redirected into it, one after the other.
    const self = this;
    const body = function* (): Generator<ShellStep, Jump | undefined> { yield* self.call(fn, args, stdin, { tested: false, pause: false, depth: 0 }); return undefined; };
    for (const step of stdin ? this.withInput(stdin, body) : body()) {
      if ('out' in step) { stdout += step.out; stderr += step.err; }
    }
    return { stdout, stderr, code: this.exited ?? this.last };
  }

  /**
   * `NAME=VALUE… COMMAND`: the command runs with the variables set in its environment, and they are put back
   * after it, as ash does for a command or a function. Before a special builtin (`:`, `export`, `set`) dash and ash
   * keep them in the shell, exported only before `exec` (dash eval.c evalcommand: listsetvar(…, cmd == EXECCMD ?
   * VEXPORT : 0)); bash, out of POSIX mode, puts them back after a special builtin too.
   */
  private withAssignments(argv: string[], stdin: string, stdinBytes?: Uint8Array): CmdOut {
    let k = 0;
    while (k < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[k])) k++;
    const rest = argv.slice(k);
    const stays = SPECIAL_BUILTINS.has(rest[0] ?? '') && this.dialect !== 'bash';
    const saved = new Map<string, string | undefined>();
    // They are in the command's environment: exported while it runs (kept before a special builtin, unexported).
    const wasExported = new Set<string>();
    for (const a of argv.slice(0, k)) {
      const eq = a.indexOf('=');
      const name = a.slice(0, eq);
      if (!saved.has(name)) { saved.set(name, this.vars.get(name)); if (this.exported.has(name)) wasExported.add(name); }
      this.vars.set(name, a.slice(eq + 1));
      if (!stays || rest[0] === 'exec') this.exported.add(name);
    }
    const r = this.exec(rest, stdin, stdinBytes);
    if (!stays) {
      for (const [n, v] of saved) {
        if (v === undefined) this.vars.delete(n); else this.vars.set(n, v);
        if (!wasExported.has(n)) this.exported.delete(n);
      }
    }
    return r;
  }

  /** `local NAME[=VALUE]…`: the names get their old values back when the function returns. */
  private local(args: string[]): CmdOut {
    const frame = this.locals[this.locals.length - 1];
    if (!frame) return { stdout: '', stderr: 'sh: local: not in a function\n', code: 1 };
    for (const a of args) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(a);
      if (!m) return { stdout: '', stderr: `sh: local: ${a.split('=')[0]}: bad variable name\n`, code: 2 };
      if (!frame.has(m[1])) frame.set(m[1], this.vars.get(m[1]));
      if (m[2] !== undefined) this.vars.set(m[1], m[2]);
    }
    return { stdout: '', stderr: '', code: 0 };
  }

  /**
   * `trap [ACTION] SIGNAL…`: ACTION runs when the signal comes (EXIT or 0: when the shell ends), `''` ignores it,
   * `-` (or a first operand that is a number) puts the default back; alone, `trap` lists the traps as ash does.
   */
  private trap(args: string[]): CmdOut {
    if (args[0] === '--') args = args.slice(1);
    if (!args.length) {
      let out = '';
      for (const [sig, action] of [...this.traps].sort((a, b) => a[0] - b[0])) out += `trap -- '${action.replace(/'/g, `'"'"'`)}' ${sig === 0 ? 'EXIT' : signalName(sig)}\n`;
      return { stdout: out, stderr: '', code: 0 };
    }
    // `trap -`, a first operand that is a number, or one operand alone (`trap TERM`) put the default back.
    const reset = args[0] === '-' || /^[0-9]+$/.test(args[0]) || args.length === 1;
    const action = reset ? undefined : args[0];
    const sigs = args[0] === '-' || !reset ? args.slice(1) : args;
    let stderr = '';
    for (const s of sigs) {
      const n = /^exit$/i.test(s) ? 0 : signalNumber(s);
      if (n === undefined) { stderr += `sh: trap: ${s}: invalid signal specification\n`; continue; }
      if (action === undefined) this.traps.delete(n);
      else this.traps.set(n, action);
    }
    return { stdout: '', stderr, code: stderr ? 1 : 0 };
  }

  /** `shift [N]`: drops the first N positional parameters; more than there are is status 1, as in ash. */
  private shift(args: string[]): CmdOut {
    const n = args.length ? Number(args[0]) : 1;
    if (!/^[0-9]+$/.test(args[0] ?? '1')) {
      if (this.strict) this.exited = 2;
      return { stdout: '', stderr: `sh: shift: Illegal number: ${args[0]}\n`, code: 2 };
    }
    if (n > this.params.length) return { stdout: '', stderr: '', code: 1 };
    this.params = this.params.slice(n);
    return { stdout: '', stderr: '', code: 0 };
  }

  /** Runs a compound command with `text` as the input its `read`s take lines from, then puts the outer input back. */
  private *withInput(text: string, run: () => Generator<ShellStep, Jump | undefined>): Generator<ShellStep, Jump | undefined> {
    const outer = this.input;
    this.input = { text, pos: 0 };
    try {
      return yield* run();
    } finally {
      this.input = outer;
    }
  }

  /**
   * `read [-r] [NAME]...`: one line of input into the names, split at blanks, the last name taking the
   * rest (REPLY without names). Without -r a backslash escapes the next character and a backslash at the
   * end of a line joins the next. At the end of the input the status is 1, even when a last line without a
   * newline was read (its words are still set).
   */
  private read(args: string[], stdin: string): CmdOut {
    let raw = false;
    const names: string[] = [];
    for (const a of args) {
      if (a === '-r') raw = true;
      else if (/^-/.test(a)) return { stdout: '', stderr: `sh: read: illegal option ${a}\n`, code: 2 };
      else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) return { stdout: '', stderr: `sh: read: '${a}': not a valid identifier\n`, code: 2 };
      else names.push(a);
    }
    const src = this.input ?? { text: stdin, pos: 0 };
    let line = '';
    let eof = false;
    for (;;) {
      const nl = src.text.indexOf('\n', src.pos);
      const piece = nl < 0 ? src.text.slice(src.pos) : src.text.slice(src.pos, nl);
      src.pos = nl < 0 ? src.text.length : nl + 1;
      if (nl < 0) eof = true;
      if (!raw && piece.endsWith('\\') && !piece.endsWith('\\\\') && !eof) { line += piece.slice(0, -1); continue; }
      line += piece;
      break;
    }
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const vars = names.length ? names : ['REPLY'];
    // Fields split at IFS (blanks by default; `IFS=: read a b`, and `IFS= read -r line` keeps the line whole):
    // IFS's blanks run together and are trimmed at both ends, each other IFS character ends one field.
    const ifs = this.vars.get('IFS') ?? ' \t\n';
    const blank = (ch: string) => (ch === ' ' || ch === '\t' || ch === '\n') && ifs.includes(ch);
    let rest = line;
    if (names.length) { let a = 0; while (a < rest.length && blank(rest[a])) a++; rest = rest.slice(a); }
    for (let k = 0; k < vars.length; k++) {
      if (k === vars.length - 1) {
        let b = rest.length;
        if (names.length) while (b > 0 && blank(rest[b - 1])) b--;
        this.vars.set(vars[k], rest.slice(0, b));
        break;
      }
      let e = 0;
      while (e < rest.length && !ifs.includes(rest[e])) e++;
      this.vars.set(vars[k], rest.slice(0, e));
      let n = e;
      while (n < rest.length && blank(rest[n])) n++;
      if (n < rest.length && ifs.includes(rest[n]) && !blank(rest[n])) n++;
      while (n < rest.length && blank(rest[n])) n++;
      rest = rest.slice(n);
    }
    return { stdout: '', stderr: '', code: eof ? 1 : 0 };
  }

  /** A `${X:?}` that failed (anything else goes on up): a script's shell ends with status 2; the message ash prints. */
  private expansionFailed(e: unknown): string {
    if (!(e instanceof ParameterError)) throw e;
    if (this.strict) this.exited = 2;
    return `sh: ${e.message}\n`;
  }

  /** The fields of a `for` list: substitutions run, variables expanded, split at blanks; or an expansion error's message. */
  private expandFields(text: string, split = true): string[] | string {
    const temps: string[] = [];
    try {
      const sub = this.substitute(text, temps);
      if (sub.error !== undefined) return sub.stderr;
      return tokenize(sub.text, (n) => this.lookup(n), (n, v) => this.vars.set(n, v), split, () => this.params).flatMap((t) => ('word' in t ? (split ? this.globbed(t.word, t.glob) : [t.word]) : []));
    } catch (e) {
      return this.expansionFailed(e);
    } finally {
      for (const t of temps) this.subs.delete(t);
    }
  }

  /** A `case` word expanded (without field splitting, as ash does there), or an expansion error. */
  private expandWord(text: string): string | { error: string } {
    const f = this.expandFields(text, false);
    return typeof f === 'string' ? { error: f } : f.join('');
  }

  /**
   * A `case` pattern with its variables expanded and its quotes kept: a quoted part is literal, an unquoted
   * expansion's `*` and `?` are glob characters (`pat='*.txt'; case $f in $pat)` matches a.txt).
   */
  private expandPattern(text: string): string {
    return patternOf(text, (n) => this.lookup(n), (n, v) => this.vars.set(n, v));
  }

  private runFlat(line: string, masked: string, stdin = '', opts: RunOptions = {}): RunOut {
    // Syntax is checked once; variables and substitutions expand per list element, after the previous one ran ($?).
    // Variables stand as a plain word here: `> $F` is a redirection to a file, whatever F holds.
    const checked = parse(tokenize(masked, () => 'x'));
    if (typeof checked === 'string') { this.last = 2; if (this.strict) this.exited = 2; return { stdout: '', stderr: checked + '\n', code: 2 }; }
    let stdout = '', stderr = '';
    /** Output so far when some of it was binary (tar): bytes, kept in order. */
    const chunks: Buffer[] = [];
    // What the run wrote, both streams in the order they came (a container's log keeps that order).
    const order: Array<{ fd: 1 | 2; text: string }> = [];
    const err = (t: string) => { if (t) { stderr += t; order.push({ fd: 2, text: t }); } };
    const out = (t: string) => { if (t) { stdout += t; order.push({ fd: 1, text: t }); } };
    let skip = !!opts.skipFirst;
    const temps: string[] = [];
    const segs = splitList(masked);
    try {
      for (let k = 0; k < segs.length; k++) {
        const seg = segs[k];
        // Nothing after a script's last newline is no command: the status stays the last command's.
        if (k > 0 && seg.next === undefined && !seg.text.trim()) break;
        if (!skip) {
          this.subStatus = undefined;
          if (this.dialect !== 'ash') this.lineNo = this.lineBase + this.lineShift + newlines(masked, seg.start);
          const sub = this.substitute(line.slice(seg.start, seg.end), temps);
          err(sub.stderr);
          if (sub.error !== undefined) {
            this.last = sub.error;
            if (this.strict) this.exited = sub.error;
          } else {
            let parsed: ReturnType<typeof parse>;
            try {
              parsed = parse(tokenize(sub.text, (n) => this.lookup(n), (n, v) => this.vars.set(n, v), true, () => this.params));
            } catch (e) {
              // `${X:?}`: the script ends with status 2; a terminal abandons the rest of the line.
              err(this.expansionFailed(e));
              this.last = 2;
              break;
            }
            // The syntax was checked with every variable standing as a word: failing now, a redirection's word
            // expanded to nothing (`> $EMPTY`), and ash cannot create a file with an empty name.
            if (typeof parsed === 'string') {
              err("sh: can't create : nonexistent directory\n");
              this.last = 1;
              if (this.errexit && !seg.next) this.exited = 1;
              skip = (seg.next === '&&' && this.last !== 0) || (seg.next === '||' && this.last === 0);
              continue;
            }
            const p = parsed[0];
            // `X=1 sleep 2` sleeps too (its assignments last only for the sleep).
            const pause = opts.pauseAtSleep && p?.cmds.length === 1 ? sleepMs(p.cmds[0].argv.filter((w, k, all) => !all.slice(0, k + 1).every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/s.test(x)))) : undefined;
            if (pause !== undefined) {
              this.last = 0;
              const rest = seg.next === undefined ? '' : line.slice(seg.end + seg.next.length);
              return { stdout, stderr, code: 0, pause: { ms: pause, rest, skipFirst: seg.next === '||' }, ...(opts.pauseAtSleep ? { order } : {}) };
            }
            let input = stdin;
            let inputBytes: Uint8Array | undefined = opts.stdinBytes;
            let r: CmdOut = { stdout: '', stderr: '', code: 0 };
            for (const c of p?.cmds ?? []) {
              // Every part of a pipeline runs in a subshell, as in ash: `cd`, `read` or a function there leave this shell as it was.
              const part = p.cmds.length > 1 ? this.subshell() : this;
              // Only the pipeline's last command writes to the terminal.
              part.toTerminal = this.terminalColumns !== undefined && c === p.cmds[p.cmds.length - 1];
              part.terminalColumns = this.terminalColumns;
              r = part.runSimple(c, input, inputBytes);
              part.toTerminal = false;
              if (part !== this && part.exited !== undefined) r = { ...r, code: part.exited };
              // The errors of the commands that feed the pipe come first; the last one's after what it printed.
              if (c !== p.cmds[p.cmds.length - 1]) err(r.stderr);
              input = r.bin ? Buffer.from(r.bin).toString('utf8') : r.stdout;
              inputBytes = r.bin;
              if (this.exited !== undefined) break;
            }
            if (r.bin) { chunks.push(Buffer.from(stdout, 'utf8'), Buffer.from(r.bin)); stdout = ''; order.push({ fd: 1, text: Buffer.from(r.bin).toString('utf8') }); }
            out(r.stdout);
            if (p?.cmds.length) err(r.stderr);
            // A command of assignments alone (`out=$(wget …)`) has the status of its last command substitution.
            const only = p?.cmds.length === 1 ? p.cmds[0] : undefined;
            if (only && this.subStatus !== undefined && r.code === 0 && only.argv.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/s.test(w))) r = { ...r, code: this.subStatus };
            this.last = r.code;
            // set -e (`sh -ec`): a failing command ends the shell, unless it is one an && or || list tests.
            if (this.errexit && r.code !== 0 && seg.next !== '&&' && seg.next !== '||' && !opts.tested && this.exited === undefined) this.exited = r.code;
            // A signal the shell sent itself (`kill -USR1 $$`) runs its trap before the next command.
            while (this.pending.length && this.exited === undefined) {
              const action = this.traps.get(this.pending.shift()!);
              if (!action) continue;
              for (const step of this.trapSteps(action, false)) if ('out' in step) { out(step.out); err(step.err); }
            }
          }
          if (this.exited !== undefined) break;
        }
        skip = (seg.next === '&&' && this.last !== 0) || (seg.next === '||' && this.last === 0);
      }
    } finally {
      for (const t of temps) this.subs.delete(t);
    }
    if (chunks.length) {
      const out = withBytes(new Uint8Array(Buffer.concat([...chunks, Buffer.from(stdout, 'utf8')])), stderr, this.exited ?? this.last);
      return out;
    }
    // Both streams in order: the kubelet's log of a script, and a terminal, which shows them merged.
    return { stdout, stderr, code: this.exited ?? this.last, ...(opts.pauseAtSleep || opts.ordered ? { order } : {}) };
  }

  /** Runs one command with its arguments (already split and expanded). */
  exec(argv: string[], stdin = '', stdinBytes?: Uint8Array): CmdOut {
    const [given, ...args] = argv;
    const cmd = given === undefined ? undefined : commandName(given);
    const ok = (stdout = ''): CmdOut => ({ stdout, stderr: '', code: 0 });
    const fail = (stderr: string, code = 1): CmdOut => ({ stdout: '', stderr, code });
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(given ?? '');
    if (assign && !args.length) { this.vars.set(assign[1], assign[2]); return ok(); }
    if (assign) return this.withAssignments(argv, stdin, stdinBytes);
    const fn = given === undefined || SPECIAL_BUILTINS.has(given) ? undefined : this.functions.get(given);
    if (fn) return this.runFunction(fn, args, stdin);
    // A program the image does not have (curl, getent or bash in busybox, ps in nginx's) is not found, as any unknown
    // one; a shell's builtin of that name (dash's and bash's kill) still runs there, though not when exec'd directly.
    if (cmd !== undefined && lacksProgram(String(containerSpecOf(this.world).image ?? ''), cmd) && !(this.session.kind !== 'direct' && this.dialect !== 'ash' && BUILTIN_PROGRAMS.has(cmd))) return this.notFound(given!);
    // A GNU program's options are checked by getopt before it does anything (busybox's applets keep their own ways).
    if (cmd !== undefined && Object.hasOwn(GNU_OPTIONS, cmd) && gnuCoreutils(String(containerSpecOf(this.world).image ?? ''))) {
      const bad = badOption(cmd, args, GNU_OPTIONS[cmd], cmd === 'ls' ? 2 : 1);
      if (bad) return bad;
    }
    // dash and ash remember where they found a program (exec.c's cmdtable), which `type` then reports.
    if (cmd !== undefined && !given!.includes('/') && !isBuiltin(this.dialect, cmd)) this.hashed.add(cmd);
    switch (cmd) {
      case 'type': return typeCommand(this.commandLookup(), args, (c, m) => this.shellError(c, m));
      case 'command': {
        // `command -v NAME` / `-V NAME` describe it; `command NAME ARGS` runs it, functions left out.
        const rest = args[0] === '--' ? args.slice(1) : args;
        if (rest[0] === '-v') return rest.length > 1 ? commandV(this.commandLookup(), rest[1]) : ok();
        if (rest[0] === '-V') return typeCommand(this.commandLookup(), rest.slice(1), (c, m) => this.shellError('command', m));
        if (!rest.length) return ok();
        const saved = this.functions.get(rest[0]);
        if (saved) this.functions.delete(rest[0]);
        try { return this.exec(rest, stdin, stdinBytes); } finally { if (saved) this.functions.set(rest[0], saved); }
      }
      case 'which': return whichCommand(this.commandLookup(), args);
      // ncurses' clear (busybox's applet clears the same way); a terminal exec has TERM=xterm.
      case 'clear': return this.dialect === 'ash' ? ok('\x1b[H\x1b[J\x1b[3J') : clearCommand(this.vars.get('TERM') ?? (this.onTerminal ? 'xterm' : undefined));
      case 'nginx': {
        const image = String(containerSpecOf(this.world).image ?? '');
        if (!docRoot({ image }) || parseImage(image).repository.endsWith('nginx-slim')) return this.notFound(given!);
        return nginxCommand(nginxVersion(parseImage(image).tag), args);
      }
      case 'shift': return this.shift(args);
      case 'local': return this.local(args);
      case 'trap': return this.trap(args);
      // Outside a script the scheduler plays there are no jobs: a PID is no child of this shell (127).
      case 'wait': {
        const bad = args.find((a) => !/^[0-9]+$/.test(a));
        if (bad !== undefined) return fail(`sh: wait: Illegal number: ${bad}\n`, 2);
        return args.length ? fail('', 127) : ok();
      }
      case undefined: return ok();
      case 'exec': return this.execInPlace(args, stdin, stdinBytes);
      case 'true': case ':': return ok();
      case 'false': return fail('', 1);
      case 'exit': {
        const n = args.length ? Number(args[0]) : this.last;
        this.exited = Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2;
        // bash's builtins/exit.def exit_builtin: an interactive bash says `exit` (a login one `logout`) on stderr first.
        const said = this.dialect === 'bash' && this.onTerminal ? (this.login ? 'logout\n' : 'exit\n') : '';
        return { stdout: '', stderr: said + (Number.isInteger(n) ? '' : `sh: exit: Illegal number: ${args[0]}\n`), code: this.exited };
      }
      case 'echo': {
        // ash's echo: leading option words made of n, e and E only; -e reads backslash escapes (\c ends the output).
        let k = 0, noNl = false, esc = false;
        for (; k < args.length && /^-[neE]+$/.test(args[k]); k++) {
          for (const f of args[k].slice(1)) { if (f === 'n') noNl = true; else esc = f === 'e'; }
        }
        const text = args.slice(k).join(' ');
        if (!esc) return ok(text + (noNl ? '' : '\n'));
        const at = { stop: false };
        const out = backslashEscapes(text, at, false);
        return ok(out + (noNl || at.stop ? '' : '\n'));
      }
      case 'set': return args.length ? this.setOptions(args) : ok(this.listVariables());
      case 'unset': {
        // `unset -f NAME` removes a function; `-v` (the default) a variable.
        const fns = args.includes('-f');
        for (const a of args) if (a !== '-v' && a !== '-f') { if (fns) this.functions.delete(a); else { this.vars.delete(a); this.exported.delete(a); } }
        return ok();
      }
      case 'expr': return expr(args);
      case 'hostname': return hostnameCommand(this.world.pod, args);
      case 'whoami': return whoamiCommand(this.world.pod, containerSpecOf(this.world), this.etc(), gnuCoreutils(String(containerSpecOf(this.world).image ?? '')));
      case 'id': return idCommand(this.world.pod, containerSpecOf(this.world), args, this.etc(), gnuCoreutils(String(containerSpecOf(this.world).image ?? '')));
      case 'pwd': return ok(this.cwd + '\n');
      case 'date': {
        const r = dateCommand(this.world.now(), args);
        return r.err !== undefined ? fail(r.err) : ok(r.out);
      }
      case 'uname': return ok(args.includes('-a') ? `Linux ${kernelHostname(this.world.pod)} 6.8.0 #1 SMP x86_64 GNU/Linux\n` : 'Linux\n');
      case 'sleep': return args.length && args.every((a) => /^(\d+(\.\d+)?[smhd]?|infinity)$/.test(a)) ? ok() : fail(`sleep: invalid number '${args[0] ?? ''}'\n`);
      case 'env': case 'printenv': {
        // A program sees its environment alone (envp): the exported variables, not the shell's own ones.
        const env = [...this.vars].filter(([k]) => this.exported.has(k));
        if (cmd === 'printenv' && args.length) {
          const found = args.filter((a) => this.exported.has(a) && this.vars.has(a));
          return { stdout: found.map((a) => this.vars.get(a) + '\n').join(''), stderr: '', code: found.length === args.length ? 0 : 1 };
        }
        return ok(env.map(([k, v]) => `${k}=${v}\n`).join(''));
      }
      case 'export': {
        if (args[0] === '-p' || !args.length) return ok(this.listExports());
        for (const a of args) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(a);
          if (!m) continue;
          if (m[2] !== undefined) this.vars.set(m[1], m[2]);
          this.exported.add(m[1]);
        }
        return ok();
      }
      case 'cd': {
        const to = this.abs(args[0] ?? '/root');
        const st = this.fs.stat(to);
        if (!st?.dir) {
          const why = st ? 'Not a directory' : 'No such file or directory';
          // dash's cd.c: sh_error("can't cd to %s"), no reason; bash: `cd: DIR: reason`, status 1.
          if (this.dialect === 'dash') return fail(this.shellError('cd', `can't cd to ${args[0]}`), 2);
          if (this.dialect === 'bash') return fail(this.shellError('cd', `${args[0]}: ${why}`), 1);
          return fail(`sh: cd: can't cd to ${args[0]}: ${why}\n`, 2);
        }
        this.cwd = to;
        return ok();
      }
      case 'ls': return ls(this.fileContext(stdin), args);
      case 'cat': return cat(this.fileContext(stdin, stdinBytes), args);
      case 'touch': return touch(this.fileContext(stdin), args);
      case 'mkdir': return mkdir(this.fileContext(stdin), args);
      case 'rm': return rm(this.fileContext(stdin), args);
      case 'rmdir': return rmdir(this.fileContext(stdin), args);
      case 'cp': case 'mv': return cpMv(this.fileContext(stdin), cmd, args);
      case 'tee': return tee(this.fileContext(stdin, stdinBytes), args);
      case 'test': case '[': case '[[': return test(this.fileContext(stdin), cmd, args);
      case 'tar': return tar(this.fileContext(stdin, stdinBytes), args);
      case 'find': return find(this.fileContext(stdin), args);
      case 'du': return du(this.fileContext(stdin), args);
      case 'dd': return dd(this.fileContext(stdin, stdinBytes), args);
      case 'stat': return stat(this.fileContext(stdin), args);
      case 'readlink': return readlink(this.fileContext(stdin), args);
      case 'ln': return ln(this.fileContext(stdin), args);
      case 'grep': return grep(args, { stdin, read: (f) => this.readFile(f) });
      case 'seq': return seq(args);
      case 'wc': {
        const gnu = gnuCoreutils(String(containerSpecOf(this.world).image ?? ''));
        // One line per file (a glob often gives several), then a `total` line.
        const files = args.filter((a) => !a.startsWith('-'));
        let out = '', err = '';
        const sum = [0, 0, 0];
        const read: Array<{ name?: string; counts: number[] }> = [];
        let regular = 0, pipe = false;
        for (const file of files.length ? files : [undefined]) {
          let bytes: Uint8Array | undefined;
          if (file !== undefined) { try { bytes = this.fs.read(this.abs(file)); } catch { bytes = undefined; } } else bytes = stdinBytes ?? new Uint8Array(Buffer.from(stdin, 'utf8'));
          if (bytes === undefined) {
            // GNU wc.c: `wc: NAME: reason` (quotef); busybox: `can't open 'NAME'`.
            err += gnu ? `wc: ${gnuQuote(file!, false)}: No such file or directory\n` : `wc: can't open '${file}': No such file or directory\n`;
            continue;
          }
          if (file === undefined) pipe = true; else regular += bytes.length;
          // Counts are of bytes, as wc counts (a binary file's too).
          const counts = [bytes.reduce((n, b) => n + (b === 10 ? 1 : 0), 0), Buffer.from(bytes).toString('utf8').split(/\s+/).filter(Boolean).length, bytes.length];
          counts.forEach((n, i) => { sum[i] += n; });
          read.push({ name: file, counts });
        }
        const picked = (counts: number[]) => (args.includes('-l') ? [counts[0]] : args.includes('-c') ? [counts[2]] : counts);
        // busybox pads to 7 when it prints several counts. GNU (wc.c get_input_fstatus, compute_number_width): one
        // count of one input is not padded; else to the digits of the regular files' total size, at least 7 when an
        // input is no regular file (a pipe), not at all when the first file cannot be read.
        const single = args.includes('-l') || args.includes('-c');
        const firstFailed = files.length > 0 && read[0]?.name !== files[0];
        const width = !gnu ? (single ? 0 : 7) : (single && files.length <= 1) || firstFailed ? 0 : Math.max(pipe ? 7 : 1, String(regular).length);
        const line = (counts: number[], name?: string) => `${picked(counts).map((n) => String(n).padStart(width)).join(' ')}${name ? ` ${name}` : ''}\n`;
        for (const r of read) out += line(r.counts, r.name);
        if (files.length > 1) out += line(sum, 'total');
        return { stdout: out, stderr: err, code: err ? 1 : 0 };
      }
      case 'sort': case 'head': case 'tail': {
        const gnu = gnuCoreutils(String(containerSpecOf(this.world).image ?? ''));
        const file = args.find((a) => !a.startsWith('-') && !/^[+]?\d+$/.test(a));
        const text = file !== undefined ? this.readFile(file) : stdin;
        if (text === undefined) {
          if (!gnu) return fail(`${cmd}: can't open '${file}': No such file or directory\n`);
          // GNU head.c and tail.c: "cannot open %s for reading" (quoteaf); sort.c: "cannot read: %s" (quotef), status 2.
          return cmd === 'sort' ? fail(`sort: cannot read: ${gnuQuote(file!, false)}: No such file or directory\n`, 2) : fail(`${cmd}: cannot open ${gnuQuote(file!)} for reading: No such file or directory\n`);
        }
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        const nArg = args.find((a) => /^-?\d+$/.test(a) || /^-n[+]?\d+$/.test(a)) ?? (args.includes('-n') ? args[args.indexOf('-n') + 1] : undefined);
        const fromStart = cmd === 'tail' && nArg !== undefined && /^(-n)?\+/.test(nArg);
        const n = nArg !== undefined ? Math.abs(Number(nArg.replace(/^-n/, '').replace(/^\+/, ''))) : 10;
        const pick = cmd === 'sort' ? [...lines].sort() : cmd === 'head' ? lines.slice(0, n) : fromStart ? lines.slice(Math.max(0, n - 1)) : lines.slice(Math.max(0, lines.length - n));
        if (cmd === 'sort' && args.includes('-r')) pick.reverse();
        return ok(pick.map((l) => l + '\n').join(''));
      }
      case 'uniq': return uniq(args, (f) => (f === undefined ? stdin : this.readFile(f)));
      case 'ping': return ping(this.world, args);
      case 'read': return this.read(args, stdin);
      case 'cut': return cut(args, (f) => (f === undefined || f === '-' ? stdin : this.readFile(f)));
      case 'tr': return tr(args, stdin);
      case 'printf': return printf(args);
      case 'basename': return basename(args);
      case 'dirname': return dirname(args);
      case 'nslookup': return nslookup(this.world, args);
      case 'getent': return getent(this.world, args);
      case 'wget': return wget(this.world, args, (p, t) => this.saveFile(p, t));
      case 'curl': return curl(this.world, args, { read: (p) => this.readFile(p), save: (p, t) => this.saveFile(p, t), stdin });
      case 'kubectl': {
        const r = kubectl(this.world, args, { env: (n) => this.vars.get(n), read: (p) => this.readFile(p), image: String(containerSpecOf(this.world).image ?? '') });
        if (r) return r;
        return this.notFound(given!);
      }
      case 'ip': return ipCommand(this.live(), args);
      case 'ifconfig': return ifconfig(this.live(), args);
      case 'route': return route(this.live(), args);
      case 'netstat': return netstat(this.live(), args);
      case 'nc': return nc(this.live(), args, stdinBytes ?? (stdin ? new Uint8Array(Buffer.from(stdin, 'utf8')) : undefined));
      case 'ps': return this.ps(args);
      case 'kill': return this.kill(args);
      case 'sh': case 'ash': case 'bash': { // SHELLS
        const { script: c, errexit } = shellFlags(args);
        const sub = this.spawnShell(argv);
        // `sh -c CMD` with one simple command: ash execs it in its own place, so there is no shell process to show.
        if (c >= 0 && execsInPlace(args[c + 1] ?? '', false) !== undefined) sub.session.kind = 'replaced';
        sub.errexit = errexit;
        // A shell that runs a script (not a terminal): an expansion error (`${X:?}`, `$((1/0))`) ends it with status 2.
        sub.strict = true;
        // `sh -c SCRIPT NAME ARGS`: $0 is NAME, the rest are $1 on.
        sub.arg0 = c >= 0 && args.length > c + 2 ? args[c + 2] : given!;
        sub.params = c >= 0 ? args.slice(c + 3) : [];
        const r = c >= 0 ? sub.run(args[c + 1] ?? '', stdin, { stdinBytes, ...(this.orderedShells ? { ordered: true } : {}) }) : sub.runScript(stdin);
        return { ...r, code: sub.exited ?? r.code };
      }
      default:
        return this.notFound(given!);
    }
  }

  /**
   * `exec COMMAND ARGS`: the command takes the shell's place, so the shell ends with the command's status when it
   * ends (at a terminal's outermost shell the session ends, as with `exit`; in a shell started at the prompt its
   * parent reads the terminal again). A command that cannot be found is `exec: NAME: not found` (dash's shellexec
   * exerror, status 127), after which dash and ash end; an interactive bash goes on (bash's exec.def: "An
   * interactive shell returns failure if the file cannot be executed").
   */
  private execInPlace(args: string[], stdin: string, stdinBytes?: Uint8Array): CmdOut {
    if (args[0] === '--') args = args.slice(1);
    if (!args.length) return { stdout: '', stderr: '', code: 0 };
    const r = this.exec(args, stdin, stdinBytes);
    if (r.notFound) {
      const out: CmdOut = { stdout: '', stderr: this.shellError('exec', `${args[0]}: not found`), code: 127 };
      if (!(this.dialect === 'bash' && this.interactive)) this.exited = 127;
      return out;
    }
    this.exited ??= r.code;
    return r;
  }

  /** The world with the pod as it is now: a container another command restarted has new processes. */
  private live(): ExecWorld {
    const now = this.world.currentPod?.();
    if (!now) return this.world;
    // The sandbox's addresses are the container's from its start, before a status write shows them.
    const st = now.status ?? {};
    const seen = this.world.pod.status ?? {};
    if ((st.podIP || !seen.podIP) && (st.hostIP || !seen.hostIP)) return { ...this.world, pod: now };
    return { ...this.world, pod: { ...now, status: { ...st, podIP: st.podIP ?? seen.podIP, podIPs: st.podIPs ?? seen.podIPs, hostIP: st.hostIP ?? seen.hostIP } } };
  }

  /** The namespace's processes with this session's shells (ps and kill see the same). */
  private processes(w = this.live()): { procs: Proc[]; parent: number; uid: number; shells: Map<number, boolean>; self?: number; w: ExecWorld } {
    const procs = namespaceProcs(w);
    const chain: ShellProcess[] = [];
    // The session's shells, and whether each is interactive (a `sh -c` one is not).
    const shells = new Map<number, boolean>();
    for (let s: ShellProcess | undefined = this.session; s; s = s.parent) chain.unshift(s);
    const uid = procs.find((p) => p.container === this.world.container)?.uid ?? 0;
    let parent = 0;
    for (const s of chain) {
      if (s.kind === 'direct') continue;
      if (s.kind === 'attached') {
        parent = procs.find((p) => p.container === this.world.container)?.pid ?? 0;
        continue;
      }
      if (s.kind === 'replaced') {
        // Its PID is the command's that took its place (the innermost session's command is the one running).
        s.pid ??= newPid(w, parent !== 0);
        if (s === chain[chain.length - 1]) return { procs, parent, uid, shells, self: s.pid, w };
        continue;
      }
      s.pid ??= newPid(w, parent !== 0);
      procs.push({ pid: s.pid, ppid: parent, uid, args: s.args, started: s.started, container: this.world.container });
      shells.set(s.pid, !/(?:^|\s)-\w*c(?:\s|$)/.test(s.args));
      parent = s.pid;
    }
    // The background jobs still running are this shell's children.
    for (const j of this.jobs) {
      if (j.status === undefined && j.killed === undefined && !procs.some((p) => p.pid === j.pid)) procs.push({ pid: j.pid, ppid: parent, uid, args: j.args, started: j.started, container: this.world.container });
    }
    return { procs, parent, uid, shells, w };
  }

  /** busybox `ps`: the namespace's processes, this session's shells, and `ps` itself (procs.ts). */
  private ps(args: string[]): CmdOut {
    const { procs, parent, uid, self, w } = this.processes();
    procs.push({ pid: self ?? newPid(w, parent !== 0), ppid: parent, uid, args: ['ps', ...args].join(' '), started: this.world.now(), container: this.world.container, running: true });
    procs.sort((a, b) => a.pid - b.pid);
    return ps(w, args, procs);
  }

  /**
   * busybox `kill [-l] [-s SIG | -SIG] PID...`: the signal goes to a process of the namespace (procs.ts says
   * what it does). Ending a container's first process ends the container, and the kubelet restarts it.
   */
  private kill(args: string[]): CmdOut {
    const out = (stdout: string, stderr = '', code = 0): CmdOut => ({ stdout, stderr, code });
    // Run by the runtime (`kubectl exec pod -- kill 42`) it is busybox's kill applet; in a shell, ash's builtin.
    const me = this.session.kind === 'direct' ? 'kill' : 'sh';
    let i = 0;
    let sig = 15;
    const first = args[0];
    if (first === '-l') {
      if (args.length === 1) return out(SIGNAL_LIST.map(([n, name]) => `${String(n).padStart(2)}) ${name}\n`).join(''));
      let text = '';
      for (const a of args.slice(1)) {
        if (/^\d+$/.test(a)) {
          // A number is an exit status or a signal: its low 7 bits name the signal.
          const n = a.length > 9 ? NaN : Number(a) & 0x7f;
          if (Number.isNaN(n)) return out(text, `${me}: unknown signal '${a}'\n`, 1);
          text += `${n > 0 && n < 65 ? signalName(n) : n}\n`;
        } else {
          const n = signalNumber(a);
          if (n === undefined) return out(text, `${me}: unknown signal '${a}'\n`, 1);
          text += `${n}\n`;
        }
      }
      return out(text);
    }
    // A first word starting with '-' is the signal (`-9`, `-KILL`, `-s KILL`); `--` ends the options (`kill -- -1`).
    if (first?.startsWith('-') && first !== '-') {
      let name = first.slice(1);
      i = 1;
      if (name === '-') name = '';
      else if (name === 's' && args.length > 1) { name = args[1]; i = 2; }
      if (name !== '') {
        const n = signalNumber(name);
        if (n === undefined) return out('', `${me}: bad signal name '${name}'\n`, 1);
        sig = n;
      }
    }
    const pids = args.slice(i);
    if (!pids.length) return out('', `${me}: you need to specify whom to kill\n`, 1);
    let stderr = '';
    let failures = 0;
    for (const a of pids) {
      if (!/^-?\d{1,10}$/.test(a) || Math.abs(Number(a)) > 2 ** 31 - 1) { stderr += `${me}: invalid number '${a}'\n`; failures++; continue; }
      if (Number(a) <= 0) { stderr += `kubeplay: kill ${a} (a process group, or every process) is not simulated\n`; failures++; continue; }
      // This shell itself (`kill -USR1 $$`), when it traps the signal: the trap runs before its next command.
      if (sig !== 0 && String(Number(a)) === this.shellPid() && this.signal(sig)) continue;
      // A background job of this shell: a handler of its own runs, else the signal's default action ends it.
      const job = this.jobs.find((j) => j.pid === Number(a) && j.status === undefined && j.killed === undefined);
      if (job) {
        if (sig !== 0 && !job.shell.signal(sig) && !IGNORED_BY_DEFAULT.has(sig)) job.killed = sig;
        continue;
      }
      const { procs, uid, shells, w } = this.processes();
      const target = procs.find((p) => p.pid === Number(a));
      if (!target) { stderr += `${me}: can't kill pid ${a}: No such process\n`; failures++; continue; }
      if (uid !== 0 && target.uid !== uid) { stderr += `${me}: can't kill pid ${a}: Operation not permitted\n`; failures++; continue; }
      if (sig === 0) continue;
      // A container's first process that is a script the kubelet plays, whose shell traps the signal: the trap runs.
      if (target.ppid === 0 && target.container && target.container !== '' && this.world.signalScript?.(target.container, sig)) continue;
      const effect = signalEffect(target, sig, procs, shells);
      switch (effect.kind) {
        case 'container-exit':
          this.world.endContainer?.(effect.container, effect.code);
          break;
        case 'respawn':
          respawnWorkers(w, effect.container, effect.pids);
          break;
        case 'session-exit':
          this.exited = effect.code;
          return out('', stderr, effect.code);
        case 'unsimulated':
          stderr += `kubeplay: ${effect.why}\n`;
          failures++;
          break;
      }
    }
    // busybox's kill answers the number of PIDs it could not signal.
    return out('', stderr, failures);
  }

  /** Runs a whole script (non-interactive `sh` reading its standard input). */
  runScript(text: string): CmdOut {
    let stdout = '', stderr = '';
    const lines = text.split('\n');
    let pending = '';
    for (let k = 0; k < lines.length; k++) {
      // A command that goes on over the next lines (an open `if`, a here-document's body) is read whole first.
      const line = pending + lines[k];
      if (k < lines.length - 1 && readsOn(line)) { pending = line + '\n'; continue; }
      pending = '';
      // Nothing after the last newline is no command: the status stays the last command's.
      if (k === lines.length - 1 && k > 0 && !line.trim()) break;
      this.lineBase = k + 1 - (line.split('\n').length - 1);
      const r = this.run(line, '', { chunk: true });
      stdout += r.stdout;
      stderr += r.stderr;
      if (this.exited !== undefined) break;
    }
    const t = this.endShell();
    return { stdout: stdout + t.stdout, stderr: stderr + t.stderr, code: t.code };
  }
}

/** The process a shell is (ShellState.session). */
export interface ShellProcess {
  /** Its command line (`sh`, `/bin/sh -c ps`). */
  args: string;
  started: number;
  /** Its PID, given the first time `ps` shows it. */
  pid?: number;
  /** The shell that ran it. */
  parent?: ShellProcess;
  /**
   * `direct`: no shell, the runtime exec'd the command itself; `attached`: the container's own first process;
   * `replaced`: `sh -c` of one simple command, which ash runs in its own place (with its PID).
   */
  kind?: 'direct' | 'attached' | 'replaced';
}

/** Direct exec of `argv` as the container runtime does it (no shell around it). */
export function execCommand(world: ExecWorld, argv: string[], stdin = '', stdinBytes?: Uint8Array, ordered = false): CmdOut {
  const state = new ShellState(world);
  state.orderedShells = ordered;
  state.session = { args: argv.join(' '), started: world.now(), kind: 'direct' };
  return state.exec(argv, stdin, stdinBytes);
}

/**
 * busybox `hostname [-sidf]`: the kernel hostname (hostname.ts), and for -f, -d and -i what gethostbyname makes of
 * it from the kubelet's /etc/hosts: the first name of its line (`web-0.nginx.default.svc.cluster.local` for a pod
 * with a subdomain) and the line's address. Setting a name is refused, as it is to a container without
 * CAP_SYS_ADMIN.
 */
function hostnameCommand(pod: KObject, args: string[]): CmdOut {
  let flags = '';
  const names: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1) {
      for (const f of a.slice(1)) {
        if (!'sidf'.includes(f)) {
          return { stdout: '', code: 1, stderr: `hostname: invalid option -- '${f}'\nBusyBox v1.36.1 multi-call binary.\n\nUsage: hostname [-sidf] [HOSTNAME | -F FILE]\n\nShow or set hostname or DNS domain name\n\n\t-s\tShort\n\t-i\tAddresses for the hostname\n\t-d\tDNS domain name\n\t-f\tFully qualified domain name\n\t-F FILE\tUse FILE's content as hostname\n` };
        }
        flags += f;
      }
    } else names.push(a);
  }
  const short = kernelHostname(pod);
  if (names.length && !flags) return { stdout: '', stderr: 'hostname: sethostname: Operation not permitted\n', code: 1 };
  const fqdn = canonicalName(pod, short) ?? short;
  const ok = (s: string): CmdOut => ({ stdout: s, stderr: '', code: 0 });
  // busybox answers the first of -f, -s, -d, -i it was given, in that order (checked against busybox 1.35).
  if (flags.includes('f')) return ok(fqdn + '\n');
  if (flags.includes('s')) return ok(short.split('.')[0] + '\n');
  if (flags.includes('d')) {
    const dot = fqdn.indexOf('.');
    return ok(dot < 0 ? '' : fqdn.slice(dot + 1) + '\n');
  }
  if (flags.includes('i')) {
    const ip = pod.status?.podIP;
    return ip ? ok(`${ip}\n`) : { stdout: '', stderr: `hostname: ${short}: Unknown host\n`, code: 1 };
  }
  return ok(short + '\n');
}
