import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, EXTENSION_ID } from './kubeplayHelpers';

suite('Kubeplay: activation and contributions', () => {
  test('activates on a YAML document, quickly', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    await vscode.window.showTextDocument(doc);
    const api = await activate();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    console.log(`activation: ${api.activationMs.toFixed(1)} ms`);
    assert.ok(api.activationMs < 100, `activation took ${api.activationMs} ms`);
  });

  test('does not activate at start-up', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.deepStrictEqual(pkg.activationEvents, ['onLanguage:yaml', 'onView:kubeplay.cluster']);
  });

  test('registers every contributed command', async () => {
    await activate();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c: any) => c.command).filter((id: string) => !all.has(id));
    assert.deepStrictEqual(missing, []);
  });

  test('offers Apply, Dry run and Delete above each Kubernetes document', async () => {
    await activate();
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# not Kubernetes\nfoo: bar\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n',
    });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const ours = lenses.filter((l) => l.command?.command.startsWith('kubeplay.'));
    assert.deepStrictEqual(ours.map((l) => l.range.start.line), [0, 0, 0, 8, 8, 8]);
    assert.ok(ours.some((l) => /Apply to playground|应用到模拟集群/.test(l.command!.title)), ours.map((l) => l.command!.title).join(', '));
    assert.deepStrictEqual(ours.map((l) => l.command!.command).slice(0, 3), ['kubeplay.applyDocument', 'kubeplay.dryRunDocument', 'kubeplay.deleteDocument']);
  });

  test('explains a field from the bundled schema', async () => {
    await activate();
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('kubeplay.explain', 'deployment.spec.replicas');
    assert.ok(doc, 'no document opened');
    const text = doc.getText();
    assert.match(text, /^KIND:\s+Deployment$/m);
    assert.match(text, /^FIELD: replicas <integer>$/m);
    assert.match(text, /DESCRIPTION:/);
  });

  test('explains the field under the cursor in a manifest', async () => {
    await activate();
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  strategy:\n    type: Recreate\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(6, 5, 6, 5);
    const out = await vscode.commands.executeCommand<vscode.TextDocument>('kubeplay.explain');
    assert.match(out.getText(), /^FIELD: type <string>$/m);
  });
});
