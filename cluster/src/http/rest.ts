/**
 * CRUD for every served resource: the verbs map onto the semantic Api, and
 * the answers keep upstream's codes (201 on create, 202 on a pending delete).
 */
import type * as http from 'node:http';
import type { GVR, KObject } from '../contract';
import type { HttpContext } from './context';
import type { ResourcePath } from './paths';
import type { ServedResource } from './resources';
import { bodyOf, chooseRepresentation, decodeObject, decodePatch, negotiateMedia } from './negotiate';
import { invalid } from '../apiserver/status';
import { checkResourceVersion, deleteOptions, isWatch, listOptions, tooLargeResourceVersion, validateListOptions, writeOptions } from './options';
import { representList, representObject } from './represent';
import { STREAMING, streamingNotAvailable } from './streaming';
import { HttpStatusError, badRequest, deprecatedApiWarning, markYaml, methodNotAllowed, notAcceptable, notFoundPath, sendJson, sendJsonText } from './status';
import { serveWatch } from './watch';
import { serveLogs } from './logs';
import { answerReview } from './reviews';
import { requestUser } from './auth';
import { COMPONENT_STATUS_RESOURCE, serveComponentStatus } from './componentstatus';
import { serveMetrics } from './metrics';
import { serveProxy } from './proxy';
import { Interner } from '../runtime/intern';

/** The query's write options, and who asks (RBAC's escalation check reads it). */
const writeOptionsOf = (req: http.IncomingMessage, q: URLSearchParams) => {
  const o = writeOptions(q);
  // managerOrUserAgent: without ?fieldManager= the write is the client's, named by its User-Agent up to the first
  // `/` (printable characters, at most 128): `kubectl scale` owns spec.replicas as "kubectl".
  o.fieldManager ??= managerFromUserAgent(req.headers['user-agent']);
  // The options are this request's own: they take the user rather than being copied with it.
  o.user = requestUser(req);
  return o;
};

/** The manager each distinct User-Agent names, worked out once: a client sends the same one with every write. */
const managers = new Interner<string | null>(64);

function managerFromUserAgent(ua: string | undefined): string | undefined {
  if (!ua) return undefined;
  return managers.get(ua, managerOf) ?? undefined;
}
const managerOf = (ua: string): string | null => [...ua.split('/')[0]].filter((c) => c >= ' ' && c !== '\x7f').slice(0, 128).join('') || null;

/** Subresources that only take a POST. */
const CREATE_ONLY = new Set(['binding', 'eviction', 'token']);

/** The request's query string as sent (the proxy passes it on untouched). */
function rawQuery(req: http.IncomingMessage): string {
  const url = req.url ?? '';
  const qi = url.indexOf('?');
  return qi < 0 ? '' : url.slice(qi + 1);
}

/** Resources served but deprecated, with the warning every request to them gets (KEP-4974 for Endpoints, 1.33). */
const DEPRECATED_RESOURCES: Record<string, string> = {
  '/v1/endpoints': 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
};

