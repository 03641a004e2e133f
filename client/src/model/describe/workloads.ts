import { PrefixWriter } from './writer';
import { annotationsMultiline, controlledBy, describeEvents, DescribeInput, describePodTemplate, labelsMultiline, rfc1123z } from './common';
import { formatSelector } from '../format';
import type { KObject } from '../types';

/** Counts a controller's pods by phase, as `Pods Status:` shows them. */
export function podPhases(pods: KObject[]): string {
  const n = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const p of pods) if (p.status?.phase in n) n[p.status.phase]++;
  return `${n.Running} Running / ${n.Pending} Waiting / ${n.Succeeded} Succeeded / ${n.Failed} Failed`;
}

export interface DeploymentInput extends DescribeInput {
  /** ReplicaSets the Deployment controls; the newest (matching template hash) is the new one. */
  replicaSets: KObject[];
}

/** `kubectl describe deployment`. */
export function describeDeployment({ obj: d, events, now, replicaSets }: DeploymentInput): string {
  const w = new PrefixWriter();
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', d.metadata.labels);
  annotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${formatSelector(spec.selector)}\n`);
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? 'RollingUpdate'}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge\n`);
  describePodTemplate(w, spec.template);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  if (replicaSets.length) {
    const rev = (rs: KObject) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const sorted = [...replicaSets].sort((a, b) => rev(b) - rev(a));
    const hash = spec.template?.metadata?.labels?.['pod-template-hash'];
    const isNew = (rs: KObject) => (hash ? rs.metadata.labels?.['pod-template-hash'] === hash : rs === sorted[0]);
    const fmt = (list: KObject[]) => list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';
    const newer = sorted.filter(isNew).slice(0, 1);
    w.write(0, `OldReplicaSets:\t${fmt(sorted.filter((rs) => !newer.includes(rs)))}\n`);
    w.write(0, `NewReplicaSet:\t${fmt(newer)}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

export interface ControllerInput extends DescribeInput {
  pods: KObject[];
}

/** `kubectl describe replicaset`. */
export function describeReplicaSet({ obj: rs, events, now, pods }: ControllerInput): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatSelector(rs.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', rs.metadata.labels);
  annotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const ctl = controlledBy(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(0, 'Pods Status:\t');
  w.write(0, `${podPhases(pods)}\n`);
  describePodTemplate(w, rs.spec?.template);
  if (rs.status?.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of rs.status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe statefulset`. */
export function describeStatefulSet({ obj: ss, events, now, pods }: ControllerInput): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ss.metadata.name}\n`);
  w.write(0, `Namespace:\t${ss.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(ss.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${formatSelector(ss.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', ss.metadata.labels);
  annotationsMultiline(w, 'Annotations', ss.metadata.annotations);
  w.write(0, `Replicas:\t${ss.spec?.replicas ?? 1} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${ss.spec?.updateStrategy?.type ?? 'RollingUpdate'}\n`);
  const part = ss.spec?.updateStrategy?.rollingUpdate?.partition;
  if (part != null) w.write(1, `Partition:\t${part}\n`);
  w.write(0, `Pods Status:\t${podPhases(pods)}\n`);
  describePodTemplate(w, ss.spec?.template);
  const vcts = ss.spec?.volumeClaimTemplates ?? [];
  if (!vcts.length) w.write(0, 'Volume Claims:\t<none>\n');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const pvc of vcts) {
      w.write(1, `Name:\t${pvc.metadata?.name}\n`);
      // GetPersistentVolumeClaimClass: the beta annotation first.
      const beta = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
      w.write(1, `StorageClass:\t${typeof beta === 'string' ? beta : pvc.spec?.storageClassName ?? ''}\n`);
      labelsMultiline(w, 'Labels', pvc.metadata?.labels, '  ');
      labelsMultiline(w, 'Annotations', pvc.metadata?.annotations, '  ');
      w.write(1, `Capacity:\t${pvc.spec?.resources?.requests?.storage ?? '<default>'}\n`);
      w.write(1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(' ')}]\n`);
    }
  }
  describeEvents(w, events, now);
  return w.toString();
}
