import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { curl, wget } from '../../../../cluster/src/kubelet/netcmds';
import { nslookup } from '../../../../cluster/src/kubelet/nslookup';
import type { KObject } from '../../../../cluster/src/contract';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../validate/helpers';

/**
 * NetworkPolicies enforced by the playground's network plugin, end to end on
 * the simulated clock: what a pod's curl, wget and nslookup see once a policy
 * drops their packets (a time-out, never a refusal), DNS under a default-deny
 * egress, ingress-nginx's 504 for an upstream it cannot reach, and the
 * apiserver's defaults.
 */
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NETPOL = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx}
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec: {selector: {app: nginx}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: busybox}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: trusted, labels: {access: "true"}}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
`;

const ACCESS_NGINX = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: access-nginx}
spec:
  podSelector: {matchLabels: {app: nginx}}
  ingress:
  - from:
    - podSelector: {matchLabels: {access: "true"}}
`;

function cluster(extra = '', addons: string[] = []): KubePlayground {
  const pg = new KubePlayground({ seed: 5, addons: addons as any });
  pg.apply(extra ? `${APP}---${extra}` : APP);
  pg.advance(30_000);
  return pg;
}
const from = (pg: KubePlayground, pod: string) => pg.execWorld(pg.api.get(PODS, 'default', pod), 'c');
const nginxIP = (pg: KubePlayground) => (pg.api.list(PODS, 'default').items as KObject[]).find((p) => p.metadata.labels?.app === 'nginx')!.status!.podIP;

