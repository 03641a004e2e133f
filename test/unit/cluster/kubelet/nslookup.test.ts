import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { smallNslookup } from '../../../../cluster/src/kubelet/nslookup';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS } from './webfixture';

/**
 * `nslookup` in a pod against the cluster DNS model (CoreDNS's kubernetes plugin): busybox 1.36's own resolver
 * (every reply printed, names with a dot asked as typed), busybox 1.28's libc one (the documentation's pin) and
 * bind's (the DNS debugging page's dnsutils image).
 */
const MANIFESTS = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - {name: new, image: "busybox:1.36", command: [sleep, infinity]}
  - {name: old, image: "busybox:1.28", command: [sleep, infinity]}
  - {name: dns, image: "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3", command: [sleep, infinity]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec: {clusterIP: None, selector: {app: sts}, ports: [{name: web, port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: sts}}
  template:
    metadata: {labels: {app: sts}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Service
metadata: {name: alias}
spec: {type: ExternalName, externalName: web.default.svc.cluster.local}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dep}
spec:
  replicas: 1
  selector: {matchLabels: {app: dep}}
  template:
    metadata: {labels: {app: dep}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: Service
metadata: {name: hdep}
spec: {clusterIP: None, selector: {app: dep}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: cdep}
spec: {selector: {app: dep}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: none}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [8.8.8.8], searches: [example.org]}
  containers:
  - {name: new, image: "busybox:1.36", command: [sleep, infinity]}
  - {name: dns, image: "nicolaka/netshoot", command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: dflt}
spec:
  dnsPolicy: Default
  containers:
  - {name: new, image: "busybox:1.36", command: [sleep, infinity]}
  - {name: tools, image: "nicolaka/netshoot", command: [sleep, infinity]}
---
apiVersion: v1
kind: Service
metadata: {name: manual}
spec: {clusterIP: None, ports: [{port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: manual-1, labels: {kubernetes.io/service-name: manual}}
addressType: IPv4
ports: [{port: 80}]
endpoints: [{addresses: [10.4.5.6]}]
`;

describe('nslookup in a pod (busybox 1.36, busybox 1.28, bind)', () => {
  let pg: KubePlayground;
  const pod = (name: string) => pg.api.get(PODS, 'default', name) as KObject;
  const runIn = (name: string, container: string, script: string) => new ShellState(pg.execWorld(pod(name), container)).run(script);
  const run = (container: string, script: string) => runIn('client', container, script);
  const svcIP = (name: string) => pg.api.get({ group: '', version: 'v1', resource: 'services' }, 'default', name).spec.clusterIP as string;
  const head = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
  const nx = (n: string) => `** server can't find ${n}: NXDOMAIN\n\n`;
  before(() => {
    pg = new KubePlayground({ seed: 5 });
    pg.apply(MANIFESTS);
    pg.runUntil(() => false, 60_000);
  });
  after(() => pg.close());

  it('tells the two programs apart by the busybox tag', () => {
    for (const image of ['busybox:1.28', 'busybox:1.28.4', 'docker.io/library/busybox:1.27.2-uclibc', 'busybox:1.28-glibc']) assert.ok(smallNslookup(image), image);
    for (const image of ['busybox', 'busybox:1.29', 'busybox:1.36.1', 'busybox:latest', 'busybox:musl', 'alpine:3.20', 'mybusybox:1.28']) assert.ok(!smallNslookup(image), image);
  });

  it('busybox 1.36: the documentation\'s `nslookup kubernetes.default` is asked as a top-level name and fails', () => {
    assert.deepEqual(run('new', 'nslookup kubernetes.default'), { stdout: `${head}${nx('kubernetes.default')}${nx('kubernetes.default')}`, stderr: '', code: 1 });
    // The full name works: its A record, then the AAAA reply (no IPv6 here) as an empty line.
    assert.deepEqual(run('new', 'nslookup kubernetes.default.svc.cluster.local.'),
      { stdout: `${head}Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n`, stderr: '', code: 0 });
  });

  it('busybox 1.36: a headless Service answers each ready pod, a StatefulSet pod its own address', () => {
    const ips = ['web-0', 'web-1'].map((n) => pod(n).status!.podIP as string);
    const sorted = [...ips].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const r = run('new', 'nslookup nginx.default.svc.cluster.local');
    assert.equal(r.stdout, `${head}${sorted.map((ip) => `Name:\tnginx.default.svc.cluster.local\nAddress: ${ip}\n`).join('')}\n\n`);
    assert.equal(run('new', 'nslookup web-0.nginx.default.svc.cluster.local').stdout, `${head}Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: ${ips[0]}\n\n\n`);
    assert.equal(run('new', 'nslookup web-9.nginx.default.svc.cluster.local').code, 1);
  });

  it('busybox 1.36: an ExternalName Service is a CNAME, followed when its target is a cluster name', () => {
    assert.equal(run('new', 'nslookup ext.default.svc.cluster.local').stdout,
      `${head}ext.default.svc.cluster.local\tcanonical name = example.com\n\next.default.svc.cluster.local\tcanonical name = example.com\n\n`);
    assert.equal(run('new', 'nslookup alias.default.svc.cluster.local').stdout,
      `${head}alias.default.svc.cluster.local\tcanonical name = web.default.svc.cluster.local\nName:\tweb.default.svc.cluster.local\nAddress: ${svcIP('web')}\n\n\n`,
      'the AAAA reply drops the CNAME: its target has no AAAA record (backend_lookup.go)');
  });

  it('busybox 1.36: an address is a PTR question (the Service of a ClusterIP, a headless Service\'s pod)', () => {
    assert.deepEqual(run('new', 'nslookup 10.96.0.10'), { stdout: `${head}10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local\n\n`, stderr: '', code: 0 });
    const ip = pod('web-1').status!.podIP as string;
    const arpa = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
    assert.equal(run('new', `nslookup ${ip}`).stdout, `${head}${arpa}\tname = web-1.nginx.default.svc.cluster.local\n\n`);
    // The client pod is behind no Service: no name for its address.
    const own = pod('client').status!.podIP as string;
    assert.deepEqual(run('new', `nslookup ${own}`), { stdout: `${head}${nx(`${own.split('.').reverse().join('.')}.in-addr.arpa`)}`, stderr: '', code: 1 });
  });

  it('busybox 1.36: a server on the command line is asked instead; one that is not the cluster DNS never answers', () => {
    assert.equal(run('new', 'nslookup web.default.svc.cluster.local 10.96.0.10').stdout, `${head}Name:\tweb.default.svc.cluster.local\nAddress: ${svcIP('web')}\n\n\n`);
    // With a server given, busybox reads no resolv.conf: a bare name is not searched.
    assert.deepEqual(run('new', 'nslookup web 10.96.0.10'), { stdout: `${head}${nx('web')}${nx('web')}`, stderr: '', code: 1 });
    assert.deepEqual(run('new', 'nslookup web.default.svc.cluster.local 8.8.8.8'), { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 });
    assert.equal(run('new', 'nslookup -type=a web.default.svc.cluster.local').stdout, `${head}Name:\tweb.default.svc.cluster.local\nAddress: ${svcIP('web')}\n\n`, 'one type asked: one reply');
  });

  it('busybox 1.28: libc resolves through the search list, and each address shows its reverse name', () => {
    const server = 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n';
    assert.deepEqual(run('old', 'nslookup kubernetes.default'),
      { stdout: `${server}Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n`, stderr: '', code: 0 });
    assert.deepEqual(run('old', 'nslookup web'), { stdout: `${server}Name:      web\nAddress 1: ${svcIP('web')} web.default.svc.cluster.local\n`, stderr: '', code: 0 });
    const ips = ['web-0', 'web-1'].map((n) => pod(n).status!.podIP as string);
    const lines = run('old', 'nslookup nginx').stdout.split('\n').slice(3, -1);
    assert.equal(lines[0], 'Name:      nginx');
    assert.deepEqual(lines.slice(1).map((l) => l.replace(/^Address \d: /, '')).sort(), ips.map((ip, i) => `${ip} web-${i}.nginx.default.svc.cluster.local`).sort());
    assert.deepEqual(run('old', 'nslookup nosuch'), { stdout: server, stderr: "nslookup: can't resolve 'nosuch'\n", code: 1 });
    assert.deepEqual(run('old', 'nslookup ext'), { stdout: server, stderr: "nslookup: can't resolve 'ext'\n", code: 1 }, 'a CNAME to a name nobody answers');
  });

  it('bind (dnsutils): the search list, the first name that answers, and CoreDNS\'s missing RA flag said per reply', () => {
    const ra = ';; Got recursion not available from 10.96.0.10\n';
    const bindHead = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n';
    // kubernetes.default.default.svc.cluster.local fails, kubernetes.default.svc.cluster.local answers, then its AAAA.
    assert.deepEqual(run('dns', 'nslookup kubernetes.default'),
      { stdout: `${ra}${ra}${bindHead}Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n${ra}\n`, stderr: '', code: 0 });
    // Three search domains fail at the plugin, the name itself upstream (which sets RA): the name as typed is reported.
    assert.deepEqual(run('dns', 'nslookup nosuch'), { stdout: `${ra}${ra}${ra}${bindHead}** server can't find nosuch: NXDOMAIN\n\n`, stderr: '', code: 1 });
    assert.deepEqual(run('dns', 'nslookup ext'),
      { stdout: `${ra}${bindHead}ext.default.svc.cluster.local\tcanonical name = example.com.\n** server can't find example.com: NXDOMAIN\n\n`, stderr: '', code: 1 });
    assert.deepEqual(run('dns', 'nslookup 10.96.0.10'), { stdout: `${ra}10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local.\n\n`, stderr: '', code: 0 });
    // An address no Service holds falls through to the upstream server: NXDOMAIN, RA set, no header.
    const own = pod('client').status!.podIP as string;
    assert.deepEqual(run('dns', `nslookup ${own}`), { stdout: `** server can't find ${own.split('.').reverse().join('.')}.in-addr.arpa: NXDOMAIN\n\n`, stderr: '', code: 1 });
    // A server named on the command line: no RA lines.
    assert.deepEqual(run('dns', 'nslookup web 10.96.0.10'), { stdout: `${bindHead}Name:\tweb.default.svc.cluster.local\nAddress: ${svcIP('web')}\n\n`, stderr: '', code: 0 });
  });

  it('every endpoint has a name under each Service it serves, headless or not, and its address names them all', () => {
    const dep = pg.api.list(PODS, 'default').items.find((p: KObject) => p.metadata.labels?.app === 'dep') as KObject;
    const ip = dep.status!.podIP as string;
    const dashed = ip.replace(/\./g, '-');
    const arpa = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
    assert.equal(run('new', `nslookup ${ip}`).stdout,
      `${head}${arpa}\tname = ${dashed}.hdep.default.svc.cluster.local\n${arpa}\tname = ${dashed}.cdep.default.svc.cluster.local\n\n`);
    for (const svc of ['hdep', 'cdep']) {
      assert.deepEqual(run('new', `nslookup ${dashed}.${svc}.default.svc.cluster.local`),
        { stdout: `${head}Name:\t${dashed}.${svc}.default.svc.cluster.local\nAddress: ${ip}\n\n\n`, stderr: '', code: 0 }, svc);
    }
    // A hand-written EndpointSlice that does not state readiness: ready, as CoreDNS takes it.
    assert.match(run('new', 'nslookup manual.default.svc.cluster.local').stdout, /^Name:\tmanual\.default\.svc\.cluster\.local\nAddress: 10\.4\.5\.6$/m);
  });

  it('libc follows an ExternalName to a cluster name: busybox 1.28, getent and wget', () => {
    assert.match(run('old', 'nslookup alias').stdout, new RegExp(`^Name: {6}alias\nAddress 1: ${svcIP('web').replace(/\./g, '\\.')} web\.default\.svc\.cluster\.local$`, 'm'));
    // getent is glibc's (the dnsutils image is Debian's); busybox has none.
    assert.equal(run('dns', 'getent hosts alias').code, 0);
    assert.equal(run('new', 'getent hosts alias').code, 127);
  });

  it('reads the pod\'s resolv.conf and hosts file: dnsPolicy None and Default, localhost, the pod\'s own name', () => {
    // dnsPolicy None with 8.8.8.8: nobody answers in the offline playground.
    assert.deepEqual(runIn('none', 'new', 'nslookup web.default.svc.cluster.local'), { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 });
    assert.equal(runIn('none', 'dns', 'nslookup web').stdout, `${';; communications error to 8.8.8.8#53: timed out\n'.repeat(3)};; no servers could be reached\n\n`);
    // dnsPolicy Default: the node's resolver, which knows no cluster name.
    assert.deepEqual(runIn('dflt', 'new', 'nslookup web.default.svc.cluster.local'),
      { stdout: `Server:\t\t172.18.0.1\nAddress:\t172.18.0.1:53\n\n${nx('web.default.svc.cluster.local')}${nx('web.default.svc.cluster.local')}`, stderr: '', code: 1 });
    const server = 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n';
    assert.deepEqual(run('old', 'nslookup localhost'), { stdout: `${server}Name:      localhost\nAddress 1: ::1 localhost\nAddress 2: 127.0.0.1 localhost\n`, stderr: '', code: 0 });
    const own = pod('client').status!.podIP as string;
    assert.deepEqual(run('old', 'nslookup client'), { stdout: `${server}Name:      client\nAddress 1: ${own} client\n`, stderr: '', code: 0 });
  });

  it('getent, wget and nc resolve as libc: the hosts file first, then the pod\'s own resolv.conf', () => {
    // The pod's own name is in its /etc/hosts, whatever the DNS says of it.
    assert.equal(run('dns', 'getent hosts client').stdout, `${pod('client').status!.podIP}${' '.repeat(16 - String(pod('client').status!.podIP).length)}client\n`);
    assert.equal(run('dns', 'getent hosts web').stdout, `${svcIP('web')}${' '.repeat(16 - svcIP('web').length)}web.default.svc.cluster.local\n`);
    // dnsPolicy None with only 8.8.8.8 reaches nobody, and Default asks the node's resolver: no cluster name resolves.
    for (const p of ['none', 'dflt']) {
      assert.deepEqual(runIn(p, p === 'none' ? 'dns' : 'tools', 'getent hosts web.default.svc.cluster.local'), { stdout: '', stderr: '', code: 2 }, p);
      assert.equal(runIn(p, 'new', 'wget -qO- -T 1 http://web.default.svc.cluster.local').stderr, "wget: bad address 'web.default.svc.cluster.local'\n", p);
    }
    assert.equal(runIn('dflt', 'tools', 'getent hosts localhost').stdout, '127.0.0.1       localhost\n');
  });

  it('a CoreDNS pod answers as a server; a server name nobody resolves is a bad address', () => {
    const core = pg.api.list(PODS, 'kube-system').items.find((p: KObject) => p.metadata.name!.startsWith('coredns-')) as KObject;
    const ip = core.status!.podIP as string;
    assert.equal(run('new', `nslookup web.default.svc.cluster.local ${ip}`).stdout,
      `Server:\t\t${ip}\nAddress:\t${ip}:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${svcIP('web')}\n\n\n`);
    assert.deepEqual(run('new', 'nslookup web nosuchserver'), { stdout: '', stderr: "nslookup: bad address 'nosuchserver'\n", code: 1 });
    assert.deepEqual(run('dns', 'nslookup web nosuchserver'), { stdout: '', stderr: "nslookup: couldn't get address for 'nosuchserver': not found\n", code: 1 });
    // busybox 1.28 shows the server as an address, whatever name it was given by.
    assert.match(run('old', 'nslookup web kube-dns.kube-system').stdout, /^Server: {4}10\.96\.0\.10\n/);
  });

  it('bind: an empty reply is "No answer"; an address under any -type is still a PTR question, with a header', () => {
    const ra = ';; Got recursion not available from 10.96.0.10\n';
    const bindHead = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n';
    assert.deepEqual(run('dns', 'nslookup -type=aaaa web'), { stdout: `${ra}${bindHead}*** Can't find web: No answer\n\n`, stderr: '', code: 0 });
    // `default` is found as default.svc.cluster.local (the namespace): a name with no records at all.
    assert.deepEqual(run('dns', 'nslookup default'), { stdout: `${ra}${ra}${bindHead}${ra}*** Can't find default.svc.cluster.local: No answer\n\n`, stderr: '', code: 0 });
    assert.deepEqual(run('dns', 'nslookup -type=a 10.96.0.1'), { stdout: `${ra}${bindHead}1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n\n`, stderr: '', code: 0 });
  });

  // Last: it takes CoreDNS away.
  it('with no CoreDNS endpoint, kube-proxy refuses the queries: busybox says so on stderr, bind per try', () => {
    pg.scale({ group: 'apps', version: 'v1', resource: 'deployments' }, 'kube-system', 'coredns', 0);
    pg.runUntil(() => !pg.dnsServing(), 60_000);
    pg.advance(5_000);
    assert.deepEqual(run('new', 'nslookup web.default.svc.cluster.local'),
      { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: "nslookup: write to '10.96.0.10': Connection refused\n", code: 1 });
    assert.equal(run('dns', 'nslookup web').stdout, `${';; communications error to 10.96.0.10#53: connection refused\n'.repeat(3)};; no servers could be reached\n\n`);
    assert.deepEqual(run('old', 'nslookup web'), { stdout: 'Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n', stderr: "nslookup: can't resolve 'web'\n", code: 1 });
  });
});
