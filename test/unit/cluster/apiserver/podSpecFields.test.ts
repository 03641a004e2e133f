import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { KubePlayground } from '../../../../cluster/src/playground';
import { validateObject } from '../../../../kube/src/rules/engine';
import { getSchema } from '../../../../kube/src/schema/index';
import { statusOf } from './statusOf';

/**
 * What a learner gets wrong in a pod spec and upstream's ValidatePodSpec, ValidateTolerations and
 * ValidateLabelSelector refuse: the same findings in the editor and the same Invalid answer from the
 * playground's apiserver, in upstream's order.
 */
const schema = getSchema();
const editor = (obj: unknown) => validateObject(obj, schema, { kubernetesVersion: '1.34' }).map((f) => `${f.code}: ${f.message}`);
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('pod spec fields learners get wrong, as upstream validates them', () => {
  it('probe counts below zero, and a liveness or startup successThreshold other than 1', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx',
      livenessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: -5, successThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 80 }, failureThreshold: -1, successThreshold: 3 },
      startupProbe: { exec: { command: ['true'] }, successThreshold: 2 } }] } };
    const e = statusOf(() => newTestControlPlane().api.create(R.pods, 'default', pod as any));
    assert.strictEqual(e.message, 'Pod "p" is invalid: [spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -5: must be greater than or equal to 0, '
      + 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1, '
      + 'spec.containers[0].readinessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0, '
      + 'spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1]');
    assert.strictEqual(editor(pod).length, 4, 'a readiness probe may ask for 3 successes');
    // 0 is unset (SetDefaults_Probe makes it 1); a negative value is refused twice, as upstream does.
    const zero = { ...pod, spec: { containers: [{ name: 'c', image: 'nginx', livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 0 } }] } };
    const created = newTestControlPlane().api.create(R.pods, 'default', zero as any).object;
    assert.strictEqual(created.spec.containers[0].livenessProbe.successThreshold, 1);
    const negative = { ...pod, spec: { containers: [{ name: 'c', image: 'nginx', livenessProbe: { tcpSocket: { port: 80 }, successThreshold: -1 } }] } };
    assert.strictEqual(statusOf(() => newTestControlPlane().api.create(R.pods, 'default', negative as any)).message,
      'Pod "p" is invalid: [spec.containers[0].livenessProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0, spec.containers[0].livenessProbe.successThreshold: Invalid value: -1: must be 1]');
    // A toleration with neither key nor operator is refused at its operator.
    const tol = { ...pod, spec: { tolerations: [{ effect: 'NoSchedule' }], containers: [{ name: 'c', image: 'nginx' }] } };
    assert.match(statusOf(() => newTestControlPlane().api.create(R.pods, 'default', tol as any)).message, /^Pod "p" is invalid: spec\.tolerations\[0\]\.operator: Invalid value: "": operator must be Exists when `key` is empty/);
  });

  it('deadline, hostname, nodeSelector, tolerations, preStop sleep and a Pod image with a space, in ValidatePodSpec\'s order', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {
      activeDeadlineSeconds: 0, hostname: 'My_Host', nodeSelector: { disktype: 'solid state' },
      tolerations: [{ key: 'gpu', operator: 'Exists', value: 'true', effect: 'NoSchedule' }, { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }],
      containers: [{ name: 'c', image: 'nginx ', lifecycle: { preStop: { sleep: { seconds: 60 } } } }] } };
    const e = statusOf(() => newTestControlPlane().api.create(R.pods, 'default', pod as any));
    assert.deepStrictEqual(e.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)',
      `spec.nodeSelector: Invalid value: "solid state": ${LABEL_VALUE}`,
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      'spec.hostname: Invalid value: "My_Host": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
      'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"gpu", Operator:"Exists", Value:"true", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      'spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace',
    ]);
    // A template may carry the spaces (validateContainersOnlyForPod is for Pods); the rest holds there too.
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { ...pod.spec, activeDeadlineSeconds: undefined } } } };
    const found = editor(dep);
    assert.ok(!found.some((f) => f.startsWith('image-whitespace')), found.join('\n'));
    assert.ok(found.some((f) => f.startsWith('invalid-toleration')), found.join('\n'));
  });

  it('with hostNetwork a hostPort must be its containerPort (validatePodHostNetworkDeps); unset, a Pod\'s is defaulted to it', () => {
    const ports = (...p: object[]) => [{ name: 'app', image: 'nginx', ports: p }];
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hp' }, spec: { hostNetwork: true, containers: ports({ containerPort: 80, hostPort: 8080 }),
      initContainers: [{ name: 'init', image: 'busybox', ports: [{ containerPort: 81, hostPort: 9091 }] }], restartPolicy: 'sometimes' } };
    const e = statusOf(() => newTestControlPlane().api.create(R.pods, 'default', pod as any));
    // After every container list and before restartPolicy; init containers are not checked.
    assert.strictEqual(e.message, 'Pod "hp" is invalid: [spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true, '
      + 'spec.restartPolicy: Unsupported value: "sometimes": supported values: "Always", "OnFailure", "Never"]');
    assert.deepStrictEqual(editor(pod).filter((f) => f.startsWith('host-network')), ['host-network-host-port: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true']);
    // A Pod's unset or 0 hostPort becomes the containerPort (SetDefaults_Pod); without hostNetwork nothing is asked.
    const cp = newTestControlPlane();
    const made = cp.api.create(R.pods, 'default', { ...pod, spec: { hostNetwork: true, containers: ports({ containerPort: 80 }, { containerPort: 81, hostPort: 0 }) } } as any).object;
    assert.deepStrictEqual(made.spec.containers[0].ports.map((p: any) => p.hostPort), [80, 81]);
    assert.deepStrictEqual(editor({ ...pod, spec: { containers: ports({ containerPort: 80, hostPort: 8080 }) } }), []);
    // A DaemonSet's template: 0 stays 0 (no defaulting in templates since 1.28), any other port must match.
    const ds = (p: object) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-exporter' }, spec: { selector: { matchLabels: { app: 'ne' } },
      template: { metadata: { labels: { app: 'ne' } }, spec: { hostNetwork: true, containers: ports(p) } } } });
    assert.strictEqual(statusOf(() => newTestControlPlane().api.create(R.daemonsets, 'default', ds({ containerPort: 9100, hostPort: 9101 }) as any)).message,
      'DaemonSet.apps "node-exporter" is invalid: spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 9101: must match `containerPort` when `hostNetwork` is true');
    const kept = newTestControlPlane().api.create(R.daemonsets, 'default', ds({ containerPort: 9100 }) as any).object;
    assert.strictEqual(kept.spec.template.spec.containers[0].ports[0].hostPort, undefined);
    assert.deepStrictEqual(editor(ds({ containerPort: 9100, hostPort: 0 })), []);
  });

  it('a workload selector as ValidateLabelSelector checks it', () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {
      selector: { matchExpressions: [{ key: 'app', operator: 'In' }, { key: 'tier', operator: 'Exists', values: ['a'] }, { key: 'env', operator: 'in', values: ['prod'] }] },
      template: { metadata: { labels: { app: 'web', tier: 'x', env: 'prod' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    const e = statusOf(() => newTestControlPlane().api.create(R.deployments, 'default', dep as any));
    assert.strictEqual(e.message, 'Deployment.apps "web" is invalid: [spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\', '
      + 'spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\', '
      + 'spec.selector.matchExpressions[2].operator: Invalid value: "in": not a valid selector operator]');
  });

  it('a nodePort outside 30000-32767 in the editor, as the playground\'s port allocator words it', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] } };
    const words = 'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767';
    assert.deepStrictEqual(editor(svc), [`node-port-range: ${words}`]);
    const pg = new KubePlayground({ seed: 1 });
    try {
      assert.strictEqual(statusOf(() => pg.api.create(R.services, 'default', svc as any)).message, `Service "s" is invalid: spec.ports[0].nodePort: ${words}`);
    } finally {
      pg.close();
    }
  });

  it('a lower-case kind, which kubectl sends, fails the decode as upstream\'s', () => {
    const e = statusOf(() => newTestControlPlane().api.create(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'deployment', metadata: { name: 'web' } } as any));
    assert.strictEqual(e.code, 400);
    assert.strictEqual(e.message, 'deployment in version "v1" cannot be handled as a Deployment: no kind "deployment" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  });
});

