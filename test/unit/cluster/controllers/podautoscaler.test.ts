import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { fromHpaV1, toHpaV1 } from '../../../../cluster/src/apiserver/hpav1';

/**
 * The horizontal pod autoscaler on a cluster without a metrics API (the
 * playground has none): bounds are enforced, metrics fail with upstream's
 * events and conditions; and autoscaling/v1 is served from v2 storage.
 */
describe('horizontal pod autoscaler controller', () => {
  const deployment = (replicas: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  } as KObject);
  const events = (pg: ReturnType<typeof newTestPlayground>) => pg.api.list(R.events, 'default').items
    .filter((e) => e.involvedObject?.kind === 'HorizontalPodAutoscaler').map((e) => [e.type, e.reason, e.message, e.source?.component]);

  it('scales a target below minReplicas up at its first sync, 15 s after it was created, then reports the missing metrics API', () => {
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
      // The next sync is within bounds: the metrics API is asked for, and there is none.
      pg.advance(15_000);
      hpa = pg.api.get(R.hpas, 'default', 'web');
      const noMetrics = 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
      assert.deepStrictEqual(hpa.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
        ['AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale"],
        ['ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${noMetrics}`],
      ]);
      assert.deepStrictEqual(hpa.status.currentMetrics, [{ type: '' }]);
      assert.deepStrictEqual([hpa.status.currentReplicas, hpa.status.desiredReplicas], [2, 2]);
      assert.deepStrictEqual(events(pg).slice(1), [
        ['Warning', 'FailedGetResourceMetric', noMetrics, 'horizontal-pod-autoscaler'],
        ['Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${noMetrics}`, 'horizontal-pod-autoscaler'],
      ]);
      // Every 15 s the same: the events count up instead of piling up.
      pg.advance(30_000);
      const repeated = pg.api.list(R.events, 'default').items.find((e) => e.reason === 'FailedGetResourceMetric')!;
      assert.strictEqual(repeated.count, 3);
      // Above maxReplicas: brought down at the next sync.
      pg.scale(R.deployments, 'default', 'web', 9);
      pg.advance(15_000);
      assert.strictEqual(pg.api.get(R.deployments, 'default', 'web').spec.replicas, 5);
      assert.ok(events(pg).some((e) => e[2] === 'New size: 5; reason: Current number of replicas above Spec.MaxReplicas'));
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
});
