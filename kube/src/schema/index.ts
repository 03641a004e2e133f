import * as fs from 'fs';
import * as path from 'path';
import type { FieldDef, KindInfo, SchemaData, TypeDef, TypeRef } from './types';

export * from './types';

/**
 * Read-only view over the generated schema with the lookups every feature
 * needs. Built once per process; all maps are filled eagerly so that lookups
 * on hot paths (completion, validation of 100k objects) are O(1).
 */
export class Schema {
  /** apiVersion → kind → entry: two lookups of strings that keep their hash, where one of a joined key would build and hash a new string each time. */
  private readonly byApiVersionKind = new Map<string, Map<string, KindInfo>>();
  private readonly byKind = new Map<string, KindInfo[]>();
  private readonly byResource = new Map<string, KindInfo[]>();
  private readonly byApiVersion = new Map<string, KindInfo[]>();

  constructor(readonly data: SchemaData) {
    for (const k of data.kinds) {
      let kinds = this.byApiVersionKind.get(k.apiVersion);
      if (!kinds) this.byApiVersionKind.set(k.apiVersion, (kinds = new Map()));
      kinds.set(k.kind, k);
      if (k.listKind) continue;
      push(this.byKind, k.kind, k);
      push(this.byResource, k.group + '|' + k.resource, k);
      push(this.byApiVersion, k.apiVersion, k);
    }
  }

  /** The kind for an exact apiVersion and kind; never a guess. */
  kind(apiVersion: string, kind: string): KindInfo | undefined {
    return this.byApiVersionKind.get(apiVersion)?.get(kind);
  }

  /** Every served group/version that has this kind. */
  kindsByKind(kind: string): KindInfo[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Served kinds of one apiVersion. */
  kindsByApiVersion(apiVersion: string): KindInfo[] {
    return this.byApiVersion.get(apiVersion) ?? [];
  }

  /** Served versions of a group/resource (newest-first is not implied). */
  kindByResource(group: string, resource: string, version?: string): KindInfo | undefined {
    const list = this.byResource.get(group + '|' + resource);
    if (!list) return undefined;
    return version ? list.find((k) => k.version === version) : list[0];
  }

  /** All served (non-list) kinds. */
  servedKinds(): KindInfo[] {
    return this.data.kinds.filter((k) => !k.listKind);
  }

  def(id: string): TypeDef | undefined {
    return this.data.definitions[id];
  }

  /** The top-level type of a kind, as a TypeRef. */
  rootType(info: KindInfo): TypeRef {
    return { kind: 'object', ref: info.definition };
  }

  /**
   * Walks from an object's root along `path` (property names and list
   * indexes / map keys) and returns the type found there, with the field
   * definition when the last step was an object property.
   */
  fieldAt(apiVersion: string, kind: string, p: (string | number)[]): { field?: FieldDef; type: TypeRef } | undefined {
    const info = this.kind(apiVersion, kind);
    if (!info) return undefined;
    return this.walk({ kind: 'object', ref: info.definition }, p);
  }

  /** Same as fieldAt, from any starting type. */
  walk(start: TypeRef, p: (string | number)[]): { field?: FieldDef; type: TypeRef } | undefined {
    let type: TypeRef = start;
    let field: FieldDef | undefined;
    for (const step of p) {
      if (type.kind === 'array') {
        type = type.items;
        field = undefined;
        continue;
      }
      if (type.kind === 'map') {
        type = type.values;
        field = undefined;
        continue;
      }
      if (type.kind === 'object') {
        const def = this.data.definitions[type.ref];
        const f = def?.properties[String(step)];
        if (!f) return undefined;
        field = f;
        type = f.type;
        continue;
      }
      if (type.kind === 'any') return { type };
      return undefined;
    }
    return { field, type };
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

let cached: Schema | undefined;

/** Candidate places of schema.json: next to a bundle (dist/), or in the source tree. */
function locate(): string {
  const env = process.env.KUBEPLAY_SCHEMA;
  if (env) return env;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    for (const c of [path.join(dir, 'schema.json'), path.join(dir, 'kube', 'generated', 'schema.json')]) {
      if (fs.existsSync(c)) return c;
    }
    dir = path.dirname(dir);
  }
  throw new Error('kubeplay: schema.json not found (run `npm run build`)');
}

/** The process-wide schema, loaded on first use. */
export function getSchema(): Schema {
  if (!cached) cached = new Schema(JSON.parse(fs.readFileSync(locate(), 'utf8')) as SchemaData);
  return cached;
}

/** For tests and tools that load their own data. */
export function schemaFrom(data: SchemaData): Schema {
  return new Schema(data);
}
