import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubePlayground } from '../../../../cluster/src/playground';
import { newTestControlPlane, R, refusal as message } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { repoRoot } from '../../../kubectl/binaries';

/**
 * A JSON `null` in a built-in object's body is decoded into Go structs and written back by their tags: a nil map,
 * slice or pointer with omitempty is left out, one without omitempty stays `null`, a non-pointer struct is `{}`, a
 * scalar is its zero value (left out again when omitempty). A stray `-` in YAML (a null list element) is the element
 * type's zero value. Validation then judges the decoded value, as upstream's does.
 */

describe('apiserver: JSON nulls decode as Go decodes them', () => {
  it('leaves out the nulls of omitempty maps, slices, pointers and scalars (a YAML key with nothing after it)', () => {
    const cp = newTestControlPlane();
    const pod = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: null, annotations: null },
      spec: { securityContext: null, nodeSelector: null, tolerations: null, hostname: null, containers: [{ name: 'c', image: 'nginx', securityContext: null, env: null, command: null,
        ports: null, livenessProbe: null, workingDir: null, stdin: null, resources: null }] } } as any).object;
    for (const k of ['labels', 'annotations']) assert.ok(!(k in pod.metadata), k);
    assert.ok(!('nodeSelector' in pod.spec) && !('hostname' in pod.spec));
    assert.deepEqual(pod.spec.securityContext, {}, 'defaulted, as SetDefaults_PodSpec does for a nil pointer');
    const c = pod.spec.containers[0];
    for (const k of ['securityContext', 'env', 'command', 'ports', 'livenessProbe', 'workingDir', 'stdin']) assert.ok(!(k in c), k);
    assert.deepEqual(c.resources, {}, 'a non-pointer struct');
    assert.ok(!JSON.stringify(pod).includes('null'), JSON.stringify(pod));
  });

  it('gives map values and non-pointer scalars their zero value: "" for a label, "0" for a quantity', () => {
    const cp = newTestControlPlane();
    const pod = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'z', labels: { a: null } },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: null } }, env: [{ name: 'A', value: null }] }] } } as any).object;
    assert.deepEqual(pod.metadata.labels, { a: '' });
    assert.deepEqual(pod.spec.containers[0].resources, { requests: { cpu: '0' } });
    assert.deepEqual(pod.spec.containers[0].env, [{ name: 'A' }]);
  });

  it('judges the decoded value: a nil slice is missing, a null port is 0, a null name is ""', () => {
    const cp = newTestControlPlane();
    const pod = (name: string, spec: any) => () => cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } as any);
    const ctr = (more: any) => ({ name: 'c', image: 'nginx', ...more });
    assert.equal(message(pod('a', { containers: null })), 'Pod "a" is invalid: spec.containers: Required value');
    assert.equal(message(pod('b', null)), 'Pod "b" is invalid: spec.containers: Required value');
    // validateContainerPorts: a ContainerPort of 0 is Required, not out of range.
    assert.equal(message(pod('c', { containers: [ctr({ ports: [{ containerPort: null }] })] })), 'Pod "c" is invalid: spec.containers[0].ports[0].containerPort: Required value');
    assert.equal(message(pod('d', { containers: [ctr({ env: [{ name: null }] })] })), 'Pod "d" is invalid: spec.containers[0].env[0].name: Required value');
    assert.equal(message(pod('e', { containers: [ctr({ name: null })] })), 'Pod "e" is invalid: spec.containers[0].name: Required value');
    // ValidateServicePort: the port is checked by IsValidPortNum alone.
    assert.equal(message(() => cp.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: null }] } } as any)),
      'Service "s" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
  });

  it('refuses a pod whose containers or volumes hold a null, as the zero struct fails validation; the cluster keeps running', () => {
    const pg = new KubePlayground({ seed: 1, nodes: 1 });
    try {
      const create = (spec: any) => pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec } as KObject);
      assert.throws(() => create({ volumes: [null], containers: [{ name: 'a', image: 'nginx' }] }), (e: any) => e.status.message === 'Pod "p" is invalid: spec.volumes[0].name: Required value');
      assert.throws(() => create({ containers: [null] }), (e: any) => e.status.message === 'Pod "p" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value]');
      const ok = create({ containers: [{ name: 'a', image: 'nginx', args: ['x', null] }] });
      assert.deepEqual(ok.object.spec.containers[0].args, ['x', ''], 'a null string is the empty string');
      assert.doesNotThrow(() => pg.advance(5_000));
    } finally {
      pg.close();
    }
  });

  it('decodes the result of a JSON patch and the body of a server-side apply the same way', () => {
    const cp = newTestControlPlane();
    const deploy = (name: string, ctr: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: null },
      spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { nodeSelector: null, containers: [{ name: 'c', image: 'nginx', ...ctr }] } } } });
    cp.api.create(R.deployments, 'default', deploy('d', {}) as any);
    const patched = cp.api.patch(R.deployments, 'default', 'd', 'json', [
      { op: 'add', path: '/spec/template/spec/containers/0/env', value: null },
      { op: 'add', path: '/metadata/annotations', value: null },
    ]).object;
    assert.ok(!('env' in patched.spec.template.spec.containers[0]));
    assert.ok(!('annotations' in patched.metadata));
    const applied = cp.api.patch(R.deployments, 'default', 'a', 'apply', deploy('a', { env: null, ports: [{ containerPort: 80, hostPort: null }] }), { fieldManager: 'kubectl' }).object;
    assert.ok(!('labels' in applied.metadata));
    assert.ok(!('nodeSelector' in applied.spec.template.spec));
    assert.ok(!('env' in applied.spec.template.spec.containers[0]));
    assert.deepEqual(applied.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('knows each field\'s Go shape from the kubectl binary (nulls.json): which nulls stay and which are zero values', () => {
    const t = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'cluster', 'src', 'apiserver', 'nulls.json'), 'utf8'));
    const KEEP_NULL = 0;
    const ZERO = 1;
    assert.deepEqual(t['io.k8s.api.core.v1.PodSpec'], { containers: KEEP_NULL });
    assert.deepEqual(t['io.k8s.api.core.v1.Container'], { name: ZERO, resources: ZERO });
    assert.deepEqual(t['io.k8s.api.core.v1.EphemeralContainer'], { name: ZERO, resources: ZERO }, 'the inlined EphemeralContainerCommon');
    assert.equal(t['io.k8s.api.core.v1.ContainerPort'].containerPort, ZERO);
    // metav1.Time prints a zero value as null; ObjectMeta.creationTimestamp is omitzero since v1.34.
    assert.equal(t['io.k8s.api.core.v1.PodCondition'].lastProbeTime, ZERO);
    assert.deepEqual(t['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], {});
  });
});
