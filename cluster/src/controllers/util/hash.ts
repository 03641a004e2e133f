/**
 * Template hashing as the Deployment, DaemonSet and StatefulSet controllers
 * name things: FNV-32a over a stable serialization of the pod template, plus
 * the collisionCount, then the decimal digits mapped through upstream's
 * "safe" alphabet (no vowels, no look-alike characters).
 *
 * Upstream hashes Go's spew dump of the typed struct (hashutil.DeepHashObject:
 * `%#v` with SortKeys, DisableMethods, SpewKeys). That text carries Go type
 * names, struct fields in declaration order including zero-valued ones, and
 * pointer types: none of it is in the JSON object, so the digits cannot be
 * rebuilt from it without a table of every Go type in a PodTemplateSpec.
 * We hash canonical JSON (keys sorted) instead: names have upstream's shape,
 * are stable for a given template, and change exactly when it changes.
 * ControllerRevision names are different: upstream hashes the revision's raw
 * JSON bytes, which we do reproduce (see history.ts).
 */

/** k8s.io/apimachinery/pkg/util/rand: consonants and digits that cannot spell words. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a 32-bit over bytes; returns an unsigned 32-bit integer. */
export function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** Maps every character through the safe alphabet by its code, as SafeEncodeString does. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted at every level, so equal objects serialize equally. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify(o[k])).join(',') + '}';
}

/**
 * The pod-template-hash: like upstream's controller.ComputeHash, the
 * collisionCount (when set) is fed as 8 little-endian bytes after the template.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  const bytes = new TextEncoder().encode(stableStringify(template));
  let h = fnv32a(bytes);
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}

/** FNV-1 (not 1a) 32-bit: what history.HashControllerRevision uses (fnv.New32). */
export function fnv32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h = Math.imul(h, FNV_PRIME) >>> 0;
    h ^= bytes[i];
  }
  return h >>> 0;
}

/** Go's encoding/json output for a map-shaped value: keys sorted, and <, >, & and U+2028/9 escaped. */
export function goJSON(v: unknown): string {
  return stableStringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
