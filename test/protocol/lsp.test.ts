import * as assert from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LspClient, repoRoot } from './lspClient';

const root = repoRoot();
const wsDir = path.join(root, 'test', 'fixtures', 'ls', 'workspace');
const wsUri = pathToFileURL(wsDir).toString();

interface Item { label: string; documentation?: { value: string } }

describe('protocol: kubeplay lsp --stdio', function () {
  this.timeout(30000);
  let client: LspClient;
  before(async () => {
    client = new LspClient();
  });
  after(async () => {
    await client.close();
  });

  it('initializes with the features it serves', async () => {
    const r = await client.initialize({ rootUri: wsUri, locale: 'zh-cn' });
    for (const cap of ['completionProvider', 'hoverProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'definitionProvider', 'codeActionProvider']) {
      assert.ok(r.capabilities[cap], cap);
    }
    assert.deepStrictEqual((r.capabilities.textDocumentSync as { change: number }).change, 2);
  });

  it('publishes diagnostics for broken YAML', async () => {
    const uri = 'file:///virtual/broken.yaml';
    await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n');
    const d = await client.waitDiagnostics(uri, (ds) => ds.length > 0);
    assert.ok(d.some((x) => /unique|duplicate/i.test(x.message)), JSON.stringify(d));
  });

  it('follows incremental edits', async () => {
    const uri = 'file:///virtual/edit.yaml';
    await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n');
    await client.waitDiagnostics(uri, () => true, 1);
    // Turn `name: a` into a duplicate key by inserting a line.
    await client.change(uri, 2, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '  name: b\n' }]);
    const d = await client.waitDiagnostics(uri, (ds) => ds.some((x) => /unique|duplicate/i.test(x.message)), 2);
    assert.ok(d.length > 0);
  });

  it('completes keys and names from workspace files', async () => {
    const uri = 'file:///virtual/svc.yaml';
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: \n';
    await client.open(uri, text);
    // The workspace scan runs after initialized; poll until it has seen web.yaml.
    let labels: string[] = [];
    for (let i = 0; i < 100 && !labels.includes('http'); i++) {
      const r = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: 18 } });
      labels = r.items.map((x) => x.label);
      if (!labels.includes('http')) await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(labels.includes('http'), labels.join(','));
    const keys = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 5 } });
    assert.ok(keys.items.length === 0 || keys.items.every((i) => i.documentation));
    const spec = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 8, character: 6 } });
    assert.ok(spec.items.some((i) => i.label === 'targetPort') || spec.items.some((i) => i.label === 'protocol'));
  });

  it('hovers kinds in the client locale and keys with their docs', async () => {
    const uri = 'file:///virtual/hover.yaml';
    await client.open(uri, 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: 1\n');
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } });
    assert.match(h.contents.value, /ReplicaSet/);
    assert.match(h.contents.value, /控制器/);
    assert.match(h.contents.value, /1\.16/);
    const k = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } });
    assert.match(k.contents.value, /replicas/);
  });

  it('goes to definitions in workspace files', async () => {
    const uri = 'file:///virtual/refs.yaml';
    await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    envFrom:\n    - configMapRef:\n        name: web-settings\n');
    let locs: { uri: string; range: { start: { line: number } } }[] = [];
    for (let i = 0; i < 100 && locs.length === 0; i++) {
      locs = await client.request<typeof locs>('textDocument/definition', { textDocument: { uri }, position: { line: 9, character: 16 } });
      if (!locs.length) await new Promise((res) => setTimeout(res, 50));
    }
    assert.strictEqual(locs.length, 1);
    assert.ok(locs[0].uri.endsWith('/test/fixtures/ls/workspace/config.yaml'), locs[0].uri);
    assert.strictEqual(locs[0].range.start.line, 3);
  });

  it('lists document symbols per document', async () => {
    const uri = 'file:///virtual/symbols.yaml';
    await client.open(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: c\n    image: busybox\n');
    const s = await client.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepStrictEqual(s.map((x) => x.name), ['ConfigMap/one', 'Pod/two']);
    assert.ok(s[1].children!.some((c) => c.name === 'spec'));
  });

  it('runs the Kubernetes rules, offers their quick fixes, and re-publishes when settings change', async () => {
    const uri = 'file:///virtual/old.yaml';
    const text = 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: old\nspec:\n  template:\n    metadata:\n      labels: {app: old}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
    await client.open(uri, text);
    const ds = await client.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'removed-api'));
    const removed = ds.find((x) => x.code === 'removed-api')!;
    assert.strictEqual(removed.severity, 1);
    assert.match(removed.message, /apps\/v1/);
    const actions = await client.request<{ title: string; edit?: unknown }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: removed.range,
      context: { diagnostics: [removed] },
    });
    assert.ok(actions.some((a) => /apps\/v1/.test(a.title) && a.edit), JSON.stringify(actions));
    client.configuration = { kubernetesVersion: '1.12' };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const older = await client.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'deprecated-api' || (x.code === 'removed-api' && x.severity === 2)));
    assert.ok(!older.some((x) => x.code === 'removed-api' && x.severity === 1));
    client.configuration = { lint: { 'removed-api': 'off', 'deprecated-api': 'off' } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitDiagnostics(uri, (d) => !d.some((x) => x.code === 'removed-api' || x.code === 'deprecated-api'));
    client.configuration = {};
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  it('survives garbage', async () => {
    const uri = 'file:///virtual/garbage.yaml';
    await client.open(uri, '\t- : : {[\n---\n&a *a *b !!x\n');
    const r = await client.request<unknown>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.ok(r === null || typeof r === 'object');
    await client.waitDiagnostics(uri, (ds) => ds.length > 0);
  });
});

