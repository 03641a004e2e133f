#!/usr/bin/env node
// Bundles the extension client, the language server and the CLI with esbuild
// into dist/, next to a copy of the generated schema they load at run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

const entries = [
  { in: 'client/src/extension.ts', out: 'client' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'cli/src/main.ts', out: 'cli' },
  // @kubernetes/client-node on its own, loaded by the client on first use (keeps activation fast).
  { in: 'client/src/kube/lib.mts', out: 'kube-client' },
  // The language client, loaded by the extension right after activation.
  { in: 'client/src/languageClient.ts', out: 'client-lsp' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

await build({
  absWorkingDir: root,
  entryPoints: entries.map((e) => ({ in: e.in, out: e.out })),
  outdir: dist,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: false,
  minify: process.env.KUBEPLAY_MINIFY === '1',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(root, 'kube', 'generated', 'schema.json'), path.join(dist, 'schema.json'));
console.log(`bundle: ${entries.map((e) => `dist/${e.out}.js`).join(', ')}, dist/schema.json`);
