/**
 * The streaming subresources (exec, attach, port-forward, proxy), which need
 * a container runtime or a network upstream. The playground simulates exec,
 * and attach to an interactive shell, over a WebSocket upgrade as kubectl
 * 1.30 and newer make them, and port-forward over SPDY or WebSocket
 * (portforward.ts); one refusal text serves the REST router (a plain
 * request, no Upgrade) and the upgrade handler (SPDY exec, or a subresource
 * it does not simulate).
 */
import { badRequest, type Status } from './status';

export const STREAMING: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward', 'proxy']);

/**
 * The 400 for a streaming request the playground cannot serve; `upgrade`
 * names the protocol asked for, if any; `notAShell` says an attach reached a
 * container whose process is not an interactive shell.
 */
export function streamingNotAvailable(resource: string, subresource: string, upgrade?: string, notAShell = false): Status {
  const what = `${resource}/${subresource} is not available in the kubeplay playground`;
  if (resource === 'pods' && subresource === 'attach' && notAShell) {
    return badRequest(`${what} for this container: attach joins only an interactive shell (sh with stdin: true, as kubectl run -it creates it); other simulated containers' output is their log`);
  }
  // The apiserver's upgrade-aware proxy, for a port-forward that asks for no upgrade.
  if (resource === 'pods' && subresource === 'portforward') return badRequest('Upgrade request required');
  if (resource === 'pods' && (subresource === 'exec' || subresource === 'attach')) {
    const asked = upgrade ? `over ${upgrade}` : 'without a WebSocket upgrade';
    return badRequest(`${what} ${asked}: ${subresource} needs a WebSocket upgrade (v5.channel.k8s.io or v4.channel.k8s.io), as kubectl 1.30 and newer do it`);
  }
  return badRequest(`${what}: its containers are simulated; exec, attach to a shell, pod port-forward and the pod and Service proxy are; node proxy is not`);
}
