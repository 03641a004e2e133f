/**
 * ValidatingAdmissionPolicy type checking (apiserver/pkg/admission/plugin/policy/validating/typechecking.go) and the
 * kube-controller-manager's validatingadmissionpolicy-status-controller that writes its result
 * (pkg/controller/validatingadmissionpolicystatus/controller.go).
 *
 * For each kind the policy's matchConstraints.resourceRules name (no wildcard group or version, wildcards and
 * subresources among resources skipped, at most 10 kinds, sorted by group, version, kind), every
 * spec.validations[i].expression and messageExpression is compiled with `object` and `oldObject` declared as that
 * kind's schema, `params` as the paramKind's (undeclared without a paramKind), `request` and `namespaceObject` as the
 * plugin's hand-made types, and `variables` as the policy's variables' checked types. The failures are warnings in
 * the policy's status; they never change what the policy admits.
 *
 * Only the built-in kinds of the generated schema are resolved; a custom resource's kind is skipped as a kind without
 * a schema is upstream (a paramKind of a custom resource leaves `params` a dyn).
 */
import type { ComponentContext, KObject } from '../../contract';
import type { ChangeRecord, Store } from '../../store/store';
import { TapController } from '../../runtime/tapcontroller';
import { compile, typedEnvironment, type DeclType, type TypedEnvironment } from '../../cel/engine';
import { kubeDeclType } from '../../cel/values';
import { resourceInfo } from '../resources';
import { sharedSchema } from '../validate';
import { isStatusError } from '../status';
import { VAP_POLICIES } from './vap';
import { NAMESPACE_TYPE, REQUEST_TYPE, declOfCheckedType, withVariables } from './celenv';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export const VAP_STATUS_CONTROLLER = 'validatingadmissionpolicy-status-controller';
const VAP_GVR = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const MAX_TYPES_TO_CHECK = 10;

export interface ExpressionWarning {
  fieldRef: string;
  warning: string;
}

interface GVK {
  group: string;
  version: string;
  kind: string;
  definition: string;
}

const s = (name: string): DeclType => ({ kind: 'simple', name });

/** The kind a group/version/resource is served as (RESTMapper.KindsFor), with its schema definition, if built in. */
function kindFor(group: string, version: string, resource: string): GVK | undefined {
  const info = resourceInfo(group, resource, version);
  if (!info || info.version !== version) return undefined;
  const k = sharedSchema()?.kind(info.group ? `${info.group}/${info.version}` : info.version, info.kind);
  return k ? { group: info.group, version: info.version, kind: info.kind, definition: k.definition } : undefined;
}

/** typesToCheck: the kinds of the resource rules, at most maxTypesToCheck, sorted by group, version, kind. */
export function typesToCheck(policy: KObject): GVK[] {
  const rules = list(policy.spec?.matchConstraints?.resourceRules).filter(isObj);
  const found = new Map<string, GVK>();
  const sorted = () => [...found.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.version, b.version) || cmp(a.kind, b.kind));
  for (const rule of rules) {
    const groups = list(rule.apiGroups).map(str);
    const versions = list(rule.apiVersions).map(str);
    // extractGroups/extractVersions give up on a wildcard; extractResources skips wildcards and subresources.
    if (!groups.length || groups.some((g) => g.includes('*'))) continue;
    if (!versions.length || versions.some((v) => v.includes('*'))) continue;
    const resources = list(rule.resources).map(str).filter((r) => !/[*/]/.test(r));
    if (!resources.length) continue;
    let count = 0;
    for (const g of [...groups].sort()) {
      for (const v of [...versions].sort()) {
        for (const r of [...resources].sort()) {
          const gvk = kindFor(g, v, r);
          if (!gvk) continue;
          found.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, gvk);
          if (++count === MAX_TYPES_TO_CHECK) return sorted();
        }
      }
    }
  }
  return sorted();
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Go's GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
const gvkString = (g: { group: string; version: string; kind: string }) => `${g.group}/${g.version}, Kind=${g.kind}`;

/** The paramKind's declared type: undefined without one (params undeclared), dyn when its schema is unknown. */
function paramsType(policy: KObject): DeclType | undefined {
  const pk = policy.spec?.paramKind;
  if (!isObj(pk)) return undefined;
  const apiVersion = str(pk.apiVersion);
  const kind = str(pk.kind);
  if (!apiVersion || !kind) return undefined;
  const schema = sharedSchema();
  const k = schema?.kind(apiVersion, kind);
  return k && schema ? kubeDeclType(schema, k.definition) : s('dyn');
}

