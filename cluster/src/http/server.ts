/**
 * The playground's HTTPS front door: token check, then the Kubernetes API
 * (version, health, discovery, OpenAPI, resources) and the /kubeplay/v1
 * extras. Built on node:https alone; every answer is upstream-shaped JSON.
 */
import * as https from 'node:https';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Api, Playground } from '../contract';
import type { SchemaData } from '../../../kube/src/schema/types';
import { allResources, type ResourceInfo } from '../apiserver/resources';
import { customResourcesOf } from '../apiserver/crd/registry';
import { isStatusError } from '../apiserver/status';
import type { Store } from '../store/store';
import { KUBELET_VERSION } from '../kubelet/nodes';
import type { HttpContext } from './context';
import { AGGREGATED_V2, AGGREGATED_V2BETA1, aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery';
import { TimeDriver } from './driver';
import { handleExtras } from './extras';
import { createExecUpgrade } from './exec';
import { NodePortExposer } from './nodeports';
import { healthText, sendHealth } from './health';
import { admitRequest, requestAttributes, type AuthSources } from './auth';
import { ClientCertificateAuthenticator } from './x509auth';
import type { RequestAttributes } from '../auth/rbac';
import type { UserInfo } from '../auth/issuer';
import { readBodyFirst, wantsAggregated } from './negotiate';
import { fromPod, serveInCluster } from './incluster';
import { APISERVER_ENDPOINT_IP, APISERVER_PORT } from '../network/apiserver';
import { OpenApi } from './openapi';
import { parseApiPath, type ApiPath } from './paths';
import { ResourceRegistry } from './resources';
import { REVIEW_RESOURCES } from './reviews';
import { serveIssuerDiscovery } from './oidc';
import { COMPONENT_STATUS_RESOURCE } from './componentstatus';
import { METRICS_RESOURCES } from './metrics';
import { Pager } from './paging';
import { handleResource } from './rest';
import { HttpStatusError, markPretty, notFoundPath, sendJson, sendJsonText, sendStatus, toStatus, unauthorized } from './status';

export interface ApiHttpServerOptions {
  /** The semantic Api; defaults to `playground.api`. */
  api?: Api;
  playground?: Playground;
  schema: SchemaData;
  /** The apiserver's resource table; defaults to cluster/src/apiserver/resources. */
  served?: ResourceInfo[];
  token: string;
  /** Service-account tokens and RBAC (default: the playground's own store and issuer). */
  auth?: AuthSources;
  tls: { cert: string; key: string };
  /** The CA whose client certificates authenticate their CommonName (--client-ca-file); none: tokens only. */
  clientCa?: string;
  address?: string;
  port?: number;
  /** Simulated seconds per wall second; a playground keeps its own when absent. */
  speed?: number;
  /** Runs the playground loop (defaults to `playground.settle`); for a bare Api in tests. */
  settle?: () => void;
  /** Simulated now; defaults to the playground's clock. */
  now?: () => number;
  logs?: (namespace: string, pod: string, container?: string, previous?: boolean) => string[];
  /** Open NodePort Services' node ports on the serving address, as Docker Desktop does (nodeports.ts). */
  exposeNodePorts?: boolean;
  /** Where the exposer says which ports it opened, or could not. */
  log?: (line: string) => void;
  /** ingress-nginx's default certificate for its HTTPS NodePort (tls.ts ingressFakeCertificate). */
  ingressCertificate?: () => { cert: string; key: string };
}

export interface ApiHttpServer {
  url: string;
  port: number;
  address: string;
  driver: TimeDriver;
  context: HttpContext;
  /** The NodePort exposer, when `exposeNodePorts` was asked for. */
  nodePorts?: NodePortExposer;
  close(): Promise<void>;
}

/**
 * `1.34` -> `v1.34.1+kubeplay`, the patch release the simulated kubelets
 * report, so server and nodes agree as on a fresh cluster; build metadata
 * keeps semver comparisons with v1.34.1 equal.
 */
export function gitVersionOf(kubernetesVersion: string): string {
  const [maj, min] = kubernetesVersion.split('.');
  const patch = KUBELET_VERSION.startsWith(`v${maj}.${min}.`) ? KUBELET_VERSION.split('.')[2] : '0';
  return `v${maj}.${min}.${patch}+kubeplay`;
}

function versionInfo(kubernetesVersion: string) {
  const [major, minor] = kubernetesVersion.split('.');
  return {
    major, minor,
    emulationMajor: major, emulationMinor: minor,
    minCompatibilityMajor: major, minCompatibilityMinor: String(Number(minor) - 1),
    gitVersion: gitVersionOf(kubernetesVersion),
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

const OPENAPI_V2_PROTO = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** client-go asks for protobuf only; a client that lists JSON first gets JSON. */
function wantsProtobufOpenApi(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0].trim().split(';')[0].trim().toLowerCase();
  return first === OPENAPI_V2_PROTO || first.startsWith('application/com.github.proto-openapi.spec.v2');
}

/**
 * WithPriorityAndFairness (runs after impersonation, before authorization): the UIDs of the FlowSchema and priority
 * level a request was classified into, in every answer but those of long-running requests other than watches
 * (BasicLongRunningRequestCheck: the proxy verb, and the attach, exec, log, portforward and proxy subresources).
 */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'log', 'portforward', 'proxy']);
