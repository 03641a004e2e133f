/**
 * What a container sees of its pod's network namespace, for busybox's `ip`,
 * `ifconfig`, `route` and `netstat` (BusyBox v1.36.1, the busybox image's
 * glibc build). Every container of a pod shares one namespace: the same
 * `eth0` with the pod's IP, and the same listening sockets, whichever
 * container opened them. That is the point learners check with these
 * commands.
 *
 * A kind pod's `eth0` is one end of a veth pair that kindnet's CNI (the ptp
 * plugin) made: the address from the node's /24 podCIDR, MTU 1500, the
 * gateway `.1` reached through a /32 link route, and the /24 routed through
 * it. The MAC, the host-side peer's index and the packet counters differ from
 * pod to pod on a real node; here the MAC and the index are derived from the
 * pod, and the counters are not simulated (they read 0).
 */
import type { KObject } from '../contract';
import { listenFamilies, listeningPorts } from '../../../kube/src/imageConvention';
import { containerSpecOf, type ExecWorld } from './execenv';
import { identityOf, namespaceProcs } from './procs';
import type { CmdOut } from './netcmds';

const BANNER = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n';

interface Iface {
  name: string;
  index: number;
  /** The host-side peer's index (`eth0@if12`); undefined for lo. */
  peer?: number;
  mac: string;
  ip: string;
  prefix: number;
  mtu: number;
  linkLocal?: string;
  loopback: boolean;
}

const ok = (stdout: string): CmdOut => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CmdOut => ({ stdout: '', stderr, code });

/** A small FNV-1a over the pod's uid: the same pod always gets the same MAC. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** The IPv6 link-local address the kernel derives from a MAC (EUI-64: the universal bit flipped, ff:fe inserted). */
function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const groups = [((b[0] ^ 0x02) << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
  return `fe80::${groups.map((g) => g.toString(16)).join(':')}`;
}

function dotted(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 0xff).join('.');
}

function broadcast(ip: string, prefix: number): string {
  const n = ip.split('.').reduce((a, x) => (a << 8) + Number(x), 0) >>> 0;
  const b = (n | (prefix === 0 ? 0xffffffff : (0xffffffff >>> prefix))) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 0xff).join('.');
}

/** The network the container is in: the pod's own, or the node's for a hostNetwork pod. */
function interfaces(w: ExecWorld): { ifaces: Iface[]; gateway: string; network: string } {
  const pod = w.pod;
  const lo: Iface = { name: 'lo', index: 1, mac: '00:00:00:00:00:00', ip: '127.0.0.1', prefix: 8, mtu: 65536, linkLocal: '::1', loopback: true };
  const host = !!pod.spec?.hostNetwork;
  // A pod sees its address once the sandbox has it; the world's pod may be older than the sandbox's status.
  const ip = String((host ? pod.status?.hostIP : pod.status?.podIP) ?? '');
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((n) => !Number.isInteger(n))) return { ifaces: [lo], gateway: '', network: '' };
  if (host) {
    // The kind node's eth0 on docker's `kind` network (172.18.0.0/16), its MAC docker's 02:42 and the address.
    const mac = `02:42:${octets.map(hex2).join(':')}`;
    return {
      ifaces: [lo, { name: 'eth0', index: 2, peer: 2 + octets[3] * 2, mac, ip, prefix: 16, mtu: 1500, linkLocal: linkLocalOf(mac), loopback: false }],
      gateway: `${octets[0]}.${octets[1]}.0.1`, network: `${octets[0]}.${octets[1]}.0.0`,
    };
  }
  const h = hash(String(pod.metadata.uid ?? pod.metadata.name));
  // A locally administered unicast MAC, as the kernel makes for a veth.
  const mac = [(h >>> 24) & 0xfc | 0x02, h >>> 16, h >>> 8, h, octets[2], octets[3]].map(hex2).join(':');
  return {
    // The node's veths are numbered as its pods came: the first pod's (.2) is 3, after the node's lo and eth0.
    ifaces: [lo, { name: 'eth0', index: 2, peer: octets[3] + 1, mac, ip, prefix: 24, mtu: 1500, linkLocal: linkLocalOf(mac), loopback: false }],
    gateway: `${octets[0]}.${octets[1]}.${octets[2]}.1`, network: `${octets[0]}.${octets[1]}.${octets[2]}.0`,
  };
}

