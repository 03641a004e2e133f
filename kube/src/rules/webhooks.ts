/**
 * Validating and Mutating WebhookConfigurations, as upstream's
 * admissionregistration validation checks them on create
 * (validateValidatingWebhook / validateMutatingWebhook,
 * validateAdmissionReviewVersions, validateRuleWithOperations): a fully
 * qualified webhook name, unique names, a side-effect class of None or
 * NoneOnDryRun, the policies' values, a 1-30 s timeout, exactly one of url
 * and service, and an admission review version the apiserver speaks.
 */
import type { Rule, JsonObject } from './context';
import { apiFinding, formatApiMessage, isObject } from './context';
import { isDNS1035Label, isDNS1123Subdomain } from '../names';
import type { FieldPath, Finding } from './types';

const CODE = 'webhook-invalid';
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];

const invalid = (path: FieldPath, value: unknown, detail: string) => apiFinding(CODE, path, 'FieldValueInvalid', value, detail);
const required = (path: FieldPath, detail = ''): Finding => ({ ...apiFinding(CODE, path, 'FieldValueRequired', undefined, detail), target: 'key' });
const notSupported = (path: FieldPath, value: string, supported: string[]): Finding =>
  ({ code: CODE, severity: 'error', path, message: formatApiMessage('FieldValueNotSupported', value, '', supported), apiError: { type: 'FieldValueNotSupported', value, supported } });
const strings = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** IsFullyQualifiedName: a DNS subdomain of at least three labels. */
function fullyQualified(name: unknown, path: FieldPath, out: Finding[]): void {
  if (typeof name !== 'string' || !name) {
    out.push(required(path));
    return;
  }
  const errs = isDNS1123Subdomain(name);
  if (errs.length) out.push(invalid(path, name, errs.join(',')));
  else if (name.split('.').length < 3) out.push(invalid(path, name, 'should be a domain with at least three segments separated by dots'));
}

function checkWebhook(w: JsonObject, path: FieldPath, mutating: boolean, out: Finding[]): void {
  fullyQualified(w.name, [...path, 'name'], out);
  strings(w.rules).forEach((r, i) => {
    if (!isObject(r)) return;
    const ops = strings(r.operations);
    const rp: FieldPath = [...path, 'rules', i, 'operations'];
    if (!ops.length) out.push(required(rp));
    if (ops.length > 1 && ops.includes('*')) out.push({ ...invalid(rp, ops, "if '*' is present, must not specify other operations"), apiError: { type: 'FieldValueInvalid', value: ops, detail: "if '*' is present, must not specify other operations", valueText: `[]admissionregistration.OperationType{${ops.map((o) => JSON.stringify(o)).join(', ')}}` } });
    ops.forEach((o, j) => { if (typeof o === 'string' && !OPERATIONS.includes(o)) out.push(notSupported([...rp, j], o, OPERATIONS)); });
  });
  const oneOf = (field: string, value: unknown, allowed: string[]) => {
    if (typeof value === 'string' && !allowed.includes(value)) out.push(notSupported([...path, field], value, allowed));
  };
  oneOf('failurePolicy', w.failurePolicy, ['Fail', 'Ignore']);
  oneOf('matchPolicy', w.matchPolicy, ['Equivalent', 'Exact']);
  if (typeof w.sideEffects !== 'string') out.push(required([...path, 'sideEffects'], 'must specify one of None, NoneOnDryRun'));
  else oneOf('sideEffects', w.sideEffects, ['None', 'NoneOnDryRun']);
  if (typeof w.timeoutSeconds === 'number' && (w.timeoutSeconds > 30 || w.timeoutSeconds < 1)) out.push(invalid([...path, 'timeoutSeconds'], w.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  if (mutating) oneOf('reinvocationPolicy', w.reinvocationPolicy, ['IfNeeded', 'Never']);
  const cc = isObject(w.clientConfig) ? w.clientConfig : {};
  const hasUrl = cc.url !== undefined && cc.url !== null;
  const hasService = cc.service !== undefined && cc.service !== null;
  if (hasUrl === hasService) out.push(required([...path, 'clientConfig'], 'exactly one of url or service is required'));
}

function checkReviewVersions(v: unknown, path: FieldPath, out: Finding[]): void {
  const versions = strings(v);
  if (!versions.length) {
    out.push(required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`));
    return;
  }
  const seen = new Set<unknown>();
  versions.forEach((x, i) => {
    if (seen.has(x)) {
      out.push(invalid([...path, i], x, 'duplicate version'));
      return;
    }
    seen.add(x);
    if (typeof x === 'string') for (const m of isDNS1035Label(x)) out.push(invalid([...path, i], x, m));
  });
  if (!versions.some((x) => typeof x === 'string' && REVIEW_VERSIONS.includes(x))) {
    out.push({ ...invalid(path, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`), apiError: { type: 'FieldValueInvalid', value: versions, detail: `must include at least one of ${REVIEW_VERSIONS.join(', ')}`, valueText: `[]string{${versions.map((x) => JSON.stringify(String(x))).join(', ')}}` } });
  }
}

export const webhooksRule: Rule = {
  codes: [CODE],
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  check(obj, ctx, out) {
    if (!ctx.apiVersion.startsWith('admissionregistration.k8s.io/')) return;
    const names = new Set<string>();
    strings(obj.webhooks).forEach((w, i) => {
      if (!isObject(w)) return;
      const path: FieldPath = ['webhooks', i];
      checkWebhook(w, path, ctx.kind === 'MutatingWebhookConfiguration', out);
      checkReviewVersions(w.admissionReviewVersions, [...path, 'admissionReviewVersions'], out);
      if (typeof w.name === 'string' && w.name) {
        if (names.has(w.name)) out.push({ code: CODE, severity: 'error', path: [...path, 'name'], message: formatApiMessage('FieldValueDuplicate', w.name, ''), apiError: { type: 'FieldValueDuplicate', value: w.name } });
        names.add(w.name);
      }
    });
  },
};
