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
 * - Otherwise Resource and ContainerResource metrics are read from the
 *   simulated metrics-server (cluster/src/metrics) and turned into a replica
 *   count as upstream's ReplicaCalculator does: utilization of the pods'
 *   requests, the 10% tolerance, unready and missing pods, the 5-minute CPU
 *   initialization period, then the 5-minute downscale stabilization and the
 *   scale-up limit (normalizeDesiredReplicas), with the ScalingLimited and
 *   AbleToScale conditions; with a spec.behavior, its stabilization windows
 *   and rate policies instead (normalizeDesiredReplicasWithBehaviors).
 * - Pods, Object and External metrics need the custom and external metrics
 *   APIs, which the playground does not have: they fail with upstream's
 *   FailedGet*Metric and FailedComputeMetricsReplicas events and
 *   ScalingActive=False.
 */
import type { Component, ComponentContext, EventSource, GVR, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { resourceForKind } from '../../apiserver/resources.js';
import { compileSelectors } from '../../apiserver/selectors.js';
import { formatBytes, loadShares, metricsServerReady, podUsage, METRIC_RESOLUTION_MS } from '../../metrics/usage.js';
import { PODS } from '../util/gvr.js';
import { podCondition } from '../util/pods.js';
import { parseTime } from '../util/time.js';
import { quantityMilli } from '../../../../kube/src/quantity.js';
import { deepCopy } from '../util/owner.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { formatTime } from '../util/time.js';
import { errorMessage, writeStatus } from '../util/write.js';

/**
 * The field manager of the controller manager's writes: the apiserver names a manager by its client's User-Agent
 * up to the first '/', and kube-controller-manager's is `kube-controller-manager/v1.34.0 (...)`. So the replicas an
 * autoscaler set are owned by it (subresource scale), and a server-side apply that sets them conflicts.
 */
const CONTROLLER_MANAGER = 'kube-controller-manager';
const HPAS: GVR = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
const SLICES: GVR = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** --horizontal-pod-autoscaler-tolerance, -cpu-initialization-period, -initial-readiness-delay, -downscale-stabilization. */
const TOLERANCE = 0.1;
const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
const INITIAL_READINESS_DELAY_MS = 30_000;
const DOWNSCALE_STABILIZATION_MS = 5 * 60_000;
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

const NO_RESOURCE_METRICS = 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
const NO_CUSTOM_METRICS = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
/** The external metrics client GETs the metric's path, which nothing serves. */
const noExternalMetrics = (metric: string) => `unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${metric}.external.metrics.k8s.io)`;

/** A LabelSelector as Go's %+v prints the pointer: nil, or its fields. */
function goSelector(sel: any): string {
  if (!sel) return 'nil';
  const labels = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}: ${v},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e: any) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

type Condition = { type: string; status: string; lastTransitionTime?: string; reason: string; message: string };

