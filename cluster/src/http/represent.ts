/**
 * Turns objects and lists into what the client asked for: the object itself,
 * a Table (kubectl get), or PartialObjectMetadata.
 */
import type { KObject, ListResult } from '../contract';
import type { Representation } from './negotiate';
import type { ServedResource } from './resources';
import { IncludeObject, printerFor, toTable, toTableJson } from './tables';
import { encode, encodeList } from './encode';
import { HttpStatusError, badRequest } from './status';

export function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (!v) return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw new HttpStatusError(badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`));
}

/** ListMeta as Go encodes it: empty fields are omitted (a list of objects that are not stored has no resourceVersion). */
function listMeta(l: ListResult): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (l.resourceVersion) m.resourceVersion = l.resourceVersion;
  if (l.continue) m.continue = l.continue;
  if (l.remainingItemCount !== undefined && l.remainingItemCount !== null && l.continue) m.remainingItemCount = l.remainingItemCount;
  return m;
}

/** A list as JSON text (lists are the big answers, so they are assembled from cached per-object text). */
export function representList(r: ServedResource, l: ListResult, rep: Representation, q: URLSearchParams, now: number): string {
  if (rep.as === 'table') {
    return toTableJson(r.printer ?? printerFor(r.group, r.resource), l.items, { apiVersion: rep.apiVersion, now, includeObject: includeObject(q), listMeta: listMeta(l) });
  }
  if (rep.as === 'partial') {
    const items = l.items.map((o) => `{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(rep.apiVersion)},"metadata":${encode(o.metadata)}}`);
    return `{"kind":"PartialObjectMetadataList","apiVersion":${JSON.stringify(rep.apiVersion)},"metadata":${JSON.stringify(listMeta(l))},"items":[${items.join(',')}]}`;
  }
  return encodeList(`${r.kind}List`, r.apiVersion, listMeta(l), l.items);
}

export function representObject(r: ServedResource, obj: KObject, rep: Representation, q: URLSearchParams, now: number, noColumns = false): unknown {
  if (rep.as === 'table') {
    return toTable(r.printer ?? printerFor(r.group, r.resource), [obj], {
      apiVersion: rep.apiVersion, now, includeObject: includeObject(q), listMeta: obj.metadata?.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}, noColumns,
    });
  }
  if (rep.as === 'partial') return { kind: 'PartialObjectMetadata', apiVersion: rep.apiVersion, metadata: obj.metadata };
  return obj;
}
