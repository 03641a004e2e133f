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
import { argv0Of, identityOf, namespaceProcs } from './procs';
import { runningContainers } from './podhttp';
import type { CmdOut } from './netcmds';
import { fnv } from '../runtime/hash';

/** `PID/Program name`'s program: argv[0]'s base name (netstat cuts the whole to 19 characters). */
const basenameOfArgv0 = (args: string) => { const a = argv0Of(args); return a.slice(a.lastIndexOf('/') + 1); };

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
  /** txqueuelen: 1000 for lo and a CNI's veth, 0 for docker's (then `ip` prints no qlen). */
  qlen: number;
  linkLocal?: string;
  loopback: boolean;
}

const ok = (stdout: string): CmdOut => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CmdOut => ({ stdout: '', stderr, code });

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** The IPv6 link-local address the kernel derives from a MAC (EUI-64: the universal bit flipped, ff:fe inserted). */
function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const groups = [((b[0] ^ 0x02) << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
  return `fe80::${groups.map((g) => g.toString(16)).join(':')}`;
}

const quad = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
const toNumber = (ip: string) => ip.split('.').reduce((a, x) => (a << 8) + Number(x), 0) >>> 0;
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const dotted = (prefix: number) => quad(maskOf(prefix));
const broadcast = (ip: string, prefix: number) => quad((toNumber(ip) | ~maskOf(prefix)) >>> 0);
const inPrefix = (ip: string, net: string, prefix: number) => ((toNumber(ip) & maskOf(prefix)) >>> 0) === ((toNumber(net) & maskOf(prefix)) >>> 0);

/** One route of the main table: to `dst`/`prefix` (0.0.0.0/0: default), through `via` or on the link. */
interface Route { dst: string; prefix: number; via?: string; src?: string }

/**
 * The network the container is in: the pod's own (kindnet's ptp: the /24 and the default route through the `.1`
 * gateway, which a /32 link route reaches), or the node's for a hostNetwork pod (docker's `kind` bridge: a
 * connected /16 and the default route through its `.1`).
 */
function interfaces(w: ExecWorld): { ifaces: Iface[]; routes: Route[]; gateway: string } {
  const pod = w.pod;
  const lo: Iface = { name: 'lo', index: 1, mac: '00:00:00:00:00:00', ip: '127.0.0.1', prefix: 8, mtu: 65536, qlen: 1000, linkLocal: '::1', loopback: true };
  const host = !!pod.spec?.hostNetwork;
  // A pod sees its address once the sandbox has it.
  const ip = String((host ? pod.status?.hostIP : pod.status?.podIP) ?? '');
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((n) => !Number.isInteger(n))) return { ifaces: [lo], routes: [], gateway: '' };
  if (host) {
    // The kind node's eth0 on docker's bridge, its MAC docker's 02:42 and the address; docker's veths have no qlen.
    const mac = `02:42:${octets.map(hex2).join(':')}`;
    const gateway = `${octets[0]}.${octets[1]}.0.1`;
    return {
      ifaces: [lo, { name: 'eth0', index: 2, peer: 2 + octets[3] * 2, mac, ip, prefix: 16, mtu: 1500, qlen: 0, linkLocal: linkLocalOf(mac), loopback: false }],
      routes: [{ dst: '0.0.0.0', prefix: 0, via: gateway }, { dst: `${octets[0]}.${octets[1]}.0.0`, prefix: 16, src: ip }],
      gateway,
    };
  }
  const h = fnv(String(pod.metadata.uid ?? pod.metadata.name));
  // A locally administered unicast MAC, as the kernel makes for a veth.
  const mac = [(h >>> 24) & 0xfc | 0x02, h >>> 16, h >>> 8, h, octets[2], octets[3]].map(hex2).join(':');
  const gateway = `${octets[0]}.${octets[1]}.${octets[2]}.1`;
  return {
    // The node's veths are numbered as its pods came: the first pod's (.2) is 3, after the node's lo and eth0.
    ifaces: [lo, { name: 'eth0', index: 2, peer: octets[3] + 1, mac, ip, prefix: 24, mtu: 1500, qlen: 1000, linkLocal: linkLocalOf(mac), loopback: false }],
    routes: [
      { dst: '0.0.0.0', prefix: 0, via: gateway },
      { dst: `${octets[0]}.${octets[1]}.${octets[2]}.0`, prefix: 24, via: gateway, src: ip },
      { dst: gateway, prefix: 32, src: ip },
    ],
    gateway,
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

/**
 * busybox's index_in_substrings: the table word `word` is a prefix of, an exact match winning; -1 when none is, or
 * when it is a prefix of two (ambiguous).
 */
function keyword(table: readonly string[], word: string): number {
  let found = -1;
  if (!word) return -1;
  for (let i = 0; i < table.length; i++) {
    if (!table[i].startsWith(word)) continue;
    if (table[i] === word) return i;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/** The objects busybox's `ip` knows, and the verbs of those modelled here (ip.c, ipaddress.c, iproute.c, iplink.c, ipneigh.c). */
const IP_OBJECTS = ['address', 'route', 'r', 'link', 'tunnel', 'tunl', 'rule', 'neigh'] as const;
const ADDR_VERBS = ['add', 'change', 'chg', 'replace', 'delete', 'list', 'show', 'lst', 'flush'] as const;
const ROUTE_VERBS = ['a', 'add', 'append', 'change', 'chg', 'delete', 'get', 'list', 'show', 'prepend', 'replace', 'test', 'flush'] as const;
const LINK_VERBS = ['add', 'delete', 'set', 'show', 'lst', 'list'] as const;
const NEIGH_VERBS = ['show', 'flush'] as const;
const SHOWING = new Set(['list', 'show', 'lst']);

/** The container may change its network: NET_ADMIN added, or privileged. */
function netAdmin(w: ExecWorld): boolean {
  const sc = containerSpecOf(w).securityContext ?? {};
  return sc.privileged === true || (sc.capabilities?.add ?? []).some((c: unknown) => /^(?:CAP_)?NET_ADMIN$/.test(String(c)));
}

/** Whether a command line of `ip`, `ifconfig` or `route` changes the network (scripts.ts leaves those to the image convention). */
export function changesNetwork(cmd: 'ip' | 'ifconfig' | 'route' | string, args: string[]): boolean {
  if (cmd === 'route') return args.some((a) => a === 'add' || a === 'del' || a === 'delete');
  if (cmd === 'ifconfig') return args.filter((a) => !a.startsWith('-')).length > 1;
  const words = args.filter((a) => !a.startsWith('-'));
  const obj = keyword(IP_OBJECTS, words[0] ?? '');
  const verb = words[1];
  if (obj < 0 || verb === undefined) return false;
  const name = IP_OBJECTS[obj];
  const table: readonly string[] = name === 'address' ? ADDR_VERBS : name === 'link' ? LINK_VERBS : name === 'neigh' ? NEIGH_VERBS : name === 'route' || name === 'r' ? ROUTE_VERBS : [];
  const v = table[keyword(table, verb)];
  return v !== undefined && !SHOWING.has(v) && v !== 'get';
}

/** The link header busybox prints (print_linkinfo): no `state` in the glibc build, M-DOWN for a veth's unseen peer. */
function linkHeader(i: Iface, qdisc: boolean): string {
  const flags = i.loopback ? 'LOOPBACK,UP,LOWER_UP' : 'BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN';
  return `${i.index}: ${i.name}${i.peer !== undefined ? `@if${i.peer}` : ''}: <${flags}> mtu ${i.mtu} ${qdisc ? 'qdisc noqueue ' : ''}${i.qlen ? `qlen ${i.qlen}` : ''}\n`;
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

/**
 * busybox `ip`: `address` and `link` shown (`-4`, `-6`, `-0`, `-o`, `show [dev] IFACE`), `route` (`list`, `get ADDR`),
 * `neigh` (empty); keywords abbreviated as busybox takes them. Changes take NET_ADMIN: without it the kernel refuses
 * them, with it they are accepted and not modelled.
 */
export function ipCommand(w: ExecWorld, args: string[]): CmdOut {
  let family: 'inet' | 'inet6' | 'link' | undefined;
  let oneline = false;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i];
    if (a === '--') { i++; break; }
    const opt = a.replace(/^--?/, '');
    if (opt === '4') family = 'inet';
    else if (opt === '6') family = 'inet6';
    else if (opt === '0') family = 'link';
    else if (opt && 'oneline'.startsWith(opt)) oneline = true;
    else if (opt && 'family'.startsWith(opt)) {
      const f = args[++i];
      if (f === 'inet' || f === 'inet6' || f === 'link') family = f;
      else return fail(f === undefined ? IP_USAGE : `ip: invalid argument '${f}' to 'family'\n`);
    } else return fail(IP_USAGE);
  }
  if (args[i] === undefined) return fail(IP_USAGE);
  const o = keyword(IP_OBJECTS, args[i]);
  if (o < 0) return fail(`ip: invalid argument '${args[i]}' to 'ip'\n`);
  const object = IP_OBJECTS[o] === 'r' ? 'route' : IP_OBJECTS[o];
  const rest = args.slice(i + 1);
  const denied = (code = 2) => (netAdmin(w) ? ok('') : fail('ip: RTNETLINK answers: Operation not permitted\n', code));
  const { ifaces, routes, gateway } = interfaces(w);
  const eth0 = ifaces.find((x) => x.name === 'eth0');
  if (object === 'tunnel' || object === 'tunl' || object === 'rule') {
    // Not modelled: a pod has no tunnels, and its rules are the kernel's three defaults.
    if (object === 'rule' && (rest.length === 0 || keyword(['list'], rest[0]) === 0)) return ok('0:\tfrom all lookup local \n32766:\tfrom all lookup main \n32767:\tfrom all lookup default \n');
    return rest.length === 0 || keyword(['show', 'list'], rest[0]) >= 0 ? ok('') : denied();
  }
  if (object === 'route') {
    const v = rest.length ? ROUTE_VERBS[keyword(ROUTE_VERBS, rest[0])] : 'list';
    if (v === undefined) return fail(`ip: invalid argument '${rest[0]}' to 'ip'\n`);
    if (SHOWING.has(v)) {
      const filters = rest.slice(1);
      const t = filters.indexOf('table');
      if (t >= 0) {
        const table = filters[t + 1];
        // The kernel's local table: the addresses of the namespace and their broadcasts, lo's /8.
        if (table === 'local' && family !== 'inet6') return ok(localTable(eth0));
        if (table !== 'main' && table !== 'all') return ok('');
        filters.splice(t, 2);
        if (table === 'all' && family !== 'inet6') return ok(routeLines(eth0, routes, family) + localTable(eth0));
      }
      // A filter (dev, to) narrows the main table; `dev lo` and other prefixes have none of its routes.
      if (filters.length) return ok(filters.includes('eth0') ? routeLines(eth0, routes, family) : '');
      return ok(routeLines(eth0, routes, family));
    }
    if (v === 'get') {
      const to = rest[1];
      const octets = to?.split('.').map(Number);
      if (!to || octets!.length !== 4 || octets!.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return fail('ip: need at least destination address\n');
      if (to.startsWith('127.')) return ok(`local ${to} dev lo  src 127.0.0.1 \n`);
      if (!eth0) return fail('ip: RTNETLINK answers: Network unreachable\n', 2);
      if (to === eth0.ip) return ok(`local ${to} dev lo  src ${to} \n`);
      // The gateway (and, on a node, its own /16) is on the link; everything else goes through the gateway.
      const onLink = routes.some((r) => !r.via && inPrefix(to, r.dst, r.prefix));
      return ok(onLink ? `${to} dev eth0  src ${eth0.ip} \n` : `${to} via ${gateway} dev eth0  src ${eth0.ip} \n`);
    }
    return denied();
  }
  if (object === 'neigh') {
    const v = rest.length ? NEIGH_VERBS[keyword(NEIGH_VERBS, rest[0])] : 'show';
    if (v === undefined) return fail(`ip: invalid argument '${rest[0]}' to 'ip'\n`);
    // This playground keeps no ARP cache: the table is empty.
    return v === 'show' ? ok('') : denied();
  }
  const table: readonly string[] = object === 'address' ? ADDR_VERBS : LINK_VERBS;
  const verb = rest.length ? table[keyword(table, rest[0])] : 'show';
  // busybox's `ip link` dies with status 2.
  const bad = object === 'link' ? 2 : 1;
  if (verb === undefined) return fail(`ip: invalid argument '${rest[0]}' to 'ip'\n`, bad);
  if (!SHOWING.has(verb)) return denied();
  const words = rest.slice(1);
  let dev: string | undefined;
  for (let k = 0; k < words.length; k++) {
    if (words[k] === 'dev') {
      if (words[k + 1] === undefined) return fail('ip: command line is not complete, try "help"\n', bad);
      if (dev !== undefined) return fail(`ip: either "dev" is duplicate, or "${words[k + 1]}" is garbage\n`, bad);
      dev = words[++k];
    } else if (dev !== undefined) return fail(`ip: either "dev" is duplicate, or "${words[k]}" is garbage\n`, bad);
    else dev = words[k];
  }
  const shown = dev === undefined ? ifaces : ifaces.filter((x) => x.name === dev);
  if (dev !== undefined && !shown.length) return fail(`ip: can't find device '${dev}'\n`, bad);
  let out = '';
  for (const x of shown) {
    if (object === 'link' || family === 'link') {
      out += oneline ? `${linkHeader(x, true).replace(/\n$/, '')}\\${linkLine(x)}` : linkHeader(x, true) + linkLine(x);
      continue;
    }
    const fams: Array<'inet' | 'inet6'> = family === 'inet' ? ['inet'] : family === 'inet6' ? ['inet6'] : ['inet', 'inet6'];
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

/** The kernel's local routing table of the namespace, as busybox prints it (`ip route show table local`). */
function localTable(eth0: Iface | undefined): string {
  const lo = 'local 127.0.0.0/8 dev lo scope host  src 127.0.0.1 \nlocal 127.0.0.1 dev lo scope host  src 127.0.0.1 \nbroadcast 127.255.255.255 dev lo scope link  src 127.0.0.1 \n';
  if (!eth0) return lo;
  return `local ${eth0.ip} dev eth0 scope host  src ${eth0.ip} \nbroadcast ${broadcast(eth0.ip, eth0.prefix)} dev eth0 scope link  src ${eth0.ip} \n${lo}`;
}

/** The main routing table as busybox's print_route writes it (a blank at each line's end, two before `src`). */
function routeLines(eth0: Iface | undefined, routes: Route[], family: string | undefined): string {
  if (!eth0) return '';
  if (family === 'inet6') return 'fe80::/64 dev eth0  metric 256 \n';
  return routes.map((r) => {
    const dst = r.prefix === 0 ? 'default' : r.prefix === 32 ? r.dst : `${r.dst}/${r.prefix}`;
    return `${dst} ${r.via ? `via ${r.via} ` : ''}dev eth0 ${r.via ? '' : 'scope link '}${r.src ? ` src ${r.src} ` : ''}\n`;
  }).join('');
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
    `          collisions:0 txqueuelen:${i.qlen} `,
    // Packets are not counted here: busybox's print_bytes_scaled of 0.
    '          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)',
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
  if (netAdmin(w)) return ok('');
  // The ioctl the first setting needs: the flags for up/down, the MTU, else the address.
  const what = words[1] === 'up' || words[1] === 'down' ? 'SIOCSIFFLAGS' : words[1] === 'mtu' ? 'SIOCSIFMTU' : 'SIOCSIFADDR';
  return fail(`ifconfig: ${what}: Operation not permitted\n`);
}

/** busybox `route [-ne]`: the kernel's IPv4 routing table (`-e` in netstat's columns); changes take NET_ADMIN. */
export function route(w: ExecWorld, args: string[]): CmdOut {
  if (args.some((a) => a === 'add' || a === 'del' || a === 'delete')) {
    return netAdmin(w) ? ok('') : fail(`route: ${args.includes('add') ? 'SIOCADDRT' : 'SIOCDELRT'}: Operation not permitted\n`);
  }
  const flags = args.filter((a) => a.startsWith('-')).join('').replace(/-/g, '');
  if (args.some((a) => !a.startsWith('-')) || /[^neA]/.test(flags)) return fail(`${BANNER}Usage: route [{add|del|delete}]\n`);
  return ok(routeTable(w, flags.includes('n'), flags.includes('e')));
}

function routeTable(w: ExecWorld, numeric: boolean, netstatForm: boolean): string {
  const { ifaces, routes } = interfaces(w);
  const eth0 = ifaces.find((x) => x.name === 'eth0');
  let out = 'Kernel IP routing table\n';
  out += netstatForm
    ? 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n'
    : 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';
  if (!eth0) return out;
  for (const r of routes) {
    const dst = r.prefix === 0 && !numeric ? 'default' : r.dst;
    const gw = r.via ?? (numeric ? '0.0.0.0' : '*');
    const flags = `U${r.via ? 'G' : ''}${r.prefix === 32 ? 'H' : ''}`;
    out += netstatForm
      ? `${dst.padEnd(16)}${gw.padEnd(16)}${dotted(r.prefix).padEnd(16)}${flags.padEnd(6)}${'0'.padStart(5)} ${'0'.padEnd(6)}${'0'.padStart(6)} eth0\n`
      : `${dst.padEnd(16)}${gw.padEnd(16)}${dotted(r.prefix).padEnd(16)}${flags.padEnd(6)}0      0        0 eth0\n`;
  }
  return out;
}

/** One listening socket of the pod's network namespace: which container's process holds it. */
interface Listener { container: any; port: number; family: 'v4' | 'v6' }

/** The TCP sockets the pod's running containers listen on (what the image convention knows they listen on). */
function listeners(pod: KObject): Listener[] {
  const running = runningContainers(pod);
  const out: Listener[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    if (!running.has(c.name)) continue;
    const ports = listeningPorts(c);
    // An image the convention knows nothing of answers on any port; which it binds cannot be said.
    if (ports === 'any') continue;
    for (const f of ['v4', 'v6'] as const) for (const port of ports) if (listenFamilies(c, port).includes(f)) out.push({ container: c, port, family: f });
  }
  return out;
}

/**
 * The process that holds a container's listening socket: its first that is no shell or `sleep` (a script's server,
 * `nc -l` or busybox `httpd`, is one the process table does not show apart from its shell: then nobody is named).
 */
function ownerOf(procs: ReturnType<typeof namespaceProcs>, container: string): ReturnType<typeof namespaceProcs>[number] | undefined {
  return procs.filter((p) => p.container === container && !/^(?:sh|ash|bash|sleep)$/.test(basenameOfArgv0(p.args))).sort((a, b) => a.pid - b.pid)[0];
}

const NETSTAT_USAGE = `${BANNER}Usage: netstat [-ral] [-tuwx] [-enWp]

Display networking information

\t-r\tRouting table
\t-a\tAll sockets
\t-l\tListening sockets
\t\tElse: connected sockets
\t-t\tTCP sockets
\t-u\tUDP sockets
\t-w\tRaw sockets
\t-x\tUnix sockets
\t\tElse: all socket types
\t-e\tOther/more information
\t-n\tDon't resolve names
\t-W\tWide display
\t-p\tShow PID/program name for sockets
`;

/**
 * busybox `netstat`: `-l` servers only, `-a` both, `-t`/`-u`/`-x` protocols, `-n` numeric, `-p` programs, `-r` the
 * routing table. The pod's network namespace is shared by its containers, so a socket another container holds is
 * listed; its program shows only from the same PID namespace and, without CAP_SYS_PTRACE, the same user.
 */
export function netstat(w: ExecWorld, args: string[]): CmdOut {
  const opts = new Set<string>();
  for (const a of args) {
    // Words that are no options are ignored; a long option is not one busybox knows.
    if (!a.startsWith('-') || a === '-') continue;
    if (a.startsWith('--')) return fail(`netstat: unrecognized option '${a}'\n${NETSTAT_USAGE}`);
    for (const ch of a.slice(1)) {
      if (!'ralntuwxepW'.includes(ch)) return fail(`netstat: invalid option -- '${ch}'\n${NETSTAT_USAGE}`);
      opts.add(ch);
    }
  }
  if (opts.has('r')) return ok(routeTable(w, opts.has('n'), !opts.has('e')));
  const any = opts.has('t') || opts.has('u') || opts.has('w') || opts.has('x');
  const tcp = !any || opts.has('t');
  const unix = !any || opts.has('x');
  const servers = opts.has('l') || opts.has('a');
  const connected = !opts.has('l') || opts.has('a');
  const withProgs = opts.has('p');
  const width = opts.has('W') ? 51 : 23;
  const caption = servers && connected ? '(servers and established)' : servers ? '(only servers)' : '(w/o servers)';
  let out = '';
  let stderr = '';
  const spec = containerSpecOf(w);
  const me = identityOf(w.pod, spec).uid;
  // Root with CAP_SYS_PTRACE reads any process's fds; without it (a container's default), only its own user's.
  const ptrace = me === 0 && (spec.securityContext?.capabilities?.add ?? []).some((c: unknown) => /^(?:CAP_)?SYS_PTRACE$/.test(String(c)));
  const procs = withProgs ? namespaceProcs(w) : [];
  const rows = servers && tcp ? listeners(w.pod) : [];
  const owners = new Map(rows.map((r) => [r.container.name, ownerOf(procs, r.container.name)]));
  if (withProgs && me !== 0) {
    // prg_cache_load reads every process's fds: a user not root cannot open another user's, and says so, by
    // whether any socket at all was found among the processes it could read.
    const readable = (p: { uid: number }) => p.uid === me;
    if (procs.some((p) => !readable(p))) {
      const found = [...owners.values()].some((p) => p && readable(p));
      stderr = found ? 'netstat: showing only processes with your user ID\n' : "netstat: can't scan /proc - are you root?\n";
    }
  }
  if (tcp || opts.has('u') || opts.has('w')) {
    out += `Active Internet connections ${caption}\n`;
    out += `Proto Recv-Q Send-Q ${'Local Address'.padEnd(width)} ${'Foreign Address'.padEnd(width)} State       ${withProgs ? 'PID/Program name    ' : ''}\n`;
    // /proc/net/tcp, then tcp6: the IPv4 sockets first.
    rows.sort((a, b) => (a.family === b.family ? 0 : a.family === 'v4' ? -1 : 1));
    for (const r of rows) {
      const local = r.family === 'v4' ? `0.0.0.0:${r.port}` : `:::${r.port}`;
      const foreign = r.family === 'v4' ? '0.0.0.0:*' : ':::*';
      let line = `tcp        0      0 ${local.padEnd(width)} ${foreign.padEnd(width)} ${'LISTEN'.padEnd(12)}`;
      if (withProgs) {
        const owner = owners.get(r.container.name);
        line += owner && (owner.uid === me || ptrace) ? `${owner.pid}/${basenameOfArgv0(owner.args)}`.slice(0, 19) : '-';
      }
      out += line + '\n';
    }
  }
  if (unix) {
    out += `Active UNIX domain sockets ${caption === '(w/o servers)' ? '(w/o servers)' : caption}\n`;
    out += `Proto RefCnt Flags       Type       State         I-Node ${withProgs ? 'PID/Program name    ' : ''}Path\n`;
  }
  return { stdout: out, stderr, code: 0 };
}
