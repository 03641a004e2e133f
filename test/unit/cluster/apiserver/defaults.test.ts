import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { defaultPullPolicy } from '../../../../cluster/src/apiserver/defaults';

const tpl = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', ports: [{ containerPort: 8080 }] }] } });

describe('apiserver defaulting', () => {
  it('imagePullPolicy follows the tag: latest or none -> Always, else IfNotPresent', () => {
    assert.strictEqual(defaultPullPolicy('nginx'), 'Always');
    assert.strictEqual(defaultPullPolicy('nginx:latest'), 'Always');
    assert.strictEqual(defaultPullPolicy('nginx:1.25'), 'IfNotPresent');
    assert.strictEqual(defaultPullPolicy('localhost:5000/app'), 'Always');
    assert.strictEqual(defaultPullPolicy('localhost:5000/app:v2'), 'IfNotPresent');
    assert.strictEqual(defaultPullPolicy('nginx@sha256:' + 'a'.repeat(64)), 'IfNotPresent');
  });

  it('Job: completions/parallelism 1, backoffLimit 6, NonIndexed, suspend false, generated selector and labels', () => {
    const cp = newTestControlPlane();
    const j = cp.api.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } } } as any).object;
    const s = j.spec;
    assert.strictEqual(s.completions, 1);
    assert.strictEqual(s.parallelism, 1);
    assert.strictEqual(s.backoffLimit, 6);
    assert.strictEqual(s.completionMode, 'NonIndexed');
    assert.strictEqual(s.suspend, false);
    assert.strictEqual(s.manualSelector, false);
    assert.strictEqual(s.podReplacementPolicy, 'TerminatingOrFailed');
    const uid = j.metadata.uid;
    assert.deepStrictEqual(s.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepStrictEqual(s.template.metadata.labels, {
      'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi',
    });
    assert.deepStrictEqual(j.status, {});
    const p = cp.api.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'par' }, spec: { parallelism: 3, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } as any).object;
    assert.strictEqual(p.spec.completions, undefined, 'completions stays unset when only parallelism is given');
  });

  it('CronJob, DaemonSet and StatefulSet defaults', () => {
    const cp = newTestControlPlane();
    const cj = cp.api.create(R.cronjobs, 'default', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } } as any).object;
    assert.strictEqual(cj.spec.concurrencyPolicy, 'Allow');
    assert.strictEqual(cj.spec.suspend, false);
    assert.strictEqual(cj.spec.successfulJobsHistoryLimit, 3);
    assert.strictEqual(cj.spec.failedJobsHistoryLimit, 1);
    assert.strictEqual(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
    const ds = cp.api.create(R.daemonsets, 'default', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'd' } }, template: tpl({ a: 'd' }) } } as any).object;
    assert.deepStrictEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.strictEqual(ds.spec.revisionHistoryLimit, 10);
    const sts = cp.api.create(R.statefulsets, 'default', {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' },
      spec: { serviceName: 's', selector: { matchLabels: { a: 's' } }, template: tpl({ a: 's' }), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
    } as any).object;
    assert.strictEqual(sts.spec.podManagementPolicy, 'OrderedReady');
    assert.deepStrictEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepStrictEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.strictEqual(sts.spec.replicas, 1);
    assert.strictEqual(sts.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
    assert.strictEqual(sts.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
  });

  it('Service: ClusterIP, None affinity, TCP, targetPort = port, single-stack IPv4, internalTrafficPolicy Cluster', () => {
    const cp = newTestControlPlane();
    const svc = cp.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { a: 'b' }, ports: [{ port: 80 }] } } as any).object;
    assert.strictEqual(svc.spec.type, 'ClusterIP');
    assert.strictEqual(svc.spec.sessionAffinity, 'None');
    assert.deepStrictEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.strictEqual(svc.spec.internalTrafficPolicy, 'Cluster');
    assert.strictEqual(svc.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepStrictEqual(svc.spec.ipFamilies, ['IPv4']);
    assert.deepStrictEqual(svc.status, { loadBalancer: {} });
    const np = cp.api.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'n' }, spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] } } as any).object;
    assert.strictEqual(np.spec.externalTrafficPolicy, 'Cluster');
    assert.strictEqual(np.spec.ports[0].targetPort, 'http');
  });

  it('Pod: service account, priority, default tolerations, QoS class, limits copied to requests', () => {
    const cp = newTestControlPlane();
    const p = cp.api.create(R.pods, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] },
    } as any).object;
    assert.strictEqual(p.spec.serviceAccountName, 'default');
    assert.strictEqual(p.spec.priority, 0);
    assert.strictEqual(p.spec.enableServiceLinks, true);
    assert.deepStrictEqual(p.spec.containers[0].resources.requests, { cpu: '500m', memory: '128Mi' });
    assert.strictEqual(p.status.qosClass, 'Guaranteed');
    assert.deepStrictEqual(p.spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const be = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any).object;
    assert.strictEqual(be.status.qosClass, 'BestEffort');
    // ComputePodQOS counts a zero request as none: BestEffort from the start (it was Burstable until the kubelet wrote).
    const zero = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'z' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '0' } } }] } } as any).object;
    assert.strictEqual(zero.status.qosClass, 'BestEffort');
  });

  it('Namespace, ReplicationController and PVC defaults', () => {
    const cp = newTestControlPlane();
    const rc = cp.api.create(R.replicationcontrollers, 'default', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: tpl({ app: 'rc' }) } } as any).object;
    assert.deepStrictEqual(rc.spec.selector, { app: 'rc' });
    assert.deepStrictEqual(rc.metadata.labels, { app: 'rc' });
    assert.strictEqual(rc.spec.replicas, 1);
    const pvc = cp.api.create(R.pvcs, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as any).object;
    assert.strictEqual(pvc.spec.volumeMode, 'Filesystem');
    assert.strictEqual(pvc.status.phase, 'Pending');
  });

  it('HorizontalPodAutoscaler v2: minReplicas 1, CPU at 80% without metrics, a partial behavior completed', () => {
    const cp = newTestControlPlane();
    const gvr = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
    const hpa = (name: string, spec: any) => cp.api.create(gvr, 'default', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } } as any).object;
    const plain = hpa('plain', {});
    assert.strictEqual(plain.spec.minReplicas, 1);
    assert.deepStrictEqual(plain.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.strictEqual(plain.spec.behavior, undefined);
    const tuned = hpa('tuned', { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    assert.deepStrictEqual(tuned.spec.behavior, {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 60 },
    });
  });
});

