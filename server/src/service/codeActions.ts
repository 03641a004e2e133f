/**
 * Quick fixes for kubeplay diagnostics: replace a removed apiVersion (adding
 * the selector apps/v1 requires, built from the template labels), add a
 * missing required field, fix a mistyped field name, make the selector and
 * the template labels agree, declare a missing volume, fix restartPolicy
 * (also turning an init container with probes into a sidecar);
 * and the small ones: pick an enum value or a named port, quote a number
 * where a string belongs (and unquote one where a number belongs), base64-encode Secret data, rename to a valid DNS
 * name, set maxUnavailable to 1.
 *
 * Each fix reads the diagnostic's `data` (path + the rule's fix data) and the
 * model; edits are plain LSP WorkspaceEdit objects.
 */
import { closest } from '../../../kube/src/rules/suggest';
import { base64ErrorOffset } from '../../../kube/src/rules/base64';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../../../kube/src/names';
import type { TypeRef } from '../../../kube/src/schema/types';
import { isZh, type ServiceContext } from './context';
import { zhFixTitle } from './fixTitles';
import { missingSpace, type Diagnostic, type DiagnosticData } from './diagnostics';
import { edits as textEdits, insertIntoMap, renderMap, yamlScalar, type TextEdit } from './codeActionsEdit';
import type { FieldPath, Model, ModelDocument, Range } from './model';
import { sameNamespace } from './workspace';

export interface CodeAction {
  title: string;
  kind: 'quickfix';
  diagnostics: Diagnostic[];
  isPreferred?: boolean;
  edit: { changes: Record<string, TextEdit[]> };
}

export interface CodeActionParams {
  textDocument: { uri: string };
  range: Range;
  context: { diagnostics: Diagnostic[]; only?: string[] };
}

const APPS_V1_WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']);

export function codeActions(model: Model, params: CodeActionParams, ctx: ServiceContext): CodeAction[] {
  const out: CodeAction[] = [];
  // A file with CRLF line ends gets its inserted lines with CRLF too (the fixes write LF).
  const crlf = model.text.includes('\r\n');
  const zh = isZh(ctx.locale);
  for (const d of params.context.diagnostics) {
    if (d.source !== 'kubeplay' || !d.data) continue;
    const doc = model.documentAt(d.range.start);
    if (!doc) continue;
    for (const fix of fixesFor(doc, d, d.data, ctx, model.uri)) {
      const edits = crlf ? fix.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) : fix.edits;
      out.push({ title: zh ? zhFixTitle(fix.title) : fix.title, kind: 'quickfix', diagnostics: [d], isPreferred: fix.preferred, edit: { changes: { [model.uri]: edits } } });
    }
  }
  return out;
}

interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

