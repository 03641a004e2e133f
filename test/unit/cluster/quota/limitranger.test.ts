/** LimitRanger in the playground: defaults and the annotation, then min, max and ratio refusals in upstream's words. */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { errorText } from '../apiserver/statusOf';

const RANGE = `apiVersion: v1
kind: LimitRange
metadata: {name: cpu-mem, namespace: default}
spec:
  limits:
  - type: Container
    max: {cpu: 800m, memory: 1Gi}
    min: {cpu: 100m, memory: 50Mi}
    default: {memory: 512Mi}
    maxLimitRequestRatio: {memory: "4"}
  - type: Pod
    max: {memory: 1.5Gi}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
    max: {storage: 2Gi}
`;

const podWith = (containers: any[], init: any[] = []) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
  spec: { containers: containers.map((c, i) => ({ name: `c${i}`, image: 'nginx', ...c })), ...(init.length ? { initContainers: init } : {}) },
}) as KObject;

function setup(): KubePlayground {
  const pg = newTestPlayground();
  pg.apply(RANGE);
  return pg;
}


describe('cluster/quota: LimitRanger', () => {
  it('stores the LimitRange defaulted: the default limit from max, the default request from the default', () => {
    const pg = setup();
    const item = pg.api.get(R.limitranges, 'default', 'cpu-mem').spec.limits[0];
    assert.deepStrictEqual(item.default, { memory: '512Mi', cpu: '800m' });
    assert.deepStrictEqual(item.defaultRequest, { memory: '512Mi', cpu: '800m' });
    assert.deepStrictEqual(pg.api.get(R.limitranges, 'default', 'cpu-mem').spec.limits[1].max, { memory: '1536Mi' });
    pg.close();
  });

  it('fills in what a container leaves out, and says so in the annotation', () => {
    const pg = setup();
    const p = pg.api.create(R.pods, 'default', podWith([{ resources: { requests: { cpu: '200m' } } }], [{ name: 'init', image: 'busybox' }])).object;
    assert.deepStrictEqual(p.spec.containers[0].resources, { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '512Mi', cpu: '800m' } });
    assert.strictEqual(p.metadata.annotations?.['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: memory request for container c0; cpu, memory limit for container c0; cpu, memory request for init container init; cpu, memory limit for init container init');
    pg.close();
  });

  it('refuses a container outside min, max or the ratio, listing every breach in brackets', () => {
    const pg = setup();
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', podWith([{ resources: { limits: { cpu: '2' } } }]))),
      '403 pods "p" is forbidden: maximum cpu usage per Container is 800m, but limit is 2');
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', podWith([{ resources: { requests: { cpu: '50m', memory: '100Mi' }, limits: { memory: '1Gi' } } }]))),
      '403 pods "p" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, memory max limit to request ratio per Container is 4, but provided ratio is 10.240000]');
    pg.close();
  });

  it('a default limit below the request the user gave fails the pod\'s own validation (422)', () => {
    const pg = setup();
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', podWith([{ resources: { requests: { cpu: '900m' } } }]))),
      '422 Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "900m": must be less than or equal to cpu limit of 800m');
    pg.close();
  });

  it('a Pod item holds the containers\' total', () => {
    const pg = setup();
    // Three containers of 512Mi (the default limit) make 1536Mi: at the max, allowed; a fourth is over.
    pg.api.create(R.pods, 'default', podWith([{}, {}, {}]));
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', { ...podWith([{}, {}, {}, {}]), metadata: { name: 'q', namespace: 'default' } })),
      '403 pods "q" is forbidden: maximum memory usage per Pod is 1536Mi, but limit is 2Gi');
    pg.close();
  });

  it('claims are held to the storage bounds', () => {
    const pg = setup();
    const claim = (size: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } }) as KObject;
    assert.strictEqual(errorText(() => pg.api.create(R.pvcs, 'default', claim('5Gi'))),
      '403 persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    assert.strictEqual(errorText(() => pg.api.create(R.pvcs, 'default', claim('500Mi'))),
      '403 persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    pg.api.create(R.pvcs, 'default', claim('1Gi'));
    pg.close();
  });

  it('a ReplicaSet whose pods break the range reports FailedCreate with the generated name', () => {
    const pg = setup();
    pg.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: big}}
  template: {metadata: {labels: {app: big}}, spec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: "2"}}}]}}
`);
    pg.advance(5000);
    const ev = pg.api.list(R.events, 'default').items.find((e: any) => e.reason === 'FailedCreate');
    assert.ok(ev);
    assert.match(ev.message, /^Error creating: pods "big-[a-z0-9]+-[bcdfghjklmnpqrstvwxz2456789]{5}" is forbidden: maximum cpu usage per Container is 800m, but limit is 2$/);
    pg.close();
  });
});
