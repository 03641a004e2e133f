/**
 * The language server's composition root: one Session per connection, the
 * handlers wired to it, and nothing else. Run directly (dist/server.js, with
 * --stdio / --node-ipc / --socket) or through `kubeplay lsp --stdio`.
 */
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { DiagnosticScheduler } from './handlers/diagnostics';
import { registerDocuments } from './handlers/documents';
import { registerFeatures } from './handlers/features';
import { registerLifecycle } from './handlers/lifecycle';
import { Session } from './handlers/session';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const session = new Session(connection);
  const scheduler = new DiagnosticScheduler(session);
  registerLifecycle(session, scheduler);
  registerDocuments(session, scheduler);
  registerFeatures(session);
  session.documents.listen(connection);
  connection.listen();
  return connection;
}

if (require.main === module) startServer();
