/**
 * Completion: keys valid at the cursor, values a field accepts, names that a
 * reference may point at, and whole-object skeletons. Works per document of
 * a multi-document file and only touches the document under the cursor.
 */
import { goYamlBool, goYamlInt } from '../../../kube/src/kubeYaml';
import { apiStatusAt, removedApi } from '../../../kube/src/removed';
import type { FieldDef, KindInfo, TypeRef } from '../../../kube/src/schema/types';
import { isZh, resolve, shapeKey, type ServiceContext } from './context';
import { enumField, enumNote, fieldMarkdown, mainDescription, typeName, UPSTREAM_ZH } from './fields';
import { fieldTextZh } from '../i18n/fields';
import { kindExplanation } from './i18n';
import type { FieldPath, Model, ModelDocument, PathAt, Position, Range } from './model';
import { ItemKind, type CompletionItem, type CompletionList } from './protocol';
import { containerOf, containerPorts, probePortKind, isServiceTargetPort, isVolumeMountName, referencedKind, selectedWorkloads, volumeNames } from './references';
import { SKELETONS } from './snippets';
import { ANNOTATIONS, CRON_SCHEDULES, LABEL_KEYS, NODE_LABELS, POD_ANNOTATIONS, POD_SECURITY_LABELS, POD_SECURITY_VALUES, QUOTA_KEYS, RESOURCE_NAMES, SECRET_TYPES, TIME_ZONES, isPodMetadata, nodeLabelsAt } from './wellKnown';
import { rbacValues } from './completionRbac';
import { ENV_DOCS } from './imageHover';
import { imageEnvVars } from './imageEnv';
import { get } from './workspace';
import { allowedValues, restrictionNote, shortNote, valueDefault } from './enumValues';

export function doComplete(model: Model, pos: Position, ctx: ServiceContext): CompletionList {
  const doc = model.documentAt(pos);
  if (!doc) return { isIncomplete: false, items: snippets(ctx, { start: pos, end: pos }) };
  let at = doc.pathAt(pos);
  // `spec:⏎  c|` parses as `spec: c`; under a key that holds an object or a map, the word is the first key.
  if (at.asKey) {
    const t = resolve(doc, at.path, ctx.schema)?.type;
    if (t?.kind === 'object' || t?.kind === 'map') at = at.asKey;
  }
  // A bare word in an empty document (`Depl|`) is the start of a key or a skeleton.
  const bareRoot = at.on === 'value' && at.path.length === 0 && !at.fresh;
  const items = at.on === 'key' ? keyItems(doc, at, ctx) : bareRoot ? keyItems(doc, at, ctx, []) : valueItems(doc, at, ctx);
  // Right after `key:` (completion triggered by the colon) a value needs its space.
  if (at.on === 'value' && at.range.start.character > 0 && doc.lineText(at.range.start.line)[at.range.start.character - 1] === ':') {
    for (const it of items) if (it.textEdit) it.textEdit.newText = ' ' + it.textEdit.newText;
  }
  // In a quoted value (`""` closed by the editor, or `"` not closed yet) the client filters by the text from the
  // quote to the cursor: the items' filter text starts with that quote too.
  const quote = at.on === 'value' && (at.text[0] === '"' || at.text[0] === "'") ? at.text[0] : '';
  if (quote) for (const it of items) it.filterText = quote + (it.filterText ?? it.label);
  return { isIncomplete: false, items };
}

