/**
 * `nslookup` inside a pod, as the image's busybox builds it. Two programs go by that name:
 *
 * - BusyBox 1.29 and later (busybox:1.36, busybox:latest) build the "big" nslookup (LEDE/OpenWRT's, with its own
 *   resolver): it ignores ndots, asks a name with a dot exactly as typed and a bare name in every search domain, sends
 *   A and AAAA questions for each at once and prints every reply, failures included; any NXDOMAIN makes the status 1.
 *   So `nslookup kubernetes.default` fails there (it is asked as a top-level name), and `nslookup web` resolves but
 *   exits 1: the lookup the Kubernetes documentation pins busybox:1.28 for (kubernetes/kubernetes#66924).
 * - BusyBox 1.28 and earlier print what libc's getaddrinfo finds (the resolv.conf search list under ndots:5), each
 *   address with its reverse name: `Name:      kubernetes.default` / `Address 1: 10.96.0.1 kubernetes.default.svc…`.
 *
 * - bind's nslookup (dnsutils images: the DNS debugging page's jessie-dnsutils, netshoot, dnstools) searches as
 *   libc does and prints the first name that answers (`Address:	10.96.0.10#53`, `Name:	kubernetes.default.svc…`),
 *   with `;; Got recursion not available from 10.96.0.10` for every reply of CoreDNS's kubernetes plugin, which
 *   does not set the RA flag (coredns/coredns#2857).
 *
 * Other images answer with the big one, as every image here has busybox's tools.
 */
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN, searchOrder, type DnsRecord, type DnsReply, type QueryType } from '../network/dns';
import { busyboxSmallNslookup, parseImage } from '../../../kube/src/imageConvention';
import { containerSpecOf, NODE_RESOLVER, resolverConfig, type ExecWorld } from './execenv';
import { hostsEntries } from './hostsfile';
import { askClusterDns as ask, isAddress, isIPv4, nameserverKind as serverKind, ptrName, serving } from './reach';
import type { CmdOut } from './netcmds';

const USAGE = 'BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n';
const SMALL_USAGE = 'BusyBox v1.28.4 multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n';
const TIMED_OUT: CmdOut = { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 };
const QUERY_TYPES: QueryType[] = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'ANY'];

/** Whether the container's image is a busybox of 1.28 or before, whose nslookup is the small, libc one. */
export const smallNslookup = busyboxSmallNslookup;

/** Images that carry bind's nslookup (Debian's dnsutils, Alpine's bind-tools) rather than busybox's. */
const BIND_IMAGES = /(^|\/)(jessie-dnsutils|dnsutils|netshoot|dnstools)$/;

export function nslookup(w: ExecWorld, args: string[]): CmdOut {
  const image = String(containerSpecOf(w).image ?? '');
  if (BIND_IMAGES.test(parseImage(image).repository)) return bind(w, args);
  return smallNslookup(image) ? small(w, args) : big(w, args);
}

/** What the pod's /etc/resolv.conf says: its nameservers, search list and ndots. */
interface Resolver {
  servers: string[];
  search: string[];
  ndots: number;
}

function resolverOf(w: ExecWorld): Resolver {
  const { servers, search, options } = resolverConfig(w.pod);
  // libc's default is 1, and it takes no more than 15.
  const ndots = options.filter((o) => o.name === 'ndots' && /^\d+$/.test(o.value ?? '')).map((o) => Math.min(15, Number(o.value))).pop() ?? 1;
  return { servers, search, ndots };
}

/** Whether queries to this server are refused: the cluster DNS's Service address while it has no ready endpoint. */
const refused = (w: ExecWorld, ip: string) => ip === CLUSTER_DNS_IP && !serving(w) && !!w.dnsRefused?.();

/** One question, asked of the server at `server`; undefined when no reply comes. */
function askAt(w: ExecWorld, kind: 'cluster' | 'node' | 'none', qname: string, type: QueryType): DnsReply | undefined {
  if (kind === 'none') return undefined;
  // The node's resolver forwards to the internet the playground does not have.
  if (kind === 'node') return { rcode: 'NXDOMAIN', authoritative: false, answers: [] };
  return ask(w, qname, type);
}

