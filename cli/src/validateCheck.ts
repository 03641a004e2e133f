/**
 * Checks one stream of YAML (a file, stdin) resource by resource with the
 * shared rules engine. Positions are computed only for documents that have
 * something to report, by parsing just that document with `yaml`.
 */
import { LineCounter, isMap, isSeq, parseDocument, type Node as YNode, type Pair } from 'yaml';
import { KUBE_YAML } from '../../kube/src/kubeYaml';
import type { SchemaLike } from '../../kube/src/rules/context';
import { validateObject } from '../../kube/src/rules/engine';
import type { FieldPath, Finding, Severity } from '../../kube/src/rules/types';
import { templateActionIn } from '../../server/src/service/diagnosticsYaml';
import { documentRanges, fastParse, splitLines } from './validateYaml';

export type Status = 'valid' | 'invalid' | 'error' | 'skipped';

export interface LocatedFinding extends Finding {
  /** 1-based line and column in the file. */
  line: number;
  column: number;
}

export interface ResourceResult {
  file: string;
  /** 1-based line where the document starts. */
  line: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  status: Status;
  /** Why it could not be validated (status 'error'). */
  error?: string;
  findings: LocatedFinding[];
}

export interface CheckOptions {
  schema: SchemaLike;
  kubernetesVersion: string;
  strict: boolean;
  /** Kinds (`Deployment`) or apiVersion/kind pairs (`apps/v1/Deployment`) to skip. */
  skip: Set<string>;
  ignoreMissingSchemas: boolean;
}

/** Where a checked resource is in its stream, and its parsed value: what the checks across files read afterwards. */
export interface CheckedDocument {
  lines: string[];
  /** Its lines [start, end) in `lines`. */
  start: number;
  end: number;
  value: Record<string, unknown>;
}

/**
 * Checks every document of `text`; `emit` gets each resource (valid ones too, so callers can count), and the
 * document it was read from when it was read.
 */
export function checkStream(file: string, text: string, opts: CheckOptions, emit: (r: ResourceResult, doc?: CheckedDocument) => void): void {
  const lines = splitLines(text);
  for (const range of documentRanges(lines)) {
    // A Go (Helm) template is no YAML until rendered: said once, instead of the parser's complaint.
    const template = hasBraces(lines, range.startLine, range.endLine) ? templateActionIn((n) => lines[n] ?? '', range.startLine, range.endLine - 1) : undefined;
    if (template) {
      emit({ file, line: template.line + 1, status: 'error', error: TEMPLATE_ERROR, findings: [] });
      continue;
    }
    let value = fastParse(lines, range.startLine, range.endLine);
    let parseWarnings: Finding[] = [];
    if (value === undefined) {
      const slow = slowParse(lines.slice(range.startLine, range.endLine).join('\n'), opts.strict);
      if (slow.error) {
        emit({ file, line: range.startLine + 1 + slow.error.line - 1, status: 'error', error: slow.error.message, findings: [] });
        continue;
      }
      value = slow.value;
      parseWarnings = slow.warnings;
    }
    if (value === null || value === undefined) continue; // empty document
    const result = checkValue(file, lines, range.startLine, range.endLine, value, parseWarnings, opts);
    emit(result, typeof value === 'object' && !Array.isArray(value) ? { lines, start: range.startLine, end: range.endLine, value: value as Record<string, unknown> } : undefined);
  }
}

/**
 * A checked document's value read again, as checkStream read it: for the rare check across files that needs
 * more of an object than the facts kept of it (a quota or a Pod Security namespace that governs it).
 */
export function reparse(lines: string[], start: number, end: number, strict: boolean): unknown {
  const value = fastParse(lines, start, end);
  return value !== undefined ? value : slowParse(lines.slice(start, end).join('\n'), strict).value;
}

/** The findings of the many resources that have none (read-only: results are kept until the last file is read). */
const NO_FINDINGS = Object.freeze([]) as unknown as LocatedFinding[];

