/**
 * The resource metrics API, metrics.k8s.io/v1beta1, as metrics-server serves
 * it behind the aggregator: PodMetrics and NodeMetrics, read-only, computed
 * at each request from the cluster's pods and nodes (cluster/src/metrics).
 * `kubectl top` and the horizontal pod autoscaler read it. Nothing is
 * stored, so there is no resourceVersion and no watch.
 */
import type * as http from 'node:http';
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import type { ResourcePath } from './paths';
import type { ServedResource } from './resources';
import { loadShares, metricsServerReady, nodeMetrics, podMetrics } from '../metrics/usage';
import { compileSelectors } from '../apiserver/selectors';
import { chooseRepresentation } from './negotiate';
import { isWatch, listOptions } from './options';
import { representList, representObject } from './represent';
import { HttpStatusError, failure, methodNotAllowed, sendJson, sendJsonText } from './status';

const served = (kind: string, resource: string, namespaced: boolean): ServedResource => ({
  group: 'metrics.k8s.io', version: 'v1beta1', apiVersion: 'metrics.k8s.io/v1beta1', kind, resource, singular: '',
  namespaced, shortNames: [], categories: [], verbs: ['get', 'list'], definition: '', subresources: [],
});

export const POD_METRICS_RESOURCE = served('PodMetrics', 'pods', true);
export const NODE_METRICS_RESOURCE = served('NodeMetrics', 'nodes', false);
export const METRICS_RESOURCES: ServedResource[] = [NODE_METRICS_RESOURCE, POD_METRICS_RESOURCE];

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

function notFound(resource: string, name: string): never {
  throw new HttpStatusError(failure(404, 'NotFound', `${resource}.metrics.k8s.io ${JSON.stringify(name)} not found`, { name, group: 'metrics.k8s.io', kind: resource }));
}

/** Pods with metrics in a namespace (or all), filtered by the list's label selector. */
function listPodMetrics(ctx: HttpContext, ns: string | undefined, q: URLSearchParams): KObject[] {
  const opts = listOptions(q);
  const now = ctx.now();
  const out: KObject[] = [];
  const share = loadShares(ctx.api.list(PODS, ns, {}).items);
  for (const p of ctx.api.list(PODS, ns, { labelSelector: opts.labelSelector }).items) {
    const m = podMetrics(p, now, share);
    if (m) out.push(m as unknown as KObject);
  }
  const byField = compileSelectors('metrics.k8s.io/pods', undefined, opts.fieldSelector);
  return byField ? out.filter(byField) : out;
}

function listNodeMetrics(ctx: HttpContext, q: URLSearchParams): KObject[] {
  const opts = listOptions(q);
  const now = ctx.now();
  const pods = ctx.api.list(PODS, undefined, {}).items;
  const share = loadShares(pods);
  const byNode = new Map<string, KObject[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    if (!byNode.has(n)) byNode.set(n, []);
    byNode.get(n)!.push(p);
  }
  const out: KObject[] = [];
  for (const node of ctx.api.list(NODES, undefined, { labelSelector: opts.labelSelector }).items) {
    const m = nodeMetrics(node, byNode.get(node.metadata.name!) ?? [], now, share);
    if (m) out.push(m as unknown as KObject);
  }
  return out;
}

const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

export function serveMetrics(ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, r: ServedResource, p: ResourcePath, q: URLSearchParams): void {
  // The aggregator's proxy, while metrics-server has no ready endpoint: a plain-text 503.
  if (!metricsServerReady(ctx.api.list(SLICES, 'kube-system', { labelSelector: 'kubernetes.io/service-name=metrics-server' }).items)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end('service unavailable\n');
    return;
  }
  if (req.method !== 'GET' || p.subresource) throw new HttpStatusError(methodNotAllowed());
  if (p.watchPrefix || isWatch(q)) throw new HttpStatusError(failure(405, 'MethodNotAllowed', `watch is not supported on resources of kind "${r.resource}"`, { kind: r.resource }));
  const rep = chooseRepresentation(req.headers.accept);
  const now = ctx.now();
  if (r === POD_METRICS_RESOURCE) {
    if (p.name === undefined) {
      sendJsonText(res, 200, representList(r, { items: listPodMetrics(ctx, p.namespace, q), resourceVersion: '' }, rep, q, now));
      return;
    }
    const ns = p.namespace ?? 'default';
    let pod: KObject | undefined;
    try { pod = ctx.api.get(PODS, ns, p.name); } catch { pod = undefined; }
    // metrics-server looks the pod up first: a pod that does not exist is pods "x" not found.
    if (!pod) throw new HttpStatusError(failure(404, 'NotFound', `pods ${JSON.stringify(p.name)} not found`, { name: p.name, kind: 'pods' }));
    const m = podMetrics(pod, now, loadShares(ctx.api.list(PODS, ns, {}).items));
    if (!m) notFound('podmetrics', `${ns}/${p.name}`);
    sendJson(res, 200, representObject(r, m as unknown as KObject, rep, q, now));
    return;
  }
  if (p.name === undefined) {
    sendJsonText(res, 200, representList(r, { items: listNodeMetrics(ctx, q), resourceVersion: '' }, rep, q, now));
    return;
  }
  let node: KObject | undefined;
  try { node = ctx.api.get(NODES, undefined, p.name); } catch { node = undefined; }
  if (!node) throw new HttpStatusError(failure(404, 'NotFound', `nodes ${JSON.stringify(p.name)} not found`, { name: p.name, kind: 'nodes' }));
  const m = listNodeMetrics(ctx, new URLSearchParams()).find((n) => n.metadata.name === p.name);
  if (!m) notFound('nodemetrics', p.name);
  sendJson(res, 200, representObject(r, m, rep, q, now));
}
