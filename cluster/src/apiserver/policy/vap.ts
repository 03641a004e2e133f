/**
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1): CEL validations that a binding applies to the writes
 * its policy's matchConstraints and its own matchResources select, after mutating admission (upstream's
 * k8s.io/apiserver/pkg/admission/plugin/policy/validating: dispatcher.go Dispatch, validator.go Validate, and the
 * generic policy_dispatcher's CollectParams). Each binding of a matching policy evaluates the policy's
 * matchConditions, then its validations (with its variables, lazily) against every param it selects; a failed
 * validation denies the request, warns, or (Audit) has no effect here, as the binding's validationActions say.
 * Evaluation errors follow the policy's failurePolicy. The first denial is the request's error:
 * `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy '<p>' with binding '<b>' denied request: <message>`,
 * with the validation's reason (Invalid, 422, by default) as the status reason and code.
 *
 * The subresources that create (pods/binding, pods/eviction, serviceaccounts/token) pass through with their own
 * objects (a v1 Binding, a policy/v1 Eviction, an authentication.k8s.io/v1 TokenRequest), resource and subresource
 * as requested: a rule selects them by naming `pods/eviction`, `pods/*`, `* /eviction` or `* / *`.
 *
 * Left out: the `authorizer` variables, audit annotations (accepted, never evaluated), and CONNECT requests.
 * Expressions are compiled against dyn objects here; the status controller (typechecking.ts) checks them against the
 * resources' schemas.
 *
 * With no binding in the store a write costs one table-size check.
 */
import type { KObject, WriteOptions } from '../../contract';
import type { Store } from '../../store/store';
import type { AdmissionPlugin } from '../api';
import { resourceForKind, storageId, type ResourceInfo } from '../resources';
import { forbidden, type StatusError } from '../status';
import { getScale } from '../scale';
import { labelSelectorMatches } from '../../../../kube/src/labels';
import { compile, environment, runtimeErrorText, type CelProgram, type TypedEnvironment } from '../../cel/engine';
import { toCel } from '../../cel/values';
import { OUT_OF_BUDGET, RUNTIME_CEL_COST_BUDGET, RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS, runMetered } from '../../cel/cost';
import { matchResources, type Operation, type RequestAttributes } from './match';
import { admissionRequest } from './request';

export const VAP_POLICIES = 'admissionregistration.k8s.io/validatingadmissionpolicies';
export const VAP_BINDINGS = 'admissionregistration.k8s.io/validatingadmissionpolicybindings';

/** The variables of the admission CEL environment (plugin/cel: object, oldObject, request, params, namespaceObject, variables). */
export const ADMISSION_VARS = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'];

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

interface Expr {
  source: string;
  program?: CelProgram;
  /** CompilationResult.Error's text: `compilation failed: ERROR: <input>:1:1: ...` or `must evaluate to bool`. */
  error?: string;
}

interface CompiledPolicy {
  matchConditions: { name: string; expr: Expr }[];
  variables: { name: string; expr: Expr }[];
  validations: { v: Obj; expr: Expr; message?: Expr }[];
}

/** The same without `params`: a policy without paramKind declares none (OptionalVariableDeclarations.HasParams). */
const ADMISSION_VARS_NO_PARAMS = ADMISSION_VARS.filter((v) => v !== 'params');

/**
 * CompileCELExpression: the source compiled in the admission environment, checked to give `want` (or dyn), and its
 * program built (a constant find() pattern that does not compile: `program instantiation failed: ...`).
 * `hasParams`: every expression of a policy declares `params` only when the policy has a paramKind
 * (admissionregistration/validation: HasParams is paramKind != nil, and allowParamsInMatchConditions for
 * matchConditions and messageExpression is set by the same). `typed`: the write-time environment (celenv.ts);
 * without it the variables are dyns, as when the policy runs, and the checks that depend on their types are left out.
 */
export function compileAdmissionExpression(source: string, want?: 'bool' | 'string', hasParams = true, typed?: TypedEnvironment): Expr {
  const c = typed
    ? compile(typed.env, source, typed.objects)
    : compile(environment(hasParams ? ADMISSION_VARS : ADMISSION_VARS_NO_PARAMS), source, undefined, { untyped: true });
  if (c.error) return { source, error: `compilation failed: ${c.error}` };
  if (want && c.type !== want && c.type !== 'dyn') return { source, error: `must evaluate to ${want}` };
  if (c.programError) return { source, error: `program instantiation failed: ${c.programError}` };
  return { source, program: c.program };
}

