import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from '../apiserver/statusOf';
import { fromHpaV1, toHpaV1 } from '../../../../cluster/src/apiserver/hpav1';
import { rawResourceReplicas, resourceReplicas } from '../../../../cluster/src/controllers/podautoscaler/controller';

/**
 * The horizontal pod autoscaler over the simulated metrics-server: bounds,
 * utilization, the scale-up limit, the downscale window, upstream's events
 * and conditions; and autoscaling/v1 served from v2 storage.
 */
describe('horizontal pod autoscaler controller', () => {
  const deployment = (replicas: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  } as KObject);
  const events = (pg: ReturnType<typeof newTestPlayground>) => pg.api.list(R.events, 'default').items
    .filter((e) => e.involvedObject?.kind === 'HorizontalPodAutoscaler').map((e) => [e.type, e.reason, e.message, e.source?.component]);

  it('brings a target below minReplicas up at its first sync, 15 s after it was created; a pod without a CPU request stops it there', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.deployments, 'default', deployment(1));
      pg.advance(5_000);
      // kubectl autoscale as kubectl 1.32 sends it: autoscaling/v1.
      pg.api.create(R.hpasV1, 'default', { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 } } as KObject);
      pg.advance(14_000);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 1, 'nothing before the first sync period');
      pg.advance(1_500);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 2);
      let hpa = pg.api.get(R.hpas, 'default', 'web');
      assert.deepStrictEqual([hpa.status.currentReplicas, hpa.status.desiredReplicas, typeof hpa.status.lastScaleTime], [1, 2, 'string']);
      assert.deepStrictEqual(hpa.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
        [['AbleToScale', 'True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 2']]);
      assert.deepStrictEqual(events(pg), [['Normal', 'SuccessfulRescale', 'New size: 2; reason: Current number of replicas below Spec.MinReplicas', 'horizontal-pod-autoscaler']]);
      // The next sync is within bounds: utilization needs the pods' CPU requests, which these pods lack.
      pg.advance(15_000);
      hpa = pg.api.get(R.hpas, 'default', 'web');
      const cond = hpa.status.conditions.find((c: any) => c.type === 'ScalingActive');
      assert.match(cond.message, /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container web of Pod web-\S+$/);
      assert.strictEqual(cond.reason, 'FailedGetResourceMetric');
      assert.deepStrictEqual(hpa.status.currentMetrics, [{ type: '' }]);
      assert.deepStrictEqual(events(pg).slice(1).map((e) => e[1]), ['FailedGetResourceMetric', 'FailedComputeMetricsReplicas']);
      assert.match(String(events(pg)[2][2]), /^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request/);
      // Above maxReplicas: brought down at the next sync.
      pg.scale(R.deployments, 'default', 'web', 9);
      pg.advance(15_000);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 5);
      assert.ok(events(pg).some((e) => e[2] === 'New size: 5; reason: Current number of replicas above Spec.MaxReplicas'));
    } finally {
      pg.close();
    }
  });

  it('owns the replicas it sets (kube-controller-manager, subresource scale): a server-side apply that sets them conflicts', () => {
    const pg = newTestPlayground();
    try {
      pg.api.patch(R.deployments, 'default', 'web', 'apply', deployment(1), { fieldManager: 'kubectl' });
      pg.api.create(R.hpas, 'default', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 } } as KObject);
      pg.advance(15_500);
      const d = pg.api.get(R.deployments, 'default', 'web');
      assert.strictEqual(d.spec.replicas, 2);
      const mine = (d.metadata.managedFields as any[]).find((e) => e.manager === 'kube-controller-manager');
      assert.deepStrictEqual([mine?.operation, mine?.subresource, mine?.apiVersion, mine?.fieldsV1], ['Update', 'scale', 'apps/v1', { 'f:spec': { 'f:replicas': {} } }]);
      const err = statusOf(() => pg.api.patch(R.deployments, 'default', 'web', 'apply', deployment(1), { fieldManager: 'kubectl' }));
      assert.strictEqual(err.code, 409);
      assert.strictEqual(err.message, 'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas');
    } finally {
      pg.close();
    }
  });

  it('follows the load: scales up by utilization within the scale-up limit, settles at the target, and scales down after the 5-minute window', () => {
    const pg = newTestPlayground({ nodes: 3 } as any);
    try {
      const d = deployment(2);
      d.spec.template.spec.containers[0].resources = { requests: { cpu: '200m' } };
      // 900m of demand shared by the Ready pods: at a 50% target of 200m, about nine pods.
      d.spec.template.spec.containers[0].env = [{ name: 'KUBEPLAY_LOAD', value: '900m' }];
      pg.api.create(R.deployments, 'default', d);
      pg.advance(40_000);
      pg.api.create(R.hpas, 'default', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 20,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } } as KObject);
      pg.advance(15_500);
      // 2 pods at about 450m of 200m: 225%, a ratio of 4.5 wants 9, and the scale-up limit is max(2 x 2, 4) = 4.
      const hpa = pg.api.get(R.hpas, 'default', 'web');
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 4);
      assert.deepStrictEqual(hpa.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [
        ['AbleToScale', 'True', 'SucceededRescale'], ['ScalingActive', 'True', 'ValidMetricFound'], ['ScalingLimited', 'True', 'ScaleUpLimit'],
      ]);
      assert.strictEqual(hpa.status.conditions[1].message, 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
      assert.ok(hpa.status.currentMetrics[0].resource.current.averageUtilization > 200, JSON.stringify(hpa.status.currentMetrics));
      assert.match(hpa.status.currentMetrics[0].resource.current.averageValue, /^\d+m$/);
      assert.ok(events(pg).some((e) => e[2] === 'New size: 4; reason: cpu resource utilization (percentage of request) above target'));
      // It settles where each pod is near 50%.
      pg.advance(5 * 60_000);
      const settled = pg.api.get(R.deployments, 'default', 'web').spec.replicas;
      assert.ok(settled >= 9 && settled <= 10, `settled at ${settled}`);
      const u = pg.api.get(R.hpas, 'default', 'web').status.currentMetrics[0].resource.current.averageUtilization;
      assert.ok(u >= 40 && u <= 55, `utilization ${u}`);
      // The load drops: the recommendation falls at once, but the downscale window holds the size for 5 minutes.
      pg.api.patch(R.deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'KUBEPLAY_LOAD', value: '100m' }] }] } } } });
      pg.advance(90_000);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, settled);
      assert.ok(pg.api.get(R.hpas, 'default', 'web').status.conditions.some((c: any) => c.reason === 'ScaleDownStabilized'));
      pg.advance(6 * 60_000);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 2, 'down to minReplicas once the window passed');
      assert.ok(events(pg).some((e) => /^New size: 2; reason: All metrics below target$/.test(String(e[2]))));
    } finally {
      pg.close();
    }
  });

  it('plays spec.behavior: a Pods rate policy limits each step up, and a zero scale-down window scales down at once', () => {
    const pg = newTestPlayground();
    try {
      const d = deployment(1);
      d.spec.template.spec.containers[0].resources = { requests: { cpu: '200m' } };
      d.spec.template.spec.containers[0].env = [{ name: 'KUBEPLAY_LOAD', value: '600m' }];
      pg.api.create(R.deployments, 'default', d);
      pg.advance(40_000);
      pg.api.create(R.hpas, 'default', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
          behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 0 } } } } as KObject);
      const replicas = () => pg.api.get(R.deployments, 'default', 'web').spec.replicas;
      pg.advance(15_500);
      assert.strictEqual(replicas(), 2, 'one pod more per minute');
      const c = pg.api.get(R.hpas, 'default', 'web').status.conditions.find((x: any) => x.type === 'ScalingLimited');
      assert.deepStrictEqual([c.status, c.reason, c.message], ['True', 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']);
      pg.advance(30_000);
      assert.strictEqual(replicas(), 2, 'still within the policy\'s minute');
      pg.advance(30_000);
      assert.strictEqual(replicas(), 3);
      // The load goes away: no stabilization window, and the default scale-down policy allows 100% per 15 s.
      pg.api.patch(R.deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'KUBEPLAY_LOAD', value: '0' }] }] } } } });
      pg.advance(90_000);
      assert.strictEqual(replicas(), 1);
    } finally {
      pg.close();
    }
  });

  it('reports a target it cannot read, and turns itself off for a target scaled to zero', () => {
    const pg = newTestPlayground();
    try {
      const hpa = (name: string, target: string) => pg.api.create(R.hpas, 'default', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, maxReplicas: 3 } } as KObject);
      hpa('lost', 'missing');
      pg.api.create(R.deployments, 'default', deployment(0));
      hpa('idle', 'web');
      pg.advance(16_000);
      const lost = pg.api.get(R.hpas, 'default', 'lost').status.conditions;
      assert.deepStrictEqual(lost.map((c: any) => [c.type, c.status, c.reason, c.message]),
        [['AbleToScale', 'False', 'FailedGetScale', 'the HPA controller was unable to get the target\'s current scale: deployments.apps "missing" not found']]);
      assert.ok(events(pg).some((e) => e[1] === 'FailedGetScale' && e[2] === 'deployments.apps "missing" not found'));
      const idle = pg.api.get(R.hpas, 'default', 'idle').status;
      assert.deepStrictEqual(idle.conditions.map((c: any) => [c.type, c.status, c.reason]), [['AbleToScale', 'True', 'SucceededGetScale'], ['ScalingActive', 'False', 'ScalingDisabled']]);
      assert.strictEqual(idle.desiredReplicas, 0);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 0);
    } finally {
      pg.close();
    }
  });

  it('refuses to act when two autoscalers select the same pods (AmbiguousSelector)', () => {
    const pg = newTestPlayground();
    try {
      const d = deployment(2);
      d.spec.template.spec.containers[0].resources = { requests: { cpu: '100m' } };
      pg.api.create(R.deployments, 'default', d);
      pg.advance(40_000);
      for (const name of ['one', 'two']) {
        pg.api.create(R.hpas, 'default', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name },
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5 } } as KObject);
      }
      pg.advance(31_000);
      for (const name of ['one', 'two']) {
        const c = pg.api.get(R.hpas, 'default', name).status.conditions.find((x: any) => x.type === 'ScalingActive');
        assert.deepStrictEqual([c.status, c.reason, c.message], ['False', 'AmbiguousSelector', 'pods by selector app=web are controlled by multiple HPAs: [{one default} {two default}]']);
      }
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 2);
    } finally {
      pg.close();
    }
  });

  it('serves autoscaling/v1 from v2 storage: the CPU target as a field, everything else in round-trip annotations', () => {
    const v2: KObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', annotations: { team: 'a' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
      },
      status: { currentReplicas: 2, desiredReplicas: 2, conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'SucceededGetScale', message: 'ok' }] },
    };
    const v1 = toHpaV1(v2);
    assert.strictEqual(v1.spec.targetCPUUtilizationPercentage, 70);
    assert.deepStrictEqual(JSON.parse(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/metrics']), [{ type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '10' } }]);
    assert.deepStrictEqual(JSON.parse(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/behavior']),
      { ScaleUp: null, ScaleDown: { StabilizationWindowSeconds: 60, SelectPolicy: 'Max', Policies: [{ Type: 'Percent', Value: 100, PeriodSeconds: 15 }], Tolerance: null } });
    assert.strictEqual(v1.metadata.annotations!.team, 'a');
    assert.deepStrictEqual(v1.status, { currentReplicas: 2, desiredReplicas: 2 });
    // Back again, nothing is lost (metrics keep their order: the annotation's, then the CPU target).
    const back = fromHpaV1(v1);
    assert.deepStrictEqual(back.metadata.annotations, { team: 'a' });
    assert.deepStrictEqual(back.spec.metrics, [v2.spec.metrics[1], v2.spec.metrics[0]]);
    assert.deepStrictEqual(back.spec.behavior, v2.spec.behavior);
    assert.deepStrictEqual(back.status.conditions, v2.status.conditions);
    // A v1 autoscaler without a target gets the 80% CPU default conversion has always given it.
    assert.deepStrictEqual(fromHpaV1({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { maxReplicas: 2 } } as KObject).spec.metrics,
      [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  describe('replica calculator edge cases', () => {
    const NOW = Date.parse('2026-01-01T01:00:00Z');
    // Started long ago (past the CPU initialization period) and Ready.
    const pod = (name: string, cpu = '100m'): KObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] },
      status: { phase: 'Running', startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:01Z' }] },
    } as KObject);
    const samples = (values: Record<string, number>) => new Map(Object.entries(values).map(([k, v]) => [k, { value: v, at: NOW - 1000, windowMs: 15_000 }]));

    it('keeps the size when the pods with metrics are exactly at the target, whatever the pods without metrics', () => {
      const pods = ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n));
      // a and b at 50m of 100m = 50%, c-e not measured yet: exactly 1.0, so the missing pods are left out.
      assert.deepStrictEqual(resourceReplicas(5, 50, 'cpu', '', pods, samples({ a: 50, b: 50 }), NOW), { replicas: 5, utilization: 50, raw: 50 });
      // Below the target the missing pods count as using their whole request, and the direction flips: no change.
      assert.strictEqual((resourceReplicas(5, 50, 'cpu', '', pods, samples({ a: 20, b: 20 }), NOW) as any).replicas, 5);
      // Above it they count as using nothing: (80+80)/500 = 32% of a 50% target is a scale-down, so no change either.
      assert.strictEqual((resourceReplicas(5, 50, 'cpu', '', pods, samples({ a: 80, b: 80 }), NOW) as any).replicas, 5);
      // With every pod measured, 80% of a 50% target wants ceil(1.6 x 2) = 4.
      assert.strictEqual((resourceReplicas(2, 50, 'cpu', '', pods.slice(0, 2), samples({ a: 80, b: 80 }), NOW) as any).replicas, 4);
      // Exactly 10% over is within the tolerance (1.33+): 55% of 50% keeps the size.
      assert.strictEqual((resourceReplicas(2, 50, 'cpu', '', pods.slice(0, 2), samples({ a: 55, b: 55 }), NOW) as any).replicas, 2);
      assert.deepStrictEqual(resourceReplicas(2, 50, 'cpu', '', [pod('a'), { ...pod('b'), spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject], samples({ a: 80, b: 80 }), NOW),
        { error: 'missing request for cpu in container c of Pod b' });
    });

    it('floors the average of an averageValue target before comparing it', () => {
      const pods = [pod('a'), pod('b')];
      // (166 + 165) / 2 = 165.5, floored to 165: 165/150 = 1.1, within the tolerance.
      assert.deepStrictEqual(rawResourceReplicas(2, 150, 'cpu', pods, samples({ a: 166, b: 165 }), NOW), { replicas: 2, utilization: 0, raw: 165 });
      assert.strictEqual((rawResourceReplicas(2, 150, 'cpu', pods, samples({ a: 300, b: 300 }), NOW) as any).replicas, 4);
    });

    it('serves a v1 read of an autoscaler whose lists hold nulls without failing', () => {
      const v1 = toHpaV1({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' },
        spec: { maxReplicas: 2, metrics: [null, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
        status: { currentMetrics: [null], conditions: [null] } } as any);
      assert.strictEqual(v1.spec.targetCPUUtilizationPercentage, 50);
      assert.deepStrictEqual(fromHpaV1({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '[null]' } }, spec: { maxReplicas: 2 } } as KObject).spec.metrics.length, 1);
    });
  });
});
