/**
 * The subresources that create: pods/binding (the scheduler's write), pods/eviction (drain's) and
 * serviceaccounts/token. Each REST storage runs validating admission (its createValidation) on the subresource's
 * own object once the request is checked, before it reads or changes the parent.
 */
import type { KObject, WriteOptions, WriteResult } from '../contract';
import { deepCopy, rfc3339 } from '../runtime/objects';
import { Spreader } from '../runtime/spreader';
import { labelSelectorMatches } from '../../../kube/src/labels';
import type { ApiServer } from './api';
import { deleteObject } from './delete';
import { requestToken } from '../auth/tokenrequest';
import type { ResourceInfo } from './resources';
import { withDisruptionAllowed } from './pdbhelper';
import { formatApiMessage } from '../../../kube/src/rules/context';
import { badRequest, conflict, forbidden, methodNotAllowed, notFound, StatusError, unknownError, type Status } from './status';

function success(code: number): KObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } as unknown as KObject;
}

/**
 * `legacy`: the request was a POST to the bindings resource (LegacyBindingREST), which admission sees as such.
 */
export function createSubresource(
  api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, sub: string, body: KObject, opts: WriteOptions, legacy?: ResourceInfo,
): WriteResult {
  const served = info.group === '' && ((info.resource === 'pods' && (sub === 'binding' || sub === 'eviction')) || (info.resource === 'serviceaccounts' && sub === 'token' && !!api.tokens));
  if (!served) throw methodNotAllowed('the server does not allow this method on the requested resource');
  // The create handler's mutating admission comes first, with the object as sent (legacy bindings: as bindings).
  api.admitCreateSubresource(legacy ?? info, legacy ? '' : sub, ns, name, body, opts);
  if (sub === 'binding') return bind(api, legacy ?? info, legacy ? '' : sub, ns, name, body, opts);
  if (sub === 'eviction') return evict(api, info, ns, name, body, opts);
  return requestToken(api, api.tokens!, info, ns ?? 'default', name, body, opts);
}

const bindingRes = { group: '', resource: 'pods/binding' };

const withWarnings = (object: KObject, warnings: string[] | undefined): WriteResult => (warnings ? { object, warnings } : { object });

/** The copies a binding makes of the pod and its parts. */
const bound = {
  pod: new Spreader(['metadata', 'spec', 'status']),
  metadata: new Spreader(),
  spec: new Spreader(['nodeName']),
  status: new Spreader(['conditions']),
};

