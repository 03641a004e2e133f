/**
 * kubectl inside a container whose image ships it (bitnami/kubectl,
 * registry.k8s.io/kubectl, ...), configured in-cluster as client-go's
 * rest.InClusterConfig does it: the apiserver at $KUBERNETES_SERVICE_HOST and
 * $KUBERNETES_SERVICE_PORT, the pod's service-account token and CA, the
 * pod's namespace. Its requests go through the kubernetes Service like a
 * pod's curl (NetworkPolicies, RBAC), to the playground's own API handlers;
 * what it prints follows kubectl's printers: the server's Table through
 * kubectl's tabwriter, `-o name`, `-o json` (Go's indented, sorted JSON),
 * `-o yaml`, and its `Error from server (Reason): message`.
 *
 * The commands: get, delete, logs, auth can-i, auth whoami, version.
 */
import { parseImage } from '../../../kube/src/imageConvention';
import type { ExecWorld } from './execenv';
import { goYaml } from './goyaml';
import { request, type CmdOut, type Served } from './netcmds';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Images that ship kubectl (their entrypoint is kubectl, or a shell beside it). */
const KUBECTL_IMAGES = /(^|\/)(kubectl|k8s-kubectl|helm-kubectl|k8s)$/;

export function shipsKubectl(image: string): boolean {
  return KUBECTL_IMAGES.test(parseImage(image).repository);
}

/** Images whose entrypoint is kubectl (a pod's args are kubectl's): bitnami/kubectl, registry.k8s.io/kubectl, ... */
export function kubectlEntrypoint(image: string): boolean {
  return /(^|\/)(k8s-)?kubectl$/.test(parseImage(image).repository);
}

/** kubectl's version in an image: its tag's (`bitnami/kubectl:1.32` is v1.32.0), else 1.35's. */
export function kubectlVersion(image: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(parseImage(image).tag);
  return m ? `v${m[1]}.${m[2]}.${m[3] ?? '0'}` : 'v1.35.2';
}

/** The kustomize each kubectl release embeds, where it is known (`kubectl version` prints it). */
const KUSTOMIZE: Record<string, string> = { '1.32': 'v5.5.0', '1.35': 'v5.7.1' };

export interface KubectlIo {
  /** The shell's environment. */
  env(name: string): string | undefined;
  read(path: string): string | undefined;
  /** The container's image (which kubectl it is). */
  image: string;
}

type Answer = { status: number; body: string };

/** What stops kubectl before the server answers: its own words, after client-go's discovery errors. */
class Unreachable extends Error {}

