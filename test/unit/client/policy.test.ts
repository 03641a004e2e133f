import * as assert from 'assert';
import { describe as describeAny } from '../../../client/src/model/describe';
import { ClusterStore } from '../../../client/src/model/store';
import { plainT, TreeModel, TreeContext } from '../../../client/src/model/tree';
import type { TreeNode } from '../../../client/src/model/node';

/** ResourceQuotas and LimitRanges in the extension: `describe` as kubectl prints it (checked against kubectl 1.32's output), and the tree. */
const NOW = Date.parse('2026-01-05T10:00:00Z');
const quota = {
  apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute-resources', namespace: 'default', uid: 'q' },
  spec: { hard: { pods: '4', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' } },
  status: {
    hard: { 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '4', 'requests.cpu': '1', 'requests.memory': '1Gi' },
    used: { 'limits.cpu': '500m', 'limits.memory': '256Mi', pods: '4', 'requests.cpu': '250m', 'requests.memory': '128Mi' },
  },
};
const ranges = {
  apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'default', uid: 'l' },
  spec: { limits: [{ type: 'Container', max: { cpu: '1' }, default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m', memory: '128Mi' } }] },
};

function store(): ClusterStore {
  const s = new ClusterStore();
  s.apply('namespaces', 'ADDED', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: 'ns', labels: { 'kubernetes.io/metadata.name': 'default' } }, status: { phase: 'Active' } });
  s.apply('resourcequotas', 'ADDED', quota);
  s.apply('limitranges', 'ADDED', ranges);
  return s;
}

describe('client/quotas and limits', () => {
  it('describes a quota, a LimitRange and the namespace as kubectl does', () => {
    const s = store();
    assert.strictEqual(describeAny(s, s.get('resourcequotas', 'default', 'compute-resources')!, NOW), [
      'Name:            compute-resources',
      'Namespace:       default',
      'Resource         Used   Hard',
      '--------         ----   ----',
      'limits.cpu       500m   2',
      'limits.memory    256Mi  2Gi',
      'pods             4      4',
      'requests.cpu     250m   1',
      'requests.memory  128Mi  1Gi',
      '',
    ].join('\n'));
    assert.strictEqual(describeAny(s, s.get('limitranges', 'default', 'defaults')!, NOW), [
      'Name:       defaults',
      'Namespace:  default',
      'Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
      '----        --------  ---  ---  ---------------  -------------  -----------------------',
      'Container   cpu       -    1    250m             500m           -',
      'Container   memory    -    -    128Mi            256Mi          -',
      '',
    ].join('\n'));
    assert.strictEqual(describeAny(s, s.get('namespaces', undefined, 'default')!, NOW), [
      'Name:         default',
      'Labels:       kubernetes.io/metadata.name=default',
      'Annotations:  <none>',
      'Status:       Active',
      '',
      'Resource Quotas',
      '  Name:            compute-resources',
      '  Resource         Used   Hard',
      '  --------         ---    ---',
      '  limits.cpu       500m   2',
      '  limits.memory    256Mi  2Gi',
      '  pods             4      4',
      '  requests.cpu     250m   1',
      '  requests.memory  128Mi  1Gi',
      '',
      'Resource Limits',
      ' Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
      ' ----       --------  ---  ---  ---------------  -------------  -----------------------',
      ' Container  cpu       -    1    250m             500m           -',
      ' Container  memory    -    -    128Mi            256Mi          -',
      '',
    ].join('\n'));
  });

  it('shows each quota\'s usage in the namespace, marking the limits it has reached', () => {
    const s = store();
    const c: TreeContext = { store: s, t: plainT, now: () => NOW, target: { kind: 'playground', name: 'kubeplay', connected: true } } as TreeContext;
    const find = (nodes: TreeNode[], label: string) => {
      const n = nodes.find((x) => x.label === label);
      assert.ok(n, `no "${label}" among ${nodes.map((x) => x.label).join(', ')}`);
      return n!;
    };
    const ns = find(find(new TreeModel(c).roots(), 'Namespaces').children!(), 'default');
    const q = find(find(ns.children!(), 'ResourceQuotas').children!(), 'compute-resources');
    assert.strictEqual(q.description, 'limits.cpu 500m/2 · limits.memory 256Mi/2Gi · pods 4/4 · requests.cpu 250m/1 · requests.memory 128Mi/1Gi');
    assert.strictEqual(q.look?.color, 'charts.yellow');
    assert.match(String(q.tooltip?.()), /At its limit: pods/);
    assert.strictEqual(find(q.children!(), 'pods').look?.icon, 'warning');
    const lr = find(find(ns.children!(), 'LimitRanges').children!(), 'defaults');
    assert.strictEqual(find(lr.children!(), 'Container cpu').description, 'max 1 · default request 250m · default limit 500m');
  });
});
