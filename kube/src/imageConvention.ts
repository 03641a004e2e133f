/**
 * The playground's image convention (docs/images.md), shared by the kubelet
 * simulation and the language server's hover: what a simulated container does,
 * read from its image reference and, for the common busybox idioms, from its
 * command. Pure: no clock, no I/O.
 */

import { parseQuantity } from './quantity';
import { shOf, userlandLacks } from './imageUserland';

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

/**
 * Whether an image is a busybox whose `nslookup` is the small one that goes through libc (1.28 and before), rather
 * than the resolver of its own that busybox 1.29 brought, which ignores ndots and reports every search domain's
 * failure (kubernetes/kubernetes#66924). False for any other image.
 */
export function busyboxSmallNslookup(image: string): boolean {
  const ref = parseImage(image);
  if (!/(^|\/)busybox$/.test(ref.repository)) return false;
  const m = /^(\d+)\.(\d+)/.exec(ref.tag);
  return !!m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) <= 28));
}

/**
 * Programs the shell simulates that an image does not have (imageUserland.ts). The busybox image is busybox's
 * applets alone: no `curl`, no `getent` (glibc's and musl's tool; busybox has no such applet) and no `bash`; the
 * Debian-based official images lack procps, ping, iproute2 and the like (nginx's has curl), so `kubectl exec` of
 * them there fails with `not found`, as on a real cluster. Images the playground does not know have them all.
 */
export function lacksProgram(image: string, program: string): boolean {
  if (hasNoPrograms(image)) return true;
  return userlandLacks(parseImage(image), program);
}

/** The shell the image's `sh` is (imageUserland.ts): dash in the Debian-based official images, busybox ash elsewhere. */
export function imageSh(image: string): 'ash' | 'dash' {
  return shOf(parseImage(image));
}

/**
 * Whether the image's everyday programs (ls, cat, head, wc…) are GNU coreutils' rather than busybox's applets: the
 * Debian-based official images (imageUserland.ts), whose `sh` is dash.
 */
export function gnuCoreutils(image: string): boolean {
  return imageSh(image) === 'dash';
}

/**
 * Images with no shell and no tools at all: the pause image (one static binary) and distroless images (their
 * `:debug` tags add busybox). `kubectl exec -- sh` and `kubectl cp` fail there, which is why `kubectl debug` exists.
 */
export function hasNoPrograms(image: string): boolean {
  const ref = parseImage(image);
  if (/(^|\/)pause$/.test(ref.repository) && /^(registry\.k8s\.io|k8s\.gcr\.io|gcr\.io)$/.test(ref.registry)) return true;
  return ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/') && !/debug/.test(ref.tag);
}

