#!/usr/bin/env node
// Generates kube/generated/schema.json from the .d.ts files of the
// `kubernetes-models` package (upstream descriptions, enums, required
// markers for every group and version) and its apimachinery companion.
// Facts the .d.ts files do not carry (resource plurals, scope, short names,
// categories, patch merge keys) come from scripts/schema-facts.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { clusterScoped, shortNames, categories, irregularPlurals, mergeKeys, notServed } from './schema-facts.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
const machineryDir = path.join(modelsDir, '..', '@kubernetes-models', 'apimachinery');
const modelsVersion = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8')).version;
const outFile = path.join(root, 'kube', 'generated', 'schema.json');

/** Canonical export name (IIoK8s...) → special shapes that are not objects. */
const SPECIAL = {
  IIoK8sApimachineryPkgUtilIntstrIntOrString: { kind: 'intOrString' },
  IIoK8sApimachineryPkgApiResourceQuantity: { kind: 'quantity' },
  IIoK8sApimachineryPkgApisMetaV1Time: { kind: 'time' },
  IIoK8sApimachineryPkgApisMetaV1MicroTime: { kind: 'time' },
  IIoK8sApimachineryPkgRuntimeRawExtension: { kind: 'any' },
  IIoK8sApimachineryPkgApisMetaV1FieldsV1: { kind: 'any' },
  IIoK8sApiextensionsApiserverPkgApisApiextensionsV1JSON: { kind: 'any' },
  IIoK8sApiextensionsApiserverPkgApisApiextensionsV1beta1JSON: { kind: 'any' },
  IIoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaPropsOrArray: { kind: 'any' },
  IIoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaPropsOrBool: { kind: 'any' },
  IIoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaPropsOrStringArray: { kind: 'any' },
};

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== '_schemas' && e.name !== 'node_modules') walk(p, out); }
    else if (e.name.endsWith('.d.ts') && e.name !== 'index.d.ts') out.push(p);
  }
  return out;
}

/** OpenAPI-style id from a file's place in the package. */
function idFor(file) {
  if (file.startsWith(machineryDir)) {
    const rel = path.relative(machineryDir, file).replace(/\.d\.ts$/, '').split(path.sep);
    return 'io.k8s.apimachinery.pkg.' + rel.join('.');
  }
  const rel = path.relative(modelsDir, file).replace(/\.d\.ts$/, '').split(path.sep);
  const name = rel.pop();
  if (rel.length === 1) return `io.k8s.api.core.${rel[0]}.${name}`;
  const [group, version] = rel;
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${name}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}.${name}`;
  if (group === 'internal.apiserver.k8s.io') return `io.k8s.api.apiserverinternal.${version}.${name}`;
  return `io.k8s.api.${group.split('.')[0]}.${version}.${name}`;
}

function jsDoc(node) {
  const docs = node.jsDoc ?? [];
  const text = docs.map((d) => (typeof d.comment === 'string' ? d.comment : (d.comment ?? []).map((c) => c.text).join(''))).join('\n').trim();
  return text || undefined;
}

/** Reads "Defaults to X." out of an upstream description, when X is a plain value. */
function defaultFrom(description, type) {
  if (!description) return undefined;
  const m = /\bDefaults? (?:to|is) ([^\s,;]+?)(?:[.,;](?:\s|$)|\s|$)/.exec(description);
  if (!m) return undefined;
  // "Defaults to Always if :latest tag is specified, or IfNotPresent otherwise": a condition, not a default.
  // ("... if unset" is the default's own condition.)
  const after = description.slice(m.index + m[0].length - (/\s$/.test(m[0]) ? 1 : 0));
  if (!/\.\s*$/.test(m[0]) && /^\s*,?\s*(?:if|when|otherwise)\b/i.test(after) && !/^\s*,?\s*(?:if|when)\s+(?:it is\s+)?(?:unset|not set|not specified|unspecified|empty|omitted|nil)\b/i.test(after)) return undefined;
  const quoted = /^["'`]/.test(m[1]);
  let raw = m[1].replace(/^["'`]|["'`]$/g, '');
  if (type.kind === 'primitive') {
    if (type.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : undefined;
    if (type.type === 'integer' || type.type === 'number') {
      // File modes are written in octal upstream ("Defaults to 0644."): 0644 is 420, and 644 would be refused.
      const n = /^0[0-7]+$/.test(raw) ? parseInt(raw, 8) : Number(raw.replace(/s$/, ''));
      return Number.isFinite(n) ? n : undefined;
    }
    if (type.enum) return type.enum.includes(raw) ? raw : undefined;
    // Prose, not a value: "Defaults to the ...", "to empty string", "to no group", "to lowercased kind".
    if (!quoted && /^(?:the|a|an|empty|no|none|nil|lowercased|unset)$/i.test(raw)) return undefined;
    if (/^[A-Za-z0-9_./-]+$/.test(raw)) return raw;
    return undefined;
  }
  if (type.kind === 'intOrString') {
    if (/^\d+%$/.test(raw)) return raw;
    if (/^\d+$/.test(raw)) return Number(raw);
  }
  return undefined;
}

const canonicalToId = new Map();
const interfaces = []; // { id, decl, locals }
/** Inline object types (e.g. StatefulSetSpec.volumeClaimTemplates items), built after the walk. */
const inlineDefs = [];

const files = [...walk(modelsDir), ...walk(machineryDir)];
for (const file of files) {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const id = idFor(file);
  let localIface;
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) localIface = st;
    if (ts.isExportDeclaration(st) && st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if (el.name.text.startsWith('II')) canonicalToId.set(el.name.text, id);
      }
    }
  }
  if (localIface) interfaces.push({ id, decl: localIface, locals: new Map([[localIface.name.text, id]]) });
}

