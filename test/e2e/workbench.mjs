#!/usr/bin/env node
/**
 * `npm run workbench`: try Kubeplay in a real VS Code without installing VS Code. Starts
 * code-server with the freshly packaged extension and a copy of examples/ open, prints the URL,
 * and runs until Ctrl-C (then stops the whole code-server process group).
 * Options: --port N (default: a free port), --locale zh-cn.
 */
import os from 'node:os';
import path from 'node:path';
import { ensureAll } from './install.mjs';
import { buildVsix } from './vsix.mjs';
import { makeProfile, startCodeServer, installExtension, killAll } from './codeserver.mjs';
import { makeWorkspace } from './workspace.mjs';
import { RESULTS } from './paths.mjs';
import { zhCnLanguagePack, registerLanguagePack } from './langpack.mjs';
import fs from 'node:fs';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const tools = await ensureAll();
fs.mkdirSync(RESULTS, { recursive: true });
let vsix;
try {
  vsix = buildVsix(RESULTS).file;
} catch (e) {
  console.error(`Could not package the extension; starting the workbench without it.\n${e.message}`);
}
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-workbench-'));
const ws = makeWorkspace(path.join(root, 'workspace'));
const profile = makeProfile(path.join(root, 'profile'), { 'workbench.startupEditor': 'readme' });
const logFile = path.join(RESULTS, 'workbench-interactive.log');
fs.writeFileSync(logFile, '');
if (vsix) installExtension(tools, profile, vsix, logFile);
// VS Code's own strings come from a language pack (the marketplace's is out of reach offline): the same stub pack the
// zh-cn end-to-end test installs, without which --locale zh-cn leaves the extension's strings in English too.
if (arg('locale') === 'zh-cn') {
  installExtension(tools, profile, zhCnLanguagePack(), logFile);
  registerLanguagePack(profile);
}
const server = await startCodeServer(tools, profile, {
  folder: path.join(ws, 'examples'), locale: arg('locale'), logFile, port: arg('port') ? Number(arg('port')) : undefined,
  extraPath: tools.kubectlDir ? [tools.kubectlDir] : [],
});
console.log(`\nKubeplay workbench is running: ${server.folderUrl}`);
console.log(`(code-server ${server.url}, log ${logFile}; Ctrl-C to stop)\n`);

const stop = async () => {
  await server.stop();
  killAll();
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
