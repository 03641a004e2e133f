import * as vscode from 'vscode';
import type { Cluster } from './cluster';
import { ApiError } from './kube/api';
import { withoutCovered } from './model/applyDiagnostics';
import { docAtLine, fieldOfMessage, manifestDocs, rangeOfPath, scanDocStarts } from './model/yamlDocs';
import { refOf, typeByKind } from './model/types';
import type { ClusterView } from './views/clusterView';

export type ApplyMode = 'apply' | 'dryRun' | 'delete';

/**
 * Apply, Dry run and Delete of one document or a whole file. A refusal is
 * shown twice: as a notification with the server's own message, and as a
 * diagnostic on the line the Status cause points at, unless the language
 * server already marks that field (model/applyDiagnostics.ts).
 */
export class Applier implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('kubeplay-apply');

  private readonly onEdit: vscode.Disposable;

  constructor(private readonly cluster: Cluster, private readonly view: () => ClusterView | undefined) {
    // A refusal describes the text that was sent; once the user edits it, the marker is stale.
    this.onEdit = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
    });
  }

  /** `line`: the document containing that line (a CodeLens); undefined: every document of the file. */
  async run(uri: vscode.Uri | undefined, line: number | undefined, mode: ApplyMode): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!doc) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a Kubernetes manifest first.'));
      return false;
    }
    const text = doc.getText();
    const all = manifestDocs(text);
    const picked = line === undefined ? all : [docAtLine(all, line)].filter((d) => d !== undefined);
    const docs = picked.filter((d) => d.isKubernetes);
    if (docs.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No Kubernetes object (apiVersion and kind) in this document.'));
      return false;
    }
    this.diagnostics.delete(doc.uri);
    let conn;
    try {
      conn = await this.cluster.connect();
    } catch (e: any) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not reach {0}: {1}', this.targetName(), e?.message ?? String(e)));
      return false;
    }
    const real = !this.cluster.isPlayground;
    // On a real cluster, a server dry run comes first and the user confirms before anything changes.
    if (real && mode !== 'dryRun') {
      const ok = await this.run(doc.uri, line, 'dryRun');
      if (!ok) return false;
      const verb = mode === 'delete' ? vscode.l10n.t('Delete') : vscode.l10n.t('Apply');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('The server dry run passed. {0} {1} object(s) on the cluster context "{2}"?', verb, docs.length, this.cluster.target.name),
        { modal: true },
        verb,
      );
      if (answer !== verb) return false;
    }
    const title = mode === 'apply' ? vscode.l10n.t('Applying to {0}…', this.targetName()) : mode === 'dryRun' ? vscode.l10n.t('Server dry run on {0}…', this.targetName()) : vscode.l10n.t('Deleting from {0}…', this.targetName());
    const problems: vscode.Diagnostic[] = [];
    const done: string[] = [];
    let lastRef: ReturnType<typeof refOf> | undefined;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, async (progress) => {
      for (const d of docs) {
        const obj = d.object;
        const label = `${obj.kind}/${obj.metadata?.name ?? obj.metadata?.generateName ?? '?'}`;
        progress.report({ message: label, increment: 100 / docs.length });
        try {
          if (mode === 'delete') {
            if (!obj.metadata?.namespace && typeByKind.get(obj.kind)?.namespaced !== false) obj.metadata = { ...obj.metadata, namespace: 'default' };
            await conn.delete(obj);
            done.push(vscode.l10n.t('{0} deleted', label));
          } else {
            if (!obj.metadata?.namespace && typeByKind.get(obj.kind)?.namespaced !== false) obj.metadata = { ...obj.metadata, namespace: 'default' };
            const result = await conn.apply(obj, mode === 'dryRun');
            done.push(mode === 'dryRun' ? vscode.l10n.t('{0} valid (server dry run)', label) : vscode.l10n.t('{0} applied', label));
            if (mode === 'apply') lastRef = refOf(result?.metadata ? result : obj, typeByKind.get(obj.kind)?.resource);
          }
        } catch (e: any) {
          const err = e instanceof ApiError ? e : new ApiError(e?.message ?? String(e), 0);
          problems.push(...this.toDiagnostics(doc, text, d.index, d.startLine, err));
          void vscode.window.showErrorMessage(refusalMessage(label, err));
        }
      }
    });
    // The notification still tells of every refusal; the Problems panel says each problem once.
    this.diagnostics.set(doc.uri, withoutCovered(problems, vscode.languages.getDiagnostics(doc.uri)));
    if (done.length) void vscode.window.showInformationMessage(done.join(' · '));
    if (lastRef) setTimeout(() => void this.view()?.reveal(lastRef!), 300);
    return problems.length === 0;
  }

  private targetName(): string {
    return this.cluster.isPlayground ? vscode.l10n.t('the playground') : this.cluster.target.name;
  }

  /**
   * One diagnostic per Status cause, at the line its field path points to;
   * without causes (a decode error has none), at the field its message names;
   * the document's first line otherwise.
   */
  private toDiagnostics(doc: vscode.TextDocument, text: string, docIndex: number, startLine: number, err: ApiError): vscode.Diagnostic[] {
    const causes: any[] = err.status?.details?.causes ?? [];
    const at = (field?: string) => {
      const r = field ? rangeOfPath(text, docIndex, field) : undefined;
      if (r) return new vscode.Range(r.line, r.character, r.endLine, Math.max(r.endCharacter, r.character + 1));
      const line = doc.lineAt(Math.min(startLine, doc.lineCount - 1));
      return line.range;
    };
    const make = (range: vscode.Range, message: string) => {
      const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
      d.source = 'kubeplay (server)';
      if (err.status?.reason) d.code = err.status.reason;
      return d;
    };
    if (causes.length === 0) return [make(at(fieldOfMessage(err.message)), err.message)];
    return causes.map((c) => make(at(c.field), c.field ? `${c.field}: ${c.message ?? err.message}` : c.message ?? err.message));
  }

  dispose(): void {
    this.onEdit.dispose();
    this.diagnostics.dispose();
  }
}

