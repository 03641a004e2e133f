/**
 * Reading DER: just what certificate requests and certificates need (tag, length, the bytes of a value and
 * its children). node:crypto parses certificates but has no reader for a PKCS#10 request, nor for the raw
 * names a client certificate carries.
 */

/** One TLV: its tag byte, where its value starts and ends, and where the whole element starts. */
export interface Der {
  tag: number;
  start: number;
  valueStart: number;
  end: number;
}

export class DerError extends Error {}

/** The element at `at` of `buf` (within `limit`), or a DerError for a truncated or indefinite-length one. */
export function readDer(buf: Buffer, at = 0, limit = buf.length): Der {
  if (at + 2 > limit) throw new DerError('truncated');
  const tag = buf[at];
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not DER here');
  let len = buf[at + 1];
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new DerError('truncated');
  return { tag, start: at, valueStart: p, end: p + len };
}

/** The elements inside a constructed one. */
export function children(buf: Buffer, d: Der): Der[] {
  const out: Der[] = [];
  for (let p = d.valueStart; p < d.end;) {
    const c = readDer(buf, p, d.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export const value = (buf: Buffer, d: Der): Buffer => buf.subarray(d.valueStart, d.end);
export const whole = (buf: Buffer, d: Der): Buffer => buf.subarray(d.start, d.end);

/** An OBJECT IDENTIFIER's dotted form. */
export function oidString(buf: Buffer, d: Der): string {
  const v = value(buf, d);
  if (!v.length) throw new DerError('empty OID');
  const parts = [Math.min(2, Math.floor(v[0] / 40)), v[0] - 40 * Math.min(2, Math.floor(v[0] / 40))];
  let n = 0;
  for (let i = 1; i < v.length; i++) {
    n = n * 128 + (v[i] & 0x7f);
    if (!(v[i] & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** The text of a string-typed value (UTF8String, PrintableString, IA5String, T61String, BMPString). */
export function stringValue(buf: Buffer, d: Der): string {
  const v = value(buf, d);
  if (d.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode(v[i] * 256 + v[i + 1]);
    return s;
  }
  return d.tag === 0x0c ? v.toString('utf8') : v.toString('latin1');
}

/** One attribute of a distinguished name, in the order the name holds it. */
export interface NameAttribute { oid: string; value: string }

/** The attributes of a Name (a SEQUENCE of SETs of type-and-value). */
export function nameAttributes(buf: Buffer, name: Der): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [type, val] = children(buf, atv);
      if (!type || !val) throw new DerError('bad attribute');
      out.push({ oid: oidString(buf, type), value: stringValue(buf, val) });
    }
  }
  return out;
}

export const OID_CN = '2.5.4.3';
export const OID_O = '2.5.4.10';

/**
 * The first `-----BEGIN T-----` line followed by a matching `-----END T-----`: [whole, T, body]. Found with indexOf,
 * in time linear in the text (a pattern with a lazy body and a back-reference was quadratic on a request that
 * repeats its BEGIN line: seconds for a few megabytes). An END a search did not find is not looked for again.
 */
function firstPemBlock(text: string): [string, string, string] | undefined {
  const missing = new Set<string>();
  for (let at = text.indexOf('-----BEGIN '); at >= 0; at = text.indexOf('-----BEGIN ', at + 1)) {
    const typeStart = at + 11;
    const close = text.indexOf('-----', typeStart);
    if (close < 0) return undefined;
    const type = text.slice(typeStart, close);
    if (type.includes('-') || type.includes('\n')) continue;
    let bodyStart = close + 5;
    if (text[bodyStart] === '\r') bodyStart++;
    if (text[bodyStart] !== '\n') continue;
    bodyStart++;
    if (missing.has(type)) continue;
    const end = text.indexOf(`-----END ${type}-----`, bodyStart);
    if (end < 0) {
      missing.add(type);
      continue;
    }
    return [text.slice(at, end + 14 + type.length), type, text.slice(bodyStart, end)];
  }
  return undefined;
}

/** The first PEM block of `text` and its type, or undefined when there is none (encoding/pem's Decode). */
export function pemBlock(text: string): { type: string; der: Buffer; headers: boolean } | undefined {
  const m = firstPemBlock(text);
  if (!m) return undefined;
  const body = m[2];
  const headers = /^[^\n:]+:/m.test(body.split(/\r?\n\r?\n/)[0] ?? '') && /\r?\n\r?\n/.test(body);
  const b64 = headers ? body.slice(body.search(/\r?\n\r?\n/)) : body;
  if (/[^A-Za-z0-9+/=\s]/.test(b64)) return undefined;
  return { type: m[1], der: Buffer.from(b64.replace(/\s+/g, ''), 'base64'), headers };
}
