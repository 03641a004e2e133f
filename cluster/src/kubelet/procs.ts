/**
 * The processes a container sees, for busybox `ps`. A container has its own
 * PID namespace, where its first process is PID 1; with the pod's
 * `shareProcessNamespace` all containers share the pod's, where the sandbox's
 * `/pause` is PID 1 and every container's processes follow in the order the
 * containers started; an ephemeral container with a `targetContainerName`
 * (`kubectl debug --target`) joins its target's.
 *
 * PIDs are handed out in start order: a process the runtime starts (a
 * container's first process, an exec'd command) comes 6 after the last one
 * (runc's own short-lived processes take those in between), a process another
 * forks (nginx's workers, the command a shell runs) right after it. The
 * official nginx image is the exception: its /docker-entrypoint.sh is PID 1
 * and runs the /docker-entrypoint.d/ scripts (find, sort, dpkg-query, md5sum,
 * sed, awk... each a short-lived process) before it execs nginx in its own
 * place, so the first worker comes 28 after the master: `start worker process
 * 29` in the logs people post of the Debian images from 1.25 to 1.31
 * (bookworm and trixie alike), and the same PIDs in `ps`.
 */
import type { KObject } from '../contract';
import { docRoot, imageUser, parseImage } from '../../../kube/src/imageConvention';
import { containerSpecOf, instanceOf, type ExecWorld } from './execenv';
import { BUSYBOX_GROUP, BUSYBOX_PASSWD } from './imageroot';

export interface Proc {
  pid: number;
  ppid: number;
  uid: number;
  /** Its group (the user's own when the pod names none). */
  gid?: number;
  /** The command line as /proc/PID/cmdline holds it, arguments joined by spaces. */
  args: string;
  /** When it started (simulated ms). */
  started: number;
  /** The container it belongs to. */
  container: string;
  /** The ps asking is running, every other process sleeps. */
  running?: boolean;
}

/** A known image's first process and what it forks (httpd's children; nginx's workers are nginxLaunch's). */
interface Image { main: string; children?: (cpus: number) => string[]; childUid?: number }

/** How many PIDs the official image's entrypoint scripts use up between nginx's master (PID 1) and its first worker. */
export const ENTRYPOINT_PIDS = 28;

/** The CPUs a node has, as nginx's `worker_processes auto` counts them (2 when the node is not known). */
export function nodeCpus(node: KObject | undefined): number {
  return Math.max(1, Math.floor(Number.parseFloat(String(node?.status?.capacity?.cpu ?? '')) || 2));
}

/**
 * How a container of an nginx image runs nginx, if it does: its argv, and whether the image's
 * /docker-entrypoint.sh ran its /docker-entrypoint.d/ scripts first. The official image's ENTRYPOINT is that
 * script, which runs them only when its first argument is `nginx` or `nginx-debug` (`if [ "$1" = "nginx" ] ||
 * [ "$1" = "nginx-debug" ]`), then execs its arguments; a pod's `command` replaces it.
 */
export function nginxLaunch(spec: any): { argv: string[]; entrypoint: boolean } | undefined {
  if (!docRoot(spec)) return undefined;
  const official = parseImage(String(spec.image ?? '')).repository === 'library/nginx';
  const command: string[] = (spec.command ?? []).map(String);
  const args: string[] = (spec.args ?? []).map(String);
  let argv = command.length ? [...command, ...args] : args.length ? args : ['nginx', '-g', 'daemon off;'];
  let entrypoint = official && !command.length;
  if (official && command.length && /^(?:\/)?docker-entrypoint\.sh$/.test(argv[0])) {
    argv = argv.slice(1);
    entrypoint = true;
  }
  if (!/^(?:\/usr\/sbin\/)?nginx(?:-debug)?$/.test(argv[0] ?? '')) return undefined;
  return { argv, entrypoint: entrypoint && (argv[0] === 'nginx' || argv[0] === 'nginx-debug') };
}

/** The first process of the images the playground knows, when the pod names no command. */
const IMAGES: Record<string, Image> = {
  // httpd's mpm_event starts StartServers (3) children, as www-data (the image's httpd.conf names that user).
  'library/httpd': { main: 'httpd -DFOREGROUND', children: () => Array(3).fill('httpd -DFOREGROUND'), childUid: 33 },
  'traefik/whoami': { main: '/whoami' },
  'library/redis': { main: 'redis-server *:6379' },
  pause: { main: '/pause' },
  'coredns/coredns': { main: '/coredns' },
  'library/busybox': { main: 'sh' },
  'library/alpine': { main: '/bin/sh' },
};

/** The image's entrypoint, which `args` alone follow. */
const ENTRYPOINTS: Record<string, string> = { 'traefik/whoami': '/whoami', 'coredns/coredns': '/coredns', 'hashicorp/http-echo': '/http-echo' };

