import { PrefixWriter } from './writer';
import { annotationsMultiline, controlledBy, describeEvents, DescribeInput, describePodTemplate, labelsMultiline, rfc1123z } from './common';
import { formatLabels, formatSelector, humanDuration } from '../format';
import { podPhases, type ControllerInput } from './workloads';

/** `kubectl describe daemonset`. */
export function describeDaemonSet({ obj: ds, events, now, pods }: ControllerInput): string {
  const w = new PrefixWriter();
  const st = ds.status ?? {};
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatSelector(ds.spec?.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  labelsMultiline(w, 'Labels', ds.metadata.labels);
  annotationsMultiline(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podPhases(pods)}\n`);
  describePodTemplate(w, ds.spec?.template);
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe job`. */
export function describeJob({ obj: job, events, now }: DescribeInput): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatSelector(spec.selector)}\n`);
  labelsMultiline(w, 'Labels', job.metadata.labels);
  annotationsMultiline(w, 'Annotations', job.metadata.annotations);
  const ctl = controlledBy(job);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (spec.parallelism != null) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend != null) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit != null) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished != null) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (spec.activeDeadlineSeconds != null) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  w.write(0, st.ready == null
    ? `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`
    : `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${st.completedIndexes || '<none>'}\n`);
  describePodTemplate(w, spec.template);
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe cronjob`. */
export function describeCronJob({ obj: cj, events, now }: DescribeInput): string {
  const w = new PrefixWriter();
  const spec = cj.spec ?? {};
  const unset = (v: unknown, suffix = '') => (v == null ? '<unset>' : `${v}${suffix}`);
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  labelsMultiline(w, 'Labels', cj.metadata.labels);
  annotationsMultiline(w, 'Annotations', cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule ?? ''}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? 'Allow'}\n`);
  w.write(0, `Suspend:\t${spec.suspend == null ? '<unset>' : spec.suspend ? 'True' : 'False'}\n`);
  w.write(0, `Time Zone:\t${unset(spec.timeZone)}\n`);
  w.write(0, `Successful Job History Limit:\t${unset(spec.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${unset(spec.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${unset(spec.startingDeadlineSeconds, 's')}\n`);
  const jt = spec.jobTemplate?.spec ?? {};
  w.write(0, `Selector:\t${jt.selector ? formatSelector(jt.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${unset(jt.parallelism)}\n`);
  w.write(0, `Completions:\t${unset(jt.completions)}\n`);
  if (jt.activeDeadlineSeconds != null) w.write(0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, jt.template);
  w.write(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}\n`);
  const active: any[] = cj.status?.active ?? [];
  w.write(0, 'Active Jobs:\t');
  w.line(active.length ? active.map((j) => j.name).join(', ') : '<none>');
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe configmap`: every key with its value. */
export function describeConfigMap({ obj: cm, events, now }: DescribeInput): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  labelsMultiline(w, 'Labels', cm.metadata.labels);
  annotationsMultiline(w, 'Annotations', cm.metadata.annotations);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${Buffer.from(String(cm.binaryData[k]), 'base64').length} bytes\n`);
  w.write(0, '\n');
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe secret`: keys and sizes, never values. */
export function describeSecret({ obj: s }: DescribeInput): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`);
  labelsMultiline(w, 'Labels', s.metadata.labels);
  annotationsMultiline(w, 'Annotations', s.metadata.annotations);
  w.write(0, `\nType:\t${s.type ?? 'Opaque'}\n`);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(s.data ?? {}).sort()) w.write(0, `${k}:\t${Buffer.from(String(s.data[k]), 'base64').length} bytes\n`);
  return w.toString();
}
