/**
 * OpenAPI v2 and v3 documents generated from the shared schema. kubectl reads
 * them for `explain` (v3), for strategic-merge patch metadata
 * (x-kubernetes-patch-merge-key / -strategy) and to learn that the server
 * validates fields itself (the `fieldValidation` and `dryRun` parameters of
 * each PATCH operation in the v3 group-version documents).
 */
import { createHash } from 'node:crypto';
import type { SchemaData, TypeDef, TypeRef } from '../../../kube/src/schema/types';
import type { ResourceRegistry, ServedResource } from './resources';
import { encodeSwaggerProto } from './openapiProto';

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';

/** Upstream names these leaf types; kubectl explain shows `<IntOrString>`, `<Quantity>`, `<Time>`. */
const LEAVES: Record<string, Record<string, unknown>> = {
  [INT_OR_STRING]: { type: 'string', format: 'int-or-string', description: 'IntOrString is a type that can hold an int32 or a string.' },
  [QUANTITY]: { type: 'string', description: 'Quantity is a fixed-point representation of a number.' },
  [TIME]: { type: 'string', format: 'date-time', description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.' },
};

type Dialect = 'v2' | 'v3';
const refPrefix = (d: Dialect) => (d === 'v2' ? '#/definitions/' : '#/components/schemas/');

function refTo(id: string, d: Dialect): Record<string, unknown> {
  return { $ref: refPrefix(d) + id };
}

/** A TypeRef as a schema; `field` carries the extensions that live on the property. */
function typeSchema(t: TypeRef, d: Dialect, refs: Set<string>): Record<string, unknown> {
  switch (t.kind) {
    case 'object':
      refs.add(t.ref);
      return refTo(t.ref, d);
    case 'primitive': {
      const s: Record<string, unknown> = { type: t.type };
      if (t.format) s.format = t.format;
      if (t.enum) s.enum = t.enum;
      return s;
    }
    case 'intOrString':
      refs.add(INT_OR_STRING);
      return refTo(INT_OR_STRING, d);
    case 'quantity':
      refs.add(QUANTITY);
      return refTo(QUANTITY, d);
    case 'time':
      refs.add(TIME);
      return refTo(TIME, d);
    case 'array': {
      const s: Record<string, unknown> = { type: 'array', items: typeSchema(t.items, d, refs) };
      if (t.mergeKey) s['x-kubernetes-patch-merge-key'] = t.mergeKey;
      if (t.patchStrategy) s['x-kubernetes-patch-strategy'] = t.patchStrategy;
      if (t.listType) s['x-kubernetes-list-type'] = t.listType;
      if (t.listMapKeys) s['x-kubernetes-list-map-keys'] = t.listMapKeys;
      return s;
    }
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.values, d, refs) };
    case 'any':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

const TYPE_META: Record<string, string> = {
  apiVersion: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

function definitionSchema(def: TypeDef, d: Dialect, refs: Set<string>, gvks: Map<string, unknown[]>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(def.properties)) {
    // The typings give an object's apiVersion and kind as literals; upstream's OpenAPI has plain strings with the
    // TypeMeta descriptions, which `kubectl explain` prints first.
    const typeMeta = (name === 'apiVersion' || name === 'kind') && !f.description && f.type.kind === 'primitive' && f.type.enum?.length === 1;
    if (typeMeta) {
      properties[name] = { type: 'string', description: TYPE_META[name] };
      continue;
    }
    let s = typeSchema(f.type, d, refs);
    if (s.$ref && (f.description || f.default !== undefined)) {
      // OpenAPI 3.0 ignores siblings of $ref; upstream wraps it in allOf so the description survives.
      s = d === 'v3' ? { allOf: [s] } : { ...s };
    }
    if (f.description) s.description = f.description;
    if (f.default !== undefined) s.default = f.default;
    properties[name] = s;
  }
  const out: Record<string, unknown> = { type: 'object', properties };
  if (def.description) out.description = def.description;
  if (def.required && def.required.length) out.required = def.required;
  const gvk = gvks.get(def.id);
  if (gvk) out['x-kubernetes-group-version-kind'] = gvk;
  return out;
}

function gvkIndex(schema: SchemaData): Map<string, unknown[]> {
  const m = new Map<string, unknown[]>();
  for (const k of schema.kinds) {
    if (!m.has(k.definition)) m.set(k.definition, []);
    m.get(k.definition)!.push({ group: k.group, kind: k.kind, version: k.version });
  }
  return m;
}

/** Definitions reachable from `roots`, each rendered once. */
function closure(schema: SchemaData, roots: string[], d: Dialect, gvks: Map<string, unknown[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const queue = [...roots];
  while (queue.length) {
    const id = queue.pop()!;
    if (out[id]) continue;
    if (LEAVES[id]) {
      out[id] = LEAVES[id];
      continue;
    }
    const def = schema.definitions[id];
    if (!def) continue;
    const refs = new Set<string>();
    out[id] = definitionSchema(def, d, refs, gvks);
    for (const r of refs) if (!out[r]) queue.push(r);
  }
  return out;
}

function param(name: string, description: string, inPath = false): Record<string, unknown> {
  return inPath
    ? { name, in: 'path', required: true, description, schema: { type: 'string', uniqueItems: true } }
    : { name, in: 'query', description, schema: { type: 'string', uniqueItems: true } };
}

const DRY_RUN = param('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict');
const FORCE = { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: { type: 'boolean', uniqueItems: true } };

/** Paths of one group-version: enough operations for clients that look up verbs and query parameters per GVK. */
function paths(resources: ServedResource[], d: Dialect): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of resources) {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const coll = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
    const gvk = { group: r.group, kind: r.kind, version: r.version };
    const ref = r.definition ? { $ref: refPrefix(d) + r.definition } : { type: 'object' };
    const op = (action: string, id: string, extra: Record<string, unknown>[] = []) => {
      const o: Record<string, unknown> = {
        operationId: id,
        parameters: extra,
        responses: d === 'v3' ? { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } } : { '200': { description: 'OK', schema: ref } },
        'x-kubernetes-action': action,
        'x-kubernetes-group-version-kind': gvk,
      };
      return o;
    };
    const nsParam = r.namespaced ? [param('namespace', 'object name and auth scope, such as for teams and projects', true)] : [];
    const name = param('name', `name of the ${r.kind}`, true);
    const id = (verb: string) => `${verb}${r.kind}`;
    out[coll] = {
      get: op('list', id('list'), [...nsParam]),
      post: op('post', id('create'), [...nsParam, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION]),
      delete: op('deletecollection', id('deleteCollection'), [...nsParam, DRY_RUN]),
    };
    out[`${coll}/{name}`] = {
      get: op('get', id('read'), [...nsParam, name]),
      put: op('put', id('replace'), [...nsParam, name, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION]),
      patch: op('patch', id('patch'), [...nsParam, name, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE]),
      delete: op('delete', id('delete'), [...nsParam, name, DRY_RUN]),
    };
  }
  return out;
}

