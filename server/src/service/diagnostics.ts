/**
 * Diagnostics of one model: YAML problems, the shared rules engine per object
 * (kube/src/rules), and a cheap cross-object pass over the workspace index.
 *
 * Per-document results are cached by the document's parsed chunk (which the
 * model reuses while a document's text is unchanged) with ranges relative to
 * the document's first line, so a one-character edit in a 2,000-document file
 * re-validates one document and only shifts the others' ranges.
 */
import { validateObject } from '../../../kube/src/rules/engine';
import type { Finding, Severity } from '../../../kube/src/rules/types';
import type { ServiceContext } from './context';
import { crossObjectFindings } from './diagnosticsCross';
import type { Chunk, FieldPath, Model, ModelDocument, Range } from './model';

export const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;

/** What a quick fix needs to act on a diagnostic (round-tripped by the client as `data`). */
export interface DiagnosticData {
  /** Path inside the document (List items included). */
  path: FieldPath;
  /** Extra data from the rule, e.g. the replacement apiVersion or a suggested field name. */
  fix?: unknown;
}

/** The LSP Diagnostic shape, without importing the protocol packages. */
export interface Diagnostic {
  range: Range;
  severity: 1 | 2 | 3 | 4;
  code: string;
  source: 'kubeplay';
  message: string;
  data?: DiagnosticData;
  /** [1] = unnecessary, [2] = deprecated. */
  tags?: number[];
}

const SEVERITY: Record<Severity, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };

const YAML_CODES: Record<string, string> = { DUPLICATE_KEY: 'duplicate-key', TAB_AS_INDENT: 'tab' };

interface CachedDoc {
  version: string;
  /** Ranges relative to the document's start line. */
  diagnostics: Diagnostic[];
}

/** chunk → per-document-index cache. Chunks are shared by models that hold the same text. */
const cache = new WeakMap<Chunk, Map<number, CachedDoc>>();

/** Diagnostics of every document in `model`, plus the workspace-level checks. */
export function computeDiagnostics(model: Model, ctx: ServiceContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const version = ctx.settings.kubernetesVersion;
  for (const doc of model.documents) {
    let perChunk = cache.get(doc.chunk);
    if (!perChunk) cache.set(doc.chunk, (perChunk = new Map()));
    let hit = perChunk.get(doc.index);
    if (!hit || hit.version !== version) {
      hit = { version, diagnostics: documentDiagnostics(doc, ctx).map((d) => shift(d, -doc.startLine)) };
      perChunk.set(doc.index, hit);
    }
    for (const d of hit.diagnostics) out.push(shift(d, doc.startLine));
  }
  for (const { doc, finding } of crossObjectFindings(model, ctx.workspace)) {
    const d = toDiagnostic(doc, finding);
    if (d) out.push(d);
  }
  return applyLint(out, ctx.settings.lint);
}

/** Diagnostics of one document with absolute ranges (no cache). */
export function documentDiagnostics(doc: ModelDocument, ctx: ServiceContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  let broken = false;
  for (const p of doc.problems) {
    const code = YAML_CODES[p.code] ?? 'yaml-syntax';
    if (p.severity === 'error' && code === 'yaml-syntax') broken = true;
    out.push({ range: p.range, severity: p.severity === 'error' ? 1 : 2, code, source: 'kubeplay', message: p.message.split('\n')[0] });
  }
  // A document that does not parse would only give noise from half a value.
  if (broken) return out;
  const findings = validateObject(doc.value, ctx.schema, { kubernetesVersion: ctx.settings.kubernetesVersion });
  for (const f of findings) {
    const d = toDiagnostic(doc, f);
    if (d) out.push(d);
  }
  return out;
}

export function toDiagnostic(doc: ModelDocument, f: Finding): Diagnostic | undefined {
  const range = doc.rangeOfPath(f.path, f.target ?? 'value') ?? doc.range;
  if (!range) return undefined;
  const d: Diagnostic = { range, severity: SEVERITY[f.severity], code: f.code, source: 'kubeplay', message: f.message, data: { path: f.path, fix: f.data } };
  if (f.code === 'deprecated-api' || f.code === 'removed-api') d.tags = [2];
  return d;
}

function shift(d: Diagnostic, lines: number): Diagnostic {
  if (lines === 0) return d;
  const r = d.range;
  return { ...d, range: { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } } };
}

/** Settings `lint: {code: severity|'off'}`. */
export function applyLint(list: Diagnostic[], lint: Record<string, string>): Diagnostic[] {
  let any = false;
  for (const _ in lint) { any = true; break; }
  if (!any) return list;
  const out: Diagnostic[] = [];
  for (const d of list) {
    const o = lint[d.code];
    if (o === 'off') continue;
    if (o && o in SEVERITY) out.push({ ...d, severity: SEVERITY[o as Severity] });
    else out.push(d);
  }
  return out;
}
