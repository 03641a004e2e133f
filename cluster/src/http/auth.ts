/**
 * Who is asking, and may they: the bearer token is the playground's own
 * (the kubeconfig's user, in system:masters) or a service-account token the
 * playground signed, or a client certificate the cluster CA signed; `Impersonate-*` headers (`kubectl --as`) then act as
 * another user when RBAC lets the caller impersonate; and RBAC decides for
 * everyone outside system:masters. Requests are tagged with their user, so
 * the review resources answer for the user who asked.
 */
import type * as http from 'node:http';
import type { Store } from '../store/store';
import type { TokenIssuer, UserInfo } from '../auth/issuer';
import { serviceAccountUser } from '../auth/issuer';
import { authorize, forbiddenMessage, MASTERS, type RequestAttributes } from '../auth/rbac';
import { bearerToken, tokenMatches } from './kubeconfig';
import type { ApiPath } from './paths';
import { failure, type Status } from './status';
import type { ClientCertificateAuthenticator } from './x509auth';

const ADMIN: UserInfo = { username: 'kubeplay-admin', groups: [MASTERS, 'system:authenticated'] };

/** The parts RBAC needs; absent on a server without a playground, where the token's holder is the only user. */
export interface AuthSources {
  store: Store;
  tokens: TokenIssuer;
  /** Client certificates signed by the client CA (x509auth.ts), when the server asks for them. */
  certificates?: ClientCertificateAuthenticator;
}

const users = new WeakMap<http.IncomingMessage, UserInfo>();

const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The user a request was authenticated (and perhaps impersonated) as; nobody, if it never was (fail closed). */
export function requestUser(req: http.IncomingMessage): UserInfo {
  return users.get(req) ?? ANONYMOUS;
}


/**
 * The Authorization header that carried the admin token on each connection, so a client's next requests with the
 * same header are not compared in constant time again (a Buffer and a comparison per request). Comparing with what
 * this connection's own client sent before tells it nothing through timing that it does not know already.
 */
const adminHeaders = new WeakMap<object, { header: string; token: string }>();

export function authenticate(req: http.IncomingMessage, adminToken: string, auth: AuthSources | undefined): UserInfo | undefined {
  // The union authenticator asks the x509 one first: a valid client certificate names the user, token or not.
  const byCertificate = auth?.certificates?.authenticate(req);
  if (byCertificate) return byCertificate;
  const header = req.headers.authorization;
  const socket = req.socket as object | undefined;
  const known = socket && adminHeaders.get(socket);
  if (known && known.header === header && known.token === adminToken) return ADMIN;
  if (tokenMatches(header, adminToken)) {
    if (socket && header !== undefined) adminHeaders.set(socket, { header, token: adminToken });
    return ADMIN;
  }
  const token = bearerToken(header);
  return token && auth ? auth.tokens.authenticate(token) : undefined;
}

/** Each line of a repeated header is one value, as Go's Header keeps them (a group name may hold a comma). */
function headerList(req: http.IncomingMessage, name: string): string[] {
  const v = req.headersDistinct?.[name] ?? req.headers[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean);
}

/** Whether the request has any `Impersonate-*` header (Node gives header names in lower case). */
function impersonates(req: http.IncomingMessage): boolean {
  for (const h in req.headers) if (h.startsWith('impersonate-')) return true;
  return false;
}

/** forbidden for a request: `pods "web" is forbidden: User "…" cannot get resource …`. */
function forbiddenStatus(user: UserInfo, a: RequestAttributes, reason?: string): Status {
  const why = forbiddenMessage(user, a, reason);
  if (a.path !== undefined) return failure(403, 'Forbidden', `forbidden: ${why}`, {});
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource!;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, { name: a.name || undefined, group: a.apiGroup || undefined, kind: a.resource });
}

/**
 * The user after `Impersonate-User` / `Impersonate-Group` (pkg/endpoints/filters/impersonation.go): each
 * impersonated user, service account and group must be allowed the `impersonate` verb. Returns a Status to refuse with.
 */
