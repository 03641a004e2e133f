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
import { containerRunsAs, nginxDaemonizes, nginxWriteFailure } from '../imageConvention';

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

/**
 * nginx started by a container's own command or args without `-g 'daemon off;'` (imageConvention's nginxDaemonizes):
 * it goes into the background, its first process exits 0, and the container ends with it.
 */
export const nginxDaemonRule: Rule = {
  codes: ['nginx-daemonizes'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          // An init container that exits 0 has done its work; a sidecar (restartPolicy Always) is meant to run on.
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          const at = nginxDaemonizes(ctr);
          if (!at) return;
          out.push({
            code: 'nginx-daemonizes', severity: 'warning', path: [...site.specPath, list, i, at.list, at.index],
            message: 'nginx started this way runs as a daemon: its first process forks the server into the background and exits 0 at once, '
              + 'which ends the container. Under restartPolicy Always it is started again and again (CrashLoopBackOff); in a Job it counts as done. '
              + `The image's own command keeps nginx in the foreground: nginx -g 'daemon off;'.`,
            data: { items: ['-g', 'daemon off;'] },
          });
        });
      }
    }
  },
};

/**
 * The official nginx image on a read-only root filesystem or as a user other than root, with no writable volume
 * where it writes as it starts (imageConvention's nginxWriteFailure): it exits 1 and crash-loops.
 */
export const nginxWritesRule: Rule = {
  codes: ['nginx-cannot-write'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const podSecurity = site.spec.securityContext;
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          const f = nginxWriteFailure(ctr, podSecurity);
          if (!f) return;
          const at = [...site.specPath, list, i];
          const runsAs = containerRunsAs(ctr, podSecurity);
          const ownUser = (ctr.securityContext as { runAsUser?: unknown } | undefined)?.runAsUser;
          const path = runsAs.readOnlyRoot ? [...at, 'securityContext', 'readOnlyRootFilesystem']
            : ownUser !== undefined ? [...at, 'securityContext', 'runAsUser'] : [...site.specPath, 'securityContext', 'runAsUser'];
          const uid = ownUser ?? (podSecurity as { runAsUser?: unknown } | undefined)?.runAsUser;
          const how = runsAs.readOnlyRoot ? 'on a read-only root filesystem' : `as user ${String(uid)}, which may not write the image's folders (they are root's)`;
          out.push({
            code: 'nginx-cannot-write', severity: 'warning', path,
            message: `nginx cannot start ${how}: it writes its temporary folders under /var/cache/nginx and its PID file under /run as it starts, `
              + `and here ${f.call}() "${f.path}" fails (${f.errno}: ${f.error}), so the container exits 1 and is started again and again (CrashLoopBackOff). `
              + `Mount a writable volume, such as an emptyDir, at ${f.mountAt.join(' and ')}${runsAs.nonRoot ? ', or use nginxinc/nginx-unprivileged, made to run as a user other than root' : ''}.`,
            data: { how: runsAs.readOnlyRoot ? 'read-only' : 'non-root', uid: typeof uid === 'number' ? uid : undefined, call: f.call, path: f.path, errno: f.errno, error: f.error, mountAt: f.mountAt, nonRoot: runsAs.nonRoot },
          });
        });
      }
    }
  },
};
