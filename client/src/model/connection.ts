/**
 * The answer of the playground's connection check (a ConnectionTrace,
 * kube/src/networkPolicy.ts) in words: where the connection went and, when a
 * NetworkPolicy dropped it, whose policies and on which side.
 */
import type { ConnectionTrace, Words as T } from '../../../kube/src/networkPolicy';

export type { ConnectionTrace };

const short = (key: string) => key.slice(key.indexOf('/') + 1);

/** `ok` when the connection opens; `text` says what happened. */
export function connectionMessage(t: T, c: ConnectionTrace): { ok: boolean; text: string } {
  const target = `${c.host}:${c.port}`;
  // Where the address led: the pod behind it, or the endpoint when no pod is (the apiserver's).
  const behind = c.pod ? ` → ${t('pod {0}', c.pod)} ${c.podIP}:${c.targetPort}` : c.endpoint ? ` → ${c.endpoint}` : '';
  const via = c.address && c.address !== c.host ? ` (${c.address}${behind})` : c.pod ? ` (${t('pod {0}', c.pod)})` : '';
  switch (c.outcome) {
    case 'open':
      // The kubernetes Service's endpoint: the apiserver itself answers, over TLS, for whoever its token says.
      if (c.apiserver) {
        return { ok: true, text: t('{0} → {1}{2}: the kube-apiserver answers (HTTPS). A request needs the pod\'s service-account token (/var/run/secrets/kubernetes.io/serviceaccount/token) and trusts ca.crt beside it; RBAC decides what the account may do.', c.from, target, via) };
      }
      return { ok: true, text: t('{0} → {1}{2}: the connection opens.', c.from, target, via) };
    case 'refused':
      // The kubernetes Service's endpoint is the apiserver's own address: no pod, and only a playground that serves
      // its HTTP API answers pods there.
      if (c.service === 'default/kubernetes' || c.apiserver) {
        return { ok: false, text: t('{0} → {1}{2}: the kube-apiserver\'s endpoint. Pods reach the apiserver only while the playground serves its HTTP API (kubeplay serve), so this one is refused.', c.from, target, via) };
      }
      if (c.endpoint && !c.pod) return { ok: false, text: t('{0} → {1} ({2} → {3}): refused. No pod has that endpoint\'s address.', c.from, target, c.address ?? '', c.endpoint) };
      return { ok: false, text: t('{0} → {1}{2}: refused. No ready endpoint answers there, or nothing listens on that port.', c.from, target, via) };
    case 'timeout': {
      const v = c.verdict;
      const names = (v?.policies ?? []).map(short).join(', ');
      const side = v?.deniedBy === 'egress' ? t('The egress of {0}', c.from) : t('The ingress of {0}', c.pod ?? c.address ?? c.host);
      return { ok: false, text: t('{0} → {1}{2}: dropped by NetworkPolicy. {3} is isolated by {4}, and none of them allows this connection; the client waits until it times out.', c.from, target, via, side, names) };
    }
    default:
      return {
        ok: false,
        text: c.dns === 'unanswered'
          ? t('{0} cannot resolve {1}: the cluster DNS does not answer it (no ready CoreDNS pod, or NetworkPolicies drop its queries to the kube-dns pods on port 53/UDP). Lookups time out.', c.from, c.host)
          : t('{0} cannot resolve {1}: no such name (a Service is <name> or <name>.<namespace>).', c.from, c.host),
      };
  }
}

/** `host:port` as typed (a port is required); undefined when it is not one. */
export function parseTarget(input: string): { host: string; port: number } | undefined {
  const m = /^\s*([A-Za-z0-9.-]+):(\d{1,5})\s*$/.exec(input);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1], port } : undefined;
}
