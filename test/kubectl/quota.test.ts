/**
 * ResourceQuota and LimitRange with every real kubectl we have: the
 * documentation's walk-through (a quota and default limits in a namespace),
 * `get` and `describe` of both and of the namespace, the defaults a pod gets,
 * and kubectl's own words when a pod is refused.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt } from './run';

const MANIFEST = `apiVersion: v1
kind: ResourceQuota
metadata: {name: compute-resources}
spec:
  hard: {pods: "3", requests.cpu: "1", requests.memory: 1Gi, limits.cpu: "2", limits.memory: 2Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 250m, memory: 128Mi}
    max: {cpu: "1"}
`;

for (const k of kubectls()) {
  describe(`ResourceQuota and LimitRange with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-quota-'));
      fs.writeFileSync(path.join(dir, 'quota.yaml'), MANIFEST);
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 7 });
      await okc(['create', 'namespace', 'team']);
      await okc(['apply', '-n', 'team', '-f', 'quota.yaml']);
      // The controller fills in the quota's status a moment after it is created.
      await okc(['wait', '-n', 'team', '--for=jsonpath={.status.used.pods}=0', 'quota/compute-resources', '--timeout=30s']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('lists the quota\'s usage and the LimitRange as upstream prints them', async () => {
      const quota = await okc(['get', 'quota', '-n', 'team']);
      // printers.go since 1.33: NAME REQUEST LIMIT AGE.
      assert.match(quota, /^NAME {16}REQUEST {48}LIMIT {35}AGE\ncompute-resources {3}pods: 0\/3, requests\.cpu: 0\/1, requests\.memory: 0\/1Gi {3}limits\.cpu: 0\/2, limits\.memory: 0\/2Gi {3}\S+\n$/);
      assert.match(await okc(['get', 'limits', '-n', 'team']), /^NAME {7}CREATED AT\ndefaults {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
      // kubectl walks each item's resources as a Go map: the rows come in either order.
      const lines = (await okc(['describe', 'limits', 'defaults', '-n', 'team'])).split('\n');
      assert.deepEqual(lines.slice(0, 4), [
        'Name:       defaults',
        'Namespace:  team',
        'Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
        '----        --------  ---  ---  ---------------  -------------  -----------------------',
      ]);
      assert.deepEqual(lines.slice(4).sort(), [
        '',
        'Container   cpu       -    1    250m             500m           -',
        'Container   memory    -    -    128Mi            256Mi          -',
      ]);
    });

    it('gives a pod the namespace\'s defaults, charges it, and shows the charge in describe', async () => {
      await okc(['run', 'web', '-n', 'team', '--image=nginx']);
      const annotations = JSON.parse(await okc(['get', 'pod', 'web', '-n', 'team', '-o', 'jsonpath={.metadata.annotations}']));
      assert.equal(annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web');
      assert.equal(await okc(['describe', 'quota', '-n', 'team']), [
        'Name:            compute-resources',
        'Namespace:       team',
        'Resource         Used   Hard',
        '--------         ----   ----',
        'limits.cpu       500m   2',
        'limits.memory    256Mi  2Gi',
        'pods             1      3',
        'requests.cpu     250m   1',
        'requests.memory  128Mi  1Gi',
        '',
      ].join('\n'));
      const ns = await okc(['describe', 'namespace', 'team']);
      assert.ok(ns.includes([
        'Resource Quotas',
        '  Name:            compute-resources',
        '  Resource         Used   Hard',
        '  --------         ---    ---',
        '  limits.cpu       500m   2',
      ].join('\n')), ns);
      assert.ok(ns.includes([
        'Resource Limits',
        ' Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
        ' ----       --------  ---  ---  ---------------  -------------  -----------------------',
      ].join('\n')), ns);
      // The rows in either order, as kubectl walks a Go map.
      assert.ok(ns.includes('\n Container  cpu       -    1    250m             500m           -\n'), ns);
    });

    it('prints the refusals kubectl users meet: over the LimitRange\'s max, over the quota', async () => {
      fs.writeFileSync(path.join(dir, 'big.yaml'), `apiVersion: v1
kind: Pod
metadata: {name: big}
spec: {containers: [{name: app, image: nginx, resources: {limits: {cpu: "2"}}}]}
`);
      const big = await kc(['apply', '-n', 'team', '-f', 'big.yaml']);
      assert.equal(big.code, 1);
      assert.equal(big.stderr, 'Error from server (Forbidden): error when creating "big.yaml": pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2\n');
      await okc(['run', 'two', '-n', 'team', '--image=nginx']);
      await okc(['run', 'three', '-n', 'team', '--image=nginx']);
      const four = await kc(['run', 'four', '-n', 'team', '--image=nginx']);
      assert.equal(four.code, 1);
      assert.equal(four.stderr, 'Error from server (Forbidden): pods "four" is forbidden: exceeded quota: compute-resources, requested: pods=1, used: pods=3, limited: pods=3\n');
    });
  });
}
