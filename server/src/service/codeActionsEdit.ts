/** Text-edit helpers for quick fixes: inserting a key into a block mapping at the right indentation. */
import type { FieldPath, ModelDocument, Range } from './model';

export interface TextEdit {
  range: Range;
  newText: string;
}

export function edits(): TextEdit[] {
  return [];
}

/** `k: v` lines at `indent`, each ending in a newline; values quoted when YAML would read them as non-strings. */
export function renderMap(m: Record<string, unknown>, indent: string): string {
  return Object.entries(m).map(([k, v]) => `${indent}${k}: ${yamlScalar(String(v))}\n`).join('');
}

/** A string as a YAML scalar: plain where YAML (1.1 too, as Kubernetes reads it) takes it back as that string, else quoted. */
export function yamlScalar(s: string): string {
  if (s === '' || /^(true|false|null|~|yes|no|on|off|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(s) || /[:#{}[\],&*!|>'"%@`]/.test(s) || s.trim() !== s) return JSON.stringify(s);
  return s;
}

/**
 * An edit adding one entry (possibly several lines) to the block mapping at
 * `mapPath`, after its last entry, indented like its first key. `render`
 * gets that indentation and returns the entry text (first line unindented,
 * following lines already indented). With `first`, the entry goes before the
 * first key instead. Undefined when the mapping is missing,
 * empty or written in flow style.
 */
export function insertIntoMap(doc: ModelDocument, mapPath: FieldPath, render: (indent: string) => string, first = false): TextEdit | undefined {
  const value = valueAt(doc, mapPath);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (!keys.length) return undefined;
  const firstKey = doc.rangeOfPath([...mapPath, keys[0]], 'key');
  if (!firstKey) return undefined;
  const firstLine = doc.lineText(firstKey.start.line);
  if (/[{]/.test(firstLine.slice(0, firstKey.start.character))) return undefined; // flow mapping
  const indent = ' '.repeat(firstKey.start.character);
  if (first && firstLine.slice(0, firstKey.start.character).trim() === '') {
    const at = { line: firstKey.start.line, character: 0 };
    return { range: { start: at, end: at }, newText: indent + render(indent) + '\n' };
  }
  const lastPath = [...mapPath, keys[keys.length - 1]];
  const lastVal = doc.rangeOfPath(lastPath, 'value') ?? doc.rangeOfPath(lastPath, 'key');
  if (!lastVal) return undefined;
  const text = indent + render(indent);
  // Block values end at the start of the next line; scalars end mid-line.
  if (lastVal.end.character === 0) return { range: { start: lastVal.end, end: lastVal.end }, newText: text + '\n' };
  const eol = { line: lastVal.end.line, character: doc.lineText(lastVal.end.line).length };
  return { range: { start: eol, end: eol }, newText: '\n' + text };
}

function valueAt(doc: ModelDocument, path: FieldPath): unknown {
  let cur: unknown = doc.value;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}
