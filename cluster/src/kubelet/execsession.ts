/**
 * An interactive shell over exec's streams. With a TTY the terminal on the
 * user's side is raw, so this side echoes keystrokes, handles backspace,
 * Ctrl-C and Ctrl-D, prints a prompt and ends lines with CRLF, as a pty
 * would. Without a TTY (`kubectl exec -i pod -- sh`) it runs each complete
 * line it reads, silently, and ends when standard input does.
 */
import { SHELLS, commandName, shellFlags, type ShellState } from './exec';
import { readsOn } from './shellcompound';
import { containerSpecOf } from './execenv';
import { identityOf, userName } from './procs';

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
  /** The lines read so far: dash numbers its errors by them (its parser's line count goes on over the session). */
  private lines = 0;

  constructor(private state: ShellState, private tty: boolean, private flavour: 'sh' | 'bash' = 'sh') {
    state.interactive = true;
    if (flavour === 'bash') state.dialect = 'bash';
    // kubectl's terminal size comes on the resize channel, which the session does not read: 80 columns.
    if (tty) state.terminalColumns = 80;
  }

  prompt(): string {
    const cwd = this.state.cwd;
    if (this.flavour === 'bash') {
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
        this.line = '';
        this.lines++;
        if (readsOn(text)) {
          this.pending = text + '\n';
          if (this.tty) stdout += '> ';
          continue;
        }
        this.pending = '';
        this.state.lineBase = this.lines - (text.split('\n').length - 1);
        const r = this.state.run(text, '', { ordered: this.tty });
        // A TTY merges both streams on one terminal, in the order they were written.
        stdout += this.tty ? this.crlf(r.order ? r.order.map((o) => o.text).join('') : r.stdout + r.stderr) : this.crlf(r.stdout);
        if (!this.tty) stderr += r.stderr;
        if (this.state.exited !== undefined) return { stdout, stderr, exit: this.state.exited };
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
          // The shell ends: its EXIT trap runs (on the terminal, both streams merged).
          const t = this.state.endShell();
          return { stdout: stdout + (this.flavour === 'bash' ? 'exit\r\n' : '\r\n') + this.crlf(t.stdout + t.stderr), stderr, exit: t.code };
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
      this.state.lineBase = this.lines - (this.pending.split('\n').length - 1) + 1;
      const r = this.state.run(this.pending + this.line);
      this.line = this.pending = '';
      stdout = r.stdout;
      stderr = r.stderr;
    }
    // The shell ends: its EXIT trap runs.
    const t = this.state.endShell();
    return this.tty ? { stdout: this.crlf(t.stdout + t.stderr), stderr: '', exit: t.code } : { stdout: stdout + t.stdout, stderr: stderr + t.stderr, exit: t.code };
  }
}
