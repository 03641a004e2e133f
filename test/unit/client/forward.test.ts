import * as assert from 'assert';
import { defaultSpec, nodePortUrl, parseForwardSpec, podForService, targetPortOf } from '../../../client/src/model/forward';

const pod = (name: string, phase: string, ready: boolean, created: string, ports: any[] = []): any => ({
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' }, creationTimestamp: created },
  spec: { containers: [{ name: 'c', ports }] },
  status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('port forward targets (the tree\'s Port Forward…)', () => {
  it('parses LOCAL:REMOTE, REMOTE and :REMOTE as kubectl does', () => {
    assert.deepStrictEqual(parseForwardSpec('8080:80'), { local: 8080, remote: 80 });
    assert.deepStrictEqual(parseForwardSpec(' 5432 '), { local: 5432, remote: 5432 });
    assert.deepStrictEqual(parseForwardSpec(':80'), { local: 0, remote: 80 });
    for (const bad of ['', 'web', '80:', '8080:0', '70000', '1:2:3', '-1:80']) assert.strictEqual(parseForwardSpec(bad), undefined, bad);
  });

  it('offers the first declared port, locally 8080 below 1024', () => {
    assert.strictEqual(defaultSpec(pod('p', 'Running', true, 't', [{ containerPort: 3000 }])), '3000:3000');
    assert.strictEqual(defaultSpec(pod('p', 'Running', true, 't', [{ containerPort: 80 }])), '8080:80');
    assert.strictEqual(defaultSpec(pod('p', 'Running', true, 't')), '8080:80');
    assert.strictEqual(defaultSpec({ kind: 'Service', metadata: {}, spec: { ports: [{ port: 443 }] } } as any), '8080:443');
  });

  it('picks a Service\'s pod as kubectl attaches: running and ready first, then the oldest', () => {
    const svc: any = { kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } };
    const pods = [
      pod('pending', 'Pending', false, '2026-01-01T00:00:00Z'),
      pod('unready', 'Running', false, '2026-01-01T00:00:01Z'),
      pod('young', 'Running', true, '2026-01-01T00:00:09Z'),
      pod('old', 'Running', true, '2026-01-01T00:00:05Z'),
      { ...pod('other', 'Running', true, '2026-01-01T00:00:00Z'), metadata: { name: 'other', namespace: 'default', labels: { app: 'db' } } },
    ];
    assert.strictEqual(podForService(svc, pods)?.metadata.name, 'old');
    assert.strictEqual(podForService({ ...svc, spec: {} }, pods), undefined, 'no selector, no pod');
  });

  it('maps a Service port to the pod port: a number, a named container port, or the port itself', () => {
    const p = pod('p', 'Running', true, 't', [{ name: 'http', containerPort: 8080 }]);
    const svc: any = { kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 9000 }, { port: 82 }, { port: 83, targetPort: 'nope' }] } };
    assert.strictEqual(targetPortOf(svc, p, 80), 8080);
    assert.strictEqual(targetPortOf(svc, p, 81), 9000);
    assert.strictEqual(targetPortOf(svc, p, 82), 82);
    assert.throws(() => targetPortOf(svc, p, 83), /Pod 'p' does not have a named port 'nope'/);
    assert.strictEqual(targetPortOf({ ...svc, spec: { ...svc.spec, clusterIP: 'None' } }, p, 5000), 5000, 'headless: the port as given');
    const sidecar = { ...p, spec: { containers: [{ name: 'c' }], initContainers: [{ name: 's', restartPolicy: 'Always', ports: [{ name: 'nope', containerPort: 9100 }] }] } };
    assert.strictEqual(targetPortOf(svc, sidecar, 83), 9100, 'init containers (sidecars) are searched too');
    assert.throws(() => targetPortOf(svc, p, 99), /Service web does not have a service port 99/);
  });

  it('opens a NodePort Service at its first TCP nodePort on localhost, and nothing else', () => {
    const svc = (type: string, ports: any[]): any => ({ kind: 'Service', metadata: { name: 's' }, spec: { type, ports } });
    assert.strictEqual(nodePortUrl(svc('NodePort', [{ port: 53, protocol: 'UDP', nodePort: 30053 }, { port: 80, nodePort: 31433 }])), 'http://127.0.0.1:31433/');
    assert.strictEqual(nodePortUrl(svc('LoadBalancer', [{ port: 80, nodePort: 30080 }])), undefined, 'Docker Desktop publishes a LoadBalancer on its port, which the playground does not');
    assert.strictEqual(nodePortUrl(svc('ClusterIP', [{ port: 80 }])), undefined);
    assert.strictEqual(nodePortUrl(svc('NodePort', [])), undefined);
  });
});