function keyItems(doc: ModelDocument, at: PathAt, ctx: ServiceContext, container = at.path.slice(0, -1)): CompletionItem[] {
  const typed = at.on === 'key' ? String(at.path[at.path.length - 1] ?? '') : at.text;
  const r = resolve(doc, container, ctx.schema);
  // `- |` in a list of scalars (accessModes, args): values, not keys.
  if (r?.type && r.type.kind !== 'object' && typeof container[container.length - 1] === 'number' && typed === '') {
    return valueItems(doc, { ...at, path: container, on: 'value' }, ctx);
  }
  const atRoot = !r ? container.length === 0 : r.rest.length === 0;
  if (!r || !r.info) {
    if (!atRoot) return [];
    const present = new Set(Object.keys(asRecord(r?.object.value) ?? {}));
    const basics = ['apiVersion', 'kind', 'metadata'].filter((k) => !present.has(k) || k === typed).map((k, i) => ({
      label: k,
      kind: ItemKind.Property,
      sortText: `0${i}`,
      documentation: { kind: 'markdown' as const, value: BASIC_DOCS[k] },
      textEdit: { range: at.range, newText: k === 'metadata' ? 'metadata:\n  name: ' : `${k}: ` },
    }));
    const onlyBlank = !r || Object.keys(r.object.value).every((k) => k === typed);
    return onlyBlank && at.range.start.character === 0 ? [...basics, ...snippets(ctx, at.range)] : basics;
  }
  const type = r.type;
  if (type?.kind === 'map') return mapKeyItems(r.rest, type.values.kind, asRecord(get(r.object.value, r.rest)) ?? {}, typed, at.range, r.object.kind, isZh(ctx.locale), r.object.value);
  if (!type || type.kind !== 'object') return [];
  const def = ctx.schema.def(type.ref);
  if (!def) return [];
  const present = asRecord(get(r.object.value, r.rest)) ?? {};
  const items: CompletionItem[] = [];
  // An app or ephemeral container may not set restartPolicy (only a sidecar, an init container, does).
  const appContainer = r.rest.length >= 2 && typeof r.rest[r.rest.length - 1] === 'number' && (r.rest[r.rest.length - 2] === 'containers' || r.rest[r.rest.length - 2] === 'ephemeralContainers');
  for (const [name, field] of Object.entries(def.properties)) {
    if (name in present && name !== typed) continue;
    if (r.rest.length === 0 && (name === 'status')) continue;
    if (appContainer && (name === 'restartPolicy' || name === 'restartPolicyRules')) continue;
    items.push({
      label: name,
      kind: ItemKind.Property,
      detail: `${typeName(field.type)}${field.required ? ' (required)' : ''}`,
      sortText: `${field.required ? 0 : 1}${name}`,
      documentation: { kind: 'markdown', value: fieldMarkdown(name, field, field.type, { path: [...container, name], owner: type.ref, schema: ctx.schema, kubernetesVersion: ctx.schema.data.kubernetesVersion, zh: isZh(ctx.locale) }) },
      textEdit: { range: at.range, newText: at.flow ? flowKeyInsert(name, field) : keyInsert(name, field, ctx) },
      insertTextFormat: 2,
      filterText: name,
    });
  }
  return items;
}

/** Inside `{…}` a key and its value stay on the line, in flow style. */
function flowKeyInsert(name: string, field: FieldDef): string {
  const t = field.type;
  if (t.kind === 'object' || t.kind === 'map') return `${name}: {$0}`;
  if (t.kind === 'array') return `${name}: [$0]`;
  if (t.kind === 'primitive' && t.enum?.length) return `${name}: \${1|${t.enum.filter((v) => v !== '').map(escapeChoice).join(',')}|}`;
  return `${name}: $0`;
}

function keyInsert(name: string, field: FieldDef, ctx: ServiceContext): string {
  const t = field.type;
  switch (t.kind) {
    case 'object': {
      const def = ctx.schema.def(t.ref);
      return def && Object.keys(def.properties).length === 0 ? `${name}: {}` : `${name}:\n  $0`;
    }
    case 'map':
      return `${name}:\n  $0`;
    case 'array':
      return `${name}:\n  - $0`;
    case 'primitive':
      if (t.enum?.length) return `${name}: \${1|${t.enum.filter((v) => v !== '').map(escapeChoice).join(',')}|}`;
      if (t.type === 'boolean') return `${name}: \${1|true,false|}`;
      return `${name}: $0`;
    default:
      return `${name}: $0`;
  }
}

function escapeChoice(s: string): string {
  return s.replace(/[\\,|$}]/g, (c) => '\\' + c);
}

