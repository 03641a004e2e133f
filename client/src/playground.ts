import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';

export interface PlaygroundInfo {
  url: string;
  kubeconfig: string;
  pid: number;
}

export interface PlaygroundOptions {
  extensionPath: string;
  stateDir: string;
  nodes?: number;
  speed?: number;
  nodeCapacity?: { cpu?: string; memory?: string; pods?: string };
  addons?: string[];
  log(line: string): void;
}

/**
 * The playground runs in a child process (`node dist/cli.js serve --json`)
 * so a big simulation never blocks the extension host. Its state lives in the
 * workspace storage; the process restores it at start, so a window reload
 * brings the same cluster back.
 */
export class PlaygroundProcess {
  private child?: cp.ChildProcess;
  private starting?: Promise<PlaygroundInfo>;
  info?: PlaygroundInfo;
  onExit?: (code: number | null) => void;

  constructor(private readonly opts: PlaygroundOptions) {}

  start(): Promise<PlaygroundInfo> {
    return (this.starting ??= this.spawn().catch((e) => {
      this.starting = undefined;
      throw e;
    }));
  }

  private spawn(): Promise<PlaygroundInfo> {
    const { extensionPath, stateDir } = this.opts;
    fs.mkdirSync(stateDir, { recursive: true });
    const cli = path.join(extensionPath, 'dist', 'cli.js');
    // A larger young generation lets V8 collect the playground's short-lived objects (API objects, watch
    // events) before they are promoted: a third less garbage-collection time in big runs (see bench/).
    const args = ['--max-semi-space-size=64', cli, 'serve', '--json', '--port', '0', '--state', stateDir, '--kubeconfig', path.join(stateDir, 'kubeconfig')];
    if (this.opts.nodes) args.push('--nodes', String(this.opts.nodes));
    if (this.opts.speed) args.push('--speed', String(this.opts.speed));
    const cap = Object.entries(this.opts.nodeCapacity ?? {}).filter(([, v]) => v !== undefined && v !== '');
    if (cap.length) args.push('--node-capacity', cap.map(([k, v]) => `${k}=${v}`).join(','));
    if (this.opts.addons?.length) args.push('--addons', this.opts.addons.join(','));
    // In VS Code the extension host's execPath is Electron; ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = cp.spawn(process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    return new Promise<PlaygroundInfo>((resolve, reject) => {
      let settled = false;
      const out = readline.createInterface({ input: child.stdout! });
      out.on('line', (line) => {
        if (!settled && line.trim().startsWith('{')) {
          try {
            const info = JSON.parse(line) as PlaygroundInfo;
            if (info.url && info.kubeconfig) {
              settled = true;
              this.info = info;
              resolve(info);
              return;
            }
          } catch {
            /* not the JSON line */
          }
        }
        this.opts.log(line);
      });
      readline.createInterface({ input: child.stderr! }).on('line', (l) => this.opts.log(l));
      child.on('error', (e) => {
        if (!settled) {
          settled = true;
          reject(e);
        }
      });
      child.on('exit', (code) => {
        this.child = undefined;
        this.info = undefined;
        this.starting = undefined;
        if (!settled) {
          settled = true;
          reject(new Error(`playground exited with code ${code}`));
        } else this.onExit?.(code);
      });
    });
  }

  /** Stops the process with SIGTERM so it saves its state, then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.onExit = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
