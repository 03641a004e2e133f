/** Names that free-form maps usually hold: resource names and the recommended labels. */

export const RESOURCE_NAMES: [string, string, string][] = [
  ['cpu', 'CPU, in cores: `500m` = 0.5 CPU, `2` = 2 CPUs.', 'CPU，单位为核：`500m` = 0.5 个 CPU，`2` = 2 个 CPU。'],
  ['memory', 'Memory, in bytes: `128Mi` = 134,217,728 bytes, `1G` = 1,000,000,000 bytes.', '内存，单位为字节：`128Mi` = 134,217,728 字节，`1G` = 1,000,000,000 字节。'],
  ['ephemeral-storage', 'Local ephemeral storage, in bytes (container writable layer, logs, emptyDir).', '本地临时存储，单位为字节（容器可写层、日志、emptyDir）。'],
  ['storage', 'Storage size, in bytes (PersistentVolume capacity, PersistentVolumeClaim requests).', '存储容量，单位为字节（PersistentVolume 的容量、PersistentVolumeClaim 的请求）。'],
];

export const LABEL_KEYS: [string, string, string][] = [
  ['app', 'A short application name; the label most selectors use.', '简短的应用名称；大多数选择器使用的标签。'],
  ['app.kubernetes.io/name', 'Recommended label: the name of the application.', '推荐标签：应用的名称。'],
  ['app.kubernetes.io/instance', 'Recommended label: a unique name identifying this instance of the application.', '推荐标签：标识该应用此实例的唯一名称。'],
  ['app.kubernetes.io/version', 'Recommended label: the current version of the application.', '推荐标签：应用的当前版本。'],
  ['app.kubernetes.io/component', 'Recommended label: the component within the architecture (e.g. `database`).', '推荐标签：在架构中的组件（例如 `database`）。'],
  ['app.kubernetes.io/part-of', 'Recommended label: the name of a higher-level application this one is part of.', '推荐标签：此应用所属的上层应用的名称。'],
  ['app.kubernetes.io/managed-by', 'Recommended label: the tool used to manage the application (e.g. `helm`).', '推荐标签：管理该应用的工具（例如 `helm`）。'],
];

/**
 * Labels the kubelet (or a cloud provider) puts on nodes, for nodeSelector, node affinity and topology keys
 * (English, 简体中文). The first three are on every node, kind's and the playground's included; the topology
 * labels come from a cloud provider, and a node without one is in no domain of that key.
 */
export const NODE_LABELS: [string, string, string][] = [
  ['kubernetes.io/hostname', 'The node\'s hostname, which the kubelet sets on every node (on kind and the playground it is the node\'s name). As a topologyKey, each node is a domain of its own: required pod anti-affinity on it means at most one such pod per node.',
    '节点的主机名，kubelet 会在每个节点上设置（在 kind 和模拟集群中就是节点名）。用作 topologyKey 时每个节点各是一个拓扑域：以它为键的必需 Pod 反亲和性表示每个节点最多一个这样的 Pod。'],
  ['kubernetes.io/os', 'The node\'s operating system: `linux` or `windows` (on every node; the playground\'s are `linux`).',
    '节点的操作系统：`linux` 或 `windows`（每个节点都有；模拟集群的节点是 `linux`）。'],
  ['kubernetes.io/arch', 'The node\'s CPU architecture, as Go names it: `amd64`, `arm64`, … (on every node; the playground\'s are `amd64`).',
    '节点的 CPU 架构（Go 的写法）：`amd64`、`arm64` 等（每个节点都有；模拟集群的节点是 `amd64`）。'],
  ['topology.kubernetes.io/zone', 'The node\'s availability zone, set by a cloud provider. kind\'s nodes, and the playground\'s, have none until you add it (`kubectl label node kubeplay-worker topology.kubernetes.io/zone=a`). A node without it is in no zone. A DoNotSchedule topology spread constraint keyed by it rules such a node out (the pod stays Pending: `missing required label`); required pod affinity keyed by it cannot be met there; required pod anti-affinity keyed by it does not apply there, so it keeps no pods apart on unlabelled nodes.',
    '节点所在的可用区，由云厂商设置。kind 的节点（以及模拟集群的节点）默认没有这个标签，需要自己添加（`kubectl label node kubeplay-worker topology.kubernetes.io/zone=a`）。没有该标签的节点不属于任何可用区：以它为键、DoNotSchedule 的拓扑分布约束不会把 Pod 调度到这样的节点（Pod 保持 Pending：`missing required label`）；以它为键的必需 Pod 亲和性在该节点上无法满足；以它为键的必需 Pod 反亲和性对该节点不起作用，所以在没有该标签的节点上它不会把 Pod 分开。'],
  ['topology.kubernetes.io/region', 'The node\'s region, set by a cloud provider (a region holds several zones). kind\'s nodes, and the playground\'s, have none until you add it.',
    '节点所在的地域，由云厂商设置（一个地域包含多个可用区）。kind 的节点（以及模拟集群的节点）默认没有，需要自己添加。'],
  ['node.kubernetes.io/instance-type', 'The node\'s machine type, set by a cloud provider (e.g. `m5.large`). kind\'s nodes, and the playground\'s, have none.',
    '节点的机器规格，由云厂商设置（例如 `m5.large`）。kind 的节点（以及模拟集群的节点）没有这个标签。'],
];

