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

export const configKeysRule: Rule = {
  codes: ['invalid-config-key'],
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
  },
};

function keyFinding(out: Finding[], path: string[], apiPath: string[], key: string, detail: string, why: string): void {
  out.push({ code: 'invalid-config-key', severity: 'error', path, target: 'key', message: `Invalid value: ${JSON.stringify(key)}: ${detail}: ${why}`,
    apiError: { type: 'FieldValueInvalid', value: key, detail, apiPath: [`${apiPath[0]}[${apiPath[1]}]`] } });
}
