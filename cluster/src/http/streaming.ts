/**
 * The streaming subresources (exec, attach, port-forward, proxy), which need
 * a container runtime or a network upstream. The playground simulates exec
 * only, over a WebSocket upgrade as kubectl 1.30 and newer make it; one
 * refusal text serves the REST router (a plain request, no Upgrade) and the
 * upgrade handler (SPDY, or a subresource it does not simulate).
 */
import { badRequest, type Status } from './status';

export const STREAMING: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward', 'proxy']);

/** The 400 for a streaming request the playground cannot serve; `upgrade` names the protocol asked for, if any. */
export function streamingNotAvailable(resource: string, subresource: string, upgrade?: string): Status {
  const what = `${resource}/${subresource} is not available in the kubeplay playground`;
  if (resource === 'pods' && subresource === 'exec') {
    const asked = upgrade ? `over ${upgrade}` : 'without a WebSocket upgrade';
    return badRequest(`${what} ${asked}: exec needs a WebSocket upgrade (v5.channel.k8s.io or v4.channel.k8s.io), as kubectl 1.30 and newer do it`);
  }
  return badRequest(`${what}: its containers are simulated, and only exec is; attach, port-forward and proxy are not simulated`);
}