/** Repository path without docker.io/library, as users write it. */
/** A repository as Docker Hub names it: `nginx` for an official image, `bitnami/redis`, or with its registry (`ghcr.io/x/y`). */
export const shortRepo = (r: ImageRef) => (r.registry === 'docker.io' ? r.repository.replace(/^library\//, '') : `${r.registry}/${r.repository}`);

/** Images whose default command is a shell (busybox's, alpine's and the distributions' `sh`/`bash`). */
const SHELL_IMAGES = /^(?:.*\/)?(?:busybox|alpine|ubuntu|debian|fedora|centos|rockylinux|almalinux|amazonlinux)(?::|@|$)/;

/**
 * A container's `command` and `args` as strings. The editor reads manifests as typed, so either may be
 * anything (`command: sleep 10`); what is not a list counts as none (validation reports its type).
 */
export function commandOf(container: any): string[] {
  const v = container?.command;
  return Array.isArray(v) ? v.map(String) : [];
}

export function argsOf(container: any): string[] {
  const v = container?.args;
  return Array.isArray(v) ? v.map(String) : [];
}

/**
 * The container's process when it is a shell with no `-c` script: `sh`/`bash`/`ash` as its command, or no command
 * at all for an image whose default command is a shell. Its argv, or undefined.
 */
function shellProcess(container: any): string[] | undefined {
  const argv = [...commandOf(container), ...argsOf(container)];
  if (!argv.length) return SHELL_IMAGES.test(String(container.image ?? '')) ? ['sh'] : undefined;
  const name = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  return ['sh', 'bash', 'ash'].includes(name) && !argv.slice(1).includes('-c') ? argv : undefined;
}

/**
 * The container's process is an interactive shell waiting on its stdin (`stdin: true`), as `kubectl run -it …
 * -- sh` creates it. Answers its argv, or undefined.
 */
export function interactiveShell(container: any): string[] | undefined {
  return container?.stdin ? shellProcess(container) : undefined;
}

/**
 * The container's process is a shell with nothing to do: no script, no arguments, no stdin and no terminal to
 * read commands from. That is busybox's, alpine's and the distributions' default command (`sh`, `/bin/bash`)
 * when the pod gives none, or `command: [sh]` alone.
 */
export function idleShell(container: any): boolean {
  if (!container || container.stdin || container.tty) return false;
  return shellProcess(container)?.length === 1;
}

/** Docker Hub's official images ("library/…"): a name among them is never taken for a misspelling. */
const OFFICIAL_IMAGES = new Set(('adminer aerospike almalinux alpine alt amazoncorretto amazonlinux arangodb archlinux backdrop bash bonita '
  + 'buildpack-deps busybox caddy cassandra chronograf cirros clearlinux clickhouse clojure composer convertigo couchbase couchdb crate dart '
  + 'debian docker drupal eclipse-mosquitto eclipse-temurin eggdrop elasticsearch elixir emqx erlang fedora flink fluentd friendica gazebo gcc '
  + 'geonetwork ghost golang gradle groovy haproxy haskell haxe hello-world hitch httpd hylang ibm-semeru-runtimes ibmjava influxdb irssi jetty '
  + 'joomla jruby julia kapacitor kibana kong liquibase logstash mageia mariadb matomo maven mediawiki memcached mongo mongo-express monica mono '
  + 'mysql nats neo4j neurodebian nextcloud nginx node notary odoo open-liberty openjdk oraclelinux orientdb percona perl photon php '
  + 'php-zendserver phpmyadmin plone postfixadmin postgres pypy python r-base rabbitmq rakudo-star redis redmine registry rethinkdb rocket.chat '
  + 'rockylinux ros ruby rust sapmachine satosa silverpeas solr sonarqube spark spiped storm swift teamspeak telegraf tomcat tomee traefik ubuntu '
  + 'unit varnish websphere-liberty wordpress xwiki yourls znc zookeeper centos').split(' '));
/** The official images learners type most: one slip away from one of these is a typo. */
const POPULAR_IMAGES = ['nginx', 'busybox', 'alpine', 'ubuntu', 'debian', 'redis', 'httpd', 'postgres', 'mysql', 'mariadb', 'mongo', 'memcached',
  'rabbitmq', 'node', 'python', 'golang', 'ruby', 'openjdk', 'traefik', 'centos', 'fedora', 'wordpress', 'tomcat', 'registry', 'hello-world'];

/** Edit distance with adjacent swaps (optimal string alignment), stopped past 2. */
function slips(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * A Docker Hub image one slip (a letter added, dropped, changed or swapped) away from a popular official one,
 * and not itself official: `ngnix`, `busybx`, `ubunto`. No such repository exists; the pull is denied.
 */
function misspeltOfficialImage(ref: ImageRef): boolean {
  if (ref.registry !== 'docker.io' || !ref.repository.startsWith('library/')) return false;
  const name = ref.repository.slice('library/'.length);
  // An upper-case name is no reference at all (the kubelet refuses it as InvalidImageName, not modelled here).
  if (OFFICIAL_IMAGES.has(name) || name !== name.toLowerCase()) return false;
  return POPULAR_IMAGES.some((p) => slips(name, p) === 1);
}

/**
 * The image as the user meant it when its name or tag is one slip from a popular official image's (`ngnix` →
 * `nginx`, `nginx:lates` → `nginx:latest`), written as they wrote it; undefined otherwise.
 */
export function imageTypoSuggestion(image: string): string | undefined {
  const ref = parseImage(image);
  if (ref.registry !== 'docker.io' || !ref.repository.startsWith('library/')) return undefined;
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const colon = base.lastIndexOf(':');
  const slash = base.lastIndexOf('/');
  const namePart = colon > slash ? base.slice(0, colon) : base;
  const tagPart = colon > slash ? base.slice(colon) : '';
  let name = namePart;
  if (misspeltOfficialImage(ref)) {
    const fixed = POPULAR_IMAGES.find((p) => slips(ref.repository.slice('library/'.length), p) === 1)!;
    name = namePart.slice(0, namePart.length - ref.repository.slice('library/'.length).length) + fixed;
  }
  let tag = tagPart;
  // A digest pins the image whatever the tag says (see tagMissing).
  if (at < 0 && misspeltTag(ref)) tag = ':' + TAG_WORDS.find((w) => slips(ref.tag.toLowerCase(), w) === 1)!;
  const out = name + tag + (at >= 0 ? image.slice(at) : '');
  return out === image ? undefined : out;
}

/** The word tags the official images share; one slip from one of them (`lates`, `stabel`) is a tag no one pushed. */
const TAG_WORDS = ['latest', 'stable', 'mainline', 'alpine'];

function misspeltTag(ref: ImageRef): boolean {
  if (ref.registry !== 'docker.io' || !ref.repository.startsWith('library/') || /\d/.test(ref.tag)) return false;
  const tag = ref.tag.toLowerCase();
  return !TAG_WORDS.includes(tag) && TAG_WORDS.some((w) => slips(tag, w) === 1);
}

/**
 * The newest version line each well-known official image may have, as `[major, minor]` (a version tag past it names
 * no image, so its pull fails as a registry's would) or `[major]` (any minor of that major pulls). The lines released
 * by late 2025 were nginx 1.29, busybox 1.37, alpine 3.23, ubuntu 25.10, debian 13, redis 8.4, httpd 2.4,
 * postgres 18, mysql 9.5, mariadb 12.1, mongo 8.2, memcached 1.6, rabbitmq 4.2, node 25, python 3.14, golang 1.25,
 * ruby 4.0, openjdk 26-ea, traefik 3.6, fedora 43, wordpress 6.9, tomcat 11 and registry 3.0. Each bound leaves room
 * for about a year of releases after that (nginx 1.30 and 1.31, node 26 and 27, postgres 19, ...), so a tag that
 * may exist by now still pulls; images whose line has not moved in years (httpd 2.4, memcached 1.6) keep it.
 * Older versions always pull. The Kubernetes documentation's stuck rollout, `nginx:1.161`, is a typo of 1.16.1 that
 * no registry has.
 */
const VERSION_LINES: Record<string, readonly number[]> = {
  nginx: [1, 31], busybox: [1, 39], alpine: [3, 25], ubuntu: [27], debian: [14], redis: [9], httpd: [2, 4],
  postgres: [19], mysql: [10], mariadb: [13], mongo: [9], memcached: [1, 6], rabbitmq: [4], node: [27],
  python: [3, 16], golang: [1, 27], ruby: [4], openjdk: [28], traefik: [3], fedora: [45], wordpress: [7],
  tomcat: [12], registry: [3],
};

/**
 * A version tag: an optional `v`, a major of up to three digits (longer numbers are dates or builds, such as
 * alpine's `20250108` snapshots, and are left alone), an optional minor and patch, and a variant or pre-release
 * suffix (`-alpine`, `-slim-bookworm`, `rc2`, `-beta3`).
 */
const VERSION_TAG = /^v?(\d{1,3})(?:\.(\d+))?(?:\.\d+)*(?:[-_+.]?[a-z][\w.+-]*)?$/i;

/**
 * Images whose every tag the convention knows: the Kubernetes Basics tutorial's app was pushed as v1 (and as v1
 * and v2 under jocatalin/), so its rollout to `v10` fails to pull, as the tutorial means it to.
 */
const KNOWN_TAGS: Record<string, readonly string[]> = {
  'gcr.io/google-samples/kubernetes-bootcamp': ['v1'],
  'jocatalin/kubernetes-bootcamp': ['v1', 'v2'],
};

function versionTagExists(repo: string, tag: string): boolean {
  const known = KNOWN_TAGS[repo];
  if (known) return known.includes(tag);
  const line = VERSION_LINES[repo];
  const m = line && VERSION_TAG.exec(tag);
  if (!m) return true;
  const major = Number(m[1]);
  if (major !== line[0]) return major < line[0];
  return line.length < 2 || m[2] === undefined || Number(m[2]) <= line[1];
}

/**
 * Tags that read as made up, on any image: no one pushes them, so their pull fails. Compared in lower case with
 * `-`, `_` and `.` left out (`no-such-tag`, `NoSuchTag` and `no_such_tag` alike).
 */
const MADE_UP_PREFIXES = ['nosuch', 'notexist', 'nonexist', 'doesnotexist'];
const MADE_UP_TAGS = new Set(['wrong', 'bad', 'invalid', 'fake', 'xxx', 'typo', 'missing', 'notfound']);

function madeUpTag(tag: string): boolean {
  const t = tag.toLowerCase().replace(/[-_.]/g, '');
  return MADE_UP_TAGS.has(t) || MADE_UP_PREFIXES.some((p) => t.startsWith(p));
}

/** Whether the tag of a reference names no image (cached per reference: the kubelet asks for every container). */
const missingTags = new Map<string, boolean>();

function tagMissing(image: string, ref: ImageRef, repo: string): boolean {
  let missing = missingTags.get(image);
  if (missing === undefined) {
    if (missingTags.size > 10_000) missingTags.clear();
    // With a digest, containerd resolves `manifests/<digest>` and never looks the tag up (remotes/docker
    // resolver.go, dockerResolver.Resolve), so only a reference without one can miss its tag.
    missing = !image.includes('@') && (madeUpTag(ref.tag) || !versionTagExists(repo, ref.tag) || misspeltTag(ref));
    missingTags.set(image, missing);
  }
  return missing;
}

/**
 * Why an image's tag names no image, for the editor's note (a slip of one letter is image-typo's): a tag that reads as
 * made up, a version past the newest line the convention allows for a well-known image, or a tag outside an image's
 * known list. Undefined when the tag may exist (or the reference pins a digest, or misspells the repository).
 */
export function missingTagReason(image: string): { why: 'made-up' } | { why: 'past-line'; repo: string; line: string } | { why: 'unknown-tag'; repo: string; tags: readonly string[] } | undefined {
  if (image.includes('@')) return undefined;
  const ref = parseImage(image);
  if (misspeltOfficialImage(ref) || misspeltTag(ref)) return undefined;
  const repo = shortRepo(ref);
  if (madeUpTag(ref.tag)) return { why: 'made-up' };
  if (versionTagExists(repo, ref.tag)) return undefined;
  const known = KNOWN_TAGS[repo];
  if (known) return { why: 'unknown-tag', repo, tags: known };
  return { why: 'past-line', repo, line: VERSION_LINES[repo].join('.') + (VERSION_LINES[repo].length < 2 ? '.x' : '') };
}

export function behaviourOf(container: any, restartPolicy: string, podSecurity?: any): Behaviour {
  const ref = parseImage(String(container.image ?? ''));
  const repo = shortRepo(ref);
  if (misspeltOfficialImage(ref)) {
    // Docker Hub answers an unknown repository as one the client may not read.
    return { kind: 'pull-error', exitCode: 0, pullError: `rpc error: code = Unknown desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` };
  }
  if (repo === 'kubeplay/missing' || tagMissing(String(container.image ?? ''), ref, repo)) {
    // containerd 2's CRI PullImage (`failed to pull and unpack image %q: %w`) around the client's fetch (`failed to
    // resolve reference %q: %w`) around the resolver's 404 (`%s: %w` with errdefs.ErrNotFound), sent as NotFound.
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
  // kind's local-path helper runs the provisioner's setup or teardown script (one mkdir or rm -rf) and exits.
  if (repo === 'kindest/local-path-helper' && /^\/script\/(setup|teardown)$/.test(commandOf(container)[1] ?? '')) return { kind: 'run', exitCode: 0, runMs: 0 };
  // agnhost liveness (test/images/agnhost/liveness): /healthz answers 200 for 10 s after the start, then 500.
  if (/(^|\/)e2e-test-images\/agnhost$/.test(repo) && commandOf(container).length === 0 && argsOf(container)[0] === 'liveness') {
    return { kind: 'run', exitCode: 0, sickAfterMs: 10_000 };
  }
  if (repo === 'kubeplay/unhealthy') return { kind: 'run', exitCode: 0, sickAfterMs: parseDuration(ref.tag.replace(/^after-/, '')) ?? 0 };
  if (repo === 'kubeplay/warmup') return { kind: 'run', exitCode: 0, warmupMs: parseDuration(ref.tag) ?? 30_000 };
  // nginx that cannot create its temporary folders fails at start (exit 1), before it could go into the background.
  if (repo === 'nginx' && nginxWriteFailure(container, podSecurity)) return { kind: 'run', exitCode: 1, runMs: 0 };
  // postgres's entrypoint will not initialize a database without a superuser password: it says so and exits 1.
  if (repo === 'postgres' && postgresMissingPassword(container)) return { kind: 'run', exitCode: 1, runMs: 0 };
  // So will mysql's and mariadb's without a root password option (mysql's also with MYSQL_USER=root).
  if ((repo === 'mysql' || repo === 'mariadb') && mysqlRefusal(container)) return { kind: 'run', exitCode: 1, runMs: 0 };
  // And mongo's with the root user's name but no password, or the password but no name.
  if (repo === 'mongo' && mongoHalfCredentials(container)) return { kind: 'run', exitCode: 1, runMs: 0 };
  // nginx told to run as a daemon forks its master into the background and its first process exits 0 at once.
  if (NGINX_REPOS.has(repo) && nginxDaemonizes(container)) return { kind: 'run', exitCode: 0, runMs: 0 };
  // So does redis told `--daemonize yes`.
  if (repo === 'redis' && redisDaemonizes(container)) return { kind: 'run', exitCode: 0, runMs: 0 };
  // A shell waiting on its stdin runs until its input ends (attach, see the playground's HTTP exec).
  if (interactiveShell(container)) return { kind: 'run', exitCode: 0 };
  // A shell with no script, no stdin and no terminal reads end-of-file at once and exits 0: `kubectl run bb
  // --image=busybox` is Completed, then in CrashLoopBackOff under restartPolicy Always, as on a node.
  if (idleShell(container)) return { kind: 'run', exitCode: 0, runMs: 0 };
  const cmd = [...commandOf(container), ...argsOf(container)].join(' ');
  const script = readScript(cmd);
  const files = script.files ? { files: script.files } : {};
  const exit = /\bexit\s+(\d+)/.exec(cmd);
  if (/\bsleep\s+infinity\b/.test(cmd)) return { kind: 'run', exitCode: 0, ...files };
  if (script.sleptMs || exit) {
    return { kind: 'run', runMs: script.sleptMs || 1000, exitCode: exit ? Number(exit[1]) : 0, ...files };
  }
  // A daemon (nginx, redis, ...) runs until it is stopped, whatever the restart policy: only other images model a task.
  if (restartPolicy !== 'Always' && !runsImageServer(container)) return { kind: 'run', runMs: JOB_DEFAULT_RUN_MS, exitCode: 0, ...files };
  return { kind: 'run', exitCode: 0, ...files };
}

/**
 * Where a container runs nginx as a daemon: the index in its `command` (or, with no command, its `args`) of the
 * `nginx` that goes into the background, or undefined. nginx daemonizes unless told `daemon off;`, which the
 * image's own CMD (`nginx -g 'daemon off;'`) does and its nginx.conf does not; so a command or args that start nginx
 * themselves must pass it too. Its first process then forks the master and exits 0, which ends the container.
 * Nothing is said where the configuration is mounted over the image's, or named (`-c`, `-p`), since it may say
 * `daemon off;` itself, nor for the runs that only test, print or signal (`-t`, `-v`, `-s reload`).
 */
export function nginxDaemonizes(container: any): { list: 'command' | 'args'; index: number } | undefined {
  // The image's own CMD passes `daemon off;`: only a command or args of the pod's own can leave it out.
  if (!Array.isArray(container?.command) && !Array.isArray(container?.args)) return undefined;
  if (!NGINX_REPOS.has(shortRepo(parseImage(String(container?.image ?? ''))))) return undefined;
  const command = commandOf(container);
  const list = command.length ? 'command' : 'args';
  const argv = command.length ? command : argsOf(container);
  // The image's ENTRYPOINT (docker-entrypoint.sh) runs its scripts, then execs what follows it.
  const index = programName(argv[0]) === 'nginx' ? 0 : programName(argv[0]) === 'docker-entrypoint.sh' && programName(argv[1]) === 'nginx' ? 1 : -1;
  if (index < 0 || mountsOver(container, NGINX_CONFIG)) return undefined;
  const rest = [...argv.slice(index + 1), ...(command.length ? argsOf(container) : [])];
  if (namesNginxConfig(rest) || rest.some((a) => /^-[tTvVhs?]$/.test(a))) return undefined;
  for (let i = 0; i < rest.length; i++) {
    const g = rest[i] === '-g' ? rest[i + 1] : rest[i].startsWith('-g') ? rest[i].slice(2) : undefined;
    if (g !== undefined && /(^|;)\s*daemon\s+off\s*;/.test(g)) return undefined;
  }
  return { list, index };
}

/** Where the official nginx image's server could not write as it started, and what the system answered. */
export interface NginxWriteFailure {
  /** `mkdir` of its first temporary folder, or `open` of its PID file. */
  call: 'mkdir' | 'open';
  path: string;
  errno: 30 | 13;
  error: string;
  /** It ran as a user other than root (nginx then also warns that its `user` directive is ignored). */
  nonRoot: boolean;
  /** Its root filesystem is read-only (the error is then EROFS, whoever runs it). */
  readOnlyRoot: boolean;
  /** The folders a writable volume must be mounted at for it to start: /var/cache/nginx, /var/run, or both. */
  mountAt: string[];
}

/**
 * Why the official nginx image's server cannot start in this container, if it cannot. As it starts it creates its
 * temporary folders under /var/cache/nginx (ngx_create_paths, `client_temp` first), then, once it has said which
 * nginx and system it is, its PID file (`/run/nginx.pid` from 1.27.5, `/var/run/nginx.pid` before; /var/run is a
 * link to /run). Both fail on a read-only root filesystem (EROFS) and, in the image as shipped, for any user but
 * root (EACCES: the folders are root's), unless a writable volume is mounted there or above (a mount at /var/run
 * covers /run), as the image's documentation advises. `podSecurity` is the pod's securityContext, whose runAsUser a
 * container's own overrides.
 */
export function nginxWriteFailure(container: any, podSecurity?: any): NginxWriteFailure | undefined {
  // Most containers run as root on a writable root: nothing to look at.
  const { nonRoot, readOnlyRoot } = containerRunsAs(container, podSecurity);
  if (!nonRoot && !readOnlyRoot) return undefined;
  const ref = parseImage(String(container?.image ?? ''));
  if (shortRepo(ref) !== 'nginx' || !runsImageServer(container)) return undefined;
  const argv = [...commandOf(container), ...argsOf(container)];
  if (mountsOver(container, NGINX_CONFIG) || namesNginxConfig(argv) || argv.some((a) => /^-[tTvVh?]$/.test(a))) return undefined;
  // mkdir and open check the filesystem's write access before the folder's permissions.
  const err = readOnlyRoot ? { errno: 30 as const, error: 'Read-only file system' } : { errno: 13 as const, error: 'Permission denied' };
  const writable = (dirs: string[]) => (container?.volumeMounts ?? []).some((m: any) => {
    const at = String(m?.mountPath ?? '').replace(/\/+$/, '');
    return m?.readOnly !== true && dirs.some((d) => at === d || d.startsWith(at + '/'));
  });
  const cache = writable(['/var/cache/nginx']);
  const run = writable(['/run', '/var/run']);
  const mountAt = [...(cache ? [] : ['/var/cache/nginx']), ...(run ? [] : ['/var/run'])];
  if (!cache) return { call: 'mkdir', path: '/var/cache/nginx/client_temp', ...err, nonRoot, readOnlyRoot, mountAt };
  if (!run) return { call: 'open', path: nginxBefore(ref.full, [1, 27, 5]) ? '/var/run/nginx.pid' : '/run/nginx.pid', ...err, nonRoot, readOnlyRoot, mountAt };
  return undefined;
}

/**
 * What the official postgres image's entrypoint writes to stderr before it exits 1 when it would initialize an empty
 * data folder without a superuser password (docker-entrypoint.sh, docker_verify_minimum_env), line by line.
 */
export const POSTGRES_NO_PASSWORD: readonly string[] = [
  'Error: Database is uninitialized and superuser password is not specified.',
  '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
  '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
  '',
  '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
  '       connections without a password. This is *not* recommended.',
  '',
  '       See PostgreSQL documentation about "trust":',
  '       https://www.postgresql.org/docs/current/auth-trust.html',
];

/**
 * Whether the official postgres image's entrypoint will refuse to start for want of a password: it runs (no
 * `command`, or `docker-entrypoint.sh` first) to start the server (`postgres` or flags, the image's CMD by default,
 * not `--help` or `--version`), and the container sets neither POSTGRES_PASSWORD (a value that is not empty, or one
 * from a Secret or ConfigMap) nor POSTGRES_PASSWORD_FILE, nor POSTGRES_HOST_AUTH_METHOD=trust. A container with
 * `envFrom` may get them from there, so nothing is said of it. The playground keeps no database files, so the data
 * folder is taken to be empty, as a new volume is.
 */
export function postgresMissingPassword(container: any): boolean {
  if (shortRepo(parseImage(String(container?.image ?? ''))) !== 'postgres') return false;
  const argv = entrypointArgv(container);
  if (!argv) return false;
  const first = argv[0] ?? 'postgres';
  if (first !== 'postgres' && !first.startsWith('-')) return false;
  if (argv.some((a) => ['-?', '--help', '--describe-config', '-V', '--version'].includes(a))) return false;
  if (Array.isArray(container?.envFrom) && container.envFrom.length) return false;
  const env: any[] = Array.isArray(container?.env) ? container.env : [];
  if (setInEnv(env, 'POSTGRES_PASSWORD') || setInEnv(env, 'POSTGRES_PASSWORD_FILE')) return false;
  return !env.some((e) => e?.name === 'POSTGRES_HOST_AUTH_METHOD' && e.value === 'trust');
}

/**
 * What an official image's docker-entrypoint.sh is handed when the container runs it: the `args` (with no `command`,
 * the image's CMD when there are none: an empty list here), or what follows `docker-entrypoint.sh` as the command.
 * Undefined when a `command` runs another program, which the entrypoint then never sees.
 */
function entrypointArgv(container: any): string[] | undefined {
  const command = commandOf(container);
  if (command.length && programName(command[0]) !== 'docker-entrypoint.sh') return undefined;
  return command.length ? [...command.slice(1), ...argsOf(container)] : argsOf(container);
}

/**
 * Whether a container's `env` sets `name` to something an entrypoint's `-z` test counts as set: a value that is not
 * empty, or one from a Secret, ConfigMap or field, whose value the editor cannot see.
 */
function setInEnv(env: any[], name: string): boolean {
  return env.some((e) => e?.name === name && ((typeof e.value === 'string' && e.value !== '') || e.valueFrom));
}

/**
 * What the official mongo image's entrypoint writes to stderr before it exits 1 when only one of the root user's
 * name and password is set (docker-entrypoint.sh, as it decides whether to create the user), line by line.
 */
export const MONGO_HALF_CREDENTIALS: readonly string[] = [
  '',
  "error: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'",
  '       both must be specified for a user to be created',
  '',
];

/**
 * Which of the root user's name and password the official mongo image's container sets when it sets only one, so
 * that the entrypoint refuses to start `mongod`: it checks them when it starts the server (no `command`, or
 * `docker-entrypoint.sh` first; `mongod`, flags alone, or the image's CMD), a `_FILE` twin counting as its variable.
 * Nothing is said of a container with `envFrom`, which may set the other.
 */
export function mongoHalfCredentials(container: any): 'MONGO_INITDB_ROOT_USERNAME' | 'MONGO_INITDB_ROOT_PASSWORD' | undefined {
  if (shortRepo(parseImage(String(container?.image ?? ''))) !== 'mongo') return undefined;
  const argv = entrypointArgv(container);
  if (!argv) return undefined;
  const first = argv[0] ?? 'mongod';
  if (first !== 'mongod' && !first.startsWith('-')) return undefined;
  if (Array.isArray(container?.envFrom) && container.envFrom.length) return undefined;
  const env: any[] = Array.isArray(container?.env) ? container.env : [];
  const set = (name: string) => setInEnv(env, name) || setInEnv(env, `${name}_FILE`);
  const user = set('MONGO_INITDB_ROOT_USERNAME');
  const password = set('MONGO_INITDB_ROOT_PASSWORD');
  return user === password ? undefined : user ? 'MONGO_INITDB_ROOT_USERNAME' : 'MONGO_INITDB_ROOT_PASSWORD';
}

/** Why the official mysql or mariadb image's entrypoint refuses to initialize an empty data folder. */
export interface DatabaseRefusal {
  image: 'mysql' | 'mariadb';
  /** No root password option at all, or (mysql) `MYSQL_USER=root`, which is for a regular user. */
  reason: 'no-password' | 'root-user';
}

/** The options that stop mysqld at once (the entrypoints' _mysql_want_help): the entrypoint then runs it untouched. */
const MYSQLD_HELP = new Set(['-?', '--help', '--print-defaults', '-V', '--version']);

/**
 * The root password options each entrypoint's docker_verify_minimum_env accepts. A `_FILE` twin counts as its
 * variable (file_env reads it first); mariadb also takes the MYSQL_ names (_mariadb_file_env, docker_setup_env).
 */
const ROOT_PASSWORD_OPTIONS: Record<'mysql' | 'mariadb', string[]> = {
  mysql: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
  mariadb: ['MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_FILE', 'MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE',
    'MARIADB_ROOT_PASSWORD_HASH', 'MARIADB_ROOT_PASSWORD_HASH_FILE', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD',
    'MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
};

/**
 * Whether the official mysql or mariadb image's entrypoint will refuse to start the server, and why. It does its
 * setup only when it runs (no `command`, or `docker-entrypoint.sh` first) to start the server: `mysqld` (mariadb:
 * `mariadbd` or `mysqld`), flags alone (it puts `mysqld` before them), or the image's CMD, and not with an option that
 * stops mysqld at once. Then, for an empty data folder, it wants one root password option, each tested as set and not
 * empty (`-z`): a value, or one from a Secret or ConfigMap. mysql also refuses `MYSQL_USER=root`. A container with
 * `envFrom` may get them from there, and a mariadb one with anything mounted at /docker-entrypoint-initdb.d may
 * restore a backup there (which needs none), so nothing is said of either. As for postgres, the data folder is taken
 * to be empty, as a new volume is.
 */
export function mysqlRefusal(container: any): DatabaseRefusal | undefined {
  const repo = shortRepo(parseImage(String(container?.image ?? '')));
  if (repo !== 'mysql' && repo !== 'mariadb') return undefined;
  const argv = entrypointArgv(container);
  if (!argv) return undefined;
  const first = argv[0] ?? 'mysqld';
  const server = first.startsWith('-') || first === 'mysqld' || (repo === 'mariadb' && first === 'mariadbd');
  if (!server || argv.some((a) => MYSQLD_HELP.has(a))) return undefined;
  if (Array.isArray(container?.envFrom) && container.envFrom.length) return undefined;
  if (repo === 'mariadb' && mountsOver(container, ['/docker-entrypoint-initdb.d'])) return undefined;
  const env: any[] = Array.isArray(container?.env) ? container.env : [];
  if (!ROOT_PASSWORD_OPTIONS[repo].some((name) => setInEnv(env, name))) return { image: repo, reason: 'no-password' };
  if (repo === 'mysql' && env.some((e) => e?.name === 'MYSQL_USER' && e.value === 'root')) return { image: repo, reason: 'root-user' };
  return undefined;
}

/**
 * The arguments the official redis image's server starts with (after `redis-server`), when the container runs it:
 * the image's CMD (none), `redis-server ...` as command or args (also after `docker-entrypoint.sh`), or flags or a
 * `.conf` file alone, before which the entrypoint puts `redis-server`. Undefined for any other program (`redis-cli`,
 * `redis-sentinel`, a shell) and any other image.
 */
export function redisServerArgv(container: any): string[] | undefined {
  if (shortRepo(parseImage(String(container?.image ?? ''))) !== 'redis') return undefined;
  const command = commandOf(container);
  const viaEntrypoint = !command.length || programName(command[0]) === 'docker-entrypoint.sh';
  const argv = [...command, ...argsOf(container)].slice(command.length && viaEntrypoint ? 1 : 0);
  if (!argv.length) return command.length ? undefined : [];
  const first = argv[0];
  // The entrypoint's rule: a first argument that is a flag or names a .conf file runs the server with it.
  if (viaEntrypoint && (first.startsWith('-') || first.endsWith('.conf'))) return argv;
  return programName(first) === 'redis-server' ? argv.slice(1) : undefined;
}

/** Whether the official redis image's server is told `--daemonize yes`: it forks into the background and its first process exits 0. */
export function redisDaemonizes(container: any): boolean {
  const argv = redisServerArgv(container);
  if (!argv || (argv[0] !== undefined && !argv[0].startsWith('-'))) return false;
  const i = argv.lastIndexOf('--daemonize');
  return i >= 0 && argv[i + 1] === 'yes';
}

/** Whether a container runs as a user other than root (its runAsUser, else the pod's), and on a read-only root. */
export function containerRunsAs(container: any, podSecurity?: any): { nonRoot: boolean; readOnlyRoot: boolean } {
  const uid = container?.securityContext?.runAsUser ?? podSecurity?.runAsUser;
  return { nonRoot: typeof uid === 'number' && uid !== 0, readOnlyRoot: container?.securityContext?.readOnlyRootFilesystem === true };
}

/** The slim builds the StatefulSet tutorial uses (registry.k8s.io, k8s.gcr.io, gcr.io/google_containers): nginx 1.9 to 1.11. */
const isSlim = (repository: string) => repository === 'nginx-slim' || repository.endsWith('/nginx-slim');

/**
 * Whether an nginx image's tag names a version before `v` (`1.14.2`, `1.20`, `1.21.1-alpine`); `latest`,
 * `alpine`, `stable` and the like are today's. The slim builds are nginx 1.9 to 1.11, older than any cut asked.
 */
export function nginxBefore(image: string, v: [number, number, number]): boolean {
  const ref = parseImage(image);
  if (isSlim(ref.repository)) return true;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:$|-)/.exec(ref.tag);
  if (!m) return false;
  const got = [Number(m[1]), Number(m[2]), m[3] === undefined ? Infinity : Number(m[3])];
  for (let i = 0; i < 3; i++) if (got[i] !== v[i]) return got[i] < v[i];
  return false;
}

/** `-c FILE` and `-p PREFIX` point nginx at another configuration, which may say what the image's does not. */
const namesNginxConfig = (argv: string[]) => argv.some((a) => a === '-c' || a === '-p');

/** A program's name as `ps` and the image's binaries know it: an argv word without its folder. */
const programName = (a: string | undefined) => (a ?? '').slice((a ?? '').lastIndexOf('/') + 1);

/** A `command` that runs another program than the image's server (`sleep 3600` in an nginx container). */
function replacesServer(server: { binaries: string[] }, command: string[]): boolean {
  return command.length > 0 && !server.binaries.includes(programName(command[0]));
}

/** Whether the container runs its image's own server (a known server image whose command is not replaced). */
function runsImageServer(container: any): boolean {
  const server = SERVER_IMAGES[shortRepo(parseImage(String(container?.image ?? '')))];
  if (!server) return false;
  const command = commandOf(container);
  // `args` alone replace the image's CMD: flags still go to its server, another program (`psql`, `redis-cli`) runs instead.
  const first = command[0] ?? argsOf(container)[0];
  return first === undefined || (!command.length && first.startsWith('-')) || server.binaries.includes(programName(first));
}

/**
 * The TCP ports a simulated container's process listens on, or 'any' when
 * the convention cannot know: what a real container of that image would
 * listen on, whatever its `ports` declare (a declaration opens nothing).
 *
 * - Well-known images listen where their images do: nginx, httpd and
 *   traefik/whoami on 80, redis on 6379, postgres on 5432, and so on
 *   (KNOWN_PORTS); hashicorp/http-echo on its `-listen` (5678 by default),
 *   metrics-server on its `--secure-port`, the ingress-nginx controller on
 *   its HTTP, HTTPS and health ports (80, 443, 10254 unless moved) and its
 *   admission webhook's `--validating-webhook` port (`:8443` in the manifests).
 * - A shell image (busybox, alpine, …) listens only when its command runs a
 *   server: busybox `httpd` (`-p`, default 80) or `nc -l` (`-p PORT` or the
 *   port after `-l`); `sleep`, scripts and shells listen nowhere.
 * - `registry.k8s.io/pause` listens nowhere.
 * - A server image with a configuration mounted over its own (nginx's
 *   /etc/nginx, httpd's conf) listens where the container's declared ports
 *   say, or anywhere when it declares none: the mounted file decides.
 * - Any other image listens on its declared TCP containerPorts, or, when it
 *   declares none, answers on every port (the convention has nothing to go by).
 */
export function listeningPorts(container: any): number[] | 'any' {
  const ref = parseImage(String(container?.image ?? ''));
  const repo = shortRepo(ref);
  const command = commandOf(container);
  const argv = [...command, ...argsOf(container)];
  /** The value of a flag written `--port=N`, `--port N` (or with one dash). */
  const flag = (names: string[]): number | undefined => {
    for (let i = 0; i < argv.length; i++) {
      for (const n of names) {
        const next = argv[i] === n ? /^(?:.*:)?(\d+)$/.exec(argv[i + 1] ?? '') : null;
        if (next) return Number(next[1]);
        const m = new RegExp(`^${n.replace(/[-]/g, '\\-')}=(?:.*:)?(\\d+)$`).exec(argv[i]);
        if (m) return Number(m[1]);
      }
    }
    return undefined;
  };
  const server = SERVER_IMAGES[repo];
  // A command that replaces the image's server (`sleep 3600` in an nginx container) runs instead of it.
  if (server && replacesServer(server, command)) return commandPorts(argv);
  if (server) {
    const moved = server.portFlags ? flag(server.portFlags) : undefined;
    if (moved !== undefined) return [moved];
    // A configuration mounted over the image's own (nginx's conf.d, httpd's conf) can put the server on any port:
    // the container's declared ports are the best word there is, and without them nothing can be said.
    if (server.configDirs && mountsOver(container, server.configDirs)) return declaredPorts(container) ?? 'any';
    if (repo === 'postgres') {
      const c = argv.findIndex((a, i) => argv[i - 1] === '-c' && /^port=\d+$/.test(a));
      if (c >= 0) return [Number(argv[c].slice(5))];
    }
    if (repo === 'rabbitmq') return /management/.test(ref.tag) ? [5672, 15672] : [5672];
    return server.ports;
  }
  if (/(^|\/)metrics-server$/.test(repo)) return [flag(['--secure-port']) ?? 10250];
  // The ingress-nginx controller: nginx's HTTP and HTTPS ports, the controller's health port and its admission webhook.
  if (/(^|\/)ingress-nginx\/controller(-chroot)?$/.test(repo)) {
    const webhook = flag(['--validating-webhook']);
    return [flag(['--http-port']) ?? 80, flag(['--https-port']) ?? 443, flag(['--healthz-port']) ?? 10254, ...(webhook !== undefined ? [webhook] : [])];
  }
  if (SHELL_IMAGES.test(String(container?.image ?? ''))) return argv.length ? commandPorts(argv) : [];
  return declaredPorts(container) ?? 'any';
}

/** The container's declared TCP containerPorts, or undefined when it declares none. */
function declaredPorts(container: any): number[] | undefined {
  const declared = (container?.ports ?? []).filter((p: any) => (p?.protocol ?? 'TCP') === 'TCP' && Number.isInteger(p?.containerPort)).map((p: any) => p.containerPort as number);
  return declared.length ? declared : undefined;
}

/** Whether one of the container's volume mounts lies over, in or above one of `dirs`. */
function mountsOver(container: any, dirs: string[]): boolean {
  for (const m of container?.volumeMounts ?? []) {
    const at = String(m?.mountPath ?? '').replace(/\/+$/, '');
    if (!at) continue;
    if (dirs.some((d) => at === d || at.startsWith(d + '/') || d.startsWith(at + '/'))) return true;
  }
  return false;
}

/**
 * What a command of the convention's shell vocabulary listens on: busybox
 * `httpd` or `nc -l` where it starts one, nothing for a script of commands
 * that serve nothing (`sleep`, `echo`, loops of them), and 'any' for a
 * command the convention does not know (`python3 -m http.server`, an app).
 */
function commandPorts(argv: string[]): number[] | 'any' {
  // An arithmetic expansion or command (`$((i+1))`, `((n++))`) runs no program.
  const text = argv.join(' ').replace(/\$?\(\((?:[^()]|\([^()]*\))*\)\)/g, ' ');
  const servers = shellServerPorts(text);
  if (servers.length) return servers;
  const words = text.split(/[;&|\n()`]+|\$\(/).map((seg) => seg.trim().split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)));
  for (const seg of words) {
    let w = seg.find((x) => !SHELL_KEYWORDS.has(x));
    if (w === undefined) continue;
    w = w.slice(w.lastIndexOf('/') + 1).replace(/^["']|["']$/g, '');
    if (w && !QUIET_COMMANDS.has(w)) return 'any';
  }
  return [];
}

const SHELL_KEYWORDS = new Set(['while', 'until', 'do', 'done', 'for', 'in', 'if', 'then', 'else', 'elif', 'fi', '!', '{', '}', '-c', '-ec', '-ex']);
/** Commands that serve nothing: the simulated shell's own, and the shells that run scripts of them. */
const QUIET_COMMANDS = new Set(['sh', 'ash', 'bash', 'sleep', 'echo', 'printf', 'touch', 'rm', 'cat', 'date', 'true', 'false', 'exit', 'env',
  'printenv', 'hostname', 'nslookup', 'getent', 'wget', 'curl', 'ls', 'mkdir', 'tail', 'head', 'test', '[', '[[', 'seq', 'expr', 'trap', 'wait',
  'set', 'export', 'read', ':', 'break', 'continue', 'cd', 'pwd', 'id', 'whoami', 'uname', 'ps', 'df', 'du', 'free', 'ping', 'stress', 'yes',
  'tee', 'grep', 'sed', 'awk', 'wc', 'sort', 'uniq', 'cp', 'mv', 'ln', 'chmod', 'chown', 'find', 'xargs', 'stat', 'dd', 'sync']);

/** Images whose process is a known server: where it listens, which binaries are it, and the flags that move it. */
const NGINX_CONFIG = ['/etc/nginx'];
const SERVER_IMAGES: Record<string, { ports: number[]; binaries: string[]; portFlags?: string[]; configDirs?: string[] }> = {
  nginx: { ports: [80], binaries: ['nginx', 'docker-entrypoint.sh', '/docker-entrypoint.sh'], configDirs: NGINX_CONFIG },
  'nginxinc/nginx-unprivileged': { ports: [8080], binaries: ['nginx', 'docker-entrypoint.sh'], configDirs: NGINX_CONFIG },
  // The StatefulSet tutorial's image.
  'registry.k8s.io/nginx-slim': { ports: [80], binaries: ['nginx'], configDirs: NGINX_CONFIG },
  'k8s.gcr.io/nginx-slim': { ports: [80], binaries: ['nginx'], configDirs: NGINX_CONFIG },
  'gcr.io/google_containers/nginx-slim': { ports: [80], binaries: ['nginx'], configDirs: NGINX_CONFIG },
  httpd: { ports: [80], binaries: ['httpd', 'httpd-foreground'], configDirs: ['/usr/local/apache2/conf'] },
  'traefik/whoami': { ports: [80], binaries: ['whoami', '/whoami'], portFlags: ['--port', '-port'] },
  'registry.k8s.io/hpa-example': { ports: [80], binaries: ['apache2-foreground', 'apache2'] },
  'k8s.gcr.io/hpa-example': { ports: [80], binaries: ['apache2-foreground', 'apache2'] },
  'registry.k8s.io/echoserver': { ports: [8080], binaries: ['nginx', '/usr/local/bin/run.sh', 'run.sh'] },
  'k8s.gcr.io/echoserver': { ports: [8080], binaries: ['nginx', 'run.sh'] },
  'gcr.io/google-samples/hello-app': { ports: [8080], binaries: ['hello-app', './hello-app'] },
  // agnhost's `liveness` (the probes page's HTTP example) and `netexec` serve HTTP on 8080.
  'registry.k8s.io/e2e-test-images/agnhost': { ports: [8080], binaries: ['agnhost', '/agnhost', 'liveness', 'netexec'] },
  'k8s.gcr.io/e2e-test-images/agnhost': { ports: [8080], binaries: ['agnhost', '/agnhost', 'liveness', 'netexec'] },
  // The Kubernetes Basics tutorial's app (a node.js server).
  'gcr.io/google-samples/kubernetes-bootcamp': { ports: [8080], binaries: ['node', '/bin/sh'] },
  'jocatalin/kubernetes-bootcamp': { ports: [8080], binaries: ['node', '/bin/sh'] },
  'us-docker.pkg.dev/google-samples/containers/gke/hello-app': { ports: [8080], binaries: ['hello-app', './hello-app'] },
  'hashicorp/http-echo': { ports: [5678], binaries: ['http-echo', '/http-echo'], portFlags: ['-listen', '--listen'] },
  redis: { ports: [6379], binaries: ['redis-server', 'docker-entrypoint.sh'], portFlags: ['--port'] },
  postgres: { ports: [5432], binaries: ['postgres', 'docker-entrypoint.sh'], portFlags: ['-p'] },
  mysql: { ports: [3306, 33060], binaries: ['mysqld', 'docker-entrypoint.sh'], portFlags: ['--port', '-P'] },
  mariadb: { ports: [3306], binaries: ['mariadbd', 'mysqld', 'docker-entrypoint.sh'], portFlags: ['--port', '-P'] },
  mongo: { ports: [27017], binaries: ['mongod', 'docker-entrypoint.sh'], portFlags: ['--port'] },
  memcached: { ports: [11211], binaries: ['memcached', 'docker-entrypoint.sh'], portFlags: ['-p', '--port'] },
  rabbitmq: { ports: [5672], binaries: ['rabbitmq-server', 'docker-entrypoint.sh'] },
  'registry.k8s.io/pause': { ports: [], binaries: ['/pause', 'pause'] },
  'registry.k8s.io/coredns/coredns': { ports: [53, 8080, 8181, 9153], binaries: ['/coredns', 'coredns'] },
};

/** busybox `httpd` (default port 80) and `nc -l`: the only servers a shell image's command can start here. */
function shellServerPorts(cmd: string): number[] {
  const out: number[] = [];
  const httpd = /(?:^|[\s;&|(])httpd\b([^;&|]*)/.exec(cmd);
  if (httpd) out.push(Number(/-p\s*(?:[\d.]+:)?(\d+)/.exec(httpd[1])?.[1] ?? 80));
  const nc = /(?:^|[\s;&|(])(?:nc|netcat)\b([^;&|]*)/.exec(cmd);
  if (nc && /(?:^|\s)-[a-zA-Z]*l/.test(nc[1])) {
    const port = /-[a-zA-Z]*p\s*(\d+)/.exec(nc[1])?.[1] ?? /-[a-zA-Z]*l[a-zA-Z]*\s+(\d+)/.exec(nc[1])?.[1];
    if (port) out.push(Number(port));
  }
  return out;
}

/** Servers of the convention that speak no HTTP on their ports: what `nc` gets there is their own protocol. */
const NON_HTTP: Record<string, 'redis' | 'other'> = {
  redis: 'redis', postgres: 'other', mysql: 'other', mariadb: 'other', mongo: 'other', memcached: 'other', rabbitmq: 'other',
  'registry.k8s.io/coredns/coredns': 'other',
};

/** The protocol a container's server speaks on its ports: HTTP, redis's RESP, or another the playground does not answer in. */
export function serverProtocol(container: any): 'http' | 'redis' | 'other' {
  const repo = shortRepo(parseImage(String(container?.image ?? '')));
  const server = SERVER_IMAGES[repo];
  const command = commandOf(container);
  if (server && replacesServer(server, command)) return 'http';
  return NON_HTTP[repo] ?? 'http';
}

/**
 * The sockets a server's listening port is bound on, as `netstat` lists them: `v4` is 0.0.0.0, `v6` the dual-stack
 * [::]. The official nginx images add `listen [::]:80` to their default server at start
 * (10-listen-on-ipv6-by-default.sh) besides `listen 80`; redis (`bind * -::*`), postgres (`listen_addresses='*'`)
 * and memcached bind both families; Go programs, Apache, node.js, Erlang, MySQL and busybox's own servers (httpd,
 * `nc -l`) bind one dual-stack socket; nginx-slim, the echoserver and mongo (`--bind_ip_all`) IPv4 only, as any
 * image the convention knows nothing of is shown.
 */
export function listenFamilies(container: any, port: number): Array<'v4' | 'v6'> {
  const ref = parseImage(String(container?.image ?? ''));
  const repo = shortRepo(ref);
  const server = SERVER_IMAGES[repo];
  const command = commandOf(container);
  const replaced = !!server && replacesServer(server, command);
  if (replaced || (!server && SHELL_IMAGES.test(String(container?.image ?? '')))) return ['v6'];
  if (server?.configDirs && mountsOver(container, server.configDirs)) return ['v4'];
  // The IPv6 listener comes from the image's entrypoint script, which `command: [nginx, …]` leaves out.
  if (repo === 'nginx' || repo === 'nginxinc/nginx-unprivileged') return command.length && !/docker-entrypoint/.test(command[0]) ? ['v4'] : ['v4', 'v6'];
  if (repo === 'redis' || repo === 'postgres' || repo === 'memcached') return ['v4', 'v6'];
  if (/(^|\/)metrics-server$/.test(repo)) return ['v6'];
  // The ingress-nginx controller: nginx's HTTP and HTTPS ports on both families, the Go controller's on [::].
  if (/(^|\/)ingress-nginx\/controller(-chroot)?$/.test(repo)) {
    const ports = listeningPorts(container);
    return ports !== 'any' && ports.slice(0, 2).includes(port) ? ['v4', 'v6'] : ['v6'];
  }
  if (!server || /nginx-slim$|echoserver$/.test(repo) || repo === 'mongo') return ['v4'];
  return ['v6'];
}

/** Whether a container listens on `port` (see listeningPorts). */
export function listensOn(container: any, port: number): boolean {
  const ports = listeningPorts(container);
  return ports === 'any' || ports.includes(port);
}

/**
 * Whether `path` exists `runningMs` after the container started, by the
 * command's touch/rm timeline. Before its first touch a file is absent, before
 * its first rm present; a file the command never mentions is part of the
 * image and exists.
 */
export function fileExistsAt(b: Behaviour, path: string, runningMs: number): boolean {
  const marks = b.files?.get(path);
  if (!marks) return true;
  let exists = !marks[0].exists;
  for (const m of marks) if (m.at <= runningMs) exists = m.exists;
  return exists;
}

export const SLEEP_UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

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

/** A `stress` size (`250M`, `1g`, `512k`, bytes without a suffix): stress counts in powers of 1024. */
function stressBytes(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([bkmgBKMG]?)$/.exec(text ?? '');
  if (!m) return undefined;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

/**
 * What a stress tool asks for, as the Kubernetes documentation's resource examples run it: `stress --vm N
 * --vm-bytes 250M` (polinux/stress) holds N × 250 MiB, `stress --cpu N` keeps N cores busy, and vish/stress's
 * `-cpus N` and `-mem-total 950Mi` do the same.
 */
export function stressDemand(container: any): { cpu?: number; memory?: number } {
  // Both tests below need the word in the image or an argument: most containers are told apart without a regular
  // expression or a copy of their argv (the kubelet asks at every start).
  if (!mentionsStress(container)) return {};
  const argv = [...commandOf(container), ...argsOf(container)];
  if (!argv.some((a) => /(^|\/)stress$/.test(a)) && !/(^|\/)stress(:|@|$)/.test(String(container?.image ?? '').replace(/^.*\//, '/'))) return {};
  const flag = (...names: string[]) => {
    for (let i = 0; i < argv.length; i++) {
      for (const n of names) {
        if (argv[i] === n) return argv[i + 1];
        if (argv[i].startsWith(`${n}=`)) return argv[i].slice(n.length + 1);
      }
    }
    return undefined;
  };
  const out: { cpu?: number; memory?: number } = {};
  const cpus = Number(flag('--cpu', '-c', '-cpus'));
  if (Number.isFinite(cpus) && cpus > 0) out.cpu = cpus;
  const vmBytes = stressBytes(flag('--vm-bytes'));
  const vm = Number(flag('--vm', '-m') ?? (vmBytes !== undefined ? 1 : NaN));
  if (Number.isFinite(vm) && vm > 0) out.memory = vm * (vmBytes ?? 256 * 1024 ** 2);
  const total = flag('-mem-total');
  if (total !== undefined) {
    try { out.memory = parseQuantity(total); } catch { /* not a quantity: no demand */ }
  }
  return out;
}

/** Whether the container's image or any of its command and args has `stress` in it. */
function mentionsStress(container: any): boolean {
  return String(container?.image ?? '').includes('stress') || anyMentionsStress(container?.command) || anyMentionsStress(container?.args);
}
function anyMentionsStress(list: unknown): boolean {
  return Array.isArray(list) && list.some((a) => String(a).includes('stress'));
}

/**
 * The folder a web-server image serves files from, for the images the
 * playground serves files for: the official nginx image, nginx's
 * unprivileged one and Kubernetes' nginx-slim (bitnami's serves /app, and
 * is not modelled).
 */
export function docRoot(container: any): string | undefined {
  return NGINX_REPOS.has(shortRepo(parseImage(String(container?.image ?? '')))) ? '/usr/share/nginx/html' : undefined;
}

/**
 * The stock site of an nginx container left as its image ships it: the port it serves, its document root and the
 * files there (the image's welcome and error pages). Undefined when the container runs another program, moves the
 * server, or mounts anything over, in or above its configuration or its document root, where what it serves is the
 * mounted files' to say.
 */
export function stockSite(container: any): { port: number; root: string; files: readonly string[] } | undefined {
  const root = docRoot(container);
  const server = SERVER_IMAGES[shortRepo(parseImage(String(container?.image ?? '')))];
  if (!root || !server || !runsImageServer(container)) return undefined;
  if (namesNginxConfig([...commandOf(container), ...argsOf(container)])) return undefined;
  if (mountsOver(container, [...(server.configDirs ?? []), root])) return undefined;
  return { port: server.ports[0], root, files: STOCK_PAGES };
}

const STOCK_PAGES: readonly string[] = ['index.html', '50x.html'];

/** nginx, its unprivileged build, and the slim build the StatefulSet tutorial uses (registry.k8s.io/nginx-slim). */
const NGINX_REPOS = new Set(['nginx', 'nginxinc/nginx-unprivileged', 'registry.k8s.io/nginx-slim', 'k8s.gcr.io/nginx-slim', 'gcr.io/google_containers/nginx-slim']);

/**
 * The user an image's config runs as, for the ones that do not run as root:
 * a numeric uid, or a name the kubelet cannot check (`USER nonroot`). Every
 * other image runs as root (uid 0), as most official images do.
 */
const IMAGE_USERS: Record<string, number | string> = {
  'nginxinc/nginx-unprivileged': 101,
  'registry.k8s.io/pause': 65535,
  'registry.k8s.io/ingress-nginx/controller': 'www-data',
  'registry.k8s.io/ingress-nginx/kube-webhook-certgen': 65532,
  'registry.k8s.io/metrics-server/metrics-server': 65534,
  'registry.k8s.io/coredns/coredns': 'nonroot',
};

/** The image's user: `{ uid }` or `{ name }` (a non-numeric USER); root unless the image is one of IMAGE_USERS, bitnami/* (1001), kubeplay/* or a distroless `nonroot` tag (65532). */
export function imageUser(image: string): { uid: number } | { name: string } {
  const r = parseImage(image);
  const repo = shortRepo(r);
  const known = IMAGE_USERS[repo];
  if (typeof known === 'number') return { uid: known };
  if (typeof known === 'string') return { name: known };
  if (repo.startsWith('bitnami/')) return { uid: 1001 };
  // The playground's own convention images have no image config anywhere; they run as a non-root user, so they
  // serve examples of restricted namespaces too.
  if (repo.startsWith('kubeplay/')) return { uid: 65532 };
  if (repo.startsWith('gcr.io/distroless/') && /(^|-)nonroot$/.test(r.tag)) return { uid: 65532 };
  return { uid: 0 };
}

/** Whether the image is one the convention knows to run as root (the editor says so only for these). */
export function knownRootImage(image: string): boolean {
  const repo = shortRepo(parseImage(image));
  return repo in SERVER_IMAGES && !(repo in IMAGE_USERS) || SHELL_IMAGES.test(repo) || /^(?:python|node|golang|ruby|openjdk|eclipse-temurin|php)$/.test(repo);
}

/**
 * The kubelet's verifyRunAsNonRoot: with runAsNonRoot (the container's, else
 * the pod's) and no runAsUser, an image that runs as root, or as a user name
 * it cannot check, is refused. `podRef` is format.Pod: `name_namespace(uid)`.
 */
export function runAsNonRootError(pod: any, container: any, podRef: string): string | undefined {
  const c = container?.securityContext ?? {};
  const p = pod?.spec?.securityContext ?? {};
  const nonRoot = c.runAsNonRoot ?? p.runAsNonRoot;
  if (nonRoot !== true) return undefined;
  const runAsUser = c.runAsUser ?? p.runAsUser;
  if (typeof runAsUser === 'number') {
    return runAsUser === 0 ? `container's runAsUser breaks non-root policy (pod: "${podRef}", container: ${container?.name})` : undefined;
  }
  const user = imageUser(String(container?.image ?? ''));
  if ('uid' in user) return user.uid === 0 ? `container has runAsNonRoot and image will run as root (pod: "${podRef}", container: ${container?.name})` : undefined;
  return `container has runAsNonRoot and image has non-numeric user (${user.name}), cannot verify user is non-root (pod: "${podRef}", container: ${container?.name})`;
}
