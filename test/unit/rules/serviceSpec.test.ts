import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { setup } from '../server/harness';
import { textAt } from '../validate/helpers';

/**
 * ValidateService's checks over the whole port list: ports required, no
 * nodePort on a ClusterIP Service, no duplicate (protocol, nodePort) or
 * (protocol, port), reported after spec.type as upstream appends them.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const svc = (spec: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });
const DUP80 = 'core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}';

describe('rules/serviceSpec: checks across a Service\'s ports', () => {
  it('a second port with the same protocol and port is a Duplicate of the whole port, printed as upstream\'s key struct', () => {
    assert.deepStrictEqual(errors(svc({ ports: [{ name: 'http', port: 80 }, { name: 'alt', port: 80, protocol: 'TCP', targetPort: 8080 }] })),
      [`spec.ports[1]: Duplicate value: ${DUP80}`]);
    // Another protocol on the same number is a different port.
    assert.deepStrictEqual(errors(svc({ ports: [{ name: 'dns', port: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }] })), []);
  });

  it('nodePort on a ClusterIP Service (also when type is left to its default) is forbidden, port by port', () => {
    const expect = ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"];
    assert.deepStrictEqual(errors(svc({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] })), expect);
    assert.deepStrictEqual(errors(svc({ ports: [{ port: 80, nodePort: 30080 }] })), expect);
    assert.deepStrictEqual(errors(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), []);
  });

  it('duplicate nodePorts, then duplicate ports, after the per-port name and range checks', () => {
    const errs = errors(svc({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'a', port: 80, nodePort: 30080, targetPort: 70000 }] }));
    assert.deepStrictEqual(errs, [
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[1].nodePort: Duplicate value: 30080',
      `spec.ports[1]: Duplicate value: ${DUP80}`,
    ]);
  });

  it('ports are required unless the Service is headless or ExternalName', () => {
    assert.deepStrictEqual(errors(svc({ selector: { app: 'web' } })), ['spec.ports: Required value']);
    assert.deepStrictEqual(errors(svc({ ports: [] })), ['spec.ports: Required value']);
    assert.deepStrictEqual(errors(svc({ clusterIP: 'None', selector: { app: 'db' } })), []);
    assert.deepStrictEqual(errors(svc({ type: 'ExternalName', externalName: 'db.example.com' })), []);
  });

  it('the editor marks the nodePort key and the duplicate port number', () => {
    const { model, ctx } = setup('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: a\n    port: 80\n    nodePort: 30080\n'
      + '  - name: b\n    port: 80\n|');
    const ds = computeDiagnostics(model, ctx).map((d) => [String(d.code), textAt(model.text, d.range)]);
    assert.deepStrictEqual(ds, [['node-port-cluster-ip', 'nodePort'], ['duplicate-service-port', '80']]);
  });
});
