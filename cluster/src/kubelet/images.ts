/**
 * The kubelet's side of the image convention (docs/images.md): probe answers,
 * image sizes and digests, pull policy and container logs. What a container
 * does (`behaviourOf`) lives in kube/src/imageConvention.ts, which the
 * language server's hover reads too.
 */
import { defaultPullPolicy } from '../../../kube/src/pullPolicy';
import type { KObject } from '../contract';
import { controllerConfig, isIngressNginx } from './ingresssite';
import { programOutput } from './programs';
import { containerRunsAs, fileExistsAt, hasNoPrograms, POSTGRES_NO_PASSWORD, postgresMissingPassword, idleShell, interactiveShell, listensOn, type DatabaseRefusal, MONGO_HALF_CREDENTIALS, mongoHalfCredentials, mysqlRefusal, redisServerArgv, nginxDaemonizes, nginxWriteFailure, parseImage, SLEEP_UNIT, type Behaviour } from '../../../kube/src/imageConvention';
import { ENTRYPOINT_PIDS, nginxLaunch, nodeCpus } from './procs';
import { KERNEL_RELEASE } from './nodes';
import { nginxVersion } from './nginxversion';
import { databaseRefusalLog } from './dbentrypoint';
import { redisStartup, redisVersion } from './redislog';

export { nginxVersion };
import { systemLog, type ClusterNode } from './systemlogs';
import { fnv } from '../runtime/hash';
import { Interner } from '../runtime/intern';

const digests = new Interner<string>(10_000);

/** What a probe of the simulated container answers: success, or the failure output the kubelet puts in its event. */
export interface ProbeAnswer { ok: boolean; output: string; /** How long the probe takes (a timed-out exec takes its timeout). */ tookMs: number }

const OK: ProbeAnswer = { ok: true, output: '', tookMs: 0 };

/** Answers one probe `runningMs` after the container started, by the rules of docs/images.md. */
export function probeAnswer(container: any, b: Behaviour, probe: any, podIP: string, runningMs: number, podContainers: any[] = [container], exists?: (path: string) => boolean | undefined): ProbeAnswer {
  const served = (port: number) => podContainers.some((x) => listensOn(x, port));
  const sick = (b.sickAfterMs !== undefined && runningMs >= b.sickAfterMs) || (b.warmupMs !== undefined && runningMs < b.warmupMs);
  if (probe.exec) {
    const argv: string[] = probe.exec.command ?? [];
    const cmd = argv.join(' ');
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    const sleep = /\bsleep\s+(\d+(?:\.\d+)?)(s|m|h)?\b/.exec(cmd);
    const sleptMs = sleep ? Number(sleep[1]) * SLEEP_UNIT[sleep[2] ?? 's'] : 0;
    if (sleptMs >= timeoutMs) return { ok: false, output: `command ${JSON.stringify(cmd)} timed out`, tookMs: timeoutMs };
    const exit = /\bexit\s+(\d+)/.exec(cmd);
    if (sick || /(^|[\s;&|])false\b/.test(cmd) || (exit && exit[1] !== '0')) return { ok: false, output: '', tookMs: sleptMs };
    const read = /\b(cat|ls|test\s+-[ef]|stat)\s+([^\s;&|]+)/.exec(cmd);
    // The container's filesystem when the kubelet can read it (a `kubectl exec … rm` counts), else the command's timeline.
    if (read && !(exists?.(read[2]) ?? fileExistsAt(b, read[2], runningMs))) {
      const f = read[2];
      // busybox's own words, newline included: the kubelet passes the exec output on untrimmed.
      const output = read[1] === 'cat' ? `cat: can't open '${f}': No such file or directory\n`
        : read[1] === 'ls' ? `ls: ${f}: No such file or directory\n`
        : read[1] === 'stat' ? `stat: can't stat '${f}': No such file or directory\n` : '';
      return { ok: false, output, tookMs: sleptMs };
    }
    return sleptMs ? { ok: true, output: '', tookMs: sleptMs } : OK;
  }
  // An HTTP or TCP probe to a port the image does not listen on is refused, sick or not (the prober's own words).
  if (probe.httpGet) {
    const port = portNumber(container, probe.httpGet.port);
    if (typeof port === 'number' && !served(port)) {
      const host = probe.httpGet.host || podIP;
      const scheme = String(probe.httpGet.scheme ?? 'HTTP').toLowerCase();
      const path = probe.httpGet.path ? (String(probe.httpGet.path).startsWith('/') ? probe.httpGet.path : `/${probe.httpGet.path}`) : '';
      return { ok: false, output: `Get "${scheme}://${host}:${port}${path}": dial tcp ${host}:${port}: connect: connection refused`, tookMs: 0 };
    }
  }
  if (probe.tcpSocket) {
    const port = portNumber(container, probe.tcpSocket.port);
    if (typeof port === 'number' && !served(port)) {
      return { ok: false, output: `dial tcp ${probe.tcpSocket.host || podIP}:${port}: connect: connection refused`, tookMs: 0 };
    }
  }
  if (!sick) return OK;
  if (probe.httpGet) return { ok: false, output: 'HTTP probe failed with statuscode: 500', tookMs: 0 };
  if (probe.tcpSocket) {
    const host = probe.tcpSocket.host || podIP;
    return { ok: false, output: `dial tcp ${host}:${portNumber(container, probe.tcpSocket.port)}: connect: connection refused`, tookMs: 0 };
  }
  if (probe.grpc) return { ok: false, output: 'service unhealthy (responded with "NOT_SERVING")', tookMs: 0 };
  return OK;
}

