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

/** A version-4 UUID from the seeded source. */
export function newUid(rand: Rand): string {
  const hex = '0123456789abcdef';
  const c = new Array<string>(36);
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) c[i] = '-';
    else if (i === 14) c[i] = '4';
    else if (i === 19) c[i] = hex[8 + Math.floor(rand.next() * 4)];
    else c[i] = hex[Math.floor(rand.next() * 16)];
  }
  return c.join('');
}
