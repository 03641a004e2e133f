/**
 * Hover on a container's `image` value: what the container will do in the
 * Kubeplay playground, by the image convention the kubelet simulation uses
 * (kube/src/imageConvention.ts, documented in docs/images.md), so learners find
 * `kubeplay/crash` and friends from the editor.
 */
import { behaviourOf, docRoot, listeningPorts, stressDemand, type Behaviour } from '../../../kube/src/imageConvention';
import { formatQuantity, parseQuantity } from '../../../kube/src/quantity';
import type { FieldPath, KubeObject } from './model';
import { get } from './workspace';
import { imageEnvVars } from './imageEnv';

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
  return `${head} ${describe(b, restartPolicy, zh)}${b.kind === 'run' ? portsNote(container, zh) + docRootNote(container, podSpec, zh) : ''}${oomNote(container, zh)}`;
}

/**
 * A volume mounted over (or above) the folder nginx serves: nginx then serves what the volume holds, and the
 * usual surprise is a 403 for a folder with no index.html (the seed's hostPath over /usr/share/nginx/html).
 */
function docRootNote(container: Record<string, any>, podSpec: unknown, zh: boolean): string {
  const root = docRoot(container);
  if (!root) return '';
  const mount = (container.volumeMounts ?? []).find((m: any) => typeof m?.mountPath === 'string' && !m.subPath
    && (root === m.mountPath.replace(/\/+$/, '') || root.startsWith(m.mountPath.replace(/\/+$/, '') + '/')));
  if (!mount) return '';
  const vol = (isRecord(podSpec) && Array.isArray(podSpec.volumes) ? podSpec.volumes : []).find((v: any) => v?.name === mount.name);
  const source = !isRecord(vol) ? '' : vol.hostPath ? `hostPath \`${vol.hostPath.path}\`` : vol.configMap ? `ConfigMap \`${vol.configMap.name}\``
    : vol.secret ? `Secret \`${vol.secret.secretName}\`` : vol.persistentVolumeClaim ? `PVC \`${vol.persistentVolumeClaim.claimName}\`` : vol.emptyDir ? 'emptyDir' : '';
  const what = !source ? '' : zh ? `（${source}）` : ` (${source})`;
  return zh
    ? ` 它提供 \`${root}\` 中的文件，而卷 \`${mount.name}\`${what}挂载在那里：它返回该卷中的内容，文件夹中没有 \`index.html\` 时返回 **403 Forbidden**。`
    : ` It serves the files in \`${root}\`, where the volume \`${mount.name}\`${what} is mounted: it answers with what that volume holds, and **403 Forbidden** while the folder has no \`index.html\`.`;
}

/**
 * Where the container listens, when the convention knows (a well-known image, a shell's server, or declared
 * ports), and which declared ports its image does not serve: the usual reason a Service or probe reaches nothing.
 */
function portsNote(container: Record<string, any>, zh: boolean): string {
  const ports = listeningPorts(container);
  if (ports === 'any') return '';
  const declared: number[] = (container.ports ?? []).filter((p: any) => (p?.protocol ?? 'TCP') === 'TCP' && Number.isInteger(p?.containerPort)).map((p: any) => p.containerPort);
  const unserved = declared.filter((p) => !ports.includes(p));
  const list = ports.join(', ');
  let text = ports.length
    ? zh ? ` 它在 TCP 端口 ${list} 上监听。` : ` It listens on TCP port${ports.length > 1 ? 's' : ''} ${list}.`
    : zh ? ' 它不监听任何端口。' : ' It listens on no port.';
  if (unserved.length) {
    const u = unserved.join(', ');
    text += zh
      ? `声明的 \`containerPort\` ${u} 上没有进程监听：指向它的 Service、探针和端口转发都会被拒绝连接。`
      : ` Nothing listens on the declared \`containerPort\` ${u}: a Service, probe or port-forward aimed there is refused.`;
  }
  return text;
}

