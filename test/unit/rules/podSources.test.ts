import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, invalidMessage } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';

const schema = getSchema();
const run = (obj: unknown) => validateObject(obj, schema, { kubernetesVersion: '1.34' });
const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const ctr = (c: Record<string, unknown>) => pod({ containers: [{ name: 'c', image: 'nginx', ...c }] });
/** What the apiserver would print for the findings, as kubectl shows it. */
const api = (obj: unknown) => invalidMessage('Pod', 'p', apiErrors(run(obj), 'Pod'));

describe('rules/podSources: one volume source, one handler, value or valueFrom, file modes', () => {
  it('a volume with two sources is refused at the second, in upstream order and spelling', () => {
    const f = run(pod({ volumes: [{ name: 'v', hostPath: { path: '/tmp' }, emptyDir: {} }] }));
    assert.deepStrictEqual(f.map((x) => [x.code, x.path.join('.')]), [['volume-sources', 'spec.volumes.0.hostPath']]);
    assert.strictEqual(api(pod({ volumes: [{ name: 'v', hostPath: { path: '/tmp' }, emptyDir: {} }] })),
      'Pod "p" is invalid: spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type');
    assert.match(api(pod({ volumes: [{ name: 'v', emptyDir: {}, downwardAPI: { items: [] } }] })), /spec\.volumes\[0\]\.downwarAPI: Forbidden/);
    assert.strictEqual(api(pod({ volumes: [{ name: 'v' }] })), 'Pod "p" is invalid: spec.volumes[0]: Required value: must specify a volume type');
    assert.deepStrictEqual(run(pod({ volumes: [{ name: 'v', emptyDir: {} }] })), []);
  });

  it('file modes run from 0 to 0777', () => {
    const bad = pod({ volumes: [{ name: 'v', configMap: { name: 'a', defaultMode: 644, items: [{ key: 'k', path: 'k', mode: 1000 }] } }] });
    assert.strictEqual(api(bad), 'Pod "p" is invalid: [spec.volumes[0].configMap.defaultMode: Invalid value: 644: must be a number between 0 and 0777 (octal), both inclusive, spec.volumes[0].configMap.items[0].mode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive]');
    assert.deepStrictEqual(run(pod({ volumes: [{ name: 'v', secret: { secretName: 's', defaultMode: 0o644 } }] })), []);
    assert.strictEqual(run(pod({ volumes: [{ name: 'v', projected: { defaultMode: 512, sources: [] } }] }))[0].code, 'file-mode');
  });

  it('a probe or hook with two handlers, or none', () => {
    assert.strictEqual(api(ctr({ readinessProbe: { httpGet: { port: 80 }, exec: { command: ['true'] } } })),
      'Pod "p" is invalid: spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type');
    assert.strictEqual(api(ctr({ livenessProbe: { periodSeconds: 5 } })), 'Pod "p" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type');
    assert.deepStrictEqual(run(ctr({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })), []);
    assert.deepStrictEqual(run(ctr({ readinessProbe: { tcpSocket: { port: 80 } } })), []);
  });

  it('an env var has a value or a valueFrom with one source', () => {
    assert.strictEqual(api(ctr({ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty');
    assert.strictEqual(api(ctr({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } }] })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time');
    assert.deepStrictEqual(run(ctr({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })), []);
    assert.strictEqual(api(ctr({ env: [{ name: 'A', valueFrom: {} }] })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
  });

  it('an env fieldRef names a field the kubelet resolves for a variable; a downwardAPI file one it writes', () => {
    const env = (fieldRef: Record<string, unknown>) => ctr({ env: [{ name: 'B', valueFrom: { fieldRef } }] });
    const envFields = '"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"';
    assert.strictEqual(api(env({ fieldPath: 'metadata.labels' })),
      `Pod "p" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: ${envFields}`);
    // status.phase converts (ConvertDownwardAPIFieldLabel knows it) but is no variable's.
    assert.match(api(env({ fieldPath: 'status.phase' })), /fieldRef\.fieldPath: Unsupported value: "status\.phase": supported values: "metadata\.name"/);
    assert.strictEqual(api(env({ fieldPath: 'spec.nope' })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nope": error converting fieldPath: field label not supported: spec.nope');
    assert.strictEqual(api(env({ fieldPath: "spec.containers['x']" })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.containers[\'x\']": error converting fieldPath: field label does not support subscript: spec.containers[\'x\']');
    assert.match(api(env({ apiVersion: 'v2', fieldPath: 'metadata.name' })), /Invalid value: "metadata\.name": error converting fieldPath: unsupported pod version: v2$/);
    assert.match(api(env({ fieldPath: "metadata.labels['a b']" })), /^Pod "p" is invalid: spec\.containers\[0\]\.env\[0\]\.valueFrom\.fieldRef: Invalid value: "a b": name part must consist of/);
    for (const fieldPath of ['status.podIPs', 'status.hostIPs', 'spec.host', "metadata.labels['app']", "metadata.annotations['x.io/y']"]) assert.deepStrictEqual(run(env({ fieldPath })), [], fieldPath);
    const vol = (items: unknown[]) => pod({ volumes: [{ name: 'v', downwardAPI: { items } }] });
    assert.deepStrictEqual(run(vol([{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }])), []);
    assert.strictEqual(api(vol([{ path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }])),
      'Pod "p" is invalid: spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "status.podIP": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"');
    assert.strictEqual(run(pod({ volumes: [{ name: 'v', projected: { sources: [{ downwardAPI: { items: [{ path: 'p', fieldRef: { fieldPath: 'status.phase' } }] } }] } }] }))[0].code, 'downward-field-path');
  });

  it('a resourceFieldRef names a supported resource, a volume file its container, and a divisor the resource knows', () => {
    const env = (resourceFieldRef: Record<string, unknown>) => ctr({ env: [{ name: 'C', valueFrom: { resourceFieldRef } }] });
    assert.strictEqual(api(env({ resource: 'limits.cpu', divisor: '1Mi' })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource');
    assert.strictEqual(api(env({ resource: 'requests.memory', divisor: '2Mi' })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource');
    assert.match(api(env({ resource: 'limits.ephemeral-storage', divisor: '3' })), /supported with the local ephemeral storage resource$/);
    assert.strictEqual(api(env({ resource: 'limits.pods' })),
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.pods": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"');
    // Canonical forms count: 1000m is 1, 1024Ki is 1Mi; hugepages pass by prefix.
    for (const rf of [{ resource: 'limits.cpu', divisor: '1000m' }, { resource: 'limits.memory', divisor: '1024Ki' }, { resource: 'requests.cpu', divisor: '1m' }, { resource: 'limits.hugepages-2Mi', divisor: '1Mi' }]) {
      assert.deepStrictEqual(run(env(rf)), [], JSON.stringify(rf));
    }
    assert.strictEqual(api(pod({ volumes: [{ name: 'v', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } }] } }] })),
      'Pod "p" is invalid: spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value');
  });

  it('the sources of a projected volume write no path twice', () => {
    const projected = (sources: unknown[]) => pod({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', projected: { sources } }] });
    assert.strictEqual(api(projected([{ configMap: { name: 'x', items: [{ key: 'k', path: 'same' }] } }, { secret: { name: 'ys', items: [{ key: 'k', path: 'same' }] } }])),
      'Pod "p" is invalid: spec.volumes[1].projected: Invalid value: "ys": conflicting duplicate paths');
    assert.strictEqual(api(projected([{ secret: { name: 'ys', items: [{ key: 'k', path: 'n' }] } }, { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }])),
      'Pod "p" is invalid: spec.volumes[1].projected: Invalid value: "n": conflicting duplicate paths');
    assert.deepStrictEqual(run(projected([{ configMap: { name: 'x', items: [{ key: 'k', path: 'a' }] } }, { secret: { name: 'ys', items: [{ key: 'k', path: 'b' }] } }])), []);
  });
});

describe('rules: Service types and DaemonSet rolling updates', () => {
  const svc = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec });
  const svcApi = (o: unknown) => invalidMessage('Service', 's', apiErrors(run(o), 'Service'));
  it('a headless Service cannot be a LoadBalancer or a NodePort; an ExternalName needs its name', () => {
    assert.strictEqual(svcApi(svc({ type: 'LoadBalancer', clusterIP: 'None', ports: [{ port: 80 }] })),
      'Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services');
    assert.match(svcApi(svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] })), /for NodePort services/);
    assert.strictEqual(svcApi(svc({ type: 'ExternalName' })), 'Service "s" is invalid: spec.externalName: Required value');
    assert.deepStrictEqual(run(svc({ type: 'ExternalName', externalName: 'db.example.com.' })), []);
    assert.deepStrictEqual(run(svc({ clusterIP: 'None', ports: [{ port: 80 }] })), []);
  });

  it('a DaemonSet rolls with exactly one of maxUnavailable and maxSurge non-zero (maxUnavailable defaults to 1)', () => {
    const ds = (ru: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: ru },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    const dsApi = (o: unknown) => invalidMessage('DaemonSet.apps', 'd', apiErrors(run(o), 'DaemonSet'));
    assert.strictEqual(dsApi(ds({ maxUnavailable: 0, maxSurge: 0 })), 'DaemonSet.apps "d" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0');
    assert.strictEqual(dsApi(ds({ maxSurge: 1 })), 'DaemonSet.apps "d" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero');
    assert.deepStrictEqual(run(ds({ maxUnavailable: 0, maxSurge: '25%' })), []);
    assert.deepStrictEqual(run(ds({ maxUnavailable: 2 })), []);
  });
});

describe('rules/podSources: handler ports', () => {
  it('a probe or hook port is a number from 1 to 65535 or a valid port name', () => {
    assert.strictEqual(api(ctr({ readinessProbe: { tcpSocket: { port: 99999 } } })),
      'Pod "p" is invalid: spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 99999: must be between 1 and 65535, inclusive');
    assert.match(api(ctr({ livenessProbe: { httpGet: { port: 'not_a_valid_NAME' } } })), /livenessProbe\.httpGet\.port: Invalid value: "not_a_valid_NAME": must be no more than 15 characters/);
    assert.deepStrictEqual(run(ctr({ ports: [{ name: 'http', containerPort: 80 }], readinessProbe: { httpGet: { port: 'http' } } })), []);
  });
});

describe('rules/configKeys', () => {
  it('a ConfigMap or Secret key is a file name: letters, digits, -, _, . and not . or ..', () => {
    const cm = (data: any, binaryData?: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data, ...(binaryData ? { binaryData } : {}) });
    assert.strictEqual(invalidMessage('ConfigMap', 'c', apiErrors(run(cm({ 'a b': 'x' })), 'ConfigMap')),
      'ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')');
    assert.match(invalidMessage('ConfigMap', 'c', apiErrors(run(cm({ '..x': 'y' })), 'ConfigMap')), /data\[\.\.x\]: Invalid value: "\.\.x": must not start with '\.\.'/);
    assert.match(invalidMessage('ConfigMap', 'c', apiErrors(run(cm({ k: 'y' }, { k: 'eQ==' })), 'ConfigMap')), /is invalid: data\[k\]: Invalid value: "k": duplicate of key present in binaryData/);
    assert.match(invalidMessage('Secret', 's', apiErrors(run({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'my key': 'v' } }), 'Secret')), /data\[my key\]: Invalid value/);
    assert.deepStrictEqual(run(cm({ 'app.properties': 'a=1', KEY_NAME: 'x', 'key-name': 'y' })), []);
    // stringData is merged into data first: a bad key in both is one error.
    assert.strictEqual(run({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { 'a b': 'eA==' }, stringData: { 'a b': 'x' } }).filter((f) => f.code === 'invalid-config-key').length, 1);
  });
});

describe('rules: strategies without a rolling update', () => {
  const tmpl = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  it('a Recreate Deployment or an OnDelete StatefulSet may not carry rollingUpdate', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }, template: tmpl } };
    assert.strictEqual(invalidMessage('Deployment.apps', 'd', apiErrors(run(d), 'Deployment')), "Deployment.apps \"d\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
    const s = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { a: 'b' } }, updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 2 } }, template: tmpl } };
    assert.strictEqual(invalidMessage('StatefulSet.apps', 's', apiErrors(run(s), 'StatefulSet')),
      "StatefulSet.apps \"s\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'");
  });
});

