/**
 * CertificateSigningRequests as the apiserver keeps them (pkg/registry/certificates/certificates/strategy.go,
 * pkg/apis/certificates/validation, plugin/pkg/admission/certificates):
 * - create records who asked (spec.username, uid, groups, extra) and starts with an empty status;
 * - the main resource changes only metadata, /status only status (never the Approved or Denied conditions),
 *   /approval only the conditions; each fills in the conditions' missing timestamps;
 * - validation: a request that parses and verifies, known and unique usages, a qualified signerName (not the
 *   legacy one), expirationSeconds of at least 600, well-formed conditions, a certificate only through /status;
 * - admission: approving needs `approve` on the signer (certificates.k8s.io/signers), signing `sign`, and the
 *   kube-apiserver-client signer never issues to system:masters.
 */
import { X509Certificate } from 'node:crypto';
import type { KObject, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import type { AdmissionPlugin } from './api';
import { authorize } from '../auth/rbac';
import type { UserInfo } from '../auth/issuer';
import { tryParseCertificateRequest } from '../auth/pkcs10';
import { pemBlock } from '../auth/der';
import { deepCopy, deepEqual, rfc3339 } from '../runtime/objects';
import { forbidden, type FieldError } from './status';
import { resourceInfo } from './resources';
import { base64ErrorOffset } from '../../../kube/src/rules/base64';

export const CSR_TABLE = 'certificates.k8s.io/certificatesigningrequests';
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

const VALID_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
];
/** sets.String.List(): sorted. */
const SORTED_USAGES = [...VALID_USAGES].sort();
const TRUE_ONLY = new Set(['Approved', 'Denied', 'Failed']);

/** PrepareForCreate: the requester's identity from the request; no status. */
export function prepareCsrCreate(o: KObject, user: WriteOptions['user']): void {
  const spec = (o.spec && typeof o.spec === 'object' ? o.spec : (o.spec = {})) as any;
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  if (user) {
    if (user.username) spec.username = user.username;
    if (user.uid) spec.uid = user.uid;
    if (user.groups?.length) spec.groups = [...user.groups];
    if (user.extra && Object.keys(user.extra).length) spec.extra = deepCopy(user.extra);
  }
}

/**
 * spec.request and status.certificate are []byte: the body decodes them with base64.StdEncoding before anything
 * else runs, so one that is not base64 makes the whole request a 400 (handlers/rest.go transformDecodeError), whichever
 * path it was sent to. The message of the first bad one, or undefined.
 */
export function csrDecodeError(o: KObject): string | undefined {
  for (const v of [o?.spec?.request, o?.status?.certificate]) {
    if (typeof v !== 'string') continue;
    const off = base64ErrorOffset(v);
    if (off >= 0) return `illegal base64 data at input byte ${off}`;
  }
  return undefined;
}

/** Request bytes from the base64 the object stores them in. */
const requestBytes = (o: KObject): Buffer => Buffer.from(typeof o.spec?.request === 'string' ? o.spec.request : '', 'base64');

