import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The layer rules of ARCHITECTURE.md, checked on the sources: which of our
 * folders each folder may import, and that the pure cores never import the
 * editor or the LSP library.
 */

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const root = repoRoot();
const layers = ['kube', 'server', 'cluster', 'client', 'cli'];
const allowed: Record<string, string[]> = {
  kube: ['kube'],
  server: ['kube', 'server'],
  cluster: ['kube', 'cluster'],
  client: ['kube', 'client'],
  cli: ['kube', 'server', 'cluster', 'cli'],
};

function sources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m; (m = re.exec(text)); ) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

describe('architecture: layers', () => {
  for (const layer of layers) {
    it(`${layer}/ imports only ${allowed[layer].join(', ')}`, () => {
      const bad: string[] = [];
      for (const f of sources(path.join(root, layer, 'src'))) {
        for (const spec of imports(f)) {
          if (!spec.startsWith('.')) continue;
          const target = path.relative(root, path.resolve(path.dirname(f), spec)).split(path.sep)[0];
          if (layers.includes(target) && !allowed[layer].includes(target)) bad.push(`${path.relative(root, f)} → ${spec}`);
        }
      }
      assert.deepStrictEqual(bad, []);
    });
  }

  it('kube/, server/src/service/ and cluster/ never import vscode or vscode-languageserver', () => {
    const bad: string[] = [];
    const dirs = [path.join(root, 'kube', 'src'), path.join(root, 'server', 'src', 'service'), path.join(root, 'cluster', 'src')];
    for (const d of dirs) {
      for (const f of sources(d)) {
        for (const spec of imports(f)) {
          if (spec === 'vscode' || spec.startsWith('vscode-languageserver') && spec !== 'vscode-languageserver-textdocument' && spec !== 'vscode-languageserver-types') {
            bad.push(`${path.relative(root, f)} imports ${spec}`);
          }
        }
      }
    }
    assert.deepStrictEqual(bad, []);
  });

  it('only client/ imports vscode', () => {
    const bad: string[] = [];
    for (const layer of layers.filter((l) => l !== 'client')) {
      for (const f of sources(path.join(root, layer, 'src'))) if (imports(f).includes('vscode')) bad.push(path.relative(root, f));
    }
    assert.deepStrictEqual(bad, []);
  });
});
