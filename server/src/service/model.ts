/**
 * The parsed model of one YAML text: every feature (completion, hover,
 * diagnostics, symbols, code actions) reads this and never re-parses.
 *
 * How to use it
 * -------------
 * ```ts
 * const store = new ModelStore(kindLookup);           // one per server (or bench, or CLI run)
 * const model = store.update(uri, version, text);    // cheap when only a few documents changed
 * for (const doc of model.documents) {              // one per `---` document
 *   doc.problems;                                   // YAML errors/warnings (syntax, duplicate keys, tabs), absolute ranges
 *   doc.value;                                      // plain JSON of the document (null when empty)
 *   doc.apiVersion; doc.kind; doc.kindInfo;         // kindInfo only for an exact apiVersion+kind match in the schema
 *   for (const obj of doc.objects) { ... }          // the object itself, or each item of a `kind: List` (obj.path = ['items', i])
 *   doc.rangeOfPath(['spec', 'replicas'], 'value'); // LSP range; see the method for missing paths
 *   doc.pathAt({ line, character });                // what the cursor is on, even on a fresh or half-typed line
 * }
 * model.documentAt(position); model.pathAt(position); model.pathAtOffset(offset);
 * model.positionAt(offset); model.offsetAt(position);
 * ```
 *
 * Why it is fast
 * --------------
 * The text is cut into documents at `---` lines (column 0; YAML forbids such a
 * line inside any scalar, so block scalars cannot hide one). Each piece is
 * parsed alone and cached by its text, so after an edit only the edited
 * document is parsed again. Everything a piece knows is stored relative to
 * its own start; a `ModelDocument` only adds the line it starts on. When a
 * document's text and first line are both unchanged, the very same
 * `ModelDocument` object is handed out again, so callers may cache results
 * (diagnostics, symbols) in a `WeakMap<ModelDocument, …>`; to survive line
 * shifts as well, key by `doc.chunk` and store ranges relative to
 * `doc.startLine`.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YNode, type Pair } from 'yaml';
import type { KindInfo } from '../../../kube/src/schema/types';
import { containerPath, shapeOf, type FieldPath } from './lines';

export type { FieldPath } from './lines';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export interface YamlProblem {
  /** The `yaml` package's code, e.g. `DUPLICATE_KEY`, `TAB_AS_INDENT`, `BAD_INDENT`. */
  code: string;
  message: string;
  severity: 'error' | 'warning';
  range: Range;
}

/** One Kubernetes object: a whole document, or one item of a `kind: List`. */
export interface KubeObject {
  /** Where the object sits in its document: `[]`, or `['items', 3]`. */
  path: FieldPath;
  value: Record<string, unknown>;
  apiVersion?: string;
  kind?: string;
  kindInfo?: KindInfo;
  name?: string;
  namespace?: string;
}

export type KindLookup = (apiVersion: string, kind: string) => KindInfo | undefined;

/** What the cursor is on. */
export interface PathAt {
  /** Path of the key or value under the cursor. For a key it ends with the key (as typed so far; '' on a fresh line). */
  path: FieldPath;
  on: 'key' | 'value';
  /** The text of the key or scalar under the cursor, and its range: what a completion replaces. */
  text: string;
  range: Range;
  /** true when found by indentation (fresh line, `- ` alone, `key: ` with no value yet). */
  fresh: boolean;
  /** The parsed scalar under the cursor, when there is one. */
  node?: YNode;
}

/** One `---` piece of text, parsed. Immutable, shared by every model version holding the same text. */
export class Chunk {
  readonly lineStarts: number[] = [0];
  readonly docs: Document.Parsed[];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.docs = parseAllDocuments(text, { prettyErrors: false, logLevel: 'error' }) as Document.Parsed[];
    if (!Array.isArray(this.docs)) this.docs = [];
  }
  /** Lines this chunk advances by: its `\n` count. */
  get newlines(): number {
    return this.lineStarts.length - 1;
  }
  positionAt(offset: number): Position {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - ls[lo] };
  }
  private readonly derived: { value?: unknown; valueDone?: boolean; objects?: KubeObject[] }[] = [];

  /** The document as plain JSON, computed once per chunk (so line shifts do not redo it). */
  valueOf(index: number): unknown {
    const d = (this.derived[index] ??= {});
    if (!d.valueDone) {
      d.valueDone = true;
      try {
        const doc = this.docs[index];
        d.value = doc ? doc.toJS({ maxAliasCount: 1000 }) : null;
      } catch {
        d.value = null;
      }
    }
    return d.value;
  }

  objectsOf(index: number, kinds: KindLookup): KubeObject[] {
    const d = (this.derived[index] ??= {});
    if (!d.objects) d.objects = objectsIn(this.valueOf(index), kinds);
    return d.objects;
  }

  lineText(line: number): string {
    if (line < 0 || line >= this.lineStarts.length) return '';
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    const s = this.text.slice(this.lineStarts[line], end);
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  }
}