function typeRef(node, ctx) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword: return { kind: 'primitive', type: 'string' };
    case ts.SyntaxKind.NumberKeyword: return { kind: 'primitive', type: ctx.id.includes('JSONSchemaProps') ? 'number' : 'integer' };
    case ts.SyntaxKind.BooleanKeyword: return { kind: 'primitive', type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword: case ts.SyntaxKind.UnknownKeyword: return { kind: 'any' };
    case ts.SyntaxKind.ArrayType: return { kind: 'array', items: typeRef(node.elementType, ctx) };
    case ts.SyntaxKind.ParenthesizedType: return typeRef(node.type, ctx);
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { kind: 'primitive', type: 'string', enum: [node.literal.text] };
      return { kind: 'any' };
    case ts.SyntaxKind.UnionType: {
      const lits = node.types.filter((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)).map((t) => t.literal.text);
      if (lits.length === node.types.length) return { kind: 'primitive', type: 'string', enum: lits };
      const kinds = new Set(node.types.map((t) => t.kind));
      if (kinds.has(ts.SyntaxKind.StringKeyword) && kinds.has(ts.SyntaxKind.NumberKeyword)) return { kind: 'intOrString' };
      return { kind: 'any' };
    }
    case ts.SyntaxKind.TypeLiteral: {
      const idx = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      if (idx) return { kind: 'map', values: typeRef(idx.type, ctx) };
      if (node.members.some((m) => ts.isPropertySignature(m))) {
        // An object type written inline: give it a definition of its own.
        const id = `${ctx.id}.${ctx.field ?? 'item'}`;
        inlineDefs.push({ id, members: node.members, ctx: { ...ctx, id } });
        return { kind: 'object', ref: id };
      }
      return { kind: 'any' };
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length === 1) return { kind: 'array', items: typeRef(node.typeArguments[0], ctx) };
      if (SPECIAL[name]) return { ...SPECIAL[name] };
      const ref = canonicalToId.get(name) ?? ctx.locals?.get(name);
      if (ref) return { kind: 'object', ref };
      return { kind: 'any' };
    }
    default:
      return { kind: 'any' };
  }
}

const definitions = {};
const kinds = [];

/**
 * Defaults upstream's defaulting code sets that the field's description does not state (pkg/apis/core/v1/defaults.go):
 * SetDefaults_ProjectedVolumeSource gives defaultMode ProjectedVolumeSourceDefaultMode, 0644.
 */
const UNSTATED_DEFAULTS = { 'io.k8s.api.core.v1.ProjectedVolumeSource.defaultMode': 0o644 };

/** Properties of an interface or an inline object type. */
function propertiesOf(members, ctx) {
  const props = {};
  const required = [];
  for (const m of members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = m.name.getText().replace(/^"|"$/g, '');
    const type = typeRef(m.type, { ...ctx, field: name });
    const description = jsDoc(m);
    const field = { type };
    if (description) field.description = description;
    if (!m.questionToken) { field.required = true; required.push(name); }
    const def = defaultFrom(description, type) ?? UNSTATED_DEFAULTS[`${ctx.id}.${name}`];
    if (def !== undefined) field.default = def;
    props[name] = field;
  }
  return { props, required };
}

