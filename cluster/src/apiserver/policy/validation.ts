/**
 * ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding validation, the common part of
 * pkg/apis/admissionregistration/validation/validation.go (validateValidatingAdmissionPolicySpec,
 * validateMatchResources, validateNamedRuleWithOperations, validateMatchCondition, validateVariable,
 * validateValidation, validateParamKind, validateValidationActions, validateParamRef): required fields, supported
 * values, and expressions that compile in the admission environment (`compilation failed: ERROR: <input>...`).
 * The objects are the defaulted v1 shape (defaults/index.ts).
 */
import type { KObject } from '../../contract';
import type { FieldError } from '../../../../kube/src/rules/status';
import { compileAdmissionExpression } from './vap';
import { admissionEnvironment, declOfCheckedType, withVariables } from './celenv';
import { compile, type DeclType, type TypedEnvironment } from '../../cel/engine';

type Obj = Record<string, any>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const invalid = (field: string, value: unknown, detail: string, valueText?: string): FieldError =>
  ({ type: 'FieldValueInvalid', field, value, detail, ...(valueText !== undefined ? { valueText } : {}) });
/** %#v of a list of strings of a named Go type. */
const goList = (type: string, v: unknown[]) => `[]admissionregistration.${type}{${v.map((x) => JSON.stringify(str(x))).join(', ')}}`;
const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
/** sets.List order: the supported values sorted. */
const notSupported = (field: string, value: unknown, supported: string[]): FieldError =>
  ({ type: 'FieldValueNotSupported', field, value, detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` });

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
const ACTIONS = ['Audit', 'Deny', 'Warn'];
const NOT_FOUND_ACTIONS = ['Allow', 'Deny'];

/** An expression that does not compile in `env`: field.Invalid with the expression and the compiler's words. */
function expressionErrors(at: string, source: string, env: TypedEnvironment, want?: 'bool' | 'string'): FieldError[] {
  const c = compileAdmissionExpression(source, want, undefined, env);
  return c.error ? [invalid(at, source, c.error)] : [];
}

function ruleErrors(r: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(r.resourceNames).forEach((n, i) => {
    if (seen.has(n)) errs.push(duplicate(`${at}.resourceNames[${i}]`, n));
    seen.add(n);
  });
  const ops = list(r.operations);
  if (!ops.length) errs.push(required(`${at}.operations`));
  if (ops.length > 1 && ops.includes('*')) errs.push(invalid(`${at}.operations`, ops, "if '*' is present, must not specify other operations", goList('OperationType', ops)));
  ops.forEach((o, i) => {
    if (!OPERATIONS.includes(o)) errs.push(notSupported(`${at}.operations[${i}]`, o, OPERATIONS));
  });
  if (!list(r.apiGroups).length) errs.push(required(`${at}.apiGroups`));
  if (!list(r.apiVersions).length) errs.push(required(`${at}.apiVersions`));
  if (!list(r.resources).length) errs.push(required(`${at}.resources`));
  return errs;
}

function matchResourcesErrors(mr: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (mr.matchPolicy == null) errs.push(required(`${at}.matchPolicy`));
  else if (!MATCH_POLICIES.includes(mr.matchPolicy)) errs.push(notSupported(`${at}.matchPolicy`, mr.matchPolicy, MATCH_POLICIES));
  list(mr.resourceRules).forEach((r, i) => errs.push(...ruleErrors(obj(r) ?? {}, `${at}.resourceRules[${i}]`)));
  list(mr.excludeResourceRules).forEach((r, i) => errs.push(...ruleErrors(obj(r) ?? {}, `${at}.excludeResourceRules[${i}]`)));
  return errs;
}

const CEL_IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** ValidateValidatingAdmissionPolicy's spec checks. */
export function validatingAdmissionPolicyErrors(o: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec) ?? {};
  if (spec.failurePolicy == null) errs.push(required('spec.failurePolicy'));
  else if (!FAILURE_POLICIES.includes(spec.failurePolicy)) errs.push(notSupported('spec.failurePolicy', spec.failurePolicy, FAILURE_POLICIES));
  const pk = obj(spec.paramKind);
  if (pk) {
    if (!str(pk.apiVersion)) errs.push(required('spec.paramKind.apiVersion'));
    if (!str(pk.kind)) errs.push(required('spec.paramKind.kind'));
  }
  const mc = obj(spec.matchConstraints);
  if (!mc) errs.push(required('spec.matchConstraints'));
  else {
    errs.push(...matchResourcesErrors(mc, 'spec.matchConstraints'));
    // at least one resourceRule, to give the expressions their types
    if (!list(mc.resourceRules).length) errs.push(required('spec.matchConstraints.resourceRules'));
  }
  // matchConditions compile in the stateless environment (no `variables`); the rest in the composited one when the
  // policy has variables, where each variable sees the ones before it (CompileAndStoreVariable).
  const stateless = admissionEnvironment(!!pk);
  const names = new Set<string>();
  list(spec.matchConditions).forEach((m, i) => {
    const at = `spec.matchConditions[${i}]`;
    const expr = str(obj(m)?.expression).trim();
    if (!expr) errs.push(required(`${at}.expression`));
    else errs.push(...expressionErrors(`${at}.expression`, expr, stateless, 'bool'));
    const name = str(obj(m)?.name);
    if (!name) errs.push(required(`${at}.name`));
    else if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    names.add(name);
  });
  const fields: Record<string, DeclType> = {};
  list(spec.variables).forEach((v, i) => {
    const at = `spec.variables[${i}]`;
    const name = str(obj(v)?.name);
    if (!name.trim()) errs.push(required(`${at}.name`, 'name is not specified'));
    else if (!CEL_IDENTIFIER.test(name)) errs.push(invalid(`${at}.name`, name, 'name is not a valid CEL identifier'));
    const expr = str(obj(v)?.expression);
    if (!expr.trim()) errs.push(required(`${at}.expression`, 'expression is not specified'));
    else {
      const env = withVariables(stateless, fields);
      errs.push(...expressionErrors(`${at}.expression`, expr, env));
      // compositionState.AddField: the variable's output type, a dyn when it did not compile.
      const c = compile(env.env, expr, env.objects);
      fields[name] = c.error ? { kind: 'simple', name: 'dyn' } : declOfCheckedType(c.type);
    }
  });
  const composited = list(spec.variables).length ? withVariables(stateless, fields) : stateless;
  const validations = list(spec.validations);
  if (!validations.length && !list(spec.auditAnnotations).length) {
    errs.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    errs.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'));
  }
  validations.forEach((raw, i) => {
    const v = obj(raw) ?? {};
    const at = `spec.validations[${i}]`;
    const expr = str(v.expression);
    if (!expr.trim()) errs.push(required(`${at}.expression`, 'expression is not specified'));
    else errs.push(...expressionErrors(`${at}.expression`, expr, composited, 'bool'));
    const me = str(v.messageExpression);
    if (me && !me.trim()) errs.push(invalid(`${at}.messageExpression`, me, 'must be non-empty if specified'));
    else if (me.trim()) errs.push(...expressionErrors(`${at}.messageExpression`, me, composited, 'string'));
    const msg = str(v.message);
    if (msg && !msg.trim()) errs.push(invalid(`${at}.message`, msg, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg.trim())) errs.push(invalid(`${at}.message`, msg, 'message must not contain line breaks'));
    if (v.reason != null && !REASONS.includes(v.reason)) errs.push(notSupported(`${at}.reason`, v.reason, REASONS));
  });
  return errs;
}

/** ValidateValidatingAdmissionPolicyBinding's spec checks. */
export function validatingAdmissionPolicyBindingErrors(o: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec) ?? {};
  if (!str(spec.policyName)) errs.push(required('spec.policyName'));
  const ref = obj(spec.paramRef);
  if (ref) {
    if (ref.parameterNotFoundAction == null) errs.push(required('spec.paramRef.parameterNotFoundAction'));
    else if (!NOT_FOUND_ACTIONS.includes(ref.parameterNotFoundAction)) errs.push(notSupported('spec.paramRef.parameterNotFoundAction', ref.parameterNotFoundAction, NOT_FOUND_ACTIONS));
  }
  const mr = obj(spec.matchResources);
  if (mr) errs.push(...matchResourcesErrors(mr, 'spec.matchResources'));
  const actions = list(spec.validationActions);
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!ACTIONS.includes(a)) errs.push(notSupported(`spec.validationActions[${i}]`, a, ACTIONS));
    if (seen.has(a)) errs.push(duplicate(`spec.validationActions[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errs.push(invalid('spec.validationActions', actions, 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)', goList('ValidationAction', actions)));
  }
  if (!seen.size) errs.push(required('spec.validationActions', 'at least one validation action is required'));
  return errs;
}
