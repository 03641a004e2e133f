/**
 * The network commands learners run inside a pod to see Services and DNS
 * work: `nslookup`, `getent hosts`, `wget` and `curl`. Names resolve through
 * the pod's search path against the DNS model; a request to a Service IP goes
 * where the kube-proxy model sends it, and the simulated server answers in
 * the manner of traefik/whoami (podhttp.ts): which pod (name and IP) served it.
 */
import { CLUSTER_DNS_IP, searchPath } from '../network/dns';
import type { ExecWorld } from './execenv';
import { canonicalKey, podAnswers, servingContainer, whoamiBody } from './podhttp';
import { controllerConfig, isIngressNginx } from './ingresssite';
import { containerFs } from './mounts';
import { podSite, type SiteAnswer, type SiteWorld } from './sites';
import { isIPv4, namespaceOf, reach, resolveFromPod, serving } from './reach';

export interface CmdOut {
  stdout: string;
  stderr: string;
  code: number;
  /** Standard output as bytes, when a command writes binary (`tar cf -`); it then stands for `stdout`. */
  bin?: Uint8Array;
}

export function nslookup(w: ExecWorld, args: string[]): CmdOut {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) return { stdout: '', stderr: 'BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n', code: 1 };
  // busybox sends its queries to the server and, with no reply at all, says so on stdout and exits 1.
  if (!serving(w)) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 };
  let out = `Server:\t\t${CLUSTER_DNS_IP}\nAddress:\t${CLUSTER_DNS_IP}:53\n\n`;
  const hit = resolveFromPod(w, name);
  if (!hit) {
    const fqdn = name.includes('.') ? name : `${name}.${searchPath(namespaceOf(w))[0]}`;
    return { stdout: out, stderr: `** server can't find ${fqdn}: NXDOMAIN\n\n`, code: 1 };
  }
  const ips = hit.records.filter(isIPv4);
  const alias = hit.records.find((r) => !isIPv4(r));
  if (alias) {
    out += `${hit.fqdn}\tcanonical name = ${alias}\n\n`;
    return { stdout: out, stderr: `** server can't find ${alias}: NXDOMAIN\n\n`, code: 1 };
  }
  for (const ip of ips) out += `Name:\t${hit.fqdn}\nAddress: ${ip}\n`;
  return { stdout: out + '\n', stderr: '', code: 0 };
}

export function getent(w: ExecWorld, args: string[]): CmdOut {
  if (args[0] !== 'hosts' && args[0] !== 'ahosts') return { stdout: '', stderr: `getent: unknown database: ${args[0] ?? ''}\n`, code: 1 };
  let out = '';
  let code = 0;
  for (const name of args.slice(1)) {
    const hit = resolveFromPod(w, name);
    const ip = hit?.records.find(isIPv4);
    if (!ip) code = 2;
    else out += `${ip.padEnd(15)} ${hit!.fqdn}\n`;
  }
  return { stdout: out, stderr: '', code };
}

interface Url { host: string; port: number; path: string; https: boolean }

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(raw);
  if (!m) return undefined;
  return { host: m[2], port: m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80, path: m[4] || '/', https: m[1] === 'https' };
}

/** `tls`: the server speaks no TLS; `cert`: it does, with a certificate nobody here trusts. */
/** `timeout`: a NetworkPolicy dropped the connection, so no answer ever came. */
type Served = { ok: true; body: string; ip: string; site?: SiteAnswer } | { ok: false; why: 'resolve' | 'refused' | 'tls' | 'cert' | 'timeout'; ip?: string };

/**
 * What the client adds to a request: headers (`-H`, `--header`), curl's
 * `--resolve HOST:PORT:ADDR`, and whether it accepts any certificate (`-k`).
 */
interface Extras { headers: Array<[string, string]>; resolve?: Map<string, string>; insecure?: boolean }

/** A `Name: value` header line as curl and wget take it; undefined when it has no colon. */
function headerArg(s: string | undefined): [string, string] | undefined {
  const colon = s?.indexOf(':') ?? -1;
  if (!s || colon <= 0) return undefined;
  return [canonicalKey(s.slice(0, colon).trim()), s.slice(colon + 1).trim()];
}