const RUNTIME_GAP = 6;

/** The user a container's processes run as: its securityContext's runAsUser, the pod's, else the image's. */
function uidOf(pod: KObject, spec: any): number {
  const given = spec.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  if (typeof given === 'number') return given;
  const u = imageUser(String(spec.image ?? ''));
  return 'uid' in u ? u.uid : 0;
}

/** The group a container's processes run as: runAsGroup (the container's, else the pod's), else the image user's. */
function gidOf(pod: KObject, spec: any, uid: number): number {
  const given = spec.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup;
  if (typeof given === 'number') return given;
  // The user's group in the image's /etc/passwd (busybox's sync is in users, 100); any other user, root's.
  if (isBusybox(String(spec.image ?? ''))) return BUSYBOX_USERS.gid[uid] ?? 0;
  if (uid === 101 || uid === 65535) return uid;
  return userNames(String(spec.image ?? ''))[uid] && uid !== 0 ? uid : 0;
}

/**
 * What ash runs in place of itself: the last command of `sh -c`, when the script is that one simple command
 * (ash execs it, so `sh -c 'sleep 1h'` is the process `sleep 1h`), as the words it runs; else undefined.
 */
export function execsInPlace(script: string, list = true): string | undefined {
  // ash passes its exit flag down a list (`a; b`, `a && b`, `a || b`), so the last command is the one exec'd
  // (with `list` false, only a script of one command counts: the shell is still there while a list's first ones run).
  let quote = '';
  let last = 0;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === ';' || c === '\n') last = i + 1;
    else if ((c === '&' || c === '|') && script[i + 1] === c) { last = i + 2; i++; }
  }
  if (quote || (!list && script.slice(0, last).trim())) return undefined;
  let t = script.slice(last).trim();
  // `exec CMD` replaces the shell in every shell.
  t = t.replace(/^exec\s+/, '');
  if (!t || /^(if|for|while|until|case|do|done|then|fi|esac|\{|\(|!|cd|export|set|read|exit|exec)\b/.test(t)) return undefined;
  let words = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quote) { if (c === quote) quote = ''; else words += c; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if ('&|<>`$()'.includes(c) || c === '\\') return undefined;
    words += c;
  }
  return quote ? undefined : words.replace(/\s+/g, ' ');
}

/** A container's own processes: its first one and what that forks, as (args, uid, forked) in start order. */
function containerProcs(pod: KObject, spec: any, cpus: number): Array<{ args: string; uid: number; gid: number; forked: boolean; gap?: number }> {
  const repo = parseImage(String(spec.image ?? '')).repository;
  const uid = uidOf(pod, spec);
  const gid = gidOf(pod, spec, uid);
  const command: string[] = (spec.command ?? []).map(String);
  const args: string[] = (spec.args ?? []).map(String);
  const argv = command.length ? [...command, ...args] : args;
  // `sh -c 'sleep 3600'` (or `'echo start; exec sleep 3600'`): ash runs the script's last command in its own place.
  if (argv.length >= 3 && /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|ash|bash)$/.test(argv[0]) && argv[1] === '-c') {
    const inPlace = execsInPlace(argv[2]);
    if (inPlace) return [{ args: inPlace, uid, gid, forked: false }];
  }
  // The nginx images (those that serve its html folder) run nginx's master and workers (retitled by
  // ngx_setproctitle: `master process` and the argv it was started with); behind the official image's
  // entrypoint, the first worker comes after the PIDs its scripts used.
  const nginx = nginxLaunch(spec);
  if (nginx) {
    const workerGid = gidOf(pod, spec, 101);
    return [{ args: `nginx: master process ${nginx.argv.join(' ')}`, uid, gid, forked: false },
      ...Array.from({ length: cpus }, (_, i) => ({ args: 'nginx: worker process', uid: 101, gid: workerGid, forked: true, gap: i === 0 && nginx.entrypoint ? ENTRYPOINT_PIDS : undefined }))];
  }
  if (command.length) return [{ args: argv.join(' '), uid, gid, forked: false }];
  const image = IMAGES[repo];
  if (args.length) return [{ args: [ENTRYPOINTS[repo] ?? repo.split('/').pop()!, ...args].join(' '), uid, gid, forked: false }];
  if (!image) return [{ args: repo.split('/').pop()!, uid, gid, forked: false }];
  const kids = image.children?.(cpus) ?? [];
  const childUid = image.childUid ?? uid;
  return [{ args: image.main, uid, gid, forked: false }, ...kids.map((a) => ({ args: a, uid: childUid, gid: gidOf(pod, spec, childUid), forked: true }))];
}

