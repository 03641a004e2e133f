/**
 * The network commands learners run inside a pod to see Services and DNS
 * work: `getent hosts`, `wget` and `curl` (`nslookup` is in nslookup.ts). Names resolve through
 * the pod's search path against the DNS model; a request to a Service IP goes
 * where the kube-proxy model sends it, and the simulated server answers in
 * the manner of traefik/whoami (podhttp.ts): which pod (name and IP) served it.
 */
import { CLUSTER_DNS_IP, searchPath } from '../network/dns';
import type { ExecWorld } from './execenv';
import { canonicalKey, headLines, podAnswers, servingContainer, SimulatedHttpConnection, whoamiBody } from './podhttp';
import { controllerConfig, isIngressNginx } from './ingresssite';
import { serverProtocol } from '../../../kube/src/imageConvention';
import { containerFs } from './mounts';
import { podSite, type SiteAnswer, type SiteWorld } from './sites';
import { logAccess, type AccessRecord, type ServerConnection } from './accesslog';
import { isIPv4, namespaceOf, reach, resolveFromPod, serving } from './reach';
import { CURL_CERT_ADVICE, callApiserver, curlHead, curlTlsError, type TlsFailure } from './apiclient';
import type { PodApiServer } from '../network/apiserver';

export interface CmdOut {
  stdout: string;
  stderr: string;
  code: number;
  /** Standard output as bytes, when a command writes binary (`tar cf -`); it then stands for `stdout`. */
  bin?: Uint8Array;
  /** The command is not in the container: a shell says `not found`; run directly, the runtime cannot start it. */
  notFound?: boolean;
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

export interface Url { host: string; port: number; path: string; https: boolean }

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(raw);
  if (!m) return undefined;
  return { host: m[2], port: m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80, path: m[4] || '/', https: m[1] === 'https' };
}

/**
 * Why a request got no answer. `tls`: the server speaks no TLS; `cert`: it does, with a certificate nobody here
 * trusts; `timeout`: a NetworkPolicy dropped the connection, so no answer ever came; `client`: the client gave up
 * for a reason of its own (the apiserver's certificate), in its words.
 */
export type Served =
  | { ok: true; body: string; ip: string; site?: SiteAnswer; http?: '1.0' | '1.1' | '2'; streaming?: boolean }
  | { ok: false; why: 'resolve' | 'refused' | 'tls' | 'cert' | 'timeout'; ip?: string }
  | { ok: false; why: 'client'; ip: string; failure: TlsFailure };

/**
 * What the client adds to a request: headers (`-H`, `--header`), curl's
 * `--resolve HOST:PORT:ADDR`, whether it accepts any certificate (`-k`) and
 * which CA it trusts (`--cacert`), the method and the body.
 */
export interface Extras {
  headers: Array<[string, string]>;
  resolve?: Map<string, string>;
  insecure?: boolean;
  client?: 'curl' | 'wget' | 'kubectl';
  method?: string;
  body?: string;
  caFile?: { path: string; text: string | null };
}

/** The client's own request headers, which the user's (-H) replace: curl's User-Agent and Accept, busybox wget's. */
const CLIENT_HEADERS: Record<'curl' | 'wget' | 'kubectl', Array<[string, string]>> = {
  curl: [['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']],
  wget: [['User-Agent', 'Wget'], ['Connection', 'close']],
  // kubectl (kubectl.ts) gives all of its own.
  kubectl: [],
};

/** A `Name: value` header line as curl and wget take it; undefined when it has no colon. */
function headerArg(s: string | undefined): [string, string] | undefined {
  const colon = s?.indexOf(':') ?? -1;
  if (!s || colon <= 0) return undefined;
  return [canonicalKey(s.slice(0, colon).trim()), s.slice(colon + 1).trim()];
}

