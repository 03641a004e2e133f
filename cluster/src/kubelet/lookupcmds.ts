/**
 * How the shells and debianutils find a command, where a learner asks: the `type` builtin and `command -v`/`-V`
 * (dash's exec.c typecmd/commandcmd → describe_command; bash's builtins/type.def; busybox ash shares dash's
 * code), debianutils' `which`, and two programs of the images: ncurses-bin's `clear` and `nginx -v`/`-t`.
 * A program is looked up along PATH in the container's own filesystem where the image's files are modelled
 * (imageroot.ts); in other images every simulated program the image has is taken to be in /bin, as in busybox's.
 */
import type { Dialect } from './exec';

/** What a lookup reads of the shell. */
export interface LookupContext {
  dialect: Dialect;
  /** The shell's PATH. */
  path: string;
  hasFunction(name: string): boolean;
  /** Programs run before, which dash and ash remember (hash) and `type` calls tracked aliases. */
  hashed: ReadonlySet<string>;
  /** Whether the path is an executable regular file in the container (undefined: the image's files are not modelled). */
  executable(abs: string): boolean | undefined;
  /** Whether the image has a simulated program of that name (for images whose files are not modelled). */
  hasProgram(name: string): boolean;
}

/** dash's builtins (src/builtins.def.in); the special ones are POSIX's. */
const DASH_BUILTINS = new Set(['.', ':', '[', 'alias', 'bg', 'break', 'cd', 'chdir', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export',
  'false', 'fg', 'getopts', 'hash', 'jobs', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', 'times', 'trap',
  'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait']);
/** busybox ash's (shell/ash.c builtintab, with the image's config). */
const ASH_BUILTINS = new Set([...DASH_BUILTINS, '[[', 'help', 'history', 'let', 'source']);
/** bash's (builtins/*.def). */
const BASH_BUILTINS = new Set([...DASH_BUILTINS, 'bind', 'builtin', 'caller', 'compgen', 'complete', 'compopt', 'declare', 'dirs', 'disown', 'enable',
  'fc', 'help', 'history', 'let', 'logout', 'mapfile', 'popd', 'pushd', 'readarray', 'shopt', 'source', 'suspend', 'typeset']);
