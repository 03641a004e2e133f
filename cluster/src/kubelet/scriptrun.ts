/**
 * Playing a container's script (scripts.ts) through the simulated shell, in
 * simulated time: the kubelet's stage table (stages.ts) starts it when the
 * container starts and calls back after each `sleep`; what it prints is the
 * container's log, and its end is the container's exit.
 */
import type { ContainerSim, PodSim, ScriptRun } from './podsim';
import type { CmdOut } from './netcmds';
import { commandLine, compoundRunnable, expandReferences, planScript, shellScript } from './scripts';
import { shipsKubectl } from './kubectl';
import { SHELLS, commandName, shellFlags, type ShellStep } from './exec';
import type { StageEnv } from './stages';
import { doubleBracketOperators } from './shellsyntax';

/** Variables the container runtime sets, which Kubernetes' `$(VAR)` expansion does not see. */
const RUNTIME_VARS = new Set(['PATH', 'HOSTNAME', 'HOME']);

/** The most lines a container's log keeps from its script (the kubelet rotates logs; the oldest go). */
export const LOG_LINES = 10_000;

function record(c: ContainerSim, out: CmdOut & { order?: Array<{ fd: 1 | 2; text: string }> }, now: number): void {
  // Both streams in the order they came, when the run kept it.
  if (out.order) { for (const o of out.order) appendStream(c.run!, o.text, now, o.fd); return; }
  if (out.stdout) appendStream(c.run!, out.stdout, now, 1);
  if (out.stderr) appendStream(c.run!, out.stderr, now, 2);
}

/** A stream's text into the script's log: its whole lines now, the rest when the line ends (or the output closes). */
function appendStream(run: ScriptRun, text: string, now: number, fd: 1 | 2): void {
  const pending = (fd === 2 ? run.pendingErr : run.pendingOut) ?? '';
  const cut = text.lastIndexOf('\n');
  const rest = cut < 0 ? pending + text : text.slice(cut + 1);
  if (fd === 2) run.pendingErr = rest;
  else run.pendingOut = rest;
  if (cut >= 0) appendLines(run, pending + text.slice(0, cut + 1), now);
}

/** The container's output closed: what its streams printed after their last newline becomes the log's last lines. */
export function flushScriptOutput(run: ScriptRun, now: number): void {
  for (const fd of [1, 2] as const) {
    const rest = fd === 2 ? run.pendingErr : run.pendingOut;
    if (rest) appendLines(run, rest + '\n', now);
  }
  run.pendingOut = run.pendingErr = undefined;
}

/**
 * Adds printed text to a log: whole lines only (a line not yet ended waits in `partial`, when kept), the oldest
 * going past LOG_LINES. Each line keeps the time it was written (`times`), for `kubectl logs --since` and
 * `--timestamps`.
 */
export function appendLines(log: { output: string[]; dropped: number; partial?: string; times?: number[] }, text: string, now: number): void {
  const parts = ((log.partial ?? '') + text).split('\n');
  const rest = parts.pop()!;
  if (log.partial !== undefined) log.partial = rest;
  else if (rest !== '') parts.push(rest);
  log.output.push(...parts);
  const times = (log.times ??= []);
  for (let i = 0; i < parts.length; i++) times.push(now);
  if (log.output.length > LOG_LINES) {
    const gone = log.output.length - LOG_LINES;
    log.output.splice(0, gone);
    times.splice(0, gone);
    log.dropped += gone;
  }
}

/**
 * A new instance of a container whose command the shell can play
 * (scripts.ts; Kubernetes' `$(VAR)` references expanded first). The script
 * runs through the shell's steps from the start, pausing at each `sleep` for
 * as long as it sleeps. When it ends (or runs `exit`), the container exits
 * with its status.
 */