interface Resource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  singular: string;
  shortNames: string[];
  verbs: string[];
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const DISCOVERY_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** klog's header: `E1129 04:01:09.488746       1 memcache.go:265] `. */
function klogLine(now: number, msg: string): string {
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}       1 memcache.go:265] ${msg}\n`;
}

/** One kubectl run: the connection, the discovery it caches, and what it prints. */
class Kubectl {
  private out = '';
  private err = '';
  private discovery?: Resource[];

  constructor(private readonly w: ExecWorld, private readonly io: KubectlIo, private readonly host: string, private readonly token: string, private readonly ca: string) {}

  private get version() { return kubectlVersion(this.io.image); }

  /** An HTTPS request to the apiserver as client-go makes it. */
  private call(method: string, path: string, accept = 'application/json', body?: unknown, contentType = 'application/json'): Answer {
    const url = { host: this.host.split(':')[0], port: Number(this.host.split(':')[1] ?? 443), path, https: true };
    const headers: Array<[string, string]> = [
      ['Accept', accept],
      ['User-Agent', `kubectl/${this.version} (linux/amd64) kubernetes/0000000`],
      ['Authorization', `Bearer ${this.token}`],
    ];
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) headers.push(['Content-Type', contentType]);
    const res: Served = request(this.w, url, { headers, client: 'kubectl', method, body: text, caFile: { path: `${SA_DIR}/ca.crt`, text: this.ca } });
    if (res.ok) return { status: res.site?.status ?? 200, body: res.body };
    // client-go's words for a connection that never made it: refused, dropped (its dial times out), or TLS.
    const target = `${url.host}:${url.port}`;
    const why = res.why === 'timeout' ? `dial tcp ${target}: i/o timeout`
      : res.why === 'client' ? 'tls: failed to verify certificate: x509: certificate signed by unknown authority'
        : `dial tcp ${target}: connect: connection refused`;
    if (!this.discovery) {
      for (let i = 0; i < 5; i++) this.err += klogLine(this.w.now(), `"Unhandled Error" err="couldn't get current server API group list: Get \\"https://${target}/api?timeout=32s\\": ${why}"`);
    }
    throw new Unreachable(res.why === 'refused' ? `The connection to the server ${target} was refused - did you specify the right host or port?` : `Unable to connect to the server: ${why}`);
  }

  private json(method: string, path: string, body?: unknown, accept?: string, contentType?: string): { status: number; obj: any } {
    const a = this.call(method, path, accept, body, contentType);
    let obj: any;
    try { obj = JSON.parse(a.body); } catch { obj = undefined; }
    return { status: a.status, obj };
  }

  /** `Error from server (Forbidden): …`, as kubectl prints a Status. */
  private static serverError(obj: any, status: number): string {
    if (obj?.kind === 'Status') return `Error from server (${obj.reason || 'Unknown'}): ${obj.message}`;
    return `Error from server: an error on the server ("unknown") has prevented the request from succeeding (${status})`;
  }

  /** Aggregated discovery: every served resource, core first (client-go's RESTMapper order). */
  private resources(): Resource[] {
    if (this.discovery) return this.discovery;
    const list: Resource[] = [];
    for (const p of ['/api', '/apis']) {
      const { status, obj } = this.json('GET', `${p}?timeout=32s`, undefined, DISCOVERY_ACCEPT);
      if (status >= 400) throw new Error(Kubectl.serverError(obj, status));
      for (const g of obj?.items ?? []) {
        const v = g.versions?.[0];
        for (const r of v?.resources ?? []) {
          list.push({
            group: g.metadata?.name ?? '', version: v.version, resource: r.resource, kind: r.responseKind?.kind ?? '',
            namespaced: r.scope === 'Namespaced', singular: r.singularResource ?? '', shortNames: r.shortNames ?? [], verbs: r.verbs ?? [],
          });
        }
      }
    }
    return (this.discovery = list);
  }

  /** A type as typed (`po`, `pods`, `Pod`, `deployments.apps`, `deploy`) to its resource. */
  private resolve(typed: string): Resource {
    const t = typed.toLowerCase();
    const dot = t.indexOf('.');
    const [name, group] = dot < 0 ? [t, undefined] : [t.slice(0, dot), t.slice(dot + 1)];
    const all = this.resources().filter((r) => group === undefined || r.group === group || r.group.startsWith(`${group}.`));
    const hit = all.find((r) => r.resource === name) ?? all.find((r) => r.singular === name) ?? all.find((r) => r.shortNames.includes(name)) ?? all.find((r) => r.kind.toLowerCase() === name);
    if (!hit) throw new Error(`error: the server doesn't have a resource type "${typed}"`);
    return hit;
  }

  private static base(r: Resource, ns: string | undefined): string {
    const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    return r.namespaced && ns !== undefined ? `${root}/namespaces/${encodeURIComponent(ns)}/${r.resource}` : `${root}/${r.resource}`;
  }

  private static qualified(r: Resource): string {
    return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
  }

  run(args: string[], ns: string): number {
    const [cmd, ...rest] = args;
    switch (cmd) {
      case 'version': return this.versionCmd();
      case 'get': return this.get(rest, ns);
      case 'delete': return this.delete(rest, ns);
      case 'logs': return this.logs(rest, ns);
      case 'auth':
        if (rest[0] === 'can-i') return this.canI(rest.slice(1), ns);
        if (rest[0] === 'whoami') return this.whoami();
        this.err += `error: unknown command "${rest[0] ?? ''}" for "kubectl auth"\n`;
        return 1;
      case undefined:
        this.out += 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n';
        return 0;
      default:
        this.err += `error: unknown command "${cmd}" for "kubectl"\n`;
        if (['describe', 'apply', 'create', 'edit', 'exec', 'run', 'scale', 'rollout', 'patch', 'label', 'annotate', 'top', 'explain', 'api-resources'].includes(cmd)) {
          this.err = `kubeplay: kubectl ${cmd} inside a pod is not simulated (get, delete, logs, auth can-i, auth whoami and version are)\n`;
        }
        return 1;
    }
  }

  private versionCmd(): number {
    const v = this.version;
    this.out += `Client Version: ${v}\n`;
    const k = KUSTOMIZE[v.replace(/^v(\d+\.\d+).*/, '$1')];
    if (k) this.out += `Kustomize Version: ${k}\n`;
    const { status, obj } = this.json('GET', '/version?timeout=32s');
    if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; return 1; }
    this.out += `Server Version: ${obj.gitVersion}\n`;
    return 0;
  }

  /** get TYPE[,TYPE] [NAME...] | TYPE/NAME..., with -n, -A, -l, -o wide|name|json|yaml, --no-headers. */
  private get(args: string[], ns: string): number {
    const f = flags(args, ['-n', '--namespace', '-l', '--selector', '-o', '--output', '--field-selector']);
    if (f.error) { this.err += f.error; return 1; }
    const all = f.bool('-A', '--all-namespaces');
    const namespace = f.value('-n', '--namespace') ?? ns;
    const output = f.value('-o', '--output') ?? '';
    const noHeaders = f.bool('--no-headers');
    if (output && !['wide', 'name', 'json', 'yaml'].includes(output)) {
      this.err += `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n`;
      return 1;
    }
    if (!f.words.length) {
      this.err += 'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples.\n';
      return 1;
    }
    // TYPE NAME... or TYPE/NAME TYPE/NAME...
    const wanted: Array<{ r: Resource; names: string[] }> = [];
    if (f.words[0].includes('/')) {
      for (const w of f.words) {
        const [t, n] = w.split('/');
        const r = this.resolve(t);
        const at = wanted.find((x) => x.r === r);
        if (at) at.names.push(n); else wanted.push({ r, names: [n] });
      }
    } else {
      for (const t of f.words[0].split(',').filter(Boolean)) wanted.push({ r: this.resolve(t), names: f.words.slice(1) });
    }
    const many = wanted.length > 1 || f.words[0].includes('/') || f.words[0].includes(',');
    const query = new URLSearchParams();
    const sel = f.value('-l', '--selector');
    if (sel) query.set('labelSelector', sel);
    const fsel = f.value('--field-selector');
    if (fsel) query.set('fieldSelector', fsel);
    let code = 0;
    const objects: any[] = [];
    const tables: string[] = [];
    let printedAny = false;
    for (const { r, names } of wanted) {
      const scope = r.namespaced && !all ? namespace : undefined;
      const structured = output === 'json' || output === 'yaml' || output === 'name';
      if (names.length) {
        const rows: any[] = [];
        let table: any;
        for (const n of names) {
          const { status, obj } = this.json('GET', `${Kubectl.base(r, r.namespaced ? namespace : undefined)}/${encodeURIComponent(n)}`, undefined, structured ? 'application/json' : TABLE_ACCEPT);
          if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; code = 1; continue; }
          if (structured) objects.push(withType(obj, r));
          else { table ??= obj; rows.push(...(obj.rows ?? [])); }
        }
        if (table) { tables.push(this.table({ ...table, rows }, r, output === 'wide', false, many, noHeaders)); printedAny = true; }
      } else {
        const q = new URLSearchParams(query);
        q.set('limit', '500');
        const { status, obj } = this.json('GET', `${Kubectl.base(r, scope)}?${q}`, undefined, structured ? 'application/json' : TABLE_ACCEPT);
        if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; code = 1; continue; }
        if (structured) for (const item of obj.items ?? []) objects.push(withType(item, r));
        else if (obj.rows?.length) { tables.push(this.table(obj, r, output === 'wide', all && r.namespaced, many, noHeaders)); printedAny = true; }
      }
    }
    if (output === 'name') this.out += objects.map((o) => `${qualifiedOf(o, wanted)}/${o.metadata?.name}\n`).join('');
    else if (output === 'json' || output === 'yaml') {
      const single = wanted.length === 1 && wanted[0].names.length === 1 && !f.words[0].includes(',');
      if (objects.length || !code) {
        const doc = single && objects.length === 1 ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
        this.out += output === 'json' ? goJson(doc) + '\n' : goYaml(doc);
      }
    } else this.out += tables.join('\n');
    if (!code && !printedAny && !objects.length && !wanted.some((x) => x.names.length)) {
      this.err += all || !wanted[0].r.namespaced ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`;
    }
    return code;
  }

  /** kubectl's table printer: the server's columns (priority 0, or all with -o wide) through its tabwriter. */
  private table(t: any, r: Resource, wide: boolean, withNamespace: boolean, prefixKind: boolean, noHeaders: boolean): string {
    const cols: Array<{ i: number; name: string }> = [];
    (t.columnDefinitions ?? []).forEach((c: any, i: number) => { if (wide || !c.priority) cols.push({ i, name: String(c.name).toUpperCase() }); });
    const rows: string[][] = [];
    if (!noHeaders) rows.push([...(withNamespace ? ['NAMESPACE'] : []), ...cols.map((c) => c.name)]);
    for (const row of t.rows ?? []) {
      const cells = cols.map((c) => cellText(row.cells?.[c.i]));
      if (prefixKind && cells.length) cells[0] = `${Kubectl.qualified(r)}/${cells[0]}`;
      rows.push([...(withNamespace ? [row.object?.metadata?.namespace ?? ''] : []), ...cells]);
    }
    return tabwrite(rows);
  }

  private delete(args: string[], ns: string): number {
    const f = flags(args, ['-n', '--namespace', '--grace-period', '--cascade']);
    if (f.error) { this.err += f.error; return 1; }
    const namespace = f.value('-n', '--namespace') ?? ns;
    if (f.words.length < 2 && !f.words[0]?.includes('/')) {
      this.err += 'error: resource(s) were provided, but no name was specified\n';
      return 1;
    }
    const targets: Array<{ r: Resource; name: string }> = f.words[0].includes('/')
      ? f.words.map((w) => ({ r: this.resolve(w.split('/')[0]), name: w.split('/')[1] }))
      : f.words.slice(1).map((name) => ({ r: this.resolve(f.words[0]), name }));
    let code = 0;
    for (const { r, name } of targets) {
      const { status, obj } = this.json('DELETE', `${Kubectl.base(r, r.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; code = 1; continue; }
      this.out += `${Kubectl.qualified(r)} "${name}" deleted\n`;
    }
    return code;
  }

  private logs(args: string[], ns: string): number {
    const f = flags(args, ['-n', '--namespace', '-c', '--container', '--tail']);
    if (f.error) { this.err += f.error; return 1; }
    const pod = f.words[0]?.replace(/^(pods?|po)\//, '');
    if (!pod) { this.err += 'error: expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee \'kubectl logs -h\' for help and examples\n'; return 1; }
    const q = new URLSearchParams();
    const c = f.value('-c', '--container') ?? f.words[1];
    if (c) q.set('container', c);
    const tail = f.value('--tail');
    if (tail) q.set('tailLines', tail);
    const a = this.call('GET', `/api/v1/namespaces/${encodeURIComponent(f.value('-n', '--namespace') ?? ns)}/pods/${encodeURIComponent(pod)}/log${q.size ? `?${q}` : ''}`, 'application/json, */*');
    if (a.status >= 400) {
      let obj: any;
      try { obj = JSON.parse(a.body); } catch { obj = undefined; }
      this.err += `${Kubectl.serverError(obj, a.status)}\n`;
      return 1;
    }
    this.out += a.body;
    return 0;
  }

  /** auth can-i VERB TYPE[/NAME] [NAME]: a SelfSubjectAccessReview; `yes` exits 0, `no` 1. */
  private canI(args: string[], ns: string): number {
    const f = flags(args, ['-n', '--namespace', '--subresource']);
    if (f.error) { this.err += f.error; return 1; }
    const [verb, what, name] = f.words;
    if (!verb || !what) { this.err += 'error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee \'kubectl auth can-i -h\' for help and examples\n'; return 1; }
    let attrs: Record<string, string>;
    if (what.startsWith('/')) attrs = { verb, path: what };
    else {
      const [t, n] = what.includes('/') ? what.split('/') : [what, name];
      let r: Resource | undefined;
      try { r = this.resolve(t); } catch { r = undefined; }
      if (!r) this.err += `Warning: the server doesn't have a resource type '${t}'\n\n`;
      const dot = t.indexOf('.');
      attrs = {
        namespace: r && !r.namespaced ? '' : f.bool('-A', '--all-namespaces') ? '' : f.value('-n', '--namespace') ?? ns,
        verb, group: r?.group ?? (dot < 0 ? '' : t.slice(dot + 1)), resource: r?.resource ?? (dot < 0 ? t : t.slice(0, dot)),
        ...(f.value('--subresource') ? { subresource: f.value('--subresource')! } : {}), ...(n ? { name: n } : {}),
      };
    }
    const spec = 'path' in attrs ? { nonResourceAttributes: attrs } : { resourceAttributes: attrs };
    const { status, obj } = this.json('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { allowed: false } });
    if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; return 1; }
    this.out += obj?.status?.allowed ? 'yes\n' : 'no\n';
    return obj?.status?.allowed ? 0 : 1;
  }

  /** auth whoami: a SelfSubjectReview, printed as kubectl's two-column table. */
  private whoami(): number {
    const { status, obj } = this.json('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} } });
    if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; return 1; }
    const u = obj?.status?.userInfo ?? {};
    const rows: string[][] = [['ATTRIBUTE', 'VALUE'], ['Username', u.username ?? '']];
    if (u.uid) rows.push(['UID', u.uid]);
    if (u.groups?.length) rows.push(['Groups', `[${u.groups.join(' ')}]`]);
    for (const k of Object.keys(u.extra ?? {}).sort()) rows.push([`Extra: ${k}`, `[${u.extra[k].join(' ')}]`]);
    this.out += tabwrite(rows);
    return 0;
  }

  finish(code: number): CmdOut {
    return { stdout: this.out, stderr: this.err, code };
  }

  fail(e: unknown): CmdOut {
    const msg = e instanceof Error ? e.message : String(e);
    return { stdout: this.out, stderr: `${this.err}${msg}\n`, code: 1 };
  }
}

