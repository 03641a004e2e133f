import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';

/** admissionregistration's validation of webhook configurations, in upstream's words. */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const hook = (extra: any = {}) => ({
  name: 'validate.nginx.ingress.kubernetes.io', admissionReviewVersions: ['v1'], sideEffects: 'None',
  clientConfig: { service: { name: 'admission', namespace: 'ingress-nginx', path: '/networking/v1/ingresses' } },
  rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }], ...extra,
});
const cfg = (webhooks: any[], kind = 'ValidatingWebhookConfiguration') => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name: 'c' }, webhooks });

describe('rules/webhooks', () => {
  it('accepts ingress-nginx\'s webhook', () => {
    assert.deepStrictEqual(errors(cfg([hook()])), []);
  });
  it('needs a fully qualified name, unique names, a side-effect class and a review version it speaks', () => {
    assert.deepStrictEqual(errors(cfg([hook({ name: 'validate.nginx' })])), ['webhooks[0].name: Invalid value: "validate.nginx": should be a domain with at least three segments separated by dots']);
    assert.deepStrictEqual(errors(cfg([hook(), hook()])), ['webhooks[1].name: Duplicate value: "validate.nginx.ingress.kubernetes.io"']);
    assert.deepStrictEqual(errors(cfg([hook({ sideEffects: undefined })])), ['webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun']);
    assert.deepStrictEqual(errors(cfg([hook({ sideEffects: 'Some' })])), ['webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"']);
    assert.deepStrictEqual(errors(cfg([hook({ admissionReviewVersions: [] })])), ['webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1']);
    assert.deepStrictEqual(errors(cfg([hook({ admissionReviewVersions: ['v2'] })])), ['webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1']);
  });
  it('exactly one of url and service; a 1-30 s timeout; operations', () => {
    assert.deepStrictEqual(errors(cfg([hook({ clientConfig: {} })])), ['webhooks[0].clientConfig: Required value: exactly one of url or service is required']);
    assert.deepStrictEqual(errors(cfg([hook({ timeoutSeconds: 60 })])), ['webhooks[0].timeoutSeconds: Invalid value: 60: the timeout value must be between 1 and 30 seconds']);
    assert.deepStrictEqual(errors(cfg([hook({ rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['*', 'CREATE'] }] })])), [
      'webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{"*", "CREATE"}: if \'*\' is present, must not specify other operations',
    ]);
    assert.deepStrictEqual(errors(cfg([hook({ reinvocationPolicy: 'Always' })], 'MutatingWebhookConfiguration')), ['webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"']);
  });
});
