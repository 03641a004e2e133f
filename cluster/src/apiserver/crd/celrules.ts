/**
 * x-kubernetes-validations: the CEL rules of a CRD's schema, compiled when the CRD is written and evaluated against
 * its custom objects on create and update (apiextensions-apiserver pkg/apiserver/schema/cel: compilation.go
 * compileRule, validation.go Validator.validate). Rules are compiled once per schema node and kept beside it; a schema
 * without rules costs one cached look-up per write.
 */
import type { FieldError } from '../status';
import { fieldErrorText } from '../../../../kube/src/rules/status';
import { deepEqual } from '../../runtime/objects';
import { compile, environment, identifiers, runtimeErrorText, typedEnvironment, CelOptional, type CelProgram, type DeclType, type TypedEnvironment } from '../../cel/engine';
import { toCel } from '../../cel/values';
import { estimateCost, sizeModel } from '../../cel/estimate';
import { COST_LIMIT_EXCEEDED, OUT_OF_BUDGET, PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET, isCostLimitError, runMetered } from '../../cel/cost';
import type { JSONSchemaProps } from './types';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** One x-kubernetes-validations entry (apiextensions v1 ValidationRule). */
export interface ValidationRule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

interface CompiledRule {
  rule: ValidationRule;
  program?: CelProgram;
  /** cel.Error.Detail of a rule that did not compile. */
  error?: string;
  messageProgram?: CelProgram;
  messageError?: string;
  usesOldSelf: boolean;
  /** ValidFieldPath(rule.fieldPath).String(). */
  fieldPath?: string;
  /** CompilationResult.MaxCost and MessageExpressionMaxCost, estimated when the rule is type-checked. */
  maxCost?: number;
  messageMaxCost?: number;
}

const VARS = ['self', 'oldSelf'];
/** The programs that run see self and oldSelf as dyns: the typed compile checks what depends on their types. */
const UNTYPED = { untyped: true };

const typedEnvs = new WeakMap<DeclType, TypedEnvironment>();
const optionalEnvs = new WeakMap<DeclType, TypedEnvironment>();
/**
 * One checking environment per schema node, shared by its rules; with optionalOldSelf, oldSelf is declared an
 * optional of the node's type (compilation.go prepareEnvSet: types.NewOptionalType(scopedType.CelType())).
 */
function typedEnvOf(self: DeclType, optionalOldSelf: boolean): TypedEnvironment {
  const cache = optionalOldSelf ? optionalEnvs : typedEnvs;
  let t = cache.get(self);
  if (!t) cache.set(self, (t = typedEnvironment({ self, oldSelf: optionalOldSelf ? { kind: 'optional', of: self } : self })));
  return t;
}

/**
 * compileRule: the rule must compile to a bool, its messageExpression to a string; an empty rule is skipped. With
 * `self` (the node's declared type, schemaDeclType) the expressions are type-checked against the schema as upstream
 * does when the CRD is written (compilation.go Compile declares self and oldSelf with it, and compileRule wants
 * exactly bool, compileMessageExpression exactly string); without it, as when the rules run, self is a dyn. Either
 * way the program that runs is the dyn one, so evaluation does not change.
 */
