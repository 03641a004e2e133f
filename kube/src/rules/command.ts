/**
 * A container command whose first item holds a whole command line
 * (`command: ["python app.py"]`, `command: ["sh -c", "echo hi"]`). The
 * apiserver accepts it, but the runtime looks for an executable named by the
 * whole item, spaces included: runc cannot start the container (StartError,
 * exit code 128) and the pod goes to CrashLoopBackOff. The editor says so and
 * offers the items the author meant. Editor only: nothing upstream refuses it. The same walk over the containers
 * looks for shell variables where no shell runs (shellVariable).
 */
import type { JsonObject, Rule } from './context';
import type { FieldPath, Finding } from './types';
import { eachObject, podSpecSites } from './context';

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/**
 * Splits a command line into words as a POSIX shell would for simple text: blanks separate, single quotes
 * keep everything, double quotes keep all but `\"` and `\\`, a backslash outside quotes keeps the next
 * character. Undefined for an unterminated quote (no safe split).
 */
export function shellWords(line: string): string[] | undefined {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        word += line[j];
      }
      if (j >= line.length) return undefined;
      inWord = true;
      i = j;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/**
 * The items `first` stands for: its words, except that a shell's `-c` script stays one item
 * (`sh -c echo hi` is `["sh", "-c", "echo hi"]`, the script as the author wrote it, one level of quotes off).
 */
export function splitCommand(first: string): string[] | undefined {
  const text = first.trim();
  // An unquoted script after `-c` is the rest of the line; a quoted one (and what follows it) splits as the shell
  // splits it, quotes and all (`sh -c 'echo a' b` is ["sh", "-c", "echo a", "b"]).
  const m = /^(\S+)\s+-c\s+([^'"\s][\s\S]*)$/.exec(text);
  if (m && SHELLS.has(m[1].slice(m[1].lastIndexOf('/') + 1)) && !/['"\\]/.test(m[2])) return [m[1], '-c', m[2].trim()];
  const words = shellWords(text);
  return words && words.length ? words : undefined;
}

/**
 * The two checks of a container's command (one walk over the containers): a first item holding a whole command
 * line, and a shell variable where no shell runs (shellVariable, below).
 */
export const containerCommandRule: Rule = {
  codes: ['command-whitespace', 'shell-variable'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const cmd = ctr.command;
          if (!Array.isArray(cmd) || typeof cmd[0] !== 'string') return;
          const at: FieldPath = [...site.specPath, list, i];
          // Blanks anywhere in the name count: `"sh "` is no more an executable than `"python app.py"`.
          if (!/\s/.test(cmd[0])) shellVariable(ctr, cmd, at, out);
          else if (cmd[0].trim() !== '') commandLineItem(cmd, at, out);
        });
      }
    }
  },
};

function commandLineItem(cmd: unknown[], at: FieldPath, out: Finding[]): void {
  const first = String(cmd[0]);
  const split = splitCommand(first);
  const meant = split ? [...split, ...cmd.slice(1).map(String)] : undefined;
  out.push({
    code: 'command-whitespace', severity: 'warning', path: [...at, 'command', 0],
    message: `The runtime looks for an executable named ${JSON.stringify(first)}, spaces included, and cannot start the container`
      + ' (StartError, exit code 128, then CrashLoopBackOff): the program and each of its arguments are items of their own'
      + (meant ? `, ${JSON.stringify(meant).replace(/","/g, '", "')}` : ''),
    data: meant ? { items: meant } : undefined,
  });
}


/** Programs that run another program from their arguments, which may be a shell that expands variables itself. */
const LAUNCHERS = new Set(['env', 'busybox', 'nohup', 'timeout', 'xargs', 'su', 'sudo', 'tini', 'dumb-init', 'gosu', 'su-exec', 'time', 'nice', 'setsid', 'chroot', 'flock', 'watch', 'exec']);

/** `$NAME` or `${NAME}` (not `$$NAME`, not Kubernetes' own `$(NAME)`), with the name. */
const SHELL_REF = /(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * A `$NAME` or `${NAME}` in a container's command or args where no shell runs to expand it (`command: ["echo",
 * "$GREETING"]`): the kubelet expands only Kubernetes' own `$(NAME)` references (expansion.Expand), and the program
 * gets the text as written. Said only where the container's `command` names a program that is not a shell or a
 * launcher of one (with no `command`, the image's entrypoint may be a shell), and only for names the container's own
 * `env` defines, which is what the author meant to pass. Editor only: nothing upstream refuses it.
 */
function shellVariable(ctr: JsonObject, cmd: unknown[], at: FieldPath, out: Finding[]): void {
  if (!Array.isArray(ctr.env)) return;
  const program = (s: unknown) => (typeof s === 'string' ? s.slice(s.lastIndexOf('/') + 1) : '');
  const args: unknown[] = Array.isArray(ctr.args) ? ctr.args : [];
  if ([...cmd, ...args].some((a) => SHELLS.has(program(a)) || LAUNCHERS.has(program(a)) || a === '-c')) return;
  const defined = new Set(ctr.env.map((e: any) => e?.name).filter((n: unknown) => typeof n === 'string'));
  for (const [field, items] of [['command', cmd], ['args', args]] as const) {
    items.forEach((item: unknown, k: number) => {
      if (typeof item !== 'string' || !item.includes('$')) return;
      const names = [...item.matchAll(SHELL_REF)].map((m) => m[1] ?? m[2]).filter((n) => defined.has(n));
      if (!names.length) return;
      const fixed = item.replace(SHELL_REF, (m, braced?: string, bare?: string) => (defined.has(braced ?? bare!) ? `$(${braced ?? bare})` : m));
      const first = names[0];
      out.push({
        code: 'shell-variable', severity: 'warning', path: [...at, field, k],
        message: `"${item}" reaches ${program(cmd[0])} as written: no shell runs this command to expand $${first}, and Kubernetes expands only `
          + `$(${first}) in command and args, from the container's env. Write $(${first}) (or run the command through sh -c).`,
        data: { name: first, fixed },
      });
    });
  }
}
