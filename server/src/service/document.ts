/**
 * One parsed document of a YAML text, and the `---` chunk it was parsed
 * from. See model.ts for how they are used; this file holds the per-document
 * lookups (values, objects, ranges of paths, what the cursor is on).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, visit, type Document, type Node as YNode, type Pair } from 'yaml';
import type { KindInfo } from '../../../kube/src/schema/types';
import { KUBE_YAML } from '../../../kube/src/kubeYaml';
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

/** A problem found while turning a document into its plain value, at chunk offsets. */
interface ValueProblem {
  code: string;
  message: string;
  pos: [number, number];
}

/**
 * The plain value of a document whose conversion failed: aliases to anchors that do not exist become null
 * and merge keys (`<<`) whose value is not a map (or maps) are dropped, each reported where it stands, so the
 * rest of the document is still read. kubectl refuses such a file as a whole; the editor says where and why.
 */
function valueDespite(doc: Document.Parsed | undefined): { value: unknown; problems: ValueProblem[] } {
  const problems: ValueProblem[] = [];
  if (!doc) return { value: null, problems };
  const copy = doc.clone();
  const at = (n: { range?: [number, number, number] | null } | null | undefined): [number, number] => (n?.range ? [n.range[0], n.range[1]] : [0, 0]);
  visit(copy, {
    Alias(_, node) {
      if (node.resolve(copy)) return undefined;
      problems.push({ code: 'UNRESOLVED_ALIAS', message: `Unresolved alias (the anchor must be set before the alias): ${node.source}`, pos: at(node) });
      return new Scalar(null);
    },
  });
  const isMapSource = (n: unknown): boolean => isMap(n) || (isAlias(n) && isMap(n.resolve(copy)));
  visit(copy, {
    Pair(_, pair) {
      // With merge keys on, the `yaml` package reads the key `<<` as a symbol; its source is still `<<`.
      if (!isScalar(pair.key) || (pair.key.value !== '<<' && (pair.key as Scalar & { source?: string }).source !== '<<')) return undefined;
      const v = pair.value;
      if (isMapSource(v) || (isSeq(v) && v.items.every(isMapSource))) return undefined;
      const key = at(pair.key as YNode);
      const end = isPair(pair) && pair.value && (pair.value as YNode).range ? (pair.value as YNode).range![1] : key[1];
      problems.push({ code: 'BAD_MERGE', message: 'Merge sources must be maps or map aliases', pos: [key[0], end] });
      return visit.REMOVE;
    },
  });
  try {
    return { value: copy.toJS({ maxAliasCount: 1000 }), problems };
  } catch (e) {
    problems.push({ code: 'BAD_VALUE', message: String((e as Error)?.message ?? e), pos: [0, 0] });
    return { value: null, problems };
  }
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
  /** Inside a flow collection (`{name: c, |}`): what is inserted must stay on the line, in flow style. */
  flow?: boolean;
  /**
   * A plain word alone on the line below its key (`spec:⏎  c|`): YAML reads it as the key's value continued
   * on the next line, but where the key holds an object it is the first key being typed. This is that reading.
   */
  asKey?: PathAt;
}

/** One `---` piece of text, parsed. Immutable, shared by every model version holding the same text. */
export class Chunk {
  readonly lineStarts: number[] = [0];
  readonly docs: Document.Parsed[];
  readonly text: string;
  constructor(text: string) {
    // A chunk cut from the whole file is a slice that keeps the whole file's
    // string alive; chunks outlive many versions, so each edit would leak a copy
    // of the file and feed major GCs. Own a flat copy instead.
    text = ownCopy(text);
    this.text = text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.docs = parseAllDocuments(text, { ...KUBE_YAML, prettyErrors: false, logLevel: 'error', merge: true }) as Document.Parsed[];
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
  private readonly derived: { value?: unknown; valueDone?: boolean; objects?: KubeObject[]; problems?: ValueProblem[] }[] = [];

  /** The document as plain JSON, computed once per chunk (so line shifts do not redo it). */
  valueOf(index: number): unknown {
    const d = (this.derived[index] ??= {});
    if (!d.valueDone) {
      d.valueDone = true;
      const doc = this.docs[index];
      try {
        d.value = doc ? doc.toJS({ maxAliasCount: 1000 }) : null;
      } catch {
        const { value, problems } = valueDespite(doc);
        d.value = value;
        d.problems = problems;
      }
    }
    return d.value;
  }

  /** What made the document's plain value need repairs (an unresolved alias, a bad merge), as YAML problems. */
  valueProblemsOf(index: number): ValueProblem[] {
    this.valueOf(index);
    return this.derived[index]?.problems ?? [];
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
      this._problems = d ? [...d.errors.map(conv('error')), ...d.warnings.map(conv('warning')), ...this.chunk.valueProblemsOf(this.index).map(conv('error'))] : [];
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
      let range = { start: this.pos(r[0]), end: this.pos(r[1]) };
      // An edit must stay on the cursor's line (LSP 3.17, CompletionItem.textEdit); a scalar whose quote is not
      // closed yet (`schedule: "|`) runs to the end of the text, a half-typed key can swallow the next line.
      if (range.start.line !== range.end.line) range = this.onLineOf(p, range);
      const text = this.chunk.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
      const path = hit.on === 'key' && r[1] - r[0] !== text.length ? [...hit.path.slice(0, -1), text] : hit.path;
      const at: PathAt = { path, on: hit.on, text, range, fresh: false, node: hit.node };
      const last = hit.path[hit.path.length - 1];
      if (hit.on === 'value' && typeof last === 'string' && isScalar(hit.node) && hit.node.type === 'PLAIN' && range.start.line === p.line
        && range.end.line === p.line && this.lineText(p.line).slice(0, range.start.character).trim() === '') {
        at.asKey = { path: [...hit.path, text], on: 'key', text, range, fresh: false };
      }
      return at;
    }
    const inFlow = this.pathInFlow(offset);
    if (inFlow) return inFlow;
    return this.pathByIndent(p);
  }