export function handleResource(ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, p: ResourcePath, q: URLSearchParams): void {
  const r = ctx.registry.get(p.group, p.version, p.resource);
  if (!r) throw new HttpStatusError(notFoundPath());
  if (r === COMPONENT_STATUS_RESOURCE && !p.subresource && p.namespace === undefined) return serveComponentStatus(ctx, req, res, p, q);
  // metrics.k8s.io, as metrics-server answers behind the aggregator (checked before the scope rules, which it applies itself).
  if (r.group === 'metrics.k8s.io') {
    if (!r.namespaced && p.namespace !== undefined) throw new HttpStatusError(notFoundPath());
    return serveMetrics(ctx, req, res, r, p, q);
  }
  if (p.subresource === 'proxy' && r.group === '' && (r.resource === 'pods' || r.resource === 'services')) {
    return serveProxy(ctx, req, res, p, rawQuery(req));
  }
  if (p.subresource && STREAMING.has(p.subresource) && (r.resource === 'pods' || r.resource === 'services' || r.resource === 'nodes')) {
    throw new HttpStatusError(streamingNotAvailable(r.resource, p.subresource));
  }
  if (p.subresource && !r.subresources.some((s) => s.name === p.subresource)) throw new HttpStatusError(notFoundPath());
  const deprecated = DEPRECATED_RESOURCES[`${r.group}/${r.version}/${r.resource}`];
  if (deprecated) deprecatedApiWarning(res, deprecated);
  // A namespaced object needs its namespace; a cluster-scoped one must not have one.
  if (!r.namespaced && p.namespace !== undefined) throw new HttpStatusError(notFoundPath());
  if (r.namespaced && p.name !== undefined && p.namespace === undefined) throw new HttpStatusError(notFoundPath());
  const gvr: GVR = { group: r.group, version: r.version, resource: r.resource };
  const ns = r.namespaced ? p.namespace : undefined;
  const media = negotiateMedia(req.headers.accept);
  // A watch streams JSON or protobuf only: YAML has no stream framing (NegotiateOutputMediaTypeStream).
  if (!media || (media === 'yaml' && isWatch(q))) {
    throw new HttpStatusError(notAcceptable(isWatch(q)
      ? ['application/json', 'application/vnd.kubernetes.protobuf', 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch']
      : ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']));
  }
  if (media === 'yaml') markYaml(res);
  const rep = chooseRepresentation(req.headers.accept);
  const method = req.method ?? 'GET';
  if (r.verbs.length === 1 && r.verbs[0] === 'create') {
    if (method !== 'POST' || p.name !== undefined) throw new HttpStatusError(methodNotAllowed());
    // A namespaced create-only resource has no cluster-wide route (the installer adds one for list and watch only).
    if (r.namespaced && ns === undefined) throw new HttpStatusError(notFoundPath());
    // The legacy Binding REST: a create, as the pods' binding subresource does.
    if (r.group === '' && r.resource === 'bindings') {
      const out = ctx.api.create(gvr, ns, checkBody(r, decodeObject(req, bodyOf(req)), ns), writeOptionsOf(req, q));
      ctx.afterWrite();
      sendJson(res, 201, representObject(r, out.object, rep, q, ctx.now()), out.warnings);
      return;
    }
    const answer = answerReview(r, decodeObject(req, bodyOf(req)), requestUser(req), ctx.auth, ns);
    if (answer === undefined) throw new HttpStatusError(notFoundPath());
    sendJson(res, 201, answer);
    return;
  }

  if (p.watchPrefix || (method === 'GET' && isWatch(q))) {
    if (method !== 'GET' || p.subresource) throw new HttpStatusError(methodNotAllowed());
    if (p.name) q.set('fieldSelector', [q.get('fieldSelector'), `metadata.name=${p.name}`].filter(Boolean).join(','));
    serveWatch(ctx, req, res, r, ns, q, rep);
    return;
  }

  if (p.name === undefined) {
    switch (method) {
      case 'GET': {
        if (r.namespaced && p.namespace === undefined && !r.verbs.includes('list')) throw new HttpStatusError(methodNotAllowed());
        validateListOptions(q, false);
        checkResourceVersion(q, 'list');
        const l = ctx.pager.list(ctx.api, gvr, ns, listOptions(q));
        tooLargeResourceVersion(q.get('resourceVersion'), l.resourceVersion);
        sendJsonText(res, 200, representList(r, l, rep, q, ctx.now()));
        return;
      }
      case 'POST': {
        if (r.namespaced && p.namespace === undefined) throw new HttpStatusError(methodNotAllowed());
        const obj = checkBody(r, decodeObject(req, bodyOf(req)), ns);
        const out = ctx.api.create(gvr, ns, obj, writeOptionsOf(req, q));
        ctx.afterWrite();
        sendJson(res, 201, representObject(r, out.object, rep, q, ctx.now()), out.warnings);
        return;
      }
      case 'DELETE': {
        // deletecollection is routed per namespace only: the all-namespaces path serves list and watch (installer.go).
        if ((r.namespaced && p.namespace === undefined) || !r.verbs.includes('deletecollection')) throw new HttpStatusError(methodNotAllowed());
        const body = optionalBody(req);
        const opts = { ...deleteOptions(q, body), user: requestUser(req) };
        const l = ctx.api.list(gvr, ns, listOptions(q));
        const deleted: KObject[] = [];
        for (const item of l.items) deleted.push(ctx.api.delete(gvr, item.metadata.namespace ?? ns, item.metadata.name!, opts));
        ctx.afterWrite();
        sendJsonText(res, 200, representList(r, { items: deleted, resourceVersion: l.resourceVersion }, rep, q, ctx.now()));
        return;
      }
      default:
        throw new HttpStatusError(methodNotAllowed());
    }
  }

  const name = p.name;
  const sub = p.subresource;
  if (sub === 'log') {
    if (method !== 'GET') throw new HttpStatusError(methodNotAllowed());
    serveLogs(ctx, req, res, ns!, name, q);
    return;
  }
  switch (method) {
    case 'GET': {
      if (CREATE_ONLY.has(sub ?? '')) throw new HttpStatusError(methodNotAllowed());
      checkResourceVersion(q, 'get');
      const obj = ctx.api.get(gvr, ns, name, sub);
      sendJson(res, 200, sub === 'scale' ? obj : representObject(r, obj, rep, q, ctx.now()));
      return;
    }
    case 'POST': {
      if (!CREATE_ONLY.has(sub ?? '')) throw new HttpStatusError(methodNotAllowed());
      const body = decodeObject(req, bodyOf(req));
      // A binding, eviction or TokenRequest is its client's write too: admission's request.userInfo names who asks.
      const out = ctx.api.create(gvr, ns, body, { ...writeOptions(q), user: requestUser(req) }, sub, name);
      ctx.afterWrite();
      // A TokenRequest comes back with its token; binding and eviction answer with a Status.
      sendJson(res, 201, sub === 'token' ? out.object : successStatus(201), out.warnings);
      return;
    }
    case 'PUT': {
      if (CREATE_ONLY.has(sub ?? '')) throw new HttpStatusError(methodNotAllowed());
      const obj = decodeObject(req, bodyOf(req));
      if (sub !== 'scale') checkBody(r, obj, ns);
      const bodyName = obj?.metadata?.name;
      if (bodyName !== undefined && bodyName !== name) {
        throw new HttpStatusError(badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`));
      }
      obj.metadata = { ...(obj.metadata ?? {}), name };
      const out = ctx.api.update(gvr, ns, obj, writeOptionsOf(req, q), sub);
      ctx.afterWrite();
      sendJson(res, 200, sub === 'scale' ? out.object : representObject(r, out.object, rep, q, ctx.now()), out.warnings);
      return;
    }
    case 'PATCH': {
      if (CREATE_ONLY.has(sub ?? '')) throw new HttpStatusError(methodNotAllowed());
      const { type, patch } = decodePatch(req, bodyOf(req));
      const opts = writeOptionsOf(req, q);
      // ValidatePatchOptions: 422 Invalid PatchOptions.meta.k8s.io, with its causes.
      if (type === 'apply' && !opts.fieldManager) {
        throw invalid('meta.k8s.io', 'PatchOptions', '', [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' }]);
      }
      if (type !== 'apply' && (opts.force || q.has('force'))) {
        throw invalid('meta.k8s.io', 'PatchOptions', '', [{ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' }]);
      }
      const existedBefore = type === 'apply' ? exists(ctx, gvr, ns, name, sub) : true;
      const out = ctx.api.patch(gvr, ns, name, type, patch, opts, sub);
      ctx.afterWrite();
      sendJson(res, existedBefore ? 200 : 201, sub === 'scale' ? out.object : representObject(r, out.object, rep, q, ctx.now()), out.warnings);
      return;
    }
    case 'DELETE': {
      if (sub) throw new HttpStatusError(methodNotAllowed());
      const body = optionalBody(req);
      const opts = { ...deleteOptions(q, body), user: requestUser(req) };
      const obj = ctx.api.delete(gvr, ns, name, opts);
      ctx.afterWrite();
      const gone = opts.dryRun ? true : !sameObjectStill(ctx, gvr, ns, name, obj?.metadata?.uid);
      // delete.go: 202 only for an object still there when the (deprecated) orphanDependents said false.
      const orphanFalse = (body && body.orphanDependents === false) || q.get('orphanDependents') === 'false';
      const code = !gone && orphanFalse ? 202 : 200;
      // finalizeDelete: a resource whose store does not return the deleted object answers with a Status naming it.
      if (gone && !RETURNS_DELETED_OBJECT.has(`${r.group}/${r.resource}`)) {
        sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(r.group ? { group: r.group } : {}), kind: r.resource, uid: obj?.metadata?.uid } });
        return;
      }
      sendJson(res, code, representObject(r, obj, rep, q, ctx.now()));
      return;
    }
    default:
      throw new HttpStatusError(methodNotAllowed());
  }
}

function exists(ctx: HttpContext, gvr: GVR, ns: string | undefined, name: string, sub?: string): boolean {
  try {
    ctx.api.get(gvr, ns, name, sub);
    return true;
  } catch {
    return false;
  }
}

/** The built-in resources whose registry sets ReturnDeletedObject: a delete answers with the object itself. */
const RETURNS_DELETED_OBJECT = new Set([
  '/pods', '/services', '/namespaces', '/persistentvolumes', '/persistentvolumeclaims', '/serviceaccounts', '/resourcequotas', '/podtemplates',
  'storage.k8s.io/storageclasses', 'storage.k8s.io/volumeattachments', 'storage.k8s.io/csidrivers', 'storage.k8s.io/csinodes',
  'storage.k8s.io/volumeattributesclasses',
]);

/** Whether the object `uid` is still stored (a graceful delete, or finalizers to run). */
function sameObjectStill(ctx: HttpContext, gvr: GVR, ns: string | undefined, name: string, uid: string | undefined): boolean {
  try {
    return ctx.api.get(gvr, ns, name).metadata.uid === uid;
  } catch {
    return false;
  }
}

function successStatus(code: number) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

/** The namespace in the body must agree with the URL's; a missing one is taken from the URL, as upstream does. */
function checkBody(r: ServedResource, obj: any, ns: string | undefined): KObject {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new HttpStatusError(badRequest('the body of the request was not a JSON object'));
  obj.metadata = obj.metadata ?? {};
  if (r.namespaced) {
    if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
      throw new HttpStatusError(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
    }
    if (ns) obj.metadata.namespace = ns;
  }
  if (!obj.apiVersion) obj.apiVersion = r.apiVersion;
  if (!obj.kind) obj.kind = r.kind;
  return obj as KObject;
}

function optionalBody(req: http.IncomingMessage): any {
  const buf = bodyOf(req);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') return undefined;
  return decodeObject(req, buf);
}
