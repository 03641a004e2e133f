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
import { isZh, type ServiceContext } from './context';
import { localizedMessage } from '../i18n/diagnostics';
import { crossFindingsByDocument } from './diagnosticsCross';
import { misindentedLine, misindentMessage, templateAction } from './diagnosticsYaml';
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

/** The `yaml` package's codes, and the repairs of document.ts (the rest of such a document is still checked). */
const YAML_CODES: Record<string, string> = { DUPLICATE_KEY: 'duplicate-key', TAB_AS_INDENT: 'tab', UNRESOLVED_ALIAS: 'unresolved-alias', BAD_MERGE: 'bad-merge' };

interface CachedDoc {
  version: string;
  /** Ranges relative to the document's start line. */
  diagnostics: Diagnostic[];
}

/** chunk → per-document-index cache. Chunks are shared by models that hold the same text. */
const cache = new WeakMap<Chunk, Map<number, CachedDoc>>();

/** Per model: each document's diagnostics (absolute ranges), and each document's cross-object ones. */
interface ModelDiagnostics {
  version: string;
  docs: Diagnostic[][];
  cross?: Diagnostic[][];
  /** What `cross` was converted from: the findings lists and the environment version they hold for. */
  crossOf?: Finding[][];
  crossEnv?: unknown;
  crossVersion?: number;
}
/** Keyed by the model's `documents` array (one per version, see Reuse). */
const perModel = new WeakMap<readonly ModelDocument[], ModelDiagnostics>();
const NONE: Diagnostic[] = [];

/**
 * Diagnostics of every document in `model`, plus the workspace-level checks:
 * the whole file's list, as published. A version built from the previous one
 * (see Model.reuse) takes the previous lists for the documents it shares and
 * computes only the documents in between, so an edit does not walk all
 * documents again.
 */
export function computeDiagnostics(model: Model, ctx: ServiceContext): Diagnostic[] {
  const version = ctx.settings.kubernetesVersion;
  const r = model.reuse;
  const prev = r && perModel.get(r.prev);
  const same = !!(r && prev && prev.version === version);
  const backReused = !!r && r.backOld < r.prev.length;
  const middleEnd = backReused ? r!.backNew : model.documents.length;
  let mine = perModel.get(model.documents);
  if (!mine || mine.version !== version) {
    let docs: Diagnostic[][];
    if (same) {
      docs = prev!.docs.slice(0, r!.front);
      for (let i = r!.front; i < middleEnd; i++) docs.push(cachedDocument(model.documents[i], ctx, version));
      if (backReused) docs = docs.concat(prev!.docs.slice(r!.backOld));
    } else {
      docs = model.documents.map((d) => cachedDocument(d, ctx, version));
    }
    perModel.set(model.documents, (mine = { version, docs }));
  }
  // Cross-object findings depend on the rest of the workspace: spliced from the previous version only while its environment version holds.
  const cf = crossFindingsByDocument(model, ctx.workspace);
  if (mine.crossOf !== cf.docs) {
    let cross: Diagnostic[][];
    if (same && prev!.cross && prev!.crossEnv === cf.env && prev!.crossVersion === cf.version) {
      cross = prev!.cross.slice(0, r!.front);
      for (let i = r!.front; i < middleEnd; i++) cross.push(crossDiagnostics(model.documents[i], cf.docs[i]));
      if (backReused) cross = cross.concat(prev!.cross.slice(r!.backOld));
    } else {
      cross = model.documents.map((d, i) => crossDiagnostics(d, cf.docs[i]));
    }
    Object.assign(mine, { cross, crossOf: cf.docs, crossEnv: cf.env, crossVersion: cf.version });
  }
  const out = applyLint(NONE.concat(...mine.docs, ...mine.cross!), ctx.settings.lint);
  return isZh(ctx.locale) ? out.map((d) => ({ ...d, message: localizedMessage(String(d.code), d.message, true, (d.data as { fix?: unknown } | undefined)?.fix) })) : out;
}

/** One document's diagnostics with absolute ranges, from the per-chunk cache (ranges relative to the document). */
function cachedDocument(doc: ModelDocument, ctx: ServiceContext, version: string): Diagnostic[] {
  let perChunk = cache.get(doc.chunk);
  if (!perChunk) cache.set(doc.chunk, (perChunk = new Map()));
  let hit = perChunk.get(doc.index);
  if (!hit || hit.version !== version) {
    hit = { version, diagnostics: documentDiagnostics(doc, ctx).map((d) => shift(d, -doc.startLine)) };
    perChunk.set(doc.index, hit);
  }
  if (!hit.diagnostics.length) return NONE;
  return hit.diagnostics.map((d) => shift(d, doc.startLine));
}