  /**
   * The cursor between the entries of a flow collection (`{name: c, |}`, `{imagePullPolicy: |}`, `[a, |]`):
   * only the word being typed is replaced, never the collection around it.
   */
  private pathInFlow(offset: number): PathAt | undefined {
    const flow = innermostFlow(this.yaml?.contents, offset, [], this.chunk.text);
    if (!flow) return undefined;
    const text = this.chunk.text;
    let from = offset;
    while (from > flow.node.range![0] + 1 && /[\w.\/-]/.test(text[from - 1])) from--;
    const word = text.slice(from, offset);
    const at = (path: FieldPath, on: 'key' | 'value'): PathAt => ({
      path, on, text: word, range: { start: this.pos(from), end: this.pos(offset) }, fresh: true, flow: true,
    });
    if (isMap(flow.node)) {
      for (const pair of flow.node.items as Pair[]) {
        const k = pair.key as YNode | null;
        if (!k?.range || k.range[1] > from) continue;
        if (/^\s*:\s*$/.test(text.slice(k.range[1], from))) return at([...flow.path, keyName(k) ?? ''], 'value');
      }
      return at([...flow.path, word], 'key');
    }
    const items = (flow.node as { items: (YNode | null)[] }).items;
    let index = 0;
    while (index < items.length && (items[index]?.range?.[1] ?? Infinity) < from) index++;
    return at([...flow.path, index], 'value');
  }

  /** The part of `range` on the cursor's line, up to the end of the word at the cursor. */
  private onLineOf(p: Position, range: Range): Range {
    const line = this.lineText(p.line);
    const start = range.start.line === p.line ? range.start.character : line.length - line.trimStart().length;
    let end = Math.min(p.character, line.length);
    while (end < line.length && !/[\s"']/.test(line[end])) end++;
    return { start: { line: p.line, character: Math.min(start, p.character) }, end: { line: p.line, character: Math.max(end, p.character) } };
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
/**
 * The innermost `{…}` or `[…]` whose brackets hold `offset`, with its path. A collection not closed yet (the
 * user is typing it at the end of the text) holds its end too.
 */
function innermostFlow(node: unknown, offset: number, path: FieldPath, text: string): { node: YNode; path: FieldPath } | undefined {
  if (!isMap(node) && !isSeq(node)) return undefined;
  const n = node as YNode & { flow?: boolean };
  const r = n.range;
  if (!r) return undefined;
  const holds = (x: YNode) => !!x.range && x.range[0] < offset && offset <= x.range[1];
  if (isMap(node)) {
    for (const pair of node.items as Pair[]) {
      const v = pair.value as YNode | null;
      if (v && holds(v)) {
        const inner = innermostFlow(v, offset, [...path, keyName(pair.key as YNode | null) ?? ''], text);
        if (inner) return inner;
      }
    }
  } else {
    const items = node.items as (YNode | null)[];
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it && holds(it)) {
        const inner = innermostFlow(it, offset, [...path, i], text);
        if (inner) return inner;
      }
    }
  }
  if (!n.flow || !(r[0] < offset)) return undefined;
  const closed = text[r[1] - 1] === (isMap(node) ? '}' : ']');
  return offset < r[1] || (!closed && offset === r[1]) ? { node: n, path } : undefined;
}

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

/**
 * A string that does not share memory with the one given. V8 flattens a
 * concatenation into fresh memory before slicing it, so the slice below
 * points into a string of the chunk's own size, not into the file's text.
 */
function ownCopy(s: string): string {
  return (' ' + s).slice(1);
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
