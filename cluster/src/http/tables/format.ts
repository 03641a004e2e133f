/**
 * Cell formatting shared by the per-kind printers, with upstream's wording:
 * ages as duration.HumanDuration, `<none>` for empty values, selectors as
 * metav1.FormatLabelSelector prints them.
 */
import { humanDuration, since } from '../../../../kube/src/duration';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  priority?: number;
}

export interface Row {
  cells: unknown[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface Printer {
  columns: Column[];
  row(obj: any, now: number): Row;
  /** The order a list's rows come in, when the list printer sorts (printFlowSchemaList). */
  order?(objs: any[]): any[];
}

export const NAME_COL: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names' };
export const AGE_COL: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' };

export function col(name: string, type: Column['type'], description: string, priority = 0): Column {
  return priority ? { name, type, description, priority } : { name, type, description };
}

export { humanDuration, since };

export function age(obj: any, now: number): string {
  return since(obj?.metadata?.creationTimestamp, now);
}

export function orNone(s: string | undefined | null): string {
  return s ? s : '<none>';
}

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty. */
export function formatLabelSelector(ls: any): string {
  if (!ls) return '<none>';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of ls.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In': reqs.push({ key: e.key, text: `${e.key} in (${vals})` }); break;
      case 'NotIn': reqs.push({ key: e.key, text: `${e.key} notin (${vals})` }); break;
      case 'Exists': reqs.push({ key: e.key, text: e.key }); break;
      case 'DoesNotExist': reqs.push({ key: e.key, text: `!${e.key}` }); break;
    }
  }
  if (reqs.length === 0) return '<none>';
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

export function containerNames(podSpec: any): string {
  return (podSpec?.containers ?? []).map((c: any) => c.name).join(',');
}

export function containerImages(podSpec: any): string {
  return (podSpec?.containers ?? []).map((c: any) => c.image).join(',');
}

export const CONTAINERS_COL = col('Containers', 'string', 'Names of each container in the template.', 1);
export const IMAGES_COL = col('Images', 'string', 'Images referenced by each container in the template.', 1);

export function int(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
