/**
 * Hover on a container's `image` value: what the container will do in the
 * Kubeplay playground, by the image convention the kubelet simulation uses
 * (kube/src/imageConvention.ts, documented in docs/images.md), so learners find
 * `kubeplay/crash` and friends from the editor.
 */
import { behaviourOf, type Behaviour } from '../../../kube/src/imageConvention';
import type { FieldPath, KubeObject } from './model';
import { get } from './workspace';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export function imageHover(o: KubeObject, rest: FieldPath, zh: boolean): string | undefined {
  const n = rest.length;
  if (n < 3 || rest[n - 1] !== 'image' || typeof rest[n - 2] !== 'number' || !CONTAINER_LISTS.has(String(rest[n - 3]))) return undefined;
  const container = get(o.value, rest.slice(0, -1));
  const podSpec = get(o.value, rest.slice(0, -3));
  if (!isRecord(container) || typeof container.image !== 'string' || !container.image) return undefined;
  const restartPolicy = isRecord(podSpec) && typeof podSpec.restartPolicy === 'string' ? podSpec.restartPolicy : 'Always';
  const b = behaviourOf(container, restartPolicy);
  const head = zh ? '**在 Kubeplay 模拟集群中：**' : '**In the Kubeplay playground:**';
  return `${head} ${describe(b, restartPolicy, zh)}`;
}

function describe(b: Behaviour, restartPolicy: string, zh: boolean): string {
  if (b.kind === 'pull-error') {
    return zh ? '镜像拉取失败：Pod 先显示 `ErrImagePull`，随后是 `ImagePullBackOff`。' : 'the image pull fails: the pod shows `ErrImagePull`, then `ImagePullBackOff`.';
  }
  const parts: string[] = [];
  if (b.runMs === undefined) parts.push(zh ? '容器一直运行，直到被停止。' : 'the container runs until it is stopped.');
  else {
    const reason = b.exitCode === 0 ? 'Completed' : 'Error';
    const restarts = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && b.exitCode !== 0);
    parts.push(
      zh
        ? `容器在 ${span(b.runMs, zh)}后以退出码 ${b.exitCode} 退出（\`${reason}\`）。`
        : `the container exits with code ${b.exitCode} after ${span(b.runMs, zh)} (\`${reason}\`).`,
    );
    if (restarts) {
      parts.push(
        zh
          ? `在 \`restartPolicy: ${restartPolicy}\` 下，kubelet 会重启它，两次重启之间的等待从 10 秒起逐次加倍，最长 5 分钟（\`CrashLoopBackOff\`）。`
          : `Under \`restartPolicy: ${restartPolicy}\` the kubelet restarts it, waiting 10 s, then twice as long each time, up to 5 min (\`CrashLoopBackOff\`).`,
      );
    } else parts.push(zh ? `在 \`restartPolicy: ${restartPolicy}\` 下不会重启。` : `Under \`restartPolicy: ${restartPolicy}\` it is not restarted.`);
  }
  if (b.sickAfterMs !== undefined) {
    parts.push(
      b.sickAfterMs === 0
        ? zh ? '它的探针从一开始就失败。' : 'Its probes fail from the start.'
        : zh ? `每次启动 ${span(b.sickAfterMs, zh)}后，它的探针开始失败。` : `Its probes start failing ${span(b.sickAfterMs, zh)} after each start.`,
    );
  }
  if (b.warmupMs !== undefined) {
    parts.push(zh ? `每次启动后的前 ${span(b.warmupMs, zh)}内探针失败，之后成功。` : `Its probes fail for the first ${span(b.warmupMs, zh)} after each start, then pass.`);
  }
  return parts.join(' ');
}

function span(ms: number, zh: boolean): string {
  if (ms < 1000) return zh ? `${ms} 毫秒` : `${ms} ms`;
  if (ms < 60_000) return zh ? `${ms / 1000} 秒` : `${ms / 1000} s`;
  const min = Math.round((ms / 60_000) * 10) / 10;
  return zh ? `${min} 分钟` : `${min} min`;
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
