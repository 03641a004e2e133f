/**
 * Where a probe (or an HTTP lifecycle hook) aims, that the kubelet cannot reach as written.
 *
 * A probe's HTTP or TCP port, or an HTTP lifecycle hook's, given by a name its container does not declare:
 *
 * The apiserver accepts any valid port name there (ValidatePortNumOrName checks only its form). The kubelet looks
 * the name up in the container's own `ports` when it probes (pkg/probe ResolveContainerPort, findPortByName, then
 * strconv.Atoi as a last resort). When it is missing, the prober records `<Type> probe errored and resulted in unknown
 * state: strconv.Atoi: parsing "<name>": invalid syntax` and the worker throws the result
 * away (pkg/kubelet/prober/worker.go), so the probe's result stays what it was before the first probe: a readiness
 * probe keeps the pod unready, a startup probe keeps the container from ever counting as started, and a liveness
 * probe never fails, however unhealthy the container.
 *
 * An HTTP lifecycle hook resolves its port the same way (NewRequestForHTTPGetAction), and an unresolved name fails
 * the hook: a postStart failure kills the container, a preStop failure only skips the hook.
 *
 * An HTTP probe of a path that an nginx container left as its image ships it does not serve: nginx answers 404, and
 * the probe fails (`HTTP probe failed with statuscode: 404`) as the playground's kubelet plays it too.
 */
import type { JsonObject, Rule } from './context';
import { eachObject, isObject, podSpecSites } from './context';
import { stockSite } from '../imageConvention';
import type { FieldPath, Finding } from './types';

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;

const LABEL: Record<(typeof PROBES)[number], string> = { readinessProbe: 'Readiness', livenessProbe: 'Liveness', startupProbe: 'Startup' };

const PROBE_CONSEQUENCE: Record<(typeof PROBES)[number], string> = {
  readinessProbe: 'the pod never becomes Ready',
  livenessProbe: 'its result is discarded, so this probe never restarts the container, however unhealthy it is',
  startupProbe: 'the container never counts as started: its liveness and readiness probes never run and the pod never becomes Ready',
};

const HOOK_CONSEQUENCE: Record<(typeof HOOKS)[number], string> = {
  postStart: 'the hook fails (FailedPostStartHook) and the kubelet kills the container, each time it starts',
  preStop: 'the hook fails (FailedPreStopHook) and the container is stopped without it',
};

export const probeTargetsRule: Rule = {
  codes: ['unknown-probe-port', 'unknown-hook-port', 'probe-path-unserved'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['containers', 'initContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const at = [...site.specPath, list, i];
          for (const probe of PROBES) {
            const pr = ctr[probe];
            if (!isObject(pr)) continue;
            for (const action of ['httpGet', 'tcpSocket'] as const) {
              const a = pr[action];
              if (isObject(a)) unresolved(ctr, a.port, [...at, probe, action, 'port'], out, { probe });
            }
            if (isObject(pr.httpGet)) unservedPath(ctr, pr.httpGet, probe, [...at, probe, 'httpGet'], out);
          }
          const lc = ctr.lifecycle;
          if (!isObject(lc)) return;
          for (const hook of HOOKS) {
            const h = lc[hook];
            const get = isObject(h) ? h.httpGet : undefined;
            if (isObject(get)) unresolved(ctr, get.port, [...at, 'lifecycle', hook, 'httpGet', 'port'], out, { hook });
          }
        });
      }
    }
  },
};

/** Reports `port` when it is a name the container's `ports` lack (numbers, and names it declares, resolve). */
function unresolved(ctr: JsonObject, port: unknown, path: FieldPath, out: Finding[], what: { probe: (typeof PROBES)[number] } | { hook: (typeof HOOKS)[number] }): void {
  if (typeof port !== 'string' || port === '') return;
  const ports: JsonObject[] = [];
  eachObject(ctr.ports, (p) => ports.push(p));
  if (ports.some((p) => p.name === port)) return;
  const names = ports.map((p) => p.name).filter((n): n is string => typeof n === 'string' && n !== '');
  const numbers = ports.map((p) => p.containerPort).filter((n): n is number => typeof n === 'number');
  const who = typeof ctr.name === 'string' && ctr.name ? `Container ${JSON.stringify(ctr.name)}` : 'This container';
  const head = `${who} has no port named ${JSON.stringify(port)} (${names.length ? `its named ports: ${names.join(', ')}` : 'it names no ports'})`;
  const data = { port, ...what, portNames: names, ...(names.length ? {} : { portNumbers: numbers.map(String) }) };
  if ('probe' in what) {
    out.push({ code: 'unknown-probe-port', severity: 'warning', path, data,
      message: `${head}, so the kubelet cannot resolve this ${what.probe}'s port: every probe errors `
        + `(${LABEL[what.probe]} probe errored and resulted in unknown state: strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax) and ${PROBE_CONSEQUENCE[what.probe]}.` });
  } else {
    out.push({ code: 'unknown-hook-port', severity: 'warning', path, data,
      message: `${head}, so the kubelet cannot resolve this ${what.hook} hook's port: ${HOOK_CONSEQUENCE[what.hook]}.` });
  }
}

const PATH_CONSEQUENCE: Record<(typeof PROBES)[number], string> = {
  readinessProbe: 'the pod never becomes Ready',
  livenessProbe: 'the kubelet restarts the container every time failureThreshold probes in a row have failed',
  startupProbe: 'the kubelet kills the container once failureThreshold probes have failed, each time it starts',
};

/**
 * An HTTP probe of a path that a stock nginx site does not hold. Only plain paths are judged (letters, digits and
 * `._~-/`, no `..` and no empty segment); a query string does not count, as nginx serves files by path alone.
 */
function unservedPath(ctr: JsonObject, get: JsonObject, probe: (typeof PROBES)[number], at: FieldPath, out: Finding[]): void {
  if ((typeof get.host === 'string' && get.host) || (get.scheme !== undefined && get.scheme !== 'HTTP')) return;
  const site = stockSite(ctr);
  if (!site) return;
  const port = typeof get.port === 'number' ? get.port
    : typeof get.port === 'string' ? (Array.isArray(ctr.ports) ? ctr.ports.find((p) => isObject(p) && p.name === get.port) as JsonObject | undefined : undefined)?.containerPort : undefined;
  if (port !== site.port) return;
  const raw = typeof get.path === 'string' ? get.path : '';
  const path = raw.split('?')[0].replace(/^\/+/, '');
  if (!/^[A-Za-z0-9._~\-/]+$/.test(path) || path.endsWith('/') || path.split('/').some((seg) => seg === '' || seg === '..')) return;
  const file = path.split('/').filter((seg) => seg !== '.').join('/');
  if (file === '' || site.files.includes(file)) return;
  const image = typeof ctr.image === 'string' ? ctr.image : 'nginx';
  out.push({
    code: 'probe-path-unserved', severity: 'warning', path: [...at, 'path'],
    message: `nginx answers /${path} with 404 Not Found: ${image} serves the files of ${site.root}, which holds only ${site.files.join(' and ')} `
      + `unless you mount your own files or configuration there. This ${probe} fails (HTTP probe failed with statuscode: 404) and ${PATH_CONSEQUENCE[probe]}.`,
    data: { path: `/${path}`, probe, root: site.root, files: [...site.files] },
  });
}