/** The containers whose processes share the namespace `container` is in, in the order they started; and whether the pause process is in it. */
function namespaceMembers(pod: KObject, container: string): { members: any[]; pause: boolean } {
  const all: any[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const running = (c: any) => instanceOf(pod, c.name).startedAt !== undefined;
  const byStart = (a: any, b: any) => (instanceOf(pod, a.name).startedAt ?? 0) - (instanceOf(pod, b.name).startedAt ?? 0);
  if (pod.spec?.shareProcessNamespace) return { members: all.filter(running).sort(byStart), pause: true };
  // An ephemeral container with a target joins the target's namespace: the target's first, then every one joining it.
  const self = all.find((c) => c.name === container);
  const owner = self?.targetContainerName ? all.find((c) => c.name === self.targetContainerName) : self;
  if (!owner || !running(owner)) return { members: self && running(self) ? [self] : [], pause: false };
  const joined = all.filter((c) => c !== owner && c.targetContainerName === owner.name && running(c)).sort(byStart);
  return { members: [owner, ...joined], pause: false };
}

/** A PID namespace's bookkeeping: the last PID handed out, and the PIDs each container instance's processes got. */
interface Namespace { last: number; pids: Map<string, number[]> }

function namespaceOf(w: ExecWorld, members: any[], pause: boolean): Namespace {
  // The namespaces seen lately (the newest 10,000), by pod and the container instance that owns them.
  const namespaces = (w.pidNamespaces ?? new Map()) as Map<string, Namespace>;
  const owner = pause ? '' : `${members[0]?.name ?? w.container}/${members[0] ? instanceOf(w.pod, members[0].name).id ?? '' : ''}`;
  const key = `${w.pod.metadata.uid ?? w.pod.metadata.name}/${owner}`;
  let ns = namespaces.get(key);
  if (ns) namespaces.delete(key);
  else ns = { last: 0, pids: new Map() };
  namespaces.set(key, ns);
  if (namespaces.size > 10_000) namespaces.delete(namespaces.keys().next().value!);
  return ns;
}

const next = (ns: Namespace, forked: boolean, gap = 1) => (ns.last = ns.last === 0 ? 1 : forked ? ns.last + gap : ns.last + RUNTIME_GAP);

/**
 * The processes of the container's PID namespace, from its PID 1 on (without the exec sessions). A container's
 * processes get their PIDs when first seen, after whatever the namespace handed out before (an ephemeral container
 * joining its target's after the sessions run there).
 */
function scan(w: ExecWorld): { procs: Proc[]; ns: Namespace } {
  const pod = w.pod;
  const cpus = nodeCpus(w.node?.());
  const { members, pause } = namespaceMembers(pod, w.container);
  const ns = namespaceOf(w, members, pause);
  const out: Proc[] = [];
  const podStart = Date.parse(String(pod.status?.startTime ?? '')) || w.now();
  if (pause) {
    if (!ns.pids.has('')) ns.pids.set('', [next(ns, false)]);
    out.push({ pid: ns.pids.get('')![0], ppid: 0, uid: 65535, gid: 65535, args: '/pause', started: podStart, container: '' });
  }
  for (const c of members) {
    const inst = instanceOf(pod, c.name);
    const procs = containerProcs(pod, c, cpus);
    const key = `${c.name}/${inst.id ?? ''}`;
    let pids = ns.pids.get(key);
    if (!pids) ns.pids.set(key, (pids = procs.map((p) => next(ns, p.forked, p.gap))));
    let parent = 0;
    procs.forEach((p, i) => {
      if (!p.forked) parent = pids![i];
      out.push({ pid: pids![i], ppid: p.forked ? parent : 0, uid: p.uid, gid: p.gid, args: p.args, started: inst.startedAt ?? podStart, container: c.name });
    });
  }
  return { procs: out, ns };
}

/** The processes of the container's PID namespace (see scan). */
export const namespaceProcs = (w: ExecWorld): Proc[] => scan(w).procs;

/** A PID for a process started in the container's namespace now: the runtime's (an exec) or one a process forked. */
export function newPid(w: ExecWorld, forked: boolean): number {
  return next(scan(w).ns, forked);
}

/** An /etc/passwd or /etc/group text read as getpwuid and getgrgid scan it: the first line of an id names it. */
export function etcNames(text: string | undefined): { names: Record<number, string>; gid: Record<number, number>; members: Record<number, string[]> } {
  const names: Record<number, string> = {}, gid: Record<number, number> = {}, members: Record<number, string[]> = {};
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2])) continue;
    const id = Number(f[2]);
    if (names[id] !== undefined) continue;
    names[id] = f[0];
    if (/^\d+$/.test(f[3] ?? '')) gid[id] = Number(f[3]);
    else members[id] = (f[3] ?? '').split(',').filter(Boolean);
  }
  return { names, gid, members };
}

