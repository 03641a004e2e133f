/**
 * One message per problem: a refusal the playground's apiserver gives on
 * Apply is often what the language server already marks in the editor (the
 * rules are the same ones, kube/src/rules), at the same field. The Apply
 * diagnostic then says it twice in the Problems panel; it is dropped where a
 * language server diagnostic that predicts a refusal (an error or a warning)
 * starts on the same line and overlaps its range. Information and hints say
 * "may" (a ConfigMap the workspace does not define may exist in the cluster),
 * so the server's word that it was refused stays.
 */

export interface Pos { line: number; character: number }
export interface Span { start: Pos; end: Pos }

/** The language server's `source` (server/src/service/diagnostics.ts). */
export const LANGUAGE_SERVER_SOURCE = 'kubeplay';

/** vscode.DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint. */
export interface EditorDiagnostic { range: Span; severity: number; source?: string }

const before = (a: Pos, b: Pos) => a.line < b.line || (a.line === b.line && a.character < b.character);

function overlaps(a: Span, b: Span): boolean {
  // Empty ranges (a caret) overlap what they touch.
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Whether the editor already shows this problem: a language server error or warning at the same field. */
export function coveredByEditor(apply: Span, editor: readonly EditorDiagnostic[]): boolean {
  return editor.some((d) => d.source === LANGUAGE_SERVER_SOURCE && d.severity <= 1 && d.range.start.line === apply.start.line && overlaps(d.range, apply));
}

/** The Apply diagnostics the language server's do not already say. */
export function withoutCovered<T extends { range: Span }>(apply: readonly T[], editor: readonly EditorDiagnostic[]): T[] {
  return apply.filter((d) => !coveredByEditor(d.range, editor));
}
