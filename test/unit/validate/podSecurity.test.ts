import * as assert from 'assert';
import { doComplete } from '../../../server/src/service/completion';
import { doHover } from '../../../server/src/service/hover';
import { setup } from '../server/harness';
import { applyEdits, byCode, diagnose, quickFixes } from './helpers';

/** The editor's Pod Security check: a workload in a namespace of the workspace that enforces (or warns at) a level it breaks, and the quick fix. */
const NS = (labels: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: secure
  labels:
${labels}`;
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: secure
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
        image: nginx
`;


describe('validate/podSecurity', () => {
  it('says the apiserver will refuse every pod of the Deployment, in the PodSecurity plugin\'s words', () => {
    const [d, ...rest] = byCode(diagnose(`${NS('    pod-security.kubernetes.io/enforce: restricted\n')}---\n${DEPLOY}`).list, 'pod-security');
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.message, 'Namespace "secure" enforces Pod Security "restricted:latest", so the apiserver refuses every pod of this Deployment (FailedCreate events, no pods): '
      + 'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
  });

  it('a warn level is information; baseline lets nginx be; another namespace is not this one', () => {
    const warn = byCode(diagnose(`${NS('    pod-security.kubernetes.io/warn: restricted\n')}---\n${DEPLOY}`).list, 'pod-security');
    assert.strictEqual(warn.length, 1);
    assert.strictEqual(warn[0].severity, 3);
    assert.match(warn[0].message, /^Namespace "secure" warns at Pod Security "restricted:latest": would violate PodSecurity "restricted:latest": /);
    assert.deepStrictEqual(byCode(diagnose(`${NS('    pod-security.kubernetes.io/enforce: baseline\n')}---\n${DEPLOY}`).list, 'pod-security'), []);
    assert.deepStrictEqual(byCode(diagnose(`${NS('    pod-security.kubernetes.io/enforce: restricted\n')}---\n${DEPLOY.replace('namespace: secure', 'namespace: other')}`).list, 'pod-security'), []);
  });

  it('the quick fix adds what restricted asks for, and the pod then passes', () => {
    const text = `${NS('    pod-security.kubernetes.io/enforce: restricted\n')}---\n${DEPLOY}`;
    const { actions: [action], uri } = quickFixes(text, 'pod-security');
    assert.match(action.title, /^Meet the restricted Pod Security level/);
    const fixed = applyEdits(text, action.edit!.changes![uri]);
    assert.ok(fixed.endsWith(`      containers:
      - name: web
        image: nginx
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
`), fixed);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'pod-security'), []);
    // nginx runs as root: the fix says the image must change too, and is not the preferred one.
    assert.match(action.title, /; nginx runs as root, so it also needs a non-root image$/);
    assert.strictEqual(action.isPreferred, false);
  });

  it('offers no fix where a setting is explicitly wrong (adding what is missing would not make it pass)', () => {
    const text = `${NS('    pod-security.kubernetes.io/enforce: restricted\n')}---\n${DEPLOY.replace('        image: nginx\n', '        image: nginxinc/nginx-unprivileged\n        securityContext:\n          allowPrivilegeEscalation: true\n')}`;
    assert.deepStrictEqual(quickFixes(text, 'pod-security').actions.filter((a) => /restricted/.test(a.title)), []);
  });
});

describe('server/pod security labels', () => {
  it('completes a Namespace\'s Pod Security labels and their levels, and explains them on hover', () => {
    const base = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels:\n    ';
    const c = setup(base + 'app: x\n    |\n');
    const labels = doComplete(c.model, c.pos, c.ctx).items.map((i) => i.label);
    assert.deepStrictEqual(labels.slice(0, 3), ['pod-security.kubernetes.io/enforce', 'pod-security.kubernetes.io/enforce-version', 'pod-security.kubernetes.io/warn']);
    const v = setup(base + 'pod-security.kubernetes.io/enforce: |\n');
    assert.deepStrictEqual(doComplete(v.model, v.pos, v.ctx).items.map((i) => i.label), ['privileged', 'baseline', 'restricted']);
    const h = setup(base + 'pod-security.kubernetes.io/enfo|rce: restricted\n', { locale: 'zh-cn' });
    assert.match(JSON.stringify(doHover(h.model, h.pos, h.ctx)?.contents ?? ''), /违反此级别/);
  });
});

describe('validate/run-as-root-image', () => {
  it('warns that the kubelet will refuse a root image under runAsNonRoot, unless a runAsUser is set or the image runs as non-root', () => {
    const pod = (ctr: string, podSc = '  securityContext:\n    runAsNonRoot: true\n') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${podSc}  containers:\n  - name: app\n${ctr}`;
    const [d] = byCode(diagnose(pod('    image: nginx:1.27\n')).list, 'run-as-root-image');
    assert.ok(d);
    assert.match(d.message, /^nginx:1\.27 runs as root, so with runAsNonRoot the kubelet refuses to start this container/);
    assert.deepStrictEqual(byCode(diagnose(pod('    image: nginxinc/nginx-unprivileged:1.27\n')).list, 'run-as-root-image'), []);
    assert.deepStrictEqual(byCode(diagnose(pod('    image: nginx:1.27\n    securityContext:\n      runAsUser: 101\n')).list, 'run-as-root-image'), []);
    assert.deepStrictEqual(byCode(diagnose(pod('    image: example.com/mine:1\n')).list, 'run-as-root-image'), [], 'an image it does not know is not judged');
  });
});
