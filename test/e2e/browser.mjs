/**
 * Chromium, driven by playwright-core, pointed at a code-server workbench.
 * Flags are the ones known to work headless on these machines; the workbench is up in ~8 s.
 */
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Runs in the page before the workbench boots. The workbench reads its configuration from the
 * data-settings attribute of the meta element `vscode-workbench-web-configuration`; we add
 * `developmentOptions` there as the page is parsed (a MutationObserver, because intercepting
 * the request breaks the connection).
 */
function injectDevelopmentOptions(dev) {
  const ID = 'vscode-workbench-web-configuration';
  const patch = () => {
    const meta = document.getElementById(ID);
    if (!meta || meta.dataset.kubeplayPatched) return !!meta?.dataset.kubeplayPatched;
    const raw = meta.getAttribute('data-settings');
    if (!raw) return false;
    const settings = JSON.parse(raw);
    settings.developmentOptions = { ...(settings.developmentOptions || {}), ...dev };
    meta.setAttribute('data-settings', JSON.stringify(settings));
    meta.dataset.kubeplayPatched = '1';
    return true;
  };
  if (!patch()) {
    const mo = new MutationObserver(() => { if (patch()) mo.disconnect(); });
    mo.observe(document, { childList: true, subtree: true, attributes: true });
  }
}

/** A vscode-remote URI (as UriComponents, which the workbench revives) for a path on this machine. */
export function remoteUri(authority, fsPath) {
  return { scheme: 'vscode-remote', authority, path: fsPath };
}

/**
 * Launches Chromium with a persistent profile and opens `url`.
 * options.dev: developmentOptions to inject; options.onExit: exposed as window.codeAutomationExit.
 */
export async function openWorkbench(tools, { profileDir, url, logFile, dev, onExit, viewport = { width: 1440, height: 900 }, locale }) {
  fs.mkdirSync(profileDir, { recursive: true });
  const context = await tools.playwright.chromium.launchPersistentContext(profileDir, {
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    locale: locale ?? 'en-US',
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const log = (line) => logFile && fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  page.on('console', (m) => log(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));
  page.on('crash', () => log('[crash] page crashed'));
  if (onExit) await page.exposeFunction('codeAutomationExit', async (code) => { onExit(code); });
  if (dev) await context.addInitScript(injectDevelopmentOptions, dev);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return { context, page, log, close: () => context.close().catch(() => {}) };
}

/** Waits until the workbench shell is there and the remote connection is established. */
export async function waitForWorkbench(page, timeout = 60_000) {
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout });
  await page.waitForSelector('.monaco-workbench .part.activitybar, .monaco-workbench .part.sidebar', { timeout });
}

export function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function resultsPath(...p) {
  return path.join(...p);
}
