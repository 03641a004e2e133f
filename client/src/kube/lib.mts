/**
 * Entry for dist/kube-client.js: @kubernetes/client-node (1.x, which runs on
 * the Node 20 of VS Code 1.91's extension host; 2.x needs Node 22) bundled on its own
 * (about 18 MB), so the extension's main bundle stays small and activation
 * fast. The client loads it on first use of the cluster.
 */
export * from 'kubernetes-client-node-v1';
