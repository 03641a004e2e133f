/**
 * autoscaling/v1 HorizontalPodAutoscalers, served from autoscaling/v2
 * storage as upstream's conversion does (pkg/apis/autoscaling/v1/conversion.go):
 * a CPU utilization target is `targetCPUUtilizationPercentage`, and what v1
 * has no field for (other metrics, their current values, conditions, the
 * scaling behavior) travels in `autoscaling.alpha.kubernetes.io/*`
 * annotations, so that a v1 client's round trip loses nothing.
 */
import type { KObject } from '../contract';

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [METRICS_ANNOTATION, BEHAVIOR_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION];

type Obj = Record<string, any>;

/** An object with the given keys in Go's field order, leaving out what is undefined (omitempty). */
function ordered(pairs: [string, unknown][]): Obj {
  const out: Obj = {};
  for (const [k, v] of pairs) if (v !== undefined) out[k] = v;
  return out;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const isCpuUtilization = (m: Obj) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization !== undefined;

// ---- metric specs: v2 <-> v1 (the v2beta1 shapes) ----

function specToV1(m: Obj): Obj {
  const t = m.resource ?? m.containerResource;
  return ordered([
    ['type', m.type],
    ['object', m.object && ordered([
      ['target', m.object.describedObject], ['metricName', m.object.metric?.name], ['targetValue', m.object.target?.value ?? '0'],
      ['selector', m.object.metric?.selector], ['averageValue', m.object.target?.averageValue],
    ])],
    ['pods', m.pods && ordered([['metricName', m.pods.metric?.name], ['targetAverageValue', m.pods.target?.averageValue ?? '0'], ['selector', m.pods.metric?.selector]])],
    ['resource', m.resource && ordered([['name', t.name], ['targetAverageUtilization', t.target?.averageUtilization], ['targetAverageValue', t.target?.averageValue]])],
    ['containerResource', m.containerResource && ordered([
      ['name', t.name], ['targetAverageUtilization', t.target?.averageUtilization], ['targetAverageValue', t.target?.averageValue], ['container', t.container],
    ])],
    ['external', m.external && ordered([
      ['metricName', m.external.metric?.name], ['metricSelector', m.external.metric?.selector],
      ['targetValue', m.external.target?.value], ['targetAverageValue', m.external.target?.averageValue],
    ])],
  ]);
}

function specFromV1(m: Obj): Obj {
  const resource = (r: Obj) => ordered([
    ['name', r.name],
    ['target', ordered([['type', r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization'], ['averageValue', r.targetAverageValue], ['averageUtilization', r.targetAverageUtilization]])],
    ['container', r.container],
  ]);
  return ordered([
    ['type', m.type],
    ['object', m.object && ordered([
      ['describedObject', m.object.target],
      ['target', ordered([['type', m.object.averageValue === undefined ? 'Value' : 'AverageValue'], ['value', m.object.targetValue], ['averageValue', m.object.averageValue]])],
      ['metric', ordered([['name', m.object.metricName], ['selector', m.object.selector]])],
    ])],
    ['pods', m.pods && ordered([
      ['metric', ordered([['name', m.pods.metricName], ['selector', m.pods.selector]])],
      ['target', { type: 'AverageValue', averageValue: m.pods.targetAverageValue }],
    ])],
    ['resource', m.resource && resource(m.resource)],
    ['containerResource', m.containerResource && resource(m.containerResource)],
    ['external', m.external && ordered([
      ['metric', ordered([['name', m.external.metricName], ['selector', m.external.metricSelector]])],
      ['target', ordered([['type', m.external.targetValue === undefined ? 'AverageValue' : 'Value'], ['value', m.external.targetValue], ['averageValue', m.external.targetAverageValue]])],
    ])],
  ]);
}

// ---- metric statuses ----

function statusToV1(m: Obj): Obj {
  const r = m.resource ?? m.containerResource;
  return ordered([
    ['type', m.type],
    ['object', m.object && ordered([
      ['target', m.object.describedObject], ['metricName', m.object.metric?.name], ['currentValue', m.object.current?.value ?? '0'],
      ['selector', m.object.metric?.selector], ['averageValue', m.object.current?.averageValue],
    ])],
    ['pods', m.pods && ordered([['metricName', m.pods.metric?.name], ['currentAverageValue', m.pods.current?.averageValue ?? '0'], ['selector', m.pods.metric?.selector]])],
    ['resource', m.resource && ordered([['name', r.name], ['currentAverageUtilization', r.current?.averageUtilization], ['currentAverageValue', r.current?.averageValue ?? '0']])],
    ['containerResource', m.containerResource && ordered([
      ['name', r.name], ['currentAverageUtilization', r.current?.averageUtilization], ['currentAverageValue', r.current?.averageValue ?? '0'], ['container', r.container],
    ])],
    ['external', m.external && ordered([
      ['metricName', m.external.metric?.name], ['metricSelector', m.external.metric?.selector],
      ['currentValue', m.external.current?.value ?? '0'], ['currentAverageValue', m.external.current?.averageValue],
    ])],
  ]);
}

function statusFromV1(m: Obj): Obj {
  const resource = (r: Obj) => ordered([
    ['name', r.name], ['current', ordered([['averageValue', r.currentAverageValue], ['averageUtilization', r.currentAverageUtilization]])], ['container', r.container],
  ]);
  return ordered([
    ['type', m.type],
    ['object', m.object && ordered([
      ['metric', ordered([['name', m.object.metricName], ['selector', m.object.selector]])],
      ['current', ordered([['value', m.object.currentValue], ['averageValue', m.object.averageValue]])],
      ['describedObject', m.object.target],
    ])],
    ['pods', m.pods && ordered([['metric', ordered([['name', m.pods.metricName], ['selector', m.pods.selector]])], ['current', { averageValue: m.pods.currentAverageValue }]])],
    ['resource', m.resource && resource(m.resource)],
    ['containerResource', m.containerResource && resource(m.containerResource)],
    ['external', m.external && ordered([
      ['metric', ordered([['name', m.external.metricName], ['selector', m.external.metricSelector]])],
      ['current', ordered([['value', m.external.currentValue], ['averageValue', m.external.currentAverageValue]])],
    ])],
  ]);
}

// ---- behavior: upstream marshals its internal type, whose JSON keys are the Go field names ----

function behaviorToAnnotation(b: Obj): string {
  const rules = (r: Obj | undefined) => (isObj(r) ? {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: Array.isArray(r.policies) ? r.policies.filter(isObj).map((p: Obj) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
    Tolerance: r.tolerance ?? null,
  } : null);
  return JSON.stringify({ ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) });
}

function behaviorFromAnnotation(text: string): Obj | undefined {
  let raw: any;
  try { raw = JSON.parse(text); } catch { return undefined; }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const rules = (r: any) => (r && typeof r === 'object' ? ordered([
    ['stabilizationWindowSeconds', r.StabilizationWindowSeconds ?? undefined],
    ['selectPolicy', r.SelectPolicy ?? undefined],
    ['policies', Array.isArray(r.Policies) ? r.Policies.map((p: any) => ({ type: p?.Type, value: p?.Value, periodSeconds: p?.PeriodSeconds })) : undefined],
    ['tolerance', r.Tolerance ?? undefined],
  ]) : undefined);
  const out = ordered([['scaleUp', rules(raw.ScaleUp)], ['scaleDown', rules(raw.ScaleDown)]]);
  // Only well-formed, non-empty data moves from the annotation to the field.
  return Object.keys(out).length ? out : undefined;
}

function dropRoundTrip(annotations: Obj | undefined): Obj | undefined {
  if (!annotations || !ROUND_TRIP.some((k) => k in annotations)) return annotations;
  const out = { ...annotations };
  for (const k of ROUND_TRIP) delete out[k];
  return out;
}

/** A stored autoscaling/v2 HPA as an autoscaling/v1 client reads it. */
export function toHpaV1(o: KObject): KObject {
  const spec: Obj = o.spec ?? {};
  const status: Obj = o.status ?? {};
  const annotations: Obj = { ...(dropRoundTrip(o.metadata?.annotations) ?? {}) };
  const metrics: Obj[] = Array.isArray(spec.metrics) ? spec.metrics.filter(isObj) : [];
  const cpu = metrics.find((m: Obj) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const others = metrics.filter((m: Obj) => !isCpuUtilization(m)).map(specToV1);
  if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  const current: Obj[] = Array.isArray(status.currentMetrics) ? status.currentMetrics.filter(isObj) : [];
  if (current.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map(statusToV1));
  if (isObj(spec.behavior)) annotations[BEHAVIOR_ANNOTATION] = behaviorToAnnotation(spec.behavior);
  const conditions: Obj[] = Array.isArray(status.conditions) ? status.conditions.filter(isObj) : [];
  if (conditions.length) {
    annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions.map((c: Obj) => ordered([
      ['type', c.type], ['status', c.status], ['lastTransitionTime', c.lastTransitionTime], ['reason', c.reason], ['message', c.message],
    ])));
  }
  const metadata = { ...o.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const cpuNow = current.filter((m: Obj) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined).pop();
  const out: KObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: ordered([
      ['scaleTargetRef', spec.scaleTargetRef], ['minReplicas', spec.minReplicas], ['maxReplicas', spec.maxReplicas],
      ['targetCPUUtilizationPercentage', cpu?.resource?.target?.averageUtilization],
    ]),
    status: ordered([
      ['observedGeneration', status.observedGeneration], ['lastScaleTime', status.lastScaleTime],
      ['currentReplicas', status.currentReplicas ?? 0], ['desiredReplicas', status.desiredReplicas ?? 0],
      ['currentCPUUtilizationPercentage', cpuNow?.resource?.current?.averageUtilization],
    ]),
  };
  return out;
}

/** An autoscaling/v1 HPA from a client, in the stored autoscaling/v2 form. */
export function fromHpaV1(o: KObject): KObject {
  const spec: Obj = o.spec ?? {};
  const status: Obj = o.status ?? {};
  const annotations: Obj = o.metadata?.annotations ?? {};
  const parse = (key: string): any[] | undefined => {
    if (typeof annotations[key] !== 'string') return undefined;
    try {
      const v = JSON.parse(annotations[key]);
      return Array.isArray(v) ? v.filter(isObj) : undefined;
    } catch {
      return undefined;
    }
  };
  let metrics: Obj[] = typeof spec.targetCPUUtilizationPercentage === 'number'
    ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }]
    : [];
  const others = parse(METRICS_ANNOTATION);
  if (others) metrics = [...others.map(specFromV1), ...metrics];
  // v1 once had an implicit CPU default in the controller; conversion makes it explicit.
  if (!metrics.length) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  let currentMetrics: Obj[] | undefined = typeof status.currentCPUUtilizationPercentage === 'number'
    ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }]
    : undefined;
  const current = parse(CURRENT_METRICS_ANNOTATION);
  if (current) currentMetrics = current.map(statusFromV1);
  const conditions = parse(CONDITIONS_ANNOTATION);
  const behavior = typeof annotations[BEHAVIOR_ANNOTATION] === 'string' ? behaviorFromAnnotation(annotations[BEHAVIOR_ANNOTATION]) : undefined;
  const metadata = { ...(o.metadata ?? {}) };
  const kept = dropRoundTrip(metadata.annotations);
  if (kept && Object.keys(kept).length) metadata.annotations = kept;
  else delete metadata.annotations;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: ordered([['scaleTargetRef', spec.scaleTargetRef], ['minReplicas', spec.minReplicas], ['maxReplicas', spec.maxReplicas], ['metrics', metrics], ['behavior', behavior]]),
    status: ordered([
      ['observedGeneration', status.observedGeneration], ['lastScaleTime', status.lastScaleTime],
      ['currentReplicas', status.currentReplicas], ['desiredReplicas', status.desiredReplicas ?? 0],
      ['currentMetrics', currentMetrics],
      ['conditions', conditions?.map((c: Obj) => ordered([['type', c.type], ['status', c.status], ['lastTransitionTime', c.lastTransitionTime], ['reason', c.reason], ['message', c.message]]))],
    ]),
  };
}
