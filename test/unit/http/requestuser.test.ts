/**
 * Admission sees who asks on every HTTP write: a DELETE and a deletecollection carry the request's user as
 * request.userInfo (upstream's handlers put the authenticated user in the request context for every verb); before,
 * the playground's kubernetes-admin stood in for whoever deleted.
 */
import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { validatingAdmissionPolicy } from '../../../cluster/src/apiserver/policy/vap';
import type { KObject } from '../../../cluster/src/contract';

const VAP = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const VAPB = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' };

describe('http: request.userInfo of deletes', function () {
  this.timeout(30_000);
  const h = useHarness();
  let off: () => void;

  before(() => {
    off = h.api.use(validatingAdmissionPolicy(h.store));
    // Refuses every delete of a ConfigMap, naming the user it saw.
    h.api.create(VAP, undefined, {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'who-asks' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] }] },
        validations: [{
          expression: 'false',
          messageExpression: "'asked by ' + request.userInfo.username + ('system:masters' in request.userInfo.groups ? ' in system:masters' : '')",
        }],
      },
    } as KObject);
    h.api.create(VAPB, undefined, {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'who-asks' },
      spec: { policyName: 'who-asks', validationActions: ['Deny'] },
    } as KObject);
    h.api.create({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' } } as KObject);
    h.store.dispatch();
  });
  after(() => off?.());

  const refusal = (r: { status: number; json(): any }) => {
    // A denial without a reason is Invalid (422), with the policy's message.
    assert.equal(r.status, 422, r.json().message);
    return String(r.json().message);
  };

  it('a DELETE names the authenticated user, or the one it impersonates', async () => {
    assert.match(refusal(await h.request('DELETE', '/api/v1/namespaces/default/configmaps/kept')),
      /denied request: asked by kubeplay-admin in system:masters$/);
    assert.match(refusal(await h.request('DELETE', '/api/v1/namespaces/default/configmaps/kept', { headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': 'system:masters' } })),
      /denied request: asked by jane in system:masters$/);
  });

  it('so does a deletecollection', async () => {
    assert.match(refusal(await h.request('DELETE', '/api/v1/namespaces/default/configmaps', { headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': 'system:masters' } })),
      /denied request: asked by jane in system:masters$/);
    assert.ok(h.store.get('/configmaps', 'default', 'kept'));
  });
});
