import type { KObject, WriteOptions, WriteResult } from '../../contract';
import type { ApiServer } from '../api';
import { storageId, gvrOf, type ResourceInfo } from '../resources';
import { applyMergePatch } from '../patch/mergepatch';
import { badRequest } from '../status';

/** Server-side apply (first cut: create or merge; ownership and conflicts come with apply/fieldset.ts). */
export function serverSideApply(api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, p: unknown, opts: WriteOptions, sub?: string): WriteResult {
  if (!opts.fieldManager) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  const obj = p as KObject;
  const existing = api.store.get(storageId(info), ns, name);
  if (!existing) return api.create(gvrOf(info), ns, { ...obj, metadata: { ...(obj.metadata ?? {}), name } }, opts);
  const merged = applyMergePatch(existing, obj) as KObject;
  merged.metadata = { ...merged.metadata };
  delete merged.metadata.resourceVersion;
  return api.updateFrom(info, existing, merged, opts, sub, undefined, { manager: opts.fieldManager, operation: 'Apply' });
}
