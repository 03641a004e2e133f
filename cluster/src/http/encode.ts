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

const lines = new WeakMap<object, Partial<Record<string, Buffer>>>();

/**
 * A whole watch line as bytes, shared by every watcher that gets the same
 * change: fifty watchers cost one serialization and one UTF-8 encoding.
 */
export function watchLine(type: string, obj: object): Buffer {
  let byType = lines.get(obj);
  let b = byType?.[type];
  if (b) return b;
  b = Buffer.from(`{"type":"${type}","object":${encode(obj)}}\n`, 'utf8');
  if (Object.isFrozen(obj)) {
    if (!byType) lines.set(obj, (byType = {}));
    byType[type] = b;
  }
  return b;
}
