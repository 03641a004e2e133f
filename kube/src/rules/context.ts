/**
 * What every rule module sees, and the helpers several of them share
 * (where a kind keeps its pod spec, how to build a finding).
 */
import type { KindInfo, TypeDef } from '../schema/types';
import type { FieldErrorType, FieldPath, Finding, RuleContext, Severity } from './types';

/**
 * The part of the schema loader (kube/src/schema/index.ts) the rules use.
 * Structural, so tests can pass a small hand-made schema.
 */
export interface SchemaLike {
  kind(apiVersion: string, kind: string): KindInfo | undefined;
  kindsByKind(kind: string): KindInfo[];
  /** Served kinds of one apiVersion (empty for a group/version the schema does not know, such as a CRD's). */
  kindsByApiVersion?(apiVersion: string): KindInfo[];
  def(id: string): TypeDef | undefined;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface RuleRunContext extends RuleContext {
  schema: SchemaLike;
  /** Schema entry of the object's apiVersion+kind; undefined for unknown kinds. */
  kindInfo?: KindInfo;
  apiVersion: string;
  kind: string;
}

/** One rule: a stable code, a default severity and a check over the plain object. */
export interface Rule {
  /** Codes this module can emit (first is its own). */
  codes: string[];
  /** Kinds it applies to; undefined = every kind. */
  kinds?: string[];
  /** Its findings are the editor's alone (no apiError): the apiserver does not run it. */
  editorOnly?: boolean;
  check(obj: JsonObject, ctx: RuleRunContext, out: Finding[]): void;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function get(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/**
 * A marker a rule pushes at a path the schema lists as required but upstream
 * does not require (the OpenAPI required lists come from JSON tags): the
 * engine drops the schema's "Required value" there, and the marker with it.
 */
export const ACCEPTED_MISSING = 'accepted-missing';

/** A finding the apiserver would also report, with the upstream error parts. */
export function apiFinding(code: string, path: FieldPath, type: FieldErrorType, value: unknown, detail: string, message?: string, severity: Severity = 'error'): Finding {
  return { code, severity, path, message: message ?? formatApiMessage(type, value, detail), apiError: { type, value, detail } };
}

/** A ResourceName or a Quantity prints through its String method: no quotes. */
export function invalidBare(code: string, path: FieldPath, text: string, detail: string): Finding {
  const f = apiFinding(code, path, 'FieldValueInvalid', text, detail, `Invalid value: ${text}: ${detail}`);
  f.apiError!.valueText = text;
  return f;
}

/** field.Path.Key prints `hard[cpu]`: the editor keeps the real path, the apiserver message the keyed one. */
export function keyedAt(f: Finding): Finding {
  const p = f.path;
  if (p.length >= 2 && typeof p[p.length - 1] === 'string') {
    const api = [...p.slice(0, -2), `${String(p[p.length - 2])}[${String(p[p.length - 1])}]`];
    f.apiError = { ...f.apiError!, apiPath: api };
  }
  return f;
}

/** The error types whose body prints the value. */
const VALUE_HEADS: Partial<Record<FieldErrorType, string>> = {
  FieldValueInvalid: 'Invalid value', FieldValueTypeInvalid: 'Invalid value', FieldValueDuplicate: 'Duplicate value', FieldValueNotFound: 'Not found',
  FieldValueNotSupported: 'Unsupported value',
};

/** Upstream `field.Error.ErrorBody()` without the path: `Invalid value: "x": detail`. */
export function formatApiMessage(type: FieldErrorType, value: unknown, detail: string, supported?: string[], valueText?: string): string {
  const head = VALUE_HEADS[type];
  if (valueText !== undefined && head) {
    const list = type === 'FieldValueNotSupported' && supported?.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
    return `${head}: ${valueText}${list}${detail ? `: ${detail}` : ''}`;
  }
  switch (type) {
    case 'FieldValueRequired': return detail ? `Required value: ${detail}` : 'Required value';
    case 'FieldValueForbidden': return `Forbidden: ${detail}`;
    case 'FieldValueTooLong': return `Too long: ${detail}`;
    case 'FieldValueTooMany': return `Too many: ${goValue(value)}: ${detail}`;
    case 'FieldValueDuplicate': return `Duplicate value: ${goValue(value)}`;
    case 'FieldValueNotFound': return `Not found: ${goValue(value)}`;
    case 'FieldValueNotSupported': {
      const list = (supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${goValue(value)}${list ? `: supported values: ${list}` : ''}`;
    }
    case 'FieldValueTypeInvalid': return `Invalid value: ${goValue(value)}: ${detail}`;
    default: return `Invalid value: ${goValue(value)}: ${detail}`;
  }
}

/** Roughly how upstream prints values: strings quoted, numbers bare, maps as map[k:v]. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    return `map[string]string{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(o[k]))}`).join(', ')}}`;
  }
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return String(v);
}

/** Where each kind keeps a pod spec, and the metadata that goes with it. */
export interface PodSpecSite {
  /** Path of the PodSpec object. */
  specPath: FieldPath;
  /** Path of the pod (template) metadata. */
  metaPath: FieldPath;
  spec: JsonObject;
  /** true for templates inside a workload (not a bare Pod). */
  template: boolean;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController', 'Job']);

/** Several rules ask for the same object's sites in a row; remember the last answer. */
let lastObj: JsonObject | undefined;
let lastSites: PodSpecSite[] = [];

export function podSpecSites(obj: JsonObject, kind: string): PodSpecSite[] {
  if (obj === lastObj) return lastSites;
  lastSites = computeSites(obj, kind);
  lastObj = obj;
  return lastSites;
}

const NO_SITES: PodSpecSite[] = [];

function computeSites(obj: JsonObject, kind: string): PodSpecSite[] {
  let base: FieldPath | undefined;
  if (kind === 'Pod') return isObject(obj.spec) ? [{ specPath: ['spec'], metaPath: ['metadata'], spec: obj.spec, template: false }] : NO_SITES;
  if (TEMPLATE_KINDS.has(kind)) base = ['spec', 'template'];
  else if (kind === 'CronJob') base = ['spec', 'jobTemplate', 'spec', 'template'];
  else if (kind === 'PodTemplate') base = ['template'];
  if (!base) return NO_SITES;
  const tmpl = get(obj, base);
  const spec = isObject(tmpl) ? tmpl.spec : undefined;
  return isObject(spec) ? [{ specPath: [...base, 'spec'], metaPath: [...base, 'metadata'], spec, template: true }] : NO_SITES;
}

/** Where a kind keeps a JobSpec: a Job's spec, a CronJob's job template spec. */
export function jobSpecPath(kind: string): FieldPath | undefined {
  return kind === 'Job' ? ['spec'] : kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec'] : undefined;
}

/** Iterates a list field, skipping non-object items (the schema walk reports those). */
export function eachObject(list: unknown, fn: (item: JsonObject, index: number) => void): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) { const it = list[i]; if (isObject(it)) fn(it, i); }
}

/**
 * The script a container runs as `SHELL -c SCRIPT` (in command, in args, or across both), with where it is: its
 * index in command + args (2 when the shell is the program itself: `[sh, -c, SCRIPT]`) and its path under the container. `shells`
 * are the program names that count (a path's last element is its name).
 */
export function shellScriptArg(ctr: JsonObject, shells: ReadonlySet<string>): { script: string; index: number; path: FieldPath } | undefined {
  const command = Array.isArray(ctr.command) ? ctr.command : [];
  const argv = [...command, ...(Array.isArray(ctr.args) ? ctr.args : [])];
  const c = argv.findIndex((a, k) => a === '-c' && k > 0 && typeof argv[k - 1] === 'string' && shells.has(String(argv[k - 1]).replace(/^.*\//, '')));
  const script = c >= 0 ? argv[c + 1] : undefined;
  if (typeof script !== 'string') return undefined;
  const at = c + 1;
  return { script, index: at, path: at < command.length ? ['command', at] : ['args', at - command.length] };
}
