/**
 * []byte fields are base64 in JSON: Secret `data`, ConfigMap `binaryData`, a CertificateSigningRequest's
 * `spec.request`, the `caBundle` of webhook configurations and APIServices. Anything Go's decoder refuses
 * makes the whole object undecodable, so the apiserver answers "illegal base64 data at input byte N"
 * (a 400, before any validation). Plain text belongs in stringData / data.
 */
import type { Finding } from './types';
import type { Rule } from './context';
import { isObject } from './context';
import { base64ErrorOffset } from './base64';

/** Where each kind keeps single []byte values; `*` stands for every item of a list. */
const BYTE_FIELDS: Record<string, (string | '*')[][]> = {
  CertificateSigningRequest: [['spec', 'request']],
  ValidatingWebhookConfiguration: [['webhooks', '*', 'clientConfig', 'caBundle']],
  MutatingWebhookConfiguration: [['webhooks', '*', 'clientConfig', 'caBundle']],
  APIService: [['spec', 'caBundle']],
  CustomResourceDefinition: [['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle']],
};

function badBase64(v: string, path: (string | number)[], message: (detail: string) => string, out: Finding[], data?: Record<string, unknown>): void {
  const off = base64ErrorOffset(v);
  if (off < 0) return;
  const detail = `illegal base64 data at input byte ${off}`;
  out.push({ code: 'invalid-base64', severity: 'error', path, message: message(detail),
    apiError: { type: 'FieldValueInvalid', value: v, detail }, ...(data ? { data } : {}) });
}

function walkBytes(v: unknown, rest: (string | '*')[], at: (string | number)[], out: Finding[]): void {
  if (!rest.length) {
    if (typeof v === 'string') badBase64(v, at, (d) => `Not valid base64 (${d}). Give the base64 encoding of the bytes (for a PEM file: base64 -w0 < file).`, out);
    return;
  }
  const [head, ...tail] = rest;
  if (head === '*') {
    if (Array.isArray(v)) v.forEach((x, i) => walkBytes(x, tail, [...at, i], out));
  } else if (isObject(v)) walkBytes(v[head], tail, [...at, head], out);
}

export const secretDataRule: Rule = {
  codes: ['invalid-base64'],
  kinds: ['Secret', 'ConfigMap', ...Object.keys(BYTE_FIELDS)],
  check(obj, ctx, out) {
    const fields = BYTE_FIELDS[ctx.kind];
    if (fields) {
      for (const f of fields) walkBytes(obj, f, [], out);
      return;
    }
    // A ConfigMap's binaryData is []byte too; its plain-text map is data.
    const [field, plain] = ctx.kind === 'ConfigMap' ? ['binaryData', 'data'] : ['data', 'stringData'];
    const data = obj[field];
    if (!isObject(data)) return;
    for (const k in data) {
      const v = data[k];
      if (typeof v !== 'string') continue;
      badBase64(v, [field, k], (d) => `Not valid base64 (${d}). Encode the value, or move it to ${plain} to store it as plain text.`, out, { key: k });
    }
  },
};
