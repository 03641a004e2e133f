/**
 * request.userInfo for the playground's own writers: each controller its kube-system service account, the kubelet
 * system:node:<node>, the scheduler system:kube-scheduler, KubePlayground.apply kind's kubernetes-admin. A policy
 * that reads it (the docs' matchConditions example) must not break the cluster's own writes.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from './statusOf';

const VAP = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const VAPB = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' };
const policy = (name: string, spec: any) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec }) as KObject;
const binding = (name: string, spec: any) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec }) as KObject;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: test}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`;

function running(pg: ReturnType<typeof newTestPlayground>): string[] {
  return pg.api.list(R.pods, 'test').items.filter((p) => p.status?.phase === 'Running').map((p) => p.metadata.name!);
}

describe('cluster/apiserver: request.userInfo of the playground\'s own writers', () => {
  it('the docs\' matchConditions policy (every resource, kubelet excluded) lets a Deployment come up', () => {
    const pg = newTestPlayground();
    pg.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: test}\n');
    pg.api.create(VAP, undefined, policy('demo-policy.example.com', {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }] },
      matchConditions: [
        { name: 'exclude-leases', expression: '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")' },
        { name: 'exclude-kubelet-requests', expression: '!("system:nodes" in request.userInfo.groups)' },
        { name: 'rbac', expression: 'request.resource.group != "rbac.authorization.k8s.io"' },
      ],
      validations: [{ expression: "!object.metadata.name.contains('demo') || object.metadata.namespace == 'demo'" }],
    }));
    pg.api.create(VAPB, undefined, binding('b', { policyName: 'demo-policy.example.com', validationActions: ['Deny'] }));
    pg.apply(WEB);
    pg.advance(30_000);
    assert.strictEqual(running(pg).length, 2);
    pg.close();
  });

  it('names the ReplicaSet controller, the scheduler, the kubelet and kubernetes-admin with upstream\'s users and groups', () => {
    const pg = newTestPlayground();
    pg.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: test, labels: {environment: test}}\n');
    const sa = (n: string) => `request.userInfo.username == 'system:serviceaccount:kube-system:${n}' && request.userInfo.groups == ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated']`;
    pg.api.create(VAP, undefined, policy('who', {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/binding', 'pods/status', 'configmaps'] },
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['replicasets', 'deployments'] },
        ],
      },
      validations: [
        { expression: `request.resource.resource != 'replicasets' || (${sa('deployment-controller')})` },
        { expression: `request.resource.resource != 'pods' || has(request.subResource) || (${sa('replicaset-controller')})` },
        { expression: "!has(request.subResource) || request.subResource != 'binding' || (request.userInfo.username == 'system:kube-scheduler' && request.userInfo.groups == ['system:authenticated'])" },
        {
          expression: "!has(request.subResource) || request.subResource != 'status' || (request.userInfo.username == 'system:node:' + oldObject.spec.nodeName && request.userInfo.groups == ['system:nodes', 'system:authenticated'])",
        },
        {
          expression: "!(request.resource.resource in ['configmaps', 'deployments']) || (request.userInfo.username == 'kubernetes-admin' && request.userInfo.groups == ['kubeadm:cluster-admins', 'system:authenticated'])",
          messageExpression: "'not the admin: ' + request.userInfo.username",
        },
      ],
    }));
    pg.api.create(VAPB, undefined, binding('who', { policyName: 'who', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } }));
    pg.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: test}\n');
    pg.apply(WEB);
    pg.advance(30_000);
    // The ReplicaSet, its pods, their bindings and the kubelets' status writes were all admitted.
    assert.strictEqual(running(pg).length, 2);
    // A write as someone else is still refused, in the policy's words.
    const s = statusOf(() => pg.api.create(R.configmaps, 'test', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'test' } } as KObject,
      { user: { username: 'jane', groups: ['system:authenticated'] } }));
    assert.match(s.message, /denied request: not the admin: jane$/);
    pg.close();
  });
});

describe('ValidatingAdmissionPolicy: a saved cluster opens whatever its policies say', () => {
  it('opens again when a policy refuses what the apiserver makes at start (the refused object stays missing)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { newTestPlayground } = require('../../../../cluster/src/testing') as typeof import('../../../../cluster/src/testing');
    const fs = require('node:fs') as typeof import('node:fs');
    const os = require('node:os') as typeof import('node:os');
    const path = require('node:path') as typeof import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-vap-restore-'));
    try {
      const pg = newTestPlayground({ stateDir: dir });
      pg.apply(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: no-new-clusterroles }
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - { apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["*"], operations: ["CREATE"], resources: ["clusterroles"] }
  validations:
  - { expression: "false", message: frozen RBAC }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: no-new-clusterroles }
spec: { policyName: no-new-clusterroles, validationActions: [Deny] }
`);
      pg.api.delete({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' }, undefined, 'view');
      pg.close();
      const again = newTestPlayground({ stateDir: dir });
      try {
        assert.equal(again.store.get('rbac.authorization.k8s.io/clusterroles', undefined, 'view'), undefined);
        assert.ok(again.store.get('rbac.authorization.k8s.io/clusterroles', undefined, 'edit'));
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