/** kubectl's flags: values (`-n x`, `-nx`, `--namespace=x`), booleans, and the words left. */
function flags(args: string[], withValue: string[]): { words: string[]; value(...names: string[]): string | undefined; bool(...names: string[]): boolean; error?: string } {
  const values = new Map<string, string>();
  const bools = new Set<string>();
  const words: string[] = [];
  let error: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { words.push(...args.slice(i + 1)); break; }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(key)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) error = `error: flag needs an argument: ${key.startsWith('--') ? `--${key.slice(2)}` : `'${key.slice(1)}' in ${key}`}\n`;
      else values.set(key, v);
    } else if (/^-[a-zA-Z]./.test(a) && withValue.includes(a.slice(0, 2))) values.set(a.slice(0, 2), a.slice(2).replace(/^=/, ''));
    else if (a.startsWith('-') && a.length > 1) bools.add(key);
    else words.push(a);
  }
  return {
    words, error,
    value: (...names) => { for (const n of names) if (values.has(n)) return values.get(n); return undefined; },
    bool: (...names) => names.some((n) => bools.has(n)),
  };
}

/** An object as kubectl prints it: with its apiVersion and kind (a list's items lack them), without managedFields. */
function withType(obj: any, r: Resource): any {
  const { managedFields: _hidden, ...metadata } = obj.metadata ?? {};
  return { ...obj, apiVersion: obj.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version), kind: obj.kind ?? r.kind, metadata };
}

