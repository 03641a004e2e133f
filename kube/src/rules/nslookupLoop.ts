/**
 * A container script that waits for a Service with `until nslookup NAME`, in an image whose nslookup is busybox
 * 1.29's own resolver (busybox:1.36, busybox, alpine). That nslookup ignores ndots: a bare name is asked in every
 * search domain and the status is 1 when any of them has no such name, a name with a dot is asked exactly as typed.
 * Unless NAME is the full `….cluster.local` name, the loop never ends, even once the Service exists: the init
 * container stays in `Init:0/1` (kubernetes/kubernetes#66924; the documentation pins busybox:1.28 for it). The
 * editor says so and offers the full name. Editor only: nothing upstream refuses it.
 */
import { busyboxSmallNslookup, parseImage } from '../imageConvention';
import type { Rule } from './context';
import { eachObject, podSpecSites, shellScriptArg } from './context';

const SHELLS = new Set(['sh', 'bash', 'ash']);
/** `until nslookup [OPTIONS] NAME` or `while ! nslookup … NAME`: NAME is the group. */
const WAIT_LOOP = /\b(?:until|while\s+!)\s+nslookup((?:\s+-\S+)*)\s+([^\s;&|)'"`]+)/g;
/** The documentation's way to name the pod's own namespace from inside it. */
export const NAMESPACE_FROM_FILE = '$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)';

/** Images whose nslookup is busybox 1.29's or later: busybox itself (but 1.28 and before) and alpine, which carries it. */
function bigNslookup(image: string): boolean {
  const repo = parseImage(image).repository;
  if (/(^|\/)alpine$/.test(repo)) return true;
  return /(^|\/)busybox$/.test(repo) && !busyboxSmallNslookup(image);
}

/** The full name a waiting loop should ask for NAME, when it can be told (a bare name: a Service of the pod's namespace). */
export function fullNameFor(name: string): string | undefined {
  return name.includes('.') ? undefined : `${name}.${NAMESPACE_FROM_FILE}.svc.cluster.local`;
}

export const nslookupLoopRule: Rule = {
  codes: ['nslookup-search'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          if (typeof ctr.image !== 'string' || !bigNslookup(ctr.image)) return;
          // busybox's and alpine's default command is a shell, so `args: [sh, -c, …]` alone runs one as well.
          const found = shellScriptArg(ctr, SHELLS);
          if (!found) return;
          const { script, path } = found;
          for (const m of script.matchAll(WAIT_LOOP)) {
            const name = m[2];
            // A full name works; a name built from a variable cannot be judged here.
            if (/\.cluster\.local\.?$/.test(name) || name.includes('$')) continue;
            const full = fullNameFor(name);
            const how = name.includes('.')
              ? `asks "${name}" exactly as typed (it ignores ndots), and that is no name on its own`
              : `asks "${name}" in every search domain and exits 1 when any of them has no such name`;
            out.push({
              code: 'nslookup-search', severity: 'warning', path: [...site.specPath, list, i, ...path],
              message: `The nslookup of busybox 1.29 and later ${how}: \`${m[0].trim()}\` never ends, even once the Service exists`
                + ` (kubernetes/kubernetes#66924). Ask the full name (\`<service>.<namespace>.svc.cluster.local\`${full ? `, here ${full}` : ''}), or use busybox:1.28 as the Kubernetes documentation does`,
              data: full ? { name, full } : undefined,
            });
          }
        });
      }
    }
  },
};