/** `%#v` of a []byte, as field.Invalid prints spec.request. */
function goBytes(b: Buffer): string {
  return `[]byte{${[...b].map((x) => '0x' + x.toString(16)).join(', ')}}`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** ValidateSignerName (pkg/apis/core/validation/names.go): `example.com/signer-name`. */
export function signerNameErrors(field: string, name: unknown): FieldError[] {
  if (typeof name !== 'string' || name === '') return [{ type: 'FieldValueRequired', field, detail: '' }];
  const segments = name.split('/');
  if (segments.length !== 2) return [{ type: 'FieldValueInvalid', field, value: name, detail: "must be a fully qualified domain and path of the form 'example.com/signer-name'" }];
  const [domain, path] = segments;
  const out: FieldError[] = [];
  if (domain.length > 253) out.push({ type: 'FieldValueTooLong', field, value: domain, detail: 'may not be more than 253 bytes' });
  const labels = domain.split('.');
  for (const l of labels) {
    const errs: string[] = [];
    if (l.length > 63) errs.push('must be no more than 63 characters');
    if (!DNS1123_LABEL.test(l)) errs.push(LABEL_MSG);
    if (errs.length) {
      for (const e of errs) out.push({ type: 'FieldValueInvalid', field, value: domain, detail: `validating label ${JSON.stringify(l)}: ${e}` });
      break;
    }
  }
  if (labels.length < 2) out.push({ type: 'FieldValueInvalid', field, value: domain, detail: 'should be a domain with at least two segments separated by dots' });
  // The path is checked piece by piece (each `.`-separated label a subdomain of at most 253), the first bad one only.
  for (const l of path.split('.')) {
    const errs: string[] = [];
    if (l.length > 253) errs.push('must be no more than 253 characters');
    if (!DNS1123_SUBDOMAIN.test(l)) errs.push(SUBDOMAIN_MSG);
    if (errs.length) {
      for (const e of errs) out.push({ type: 'FieldValueInvalid', field, value: path, detail: `validating label ${JSON.stringify(l)}: ${e}` });
      break;
    }
  }
  // Only the whole name has a limit: a domain (253), a path that holds a subdomain, a `.` and a label (253 + 1 + 63), a `/`.
  const max = 253 + (253 + 63 + 1) + 1;
  if (name.length > max) out.push({ type: 'FieldValueTooLong', field, value: '', detail: `may not be more than ${max} bytes` });
  return out;
}

/** validateCertificate: status.certificate holds CERTIFICATE PEM blocks only, at least one. */
function certificateError(base64: string): string | undefined {
  let text = Buffer.from(base64, 'base64').toString('latin1');
  let blocks = 0;
  for (;;) {
    const b = pemBlock(text);
    if (!b) break;
    if (b.type !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(b.type)}`;
    if (b.headers) return 'no PEM block headers are permitted';
    blocks++;
    try {
      new X509Certificate(b.der);
    } catch {
      return 'x509: malformed certificate';
    }
    const endMarker = '-----END CERTIFICATE-----';
    text = text.slice(text.indexOf(endMarker) + endMarker.length);
  }
  return blocks ? undefined : 'must contain at least one CERTIFICATE PEM block';
}

const conditionsOf = (o: KObject | undefined): any[] => (Array.isArray(o?.status?.conditions) ? o!.status.conditions : []);
const certOf = (o: KObject | undefined): string => (typeof o?.status?.certificate === 'string' ? o.status.certificate : '');
const find = (o: KObject | undefined, type: string) => conditionsOf(o).filter((c) => c?.type === type);

type Path = 'create' | 'update' | 'status' | 'approval';

/**
 * validateCertificateSigningRequest and, on an update, validateCertificateSigningRequestUpdate, with the
 * options getValidationOptions gives (what the stored object already breaks stays allowed).
 */
export function csrErrors(o: KObject, old: KObject | undefined, path: Path): FieldError[] {
  const out: FieldError[] = [];
  const spec = o.spec ?? {};
  const req = requestBytes(o);
  const parsed = tryParseCertificateRequest(req);
  if (typeof parsed === 'string') out.push({ type: 'FieldValueInvalid', field: 'spec.request', valueText: goBytes(req), detail: parsed });
  const usages: unknown[] = Array.isArray(spec.usages) ? spec.usages : [];
  const oldUsages: unknown[] = Array.isArray(old?.spec?.usages) ? old!.spec.usages : [];
  if (!usages.length) out.push({ type: 'FieldValueRequired', field: 'spec.usages', detail: '' });
  if (!(old && oldUsages.some((u) => !VALID_USAGES.includes(u as string)))) {
    usages.forEach((u, i) => {
      if (!VALID_USAGES.includes(u as string)) out.push({ type: 'FieldValueNotSupported', field: `spec.usages[${i}]`, value: u, detail: `supported values: ${SORTED_USAGES.map((s) => JSON.stringify(s)).join(', ')}` });
    });
  }
  if (!(old && new Set(oldUsages).size !== oldUsages.length)) {
    const seen = new Set<unknown>();
    usages.forEach((u, i) => {
      if (seen.has(u)) out.push({ type: 'FieldValueDuplicate', field: `spec.usages[${i}]`, value: u });
      seen.add(u);
    });
  }
  if (spec.signerName === LEGACY_UNKNOWN_SIGNER && old?.spec?.signerName !== LEGACY_UNKNOWN_SIGNER) {
    out.push({ type: 'FieldValueInvalid', field: 'spec.signerName', value: spec.signerName, detail: 'the legacy signerName is not allowed via this API version' });
  } else if (spec.signerName !== LEGACY_UNKNOWN_SIGNER) out.push(...signerNameErrors('spec.signerName', spec.signerName));
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600) {
    out.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: spec.expirationSeconds, detail: 'may not specify a duration less than 600 seconds (10 minutes)' });
  }
  out.push(...conditionErrors(o, old));
  const cert = certOf(o);
  const arbitrary = old && (cert === certOf(old) || (certOf(old) !== '' && certificateError(certOf(old)) !== undefined));
  if (!arbitrary && cert) {
    const why = certificateError(cert);
    if (why) out.push({ type: 'FieldValueInvalid', field: 'status.certificate', value: '<certificate data>', detail: why });
  }
  if (old) out.push(...updateErrors(o, old, path));
  return out;
}

function conditionErrors(o: KObject, old: KObject | undefined): FieldError[] {
  const out: FieldError[] = [];
  const oldConds = conditionsOf(old);
  const oldTypes = oldConds.map((c) => c?.type);
  const allowBoth = oldTypes.includes('Approved') && oldTypes.includes('Denied');
  const allowDup = new Set(oldTypes).size !== oldTypes.length;
  const allowEmpty = oldTypes.some((t) => !t);
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(o).forEach((c, i) => {
    const f = `status.conditions[${i}]`;
    const type = c?.type ?? '';
    if (!allowEmpty && !type) out.push({ type: 'FieldValueRequired', field: `${f}.type`, detail: '' });
    const allowed = TRUE_ONLY.has(type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!c?.status) out.push({ type: 'FieldValueRequired', field: `${f}.status`, detail: '' });
    else if (!allowed.includes(c.status)) out.push({ type: 'FieldValueNotSupported', field: `${f}.status`, value: c.status, detail: `supported values: ${allowed.map((s) => JSON.stringify(s)).join(', ')}` });
    if (!allowBoth) {
      if (type === 'Approved') {
        approved = true;
        if (denied) out.push({ type: 'FieldValueInvalid', field: `${f}.type`, value: type, detail: 'Approved and Denied conditions are mutually exclusive' });
      } else if (type === 'Denied') {
        denied = true;
        if (approved) out.push({ type: 'FieldValueInvalid', field: `${f}.type`, value: type, detail: 'Approved and Denied conditions are mutually exclusive' });
      }
    }
    if (!allowDup) {
      if (seen.has(type)) out.push({ type: 'FieldValueDuplicate', field: `${f}.type`, value: type });
      seen.add(type);
    }
  });
  return out;
}

function updateErrors(o: KObject, old: KObject, path: Path): FieldError[] {
  const out: FieldError[] = [];
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (find(o, t).length < find(old, t).length) out.push({ type: 'FieldValueForbidden', field: 'status.conditions', detail: `updates may not remove a condition of type ${JSON.stringify(t)}` });
  }
  if (path !== 'approval') {
    for (const t of ['Approved', 'Denied']) {
      const n = find(o, t).length;
      const was = find(old, t).length;
      if (n > was) out.push({ type: 'FieldValueForbidden', field: 'status.conditions', detail: `updates may not add a condition of type ${JSON.stringify(t)}` });
      else if (n === was && !deepEqual(find(o, t), find(old, t))) out.push({ type: 'FieldValueForbidden', field: 'status.conditions', detail: `updates may not modify a condition of type ${JSON.stringify(t)}` });
    }
  }
  if (certOf(o) !== certOf(old)) {
    if (path !== 'status') out.push({ type: 'FieldValueForbidden', field: 'status.certificate', detail: 'updates may not set certificate content' });
    else if (certOf(old)) out.push({ type: 'FieldValueForbidden', field: 'status.certificate', detail: 'updates may not modify existing certificate content' });
  }
  return out;
}

/**
 * The update strategies' PrepareForUpdate: what each path may change, taken from `input` onto the stored
 * object, and populateConditionTimestamps. Returns the object to validate and store.
 */
export function prepareCsrUpdate(existing: KObject, o: KObject, input: KObject, path: Exclude<Path, 'create'>, now: number): KObject {
  const out: KObject = { ...o, spec: existing.spec };
  if (path === 'update') {
    if (existing.status === undefined) delete out.status;
    else out.status = existing.status;
    return out;
  }
  const incoming = Array.isArray(input.status?.conditions) ? deepCopy(input.status.conditions) : undefined;
  let status: any;
  if (path === 'status') {
    status = input.status && typeof input.status === 'object' ? deepCopy(input.status) : {};
    // preserveConditionInstances: the Approved and Denied conditions stay as stored when their count is unchanged.
    for (const t of ['Approved', 'Denied']) {
      const oldIdx = conditionsOf(existing).flatMap((c, i) => (c?.type === t ? [i] : []));
      const newIdx = (status.conditions ?? []).flatMap((c: any, i: number) => (c?.type === t ? [i] : []));
      if (oldIdx.length === newIdx.length) oldIdx.forEach((oi, k) => (status.conditions[newIdx[k]] = conditionsOf(existing)[oi]));
    }
  } else {
    status = { ...(existing.status ?? {}) };
    if (incoming) status.conditions = incoming;
    else delete status.conditions;
  }
  populateTimestamps(status.conditions, conditionsOf(existing), now);
  if (Array.isArray(status.conditions) && !status.conditions.length) delete status.conditions;
  out.status = status;
  return out;
}

/** populateConditionTimestamps: lastUpdateTime now when missing; lastTransitionTime kept from a same type and status. */
function populateTimestamps(conds: any[] | undefined, old: any[], now: number): void {
  if (!Array.isArray(conds)) return;
  const t = rfc3339(now);
  for (const c of conds) {
    if (!c || typeof c !== 'object') continue;
    if (!c.lastUpdateTime) c.lastUpdateTime = t;
    if (!c.lastTransitionTime) c.lastTransitionTime = old.find((x) => x?.type === c.type && x?.status === c.status && x?.lastTransitionTime)?.lastTransitionTime ?? t;
  }
}

const CSR_INFO = () => resourceInfo('certificates.k8s.io', 'certificatesigningrequests')!;

/** certauthorization.IsAuthorizedForSignerName: the verb on signers named the signer, or its `domain/*`. */
function authorizedForSigner(store: Store, user: UserInfo, verb: string, signer: string): boolean {
  const a = { verb, apiGroup: 'certificates.k8s.io', resource: 'signers' };
  if (authorize(store, user, { ...a, name: signer }).allowed) return true;
  return authorize(store, user, { ...a, name: `${signer.split('/')[0]}/*` }).allowed;
}

/**
 * The CertificateApproval, CertificateSigning and CertificateSubjectRestriction admission plugins. Writes
 * without a user (the playground's own controllers) pass, as the controller-manager's roles allow them.
 */
export function certificateAdmission(store: Store): AdmissionPlugin {
  return {
    name: 'CertificateSigningRequests',
    resources: [CSR_TABLE],
    validate(op, obj, old, opts, subresource) {
      const user = opts.user as UserInfo | undefined;
      if (op === 'CREATE') {
        // subjectrestriction/admission.go: only the kube-apiserver-client signer, only on create.
        if (obj.spec?.signerName !== 'kubernetes.io/kube-apiserver-client') return;
        const req = tryParseCertificateRequest(requestBytes(obj));
        if (typeof req === 'string') throw forbidden(CSR_INFO(), obj.metadata.name ?? '', `failed to parse CSR: ${req}`);
        if (req.organizations.includes('system:masters')) {
          throw forbidden(CSR_INFO(), obj.metadata.name ?? '', `use of ${obj.spec.signerName} signer with system:masters group is not allowed`);
        }
        return;
      }
      if (!user || !old) return;
      // The checks read the stored signerName, so a request cannot dodge them by changing it.
      const signer = String(old.spec?.signerName ?? '');
      if (subresource === 'approval' && !authorizedForSigner(store, user, 'approve', signer)) {
        throw forbidden(CSR_INFO(), obj.metadata.name ?? '', `user not permitted to approve requests with signerName ${JSON.stringify(signer)}`);
      }
      if (subresource === 'status' && (certOf(obj) !== certOf(old) || !deepEqual(conditionsOf(obj), conditionsOf(old)))
        && !authorizedForSigner(store, user, 'sign', signer)) {
        throw forbidden(CSR_INFO(), obj.metadata.name ?? '', `user not permitted to sign requests with signerName ${JSON.stringify(signer)}`);
      }
    },
  };
}
