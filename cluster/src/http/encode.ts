/**
 * JSON encoding that reuses work: the store's objects are frozen and shared,
 * so an object (or its metadata) listed or watched many times is serialized
 * once. Lists are assembled from the per-item text.
 */

const cache = new WeakMap<object, string>();

export function encode(obj: unknown): string {
  if (obj === null || typeof obj !== 'object') return JSON.stringify(obj);
  let s = cache.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    if (Object.isFrozen(obj)) cache.set(obj, s);
  }
  return s;
}

/** `{"kind":…,"apiVersion":…,"metadata":…,"items":[…]}` with each item from the cache. */
export function encodeList(kind: string, apiVersion: string, metadata: unknown, items: unknown[]): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = encode(items[i]);
  return `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[${parts.join(',')}]}`;
}