export function startScript(c: ContainerSim, p: PodSim, env: StageEnv): void {
  c.run = undefined;
  const argv = commandLine(c.spec);
  if (!env.shell || shellScript(argv) === undefined) return;
  const shell = env.shell(p, c);
  if (!shell) return;
  // `sh -c SCRIPT NAME ARGS`: $0 is NAME (the shell's own name without one), the rest are $1 on.
  if (SHELLS.has(commandName(argv[0] ?? ''))) {
    const at = shellFlags(argv.slice(1)).script + 2;
    shell.arg0 = argv[at + 1] ?? argv[0];
    shell.params = argv.slice(at + 2);
    // `bash -c` is bash, in its words; `sh` is the image's own (ShellState.dialect).
    if (commandName(argv[0]) === 'bash') shell.dialect = 'bash';
  }
  // The kubelet expands from the environment it builds (declared variables and Service links), not the runtime's own.
  const declared = new Set((c.spec.env ?? []).map((e: any) => e.name));
  const lookup = (n: string) => (RUNTIME_VARS.has(n) && !declared.has(n) ? undefined : shell.vars.get(n));
  const script = shellScript(argv.map((a) => expandReferences(a, lookup)));
  if (script === undefined || !playable(script, shipsKubectl(String(c.spec.image ?? '')))) return;
  shell.strict = true;
  if (SHELLS.has(commandName(argv[0] ?? ''))) shell.errexit = shellFlags(argv.slice(1)).errexit;
  const now = env.now();
  c.run = { shell, output: [], dropped: 0, phase: 'running', nextAt: now, exitCode: 0, steps: shell.steps(script) };
  advanceScript(c, now);
}

/** Whether the simulated shell knows every command of a script, so that it can play it (scripts.ts). */
export function playable(script: string, kubectl: boolean): boolean {
  // Whatever a script holds, the question never stops the kubelet: a script it cannot read keeps the image convention.
  try {
    // `&&` and `||` inside `[[ ]]` are the test's own, as the shell reads them (doubleBracketOperators).
    script = doubleBracketOperators(script);
    return compoundRunnable(script, { kubectl }) || planScript(script, { kubectl }) !== undefined;
  } catch {
    return false;
  }
}

/** Where playing a shell's steps stopped: at the end, with its status, or at a pause until `at`. */
export type Played = { status: number } | { at: number };

/**
 * Plays shell steps on from where they paused, until a `sleep` (then `at` is when it is over) or the end; what they
 * print goes to `out` as it comes. Bounded: past 10,000 steps with no sleep, they go on a second later (the engine is
 * never stuck). Nothing a script does may stop the kubelet: a failure of the shell itself ends it with status 2, as
 * a broken interpreter would.
 */
export function playSteps(run: { steps?: Generator<ShellStep, number, number | undefined>; sleptAt?: number }, now: number, out: (stdout: string, stderr: string) => void): Played {
  for (let guard = 0; guard < 10_000; guard++) {
    let r: IteratorResult<ShellStep, number>;
    try {
      const passed = run.sleptAt === undefined ? undefined : now - run.sleptAt;
      run.sleptAt = undefined;
      r = run.steps!.next(passed);
    } catch (e) {
      out('', `sh: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      return { status: 2 };
    }
    if (r.done) return { status: r.value };
    if ('out' in r.value) { out(r.value.out, r.value.err); continue; }
    // The scheduler answers every `wait` itself (ShellState.schedule): what reaches here is a sleep.
    if (!('sleep' in r.value)) continue;
    run.sleptAt = now;
    return { at: now + r.value.sleep };
  }
  return { at: now + 1000 };
}

/** Runs the script on from where it stopped until its next `sleep`, or its end. */
export function advanceScript(c: ContainerSim, now: number): void {
  const run = c.run!;
  const r = playSteps(run, now, (stdout, stderr) => record(c, { stdout, stderr, code: 0 }, now));
  if ('at' in r) { run.nextAt = r.at; return; }
  run.phase = 'done';
  run.exitAt = now;
  run.exitCode = r.status;
}
