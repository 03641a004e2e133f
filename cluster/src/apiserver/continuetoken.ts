/**
 * List continue tokens as the apiserver's storage writes and reads them (apiserver/pkg/storage/continue.go):
 * base64url without padding over `{"v":"meta.k8s.io/v1","rv":<revision>,"start":<key after the last item>}`, the
 * key relative to the list's key prefix (`ns/name` for all namespaces, `name` in one namespace or cluster-wide).
 * A token is refused with the storage's own words, and one whose revision was compacted gets 410 Expired with a
 * token to carry on at the current revision (etcd3/errors.go handleCompactedErrorForPaging).
 */
import type { ListOptions } from '../contract';
import { badRequest, StatusError } from './status';

const VERSION = 'meta.k8s.io/v1';

/** etcd3/errors.go inconsistentContinue: the 410 a continue token past compaction gets. */
export const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the ' +
  'continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing ' +
  'with the provided token results in an inconsistent list - objects that were created, modified, or deleted between ' +
  'the time the first chunk was returned and now may show up in the list.';

/** The list's key prefix: a namespace's objects are keyed below `ns/`. */
const prefixOf = (ns: string | undefined) => (ns ? ns + '/' : '');

/** EncodeContinue: `key` is the full table key (objectKey form) the next page starts at. */
export function encodeContinue(key: string, ns: string | undefined, rv: number): string {
  const prefix = prefixOf(ns);
  const start = prefix && key.startsWith(prefix) ? key.slice(prefix.length) : key;
  return Buffer.from(JSON.stringify({ v: VERSION, rv, start }), 'utf8').toString('base64url');
}

const B64URL = /^[A-Za-z0-9_-]$/;

/** base64.RawURLEncoding.DecodeString: what it decodes, or Go's CorruptInputError text. */
function rawUrlDecode(s: string): Buffer | string {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n' || c === '\r') continue; // the decoder skips line breaks
    if (!B64URL.test(c)) return `illegal base64 data at input byte ${i}`;
    n++;
  }
  // A last quantum of one character holds no whole byte.
  if (n % 4 === 1) return `illegal base64 data at input byte ${s.length - 1}`;
  return Buffer.from(s.replace(/[\r\n]/g, ''), 'base64url');
}

/** A character as Go's JSON scanner quotes it in a SyntaxError (quoteChar). */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

/** The kind encoding/json names a JSON value by in an UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/**
 * json.Unmarshal into continueToken: the token's fields (matched case-insensitively, as encoding/json does), or its
 * error text. Syntax errors are worded as Go's for the common cases (nothing, cut short, a stray character).
 */
function unmarshalToken(data: Buffer): { v: string; rv: number; start: string } | string {
  const text = data.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return syntaxError(text, (e as Error).message);
  }
  const tok = { v: '', rv: 0, start: '' };
  if (doc === null) return tok;
  if (typeof doc !== 'object' || Array.isArray(doc)) return `json: cannot unmarshal ${jsonKind(doc)} into Go value of type storage.continueToken`;
  let typeErr: string | undefined;
  for (const [k, val] of Object.entries(doc as Record<string, unknown>)) {
    const field = k.toLowerCase();
    if ((field !== 'v' && field !== 'rv' && field !== 'start') || val === null) continue;
    if (field === 'rv') {
      if (typeof val === 'number' && Number.isSafeInteger(val)) tok.rv = val;
      else typeErr ??= typeof val === 'number' ? `json: cannot unmarshal number ${val} into Go struct field continueToken.rv of type int64` : `json: cannot unmarshal ${jsonKind(val)} into Go struct field continueToken.rv of type int64`;
    } else if (typeof val === 'string') tok[field] = val;
    else typeErr ??= `json: cannot unmarshal ${jsonKind(val)} into Go struct field continueToken.${field} of type string`;
  }
  return typeErr ?? tok;
}

/** Go's SyntaxError text for what JSON.parse refused, from the place it names. */
function syntaxError(text: string, err: string): string {
  const at = /position (\d+)/.exec(err);
  if (!text.trim() || /Unexpected end/i.test(err) || (at && Number(at[1]) >= text.length)) return 'unexpected end of JSON input';
  const c = at ? text[Number(at[1])] : /Unexpected token '(.)'/.exec(err)?.[1] ?? text.trimStart()[0];
  return `invalid character ${quoteChar(c)} ${/after JSON/.test(err) ? 'after top-level value' : 'looking for beginning of value'}`;
}

/** path.Clean leaves `key` as it is: no empty, `.` or `..` element and no trailing slash. */
function isClean(key: string): boolean {
  if (key === '/') return true;
  if (key.endsWith('/')) return false;
  return !key.slice(1).split('/').some((p) => p === '' || p === '.' || p === '..');
}

/**
 * DecodeContinue: the full table key the page starts at and the token's revision (-1: read at the current one),
 * or the error text, `continue key is not valid: ...`.
 */
export function decodeContinue(token: string, ns: string | undefined): { start: string; rv: number } | string {
  const data = rawUrlDecode(token);
  if (typeof data === 'string') return `continue key is not valid: ${data}`;
  const tok = unmarshalToken(data);
  if (typeof tok === 'string') return `continue key is not valid: ${tok}`;
  if (tok.v !== VERSION) return `continue key is not valid: server does not recognize this encoded version ${tok.v}`;
  if (tok.rv === 0) return `continue key is not valid: incorrect encoded start resourceVersion (version ${VERSION})`;
  if (!tok.start) return `continue key is not valid: encoded start key empty (version ${VERSION})`;
  // Against a path traversal out of the list's prefix, the key must be what path.Clean makes of it.
  const key = tok.start.startsWith('/') ? tok.start : '/' + tok.start;
  if (!isClean(key)) return `continue key is not valid: ${tok.start}`;
  return { start: prefixOf(ns) + key.slice(1), rv: tok.rv };
}

/**
 * The storage's checks of a list's continue token (etcd3 store GetList, storage.ValidateListOptions): a token that
 * does not decode is 400 `invalid continue token: ...`, then a resourceVersion beside it (other than 0) is 400; a
 * revision older than `compactedRev` (a compacted etcd revision) is 410 Expired, the Status carrying a token with
 * rv -1 that resumes after the same key at the current revision.
 */
export function continueFrom(opts: ListOptions, ns: string | undefined, compactedRev: number): { start: string; rv: number } | undefined {
  if (!opts.continue) return undefined;
  const tok = decodeContinue(opts.continue, ns);
  if (typeof tok === 'string') throw badRequest(`invalid continue token: ${tok}`);
  if (opts.resourceVersion && opts.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  if (tok.rv > 0 && tok.rv < compactedRev) {
    throw new StatusError({
      kind: 'Status', apiVersion: 'v1', metadata: { continue: encodeContinue(tok.start, ns, -1) }, status: 'Failure',
      message: INCONSISTENT_CONTINUE, reason: 'Expired', code: 410,
    });
  }
  return tok;
}
