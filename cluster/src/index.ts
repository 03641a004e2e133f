/** The playground's public surface. */
export * from './contract';
export { KubePlayground, createPlayground, DEFAULT_START } from './playground';
export { ApiServer, type AdmissionPlugin } from './apiserver/api';
export { StatusError, isStatusError, type Status } from './apiserver/status';
export { allResources, resourceInfo, resourceForKind, storageId, type ResourceInfo } from './apiserver/resources';
export { Store } from './store/store';
export { SimClock } from './runtime/clock';
export { SeededRand } from './runtime/rand';
export { Loop } from './runtime/loop';
export { WorkQueue } from './runtime/queue';
export { Informer, informerFor } from './runtime/informer';
export { deepCopy, deepEqual, rfc3339 } from './runtime/objects';
export { Recorder } from './events';
export { parseManifest } from './playground/manifest';
export { clientSideApply, LAST_APPLIED } from './playground/apply';
export { newTestControlPlane, newTestPlayground } from './testing';
export { findDuplicateFields } from './apiserver/duplicates';
