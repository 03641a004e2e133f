/**
 * Container commands the kubelet can play through the simulated shell
 * (exec.ts) instead of the image convention's timing alone: a `sh -c` script
 * (or a command run directly) made only of commands the shell knows, in the
 * shapes it runs. Its output goes to the container's log, and a polling loop
 * such as the documentation's init container
 *
 *   until nslookup myservice.$(cat .../namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done
 *
 * really waits: its condition is tried against the cluster's DNS and
 * kube-proxy every period, until the Service exists. A script with other
 * compound commands (`if`, `for`, `case`, nested loops) is played step by step
 * instead (compoundRunnable, ShellState.steps), as is one with here-documents.
 * Anything the shell does not do (an application binary, background jobs, ...)
 * keeps the image convention: the planner refuses rather than guesses.
 */
import { commandName, shellFlags, SHELLS } from './exec';
import { kubectlEntrypoint } from './kubectl';
import { kubectlPlays } from './kubectlargs';
import { parseCompound, type ShellNode } from './shellcompound';
import { braceEnd, maskSubstitutions, parameterWord } from './shellsyntax';
import { changesNetwork } from './netinfo';
import { bodyCommands, extractHereDocs } from './heredoc';

/** What the simulated shell can run (exec.ts). */
const KNOWN = new Set(['true', ':', 'false', 'exit', 'echo', 'hostname', 'whoami', 'id', 'pwd', 'date', 'uname', 'sleep', 'env', 'printenv',
  'export', 'cd', 'ls', 'cat', 'grep', 'wc', 'sort', 'head', 'tail', 'nslookup', 'getent', 'wget', 'curl',
  'touch', 'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'tee', 'test', '[', '[[', 'tar', 'kubectl', 'seq', 'uniq', 'cut', 'tr', 'printf', 'basename', 'dirname', 'set', 'unset', 'expr', 'ps',
  'nc', 'ip', 'ifconfig', 'route', 'netstat', 'shift', 'local', 'trap', 'wait', 'kill']);
/** Shell words this planner does not read (it reads `until`/`while … do … done` only). */
const REFUSED_WORDS = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'case', 'esac', 'select', 'function', 'trap', 'exec', 'eval', 'source', '.', 'read', 'wait']);
/** Commands the steps run (compoundRunnable) and the plans do not: the scheduler answers `wait`, and runs traps. */
const STEPS_ONLY = new Set(['trap', 'wait']);

export interface ScriptLoop {
  /** `until` runs the body while the condition fails; `while` while it succeeds (`while !` while it fails). */
  until: boolean;
  condition: string;
  body: string;
}

/**
 * A script cut around its one loop. The kubelet runs the parts in turn
 * through the shell, pausing at each `sleep` for as long as it sleeps.
 */
export interface ScriptPlan {
  /** What runs before the loop, or the whole script when there is none. */
  before: string;
  loop?: ScriptLoop;
  /** What runs after the loop ends. */
  after: string;
}

/** A word as the shell reads it back: single-quoted unless it is plain. */
const quoteWord = (w: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/**
 * Kubernetes' own `$(VAR)` references in command and args, expanded from the
 * container's environment before anything runs (`$$` is a literal `$`; a name
 * the environment lacks is left as written, as expansion.Expand does).
 */
export function expandReferences(arg: string, env: (name: string) => string | undefined): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) => {
    if (m === '$$') return '$';
    const v = env(name!);
    return v === undefined ? m : v;
  });
}

/**
 * The script a container's command runs: the script of `sh -c <script>` (or
 * `bash -c`, `/bin/sh -c`), or a command the shell knows run directly
 * (`kubectl run ... -- nslookup web`), as a one-line script.
 */
export function shellScript(argv: string[]): string | undefined {
  if (!argv.length) return undefined;
  const cmd = commandName(argv[0]);
  if (SHELLS.has(cmd)) { const c = shellFlags(argv.slice(1)).script; return c >= 0 && argv.length >= c + 3 ? argv[c + 2] : undefined; }
  return KNOWN.has(cmd) ? argv.map(quoteWord).join(' ') : undefined;
}