const IP_USAGE = `${BANNER}Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]

OPTIONS := -f[amily] inet|inet6|link | -o[neline]

ip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]
ip route list|flush|add|del|change|append|replace|test ROUTE
ip link set IFACE [up|down] [arp on|off] [multicast on|off]
\t[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]
\t[master IFACE | nomaster] [netns PID]
ip tunnel add|change|del|show [NAME]
\t[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]
ip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]
ip rule [list] | add|del SELECTOR ACTION
`;

/** Which word of busybox's `ip` an abbreviation stands for (busybox matches any prefix of the object's name). */
function objectOf(word: string): 'address' | 'link' | 'route' | 'neigh' | undefined {
  for (const o of ['address', 'link', 'route', 'neigh'] as const) if (word.length > 0 && o.startsWith(word)) return o;
  return undefined;
}

/** The link header busybox prints (print_linkinfo): no `state` in the glibc build, M-DOWN for a veth's unseen peer. */
function linkHeader(i: Iface, qdisc: boolean): string {
  const flags = i.loopback ? 'LOOPBACK,UP,LOWER_UP' : 'BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN';
  return `${i.index}: ${i.name}${i.peer !== undefined ? `@if${i.peer}` : ''}: <${flags}> mtu ${i.mtu} ${qdisc ? 'qdisc noqueue ' : ''}qlen 1000\n`;
}

function linkLine(i: Iface): string {
  return i.loopback ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' : `    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff\n`;
}

function inetLines(i: Iface, family: 'inet' | 'inet6'): string[] {
  const lft = 'valid_lft forever preferred_lft forever';
  if (family === 'inet') {
    const brd = i.loopback ? '' : `brd ${broadcast(i.ip, i.prefix)} `;
    return [`    inet ${i.ip}/${i.prefix} ${brd}scope ${i.loopback ? 'host' : 'global'} ${i.name}`, `       ${lft}`];
  }
  if (!i.linkLocal) return [];
  return [`    inet6 ${i.linkLocal}/${i.loopback ? 128 : 64} scope ${i.loopback ? 'host' : 'link'} `, `       ${lft}`];
}

