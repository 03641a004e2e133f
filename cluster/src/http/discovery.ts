/**
 * Discovery documents: the legacy ones (/api, /apis, /api/v1, /apis/g/v) and
 * the aggregated APIGroupDiscoveryList that kubectl 1.30+ asks for first, so
 * one round trip tells it every resource.
 */
import type { ResourceRegistry, ServedResource } from './resources';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

const gv = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(reg: ResourceRegistry, name: string) {
  const g = reg.group(name)!;
  const versions = g.versions.map((v) => ({ groupVersion: gv(name, v), version: v }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(reg: ResourceRegistry) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: reg.groups.filter((g) => g.name !== '').map((g) => apiGroup(reg, g.name)) };
}

export function apiGroupDoc(reg: ResourceRegistry, name: string) {
  if (!name || !reg.group(name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(reg, name) };
}

export function apiResourceList(reg: ResourceRegistry, group: string, version: string) {
  const served = reg.resources(group, version);
  if (served.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of served) {
    const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    resources.push(entry);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== group || s.version !== version) {
        sub.group = s.group;
        sub.version = s.version;
      }
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources };
}

function discoveryResource(r: ServedResource) {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) entry.shortNames = r.shortNames;
  if (r.categories.length) entry.categories = r.categories;
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

/** `legacy` answers /api (the core group only); otherwise /apis (every named group). */
export function aggregatedDiscovery(reg: ResourceRegistry, legacy: boolean, apiVersion: 'v2' | 'v2beta1') {
  const items = reg.groups
    .filter((g) => (legacy ? g.name === '' : g.name !== ''))
    .map((g) => ({
      metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v, resources: reg.resources(g.name, v).map(discoveryResource), freshness: 'Current' })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
}
