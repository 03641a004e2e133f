/**
 * A node whose kubelet stopped (the playground's "fail node"): the apiserver forwards exec, logs and port-forward to
 * the kubelet on the node's port 10250, where nothing answers, so real kubectl prints what it prints against a real
 * cluster with a dead kubelet. Once the kubelet recovers, they work again.
 */
import * as assert from 'node:assert/strict';
import { servePlayground } from './playground';
import { kubectls } from './binaries';

for (const k of kubectls()) {
  describe(`exec and logs on a node whose kubelet stopped, kubectl ${k.label}`, function () {
    this.timeout(120_000);
    const { kc } = servePlayground(k.path, { prefix: 'kubeletdown', nodes: 1, timeoutMs: 60_000 });

    it('says the apiserver could not dial the kubelet, in the apiserver\'s words, until the kubelet recovers', async () => {
      assert.equal((await kc(['run', 'box', '--image=busybox', '--', 'sh', '-c', 'echo hello; sleep 3600'])).code, 0);
      const ready = await kc(['wait', '--for=condition=Ready', 'pod/box', '--timeout=60s']);
      assert.equal(ready.code, 0, ready.stderr);
      const node = (await kc(['get', 'pod', 'box', '-o', 'jsonpath={.spec.nodeName}'])).stdout.trim();
      const ip = (await kc(['get', 'node', node, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}'])).stdout.trim();
      assert.match(ip, /^172\.18\.0\.\d+$/);

      const fail = await kc(['create', '--raw', `/kubeplay/v1/nodes/${node}/fail`, '-f', '/dev/null']);
      assert.equal(fail.code, 0, fail.stderr);
      const exec = await kc(['exec', 'box', '--', 'hostname']);
      assert.equal(exec.code, 1);
      assert.equal(exec.stderr.trim(), `Error from server: error dialing backend: dial tcp ${ip}:10250: connect: connection refused`);
      const logs = await kc(['logs', 'box', '--tail=1']);
      assert.equal(logs.code, 1);
      assert.equal(logs.stderr.trim(), `Error from server: Get "https://${ip}:10250/containerLogs/default/box/box?tailLines=1": dial tcp ${ip}:10250: connect: connection refused`);

      const recover = await kc(['create', '--raw', `/kubeplay/v1/nodes/${node}/recover`, '-f', '/dev/null']);
      assert.equal(recover.code, 0, recover.stderr);
      const again = await kc(['exec', 'box', '--', 'hostname']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, 'box\n');
      assert.equal((await kc(['logs', 'box', '--tail=1'])).stdout, 'hello\n');
    });
  });
}