/** The node labels that make sense as a topologyKey (pod affinity terms, topology spread constraints). */
export const TOPOLOGY_KEYS = NODE_LABELS.filter(([k]) => k === 'kubernetes.io/hostname' || k.startsWith('topology.kubernetes.io/'));

/**
 * The node labels that belong at a field (by its shapeKey): the topology keys at a pod affinity term's or a spread
 * constraint's topologyKey, every node label at a node affinity requirement's key.
 */
export function nodeLabelsAt(shape: string): [string, string, string][] | undefined {
  if (/(^|\.)topologyKey$/.test(shape) && /(podAffinity|podAntiAffinity|topologySpreadConstraints)/.test(shape)) return TOPOLOGY_KEYS;
  return /(^|\.)nodeAffinity\..*matchExpressions\[\]\.key$/.test(shape) ? NODE_LABELS : undefined;
}

/**
 * Annotations a kind's controllers read, with what they do (English, 简体中文):
 * the ingress-nginx ones the playground's controller follows, the legacy
 * class annotation, and the default IngressClass's.
 */
export const ANNOTATIONS: Record<string, Array<[string, string, string]>> = {
  Ingress: [
    ['kubernetes.io/ingress.class', 'Deprecated: the class of the Ingress, for controllers that predate `spec.ingressClassName` (ingress-nginx reads it only when the field is unset). The apiserver warns about it, and refuses to create an Ingress that also sets `spec.ingressClassName`, even to the same class.',
      '已弃用：旧式的 Ingress 类注解（只有在未设置 `spec.ingressClassName` 时 ingress-nginx 才读取它）。apiserver 会给出警告；若同时设置了 `spec.ingressClassName`，即使两者相同，apiserver 也会拒绝创建该 Ingress。'],
    ['nginx.ingress.kubernetes.io/rewrite-target', 'ingress-nginx: the path sent to the backend replaces the whole request path; `$1`, `$2`… are the path\'s regex groups (`path: /app(/|$)(.*)` with `/$2` sends `/app/x` as `/x`). It makes every path of the host a case-insensitive regex.',
      'ingress-nginx：发往后端的路径整体替换为此值；`$1`、`$2`… 是路径正则的分组（`path: /app(/|$)(.*)` 配合 `/$2` 会把 `/app/x` 转成 `/x`）。同一主机的所有路径都会变成不区分大小写的正则。'],
    ['nginx.ingress.kubernetes.io/use-regex', 'ingress-nginx: `"true"` makes every path of the host a case-insensitive regex matched at the start of the path (so `/api` also matches `/apiary`).',
      'ingress-nginx：`"true"` 时该主机的所有路径都按不区分大小写的正则从路径开头匹配（因此 `/api` 也会匹配 `/apiary`）。'],
    ['nginx.ingress.kubernetes.io/ssl-redirect', 'ingress-nginx: `"false"` keeps plain HTTP on this Ingress\'s paths; by default a host with a TLS certificate redirects HTTP to HTTPS (308).',
      'ingress-nginx：`"false"` 时本 Ingress 的路径允许明文 HTTP；默认情况下，有 TLS 证书的主机会把 HTTP 重定向到 HTTPS（308）。'],
    ['nginx.ingress.kubernetes.io/app-root', 'ingress-nginx: a request for `/` is redirected (302) to this path, e.g. `/app`.',
      'ingress-nginx：对 `/` 的请求会被重定向（302）到此路径，例如 `/app`。'],
  ],
  IngressClass: [
    ['ingressclass.kubernetes.io/is-default-class', '`"true"`: new Ingresses that name no class get this one (the apiserver\'s DefaultIngressClass admission). Existing Ingresses are not changed.',
      '`"true"`：新建且未指定类的 Ingress 会被设为此类（apiserver 的 DefaultIngressClass 准入插件）。已有的 Ingress 不受影响。'],
  ],
};

