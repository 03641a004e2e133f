/**
 * The Table of a custom resource (apiextensions-apiserver pkg/registry/customresource/tableconvertor): Name,
 * then the version's additionalPrinterColumns (Age by default), each cell the first value its JSONPath finds,
 * shaped by the column's type (cellForJSONValue: dates as ages, `<invalid>` when unparsable).
 */
import type { PrinterColumn } from '../../apiserver/crd/types';
import { type Column, type Printer, NAME_COL, since } from './format';

/** Evaluates a JSONPath of the forms CRDs use: `.a.b`, `.a[0]`, `.a[*].b`, `.a[?(@.k=="v")].b`; every match, in order. */
export function jsonPathValues(obj: unknown, path: string): unknown[] {
  const p = path.trim().replace(/^\{/, '').replace(/\}$/, '').replace(/^\$/, '');
  const tokens: string[] = [];
  const re = /\.([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p))) tokens.push(m[1] !== undefined ? `.${m[1]}` : `[${m[2]}]`);
  let cur: unknown[] = [obj];
  for (const t of tokens) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (t.startsWith('.')) {
        const k = t.slice(1);
        if (k === '*') {
          if (v && typeof v === 'object') next.push(...Object.values(v as object));
        } else if (v && typeof v === 'object' && !Array.isArray(v) && k in (v as object)) next.push((v as any)[k]);
        continue;
      }
      const inner = t.slice(1, -1).trim();
      if (!Array.isArray(v)) continue;
      if (inner === '*' || inner === ':') next.push(...v);
      else if (/^-?\d+$/.test(inner)) {
        const i = Number(inner);
        const x = v[i < 0 ? v.length + i : i];
        if (x !== undefined) next.push(x);
      } else {
        const f = /^\?\(@\.([\w.-]+)\s*(==|!=)\s*["']?([^"']*)["']?\)$/.exec(inner);
        if (!f) continue;
        for (const item of v) {
          const got = jsonPathValues(item, `.${f[1]}`)[0];
          const eq = got !== undefined && String(got) === f[3];
          if (f[2] === '==' ? eq : !eq) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** How the jsonpath printer writes a value: strings as they are, numbers and booleans as Go prints them, objects as JSON. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** cellForJSONValue: the value as the column's type wants it, or none. */
function cell(type: string, v: unknown, now: number): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      if (typeof v !== 'string') return null;
      return Number.isNaN(Date.parse(v)) ? '<invalid>' : since(v, now);
    default:
      return text(v);
  }
}

export function customPrinter(columns: PrinterColumn[]): Printer {
  const cols: Column[] = [NAME_COL, ...columns.map((c) => {
    const col: Column = {
      name: c.name, type: c.type as Column['type'], format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, priority: c.priority ?? 0,
    };
    return col;
  })];
  return {
    columns: cols,
    row: (o: any, now: number) => ({ cells: [o?.metadata?.name, ...columns.map((c) => cell(c.type, jsonPathValues(o, c.jsonPath)[0], now))] }),
  };
}
