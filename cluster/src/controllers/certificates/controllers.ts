/**
 * kube-controller-manager's CSR controllers (pkg/controller/certificates), each a queue of CSR names fed by
 * every change to a CertificateSigningRequest:
 * - csrapproving (approver/sarapprove.go): a kubelet client request (signer kube-apiserver-client-kubelet,
 *   O=system:nodes, CN system:node:…, no SANs, the kubelet's usages) is approved, reason AutoApproved, when a
 *   SubjectAccessReview lets its requester create certificatesigningrequests/selfnodeclient (CN is the
 *   requester: a renewal) or /nodeclient (a new node);
 * - csrsigning (signer/signer.go): an approved, not failed request to one of the four built-in signers gets
 *   its certificate from the cluster CA, or a Failed condition (SignerValidationFailure) when it does not meet
 *   that signer's rules. It runs only when the controller-manager has the CA's key, as kind's has.
 * - csrcleaner (cleaner/cleaner.go): an hourly pass deleting old issued, denied, failed and pending requests and
 *   those whose certificate has expired.
 */
import { X509Certificate } from 'node:crypto';
import type { Component, ComponentContext, KObject, TimerHandle } from '../../contract';
import type { Store } from '../../store/store';
import { WorkQueue } from '../../runtime/queue';
import { authorize } from '../../auth/rbac';
import { tryParseCertificateRequest, type CertificateRequest } from '../../auth/pkcs10';
import { serialFrom, type CertificateAuthority } from '../../auth/authority';
import { CSR_TABLE, LEGACY_UNKNOWN_SIGNER } from '../../apiserver/certificates';
import { isStatusError } from '../../apiserver/status';
import { rfc3339 } from '../../runtime/objects';
import { pemBlock } from '../../auth/der';

const GVR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
export const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
export const KUBE_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';

const conditions = (csr: KObject): any[] => (Array.isArray(csr.status?.conditions) ? csr.status.conditions : []);
const hasTrue = (csr: KObject, type: string) => conditions(csr).some((c) => c?.type === type && c?.status === 'True');
const request = (csr: KObject) => Buffer.from(String(csr.spec?.request ?? ''), 'base64');
const usagesOf = (csr: KObject): string[] => (Array.isArray(csr.spec?.usages) ? csr.spec.usages : []);
const sameSet = (a: string[], b: string[]) => new Set(a).size === b.length && b.every((x) => a.includes(x));

/** ValidateKubeletClientCSR (pkg/apis/certificates/helpers.go): the error, or undefined for a kubelet client request. */
export function kubeletClientError(req: CertificateRequest, usages: string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (req.dnsNames.length) return 'DNS subjectAltNames are not allowed';
  if (req.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (req.ipAddresses.length) return 'IP subjectAltNames are not allowed';
  if (req.uris.length) return 'URI subjectAltNames are not allowed';
  if (!req.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, ['client auth', 'digital signature', 'key encipherment']) && !sameSet(usages, ['client auth', 'digital signature'])) {
    return 'usages did not match [client auth digital signature key encipherment]';
  }
  return undefined;
}

/** ValidateKubeletServingCSR. */
export function kubeletServingError(req: CertificateRequest, usages: string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!req.dnsNames.length && !req.ipAddresses.length) return 'DNS or IP subjectAltName is required';
  if (req.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (req.uris.length) return 'URI subjectAltNames are not allowed';
  if (!sameSet(usages, ['digital signature', 'key encipherment', 'server auth']) && !sameSet(usages, ['digital signature', 'server auth'])) {
    return 'usages did not match [digital signature key encipherment server auth]';
  }
  if (!req.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  return undefined;
}

/** validAPIServerClientUsages: client auth required; digital signature and key encipherment allowed. */
function apiServerClientError(usages: string[]): string | undefined {
  for (const u of usages) if (u !== 'digital signature' && u !== 'key encipherment' && u !== 'client auth') return `invalid usage for client certificate: ${u}`;
  return usages.includes('client auth') ? undefined : 'missing required usage for client certificate: client auth';
}

/** Each built-in signer's rule (getCSRVerificationFuncForSignerName); the legacy one has none. */
const SIGNER_RULES: Record<string, (req: CertificateRequest, usages: string[]) => string | undefined> = {
  [KUBELET_SERVING]: kubeletServingError,
  [KUBE_APISERVER_CLIENT_KUBELET]: kubeletClientError,
  [KUBE_APISERVER_CLIENT]: (_req, usages) => apiServerClientError(usages),
  [LEGACY_UNKNOWN_SIGNER]: () => undefined,
};

/** The queue and the store tap both controllers share (certificates.NewCertificateController). */
abstract class CertificateController implements Component {
  abstract readonly name: string;
  protected readonly queue: WorkQueue;
  private untap?: () => void;

  constructor(protected readonly ctx: ComponentContext, protected readonly store: Store) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { onError: (k, e) => ctx.log(this.name, `Sync ${k} failed with : ${(e as Error).message}`) });
  }

  start(): void {
    this.untap = this.store.tap((table, rec) => {
      if (table === CSR_TABLE && rec.type !== 'DELETED') this.queue.add(rec.object.metadata.name!);
    }, { only: [CSR_TABLE] });
    for (const csr of this.store.list(CSR_TABLE)) this.queue.add(csr.metadata.name!);
  }

  stop(): void {
    this.untap?.();
    this.queue.stop();
  }

  private sync(name: string): void {
    const csr = this.store.get(CSR_TABLE, undefined, name);
    if (!csr) return;
    try {
      this.handle(csr);
    } catch (e) {
      // Changed or gone meanwhile: its own change brings it back.
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
    }
  }

  protected abstract handle(csr: KObject): void;
}

