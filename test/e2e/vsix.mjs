/**
 * Produces the VSIX that the workbench installs: the lead's `npm run package` when it exists
 * (it writes kubeplay-<version>.vsix in the repo root), else the same steps done here:
 * generate the schema if missing, bundle with esbuild, `vsce package --no-dependencies`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './paths.mjs';

function sh(cmd, args, logFile) {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, CI: process.env.CI ?? '' }, timeout: 300_000 });
  fs.appendFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}); see ${logFile}\n${`${r.stdout}${r.stderr}`.slice(-1500)}`);
}

function newest(dir, filter = () => true) {
  let t = 0;
  const walk = (d) => {
    let entries = [];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (filter(p)) t = Math.max(t, fs.statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return t;
}

/**
 * From a fresh clone nothing is built; after `npm test` (as in CI) everything is. Rebuild
 * (`npm run build`: schema, tsc -b, esbuild bundles) only when a bundle or a compiled
 * extension-host test is missing or older than the sources.
 */
export function ensureBuilt(logFile) {
  const outputs = ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/schema.json'].map((f) => path.join(REPO, f));
  const suiteDir = path.join(REPO, 'test', 'electron', 'suite');
  const tsTests = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')) : [];
  outputs.push(...tsTests.map((f) => path.join(REPO, 'out', 'test', 'electron', 'suite', f.replace(/\.ts$/, '.js'))));
  const missing = outputs.filter((f) => !fs.existsSync(f));
  const builtAt = missing.length ? 0 : Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  const sources = Math.max(...['client/src', 'server/src', 'cli/src', 'kube/src', 'cluster/src', 'test/electron/suite'].map((d) => newest(path.join(REPO, d), (p) => /\.(ts|mts|json)$/.test(p))));
  if (missing.length === 0 && builtAt >= sources) return 'up to date';
  try {
    sh('npm', ['run', '--silent', 'build'], logFile);
    return missing.length ? `built (${missing.map((f) => path.relative(REPO, f)).join(', ')} missing)` : 'rebuilt (sources newer than the bundles)';
  } catch (e) {
    // Someone else's folder may not compile for a moment; package what the bundler produced.
    return `npm run build failed, packaging what exists: ${e.message.split('\n')[0]}`;
  }
}

export function buildVsix(resultsDir) {
  const logFile = path.join(resultsDir, 'package.log');
  fs.writeFileSync(logFile, '');
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  if (process.env.KUBEPLAY_VSIX) return { file: path.resolve(process.env.KUBEPLAY_VSIX), how: 'KUBEPLAY_VSIX' };
  const built = ensureBuilt(logFile);
  const expected = path.join(REPO, `${pkg.name}-${pkg.version}.vsix`);
  if (fs.existsSync(path.join(REPO, 'scripts', 'package.mjs'))) {
    const t0 = Date.now() - 1000;
    const fresh = () => fs.existsSync(expected) && fs.statSync(expected).mtimeMs >= t0;
    try {
      sh('npm', ['run', '--silent', 'package'], logFile);
      if (fresh()) return { file: expected, how: `build ${built}; npm run package` };
    } catch (e) {
      // The VSIX may be written before a later check in the script fails; use it, but say so.
      if (fresh()) return { file: expected, how: `build ${built}; npm run package (exited non-zero after writing the VSIX: ${e.message.split('\n')[0]})` };
      fs.appendFileSync(logFile, `npm run package failed; falling back to vsce here\n`);
    }
  }
  if (!fs.existsSync(path.join(REPO, 'dist', 'client.js'))) sh('node', ['scripts/bundle.mjs'], logFile);
  // Outside the repo, so a later package step never bundles an old VSIX into the new one.
  fs.mkdirSync(path.join(os.tmpdir(), 'kubeplay-e2e-vsix'), { recursive: true });
  const out = path.join(os.tmpdir(), 'kubeplay-e2e-vsix', `${pkg.name}-${pkg.version}.vsix`);
  sh('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--skip-license', '-o', out], logFile);
  return { file: out, how: `build ${built}; vsce package (fallback)` };
}
