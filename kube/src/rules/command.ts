/**
 * A container command whose first item holds a whole command line
 * (`command: ["python app.py"]`, `command: ["sh -c", "echo hi"]`). The
 * apiserver accepts it, but the runtime looks for an executable named by the
 * whole item, spaces included: runc cannot start the container (StartError,
 * exit code 128) and the pod goes to CrashLoopBackOff. The editor says so and
 * offers the items the author meant. Editor only: nothing upstream refuses it.
 */
import type { Rule } from './context';
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

export const containerCommandRule: Rule = {
  codes: ['command-whitespace'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const cmd = ctr.command;
          // Blanks anywhere in the name count: `"sh "` is no more an executable than `"python app.py"`.
          if (!Array.isArray(cmd) || typeof cmd[0] !== 'string' || !/\s/.test(cmd[0]) || cmd[0].trim() === '') return;
          const split = splitCommand(cmd[0]);
          const meant = split ? [...split, ...cmd.slice(1).map(String)] : undefined;
          out.push({
            code: 'command-whitespace', severity: 'warning', path: [...site.specPath, list, i, 'command', 0],
            message: `The runtime looks for an executable named ${JSON.stringify(cmd[0])}, spaces included, and cannot start the container`
              + ' (StartError, exit code 128, then CrashLoopBackOff): the program and each of its arguments are items of their own'
              + (meant ? `, ${JSON.stringify(meant).replace(/","/g, '", "')}` : ''),
            data: meant ? { items: meant } : undefined,
          });
        });
      }
    }
  },
};