describe('NetworkPolicy enforcement', function () {
  this.timeout(20_000);

  it('the Declare Network Policy task: wget --spider --timeout=1 nginx times out unless the pod carries access=true', () => {
    const pg = cluster();
    try {
      const open = wget(from(pg, 'busybox'), ['--spider', '--timeout=1', 'nginx'], () => undefined);
      assert.match(open.stderr, /^Connecting to nginx \(10\.\d+\.\d+\.\d+:80\)\nremote file exists\n$/);
      pg.apply(ACCESS_NGINX);
      const stored = pg.api.get(NETPOL, 'default', 'access-nginx');
      assert.deepEqual(stored.spec.policyTypes, ['Ingress']);
      const blocked = wget(from(pg, 'busybox'), ['--spider', '--timeout=1', 'nginx'], () => undefined);
      assert.deepEqual([blocked.code, blocked.stderr.replace(/\(.*\)/, '(IP)')], [1, 'Connecting to nginx (IP)\nwget: download timed out\n']);
      // Without -T, busybox waits for the kernel to give up.
      const long = wget(from(pg, 'busybox'), ['-qO-', 'nginx'], () => undefined);
      assert.match(long.stderr, /^wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): Connection timed out\n$/);
      assert.equal(wget(from(pg, 'trusted'), ['--spider', '--timeout=1', 'nginx'], () => undefined).code, 0);
    } finally {
      pg.close();
    }
  });

  it('curl times out (28) at its own limits, straight to the pod as through the Service; the node and the pod itself still get in', () => {
    const pg = cluster(ACCESS_NGINX);
    try {
      const w = from(pg, 'busybox');
      assert.deepEqual(curl(w, ['-m', '5', 'http://nginx/']), { stdout: '', stderr: 'curl: (28) Connection timed out after 5001 milliseconds\n', code: 28 });
      assert.equal(curl(w, ['--connect-timeout', '2', '-m', '5', 'http://nginx/']).stderr, 'curl: (28) Failed to connect to nginx port 80 after 2001 ms: Timeout was reached\n');
      // A lone `-` (the value of an option curl takes apart, such as --output -) is no URL.
      assert.equal(curl(from(pg, 'trusted'), ['nginx', '--output', '-']).code, 0);
      assert.equal(curl(from(pg, 'trusted'), ['http://nginx/', '--output', 'page.html', '--user-agent', 'x']).code, 0);
      // Short options in clusters, values attached or apart.
      assert.equal(curl(w, ['-sSm', '5', 'http://nginx/']).stderr, 'curl: (28) Connection timed out after 5001 milliseconds\n');
      assert.equal(curl(w, ['-m5', 'http://nginx/']).stderr, 'curl: (28) Connection timed out after 5001 milliseconds\n');
      assert.equal(wget(w, ['-qT', '2', 'http://nginx/'], () => undefined).stderr, 'wget: download timed out\n');
      assert.equal(wget(w, ['-T2', '-q', 'http://nginx/'], () => undefined).stderr, 'wget: download timed out\n');
      const ip = nginxIP(pg);
      assert.equal(curl(w, [`http://${ip}/`]).stderr, `curl: (28) Failed to connect to ${ip} port 80 after 130000 ms: Couldn't connect to server\n`);
      // A port nothing listens on is still refused when the policy lets the connection through.
      assert.equal(curl(from(pg, 'trusted'), [`http://${ip}:81/`]).code, 7);
      const nginx = (pg.api.list(PODS, 'default').items as KObject[]).find((p) => p.metadata.labels?.app === 'nginx')!;
      assert.equal(curl(pg.execWorld(nginx, 'nginx'), [`http://${ip}/`]).code, 0);
      const node = pg.api.get({ group: '', version: 'v1', resource: 'nodes' }, undefined, nginx.spec.nodeName);
      const nodeIP = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      assert.equal(pg.connect({ ip: nodeIP }, nginx, 80).allowed, true);
      assert.deepEqual(pg.connect({ ip: '192.168.49.1' }, nginx, 80), { allowed: false, deniedBy: 'ingress', policies: ['default/access-nginx'] });
      // Traffic a node forwards (a NodePort connection under SNAT) carries its address but is not its own.
      assert.equal(pg.connect({ ip: nodeIP, forwarded: true }, nginx, 80).allowed, false);
    } finally {
      pg.close();
    }
  });

  it('a default-deny egress leaves pods without DNS until a rule lets them reach kube-dns over UDP', () => {
    const pg = cluster(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress}
spec:
  podSelector: {}
  policyTypes: [Egress]
`);
    try {
      const w = from(pg, 'busybox');
      assert.deepEqual(nslookup(w, ['nginx']), { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 });
      assert.equal(curl(w, ['-s', '-S', 'http://nginx/']).stderr, 'curl: (6) Could not resolve host: nginx\n');
      assert.equal(wget(w, ['-qO-', 'http://nginx/'], () => undefined).stderr, "wget: bad address 'nginx'\n");
      // TCP alone does not do.
      const dns = (protocols: string[]) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [${protocols.map((p) => `{protocol: ${p}, port: 53}`).join(', ')}]
`;
      pg.apply(dns(['TCP']));
      assert.equal(nslookup(w, ['nginx']).stdout, ';; connection timed out; no servers could be reached\n\n');
      pg.apply(dns(['UDP', 'TCP']));
      assert.match(nslookup(w, ['nginx']).stdout, /^Name:\tnginx\.default\.svc\.cluster\.local$/m);
      // Names resolve; the connection itself is still egress the policies do not allow.
      assert.equal(curl(w, ['-m', '3', 'http://nginx/']).code, 28);
    } finally {
      pg.close();
    }
  });

  it('ingress-nginx answers 504 when a policy keeps it from every endpoint', () => {
    const pg = cluster(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: nginx, port: {number: 80}}}}
