/**
 * Reading the schema for people: type names, enum value notes and the
 * markdown shown by completion and hover for a field.
 */
import { apiStatusAt, REMOVED_APIS, removedApi } from '../../../kube/src/removed';
import type { Schema } from '../../../kube/src/schema/index';
import type { FieldDef, KindInfo, TypeRef } from '../../../kube/src/schema/types';
import { enumTextZh } from '../i18n/enums';
import { fieldTextZh } from '../i18n/fields';
import type { FieldPath } from './model';

export function typeName(t: TypeRef, schema?: Schema): string {
  switch (t.kind) {
    case 'object':
      return t.ref.split('.').pop() ?? t.ref;
    case 'primitive':
      return t.format ? `${t.type} (${t.format})` : t.type;
    case 'intOrString':
      return 'integer or string';
    case 'quantity':
      return 'quantity';
    case 'time':
      return 'time (RFC 3339)';
    case 'array':
      return `[]${typeName(t.items, schema)}`;
    case 'map':
      return `map[string]${typeName(t.values, schema)}`;
    default:
      return 'any';
  }
}

/** The description without the generated "Possible enum values" tail. */
export function mainDescription(d: string | undefined): string {
  if (!d) return '';
  const i = d.indexOf('\n\nPossible enum values:');
  return (i >= 0 ? d.slice(0, i) : d).trim();
}

/** Per-value notes from "Possible enum values:\n - `"Always"` means …". */
export function enumNotes(d: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!d) return out;
  const i = d.indexOf('Possible enum values:');
  if (i < 0) return out;
  for (const line of d.slice(i).split('\n')) {
    const m = /^\s*-\s*`"([^"]*)"`\s*(.*)$/.exec(line);
    if (m) out.set(m[1], m[2].trim());
  }
  return out;
}

/**
 * The field an enum value at `rest` (below the kind's root `definition`) belongs to, with the definition that owns
 * it: a list's item (an accessModes entry) belongs to the list's field.
 */
export function enumField(schema: Schema, definition: string, rest: FieldPath): { owner: string; name: string; field: FieldDef } | undefined {
  const n = typeof rest[rest.length - 1] === 'number' ? rest.length - 1 : rest.length;
  if (n < 1) return undefined;
  const parent = schema.walk({ kind: 'object', ref: definition }, rest.slice(0, n - 1))?.type;
  const name = String(rest[n - 1]);
  const field = parent?.kind === 'object' ? schema.def(parent.ref)?.properties[name] : undefined;
  return field && parent?.kind === 'object' ? { owner: parent.ref, name, field } : undefined;
}

/**
 * A value's note in the user's language: in Chinese, the project's text (i18n/enums.ts) where it wrote one, with
 * upstream's English note beside it as `upstream`; otherwise upstream's note.
 */
export function enumNote(owner: string | undefined, name: string, field: FieldDef | undefined, value: string, zh: boolean): { text?: string; upstream?: string } {
  const en = enumNotes(field?.description).get(value) || undefined;
  const cn = zh && owner ? enumTextZh(owner, name, value) : undefined;
  return cn ? { text: cn, upstream: en } : { text: en };
}

/** `spec.template.spec.containers[0].imagePullPolicy` */
export function formatPath(path: FieldPath): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s ? `.${seg}` : seg;
  }
  return s;
}

const urls = new Map<string, string>();

/**
 * Anchor of a definition in the one-page API reference, e.g. `#container-v1-core`,
 * `#replicaset-v1-apps`, `#priorityclass-v1-scheduling-k8s-io`, `#objectmeta-v1-meta`.
 * Callers pass the schema's version: the descriptions shown come from it, and
 * kubernetes.io only hosts the recent releases.
 */
export function referenceUrl(definition: string, kubernetesVersion: string, schema: Schema): string {
  const key = `${definition}|${kubernetesVersion}`;
  let url = urls.get(key);
  if (!url) urls.set(key, (url = computeUrl(definition, kubernetesVersion, schema)));
  return url;
}

function computeUrl(definition: string, kubernetesVersion: string, schema: Schema): string {
  const parts = definition.split('.');
  const name = parts[parts.length - 1].toLowerCase();
  const version = parts[parts.length - 2];
  const pkg = parts.slice(0, -1).join('.');
  let group = parts[parts.length - 3];
  if (pkg.startsWith('io.k8s.apimachinery.pkg.apis.meta')) group = 'meta';
  else {
    const owner = schema.data.kinds.find((k) => k.definition.startsWith(pkg + '.'));
    if (owner) {
      // A version the cluster no longer serves has no page in the reference kubernetes.io hosts: the
      // migration guide's section for the release that removed it says what replaces it.
      const apiVersion = owner.group ? `${owner.group}/${version}` : version;
      const kindName = parts[parts.length - 1];
      // DeploymentSpec is Deployment's: the kind whose name starts it, the longest such.
      const removed = removedApi(apiVersion, kindName) ?? REMOVED_APIS.filter((e) => e.apiVersion === apiVersion && kindName.startsWith(e.kind))
        .sort((a, b) => b.kind.length - a.kind.length)[0];
      if (removed?.removedIn && apiStatusAt(removed, kubernetesVersion) === 'removed') {
        return `https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v${removed.removedIn.replace('.', '-')}`;
      }
      group = owner.group === '' ? 'core' : owner.group.replace(/\./g, '-');
    }
  }
  return `https://kubernetes.io/docs/reference/generated/kubernetes-api/v${kubernetesVersion}/#${name}-${version}-${group}`;
}

