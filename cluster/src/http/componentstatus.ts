/**
 * The deprecated core/v1 ComponentStatus API (`kubectl get cs`), which older
 * tutorials still teach. Upstream does not store these objects: each request
 * probes the controller-manager, the scheduler and every etcd server and
 * answers with fresh objects (pkg/registry/core/componentstatus/rest.go), so
 * there is no resourceVersion, no watch and no write. The playground answers
 * the same way from its own components.
 *
 * Health: the simulated controller-manager and scheduler run on the
 * playground's loop for as long as it serves, and pausing only freezes the
 * clock (writes are still acted on), so there is no state in which one of
 * them is down; the store answers every request, so etcd is healthy too.
 */
import type * as http from 'node:http';
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import type { ResourcePath } from './paths';
import type { ServedResource } from './resources';
import { compileSelectors } from '../apiserver/selectors';
import { chooseRepresentation } from './negotiate';
import { isWatch, listOptions } from './options';
import { representList, representObject } from './represent';
import { HttpStatusError, failure, methodNotAllowed, notFoundPath, sendJson, sendJsonText, toStatus, type Status } from './status';

export const COMPONENT_STATUS_RESOURCE: ServedResource = {
  group: '', version: 'v1', apiVersion: 'v1', kind: 'ComponentStatus', resource: 'componentstatuses', singular: 'componentstatus',
  namespaced: false, shortNames: ['cs'], categories: [], verbs: ['get', 'list'], definition: 'io.k8s.api.core.v1.ComponentStatus', subresources: [],
};

/** The installer's deprecation warning for a type marked `prerelease-lifecycle-gen:deprecated=1.19` with no replacement. */
const COMPONENT_STATUS_WARNING = 'v1 ComponentStatus is deprecated in v1.19+';

/**
 * The servers upstream validates (the two fixed components, then one entry
 * per etcd storage config; the playground has one store), each healthy (see
 * the file comment) with its probe's body `ok`. Encoded as upstream does:
 * metadata holds the name alone (nothing is stored, and since 1.34 a zero
 * creationTimestamp is omitted rather than written as null), and an empty
 * `error` is omitted.
 */
const COMPONENT_STATUSES: readonly KObject[] = ['controller-manager', 'scheduler', 'etcd-0'].map(
  (name) => ({ kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] }) as unknown as KObject,
);

/** `Component not found: x` is a plain Go error upstream, so the apiserver answers it as a 500 without a reason. */
function componentNotFound(name: string): Status {
  const s = failure(500, '', `Component not found: ${name}`);
  delete s.reason;
  return s;
}

/** A storage without a watcher refuses `watch` on its list route (errors.NewMethodNotSupported). */
function watchNotSupported(): Status {
  return failure(405, 'MethodNotAllowed', 'watch is not supported on resources of kind "componentstatuses"', { kind: 'componentstatuses' });
}

/**
 * The list filtered as rest.go filters it: by label (none are ever set) and by
 * field through the scheme's default conversion (ComponentStatus registers
 * none). `limit` and `continue` are ignored, as upstream's List ignores them.
 */
function listComponentStatuses(q: URLSearchParams): KObject[] {
  const opts = listOptions(q);
  const pred = compileSelectors('/componentstatuses', opts.labelSelector, opts.fieldSelector);
  return pred ? COMPONENT_STATUSES.filter(pred) : [...COMPONENT_STATUSES];
}

/** GET of the list or of one item; any other method finds no route (go-restful's 405). */
export function serveComponentStatus(ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, p: ResourcePath, q: URLSearchParams): void {
  const r = COMPONENT_STATUS_RESOURCE;
  if (p.watchPrefix) throw new HttpStatusError(notFoundPath());
  if (req.method !== 'GET') throw new HttpStatusError(methodNotAllowed());
  const warnings = [COMPONENT_STATUS_WARNING];
  try {
    const rep = chooseRepresentation(req.headers.accept);
    const now = ctx.now();
    if (p.name === undefined) {
      if (isWatch(q)) throw new HttpStatusError(watchNotSupported());
      sendJsonText(res, 200, representList(r, { items: listComponentStatuses(q), resourceVersion: '' }, rep, q, now), warnings);
      return;
    }
    const obj = COMPONENT_STATUSES.find((o) => o.metadata.name === p.name);
    if (!obj) throw new HttpStatusError(componentNotFound(p.name));
    sendJson(res, 200, representObject(r, obj, rep, q, now), warnings);
  } catch (err) {
    // The warning is recorded before the handler runs, so refusals carry it too.
    const s = toStatus(err);
    sendJson(res, s.code, s, warnings);
  }
}
