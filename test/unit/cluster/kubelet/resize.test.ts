import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';

/**
 * In-place pod resize (InPlacePodVerticalScaling, beta and on in 1.34): the pods/resize subresource and the
 * kubelet's actuation, as the "Resize CPU and Memory Resources assigned to Containers" task shows them.
 */
describe('in-place pod resize (pods/resize)', () => {
  // The docs' resize-demo pod: cpu resized in place, memory by restarting the container.
  const demo = (name = 'resize-demo', extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.8
    resizePolicy:
    - {resourceName: cpu, restartPolicy: NotRequired}
    - {resourceName: memory, restartPolicy: RestartContainer}
    resources:
      limits: {memory: 200Mi, cpu: 700m}
      requests: {memory: 200Mi, cpu: 700m}
${extra}`;

  const resize = (pg: KubePlayground, name: string, resources: unknown) =>
    pg.api.patch(R.pods, 'default', name, 'strategic', { spec: { containers: [{ name: 'pause', resources }] } }, {}, 'resize');
  const events = (pg: KubePlayground, name: string, reason: string) =>
    [...pg.store.list('/events')].filter((e) => e.involvedObject?.name === name && e.reason === reason);
  const cond = (pod: any, type: string) => (pod.status.conditions ?? []).find((c: any) => c.type === type);

  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
    pg.advance(10_000);
  });
  afterEach(() => pg.close());

  it('resizes cpu in place: the spec at once, then InProgress, then the status resources, no restart, ResizeCompleted', () => {
    pg.apply(demo());
    pg.advance(20_000);
    const before = pg.api.get(R.pods, 'default', 'resize-demo');
    assert.equal(before.status.phase, 'Running');
    // InPlacePodVerticalScalingAllocatedStatus is deprecated and off in 1.34: no allocatedResources in the status.
    assert.equal('allocatedResources' in before.status.containerStatuses[0], false);
    const out = resize(pg, 'resize-demo', { requests: { cpu: '800m' }, limits: { cpu: '800m' } });
    assert.equal(out.object.spec.containers[0].resources.requests.cpu, '800m');
    assert.equal(out.object.metadata.generation, 2);
    pg.advance(100);
    const during = pg.api.get(R.pods, 'default', 'resize-demo');
    const inProgress = cond(during, 'PodResizeInProgress');
    assert.equal(inProgress?.status, 'True');
    assert.equal(inProgress?.observedGeneration, 2);
    assert.equal(during.status.containerStatuses[0].resources.limits.cpu, '700m', 'not actuated yet');
    pg.advance(5_000);
    const after = pg.api.get(R.pods, 'default', 'resize-demo');
    assert.equal(cond(after, 'PodResizeInProgress'), undefined);
    assert.deepEqual(after.status.containerStatuses[0].resources, { requests: { cpu: '800m', memory: '200Mi' }, limits: { cpu: '800m', memory: '200Mi' } });
    assert.equal(after.status.containerStatuses[0].restartCount, 0);
    assert.equal(after.status.observedGeneration, 2);
    const done = events(pg, 'resize-demo', 'ResizeCompleted');
    assert.equal(done.length, 1);
    assert.equal(done[0].type, 'Normal');
    assert.equal(done[0].message, 'Pod resize completed: {"containers":[{"name":"pause","resources":{"limits":{"cpu":"800m","memory":"200Mi"},"requests":{"cpu":"800m","memory":"200Mi"}}}]}');
  });

  it('restarts the container for a memory resize whose policy is RestartContainer', () => {
    pg.apply(demo());
    pg.advance(20_000);
    resize(pg, 'resize-demo', { requests: { memory: '300Mi' }, limits: { memory: '300Mi' } });
    pg.advance(10_000);
    const pod = pg.api.get(R.pods, 'default', 'resize-demo');
    const cs = pod.status.containerStatuses[0];
    assert.equal(cs.restartCount, 1);
    assert.ok(cs.state.running);
    assert.equal(cs.resources.limits.memory, '300Mi');
    assert.equal(events(pg, 'resize-demo', 'Killing')[0]?.message, 'Container pause resize requires restart');
    assert.equal(cond(pod, 'PodResizeInProgress'), undefined);
    assert.equal(events(pg, 'resize-demo', 'ResizeCompleted').length, 1);
  });

  it('leaves an impossible resize Infeasible and a resize that does not fit beside the others Deferred', () => {
    pg.apply(demo());
    pg.advance(20_000);
    resize(pg, 'resize-demo', { requests: { cpu: '1000' }, limits: { cpu: '1000' } });
    pg.advance(2_000);
    let pod = pg.api.get(R.pods, 'default', 'resize-demo');
    let pending = cond(pod, 'PodResizePending');
    assert.equal(pending?.reason, 'Infeasible');
    assert.equal(pending?.message, 'Node didn\'t have enough capacity: cpu, requested: 1000000, capacity: 4000');
    assert.equal(pending?.observedGeneration, 2);
    assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '700m');
    // Within the node, but not beside what already runs there: Deferred, until the other pod goes.
    pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  nodeName: ${pod.spec.nodeName}
  containers: [{name: c, image: registry.k8s.io/pause:3.8, resources: {requests: {cpu: 2500m}}}]
`);
    pg.advance(5_000);
    resize(pg, 'resize-demo', { requests: { cpu: '1600m' }, limits: { cpu: '1600m' } });
    pg.advance(2_000);
    pod = pg.api.get(R.pods, 'default', 'resize-demo');
    pending = cond(pod, 'PodResizePending');
    assert.equal(pending?.reason, 'Deferred');
    assert.match(pending?.message, /^Node didn't have enough resource: cpu, requested: 1600, used: 2\d{3}, capacity: 4000$/);
    assert.equal(pending?.observedGeneration, 3);
    pg.api.delete(R.pods, 'default', 'hog', { gracePeriodSeconds: 0 });
    pg.advance(5_000);
    pod = pg.api.get(R.pods, 'default', 'resize-demo');
    assert.equal(cond(pod, 'PodResizePending'), undefined);
    assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '1600m');
    assert.equal(pod.status.containerStatuses[0].restartCount, 0);
    // Back to what it had: done in place again.
    resize(pg, 'resize-demo', { requests: { cpu: '700m' }, limits: { cpu: '700m' } });
    pg.advance(5_000);
    pod = pg.api.get(R.pods, 'default', 'resize-demo');
    assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '700m');
    assert.equal(events(pg, 'resize-demo', 'ResizeCompleted').length, 2);
  });

  it('refuses what ValidatePodResize refuses, in its words', () => {
    pg.apply(demo());
    pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: be}
spec:
  containers: [{name: pause, image: registry.k8s.io/pause:3.8}]
`);
    pg.advance(20_000);
    const refused = (name: string, resources: unknown) => {
      try {
        resize(pg, name, resources);
      } catch (e: any) {
        assert.equal(e.status.code, 422);
        return e.status.message;
      }
      assert.fail('accepted');
    };
    assert.equal(refused('be', { requests: { memory: '40Mi' } }), 'Pod "be" is invalid: spec: Invalid value: "BestEffort": Pod QOS Class may not change as a result of resizing');
    assert.equal(refused('resize-demo', { requests: { cpu: '500m' }, limits: { cpu: '700m' } }), 'Pod "resize-demo" is invalid: spec: Invalid value: "Guaranteed": Pod QOS Class may not change as a result of resizing');
    assert.equal(refused('resize-demo', { requests: { cpu: '700m', memory: '200Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '700m', memory: '200Mi', 'ephemeral-storage': '1Gi' } }),
      'Pod "resize-demo" is invalid: spec: Forbidden: only cpu and memory resources are mutable');
    // A strategic merge patch cannot remove a key but null does.
    assert.equal(refused('resize-demo', { limits: { memory: null } }),
      'Pod "resize-demo" is invalid: [spec: Invalid value: "Guaranteed": Pod QOS Class may not change as a result of resizing, spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed]');
    const pod = pg.api.get(R.pods, 'default', 'resize-demo');
    assert.equal(pod.metadata.generation, 1, 'nothing was written');
  });

  it('refuses lowering a memory limit the container cannot restart for', () => {
    pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: m}
spec:
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.8
    resources: {requests: {memory: 100Mi}, limits: {memory: 200Mi}}
`);
    pg.advance(20_000);
    assert.throws(() => resize(pg, 'm', { limits: { memory: '150Mi' } }),
      (e: any) => e.status.message === 'Pod "m" is invalid: spec.containers[0].resources.limits[memory]: Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer');
  });
});

