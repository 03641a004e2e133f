/** Text sync: keep the model and the workspace index current and schedule diagnostics. */
import type { DiagnosticScheduler } from './diagnostics';
import type { Session } from './session';
import { indexModel } from '../service/workspace';
import { indexFile } from './workspaceScan';

export function registerDocuments(session: Session, scheduler: DiagnosticScheduler): void {
  const { documents, connection } = session;
  const refresh = async (uri: string) => {
    await session.guard('index', undefined, () => {
      const model = session.model(uri);
      if (model) session.workspace.setOpen(uri, indexModel(model));
    });
    // Diagnostics follow every edit, even one the index could not take in.
    scheduler.edited(uri);
  };
  documents.onDidOpen((e) => void refresh(e.document.uri));
  documents.onDidChangeContent((e) => void refresh(e.document.uri));
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    scheduler.cancel(uri);
    session.store.delete(uri);
    session.forgetSettings(uri);
    session.workspace.closeOpen(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    // What is on disk counts again.
    if (uri.startsWith('file:')) void indexFile(session, uri);
  });
}
