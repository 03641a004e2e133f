import * as assert from 'assert';
import { zhFixTitle } from '../../../server/src/service/fixTitles';
import { quickFixes } from './helpers';

const CJK = /[\u4e00-\u9fff]/;

describe('quick-fix titles in Chinese', () => {
  it('has a Chinese form for every title the fixes write, keeping what they quote', () => {
    // One of each form codeActions.ts builds; what the fix writes (values, names, YAML) stays as it is.
    const cases: Array<[string, string]> = [
      ['Change apiVersion to apps/v1 and add the selector it requires', 'apps/v1'],
      ['Change apiVersion to networking.k8s.io/v1', 'networking.k8s.io/v1'],
      ['Change the image to "nginx:1.27"', '"nginx:1.27"'],
      ['Change kind to "Deployment"', '"Deployment"'],
      ['Change to "containerPort"', '"containerPort"'],
      ['Change to IfNotPresent', 'IfNotPresent'],
      ['Use port 80', '80'],
      ['Write the port as a number (8080)', '8080'],
      ['Add the missing base64 padding', 'base64'],
      ['Encode the value as base64', 'base64'],
      ['Make it relative (conf/app.yaml)', 'conf/app.yaml'],
      ['Set maxUnavailable to 1', 'maxUnavailable'],
      ['Quote the value ("*/5 * * * *")', '"*/5 * * * *"'],
      ['Add a space after the colon', ''],
      ['Indent with spaces instead of tabs', ''],
      ['Rename to "web-app" (and its 2 uses)', '"web-app"'],
      ['Rename to "web-app" (and its 1 use)', '"web-app"'],
      ['Rename to "web-app"', '"web-app"'],
      ['Remove the kubernetes.io/ingress.class annotation', 'kubernetes.io/ingress.class'],
      ['Remove livenessProbe', 'livenessProbe'],
      ['Add pathType: Prefix', 'pathType: Prefix'],
      ['Add ingressClassName: nginx', 'ingressClassName: nginx'],
      ["Add the selector, matching the template's labels", 'selector'],
      ['Add required field "containers"', '"containers"'],
      ["Add the selector's labels to the pod template", 'selector'],
      ['Use the template labels as the selector', 'selector'],
      ['Declare volume "data" (emptyDir)', '"data"'],
      ['Allow DNS: egress to the kube-dns pods in kube-system on port 53 (UDP and TCP)', 'kube-dns'],
      ['Set restartPolicy to OnFailure', 'OnFailure'],
      ['Make it a sidecar (restartPolicy: Always)', 'restartPolicy: Always'],
      ['Meet the restricted Pod Security level (non-root, RuntimeDefault seccomp, no privilege escalation, drop ALL capabilities)', 'RuntimeDefault'],
      ['Set requests.cpu 100m, limits.memory 128Mi (ResourceQuota "compute" tracks them)', 'requests.cpu 100m, limits.memory 128Mi'],
      ['Split into 2 items ("python", "app.py")', '"python", "app.py"'],
      ['Remove the blanks around "sh"', '"sh"'],
    ];
    for (const [en, kept] of cases) {
      const zh = zhFixTitle(en);
      assert.match(zh, CJK, `no Chinese for: ${en}`);
      assert.ok(zh.includes(kept), `${zh} keeps ${kept}`);
    }
    assert.equal(zhFixTitle('Some title no pattern knows'), 'Some title no pattern knows');
  });

  it('offers them to an editor in Chinese (locale zh-cn)', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    imagePullPolicy: always
`;
    const titles = quickFixes(text, 'enum-value', { locale: 'zh-cn' }).actions.map((a) => a.title);
    assert.deepStrictEqual(titles, ['改为 Always', '改为 IfNotPresent', '改为 Never']);
    assert.deepStrictEqual(quickFixes(text, 'enum-value').actions.map((a) => a.title), ['Change to Always', 'Change to IfNotPresent', 'Change to Never']);
  });
});
