import type { KObject } from './types';
import { summarizePod } from '../../../kube/src/printPod';

/**
 * The READY, STATUS and RESTARTS of `kubectl get pods`, from the same summary
 * the playground's apiserver prints (kube/src/printPod.ts), so the tree shows
 * what a user sees in a terminal; native sidecars count in READY.
 */
export interface PodStatus {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
}

export function podStatus(pod: KObject): PodStatus {
  const s = summarizePod(pod);
  // A pod with no phase yet reads Pending in the tree (kubectl prints an empty column).
  return { reason: s.reason || 'Pending', ready: s.ready, total: s.total, restarts: s.restarts };
}

/** How a status is drawn: a codicon id and a theme colour id. Kept pure so it can be tested without VS Code. */
export interface Look {
  icon: string;
  color?: string;
}

export function podLook(s: PodStatus): Look {
  switch (s.reason) {
    case 'Running':
      return s.ready === s.total ? { icon: 'pass-filled', color: 'charts.green' } : { icon: 'circle-large-outline', color: 'charts.yellow' };
    case 'Pending':
    case 'SchedulingGated':
      return { icon: 'clock', color: 'charts.yellow' };
    case 'ContainerCreating':
    case 'PodInitializing':
      return { icon: 'sync~spin', color: 'charts.blue' };
    case 'CrashLoopBackOff':
      return { icon: 'debug-restart', color: 'charts.red' };
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'ErrImageNeverPull':
    case 'InvalidImageName':
      return { icon: 'cloud-download', color: 'charts.red' };
    case 'Completed':
    case 'Succeeded':
      return { icon: 'check', color: 'disabledForeground' };
    case 'Terminating':
      return { icon: 'trash', color: 'charts.orange' };
    case 'NotReady':
      return { icon: 'circle-large-outline', color: 'charts.yellow' };
    case 'Unknown':
      return { icon: 'question', color: 'charts.orange' };
    default:
      if (s.reason.startsWith('Init:')) return { icon: 'sync~spin', color: 'charts.blue' };
      return { icon: 'error', color: 'charts.red' }; // Failed, Error, OOMKilled, ExitCode:N, Evicted, ...
  }
}

/** Ready/desired replicas for any workload kind, in the form the tree shows as `3/3 ready`. */
export function workloadReady(obj: KObject): { ready: number; desired: number } {
  const st = obj.status ?? {};
  switch (obj.kind) {
    case 'DaemonSet':
      return { ready: st.numberReady ?? 0, desired: st.desiredNumberScheduled ?? 0 };
    case 'Job':
      return { ready: st.succeeded ?? 0, desired: obj.spec?.completions ?? 1 };
    default:
      return { ready: st.readyReplicas ?? 0, desired: obj.spec?.replicas ?? 1 };
  }
}

export function nodeReady(node: KObject): 'True' | 'False' | 'Unknown' {
  const c = (node.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  return c?.status ?? 'Unknown';
}

/**
 * The status-bar item: one icon and short figures (`$(server) 4/4 · 21`, with
 * `· 2 pending` only while some are), the sentence in the tooltip, and that
 * same sentence for screen readers instead of the icon's name.
 */
export function statusBarText(
  t: (message: string, ...args: (string | number)[]) => string,
  target: string,
  nodes: { ready: number; total: number },
  running: number,
  pending: number,
): { text: string; tooltip: string } {
  const tooltip = t('{0}: {1}/{2} nodes ready, {3} pods running in all namespaces, {4} pending', target, nodes.ready, nodes.total, running, pending);
  return { text: `$(server) ${nodes.ready}/${nodes.total} · ${running}${pending ? ' · ' + t('{0} pending', pending) : ''}`, tooltip };
}
