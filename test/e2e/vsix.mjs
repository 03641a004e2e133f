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

export function buildVsix(resultsDir) {
  const logFile = path.join(resultsDir, 'package.log');
  fs.writeFileSync(logFile, '');
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  if (process.env.KUBEPLAY_VSIX) return { file: path.resolve(process.env.KUBEPLAY_VSIX), how: 'KUBEPLAY_VSIX' };
  const expected = path.join(REPO, `${pkg.name}-${pkg.version}.vsix`);
  if (fs.existsSync(path.join(REPO, 'scripts', 'package.mjs'))) {
    const t0 = Date.now() - 1000;
    const fresh = () => fs.existsSync(expected) && fs.statSync(expected).mtimeMs >= t0;
    try {
      sh('npm', ['run', '--silent', 'package'], logFile);
      if (fresh()) return { file: expected, how: 'npm run package' };
    } catch (e) {
      // The VSIX may be written before a later check in the script fails; use it, but say so.
      if (fresh()) return { file: expected, how: `npm run package (exited non-zero after writing the VSIX: ${e.message.split('\n')[0]})` };
      fs.appendFileSync(logFile, `npm run package failed; falling back to vsce here\n`);
    }
  }
  if (!fs.existsSync(path.join(REPO, 'kube', 'generated', 'schema.json'))) sh('node', ['scripts/gen-schema.mjs'], logFile);
  sh('node', ['scripts/bundle.mjs'], logFile);
  // Outside the repo, so a later package step never bundles an old VSIX into the new one.
  fs.mkdirSync(path.join(os.tmpdir(), 'kubeplay-e2e-vsix'), { recursive: true });
  const out = path.join(os.tmpdir(), 'kubeplay-e2e-vsix', `${pkg.name}-${pkg.version}.vsix`);
  sh('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--skip-license', '-o', out], logFile);
  return { file: out, how: 'vsce package (fallback)' };
}
