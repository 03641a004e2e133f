/**
 * Here-documents (`cat <<EOF`, `<<-EOF`, `<<'EOF'`) as busybox ash reads
 * them: the body is the lines after the line the redirection is on, up to a
 * line that is the delimiter alone (`<<-` strips leading tabs from both); a
 * delimiter with any quoting in it leaves the body as written, any other has
 * its body expanded when the command runs: `$NAME`, `${…}`, `$( )`, `$(( ))`,
 * and the backslash escapes `\$`, `` \` ``, `\\` and `\` at a line's end.
 * Quotes in a body are plain text. A body the script ends inside ends there,
 * as in ash.
 *
 * The shell (exec.ts) takes the bodies out before it parses, leaving a `<`
 * from a marker word in their place, so that the rest of the syntax never
 * sees them. Pure functions.
 */
import { variable, type Assign, type Vars } from './shellsyntax';

/** A here-document taken out of a script. */
export interface HereDoc {
  body: string;
  /** False when the delimiter was quoted: the body is taken as written. */
  expand: boolean;
}

/** Starts the word a `<<` becomes (`<` from it): a control character no one types, then a number. */
export const HEREDOC_MARK = '\u0001heredoc';

export interface Extracted {
  /** The script with each `<<WORD` as `<MARKn` and the bodies gone. */
  text: string;
  /** The bodies, by the number in their marks (numbered from `first`). */
  docs: HereDoc[];
  /** The script ended inside a body (an interactive shell reads on before it runs anything). */
  open: boolean;
}

const WORD_END = ' \t\n;|&()<>';

/** Where the line holding `at` ends (its newline, or the text's end): a comment runs to there. */
function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

/** The end (exclusive) of the `$( … )` whose `(` is at `open`, quotes inside it respected; -1 when it is not closed. */
function substitutionEnd(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') j++;
      continue;
    }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '\\') { j++; continue; }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/**
 * Takes the here-documents out of `text`. Text without `<<` comes back as it is. Redirections inside
 * quotes, comments and `$( )` are left alone (a command substitution runs in a shell of its own, which
 * reads its here-documents itself).
 */
export function extractHereDocs(text: string, first = 0): Extracted {
  if (!text.includes('<<')) return { text: dollarBackquotes(text), docs: [], open: false };
  const docs: HereDoc[] = [];
  const pending: Array<{ delim: string; strip: boolean; doc: HereDoc }> = [];
  let out = '';
  let quote = '';
  let open = false;
  let wordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      out += c;
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < text.length) out += text[++i];
      continue;
    }
    if (c === "'" || c === '"') { quote = c; out += c; wordStart = false; continue; }
    if (c === '\\') { out += c + (text[i + 1] ?? ''); i++; wordStart = false; continue; }
    if (c === '#' && wordStart) {
      const end = lineEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      const end = substitutionEnd(text, i + 1);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
      wordStart = false;
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      let j = i + 2;
      const strip = text[j] === '-';
      if (strip) j++;
      while (text[j] === ' ' || text[j] === '\t') j++;
      // The delimiter: a word, its quotes removed; any quoting at all keeps the body from expanding.
      let delim = '';
      let quoted = false;
      let q = '';
      for (; j < text.length; j++) {
        const d = text[j];
        if (q) { if (d === q) q = ''; else delim += d; continue; }
        if (d === "'" || d === '"') { q = d; quoted = true; continue; }
        if (d === '\\' && j + 1 < text.length) { delim += text[++j]; quoted = true; continue; }
        if (WORD_END.includes(d)) break;
        delim += d;
      }
      if (!delim && !quoted) {
        // `cat <<` with no word: left for the parser, which refuses it as ash does.
        out += '<<';
        i++;
        continue;
      }
      const doc: HereDoc = { body: '', expand: !quoted };
      docs.push(doc);
      pending.push({ delim, strip, doc });
      out += `<${HEREDOC_MARK}${first + docs.length - 1}`;
      i = j - 1;
      wordStart = false;
      continue;
    }
    if (c === '\n' && pending.length) {
      out += c;
      // The bodies, one after the other, from the next line on.
      let at = i + 1;
      for (const p of pending) {
        let done = false;
        while (at < text.length) {
          const nl = text.indexOf('\n', at);
          const line = text.slice(at, nl < 0 ? text.length : nl);
          at = nl < 0 ? text.length : nl + 1;
          const seen = p.strip ? line.replace(/^\t+/, '') : line;
          if (seen === p.delim) { done = true; break; }
          // The script's last line, without a newline, ends the body as it is.
          p.doc.body += seen + (nl < 0 ? '' : '\n');
        }
        if (!done) open = true;
      }
      pending.length = 0;
      i = at - 1;
      wordStart = true;
      continue;
    }
    out += c;
    wordStart = WORD_END.includes(c);
  }
  // A redirection on the script's last line has an empty body, which the input would go on to give.
  if (pending.length) open = true;
  for (const d of docs) if (d.expand) d.body = dollarBackquotes(d.body, true);
  return { text: dollarBackquotes(out), docs, open };
}

