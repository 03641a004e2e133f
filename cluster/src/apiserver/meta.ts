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
/** Character codes of the hex digits. */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** The uid being built, as character codes (the dashes stay in place): one string is made from it, nothing else. */
const uidCodes: number[] = new Array<number>(36).fill(45);

/** Writes `digits` hex digits of `n` at `pos`. */
function putHex(n: number, pos: number, digits: number): void {
  for (let i = pos + digits - 1; i >= pos; i--) {
    uidCodes[i] = HEX_CODES[n & 15];
    n >>>= 4;
  }
}

/** How many draws `newUid` takes from its source. */
export const UID_DRAWS = 4;

/** A version-4 UUID from the seeded source: four 32-bit draws, version and variant bits set. */
export function newUid(rand: Rand): string {
  const a = word(rand);
  const b = word(rand);
  const c = word(rand);
  const d = word(rand);
  putHex(a, 0, 8);
  putHex(b >>> 16, 9, 4);
  putHex(0x4000 | (b & 0x0fff), 14, 4);
  putHex(0x8000 | ((c >>> 16) & 0x3fff), 19, 4);
  putHex(c & 0xffff, 24, 4);
  putHex(d, 28, 8);
  return String.fromCharCode.apply(null, uidCodes);
}