const compiledPolicies = new WeakMap<object, CompiledPolicy>();
function compiledOf(policy: KObject): CompiledPolicy {
  let c = compiledPolicies.get(policy);
  if (!c) {
    const spec = isObj(policy.spec) ? policy.spec : {};
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const hasParams = isObj(spec.paramKind);
    c = {
      matchConditions: list(spec.matchConditions).filter(isObj).map((m) => ({ name: str(m.name), expr: compileAdmissionExpression(str(m.expression), 'bool', hasParams) })),
      variables: list(spec.variables).filter(isObj).map((v) => ({ name: str(v.name), expr: compileAdmissionExpression(str(v.expression), undefined, hasParams) })),
      validations: list(spec.validations).filter(isObj).map((v) => ({
        v,
        expr: compileAdmissionExpression(str(v.expression), 'bool', hasParams),
        message: str(v.messageExpression).trim() ? compileAdmissionExpression(str(v.messageExpression), 'string', hasParams) : undefined,
      })),
    };
    compiledPolicies.set(policy, c);
  }
  return c;
}

/**
 * The cost budget of one evaluation (filter.go ForInput's runtimeCELCostBudget): what is left, and what the variables
 * read since the last expression cost (CompositionContext.GetAndResetCost), shared by the budgets of one param.
 */
interface Budget {
  remaining: number;
  composition: { cost: number };
}

/**
 * Evaluates one expression with PerCallLimit, its cost (and that of the variables it read first) off the budget
 * (filter.go evaluateWithActivation); the error text is the one plugin/cel gives (`expression '...' resulted in error:
 * ...`, `operation cancelled: actual cost limit exceeded` past the limit). `outOfBudget` ends the evaluation.
 */
function run(expr: Expr, vars: Record<string, unknown>, budget: Budget): { value?: unknown; error?: string; outOfBudget?: true } {
  if (expr.error) return { error: `compilation error: ${expr.error}` };
  const r = runMetered(expr.program!, vars);
  const composition = budget.composition.cost;
  budget.composition.cost = 0;
  if (composition > budget.remaining) return { outOfBudget: true };
  budget.remaining -= composition;
  if (r.cost > budget.remaining) return { outOfBudget: true };
  budget.remaining -= r.cost;
  if (r.error !== undefined) return { error: `expression '${expr.source}' resulted in error: ${runtimeErrorText(r.error)}` };
  return { value: r.value };
}

interface Decision {
  deny: boolean;
  message: string;
  reason?: string;
}

/**
 * validator.Validate for one binding and param: matchConditions (with RuntimeCELCostBudgetMatchConditions), then
 * each validation's decision (with RuntimeCELCostBudget); a budget that runs out is one error decision.
 */
