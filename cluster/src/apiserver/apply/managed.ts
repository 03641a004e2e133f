/**
 * metadata.managedFields upkeep: which manager owns which fields. An Update
 * (create, update, patch with a fieldManager) takes the fields it changed
 * from everyone else; an Apply owns exactly the fields of its configuration.
 */
import type { KObject } from '../../contract';
import { deepEqual, rfc3339 } from '../../runtime/objects';
import { rootType } from '../patch/schematype';
import { fieldsOf, fromFieldsV1, toFieldsV1, valueAt, type FieldSet } from './fieldset';

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export function entries(o: KObject): ManagedEntry[] {
  const mf = o.metadata?.managedFields;
  return Array.isArray(mf) ? (mf as ManagedEntry[]) : [];
}

export function sameEntry(e: ManagedEntry, manager: string, operation: string, apiVersion: string, subresource?: string): boolean {
  return e.manager === manager && e.operation === operation && e.apiVersion === apiVersion && (e.subresource ?? '') === (subresource ?? '');
}

/** Writes `sets` (one per entry) back as managedFields; entries that own nothing are dropped. */
export function writeEntries(o: KObject, list: { entry: ManagedEntry; set: FieldSet }[]): void {
  const out = list.filter((x) => x.set.size > 0).map((x) => ({ ...x.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(x.set) }));
  if (out.length) o.metadata.managedFields = out;
  else delete o.metadata.managedFields;
}

/** An Update by `manager`: the fields whose value it changed become its own and leave every other entry. */
export function trackManagedFields(
  o: KObject, old: KObject | undefined, manager: string, operation: 'Apply' | 'Update', now: number, apiVersion: string, subresource?: string,
): void {
  if (operation === 'Apply') return; // apply/apply.ts writes its own entries
  const root = rootType({ apiVersion: o.apiVersion, kind: o.kind });
  const scope = subresource === 'status' ? 'status' : 'main';
  const newSet = fieldsOf(o, root, scope);
  const changed: FieldSet = new Set();
  if (!old) for (const p of newSet) changed.add(p);
  else {
    const oldSet = fieldsOf(old, root, scope);
    // TypedValue.Compare: a map or list item (its `.` node) changes only by appearing or going away, never because
    // a field inside it changed, so whoever owned it keeps it.
    for (const p of newSet) if (!oldSet.has(p) || (!p.endsWith('.') && !deepEqual(valueAt(o, p), valueAt(old, p)))) changed.add(p);
    for (const p of oldSet) if (!newSet.has(p)) changed.add(p);
  }
  const list = entries(old ?? o).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1, root) }));
  if (!changed.size && list.some((x) => sameEntry(x.entry, manager, 'Update', apiVersion, subresource))) {
    writeEntries(o, list);
    return;
  }
  for (const x of list) if (!sameEntry(x.entry, manager, 'Update', apiVersion, subresource)) for (const p of changed) x.set.delete(p);
  let mine = list.find((x) => sameEntry(x.entry, manager, 'Update', apiVersion, subresource));
  if (!mine) {
    mine = { entry: { manager, operation: 'Update', apiVersion, fieldsType: 'FieldsV1', fieldsV1: {} }, set: new Set() };
    if (subresource) mine.entry.subresource = subresource;
    list.push(mine);
  }
  for (const p of changed) if (newSet.has(p)) mine.set.add(p);
  if (changed.size) mine.entry = { ...mine.entry, time: rfc3339(now) };
  writeEntries(o, list);
}