function valueItems(doc: ModelDocument, at: PathAt, ctx: ServiceContext): CompletionItem[] {
  const r = resolve(doc, at.path, ctx.schema);
  if (!r) return [];
  const range = at.range;
  // `- ngi|` in a list of objects: the start of a key in a new item.
  if (typeof at.path[at.path.length - 1] === 'number' && r.type?.kind === 'object') return keyItems(doc, at, ctx, at.path);
  const value = (label: string, doc: string, kind: number = ItemKind.Value, extra: Partial<CompletionItem> = {}): CompletionItem => ({
    label,
    kind,
    documentation: { kind: 'markdown', value: doc },
    textEdit: { range, newText: label },
    ...extra,
  });
  const rest = r.rest;
  const obj = r.object;
  if (rest.length === 1 && rest[0] === 'apiVersion') return apiVersionItems(obj.kind, ctx, range);
  if (rest.length === 1 && rest[0] === 'kind') return kindItems(obj.apiVersion, ctx, range);
  const shape = shapeKey(rest);
  const out: CompletionItem[] = [];

  if (isVolumeMountName(shape)) {
    const c = containerOf(rest);
    if (c) for (const v of volumeNames(obj.value, c.podSpec)) out.push(value(v.name, `Volume \`${v.name}\` declared in this pod's \`volumes\`.`, ItemKind.Reference));
  }
  const probe = probePortKind(shape);
  if (probe) {
    const c = containerOf(rest);
    if (c) for (const p of containerPorts(obj.value, c.container)) {
      if (p.name && probe === 'named') out.push(value(p.name, `Named port of this container: \`${p.name}\` = ${p.containerPort}.`, ItemKind.Reference, { sortText: '0' + p.name }));
      out.push(value(String(p.containerPort), `Port ${p.containerPort}${p.name ? ` (\`${p.name}\`)` : ''} of this container.`, ItemKind.Reference, { sortText: '1' + p.containerPort }));
    }
  }
  if (isServiceTargetPort(obj.kind, shape)) {
    const sel = asRecord(get(obj.value, ['spec', 'selector'])) as Record<string, string> | undefined;
    const seen = new Set<string>();
    for (const w of selectedWorkloads(ctx.workspace, sel, obj.namespace)) {
      for (const c of w.podTemplate!.containers) for (const p of c.ports) {
        for (const label of [p.name, String(p.containerPort)]) {
          if (!label || seen.has(label)) continue;
          seen.add(label);
          out.push(value(label, `Port ${p.containerPort}${p.name ? ` (\`${p.name}\`)` : ''} of container \`${c.name}\` in ${w.kind} \`${w.name}\`.`, ItemKind.Reference, { sortText: (p.name === label ? '0' : '1') + label }));
        }
      }
    }
  }
  // The playground's resource-use variables (docs/images.md), offered where a container's env names a variable.
  if (/(containers|initContainers)\[\]\.env\[\]\.name$/.test(shape)) {
    const zh = isZh(ctx.locale);
    // The variables the container's own image reads (the official database images'), first; those it sets already left out.
    const container = asRecord(get(obj.value, rest.slice(0, -3)));
    const named = new Set((Array.isArray(container?.env) ? container!.env : []).map((e: any) => e?.name));
    imageEnvVars(container?.image).forEach(([name, en, cn], i) => {
      if (!named.has(name)) out.push(value(name, `${zh ? '**镜像读取的变量：**' : '**Read by the image:**'} ${zh ? cn : en}`, ItemKind.Value, { sortText: `0${String(i).padStart(2, '0')}` }));
    });
    for (const [name, [en, cn]] of Object.entries(ENV_DOCS)) {
      out.push(value(name, `${zh ? '**Kubeplay 模拟集群：**' : '**Kubeplay playground:**'} ${zh ? cn : en}`, ItemKind.Value, { sortText: `z${name}` }));
    }
  }
  const rbac = rbacValues(obj.kind, shape, rest, obj.value, ctx.schema, ctx.settings.kubernetesVersion, isZh(ctx.locale));
  // A bare `*` would start a YAML alias: it goes in quoted.
  if (rbac) for (const v of rbac) out.push(value(v.label, v.doc, ItemKind.Value, { textEdit: { range, newText: yamlString(v.label) } }));
  const refKind = referencedKind(shape, obj, rest);
  if (refKind) {
    const seen = new Set<string>();
    for (const o of ctx.workspace.byKind(refKind)) {
      if (!o.name || seen.has(o.name) || (o.namespace && obj.namespace && o.namespace !== obj.namespace)) continue;
      seen.add(o.name);
      out.push(value(o.name, `${refKind} \`${o.name}\` defined in \`${shortUri(o.uri)}\`${o.namespace ? ` (namespace \`${o.namespace}\`)` : ''}.`, ItemKind.Reference));
    }
    if (refKind === 'ServiceAccount' && !seen.has('default')) {
      out.push(value('default', 'The ServiceAccount every namespace has; pods run as it when they name none.', ItemKind.Reference));
    }
    if (refKind === 'IngressClass' && !seen.has('nginx')) {
      out.push(value('nginx', isZh(ctx.locale)
        ? 'ingress-nginx 控制器（`k8s.io/ingress-nginx`）的 IngressClass；Kubeplay 的 ingress-nginx 插件会创建它。'
        : 'The IngressClass of the ingress-nginx controller (`k8s.io/ingress-nginx`); Kubeplay\'s ingress-nginx add-on creates it.', ItemKind.Reference));
    }
  }
  // An Ingress backend's port: the ports of the Service it names.
  const portField = obj.kind === 'Ingress' ? /(^|\.)(defaultBackend|backend)\.service\.port\.(number|name)$/.exec(shape)?.[3] : undefined;
  if (portField) {
    const svcName = get(obj.value, [...rest.slice(0, -2), 'name']);
    const svc = ctx.workspace.byKind('Service').find((o) => o.name === svcName && (!o.namespace || !obj.namespace || o.namespace === obj.namespace));
    for (const p of svc?.servicePorts ?? []) {
      const label = portField === 'number' ? String(p.port) : p.name;
      if (label) out.push(value(label, `Port ${p.port}${p.name ? ` (\`${p.name}\`)` : ''} of Service \`${svc!.name}\`.`, ItemKind.Reference));
    }
  }
  // A Namespace's Pod Security labels take a level or a version.
  const psa = obj.kind === 'Namespace' && rest.length === 3 && rest[0] === 'metadata' && rest[1] === 'labels' && typeof rest[2] === 'string' && rest[2].startsWith('pod-security.kubernetes.io/') ? rest[2] : undefined;
  if (psa) for (const [v, en, cn] of POD_SECURITY_VALUES[psa.endsWith('-version') ? 'version' : 'level']) out.push(value(v, isZh(ctx.locale) ? cn : en));
  // A CronJob's schedule: the descriptors and a few common five-field forms (`@hourly`, `*/5 …` go quoted).
  if (obj.kind === 'CronJob' && rest.length === 2 && rest[0] === 'spec' && (rest[1] === 'schedule' || rest[1] === 'timeZone')) {
    const rows = rest[1] === 'schedule' ? CRON_SCHEDULES : TIME_ZONES;
    rows.forEach(([v, en, cn], i) => out.push(value(v, isZh(ctx.locale) ? cn : en, ItemKind.Value,
      { sortText: String(i).padStart(2, '0'), textEdit: { range, newText: yamlString(v) } })));
  }
  // A topologyKey (pod affinity terms, spread constraints) and a node affinity requirement's key: well-known node labels.
  const nodeLabelRows = nodeLabelsAt(shape);
  if (nodeLabelRows) nodeLabelRows.forEach(([v, en, cn], i) => out.push(value(v, isZh(ctx.locale) ? cn : en, ItemKind.Value, { sortText: String(i).padStart(2, '0') })));
  // A node selector term's matchFields: `metadata.name` is the one field there is.
  if (/(^|\.)nodeAffinity\..*matchFields\[\]\.key$/.test(shape)) {
    out.push(value('metadata.name', isZh(ctx.locale) ? '节点选择条件的 matchFields 只支持这一个字段：节点名（值只能写一个）。' : 'The one field a node selector term\'s matchFields can match: the node\'s name (one value).'));
  }
  // A Secret's type is a free string with well-known values, each with what it requires.
  if (obj.kind === 'Secret' && rest.length === 1 && rest[0] === 'type') {
    SECRET_TYPES.forEach(([v, en, cn], i) => out.push(value(v, isZh(ctx.locale) ? cn : en, ItemKind.EnumMember, { sortText: String(i).padStart(2, '0') })));
  }
  const t = r.type;
  if (t) out.push(...typeValues(t, ctx, r.info, rest, range, obj.value));
  return out;
}

