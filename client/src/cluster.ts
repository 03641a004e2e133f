import * as path from 'path';
import * as vscode from 'vscode';
import { ApiError, Connection } from './kube/api';
import { ClusterStore, Coalescer } from './model/store';
import { PlaygroundProcess } from './playground';
import { readSettings } from './settings';
import type { TreeContext } from './model/tree';

export interface Stats {
  time: number;
  speed: number;
  paused: boolean;
  components: Record<string, Record<string, number>>;
  nodes: { total: number; ready: number };
  pods: { total: number; running: number; pending: number; failed: number; succeeded: number };
}

/**
 * Owns "the cluster we look at": the playground process or a kubeconfig
 * context, the connection's store, the simulation's stats and the teaching
 * log. Everything else (tree, status bar, commands) reads from here and
 * listens to `onDidChange`, fired at most every 100 ms.
 */
export class Cluster implements vscode.Disposable {
  readonly store = new ClusterStore();
  readonly playground: PlaygroundProcess;
  connection?: Connection;
  stats?: Stats;
  target: TreeContext['target'];
  private connecting?: Promise<Connection>;
  private statsTimer?: NodeJS.Timeout;
  private stopLog?: () => void;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly coalescer = new Coalescer(100, () => this.changed.fire());

  constructor(private readonly context: vscode.ExtensionContext, readonly output: vscode.OutputChannel) {
    const settings = readSettings();
    const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
    this.playground = new PlaygroundProcess({
      extensionPath: context.extensionPath,
      stateDir: path.join(storage, 'playground'),
      nodes: settings.nodes,
      speed: settings.speed,
      nodeCapacity: settings.nodeCapacity,
      addons: settings.addons,
      log: (l) => output.appendLine(`[playground] ${l}`),
    });
    this.target = settings.target === 'playground'
      ? { kind: 'playground', name: 'kubeplay', connected: false }
      : { kind: 'context', name: settings.target, connected: false };
    this.updateContextKey();
  }

  /** Menus show playground-only commands (fail node, time) through this context key. */
  private updateContextKey(): void {
    void vscode.commands.executeCommand('setContext', 'kubeplay.playground', this.isPlayground);
  }

  get isPlayground(): boolean {
    return this.target.kind === 'playground';
  }

  /** Simulated time on the playground, wall time elsewhere; ages in the tree and describe use it. */
  now(): number {
    if (this.stats) return this.stats.time;
    return Date.now();
  }

  poke(): void {
    this.coalescer.poke();
  }

  /** Connects (starting the playground first when it is the target); concurrent callers share one attempt. */
  connect(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    return (this.connecting ??= this.doConnect().finally(() => (this.connecting = undefined)));
  }

  private async doConnect(): Promise<Connection> {
    this.target = { ...this.target, connected: false, error: undefined };
    this.poke();
    try {
      let conn: Connection;
      const onError = (res: string, e: ApiError) => this.output.appendLine(`[client] ${vscode.l10n.t('watch of {0} failed: {1}', res, e.message)}`);
      if (this.isPlayground) {
        const info = await this.playground.start();
        this.playground.onExit = (code) => {
          const message = vscode.l10n.t('The playground stopped (exit code {0}).', String(code));
          this.output.appendLine(`[client] ${message}`);
          this.disconnect();
          this.target = { ...this.target, error: `${message} ${vscode.l10n.t('Refresh to start it again.')}` };
          this.poke();
        };
        this.context.environmentVariableCollection.replace('KUBECONFIG', info.kubeconfig);
        this.context.environmentVariableCollection.description = vscode.l10n.t('KUBECONFIG for the Kubeplay playground');
        conn = await Connection.open({ file: info.kubeconfig }, this.store, () => this.poke(), onError);
        this.output.appendLine(`[client] ${vscode.l10n.t('Playground API at {0}, kubeconfig {1}', info.url, info.kubeconfig)}`);
      } else {
        this.context.environmentVariableCollection.clear();
        conn = await Connection.open({ context: this.target.name }, this.store, () => this.poke(), onError);
        this.output.appendLine(`[client] ${vscode.l10n.t('Connected to context {0} ({1})', this.target.name, conn.server)}`);
      }
      this.connection = conn;
      this.store.clear();
      conn.startWatching();
      this.target = { ...this.target, connected: true };
      if (this.isPlayground) {
        this.pollStats();
        void this.followLog();
      }
      this.poke();
      return conn;
    } catch (e: any) {
      this.target = { ...this.target, connected: false, error: e?.message ?? String(e) };
      this.output.appendLine(`[client] ${vscode.l10n.t('Could not connect: {0}', e?.message ?? String(e))}`);
      this.poke();
      throw e;
    }
  }

  private pollStats(): void {
    clearInterval(this.statsTimer);
    const tick = async () => {
      try {
        this.stats = await this.connection?.getJson('/kubeplay/v1/stats');
        this.poke();
      } catch {
        /* the next tick retries */
      }
    };
    void tick();
    this.statsTimer = setInterval(tick, 1000);
  }

  /** The control plane's teaching log, each line tagged with the component that acted. */
  private async followLog(): Promise<void> {
    const conn = this.connection;
    if (!conn) return;
    this.stopLog?.();
    this.stopLog = await conn.stream(
      '/kubeplay/v1/log?follow=true',
      (line) => {
        if (!line.trim()) return;
        try {
          const l = JSON.parse(line);
          const t = new Date(l.time).toISOString().slice(11, 23);
          this.output.appendLine(`${t} [${l.component}] ${l.message}`);
        } catch {
          this.output.appendLine(line);
        }
      },
      (err) => {
        if (err && this.connection === conn) this.output.appendLine(`[client] ${vscode.l10n.t('Control-plane log ended: {0}', err.message)}`);
      },
    );
  }

  /** The kubeconfig file to give kubectl: the playground's, or the user's own for a context. */
  kubeconfigPath(): string | undefined {
    return this.isPlayground ? this.playground.info?.kubeconfig : process.env.KUBECONFIG;
  }

  disconnect(): void {
    this.connection?.stop();
    this.connection = undefined;
    this.stopLog?.();
    this.stopLog = undefined;
    clearInterval(this.statsTimer);
    this.stats = undefined;
    this.store.clear();
    this.target = { ...this.target, connected: false };
    this.poke();
  }

  async switchTarget(target: string): Promise<void> {
    this.disconnect();
    this.target = target === 'playground' ? { kind: 'playground', name: 'kubeplay', connected: false } : { kind: 'context', name: target, connected: false };
    this.updateContextKey();
    if (target !== 'playground') await this.playground.stop();
    await this.connect();
  }

  /** POST/GET to the playground's /kubeplay/v1 extras. */
  async extras(method: string, p: string, body?: unknown): Promise<any> {
    if (!this.isPlayground) throw new Error(vscode.l10n.t('This needs the playground; the current target is the context {0}.', this.target.name));
    const conn = await this.connect();
    return conn.request(method, `/kubeplay/v1${p}`, body);
  }

  dispose(): void {
    this.disconnect();
    void this.playground.stop();
    this.changed.dispose();
  }
}
