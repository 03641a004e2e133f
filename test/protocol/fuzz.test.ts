import * as assert from 'assert';
import { LspClient } from './lspClient';

const START = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n';
const PIECES = ['\n', ' ', '- ', ': ', '---\n', '#', '"', '{', ']', '|', '\t', 'name', 'x: 1\n', '&a ', '*a', '\r\n', '?', ''];

describe('protocol: random edits', function () {
  this.timeout(60000);
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.close());

  it('keeps answering and publishes diagnostics for the last version', async () => {
    const uri = 'file:///virtual/fuzz.yaml';
    let text = START;
    await client.open(uri, text);
    let s = 99;
    const rand = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
    let version = 1;
    for (let i = 0; i < 150; i++) {
      const lines = text.split('\n');
      const line = rand(lines.length);
      const ch = rand(lines[line].length + 1);
      const del = rand(3) === 0 ? Math.min(rand(5), lines[line].length - ch) : 0;
      const ins = PIECES[rand(PIECES.length)];
      const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + ch;
      text = text.slice(0, offset) + ins + text.slice(offset + del);
      await client.change(uri, ++version, [{ range: { start: { line, character: ch }, end: { line, character: ch + del } }, text: ins }]);
      if (i % 10 === 0) {
        const pos = { line: rand(lines.length), character: rand(20) };
        await client.request('textDocument/completion', { textDocument: { uri }, position: pos });
        await client.request('textDocument/hover', { textDocument: { uri }, position: pos });
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
        await client.request('textDocument/foldingRange', { textDocument: { uri } });
      }
    }
    await client.waitDiagnostics(uri, () => true, version);
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
    assert.strictEqual(client.proc.exitCode, null, client.stderr);
  });
});