const baseEnvs = new WeakMap<DeclType, Map<unknown, TypedEnvironment>>();
/** The environment of a kind and paramKind without `variables`, kept: building one declares the kind's whole schema. */
function baseEnvironment(kind: string, object: DeclType, params: DeclType | undefined, vars: Record<string, DeclType>): TypedEnvironment {
  let byParams = baseEnvs.get(object);
  if (!byParams) baseEnvs.set(object, (byParams = new Map()));
  // No params, or a dyn one (a paramKind without a schema), whatever object stands for it.
  const key = params === undefined ? 'none' : params.kind === 'simple' ? 'dyn' : params;
  let t = byParams.get(key);
  if (!t) byParams.set(key, (t = typedEnvironment(vars, kind)));
  return t;
}

/**
 * CheckExpression for one kind: the variables compiled first, in order, each seeing the ones before it as fields of
 * `variables` of their checked types (CompileAndStoreVariables; a variable that does not compile is a dyn), then each
 * expression with all of them.
 */
function checkKind(policy: KObject, gvk: GVK, params: DeclType | undefined, expressions: string[]): (string | undefined)[] {
  const schema = sharedSchema()!;
  const object = kubeDeclType(schema, gvk.definition);
  const vars: Record<string, DeclType> = { object, oldObject: object, request: REQUEST_TYPE, namespaceObject: NAMESPACE_TYPE };
  if (params) vars.params = params;
  // The authorizer library is not modelled: its variable is a dyn here.
  vars.authorizer = s('dyn');
  const base = baseEnvironment(gvk.kind, object, params, vars);
  const fields: Record<string, DeclType> = {};
  for (const v of list(policy.spec?.variables).filter(isObj)) {
    const t = withVariables(base, fields);
    const c = compile(t.env, str(v.expression), t.objects);
    fields[str(v.name)] = c.error ? s('dyn') : declOfCheckedType(c.type);
  }
  const typed = withVariables(base, fields);
  return expressions.map((e) => compile(typed.env, e, typed.objects).error);
}

/** TypeChecker.Check: the policy's expression warnings, in spec order. */
export function typeCheckPolicy(policy: KObject): ExpressionWarning[] {
  const gvks = typesToCheck(policy);
  if (!gvks.length) return [];
  const validations = list(policy.spec?.validations).filter(isObj);
  const refs: { fieldRef: string; source: string }[] = [];
  validations.forEach((v, i) => {
    refs.push({ fieldRef: `spec.validations[${i}].expression`, source: str(v.expression) });
    if (str(v.messageExpression)) refs.push({ fieldRef: `spec.validations[${i}].messageExpression`, source: str(v.messageExpression) });
  });
  if (!refs.length) return [];
  const params = paramsType(policy);
  const perKind = gvks.map((g) => checkKind(policy, g, params, refs.map((r) => r.source)));
  const out: ExpressionWarning[] = [];
  refs.forEach((r, i) => {
    // TypeCheckingResult.String is `<gvk>: <issues>\n`; the results of the kinds are joined by a newline.
    const messages = gvks.flatMap((g, k) => (perKind[k][i] ? [`${gvkString(g)}: ${perKind[k][i]}\n`] : []));
    if (messages.length) out.push({ fieldRef: r.fieldRef, warning: messages.join('\n') });
  });
  return out;
}

/**
 * The status controller: a policy whose generation is newer than its status.observedGeneration is type-checked, and
 * its status gets observedGeneration and typeChecking.expressionWarnings (the apply configuration upstream sends;
 * no warnings leave typeChecking empty). It writes no conditions.
 */
export class ValidatingAdmissionPolicyStatusController extends TapController {
  protected readonly scope = { only: [VAP_POLICIES] };
  readonly name = VAP_STATUS_CONTROLLER;

  constructor(ctx: ComponentContext, store: Store) {
    super(ctx, store);
  }

  protected seed(): void {
    for (const p of this.store.list(VAP_POLICIES)) this.queue.add(p.metadata.name!);
  }

  protected observe(table: string, rec: ChangeRecord): void {
    if (table === VAP_POLICIES && rec.type !== 'DELETED') this.queue.add(rec.object.metadata.name!);
  }

  protected sync(name: string): void {
    const policy = this.store.get(VAP_POLICIES, undefined, name);
    if (!policy) return;
    const generation = policy.metadata.generation ?? 0;
    if (generation <= (policy.status?.observedGeneration ?? 0)) return;
    const warnings = typeCheckPolicy(policy);
    const status = { ...(policy.status ?? {}), observedGeneration: generation, typeChecking: warnings.length ? { expressionWarnings: warnings } : {} };
    try {
      this.ctx.api.update(VAP_GVR, undefined, { ...policy, status }, { fieldManager: VAP_STATUS_CONTROLLER }, 'status');
    } catch (e) {
      // Changed or gone meanwhile: its own change brings it back.
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
    }
  }
}