/**
 * ResolveContainerPort's error for a port given by a name the container's own `ports` do not declare, or undefined
 * when the port resolves. Probes and HTTP lifecycle hooks both go through it. When findPortByName finds no such port,
 * it tries the name as a number as a last resort, and that error is the one it returns: `strconv.Atoi: parsing
 * "http": invalid syntax`, as kubelets answer (a name is never a number: validation wants a letter in it).
 */
export function portNameError(container: any, port: unknown): string | undefined {
  if (typeof port !== 'string') return undefined;
  return (container?.ports ?? []).some((p: any) => p?.name === port) ? undefined : `strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`;
}

/** A named port resolves through the container's `ports`, as the kubelet's findPortByName does. */
function portNumber(container: any, port: number | string): number | string {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p: any) => p.name === port);
  return named ? named.containerPort : port;
}


/** A deterministic compressed image size in bytes (between ~2 MB and ~200 MB), known ones as upstream reports them. */
export function imageSize(image: string): number {
  const ref = parseImage(image);
  const known: Record<string, number> = { pause: 320_368, 'library/nginx': 72_195_292, 'library/busybox': 2_155_575, 'library/redis': 45_183_423, 'library/alpine': 3_653_068 };
  return known[ref.repository] ?? 2_000_000 + (fnv(ref.full) % 198_000_000);
}

export function imageDigest(image: string): string {
  return digests.get(image, computeDigest);
}

function computeDigest(image: string): string {
  const ref = parseImage(image);
  let hex = '';
  // The word's index goes first, so the whole reference is hashed after it: with the index last, only one final
  // FNV round differed between words and the eight words came out alike (9243f6ec9343f87f9443fa12...), where a
  // SHA-256 repo digest shows no pattern.
  for (let i = 0; hex.length < 64; i++) hex += fnv(`${i}#${ref.full}`).toString(16).padStart(8, '0');
  return `${ref.registry}/${ref.repository}@sha256:${hex.slice(0, 64)}`;
}

/** Go's time.Duration.String() for durations truncated to the millisecond. */
export function goDuration(ms: number): string {
  ms = Math.floor(ms);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number(s.toFixed(3))}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

/** Default imagePullPolicy from the tag, as the apiserver defaults it. */
export function pullPolicy(container: any): string {
  return container.imagePullPolicy || defaultPullPolicy(String(container.image ?? ''));
}

/**
 * What a container's programs learn of the machine it runs on: its CPUs and kernel release; and, for the cluster's
 * own programs, the cluster's nodes (kindnetd) and leader-election Leases, read only when such a log is asked for.
 */
export interface HostFacts { cpus: number; kernel: string; nodes?: () => ClusterNode[]; leaseHolder?: (name: string) => string | undefined }

/** The facts of a node object (the defaults of one the playground does not know). */
export function hostFacts(node: KObject | undefined): HostFacts {
  return { cpus: nodeCpus(node), kernel: node?.status?.nodeInfo?.kernelVersion || KERNEL_RELEASE };
}

