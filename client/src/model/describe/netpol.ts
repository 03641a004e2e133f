import { PrefixWriter } from './writer';
import { annotationsMultiline, labelsMultiline } from './common';
import { formatSelector } from '../format';
import type { KObject } from '../types';

/** Go's time.Time.String() of a UTC time, as kubectl prints `Created on`: `2023-04-19 22:56:59 +0000 UTC`. */
function goTime(ts: string | undefined): string {
  const d = new Date(ts ?? '');
  if (Number.isNaN(d.getTime())) return '0001-01-01 00:00:00 +0000 UTC';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

const isEmptySelector = (s: any) => !Object.keys(s?.matchLabels ?? {}).length && !(s?.matchExpressions ?? []).length;

/** printNetworkPolicySpecIngressFrom / EgressTo: each rule's ports, then its peers, with a rule of dashes between. */
function rules(w: PrefixWriter, list: any[] | undefined, dir: 'ingress' | 'egress'): void {
  const indent = '    ';
  if (!list?.length) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
    return;
  }
  list.forEach((rule, i) => {
    const ports: any[] = rule?.ports ?? [];
    if (!ports.length) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    for (const p of ports) {
      const port = p?.port === undefined || p?.port === null ? '<nil>' : String(p.port);
      const proto = p?.protocol ?? 'TCP';
      if (p?.endPort === undefined || p?.endPort === null) w.write(0, `${indent}To Port: ${port}/${proto}\n`);
      else w.write(0, `${indent}To Port Range: ${port}-${p.endPort}/${proto}\n`);
    }
    const peers: any[] = (dir === 'ingress' ? rule?.from : rule?.to) ?? [];
    const word = dir === 'ingress' ? 'From' : 'To';
    if (!peers.length) w.write(0, `${indent}${word}: <any> (traffic not restricted by ${dir === 'ingress' ? 'source' : 'destination'})\n`);
    for (const peer of peers) {
      w.write(0, `${indent}${word}:\n`);
      if (peer?.podSelector && peer?.namespaceSelector) {
        w.write(1, `${indent}NamespaceSelector: ${formatSelector(peer.namespaceSelector)}\n`);
        w.write(1, `${indent}PodSelector: ${formatSelector(peer.podSelector)}\n`);
      } else if (peer?.podSelector) w.write(1, `${indent}PodSelector: ${formatSelector(peer.podSelector)}\n`);
      else if (peer?.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatSelector(peer.namespaceSelector)}\n`);
      else if (peer?.ipBlock) {
        w.write(1, `${indent}IPBlock:\n`);
        w.write(2, `${indent}CIDR: ${peer.ipBlock.cidr ?? ''}\n`);
        w.write(2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
      }
    }
    if (i !== list.length - 1) w.write(0, `${indent}----------\n`);
  });
}

/** `kubectl describe networkpolicy`: which pods, what each direction allows, and the policy types (no events). */
export function describeNetworkPolicy(np: KObject): string {
  const w = new PrefixWriter();
  const spec = np.spec ?? {};
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTime(np.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', np.metadata.labels);
  annotationsMultiline(w, 'Annotations', np.metadata.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  w.write(2, isEmptySelector(spec.podSelector) ? '<none> (Allowing the specific traffic to all pods in this namespace)\n' : `${formatSelector(spec.podSelector)}\n`);
  // The describer reads the directions from policyTypes alone (the apiserver has defaulted it).
  const types: string[] = spec.policyTypes ?? [];
  if (types.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    rules(w, spec.ingress, 'ingress');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    rules(w, spec.egress, 'egress');
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${types.length ? types.join(', ') : '<none>'}\n`);
  return w.toString();
}
