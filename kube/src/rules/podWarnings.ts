/**
 * Upstream's warnings for a pod spec (pkg/api/pod/warnings.go): the apiserver
 * accepts the object and answers with `Warning:` headers, which kubectl prints.
 * The ones learners meet: a fractional byte quantity (`memory: 512m`, milli-
 * bytes), an env var defined twice (the second hides the first, and apply may
 * drop one), the same container port twice, and a negative grace period.
 * The editor shows them as warnings; the apiserver sends them as headers.
 */
import { canonicalQty } from '../qty';
import { quantityMilli } from '../quantity';
import type { Rule } from './context';
import { eachObject, isObject, podSpecSites, type JsonObject } from './context';
import { formatFieldPath } from './status';
import type { FieldPath, Finding } from './types';

export interface PodWarning {
  /** Where the editor shows it (the key or value the warning is about). */
  path: FieldPath;
  code: string;
  /** The warning as upstream words it, its field path first. */
  text: string;
}

const WARNED_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
/** The fields of a container that podSpecWarnings reads. */
const WARNED_FIELDS = ['resources', 'env', 'ports'] as const;

/** Warnings for the pod spec at `specPath` (in `obj`), in warnings.go's order. */
export function podSpecWarnings(spec: JsonObject, specPath: FieldPath): PodWarning[] {
  const out: PodWarning[] = [];
  const lists = WARNED_LISTS;
  // Per container: fractional bytes (limits before requests, memory before ephemeral storage), then env.
  for (const list of lists) {
    eachObject(spec[list], (c, i) => {
      const at = [...specPath, list, i];
      const res = isObject(c.resources) ? c.resources : undefined;
      for (const [side, resource] of [['limits', 'memory'], ['requests', 'memory'], ['limits', 'ephemeral-storage'], ['requests', 'ephemeral-storage']] as const) {
        const m = res && isObject(res[side]) ? (res[side] as JsonObject) : undefined;
        const v = m?.[resource];
        if (typeof v !== 'string' && typeof v !== 'number') continue;
        let milli: number;
        try { milli = quantityMilli(v); } catch { continue; }
        if (milli % 1000 === 0) continue;
        const path = [...at, 'resources', side, resource];
        out.push({ path, code: 'fractional-bytes', text: `${formatFieldPath([...at, 'resources', side])}[${resource}]: fractional byte value ${JSON.stringify(canonicalQty(v))} is invalid, must be an integer` });
      }
      const seen = new Set<string>();
      eachObject(c.env, (e, j) => {
        if (typeof e.name !== 'string') return;
        if (!seen.has(e.name)) { seen.add(e.name); return; }
        // Not when the new value builds on the old one (X="$(X)123").
        const ref = `$(${e.name})`;
        const value = typeof e.value === 'string' ? e.value : '';
        if (e.valueFrom !== undefined || value === ref || !value.includes(ref)) {
          out.push({ path: [...at, 'env', j, 'name'], code: 'duplicate-env', text: `${formatFieldPath([...at, 'env', j])}: hides previous definition of ${JSON.stringify(e.name)}, which may be dropped when using apply` });
        }
      });
    });
  }
  // Ports across all containers, by port and protocol.
  const ports = new Map<string, { path: FieldPath; hostIP: string; hostPort: number }[]>();
  for (const list of lists) {
    eachObject(spec[list], (c, i) => {
      eachObject(c.ports, (p, j) => {
        if (typeof p.containerPort !== 'number') return;
        const path = [...specPath, list, i, 'ports', j];
        const hostIP = typeof p.hostIP === 'string' ? p.hostIP : '';
        const hostPort = typeof p.hostPort === 'number' ? p.hostPort : 0;
        const key = `${p.containerPort}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`;
        const others = ports.get(key) ?? [];
        for (const o of others) {
          let kind: string | undefined;
          if (hostIP === o.hostIP && hostPort === o.hostPort) kind = 'duplicate';
          else if (hostPort === 0 || o.hostPort === 0) kind = 'overlapping';
          else if (hostPort === o.hostPort && (hostIP === '') !== (o.hostIP === '')) kind = 'dangerously ambiguous';
          if (kind) out.push({ path: [...path, 'containerPort'], code: 'duplicate-port', text: `${formatFieldPath(path)}: ${kind} port definition with ${formatFieldPath(o.path)}` });
        }
        others.push({ path, hostIP, hostPort });
        ports.set(key, others);
      });
    });
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0) {
    out.push({ path: [...specPath, 'terminationGracePeriodSeconds'], code: 'negative-grace-period', text: `${formatFieldPath([...specPath, 'terminationGracePeriodSeconds'])}: must be >= 0; negative values are invalid and will be treated as 1` });
  }
  return out;
}

/** The same warnings in the editor (the apiserver sends them as `Warning:` headers, strategy.ts). */
export const podWarningsRule: Rule = {
  codes: ['fractional-bytes', 'duplicate-env', 'duplicate-port', 'negative-grace-period'],
  editorOnly: true,
  check(obj, ctx, out: Finding[]) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const w of podSpecWarnings(site.spec, site.specPath)) out.push({ code: w.code, severity: 'warning', path: w.path, message: w.text.slice(w.text.indexOf(': ') + 2) });
    }
  },
};

/** Stands for a list item that is no object (podSpecWarnings skips it). */
const NOT_A_CONTAINER = Symbol('not a container');

/**
 * Everything podSpecWarnings reads of `spec` (the grace period, then per container list its length and per item its
 * WARNED_FIELDS or a mark), in a sequence that tells every shape apart: two specs whose sequences hold the same values
 * get the same warnings. Undefined when a value read is an object that may yet change (not frozen). A caller may keep
 * answers keyed on it (the apiserver does), so a new read in podSpecWarnings must be added here too.
 */
export function podSpecWarningReads(spec: JsonObject): unknown[] | undefined {
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== null && typeof grace === 'object') return undefined;
  const reads: unknown[] = [grace];
  for (const list of WARNED_LISTS) {
    const l = spec[list];
    if (!Array.isArray(l)) {
      reads.push(undefined);
      continue;
    }
    reads.push(l.length);
    for (const c of l) {
      if (!c || typeof c !== 'object' || Array.isArray(c)) {
        reads.push(NOT_A_CONTAINER);
        continue;
      }
      for (const f of WARNED_FIELDS) {
        const v = (c as JsonObject)[f];
        if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) return undefined;
        reads.push(v);
      }
    }
  }
  return reads;
}
