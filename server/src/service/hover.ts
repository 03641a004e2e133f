/**
 * Hover: field docs on keys; what a kind is (in the user's language) and
 * whether its apiVersion is still served on `kind`/`apiVersion`; plain units
 * for quantities; on selectors, which workspace objects they match; and, on
 * a container image, what that container does in the playground.
 */
import { netpolSelectorHover } from './hoverNetpol';
import { describeQuantity } from '../../../kube/src/quantity';
import { apiStatusAt, removedApi } from '../../../kube/src/removed';
import { allowedValues, restrictionNote, valueDefault } from './enumValues';
import { isZh, resolve, shapeKey, type ServiceContext } from './context';
import { enumField, enumNote, fieldMarkdown, formatPath, mainDescription, referenceUrl, UPSTREAM_ZH } from './fields';
import { kindExplanation } from './i18n';
import { envHover, imageHover } from './imageHover';
import { cronHover } from './cronHover';
import type { FieldPath, KubeObject, Model, Position } from './model';
import type { Hover } from './protocol';
import { rbacValueHover } from './completionRbac';
import { objectsMatching, referencedKind, selectedWorkloads, servicesSelecting } from './references';
import { ANNOTATIONS, NODE_LABELS, POD_ANNOTATIONS, POD_SECURITY_LABELS, QUOTA_KEYS, RESOURCE_NAMES, isPodMetadata, nodeLabelsAt } from './wellKnown';
import { get, POD_TEMPLATE_PATHS, type IndexedObject } from './workspace';

/**
 * Quantities are shown through the ICU number formatter, whose first use in a
 * process loads ICU data (~12 ms of CPU). Pay that when the service loads, not
 * on the user's first hover over `cpu: 100m`.
 */
describeQuantity('1');

