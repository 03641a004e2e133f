/**
 * Slips a learner makes typing a manifest by hand: a tab in the indentation, a missing space after a
 * colon, a quoted port number, a misspelt required key, `=` in an env var name. One clear diagnostic in
 * the apiserver's words where it has them, and a quick fix that leaves YAML the apiserver accepts.
 */
import * as assert from 'assert';
import { applyEdits, byCode, diagnose, quickFixes, textAt } from './helpers';
import { setup } from '../server/harness';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { codeActions } from '../../../server/src/service/codeActions';

const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n${body}`;

describe('learner slips: one clear diagnostic and a fix', () => {
  it('a tab in the indentation is the only diagnostic, and the fix indents with spaces under the key above', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tab\n\tlabels:\n\t\tapp: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
    const { list } = diagnose(text);
    assert.deepStrictEqual(list.map((d) => d.code), ['tab', 'tab', 'tab'], 'one per tab-indented line, and nothing judged from the misread rest');
    const { actions } = quickFixes(text, 'tab');
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].title, 'Indent with spaces instead of tabs');
    const fixed = applyEdits(text, Object.values(actions[0].edit!.changes!)[0]);
    assert.strictEqual(fixed, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tab\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n');
    assert.deepStrictEqual(diagnose(fixed).list, []);
  });

  it('a missing space after a colon is named, as a syntax error or as a wrong type, with a fix', () => {
    const asValue = pod('  volumes:\n  - name: v\n    hostPath:\n      path:/data\n');
    const wrong = byCode(diagnose(asValue).list, 'wrong-type')[0];
    assert.match(wrong.message, /is a space missing after the colon\? "path:\/data" is one string; a key and its value are written "path: \/data"/);
    const { actions } = quickFixes(asValue, 'wrong-type');
    assert.strictEqual(actions[0].title, 'Add a space after the colon');
    const fixed = applyEdits(asValue, Object.values(actions[0].edit!.changes!)[0]);
    assert.match(fixed, /\n {6}path: \/data\n/);
    assert.deepStrictEqual(diagnose(fixed).list.map((d) => d.code), []);

    const asKey = pod('    volumeMounts:\n    - name: v\n      mountPath:/data\n  volumes:\n  - name: v\n    emptyDir: {}\n');
    const syntax = byCode(diagnose(asKey).list, 'yaml-syntax')[0];
    assert.match(syntax.message, /\(is a space missing after the colon\? "mountPath:\/data" is one string/);
    const fix = quickFixes(asKey, 'yaml-syntax').actions[0];
    assert.deepStrictEqual(diagnose(applyEdits(asKey, Object.values(fix.edit!.changes!)[0])).list, []);
    // A URL or an image reference is left alone.
    assert.ok(!/space missing/.test(JSON.stringify(diagnose(pod('    args:\n    - http://x:80/\n')).list)));
  });

  it('a quoted targetPort number gets the apiserver\'s one error and a fix to the number, not three contradicting findings', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: "8080"\n'
      + '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 8080\n';
    const { list } = diagnose(text);
    assert.deepStrictEqual(list.map((d) => `${d.code}: ${d.message}`), ['invalid-port-name: Invalid value: "8080": must contain at least one letter (a-z)']);
    const { actions } = quickFixes(text, 'invalid-port-name');
    assert.strictEqual(actions[0].title, 'Write the port as a number (8080)');
    assert.match(applyEdits(text, Object.values(actions[0].edit!.changes!)[0]), /\n {4}targetPort: 8080\n/);
  });

  it('a misspelt required key is renamed, not added beside (which would leave two); an added port is not 0', () => {
    const text = pod('    ports:\n    - containerport: 80\n');
    const { actions } = quickFixes(text, 'missing-required');
    assert.deepStrictEqual(actions, []);
    assert.strictEqual(quickFixes(text, 'unknown-field').actions[0].title, 'Change to "containerPort"');
    const bare = pod('    ports:\n    - protocol: TCP\n');
    const add = quickFixes(bare, 'missing-required').actions[0];
    assert.match(applyEdits(bare, Object.values(add.edit!.changes!)[0]), /containerPort: 80\n/);
  });

  it('an env var name with "=" is refused in the apiserver\'s words (printable ASCII is fine since 1.32)', () => {
    const { list } = diagnose(pod('    env:\n    - name: A=B\n      value: x\n    - name: my.var-1 (ok)\n      value: y\n'));
    assert.deepStrictEqual(byCode(list, 'env-name').map((d) => d.message), ['Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'']);
  });

  it('a duplicate key is marked over the whole key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    team: a\n    team: b\n';
    const d = byCode(diagnose(text).list, 'duplicate-key')[0];
    assert.strictEqual(textAt(text, d.range), 'team');
  });
});

describe('a repeated key, as kubectl reads it', () => {
  it('is a warning that says the last value wins (kubectl accepts the file), in Chinese too', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    image: redis\n';
    const d = byCode(diagnose(text).list, 'duplicate-key')[0];
    assert.strictEqual(d.severity, 2);
    assert.match(d.message, /\(the last value wins\)$/);
    const zh = byCode(diagnose(text, { locale: 'zh-cn' }).list, 'duplicate-key')[0];
    assert.match(zh.message, /^同一映射中出现了重复的键：kubectl 不会报错，但只保留最后一个值/);
  });
});

describe('a slip in a popular image name or tag', () => {
  it('is a warning with the image meant and a fix; the playground\'s pull fails as Docker Hub\'s would', () => {
    const text = pod('').replace('image: nginx', 'image: ngnix:lates');
    const d = byCode(diagnose(text).list, 'image-typo')[0];
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.message, 'No image "ngnix:lates" exists, so its pull fails (ErrImagePull): did you mean "nginx:latest"?');
    const fixed = applyEdits(text, Object.values(quickFixes(text, 'image-typo').actions[0].edit!.changes!)[0]);
    assert.match(fixed, /image: nginx:latest\n/);
    assert.deepStrictEqual(diagnose(fixed).list, []);
    // Official images near a popular name (mono, pypy), other registries and version tags are left alone.
    for (const image of ['mono', 'pypy:3', 'ghcr.io/acme/ngnix', 'nginx:1.27-alpine', 'redis:alpine']) {
      assert.deepStrictEqual(byCode(diagnose(pod('').replace('image: nginx', `image: ${image}`)).list, 'image-typo'), [], image);
    }
  });
});

describe('a tag no image has', () => {
  const diag = (image: string, locale?: string) => byCode(diagnose(pod('').replace('image: nginx', `image: ${image}`), locale ? { locale } : undefined).list, 'image-tag-missing');
  it('is an information note saying why the pull fails: a made-up tag, a version past the line, a tag outside a known list', () => {
    const [made] = diag('nginx:no-such-tag');
    assert.strictEqual(made.severity, 3);
    assert.strictEqual(made.message, 'This pull fails (ErrImagePull, then ImagePullBackOff): the tag "no-such-tag" reads as made up and no image has it, as the playground\'s image rules say (docs/images.md).');
    assert.strictEqual(diag('nginx:1.99')[0].message, 'This pull fails (ErrImagePull, then ImagePullBackOff): nginx has no version "1.99" (the newest line allowed is 1.31), as the playground\'s image rules say (docs/images.md).');
    assert.match(diag('node:99-alpine')[0].message, /node has no version "99-alpine" \(the newest line allowed is 27\.x\)/);
    assert.match(diag('gcr.io/google-samples/kubernetes-bootcamp:v10')[0].message, /kubernetes-bootcamp was only pushed as v1,/);
    const [zh] = diag('nginx:WRONG', 'zh-cn');
    assert.match(zh.message, /^这次拉取会失败（先是 ErrImagePull，随后是 ImagePullBackOff）：标签 "WRONG" 看起来是编造的/);
  });
  it('says nothing for tags that may exist, digests, and slips image-typo already names', () => {
    for (const image of ['nginx', 'nginx:1.27-alpine', 'nginx:1.29', 'nginx:stable', 'redis:alpine', 'busybox:1.36', 'nginx:no-such-tag@sha256:' + 'a'.repeat(64), 'ghcr.io/acme/app:v3', 'nginx:lates']) {
      assert.deepStrictEqual(diag(image), [], image);
    }
  });
});

describe('a value of the wrong shape is reported once, as the decode error it is', () => {
  it('no garbled or contradicting follow-on findings', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    matchLabels:\n      app: web\n  ports:\n  - port: 80\n'
      + '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n    - app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n'
      + '---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  accessModes: ReadWriteOnce\n  resources:\n    requests:\n      storage: 1Gi\n';
    const list = diagnose(svc).list;
    assert.ok(!list.some((d) => /\[object Object\]/.test(d.message)), JSON.stringify(list.map((d) => d.message)));
    assert.deepStrictEqual(list.map((d) => d.code).sort(), ['wrong-type', 'wrong-type', 'wrong-type']);
  });
});

describe('a request above its limit', () => {
  it('prints both quantities as the apiserver does (Quantity.String())', () => {
    const d = byCode(diagnose(pod('    resources:\n      requests: {cpu: 0.5, memory: 1.5Gi}\n      limits: {cpu: 0.25, memory: 1Gi}\n')).list, 'request-above-limit');
    assert.deepStrictEqual(d.map((x) => x.message), [
      'Invalid value: "500m": must be less than or equal to cpu limit of 250m',
      'Invalid value: "1536Mi": must be less than or equal to memory limit of 1Gi',
    ]);
  });
});

describe('an enum value in the wrong case', () => {
  it('has its right spelling as the preferred fix', () => {
    const { actions } = quickFixes(pod('    imagePullPolicy: always\n'), 'enum-value');
    assert.deepStrictEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), ['Change to Always']);
  });
});

describe('the tab fix leaves block text alone', () => {
  it('re-indents only the lines the parser flagged; a tab in a | block is data', () => {
    // `§` marks the cursor: the text holds a `|` block.
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: mk\ndata:\n  Makefile: |\n    all:\n    \techo hi\n';
    const { model, ctx } = setup(text + '§');
    const d = computeDiagnostics(model, ctx).filter((x) => x.code === 'tab');
    assert.strictEqual(d.length, 1, 'only the metadata line');
    const fix = codeActions(model, { textDocument: { uri: model.uri }, range: d[0].range, context: { diagnostics: d } }, ctx)[0];
    const fixed = applyEdits(text, Object.values(fix.edit!.changes!)[0]);
    assert.strictEqual(fixed, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mk\ndata:\n  Makefile: |\n    all:\n    \techo hi\n');
    const again = setup(fixed + '§');
    assert.deepStrictEqual(computeDiagnostics(again.model, again.ctx), []);
  });
});

describe('apiVersion and kind keys in the wrong case', () => {
  it('are named, with a fix to the right case, instead of a silent document', () => {
    const text = 'apiversion: v1\nKind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
    const list = diagnose(text).list;
    assert.deepStrictEqual(list.map((d) => d.message), [
      '"apiVersion" must be set to a string to identify the object: keys are case-sensitive, and "apiversion" is not "apiVersion".',
      '"kind" must be set to a string to identify the object: keys are case-sensitive, and "Kind" is not "kind".',
    ]);
    let fixed = text;
    for (const code of ['missing-kind', 'missing-kind']) {
      const d = byCode(diagnose(fixed).list, code)[0];
      const { actions } = quickFixes(fixed, code);
      assert.ok(d && actions.length, fixed);
      fixed = applyEdits(fixed, Object.values(actions[0].edit!.changes!)[0]);
    }
    assert.deepStrictEqual(diagnose(fixed).list, []);
    // A YAML file that is no Kubernetes object stays silent.
    assert.deepStrictEqual(diagnose('name: x\nversion: 1\n').list, []);
  });
});

describe('a namespace that is no DNS label', () => {
  it('is refused as ValidateObjectMetaAccessor words it, on namespaced kinds only', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: Default\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: my_ns\n';
    const list = byCode(diagnose(text).list, 'invalid-namespace');
    assert.deepStrictEqual(list.map((d) => [d.range.start.line, d.message]), [
      [4, 'Invalid value: "Default": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
      [14, 'Invalid value: "my_ns": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
    ]);
    assert.match(byCode(diagnose(text, { locale: 'zh-cn' }).list, 'invalid-namespace')[0].message, /^命名空间名不合法/);
    // A cluster-scoped kind's namespace is cleared by the apiserver; a valid one is fine.
    assert.deepStrictEqual(diagnose('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  namespace: Not_Used\n').list, []);
    assert.deepStrictEqual(diagnose(text.replace('Default', 'default').replace('my_ns', 'my-ns')).list, []);
  });
});

describe('a quoted number where the schema wants a number', () => {
  it('gets a fix that writes the number', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "3"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - containerPort: \'80\'\n';
    const wrong = byCode(diagnose(text).list, 'wrong-type');
    assert.strictEqual(wrong.length, 2);
    const { actions } = quickFixes(text, 'wrong-type');
    assert.deepStrictEqual(actions.map((a) => [a.title, a.isPreferred]), [['Write it as a number (3)', true]]);
    let fixed = applyEdits(text, Object.values(actions[0].edit!.changes!)[0]);
    assert.match(fixed, /\n {2}replicas: 3\n/);
    const port = quickFixes(fixed, 'wrong-type');
    assert.strictEqual(port.actions[0].title, 'Write it as a number (80)');
    fixed = applyEdits(fixed, Object.values(port.actions[0].edit!.changes!)[0]);
    assert.deepStrictEqual(diagnose(fixed).list, []);
    assert.strictEqual(quickFixes(text, 'wrong-type', { locale: 'zh-cn' }).actions[0].title, '写成数字（3）');
    // A word is no number: nothing to offer.
    assert.deepStrictEqual(quickFixes(text.replace('"3"', 'three'), 'wrong-type').actions, []);
  });
});

describe('a key indented to no column of its mapping', () => {
  it('is named on its own line, with its siblings\' column, and re-indented by the fix with what it holds', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n   labels:\n    app: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
    const list = diagnose(text).list;
    assert.deepStrictEqual(list.map((d) => [d.code, d.range.start.line, textAt(text, d.range), d.message]), [['yaml-indent', 4, 'labels',
      '"labels" is indented 3 spaces; the other keys of "metadata" are at 2. The entries of one mapping or list line up in one column, so YAML cannot read this line.']],
    'the parser\'s messages on the line above are replaced');
    const { actions } = quickFixes(text, 'yaml-indent');
    assert.deepStrictEqual(actions.map((a) => a.title), ['Indent it with 2 spaces, as its siblings']);
    const fixed = applyEdits(text, Object.values(actions[0].edit!.changes!)[0]);
    assert.match(fixed, /\n {2}name: p\n {2}labels:\n {3}app: x\n/);
    assert.deepStrictEqual(diagnose(fixed).list, []);
    const zh = diagnose(text, { locale: 'zh-cn' }).list[0];
    assert.match(zh.message, /^YAML 缩进错误：.*\n"labels" is indented 3 spaces/);
    assert.strictEqual(quickFixes(text, 'yaml-indent', { locale: 'zh-cn' }).actions[0].title, '与同级的键对齐，缩进 2 个空格');
  });

  it('between two levels, or one space too deep in a list item, it is named the same way', () => {
    const base = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: indent\nspec:\n  containers:\n  - name: web\n';
    const between = base + '    image: nginx:1.27\n   ports:\n    - containerPort: 80\n';
    const d = diagnose(between).list;
    assert.deepStrictEqual(d.map((x) => [x.code, x.range.start.line, x.message.split('.')[0]]), [['yaml-indent', 8, '"ports" is indented 3 spaces; the other keys of this "containers" item are at 4']]);
    const fixed = applyEdits(between, Object.values(quickFixes(between, 'yaml-indent').actions[0].edit!.changes!)[0]);
    assert.deepStrictEqual(diagnose(fixed).list, []);
    for (const image of ['   image: nginx\n', '     image: nginx\n']) {
      const list = diagnose(base + image).list;
      assert.deepStrictEqual(list.map((x) => [x.code, x.range.start.line]), [['yaml-indent', 7]], image);
    }
    // One space of indentation is still YAML; so is a list at its key's column.
    assert.deepStrictEqual(diagnose('apiVersion: v1\nkind: Pod\nmetadata:\n name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n').list, []);
  });
});

describe('a key at the column of its list item\'s "-"', () => {
  const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n'
    + '        - name: nginx\n          image: nginx:1.27\n          ports:\n            - name: http\n              containerPort: 80\n          resources:\n            requests:\n              cpu: 100m\n          readinessProbe:\n            httpGet:\n              path: /\n              port: http\n';
  /** The one diagnostic of `text` (line, key, message head), and what its preferred fix leaves. */
  const slip = (text: string) => {
    const list = diagnose(text).list;
    const fix = quickFixes(text, 'yaml-indent').actions.find((a) => a.isPreferred)!;
    const fixed = applyEdits(text, Object.values(fix.edit!.changes!)[0]);
    return { found: list.map((d) => [d.code, d.range.start.line, textAt(text, d.range), d.message.split('.')[0]]), fix: fix.title, fixed, after: diagnose(fixed).list };
  };

  it('is named on its own line with the item\'s key column, and the fix gives back the file', () => {
    // The classic slip: `image:` under the `-` of `- name: nginx`. The next line, which is right, is not blamed.
    const r = slip(web.replace('          image:', '        image:'));
    assert.deepStrictEqual(r.found, [['yaml-indent', 15, 'image', '"image" is indented 8 spaces; the other keys of this "containers" item are at 10']]);
    assert.strictEqual(r.fix, 'Indent it with 10 spaces, as its siblings');
    assert.strictEqual(r.fixed, web);
    assert.deepStrictEqual(r.after, []);
  });

  it('one space off either way, the key moves alone; its siblings below stay where they are', () => {
    for (const [indent, head] of [['         ', '"image" is indented 9 spaces'], ['           ', '"image" is indented 11 spaces']]) {
      const r = slip(web.replace('          image:', `${indent}image:`));
      assert.deepStrictEqual(r.found.map((f) => [f[1], String(f[3]).split(';')[0]]), [[15, head]]);
      assert.strictEqual(r.fixed, web);
    }
  });

  it('a key that holds a block takes it along; in a nested list the key goes to its own item\'s column', () => {
    // `ports:` at the dash column, with its list deeper than its siblings: both move.
    const r = slip(web.replace('          ports:\n            - name: http\n              containerPort: 80\n', '        ports:\n            - name: http\n              containerPort: 80\n'));
    assert.deepStrictEqual(r.found.map((f) => [f[1], f[2]]), [[16, 'ports']]);
    assert.match(r.fixed, /\n {10}ports:\n {14}- name: http\n {16}containerPort: 80\n {10}resources:/);
    assert.deepStrictEqual(r.after, []);
    // `containerPort:` under the `-` of `- name: http`: its siblings are that item's keys.
    const nested = slip(web.replace('              containerPort: 80', '            containerPort: 80'));
    assert.deepStrictEqual(nested.found, [['yaml-indent', 18, 'containerPort', '"containerPort" is indented 12 spaces; the other keys of this "ports" item are at 14']]);
    assert.strictEqual(nested.fixed, web);
    // A list written at its key's column is YAML: nothing to say.
    assert.deepStrictEqual(diagnose(web.replace(/\n {8}- name: nginx/, '\n      - name: nginx').replace(/\n {10}(image|ports|resources|readinessProbe)/g, '\n        $1')
      .replace(/\n {12}(- name: http|requests|httpGet)/g, '\n          $1').replace(/\n {14}(containerPort|cpu|path|port:)/g, '\n            $1')).list, []);
  });
});

describe('zh-cn: the Chinese line carries the case', () => {
  const zh = (text: string, code: string) => byCode(diagnose(text, { locale: 'zh-cn' }).list, code).map((d) => d.message.split('\n')[0]);
  const deploy = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n${spec}  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n`;

  it('a wrong type says which way it is wrong: a quoted number loses its quotes, a number where a string goes gets them', () => {
    const [quoted] = zh(deploy('  replicas: "3"\n'), 'wrong-type');
    assert.strictEqual(quoted, '这里需要整数，而加了引号的值是字符串：去掉引号（写 3 而不是 "3"）。');
    assert.doesNotMatch(quoted, /加上引号|加引号/);
    const env = zh(deploy('').replace('image: nginx\n', 'image: nginx\n        env:\n        - name: PORT\n          value: 8080\n        - name: DEBUG\n          value: yes\n'), 'wrong-type');
    assert.deepStrictEqual(env.map((t) => t.replace(/：.*/, '')), ['这里需要字符串，而 YAML 把这个值读成了整数', '这里需要字符串，而 YAML 把这个值读成了布尔值']);
    assert.match(env[0], /请给值加上引号。$/);
    assert.deepStrictEqual(zh(deploy('').replace('image: nginx\n', 'image: nginx\n        stdin: "true"\n'), 'wrong-type'), ['这里需要布尔值，而加了引号的值是字符串：去掉引号（写 true 而不是 "true"）。']);
  });

  it('an unknown field names itself and the suggestion, a missing one names the field', () => {
    const text = deploy('').replace('containers:', 'contianers:');
    assert.deepStrictEqual(zh(text, 'unknown-field'), ['此对象的结构中没有字段 “contianers”：是否想写 “containers”？apiserver 会忽略或拒绝它。']);
    assert.deepStrictEqual(zh(text, 'missing-required'), ['缺少必填字段 “containers”，apiserver 会拒绝该对象。']);
    assert.deepStrictEqual(zh(deploy('  replicas: 1\n  replicaz: 2\n').replace('replicaz', 'zzzz'), 'unknown-field'), ['此对象的结构中没有字段 “zzzz”（可能是拼写错误）。apiserver 会忽略或拒绝它。']);
    assert.deepStrictEqual(zh(deploy('  strategy:\n    type: rolling\n'), 'enum-value'), ['该值不在允许的取值范围内（区分大小写），可选值：Recreate、RollingUpdate。']);
    assert.deepStrictEqual(zh(deploy('').replace('  image: nginx', ' image: nginx'), 'yaml-indent'),
      ['YAML 缩进错误：“image”缩进了 7 个空格，而与它同级的键缩进 8 个空格。同一个映射（或列表）的各项必须对齐在同一列，否则 YAML 无法读取。']);
    // The English original stays under it.
    assert.match(byCode(diagnose(text, { locale: 'zh-cn' }).list, 'unknown-field')[0].message, /\nUnknown field "contianers" in PodSpec\. Did you mean "containers"\?$/);
  });
});

