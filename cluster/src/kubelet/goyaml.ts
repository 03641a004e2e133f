/**
 * YAML as kubectl writes it (`-o yaml`): sigs.k8s.io/yaml over go-yaml v2,
 * for JSON data. Keys sorted (Go marshals maps so); sequences not indented
 * under their key; a string that YAML 1.1 would read as something else (a
 * bool such as `yes` or `on`, a number, `~`, a timestamp) double-quoted; one
 * that plain style cannot carry (`: `, ` #`, a leading indicator, edge
 * spaces) single-quoted; text with line breaks as a literal block; and long
 * plain or quoted scalars folded at the first space past column 80, as
 * go-yaml's emitter does.
 */

const BEST_WIDTH = 80;

const BOOL_OR_NULL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN',
]);

const INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;
// The layouts go-yaml's resolver tries (2006-1-2, with a time by T, t or a space).
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?( *(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$/;

/** Whether go-yaml's resolver would read the plain text as something other than a string. */
function resolvesAsOther(s: string): boolean {
  if (s === '' || BOOL_OR_NULL.has(s)) return true;
  if (INT.test(s) || FLOAT.test(s) || BASE60.test(s)) return true;
  return TIMESTAMP.test(s);
}


/**
 * go-yaml v2's is_printable, by code point: LF, printable ASCII, and the BMP from U+00A0 outside the
 * surrogates, U+FEFF, U+FFFE and U+FFFF. Tab, CR, U+0085 and everything past U+FFFF are not: such text is
 * double-quoted with escapes.
 */
function printable(code: number): boolean {
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff);
}

const isLineBreak = (code: number) => code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029;

interface Analysis { plain: boolean; single: boolean; block: boolean }

/** What the emitter's analysis allows for a scalar (yaml_emitter_analyze_scalar), in block context. */
function analyze(s: string): Analysis {
  if (!s.length) return { plain: false, single: true, block: false };
  const chars = [...s];
  let indicators = false, special = false, lineBreaks = false, spaceBreak = false, breakSpace = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = c.codePointAt(0)!;
    const followedByBlank = i + 1 >= chars.length || chars[i + 1] === ' ' || chars[i + 1] === '\t' || isLineBreak(chars[i + 1].codePointAt(0)!);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) indicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByBlank) indicators = true;
    } else {
      if (c === ':' && followedByBlank) indicators = true;
      if (c === '#' && (chars[i - 1] === ' ' || chars[i - 1] === '\t')) indicators = true;
    }
    // Not printable (a line feed is): CR and U+0085 are breaks that are also special, so they force double quotes.
    if (!printable(code) && code !== 0x0a && code !== 0x2028 && code !== 0x2029) special = true;
    if (isLineBreak(code)) lineBreaks = true;
    if (c === ' ') {
      if (i + 1 < chars.length && isLineBreak(chars[i + 1].codePointAt(0)!)) spaceBreak = true;
    } else if (isLineBreak(code)) {
      if (i + 1 < chars.length && chars[i + 1] === ' ') breakSpace = true;
    }
  }
  const leadingSpace = chars[0] === ' ', trailingSpace = chars[chars.length - 1] === ' ';
  const leadingBreak = isLineBreak(chars[0].codePointAt(0)!), trailingBreak = isLineBreak(chars[chars.length - 1].codePointAt(0)!);
  let plain = !indicators, single = true, block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false;
  if (trailingSpace) block = false;
  if (breakSpace) { plain = false; single = false; }
  if (spaceBreak || special) { plain = false; single = false; block = false; }
  if (lineBreaks) plain = false;
  return { plain, single, block };
}

/** A scalar's text from column `col`, breaking at the first space past column 80 onto lines indented by `indent`. */
function fold(text: string, col: number, indent: number, breaks: boolean): string {
  if (!breaks) return text;
  let out = '';
  let column = col;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === ' ' && column > BEST_WIDTH && i > 0 && chars[i - 1] !== ' ' && chars[i + 1] !== ' ' && i !== chars.length - 1) {
      out += '\n' + ' '.repeat(indent);
      column = indent;
      continue;
    }
    out += c;
    column++;
  }
  return out;
}

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\',
  0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

/** A double-quoted scalar as go-yaml writes it: its escapes, and folded at a space past column 80. */
function doubleQuoted(s: string, col: number, indent: number, breaks: boolean): string {
  const chars = [...s];
  let out = '"';
  let column = col + 1;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = c.codePointAt(0)!;
    if (!printable(code) || code === 0xfeff || isLineBreak(code) || c === '"' || c === '\\') {
      const e = ESCAPES[code];
      const text = e !== undefined ? `\\${e}` : code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : code <= 0xffff ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
      out += text;
      column += text.length;
      spaces = false;
    } else if (c === ' ') {
      if (breaks && !spaces && column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        out += '\n' + ' '.repeat(indent);
        column = indent;
        // A space that starts the next line would be folded away: go-yaml escapes it.
        if (chars[i + 1] === ' ') { out += '\\'; column++; }
      } else { out += c; column++; }
      spaces = true;
    } else { out += c; column++; spaces = false; }
  }
  return out + '"';
}

