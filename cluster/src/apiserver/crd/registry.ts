/**
 * The custom resources a store's CustomResourceDefinitions make the apiserver serve, as the
 * apiextensions-apiserver's crdHandler finds them: one entry per served version of every CRD whose names were
 * accepted (NamesAccepted or Established, crdHandler.ServeHTTP), kept current by a commit hook on the CRD table.
 * It is kept per store, so the garbage collector, the namespace controller and the HTTP layer find what the
 * apiserver on that store serves, and two playgrounds in one process never see each other's kinds.
 */
import type { KObject } from '../../contract';
import type { Store } from '../../store/store';
import type { ResourceInfo } from '../resources';
import type { CustomVersion, JSONSchemaProps, PrinterColumn } from './types';

export const CRD_TABLE = 'apiextensions.k8s.io/customresourcedefinitions';
export const CRD_GVR = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

/** A condition of a stored CRD is True. */
export function crdCondition(crd: KObject, type: string): boolean {
  const cs = crd.status?.conditions;
  return Array.isArray(cs) && cs.some((c: any) => c && c.type === type && c.status === 'True');
}

export class CustomResources {
  /** Bumped whenever what is served changes (the HTTP layer rebuilds its discovery then). */
  generation = 0;
  private entries: ResourceInfo[] = [];
  private byKey = new Map<string, ResourceInfo>();

  constructor(private readonly store: Store) {
    this.rebuild();
    store.commitHooks.push((table) => {
      if (table === CRD_TABLE) this.rebuild();
    });
  }

  /** The served version `version` of group/resource (any served version when none is named: the storage one first). */
  info(group: string, resource: string, version?: string): ResourceInfo | undefined {
    if (!this.entries.length) return undefined;
    if (version !== undefined) return this.byKey.get(`${group}/${version}/${resource}`);
    const all = this.entries.filter((e) => e.group === group && e.resource === resource);
    return all.find((e) => !e.storage) ?? all[0];
  }

  /** The served version an apiVersion + kind names (a version the CRD does not serve matches nothing). */
  forKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    if (!this.entries.length) return undefined;
    const i = apiVersion.indexOf('/');
    if (i < 0) return undefined;
    const group = apiVersion.slice(0, i);
    const version = apiVersion.slice(i + 1);
    return this.entries.find((e) => e.group === group && e.version === version && e.kind === kind);
  }

  all(): ResourceInfo[] {
    return this.entries;
  }

  private rebuild(): void {
    const entries: ResourceInfo[] = [];
    for (const crd of this.store.list(CRD_TABLE)) entries.push(...servedVersions(crd));
    this.entries = entries;
    this.byKey = new Map(entries.map((e) => [`${e.group}/${e.version}/${e.resource}`, e]));
    this.generation++;
  }
}

/** The ResourceInfo of each served version of a CRD whose names are accepted. */
export function servedVersions(crd: KObject): ResourceInfo[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const accepted = crd.status?.acceptedNames ?? {};
  const group = String(spec.group ?? '');
  const plural = String(names.plural ?? '');
  if (!group || !plural || !(crdCondition(crd, 'Established') || crdCondition(crd, 'NamesAccepted'))) return [];
  const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
  const storageVersion = versions.find((v) => v?.storage)?.name ?? versions[0]?.name;
  const terminating = crdCondition(crd, 'Terminating') || !!crd.metadata.deletionTimestamp;
  const out: ResourceInfo[] = [];
  for (const v of versions) {
    if (!v || !v.served || typeof v.name !== 'string') continue;
    const sub = v.subresources ?? {};
    const custom: CustomVersion = {
      crd: crd.metadata.name!,
      singular: String(accepted.singular ?? names.singular ?? String(accepted.kind ?? names.kind ?? '').toLowerCase()),
      listKind: String(accepted.listKind ?? names.listKind ?? `${accepted.kind ?? names.kind}List`),
      storageVersion,
      schema: v.schema?.openAPIV3Schema as JSONSchemaProps | undefined,
      columns: printerColumns(v.additionalPrinterColumns),
      scalePaths: sub.scale ? { specReplicasPath: sub.scale.specReplicasPath, statusReplicasPath: sub.scale.statusReplicasPath, labelSelectorPath: sub.scale.labelSelectorPath } : undefined,
      terminating,
      established: crdCondition(crd, 'Established'),
      deprecated: !!v.deprecated,
      deprecationWarning: typeof v.deprecationWarning === 'string' ? v.deprecationWarning : undefined,
      selectableFields: Array.isArray(v.selectableFields)
        ? v.selectableFields.filter((f: any) => typeof f?.jsonPath === 'string').map((f: any) => f.jsonPath.replace(/^\./, ''))
        : [],
    };
    const info: ResourceInfo = {
      group,
      version: v.name,
      resource: plural,
      kind: String(accepted.kind ?? names.kind),
      namespaced: spec.scope !== 'Cluster',
      status: !!sub.status,
      scale: !!sub.scale,
      shortNames: Array.isArray(accepted.shortNames) ? accepted.shortNames : [],
      categories: Array.isArray(accepted.categories) ? accepted.categories : [],
      id: `${group}/${plural}`,
      custom,
    };
    if (v.name !== storageVersion) info.storage = `${group}/${storageVersion}`;
    out.push(info);
  }
  return out;
}

/**
 * A version's columns; with none, the one column crdHandler serves by default (serveDefaultColumnsIfEmpty):
 * Age, the creation timestamp as a date.
 */
function printerColumns(cols: unknown): PrinterColumn[] {
  if (Array.isArray(cols) && cols.length) {
    return cols.filter((c) => c && typeof c === 'object').map((c: any) => ({
      name: String(c.name ?? ''), type: String(c.type ?? 'string'), format: c.format, description: c.description, priority: typeof c.priority === 'number' ? c.priority : 0, jsonPath: String(c.jsonPath ?? ''),
    }));
  }
  return [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', priority: 0, description: CREATION_TIMESTAMP_DESCRIPTION }];
}

export const CREATION_TIMESTAMP_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const registries = new WeakMap<Store, CustomResources>();

/** A fresh registry for this store (the apiserver makes one when it is built, a reset included). */
export function attachCustomResources(store: Store): CustomResources {
  const r = new CustomResources(store);
  registries.set(store, r);
  return r;
}

/** The registry of the apiserver serving this store, if one was built. */
export function customResourcesOf(store: Store | undefined): CustomResources | undefined {
  return store ? registries.get(store) : undefined;
}