describe('Helm charts and values nested too deeply', () => {
  it('a Go template gets one Information diagnostic and no schema checks; Chart.yaml is no object', () => {
    const tpl = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n  labels:\n    {{- include "demo.labels" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n';
    const list = diagnose(tpl).list;
    assert.deepStrictEqual(list.map((d) => [d.code, d.severity, textAt(tpl, d.range)]), [['go-template', 3, '{{ .Release.Name }}']]);
    assert.match(list[0].message, /no YAML until it is rendered, so this document is not checked: check the output of `helm template` instead/);
    assert.deepStrictEqual(diagnose('apiVersion: v2\nname: demo\nversion: 0.1.0\n').list, []);
    // A template in a quoted string or a block scalar is text: the object is checked as usual.
    const rules = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  summary: "{{ $labels.instance }} is down"\n  rule.yaml: |\n    annotations:\n      summary: {{ $value }}\n';
    assert.deepStrictEqual(diagnose(rules, {}, '§').list, []);
    assert.deepStrictEqual(diagnose(rules.replace('name: rules', 'name: Rules'), {}, '§').list.map((d) => d.code), ['invalid-name']);
  });

  it('5,000 nested brackets are said to be too deep to check', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const list = diagnose(text).list;
    assert.deepStrictEqual(list.map((d) => [d.code, d.range.start.line, d.message]), [['yaml-syntax', 5, 'Nested too deeply to check: the YAML parser ran out of stack here (Maximum call stack size exceeded).']]);
  });
});