function valueAt(doc: ModelDocument, path: FieldPath): unknown {
  let cur: unknown = doc.value;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/**
 * What the restricted Pod Security level asks of every pod, added where it is missing: the pod runs as non-root
 * with the runtime's default seccomp profile, each container drops all capabilities and cannot gain privileges.
 * Containers' edits come first: an insertion at the end of the last container and one at the end of the pod spec
 * can share a position, and the container's text belongs before the pod's.
 */
function restrictedFix(doc: ModelDocument, spec: FieldPath, rootImage?: string): Fix[] {
  const value = rec(valueAt(doc, spec));
  if (!value) return [];
  const out: TextEdit[] = [];
  const add = (e: TextEdit | undefined) => { if (e) out.push(e); };
  for (const list of ['initContainers', 'containers']) {
    (Array.isArray(value[list]) ? value[list] : []).forEach((c: unknown, i: number) => {
      const path: FieldPath = [...spec, list, i];
      const sc = rec(rec(c)?.securityContext);
      if (!sc || !Object.keys(sc).length) {
        add(insertIntoMap(doc, path, (ind) => `securityContext:\n${ind}  allowPrivilegeEscalation: false\n${ind}  capabilities:\n${ind}    drop:\n${ind}    - ALL`));
        return;
      }
      if (sc.allowPrivilegeEscalation === undefined) add(insertIntoMap(doc, [...path, 'securityContext'], () => 'allowPrivilegeEscalation: false'));
      const caps = rec(sc.capabilities);
      if (!caps || !Object.keys(caps).length) add(insertIntoMap(doc, [...path, 'securityContext'], (ind) => `capabilities:\n${ind}  drop:\n${ind}  - ALL`));
      else if (caps.drop === undefined) add(insertIntoMap(doc, [...path, 'securityContext', 'capabilities'], (ind) => `drop:\n${ind}- ALL`));
    });
  }
  const podSc = rec(value.securityContext);
  if (!podSc || !Object.keys(podSc).length) {
    add(insertIntoMap(doc, spec, (ind) => `securityContext:\n${ind}  runAsNonRoot: true\n${ind}  seccompProfile:\n${ind}    type: RuntimeDefault`));
  } else {
    if (podSc.runAsNonRoot === undefined) add(insertIntoMap(doc, [...spec, 'securityContext'], () => 'runAsNonRoot: true'));
    if (podSc.seccompProfile === undefined) add(insertIntoMap(doc, [...spec, 'securityContext'], (ind) => `seccompProfile:\n${ind}  type: RuntimeDefault`));
  }
  const title = 'Meet the restricted Pod Security level (non-root, RuntimeDefault seccomp, no privilege escalation, drop ALL capabilities)'
    + (rootImage ? `; ${rootImage} runs as root, so it also needs a non-root image` : '');
  return out.length ? [{ title, edits: out, preferred: !rootImage }] : [];
}

/** Starting values a container gets for what a quota tracks: a modest request, a limit with headroom. */
const QUOTA_STARTERS: Record<string, Record<string, string>> = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

/** Adds the requests and limits a ResourceQuota demands to one container, into the maps it already has. */
function quotaResourceFix(doc: ModelDocument, container: FieldPath, missing: string[], quota: string): Fix[] {
  // Requests before limits, as manifests usually have them.
  const want: Record<string, Record<string, string>> = { requests: {}, limits: {} };
  for (const key of missing) {
    const [side, res] = key.includes('.') ? key.split('.') : ['requests', key];
    const v = QUOTA_STARTERS[side]?.[res];
    if (v) (want[side] ??= {})[res] = v;
  }
  for (const side of Object.keys(want)) if (!Object.keys(want[side]).length) delete want[side];
  if (!Object.keys(want).length) return [];
  const resources = rec(valueAt(doc, [...container, 'resources']));
  const out: TextEdit[] = [];
  if (!resources || !Object.keys(resources).length) {
    const e = insertIntoMap(doc, container, (ind) => `resources:\n${Object.entries(want).map(([side, m]) => `${ind}  ${side}:\n${renderMap(m, ind + '    ')}`).join('')}`.replace(/\n$/, ''));
    if (!e) return [];
    out.push(e);
  } else {
    for (const [side, m] of Object.entries(want)) {
      const e = rec(resources[side]) && Object.keys(rec(resources[side])!).length
        ? insertIntoMap(doc, [...container, 'resources', side], (ind) => renderMap(m, ind).trimStart().replace(/\n$/, ''))
        : insertIntoMap(doc, [...container, 'resources'], (ind) => `${side}:\n${renderMap(m, ind + '  ')}`.replace(/\n$/, ''));
      if (!e) return [];
      out.push(e);
    }
  }
  const text = Object.entries(want).map(([side, m]) => Object.entries(m).map(([k, v]) => `${side}.${k} ${v}`).join(', ')).join(', ');
  return [{ title: `Set ${text} (ResourceQuota "${quota}" tracks them)`, edits: out, preferred: true }];
}

function fixesFor(doc: ModelDocument, d: Diagnostic, data: DiagnosticData, ctx: ServiceContext, uri: string): Fix[] {
  const fix = rec(data.fix) ?? {};
  const path = data.path;
  switch (d.code) {
    case 'removed-api': case 'deprecated-api': case 'unknown-api-version': {
      // Only when the replacement serves the same kind (v1 Endpoints → EndpointSlice is a rewrite, not a fix).
      const kind = rec(valueAt(doc, path.slice(0, -1)))?.kind;
      if (typeof fix.replacement !== 'string' || typeof kind !== 'string' || !ctx.schema.kind(fix.replacement, kind)) return [];
      return [replaceApiVersion(doc, path.slice(0, -1), fix.replacement)];
    }
    case 'missing-kind':
      // `apiversion:` / `Kind:`: the key in the right case.
      if (typeof fix.rename !== 'string' || typeof fix.field !== 'string') return [];
      return replaceRange(doc.rangeOfPath(path, 'key'), fix.field, `Change to "${fix.field}"`, true);
    case 'image-typo':
      if (typeof fix.suggestion !== 'string') return [];
      return replaceRange(doc.rangeOfPath(path, 'value'), fix.suggestion, `Change the image to "${fix.suggestion}"`, true);
    case 'unknown-kind':
      if (typeof fix.suggestion !== 'string') return [];
      return replaceRange(doc.rangeOfPath(path, 'value'), fix.suggestion, `Change kind to "${fix.suggestion}"`, true);
    case 'unknown-field':
      if (typeof fix.suggestion !== 'string') return [];
      // Renaming onto a key the map already has would make a duplicate key: the two must be merged by hand.
      if (Object.prototype.hasOwnProperty.call(rec(valueAt(doc, path.slice(0, -1))) ?? {}, fix.suggestion)) return [];
      return replaceRange(doc.rangeOfPath(path, 'key'), fix.suggestion, `Change to "${fix.suggestion}"`, true);
    case 'pod-security':
      return fix.fixable ? restrictedFix(doc, path, typeof fix.rootImage === 'string' ? fix.rootImage : undefined) : [];
    case 'netpol-blocks-dns':
      return dnsEgressFix(doc, path.slice(0, path.lastIndexOf('spec') + 1));
    case 'quota-must-specify':
      return Array.isArray(fix.missing) ? quotaResourceFix(doc, path.slice(0, -1), fix.missing as string[], String(fix.quota ?? '')) : [];
    case 'ingress-no-class': {
      const ins = insertIntoMap(doc, path, () => `ingressClassName: ${typeof fix.className === 'string' ? fix.className : 'nginx'}`);
      return ins ? [{ title: `Add ingressClassName: ${typeof fix.className === 'string' ? fix.className : 'nginx'}`, edits: [ins], preferred: true }] : [];
    }
    case 'ingress-invalid':
      // The legacy class annotation beside ingressClassName: the field is the one to keep.
      return fix.dropAnnotation ? removeField(doc, path, true).map((f) => ({ ...f, title: 'Remove the kubernetes.io/ingress.class annotation' })) : [];
    case 'missing-required': case 'missing-image':
      return addField(doc, path, ctx);
    case 'selector-mismatch':
      return selectorFixes(doc, path.slice(0, -4));
    case 'undeclared-volume':
      return typeof fix.volume === 'string' && Array.isArray(fix.volumesPath) ? declareVolume(doc, fix.volumesPath as FieldPath, fix.volume) : [];
    case 'restart-policy':
      return restartPolicyFixes(doc, path, Array.isArray(fix.allowed) ? (fix.allowed as string[]) : []);
    case 'container-restart-policy':
      // An app container's restartPolicy can only go; an init container's can become Always.
      return Array.isArray(fix.allowed) ? restartPolicyFixes(doc, path, fix.allowed as string[]) : removeField(doc, path, true);
    case 'init-container-field':
      // Dropping the probe or hook keeps the init container one that runs to completion (preferred); making it a
      // sidecar changes what it is, so it is only offered.
      return [...removeField(doc, path, true), ...restartPolicyFixes(doc, [...path.slice(0, -1), 'restartPolicy'], ['Always'])
        .map((f) => ({ ...f, title: 'Make it a sidecar (restartPolicy: Always)', preferred: false }))];
    // An empty topologyKey: the two keys nearly every term or constraint uses (one domain per node, or per zone).
    case 'invalid-affinity-term': case 'invalid-spread-constraint':
      if (path[path.length - 1] !== 'topologyKey' || !/can not be empty/.test(d.message)) return [];
      return choices(doc.rangeOfPath(path, 'value'), ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'], (v) => `Set topologyKey to ${v}`);
    case 'enum-value': {
      const fixes = choices(doc.rangeOfPath(path, 'value'), Array.isArray(fix.supported) ? (fix.supported as string[]) : [], (v) => `Change to ${v}`);
      // A case slip (`always`, `nodeport`) has one certain fix: preferred, so Ctrl+. applies it.
      const typed = valueAt(doc, path);
      if (typeof typed === 'string') for (const f of fixes) if (f.edits[0]?.newText.toLowerCase() === typed.toLowerCase()) f.preferred = true;
      return fixes;
    }
    case 'unknown-target-port':
      return choices(doc.rangeOfPath(path, 'value'), Array.isArray(fix.portNames) ? (fix.portNames as string[]) : [], (v) => `Use port ${v}`);
    case 'unknown-probe-port': case 'unknown-hook-port': {
      // A name the container declares, or (when it names none) one of its port numbers.
      const names = Array.isArray(fix.portNames) ? (fix.portNames as string[]) : [];
      return choices(doc.rangeOfPath(path, 'value'), names.length ? names : Array.isArray(fix.portNumbers) ? (fix.portNumbers as string[]) : [], (v) => `Use port ${v}`);
    }
    case 'probe-path-unserved':
      // The site's root answers with its index page (200): the probe then checks that nginx serves at all.
      return replaceRange(doc.rangeOfPath(path, 'value'), '/', 'Probe / instead', true);
    case 'target-port-unserved': case 'probe-port-unserved':
      return choices(doc.rangeOfPath(path, 'value'), Array.isArray(fix.servedPorts) ? (fix.servedPorts as string[]) : [], (v) => `Use port ${v}`);
    case 'invalid-port-name': case 'probe-port': {
      // targetPort and probe ports take a number or a name: a quoted number is meant as the number.
      const v = valueAt(doc, path);
      const field = path[path.length - 1];
      if ((field !== 'targetPort' && field !== 'port') || typeof v !== 'string' || !/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) return [];
      return replaceRange(doc.rangeOfPath(path, 'value'), String(Number(v)), `Write the port as a number (${Number(v)})`, true);
    }
    case 'wrong-type':
      return [...missingSpaceFix(doc, d.range.start.line), ...quoteScalar(doc, path, fix), ...unquoteNumber(doc, path, fix)];
    case 'yaml-syntax':
      return missingSpaceFix(doc, d.range.start.line);
    case 'yaml-indent':
      return reindentFix(doc, fix);
    case 'unquoted-star':
      return typeof fix.quoted === 'string' ? [{ title: `Quote the value (${fix.quoted})`, edits: [{ range: d.range, newText: fix.quoted }], preferred: true }] : [];
    case 'tab':
      return tabIndentFix(doc);
    case 'nginx-daemonizes':
      return Array.isArray(fix.items) ? insertItemsAfter(doc, path, fix.items as string[], `Keep nginx in the foreground (-g 'daemon off;')`) : [];
    case 'mysql-no-password': case 'postgres-no-password':
      return typeof fix.password === 'string' ? passwordFromSecret(doc, path.slice(0, -1), fix.password, ctx, uri) : [];
    case 'shell-variable':
      // Quoted, whatever the item was: `$(X)` then reads back as the same string in a flow or a block sequence alike.
      return typeof fix.fixed === 'string' && typeof fix.name === 'string'
        ? replaceRange(doc.rangeOfPath(path, 'value'), JSON.stringify(fix.fixed), `Write $(${fix.name}), which Kubernetes expands`, true) : [];
    case 'redis-daemonizes':
      // Quoted: a bare `no` is a boolean to the YAML Kubernetes reads, and an argument must be a string.
      return replaceRange(doc.rangeOfPath(path, 'value'), '"no"', 'Keep redis in the foreground (--daemonize "no")', true);
    case 'command-whitespace':
      return Array.isArray(fix.items) ? splitCommandFix(doc, path, fix.items as string[]) : [];
    case 'nslookup-search':
      return typeof fix.name === 'string' && typeof fix.full === 'string' ? nslookupNameFix(doc, path, fix.name, fix.full) : [];
    case 'pid1-term':
      return typeof fix.sleeps === 'boolean' ? trapFix(doc, path, fix.sleeps) : [];
    case 'prestop-grace':
      return Array.isArray(fix.specPath) && typeof fix.grace === 'number' ? graceFix(doc, fix.specPath as FieldPath, fix.grace) : [];
    case 'invalid-base64': {
      const v = valueAt(doc, path);
      if (typeof v !== 'string') return [];
      const range = doc.rangeOfPath(path, 'value');
      // Base64 whose `=` padding was lost (base64url tools, a copy that cut it): padding it keeps the bytes it
      // stands for, where encoding it again would store the encoded text itself.
      const padded = /^[A-Za-z0-9+/]+$/.test(v) && v.length % 4 >= 2 ? v + '='.repeat(4 - (v.length % 4)) : undefined;
      if (padded && base64ErrorOffset(padded) < 0) {
        return [...replaceRange(range, padded, 'Add the missing base64 padding', true), ...replaceRange(range, Buffer.from(v, 'utf8').toString('base64'), 'Encode the value as base64', false)];
      }
      return replaceRange(range, Buffer.from(v, 'utf8').toString('base64'), 'Encode the value as base64', true);
    }
    case 'invalid-sub-path': {
      if (typeof fix.relative !== 'string' || !fix.relative) return [];
      // Plain only where YAML reads it back as the same string (not `123`, `true`, `.inf`, `null`).
      const plain = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(fix.relative) && !/^(?:true|false|yes|no|on|off|null|y|n)$/i.test(fix.relative);
      const text = plain ? fix.relative : JSON.stringify(fix.relative);
      return replaceRange(doc.rangeOfPath(path, 'value'), text, `Make it relative (${fix.relative})`, true);
    }
    case 'surge-unavailable-zero':
      return replaceRange(doc.rangeOfPath(path, 'value'), '1', 'Set maxUnavailable to 1', true);
    case 'invalid-name': case 'invalid-container-name':
      return renameFix(doc, path, d.code === 'invalid-name' ? String(rec(valueAt(doc, path.slice(0, -2)))?.kind ?? '') : 'label');
    case 'invalid-volume-name':
      // The volume's mounts and devices name it too: they are renamed with it.
      return renameFix(doc, path, 'label', (from, to) => volumeUses(doc, path.slice(0, -3), from, to));
    default:
      return [];
  }
}

/**
 * `command: ["python app.py"]` → `command: ["python", "app.py"]`: the first item becomes the items it stands
 * for, in the sequence's own style (flow: one after another; block: a `- ` line each, at the item's indent).
 */
function splitCommandFix(doc: ModelDocument, path: FieldPath, items: string[]): Fix[] {
  const at = itemStyle(doc, path);
  const n = (rec(valueAt(doc, path.slice(0, -2)))?.command as unknown[] | undefined)?.length ?? 1;
  if (!at) return [];
  const added = items.slice(0, items.length - (n - 1));
  const quote = (v: string) => JSON.stringify(v);
  const title = added.length === 1 ? `Remove the blanks around ${quote(added[0])}` : `Split into ${added.length} items (${added.map(quote).join(', ')})`;
  const newText = at.indent === undefined ? added.map(quote).join(', ') : [quote(added[0]), ...added.slice(1).map((v) => `\n${at.indent}- ${quote(v)}`)].join('');
  return [{ title, edits: [{ range: at.item, newText }], preferred: true }];
}

/**
 * Items added to a sequence right after the one at `path`, in the sequence's own style: `, "a", "b"` after it in a
 * flow sequence (`[...]`), or one `- "a"` line each below it in a block sequence, at its dash's column.
 */
function insertItemsAfter(doc: ModelDocument, path: FieldPath, items: string[], title: string): Fix[] {
  const at = itemStyle(doc, path);
  if (!at) return [];
  const quote = (v: string) => JSON.stringify(v);
  const newText = items.map((v) => (at.indent === undefined ? `, ${quote(v)}` : `\n${at.indent}- ${quote(v)}`)).join('');
  return [{ title, edits: [{ range: { start: at.item.end, end: at.item.end }, newText }], preferred: true }];
}

/**
 * The database image's password variable taken from a Secret of the workspace (in the object's namespace, or with
 * either side's left to `kubectl -n`) whose key looks like a password (`password`, `root-password`, `MYSQL_ROOT_PASSWORD`,
 * `pwd`, …), one fix per such key, the likeliest first (a Secret of the same file before others, then the key's
 * likeness): an `env` item added after the container's last one, or an `env` list of its own.
 */
function passwordFromSecret(doc: ModelDocument, container: FieldPath, variable: string, ctx: ServiceContext, uri: string): Fix[] {
  const ns = rec(rec(doc.value)?.metadata)?.namespace;
  const keys: { secret: string; key: string; rank: number }[] = [];
  for (const o of ctx.workspace.byKind('Secret')) {
    if (!sameNamespace(o.namespace, typeof ns === 'string' ? ns : undefined)) continue;
    for (const key of o.secretKeys ?? []) {
      const likeness = key === variable ? 0 : /^(root[-_]?)?password$/i.test(key) ? 1 : /pass|pwd/i.test(key) ? 2 : -1;
      const rank = likeness + (o.uri === uri ? 0 : 10);
      if (likeness >= 0 && !keys.some((k) => k.secret === o.name && k.key === key)) keys.push({ secret: o.name, key, rank });
    }
  }
  keys.sort((a, b) => a.rank - b.rank);
  const env = valueAt(doc, [...container, 'env']);
  const item = (indent: string, k: { secret: string; key: string }) => [`- name: ${variable}`, '  valueFrom:', '    secretKeyRef:',
    `      name: ${yamlScalar(k.secret)}`, `      key: ${yamlScalar(k.key)}`].map((l, i) => (i ? indent : '') + l).join('\n');
  const fixes: Fix[] = [];
  for (const k of keys.slice(0, 3)) {
    let edit: TextEdit | undefined;
    if (Array.isArray(env) && env.length) {
      // After the last item, with the dash where the first item has it (a block sequence only).
      const first = doc.rangeOfPath([...container, 'env', 0], 'value');
      const last = doc.rangeOfPath([...container, 'env', env.length - 1], 'value');
      const indent = first && dashIndent(doc, first);
      if (!last || indent === undefined) continue;
      const end = last.end.character === 0 ? last.end : { line: last.end.line, character: doc.lineText(last.end.line).length };
      edit = last.end.character === 0
        ? { range: { start: end, end }, newText: indent + item(indent, k) + '\n' }
        : { range: { start: end, end }, newText: '\n' + indent + item(indent, k) };
    } else if (env === undefined) {
      edit = insertIntoMap(doc, container, (indent) => `env:\n${indent}${item(indent, k)}`);
    }
    if (edit) fixes.push({ title: `Take ${variable} from Secret ${k.secret} (key ${k.key})`, edits: [edit], preferred: fixes.length === 0 });
  }
  return fixes;
}

/**
 * A one-line sequence item's range and how its sequence is written: a flow sequence (`[...]`, no indent), or a
 * block one with the item's dash at `indent`. Undefined for an item over several lines or a dash not first on its line.
 */
function itemStyle(doc: ModelDocument, path: FieldPath): { item: Range; indent?: string } | undefined {
  const item = doc.rangeOfPath(path, 'value');
  const seq = doc.rangeOfPath(path.slice(0, -1), 'value');
  if (!item || !seq || item.start.line !== item.end.line) return undefined;
  if (doc.lineText(seq.start.line)[seq.start.character] === '[') return { item };
  const indent = dashIndent(doc, item);
  return indent === undefined ? undefined : { item, indent };
}

/** The blanks before a block sequence item's dash, when the dash is the first thing on the item's line. */
function dashIndent(doc: ModelDocument, item: Range): string | undefined {
  const line = doc.lineText(item.start.line);
  const dash = line.slice(0, item.start.character).lastIndexOf('-');
  return dash < 0 || line.slice(0, dash).trim() !== '' ? undefined : line.slice(0, dash);
}

/**
 * `trap 'exit 0' TERM` put first in a container's script, in the YAML style the script is written in: a line of
 * its own in a literal block (`|`), else at the start of the text (single quotes doubled in a single-quoted one);
 * with `sleeps`, each foreground `sleep infinity` also becomes `sleep infinity & wait`, which the trap can end.
 */
function trapFix(doc: ModelDocument, path: FieldPath, sleeps: boolean): Fix[] {
  const r = doc.rangeOfPath(path, 'value');
  if (!r) return [];
  const first = doc.lineText(r.start.line).slice(r.start.character);
  const edits: TextEdit[] = [];
  const quote = first[0] === "'" || first[0] === '"' ? first[0] : '';
  if (first.startsWith('|') || first.startsWith('>')) {
    const line = r.start.line + 1;
    const indent = /^\s*/.exec(doc.lineText(line))![0];
    edits.push(first.startsWith('|')
      ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}trap 'exit 0' TERM\n` }
      : { range: { start: { line, character: indent.length }, end: { line, character: indent.length } }, newText: "trap 'exit 0' TERM; " });
  } else {
    const at = { line: r.start.line, character: r.start.character + quote.length };
    edits.push({ range: { start: at, end: at }, newText: quote === "'" ? "trap ''exit 0'' TERM; " : "trap 'exit 0' TERM; " });
  }
  if (sleeps) {
    for (let line = r.start.line; line <= r.end.line; line++) {
      const text = doc.lineText(line);
      const from = line === r.start.line ? r.start.character : 0;
      const to = line === r.end.line ? r.end.character : text.length;
      for (const m of text.slice(from, to).matchAll(/\bsleep\s+(?:infinity|inf)\b(?!\s*&)/g)) {
        const ch = from + m.index! + m[0].length;
        edits.push({ range: { start: { line, character: ch }, end: { line, character: ch } }, newText: ' & wait' });
      }
    }
  }
  return [{ title: sleeps ? "Add trap 'exit 0' TERM and wait for sleep infinity" : "Add trap 'exit 0' TERM", edits, preferred: true }];
}

/** Sets the pod's terminationGracePeriodSeconds: the value in place, or a new key at the top of the pod spec. */
function graceFix(doc: ModelDocument, specPath: FieldPath, grace: number): Fix[] {
  const title = `Set terminationGracePeriodSeconds to ${grace}`;
  const at = [...specPath, 'terminationGracePeriodSeconds'];
  if (valueAt(doc, at) !== undefined) return replaceRange(doc.rangeOfPath(at, 'value'), String(grace), title, true);
  const ins = insertIntoMap(doc, specPath, () => `terminationGracePeriodSeconds: ${grace}`, true);
  return ins ? [{ title, edits: [ins], preferred: true }] : [];
}

/**
 * `until nslookup db` → `until nslookup db.$(cat …/namespace).svc.cluster.local`, inside the script as written: the
 * name is found after `nslookup` in the scalar's own text (a Service name needs no escaping in any YAML style).
 */
function nslookupNameFix(doc: ModelDocument, path: FieldPath, name: string, full: string): Fix[] {
  const r = doc.rangeOfPath(path, 'value');
  if (!r) return [];
  const edits: TextEdit[] = [];
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\b(?:until|while\\s+!)\\s+nslookup(?:\\s+-\\S+)*\\s+(${esc})(?=[\\s;&|)'"\`\\\\]|$)`, 'g');
  for (let line = r.start.line; line <= r.end.line; line++) {
    const text = doc.lineText(line);
    const from = line === r.start.line ? r.start.character : 0;
    const to = line === r.end.line ? r.end.character : text.length;
    for (const m of text.slice(from, to).matchAll(re)) {
      const ch = from + m.index! + m[0].length - name.length;
      edits.push({ range: { start: { line, character: ch }, end: { line, character: ch + name.length } }, newText: full });
    }
  }
  return edits.length ? [{ title: `Ask the full name (${full})`, edits, preferred: true }] : [];
}

/** `path:String` → `path: String`, when the diagnostic says a space is missing. */
function missingSpaceFix(doc: ModelDocument, line: number): Fix[] {
  const m = missingSpace(doc, line);
  if (!m) return [];
  const at = { line, character: m.colon + 1 };
  return [{ title: 'Add a space after the colon', edits: [{ range: { start: at, end: at }, newText: ' ' }], preferred: true }];
}

/**
 * Tabs in the indentation become spaces, on every line of the document the parser flagged (a tab inside a
 * `|` or `>` block is text, and stays): under a line ending in `:` the line goes two columns right of that
 * key; a line indented as the line above stays with it; otherwise each tab is two spaces. A tab after a
 * list dash becomes a space.
 */
function tabIndentFix(doc: ModelDocument): Fix[] {
  const flagged = new Set(doc.problems.filter((p) => p.code === 'TAB_AS_INDENT').map((p) => p.range.start.line));
  const edits: TextEdit[] = [];
  let prev: { raw: string; fixed: number; keyCol: number; opens: boolean } | undefined;
  for (let line = doc.startLine; line <= doc.endLine; line++) {
    const text = doc.lineText(line);
    const lead = /^[ \t]*/.exec(text)![0];
    const rest = text.slice(lead.length);
    if (rest === '' || rest.startsWith('#')) continue;
    const dashRun = /^(?:-[ \t]+)*/.exec(rest)![0];
    let fixed = lead.length;
    if (flagged.has(line)) {
      if (lead.includes('\t')) {
        if (prev?.opens) fixed = prev.keyCol + 2;
        else if (prev && prev.raw === lead) fixed = prev.fixed;
        else fixed = lead.replace(/\t/g, '  ').length;
      }
      const dashes = dashRun.replace(/\t/g, ' ');
      if (lead.includes('\t') || dashes !== dashRun) {
        edits.push({ range: { start: { line, character: 0 }, end: { line, character: lead.length + dashRun.length } }, newText: ' '.repeat(fixed) + dashes });
      }
    }
    prev = { raw: lead, fixed, keyCol: fixed + dashRun.replace(/\t/g, ' ').length, opens: /:\s*(?:#.*)?$/.test(rest) };
  }
  return edits.length ? [{ title: 'Indent with spaces instead of tabs', edits, preferred: true }] : [];
}

function choices(range: Range | undefined, values: string[], title: (v: string) => string): Fix[] {
  return range ? values.map((v, i) => ({ title: title(v), edits: [{ range, newText: v }], preferred: values.length === 1 && i === 0 })) : [];
}

/** A number or boolean where a string belongs (an env value `8080`): quote it. */
function quoteScalar(doc: ModelDocument, path: FieldPath, fix: Obj): Fix[] {
  const v = valueAt(doc, path);
  if (fix.expected !== 'string' || (typeof v !== 'number' && typeof v !== 'boolean')) return [];
  const r = doc.rangeOfPath(path, 'value');
  if (!r || r.start.line !== r.end.line) return [];
  const raw = doc.lineText(r.start.line).slice(r.start.character, r.end.character);
  return [{ title: `Quote the value ("${raw}")`, edits: [{ range: r, newText: JSON.stringify(raw) }], preferred: true }];
}

/** A misindented key moved to its siblings' column, with the lines nested under it. */
function reindentFix(doc: ModelDocument, fix: Obj): Fix[] {
  const { line, col, want, blockEnd } = fix as { line?: number; col?: number; want?: number; blockEnd?: number };
  if (typeof line !== 'number' || typeof col !== 'number' || typeof want !== 'number' || typeof blockEnd !== 'number' || want < 0) return [];
  const edits: TextEdit[] = [];
  for (let n = line; n <= blockEnd; n++) {
    const text = doc.lineText(n);
    const indent = text.length - text.trimStart().length;
    if (text.trim() === '' || indent < col) continue;
    edits.push({ range: { start: { line: n, character: 0 }, end: { line: n, character: indent } }, newText: ' '.repeat(indent + want - col) });
  }
  return edits.length ? [{ title: `Indent it with ${want} spaces, as its siblings`, edits, preferred: true }] : [];
}

/** A quoted number where the schema wants one (`replicas: "3"`, `containerPort: "80"`): write the number. */
function unquoteNumber(doc: ModelDocument, path: FieldPath, fix: Obj): Fix[] {
  const v = valueAt(doc, path);
  const pattern = fix.expected === 'integer' ? /^[-+]?\d+$/ : fix.expected === 'number' ? /^[-+]?\d+(\.\d+)?$/ : undefined;
  if (!pattern || typeof v !== 'string' || !pattern.test(v.trim())) return [];
  const n = String(Number(v.trim()));
  return replaceRange(doc.rangeOfPath(path, 'value'), n, `Write it as a number (${n})`, true);
}

/** Edits renaming the volume `from` to `to` in every volumeMount and volumeDevice of a pod spec's containers. */
function volumeUses(doc: ModelDocument, specPath: FieldPath, from: string, to: string): TextEdit[] {
  const spec = rec(valueAt(doc, specPath));
  const edits: TextEdit[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const ctrs = spec?.[list];
    if (!Array.isArray(ctrs)) continue;
    ctrs.forEach((c, i) => {
      for (const field of ['volumeMounts', 'volumeDevices']) {
        const uses = rec(c)?.[field];
        if (!Array.isArray(uses)) continue;
        uses.forEach((u, j) => {
          if (rec(u)?.name !== from) return;
          const r = doc.rangeOfPath([...specPath, list, i, field, j, 'name'], 'value');
          if (r) edits.push({ range: r, newText: to });
        });
      }
    });
  }
  return edits;
}

/** Lower-case the name and replace what DNS names may not hold; offered only when the result is valid. */
function renameFix(doc: ModelDocument, path: FieldPath, kind: string, alsoRename?: (from: string, to: string) => TextEdit[]): Fix[] {
  const v = valueAt(doc, path);
  if (typeof v !== 'string') return [];
  const label = kind === 'label' || kind === 'Service' || kind === 'Namespace';
  let name = v.toLowerCase().replace(label ? /[^a-z0-9-]+/g : /[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  if (kind === 'Service') name = name.replace(/^[0-9-]+/, '');
  name = name.slice(0, label ? 63 : 253).replace(/[-.]+$/, '');
  const valid = kind === 'Service' ? isDNS1035Label(name) : label ? isDNS1123Label(name) : isDNS1123Subdomain(name);
  if (!name || name === v || valid.length) return [];
  const r = doc.rangeOfPath(path, 'value');
  if (!r) return [];
  const also = alsoRename?.(v, name) ?? [];
  return [{ title: also.length ? `Rename to "${name}" (and its ${also.length} use${also.length > 1 ? 's' : ''})` : `Rename to "${name}"`, edits: [{ range: r, newText: name }, ...also], preferred: true }];
}

/** Deletes a block-mapping entry (its key line through its value), unless it shares a line with other content. */
function removeField(doc: ModelDocument, path: FieldPath, preferred = false): Fix[] {
  const key = doc.rangeOfPath(path, 'key');
  const value = doc.rangeOfPath(path, 'value');
  if (!key || !value) return [];
  // Only an entry alone on its line(s): not `- name: x` list-item heads, not flow mappings.
  if (doc.lineText(key.start.line).slice(0, key.start.character).trim() !== '') return [];
  const end = value.end.character === 0 ? value.end : { line: value.end.line + 1, character: 0 };
  if (value.end.character !== 0 && doc.lineText(value.end.line).slice(value.end.character).trim() !== '') return [];
  return [{ title: `Remove ${path[path.length - 1]}`, edits: [{ range: { start: { line: key.start.line, character: 0 }, end }, newText: '' }], preferred }];
}

function replaceRange(range: Range | undefined, text: string, title: string, preferred = false): Fix[] {
  return range ? [{ title, edits: [{ range, newText: text }], preferred }] : [];
}

/** apiVersion → replacement, plus the selector apps/v1 requires when the old version defaulted it. */
function replaceApiVersion(doc: ModelDocument, objPath: FieldPath, replacement: string): Fix {
  const edits: TextEdit[] = [];
  const r = doc.rangeOfPath([...objPath, 'apiVersion'], 'value');
  if (r) edits.push({ range: r, newText: replacement });
  const obj = rec(valueAt(doc, objPath));
  const kind = obj?.kind;
  let title = `Change apiVersion to ${replacement}`;
  if (replacement === 'apps/v1' && typeof kind === 'string' && APPS_V1_WORKLOADS.has(kind)) {
    const spec = rec(obj?.spec);
    const labels = rec(rec(rec(spec?.template)?.metadata)?.labels);
    if (spec && !spec.selector && labels && Object.keys(labels).length) {
      const ins = insertIntoMap(doc, [...objPath, 'spec'], (indent) => `selector:\n${indent}  matchLabels:\n${renderMap(labels, indent + '    ').replace(/\n$/, '')}`, true);
      if (ins) {
        edits.push(ins);
        title += ' and add the selector it requires';
      }
    }
  }
  return { title, edits, preferred: true };
}

function placeholder(t: TypeRef | undefined): string {
  if (!t) return '""';
  switch (t.kind) {
    case 'object': case 'map': return '{}';
    case 'array': return '[]';
    case 'intOrString': return '0';
    case 'primitive':
      if (t.enum?.length) return t.enum[0];
      return t.type === 'boolean' ? 'false' : t.type === 'string' ? '""' : '0';
    default: return '""';
  }
}

/** Required port numbers: 0 is refused, so the field comes with the most common port instead. */
const PORT_FIELDS = new Set(['containerPort', 'port']);

function addField(doc: ModelDocument, path: FieldPath, ctx: ServiceContext): Fix[] {
  const field = path[path.length - 1];
  if (typeof field !== 'string') return [];
  const parent = path.slice(0, -1);
  const at = doc.objectAt(parent);
  const info = at?.object.kindInfo;
  const type = info ? ctx.schema.walk({ kind: 'object', ref: info.definition }, [...at!.rest, field])?.type : undefined;
  // An Ingress path's type: Prefix is what nearly every Ingress means (and what ingress-nginx makes of
  // ImplementationSpecific); Exact matches the one path only.
  if (field === 'pathType' && at?.object.kind === 'Ingress') {
    return (['Prefix', 'Exact', 'ImplementationSpecific'] as const).flatMap((v, i) => {
      const ins = insertIntoMap(doc, parent, () => `pathType: ${v}`);
      return ins ? [{ title: `Add pathType: ${v}`, edits: [ins], preferred: i === 0 }] : [];
    });
  }
  // A workload's selector: the template's labels are what it must match (an empty selector is refused too).
  if (field === 'selector' && parent.length && parent[parent.length - 1] === 'spec') {
    const labels = rec(rec(rec(rec(valueAt(doc, parent))?.template)?.metadata)?.labels);
    if (labels && Object.keys(labels).length) {
      const ins = insertIntoMap(doc, parent, (indent) => `selector:\n${indent}  matchLabels:\n${renderMap(labels, indent + '    ').replace(/\n$/, '')}`, true);
      return ins ? [{ title: 'Add the selector, matching the template\'s labels', edits: [ins], preferred: true }] : [];
    }
  }
  // A misspelt key beside it ("containerport") has its rename offered: adding the field too would leave two.
  const siblings = Object.keys(rec(valueAt(doc, parent)) ?? {});
  if (siblings.some((k) => k !== field && closest(k, [field]) === field)) return [];
  const value = field === 'image' ? '""' : PORT_FIELDS.has(field) ? '80' : placeholder(type);
  const ins = insertIntoMap(doc, parent, () => `${field}: ${value}`);
  return ins ? [{ title: `Add required field "${field}"`, edits: [ins], preferred: true }] : [];
}

/** Make the template labels carry the selector's matchLabels (preferred), or the selector match the labels. */
function selectorFixes(doc: ModelDocument, objPath: FieldPath): Fix[] {
  const obj = rec(valueAt(doc, objPath));
  const spec = rec(obj?.spec);
  const sel = rec(spec?.selector);
  const kind = obj?.kind;
  const matchLabels = kind === 'ReplicationController' ? sel : rec(sel?.matchLabels);
  const labels = rec(rec(rec(spec?.template)?.metadata)?.labels) ?? {};
  const fixes: Fix[] = [];
  if (matchLabels && Object.keys(matchLabels).length) {
    const edits = textEdits();
    const labelsPath = [...objPath, 'spec', 'template', 'metadata', 'labels'];
    const missing: Obj = {};
    for (const [k, v] of Object.entries(matchLabels)) {
      if (!(k in labels)) missing[k] = v;
      else if (String(labels[k]) !== String(v)) {
        const r = doc.rangeOfPath([...labelsPath, k], 'value');
        if (r) edits.push({ range: r, newText: String(v) });
      }
    }
    if (Object.keys(missing).length) {
      const ins = rec(valueAt(doc, labelsPath))
        ? insertIntoMap(doc, labelsPath, (indent) => renderMap(missing, indent).trimStart().replace(/\n$/, ''))
        : insertIntoMap(doc, labelsPath.slice(0, -1), (indent) => `labels:\n${renderMap(missing, indent + '  ').replace(/\n$/, '')}`);
      if (ins) edits.push(ins);
    }
    if (edits.length) fixes.push({ title: 'Add the selector\'s labels to the pod template', edits, preferred: true });
  }
  if (Object.keys(labels).length && kind !== 'ReplicationController') {
    const mlPath = [...objPath, 'spec', 'selector', 'matchLabels'];
    const r = doc.rangeOfPath(mlPath, 'value');
    if (r && rec(valueAt(doc, mlPath))) {
      const block = r.start.line > (doc.rangeOfPath(mlPath, 'key')?.start.line ?? r.start.line);
      let text = block ? renderMap(labels, ' '.repeat(r.start.character)).trimStart().replace(/\n$/, '') : `{${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
      if (r.end.character === 0) text += '\n';
      fixes.push({ title: 'Use the template labels as the selector', edits: [{ range: r, newText: text }] });
    }
  }
  return fixes;
}

function declareVolume(doc: ModelDocument, volumesPath: FieldPath, name: string): Fix[] {
  // A name no volume may have would only trade this error for another: the mount's name is the thing to fix.
  if (isDNS1123Label(name).length) return [];
  const existing = valueAt(doc, volumesPath);
  let ins: TextEdit | undefined;
  if (Array.isArray(existing) && existing.length) {
    const first = doc.rangeOfPath([...volumesPath, 0], 'value');
    if (!first) return [];
    const line = doc.lineText(first.start.line);
    const dash = line.lastIndexOf('-', first.start.character);
    const indent = ' '.repeat(Math.max(0, dash));
    const last = doc.rangeOfPath([...volumesPath, existing.length - 1], 'value');
    if (!last) return [];
    const end = last.end.character === 0 ? last.end : { line: last.end.line + 1, character: 0 };
    ins = { range: { start: end, end }, newText: `${indent}- name: ${name}\n${indent}  emptyDir: {}\n` };
  } else {
    ins = insertIntoMap(doc, volumesPath.slice(0, -1), (indent) => `volumes:\n${indent}- name: ${name}\n${indent}  emptyDir: {}`);
  }
  return ins ? [{ title: `Declare volume "${name}" (emptyDir)`, edits: [ins], preferred: true }] : [];
}

/** One egress rule, as list-item lines at `ind`: to the cluster DNS pods, port 53 over UDP and TCP. */
function dnsRule(ind: string): string {
  return [
    '- to:', '  - namespaceSelector:', '      matchLabels:', '        kubernetes.io/metadata.name: kube-system', '    podSelector:', '      matchLabels:', '        k8s-app: kube-dns',
    '  ports:', '  - protocol: UDP', '    port: 53', '  - protocol: TCP', '    port: 53',
  ].map((l) => ind + l).join('\n');
}

/** Adds the rule that lets a NetworkPolicy's pods ask the cluster DNS, after its egress rules. */
function dnsEgressFix(doc: ModelDocument, spec: FieldPath): Fix[] {
  const rules = valueAt(doc, [...spec, 'egress']);
  if (!Array.isArray(rules) || !rules.length) return [];
  const first = doc.rangeOfPath([...spec, 'egress', 0], 'value');
  const last = doc.rangeOfPath([...spec, 'egress', rules.length - 1], 'value');
  if (!first || !last) return [];
  const dash = doc.lineText(first.start.line).lastIndexOf('-', first.start.character);
  // A flow-style list ([...]) has no dash to line up with.
  if (dash < 0) return [];
  // A block item ends at the start of the next line; one that ends mid-line (the file's last line without a
  // newline, a flow item) gets the rule on a new line after it.
  const eol = { line: last.end.line, character: doc.lineText(last.end.line).length };
  const ins: TextEdit = last.end.character === 0
    ? { range: { start: last.end, end: last.end }, newText: dnsRule(' '.repeat(dash)) + '\n' }
    : { range: { start: eol, end: eol }, newText: '\n' + dnsRule(' '.repeat(dash)) };
  return [{ title: 'Allow DNS: egress to the kube-dns pods in kube-system on port 53 (UDP and TCP)', edits: [ins], preferred: true }];
}

function restartPolicyFixes(doc: ModelDocument, path: FieldPath, allowed: string[]): Fix[] {
  const present = valueAt(doc, path) !== undefined;
  const out: Fix[] = [];
  allowed.forEach((v, i) => {
    const r = present ? doc.rangeOfPath(path, 'value') : undefined;
    const edit = r ? { range: r, newText: v } : present ? undefined : insertIntoMap(doc, path.slice(0, -1), () => `restartPolicy: ${v}`);
    if (edit) out.push({ title: `Set restartPolicy to ${v}`, edits: [edit], preferred: i === 0 });
  });
  return out;
}
