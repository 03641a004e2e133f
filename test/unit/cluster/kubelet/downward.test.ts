/**
 * What a container reads from the downward API and its ConfigMap/Secret
 * volumes, in a whole playground (the node's allocatable is a real Node's):
 * `resourceFieldRef` values in env and in downwardAPI volume files, pod IPs,
 * `$(VAR)` over the Service link variables, and an optional missing object.
 */
import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { resourceFieldValue } from '../../../../cluster/src/kubelet/downward';

function run(pg: KubePlayground, pod: string, container: string, line: string) {
  return new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', pod), container)).run(line);
}

function withPlayground(yaml: string, fn: (pg: KubePlayground) => void): void {
  const pg = newTestPlayground();
  try {
    pg.apply(yaml);
    pg.advance(30_000);
    fn(pg);
  } finally {
    pg.close();
  }
}

describe('downward API and config volumes as the kubelet fills them', () => {
  it('prints the documentation\'s dapi-envars-resourcefieldref values: ceil(value / divisor), requests too', () => {
    // https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/
    withPlayground(`apiVersion: v1
kind: Pod
metadata: {name: dapi-envars-resourcefieldref}
spec:
  containers:
  - name: test-container
    image: busybox
    command: [sleep, infinity]
    resources: {requests: {memory: 32Mi, cpu: 125m}, limits: {memory: 64Mi, cpu: 250m}}
    env:
    - {name: MY_CPU_REQUEST, valueFrom: {resourceFieldRef: {containerName: test-container, resource: requests.cpu}}}
    - {name: MY_CPU_LIMIT, valueFrom: {resourceFieldRef: {containerName: test-container, resource: limits.cpu}}}
    - {name: MY_MEM_REQUEST, valueFrom: {resourceFieldRef: {containerName: test-container, resource: requests.memory}}}
    - {name: MY_MEM_LIMIT, valueFrom: {resourceFieldRef: {containerName: test-container, resource: limits.memory}}}
    - {name: CPU_M, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
    - {name: MEM_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
    - {name: MEM_GI, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Gi}}}
    - {name: EPH, valueFrom: {resourceFieldRef: {resource: limits.ephemeral-storage}}}
    - {name: D_CPU, valueFrom: {resourceFieldRef: {containerName: d, resource: limits.cpu}}}
    - {name: D_MEM, valueFrom: {resourceFieldRef: {containerName: d, resource: limits.memory, divisor: 1Mi}}}
  - name: d
    image: busybox
    command: [sleep, infinity]
`, (pg) => {
      const out = run(pg, 'dapi-envars-resourcefieldref', 'test-container', 'printenv MY_CPU_REQUEST MY_CPU_LIMIT MY_MEM_REQUEST MY_MEM_LIMIT CPU_M MEM_MI MEM_GI EPH D_CPU D_MEM');
      // The test node's allocatable: cpu 4, memory 16Gi, ephemeral-storage 100Gi (a missing limit is that).
      assert.equal(out.stdout, ['1', '1', '33554432', '67108864', '125', '64', '1', String(102400 * 2 ** 20), '4', '16384', ''].join('\n'));
    });
  });

  it('writes resourceFieldRef items of a downwardAPI volume (the dapi-volume-resources task), projected ones too', () => {
    withPlayground(`apiVersion: v1
kind: Pod
metadata: {name: kubernetes-downwardapi-volume-example-2}
spec:
  containers:
  - name: client-container
    image: busybox
    command: [sleep, infinity]
    resources: {requests: {memory: 32Mi, cpu: 125m}, limits: {memory: 64Mi, cpu: 250m}}
    volumeMounts: [{name: podinfo, mountPath: /etc/podinfo}, {name: both, mountPath: /etc/both}]
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - {path: cpu_limit, resourceFieldRef: {containerName: client-container, resource: limits.cpu, divisor: 1m}}
      - {path: cpu_request, resourceFieldRef: {containerName: client-container, resource: requests.cpu, divisor: 1m}}
      - {path: mem_limit, resourceFieldRef: {containerName: client-container, resource: limits.memory, divisor: 1Mi}}
      - {path: mem_request, resourceFieldRef: {containerName: client-container, resource: requests.memory, divisor: 1Mi}}
  - name: both
    projected:
      sources:
      - downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}, {path: mem, resourceFieldRef: {containerName: client-container, resource: limits.memory}}]}
`, (pg) => {
      const pod = 'kubernetes-downwardapi-volume-example-2';
      assert.equal(run(pg, pod, 'client-container', 'cat /etc/podinfo/cpu_limit; echo; cat /etc/podinfo/cpu_request; echo; cat /etc/podinfo/mem_limit; echo; cat /etc/podinfo/mem_request').stdout, '250\n125\n64\n32');
      assert.equal(run(pg, pod, 'client-container', 'cat /etc/both/mem').stdout, '67108864');
    });
  });

  it('follows ExtractContainerResourceValue for odd inputs: a zero divisor is 1, unknown resources and containers give nothing', () => {
    const pod: any = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1500m', 'hugepages-2Mi': '4Mi' } } }], initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] } };
    const c = pod.spec.containers[0];
    assert.equal(resourceFieldValue(pod, c, { resource: 'limits.cpu', divisor: '0' }), '2');
    assert.equal(resourceFieldValue(pod, c, { resource: 'limits.hugepages-2Mi', divisor: '1Mi' }), '4');
    assert.equal(resourceFieldValue(pod, c, { resource: 'requests.cpu', containerName: 'i', divisor: '1m' }), '2000');
    assert.equal(resourceFieldValue(pod, c, { resource: 'limits.cpu', containerName: 'nope' }), undefined);
    assert.equal(resourceFieldValue(pod, c, { resource: 'limits.pods' }), undefined);
  });

  it('gives status.podIPs and status.hostIPs, and expands $(VAR) in env values over the Service variables', () => {
    withPlayground(`apiVersion: v1
kind: Pod
metadata: {name: dapi}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, infinity]
    env:
    - {name: MY_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: MY_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
    - {name: HOST_IPS, valueFrom: {fieldRef: {fieldPath: status.hostIPs}}}
    - {name: E, value: "$(KUBERNETES_SERVICE_PORT)"}
    - {name: COMBO, value: "$(KUBERNETES_SERVICE_HOST):$(E) $(HOSTNAME)"}
`, (pg) => {
      const p = pg.api.get(R.pods, 'default', 'dapi');
      const out = run(pg, 'dapi', 'c', 'printenv MY_IP MY_IPS HOST_IPS E COMBO').stdout.split('\n');
      assert.match(p.status.podIP, /^10\.244\./);
      assert.deepEqual(out.slice(0, 5), [p.status.podIP, p.status.podIP, p.status.hostIP, '443', '10.96.0.1:443 $(HOSTNAME)']);
    });
  });

  it('mounts an empty folder for an optional ConfigMap or Secret that is missing', () => {
    withPlayground(`apiVersion: v1
kind: Pod
metadata: {name: optvol}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, infinity]
    volumeMounts: [{name: config, mountPath: /etc/app}, {name: creds, mountPath: /etc/creds}]
  volumes:
  - {name: config, configMap: {name: app-cfg-missing, optional: true}}
  - {name: creds, secret: {secretName: creds-missing, optional: true}}
`, (pg) => {
      assert.equal(pg.api.get(R.pods, 'default', 'optvol').status.phase, 'Running');
      const r = run(pg, 'optvol', 'c', 'ls /etc/app /etc/creds; touch /etc/app/x');
      assert.equal(r.stdout, '/etc/app:\n\n/etc/creds:\n');
      assert.equal(r.stderr, "touch: /etc/app/x: Read-only file system\n");
    });
  });
});
