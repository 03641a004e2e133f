/**
 * Runs kubectl as a child process with a hard timeout, so a scenario can
 * never hang: a command still running at its deadline is killed, and what it
 * printed so far is kept (that is how `get -w` and `logs -f` are checked).
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the deadline killed it. */
  killed: boolean;
  /** True when `until` stopped it (it was still running then). */
  stopped: boolean;
}

export interface RunOptions {
  kubeconfig: string;
  timeoutMs?: number;
  stdin?: string;
  cwd?: string;
  /** Called with everything printed so far, after each chunk; return true to stop the command (SIGKILL; `stopped` is set, `killed` stays false). */
  until?: (stdout: string) => boolean;
}

export function run(bin: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: opts.cwd,
      env: { ...process.env, KUBECONFIG: opts.kubeconfig, KUBECTL_EXTERNAL_DIFF: '', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let stopped = false;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (!stopped && opts.until?.(stdout)) {
        stopped = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed, stopped });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/**
 * `kc` runs kubectl against whatever server and folder `where` names at call time (set in a `before`);
 * `okc` also requires it to succeed and returns its stdout.
 */
export function kubectlAt(bin: string, where: () => { kubeconfig: string; cwd?: string }, timeoutMs = 60_000) {
  const kc = (args: string[]) => run(bin, args, { ...where(), timeoutMs });
  const okc = async (args: string[]): Promise<string> => {
    const r = await kc(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  return { kc, okc };
}
