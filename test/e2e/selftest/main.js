// A Node-only extension, so the workbench runs the self-test in the server's extension host
// (where Kubeplay runs), not in the browser's web worker.
exports.activate = () => {};
exports.deactivate = () => {};
