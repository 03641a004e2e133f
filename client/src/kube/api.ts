import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import type * as k8s from 'kubernetes-client-node-v1' with { 'resolution-mode': 'import' };
import { ClusterStore } from '../model/store';
import { apiVersionOf, KObject, ObjRef, ResourceType, WATCHED } from '../model/types';

type K8s = typeof k8s;
let loaded: Promise<K8s> | undefined;

/**
 * @kubernetes/client-node is large; it is loaded on first use, never during
 * activation, so opening a YAML file stays fast.
 */
export function loadClient(): Promise<K8s> {
  return (loaded ??= (async () => {
    // In the packaged extension the library is its own bundle beside dist/client.js.
    const bundled = path.join(__dirname, 'kube-client.js');
    if (fs.existsSync(bundled)) return require(bundled) as K8s;
    // Compiled with tsc (tests): the package itself. A variable specifier keeps esbuild from inlining it.
    const id = 'kubernetes-client-node-v1';
    return (await import(id)) as K8s;
  })());
}

/** An error from the API server, carrying the upstream Status when there is one. */
export class ApiError extends Error {
  constructor(message: string, readonly code: number, readonly status?: any) {
    super(message);
  }
}

export function toApiError(e: any): ApiError {
  if (e instanceof ApiError) return e;
  let body = e?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* plain text body */
    }
  }
  if (body && typeof body === 'object' && body.kind === 'Status') return new ApiError(body.message ?? String(e), body.code ?? e.code ?? 0, body);
  return new ApiError(typeof body === 'string' && body ? body : e?.message ?? String(e), e?.code ?? 0);
}

/**
 * One connection to one cluster (the playground or a kubeconfig context):
 * list + watch into a ClusterStore, object CRUD for commands, and raw
 * requests for the playground's /kubeplay/v1 extras.
 */
/** How long a watch whose server beats with bookmarks may stay silent before it is started over. */
const STALLED_WATCH_MS = 45_000;

export class Connection {
  private stopped = false;
  private aborts: AbortController[] = [];
  private timers: NodeJS.Timeout[] = [];

  private constructor(
    readonly lib: K8s,
    readonly kc: k8s.KubeConfig,
    readonly objects: k8s.KubernetesObjectApi,
    readonly store: ClusterStore,
    private readonly onChange: () => void,
    private readonly onError: (resource: string, e: ApiError) => void,
  ) {}

