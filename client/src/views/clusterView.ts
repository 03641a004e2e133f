import * as vscode from 'vscode';
import type { Cluster } from '../cluster';
import { TreeNode } from '../model/node';
import { TreeModel } from '../model/tree';
import { TreeMirror } from '../model/mirror';
import type { ObjRef } from '../model/types';

/** How long after a doubtful fetch its rows are refreshed again (see TreeMirror.takeDoubts). */
const DOUBT_RECHECK_MS = 250;

/**
 * Adapts the pure TreeModel to VS Code. Refreshes arrive coalesced from the
 * cluster (at most one per 100 ms) and ids are stable, so VS Code keeps what
 * is expanded and only asks again for the rows that are open.
 */
export class ClusterView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly model: TreeModel;
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  private readonly mirror: TreeMirror;
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<TreeNode>;
  private readonly subs: vscode.Disposable[] = [];
  /** The last time a refresh reached VS Code, for the "tree update time" figures. */
  lastRefresh = 0;
  private doubtTimer: NodeJS.Timeout | undefined;

  constructor(private readonly cluster: Cluster) {
    const self = this;
    this.model = new TreeModel({
      store: cluster.store,
      t: (m, ...args) => vscode.l10n.t(m, ...args.map(String)),
      now: () => cluster.now(),
      get target() {
        return cluster.target;
      },
      get stats() {
        return cluster.stats;
      },
    });
    // A row whose children VS Code may have been given as none (see TreeMirror.takeDoubts) is refreshed again a
    // moment later, when the fetches that raced have settled.
    this.mirror = new TreeMirror(
      () => this.model.roots(),
      // Told once until the rows are taken, so one timer at a time.
      () => {
        this.doubtTimer = setTimeout(() => {
          this.doubtTimer = undefined;
          this.refresh(this.mirror.takeDoubts());
        }, DOUBT_RECHECK_MS);
      },
    );
    this.view = vscode.window.createTreeView('kubeplay.cluster', { treeDataProvider: this, showCollapseAll: true });
    this.subs.push(
      this.view,
      cluster.onDidChange(() => {
        const rows = this.mirror.changes();
        if (rows.length === 0) return;
        self.lastRefresh = Date.now();
        this.refresh(rows);
      }),
      // The tree is what starts the playground: opening the view connects.
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) void cluster.connect().catch(() => undefined);
      }),
    );
    if (this.view.visible) void cluster.connect().catch(() => undefined);
  }

  /** Asks VS Code to refresh rows (`undefined` among them: the whole tree). */
  private refresh(rows: (TreeNode | undefined)[]): void {
    if (rows.length === 0) return;
    if (rows.includes(undefined)) this.emitter.fire(undefined);
    else this.emitter.fire(rows as TreeNode[]);
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      n.label,
      n.children ? (n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None,
    );
    item.id = n.id;
    item.description = n.description;
    if (n.accessibility) item.accessibilityInformation = { label: n.accessibility };
    if (n.look) item.iconPath = new vscode.ThemeIcon(n.look.icon, n.look.color ? new vscode.ThemeColor(n.look.color) : undefined);
    item.contextValue = n.contextValue;
    if (n.id === 'target') item.command = { command: 'kubeplay.switchTarget', title: vscode.l10n.t('Switch Target') };
    else if (n.ref && n.contextValue && n.contextValue !== 'kubeplay.namespace') {
      item.command = { command: 'kubeplay.describe', title: vscode.l10n.t('Describe'), arguments: [n] };
    }
    return item;
  }

  /** The tooltip, built when the row is hovered, so its ages are those of that moment. */
  resolveTreeItem(item: vscode.TreeItem, n: TreeNode): vscode.TreeItem {
    const text = n.tooltip?.();
    if (text) {
      const md = new vscode.MarkdownString(text);
      md.supportThemeIcons = true;
      item.tooltip = md;
    }
    return item;
  }

  getChildren(n?: TreeNode): TreeNode[] {
    return this.mirror.children(n);
  }

  getParent(n: TreeNode): TreeNode | undefined {
    return n.parent;
  }

  /** Opens the tree down to an object and selects it (after apply). */
  async reveal(ref: ObjRef): Promise<boolean> {
    const found = this.model.pathTo(ref);
    if (!found) return false;
    const path = this.mirror.adoptPath(found);
    const target = path[path.length - 1];
    try {
      await this.view.reveal(target, { select: true, focus: false, expand: true });
      return true;
    } catch {
      return false;
    } finally {
      // The rows on the path whose text changed since VS Code last showed them (a namespace's pod count, when the
      // pods of an applied Deployment arrived before the reveal): refreshed now, not at the cluster's next change.
      this.refresh(this.mirror.changes());
    }
  }

  dispose(): void {
    if (this.doubtTimer) clearTimeout(this.doubtTimer);
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