export class ModelDocument {
  private _problems?: YamlProblem[];

  constructor(
    readonly chunk: Chunk,
    /** Index of this document within its chunk (almost always 0). */
    readonly index: number,
    /** First line (0-based) of the chunk in the whole text. */
    readonly startLine: number,
    private readonly kinds: KindLookup,
  ) {}

  get yaml(): Document.Parsed {
    return this.chunk.docs[this.index];
  }

  /** From the `---` line (if any) to the end of the document's text. */
  get range(): Range {
    const only = this.chunk.docs.length <= 1;
    const r = this.yaml?.range;
    const start = only || !r ? 0 : this.index === 0 ? 0 : r[0];
    const end = only || !r ? this.chunk.text.length : r[2];
    return { start: this.pos(start), end: this.pos(end) };
  }

  get endLine(): number {
    return this.startLine + this.chunk.newlines;
  }

  /** The document as plain JSON (aliases resolved); null for an empty document. */
  get value(): unknown {
    return this.chunk.valueOf(this.index);
  }

  get problems(): YamlProblem[] {
    if (!this._problems) {
      const d = this.yaml;
      const conv = (severity: 'error' | 'warning') => (e: { code: string; message: string; pos: [number, number] }) => ({
        code: e.code,
        message: e.message,
        severity,
        range: { start: this.pos(e.pos[0]), end: this.pos(Math.max(e.pos[1], e.pos[0])) },
      });
      this._problems = d ? [...d.errors.map(conv('error')), ...d.warnings.map(conv('warning'))] : [];
    }
    return this._problems;
  }

  get apiVersion(): string | undefined {
    return str(obj(this.value)?.apiVersion);
  }
  get kind(): string | undefined {
    return str(obj(this.value)?.kind);
  }
  get kindInfo(): KindInfo | undefined {
    const o = this.objects[0];
    return o && o.path.length === 0 ? o.kindInfo : undefined;
  }

  /** The document itself, or the items of a `kind: List` (each with its own kind). */
  get objects(): KubeObject[] {
    return this.chunk.objectsOf(this.index, this.kinds);
  }

  /** The object (document or List item) holding `path`, and the path inside it. */
  objectAt(path: FieldPath): { object: KubeObject; rest: FieldPath } | undefined {
    for (const o of this.objects) {
      if (o.path.every((s, i) => path[i] === s)) return { object: o, rest: path.slice(o.path.length) };
    }
    return undefined;
  }

  /** Absolute position of an offset relative to the chunk. */
  pos(offset: number): Position {
    const p = this.chunk.positionAt(offset);
    return { line: p.line + this.startLine, character: p.character };
  }

  /** Offset relative to the chunk of an absolute position. */
  offsetAt(p: Position): number {
    const ls = this.chunk.lineStarts;
    const l = p.line - this.startLine;
    if (l < 0) return 0;
    if (l >= ls.length) return this.chunk.text.length;
    const lineEnd = l + 1 < ls.length ? ls[l + 1] : this.chunk.text.length;
    return Math.min(ls[l] + p.character, lineEnd);
  }

  /** Text of an absolute line, without its line break. */
  lineText(line: number): string {
    return this.chunk.lineText(line - this.startLine);
  }

