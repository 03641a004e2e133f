/**
 * Container commands the kubelet can play through the simulated shell
 * (exec.ts) instead of the image convention's timing alone: a `sh -c` script
 * made only of commands the shell knows. Its output goes to the container's
 * log, and a polling loop such as the documentation's init container
 *
 *   until nslookup myservice.$(cat .../namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done
 *
 * really waits: its condition is tried against the cluster's DNS and
 * kube-proxy every period, until the Service exists. A script with a command
 * the shell does not know (an application binary) keeps the convention.
 */
import { commandName, SHELLS } from './exec';

/** What the simulated shell can run (exec.ts), plus the loop keywords. */
const KNOWN = new Set(['true', ':', 'false', 'exit', 'echo', 'hostname', 'whoami', 'id', 'pwd', 'date', 'uname', 'sleep', 'env', 'printenv',
  'export', 'cd', 'ls', 'cat', 'grep', 'wc', 'sort', 'head', 'tail', 'nslookup', 'getent', 'wget', 'curl', ...SHELLS]);
const KEYWORDS = new Set(['until', 'while', 'do', 'done', '!']);

export interface ScriptLoop {
  /** `until` runs the body while the condition fails; `while` while it succeeds (`while !` while it fails). */
  until: boolean;
  condition: string;
  /** The loop body without its sleeps, run once per pass. */
  body: string;
  /** Simulated time one pass takes: the body's sleeps (1 s when it has none, rather than a busy loop). */
  periodMs: number;
}

export interface ScriptPlan {
  /** What runs before the loop, or the whole script when there is none. */
  before: string;
  loop?: ScriptLoop;
  /** What runs after the loop ends. */
  after: string;
  /** How long the container keeps running after its last command: the sleeps of `after` (Infinity for `sleep infinity`). */
  afterMs: number;
}

const SLEEP = /\bsleep\s+(\d+(?:\.\d+)?|infinity)(s|m|h)?\b/g;
const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

function sleepsOf(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(SLEEP)) ms += m[1] === 'infinity' ? Infinity : Number(m[1]) * UNIT[m[2] ?? 's'];
  return ms;
}

const withoutSleeps = (text: string) => text.replace(SLEEP, 'true');

/** A word as the shell reads it back: single-quoted unless it is plain. */
const quoteWord = (w: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/**
 * The script a container's command runs: the script of `sh -c <script>` (or
 * `bash -c`, `/bin/sh -c`), or a command the shell knows run directly
 * (`kubectl run ... -- nslookup web`), as a one-line script.
 */
export function shellScript(container: any): string | undefined {
  const argv: string[] = [...(container.command ?? []), ...(container.args ?? [])].map(String);
  if (!argv.length) return undefined;
  const cmd = commandName(argv[0]);
  if (SHELLS.has(cmd)) return argv.length >= 3 && argv[1] === '-c' ? argv[2] : undefined;
  return KNOWN.has(cmd) ? argv.map(quoteWord).join(' ') : undefined;
}

/** Every command word of a script (first word of each simple command, `$( )` insides included). */
function commandWords(script: string): string[] {
  const words: string[] = [];
  const unquoted = script.replace(/'[^']*'/g, "''").replace(/"(?:[^"\\$]|\\.)*"/g, '""');
  for (const inner of unquoted.matchAll(/\$\(([^()]*)\)/g)) words.push(...commandWords(inner[1]));
  for (let part of unquoted.replace(/\$\([^()]*\)/g, 'x').split(/;|&&|\|\||\||\n/)) {
    part = part.trim();
    while (true) {
      const m = /^(until|while|do|!)\s+/.exec(part);
      if (!m) break;
      part = part.slice(m[0].length);
    }
    const w = part.split(/\s+/)[0];
    if (!w || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
    words.push(w);
  }
  return words;
}

/** The plan for a script the shell can play, or undefined to keep the image convention. */
export function planScript(script: string): ScriptPlan | undefined {
  if (!commandWords(script).every((w) => KNOWN.has(commandName(w)) || KEYWORDS.has(w))) return undefined;
  const m = /^([\s\S]*?)(?:^|;|&&|\n)\s*(until|while)\s+([\s\S]+?)\s*;\s*do\s+([\s\S]*?)\s*;?\s*done\b\s*(?:;|&&)?([\s\S]*)$/.exec(script);
  if (!m) {
    if (/\b(until|while|do|done)\b/.test(script)) return undefined; // a loop shape this planner does not read
    return { before: withoutSleeps(script), after: '', afterMs: sleepsOf(script) };
  }
  const [, before, keyword, cond, body, after] = m;
  if (/\b(until|while|do|done)\b/.test(body + after)) return undefined; // nested loops
  const negated = /^!\s+/.test(cond);
  const periodMs = sleepsOf(body) || 1000;
  if (!Number.isFinite(periodMs)) return undefined;
  return {
    before: withoutSleeps(before),
    loop: { until: keyword === 'until' ? !negated : negated, condition: cond.replace(/^!\s+/, ''), body: withoutSleeps(body), periodMs },
    after: withoutSleeps(after),
    afterMs: sleepsOf(after),
  };
}