  static async open(kubeconfig: { file?: string; context?: string }, store: ClusterStore, onChange: () => void, onError: (r: string, e: ApiError) => void): Promise<Connection> {
    const lib = await loadClient();
    const kc = new lib.KubeConfig();
    if (kubeconfig.file) kc.loadFromFile(kubeconfig.file);
    else kc.loadFromDefault();
    if (kubeconfig.context) kc.setCurrentContext(kubeconfig.context);
    return new Connection(lib, kc, lib.KubernetesObjectApi.makeApiClient(kc), store, onChange, onError);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** Lists and watches every resource the tree shows; re-lists after a watch ends (or stalls), as informers do. */
  startWatching(): void {
    for (const t of WATCHED) void this.listAndWatch(t, 0);
  }

  private async listAndWatch(t: ResourceType, attempt: number): Promise<void> {
    if (this.stopped) return;
    const base = t.group ? `/apis/${t.group}/${t.version}/${t.resource}` : `/api/${t.version}/${t.resource}`;
    try {
      // Paged list (500 a page), so 10,000 pods arrive as 20 small parses instead of one long pause.
      const items: KObject[] = [];
      let list: any;
      let token: string | undefined;
      do {
        list = await this.getJson(`${base}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
        if (this.stopped) return;
        for (const o of list.items ?? []) items.push({ ...o, apiVersion: apiVersionOf(t), kind: t.kind });
        token = list.metadata?.continue || undefined;
      } while (token);
      this.store.replace(t.resource, items);
      this.onChange();
      const watch = new this.lib.Watch(this.kc);
      // A watch that goes silent is started over. A server that sends bookmarks on a beat (the playground, every
      // 10 s) shows it is alive by them; one that has sent two and then nothing for 45 s is taken as stalled.
      // A server without such a beat (most real clusters) never arms this.
      let lastEvent = Date.now();
      let bookmarks = 0;
      let over = false;
      let dog: NodeJS.Timeout | undefined;
      const again = () => {
        if (over) return;
        over = true;
        if (dog) {
          clearInterval(dog);
          this.timers = this.timers.filter((x) => x !== dog);
        }
        this.retry(t, 0, 500);
      };
      const ctl: AbortController = await watch.watch(
        base,
        { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type, obj) => {
          lastEvent = Date.now();
          if (type === 'BOOKMARK') bookmarks++;
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            this.store.apply(t.resource, type, { ...obj, apiVersion: apiVersionOf(t), kind: t.kind });
            this.onChange();
          }
        },
        () => again(),
      );
      this.aborts.push(ctl);
      if (!over) {
        dog = setInterval(() => {
          if (bookmarks >= 2 && Date.now() - lastEvent > STALLED_WATCH_MS) {
            ctl.abort();
            again();
          }
        }, 5_000);
        this.timers.push(dog);
      }
    } catch (e) {
      const err = toApiError(e);
      // 403/404: this cluster does not serve or allow the resource; the tree simply lacks it.
      if (err.code === 403 || err.code === 404) return;
      this.onError(t.resource, err);
      this.retry(t, attempt + 1, Math.min(30_000, 500 * 2 ** attempt));
    }
  }

  private retry(t: ResourceType, attempt: number, ms: number): void {
    if (this.stopped) return;
    this.timers.push(setTimeout(() => void this.listAndWatch(t, attempt), ms));
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
    for (const t of this.timers) clearTimeout(t);
  }

  /** The object exactly as the API serves it (plain JSON, every field), for Describe and live YAML. */
  async read(ref: ObjRef): Promise<KObject> {
    if (ref.resource) {
      const obj = await this.getJson(resourcePath(ref));
      return { ...obj, apiVersion: obj.apiVersion ?? ref.apiVersion, kind: obj.kind ?? ref.kind };
    }
    try {
      return (await this.objects.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } })) as KObject;
    } catch (e) {
      throw toApiError(e);
    }
  }

  /**
   * Server-side apply, as `kubectl apply --server-side` does; `dryRun` asks the server to validate only.
   * The object goes out as the user wrote it: client-node's typed serializer would drop what its models name
   * differently (a LimitRange's `default`, a CRD schema's `default` and `enum`) and every field it does not know.
   * Its discovery still finds the resource's path.
   */
  async apply(obj: KObject, dryRun: boolean): Promise<KObject> {
    const paths = this.objects as unknown as { specUriPath(spec: KObject, action: 'patch' | 'create'): Promise<string> };
    const query = (extra: string) => `?fieldManager=kubeplay${extra}${dryRun ? '&dryRun=All' : ''}`;
    let path: string;
    try {
      path = await paths.specUriPath(structuredClone(obj), 'patch');
    } catch (e) {
      throw toApiError(e);
    }
    try {
      return await this.request('PATCH', path + query('&force=true'), obj, 'application/apply-patch+yaml');
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 415) throw e;
    }
    // A server without server-side apply: create, or merge-patch what exists.
    try {
      return await this.request('POST', (await paths.specUriPath(structuredClone(obj), 'create')) + query(''), obj);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 409) throw e;
      return this.request('PATCH', path + query(''), obj, 'application/merge-patch+json');
    }
  }

  async delete(obj: { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } }, dryRun = false): Promise<void> {
    try {
      await this.objects.delete(obj as k8s.KubernetesObject, undefined, dryRun ? 'All' : undefined, undefined, undefined, 'Background');
    } catch (e) {
      throw toApiError(e);
    }
  }

  async patch(ref: ObjRef, patch: unknown, type: 'merge' | 'json'): Promise<KObject> {
    const path = `${resourcePath(ref)}`;
    return this.request('PATCH', path, patch, type === 'json' ? 'application/json-patch+json' : 'application/merge-patch+json');
  }

  getJson(path: string): Promise<any> {
    return this.request('GET', path);
  }

  /** A raw authenticated request; used for subresources and the playground's extras. */
  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(opts);
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (data !== undefined) opts.headers = { ...opts.headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) };
    const mod: typeof https = url.protocol === 'http:' ? (require('http') as typeof https) : https;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any = text;
          try {
            json = text ? JSON.parse(text) : {};
          } catch {
            /* not JSON */
          }
          if ((res.statusCode ?? 500) >= 400) reject(toApiError({ code: res.statusCode, body: json, message: `HTTP ${res.statusCode}` }));
          else resolve(json);
        });
      });
      req.on('error', (e) => reject(new ApiError(e.message, 0)));
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** Follows a streaming endpoint line by line (the playground's log, a pod's log); returns a stop function. */
  async stream(path: string, onLine: (line: string) => void, onEnd: (err?: Error) => void): Promise<() => void> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const opts: https.RequestOptions = { method: 'GET' };
    await this.kc.applyToHTTPSOptions(opts);
    const mod: typeof https = url.protocol === 'http:' ? (require('http') as typeof https) : https;
    let buf = '';
    const req = mod.request(url, opts, (res) => {
      if ((res.statusCode ?? 500) >= 400) {
        onEnd(new Error(`HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      res.on('end', () => {
        if (buf) onLine(buf);
        onEnd();
      });
    });
    req.on('error', (e) => onEnd(e));
    req.end();
    return () => req.destroy();
  }
}

/** `/api/v1/namespaces/ns/pods/name` or `/apis/apps/v1/...` for an object reference. */
export function resourcePath(ref: ObjRef, subresource?: string): string {
  const prefix = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  return `${prefix}${ns}/${ref.resource}/${encodeURIComponent(ref.name)}${subresource ? '/' + subresource : ''}`;
}
