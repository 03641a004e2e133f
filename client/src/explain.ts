import { getSchema, TypeRef } from '../../kube/src/schema';

/** A TypeRef as kubectl explain names it: `<integer>`, `<[]Container>`, `<map[string]string>`, `<Object>`. */
function typeName(t: TypeRef): string {
  switch (t.kind) {
    case 'object': return t.ref.split('.').pop() ?? 'Object';
    case 'primitive': return t.type;
    case 'intOrString': return 'IntOrString';
    case 'quantity': return 'Quantity';
    case 'time': return 'string';
    case 'array': return `[]${typeName(t.items)}`;
    case 'map': return `map[string]${typeName(t.values)}`;
    default: return 'Object';
  }
}

/** Upstream's version order: GA before beta before alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1). */
function versionPriority(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
  return stage * 1e6 + Number(m[1]) * 1e3 + Number(m[3] ?? 0);
}

function indent(text: string | undefined, by: string): string {
  return (text ?? '<empty>').split('\n').map((l) => (l ? by + l : '')).join('\n');
}

/**
 * `kubectl explain <kind>.<path>` from the bundled schema: the field's type
 * and description, then the fields of its type (one level, as kubectl does).
 */
export function explain(apiVersion: string | undefined, kind: string, path: (string | number)[]): string | undefined {
  const schema = getSchema();
  const lower = kind.toLowerCase();
  const candidates = schema.servedKinds().filter((k) => k.kind.toLowerCase() === lower || k.resource === lower || k.shortNames?.includes(lower));
  const info = (apiVersion ? schema.kind(apiVersion, kind) : undefined) ?? candidates.sort((a, b) => versionPriority(b.version) - versionPriority(a.version))[0];
  if (!info) return undefined;
  const found = path.length ? schema.fieldAt(info.apiVersion, info.kind, path) : { type: schema.rootType(info) as TypeRef, field: undefined };
  if (!found) return undefined;
  let base: TypeRef = found.type;
  while (base.kind === 'array' || base.kind === 'map') base = base.kind === 'array' ? base.items : base.values;
  const def = base.kind === 'object' ? schema.def(base.ref) : undefined;
  const lines: string[] = [];
  if (info.group) lines.push(`GROUP:      ${info.group}`);
  lines.push(`KIND:       ${info.kind}`, `VERSION:    ${info.version}`, '');
  const names = path.filter((p) => typeof p === 'string');
  if (names.length) lines.push(`FIELD: ${names[names.length - 1]} <${typeName(found.type)}>`, '');
  lines.push('DESCRIPTION:', indent(found.field?.description ?? def?.description, '    '));
  if (found.field?.default !== undefined) lines.push('', `DEFAULT: ${JSON.stringify(found.field.default)}`);
  if (found.type.kind === 'primitive' && found.type.enum?.length) lines.push('', 'ENUM:', ...found.type.enum.map((e) => `    ${e}`));
  if (def && Object.keys(def.properties).length) {
    lines.push('', 'FIELDS:');
    const required = new Set(def.required ?? []);
    for (const [name, f] of Object.entries(def.properties).sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`  ${name}\t<${typeName(f.type)}>${required.has(name) || f.required ? ' -required-' : ''}`);
      lines.push(indent(f.description, '    '), '');
    }
  }
  return lines.join('\n') + '\n';
}