const isBusybox = (image: string) => parseImage(image).repository === 'library/busybox';
const BUSYBOX_USERS = etcNames(BUSYBOX_PASSWD);
const BUSYBOX_GROUPS = etcNames(BUSYBOX_GROUP);

/** User names of the image `ps` runs in (its /etc/passwd); other uids show as numbers. */
function userNames(image: string): Record<number, string> {
  const repo = parseImage(image).repository;
  const base: Record<number, string> = { 0: 'root', 1: 'daemon', 2: 'bin', 3: 'sys', 8: 'mail', 65534: 'nobody' };
  if (repo === 'library/busybox') return BUSYBOX_USERS.names;
  // Alpine's /etc/passwd numbers bin and daemon the other way round.
  if (repo === 'library/alpine') return { 0: 'root', 1: 'bin', 2: 'daemon', 3: 'adm', 4: 'lp', 5: 'sync', 8: 'mail', 82: 'www-data', 65534: 'nobody' };
  if (repo === 'library/nginx' || repo === 'nginxinc/nginx-unprivileged') return { ...base, 33: 'www-data', 101: 'nginx' };
  // The Debian-based images name www-data (httpd's children run as it).
  if (repo === 'library/httpd') return { ...base, 33: 'www-data' };
  return base;
}

/** Group names of the image (its /etc/group); other gids show as numbers. */
function groupNames(image: string): Record<number, string> {
  const repo = parseImage(image).repository;
  const base: Record<number, string> = { 0: 'root', 1: 'daemon', 2: 'bin', 3: 'sys', 4: 'adm', 5: 'tty', 6: 'disk', 7: 'lp', 8: 'mail', 33: 'www-data', 65534: 'nogroup' };
  if (repo === 'library/busybox') return BUSYBOX_GROUPS.names;
  if (repo === 'library/alpine') return ALPINE_GROUPS;
  if (repo === 'library/nginx' || repo === 'nginxinc/nginx-unprivileged') return { ...base, 101: 'nginx' };
  return base;
}

const ALPINE_GROUPS: Record<number, string> = {
  0: 'root', 1: 'bin', 2: 'daemon', 3: 'sys', 4: 'adm', 5: 'tty', 6: 'disk', 7: 'lp', 9: 'kmem', 10: 'wheel', 11: 'floppy', 12: 'mail',
  20: 'dialout', 26: 'tape', 27: 'video', 82: 'www-data', 100: 'users', 65533: 'nogroup', 65534: 'nobody',
};
/** The groups alpine's /etc/group puts root in, besides its own. */
const ALPINE_ROOT_GROUPS = [1, 2, 3, 4, 6, 10, 11, 20, 26, 27];

/** A uid's name in the image, else the number (as busybox prints an owner). */
export const userName = (image: string, uid: number): string => userNames(image)[uid] ?? String(uid);
/** A gid's name in the image, else the number. */
export const groupName = (image: string, gid: number): string => groupNames(image)[gid] ?? String(gid);

/**
 * Who a container's processes are: runAsUser and runAsGroup (the container's, else the pod's), else the image's
 * user; and their groups, which the runtime gives as the primary group, the pod's fsGroup and
 * supplementalGroups, and (supplementalGroupsPolicy Merge, the default) the user's groups in the image's
 * /etc/group (busybox's root is also in wheel).
 */
export function identityOf(pod: KObject, spec: any): { uid: number; gid: number; groups: number[] } {
  const uid = uidOf(pod, spec);
  const gid = gidOf(pod, spec, uid);
  const sc = pod.spec?.securityContext ?? {};
  const set = new Set<number>([gid]);
  if (typeof sc.fsGroup === 'number') set.add(sc.fsGroup);
  for (const g of sc.supplementalGroups ?? []) if (typeof g === 'number') set.add(g);
  if (sc.supplementalGroupsPolicy !== 'Strict') {
    const repo = parseImage(String(spec.image ?? '')).repository;
    // The groups the image's /etc/group lists the user's name in (busybox's root: wheel).
    const name = BUSYBOX_USERS.names[uid];
    if (repo === 'library/busybox') {
      for (const [g, m] of Object.entries(BUSYBOX_GROUPS.members)) if (name !== undefined && m.includes(name)) set.add(Number(g));
    } else if (repo === 'library/alpine' && uid === 0) for (const g of ALPINE_ROOT_GROUPS) set.add(g);
  }
  return { uid, gid, groups: [...set].sort((a, b) => a - b) };
}

/**
 * The container's own /etc/passwd and /etc/group, as read now (undefined: not there), for the applets that name
 * users (busybox's getpwuid reads the file each time, so a line added with `echo >> /etc/passwd` counts).
 */
