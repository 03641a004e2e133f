/**
 * The image convention (docs/images.md): what a simulated container does is
 * read from its image reference and, for the common busybox idioms, from its
 * command. Kept as one pure function so the stage table stays data.
 */
import type { KObject } from '../contract';

export interface Behaviour {
  /** 'run' runs until `runMs` (forever when undefined), then exits with `exitCode`. */
  kind: 'run' | 'pull-error';
  runMs?: number;
  exitCode: number;
  /** Text of the pull failure (for 'pull-error'). */
  pullError?: string;
  /** Probes fail from this long after each start (`kubeplay/unhealthy`). */
  sickAfterMs?: number;
  /** Probes fail until this long after each start (`kubeplay/warmup`). */
  warmupMs?: number;
  /** Files the command touches or removes, with when (ms after start) each appears or goes. */
  files?: Map<string, Array<{ at: number; exists: boolean }>>;
}

/** Default simulated duration of a Job pod's container (restartPolicy Never/OnFailure). */
export const JOB_DEFAULT_RUN_MS = 5_000;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
export function parseDuration(s: string): number | undefined {
  const m = DURATION.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]];
}

export interface ImageRef { registry: string; repository: string; tag: string; full: string }

/** Normalises like containerd does: `nginx` → docker.io/library/nginx:latest. */
const parsed = new Map<string, ImageRef>();
const digests = new Map<string, string>();

export function parseImage(image: string): ImageRef {
  let r = parsed.get(image);
  if (!r) {
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(image, (r = parseImageUncached(image)));
  }
  return r;
}

function parseImageUncached(image: string): ImageRef {
  let rest = image.split('@')[0];
  let tag = 'latest';
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) registry = parts.shift()!;
  let repository = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) repository = `library/${repository}`;
  return { registry, repository, tag, full: `${registry}/${repository}:${tag}` };
}