/** A string scalar placed at column `col` (after `key: ` or `- `); `indent` is where its continuation lines go. */
function scalar(s: string, col: number, indent: number, isKey: boolean): string {
  const a = analyze(s);
  // encode.go's choice: a literal block for text with a line feed, double quotes for what would read as another
  // type, else plain; the emitter then falls back to single, then double quotes, as its analysis allows.
  if (s.includes('\n') && !isKey) {
    if (a.block) return literal(s, indent);
    return doubleQuoted(s, col, indent, true);
  }
  if (resolvesAsOther(s)) return doubleQuoted(s, col, indent, !isKey);
  if (a.plain) return fold(s, col, indent, !isKey);
  if (a.single) return `'${fold(s.replace(/'/g, "''"), col + 1, indent, !isKey)}'`;
  return doubleQuoted(s, col, indent, !isKey);
}

/** A literal block (yaml_emitter_write_block_scalar_hints): an indentation hint when the text starts blank, its chomping. */
function literal(s: string, indent: number): string {
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  let chomp = '';
  if (!s.endsWith('\n')) chomp = '-';
  else if (s.length === 1 || s.endsWith('\n\n')) chomp = '+';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const lines = body.split('\n').map((l) => (l ? ' '.repeat(indent) + l : ''));
  return `|${hint}${chomp}\n${lines.join('\n')}`;
}

function scalarOf(v: unknown, col: number, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  return scalar(String(v), col, indent, false);
}

/** strconv.FormatFloat(f, 'g', -1, 64) for the floats JSON carries. */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : f < 0 ? '-.inf' : '.nan';
  const exp = f === 0 ? 0 : Math.floor(Math.log10(Math.abs(f)));
  // FormatFloat(f, 'g', -1, 64): the shortest digits, in exponent form below 1e-4 and from 1e+06 (eprec is 6).
  if (exp < -4 || exp >= 6) return f.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(f);
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isMap(v) && Object.keys(v).length === 0);

/**
 * go-yaml's keyList.Less for string keys: runs of digits compare as numbers (`file2` before `file10`), a
 * non-letter before a letter, letters and the rest by code point.
 */
export function goKeyLess(a: string, b: string): boolean {
  const ar = [...a], br = [...b];
  const letter = (c: string) => /\p{L}/u.test(c);
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = letter(ar[i]), bl = letter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0, bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && digit(ar[j]); j--) {
        if (ar[j] !== '0') { an = 1; bn = 1; break; }
      }
    }
    let ai = i, bi = i;
    for (; ai < ar.length && digit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && digit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

const goKeyOrder = (a: string, b: string) => (goKeyLess(a, b) ? -1 : goKeyLess(b, a) ? 1 : 0);

/** Keys in Go's encoding/json order: by their bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Go's json.MarshalIndent of a decoded object with four spaces: keys by their bytes (written from a sorted
 * list: a JavaScript object would put integer-like keys first), and <, >, &, U+2028 and U+2029 escaped.
 */
export function goJson(v: unknown, indent = ''): string {
  const inner = indent + '    ';
  if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => inner + goJson(x, inner)).join(',\n')}\n${indent}]` : '[]';
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort(byteOrder);
    if (!keys.length) return '{}';
    return `{\n${keys.map((k) => `${inner}${goString(k)}: ${goJson((v as Record<string, unknown>)[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v ?? null);
}

const goString = (s: string) => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function mapping(m: Record<string, unknown>, indent: number, firstInline: boolean): string {
  const keys = Object.keys(m).sort(goKeyOrder);
  return keys.map((k, i) => {
    const pad = i === 0 && firstInline ? '' : ' '.repeat(indent);
    const key = scalar(k, indent, indent, true);
    return pad + key + ':' + value(m[k], indent, indent + key.length + 1);
  }).join('');
}

/** What follows `key:` (or `-`): a scalar on the same line, or a nested block on the next lines. */
function value(v: unknown, indent: number, col: number): string {
  if (isEmpty(v)) return Array.isArray(v) ? ' []\n' : ' {}\n';
  if (isMap(v)) return '\n' + mapping(v, indent + 2, false);
  // A sequence under a key is not indented further (go-yaml's block sequence in a mapping).
  if (Array.isArray(v)) return '\n' + sequence(v, indent);
  return ' ' + scalarOf(v, col + 1, indent + 2) + '\n';
}

function sequence(items: unknown[], indent: number): string {
  return items.map((it) => {
    const pad = ' '.repeat(indent) + '- ';
    if (isEmpty(it)) return pad + (Array.isArray(it) ? '[]\n' : '{}\n');
    if (isMap(it)) return pad + mapping(it, indent + 2, true);
    if (Array.isArray(it)) return pad + sequence(it, indent + 2).trimStart();
    return pad + scalarOf(it, indent + 2, indent + 2) + '\n';
  }).join('');
}

/** A JSON value as `kubectl get -o yaml` prints it. */
export function goYaml(v: unknown): string {
  if (isMap(v)) return isEmpty(v) ? '{}\n' : mapping(v, 0, false);
  if (Array.isArray(v)) return v.length ? sequence(v, 0) : '[]\n';
  return scalarOf(v, 0, 0) + '\n';
}
