/**
 * The syntax of the simulated shell (exec.ts): words and operators, pipelines
 * and lists, `$( )` and `$(( ))` spans, integer arithmetic, and how long a
 * `sleep` sleeps. Pure functions; ShellState runs what they read.
 */
import type { CmdOut } from './netcmds';

/** busybox runs `/bin/sh` or `/usr/bin/env` as the applet named by the last path element. */
export function commandName(cmd: string): string {
  return cmd.slice(cmd.lastIndexOf('/') + 1);
}

/**
 * A word, and when it has unquoted glob characters (`*`, `?`, `[`) its pattern for pathname expansion: the word
 * with its quoted and escaped characters escaped by a backslash, so that only the unquoted ones match.
 */
export type Token = { op: string } | { word: string; glob?: string };

const GLOB_CHARS = /[*?[]/;
/** Escapes what a pattern would read as special, for a quoted part of a word. */
const escapeGlob = (s: string) => s.replace(/[*?[\\'"]/g, '\\$&');
/** Quotes in an unquoted expansion's text are only characters now (the pattern reader would take them as quoting). */
const quotesAsText = (s: string) => s.replace(/['"]/g, '\\$&');
/** Whether a pattern has a glob character no backslash escapes. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (GLOB_CHARS.test(pattern[i])) return true;
  }
  return false;
}
/** A pattern's text with its escapes taken out. */
export const unescapeGlob = (p: string) => p.replace(/\\(.)/g, '$1');

/** The builtins whose arguments are assignments, expanded without field splitting. */
const DECLARATIONS = new Set(['local', 'export', 'readonly']);

/**
 * Splits a line into words and operators, expanding variables outside single quotes. `positional` gives the
 * positional parameters, for a `"$@"` standing as a word alone: one word each, none when there are none.
 */
export function tokenize(line: string, vars: Vars, assign?: Assign, split = true, positional?: () => readonly string[]): Token[] {
  const out: Token[] = [];
  let word: string | undefined;
  // The word as a glob pattern (quoted parts escaped), and whether an unquoted glob character is in it.
  let pat = '';
  let globbed = false;
  const quoted = (s: string) => { pat += escapeGlob(s); };
  const bare = (s: string) => { pat += quotesAsText(s); if (GLOB_CHARS.test(s)) globbed = true; };
  // Where a command starts (after `;`, `|`, `&&`, `||` and after assignments): an assignment's value there is not
  // split into fields (`out=$(wget …)` keeps the blanks of what it captured).
  let atStart = true;
  const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
  const push = () => {
    // After `local`, `export` or `readonly` the words are assignments too (`local x=$1` keeps its blanks).
    if (word !== undefined) {
      // An assignment's value is not globbed (`x=*` keeps the star).
      out.push(globbed && !(atStart && ASSIGNMENT.test(word)) ? { word, glob: pat } : { word });
      atStart = atStart && (ASSIGNMENT.test(word) || DECLARATIONS.has(word));
    }
    word = undefined;
    pat = '';
    globbed = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '#' && word === undefined) break;
    if (c === ' ' || c === '\t' || c === '\n') { push(); continue; }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const text = line.slice(i + 1, end < 0 ? line.length : end);
      word = (word ?? '') + text;
      quoted(text);
      i = end < 0 ? line.length : end;
      continue;
    }
    // In an assignment (`x="$@"`, `local a="$@"`) "$@" is one string, as ash expands assignments without splitting.
    if (c === '"' && positional && !(atStart && word !== undefined && ASSIGNMENT.test(word))) {
      // `"$@"`: one field per positional parameter, the text before it joined to the first and after it to the last.
      const all = line.startsWith('"$@"', i) ? 4 : line.startsWith('"${@}"', i) ? 6 : 0;
      if (all) {
        const params = positional();
        i += all - 1;
        const followed = i + 1 < line.length && !' \t\n;|&<>'.includes(line[i + 1]);
        if (!params.length) { if (word !== undefined || followed) word = word ?? ''; continue; }
        word = (word ?? '') + params[0];
        quoted(params[0]);
        for (let k = 1; k < params.length; k++) { push(); word = params[k]; quoted(params[k]); }
        continue;
      }
    }
    if (c === '"') {
      word = word ?? '';
      const from = word.length;
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$'.includes(line[i + 1])) word += line[++i];
        else if (line[i] === '$') { const [v, n] = variable(line, i, vars, assign); word += v; i += n - 1; }
        else word += line[i];
      }
      quoted(word.slice(from));
      continue;
    }
    if (c === '\\' && i + 1 < line.length) { word = (word ?? '') + line[++i]; quoted(line[i]); continue; }
    if (c === '$') {
      // Unquoted, an expansion's result is split into fields at blanks (IFS's default), and an empty one adds no word.
      const [v, n] = variable(line, i, vars, assign);
      // A default word with quotes in it (`${X:-"a  b"}`) is taken whole when used: its quotes protect its blanks.
      const quotedWord = usedQuotedWord;
      i += n - 1;
      const fields = split && !quotedWord && !(atStart && word !== undefined && ASSIGNMENT.test(word)) ? v.split(/[ \t\n]+/) : [v];
      // An unquoted expansion's result is globbed too (`p='*.txt'; ls $p`), a quoted default word's is not.
      const add = quotedWord ? quoted : bare;
      if (fields.length === 1) { if (v) { word = (word ?? '') + v; add(v); } continue; }
      if (fields[0]) { word = (word ?? '') + fields[0]; add(fields[0]); }
      push();
      for (let k = 1; k < fields.length - 1; k++) out.push(GLOB_CHARS.test(fields[k]) && !quotedWord ? { word: fields[k], glob: quotesAsText(fields[k]) } : { word: fields[k] });
      if (fields[fields.length - 1]) { word = fields[fields.length - 1]; add(word); }
      continue;
    }
    // Redirections: `>`, `>>`, `<`, `>&N`, each optionally led by a file descriptor (1 or 2) that starts a word.
    const redir = (c === '1' || c === '2') && word === undefined ? /^[12](?:>&[12]|>>|>)/.exec(line.slice(i)) : c === '>' ? /^>(?:&[12]|>)?/.exec(line.slice(i)) : c === '<' ? ['<'] : null;
    if (redir) { push(); out.push({ op: redir[0] }); i += redir[0].length - 1; continue; }
    const op = ['&&', '||'].find((o) => line.startsWith(o, i));
    if (op) { push(); out.push({ op }); atStart = true; i += op.length - 1; continue; }
    if (';|'.includes(c)) { push(); out.push({ op: c }); atStart = true; continue; }
    word = (word ?? '') + c;
    bare(c);
  }
  push();
  return out;
}

/** A variable's value, undefined when it is unset. */
export type Vars = (name: string) => string | undefined;
/** Sets a variable (`${NAME:=word}`). */
export type Assign = (name: string, value: string) => void;

/**
 * The expansion at `line[i]` (a `$`) and how many characters it took: `$NAME`, `$?`, `$$`, `${NAME}`, `${#NAME}`
 * (its length), and the rest of POSIX parameter expansion: `${NAME:-word}` (word when unset or empty),
 * `${NAME-word}` (when unset), `${NAME:+word}` / `${NAME+word}` (word when set), `${NAME:=word}` /
 * `${NAME=word}` (a default that is also assigned), `${NAME:?word}` / `${NAME?word}` (an error that ends a
 * script: ParameterError), and the pattern removals `${NAME#pattern}`, `${NAME##pattern}` (the shortest or
 * longest matching prefix) and `${NAME%pattern}`, `${NAME%%pattern}` (suffix).
 */
export function variable(line: string, i: number, vars: Vars, assign?: Assign): [string, number] {
  usedQuotedWord = false;
  const simple = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!])/.exec(line.slice(i));
  if (simple) return [vars(simple[1]) ?? '', simple[0].length];
  if (line[i + 1] !== '{') return ['$', 1];
  // The matching brace, past any nested ${...} and quotes in the word.
  const j = braceEnd(line, i + 1);
  if (j < 0) return ['$', 1];
  const inside = line.slice(i + 2, j);
  const m = PARAMETER.exec(inside);
  if (!m) return ['$', 1];
  const [, length, name, op, word] = m;
  if (length) return op ? ['$', 1] : [String((vars(name) ?? '').length), j - i + 1];
  const value = vars(name);
  const taken = j - i + 1;
  if (!op) return [value ?? '', taken];
  if (op[0] === '#' || op[0] === '%') return [removePattern(value ?? '', op, patternOf(word ?? '', vars, assign)), taken];
  const empty = value === undefined || (op.startsWith(':') && value === '');
  const expandWord = () => {
    const w = expandInWord(word ?? '', vars, assign);
    usedQuotedWord = /["']/.test(word ?? '');
    return w;
  };
  switch (op.replace(':', '')) {
    case '-': return [empty ? expandWord() : value!, taken];
    case '+': return [empty ? '' : expandWord(), taken];
    case '?': {
      if (!empty) return [value!, taken];
      const w = word ? expandInWord(word, vars, assign) : '';
      throw new ParameterError(`${name}: ${w || (op === ':?' ? 'parameter not set or null' : 'parameter not set')}`);
    }
    default: {
      if (!empty) return [value!, taken];
      const w = expandWord();
      assign?.(name, w);
      return [w, taken];
    }
  }
}

/** What may stand between `${` and `}`: a length, or a name with an operator and its word. */
const PARAMETER = /^(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!])(?:(:?[-+=?]|##?|%%?)([^]*))?$/;

/**
 * The word of the inside of a `${...}` that `variable` expands (`-default` gives `default`, a plain name ''), or
 * undefined for one it does not (scripts.ts plays only scripts whose expansions it knows).
 */
export function parameterWord(inside: string): string | undefined {
  const m = PARAMETER.exec(inside);
  return m && !(m[1] && m[3]) ? m[4] ?? '' : undefined;
}

/**
 * `${NAME:?word}` of an unset (or empty) NAME: ash prints `sh: NAME: word` and a script ends with status 2; a
 * terminal abandons the rest of the line.
 */
export class ParameterError extends Error {}

/**
 * A pattern (a pattern removal's word, a `case` pattern) as casePattern reads it: its variables expanded, its quoted
 * characters and what quoted expansions give made literal.
 */
export function patternOf(word: string, vars: Vars, assign?: Assign): string {
  let out = '';
  let quote = '';
  // In a bracket expression `!`, `^` and `-` mean something too: quoted, they are plain characters.
  const literal = (t: string) => t.replace(/[\\*?[\]'"!^-]/g, '\\$&');
  for (let k = 0; k < word.length; k++) {
    const c = word[k];
    if (quote === "'") { if (c === "'") quote = ''; else out += literal(c); continue; }
    if (c === "'" && !quote) { quote = c; continue; }
    if (c === '"') { quote = quote ? '' : '"'; continue; }
    if (c === '\\' && k + 1 < word.length) { out += literal(word[++k]); continue; }
    if (c === '$') {
      const [v, n] = variable(word, k, vars, assign);
      // An expansion in quotes is literal; unquoted, its `*` and `?` are pattern characters.
      out += quote ? literal(v) : v;
      k += n - 1;
      continue;
    }
    out += quote ? literal(c) : c;
  }
  return out;
}

/** `#`/`##` remove the shortest/longest prefix that matches, `%`/`%%` the shortest/longest suffix. */
function removePattern(value: string, op: string, pattern: string): string {
  const re = casePattern(pattern);
  const n = value.length;
  if (op === '#') { for (let k = 0; k <= n; k++) if (re.test(value.slice(0, k))) return value.slice(k); }
  else if (op === '##') { for (let k = n; k >= 0; k--) if (re.test(value.slice(0, k))) return value.slice(k); }
  else if (op === '%') { for (let k = n; k >= 0; k--) if (re.test(value.slice(k))) return value.slice(0, k); }
  else { for (let k = 0; k <= n; k++) if (re.test(value.slice(k))) return value.slice(0, k); }
  return value;
}

/** A `case` pattern as a regular expression: `*`, `?` and `[...]` (with `!` or `^`), quoted parts literal. */
export function casePattern(pattern: string): RegExp {
  let re = '';
  let quote = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (quote) {
      if (c === quote) { quote = ''; continue; }
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      continue;
    }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '\\' && i + 1 < pattern.length) { re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); continue; }
    if (c === '*') { re += '[^]*'; continue; }
    if (c === '?') { re += '[^]'; continue; }
    if (c === '[') {
      const cls = bracketClass(pattern, i);
      if (cls) {
        re += cls.re;
        i = cls.end;
        continue;
      }
    }
    re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  // A range written backwards (`[z-a]`) matches nothing, as fnmatch's does; so does the whole pattern here.
  try { return new RegExp(`^${re}$`); } catch { return /(?!)/; }
}

/** The POSIX character classes a bracket expression may name, as regular-expression ranges. */
const CHAR_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v', blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/** A POSIX character class's characters as a regular-expression range (`digit` is `0-9`); undefined for no class. */
export function posixClass(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(CHAR_CLASSES, name) ? CHAR_CLASSES[name] : undefined;
}

/**
 * A bracket expression at `pattern[at]` (`[abc]`, `[!a-z]`, `[^x]`, `[[:digit:]_]`, `[]x]` with its `]` first) as a
 * regular-expression class, and where it ends; undefined when it does not close (the `[` is then literal).
 */
function bracketClass(pattern: string, at: number): { re: string; end: number } | undefined {
  let i = at + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') { negate = true; i++; }
  let body = '';
  for (let first = true; i < pattern.length; first = false, i++) {
    const c = pattern[i];
    if (c === ']' && !first) return { re: `[${negate ? '^' : ''}${body}]`, end: i };
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close > 0 ? pattern.slice(i + 2, close) : '';
      if (posixClass(name) !== undefined) { body += posixClass(name); i = close + 1; continue; }
    }
    if (c === '\\' && i + 1 < pattern.length) { body += '\\' + pattern[++i]; continue; }
    // A `-` between two characters is a range; anything else that a class would read is escaped.
    if (c === '-' && body !== '' && pattern[i + 1] !== ']' && i + 1 < pattern.length) { body += '-'; continue; }
    body += /[\]\\^\-[]/.test(c) ? '\\' + c : c;
  }
  return undefined;
}

/** Whether the last `variable` call expanded to a default word with quotes in it (which field splitting leaves whole). */
let usedQuotedWord = false;

/** The word of a `${NAME:-word}`: its quotes removed, its own expansions done. */
function expandInWord(word: string, vars: Vars, assign?: Assign): string {
  let out = '';
  let quote = '';
  for (let k = 0; k < word.length; k++) {
    const c = word[k];
    if (quote === "'") { if (c === "'") quote = ''; else out += c; continue; }
    if (c === "'" && !quote) { quote = c; continue; }
    if (c === '"') { quote = quote ? '' : '"'; continue; }
    if (c === '\\' && k + 1 < word.length) { out += word[++k]; continue; }
    if (c === '$') { const [v, n] = variable(word, k, vars, assign); out += v; k += n - 1; continue; }
    out += c;
  }
  return out;
}

/** One redirection: `fd` to (or from) a file, or `>&` onto another descriptor (target '1' or '2'). */
export interface Redirect { fd: 0 | 1 | 2; op: '>' | '>>' | '<' | '>&'; target: string }
/** `globs[i]`: the pattern argv[i] expands to pathnames by, when it has unquoted glob characters. */
export interface Simple { argv: string[]; redirs: Redirect[]; globs?: Array<string | undefined> }
export interface Pipeline { cmds: Simple[] }

export function parse(tokens: Token[]): Pipeline[] | string {
  const lists: Pipeline[] = [];
  let pipe: Simple[] = [];
  let cur: Simple = { argv: [], redirs: [] };
  const endCmd = () => { pipe.push(cur); cur = { argv: [], redirs: [] }; };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if ('word' in t) {
      cur.argv.push(t.word);
      if (t.glob !== undefined) (cur.globs ??= [])[cur.argv.length - 1] = t.glob;
      continue;
    }
    const dup = /^([12]?)>&([12])$/.exec(t.op);
    if (dup) { cur.redirs.push({ fd: dup[1] === '2' ? 2 : 1, op: '>&', target: dup[2] }); continue; }
    const file = /^([12]?)(>>|>|<)$/.exec(t.op);
    if (file) {
      const target = tokens[++i];
      if (!target) return 'sh: syntax error: unexpected newline';
      if (!('word' in target)) return `sh: syntax error: unexpected "${target.op}"`;
      const op = file[2] as '>' | '>>' | '<';
      cur.redirs.push({ fd: op === '<' ? 0 : file[1] === '2' ? 2 : 1, op, target: target.word });
      continue;
    }
    if (!cur.argv.length && !cur.redirs.length) return `sh: syntax error: unexpected "${t.op}"`;
    endCmd();
    if (t.op === '|') continue;
    lists.push({ cmds: pipe });
    pipe = [];
  }
  if (cur.argv.length || cur.redirs.length) endCmd();
  else if (pipe.length) return 'sh: syntax error: unexpected end of file';
  if (pipe.length) lists.push({ cmds: pipe });
  return lists;
}

/**
 * Splits a line at `;`, a newline, `&&` and `||` outside quotes. Run it on
 * the masked line (maskSubstitutions), so that separators inside `$( )` do
 * not count; the offsets are the same as the original's.
 */
export function splitList(line: string): Array<{ text: string; next?: string; start: number; end: number }> {
  const out: Array<{ text: string; next?: string; start: number; end: number }> = [];
  let start = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) { if (c === quote) quote = ''; else if (c === '\\' && quote === '"') i++; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '\\') { i++; continue; }
    // A newline ends a command, unless nothing stands before it yet (a blank line, or right after `&&`, `||` or `|`).
    if (c === '\n') {
      const so = line.slice(start, i).trim();
      if (!so || so.endsWith('|')) continue;
    }
    const op = c === ';' || c === '\n' ? ';' : line.startsWith('&&', i) ? '&&' : line.startsWith('||', i) ? '||' : '';
    if (!op) continue;
    out.push({ text: line.slice(start, i), next: op, start, end: i });
    i += op.length - 1;
    start = i + 1;
  }
  out.push({ text: line.slice(start), start, end: line.length });
  return out;
}

