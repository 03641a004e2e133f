/**
 * Names of the playground's layout that more than one component uses: it is laid out as a kind cluster
 * called "kubeplay".
 */

/** kind's name for the one control-plane node of a cluster called "kubeplay"; it holds 172.18.0.2 and 10.244.0.0/24. */
export const CONTROL_PLANE_NODE = 'kubeplay-control-plane';
