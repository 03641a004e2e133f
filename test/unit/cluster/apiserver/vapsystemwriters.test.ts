/**
 * Every write inside the playground has a user, as every request to a real kind cluster does: the apiserver's
 * loopback writes (system:apiserver in system:masters), the leader elections (the components' own users), the CRD
 * and APIService controllers, the IPAddress and ServiceCIDR controllers, ingress-nginx and the local-path
 * provisioner (their pods' service accounts). A policy that refuses writes without one must leave a cluster with
 * Services, an Ingress, a local-path volume and a CRD converging, and one that asks for each component's user by
 * name must let each do its work.
 */
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

const VAP = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const VAPB = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' };
const CRD = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets' };
const ING = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const IPS = { group: 'networking.k8s.io', version: 'v1', resource: 'ipaddresses' };
const CIDRS = { group: 'networking.k8s.io', version: 'v1', resource: 'servicecidrs' };
const FLOW_SCHEMAS = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas' };
const APISERVICES = { group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices' };
const CLUSTER_ROLES = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };

/** A Deny policy on every write of every resource and subresource. */
function install(pg: KubePlayground, name: string, validations: Array<{ expression: string; messageExpression?: string }>): void {
  pg.api.create(VAP, undefined, {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*', '*/*'] }] },
      validations,
    },
  } as KObject);
  pg.api.create(VAPB, undefined, {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  } as KObject);
}

const WORKLOAD = `apiVersion: v1
kind: Namespace
metadata: {name: test}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: test}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: test}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: test}
spec:
  ingressClassName: nginx
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: test}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: user, namespace: test}
spec:
  containers: [{name: c, image: nginx, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;

const exists = (pg: KubePlayground, gvr: typeof R.pods, ns: string | undefined, name: string) => {
  try {
    pg.api.get(gvr, ns, name);
    return true;
  } catch {
    return false;
  }
};
const running = (pg: KubePlayground) => pg.api.list(R.pods, 'test').items.filter((p) => p.metadata.labels?.app === 'web' && p.status?.phase === 'Running').length;
const established = (pg: KubePlayground) => (pg.api.get(CRD, undefined, 'widgets.example.com').status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
const addressed = (pg: KubePlayground) => (pg.api.get(ING, 'test', 'web').status?.loadBalancer?.ingress ?? []).length > 0;
const bound = (pg: KubePlayground) => pg.api.get(R.pvcs, 'test', 'data').status?.phase === 'Bound';
const renewed = (pg: KubePlayground, lease: string) => Date.parse(pg.api.get(R.leases, 'kube-system', lease).spec.renewTime);
const refusals = (pg: KubePlayground) => pg.logHistory().filter((l) => /denied request|poststarthook/.test(l.message)).map((l) => `${l.component}: ${l.message}`);

/** The workload comes up, then is taken down again; every step is some component's write. */
function converge(pg: KubePlayground): void {
  const since = pg.clock.now();
  pg.enableAddon('ingress-nginx');
  pg.apply(WORKLOAD);
  assert.ok(pg.runUntil(() => established(pg), 10_000), 'the CRD is established');
  pg.apply('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: test}\n');
  assert.ok(pg.runUntil(() => running(pg) === 2 && bound(pg) && addressed(pg), 240_000), `converged: ${refusals(pg).join('; ')}`);
  // The Service's ClusterIP has its IPAddress (the apiserver's allocator); the leaders keep renewing their leases.
  assert.ok(exists(pg, IPS, undefined, pg.api.get(R.services, 'test', 'web').spec.clusterIP));
  for (const lease of ['kube-controller-manager', 'kube-scheduler']) assert.ok(renewed(pg, lease) > since, `${lease} renewed`);
  // A ServiceCIDR of the user's gets the service-cidrs controller's finalizer and Ready condition.
  pg.apply('apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: extra}\nspec: {cidrs: [10.100.0.0/24]}\n');
  pg.advance(2_000);
  const cidr = pg.api.get(CIDRS, undefined, 'extra');
  assert.deepStrictEqual(cidr.metadata.finalizers, ['networking.k8s.io/service-cidr-finalizer']);
  assert.strictEqual(cidr.status?.conditions?.[0]?.status, 'True');
  // A suggested FlowSchema someone deleted comes back with the ensurer's next pass; an APIService gets its condition.
  pg.api.delete(FLOW_SCHEMAS, undefined, 'service-accounts');
  pg.apply('apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1.example.org}\nspec: {group: example.org, version: v1, groupPriorityMinimum: 100, versionPriority: 10, service: {namespace: test, name: missing}}\n');
  pg.advance(61_000);
  assert.ok(exists(pg, FLOW_SCHEMAS, undefined, 'service-accounts'), 'the APF ensurer made it again');
  assert.strictEqual(pg.api.get(APISERVICES, undefined, 'v1.example.org').status?.conditions?.[0]?.reason, 'ServiceNotFound');
  // The playground's kubectl-like operations are kubernetes-admin's, rollout undo included.
  pg.setImage(R.deployments, 'test', 'web', 'c', 'nginx:1.27');
  pg.advance(5_000);
  pg.rolloutUndo(R.deployments, 'test', 'web');
  assert.strictEqual(pg.api.get(R.deployments, 'test', 'web').spec.template.spec.containers[0].image, 'nginx');
  // Taken down: the provisioner removes the volume (and its helper pod), the CRD finalizer its instances.
  const pv = pg.api.get(R.pvcs, 'test', 'data').spec.volumeName;
  pg.api.delete(R.pods, 'test', 'user');
  pg.api.delete(R.pvcs, 'test', 'data');
  pg.api.delete(CRD, undefined, 'widgets.example.com');
  assert.ok(pg.runUntil(() => !exists(pg, R.pvs, undefined, pv) && !exists(pg, CRD, undefined, 'widgets.example.com'), 120_000), `taken down: ${refusals(pg).join('; ')}`);
  assert.ok(!exists(pg, WIDGETS, 'test', 'w'));
  pg.api.delete(R.namespaces, undefined, 'test');
  assert.ok(pg.runUntil(() => !exists(pg, R.namespaces, undefined, 'test'), 120_000), 'the namespace is gone');
}

describe("cluster: every internal writer has upstream's user", function () {
  this.timeout(120_000);

  it('a policy refusing writes without a username leaves Services, an Ingress, a local-path volume and a CRD converging, and a saved cluster opening', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-actors-'));
    try {
      const pg = newTestPlayground({ stateDir: dir });
      install(pg, 'someone-writes', [{ expression: "request.userInfo.username != ''", messageExpression: "'no user: ' + request.resource.resource" }]);
      converge(pg);
      assert.deepStrictEqual(refusals(pg), []);
      // Taken away, then put back by the apiserver's post-start hooks when the saved cluster opens again.
      pg.api.delete(CLUSTER_ROLES, undefined, 'view');
      pg.api.delete(APISERVICES, undefined, 'v1.apps');
      pg.close();
      const again = newTestPlayground({ stateDir: dir });
      try {
        assert.ok(exists(again, CLUSTER_ROLES, undefined, 'view'));
        assert.ok(exists(again, APISERVICES, undefined, 'v1.apps'));
        again.advance(10_000);
        assert.deepStrictEqual(refusals(again), []);
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each component writes as its own user: the apiserver, the leaders, the service-cidrs and protection controllers, ingress-nginx, local-path', () => {
    const pg = newTestPlayground();
    const is = (user: string, groups: string) => `(request.userInfo.username == '${user}' && request.userInfo.groups == ${groups})`;
    const sa = (ns: string, name: string) => is(`system:serviceaccount:${ns}:${name}`, `['system:serviceaccounts', 'system:serviceaccounts:${ns}', 'system:authenticated']`);
    // In system:authenticated too since kubernetes#127902, with the uid its loopback token was made with.
    const apiserver = `(${is('system:apiserver', "['system:authenticated', 'system:masters']")} && request.userInfo.uid != '')`;
    const res = (r: string) => `request.resource.resource == '${r}'`;
    const sub = 'has(request.subResource)';
    const named = (n: string) => `has(request.name) && request.name == '${n}'`;
    const deleting = 'request.operation == "UPDATE" && !has(request.subResource) && has(object.metadata.deletionTimestamp)';
    const rules: Array<[string, string]> = [
      [`${res('leases')} && ${named('kube-controller-manager')}`, is('system:kube-controller-manager', "['system:authenticated']")],
      [`${res('leases')} && ${named('kube-scheduler')}`, is('system:kube-scheduler', "['system:authenticated']")],
      [`${res('customresourcedefinitions')} && ${sub}`, apiserver],
      [`${res('apiservices')} && ${sub}`, apiserver],
      [`${res('flowschemas')} && request.operation != 'DELETE'`, apiserver],
      [res('ipaddresses'), apiserver],
      [`${res('servicecidrs')} && request.operation == 'UPDATE'`, sa('kube-system', 'service-cidrs-controller')],
      [`${res('ingresses')} && ${sub}`, sa('ingress-nginx', 'ingress-nginx')],
      [`${res('persistentvolumes')} && request.operation in ['CREATE', 'DELETE']`, sa('local-path-storage', 'local-path-provisioner-service-account')],
      [`${res('pods')} && request.operation == 'CREATE' && request.namespace == 'local-path-storage' && has(request.name) && request.name.startsWith('helper-pod-')`,
        sa('local-path-storage', 'local-path-provisioner-service-account')],
      [`${res('persistentvolumes')} && ${deleting}`, sa('kube-system', 'pv-protection-controller')],
      [`${res('persistentvolumeclaims')} && ${deleting}`, sa('kube-system', 'pvc-protection-controller')],
    ];
    install(pg, 'who-writes', rules.map(([when, who]) => ({
      expression: `!(${when}) || ${who}`,
      messageExpression: `'not the expected writer of ' + request.resource.resource + ': ' + request.userInfo.username`,
    })));
    try {
      converge(pg);
      assert.deepStrictEqual(refusals(pg), []);
    } finally {
      pg.close();
    }
  });
});