/** Where the request lands: a Service IP through kube-proxy, or a pod IP directly. */
function request(w: ExecWorld, url: Url, extras: Extras = { headers: [] }): Served {
  const pinned = extras.resolve?.get(`${url.host.toLowerCase()}:${url.port}`);
  const hit = pinned ? { fqdn: url.host, records: [pinned] } : resolveFromPod(w, url.host);
  const ip = hit?.records.find(isIPv4);
  if (!ip) return { ok: false, why: 'resolve' };
  const r = reach(w, ip, url.port);
  if (r.outcome === 'timeout') return { ok: false, why: 'timeout', ip };
  if (r.outcome === 'refused') return { ok: false, why: 'refused', ip };
  const { pod, podName, podIP, port, loopback } = r;
  // A Host header given on the command line replaces the URL's, as curl and wget send it.
  const given = extras.headers.find(([k]) => k === 'Host')?.[1];
  // curl and wget leave out the scheme's own port.
  const host = given ?? `${url.host}${url.port === (url.https ? 443 : 80) ? '' : `:${url.port}`}`;
  const headers: Array<[string, string]> = [['Host', host], ...extras.headers.filter(([k]) => k !== 'Host')];
  const remoteAddr = loopback ? '127.0.0.1' : w.pod.status?.podIP ?? '127.0.0.1';
  if (url.https) {
    // Only an ingress controller's HTTPS port speaks TLS here, with a certificate no CA in the container signed.
    const c = pod ? servingContainer(pod, port) : undefined;
    if (!c || !isIngressNginx(c) || controllerConfig(c).httpsPort !== port || !w.ingress) return { ok: false, why: 'tls', ip };
    if (!extras.insecure) return { ok: false, why: 'cert', ip };
  }
  // A web server with content of the user's (nginx with a volume on its html folder), or an ingress controller,
  // answers for itself.
  const site = pod && w.worldOf ? podSite(pod, port, siteWorldOf(w))?.({ method: 'GET', target: url.path, host, headers, remoteAddr, tls: url.https }) : undefined;
  if (site) return { ok: true, body: site.body.toString('utf8'), ip, site };
  const body = whoamiBody({ podName: podName!, podIP: podIP!, port, remoteAddr }, 'GET', url.path, headers);
  return { ok: true, body, ip };
}

/** What a server in another pod reads, seen from this container's world. */
function siteWorldOf(w: ExecWorld): SiteWorld {
  return {
    fsOf: (p, c) => containerFs(w.worldOf!(p, c)), now: () => w.now(), ingress: w.ingress,
    connect: (from, to, port) => w.worldOf!(from, from.spec?.containers?.[0]?.name ?? '').connect?.(to, port, 'TCP').allowed ?? true,
  };
}