/**
 * The notification for a refused object. A collapsed notification shows one
 * line, so the field comes first when the server names one; the server's
 * whole message follows, as kubectl prints it.
 */
function refusalMessage(label: string, err: ApiError): string {
  const causes: any[] = err.status?.details?.causes ?? [];
  const cause = causes.find((c) => c.field);
  const field = cause?.field ?? fieldOfMessage(err.message);
  if (!field) return vscode.l10n.t('{0}: {1}', label, err.message);
  // The field's own cause (`Invalid value: -1: must be greater than or equal to 0`) reads first, where a collapsed
  // notification still shows it; the whole message, as kubectl prints it, follows for the expanded one.
  const why = typeof cause?.message === 'string' && cause.message ? cause.message : '';
  return vscode.l10n.t('{0} refused at {1}: {2}', label, field, why && why !== err.message ? `${why}. ${err.message}` : err.message);
}

/** "Apply to playground | Dry run | Delete" above each Kubernetes document. */
export class ApplyLenses implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly cluster: Cluster) {
    cluster.onDidChange(() => {
      if (this.lastTarget !== cluster.target.name) {
        this.lastTarget = cluster.target.name;
        this.emitter.fire();
      }
    });
  }
  private lastTarget = '';

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const d of scanDocStarts(doc.getText())) {
      if (!d.isKubernetes) continue;
      const range = new vscode.Range(d.line, 0, d.line, 0);
      const applyTitle = this.cluster.isPlayground ? vscode.l10n.t('Apply to playground') : vscode.l10n.t('Apply to {0}', this.cluster.target.name);
      lenses.push(
        new vscode.CodeLens(range, { title: `$(play) ${applyTitle}`, command: 'kubeplay.applyDocument', arguments: [doc.uri, d.line] }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Dry run'), command: 'kubeplay.dryRunDocument', arguments: [doc.uri, d.line] }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Delete'), command: 'kubeplay.deleteDocument', arguments: [doc.uri, d.line] }),
      );
    }
    return lenses;
  }
}
