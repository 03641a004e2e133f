/**
 * Where a field path is in plain block YAML, found by indentation alone: the
 * checks across files can say something of every Service of a 100,000-resource
 * stream (a selector nothing matches), and parsing each such document again
 * with `yaml` (~100 µs) would cost seconds. It answers as validateCheck's
 * `locate` does (a key's first character, or its value's), and gives up
 * (undefined) on anything it is not sure of: flow collections, quotes,
 * anchors, tags, tabs, an empty value. The caller then asks `locate`.
 */
import type { FieldPath } from '../../kube/src/rules/types';

/** The first content column of a line at or after `from`, or -1 for a blank or comment-only line. */
function contentAt(line: string, from = 0): number {
  let c = from;
  while (c < line.length && line.charCodeAt(c) === 32) c++;
  return c >= line.length || line[c] === '#' ? -1 : c;
}

/** The first content line in [from, to) (starting at column `col` on line `from`), skipping a `---` marker. */
function firstContent(lines: string[], from: number, to: number, col: number): { line: number; col: number } | undefined {
  for (let l = from; l < to; l++) {
    const t = lines[l];
    if (t.includes('\t')) return undefined;
    if (l === from && col > 0) {
      const c = contentAt(t, col);
      if (c >= 0) return { line: l, col: c };
      continue;
    }
    if (t.startsWith('---') || t.startsWith('%')) {
      if (contentAt(t, 3) >= 0) return undefined; // `--- value`: content on the marker line
      continue;
    }
    const c = contentAt(t);
    if (c >= 0) return { line: l, col: c };
  }
  return undefined;
}

/** Whether what starts at `col` is something only the parser reads for sure: a flow collection, quotes, an anchor, an alias, a tag, a complex key, a block scalar. */
function unsure(text: string, col: number): boolean {
  switch (text.charCodeAt(col)) {
    case 91: case 123: case 34: case 39: case 38: case 42: case 33: case 63: case 124: case 62: return true; // [ { " ' & * ! ? | >
    default: return false;
  }
}

/** A sequence entry's dash (`-` then a space or the end of the line) at `col`. */
function dashAt(text: string, col: number): boolean {
  return text.charCodeAt(col) === 45 && (col + 1 === text.length || text.charCodeAt(col + 1) === 32);
}

/** 1-based line and column of `path` (its key, or its value) in lines [start, end), or undefined. */
export function fastLocate(lines: string[], start: number, end: number, path: FieldPath, target: 'key' | 'value'): { line: number; column: number } | undefined {
  let from = start;
  let to = end;
  let col = 0;
  let key: { line: number; col: number } | undefined;
  for (const seg of path) {
    const node = firstContent(lines, from, to, col);
    if (!node) return undefined;
    const text = lines[node.line];
    if (unsure(text, node.col)) return undefined;
    if (typeof seg === 'number') {
      if (!dashAt(text, node.col)) return undefined;
      const dash = node.col;
      let n = -1;
      let at = -1;
      let next = to;
      for (let l = node.line; l < to; l++) {
        const c = l === node.line ? node.col : contentAt(lines[l]);
        if (c < 0) continue;
        if (c < dash || (c === dash && lines[l][c] !== '-')) { next = l; break; }
        if (c === dash && at >= 0) { next = l; break; }
        if (c === dash && ++n === seg) at = l;
      }
      if (at < 0) return undefined;
      const item = contentAt(lines[at], dash + 1);
      if (item < 0) return undefined; // `-` alone, the item below it: left to the parser
      if (unsure(lines[at], item)) return undefined;
      key = { line: at, col: item };
      from = at;
      to = next;
      col = item;
    } else {
      const mc = node.col;
      let at = -1;
      for (let l = node.line; l < to; l++) {
        const c = l === node.line ? node.col : contentAt(lines[l]);
        if (c < 0) continue;
        if (c < mc) break;
        if (c > mc) continue;
        const t = lines[l];
        if (t.startsWith(`${seg}:`, c) && (t.length === c + seg.length + 1 || t[c + seg.length + 1] === ' ')) { at = l; break; }
        if (t[c] === '-' && l === node.line) return undefined; // a list where a mapping was expected
      }
      if (at < 0) return undefined;
      key = { line: at, col: mc };
      const inline = contentAt(lines[at], mc + seg.length + 1);
      if (inline >= 0) {
        from = at;
        to = at + 1;
        col = inline;
      } else {
        // The value's lines: deeper than the key, or a list at the key's own column.
        let next = to;
        for (let l = at + 1; l < to; l++) {
          const c = contentAt(lines[l]);
          if (c < 0) continue;
          if (c < mc || (c === mc && !dashAt(lines[l], c))) { next = l; break; }
        }
        from = at + 1;
        to = next;
        col = 0;
      }
    }
  }
  if (!key) return undefined;
  if (target === 'key' && typeof path[path.length - 1] === 'string') return { line: key.line + 1, column: key.col + 1 };
  const value = firstContent(lines, from, to, col);
  if (!value || unsure(lines[value.line], value.col)) return undefined;
  return { line: value.line + 1, column: value.col + 1 };
}
