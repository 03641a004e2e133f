/**
 * Starts and stops code-server, the real VS Code workbench served to a browser.
 * It runs in its own session (setsid) with its own HOME, user-data-dir and extensions-dir,
 * and is always stopped by killing the whole process group: its extension host, pty host and
 * file watcher outlive the main process otherwise.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { node24Env } from './install.mjs';

const live = new Set();

/** Kills every process group still running; safe to call many times and from 'exit'. */
export function killAll() {
  for (const pgid of live) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
    live.delete(pgid);
  }
}
process.on('exit', killAll);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Settings that keep the workbench quiet and deterministic for a robot, as a person's fresh profile would be after dismissing the welcome tour. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.accessibilitySupport': 'off',
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.defaultProfile.linux': 'bash',
  'window.restoreWindows': 'none',
  'redhat.telemetry.enabled': false,
};

/**
 * Prepares an isolated profile: HOME, user-data-dir with settings, extensions-dir.
 * `root` is a throw-away folder owned by this run.
 */
export function makeProfile(root, settings = {}) {
  const home = path.join(root, 'home');
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  for (const d of [home, path.join(userData, 'User'), extensions]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  return { root, home, userData, extensions };
}

function csArgs(profile) {
  return ['--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
}

function csEnv(tools, profile, extraPath = []) {
  const env = node24Env(tools.node, { HOME: profile.home, XDG_CONFIG_HOME: path.join(profile.home, '.config'), XDG_DATA_HOME: path.join(profile.home, '.local', 'share') });
  if (extraPath.length) env.PATH = `${extraPath.join(path.delimiter)}${path.delimiter}${env.PATH}`;
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  delete env.PASSWORD;
  return env;
}

/** `code-server --install-extension x.vsix`: the supported way (a dropped folder is ignored once extensions.json exists). */
export function installExtension(tools, profile, vsix, logFile) {
  const nodeBin = path.join(tools.node.binDir, 'node');
  const r = spawnSync(nodeBin, [tools.codeServer.entry, ...csArgs(profile), '--install-extension', vsix, '--force'], {
    env: csEnv(tools, profile), encoding: 'utf8', timeout: 120_000,
  });
  if (logFile) fs.appendFileSync(logFile, `$ code-server --install-extension ${vsix}\n${r.stdout}${r.stderr}\n`);
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => { req.destroy(); resolve(0); });
  });
}

/**
 * Starts code-server for `folder` and waits for /healthz. Returns {url, port, stop()}.
 * `locale` sets --locale (e.g. 'zh-cn').
 */
export async function startCodeServer(tools, profile, { folder, locale, logFile, extraPath = [], extraEnv = {}, port: wanted } = {}) {
  const port = wanted ?? (await freePort());
  const nodeBin = path.join(tools.node.binDir, 'node');
  const args = [
    tools.codeServer.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...csArgs(profile),
  ];
  if (locale) args.push('--locale', locale);
  if (folder) args.push(folder);
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  // detached: true makes the child call setsid(): it leads a new session and process group,
  // so -pid reaches every helper it forks.
  const child = spawn(nodeBin, args, { env: { ...csEnv(tools, profile, extraPath), ...extraEnv }, detached: true, stdio: ['ignore', out, out] });
  live.add(child.pid);
  let exited = null;
  child.on('exit', (code, sig) => { exited = code ?? sig; });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (true) {
    if (exited !== null) throw new Error(`code-server exited early (${exited}); see ${logFile}`);
    if ((await httpStatus(`${url}healthz`)) === 200) break;
    if (Date.now() > deadline) {
      stopGroup(child.pid);
      throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    authority: `127.0.0.1:${port}`,
    pid: child.pid,
    folderUrl: folder ? `${url}?folder=${encodeURIComponent(folder)}` : url,
    stop: () => stopGroup(child.pid),
  };
}

/** TERM the group, then KILL whatever is left a moment later. */
export async function stopGroup(pgid) {
  if (!live.has(pgid)) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch { live.delete(pgid); return; }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try { process.kill(-pgid, 0); } catch { live.delete(pgid); return; }
    await new Promise((r) => setTimeout(r, 100));
  }
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  live.delete(pgid);
}
