/**
 * The aggregator's APIServices in a fresh cluster: one per served group-version, made by the autoregister
 * controller and Available `Local`, and metrics-server's v1beta1.metrics.k8s.io, whose Available condition
 * follows its Service's ready endpoints in the availability controller's words.
 */
import * as assert from 'assert';
import { newTestPlayground } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const APISERVICES = { group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };

function available(pg: KubePlayground, name: string): any {
  return (pg.api.get(APISERVICES, undefined, name) as any).status?.conditions?.find((c: any) => c.type === 'Available');
}

describe('aggregator APIServices', () => {
  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
  });
  afterEach(() => pg.close());

  it('registers one local APIService per served group-version, as kube-apiserver names and ranks them', () => {
    const items = pg.api.list(APISERVICES, undefined).items as any[];
    const local = items.filter((a) => a.spec.service === null).map((a) => a.metadata.name).sort();
    assert.deepStrictEqual(local, [
      'v1.', 'v1.admissionregistration.k8s.io', 'v1.apiextensions.k8s.io', 'v1.apps', 'v1.authentication.k8s.io', 'v1.authorization.k8s.io',
      'v1.autoscaling', 'v1.batch', 'v1.certificates.k8s.io', 'v1.coordination.k8s.io', 'v1.discovery.k8s.io', 'v1.events.k8s.io',
      'v1.flowcontrol.apiserver.k8s.io', 'v1.networking.k8s.io', 'v1.node.k8s.io', 'v1.policy', 'v1.rbac.authorization.k8s.io', 'v1.resource.k8s.io', 'v1.scheduling.k8s.io', 'v1.storage.k8s.io',
      'v2.autoscaling',
    ]);
    const apps = items.find((a) => a.metadata.name === 'v1.apps');
    assert.deepStrictEqual(apps.metadata.labels, { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' });
    assert.deepStrictEqual(apps.spec, { service: null, group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 });
    assert.deepStrictEqual(items.find((a) => a.metadata.name === 'v1.').spec, { service: null, group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 });
    assert.strictEqual(items.find((a) => a.metadata.name === 'v2.autoscaling').spec.versionPriority, 30);
    const c = available(pg, 'v1.apps');
    assert.strictEqual(c.status, 'True');
    assert.strictEqual(c.reason, 'Local');
    assert.strictEqual(c.message, 'Local APIServices are always available');
  });

  it('makes a deleted local APIService again on the next start (sync on start), and keeps it gone until then', () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-apiservices-'));
    try {
      const first = newTestPlayground({ stateDir });
      first.api.delete(APISERVICES, undefined, 'v1.batch');
      first.advance(60_000);
      assert.throws(() => first.api.get(APISERVICES, undefined, 'v1.batch'));
      first.save();
      first.close();
      const again = newTestPlayground({ stateDir });
      try {
        assert.strictEqual((again.api.get(APISERVICES, undefined, 'v1.batch') as any).spec.groupPriorityMinimum, 17400);
        assert.strictEqual(available(again, 'v1.batch').reason, 'Local');
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('reports v1beta1.metrics.k8s.io MissingEndpoints until metrics-server is ready, then Passed, and back when it goes', () => {
    const a = pg.api.get(APISERVICES, undefined, 'v1beta1.metrics.k8s.io') as any;
    assert.deepStrictEqual(a.spec, {
      group: 'metrics.k8s.io', groupPriorityMinimum: 100, insecureSkipTLSVerify: true,
      service: { name: 'metrics-server', namespace: 'kube-system', port: 443 }, version: 'v1beta1', versionPriority: 100,
    });
    const before = available(pg, 'v1beta1.metrics.k8s.io');
    assert.strictEqual(before.status, 'False');
    assert.ok(['EndpointsNotFound', 'MissingEndpoints'].includes(before.reason), before.reason);
    if (before.reason === 'MissingEndpoints') assert.strictEqual(before.message, 'endpointslices for service/metrics-server in "kube-system" have no addresses with port name "https"');
    assert.ok(pg.runUntil(() => available(pg, 'v1beta1.metrics.k8s.io').status === 'True', 120_000), 'metrics-server never became available');
    const ok = available(pg, 'v1beta1.metrics.k8s.io');
    assert.strictEqual(ok.reason, 'Passed');
    assert.strictEqual(ok.message, 'all checks passed');
    const d = pg.api.get(DEPLOYMENTS, 'kube-system', 'metrics-server') as any;
    pg.api.update(DEPLOYMENTS, 'kube-system', { ...d, spec: { ...d.spec, replicas: 0 } });
    assert.ok(pg.runUntil(() => available(pg, 'v1beta1.metrics.k8s.io').status === 'False', 120_000), 'still available with no metrics-server');
    assert.strictEqual(available(pg, 'v1beta1.metrics.k8s.io').reason, 'MissingEndpoints');
    pg.api.delete({ group: '', version: 'v1', resource: 'services' }, 'kube-system', 'metrics-server');
    assert.ok(pg.runUntil(() => available(pg, 'v1beta1.metrics.k8s.io').reason === 'ServiceNotFound', 10_000));
    assert.strictEqual(available(pg, 'v1beta1.metrics.k8s.io').message, 'service/metrics-server in "kube-system" is not present');
  });
});