/** A CronJob with this schedule and spec fields, and what the apiserver answers for it. */
const cronJob = (schedule: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' },
  spec: { schedule, ...extra, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } });
const cronJobApi = (o: unknown) => invalidMessage('CronJob.batch', 'c', apiErrors(run(o), 'CronJob'));

describe('rules/cronJob: timeZone', () => {
  const cj = (timeZone: string) => cronJob('* * * * *', { timeZone });
  const msg = (tz: string) => cronJobApi(cj(tz));
  it('is a tz database name, not empty and not Local (validateTimeZone)', () => {
    assert.strictEqual(msg(''), 'CronJob.batch "c" is invalid: spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string');
    assert.strictEqual(msg('Local'), 'CronJob.batch "c" is invalid: spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
    assert.strictEqual(msg('Amerrica/New_York'), 'CronJob.batch "c" is invalid: spec.timeZone: Invalid value: "Amerrica/New_York": unknown time zone Amerrica/New_York');
    assert.strictEqual(msg('a b'), 'CronJob.batch "c" is invalid: spec.timeZone: Invalid value: "a b": unknown time zone a b');
    assert.deepStrictEqual(run(cj('Asia/Shanghai')), []);
    assert.deepStrictEqual(run(cj('Etc/UTC')), []);
  });
});

describe('rules: unknown kinds', () => {
  it('a List with no items is not an unknown kind', () => {
    assert.deepStrictEqual(run({ apiVersion: 'v1', kind: 'List' }).filter((f) => f.code === 'unknown-kind'), []);
  });
});

describe('rules/cronJob: schedule (robfig/cron words)', () => {
  const cj = cronJob;
  const msg = (s: string) => cronJobApi(cj(s));
  it('refuses what cron.ParseStandard refuses, and TZ= in the schedule', () => {
    assert.strictEqual(msg('0 */5 * * * *'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "0 */5 * * * *": expected exactly 5 fields, found 6: [0 */5 * * * *]');
    assert.strictEqual(msg('61 * * * *'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
    assert.strictEqual(msg('* * * * 7'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "* * * * 7": end of range (7) above maximum (6): 7');
    assert.strictEqual(msg('x * * * *'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    assert.strictEqual(msg('5-2 * * * *'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "5-2 * * * *": beginning of range (5) beyond end of range (2): 5-2');
    assert.strictEqual(msg('@fortnightly'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly');
    assert.strictEqual(msg('TZ=UTC 0 * * * *'), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    for (const ok of ['*/5 * * * *', '0 9 * * MON-FRI', '30 6-16/4 * * 1-5', '@hourly', '0 0 1,15 JAN,jul ?', '@every 1h30m']) assert.deepStrictEqual(run(cj(ok)), [], ok);
  });
});

describe('rules/removedApi: the selector note', () => {
  it('says apps/v1 needs a selector only to an object that has none', () => {
    const d = (selector?: unknown) => ({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' }, spec: { ...(selector ? { selector } : {}), template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    const note = (o: unknown) => run(o).find((f) => f.code === 'removed-api')!.message;
    assert.match(note(d()), /\(spec\.selector is required in apps\/v1\)$/);
    assert.doesNotMatch(note(d({ matchLabels: { a: 'b' } })), /selector is required/);
  });
});