describe('in-place pod resize across a restart of the playground (allocated_pods_state)', () => {
  const DEMO = `apiVersion: v1
kind: Pod
metadata: {name: rd}
spec:
  nodeSelector: {kubernetes.io/hostname: kubeplay-worker}
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.8
    resources: {limits: {memory: 200Mi, cpu: 700m}, requests: {memory: 200Mi, cpu: 700m}}
`;
  const resize = (pg: KubePlayground, cpu: string) =>
    pg.api.patch(R.pods, 'default', 'rd', 'strategic', { spec: { containers: [{ name: 'pause', resources: { requests: { cpu }, limits: { cpu } } }] } }, {}, 'resize');
  const cond = (pod: any, type: string) => (pod.status.conditions ?? []).find((c: any) => c.type === type);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-resize-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `before` on a playground saved in `dir`, then `after` on the playground started again from it. */
  const acrossRestart = (before: (pg: KubePlayground) => void, after: (pg: KubePlayground) => void, between?: () => void) => {
    const pg = newTestPlayground({ stateDir: dir });
    try {
      pg.advance(10_000);
      pg.apply(DEMO);
      pg.advance(20_000);
      before(pg);
    } finally {
      pg.close();
    }
    between?.();
    const again = newTestPlayground({ stateDir: dir });
    try {
      after(again);
    } finally {
      again.close();
    }
  };

  it('keeps an Infeasible resize pending: the container keeps its 700m and the node has room for others', () => {
    let since = '';
    acrossRestart((pg) => {
      resize(pg, '100');
      pg.advance(5_000);
      since = cond(pg.api.get(R.pods, 'default', 'rd'), 'PodResizePending')?.lastTransitionTime;
      assert.ok(since);
    }, (pg) => {
      pg.advance(30_000);
      const pod = pg.api.get(R.pods, 'default', 'rd');
      const pending = cond(pod, 'PodResizePending');
      assert.equal(pending?.reason, 'Infeasible');
      assert.equal(pending?.message, 'Node didn\'t have enough capacity: cpu, requested: 100000, capacity: 4000');
      assert.equal(pending?.lastTransitionTime, since, 'the condition is taken up, not made anew');
      assert.equal(cond(pod, 'PodResizeInProgress'), undefined);
      assert.deepEqual(pod.status.containerStatuses[0].resources, { requests: { cpu: '700m', memory: '200Mi' }, limits: { cpu: '700m', memory: '200Mi' } });
      assert.equal(pod.status.containerStatuses[0].restartCount, 0);
      // A pod that names the node is admitted against the 700m the kubelet allocated, not the 100 CPUs asked for.
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: small}
spec:
  nodeName: kubeplay-worker
  containers: [{name: c, image: registry.k8s.io/pause:3.8, resources: {requests: {cpu: 100m}}}]
`);
      pg.advance(20_000);
      const small = pg.api.get(R.pods, 'default', 'small');
      assert.equal(small.status.phase, 'Running', small.status.message);
      assert.equal([...pg.store.list('/events')].filter((e) => e.involvedObject?.name === 'rd' && e.reason === 'ResizeCompleted').length, 0);
    });
  });

  it('keeps a Deferred resize pending and allocates it once the node has room', () => {
    acrossRestart((pg) => {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  nodeName: kubeplay-worker
  containers: [{name: c, image: registry.k8s.io/pause:3.8, resources: {requests: {cpu: 2500m}}}]
`);
      pg.advance(10_000);
      resize(pg, '1600m');
      pg.advance(5_000);
      assert.equal(cond(pg.api.get(R.pods, 'default', 'rd'), 'PodResizePending')?.reason, 'Deferred');
    }, (pg) => {
      pg.advance(30_000);
      let pod = pg.api.get(R.pods, 'default', 'rd');
      assert.equal(cond(pod, 'PodResizePending')?.reason, 'Deferred');
      assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '700m');
      pg.api.delete(R.pods, 'default', 'hog', { gracePeriodSeconds: 0 });
      pg.advance(10_000);
      pod = pg.api.get(R.pods, 'default', 'rd');
      assert.equal(cond(pod, 'PodResizePending'), undefined);
      assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '1600m');
    });
  });

  it('keeps the allocation of a container that was not running when the playground stopped', () => {
    const crash = DEMO.replace('name: rd', 'name: cr').replace('registry.k8s.io/pause:3.8', 'kubeplay/crash:after-5s');
    const dirCrash = () => {
      const pg = newTestPlayground({ stateDir: dir });
      try {
        pg.advance(10_000);
        pg.apply(crash);
        pg.advance(60_000);
        pg.api.patch(R.pods, 'default', 'cr', 'strategic', { spec: { containers: [{ name: 'pause', resources: { requests: { cpu: '100' }, limits: { cpu: '100' } } }] } }, {}, 'resize');
        pg.advance(2_000);
        assert.equal(cond(pg.api.get(R.pods, 'default', 'cr'), 'PodResizePending')?.reason, 'Infeasible');
        // Saved while the container waits out its back-off: its status shows no resources.
        for (let i = 0; i < 100 && pg.api.get(R.pods, 'default', 'cr').status.containerStatuses[0].state.running; i++) pg.advance(1_000);
        assert.equal(pg.api.get(R.pods, 'default', 'cr').status.containerStatuses[0].resources, undefined);
      } finally {
        pg.close();
      }
    };
    dirCrash();
    const pg = newTestPlayground({ stateDir: dir });
    try {
      let seen = 0;
      for (let i = 0; i < 120; i++) {
        pg.advance(1_000);
        const pod = pg.api.get(R.pods, 'default', 'cr');
        assert.equal(cond(pod, 'PodResizePending')?.reason, 'Infeasible');
        const cs = pod.status.containerStatuses[0];
        if (cs.state.running) { seen++; assert.equal(cs.resources.limits.cpu, '700m'); }
      }
      assert.ok(seen > 0, 'the container ran again');
    } finally {
      pg.close();
    }
  });

  it('takes a running container\'s saved resources as its allocation when the disks file is gone', () => {
    acrossRestart((pg) => {
      resize(pg, '100');
      pg.advance(5_000);
    }, (pg) => {
      pg.advance(30_000);
      const pod = pg.api.get(R.pods, 'default', 'rd');
      assert.equal(cond(pod, 'PodResizePending')?.reason, 'Infeasible');
      assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '700m');
    }, () => fs.rmSync(path.join(dir, 'disks.json'), { force: true }));
  });

  it('keeps a completed resize as it is, with no second ResizeCompleted', () => {
    acrossRestart((pg) => {
      resize(pg, '800m');
      pg.advance(10_000);
    }, (pg) => {
      pg.advance(30_000);
      const pod = pg.api.get(R.pods, 'default', 'rd');
      assert.equal(cond(pod, 'PodResizePending'), undefined);
      assert.equal(cond(pod, 'PodResizeInProgress'), undefined);
      assert.equal(pod.status.containerStatuses[0].resources.limits.cpu, '800m');
      assert.equal([...pg.store.list('/events')].filter((e) => e.involvedObject?.name === 'rd' && e.reason === 'ResizeCompleted').length, 1);
    });
  });
});

