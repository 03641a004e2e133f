import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const root = repoRoot();
const injectionPath = path.join(root, 'syntaxes', 'kubernetes.injection.tmLanguage.json');

/**
 * VS Code's own YAML grammar, where a code-server install (the e2e cache) has
 * one; otherwise a minimal stand-in grammar, so the injection is still checked
 * on its own.
 */
function yamlGrammars(): { byScope: Map<string, string>; real: boolean } {
  const byScope = new Map<string, string>();
  const cache = path.join(os.homedir(), '.cache', 'kubeplay-e2e');
  if (fs.existsSync(cache)) {
    for (const d of fs.readdirSync(cache)) {
      const dir = path.join(cache, d, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml', 'syntaxes');
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir)) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        byScope.set(JSON.parse(text).scopeName, text);
      }
      return { byScope, real: true };
    }
  }
  byScope.set('source.yaml', JSON.stringify({ scopeName: 'source.yaml', patterns: [] }));
  return { byScope, real: false };
}

async function registry(): Promise<vsctm.Registry> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const yaml = yamlGrammars();
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      const y = yaml.byScope.get(scope);
      if (y) return vsctm.parseRawGrammar(y, scope + '.json');
      if (scope === 'kubeplay.kubernetes.injection') return vsctm.parseRawGrammar(fs.readFileSync(injectionPath, 'utf8'), injectionPath);
      return null;
    },
    getInjections: (scope) => (scope === 'source.yaml' ? ['kubeplay.kubernetes.injection'] : undefined),
  });
}

function scopesOf(grammar: vsctm.IGrammar, text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let state = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.set(line.slice(t.startIndex, t.endIndex).trim() || `@${t.startIndex}`, t.scopes);
    state = r.ruleStack;
  }
  return out;
}

describe('syntaxes: Kubernetes injection grammar', () => {
  let grammar: vsctm.IGrammar;
  before(async () => {
    const g = await (await registry()).loadGrammar('source.yaml');
    assert.ok(g);
    grammar = g;
  });

  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  labels:',
    '    app.kubernetes.io/name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - resources:',
    '            requests:',
    '              cpu: 500m',
    '              memory: "128Mi"',
    '  note: |',
    '    kind: NotAKind',
  ].join('\n');

  it('marks apiVersion and kind values', () => {
    const s = scopesOf(grammar, text);
    assert.ok(s.get('apps/v1')?.includes('support.type.apiversion.kubernetes'), String(s.get('apps/v1')));
    assert.ok(s.get('Deployment')?.includes('support.class.kind.kubernetes'));
  });
  it('marks quantities and well-known label keys', () => {
    const s = scopesOf(grammar, text);
    assert.ok(s.get('500m')?.includes('constant.numeric.quantity.kubernetes'));
    assert.ok(s.get('128Mi')?.includes('constant.numeric.quantity.kubernetes'));
    assert.ok(s.get('app.kubernetes.io/name')?.some((x) => x.includes('support.constant.label.kubernetes')));
  });
  it('keeps YAML scopes for keys', () => {
    const s = scopesOf(grammar, text);
    assert.ok(s.get('kind')?.includes('entity.name.tag.yaml'));
  });
  it('leaves block scalars alone (with the real YAML grammar)', function () {
    if (!yamlGrammars().real) this.skip();
    const s = scopesOf(grammar, text);
    assert.ok(!s.get('NotAKind')?.includes('support.class.kind.kubernetes'), JSON.stringify([...s.entries()].slice(-6)));
  });
});