function validate(c: CompiledPolicy, failurePolicy: string, vars: Record<string, unknown>, composition: { cost: number }): Decision[] {
  const onError = (message: string): Decision => ({ deny: failurePolicy !== 'Ignore', message });
  if (c.matchConditions.length) {
    const errors: string[] = [];
    const budget: Budget = { remaining: RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS, composition };
    for (const m of c.matchConditions) {
      const r = run(m.expr, vars, budget);
      if (r.outOfBudget) return failurePolicy === 'Ignore' ? [] : [onError(OUT_OF_BUDGET)];
      if (r.error !== undefined) errors.push(r.error);
      else if (r.value === false) return [];
    }
    // matchconditions.matcher: errors with no false condition follow the failure policy (NewAggregate's text).
    if (errors.length) return failurePolicy === 'Ignore' ? [] : [onError(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`)];
  }
  const out: Decision[] = [];
  const budget: Budget = { remaining: RUNTIME_CEL_COST_BUDGET, composition };
  for (const { v, expr, message } of c.validations) {
    const r = run(expr, vars, budget);
    if (r.outOfBudget) return [onError(OUT_OF_BUDGET)];
    if (r.error !== undefined) {
      out.push(onError(r.error));
      continue;
    }
    if (r.value === true) continue;
    let text = '';
    if (message?.program) {
      // The messageExpressions run on what the validations left of the budget; an error falls back to the message.
      const m = run(message, vars, budget);
      if (m.outOfBudget) {
        out.push(onError(`failed messageExpression: ${OUT_OF_BUDGET}`));
        continue;
      }
      if (typeof m.value === 'string') {
        text = m.value.trim();
        // MaxEvaluatedMessageExpressionSizeBytes (5 KiB), and one line only.
        if (Buffer.byteLength(text) > 5 * 1024 || text.includes('\n')) text = '';
      }
    }
    if (!text && typeof v.message === 'string' && v.message) text = v.message.trim();
    if (!text) text = `failed expression: ${String(v.expression ?? '').trim()}`;
    out.push({ deny: true, message: text, reason: typeof v.reason === 'string' && v.reason ? v.reason : 'Invalid' });
  }
  return out;
}

/** reasonToCode (policy_decision.go). */
function reasonToCode(reason: string): number {
  switch (reason) {
    case 'Forbidden':
      return 403;
    case 'Unauthorized':
      return 401;
    case 'RequestEntityTooLarge':
      return 413;
    default:
      return 422;
  }
}

/** The `variables` object: each variable evaluated once, when first read, seeing the ones before it (composition.go). */
function variablesOf(c: CompiledPolicy, vars: Record<string, unknown>, composition: { cost: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, expr } of c.variables) {
    let done = false;
    let value: unknown;
    let error: string | undefined;
    Object.defineProperty(out, name, {
      enumerable: true,
      get() {
        if (!done) {
          done = true;
          if (expr.error) error = `composited variable "${name}" fails to compile: ${expr.error}`;
          else {
            // Its own PerCallLimit; its cost is charged to the expression that read it first.
            const r = runMetered(expr.program!, vars);
            composition.cost += r.cost;
            if (r.error !== undefined) error = `composited variable "${name}" fails to evaluate: ${runtimeErrorText(r.error)}`;
            else value = r.value;
          }
        }
        if (error !== undefined) throw new Error(error);
        return value;
      },
    });
  }
  return out;
}

/** Go's schema.GroupVersionKind String(): `apps/v1, Kind=Deployment` (`/v1, Kind=ConfigMap` for the core group). */
function gvkString(apiVersion: string, kind: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? `/${apiVersion}, Kind=${kind}` : `${apiVersion}, Kind=${kind}`;
}

/** CollectParams: the params a binding's paramRef selects (`[null]` when the policy takes none), or why there are none. */
function collectParams(store: Store, policy: KObject, binding: KObject, namespace: string): { params: (KObject | null)[] } | { error: string } {
  const kind = policy.spec?.paramKind;
  const ref = binding.spec?.paramRef;
  if (!isObj(kind) || !isObj(ref)) return { params: [null] };
  const info = resourceForKind(String(kind.apiVersion ?? ''), String(kind.kind ?? ''), store);
  if (!info) return { error: `failed to find resource referenced by paramKind: '${gvkString(String(kind.apiVersion ?? ''), String(kind.kind ?? ''))}'` };
  let ns: string | undefined;
  if (info.namespaced) {
    ns = typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : namespace;
    if (!ns) return { error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  } else if (typeof ref.namespace === 'string' && ref.namespace) {
    return { error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' };
  }
  const table = storageId(info);
  let params: KObject[];
  if (typeof ref.name === 'string' && ref.name) {
    const p = store.get(table, ns, ref.name);
    params = p ? [p] : [];
  } else if (isObj(ref.selector)) {
    params = [...store.list(table, ns)].filter((p) => labelSelectorMatches(ref.selector, p.metadata.labels ?? {}));
  } else return { error: 'one of name or selector must be provided' };
  if (!params.length && ref.parameterNotFoundAction === 'Deny') return { error: 'no params found for policy binding with `Deny` parameterNotFoundAction' };
  return { params };
}

/** cel.CreateNamespaceObject: the namespace's identity, labels, annotations, finalizers, spec and status. */
function namespaceObject(ns: KObject | undefined): Obj | null {
  if (!ns) return null;
  const m = ns.metadata;
  const meta: Obj = {};
  for (const k of ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'finalizers'] as const) {
    if ((m as Obj)[k] !== undefined) meta[k] = (m as Obj)[k];
  }
  const out: Obj = { metadata: meta };
  if (ns.spec !== undefined) out.spec = ns.spec;
  if (ns.status !== undefined) out.status = ns.status;
  return out;
}

/** A request as the plugin receives it from the apiserver's write paths. */
export interface PolicyRequest {
  info: ResourceInfo;
  operation: Operation;
  object: KObject | null;
  oldObject: KObject | null;
  subresource?: string;
  opts: WriteOptions;
  /** The kind of the request's object when it is not the resource's (a subresource's: Binding, Eviction, TokenRequest). */
  kind?: { group: string; version: string; kind: string };
  /** The request's name and namespace when the object's are not theirs (a subresource names its parent). */
  name?: string;
  namespace?: string;
}

/** The dispatcher: runs every bound policy matching the request; throws the first denial, answers the warnings. */
export function dispatchPolicies(store: Store, req: PolicyRequest): string[] | undefined {
  const { info } = req;
  // isPolicyResource: the policies and their bindings are never subject to policies.
  if (info.group === 'admissionregistration.k8s.io' && (info.resource === 'validatingadmissionpolicies' || info.resource === 'validatingadmissionpolicybindings')) return undefined;
  let object = req.object;
  let oldObject = req.oldObject;
  let group = info.group;
  let version = info.version;
  let kind = info.kind;
  let subresource = req.subresource ?? '';
  if (!subresource && req.opts.managedSubresource === 'scale') subresource = 'scale';
  if (req.kind) ({ group, version, kind } = req.kind);
  if (subresource === 'scale') {
    // The scale subresource's objects are autoscaling/v1 Scales.
    object = object && getScale(info, object);
    oldObject = oldObject && getScale(info, oldObject);
    group = 'autoscaling';
    version = 'v1';
    kind = 'Scale';
  }
  const some = object ?? oldObject;
  const namespace = info.namespaced ? req.namespace ?? some?.metadata.namespace ?? '' : '';
  const name = req.name ?? some?.metadata.name ?? '';
  let nsObj: KObject | undefined | null = null;
  const nsOf = () => (nsObj === null ? (nsObj = namespace ? store.get('/namespaces', undefined, namespace) : undefined) : nsObj);
  const a: RequestAttributes = {
    group: info.group, version: info.version, resource: info.resource, subresource, kind: info.kind, namespaced: info.namespaced,
    namespace, name, operation: req.operation, object, oldObject, namespaceLabels: () => nsOf()?.metadata.labels,
  };

  const bindings = new Map<string, KObject[]>();
  for (const b of store.list(VAP_BINDINGS)) {
    const p = b.spec?.policyName;
    if (typeof p !== 'string') continue;
    const l = bindings.get(p);
    if (l) l.push(b);
    else bindings.set(p, [b]);
  }
  const byName = (x: KObject, y: KObject) => (x.metadata.name! < y.metadata.name! ? -1 : x.metadata.name! > y.metadata.name! ? 1 : 0);
  const policies = [...bindings.keys()].map((n) => store.get(VAP_POLICIES, undefined, n)).filter((p): p is KObject => !!p).sort(byName);

  let base: Record<string, unknown> | undefined;
  const baseVars = () => (base ??= {
    object: toCel(object, undefined) ?? null,
    oldObject: toCel(oldObject, undefined) ?? null,
    request: toCel(requestOf(a, group, version, kind, req.opts), undefined),
    // A Namespace request has no namespaceObject (dispatcher.go unsets its namespace).
    namespaceObject: info.resource === 'namespaces' && !info.group ? null : toCel(namespaceObject(nsOf()), undefined) ?? null,
  });

  const denied: { policy: string; binding?: string; message: string; reason?: string }[] = [];
  let warnings: string[] | undefined;
  for (const policy of policies) {
    const spec = isObj(policy.spec) ? policy.spec : {};
    if (!matchResources(spec.matchConstraints, a, false)) continue;
    const failurePolicy = spec.failurePolicy ?? 'Fail';
    const configError = (message: string, binding?: string) => {
      if (failurePolicy === 'Ignore') return;
      denied.push({ policy: policy.metadata.name!, binding, message: binding ? `failed to configure binding: ${message}` : `failed to configure policy: ${message}` });
    };
    const kindOk = !isObj(spec.paramKind) || resourceForKind(String(spec.paramKind.apiVersion ?? ''), String(spec.paramKind.kind ?? ''), store);
    if (!kindOk) {
      configError(`failed to find resource referenced by paramKind: '${gvkString(String(spec.paramKind.apiVersion ?? ''), String(spec.paramKind.kind ?? ''))}'`);
      continue;
    }
    const compiled = compiledOf(policy);
    for (const binding of bindings.get(policy.metadata.name!)!.sort(byName)) {
      if (!matchResources(binding.spec?.matchResources, a, true)) continue;
      const collected = collectParams(store, policy, binding, namespace);
      if ('error' in collected) {
        configError(collected.error, binding.metadata.name);
        continue;
      }
      const actions = list(binding.spec?.validationActions);
      for (const param of collected.params) {
        const vars: Record<string, unknown> = { ...baseVars(), params: param ? toCel(param, undefined) : null };
        const composition = { cost: 0 };
        vars.variables = variablesOf(compiled, vars, composition);
        for (const d of validate(compiled, failurePolicy, vars, composition)) {
          if (!d.deny) continue;
          if (actions.includes('Deny')) denied.push({ policy: policy.metadata.name!, binding: binding.metadata.name, message: d.message, reason: d.reason });
          if (actions.includes('Warn')) (warnings ??= []).push(`Validation failed for ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}': ${d.message}`);
        }
      }
    }
  }
  if (denied.length) throw denial(info, name, denied[0]);
  return warnings;
}

