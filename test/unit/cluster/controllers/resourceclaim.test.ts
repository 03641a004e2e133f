/** The resource claim controller: a pod's ResourceClaims made from their templates, and released as upstream does. */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { claimGenerateName } from '../../../../cluster/src/controllers/resourceclaim/claims';

const CLAIMS = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaims' };
const TEMPLATES = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaimtemplates' };
const CLASSES = { group: 'resource.k8s.io', version: 'v1', resource: 'deviceclasses' };
type PG = ReturnType<typeof newTestPlayground>;

const template = (name: string): KObject => ({
  apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name, namespace: 'default' },
  spec: {
    metadata: { labels: { team: 'ml' }, annotations: { note: 'from-template' } },
    spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }] } },
  },
}) as KObject;
const pod = (name: string, templateName: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { claims: [{ name: 'gpu' }] } }], resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: templateName }] },
}) as KObject;
const claims = (pg: PG) => pg.api.list(CLAIMS, 'default').items;
const events = (pg: PG, name: string, reason: string) => pg.api.list(R.events, 'default').items.filter((e: any) => e.involvedObject.name === name && e.reason === reason);

function playground(): PG {
  const pg = newTestPlayground();
  pg.api.create(CLASSES, undefined, { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'gpu.example.com' } } as KObject);
  return pg;
}

describe('resource claim controller', () => {
  it('creates the claim of a template for the pod and records it in the pod status; the scheduler then cannot allocate it', () => {
    const pg = playground();
    try {
      pg.api.create(TEMPLATES, 'default', template('gpu-template'));
      const p = pg.api.create(R.pods, 'default', pod('trainer', 'gpu-template')).object;
      assert.ok(pg.runUntil(() => !!pg.api.get(R.pods, 'default', 'trainer').status?.resourceClaimStatuses, 30_000));
      const [claim] = claims(pg);
      assert.strictEqual(claims(pg).length, 1);
      assert.strictEqual(claim.metadata.generateName, 'trainer-gpu-');
      assert.match(claim.metadata.name!, /^trainer-gpu-[a-z0-9]{5}$/);
      assert.deepStrictEqual(claim.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'trainer', uid: p.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepStrictEqual(claim.metadata.annotations, { note: 'from-template', 'resource.kubernetes.io/pod-claim-name': 'gpu' });
      assert.deepStrictEqual(claim.metadata.labels, { team: 'ml' });
      assert.deepStrictEqual(claim.spec.devices.requests, [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'ExactCount', count: 1 } }]);
      assert.deepStrictEqual(pg.api.get(R.pods, 'default', 'trainer').status.resourceClaimStatuses, [{ name: 'gpu', resourceClaimName: claim.metadata.name }]);
      // The pod is no longer left out of scheduling: every node refuses it.
      assert.ok(pg.runUntil(() => events(pg, 'trainer', 'FailedScheduling').length > 0, 30_000));
      assert.match(events(pg, 'trainer', 'FailedScheduling')[0].message, /3 cannot allocate all claims/);
      assert.deepStrictEqual(events(pg, 'trainer', 'FailedResourceClaimCreation'), []);
    } finally {
      pg.close();
    }
  });

  it('reports a missing template on the pod and makes the claim once the template exists', () => {
    const pg = playground();
    try {
      pg.api.create(R.pods, 'default', pod('waits', 'later'));
      pg.advance(10_000);
      const [ev] = events(pg, 'waits', 'FailedResourceClaimCreation');
      assert.deepStrictEqual([ev?.type, ev?.source?.component, ev?.message],
        ['Warning', 'resource_claim', 'PodResourceClaim gpu: resource claim template "later": resourceclaimtemplate.resource.k8s.io "later" not found']);
      assert.ok(ev.count > 1, 'the sync is retried with back-off, each failure an event');
      assert.deepStrictEqual(claims(pg), []);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'waits').status.resourceClaimStatuses, undefined);
      pg.api.create(TEMPLATES, 'default', template('later'));
      assert.ok(pg.runUntil(() => claims(pg).length === 1, 60_000), 'the next retry finds the template');
      assert.ok(pg.runUntil(() => !!pg.api.get(R.pods, 'default', 'waits').status?.resourceClaimStatuses, 10_000));
    } finally {
      pg.close();
    }
  });

  it('makes a new claim when the recorded one is deleted', () => {
    const pg = playground();
    try {
      pg.api.create(TEMPLATES, 'default', template('t'));
      pg.api.create(R.pods, 'default', pod('p', 't'));
      assert.ok(pg.runUntil(() => claims(pg).length === 1, 30_000));
      const first = claims(pg)[0].metadata.name!;
      pg.api.delete(CLAIMS, 'default', first);
      assert.ok(pg.runUntil(() => claims(pg).length === 1 && claims(pg)[0].metadata.name !== first, 30_000));
      const second = claims(pg)[0].metadata.name;
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'p').status.resourceClaimStatuses?.[0]?.resourceClaimName === second, 10_000));
    } finally {
      pg.close();
    }
  });

  it('deletes the claim of a pod that is done, and of a pod that is deleted', () => {
    const pg = playground();
    try {
      pg.api.create(TEMPLATES, 'default', template('t'));
      pg.api.create(R.pods, 'default', pod('done', 't'));
      pg.api.create(R.pods, 'default', pod('gone', 't'));
      assert.ok(pg.runUntil(() => claims(pg).length === 2, 30_000));
      const p = pg.api.get(R.pods, 'default', 'done');
      pg.api.update(R.pods, 'default', { ...p, status: { ...p.status, phase: 'Failed' } }, undefined, 'status');
      assert.ok(pg.runUntil(() => claims(pg).length === 1, 30_000), 'the done pod\'s claim goes while the pod stays');
      assert.ok(pg.api.get(R.pods, 'default', 'done'));
      assert.match(claims(pg)[0].metadata.name!, /^gone-gpu-/);
      pg.api.delete(R.pods, 'default', 'gone');
      assert.ok(pg.runUntil(() => claims(pg).length === 0, 30_000), 'the deleted pod\'s claim goes');
    } finally {
      pg.close();
    }
  });

  it('drops the reservation of a pod that no longer exists, with the allocation and the finalizer', () => {
    const pg = playground();
    try {
      const claim = pg.api.create(CLAIMS, 'default', {
        apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'shared', finalizers: ['resource.kubernetes.io/delete-protection'] },
        spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }] } },
      } as KObject).object;
      pg.api.update(CLAIMS, 'default', {
        ...claim,
        status: {
          allocation: { devices: { results: [{ request: 'gpu', driver: 'gpu.example.com', pool: 'node-1', device: 'gpu-0' }] } },
          reservedFor: [{ resource: 'pods', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }],
        },
      }, undefined, 'status');
      assert.ok(pg.runUntil(() => !pg.api.get(CLAIMS, 'default', 'shared').status?.reservedFor, 30_000));
      const after = pg.api.get(CLAIMS, 'default', 'shared');
      assert.strictEqual(after.status.allocation, undefined);
      assert.deepStrictEqual(after.metadata.finalizers ?? [], []);
    } finally {
      pg.close();
    }
  });

  it('cuts a long generateName in proportion to the pod and claim names', () => {
    assert.strictEqual(claimGenerateName('web', 'gpu'), 'web-gpu-');
    const long = claimGenerateName('a'.repeat(50), 'b'.repeat(20));
    assert.strictEqual(long, `${'a'.repeat(39)}-${'b'.repeat(15)}`);
  });
});
