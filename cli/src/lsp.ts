/**
 * `kubeplay lsp --stdio`: the same language server the extension starts.
 * stdio is the default; `--node-ipc` and `--socket=N` are passed through to
 * vscode-languageserver's own argument handling.
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../../server/src/server';

export function runLsp(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('Usage: kubeplay lsp [--stdio | --node-ipc | --socket=<port>]\n\nRuns the Kubeplay language server (Language Server Protocol).');
    return Promise.resolve(0);
  }
  const viaArgs = argv.some((a) => a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
  if (viaArgs) for (const a of argv) if (!process.argv.includes(a)) process.argv.push(a);
  const connection = viaArgs
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  return new Promise((resolve) => {
    connection.onExit(() => resolve(0));
    startServer(connection);
  });
}
