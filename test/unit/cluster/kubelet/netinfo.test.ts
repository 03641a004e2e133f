import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS } from './webfixture';

/**
 * busybox's `ip`, `ifconfig`, `route`, `netstat` and `nc` in a pod: the containers of a pod share one network
 * namespace (one eth0 with the pod's IP, one set of listening sockets), not one PID namespace.
 */
const MANIFESTS = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  # The Alpine build: its busybox has ip and netstat (the Debian one has neither iproute2 nor net-tools).
  - {name: web, image: "nginx:1.27-alpine"}
  - {name: side, image: "busybox:1.36", command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: redis}
spec:
  securityContext: {runAsUser: 999}
  containers:
  - {name: redis, image: "redis:7"}
  - {name: probe, image: "busybox:1.36", command: [sleep, infinity], securityContext: {runAsUser: 1000}}
---
apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  shareProcessNamespace: true
  containers:
  - {name: web, image: "nginx:1.27-alpine"}
  - {name: files, image: "busybox:1.36", command: [httpd, -f, -p, "8080"], securityContext: {runAsUser: 1000}}
  - {name: shell, image: "busybox:1.36", command: [sleep, infinity], securityContext: {runAsUser: 2000}}
---
apiVersion: v1
kind: Pod
metadata: {name: ncserver}
spec:
  containers:
  - {name: lk, image: "busybox:1.36", command: [nc, -lk, -p, "8080", -e, echo, hi]}
  - {name: l, image: "busybox:1.36", command: [sh, -c, "nc -l -p 9000"]}
---
apiVersion: v1
kind: Pod
metadata: {name: admin}
spec:
  initContainers:
  - {name: addr, image: "busybox:1.36", command: [sh, -c, "ip -4 addr show eth0; route -n | tail -1"]}
  containers:
  - name: c
    image: "busybox:1.36"
    command: [sh, -c, "ip route add 192.168.50.0/24 via 10.244.1.1 && sleep 3600"]
    securityContext: {capabilities: {add: [NET_ADMIN]}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: named}