/** Where each top-level `$( )` or `$(( ))` outside single quotes starts and ends (end exclusive). */
export function substitutionSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") { if (c === "'") quote = ''; continue; }
    if (c === "'" && !quote) { quote = c; continue; }
    if (c === '"') { quote = quote ? '' : '"'; continue; }
    if (c === '\\') { i++; continue; }
    if (c !== '$' || line[i + 1] !== '(') continue;
    let depth = 1;
    let j = i + 2;
    for (; j < line.length && depth; j++) { if (line[j] === '(') depth++; else if (line[j] === ')') depth--; }
    if (depth) break;
    spans.push([i, j]);
    i = j - 1;
  }
  return spans;
}

/**
 * The text with its comments blanked: a `#` that starts a word, outside quotes, to the end of its line. Offsets
 * stay where they were. Here-documents are taken out before (their `#` lines are text).
 */
export function blankComments(text: string): string {
  if (!text.includes('#')) return text;
  let out = '';
  let last = 0;
  let quote = '';
  // Whether the next character starts a word: after a blank, a newline or an operator, not after a `)` (the end of
  // a `$( )` goes on in its word) nor an escaped character.
  let wordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") { if (c === "'") quote = ''; continue; }
    if (c === '\\') { i++; wordStart = false; continue; }
    if (quote === '"') { if (c === '"') quote = ''; continue; }
    if (c === "'" || c === '"') { quote = c; wordStart = false; continue; }
    if (c === '$' && text[i + 1] === '{') {
      // A `${...}` is one word, whatever its pattern holds (`${line%% #*}`).
      const end = braceEnd(text, i + 1);
      if (end > 0) { i = end; wordStart = false; continue; }
    }
    if (c === '#' && wordStart) {
      let j = i;
      while (j < text.length && text[j] !== '\n') j++;
      out += text.slice(last, i) + ' '.repeat(j - i);
      last = j;
      i = j - 1;
      continue;
    }
    wordStart = /[\s;&|(<>]/.test(c);
  }
  return out + text.slice(last);
}

