/**
 * What "Port Forward" in the tree forwards to, resolved as kubectl
 * port-forward resolves it (pure: reads the mirrored store only):
 *
 * - a pod forwards to a port of its own; the first declared containerPort is
 *   offered, else 80;
 * - a Service forwards to one of its pods, the one kubectl would attach to
 *   (running and ready first, then the oldest), and the Service port becomes
 *   that pod's target port: a number, or a container port found by name.
 *
 * The local port is written as kubectl writes it: `8080:80`, `80` (the same
 * number locally) or `:80` (any free local port).
 */
import type { KObject } from './types';

export interface ForwardSpec {
  /** The local port; 0 asks the OS for a free one. */
  local: number;
  /** The port as the user named it (a Service port for a Service, a pod port for a pod). */
  remote: number;
}

/** Parses `L:R`, `R` or `:R` as kubectl's port-forward arguments do; undefined when it is not that. */
export function parseForwardSpec(text: string): ForwardSpec | undefined {
  const m = /^\s*(?:(\d*):)?(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const remote = Number(m[2]);
  const local = m[1] === undefined ? remote : m[1] === '' ? 0 : Number(m[1]);
  if (remote < 1 || remote > 65535 || local < 0 || local > 65535) return undefined;
  return { local, remote };
}

/** What the input box offers first: the pod's first declared port (or 80), locally the same, or 8080 below 1024. */
export function defaultSpec(obj: KObject): string {
  let remote = 80;
  if (obj.kind === 'Service') remote = obj.spec?.ports?.[0]?.port ?? 80;
  else {
    const declared = (obj.spec?.containers ?? []).find((c: any) => (c.ports ?? []).length > 0);
    if (declared) remote = declared.ports[0].containerPort;
  }
  const local = remote >= 1024 ? remote : 8080;
  return `${local}:${remote}`;
}

const ready = (p: KObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** The pod a Service forwards to, as kubectl's attachable-pod choice: running, ready, then oldest, by name. */
export function podForService(svc: KObject, pods: KObject[]): KObject | undefined {
  const selector: Record<string, string> = svc.spec?.selector ?? {};
  if (!Object.keys(selector).length) return undefined;
  const matching = pods.filter(
    (p) => p.metadata.namespace === svc.metadata.namespace && !p.metadata.deletionTimestamp && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
  );
  const rank = (p: KObject) => (p.status?.phase === 'Running' ? 0 : 2) + (ready(p) ? 0 : 1);
  matching.sort((a, b) => rank(a) - rank(b) || String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  return matching[0];
}

/**
 * The pod port behind a Service port (kubectl's translateServicePortToTargetPort):
 * the targetPort number, or the container port with that name, or the port itself.
 * A headless Service passes the port through. Throws with kubectl's words when
 * the Service has no such port.
 */
export function targetPortOf(svc: KObject, pod: KObject, servicePort: number): number {
  // A headless Service has no proxy in front: the port given is the pod's, declared or not.
  if (svc.spec?.clusterIP === 'None') return servicePort;
  const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === servicePort);
  if (!sp) throw new Error(`Service ${svc.metadata.name} does not have a service port ${servicePort}`);
  const target = sp.targetPort;
  if (target === undefined || target === null || target === '') return sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const named = (c.ports ?? []).find((p: any) => p.name === target);
    if (named) return named.containerPort;
  }
  throw new Error(`Pod '${pod.metadata.name}' does not have a named port '${target}'`);
}

/**
 * The URL a Service answers on from this machine when the playground serves
 * it: a NodePort Service's first TCP nodePort on 127.0.0.1 (kubeplay serve
 * opens them as Docker Desktop does), or undefined for any other Service.
 */
export function nodePortUrl(svc: KObject): string | undefined {
  if (svc.spec?.type !== 'NodePort') return undefined;
  const p = (svc.spec?.ports ?? []).find((x: any) => (x.protocol ?? 'TCP') === 'TCP' && Number.isInteger(x.nodePort));
  return p ? `http://127.0.0.1:${p.nodePort}/` : undefined;
}

/** A name a browser on this machine takes to 127.0.0.1 by itself: `localhost` and names under `.localhost` (RFC 6761). */
export function loopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** One way into an Ingress from this machine: a browser URL when a browser can name the host, and always a curl line. */
export interface IngressRoute {
  host: string;
  path: string;
  url?: string;
  curl: string;
}

/**
 * How the playground's ingress-nginx controller is reached from this
 * machine for each rule of `ing`: its HTTP NodePort on 127.0.0.1, with the
 * rule's host as the Host header. A rule without a host is served whatever
 * the Host, so a browser reaches it at 127.0.0.1; a host under `.localhost`
 * too; any other host needs `curl --resolve`. Wildcard hosts are left out.
 */
export function ingressRoutes(ing: KObject, controller: KObject | undefined): IngressRoute[] {
  const port = controller?.spec?.type === 'NodePort' ? (controller.spec.ports ?? []).find((p: any) => p.name === 'http' || p.port === 80)?.nodePort : undefined;
  if (!Number.isInteger(port)) return [];
  const out: IngressRoute[] = [];
  for (const r of ing.spec?.rules ?? []) {
    const host: string = typeof r?.host === 'string' ? r.host : '';
    if (host.startsWith('*.')) continue;
    const path = String(r?.http?.paths?.[0]?.path || '/').replace(/[()|$^*+?\[\]\\{}].*$/, '') || '/';
    const name = host || '127.0.0.1';
    const url = `http://${name}:${port}${path}`;
    out.push({ host, path, url: !host || loopbackName(host) ? url : undefined, curl: host ? `curl --resolve ${host}:${port}:127.0.0.1 ${url}` : `curl ${url}` });
  }
  if (!out.length && ing.spec?.defaultBackend) out.push({ host: '', path: '/', url: `http://127.0.0.1:${port}/`, curl: `curl http://127.0.0.1:${port}/` });
  return out;
}