const RECOGNIZERS = [
  { subresource: 'selfnodeclient', message: 'Auto approving self kubelet client certificate after SubjectAccessReview.', self: true },
  { subresource: 'nodeclient', message: 'Auto approving kubelet client certificate after SubjectAccessReview.', self: false },
];

export class CSRApprovingController extends CertificateController {
  readonly name = 'csrapproving';

  protected handle(csr: KObject): void {
    if (csr.status?.certificate || conditions(csr).some((c) => c?.type === 'Approved' || c?.type === 'Denied')) return;
    const req = tryParseCertificateRequest(request(csr));
    if (typeof req === 'string') throw new Error(`unable to parse csr ${JSON.stringify(csr.metadata.name)}: ${req}`);
    const spec = csr.spec ?? {};
    const requester = { username: String(spec.username ?? ''), uid: spec.uid, groups: Array.isArray(spec.groups) ? spec.groups : [], extra: spec.extra };
    const kubeletClient = spec.signerName === KUBE_APISERVER_CLIENT_KUBELET && !kubeletClientError(req, usagesOf(csr));
    const tried: string[] = [];
    for (const r of RECOGNIZERS) {
      if (!kubeletClient || (r.self && spec.username !== req.commonName)) continue;
      tried.push(r.subresource);
      const sar = authorize(this.store, requester, { verb: 'create', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: r.subresource });
      if (!sar.allowed) continue;
      const approved = { type: 'Approved', status: 'True', reason: 'AutoApproved', message: r.message };
      this.ctx.api.update(GVR, undefined, { ...csr, status: { ...(csr.status ?? {}), conditions: [...conditions(csr), approved] } }, {}, 'approval');
      return;
    }
    // certificates.IgnorableError: logged, not retried.
    if (tried.length) this.ctx.log(this.name, `recognized csr ${JSON.stringify(csr.metadata.name)} as [${tried.join(' ')}] but subject access review was not approved`);
  }
}

export class CSRSigningController extends CertificateController {
  readonly name = 'csrsigning';

  /** certTTL: --cluster-signing-duration, 8760h unless set. */
  constructor(ctx: ComponentContext, store: Store, private readonly ca: CertificateAuthority, private readonly certTtlMs = 8760 * 3600_000) {
    super(ctx, store);
  }

  protected handle(csr: KObject): void {
    if (!hasTrue(csr, 'Approved') || hasTrue(csr, 'Failed') || csr.status?.certificate) return;
    const signer = String(csr.spec?.signerName ?? '');
    const rule = SIGNER_RULES[signer];
    if (!rule) return;
    const req = tryParseCertificateRequest(request(csr));
    if (typeof req === 'string') throw new Error(`unable to parse csr ${JSON.stringify(csr.metadata.name)}: ${req}`);
    const now = this.ctx.clock.now();
    const why = rule(req, usagesOf(csr));
    if (why) {
      const failed = { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: why, lastUpdateTime: rfc3339(now) };
      this.ctx.api.update(GVR, undefined, { ...csr, status: { ...(csr.status ?? {}), conditions: [...conditions(csr), failed] } }, {}, 'status');
      return;
    }
    const certificate = this.ca.sign(req, {
      ttlMs: this.duration(csr.spec?.expirationSeconds), usages: usagesOf(csr), backdateMs: 5 * 60_000, shortMs: 8 * 3600_000,
    }, now, serialFrom(() => this.ctx.rand.next()));
    this.ctx.api.update(GVR, undefined, { ...csr, status: { ...(csr.status ?? {}), certificate: Buffer.from(certificate).toString('base64') } }, {}, 'status');
  }

  /** signer.duration: the requested expirationSeconds, at most the TTL, at least ten minutes. */
  private duration(expirationSeconds: unknown): number {
    if (typeof expirationSeconds !== 'number') return this.certTtlMs;
    const requested = expirationSeconds * 1000;
    return requested > this.certTtlMs ? this.certTtlMs : requested < 10 * 60_000 ? 10 * 60_000 : requested;
  }
}

