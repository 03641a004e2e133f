/**
 * Label selectors: the string form used by `?labelSelector=` and kubectl -l,
 * and the structured form (matchLabels / matchExpressions) of manifests.
 * Semantics follow k8s.io/apimachinery/pkg/labels.
 */

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

/** Parses `a=b,c!=d,e in (x,y),!f,g` into requirements; throws on bad syntax. */
export function parseSelector(s: string): Requirement[] {
  const reqs: Requirement[] = [];
  const text = s.trim();
  if (text === '') return reqs;
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const ident = (): string => {
    ws();
    const start = i;
    while (i < text.length && !/[\s,=!()<>]/.test(text[i])) i++;
    return text.slice(start, i);
  };
  while (i < text.length) {
    ws();
    if (text[i] === '!') {
      i++;
      const key = ident();
      if (!key) throw new Error("unable to parse requirement: found '', expected: identifier after '!'");
      reqs.push({ key, operator: '!', values: [] });
    } else {
      const key = ident();
      if (!key) throw new Error(`unable to parse requirement: found '${text[i] ?? ''}', expected: identifier`);
      ws();
      const rest = text.slice(i);
      let op: Operator | undefined;
      if (rest.startsWith('==')) (op = '=='), (i += 2);
      else if (rest.startsWith('!=')) (op = '!='), (i += 2);
      else if (rest.startsWith('=')) (op = '='), (i += 1);
      else if (rest.startsWith('>')) (op = 'gt'), (i += 1);
      else if (rest.startsWith('<')) (op = 'lt'), (i += 1);
      else if (/^in\s*\(/.test(rest)) (op = 'in'), (i += 2);
      else if (/^notin\s*\(/.test(rest)) (op = 'notin'), (i += 5);
      if (!op) {
        reqs.push({ key, operator: 'exists', values: [] });
      } else if (op === 'in' || op === 'notin') {
        ws();
        if (text[i] !== '(') throw new Error(`unable to parse requirement: found '${text[i] ?? ''}', expected: '('`);
        i++;
        const close = text.indexOf(')', i);
        if (close < 0) throw new Error("unable to parse requirement: found '', expected: ')'");
        const values = text
          .slice(i, close)
          .split(',')
          .map((v) => v.trim());
        i = close + 1;
        reqs.push({ key, operator: op, values: values.length === 1 && values[0] === '' ? [] : values });
      } else {
        const value = ident();
        if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(value))
          throw new Error(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        reqs.push({ key, operator: op, values: [value] });
      }
    }
    ws();
    if (i < text.length) {
      if (text[i] !== ',') throw new Error(`unable to parse requirement: found '${text[i]}', expected: ','`);
      i++;
    }
  }
  return reqs;
}

export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Requirement[] {
  const reqs: Requirement[] = [];
  if (!ls) return reqs;
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key: k, operator: '=', values: [v] });
  for (const e of ls.matchExpressions ?? []) {
    const op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : e.operator === 'DoesNotExist' ? '!' : undefined;
    if (!op) throw new Error(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, operator: op, values: e.values ?? [] });
  }
  return reqs;
}

export function matchesRequirements(reqs: Requirement[], labels: Record<string, string> | undefined | null): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case '=':
      case '==':
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const a = Number(v);
        const b = Number(r.values[0]);
        if (r.operator === 'gt' ? !(a > b) : !(a < b)) return false;
        break;
      }
    }
  }
  return true;
}

/**
 * Structured selector match. As upstream: an empty selector matches
 * everything; a null one matches nothing.
 */
export function labelSelectorMatches(ls: LabelSelector | null | undefined, labels: Record<string, string> | undefined | null): boolean {
  if (ls === null || ls === undefined) return false;
  return matchesRequirements(selectorFromLabelSelector(ls), labels);
}

/**
 * labelSelectorMatches for a selector that may be malformed (an editor's half-typed one, a stored object no
 * apiserver would accept): one it cannot read selects nothing, instead of throwing.
 */
export function labelSelectorSelects(ls: unknown, labels: Record<string, string> | undefined | null): boolean {
  try {
    return labelSelectorMatches(ls as LabelSelector, labels ?? {});
  } catch {
    return false;
  }
}

/** `app=web,tier in (a,b)`: the form kubectl prints in SELECTOR columns. */
export function labelSelectorToString(ls: LabelSelector | null | undefined): string {
  if (!ls) return '<none>';
  const reqs = selectorFromLabelSelector(ls).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (reqs.length === 0) return '<none>';
  return reqs.map(requirementToString).join(',');
}

export function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case '=':
    case '==':
      return `${r.key}=${r.values[0]}`;
    case '!=':
      return `${r.key}!=${r.values[0]}`;
    case 'in':
      return `${r.key} in (${[...r.values].sort().join(',')})`;
    case 'notin':
      return `${r.key} notin (${[...r.values].sort().join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
  }
}

/** `a=b,c=d` sorted by key, `<none>` when empty: kubectl's LABELS column. */
export function formatLabels(m: Record<string, string> | undefined | null): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}
