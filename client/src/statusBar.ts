import * as vscode from 'vscode';
import type { Cluster } from './cluster';
import { podStatus } from './model/status';

/** Nodes and pods at a glance; a click focuses the Cluster view. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kubeplay.status', vscode.StatusBarAlignment.Left, 10);
  private readonly sub: vscode.Disposable;

  constructor(private readonly cluster: Cluster) {
    this.item.name = vscode.l10n.t('Kubeplay cluster');
    this.item.command = 'kubeplay.cluster.focus';
    this.sub = cluster.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const { store, stats, target } = this.cluster;
    if (!target.connected) {
      this.item.text = `$(server) ${vscode.l10n.t('Kubeplay')}`;
      this.item.tooltip = target.error ?? vscode.l10n.t('Open the Kubeplay view to start the playground');
      return;
    }
    let nodes = stats?.nodes;
    let running = stats?.pods.running;
    let pending = stats?.pods.pending;
    if (!stats) {
      const all = store.list('nodes');
      nodes = { total: all.length, ready: all.filter((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).length };
      const pods = store.list('pods').map(podStatus);
      running = pods.filter((p) => p.reason === 'Running').length;
      pending = pods.filter((p) => p.reason !== 'Running' && p.reason !== 'Completed').length;
    }
    this.item.text = `$(server) ${nodes!.ready}/${nodes!.total} $(pass) ${running} $(clock) ${pending}`;
    this.item.tooltip = vscode.l10n.t('{0}: {1}/{2} nodes ready, {3} pods running, {4} pending', target.kind === 'playground' ? vscode.l10n.t('Playground') : target.name, nodes!.ready, nodes!.total, running ?? 0, pending ?? 0);
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