export function compileRule(rule: ValidationRule, schema: JSONSchemaProps, self?: DeclType, resourceRoot = false): CompiledRule {
  const out: CompiledRule = { rule, usesOldSelf: false };
  const src = typeof rule.rule === 'string' ? rule.rule : '';
  if (!src.trim()) return out;
  const env = environment(VARS);
  const typed = self ? typedEnvOf(self, rule.optionalOldSelf === true) : undefined;
  const check = (source: string) => (typed ? compile(typed.env, source, typed.objects) : undefined);
  const c = compile(env, src, undefined, UNTYPED);
  const t = check(src) ?? c;
  if (t.error) out.error = `compilation failed: ${t.error}`;
  else if (t.type !== 'bool' && (typed || t.type !== 'dyn')) out.error = 'cel expression must evaluate to a bool';
  else if (c.error) out.error = `compilation failed: ${c.error}`;
  else if (c.programError) out.error = `program instantiation failed: ${c.programError}`;
  else {
    out.program = c.program;
    out.usesOldSelf = identifiers(c.program).has('oldSelf');
    if (typed) out.maxCost = estimateCost(t.program, sizeModel(schema, resourceRoot));
  }
  if (typeof rule.messageExpression === 'string' && rule.messageExpression.trim()) {
    const m = compile(env, rule.messageExpression, undefined, UNTYPED);
    const mt = check(rule.messageExpression) ?? m;
    if (mt.error) out.messageError = `messageExpression compilation failed: ${mt.error}`;
    else if (mt.type !== 'string' && (typed || mt.type !== 'dyn')) out.messageError = 'messageExpression must evaluate to a string';
    else if (m.error) out.messageError = `messageExpression compilation failed: ${m.error}`;
    else if (m.programError) out.messageError = `messageExpression instantiation failed: ${m.programError}`;
    else {
      out.messageProgram = m.program;
      if (typed) out.messageMaxCost = estimateCost(mt.program, sizeModel(schema, resourceRoot));
    }
  }
  if (rule.fieldPath) {
    const p = validFieldPath(rule.fieldPath, schema);
    if (typeof p === 'string') out.fieldPath = p;
  }
  return out;
}

/**
 * ValidFieldPath: a relative JSON path of `.name` and `['name']` steps that exist in the schema, as field.Path
 * prints it (a property as a child, a map key in brackets); an error text when it is not one.
 */
export function validFieldPath(path: string, schema: JSONSchemaProps): string | { error: string } {
  const r = resolveFieldPath(path, schema);
  return 'error' in r ? r : r.path;
}

/**
 * ValidFieldPath with the schema the path ends at, and its option WithFieldPathAllowArrayNotation: selectableFields
 * refuse `[...]` steps (`array notation is not allowed`) where x-kubernetes-validations' fieldPath takes them.
 */
export function resolveFieldPath(path: string, schema: JSONSchemaProps, allowArrayNotation = true): { path: string; schema: JSONSchemaProps } | { error: string } {
  const tokens = path.match(/'(?:\\.|[^'\\])*'|[.[\]]|[^.[\]']+/g) ?? [];
  let s: JSONSchemaProps | undefined = schema;
  let out = '';
  const step = (name: string): string | undefined => {
    if (s?.properties) {
      if (!s.properties[name]) return 'does not refer to a valid field';
      s = s.properties[name];
      out = out ? `${out}.${name}` : name;
    } else if (isObj(s?.additionalProperties)) {
      s = s!.additionalProperties as JSONSchemaProps;
      out = `${out}[${name}]`;
    } else return 'does not refer to a valid field';
    return undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    let err: string | undefined;
    if (t === '.') {
      const name = tokens[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      err = step(name);
    } else if (t === '[') {
      if (!allowArrayNotation) return { error: 'array notation is not allowed' };
      const q = tokens[++i];
      if (q === undefined) return { error: 'unexpected end of JSON path' };
      if (q.length < 2 || q[0] !== "'" || q[q.length - 1] !== "'") return { error: `expected single quoted string but got ${q}` };
      err = step(q.slice(1, -1).replace(/\\(.)/g, '$1'));
      if (tokens[++i] !== ']') return { error: `expected ] but got ${tokens[i] ?? ''}` };
    } else return { error: `expected [ or . but got: ${t}` };
    if (err) return { error: err };
  }
  return { path: out, schema: s! };
}

const compiled = new WeakMap<object, CompiledRule[]>();
function rulesOf(s: JSONSchemaProps): CompiledRule[] {
  let r = compiled.get(s);
  if (!r) {
    const list = Array.isArray(s['x-kubernetes-validations']) ? (s['x-kubernetes-validations'] as ValidationRule[]) : [];
    compiled.set(s, (r = list.map((rule) => compileRule(isObj(rule) ? rule : {}, s))));
  }
  return r;
}