/** Where the request lands: a Service IP through kube-proxy, a pod IP directly, or the apiserver. */
export function request(w: ExecWorld, url: Url, extras: Extras = { headers: [] }): Served {
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
  // The client's own headers come next (curl's User-Agent and Accept, wget's), unless the user's replace them;
  // a header the user gives empty (`-H 'Accept:'`) is left out.
  const user = extras.headers.filter(([k]) => k !== 'Host');
  const headers: Array<[string, string]> = [['Host', host]];
  if (extras.client) for (const [k, v] of CLIENT_HEADERS[extras.client]) if (!user.some(([u]) => u === k)) headers.push([k, v]);
  headers.push(...user.filter(([, v]) => v !== ''));
  const remoteAddr = loopback ? '127.0.0.1' : w.pod.status?.podIP ?? '127.0.0.1';
  const method = extras.method ?? 'GET';
  if (r.apiserver) return apiserverRequest(r.apiserver, url, extras, host, method, remoteAddr, ip);
  if (url.https) {
    // Only an ingress controller's HTTPS port speaks TLS here, with a certificate no CA in the container signed.
    const c = pod ? servingContainer(pod, port) : undefined;
    if (!c || !isIngressNginx(c) || controllerConfig(c).httpsPort !== port || !w.ingress) return { ok: false, why: 'tls', ip };
    if (!extras.insecure) return { ok: false, why: 'cert', ip };
  }
  // A web server with content of the user's (nginx with a volume on its html folder), or an ingress controller,
  // answers for itself.
  const site = pod && w.worldOf ? podSite(pod, port, siteWorldOf(w))?.({ method, target: url.path, host, headers, remoteAddr, tls: url.https }) : undefined;
  const access = { method, target: url.path, headers, remoteAddr };
  if (site) {
    if (pod) logAccess(pod, port, w, access, site.status, site.body.length, w.now(), site.error);
    return { ok: true, body: site.body.toString('utf8'), ip, site };
  }
  const body = whoamiBody({ podName: podName!, podIP: podIP!, port, remoteAddr }, method, url.path, headers);
  if (pod) logAccess(pod, port, w, access, 200, Buffer.byteLength(body), w.now());
  return { ok: true, body, ip };
}

