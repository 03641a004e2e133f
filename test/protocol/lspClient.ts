/**
 * A minimal LSP client for protocol tests: spawns the server over stdio and
 * speaks JSON-RPC with vscode-jsonrpc. Waits poll for notifications instead
 * of sleeping.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';


/** The checkout: the nearest folder up with kubeplay's package.json (works from out/ and from tsx). */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'kubeplay') return dir;
  }
  throw new Error('kubeplay checkout not found');
}

/** `kubeplay lsp --stdio`, from the compiled CLI (what `npx kubeplay lsp --stdio` runs). */
export function serverCommand(): string[] {
  return [path.join(repoRoot(), 'out', 'cli', 'src', 'main.js'), 'lsp', '--stdio'];
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, { version?: number; diagnostics: { code?: string | number; message: string; range: unknown; severity?: number }[] }>();
  stderr = '';
  configuration: unknown = {};

  constructor() {
    const [cmd, ...args] = serverCommand();
    this.proc = spawn(process.execPath, [cmd, ...args], { cwd: repoRoot(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: never[] }) => {
      this.diagnostics.set(p.uri, p);
    });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.configuration));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.listen();
  }

  /** `locale: null` leaves the field out, as some editors do. */
  async initialize(opts: { locale?: string | null; rootUri?: string | null; initializationOptions?: unknown; completionItem?: Record<string, unknown> } = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      ...(opts.locale === null ? {} : { locale: opts.locale ?? 'en' }),
      ...(opts.initializationOptions !== undefined ? { initializationOptions: opts.initializationOptions } : {}),
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true, ...opts.completionItem } } } },
      workspaceFolders: opts.rootUri ? [{ uri: opts.rootUri, name: 'w' }] : null,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest<T>(method, params);
  }

  /** Polls until the server has published diagnostics for `uri` (at `version`, if given) matching `ok`. */
  async waitDiagnostics(uri: string, ok: (d: { code?: string | number; message: string; severity?: number; range: unknown }[]) => boolean = () => true, version?: number, ms = 10000) {
    const until = Date.now() + ms;
    for (;;) {
      const d = this.diagnostics.get(uri);
      if (d && (version === undefined || d.version === version) && ok(d.diagnostics)) return d.diagnostics;
      if (Date.now() > until) throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(d)}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => (this.proc.kill(), resolve()), 3000);
      this.proc.on('exit', () => (clearTimeout(t), resolve()));
    });
    this.conn.dispose();
  }
}
