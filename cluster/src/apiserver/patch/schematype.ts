/** Field types for patching, looked up in the shared schema (merge keys and patch strategies live on array TypeRefs). */
import type { TypeRef } from '../../../../kube/src/schema/types';
import { sharedSchema } from '../validate';

export type { TypeRef };

export const ANY: TypeRef = { kind: 'any' };

/** The root type of a kind, or ANY when the schema does not know it. */
export function rootType(kind?: { apiVersion: string; kind: string }): TypeRef {
  if (!kind) return ANY;
  const s = sharedSchema();
  const info = s?.kind(kind.apiVersion, kind.kind);
  return info ? { kind: 'object', ref: info.definition } : ANY;
}

/** The type of property `key` of a value of type `t`. */
export function fieldType(t: TypeRef, key: string): TypeRef {
  if (t.kind === 'map') return t.values;
  if (t.kind !== 'object') return ANY;
  const def = sharedSchema()?.def(t.ref);
  return def?.properties[key]?.type ?? ANY;
}

/** The schema's default of property `key` of a value of type `t` (a list-map key's default stands in when it is left out). */
export function fieldDefault(t: TypeRef, key: string): unknown {
  if (t.kind !== 'object') return undefined;
  return sharedSchema()?.def(t.ref)?.properties[key]?.default;
}

export function itemType(t: TypeRef): TypeRef {
  return t.kind === 'array' ? t.items : ANY;
}

export function strategies(t: TypeRef): { merge: boolean; retainKeys: boolean; mergeKey?: string } {
  if (t.kind !== 'array') return { merge: false, retainKeys: false };
  const s = (t.patchStrategy ?? '').split(',');
  return { merge: s.includes('merge'), retainKeys: s.includes('retainKeys'), mergeKey: t.mergeKey };
}

/** Whether a map-typed value keeps `retainKeys` semantics (e.g. volumes: one source at a time). */
export function mapRetainKeys(t: TypeRef): boolean {
  return t.kind === 'array' && (t.patchStrategy ?? '').includes('retainKeys');
}
