/**
 * Go's `base64.StdEncoding` acceptance, which is what decides whether the
 * apiserver can decode a Secret's `data` (JSON []byte). Returns the byte
 * offset Go would report ("illegal base64 data at input byte N"), or -1.
 */
export function base64ErrorOffset(s: string): number {
  const n = s.length;
  let si = 0;
  for (;;) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === n) return j === 0 ? -1 : si - j;
      const c = s.charCodeAt(si++);
      if (isB64(c)) continue;
      if (c === 10 || c === 13) { j--; continue; }
      if (c !== 61 /* = */ || j < 2) return si - 1;
      if (j === 2) {
        while (si < n && (s.charCodeAt(si) === 10 || s.charCodeAt(si) === 13)) si++;
        if (si === n) return n;
        if (s.charCodeAt(si) !== 61) return si - 1;
        si++;
      }
      while (si < n && (s.charCodeAt(si) === 10 || s.charCodeAt(si) === 13)) si++;
      return si < n ? si : -1;
    }
  }
}

function isB64(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}