/** The command and args a container runs, joined: an image's own entrypoint (kubectl's) when it gives no command. */
export const commandLine = (container: any): string[] =>
  [...(container.command ?? (kubectlEntrypoint(String(container.image ?? '')) ? ['kubectl'] : [])), ...(container.args ?? [])].map(String);

interface Scanned {
  /**
   * The script with every quoted string and substitution blanked to `x`s, so
   * that only the shell's own syntax is left, at the same offsets as `text`.
   */
  flat: string;
  /** The script as the shell will run it: a newline that ends a command reads as `;`, any other as a space. */
  text: string;
  /** What runs inside each `$( )`; `arith` holds the insides of `$(( ))`. */
  inner: string[];
  arith: string[];
}

/** One pass over a script: quotes, substitutions and newlines, or undefined for what the shell does not do (backquotes). */
function scan(script: string): Scanned | undefined {
  let flat = '';
  let text = '';
  const inner: string[] = [];
  const arith: string[] = [];
  let quote = '';
  const put = (t: string, f: string = t) => { text += t; flat += f; };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '`') return undefined;
    if (quote === "'") { put(c, 'x'); if (c === "'") quote = ''; continue; }
    if (c === '\\') { const t = c + (script[i + 1] ?? ''); put(t, 'x'.repeat(t.length)); i++; continue; }
    // A comment: `#` where a word starts, outside quotes, to the end of its line (blank in the flat text). After an
    // escaped character or a `)` (the end of a `$( )`) the word goes on.
    if (c === '#' && !quote && (i === 0 || (/[\s;&|(<>]/.test(script[i - 1]) && script[i - 2] !== '\\'))) {
      let j = i;
      while (j < script.length && script[j] !== '\n') j++;
      put(script.slice(i, j), ' '.repeat(j - i));
      i = j - 1;
      continue;
    }
    // `${...}`, in quotes or not: one the shell expands (shellsyntax.ts variable) stands as a word; its word's
    // own substitutions are checked as the script's are. Any other form keeps the image convention.
    if (c === '$' && script[i + 1] === '{') {
      const end = braceEnd(script, i + 1);
      if (end < 0) return undefined;
      const word = parameterWord(script.slice(i + 2, end));
      if (word === undefined) return undefined;
      // Unquoted, a word with an operator or a comment-like `#` in it is cut by the shell's own splitting: refused.
      if (!quote && /[;&)]|\s#/.test(maskSubstitutions(word).replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ''))) return undefined;
      if (word) {
        const w = scan(word);
        if (!w) return undefined;
        inner.push(...w.inner);
        arith.push(...w.arith);
      }
      put(script.slice(i, end + 1), 'x'.repeat(end + 1 - i));
      i = end;
      continue;
    }
    if (c === '$' && script[i + 1] === '(') {
      let depth = 1;
      let j = i + 2;
      for (; j < script.length && depth; j++) { if (script[j] === '(') depth++; else if (script[j] === ')') depth--; }
      if (depth) return undefined;
      const body = script.slice(i + 2, j - 1);
      if (body.startsWith('(') && body.endsWith(')')) arith.push(body.slice(1, -1));
      else inner.push(body);
      put(script.slice(i, j), 'x'.repeat(j - i));
      i = j - 1;
      continue;
    }
    if (quote === '"') { put(c, 'x'); if (c === '"') quote = ''; continue; }
    if (c === "'" || c === '"') { quote = c; put(c, 'x'); continue; }
    if (c === '\n') {
      // A blank line, or a line ending in an operator or `do`, continues; any other newline ends a command.
      const before = flat.trimEnd();
      // `do` continues only as a keyword (at the start of a command), not as a word: `echo to do`.
      if (!before || /(;|&&|\|\||\|)$/.test(before) || /(^|[;&|]\s*)(do|then|else)$/.test(before)) put(' ');
      else put(';');
      continue;
    }
    put(c);
  }
  if (quote) return undefined;
  return { flat, text, inner, arith };
}

