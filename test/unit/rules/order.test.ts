import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString, invalidMessage } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';

/**
 * The apiserver's field errors in the order upstream's validation functions
 * append them (apps/core/batch validation.go), whatever order the rules run in.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);

const NEG = 'Invalid value: -1: must be greater than or equal to 0';
const MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`';
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function workload(kind: string, apiVersion: string, spec: any, podSpec: any, name = 'x') {
  return { apiVersion, kind, metadata: { name }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec, template: { metadata: { labels: { app: 'b' } }, spec: podSpec } } };
}

describe('rules/order: field errors in upstream order', () => {
  it('Deployment: replicas, selector match, pod template, its restartPolicy, strategy, revisionHistoryLimit, progressDeadlineSeconds', () => {
    const d = workload('Deployment', 'apps/v1', {
      replicas: -1, minReadySeconds: 20, revisionHistoryLimit: -1, progressDeadlineSeconds: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
    }, { containers: [], restartPolicy: 'OnFailure' });
    assert.deepStrictEqual(errors(d), [
      `spec.replicas: ${NEG}`,
      MISMATCH,
      'spec.template.spec.containers: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      `spec.revisionHistoryLimit: ${NEG}`,
      'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
    ]);
  });

  it('the many-error message is bracketed and comma-separated, as errors.NewInvalid prints the aggregate', () => {
    const d = workload('Deployment', 'apps/v1', { replicas: -1 }, { containers: [{ name: 'c', image: 'nginx' }] }, 'web');
    const fs = validateObject(d, schema, { kubernetesVersion: '1.34' });
    assert.strictEqual(invalidMessage('Deployment.apps', 'web', fs), `Deployment.apps "web" is invalid: [spec.replicas: ${NEG}, ${MISMATCH}]`);
    d.spec.replicas = 1;
    assert.strictEqual(invalidMessage('Deployment.apps', 'web', validateObject(d, schema, { kubernetesVersion: '1.34' })), `Deployment.apps "web" is invalid: ${MISMATCH}`);
  });

  it('pod template labels are reported at spec.template.labels, after the selector match (ValidatePodTemplateSpec)', () => {
    const d = workload('Deployment', 'apps/v1', {}, { containers: [{ name: 'c' }] });
    d.spec.template.metadata.labels = { app: 'b', 'bad key!': 'v' } as any;
    assert.deepStrictEqual(errors(d), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b", "bad key!":"v"}: `selector` does not match template `labels`',
      "spec.template.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'spec.template.spec.containers[0].image: Required value',
    ]);
  });

  it('ReplicaSet: replicas, minReadySeconds, then the template; ReplicationController: minReadySeconds, replicas, then the template', () => {
    const rs = workload('ReplicaSet', 'apps/v1', { replicas: -1, minReadySeconds: -1 }, { containers: [{ name: 'c', image: 'i' }] });
    assert.deepStrictEqual(errors(rs), [`spec.replicas: ${NEG}`, `spec.minReadySeconds: ${NEG}`, MISMATCH]);
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'x' },
      spec: { replicas: -1, minReadySeconds: -1, selector: { app: 'a' }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    assert.deepStrictEqual(errors(rc), [`spec.minReadySeconds: ${NEG}`, `spec.replicas: ${NEG}`, MISMATCH]);
  });

  it('DaemonSet: selector match, pod template, restartPolicy, then minReadySeconds and revisionHistoryLimit', () => {
    const ds = workload('DaemonSet', 'apps/v1', { minReadySeconds: -1, revisionHistoryLimit: -1 }, { containers: [{ name: 'c' }], restartPolicy: 'Never' });
    assert.deepStrictEqual(errors(ds), [
      MISMATCH,
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      `spec.minReadySeconds: ${NEG}`,
      `spec.revisionHistoryLimit: ${NEG}`,
    ]);
  });

  it('StatefulSet: a DNS-label name, replicas, the match, the pod template (validated since 1.34), then restartPolicy', () => {
    const sts = workload('StatefulSet', 'apps/v1', { replicas: -1, serviceName: 's' }, { containers: [{ name: 'c' }], restartPolicy: 'Never' }, 'web.db');
    assert.deepStrictEqual(errors(sts), [
      'metadata.name: Invalid value: "web.db": must not contain dots',
      `spec.replicas: ${NEG}`,
      MISMATCH,
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
    sts.spec.selector = {} as any;
    assert.ok(errors(sts).some((e) => /^spec\.selector: Invalid value: .*: empty selector is invalid for statefulset$/.test(e)));
  });

  it('Job: the counts, the pod template, then its restartPolicy', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
      spec: { parallelism: -1, backoffLimit: -1, activeDeadlineSeconds: -1, template: { spec: { containers: [{ name: 'c' }] } } } };
    assert.deepStrictEqual(errors(job), [
      `spec.parallelism: ${NEG}`,
      `spec.activeDeadlineSeconds: ${NEG}`,
      `spec.backoffLimit: ${NEG}`,
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  it('Job: a name too long for a label value is refused at spec.template.labels, where the strategy copies it (not with a manual selector)', () => {
    const name = 'j'.repeat(64);
    const job = (extra: any = {}) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
      spec: { ...extra, template: { spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Never' } } } });
    assert.deepStrictEqual(errors(job()), [`spec.template.labels: Invalid value: "${name}": must be no more than 63 characters`]);
    const findings = validateObject(job(), schema, { kubernetesVersion: '1.34' });
    assert.deepStrictEqual(findings.filter((f) => f.code === 'job-name-label').map((f) => f.path), [['metadata', 'name']], 'the editor says it on the name');
    assert.deepStrictEqual(validateObject(job(), schema, { kubernetesVersion: '1.34', apiserver: true }).filter((f) => f.code === 'job-name-label'), [],
      'the apiserver finds it in the labels the strategy wrote');
    assert.deepStrictEqual(errors({ ...job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } }), spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Never' } } } }), []);
  });

  it('CronJob: startingDeadlineSeconds, the job template, the history limits, and the 52-character name last', () => {
    const name = 'c'.repeat(53);
    const cj = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
      spec: { schedule: '* * * * *', successfulJobsHistoryLimit: -1, startingDeadlineSeconds: -1,
        jobTemplate: { spec: { backoffLimit: -1, template: { spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Always' } } } } } };
    assert.deepStrictEqual(errors(cj), [
      `spec.startingDeadlineSeconds: ${NEG}`,
      `spec.jobTemplate.spec.backoffLimit: ${NEG}`,
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      `spec.successfulJobsHistoryLimit: ${NEG}`,
      `metadata.name: Invalid value: "${name}": must be no more than 52 characters`,
    ]);
  });

  it('Pod: volumes before containers; a duplicate container name after that container\'s own checks', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {
      containers: [{ name: 'a', image: '', ports: [{ containerPort: 70000 }], resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } }, { name: 'a' }],
      volumes: [{ name: 'Bad_Vol', emptyDir: {} }] } };
    assert.deepStrictEqual(errors(pod), [
      `spec.volumes[0].name: Invalid value: "Bad_Vol": ${LABEL_MSG}`,
      'spec.containers[0].image: Required value',
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m',
      'spec.containers[1].image: Required value',
      'spec.containers[1].name: Duplicate value: "a"',
    ]);
  });

  it('Service: metadata, then each port by name, port and targetPort', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'Web' }, spec: { ports: [{ port: 0, targetPort: 70000 }, { name: 'b', port: 80 }] } };
    const errs = errors(svc);
    assert.match(errs[0], /^metadata\.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters/);
    assert.deepStrictEqual(errs.slice(1), [
      'spec.ports[0].name: Required value',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });
});
