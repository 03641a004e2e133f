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
import { Chunk, ModelDocument, type KindLookup, type KubeObject, type PathAt, type Position } from './document';

export { Chunk, ModelDocument } from './document';
export type { FieldPath, KindLookup, KubeObject, PathAt, Position, Range, YamlProblem } from './document';

/**
 * A `---` piece of the text at one version: its parsed chunk, where it starts,
 * and its documents. Shared by successive models while the piece neither
 * changes nor moves, so an edit allocates only for the pieces it touched.
 */
export interface Piece {
  readonly chunk: Chunk;
  readonly start: number;
  readonly startLine: number;
  readonly docs: ModelDocument[];
}

/**
 * What a version shares with the one it was built from: documents
 * `[0, front)` and, when `backOld` is below the old count, the old documents
 * from `backOld` on, which are the new ones from `backNew` on (same objects,
 * same lines). Derived data (the workspace index) is spliced from it instead
 * of walking every document again; it is cached per `documents` array, which
 * is one per version. Only the old version's documents array is held, not the
 * old version (whose text is a copy of the whole file), and it is dropped when
 * the next version is built, so no chain of old versions is kept alive.
 */
export interface Reuse {
  /** The old version's `documents`. */
  prev: readonly ModelDocument[];
  front: number;
  backOld: number;
  backNew: number;
}

/** All documents of one text at one version. */
export class Model {
  private _starts?: number[];
  readonly documents: ModelDocument[];
  /** @internal see Reuse. */
  reuse?: Reuse;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    /** @internal the pieces, in order; the next version's build starts from them. */
    readonly pieces: readonly Piece[],
    documents?: ModelDocument[],
  ) {
    if (documents) this.documents = documents;
    else {
      this.documents = [];
      for (const p of pieces) for (const d of p.docs) this.documents.push(d);
    }
  }

  /** Absolute offset where each document's chunk starts (only offset conversions need it). */
  private get starts(): number[] {
    if (!this._starts) {
      const starts: number[] = [];
      for (const p of this.pieces) for (let i = 0; i < p.docs.length; i++) starts.push(p.start);
      this._starts = starts;
    }
    return this._starts;
  }

  /** The document holding an absolute line (the last one for lines past the end). */
  documentAt(p: Position | number): ModelDocument | undefined {
    const i = this.indexAtLine(typeof p === 'number' ? p : p.line);
    return i < 0 ? undefined : this.documents[i];
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

  /** Index of the document holding `line` (binary search: hover and completion call this on every request). */
  private indexAtLine(line: number): number {
    const docs = this.documents;
    let lo = 0;
    let hi = docs.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (docs[mid].startLine <= line) lo = mid;
      else hi = mid - 1;
    }
    // Several documents in one chunk (after `...`): pick by range.
    while (lo + 1 < docs.length && docs[lo + 1].chunk === docs[lo].chunk && docs[lo + 1].range.start.line <= line) lo++;
    return lo;
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
  if (prev) for (const p of prev.pieces) oldChunks.set(p.chunk.text, p.chunk);
  const pieces: Piece[] = [];
  let line = 0;
  for (const piece of splitDocuments(text)) {
    const chunk = oldChunks.get(piece.text) ?? new Chunk(piece.text);
    line = addPiece(pieces, chunk, piece.start, line, kinds);
  }
  return new Model(uri, version, text, pieces);
}

/** Append a piece at `start`/`line`, keeping the documents of `old` when they stay on the same line. */
function addPiece(pieces: Piece[], chunk: Chunk, start: number, line: number, kinds: KindLookup, old?: Piece): number {
  if (old && old.chunk === chunk && old.start === start && old.startLine === line) {
    pieces.push(old);
  } else {
    const n = Math.max(1, chunk.docs.length);
    const docs: ModelDocument[] = [];
    for (let i = 0; i < n; i++) {
      const d = old?.docs[i];
      docs.push(d && d.startLine === line ? d : new ModelDocument(chunk, i, line, kinds));
    }
    pieces.push({ chunk, start, startLine: line, docs });
  }
  return line + chunk.newlines;
}

function isMarkerAt(text: string, p: number): boolean {
  if (!text.startsWith('---', p)) return false;
  const c = text[p + 3];
  return c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/**
 * Length of the common prefix of `a` and `b`. Compares blocks that halve on
 * a mismatch, so the 2 MB of a big file cost a few dozen flat memory compares
 * instead of one compare per document.
 */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  let len = n;
  while (len > 0 && lo < n) {
    if (lo + len <= n && a.substr(lo, len) === b.substr(lo, len)) lo += len;
    else len >>= 1;
  }
  return lo;
}

