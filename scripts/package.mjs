#!/usr/bin/env node
// Builds kubeplay-<version>.vsix with @vscode/vsce, offline. The extension
// ships bundles only (no node_modules), so dependencies are not listed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `kubeplay-${pkg.version}.vsix`);
for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/schema.json']) {
  if (!fs.existsSync(path.join(root, f))) {
    console.error(`package: ${f} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
}
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', out], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, VSCE_TELEMETRY: 'off' },
});
const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
console.log(`package: ${out}\n${listing}`);
