/** Names, uids and timestamps the apiserver stamps on objects. */
import type { Rand } from '../contract';

/** names.SimpleNameGenerator: base (cut to 58) + 5 chars from the alphabet upstream uses for generated names. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

export function generateName(rand: Rand, base: string): string {
  if (base.length > MAX_GENERATED_NAME_LENGTH) base = base.slice(0, MAX_GENERATED_NAME_LENGTH);
  return [base, rand.string(RANDOM_LENGTH, NAME_ALPHABET)].join('');
}

const word = (rand: Rand): number => Math.floor(rand.next() * 4294967296);
/** Two hex digits per byte value: a uid is sixteen table reads and one concatenation. */
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex16 = (n: number): string => BYTE_HEX[(n >>> 8) & 0xff] + BYTE_HEX[n & 0xff];
const hex32 = (n: number): string => hex16(n >>> 16) + hex16(n);

/** A version-4 UUID from the seeded source: four 32-bit draws, version and variant bits set. */
export function newUid(rand: Rand): string {
  const a = word(rand);
  const b = word(rand);
  const c = word(rand);
  const d = word(rand);
  const timeHi = 0x4000 | (b & 0x0fff);
  const clock = 0x8000 | ((c >>> 16) & 0x3fff);
  // One join gives a flat string; a chain of `+` would keep a rope of nodes in every stored uid.
  return [hex32(a), hex16(b >>> 16), hex16(timeHi), hex16(clock), hex16(c & 0xffff) + hex32(d)].join('-');
}
