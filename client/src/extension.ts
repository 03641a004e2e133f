/**
 * The extension's entry. Activation (on YAML documents or the Cluster view,
 * never at start-up) only registers things: the playground process, the
 * Kubernetes client library and the language server all start lazily, so
 * activation stays well under 100 ms. The measured time is logged.
 */
import { loadStart } from './loadStart';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Applier, ApplyLenses, ApplyMode } from './apply';
import { Cluster } from './cluster';
import { clusterCommands } from './commands/cluster';
import { objectCommands } from './commands/objects';
import { PortForwards } from './commands/portforward';
import { KubeplayDocuments, SCHEME } from './documents';
import { openExample } from './example';
import { StatusBar } from './statusBar';
import { ClusterView } from './views/clusterView';

/** Evaluating the bundle's modules ends here; VS Code calls activate() some time later. */
const moduleEvaluated = performance.now();

let client: LanguageClient | undefined;
let cluster: Cluster | undefined;

/** What the extension-host tests reach through `extension.exports`. */
export interface KubeplayApi {
  cluster: Cluster;
  view: ClusterView;
  applier: Applier;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): KubeplayApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Kubeplay');
  cluster = new Cluster(context, output);
  const view = new ClusterView(cluster);
  const applier = new Applier(cluster, () => view);
  const forwards = new PortForwards(cluster);
  const documents = new KubeplayDocuments(cluster);
  context.subscriptions.push(output, cluster, view, applier, new StatusBar(cluster), forwards, documents);
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider([{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }], new ApplyLenses(cluster)),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
  );

  const applyDoc = (mode: ApplyMode) => (uri?: vscode.Uri, index?: number) => applier.run(uri instanceof vscode.Uri ? uri : undefined, typeof index === 'number' ? index : undefined, mode);
  const commands: Record<string, (...args: any[]) => unknown> = {
    'kubeplay.applyFile': applyDoc('apply'),
    'kubeplay.dryRunFile': applyDoc('dryRun'),
    'kubeplay.deleteFile': applyDoc('delete'),
    'kubeplay.applyDocument': applyDoc('apply'),
    'kubeplay.dryRunDocument': applyDoc('dryRun'),
    'kubeplay.deleteDocument': applyDoc('delete'),
    'kubeplay.openExample': openExample,
    'kubeplay.showOutput': () => output.show(true),
    // The walkthrough's id is `<publisher>.<name>#<walkthrough id>`; `false` opens it in the active editor group.
    'kubeplay.openWalkthrough': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false),
    ...objectCommands(cluster),
    ...clusterCommands(cluster, output),
    ...forwards.commands(),
  };
  for (const [id, fn] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kubeplay.target')) {
        const target = String(vscode.workspace.getConfiguration('kubeplay').get('target', 'playground') || 'playground');
        if (cluster && target !== (cluster.isPlayground ? 'playground' : cluster.target.name)) void cluster.switchTarget(target).catch(() => undefined);
      }
      // Speed applies at once; node count and capacity apply when the playground next starts fresh (Reset Cluster).
      if (e.affectsConfiguration('kubeplay.speed') && cluster?.isPlayground && cluster.connection) {
        const speed = Number(vscode.workspace.getConfiguration('kubeplay').get('speed', 1));
        if (speed > 0) void cluster.extras('POST', '/time', { speed }).then(() => cluster?.poke(), () => undefined);
      }
    }),
  );

  // The language server is a separate process; starting it must not hold up activation.
  setTimeout(() => {
    client = loadLanguageClientModule().startLanguageClient(context, output);
  }, 0);

  const activationMs = performance.now() - started;
  const loadMs = moduleEvaluated - loadStart;
  const gapMs = started - moduleEvaluated;
  output.appendLine(
    `[client] activated in ${activationMs.toFixed(1)} ms (module load + activate: ${(loadMs + activationMs).toFixed(1)} ms; ` +
      `VS Code called activate ${gapMs.toFixed(1)} ms after the bundle was loaded)`,
  );
  return { cluster, view, applier, activationMs };
}

/**
 * vscode-languageclient is most of the main bundle's weight, so the packaged
 * extension ships it as dist/client-lsp.js and loads it after activation.
 */
function loadLanguageClientModule(): typeof import('./languageClient') {
  const bundled = path.join(__dirname, 'client-lsp.js');
  // A variable specifier keeps esbuild from inlining the module into dist/client.js.
  const id = fs.existsSync(bundled) ? bundled : './languageClient';
  return require(id);
}

export async function deactivate(): Promise<void> {
  await Promise.allSettled([client?.stop(), cluster?.playground.stop()]);
}