export const SPECIAL_BUILTINS = new Set(['.', ':', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset']);
const KEYWORDS = new Set(['!', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while', '{', '}']);
const BASH_KEYWORDS = new Set([...KEYWORDS, '[[', ']]', 'function', 'select', 'time', 'coproc']);

export const isBuiltin = (dialect: Dialect, name: string): boolean => (dialect === 'bash' ? BASH_BUILTINS : dialect === 'dash' ? DASH_BUILTINS : ASH_BUILTINS).has(name);

type Kind = { kind: 'keyword' | 'function' | 'builtin' | 'special' } | { kind: 'file'; path: string } | { kind: 'none' };

/** The first executable of that name along PATH (an empty entry is the current folder, which callers resolve). */
export function findInPath(c: LookupContext, name: string, all = false): string[] {
  if (name.includes('/')) return c.executable(name) !== false ? [name] : [];
  const found: string[] = [];
  for (const dir of c.path.split(':')) {
    const p = `${dir === '' ? '.' : dir.replace(/\/+$/, '')}/${name}`;
    const ok = c.executable(p);
    if (ok === undefined) return c.hasProgram(name) ? [`/bin/${name}`] : [];
    if (ok) { found.push(p); if (!all) break; }
  }
  return found;
}

function kindOf(c: LookupContext, name: string): Kind {
  if ((c.dialect === 'bash' ? BASH_KEYWORDS : KEYWORDS).has(name)) return { kind: 'keyword' };
  // dash's find_command: special builtins before functions, functions before the other builtins and PATH.
  if (SPECIAL_BUILTINS.has(name)) return { kind: c.dialect === 'bash' ? 'builtin' : 'special' };
  if (c.hasFunction(name)) return { kind: 'function' };
  if (isBuiltin(c.dialect, name)) return { kind: 'builtin' };
  const [path] = findInPath(c, name);
  return path ? { kind: 'file', path } : { kind: 'none' };
}

export interface LookupOut { stdout: string; stderr: string; code: number }

/**
 * `type NAME...` (and `command -V`): one line each. dash and ash: `NAME is /usr/bin/ls` (`is a tracked alias for`
 * once hashed), `is a shell builtin`, `is a special shell builtin`, `is a shell function`, `is a shell keyword`;
 * a name not found prints `NAME: not found` on stdout and makes the status 127. bash: `is hashed (PATH)`, every
 * builtin `a shell builtin` outside POSIX mode, `is a function`; not found is `bash: type: NAME: not found` on
 * stderr, status 1.
 */
export function typeCommand(c: LookupContext, args: string[], shellError: (cmd: string, msg: string) => string): LookupOut {
  let stdout = '', stderr = '', code = 0;
  for (const name of args.filter((a, i) => !(i === 0 && a === '--'))) {
    const k = kindOf(c, name);
    switch (k.kind) {
      case 'keyword': stdout += `${name} is a shell keyword\n`; break;
      case 'special': stdout += `${name} is a special shell builtin\n`; break;
      case 'builtin': stdout += `${name} is a shell builtin\n`; break;
      case 'function': stdout += c.dialect === 'bash' ? `${name} is a function\n` : `${name} is a shell function\n`; break;
      case 'file': {
        const hashed = c.hashed.has(name) && !name.includes('/');
        stdout += c.dialect === 'bash' ? (hashed ? `${name} is hashed (${k.path})\n` : `${name} is ${k.path}\n`) : `${name} is${hashed ? ' a tracked alias for' : ''} ${k.path}\n`;
        break;
      }
      default:
        if (c.dialect === 'bash') { stderr += shellError('type', `${name}: not found`); code = 1; } else { stdout += `${name}: not found\n`; code = 127; }
    }
  }
  return { stdout, stderr, code };
}

/** `command -v NAME`: the path of a program, the name of anything else; nothing and status 127 (bash: 1) when not found. */
export function commandV(c: LookupContext, name: string): LookupOut {
  const k = kindOf(c, name);
  if (k.kind === 'none') return { stdout: '', stderr: '', code: c.dialect === 'bash' ? 1 : 127 };
  return { stdout: `${k.kind === 'file' ? k.path : name}\n`, stderr: '', code: 0 };
}

/**
 * debianutils' which (and busybox's applet): the first executable along PATH of each name (`-a`: every one),
 * nothing for a name not found, status 1 when any is missing; builtins and functions are not programs.
 */
export function whichCommand(c: LookupContext, args: string[]): LookupOut {
  let all = false, k = 0;
  for (; k < args.length && /^-/.test(args[k]); k++) {
    if (args[k] === '--') { k++; break; }
    if (args[k] === '-a') all = true;
    else return { stdout: '', stderr: `Illegal option ${args[k]}\nUsage: which [-a] args\n`, code: 2 };
  }
  const names = args.slice(k);
  if (!names.length) return { stdout: '', stderr: '', code: 1 };
  let stdout = '', missing = false;
  for (const n of names) {
    const found = findInPath(c, n, all);
    if (!found.length) missing = true;
    for (const p of found) stdout += `${p}\n`;
  }
  return { stdout, stderr: '', code: missing ? 1 : 0 };
}

/** ncurses' clear (clear_cmd): the terminal's clear_screen then its E3 (scrollback), xterm's; no TERM, no terminal. */
export function clearCommand(term: string | undefined): LookupOut {
  if (!term) return { stdout: '', stderr: 'TERM environment variable not set.\n', code: 1 };
  return { stdout: '\x1b[H\x1b[2J\x1b[3J', stderr: '', code: 0 };
}

/**
 * nginx's own options (ngx_get_options, ngx_show_version_info): `-v` prints `nginx version: nginx/X` on
 * stderr; `-t` tests the configuration and says so for /etc/nginx/nginx.conf (ngx_test_config's two notices).
 * An option nginx does not know is `nginx: invalid option: "X"`, status 1.
 */
export function nginxCommand(version: string | undefined, args: string[]): LookupOut {
  const v = `nginx version: nginx${version ? `/${version}` : ''}\n`;
  const conf = '/etc/nginx/nginx.conf';
  if (args[0] === '-v') return { stdout: '', stderr: v, code: 0 };
  if (args[0] === '-t' || args[0] === '-qt' || (args[0] === '-q' && args[1] === '-t')) {
    const quiet = args[0] !== '-t';
    return { stdout: '', stderr: quiet ? '' : `nginx: the configuration file ${conf} syntax is ok\nnginx: configuration file ${conf} test is successful\n`, code: 0 };
  }
  const bad = args[0] && /^-[^vVtTqhs?cegp]/.exec(args[0]);
  if (bad) return { stdout: '', stderr: `nginx: invalid option: "${args[0][1]}"\n`, code: 1 };
  return { stdout: '', stderr: 'kubeplay: nginx -v and nginx -t are simulated; the server itself is already running as PID 1\n', code: 1 };
}