/** busybox `ip`: `addr`, `link` and `route` shown (`-4`, `-6`, `-o`, `show [dev] IFACE`, `route get ADDR`); changes need NET_ADMIN. */
export function ipCommand(w: ExecWorld, args: string[]): CmdOut {
  let family: 'inet' | 'inet6' | 'link' | undefined;
  let oneline = false;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i];
    if (a === '-4') family = 'inet';
    else if (a === '-6') family = 'inet6';
    else if (a === '-0') family = 'link';
    else if (a === '-o' || a === '-oneline') oneline = true;
    else if (a === '-f' || a === '-family') {
      const f = args[++i];
      if (f === 'inet' || f === 'inet6' || f === 'link') family = f;
      else return fail(IP_USAGE);
    } else return fail(IP_USAGE);
  }
  const object = args[i] === undefined ? undefined : objectOf(args[i]);
  if (!object) return fail(IP_USAGE);
  const rest = args.slice(i + 1);
  const verb = rest[0] ?? 'show';
  const { ifaces, gateway, network } = interfaces(w);
  const eth0 = ifaces.find((x) => x.name === 'eth0');
  if (object === 'route') {
    if (['list', 'show', 'lst', 'sh', 'l', 's'].includes(verb) || rest.length === 0) {
      if (family === 'inet6') return ok(eth0 ? 'fe80::/64 dev eth0  metric 256 \n' : '');
      if (!eth0) return ok('');
      const prefix = eth0.prefix;
      return ok(`default via ${gateway} dev eth0 \n${network}/${prefix} via ${gateway} dev eth0  src ${eth0.ip} \n${gateway} dev eth0 scope link  src ${eth0.ip} \n`);
    }
    if (verb === 'get') {
      const to = rest[1];
      if (!to || !/^\d{1,3}(\.\d{1,3}){3}$/.test(to)) return fail(`ip: an inet address is expected rather than "${to ?? ''}"\n`);
      if (to.startsWith('127.')) return ok(`local ${to} dev lo  src 127.0.0.1 \n`);
      if (!eth0) return fail('ip: RTNETLINK answers: Network unreachable\n', 2);
      if (to === eth0.ip) return ok(`local ${to} dev lo  src ${to} \n`);
      return ok(`${to} via ${gateway} dev eth0  src ${eth0.ip} \n`);
    }
    return fail('ip: RTNETLINK answers: Operation not permitted\n', 2);
  }
  if (object === 'neigh') {
    if (verb !== 'show' && verb !== 'list' && verb !== 'sh') return fail('ip: RTNETLINK answers: Operation not permitted\n', 2);
    // The gateway's entry, once the pod has talked to anything beyond itself: this playground keeps no ARP cache.
    return ok('');
  }
  if (!['show', 'list', 'lst', 'sh', 'ls', 'l', 's'].includes(verb)) {
    if (verb === 'set' || verb === 'add' || verb === 'del' || verb === 'delete' || verb === 'flush' || verb === 'change' || verb === 'replace') {
      return fail('ip: RTNETLINK answers: Operation not permitted\n', 2);
    }
    // `ip addr eth0` is not a command: busybox reads the word as a verb it does not know.
    return fail(`ip: command '${verb}' is unknown, try "ip ${object} help"\n`);
  }
  const devArgs = rest.slice(1).filter((a) => a !== 'dev');
  const dev = devArgs[0];
  const shown = dev === undefined ? ifaces : ifaces.filter((x) => x.name === dev);
  if (dev !== undefined && !shown.length) return fail(`ip: can't find device '${dev}'\n`);
  let out = '';
  for (const x of shown) {
    if (object === 'link') {
      out += oneline ? `${linkHeader(x, true).replace(/\n$/, '')}\\${linkLine(x)}` : linkHeader(x, true) + linkLine(x);
      continue;
    }
    const fams: Array<'inet' | 'inet6'> = family === 'inet' ? ['inet'] : family === 'inet6' ? ['inet6'] : ['inet', 'inet6'];
    if (family === 'link') {
      out += linkHeader(x, true) + linkLine(x);
      continue;
    }
    if (oneline) {
      for (const f of fams) {
        const [addr, lft] = inetLines(x, f);
        if (addr) out += `${x.index}: ${x.name}${addr}\\${lft}\n`;
      }
      continue;
    }
    // `-6` asks the kernel's inet6 link dump, which carries no qdisc.
    out += linkHeader(x, family !== 'inet6');
    if (!family) out += linkLine(x);
    for (const f of fams) for (const l of inetLines(x, f)) out += l + '\n';
  }
  return ok(out);
}

/** busybox's print_bytes_scaled: `586 (586.0 B)`, `1536 (1.5 KiB)`. */
function scaled(n: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  const int = Math.floor(v);
  return `${n} (${int}.${Math.floor((v - int) * 10)} ${units[u]}B)`;
}

function ifconfigBlock(i: Iface): string {
  const name = i.name.padEnd(9);
  const lines = [
    i.loopback ? `${name} Link encap:Local Loopback  ` : `${name} Link encap:Ethernet  HWaddr ${i.mac.toUpperCase()}  `,
    i.loopback ? `          inet addr:${i.ip}  Mask:${dotted(i.prefix)}` : `          inet addr:${i.ip}  Bcast:${broadcast(i.ip, i.prefix)}  Mask:${dotted(i.prefix)}`,
  ];
  if (i.linkLocal) lines.push(`          inet6 addr: ${i.linkLocal}/${i.loopback ? 128 : 64} Scope:${i.loopback ? 'Host' : 'Link'}`);
  lines.push(
    i.loopback ? `          UP LOOPBACK RUNNING  MTU:${i.mtu}  Metric:1` : `          UP BROADCAST RUNNING MULTICAST  MTU:${i.mtu}  Metric:1`,
    '          RX packets:0 errors:0 dropped:0 overruns:0 frame:0',
    '          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0',
    '          collisions:0 txqueuelen:1000 ',
    `          RX bytes:${scaled(0)}  TX bytes:${scaled(0)}`,
  );
  return lines.join('\n') + '\n\n';
}

