/** FNV-1a of a string's UTF-16 code units, as a uint32: a stable hash where the simulation needs a made-up but repeatable number (sizes, inode numbers, temp-dir digits, log timings). */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
