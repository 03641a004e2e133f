import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { statusOf } from './statusOf';

/**
 * 422 Invalid answers as upstream builds them (errors.NewInvalid): one cause
 * per field error in validation order, the message `<Kind>.<group> "<name>"
 * is invalid: <e>` or `[<e1>, <e2>, …]`, and no check the editor lacks.
 */
const status = statusOf;

const NEG = 'Invalid value: -1: must be greater than or equal to 0';
const MISMATCH_BODY = 'Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`';

function deploy(name: string, spec: any, podSpec: any) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { selector: { matchLabels: { app: 'a' } }, ...spec, template: { metadata: { labels: { app: 'b' } }, spec: podSpec } } };
}

describe('apiserver: Invalid status in upstream order', () => {
  it('negative replicas, a selector mismatch and no containers: each once, replicas first', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.deployments, 'default', deploy('x', { replicas: -1 }, { containers: [] }) as any));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(e.reason, 'Invalid');
    assert.strictEqual(e.message,
      `Deployment.apps "x" is invalid: [spec.replicas: ${NEG}, spec.template.metadata.labels: ${MISMATCH_BODY}, spec.template.spec.containers: Required value]`);
    assert.deepStrictEqual(e.details, {
      name: 'x', group: 'apps', kind: 'Deployment',
      causes: [
        { reason: 'FieldValueInvalid', message: NEG, field: 'spec.replicas' },
        { reason: 'FieldValueInvalid', message: MISMATCH_BODY, field: 'spec.template.metadata.labels' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers' },
      ],
    });
  });

  it('a pod without containers gets one Required cause, absent or empty', () => {
    const cp = newTestControlPlane();
    for (const spec of [{}, { containers: [] }]) {
      const e = status(() => cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec } as any));
      assert.strictEqual(e.message, 'Pod "p" is invalid: spec.containers: Required value');
      assert.deepStrictEqual(e.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);
    }
  });

  it('the defaulted pod template keeps upstream order: template errors, the owner restartPolicy, then strategy', () => {
    const cp = newTestControlPlane();
    const d = deploy('y', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, revisionHistoryLimit: -1 },
      { containers: [{ name: 'c' }], restartPolicy: 'OnFailure' });
    d.spec.template.metadata.labels = { app: 'a' };
    const e = status(() => cp.api.create(R.deployments, 'default', d as any));
    assert.deepStrictEqual(e.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      `spec.revisionHistoryLimit: ${NEG}`,
    ]);
  });

  it('Job: counts, the template, then the restartPolicy the pod default broke', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
      spec: { completions: -1, backoffLimit: -1, template: { spec: { containers: [{ name: 'c' }] } } } } as any));
    assert.strictEqual(e.message, `Job.batch "j" is invalid: [spec.completions: ${NEG}, spec.backoffLimit: ${NEG}, spec.template.spec.containers[0].image: Required value, `
      + 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"]');
  });

  it("a StatefulSet's pod spec is validated on create (1.34), and an update of a set already stored invalid skips it", () => {
    const cp = newTestControlPlane();
    const sts = (name: string, replicas: number, image?: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
      spec: { replicas, serviceName: 's', selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image }] } } } });
    const e = status(() => cp.api.create(R.statefulsets, 'default', sts('web.db', -1) as any));
    assert.strictEqual(e.message, `StatefulSet.apps "web.db" is invalid: [metadata.name: Invalid value: "web.db": must not contain dots, spec.replicas: ${NEG}, `
      + 'spec.template.spec.containers[0].image: Required value]');
    // Claim templates count as volumes: a mount of one is fine.
    const withClaim: any = sts('db', 1, 'postgres');
    withClaim.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
    withClaim.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
    assert.strictEqual(cp.api.create(R.statefulsets, 'default', withClaim).object.metadata.name, 'db');
    // A set stored before this validation existed (written straight to storage here) can still be scaled.
    cp.api.create(R.statefulsets, 'default', sts('legacy', 1, 'postgres') as any);
    const old = JSON.parse(JSON.stringify(cp.store.get('apps/statefulsets', 'default', 'legacy')));
    delete old.spec.template.spec.containers[0].image;
    cp.store.put('apps/statefulsets', old);
    const scaled = cp.api.patch(R.statefulsets, 'default', 'legacy', 'merge', { spec: { replicas: 2 } }).object;
    assert.strictEqual(scaled.spec.replicas, 2);
    const fixedThenBroken = status(() => cp.api.patch(R.statefulsets, 'default', 'db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: '' }] } } } }));
    assert.match(fixedThenBroken.message, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
  });

  it('Secret data that is not base64 fails decoding with 400, as a []byte field does upstream', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'not base64!' } } as any));
    assert.strictEqual(e.code, 400);
    assert.strictEqual(e.reason, 'BadRequest');
    assert.strictEqual(e.message, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
  });

  it('a malformed quantity fails decoding with 400 (resource.Quantity.UnmarshalJSON), not a field error', () => {
    const cp = newTestControlPlane();
    const d = deploy('q', {}, { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: 'lots' } } }] });
    d.spec.template.metadata.labels = { app: 'a' };
    const e = status(() => cp.api.create(R.deployments, 'default', d as any));
    assert.strictEqual(e.code, 400);
    assert.strictEqual(e.message, 'Deployment in version "v1" cannot be handled as a Deployment: '
      + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it('restartPolicy and dnsPolicy list their supported values in upstream order', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { restartPolicy: 'Sometimes', dnsPolicy: 'Nearest', containers: [{ name: 'c', image: 'nginx' }] } } as any));
    assert.strictEqual(e.message, 'Pod "p" is invalid: [spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never", '
      + 'spec.dnsPolicy: Unsupported value: "Nearest": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]');
  });

  it('an empty selector prints as the LabelSelector struct upstream dereferences', () => {
    const cp = newTestControlPlane();
    const d = deploy('e', {}, { containers: [{ name: 'c', image: 'nginx' }] });
    d.spec.selector = {} as any;
    const e = status(() => cp.api.create(R.deployments, 'default', d as any));
    assert.strictEqual(e.message, 'Deployment.apps "e" is invalid: spec.selector: Invalid value: '
      + 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment');
  });

  it('on update the workload is validated before its immutable selector; a Service checks immutability first', () => {
    const cp = newTestControlPlane();
    const ok = deploy('d', {}, { containers: [{ name: 'c', image: 'nginx' }] });
    ok.spec.template.metadata.labels = { app: 'a' };
    cp.api.create(R.deployments, 'default', ok as any);
    const changed = JSON.parse(JSON.stringify(ok));
    changed.spec.replicas = -1;
    changed.spec.selector = { matchLabels: { app: 'z' } };
    changed.spec.template.metadata.labels = { app: 'z' };
    const e = status(() => cp.api.update(R.deployments, 'default', changed));
    assert.deepStrictEqual(e.details.causes.map((c: any) => c.field), ['spec.replicas', 'spec.selector']);
    assert.match(e.details.causes[1].message, /field is immutable$/);

    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] } };
    cp.api.create(R.services, 'default', svc as any);
    const moved = { ...svc, spec: { clusterIP: '10.96.0.11', ports: [{ port: 0 }] } };
    const s = status(() => cp.api.update(R.services, 'default', moved as any));
    assert.deepStrictEqual(s.details.causes.map((c: any) => c.field), ['spec.clusterIPs[0]', 'spec.ports[0].port']);
  });
});
