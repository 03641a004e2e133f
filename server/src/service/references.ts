/**
 * Values that point at something else: volume names, port names, and the
 * names of ConfigMaps, Secrets, PVCs and ServiceAccounts. Completion offers the targets;
 * go-to-definition jumps to them.
 */
import { matchesRequirements, selectorFromLabelSelector, type Requirement } from '../../../kube/src/labels';
import type { FieldPath } from './model';
import { get, type IndexedObject, type WorkspaceIndex } from './workspace';

export type ReferencedKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount' | 'Role' | 'ClusterRole' | 'Service' | 'IngressClass';

/**
 * Which kind a name at this path refers to: by path shape (see context.shapeKey), and in a binding by what the
 * object says there (its roleRef's kind, a subject's kind).
 */
export function referencedKind(shape: string, obj?: { kind?: string; value: unknown }, rest?: FieldPath): ReferencedKind | undefined {
  if (obj && rest && (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding')) {
    if (shape === 'roleRef.name') return get(obj.value, ['roleRef', 'kind']) === 'Role' && obj.kind === 'RoleBinding' ? 'Role' : 'ClusterRole';
    if (/^subjects\[\]\.name$/.test(shape)) return get(obj.value, [...rest.slice(0, -1), 'kind']) === 'ServiceAccount' ? 'ServiceAccount' : undefined;
    return undefined;
  }
  if (obj?.kind === 'Ingress') {
    if (/(^|\.)backend\.service\.name$/.test(shape) || shape === 'spec.defaultBackend.service.name') return 'Service';
    if (shape === 'spec.ingressClassName') return 'IngressClass';
    if (/^spec\.tls\[\]\.secretName$/.test(shape)) return 'Secret';
    return undefined;
  }
  if (/(configMapKeyRef|configMapRef)\.name$/.test(shape)) return 'ConfigMap';
  if (/(secretKeyRef|secretRef)\.name$/.test(shape)) return 'Secret';
  if (/volumes\[\]\.configMap\.name$/.test(shape) || /sources\[\]\.configMap\.name$/.test(shape)) return 'ConfigMap';
  if (/volumes\[\]\.secret\.secretName$/.test(shape) || /sources\[\]\.secret\.name$/.test(shape)) return 'Secret';
  if (/imagePullSecrets\[\]\.name$/.test(shape)) return 'Secret';
  if (/volumes\[\]\.persistentVolumeClaim\.claimName$/.test(shape)) return 'PersistentVolumeClaim';
  if (/(^|\.)spec\.(serviceAccountName|serviceAccount)$/.test(shape)) return 'ServiceAccount';
  return undefined;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** For a path inside a container: the pod spec path and the container path. */
export function containerOf(rest: FieldPath): { podSpec: FieldPath; container: FieldPath } | undefined {
  for (let i = rest.length - 2; i >= 0; i--) {
    if (typeof rest[i] === 'string' && CONTAINER_LISTS.includes(rest[i] as string) && typeof rest[i + 1] === 'number') {
      return { podSpec: rest.slice(0, i), container: rest.slice(0, i + 2) };
    }
  }
  return undefined;
}

export function isVolumeMountName(shape: string): boolean {
  return /(containers|initContainers|ephemeralContainers)\[\]\.volumeMounts\[\]\.name$/.test(shape) ||
    /(containers|initContainers|ephemeralContainers)\[\]\.volumeDevices\[\]\.name$/.test(shape);
}

/** 'named' where a port name or number goes (httpGet, tcpSocket); 'number' for grpc, whose port is an int32. */
export function probePortKind(shape: string): 'named' | 'number' | undefined {
  if (/(livenessProbe|readinessProbe|startupProbe|postStart|preStop)\.(httpGet|tcpSocket)\.port$/.test(shape)) return 'named';
  if (/(livenessProbe|readinessProbe|startupProbe)\.grpc\.port$/.test(shape)) return 'number';
  return undefined;
}

export function isServiceTargetPort(kind: string | undefined, shape: string): boolean {
  return kind === 'Service' && shape === 'spec.ports[].targetPort';
}

/** Names of the volumes of the pod spec at `podSpec`. */
export function volumeNames(value: unknown, podSpec: FieldPath): { name: string; index: number }[] {
  const vols = get(value, [...podSpec, 'volumes']);
  if (!Array.isArray(vols)) return [];
  return vols.flatMap((v, index) => (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? [{ name: (v as { name: string }).name, index }] : []));
}

/** Named ports of one container. */
export function containerPorts(value: unknown, container: FieldPath): { name?: string; containerPort: number }[] {
  const ports = get(value, [...container, 'ports']);
  if (!Array.isArray(ports)) return [];
  return ports.flatMap((p) =>
    p && typeof p === 'object' && typeof (p as { containerPort?: unknown }).containerPort === 'number'
      ? [{ name: typeof (p as { name?: unknown }).name === 'string' ? (p as { name: string }).name : undefined, containerPort: (p as { containerPort: number }).containerPort }]
      : [],
  );
}

/** Workloads whose pod template labels a Service selector (a plain map) matches. */
export function selectedWorkloads(ws: WorkspaceIndex, selector: Record<string, string> | undefined, namespace?: string): IndexedObject[] {
  if (!selector || Object.keys(selector).length === 0) return [];
  const reqs = selectorFromLabelSelector({ matchLabels: selector });
  return ws.workloads().filter((w) => w.podTemplate && (!namespace || !w.namespace || w.namespace === namespace) && matchesRequirements(reqs, w.podTemplate.labels));
}

/** Objects with a label set (for workload selectors): those whose labels (or template labels) match. */
export function objectsMatching(ws: WorkspaceIndex, sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }): IndexedObject[] {
  const out: IndexedObject[] = [];
  if (!sel.matchLabels && !sel.matchExpressions) return out;
  let reqs: Requirement[];
  try {
    reqs = selectorFromLabelSelector(sel);
  } catch {
    return out; // an invalid operator: the validation reports it
  }
  // Every object in the workspace is looked at on each hover over a selector: walk the lists, not a generator.
  const lists = ws.listsExcept ? ws.listsExcept() : [[...ws.objects()]];
  for (const list of lists) {
    for (const o of list) {
      if (o.kind === 'Service') continue;
      const labels = o.podTemplate ? o.podTemplate.labels : o.labels;
      if (matchesRequirements(reqs, labels) && (reqs.length > 0 || Object.keys(labels).length > 0)) out.push(o);
    }
  }
  return out;
}

/** Services whose selector matches a pod template's labels. */
export function servicesSelecting(ws: WorkspaceIndex, labels: Record<string, string>, namespace?: string): IndexedObject[] {
  return ws.byKind('Service').filter((s) => {
    const sel = s.serviceSelector;
    if (!sel || Object.keys(sel).length === 0) return false;
    if (namespace && s.namespace && s.namespace !== namespace) return false;
    for (const k in sel) if (labels[k] !== sel[k]) return false;
    return true;
  });
}
