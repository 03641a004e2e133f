/**
 * Protobuf request bodies as kubectl's typed clients send them: fields whose
 * protobuf name is not their JSON name (`uID` for `uid`, `aPIGroup` for
 * `apiGroup`) arrive under the JSON name the rest of the apiserver reads.
 */
import * as assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from '../../../cluster/src/http/proto/decode';

/** A length-delimited field (wire type 2): a string or an embedded message. */
function field(num: number, value: string | Buffer): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const varint = (n: number) => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
    return Buffer.from(out);
  };
  return Buffer.concat([varint((num << 3) | 2), varint(body.length), body]);
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
});
