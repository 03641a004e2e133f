/**
 * Entry for dist/kube-client.js: @kubernetes/client-node bundled on its own
 * (about 18 MB), so the extension's main bundle stays small and activation
 * fast. The client loads it on first use of the cluster.
 */
export * from '@kubernetes/client-node';
