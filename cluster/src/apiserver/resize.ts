/**
 * The pods/resize subresource (InPlacePodVerticalScaling, beta and on by default in 1.34): the one way to change a
 * running pod's container resources. The request is a whole Pod, but only each container's `resources` and
 * `resizePolicy` are taken from it (pkg/registry/core/pod/strategy.go, dropNonResizeUpdates); everything else is
 * the stored pod's. ValidatePodResize (pkg/apis/core/validation/validation.go) then refuses what the kubelet cannot
 * do in place: resources other than cpu and memory, a change of QoS class, removing requests or limits, lowering
 * or adding a memory limit unless the container restarts for memory, static, Windows and pod-level-resources pods.
 */
import type { KObject } from '../contract';
import { deepEqual } from '../runtime/objects';
import { qosClass, quantity } from '../scheduler/resources';
import type { FieldError } from './status';

/** The mirror pod annotation of a static pod (core.MirrorPodAnnotationKey). */
const MIRROR = 'kubernetes.io/config.mirror';

/**
 * dropNonResizeUpdates: the stored pod with the request's containers' resources and resizePolicy. A request that
 * adds, removes, reorders or renames containers keeps its own lists, for validation to refuse.
 */
export function resizedPod(existing: KObject, input: KObject): KObject {
  const spec = existing.spec ?? {};
  const want = input?.spec ?? {};
  const out: any = { ...existing, metadata: { ...existing.metadata }, spec: { ...spec } };
  for (const list of ['containers', 'initContainers'] as const) {
    const olds: any[] = spec[list] ?? [];
    const news: any[] | undefined = want[list];
    if (!Array.isArray(news) || !news.length) continue;
    if (news.length !== olds.length || news.some((c, i) => c?.name !== olds[i]?.name)) {
      out.spec[list] = news;
      continue;
    }
    out.spec[list] = olds.map((c, i) => {
      const n = { ...c, resources: news[i]?.resources, resizePolicy: news[i]?.resizePolicy };
      if (n.resources === undefined) delete n.resources;
      if (n.resizePolicy === undefined) delete n.resizePolicy;
      return n;
    });
  }
  return out as KObject;
}

const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const sidecar = (c: any) => c?.restartPolicy === 'Always';
const CPU_MEMORY = ['cpu', 'memory'];

/** The container with its cpu and memory requests and limits put back as they were (dropCPUMemoryResourcesFromContainer). */
function withoutCpuMemoryChanges(c: any, old: any): any {
  const munge = (list: any, oldList: any) => {
    if (oldList == null) return undefined;
    const out: Record<string, unknown> = { ...(list ?? {}) };
    for (const r of CPU_MEMORY) {
      delete out[r];
      if (oldList[r] !== undefined) out[r] = oldList[r];
    }
    return out;
  };
  const resources: any = {};
  const lim = munge(c?.resources?.limits, old?.resources?.limits);
  const req = munge(c?.resources?.requests, old?.resources?.requests);
  if (lim !== undefined) resources.limits = lim;
  if (req !== undefined) resources.requests = req;
  return { ...c, resources };
}

/** The same container with an empty resources object and no empty lists, for comparing as Go's semantic DeepEqual does. */
function comparable(c: any): any {
  const r = c?.resources ?? {};
  const out: any = { ...c, resources: {} };
  for (const k of ['limits', 'requests', 'claims']) if (r[k] && Object.keys(r[k]).length) out.resources[k] = r[k];
  return out;
}

const removed = (list: any, oldList: any) => Object.keys(oldList ?? {}).some((k) => !(k in (list ?? {})));

/** validateContainerResize: requests and limits stay, and memory limits only go up unless memory restarts the container. */
function containerResizeErrors(c: any, old: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (removed(c?.resources?.requests, old?.resources?.requests)) errs.push(forbidden(`${path}.requests`, 'resource requests cannot be removed'));
  if (removed(c?.resources?.limits, old?.resources?.limits)) errs.push(forbidden(`${path}.limits`, 'resource limits cannot be removed'));
  const memPolicy = (c?.resizePolicy ?? []).find((p: any) => p?.resourceName === 'memory')?.restartPolicy ?? '';
  if (memPolicy === 'NotRequired' || memPolicy === '') {
    const now = c?.resources?.limits?.memory;
    const before = old?.resources?.limits?.memory;
    if (now !== undefined && before !== undefined) {
      if (quantity(now) < quantity(before)) errs.push(forbidden(`${path}.limits[memory]`, 'memory limits cannot be decreased unless resizePolicy is RestartContainer'));
    } else if (now !== undefined) {
      // Adding a memory limit lowers it from the unlimited it was.
      errs.push(forbidden(`${path}.limits[memory]`, 'memory limits cannot be added unless resizePolicy is RestartContainer'));
    }
  }
  return errs;
}