describe('in-place pod resize and the scheduler', () => {
  it('counts a resized pod with its new requests (max of spec and status while under way)', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(10_000);
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: grow}
spec:
  nodeSelector: {kubernetes.io/hostname: kubeplay-worker}
  containers: [{name: pause, image: registry.k8s.io/pause:3.8, resources: {requests: {cpu: 500m}, limits: {cpu: 500m}}}]
`);
      pg.advance(20_000);
      pg.api.patch(R.pods, 'default', 'grow', 'strategic', { spec: { containers: [{ name: 'pause', resources: { requests: { cpu: '3500m' }, limits: { cpu: '3500m' } } }] } }, {}, 'resize');
      pg.advance(5_000);
      assert.equal(pg.api.get(R.pods, 'default', 'grow').status.containerStatuses[0].resources.requests.cpu, '3500m');
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: late}
spec:
  nodeSelector: {kubernetes.io/hostname: kubeplay-worker}
  containers: [{name: pause, image: registry.k8s.io/pause:3.8, resources: {requests: {cpu: "1"}}}]
`);
      pg.advance(5_000);
      const late = pg.api.get(R.pods, 'default', 'late');
      assert.equal(late.spec.nodeName, undefined);
      const ev = [...pg.store.list('/events')].find((e) => e.involvedObject?.name === 'late' && e.reason === 'FailedScheduling');
      assert.match(ev?.message ?? '', /Insufficient cpu/);
      // Shrinking it again lets the pending pod in.
      pg.api.patch(R.pods, 'default', 'grow', 'strategic', { spec: { containers: [{ name: 'pause', resources: { requests: { cpu: '500m' }, limits: { cpu: '500m' } } }] } }, {}, 'resize');
      pg.advance(30_000);
      assert.equal(pg.api.get(R.pods, 'default', 'late').spec.nodeName, 'kubeplay-worker');
    } finally {
      pg.close();
    }
  });
});
