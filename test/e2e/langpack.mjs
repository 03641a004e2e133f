/**
 * VS Code only switches to a locale for which a language pack is installed; without one,
 * `--locale zh-cn` resolves to English and extensions never see zh-cn. The marketplace's Chinese
 * pack cannot be fetched here, so the harness packages a stub pack (test/e2e/langpack-zh-cn) that
 * declares zh-cn and translates nothing of VS Code: the core UI stays English, and the
 * extension's own zh-cn strings are what the scenario checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { CACHE, REPO } from './paths.mjs';

export function zhCnLanguagePack() {
  const src = path.join(REPO, 'test', 'e2e', 'langpack-zh-cn');
  const { version } = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  const out = path.join(CACHE, `langpack-zh-cn-stub-${version}.vsix`);
  if (fs.existsSync(out)) return out;
  const r = spawnSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--skip-license', '-o', `${out}.tmp.vsix`], { cwd: src, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`packaging the zh-cn language pack stub failed:\n${r.stdout}${r.stderr}`);
  fs.renameSync(`${out}.tmp.vsix`, out);
  return out;
}

/**
 * The server reads <user-data-dir>/languagepacks.json to resolve a locale. VS Code writes it when
 * a pack is installed from inside a running workbench; `--install-extension` from the command line
 * does not, so the harness writes the entry for the installed stub itself.
 */
export function registerLanguagePack(profile) {
  const src = path.join(REPO, 'test', 'e2e', 'langpack-zh-cn');
  const pkg = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  const dir = fs.readdirSync(profile.extensions).find((d) => d.toLowerCase().startsWith(`${id}-${pkg.version}`.toLowerCase()));
  if (!dir) throw new Error(`language pack ${id} is not installed in ${profile.extensions}`);
  const loc = pkg.contributes.localizations[0];
  const translations = Object.fromEntries(loc.translations.map((t) => [t.id, path.join(profile.extensions, dir, t.path)]));
  const hash = crypto.createHash('md5').update(`${id}@${pkg.version}`).digest('hex');
  const packs = {
    [loc.languageId]: {
      hash,
      extensions: [{ extensionIdentifier: { id }, version: pkg.version }],
      translations,
      label: loc.localizedLanguageName,
    },
  };
  fs.writeFileSync(path.join(profile.userData, 'languagepacks.json'), JSON.stringify(packs, null, 2));
}
