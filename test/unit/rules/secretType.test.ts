import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { setup } from '../server/harness';
import { textAt } from '../validate/helpers';

/**
 * What a Secret's type requires (ValidateSecret's switch on type), with
 * upstream's field errors for the apiserver and a located diagnostic in the editor.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const secret = (type: string, extra: any = {}) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', ...(extra.metadata ?? {}) }, type, ...extra, ...(extra.metadata ? { metadata: { name: 's', ...extra.metadata } } : {}) });

describe('rules/secretType: what each Secret type requires', () => {
  it('a service-account-token Secret must name its account; the token itself is the controller\'s to add', () => {
    assert.deepStrictEqual(errors(secret('kubernetes.io/service-account-token')), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
    assert.deepStrictEqual(errors(secret('kubernetes.io/service-account-token', { metadata: { annotations: { 'kubernetes.io/service-account.name': 'build-robot' } } })), []);
  });

  it('tls needs both keys, from data or stringData; ssh-auth a non-empty key; basic-auth either field', () => {
    assert.deepStrictEqual(errors(secret('kubernetes.io/tls', { stringData: { 'tls.crt': 'x' } })), ['data[tls.key]: Required value']);
    assert.deepStrictEqual(errors(secret('kubernetes.io/tls')), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
    assert.deepStrictEqual(errors(secret('kubernetes.io/ssh-auth', { stringData: { 'ssh-privatekey': '' } })), ['data[ssh-privatekey]: Required value']);
    assert.deepStrictEqual(errors(secret('kubernetes.io/basic-auth')), ['data[username]: Required value', 'data[password]: Required value']);
    assert.deepStrictEqual(errors(secret('kubernetes.io/basic-auth', { stringData: { password: 'p' } })), []);
    assert.deepStrictEqual(errors(secret('kubernetes.io/dockerconfigjson')), ['data[.dockerconfigjson]: Required value']);
    // The credentials must be a JSON object; the value is never printed.
    assert.deepStrictEqual(errors(secret('kubernetes.io/dockerconfigjson', { stringData: { '.dockerconfigjson': 'auths: {}' } })),
      ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'a\' looking for beginning of value']);
    assert.deepStrictEqual(errors(secret('kubernetes.io/dockerconfigjson', { data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') } })), []);
    assert.deepStrictEqual(errors(secret('Opaque')), []);
    assert.deepStrictEqual(errors(secret('example.com/anything')), []);
  });

  it('the editor marks the Secret that lacks what its type needs', () => {
    const { model, ctx } = setup('apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: aGVsbG8=\n');
    const d = computeDiagnostics(model, ctx).filter((x) => x.code === 'secret-type-required');
    assert.deepStrictEqual(d.map((x) => [textAt(model.text, x.range), x.message]),
      [['data', 'Required value: data["tls.key"]: a kubernetes.io/tls Secret holds the certificate in data["tls.crt"] and its key in data["tls.key"]']]);
    // With neither map, each missing key is one finding on `type`, never on the document's first line; a key that is
    // there with a wrong value is marked where it is.
    const bare = setup('apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls\n');
    const b = computeDiagnostics(bare.model, bare.ctx).filter((x) => x.code === 'secret-type-required');
    assert.deepStrictEqual(b.map((x) => [textAt(bare.model.text, x.range), x.message.slice(0, 32)]),
      [['kubernetes.io/tls', 'Required value: data["tls.crt"]:'], ['kubernetes.io/tls', 'Required value: data["tls.key"]:']]);
    const ssh = setup('apiVersion: v1\nkind: Secret\nmetadata:\n  name: key\ntype: kubernetes.io/ssh-auth\nstringData:\n  ssh-privatekey: ""\n');
    const s2 = computeDiagnostics(ssh.model, ssh.ctx).filter((x) => x.code === 'secret-type-required');
    assert.deepStrictEqual(s2.map((x) => textAt(ssh.model.text, x.range)), ['ssh-privatekey']);
  });
});