spec: {selector: {app: web}, ports: [{name: http, port: 80}, {name: https, port: 443, targetPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: hl}
spec: {clusterIP: None, selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec: {selector: {app: none}, ports: [{port: 80}]}
`;

describe('network commands in a pod (ip, ifconfig, route, netstat, nc)', () => {
  let pg: KubePlayground;
  const pod = (name: string) => pg.api.get(PODS, 'default', name) as KObject;
  const run = (name: string, container: string, script: string, stdin?: string) => new ShellState(pg.execWorld(pod(name), container)).run(script, stdin);
  before(() => {
    pg = new KubePlayground({ seed: 5 });
    pg.apply(MANIFESTS);
    pg.runUntil(() => false, 30_000);
  });
  after(() => pg.close());

  it('ip addr: lo and the veth eth0 with the pod IP from the node\'s /24, as busybox prints them', () => {
    const ip = pod('web').status!.podIP as string;
    const out = run('web', 'side', 'ip a');
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.split('\n');
    assert.equal(lines[0], '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000');
    assert.equal(lines[4], '    inet6 ::1/128 scope host ', 'an inet6 line ends with a blank: it has no label');
    // busybox cannot see the host-side peer, so it calls it down (M-DOWN); the glibc build prints no `state`.
    assert.match(lines[6], /^2: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue qlen 1000$/);
    assert.match(lines[7], /^ {4}link\/ether ([0-9a-f]{2}:){5}[0-9a-f]{2} brd ff:ff:ff:ff:ff:ff$/);
    const net = ip.split('.').slice(0, 3).join('.');
    assert.equal(lines[8], `    inet ${ip}/24 brd ${net}.255 scope global eth0`);
    assert.equal(lines[9], '       valid_lft forever preferred_lft forever');
    // The link-local address is the MAC's EUI-64.
    const mac = /link\/ether (\S+)/.exec(lines[7])![1].split(':').map((x) => parseInt(x, 16));
    const eui = [((mac[0] ^ 2) << 8) | mac[1], (mac[2] << 8) | 0xff, 0xfe00 | mac[3], (mac[4] << 8) | mac[5]].map((g) => g.toString(16)).join(':');
    assert.equal(lines[10], `    inet6 fe80::${eui}/64 scope link `);
    // Every container of the pod sees the same interface, MAC and all.
    assert.equal(run('web', 'web', 'ip a').stdout, out.stdout);
    assert.equal(run('web', 'side', 'ip -4 addr show eth0').stdout, [lines[6], lines[8], lines[9], ''].join('\n'));
    assert.deepEqual(run('web', 'side', 'ip addr show eth1'), { stdout: '', stderr: "ip: can't find device 'eth1'\n", code: 1 });
    assert.equal(run('web', 'side', 'ip -br a').code, 1, 'busybox ip has no -br');
  });

  it('ip route and route -n: the ptp plugin\'s default route and /24 through the .1 gateway', () => {
    const ip = pod('web').status!.podIP as string;
    const net = ip.split('.').slice(0, 3).join('.');
    assert.equal(run('web', 'side', 'ip r').stdout,
      `default via ${net}.1 dev eth0 \n${net}.0/24 via ${net}.1 dev eth0  src ${ip} \n${net}.1 dev eth0 scope link  src ${ip} \n`);
    const table = run('web', 'side', 'route -n').stdout.split('\n');
    assert.equal(table[1], 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface');
    assert.equal(table[2], `0.0.0.0         ${`${net}.1`.padEnd(16)}0.0.0.0         UG    0      0        0 eth0`);
    assert.match(run('web', 'side', 'ip route add 1.2.3.4 dev eth0').stderr, /Operation not permitted/);
    assert.equal(run('web', 'side', 'ip r s table local').stdout, `local ${ip} dev eth0 scope host  src ${ip} \nbroadcast ${net}.255 dev eth0 scope link  src ${ip} \n`
      + 'local 127.0.0.0/8 dev lo scope host  src 127.0.0.1 \nlocal 127.0.0.1 dev lo scope host  src 127.0.0.1 \nbroadcast 127.255.255.255 dev lo scope link  src 127.0.0.1 \n');
    assert.equal(run('web', 'side', 'ip route show dev lo').stdout, '');
  });

  it('ifconfig: eth0 before lo, the MAC in capitals, the counters at 0', () => {
    const ip = pod('web').status!.podIP as string;
    const out = run('web', 'side', 'ifconfig').stdout;
    const blocks = out.split('\n\n');
    assert.match(blocks[0], /^eth0 {6}Link encap:Ethernet  HWaddr ([0-9A-F]{2}:){5}[0-9A-F]{2}  \n/);
    assert.ok(blocks[0].includes(`          inet addr:${ip}  Bcast:${ip.replace(/\.\d+$/, '.255')}  Mask:255.255.255.0\n`), blocks[0]);
    assert.ok(blocks[0].includes('          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n'));
    assert.ok(blocks[0].includes('          collisions:0 txqueuelen:1000 \n'));
    assert.match(blocks[1], /^lo {8}Link encap:Local Loopback  \n {10}inet addr:127\.0\.0\.1  Mask:255\.0\.0\.0\n/);
    assert.ok(out.endsWith('RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n\n'));
    assert.match(run('web', 'side', 'ifconfig eth1').stderr, /^ifconfig: eth1: error fetching interface information: Device not found\n$/);
  });

  it('netstat -tlnp: the other container\'s sockets are listed (one network namespace), its program is not (another PID namespace)', () => {
    const header = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       ';
    const fromSide = run('web', 'side', 'netstat -tln');
    assert.equal(fromSide.stdout, [
      'Active Internet connections (only servers)',
      header,
      // nginx's image listens on 80 for IPv4 and, added at its start, for IPv6.
      'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      ',
      'tcp        0      0 :::80                   :::*                    LISTEN      ',
      '',
    ].join('\n'));
    const withP = run('web', 'side', 'netstat -tlnp').stdout.split('\n');
    assert.equal(withP[1], header + 'PID/Program name    ');
    assert.ok(withP[2].endsWith('LISTEN      -'), withP[2]);
    // From nginx's own container the master holds them: its retitled argv cut to 19 characters.
    const own = run('web', 'web', 'netstat -tlnp').stdout.split('\n');
    assert.ok(own[2].endsWith('LISTEN      1/nginx: master pro'), own[2]);
    // A plain netstat shows connections only; -a adds the servers and the UNIX section.
    assert.equal(run('web', 'side', 'netstat -tn').stdout, 'Active Internet connections (w/o servers)\n' + header + '\n');
    assert.ok(run('web', 'side', 'netstat -a').stdout.includes('Active UNIX domain sockets (servers and established)\nProto RefCnt Flags       Type       State         I-Node Path\n'));
  });

  it('netstat -p as another user: busybox complains only when the namespace has processes of other users', () => {
    // The probe container is user 1000 alone in its PID namespace: every process there is readable, nothing to say.
    const alone = run('redis', 'probe', 'netstat -tlnp');
    assert.equal(alone.stderr, '');
    // redis listens on both families; its process is in another PID namespace.
    assert.ok(alone.stdout.includes('tcp        0      0 0.0.0.0:6379            0.0.0.0:*               LISTEN      -\n'), alone.stdout);
    assert.ok(alone.stdout.includes('tcp        0      0 :::6379                 :::*                    LISTEN      -\n'), alone.stdout);
    // In a shared namespace with /pause (65535) and nginx (root): user 2000 owns no socket, user 1000 owns httpd's.
    assert.equal(run('shared', 'shell', 'netstat -tnp').stderr, "netstat: can't scan /proc - are you root?\n", 'said even with no rows');
    const owner = run('shared', 'files', 'netstat -tlnp');
    assert.equal(owner.stderr, 'netstat: showing only processes with your user ID\n');
    assert.match(owner.stdout, /:::8080 +:::\* +LISTEN {6}\d+\/httpd\n/);
    assert.match(owner.stdout, /0\.0\.0\.0:80 +0\.0\.0\.0:\* +LISTEN {6}-\n/, 'nginx is root\'s');
    // Root without CAP_SYS_PTRACE sees its own user's processes only (nginx's master), silently.
    const root = run('shared', 'web', 'netstat -tlnp');
    assert.equal(root.stderr, '');
    assert.match(root.stdout, /0\.0\.0\.0:80 .* LISTEN {6}\d+\/nginx: master pro\n/);
    assert.match(root.stdout, /:::8080 .* LISTEN {6}-\n/);
  });

  it('nc -l and nc -e as a container\'s command stay servers; a NET_ADMIN script runs; eth0 is there from the start', () => {
    for (const c of pod('ncserver').status!.containerStatuses) assert.ok(c.state.running && c.restartCount === 0, JSON.stringify(c));
    assert.equal(run('web', 'side', `nc -zv ${pod('ncserver').status!.podIP} 8080`).stderr, `${pod('ncserver').status!.podIP} (${pod('ncserver').status!.podIP}:8080) open\n`);
    assert.equal(run('web', 'side', `nc -z ${pod('ncserver').status!.podIP} 9000`).code, 0);
    const admin = pod('admin');
    assert.ok(admin.status!.containerStatuses[0].state.running && admin.status!.containerStatuses[0].restartCount === 0, JSON.stringify(admin.status!.containerStatuses));
    // The init container ran before any status write named the pod's IP: its eth0 had it all the same.
    const log = pg.logs('default', 'admin', 'addr').join('\n');
    assert.ok(log.includes(`    inet ${admin.status!.podIP}/24 brd `), log);
    assert.match(log, /^\d+\.\d+\.\d+\.1 +0\.0\.0\.0 +255\.255\.255\.255 UH /m);
    // Without NET_ADMIN the kernel refuses; with it the change is accepted (and not modelled).
    assert.deepEqual(run('web', 'side', 'ip route add 1.2.3.0/24 via 10.244.1.1'), { stdout: '', stderr: 'ip: RTNETLINK answers: Operation not permitted\n', code: 2 });
    assert.equal(run('admin', 'c', 'ip route add 1.2.3.0/24 via 10.244.1.1').code, 0);
  });

  it('ip takes keywords abbreviated as busybox does, and words them as busybox does', () => {
    const ip = pod('web').status!.podIP as string;
    const gw = ip.replace(/\.\d+$/, '.1');
    assert.equal(run('web', 'side', 'ip r g 10.96.0.1').stdout, `10.96.0.1 via ${gw} dev eth0  src ${ip} \n`);
    assert.equal(run('web', 'side', `ip ro get ${gw}`).stdout, `${gw} dev eth0  src ${ip} \n`, 'the gateway is on the link');
    assert.deepEqual(run('web', 'side', 'ip n s'), { stdout: '', stderr: '', code: 0 });
    assert.equal(run('web', 'side', 'ip -4 a s eth0').stdout, run('web', 'side', 'ip --family inet address show dev eth0').stdout);
    assert.equal(run('web', 'side', 'ip -on a').stdout.split('\n')[0], '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever');
    assert.deepEqual(run('web', 'side', 'ip a l'), { stdout: '', stderr: "ip: invalid argument 'l' to 'ip'\n", code: 1 }, 'l is list or lst');
    assert.deepEqual(run('web', 'side', 'ip addr eth0'), { stdout: '', stderr: "ip: invalid argument 'eth0' to 'ip'\n", code: 1 });
    assert.equal(run('web', 'side', 'ip link show eth9').code, 2);
    assert.equal(run('web', 'side', 'ip r get').stderr, 'ip: need at least destination address\n');
  });

  it('nc -z scans: open with -v, refusals only at -vv, names as typed, bad addresses and ports', () => {
    const svc = (pg.api.get({ group: '', version: 'v1', resource: 'services' }, 'default', 'web') as KObject).spec!.clusterIP;
    // From the pod named web, `web` is the pod itself: libc reads the kubelet's /etc/hosts first, which names it.
    const own = (pg.api.get({ group: '', version: 'v1', resource: 'pods' }, 'default', 'web') as KObject).status!.podIP;
    assert.deepEqual(run('web', 'side', 'nc -zv web 80'), { stdout: '', stderr: `web (${own}:80) open\n`, code: 0 });
    assert.deepEqual(run('web', 'side', 'nc -zv web.default 80'), { stdout: '', stderr: `web.default (${svc}:80) open\n`, code: 0 });
    assert.deepEqual(run('web', 'side', 'nc -z web 80'), { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(run('web', 'side', 'nc -zv localhost 80'), { stdout: '', stderr: 'localhost (127.0.0.1:80) open\n', code: 0 });
    // One -v does not print a refusal (nc_bloaty: "if we're scanning at a one -v verbosity level").
    assert.deepEqual(run('web', 'side', 'nc -zv localhost 81'), { stdout: '', stderr: '', code: 1 });
    assert.deepEqual(run('web', 'side', 'nc -zvv localhost 81'), { stdout: '', stderr: 'nc: localhost (127.0.0.1:81): Connection refused\nsent 0, rcvd 0\n', code: 1 });
    // A Service with no endpoints: kube-proxy rejects the connection.
    assert.deepEqual(run('web', 'side', 'nc -zv nobody 80'), { stdout: '', stderr: '', code: 1 });
    // -n spares reverse lookups only: the name still resolves. An address out of range is no address.
    assert.equal(run('web', 'side', 'nc -nz web 80').code, 0);
    assert.deepEqual(run('web', 'side', 'nc -z 256.1.1.1 80'), { stdout: '', stderr: "nc: bad address '256.1.1.1'\n", code: 1 });
    assert.deepEqual(run('web', 'side', 'nc -zv nosuch 80'), { stdout: '', stderr: "nc: bad address 'nosuch'\n", code: 1 });
    assert.deepEqual(run('web', 'side', 'nc -zv web http'), { stdout: '', stderr: "nc: bad port 'http'\n", code: 1 });
    assert.match(run('web', 'side', 'nc').stderr, /^BusyBox v1\.36\.1 \(2023-05-18 22:34:17 UTC\) multi-call binary\.\n\nUsage: nc \[OPTIONS\] HOST PORT {2}- connect\n/);
    // The init container's idiom: wait until the port opens.
    assert.equal(run('web', 'side', 'until nc -z web 80; do sleep 1; done; echo up').stdout, 'up\n');
  });

  it('nslookup -type=srv: CoreDNS\'s SRV records as busybox prints them, names with a dot asked as typed', () => {
    const head = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
    assert.deepEqual(run('web', 'side', 'nslookup -type=srv _http._tcp.named.default.svc.cluster.local'),
      { stdout: `${head}_http._tcp.named.default.svc.cluster.local\tservice = 0 100 80 named.default.svc.cluster.local\n\n`, stderr: '', code: 0 });
    // The Service's name alone: every port, the weight shared.
    assert.equal(run('web', 'side', 'nslookup -q=SRV named.default.svc.cluster.local').stdout,
      `${head}named.default.svc.cluster.local\tservice = 0 50 80 named.default.svc.cluster.local\nnamed.default.svc.cluster.local\tservice = 0 50 443 named.default.svc.cluster.local\n\n`);
    // A headless Service: one record per ready endpoint, named by its dashed address (the pod sets no hostname).
    const ip = pod('web').status!.podIP as string;
    assert.equal(run('web', 'side', 'nslookup -type=srv _http._tcp.hl.default.svc.cluster.local').stdout,
      `${head}_http._tcp.hl.default.svc.cluster.local\tservice = 0 100 80 ${ip.replace(/\./g, '-')}.hl.default.svc.cluster.local\n\n`);
    // busybox ignores ndots: a name with a dot is not searched.
    assert.deepEqual(run('web', 'side', 'nslookup -type=srv _http._tcp.named'), { stdout: `${head}** server can't find _http._tcp.named: NXDOMAIN\n\n`, stderr: '', code: 1 });
    // A bare name is asked in every search domain, and each answer is printed.
    const bare = run('web', 'side', 'nslookup -type=srv named');
    assert.equal(bare.code, 1);
    assert.equal(bare.stdout, `${head}named.default.svc.cluster.local\tservice = 0 50 80 named.default.svc.cluster.local\nnamed.default.svc.cluster.local\tservice = 0 50 443 named.default.svc.cluster.local\n\n`
      + "** server can't find named.svc.cluster.local: NXDOMAIN\n\n** server can't find named.cluster.local: NXDOMAIN\n\n");
    assert.equal(run('web', 'side', 'nslookup -type=srv _ftp._tcp.named.default.svc.cluster.local').code, 1, 'no such port: NXDOMAIN');
    assert.deepEqual(run('web', 'side', 'nslookup -t=srv web'), { stdout: '', stderr: "nslookup: invalid number 'srv'\n", code: 1 });
    assert.deepEqual(run('web', 'side', 'nslookup -type=bogus web'), { stdout: '', stderr: 'nslookup: invalid query type "bogus"\n', code: 1 });
  });

  it('nc sends its input, half-closes, and prints the answer until the server closes', () => {
    const out = run('web', 'side', "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 80");
    assert.equal(out.code, 0, out.stderr);
    // server_tokens: the version the log prints, nginx:1.27's last release.
    assert.match(out.stdout, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\n/);
    assert.ok(out.stdout.includes('Connection: close\r\n'));
    assert.ok(out.stdout.includes('<title>Welcome to nginx!</title>'));
    // Nothing to send: the server sees the end at once and closes without a word.
    assert.deepEqual(run('web', 'side', 'nc web 80'), { stdout: '', stderr: '', code: 0 });
    // redis speaks its own protocol: PING is +PONG.
    assert.equal(run('redis', 'probe', "printf 'PING\\r\\n' | nc localhost 6379").stdout, '+PONG\r\n');
    const counted = run('web', 'side', "printf 'HEAD / HTTP/1.0\\r\\n\\r\\n' | nc -vv web 80");
    assert.match(counted.stderr, /^web \([\d.]+:80\) open\nsent 19, rcvd \d+\n$/);
  });
});
