/**
 * A preStop hook that sleeps as long as the pod's grace period, or longer. terminationGracePeriodSeconds counts the
 * hook too: the kubelet runs the hook for at most the grace period, sends SIGTERM when the hook returns or the grace
 * period is over, and gives what is left (never under 2 s) before the SIGKILL. A hook that sleeps the whole grace
 * period leaves the application 2 s to shut down, whatever it needs. The apiserver refuses a `sleep` action this
 * long (validation) but lets one exactly as long through, and an exec hook running `sleep N`; the editor says so, with a fix that sets
 * the grace period to the hook's time plus the 30 s the application would have had by default. Only plain sleeps
 * are counted (`sleep 20`, `sh -c "…; sleep 20"`); a loop or a sleep with a variable is not guessed at.
 */
import type { Rule } from './context';
import { eachObject, isObject, podSpecSites, shellScriptArg } from './context';
import { SHELLS } from './pid1Term';

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
/** What the application gets by default to shut down, which the fix keeps after the hook. */
const DEFAULT_GRACE = 30;

/** Seconds a hook's command sleeps in the foreground, or undefined when it cannot be told. */
export function hookSleepSeconds(command: unknown): number | undefined {
  if (!Array.isArray(command) || !command.every((a) => typeof a === 'string')) return undefined;
  const argv = command as string[];
  if ((argv[0] ?? '').replace(/^.*\//, '') === 'sleep') return argv.length === 2 ? seconds(argv[1]) : undefined;
  // `[sh, -c, SCRIPT]`: the shell itself is the program.
  const found = shellScriptArg({ command: argv }, SHELLS);
  if (!found || found.index !== 2) return undefined;
  const script = found.script;
  // Loops, functions and background jobs make the time anyone's guess.
  if (/\b(while|until|for|if|case)\b|\|\||\(\)\s*\{|(?<!&)&(?!&)|\$\(|`/.test(script)) return undefined;
  let total = 0;
  for (const m of script.matchAll(/(?:^\s*|[;&|\n]\s*|\bthen\s+|\bdo\s+)sleep\s+([^\s;&|)]+)/g)) {
    const s = seconds(m[1]);
    if (s === undefined) return undefined;
    total += s;
  }
  return total || undefined;
}

function seconds(arg: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  return m ? Number(m[1]) * UNIT[m[2] || 's'] : undefined;
}

export const preStopGraceRule: Rule = {
  codes: ['prestop-grace'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const given = site.spec.terminationGracePeriodSeconds;
      if (given !== undefined && typeof given !== 'number') continue;
      const grace = typeof given === 'number' ? given : DEFAULT_GRACE;
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          // Only sidecars among init containers may have hooks (the apiserver says so for the others).
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          const hook = isObject(ctr.lifecycle) && isObject(ctr.lifecycle.preStop) ? ctr.lifecycle.preStop : undefined;
          const exec = hook && isObject(hook.exec) ? hook.exec : undefined;
          // A sleep action longer than the grace period is refused by the apiserver; one as long is let through.
          const action = hook && isObject(hook.sleep) && typeof hook.sleep.seconds === 'number' && hook.sleep.seconds === grace ? hook.sleep.seconds : undefined;
          const slept = exec ? hookSleepSeconds(exec.command) : action;
          if (slept === undefined || slept < grace) return;
          const want = Math.ceil(slept) + DEFAULT_GRACE;
          out.push({
            code: 'prestop-grace', severity: 'warning', path: [...site.specPath, list, i, 'lifecycle', 'preStop', ...(exec ? ['exec', 'command'] : ['sleep', 'seconds'])],
            message: `This preStop hook sleeps ${slept} s, and terminationGracePeriodSeconds (${grace} s${given === undefined ? ', the default' : ''}) counts the hook too: `
              + `the kubelet cuts the hook at ${grace} s, then sends SIGTERM and kills the container 2 s later, so the application gets no time to shut down. `
              + `Make the grace period longer than the hook, e.g. ${want} s (the hook plus the default 30 s).`,
            data: { specPath: site.specPath, grace: want },
          });
        });
      }
    }
  },
};
