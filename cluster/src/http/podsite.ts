/** The files a pod's web server serves (kubelet/sites.ts), read through the playground's view of its containers. */
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import { containerFs } from '../kubelet/mounts';
import { podSite, type Site } from '../kubelet/sites';

export function siteOf(ctx: HttpContext, pod: KObject, port: number): Site | undefined {
  return podSite(pod, port, {
    fsOf: (p, c) => {
      const w = ctx.playground?.execWorld?.(p, c);
      return w ? containerFs(w) : undefined;
    },
    now: () => ctx.now(),
    ingress: ctx.playground?.ingressGateway?.(),
    connect: (from, to, p) => ctx.playground?.connect?.(from, to, p, 'TCP').allowed ?? true,
  });
}