/** busybox wget: `-qO-` prints the body; without `-O` the body is saved to a file. */
/** `save` writes the file, answering why it cannot (strerror's words), or undefined. */
export function wget(w: ExecWorld, args: string[], save: (path: string, text: string) => string | undefined): CmdOut {
  let quiet = false, output: string | undefined, spider = false, raw: string | undefined, timeout: number | undefined;
  const extras: Extras = { headers: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--spider') spider = true;
    else if (a === '--header' || a.startsWith('--header=')) {
      const h = headerArg(a === '--header' ? args[++i] : a.slice(9));
      if (h) extras.headers.push(h);
    }
    else if (a === '-O' || a === '-T' || a === '--timeout') {
      if (a === '-O') output = args[i + 1];
      else timeout = Number(args[i + 1]);
      i++;
    } else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10));
    else if (/^-[a-zA-Z]+/.test(a)) {
      // A cluster of short options (-qO-, -qT 2): one that takes a value takes the rest, or the next word.
      const flags = a.slice(1);
      for (let j = 0; j < flags.length; j++) {
        const c = flags[j];
        if (c === 'q') quiet = true;
        else if (c === 'O' || c === 'T') {
          const v = flags.slice(j + 1) || args[++i];
          if (c === 'O') output = v;
          else timeout = Number(v);
          break;
        }
      }
    } else raw = a;
  }
  if (!raw) return { stdout: '', stderr: 'BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-T SEC] URL...\n', code: 1 };
  const url = parseUrl(raw);
  if (!url) return { stdout: '', stderr: `wget: bad address '${raw}'\n`, code: 1 };
  // busybox's own TLS checks no certificate.
  let res = request(w, url, { ...extras, insecure: true });
  // busybox wget follows a redirect (nginx's 301 to a folder's slash) to the new path on the same server.
  const location = res.ok ? res.site?.headers.find(([k]) => k === 'Location')?.[1] : undefined;
  if (res.ok && res.site?.status === 301 && location) {
    const next = parseUrl(location);
    if (next) res = request(w, { ...url, path: next.path }, { ...extras, insecure: true });
  }
  let stderr = '';
  if (!res.ok && res.why === 'resolve') return { stdout: '', stderr: `wget: bad address '${url.host}'\n`, code: 1 };
  if (!quiet) stderr += `Connecting to ${url.host}${url.port === 80 ? '' : `:${url.port}`} (${res.ip}:${url.port})\n`;
  if (!res.ok && res.why === 'tls') return { stdout: '', stderr: stderr + 'wget: error getting response: Connection reset by peer\n', code: 1 };
  // A dropped connection: busybox's own alarm with -T, else the kernel giving up on the SYNs (about two minutes).
  if (!res.ok && res.why === 'timeout') {
    return { stdout: '', stderr: stderr + (timeout && timeout > 0 ? 'wget: download timed out\n' : `wget: can't connect to remote host (${res.ip}): Connection timed out\n`), code: 1 };
  }
  if (!res.ok) return { stdout: '', stderr: stderr + `wget: can't connect to remote host (${res.ip}): Connection refused\n`, code: 1 };
  if (url.https) stderr += 'wget: note: TLS certificate validation not implemented\n';
  if (res.site && res.site.status >= 400) return { stdout: '', stderr: stderr + `wget: server returned error: HTTP/1.1 ${res.site.status} ${res.site.reason}\n`, code: 1 };
  if (spider) return { stdout: '', stderr: quiet ? '' : stderr + 'remote file exists\n', code: 0 };
  const file = output ?? (url.path.replace(/\?.*$/, '').split('/').pop() || 'index.html');
  if (file === '-') return { stdout: res.body, stderr: quiet ? '' : stderr + "writing to stdout\n-                    100% |********************************|   " + res.body.length + '  0:00:00 ETA\nwritten to stdout\n', code: 0 };
  // busybox opens the output file before it prints the progress bar: a failure there is its only message.
  const cannot = save(file, res.body);
  if (cannot) return { stdout: '', stderr: (quiet ? '' : stderr) + `wget: can't open '${file}': ${cannot}\n`, code: 1 };
  if (!quiet) stderr += `saving to '${file}'\n${file.padEnd(20)} 100% |********************************|   ${res.body.length}  0:00:00 ETA\n'${file}' saved\n`;
  return { stdout: '', stderr, code: 0 };
}

/** The kernel's give-up on an unanswered connect: tcp_syn_retries 6, about 130 s as a client measures it. */
const SYN_GIVE_UP_MS = 130_000;

/**
 * What curl 7.88/8.x says when its connect is never answered: its own connect timeout, its whole-transfer
 * limit (`-m`), whichever is sooner, or else the kernel's give-up.
 */
function curlTimeout(url: Url, maxTime?: number, connectTimeout?: number): string {
  const ok = (n?: number) => (n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined);
  const m = ok(maxTime), c = ok(connectTimeout);
  if (c !== undefined && (m === undefined || c <= m)) return `Failed to connect to ${url.host} port ${url.port} after ${Math.round(c * 1000) + 1} ms: Timeout was reached`;
  if (m !== undefined) return `Connection timed out after ${Math.round(m * 1000) + 1} milliseconds`;
  return `Failed to connect to ${url.host} port ${url.port} after ${SYN_GIVE_UP_MS} ms: Couldn't connect to server`;
}

