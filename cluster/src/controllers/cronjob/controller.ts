import type { Component, ComponentContext, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { CRONJOBS, JOBS } from '../util/gvr.js';
import { deepCopy, getControllerOf, newControllerRef } from '../util/owner.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { formatTime, parseTime } from '../util/time.js';
import { errorMessage, namespaceTerminating, isAlreadyExists, isNotFound, writeStatus } from '../util/write.js';
import { formatInZone, formatRFC1123Z, mostRecent, next } from './schedule.js';
import { knownTimeZone, parseCron } from '../../../../kube/src/cron.js';

const COMPONENT = 'cronjob-controller';
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

function jobFinished(j: KObject): 'Complete' | 'Failed' | undefined {
  for (const c of j.status?.conditions ?? []) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
}

/** Job names carry the scheduled time in minutes since the epoch, so one schedule slot makes one Job. */
export function jobNameFor(cronJob: string, scheduled: number): string {
  return `${cronJob}-${Math.floor(scheduled / 60_000)}`;
}

/**
 * The CronJob controller (upstream's controllerv2) on the simulated clock:
 * tracks its active Jobs, starts the Job for the latest missed slot within
 * startingDeadlineSeconds, applies concurrencyPolicy, trims history, and
 * re-queues itself for the next slot.
 */
/**
 * nextScheduleTimeDuration's slot: the one after the latest slot passed, counted from lastScheduleTime or the
 * creation (without the starting deadline), so an `@every` keeps the phase it started with.
 */
function nextScheduleTime(sched: Exclude<ReturnType<typeof parseCron>, { error: string }>, cj: KObject, now: number, tz: string | undefined): number | undefined {
  const from = parseTime(cj.status?.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? now;
  const r = mostRecent(sched, from, now, tz);
  const base = r.error ? now : r.time ?? (r.missed === 0 ? from : now);
  return next(sched, base, tz);
}

export class CronJobController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  private readonly cronjobs: ObjectCache;
  private readonly jobs: ObjectCache;

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.cronjobs = informers.for(CRONJOBS);
    this.jobs = informers.for(JOBS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(COMPONENT, `error syncing cronjob ${k}: ${errorMessage(err)}`));
    this.cronjobs.onEvent((t, c, old) => {
      const key = keyOf(c.metadata.namespace, c.metadata.name!);
      // updateCronJob: a new schedule or time zone waits for its next slot (a slot it has already passed would
      // otherwise run at once); any other change syncs now.
      if (t === 'MODIFIED' && old && (old.spec?.schedule !== c.spec?.schedule || (old.spec?.timeZone ?? null) !== (c.spec?.timeZone ?? null))) {
        const parsed = parseCron(String(c.spec?.schedule ?? ''));
        if ('error' in parsed) return;
        const now = this.ctx.clock.now();
        const at = nextScheduleTime(parsed, c, now, c.spec.timeZone || undefined);
        if (at !== undefined) this.queue.addAfter(key, Math.max(0, at - now) + 100);
        return;
      }
      this.queue.add(key);
    });
    this.jobs.onEvent((_t, j) => {
      const ref = getControllerOf(j);
      if (ref?.kind === 'CronJob') this.queue.add(keyOf(j.metadata.namespace, ref.name));
    });
  }

  start(): void {
    this.cronjobs.start();
    this.jobs.start();
    for (const c of this.cronjobs.list()) this.queue.add(keyOf(c.metadata.namespace, c.metadata.name!));
  }

  stop(): void {
    this.queue.stop();
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const cached = this.cronjobs.get(ns, name);
    if (!cached) return;
    const cj = deepCopy(cached);
    const now = this.ctx.clock.now();
    const src = { component: COMPONENT };
    const status: any = deepCopy(cj.status ?? {});
    const owned = this.jobs.ownedBy(cj.metadata.uid!);

    // Reconcile status.active with the Jobs that exist (syncCronJob). An unfinished Job that names this
    // CronJob as its controller but is not in status.active (one made by `kubectl create job --from`) is
    // reported and left out: it does not count against concurrencyPolicy.
    let active: any[] = status.active ?? [];
    for (const j of owned) {
      const fin = jobFinished(j);
      const inActive = active.some((r) => r.uid === j.metadata.uid);
      if (!fin && !inActive) {
        this.ctx.events.event(src, cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (fin && inActive) {
        active = active.filter((r) => r.uid !== j.metadata.uid);
        this.ctx.events.event(src, cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${fin}`);
      }
      if (fin === 'Complete' && j.status?.completionTime) {
        const ct = parseTime(j.status.completionTime)!;
        if (!status.lastSuccessfulTime || parseTime(status.lastSuccessfulTime)! < ct) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    // A Job of the list that is gone (not in the cache, and the apiserver says so too) went missing.
    const ownedUids = new Set(owned.map((j) => j.metadata.uid));
    active = active.filter((r) => {
      if (ownedUids.has(r.uid) || this.jobExists(ns, r.name)) return true;
      this.ctx.events.event(src, cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`);
      return false;
    });
    status.active = active.length ? active : undefined;
    this.cleanupHistory(cj, owned);

    if (cj.metadata.deletionTimestamp) return this.write(cj, status);
    // time.LoadLocation("") is UTC (the apiserver refuses an empty timeZone on create, but a stored one still runs).
    const tz: string | undefined = cj.spec.timeZone || undefined;
    if (tz !== undefined && !knownTimeZone(tz)) {
      this.ctx.events.event(src, cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${tz}": unknown time zone ${tz}`);
      return this.write(cj, status);
    }
    if (cj.spec?.suspend) return this.write(cj, status);
    // robfig/cron's verdict and words (it refuses, say, a day of week 7).
    const parsed = parseCron(String(cj.spec?.schedule ?? ''));
    if ('error' in parsed) {
      this.ctx.events.event(src, cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${parsed.error}`);
      return this.write(cj, status);
    }
    const sched = parsed;
    const sds: number | undefined = cj.spec.startingDeadlineSeconds ?? undefined;
    let earliest = parseTime(status.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? now;
    if (sds !== undefined && earliest < now - sds * 1000) earliest = now - sds * 1000;
    const { time: scheduled, missed, error } = mostRecent(sched, earliest, now, tz);
    if (error) {
      // A user error in the spec: no requeue until the CronJob changes.
      this.ctx.events.event(src, cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${error}`);
      return this.write(cj, status);
    }
    if (missed > 100) {
      this.ctx.events.event(src, cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    // nextScheduleTimeDuration: the slot after the latest one passed (counted from lastScheduleTime or the
    // creation, without the starting deadline), so an `@every` keeps the phase it started with; 100 ms late.
    const requeue = () => {
      const n = nextScheduleTime(sched, { ...cj, status }, now, tz);
      if (n !== undefined) this.queue.addAfter(key, Math.max(0, n - now) + 100);
    };
    if (scheduled === undefined) {
      this.write(cj, status);
      return requeue();
    }
    if (sds !== undefined && scheduled + sds * 1000 < now) {
      this.ctx.events.event(src, cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduled)}`);
      this.write(cj, status);
      return requeue();
    }
    const jobName = jobNameFor(cj.metadata.name!, scheduled);
    if (active.some((r) => r.name === jobName) || parseTime(status.lastScheduleTime) === scheduled) {
      this.write(cj, status);
      return requeue();
    }
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      this.ctx.events.event(src, cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      this.write(cj, status);
      return requeue();
    }
    if (policy === 'Replace') {
      for (const r of active) {
        try {
          this.ctx.api.delete(JOBS, ns, r.name, { propagationPolicy: 'Background' });
          this.ctx.events.event(src, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${r.name}`);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      active = [];
    }
    const job = this.jobFromTemplate(cj, jobName, scheduled);
    let created: KObject;
    try {
      created = this.ctx.api.create(JOBS, ns, job).object;
      this.jobs.upsert(created);
      this.ctx.events.event(src, cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
      this.ctx.log(COMPONENT, `CronJob ${key} started Job ${created.metadata.name} for ${formatTime(scheduled)}`);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        // A namespace being deleted fails every create: syncCronJob says nothing of it.
        if (!namespaceTerminating(err)) this.ctx.events.event(src, cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
        throw err;
      }
      created = this.ctx.api.get(JOBS, ns, jobName);
    }
    if (!active.some((r) => r.uid === created.metadata.uid)) active.push(this.ref(created));
    status.active = active;
    status.lastScheduleTime = formatTime(scheduled);
    this.write(cj, status);
    requeue();
  }

  /** Whether the Job exists, asked of the apiserver as upstream does before calling an active Job missing. */
  private jobExists(ns: string, name: string): boolean {
    if (this.jobs.get(ns, name)) return true;
    try {
      this.ctx.api.get(JOBS, ns, name);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private write(cj: KObject, status: any): void {
    const ordered: any = {};
    for (const k of ['active', 'lastScheduleTime', 'lastSuccessfulTime']) if (status[k] !== undefined) ordered[k] = status[k];
    writeStatus(this.ctx.api, CRONJOBS, cj, ordered, this.cronjobs);
  }

  private ref(j: KObject): any {
    return { kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion };
  }

  private jobFromTemplate(cj: KObject, name: string, scheduled: number): KObject {
    const t = cj.spec.jobTemplate ?? {};
    return {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name, namespace: cj.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}) },
        annotations: { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: formatInZone(scheduled, cj.spec?.timeZone ?? undefined) },
        ownerReferences: [newControllerRef(cj)],
      },
      spec: deepCopy(t.spec ?? {}),
    };
  }

  /** Keeps successfulJobsHistoryLimit / failedJobsHistoryLimit finished Jobs, deleting the oldest. */
  private cleanupHistory(cj: KObject, owned: KObject[]): void {
    const trim = (jobs: KObject[], limit: number | undefined) => {
      if (limit === undefined || limit === null || jobs.length <= limit) return;
      // byJobStartTime: oldest start first, a Job that never started last, then by name.
      const start = (j: KObject) => parseTime(j.status?.startTime) ?? Infinity;
      const sorted = jobs.slice().sort((a, b) => {
        const sa = start(a);
        const sb = start(b);
        if (sa !== sb) return sa < sb ? -1 : 1;
        return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
      });
      for (const j of sorted.slice(0, jobs.length - limit)) {
        try {
          this.ctx.api.delete(JOBS, j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background' });
          this.jobs.remove(j);
          this.ctx.events.event({ component: COMPONENT }, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    };
    trim(owned.filter((j) => jobFinished(j) === 'Complete'), cj.spec?.successfulJobsHistoryLimit ?? 3);
    trim(owned.filter((j) => jobFinished(j) === 'Failed'), cj.spec?.failedJobsHistoryLimit ?? 1);
  }
}
