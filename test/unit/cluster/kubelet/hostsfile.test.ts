/**
 * What the kubelet writes about a pod's own name: /etc/hosts, /etc/hostname,
 * `hostname` and $HOSTNAME, checked against kubelet_pods.go and the docs' tasks.
 */
import * as assert from 'node:assert/strict';
import type { KObject } from '../../../../cluster/src/contract';
import { execCommand } from '../../../../cluster/src/kubelet/exec';
import { containerEnv, type ExecWorld } from '../../../../cluster/src/kubelet/execenv';

function world(name: string, spec: any = {}, namespace = 'default'): ExecWorld {
  const pod: KObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, uid: `u-${name}` },
    spec: { nodeName: 'kubeplay-worker3', containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
    status: { phase: 'Running', podIP: '10.244.3.4', hostIP: '172.18.0.5' },
  };
  return {
    pod, container: 'c', now: () => Date.UTC(2026, 0, 1), lookup: () => [], route: () => undefined, podByIP: () => undefined,
    services: () => [], configMap: () => undefined, secret: () => undefined,
  };
}

const sh = (w: ExecWorld, cmd: string) => execCommand(w, ['sh', '-c', cmd]).stdout;

describe('the kubelet-managed /etc/hosts and hostname', () => {
  it('writes the HostAliases header once, then one line per alias (the docs\' hostaliases-pod)', () => {
    const w = world('hostaliases-pod', {
      hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }],
    });
    assert.equal(sh(w, 'cat /etc/hosts'), [
      '# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters',
      '10.244.3.4\thostaliases-pod', '', '# Entries added by HostAliases.', '127.0.0.1\tfoo.local\tbar.local', '10.1.2.3\tfoo.remote\tbar.remote', '',
    ].join('\n'));
    assert.doesNotMatch(sh(world('plain'), 'cat /etc/hosts'), /HostAliases/);
  });
});
