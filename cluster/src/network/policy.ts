/**
 * The playground's network plugin enforcing NetworkPolicies, as Calico or
 * Cilium would: a connection a policy does not allow is dropped (the client
 * waits and times out; nothing answers "refused"). The rules themselves are
 * kube/src/networkPolicy.ts; this reads the cluster's policies and
 * namespaces and turns pods into the ends those rules judge.
 */
import type { KObject } from '../contract';
import type { ObjectCache } from '../scheduler/watch';
import { connectionVerdict, type NetEnd, type Verdict } from '../../../kube/src/networkPolicy';

/**
 * A pod, or an address outside the pod network (a node, the host, anything else). `forwarded`: traffic a
 * node passes on from elsewhere (a NodePort connection, under kube-proxy's SNAT): it carries the node's
 * address but is not the node's own, so the node's exemption does not cover it.
 */
export type Peer = KObject | { ip: string; forwarded?: boolean };

const isPod = (p: Peer): p is KObject => (p as KObject).metadata !== undefined;

export class PolicyModel {
  constructor(
    private readonly policies: ObjectCache,
    private readonly namespaces: ObjectCache,
    /** A node's InternalIP, by node name. */
    private readonly nodeIP: (node: string) => string | undefined,
  ) {}

  /** A pod as the rules see it: labels, its namespace's labels, its containers (named ports), its IP. */
  end(p: Peer): NetEnd {
    if (!isPod(p)) return { ip: p.ip };
    const ns = p.metadata.namespace ?? 'default';
    const nsObj = this.namespaces.get(undefined, ns);
    return {
      pod: {
        namespace: ns,
        name: p.metadata.name!,
        labels: p.metadata.labels ?? {},
        namespaceLabels: nsObj?.metadata.labels ?? { 'kubernetes.io/metadata.name': ns },
        containers: [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])],
      },
      ip: p.status?.podIP,
    };
  }

  /**
   * Whether a connection from `from` to `to`:`port` opens. A host-network pod is its node's address (as the
   * most common plugins treat it): never selected by a policy, matched only by ipBlock.
   */
  verdict(from: Peer, to: Peer, port: number, protocol = 'TCP'): Verdict {
    // No policy anywhere: nothing to look up (the common case, and the scale benchmark's).
    if (this.policies.size === 0) return { allowed: true };
    const a: Peer = isPod(from) && from.spec?.hostNetwork ? { ip: from.status?.podIP ?? '' } : from;
    const b: Peer = isPod(to) && to.spec?.hostNetwork ? { ip: to.status?.podIP ?? '' } : to;
    // The node a pod runs on always reaches it, and it the node.
    if (!isPod(a) && !a.forwarded && isPod(b) && b.spec?.nodeName && this.nodeIP(b.spec.nodeName) === a.ip) return { allowed: true };
    if (isPod(a) && !isPod(b) && a.spec?.nodeName && this.nodeIP(a.spec.nodeName) === b.ip) return { allowed: true };
    const policies = [
      ...(isPod(a) ? this.policies.list(a.metadata.namespace ?? 'default') : []),
      ...(isPod(b) && (b.metadata.namespace ?? 'default') !== (isPod(a) ? a.metadata.namespace ?? 'default' : undefined) ? this.policies.list(b.metadata.namespace ?? 'default') : []),
    ];
    if (!policies.length) return { allowed: true };
    return connectionVerdict(policies, this.end(a), this.end(b), port, protocol);
  }
}
