/**
 * The per-request helpers keep state between requests (a parsed Accept, a parsed path,
 * the token's bytes, the header that carried it on a connection) and take shortcuts (no decoding without an escape): these
 * check the answers stay what they were without them.
 */
import * as assert from 'node:assert/strict';
import type * as http from 'node:http';
import { authenticate, impersonate } from '../../../cluster/src/http/auth';
import { tokenMatches } from '../../../cluster/src/http/kubeconfig';
import { chooseRepresentation, decodeObject, negotiateMedia } from '../../../cluster/src/http/negotiate';
import { writeOptions } from '../../../cluster/src/http/options';
import { parseApiPath } from '../../../cluster/src/http/paths';
import { HttpStatusError } from '../../../cluster/src/http/status';

const withType = (type: string) => ({ headers: { 'content-type': type } }) as unknown as http.IncomingMessage;

describe('http hot path helpers', () => {
  it('decodes escaped segments and ignores empty ones in API paths', () => {
    assert.deepEqual(parseApiPath('/api/v1/namespaces/default/configmaps/a%3Ab'), {
      type: 'resource', path: { group: '', version: 'v1', namespace: 'default', resource: 'configmaps', name: 'a:b', subresource: undefined, watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('//api//v1/namespaces/default/pods'), {
      type: 'resource', path: { group: '', version: 'v1', namespace: 'default', resource: 'pods', name: undefined, subresource: undefined, watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('/api/v1/namespaces'), {
      type: 'resource', path: { group: '', version: 'v1', namespace: undefined, resource: 'namespaces', name: undefined, subresource: undefined, watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('/api/v1/watch/namespaces/kube-system'), {
      type: 'resource', path: { group: '', version: 'v1', resource: 'namespaces', name: 'kube-system', watchPrefix: true },
    });
    assert.deepEqual(parseApiPath('/apis/apps/v1/namespaces/d/deployments/web/scale'), {
      type: 'resource', path: { group: 'apps', version: 'v1', namespace: 'd', resource: 'deployments', name: 'web', subresource: 'scale', watchPrefix: false },
    });
    assert.deepEqual(parseApiPath('/api/v1'), { type: 'groupVersion', group: '', version: 'v1' });
    assert.deepEqual(parseApiPath('/api'), { type: 'legacyRoot' });
    assert.deepEqual(parseApiPath('/apis'), { type: 'groupList' });
    assert.equal(parseApiPath('/apis/apps/v1/watch'), undefined);
    assert.equal(parseApiPath('/api/v1/namespaces/d/pods/web/log/extra'), undefined);
  });

  it('answers the same representation for a repeated Accept, and a different one for another', () => {
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    assert.deepEqual(chooseRepresentation(table), { as: 'table', apiVersion: 'meta.k8s.io/v1' });
    assert.deepEqual(chooseRepresentation(table), { as: 'table', apiVersion: 'meta.k8s.io/v1' });
    assert.deepEqual(chooseRepresentation('application/json'), { as: 'object' });
    assert.deepEqual(chooseRepresentation('application/json;as=PartialObjectMetadata;v=v1beta1;g=meta.k8s.io'), { as: 'partial', apiVersion: 'meta.k8s.io/v1beta1' });
    // Many distinct headers (a cache bound) still answer right.
    for (let i = 0; i < 200; i++) assert.deepEqual(chooseRepresentation(`application/json;q=0.${i}`), { as: 'object' });
    assert.deepEqual(chooseRepresentation(table), { as: 'table', apiVersion: 'meta.k8s.io/v1' });
  });

  it('checks each server\'s own token when two tokens alternate', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    assert.ok(tokenMatches(`Bearer ${a}`, a));
    assert.ok(!tokenMatches(`Bearer ${a}`, b));
    assert.ok(tokenMatches(`Bearer ${b}`, b));
    assert.ok(!tokenMatches(`Bearer ${b}`, a));
    // The bearertoken authenticator splits on single spaces: `bearer a ` is a's, `bearer  a` has an empty token.
    assert.ok(tokenMatches(`bearer ${a} `, a));
    assert.ok(!tokenMatches(`bearer  ${a}`, a));
  });

  it('refuses an empty or blank body, and reads a body with surrounding blanks', () => {
    for (const blank of ['', '  \n\t ']) {
      assert.throws(() => decodeObject(withType('application/json'), Buffer.from(blank)), (e: unknown) => {
        assert.ok(e instanceof HttpStatusError);
        assert.equal(e.status.code, 400);
        assert.equal(e.status.message, 'the body of the request was empty');
        return true;
      });
    }
    assert.deepEqual(decodeObject(withType('application/json; charset=utf-8'), Buffer.from(' {"kind":"ConfigMap"}\n')), { kind: 'ConfigMap' });
  });

  it('reads dryRun only when given, and refuses an unknown value', () => {
    assert.equal(writeOptions(new URLSearchParams('')).dryRun, undefined);
    assert.equal(writeOptions(new URLSearchParams('dryRun=All')).dryRun, true);
    assert.equal(writeOptions(new URLSearchParams('dryRun=')).dryRun, undefined);
    assert.throws(() => writeOptions(new URLSearchParams('dryRun=Some')), /Invalid dryRun value: Some/);
  });

  it('takes the admin token again on a connection only with the very header that carried it', () => {
    const token = 'a'.repeat(43);
    const socket = {};
    const on = (authorization?: string) => ({ socket, headers: authorization === undefined ? {} : { authorization } }) as unknown as http.IncomingMessage;
    assert.equal(authenticate(on(`Bearer ${token}`), token, undefined)?.username, 'kubeplay-admin');
    assert.equal(authenticate(on(`Bearer ${token}`), token, undefined)?.username, 'kubeplay-admin');
    assert.equal(authenticate(on(`Bearer ${token}x`), token, undefined), undefined);
    assert.equal(authenticate(on(), token, undefined), undefined);
    assert.equal(authenticate(on(`Bearer ${token}`), 'b'.repeat(43), undefined), undefined);
    assert.equal(authenticate(on(`bearer  ${token}`), token, undefined), undefined);
  });

  it('shares frozen answers for a path sent again, and works out each Accept\'s media once', () => {
    const a = parseApiPath('/api/v1/namespaces/default/configmaps');
    assert.equal(parseApiPath('/api/v1/namespaces/default/configmaps'), a);
    assert.ok(Object.isFrozen(a) && a?.type === 'resource' && Object.isFrozen(a.path));
    assert.equal(parseApiPath('/metrics'), undefined);
    assert.equal(parseApiPath('/metrics'), undefined);
    assert.throws(() => parseApiPath('/api/v1/namespaces/a%zz/pods'), /invalid URL escape/);
    assert.throws(() => parseApiPath('/api/v1/namespaces/a%zz/pods'), /invalid URL escape/);
    for (let i = 0; i < 2; i++) {
      assert.equal(negotiateMedia('application/yaml'), 'yaml');
      assert.equal(negotiateMedia('text/html'), undefined);
      assert.equal(negotiateMedia('application/json;as=Table;v=v1;g=meta.k8s.io, application/json'), 'json');
    }
  });

  it('leaves the user as it is when no Impersonate-* header is sent', () => {
    const user = { username: 'u', groups: ['system:authenticated'] };
    const req = (headers: Record<string, string>) => ({ headers, headersDistinct: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) }) as unknown as http.IncomingMessage;
    assert.equal(impersonate(req({ authorization: 'Bearer x', 'user-agent': 'kubectl' }), user, undefined), user);
    const refused = impersonate(req({ 'impersonate-group': 'g' }), user, undefined);
    assert.equal((refused as { code?: number }).code, 500);
  });
});
