import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

/**
 * Starts the bundled language server (dist/server.js) over Node IPC for YAML
 * documents. Settings flow through the `kubeplay` section: the server pulls
 * them per document and is told when they change.
 */
export function startLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = path.join(context.extensionPath, 'dist', 'server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
    ],
    synchronize: { configurationSection: 'kubeplay' },
    initializationOptions: { locale: vscode.env.language },
  };
  const client = new LanguageClient('kubeplay', vscode.l10n.t('Kubeplay Language Server'), serverOptions, clientOptions);
  client.start().catch((e) => output.appendLine(`[client] ${vscode.l10n.t('The language server did not start: {0}', e?.message ?? String(e))}`));
  return client;
}
