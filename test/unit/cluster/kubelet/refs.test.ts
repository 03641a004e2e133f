import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * What the kubelet does when a pod names a ConfigMap or Secret that is not
 * there: FailedMount on the volume reconciler's back-off for volumes,
 * CreateContainerConfigError every 10-15 s for the environment, and a
 * warning for missing imagePullSecrets; the pod goes on once the object comes.
 */
const PODS = { group: '', version: 'v1', resource: 'pods' };
const CMS = { group: '', version: 'v1', resource: 'configmaps' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };

function pod(name: string, spec: any): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec } } as KObject;
}
const get = (pg: KubePlayground, name: string) => pg.api.get(PODS, 'default', name);
const waiting = (p: KObject) => p.status?.containerStatuses?.[0]?.state?.waiting;
const events = (pg: KubePlayground, name: string, reason: string) =>
  (pg.api.list(EVENTS, 'default').items as KObject[]).filter((e) => e.involvedObject.name === name && e.reason === reason).map((e) => [e.type, e.message, e.count]);
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }) as KObject;

describe('kubelet: missing ConfigMaps and Secrets', function () {
  this.timeout(20_000);
  let pg: KubePlayground;
  beforeEach(() => { pg = new KubePlayground({ seed: 7, nodes: 1 }); pg.advance(5_000); });
  afterEach(() => pg.close());

  it('a volume of a missing ConfigMap: ContainerCreating, FailedMount on the reconciler\'s back-off, running once it exists', () => {
    pg.api.create(PODS, 'default', pod('web', { volumes: [{ name: 'config', configMap: { name: 'app-config' } }], containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] }] }));
    pg.advance(4_000);
    let p = get(pg, 'web');
    assert.equal(p.status!.phase, 'Pending');
    assert.deepEqual(waiting(p), { reason: 'ContainerCreating' });
    assert.equal(p.status!.conditions.find((c: any) => c.type === 'PodReadyToStartContainers').status, 'False');
    // Tries at about 0, 0.5, 1.5 and 3.5 s: one Event, counted.
    assert.deepEqual(events(pg, 'web', 'FailedMount'), [['Warning', 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found', 4]]);
    pg.api.create(CMS, 'default', configMap('app-config', { 'app.conf': 'x' }));
    pg.advance(3_000);
    assert.equal(get(pg, 'web').status!.phase, 'Pending', 'the next try is at 7.5 s');
    pg.advance(10_000);
    p = get(pg, 'web');
    assert.equal(p.status!.phase, 'Running');
    assert.equal(events(pg, 'web', 'FailedMount')[0][2], 4, 'the try at 7.5 s mounted it');
  });

  it('items naming a key the ConfigMap lacks, and a projected volume with two failing sources; optional mounts what there is', () => {
    pg.api.create(CMS, 'default', configMap('app-config', { a: '1' }));
    pg.api.create(PODS, 'default', pod('items', { volumes: [{ name: 'config', configMap: { name: 'app-config', items: [{ key: 'b', path: 'b' }] } }] }));
    pg.api.create(PODS, 'default', pod('proj', { volumes: [{ name: 'all', projected: { sources: [{ secret: { name: 'db', items: [{ key: 'password', path: 'p' }] } }, { configMap: { name: 'other' } }] } }] }));
    pg.api.create(PODS, 'default', pod('opt', { volumes: [{ name: 'config', configMap: { name: 'nope', optional: true } }] }));
    pg.advance(20_000);
    assert.deepEqual(events(pg, 'items', 'FailedMount').map((e) => e[1]), ['MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: b']);
    assert.deepEqual(events(pg, 'proj', 'FailedMount').map((e) => e[1]), ['MountVolume.SetUp failed for volume "all" : [secret "db" not found, configmap "other" not found]']);
    assert.equal(get(pg, 'opt').status!.phase, 'Running');
  });

  it('an environment naming a missing ConfigMap or key: CreateContainerConfigError, retried every 10-15 s, until it can be built', () => {
    pg.api.create(PODS, 'default', pod('env', { containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'level' } } }] }] }));
    pg.advance(20_000);
    let p = get(pg, 'env');
    assert.deepEqual(waiting(p), { reason: 'CreateContainerConfigError', message: 'configmap "app-config" not found' });
    assert.equal(p.status!.conditions.find((c: any) => c.type === 'PodReadyToStartContainers').status, 'True', 'the sandbox is up');
    const failed = events(pg, 'env', 'Failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0][1], 'Error: configmap "app-config" not found');
    assert.ok((failed[0][2] as number) >= 2, 'retried within 20 s');
    pg.api.create(CMS, 'default', configMap('app-config', { color: 'blue' }));
    pg.advance(16_000);
    assert.deepEqual(waiting(get(pg, 'env')), { reason: 'CreateContainerConfigError', message: "couldn't find key level in ConfigMap default/app-config" });
    const cm = pg.api.get(CMS, 'default', 'app-config');
    pg.api.update(CMS, 'default', { ...cm, data: { level: 'debug' } });
    pg.advance(16_000);
    p = get(pg, 'env');
    assert.equal(p.status!.phase, 'Running');
    assert.ok(p.status!.containerStatuses[0].state.running);
  });

  it('envFrom a missing Secret fails; optional references are skipped', () => {
    pg.api.create(PODS, 'default', pod('from', { containers: [{ name: 'app', image: 'nginx:1.27', envFrom: [{ secretRef: { name: 'db' } }] }] }));
    pg.api.create(PODS, 'default', pod('optional', { containers: [{ name: 'app', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'x', optional: true } }],
      env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: true } } }] }] }));
    pg.advance(20_000);
    assert.deepEqual(waiting(get(pg, 'from')), { reason: 'CreateContainerConfigError', message: 'secret "db" not found' });
    assert.equal(get(pg, 'optional').status!.phase, 'Running');
  });

  it('a missing imagePullSecret is warned about at each resync, and the pull goes on', () => {
    pg.api.create(PODS, 'default', pod('pull', { imagePullSecrets: [{ name: 'regcred' }] }));
    pg.advance(100_000);
    assert.equal(get(pg, 'pull').status!.phase, 'Running');
    const w = events(pg, 'pull', 'FailedToRetrieveImagePullSecret');
    assert.deepEqual(w.map((e) => [e[0], e[1]]), [['Warning', 'Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.']]);
    assert.equal(w[0][2], 2, 'at the first sync and at the resync 60-90 s later');
  });

  it('keeps CreateContainerConfigError through the retries\' image pulls (pull policy Always), and a silent node records nothing', () => {
    pg.api.create(PODS, 'default', pod('always', { containers: [{ name: 'app', image: 'nginx', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } } }] }] }));
    for (let t = 0; t < 40; t++) {
      pg.advance(1_000);
      const w = waiting(get(pg, 'always'));
      if (t > 12) assert.equal(w?.reason, 'CreateContainerConfigError', `at ${t + 1} s`);
    }
    const node = get(pg, 'always').spec!.nodeName;
    pg.failNode(node);
    pg.advance(1_000);
    const before = events(pg, 'always', 'Failed')[0][2];
    pg.advance(60_000);
    assert.equal(events(pg, 'always', 'Failed')[0][2], before, 'a stopped kubelet records no events');
  });

  it('a claim\'s update does not start a second round of mount retries; a finished pod stops warning about pull secrets', () => {
    pg.apply('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n');
    pg.api.create(PODS, 'default', pod('both', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }, { name: 'c', configMap: { name: 'late' } }] }));
    pg.advance(2_000);
    for (let i = 0; i < 5; i++) {
      const c = pg.api.get({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }, 'default', 'data');
      pg.api.update({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }, 'default', { ...c, metadata: { ...c.metadata, labels: { round: String(i) } } });
      pg.advance(10);
    }
    pg.advance(20_000);
    // Tries at about 0, 0.5, 1.5, 3.5, 7.5 and 15.5 s after the claim bound: six, not multiplied by the updates.
    const n = events(pg, 'both', 'FailedMount')[0][2] as number;
    assert.ok(n >= 5 && n <= 7, `FailedMount x${n}`);
    pg.api.create(PODS, 'default', pod('job', { restartPolicy: 'Never', imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 0'] }] }));
    pg.advance(300_000);
    assert.equal(get(pg, 'job').status!.phase, 'Succeeded');
    assert.equal(events(pg, 'job', 'FailedToRetrieveImagePullSecret')[0][2], 1);
  });

  it('a running pod whose ConfigMap is deleted keeps running, with FailedMount at each resync until it is back', () => {
    pg.api.create(CMS, 'default', configMap('app-config', { a: '1' }));
    pg.api.create(PODS, 'default', pod('mounted', { volumes: [{ name: 'config', configMap: { name: 'app-config' } }] }));
    pg.advance(20_000);
    assert.equal(get(pg, 'mounted').status!.phase, 'Running');
    pg.api.delete(CMS, 'default', 'app-config');
    pg.advance(95_000);
    assert.equal(get(pg, 'mounted').status!.phase, 'Running');
    assert.deepEqual(events(pg, 'mounted', 'FailedMount').map((e) => [e[1], e[2]]), [['MountVolume.SetUp failed for volume "config" : configmap "app-config" not found', 1]]);
    pg.api.create(CMS, 'default', configMap('app-config', { a: '2' }));
    pg.advance(200_000);
    assert.equal(events(pg, 'mounted', 'FailedMount')[0][2], 1, 'no more once it is back');
  });
});

