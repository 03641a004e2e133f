/**
 * A fast loader for the plain block YAML that manifests are written in, so
 * `kubeplay validate` can check 100,000 resources in a few seconds: the `yaml`
 * package spends ~100 µs per small document building a CST and a node tree
 * with positions we only need for the rare invalid document.
 *
 * The fast path understands block mappings and sequences, plain and quoted
 * single-line scalars, literal/folded block scalars, comments and flat flow
 * collections of scalars. Anything else (anchors, tags, multi-line plain or
 * quoted scalars, complex keys, duplicate keys, odd indentation, tabs) makes
 * it give up on that document, and the caller parses it with `yaml`, which
 * also produces the proper error messages. Scalars resolve as `yaml`'s
 * default YAML 1.2 core schema does, so both paths give the same values.
 */

import { badPlainStart, closingQuote, GIVE_UP, parseInlineValue, parseQuoted, Unsupported } from './validateYamlScalars';

export { resolvePlain } from './validateYamlScalars';


export interface StreamDoc {
  /** 0-based line of the document's first line in the stream. */
  startLine: number;
  /** Line index (in `lines`) where the document's content ends (exclusive). */
  endLine: number;
}

/** Cuts a stream into documents at `---` lines (and after `...`). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

export function documentRanges(lines: string[]): StreamDoc[] {
  const docs: StreamDoc[] = [];
  let start = 0;
  let ended = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(0) === 45 && l.startsWith('---') && (l.length === 3 || l[3] === ' ' || l[3] === '\t')) {
      if (i > start || ended) docs.push({ startLine: start, endLine: i });
      start = i;
      ended = false;
    } else if (l === '...' || l.startsWith('... ')) {
      docs.push({ startLine: start, endLine: i + 1 });
      start = i + 1;
      ended = true;
    }
  }
  if (start < lines.length) docs.push({ startLine: start, endLine: lines.length });
  return docs;
}

interface Line {
  /** Spaces before the content; -1 for blank and comment-only lines. */
  indent: number;
  /** Content after the indentation, comments not yet stripped. */
  text: string;
  /** The whole line (block scalars read comment-looking lines as content). */
  raw: string;
}

/**
 * Parses lines [from, to) as one document. Returns `undefined` when the
 * document is outside the fast subset; `null` for an empty document.
 */
