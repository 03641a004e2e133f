import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { documentRanges, fastParse, resolvePlain, splitLines } from '../../../cli/src/validateYaml';
import { repoRoot } from './helpers';

/** The fast loader must give exactly `yaml`'s value, or decline (undefined) so `yaml` takes over. */
function check(text: string): 'fast' | 'fallback' {
  const lines = splitLines(text);
  const ranges = documentRanges(lines);
  let fast = 0;
  for (const r of ranges) {
    const docText = lines.slice(r.startLine, r.endLine).join('\n');
    const docs = parseAllDocuments(docText);
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

  it('resolves plain scalars like the YAML 1.2 core schema', () => {
    assert.deepStrictEqual(['~', 'null', 'True', 'FALSE', '12', '-3', '0o17', '0x10', '.5', '1e3', '.inf', 'yes', '1.2.3', '0777'].map(resolvePlain),
      [null, null, true, false, 12, -3, 15, 16, 0.5, 1000, Infinity, 'yes', '1.2.3', 777]);
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
});
