/** POST subresources of pods: binding (the scheduler's write) and eviction (drain's). */
import type { KObject, WriteOptions, WriteResult } from '../contract';
import { deepCopy, rfc3339 } from '../runtime/objects';
import { labelSelectorMatches } from '../../../kube/src/labels';
import type { ApiServer } from './api';
import { deleteObject } from './delete';
import { resourceInfo, type ResourceInfo } from './resources';
import { conflict, methodNotAllowed, notFound, StatusError } from './status';

function success(code: number): KObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } as unknown as KObject;
}

export function createSubresource(
  api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, sub: string, body: KObject, opts: WriteOptions,
): WriteResult {
  if (info.resource === 'pods' && info.group === '' && sub === 'binding') return bind(api, ns, name, body, opts);
  if (info.resource === 'pods' && info.group === '' && sub === 'eviction') return evict(api, ns, name, body, opts);
  throw methodNotAllowed('the server does not allow this method on the requested resource');
}

const bindingRes = { group: '', resource: 'pods/binding' };

function bind(api: ApiServer, ns: string | undefined, name: string, body: KObject, opts: WriteOptions): WriteResult {
  const pod = api.store.get('/pods', ns, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  const node = body?.target?.name;
  if (!node) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
    message: `Binding "${name}" is invalid: target.name: Required value`, details: { name, kind: 'Binding', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] } });
  if (pod.metadata.deletionTimestamp) throw conflict(bindingRes, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec?.nodeName) throw conflict(bindingRes, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  const now = rfc3339(api.clock.now());
  const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now, observedGeneration: pod.metadata.generation });
  const ann = body.metadata?.annotations;
  const o: KObject = {
    ...pod,
    metadata: ann ? { ...pod.metadata, annotations: { ...(pod.metadata.annotations ?? {}), ...ann } } : { ...pod.metadata },
    spec: { ...pod.spec, nodeName: node },
    status: { ...(pod.status ?? {}), conditions },
  };
  if (!opts.dryRun) api.store.put('/pods', o);
  return { object: success(201) };
}

function evict(api: ApiServer, ns: string | undefined, name: string, body: KObject, opts: WriteOptions): WriteResult {
  const pod = api.store.get('/pods', ns, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp) {
    const pdbInfo = resourceInfo('policy', 'poddisruptionbudgets')!;
    for (const pdb of api.store.list('policy/poddisruptionbudgets', ns)) {
      if (!labelSelectorMatches(pdb.spec?.selector ?? {}, pod.metadata.labels)) continue;
      const allowed = pdb.status?.disruptionsAllowed ?? 0;
      if (allowed <= 0) {
        throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 429, reason: 'TooManyRequests',
          message: "Cannot evict pod as it would violate the pod's disruption budget.",
          details: { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${pdb.status?.desiredHealthy ?? 0} healthy pods and has ${pdb.status?.currentHealthy ?? 0} currently` }] } });
      }
      if (!opts.dryRun) {
        const st = deepCopy(pdb.status ?? {});
        st.disruptionsAllowed = allowed - 1;
        st.disruptedPods = { ...(st.disruptedPods ?? {}), [name]: rfc3339(api.clock.now()) };
        api.store.put('policy/poddisruptionbudgets', { ...pdb, metadata: { ...pdb.metadata }, status: st });
      }
      void pdbInfo;
    }
  }
  const delOpts = { ...(body?.deleteOptions ?? {}), dryRun: opts.dryRun };
  deleteObject(api, resourceInfo('', 'pods')!, ns, name, delOpts);
  return { object: success(201) };
}
