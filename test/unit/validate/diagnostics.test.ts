import * as assert from 'assert';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { buildModel } from '../../../server/src/service/model';
import { from } from '../../../server/src/service/settings';
import { indexModel, Workspace } from '../../../server/src/service/workspace';
import { setup } from '../server/harness';
import { byCode, diagnose, textAt } from './helpers';

const DEPLOY = `apiVersion: apps/v1
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
        image: nginx
        ports:
        - containerPort: 80
          name: http
`;

const diags = diagnose;

describe('validate/diagnostics', () => {
  it('a valid Deployment has none', () => {
    assert.deepStrictEqual(diags(DEPLOY).list, []);
  });

  it('every diagnostic has a stable code, source kubeplay and the exact range of the key or value', () => {
    const text = DEPLOY.replace('image: nginx', 'imagePullPolicy: Allways\n        image: nginx\n        imagee: x').replace('    spec:\n', '    spec:\n      dnsPolicyy: Default\n');
    const { list } = diags(text);
    for (const d of list) assert.strictEqual(d.source, 'kubeplay');
    const unknown = byCode(list, 'unknown-field').map((d) => textAt(text, d.range)).sort();
    assert.deepStrictEqual(unknown, ['dnsPolicyy', 'imagee']);
    const e = byCode(list, 'enum-value')[0];
    assert.strictEqual(textAt(text, e.range), 'Allways');
    assert.strictEqual(e.severity, 1);
  });

  it('puts the selector mismatch on the template labels key, with the upstream message', () => {
    const text = DEPLOY.replace('      labels:\n        app: web', '      labels:\n        app: wbe');
    const d = byCode(diags(text).list, 'selector-mismatch');
    assert.strictEqual(d.length, 1);
    assert.strictEqual(textAt(text, d[0].range), 'labels');
    assert.strictEqual(d[0].range.start.line, 10);
    assert.match(d[0].message, /`selector` does not match template `labels`/);
  });

  it('a missing required field lands on the deepest key that exists', () => {
    const text = DEPLOY.replace('      - name: web\n        image: nginx\n', '      - image: nginx\n');
    const d = byCode(diags(text).list, 'missing-required')[0];
    assert.ok(d, 'missing container name reported');
    assert.strictEqual(d.range.start.line, 14);
  });

  it('reports YAML problems: syntax, duplicate keys, tabs', () => {
    const dup = diags('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n').list;
    assert.deepStrictEqual(dup.map((d) => d.code), ['duplicate-key']);
    const tab = diags('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n').list;
    assert.ok(tab.some((d) => d.code === 'tab' || d.code === 'yaml-syntax'), JSON.stringify(tab.map((d) => d.code)));
    const broken = diags('apiVersion: v1\nkind: ConfigMap\nmetadata: [a\n').list;
    assert.ok(broken.length && broken.every((d) => d.code === 'yaml-syntax'));
  });

  it('removed apiVersion: error at the configured version, warning while deprecated, names the replacement', () => {
    const seed = 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n';
    const err = byCode(diags(seed).list, 'removed-api')[0];
    assert.strictEqual(err.severity, 1);
    assert.strictEqual(textAt(seed, err.range), 'extensions/v1beta1');
    assert.match(err.message, /apps\/v1/);
    const warn = diags(seed, { kubernetesVersion: '1.14' }).list;
    assert.strictEqual(byCode(warn, 'deprecated-api')[0].severity, 2);
  });

  it('documents of unknown kinds get YAML checks only', () => {
    assert.deepStrictEqual(diags('apiVersion: example.com/v1\nkind: Widget\nspec:\n  anything: [1, 2]\n').list, []);
  });

  it('validates kind: List items with ranges inside the item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: Bad_Name\n';
    const d = byCode(diags(text).list, 'invalid-name')[0];
    assert.strictEqual(textAt(text, d.range), 'Bad_Name');
  });

  it('applies lint severity overrides from settings', () => {
    const text = DEPLOY.replace('image: nginx', 'imagee: nginx\n        image: nginx');
    const { model, ctx } = setup(text + '|');
    ctx.settings = from({ lint: { 'unknown-field': 'warning' } }, '1.34');
    assert.strictEqual(byCode(computeDiagnostics(model, ctx), 'unknown-field')[0].severity, 2);
    ctx.settings = from({ lint: { 'unknown-field': 'off' } }, '1.34');
    assert.deepStrictEqual(byCode(computeDiagnostics(model, ctx), 'unknown-field'), []);
  });

  it('after an edit, re-validates the edited document and shifts the others', () => {
    const docs = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  k: v\n`);
    docs[30] = docs[30].replace('cm-30', 'Bad_30');
    const text = docs.join('---\n');
    const { model, ctx } = setup(text + '|');
    const before = computeDiagnostics(model, ctx);
    assert.strictEqual(before.length, 1);
    assert.strictEqual(textAt(text, before[0].range), 'Bad_30');
    // Insert a line in document 2: document 30's diagnostic moves down by one line.
    const edited = text.replace('name: cm-2\n', 'name: cm-2\n  labels: {a: b}\n');
    const m2 = buildModel(model.uri, 2, edited, (a, k) => ctx.schema.kind(a, k), model);
    const after = computeDiagnostics(m2, ctx);
    assert.strictEqual(after.length, 1);
    assert.strictEqual(after[0].range.start.line, before[0].range.start.line + 1);
    assert.strictEqual(textAt(edited, after[0].range), 'Bad_30');
    // Fix document 30: its diagnostic goes away.
    const fixed = edited.replace('Bad_30', 'cm-30');
    assert.deepStrictEqual(computeDiagnostics(buildModel(model.uri, 3, fixed, (a, k) => ctx.schema.kind(a, k), m2), ctx), []);
  });
});

describe('validate/diagnostics across objects', () => {
  const SVC = (selector: string, targetPort = '80') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    ${selector}\n  ports:\n  - port: 80\n    targetPort: ${targetPort}\n`;

  it('says when a Service selector matches no pod template in the workspace, as information (pods may come from elsewhere)', () => {
    const { list } = diags(SVC('app: nothing'), { others: { 'deploy.yaml': DEPLOY } });
    const d = byCode(list, 'service-selects-nothing');
    assert.strictEqual(d.length, 1);
    assert.strictEqual(d[0].severity, 3, 'Information, as missing-reference: an empty Endpoints is no error upstream');
    assert.deepStrictEqual(diags(SVC('app: web'), { others: { 'deploy.yaml': DEPLOY } }).list, []);
    assert.deepStrictEqual(diags(DEPLOY + '---\n' + SVC('app: web')).list, [], 'same file counts');
  });

  it('warns when a named targetPort is on no selected container', () => {
    const ok = diags(SVC('app: web', 'http'), { others: { 'deploy.yaml': DEPLOY } }).list;
    assert.deepStrictEqual(ok, []);
    const text = SVC('app: web', 'htp');
    const d = byCode(diags(text, { others: { 'deploy.yaml': DEPLOY } }).list, 'unknown-target-port');
    assert.strictEqual(d.length, 1);
    assert.strictEqual(textAt(text, d[0].range), 'htp');
    assert.match(d[0].message, /http/);
  });

  it('says nothing of a workload whose containers or labels are misspelt or unreadable: its own diagnostics name the cause', () => {
    const codes = (deploy: string, svc = SVC('app: web', 'http')) => diags(deploy + '---\n' + svc).list.map((d) => d.code);
    // `contianers:`: the ports are there, under a key no pod reads.
    assert.deepStrictEqual(codes(DEPLOY.replace('containers:', 'contianers:')), ['unknown-field', 'missing-required']);
    // A misspelt key inside a container (`port:`), or a line YAML cannot read.
    assert.deepStrictEqual(codes(DEPLOY.replace('        ports:', '        port:')), ['unknown-field']);
    assert.deepStrictEqual(codes(DEPLOY.replace('        image: nginx', '      image: nginx')), ['yaml-indent']);
    // `lables:`: no template carries app=web, but the Service is not the one to blame.
    assert.deepStrictEqual(codes(DEPLOY.replace('      labels:\n        app: web', '      lables:\n        app: web')), ['unknown-field', 'selector-mismatch']);
    // The same in another file; an HPA on those containers says nothing of their requests either.
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 3\n';
    assert.deepStrictEqual(diags(SVC('app: web', 'http') + '---\n' + hpa, { others: { 'deploy.yaml': DEPLOY.replace('containers:', 'contianers:') } }).list, []);
    assert.deepStrictEqual(diags(hpa, { others: { 'deploy.yaml': DEPLOY } }).list.map((d) => d.code), ['autoscaler-missing-request']);
    // A sound template still gets the warning for a Service's own slip.
    assert.deepStrictEqual(codes(DEPLOY, SVC('app: web', 'htp')), ['unknown-target-port']);
    assert.deepStrictEqual(codes(DEPLOY, SVC('app: nothing')), ['service-selects-nothing']);
  });

  it('warns when a Service targets, or a probe asks, a port the image does not listen on, with the served port as the fix', () => {
    const text = SVC('app: web', '8080');
    const d = byCode(diags(text, { others: { 'deploy.yaml': DEPLOY } }).list, 'target-port-unserved');
    assert.strictEqual(d.length, 1);
    assert.strictEqual(textAt(text, d[0].range), '8080');
    assert.strictEqual(d[0].message, 'Nothing in the pods this Service selects listens on port 8080 (nginx listens on 80), so connections through it are refused.');
    assert.deepStrictEqual((d[0].data as any).fix.servedPorts, ['80']);
    // The default targetPort is the port itself: the warning sits on `port`, with no fix to offer there.
    const noTarget = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 8443\n';
    const d2 = byCode(diags(noTarget, { others: { 'deploy.yaml': DEPLOY } }).list, 'target-port-unserved');
    assert.strictEqual(textAt(noTarget, d2[0].range), '8443');
    // nginx with its own configuration mounted (conf.d) listens where its container says: 8080 is served.
    const configured = DEPLOY.replace('        - containerPort: 80\n', '        - containerPort: 8080\n')
      .replace('          name: http\n', '          name: http\n        volumeMounts:\n        - name: conf\n          mountPath: /etc/nginx/conf.d\n')
      + '      volumes:\n      - name: conf\n        configMap:\n          name: web-conf\n';
    assert.deepStrictEqual(byCode(diags(text, { others: { 'deploy.yaml': configured } }).list, 'target-port-unserved'), []);
    // An image the convention does not know is never second-guessed.
    const unknown = DEPLOY.replace('image: nginx', 'image: registry.example.com/shop/web:1.0');
    assert.deepStrictEqual(byCode(diags(text, { others: { 'deploy.yaml': unknown } }).list, 'target-port-unserved'), []);
    const probed = DEPLOY.replace('          name: http\n', '          name: http\n        readinessProbe:\n          httpGet:\n            path: /\n            port: 8080\n        livenessProbe:\n          tcpSocket:\n            port: http\n');
    const p = byCode(diags(probed).list, 'probe-port-unserved');
    assert.strictEqual(p.length, 1, 'the named port http is 80, which nginx serves');
    assert.strictEqual(textAt(probed, p[0].range), '8080');
    assert.strictEqual(p[0].message, 'nginx listens on 80, not 8080: this readinessProbe\'s connection is refused, so it never passes.');
  });

  it('warns on an autoscaler\'s utilization target when a container of its target requests none of that resource', () => {
    const HPA = (metrics: string) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  maxReplicas: 5\n${metrics}`;
    const cpu = '  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 50\n';
    const text = HPA(cpu);
    const d = byCode(diags(text, { others: { 'deploy.yaml': DEPLOY } }).list, 'autoscaler-missing-request');
    assert.strictEqual(d.length, 1);
    assert.strictEqual(textAt(text, d[0].range), '50');
    assert.strictEqual(d[0].severity, 2);
    assert.match(d[0].message, /Container "web" of Deployment web requests no cpu: the autoscaler cannot compute cpu utilization \("missing request for cpu in container web"\)/);
    const withRequests = DEPLOY.replace('        image: nginx\n', '        image: nginx\n        resources:\n          requests:\n            cpu: 100m\n');
    assert.deepStrictEqual(byCode(diags(text, { others: { 'deploy.yaml': withRequests } }).list, 'autoscaler-missing-request'), []);
    // No metrics at all means the 80% CPU default; a v1 autoscaler's target is its targetCPUUtilizationPercentage.
    assert.strictEqual(byCode(diags(HPA(''), { others: { 'deploy.yaml': DEPLOY } }).list, 'autoscaler-missing-request').length, 1);
    const v1 = 'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  maxReplicas: 5\n  targetCPUUtilizationPercentage: 60\n';
    const dv1 = byCode(diags(v1, { others: { 'deploy.yaml': DEPLOY } }).list, 'autoscaler-missing-request');
    assert.strictEqual(textAt(v1, dv1[0].range), '60');
    // A target that is not in the workspace is not judged.
    assert.deepStrictEqual(byCode(diags(text).list, 'autoscaler-missing-request'), []);
  });

  it('reports references to undefined ConfigMaps, Secrets and PVCs at information level', () => {
    const text = DEPLOY.replace('      containers:\n', '      volumes:\n      - name: cfg\n        configMap:\n          name: app-config\n      - name: data\n        persistentVolumeClaim:\n          claimName: data-pvc\n      containers:\n')
      .replace('        image: nginx\n', '        image: nginx\n        envFrom:\n        - secretRef:\n            name: app-secret\n');
    const d = byCode(diags(text).list, 'missing-reference');
    assert.deepStrictEqual(d.map((x) => textAt(text, x.range)).sort(), ['app-config', 'app-secret', 'data-pvc']);
    assert.ok(d.every((x) => x.severity === 3));
    // What a cluster without them does: the kubelet's own words.
    const msg = (name: string) => d.find((x) => textAt(text, x.range) === name)!.message;
    assert.match(msg('app-config'), /\. Until it exists the kubelet does not start the pod \(ContainerCreating\): MountVolume\.SetUp failed for volume "cfg" : configmap "app-config" not found\.$/);
    assert.match(msg('app-secret'), /\. Until it exists container "web" does not start: CreateContainerConfigError \(secret "app-secret" not found\)\.$/);
    // An optional reference is fine without its object.
    assert.deepStrictEqual(byCode(diags(text.replace('            name: app-secret\n', '            name: app-secret\n            optional: true\n')).list, 'missing-reference').map((x) => textAt(text, x.range)).sort(), ['app-config', 'data-pvc']);
    const defined = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data-pvc\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n';
    assert.deepStrictEqual(byCode(diags(text, { others: { 'deps.yaml': defined } }).list, 'missing-reference'), []);
  });

  it('reports a pod template\'s ServiceAccount nothing defines, but never `default` or the kube-api-access volume\'s kube-root-ca.crt', () => {
    const text = DEPLOY.replace('      containers:\n', '      serviceAccountName: robot\n      volumes:\n      - name: kube-api-access-x7k2q\n        projected:\n          sources:\n          - configMap:\n              name: kube-root-ca.crt\n      containers:\n');
    const d = byCode(diags(text).list, 'missing-reference');
    assert.deepStrictEqual(d.map((x) => textAt(text, x.range)), ['robot']);
    assert.match(d[0].message, /^No ServiceAccount named "robot" is defined in the workspace \(it may exist in the cluster\)\. Without it the apiserver refuses the pods/);
    const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n';
    assert.deepStrictEqual(byCode(diags(text, { others: { 'sa.yaml': sa } }).list, 'missing-reference'), []);
    assert.deepStrictEqual(byCode(diags(text.replace('serviceAccountName: robot', 'serviceAccountName: default')).list, 'missing-reference'), []);
  });

  it('flags a volumeMount naming an undeclared volume on its name value', () => {
    const text = DEPLOY.replace('        image: nginx\n', '        image: nginx\n        volumeMounts:\n        - name: data\n          mountPath: /d\n');
    const d = byCode(diags(text).list, 'undeclared-volume');
    assert.strictEqual(d.length, 1);
    assert.strictEqual(textAt(text, d[0].range), 'data');
  });

  it('follows workspace changes: a Service warning clears when a matching workload appears, and returns when it goes', () => {
    const { model, ctx } = setup(SVC('app: web') + '|');
    assert.strictEqual(byCode(computeDiagnostics(model, ctx), 'service-selects-nothing').length, 1);
    const kinds = (a: string, k: string) => ctx.schema.kind(a, k);
    const other = buildModel('file:///w/deploy.yaml', 1, DEPLOY, kinds);
    (ctx.workspace as Workspace).setFile(other.uri, indexModel(other));
    assert.deepStrictEqual(computeDiagnostics(model, ctx), []);
    const edited = buildModel(other.uri, 2, DEPLOY.replace('app: web\n    spec', 'app: api\n    spec'), kinds, other);
    (ctx.workspace as Workspace).setFile(other.uri, indexModel(edited));
    assert.strictEqual(byCode(computeDiagnostics(model, ctx), 'service-selects-nothing').length, 1);
  });
});