function typeValues(t: TypeRef, ctx: ServiceContext, info: KindInfo | undefined, rest: FieldPath, range: Range, obj?: unknown): CompletionItem[] {
  if (t.kind !== 'primitive' || !info) return [];
  const parent = ctx.schema.walk({ kind: 'object', ref: info.definition }, rest.slice(0, -1))?.type;
  const field = rest.length && parent?.kind === 'object' ? ctx.schema.def(parent.ref)?.properties[String(rest[rest.length - 1])] : ctx.schema.walk({ kind: 'object', ref: info.definition }, rest)?.field;
  if (t.enum?.length) {
    // A list's item (an accessModes entry) is described by the list's field.
    const owner = enumField(ctx.schema, info.definition, rest);
    const desc = mainDescription((owner?.field ?? field)?.description);
    const zh = isZh(ctx.locale);
    // In Chinese, the project's texts first (the value's note, the field's explanation) and upstream's English last, as in a hover.
    const fieldZh = zh && owner ? fieldTextZh(owner.owner, owner.name) : undefined;
    const why = restrictionNote(info.kind, rest, obj, zh);
    const dflt = valueDefault(owner?.name ?? '', owner?.field ?? field, obj, rest);
    // An enum's "" (IPFamily's unset value) is no value one can pick: it is not offered.
    return allowedValues(t.enum, info.kind, rest, obj).filter((v) => v !== '').map((v, i) => {
      const note = enumNote(owner?.owner, owner?.name ?? '', owner?.field ?? field, v, zh);
      const upstream = [note.upstream ? `\`${v}\` ${note.upstream}` : '', fieldZh ? desc : ''].filter((x) => x).join('\n\n');
      const doc = `\`${v}\`${note.text ? ' ' + note.text : ''}\n\n${why ? why + '\n\n' : ''}${fieldZh ?? desc}`.trim();
      const isDefault = v === dflt;
      const item: CompletionItem = {
        label: v,
        kind: ItemKind.EnumMember,
        sortText: String(i).padStart(3, '0'),
        documentation: { kind: 'markdown' as const, value: upstream ? `${doc}\n\n---\n\n${UPSTREAM_ZH}${upstream}` : doc },
        textEdit: { range, newText: yamlString(v) },
      };
      if (isDefault) item.preselect = true;
      // Beside the label, where the client shows it (LSP 3.17): the default, and the note's first clause.
      if (ctx.labelDetails && (isDefault || note.text)) {
        item.labelDetails = { ...(isDefault ? { detail: zh ? ' （默认）' : ' (default)' } : {}), ...(note.text ? { description: shortNote(note.text, zh) } : {}) };
      }
      return item;
    });
  }
  if (t.type === 'boolean') {
    return ['true', 'false'].map((v) => ({
      label: v,
      kind: ItemKind.Value,
      documentation: { kind: 'markdown' as const, value: mainDescription(field?.description) || 'boolean' },
      textEdit: { range, newText: v },
    }));
  }
  return [];
}