/**
 * Backquoted commands (`` `date` ``) as the `$( )` the shell runs, the way ash reads them: inside the backquotes
 * `\$`, `` \` `` and `\\` (and `\"` within double quotes) stand for the character. Single quotes, comments and
 * escaped backquotes are left alone, as is a backquote never closed. In an expanding here-document's body
 * (`body`) quotes and `#` are plain text. The extraction above calls it on what it returns, so every reader of a
 * script (the shell, the planner's checks) sees `$( )` only.
 */
export function dollarBackquotes(text: string, body = false): string {
  if (!text.includes('`')) return text;
  let out = '';
  let sq = false;
  let dq = false;
  let wordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (sq) { out += c; if (c === "'") sq = false; continue; }
    if (c === '\\' && i + 1 < text.length) { out += c + text[++i]; wordStart = false; continue; }
    if (!body && c === "'" && !dq) { sq = true; out += c; wordStart = false; continue; }
    if (!body && c === '"') { dq = !dq; out += c; wordStart = false; continue; }
    if (!body && c === '#' && !dq && wordStart) {
      const end = lineEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
      continue;
    }
    // A `$( )` is a quoting context of its own: its quotes do not pair with the ones around it.
    if (c === '$' && text[i + 1] === '(') {
      const end = substitutionEnd(text, i + 1);
      if (end < 0) { out += text.slice(i); break; }
      out += '$(' + dollarBackquotes(text.slice(i + 2, end - 1)) + ')';
      i = end - 1;
      wordStart = false;
      continue;
    }
    if (c === '`') {
      let inner = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '`'; j++) {
        const n = text[j + 1];
        if (text[j] === '\\' && n !== undefined && (n === '$' || n === '`' || n === '\\' || (dq && n === '"'))) { inner += n; j++; continue; }
        inner += text[j];
      }
      if (j >= text.length) { out += text.slice(i); break; }
      out += '$(' + dollarBackquotes(inner) + ')';
      i = j;
      wordStart = false;
      continue;
    }
    out += c;
    wordStart = WORD_END.includes(c);
  }
  return out;
}

/** The number in a marker word, or undefined for any other word. */
export function hereDocIndex(word: string): number | undefined {
  if (!word.startsWith(HEREDOC_MARK)) return undefined;
  const n = Number(word.slice(HEREDOC_MARK.length));
  return Number.isInteger(n) ? n : undefined;
}

/** What expanding a body needs from the shell: its variables, and a command substitution and arithmetic run now. */
export interface BodyExpansion {
  vars: Vars;
  assign?: Assign;
  command(cmd: string): string;
  /** Throws (ArithmeticError) as `$(( ))` does in a command. */
  arithmetic(expr: string): string;
}

/**
 * An expanding body as the command reads it: `$( )`, `$(( ))` and parameters expanded, and the backslash
 * escapes taken: `\$`, `` \` `` and `\\` give the character, `\` before a newline joins the lines; any other
 * backslash is kept. Quotes are plain text.
 */
export function expandBody(body: string, x: BodyExpansion): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      const n = body[i + 1];
      if (n === '$' || n === '`' || n === '\\') { out += n; i++; continue; }
      if (n === '\n') { i++; continue; }
      out += c;
      continue;
    }
    if (c !== '$') { out += c; continue; }
    if (body[i + 1] === '(') {
      const end = substitutionEnd(body, i + 1);
      if (end < 0) { out += body.slice(i); break; }
      const inner = body.slice(i + 2, end - 1);
      out += inner.startsWith('(') && inner.endsWith(')') ? x.arithmetic(inner.slice(1, -1)) : x.command(inner);
      i = end - 1;
      continue;
    }
    const [v, n] = variable(body, i, x.vars, x.assign);
    out += v;
    i += n - 1;
  }
  return out;
}

/** The commands an expanding body's `$( )` run, in order (the planner checks them as it checks a script's own). */
export function bodyCommands(body: string): string[] {
  const found = new Set<string>();
  // Once with every variable empty (a default's `$( )` runs) and once with each set (an alternative's does);
  // an expansion error (`${X:?}`) only ends a pass early.
  for (const value of ['', 'x']) {
    try {
      expandBody(body, { vars: () => value, command: (c) => { found.add(c); return ''; }, arithmetic: () => '0' });
    } catch { /* the commands found so far */ }
  }
  return [...found];
}