function qualifiedOf(o: any, wanted: Array<{ r: Resource }>): string {
  const r = wanted.find((x) => x.r.kind === o.kind)?.r;
  return r ? (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase()) : String(o.kind).toLowerCase();
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Go's text/tabwriter as kubectl sets it up: min width 6, padding 3, the last column as it is. */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { if (i < r.length - 1) widths[i] = Math.max(widths[i] ?? 0, [...c].length); });
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(Math.max(6, widths[i] + 3) - ([...c].length - c.length)) : c)).join('').replace(/\s+$/, '') + '\n').join('');
}

/** Keys sorted at every level, as Go marshals a map (kubectl prints unstructured objects). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Go's json.MarshalIndent with four spaces: sorted keys, and <, >, & escaped as Go escapes them. */
function goJson(v: unknown): string {
  return JSON.stringify(sortKeys(v), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `kubectl ARGS` in the world's container, or undefined when its image does not ship kubectl. */
export function kubectl(w: ExecWorld, args: string[], io: KubectlIo): CmdOut | undefined {
  if (!shipsKubectl(io.image)) return undefined;
  const host = io.env('KUBERNETES_SERVICE_HOST');
  const port = io.env('KUBERNETES_SERVICE_PORT');
  const token = io.read(`${SA_DIR}/token`);
  const ca = io.read(`${SA_DIR}/ca.crt`);
  const ns = (io.read(`${SA_DIR}/namespace`) ?? '').trim() || 'default';
  // Not in a cluster as client-go sees it (no token mounted): the empty default config, whose server nobody runs.
  if (!host || !port || token === undefined) {
    if (args[0] === 'version') return { stdout: `Client Version: ${kubectlVersion(io.image)}\n`, stderr: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n', code: 1 };
    let err = '';
    for (let i = 0; i < 5; i++) err += klogLine(w.now(), '"Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp [::1]:8080: connect: connection refused"');
    return { stdout: '', stderr: `${err}The connection to the server localhost:8080 was refused - did you specify the right host or port?\n`, code: 1 };
  }
  const k = new Kubectl(w, io, `${host}:${port}`, token.trim(), ca ?? '');
  try {
    return k.finish(k.run(args, ns));
  } catch (e) {
    return k.fail(e);
  }
}