describe('pod warnings (pkg/api/pod/warnings.go): accepted, with Warning headers and editor warnings', () => {
  it('fractional bytes, a hidden env var and a duplicate port, with upstream\'s field paths', () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx',
        env: [{ name: 'MODE', value: 'dev' }, { name: 'MODE', value: 'prod' }, { name: 'PATH', value: '/a' }, { name: 'PATH', value: '$(PATH):/b' }],
        ports: [{ containerPort: 80 }, { containerPort: 80 }],
        resources: { requests: { memory: '512m' }, limits: { memory: 1.5 } } }] } } } };
    const r = newTestControlPlane().api.create(R.deployments, 'default', dep as any);
    assert.deepStrictEqual(r.warnings, [
      'spec.template.spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.template.spec.containers[0].resources.requests[memory]: fractional byte value "512m" is invalid, must be an integer',
      'spec.template.spec.containers[0].env[1]: hides previous definition of "MODE", which may be dropped when using apply',
      'spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
    ]);
    // An update that moves the template's generation warns again (WarningsOnUpdate); one that does not, does not.
    const cp = newTestControlPlane();
    const stored = cp.api.create(R.deployments, 'default', { ...dep, metadata: { name: 'web2' } } as any).object;
    const scaled = cp.api.update(R.deployments, 'default', { ...stored, metadata: { ...stored.metadata, labels: { a: 'b' } } } as any);
    assert.deepStrictEqual(scaled.warnings ?? [], []);
    const changed = structuredClone(cp.api.get(R.deployments, 'default', 'web2'));
    changed.spec.template.spec.containers[0].image = 'nginx:1.27';
    assert.strictEqual(cp.api.update(R.deployments, 'default', changed).warnings?.length, 4);
    const found = editor(dep).filter((f) => /^(fractional-bytes|duplicate-env|duplicate-port):/.test(f));
    assert.deepStrictEqual(found, [
      'fractional-bytes: fractional byte value "1500m" is invalid, must be an integer',
      'fractional-bytes: fractional byte value "512m" is invalid, must be an integer',
      'duplicate-env: hides previous definition of "MODE", which may be dropped when using apply',
      'duplicate-port: duplicate port definition with spec.template.spec.containers[0].ports[0]',
    ]);
  });
});

