import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { WORKLOAD_KINDS } from '../../../client/src/model/treeWorkloads';
import { CONTROL_PLANE, COUNTER_NAMES, HEADLINE } from '../../../client/src/model/tree';

const repo = path.resolve(__dirname, '..', '..', '..', ...(__dirname.includes(`${path.sep}out${path.sep}`) ? ['..'] : []));
const read = (p: string) => fs.readFileSync(path.join(repo, p), 'utf8');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('client localization', () => {
  it('has a zh-cn translation for every message the client passes to l10n.t', () => {
    const bundle = JSON.parse(read('l10n/bundle.l10n.zh-cn.json'));
    const messages = new Set<string>([...WORKLOAD_KINDS.map((k) => k.plural), ...CONTROL_PLANE.map((c) => c.role), ...Object.values(COUNTER_NAMES), ...Object.values(HEADLINE).map((h) => h.text)]);
    // kube/'s NetworkPolicy words are said through the client's translator too.
    for (const f of [...sources('client/src'), 'kube/src/networkPolicy.ts']) {
      for (const m of read(f).matchAll(/(?<![A-Za-z0-9_])(?:l10n\.)?t\(\s*'((?:[^'\\]|\\.)*)'/g)) messages.add(m[1].replace(/\\'/g, "'"));
    }
    assert.ok(messages.size > 100, `found ${messages.size} messages`);
    const missing = [...messages].filter((m) => typeof bundle[m] !== 'string' || !bundle[m]);
    assert.deepStrictEqual(missing, []);
    // Placeholders survive translation.
    for (const m of messages) for (const ph of m.match(/\{\d+\}/g) ?? []) assert.ok(bundle[m].includes(ph), `${m} → ${bundle[m]} lacks ${ph}`);
  });

  it('has English and zh-cn values for every %key% of package.json', () => {
    const pkg = read('package.json');
    const en = JSON.parse(read('package.nls.json'));
    const zh = JSON.parse(read('package.nls.zh-cn.json'));
    const keys = [...new Set([...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]))];
    assert.ok(keys.length > 30);
    assert.deepStrictEqual(keys.filter((k) => !en[k] || !zh[k]), []);
    assert.strictEqual(zh['kubeplay.view.cluster'], '集群');
  });

  it('offers Describe, Live YAML and Show Logs, and nothing else of a pod, on a Control plane row that stands for a pod; wraps describe tabs', () => {
    const pkg = JSON.parse(read('package.json'));
    const menus: { command: string; when: string }[] = pkg.contributes.menus['view/item/context'];
    // A `when` clause's `viewItem == x` and `viewItem =~ /re/` for the one context value, as VS Code reads them.
    const admits = (when: string, item: string) =>
      [...when.matchAll(/viewItem == ([\w.]+)/g)].some((m) => m[1] === item) ||
      [...when.matchAll(/viewItem =~ \/(.+?)\/(?:\s|\)|$)/g)].some((m) => new RegExp(m[1]).test(item));
    const offered = [...new Set(menus.filter((m) => admits(m.when, 'kubeplay.component.pod')).map((m) => m.command))].sort();
    assert.deepStrictEqual(offered, ['kubeplay.describe', 'kubeplay.showLogs', 'kubeplay.showYaml']);
    assert.ok(!menus.some((m) => admits(m.when, 'kubeplay.component')), 'a counters-only row has no menu');
    assert.ok(pkg.contributes.languages.some((l: any) => l.id === 'kubeplay-describe'));
    assert.strictEqual(pkg.contributes.configurationDefaults['[kubeplay-describe]']['editor.wordWrap'], 'on');
  });

  it('contributes the names the workbench tests rely on', () => {
    const pkg = JSON.parse(read('package.json'));
    const en = JSON.parse(read('package.nls.json'));
    assert.deepStrictEqual(pkg.activationEvents, ['onLanguage:yaml', 'onView:kubeplay.cluster']);
    assert.strictEqual(pkg.contributes.viewsContainers.activitybar[0].id, 'kubeplay');
    const view = pkg.contributes.views.kubeplay[0];
    assert.strictEqual(view.id, 'kubeplay.cluster');
    assert.strictEqual(en[view.name.slice(1, -1)], 'Cluster');
    const titles = new Map<string, string>(pkg.contributes.commands.map((c: any) => [c.command, en[c.title.slice(1, -1)]]));
    assert.strictEqual(titles.get('kubeplay.killPod'), 'Kill Pod');
    assert.strictEqual(titles.get('kubeplay.describe'), 'Describe');
    assert.strictEqual(titles.get('kubeplay.openTerminal'), 'Open Terminal with kubectl');
    for (const c of pkg.contributes.commands) assert.strictEqual(c.category, '%kubeplay.category%');
    const menu = pkg.contributes.menus['view/item/context'].map((m: any) => m.command);
    for (const id of ['kubeplay.killPod', 'kubeplay.describe', 'kubeplay.scale', 'kubeplay.cordon', 'kubeplay.drain']) assert.ok(menu.includes(id), id);
  });
});
