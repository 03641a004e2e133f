import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject, WatchEvent } from '../../../../cluster/src/contract';

/**
 * How a pod ends, as upstream's apiserver and kubelet do it: a force delete still stops the containers on the node,
 * the first step of a deletion bumps the generation, the kubelet's final delete is one more update before DELETED,
 * controllers' DisruptionTarget conditions name the generation, and a negative grace period is taken as 1 s.
 */
describe('pod deletion and termination (review 30)', () => {
  const POD = `apiVersion: v1
kind: Pod
metadata: {name: f1}
spec:
  containers: [{name: app, image: busybox:1.36, command: [sleep, "3600"]}]
`;
  const events = (pg: ReturnType<typeof newTestPlayground>, name: string) =>
    [...pg.store.list('/events')].filter((e) => e.involvedObject?.name === name).map((e) => e.reason);

  it('a force delete leaves the API at once, and the node still stops the containers with Killing, over the pod\'s grace period', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(POD);
      pg.advance(20_000);
      const old = pg.api.get(R.pods, 'default', 'f1');
      const uid = old.metadata.uid;
      const oldContainer = old.status.containerStatuses[0].containerID;
      pg.api.delete(R.pods, 'default', 'f1', { gracePeriodSeconds: 0 });
      pg.settle();
      assert.strictEqual(pg.store.get('/pods', 'default', 'f1'), undefined);
      assert.deepStrictEqual(events(pg, 'f1').slice(-1), ['Killing']);
      // A new pod of the same name starts while the old one's sleep (which ignores SIGTERM) waits for its SIGKILL.
      pg.apply(POD);
      // The old pod's kubelet writes no status over the new pod of its name: the container shown is never the old one.
      for (let t = 0; t < 10; t++) {
        pg.advance(1_000);
        assert.ok(!(pg.api.get(R.pods, 'default', 'f1').status.containerStatuses ?? []).some((s: any) => s.containerID === oldContainer), `at ${t + 1} s`);
      }
      const again = pg.api.get(R.pods, 'default', 'f1');
      assert.notStrictEqual(again.metadata.uid, uid);
      assert.strictEqual(again.status.phase, 'Running');
      const stillThere = () => [...pg.store.list('/events')].some((e) => e.involvedObject?.uid === uid && e.reason === 'Killing');
      assert.ok(stillThere());
      pg.advance(30_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'f1').status.phase, 'Running', 'the new pod runs on');
    } finally {
      pg.close();
    }
  });

  it('writes no status of a force-deleted pod over the new pod of its name', () => {
    const pg = newTestPlayground({ nodes: 1 } as any);
    try {
      const web = `apiVersion: v1\nkind: Pod\nmetadata: {name: web-0}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n`;
      pg.apply(web);
      pg.advance(20_000);
      const oldContainer = pg.api.get(R.pods, 'default', 'web-0').status.containerStatuses[0].containerID;
      pg.api.delete(R.pods, 'default', 'web-0', { gracePeriodSeconds: 0 });
      pg.apply(web);
      // nginx stops on SIGTERM in half a second: its last status must not land on the new pod.
      for (let t = 0; t < 5; t++) {
        pg.advance(1_000);
        const cs = pg.api.get(R.pods, 'default', 'web-0').status.containerStatuses ?? [];
        assert.ok(!cs.some((s: any) => s.containerID === oldContainer), `at ${t + 1} s: ${JSON.stringify(cs)}`);
      }
    } finally {
      pg.close();
    }
  });

  it('bumps the generation at the first step of a deletion, and the kubelet reports it observed', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(POD);
      pg.advance(20_000);
      assert.strictEqual(pg.api.get(R.pods, 'default', 'f1').metadata.generation, 1);
      pg.api.delete(R.pods, 'default', 'f1', {});
      pg.advance(2_000);
      const p = pg.api.get(R.pods, 'default', 'f1');
      assert.deepStrictEqual([p.metadata.generation, p.status.observedGeneration], [2, 2]);
      // A shorter grace period on a pod already terminating is no new step: the generation stays.
      pg.api.delete(R.pods, 'default', 'f1', { gracePeriodSeconds: 10 });
      assert.strictEqual(pg.api.get(R.pods, 'default', 'f1').metadata.generation, 2);
      // A Deployment held by the foreground finalizer is bumped the same way (markAsDeleting).
      pg.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx:1.27}]}}
