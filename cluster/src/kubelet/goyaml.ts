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

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
const isSpace = (c: string | undefined) => c === ' ';
const isBlankOrEnd = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c);

/** What the emitter's analysis allows for a scalar (yaml_emitter_analyze_scalar). */
function analyze(s: string): { plain: boolean; single: boolean } {
  if (!s.length) return { plain: false, single: true };
  let block = false;
  let special = false;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    const followedByBlank = isBlankOrEnd(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) block = true;
      else if ((c === '?' || c === ':') && followedByBlank) block = true;
      else if (c === '-' && followedByBlank) block = true;
    } else {
      if (c === ':' && followedByBlank) block = true;
      if (c === '#' && (chars[i - 1] === ' ' || chars[i - 1] === '\t')) block = true;
    }
    const code = c.codePointAt(0)!;
    const printable = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || code >= 0x10000;
    if (!printable) special = true;
  }
  const edgeSpace = isSpace(chars[0]) || isSpace(chars[chars.length - 1]);
  const hasBreak = chars.some(isBreak);
  return { plain: !block && !edgeSpace && !hasBreak && !special, single: !special && !hasBreak };
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

function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f || code === 0xfeff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += c;
  }
  return out + '"';
}

/** A string scalar placed at column `col` (after `key: ` or `- `); `indent` is where its continuation lines go. */
function scalar(s: string, col: number, indent: number, isKey: boolean): string {
  // A space before a line break rules the block out (go-yaml's space_break); so do unprintable characters.
  if (!isKey && /[\n\r]/.test(s) && !/ [\n\r]/.test(s) && analyze(s.replace(/[\n\r]/g, '')).single) {
    // A literal block: its chomping says how the text ends; lines indented one step past the key.
    const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
    const indicator = s.startsWith(' ') ? '2' : '';
    const body = (chomp === '+' ? s.slice(0, -1) : s.endsWith('\n') ? s.slice(0, -1) : s).split('\n').map((l) => (l ? ' '.repeat(indent) + l : '')).join('\n');
    return `|${indicator}${chomp}\n${body}`;
  }
  if (resolvesAsOther(s)) return doubleQuoted(s);
  const a = analyze(s);
  if (a.plain) return fold(s, col, indent, !isKey);
  if (a.single) return `'${fold(s.replace(/'/g, "''"), col + 1, indent, !isKey)}'`;
  return doubleQuoted(s);
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
  if (exp < -4 || exp >= 21) return f.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(f);
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isMap(v) && Object.keys(v).length === 0);

function mapping(m: Record<string, unknown>, indent: number, firstInline: boolean): string {
  const keys = Object.keys(m).sort();
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
