/**
 * The pvc-protection finalizer as upstream's controller lets it go (podUsesPVC): only a scheduled pod holds
 * a claim, whatever its phase. So a StatefulSet claim deleted and then its pod deleted goes away, and the set
 * makes a fresh claim for the new Pending pod (processReplica); a Completed pod keeps its claim.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';

const STS = `
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec: {clusterIP: None, selector: {app: nginx}, ports: [{port: 80, name: web}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: default}
spec:
  serviceName: nginx
  replicas: 1
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: nginx, image: nginx:1.27, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]}
  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

describe('pvc-protection: only a scheduled pod holds a claim', () => {
  it('a StatefulSet claim deleted under its pod, then the pod deleted: the claim goes, a fresh one is made, the pod runs', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(STS);
      const running = () => pg.api.get(R.pods, 'default', 'web-0')?.status?.phase === 'Running';
      assert.ok(pg.runUntil(running, 60_000));
      const oldUid = pg.api.get(R.pvcs, 'default', 'www-web-0').metadata.uid;
      pg.api.delete(R.pvcs, 'default', 'www-web-0');
      pg.advance(5_000);
      assert.ok(pg.api.get(R.pvcs, 'default', 'www-web-0').metadata.deletionTimestamp, 'held by the running pod: Terminating');
      const oldPod = pg.api.get(R.pods, 'default', 'web-0').metadata.uid;
      pg.api.delete(R.pods, 'default', 'web-0');
      assert.ok(pg.runUntil(() => {
        const pod = pg.api.list(R.pods, 'default').items.find((p) => p.metadata.name === 'web-0');
        const pvc = pg.api.list(R.pvcs, 'default').items.find((c) => c.metadata.name === 'www-web-0');
        return !!pod && pod.metadata.uid !== oldPod && pod.status?.phase === 'Running' && !!pvc && pvc.metadata.uid !== oldUid && pvc.status?.phase === 'Bound';
      }, 180_000), `web-0 should run again on a fresh claim; pods: ${JSON.stringify(pg.api.list(R.pods, 'default').items.map((p) => [p.metadata.name, p.status?.phase]))}`);
    } finally {
      pg.close();
    }
  });

  it('a Completed pod keeps its claim Terminating until the pod is deleted', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: jobdata, namespace: default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: writer, namespace: default}
spec:
  restartPolicy: Never
  containers: [{name: w, image: busybox, command: [sh, -c, "echo hi > /data/x"], volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: jobdata}}]
`);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'writer').status?.phase === 'Succeeded', 60_000));
      pg.api.delete(R.pvcs, 'default', 'jobdata');
      pg.advance(10_000);
      assert.ok(pg.api.get(R.pvcs, 'default', 'jobdata').metadata.deletionTimestamp, 'still there, Terminating');
      pg.api.delete(R.pods, 'default', 'writer');
      assert.ok(pg.runUntil(() => !pg.api.list(R.pvcs, 'default').items.some((c) => c.metadata.name === 'jobdata'), 60_000), 'gone with the pod');
    } finally {
      pg.close();
    }
  });
});
