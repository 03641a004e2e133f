/**
 * Which resources the playground serves: the apiserver's own table, enriched
 * from the shared schema, with the subresources kubectl looks for in discovery (deployments/scale for `kubectl scale`, pods/eviction for
 * `kubectl drain`, pods/log for `kubectl logs`, and every status subresource).
 */
import type { KindInfo, SchemaData } from '../../../kube/src/schema/types';
import type { ResourceInfo } from '../apiserver/resources';
import type { CustomResources } from '../apiserver/crd/registry';
import type { Printer } from './tables/format';
import { customPrinter } from './tables/custom';

export interface ServedSubresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ServedResource {
  group: string;
  version: string;
  apiVersion: string;
  kind: string;
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  definition: string;
  subresources: ServedSubresource[];
  /** A custom resource's Table columns (its CRD version's additionalPrinterColumns). */
  printer?: Printer;
  /** Served from a CustomResourceDefinition version. */
  custom?: ResourceInfo['custom'];
}

export interface ServedGroup {
  name: string;
  /** Newest stable first; the first is the preferred version. */
  versions: string[];
}

export const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** The verbs the CRD discovery controller lists for a custom resource, in its order. */
export const CUSTOM_RESOURCE_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
/**
 * Resources whose storage implements fewer verbs, so discovery lists fewer: the legacy Binding REST only creates,
 * and the namespace REST wraps its store without DeleteCollection (a DELETE of the collection is a 405).
 */
const FEWER_VERBS: Record<string, string[]> = {
  '/bindings': ['create'],
  '/namespaces': ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
};

/** Upstream's /apis order; kubectl resolves an ambiguous name (`events`) by the first group that has it. */
const GROUP_ORDER = [
  '', 'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling',
  'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io',
  // resource.k8s.io shares discovery.k8s.io's groupPriorityMinimum (16200) and sorts after it by name.
  'discovery.k8s.io', 'resource.k8s.io', 'flowcontrol.apiserver.k8s.io',
];

/** Kubernetes version priority: v2 > v1 > v2beta1 > v1beta1 > v1alpha1. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [la, ma, na] = parse(a);
  const [lb, mb, nb] = parse(b);
  return lb - la || mb - ma || nb - na;
}

export class ResourceRegistry {
  private byKey = new Map<string, ServedResource>();
  private byGV = new Map<string, ServedResource[]>();
  private groupList: ServedGroup[] = [];
  private readonly kinds: Map<string, KindInfo>;
  /** The custom resources' generation the maps were built for (-1: never). */
  private customGeneration = -1;

  /**
   * `served` is the apiserver's own table, so discovery lists exactly what the Api answers; `extra` are resources
   * the HTTP layer answers itself (the self-reviews); `custom`, the apiserver's custom resources, which come and go
   * with their CustomResourceDefinitions (the maps are rebuilt when they change).
   */
  constructor(
    private readonly served: ResourceInfo[],
    schema: SchemaData,
    private readonly extra: ServedResource[] = [],
    private readonly custom?: () => CustomResources | undefined,
  ) {
    this.kinds = new Map(schema.kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k] as const));
    this.build([]);
  }

  /** The maps, rebuilt when the served custom resources changed since. */
  private current(): void {
    const c = this.custom?.();
    if (!c || c.generation === this.customGeneration) return;
    this.customGeneration = c.generation;
    this.build(c.all());
  }

  private build(customs: ResourceInfo[]): void {
    this.byKey = new Map();
    this.byGV = new Map();
    const versionsByGroup = new Map<string, Set<string>>();
    const add = (r: ServedResource) => {
      const key = `${r.group}/${r.version}/${r.resource}`;
      if (this.byKey.has(key)) return;
      this.byKey.set(key, r);
      const gv = `${r.group}/${r.version}`;
      if (!this.byGV.has(gv)) this.byGV.set(gv, []);
      this.byGV.get(gv)!.push(r);
      if (!versionsByGroup.has(r.group)) versionsByGroup.set(r.group, new Set());
      versionsByGroup.get(r.group)!.add(r.version);
    };
    for (const r of this.extra) add(r);
    for (const info of this.served) {
      const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
      add(this.describe(info, apiVersion, this.kinds.get(`${apiVersion}/${info.kind}`)));
    }
    // The discovery controller lists a custom resource once its CRD is Established.
    for (const info of customs) if (info.custom?.established) add(this.describe(info, `${info.group}/${info.version}`, undefined));
    for (const list of this.byGV.values()) list.sort((a, b) => a.resource.localeCompare(b.resource));
    const rank = (g: string) => {
      const i = GROUP_ORDER.indexOf(g);
      return i < 0 ? GROUP_ORDER.length : i;
    };
    const names = [...versionsByGroup.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    this.groupList = names.map((name) => ({ name, versions: [...versionsByGroup.get(name)!].sort(compareVersions) }));
  }

  get groups(): ServedGroup[] {
    this.current();
    return this.groupList;
  }

  private describe(info: ResourceInfo, apiVersion: string, k: KindInfo | undefined): ServedResource {
    const subresources: ServedSubresource[] = [];
    if (info.status) subresources.push({ name: 'status', group: info.group, version: info.version, kind: info.kind, verbs: ['get', 'patch', 'update'] });
    if (info.scale) subresources.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (info.group === '' && info.resource === 'pods') {
      subresources.push({ name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] });
      subresources.push({ name: 'ephemeralcontainers', group: '', version: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] });
      subresources.push({ name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
      subresources.push({ name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] });
      // InPlacePodVerticalScaling (beta, on in 1.34): storage_core.go serves pods/resize.
      subresources.push({ name: 'resize', group: '', version: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] });
      // The installer lists a resource's paths sorted: pods/log, pods/resize, pods/status.
      subresources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    // pkg/registry/certificates/certificates/storage: the approval subresource, listed before status.
    if (info.group === 'certificates.k8s.io' && info.resource === 'certificatesigningrequests') {
      subresources.unshift({ name: 'approval', group: info.group, version: info.version, kind: info.kind, verbs: ['get', 'patch', 'update'] });
    }
    if (info.group === '' && info.resource === 'serviceaccounts') {
      subresources.push({ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    }
    return {
      group: info.group,
      version: info.version,
      apiVersion,
      kind: info.kind,
      resource: info.resource,
      singular: info.custom?.singular ?? info.kind.toLowerCase(),
      namespaced: info.namespaced,
      shortNames: info.shortNames ?? k?.shortNames ?? [],
      categories: info.categories ?? k?.categories ?? [],
      verbs: info.custom ? CUSTOM_RESOURCE_VERBS : FEWER_VERBS[`${info.group}/${info.resource}`] ?? RESOURCE_VERBS,
      definition: k?.definition ?? '',
      subresources,
      ...(info.custom ? { custom: info.custom, printer: customPrinter(info.custom.columns) } : {}),
    };
  }

  get(group: string, version: string, resource: string): ServedResource | undefined {
    this.current();
    return this.byKey.get(`${group}/${version}/${resource}`);
  }

  resources(group: string, version: string): ServedResource[] {
    this.current();
    return this.byGV.get(`${group}/${version}`) ?? [];
  }

  group(name: string): ServedGroup | undefined {
    return this.groups.find((g) => g.name === name);
  }

  all(): ServedResource[] {
    this.current();
    return [...this.byKey.values()];
  }
}