export interface EtcFiles { passwd: string | undefined; group: string | undefined }

/** busybox `id [-u|-g|-G] [-n]` for the container's user. */
export function idCommand(pod: KObject, spec: any, args: string[], etc?: EtcFiles, gnu = false): { stdout: string; stderr: string; code: number } {
  const { uid, gid, groups } = identityOf(pod, spec);
  const users = etc ? etcNames(etc.passwd).names : userNames(String(spec.image ?? ''));
  const grps = etc ? etcNames(etc.group).names : groupNames(String(spec.image ?? ''));
  const flags = args.filter((a) => a.startsWith('-')).join('').replace(/-/g, '');
  // GNU's options were checked by getopt already (exec.ts), its -a being a no-op kept for compatibility.
  for (const f of flags) if (!(gnu ? 'agnruzGZ' : 'ugGnr').includes(f)) return { stdout: '', stderr: `id: invalid option -- '${f}'\n`, code: 1 };
  // `id NAME` of a user the image's /etc/passwd does not have: GNU id.c "%s: no such user" (quoted), busybox
  // "unknown user %s". (Another user the image names is answered with the container's own identity.)
  const operand = args.find((a) => !a.startsWith('-'));
  if (operand !== undefined && !Object.values(users).includes(operand) && !/^\d+$/.test(operand)) {
    return { stdout: '', stderr: gnu ? `id: '${operand.replace(/'/g, "'\\''")}': no such user\n` : `id: unknown user ${operand}\n`, code: 1 };
  }
  const name = flags.includes('n');
  // With -n, an id without a name is printed as the number, and id says so and fails (busybox's print_common:
  // "unknown ID %u"; GNU id.c print_user/print_group: "cannot find name for user ID %ju", "… group ID …").
  const unknown: Array<{ n: number; group: boolean }> = [];
  const one = (n: number, names: Record<number, string>) => {
    if (!name) return String(n);
    if (names[n] === undefined) unknown.push({ n, group: names === grps });
    return names[n] ?? String(n);
  };
  const said = ({ n, group }: { n: number; group: boolean }) => (gnu ? `id: cannot find name for ${group ? 'group' : 'user'} ID ${n}\n` : `id: unknown ID ${n}\n`);
  const done = (text: string) => ({ stdout: text, stderr: unknown.map(said).join(''), code: unknown.length ? 1 : 0 });
  if (flags.includes('u')) return done(`${one(uid, users)}\n`);
  if (flags.includes('g')) return done(`${one(gid, grps)}\n`);
  // -G: the primary group first, then the others.
  if (flags.includes('G')) return done(`${[gid, ...groups.filter((g) => g !== gid)].map((g) => one(g, grps)).join(' ')}\n`);
  const named = (n: number, names: Record<number, string>) => (names[n] ? `${n}(${names[n]})` : String(n));
  return { stdout: `uid=${named(uid, users)} gid=${named(gid, grps)} groups=${groups.map((g) => named(g, grps)).join(',')}\n`, stderr: '', code: 0 };
}

/**
 * `whoami`: the user's name, or an error for a uid the image's /etc/passwd does not name: busybox's `unknown uid`,
 * GNU whoami.c's "cannot find name for user ID %lu".
 */
export function whoamiCommand(pod: KObject, spec: any, etc?: EtcFiles, gnu = false): { stdout: string; stderr: string; code: number } {
  const { uid } = identityOf(pod, spec);
  const n = (etc ? etcNames(etc.passwd).names : userNames(String(spec.image ?? '')))[uid];
  if (n) return { stdout: `${n}\n`, stderr: '', code: 0 };
  return { stdout: '', stderr: gnu ? `whoami: cannot find name for user ID ${uid}\n` : `whoami: unknown uid ${uid}\n`, code: 1 };
}

/** cmdline's command name as /proc/PID/comm holds it: the executable's base name, at most 15 bytes. */
/** A process's argv[0] from its joined command line: nginx and redis retitle themselves, so their whole title is it. */
export function argv0Of(args: string): string {
  return args.startsWith('nginx: ') || /^redis-server \S+:\d+$/.test(args) ? args : args.split(' ')[0];
}

function commOf(args: string): string {
  const first = args.startsWith('nginx:') ? 'nginx' : args.split(' ')[0];
  return first.slice(first.lastIndexOf('/') + 1).slice(0, 15);
}

/** busybox ps's longest line; the `args` column is this wide, so nothing after it fits. */
const MAX_WIDTH = 2048;