/** busybox's option parsing: `-type=`/`-querytype=`/`-query=` (any unambiguous prefix, any case; `-t` is `-timeout`). */
function options(args: string[]): { types: QueryType[]; error?: string } {
  const types: QueryType[] = [];
  for (const a of args) {
    const m = /^-([a-z]+)=(.*)$/i.exec(a);
    if (!m) continue;
    const key = m[1].toLowerCase();
    if (key === 't' || (key.length > 1 && 'timeout'.startsWith(key))) {
      if (!/^\d+$/.test(m[2])) return { types, error: `nslookup: invalid number '${m[2]}'\n` };
    } else if ((key.length > 1 && 'type'.startsWith(key)) || 'querytype'.startsWith(key)) {
      const t = m[2].toUpperCase() as QueryType;
      if (!QUERY_TYPES.includes(t)) return { types, error: `nslookup: invalid query type "${m[2]}"\n` };
      if (!types.includes(t)) types.push(t);
    }
  }
  return { types };
}


/** A server named on the command line, as libc turns it into an address (an address as it is, else a lookup). */
function serverAddress(w: ExecWorld, server: string, r: Resolver): string | undefined {
  if (isAddress(server)) return server;
  return libcLookup(w, server, r)?.ips.find(isIPv4);
}

/**
 * The big nslookup (send_queries, parse_reply): the header at the first reply, then each reply in the order the
 * questions went out (CoreDNS answers them in that order): its records, or `** server can't find NAME: NXDOMAIN`,
 * and an empty line after each, so a reply with no record (AAAA in this IPv4 cluster) is an empty line alone.
 */
function big(w: ExecWorld, args: string[]): CmdOut {
  const { types, error } = options(args);
  if (error) return { stdout: '', stderr: error, code: 1 };
  const operands = args.filter((a) => !a.startsWith('-'));
  const name = operands[0];
  if (!name || operands.length > 2) return { stdout: '', stderr: USAGE, code: 1 };
  const conf = resolverOf(w);
  const server = operands[1];
  // A server on the command line means resolv.conf is not read: no search list at all.
  const search = server === undefined ? conf.search : [];
  const shown = server ?? conf.servers[0] ?? '127.0.0.1';
  const ip = server === undefined ? shown : serverAddress(w, server, conf);
  if (!ip) return { stdout: '', stderr: `nslookup: bad address '${server}'\n`, code: 1 };
  const kind = serverKind(w, ip);
  const questions: Array<{ name: string; type: QueryType }> = [];
  // add_query_with_search: a name with a dot is asked as typed; a bare one once per search domain (never alone).
  const searched = (type: QueryType) => {
    if (type === 'PTR' || name.includes('.') || !search.length) questions.push({ name, type });
    else for (const d of search) questions.push({ name: `${name}.${d}`, type });
  };
  const ptr = types.length ? undefined : ptrName(name);
  if (ptr) questions.push({ name: ptr, type: 'PTR' });
  else for (const t of types.length ? types : (['A', 'AAAA'] as QueryType[])) searched(t);
  let out = '';
  let code = 0;
  for (const q of questions) {
    const r = askAt(w, kind, q.name, q.type);
    if (!r) continue;
    if (!out) out = `Server:\t\t${shown}\nAddress:\t${ip}:53\n\n`;
    if (r.rcode === 'NXDOMAIN') {
      out += `** server can't find ${q.name}: NXDOMAIN\n\n`;
      code = 1;
      continue;
    }
    if (!r.authoritative) out += 'Non-authoritative answer:\n';
    for (const a of r.answers) {
      if (a.type === 'A') out += `Name:\t${a.name}\nAddress: ${a.data}\n`;
      else if (a.type === 'CNAME') out += `${a.name}\tcanonical name = ${a.data}\n`;
      else if (a.type === 'PTR') out += `${a.name}\tname = ${a.data}\n`;
      else if (a.type === 'SRV') out += `${a.name}\tservice = ${a.srv.priority} ${a.srv.weight} ${a.srv.port} ${a.data}\n`;
    }
    out += '\n';
  }
  // No reply to any question: the server never answered (kube-proxy refusing, a write fails and says so).
  if (!out) return refused(w, ip) ? { ...TIMED_OUT, stderr: `nslookup: write to '${ip}': Connection refused\n` } : TIMED_OUT;
  return { stdout: out, stderr: '', code };
}