/** Length of the common suffix of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let lo = 0;
  let len = max;
  while (len > 0 && lo < max) {
    if (lo + len <= max && a.substr(a.length - lo - len, len) === b.substr(b.length - lo - len, len)) lo += len;
    else len >>= 1;
  }
  return lo;
}

/** The first piece index for which `past` holds (it must hold for all later ones too); `P.length` if none. */
function firstPiece(P: readonly Piece[], past: (k: number) => boolean): number {
  let lo = 0;
  let hi = P.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A piece may start at `p`: the text start, or a `---` line. */
function isStart(text: string, p: number): boolean {
  return p === 0 || p === text.length || (text[p - 1] === '\n' && isMarkerAt(text, p));
}

/**
 * The common case after an edit: the pieces before and after the edit are
 * unchanged, byte for byte, at the same (or shifted) place. The common head
 * and tail of the old and new text say which; only the middle is cut and
 * parsed, and pieces that neither changed nor moved are handed on as they are.
 */
function spliced(uri: string, version: number, text: string, kinds: KindLookup, prev: Model): Model | undefined {
  const P = prev.pieces;
  const n = P.length;
  const delta = text.length - prev.text.length;
  const end = (k: number) => (k === 0 ? 0 : P[k - 1].start + P[k - 1].chunk.text.length);
  // Pieces wholly inside the common head are unchanged in place; pieces wholly inside the common tail moved by `delta`.
  const head = commonPrefix(prev.text, text);
  const tail = commonSuffix(prev.text, text, Math.min(prev.text.length, text.length) - head);
  let f = firstPiece(P, (k) => end(k + 1) > head);
  while (f > 0 && !isStart(text, end(f))) f--;
  let b = firstPiece(P, (k) => P[k].start >= prev.text.length - tail);
  if (b < f) b = f;
  while (b < n && !isStart(text, P[b].start + delta)) b++;
  if (f === 0 && b === n) return undefined;
  const mStart = end(f);
  const mEnd = b < n ? P[b].start + delta : text.length;
  if (mEnd < mStart) return undefined;
  const pieces: Piece[] = P.slice(0, f);
  const middleFrom = f;
  let line = f > 0 ? P[f - 1].startLine + P[f - 1].chunk.newlines : 0;
  if (mEnd > mStart) {
    const old = new Map<string, Chunk>();
    for (let k = f; k < b; k++) old.set(P[k].chunk.text, P[k].chunk);
    for (const piece of splitDocuments(text.slice(mStart, mEnd))) {
      if (!piece.text) continue;
      line = addPiece(pieces, old.get(piece.text) ?? new Chunk(piece.text), mStart + piece.start, line, kinds);
    }
  }
  const middleTo = pieces.length;
  const shifted = b < n && line !== P[b].startLine;
  for (let k = b; k < n; k++) line = addPiece(pieces, P[k].chunk, P[k].start + delta, line, kinds, P[k]);
  // Documents: the old front and (when nothing moved to another line) the old back, around the new middle.
  const pd = prev.documents;
  const front = f < n ? firstDocAtLine(pd, P[f].startLine) : pd.length;
  const backOld = b < n && !shifted ? firstDocAtLine(pd, P[b].startLine) : pd.length;
  const middle: ModelDocument[] = [];
  for (let k = middleFrom; k < middleTo; k++) for (const d of pieces[k].docs) middle.push(d);
  let documents = pd.slice(0, front).concat(middle);
  const backNew = documents.length;
  if (backOld < pd.length) documents = documents.concat(pd.slice(backOld));
  else for (let k = middleTo; k < pieces.length; k++) for (const d of pieces[k].docs) documents.push(d);
  const model = new Model(uri, version, text, pieces, documents);
  prev.reuse = undefined;
  if (prev.uri === uri) model.reuse = { prev: prev.documents, front, backOld, backNew };
  return model;
}

/** Index of the first document starting on or after `line` (documents are in line order). */
function firstDocAtLine(docs: readonly ModelDocument[], line: number): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid].startLine >= line) hi = mid;
    else lo = mid + 1;
  }
  return lo;
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
