/**
 * Container lifecycle hooks, run the way the kubelet's handler runner runs
 * them (pkg/kubelet/lifecycle/handlers.go), in simulated time:
 *   - `sleep` waits its seconds;
 *   - `httpGet` asks the pod's own address, and fails only when nothing
 *     listens there (the runner does not look at the status code);
 *   - `exec` runs its command in the container. A command the simulated shell
 *     knows is played step by step, so its `sleep`s take their time and what it
 *     writes lands when it runs; any other is taken as the image's own program,
 *     which takes the time of the `sleep` it names and fails on `exit N`/`false`.
 *   - `tcpSocket`, kept in the API for old manifests, is no handler: it fails.
 * A postStart hook holds the pod's sync (stages.ts: the container shows
 * ContainerCreating until it returns); a preStop hook runs before the SIGTERM
 * and takes its time out of the grace period.
 */
import type { ContainerSim, PodSim } from './podsim';
import type { StageEnv } from './stages';
import type { ShellStep } from './exec';
import { commandName } from './exec';
import { shellScript } from './scripts';
import { playable, playSteps } from './scriptrun';
import { shipsKubectl } from './kubectl';
import { portNameError, probeAnswer } from './images';
import { lacksProgram } from '../../../kube/src/imageConvention';

export type HookKind = 'postStart' | 'preStop';

/** One run of a hook's handler. */
export interface HookRun {
  kind: HookKind;
  handler: 'exec' | 'httpGet' | 'sleep' | 'invalid';
  startedAt: number;
  /** When the handler next does something: its next step when played, else its end. */
  nextAt: number;
  done: boolean;
  /** Whether the handler succeeded (known once `done`). */
  ok: boolean;
  /** The runner's message when it failed (a failed postStart hook's waiting message: PostStartHookError). */
  message?: string;
  /** A played exec command, its status and what it wrote (the runner hands stdout then stderr back). */
  steps?: Generator<ShellStep, number, number | undefined>;
  sleptAt?: number;
  stdout?: string;
  stderr?: string;
  argv?: string[];
  /** A preStop hook still running when its grace ran out: the SIGKILL ends it (an exec hook then fails). */
  cutOff?: boolean;
}

const fmtPod = (p: PodSim) => `${p.pod.metadata.name}_${p.pod.metadata.namespace}(${p.pod.metadata.uid})`;

/** Go's %q of a string (strconv.Quote): the escapes Go uses, printable characters as they are. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** The handler of a container's hook, or undefined when it has none. */
export function hookHandler(spec: any, kind: HookKind): any {
  const h = spec?.lifecycle?.[kind];
  return h && typeof h === 'object' ? h : undefined;
}

/**
 * Go's %v of the LifecycleHandler the runner cannot run (its generated String()): a tcpSocket action, which
 * the API keeps for old manifests and no kubelet runs.
 */
function handlerString(h: any): string {
  const port = h.tcpSocket?.port;
  const intOrString = typeof port === 'number' ? `{0 ${port} }` : `{1 0 ${port ?? ''}}`;
  const tcp = h.tcpSocket ? `&TCPSocketAction{Port:${intOrString},Host:${h.tcpSocket.host ?? ''},}` : 'nil';
  return `&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:${tcp},Sleep:nil,}`;
}

/** The image's behaviour without its sickness: a hook's HTTP request fails only when nothing listens. */
const healthy = (c: ContainerSim) => ({ ...c.behaviour, sickAfterMs: undefined, warmupMs: undefined });

/** Starts the container's `kind` hook now; plays an exec command up to its first pause. */
export function startHook(c: ContainerSim, p: PodSim, env: StageEnv, kind: HookKind): HookRun | undefined {
  const h = hookHandler(c.spec, kind);
  if (!h) return undefined;
  const now = env.now();
  const run: HookRun = { kind, handler: 'invalid', startedAt: now, nextAt: now, done: false, ok: true };
  if (h.exec) startExec(run, c, p, env, Array.isArray(h.exec.command) ? h.exec.command.map(String) : []);
  else if (h.httpGet) {
    run.handler = 'httpGet';
    const neighbours = [...(p.pod.spec?.containers ?? []), ...(p.pod.spec?.initContainers ?? []).filter((x: any) => x?.restartPolicy === 'Always')];
    // NewRequestForHTTPGetAction resolves a port name first: one the container does not declare fails the hook.
    const portError = portNameError(c.spec, h.httpGet.port);
    const answer = portError ? { ok: false, output: portError } : probeAnswer(c.spec, healthy(c), { httpGet: h.httpGet }, p.podIP ?? '', now - (c.startedAt ?? now), neighbours);
    finish(run, answer.ok, answer.ok ? undefined : `HTTP lifecycle hook (${h.httpGet.path ?? ''}) for Container "${c.name}" in Pod "${fmtPod(p)}" failed - error: ${answer.output}`);
  } else if (h.sleep) {
    run.handler = 'sleep';
    run.nextAt = now + Math.max(0, Number(h.sleep.seconds) || 0) * 1000;
    run.ok = true;
  } else {
    const err = `invalid handler: ${handlerString(h)}`;
    finish(run, false, `Cannot run handler: ${err}`);
  }
  return run;
}