  /** The parsed node at a path, with its key node when the last step is a map key. */
  nodeAt(path: FieldPath): { node: YNode | null; key?: YNode; depth: number } {
    let node: unknown = this.yaml?.contents ?? null;
    let key: YNode | undefined;
    let depth = 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => keyName(p.key) === String(seg));
        if (!pair) break;
        key = pair.key as YNode;
        node = pair.value ?? null;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        key = undefined;
        node = node.items[seg] ?? null;
      } else break;
      depth++;
    }
    return { node: (node as YNode) ?? null, key, depth };
  }

  /**
   * Range of the key or value at `path` (absolute). When the value is null
   * (`key:`) the key is returned. When the path does not exist all the way,
   * the key of the deepest part that exists is returned (so "missing field
   * `spec.selector`" lands on `spec:`), and for the root the first key of the
   * document; undefined only for an empty document.
   */
  rangeOfPath(path: FieldPath, target: 'key' | 'value' = 'value'): Range | undefined {
    const { node, key, depth } = this.nodeAt(path);
    let r: [number, number] | undefined;
    const complete = depth === path.length;
    if (complete && target === 'value' && node && (node as YNode).range) r = span(node as YNode);
    else if (key?.range) r = span(key);
    else if (node && (node as YNode).range) {
      r = span(node as YNode);
      if (isMap(node) && node.items[0]?.key && (node.items[0].key as YNode).range) r = span(node.items[0].key as YNode);
    }
    if (!r) return undefined;
    return { start: this.pos(r[0]), end: this.pos(r[1]) };
  }

  /** What the cursor at `p` is on. */
  pathAt(p: Position): PathAt {
    const offset = this.offsetAt(p);
    const hit = locate(this.yaml?.contents, offset, []);
    if (hit && !this.belowBlockScalar(hit.node, p)) {
      const r = span(hit.node);
      return {
        path: hit.path,
        on: hit.on,
        text: this.chunk.text.slice(r[0], r[1]),
        range: { start: this.pos(r[0]), end: this.pos(r[1]) },
        fresh: false,
        node: hit.node,
      };
    }
    return this.pathByIndent(p);
  }

  /** A block scalar's range runs over trailing blank lines; a cursor left of its content is not in it. */
  private belowBlockScalar(node: YNode, p: Position): boolean {
    if (!isScalar(node) || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')) return false;
    const line = this.lineText(p.line);
    if (line.slice(0, p.character).trim() !== '') return false;
    const startLine = this.pos(node.range![0]).line;
    for (let l = startLine + 1; l < p.line; l++) {
      const t = this.lineText(l);
      if (t.trim() !== '') return p.character < t.length - t.trimStart().length;
    }
    return true;
  }

  private pathByIndent(p: Position): PathAt {
    const rel = p.line - this.startLine;
    const line = this.chunk.lineText(rel);
    const shape = shapeOf(line);
    const c = p.character;
    const at = (l: number) => this.chunk.lineText(l);
    const mk = (path: FieldPath, on: 'key' | 'value', from: number, to: number): PathAt => ({
      path,
      on,
      text: line.slice(from, to),
      range: { start: { line: p.line, character: from }, end: { line: p.line, character: to } },
      fresh: true,
    });
    if (shape.marker) return mk([], 'value', c, c);
    if (shape.key && c > shape.key.colon) {
      const path = [...containerPath(at, rel, shape.key.col, 0), shape.key.name];
      return shape.value && c >= shape.value.col ? mk(path, 'value', shape.value.col, shape.value.end) : mk(path, 'value', c, c);
    }
    if (shape.key && c >= shape.key.col) {
      return mk([...containerPath(at, rel, shape.key.col, 0), shape.key.name], 'key', shape.key.col, shape.key.end);
    }
    if (shape.value && c >= shape.value.col && !shape.blank) {
      return mk(containerPath(at, rel, shape.value.col, 0), 'value', shape.value.col, shape.value.end);
    }
    // A fresh line, or `- ` with nothing after: a key goes where the cursor is.
    const col = shape.dashes.length ? Math.max(c, shape.dashes[shape.dashes.length - 1] + 2) : c;
    return mk([...containerPath(at, rel, col, 0), ''], 'key', c, c);
  }
}

function objectsIn(value: unknown, kinds: KindLookup): KubeObject[] {
  const root = obj(value);
  const out: KubeObject[] = [];
  if (!root) return out;
  if (root.kind === 'List' && Array.isArray(root.items)) {
    root.items.forEach((it, i) => {
      const o = obj(it);
      if (o) out.push(describe(o, ['items', i], kinds));
    });
  } else {
    out.push(describe(root, [], kinds));
  }
  return out;
}

function describe(value: Record<string, unknown>, path: FieldPath, kinds: KindLookup): KubeObject {
  const apiVersion = str(value.apiVersion);
  const kind = str(value.kind);
  const meta = obj(value.metadata);
  return { path, value, apiVersion, kind, kindInfo: apiVersion && kind ? kinds(apiVersion, kind) : undefined, name: str(meta?.name), namespace: str(meta?.namespace) };
}

function span(n: YNode): [number, number] {
  const r = n.range!;
  return [r[0], r[1]];
}

