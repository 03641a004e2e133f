import type { Component, ComponentContext, KObject, TimerHandle } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { JOBS, PODS } from '../util/gvr.js';
import { deepCopy, formerController, getControllerOf } from '../util/owner.js';
import { isPodActive, isPodReady } from '../util/pods.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { compileSelector } from '../util/selector.js';
import { formatTime, parseTime } from '../util/time.js';
import { errorMessage, namespaceTerminating, isNotFound, podFromTemplate, writeStatus } from '../util/write.js';
import {
  TRACKING_FINALIZER, formatIndexes, isIndexFailed, isIndexed, isPodFailed, matchPodFailurePolicy, matchSuccessPolicy, onlyReplaceFailedPods,
  parseIndexes, podIndex, podsWithDelayedDeletion, remainingTimePerIndex, wantActive,
} from './util.js';
import { type BackoffRecord, nextBackoffRecord, remainingBackoff } from './backoff.js';
import { type Interval, firstPendingIndexes, mergeIntervals, parseIntervals, withIndexes } from './indexes.js';
import { activePodsForRemoval } from './removal.js';
import { indexedPod } from './indexedpod.js';

const COMPONENT = 'job-controller';
/** MaxPodCreateDeletePerSync and syncJobBatchPeriod (job_controller.go). */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const SYNC_JOB_BATCH_PERIOD_MS = 1000;

function condition(type: string, reason: string, message: string, now: number): any {
  const t = formatTime(now);
  return { type, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason, message };
}