/** Repository path without docker.io/library, as users write it. */
const shortRepo = (r: ImageRef) => (r.registry === 'docker.io' ? r.repository.replace(/^library\//, '') : `${r.registry}/${r.repository}`);

export function behaviourOf(container: any, restartPolicy: string): Behaviour {
  const ref = parseImage(String(container.image ?? ''));
  const repo = shortRepo(ref);
  if (repo === 'kubeplay/missing' || ref.tag === 'does-not-exist') {
    return { kind: 'pull-error', exitCode: 0, pullError: `rpc error: code = NotFound desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": ${ref.full}: not found` };
  }
  if (repo === 'kubeplay/crash') {
    const after = parseDuration(ref.tag.replace(/^after-/, '')) ?? 2000;
    return { kind: 'run', runMs: after, exitCode: 1 };
  }
  if (repo === 'kubeplay/exit') {
    const m = /^code-(\d+)(?:-after-(.+))?$/.exec(ref.tag);
    if (m) return { kind: 'run', exitCode: Number(m[1]), runMs: m[2] ? parseDuration(m[2]) ?? 0 : 0 };
    return { kind: 'run', exitCode: 0, runMs: 0 };
  }
  if (repo === 'kubeplay/sleep') return { kind: 'run', exitCode: 0, runMs: parseDuration(ref.tag) };
  if (repo === 'kubeplay/unhealthy') return { kind: 'run', exitCode: 0, sickAfterMs: parseDuration(ref.tag.replace(/^after-/, '')) ?? 0 };
  if (repo === 'kubeplay/warmup') return { kind: 'run', exitCode: 0, warmupMs: parseDuration(ref.tag) ?? 30_000 };
  const cmd = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  const script = readScript(cmd);
  const files = script.files ? { files: script.files } : {};
  const exit = /\bexit\s+(\d+)/.exec(cmd);
  if (/\bsleep\s+infinity\b/.test(cmd)) return { kind: 'run', exitCode: 0, ...files };
  if (script.sleptMs || exit) {
    return { kind: 'run', runMs: script.sleptMs || 1000, exitCode: exit ? Number(exit[1]) : 0, ...files };
  }
  if (restartPolicy !== 'Always') return { kind: 'run', runMs: JOB_DEFAULT_RUN_MS, exitCode: 0, ...files };
  return { kind: 'run', exitCode: 0, ...files };
}

const SLEEP_UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a shell one-liner in order: every `sleep N` adds to the running time,
 * and `touch F` / `rm F` (also `> F` redirections) mark when F appears or goes,
 * which is what exec probes such as `cat /tmp/healthy` look at.
 */
function readScript(cmd: string): { sleptMs: number; files?: Map<string, Array<{ at: number; exists: boolean }>> } {
  if (!cmd) return { sleptMs: 0 };
  let t = 0;
  let files: Map<string, Array<{ at: number; exists: boolean }>> | undefined;
  const mark = (f: string, exists: boolean) => {
    files ??= new Map();
    const list = files.get(f) ?? [];
    list.push({ at: t, exists });
    files.set(f, list);
  };
  for (const part of cmd.split(/;|&&|\|\||\n/)) {
    const sleep = /\bsleep\s+(\d+(?:\.\d+)?)(s|m|h)?\b/.exec(part);
    if (sleep) t += Number(sleep[1]) * SLEEP_UNIT[sleep[2] ?? 's'];
    const touch = /\btouch\s+([^\s;&|]+)/.exec(part) ?? /[^2]>\s*([^\s;&|]+)/.exec(part);
    if (touch) mark(touch[1], true);
    const rm = /\brm\s+(?:-\w+\s+)*([^\s;&|]+)/.exec(part);
    if (rm) mark(rm[1], false);
  }
  return { sleptMs: t, files };
}

/** What a probe of the simulated container answers: success, or the failure output the kubelet puts in its event. */
export interface ProbeAnswer { ok: boolean; output: string; /** How long the probe takes (a timed-out exec takes its timeout). */ tookMs: number }

const OK: ProbeAnswer = { ok: true, output: '', tookMs: 0 };

/** Answers one probe `runningMs` after the container started, by the rules of docs/images.md. */
export function probeAnswer(container: any, b: Behaviour, probe: any, podIP: string, runningMs: number): ProbeAnswer {
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
    if (read && !fileExists(b, read[2], runningMs)) {
      const f = read[2];
      // busybox's own words, newline included: the kubelet passes the exec output on untrimmed.
      const output = read[1] === 'cat' ? `cat: can't open '${f}': No such file or directory\n`
        : read[1] === 'ls' ? `ls: ${f}: No such file or directory\n`
        : read[1] === 'stat' ? `stat: can't stat '${f}': No such file or directory\n` : '';
      return { ok: false, output, tookMs: sleptMs };
    }
    return sleptMs ? { ok: true, output: '', tookMs: sleptMs } : OK;
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

/** A file the command never mentions is part of the image and exists. */
function fileExists(b: Behaviour, path: string, runningMs: number): boolean {
  const marks = b.files?.get(path);
  if (!marks) return true;
  let exists = !marks[0].exists; // before its first touch a file is absent; before its first rm, present
  for (const m of marks) if (m.at <= runningMs) exists = m.exists;
  return exists;
}

/** A named port resolves through the container's `ports`, as the kubelet's findPortByName does. */
function portNumber(container: any, port: number | string): number | string {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p: any) => p.name === port);
  return named ? named.containerPort : port;
}

/** A stable 32-bit hash (FNV-1a) so sizes and digests are the same every run. */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

/** A deterministic compressed image size in bytes (between ~2 MB and ~200 MB), known ones as upstream reports them. */
export function imageSize(image: string): number {
  const ref = parseImage(image);
  const known: Record<string, number> = { pause: 320_368, 'library/nginx': 72_195_292, 'library/busybox': 2_155_575, 'library/redis': 45_183_423, 'library/alpine': 3_653_068 };
  return known[ref.repository] ?? 2_000_000 + (fnv(ref.full) % 198_000_000);
}

export function imageDigest(image: string): string {
  let d = digests.get(image);
  if (d === undefined) {
    if (digests.size > 10_000) digests.clear();
    digests.set(image, (d = computeDigest(image)));
  }
  return d;
}

function computeDigest(image: string): string {
  const ref = parseImage(image);
  let hex = '';
  for (let i = 0; hex.length < 64; i++) hex += fnv(`${ref.full}#${i}`).toString(16).padStart(8, '0');
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
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = String(container.image ?? '');
  if (image.includes('@')) return 'IfNotPresent';
  return parseImage(image).tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Simulated stdout of one container instance, generated when asked for (nothing is stored per line). */
export function containerLogLines(pod: KObject, container: any, startedAt: number, exitCode: number | undefined, now: number): string[] {
  const ref = parseImage(String(container.image ?? ''));
  const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
  const lines: string[] = [];
  if (ref.repository === 'library/nginx') {
    const t = new Date(startedAt).toISOString().replace('T', ' ').replace(/-/g, '/').replace(/\.\d{3}Z$/, '');
    lines.push(
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: start worker processes`,
    );
  } else {
    lines.push(`${ts(startedAt)} kubeplay: container "${container.name}" of pod "${pod.metadata.name}" started from image ${ref.full}`);
    const cmd = [...(container.command ?? []), ...(container.args ?? [])];
    if (cmd.length) lines.push(`${ts(startedAt)} kubeplay: running ${JSON.stringify(cmd.join(' '))}`);
  }
  if (exitCode !== undefined) lines.push(`${ts(now)} kubeplay: exiting with code ${exitCode}`);
  return lines;
}