function keyName(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/** The scalar (key or value) the offset is in, found in the parsed tree. */
function locate(
  node: unknown,
  offset: number,
  path: FieldPath,
): { path: FieldPath; on: 'key' | 'value'; node: YNode } | undefined {
  if (isMap(node)) {
    for (const pair of node.items as Pair[]) {
      const k = pair.key as YNode | null;
      const name = keyName(k) ?? '';
      if (k && k.range && k.range[0] <= offset && offset <= k.range[1] && k.range[1] > k.range[0]) {
        return { path: [...path, name], on: 'key', node: k };
      }
      const v = pair.value as YNode | null;
      if (v && v.range && v.range[0] <= offset && offset <= v.range[2]) {
        const found = locate(v, offset, [...path, name]);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    const items = node.items as (YNode | null)[];
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it && it.range && it.range[0] <= offset && offset <= it.range[2]) {
        const found = locate(it, offset, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isScalar(node) && node.range && node.range[0] <= offset && offset <= node.range[1] && node.range[1] > node.range[0]) {
    return { path, on: 'value', node };
  }
  return undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** All documents of one text at one version. */
export class Model {
  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly documents: ModelDocument[],
    /** Absolute offset where each document's chunk starts. */
    private readonly starts: number[],
  ) {}

  /** The document holding an absolute line (the last one for lines past the end). */
  documentAt(p: Position | number): ModelDocument | undefined {
    const line = typeof p === 'number' ? p : p.line;
    const docs = this.documents;
    let lo = 0;
    let hi = docs.length - 1;
    if (hi < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (docs[mid].startLine <= line) lo = mid;
      else hi = mid - 1;
    }
    // Several documents in one chunk (after `...`): pick by range.
    while (lo + 1 < docs.length && docs[lo + 1].chunk === docs[lo].chunk && docs[lo + 1].range.start.line <= line) lo++;
    return docs[lo];
  }

  /** Every Kubernetes object in the text, with its document. */
  *objects(): Iterable<{ doc: ModelDocument; object: KubeObject }> {
    for (const doc of this.documents) for (const object of doc.objects) yield { doc, object };
  }

  pathAt(p: Position): PathAt | undefined {
    return this.documentAt(p)?.pathAt(p);
  }

  /** Same, for an absolute offset into `text`. */
  pathAtOffset(offset: number): PathAt | undefined {
    return this.pathAt(this.positionAt(offset));
  }

  offsetAt(p: Position): number {
    const i = this.indexAtLine(p.line);
    if (i < 0) return 0;
    return this.starts[i] + this.documents[i].offsetAt(p);
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    if (hi < 0) return { line: 0, character: 0 };
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.documents[lo].pos(offset - this.starts[lo]);
  }

  /** Absolute offset where the chunk of document `i` starts. */
  startOf(i: number): number {
    return this.starts[i];
  }

  private indexAtLine(line: number): number {
    const d = this.documentAt(line);
    return d ? this.documents.indexOf(d) : -1;
  }
}

const MARKER = /^---(?=[ \t\r\n]|$)/gm;

/** Cut the text at `---` lines: [start offset, text] pairs. */
export function splitDocuments(text: string): { start: number; text: string }[] {
  const cuts: number[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) if (m.index > 0) cuts.push(m.index);
  const out: { start: number; text: string }[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push({ start: prev, text: text.slice(prev, c) });
    prev = c;
  }
  out.push({ start: prev, text: text.slice(prev) });
  return out;
}

/**
 * Build the model of `text`, reusing parsed chunks (and whole documents whose
 * first line did not move) from `prev`.
 */
export function buildModel(uri: string, version: number, text: string, kinds: KindLookup, prev?: Model): Model {
  return (prev && text.length > 0 && prev.documents.length > 0 && spliced(uri, version, text, kinds, prev)) || fresh(uri, version, text, kinds, prev);
}

function fresh(uri: string, version: number, text: string, kinds: KindLookup, prev?: Model): Model {
  const oldChunks = new Map<string, Chunk>();
  if (prev) for (const d of prev.documents) oldChunks.set(d.chunk.text, d.chunk);
  const documents: ModelDocument[] = [];
  const starts: number[] = [];
  let line = 0;
  for (const piece of splitDocuments(text)) {
    const chunk = oldChunks.get(piece.text) ?? new Chunk(piece.text);
    line = addChunk(documents, starts, chunk, piece.start, line, kinds);
  }
  return new Model(uri, version, text, documents, starts);
}

function addChunk(documents: ModelDocument[], starts: number[], chunk: Chunk, start: number, line: number, kinds: KindLookup, reuse?: ModelDocument[]): number {
  const n = Math.max(1, chunk.docs.length);
  for (let i = 0; i < n; i++) {
    const old = reuse?.[i];
    documents.push(old && old.startLine === line ? old : new ModelDocument(chunk, i, line, kinds));
    starts.push(start);
  }
  return line + chunk.newlines;
}

interface Piece {
  chunk: Chunk;
  start: number;
  startLine: number;
  docs: ModelDocument[];
}

function isMarkerAt(text: string, p: number): boolean {
  if (!text.startsWith('---', p)) return false;
  const c = text[p + 3];
  return c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Whether `text` holds `piece` at `at` (a flat substring compare beats startsWith here). */
function same(text: string, at: number, piece: string): boolean {
  return text.substr(at, piece.length) === piece;
}

/** A piece may start at `p`: the text start, or a `---` line. */
function isStart(text: string, p: number): boolean {
  return p === 0 || p === text.length || (text[p - 1] === '\n' && isMarkerAt(text, p));
}

/**
 * The common case after an edit: the pieces before and after the edit are
 * unchanged, byte for byte, at the same (or shifted) place. Finding them
 * by comparing substrings costs a memory compare instead of re-cutting and hashing
 * the whole text; only the middle is cut and parsed.
 */
function spliced(uri: string, version: number, text: string, kinds: KindLookup, prev: Model): Model | undefined {
  const P: Piece[] = [];
  const pd = prev.documents;
  for (let i = 0; i < pd.length; i++) {
    const last = P[P.length - 1];
    if (last && last.chunk === pd[i].chunk && last.start === prev.startOf(i)) last.docs.push(pd[i]);
    else P.push({ chunk: pd[i].chunk, start: prev.startOf(i), startLine: pd[i].startLine, docs: [pd[i]] });
  }
  const n = P.length;
  const delta = text.length - prev.text.length;
  const end = (k: number) => (k === 0 ? 0 : P[k - 1].start + P[k - 1].chunk.text.length);
  let f = 0;
  while (f < n && same(text, P[f].start, P[f].chunk.text)) f++;
  while (f > 0 && !isStart(text, end(f))) f--;
  let b = n;
  while (b > f && P[b - 1].start + delta >= end(f) && same(text, P[b - 1].start + delta, P[b - 1].chunk.text)) b--;
  while (b < n && !isStart(text, P[b].start + delta)) b++;
  if (f === 0 && b === n) return undefined;
  const mStart = end(f);
  const mEnd = b < n ? P[b].start + delta : text.length;
  if (mEnd < mStart) return undefined;
  const documents: ModelDocument[] = [];
  const starts: number[] = [];
  let line = 0;
  for (let k = 0; k < f; k++) line = addChunk(documents, starts, P[k].chunk, P[k].start, P[k].startLine, kinds, P[k].docs);
  if (mEnd > mStart) {
    const old = new Map<string, Chunk>();
    for (let k = f; k < b; k++) old.set(P[k].chunk.text, P[k].chunk);
    for (const piece of splitDocuments(text.slice(mStart, mEnd))) {
      if (!piece.text) continue;
      line = addChunk(documents, starts, old.get(piece.text) ?? new Chunk(piece.text), mStart + piece.start, line, kinds);
    }
  }
  for (let k = b; k < n; k++) line = addChunk(documents, starts, P[k].chunk, P[k].start + delta, line, kinds, P[k].docs);
  return new Model(uri, version, text, documents, starts);
}

/** Models by URI, each kept at its latest version; the owner decides when to drop them. */
export class ModelStore {
  private readonly models = new Map<string, Model>();
  constructor(private kinds: KindLookup) {}

  update(uri: string, version: number, text: string): Model {
    const prev = this.models.get(uri);
    if (prev && prev.version === version && prev.text === text) return prev;
    const model = buildModel(uri, version, text, this.kinds, prev);
    this.models.set(uri, model);
    return model;
  }
  get(uri: string): Model | undefined {
    return this.models.get(uri);
  }
  delete(uri: string): void {
    this.models.delete(uri);
  }
  /** Forget everything (settings or schema changed). */
  clear(kinds?: KindLookup): void {
    this.models.clear();
    if (kinds) this.kinds = kinds;
  }
  uris(): string[] {
    return [...this.models.keys()];
  }
}
