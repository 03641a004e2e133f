/**
 * What `kubectl describe node` reads from a kind v1.34 node, field by field: the Lease section, ProviderID, the
 * System Info identifiers and the annotations kubeadm leaves.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import { bootId, dashed } from '../../../../cluster/src/kubelet/nodes';
import type { KubePlayground } from '../../../../cluster/src/playground';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('kubectl describe node: the fields a kind v1.34 node shows', () => {
  let pg: KubePlayground;
  before(() => { pg = newTestPlayground({ nodes: 2 }); });
  after(() => pg.close());
  const node = (name: string) => pg.api.get(R.nodes, undefined, name);
  const NAMES = ['kubeplay-control-plane', 'kubeplay-worker', 'kubeplay-worker2'];

  it("the kubelet's node Lease has holderIdentity, leaseDurationSeconds and renewTime but no acquireTime (AcquireTime: <unset>)", () => {
    for (const name of NAMES) {
      const lease = pg.api.get(LEASES, 'kube-node-lease', name);
      assert.deepStrictEqual(Object.keys(lease.spec).sort(), ['holderIdentity', 'leaseDurationSeconds', 'renewTime'], name);
      assert.strictEqual(lease.spec.holderIdentity, name);
      const before = lease.spec.renewTime;
      pg.advance(10_000);
      const renewed = pg.api.get(LEASES, 'kube-node-lease', name);
      assert.notStrictEqual(renewed.spec.renewTime, before);
      assert.strictEqual(renewed.spec.acquireTime, undefined, `${name}: a renewal sets no acquireTime either`);
    }
  });

  it("spec.providerID is kind's kind://docker/<cluster>/<node>", () => {
    for (const name of NAMES) assert.strictEqual(node(name).spec.providerID, `kind://docker/kubeplay/${name}`);
  });

  it("System Info: kind v0.30's containerd 2.1.4 as the container runtime, and no kube-proxy version (DisableNodeKubeProxyVersion)", () => {
    for (const name of NAMES) {
      const info = node(name).status.nodeInfo;
      assert.strictEqual(info.containerRuntimeVersion, 'containerd://2.1.4', name);
      assert.strictEqual(info.kubeProxyVersion, '', name);
    }
  });

  it('System Info: a 32-hex machine ID, a UUID-shaped system UUID and a version-4 boot ID, each its own per node', () => {
    const seen = new Set<string>();
    for (const name of NAMES) {
      const info = node(name).status.nodeInfo;
      assert.match(info.machineID, /^[0-9a-f]{32}$/, name);
      assert.match(info.systemUUID, UUID, name);
      assert.match(info.bootID, UUID_V4, name);
      for (const id of [info.machineID, info.systemUUID, info.bootID]) { assert.ok(!seen.has(id), id); seen.add(id); }
    }
    assert.strictEqual(dashed('0123456789abcdef0123456789abcdef'), '01234567-89ab-cdef-0123-456789abcdef');
    assert.strictEqual(bootId('0123456789abcdef0123456789abcdef'), '01234567-89ab-4def-8123-456789abcdef');
    assert.strictEqual(bootId('ffffffffffffffffffffffffffffffff'), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  });

  it('no node carries kubeadm.alpha.kubernetes.io/cri-socket (kubeadm 1.34 NodeLocalCRISocket); the kubelet and node-controller annotations stay', () => {
    for (const name of NAMES) {
      assert.deepStrictEqual(node(name).metadata.annotations, {
        'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      }, name);
    }
  });
});