function finish(run: HookRun, ok: boolean, message?: string): void {
  run.done = true;
  run.ok = ok;
  run.message = message;
}

function startExec(run: HookRun, c: ContainerSim, p: PodSim, env: StageEnv, argv: string[]): void {
  run.handler = 'exec';
  run.argv = argv;
  const now = env.now();
  const image = String(c.spec.image ?? '');
  const cmd = commandName(argv[0] ?? '');
  // Run directly, a program the image does not have (bash in busybox) cannot be started: containerd's words, through the CRI.
  if (!argv.length || lacksProgram(image, cmd)) {
    const why = (argv[0] ?? '').includes('/') ? `stat ${argv[0]}: no such file or directory` : 'executable file not found in $PATH';
    const id = Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(env.random() * 16)]).join('');
    const err = `rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0] ?? ''}": ${why}: unknown`;
    finish(run, false, execMessage(run, c, p, err, ''));
    return;
  }
  const script = shellScript(argv);
  const kubectl = shipsKubectl(image);
  const shell = script !== undefined && playable(script, kubectl) ? env.shell?.(p, c) : undefined;
  if (shell && script !== undefined) {
    // The runtime execs the hook beside the container's first process, as `kubectl exec` does.
    shell.session = { args: argv.join(' '), started: now };
    shell.strict = true;
    run.steps = shell.steps(script);
    run.stdout = run.stderr = '';
    advanceHook(run, c, p, now);
    return;
  }
  // The image's own program (or no world to play it in): the time its `sleep` names, a failure for `exit N`.
  const answer = probeAnswer(c.spec, healthy(c), { exec: { command: argv }, timeoutSeconds: Number.MAX_SAFE_INTEGER / 1000 }, p.podIP ?? '', now - (c.startedAt ?? now));
  run.nextAt = now + answer.tookMs;
  run.ok = answer.ok;
  if (!answer.ok) {
    const code = Number(/\bexit\s+(\d+)/.exec(argv.join(' '))?.[1] ?? 1) || 1;
    run.message = execMessage(run, c, p, `command '${argv.join(' ')}' exited with ${code}: ${answer.output}`, answer.output);
  }
}

/** The message of an exec hook the container's end killed: ExecSync answers exit code 137 with what it printed so far. */
export function abortedMessage(run: HookRun, c: ContainerSim, p: PodSim): string {
  return execMessage(run, c, p, `command '${(run.argv ?? []).join(' ')}' exited with 137: ${run.stderr ?? ''}`, (run.stdout ?? '') + (run.stderr ?? ''));
}

/** handlerRunner's words for a failed exec hook: the command as Go prints a []string, then the CRI's error and the output. */
function execMessage(run: HookRun, c: ContainerSim, p: PodSim, err: string, output: string): string {
  return `Exec lifecycle hook ([${(run.argv ?? []).join(' ')}]) for Container "${c.name}" in Pod "${fmtPod(p)}" failed - error: ${err}, message: ${goQuote(output)}`;
}

/**
 * Plays a played hook on from where it paused, until its next `sleep` or its end; a hook that is not played
 * is done when its time comes.
 */
export function advanceHook(run: HookRun, c: ContainerSim, p: PodSim, now: number): void {
  if (!run.steps) {
    if (now >= run.nextAt) run.done = true;
    return;
  }
  const r = playSteps(run, now, (stdout, stderr) => { run.stdout += stdout; run.stderr += stderr; });
  if ('at' in r) { run.nextAt = r.at; return; }
  run.steps = undefined;
  const code = r.status;
  finish(run, code === 0, code === 0 ? undefined : execMessage(run, c, p, `command '${(run.argv ?? []).join(' ')}' exited with ${code}: ${run.stderr}`, run.stdout! + run.stderr!));
  run.nextAt = now;
}
