/**
 * Priority and preemption seen through every real kubectl we have: a
 * PriorityClass, a full node, and a high-priority pod that evicts the
 * least important pods, waits nominated to the node, then runs there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { servePlayground } from './playground';
import { kubectls } from './binaries';

const FILL = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high-priority}
value: 1000000
description: for the pods that matter
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: filler}
spec:
  replicas: 3
  selector: {matchLabels: {app: filler}}
  template:
    metadata: {labels: {app: filler}}
    spec:
      containers: [{name: c, image: nginx, resources: {requests: {cpu: "1"}}}]
`;
const VIP = `apiVersion: v1
kind: Pod
metadata: {name: vip}
spec:
  priorityClassName: high-priority
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "2"}}}]
`;

for (const k of kubectls()) {
  describe(`priority and preemption, kubectl ${k.label}`, function () {
    this.timeout(90_000);
    const { kc, dir } = servePlayground(k.path, { prefix: 'preempt', nodes: 1, timeoutMs: 60_000 });

    it('evicts lower-priority pods for a pod that fits nowhere, and runs it on the freed node', async () => {
      fs.writeFileSync(path.join(dir(), 'fill.yaml'), FILL);
      fs.writeFileSync(path.join(dir(), 'vip.yaml'), VIP);
      assert.equal((await kc(['apply', '-f', path.join(dir(), 'fill.yaml')])).code, 0);
      assert.equal((await kc(['rollout', 'status', 'deployment/filler', '--timeout=60s'])).code, 0);
      const pc = await kc(['get', 'priorityclass', 'high-priority', '-o', 'jsonpath={.value} {.preemptionPolicy}']);
      assert.equal(pc.stdout, '1000000 PreemptLowerPriority');
      assert.equal((await kc(['apply', '-f', path.join(dir(), 'vip.yaml')])).code, 0);
      const wait = await kc(['wait', '--for=condition=Ready', 'pod/vip', '--timeout=60s']);
      assert.equal(wait.code, 0, wait.stderr);
      const vip = JSON.parse((await kc(['get', 'pod', 'vip', '-o', 'json'])).stdout);
      assert.deepEqual([vip.spec.priority, vip.spec.nodeName, vip.status.nominatedNodeName], [1000000, 'kubeplay-worker', 'kubeplay-worker']);
      const events = (await kc(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'jsonpath={range .items[*]}{.reportingComponent} {.action} {.related.name} {.message}{"\\n"}{end}'])).stdout.trim().split('\n');
      // A 4-CPU node with CoreDNS and three 1-CPU pods: freeing 2 CPUs takes two of them.
      assert.equal(events.length, 2, events.join('\n'));
      // kube-scheduler writes through events.k8s.io/v1: the preemptor is the event's `related` object.
      for (const e of events) assert.equal(e, `default-scheduler Preempting vip Preempted by pod ${vip.metadata.uid} on node kubeplay-worker`);
      const failed = (await kc(['get', 'events', '--field-selector', 'involvedObject.name=vip,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}'])).stdout;
      // The worker lacks CPU; kind's control-plane node is tainted for user pods.
      assert.equal(failed, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s).');
    });
  });
}