describe('container resources as validateResourceRequirements checks them', () => {
  it('names a container may ask for, no negatives, whole extended resources, their limits, huge pages beside cpu or memory', () => {
    const pod = (resources: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', resources }] } });
    const causes = (resources: any) => statusOf(() => newTestControlPlane().api.create(R.pods, 'default', pod(resources) as any)).details.causes.map((c: any) => `${c.field}: ${c.message}`);
    assert.deepStrictEqual(causes({ requests: { cpu: -1, storage: '1Gi' }, limits: { gpu: 1, 'nvidia.com/gpu': 0.5 } }), [
      'spec.containers[0].resources.limits[gpu]: Invalid value: gpu: must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: gpu: must be a standard resource for containers',
      'spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: 500m: must be an integer',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      // Requests default to the limits (SetDefaults_Pod) before validation, so the limits' names are judged there too.
      'spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for containers',
      'spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: 500m: must be an integer',
      'spec.containers[0].resources.requests[storage]: Invalid value: storage: must be a standard resource for containers',
    ]);
    assert.deepStrictEqual(causes({ requests: { 'nvidia.com/gpu': 1 }, limits: { 'hugepages-2Mi': '100Mi' } }), [
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
      'spec.containers[0].resources: Forbidden: HugePages require cpu or memory',
    ]);
    assert.deepStrictEqual(causes({ requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 2 } }), [
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2',
    ]);
    newTestControlPlane().api.create(R.pods, 'default', pod({ requests: { cpu: '250m', 'nvidia.com/gpu': 1 }, limits: { cpu: 1, 'nvidia.com/gpu': 1 } }) as any);
    assert.ok(editor(pod({ limits: { gpu: 1 } })).some((f) => f.startsWith('invalid-resource-name: Invalid value: gpu: must be a standard resource for containers')));
  });

  it('huge pages in whole pages (validateResourceQuantityHugePageValue), the defaulted request judged too', () => {
    const pod = (resources: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', resources }] } });
    const create = (resources: any) => () => newTestControlPlane().api.create(R.pods, 'default', pod(resources) as any);
    assert.deepStrictEqual(statusOf(create({ limits: { 'hugepages-2Mi': '3Mi', memory: '1Gi' } })).details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
    ]);
    // A quantity is rounded up to a whole byte first; a size that is no quantity has no multiples.
    assert.strictEqual(statusOf(create({ limits: { 'hugepages-1Gi': '1.5Gi', cpu: '1' } })).message,
      'Pod "p" is invalid: [spec.containers[0].resources.limits[hugepages-1Gi]: Invalid value: "1536Mi": 1536Mi is not positive integer multiple of hugepages-1Gi, '
      + 'spec.containers[0].resources.requests[hugepages-1Gi]: Invalid value: "1536Mi": 1536Mi is not positive integer multiple of hugepages-1Gi]');
    create({ limits: { 'hugepages-2Mi': '4Mi', memory: '1Gi' } })();
    create({ limits: { 'hugepages-1Gi': '2Gi', cpu: '1' } })();
    // The editor says it of what is written (a Pod's requests are defaulted only by the apiserver).
    assert.deepStrictEqual(editor(pod({ limits: { 'hugepages-2Mi': '3Mi', memory: '1Gi' } })).filter((f) => f.startsWith('invalid-resource-quantity')),
      ['invalid-resource-quantity: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi']);
  });
});
