/**
 * An interactive shell over exec's streams. With a TTY the terminal on the
 * user's side is raw, so this side echoes keystrokes, handles backspace,
 * Ctrl-C and Ctrl-D, prints a prompt and ends lines with CRLF, as a pty
 * would. Without a TTY (`kubectl exec -i pod -- sh`) it runs each complete
 * line it reads, silently, and ends when standard input does. On a terminal,
 * a shell typed at the prompt (`bash`) is a child that reads the terminal
 * until it exits, then its parent reads it again (a stack of shells).
 */
import { lacksProgram } from '../../../kube/src/imageConvention';
import { SHELLS, commandName, shellFlags, type ShellState } from './exec';
import { readsOn } from './shellcompound';
import { containerSpecOf } from './execenv';
import { identityOf, userName } from './procs';

type Flavour = 'sh' | 'bash';
/** One shell of a terminal session: its state, whose prompt it prints, and how many lines it has read. */
interface Level { state: ShellState; flavour: Flavour; lines: number }
/**
 * A shell typed at the prompt (`bash`, `/bin/sh`, `bash -l`, `exec bash`, `X=1 bash`): its argv, whether `exec`
 * replaces the current one, and the assignments before it, which are in its environment alone.
 */
interface ShellStart { argv: string[]; replace: boolean; env: Array<[string, string]> }

export interface SessionOutput { stdout: string; stderr: string; exit?: number }

/** `sh`, `ash` or `bash` without `-c`: a shell that reads its commands from standard input. */
export function isShell(argv: string[]): boolean {
  return argv.length > 0 && SHELLS.has(commandName(argv[0])) && shellFlags(argv.slice(1)).script < 0;
}

export class InteractiveShell {
  private line = '';
  /** The lines of a compound command read so far, each ended by a newline. */
  private pending = '';
  private escape = false;
  /**
   * The shells reading the terminal, the innermost last. `bash` typed at the prompt is a child process that reads
   * the terminal until it exits; its parent waits, and goes on with `$?` set to the child's status.
   */
  private readonly levels: Level[] = [];

  constructor(state: ShellState, private tty: boolean, flavour: Flavour = 'sh') {
    this.enter(state, flavour);
  }

  /** The shell reading the terminal now, and its state. */
  private get top(): Level {
    return this.levels[this.levels.length - 1];
  }
  private get state(): ShellState {
    return this.top.state;
  }

  private enter(state: ShellState, flavour: Flavour): void {
    state.interactive = true;
    if (flavour === 'bash') state.dialect = 'bash';
    if (this.tty) {
      // kubectl's terminal size comes on the resize channel (resize); until it does, 80 columns.
      state.terminalColumns = this.levels.length ? this.state.terminalColumns : 80;
      state.onTerminal = true;
    }
    // The lines read so far: dash numbers its errors by them (its parser's line count goes on over the session).
    this.levels.push({ state, flavour, lines: 0 });
  }

  /** The terminal's width changed: every shell of the session lays out `ls` to it. */
  resize(columns: number): void {
    for (const l of this.levels) l.state.terminalColumns = columns;
  }

