/** Printers for services, endpoints, endpoint slices, ingresses and network policies, as upstream words them. */
import { AGE_COL, NAME_COL, Printer, age, col, formatLabelSelector, formatLabels } from './format';

/** A load balancer's ingress points: each IP, or the hostname of one without, as a sorted set. */
function lbAddresses(lb: any): string[] {
  const set = new Set<string>();
  for (const i of lb?.ingress ?? []) if (i?.ip) set.add(i.ip); else if (i?.hostname) set.add(i.hostname);
  return [...set].sort();
}

/** formatHosts: the first three hosts, then how many rules are left. */
function formatHosts(rules: any[]): string {
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && r?.host) list.push(r.host);
  }
  if (!list.length) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

function externalIP(svc: any): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      // loadBalancerStatusStringer with wide (the server's table always is): the addresses sorted, once each, unclipped.
      const all = [...lbAddresses(svc.status?.loadBalancer), ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

function ports(svc: any): string {
  const ps: any[] = svc.spec?.ports ?? [];
  if (ps.length === 0) return '<none>';
  return ps.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COL,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, o.spec?.type ?? 'ClusterIP', o.spec?.clusterIP || '<none>', externalIP(o), ports(o), age(o, now), formatLabels(o.spec?.selector)],
  }),
};

function formatEndpoints(ep: any): string {
  const subsets: any[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: any[] = ss.addresses ?? [];
    const ps: any[] = ss.ports ?? [];
    if (ps.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ps) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
      }
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - max} more...` : s;
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COL, col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, formatEndpoints(o), age(o, now)] }),
};

function sliceEndpoints(o: any): string {
  const eps: any[] = o.endpoints ?? [];
  if (eps.length === 0) return '<unset>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const e of eps) {
    for (const a of e.addresses ?? []) {
      count++;
      if (list.length === 3) { more = true; continue; }
      list.push(a);
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - 3} more...` : s;
}

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE_COL,
  ],
  row: (o, now) => {
    const ps: any[] = o.ports ?? [];
    // formatDiscoveryPorts: three at most, then how many more; a port without a number shows its name, or `*`.
    const shown = ps.slice(0, 3).map((p) => (typeof p?.port === 'number' ? String(p.port) : typeof p?.name === 'string' ? p.name : '*'));
    const portStr = ps.length > 3 ? `${shown.join(',')} + ${ps.length - 3} more...` : shown.join(',') || '<unset>';
    return { cells: [o.metadata.name, o.addressType ?? '', portStr, sliceEndpoints(o), age(o, now)] };
  },
};

export const ingressPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Class', 'string', 'ingressClassName is the name of an IngressClass cluster resource.'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COL,
  ],
  row: (o, now) => {
    const hostStr = formatHosts(o.spec?.rules ?? []);
    const addr = lbAddresses(o.status?.loadBalancer).join(',');
    const portStr = (o.spec?.tls ?? []).length ? '80, 443' : '80';
    return { cells: [o.metadata.name, o.spec?.ingressClassName || '<none>', hostStr, addr, portStr, age(o, now)] };
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [NAME_COL, col('Pod-Selector', 'string', 'Pod selector'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, formatLabelSelector(o.spec?.podSelector), age(o, now)] }),
};
