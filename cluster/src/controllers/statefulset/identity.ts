/** A StatefulSet pod's identity: name, ordinal, labels, hostname/subdomain and claims (upstream stateful_set_utils.go). */
import type { KObject } from '../../contract.js';
import { podFromTemplate } from '../util/write.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

export function startOrdinal(set: KObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function podName(set: KObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** The ordinal in `<set>-<n>`, or -1 if the name does not have that shape. */
export function ordinalOf(set: KObject, pod: KObject): number {
  const prefix = `${set.metadata.name}-`;
  const n = pod.metadata.name!;
  if (!n.startsWith(prefix)) return -1;
  const rest = n.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export function claimName(template: KObject | any, set: KObject, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

/** The pod for `ordinal` from `set`'s template at `revision`. */
export function newStatefulPod(set: KObject, revisionName: string, ordinal: number): KObject {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(set.spec.template, set, { name });
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revisionName };
  pod.spec.hostname = name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const claims = set.spec.volumeClaimTemplates ?? [];
  if (claims.length) {
    const vols = (pod.spec.volumes ?? []).filter((v: any) => !claims.some((c: any) => c.metadata?.name === v.name));
    for (const c of claims) vols.push({ name: c.metadata.name, persistentVolumeClaim: { claimName: claimName(c, set, ordinal) } });
    pod.spec.volumes = vols;
  }
  return pod;
}

/** The PVC for a claim template and ordinal; labelled with the set's selector labels, as upstream. */
export function newClaim(set: KObject, template: any, ordinal: number): KObject {
  const pvc: KObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(template, set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) },
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (template.metadata?.annotations) pvc.metadata.annotations = { ...template.metadata.annotations };
  return pvc;
}
