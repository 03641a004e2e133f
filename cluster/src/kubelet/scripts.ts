/**
 * Container commands the kubelet can play through the simulated shell
 * (exec.ts) instead of the image convention's timing alone: a `sh -c` script
 * (or a command run directly) made only of commands the shell knows, in the
 * shapes it runs. Its output goes to the container's log, and a polling loop
 * such as the documentation's init container
 *
 *   until nslookup myservice.$(cat .../namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done
 *
 * really waits: its condition is tried against the cluster's DNS and
 * kube-proxy every period, until the Service exists. Anything the shell does
 * not do (an application binary, file redirections, `if`, `for`, background
 * jobs, nested loops, ...) keeps the image convention: the planner refuses
 * rather than guesses.
 */
import { commandName, SHELLS } from './exec';

/** What the simulated shell can run (exec.ts). */
const KNOWN = new Set(['true', ':', 'false', 'exit', 'echo', 'hostname', 'whoami', 'id', 'pwd', 'date', 'uname', 'sleep', 'env', 'printenv',
  'export', 'cd', 'ls', 'cat', 'grep', 'wc', 'sort', 'head', 'tail', 'nslookup', 'getent', 'wget', 'curl']);
/** Shell words this planner does not read (it reads `until`/`while … do … done` only). */
const REFUSED_WORDS = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'case', 'esac', 'select', 'function', 'trap', 'exec', 'eval', 'source', '.', 'read', 'wait']);

export interface ScriptLoop {
  /** `until` runs the body while the condition fails; `while` while it succeeds (`while !` while it fails). */
  until: boolean;
  condition: string;
  body: string;
  /** Simulated time one pass takes: the sleeps of the condition and the body (1 s when they have none, rather than a busy loop). */
  periodMs: number;
}

export interface ScriptPlan {
  /** What runs before the loop, or the whole script when there is none. */
  before: string;
  /** The sleeps of `before` (or of the whole loop-less script; Infinity for `sleep infinity`). */
  beforeMs: number;
  loop?: ScriptLoop;
  /** What runs after the loop ends, and its sleeps. */
  after: string;
  afterMs: number;
}

const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MIN_PERIOD_MS = 100;

/** A word as the shell reads it back: single-quoted unless it is plain. */
const quoteWord = (w: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/**
 * Kubernetes' own `$(VAR)` references in command and args, expanded from the
 * container's environment before anything runs (`$$` is a literal `$`; a name
 * the environment lacks is left as written, as expansion.Expand does).
 */
export function expandReferences(arg: string, env: (name: string) => string | undefined): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) => {
    if (m === '$$') return '$';
    const v = env(name!);
    return v === undefined ? m : v;
  });
}

/**
 * The script a container's command runs: the script of `sh -c <script>` (or
 * `bash -c`, `/bin/sh -c`), or a command the shell knows run directly
 * (`kubectl run ... -- nslookup web`), as a one-line script.
 */
export function shellScript(argv: string[]): string | undefined {
  if (!argv.length) return undefined;
  const cmd = commandName(argv[0]);
  if (SHELLS.has(cmd)) return argv.length >= 3 && argv[1] === '-c' ? argv[2] : undefined;
  return KNOWN.has(cmd) ? argv.map(quoteWord).join(' ') : undefined;
}

/** The command and args a container runs, joined. */
export const commandLine = (container: any): string[] => [...(container.command ?? []), ...(container.args ?? [])].map(String);

interface Scanned {
  /** The script outside quotes and substitutions (each replaced by a plain word), newlines as `;`. */
  flat: string;
  /** The same with quotes kept, newlines as `;`: what the shell runs, split at the same places. */
  text: string;
  /** What runs inside each `$( )`. */
  inner: string[];
}

/** One pass over a script: quotes, substitutions and newlines, or undefined for what the shell does not do (backquotes). */
function scan(script: string): Scanned | undefined {
  let flat = '';
  let text = '';
  const inner: string[] = [];
  let quote = '';
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '`') return undefined;
    if (quote === "'") { text += c; if (c === "'") quote = ''; continue; }
    if (c === '\\') { flat += 'x'; text += c + (script[i + 1] ?? ''); i++; continue; }
    if (c === '$' && script[i + 1] === '(') {
      let depth = 1;
      let j = i + 2;
      for (; j < script.length && depth; j++) { if (script[j] === '(') depth++; else if (script[j] === ')') depth--; }
      if (depth) return undefined;
      const body = script.slice(i + 2, j - 1);
      // Arithmetic needs no command; a substitution's commands are checked like the script's.
      if (!(body.startsWith('(') && body.endsWith(')'))) inner.push(body);
      flat += 'x';
      text += script.slice(i, j);
      i = j - 1;
      continue;
    }
    if (quote === '"') { text += c; if (c === '"') quote = ''; continue; }
    if (c === "'" || c === '"') { quote = c; text += c; flat += 'x'; continue; }
    if (c === '\n') { flat += ';'; text += ';'; continue; }
    flat += c;
    text += c;
  }
  if (quote) return undefined;
  return { flat, text, inner };
}

