/**
 * Chinese notes, written for this project, for the allowed values of the enum
 * fields learners set in the kinds the product teaches. Upstream's notes come
 * from the "Possible enum values:" tail of a field's description (the Go
 * comments of the value constants in k8s.io/api); with a Chinese locale the
 * hover and the completion items show these instead and keep upstream's
 * English below, under 'Kubernetes 文档原文：'.
 *
 * Keyed like i18n/fields.ts: schema definition, then field, then value; a
 * list's items (accessModes) belong to the list's field. Only the served v1
 * definitions are listed, as there. A few values have no upstream note
 * (restartPolicy, the selector operators, accessModes): their text follows the
 * Go comments and the code cited beside them.
 */

const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';

const PULL_POLICY = {
  Always: 'kubelet 每次都尝试拉取最新的镜像，拉取失败时容器无法启动。',
  IfNotPresent: '节点磁盘上没有这个镜像时 kubelet 才拉取；镜像不在节点上且拉取失败时容器无法启动。',
  Never: 'kubelet 从不拉取镜像，只使用节点上已有的；镜像不在节点上时容器无法启动。',
};

const PROTOCOL = {
  TCP: 'TCP 协议（默认）。',
  UDP: 'UDP 协议。',
  SCTP: 'SCTP 协议。',
};

// The TaintEffect constants' notes, shared by a taint and a toleration (which tolerates the taints of that effect).
// The scheduler's TaintToleration filter keeps new pods off for NoExecute too (pkg/scheduler/framework/plugins/tainttoleration).
const TAINT_EFFECT = {
  NoSchedule: '不容忍这个污点的新 Pod 不会被调度到节点上；不经过调度器、直接交给 kubelet 的 Pod 仍可启动，已在运行的 Pod 也继续运行。由调度器执行。',
  PreferNoSchedule: '与 NoSchedule 类似，但调度器只是尽量不把新 Pod 调度到节点上，而不是完全禁止。由调度器执行。',
  NoExecute: '驱逐节点上已在运行、却不容忍这个污点的 Pod（新 Pod 同样不会被调度上来）。驱逐由节点控制器执行。',
};

const ACCESS_MODES = {
  // staging/src/k8s.io/api/core/v1/types.go PersistentVolumeAccessMode constants.
  ReadWriteOnce: '可以被单个节点以读写方式挂载（同一节点上的多个 Pod 可以一起使用）。',
  ReadOnlyMany: '可以被多个节点以只读方式挂载。',
  ReadWriteMany: '可以被多个节点以读写方式挂载。',
  ReadWriteOncePod: '只能被单个 Pod 以读写方式挂载，不能与其他访问模式一起写。',
};

const VOLUME_MODE = {
  Filesystem: '卷已经或将被格式化为文件系统，挂载为容器中的目录。',
  Block: '卷不格式化为文件系统，作为原始块设备交给容器。',
};

const SECURITY_PROFILE = {
  RuntimeDefault: '使用容器运行时的默认配置。',
  Localhost: '使用节点上预先加载的配置（由 `localhostProfile` 指明）。',
  Unconfined: '不应用任何配置，即不加限制。',
};

const TRAFFIC_POLICY_CLUSTER = '把流量转发到所有端点（endpoint）。';

const SPREAD_POLICY = {
  Honor: '计算 Pod 拓扑分布的偏差（skew）时遵守这项调度约束。',
  Ignore: '计算 Pod 拓扑分布的偏差（skew）时忽略这项调度约束。',
};

