/** Test helpers for diagnostics and quick fixes: diagnose a text, apply LSP edits, find a diagnostic by code, its quick fixes. */
import * as assert from 'assert';
import { computeDiagnostics, type Diagnostic } from '../../../server/src/service/diagnostics';
import type { TextEdit } from '../../../server/src/service/codeActionsEdit';
import { codeActions } from '../../../server/src/service/codeActions';
import { setup } from '../server/harness';

/**
 * The diagnostics of `text` (other workspace files in `opts.others`), with the model and context for follow-up
 * requests. The cursor goes at the end, marked `|`; a text with YAML block scalars of its own (`- |`) passes `§`.
 */
export function diagnose(text: string, opts: Parameters<typeof setup>[1] = {}, mark: '|' | '§' = '|') {
  const { model, ctx } = setup(text + mark, opts);
  return { list: computeDiagnostics(model, ctx), model, ctx };
}

/** The code actions offered for the first diagnostic of `text` with `code` (which must be there). */
export function quickFixes(text: string, code: string, opts: Parameters<typeof setup>[1] = {}, mark: '|' | '§' = '|') {
  const { model, ctx, list } = diagnose(text, opts, mark);
  const d = byCode(list, code)[0];
  assert.ok(d, `diagnostic ${code} expected`);
  return { actions: codeActions(model, { textDocument: { uri: model.uri }, range: d.range, context: { diagnostics: [d] } }, ctx), uri: model.uri };
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export function byCode(diags: Diagnostic[], code: string): Diagnostic[] {
  return diags.filter((d) => d.code === code);
}

/** The text a range covers. */
export function textAt(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
}

/** The checkout root (works from test/ under tsx and from out/test/ when compiled). */
export function repoRoot(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('path') as typeof import('path');
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'kubeplay') return dir;
  }
  throw new Error('repository root not found');
}
