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
import { goJson, goYaml } from './goyaml';
import { parseKubectl, type KubectlArgs } from './kubectlargs';
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

/** The minor version of `vX.Y.Z` (a gitVersion), or undefined. */
const minorOf = (v: string): number | undefined => {
  const m = /^v\d+\.(\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
};

/** `kubectl version`'s client lines: its version, and the kustomize it embeds where that is known. */
function clientVersionLines(v: string): string {
  const k = KUSTOMIZE[v.replace(/^v(\d+\.\d+).*/, '$1')];
  return `Client Version: ${v}\n${k ? `Kustomize Version: ${k}\n` : ''}`;
}

/** What delete, scale and rollout restart say when given no resource at all. */
const NO_RESOURCES = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";

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

/** Discovery itself refused (a Status): kubectl stops there, whatever the command. */
class DiscoveryFailed extends Error {}

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
function klogLine(now: number, msg: string, at = 'memcache.go:265'): string {
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}       1 ${at}] ${msg}\n`;
}

/** One kubectl run: the connection, the discovery it caches, and what it prints. */
class Kubectl {
  private out = '';
  private err = '';
  private discovery?: Resource[];

  constructor(
    private readonly w: ExecWorld, private readonly io: KubectlIo, private readonly host: string, private readonly token: string, private readonly ca: string,
    /** The pod's namespace, the default for namespaced requests. */
    private readonly ns: string,
    /** `--as` and `--as-group`: the user and groups to impersonate. */
    private readonly as?: { user?: string; groups: string[] },
  ) {}

  private get version() { return kubectlVersion(this.io.image); }

  /** An HTTPS request to the apiserver as client-go makes it. */
  private call(method: string, path: string, accept = 'application/json', body?: unknown, contentType = 'application/json'): Answer {
    const url = { host: this.host.split(':')[0], port: Number(this.host.split(':')[1] ?? 443), path, https: true };
    const headers: Array<[string, string]> = [
      ['Accept', accept],
      ['User-Agent', `kubectl/${this.version} (linux/amd64) kubernetes/0000000`],
      ['Authorization', `Bearer ${this.token}`],
    ];
    if (this.as?.user !== undefined) headers.push(['Impersonate-User', this.as.user]);
    for (const g of this.as?.groups ?? []) headers.push(['Impersonate-Group', g]);
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
      if (status >= 400) throw new DiscoveryFailed(Kubectl.serverError(obj, status));
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
    if (!t) throw new Error(`error: the server doesn't have a resource type ""`);
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

  run(a: KubectlArgs): number {
    if (a.problem) {
      this.err += `${a.problem}\n`;
      return 1;
    }
    const ns = a.value('-n', '--namespace') ?? this.ns;
    switch (a.command) {
      case undefined:
        this.out += 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n';
        return 0;
      case 'version': return this.versionCmd(a);
      case 'get': return this.get(a, ns);
      case 'delete': return this.delete(a, ns);
      case 'logs': return this.logs(a, ns);
      case 'auth can-i': return this.canI(a, ns);
      case 'scale': return this.scale(a, ns);
      case 'rollout restart': return this.restart(a, ns);
      default: return this.whoami(a);
    }
  }

  private get minor(): number { return minorOf(this.version) ?? 0; }

  private versionCmd(a: KubectlArgs): number {
    this.out += clientVersionLines(this.version);
    if (a.bool('--client')) return 0;
    const { status, obj } = this.json('GET', '/version?timeout=32s');
    if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; return 1; }
    this.out += `Server Version: ${obj.gitVersion}\n`;
    // kubectl's own warning past one minor version of skew.
    const server = minorOf(obj.gitVersion ?? '') ?? this.minor;
    if (Math.abs(server - this.minor) > 1) {
      this.err += `WARNING: version difference between client (1.${this.minor}) and server (1.${server}) exceeds the supported minor version skew of +/-1\n`;
    }
    return 0;
  }

  /** The resources and names a command names: `TYPE NAME...`, `TYPE[,TYPE]`, or `TYPE/NAME...`. */
  private targets(words: string[]): Array<{ r: Resource; names: string[] }> {
    const wanted: Array<{ r: Resource; names: string[] }> = [];
    if (words[0].includes('/')) {
      for (const w of words) {
        const slash = w.indexOf('/');
        const [t, n] = [w.slice(0, slash), w.slice(slash + 1)];
        if (slash < 0 || !t || !n || n.includes('/')) throw new Error('error: arguments in resource/name form must have a single resource and name');
        const r = this.resolve(t);
        const at = wanted.find((x) => x.r === r);
        if (at) at.names.push(n); else wanted.push({ r, names: [n] });
      }
      return wanted;
    }
    const names = words.slice(1);
    if (names.some((n) => n === '')) throw new Error('error: resource name may not be empty');
    for (const t of words[0].split(',')) wanted.push({ r: this.resolve(t), names });
    return wanted;
  }

  /** get TYPE[,TYPE] [NAME...] | TYPE/NAME..., with -n, -A, -l, --field-selector, -o wide|name|json|yaml, --no-headers. */
  private get(a: KubectlArgs, namespace: string): number {
    const all = a.bool('-A', '--all-namespaces');
    const output = a.value('-o', '--output') ?? '';
    if (output && !['wide', 'name', 'json', 'yaml'].includes(output)) {
      this.err += /^(jsonpath|custom-columns|go-template|template)/.test(output)
        ? `kubeplay: kubectl get -o ${output.split('=')[0]} inside a pod is not simulated (wide, name, json and yaml are)\n`
        : `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n`;
      return 1;
    }
    if (!a.words.length) {
      this.err += 'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n';
      return 1;
    }
    const wanted = this.targets(a.words);
    const query = new URLSearchParams();
    const sel = a.value('-l', '--selector');
    if (sel) query.set('labelSelector', sel);
    const fsel = a.value('--field-selector');
    if (fsel) query.set('fieldSelector', fsel);
    const structured = output === 'json' || output === 'yaml' || output === 'name';
    let code = 0;
    const objects: any[] = [];
    // What came back per type: kubectl prefixes names with their kind only when more than one type did.
    const results: Array<{ r: Resource; table: any }> = [];
    const fail = (obj: any, status: number) => {
      if (a.bool('--ignore-not-found') && status === 404) return;
      this.err += `${Kubectl.serverError(obj, status)}\n`;
      code = 1;
    };
    for (const { r, names } of wanted) {
      const accept = structured ? 'application/json' : TABLE_ACCEPT;
      if (names.length) {
        let table: any;
        for (const n of names) {
          const { status, obj } = this.json('GET', `${Kubectl.base(r, r.namespaced ? namespace : undefined)}/${encodeURIComponent(n)}`, undefined, accept);
          if (status >= 400) { fail(obj, status); continue; }
          if (structured) objects.push(withType(obj, r));
          else if (table) table.rows.push(...(obj.rows ?? []));
          else table = { ...obj, rows: [...(obj.rows ?? [])] };
        }
        if (table) results.push({ r, table });
      } else {
        const q = new URLSearchParams(query);
        q.set('limit', a.value('--chunk-size') ?? '500');
        const { status, obj } = this.json('GET', `${Kubectl.base(r, r.namespaced && !all ? namespace : undefined)}?${q}`, undefined, accept);
        if (status >= 400) { fail(obj, status); continue; }
        if (structured) for (const item of obj.items ?? []) objects.push(withType(item, r));
        else if (obj.rows?.length) results.push({ r, table: obj });
      }
    }
    if (output === 'name') this.out += objects.map((o) => `${qualifiedOf(o, wanted)}/${o.metadata?.name}\n`).join('');
    else if (output === 'json' || output === 'yaml') {
      const single = wanted.length === 1 && wanted[0].names.length === 1 && !a.words[0].includes(',');
      // A single object that is not there prints nothing; a list prints what came back, errors or not.
      if (!(single && code)) {
        const doc = single && objects.length === 1 ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
        this.out += output === 'json' ? goJson(doc) + '\n' : goYaml(doc);
      }
    } else {
      const kinds = new Set(results.map((x) => x.r)).size > 1;
      const labels = { columns: a.values('-L', '--label-columns').flatMap((l) => l.split(',')).filter(Boolean), show: a.bool('--show-labels') };
      this.out += results.map(({ r, table }) => this.table(table, r, output === 'wide', all && r.namespaced, kinds, a.bool('--no-headers'), labels)).join('\n');
      // Only the table printer says so, on standard error.
      if (!code && !results.length && !wanted.some((x) => x.names.length)) {
        this.err += all || !wanted[0].r.namespaced ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`;
      }
    }
    return code;
  }

  /** kubectl's table printer: the server's columns (priority 0, or all with -o wide) through its tabwriter. */
  private table(t: any, r: Resource, wide: boolean, withNamespace: boolean, prefixKind: boolean, noHeaders: boolean, labels: { columns: string[]; show: boolean }): string {
    const cols: Array<{ i: number; name: string }> = [];
    (t.columnDefinitions ?? []).forEach((c: any, i: number) => { if (wide || !c.priority) cols.push({ i, name: String(c.name).toUpperCase() }); });
    // -L's columns (headed by the key's last segment), then --show-labels' LABELS, from each row's metadata.
    const labelHeads = labels.columns.map((k) => k.slice(k.lastIndexOf('/') + 1).toUpperCase());
    const rows: string[][] = [];
    if (!noHeaders) rows.push([...(withNamespace ? ['NAMESPACE'] : []), ...cols.map((c) => c.name), ...labelHeads, ...(labels.show ? ['LABELS'] : [])]);
    for (const row of t.rows ?? []) {
      const cells = cols.map((c) => cellText(row.cells?.[c.i]));
      if (prefixKind && cells.length) cells[0] = `${Kubectl.qualified(r)}/${cells[0]}`;
      const own: Record<string, string> = row.object?.metadata?.labels ?? {};
      const shown = Object.keys(own).sort().map((k) => `${k}=${own[k]}`).join(',') || '<none>';
      rows.push([...(withNamespace ? [row.object?.metadata?.namespace ?? ''] : []), ...cells, ...labels.columns.map((k) => own[k] ?? ''), ...(labels.show ? [shown] : [])]);
    }
    return tabwrite(rows);
  }

  /**
   * What TYPE NAME..., TYPE/NAME... or TYPE with -l, --field-selector or --all (`everyOne`) names, each with its
   * namespace (-A lists them all), and whether a list was refused; undefined when a bare TYPE names nothing.
   */
  private named(a: KubectlArgs, namespace: string, everyOne: boolean): { targets: Array<{ r: Resource; name: string; ns?: string }>; failed: boolean } | undefined {
    const selector = a.value('-l', '--selector');
    const fieldSelector = a.value('--field-selector');
    const targets: Array<{ r: Resource; name: string; ns?: string }> = [];
    let failed = false;
    for (const { r, names } of this.targets(a.words)) {
      if (names.length) { for (const name of names) targets.push({ r, name }); continue; }
      if (!everyOne && selector === undefined && fieldSelector === undefined) return undefined;
      const q = new URLSearchParams();
      if (selector) q.set('labelSelector', selector);
      if (fieldSelector) q.set('fieldSelector', fieldSelector);
      const all = a.bool('-A', '--all-namespaces');
      const { status, obj } = this.json('GET', `${Kubectl.base(r, r.namespaced && !all ? namespace : undefined)}${q.size ? `?${q}` : ''}`);
      if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; failed = true; continue; }
      for (const item of obj.items ?? []) targets.push({ r, name: item.metadata?.name, ns: item.metadata?.namespace });
    }
    return { targets, failed };
  }

  /** scale TYPE NAME... --replicas=N: a merge patch of each one's scale subresource. */
  private scale(a: KubectlArgs, namespace: string): number {
    const replicas = a.value('--replicas');
    if (replicas === undefined) {
      // 1.32 logs it through klog; 1.35 prints cobra's error.
      this.err += this.minor >= 35 ? 'error: required flag(s) "replicas" not set\n' : klogLine(this.w.now(), '"command failed" err="required flag(s) \\"replicas\\" not set"', 'run.go:72');
      return 1;
    }
    if (!/^-?\d+$/.test(replicas)) { this.err += `${this.minor >= 35 ? 'error' : 'Error'}: invalid argument "${replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${replicas}": invalid syntax\nSee 'kubectl scale --help' for usage.\n`; return 1; }
    if (Number(replicas) < 0) { this.err += 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n'; return 1; }
    if (!a.words.length) { this.err += NO_RESOURCES; return 1; }
    const found = this.named(a, namespace, a.bool('--all'));
    if (!found) { this.err += 'error: resource(s) were provided, but no name was specified\n'; return 1; }
    let code = found.failed ? 1 : 0;
    for (const { r, name, ns } of found.targets) {
      // kubectl reads each object first: one that cannot be read is no object to scale.
      const got = this.json('GET', `${Kubectl.base(r, r.namespaced ? ns ?? namespace : undefined)}/${encodeURIComponent(name)}`);
      if (got.status >= 400) {
        this.err += this.minor >= 35 ? `${Kubectl.serverError(got.obj, got.status)}\n` : `error: no objects passed to scale ${got.obj?.message ?? got.status}\n`;
        code = 1;
        continue;
      }
      const { status, obj } = this.json('PATCH', `${Kubectl.base(r, r.namespaced ? ns ?? namespace : undefined)}/${encodeURIComponent(name)}/scale`, { spec: { replicas: Number(replicas) } }, undefined, 'application/merge-patch+json');
      if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; code = 1; continue; }
      this.out += `${Kubectl.qualified(r)}/${name} scaled\n`;
    }
    return code;
  }

  /** rollout restart TYPE/NAME...: the restartedAt annotation patched into each workload's pod template. */
  private restart(a: KubectlArgs, namespace: string): number {
    if (!a.words.length) { this.err += NO_RESOURCES; return 1; }
    const found = this.named(a, namespace, true)!;
    let code = found.failed ? 1 : 0;
    const targets = found.targets;
    const at = new Date(this.w.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const { r, name, ns } of targets) {
      const path = `${Kubectl.base(r, r.namespaced ? ns ?? namespace : undefined)}/${encodeURIComponent(name)}`;
      // kubectl reads the object first (the patch is made from it), so a refused get is what it reports.
      const got = this.json('GET', path);
      if (got.status >= 400) { this.err += `${Kubectl.serverError(got.obj, got.status)}\n`; code = 1; continue; }
      if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(r.kind) || r.group !== 'apps') {
        this.err += `error: ${r.group ? `${r.resource}.${r.group}` : r.resource} "${name}" restarting is not supported\n`;
        code = 1;
        continue;
      }
      if (got.obj?.spec?.paused) { this.err += `error: ${Kubectl.qualified(r)}s "${name}" can't restart paused deployment (run rollout resume first)\n`; code = 1; continue; }
      // objectRestarter: the annotation holds the second of the last restart; the same second again is refused.
      if (got.obj?.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] === at) {
        this.err += `error: failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another\n`;
        code = 1;
        continue;
      }
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } };
      const { status, obj } = this.json('PATCH', `${path}?fieldManager=kubectl-rollout`, patch, undefined, 'application/strategic-merge-patch+json');
      if (status >= 400) { this.err += `error: failed to patch: ${obj?.message ?? status}\n`; code = 1; continue; }
      this.out += `${Kubectl.qualified(r)}/${name} restarted\n`;
    }
    return code;
  }

  /** delete TYPE NAME... | TYPE/NAME... | TYPE -l SEL | TYPE --all, with --dry-run, --grace-period, --force, --now, --cascade. */
  private delete(a: KubectlArgs, namespace: string): number {
    if (!a.words.length) {
      this.err += NO_RESOURCES;
      return 1;
    }
    const dryRun = a.value('--dry-run') ?? 'none';
    if (!['none', 'client', 'server'].includes(dryRun)) {
      this.err += `error: Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".\n`;
      return 1;
    }
    const everything = a.bool('--all');
    const byList = a.value('-l', '--selector') !== undefined || a.value('--field-selector') !== undefined || everything;
    if (!a.words[0].includes('/') && a.words.length === 1 && !byList) {
      this.err += 'error: resource(s) were provided, but no name was specified\n';
      return 1;
    }
    const { targets, failed } = this.named(a, namespace, everything)!;
    let code = failed ? 1 : 0;
    if (byList && !targets.length && !code) { this.out += 'No resources found\n'; return 0; }
    const force = a.bool('--force');
    let grace = a.value('--grace-period') !== undefined ? Number(a.value('--grace-period')) : a.bool('--now') ? 1 : undefined;
    if (force && grace === undefined) grace = 0;
    if (force) this.err += 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';
    const cascade = a.value('--cascade') ?? 'background';
    const policy = ({ background: 'Background', foreground: 'Foreground', orphan: 'Orphan', true: 'Background', false: 'Orphan' } as Record<string, string>)[cascade];
    const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
    for (const { r, name, ns } of targets) {
      const where = r.namespaced ? ns ?? namespace : undefined;
      const said = `${Kubectl.qualified(r)} "${name}" ${force ? 'force ' : ''}deleted${where !== undefined && this.minor >= 35 ? ` from ${where} namespace` : ''}${suffix}`;
      // A client dry run asks the server nothing about the object beyond it being there.
      if (dryRun === 'client') {
        const { status, obj } = this.json('GET', `${Kubectl.base(r, where)}/${encodeURIComponent(name)}`);
        if (status >= 400) { if (!(a.bool('--ignore-not-found') && status === 404)) { this.err += `${Kubectl.serverError(obj, status)}\n`; code = 1; } continue; }
        this.out += `${said}\n`;
        continue;
      }
      const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy };
      if (grace !== undefined && Number.isFinite(grace) && grace >= 0) body.gracePeriodSeconds = grace;
      if (dryRun === 'server') body.dryRun = ['All'];
      const { status, obj } = this.json('DELETE', `${Kubectl.base(r, where)}/${encodeURIComponent(name)}`, body);
      if (status >= 400) { if (!(a.bool('--ignore-not-found') && status === 404)) { this.err += `${Kubectl.serverError(obj, status)}\n`; code = 1; } continue; }
      this.out += `${said}\n`;
    }
    return code;
  }

  /** logs POD [CONTAINER] | pod/POD, with -c, --tail and -p: the pod first, then its (default) container's log. */
  private logs(a: KubectlArgs, namespace: string): number {
    const pod = a.words[0]?.replace(/^(pods?|po)\//, '');
    if (!pod) { this.err += 'error: expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee \'kubectl logs -h\' for help and examples\n'; return 1; }
    const got = this.json('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`);
    if (got.status >= 400) {
      this.err += got.obj?.kind === 'Status' && got.status === 404
        ? `error: error from server (NotFound): pods "${pod}" not found in namespace "${namespace}"\n`
        : `${Kubectl.serverError(got.obj, got.status)}\n`;
      return 1;
    }
    let container = a.value('-c', '--container') ?? a.words[1];
    if (!container) {
      const names: string[] = (got.obj?.spec?.containers ?? []).map((c: any) => c.name);
      container = got.obj?.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0];
      if (names.length > 1) this.err += `Defaulted container "${container}" out of: ${names.join(', ')}\n`;
    }
    const q = new URLSearchParams();
    if (container) q.set('container', container);
    const tail = a.value('--tail');
    if (tail !== undefined && Number(tail) >= 0) q.set('tailLines', tail);
    if (a.bool('-p', '--previous')) q.set('previous', 'true');
    const res = this.call('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${q}`, 'application/json, */*');
    if (res.status >= 400) {
      let obj: any;
      try { obj = JSON.parse(res.body); } catch { obj = undefined; }
      this.err += `${Kubectl.serverError(obj, res.status)}\n`;
      return 1;
    }
    this.out += res.body;
    return 0;
  }

  /** auth can-i VERB TYPE[/NAME] [NAME]: a SelfSubjectAccessReview; `yes` exits 0, `no` 1 (-q: only the code). */
  private canI(a: KubectlArgs, namespace: string): number {
    const [verb, what, name, extra] = a.words;
    if (!verb || !what || extra !== undefined || (what.includes('/') && name !== undefined && !what.startsWith('/'))) {
      this.err += 'error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee \'kubectl auth can-i -h\' for help and examples.\n';
      return 1;
    }
    let attrs: Record<string, string>;
    if (what.startsWith('/')) attrs = { verb, path: what };
    else {
      const [t, n] = what.includes('/') ? what.split('/') : [what, name];
      let r: Resource | undefined;
      if (t !== '*') {
        try { r = this.resolve(t); } catch (e) { if (e instanceof Unreachable || e instanceof DiscoveryFailed) throw e; r = undefined; }
        if (!r) this.err += `Warning: the server doesn't have a resource type '${t}'\n\n`;
      }
      const dot = t.indexOf('.');
      attrs = {
        namespace: r && !r.namespaced ? '' : a.bool('-A', '--all-namespaces') ? '' : namespace,
        verb, group: r?.group ?? (dot < 0 ? '' : t.slice(dot + 1)), resource: r?.resource ?? (dot < 0 ? t : t.slice(0, dot)),
        ...(a.value('--subresource') ? { subresource: a.value('--subresource')! } : {}), ...(n ? { name: n } : {}),
      };
    }
    const spec = 'path' in attrs ? { nonResourceAttributes: attrs } : { resourceAttributes: attrs };
    const { status, obj } = this.json('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { allowed: false } });
    if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; return 1; }
    const allowed = !!obj?.status?.allowed;
    if (!a.bool('-q', '--quiet')) this.out += allowed ? 'yes\n' : 'no\n';
    return allowed ? 0 : 1;
  }

  /** auth whoami: a SelfSubjectReview, printed as kubectl's two-column table, or as JSON or YAML. */
  private whoami(a: KubectlArgs): number {
    const { status, obj } = this.json('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} } });
    if (status >= 400) { this.err += `${Kubectl.serverError(obj, status)}\n`; return 1; }
    const output = a.value('-o', '--output');
    if (output === 'json') { this.out += goJson(obj) + '\n'; return 0; }
    if (output === 'yaml') { this.out += goYaml(obj); return 0; }
    if (output) { this.err += `error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml\n`; return 1; }
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
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(Math.max(6, widths[i] + 3) - ([...c].length - c.length)) : c)).join('') + '\n').join('');
}

/** `kubectl ARGS` in the world's container, or undefined when its image does not ship kubectl. */
export function kubectl(w: ExecWorld, args: string[], io: KubectlIo): CmdOut | undefined {
  if (!shipsKubectl(io.image)) return undefined;
  const parsed = parseKubectl(args, minorOf(kubectlVersion(io.image)) ?? 35);
  if (parsed.problem) return { stdout: '', stderr: `${parsed.problem}\n`, code: 1 };
  const host = io.env('KUBERNETES_SERVICE_HOST');
  const port = io.env('KUBERNETES_SERVICE_PORT');
  const token = io.read(`${SA_DIR}/token`);
  const ca = io.read(`${SA_DIR}/ca.crt`);
  const ns = (io.read(`${SA_DIR}/namespace`) ?? '').trim() || 'default';
  // Not in a cluster as client-go sees it (no token mounted): the empty default config, whose server nobody runs.
  if (!host || !port || token === undefined) {
    if (parsed.command === 'version') {
      const client = clientVersionLines(kubectlVersion(io.image));
      return parsed.bool('--client') ? { stdout: client, stderr: '', code: 0 } : { stdout: client, stderr: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n', code: 1 };
    }
    if (parsed.command === undefined) { const help = new Kubectl(w, io, '', '', '', ns); return help.finish(help.run(parsed)); }
    let err = '';
    for (let i = 0; i < 5; i++) err += klogLine(w.now(), '"Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp [::1]:8080: connect: connection refused"');
    return { stdout: '', stderr: `${err}The connection to the server localhost:8080 was refused - did you specify the right host or port?\n`, code: 1 };
  }
  const as = parsed.value('--as') !== undefined || parsed.values('--as-group').length ? { user: parsed.value('--as'), groups: parsed.values('--as-group') } : undefined;
  const k = new Kubectl(w, io, `${host}:${port}`, token.trim(), ca ?? '', ns, as);
  try {
    return k.finish(k.run(parsed));
  } catch (e) {
    return k.fail(e);
  }
}
