import * as vscode from 'vscode';
import type { Cluster } from './cluster';
import { statusBarText } from './model/status';

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
    const { store, target } = this.cluster;
    if (!target.connected) {
      this.item.text = `$(server) ${vscode.l10n.t('Kubeplay')}`;
      this.item.tooltip = target.error ?? vscode.l10n.t('Open the Kubeplay view to start the playground');
      this.item.accessibilityInformation = { label: `${vscode.l10n.t('Kubeplay')}: ${this.item.tooltip}` };
      return;
    }
    // Counted from the store the Cluster view draws, on the same change, so the two never disagree (the playground's
    // stats are polled once a second and would lag a rollout the tree already shows). Pods count by phase, as the
    // playground's stats and `kubectl get pods --field-selector status.phase=...` count them.
    const all = store.list('nodes');
    const nodes = { total: all.length, ready: all.filter((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).length };
    const running = store.podsInPhase('Running');
    const pending = store.podsInPhase('Pending');
    const t = (m: string, ...args: (string | number)[]) => vscode.l10n.t(m, ...args.map(String));
    const { text, tooltip } = statusBarText(t, target.kind === 'playground' ? t('Playground') : target.name, nodes, running, pending);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: tooltip };
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