/** The OOM killer's verdict, when the container asks for more memory (KUBEPLAY_MEMORY or a stress tool) than its limit. */
function oomNote(container: Record<string, any>, zh: boolean): string {
  const limitText = container.resources?.limits?.memory;
  if (limitText === undefined) return '';
  const env = (container.env ?? []).find((e: any) => e?.name === 'KUBEPLAY_MEMORY')?.value;
  let demand: number | undefined;
  let limit: number;
  try {
    demand = typeof env === 'string' ? parseQuantity(env) : stressDemand(container).memory;
    limit = parseQuantity(String(limitText));
  } catch {
    return '';
  }
  if (demand === undefined || !(demand > limit)) return '';
  const asked = formatQuantity(demand, 'memory');
  return zh
    ? ` 它需要 ${asked} 内存，超过 \`limits.memory\`（${limitText}）：每次启动约一秒后被 OOM killer 终止（\`OOMKilled\`，退出码 137）。`
    : ` It asks for ${asked} of memory, over its \`limits.memory\` of ${limitText}: the OOM killer ends it about a second after each start (\`OOMKilled\`, exit code 137).`;
}

/** What the playground's metrics convention (docs/images.md) makes of a KUBEPLAY_* variable in a container's env. */
export const ENV_DOCS: Record<string, [string, string]> = {
  KUBEPLAY_CPU: [
    'the container uses this much CPU (within its `limits.cpu`), as `kubectl top` and the HorizontalPodAutoscaler see it.',
    '容器使用这么多 CPU（不超过 `limits.cpu`），`kubectl top` 和 HorizontalPodAutoscaler 看到的就是它。',
  ],
  KUBEPLAY_MEMORY: [
    'the container uses this much memory (within its `limits.memory`), as `kubectl top` and the HorizontalPodAutoscaler see it.',
    '容器使用这么多内存（不超过 `limits.memory`），`kubectl top` 和 HorizontalPodAutoscaler 看到的就是它。',
  ],
  KUBEPLAY_LOAD: [
    'CPU demand from outside (requests through a Service), shared by the workload\'s Ready pods: an autoscaler that adds pods lowers each one\'s use.',
    '来自外部的 CPU 负载（例如经 Service 到达的请求），由该工作负载中就绪的 Pod 平均分担：HPA 增加 Pod 后，每个 Pod 的用量随之下降。',
  ],
};

/**
 * Hover on the name or value of a container's KUBEPLAY_CPU, KUBEPLAY_MEMORY or KUBEPLAY_LOAD variable, or on the name
 * of a variable its official database image reads.
 */
export function envHover(o: KubeObject, rest: FieldPath, zh: boolean): string | undefined {
  const n = rest.length;
  if (n < 5 || (rest[n - 1] !== 'name' && rest[n - 1] !== 'value') || typeof rest[n - 2] !== 'number' || rest[n - 3] !== 'env') return undefined;
  if (typeof rest[n - 4] !== 'number' || !CONTAINER_LISTS.has(String(rest[n - 5]))) return undefined;
  const item = get(o.value, rest.slice(0, -1));
  if (!isRecord(item) || typeof item.name !== 'string') return undefined;
  const doc = ENV_DOCS[item.name];
  if (!doc) {
    // A variable the container's own image reads (the official database images'), on its name.
    const row = rest[n - 1] === 'name' ? imageEnvVars(get(o.value, [...rest.slice(0, -3), 'image'])).find((r) => r[0] === item.name) : undefined;
    return row && `${zh ? '**镜像读取的变量：**' : '**Read by the image:**'} \`${item.name}\`: ${zh ? row[2] : row[1]}`;
  }
  return `${zh ? '**在 Kubeplay 模拟集群中：**' : '**In the Kubeplay playground:**'} \`${item.name}\`: ${zh ? doc[1] : doc[0]}`;
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
      b.runMs === 0
        ? zh ? `容器一启动就以退出码 ${b.exitCode} 退出（\`${reason}\`）。` : `the container exits with code ${b.exitCode} as soon as it starts (\`${reason}\`).`
        : zh
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