/**
 * The compiler the nginx.org Debian package of that version was built with (NGX_COMPILER, `gcc -v`'s version
 * with its trailing space), where the image's logs show it: bookworm's gcc 12 for 1.25.1 to 1.27.4, its
 * 12.2.0-14+deb12u1 for 1.29.0, trixie's gcc 14 from 1.29.3 on. Undefined elsewhere (and for the Alpine builds).
 */
function nginxCompiler(tag: string, version: string): string | undefined {
  if (/alpine/.test(tag)) return undefined;
  const [major, minor, patch] = version.split('.').map(Number);
  if (major !== 1) return undefined;
  if ((minor === 25 && patch >= 1) || (minor === 27 && patch <= 4)) return 'gcc 12.2.0 (Debian 12.2.0-14) ';
  if (minor === 29 && patch === 0) return 'gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ';
  if (minor === 29 && patch >= 3) return 'gcc 14.2.0 (Debian 14.2.0-19) ';
  return undefined;
}

/**
 * What the official nginx image writes as it starts. docker-nginx's /docker-entrypoint.sh (when it runs its
 * scripts: the argv starts with nginx) says what it runs from /docker-entrypoint.d/, and 10-listen-on-ipv6-by-default.sh
 * what it did to default.conf; 15-local-resolvers.envsh, 20-envsubst-on-templates.sh (no templates folder) and
 * 30-tune-worker-processes.sh (NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE unset) say nothing of their own, and
 * NGINX_ENTRYPOINT_QUIET_LOGS silences every entrypoint_log line. Then nginx's notices on its error log (stderr):
 * ngx_event_core_init_conf's event method, ngx_os_status (NGINX_VER, `built by` NGX_COMPILER, the kernel's
 * `OS: Linux <release>`, `getrlimit(RLIMIT_NOFILE): <soft>:<hard>`) and ngx_start_worker_processes'. containerd 2
 * leaves a container systemd's default open-files limit, 1024:524288 (its unit no longer sets LimitNOFILE).
 */
