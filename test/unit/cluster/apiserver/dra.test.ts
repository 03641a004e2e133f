import * as assert from 'assert';
import { newTestControlPlane } from '../../../../cluster/src/testing';
import { statusOf } from './statusOf';

/**
 * resource.k8s.io/v1 validation as v1.34's pkg/apis/resource/validation words it: a request's DNS-label name,
 * exactly one of `exactly` and `firstAvailable`, the device class, the allocation mode and count after defaulting, CEL
 * selectors compiled against `device`, and a ResourceSlice's driver, pool and node selection.
 */
const CLAIMS = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaims' };
const TEMPLATES = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaimtemplates' };
const CLASSES = { group: 'resource.k8s.io', version: 'v1', resource: 'deviceclasses' };
const SLICES = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceslices' };

const claim = (name: string, requests: any[]) =>
  ({ apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name }, spec: { devices: { requests } } }) as any;

describe('apiserver: resource.k8s.io/v1 validation and defaulting', () => {
  it('accepts a claim without requests and one with firstAvailable, defaulting each subrequest', () => {
    const cp = newTestControlPlane();
    cp.api.create(CLAIMS, 'default', { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'empty' } } as any);
    const c = cp.api.create(CLAIMS, 'default', claim('pick', [{ name: 'gpu', firstAvailable: [
      { name: 'big', deviceClassName: 'big.example.com' }, { name: 'small', deviceClassName: 'small.example.com', allocationMode: 'All' }] }]));
    assert.deepStrictEqual(c.object.spec.devices.requests[0].firstAvailable, [
      { name: 'big', deviceClassName: 'big.example.com', allocationMode: 'ExactCount', count: 1 },
      { name: 'small', deviceClassName: 'small.example.com', allocationMode: 'All' },
    ]);
  });

  it('refuses a request with neither shape, a bad name and a missing class, in upstream words', () => {
    const cp = newTestControlPlane();
    const e = statusOf(() => cp.api.create(CLAIMS, 'default', claim('bad', [{ name: 'GPU' }, { name: 'b', exactly: {} }])));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(e.message, 'ResourceClaim.resource.k8s.io "bad" is invalid: ['
      + 'spec.devices.requests[0].name: Invalid value: "GPU": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\'), '
      + 'spec.devices.requests[0]: Required value: exactly one of `exactly` or `firstAvailable` is required, '
      + 'spec.devices.requests[1].exactly.deviceClassName: Required value]');
  });

  it('checks the count against the allocation mode, duplicate names and both shapes at once', () => {
    const cp = newTestControlPlane();
    const e = statusOf(() => cp.api.create(CLAIMS, 'default', claim('modes', [
      { name: 'a', exactly: { deviceClassName: 'c', allocationMode: 'All', count: 2 } },
      { name: 'a', exactly: { deviceClassName: 'c', count: -1 } },
      { name: 'c', exactly: { deviceClassName: 'c', allocationMode: 'Some' } },
      { name: 'd', exactly: { deviceClassName: 'c' }, firstAvailable: [{ name: 'x', deviceClassName: 'c' }] },
    ])));
    assert.deepStrictEqual(e.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      "spec.devices.requests[0].exactly.count: Invalid value: 2: must not be specified when allocationMode is 'All'",
      'spec.devices.requests[1].exactly.count: Invalid value: -1: must be greater than zero',
      'spec.devices.requests[2].exactly.allocationMode: Unsupported value: "Some": supported values: "All", "ExactCount"',
      'spec.devices.requests[3]: Invalid value: "null": exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set',
      'spec.devices.requests[1]: Duplicate value: "a"',
    ]);
  });

  it('compiles CEL selectors against the device: a syntax error, a non-bool result and an unknown variable', () => {
    const cp = newTestControlPlane();
    const ok = { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'gpu.example.com' },
      spec: { selectors: [{ cel: { expression: 'device.driver == "gpu.example.com" && device.attributes["gpu.example.com"].model == "a100"' } }] } };
    assert.strictEqual(cp.api.create(CLASSES, undefined, ok as any).object.metadata.generation, 1);
    const e = statusOf(() => cp.api.create(CLASSES, undefined, { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'bad' },
      spec: { selectors: [{ cel: { expression: 'device.driver' } }, { cel: { expression: 'foo == 1' } }, {}] } } as any));
    const causes = e.details.causes.map((c: any) => `${c.field}: ${c.message}`);
    assert.strictEqual(causes[0], 'spec.selectors[0].cel.expression: Invalid value: "device.driver": must evaluate to bool or the unknown type, not string');
    assert.match(causes[1], /^spec\.selectors\[1\]\.cel\.expression: Invalid value: "foo == 1": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo'/);
    assert.strictEqual(causes[2], 'spec.selectors[2].cel: Required value');
  });

  it('checks a template\'s claim spec under spec.spec and the names of every kind', () => {
    const cp = newTestControlPlane();
    const e = statusOf(() => cp.api.create(TEMPLATES, 'default', { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name: 'T_1' },
      spec: { spec: { devices: { requests: [{ name: 'r', exactly: { deviceClassName: 'Bad_Class' } }] } } } } as any));
    assert.deepStrictEqual(e.details.causes.map((c: any) => c.field), ['metadata.name', 'spec.spec.devices.requests[0].exactly.deviceClassName']);
  });

  it('wants exactly one node selection, a driver and a pool of a ResourceSlice', () => {
    const cp = newTestControlPlane();
    const e = statusOf(() => cp.api.create(SLICES, undefined, { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceSlice', metadata: { name: 's' },
      spec: { pool: {} } } as any));
    assert.deepStrictEqual(e.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'spec.driver: Required value',
      'spec.pool.name: Required value',
      'spec.pool.resourceSliceCount: Invalid value: 0: must be greater than zero',
      'spec: Required value: exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required',
    ]);
  });
});
