import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { KubePlayground } from '../../../../cluster/src/playground';
import { containerLogLines } from '../../../../cluster/src/kubelet/images';
import { corefileSha512, KUBEADM_COREFILE } from '../../../../cluster/src/kubelet/corefile';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * `kubectl logs -n kube-system` of the kind cluster's own pods prints what those programs print: CoreDNS's
 * startup (with the reload plugin's digest of the Corefile), kindnetd's startup and its 10 s node loop.
 */
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

/**
 * The reload plugin's digest, worked out here by hand for a Corefile of one server block whose directives each
 * sit on their lines (the shape of kubeadm's): json.Marshal of [{Keys, Tokens}] with Go's sorted map keys and
 * tokens {File: "", Line, Text}, a directive's tokens running to its closing brace.
 */
function reloadDigest(corefile: string): string {
  const lines = corefile.split('\n');
  const key = lines[0].split(/\s+/)[0];
  const tokens: Record<string, Array<{ File: string; Line: number; Text: string }>> = {};
  let dir: string | undefined;
  let depth = 0;
  lines.forEach((text, i) => {
    if (i === 0) return;
    const words = text.trim().split(/\s+/).filter(Boolean);
    if (!words.length || (depth === 0 && words[0] === '}')) return;
    if (depth === 0) dir = words[0];
    for (const w of words) {
      tokens[dir!] = [...(tokens[dir!] ?? []), { File: '', Line: i + 1, Text: w }];
      if (w === '{') depth++;
      if (w === '}') depth--;
    }
  });
  const sorted = Object.fromEntries(Object.keys(tokens).sort().map((k) => [k, tokens[k]]));
  return createHash('sha512').update(JSON.stringify([{ Keys: [key], Tokens: sorted }])).digest('hex');
}

/** klog's header for a line of PID 1 at `file:line`. */
const KLOG = (site: string) => new RegExp(`^I\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6}       1 ${site.replace('.', '\\.')}\\] `);

describe('the kind cluster\'s own pods\' logs', () => {
  let pg: KubePlayground;
  const pods = (prefix: string) => pg.api.list(PODS, 'kube-system').items.filter((p) => p.metadata.name!.startsWith(prefix));
  const logsOf = (p: KObject) => [...pg.logs('kube-system', p.metadata.name!)];

  before(() => {
    pg = new KubePlayground({ seed: 3 });
    pg.runUntil(() => false, 45_000);
  });
  after(() => pg.close());

  it('CoreDNS prints automaxprocs\' line, its zone, the reload plugin\'s SHA512 of the Corefile and its build', () => {
    const corefile = pg.api.get(CONFIGMAPS, 'kube-system', 'coredns').data.Corefile;
    const coredns = pods('coredns-');
    assert.equal(coredns.length, 2);
    for (const p of coredns) {
      const node = pg.api.get(NODES, undefined, p.spec!.nodeName!);
      assert.deepEqual(logsOf(p), [
        `maxprocs: Leaving GOMAXPROCS=${node.status.capacity.cpu}: CPU quota undefined`,
        '.:53',
        `[INFO] plugin/reload: Running configuration SHA512 = ${reloadDigest(corefile)}`,
        'CoreDNS-1.12.1',
        'linux/amd64, go1.24.1, 707c7c1',
      ]);
    }
  });

  it('hashes the parsed server blocks, not the bytes: kubeadm\'s older Corefile gives the digest real clusters logged', () => {
    assert.equal(corefileSha512(KUBEADM_COREFILE), reloadDigest(KUBEADM_COREFILE));
    assert.notEqual(corefileSha512(KUBEADM_COREFILE), createHash('sha512').update(KUBEADM_COREFILE).digest('hex'));
    // Before kubeadm added `disable success|denial` to the cache block, its Corefile logged 591cf328… everywhere.
    const older = KUBEADM_COREFILE.replace(/cache 30 \{[^}]*\}/, 'cache 30');
    assert.equal(corefileSha512(older), '591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908');
    // Indentation and comments are not tokens; a changed line number is.
    assert.equal(corefileSha512(older.replace(/\n {4}/g, '\n\t').replace('loop', 'loop # detect loops')), corefileSha512(older));
    assert.notEqual(corefileSha512(`\n${older}`), corefileSha512(older));
  });

  it('kindnetd prints its startup, then every 10 s each node: its own as current, the others with their CIDR', () => {
    const nodes = pg.api.list(NODES, undefined).items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    const ip = (n: KObject) => n.status.addresses.find((a: any) => a.type === 'InternalIP').address;
    for (const p of pods('kindnet-')) {
      const lines = logsOf(p);
      const hostIP = p.status!.hostIP;
      const startup = [
        ['main.go:316', 'probe TCP address kubeplay-control-plane:6443'],
        ['main.go:102', 'connected to apiserver: https://kubeplay-control-plane:6443'],
        ['main.go:107', `hostIP = ${hostIP}`],
      ];
      startup.forEach(([site, msg], i) => { assert.match(lines[i], KLOG(site)); assert.ok(lines[i].endsWith(`] ${msg}`), lines[i]); });
      assert.equal(lines[3], `podIP = ${hostIP}`);
      assert.ok(lines[4].endsWith('main.go:116] setting mtu 1500 for CNI '));
      assert.ok(lines[5].endsWith('main.go:146] kindnetd IP family: "ipv4"'));
      assert.ok(lines[6].endsWith('main.go:150] noMask IPv4 subnets: [10.244.0.0/16]'));
      // Started about 35 s ago: the first pass saw an empty lister, then three passes of every node.
      const pass = nodes.flatMap((n) => [
        `main.go:320] Handling node with IPs: map[${ip(n)}:{}]`,
        ip(n) === hostIP ? 'main.go:324] handling current node' : `main.go:347] Node ${n.metadata.name} has CIDR [${n.spec.podCIDR}] `,
      ]);
      const loop = lines.slice(7);
      const started = Date.parse(p.status!.containerStatuses[0].state.running.startedAt);
      const passes = Math.floor((pg.clock.now() - started) / 10_000);
      assert.ok(passes >= 3, `${passes} passes`);
      assert.equal(loop.length, passes * pass.length);
      loop.forEach((l, i) => assert.ok(l.endsWith(pass[i % pass.length]), `${l} / ${pass[i % pass.length]}`));
      // Ten seconds between passes, on the simulated clock.
      const sec = (l: string) => Number(l.slice(12, 14));
      assert.equal((sec(loop[pass.length]) - sec(loop[0]) + 60) % 60, 10);
    }
  });

  it('keeps what the kubelet keeps of a long-running kindnetd, the oldest passes counted as dropped', () => {
    const p = pods('kindnet-')[0];
    const container = p.spec!.containers[0];
    const started = Date.parse(p.status!.containerStatuses[0].state.running.startedAt);
    const node = (i: number) => ({ name: `n${String(i).padStart(3, '0')}`, internalIPs: [`172.18.${i >> 8}.${i & 255}`], podCIDRs: [`10.244.${i}.0/24`], created: 0 });
    const host = { cpus: 2, kernel: 'k', nodes: () => Array.from({ length: 50 }, (_, i) => node(i)) };
    const lines: any = containerLogLines(p, container, started, undefined, started + 3_600_000, [], [], false, host);
    assert.equal(lines.length, 10_000);
    assert.equal(lines.length + lines.dropped, 7 + 360 * 100);
    assert.ok(lines[lines.length - 1].endsWith('Node n049 has CIDR [10.244.49.0/24] '));
    assert.equal(lines.times.length, lines.length);
  });

  it('kube-proxy prints its v=0 startup in iptables mode: the node\'s IP, kind\'s unset nodePortAddresses, its version, the config controllers', () => {
    const proxies = pods('kube-proxy-');
    assert.equal(proxies.length, pg.api.list(NODES, undefined).items.length);
    for (const p of proxies) {
      const lines = logsOf(p);
      const msgs = lines.map((l) => l.replace(/^[IE]\d{4} \d\d:\d\d:\d\d\.\d{6}       1 /, ''));
      assert.deepEqual(msgs, [
        'server_linux.go:53] "Using iptables proxy"',
        'shared_informer.go:349] "Waiting for caches to sync" controller="node informer cache"',
        'shared_informer.go:356] "Caches are synced" controller="node informer cache"',
        `server.go:219] "Successfully retrieved NodeIPs" NodeIPs=["${p.status!.hostIP}"]`,
        'server.go:256] "Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"',
        'server.go:265] "kube-proxy running in dual-stack mode" primary ipFamily="IPv4"',
        'server_linux.go:132] "Using iptables Proxier"',
        'proxier.go:242] "Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"',
        'server.go:527] "Version info" version="v1.34.1"',
        'server.go:529] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""',
        'config.go:200] "Starting service config controller"',
        'shared_informer.go:349] "Waiting for caches to sync" controller="service config"',
        'config.go:106] "Starting endpoint slice config controller"',
        'shared_informer.go:349] "Waiting for caches to sync" controller="endpoint slice config"',
        'config.go:403] "Starting serviceCIDR config controller"',
        'shared_informer.go:349] "Waiting for caches to sync" controller="serviceCIDR config"',
        'config.go:309] "Starting node config controller"',
        'shared_informer.go:349] "Waiting for caches to sync" controller="node config"',
        'shared_informer.go:356] "Caches are synced" controller="node config"',
        'shared_informer.go:356] "Caches are synced" controller="service config"',
        'shared_informer.go:356] "Caches are synced" controller="endpoint slice config"',
        'shared_informer.go:356] "Caches are synced" controller="serviceCIDR config"',
      ]);
      // Only the configuration complaint is an error line; the header's date is the container's start, in UTC.
      assert.deepEqual(lines.map((l) => l[0]).filter((c) => c !== 'I'), ['E']);
      const started = new Date(p.status!.containerStatuses[0].state.running.startedAt);
      assert.equal(lines[0].slice(1, 14), `${String(started.getUTCMonth() + 1).padStart(2, '0')}${String(started.getUTCDate()).padStart(2, '0')} ${started.toISOString().slice(11, 19)}`);
    }
  });

  it('kube-scheduler and kube-controller-manager print their startup and take their leader Leases; kube-apiserver its first lines', () => {
    const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
    const strip = (lines: string[]) => lines.map((l) => l.replace(/^I\d{4} \d\d:\d\d:\d\d\.\d{6}       1 /, ''));
    const scheduler = strip(logsOf(pods('kube-scheduler-')[0]));
    assert.deepEqual(scheduler.slice(0, 4), [
      'serving.go:386] Generated self-signed cert in-memory',
      'server.go:175] "Starting Kubernetes Scheduler" version="v1.34.1"',
      'server.go:177] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""',
      'secure_serving.go:211] Serving securely on 127.0.0.1:10259',
    ]);
    assert.ok(scheduler.includes('leaderelection.go:257] attempting to acquire leader lease kube-system/kube-scheduler...'));
    assert.equal(scheduler[scheduler.length - 1], 'leaderelection.go:271] successfully acquired lease kube-system/kube-scheduler');
    const holder = pg.api.get(LEASES, 'kube-system', 'kube-controller-manager').spec.holderIdentity;
    assert.deepEqual(strip(logsOf(pods('kube-controller-manager-')[0])), [
      'serving.go:386] Generated self-signed cert in-memory',
      'controllermanager.go:191] "Starting" version="v1.34.1"',
      'controllermanager.go:193] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""',
      'dynamic_cafile_content.go:161] "Starting controller" name="request-header::/etc/kubernetes/pki/front-proxy-ca.crt"',
      'dynamic_cafile_content.go:161] "Starting controller" name="client-ca-bundle::/etc/kubernetes/pki/ca.crt"',
      'secure_serving.go:211] Serving securely on 127.0.0.1:10257',
      'tlsconfig.go:243] "Starting DynamicServingCertificateController"',
      'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-controller-manager...',
      'leaderelection.go:271] successfully acquired lease kube-system/kube-controller-manager',
      `event.go:389] "Event occurred" object="kube-system/kube-controller-manager" fieldPath="" kind="Lease" apiVersion="coordination.k8s.io/v1" type="Normal" reason="LeaderElection" message="${holder} became leader"`,
      'controllermanager.go:781] "Started controller" controller="serviceaccount-token-controller"',
      'shared_informer.go:349] "Waiting for caches to sync" controller="tokens"',
    ]);
    assert.match(holder, /^kubeplay-control-plane_[0-9a-f-]{36}$/);
    // The apiserver: its first three lines, with the static pod's --advertise-address.
    assert.deepEqual(strip(logsOf(pods('kube-apiserver-')[0])), [
      'options.go:263] external host was not specified, using 172.18.0.2',
      'server.go:150] Version: v1.34.1',
      'server.go:152] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""',
    ]);
  });

  it('keeps the generic lines for an image or a command it does not model', () => {
    const metrics = pg.api.list(PODS, 'kube-system').items.find((p) => p.metadata.name!.startsWith('metrics-server'))!;
    assert.match(logsOf(metrics)[0], /kubeplay: container "metrics-server" of pod .* started from image/);
    const coredns = pods('coredns-')[0];
    const other = { ...coredns.spec!.containers[0], args: ['-conf', '/tmp/Corefile'] };
    assert.match(containerLogLines(coredns, other, 0, undefined, 1000)[0], /kubeplay: container "coredns" of pod/);
  });
});