/**
 * A string value as it must be written to stay that string: plain when YAML, read as kubectl reads it (YAML 1.1
 * booleans and integers, kube/src/kubeYaml.ts), gives it back unchanged, double-quoted otherwise. A plain scalar
 * may not start with an indicator (YAML 1.2 §5.3: `@` and backquote are reserved, `*` starts an alias, …); a
 * value with a space (a cron schedule) is quoted too, as the Kubernetes docs write it.
 */
export function yamlString(v: string): string {
  const plain = v !== '' && !/[\s]|^[-?:,[\]{}#&*!|>'"%@`]|:$/.test(v) && goYamlBool(v) === undefined && goYamlInt(v) === undefined
    && !/^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(v);
  return plain ? v : JSON.stringify(v);
}

function statusNote(apiVersion: string, kind: string, ctx: ServiceContext): { text: string; deprecated: boolean } {
  const entry = removedApi(apiVersion, kind);
  if (!entry) return { text: '', deprecated: false };
  const st = apiStatusAt(entry, ctx.settings.kubernetesVersion);
  const zh = isZh(ctx.locale);
  const repl = entry.replacement ? (zh ? `，请改用 \`${entry.replacement}\`` : `; use \`${entry.replacement}\``) : '';
  if (st === 'removed') return { text: zh ? `已在 ${entry.removedIn} 中移除${repl}。` : `Removed in ${entry.removedIn}${repl}.`, deprecated: true };
  if (st === 'deprecated') return { text: zh ? `自 ${entry.deprecatedIn} 起已弃用${repl}。` : `Deprecated since ${entry.deprecatedIn}${repl}.`, deprecated: true };
  return { text: '', deprecated: false };
}

/**
 * Without a kind, a group-version is tagged deprecated when every kind it holds is deprecated or no longer served at
 * the configured release (`extensions/v1beta1`), each kind with its own note; one live kind leaves it untagged.
 */
function groupVersionNote(apiVersion: string, ctx: ServiceContext): { text: string; deprecated: boolean } {
  const lines: string[] = [];
  for (const k of ctx.schema.kindsByApiVersion(apiVersion)) {
    if (k.listKind) continue;
    const st = statusNote(apiVersion, k.kind, ctx);
    if (!st.deprecated) return { text: '', deprecated: false };
    lines.push(`- ${k.kind}: ${st.text}`);
  }
  return lines.length ? { text: lines.join('\n'), deprecated: true } : { text: '', deprecated: false };
}

function apiVersionItems(kind: string | undefined, ctx: ServiceContext, range: Range): CompletionItem[] {
  const infos = kind ? ctx.schema.kindsByKind(kind) : ctx.schema.servedKinds();
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const k of infos) {
    if (seen.has(k.apiVersion)) continue;
    seen.add(k.apiVersion);
    const st = kind ? statusNote(k.apiVersion, kind, ctx) : groupVersionNote(k.apiVersion, ctx);
    const kinds = kind ? kind : ctx.schema.kindsByApiVersion(k.apiVersion).map((x) => x.kind).slice(0, 12).join(', ');
    out.push({
      label: k.apiVersion,
      kind: ItemKind.Module,
      sortText: `${st.deprecated ? 1 : 0}${/alpha|beta/.test(k.version) ? 1 : 0}${k.apiVersion}`,
      detail: kind ? `${kind} ${k.apiVersion}` : undefined,
      documentation: { kind: 'markdown', value: `\`${k.apiVersion}\` — ${kinds}${st.text ? '\n\n' + st.text : ''}` },
      textEdit: { range, newText: k.apiVersion },
      ...(st.deprecated ? { tags: [1] } : {}),
    });
  }
  return out;
}

