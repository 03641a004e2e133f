/**
 * Block structure of single lines, read without a YAML parser.
 *
 * The parser gives exact answers for text that is already YAML, but the
 * cursor usually sits where the text is not YAML yet: a fresh line, a `- `
 * with nothing after it, a key without its colon. There the owner of the
 * cursor is found the way a reader finds it: by indentation, walking up.
 */

export type FieldPath = (string | number)[];

export interface LineShape {
  /** Column of the first non-space character (line length when blank). */
  indent: number;
  /** Empty, whitespace only, or a comment. */
  blank: boolean;
  /** Columns of leading `- ` sequence indicators, left to right. */
  dashes: number[];
  /** A `key:` on the line, after the dashes. */
  key?: { col: number; end: number; name: string; colon: number };
  /** Text after the colon (or after the dashes when there is no key), comment stripped. */
  value?: { col: number; end: number; text: string };
  /** `---` or `...` at column 0. */
  marker: boolean;
}

const KEY =
  /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;

export function shapeOf(line: string): LineShape {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const marker = /^(---|\.\.\.)(\s|$)/.test(line);
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  const indent = i;
  const shape: LineShape = { indent, blank: false, dashes: [], marker };
  if (marker || i >= line.length || line[i] === '#') {
    shape.blank = !marker;
    return shape;
  }
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    shape.dashes.push(i);
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  const rest = line.slice(i);
  const m = KEY.exec(rest);
  let valueStart = i;
  if (m) {
    const raw = m[1];
    shape.key = { col: i, end: i + raw.length, name: unquote(raw), colon: i + m[0].length - 1 };
    valueStart = i + m[0].length;
    while (line[valueStart] === ' ' || line[valueStart] === '\t') valueStart++;
  }
  if (valueStart < line.length) {
    const text = stripComment(line.slice(valueStart));
    if (text.length > 0) shape.value = { col: valueStart, end: valueStart + text.length, text };
  }
  return shape;
}

function unquote(raw: string): string {
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw.trimEnd();
}

function stripComment(s: string): string {
  if (s.startsWith('"') || s.startsWith("'")) return s.trimEnd();
  const hash = s.search(/(^|\s)#/);
  return (hash < 0 ? s : s.slice(0, hash)).trimEnd();
}

/** A value that opens a nested block (or none): the key owns the lines below it. */
function opensBlock(shape: LineShape): boolean {
  if (!shape.value) return true;
  const t = shape.value.text;
  return /^(&\S+|!\S*)$/.test(t);
}


/**
 * Path of the collection that a slot at `col` on line `line` belongs to.
 * `kind: 'map'` means a key at `col`; the caller adds the key itself.
 * Lines are read through `lineAt` from `line` up to `first` (the document's
 * first line); the slot's own line only contributes its dashes left of `col`.
 */
export function containerPath(lineAt: (n: number) => string, line: number, col: number, first: number): FieldPath {
  const segs: FieldPath = [];
  // The collection we are in: keys at `col`, or `- ` items at `col` (`index` = items counted above ours).
  const state = { kind: 'map' as 'map' | 'seq', col, index: 0 };
  const own = (kind: 'key' | 'dash', at: number, name?: string) => {
    if (state.kind === 'seq') segs.push(state.index);
    if (kind === 'key') segs.push(name!);
    state.kind = kind === 'key' ? 'map' : 'seq';
    state.col = at;
    state.index = 0;
  };
  const leftDashes = (shape: LineShape) => {
    for (let d = shape.dashes.length - 1; d >= 0; d--) if (shape.dashes[d] < state.col) own('dash', shape.dashes[d]);
  };
  leftDashes(shapeOf(lineAt(line)));
  for (let n = line - 1; n >= first && !(state.kind === 'map' && state.col === 0); n--) {
    const shape = shapeOf(lineAt(n));
    if (shape.marker) break;
    if (shape.blank || shape.indent > state.col) continue;
    const dashAt = shape.dashes.indexOf(state.col);
    const keyAt = shape.key && shape.key.col === state.col ? shape.key : undefined;
    if (state.kind === 'map' && keyAt) {
      leftDashes(shape);
      continue;
    }
    if (state.kind === 'seq' && dashAt >= 0) {
      state.index++;
      leftDashes(shape);
      continue;
    }
    if (state.kind === 'seq' && keyAt) {
      if (!opensBlock(shape)) break;
      own('key', keyAt.col, keyAt.name);
      leftDashes(shape);
      continue;
    }
    if (shape.indent === state.col) continue; // a scalar or dash at our column that belongs elsewhere
    // The owner is the last entry left of our column.
    const key = shape.key && shape.key.col < state.col ? shape.key : undefined;
    const dashes = shape.dashes.filter((d) => d < state.col);
    if (key) own('key', key.col, key.name);
    else if (dashes.length) own('dash', dashes.pop()!);
    else break;
    leftDashes(shape);
  }
  if (state.kind === 'seq') segs.push(state.index);
  return segs.reverse();
}