/**
 * Line continuations (a backslash before a newline) joined, as the shell reads them first: outside single quotes,
 * in double quotes too. Here-documents are taken out before.
 */
export function joinContinuations(text: string): string {
  if (!text.includes('\\\n')) return text;
  let out = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") { if (c === "'") quote = ''; out += c; continue; }
    if (c === '\\') {
      if (text[i + 1] === '\n') { i++; continue; }
      out += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quote = quote ? '' : '"';
    else if (c === "'" && !quote) quote = c;
    out += c;
  }
  return out;
}

/** What `&&` and `||` inside `[[ ]]` become: words test reads as and and or there (a `-a` the user writes is no operator in `[[`). */
export const DOUBLE_AND = '\u0002A';
export const DOUBLE_OR = '\u0002O';

/**
 * busybox ash's `[[ … ]]` reads `&&` and `||` between its words as and and or (test's precedence): they are
 * rewritten to words of their own, outside quotes, before anything splits the line at them.
 */
export function doubleBracketOperators(text: string): string {
  if (!text.includes('[[')) return text;
  let out = '';
  let quote = '';
  let inside = false;
  const boundary = (ch: string | undefined) => ch === undefined || /[\s;&|()]/.test(ch);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") { if (c === "'") quote = ''; out += c; continue; }
    if (c === '\\') { out += c + (text[i + 1] ?? ''); i++; continue; }
    if (quote === '"') { if (c === '"') quote = ''; out += c; continue; }
    if (c === "'" || c === '"') { quote = c; out += c; continue; }
    if (!inside && c === '[' && text[i + 1] === '[' && boundary(text[i - 1]) && /\s/.test(text[i + 2] ?? '') && commandStart(out)) { inside = true; out += '[['; i++; continue; }
    if (inside && c === ']' && text[i + 1] === ']' && /\s/.test(text[i - 1] ?? '') && boundary(text[i + 2])) { inside = false; out += ']]'; i++; continue; }
    if (inside && (c === '&' || c === '|') && text[i + 1] === c) { out += c === '&' ? DOUBLE_AND : DOUBLE_OR; i++; continue; }
    if (inside && (c === '\n' || c === ';')) inside = false;
    out += c;
  }
  return out;
}

