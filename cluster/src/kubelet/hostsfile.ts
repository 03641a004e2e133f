/**
 * The /etc/hosts the kubelet mounts into every container of a pod
 * (kubelet_pods.go ensureHostsFile): for a pod on the pod network, the
 * managed file with the pod's address and names; for a host-network pod, the
 * node's own file behind its own header. hostAliases follow either, under
 * one header of their own.
 */
import type { KObject } from '../contract';
import { podFqdn, podHostname } from './hostname';

export interface HostsEntry {
  ip: string;
  names: string[];
  alias?: boolean;
  /** Between the names: a tab, or a space where the file's writer used one. */
  sep?: string;
}

/** managedHostsFileContent's fixed lines. */
const MANAGED: HostsEntry[] = [
  { ip: '127.0.0.1', names: ['localhost'] }, { ip: '::1', names: ['localhost', 'ip6-localhost', 'ip6-loopback'], sep: ' ' },
  { ip: 'fe00::0', names: ['ip6-localnet'] }, { ip: 'fe00::0', names: ['ip6-mcastprefix'] },
  { ip: 'fe00::1', names: ['ip6-allnodes'] }, { ip: 'fe00::2', names: ['ip6-allrouters'] },
];

/**
 * A kind node's /etc/hosts is the one Docker writes for the node container (libnetwork etchosts: its default
 * records, their names joined by spaces, then the container's address and hostname). The playground's nodes have
 * only their IPv4 address on docker's `kind` network (as `ip addr` shows from a host-network pod).
 */
const DOCKER_DEFAULTS: HostsEntry[] = [
  { ip: '127.0.0.1', names: ['localhost'] }, { ip: '::1', names: ['localhost', 'ip6-localhost', 'ip6-loopback'], sep: ' ' },
  { ip: 'fe00::0', names: ['ip6-localnet'] }, { ip: 'ff00::0', names: ['ip6-mcastprefix'] },
  { ip: 'ff02::1', names: ['ip6-allnodes'] }, { ip: 'ff02::2', names: ['ip6-allrouters'] },
];

const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const HOST_NETWORK_HEADER = '# Kubernetes-managed hosts file (host network).\n';

/** The lines of the pod's /etc/hosts, in order: the managed ones (or the node's), then its hostAliases. */
export function hostsEntries(pod: KObject): HostsEntry[] {
  const out: HostsEntry[] = [];
  if (pod.spec?.hostNetwork) {
    out.push(...DOCKER_DEFAULTS);
    const ip = pod.status?.hostIP;
    if (ip && pod.spec?.nodeName) out.push({ ip, names: [pod.spec.nodeName] });
  } else {
    out.push(...MANAGED);
    const ip = pod.status?.podIP;
    // With a subdomain the FQDN comes first, so that it is the name `hostname -f` finds.
    if (ip) out.push({ ip, names: [podFqdn(pod), podHostname(pod)].filter((n): n is string => !!n) });
  }
  for (const h of pod.spec?.hostAliases ?? []) out.push({ ip: h.ip, names: h.hostnames ?? [], alias: true });
  return out;
}

/**
 * The file's text. The hostAliases go under one blank line and one header, one line per alias
 * (`hostsEntriesFromHostAliases` writes the header once, before the loop).
 */
export function etcHosts(pod: KObject): string {
  let text = pod.spec?.hostNetwork ? HOST_NETWORK_HEADER : MANAGED_HEADER;
  let aliases = false;
  for (const e of hostsEntries(pod)) {
    if (e.alias && !aliases) text += '\n# Entries added by HostAliases.\n';
    aliases ||= !!e.alias;
    text += `${e.ip}\t${e.names.join(e.sep ?? '\t')}\n`;
  }
  return text;
}

/** The name gethostbyname gives back for `name` from this file (the first of its line), as `hostname -f` prints it. */
export function canonicalName(pod: KObject, name: string): string | undefined {
  return hostsEntries(pod).find((e) => e.names.includes(name))?.names[0];
}