export function fastParse(lines: string[], from: number, to: number): unknown | undefined {
  const items: Line[] = [];
  for (let i = from; i < to; i++) {
    const raw = lines[i];
    let n = 0;
    while (n < raw.length && raw.charCodeAt(n) === 32) n++;
    if (n === raw.length) { items.push({ indent: -1, text: '', raw }); continue; }
    const c = raw.charCodeAt(n);
    if (c === 35 /* # */) { items.push({ indent: -1, text: '#', raw }); continue; }
    if (c === 9 /* tab */ || (c === 37 /* % */ && n === 0)) return undefined;
    if (n === 0 && c === 45 && raw.startsWith('---')) {
      const rest = raw.slice(3).trim();
      if (rest === '' || rest.startsWith('#')) { items.push({ indent: -1, text: '', raw: '' }); continue; }
      return undefined;
    }
    if (n === 0 && (raw === '...' || raw.startsWith('... '))) { items.push({ indent: -1, text: '', raw: '' }); continue; }
    items.push({ indent: n, text: raw.slice(n), raw });
  }
  try {
    const p = new FastParser(items);
    p.skipBlank();
    if (p.i >= items.length) return null;
    const v = p.block(items[p.i].indent);
    p.skipBlank();
    if (p.i < items.length) return undefined;
    return v;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

class FastParser {
  i = 0;
  constructor(private readonly lines: Line[]) {}

  skipBlank(): void {
    while (this.i < this.lines.length && this.lines[this.i].indent < 0) this.i++;
  }

  /** A block node whose lines start at `indent`. */
  block(indent: number): unknown {
    const l = this.lines[this.i];
    if (isSeqEntry(l.text)) return this.seq(indent);
    if (findMapColon(l.text) < 0) {
      if (l.text.includes('\t')) throw GIVE_UP;
      // A lone scalar or flow collection on its own line (`securityContext:\n  {}`).
      this.i++;
      return this.scalarValue(l.text, indent - 1);
    }
    return this.map(indent, undefined);
  }

  seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skipBlank();
      const l = this.lines[this.i];
      if (!l || l.indent < indent) return out;
      if (l.indent > indent) throw GIVE_UP;
      if (!isSeqEntry(l.text)) return out; // `key:\n- a\nnext:`: the parent mapping goes on
      if (l.text.includes('\t')) throw GIVE_UP; // tabs as separators: let `yaml` decide
      // What follows `-` and its spaces, cut once.
      const text = l.text;
      let k = 1;
      while (k < text.length && text.charCodeAt(k) === 32) k++;
      const rest = text.slice(k);
      const col = indent + k;
      if (rest === '' || rest[0] === '#') {
        this.i++;
        out.push(this.nested(indent, true));
      } else if (isSeqEntry(rest)) {
        throw GIVE_UP; // `- - x`
      } else if ((rest[0] === '|' || rest[0] === '>') && /^[|>][-+]?(\s+#.*)?\s*$/.test(rest)) {
        this.i++;
        out.push(this.blockScalar(rest, indent));
      } else if (findMapColon(rest) >= 0) {
        // `- key: value` opens a mapping whose keys sit at `col`.
        out.push(this.map(col, rest));
      } else {
        this.i++;
        out.push(this.scalarValue(rest, indent));
      }
    }
  }

  /**
   * A mapping at `indent`. `first` is the text of its first entry when it
   * begins after a `- ` (the line itself is the current one).
   */
  map(indent: number, first: string | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let firstText = first;
    for (;;) {
      let text: string;
      if (firstText !== undefined) {
        text = firstText;
        firstText = undefined;
      } else {
        this.skipBlank();
        const l = this.lines[this.i];
        if (!l || l.indent < indent) return out;
        if (l.indent > indent) throw GIVE_UP;
        text = l.text;
        if (text.includes('\t')) throw GIVE_UP;
        if (isSeqEntry(text)) {
          return out; // a sibling sequence entry at the parent's level ends this mapping
        }
      }
      const colon = findMapColon(text);
      if (colon < 0) throw GIVE_UP;
      const key = parseKey(text.slice(0, colon));
      if (Object.prototype.hasOwnProperty.call(out, key)) throw GIVE_UP; // duplicate: let `yaml` report it
      // The value after the colon and its spaces, cut once.
      let k = colon + 1;
      while (k < text.length && text.charCodeAt(k) === 32) k++;
      const rest = text.slice(k);
      this.i++;
      if (rest === '' || rest[0] === '#') {
        out[key] = this.nested(indent, false);
      } else if ((rest[0] === '|' || rest[0] === '>') && /^[|>][-+]?(\s+#.*)?\s*$/.test(rest)) {
        out[key] = this.blockScalar(rest, indent);
      } else {
        out[key] = this.scalarValue(rest, indent);
      }
    }
  }

  /** The value of `key:` / `-` with nothing after it: a nested block, or null. */
  private nested(indent: number, inSeq: boolean): unknown {
    this.skipBlank();
    const l = this.lines[this.i];
    if (!l) return null;
    if (l.indent > indent) return this.block(l.indent);
    // `key:` followed by `- x` at the same indentation is a sequence value.
    if (!inSeq && l.indent === indent && isSeqEntry(l.text)) return this.seq(indent);
    return null;
  }

  /** A scalar (or flat flow collection) after `key: ` or `- `; its line is already consumed. */
  private scalarValue(text: string, indent: number): unknown {
    const v = parseInlineValue(text);
    // A deeper line right after a scalar would continue it (multi-line plain scalar) or be an error.
    const save = this.i;
    this.skipBlank();
    const next = this.lines[this.i];
    this.i = save;
    if (next && next.indent > indent) throw GIVE_UP;
    return v;
  }

  private blockScalar(header: string, indent: number): string {
    const style = header[0];
    const chomp = header[1] === '-' ? 'strip' : header[1] === '+' ? 'keep' : 'clip';
    if (chomp === 'keep') throw GIVE_UP; // trailing blank lines are rare; let `yaml` count them
    const parts: string[] = [];
    let contentIndent = -1;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      const raw = l.raw;
      if (l.indent < 0 && l.text === '') {
        if (contentIndent >= 0 && raw.length > contentIndent) throw GIVE_UP;
        parts.push('');
        this.i++;
        continue;
      }
      let ind = 0;
      while (ind < raw.length && raw.charCodeAt(ind) === 32) ind++;
      if (ind <= indent) break;
      if (contentIndent < 0) contentIndent = ind;
      if (ind < contentIndent) throw GIVE_UP;
      parts.push(raw.slice(contentIndent));
      this.i++;
    }
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    if (!parts.length) return '';
    const body = style === '|' ? parts.join('\n') : fold(parts);
    return chomp === 'strip' ? body : body + '\n';
  }
}

/** Folded scalar (`>`): lines join with spaces, blank lines become newlines, more-indented lines keep theirs. */
function fold(parts: string[]): string {
  let out = '';
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (k === 0) { out = p; continue; }
    const prev = parts[k - 1];
    if (p === '') out += '\n';
    else if (prev === '') out += p;
    else if (p[0] === ' ' || prev[0] === ' ') out += '\n' + p;
    else out += ' ' + p;
  }
  return out;
}

function isSeqEntry(text: string): boolean {
  return text.charCodeAt(0) === 45 && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** Index of the `:` that ends a block mapping key, or -1. Quoted keys are skipped over. */
function findMapColon(text: string): number {
  let k = 0;
  const c0 = text[0];
  if (c0 === '"' || c0 === "'") {
    k = closingQuote(text, 0);
    if (k < 0) return -1;
    k++;
    while (k < text.length && text[k] === ' ') k++;
    return text[k] === ':' && (k + 1 === text.length || text[k + 1] === ' ') ? k : -1;
  }
  if (c0 === '{' || c0 === '[' || c0 === '?' || c0 === '&' || c0 === '*' || c0 === '!' || c0 === '|' || c0 === '>') return -1;
  for (;;) {
    k = text.indexOf(':', k);
    if (k < 0) return -1;
    if (k + 1 === text.length || text[k + 1] === ' ') {
      // A ` #` before the colon means the colon is inside a comment.
      const hash = text.indexOf(' #');
      return hash >= 0 && hash < k ? -1 : k;
    }
    k++;
  }
}

function parseKey(raw: string): string {
  const t = raw.trimEnd();
  if (t[0] === '"' || t[0] === "'") {
    const v = parseQuoted(t, 0);
    if (v.end !== t.length) throw GIVE_UP;
    return v.value;
  }
  if (t === '' || badPlainStart(t) || t.includes(' #')) throw GIVE_UP;
  return t;
}

