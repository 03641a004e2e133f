/**
 * The Kubernetes Basics tutorial on the playground: the bootcamp app answers with its pod and version, a
 * rolling update to v2 is seen in its answers, and the update to v10 (a tag that was never pushed) sticks in
 * ImagePullBackOff until `rollout undo`.
 */
import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { curl } from '../../../../cluster/src/kubelet/netcmds';
import { R } from '../../../../cluster/src/testing';

describe('Kubernetes Basics: the kubernetes-bootcamp app', function () {
  this.timeout(30_000);
  it('answers "Hello Kubernetes bootcamp! | Running on: <pod> | v=N", rolls to v2, and v10 fails to pull', () => {
    const pg = new KubePlayground({ seed: 5 });
    try {
      pg.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubernetes-bootcamp, namespace: default, labels: {app: kubernetes-bootcamp}}
spec:
  replicas: 2
  selector: {matchLabels: {app: kubernetes-bootcamp}}
  template:
    metadata: {labels: {app: kubernetes-bootcamp}}
    spec: {containers: [{name: kubernetes-bootcamp, image: gcr.io/google-samples/kubernetes-bootcamp:v1}]}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes-bootcamp, namespace: default}
spec: {type: NodePort, selector: {app: kubernetes-bootcamp}, ports: [{port: 8080, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec: {containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}
`);
      const pods = () => pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.labels?.app === 'kubernetes-bootcamp');
      const readyAll = (image: string) => pods().length === 2 && pods().every((p) => p.spec.containers[0].image === image && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp);
      assert.ok(pg.runUntil(() => readyAll('gcr.io/google-samples/kubernetes-bootcamp:v1') && pg.api.get(R.pods, 'default', 'client').status?.phase === 'Running', 120_000));
      const w = pg.execWorld(pg.api.get(R.pods, 'default', 'client'), 'c');
      const answer = curl(w, ['-s', 'http://kubernetes-bootcamp:8080']).stdout;
      assert.match(answer, /^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-[a-z0-9]+-[a-z0-9]{5} \| v=1\n$/);
      const log = pg.logs('default', pods()[0].metadata.name!, 'kubernetes-bootcamp');
      assert.match(log[0], /^Kubernetes Bootcamp App Started At: \d{4}-\d\d-\d\dT[\d:.]+Z \| Running On: {2}kubernetes-bootcamp-\S+ $/);

      pg.setImage(R.deployments, 'default', 'kubernetes-bootcamp', 'kubernetes-bootcamp', 'docker.io/jocatalin/kubernetes-bootcamp:v2');
      assert.ok(pg.runUntil(() => readyAll('docker.io/jocatalin/kubernetes-bootcamp:v2'), 120_000));
      assert.match(curl(w, ['-s', 'http://kubernetes-bootcamp:8080']).stdout, /\| v=2\n$/);

      pg.setImage(R.deployments, 'default', 'kubernetes-bootcamp', 'kubernetes-bootcamp', 'gcr.io/google-samples/kubernetes-bootcamp:v10');
      pg.advance(60_000);
      const stuck = pods().filter((p) => p.spec.containers[0].image.endsWith(':v10'));
      assert.ok(stuck.length >= 1);
      assert.ok(stuck.every((p) => ['ErrImagePull', 'ImagePullBackOff'].includes(p.status.containerStatuses[0].state.waiting?.reason)), JSON.stringify(stuck.map((p) => p.status.containerStatuses[0].state)));
      assert.ok(pods().some((p) => p.spec.containers[0].image.endsWith(':v2') && p.status.phase === 'Running'), 'v2 keeps serving');
    } finally {
      pg.close();
    }
  });
});