/** Whether every `${…}` of an expanding here-document's body is one the shell expands. */
function knownExpansions(body: string): boolean {
  for (let i = body.indexOf('${'); i >= 0; i = body.indexOf('${', i + 2)) {
    if (i > 0 && body[i - 1] === '\\') continue;
    const end = braceEnd(body, i + 1);
    if (end < 0 || parameterWord(body.slice(i + 2, end)) === undefined) return false;
  }
  return true;
}

/** Simple commands of a flat script (split at ; && || |), as words. */
function simpleCommands(flat: string): string[][] {
  return flat.split(/;|&&|\|\||\|/).map((part) => part.trim().split(/\s+/).filter(Boolean)).filter((w) => w.length);
}

const LOOP_WORDS = new Set(['until', 'while', 'do', 'done', '!']);

/**
 * The flat script with the loop words that are not keywords blanked: a word
 * is a keyword only where a command starts (after `;`, `&&`, `||`, `|`, or
 * another keyword), so `echo done` keeps its `done` as plain text.
 */
function keywordsOnly(flat: string): string {
  return flat.replace(/[^;&|]+/g, (part) => {
    let atStart = true;
    return part.replace(/\S+/g, (w) => {
      if (atStart && LOOP_WORDS.has(w)) return w;
      atStart = false;
      return LOOP_WORDS.has(w) ? 'x'.repeat(w.length) : w;
    });
  });
}

/** Whether every command of a script is one the shell runs, in a shape it runs; `loopWords` allows until/while/do/done. */
function runnable(script: string, loopWords: boolean, kubectl: boolean, steps = false): boolean {
  const s = scan(script);
  if (!s) return false;
  // The shell's redirections (`>`, `>>`, `<`, `2>`, `2>&1`, `>&2`, with an optional 1 or 2) are fine; other
  // descriptors, here-documents, background jobs, subshells and groups are not (scan blanked the comments).
  const f = s.flat.replace(/(?<![\d<>&])[12]?(?:>&[12]|>>?|<)(?![<>&])/g, ' ').replace(/&&/g, '  ');
  if (/[<>(){}&]/.test(f)) return false;
  // Arithmetic the shell does: integers, names, + - * / % and parentheses.
  if (s.arith.some((e) => /[^\s\dA-Za-z_$+\-*/%()]/.test(e) || /\*\*|\+\+|--|0x|\$\(/i.test(e))) return false;
  // Time passes only at a `sleep` run on its own: one in a pipeline (or, below, in a substitution) would take none.
  for (const pipeline of s.flat.split(/;|&&|\|\|/)) {
    if (pipeline.includes('|') && pipeline.split('|').some((cmd) => /^\s*(?:(?:until|while|do|!)\s+)*sleep\b/.test(cmd))) return false;
  }
  for (const words of simpleCommands(s.flat)) {
    let k = 0;
    while (loopWords && k < words.length && ['until', 'while', 'do', 'done'].includes(words[k])) k++;
    if (loopWords && words[k] === '!' && k > 0 && ['until', 'while'].includes(words[k - 1])) k++;
    if (k === words.length) continue;
    const w = words.slice(k);
    // Assignments alone, or before a command (`LANG=C sort`), which then runs with them in its environment.
    while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) w.shift();
    if (!w.length) continue;
    const cmd = commandName(w[0]);
    if (!KNOWN.has(cmd) || (REFUSED_WORDS.has(w[0]) && !(steps && STEPS_ONLY.has(w[0])))) return false;
    // kubectl only where the image ships it, and only what kubectl.ts simulates (`rollout restart`, `get -w`: the image convention).
    if (cmd === 'kubectl' && (!kubectl || !kubectlPlays(w.slice(1)))) return false;
    // `env X=1 cmd` runs another command; `tail -f` never ends.
    if (cmd === 'env' && w.length > 1) return false;
    if (cmd === 'tail' && w.some((x) => /^-[a-zA-Z]*[fF]|^--follow/.test(x))) return false;
    // `nc -l` (a server) and `nc -e` are the image convention's: the container listens (imageConvention.ts).
    if (cmd === 'nc' && w.slice(1).some((x) => /^-[a-zA-Z]*[le]/.test(x))) return false;
    // A network change needs NET_ADMIN, which the shell does not model: such a script keeps the image convention.
    if ((cmd === 'ip' || cmd === 'ifconfig' || cmd === 'route') && changesNetwork(cmd, w.slice(1))) return false;
  }
  return s.inner.every((body) => runnable(body, false, kubectl) && !simpleCommands(scan(body)?.flat ?? '').some((w) => commandName(w[0]) === 'sleep'));
}