function kindItems(apiVersion: string | undefined, ctx: ServiceContext, range: Range): CompletionItem[] {
  const known = apiVersion ? ctx.schema.kindsByApiVersion(apiVersion) : [];
  const infos = known.length ? known : ctx.schema.servedKinds();
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const k of infos) {
    if (seen.has(k.kind)) continue;
    seen.add(k.kind);
    const expl = kindExplanation(k.kind, ctx.locale);
    const def = ctx.schema.def(k.definition);
    out.push({
      label: k.kind,
      kind: ItemKind.Class,
      detail: known.length ? `${k.apiVersion} ${k.kind}` : undefined,
      documentation: { kind: 'markdown', value: expl ?? (mainDescription(def?.description) || `${k.kind} (${k.apiVersion})`) },
      textEdit: { range, newText: k.kind },
    });
  }
  return out;
}

function snippets(ctx: ServiceContext, range: Range): CompletionItem[] {
  return SKELETONS.map((s) => ({
    label: `${s.kind} (${s.apiVersion})`,
    filterText: s.kind,
    kind: ItemKind.Snippet,
    detail: isZh(ctx.locale) ? `${s.kind} 完整骨架` : `Complete ${s.kind} skeleton`,
    sortText: `2${s.kind}`,
    documentation: { kind: 'markdown', value: `${kindExplanation(s.kind, ctx.locale) ?? ''}\n\n\`\`\`yaml\n${s.body.replace(/\$\{\d+[:|]([^}|,]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '…')}\n\`\`\``.trim() },
    textEdit: { range, newText: s.body },
    insertTextFormat: 2 as const,
  }));
}

