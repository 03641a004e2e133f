import * as assert from 'assert';
import * as vscode from 'vscode';
import type { KubeplayApi } from '../../../client/src/extension';
import { activate, playgroundOrSkip, readyPods, waitFor } from './kubeplayHelpers';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ehs-web
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels:
      app: ehs-web
  template:
    metadata:
      labels:
        app: ehs-web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
`;

suite('Kubeplay: the playground through the UI', function () {
  let api: KubeplayApi;
  let doc: vscode.TextDocument;

  suiteSetup(async function () {
    api = await activate();
    await playgroundOrSkip(this, api);
    await vscode.commands.executeCommand('kubeplay.cluster.focus');
  });

  const rsOf = () => api.cluster.store.owned('replicasets', api.cluster.store.get('deployments', 'default', 'ehs-web')?.metadata.uid)[0];

  test('applying a document creates Deployment → ReplicaSet → 3 Running pods, shown in the tree', async function () {
    this.timeout(120_000);
    doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: WEB });
    await vscode.window.showTextDocument(doc);
    const t0 = Date.now();
    const ok = await vscode.commands.executeCommand<boolean>('kubeplay.applyDocument', doc.uri, 0);
    assert.strictEqual(ok, true);
    const rs = await waitFor('a ReplicaSet', rsOf);
    // The applied object is revealed (and selected) in the Cluster view.
    await waitFor('the Deployment selected in the tree', () => api.view.view.selection.some((n) => n.ref?.kind === 'Deployment' && n.ref.name === 'ehs-web'), 15_000);
    await waitFor('3 ready pods', () => readyPods(api, rs.metadata.name!) === 3, 90_000);
    console.log(`apply → 3 pods Running: ${Date.now() - t0} ms`);
    // The tree shows it: Namespaces → default → Workloads → Deployments → ehs-web → ReplicaSet → pods.
    const view = api.view;
    const byId = (nodes: any[], id: string) => nodes.find((n) => n.id === id);
    const ns = byId(view.getChildren(byId(view.getChildren(), 'ns')), 'ns/default');
    const deps = byId(view.getChildren(byId(view.getChildren(ns), 'ns/default/workloads')), 'ns/default/workloads/deployments');
    const dep = byId(view.getChildren(deps), 'ns/default/workloads/deployments/deployments:ehs-web');
    assert.ok(dep, 'deployment row');
    await waitFor('the tree row to say 3/3', () => /3\/3/.test(view.getChildren(deps).find((n) => n.label === 'ehs-web')?.description ?? ''));
    const rsRow = view.getChildren(dep)[0];
    assert.strictEqual(rsRow.label, rs.metadata.name);
    const pods = view.getChildren(rsRow);
    assert.strictEqual(pods.length, 3);
    for (const p of pods) assert.strictEqual(p.contextValue, 'kubeplay.pod');
    const item = view.getTreeItem(pods[0]);
    assert.ok(item.iconPath instanceof vscode.ThemeIcon);
    assert.strictEqual(item.tooltip, undefined, 'the tooltip is built on hover');
    const hovered = view.resolveTreeItem(item, pods[0]);
    assert.ok(hovered.tooltip instanceof vscode.MarkdownString);
    assert.match((hovered.tooltip as vscode.MarkdownString).value, /Age/);
  });

  test('killing a pod: a replacement appears and the ReplicaSet is back at 3', async function () {
    this.timeout(120_000);
    const rs = rsOf();
    const before = new Set(api.cluster.store.owned('pods', rs.metadata.uid).map((p) => p.metadata.name!));
    const pod = api.cluster.store.owned('pods', rs.metadata.uid)[0];
    await vscode.commands.executeCommand('kubeplay.killPod', { apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespace: 'default', name: pod.metadata.name });
    await waitFor('a replacement pod', () => api.cluster.store.owned('pods', rs.metadata.uid).some((p) => p.metadata.name !== pod.metadata.name && !before.has(p.metadata.name!)), 60_000);
    await waitFor('3 ready pods again', () => readyPods(api, rs.metadata.name!) === 3, 90_000);
  });

  test('crashing the containers of a pod: the kubelet restarts them', async function () {
    this.timeout(120_000);
    const pod = api.cluster.store.owned('pods', rsOf().metadata.uid).find((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)!;
    await vscode.commands.executeCommand('kubeplay.crashPod', { apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespace: 'default', name: pod.metadata.name });
    await waitFor('a restart', () => (api.cluster.store.get('pods', 'default', pod.metadata.name!)?.status?.containerStatuses ?? []).some((c: any) => (c.restartCount ?? 0) > 0), 90_000);
  });

  test('describe opens a read-only kubectl-style document with Events', async () => {
    const pod = api.cluster.store.owned('pods', rsOf().metadata.uid)[0];
    const d = await vscode.commands.executeCommand<vscode.TextDocument>('kubeplay.describe', { apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespace: 'default', name: pod.metadata.name });
    const text = d.getText();
    assert.match(text, new RegExp(`^Name:\\s+${pod.metadata.name}$`, 'm'));
    assert.match(text, /^Controlled By:\s+ReplicaSet\//m);
    assert.match(text, /^Events:/m);
    assert.notStrictEqual(d.uri.scheme, 'file');
  });

  test('live YAML includes status', async () => {
    const d = await vscode.commands.executeCommand<vscode.TextDocument>('kubeplay.showYaml', { apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'ehs-web' });
    assert.match(d.getText(), /^status:/m);
    assert.strictEqual(d.languageId, 'yaml');
  });

  test('scale to 5 and back to 3', async function () {
    this.timeout(120_000);
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'ehs-web' };
    await vscode.commands.executeCommand('kubeplay.scale', ref, 5);
    await waitFor('5 ready pods', () => readyPods(api, rsOf().metadata.name!) === 5, 90_000);
    await vscode.commands.executeCommand('kubeplay.scale', ref, 3);
    await waitFor('3 pods', () => api.cluster.store.owned('pods', rsOf().metadata.uid).filter((p) => !p.metadata.deletionTimestamp).length === 3, 90_000);
  });

  test('a server refusal becomes a notification and a diagnostic on the offending line', async function () {
    this.timeout(60_000);
    // apps/v1 requires spec.selector: the apiserver refuses with a cause whose field is spec.selector,
    // which is missing, so the diagnostic sits on its parent, the `spec:` line (line 5).
    const content = WEB.replace('name: ehs-web\n  namespace', 'name: ehs-bad\n  namespace').replace(/  selector:\n    matchLabels:\n      app: ehs-web\n/, '');
    const bad = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    const ok = await vscode.commands.executeCommand<boolean>('kubeplay.applyDocument', bad.uri, 0);
    assert.strictEqual(ok, false);
    const diags = api.applier.diagnostics.get(bad.uri) ?? [];
    // One message per problem: when the language server's own error on that line came first, the refusal's is
    // dropped as covered (applyDiagnostics.ts), and that one is the diagnostic on the line.
    const shown = diags.length ? diags
      : vscode.languages.getDiagnostics(bad.uri).filter((d) => d.source === 'kubeplay' && d.severity <= vscode.DiagnosticSeverity.Warning && d.range.start.line === 5);
    assert.ok(shown.length > 0, 'no diagnostic');
    assert.strictEqual(shown[0].range.start.line, 5, `diagnostic on line ${shown[0].range.start.line}: ${shown[0].message}`);
    if (diags.length) assert.match(diags[0].message, /spec\.selector: Required value/);
  });

  test('the kubectl terminal gets KUBECONFIG for the playground', async () => {
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('kubeplay.openTerminal');
    const env = (terminal.creationOptions as vscode.TerminalOptions).env ?? {};
    assert.ok(env.KUBECONFIG && env.KUBECONFIG === api.cluster.playground.info?.kubeconfig, JSON.stringify(env));
    terminal.dispose();
  });

  test('nodes: add, cordon, uncordon, fail and recover', async function () {
    this.timeout(120_000);
    const before = api.cluster.store.list('nodes').length;
    await vscode.commands.executeCommand('kubeplay.addNode', 'ehs-node');
    await waitFor('the new node', () => api.cluster.store.get('nodes', undefined, 'ehs-node'));
    assert.strictEqual(api.cluster.store.list('nodes').length, before + 1);
    const ref = { apiVersion: 'v1', kind: 'Node', resource: 'nodes', name: 'ehs-node' };
    await vscode.commands.executeCommand('kubeplay.cordon', ref);
    await waitFor('unschedulable', () => api.cluster.store.get('nodes', undefined, 'ehs-node')?.spec?.unschedulable === true);
    await vscode.commands.executeCommand('kubeplay.uncordon', ref);
    await waitFor('schedulable', () => !api.cluster.store.get('nodes', undefined, 'ehs-node')?.spec?.unschedulable);
    await vscode.commands.executeCommand('kubeplay.failNode', ref);
    await vscode.commands.executeCommand('kubeplay.speed', 60);
    await waitFor('NotReady', () => (api.cluster.store.get('nodes', undefined, 'ehs-node')?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status !== 'True'), 90_000);
    await vscode.commands.executeCommand('kubeplay.recoverNode', ref);
    await waitFor('Ready again', () => (api.cluster.store.get('nodes', undefined, 'ehs-node')?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'), 90_000);
    await vscode.commands.executeCommand('kubeplay.speed', 1);
  });

  test('pause and resume simulated time', async () => {
    await vscode.commands.executeCommand('kubeplay.pause');
    await waitFor('paused stats', () => api.cluster.stats?.paused === true, 10_000);
    await vscode.commands.executeCommand('kubeplay.resume');
    await waitFor('running stats', () => api.cluster.stats?.paused === false, 10_000);
  });

  test('the control plane lists its components with counters', async () => {
    const roots = api.view.getChildren();
    const cp = roots.find((n) => n.id === 'cp');
    assert.ok(cp, 'no Control plane row');
    const comps = api.view.getChildren(cp);
    assert.ok(comps.length >= 3, comps.map((c) => c.label).join(', '));
    assert.ok(comps.some((c) => /\d/.test(c.description ?? '')));
  });

  test('delete from the document removes the Deployment', async function () {
    this.timeout(60_000);
    const ok = await vscode.commands.executeCommand<boolean>('kubeplay.deleteDocument', doc.uri, 0);
    assert.strictEqual(ok, true);
    await waitFor('the deployment to go', () => !api.cluster.store.get('deployments', 'default', 'ehs-web'), 30_000);
  });
});