/**
 * ValidatePodResize, after the pod's own validation (`specErrors`): the errors to report for the resize of
 * `oldPod` into `newPod`.
 */
export function resizeErrors(oldPod: KObject, newPod: KObject, specErrors: FieldError[]): FieldError[] {
  const levelSet = (p: KObject) => {
    const r = p.spec?.resources;
    return !!r && Object.keys(r.requests ?? {}).length + Object.keys(r.limits ?? {}).length > 0;
  };
  if (levelSet(oldPod) || levelSet(newPod)) return [forbidden('', 'pods with pod-level resources cannot be resized')];
  if (oldPod.metadata.annotations?.[MIRROR] !== undefined) return [forbidden('', 'static pods cannot be resized')];
  if (oldPod.spec?.os?.name === 'windows') return [forbidden('', 'windows pods cannot be resized')];
  const errs = [...specErrors];
  // GetPodQOS reads the class the pod was created with; the value printed is that stored class.
  const before = oldPod.status?.qosClass || qosClass(oldPod);
  if (before !== qosClass(newPod)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec', value: newPod.status?.qosClass ?? '', detail: 'Pod QOS Class may not change as a result of resizing' });
  }
  const oldSpec = oldPod.spec ?? {};
  const newSpec = newPod.spec ?? {};
  const olds: any[] = oldSpec.containers ?? [];
  const news: any[] = newSpec.containers ?? [];
  const oldInits: any[] = oldSpec.initContainers ?? [];
  const newInits: any[] = newSpec.initContainers ?? [];
  const sameShape = news.length === olds.length && newInits.length === oldInits.length;
  if (sameShape) {
    oldInits.forEach((c, i) => {
      if (sidecar(c)) errs.push(...containerResizeErrors(newInits[i], c, `spec.initContainers[${i}].resources`));
    });
    olds.forEach((c, i) => errs.push(...containerResizeErrors(news[i], c, `spec.containers[${i}].resources`)));
    news.forEach((c, i) => {
      if (!deepEqual(comparable(withoutCpuMemoryChanges(c, olds[i])), comparable(olds[i]))) errs.push(forbidden('spec', 'only cpu and memory resources are mutable'));
    });
    newInits.forEach((c, i) => {
      if (sidecar(oldInits[i])) {
        if (!deepEqual(comparable(withoutCpuMemoryChanges(c, oldInits[i])), comparable(oldInits[i]))) {
          errs.push(forbidden('spec', 'only cpu and memory resources for sidecar containers are mutable'));
        }
      } else if (!deepEqual(comparable(c), comparable(oldInits[i]))) {
        errs.push(forbidden('spec', 'resources for non-sidecar init containers are immutable'));
      }
    });
    if (errs.length) return errs;
  } else {
    if (errs.length) return errs;
    return [forbidden('spec', 'only cpu and memory resources are mutable')];
  }
  // Anything else that differs (a resizePolicy among it) is not a resize.
  const rest = (s: any, cs: any[], inits: any[], old: { cs: any[]; inits: any[] }) => ({
    ...s,
    containers: cs.map((c, i) => comparable(withoutCpuMemoryChanges(c, old.cs[i]))),
    initContainers: inits.map((c, i) => comparable(sidecar(old.inits[i]) ? withoutCpuMemoryChanges(c, old.inits[i]) : c)),
  });
  const a = rest(newSpec, news, newInits, { cs: olds, inits: oldInits });
  const b = rest(oldSpec, olds, oldInits, { cs: olds, inits: oldInits });
  if (!deepEqual(a, b)) return [forbidden('spec', 'only cpu and memory resources are mutable')];
  return [];
}