/**
 * Annotations of a pod (its own metadata, or a workload's pod template) that
 * kubectl writes or reads (English, 简体中文).
 */
export const POD_ANNOTATIONS: Array<[string, string, string]> = [
  ['kubectl.kubernetes.io/default-container', 'The container `kubectl logs`, `exec`, `attach` and `cp` use when none is named with `-c`; without it kubectl takes the first and says `Defaulted container "…" out of: …`.',
    '未用 `-c` 指定容器时，`kubectl logs`、`exec`、`attach` 和 `cp` 使用的容器；没有此注解时 kubectl 取第一个容器，并提示 `Defaulted container "…" out of: …`。'],
  ['kubectl.kubernetes.io/restartedAt', 'Written into a workload\'s pod template by `kubectl rollout restart` (the time of the restart): any change to the template makes the controller roll out new pods, so the restart is an ordinary rolling update.',
    '由 `kubectl rollout restart` 写入工作负载的 Pod 模板（值为重启时间）：模板的任何变化都会让控制器滚动创建新 Pod，所以"重启"就是一次普通的滚动更新。'],
];

/** Whether `path` (ending at `metadata`) is a pod's own metadata or a pod template's. */
export function isPodMetadata(path: ReadonlyArray<string | number>, kind: string | undefined): boolean {
  if (path[path.length - 1] !== 'metadata') return false;
  if (path.length === 1) return kind === 'Pod';
  return path[path.length - 2] === 'template';
}

/**
 * What a ResourceQuota's `spec.hard` keys limit (English, 简体中文): the sum
 * over the namespace's objects that quota admission charges and the
 * resourcequota controller counts.
 */