/** busybox's format_time: `M:SS` under an hour, `HhMM` under a day, `DdHH`, then days, cut to the column. */
function formatTime(secs: number, width: number): string {
  let ff = secs % 60;
  let tt = Math.floor(secs / 60);
  const two = (n: number) => String(n).padStart(2);
  const pad = (n: number) => String(n).padStart(2, '0');
  let text: string;
  if (tt < 60) text = `${two(tt)}:${pad(ff)}`;
  else {
    ff = tt % 60;
    tt = Math.floor(tt / 60);
    if (tt < 24) text = `${two(tt)}h${pad(ff)}`;
    else {
      ff = tt % 24;
      tt = Math.floor(tt / 24);
      text = tt < 100 ? `${two(tt)}d${pad(ff)}` : `${String(tt).padStart(4)}d`;
    }
  }
  return text.slice(0, width);
}

/** busybox ps's columns (its out_spec, in its order), with what the simulation knows of each. */
const COLUMNS: Array<{ name: string; width: number; header: string; value?: (p: Proc, now: number, names: Record<number, string>, width: number, groups: Record<number, string>) => string }> = [
  { name: 'user', width: 8, header: 'USER', value: (p, _n, names, width) => (names[p.uid] ?? String(p.uid)).slice(0, width) },
  { name: 'group', width: 8, header: 'GROUP', value: (p, _n, _u, width, groups) => (groups[p.gid ?? 0] ?? String(p.gid ?? 0)).slice(0, width) },
  { name: 'comm', width: 16, header: 'COMMAND', value: (p, _n, _u, width) => commOf(p.args).slice(0, width) },
  { name: 'args', width: MAX_WIDTH, header: 'COMMAND', value: (p, _n, _u, width) => p.args.slice(0, width) },
  { name: 'pid', width: 5, header: 'PID', value: (p, _n, _u, width) => String(p.pid).padStart(width) },
  { name: 'ppid', width: 5, header: 'PPID', value: (p, _n, _u, width) => String(p.ppid).padStart(width) },
  { name: 'pgid', width: 5, header: 'PGID' },
  { name: 'etime', width: 7, header: 'ELAPSED', value: (p, now, _u, width) => formatTime(Math.max(0, Math.floor((now - p.started) / 1000)), width) },
  { name: 'nice', width: 5, header: 'NI' },
  { name: 'rgroup', width: 8, header: 'RGROUP' },
  { name: 'ruser', width: 8, header: 'RUSER' },
  // Cumulative CPU: the simulated processes use none worth counting.
  { name: 'time', width: 5, header: 'TIME', value: (_p, _n, _u, width) => formatTime(0, width) },
  { name: 'tty', width: 6, header: 'TT' },
  { name: 'vsz', width: 4, header: 'VSZ' },
  { name: 'sid', width: 5, header: 'SID' },
  { name: 'stat', width: 4, header: 'STAT' },
  { name: 'rss', width: 4, header: 'RSS' },
];

const PS_USAGE = 'BusyBox v1.36.1 multi-call binary.\n\nUsage: ps [-o COL1,COL2=HEADER] [-T]\n\nShow list of processes\n\n\t-o COL1,COL2=HEADER\tSelect columns for display\n\t-T\t\t\tShow threads\n';

type Column = { spec: (typeof COLUMNS)[number]; width: number; header: string };

/**
 * busybox's parse_o: commas split the list up to the first `=`; the last item may name its header (commas
 * and all), which sets the column's width. Names compare on their first 6 characters, as busybox's do.
 */
function parseColumns(opt: string, into: Column[]): string | undefined {
  const find = (name: string) => COLUMNS.find((c) => c.name.slice(0, 6) === name.slice(0, 6) && (name.length <= 6 ? c.name === name : true));
  const bad = (name: string) => `ps: bad -o argument '${name}', supported arguments: ${COLUMNS.map((c) => c.name.slice(0, 6)).join(',')}\n`;
  for (;;) {
    const comma = opt.indexOf(',');
    const equal = opt.indexOf('=');
    if (comma >= 0 && (equal < 0 || equal > comma)) {
      const spec = find(opt.slice(0, comma));
      if (!spec) return bad(opt.slice(0, comma));
      into.push({ spec, width: spec.width, header: spec.header });
      opt = opt.slice(comma + 1);
      continue;
    }
    break;
  }
  const equal = opt.indexOf('=');
  const name = equal < 0 ? opt : opt.slice(0, equal);
  const spec = find(name);
  if (!spec) return bad(name);
  const header = equal < 0 ? spec.header : opt.slice(equal + 1);
  into.push({ spec, width: header && equal >= 0 ? header.length : spec.width, header });
  return undefined;
}

