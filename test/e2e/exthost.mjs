/**
 * Runs a mocha suite inside the real workbench's extension host (code-server's Node 24 one).
 * code-server's command line refuses --extensionDevelopmentPath/--extensionTestsPath, so the
 * browser page injects them as developmentOptions; the workbench reports the suite's exit code
 * through window.codeAutomationExit, as @vscode/test-web receives it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeProfile, startCodeServer, installExtension } from './codeserver.mjs';
import { openWorkbench, remoteUri } from './browser.mjs';

/**
 * @param {object} o name, devExtension (folder), testsPath (folder with index.js), folder
 *   (workspace), vsix (optional, installed first), resultsDir, timeoutMs
 */
export async function runExtensionHostSuite(tools, o) {
  const t0 = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `kubeplay-e2e-${o.name}-`));
  const logFile = path.join(o.resultsDir, `${o.name}.log`);
  const reportFile = path.join(o.resultsDir, `${o.name}.report.json`);
  fs.rmSync(reportFile, { force: true });
  fs.writeFileSync(logFile, '');
  const profile = makeProfile(root);
  let server;
  let browser;
  const result = { name: o.name, ok: false, exitCode: undefined, report: undefined, ms: 0, error: undefined };
  try {
    if (o.vsix) installExtension(tools, profile, o.vsix, logFile);
    server = await startCodeServer(tools, profile, {
      folder: o.folder, logFile, extraPath: o.extraPath,
      extraEnv: { KUBEPLAY_TEST_REPORT: reportFile, KUBEPLAY_E2E: '1' },
    });
    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    browser = await openWorkbench(tools, {
      profileDir: path.join(root, 'chromium'),
      url: server.folderUrl,
      logFile,
      dev: {
        extensions: [remoteUri(server.authority, o.devExtension)],
        extensionTestsPath: remoteUri(server.authority, o.testsPath),
      },
      onExit: (code) => resolveExit(code),
    });
    const timeoutMs = o.timeoutMs ?? 180_000;
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`no result from the extension host within ${timeoutMs / 1000} s`)), timeoutMs); }),
    ]).finally(() => clearTimeout(timer));
    result.exitCode = code;
    if (fs.existsSync(reportFile)) result.report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    result.ok = code === 0;
    if (o.resultsDir && browser) await browser.page.screenshot({ path: path.join(o.resultsDir, `${o.name}.png`) }).catch(() => {});
  } catch (e) {
    result.error = e.message;
    if (browser) await browser.page.screenshot({ path: path.join(o.resultsDir, `${o.name}-error.png`) }).catch(() => {});
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
    result.ms = Date.now() - t0;
  }
  return result;
}

export function describeSuiteResult(r) {
  const lines = [];
  if (r.report) {
    for (const t of r.report.tests) lines.push(`    ${t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip'} ${t.title}${t.error ? `\n         ${t.error.split('\n')[0]}` : ''}`);
    lines.push(`    ${r.report.passes} passed, ${r.report.failures} failed${r.report.pending ? `, ${r.report.pending} skipped` : ''}`);
  }
  if (r.report?.error) lines.push(`    error: ${r.report.error}`);
  if (r.error) lines.push(`    error: ${r.error}`);
  return lines.join('\n');
}