/**
 * Whether a script with compound commands (`for`, `if`, `case`, groups, loops in loops) is one the shell
 * plays step by step (ShellState.steps): it parses, and each of its simple commands, `for` lists and `case`
 * words is one `runnable` accepts.
 */
export function compoundRunnable(script: string, opts: { kubectl?: boolean } = {}): boolean {
  // Here-documents are read first, as the shell reads them (heredoc.ts); their bodies are text, but for what they run.
  const docs = extractHereDocs(script);
  const s = scan(docs.text);
  if (!s) return false;
  let tree: ShellNode | undefined;
  // The parser reads the newlines itself (a function's `{` at a line's end, a `(` alone on one); the offsets are the same.
  try { tree = parseCompound(maskSubstitutions(docs.text)); } catch { return false; }
  // A script without compound commands comes here when planScript would not take it (here-documents, traps).
  if (!tree) tree = { t: 'simple', span: { start: 0, end: s.text.length } };
  const kubectl = opts.kubectl ?? false;
  // The shell does not run backquotes: a body that expands one is refused, as a script with one is.
  if (docs.docs.some((d) => d.expand && d.body.includes('`'))) return false;
  // Nor a `${…}` form it does not expand: the body would show it as text.
  if (docs.docs.some((d) => d.expand && !knownExpansions(d.body))) return false;
  const substitutions = docs.docs.flatMap((d) => (d.expand ? bodyCommands(d.body) : []));
  if (!substitutions.every((body) => runnable(body, false, kubectl, true) && !simpleCommands(scan(body)?.flat ?? '').some((w) => commandName(w[0]) === 'sleep'))) return false;
  const text = (span: { start: number; end: number }) => s.text.slice(span.start, span.end);
  // The script's own functions are commands it may call (their bodies are checked where they are defined).
  const functions = new Map<string, ShellNode>();
  /** Every node under `n`, `n` first. */
  const nodes = (n: ShellNode | undefined, out: ShellNode[] = []): ShellNode[] => {
    if (!n) return out;
    out.push(n);
    for (const k of ['body', 'node', 'otherwise', 'cond'] as const) nodes((n as Record<string, any>)[k], out);
    for (const c of (n as any).items ?? (n as any).parts ?? []) nodes(c, out);
    for (const b of (n as any).branches ?? []) { nodes(b.cond, out); nodes(b.body, out); }
    for (const a of (n as any).arms ?? []) nodes(a.body, out);
    return out;
  };
  for (const n of nodes(tree)) if (n.t === 'func') functions.set(n.name, n.body);
  // A function run in a pipeline or with a redirection runs at once (ShellState.runFunction): one that sleeps is refused.
  const sleeps = (n: ShellNode, seen = new Set<ShellNode>()): boolean => nodes(n).some((x) => {
    if (x.t !== 'simple' || seen.has(x)) return false;
    seen.add(x);
    const t = text(x.span).trim();
    const called = functions.get(/^[A-Za-z_][A-Za-z0-9_]*/.exec(t)?.[0] ?? '');
    return /^sleep(\s|$)/.test(t) || (!!called && sleeps(called, seen));
  });
  const ok = (n: ShellNode | undefined): boolean => {
    if (!n) return true;
    switch (n.t) {
      case 'simple': {
        // `read` takes its line from the compound command's input (`done < file`, `… | while read l`).
        const t = text(n.span).trim();
        const name = /^[A-Za-z_][A-Za-z0-9_]*(?=\s|$)/.exec(t)?.[0];
        if (name && functions.has(name)) {
          if (/[|<>]/.test(s.flat.slice(n.span.start, n.span.end)) && sleeps(functions.get(name)!)) return false;
          return runnable(`echo${t.slice(name.length)}`, false, kubectl, true);
        }
        // A trap's command runs when its signal comes: it must be one the shell runs too.
        // (In double quotes its variables are expanded when the trap is set: each stands as a word here.)
        const action = /^trap\s+(?:--\s+)?('([^']*)'|"((?:[^"\\]|\\.)*)")/.exec(t);
        const actionText = action ? action[2] ?? action[3].replace(/\\(.)/g, '$1').replace(/\$\{?[A-Za-z_?!$#@*0-9][A-Za-z0-9_]*\}?/g, 'x') : undefined;
        if (actionText !== undefined && (actionText.includes('`') || !compoundRunnable(actionText, opts))) return false;
        return /^read(\s+(-r|[A-Za-z_][A-Za-z0-9_]*))*$/.test(t) || runnable(t, false, kubectl, true);
      }
      case 'seq': return n.items.every(ok);
      case 'andor': return n.parts.every(ok);
      case 'if': return n.branches.every((b) => ok(b.cond) && ok(b.body)) && ok(n.otherwise);
      case 'for': return (!n.words || runnable(`echo ${text(n.words)}`, false, kubectl, true)) && ok(n.body);
      case 'loop': return ok(n.cond) && ok(n.body);
      case 'case': return runnable(`echo ${text(n.word)}`, false, kubectl, true) && n.arms.every((a) => ok(a.body));
      case 'group': case 'subshell': case 'func': case 'bg': return ok(n.body);
      case 'jump': return true;
      // A compound command piped into a pipeline runs before its reader, so its sleeps would take no time: refused.
      case 'tail': return !n.pipe && ok(n.node) && (!n.redirs || runnable(`cat ${n.redirs.map(text).join(' ')}`, false, kubectl, true))
        && (!n.input || runnable(`cat < ${text(n.input)}`, false, kubectl, true));
      case 'pipein': return runnable(text(n.src), false, kubectl, true) && ok(n.node);
    }
  };
  return ok(tree);
}

/** The plan for a script the shell can play (`kubectl`: the image ships it), or undefined to keep the image convention. */
export function planScript(script: string, opts: { kubectl?: boolean } = {}): ScriptPlan | undefined {
  const s = scan(script);
  if (!s || !runnable(script, true, opts.kubectl ?? false)) return undefined;
  const marked = keywordsOnly(s.flat);
  const words = simpleCommands(marked).flat();
  const loops = words.filter((w) => w === 'until' || w === 'while').length;
  if (loops === 0) {
    if (words.some((w) => w === 'do' || w === 'done')) return undefined;
    return { before: s.text, after: '' };
  }
  if (loops > 1) return undefined; // nested or successive loops
  // One loop, set off by `;` (or newlines) from what comes before and after it: found in the flat text
  // (quotes blanked), cut from the real text at the same offsets.
  const m = /^(?:([\s\S]*?);\s*)?(until|while)\s+([\s\S]+?)\s*;\s*do\s+([\s\S]*?)\s*;?\s*done\s*(?:;\s*([\s\S]*?))?\s*;?\s*$/d.exec(marked);
  if (!m?.indices) return undefined;
  const at = m.indices;
  const cut = (k: number) => (at[k] ? s.text.slice(at[k]![0], at[k]![1]) : '');
  const cond = cut(3);
  const negated = /^!\s+/.test(cond);
  // `while ! a && b` negates the whole list in sh; only a single pipeline is read that way here.
  if (negated && /&&|\|\|/.test(m[3])) return undefined;
  return { before: cut(1), loop: { until: m[2] === 'until' ? !negated : negated, condition: cond.replace(/^!\s+/, ''), body: cut(4) }, after: cut(5) };
}
