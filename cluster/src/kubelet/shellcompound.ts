/**
 * The simulated shell's compound commands, read as busybox ash reads them:
 * `if … then … elif … else … fi`, `for NAME in WORDS; do … done`, `while` and
 * `until` loops, `case WORD in PATTERN) … ;; esac`, `{ …; }` groups, `( … )`
 * subshells, function definitions, `break`, `continue` and `return`, and
 * and-or lists joining them, run in the background with `&`. A compound command may be
 * piped into a pipeline (`done | sort`) or have its output redirected
 * (`done > /tmp/out`).
 *
 * The parser works on the line with its substitutions masked (see
 * maskSubstitutions), so that nothing inside `$( )` or quotes is taken for a
 * keyword; each leaf is an offset range of the original line, which the flat
 * shell (exec.ts) runs as it runs any command line. Pure: ShellState runs
 * the tree.
 */

import { extractHereDocs } from './heredoc';
import { maskSubstitutions } from './shellsyntax';

export { casePattern } from './shellsyntax';

interface Tok {
  /** A word (quotes kept), or an operator: `;` `\n` `&&` `||` `;;` `|` `&` `(` `)` or a redirection. */
  kind: 'word' | 'op';
  text: string;
  start: number;
  end: number;
}

export interface Span { start: number; end: number }

export type ShellNode =
  | { t: 'simple'; span: Span }
  | { t: 'seq'; items: ShellNode[] }
  | { t: 'andor'; parts: ShellNode[]; ops: Array<'&&' | '||'> }
  | { t: 'if'; branches: Array<{ cond: ShellNode; body: ShellNode }>; otherwise?: ShellNode }
  | { t: 'for'; name: string; words?: Span; body: ShellNode }
  | { t: 'loop'; until: boolean; cond: ShellNode; body: ShellNode }
  | { t: 'case'; word: Span; arms: Array<{ patterns: Span[]; body?: ShellNode }> }
  | { t: 'group'; body: ShellNode }
  /** `… &`: an and-or list run as a background job, in a child shell, while the script goes on. */
  | { t: 'bg'; body: ShellNode }
  /** `( … )`: the list runs in a child shell, whose variables, directory and exit stay there. */
  | { t: 'subshell'; body: ShellNode }
  /** `NAME() COMMAND`: defines a function (run later, with its own positional parameters). */
  | { t: 'func'; name: string; body: ShellNode }
  /** `break`/`continue` N, or `return` N (N: the status, or undefined for the last command's). */
  | { t: 'jump'; kind: 'break' | 'continue' | 'return'; n: number | string | undefined }
  /**
   * A compound command whose output goes on, into a pipeline (`| …`) or through redirections (`> f`), or
   * whose input comes from a file (`< f`, the word's span).
   */
  | { t: 'tail'; node: ShellNode; pipe?: Span; redirs?: Span[]; input?: Span }
  /** A pipeline of simple commands piped into a compound command (`cat f | while read l; do …; done`). */
  | { t: 'pipein'; src: Span; node: ShellNode };

/** Words that open a compound command in command position. */
const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', '{']);
/** Words that close or continue one, which end the list before them. */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);

const REDIRECTION = /^(?:[0-9]?(?:>>|>&[0-9]|>|<))$/;

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '\n') { out.push({ kind: 'op', text: '\n', start: i, end: i + 1 }); i++; continue; }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;') { out.push({ kind: 'op', text: two, start: i, end: i + 2 }); i += 2; continue; }
    if (';|&()'.includes(c)) { out.push({ kind: 'op', text: c, start: i, end: i + 1 }); i++; continue; }
    const redir = /^[0-9]?(?:>>|>&[0-9]|>|<)/.exec(src.slice(i, i + 4));
    if (redir && (c === '>' || c === '<' || /[0-9]/.test(c))) {
      out.push({ kind: 'op', text: redir[0], start: i, end: i + redir[0].length });
      i += redir[0].length;
      continue;
    }
    const start = i;
    let quote = '';
    for (; i < src.length; i++) {
      const d = src[i];
      if (quote) {
        if (d === quote) quote = '';
        else if (d === '\\' && quote === '"') i++;
        continue;
      }
      if (d === "'" || d === '"') { quote = d; continue; }
      if (d === '\\') { i++; continue; }
      if (' \t\n;|&()<>'.includes(d)) break;
    }
    out.push({ kind: 'word', text: src.slice(start, i), start, end: i });
  }
  return out;
}

