import type { Component, ComponentContext, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { JOBS } from '../util/gvr.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { parseTime } from '../util/time.js';
import { errorMessage, isNotFound } from '../util/write.js';

const COMPONENT = 'ttl-after-finished-controller';

/** When a finished Job may go: its Complete or Failed condition's time plus ttlSecondsAfterFinished. */
export function expiresAt(job: KObject): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return undefined;
  const c = (job.status?.conditions ?? []).find((x: any) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const finished = parseTime(job.status?.completionTime) ?? parseTime(c.lastTransitionTime);
  return finished === undefined ? undefined : finished + ttl * 1000;
}

/**
 * The TTL-after-finished controller: deletes a finished Job (and, through
 * the garbage collector, its pods) ttlSecondsAfterFinished after it finished.
 */
export class TTLAfterFinishedController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  private readonly jobs: ObjectCache;

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.jobs = informers.for(JOBS);
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(COMPONENT, `error cleaning up job ${k}: ${errorMessage(err)}`));
    this.jobs.onEvent((t, j) => {
      if (t !== 'DELETED' && expiresAt(j) !== undefined) this.queue.add(keyOf(j.metadata.namespace, j.metadata.name!));
    });
  }

  start(): void {
    this.jobs.start();
    for (const j of this.jobs.list()) if (expiresAt(j) !== undefined) this.queue.add(keyOf(j.metadata.namespace, j.metadata.name!));
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const job = this.jobs.get(ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const at = expiresAt(job);
    if (at === undefined) return;
    const now = this.ctx.clock.now();
    if (at > now) return this.queue.addAfter(key, at - now);
    try {
      this.ctx.api.delete(JOBS, ns, name, { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } });
      this.ctx.log(COMPONENT, `Job ${ns}/${name} deleted ${job.spec.ttlSecondsAfterFinished}s after it finished`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