/**
 * getaddrinfo as glibc does it for a pod: /etc/hosts first, then each name of the search order asked of the
 * first nameserver (A and AAAA, CNAMEs followed), the first with an address winning. Undefined: not resolved.
 */
function libcLookup(w: ExecWorld, name: string, r: Resolver): { ips: string[] } | undefined {
  if (isAddress(name)) return { ips: [name] };
  const lower = name.toLowerCase().replace(/\.$/, '');
  const fromHosts = hostsEntries(w.pod).filter((h) => h.names.some((n) => n.toLowerCase() === lower)).map((h) => h.ip);
  // glibc lists a name's IPv6 lines first for AF_UNSPEC (localhost: ::1, then 127.0.0.1).
  if (fromHosts.length) return { ips: [...fromHosts.filter((ip) => ip.includes(':')), ...fromHosts.filter((ip) => !ip.includes(':'))] };
  const kind = r.servers.length ? serverKind(w, r.servers[0]) : 'none';
  for (const q of searchOrder(lower, r.search, r.ndots)) {
    const reply = askAt(w, kind, q, 'A');
    if (!reply) return undefined;
    const ips = reply.answers.filter((a) => a.type === 'A').map((a) => a.data);
    if (ips.length) return { ips };
  }
  return undefined;
}

/** getnameinfo(NI_NAMEREQD): /etc/hosts' first name for the address, else its PTR record. */
function reverseName(w: ExecWorld, ip: string, kind: 'cluster' | 'node' | 'none'): string | undefined {
  const h = hostsEntries(w.pod).find((x) => x.ip === ip);
  if (h) return h.names[0];
  const ptr = ptrName(ip);
  const a = ptr ? askAt(w, kind, ptr, 'PTR')?.answers.find((x) => x.type === 'PTR') : undefined;
  return a?.data;
}

/**
 * The small nslookup of busybox 1.28 (print_host): the server (as an address), then the name as typed, each with
 * the addresses getaddrinfo finds (the hosts file, then the search list under ndots) and each address's reverse
 * name. A name that does not resolve: `nslookup: can't resolve 'NAME'` and status 1, after the server's block.
 */
function small(w: ExecWorld, args: string[]): CmdOut {
  if (!args[0] || args[0].startsWith('-') || args.length > 2) return { stdout: '', stderr: SMALL_USAGE, code: 1 };
  const [name, server] = args;
  const conf = resolverOf(w);
  const ip = server === undefined ? conf.servers[0] ?? '127.0.0.1' : serverAddress(w, server, conf);
  if (!ip) return { stdout: '', stderr: `nslookup: bad address '${server}'\n`, code: 1 };
  // set_default_dns: the server given replaces resolv.conf's nameserver for the lookups that follow.
  const r: Resolver = { ...conf, servers: [ip] };
  const kind = serverKind(w, ip);
  const block = (header: string, shownName: string, ips: string[]) => {
    let s = `${header.padEnd(10)} ${shownName}\n`;
    ips.forEach((a, i) => {
      const rev = reverseName(w, a, kind);
      s += `Address ${i + 1}: ${a}${rev ? ` ${rev}` : ''}\n`;
    });
    return s;
  };
  const out = block('Server:', ip, [ip]) + '\n';
  const hit = libcLookup(w, name, r);
  if (!hit) return { stdout: out, stderr: `nslookup: can't resolve '${name}'\n`, code: 1 };
  return { stdout: out + block('Name:', name, hit.ips), stderr: '', code: 0 };
}

/**
 * bind's nslookup (9.18, as dnsutils images have it): the resolv.conf search list under ndots, the first name
 * that answers printed with its addresses, then its AAAA question; every reply from the kubernetes plugin (RA
 * clear) says `;; Got recursion not available` as it comes, except when the server was named on the command line.
 * An address is a PTR question, printed without the server's header (with one under an explicit `-type`), its
 * target with the final dot. An empty reply is `*** Can't find NAME: No answer`.
 */
