/**
 * The horizontal pod autoscaler controller (pkg/controller/podautoscaler),
 * as it behaves on a cluster without a metrics API, which the playground is:
 *
 * - Each autoscaler is synced 15 s after it is added or changed, then every
 *   15 s (the controller's resync period, a fixed-interval rate limiter).
 * - It reads the target's scale subresource; a target it cannot read gives
 *   FailedGetScale (event and AbleToScale=False).
 * - Replicas outside [minReplicas, maxReplicas] are brought inside at once,
 *   with SuccessfulRescale ("New size: 2; reason: Current number of replicas
 *   below Spec.MinReplicas") and lastScaleTime; a target at 0 replicas turns
 *   autoscaling off (ScalingDisabled).
 * - Otherwise each metric is asked for, and there is no metrics server: the
 *   FailedGet*Metric and FailedComputeMetricsReplicas events and
 *   ScalingActive=False carry upstream's errors, and `kubectl get hpa` keeps
 *   showing `<unknown>` targets, as on a cluster without metrics-server.
 */
import type { Component, ComponentContext, EventSource, GVR, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { resourceForKind } from '../../apiserver/resources.js';
import { deepCopy } from '../util/owner.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { formatTime } from '../util/time.js';
import { errorMessage, writeStatus } from '../util/write.js';

const HPAS: GVR = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;

const NO_RESOURCE_METRICS = 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
const NO_CUSTOM_METRICS = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
const NO_EXTERNAL_METRICS = 'unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered';

type Condition = { type: string; status: string; lastTransitionTime?: string; reason: string; message: string };

/** One metric's failure: the condition's reason, the error the condition and its event carry, and the error computeReplicasForMetric returns. */
function metricFailure(spec: any): { reason: string; err: string; wrapped: string } {
  switch (spec?.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const name = src?.name ?? '';
      const usage = src?.target?.averageValue !== undefined ? 'usage' : 'utilization';
      const err = `failed to get ${name} ${usage}: unable to get metrics for resource ${name}: ${NO_RESOURCE_METRICS}`;
      return spec.type === 'Resource'
        ? { reason: 'FailedGetResourceMetric', err, wrapped: `failed to get ${name} resource metric value: ${err}` }
        : { reason: 'FailedGetContainerResourceMetric', err, wrapped: `failed to get ${src?.container ?? ''} container metric value: ${err}` };
    }
    case 'Pods': {
      const err = `unable to get metric ${spec.pods?.metric?.name ?? ''}: ${NO_CUSTOM_METRICS}`;
      return { reason: 'FailedGetPodsMetric', err, wrapped: `failed to get pods metric value: ${err}` };
    }
    case 'Object': {
      const err = `unable to get metric ${spec.object?.metric?.name ?? ''}: ${NO_CUSTOM_METRICS}`;
      return { reason: 'FailedGetObjectMetric', err, wrapped: `failed to get object metric value: ${err}` };
    }
    case 'External': {
      const name = spec.external?.metric?.name ?? '';
      const err = `unable to get external metric ${name}: ${NO_EXTERNAL_METRICS}`;
      return { reason: 'FailedGetExternalMetric', err, wrapped: `failed to get ${name} external metric value: ${err}` };
    }
    default: {
      const err = `unknown metric source type ${JSON.stringify(String(spec?.type ?? ''))}`;
      return { reason: 'InvalidMetricSourceType', err, wrapped: err };
    }
  }
}

