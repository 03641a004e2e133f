import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import type { Finding } from '../../../kube/src/rules/types';
import { getSchema } from '../../../kube/src/schema/index';

const schema = getSchema();
const V = { kubernetesVersion: '1.34' };
const run = (obj: unknown, ctx = V) => validateObject(obj, schema, ctx);
const codes = (fs: Finding[]) => fs.map((f) => f.code).sort();
const only = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

function deployment(over: { labels?: Record<string, string>; podSpec?: Record<string, unknown>; spec?: Record<string, unknown>; name?: string } = {}) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: over.name ?? 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: over.labels ?? { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }], ...over.podSpec } },
      ...over.spec,
    },
  };
}

describe('rules/engine: apiserver rules with upstream errors', () => {
  it('accepts a valid Deployment with no findings', () => {
    assert.deepStrictEqual(run(deployment()), []);
  });

  it('reports a selector that does not match the template labels exactly as upstream', () => {
    const f = only(run(deployment({ labels: { app: 'wbe', tier: 'x' } })), 'selector-mismatch');
    assert.strictEqual(f.length, 1);
    assert.deepStrictEqual(f[0].path, ['spec', 'template', 'metadata', 'labels']);
    assert.deepStrictEqual(f[0].apiError, { type: 'FieldValueInvalid', value: { app: 'wbe', tier: 'x' }, detail: '`selector` does not match template `labels`' });
    assert.strictEqual(f[0].severity, 'error');
  });

  it('checks matchExpressions and ReplicationController map selectors too', () => {
    const d = deployment({ labels: { app: 'web' } });
    (d.spec as Record<string, unknown>).selector = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] };
    assert.strictEqual(only(run(d), 'selector-mismatch').length, 1);
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { selector: { app: 'a' }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    assert.strictEqual(only(run(rc), 'selector-mismatch').length, 1);
    rc.spec.selector = {} as never;
    assert.strictEqual(only(run(rc), 'selector-mismatch').length, 0, 'an empty RC selector defaults to the labels');
  });

  it('refuses an empty workload selector with the per-kind upstream text', () => {
    const d = deployment();
    (d.spec as Record<string, unknown>).selector = {};
    assert.strictEqual(only(run(d), 'empty-selector')[0].apiError?.detail, 'empty selector is invalid for deployment');
  });

  it('restartPolicy: Job templates need Never/OnFailure, workload templates Always', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    const missing = only(run(job), 'restart-policy');
    assert.strictEqual(missing.length, 1);
    assert.deepStrictEqual(missing[0].apiError, { type: 'FieldValueRequired', detail: 'valid values: "OnFailure", "Never"' });
    (job.spec.template.spec as Record<string, unknown>).restartPolicy = 'Never';
    assert.deepStrictEqual(run(job), []);
    for (const kind of ['Deployment', 'StatefulSet']) {
      const d = deployment({ podSpec: { restartPolicy: 'OnFailure' } });
      (d as Record<string, unknown>).kind = kind;
      if (kind === 'StatefulSet') (d.spec as Record<string, unknown>).serviceName = 's';
      const f = only(run(d), 'restart-policy');
      assert.strictEqual(f.length, 1, kind);
      assert.deepStrictEqual(f[0].apiError, { type: 'FieldValueNotSupported', value: 'OnFailure', supported: ['Always'] });
    }
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'i' }] } } } } } };
    assert.deepStrictEqual(only(run(cron), 'restart-policy')[0].path, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'restartPolicy']);
  });

  it('maxSurge and maxUnavailable may not both be zero; an omitted one defaults to 25%', () => {
    const zero = (ru: Record<string, unknown>) => only(run(deployment({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: ru } } })), 'surge-unavailable-zero');
    const f = zero({ maxSurge: 0, maxUnavailable: '0%' });
    assert.strictEqual(f.length, 1);
    assert.deepStrictEqual(f[0].path, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']);
    assert.strictEqual(f[0].apiError?.detail, 'may not be 0 when `maxSurge` is 0');
    assert.strictEqual(zero({ maxSurge: 0 }).length, 0);
    assert.strictEqual(zero({ maxSurge: '0%', maxUnavailable: 1 }).length, 0);
    assert.strictEqual(only(run(deployment({ spec: { strategy: { rollingUpdate: { maxUnavailable: '110%' } } } })), 'invalid-int-or-percent')[0].apiError?.detail, 'must not be greater than 100%');
  });

  it('names: DNS-1123 subdomain for most kinds, DNS-1035 label for Services, path segments for RBAC', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my.svc' }, spec: { ports: [{ port: 80 }] } };
    const f = only(run(svc), 'invalid-name');
    assert.strictEqual(f.length, 1);
    assert.match(f[0].apiError!.detail!, /DNS-1035 label/);
    assert.deepStrictEqual(only(run({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my.cm' } }), 'invalid-name'), []);
    assert.match(only(run({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'My_CM' } }), 'invalid-name')[0].message, /RFC 1123 subdomain/);
    assert.deepStrictEqual(run({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:controller:x' } }), []);
    assert.strictEqual(only(run({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }), 'invalid-name').length, 1);
    assert.strictEqual(only(run({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), 'missing-name')[0].apiError?.detail, 'name or generateName is required');
    assert.deepStrictEqual(only(run({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'x-' } }), 'missing-name'), []);
  });

  it('label keys and values, annotation keys and the 256 KiB annotation total', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'bad key!': 'v', ok: 'bad value!' }, annotations: { big: 'x'.repeat(262144) } } };
    const fs = run(obj);
    const key = only(fs, 'invalid-label-key')[0];
    assert.deepStrictEqual(key.path, ['metadata', 'labels', 'bad key!']);
    assert.strictEqual(key.target, 'key');
    assert.deepStrictEqual(key.apiError?.apiPath, ['metadata', 'labels']);
    assert.strictEqual(only(fs, 'invalid-label-value')[0].apiError?.value, 'bad value!');
    const big = only(fs, 'annotations-too-long')[0];
    assert.deepStrictEqual(big.apiError, { type: 'FieldValueTooLong', value: '', detail: 'may not be more than 262144 bytes' });
    obj.metadata.annotations.big = 'x'.repeat(262141);
    assert.deepStrictEqual(only(run(obj), 'annotations-too-long'), [], '3 + 262141 bytes is exactly the limit');
  });

  it('containers: image required, unique names, ports in range with unique names', () => {
    const fs = run(deployment({ podSpec: {
      initContainers: [{ name: 'web', image: 'busybox' }],
      containers: [{ name: 'web', ports: [{ containerPort: 70000, name: 'http' }, { containerPort: 80, name: 'http' }, { containerPort: 81, name: 'Not_Valid' }] }],
    } }));
    assert.deepStrictEqual(only(fs, 'missing-image')[0].path, ['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.deepStrictEqual(only(fs, 'duplicate-container-name')[0].path, ['spec', 'template', 'spec', 'initContainers', 0, 'name']);
    assert.deepStrictEqual(only(fs, 'port-range')[0].apiError, { type: 'FieldValueInvalid', value: 70000, detail: 'must be between 1 and 65535, inclusive' });
    assert.deepStrictEqual(only(fs, 'duplicate-port-name')[0].apiError, { type: 'FieldValueDuplicate', value: 'http' });
    assert.ok(only(fs, 'invalid-port-name').length >= 1);
  });

  it('volumes: duplicate names and volumeMounts naming an undeclared volume', () => {
    const fs = run(deployment({ podSpec: {
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }],
      containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'cache', mountPath: '/c' }] }],
    } }));
    assert.deepStrictEqual(only(fs, 'duplicate-volume-name')[0].path, ['spec', 'template', 'spec', 'volumes', 1, 'name']);
    const u = only(fs, 'undeclared-volume');
    assert.strictEqual(u.length, 1);
    assert.deepStrictEqual(u[0].apiError, { type: 'FieldValueNotFound', value: 'cache' });
  });

  it('volumeMounts: one volume per mountPath in a container, subPath and subPathExpr inside the volume (ValidateVolumeMounts)', () => {
    const fs = run(deployment({ podSpec: {
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'conf', configMap: { name: 'c' } }],
      containers: [
        { name: 'web', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'conf', mountPath: '/d', subPath: '/etc/x' }, { name: 'data', mountPath: '/e', subPath: 'a/../../b', subPathExpr: '$(POD)' }] },
        { name: 'side', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/d' }] },
      ],
    } }));
    const dup = only(fs, 'duplicate-mount-path');
    assert.strictEqual(dup.length, 1, 'another container may mount the same path');
    assert.deepStrictEqual(dup[0].path, ['spec', 'template', 'spec', 'containers', 0, 'volumeMounts', 1, 'mountPath']);
    assert.deepStrictEqual(dup[0].apiError, { type: 'FieldValueInvalid', value: '/d', detail: 'must be unique' });
    const sub = only(fs, 'invalid-sub-path');
    assert.deepStrictEqual(sub.map((f) => [f.path.slice(-2), f.apiError?.detail, f.apiError?.apiPath?.slice(-2)]), [
      [[1, 'subPath'], 'must be a relative path', ['volumeMounts', 'subPath']],
      [[2, 'subPath'], "must not contain '..'", ['volumeMounts', 'subPath']],
      [[2, 'subPathExpr'], 'subPathExpr and subPath are mutually exclusive', undefined],
    ]);
  });

  it('volume items: a relative path inside the volume (validateKeyToPath, downward API files)', () => {
    const fs = run(deployment({ podSpec: {
      volumes: [
        { name: 'a', configMap: { name: 'c', items: [{ key: 'k', path: '/abs' }, { key: 'k2', path: '' }, { key: 'k3', path: '..x' }, { key: 'k4', path: 'ok/file' }] } },
        { name: 'b', projected: { sources: [{ secret: { name: 's', items: [{ key: 'k', path: 'a/../../b' }] } }, { downwardAPI: { items: [{ path: '/labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } },
      ],
      containers: [{ name: 'web', image: 'nginx' }],
    } }));
    assert.deepStrictEqual(only(fs, 'invalid-item-path').map((f) => [f.path.slice(3).join('.'), f.apiError?.type, f.apiError?.detail]), [
      ['volumes.0.configMap.items.0.path', 'FieldValueInvalid', 'must be a relative path'],
      ['volumes.0.configMap.items.1.path', 'FieldValueRequired', undefined],
      ['volumes.0.configMap.items.2.path', 'FieldValueInvalid', "must not start with '..'"],
      ['volumes.1.projected.sources.0.secret.items.0.path', 'FieldValueInvalid', "must not contain '..'"],
      ['volumes.1.projected.sources.1.downwardAPI.items.0.path', 'FieldValueInvalid', 'must be a relative path'],
    ]);
  });

  it('StatefulSet volumeClaimTemplates count as declared volumes', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'www', mountPath: '/w' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } };
    assert.deepStrictEqual(run(sts), []);
  });

  it('Service ports: range, target port names, names required with several ports', () => {
    const fs = run({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 0, targetPort: 'Http_X' }, { port: 80, name: 'web' }] } });
    assert.deepStrictEqual(codes(fs), ['invalid-port-name', 'missing-port-name', 'port-range']);
  });

  it('refuses negative counts, a progress deadline not above minReadySeconds, and an empty container list', () => {
    const fs = run(deployment({ spec: { replicas: -1, minReadySeconds: 30, progressDeadlineSeconds: 30 }, podSpec: { containers: [] } }));
    assert.deepStrictEqual(only(fs, 'negative-value')[0].apiError, { type: 'FieldValueInvalid', value: -1, detail: 'must be greater than or equal to 0' });
    assert.deepStrictEqual(only(fs, 'progress-deadline')[0].path, ['spec', 'progressDeadlineSeconds']);
    assert.deepStrictEqual(only(fs, 'no-containers')[0].path, ['spec', 'template', 'spec', 'containers']);
    assert.deepStrictEqual(run(deployment({ spec: { replicas: 0, minReadySeconds: 5, progressDeadlineSeconds: 600 } })), []);
  });

  it('a request above its limit is refused with the upstream detail', () => {
    const fs = run(deployment({ podSpec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '500m', memory: '1Gi' } } }] } }));
    const f = only(fs, 'request-above-limit');
    assert.strictEqual(f.length, 1);
    assert.deepStrictEqual(f[0].path, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'requests', 'cpu']);
    assert.strictEqual(f[0].apiError?.detail, 'must be less than or equal to cpu limit of 500m');
  });

  it('Secret data must be base64 (Go decoder offsets); stringData is free text', () => {
    const f = only(run({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { ok: 'aGVsbG8=', bad: 'hello world' }, stringData: { x: 'hello world' } }), 'invalid-base64');
    assert.strictEqual(f.length, 1);
    assert.deepStrictEqual(f[0].path, ['data', 'bad']);
    assert.strictEqual(f[0].apiError?.detail, 'illegal base64 data at input byte 5');
  });
});

