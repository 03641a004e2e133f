/**
 * Two readings of a document that does not parse, made from its lines (lines.ts) as a reader makes them:
 *
 * - a key indented to no column of its mapping (`name: p` ⏎ `   labels:`). The parser reports it as a nested
 *   mapping on the line above, or as a sequence item without `-`; the hint names the line and the columns.
 * - a Go or Helm template (`{{ .Release.Name }}`, `{{- include … }}`), which is no YAML until it is rendered.
 *
 * Both run only for a document with YAML errors (or, for templates, only when the text holds `{{`), so an edit
 * in a valid document pays nothing for them.
 */
import { containerPath, shapeOf, type FieldPath } from './lines';
import type { ModelDocument } from './model';

export interface Misindent {
  /** The misindented line, its key (or `-`) and its column. */
  line: number;
  key: string;
  col: number;
  /** The column it should have: its siblings'. */
  want: number;
  /** Where the siblings live, for the message: `"metadata"`, `this "containers" item`, or undefined at the top. */
  owner?: string;
  /** The entry line above it (the parser's error is usually reported there). */
  above: number;
  /** Last line of its block (its own nested lines move with it). */
  blockEnd: number;
  /** Last line of the collection it belongs to: the parser's complaints up to there come from this line. */
  scopeEnd: number;
}

const BLOCK_SCALAR = /^[|>][-+0-9]*\s*(#.*)?$/;

/** How many `[` and `{` a line leaves open (quotes skipped). */
function flowDepth(text: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || text[i - 1] === ' ')) break;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
  }
  return depth;
}

/**
 * The first line whose key (or `-`) sits at no column of the entries around it: deeper than a sibling that holds
 * a value, or between two levels. Lines inside block scalars, multi-line flow collections and plain continuations
 * are skipped.
 */
export function misindentedLine(doc: ModelDocument): Misindent | undefined {
  const first = doc.range.start.line;
  const last = doc.range.end.line;
  // The open columns, outermost first, each with what stands there: a key (a mapping's entries), a `-` (a
  // list's items), or both (a list written at its key's column). `- name: web` opens two: the item's `-` and the
  // column of its keys, so a key under it belongs at the second, never at the first.
  const stack: Array<{ col: number; key: boolean; dash: boolean }> = [];
  let opens = false;
  let skipDeeper = -1;
  let flow = 0;
  let above = first;
  for (let n = first; n <= last; n++) {
    const text = doc.lineText(n);
    const shape = shapeOf(text);
    if (shape.marker) {
      stack.length = 0;
      opens = false;
      continue;
    }
    if (shape.blank) continue;
    if (skipDeeper >= 0) {
      if (shape.indent > skipDeeper) continue;
      skipDeeper = -1;
    }
    if (flow > 0) {
      flow += flowDepth(text);
      continue;
    }
    if (!shape.key && !shape.dashes.length) continue;
    const c = shape.indent;
    const isDash = shape.dashes.length > 0 && shape.dashes[0] === c;
    const top = stack.length ? stack[stack.length - 1] : undefined;
    let want: number | undefined;
    if (!top || c > top.col) {
      if (opens || !top) stack.push({ col: c, key: !isDash, dash: isDash });
      else want = top.col;
    } else {
      let popped: number | undefined;
      while (stack.length && stack[stack.length - 1].col > c) popped = stack.pop()!.col;
      const at = stack[stack.length - 1];
      if (!at || at.col !== c) want = popped ?? c;
      else if (isDash) at.dash = true;
      // A key at a column where only `-` stood (`- name: web` ⏎ `image: x` under the dash): its siblings are the
      // item's keys, one level in.
      else if (!at.key) want = popped ?? c;
    }
    if (want !== undefined) {
      const key = isDash ? '-' : shape.key!.name;
      // What moves with it: the lines it holds, deeper than it and (when it sits left of its siblings) deeper than them.
      const holds = Math.max(c, want);
      // Where the parser's complaints about it end: the collection its siblings belong to.
      const outer = Math.min(c, want);
      let blockEnd = n;
      let scopeEnd = n;
      let inBlock = true;
      for (let m = n + 1; m <= last; m++) {
        const s = shapeOf(doc.lineText(m));
        if (s.marker) break;
        if (s.blank) continue;
        if (s.indent < outer) break;
        scopeEnd = m;
        if (inBlock && s.indent > holds) blockEnd = m;
        else inBlock = false;
      }
      return { line: n, key, col: c, want, owner: ownerOf(doc, n, want), above, blockEnd, scopeEnd };
    }
    // Entries opened on the same line: `- name: x` holds the item's column and its first key's.
    for (const d of shape.dashes) if (d > c) stack.push({ col: d, key: false, dash: true });
    if (shape.key && shape.key.col > c) stack.push({ col: shape.key.col, key: true, dash: false });
    const value = shape.value?.text;
    if (shape.key) opens = !value || /^(&\S+|!\S*)$/.test(value);
    else opens = !value;
    if (value && BLOCK_SCALAR.test(value)) skipDeeper = stack[stack.length - 1].col;
    else if (value && (value[0] === '[' || value[0] === '{')) flow = flowDepth(value);
    above = n;
  }
  return undefined;
}

function ownerOf(doc: ModelDocument, line: number, col: number): string | undefined {
  const path: FieldPath = containerPath((l) => doc.lineText(l), line, col, doc.range.start.line);
  const lastSeg = path[path.length - 1];
  if (lastSeg === undefined) return undefined;
  if (typeof lastSeg === 'number') return typeof path[path.length - 2] === 'string' ? `this "${String(path[path.length - 2])}" item` : 'this list item';
  return JSON.stringify(lastSeg);
}

/** The hint's words. */
export function misindentMessage(m: Misindent): string {
  const what = m.key === '-' ? 'This "-" item' : JSON.stringify(m.key);
  const spaces = (n: number) => `${n} space${n === 1 ? '' : 's'}`;
  const others = m.key === '-' ? 'the other items' : m.owner ? `the other keys of ${m.owner}` : 'the other top-level keys';
  return `${what} is indented ${spaces(m.col)}; ${others} are at ${m.want}. The entries of one mapping or list line up in one column, so YAML cannot read this line.`;
}

/**
 * A Go template action outside quotes and block scalars (`name: {{ .Release.Name }}-web`, `{{- if .Values.x }}`):
 * the range of the first one. A `{{ $labels.instance }}` inside a quoted string or a block scalar (a Prometheus
 * rule in a ConfigMap) is plain text and does not count.
 */
export function templateAction(doc: ModelDocument): { line: number; start: number; end: number } | undefined {
  return templateActionIn((n) => doc.lineText(n), doc.range.start.line, doc.range.end.line);
}

/** templateAction over any lines (`kubeplay validate` reads files without a model). */
export function templateActionIn(lineAt: (n: number) => string, first: number, last: number): { line: number; start: number; end: number } | undefined {
  let skipDeeper = -1;
  for (let n = first; n <= last; n++) {
    const text = lineAt(n);
    const shape = shapeOf(text);
    if (skipDeeper >= 0) {
      if (shape.blank || shape.indent > skipDeeper) continue;
      skipDeeper = -1;
    }
    const open = text.indexOf('{{');
    if (open >= 0) {
      const before = text.slice(0, open);
      const close = text.indexOf('}}', open + 2);
      if (close > open && !/["']/.test(before) && !/(^|\s)#/.test(before)) return { line: n, start: open, end: close + 2 };
    }
    const value = shape.value?.text;
    if (value && BLOCK_SCALAR.test(value)) skipDeeper = shape.key ? shape.key.col : shape.indent;
  }
  return undefined;
}