function markFlow(pg: Playground | undefined, res: http.ServerResponse, user: UserInfo, a: RequestAttributes): void {
  if (!pg?.classifyFlow || (a.subresource && LONG_RUNNING_SUBRESOURCES.has(a.subresource))) return;
  const c = pg.classifyFlow({ user, verb: a.verb, apiGroup: a.apiGroup, resource: a.resource, subresource: a.subresource, namespace: a.namespace, path: a.path });
  if (!c) return;
  // Go's Header.Set writes the canonical form of flowcontrol.ResponseHeaderMatched*UID.
  res.setHeader('X-Kubernetes-Pf-Flowschema-Uid', c.flowSchemaUID);
  res.setHeader('X-Kubernetes-Pf-Prioritylevel-Uid', c.priorityLevelUID);
}

function sendRawJson(res: http.ServerResponse, text: string, contentType = 'application/json'): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** A playground's store and token issuer, when it has them (RBAC and service-account tokens need both). */
function authSourcesOf(pg: unknown): AuthSources | undefined {
  const x = pg as { store?: AuthSources['store']; tokens?: AuthSources['tokens'] } | undefined;
  return x?.store && x.tokens ? { store: x.store, tokens: x.tokens } : undefined;
}

export function startApiHttpServer(opts: ApiHttpServerOptions): Promise<ApiHttpServer> {
  const pg = opts.playground;
  const api = opts.api ?? pg?.api;
  if (!api) throw new Error('startApiHttpServer needs an api or a playground');
  // The custom resources of the store the apiserver serves (a reset builds a new registry for the same store).
  const store = ((pg as { store?: Store } | undefined)?.store ?? (api as { store?: Store }).store);
  const registry = new ResourceRegistry(opts.served ?? allResources(), opts.schema, [...REVIEW_RESOURCES, COMPONENT_STATUS_RESOURCE, ...METRICS_RESOURCES], () => customResourcesOf(store));
  const gitVersion = gitVersionOf(opts.schema.kubernetesVersion);
  const openapi = new OpenApi(opts.schema, registry, gitVersion);
  const driver = new TimeDriver(pg, opts.speed, opts.settle);
  const now = opts.now ?? (() => (pg ? pg.clock.now() : Date.now()));
  const baseAuth = opts.auth ?? authSourcesOf(pg);
  const auth = baseAuth && opts.clientCa ? { ...baseAuth, certificates: new ClientCertificateAuthenticator(opts.clientCa, now) } : baseAuth;
  const closers = new Set<() => void>();
  const context: HttpContext = {
    api,
    playground: pg,
    auth,
    registry,
    schema: opts.schema,
    now,
    afterWrite: () => driver.kick(),
    logs: opts.logs ?? ((ns, pod, c, previous, instance) => (pg ? pg.logs(ns, pod, c, previous, instance) : [])),
    runningInstance: pg?.runningInstance ? (ns, pod, c) => pg.runningInstance!(ns, pod, c) : undefined,
    track: (close) => {
      closers.add(close);
      return () => closers.delete(close);
    },
    pager: new Pager(),
    gitVersion,
  };
  const address = opts.address ?? '127.0.0.1';
  let serverAddress = '';

  interface Admitted {
    pathname: string;
    p: string;
    q: URLSearchParams;
    /** What the path names, parsed once for both admission and routing (null: not an API path). */
    ap?: ApiPath | null;
  }

  /** The API path a request names: the proxy subresource keeps its trailing slash, as it is part of the backend's path. */
  const apiPathOf = (a: Admitted): ApiPath | undefined => {
    if (a.ap === undefined) a.ap = parseApiPath(/\/proxy(\/|$)/.test(a.pathname) ? a.pathname : a.p) ?? null;
    return a.ap ?? undefined;
  };

  /** The request's path and query once its sender may make it; undefined when it was refused (401, 403). */
  const admit = (req: http.IncomingMessage, res: http.ServerResponse): Admitted | undefined => {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const pathname = qi < 0 ? raw : raw.slice(0, qi);
    const p = pathname.endsWith('/') ? pathname.replace(/\/+$/, '') || '/' : pathname || '/';
    const q = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
    markPretty(req, res, q);
    const admitted: Admitted = { pathname, p, q };
    const attrs = () => requestAttributes(req.method ?? 'GET', p, apiPathOf(admitted), q);
    const refusal = admitRequest(req, opts.token, auth, attrs, (user) => markFlow(pg, res, user, attrs()));
    if (refusal) {
      sendStatus(res, refusal);
      return undefined;
    }
    return admitted;
  };

  /** Serves an admitted request whose body is read: synchronously, to its answer or the start of its stream. */
  const route = (req: http.IncomingMessage, res: http.ServerResponse, admitted: Admitted): void => {
    const { pathname, p, q } = admitted;
    // The version handler writes its JSON indented for every client (responsewriters.WriteRawJSON).
    if (p === '/version') return sendJsonText(res, 200, JSON.stringify(versionInfo(opts.schema.kubernetesVersion), null, 2));
    if (req.method === 'GET' && serveIssuerDiscovery(pathname, res, auth?.tokens)) return;
    if (!p.startsWith('/api')) {
      const health = healthText(p, q);
      if (health !== undefined) return sendHealth(res, health);
    }
    if (p === '/openapi/v2') {
      if (wantsProtobufOpenApi(req.headers.accept)) {
        const body = openapi.v2Protobuf();
        // Go's mime parser refuses the '@' of the Accept form, so the answer is labelled as upstream labels it.
        res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': body.length });
        res.end(body);
        return;
      }
      return sendRawJson(res, openapi.v2());
    }
    if (p === '/openapi/v3') return sendJson(res, 200, openapi.v3Index());
    if (p.startsWith('/openapi/v3/')) {
      const doc = openapi.v3Doc(p.slice('/openapi/v3/'.length));
      if (!doc) throw new HttpStatusError(notFoundPath());
      return sendRawJson(res, doc);
    }
    // The playground's own controls are this machine's, not the cluster's: pods find nothing there (and a pod's
    // script moving time or resetting the cluster from inside the loop would never end).
    if (p.startsWith('/kubeplay/v1/') || p === '/kubeplay/v1') {
      if (fromPod(req)) throw new HttpStatusError(notFoundPath());
      return handleExtras(context, driver, req, res, p, q);
    }
    const ap = apiPathOf(admitted);
    if (!ap) throw new HttpStatusError(notFoundPath());
    if (ap.type !== 'resource' && req.method !== 'GET') throw new HttpStatusError(notFoundPath());
    switch (ap.type) {
      case 'legacyRoot':
      case 'groupList': {
        const legacy = ap.type === 'legacyRoot';
        const agg = wantsAggregated(req.headers.accept);
        if (agg) return sendJson(res, 200, aggregatedDiscovery(registry, legacy, agg), undefined, agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
        return sendJson(res, 200, legacy ? apiVersions(fromPod(req) ? `${APISERVER_ENDPOINT_IP}:${APISERVER_PORT}` : serverAddress) : apiGroupList(registry));
      }
      case 'group': {
        const doc = apiGroupDoc(registry, ap.group);
        if (!doc) throw new HttpStatusError(notFoundPath());
        return sendJson(res, 200, doc);
      }
      case 'groupVersion': {
        const doc = apiResourceList(registry, ap.group, ap.version);
        if (!doc) throw new HttpStatusError(notFoundPath());
        return sendJson(res, 200, doc);
      }
      case 'resource':
        return handleResource(context, req, res, ap.path, q);
    }
  };

  // No Nagle delay: an answer leaves in the write that ends it (Node's default, stated because a
  // sequential client would otherwise wait on the delayed ACK of its previous request).
  // With a client CA the handshake asks for a certificate (naming that CA, as Go clients pick theirs by it) and
  // lets a connection without one, or with one that does not verify, through to token authentication.
  const clientAuth = opts.clientCa ? { requestCert: true, rejectUnauthorized: false, ca: [opts.clientCa] } : {};
  const server = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, noDelay: true, ...clientAuth }, (req, res) => {
    // Whatever a request carries (a malformed escape, say), the process lives on: the client gets a Status.
    const fail = (err: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      const status = toStatus(err);
      // Only unexpected failures are logged; a 503 (a Service with no endpoints, metrics not ready) is an answer.
      // A 500 the server meant (an unparseable resourceVersion, a Status the apiserver built) is an answer too.
      if (status.code === 500 && !(err instanceof HttpStatusError) && !isStatusError(err)) console.error('kubeplay: request failed:', req.method, req.url, err);
      sendStatus(res, status);
    };
    let admitted: Admitted | undefined;
    try {
      admitted = admit(req, res);
    } catch (err) {
      fail(err);
      return;
    }
    if (!admitted) return;
    const ok = admitted;
    readBodyFirst(req, () => route(req, res, ok), fail);
  });
  // kubectl exec upgrades to WebSocket; the same token guards it.
  server.on('upgrade', createExecUpgrade(context, opts.token, auth));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, address, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const host = address.includes(':') ? `[${address}]` : address;
      serverAddress = `${host}:${port}`;
      driver.start();
      // Pods reach the same handlers through the kubernetes Service (curl in a container).
      pg?.serveApiToPods?.((r) => serveInCluster((req, res) => {
        const admitted = admit(req, res);
        if (admitted) route(req, res, admitted);
      }, r, context.now()));
      const nodePorts = opts.exposeNodePorts ? new NodePortExposer(context, address, opts.log, opts.ingressCertificate) : undefined;
      nodePorts?.start();
      resolve({
        url: `https://${host}:${port}`,
        port,
        address,
        driver,
        context,
        nodePorts,
        close: () =>
          new Promise<void>((done) => {
            nodePorts?.close();
            pg?.serveApiToPods?.(undefined);
            driver.stop();
            for (const c of [...closers]) c();
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}
