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
  const cmd = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  const exit = /\bexit\s+(\d+)/.exec(cmd);
  const sleep = /\bsleep\s+(\d+(?:\.\d+)?)(s|m|h)?\b/.exec(cmd);
  if (/\bsleep\s+infinity\b/.test(cmd)) return { kind: 'run', exitCode: 0 };
  if (sleep || exit) {
    const runMs = sleep ? Number(sleep[1]) * ({ s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[sleep[2] ?? 's'] : 1000;
    return { kind: 'run', runMs, exitCode: exit ? Number(exit[1]) : 0 };
  }
  if (restartPolicy !== 'Always') return { kind: 'run', runMs: JOB_DEFAULT_RUN_MS, exitCode: 0 };
  return { kind: 'run', exitCode: 0 };
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