const finished = (job: KObject): boolean => (job.status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/** batch.JobControllerName: the value of spec.managedBy that names this controller. */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/**
 * The Job controller: runs pods until `completions` succeed (or, in Indexed
 * mode, every index has), replacing failures after a back-off, and fails the
 * Job past backoffLimit or activeDeadlineSeconds. Terminated pods are counted
 * once: each carries the job-tracking finalizer until its result is in status.
 */
export class JobController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  /** orphanQueue: pods holding the tracking finalizer whose Job is gone or finished. */
  private readonly orphans: WorkQueue;
  private readonly jobs: ObjectCache;
  private readonly pods: ObjectCache;
  /** podBackoffStore: the Job-wide failure back-off per Job key, kept across syncs (and pod deletions). */
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly wakeUps = new Map<string, { at: number; handle: TimerHandle }>();

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.jobs = informers.for(JOBS);
    this.pods = informers.for(PODS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(COMPONENT, `error syncing job ${k}: ${errorMessage(err)}`));
    this.orphans = newQueue(ctx.clock, (k) => this.syncOrphanPod(k), (k, err) => ctx.log(COMPONENT, `error releasing orphan pod ${k}: ${errorMessage(err)}`));
    this.jobs.onEvent((t, j) => {
      this.queue.add(keyOf(j.metadata.namespace, j.metadata.name!));
      // deleteJob: every pod of the Job that still holds the tracking finalizer is released.
      if (t === 'DELETED') for (const p of this.pods.ownedBy(j.metadata.uid!)) if (tracked(p)) this.orphans.add(keyOf(p.metadata.namespace, p.metadata.name!));
    });
    this.pods.onEvent((t, p, old) => {
      const ref = getControllerOf(p);
      // A pod that left its Job: that Job syncs too (updatePod, controllerRefChanged).
      const left = formerController(this.jobs, 'Job', old, p);
      if (left) this.queue.add(keyOf(left.metadata.namespace, left.metadata.name!));
      const job = ref?.kind === 'Job' ? this.jobs.get(p.metadata.namespace, ref.name) : undefined;
      if (job && job.metadata.uid === ref!.uid) this.queue.add(keyOf(p.metadata.namespace, ref!.name));
      // A pod whose Job is gone (or that no Job controls) must not keep the finalizer: the orphan queue drops it.
      else if (t !== 'DELETED' && tracked(p) && (!ref || ref.kind === 'Job')) this.orphans.add(keyOf(p.metadata.namespace, p.metadata.name!));
    }, { controlledBy: 'Job' });
  }

  start(): void {
    this.jobs.start();
    this.pods.start();
    for (const j of this.jobs.list()) this.queue.add(keyOf(j.metadata.namespace, j.metadata.name!));
  }

  stop(): void {
    this.queue.stop();
    this.orphans.stop();
    for (const w of this.wakeUps.values()) this.ctx.clock.clearTimer(w.handle);
    this.wakeUps.clear();
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const cached = this.jobs.get(ns, name);
    if (!cached) {
      this.backoff.delete(key);
      return;
    }
    // A Job managed by another controller (spec.managedBy, JobManagedBy on by default since 1.32) is left to it:
    // no pods, no status.
    const managedBy = cached.spec?.managedBy;
    if (typeof managedBy === 'string' && managedBy !== JOB_CONTROLLER_NAME) {
      this.backoff.delete(key);
      return;
    }
    const job = deepCopy(cached);
    const now = this.ctx.clock.now();
    const match = compileSelector(job.spec?.selector);
    let pods = this.pods.ownedBy(job.metadata.uid!).filter((p) => match(p.metadata.labels));
    const status: any = deepCopy(job.status ?? {});
    const src = { component: COMPONENT };
    const completions: number | undefined = job.spec?.completions ?? undefined;
    const indexed = isIndexed(job);

    const completed = parseIndexes(status.completedIndexes, completions ?? 0);
    // backoffLimitPerIndex: each index has its own budget of failures, and failed indexes are not retried.
    const perIndex = indexed && typeof job.spec?.backoffLimitPerIndex === 'number';
    const failedIndexes = perIndex ? parseIndexes(status.failedIndexes, completions ?? 0) : undefined;
    const withPolicy = !!job.spec?.podFailurePolicy;
    const onlyFailed = onlyReplaceFailedPods(job);
    const inRange = (i: number | undefined): i is number => i !== undefined && i < (completions ?? 0);
    // Pods stopped because the success criteria were met are not failures.
    const succeeding = (status.conditions ?? []).some((c: any) => c.type === 'SuccessCriteriaMet' && c.status === 'True');

    // Each terminated pod is counted once, then its finalizer released; failed pods wait for the verdict below.
    const release: KObject[] = [];
    const failedPods: KObject[] = [];
    // getNewFinishedPods: what the Job-wide back-off record learns this sync (valid indexes only, whatever the policy says).
    const newSucceeded: KObject[] = [];
    const newFailed: KObject[] = [];
    const newDone: number[] = [];
    const newFailedIndexes: number[] = [];
    let policyFailure: [string, string] | undefined;
    for (const p of pods) {
      if (!p.metadata.finalizers?.includes(TRACKING_FINALIZER)) continue;
      const phase = p.status?.phase;
      if (!indexed || inRange(podIndex(p))) {
        if (phase === 'Succeeded') newSucceeded.push(p);
        else if (isPodFailed(p, onlyFailed)) newFailed.push(p);
      }
      if (phase === 'Succeeded') {
        release.push(p);
        if (!indexed) status.succeeded = (status.succeeded ?? 0) + 1;
        else if (inRange(podIndex(p))) {
          completed.add(podIndex(p)!);
          newDone.push(podIndex(p)!);
        }
      } else if (succeeding) {
        if (phase === 'Failed' || p.metadata.deletionTimestamp) release.push(p);
      } else if (isPodFailed(p, onlyFailed)) {
        // A pod deleted before it finished is failed too, unless only failed pods are replaced (isPodFailed).
        failedPods.push(p);
        const i = podIndex(p);
        if (failedIndexes && inRange(i) && isIndexFailed(job, p, onlyFailed)) {
          failedIndexes.add(i);
          newFailedIndexes.push(i);
        }
      }
    }
    // getFailJobMessage: a FailJob rule is matched against every failed pod of the Job, finalizer or not
    // (a pod the controller deleted, which then failed, fails the Job too).
    if (withPolicy && !succeeding) {
      for (const p of pods) {
        if (!isPodFailed(p, onlyFailed)) continue;
        const m = matchPodFailurePolicy(job, p);
        if (m?.action === 'FailJob') { policyFailure = ['PodFailurePolicy', m.message!]; break; }
      }
    }
    if (finished(job)) {
      this.backoff.delete(key);
      this.releaseFinalizers([...release, ...failedPods]);
      return;
    }
    const backoff = nextBackoffRecord(this.backoff.get(key), newSucceeded, newFailed);
    // The same index lists as intervals, so picking the next indexes walks intervals, not every index.
    const completedIv = withIndexes(parseIntervals(job.status?.completedIndexes, completions ?? 0), newDone);
    const failedIv = failedIndexes ? withIndexes(parseIntervals(job.status?.failedIndexes, completions ?? 0), newFailedIndexes) : undefined;
    let active = pods.filter(isPodActive);
    // The last failed pod of each index waiting for its next pod keeps its finalizer, so that pod can inherit its counts.
    const activeIndexes = new Set(active.map(podIndex));
    const delayed = perIndex && !succeeding
      ? podsWithDelayedDeletion(failedPods, completions ?? 0, onlyFailed, (i) => completed.has(i) || failedIndexes!.has(i) || activeIndexes.has(i))
      : new Map<number, KObject>();
    const held = new Set(delayed.values());
    const counts = (p: KObject): boolean => (!indexed || inRange(podIndex(p))) && !(withPolicy && matchPodFailurePolicy(job, p)?.action === 'Ignore');
    const countFailed = (p: KObject): void => {
      release.push(p);
      if (counts(p)) status.failed = (status.failed ?? 0) + 1;
    };
    for (const p of failedPods) if (!held.has(p)) countFailed(p);
    if (failedIndexes) status.failedIndexes = formatIndexes(failedIndexes);
    if (indexed) {
      status.succeeded = completed.size || undefined;
      status.completedIndexes = formatIndexes(completed) || undefined;
    }
    const suspended = !!job.spec?.suspend;
    if (!status.startTime && !suspended) {
      status.startTime = formatTime(now);
      if (job.spec?.activeDeadlineSeconds) this.queue.addAfter(key, job.spec.activeDeadlineSeconds * 1000);
    }

    const terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    // Pods deleted in this sync are terminating too: the Complete or Failed condition waits for them (delayTerminalCondition).
    let terminatingCount = terminating.length;
    const succeeded = status.succeeded ?? 0;
    // Held pods are failures not yet in status.failed; backoffLimit counts them already.
    let failed = status.failed ?? 0;
    for (const p of held) if (counts(p)) failed++;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    // pastBackoffLimitOnFailure: the restarts of every container (init ones included) of the pods still Pending or Running.
    let restarts = 0;
    if (job.spec?.template?.spec?.restartPolicy === 'OnFailure') {
      for (const p of pods) {
        if (p.status?.phase !== 'Pending' && p.status?.phase !== 'Running') continue;
        for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
      }
    }

    // Once the success criteria are met no failure can take over (syncJob skips every failure check).
    let failure: [string, string] | undefined;
    if (!succeeding) {
      const target = (status.conditions ?? []).find((c: any) => c.type === 'FailureTarget' && c.status === 'True');
      if (target) failure = [target.reason, target.message];
      if (!failure && policyFailure) failure = policyFailure;
      if (!failure && (failed > backoffLimit || (restarts > 0 && restarts >= backoffLimit))) failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
      const start = parseTime(status.startTime) ?? now;
      if (!failure && !suspended && job.spec?.activeDeadlineSeconds && now - start >= job.spec.activeDeadlineSeconds * 1000) failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
      // syncJob re-arms the deadline on every sync, so a deadline set, lowered or raised on a running Job holds.
      else if (!failure && !suspended && job.spec?.activeDeadlineSeconds) this.queue.addAfter(key, start + job.spec.activeDeadlineSeconds * 1000 - now);
      if (!failure && failedIndexes) {
        const maxFailed = job.spec?.maxFailedIndexes;
        if (typeof maxFailed === 'number' && failedIndexes.size > maxFailed) failure = ['MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes'];
        else if (failedIndexes.size > 0 && failedIndexes.size + completed.size >= (completions ?? 0)) failure = ['FailedIndexes', 'Job has failed indexes'];
      }
    }

    const met = (status.conditions ?? []).find((c: any) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    const policyMet = indexed && !met ? matchSuccessPolicy(job, completed, completions ?? 0) : undefined;
    const success: [string, string] = met ? [met.reason, met.message] : policyMet ? ['SuccessPolicy', policyMet] : ['CompletionsReached', 'Reached expected number of succeeded pods'];
    const complete = !!met || policyMet !== undefined || (indexed
      ? completed.size >= (completions ?? 0)
      : completions === undefined
        ? succeeded > 0 && active.length === 0
        : succeeded >= completions);

    status.conditions = status.conditions ?? [];
    // A finishing Job waits for no replacement: every held pod is counted and let go.
    if (failure || complete) for (const p of held) countFailed(p);
    if (failure) {
      if (!status.conditions.some((c: any) => c.type === 'FailureTarget')) status.conditions.push(condition('FailureTarget', failure[0], failure[1], now));
      // trackJobStatusAndRemoveFinalizers: once the Job has failed, every pod not yet finished counts as failed,
      // judged now (not by how it ends once killed), and lets go of its finalizer in this sync.
      for (const p of active) this.deletePod(job, p);
      // canRemoveFinalizer: every pod still holding the finalizer and not Succeeded (running, or terminating
      // under podReplacementPolicy Failed) counts as failed, judged now, and is let go.
      const released = new Set(release);
      for (const p of pods) {
        if (!p.metadata.finalizers?.includes(TRACKING_FINALIZER) || released.has(p) || p.status?.phase === 'Succeeded') continue;
        release.push(p);
        if (counts(p)) status.failed = (status.failed ?? 0) + 1;
      }
      terminatingCount += active.length;
      active = [];
      if (terminatingCount === 0) {
        status.conditions.push(condition('Failed', failure[0], failure[1], now));
        this.ctx.events.event(src, job, 'Warning', failure[0], failure[1]);
        this.ctx.log(COMPONENT, `Job ${key} failed: ${failure[1]}`);
      }
    } else if (complete) {
      // The pods still running are stopped and let go uncounted (the finished condition is SuccessCriteriaMet).
      for (const p of active) {
        this.deletePod(job, p);
        if (p.metadata.finalizers?.includes(TRACKING_FINALIZER)) release.push(p);
      }
      terminatingCount += active.length;
      active = [];
      if (!status.conditions.some((c: any) => c.type === 'SuccessCriteriaMet')) {
        status.conditions.push(condition('SuccessCriteriaMet', success[0], success[1], now));
      }
      if (terminatingCount === 0) {
        status.conditions.push(condition('Complete', success[0], success[1], now));
        status.completionTime = formatTime(now);
        this.ctx.events.event(src, job, 'Normal', 'Completed', 'Job completed');
        this.ctx.log(COMPONENT, `Job ${key} completed (${status.succeeded ?? 0} succeeded)`);
      }
    } else if (job.metadata.deletionTimestamp) {
      // A Job being deleted (foreground) is not managed (manageJob runs only without a deletionTimestamp):
      // it makes no pods and suspends nothing while the garbage collector takes its pods away.
    } else if (suspended) {
      // A suspended Job keeps no pods running; the Suspended condition says why. Its pods are let go uncounted (deleteJobPods).
      for (const p of activePodsForRemoval(active, active.length, indexed, completions ?? 0)) this.removePod(job, p);
      terminatingCount += active.length;
      active = [];
      if (setSuspended(status, 'True', 'JobSuspended', 'Job suspended', now)) this.ctx.events.event(src, job, 'Normal', 'Suspended', 'Job suspended');
    } else {
      if (setSuspended(status, 'False', 'JobResumed', 'Job resumed', now)) {
        this.ctx.events.event(src, job, 'Normal', 'Resumed', 'Job resumed');
        // activeDeadlineSeconds counts continuous activity, so resuming restarts the clock.
        status.startTime = formatTime(now);
        if (job.spec?.activeDeadlineSeconds) this.queue.addAfter(key, job.spec.activeDeadlineSeconds * 1000);
      }
      const before = active.length;
      active = this.manage(job, pods, active, terminating.length, completed, now, key, { completedIv, failedIv, backoff }, delayed, status.succeeded ?? 0);
      terminatingCount += Math.max(0, before - active.length);
    }
    if (status.conditions.length === 0) delete status.conditions;

    status.active = active.length || undefined;
    status.ready = active.filter(isPodReady).length;
    status.terminating = terminatingCount;
    status.uncountedTerminatedPods = {};
    const ordered: any = {};
    for (const k of ['conditions', 'startTime', 'completionTime', 'active', 'succeeded', 'failed', 'terminating', 'completedIndexes', 'failedIndexes', 'uncountedTerminatedPods', 'ready']) {
      if (status[k] !== undefined) ordered[k] = status[k];
    }
    writeStatus(this.ctx.api, JOBS, job, ordered, this.jobs);
    this.backoff.set(key, backoff);
    this.releaseFinalizers(release);
  }

  /**
   * manageJob: removes pods first (too many running, or in an Indexed Job a
   * pod without a valid index or a second pod for an index) and then creates
   * nothing in this sync; else creates pods toward wantActive once the
   * Job-wide back-off has passed. With backoffLimitPerIndex the lowest pending
   * indexes are picked first, and of those only the ones past their own
   * back-off get a pod now (an index still backing off is not skipped for a
   * later one). Returns the active pods after.
   */
  private manage(job: KObject, pods: KObject[], active: KObject[], terminatingCount: number, completed: Set<number>, now: number, key: string, lists: { completedIv: Interval[]; failedIv?: Interval[]; backoff: BackoffRecord }, delayed: Map<number, KObject>, succeeded: number): KObject[] {
    const completions: number = job.spec?.completions ?? 0;
    const parallelism = job.spec?.parallelism ?? 1;
    const indexed = isIndexed(job);
    const want = indexed
      ? Math.max(0, Math.min(parallelism, completions - completed.size))
      // jobCtx.succeeded: the count with this sync's successes, not the stored status's.
      : wantActive(job.spec?.completions ?? undefined, parallelism, succeeded, active.length);
    const victims = activePodsForRemoval(active, Math.max(0, active.length - want), indexed, completions).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (victims.length > 0) {
      for (const v of victims) this.removePod(job, v);
      const gone = new Set(victims);
      return active.filter((p) => !gone.has(p));
    }
    // A pod still terminating is not replaced yet when only failed pods are (podFailurePolicy, podReplacementPolicy Failed).
    const onlyFailed = onlyReplaceFailedPods(job);
    let diff = want - (onlyFailed ? terminatingCount : 0) - active.length;
    if (diff <= 0) return active;
    // With a limit per index, each index waits out its own back-off (below); otherwise the Job's, whatever the restartPolicy.
    const wait = lists.failedIv ? 0 : remainingBackoff(lists.backoff, now);
    if (wait > 0) {
      this.requeueAfter(key, wait);
      return active;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (indexed) {
      const taken: number[] = [];
      for (const p of active) if (podIndex(p) !== undefined) taken.push(podIndex(p)!);
      if (onlyFailed) for (const p of pods) if (p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && podIndex(p) !== undefined) taken.push(podIndex(p)!);
      let nonPending = withIndexes(lists.completedIv, taken);
      if (lists.failedIv) nonPending = mergeIntervals(nonPending, lists.failedIv);
      indexes = firstPendingIndexes(diff, completions, nonPending);
      if (lists.failedIv) {
        const ready: number[] = [];
        let soonest = Infinity;
        for (const i of indexes) {
          const left = remainingTimePerIndex(delayed.get(i), now);
          if (left === 0) ready.push(i);
          else soonest = Math.min(soonest, left);
        }
        if (ready.length === 0 && soonest !== Infinity) {
          this.requeueAfter(key, soonest);
          return active;
        }
        indexes = ready;
      }
      diff = indexes.length;
    }
    const out = active.slice();
    for (let n = 0; n < diff; n++) {
      const pod = indexed ? indexedPod(job, indexes[n], delayed.get(indexes[n])) : podFromTemplate(job.spec.template, job, { generateName: `${job.metadata.name}-` });
      // appendJobCompletionFinalizerIfNotFound
      if (!pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) (pod.metadata.finalizers ??= []).push(TRACKING_FINALIZER);
      try {
        const created = this.ctx.api.create(PODS, job.metadata.namespace, pod).object;
        this.pods.upsert(created);
        out.push(created);
        this.ctx.events.event({ component: COMPONENT }, job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        if (!namespaceTerminating(err)) this.ctx.events.event({ component: COMPONENT }, job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        break;
      }
    }
    return out;
  }

  /**
   * enqueueSyncJobWithDelay: never sooner than the 1 s batch period. As
   * client-go's delaying queue, a sooner wake-up replaces a later one pending
   * for the key (the shared queue's addAfter keeps whichever came first, so a
   * pending activeDeadlineSeconds requeue would swallow the back-off's).
   */
  private requeueAfter(key: string, ms: number): void {
    const at = this.ctx.clock.now() + Math.max(ms, SYNC_JOB_BATCH_PERIOD_MS);
    const pending = this.wakeUps.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.ctx.clock.clearTimer(pending.handle);
    const handle = this.ctx.clock.setTimer(at - this.ctx.clock.now(), () => {
      this.wakeUps.delete(key);
      this.queue.add(key);
    });
    this.wakeUps.set(key, { at, handle });
  }

  /** deleteJobPods: the tracking finalizer goes first, so a pod removed by the Job itself is never counted as failed. */
  private removePod(job: KObject, p: KObject): void {
    if (p.metadata.finalizers?.includes(TRACKING_FINALIZER)) {
      try {
        this.releaseFinalizers([p]);
      } catch (err) {
        this.ctx.log(COMPONENT, `removing the tracking finalizer of ${p.metadata.name}: ${errorMessage(err)}`);
        return;
      }
    }
    this.deletePod(job, p);
  }

  private deletePod(job: KObject, p: KObject): void {
    try {
      const res = this.ctx.api.delete(PODS, p.metadata.namespace, p.metadata.name!);
      if (res?.metadata?.deletionTimestamp) this.pods.upsert(res);
      else this.pods.remove(p);
      this.ctx.events.event({ component: COMPONENT }, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /**
   * syncOrphanPod: a pod still holding the tracking finalizer whose Job no longer exists (or has finished, or
   * that no Job controls) is released, so its deletion can complete. A pod of another kind of owner, or of a
   * Job another controller manages, is left alone.
   */
  private syncOrphanPod(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.pods.get(ns, name);
    if (!pod || !tracked(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.jobs.get(ns, ref.name);
      if (job && job.metadata.uid === ref.uid) {
        const managedBy = job.spec?.managedBy;
        if (typeof managedBy === 'string' && managedBy !== JOB_CONTROLLER_NAME) return;
        if (!finished(job)) return;
      }
    }
    this.releaseFinalizers([pod]);
  }

  private releaseFinalizers(pods: KObject[]): void {
    for (const p of pods) {
      const fin = (p.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
      try {
        const res = this.ctx.api.patch(PODS, p.metadata.namespace, p.metadata.name!, 'merge', { metadata: { finalizers: fin.length ? fin : null } }).object;
        this.pods.upsert(res);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

const tracked = (p: KObject) => (p.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);

/** ensureJobConditionStatus for Suspended: adds or flips it; a False condition is never added from nothing. */
function setSuspended(status: any, value: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const conds: any[] = status.conditions;
  const i = conds.findIndex((c) => c.type === 'Suspended');
  if (i < 0) {
    if (value === 'False') return false;
    conds.push({ ...condition('Suspended', reason, message, now), status: value });
    return true;
  }
  if (conds[i].status === value) return false;
  const t = formatTime(now);
  conds[i] = { ...conds[i], status: value, reason, message, lastProbeTime: t, lastTransitionTime: t };
  return true;
}