function bind(w: ExecWorld, args: string[]): CmdOut {
  const { types, error } = options(args);
  if (error) return { stdout: '', stderr: error, code: 1 };
  const operands = args.filter((a) => !a.startsWith('-'));
  const [name, server] = operands;
  // With no name, nslookup is interactive; with nothing to read it leaves at once.
  if (!name) return { stdout: '\n', stderr: '', code: 1 };
  const conf = resolverOf(w);
  const shown = server ?? conf.servers[0] ?? '127.0.0.1';
  const ip = server === undefined ? shown : serverAddress(w, server, conf);
  if (!ip) return { stdout: '', stderr: `nslookup: couldn't get address for '${server}': not found\n`, code: 1 };
  const kind = serverKind(w, ip);
  // bind 9.18 says each try that got no reply (three), then gives up.
  const why = refused(w, ip) ? 'connection refused' : 'timed out';
  const timedOut: CmdOut = { stdout: `${`;; communications error to ${ip}#53: ${why}\n`.repeat(3)};; no servers could be reached\n\n`, stderr: '', code: 1 };
  const header = `Server:\t\t${shown}\nAddress:\t${ip}#53\n\n`;
  const noRecursion = (r: DnsReply) => (r.authoritative && server === undefined ? `;; Got recursion not available from ${ip}\n` : '');
  const ptr = ptrName(name);
  if (ptr) {
    const r = askAt(w, kind, ptr, 'PTR');
    if (!r) return timedOut;
    const head = types.length ? header : '';
    if (r.rcode === 'NXDOMAIN') return { stdout: `${noRecursion(r)}${head}** server can't find ${ptr}: NXDOMAIN\n\n`, stderr: '', code: 1 };
    return { stdout: `${noRecursion(r)}${head}${r.answers.map(bindRecord).join('')}\n`, stderr: '', code: 0 };
  }
  const type = types[0] ?? 'A';
  let out = '';
  for (const q of searchOrder(name, conf.search, conf.ndots)) {
    const r = askAt(w, kind, q, type);
    if (!r) return timedOut;
    out += noRecursion(r);
    if (r.rcode === 'NXDOMAIN') continue;
    out += header + (r.authoritative ? '' : 'Non-authoritative answer:\n');
    let code = 0;
    const cname = r.answers.filter((a) => a.type === 'CNAME');
    for (const a of r.answers) out += bindRecord(a);
    if (cname.length && !r.answers.some((a) => a.type === type)) {
      // A CNAME whose target nobody answers: bind chases it and says so.
      out += `** server can't find ${cname[cname.length - 1].data.replace(/\.$/, '')}: NXDOMAIN\n`;
      code = 1;
    } else if (types.length) {
      if (!r.answers.length) out += `*** Can't find ${name}: No answer\n`;
    } else {
      // The AAAA question for the name that answered; both empty: no answer for it at all.
      const aaaa = askAt(w, kind, q, 'AAAA');
      if (aaaa) out += noRecursion(aaaa) + aaaa.answers.map(bindRecord).join('');
      if (!r.answers.length && !aaaa?.answers.length) out += `*** Can't find ${q}: No answer\n`;
    }
    return { stdout: out + '\n', stderr: '', code };
  }
  return { stdout: `${out}${header}** server can't find ${name.replace(/\.$/, '')}: NXDOMAIN\n\n`, stderr: '', code: 1 };
}

function bindRecord(a: DnsRecord): string {
  if (a.type === 'A') return `Name:\t${a.name}\nAddress: ${a.data}\n`;
  if (a.type === 'CNAME') return `${a.name}\tcanonical name = ${a.data.replace(/\.$/, '')}.\n`;
  if (a.type === 'PTR' || a.type !== 'SRV') return `${a.name}\tname = ${a.data}.\n`;
  return `${a.name}\tservice = ${a.srv.priority} ${a.srv.weight} ${a.srv.port} ${a.data}.\n`;
}