/** The dispatcher's error: admission.NewForbidden's words, then the decision's reason and its code, the message as a cause. */
function denial(info: ResourceInfo, name: string, d: { policy: string; binding?: string; message: string; reason?: string }): StatusError {
  const message = d.binding
    ? `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`
    : `ValidatingAdmissionPolicy '${d.policy}' denied request: ${d.message}`;
  const err = forbidden(info, name || 'Unknown', message);
  const reason = d.reason || 'Invalid';
  err.status.reason = reason;
  err.status.code = reasonToCode(reason);
  err.status.details = { ...(err.status.details ?? {}), causes: [{ message }] };
  return err;
}

/** cel.CreateAdmissionRequest as JSON (request.ts: the AdmissionRequest's fields, less the objects). */
function requestOf(a: RequestAttributes, group: string, version: string, kind: string, opts: WriteOptions): Obj {
  return admissionRequest({ kind: { group, version, kind }, resource: { group: a.group, version: a.version, resource: a.resource },
    subresource: a.subresource, name: a.name, namespace: a.namespace, operation: a.operation }, opts);
}

/** The admission plugin; the apiserver calls `validate` after an object's own validation, and `validateDelete`. */
export function validatingAdmissionPolicy(store: Store): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionPolicy',
    validate(op, obj, old, opts, subresource) {
      if (store.count(VAP_BINDINGS) === 0) return undefined;
      const info = resourceForKind(String(obj.apiVersion ?? ''), String(obj.kind ?? ''), store);
      if (!info) return undefined;
      return dispatchPolicies(store, { info, operation: op, object: obj, oldObject: old ?? null, subresource, opts });
    },
    validateDelete(info, existing, opts) {
      if (store.count(VAP_BINDINGS) === 0) return undefined;
      return dispatchPolicies(store, { info, operation: 'DELETE', object: null, oldObject: existing, opts });
    },
    validateCreateSubresource(info, subresource, namespace, name, obj, opts) {
      // The scheduler binds every pod through here: with no binding stored, this is all it costs.
      if (store.count(VAP_BINDINGS) === 0) return undefined;
      const kind = subresource ? SUBRESOURCE_KINDS[`${info.group}/${info.resource}/${subresource}`] : { group: info.group, version: info.version, kind: info.kind };
      if (!kind) return undefined;
      // The object as the policy sees it: converted to the subresource's version, its namespace the request's
      // (EnsureObjectNamespaceMatchesRequestNamespace).
      const meta = isObj(obj?.metadata) ? obj.metadata : {};
      const object = {
        ...(isObj(obj) ? obj : {}),
        apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
        kind: kind.kind,
        metadata: namespace && info.namespaced ? { ...meta, namespace } : meta,
      } as KObject;
      return dispatchPolicies(store, { info, operation: 'CREATE', object, oldObject: null, subresource, opts, kind, name, namespace: namespace ?? '' });
    },
  };
}

/**
 * The kinds of the subresources that create (the REST storages' GroupVersionKind: BindingREST's v1 Binding,
 * EvictionREST's policy/v1 Eviction, TokenREST's authentication.k8s.io/v1 TokenRequest).
 */
export const SUBRESOURCE_KINDS: Record<string, { group: string; version: string; kind: string }> = {
  '/pods/binding': { group: '', version: 'v1', kind: 'Binding' },
  '/pods/eviction': { group: 'policy', version: 'v1', kind: 'Eviction' },
  '/serviceaccounts/token': { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
};