export class OpenApi {
  private readonly gvks: Map<string, unknown[]>;
  private v2Text?: string;
  private v2Doc?: { swagger: string; info: { title: string; version: string }; paths: unknown; definitions: Record<string, unknown> };
  private v2Proto?: Buffer;
  private readonly v3Docs = new Map<string, string>();

  constructor(private readonly schema: SchemaData, private readonly registry: ResourceRegistry, private readonly gitVersion: string) {
    this.gvks = gvkIndex(schema);
  }

  /** The whole API in one Swagger 2.0 document, rendered once. */
  v2(): string {
    if (!this.v2Text) this.v2Text = JSON.stringify(this.v2Document());
    return this.v2Text;
  }

  /** The same document as gnostic protobuf, which is what client-go requests. */
  v2Protobuf(): Buffer {
    if (!this.v2Proto) this.v2Proto = encodeSwaggerProto(this.v2Document());
    return this.v2Proto;
  }

  private v2Document() {
    if (!this.v2Doc) {
      // Custom resources are published in the group-version documents of v3 only (kubectl explain reads v3).
      const served = this.registry.all().filter((r) => !r.custom);
      this.v2Doc = {
        swagger: '2.0',
        info: { title: 'Kubernetes', version: this.gitVersion },
        paths: paths(served, 'v2'),
        definitions: closure(this.schema, this.v2Roots(served), 'v2', this.gvks),
      };
    }
    return this.v2Doc;
  }

