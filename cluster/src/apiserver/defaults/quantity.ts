/**
 * resource.Quantity fields as the apiserver stores them: a Quantity always
 * marshals to its canonical text (`0.5` → `500m`, `0.5Gi` → `512Mi`,
 * `1024Mi` → `1Gi`, the number 1 → `"1"`), so whatever spelling a manifest
 * used, `-o yaml`, the tables and `describe` all read the same value back.
 * A value that is no quantity stays as written, for validation to report.
 */
import { canonicalQty } from '../../../../kube/src/qty';
import { Interner } from '../../runtime/intern';

type Obj = Record<string, any>;

/** Manifests repeat a handful of spellings (`100m`, `128Mi`, `0.5`): each is parsed once. */
const seen = new Interner<string, string | number>(4096);
const canonical = (v: string | number): string => seen.get(v, canonicalQty);

/** A ResourceList: every value canonical; a null one decodes as the zero Quantity. */
export function canonicalQuantityMap(m: unknown): void {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return;
  const r = m as Obj;
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (v === null) r[k] = '0';
    else if (typeof v === 'string' || typeof v === 'number') r[k] = canonical(v);
  }
}

/** One Quantity field of `o`, when it holds one. */
export function canonicalQuantityField(o: unknown, key: string): void {
  if (!o || typeof o !== 'object') return;
  const v = (o as Obj)[key];
  if (typeof v === 'string' || typeof v === 'number') (o as Obj)[key] = canonical(v);
}

/** A ResourceRequirements or VolumeResourceRequirements block. */
export function canonicalRequirements(r: unknown): void {
  if (!r || typeof r !== 'object') return;
  canonicalQuantityMap((r as Obj).limits);
  canonicalQuantityMap((r as Obj).requests);
}

/** The Quantities of a pod spec: container and pod-level resources, overhead, emptyDir sizes, ephemeral claim templates. */
export function canonicalPodSpecQuantities(spec: Obj): void {
  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) if (c && typeof c === 'object' && c.resources) canonicalRequirements(c.resources);
  }
  if (spec.resources) canonicalRequirements(spec.resources);
  if (spec.overhead) canonicalQuantityMap(spec.overhead);
  if (!Array.isArray(spec.volumes)) return;
  for (const v of spec.volumes) {
    if (!v || typeof v !== 'object') continue;
    if (v.emptyDir) canonicalQuantityField(v.emptyDir, 'sizeLimit');
    canonicalRequirements(v.ephemeral?.volumeClaimTemplate?.spec?.resources);
  }
}

/** An autoscaling/v2 MetricTarget's value and averageValue, in each kind of metric source. */
export function canonicalMetricTargets(metrics: unknown): void {
  if (!Array.isArray(metrics)) return;
  for (const m of metrics) {
    if (!m || typeof m !== 'object') continue;
    for (const src of ['resource', 'containerResource', 'pods', 'object', 'external']) {
      const t = m[src]?.target;
      canonicalQuantityField(t, 'value');
      canonicalQuantityField(t, 'averageValue');
    }
  }
}
