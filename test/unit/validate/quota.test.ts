import * as assert from 'assert';
import { doComplete } from '../../../server/src/service/completion';
import { doHover } from '../../../server/src/service/hover';
import { setup } from '../server/harness';
import { applyEdits, byCode, diagnose, quickFixes } from './helpers';

/** The editor's ResourceQuota check: a container that states nothing a workspace quota tracks, and the quick fix. */
const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: team
spec:
  hard:
    pods: "10"
    requests.cpu: "1"
    limits.memory: 1Gi
`;
const deploy = (resources = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
${resources}`;


describe('validate/quota', () => {
  it('warns that quota admission will refuse the pods, in its words', () => {
    const [d, ...rest] = byCode(diagnose(`${QUOTA}---\n${deploy()}`).list, 'quota-must-specify');
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.message, 'The ResourceQuota "compute" in namespace "team" tracks limits.memory, requests.cpu, which this container does not set, so the apiserver refuses its pods: '
      + '"failed quota: compute: must specify limits.memory for: web; requests.cpu for: web". Set them under resources, or give the namespace a LimitRange with defaults.');
  });

  it('says nothing when the container sets them, a limit standing in for the request, or a LimitRange gives defaults, or the namespace differs', () => {
    const set = '        resources:\n          limits:\n            cpu: 500m\n            memory: 256Mi\n';
    assert.deepStrictEqual(byCode(diagnose(`${QUOTA}---\n${deploy(set)}`).list, 'quota-must-specify'), []);
    const lr = 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: d\n  namespace: team\nspec:\n  limits:\n  - type: Container\n    max:\n      cpu: "1"\n      memory: 1Gi\n';
    assert.deepStrictEqual(byCode(diagnose(`${QUOTA}---\n${lr}---\n${deploy()}`).list, 'quota-must-specify'), []);
    assert.deepStrictEqual(byCode(diagnose(`${QUOTA}---\n${deploy().replace('namespace: team', 'namespace: other')}`).list, 'quota-must-specify'), []);
    // A namespace-less quota in another file of the workspace is not taken to govern a namespace-less workload here;
    // with the namespace named on both sides it is.
    const strip = (t: string) => t.replace(/\n  namespace: team/g, '');
    const other = (quota: string, workload: string) => byCode(diagnose(workload, { others: { 'quota.yaml': quota } }).list, 'quota-must-specify');
    assert.deepStrictEqual(other(strip(QUOTA), strip(deploy())), []);
    assert.strictEqual(other(QUOTA, deploy()).length, 1);
    // A scoped quota governs only the pods in its scopes: NotBestEffort leaves a pod with no resources alone.
    assert.deepStrictEqual(byCode(diagnose(`${QUOTA}  scopes: [NotBestEffort]\n---\n${deploy()}`).list, 'quota-must-specify'), []);
  });

  it('the quick fix adds the missing requests and limits into the maps the container has', () => {
    const text = `${QUOTA}---\n${deploy('        resources:\n          requests:\n            memory: 64Mi\n')}`;
    const { actions: [action], uri } = quickFixes(text, 'quota-must-specify');
    assert.strictEqual(action.title, 'Set requests.cpu 100m, limits.memory 256Mi (ResourceQuota "compute" tracks them)');
    const fixed = applyEdits(text, action.edit!.changes![uri]);
    assert.ok(fixed.endsWith('        resources:\n          requests:\n            memory: 64Mi\n            cpu: 100m\n          limits:\n            memory: 256Mi\n'), fixed);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'quota-must-specify'), []);
    const bare = `${QUOTA}---\n${deploy()}`;
    const { actions: [a2], uri: uri2 } = quickFixes(bare, 'quota-must-specify');
    const fixed2 = applyEdits(bare, a2.edit!.changes![uri2]);
    assert.ok(fixed2.endsWith('        image: nginx\n        resources:\n          requests:\n            cpu: 100m\n          limits:\n            memory: 256Mi\n'), fixed2);
  });
});

describe('server/quota keys', () => {
  it('completes what spec.hard can limit and explains each on hover (in Chinese too)', () => {
    const base = 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    ';
    const c = setup(base + 'pods: "1"\n    |\n');
    const labels = doComplete(c.model, c.pos, c.ctx).items.map((i) => i.label);
    assert.ok(labels.includes('requests.cpu') && labels.includes('count/deployments.apps') && labels.includes('services.nodeports'), labels.join());
    assert.ok(!labels.includes('pods'), 'a key already there is not offered again');
    const hover = (text: string, locale?: string) => {
      const h = setup(text, locale ? { locale } : {});
      return JSON.stringify(doHover(h.model, h.pos, h.ctx)?.contents ?? '');
    };
    assert.match(hover(base + 'requests.c|pu: 500m\n'), /must specify requests\.cpu/);
    assert.match(hover(base + 'requests.cpu: 50|0m\n'), /500m = 0\.5 CPU/);
    assert.match(hover(base + 'limits.mem|ory: 1Gi\n', 'zh-cn'), /内存限制之和/);
  });
});
