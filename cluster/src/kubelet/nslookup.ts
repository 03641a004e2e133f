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
import { CLUSTER_DNS_IP, candidates, searchPath, type DnsRecord, type DnsReply, type QueryType } from '../network/dns';
import { parseImage } from '../../../kube/src/imageConvention';
import { containerSpecOf, type ExecWorld } from './execenv';
import { isIPv4, namespaceOf, resolveFromPod, serving } from './reach';
import type { CmdOut } from './netcmds';

const USAGE = 'BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n';
const TIMED_OUT: CmdOut = { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 };
const QUERY_TYPES: QueryType[] = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'ANY'];

/** Whether the container's image is a busybox of 1.28 or before, whose nslookup is the small, libc one. */
export function smallNslookup(image: string): boolean {
  const ref = parseImage(image);
  if (!/(^|\/)busybox$/.test(ref.repository)) return false;
  const m = /^(\d+)\.(\d+)/.exec(ref.tag);
  return !!m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) <= 28));
}

/** Images that carry bind's nslookup (Debian's dnsutils, Alpine's bind-tools) rather than busybox's. */
const BIND_IMAGES = /(^|\/)(jessie-dnsutils|dnsutils|netshoot|dnstools)$/;

export function nslookup(w: ExecWorld, args: string[]): CmdOut {
  const image = String(containerSpecOf(w).image ?? '');
  if (BIND_IMAGES.test(parseImage(image).repository)) return bind(w, args);
  return smallNslookup(image) ? small(w, args) : big(w, args);
}

