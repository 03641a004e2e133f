/**
 * The storage admission plugins upstream enables by default:
 * DefaultStorageClass (a claim created without spec.storageClassName gets the
 * default class — the newest one annotated is-default-class) and
 * StorageObjectInUseProtection (claims and volumes get the
 * kubernetes.io/pvc-protection and kubernetes.io/pv-protection finalizers).
 */
import type { AdmissionPlugin } from '../apiserver/api';
import type { Api, KObject } from '../contract';
import { GVRS } from '../scheduler/watch';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export function defaultClassName(api: Api): string | undefined {
  const defaults = api.list(GVRS.storageClasses, undefined).items
    .filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!));
  return defaults[0]?.metadata.name;
}

export function storageAdmission(api: Api): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass,StorageObjectInUseProtection',
    resources: ['/persistentvolumeclaims', '/persistentvolumes'],
    admit(op: 'CREATE' | 'UPDATE', obj: KObject) {
      if (op !== 'CREATE') return;
      const isClaim = obj.kind === 'PersistentVolumeClaim';
      if (isClaim && obj.spec && obj.spec.storageClassName === undefined && !obj.spec.volumeName) {
        const name = defaultClassName(api);
        if (name) obj.spec.storageClassName = name;
      }
      const fin = isClaim ? 'kubernetes.io/pvc-protection' : 'kubernetes.io/pv-protection';
      const list: string[] = (obj.metadata.finalizers ??= []);
      if (!list.includes(fin)) list.push(fin);
    },
  };
}
