/**
 * Protobuf request bodies as kubectl's typed clients send them: fields whose
 * protobuf name is not their JSON name (`uID` for `uid`, `aPIGroup` for
 * `apiGroup`) arrive under the JSON name the rest of the apiserver reads, and
 * the zero values protobuf always carries are kept or dropped as the Go
 * struct's JSON would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeKubernetesProtobuf } from '../../../cluster/src/http/proto/decode';
import { repoRoot } from '../../kubectl/binaries';

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field (wire type 2): a string or an embedded message. */
function field(num: number, value: string | Buffer): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint((num << 3) | 2), varint(body.length), body]);
}

/** A varint field (wire type 0): an int or a bool. */
function num(n: number, value: number | boolean): Buffer {
  return Buffer.concat([varint(n << 3), varint(Number(value))]);
}

/** The `k8s\0` magic and a runtime.Unknown around `raw`. */
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), field(1, typeMeta), field(2, raw)]);
}

describe('protobuf request bodies', () => {
  it('names BoundObjectReference.uID `uid`, as kubectl create token --bound-object-uid sends it', () => {
    const ref = Buffer.concat([field(1, 'Pod'), field(2, 'v1'), field(3, 'kc'), field(4, '123')]);
    const spec = field(3, ref);
    const obj: any = decodeKubernetesProtobuf(envelope('authentication.k8s.io/v1', 'TokenRequest', field(2, spec)));
    assert.deepEqual(obj.spec.boundObjectRef, { kind: 'Pod', apiVersion: 'v1', name: 'kc', uid: '123' });
  });

  it('names IngressClassParametersReference.aPIGroup `apiGroup`', () => {
    const params = Buffer.concat([field(1, 'k8s.example.com'), field(2, 'IngressParameters'), field(3, 'external-lb')]);
    const spec = Buffer.concat([field(1, 'example.com/ingress-controller'), field(2, params)]);
    const obj: any = decodeKubernetesProtobuf(envelope('networking.k8s.io/v1', 'IngressClass', field(2, spec)));
    assert.deepEqual(obj.spec.parameters, { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' });
  });

  it('drops the zero of a non-pointer omitempty field and keeps an explicit pointer zero, as kubectl create deployment sends them', () => {
    // kubectl create deploy web --image=nginx --port=80 --replicas=0: gogo-protobuf writes every non-pointer scalar.
    const port = Buffer.concat([num(2, 0), num(3, 80), field(4, 'TCP')]); // hostPort 0, containerPort 80
    const container = Buffer.concat([field(1, 'nginx'), field(2, 'nginx'), field(6, port)]);
    const podSpec = Buffer.concat([field(2, container), num(11, false), num(21, false)]); // hostNetwork, automountServiceAccountToken
    const template = Buffer.concat([field(1, Buffer.concat([field(1, ''), num(7, 0)])), field(2, podSpec)]);
    const spec = Buffer.concat([num(1, 0), field(3, template), num(5, 0), num(7, false)]); // replicas, minReadySeconds, paused
    const obj: any = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', Buffer.concat([field(1, field(1, 'web')), field(2, spec)])));
    assert.deepEqual(obj.spec, {
      replicas: 0,
      template: {
        metadata: {},
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }], automountServiceAccountToken: false },
      },
    });
  });

  it('keeps a Service port\'s zero nodePort out and a false allocateLoadBalancerNodePorts in', () => {
    const port = Buffer.concat([field(1, ''), field(2, 'TCP'), num(3, 80), num(5, 0)]);
    const spec = Buffer.concat([field(1, port), field(4, 'LoadBalancer'), num(12, 0), num(13, false), num(20, false)]);
    const obj: any = decodeKubernetesProtobuf(envelope('v1', 'Service', Buffer.concat([field(1, field(1, 'web')), field(2, spec)])));
    assert.deepEqual(obj.spec, { ports: [{ protocol: 'TCP', port: 80 }], type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
  });

  it('marks in fields.json exactly the non-pointer omitempty scalars (from the descriptors and the Go struct tags)', () => {
    const table = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'cluster', 'src', 'http', 'proto', 'fields.json'), 'utf8'));
    const mark = (message: string, name: string) => {
      const f = Object.values<any[]>(table[`k8s.io.api.${message}`]).find((x) => x[0] === name);
      assert.ok(f, `${message}.${name}`);
      return f![3] === 1;
    };
    // Non-pointer, omitempty: dropped at zero.
    for (const m of ['apps.v1.DeploymentSpec', 'apps.v1.ReplicaSetSpec', 'apps.v1.DaemonSetSpec', 'apps.v1.StatefulSetSpec']) assert.ok(mark(m, 'minReadySeconds'), m);
    assert.ok(mark('core.v1.ContainerPort', 'hostPort'));
    assert.ok(mark('core.v1.ServicePort', 'nodePort'));
    assert.ok(mark('core.v1.ServiceSpec', 'healthCheckNodePort'));
    assert.ok(mark('core.v1.PodSpec', 'hostNetwork'));
    // Pointers (`*int32`, `*bool`, `*int64`): kept when sent.
    assert.ok(!mark('apps.v1.DeploymentSpec', 'replicas'));
    assert.ok(!mark('core.v1.PodSpec', 'automountServiceAccountToken'));
    assert.ok(!mark('core.v1.PodSpec', 'terminationGracePeriodSeconds'));
    assert.ok(!mark('batch.v1.JobSpec', 'backoffLimit'));
    // Non-pointer without omitempty (`ContainerPort int32 json:"containerPort"`, PDB status counts): always printed.
    assert.ok(!mark('core.v1.ContainerPort', 'containerPort'));
    assert.ok(!mark('policy.v1.PodDisruptionBudgetStatus', 'disruptionsAllowed'));
    assert.ok(!mark('core.v1.ContainerStatus', 'restartCount'));
  });
});