/** One question, asked of the cluster DNS; undefined when no reply comes. */
function ask(w: ExecWorld, qname: string, type: QueryType): DnsReply | undefined {
  if (!serving(w)) return undefined;
  const name = qname.replace(/\.$/, '');
  if (w.dnsQuery) return w.dnsQuery(name, type);
  // A world that knows only A lookups (the unit tests' worlds): an address, an alias, or no such name.
  const records = w.lookup(name.toLowerCase());
  if (!records.length) return { rcode: 'NXDOMAIN', authoritative: true, answers: [] };
  if (type !== 'A' && type !== 'ANY' && records.every(isIPv4)) return { rcode: 'NOERROR', authoritative: true, answers: [] };
  return {
    rcode: 'NOERROR', authoritative: true,
    answers: records.map((r) => (isIPv4(r) ? { name, type: 'A' as const, data: r } : { name, type: 'CNAME' as const, data: r })),
  };
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

/** The name a PTR question asks for an address (make_ptr), or undefined when the argument is no address. */
function ptrName(arg: string): string | undefined {
  if (!isIPv4(arg) || arg.split('.').some((o) => Number(o) > 255)) return undefined;
  return `${arg.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** Whether a server named on the command line is the cluster DNS (by its address or its Service's name). */
function isClusterDns(w: ExecWorld, server: string): boolean {
  if (server === CLUSTER_DNS_IP) return true;
  return !isIPv4(server) && !!resolveFromPod(w, server)?.records.includes(CLUSTER_DNS_IP);
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
  const server = operands[1];
  if (server !== undefined && !isClusterDns(w, server)) return TIMED_OUT;
  const questions: Array<{ name: string; type: QueryType }> = [];
  // add_query_with_search: a name with a dot is asked as typed; a bare one once per search domain (never alone).
  // A server named on the command line means resolv.conf is not read: no search list at all.
  const searched = (type: QueryType) => {
    if (type === 'PTR' || name.includes('.') || server !== undefined) questions.push({ name, type });
    else for (const d of searchPath(namespaceOf(w))) questions.push({ name: `${name}.${d}`, type });
  };
  const ptr = types.length ? undefined : ptrName(name);
  if (ptr) questions.push({ name: ptr, type: 'PTR' });
  else for (const t of types.length ? types : (['A', 'AAAA'] as QueryType[])) searched(t);
  const shown = server ?? CLUSTER_DNS_IP;
  let out = '';
  let code = 0;
  for (const q of questions) {
    const r = ask(w, q.name, q.type);
    if (!r) continue;
    if (!out) out = `Server:\t\t${shown}\nAddress:\t${isIPv4(shown) ? shown : CLUSTER_DNS_IP}:53\n\n`;
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
  // No reply to any question: the server never answered.
  if (!out) return TIMED_OUT;
  return { stdout: out, stderr: '', code };
}

/**
 * The small nslookup of busybox 1.28 (print_host): the server, then the name as typed, each with the addresses
 * getaddrinfo finds (the search list under ndots:5, as the pod's resolver goes) and each address's reverse name.
 * A name that does not resolve: `nslookup: can't resolve 'NAME'` and status 1, after the server's block.
 */
function small(w: ExecWorld, args: string[]): CmdOut {
  const operands = args.slice(0);
  if (!operands[0] || operands[0].startsWith('-') || operands.length > 2) return { stdout: '', stderr: USAGE.replace('v1.36.1', 'v1.28.4').replace(' [-type=QUERY_TYPE] [-debug]', ''), code: 1 };
  const [name, server] = operands;
  const dns = server ?? CLUSTER_DNS_IP;
  const block = (header: string, shownName: string, ips: string[]) => {
    let s = `${header.padEnd(10)} ${shownName}\n`;
    ips.forEach((ip, i) => {
      const rev = server === undefined || isClusterDns(w, dns) ? reverseName(w, ip) : undefined;
      s += `Address ${i + 1}: ${ip}${rev ? ` ${rev}` : ''}\n`;
    });
    return s;
  };
  const serverIp = isIPv4(dns) ? dns : resolveFromPod(w, dns)?.records.find(isIPv4);
  if (!serverIp) return { stdout: '', stderr: `nslookup: can't resolve '${dns}'\n`, code: 1 };
  const out = block('Server:', dns, [serverIp]) + '\n';
  // Another server than the cluster DNS never answers: getaddrinfo gives up.
  const hit = server === undefined || isClusterDns(w, dns) ? resolveFromPod(w, name) : undefined;
  const ips = hit?.records.filter(isIPv4) ?? [];
  if (!ips.length) return { stdout: out, stderr: `nslookup: can't resolve '${name}'\n`, code: 1 };
  return { stdout: out + block('Name:', name, ips), stderr: '', code: 0 };
}

/** getnameinfo(NI_NAMEREQD): the PTR record of an address, when the cluster DNS has one. */
function reverseName(w: ExecWorld, ip: string): string | undefined {
  const ptr = ptrName(ip);
  if (!ptr) return undefined;
  const r = ask(w, ptr, 'PTR');
  const a = r?.answers.find((x) => x.type === 'PTR');
  return a?.data;
}

/**
 * bind's nslookup (9.18, as dnsutils images have it): the resolv.conf search list under ndots:5, the first name
 * that answers printed with its addresses, then its AAAA question; every reply from the kubernetes plugin (RA
 * clear) says `;; Got recursion not available` as it comes, except when the server was named on the command line.
 * An address is a PTR question, printed without the server's header, its target with the final dot.
 */
function bind(w: ExecWorld, args: string[]): CmdOut {
  const { types, error } = options(args);
  if (error) return { stdout: '', stderr: error, code: 1 };
  const operands = args.filter((a) => !a.startsWith('-'));
  const [name, server] = operands;
  if (!name || operands.length > 2) return { stdout: '', stderr: 'Usage: nslookup [-opt ...] host server   # just look up \'host\' using \'server\'\n', code: 1 };
  if (server !== undefined && !isClusterDns(w, server)) return TIMED_OUT;
  const shown = server ?? CLUSTER_DNS_IP;
  const header = `Server:\t\t${shown}\nAddress:\t${isIPv4(shown) ? shown : CLUSTER_DNS_IP}#53\n\n`;
  const noRecursion = (r: DnsReply) => (r.authoritative && server === undefined ? `;; Got recursion not available from ${CLUSTER_DNS_IP}\n` : '');
  const ptr = ptrName(name);
  if (ptr && !types.length) {
    const r = ask(w, ptr, 'PTR');
    if (!r) return TIMED_OUT;
    if (r.rcode === 'NXDOMAIN') return { stdout: `${noRecursion(r)}** server can't find ${ptr}: NXDOMAIN\n\n`, stderr: '', code: 1 };
    return { stdout: `${noRecursion(r)}${r.answers.map((a) => `${a.name}\tname = ${a.data}.\n`).join('')}\n`, stderr: '', code: 0 };
  }
  const type = types[0] ?? 'A';
  let out = '';
  for (const q of candidates(name, namespaceOf(w))) {
    const r = ask(w, q, type);
    if (!r) return TIMED_OUT;
    out += noRecursion(r);
    if (r.rcode === 'NXDOMAIN') continue;
    out += header + (r.authoritative ? '' : 'Non-authoritative answer:\n');
    let code = 0;
    const cname = r.answers.filter((a) => a.type === 'CNAME');
    for (const a of r.answers) out += bindRecord(a);
    // A CNAME whose target nobody answers: bind chases it and says so.
    if (cname.length && !r.answers.some((a) => a.type === type)) {
      out += `** server can't find ${cname[cname.length - 1].data.replace(/\.$/, '')}: NXDOMAIN\n`;
      code = 1;
    } else if (type === 'A' && !types.length) {
      const aaaa = ask(w, q, 'AAAA');
      if (aaaa) out += noRecursion(aaaa);
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