`);
      pg.advance(5_000);
      pg.api.delete(R.deployments, 'default', 'web', { propagationPolicy: 'Foreground' });
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').metadata.generation, 2);
    } finally {
      pg.close();
    }
  });

  it('writes the kubelet\'s final delete as an update (grace 0, the earlier timestamp) before DELETED', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: w2}
spec:
  containers: [{name: web, image: nginx:1.27}]
`);
      pg.advance(20_000);
      const seen: WatchEvent[] = [];
      const h = pg.api.watch(R.pods, 'default', { fieldSelector: 'metadata.name=w2' }, (e) => seen.push(e));
      pg.api.delete(R.pods, 'default', 'w2', {});
      pg.advance(10_000);
      h.stop();
      const rows = seen.filter((e) => e.type !== 'BOOKMARK').map((e) => [e.type, e.object.metadata.deletionGracePeriodSeconds, e.object.status?.phase]);
      const at = rows.findIndex((r) => r[0] === 'DELETED');
      assert.ok(at > 1, JSON.stringify(rows));
      assert.deepStrictEqual(rows.slice(at - 1), [['MODIFIED', 0, 'Succeeded'], ['DELETED', 0, 'Succeeded']]);
      const first = seen.find((e) => e.type === 'MODIFIED')!.object.metadata.deletionTimestamp;
      const last = seen[seen.length - 1].object.metadata.deletionTimestamp;
      assert.strictEqual(Date.parse(first!) - Date.parse(last!), 30_000, 'the timestamp moves back by the grace period');
    } finally {
      pg.close();
    }
  });

  it('takes a negative grace period as 1 s', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(POD);
      pg.advance(20_000);
      pg.api.delete(R.pods, 'default', 'f1', { gracePeriodSeconds: -5 });
      assert.strictEqual(pg.api.get(R.pods, 'default', 'f1').metadata.deletionGracePeriodSeconds, 1);
    } finally {
      pg.close();
    }
  });

  it('names the pod\'s generation in the DisruptionTarget condition of the pod garbage collector', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(POD);
      pg.advance(20_000);
      const node = pg.api.get(R.pods, 'default', 'f1').spec.nodeName;
      const conds: KObject[] = [];
      const h = pg.api.watch(R.pods, 'default', {}, (e) => {
        const c = (e.object.status?.conditions ?? []).find((x: any) => x.type === 'DisruptionTarget');
        if (c) conds.push(c);
      });
      pg.api.delete(R.nodes, undefined, node, {});
      pg.advance(60_000);
      h.stop();
      assert.ok(conds.length > 0);
      assert.deepStrictEqual([conds[0].reason, conds[0].observedGeneration], ['DeletionByPodGC', 1]);
    } finally {
      pg.close();
    }
  });

  it('arms the pod garbage collector\'s quarantine again at the next write of a pod whose quarantine ended with it kept', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(POD);
      pg.advance(20_000);
      const node = pg.api.get(R.pods, 'default', 'f1').spec.nodeName;
      pg.api.delete(R.nodes, undefined, node, {});
      pg.settle();
      // The quarantine armed for the first f1 ends on a second f1 (another uid), which it leaves alone.
      pg.api.delete(R.pods, 'default', 'f1', { gracePeriodSeconds: 0 });
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'f1' }, spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox:1.36' }] } });
      pg.advance(45_000);
      assert.ok(pg.store.get('/pods', 'default', 'f1'), 'the second f1 outlived the first one\'s quarantine');
      // A write that keeps the node arms it for the second f1.
      pg.api.patch(R.pods, 'default', 'f1', 'merge', { metadata: { labels: { touched: 'yes' } } });
      pg.advance(45_000);
      assert.strictEqual(pg.store.get('/pods', 'default', 'f1'), undefined);
      const gone = pg.logHistory().filter((l) => l.component === 'pod-garbage-collector' && l.message.includes('default/f1')).map((l) => l.message);
      assert.deepStrictEqual(gone, [`force-deleted orphaned pod default/f1 (node ${node} no longer exists)`], 'only the second f1 went by the quarantine');
    } finally {
      pg.close();
    }
  });
});