  /**
   * A line that starts a shell and nothing else (`bash`, `/bin/sh`, `bash -l`, `exec bash`; no `-c`, no script),
   * and that the image has: on a terminal it takes the terminal over. A shell the image lacks is left to the
   * line's run, which answers it as not found in the current shell's words.
   */
  private shellStart(text: string): ShellStart | undefined {
    let words = text.trim().split(/[ \t]+/);
    const env: Array<[string, string]> = [];
    for (let m; words.length && (m = /^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9_./:,+-]*)$/.exec(words[0])); words = words.slice(1)) env.push([m[1], m[2]]);
    if (!words.every((w) => /^[A-Za-z0-9_./+-]+$/.test(w))) return undefined;
    const replace = words[0] === 'exec';
    const argv = replace ? words.slice(1) : words;
    if (!argv.length || !SHELLS.has(commandName(argv[0]))) return undefined;
    if (!argv.slice(1).every((a) => a === '--login' || (/^-[a-zA-Z]+$/.test(a) && !a.includes('c')))) return undefined;
    if (lacksProgram(String(containerSpecOf(this.state.world).image ?? ''), commandName(argv[0]))) return undefined;
    return { argv, replace, env };
  }

  /** A shell typed at the prompt starts: a child of the current one, or (`exec`) in its place, with its PID. */
  private begin({ argv, replace, env }: ShellStart): void {
    const parent = this.state;
    const child = parent.spawnShell(argv);
    // `X=1 bash`: X is in the child's environment (exported there), and not set in the parent. Before `exec`, a
    // special builtin, dash keeps it in the shell that goes on (eval.c evalcommand), which is the child here.
    for (const [k, v] of env) { child.vars.set(k, v); child.exported.add(k); }
    const opts = argv.slice(1);
    child.errexit = shellFlags(opts).errexit;
    // bash's -l or --login: a login shell, whose `exit` says `logout` (exit.def).
    child.login = opts.some((a) => a === '--login' || (a.startsWith('-') && !a.startsWith('--') && a.includes('l')));
    if (replace) {
      // execve keeps the process: its PID, its parent, its start; only its command line is the new one's.
      child.session = { ...parent.session, args: argv.join(' ') };
      this.levels.pop();
    }
    this.enter(child, commandName(argv[0]) === 'bash' ? 'bash' : 'sh');
  }

  /**
   * The innermost shell ended with `code`: its parent reads the terminal again, with `$?` set to it. Answers
   * whether that was the session's own shell (the session ends).
   */
  private leave(code: number): boolean {
    if (this.levels.length === 1) return true;
    this.levels.pop();
    this.state.last = code;
    return false;
  }

  prompt(): string {
    const cwd = this.state.cwd;
    if (this.top.flavour === 'bash') {
      // Debian's /etc/bash.bashrc: PS1='\u@\h:\w\$ ', the user, the short hostname, ~ for root's home, # for root.
      const pod = this.state.world.pod;
      const spec = containerSpecOf(this.state.world);
      const { uid } = identityOf(pod, spec);
      const host = String(pod.spec?.hostname ?? pod.metadata.name ?? '').split('.')[0];
      return `${userName(String(spec?.image ?? ''), uid)}@${host}:${cwd === '/root' && uid === 0 ? '~' : cwd}${uid === 0 ? '#' : '$'} `;
    }
    if (this.state.dialect === 'dash') {
      // dash's var.c initvar(): PS1 is `$ `, or `# ` when geteuid() is 0; no directory in it.
      return identityOf(this.state.world.pod, containerSpecOf(this.state.world)).uid === 0 ? '# ' : '$ ';
    }
    return `${cwd === '/root' ? '~' : cwd} # `;
  }

  /** What the shell prints before any input. */
  start(): SessionOutput {
    return { stdout: this.tty ? this.prompt() : '', stderr: '' };
  }

  private crlf(s: string): string {
    return this.tty ? s.replace(/\r?\n/g, '\r\n') : s;
  }

  input(data: string): SessionOutput {
    let stdout = '', stderr = '';
    for (const ch of data) {
      if (this.escape) {
        if (/[A-Za-z~]/.test(ch)) this.escape = false;
        continue;
      }
      if (this.tty && ch === '\x1b') { this.escape = true; continue; }
      if (ch === '\r' || ch === '\n') {
        if (this.tty) stdout += '\r\n';
        else if (ch === '\r') continue;
        // An open compound command (`for i in 1 2 3` so far) waits for its next line, with ash's PS2 prompt.
        const text = this.pending + this.line;
        const level = this.top;
        this.line = '';
        level.lines++;
        if (readsOn(text)) {
          this.pending = text + '\n';
          if (this.tty) stdout += '> ';
          continue;
        }
        this.pending = '';
        // Piped input stays with the shell reading it: dash and ash read a pipe a block at a time (dash input.c
        // preadfd), so a child shell they start finds it already read.
        const start = this.tty ? this.shellStart(text) : undefined;
        if (start) {
          this.begin(start);
          stdout += this.prompt();
          continue;
        }
        this.state.lineBase = level.lines - (text.split('\n').length - 1);
        const r = this.state.run(text, '', { ordered: this.tty });
        // A TTY merges both streams on one terminal, in the order they were written.
        stdout += this.tty ? this.crlf(r.order ? r.order.map((o) => o.text).join('') : r.stdout + r.stderr) : this.crlf(r.stdout);
        if (!this.tty) stderr += r.stderr;
        const exited = this.state.exited;
        if (exited !== undefined && this.leave(exited)) return { stdout, stderr, exit: exited };
        if (this.tty) stdout += this.prompt();
        continue;
      }
      if (!this.tty) { this.line += ch; continue; }
      if (ch === '\x7f' || ch === '\b') {
        if (this.line) { this.line = [...this.line].slice(0, -1).join(''); stdout += '\b \b'; }
      } else if (ch === '\x03') {
        this.line = '';
        this.pending = '';
        stdout += '^C\r\n' + this.prompt();
      } else if (ch === '\x04') {
        if (!this.line) {
          // The shell ends: its EXIT trap runs (on the terminal, both streams merged). bash's EOF runs its exit
          // builtin (parse.y handle_eof_input_unit), which says `exit` (`logout` in a login shell); dash's cmdloop
          // (main.c) and busybox ash end the line with a newline.
          const said = this.top.flavour === 'bash' ? (this.state.login ? 'logout\r\n' : 'exit\r\n') : '\r\n';
          const t = this.state.endShell();
          stdout += said + this.crlf(t.stdout + t.stderr);
          this.pending = '';
          if (this.leave(t.code)) return { stdout, stderr, exit: t.code };
          stdout += this.prompt();
        }
      } else if (ch === '\x15') {
        stdout += '\b \b'.repeat([...this.line].length);
        this.line = '';
      } else if (ch >= ' ') {
        this.line += ch;
        stdout += ch;
      }
    }
    return { stdout, stderr };
  }

  /** Standard input ended: a script's last line runs, then the shell exits. */
  end(): SessionOutput {
    let stdout = '', stderr = '';
    if (!this.tty && (this.line || this.pending)) {
      // The pending lines were counted as read; the last one, with no newline, was not.
      this.state.lineBase = this.top.lines - (this.pending.split('\n').length - 1) + 1;
      const r = this.state.run(this.pending + this.line);
      this.line = this.pending = '';
      stdout = r.stdout;
      stderr = r.stderr;
    }
    // The shells end, the innermost first: each one's EXIT trap runs (on a terminal, both streams merged), and
    // its status is its parent's `$?`.
    for (;;) {
      const t = this.state.endShell();
      stdout += this.tty ? this.crlf(t.stdout + t.stderr) : t.stdout;
      if (!this.tty) stderr += t.stderr;
      if (this.leave(t.code)) return { stdout, stderr, exit: t.code };
    }
  }
}
