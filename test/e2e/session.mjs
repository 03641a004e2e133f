/**
 * One workbench session: a fresh profile, the VSIX installed, code-server serving `folder`,
 * Chromium showing it. close() stops the browser and the whole code-server process group.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeProfile, startCodeServer, installExtension } from './codeserver.mjs';
import { openWorkbench, waitForWorkbench } from './browser.mjs';

export async function startSession(tools, { name, vsix, extraVsix = [], beforeStart, folder, locale, resultsDir, settings, browser = true }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `kubeplay-e2e-${name}-`));
  const logFile = path.join(resultsDir, `${name}.log`);
  fs.writeFileSync(logFile, '');
  const profile = makeProfile(root, { ...(locale ? { 'locale': locale } : {}), ...settings });
  const s = { root, profile, logFile, server: undefined, browser: undefined, page: undefined };
  s.close = async () => {
    if (s.browser) await s.browser.close();
    if (s.server) await s.server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const x of extraVsix) installExtension(tools, profile, x, logFile);
    if (vsix) installExtension(tools, profile, vsix, logFile);
    if (beforeStart) beforeStart(profile);
    s.server = await startCodeServer(tools, profile, {
      folder, locale, logFile,
      extraPath: tools.kubectlDir ? [tools.kubectlDir] : [],
      extraEnv: { KUBEPLAY_E2E: '1' },
    });
    if (browser) {
      s.browser = await openWorkbench(tools, { profileDir: path.join(root, 'chromium'), url: s.server.folderUrl, logFile, locale });
      s.page = s.browser.page;
      await waitForWorkbench(s.page);
    }
    return s;
  } catch (e) {
    await s.close();
    throw e;
  }
}
