/** Printers for the workload kinds: upstream's columns for deployments, replica sets, stateful sets, daemon sets, jobs, cron jobs. */
import {
  AGE_COL, CONTAINERS_COL, IMAGES_COL, NAME_COL, Printer, age, col, containerImages, containerNames,
  formatLabelSelector, formatLabels, humanDuration, int, since,
} from './format';

const SELECTOR_COL = col('Selector', 'string', 'A label query over pods that should match the replica count.', 1);
const tpl = (o: any) => o.spec?.template?.spec;
const hasCond = (o: any, type: string) => (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COL, CONTAINERS_COL, IMAGES_COL, SELECTOR_COL,
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, `${int(o.status?.readyReplicas)}/${o.spec?.replicas ?? 1}`, int(o.status?.updatedReplicas),
      int(o.status?.availableReplicas), age(o, now), containerNames(tpl(o)), containerImages(tpl(o)), formatLabelSelector(o.spec?.selector)],
  }),
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', 'integer', 'Replicas is the number of desired pods.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    col('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    AGE_COL, CONTAINERS_COL, IMAGES_COL, SELECTOR_COL,
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, o.spec?.replicas ?? 1, int(o.status?.replicas), int(o.status?.readyReplicas), age(o, now),
      containerNames(tpl(o)), containerImages(tpl(o)), formatLabelSelector(o.spec?.selector)],
  }),
};

export const replicationControllerPrinter: Printer = {
  columns: replicaSetPrinter.columns,
  row: (o, now) => ({
    cells: [o.metadata.name, o.spec?.replicas ?? 1, int(o.status?.replicas), int(o.status?.readyReplicas), age(o, now),
      containerNames(tpl(o)), containerImages(tpl(o)), formatLabels(o.spec?.selector)],
  }),
};

export const statefulSetPrinter: Printer = {
  columns: [NAME_COL, col('Ready', 'string', 'Number of the pod with ready state'), AGE_COL, CONTAINERS_COL, IMAGES_COL],
  row: (o, now) => ({
    cells: [o.metadata.name, `${int(o.status?.readyReplicas)}/${o.spec?.replicas ?? 1}`, age(o, now), containerNames(tpl(o)), containerImages(tpl(o))],
  }),
};

export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    col('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    AGE_COL, CONTAINERS_COL, IMAGES_COL, SELECTOR_COL,
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, int(o.status?.desiredNumberScheduled), int(o.status?.currentNumberScheduled), int(o.status?.numberReady),
      int(o.status?.updatedNumberScheduled), int(o.status?.numberAvailable), formatLabels(tpl(o)?.nodeSelector), age(o, now),
      containerNames(tpl(o)), containerImages(tpl(o)), formatLabelSelector(o.spec?.selector)],
  }),
};

function jobStatus(o: any): string {
  if (hasCond(o, 'Complete')) return 'Complete';
  if (hasCond(o, 'Failed')) return 'Failed';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCond(o, 'Suspended')) return 'Suspended';
  if (hasCond(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCond(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(o: any): string {
  const succeeded = int(o.status?.succeeded);
  if (o.spec?.completions !== undefined && o.spec?.completions !== null) return `${succeeded}/${o.spec.completions}`;
  const parallelism = o.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: any, now: number): string {
  const start = o.status?.startTime;
  if (!start) return '';
  const end = o.status?.completionTime;
  return humanDuration((end ? Date.parse(end) : now) - Date.parse(start));
}

export const jobPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The successful completion of the job over the desired completions.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE_COL, CONTAINERS_COL, IMAGES_COL, SELECTOR_COL,
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, jobStatus(o), jobCompletions(o), jobDuration(o, now), age(o, now), containerNames(tpl(o)),
      containerImages(tpl(o)), formatLabelSelector(o.spec?.selector)],
  }),
};

const jobTpl = (o: any) => o.spec?.jobTemplate?.spec?.template?.spec;

export const cronJobPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE_COL, CONTAINERS_COL, IMAGES_COL, SELECTOR_COL,
  ],
  row: (o, now) => ({
    cells: [o.metadata.name, o.spec?.schedule ?? '', o.spec?.timeZone || '<none>', o.spec?.suspend == null ? '<unset>' : o.spec.suspend ? 'True' : 'False',
      (o.status?.active ?? []).length, o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>', age(o, now),
      containerNames(jobTpl(o)), containerImages(jobTpl(o)), formatLabelSelector(o.spec?.jobTemplate?.spec?.selector)],
  }),
};
