/**
 * What a Secret's `type` requires, as upstream's ValidateSecret checks it
 * (`stringData` counts: the apiserver merges it into `data` first):
 * - kubernetes.io/service-account-token: the annotation naming the account
 *   (the token controller fills in the rest);
 * - kubernetes.io/tls: `tls.crt` and `tls.key`;
 * - kubernetes.io/ssh-auth: a non-empty `ssh-privatekey`;
 * - kubernetes.io/basic-auth: `username` or `password`;
 * - kubernetes.io/dockercfg, kubernetes.io/dockerconfigjson: their key.
 */
import type { Rule } from './context';
import { isObject } from './context';
import { keyed } from './claimSpec';
import type { Finding } from './types';

const SA_NAME = 'kubernetes.io/service-account.name';

function required(path: string[], apiPath: string[], message: string): Finding {
  return { code: 'secret-type-required', severity: 'error', path, target: 'key', message: `Required value: ${message}`, apiError: { type: 'FieldValueRequired', detail: '', apiPath } };
}

export const secretTypeRule: Rule = {
  codes: ['secret-type-required'],
  kinds: ['Secret'],
  check(obj, _ctx, out) {
    const type = obj.type;
    if (typeof type !== 'string') return;
    const keys = new Map<string, unknown>();
    for (const src of [obj.data, obj.stringData]) if (isObject(src)) for (const k in src) keys.set(k, src[k]);
    // Where the editor shows a missing key: on the key when one map has it (a wrong value), else on the map the
    // key belongs in, else on `type`; each message names its key, so two missing keys are two findings.
    const at = (key: string): string[] => {
      for (const m of ['data', 'stringData']) if (isObject(obj[m]) && key in (obj[m] as object)) return [m, key];
      return isObject(obj.data) ? ['data'] : isObject(obj.stringData) ? ['stringData'] : ['type'];
    };
    const need = (key: string, why: string) => {
      const f = required(at(key), [keyed('data', key)], `data[${JSON.stringify(key)}]: ${why}`);
      if (f.path[0] === 'type') f.target = 'value';
      return f;
    };
    switch (type) {
      case 'kubernetes.io/service-account-token': {
        const ann = isObject(obj.metadata) && isObject(obj.metadata.annotations) ? obj.metadata.annotations[SA_NAME] : undefined;
        if (typeof ann !== 'string' || ann === '') {
          out.push(required(['metadata', 'annotations', SA_NAME], ['metadata', keyed('annotations', SA_NAME)],
            `a ${type} Secret names its ServiceAccount in the annotation ${SA_NAME}; the token controller adds the token`));
        }
        return;
      }
      case 'kubernetes.io/tls':
        for (const k of ['tls.crt', 'tls.key']) if (!keys.has(k)) out.push(need(k, `a ${type} Secret holds the certificate in data["tls.crt"] and its key in data["tls.key"]`));
        return;
      case 'kubernetes.io/ssh-auth': {
        const v = keys.get('ssh-privatekey');
        if (typeof v !== 'string' || v === '') out.push(need('ssh-privatekey', `a ${type} Secret holds the key in data["ssh-privatekey"]`));
        return;
      }
      case 'kubernetes.io/basic-auth':
        if (!keys.has('username') && !keys.has('password')) {
          for (const k of ['username', 'password']) out.push(need(k, `a ${type} Secret holds a username, a password or both`));
        }
        return;
      case 'kubernetes.io/dockercfg':
      case 'kubernetes.io/dockerconfigjson': {
        const k = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
        if (!keys.has(k)) {
          out.push(need(k, `a ${type} Secret holds the registry credentials in data["${k}"]`));
          return;
        }
        // The credentials must be a JSON object (json.Unmarshal into a map); the value is never shown.
        const inData = isObject(obj.data) && typeof obj.data[k] === 'string' && !(isObject(obj.stringData) && k in obj.stringData);
        const raw = keys.get(k);
        if (typeof raw !== 'string') return;
        const text = inData ? Buffer.from(raw, 'base64').toString('utf8') : raw;
        const detail = jsonObjectError(text);
        if (detail) {
          out.push({ code: 'secret-type-required', severity: 'error', path: [inData ? 'data' : 'stringData', k],
            message: `Invalid value: data["${k}"] must hold the registry credentials as a JSON object (${detail}).`,
            apiError: { type: 'FieldValueInvalid', value: '<secret contents redacted>', detail, apiPath: [keyed('data', k)] } });
        }
        return;
      }
    }
  },
};

/** What Go's json.Unmarshal into a map says about `text`, or undefined when it is a JSON object. */
function jsonObjectError(text: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const t = text.trim();
    if (!t) return 'unexpected end of JSON input';
    const m = /Unexpected token '?(.)'?,? /.exec(String((e as Error).message));
    if (m && t[0] === m[1]) return `invalid character '${m[1]}' looking for beginning of value`;
    return /end of JSON input/.test(String((e as Error).message)) ? 'unexpected end of JSON input' : 'invalid JSON';
  }
  if (v === null || (typeof v === 'object' && !Array.isArray(v))) return undefined;
  const kind = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}
