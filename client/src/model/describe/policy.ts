import { PrefixWriter } from './writer';
import { annotationsMultiline, labelsMultiline } from './common';
import { formatQty, parseQty, qtyOf, qtyValue } from '../../../../kube/src/qty';
import type { KObject } from '../types';

/** The scopes `kubectl describe quota` explains, in its words. */
const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

const text = (v: unknown) => (v === undefined || v === null ? '0' : String(v));

/**
 * `describe quota` prints used in hard's format when the two differ: the
 * used amount rounded up to a whole number (a BinarySI hard of `1Gi` shows a
 * DecimalSI used of `500M` as `500000000`).
 */
function usedAsHard(used: unknown, hard: unknown): string {
  const u = parseQty(text(used) as string);
  const h = parseQty(text(hard) as string);
  if (!u || !h || u.format === h.format) return text(used);
  return formatQty(qtyOf(qtyValue(u) * 1_000_000_000n, h.format));
}

/**
 * A quota's scopes and its Resource/Used/Hard table. The two kubectl describers differ in small ways, kept here:
 * `describe quota` writes ` * ` before a scope's help and four dashes, and shows used in hard's format;
 * `describe namespace` writes `* `, three dashes, and used as it is.
 */
function quotaTable(w: PrefixWriter, q: KObject, level: number, ofNamespace: boolean): void {
  const scopes = [...(q.spec?.scopes ?? [])].map(String).sort();
  if (scopes.length) {
    w.write(level, `Scopes:\t${scopes.join(', ')}\n`);
    for (const s of scopes) if (SCOPE_HELP[s]) w.write(level, `${ofNamespace ? '' : ' '}* ${SCOPE_HELP[s]}\n`);
  }
  w.write(level, 'Resource\tUsed\tHard\n');
  w.write(level, ofNamespace ? '--------\t---\t---\n' : '--------\t----\t----\n');
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  for (const k of Object.keys(hard).sort()) w.write(level, `${k}\t${ofNamespace ? text(used[k]) : usedAsHard(used[k], hard[k])}\t${text(hard[k])}\n`);
}

/** `kubectl describe resourcequota`. */
export function describeQuota(q: KObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${q.metadata.name}\n`);
  w.write(0, `Namespace:\t${q.metadata.namespace}\n`);
  quotaTable(w, q, 0, false);
  return w.toString();
}

/** The rows of a LimitRange's table: one per item and resource, `-` where a value is not set. */
function limitRows(w: PrefixWriter, lr: KObject, prefix: string): void {
  for (const item of lr.spec?.limits ?? []) {
    const fields = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];
    const names = new Set<string>();
    for (const f of fields) for (const k of Object.keys(item?.[f] ?? {})) names.add(k);
    for (const k of [...names].sort()) {
      const cells = fields.map((f) => (item?.[f]?.[k] !== undefined ? String(item[f][k]) : '-'));
      w.write(0, `${prefix}${item?.type ?? ''}\t${k}\t${cells.join('\t')}\n`);
    }
  }
}

const LIMIT_HEADER = 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n';
const LIMIT_RULE = '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n';

/** `kubectl describe limitrange`. */
export function describeLimitRange(lr: KObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${lr.metadata.name}\n`);
  w.write(0, `Namespace:\t${lr.metadata.namespace}\n`);
  w.write(0, LIMIT_HEADER);
  w.write(0, LIMIT_RULE);
  limitRows(w, lr, '');
  return w.toString();
}

/** `kubectl describe namespace`: its status, then every quota of it and the merged table of its LimitRanges. */
export function describeNamespace(ns: KObject, quotas: KObject[], ranges: KObject[]): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsMultiline(w, 'Labels', ns.metadata.labels);
  annotationsMultiline(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  w.write(0, '\n');
  if (!quotas.length) w.write(0, 'No resource quota.\n');
  else {
    w.write(0, 'Resource Quotas\n');
    for (const q of [...quotas].sort((a, b) => (String(a.metadata.name) < String(b.metadata.name) ? -1 : 1))) {
      w.write(1, `Name:\t${q.metadata.name}\n`);
      quotaTable(w, q, 1, true);
    }
  }
  w.write(0, '\n');
  if (!ranges.length) w.write(0, 'No LimitRange resource.\n');
  else {
    w.write(0, `Resource Limits\n ${LIMIT_HEADER}`);
    w.write(0, ` ${LIMIT_RULE}`);
    for (const lr of ranges) limitRows(w, lr, ' ');
  }
  return w.toString();
}