/** BindingREST.Create: ValidatePodBinding, then validating admission with the Binding, then assignPod. */
function bind(api: ApiServer, admitAs: ResourceInfo, sub: string, ns: string | undefined, name: string, body: KObject, opts: WriteOptions): WriteResult {
  // The legacy bindings resource names the pod by the Binding itself, so only the subresource can differ here.
  if ((body?.metadata?.name ?? '') !== name) throw badRequest('name in URL does not match name in Binding object');
  const node = body?.target?.name;
  const targetErrors = podBindingErrors(body);
  // BindingREST.Create returns ValidatePodBinding's errors as errs.ToAggregate(), not an API status: the handler's
  // ErrorToAPIStatus makes it a 500 with no reason, the aggregate's text its message.
  if (targetErrors.length) throw unknownError(targetErrors.length === 1 ? targetErrors[0] : `[${targetErrors.join(', ')}]`);
  const warnings = api.validateCreateSubresource(admitAs, sub, ns, name, body, opts);
  const pod = api.store.get('/pods', ns, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  if (pod.metadata.deletionTimestamp) throw conflict(bindingRes, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec?.nodeName) throw conflict(bindingRes, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  const now = rfc3339(api.clock.now());
  const conditions = scheduledConditions(pod.status?.conditions, now, pod.metadata.generation);
  const ann = body.metadata?.annotations;
  // Built frozen but for its metadata (the stored pod's parts are frozen all through): the store's freeze then
  // walks the metadata alone, not the whole spec again. The stored pod's parts are frozen, so they are spread by
  // Spreaders (runtime/spreader.ts).
  const o: KObject = Object.freeze(bound.pod.spread(
    pod,
    ann ? { ...pod.metadata, annotations: { ...(pod.metadata.annotations ?? {}), ...ann } } : bound.metadata.spread(pod.metadata),
    Object.freeze(bound.spec.spread(pod.spec ?? {}, node)),
    Object.freeze(bound.status.spread(pod.status ?? {}, conditions)),
  ));
  if (!opts.dryRun) api.store.put('/pods', o);
  return withWarnings(success(201), warnings);
}

/**
 * The pod's conditions with PodScheduled=True at `now` in place of any PodScheduled, frozen. A pod with no conditions
 * yet (every new pod) gets the list the pod bound before it got, when that was at the same time and generation: the
 * pods one scheduling pass binds share one list, as stored objects may share frozen parts.
 */
function scheduledConditions(before: readonly any[] | undefined, now: string, generation: unknown): readonly object[] {
  if (!before?.length && lastScheduled.at === now && lastScheduled.generation === generation) return lastScheduled.conditions;
  const conditions: object[] = (before ?? []).filter((c: any) => c.type !== 'PodScheduled');
  conditions.push(Object.freeze({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now, observedGeneration: generation }));
  Object.freeze(conditions);
  if (!before?.length) lastScheduled = { at: now, generation, conditions };
  return conditions;
}
let lastScheduled: { at: string; generation: unknown; conditions: readonly object[] } = { at: '', generation: undefined, conditions: [] };

/** ValidatePodBinding (pkg/apis/core/validation): a target of kind Node (or none), with a name; each error as field.Error prints it. */
function podBindingErrors(body: KObject): string[] {
  const errs: string[] = [];
  const kind = body?.target?.kind;
  if (kind && kind !== 'Node') errs.push(`target.kind: ${formatApiMessage('FieldValueNotSupported', kind, '', ['Node', '<empty>'])}`);
  if (!body?.target?.name) errs.push(`target.name: ${formatApiMessage('FieldValueRequired', undefined, '')}`);
  return errs;
}

/** errors.NewTooManyRequests for a budget, with its DisruptionBudget cause. */
function budgetRefusal(cause: string, retryAfterSeconds: number): StatusError {
  const details: Record<string, unknown> = { causes: [{ reason: 'DisruptionBudget', message: cause }] };
  if (retryAfterSeconds) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 429, reason: 'TooManyRequests',
    message: "Cannot evict pod as it would violate the pod's disruption budget.", details });
}