/** The words around upstream's (English) descriptions, in the user's language. */
const WORDS = {
  en: { required: 'required', optional: 'optional', default: 'Default', allowed: 'Allowed values', path: 'Path', reference: 'API reference', colon: ': ', upstream: '' },
  zh: { required: '必填', optional: '可选', default: '默认值', allowed: '可选值', path: '路径', reference: 'API 参考', colon: '：', upstream: 'Kubernetes 文档原文：' },
};

/** The label upstream's English text goes under, last, in a Chinese hover or completion item. */
export const UPSTREAM_ZH = WORDS.zh.upstream;

/**
 * Markdown for a field: description, type, required, default, allowed values, path, reference link.
 * In Chinese, a field the project explains (i18n/fields.ts, by `owner` and name) gets that text first, and
 * upstream's English description moves below the facts, so a long one does not push the path and the
 * link out of the hover.
 */
export function fieldMarkdown(
  name: string,
  field: FieldDef | undefined,
  type: TypeRef,
  opts: { path?: FieldPath; owner?: string; schema: Schema; kubernetesVersion: string; kind?: KindInfo; zh?: boolean; defaultValue?: unknown; allowed?: (values: string[]) => string[]; allowedNote?: string },
): string {
  const w = opts.zh ? WORDS.zh : WORDS.en;
  const lines: string[] = [];
  lines.push(`**${name}**: \`${typeName(type, opts.schema)}\` — ${field?.required ? `**${w.required}**` : w.optional}`);
  const desc = mainDescription(field?.description ?? (type.kind === 'object' ? opts.schema.def(type.ref)?.description : undefined));
  const zh = opts.zh && opts.owner ? fieldTextZh(opts.owner, name) : undefined;
  if (zh) lines.push('', zh);
  else if (desc) lines.push('', desc);
  const facts: string[] = [];
  const dflt = opts.defaultValue !== undefined ? opts.defaultValue : field?.default;
  // A file mode reads as upstream writes it, in octal (0644), with the number YAML and JSON get beside it (420).
  const octal = typeof dflt === 'number' && Number.isInteger(dflt) && dflt > 0 && /\boctal\b/.test(field?.description ?? '');
  if (dflt !== undefined) facts.push(`${w.default}${w.colon}\`${octal ? `0${(dflt as number).toString(8)}` : JSON.stringify(dflt)}\`${octal ? ` (= ${dflt})` : ''}`);
  // A list of enum values (accessModes) lists its items' values.
  const item = type.kind === 'array' ? type.items : type;
  const schemaEnum = item.kind === 'primitive' ? item.enum : undefined;
  const en = schemaEnum && opts.allowed ? opts.allowed(schemaEnum) : schemaEnum;
  // Upstream's English notes of the values given in Chinese: they go below, with upstream's description.
  const replaced: string[] = [];
  if (en?.length) {
    const rows = en.flatMap((v) => {
      const note = enumNote(opts.owner, name, field, v, !!opts.zh);
      if (note.upstream) replaced.push(`- \`${v}\` ${note.upstream}`);
      // An unset value ("" of ipFamilies) says nothing without a note.
      return v === '' && !note.text ? [] : [`- \`${v}\`${note.text ? ' ' + note.text : ''}`];
    });
    facts.push(`${w.allowed}${w.colon.trim()}\n` + rows.join('\n') + (opts.allowedNote ? `\n\n${opts.allowedNote}` : ''));
  }
  if (opts.path) facts.push(`${w.path}${w.colon}\`${formatPath(opts.path)}\``);
  if (facts.length) lines.push('', ...facts.flatMap((f) => [f, '']));
  const def = opts.owner ?? (type.kind === 'object' ? type.ref : undefined);
  if (def) lines.push(`[${w.reference}](${referenceUrl(def, opts.kubernetesVersion, opts.schema)})`);
  const upstream = [zh ? desc : '', replaced.join('\n')].filter((x) => x);
  if (upstream.length) lines.push('', '---', '', `${w.upstream}${upstream.join('\n\n')}`);
  return lines.join('\n').trim();
}
