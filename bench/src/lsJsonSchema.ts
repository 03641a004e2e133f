/**
 * Converts kubeplay's generated schema to one JSON Schema (draft-07) so that
 * yaml-language-server can be fed the very same types for the comparison:
 * each kind is selected by `if: {apiVersion, kind}` / `then: $ref`, the
 * exact choice kubeplay makes, rather than a `oneOf` guess over all kinds.
 */
import type { SchemaData, TypeDef, TypeRef } from '../../kube/src/schema/types';

type JS = Record<string, unknown>;

function ref(t: TypeRef): JS {
  switch (t.kind) {
    case 'object': return { $ref: `#/definitions/${t.ref}` };
    case 'primitive': return { type: t.type, ...(t.enum ? { enum: t.enum } : {}), ...(t.format ? { format: t.format } : {}) };
    case 'intOrString': return { oneOf: [{ type: 'integer' }, { type: 'string' }] };
    case 'quantity': return { oneOf: [{ type: 'string' }, { type: 'number' }] };
    case 'time': return { type: 'string' };
    case 'array': return { type: 'array', items: ref(t.items) };
    case 'map': return { type: 'object', additionalProperties: ref(t.values) };
    default: return {};
  }
}

function def(d: TypeDef): JS {
  const properties: JS = {};
  const required = new Set(d.required ?? []);
  for (const [k, f] of Object.entries(d.properties)) {
    properties[k] = f.description ? { ...ref(f.type), description: f.description } : ref(f.type);
    if (f.required) required.add(k);
  }
  return { type: 'object', description: d.description, properties, ...(required.size ? { required: [...required] } : {}), additionalProperties: false };
}

export function toJsonSchema(data: SchemaData): JS {
  const definitions: JS = {};
  for (const [id, d] of Object.entries(data.definitions)) definitions[id] = def(d);
  const allOf = data.kinds.filter((k) => !k.listKind).map((k) => ({
    if: { properties: { apiVersion: { const: k.apiVersion }, kind: { const: k.kind } }, required: ['apiVersion', 'kind'] },
    then: { $ref: `#/definitions/${k.definition}` },
  }));
  return { $schema: 'http://json-schema.org/draft-07/schema#', definitions, allOf };
}
