/**
 * Storage of the playground.
 *
 * Exports (called by the Playground façade):
 * - `createPersistentVolumeController(ctx)` → Component
 *   `persistentvolume-controller`: static PV/PVC binding, dynamic
 *   provisioning (simulated external provisioner), release and reclaim,
 *   pvc-protection.
 * - `defaultStorageClass()` / `ensureDefaultStorageClass(ctx)` — the
 *   `standard` class, as kind ships it: provisioner rancher.io/local-path,
 *   reclaimPolicy Delete, volumeBindingMode WaitForFirstConsumer, marked
 *   default with storageclass.kubernetes.io/is-default-class.
 * - `storageAdmission(api)` — DefaultStorageClass and
 *   StorageObjectInUseProtection, for `apiServer.use(...)`.
 */
import type { ComponentContext, KObject } from '../contract';
import { GVRS } from '../scheduler/watch';
import { ADMIN_WRITE } from '../auth/identities';
import { PersistentVolumeController, type PersistentVolumeControllerOptions } from './pvcontroller';

export { storageAdmission, defaultClassName, DEFAULT_CLASS_ANNOTATION } from './admission';
export { PersistentVolumeController, bestMatch, SELECTED_NODE, PROVISION_DELAY_MS, LOCAL_PATH_NAMESPACE, LOCAL_PATH_LABELS } from './pvcontroller';
export type { PersistentVolumeControllerOptions } from './pvcontroller';
export { LOCAL_PATH_SA, LOCAL_PATH_CONFIGMAP } from './helperpod';

export const DEFAULT_STORAGE_CLASS = 'standard';

export function defaultStorageClass(): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** kind's installstorage action applies it with the control plane's admin.conf: kubernetes-admin's write. */
export function ensureDefaultStorageClass(ctx: ComponentContext): void {
  try { ctx.api.get(GVRS.storageClasses, undefined, DEFAULT_STORAGE_CLASS); } catch { ctx.api.create(GVRS.storageClasses, undefined, defaultStorageClass(), ADMIN_WRITE); }
}

export const createPersistentVolumeController = (ctx: ComponentContext, opts?: PersistentVolumeControllerOptions) => new PersistentVolumeController(ctx, opts);
