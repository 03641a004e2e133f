/**
 * NetworkPolicy with every real kubectl we have: the Declare Network Policy
 * task (nginx, a busybox that times out until it carries access=true),
 * `get` and `describe` as kubectl prints them (and the extension's own
 * describe matching kubectl's line for line), and kubectl's words for a
 * policy the apiserver refuses.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { describeNetworkPolicy } from '../../client/src/model/describe/netpol';
import { kubectls } from './binaries';
import { kubectlAt } from './run';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: nginx}}
  template:
    metadata: {labels: {app.kubernetes.io/name: nginx}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec: {selector: {app.kubernetes.io/name: nginx}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: busybox}
spec: {containers: [{name: busybox, image: busybox, command: [sleep, infinity]}]}
`;

const ACCESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: access-nginx}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: nginx}
  ingress:
  - from:
    - podSelector:
        matchLabels: {access: "true"}
`;

const MIXED = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mixed, labels: {team: a}}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
    - namespaceSelector: {matchLabels: {project: myproject}}
      podSelector: {matchLabels: {role: frontend}}
    ports:
    - {protocol: TCP, port: 6379}
    - {port: 32000, endPort: 32768}
  - {}
  egress: []
`;

for (const k of kubectls()) {
  describe(`NetworkPolicy with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-netpol-'));
      fs.writeFileSync(path.join(dir, 'app.yaml'), APP);
      fs.writeFileSync(path.join(dir, 'access.yaml'), ACCESS);
      fs.writeFileSync(path.join(dir, 'mixed.yaml'), MIXED);
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 9 });
      await okc(['apply', '-f', 'app.yaml']);
      await okc(['rollout', 'status', 'deployment/nginx', '--timeout=60s']);
      await okc(['wait', '--for=condition=Ready', 'pod/busybox', '--timeout=60s']);
      await okc(['rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=60s']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the task: wget reaches nginx, times out once the policy is there, and reaches it again with access=true', async () => {
      const open = await kc(['exec', 'busybox', '--', 'wget', '--spider', '--timeout=1', 'nginx']);
      assert.equal(open.code, 0, open.stderr);
      assert.match(open.stderr, /^Connecting to nginx \(10\.\d+\.\d+\.\d+:80\)\nremote file exists\n$/);
      assert.equal(await okc(['apply', '-f', 'access.yaml']), 'networkpolicy.networking.k8s.io/access-nginx created\n');
      const blocked = await kc(['exec', 'busybox', '--', 'wget', '--spider', '--timeout=1', 'nginx']);
      assert.equal(blocked.code, 1);
      assert.match(blocked.stderr, /^Connecting to nginx \(10\.\d+\.\d+\.\d+:80\)\nwget: download timed out\ncommand terminated with exit code 1\n$/);
      await okc(['label', 'pod', 'busybox', 'access=true']);
      const allowed = await kc(['exec', 'busybox', '--', 'wget', '--spider', '--timeout=1', 'nginx']);
      assert.equal(allowed.code, 0, allowed.stderr);
      await okc(['apply', '-f', 'mixed.yaml']);
      // mixed's Ingress (an empty rule) lets anything in; its empty egress list lets nothing out: not even DNS.
      const noDns = await kc(['exec', 'busybox', '--', 'wget', '--spider', '--timeout=1', 'nginx']);
      assert.equal(noDns.stderr, "wget: bad address 'nginx'\ncommand terminated with exit code 1\n");
      await okc(['delete', 'networkpolicy', 'mixed']);
      const back = await kc(['exec', 'busybox', '--', 'wget', '--spider', '--timeout=1', 'nginx']);
      assert.equal(back.code, 0, back.stderr);
      await okc(['apply', '-f', 'mixed.yaml']);
    });

    it('get and describe as kubectl prints them; the extension\'s describe says the same', async () => {
      assert.match(await okc(['get', 'netpol']), /^NAME {11}POD-SELECTOR {19}AGE\naccess-nginx {3}app\.kubernetes\.io\/name=nginx {3}\S+\nmixed {10}<none> {25}\S+\n$/);
      for (const name of ['access-nginx', 'mixed']) {
        const described = await okc(['describe', 'networkpolicy', name]);
        const obj = JSON.parse(await okc(['get', 'networkpolicy', name, '-o', 'json']));
        // kubectl prints the creation time in the machine's zone; the tests run in UTC.
        assert.equal(describeNetworkPolicy(obj), described, name);
      }
      const mixed = await okc(['describe', 'networkpolicy', 'mixed']);
      assert.match(mixed, /\nSpec:\n  PodSelector:     <none> \(Allowing the specific traffic to all pods in this namespace\)\n  Allowing ingress traffic:\n    To Port: 6379\/TCP\n    To Port Range: 32000-32768\/TCP\n    From:\n      IPBlock:\n        CIDR: 172\.17\.0\.0\/16\n        Except: 172\.17\.1\.0\/24\n    From:\n      NamespaceSelector: project=myproject\n      PodSelector: role=frontend\n    ----------\n    To Port: <any> \(traffic allowed to all ports\)\n    From: <any> \(traffic not restricted by source\)\n  Allowing egress traffic:\n    <none> \(Selected pods are isolated for egress connectivity\)\n  Policy Types: Ingress, Egress\n$/);
    });

    it('refuses a policy with kubectl\'s words for each error', async () => {
      const bad = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad}
spec:
  podSelector: {}
  ingress:
  - from: [{}]
    ports: [{port: http, endPort: 90}]
  policyTypes: [ingress]
`;
      fs.writeFileSync(path.join(dir, 'bad.yaml'), bad);
      const r = await kc(['apply', '-f', 'bad.yaml']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'The NetworkPolicy "bad" is invalid: \n'
        + '* spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric\n'
        + '* spec.ingress[0].from[0]: Required value: must specify a peer\n'
        + '* spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"\n');
    });
  });
}