/** busybox `ifconfig [-a] [IFACE]`: the interfaces that are up, in name order (eth0 before lo); setting one needs NET_ADMIN. */
export function ifconfig(w: ExecWorld, args: string[]): CmdOut {
  const words = args.filter((a) => a !== '-a');
  const { ifaces } = interfaces(w);
  const sorted = [...ifaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!words.length) return ok(sorted.map(ifconfigBlock).join(''));
  const dev = sorted.find((x) => x.name === words[0]);
  if (words.length === 1) return dev ? ok(ifconfigBlock(dev)) : fail(`ifconfig: ${words[0]}: error fetching interface information: Device not found\n`);
  return fail(`ifconfig: SIOCSIFADDR: Operation not permitted\n`);
}

/** busybox `route [-n]`: the kernel's IPv4 routing table. */
export function route(w: ExecWorld, args: string[]): CmdOut {
  if (args.some((a) => a === 'add' || a === 'del' || a === 'delete')) return fail('route: SIOCADDRT: Operation not permitted\n');
  const numeric = args.includes('-n');
  return ok(routeTable(w, numeric, false));
}

function routeTable(w: ExecWorld, numeric: boolean, netstatForm: boolean): string {
  const { ifaces, gateway, network } = interfaces(w);
  const eth0 = ifaces.find((x) => x.name === 'eth0');
  let out = 'Kernel IP routing table\n';
  out += netstatForm
    ? 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n'
    : 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';
  if (!eth0) return out;
  const rows: Array<[string, string, string, string]> = [
    [numeric ? '0.0.0.0' : 'default', gateway, '0.0.0.0', 'UG'],
    [network, gateway, dotted(eth0.prefix), 'UG'],
    [gateway, numeric ? '0.0.0.0' : '*', '255.255.255.255', 'UH'],
  ];
  for (const [dst, gw, mask, flags] of rows) {
    out += netstatForm
      ? `${dst.padEnd(16)}${gw.padEnd(16)}${mask.padEnd(16)}${flags.padEnd(6)}${'0'.padStart(5)} ${'0'.padEnd(6)}${'0'.padStart(6)} eth0\n`
      : `${dst.padEnd(16)}${gw.padEnd(16)}${mask.padEnd(16)}${flags.padEnd(6)}0      0        0 eth0\n`;
  }
  return out;
}

/** One listening socket of the pod's network namespace: which container's process holds it. */
interface Listener { container: any; port: number; family: 'v4' | 'v6' }

/** The TCP sockets the pod's running containers listen on (what the image convention knows they listen on). */
function listeners(pod: KObject): Listener[] {
  const running = new Set<string>();
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) if (s?.state?.running) running.add(s.name);
  const out: Listener[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    if (!running.has(c.name)) continue;
    const ports = listeningPorts(c);
    // An image the convention knows nothing of answers on any port; which it binds cannot be said.
    if (ports === 'any') continue;
    const fams = listenFamilies(c);
    for (const f of ['v4', 'v6'] as const) if (fams.includes(f)) for (const port of ports) out.push({ container: c, port, family: f });
  }
  return out;
}

/**
 * The process that holds a container's listening socket: its first that is no shell or `sleep` (a script's server,
 * `nc -l` or busybox `httpd`, is one the process table does not show apart from its shell: then nobody is named).
 */
function ownerOf(procs: ReturnType<typeof namespaceProcs>, container: string): ReturnType<typeof namespaceProcs>[number] | undefined {
  return procs.filter((p) => p.container === container && !/^(?:sh|ash|bash|sleep)$/.test(programOf(p.args))).sort((a, b) => a.pid - b.pid)[0];
}

/** `PID/Program name`: argv[0]'s base name, cut to 19 characters; nginx's retitled master keeps its whole title. */
function programOf(args: string): string {
  const argv0 = args.startsWith('nginx: ') ? args : args.split(' ')[0];
  return argv0.slice(argv0.lastIndexOf('/') + 1);
}

