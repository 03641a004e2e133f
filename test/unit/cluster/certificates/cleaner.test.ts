/**
 * The csrcleaner controller (pkg/controller/certificates/cleaner/cleaner.go) on the fake clock: an hourly pass that
 * deletes requests issued, denied or failed more than an hour ago, pending for more than a day, or whose certificate
 * has expired; and `spec.signerName` as a CSR field selector (pkg/apis/certificates/v1/conversion.go).
 */
import * as assert from 'node:assert/strict';
import { newTestControlPlane, type TestControlPlane } from '../../../../cluster/src/testing';
import { certificateAdmission } from '../../../../cluster/src/apiserver/certificates';
import { CSRApprovingController, CSRCleanerController, CSRSigningController } from '../../../../cluster/src/controllers/certificates/controllers';
import { CertificateAuthority } from '../../../../cluster/src/auth/authority';
import { ensureRbacDefaults, installKubeadmCertificateBindings } from '../../../../cluster/src/auth/policy';
import { certificateRequest, clusterCa, csrObject } from './fixtures';

const CSR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
const MASTER = { username: 'root', groups: ['system:masters', 'system:authenticated'] };
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('CSR cleaner', () => {
  let cp: TestControlPlane;
  beforeEach(() => {
    cp = newTestControlPlane();
    ensureRbacDefaults(cp.api);
    installKubeadmCertificateBindings(cp.api);
    cp.api.use(certificateAdmission(cp.store));
    const caPem = clusterCa(cp.clock.now());
    cp.start(
      new CSRApprovingController(cp.ctx, cp.store),
      new CSRSigningController(cp.ctx, cp.store, new CertificateAuthority(caPem.cert, caPem.key)),
      new CSRCleanerController(cp.ctx, cp.store),
    );
  });
  const exists = (name: string) => cp.store.get('certificates.k8s.io/certificatesigningrequests', undefined, name) !== undefined;
  const create = (name: string, spec: Record<string, unknown> = {}) =>
    cp.api.create(CSR, undefined, csrObject(name, certificateRequest({ cn: name }).base64, spec), { user: MASTER });
  const addCondition = (name: string, cond: Record<string, unknown>, subresource: 'approval' | 'status') => {
    const csr = cp.api.get(CSR, undefined, name);
    cp.api.update(CSR, undefined, { ...csr, status: { ...(csr.status ?? {}), conditions: [...(csr.status?.conditions ?? []), cond] } } as any, { user: MASTER }, subresource);
  };
  const approve = (name: string) => addCondition(name, { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }, 'approval');
  const cleaned = () => cp.logs.filter((l) => l.component === 'csrcleaner').map((l) => l.message);

  it('logs its start and deletes an issued request on the first hourly pass more than an hour after its approval', () => {
    assert.deepEqual(cleaned(), ['"Starting CSR cleaner controller"']);
    cp.advance(10 * MIN);
    create('issued');
    approve('issued');
    cp.settle();
    assert.ok(cp.api.get(CSR, undefined, 'issued').status.certificate);
    cp.advance(HOUR - 10 * MIN + 1000);
    assert.ok(exists('issued'), 'the pass at 1h finds it approved 50 minutes ago');
    cp.advance(HOUR);
    assert.ok(!exists('issued'), 'the pass at 2h deletes it');
    assert.deepEqual(cleaned().slice(1), ['"Cleaning CSR as it is more than approvedExpiration duration old and approved." csr="issued" approvedExpiration="1h0m0s"']);
  });

  it('keeps an approved request that was never issued', () => {
    create('unsigned', { signerName: 'example.com/foo' });
    approve('unsigned');
    cp.advance(30 * HOUR);
    assert.ok(exists('unsigned'));
    assert.deepEqual(cleaned(), ['"Starting CSR cleaner controller"']);
  });

  it('deletes denied and failed requests an hour after the condition, pending ones after a day', () => {
    create('denied');
    addCondition('denied', { type: 'Denied', status: 'True', reason: 'KubectlDeny', message: 'This CSR was denied by kubectl certificate deny.' }, 'approval');
    create('failed', { usages: ['server auth'] }); // the kube-apiserver-client signer fails it: SignerValidationFailure
    approve('failed');
    create('pending');
    cp.settle();
    assert.ok(cp.api.get(CSR, undefined, 'failed').status.conditions.some((c: any) => c.type === 'Failed'));
    cp.advance(2 * HOUR);
    assert.ok(!exists('denied') && !exists('failed'));
    assert.ok(exists('pending'));
    cp.advance(22 * HOUR);
    assert.ok(exists('pending'), 'created exactly 24h before this pass: not more than 24h old');
    cp.advance(HOUR);
    assert.ok(!exists('pending'));
    assert.deepEqual(cleaned().slice(1), [
      // The failed request was approved an hour ago too, but never issued: it goes as failed.
      '"Cleaning CSR as it is more than deniedExpiration duration old and denied." csr="denied" deniedExpiration="1h0m0s"',
      '"Cleaning CSR as it is more than deniedExpiration duration old and failed." csr="failed" deniedExpiration="1h0m0s"',
      '"Cleaning CSR as it is more than pendingExpiration duration old and unhandled." csr="pending" pendingExpiration="24h0m0s"',
    ]);
  });

  it('deletes a request whose certificate has expired before its approval is an hour old', () => {
    cp.advance(45 * MIN);
    create('short', { expirationSeconds: 600 });
    approve('short');
    cp.settle();
    assert.ok(cp.api.get(CSR, undefined, 'short').status.certificate);
    cp.advance(15 * MIN);
    assert.ok(!exists('short'));
    assert.deepEqual(cleaned().slice(1), ['"Cleaning CSR as the associated certificate is expired." csr="short"']);
  });

  it('selects CSRs by spec.signerName; metadata.namespace and other fields are not field labels', () => {
    create('client');
    create('custom', { signerName: 'example.com/foo' });
    const names = (fieldSelector: string) => cp.api.list(CSR, undefined, { fieldSelector }).items.map((o) => o.metadata.name);
    assert.deepEqual(names('spec.signerName=example.com/foo'), ['custom']);
    assert.deepEqual(names('spec.signerName!=example.com/foo'), ['client']);
    assert.deepEqual(names('metadata.name=client,spec.signerName=kubernetes.io/kube-apiserver-client'), ['client']);
    const refused = (fieldSelector: string) => {
      try {
        cp.api.list(CSR, undefined, { fieldSelector });
      } catch (e: any) {
        return [e.code, e.status?.message];
      }
      return 'listed';
    };
    assert.deepEqual(refused('metadata.namespace=default'), [400, 'field label not supported: metadata.namespace']);
    assert.deepEqual(refused('spec.username=root'), [400, 'field label not supported: spec.username']);
  });
});
