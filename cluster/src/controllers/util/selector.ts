/**
 * metav1.LabelSelector matching for controllers, compiled once per sync so a
 * controller can filter thousands of pods cheaply. An empty selector matches
 * everything; a missing one matches nothing (as upstream's
 * LabelSelectorAsSelector).
 */
export type Matcher = (labels: Record<string, string> | undefined) => boolean;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function compileSelector(sel: LabelSelector | undefined | null): Matcher {
  if (!sel) return () => false;
  const ml = Object.entries(sel.matchLabels ?? {});
  const me = (sel.matchExpressions ?? []).map((e) => ({ key: e.key, op: e.operator, values: new Set(e.values ?? []) }));
  return (labels) => {
    const l = labels ?? {};
    for (const [k, v] of ml) if (l[k] !== v) return false;
    for (const e of me) {
      const has = Object.prototype.hasOwnProperty.call(l, e.key);
      switch (e.op) {
        case 'In':
          if (!has || !e.values.has(l[e.key])) return false;
          break;
        case 'NotIn':
          if (has && e.values.has(l[e.key])) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  };
}

/** ReplicationController selectors are plain maps; an empty map selects nothing there. */
export function compileMapSelector(sel: Record<string, string> | undefined): Matcher {
  if (!sel || Object.keys(sel).length === 0) return () => false;
  return compileSelector({ matchLabels: sel });
}

export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}
