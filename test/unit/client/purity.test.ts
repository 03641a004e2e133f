import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..', ...(__dirname.includes(`${path.sep}out${path.sep}`) ? ['..'] : []));

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.m?ts$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

describe('client model purity', () => {
  it('client/src/model never imports vscode, so the tree and describe logic run in plain Node', () => {
    const offenders = files(path.join(repo, 'client', 'src', 'model')).filter((f) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(repo, f)), []);
  });

  it('activation does not load the Kubernetes client library or the language client eagerly', () => {
    const ext = fs.readFileSync(path.join(repo, 'client', 'src', 'extension.ts'), 'utf8');
    assert.ok(!/from ['"]kubernetes-client-node-v1['"]|from ['"]@kubernetes\/client-node['"]/.test(ext));
    assert.ok(!/^import .* from ['"]vscode-languageclient\/node['"]/m.test(ext.replace(/^import type .*$/gm, '')));
  });
});