/** busybox `ps` (its desktop build, as in the busybox image): `-o` columns, the other options accepted and ignored. */
export function ps(w: ExecWorld, args: string[], procs: Proc[]): { stdout: string; stderr: string; code: number } {
  let cols: Column[] = [];
  let given = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'o') {
        const spec = a.slice(j + 1) || args[++i];
        if (spec === undefined) return { stdout: '', stderr: `ps: option requires an argument -- 'o'\n${PS_USAGE}`, code: 1 };
        const err = parseColumns(spec, cols);
        if (err) return { stdout: '', stderr: err, code: 1 };
        given = true;
        break;
      }
      if (a.startsWith('--')) return { stdout: '', stderr: `ps: unrecognized option '${a}'\n${PS_USAGE}`, code: 1 };
      if (!'ZaAdeflT'.includes(f)) return { stdout: '', stderr: `ps: invalid option -- '${f}'\n${PS_USAGE}`, code: 1 };
    }
  }
  if (!given) parseColumns('pid,user,time,args', cols);
  const unsimulated = cols.find((c) => !c.spec.value);
  if (unsimulated) {
    return { stdout: '', stderr: `kubeplay: ps -o ${unsimulated.spec.name} is not simulated (columns: ${COLUMNS.filter((c) => c.value).map((c) => c.name).join(',')})\n`, code: 1 };
  }
  // alloc_line_buffer: the columns past the line's width (args is that wide) do not fit and are dropped.
  let total = 0;
  for (let i = 0; i < cols.length; i++) {
    total += cols[i].width + 1;
    if (total > MAX_WIDTH) { cols = cols.slice(0, i + 1); break; }
  }
  const names = userNames(String(containerSpecOf(w).image ?? ''));
  const groups = groupNames(String(containerSpecOf(w).image ?? ''));
  const now = w.now();
  const line = (cells: string[]) => cells.map((v, i) => (i === cells.length - 1 ? v : v + ' '.repeat(Math.max(1, cols[i].width - v.length + 1)))).join('') + '\n';
  let out = cols.some((c) => c.header) ? line(cols.map((c) => c.header)) : '';
  for (const p of procs) out += line(cols.map((c) => c.spec.value!(p, now, names, c.width, groups) || '-'));
  return { stdout: out, stderr: '', code: 0 };
}

/** Linux's signal numbers (x86), by busybox's names for them (29 is POLL; 32 and 64 are RTMIN and RTMAX). */
export const SIGNALS = ['', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD',
  'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS'];
/** The signals `kill -l` lists: 1 to 31, RTMIN and RTMAX. */
export const SIGNAL_LIST: Array<[number, string]> = [...SIGNALS.slice(1).map((n, i): [number, string] => [i + 1, n]), [32, 'RTMIN'], [64, 'RTMAX']];
/** Signals whose default action is to do nothing, or to stop or continue the process (never to end it). */
const NOT_FATAL = new Set(['CHLD', 'URG', 'WINCH', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU']);

/**
 * A signal's number as busybox's get_signum reads it: a number below 65, a name with or without SIG (also IO, IOT,
 * EXIT for 0, RTMIN[+n], RTMAX[-n]), case-insensitive; undefined when there is none such.
 */
export function signalNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s) < 65 ? Number(s) : undefined;
  const name = s.toUpperCase().replace(/^SIG/, '');
  const extra: Record<string, number> = { IO: 29, IOT: 6, EXIT: 0, RTMIN: 32, RTMAX: 64 };
  if (name in extra) return extra[name];
  const rt = /^RTM(IN|AX)([+-])(\d+)$/.exec(name);
  if (rt) {
    const n = (rt[1] === 'IN' ? 32 : 64) + (rt[2] === '+' ? 1 : -1) * Number(rt[3]);
    return n >= 32 && n <= 64 ? n : undefined;
  }
  const n = SIGNALS.indexOf(name);
  return n > 0 ? n : undefined;
}

/** A signal's name for messages (`RTMIN+2` style for the real-time ones). */
export const signalName = (n: number): string => (n < 32 ? SIGNALS[n] : n === 32 ? 'RTMIN' : n === 64 ? 'RTMAX' : `RTMIN+${n - 32}`);

/** What a signal does to a process, and what comes of it. */
export type SignalEffect =
  | { kind: 'none' }
  /** The container's first process ends with this exit code (then restartPolicy decides). */
  | { kind: 'container-exit'; container: string; code: number }
  /** nginx's master replaces the worker(s): new PIDs. */
  | { kind: 'respawn'; container: string; pids: number[] }
  /** The session's own shell ends. */
  | { kind: 'session-exit'; code: number }
  | { kind: 'unsimulated'; why: string };

/**
 * What the programs the playground knows do with a signal they catch: `exit` with a code, do something unseen
 * (`handled`), or `ignore` it; absent, the signal takes its default action (or, at a namespace's PID 1, is dropped).
 * nginx's from ngx_process.c's signals[] (the master's; with `daemon off;` WINCH does nothing); redis-server and
 * httpd stop cleanly on TERM (and redis on INT); a Go program's runtime catches every signal it may, and when nothing
 * asked for one it dies by it, or, as a PID 1 the kernel shields, exits with status 2.
 */
