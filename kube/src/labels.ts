/**
 * Label selectors: the string form used by `?labelSelector=` and kubectl -l,
 * and the structured form (matchLabels / matchExpressions) of manifests.
 * Semantics follow k8s.io/apimachinery/pkg/labels.
 */
import { isQualifiedName, isValidLabelValue } from './names';

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

type Tok = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'id';
const SYMBOLS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', '<': '<', '!=': '!=', '(': '(' };
const isSpecial = (c: string) => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** labels.Lexer: identifiers and keywords (`in`, `notin`), and the longest special symbol. */
function lex(text: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isBlank(text[i])) i++;
    if (i >= text.length) { out.push({ tok: 'end', lit: '' }); return out; }
    if (isSpecial(text[i])) {
      let buf = '', last: { tok: Tok; lit: string } | undefined;
      while (i < text.length && isSpecial(text[i])) {
        buf += text[i++];
        if (SYMBOLS[buf]) last = { tok: SYMBOLS[buf], lit: buf };
        else if (last) { i--; break; }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    const start = i;
    while (i < text.length && !isBlank(text[i]) && !isSpecial(text[i])) i++;
    const word = text.slice(start, i);
    out.push({ tok: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'id', lit: word });
  }
}

/** field.Error text for the selector's own checks (validateLabelKey / validateLabelValue, NewRequirement). */
const invalid = (path: string, value: string, detail: string) => `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

/** NewRequirement's checks, with the paths it prints (the parser gives no path of its own: `key`, `values[0][a]`). */
function requirementErrors(key: string, op: Operator, values: string[]): string[] {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalid('key', key, keyErrs.join('; ')));
  const list = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  if ((op === 'in' || op === 'notin') && !values.length) errs.push(`values: Invalid value: ${list}: for 'in', 'notin' operators, values set can't be empty`);
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => { if (!/^[+-]?\d+$/.test(v)) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer")); });
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(invalid(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  return errs;
}

/**
 * Parses `a=b,c!=d,e in (x,y),!f,g` as labels.Parse does, with its messages: keys must be qualified names and
 * values label values, `in ()` is the one value "", and a trailing comma wants another requirement.
 */
export function parseSelector(s: string): Requirement[] {
  const items = lex(s);
  let pos = 0;
  // In the Values context `in` and `notin` are plain identifiers (a value may be "in").
  const look = (values = true) => { const it = items[pos]; return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id' as Tok, lit: it.lit } : it; };
  const take = (values = true) => { const it = look(values); if (pos < items.length - 1) pos++; return it; };
  const requirement = (): Requirement => {
    let op: Operator | undefined;
    let t = take();
    if (t.tok === '!') { op = '!'; t = take(); }
    if (t.tok !== 'id') throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(invalid('<nil>', key, keyErrs.join('; ')));
    const next = look().tok;
    if (next === 'end' || next === ',') op = op === '!' ? '!' : 'exists';
    if (op === 'exists' || op === '!') return { key, operator: op, values: [] };
    const o = take(false);
    const ops: Partial<Record<Tok, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    op = ops[o.tok];
    if (!op) throw new Error(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    let values: string[];
    if (op === 'in' || op === 'notin') {
      const open = take();
      if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
      const first = look();
      if (first.tok === ')') { take(); values = ['']; }
      else if (first.tok === 'id' || first.tok === ',') {
        const set = new Set<string>();
        for (;;) {
          const v = take();
          if (v.tok === 'id') {
            set.add(v.lit);
            const after = look();
            if (after.tok === ',') continue;
            if (after.tok === ')') break;
            throw new Error(`found '${after.lit}', expected: ',' or ')'`);
          } else if (v.tok === ',') {
            if (!set.size) set.add('');
            const after = look();
            if (after.tok === ')') { set.add(''); break; }
            if (after.tok === ',') { take(); set.add(''); }
          } else throw new Error(`found '${v.lit}', expected: ',', or identifier`);
        }
        const close = take();
        if (close.tok !== ')') throw new Error(`found '${first.lit}', expected: ')'`);
        values = [...set].sort();
      } else throw new Error(`found '${first.lit}', expected: ',', ')' or identifier`);
    } else {
      const v = look();
      if (v.tok === 'end' || v.tok === ',') values = [''];
      else {
        const t2 = take();
        if (t2.tok !== 'id') throw new Error(`found '${t2.lit}', expected: identifier`);
        values = [t2.lit];
      }
    }
    const errs = requirementErrors(key, op, values);
    if (errs.length) throw new Error(aggregate(errs));
    return { key, operator: op, values };
  };
  const reqs: Requirement[] = [];
  for (;;) {
    const t = look();
    if (t.tok === 'end') return reqs;
    if (t.tok !== 'id' && t.tok !== '!') throw new Error(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(requirement());
    } catch (e) {
      throw new Error(`unable to parse requirement: ${(e as Error).message}`);
    }
    const after = take();
    if (after.tok === 'end') return reqs;
    if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
    const again = look();
    if (again.tok !== 'id' && again.tok !== '!') throw new Error(`found '${again.lit}', expected: identifier after ','`);
  }
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