describe('apiserver: Quantities stored in their canonical form, as resource.Quantity marshals them', () => {
  it('pod and template resources, overhead and emptyDir sizes, claims and volumes, autoscaler targets', () => {
    const cp = newTestControlPlane();
    const pod = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: 1.0, memory: '1024Mi' }, requests: { cpu: '0.5', memory: '0.5Gi' } } }],
      volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1024Mi' } }] } } as any).object;
    assert.deepStrictEqual(pod.spec.containers[0].resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } });
    assert.strictEqual(pod.spec.volumes[0].emptyDir.sizeLimit, '1Gi');
    const dep = cp.api.create(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {
      selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '0.25' } } }] } } } } as any).object;
    assert.deepStrictEqual(dep.spec.template.spec.containers[0].resources, { requests: { cpu: '250m' } });
    const pvc = cp.api.create(R.pvcs, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: {
      accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0.5Gi' } } } } as any).object;
    assert.strictEqual(pvc.spec.resources.requests.storage, '512Mi');
    const pv = cp.api.create(R.pvs, undefined, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' }, spec: {
      capacity: { storage: '2048Mi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } } as any).object;
    assert.strictEqual(pv.spec.capacity.storage, '2Gi');
    // Not a quantity: the decoder refuses it, as upstream does.
    assert.throws(() => cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: 'half' } } }] } } as any), (e: any) => /cannot be handled as a Pod: quantities must match the regular expression/.test(e.status.message));
  });
});