export function doHover(model: Model, pos: Position, ctx: ServiceContext): Hover | undefined {
  const doc = model.documentAt(pos);
  if (!doc) return undefined;
  const at = doc.pathAt(pos);
  if (at.fresh && !at.text) return undefined;
  const r = resolve(doc, at.path, ctx.schema);
  if (!r) return undefined;
  const rest = r.rest;
  const range = at.range;
  const md = (value: string): Hover => ({ contents: { kind: 'markdown', value }, range });
  if (rest.length === 1 && (rest[0] === 'kind' || rest[0] === 'apiVersion')) {
    const text = kindHover(r.object, ctx);
    return text ? md(text) : undefined;
  }
  const parts: string[] = [];
  if (at.on === 'key' && r.info) {
    const root = { kind: 'object' as const, ref: r.info.definition };
    const parent = ctx.schema.walk(root, rest.slice(0, -1))?.type;
    const name = String(rest[rest.length - 1]);
    if (parent?.kind === 'object') {
      const field = ctx.schema.def(parent.ref)?.properties[name];
      const kind = String(r.object.kind ?? '');
      // A container's pull policy defaults by its image's tag: say which one this container gets.
      const defaultValue = name === 'imagePullPolicy' ? valueDefault(name, field, r.object.value, rest) : undefined;
      if (field) parts.push(fieldMarkdown(name, field, field.type, { path: at.path, owner: parent.ref, schema: ctx.schema, kubernetesVersion: ctx.schema.data.kubernetesVersion, zh: isZh(ctx.locale), defaultValue,
        allowed: (values) => allowedValues(values, kind, rest, r.object.value), allowedNote: restrictionNote(kind, rest, r.object.value, isZh(ctx.locale)) }));
    }
  }
  // A Namespace's Pod Security label: what the admission plugin does with it.
  if (at.on === 'key' && r.object.kind === 'Namespace' && rest.length === 3 && rest[0] === 'metadata' && rest[1] === 'labels') {
    const known = POD_SECURITY_LABELS.find(([k]) => k === rest[2]);
    if (known) parts.push(`**${known[0]}**: ${isZh(ctx.locale) ? known[2] : known[1]}`);
  }
  // An annotation its controllers read: what it does.
  if (at.on === 'key' && rest.length === 3 && rest[0] === 'metadata' && rest[1] === 'annotations') {
    const known = ANNOTATIONS[r.object.kind ?? '']?.find(([k]) => k === rest[2]);
    if (known) parts.push(`**${known[0]}**: ${isZh(ctx.locale) ? known[2] : known[1]}`);
  }
  // A pod's annotation (its own, or a pod template's) that kubectl writes or reads.
  if (at.on === 'key' && rest.length >= 3 && rest[rest.length - 2] === 'annotations' && isPodMetadata(rest.slice(0, -2) as Array<string | number>, r.object.kind)) {
    const known = POD_ANNOTATIONS.find(([k]) => k === rest[rest.length - 1]);
    if (known) parts.push(`**${known[0]}**: ${isZh(ctx.locale) ? known[2] : known[1]}`);
  }
  // A well-known node label: as a topologyKey, a node affinity key, or a nodeSelector key.
  const shape = shapeKey(rest);
  const nodeLabel = at.on === 'value' && nodeLabelsAt(shape)
    ? at.text.replace(/^["']|["']$/g, '')
    : at.on === 'key' && rest[rest.length - 2] === 'nodeSelector' ? String(rest[rest.length - 1]) : undefined;
  const knownLabel = nodeLabel ? NODE_LABELS.find(([k]) => k === nodeLabel) : undefined;
  if (knownLabel) parts.push(`**${knownLabel[0]}**: ${isZh(ctx.locale) ? knownLabel[2] : knownLabel[1]}`);
  if (at.on === 'value' && r.info && r.type?.kind === 'primitive' && r.type.enum?.length) {
    const zh = isZh(ctx.locale);
    const owner = enumField(ctx.schema, r.info.definition, rest);
    const v = at.text.replace(/^["']|["']$/g, '');
    const note = enumNote(owner?.owner, owner?.name ?? '', owner?.field, v, zh);
    // The values the apiserver accepts here, as the key's hover and the completion list them, and why there are fewer.
    const kind = String(r.object.kind ?? '');
    const allowed = allowedValues(r.type.enum, kind, rest, r.object.value).map((e) => (e === v ? `**\`${e}\`**` : `\`${e}\``)).join(zh ? '、' : ', ');
    const why = restrictionNote(kind, rest, r.object.value, zh);
    // In Chinese, upstream's English note goes last, as on a key.
    parts.push(`\`${v}\`${note.text ? ' ' + note.text : ''}\n\n${zh ? '可选值：' : 'Allowed values: '}${allowed}${why ? `\n\n${why}` : ''}${note.upstream ? `\n\n${UPSTREAM_ZH}\`${v}\` ${note.upstream}` : ''}`);
  }
  if (r.type?.kind === 'quantity') {
    const last = rest[rest.length - 1];
    const resource = typeof last === 'string' ? last : undefined;
    const quotaKey = r.object.kind === 'ResourceQuota' && rest[rest.length - 2] === 'hard' ? QUOTA_KEYS.find(([n]) => n === resource) : undefined;
    const known = RESOURCE_NAMES.find(([n]) => n === resource);
    if (at.on === 'key' && quotaKey) parts.push(`**${quotaKey[0]}**: ${isZh(ctx.locale) ? quotaKey[2] : quotaKey[1]}`);
    else if (at.on === 'key' && known) parts.push(`**${known[0]}**: ${isZh(ctx.locale) ? known[2] : known[1]}`);
    const value = get(r.object.value, rest);
    // A quota's `requests.cpu` or `limits.memory` is a CPU or memory amount.
    const base = resource?.replace(/^(requests|limits)\./, '');
    const d = (typeof value === 'string' || typeof value === 'number') && describeQuantity(value, base === 'storage' || base === 'memory' || base === 'cpu' ? base : base?.startsWith('hugepages-') ? base : rest.includes('capacity') || rest.includes('requests') && r.object.kind === 'PersistentVolumeClaim' ? 'storage' : resource, isZh(ctx.locale));
    if (d) parts.push(`**${d}**`);
  }
  const by = servicesSelectingTemplate(r.object, rest, ctx);
  if (by) parts.push(by);
  const ref = at.on === 'value' ? referencedKind(shapeKey(rest), r.object, rest) : undefined;
  if (ref) {
    const name = at.text.replace(/^["']|["']$/g, '');
    const found = ctx.workspace.byKind(ref).filter((o) => o.name === name && (!o.namespace || !r.object.namespace || o.namespace === r.object.namespace));
    const zh = isZh(ctx.locale);
    parts.push(
      found.length
        ? (zh ? `${ref} \`${name}\` 定义于 ` : `${ref} \`${name}\` is defined in `) + found.map((o) => `${o.uri.replace(/^.*\//, '')}:${o.line + 1}`).join(', ')
        : zh
          ? `工作区中没有定义 ${ref} \`${name}\`（它可能已存在于集群中）。`
          : `No ${ref} \`${name}\` is defined in the workspace (it may exist in the cluster).`,
    );
  }
  const rbac = at.on === 'value' ? rbacValueHover(r.object.kind, shapeKey(rest), at.text.replace(/^["']|["']$/g, ''), ctx.schema, ctx.settings.kubernetesVersion, isZh(ctx.locale)) : undefined;
  if (rbac) parts.push(rbac);
  const sel = selectorMatches(r.object, rest, ctx);
  if (sel) parts.push(sel);
  const np = netpolSelectorHover(r.object, rest, ctx.workspace, isZh(ctx.locale));
  if (np) parts.push(np);
  const image = at.on === 'value' ? imageHover(r.object, rest, isZh(ctx.locale)) : undefined;
  if (image) parts.push(image);
  const match = r.object.kind === 'Ingress' ? ingressPathHover(r.object.value, rest, isZh(ctx.locale)) : undefined;
  if (match) parts.push(match);
  const env = envHover(r.object, rest, isZh(ctx.locale));
  if (env) parts.push(env);
  const cron = at.on === 'value' ? cronHover(r.object, rest, isZh(ctx.locale), ctx.now?.() ?? Date.now()) : undefined;
  if (cron) parts.push(cron);
  return parts.length ? md(parts.join('\n\n---\n\n')) : undefined;
}

/** The removed-API table's migration notes (kube/src/removed.ts) in Chinese. */
const ZH_NOTES: Record<string, string> = {
  'spec.selector is required in apps/v1': 'apps/v1 中必须写 spec.selector。',
  'an empty spec.selector now selects every pod in the namespace': '现在空的 spec.selector 会选中命名空间中的所有 Pod。',
  'backend.serviceName/servicePort become backend.service.name/port; pathType is required': 'backend.serviceName/servicePort 改为 backend.service.name/port；并且必须写 pathType。',
  'targetAverageUtilization becomes target.averageUtilization': 'targetAverageUtilization 改为 target.averageUtilization。',
  'topology is replaced by nodeName and zone': 'topology 由 nodeName 和 zone 取代。',
};

function kindHover(o: KubeObject, ctx: ServiceContext): string | undefined {
  const zh = isZh(ctx.locale);
  const lines: string[] = [];
  const kind = o.kind;
  const av = o.apiVersion;
  if (!kind) return undefined;
  lines.push(`**${kind}**${av ? ` — \`${av}\`` : ''}`);
  const expl = kindExplanation(kind, ctx.locale);
  const def = o.kindInfo ? ctx.schema.def(o.kindInfo.definition) : undefined;
  if (expl) lines.push('', expl);
  else if (def?.description) lines.push('', mainDescription(def.description));
  if (av) {
    const entry = removedApi(av, kind);
    const st = entry && apiStatusAt(entry, ctx.settings.kubernetesVersion);
    if (entry && st) {
      const repl = entry.replacement ? (zh ? `请改用 \`${entry.replacement}\`。` : `Use \`${entry.replacement}\` instead.`) : '';
      const note = entry.note ? (zh ? ZH_NOTES[entry.note] ?? ` ${entry.note}.` : ` ${entry.note}.`) : '';
      lines.push(
        '',
        st === 'removed'
          ? zh
            ? `⛔ \`${av}\` 中的 ${kind} 自 ${entry.deprecatedIn} 起弃用，已在 Kubernetes ${entry.removedIn} 中移除（当前配置版本 ${ctx.settings.kubernetesVersion}）。${repl}${note}`
            : `⛔ ${kind} in \`${av}\` was deprecated in ${entry.deprecatedIn} and removed in Kubernetes ${entry.removedIn} (configured version ${ctx.settings.kubernetesVersion}). ${repl}${note}`
          : zh
            ? `⚠️ \`${av}\` 中的 ${kind} 自 ${entry.deprecatedIn} 起已弃用${entry.removedIn ? `，将在 ${entry.removedIn} 中移除` : ''}。${repl}${note}`
            : `⚠️ ${kind} in \`${av}\` is deprecated since ${entry.deprecatedIn}${entry.removedIn ? ` and removed in ${entry.removedIn}` : ''}. ${repl}${note}`,
      );
    } else if (o.kindInfo) {
      lines.push('', zh ? `✅ \`${av}\` 在 Kubernetes ${ctx.settings.kubernetesVersion} 中可用。` : `✅ \`${av}\` is served in Kubernetes ${ctx.settings.kubernetesVersion}.`);
    } else if (ctx.schema.kindsByKind(kind).length) {
      const known = ctx.schema.kindsByKind(kind).map((k) => `\`${k.apiVersion}\``).join(', ');
      lines.push('', zh ? `\`${av}\` 中没有 ${kind}；可用版本：${known}。` : `${kind} is not in \`${av}\`; known versions: ${known}.`);
    }
  }
  if (o.kindInfo) lines.push('', `[${zh ? 'API 参考' : 'API reference'}](${referenceUrl(o.kindInfo.definition, ctx.schema.data.kubernetesVersion, ctx.schema)})`);
  return lines.join('\n');
}

/** On a selector (or inside one): the workspace objects it matches. */
function selectorMatches(o: KubeObject, rest: FieldPath, ctx: ServiceContext): string | undefined {
  const zh = isZh(ctx.locale);
  const i = rest.lastIndexOf('selector');
  if (i < 0) return undefined;
  const selPath = rest.slice(0, i + 1);
  const shape = shapeKey(selPath);
  let matches: IndexedObject[];
  const sel = get(o.value, selPath);
  if (!sel || typeof sel !== 'object') return undefined;
  if ((o.kind === 'Service' && shape === 'spec.selector') || (o.kind === 'ReplicationController' && shape === 'spec.selector')) {
    matches = selectedWorkloads(ctx.workspace, sel as Record<string, string>, o.namespace);
  } else {
    matches = objectsMatching(ctx.workspace, sel as never);
  }
  const head = zh ? `选择器 \`${formatPath(selPath)}\` 匹配` : `Selector \`${formatPath(selPath)}\` matches`;
  if (!matches.length) return zh ? `${head}工作区中的 0 个对象。` : `${head} no object in the workspace.`;
  const list = matches.slice(0, 20).map((m) => `- ${m.kind} \`${m.name}\`${m.namespace ? ` (${m.namespace})` : ''} — ${m.uri.replace(/^.*\//, '')}:${m.line + 1}`);
  return `${head}${zh ? ` ${matches.length} 个对象：` : ` ${matches.length} object${matches.length === 1 ? '' : 's'}:`}\n${list.join('\n')}${matches.length > 20 ? '\n- …' : ''}`;
}

/** On a pod template's labels: the Services in the workspace that select it. */
function servicesSelectingTemplate(o: KubeObject, rest: FieldPath, ctx: ServiceContext): string | undefined {
  const tp = o.kind ? POD_TEMPLATE_PATHS[o.kind] : undefined;
  if (!tp) return undefined;
  const labelsPath = [...tp, 'metadata', 'labels'];
  if (rest.length < labelsPath.length || !labelsPath.every((s, i) => rest[i] === s)) return undefined;
  const labels = get(o.value, labelsPath);
  if (!labels || typeof labels !== 'object') return undefined;
  const zh = isZh(ctx.locale);
  const svcs = servicesSelecting(ctx.workspace, labels as Record<string, string>, o.namespace);
  if (!svcs.length) return zh ? '工作区中没有 Service 选择这些 Pod。' : 'No Service in the workspace selects these pods.';
  const list = svcs.slice(0, 20).map((s) => `- Service \`${s.name}\` — ${s.uri.replace(/^.*\//, '')}:${s.line + 1}`);
  return `${zh ? '选择这些 Pod 的 Service：' : 'Selected by:'}\n${list.join('\n')}`;
}

/**
 * On an Ingress path (or its pathType): which request paths it matches, as
 * ingress-nginx matches them (Prefix by path elements, ImplementationSpecific
 * read as Prefix, a case-insensitive regex when the Ingress asks for regular
 * expressions), and what the backend is sent under rewrite-target.
 */
function ingressPathHover(value: unknown, rest: FieldPath, zh: boolean): string | undefined {
  if (rest.length !== 7 || rest[0] !== 'spec' || rest[1] !== 'rules' || rest[3] !== 'http' || rest[4] !== 'paths' || (rest[6] !== 'path' && rest[6] !== 'pathType')) return undefined;
  const p = get(value, rest.slice(0, 6)) as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return undefined;
  const path = typeof p.path === 'string' && p.path ? p.path : '/';
  const type = typeof p.pathType === 'string' ? p.pathType : undefined;
  const ann = (get(value, ['metadata', 'annotations']) ?? {}) as Record<string, unknown>;
  const rewrite = typeof ann['nginx.ingress.kubernetes.io/rewrite-target'] === 'string' ? String(ann['nginx.ingress.kubernetes.io/rewrite-target']) : undefined;
  const regex = ann['nginx.ingress.kubernetes.io/use-regex'] === 'true' || (rewrite !== undefined && rewrite !== path);
  const head = zh ? '**ingress-nginx 如何匹配：**' : '**How ingress-nginx matches it:**';
  if (!type) return `${head} ${zh ? '没有 `pathType`，apiserver 会拒绝这条路径。' : 'without a `pathType` the apiserver refuses the path.'}`;
  if (regex) {
    const re = `^${path}`;
    const base = zh ? `不区分大小写的正则 \`${re}\`，从路径开头匹配（该主机的所有路径都按正则匹配）。` : `the case-insensitive regular expression \`${re}\`, from the start of the path (every path of this host is a regex).`;
    const rw = rewrite !== undefined && rewrite !== path ? (zh ? ` 后端收到的路径整体替换为 \`${rewrite}\`。` : ` The backend is sent \`${rewrite}\` in place of the whole path.`) : '';
    return `${head} ${base}${rw}`;
  }
  if (type === 'Exact') return `${head} ${zh ? `只匹配 \`${path}\`（不含 \`${path}/\` 或其下的路径）。` : `\`${path}\` only (not \`${path.replace(/\/$/, '')}/…\` below it).`}`;
  const as = type === 'ImplementationSpecific' ? (zh ? '（ingress-nginx 把 ImplementationSpecific 当作 Prefix）' : ' (ingress-nginx reads ImplementationSpecific as Prefix)') : '';
  if (path === '/') return `${head} ${zh ? `所有路径${as}。` : `every path${as}.`}`;
  const bare = path.replace(/\/$/, '');
  const sibling = `${bare}x`.replace(/\/x$/, 'x');
  return `${head} ${zh ? `\`${bare}\`、\`${bare}/\` 及其下的所有路径，按完整的路径段匹配：不匹配 \`${sibling}\`${as}。` : `\`${bare}\`, \`${bare}/\` and everything under it, by whole path elements: not \`${sibling}\`${as}.`}`;
}
