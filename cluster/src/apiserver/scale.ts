/** The autoscaling/v1 Scale subresource of deployments, replicasets, statefulsets and replicationcontrollers. */
import type { KObject } from '../contract';
import { labelSelectorToString } from '../../../kube/src/labels';
import type { ResourceInfo } from './resources';
import { invalid, notFound } from './status';
import { customFromScale, customScale } from './crd/resource';

function selectorString(info: ResourceInfo, o: KObject): string {
  const sel = o.spec?.selector;
  if (!sel) return '';
  if (info.resource === 'replicationcontrollers') {
    return Object.keys(sel)
      .sort()
      .map((k) => `${k}=${sel[k]}`)
      .join(',');
  }
  return labelSelectorToString(sel);
}

export function getScale(info: ResourceInfo, o: KObject): KObject {
  if (!info.scale) throw notFound(info, o.metadata.name ?? '');
  if (info.custom) return customScale(info, o);
  const m = o.metadata;
  const status: Record<string, unknown> = { replicas: o.status?.replicas ?? 0 };
  const sel = selectorString(info, o);
  if (sel) status.selector = sel;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status,
  };
}

/** The object an update of its Scale makes: only spec.replicas changes; the Scale's resourceVersion is the precondition. */
export function scaleToUpdate(info: ResourceInfo, existing: KObject, scale: KObject): KObject {
  if (!info.scale) throw notFound(info, existing.metadata.name ?? '');
  if (info.custom) return customFromScale(info, existing, scale);
  const name = existing.metadata.name!;
  const replicas = scale?.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', name, [
      { type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' },
    ]);
  }
  return {
    ...existing,
    metadata: { ...existing.metadata, resourceVersion: scale?.metadata?.resourceVersion || undefined },
    spec: { ...existing.spec, replicas },
  };
}