/**
 * busybox `netstat`: `-l` servers only, `-a` both, `-t`/`-u`/`-x` protocols, `-n` numeric, `-p` programs, `-r` the
 * routing table. The pod's network namespace is shared by its containers, so a socket another container holds is
 * listed; its program shows only from the same PID namespace and, without CAP_SYS_PTRACE, the same user.
 */
export function netstat(w: ExecWorld, args: string[]): CmdOut {
  const opts = new Set<string>();
  for (const a of args) {
    if (a === '-W' || a === '--wide') { opts.add('W'); continue; }
    if (!/^-[a-zA-Z]+$/.test(a)) return fail(`${BANNER}Usage: netstat [-ral] [-tuwx] [-enWp]\n`);
    for (const ch of a.slice(1)) {
      if (!'ralntuwxepW'.includes(ch)) return fail(`netstat: invalid option -- '${ch}'\n${BANNER}Usage: netstat [-ral] [-tuwx] [-enWp]\n`);
      opts.add(ch);
    }
  }
  if (opts.has('r')) return ok(routeTable(w, opts.has('n'), true));
  const any = opts.has('t') || opts.has('u') || opts.has('w') || opts.has('x');
  const tcp = !any || opts.has('t');
  const unix = !any || opts.has('x');
  const servers = opts.has('l') || opts.has('a');
  const connected = !opts.has('l') || opts.has('a');
  const withProgs = opts.has('p');
  const width = opts.has('W') ? 51 : 23;
  const caption = opts.has('a') || (opts.has('l') && connected) ? '(servers and established)' : opts.has('l') ? '(only servers)' : '(w/o servers)';
  let out = '';
  let stderr = '';
  if (tcp || opts.has('u') || opts.has('w')) {
    out += `Active Internet connections ${caption}\n`;
    out += `Proto Recv-Q Send-Q ${'Local Address'.padEnd(width)} ${'Foreign Address'.padEnd(width)} State       ${withProgs ? 'PID/Program name    ' : ''}\n`;
    const rows = servers && tcp ? listeners(w.pod) : [];
    // /proc/net/tcp, then tcp6: the IPv4 sockets first.
    rows.sort((a, b) => (a.family === b.family ? 0 : a.family === 'v4' ? -1 : 1));
    let procs: ReturnType<typeof namespaceProcs> | undefined;
    const spec = containerSpecOf(w);
    const me = identityOf(w.pod, spec).uid;
    // Root with CAP_SYS_PTRACE reads any process's fds; without it (a container's default), only its own user's.
    const ptrace = me === 0 && (spec.securityContext?.capabilities?.add ?? []).some((c: unknown) => /^(?:CAP_)?SYS_PTRACE$/.test(String(c)));
    let attributed = 0;
    for (const r of rows) {
      const local = r.family === 'v4' ? `0.0.0.0:${r.port}` : `:::${r.port}`;
      const foreign = r.family === 'v4' ? '0.0.0.0:*' : ':::*';
      let line = `tcp        0      0 ${local.padEnd(width)} ${foreign.padEnd(width)} ${'LISTEN'.padEnd(12)}`;
      if (withProgs) {
        procs ??= namespaceProcs(w);
        const owner = ownerOf(procs, r.container.name);
        // Reading another process's fds takes the same user (root has no CAP_SYS_PTRACE in a container).
        if (owner && (owner.uid === me || ptrace)) { line += `${owner.pid}/${programOf(owner.args)}`.slice(0, 19); attributed++; }
        else line += '-';
      }
      out += line + '\n';
    }
    if (withProgs && me !== 0 && rows.length) stderr = attributed ? 'netstat: showing only processes with your user ID\n' : "netstat: can't scan /proc - are you root?\n";
  }
  if (unix) {
    out += `Active UNIX domain sockets ${servers && connected ? '(servers and established)' : servers ? '(only servers)' : '(w/o servers)'}\n`;
    out += `Proto RefCnt Flags       Type       State         I-Node ${withProgs ? 'PID/Program name    ' : ''}Path\n`;
  }
  return { stdout: out, stderr, code: 0 };
}
