import { ClusterStore } from '../store';
import type { KObject } from '../types';
import { annotationsMultiline, describeEvents, labelsMultiline, listOrder, rfc1123z } from './common';
import { describeNode } from './node';
import { describeConfigMap, describeCronJob, describeDaemonSet, describeJob, describeSecret } from './batch';
import { describePod } from './pod';
import { describeService } from './service';
import { describeLimitRange, describeNamespace, describeQuota } from './policy';
import { describeNetworkPolicy } from './netpol';
import { describeDeployment, describeReplicaSet, describeStatefulSet } from './workloads';
import { PrefixWriter } from './writer';

/**
 * Describes any object the way `kubectl describe` would, gathering related
 * objects (events, owned ReplicaSets, pods, endpoint slices) from the store.
 */
export function describe(store: ClusterStore, obj: KObject, now: number, related: { lease?: KObject } = {}): string {
  // As kubectl lists them (searchEvents by involvedObject, in etcd order) before its sort.
  const events = listOrder(store.eventsFor(obj.metadata.uid));
  const ns = obj.metadata.namespace;
  const owned = (res: string) => store.owned(res, obj.metadata.uid);
  switch (obj.kind) {
    case 'Pod':
      return describePod({ obj, events, now });
    case 'Deployment':
      return describeDeployment({ obj, events, now, replicaSets: owned('replicasets') });
    case 'ReplicaSet':
      return describeReplicaSet({ obj, events, now, pods: owned('pods') });
    case 'StatefulSet':
      return describeStatefulSet({ obj, events, now, pods: owned('pods') });
    case 'Service':
      return describeService({
        obj, events, now,
        endpointSlices: store.list('endpointslices', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === obj.metadata.name),
      });
    case 'DaemonSet':
      return describeDaemonSet({ obj, events, now, pods: owned('pods') });
    case 'Job':
      return describeJob({ obj, events, now });
    case 'CronJob':
      return describeCronJob({ obj, events, now });
    case 'ConfigMap':
      return describeConfigMap({ obj, events, now });
    case 'Secret':
      return describeSecret({ obj, events, now });
    case 'ResourceQuota':
      return describeQuota(obj);
    case 'LimitRange':
      return describeLimitRange(obj);
    case 'NetworkPolicy':
      return describeNetworkPolicy(obj);
    case 'Namespace':
      return describeNamespace(obj, store.list('resourcequotas', obj.metadata.name), store.list('limitranges', obj.metadata.name).sort((a, b) => (String(a.metadata.name) < String(b.metadata.name) ? -1 : 1)));
    case 'Node':
      // describe.go's NodeDescriber: the events about the node's uid, then (appended) those the kubelet files under uid = node name.
      return describeNode({ obj, events: [...events, ...listOrder(store.eventsFor(obj.metadata.name))], now, pods: store.podsOnNode(obj.metadata.name ?? ''), lease: related.lease });
    default:
      return describeGeneric(obj, events, now);
  }
}

/**
 * What an open describe tab shows, as far as the watch can tell: the object's
 * resourceVersion and those of its Events (for a Node, also the ones filed
 * under its name). A different value means the tab is out of date; undefined
 * means the watch no longer has the object.
 */
export function describedVersion(store: ClusterStore, resource: string, namespace: string | undefined, name: string): string | undefined {
  const obj = store.get(resource, namespace, name);
  if (!obj) return undefined;
  const events = store.eventsFor(obj.metadata.uid);
  if (resource === 'nodes') events.push(...store.eventsFor(name));
  const evs = events.map((e) => `${e.metadata.namespace}/${e.metadata.name}@${e.metadata.resourceVersion}`).sort();
  return [obj.metadata.resourceVersion ?? '', ...evs].join(' ');
}

/** For kinds without a dedicated describer: metadata, then spec and status as indented YAML-ish lines, then Events. */
export function describeGeneric(obj: KObject, events: KObject[], now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  if (obj.metadata.namespace) w.write(0, `Namespace:\t${obj.metadata.namespace}\n`);
  labelsMultiline(w, 'Labels', obj.metadata.labels);
  annotationsMultiline(w, 'Annotations', obj.metadata.annotations);
  w.write(0, `API Version:\t${obj.apiVersion ?? ''}\n`);
  w.write(0, `Kind:\t${obj.kind ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(obj.metadata.creationTimestamp)}\n`);
  w.flush();
  for (const key of Object.keys(obj)) {
    if (['apiVersion', 'kind', 'metadata'].includes(key)) continue;
    // Secrets show their keys and sizes, never values (as kubectl does).
    if (obj.kind === 'Secret' && (key === 'data' || key === 'stringData')) {
      w.write(0, '\nData\n====\n');
      for (const k of Object.keys(obj[key] ?? {}).sort()) {
        const size = key === 'data' ? Buffer.from(String(obj.data[k]), 'base64').length : Buffer.byteLength(String(obj.stringData[k]));
        w.write(0, `${k}:\t${size} bytes\n`);
      }
      continue;
    }
    w.write(0, `${title(key)}:\n`);
    dump(w, obj[key], 1);
  }
  describeEvents(w, events, now);
  return w.toString();
}

function title(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1).replace(/([a-z])([A-Z])/g, '$1 $2');
}

function dump(w: PrefixWriter, v: any, level: number): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item !== null && typeof item === 'object') {
        w.write(level, '-\n');
        dump(w, item, level + 1);
      } else w.write(level, `${item}\n`);
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (x !== null && typeof x === 'object') {
        w.write(level, `${title(k)}:\n`);
        dump(w, x, level + 1);
      } else w.write(level, `${title(k)}:\t${x}\n`);
    }
  } else if (v !== undefined) w.write(level, `${v}\n`);
}

export { describeEvents };
