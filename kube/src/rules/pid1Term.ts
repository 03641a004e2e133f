/**
 * A container whose first process is a shell script that runs for ever (`while true; do …; sleep 10; done`,
 * `sleep infinity`, `tail -f`) and sets no trap. The kernel gives a namespace's PID 1 no default action for
 * SIGTERM: without a handler the signal is dropped, so the shell ignores the kubelet's TERM and deleting the
 * pod waits out its whole terminationGracePeriodSeconds (30 s by default) for the SIGKILL (exit 137). The
 * editor says so, with a fix that adds `trap 'exit 0' TERM`. Editor only, and information only: nothing is
 * wrong with the manifest, it is slow to delete. Not said when the pod shares its process namespace (the
 * pause process is PID 1 then, and TERM ends the shell), for init containers that are not sidecars (they end on
 * their own), or when the script traps signals or `exec`s another program.
 */
import type { Rule } from './context';
import { eachObject, podSpecSites, shellScriptArg } from './context';

/** The shells whose `-c SCRIPT` the container rules read (a path's last element is its name). */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash']);
/** A loop that never ends: a trap set before it runs once the `sleep` it is in is over. */
const LOOP = /\bwhile\s+(?:true|:)\s*(?:;|\n|\s+do\b)|\buntil\s+false\s*(?:;|\n|\s+do\b)/;
/** A `sleep infinity` in the foreground: a trap would wait for it for ever, so it goes to the background and the shell waits. */
const SLEEP_FOREVER = /\bsleep\s+(?:infinity|inf)\b(?!\s*&)/;
/** `tail -f` in the foreground, which no trap interrupts either. */
const TAIL = /\btail\s+(?:-[a-zA-Z]*[fF]|--follow)\b/;
/** A trap, or an `exec` that puts another program in the shell's place. */
const HANDLED = /\btrap\b|(?:^|[;&|\n(]\s*)exec\s/;

export const pid1TermRule: Rule = {
  codes: ['pid1-term'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      if (site.spec.shareProcessNamespace === true) continue;
      const grace = typeof site.spec.terminationGracePeriodSeconds === 'number' ? site.spec.terminationGracePeriodSeconds : 30;
      // A grace period of a second or two makes the wait short anyway.
      if (grace <= 2) continue;
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          // The shell must be the program itself (`[sh, -c, …]` in command, or in args of an image whose command is a shell).
          const found = shellScriptArg(ctr, SHELLS);
          if (!found || found.index !== 2) return;
          const { script, path } = found;
          if (HANDLED.test(script)) return;
          const sleeps = SLEEP_FOREVER.test(script);
          const tail = TAIL.test(script);
          if (!LOOP.test(script) && !/\bsleep\s+(?:infinity|inf)\b/.test(script) && !tail) return;
          out.push({
            code: 'pid1-term', severity: 'information', path: [...site.specPath, list, i, ...path],
            message: `This shell is the container's first process (PID 1), and a PID 1 without a handler ignores SIGTERM: `
              + `deleting the pod waits out terminationGracePeriodSeconds (${grace} s) and then kills it (exit 137). `
              + (tail
                ? 'A trap runs only once the foreground command ends, which `tail -f` never does: run it in the background (`tail -f … & wait`) and add `trap \'exit 0\' TERM` at the start.'
                : sleeps
                  ? 'Add `trap \'exit 0\' TERM` at the start and write `sleep infinity & wait`: a trap runs only once the foreground command ends, and a `wait` ends at once.'
                  : 'Add `trap \'exit 0\' TERM` at the start of the script to end it when asked (after the `sleep` it is in).'),
            // No fix for tail -f, whose arguments this cannot tell apart from what follows them.
            data: tail ? undefined : { sleeps },
          });
        });
      }
    }
  },
};
