/**
 * The container runtime's pod network on a kind node. containerd reports NetworkReady=false until a CNI config
 * appears in /etc/cni/net.d, which kind's CNI, kindnet, writes once its pod runs on the node (the DaemonSet mounts
 * that folder from the host). Until then the kubelet's Ready condition is False with the runtime's reason, and the
 * node keeps the not-ready taints, so only pods that tolerate them (kindnet, kube-proxy) start there.
 *
 * A node that joins a running cluster waits for kindnetd's second pass: its main loop (kind's images/kindnetd/cmd/
 * kindnetd/main.go) starts the node informer and reads its lister at once, without waiting for the cache to sync,
 * so the first pass sees no node, and the next comes on its 10 s ticker; that pass writes 10-kindnet.conflist with
 * the node's podCIDR (already set when the kubelet registers it here). A learner sees the node NotReady for
 * about 11 s. The nodes of a new playground's boot, squeezed into CONTROL_PLANE_BOOT_MS, get their config as
 * kindnetd starts.
 *
 * When the kubelet notices, on the simulated clock:
 * - for nodeReadyGracePeriod (120 s) after it starts, fastStatusUpdateOnce asks the runtime every 100 ms and posts
 *   Ready at once when it turns (pkg/kubelet/kubelet_node_status.go fastNodeStatusUpdate);
 * - after that, updateRuntimeUp (every 5 s) sees the network ready, and the next node status sync (every 10 s,
 *   nodeStatusUpdateFrequency) carries the Ready condition (pkg/kubelet/kubelet.go updateRuntimeUp, syncNodeStatus).
 */

/**
 * ReadyCondition's message for the runtime's network error (pkg/kubelet/nodestatus/setters.go): updateRuntimeUp's
 * "container runtime network not ready: %v" around the CRI condition as RuntimeCondition.String() prints it, with
 * containerd's reason and message for a CNI without config.
 */
export const NETWORK_NOT_READY_MESSAGE =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** fastStatusUpdateOnce's period and how long after the kubelet's start it keeps trying (nodeReadyGracePeriod). */
export const FAST_STATUS_UPDATE_MS = 100;
export const NODE_READY_GRACE_PERIOD_MS = 120_000;
/** updateRuntimeUp's period. */
export const RUNTIME_UP_MS = 5_000;
/** nodeStatusUpdateFrequency: the node status sync, with the lease renewals (nodes.ts LEASE_RENEW_MS). */
export const NODE_STATUS_UPDATE_MS = 10_000;

/** kindnetd's main loop period, and so how long after its start it writes the config of a node that joins later. */
export const KINDNETD_FIRST_WRITE_MS = 10_000;

/** kindnetd: the image whose container writes the node's CNI config (10-kindnet.conflist) when it starts. */
export function writesCniConfig(image: unknown): boolean {
  return typeof image === 'string' && /(^|\/)kindest\/kindnetd([:@]|$)/.test(image);
}

/** The first tick of a loop with `period` from `from` that comes after `at`. */
const tickAfter = (from: number, period: number, at: number) => from + (Math.floor((at - from) / period) + 1) * period;

/** When a kubelet started at `kubeletStart` posts Ready for a network that turned ready at `at`. */
export function readyPostAt(kubeletStart: number, at: number): number {
  const fast = tickAfter(kubeletStart, FAST_STATUS_UPDATE_MS, at);
  if (fast - kubeletStart < NODE_READY_GRACE_PERIOD_MS) return fast;
  const seen = tickAfter(kubeletStart, RUNTIME_UP_MS, at);
  return tickAfter(kubeletStart, NODE_STATUS_UPDATE_MS, seen - 1);
}