function nginxStartup(container: any, tag: string, entrypoint: boolean, startedAt: number, host: HostFacts, podSecurity?: any): string[] {
  const lines: string[] = [];
  const quiet = (container.env ?? []).some((e: any) => e?.name === 'NGINX_ENTRYPOINT_QUIET_LOGS' && (e.value ?? '') !== '');
  // A root filesystem it may not write, or a user that is not root: the script cannot touch default.conf, and nginx
  // cannot create its temporary folders or PID file unless volumes are mounted there (nginxWriteFailure).
  const failure = nginxWriteFailure(container, podSecurity);
  const runsAs = containerRunsAs(container, podSecurity);
  const untouchable = runsAs.nonRoot || runsAs.readOnlyRoot;
  if (entrypoint && !quiet) {
    const me = '/docker-entrypoint.sh';
    const ipv6 = '10-listen-on-ipv6-by-default.sh';
    lines.push(
      `${me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
      `${me}: Looking for shell scripts in /docker-entrypoint.d/`,
      `${me}: Launching /docker-entrypoint.d/${ipv6}`,
      ...(untouchable ? [`${ipv6}: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)`] : [
        `${ipv6}: info: Getting the checksum of /etc/nginx/conf.d/default.conf`,
        `${ipv6}: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf`,
      ]),
      `${me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
      `${me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
      `${me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
      `${me}: Configuration complete; ready for start up`,
    );
  }
  // ngx_log_error's time: `yyyy/mm/dd hh:mm:ss` (the container's zone, UTC), then `<pid>#<tid>:` of the master, PID 1.
  const t = new Date(startedAt).toISOString().replace('T', ' ').replace(/-/g, '/').replace(/\.\d{3}Z$/, '');
  const notice = (msg: string) => `${t} [notice] 1#1: ${msg}`;
  // Until it has started, nginx says each problem twice: on its error log (stderr in this image) and on stderr.
  const both = (level: string, msg: string) => [`${t} [${level}] 1#1: ${msg}`, `nginx: [${level}] ${msg}`];
  if (runsAs.nonRoot) lines.push(...both('warn', 'the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2'));
  const failed = failure && both('emerg', `${failure.call}() "${failure.path}" failed (${failure.errno}: ${failure.error})`);
  // Its temporary folders come before anything else it says; its PID file after it has said what it runs on.
  if (failure?.call === 'mkdir') return [...lines, ...failed!];
  const version = nginxVersion(tag);
  const compiler = version && nginxCompiler(tag, version);
  lines.push(notice('using the "epoll" event method'));
  if (version) lines.push(notice(`nginx/${version}`));
  if (compiler) lines.push(notice(`built by ${compiler}`));
  lines.push(notice(`OS: Linux ${host.kernel}`), notice('getrlimit(RLIMIT_NOFILE): 1024:524288'));
  if (failed) return [...lines, ...failed];
  // Told to run as a daemon, nginx forks here (ngx_daemon) and PID 1 exits: the container ends, and with it the
  // forked master, before anything it would say of its workers can be counted on.
  if (nginxDaemonizes(container)) return lines;
  lines.push(notice('start worker processes'));
  // The workers' PIDs, as `ps` shows them (procs.ts): after the entrypoint's scripts' processes, or right after the master.
  const first = 1 + (entrypoint ? ENTRYPOINT_PIDS : 1);
  for (let i = 0; i < host.cpus; i++) lines.push(notice(`start worker process ${first + i}`));
  return lines;
}

/** The official redis image's server start, for the releases and arguments the playground knows the start of. */
function redisStart(container: any, tag: string, startedAt: number): string[] | undefined {
  const argv = redisServerArgv(container);
  const version = argv && redisVersion(tag);
  return version ? redisStartup(version, argv!, startedAt) : undefined;
}

/** Simulated stdout of one container instance, generated when asked for (nothing is stored per line). */
export function containerLogLines(pod: KObject, container: any, startedAt: number, exitCode: number | undefined, now: number, output: readonly string[] = [], outputTimes?: readonly number[], played = false, host?: HostFacts): string[] & { times?: number[] } {
  // A command the simulated shell played replaced the image's entrypoint: what it wrote is the whole log.
  if (played) return Object.assign([...output], { times: output.map((_, i) => outputTimes?.[i] ?? startedAt) });
  const ref = parseImage(String(container.image ?? ''));
  const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
  const lines: string[] = [];
  const nginx = ref.repository === 'library/nginx' ? nginxLaunch(container) : undefined;
  const system = nginx ? undefined : systemLog(pod, container, ref.repository, ref.tag, startedAt, now, host ?? hostFacts(undefined));
  // Found as the branches below are tried, each once: the start redis writes, or why a database's entrypoint refuses.
  let redis: string[] | undefined;
  let refusal: DatabaseRefusal | undefined;
  if (system) {
    // The cluster's own programs (systemlogs.ts): their lines carry their own times.
    const times = system.times;
    for (let i = 0; i < output.length; i++) { system.push(output[i]); times.push(outputTimes?.[i] ?? startedAt); }
    if (exitCode !== undefined) { system.push(`${ts(now)} kubeplay: exiting with code ${exitCode}`); times.push(Math.max(now, times[times.length - 1] ?? now)); }
    return system;
  } else if (nginx) {
    lines.push(...nginxStartup(container, ref.tag, nginx.entrypoint, startedAt, host ?? hostFacts(undefined), pod.spec?.securityContext));
  } else if (/(^|\/)(google-samples|jocatalin)\/kubernetes-bootcamp$/.test(ref.repository) && !(container.command ?? []).length) {
    // server.js: console.log("Kubernetes Bootcamp App Started At:", startTime, "| Running On: ", host, "\n").
    lines.push(`Kubernetes Bootcamp App Started At: ${new Date(startedAt).toISOString()} | Running On:  ${pod.spec?.hostname ?? pod.metadata.name} `, '');
  } else if (isIngressNginx(container)) {
    lines.push(...ingressNginxBanner(ref.tag, pod, startedAt));
  } else if (ref.repository === 'library/postgres' && postgresMissingPassword(container)) {
    // The entrypoint's words on stderr, and nothing else: it stops before the server starts.
    lines.push(...POSTGRES_NO_PASSWORD);
  } else if ((redis = ref.repository === 'library/redis' ? redisStart(container, ref.tag, startedAt) : undefined)) {
    lines.push(...redis);
  } else if (ref.repository === 'library/mongo' && mongoHalfCredentials(container)) {
    lines.push(...MONGO_HALF_CREDENTIALS);
  } else if ((refusal = ref.repository === 'library/mysql' || ref.repository === 'library/mariadb' ? mysqlRefusal(container) : undefined)) {
    // mysql's and mariadb's entrypoints say which build they start, step down from root, and stop at the check.
    const asRoot = !containerRunsAs(container, pod.spec?.securityContext).nonRoot;
    lines.push(...databaseRefusalLog(refusal, ref.tag, startedAt, asRoot, container.securityContext?.privileged === true));
  } else if (programOutput(container)) {
    // A known one-liner prints what it prints, and nothing of the playground's own.
    const out = programOutput(container)!;
    lines.push(...out);
    const times = lines.map(() => startedAt);
    return Object.assign(lines, { times });
  } else if (hasNoPrograms(String(container.image ?? '')) || idleShell(container) || interactiveShell(container)) {
    // Processes known to write nothing of their own: pause, and a shell with no script (an attached one's log is
    // what its session wrote).
    return Object.assign([...output], { times: output.map((_, i) => outputTimes?.[i] ?? startedAt) });
  } else {
    lines.push(`${ts(startedAt)} kubeplay: container "${container.name}" of pod "${pod.metadata.name}" started from image ${ref.full}`);
    const cmd = [...(container.command ?? []), ...(container.args ?? [])];
    if (cmd.length) lines.push(`${ts(startedAt)} kubeplay: running ${JSON.stringify(cmd.join(' '))}`);
  }
  // What the container's script printed, when the kubelet played it (scripts.ts).
  const times: number[] = lines.map(() => startedAt);
  lines.push(...output);
  for (let i = 0; i < output.length; i++) times.push(outputTimes?.[i] ?? startedAt);
  // The status keeps whole seconds: the exit comes no earlier than the last line written.
  if (exitCode !== undefined) { lines.push(`${ts(now)} kubeplay: exiting with code ${exitCode}`); times.push(Math.max(now, times[times.length - 1] ?? now)); }
  return Object.assign(lines, { times });
}

/** Build commits of ingress-nginx releases, as their `--version` prints them; other tags print version.go's default. */
const INGRESS_NGINX_BUILDS: Record<string, string> = {
  'v1.12.3': '8d1208bd75b8ad0fe78f1f35c3176331a2042427',
  'v1.12.2': '7995f327cd0c228bda326a9e287ba559799bffe0',
  'v1.11.2': '46e76e5916813cfca2a9b0bfdc34b69a0000f6b9',
};

/**
 * What the ingress-nginx controller prints as it starts: its version block,
 * then klog lines (`I0911 01:26:56.920640       8 nginx.go:271] …`) up to
 * asking for its leader lease. What it does later (syncs, status writes) is
 * in its events, not here.
 */
function ingressNginxBanner(tag: string, pod: KObject, startedAt: number): string[] {
  const release = /^v\d+\.\d+\.\d+/.exec(tag)?.[0];
  const minor = release ? Number(release.split('.')[1]) : 12;
  const two = (n: number) => String(n).padStart(2, '0');
  const klog = (level: string, ms: number, at: string, msg: string) => {
    const t = new Date(startedAt + ms);
    return `${level}${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.${String(t.getUTCMilliseconds() * 1000 + 651).padStart(6, '0')}       7 ${at}] ${msg}`;
  };
  const dashes = '-'.repeat(79);
  const ns = pod.metadata.namespace ?? 'default';
  return [
    dashes,
    'NGINX Ingress controller',
    `  Release:       ${release ?? 'UNKNOWN'}`,
    `  Build:         ${(release && INGRESS_NGINX_BUILDS[release]) ?? 'UNKNOWN'}`,
    '  Repository:    https://github.com/kubernetes/ingress-nginx',
    `  nginx version: nginx/${minor >= 13 ? '1.27.1' : '1.25.5'}`,
    '',
    dashes,
    '',
    klog('W', 0, 'client_config.go:667', 'Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.'),
    klog('I', 1, 'main.go:205', '"Creating API client" host="https://10.96.0.1:443"'),
    klog('I', 240, 'main.go:101', '"SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"'),
    klog('I', 270, 'nginx.go:271', '"Starting NGINX Ingress controller"'),
    klog('I', 1470, 'nginx.go:317', '"Starting NGINX process"'),
    klog('I', 1471, 'leaderelection.go:257', `attempting to acquire leader lease ${ns}/${electionId(pod)}...`),
  ];
}

function electionId(pod: KObject): string {
  return controllerConfig((pod.spec?.containers ?? []).find(isIngressNginx)).electionId;
}