const isReady = (pod: KObject) => (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/**
 * The eviction subresource (pkg/registry/core/pod/storage/eviction.go):
 * - a pod that is finished, Pending or already being deleted goes at once;
 * - a pod covered by more than one budget is refused (500);
 * - an unready pod goes without spending the budget when the budget is healthy
 *   (IfHealthyBudget, the default) or its unhealthyPodEvictionPolicy is AlwaysAllow;
 * - otherwise checkAndDecrement: a budget its controller has not caught up with,
 *   or one allowing no disruption, answers 429; else it spends one and records
 *   the pod in disruptedPods.
 * The pod is deleted with the DisruptionTarget condition upstream adds.
 */
function evict(api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, body: KObject, opts: WriteOptions): WriteResult {
  if ((body?.metadata?.name ?? '') !== name) throw badRequest('name in URL does not match name in Eviction object');
  // propagateDryRun: the Eviction's own deleteOptions.dryRun (kubectl drain --dry-run=server) counts as the request's,
  // and the request's goes into the Eviction's deleteOptions when they have none.
  const bodyDryRun = body?.deleteOptions?.dryRun;
  const bodyHasDryRun = Array.isArray(bodyDryRun) && bodyDryRun.length > 0;
  // Both given and different: a plain error (fmt.Errorf), so a 500 with Go's %v of the two lists.
  if (opts.dryRun && bodyHasDryRun && !(bodyDryRun.length === 1 && bodyDryRun[0] === 'All')) {
    throw unknownError(`Non-matching dry-run options in request and content: [All] and [${bodyDryRun.map(String).join(' ')}]`);
  }
  const dryRun = !!opts.dryRun || bodyHasDryRun;
  const eviction = opts.dryRun && !bodyHasDryRun && body?.deleteOptions ? { ...body, deleteOptions: { ...body.deleteOptions, dryRun: ['All'] } } : body;
  // EvictionREST.Create: validating admission with the Eviction, before the pod is read.
  const warnings = api.validateCreateSubresource(info, 'eviction', ns, name, eviction, opts);
  const pod = api.store.get('/pods', ns, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  const phase = pod.status?.phase;
  const ignorePdb = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
  if (!ignorePdb) {
    // A budget without a selector selects nothing (LabelSelectorAsSelector(nil)); an empty one selects every pod.
    const pdbs = [...api.store.list('policy/poddisruptionbudgets', ns)].filter((pdb) => pdb.spec?.selector != null && labelSelectorMatches(pdb.spec.selector, pod.metadata.labels));
    if (pdbs.length > 1) {
      // A Status the handler returns as it is: no reason, no details.
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500,
        message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' } as Status);
    }
    const pdb = pdbs[0];
    const st = pdb?.status ?? {};
    const unhealthyMayGo = pdb && !isReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow'
      || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0));
    if (pdb && !unhealthyMayGo) {
      if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw budgetRefusal(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`, 10);
      const allowed = st.disruptionsAllowed ?? 0;
      if (allowed < 0) throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, pdb.metadata.name!, 'pdb disruptions allowed is negative');
      if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
        throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, pdb.metadata.name!, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
      }
      if (allowed === 0) throw budgetRefusal(`The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`, 0);
      if (!dryRun) {
        const next = deepCopy(st);
        next.disruptionsAllowed = allowed - 1;
        // pdbhelper.UpdateDisruptionAllowedCondition: no more disruptions now.
        if (next.disruptionsAllowed === 0) {
          next.conditions = withDisruptionAllowed(next.conditions, next.observedGeneration, 'False', 'InsufficientPods', '', rfc3339(api.clock.now()));
        }
        next.disruptedPods = { ...(next.disruptedPods ?? {}), [name]: rfc3339(api.clock.now()) };
        api.store.put('policy/poddisruptionbudgets', { ...pdb, metadata: { ...pdb.metadata }, status: next });
      }
    }
  }
  const delOpts = { ...(body?.deleteOptions ?? {}), dryRun };
  if (!dryRun) {
    // The preconditions are checked against the pod before the condition goes on; the condition's write
    // moves the resourceVersion, so a resourceVersion precondition follows it.
    checkPreconditions(pod, delOpts.preconditions);
    const marked = markEvicted(api, pod);
    if (delOpts.preconditions?.resourceVersion) delOpts.preconditions = { ...delOpts.preconditions, resourceVersion: marked.metadata.resourceVersion };
  }
  deleteObject(api, info, ns, name, delOpts);
  return withWarnings(success(201), warnings);
}

/** MaxDisruptedPodSize. */
const MAX_DISRUPTED_PODS = 2000;

/** addConditionAndDeletePod's precondition checks, in its words. */
function checkPreconditions(pod: KObject, pre: { uid?: string; resourceVersion?: string } | undefined): void {
  const podRes = { group: '', resource: 'Pod' };
  if (pre?.uid && pre.uid !== pod.metadata.uid) {
    throw conflict(podRes, pod.metadata.name!, `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid}). The object might have been deleted and then recreated`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict(podRes, pod.metadata.name!, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`);
  }
}

/**
 * addConditionAndDeletePod: the DisruptionTarget condition the eviction API
 * sets before the delete, replaced in place (UpdatePodCondition keeps the
 * transition time while the status stays True).
 */
function markEvicted(api: ApiServer, pod: KObject): KObject {
  const conds: any[] = [...(pod.status?.conditions ?? [])];
  const i = conds.findIndex((c) => c.type === 'DisruptionTarget');
  const at = i >= 0 && conds[i].status === 'True' ? conds[i].lastTransitionTime : rfc3339(api.clock.now());
  const cond = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  if (i >= 0) conds[i] = cond;
  else conds.push(cond);
  return api.store.put('/pods', { ...pod, metadata: { ...pod.metadata }, status: { ...(pod.status ?? {}), conditions: conds } });
}