/** One metric's failure: the condition's reason, the error the condition and its event carry, and the error computeReplicasForMetric returns. */
function metricFailure(spec: any, namespace = ''): { reason: string; err: string; wrapped: string } {
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
      // Upstream's format puts its arguments in this order: the kind, namespace and name come before the error.
      const m = spec.object ?? {};
      const ref = m.describedObject ?? {};
      const inner = `unable to get metric ${m.metric?.name ?? ''}: ${ref.kind ?? ''} on ${namespace} ${ref.name ?? ''}/${NO_CUSTOM_METRICS}`;
      const err = m.target?.type === 'AverageValue' && m.target?.averageValue !== undefined ? `failed to get ${m.metric?.name ?? ''} object metric: ${inner}` : inner;
      return { reason: 'FailedGetObjectMetric', err: inner, wrapped: `failed to get object metric value: ${err}` };
    }
    case 'External': {
      const m = spec.external ?? {};
      const name = m.metric?.name ?? '';
      const inner = `unable to get external metric ${namespace}/${name}/${goSelector(m.metric?.selector)}: ${noExternalMetrics(name)}`;
      const err = m.target?.averageValue !== undefined ? `failed to get ${name} external metric: ${inner}` : `failed to get external metric ${name}: ${inner}`;
      return { reason: 'FailedGetExternalMetric', err: inner, wrapped: `failed to get ${name} external metric value: ${err}` };
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
  private readonly pods: ObjectCache;
  private readonly source: EventSource = Object.freeze({ component: 'horizontal-pod-autoscaler' });
  /** The latest unstabilized recommendations of each autoscaler (stabilizeRecommendation). */
  private readonly recommendations = new Map<string, { replicas: number; at: number }[]>();
  /** The pod selector each autoscaler last read from its target (hpaSelectors), to find pods two of them select. */
  private readonly selectors = new Map<string, (o: KObject) => boolean>();
  /** Each autoscaler's recent scale changes, up and down, for its behavior's rate policies (storeScaleEvent). */
  private readonly scaleEvents = new Map<string, { up: ScaleEvent[]; down: ScaleEvent[] }>();

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.hpas = informers.for(HPAS);
    this.pods = informers.for(PODS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(this.name, `error syncing HorizontalPodAutoscaler ${k}: ${errorMessage(err)}`));
    // AddRateLimited with a fixed interval: every add waits one sync period, and a key already waiting keeps its turn.
    this.hpas.onEvent((t, hpa) => {
      if (t !== 'DELETED') this.queue.addAfter(keyOf(hpa.metadata.namespace, hpa.metadata.name!), HPA_SYNC_PERIOD_MS);
    });
  }

  start(): void {
    this.hpas.start();
    this.pods.start();
    for (const h of this.hpas.list()) this.queue.addAfter(keyOf(h.metadata.namespace, h.metadata.name!), HPA_SYNC_PERIOD_MS);
  }

  stop(): void {
    this.queue.stop();
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const cached = this.hpas.get(ns, name);
    if (!cached) {
      this.recommendations.delete(key);
      this.scaleEvents.delete(key);
      this.selectors.delete(key);
      return;
    }
    try {
      this.reconcile(cached, key);
    } catch (e) {
      // reconcileAutoscaler's errors are logged; the key comes back after the sync period like any other.
      this.ctx.log(this.name, `error syncing HorizontalPodAutoscaler ${key}: ${errorMessage(e)}`);
    } finally {
      if (this.hpas.get(ns, name)) this.queue.addAfter(key, HPA_SYNC_PERIOD_MS);
    }
  }

  private reconcile(cached: KObject, key: string): void {
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
    let metricStatuses: any[] | undefined;
    // recordInitialRecommendation: the first sync remembers the current size.
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ replicas: current, at: now }]);
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
      // computeReplicasForMetrics: the selector first, then every metric.
      const metrics: any[] = spec.metrics ?? [];
      const selector = scale.status?.selector;
      // validateAndParseSelector: a selector, one that parses, and pods that no other autoscaler also selects.
      const selectorError = (reason: string, message: string, condition = message) => {
        event('Warning', reason, message);
        setCondition('ScalingActive', 'False', reason === 'SelectorRequired' ? 'InvalidSelector' : reason, condition);
        status.currentReplicas = current;
        status.currentMetrics = null;
        write();
        event('Warning', 'FailedComputeMetricsReplicas', message);
      };
      if (!selector) return selectorError('SelectorRequired', 'selector is required', "the HPA target's scale is missing a selector");
      let matches: (o: KObject) => boolean;
      try {
        matches = compileSelectors('/pods', selector, undefined) ?? (() => true);
      } catch (e) {
        return selectorError('InvalidSelector', `couldn't convert selector into a corresponding internal selector object: ${errorMessage(e)}`);
      }
      this.selectors.set(key, matches);
      const pods = this.pods.list(hpa.metadata.namespace).filter(matches);
      const ns = hpa.metadata.namespace ?? '';
      const controlling = [...this.selectors].filter(([k, m]) => k.startsWith(`${ns}/`) && pods.some(m)).map(([k]) => k).sort();
      if (controlling.length > 1) {
        const keys = controlling.map((k) => `{${k.slice(ns.length + 1)} ${ns}}`).join(' ');
        return selectorError('AmbiguousSelector', `pods by selector ${selector} are controlled by multiple HPAs: [${keys}]`);
      }
      const statuses: any[] = [];
      const failures: ReturnType<typeof metricFailure>[] = [];
      let proposal = 0;
      let proposalName = '';
      for (const m of metrics) {
        const r = this.replicasForMetric(m, scale.spec?.replicas ?? 0, pods, now, hpa.metadata.namespace ?? '');
        if ('reason' in r) {
          statuses.push({ type: '' });
          failures.push(r);
          event('Warning', r.reason, r.err);
          continue;
        }
        statuses.push(r.status);
        if (proposal === 0 || r.replicas > proposal) { proposal = r.replicas; proposalName = r.name; }
      }
      if (failures.length >= metrics.length || (failures.length && proposal < (scale.spec?.replicas ?? 0))) {
        const first = failures[0];
        if (first) setCondition('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.err}`);
        // setCurrentReplicasAndMetricsInStatus: the statuses computed, desiredReplicas as it was.
        status.currentReplicas = current;
        status.currentMetrics = statuses;
        write();
        if (first) event('Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${failures.length} invalid out of ${metrics.length}), first error is: ${first.wrapped}`);
        return;
      }
      setCondition('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${proposalName}`);
      metricStatuses = statuses;
      let rescaleMetric = '';
      if (proposal > desired) { desired = proposal; rescaleMetric = proposalName; }
      if (desired > current) reason = `${rescaleMetric} above target`;
      if (desired < current) reason = 'All metrics below target';
      desired = spec.behavior
        ? this.normalizeWithBehaviors(key, spec.behavior, current, desired, min, max, now, setCondition)
        : this.normalize(key, hpa, current, desired, min, max, now, setCondition);
      rescale = desired !== current;
    }
    if (rescale) {
      try {
        this.ctx.api.update({ group: info.group, version: info.version, resource: info.resource }, hpa.metadata.namespace, { ...scale, spec: { ...scale.spec, replicas: desired } }, { fieldManager: CONTROLLER_MANAGER }, 'scale');
      } catch (e) {
        event('Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${errorMessage(e)}`);
        setCondition('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${errorMessage(e)}`);
        status.currentReplicas = current;
        write();
        return;
      }
      setCondition('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      event('Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      if (spec.behavior) this.storeScaleEvent(key, spec.behavior, current, desired, now);
    } else {
      desired = current;
    }
    // setStatus: the whole status anew, with lastScaleTime moved on a rescale.
    const next: any = {};
    if (rescale) next.lastScaleTime = formatTime(now);
    else if (status.lastScaleTime) next.lastScaleTime = status.lastScaleTime;
    if (current) next.currentReplicas = current;
    next.desiredReplicas = desired;
    next.currentMetrics = metricStatuses ?? null;
    if (status.conditions) next.conditions = status.conditions;
    writeStatus(this.ctx.api, HPAS, cached, next, this.hpas);
  }

  /**
   * One metric's replica count (computeReplicasForMetric). Resource and
   * ContainerResource metrics come from the simulated metrics-server; the
   * others need metrics APIs the playground does not have.
   */
  private replicasForMetric(m: any, specReplicas: number, pods: KObject[], now: number, namespace: string):
    { replicas: number; name: string; status: any } | ReturnType<typeof metricFailure> {
    if (m?.type !== 'Resource' && m?.type !== 'ContainerResource') return metricFailure(m, namespace);
    const src = m.type === 'Resource' ? m.resource : m.containerResource;
    const resource: string = src?.name ?? '';
    const container: string = m.type === 'ContainerResource' ? src?.container ?? '' : '';
    const target = src?.target ?? {};
    const fail = (err: string) => {
      const reason = m.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
      const wrapped = m.type === 'Resource' ? `failed to get ${resource} resource metric value: ${err}` : `failed to get ${container} container metric value: ${err}`;
      return { reason, err, wrapped };
    };
    const what = target.averageValue !== undefined ? 'usage' : 'utilization';
    if (target.averageValue === undefined && target.averageUtilization === undefined) {
      return fail('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    }
    // The resource metrics API answers only while metrics-server has a ready endpoint.
    if (!metricsServerReady(this.ctx.api.list(SLICES, 'kube-system', { labelSelector: 'kubernetes.io/service-name=metrics-server' }).items)) {
      return fail(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)`);
    }
    // metricsClient.GetResourceMetric: the PodMetrics of the selected pods, each pod's use in thousandths, summed over
    // its containers (getPodMetrics) or the named one's (getContainerMetrics).
    const samples = new Map<string, Sample>();
    const share = loadShares(this.pods.list(namespace));
    let items = 0;
    const valueOf = (u: { cpu: number; memory: number }) => (resource === 'cpu' ? Math.ceil(Math.round(u.cpu * 1e9) / 1e6) : u.memory * 1000);
    // metrics-server reports cpu and memory alone: a pod has no sample of anything else.
    const known = resource === 'cpu' || resource === 'memory';
    for (const p of pods) {
      const u = podUsage(p, now, share);
      if (!u) continue;
      items++;
      if (container) {
        const c = u.containers.find((x) => x.name === container);
        if (!c) return fail(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: failed to get container metrics: container ${container} not present in metrics for pod ${p.metadata.namespace}/${p.metadata.name}`);
        if (known) samples.set(p.metadata.name!, { value: valueOf(c.usage), at: u.at, windowMs: u.windowMs });
      } else if (known && u.containers.length) {
        samples.set(p.metadata.name!, { value: u.containers.reduce((sum, c) => sum + valueOf(c.usage), 0), at: u.at, windowMs: u.windowMs });
      }
    }
    if (!items) return fail(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
    if (!pods.length) return fail(`failed to get ${resource} ${what}: no pods returned by selector while calculating replica count`);
    const r = target.averageValue !== undefined
      ? rawResourceReplicas(specReplicas, quantityMilli(String(target.averageValue)), resource, pods, samples, now)
      : resourceReplicas(specReplicas, target.averageUtilization, resource, container, pods, samples, now);
    if ('error' in r) return fail(`failed to get ${resource} ${what}: ${r.error}`);
    // buildQuantity: memory in BinarySI, as metrics-server reports it; the rest in DecimalSI.
    const averageValue = resource === 'memory' && r.raw % 1000 === 0 ? formatBytes(r.raw / 1000) : formatMilli(r.raw);
    const current: any = target.averageValue !== undefined ? { averageValue } : { averageValue, averageUtilization: r.utilization };
    const name = target.averageValue !== undefined ? `${resource} resource`
      : m.type === 'ContainerResource' ? `${resource} container resource utilization (percentage of request)` : `${resource} resource utilization (percentage of request)`;
    const status = m.type === 'Resource'
      ? { type: 'Resource', resource: { name: resource, current } }
      : { type: 'ContainerResource', containerResource: { name: resource, container, current } };
    return { replicas: r.replicas, name, status };
  }

  /**
   * normalizeDesiredReplicasWithBehaviors: stabilization over both windows (scale-down's unset window is the
   * controller's 5 minutes), then the rate policies of the direction of change.
   */
  private normalizeWithBehaviors(key: string, behavior: any, current: number, proposed: number, min: number, max: number, now: number,
    setCondition: (type: string, st: string, reason: string, message: string) => void): number {
    const up = behavior.scaleUp ?? {};
    const down = behavior.scaleDown ?? {};
    const upWindow = (up.stabilizationWindowSeconds ?? 0) * 1000;
    const downWindow = down.stabilizationWindowSeconds !== undefined && down.stabilizationWindowSeconds !== null ? down.stabilizationWindowSeconds * 1000 : DOWNSCALE_STABILIZATION_MS;
    // stabilizeRecommendationWithBehaviors.
    const recs = this.recommendations.get(key) ?? [];
    let upRec = proposed;
    let downRec = proposed;
    let old = -1;
    for (let i = 0; i < recs.length; i++) {
      if (recs[i].at > now - upWindow) upRec = Math.min(recs[i].replicas, upRec);
      if (recs[i].at > now - downWindow) downRec = Math.max(recs[i].replicas, downRec);
      if (recs[i].at < now - upWindow && recs[i].at < now - downWindow) old = i;
    }
    let stabilized = current;
    if (stabilized < upRec) stabilized = upRec;
    if (stabilized > downRec) stabilized = downRec;
    if (old >= 0) recs[old] = { replicas: proposed, at: now };
    else recs.push({ replicas: proposed, at: now });
    this.recommendations.set(key, recs);
    if (stabilized !== proposed) {
      if (proposed >= current) setCondition('AbleToScale', 'True', 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation');
      else setCondition('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    } else setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    // convertDesiredReplicasWithBehaviorRate.
    const events = this.scaleEvents.get(key) ?? { up: [], down: [] };
    let desired = stabilized;
    let cond = 'DesiredWithinRange';
    let why = 'the desired count is within the acceptable range';
    if (stabilized > current) {
      const limit = Math.max(rateLimit('up', current, events, up, now), current);
      let allowed = max;
      if (allowed > limit) {
        allowed = limit;
        cond = 'ScaleUpLimit';
        why = 'the desired replica count is increasing faster than the maximum scale rate';
      } else {
        cond = 'TooManyReplicas';
        why = 'the desired replica count is more than the maximum replica count';
      }
      if (stabilized > allowed) desired = allowed;
      else { cond = 'DesiredWithinRange'; why = 'the desired count is within the acceptable range'; }
    } else if (stabilized < current) {
      const limit = Math.min(rateLimit('down', current, events, down, now), current);
      let allowed = min;
      if (allowed < limit) {
        allowed = limit;
        cond = 'ScaleDownLimit';
        why = 'the desired replica count is decreasing faster than the maximum scale rate';
      } else {
        cond = 'TooFewReplicas';
        why = 'the desired replica count is less than the minimum replica count';
      }
      if (stabilized < allowed) desired = allowed;
      else { cond = 'DesiredWithinRange'; why = 'the desired count is within the acceptable range'; }
    }
    setCondition('ScalingLimited', desired === stabilized ? 'False' : 'True', cond, why);
    return desired;
  }

  /** storeScaleEvent: a change joins its direction's list, reusing the last slot older than the longest policy period. */
  private storeScaleEvent(key: string, behavior: any, prev: number, next: number, now: number): void {
    const events = this.scaleEvents.get(key) ?? { up: [], down: [] };
    this.scaleEvents.set(key, events);
    const upward = next > prev;
    const list = upward ? events.up : events.down;
    const rules = (upward ? behavior.scaleUp : behavior.scaleDown) ?? {};
    const longest = Math.max(0, ...(rules.policies ?? []).map((p: any) => p?.periodSeconds ?? 0)) * 1000;
    let slot = -1;
    for (let i = 0; i < list.length; i++) {
      if (list[i].at < now - longest) list[i].outdated = true;
      if (list[i].outdated) slot = i;
    }
    const event: ScaleEvent = { change: Math.abs(next - prev), at: now, outdated: false };
    if (slot >= 0) list[slot] = event;
    else list.push(event);
  }

  /** normalizeDesiredReplicas: the downscale stabilization window, then the min/max and scale-up limits. */
  private normalize(key: string, hpa: KObject, current: number, proposed: number, min: number, max: number, now: number,
    setCondition: (type: string, st: string, reason: string, message: string) => void): number {
    // stabilizeRecommendation: the highest recommendation within the window; the oldest stale one is replaced.
    const recs = this.recommendations.get(key) ?? [];
    let stabilized = proposed;
    let old = -1;
    for (let i = 0; i < recs.length; i++) {
      if (recs[i].at < now - DOWNSCALE_STABILIZATION_MS) old = i;
      else if (recs[i].replicas > stabilized) stabilized = recs[i].replicas;
    }
    if (old >= 0) recs[old] = { replicas: proposed, at: now };
    else recs.push({ replicas: proposed, at: now });
    this.recommendations.set(key, recs);
    if (stabilized !== proposed) setCondition('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    else setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    void hpa;
    // convertDesiredReplicasWithRules.
    const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
    let maxAllowed: number;
    let cond: string;
    let why: string;
    if (max > scaleUpLimit) {
      maxAllowed = scaleUpLimit;
      cond = 'ScaleUpLimit';
      why = 'the desired replica count is increasing faster than the maximum scale rate';
    } else {
      maxAllowed = max;
      cond = 'TooManyReplicas';
      why = 'the desired replica count is more than the maximum replica count';
    }
    let desired = stabilized;
    if (stabilized < min) {
      desired = min;
      cond = 'TooFewReplicas';
      why = 'the desired replica count is less than the minimum replica count';
    } else if (stabilized > maxAllowed) {
      desired = maxAllowed;
    } else {
      cond = 'DesiredWithinRange';
      why = 'the desired count is within the acceptable range';
    }
    setCondition('ScalingLimited', desired === stabilized ? 'False' : 'True', cond, why);
    return desired;
  }
}

/** resource.NewMilliQuantity(n, DecimalSI).String(): the largest exact suffix. */
export function formatMilli(n: number): string {
  if (n === 0) return '0';
  const suffixes = ['m', '', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  let v = n;
  while (i < suffixes.length - 1 && v % 1000 === 0) { v /= 1000; i++; }
  return `${v}${suffixes[i]}`;
}

type Sample = { value: number; at: number; windowMs: number };

/** calculateRequests: each pod's request in thousandths, over its containers and sidecars (or the one named). */
function podRequests(pods: KObject[], container: string, resource: string): Map<string, number> | string {
  const out = new Map<string, number>();
  for (const p of pods) {
    let sum = 0;
    const containers = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
    for (const c of containers) {
      if (container && c.name !== container) continue;
      const q = c.resources?.requests?.[resource];
      if (q === undefined) return `missing request for ${resource} in container ${c.name} of Pod ${p.metadata.name}`;
      sum += quantityMilli(String(q));
    }
    out.set(p.metadata.name!, sum);
  }
  return out;
}

/** groupPods: which pods count, which are unready or missing a sample, which are ignored. */
function groupPods(pods: KObject[], samples: Map<string, Sample>, resource: string, now: number) {
  let ready = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const p of pods) {
    const name = p.metadata.name!;
    if (p.metadata.deletionTimestamp || p.status?.phase === 'Failed') { ignored.add(name); continue; }
    if (p.status?.phase === 'Pending') { unready.add(name); continue; }
    const sample = samples.get(name);
    if (!sample) { missing.add(name); continue; }
    if (resource === 'cpu') {
      const cond = podCondition(p, 'Ready');
      const start = parseTime(p.status?.startTime);
      let isUnready: boolean;
      if (!cond || start === undefined) isUnready = true;
      else {
        const transition = parseTime(cond.lastTransitionTime) ?? 0;
        // Within the CPU initialization period a sample counts only from one window after the pod became ready.
        if (start + CPU_INITIALIZATION_PERIOD_MS > now) isUnready = cond.status === 'False' || sample.at < transition + sample.windowMs;
        else isUnready = cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > transition;
      }
      if (isUnready) { unready.add(name); continue; }
    }
    ready++;
  }
  return { ready, unready, missing, ignored };
}

/** GetResourceUtilizationRatio: integer percent of the requests, and the average raw use. */
function utilizationRatio(values: Map<string, number>, requests: Map<string, number>, target: number): { ratio: number; utilization: number; raw: number } | string {
  let total = 0;
  let requested = 0;
  let n = 0;
  for (const [name, v] of values) {
    const r = requests.get(name);
    if (r === undefined) continue;
    total += v;
    requested += r;
    n++;
  }
  if (requested === 0) return 'no metrics returned matched known pods';
  const utilization = Math.trunc((total * 100) / requested);
  return { ratio: utilization / target, utilization, raw: Math.trunc(total / n) };
}

/** Tolerances.isWithin (1.33+): the same 10% both ways, bounds included. */
const withinTolerance = (ratio: number) => 1 - TOLERANCE <= ratio && ratio <= 1 + TOLERANCE;

/** ReplicaCalculator.GetResourceReplicas. */
export function resourceReplicas(current: number, target: number, resource: string, container: string, pods: KObject[], samples: Map<string, Sample>, now: number):
  { replicas: number; utilization: number; raw: number } | { error: string } {
  const g = groupPods(pods, samples, resource, now);
  const values = new Map<string, number>();
  for (const [name, s] of samples) if (!g.ignored.has(name) && !g.unready.has(name)) values.set(name, s.value);
  if (!values.size) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const requests = podRequests(pods, container, resource);
  if (typeof requests === 'string') return { error: requests };
  const first = utilizationRatio(values, requests, target);
  if (typeof first === 'string') return { error: first };
  const { ratio, utilization, raw } = first;
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (withinTolerance(ratio)) return { replicas: current, utilization, raw };
    return { replicas: Math.ceil(ratio * g.ready), utilization, raw };
  }
  if (g.missing.size) {
    // On a scale-down a missing pod counts as using its whole request (or the target, above 100%); on a scale-up,
    // nothing; exactly at the target it is left out.
    const fallback = Math.max(100, target);
    if (ratio < 1) for (const name of g.missing) values.set(name, Math.trunc((requests.get(name)! * fallback) / 100));
    else if (ratio > 1) for (const name of g.missing) values.set(name, 0);
  }
  if (scaleUpWithUnready) for (const name of g.unready) values.set(name, 0);
  const again = utilizationRatio(values, requests, target);
  if (typeof again === 'string') return { error: again };
  const next = again.ratio;
  if (withinTolerance(next) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return { replicas: current, utilization, raw };
  const replicas = Math.ceil(next * values.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return { replicas: current, utilization, raw };
  return { replicas, utilization, raw };
}

/** ReplicaCalculator.GetRawResourceReplicas (an averageValue target, no requests needed). */
export function rawResourceReplicas(current: number, targetMilli: number, resource: string, pods: KObject[], samples: Map<string, Sample>, now: number):
  { replicas: number; utilization: number; raw: number } | { error: string } {
  const g = groupPods(pods, samples, resource, now);
  const values = new Map<string, number>();
  for (const [name, s] of samples) if (!g.ignored.has(name) && !g.unready.has(name)) values.set(name, s.value);
  if (!values.size) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  // GetMetricUsageRatio: the average is floored before it is compared with the target.
  const usageRatio = (vs: Map<string, number>) => {
    let total = 0;
    for (const v of vs.values()) total += v;
    const avg = Math.trunc(total / vs.size);
    return { ratio: avg / targetMilli, avg };
  };
  const { ratio, avg: raw } = usageRatio(values);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (withinTolerance(ratio)) return { replicas: current, utilization: 0, raw };
    return { replicas: Math.ceil(ratio * values.size), utilization: 0, raw };
  }
  if (g.missing.size) {
    if (ratio < 1) for (const name of g.missing) values.set(name, targetMilli);
    else if (ratio > 1) for (const name of g.missing) values.set(name, 0);
  }
  if (scaleUpWithUnready) for (const name of g.unready) values.set(name, 0);
  const next = usageRatio(values).ratio;
  if (withinTolerance(next) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return { replicas: current, utilization: 0, raw };
  const replicas = Math.ceil(next * values.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return { replicas: current, utilization: 0, raw };
  return { replicas, utilization: 0, raw };
}

interface ScaleEvent { change: number; at: number; outdated: boolean }

/** getReplicasChangePerPeriod: the changes made within the last `periodSeconds`. */
const changedWithin = (periodSeconds: number, events: ScaleEvent[], now: number) =>
  events.reduce((sum, e) => (e.at > now - periodSeconds * 1000 ? sum + e.change : sum), 0);

/** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
function rateLimit(direction: 'up' | 'down', current: number, events: { up: ScaleEvent[]; down: ScaleEvent[] }, rules: any, now: number): number {
  const select = rules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  // Max (the default) lets the biggest change through: the highest limit up, the lowest down; Min the opposite.
  const biggest = select !== 'Min';
  let result = direction === 'up' ? (biggest ? -Infinity : Infinity) : (biggest ? Infinity : -Infinity);
  for (const p of rules.policies ?? []) {
    const start = current - changedWithin(p.periodSeconds ?? 0, events.up, now) + changedWithin(p.periodSeconds ?? 0, events.down, now);
    let proposed: number;
    if (direction === 'up') proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    else proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = direction === 'up' ? (biggest ? Math.max(result, proposed) : Math.min(result, proposed)) : (biggest ? Math.min(result, proposed) : Math.max(result, proposed));
  }
  return Number.isFinite(result) ? result : current;
}