function crossDiagnostics(doc: ModelDocument, findings: Finding[]): Diagnostic[] {
  if (!findings.length) return NONE;
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const d = toDiagnostic(doc, f);
    if (d) out.push(d);
  }
  return out;
}

/** Diagnostics of one document with absolute ranges (no cache). */
export function documentDiagnostics(doc: ModelDocument, ctx: ServiceContext): Diagnostic[] {
  // A Go (Helm) template is no YAML until it is rendered: one word about it instead of the parser's confusion.
  if (doc.chunk.text.includes('{{')) {
    const t = templateAction(doc);
    if (t) return [{ range: { start: { line: t.line, character: t.start }, end: { line: t.line, character: t.end } }, severity: 3, code: 'go-template', source: 'kubeplay', message: TEMPLATE_MESSAGE }];
  }
  const out: Diagnostic[] = [];
  let broken = false;
  let tooDeep = false;
  // A key indented to no column of its mapping: the parser's messages land on the line above; one hint lands on it.
  const mis = doc.problems.some((p) => p.severity === 'error' && !YAML_CODES[p.code]) ? misindentedLine(doc) : undefined;
  const misNear = (line: number) => !!mis && line >= mis.above && line <= mis.line + 1;
  // The parser goes on misreading the rest of that mapping or list (`All mapping items must start at the same column`
  // on the correct lines below): all of it is this one slip.
  const misCovers = (line: number) => !!mis && line >= mis.above && line <= Math.max(mis.line + 1, mis.scopeEnd);
  const indentHint = !!mis && doc.problems.some((p) => p.severity === 'error' && !YAML_CODES[p.code] && misNear(p.range.start.line));
  if (mis && indentHint) {
    const width = mis.key === '-' ? 1 : doc.lineText(mis.line).indexOf(':', mis.col) - mis.col;
    out.push({ range: { start: { line: mis.line, character: mis.col }, end: { line: mis.line, character: mis.col + Math.max(width, 1) } }, severity: 1, code: 'yaml-indent', source: 'kubeplay',
      message: misindentMessage(mis), data: { path: [], fix: { line: mis.line, key: mis.key, col: mis.col, want: mis.want, blockEnd: mis.blockEnd } } });
    broken = true;
  }
  // Lines where a value was repaired (an alias read as null): what the rules say of that value is noise.
  const repaired = new Set<number>();
  // `schedule: */5 * * * *`: a plain value that starts with `*` is an alias in YAML, and one with spaces is no
  // alias at all; the parser's several complaints about it become one finding with its fix.
  const starLines = new Map<number, { value: string; start: number }>();
  for (const p of doc.problems) {
    const line = p.range.start.line;
    if (starLines.has(line)) continue;
    const star = starValue(doc, line);
    if (!star) continue;
    starLines.set(line, star);
    out.push({ range: { start: { line, character: star.start }, end: { line, character: star.start + star.value.length } }, severity: 1, code: 'unquoted-star', source: 'kubeplay',
      message: `${JSON.stringify(star.value)} starts with "*", which YAML reads as an alias (a reference to an anchor): quote the value`, data: { path: [], fix: { quoted: JSON.stringify(star.value) } } });
    broken = true;
  }
  for (const p of doc.problems) {
    if (starLines.has(p.range.start.line)) continue;
    const code = YAML_CODES[p.code] ?? 'yaml-syntax';
    if (code === 'yaml-syntax' && indentHint && misCovers(p.range.start.line)) continue;
    // A tab in the indentation fails kubectl's parse too ("found character that cannot start any token"), and the
    // rest of the document would be judged as the YAML library guessed it: noise, like a syntax error's.
    if (p.severity === 'error' && (code === 'yaml-syntax' || code === 'tab')) broken = true;
    if (code === 'unresolved-alias' || code === 'bad-merge') repaired.add(p.range.start.line);
    let range = p.range;
    if (code === 'duplicate-key') {
      // The whole key, not its first character.
      const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:#]+?)\s*:(?:\s|$)/.exec(doc.lineText(range.start.line).slice(range.start.character));
      if (m) range = { start: range.start, end: { line: range.start.line, character: range.start.character + m[1].length } };
    }
    // kubectl reads YAML without strict keys: a repeated key is no error there, the last value silently wins.
    const dup = code === 'duplicate-key';
    // 5,000 nested `[` exhaust the parser's stack (a RangeError it reports as RESOURCE_EXHAUSTION), once is enough.
    const deep = /Maximum call stack size exceeded/.test(p.message);
    if (deep && tooDeep) continue;
    tooDeep ||= deep;
    const message = deep ? TOO_DEEP_MESSAGE : p.message.split('\n')[0] + (dup ? ' (the last value wins)' : '');
    const d: Diagnostic = { range, severity: p.severity === 'error' && !dup ? 1 : 2, code, source: 'kubeplay', message };
    if (code === 'tab') d.data = { path: [] };
    else if (code === 'yaml-syntax') {
      const hint = missingSpaceHint(doc, p.range.start.line);
      if (hint) {
        d.message += ` (${hint})`;
        d.data = { path: [] };
      }
    }
    out.push(d);
  }
  // A document that does not parse would only give noise from half a value.
  if (broken) return out;
  if (isChartYaml(doc.value)) return out;
  const findings = validateObject(doc.value, ctx.schema, { kubernetesVersion: ctx.settings.kubernetesVersion });
  for (const f of findings) {
    const d = toDiagnostic(doc, f);
    if (d && !repaired.has(d.range.start.line)) out.push(d);
  }
  return out;
}

