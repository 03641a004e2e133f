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
const hex = (n: number, len: number): string => n.toString(16).padStart(len, '0').slice(-len);

/** A version-4 UUID from the seeded source: four 32-bit draws, version and variant bits set. */
export function newUid(rand: Rand): string {
  const a = word(rand);
  const b = word(rand);
  const c = word(rand);
  const d = word(rand);
  const timeHi = 0x4000 | (b & 0x0fff);
  const clock = 0x8000 | ((c >>> 16) & 0x3fff);
  return [hex(a, 8), hex(b >>> 16, 4), hex(timeHi, 4), hex(clock, 4), hex(c & 0xffff, 4) + hex(d, 8)].join('-');
}
