/**
 * What the kubelet writes about a pod's own name: /etc/hosts, /etc/hostname,
 * `hostname` and $HOSTNAME, checked against kubelet_pods.go and the docs' tasks.
 */
import * as assert from 'node:assert/strict';
import type { KObject } from '../../../../cluster/src/contract';
import { execCommand } from '../../../../cluster/src/kubelet/exec';
import { containerEnv, type ExecWorld } from '../../../../cluster/src/kubelet/execenv';
import { sandboxConfigError } from '../../../../cluster/src/kubelet/hostname';
import { KubePlayground } from '../../../../cluster/src/playground';

function world(name: string, spec: any = {}, namespace = 'default'): ExecWorld {
  const pod: KObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, uid: `u-${name}` },
    spec: { nodeName: 'kubeplay-worker3', containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
    // A host-network pod's IP is its node's.
    status: { phase: 'Running', podIP: spec.hostNetwork ? '172.18.0.5' : '10.244.3.4', hostIP: '172.18.0.5' },
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

  it('a host-network pod is named as its node and gets the node\'s hosts file behind the host-network header', () => {
    const w = world('hn', { hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote'] }] });
    assert.equal(sh(w, 'hostname; hostname -f; hostname -i; echo $HOSTNAME; cat /etc/hostname'), 'kubeplay-worker3\nkubeplay-worker3\n172.18.0.5\nkubeplay-worker3\nkubeplay-worker3\n');
    assert.equal(new Map(containerEnv(w)).get('HOSTNAME'), 'kubeplay-worker3');
    // ensureHostsFile's nodeHostsFileContent: the header, Docker's file for the node container, then the aliases.
    assert.equal(sh(w, 'cat /etc/hosts'), [
      '# Kubernetes-managed hosts file (host network).', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet', 'ff00::0\tip6-mcastprefix', 'ff02::1\tip6-allnodes', 'ff02::2\tip6-allrouters', '172.18.0.5\tkubeplay-worker3',
      '', '# Entries added by HostAliases.', '10.1.2.3\tfoo.remote', '',
    ].join('\n'));
    assert.match(sh(w, 'uname -a'), /^Linux kubeplay-worker3 /);
  });

  it('setHostnameAsFQDN: the kernel hostname, $HOSTNAME and /etc/hostname are the FQDN (the docs\' example)', () => {
    const w = world('fq', { hostname: 'fq', subdomain: 'sub', setHostnameAsFQDN: true }, 'other');
    const fqdn = 'fq.sub.other.svc.cluster.local';
    assert.equal(sh(w, 'hostname; echo $HOSTNAME; cat /etc/hostname; hostname -f; hostname -s; hostname -d'), `${fqdn}\n${fqdn}\n${fqdn}\n${fqdn}\nfq\nsub.other.svc.cluster.local\n`);
    assert.match(sh(w, 'cat /etc/hosts'), /^10\.244\.3\.4\tfq\.sub\.other\.svc\.cluster\.local\tfq$/m);
    // Without a subdomain there is no domain to add: the short name stays.
    assert.equal(sh(world('fq', { setHostnameAsFQDN: true }), 'hostname'), 'fq\n');
    assert.equal(sh(world('fq', { hostname: 'fq', subdomain: 'sub' }, 'other'), 'hostname; hostname -f'), `fq\n${fqdn}\n`);
  });

  it('an FQDN over 64 characters gets no sandbox: FailedCreatePodSandBox, retried, and the pod stays ContainerCreating', () => {
    const spec = { hostname: 'h'.repeat(40), subdomain: 's'.repeat(30), setHostnameAsFQDN: true };
    const fqdn = `${'h'.repeat(40)}.${'s'.repeat(30)}.default.svc.cluster.local`;
    const why = `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, 97 characters requested)`;
    assert.equal(sandboxConfigError(world('v13', spec).pod), why);
    assert.equal(sandboxConfigError(world('v13', { ...spec, setHostnameAsFQDN: false }).pod), undefined);
    const pg = new KubePlayground({ seed: 7, nodes: 1 });
    try {
      pg.advance(5_000);
      const PODS = { group: '', version: 'v1', resource: 'pods' };
      pg.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'v13' }, spec: { ...spec, containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KObject);
      pg.advance(60_000);
      const p = pg.api.get(PODS, 'default', 'v13');
      assert.equal(p.status!.phase, 'Pending');
      assert.deepEqual(p.status!.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
      assert.equal(p.status!.podIP, undefined);
      const events = (pg.api.list({ group: '', version: 'v1', resource: 'events' }, 'default').items as KObject[]).filter((e) => e.involvedObject.name === 'v13');
      const failed = events.filter((e) => e.reason === 'FailedCreatePodSandBox');
      assert.deepEqual(failed.map((e) => [e.type, e.message]), [['Warning', `Failed to create pod sandbox: ${why}`]]);
      // Tried at once, then every 10-15 s: 4 to 7 tries in a minute, counted on one Event.
      assert.ok(failed[0].count >= 4 && failed[0].count <= 7, `count ${failed[0].count}`);
      assert.deepEqual(events.map((e) => e.reason).filter((r) => r !== 'FailedCreatePodSandBox'), ['Scheduled']);
    } finally {
      pg.close();
    }
  });

  it('a pod name over 63 characters is cut to 63, and a trailing dash dropped, wherever the hostname shows', () => {
    const name = `${'a'.repeat(62)}-bcdefgh`;
    const w = world(name);
    const short = 'a'.repeat(62);
    assert.equal(sh(w, 'hostname; echo $HOSTNAME; cat /etc/hostname; tail -1 /etc/hosts'), `${short}\n${short}\n${short}\n10.244.3.4\t${short}\n`);
    // spec.hostname is cut the same way before the subdomain is added.
    assert.match(sh(world(name, { subdomain: 'sub' }), 'tail -1 /etc/hosts'), new RegExp(`^10\\.244\\.3\\.4\\t${short}\\.sub\\.default\\.svc\\.cluster\\.local\\t${short}\\n$`));
  });
});