const hasRulesCache = new WeakMap<object, boolean>();
/** Whether any node of the schema carries x-kubernetes-validations (NewValidator returns nil otherwise). */
export function hasRules(s: JSONSchemaProps | undefined): boolean {
  if (!isObj(s)) return false;
  let h = hasRulesCache.get(s);
  if (h === undefined) {
    h = (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length > 0)
      || Object.values(s.properties ?? {}).some(hasRules)
      || (isObj(s.additionalProperties) && hasRules(s.additionalProperties as JSONSchemaProps))
      || hasRules(s.items) || (s.allOf ?? []).some(hasRules);
    hasRulesCache.set(s, h);
  }
  return h;
}

const child = (path: string | undefined, name: string) => (path === undefined ? name : `${path}.${name}`);
/** field.Path.String() of the nil root path that customResourceValidator passes. */
const NIL_PATH = '<nil>';

interface Walk {
  errors: FieldError[];
  warnings: string[];
  /** The cost budget left (RuntimeCELCostBudget for the request); below zero once it ran out, and nothing more runs. */
  budget: number;
}

/**
 * Validator.Validate over a custom object (and the stored one, on update): the rules of each node against its value,
 * then its properties, map values and list items. oldSelf is the correlated old value: the same property, the same
 * map key (unless the map is atomic), the list item with the same keys in a map list; a transition rule is skipped
 * where there is none, unless it asks for optionalOldSelf. An error of a rule without oldSelf on a value the update
 * left unchanged is a warning instead (CRD validation ratcheting, correlation.shouldRatchetError).
 */
export function validateRules(obj: unknown, old: unknown, schema: JSONSchemaProps | undefined): Walk {
  const w: Walk = { errors: [], warnings: [], budget: RUNTIME_CEL_COST_BUDGET };
  if (schema && hasRules(schema)) walk(obj, old, schema, undefined, true, false, old !== undefined, w);
  return w;
}