/** Simple commands of a flat script (split at ; && || |), as words. */
function simpleCommands(flat: string): string[][] {
  return flat.split(/;|&&|\|\||\|/).map((part) => part.trim().split(/\s+/).filter(Boolean)).filter((w) => w.length);
}

/** Whether every command of a script is one the shell runs, in a shape it runs; `loopWords` allows until/while/do/done. */
function runnable(script: string, loopWords: boolean): boolean {
  const s = scan(script);
  if (!s) return false;
  // Redirections other than the shell's four (>/dev/null, 2>/dev/null, 2>&1, >&2), input redirection,
  // background jobs, subshells and groups, comments.
  const f = s.flat.replace(/2>&1|>&2|2?>\s*\/dev\/null/g, ' ').replace(/&&/g, '  ').replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x');
  if (/[<>(){}#&]/.test(f)) return false;
  for (const words of simpleCommands(s.flat)) {
    let k = 0;
    while (loopWords && k < words.length && ['until', 'while', 'do', 'done'].includes(words[k])) k++;
    if (loopWords && words[k] === '!' && k > 0 && ['until', 'while'].includes(words[k - 1])) k++;
    if (k === words.length) continue;
    const w = words.slice(k);
    // An assignment alone is fine; an assignment before a command (FOO=bar cmd) is not something the shell does.
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) {
      if (w.slice(1).some((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x))) return false;
      continue;
    }
    const cmd = commandName(w[0]);
    if (!KNOWN.has(cmd) || REFUSED_WORDS.has(w[0])) return false;
    // `env X=1 cmd` runs another command; `tail -f` never ends.
    if (cmd === 'env' && w.length > 1) return false;
    if (cmd === 'tail' && w.some((x) => /^-[a-zA-Z]*[fF]/.test(x))) return false;
  }
  return s.inner.every((body) => runnable(body, false));
}

/** The simulated time a script's sleeps take (Infinity for `sleep infinity`). */
function sleepsOf(script: string): number {
  const s = scan(script);
  if (!s) return 0;
  let ms = 0;
  for (const w of simpleCommands(s.flat)) {
    const i = w.indexOf('sleep');
    if (i < 0 || (i > 0 && !['until', 'while', 'do', '!'].includes(w[i - 1]))) continue;
    for (const a of w.slice(i + 1)) {
      if (a === 'infinity') return Infinity;
      const m = /^(\d+(?:\.\d+)?)([smhd])?$/.exec(a);
      if (m) ms += Number(m[1]) * UNIT[m[2] ?? 's'];
    }
  }
  return ms;
}

/** The plan for a script the shell can play, or undefined to keep the image convention. */
export function planScript(script: string): ScriptPlan | undefined {
  const s = scan(script);
  if (!s || !runnable(script, true)) return undefined;
  const words = simpleCommands(s.flat).flat();
  const loops = words.filter((w) => w === 'until' || w === 'while').length;
  if (loops === 0) {
    if (words.some((w) => w === 'do' || w === 'done')) return undefined;
    return { before: s.text, beforeMs: sleepsOf(s.text), after: '', afterMs: 0 };
  }
  if (loops > 1) return undefined; // nested or successive loops
  // One loop, set off by `;` (or newlines) from what comes before and after it.
  // A block script puts `do` and `done` on lines of their own: `do;` reads as `do`.
  const text = s.text.replace(/\bdo\s*;/g, 'do ').replace(/;(\s*;)+/g, ';').trim().replace(/^;\s*/, '');
  const m = /^(?:([\s\S]*?);\s*)?(until|while)\s+([\s\S]+?)\s*;\s*do\s+([\s\S]*?)\s*;?\s*done\s*(?:;\s*([\s\S]*?))?\s*;?\s*$/.exec(text);
  if (!m) return undefined;
  const [, before = '', keyword, cond, body, after = ''] = m;
  const negated = /^!\s+/.test(cond);
  const condition = cond.replace(/^!\s+/, '');
  // `while ! a && b` negates the whole list in sh; only a single pipeline is read that way here.
  if (negated && /&&|\|\|/.test(scan(condition)?.flat ?? '&&')) return undefined;
  const periodMs = Math.max(MIN_PERIOD_MS, sleepsOf(condition) + sleepsOf(body) || 1000);
  if (!Number.isFinite(periodMs)) return undefined;
  return {
    before, beforeMs: sleepsOf(before),
    loop: { until: keyword === 'until' ? !negated : negated, condition, body, periodMs },
    after, afterMs: sleepsOf(after),
  };
}
