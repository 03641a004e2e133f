import * as assert from 'assert';
import { World } from './harness/world';

const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };

/** The seed's Deployment, converted to apps/v1. */
function seedDeployment(replicas = 1, image = 'nginx'): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'mean', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'mean' } },
      template: { metadata: { labels: { app: 'mean' } }, spec: { containers: [{ name: 'mean', image }], restartPolicy: 'Always' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

describe('deployment controller', () => {
  it('settles the seed Deployment to exactly the seed status shape', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', seedDeployment());
    w.advance(10_000);
    const d = w.api.get(DEPLOYMENTS, 'default', 'mean');
    const rs = w.api.all(RS, 'default');
    assert.strictEqual(rs.length, 1);
    const rsName = rs[0].metadata.name!;
    assert.match(rsName, /^mean-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.strictEqual(rs[0].metadata.labels!['pod-template-hash'], rsName.slice('mean-'.length));
    assert.strictEqual(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.deepStrictEqual(Object.keys(d.status), ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'conditions']);
    const { conditions, ...counts } = d.status;
    assert.deepStrictEqual(counts, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    assert.deepStrictEqual(conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
    ]);
    // Progressing keeps the time the rollout started; it was last updated when it became available.
    assert.strictEqual(conditions[1].lastTransitionTime, '2018-03-06T09:03:54Z');
    assert.strictEqual(conditions[1].lastUpdateTime, conditions[0].lastTransitionTime);
    assert.notStrictEqual(conditions[1].lastUpdateTime, conditions[1].lastTransitionTime);
    const pods = w.pods();
    assert.strictEqual(pods.length, 1);
    assert.match(pods[0].metadata.name!, new RegExp(`^${rsName}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.deepStrictEqual(w.eventsFor('ScalingReplicaSet').map((e) => [e.component, e.message]), [['deployment-controller', `Scaled up replica set ${rsName} from 0 to 1`]]);
    assert.deepStrictEqual(w.eventsFor('SuccessfulCreate').map((e) => [e.component, e.message]), [['replicaset-controller', `Created pod: ${pods[0].metadata.name}`]]);
  });

  it('is deterministic: same seed, same names and events', () => {
    const run = () => {
      const w = new World();
      w.api.create(DEPLOYMENTS, 'default', seedDeployment(3));
      w.advance(10_000);
      return JSON.stringify([w.pods().map((p) => p.metadata.name), w.events]);
    };
    assert.strictEqual(run(), run());
  });
});
