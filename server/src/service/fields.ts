/**
 * Reading the schema for people: type names, enum value notes and the
 * markdown shown by completion and hover for a field.
 */
import { apiStatusAt, REMOVED_APIS, removedApi } from '../../../kube/src/removed';
import type { Schema } from '../../../kube/src/schema/index';
import type { FieldDef, KindInfo, TypeRef } from '../../../kube/src/schema/types';
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
  opts: { path?: FieldPath; owner?: string; schema: Schema; kubernetesVersion: string; kind?: KindInfo; zh?: boolean; defaultValue?: unknown; allowed?: (values: string[]) => string[] },
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
  const schemaEnum = type.kind === 'primitive' ? type.enum : undefined;
  const en = schemaEnum && opts.allowed ? opts.allowed(schemaEnum) : schemaEnum;
  if (en?.length) {
    const notes = enumNotes(field?.description);
    facts.push(`${w.allowed}${w.colon.trim()}\n` + en.map((v) => `- \`${v}\`${notes.get(v) ? ' ' + notes.get(v) : ''}`).join('\n'));
  }
  if (opts.path) facts.push(`${w.path}${w.colon}\`${formatPath(opts.path)}\``);
  if (facts.length) lines.push('', ...facts.flatMap((f) => [f, '']));
  const def = opts.owner ?? (type.kind === 'object' ? type.ref : undefined);
  if (def) lines.push(`[${w.reference}](${referenceUrl(def, opts.kubernetesVersion, opts.schema)})`);
  if (zh && desc) lines.push('', '---', '', `${w.upstream}${desc}`);
  return lines.join('\n').trim();
}
