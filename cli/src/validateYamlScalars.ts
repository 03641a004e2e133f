/**
 * Scalars and one-line flow collections for the fast YAML loader
 * (validateYaml.ts): quoted strings with YAML escapes, flat `[a, b]` and
 * `{k: v}`, and plain scalars resolved as kubectl reads them (kube/src/kubeYaml.ts),
 * exactly as the `yaml` package resolves them with those tags. Anything else throws GIVE_UP.
 */

import { goYamlBool, goYamlInt, INT_CANDIDATE } from '../../kube/src/kubeYaml';

/** Thrown when the document leaves the supported subset; the caller falls back to `yaml`. */
export class Unsupported extends Error {}
export const GIVE_UP = new Unsupported('unsupported');

export function closingQuote(text: string, start: number): number {
  const q = text[start];
  for (let k = start + 1; k < text.length; k++) {
    const c = text[k];
    if (q === '"' && c === '\\') { k++; continue; }
    if (c === q) {
      if (q === "'" && text[k + 1] === "'") { k++; continue; }
      return k;
    }
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0', ' ': ' ', b: '\b', f: '\f', e: '\x1b', a: '\x07', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

export function parseQuoted(text: string, start: number): { value: string; end: number } {
  const end = closingQuote(text, start);
  if (end < 0) throw GIVE_UP; // multi-line quoted scalar
  const body = text.slice(start + 1, end);
  if (text[start] === "'") return { value: body.replace(/''/g, "'"), end: end + 1 };
  if (!body.includes('\\')) return { value: body, end: end + 1 };
  let out = '';
  for (let k = 0; k < body.length; k++) {
    const c = body[k];
    if (c !== '\\') { out += c; continue; }
    const e = body[++k];
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(k + 1, k + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw GIVE_UP;
      out += String.fromCodePoint(parseInt(hex, 16));
      k += len;
    } else throw GIVE_UP;
  }
  return { value: out, end: end + 1 };
}

/**
 * A plain scalar may not start with an indicator (`,[]{}#&*!|>'"%@` and
 * backquote), nor with `-`, `?` or `:` followed by a space.
 */
export function badPlainStart(t: string): boolean {
  const c = t[0];
  if (',[]{}#&*!|>\'"%@`'.includes(c)) return true;
  return (c === '-' || c === '?' || c === ':') && (t.length === 1 || t[1] === ' ' || t[1] === '\t');
}

/** Text after the value must be empty or a comment. */
function expectEnd(text: string, k: number): void {
  const start = k;
  while (k < text.length && text[k] === ' ') k++;
  if (k < text.length && (text[k] !== '#' || k === start)) throw GIVE_UP; // `"x"#c` is not a comment
}

export function parseInlineValue(text: string): unknown {
  const c = text[0];
  if (c === '"' || c === "'") {
    const v = parseQuoted(text, 0);
    expectEnd(text, v.end);
    return v.value;
  }
  if (c === '[' || c === '{') return parseFlat(text);
  if (badPlainStart(text)) throw GIVE_UP;
  let end = text.length;
  const hash = text.indexOf(' #');
  if (hash >= 0) end = hash;
  const plain = text.slice(0, end).trimEnd();
  if (plain.includes(': ') || plain.endsWith(':')) throw GIVE_UP; // a nested mapping on one line is an error in YAML
  return resolvePlain(plain);
}

/** A flow collection of scalars on one line: `[a, "b", 3]`, `{a: 1, b: x}`, `[]`, `{}`. */
function parseFlat(text: string): unknown {
  const open = text[0];
  const close = open === '[' ? ']' : '}';
  const out: unknown[] = [];
  const obj: Record<string, unknown> = {};
  let k = 1;
  const ws = () => { while (k < text.length && text[k] === ' ') k++; };
  ws();
  if (text[k] === close) { k++; expectEnd(text, k); return open === '[' ? out : obj; }
  for (;;) {
    ws();
    let item: unknown;
    let keyText: string | undefined;
    const readScalar = (stops: string): { v: unknown; raw: string } => {
      const ch = text[k];
      if (ch === '"' || ch === "'") {
        const q = parseQuoted(text, k);
        k = q.end;
        return { v: q.value, raw: q.value };
      }
      if (ch === '[' || ch === '{' || ch === '&' || ch === '*' || ch === '!' || ch === undefined) throw GIVE_UP;
      let e = k;
      while (e < text.length && !stops.includes(text[e])) e++;
      const raw = text.slice(k, e).trim();
      k = e;
      if (raw === '' || raw.includes(': ') || raw.includes(' #') || badPlainStart(raw)) throw GIVE_UP;
      return { v: resolvePlain(raw), raw };
    };
    if (open === '{') {
      const kv = readScalar(':,}');
      if (text[k] !== ':') throw GIVE_UP;
      k++;
      keyText = typeof kv.v === 'string' ? kv.v : kv.raw;
      ws();
      item = readScalar(',}').v;
      if (Object.prototype.hasOwnProperty.call(obj, keyText)) throw GIVE_UP;
      obj[keyText] = item;
    } else {
      item = readScalar(',]').v;
      out.push(item);
    }
    ws();
    if (text[k] === ',') { k++; ws(); if (text[k] === close) { k++; break; } continue; }
    if (text[k] === close) { k++; break; }
    throw GIVE_UP;
  }
  expectEnd(text, k);
  return open === '[' ? out : obj;
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * A plain scalar as the `yaml` package resolves it with KUBE_YAML: go-yaml v2's booleans and integers
 * (kube/src/kubeYaml.ts) first, then the YAML 1.2 core schema.
 */
export function resolvePlain(s: string): unknown {
  const b = goYamlBool(s);
  if (b !== undefined) return b;
  if (INT_CANDIDATE.test(s)) return goYamlInt(s) ?? s;
  switch (s) {
    case '': case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
    case '.inf': case '.Inf': case '.INF': case '+.inf': case '+.Inf': case '+.INF': return Infinity;
    case '-.inf': case '-.Inf': case '-.INF': return -Infinity;
    case '.nan': case '.NaN': case '.NAN': return NaN;
  }
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (INT.test(s)) return Number(s);
    if (s.startsWith('0x') && /^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
    if (s.startsWith('0o') && /^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
    if (FLOAT.test(s)) return Number(s);
  }
  return s;
}