export class HorizontalPodAutoscalerController implements Component {
  readonly name = 'horizontal-pod-autoscaler';
  private readonly queue: WorkQueue;
  private readonly hpas: ObjectCache;
  private readonly source: EventSource = Object.freeze({ component: 'horizontal-pod-autoscaler' });

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.hpas = informers.for(HPAS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(this.name, `error syncing HorizontalPodAutoscaler ${k}: ${errorMessage(err)}`));
    // AddRateLimited with a fixed interval: every add waits one sync period, and a key already waiting keeps its turn.
    this.hpas.onEvent((t, hpa) => {
      if (t !== 'DELETED') this.queue.addAfter(keyOf(hpa.metadata.namespace, hpa.metadata.name!), HPA_SYNC_PERIOD_MS);
    });
  }

  start(): void {
    this.hpas.start();
    for (const h of this.hpas.list()) this.queue.addAfter(keyOf(h.metadata.namespace, h.metadata.name!), HPA_SYNC_PERIOD_MS);
  }

  stop(): void {
    this.queue.stop();
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const cached = this.hpas.get(ns, name);
    if (!cached) return;
    try {
      this.reconcile(cached);
    } finally {
      if (this.hpas.get(ns, name)) this.queue.addAfter(key, HPA_SYNC_PERIOD_MS);
    }
  }

  private reconcile(cached: KObject): void {
    const hpa = deepCopy(cached);
    const spec = hpa.spec ?? {};
    const original = hpa.status ?? {};
    const status: any = deepCopy(original);
    const now = this.ctx.clock.now();
    const setCondition = (type: string, st: string, reason: string, message: string) => {
      const list: Condition[] = (status.conditions ??= []);
      let c = list.find((x) => x.type === type);
      if (!c) list.push((c = { type, status: '', reason: '', message: '' }));
      if (c.status !== st) c.lastTransitionTime = formatTime(now);
      // Field order as the Go struct marshals it.
      const i = list.indexOf(c);
      list[i] = { type, status: st, lastTransitionTime: c.lastTransitionTime, reason, message };
    };
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) => this.ctx.events.event(this.source, hpa, type, reason, message);
    const write = () => writeStatus(this.ctx.api, HPAS, cached, status, this.hpas);

    // The target's scale subresource.
    const ref = spec.scaleTargetRef ?? {};
    const info = resourceForKind(String(ref.apiVersion ?? ''), String(ref.kind ?? ''));
    const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
    let scale: KObject | undefined;
    let scaleError: string | undefined;
    if (!info || info.kind !== ref.kind) scaleError = `no matches for kind ${JSON.stringify(String(ref.kind ?? ''))} in group ${JSON.stringify(group)}`;
    else if (!info.scale) scaleError = 'the server could not find the requested resource';
    else {
      try {
        scale = this.ctx.api.get({ group: info.group, version: info.version, resource: info.resource }, hpa.metadata.namespace, String(ref.name ?? ''), 'scale');
      } catch (e) {
        scaleError = errorMessage(e);
      }
    }
    if (!scale || !info) {
      event('Warning', 'FailedGetScale', scaleError!);
      setCondition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${scaleError}`);
      write();
      return;
    }
    setCondition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current: number = scale.spec?.replicas ?? 0;
    const min: number = spec.minReplicas ?? 1;
    const max: number = spec.maxReplicas ?? 0;
    let desired = 0;
    let reason = '';
    let rescale = true;
    if (current === 0 && min !== 0) {
      rescale = false;
      setCondition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > max) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
    } else if (current < min) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      // computeReplicasForMetrics: the selector first, then every metric, none of which a cluster without metrics APIs has.
      const metrics: any[] = spec.metrics ?? [];
      const selector = scale.status?.selector;
      if (!selector) {
        event('Warning', 'SelectorRequired', 'selector is required');
        setCondition('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
        status.currentReplicas = current;
        status.currentMetrics = undefined;
        write();
        event('Warning', 'FailedComputeMetricsReplicas', 'selector is required');
        return;
      }
      const failures = metrics.map(metricFailure);
      for (const f of failures) event('Warning', f.reason, f.err);
      const first = failures[0];
      if (first) setCondition('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.err}`);
      // setCurrentReplicasAndMetricsInStatus: one empty status per metric, desiredReplicas as it was.
      status.currentReplicas = current;
      status.currentMetrics = metrics.map(() => ({ type: '' }));
      write();
      if (first) event('Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${failures.length} invalid out of ${metrics.length}), first error is: ${first.wrapped}`);
      return;
    }
    if (rescale) {
      try {
        this.ctx.api.update({ group: info.group, version: info.version, resource: info.resource }, hpa.metadata.namespace, { ...scale, spec: { ...scale.spec, replicas: desired } }, undefined, 'scale');
      } catch (e) {
        event('Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${errorMessage(e)}`);
        setCondition('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${errorMessage(e)}`);
        status.currentReplicas = current;
        write();
        return;
      }
      setCondition('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      event('Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    } else {
      desired = current;
    }
    // setStatus: the whole status anew, with lastScaleTime moved on a rescale.
    const next: any = {};
    if (rescale) next.lastScaleTime = formatTime(now);
    else if (status.lastScaleTime) next.lastScaleTime = status.lastScaleTime;
    if (current) next.currentReplicas = current;
    next.desiredReplicas = desired;
    if (status.conditions) next.conditions = status.conditions;
    writeStatus(this.ctx.api, HPAS, cached, next, this.hpas);
  }
}