function checkValue(file: string, lines: string[], start: number, end: number, value: unknown, parseWarnings: Finding[], opts: CheckOptions): ResourceResult {
  const base: ResourceResult = { file, line: start + 1, status: 'valid', findings: NO_FINDINGS };
  if (typeof value !== 'object' || Array.isArray(value)) return { ...base, status: 'error', error: 'document is not a mapping' };
  const obj = value as Record<string, unknown>;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : undefined;
  const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
  const meta = obj.metadata as Record<string, unknown> | undefined;
  const name = meta && typeof meta === 'object' && typeof meta.name === 'string' ? meta.name : undefined;
  // Written out rather than spread from `base`: V8 copies a spread with more properties after it key by key, and
  // this runs for every resource. The keys keep base's order.
  const res: ResourceResult = { file, line: start + 1, status: 'valid', findings: NO_FINDINGS, apiVersion, kind, name };
  if (!kind) return { ...res, status: 'error', error: "missing 'kind' key" };
  if (!apiVersion) return { ...res, status: 'error', error: "missing 'apiVersion' key" };
  if (opts.skip.has(kind) || opts.skip.has(`${apiVersion}/${kind}`)) return { ...res, status: 'skipped' };
  let findings = validateObject(obj, opts.schema, { kubernetesVersion: opts.kubernetesVersion });
  const known = !!opts.schema.kind(apiVersion, kind) || (kind === 'List' && apiVersion === 'v1');
  if (!known && findings.length === 0) {
    if (opts.ignoreMissingSchemas) return { ...res, status: 'skipped' };
    return { ...res, status: 'error', error: `could not find schema for ${kind} (${apiVersion})` };
  }
  findings = parseWarnings.concat(findings);
  if (!opts.strict) for (const f of findings) if (f.code === 'unknown-field') f.severity = 'warning';
  if (!findings.length) return res;
  const invalid = findings.some((f) => isFailing(f.severity, opts.strict));
  return { ...res, status: invalid ? 'invalid' : 'valid', findings: locate(lines, start, end, findings) };
}

export function isFailing(s: Severity, strict: boolean): boolean {
  return s === 'error' || (strict && s === 'warning');
}

interface SlowResult {
  value?: unknown;
  warnings: Finding[];
  error?: { message: string; line: number };
}

/**
 * The `yaml` package's parse of one document, for what the fast loader
 * declined. Duplicate keys are refused only in strict mode (as kubeconform
 * does); otherwise they are a warning and the last value wins.
 */
function slowParse(text: string, strict: boolean): SlowResult {
  const lc = new LineCounter();
  let doc = parseDocument(text, { ...KUBE_YAML, lineCounter: lc, prettyErrors: false });
  const warnings: Finding[] = [];
  if (doc.errors.length) {
    const onlyDup = doc.errors.every((e) => e.code === 'DUPLICATE_KEY');
    if (!onlyDup || strict) {
      const e = doc.errors[0];
      const line = lc.linePos(e.pos[0]).line;
      // 5,000 nested `[` exhaust the parser's stack (a RangeError it reports as RESOURCE_EXHAUSTION).
      if (/Maximum call stack size exceeded/.test(e.message)) return { warnings, error: { message: 'nested too deeply to check (Maximum call stack size exceeded)', line } };
      return { warnings, error: { message: `${e.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'YAML syntax error'}: ${firstLine(e.message)}`, line } };
    }
    for (const e of doc.errors) {
      warnings.push({ code: 'duplicate-key', severity: 'warning', path: [], message: `${firstLine(e.message)} (the last value wins)`, data: { line: lc.linePos(e.pos[0]).line } });
    }
    doc = parseDocument(text, { ...KUBE_YAML, uniqueKeys: false });
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }), warnings };
  } catch (e) {
    return { warnings, error: { message: String((e as Error).message ?? e), line: 1 } };
  }
}

const TEMPLATE_ERROR = 'Go template ("{{ … }}", as in a Helm chart): no YAML until it is rendered; validate the output of `helm template` instead';

function hasBraces(lines: string[], from: number, to: number): boolean {
  for (let n = from; n < to; n++) if (lines[n].includes('{{')) return true;
  return false;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** Maps each finding's path to a line and column, parsing the document once. */
export function locate(lines: string[], start: number, end: number, findings: Finding[]): LocatedFinding[] {
  const text = lines.slice(start, end).join('\n');
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...KUBE_YAML, lineCounter: lc, uniqueKeys: false });
  const located = findings.map((f) => {
    const fixedLine = (f.data as { line?: number } | undefined)?.line;
    if (fixedLine) return { ...f, line: start + fixedLine, column: 1 };
    const off = offsetOf(doc.contents as YNode | null, f.path, f.target ?? 'value');
    const p = off >= 0 ? lc.linePos(off) : { line: 1, col: 1 };
    return { ...f, line: start + p.line, column: p.col };
  });
  return located.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Offset of the deepest node along `path` (its key when asked, or when the path stops short). */
function offsetOf(root: YNode | null, path: FieldPath, target: 'key' | 'value'): number {
  let node: unknown = root;
  let keyOff = -1;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(seg));
      if (!pair) break;
      keyOff = (pair.key as YNode | null)?.range?.[0] ?? keyOff;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      keyOff = (node as YNode | null)?.range?.[0] ?? keyOff;
    } else break;
    depth++;
  }
  const complete = depth === path.length;
  const valOff = (node as YNode | null)?.range?.[0] ?? -1;
  if (complete && target === 'value' && valOff >= 0) return valOff;
  if (keyOff >= 0) return keyOff;
  return valOff >= 0 ? valOff : 0;
}

/** `spec.template.spec.containers[0].image`, as upstream prints field paths. */
export { formatFieldPath as formatPath } from '../../kube/src/rules/status';
