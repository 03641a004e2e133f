/** The files a pod's web server serves (kubelet/sites.ts), read through the playground's view of its containers. */
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import { containerFs } from '../kubelet/mounts';
import { podSite, type Site, type SiteWorld } from '../kubelet/sites';
import { logAccess, type AccessRecord, type ServerConnection } from '../kubelet/accesslog';

/** A running container's log, where a server writes its access log. */
function accessLogOf(ctx: HttpContext): SiteWorld['accessLog'] {
  const pg = ctx.playground;
  return pg ? (p, c, line) => pg.containerOutput(p.metadata?.namespace ?? 'default', p.metadata?.name, c, `${line}\n`) : undefined;
}

/** A new connection to the server in a running container, as the playground counts them. */
function connectionOf(ctx: HttpContext): SiteWorld['connection'] {
  const pg = ctx.playground;
  return pg?.serverConnection ? (p, c) => pg.serverConnection!(p.metadata?.namespace ?? 'default', p.metadata?.name, c) : undefined;
}

/** What a connection to the pod's port tells of each request it answered: the server's error and access log lines. */
export function servedBy(ctx: HttpContext, pod: KObject, port: number): (req: AccessRecord, status: number, bytes: number, error?: string, conn?: { current?: ServerConnection }) => void {
  return (req, status, bytes, error, conn) => logAccess(pod, port, { accessLog: accessLogOf(ctx), connection: connectionOf(ctx) }, req, status, bytes, ctx.now(), error, conn);
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
    connection: connectionOf(ctx),
  });
}
