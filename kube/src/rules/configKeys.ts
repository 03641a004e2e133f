/**
 * Keys of a ConfigMap's `data` and `binaryData` and of a Secret's `data` and
 * `stringData` (merged into `data` before validation, so reported there):
 * upstream IsConfigMapKey, because each key becomes a file name in a volume.
 * A key in both `data` and `binaryData` is refused as well.
 */
import { maxLenError, regexError } from '../names';
import type { Rule } from './context';
import { isObject } from './context';
import type { Finding } from './types';

const KEY_RE = /^[-._a-zA-Z0-9]+$/;
const KEY_MSG = regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name');

export function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push(maxLenError(253));
  if (!KEY_RE.test(key)) errs.push(KEY_MSG);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** core.MaxSecretSize: what the values of a ConfigMap's or a Secret's data may total. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A string's length as Go's len() counts it: UTF-8 bytes. */
const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** A base64 []byte field's decoded length (a bad encoding is the base64 rule's to report). */
const decodedBytes = (s: string) => Buffer.from(s, 'base64').length;

export const configKeysRule: Rule = {
  codes: ['invalid-config-key', 'config-too-large'],
  kinds: ['ConfigMap', 'Secret'],
  check(obj, ctx, out) {
    const has = (m: string, key: string) => isObject(obj[m]) && Object.prototype.hasOwnProperty.call(obj[m], key);
    const maps = ctx.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
    for (const m of maps) {
      const map = obj[m];
      if (!isObject(map)) continue;
      for (const key of Object.keys(map)) {
        // A Secret's stringData is merged into data before validation: a key in both is judged once.
        if (m === 'stringData' && has('data', key)) continue;
        const reportedIn = ctx.kind === 'Secret' ? 'data' : m;
        for (const detail of configKeyErrors(key)) keyFinding(out, [m, key], [reportedIn, key], key, detail, 'it becomes a file name where the object is mounted');
        // ValidateConfigMap reports the clash at the data side.
        if (ctx.kind === 'ConfigMap' && m === 'binaryData' && has('data', key)) {
          keyFinding(out, ['data', key], ['data', key], key, 'duplicate of key present in binaryData', 'a key lives in data or in binaryData');
        }
      }
    }
    sizeCheck(obj, ctx.kind, out);
  },
};

/**
 * ValidateConfigMap and ValidateSecret: the values may total 1 MiB (etcd's request limit is not much more). A
 * ConfigMap's error is the whole object's (`field.NewPath("")`, printed `[]`), a Secret's is its data's.
 */
function sizeCheck(obj: Record<string, unknown>, kind: string, out: Finding[]): void {
  const sizes = new Map<string, number>();
  const add = (m: string, bytes: (s: string) => number) => {
    const map = obj[m];
    if (!isObject(map)) return;
    for (const [k, v] of Object.entries(map)) if (typeof v === 'string') sizes.set(`${m === 'binaryData' ? 'b' : 'd'}:${k}`, bytes(v));
  };
  if (kind === 'ConfigMap') {
    add('data', utf8Bytes);
    add('binaryData', decodedBytes);
  } else {
    add('data', decodedBytes);
    // stringData is merged into data (overwriting a key) before validation.
    add('stringData', utf8Bytes);
  }
  let total = 0;
  for (const n of sizes.values()) total += n;
  if (total <= MAX_CONFIG_BYTES) return;
  const detail = `may not be more than ${MAX_CONFIG_BYTES} bytes`;
  const at = kind === 'ConfigMap' ? (isObject(obj.data) ? 'data' : 'binaryData') : isObject(obj.data) ? 'data' : 'stringData';
  out.push({
    code: 'config-too-large', severity: 'error', path: [at], target: 'key',
    message: `Too long: ${detail}: the values of a ${kind}'s data may total 1 MiB (${total} bytes here)`,
    apiError: { type: 'FieldValueTooLong', detail, apiPath: [kind === 'ConfigMap' ? '[]' : 'data'] },
  });
}

function keyFinding(out: Finding[], path: string[], apiPath: string[], key: string, detail: string, why: string): void {
  out.push({ code: 'invalid-config-key', severity: 'error', path, target: 'key', message: `Invalid value: ${JSON.stringify(key)}: ${detail}: ${why}`,
    apiError: { type: 'FieldValueInvalid', value: key, detail, apiPath: [`${apiPath[0]}[${apiPath[1]}]`] } });
}
