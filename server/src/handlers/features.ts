/** Requests answered by the pure service: completion, hover, outline, folding, definition, code actions. */
import { readFileSync } from 'fs';
import { fileURLToPath } from 'url';
import type { CodeAction, CompletionList, DocumentSymbol, FoldingRange, Hover, Location } from 'vscode-languageserver/node';
import { codeActions } from '../service/codeActions';
import { doComplete } from '../service/completion';
import { doHover } from '../service/hover';
import { buildModel, type Model, type Range } from '../service/model';
import { definition, documentSymbols, foldingRanges } from '../service/navigation';
import type { Session } from './session';

export function registerFeatures(session: Session): void {
  const { connection } = session;

  connection.onCompletion((p) =>
    session.guard('completion', null as CompletionList | null, async () => {
      const model = session.model(p.textDocument.uri);
      return model ? (doComplete(model, p.position, await session.context(model.uri)) as unknown as CompletionList) : null;
    }),
  );

  connection.onHover((p) =>
    session.guard('hover', null as Hover | null, async () => {
      const model = session.model(p.textDocument.uri);
      return ((model && doHover(model, p.position, await session.context(model.uri))) ?? null) as Hover | null;
    }),
  );

  connection.onDocumentSymbol((p) =>
    session.guard('symbols', [] as DocumentSymbol[], () => {
      const model = session.model(p.textDocument.uri);
      return (model ? documentSymbols(model) : []) as DocumentSymbol[];
    }),
  );

  connection.onFoldingRanges((p) =>
    session.guard('folding', [] as FoldingRange[], () => {
      const model = session.model(p.textDocument.uri);
      return (model ? foldingRanges(model) : []) as FoldingRange[];
    }),
  );

  connection.onDefinition((p) =>
    session.guard('definition', [] as Location[], async () => {
      const model = session.model(p.textDocument.uri);
      if (!model) return [];
      return definition(model, p.position, await session.context(model.uri), (uri, line, path) => rangeInFile(session, uri, line, path)) as Location[];
    }),
  );

  connection.onCodeAction((p) =>
    session.guard('code actions', [] as CodeAction[], async () => {
      const model = session.model(p.textDocument.uri);
      if (!model) return [];
      return codeActions(model, p as never, await session.context(model.uri)) as unknown as CodeAction[];
    }),
  );
}

/** Range of a path in another file: its open model, or the file read from disk. */
function rangeInFile(session: Session, uri: string, line: number, path: (string | number)[]): Range | undefined {
  let model = session.model(uri);
  if (!model) {
    try {
      model = buildModel(uri, 0, readFileSync(fileURLToPath(uri), 'utf8'), (a, k) => session.schema.kind(a, k));
    } catch {
      return undefined;
    }
  }
  return model.documentAt(line)?.rangeOfPath(path, 'key');
}
