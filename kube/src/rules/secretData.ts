/**
 * Secret `data` and ConfigMap `binaryData` values are base64 ([]byte in JSON). Anything Go's decoder
 * refuses makes the whole object undecodable, so the apiserver answers
 * "illegal base64 data at input byte N". Plain text belongs in stringData.
 */
import type { Rule } from './context';
import { isObject } from './context';
import { base64ErrorOffset } from './base64';

export const secretDataRule: Rule = {
  codes: ['invalid-base64'],
  kinds: ['Secret', 'ConfigMap'],
  check(obj, ctx, out) {
    // A ConfigMap's binaryData is []byte too; its plain-text map is data.
    const [field, plain] = ctx.kind === 'ConfigMap' ? ['binaryData', 'data'] : ['data', 'stringData'];
    const data = obj[field];
    if (!isObject(data)) return;
    for (const k in data) {
      const v = data[k];
      if (typeof v !== 'string') continue;
      const off = base64ErrorOffset(v);
      if (off < 0) continue;
      const detail = `illegal base64 data at input byte ${off}`;
      out.push({ code: 'invalid-base64', severity: 'error', path: [field, k],
        message: `Not valid base64 (${detail}). Encode the value, or move it to ${plain} to store it as plain text.`,
        apiError: { type: 'FieldValueInvalid', value: v, detail }, data: { key: k } });
    }
  },
};