export const QUOTA_KEYS: Array<[string, string, string]> = [
  ['pods', 'Pods not yet finished (Succeeded and Failed pods do not count).', '尚未结束的 Pod 数量（Succeeded 和 Failed 的 Pod 不计入）。'],
  ['requests.cpu', 'Sum of the CPU requests of unfinished pods. While a quota tracks it, every container must state a CPU request (or get one from a LimitRange), or the pod is refused: `failed quota: … must specify requests.cpu`.',
    '未结束 Pod 的 CPU 请求（requests）之和。配额跟踪此项时，每个容器都必须声明 CPU 请求（或由 LimitRange 提供默认值），否则 Pod 被拒绝：`failed quota: … must specify requests.cpu`。'],
  ['requests.memory', 'Sum of the memory requests of unfinished pods; every container must then state one (or get a LimitRange default).', '未结束 Pod 的内存请求之和；此时每个容器都必须声明内存请求（或由 LimitRange 提供默认值）。'],
  ['limits.cpu', 'Sum of the CPU limits of unfinished pods; every container must then state a CPU limit (or get a LimitRange default).', '未结束 Pod 的 CPU 限制（limits）之和；此时每个容器都必须声明 CPU 限制（或由 LimitRange 提供默认值）。'],
  ['limits.memory', 'Sum of the memory limits of unfinished pods; every container must then state one (or get a LimitRange default).', '未结束 Pod 的内存限制之和；此时每个容器都必须声明内存限制（或由 LimitRange 提供默认值）。'],
  ['cpu', 'The same as `requests.cpu`.', '与 `requests.cpu` 相同。'],
  ['memory', 'The same as `requests.memory`.', '与 `requests.memory` 相同。'],
  ['requests.ephemeral-storage', 'Sum of the local ephemeral storage requests of unfinished pods.', '未结束 Pod 的本地临时存储请求之和。'],
  ['limits.ephemeral-storage', 'Sum of the local ephemeral storage limits of unfinished pods.', '未结束 Pod 的本地临时存储限制之和。'],
  ['requests.storage', 'Sum of the storage requests of all PersistentVolumeClaims.', '所有 PersistentVolumeClaim 的存储请求之和。'],
  ['persistentvolumeclaims', 'Number of PersistentVolumeClaims.', 'PersistentVolumeClaim 的数量。'],
  ['services', 'Number of Services.', 'Service 的数量。'],
  ['services.nodeports', 'Number of node ports Services allocate (each port of a NodePort or LoadBalancer Service).', 'Service 分配的节点端口数（NodePort 或 LoadBalancer 类型 Service 的每个端口）。'],
  ['services.loadbalancers', 'Number of LoadBalancer Services.', 'LoadBalancer 类型 Service 的数量。'],
  ['configmaps', 'Number of ConfigMaps (each namespace already has `kube-root-ca.crt`).', 'ConfigMap 的数量（每个命名空间都已有 `kube-root-ca.crt`）。'],
  ['secrets', 'Number of Secrets.', 'Secret 的数量。'],
  ['replicationcontrollers', 'Number of ReplicationControllers.', 'ReplicationController 的数量。'],
  ['resourcequotas', 'Number of ResourceQuotas (this one included).', 'ResourceQuota 的数量（包括本配额自身）。'],
  ['count/deployments.apps', 'Number of Deployments: `count/<resource>.<group>` counts any kind (`count/<resource>` for the core group).', 'Deployment 的数量：`count/<资源>.<组>` 可统计任意类型（核心组写作 `count/<资源>`）。'],
  ['count/replicasets.apps', 'Number of ReplicaSets.', 'ReplicaSet 的数量。'],
  ['count/statefulsets.apps', 'Number of StatefulSets.', 'StatefulSet 的数量。'],
  ['count/jobs.batch', 'Number of Jobs.', 'Job 的数量。'],
  ['count/cronjobs.batch', 'Number of CronJobs.', 'CronJob 的数量。'],
  ['count/pods', 'Number of pods, finished ones included.', 'Pod 的数量，包括已结束的。'],
];

