/** Printers for nodes, namespaces, events, config and storage kinds, as upstream words them. */
import { fromHpaV1 } from '../../apiserver/hpav1';
import { formatHpaMetrics } from '../../../../kube/src/printHpa';
export { formatHpaMetrics };
import { AGE_COL, NAME_COL, Printer, age, col, int, since } from './format';

function nodeStatus(o: any): string {
  const conds: any[] = o.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const parts: string[] = [];
  if (!ready) parts.push('Unknown');
  else parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (o.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: any): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(o.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (o: any, type: string) => (o.status?.addresses ?? []).find((a: any) => a.type === type)?.address || '<none>';

export const nodePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE_COL,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  row: (o, now) => {
    const info = o.status?.nodeInfo ?? {};
    return {
      cells: [o.metadata.name, nodeStatus(o), nodeRoles(o), age(o, now), info.kubeletVersion ?? '', address(o, 'InternalIP'), address(o, 'ExternalIP'),
        info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'],
    };
  },
};

export const namespacePrinter: Printer = {
  columns: [NAME_COL, col('Status', 'string', 'The status of the namespace'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, o.status?.phase ?? '', age(o, now)] }),
};

/**
 * A volume's or claim's class as the printers read it (GetPersistentVolumeClass, GetPersistentVolumeClaimClass):
 * the beta annotation `volume.beta.kubernetes.io/storage-class` first, then storageClassName.
 */
function storageClassOf(o: any): string {
  const beta = o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return typeof beta === 'string' ? beta : o.spec?.storageClassName ?? '';
}

/** Reads both core/v1 and events.k8s.io/v1 events, which upstream prints with one printer. */
function eventRow(o: any, now: number) {
  const core = o.apiVersion !== 'events.k8s.io/v1';
  const involved = core ? o.involvedObject ?? {} : o.regarding ?? {};
  const firstTs = core ? o.firstTimestamp : o.deprecatedFirstTimestamp;
  const lastTs = core ? o.lastTimestamp : o.deprecatedLastTimestamp;
  let first = firstTs ? since(firstTs, now) : since(o.eventTime, now);
  let last = lastTs ? since(lastTs, now) : first;
  let count = (core ? o.count : o.deprecatedCount) ?? 0;
  if (o.series) {
    last = since(o.series.lastObservedTime, now);
    count = o.series.count;
  } else if (!count) {
    count = 1;
  }
  if (!firstTs && !o.eventTime) first = '<unknown>';
  const target = involved.name ? `${String(involved.kind ?? '').toLowerCase()}/${involved.name}` : String(involved.kind ?? '').toLowerCase();
  const src = core ? o.source ?? {} : o.deprecatedSource ?? {};
  // formatEventSource: the source, else the reporting controller (core/v1 calls it reportingComponent).
  const component = src.component || (core ? o.reportingComponent : o.reportingController) || '';
  const instance = src.host || o.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  const message = String((core ? o.message : o.note) ?? '').trim();
  return { cells: [last, o.type ?? '', o.reason ?? '', target, involved.fieldPath ?? '', source, message, first, count, o.metadata.name] };
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME_COL, priority: 1 },
  ],
  row: eventRow,
};

export const configMapPrinter: Printer = {
  columns: [NAME_COL, col('Data', 'string', 'Data contains the configuration data.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)] }),
};

export const secretPrinter: Printer = {
  columns: [NAME_COL, col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'string', 'Data contains the secret data.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o, now)] }),
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COL, col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, (o.secrets ?? []).length, age(o, now)] }),
};

function capacity(q: any): string {
  return q?.storage ?? '';
}

/** GetAccessModesAsString: each mode once, always in the order RWO, ROX, RWX, RWOP. */
function accessModes(modes: string[] | undefined): string {
  const have = new Set(modes ?? []);
  return ([['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']] as const)
    .filter(([m]) => have.has(m)).map(([, s]) => s).join(',');
}

