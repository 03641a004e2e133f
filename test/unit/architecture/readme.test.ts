import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The README is the extension's page in the .vsix: vsce refuses to package a README with relative links when
 * package.json names no repository ("Couldn't detect the repository where this extension is published"), and then
 * the workbench and its end-to-end tests start VS Code without the extension. Paths go in code spans instead.
 */
describe('README as the extension page', () => {
  it('has no relative links or images (vsce cannot resolve them without a repository)', () => {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (pkg.repository) return;
    const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const relative = [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]).filter((u) => !/^(https?:|mailto:|#)/.test(u));
    assert.deepStrictEqual(relative, []);
  });
});