/** A Namespace's Pod Security labels (English, 简体中文), and the values each takes. */
export const POD_SECURITY_LABELS: Array<[string, string, string]> = [
  ['pod-security.kubernetes.io/enforce', 'Pod Security Admission: pods that break this level (`privileged`, `baseline` or `restricted`) are refused; a Deployment\'s pods too, one FailedCreate event at a time.',
    'Pod 安全准入：违反此级别（`privileged`、`baseline` 或 `restricted`）的 Pod 会被拒绝；Deployment 的 Pod 也一样（ReplicaSet 上出现 FailedCreate 事件）。'],
  ['pod-security.kubernetes.io/enforce-version', 'The policy version enforce checks against: `latest` or `v1.N`.', 'enforce 所依据的策略版本：`latest` 或 `v1.N`。'],
  ['pod-security.kubernetes.io/warn', 'Pod Security Admission: creating a pod or a workload that breaks this level succeeds with a `Warning: would violate PodSecurity …`.',
    'Pod 安全准入：创建违反此级别的 Pod 或工作负载时仍会成功，但会返回 `Warning: would violate PodSecurity …` 警告。'],
  ['pod-security.kubernetes.io/warn-version', 'The policy version warn checks against: `latest` or `v1.N`.', 'warn 所依据的策略版本：`latest` 或 `v1.N`。'],
  ['pod-security.kubernetes.io/audit', 'Pod Security Admission: violations of this level are recorded in the audit log.', 'Pod 安全准入：违反此级别的情况记录在审计日志中。'],
  ['pod-security.kubernetes.io/audit-version', 'The policy version audit checks against: `latest` or `v1.N`.', 'audit 所依据的策略版本：`latest` 或 `v1.N`。'],
];

export const POD_SECURITY_VALUES: Record<string, Array<[string, string, string]>> = {
  level: [
    ['privileged', 'No restrictions (the default).', '不做限制（默认值）。'],
    ['baseline', 'Forbids the known privilege escalations: privileged containers, host namespaces, hostPath volumes, host ports, added capabilities beyond the defaults.',
      '禁止已知的提权方式：特权容器、主机命名空间、hostPath 卷、主机端口、默认之外的 capabilities。'],
    ['restricted', 'Baseline plus hardening: run as non-root, `seccompProfile` RuntimeDefault or Localhost, `allowPrivilegeEscalation: false`, drop ALL capabilities, only the common volume types.',
      '在 baseline 之上加固：以非 root 运行、`seccompProfile` 为 RuntimeDefault 或 Localhost、`allowPrivilegeEscalation: false`、drop ALL capabilities、只允许常见卷类型。'],
  ],
  version: [['latest', 'The newest policy: that of the cluster\'s own Kubernetes version.', '最新策略：即集群自身 Kubernetes 版本的策略。']],
};

/** Secret types the apiserver and kubelet know: [type, English, Chinese, the keys it requires or uses]. */
export const SECRET_TYPES: [string, string, string, [string, string, string][]][] = [
  ['Opaque', 'Arbitrary user data (the default).', '任意用户数据（默认类型）。', []],
  ['kubernetes.io/tls', 'A TLS certificate and its key: `tls.crt` and `tls.key` are required.', 'TLS 证书及其私钥：必须有 `tls.crt` 和 `tls.key`。', [
    ['tls.crt', 'The PEM-encoded certificate (chain).', 'PEM 编码的证书（链）。'], ['tls.key', 'The PEM-encoded private key.', 'PEM 编码的私钥。']]],
  ['kubernetes.io/dockerconfigjson', 'Registry credentials for imagePullSecrets: `.dockerconfigjson` holds a `~/.docker/config.json`.', '镜像仓库凭据（供 imagePullSecrets 使用）：`.dockerconfigjson` 存放 `~/.docker/config.json` 的内容。', [
    ['.dockerconfigjson', 'The JSON of a `~/.docker/config.json` (`{"auths": {...}}`).', '`~/.docker/config.json` 的 JSON 内容（`{"auths": {...}}`）。']]],
  ['kubernetes.io/basic-auth', 'Credentials for basic authentication: `username`, `password` or both.', '基本认证凭据：`username`、`password` 或两者。', [
    ['username', 'The user name.', '用户名。'], ['password', 'The password or token.', '密码或令牌。']]],
  ['kubernetes.io/ssh-auth', 'An SSH private key in `ssh-privatekey` (required, not empty).', 'SSH 私钥，存放在 `ssh-privatekey` 中（必填且不能为空）。', [
    ['ssh-privatekey', 'The SSH private key.', 'SSH 私钥。']]],
  ['kubernetes.io/service-account-token', 'A long-lived token of the ServiceAccount named in the `kubernetes.io/service-account.name` annotation; the token controller fills it in.',
    '由 `kubernetes.io/service-account.name` 注解指定的 ServiceAccount 的长期令牌；令牌控制器会填入内容。', []],
  ['kubernetes.io/dockercfg', 'Legacy registry credentials: `.dockercfg` holds a `~/.dockercfg`.', '旧式镜像仓库凭据：`.dockercfg` 存放 `~/.dockercfg` 的内容。', [
    ['.dockercfg', 'The JSON of a legacy `~/.dockercfg`.', '旧式 `~/.dockercfg` 的 JSON 内容。']]],
  ['bootstrap.kubernetes.io/token', 'A bootstrap token for joining nodes (in kube-system).', '节点加入集群用的引导令牌（位于 kube-system）。', []],
];

