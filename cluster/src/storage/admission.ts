/**
 * The storage admission plugins upstream enables by default:
 * DefaultStorageClass (a claim created without spec.storageClassName gets the
 * default class — the newest one annotated is-default-class) and
 * StorageObjectInUseProtection (claims and volumes get the
 * kubernetes.io/pvc-protection and kubernetes.io/pv-protection finalizers).
 */
import type { AdmissionPlugin } from '../apiserver/api';
import type { Api, KObject, WriteOptions } from '../contract';
import { forbidden } from '../apiserver/status';
import { quantity } from '../scheduler/resources';
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
    // PersistentVolumeClaimResize: a claim grows only when it is Bound and its class allows expansion.
    validate(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, _opts: WriteOptions, subresource?: string) {
      if (op !== 'UPDATE' || !old || subresource || obj.kind !== 'PersistentVolumeClaim') return;
      const size = (o: KObject) => { const q = o.spec?.resources?.requests?.storage; return q === undefined || q === null ? 0 : quantity(q); };
      if (size(obj) <= size(old)) return;
      const name = obj.metadata.name ?? '';
      if (old.status?.phase !== 'Bound') throw forbidden(CLAIMS, name, 'Only bound persistent volume claims can be expanded');
      // allowResize: the claim's class (by name) exists and says allowVolumeExpansion: true.
      const cls = obj.spec?.storageClassName;
      let allows = false;
      if (cls) { try { allows = api.get(GVRS.storageClasses, undefined, cls).allowVolumeExpansion === true; } catch { allows = false; } }
      if (!allows) throw forbidden(CLAIMS, name, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    },
  };
}
const CLAIMS = { group: '', resource: 'persistentvolumeclaims' };