  /**
   * What the v2 document defines: the served kinds, their lists and the kinds of their subresources (Scale, Eviction,
   * Binding, TokenRequest), with the meta types every route uses, and nothing else. The apiserver builds /openapi/v2
   * from its installed routes (kube-openapi builder.BuildOpenAPISpecFromRoutes), so a group-version it does not serve
   * (extensions/v1beta1, apps/v1beta2, batch/v1beta1, ...) has no definition there. kubectl's client-side validation
   * depends on that: kubectl pkg/validation/schema.go validateResource skips a kind the document lacks, and the
   * RESTMapper then answers `no matches for kind "Deployment" in version "extensions/v1beta1"`. The shared schema keeps
   * the old versions for the editor.
   */
  private v2Roots(served: ServedResource[]): string[] {
    const byGvk = new Map(this.schema.kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k.definition] as const));
    const roots = new Set<string>([INT_OR_STRING, QUANTITY, TIME]);
    for (const r of served) {
      if (!r.definition) continue;
      roots.add(r.definition);
      roots.add(`${r.definition}List`);
      for (const s of r.subresources) {
        const def = byGvk.get(`${s.group ? `${s.group}/` : ''}${s.version}/${s.kind}`);
        if (def) roots.add(def);
      }
    }
    for (const id of Object.keys(this.schema.definitions)) if (id.startsWith('io.k8s.apimachinery.')) roots.add(id);
    return [...roots];
  }

  private groupVersions(): { path: string; group: string; version: string }[] {
    const out: { path: string; group: string; version: string }[] = [];
    for (const g of this.registry.groups) {
      for (const v of g.versions) out.push({ path: g.name ? `apis/${g.name}/${v}` : `api/${v}`, group: g.name, version: v });
    }
    return out;
  }

  /** `/openapi/v3`: where each group-version document lives, with a content hash for caching clients. */
  v3Index(): unknown {
    const paths: Record<string, unknown> = {};
    for (const gv of this.groupVersions()) {
      const hash = createHash('sha512').update(this.v3Doc(gv.path)!).digest('hex').slice(0, 128).toUpperCase();
      paths[gv.path] = { serverRelativeURL: `/openapi/v3/${gv.path}?hash=${hash}` };
    }
    return { paths };
  }

  /** `/openapi/v3/apis/<g>/<v>`: the paths and schemas of one group-version. */
  v3Doc(path: string): string | undefined {
    const gv = this.groupVersions().find((x) => x.path === path);
    if (!gv) return undefined;
    const resources = this.registry.resources(gv.group, gv.version);
    // A CRD's group-version changes with its CRD: built afresh (and small).
    if (resources.some((r) => r.custom)) return this.customV3Doc(resources);
    const cached = this.v3Docs.get(path);
    if (cached) return cached;
    const roots = resources.flatMap((r) => (r.definition ? [r.definition, `${r.definition}List`] : []));
    roots.push('io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: this.gitVersion },
      paths: paths(resources, 'v3'),
      components: { schemas: closure(this.schema, roots, 'v3', this.gvks) },
    };
    const text = JSON.stringify(doc);
    this.v3Docs.set(path, text);
    return text;
  }

  /**
   * The document the CRD OpenAPI builder (apiextensions-apiserver pkg/controller/openapi/builder) publishes for a
   * custom resource's group-version: the version's schema under `<reversed group>.<version>.<Kind>`, with
   * apiVersion, kind and metadata (ObjectMeta) added and its group-version-kind, its List, and the paths.
   */
  private customV3Doc(resources: ServedResource[]): string {
    const schemas: Record<string, unknown> = {};
    const named: ServedResource[] = [];
    for (const r of resources) {
      const id = `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
      const gvk = [{ group: r.group, kind: r.kind, version: r.version }];
      const base = JSON.parse(JSON.stringify(r.custom?.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }));
      base.properties = {
        apiVersion: { type: 'string', description: TYPE_META.apiVersion },
        kind: { type: 'string', description: TYPE_META.kind },
        metadata: { description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] },
        ...(base.properties ?? {}),
      };
      base['x-kubernetes-group-version-kind'] = gvk;
      schemas[id] = base;
      schemas[`${id}List`] = {
        description: `${r.kind}List is a list of ${r.kind}`,
        type: 'object',
        required: ['items'],
        properties: {
          apiVersion: { type: 'string', description: TYPE_META.apiVersion },
          items: { type: 'array', description: `List of ${r.resource}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, items: { $ref: `#/components/schemas/${id}` } },
          kind: { type: 'string', description: TYPE_META.kind },
          metadata: { description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds', allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' }] },
        },
        'x-kubernetes-group-version-kind': [{ group: r.group, kind: `${r.kind}List`, version: r.version }],
      };
      named.push({ ...r, definition: id });
    }
    const meta = closure(this.schema, ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'], 'v3', this.gvks);
    return JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
      paths: paths(named, 'v3'),
      components: { schemas: { ...schemas, ...meta } },
    });
  }
}
