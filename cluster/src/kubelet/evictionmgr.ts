/**
 * The eviction manager's loop on each node (eviction.ts has the rules): a pass every 10 s from the kubelet's
 * start, over the node's pods that have an ephemeral-storage limit or an emptyDir sizeLimit. A node without such a
 * pod has no timer at all, so the common pod costs one look at its spec when the kubelet first sees it.
 */
import type { TimerHandle } from '../contract';
import type { PodSim } from './podsim';
import { checksLocalStorage, EVICTION_MONITORING_MS, hasDiskEmptyDir, isCriticalPod, localStorageViolation, VOLUME_STATS_PERIOD_MS } from './eviction';

export interface EvictionHost {
  now(): number;
  random(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(h: TimerHandle): void;
  /** When the node's kubelet started (passes and the volume stats pass tick from there). */
  kubeletStart(node: string): number;
  /** A failed node's kubelet does nothing. */
  frozen(node: string): boolean;
  /** Each started container's writable layer and log bytes, or undefined when the runtime has no stats for the pod yet. */
  containerUsage(p: PodSim): Map<string, number> | undefined;
  /** Each emptyDir's bytes now. */
  emptyDirUsage(p: PodSim): Map<string, number>;
  /** evictPod: the event, the kill with the eviction's grace period, the Failed status. */
  evict(p: PodSim, message: string): void;
}

interface Watched {
  /** The volume stats cache's last measure of the pod's emptyDirs, and when it measures them next. */
  volumes?: Map<string, number>;
  volumesAt: number;
}

export class EvictionManager {
  private readonly nodes = new Map<string, { pods: Map<PodSim, Watched>; timer?: TimerHandle }>();

  constructor(private readonly host: EvictionHost) {}

  /** A pod the kubelet took up: watched when it has something to check. */
  add(p: PodSim): void {
    if (!checksLocalStorage(p.pod)) return;
    let n = this.nodes.get(p.node);
    if (!n) this.nodes.set(p.node, (n = { pods: new Map() }));
    // The 1-minute pass of the volume stats cache starts the pod's calculator, which measures at once.
    const since = this.host.now() - this.host.kubeletStart(p.node);
    const volumesAt = this.host.now() + (VOLUME_STATS_PERIOD_MS - (((since % VOLUME_STATS_PERIOD_MS) + VOLUME_STATS_PERIOD_MS) % VOLUME_STATS_PERIOD_MS));
    n.pods.set(p, { volumesAt });
    this.arm(p.node);
  }

  remove(p: PodSim): void {
    const n = this.nodes.get(p.node);
    if (!n?.pods.delete(p) || n.pods.size) return;
    if (n.timer !== undefined) this.host.clearTimer(n.timer);
    this.nodes.delete(p.node);
  }

  dropNode(node: string): void {
    const n = this.nodes.get(node);
    if (n?.timer !== undefined) this.host.clearTimer(n.timer);
    this.nodes.delete(node);
  }

  stop(): void {
    for (const name of [...this.nodes.keys()]) this.dropNode(name);
  }

  private arm(node: string): void {
    const n = this.nodes.get(node);
    if (!n || n.timer !== undefined) return;
    const since = this.host.now() - this.host.kubeletStart(node);
    const wait = EVICTION_MONITORING_MS - (((since % EVICTION_MONITORING_MS) + EVICTION_MONITORING_MS) % EVICTION_MONITORING_MS);
    n.timer = this.host.setTimer(wait, () => {
      n.timer = undefined;
      if (this.nodes.get(node) !== n) return;
      if (!this.host.frozen(node)) this.synchronize(n.pods);
      if (n.pods.size) this.arm(node);
      else if (this.nodes.get(node) === n) this.nodes.delete(node);
    });
  }

  /** One pass of synchronize with no thresholds: localStorageEviction over the active pods. */
  private synchronize(pods: Map<PodSim, Watched>): void {
    const now = this.host.now();
    for (const [p, w] of [...pods]) {
      if (p.finished || p.deleting || p.killing || p.evicted) continue;
      if (now >= w.volumesAt && hasDiskEmptyDir(p.pod)) {
        w.volumes = this.host.emptyDirUsage(p);
        // volumeStatCalculator: JitterUntil(period, 1.0), the next measure 1 to 2 periods later.
        w.volumesAt = now + VOLUME_STATS_PERIOD_MS + Math.floor(this.host.random() * VOLUME_STATS_PERIOD_MS);
      }
      const containers = this.host.containerUsage(p);
      if (!containers) continue;
      const message = localStorageViolation(p.pod, containers, w.volumes);
      if (!message || isCriticalPod(p.pod, p.static)) continue;
      this.host.evict(p, message);
    }
  }
}
