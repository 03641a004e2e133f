/** The files a pod's web server serves (kubelet/sites.ts), read through the playground's view of its containers. */
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import { containerFs } from '../kubelet/mounts';
import { podSite, type Site, type SiteWorld } from '../kubelet/sites';
import { logAccess, type AccessRecord } from '../kubelet/accesslog';

/** A running container's log, where a server writes its access log. */
function accessLogOf(ctx: HttpContext): SiteWorld['accessLog'] {
  const pg = ctx.playground;
  return pg ? (p, c, line) => pg.containerOutput(p.metadata?.namespace ?? 'default', p.metadata?.name, c, `${line}\n`) : undefined;
}

/** What a connection to the pod's port tells of each request it answered: the server's access log line. */
export function servedBy(ctx: HttpContext, pod: KObject, port: number): (req: AccessRecord, status: number, bytes: number) => void {
  return (req, status, bytes) => logAccess(pod, port, { accessLog: accessLogOf(ctx) }, req, status, bytes, ctx.now());
}

export function siteOf(ctx: HttpContext, pod: KObject, port: number): Site | undefined {
  return podSite(pod, port, {
    fsOf: (p, c) => {
      const w = ctx.playground?.execWorld?.(p, c);
      return w ? containerFs(w) : undefined;
    },
    now: () => ctx.now(),
    ingress: ctx.playground?.ingressGateway?.(),
    connect: (from, to, p) => ctx.playground?.connect?.(from, to, p, 'TCP').allowed ?? true,
    accessLog: accessLogOf(ctx),
  });
}