/** A Helm chart's Chart.yaml (`apiVersion: v2`, a name and a version, no kind) sits beside its templates: no object. */
export function isChartYaml(v: unknown): boolean {
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  return !!o && o.kind === undefined && (o.apiVersion === 'v2' || o.apiVersion === 'v1') && typeof o.name === 'string' && o.version !== undefined;
}

export const TEMPLATE_MESSAGE = 'A Go template ("{{ … }}", as in a Helm chart) is no YAML until it is rendered, so this document is not checked: check the output of `helm template` instead.';
export const TOO_DEEP_MESSAGE = 'Nested too deeply to check: the YAML parser ran out of stack here (Maximum call stack size exceeded).';

/**
 * `mountPath:String`: a colon with no space after it does not make a key in YAML, so the line is one plain
 * scalar (the seed's own slip). Said where it explains a syntax error or a wrong type.
 */
export function missingSpace(doc: ModelDocument, line: number): { key: string; value: string; colon: number } | undefined {
  const m = /^(\s*(?:-\s+)*)([A-Za-z_][\w.\/-]*):(?!\/\/)([^\s:][^\s]*)\s*$/.exec(doc.lineText(line).replace(/\s+#.*$/, ''));
  return m ? { key: m[2], value: m[3], colon: m[1].length + m[2].length } : undefined;
}

/** A key whose plain value starts with `*` and goes on past a space (a cron schedule, a glob): the value and its column. */
export function starValue(doc: ModelDocument, line: number): { value: string; start: number } | undefined {
  const text = doc.lineText(line);
  const m = /^(\s*(?:-\s+)*[A-Za-z_][\w.\/-]*:\s+)(\*\S*(?:[ \t]+[^\s#]+)+)\s*(?:#.*)?$/.exec(text);
  return m ? { value: m[2], start: m[1].length } : undefined;
}

/** The hint for a message, when the line has the slip. */
export function missingSpaceHint(doc: ModelDocument, line: number): string | undefined {
  const m = missingSpace(doc, line);
  return m && `is a space missing after the colon? "${m.key}:${m.value}" is one string; a key and its value are written "${m.key}: ${m.value}"`;
}

export function toDiagnostic(doc: ModelDocument, f: Finding): Diagnostic | undefined {
  const range = doc.rangeOfPath(f.path, f.target ?? 'value') ?? doc.range;
  if (!range) return undefined;
  const d: Diagnostic = { range, severity: SEVERITY[f.severity], code: f.code, source: 'kubeplay', message: f.message, data: { path: f.path, fix: f.data } };
  if (f.code === 'wrong-type' && range.start.line === range.end.line) {
    const hint = missingSpaceHint(doc, range.start.line);
    if (hint) d.message += ` (${hint})`;
  }
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