/** The cleaner's constants (cleaner.go): one pass an hour; issued, denied and failed requests kept an hour, pending a day. */
export const CSR_CLEANER_POLLING_MS = 3600_000;
const APPROVED_EXPIRATION_MS = 3600_000;
const DENIED_EXPIRATION_MS = 3600_000;
const PENDING_EXPIRATION_MS = 24 * 3600_000;

/** metav1.Time as stored (RFC 3339), or undefined for the zero time. */
const timeOf = (t: unknown): number | undefined => {
  const ms = typeof t === 'string' && t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** NotAfter of the first certificate in status.certificate, or undefined when it is not one (isExpired then says no). */
function certificateNotAfter(csr: KObject): number | undefined {
  const block = pemBlock(Buffer.from(String(csr.status.certificate), 'base64').toString('latin1'));
  if (!block) return undefined;
  try {
    return Date.parse(new X509Certificate(block.der).validTo);
  } catch {
    return undefined;
  }
}

/**
 * The csrcleaner controller (pkg/controller/certificates/cleaner/cleaner.go): no queue, a pass over every CSR
 * when it starts and then an hour after each pass (wait.UntilWithContext), deleting a request that is
 * - approved and issued, its Approved condition's lastUpdateTime more than an hour ago (isIssuedPastDeadline);
 * - denied, or failed, that condition's lastUpdateTime more than an hour ago (isDeniedPastDeadline, isFailedPastDeadline);
 * - without any condition and created more than 24 hours ago (isPendingPastDeadline);
 * - approved and issued a certificate whose NotAfter has passed (isIssuedExpired).
 * A condition with no lastUpdateTime (the zero time) never counts as old. Its log lines are klog's structured ones.
 */
export class CSRCleanerController implements Component {
  readonly name = 'csrcleaner';
  private timer?: TimerHandle;

  constructor(private readonly ctx: ComponentContext, private readonly store: Store) {}

  start(): void {
    this.ctx.log(this.name, '"Starting CSR cleaner controller"');
    this.schedule(0);
  }

  stop(): void {
    if (this.timer !== undefined) this.ctx.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.ctx.log(this.name, '"Shutting down CSR cleaner controller"');
  }

  private schedule(delayMs: number): void {
    this.timer = this.ctx.clock.setTimer(delayMs, () => {
      this.worker();
      this.schedule(CSR_CLEANER_POLLING_MS);
    });
  }

  private worker(): void {
    for (const csr of this.store.list(CSR_TABLE)) {
      const name = csr.metadata.name!;
      if (!this.pastDeadline(csr)) continue;
      try {
        this.ctx.api.delete(GVR, undefined, name);
      } catch (e) {
        const err = `unable to delete CSR ${JSON.stringify(name)}: ${(e as Error).message}`;
        this.ctx.log(this.name, `"Error while attempting to clean CSR" err=${JSON.stringify(err)} csr=${JSON.stringify(name)}`);
      }
    }
  }

  /** handle's test, in its order: the first rule that holds logs its line. */
  private pastDeadline(csr: KObject): boolean {
    const now = this.ctx.clock.now();
    const name = JSON.stringify(csr.metadata.name);
    // isOlderThan: a non-zero time more than d before now.
    const olderThan = (t: unknown, d: number) => {
      const ms = timeOf(t);
      return ms !== undefined && ms - now < -d;
    };
    const issued = !!csr.status?.certificate;
    const conds = conditions(csr);
    const say = (msg: string, kv = '') => {
      this.ctx.log(this.name, `"${msg}" csr=${name}${kv}`);
      return true;
    };
    if (issued && conds.some((c) => c?.type === 'Approved' && olderThan(c.lastUpdateTime, APPROVED_EXPIRATION_MS))) {
      return say('Cleaning CSR as it is more than approvedExpiration duration old and approved.', ' approvedExpiration="1h0m0s"');
    }
    if (conds.some((c) => c?.type === 'Denied' && olderThan(c.lastUpdateTime, DENIED_EXPIRATION_MS))) {
      return say('Cleaning CSR as it is more than deniedExpiration duration old and denied.', ' deniedExpiration="1h0m0s"');
    }
    if (conds.some((c) => c?.type === 'Failed' && olderThan(c.lastUpdateTime, DENIED_EXPIRATION_MS))) {
      return say('Cleaning CSR as it is more than deniedExpiration duration old and failed.', ' deniedExpiration="1h0m0s"');
    }
    if (!conds.length && olderThan(csr.metadata.creationTimestamp, PENDING_EXPIRATION_MS)) {
      return say('Cleaning CSR as it is more than pendingExpiration duration old and unhandled.', ' pendingExpiration="24h0m0s"');
    }
    if (issued && conds.some((c) => c?.type === 'Approved')) {
      const notAfter = certificateNotAfter(csr);
      if (notAfter !== undefined && now > notAfter) return say('Cleaning CSR as the associated certificate is expired.');
    }
    return false;
  }
}