`, ['ingress-nginx']);
    try {
      const w = from(pg, 'trusted');
      const ask = () => curl(w, ['-si', '-H', 'Host: shop.example', 'http://ingress-nginx-controller.ingress-nginx/']);
      assert.match(ask().stdout, /^HTTP\/1\.1 200 OK/);
      pg.apply(ACCESS_NGINX);
      const r = ask();
      assert.match(r.stdout, /^HTTP\/1\.1 504 Gateway Time-out\r\n/);
      assert.match(r.stdout, /<center><h1>504 Gateway Time-out<\/h1><\/center>/);
      // Let the controller's namespace in, and it reaches nginx again.
      pg.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-ingress}
spec:
  podSelector: {matchLabels: {app: nginx}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
    ports: [{port: http}]
`);
      assert.match(ask().stdout, /^HTTP\/1\.1 200 OK/);
    } finally {
      pg.close();
    }
  });

  it('host-network pods are their node\'s address: never selected, matched by ipBlock; the apiserver defaults as Go decodes', () => {
    const pg = cluster(`
apiVersion: v1
kind: Pod
metadata: {name: agent, labels: {access: "true"}}
spec: {hostNetwork: true, containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
`);
    try {
      pg.apply(ACCESS_NGINX);
      const agent = pg.api.get(PODS, 'default', 'agent');
      const nginx = (pg.api.list(PODS, 'default').items as KObject[]).find((p) => p.metadata.labels?.app === 'nginx')!;
      // Its label does not make it a peer the podSelector picks; only its node (if it is nginx's) gets in.
      const v = pg.connect(agent, nginx, 80);
      assert.equal(v.allowed, agent.spec.nodeName === nginx.spec.nodeName);
      pg.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-nodes}
spec:
  podSelector: {matchLabels: {app: nginx}}
  ingress:
  - from: [{ipBlock: {cidr: 172.16.0.0/12}}]
`);
      assert.equal(pg.connect(agent, nginx, 80).allowed, true);
      // No spec at all: an empty pod selector, Ingress. A policyTypes that is not a list is the decoder's to refuse.
      const bare = pg.api.create(NETPOL, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bare' } } as KObject).object;
      assert.deepEqual(bare.spec, { podSelector: {}, policyTypes: ['Ingress'] });
      assert.throws(() => pg.api.create(NETPOL, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'typo' }, spec: { podSelector: {}, policyTypes: 'Egress' } } as KObject),
        (e: any) => e.status.code === 400 && /cannot unmarshal string into Go struct field NetworkPolicySpec\.spec\.policyTypes of type \[\]v1\.PolicyType/.test(e.status.message));
      // SCTP is judged by its own protocol.
      const sctp = pg.connect(pg.api.get(PODS, 'default', 'trusted'), nginx, 80, 'SCTP');
      assert.equal(sctp.allowed, true, 'access-nginx lets trusted in on any port and protocol');
    } finally {
      pg.close();
    }
  });

  it('examples/13-network-policy.yaml does what its comments say', () => {
    const pg = new KubePlayground({ seed: 6 });
    try {
      pg.apply(readFileSync(join(repoRoot(), 'examples', '13-network-policy.yaml'), 'utf8'));
      pg.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: shop}\nspec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}\n');
      pg.advance(60_000);
      const pod = (prefix: string) => (pg.api.list(PODS, 'shop').items as KObject[]).find((p) => p.metadata.name!.startsWith(prefix))!;
      const frontend = pg.execWorld(pod('frontend'), 'nginx');
      assert.match(wget(frontend, ['-qO-', 'api:8080'], () => undefined).stdout, /^Hello, world!\nVersion: 1\.0\.0\n/);
      const probe = pg.execWorld(pod('probe'), 'c');
      assert.deepEqual(wget(probe, ['-T', '2', '-qO-', 'api:8080'], () => undefined), { stdout: '', stderr: 'wget: download timed out\n', code: 1 });
      // CoreDNS answers the frontend on port 53 only: its metrics port is egress no policy allows.
      const trace = pg.traceConnection('shop', pod('frontend').metadata.name!, 'kube-dns.kube-system', 9153);
      assert.equal(trace.outcome, 'timeout');
      assert.deepEqual(trace.verdict, { allowed: false, deniedBy: 'egress', policies: ['shop/allow-dns', 'shop/default-deny-all', 'shop/frontend-to-api'] });
    } finally {
      pg.close();
    }
  });
});