function walk(x: unknown, old: unknown, s: JSONSchemaProps, path: string | undefined, root: boolean, parentSame: boolean, update: boolean, w: Walk): void {
  if (x === null || x === undefined || w.budget < 0 || !hasRules(s)) return;
  const same = update && old !== undefined ? deepEqual(x, old) : parentSame;
  evaluate(x, old, s, s, path, root, same, w);
  for (const sub of s.allOf ?? []) if (hasRules(sub)) evaluate(x, old, sub, s, path, root, false, w);
  if (Array.isArray(x)) {
    if (!s.items) return;
    const keys = s['x-kubernetes-list-type'] === 'map' ? s['x-kubernetes-list-map-keys'] ?? [] : undefined;
    const olds = Array.isArray(old) ? old : [];
    x.forEach((item, i) => {
      const o = keys && isObj(item) ? olds.find((c) => isObj(c) && keys.every((k) => deepEqual(c[k], item[k]))) : undefined;
      walk(item, o, s.items!, `${path ?? ''}[${i}]`, false, same, update, w);
    });
    return;
  }
  if (!isObj(x)) return;
  // validation.go validateMap: MapIsCorrelatable holds for every map type (atomic too), so children get the old values.
  const oldMap = isObj(old) ? old : {};
  const additional = isObj(s.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined;
  for (const k of Object.keys(x)) {
    if (root && k === 'metadata') continue;
    const prop = s.properties?.[k];
    if (prop) walk(x[k], oldMap[k], prop, child(path, k), false, same, update, w);
    else if (additional) walk(x[k], oldMap[k], additional, `${path ?? ''}[${k}]`, false, same, update, w);
  }
}

/** validateExpressions for one schema node's rules (`rules` is the node or one of its allOf). */
function evaluate(x: unknown, old: unknown, rules: JSONSchemaProps, s: JSONSchemaProps, path: string | undefined, root: boolean, same: boolean, w: Walk): void {
  const list = rulesOf(rules);
  if (!list.length || w.budget < 0) return;
  const type = s.type ?? '';
  const at = path ?? NIL_PATH;
  const stop = (detail: string, field = at) => {
    w.errors.push({ type: 'FieldValueInvalid', field, value: type, detail });
    w.budget = -1;
  };
  if (w.budget <= 0) return stop(OUT_OF_BUDGET);
  let self: unknown;
  let oldSelf: unknown;
  for (const c of list) {
    if (c.error) {
      w.errors.push({ type: 'FieldValueInvalid', field: at, value: type, detail: `rule compile error: ${c.error}` });
      continue;
    }
    if (!c.program) continue;
    const optional = c.rule.optionalOldSelf === true;
    if (c.usesOldSelf && old === undefined && !optional) continue;
    if (self === undefined) self = toCel(x, s, root);
    if (oldSelf === undefined && old !== undefined) oldSelf = toCel(old, s, root);
    const vars = { self, oldSelf: optional ? (old === undefined ? CelOptional.none() : CelOptional.of(oldSelf)) : oldSelf };
    const ruleText = ruleErrorString(c.rule);
    // validation.go validateExpressions: each rule runs with PerCallLimit, and its actual cost comes off the budget.
    const run = runMetered(c.program, vars, PER_CALL_LIMIT);
    if (run.cost > w.budget) return stop(OUT_OF_BUDGET);
    w.budget -= run.cost;
    const result = run.value;
    if (run.error !== undefined) {
      if (isCostLimitError(run.error)) return stop(`'${COST_LIMIT_EXCEEDED}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleText}`);
      const text = runtimeErrorText(run.error);
      const detail = text.startsWith('no such overload')
        ? `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText}`
        : `${text} evaluating rule: ${ruleText}`;
      w.errors.push({ type: 'FieldValueInvalid', field: at, value: type, detail });
      continue;
    }
    if (result === true) continue;
    const field = c.fieldPath ? child(path, c.fieldPath) : at;
    const addErr = (err: FieldError) => {
      if (!c.usesOldSelf && same) w.warnings.push(fieldErrorText(err));
      else w.errors.push(err);
    };
    // messageExpression sees the activation without the optional oldSelf (validation.go evalMessageExpression).
    const message = messageOf(c, { self, oldSelf }, w);
    if (message.stop !== undefined) {
      addErr({ type: 'FieldValueInvalid', field, value: type, detail: message.stop });
      w.budget = -1;
      return;
    }
    const detail = message.text ?? (c.rule.message?.trim() ? c.rule.message.trim() : `failed rule: ${ruleText}`);
    addErr(fieldErrorForReason(field, type, detail, c.rule.reason));
  }
}

/**
 * evalMessageExpression: a non-empty one-line string of at most 5120 bytes, or nothing (the message is used then);
 * its cost comes off the budget, and running out of either stops the validation (`stop`).
 */
function messageOf(c: CompiledRule, vars: Record<string, unknown>, w: Walk): { text?: string; stop?: string } {
  if (!c.messageProgram) return {};
  const run = runMetered(c.messageProgram, vars, PER_CALL_LIMIT);
  if (run.cost > w.budget) return { stop: 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run' };
  if (isCostLimitError(run.error)) {
    return { stop: `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(c.rule.messageExpression ?? '')}` };
  }
  w.budget -= run.cost;
  if (run.error !== undefined || typeof run.value !== 'string') return {};
  const t = run.value.trim();
  if (!t || t.includes('\n') || Buffer.byteLength(t) > 5 * 1024) return {};
  return { text: t };
}

function ruleErrorString(r: ValidationRule): string {
  return r.message?.trim() ? r.message.trim() : (r.rule ?? '').trim();
}

/** fieldErrorForReason: the rule's reason picks the error type; Duplicate prints the value alone. */
function fieldErrorForReason(field: string, type: string, detail: string, reason?: string): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return { type: 'FieldValueForbidden', field, detail };
    case 'FieldValueRequired':
      return { type: 'FieldValueRequired', field, detail };
    case 'FieldValueDuplicate':
      return { type: 'FieldValueDuplicate', field, value: type };
    default:
      return { type: 'FieldValueInvalid', field, value: type, detail };
  }
}
