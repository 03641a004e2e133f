/**
 * The playground's "drain node" action: `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data --force`
 * as the user's kubectl would run it, on the simulated clock, printing what kubectl prints into the playground's
 * kubectl log (staging/src/k8s.io/kubectl/pkg/drain/drain.go and filters.go, pkg/cmd/drain/drain.go):
 *
 * - the pods on the node less DaemonSet pods whose DaemonSet exists (a warning names them) and mirror pods; pods
 *   no controller owns go too, with their own warning (--force);
 * - each pod through the eviction API, never deleted: a refusal with 429 (a PodDisruptionBudget) is printed and
 *   retried every 5 s; any other error ends that pod's eviction and, once every pod is done, the drain;
 * - an evicted pod is waited for (polled every second) until it is gone, then `pod/<name> evicted`; when all are,
 *   `node/<name> drained`.
 *
 * kubectl's default --timeout is none: the retries go on until the budget allows, the node is uncordoned (the
 * playground's stand-in for interrupting kubectl), drained again, or removed.
 */
import type { ComponentContext, KObject, TimerHandle } from '../contract';
import { GVRS } from '../scheduler/watch';
import { ADMIN_WRITE } from '../auth/identities';
import { DRAIN_POLL_MS, DRAIN_RETRY_MS, drainLine, evictionRefused, podsForDeletion } from '../../../kube/src/drain';

const DAEMONSETS = { group: 'apps', version: 'v1', resource: 'daemonsets' };
interface Job {
  node: string;
  timers: Set<TimerHandle>;
  /** Pods whose eviction has not finished (evicted and gone, or failed). */
  left: number;
  errors: string[];
}

/** utilerrors.NewAggregate(...).Error(): one error as it is, more in brackets. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

export class Drainer {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly ctx: ComponentContext) {}

  /** Starts draining `node` (already cordoned); answers the pods it evicts, as `namespace/name`. */
  start(node: string): string[] {
    this.cancel(node);
    const { pods, warning } = this.podsForDeletion(node);
    if (warning) this.print(warning);
    if (!pods.length) {
      this.print(drainLine.drained(node));
      return [];
    }
    const job: Job = { node, timers: new Set(), left: pods.length, errors: [] };
    this.jobs.set(node, job);
    for (const pod of pods) this.evict(job, pod);
    return pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  }

  /** Stops a drain in progress: its retries and waits end, its printed lines stay. */
  cancel(node: string): void {
    const job = this.jobs.get(node);
    if (!job) return;
    for (const t of job.timers) this.ctx.clock.clearTimer(t);
    this.jobs.delete(node);
  }

  stop(): void {
    for (const node of [...this.jobs.keys()]) this.cancel(node);
  }

  /** GetPodsForDeletion (kube/src/drain.ts) over the node's pods. */
  private podsForDeletion(node: string): { pods: KObject[]; warning?: string } {
    const onNode = this.ctx.api.list(GVRS.pods, undefined).items.filter((p) => p.spec?.nodeName === node);
    return podsForDeletion(onNode, (key) => {
      const [ns, name] = key.split('/');
      return this.exists(DAEMONSETS, ns, name);
    });
  }

  /** One pass of evictPods' loop for a pod. */
  private evict(job: Job, pod: KObject): void {
    if (this.jobs.get(job.node) !== job) return;
    const ns = pod.metadata.namespace!, name = pod.metadata.name!;
    this.print(drainLine.evicting(pod));
    try {
      this.ctx.api.create(GVRS.pods, ns, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, deleteOptions: {} } as unknown as KObject, ADMIN_WRITE, 'eviction', name);
    } catch (e: any) {
      const refused = evictionRefused(e, pod);
      if (refused.then === 'gone') return this.done(job);
      if (refused.then === 'fail') {
        job.errors.push(refused.line!);
        return this.done(job);
      }
      if (refused.then === 'retry') {
        this.print(refused.line!);
        return this.later(job, DRAIN_RETRY_MS, () => this.evict(job, pod));
      }
    }
    this.waitForDelete(job, pod);
  }

  /** waitForDelete: the pod is gone, or another of its name took its place. */
  private waitForDelete(job: Job, pod: KObject): void {
    if (this.jobs.get(job.node) !== job) return;
    let now: KObject | undefined;
    try {
      now = this.ctx.api.get(GVRS.pods, pod.metadata.namespace!, pod.metadata.name!);
    } catch {
      now = undefined;
    }
    if (now && now.metadata.uid === pod.metadata.uid) return this.later(job, DRAIN_POLL_MS, () => this.waitForDelete(job, pod));
    this.print(drainLine.evicted(pod));
    this.done(job);
  }

  private done(job: Job): void {
    if (--job.left > 0) return;
    this.jobs.delete(job.node);
    if (!job.errors.length) {
      this.print(drainLine.drained(job.node));
      return;
    }
    // deleteOrEvictPodsSimple, then RunDrain, then the command's own error.
    const err = aggregate(job.errors);
    const pending = this.podsForDeletion(job.node).pods;
    if (pending.length) {
      this.print(`There are pending pods in node "${job.node}" when an error occurred: ${err}`);
      for (const p of pending) this.print(`pod/${p.metadata.name}`);
    }
    this.print(`error: unable to drain node "${job.node}" due to error: ${err}, continuing command...`);
    this.print('There are pending nodes to be drained:');
    this.print(` ${job.node}`);
    // cmdutil.CheckErr unwraps RunDrain's aggregate to evictPods' own, whose errors it prints a line each, unprefixed.
    for (const e of job.errors) this.print(e);
  }

  private later(job: Job, ms: number, fn: () => void): void {
    const t = this.ctx.clock.setTimer(ms, () => {
      job.timers.delete(t);
      fn();
    });
    job.timers.add(t);
  }

  private exists(gvr: typeof GVRS.pods, ns: string, name: string): boolean {
    try {
      this.ctx.api.get(gvr, ns, name);
      return true;
    } catch {
      return false;
    }
  }

  private print(line: string): void {
    this.ctx.log('kubectl', line);
  }
}
