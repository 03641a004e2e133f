/**
 * The names a pod's processes see for themselves: the hostname and domain the
 * kubelet derives (kubelet_pods.go GeneratePodHostNameAndDomain) and the
 * kernel hostname it asks the runtime for (kuberuntime_sandbox.go
 * generatePodSandboxConfig with util.GetNodenameForKernel). containerd puts
 * that kernel hostname in /etc/hostname and in $HOSTNAME, or the node's own
 * hostname when the sandbox has none (a host-network pod).
 */
import type { KObject } from '../contract';
import { CLUSTER_DOMAIN } from '../network/dns';

/** Linux's hostname field holds 64 bytes with the final NUL: the kubelet keeps 63 (truncatePodHostnameIfNeeded). */
const HOSTNAME_MAX_LEN = 63;
/** An FQDN as kernel hostname may use all 64 (GetNodenameForKernel's fqdnMaxLen). */
const FQDN_MAX_LEN = 64;

/**
 * `spec.hostname`, else the pod's name, cut to 63 characters with a trailing `-` or `.` dropped: a Deployment's or
 * Job's long pod names would not fit the kernel's field otherwise.
 */
export function podHostname(pod: KObject): string {
  const name = pod.spec?.hostname || pod.metadata.name || '';
  return name.length <= HOSTNAME_MAX_LEN ? name : name.slice(0, HOSTNAME_MAX_LEN).replace(/[-.]+$/, '');
}

/** `<subdomain>.<namespace>.svc.cluster.local` when the pod has a subdomain (the headless Service it sits behind). */
export function podDomain(pod: KObject): string | undefined {
  const sub = pod.spec?.subdomain;
  return sub ? `${sub}.${pod.metadata.namespace ?? 'default'}.svc.${CLUSTER_DOMAIN}` : undefined;
}

/** The pod's FQDN, hostname and domain together, when it has a domain. */
export function podFqdn(pod: KObject): string | undefined {
  const domain = podDomain(pod);
  return domain ? `${podHostname(pod)}.${domain}` : undefined;
}

/**
 * Why the kubelet cannot build the pod's sandbox config, which it reports as FailedCreatePodSandBox and retries:
 * `setHostnameAsFQDN` with an FQDN longer than the kernel's 64 characters. A host-network pod is never asked.
 */
export function sandboxConfigError(pod: KObject): string | undefined {
  if (pod.spec?.hostNetwork || pod.spec?.setHostnameAsFQDN !== true) return undefined;
  const fqdn = podFqdn(pod);
  if (!fqdn || fqdn.length <= FQDN_MAX_LEN) return undefined;
  return `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${FQDN_MAX_LEN} characters is the max, ${fqdn.length} characters requested)`;
}

/**
 * What `hostname` prints, $HOSTNAME holds and /etc/hostname says: a host-network pod shares the node's UTS
 * namespace, so the node's hostname (a kind node container is named as its node); with `setHostnameAsFQDN` and a
 * subdomain, the FQDN; else the pod's hostname.
 */
export function kernelHostname(pod: KObject): string {
  if (pod.spec?.hostNetwork) return pod.spec?.nodeName ?? '';
  if (pod.spec?.setHostnameAsFQDN === true) {
    const fqdn = podFqdn(pod);
    if (fqdn && fqdn.length <= FQDN_MAX_LEN) return fqdn;
  }
  return podHostname(pod);
}
