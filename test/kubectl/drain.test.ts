/**
 * `kubectl drain` against a PodDisruptionBudget, with every real kubectl we
 * have: the disruption controller keeps the budget's status, evictions spend
 * it, and kubectl retries the eviction the budget refuses until the
 * Deployment's replacement is Ready.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { servePlayground } from './playground';
import { kubectls } from './binaries';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # Ready 5 s after it starts: a replacement cannot be Ready before kubectl's next eviction, however
      # loaded the machine is, so the budget refuses the second eviction every time.
      containers: [{name: c, image: nginx, readinessProbe: {exec: {command: ["true"]}, initialDelaySeconds: 5, periodSeconds: 1}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-pdb}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: web}}
`;

for (const k of kubectls()) {
  describe(`kubectl drain with a PodDisruptionBudget, kubectl ${k.label}`, function () {
    this.timeout(120_000);
    const { kc, dir } = servePlayground(k.path, { prefix: 'drain', nodes: 2, timeoutMs: 90_000 });

    it('shows the budget, then drains a node one eviction at a time as the budget allows', async () => {
      fs.writeFileSync(path.join(dir(), 'web.yaml'), MANIFEST);
      assert.equal((await kc(['apply', '-f', path.join(dir(), 'web.yaml')])).code, 0);
      const wait = await kc(['wait', '--for=jsonpath={.status.currentHealthy}=4', 'pdb/web-pdb', '--timeout=60s']);
      assert.equal(wait.code, 0, wait.stderr);
      const table = await kc(['get', 'pdb']);
      assert.match(table.stdout, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb-pdb\s+3\s+N\/A\s+1\s+\d+s\n$/);
      const onNode = (await kc(['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=kubeplay-worker', '-o', 'name'])).stdout.trim().split('\n').filter(Boolean);
      // Without --delete-emptydir-data kubectl refuses, as on a real cluster, when metrics-server (which keeps its
      // certificates in an emptyDir) runs on the node; elsewhere this first drain is the one that evicts.
      let drain = await kc(['drain', 'kubeplay-worker', '--ignore-daemonsets', '--timeout=80s']);
      if (/metrics-server/.test(drain.stderr)) {
        assert.equal(drain.code, 1);
        assert.match(drain.stderr, /cannot delete Pods with local storage \(use --delete-emptydir-data to override\): kube-system\/metrics-server-/);
        await kc(['uncordon', 'kubeplay-worker']);
        drain = await kc(['drain', 'kubeplay-worker', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=80s']);
      }
      assert.equal(drain.code, 0, drain.stderr);
      assert.match(drain.stdout, /node\/kubeplay-worker drained\n$/);
      if (onNode.length > 1) {
        // Only one disruption is allowed at a time: the second eviction waits for the replacement.
        assert.match(drain.stderr, /error when evicting pods\/"web-[a-z0-9-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
      }
      const left = await kc(['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=kubeplay-worker', '-o', 'name']);
      assert.equal(left.stdout, '');
      const allowed = await kc(['wait', '--for=jsonpath={.status.disruptionsAllowed}=1', 'pdb/web-pdb', '--timeout=60s']);
      assert.equal(allowed.code, 0, allowed.stderr);
    });
  });
}