describe('rules/engine: schema rules', () => {
  it('unknown fields with did-you-mean, wrong types, enums, quantities, missing required', () => {
    const fs = run(deployment({ spec: { replicas: '3' }, podSpec: { contaienrs: [], containers: [{ name: 'web', image: 'nginx', imagePullPolicy: 'Allways', resources: { limits: { cpu: '500x', memory: 128 } } }, { image: 'x' }] } }));
    const unknown = only(fs, 'unknown-field')[0];
    assert.strictEqual(unknown.target, 'key');
    assert.match(unknown.message, /Did you mean "containers"\?/);
    assert.deepStrictEqual((unknown.data as { suggestion: string }).suggestion, 'containers');
    assert.deepStrictEqual(only(fs, 'wrong-type')[0].path, ['spec', 'replicas']);
    assert.deepStrictEqual(only(fs, 'enum-value')[0].apiError, { type: 'FieldValueNotSupported', value: 'Allways', supported: ['Always', 'IfNotPresent', 'Never'] });
    assert.deepStrictEqual(only(fs, 'invalid-quantity').map((f) => f.path.at(-1)), ['cpu']);
    assert.deepStrictEqual(only(fs, 'missing-required')[0].path, ['spec', 'template', 'spec', 'containers', 1, 'name']);
  });

  it('treats nulls as kubeconform does: fine for optional fields, an error for required ones', () => {
    const d = deployment();
    (d.metadata as Record<string, unknown>).creationTimestamp = null;
    (d.spec.template.metadata as Record<string, unknown>).annotations = null;
    assert.deepStrictEqual(run(d), []);
    (d.spec.template.spec.containers[0] as Record<string, unknown>).name = null;
    assert.deepStrictEqual(codes(run(d)), ['null-value']);
  });

  it('int-or-string accepts ints and strings only', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8.5 }] } };
    assert.deepStrictEqual(codes(run(svc)), ['wrong-type']);
    svc.spec.ports[0].targetPort = 'http' as never;
    assert.deepStrictEqual(run(svc), []);
  });

  it('validates kind: List items one by one, with item paths', () => {
    const fs = run({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }] });
    assert.deepStrictEqual(fs.map((f) => [f.code, f.path]), [['invalid-name', ['items', 1, 'metadata', 'name']]]);
  });

  it('unknown kinds get no schema findings; a known kind in a wrong version names the right one', () => {
    assert.deepStrictEqual(run({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { anything: 1 } }), []);
    const f = run({ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'x' } });
    assert.deepStrictEqual(codes(f), ['unknown-api-version']);
    assert.match(f[0].message, /Use apps\/v1\b/);
    assert.doesNotMatch(f[0].message, /extensions/, 'removed versions are not suggested');
    assert.strictEqual((f[0].data as { replacement: string }).replacement, 'apps/v1');
  });

  it('a kind a built-in group does not serve is refused as kubectl refuses it, with the right spelling when close', () => {
    const f = run({ apiVersion: 'apps/v1', kind: 'deployment', metadata: { name: 'x' } });
    assert.deepStrictEqual(f.map((x) => [x.code, x.path, x.message, x.data]), [
      // kubectl maps the all-lower-case kind (client-go's discovery RESTMapper adds it), so the apiserver's decoder answers.
      ['unknown-kind', ['kind'], 'deployment in version "v1" cannot be handled as a Deployment: no kind "deployment" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"', { suggestion: 'Deployment' }],
    ]);
    assert.strictEqual(run({ apiVersion: 'v1', kind: 'pod', metadata: { name: 'x' } })[0].message, 'pod in version "v1" cannot be handled as a Pod: no kind "pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    assert.strictEqual(run({ apiVersion: 'v1', kind: 'Configmap', metadata: { name: 'x' } })[0].message, 'no matches for kind "Configmap" in version "v1": did you mean "ConfigMap"?');
    assert.strictEqual((run({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })[0].data as { suggestion?: string })?.suggestion, 'Deployment');
    assert.deepStrictEqual(run({ apiVersion: 'batch/v1', kind: 'Widget', metadata: { name: 'x' } }).map((x) => x.message), ['no matches for kind "Widget" in version "batch/v1"']);
    // A group the schema does not know may be a CRD's: nothing to say.
    assert.deepStrictEqual(run({ apiVersion: 'monitoring.coreos.com/v1', kind: 'servicemonitor' }), []);
  });

  it('applies lint overrides by code', () => {
    const d = deployment({ podSpec: { contaienrs: [] } });
    assert.deepStrictEqual(run(d, { ...V, lint: { 'unknown-field': 'off' } } as never), []);
    assert.strictEqual(run(d, { ...V, lint: { 'unknown-field': 'hint' } } as never)[0].severity, 'hint');
  });
});

describe('rules/engine: removed and deprecated apiVersions', () => {
  const seed = { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} };
  it('is an error once removed, naming the replacement', () => {
    const f = only(run(seed), 'removed-api');
    assert.strictEqual(f.length, 1);
    assert.match(f[0].message, /1\.16/);
    assert.match(f[0].message, /apps\/v1/);
    assert.deepStrictEqual(f[0].path, ['apiVersion']);
  });
  it('is a warning while only deprecated, and nothing before that', () => {
    const api = (fs: Finding[]) => fs.filter((f) => f.code.endsWith('-api')).map((f) => `${f.code}:${f.severity}`);
    assert.deepStrictEqual(api(run(seed, { kubernetesVersion: '1.15' })), ['deprecated-api:warning']);
    assert.deepStrictEqual(api(run(seed, { kubernetesVersion: '1.8' })), []);
    const cron = { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c' } };
    assert.deepStrictEqual(api(run(cron, { kubernetesVersion: '1.22' })), ['deprecated-api:warning']);
    assert.deepStrictEqual(api(run(cron, { kubernetesVersion: '1.25' })), ['removed-api:error']);
  });
});