/** CronJob schedules: the descriptors robfig/cron knows and common five-field forms (minute hour day month weekday). */
export const CRON_SCHEDULES: [string, string, string][] = [
  ['@hourly', 'At minute 0 of every hour (`0 * * * *`).', '每小时的第 0 分钟（`0 * * * *`）。'],
  ['@daily', 'Every day at 00:00 (`0 0 * * *`); also `@midnight`.', '每天 00:00（`0 0 * * *`），也可写 `@midnight`。'],
  ['@weekly', 'Every Sunday at 00:00 (`0 0 * * 0`).', '每周日 00:00（`0 0 * * 0`）。'],
  ['@monthly', 'On the 1st of every month at 00:00 (`0 0 1 * *`).', '每月 1 日 00:00（`0 0 1 * *`）。'],
  ['@yearly', 'Every 1 January at 00:00 (`0 0 1 1 *`); also `@annually`.', '每年 1 月 1 日 00:00（`0 0 1 1 *`），也可写 `@annually`。'],
  ['*/5 * * * *', 'Every 5 minutes. A value starting with `*` must be quoted in YAML.', '每 5 分钟一次。以 `*` 开头的值在 YAML 中必须加引号。'],
  ['* * * * *', 'Every minute (the CronJob tutorial\'s schedule).', '每分钟一次（CronJob 教程中的写法）。'],
  ['0 * * * *', 'At minute 0 of every hour.', '每小时的第 0 分钟。'],
  ['30 2 * * *', 'Every day at 02:30.', '每天 02:30。'],
  ['0 9 * * 1-5', 'At 09:00 on Monday to Friday.', '周一至周五的 09:00。'],
];

/** Common IANA time zone names for a CronJob's timeZone (its schedule is read in that zone; without one, in the controller manager's). */
export const TIME_ZONES: [string, string, string][] = [
  ['Etc/UTC', 'Coordinated Universal Time.', '协调世界时（UTC）。'],
  ['Asia/Shanghai', 'China Standard Time (UTC+8).', '中国标准时间（UTC+8）。'],
  ['Asia/Hong_Kong', 'Hong Kong Time (UTC+8).', '香港时间（UTC+8）。'],
  ['Asia/Taipei', 'Taipei Time (UTC+8).', '台北时间（UTC+8）。'],
  ['Asia/Tokyo', 'Japan Standard Time (UTC+9).', '日本标准时间（UTC+9）。'],
  ['Asia/Singapore', 'Singapore Time (UTC+8).', '新加坡时间（UTC+8）。'],
  ['Europe/London', 'UK time (UTC+0, summer UTC+1).', '英国时间（UTC+0，夏令时 UTC+1）。'],
  ['Europe/Berlin', 'Central European Time (UTC+1, summer UTC+2).', '中欧时间（UTC+1，夏令时 UTC+2）。'],
  ['America/New_York', 'US Eastern Time (UTC-5, summer UTC-4).', '美国东部时间（UTC-5，夏令时 UTC-4）。'],
  ['America/Los_Angeles', 'US Pacific Time (UTC-8, summer UTC-7).', '美国太平洋时间（UTC-8，夏令时 UTC-7）。'],
];
