/** initialize / initialized / settings changes / watched files. */
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import type { DiagnosticScheduler } from './diagnostics';
import type { Session } from './session';
import { indexFile, isYamlPath, scanFolders } from './workspaceScan';

export function registerLifecycle(session: Session, scheduler: DiagnosticScheduler): void {
  const { connection } = session;
  let canRegisterConfig = false;
  let folderEvents = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // VS Code's client sends the display language in both; other editors may set only initializationOptions.
    const fromOptions = (params.initializationOptions as { locale?: unknown } | undefined)?.locale;
    session.locale = (params.locale ?? (typeof fromOptions === 'string' ? fromOptions : undefined) ?? 'en').toLowerCase();
    const caps = params.capabilities;
    session.canPullSettings = !!caps.workspace?.configuration;
    canRegisterConfig = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    session.canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    session.labelDetails = !!caps.textDocument?.completion?.completionItem?.labelDetailsSupport;
    folderEvents = !!caps.workspace?.workspaceFolders;
    session.folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', ' ', '-', '/'], resolveProvider: false, completionItem: { labelDetailsSupport: true } },
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kubeplay', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        void session.guard('workspace folders', undefined, async () => {
          session.folders = [...session.folders.filter((f) => !e.removed.some((r) => r.uri === f)), ...e.added.map((a) => a.uri)];
          for (const r of e.removed) for (const o of [...session.workspace.objects()]) if (o.uri.startsWith(r.uri)) session.workspace.removeFile(o.uri);
          await scanFolders(session, e.added.map((a) => a.uri));
          scheduler.all();
        });
      });
    }
    void session.guard('initialized', undefined, async () => {
      if (canRegisterConfig) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeplay' });
      if (session.canWatchFiles) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
      const n = await scanFolders(session, session.folders);
      if (n) scheduler.all();
    });
  });

  connection.onDidChangeConfiguration(() => {
    session.forgetSettings();
    session.store.clear();
    scheduler.all();
  });

  connection.onDidChangeWatchedFiles((params) => {
    void session.guard('watched files', undefined, async () => {
      for (const ch of params.changes) {
        if (!isYamlPath(ch.uri)) continue;
        if (ch.type === FileChangeType.Deleted) session.workspace.removeFile(ch.uri);
        else await indexFile(session, ch.uri);
      }
      scheduler.all();
    });
  });
}
