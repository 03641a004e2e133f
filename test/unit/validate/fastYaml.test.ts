import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KUBE_YAML } from '../../../kube/src/kubeYaml';
import { documentRanges, fastParse, resolvePlain, splitLines } from '../../../cli/src/validateYaml';
import { repoRoot } from './helpers';

/** The fast loader must give exactly `yaml`'s value, or decline (undefined) so `yaml` takes over. */
function check(text: string): 'fast' | 'fallback' {
  const lines = splitLines(text);
  const ranges = documentRanges(lines);
  let fast = 0;
  for (const r of ranges) {
    const docText = lines.slice(r.startLine, r.endLine).join('\n');
    const docs = parseAllDocuments(docText, KUBE_YAML);
    const ref = Array.isArray(docs) && docs.length ? docs[0] : undefined;
    const v = fastParse(lines, r.startLine, r.endLine);
    if (v === undefined) continue;
    fast++;
    assert.ok(!ref || ref.errors.length === 0, `fast path accepted a document yaml rejects: ${docText}`);
    assert.deepStrictEqual(v, ref ? ref.toJS() : null, docText);
  }
  return fast === ranges.length ? 'fast' : 'fallback';
}

const root = repoRoot();
const corpus = [path.join(root, 'test', 'fixtures', 'corpus'), path.join(root, 'examples')].filter((d) => fs.existsSync(d));

describe('validate/fast YAML loader', () => {
  it('matches yaml on plain block manifests and takes the fast path', () => {
    assert.strictEqual(check('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a # c\n  labels: {app: web, tier: "be"}\nspec:\n  containers:\n  - name: x\n    image: nginx\n    args: ["-c", \'it\'\'s\', 3]\n    ports:\n    - containerPort: 80\n'), 'fast');
    assert.strictEqual(check('a:\n- 1\n- 2\nb:\n  c: |\n    line1\n      indented\n\n    line3\n  d: >-\n    folded\n    text\n\n    para\ne: ~\nf: 0x1F\ng: 1.5e3\nh: "esc\\n\\u0041"\ni: true\nj: yes\nk: 010\n'), 'fast');
    assert.strictEqual(check('securityContext:\n  {}\nlist:\n  - - nested\n'), 'fallback');
  });

  it('declines what it does not understand (anchors, tags, multi-line scalars, duplicates, tabs, errors)', () => {
    for (const t of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: plain\n  continued\n', 'a: "open\n  quote"\n', 'a: 1\na: 2\n', 'a:\n\tb: 1\n', 'a: b: c\n', 'key: [unclosed\n', '? complex\n: key\n', 'a: |+\n  keep\n\n']) {
      const lines = splitLines(t);
      assert.strictEqual(fastParse(lines, 0, lines.length), undefined, t);
    }
  });

  it('splits streams at --- lines and after ...', () => {
    const lines = splitLines('a: 1\n---\nb: 2\n--- # c\nc: 3\n...\n');
    assert.deepStrictEqual(documentRanges(lines).map((r) => fastParse(lines, r.startLine, r.endLine)), [{ a: 1 }, { b: 2 }, { c: 3 }, null]);
  });

  it('resolves plain scalars as kubectl reads them (go-yaml v2 booleans and integers, else the YAML 1.2 core schema)', () => {
    assert.deepStrictEqual(['~', 'null', 'True', 'FALSE', '12', '-3', '0o17', '0x10', '.5', '1e3', '.inf', 'yes', 'N', 'on', '1.2.3', '0777', '08', '1_000', '0x_'].map(resolvePlain),
      [null, null, true, false, 12, -3, 15, 16, 0.5, 1000, Infinity, true, false, true, '1.2.3', 511, 8, 1000, '0x_']);
  });

  it('agrees with yaml on every corpus and example document', () => {
    let files = 0;
    for (const dir of corpus) {
      for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
        check(fs.readFileSync(path.join(dir, f), 'utf8'));
        files++;
      }
    }
    assert.ok(files >= 10, `corpus found (${files} files)`);
  });

  it('never accepts what yaml rejects, nor reads it differently (seeded mutations of the corpus)', function () {
    this.timeout(30000);
    const dir = path.join(root, 'test', 'fixtures', 'corpus');
    const docs: string[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) docs.push(...fs.readFileSync(path.join(dir, f), 'utf8').split(/^---.*$/m).filter((d) => d.trim()));
    let seed = 2024;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pieces = [' ', '  ', '- ', ': ', '#', '"', "'", '{', '}', '[', ']', ',', '|', '>', '-', 'x', '1', '\t', '&a ', '*a', '!t ', '%', '@', '?', ':', '\n'];
    let accepted = 0;
    for (let iter = 0; iter < 2000; iter++) {
      const lines = docs[Math.floor(rand() * docs.length)].split('\n');
      for (let k = 0, n = 1 + Math.floor(rand() * 3); k < n; k++) {
        const li = Math.floor(rand() * lines.length);
        const l = lines[li];
        const op = rand();
        const pos = Math.floor(rand() * (l.length + 1));
        if (op < 0.3) lines[li] = l.slice(0, pos) + pieces[Math.floor(rand() * pieces.length)] + l.slice(pos);
        else if (op < 0.5) lines[li] = l.slice(0, pos) + l.slice(pos + 1);
        else if (op < 0.7) lines[li] = ' ' + l;
        else if (op < 0.85) lines[li] = l.replace(/^ /, '');
        else lines.splice(li, 0, lines[Math.floor(rand() * lines.length)]);
      }
      const text = lines.join('\n');
      const ls = splitLines(text);
      const v = fastParse(ls, 0, ls.length);
      if (v === undefined) continue;
      accepted++;
      const ref = parseAllDocuments(text);
      const list = Array.isArray(ref) ? ref : [];
      if (!list.length) { assert.strictEqual(v, null, text); continue; }
      assert.strictEqual(list.length, 1, text);
      assert.deepStrictEqual(list[0].errors.map((e) => e.code), [], text);
      assert.deepStrictEqual(v, list[0].toJS(), text);
    }
    assert.ok(accepted > 300, `the fast path handled ${accepted} mutated documents`);
  });
});