describe('kubelet: runAsNonRoot against the image\'s user', function () {
  this.timeout(20_000);
  let pg: KubePlayground;
  beforeEach(() => { pg = new KubePlayground({ seed: 7, nodes: 1 }); pg.advance(5_000); });
  afterEach(() => pg.close());

  it('refuses to start nginx (root) under runAsNonRoot, with the kubelet\'s words; a non-root image, or a runAsUser, starts', () => {
    const sc = { securityContext: { runAsNonRoot: true } };
    const created = pg.api.create(PODS, 'default', pod('root', sc)).object;
    pg.api.create(PODS, 'default', pod('unpriv', { ...sc, containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27' }] }));
    pg.api.create(PODS, 'default', pod('uid', { securityContext: { runAsNonRoot: true, runAsUser: 1000 } }));
    pg.api.create(PODS, 'default', pod('zero', { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { runAsNonRoot: true, runAsUser: 0 } }] }));
    pg.advance(20_000);
    const ref = `root_default(${created.metadata.uid})`;
    const msg = `container has runAsNonRoot and image will run as root (pod: "${ref}", container: app)`;
    assert.deepEqual(waiting(get(pg, 'root')), { reason: 'CreateContainerConfigError', message: msg });
    assert.deepEqual(events(pg, 'root', 'Failed')[0].slice(0, 2), ['Warning', `Error: ${msg}`]);
    assert.equal(get(pg, 'unpriv').status!.phase, 'Running');
    assert.equal(get(pg, 'uid').status!.phase, 'Running');
    assert.match(waiting(get(pg, 'zero')).message, /^container's runAsUser breaks non-root policy \(pod: "zero_default\(.*\)", container: app\)$/);
  });
});