for (const { id, decl, locals } of interfaces) {
  const { props, required } = propertiesOf(decl.members, { id, locals });
  let apiVersion, kind;
  for (const [name, field] of Object.entries(props)) {
    const type = field.type;
    if (name === 'apiVersion' && type.enum?.length === 1) apiVersion = type.enum[0];
    if (name === 'kind' && type.enum?.length === 1) kind = type.enum[0];
  }
  // As in upstream's OpenAPI, apiVersion and kind are not required fields:
  // an object embedded as a template (volumeClaimTemplates) leaves them out.
  for (const name of ['apiVersion', 'kind']) {
    if (props[name]?.required && props[name].type.enum?.length === 1) {
      delete props[name].required;
      required.splice(required.indexOf(name), 1);
    }
  }
  // Top-level kinds name apiVersion and kind as literals; they are metadata
  // a user writes, not required "fields" in the usual sense.
  const td = { id, properties: props };
  const description = jsDoc(decl);
  if (description) td.description = description;
  if (required.length) td.required = required;
  definitions[id] = td;
  if (apiVersion && kind) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const listKind = kind.endsWith('List') && !!props.items;
    const resource = irregularPlurals[kind] ?? plural(kind.toLowerCase());
    const info = { group, version, apiVersion, kind, definition: id, resource, namespaced: !clusterScoped.has(kind) };
    if (listKind || notServed.has(`${group}/${kind}`) || notServed.has(kind)) info.listKind = true;
    if (shortNames[kind]) info.shortNames = shortNames[kind];
    if (categories[kind]) info.categories = categories[kind];
    kinds.push(info);
  }
}

// Inline object types: when one has the shape of a known kind (apiVersion,
// kind, metadata, spec of the same type) it is that kind's definition, as in
// upstream's OpenAPI; otherwise it gets a definition of its own.
while (inlineDefs.length) {
  const { id, members, ctx } = inlineDefs.shift();
  const { props, required } = propertiesOf(members, ctx);
  const specRef = props.spec?.type.kind === 'object' ? props.spec.type.ref : undefined;
  const same = specRef && props.metadata && Object.values(definitions).find((d) => d.properties.kind && d.properties.metadata && d.properties.spec?.type.ref === specRef);
  if (same) {
    retarget(id, same.id);
    continue;
  }
  definitions[id] = { id, properties: props, ...(required.length ? { required } : {}) };
}

/** Points every reference to `from` at `to`. */
function retarget(from, to) {
  const fix = (t) => {
    if (t.kind === 'object' && t.ref === from) t.ref = to;
    else if (t.kind === 'array') fix(t.items);
    else if (t.kind === 'map') fix(t.values);
  };
  for (const d of Object.values(definitions)) for (const f of Object.values(d.properties)) fix(f.type);
}

function plural(s) {
  if (/(s|x|z|ch|sh)$/.test(s)) return s + 'es';
  if (/[^aeiou]y$/.test(s)) return s.slice(0, -1) + 'ies';
  return s + 's';
}

// Patch merge keys and strategies: conditions lists are keyed by type
// everywhere upstream; the rest come from the facts table.
for (const td of Object.values(definitions)) {
  for (const [name, f] of Object.entries(td.properties)) {
    if (f.type.kind !== 'array') continue;
    const fact = mergeKeys[`${td.id.split('.').pop()}.${name}`];
    if (fact) Object.assign(f.type, fact);
    else if (name === 'conditions' && f.type.items.kind === 'object' && definitions[f.type.items.ref]?.properties.type) {
      Object.assign(f.type, { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] });
    }
  }
}
// Items referenced by definition ids resolved after every file was read: fix
// object refs to files that declared interfaces later in the walk.
const newest = newestVersion(kinds);
kinds.sort((a, b) => (a.group + a.version + a.kind).localeCompare(b.group + b.version + b.kind));
const data = { kubernetesVersion: newest, source: `kubernetes-models@${modelsVersion}`, definitions, kinds };
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const tmp = outFile + '.tmp';
fs.writeFileSync(tmp, JSON.stringify(data));
fs.renameSync(tmp, outFile);
console.log(`schema: ${Object.keys(definitions).length} definitions, ${kinds.filter((k) => !k.listKind).length} kinds, Kubernetes ${newest}, from kubernetes-models@${modelsVersion}`);

/**
 * The package does not state which Kubernetes release it was generated from,
 * so read it off the newest API it carries (facts: the release each of these
 * versions first appeared in).
 */
function newestVersion(ks) {
  const has = (av, kind) => ks.some((k) => k.apiVersion === av && k.kind === kind);
  const marks = [
    ['1.35', () => has('resource.k8s.io/v1', 'ResourceClaim') && has('storage.k8s.io/v1', 'VolumeAttributesClass') && has('certificates.k8s.io/v1beta1', 'PodCertificateRequest')],
    ['1.34', () => has('resource.k8s.io/v1', 'ResourceClaim')],
    ['1.33', () => has('networking.k8s.io/v1', 'ServiceCIDR')],
    ['1.32', () => has('resource.k8s.io/v1beta1', 'ResourceClaim')],
    ['1.31', () => has('storage.k8s.io/v1beta1', 'VolumeAttributesClass') && has('coordination.k8s.io/v1alpha1', 'LeaseCandidate')],
    ['1.30', () => has('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy')],
  ];
  for (const [v, test] of marks) if (test()) return v;
  return '1.29';
}