describe('protocol: the locale from initializationOptions', function () {
  this.timeout(30000);
  it('speaks Chinese to an editor that sends the locale only in initializationOptions', async () => {
    const client = new LspClient();
    try {
      await client.initialize({ locale: null, initializationOptions: { locale: 'zh-cn' } });
      const uri = 'file:///virtual/zh.yaml';
      await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n    image: nginx\n');
      const d = await client.waitDiagnostics(uri, (ds) => ds.length > 0);
      assert.ok(d.some((x) => /[\u4e00-\u9fff]/.test(x.message)), JSON.stringify(d));
    } finally {
      await client.close();
    }
  });
});

describe('protocol: completion labelDetails follow the client\'s labelDetailsSupport', function () {
  this.timeout(30000);
  interface Valued { label: string; detail?: string; preselect?: boolean; labelDetails?: { detail?: string; description?: string }; documentation?: { value: string } }
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    imagePullPolicy: \n';
  const values = async (completionItem: Record<string, unknown>, locale = 'en') => {
    const client = new LspClient();
    try {
      await client.initialize({ locale, completionItem });
      const uri = 'file:///virtual/pull.yaml';
      await client.open(uri, text);
      const r = await client.request<{ items: Valued[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 8, character: 21 } });
      return r.items;
    } finally {
      await client.close();
    }
  };

  it('beside each value: the note\'s first clause and the default, in the client\'s language', async () => {
    const items = await values({ labelDetailsSupport: true });
    assert.deepStrictEqual(items.map((i) => [i.label, i.labelDetails, i.preselect]), [
      ['Always', { description: 'kubelet always attempts to pull the…' }, undefined],
      ['IfNotPresent', { detail: ' (default)', description: 'kubelet pulls if the image isn\'t…' }, true],
      ['Never', { description: 'kubelet never pulls an image' }, undefined],
    ]);
    const zh = await values({ labelDetailsSupport: true }, 'zh-cn');
    assert.deepStrictEqual(zh.find((i) => i.label === 'IfNotPresent')!.labelDetails, { detail: ' （默认）', description: '节点磁盘上没有这个镜像时 kubelet 才拉取' });
  });

  it('without the capability: no labelDetails, the notes in the documentation as before', async () => {
    const items = await values({});
    assert.deepStrictEqual(items.map((i) => i.label), ['Always', 'IfNotPresent', 'Never']);
    assert.ok(items.every((i) => i.labelDetails === undefined && i.detail === undefined), JSON.stringify(items));
    assert.match(items[2].documentation!.value, /^`Never` means that kubelet never pulls an image/);
  });
});
