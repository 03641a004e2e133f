import * as assert from 'assert';
import type { Diagnostic } from '../../../server/src/service/diagnostics';
import { applyEdits, byCode, diagnose, quickFixes } from './helpers';

/** Runs diagnostics, takes the quick fixes of the first diagnostic with `code`, applies the one titled like `title`. */
function fix(text: string, code: string, title?: RegExp): { fixed: string; titles: string[]; after: Diagnostic[] } {
  const { actions, uri } = quickFixes(text, code);
  const titles = actions.map((a) => a.title);
  const chosen = title ? actions.find((a) => title.test(a.title)) : actions[0];
  assert.ok(chosen, `no action for ${code} in ${JSON.stringify(titles)}`);
  assert.strictEqual(chosen.kind, 'quickfix');
  const fixed = applyEdits(text, chosen.edit.changes[uri]);
  return { fixed, titles, after: diagnose(fixed).list };
}

const SEED = `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`;

describe('validate/quick fixes', () => {
  it('points a Service and a probe at the port the image serves', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        readinessProbe:
          httpGet:
            path: /
            port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;
    const probe = fix(text, 'probe-port-unserved');
    assert.deepStrictEqual(probe.titles, ['Use port 80']);
    assert.match(probe.fixed, /httpGet:\n            path: \/\n            port: 80\n/);
    assert.deepStrictEqual(byCode(probe.after, 'probe-port-unserved'), []);
    const svc = fix(probe.fixed, 'target-port-unserved');
    assert.deepStrictEqual(svc.titles, ['Use port 80']);
    assert.match(svc.fixed, /- port: 80\n    targetPort: 80\n$/);
    assert.deepStrictEqual(byCode(svc.after, 'target-port-unserved'), []);
  });

  it('replaces a removed apiVersion and adds the selector apps/v1 requires, from the template labels', () => {
    const { fixed, after, titles } = fix(SEED, 'removed-api');
    assert.match(titles[0], /apps\/v1.*selector/);
    assert.ok(fixed.startsWith('apiVersion: apps/v1\n'));
    assert.match(fixed, /spec:\n {2}selector:\n {4}matchLabels:\n {6}app: web\n {2}replicas: 2/);
    assert.deepStrictEqual(after, [], 'the fixed Deployment is valid');
  });

  it('fixes a mistyped field name', () => {
    const text = SEED.replace('extensions/v1beta1', 'apps/v1').replace('  replicas: 2\n', '  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n').replace('      containers:', '      contaienrs:');
    const { fixed, after } = fix(text, 'unknown-field');
    assert.match(fixed, /\n {6}containers:\n/);
    assert.deepStrictEqual(after, []);
  });

  it('renames an invalid volume together with the mounts that use it, and declares no volume under an invalid name', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - name: String
      mountPath: /a
  - name: d
    image: nginx
    volumeMounts:
    - name: String
      mountPath: /b
  volumes:
  - name: String
    emptyDir: {}
`;
    const { fixed, titles, after } = fix(text, 'invalid-volume-name');
    assert.deepStrictEqual(titles, ['Rename to "string" (and its 2 uses)']);
    assert.strictEqual((fixed.match(/name: string\n/g) ?? []).length, 3);
    assert.deepStrictEqual(after, []);
    const mountOnly = text.replace('  - name: String\n    emptyDir: {}\n', '  - name: data\n    emptyDir: {}\n');
    assert.deepStrictEqual(quickFixes(mountOnly, 'undeclared-volume').actions.map((a: { title: string }) => a.title), []);
  });

  it('adds a missing selector as matchLabels of the template\'s labels, never an empty one', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
    const { fixed, after } = fix(text, 'missing-required');
    assert.match(fixed, /\nspec:\n {2}selector:\n {4}matchLabels:\n {6}app: d\n/);
    assert.deepStrictEqual(after, []);
  });

  it('does not rename a mistyped key onto one the map already has', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  lables: {app: x}\n  labels: {b: y}\n';
    assert.deepStrictEqual(quickFixes(text, 'unknown-field').actions, []);
  });

  it('adds a missing required field', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: nginx\n    imagePullPolicy: Always\n';
    const { fixed, after } = fix(text, 'missing-required');
    assert.match(fixed, /\n {4}name: ""\n/);
    assert.deepStrictEqual(byCode(after, 'missing-required'), []);
  });

  it('makes the selector and the labels agree, either way', () => {
    const text = SEED.replace('extensions/v1beta1', 'apps/v1').replace('  replicas: 2\n', '  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n      tier: fe\n');
    const a = fix(text, 'selector-mismatch', /pod template/);
    assert.match(a.fixed, /labels:\n {8}app: web\n {8}tier: fe\n/);
    assert.deepStrictEqual(a.after, []);
    const b = fix(text, 'selector-mismatch', /as the selector/);
    assert.match(b.fixed, /matchLabels:\n {6}app: web\n {2}template:/);
    assert.deepStrictEqual(b.after, []);
  });

  it('declares a missing volume, appending to volumes or creating the list', () => {
    const base = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    volumeMounts:\n    - name: data\n      mountPath: /d\n';
    const a = fix(base, 'undeclared-volume');
    assert.match(a.fixed, /\n {2}volumes:\n {2}- name: data\n {4}emptyDir: \{\}/);
    assert.deepStrictEqual(a.after, []);
    const withVolumes = base.replace('spec:\n', 'spec:\n  volumes:\n  - name: other\n    emptyDir: {}\n');
    const b = fix(withVolumes, 'undeclared-volume');
    assert.match(b.fixed, /- name: other\n {4}emptyDir: \{\}\n {2}- name: data\n {4}emptyDir: \{\}\n/);
    assert.deepStrictEqual(b.after, []);
    // A CRLF file keeps CRLF in the lines a fix inserts.
    const c = fix(base.replace(/\n/g, '\r\n'), 'undeclared-volume');
    assert.ok(!/[^\r]\n/.test(c.fixed), JSON.stringify(c.fixed));
    assert.match(c.fixed, /\r\n {2}volumes:\r\n {2}- name: data\r\n {4}emptyDir: \{\}/);
  });

  it('sets a Job template restartPolicy', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n';
    const { fixed, after, titles } = fix(job, 'restart-policy', /Never/);
    assert.deepStrictEqual(titles, ['Set restartPolicy to OnFailure', 'Set restartPolicy to Never']);
    assert.match(fixed, /\n {6}restartPolicy: Never\n/);
    assert.deepStrictEqual(after, []);
  });

  it('turns an init container with a probe into a sidecar, and fixes an init container restartPolicy', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: proxy\n    image: envoy\n    readinessProbe:\n      tcpSocket:\n        port: 15000\n  containers:\n  - name: app\n    image: nginx\n';
    const rm = fix(pod, 'init-container-field');
    assert.deepStrictEqual(rm.titles, ['Remove readinessProbe', 'Make it a sidecar (restartPolicy: Always)']);
    assert.strictEqual(rm.fixed, pod.replace('    readinessProbe:\n      tcpSocket:\n        port: 15000\n', ''));
    assert.deepStrictEqual(rm.after, []);
    const s = fix(pod, 'init-container-field', /sidecar/);
    assert.match(s.fixed, /\n {4}restartPolicy: Always\n/);
    assert.deepStrictEqual(s.after, []);
    const app = fix(pod.replace('    image: nginx\n', '    image: nginx\n    restartPolicy: Always\n').replace('    readinessProbe:\n      tcpSocket:\n        port: 15000\n', ''), 'container-restart-policy');
    assert.deepStrictEqual(app.titles, ['Remove restartPolicy']);
    assert.deepStrictEqual(app.after, []);
    const r = fix(pod.replace('    image: envoy\n', '    image: envoy\n    restartPolicy: OnFailure\n'), 'container-restart-policy');
    assert.deepStrictEqual(r.titles, ['Set restartPolicy to Always']);
    assert.match(r.fixed, /restartPolicy: Always\n/);
    assert.deepStrictEqual(r.after, []);
  });

  it('offers the enum values, quotes numbers where strings belong, encodes Secret data', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolicy: Allways\n    env:\n    - name: PORT\n      value: 8080\n';
    const e = fix(pod, 'enum-value', /IfNotPresent/);
    assert.deepStrictEqual(e.titles, ['Change to Always', 'Change to IfNotPresent', 'Change to Never']);
    assert.match(e.fixed, /imagePullPolicy: IfNotPresent\n/);
    const q = fix(pod, 'wrong-type');
    assert.match(q.fixed, /value: "8080"\n/);
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: hunter 2\n';
    const b = fix(secret, 'invalid-base64');
    assert.match(b.fixed, /password: aHVudGVyIDI=\n/);
    assert.deepStrictEqual(b.after, []);
    // Base64 that only lost its padding is padded first (encoding it again would store the encoded text).
    const unpadded = fix(secret.replace('hunter 2', 'aHVudGVyMg'), 'invalid-base64');
    assert.deepStrictEqual(unpadded.titles, ['Add the missing base64 padding', 'Encode the value as base64']);
    assert.match(unpadded.fixed, /password: aHVudGVyMg==\n/);
    assert.strictEqual(Buffer.from('aHVudGVyMg==', 'base64').toString(), 'hunter2');
    // A ConfigMap's binaryData is base64 too.
    const cm = fix('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nbinaryData:\n  logo: not base64!\n', 'invalid-base64');
    assert.match(cm.fixed, /logo: bm90IGJhc2U2NCE=\n/);
    assert.deepStrictEqual(cm.after, []);
  });

  it('renames to a valid DNS name for the kind, and unblocks a zero/zero rollout', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: My_Web.Svc\nspec:\n  ports:\n  - port: 80\n';
    const r = fix(svc, 'invalid-name');
    assert.match(r.fixed, /name: my-web-svc\n/);
    assert.deepStrictEqual(r.after, []);
    const dep = SEED.replace('extensions/v1beta1', 'apps/v1').replace('  replicas: 2\n', '  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n');
    const z = fix(dep, 'surge-unavailable-zero');
    assert.match(z.fixed, /maxUnavailable: 1\n/);
    assert.deepStrictEqual(z.after, []);
  });

  it('makes an absolute subPath relative; a second mount at one path is reported where it is', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - name: conf\n    configMap:\n      name: c\n  containers:\n  - name: c\n    image: nginx\n    volumeMounts:\n    - name: conf\n      mountPath: /etc/nginx/nginx.conf\n      subPath: /nginx.conf\n    - name: conf\n      mountPath: /etc/nginx/nginx.conf\n';
    const r = fix(pod, 'invalid-sub-path');
    assert.deepStrictEqual(r.titles, ['Make it relative (nginx.conf)']);
    assert.match(r.fixed, /subPath: nginx\.conf\n/);
    assert.deepStrictEqual(r.after.filter((d) => d.code !== 'missing-reference').map((d) => [d.code, d.range.start.line, d.message]), [
      ['duplicate-mount-path', 17, 'Invalid value: "/etc/nginx/nginx.conf": must be unique: this container already mounts a volume at /etc/nginx/nginx.conf'],
    ]);
  });
});

describe('validate/codeActions: a value that starts with *', () => {
  it('is one finding, not the parser\'s several, with a fix that quotes it', () => {
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: */5 * * * *\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox\n';
    const list = diagnose(cron).list;
    assert.deepStrictEqual(list.map((d) => d.code), ['unquoted-star']);
    const f = fix(cron, 'unquoted-star');
    assert.match(f.fixed, /schedule: "\*\/5 \* \* \* \*"\n/);
    assert.deepStrictEqual(f.after, []);
  });
});
