// Proves the harness reports success: trivially true facts about the real vscode API.
const assert = require('node:assert');
const vscode = require('vscode');

suite('harness self-test (passing)', () => {
  test('the vscode API is the real one', () => {
    assert.strictEqual(typeof vscode.version, 'string');
    assert.ok(vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length >= 1);
  });
  test('commands can be executed', async () => {
    const cmds = await vscode.commands.getCommands(true);
    assert.ok(cmds.includes('workbench.action.files.newUntitledFile'));
  });
});