/** Whether what precedes ends where a command may start: nothing, an operator, `(`, `!` or a keyword. */
function commandStart(before: string): boolean {
  const t = before.replace(/[ \t]+$/, '');
  return t === '' || /[;&|(!{\n]$/.test(t) || /(^|[\s;&|(])(if|then|elif|else|while|until|do)$/.test(t);
}

/** The index of the `}` that closes the `${` whose `{` is at `open`, past nested ones and quotes; -1 if none. */
export function braceEnd(script: string, open: number): number {
  let depth = 1;
  let quote = '';
  for (let j = open + 1; j < script.length; j++) {
    const c = script[j];
    if (quote) { if (c === quote) quote = ''; else if (c === '\\' && quote === '"') j++; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '\\') { j++; continue; }
    if (c === '$' && script[j + 1] === '{') { depth++; j++; continue; }
    if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

/** The line with every substitution blanked to plain letters of the same length, for syntax checks and splitting. */
export function maskSubstitutions(line: string): string {
  let out = line;
  for (const [a, b] of substitutionSpans(line)) out = out.slice(0, a) + 'x'.repeat(b - a) + out.slice(b);
  return out;
}

export class ArithmeticError extends Error {}

export interface RunOptions {
  /** Stop at a `sleep` run on its own and hand back the rest (see run). */
  pauseAtSleep?: boolean;
  /** Skip the first list element (the rest after a `sleep ||`). */
  skipFirst?: boolean;
  /** Standard input as bytes (a tar archive), when it came in binary. */
  stdinBytes?: Uint8Array;
  /** A loop's condition: a failure there is a test, which `set -e` lets pass. */
  tested?: boolean;
  /** One part of a script read a part at a time (`sh < script`): the shell does not end with it. */
  chunk?: boolean;
  /** Answer both streams in the order they were written too (`order`), as a terminal shows them. */
  ordered?: boolean;
}

export interface RunOut extends CmdOut {
  /** What the run wrote, standard output and error in the order they came (a container's log keeps that order). */
  order?: Array<{ fd: 1 | 2; text: string }>;
  /** Set when a `sleep` stopped the run: how long it sleeps, and what runs after it. */
  pause?: { ms: number; rest: string; skipFirst: boolean };
}

const SLEEP_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How long `sleep ARGS` sleeps (busybox adds its arguments; `infinity` is for ever), or undefined when argv is not a valid sleep. */
export function sleepMs(argv: string[]): number | undefined {
  if (commandName(argv[0] ?? '') !== 'sleep' || argv.length < 2) return undefined;
  let ms = 0;
  for (const a of argv.slice(1)) {
    if (a === 'infinity') return Infinity;
    const m = /^(\d+(?:\.\d+)?)([smhd])?$/.exec(a);
    if (!m) return undefined;
    ms += Number(m[1]) * SLEEP_UNITS[m[2] ?? 's'];
  }
  return ms;
}

/**
 * `$(( ))` arithmetic on integers: + - * / %, parentheses, unary minus, and
 * variables by name or `$name` (empty or not a number reads 0). Division by
 * zero, other operators and malformed expressions throw, as ash refuses them.
 */
export function arithmetic(expr: string, vars: (name: string) => string): number {
  // Anything but numbers, names, + - * / % and parentheses is an operator this shell does not do: refused, not guessed.
  if (/[^\s\dA-Za-z_$+\-*/%()]/.test(expr) || /\*\*|\+\+|--|0x/i.test(expr)) throw new ArithmeticError('arithmetic syntax error');
  const toks = expr.match(/\d+|\$?[A-Za-z_][A-Za-z0-9_]*|[-+*/%()]/g) ?? [];
  let i = 0;
  const num = (s: string) => { const n = Number.parseInt(s, 10); return Number.isFinite(n) ? n : 0; };
  const atom = (): number => {
    const t = toks[i++];
    if (t === undefined) return 0;
    if (t === '(') { const v = sum(); if (toks[i] === ')') i++; return v; }
    if (t === '-') return -atom();
    if (t === '+') return atom();
    if (/^\d/.test(t)) return num(t);
    return num(vars(t.replace(/^\$/, '')));
  };
  const product = (): number => {
    let v = atom();
    while (toks[i] === '*' || toks[i] === '/' || toks[i] === '%') {
      const op = toks[i++];
      const r = atom();
      if (op !== '*' && r === 0) throw new ArithmeticError('divide by zero');
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (toks[i] === '+' || toks[i] === '-') v = toks[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const v = sum();
  if (i !== toks.length) throw new ArithmeticError('arithmetic syntax error');
  return v;
}

