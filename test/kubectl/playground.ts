/**
 * A served playground for one describe block of a real-kubectl test: started
 * before its tests in a fresh temporary folder, closed and removed after.
 * `kc` runs the given kubectl against it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { run, type RunResult } from './run';

export interface ServedPlayground {
  /** Runs kubectl with the playground's kubeconfig, in the test's folder. */
  kc(args: string[]): Promise<RunResult>;
  /** The test's temporary folder (for manifests). */
  dir(): string;
}

export function servePlayground(kubectl: string, opts: { prefix: string; nodes: number; timeoutMs?: number }): ServedPlayground {
  let srv: RunningServer | undefined;
  let dir = '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `kubeplay-${opts.prefix}-`));
    srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: opts.nodes, seed: 5 });
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    kc: (args) => run(kubectl, args, { kubeconfig: srv!.kubeconfigPath, timeoutMs: opts.timeoutMs ?? 30_000, cwd: dir }),
    dir: () => dir,
  };
}