type Handler = 'exit0' | 'handled' | 'ignore' | 'go';
/** The Go programs among the images the playground knows. */
const GO_PROGRAMS = new Set(['whoami', 'coredns', 'http-echo', 'hello-app', 'agnhost']);
function handlerOf(args: string, name: string): Handler | undefined {
  if (args.startsWith('nginx: master process')) {
    if (name === 'TERM' || name === 'INT' || name === 'QUIT') return 'exit0';
    if (['HUP', 'USR1', 'USR2', 'WINCH', 'ALRM', 'POLL', 'CHLD'].includes(name)) return 'handled';
    if (name === 'PIPE' || name === 'SYS') return 'ignore';
    return undefined;
  }
  if (args.startsWith('redis-server')) return name === 'TERM' || name === 'INT' ? 'exit0' : name === 'PIPE' || name === 'HUP' ? 'ignore' : undefined;
  if (args.startsWith('httpd ')) return name === 'TERM' ? 'exit0' : ['HUP', 'USR1', 'WINCH', 'PIPE'].includes(name) ? 'handled' : undefined;
  const exe = args.split(' ')[0];
  if (GO_PROGRAMS.has(exe.slice(exe.lastIndexOf('/') + 1))) return NOT_FATAL.has(name) ? undefined : 'go';
  return undefined;
}

/**
 * What `sig` does to process `target` of the namespace: the programs the playground knows handle their signals
 * (handlerOf); any other process takes the default action, except that a namespace's PID 1 gets only the signals its
 * program handles (the kernel drops the rest when they come from inside the namespace, KILL included). The session's
 * shells: an interactive ash ignores TERM, INT and QUIT; a `sh -c` one takes them.
 */
export function signalEffect(target: Proc, sig: number, procs: Proc[], session: Map<number, boolean>): SignalEffect {
  const name = signalName(sig);
  const init = target.pid === 1;
  const fatal = !NOT_FATAL.has(name);
  if (target.args === '/pause') {
    // pause handles INT and TERM (it exits, and the sandbox with it); it is PID 1, so nothing else reaches it.
    return name === 'INT' || name === 'TERM' ? { kind: 'unsimulated', why: 'stopping the pod sandbox (/pause) is not simulated' } : { kind: 'none' };
  }
  if (session.has(target.pid)) {
    const interactive = session.get(target.pid);
    if (!fatal || (interactive && ['TERM', 'INT', 'QUIT'].includes(name))) return { kind: 'none' };
    return { kind: 'session-exit', code: 128 + sig };
  }
  if (target.args === 'nginx: worker process') {
    // A worker ignores HUP, USR2, POLL, PIPE and SYS, handles USR1, ALRM and WINCH; anything else ends it, and its
    // master starts another.
    if (!fatal || ['HUP', 'USR1', 'USR2', 'POLL', 'PIPE', 'SYS', 'ALRM', 'WINCH'].includes(name)) return { kind: 'none' };
    return { kind: 'respawn', container: target.container, pids: [target.pid] };
  }
  const main = procs.find((p) => p.container === target.container && p.ppid === 0 && p.container !== '');
  const isMain = !!main && main.pid === target.pid;
  const handler = name === 'KILL' || name === 'STOP' ? undefined : handlerOf(target.args, name);
  if (handler === 'exit0') return isMain ? { kind: 'container-exit', container: target.container, code: 0 } : { kind: 'none' };
  if (handler === 'handled' || handler === 'ignore') {
    if (target.args.startsWith('nginx: master process') && name === 'HUP') return { kind: 'respawn', container: target.container, pids: procs.filter((p) => p.ppid === target.pid).map((p) => p.pid) };
    return { kind: 'none' };
  }
  if (handler === 'go') return isMain ? { kind: 'container-exit', container: target.container, code: init ? 2 : 128 + sig } : { kind: 'none' };
  // No handler: PID 1 of its namespace is shielded; any other process takes the default action.
  if (init || !fatal) return { kind: 'none' };
  if (isMain) return { kind: 'container-exit', container: target.container, code: 128 + sig };
  return { kind: 'none' };
}

/** nginx's master starts new workers in place of `old` (HUP, or workers that died): they get the next PIDs. */
export function respawnWorkers(w: ExecWorld, container: string, old: number[]): void {
  const { ns } = scan(w);
  const inst = instanceOf(w.pod, container);
  const key = `${container}/${inst.id ?? ''}`;
  const pids = ns.pids.get(key);
  if (!pids) return;
  ns.pids.set(key, pids.map((p) => (old.includes(p) ? next(ns, true) : p)));
}