const TEXTS: Record<string, Record<string, Record<string, string>>> = {
  [CORE + 'Container']: {
    imagePullPolicy: PULL_POLICY,
    terminationMessagePolicy: {
      File: '默认行为：容器退出时，把 `terminationMessagePath` 文件的内容作为容器状态中的消息。',
      FallbackToLogsOnError: '容器出错退出并且 `terminationMessagePath` 文件为空时，改用容器日志最后的内容作为容器状态中的消息。',
    },
  },
  [CORE + 'ImageVolumeSource']: {
    pullPolicy: PULL_POLICY,
  },
  [CORE + 'ContainerPort']: { protocol: PROTOCOL },
  [CORE + 'ServicePort']: { protocol: PROTOCOL },
  [CORE + 'HTTPGetAction']: {
    scheme: {
      HTTP: '使用 `http://` 发送请求。',
      HTTPS: '使用 `https://` 发送请求。',
    },
  },
  [CORE + 'PodSpec']: {
    // The RestartPolicy constants have no notes upstream; what the kubelet does with each:
    // pkg/kubelet/container/helpers.go ShouldContainerBeRestarted.
    restartPolicy: {
      Always: '容器退出后总是重启它，不论退出码是什么。',
      OnFailure: '容器以非零退出码退出时才重启它；成功退出（退出码 0）则不再重启。',
      Never: '容器退出后不再重启。',
    },
    dnsPolicy: {
      ClusterFirst: '优先使用集群 DNS（集群 DNS 不可用时使用 kubelet 决定的默认 DNS 设置）；但 Pod 设置了 `hostNetwork: true` 时不使用集群 DNS。',
      ClusterFirstWithHostNet: '优先使用集群 DNS，集群 DNS 不可用时使用 kubelet 决定的默认 DNS 设置；`hostNetwork: true` 的 Pod 要使用集群 DNS 应选它。',
      Default: '使用 kubelet 决定的默认 DNS 设置（通常就是 Pod 所在节点的 DNS 配置）。',
      None: '使用空的 DNS 设置：域名服务器、搜索域等都要在 `dnsConfig` 中写明。',
    },
    preemptionPolicy: {
      PreemptLowerPriority: 'Pod 可以抢占优先级更低的 Pod（驱逐它们来腾出资源）。',
      Never: 'Pod 从不抢占优先级更低的 Pod。',
    },
  },
  [CORE + 'PodSecurityContext']: {
    fsGroupChangePolicy: {
      Always: '默认行为：每次把卷挂载到 Pod 中时，都修改卷的属主和权限。',
      OnRootMismatch: '只在卷根目录的属主和权限与期望的不符时才修改，可以缩短修改属主和权限所花的时间。',
    },
  },
  [CORE + 'SeccompProfile']: {
    type: {
      ...SECURITY_PROFILE,
      Localhost: '使用节点上一个文件中定义的配置，文件位置相对于 `<kubelet 根目录>/seccomp`，由 `localhostProfile` 指明。',
    },
  },
  [CORE + 'AppArmorProfile']: { type: SECURITY_PROFILE },
  [CORE + 'VolumeMount']: {
    mountPropagation: {
      None: '容器中的卷收不到主机或其他容器之后的新挂载，容器内的挂载也不会传播到主机或其他容器（相当于 Linux 的 private）。',
      HostToContainer: '容器中的卷能收到主机或其他容器的新挂载，但容器内的挂载不会传播出去；递归作用于卷中的所有挂载（Linux 的 rslave）。',
      Bidirectional: '容器中的卷能收到主机或其他容器的新挂载，容器内的挂载也会传播到主机和其他容器；递归作用于卷中的所有挂载（Linux 的 rshared）。',
    },
  },
  [CORE + 'HostPathVolumeSource']: {
    type: {
      '': '为了向后兼容，不写时为空：挂载前不做检查。',
      DirectoryOrCreate: '路径上什么都没有时，按需创建一个空目录（权限 0755，属组和属主与 kubelet 相同）。',
      Directory: '路径上必须已经有一个目录。',
      FileOrCreate: '路径上什么都没有时，按需创建一个空文件（权限 0644，属组和属主与 kubelet 相同）。',
      File: '路径上必须已经有一个文件。',
      Socket: '路径上必须已经有一个 UNIX 套接字。',
      CharDevice: '路径上必须已经有一个字符设备。',
      BlockDevice: '路径上必须已经有一个块设备。',
    },
  },
  // The operators have no notes upstream; what they match: k8s.io/apimachinery/pkg/labels Requirement.Matches,
  // which node affinity uses (k8s.io/component-helpers/scheduling/corev1/nodeaffinity).
  [CORE + 'NodeSelectorRequirement']: {
    operator: {
      In: '节点有这个标签，并且值是 `values` 中的一个（`values` 不能为空）。',
      NotIn: '节点没有这个标签，或者值不在 `values` 中（`values` 不能为空）。',
      Exists: '节点有这个标签，不论值是什么（`values` 必须为空）。',
      DoesNotExist: '节点没有这个标签（`values` 必须为空）。',
      Gt: '节点的标签值按整数解析后大于 `values` 中唯一的那个整数。',
      Lt: '节点的标签值按整数解析后小于 `values` 中唯一的那个整数。',
    },
  },
  [CORE + 'Taint']: { effect: TAINT_EFFECT },
  [CORE + 'Toleration']: {
    effect: TAINT_EFFECT,
    // staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint.
    operator: {
      Equal: '默认：污点的键和值都与这里的 `key`、`value` 相同才算容忍。',
      Exists: '只要键相同就容忍，不看值（`value` 应为空）；`key` 也为空时容忍所有污点。',
      Gt: '按整数比较：污点的值大于这里的 `value` 时容忍。需要开启特性门控 TaintTolerationComparisonOperators。',
      Lt: '按整数比较：污点的值小于这里的 `value` 时容忍。需要开启特性门控 TaintTolerationComparisonOperators。',
    },
  },
  [CORE + 'TopologySpreadConstraint']: {
    whenUnsatisfiable: {
      DoNotSchedule: '约束不能满足时，调度器不调度这个 Pod。',
      ScheduleAnyway: '约束不能满足时，调度器仍然调度这个 Pod（优先选择能减小偏差的拓扑域）。',
    },
    nodeAffinityPolicy: SPREAD_POLICY,
    nodeTaintsPolicy: SPREAD_POLICY,
  },
  [CORE + 'ServiceSpec']: {
    type: {
      ClusterIP: '只能在集群内部通过集群 IP（cluster IP）访问这个 Service。',
      NodePort: '在 ClusterIP 的基础上，还在每个节点的同一个端口上暴露这个 Service。',
      LoadBalancer: '在 NodePort 的基础上，还通过外部负载均衡器暴露这个 Service（需要云提供商支持）。',
      ExternalName: '只是一个外部域名的引用：集群 DNS 为它返回 CNAME 记录，不暴露也不代理任何 Pod。',
    },
    externalTrafficPolicy: {
      Cluster: TRAFFIC_POLICY_CLUSTER,
      Local: '只转发到收到流量的节点上的端点，从而保留流量的源 IP；该节点上没有端点时流量被丢弃。',
    },
    internalTrafficPolicy: {
      Cluster: TRAFFIC_POLICY_CLUSTER,
      Local: '只转发到与客户端 Pod 在同一节点上的端点；该节点上没有端点时流量被丢弃。',
    },
    sessionAffinity: {
      ClientIP: '基于客户端 IP 的会话亲和性：来自同一客户端 IP 的连接每次都转发到同一个 Pod。',
      None: '不使用会话亲和性。',
    },
    ipFamilyPolicy: {
      SingleStack: '只分配一个 IP 协议族：集群的默认协议族，或 `ipFamilies` 中写的那个。',
      PreferDualStack: '集群配置了双栈时使用双栈，否则只分配一个协议族（`ipFamilies` 没写时为集群的默认协议族）。',
      RequireDualStack: '要求双栈，在单栈集群中会校验失败。协议族及其顺序按 `ipFamilies`；没写时按集群的配置，只写了一个时由 API Server 补上另一个。',
    },
  },
  [CORE + 'PersistentVolumeClaimSpec']: {
    accessModes: ACCESS_MODES,
    volumeMode: VOLUME_MODE,
  },
  [CORE + 'PersistentVolumeSpec']: {
    accessModes: ACCESS_MODES,
    volumeMode: VOLUME_MODE,
    persistentVolumeReclaimPolicy: {
      Retain: '卷被 claim 释放后保持 Released 阶段，等待管理员手动回收。',
      Delete: '卷被 claim 释放后从 Kubernetes 中删除，需要卷插件支持删除。',
      Recycle: '卷被 claim 释放后清理并放回未绑定的持久卷池，需要卷插件支持回收（已弃用）。',
    },
  },
  [APPS + 'DeploymentStrategy']: {
    type: {
      RollingUpdate: '滚动更新：逐步缩容旧的 ReplicaSet，同时扩容新的 ReplicaSet。',
      Recreate: '先杀掉所有现有的 Pod，再创建新的 Pod。',
    },
  },
  [APPS + 'StatefulSetSpec']: {
    podManagementPolicy: {
      OrderedReady: '扩容时严格按序号从小到大创建 Pod，缩容时严格从大到小删除，前一个 Pod 就绪或终止完成后才处理下一个；任何时候最多变动一个 Pod。',
      Parallel: '副本数一变就立即创建或删除 Pod，不等待 Pod 就绪或终止完成。',
    },
  },
  [APPS + 'StatefulSetUpdateStrategy']: {
    type: {
      RollingUpdate: '按 StatefulSet 的顺序约束更新所有 Pod（按序号从大到小逐个进行）；扩容时新 Pod 按 `updateRevision` 的版本创建。',
      // The upstream note's sentence on scaling is cut short ("…with this strategy,specification version…"): left out.
      OnDelete: '旧的行为：不跟踪版本，也不按序滚动重启；Pod 被手动删除后才按 StatefulSet 的 spec 重建。',
    },
  },
  [APPS + 'DaemonSetUpdateStrategy']: {
    type: {
      RollingUpdate: '滚动更新：逐个节点地用新 Pod 替换旧 Pod。',
      OnDelete: '旧的 DaemonSet Pod 被删除（杀掉）后才替换它。',
    },
  },
  [BATCH + 'CronJobSpec']: {
    concurrencyPolicy: {
      Allow: '允许多个 Job 同时运行。',
      Forbid: '禁止并发运行：上一次还没结束时跳过这一次。',
      Replace: '取消正在运行的 Job，用新的 Job 替换它。',
    },
  },
  [BATCH + 'JobSpec']: {
    completionMode: {
      NonIndexed: '成功完成的 Pod 达到 `.spec.completions` 个时 Job 完成；各个 Pod 的完成彼此等同。',
      Indexed: '每个 Pod 有一个完成索引（0 到 `.spec.completions - 1`）；每个索引都有一个 Pod 成功完成时 Job 才完成。',
    },
    podReplacementPolicy: {
      TerminatingOrFailed: 'Pod 开始终止（已设置 `metadata.deletionTimestamp`）或失败时，就创建替代它的 Pod。',
      Failed: '等之前创建的 Pod 完全终止（阶段为 Failed 或 Succeeded）后，才创建替代它的 Pod。',
    },
  },
  [BATCH + 'PodFailurePolicyRule']: {
    action: {
      FailJob: '把 Pod 所属的 Job 标记为失败，并终止它所有正在运行的 Pod。',
      FailIndex: '把这个 Pod 的索引标记为失败，该索引不再重试；只能在设置了 `backoffLimitPerIndex` 时使用。',
      Ignore: '不计入 `.backoffLimit`（`.status.failed` 不增加），并创建一个替代的 Pod。',
      Count: '按默认方式处理这次失败：计入 `.backoffLimit`（`.status.failed` 加一）。',
    },
  },
  [BATCH + 'PodFailurePolicyOnExitCodesRequirement']: {
    // The field's description: containers that exit 0 are not checked.
    operator: {
      In: '至少一个容器的退出码在 `values` 中时满足（退出码为 0 的容器不参与判断）。',
      NotIn: '至少一个容器的退出码不在 `values` 中时满足（退出码为 0 的容器不参与判断）。',
    },
  },
};

/** `definition|field|value` → Chinese note: one Map lookup per value. */
const ZH = new Map<string, string>();
for (const [definition, fields] of Object.entries(TEXTS)) {
  for (const [field, values] of Object.entries(fields)) {
    for (const [value, text] of Object.entries(values)) ZH.set(`${definition}|${field}|${value}`, text);
  }
}

/** The Chinese note for value `value` of enum field `field` of schema definition `definition`, if the project wrote one. */
export function enumTextZh(definition: string, field: string, value: string): string | undefined {
  return ZH.get(`${definition}|${field}|${value}`);
}

/** Every `definition|field|value` with a Chinese note (for tests). */
export function enumTextKeys(): string[] {
  return [...ZH.keys()];
}