export const pvcPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'The phase of the PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the desired access modes the volume should have.'),
    col('StorageClass', 'string', 'storageClassName is the name of the StorageClass required by the claim.'),
    col('VolumeAttributesClass', 'string', 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'),
    AGE_COL,
    col('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  row: (o, now) => {
    const phase = o.metadata?.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '';
    return {
      cells: [o.metadata.name, phase, o.spec?.volumeName ?? '', capacity(o.status?.capacity), accessModes(o.status?.accessModes),
        storageClassOf(o), o.spec?.volumeAttributesClassName || '<unset>', age(o, now), o.spec?.volumeMode ?? '<unset>'],
    };
  },
};

export const pvPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'string', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
    col('VolumeAttributesClass', 'string', 'Name of VolumeAttributesClass to which this persistent volume belongs.'),
    col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE_COL,
    col('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 1),
  ],
  row: (o, now) => {
    const ref = o.spec?.claimRef;
    const claim = ref ? `${ref.namespace}/${ref.name}` : '';
    const phase = o.metadata?.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '';
    return {
      cells: [o.metadata.name, capacity(o.spec?.capacity), accessModes(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '',
        phase, claim, storageClassOf(o), o.spec?.volumeAttributesClassName || '<unset>', o.status?.reason ?? '', age(o, now),
        o.spec?.volumeMode ?? '<unset>'],
    };
  },
};

export const storageClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    col('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    col('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE_COL,
  ],
  row: (o, now) => {
    const isDefault = o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    return {
      cells: [isDefault ? `${o.metadata.name} (default)` : o.metadata.name, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete',
        o.volumeBindingMode ?? 'Immediate', Boolean(o.allowVolumeExpansion), age(o, now)],
    };
  },
};

export const pdbPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COL,
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, o.spec?.minAvailable !== undefined ? String(o.spec.minAvailable) : 'N/A',
      o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : 'N/A', int(o.status?.disruptionsAllowed), age(o, now)],
  }),
};

export const hpaPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Reference', 'string', 'reference to scaled resource'),
    col('Targets', 'string', 'metrics'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    AGE_COL,
  ],
  row: (served, now) => {
    // Upstream prints from the internal version: a v1 autoscaler's metrics are those its conversion carries.
    const o = served.apiVersion === 'autoscaling/v1' ? fromHpaV1(served) : served;
    const ref = o.spec?.scaleTargetRef ?? {};
    const min = o.spec?.minReplicas;
    return {
      cells: [o.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, formatHpaMetrics(o.spec?.metrics ?? [], o.status?.currentMetrics ?? []),
        typeof min === 'number' ? String(min) : '<unset>', o.spec?.maxReplicas ?? 0, o.status?.currentReplicas ?? 0, age(o, now)],
    };
  },
};

export const leasePrinter: Printer = {
  columns: [NAME_COL, col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, o.spec?.holderIdentity ?? '', age(o, now)] }),
};

export const priorityClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Value', 'integer', 'value represents the integer value of this priority class.'),
    col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'),
    AGE_COL,
    col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  row: (o, now) => ({ cells: [o.metadata.name, o.value ?? 0, Boolean(o.globalDefault), age(o, now), o.preemptionPolicy ?? 'PreemptLowerPriority'] }),
};

export const roleBindingPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Role', 'string', 'RoleRef references the Role being granted.'),
    AGE_COL,
    col('Users', 'string', 'Users in the roleBinding', 1),
    col('Groups', 'string', 'Groups in the roleBinding', 1),
    col('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1),
  ],
  row: (o, now) => {
    const subjects: any[] = o.subjects ?? [];
    const of = (k: string) => subjects.filter((s) => s.kind === k);
    return {
      cells: [o.metadata.name, `${o.roleRef?.kind}/${o.roleRef?.name}`, age(o, now), of('User').map((s) => s.name).join(', '),
        of('Group').map((s) => s.name).join(', '), of('ServiceAccount').map((s) => (s.namespace ? `${s.namespace}/${s.name}` : String(s.name))).join(', ')],
    };
  },
};

export const roleCreatedAtPrinter: Printer = {
  columns: [NAME_COL, col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  row: (o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? ''] }),
};