/** A request to the kube-apiserver (apiclient.ts): the client's own headers, the user's, and the body's. */
function apiserverRequest(server: PodApiServer, url: Url, extras: Extras, host: string, method: string, from: string, ip: string): Served {
  const client = extras.client ?? 'curl';
  const user = extras.headers.filter(([k]) => k !== 'Host');
  const headers: Array<[string, string]> = [['Host', host]];
  for (const [k, v] of CLIENT_HEADERS[client]) if (!user.some(([u]) => u === k)) headers.push([k, v]);
  headers.push(...user.filter(([, v]) => v !== ''));
  const body = Buffer.from(extras.body ?? '', 'utf8');
  if (extras.body !== undefined) {
    // curl -d sends a form unless told otherwise; the apiserver will not read one (415).
    if (!headers.some(([k]) => k === 'Content-Type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    headers.push(['Content-Length', String(body.length)]);
  }
  const out = callApiserver(server, { client, host: url.host, https: url.https, method, target: url.path, headers, body, insecure: extras.insecure, caFile: extras.caFile, from });
  if ('tls' in out) return { ok: false, why: 'client', ip, failure: out };
  const a = out.answer;
  const site: SiteAnswer = { status: a.status, reason: a.reason, headers: a.headers, body: Buffer.from(a.body) };
  return { ok: true, body: site.body.toString('utf8'), ip, site, http: out.http, streaming: a.streaming };
}

/** What a server in another pod reads, seen from this container's world. */
function siteWorldOf(w: ExecWorld): SiteWorld {
  return {
    fsOf: (p, c) => containerFs(w.worldOf!(p, c)), now: () => w.now(), ingress: w.ingress,
    connect: (from, to, port) => w.worldOf!(from, from.spec?.containers?.[0]?.name ?? '').connect?.(to, port, 'TCP').allowed ?? true,
    accessLog: w.accessLog,
    connection: w.connection,
  };
}

/** busybox wget: `-qO-` prints the body; without `-O` the body is saved to a file. */
/** `save` writes the file, answering why it cannot (strerror's words), or undefined. */
export function wget(w: ExecWorld, args: string[], save: (path: string, text: string) => string | undefined): CmdOut {
  let quiet = false, output: string | undefined, spider = false, raw: string | undefined, timeout: number | undefined, noCheck = false;
  const extras: Extras = { headers: [], client: 'wget' };
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
    else if (a === '--no-check-certificate') noCheck = true;
    else if (a.startsWith('--')) continue;
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
  // busybox's TLS helper checks no certificate and says so, -q or not, unless told not to check.
  if (url.https && !noCheck) stderr += 'wget: note: TLS certificate validation not implemented\n';
  if (res.site && res.site.status >= 400) return { stdout: '', stderr: stderr + `wget: server returned error: HTTP/${res.http === '1.0' ? '1.0' : '1.1'} ${res.site.status} ${res.site.reason}\n`, code: 1 };
  if (spider) return { stdout: '', stderr: stderr + (quiet ? '' : 'remote file exists\n'), code: 0 };
  const file = output ?? (url.path.replace(/\?.*$/, '').split('/').pop() || 'index.html');
  if (file === '-') return { stdout: res.body, stderr: stderr + (quiet ? '' : "writing to stdout\n-                    100% |********************************|   " + res.body.length + '  0:00:00 ETA\nwritten to stdout\n'), code: 0 };
  // busybox opens the output file before it prints the progress bar: a failure there is its only message.
  const cannot = save(file, res.body);
  if (cannot) return { stdout: '', stderr: stderr + `wget: can't open '${file}': ${cannot}\n`, code: 1 };
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

/** Long options that take the next word as their value (`--output page.html`), which is then no URL. */
const CURL_LONG_WITH_VALUE = new Set(['--user', '--cert', '--key', '--retry', '--proxy', '--referer', '--cookie', '--form', '--upload-file', '--data-urlencode', '--capath', '--max-redirs']);
/** Short options that take a value (the rest of their cluster, or the next word). */
const CURL_SHORT_WITH_VALUE = 'omXdwHADuxebcFTrYyz';

/** What curl and wget read and write in the container: files, and curl's standard input (`-d @-`). */
export interface NetFiles {
  read(path: string): string | undefined;
  save(path: string, text: string): string | undefined;
  stdin?: string;
}

/** A throwaway filesystem: nothing to read, and what is written is gone. */
const NO_FILES: NetFiles = { read: () => undefined, save: () => undefined };

/** curl -w: the variables people use, and the escapes curl expands. */
function writeOut(format: string, status: number, http: string, size: number): string {
  const vars: Record<string, string> = {
    http_code: String(status).padStart(3, '0'), response_code: String(status).padStart(3, '0'), http_version: http, size_download: String(size),
  };
  return format.replace(/%%|%\{([a-z_]+)\}|\\([nrt\\])/g, (all, v: string | undefined, e: string | undefined) =>
    all === '%%' ? '%' : v !== undefined ? vars[v] ?? '' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : '\\');
}

/**
 * curl: the body on stdout; its exit codes 6 (no such host), 7 (cannot connect), 22 (`-f` and an HTTP error),
 * 28 (no answer in time), 60 and 77 (certificates). `-X`, `-d`/`--data-binary` (`@file`), `-o`, `-w`, `-i`,
 * `-I`, `-H`, `-A`, `-k` and `--cacert` work as curl's.
 */
export function curl(w: ExecWorld, args: string[], files: NetFiles = NO_FILES): CmdOut {
  let raw: string | undefined, silent = false, showErr = false, head = false, include = false, fail = false;
  let maxTime: number | undefined, connectTimeout: number | undefined, method: string | undefined, output: string | undefined, format: string | undefined;
  let dumpHeader: string | undefined;
  const data: string[] = [];
  let warnings = '';
  const extras: Extras = { headers: [], resolve: new Map(), client: 'curl' };
  const header = (v: string | undefined) => {
    // `-H 'Accept:'` removes a header curl would send; `-H 'X;'` sends one with no value.
    const h = headerArg(v) ?? (v && /^[^:;\s]+;$/.test(v) ? [canonicalKey(v.slice(0, -1)), ''] as [string, string] : undefined);
    if (h) extras.headers.push(h);
  };
  // -d and its kin: `@file` reads the file (`@-` standard input); -d drops its newlines, --data-binary keeps them.
  const addData = (v: string | undefined, kind: 'ascii' | 'binary' | 'raw') => {
    if (v === undefined) return;
    if (kind !== 'raw' && v.startsWith('@')) {
      const path = v.slice(1);
      const text = path === '-' ? files.stdin ?? '' : files.read(path);
      if (text === undefined) warnings += `Warning: Couldn't read data from file "${path}", this makes an empty POST.\n`;
      data.push(kind === 'ascii' ? (text ?? '').replace(/[\r\n]/g, '') : text ?? '');
    } else data.push(v);
  };
  const takeValue = (c: string, v: string | undefined) => {
    if (c === 'm') maxTime = Number(v);
    else if (c === 'X') method = v;
    else if (c === 'd') addData(v, 'ascii');
    else if (c === 'o') output = v;
    else if (c === 'w') format = v;
    else if (c === 'D') dumpHeader = v;
    else if (c === 'H') header(v);
    else if (c === 'A') extras.headers.push(['User-Agent', v ?? '']);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-H' || a === '--header') header(args[++i]);
    else if (a === '--resolve') {
      // HOST:PORT:ADDRESS pins a name to an address for this request, as the Ingress tutorials use it.
      const m = /^([^:]+):(\d+):(\d{1,3}(?:\.\d{1,3}){3})$/.exec(args[++i] ?? '');
      if (m) extras.resolve!.set(`${m[1].toLowerCase()}:${m[2]}`, m[3]);
    } else if (a === '--max-time') maxTime = Number(args[++i]);
    else if (a === '--connect-timeout') connectTimeout = Number(args[++i]);
    else if (a === '--request') method = args[++i];
    else if (a === '--data' || a === '--data-ascii') addData(args[++i], 'ascii');
    else if (a === '--data-binary') addData(args[++i], 'binary');
    else if (a === '--data-raw') addData(args[++i], 'raw');
    else if (a === '--output') output = args[++i];
    else if (a === '--write-out') format = args[++i];
    else if (a === '--dump-header') dumpHeader = args[++i];
    else if (a === '--user-agent') extras.headers.push(['User-Agent', args[++i] ?? '']);
    else if (a === '--cacert') {
      const path = args[++i] ?? '';
      extras.caFile = { path, text: files.read(path) ?? null };
    } else if (a === '--include') include = true;
    else if (a === '--head') head = true;
    else if (a === '--fail') fail = true;
    else if (a === '--silent') silent = true;
    else if (a === '--show-error') showErr = true;
    else if (a === '--insecure') extras.insecure = true;
    else if (a === '--url') raw = args[++i];
    else if (CURL_LONG_WITH_VALUE.has(a)) i++;
    else if (a.startsWith('--')) continue;
    else if (a === '-') continue;
    else if (a.startsWith('-')) {
      // A cluster of short options (-sS, -sSm 5, -m5, -XPOST): one that takes a value takes the rest, or the next word.
      const flags = a.slice(1);
      for (let j = 0; j < flags.length; j++) {
        const c = flags[j];
        if (c === 's') silent = true;
        else if (c === 'S') showErr = true;
        else if (c === 'I') head = true;
        else if (c === 'i') include = true;
        else if (c === 'k') extras.insecure = true;
        else if (c === 'f') fail = true;
        else if (CURL_SHORT_WITH_VALUE.includes(c)) {
          takeValue(c, flags.slice(j + 1) || args[++i]);
          break;
        }
      }
    } else raw = a;
  }
  if (!raw) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", code: 2 };
  const url = parseUrl(raw);
  const quietErr = silent && !showErr;
  // -s silences curl's warnings and its error line; -S brings back the error line alone.
  const err = (text: string, code: number): CmdOut => ({ stdout: '', stderr: (silent ? '' : warnings) + (quietErr ? '' : text), code });
  if (!url) return err('curl: (3) URL rejected: Malformed input to a URL function\n', 3);
  if (data.length) extras.body = data.join('&');
  extras.method = method ?? (head ? 'HEAD' : data.length ? 'POST' : 'GET');
  const res = request(w, url, extras);
  if (!res.ok) {
    switch (res.why) {
      case 'resolve': return err(`curl: (6) Could not resolve host: ${url.host}\n`, 6);
      case 'tls': return err('curl: (35) error:0A00010B:SSL routines::wrong version number\n', 35);
      case 'cert': return err(`curl: (60) SSL certificate problem: self-signed certificate\n${CURL_CERT_ADVICE}`, 60);
      case 'client': {
        const e = curlTlsError(res.failure, extras.caFile?.path, url.host);
        return err(`curl: (${e.code}) ${e.error}${e.error.endsWith('\n') ? '' : '\n'}`, e.code);
      }
      case 'timeout': return err(`curl: (28) ${curlTimeout(url, maxTime, connectTimeout)}\n`, 28);
      default: return err(`curl: (7) Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server\n`, 7);
    }
  }
  const status = res.site?.status ?? 200;
  const httpVersion = res.http ?? '1.1';
  const statusHead = res.site && res.http ? curlHead({ ...res.site, streaming: false }, res.http)
    : res.site
      ? `HTTP/1.1 ${res.site.status} ${res.site.reason}\r\n${headLines(res.site, 'keep-alive').map((l) => `${l}\r\n`).join('')}\r\n`
      : `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(res.body)}\r\n\r\n`;
  // -f: an HTTP error is a failure, and its body is not shown.
  if (fail && status >= 400) return err(`curl: (22) The requested URL returned error: ${status}\n`, 22);
  const body = head ? '' : res.body;
  let stdout = (include || head ? statusHead : '') + body;
  let stderr = silent ? '' : warnings;
  let code = 0;
  if (dumpHeader !== undefined && dumpHeader !== '-') files.save(dumpHeader, statusHead);
  if (output !== undefined && output !== '-') {
    const cannot = output === '/dev/null' ? undefined : files.save(output, stdout);
    if (cannot) {
      if (!silent) warnings += `Warning: Failed to open the file ${output}: ${cannot}\n`;
      return err(`curl: (23) Failure writing output to destination\n`, 23);
    }
    stdout = '';
  }
  // -D -: the head goes to standard output, before the body (or alone, when the body goes to a file).
  if (dumpHeader === '-' && !include && !head) stdout = statusHead + stdout;
  if (format !== undefined) stdout += writeOut(format, status, httpVersion, Buffer.byteLength(body));
  // A watch (or a followed log) stays open on a cluster; the shell's commands end at once, so it ends after the
  // events so far: as curl's -m ends it, or with a word from the playground.
  if (res.streaming) {
    if (maxTime !== undefined && Number.isFinite(maxTime) && maxTime > 0) {
      code = 28;
      if (!quietErr) stderr += `curl: (28) Operation timed out after ${Math.round(maxTime * 1000) + 1} milliseconds with ${Buffer.byteLength(body)} bytes received\n`;
    } else stderr += 'kubeplay: the answer is a stream that stays open on a cluster; the simulated shell ends it after what came at once (curl -m N ends it as curl would)\n';
  }
  return { stdout, stderr, code };
}

/** Packets a `ping` without `-c` sends here: the simulated shell cannot be interrupted the way Ctrl-C stops it. */
export const PING_UNTIL_INTERRUPTED = 4;

/** Whether an address is in the Service range (10.96.0.0/12): a ClusterIP is no host's, and kube-proxy translates only TCP, UDP and SCTP. */
function inServiceRange(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b >= 96 && b <= 111;
}

/**
 * busybox `ping [-c N] [-q] [-w SECONDS] [-W SECONDS] HOST`: ICMP echo from this pod. A pod's IP (or a
 * host-network pod's node address) answers, unless a NetworkPolicy isolates one end without a rule that
 * allows every port (ICMP has none); the pod's own address and loopback answer; a Service's ClusterIP never
 * does (kube-proxy's rules translate only TCP, UDP and SCTP, and no host owns the address), which is the
 * classic surprise of `ping myservice`. Replies come with the TTL the hops leave (64 from this pod's own
 * network or its node, 63 from a pod on the same node or another node itself, 62 from a pod across nodes)
 * and round-trip times from the simulation.
 */
export function ping(w: ExecWorld, args: string[]): CmdOut {
  let count: number | undefined;
  let quiet = false;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const valued = /^-([cwWsi])(.*)$/.exec(a);
    if (valued) {
      const v = valued[2] || args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return { stdout: '', stderr: `ping: invalid number '${v ?? ''}'\n`, code: 1 };
      if (valued[1] === 'c') count = Number(v);
      else if (valued[1] === 'w') count ??= Math.max(1, Number(v));
      continue;
    }
    if (a === '-q') { quiet = true; continue; }
    if (a === '-4') continue;
    if (a.startsWith('-')) return { stdout: '', stderr: `ping: unrecognized option '${a}'\nBusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n`, code: 1 };
    host = a;
  }
  if (!host) return { stdout: '', stderr: 'BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n', code: 1 };
  const ip = resolveFromPod(w, host)?.records.find(isIPv4);
  if (!ip) return { stdout: '', stderr: `ping: bad address '${host}'\n`, code: 1 };
  const sent = count ?? PING_UNTIL_INTERRUPTED;
  const own = w.pod.status?.podIP;
  let ttl: number | undefined;
  if (ip.startsWith('127.') || ip === own) ttl = 64;
  else if (!inServiceRange(ip)) {
    const target = w.podByIP(ip);
    if (target && target.status?.phase === 'Running') {
      const allowed = !w.connect || w.connect(target, 0, 'ICMP').allowed;
      // Each node that forwards the reply takes one off: the target's (unless it answers from the host's own
      // network) and this pod's.
      const sameNode = target.spec?.nodeName === w.pod.spec?.nodeName;
      if (allowed) ttl = 64 - (target.spec?.hostNetwork ? 0 : 1) - (sameNode ? 0 : 1);
    }
  }
  let out = `PING ${host} (${ip}): 56 data bytes\n`;
  const times: number[] = [];
  if (ttl !== undefined) {
    // Round trips of a few tens of microseconds, varying by packet (the simulation's, the same on every run).
    let h = 0;
    for (const ch of `${own}>${ip}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    for (let s = 0; s < sent; s++) {
      h = (h * 1103515245 + 12345) >>> 0;
      const ms = (ttl === 62 ? 0.25 : 0.04) + (h % 90) / 1000;
      times.push(ms);
      if (!quiet) out += `64 bytes from ${ip}: seq=${s} ttl=${ttl} time=${ms.toFixed(3)} ms\n`;
    }
  }
  const got = times.length;
  out += `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${got} packets received, ${sent ? Math.round(((sent - got) * 100) / sent) : 0}% packet loss\n`;
  if (got) {
    const avg = times.reduce((a, b) => a + b, 0) / got;
    out += `round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`;
  }
  const note = count === undefined ? `kubeplay: ping stopped after ${sent} packets (the simulated shell cannot be interrupted; ping -c N sends N)\n` : '';
  return { stdout: out, stderr: note, code: got ? 0 : 1 };
}

const NC_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: nc [OPTIONS] HOST PORT  - connect
nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen

\t-e PROG\tRun PROG after connect (must be last)
\t-l\tListen mode, for inbound connects
\t-lk\tWith -e, provides persistent server
\t-p PORT\tLocal port
\t-s ADDR\tLocal address
\t-w SEC\tTimeout for connects and final net reads
\t-i SEC\tDelay interval for lines sent
\t-n\tDon't do DNS resolution
\t-u\tUDP mode
\t-b\tAllow broadcasts
\t-v\tVerbose
\t-o FILE\tHex dump traffic
\t-z\tZero-I/O mode (scanning)
`;

/**
 * busybox `nc` (nc_bloaty.c, the netcat 1.10 compatible build the image has): `-z` only connects (a scan), `-v`
 * says `HOST (IP:PORT) open`, and refusals only at `-vv` ("one -v" scans do not print them); without `-z` it sends
 * its standard input, half-closes at its end, and prints what the server answers until the server closes. Names
 * resolve through the pod's search path; a Service address goes where kube-proxy sends it. Listen mode (`-l`)
 * belongs in a container's command, where it makes the container a server (imageConvention.ts).
 */
export function nc(w: ExecWorld, args: string[], stdin: Uint8Array | undefined): CmdOut {
  let zero = false, verbose = 0, listen = false;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') { words.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'z') zero = true;
      else if (c === 'v') verbose++;
      else if (c === 'n') { /* no reverse lookups: none are printed here */ }
      else if (c === 'l') listen = true;
      else if (c === 'u' || c === 'b' || c === 'k') { /* UDP, broadcasts, keep listening: nothing more to do here */ }
      else if ('wpsioe'.includes(c)) {
        const v = a.slice(j + 1) || args[++i];
        if (v === undefined) return { stdout: '', stderr: `nc: option requires an argument -- '${c}'\n${NC_USAGE}`, code: 1 };
        // -w bounds the connect and the idle reads after it: the answers here come at once, or never (a timeout).
        if (c === 'w' && !/^\d+$/.test(v)) return { stdout: '', stderr: `nc: invalid number '${v}'\n`, code: 1 };
        if (c === 'e') return { stdout: '', stderr: 'kubeplay: nc -e (a program after connecting) is not simulated\n', code: 1 };
        break;
      } else return { stdout: '', stderr: `nc: invalid option -- '${c}'\n${NC_USAGE}`, code: 1 };
    }
  }
  if (listen) return { stdout: '', stderr: "kubeplay: nc -l in an exec session is not simulated; as a container's command it makes the container a server\n", code: 1 };
  if (words.length === 0 || words.length > 2) return { stdout: '', stderr: NC_USAGE, code: 1 };
  const [host, portWord] = words;
  // The busybox image has no /etc/services: a port is a number.
  let port = 0;
  if (portWord !== undefined) {
    if (!/^\d+$/.test(portWord) || Number(portWord) > 65535) return { stdout: '', stderr: `nc: bad port '${portWord}'\n`, code: 1 };
    port = Number(portWord);
  }
  // -n only spares reverse lookups (busybox resolves the target either way); an address must be one.
  const dottedQuad = /^\d+(\.\d+){3}$/.test(host);
  const hit = dottedQuad ? (host.split('.').every((o) => Number(o) <= 255) ? { fqdn: host, records: [host] } : undefined) : resolveFromPod(w, host);
  const ip = hit?.records.find(isIPv4);
  if (!ip) return { stdout: '', stderr: `nc: bad address '${host}'\n`, code: 1 };
  const dotted = `${ip}:${port}`;
  const tally = (sent: number, rcvd: number) => (verbose > 1 ? `sent ${sent}, rcvd ${rcvd}\n` : '');
  const r = port === 0 ? undefined : reach(w, ip, port);
  if (!r || r.outcome !== 'open') {
    const why = r?.outcome === 'timeout' ? 'Connection timed out' : 'Connection refused';
    // A scan at one -v leaves refusals out; a timeout (a dropped SYN: -w seconds, else the kernel's ~2 minutes) it says.
    const say = verbose > 1 || (verbose === 1 && why !== 'Connection refused');
    return { stdout: '', stderr: (say ? `nc: ${host} (${dotted}): ${why}\n` : '') + tally(0, 0), code: 1 };
  }
  const stderr = verbose ? `${host} (${dotted}) open\n` : '';
  if (zero) return { stdout: '', stderr: stderr + tally(0, 0), code: 0 };
  const sent = stdin?.length ?? 0;
  // The apiserver speaks TLS: Go's TLS server answers bytes that look like an HTTP request with its refusal, and
  // closes on anything else.
  if (r.apiserver) {
    const looksHttp = /^(GET \/|HEAD |POST |PUT \/|OPTIO)/.test(Buffer.from(stdin ?? []).toString('latin1'));
    const refusal = looksHttp ? 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n' : '';
    return { stdout: refusal, stderr: stderr + tally(sent, Buffer.byteLength(refusal)), code: 0 };
  }
  const server = r.pod ? servingContainer(r.pod, r.port) : undefined;
  const protocol = server ? serverProtocol(server) : 'http';
  if (protocol !== 'http') {
    // redis answers its inline commands line by line (PING is +PONG); the other servers' protocols are not played.
    const reply = protocol === 'redis' ? redisInline(Buffer.from(stdin ?? []).toString('latin1')) : '';
    return { stdout: reply, stderr: stderr + tally(sent, Buffer.byteLength(reply)), code: 0 };
  }
  const chunks: Buffer[] = [];
  const pod = r.pod;
  const who = {
    podName: r.podName!, podIP: r.podIP!, port: r.port,
    remoteAddr: r.loopback ? '127.0.0.1' : w.pod.status?.podIP ?? '127.0.0.1',
    site: pod && w.worldOf ? podSite(pod, r.port, siteWorldOf(w)) : undefined,
    served: (req: AccessRecord, status: number, bytes: number, error?: string, conn?: { current?: ServerConnection }) => { if (pod) logAccess(pod, r.port, w, req, status, bytes, w.now(), error, conn); },
  };
  let closed = false;
  const conn = new SimulatedHttpConnection(who, () => w.now(), (b) => chunks.push(b), () => { closed = true; });
  if (sent) conn.receive(Buffer.from(stdin!));
  // Standard input ended: nc shuts its sending side down, and the server closes once it has answered.
  if (!closed) conn.end();
  const body = Buffer.concat(chunks);
  return { stdout: body.toString('utf8'), stderr: stderr + tally(sent, body.length), code: 0 };
}

/** redis's answers to the inline commands PING, ECHO and QUIT; the others (its data commands) are not played and get nothing. */
function redisInline(input: string): string {
  let out = '';
  for (const line of input.split(/\r?\n/)) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    const cmd = words[0].toLowerCase();
    if (cmd === 'ping') out += words.length > 1 ? `$${Buffer.byteLength(words[1])}\r\n${words[1]}\r\n` : '+PONG\r\n';
    else if (cmd === 'echo' && words.length === 2) out += `$${Buffer.byteLength(words[1])}\r\n${words[1]}\r\n`;
    else if (cmd === 'quit') { out += '+OK\r\n'; break; }
  }
  return out;
}