export function impersonate(req: http.IncomingMessage, user: UserInfo, auth: AuthSources | undefined): UserInfo | Status {
  // Most requests impersonate nobody: one look at the header names spares building their lists.
  if (!impersonates(req)) return user;
  const name = headerList(req, 'impersonate-user')[0];
  const groups = headerList(req, 'impersonate-group');
  const uid = headerList(req, 'impersonate-uid')[0];
  // Impersonate-Extra-<key>: the key lower-cased, then unescaped (a key may hold %-escapes); repeated keys add up.
  const extra = new Map<string, string[]>();
  for (const h of Object.keys(req.headers)) {
    if (!h.startsWith('impersonate-extra-')) continue;
    let key = h.slice('impersonate-extra-'.length).toLowerCase();
    try {
      key = decodeURIComponent(key);
    } catch {
      /* a key that is not an escape stays as sent */
    }
    extra.set(key, [...(extra.get(key) ?? []), ...headerList(req, h)]);
  }
  if (name === undefined) {
    if (groups.length || extra.size || uid !== undefined) {
      const what = [...groups.map((g) => `{Group  ${g}    }`), ...[...extra].flatMap(([k, vs]) => vs.map((v) => `{UserExtra  ${v}   ${k}}`)), ...(uid !== undefined ? [`{UID  ${uid}    }`] : [])];
      return failure(500, 'InternalError', `Internal error occurred: requested [${what.join(' ')}] without impersonating a user`);
    }
    return user;
  }
  // In upstream's order: the user (or service account), its groups, its extras, its uid.
  const checks: RequestAttributes[] = [];
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  checks.push(sa ? { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] } : { verb: 'impersonate', apiGroup: '', resource: 'users', name });
  for (const g of groups) checks.push({ verb: 'impersonate', apiGroup: '', resource: 'groups', name: g });
  for (const [key, vs] of extra) for (const v of vs) checks.push({ verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v });
  if (uid !== undefined) checks.push({ verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
  for (const a of checks) {
    const d = auth ? authorize(auth.store, user, a) : { allowed: user.groups.includes(MASTERS), reason: undefined };
    if (!d.allowed) return forbiddenStatus(user, a, d.reason);
  }
  const base: UserInfo = sa && !groups.length ? serviceAccountUser(sa[1], sa[2]) : { username: name, groups: [...groups] };
  // Someone impersonated is authenticated, unless it is the anonymous user, who is unauthenticated (impersonation.go).
  const group = name === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated';
  if (!base.groups.includes(group)) base.groups.push(group);
  return {
    username: base.username,
    ...(uid !== undefined ? { uid } : {}),
    groups: base.groups,
    ...(extra.size ? { extra: Object.fromEntries(extra) } : {}),
  };
}

/** RequestInfoFactory: the verb, group, resource, subresource, namespace and name RBAC sees for a request. */
export function requestAttributes(method: string, pathname: string, ap: ApiPath | undefined, q: URLSearchParams): RequestAttributes {
  if (ap?.type !== 'resource') return { verb: method.toLowerCase(), path: pathname };
  const p = ap.path;
  let verb: string;
  switch (method) {
    case 'POST': verb = 'create'; break;
    case 'PUT': verb = 'update'; break;
    case 'PATCH': verb = 'patch'; break;
    case 'DELETE': verb = p.name === undefined ? 'deletecollection' : 'delete'; break;
    // Only a request without a name is a list or a watch; a named GET stays a get, `?watch` or not.
    default: verb = p.watchPrefix ? 'watch' : p.name !== undefined ? 'get' : q.get('watch') === 'true' || q.get('watch') === '1' ? 'watch' : 'list';
  }
  // A list or watch of one name by field selector counts as that name, so resourceNames rules cover `kubectl get pod x -w`.
  let name = p.name;
  if ((verb === 'list' || verb === 'watch') && name === undefined) {
    const m = /^metadata\.name==?([^,]+)$/.exec(q.get('fieldSelector') ?? '');
    if (m) name = m[1];
  }
  // A namespace object's own requests count as in that namespace.
  const namespace = p.namespace ?? (p.group === '' && p.resource === 'namespaces' ? p.name : undefined);
  return { verb, apiGroup: p.group, resource: p.resource, subresource: p.subresource, namespace, name };
}

/** Tags the request with its user, or returns the Status to refuse it with (401 or 403). */
export function admitRequest(
  req: http.IncomingMessage, adminToken: string, auth: AuthSources | undefined, attrs: () => RequestAttributes | RequestAttributes[],
  authenticated?: (user: UserInfo) => void,
): Status | undefined {
  const who = authenticate(req, adminToken, auth);
  if (!who) return failure(401, 'Unauthorized', 'Unauthorized');
  const user = impersonate(req, who, auth);
  if ('kind' in user) return user;
  users.set(req, user);
  // The filters between impersonation and authorization (API Priority and Fairness) see the user first.
  authenticated?.(user);
  if (user.groups.includes(MASTERS)) return undefined;
  const all = attrs();
  for (const a of Array.isArray(all) ? all : [all]) {
    if (!auth) return forbiddenStatus(user, a);
    const d = authorize(auth.store, user, a);
    if (!d.allowed) return forbiddenStatus(user, a, d.reason);
  }
  return undefined;
}