const CURL_LONG_WITH_VALUE = new Set(['--output', '--request', '--data', '--data-raw', '--data-binary', '--write-out', '--user', '--user-agent', '--cacert', '--cert', '--key', '--retry', '--proxy', '--referer', '--cookie', '--form', '--upload-file']);

/** curl: the body on stdout; its exit codes 6 (no such host), 7 (cannot connect) and 28 (no answer in time). */
export function curl(w: ExecWorld, args: string[]): CmdOut {
  let raw: string | undefined, silent = false, showErr = false, head = false, include = false;
  let maxTime: number | undefined, connectTimeout: number | undefined;
  const extras: Extras = { headers: [], resolve: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-H' || a === '--header') {
      const h = headerArg(args[++i]);
      if (h) extras.headers.push(h);
    } else if (a === '--resolve') {
      // HOST:PORT:ADDRESS pins a name to an address for this request, as the Ingress tutorials use it.
      const m = /^([^:]+):(\d+):(\d{1,3}(?:\.\d{1,3}){3})$/.exec(args[++i] ?? '');
      if (m) extras.resolve!.set(`${m[1].toLowerCase()}:${m[2]}`, m[3]);
    } else if (a === '-m' || a === '--max-time') maxTime = Number(args[++i]);
    else if (a === '--connect-timeout') connectTimeout = Number(args[++i]);
    else if (['-o', '-X', '-d', '-w'].includes(a)) i++;
    else if (a === '--include') include = true;
    else if (a === '--insecure') extras.insecure = true;
    else if (a === '--url') raw = args[++i];
    // Long options that take the next word as their value (`--output page.html`), which is then no URL.
    else if (CURL_LONG_WITH_VALUE.has(a)) i++;
    else if (a.startsWith('--')) continue;
    else if (a === '-') continue;
    else if (a.startsWith('-')) {
      // A cluster of short options (-sS, -sSm 5, -m5): one that takes a value takes the rest, or the next word.
      const flags = a.slice(1);
      for (let j = 0; j < flags.length; j++) {
        const c = flags[j];
        if (c === 's') silent = true;
        else if (c === 'S') showErr = true;
        else if (c === 'I') head = true;
        else if (c === 'i') include = true;
        else if (c === 'k') extras.insecure = true;
        else if ('omXdwH'.includes(c)) {
          const v = flags.slice(j + 1) || args[++i];
          if (c === 'm') maxTime = Number(v);
          else if (c === 'H') {
            const h = headerArg(v);
            if (h) extras.headers.push(h);
          }
          break;
        }
      }
    } else raw = a;
  }
  if (!raw) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", code: 2 };
  const url = parseUrl(raw);
  const quietErr = silent && !showErr;
  if (!url) return { stdout: '', stderr: quietErr ? '' : `curl: (3) URL rejected: Malformed input to a URL function\n`, code: 3 };
  const res = request(w, url, extras);
  if (!res.ok && res.why === 'resolve') return { stdout: '', stderr: quietErr ? '' : `curl: (6) Could not resolve host: ${url.host}\n`, code: 6 };
  if (!res.ok && res.why === 'tls') return { stdout: '', stderr: quietErr ? '' : 'curl: (35) error:0A00010B:SSL routines::wrong version number\n', code: 35 };
  if (!res.ok && res.why === 'cert') {
    return { stdout: '', stderr: quietErr ? '' : "curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n", code: 60 };
  }
  if (!res.ok && res.why === 'timeout') return { stdout: '', stderr: quietErr ? '' : `curl: (28) ${curlTimeout(url, maxTime, connectTimeout)}\n`, code: 28 };
  if (!res.ok) return { stdout: '', stderr: quietErr ? '' : `curl: (7) Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server\n`, code: 7 };
  const status = res.site
    ? `HTTP/1.1 ${res.site.status} ${res.site.reason}\r\n${res.site.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}${res.site.headers.some(([k]) => k === 'Connection') ? '' : 'Connection: keep-alive\r\n'}\r\n`
    : `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(res.body)}\r\n\r\n`;
  if (head) return { stdout: status, stderr: '', code: 0 };
  return { stdout: (include ? status : '') + res.body, stderr: '', code: 0 };
}