/** A table of [name, English, Chinese] as [name, text] in the locale. */
const pick = (rows: [string, string, string][], zh: boolean): [string, string][] => rows.map(([k, en, cn]) => [k, zh ? cn : en]);

/** Keys of free-form maps that still have usual names: resource names, recommended labels. */
function mapKeyItems(rest: FieldPath, valueKind: string, present: Record<string, unknown>, typed: string, range: Range, kind?: string, zh = false, objValue?: unknown): CompletionItem[] {
  const last = rest[rest.length - 1];
  let names: [string, string][] = [];
  if (valueKind === 'quantity' && last === 'hard' && kind === 'ResourceQuota') names = QUOTA_KEYS.map(([k, en, cn]) => [k, zh ? cn : en]);
  // A claim asks for storage and a volume holds it: nothing else means anything there.
  else if (valueKind === 'quantity' && (kind === 'PersistentVolumeClaim' || kind === 'PersistentVolume' || rest.includes('volumeClaimTemplates') || rest.includes('volumeClaimTemplate'))
    && (last === 'limits' || last === 'requests' || last === 'capacity')) names = pick(RESOURCE_NAMES.filter(([n]) => n === 'storage'), zh);
  // A typed Secret's keys: the ones its type requires.
  else if (kind === 'Secret' && (last === 'data' || last === 'stringData') && rest.length === 1) {
    const t = asRecord(objValue)?.type;
    names = pick(SECRET_TYPES.find(([v]) => v === t)?.[3] ?? [], zh);
  }
  else if (valueKind === 'quantity' && (last === 'limits' || last === 'requests' || last === 'capacity' || last === 'hard')) names = pick(RESOURCE_NAMES, zh);
  else if (last === 'labels' && rest.length === 2 && rest[0] === 'metadata' && kind === 'Namespace') names = [...pick(POD_SECURITY_LABELS, zh), ...pick(LABEL_KEYS, zh)];
  else if (last === 'labels' && rest[rest.length - 2] === 'metadata') names = pick(LABEL_KEYS, zh);
  // A pod's nodeSelector picks nodes by their labels: the ones nodes carry.
  else if (last === 'nodeSelector' && valueKind !== 'quantity') names = pick(NODE_LABELS, zh);
  // An object's own annotations (not a pod template's): the ones its controllers read.
  else if (last === 'annotations' && rest.length === 2 && rest[0] === 'metadata' && kind && ANNOTATIONS[kind]) names = ANNOTATIONS[kind].map(([k, en, cn]) => [k, zh ? cn : en]);
  // A pod's annotations (its own, or a pod template's): the ones kubectl writes and reads.
  else if (last === 'annotations' && isPodMetadata(rest.slice(0, -1) as Array<string | number>, kind)) names = POD_ANNOTATIONS.map(([k, en, cn]) => [k, zh ? cn : en]);
  return names
    .filter(([n]) => !(n in present) || n === typed)
    .map(([n, doc], i) => ({ label: n, kind: ItemKind.Property, sortText: String(i).padStart(2, '0'), documentation: { kind: 'markdown' as const, value: doc }, textEdit: { range, newText: `${n}: ` } }));
}

const BASIC_DOCS: Record<string, string> = {
  apiVersion: '**apiVersion**: `string` — the versioned schema of this object, e.g. `v1` or `apps/v1`.',
  kind: '**kind**: `string` — the type of object, e.g. `Pod` or `Deployment`.',
  metadata: '**metadata**: `ObjectMeta` — name, namespace, labels and annotations.',
};

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function shortUri(uri: string): string {
  return uri.replace(/^.*\//, '');
}
