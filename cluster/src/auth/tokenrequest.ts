/**
 * The serviceaccounts/token subresource (pkg/registry/core/serviceaccount/storage/token.go):
 * POST a TokenRequest, get it back with a signed token in its status. What
 * `kubectl create token` calls.
 */
import type { KObject, WriteOptions, WriteResult } from '../contract';
import type { ApiServer } from '../apiserver/api';
import type { ResourceInfo } from '../apiserver/resources';
import { badRequest, conflict, invalid, notFound } from '../apiserver/status';
import { rfc3339 } from '../runtime/objects';
import { API_AUDIENCES, type BoundObject, type TokenIssuer } from './issuer';

const MIN_SECONDS = 600;
/** The kinds a token may be bound to, and their tables. */
const BINDABLE = new Map([['Pod', '/pods'], ['Secret', '/secrets'], ['Node', '/nodes']]);
const MAX_SECONDS = 2 ** 32;

export function requestToken(api: ApiServer, issuer: TokenIssuer, info: ResourceInfo, ns: string, name: string, body: any, opts: WriteOptions): WriteResult {
  if (body?.kind !== undefined && body.kind !== 'TokenRequest') throw badRequest(`not a TokenRequest: ${body.kind}`);
  const rawSpec = body?.spec ?? {};
  if (typeof rawSpec !== 'object' || Array.isArray(rawSpec)) throw badRequest('TokenRequest in version "v1" cannot be handled as a TokenRequest: spec must be an object');
  const spec = { ...rawSpec };
  if (spec.audiences !== undefined && spec.audiences !== null && (!Array.isArray(spec.audiences) || spec.audiences.some((a: unknown) => typeof a !== 'string'))) {
    throw badRequest('TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.audiences must be a list of strings');
  }
  spec.expirationSeconds ??= 3600;
  const exp = spec.expirationSeconds;
  if (typeof exp !== 'number' || !Number.isInteger(exp)) throw badRequest('TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.expirationSeconds must be an integer');
  // A name or namespace in the body must be the account's own (checked first, named after the account).
  const m = body?.metadata ?? {};
  if (m.name !== undefined && m.name !== '' && m.name !== name) {
    throw invalid('authentication.k8s.io', 'TokenRequest', name, [{ type: 'FieldValueInvalid', field: 'metadata.name', value: m.name, detail: 'must match the service account name if specified' }]);
  }
  if (m.namespace !== undefined && m.namespace !== '' && m.namespace !== ns) {
    throw invalid('authentication.k8s.io', 'TokenRequest', name, [{ type: 'FieldValueInvalid', field: 'metadata.namespace', value: m.namespace, detail: 'must match the service account namespace if specified' }]);
  }
  const sa = api.store.get('/serviceaccounts', ns, name);
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  if (exp < MIN_SECONDS || exp > MAX_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', '', [{
      type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: exp,
      detail: exp < MIN_SECONDS ? 'may not specify a duration less than 10 minutes' : 'may not specify a duration larger than 2^32 seconds',
    }]);
  }
  if (!Array.isArray(spec.audiences) || !spec.audiences.length) spec.audiences = API_AUDIENCES;
  const now = api.clock.now();
  // TokenREST.Create: static validation, then validating admission with the TokenRequest as it stands (its name,
  // namespace, creation time and audiences filled in, its status cleared), before the bound object is looked up.
  const warnings = api.validateCreateSubresource(info, 'token', ns, name, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { ...(body?.metadata ?? {}), name, namespace: ns, creationTimestamp: rfc3339(now) },
    spec: { ...spec, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token: '', expirationTimestamp: null },
  } as unknown as KObject, opts);
  let bound: BoundObject | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    const apiVersion = String(ref.apiVersion ?? '');
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const kind = String(ref.kind ?? '');
    const table = group === '' ? BINDABLE.get(kind) : undefined;
    // gvk.String(): group/version, Kind=kind (the core group prints as an empty group: "/v1, Kind=ConfigMap").
    if (!table) throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
    const refName = String(ref.name ?? '');
    const o = api.store.get(table, kind === 'Node' ? undefined : ns, refName);
    if (!o) throw notFound({ group: '', resource: table.slice(1) }, refName);
    if (kind === 'Pod') {
      if ((o.spec?.serviceAccountName || 'default') !== name) {
        throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      }
    }
    if (ref.uid && ref.uid !== o.metadata.uid) {
      throw conflict({ group: '', resource: kind }, refName,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    bound = { kind: kind as BoundObject['kind'], name: o.metadata.name!, uid: o.metadata.uid! };
  }
  const { token } = issuer.issue({ serviceAccount: sa, audiences: spec.audiences, requestedSeconds: exp, issuedAt: Math.floor(now / 1000), bound });
  // The answer's expiry is the one asked for, even when the token got a year (tokenLife).
  const out = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...(body?.metadata ?? {}), name, namespace: ns, uid: sa.metadata.uid, creationTimestamp: rfc3339(now) },
    spec: { ...spec, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: rfc3339(now + exp * 1000) },
  };
  return warnings ? { object: out as unknown as KObject, warnings } : { object: out as unknown as KObject };
}
