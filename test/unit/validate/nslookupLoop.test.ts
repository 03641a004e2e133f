import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { getSchema } from '../../../kube/src/schema/index';
import { applyEdits, byCode, diagnose as diagnoseMarked, quickFixes as quickFixesMarked, textAt } from './helpers';

// These texts have YAML block scalars (`- |`), so the cursor is marked `§`.
const diagnose = (text: string) => diagnoseMarked(text, {}, '§');
const quickFixes = (text: string, code: string) => quickFixesMarked(text, code, {}, '§');

const pod = (image: string, script: string) => `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
spec:
  initContainers:
  - name: init-myservice
    image: ${image}
    command: ['sh', '-c', '${script}']
  containers:
  - name: app
    image: nginx:1.27
`;

describe('an init container waiting with `until nslookup NAME` (busybox 1.29 and later)', () => {
  it('warns that a bare name never resolves cleanly, and asks the full name as the documentation does', () => {
    const text = pod('busybox:1.36', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done');
    const [d] = byCode(diagnose(text).list, 'nslookup-search');
    assert.strictEqual(d.severity, 2);
    assert.match(d.message, /asks "myservice" in every search domain and exits 1 when any of them has no such name: `until nslookup myservice` never ends/);
    assert.match(d.message, /busybox:1\.28/);
    assert.strictEqual(textAt(text, d.range), "'until nslookup myservice; do echo waiting for myservice; sleep 2; done'");
    const { actions, uri } = quickFixes(text, 'nslookup-search');
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].title, 'Ask the full name (myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local)');
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed, /'until nslookup myservice\.\$\(cat \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/namespace\)\.svc\.cluster\.local; do echo waiting for myservice; sleep 2; done'/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'nslookup-search'), []);
  });

  it('warns about a partial name with a dot (asked as typed), without a fix it could not be sure of', () => {
    const text = pod('busybox', 'until nslookup db.other; do sleep 2; done');
    const [d] = byCode(diagnose(text).list, 'nslookup-search');
    assert.match(d.message, /asks "db\.other" exactly as typed/);
    assert.strictEqual(quickFixes(text, 'nslookup-search').actions.length, 0);
  });

  it('says nothing for busybox 1.28, a full name, a name from a variable, or a one-off lookup', () => {
    for (const [image, script] of [
      ['busybox:1.28', 'until nslookup myservice; do sleep 2; done'],
      ['busybox:1.36', 'until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do sleep 2; done'],
      ['busybox:1.36', 'until nslookup db.default.svc.cluster.local.; do sleep 2; done'],
      ['busybox:1.36', 'until nslookup $(DB_HOST); do sleep 2; done'],
      ['busybox:1.36', 'nslookup myservice; sleep 3600'],
      ['nginx:1.27', 'until nslookup myservice; do sleep 2; done'],
    ]) assert.deepStrictEqual(byCode(diagnose(pod(image, script)).list, 'nslookup-search'), [], `${image}: ${script}`);
  });

  it('finds the loop in a Deployment\'s template, in args and a block scalar, and fixes it there', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: wait
        image: alpine:3.20
        args:
        - sh
        - -c
        - |
          until nslookup -type=a db; do
            sleep 2
          done
      containers:
      - name: web
        image: nginx:1.27
`;
    const [d] = byCode(diagnose(text).list, 'nslookup-search');
    assert.ok(d, 'alpine carries busybox\'s nslookup');
    const { actions, uri } = quickFixes(text, 'nslookup-search');
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed, /\n {10}until nslookup -type=a db\.\$\(cat \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/namespace\)\.svc\.cluster\.local; do\n/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'nslookup-search'), []);
  });

  it('is the editor\'s alone: the apiserver accepts the pod without a word', () => {
    const obj = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { initContainers: [{ name: 'w', image: 'busybox', command: ['sh', '-c', 'until nslookup db; do sleep 2; done'] }], containers: [{ name: 'c', image: 'nginx' }] },
    };
    const schema = getSchema();
    const codes = (apiserver: boolean) => validateObject(obj, schema, { kubernetesVersion: '1.34', apiserver }).map((f) => f.code);
    assert.ok(codes(false).includes('nslookup-search'), 'the editor runs it');
    assert.ok(!codes(true).includes('nslookup-search'), 'the apiserver does not');
  });
});