/** Why the parser stopped: a syntax error in ash's words, or the input ended inside a compound command. */
export class ShellSyntaxError extends Error {
  constructor(message: string, readonly incomplete: boolean) { super(message); }
}

/** ash's name for a token in a syntax error: the word quoted, `newline`, `end of file`. */
const tokName = (t: Tok | undefined) => (!t ? 'end of file' : t.text === '\n' ? 'newline' : `"${t.text}"`);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined { return this.toks[this.i]; }

  private unexpected(expecting?: string): never {
    const t = this.peek();
    throw new ShellSyntaxError(`sh: syntax error: unexpected ${tokName(t)}${expecting ? ` (expecting "${expecting}")` : ''}`, !t);
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return !!t && t.kind === 'word' && t.text === text;
  }

  private skipNewlines(): void {
    while (this.peek()?.text === '\n') this.i++;
  }

  private expectWord(text: string): void {
    this.skipNewlines();
    if (!this.isWord(text)) this.unexpected(text);
    this.i++;
  }

  /** A list: and-or lists separated by `;`, `&` is refused, newlines, until a closing word (or `;;`, `)`) or the end. */
  list(top = false): ShellNode {
    const items: ShellNode[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'word' && CLOSERS.has(t.text)) { if (top) this.unexpected(); break; }
      if (t.kind === 'op' && (t.text === ';;' || t.text === ')')) { if (top) this.unexpected(); break; }
      if (t.kind === 'op' && t.text !== '(') this.unexpected();
      items.push(this.andOr());
      const sep = this.peek();
      if (!sep) break;
      if (sep.text === ';' || sep.text === '\n') { this.i++; continue; }
      if (sep.text === '&') {
        items.push({ t: 'bg', body: items.pop()! });
        this.i++;
        continue;
      }
      if (sep.kind === 'word' && CLOSERS.has(sep.text)) { if (top) this.unexpected(); break; }
      if (sep.text === ';;' || sep.text === ')') { if (top) this.unexpected(); break; }
      this.unexpected();
    }
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  private andOr(): ShellNode {
    const parts = [this.command()];
    const ops: Array<'&&' | '||'> = [];
    while (this.peek()?.text === '&&' || this.peek()?.text === '||') {
      ops.push(this.toks[this.i++].text as '&&' | '||');
      this.skipNewlines();
      parts.push(this.command());
    }
    return parts.length === 1 ? parts[0] : { t: 'andor', parts, ops };
  }

  private command(): ShellNode {
    const t = this.peek();
    if (!t) this.unexpected();
    if (t.kind === 'op' && t.text === '(') {
      this.i++;
      const body = this.body();
      if (this.peek()?.text !== ')') this.unexpected(')');
      this.i++;
      return this.tail({ t: 'subshell', body });
    }
    if (t.kind === 'word' && OPENERS.has(t.text)) return this.tail(this.compound(t.text));
    // `NAME()`: a function definition, whose body is the command after it (a `{ …; }` group as a rule).
    if (t.kind === 'word' && this.toks[this.i + 1]?.text === '(' && this.toks[this.i + 1].kind === 'op') {
      if (this.toks[this.i + 2]?.text !== ')') { this.i += 2; this.unexpected(')'); }
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.text)) throw new ShellSyntaxError(`sh: syntax error: bad function name`, false);
      this.i += 3;
      this.skipNewlines();
      return { t: 'func', name: t.text, body: this.command() };
    }
    if (t.kind === 'word' && (t.text === 'break' || t.text === 'continue' || t.text === 'return')) {
      const next = this.toks[this.i + 1];
      const arg = next?.kind === 'word' && !CLOSERS.has(next.text) ? next : undefined;
      const after = this.toks[this.i + (arg ? 2 : 1)];
      if (!after || after.kind === 'op' && [';', '\n', '&&', '||', ';;', ')'].includes(after.text) || after.kind === 'word' && CLOSERS.has(after.text)) {
        this.i += arg ? 2 : 1;
        const n = arg ? (/^[0-9]+$/.test(arg.text) ? Number(arg.text) : arg.text) : t.text === 'return' ? undefined : 1;
        return { t: 'jump', kind: t.text as 'break' | 'continue' | 'return', n };
      }
    }
    // A simple command (a pipeline of them): everything up to the next list separator.
    const start = t.start;
    let end = t.end;
    while (this.i < this.toks.length) {
      const u = this.toks[this.i];
      if (u.kind === 'op' && [';', '\n', '&&', '||', ';;', '&', ')'].includes(u.text)) break;
      if (u.kind === 'op' && u.text === '(') this.unexpected();
      // `| while …`: a compound command on the right of a pipe reads what the pipeline wrote.
      const after = this.toks[this.i + 1];
      if (u.kind === 'op' && u.text === '|' && after && (after.kind === 'word' ? OPENERS.has(after.text) : after.text === '(')) {
        this.i++;
        return { t: 'pipein', src: { start, end }, node: after.kind === 'op' ? this.command() : this.tail(this.compound(after.text)) };
      }
      end = u.end;
      this.i++;
    }
    return { t: 'simple', span: { start, end } };
  }

  /** What follows a compound command's closing word: a pipe on to a pipeline, or redirections. */
  private tail(node: ShellNode): ShellNode {
    // Redirections first (`done 2>&1 | sort`): output ones are applied to what the command wrote, `< file` is its input.
    const redirs: Span[] = [];
    let input: Span | undefined;
    while (this.peek() && this.peek()!.kind === 'op' && REDIRECTION.test(this.peek()!.text)) {
      const op = this.toks[this.i++];
      if (/&/.test(op.text)) { redirs.push({ start: op.start, end: op.end }); continue; }
      const target = this.peek();
      if (!target || target.kind !== 'word') this.unexpected();
      this.i++;
      if (op.text === '<' || op.text === '0<') input = { start: target.start, end: target.end };
      else redirs.push({ start: op.start, end: target.end });
    }
    let pipe: Span | undefined;
    if (this.peek()?.text === '|') {
      this.i++;
      this.skipNewlines();
      const first = this.peek();
      if (!first || first.kind === 'op') this.unexpected();
      const rest = this.command();
      if (rest.t !== 'simple') throw new ShellSyntaxError('sh: a compound command after a pipe is not simulated', false);
      pipe = rest.span;
    }
    if (!redirs.length && !input && !pipe) return node;
    return { t: 'tail', node, ...(redirs.length ? { redirs } : {}), ...(input ? { input } : {}), ...(pipe ? { pipe } : {}) };
  }

  /** A list inside a compound command: ash refuses an empty one (`while do`, `then fi`) at the word that ends it. */
  private body(): ShellNode {
    const n = this.list();
    if (n.t === 'seq' && !n.items.length) this.unexpected();
    return n;
  }

  private compound(word: string): ShellNode {
    this.i++;
    switch (word) {
      case 'if': {
        const branches: Array<{ cond: ShellNode; body: ShellNode }> = [];
        let otherwise: ShellNode | undefined;
        for (;;) {
          const cond = this.body();
          this.expectWord('then');
          const body = this.body();
          branches.push({ cond, body });
          this.skipNewlines();
          if (this.isWord('elif')) { this.i++; continue; }
          if (this.isWord('else')) { this.i++; otherwise = this.body(); }
          this.expectWord('fi');
          return { t: 'if', branches, otherwise };
        }
      }
      case 'while': case 'until': {
        const cond = this.body();
        this.expectWord('do');
        const body = this.body();
        this.expectWord('done');
        return { t: 'loop', until: word === 'until', cond, body };
      }
      case 'for': {
        const name = this.peek();
        if (!name || name.kind !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) {
          if (!name) this.unexpected();
          throw new ShellSyntaxError(`sh: syntax error: bad for loop variable`, false);
        }
        this.i++;
        let words: Span | undefined;
        this.skipNewlines();
        if (this.isWord('in')) {
          this.i++;
          const first = this.peek();
          let start = first?.start ?? 0;
          let end = start;
          while (this.peek() && this.peek()!.kind === 'word') end = this.toks[this.i++].end;
          if (first?.kind !== 'word') start = end;
          words = { start, end };
          const sep = this.peek();
          if (!sep) this.unexpected('do');
          if (sep.text !== ';' && sep.text !== '\n') this.unexpected('do');
          this.i++;
        } else if (this.peek()?.text === ';') this.i++;
        this.expectWord('do');
        const body = this.body();
        this.expectWord('done');
        return { t: 'for', name: name.text, words, body };
      }
      case 'case': {
        const w = this.peek();
        if (!w || w.kind !== 'word') this.unexpected();
        this.i++;
        this.expectWord('in');
        const arms: Array<{ patterns: Span[]; body?: ShellNode }> = [];
        for (;;) {
          this.skipNewlines();
          if (this.isWord('esac')) { this.i++; break; }
          if (this.peek()?.text === '(') this.i++;
          const patterns: Span[] = [];
          for (;;) {
            const p = this.peek();
            if (!p || p.kind !== 'word') this.unexpected(')');
            patterns.push({ start: p.start, end: p.end });
            this.i++;
            if (this.peek()?.text === '|') { this.i++; continue; }
            if (this.peek()?.text === ')') { this.i++; break; }
            this.unexpected(')');
          }
          this.skipNewlines();
          const body = this.isWord('esac') || this.peek()?.text === ';;' ? undefined : this.list();
          arms.push({ patterns, body });
          this.skipNewlines();
          if (this.peek()?.text === ';;') { this.i++; continue; }
          if (this.isWord('esac')) { this.i++; break; }
          this.unexpected('esac');
        }
        return { t: 'case', word: { start: w.start, end: w.end }, arms };
      }
      default: {
        const body = this.body();
        this.expectWord('}');
        return { t: 'group', body };
      }
    }
  }
}

/**
 * Whether any word in command position opens a compound command (or is break, continue or return), or a
 * subshell or a function definition starts there; if not, the flat shell runs the line.
 */
function hasCompound(toks: Tok[]): boolean {
  let atStart = true;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind === 'op') {
      if ((atStart && t.text === '(') || t.text === '&') return true;
      atStart = [';', '\n', '&&', '||', '|', '(', ')', ';;', '&'].includes(t.text);
      continue;
    }
    // `wait` too: the walk hands it to the scheduler of background jobs (ShellState.schedule).
    if (atStart && (OPENERS.has(t.text) || CLOSERS.has(t.text) || t.text === 'break' || t.text === 'continue' || t.text === 'return' || t.text === 'wait')) return true;
    if (atStart && toks[k + 1]?.kind === 'op' && toks[k + 1].text === '(') return true;
    atStart = false;
  }
  return false;
}

/**
 * The tree of a line that holds a compound command, undefined for a line the
 * flat shell runs as it is. `masked` has its substitutions blanked, at the
 * same offsets as the line. Throws ShellSyntaxError.
 */
export function parseCompound(masked: string): ShellNode | undefined {
  const toks = lex(masked);
  if (!hasCompound(toks)) return undefined;
  const p = new Parser(toks);
  return p.list(true);
}

/** Whether an interactive shell must read more lines before it can run this text (an open `for`, `if`, ...). */
export function needsMoreInput(masked: string): boolean {
  try {
    parseCompound(masked);
    return false;
  } catch (e) {
    return e instanceof ShellSyntaxError && e.incomplete;
  }
}

/**
 * Whether a shell reading `text` line by line (a terminal, a script on standard input) reads on before it
 * runs it: a here-document's body not ended yet, or a compound command still open.
 */
export function readsOn(text: string): boolean {
  const x = extractHereDocs(text);
  return x.open || needsMoreInput(maskSubstitutions(x.text));
}

