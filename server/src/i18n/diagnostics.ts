/**
 * What each diagnostic means, in Simplified Chinese, written for this
 * project. With a Chinese locale the editor shows this line first and the
 * original message under it: the original is what kubectl and the apiserver
 * print (in English, with the names and values of the case), so a reader can
 * match it against a real cluster's error.
 */
export const ZH_DIAGNOSTICS: Record<string, string> = {
  // YAML
  'yaml-syntax': 'YAML 语法错误：该文档无法解析，修正后才会检查其余内容。',
  'duplicate-key': '同一映射中出现了重复的键：kubectl 不会报错，但只保留最后一个值，前面的值被悄悄丢弃。',
  tab: 'YAML 不允许用制表符（Tab）缩进，请改用空格。',
  'unresolved-alias': '引用了不存在的锚点（*别名 必须在 &锚点 之后）：kubectl 会拒绝整个文件。',
  'bad-merge': '合并键 `<<` 的值必须是映射或指向映射的别名。',
  // Object identity
  'missing-kind': '每个对象都需要字符串形式的 apiVersion 和 kind，Kubernetes 据此识别对象类型。',
  'unknown-api-version': '该 kind 在此 apiVersion 中不提供，请改用下方列出的版本。',
  'unknown-kind': '内置 API 组中没有这个 kind：kind 区分大小写（例如 Deployment 而不是 deployment）。',
  'removed-api': '该 apiVersion 已在所配置的 Kubernetes 版本中移除，apiserver 会拒绝该对象，请换用替代版本。',
  'deprecated-api': '该 apiVersion 已弃用，将在后续版本中移除，建议尽早换用替代版本。',
  // Schema
  'unknown-field': '该字段在此对象的结构中不存在（可能是拼写错误）；apiserver 会忽略或拒绝它。',
  'wrong-type': '值的类型不对：kubectl 按 YAML 1.1 读取（yes/no/on/off 是布尔值，0644 是八进制），类型不符时 apiserver 无法解码该对象。需要字符串时请加引号。',
  'missing-required': '缺少必填字段，apiserver 会拒绝该对象。',
  'enum-value': '该值不在允许的取值范围内。',
  'null-value': '此处不能为 null。',
  'invalid-quantity': '不是合法的资源数量（quantity），例如 250m、1.5、512Mi、1Gi。',
  'invalid-base64': '不是合法的 base64 编码：Secret 的 data 字段需要 base64 编码的值（明文请写在 stringData 中）。',
  // Metadata
  'invalid-name': '名称不合法：Kubernetes 对象名称必须是小写字母、数字、“-”或“.”组成的 DNS 名称。',
  'missing-name': '对象需要 metadata.name（或 generateName）。',
  'invalid-label-key': '标签键不合法：可选的 DNS 前缀加“/”，名称部分最多 63 个字符，由字母数字、“-”、“_”、“.”组成。',
  'invalid-label-value': '标签值不合法：最多 63 个字符，由字母数字、“-”、“_”、“.”组成，且以字母数字开头和结尾。',
  'invalid-annotation-key': '注解键不合法，规则与标签键相同。',
  'annotations-too-long': '注解总大小超过 256 KiB 的上限。',
  // Containers
  'missing-image': '容器必须指定镜像（image）。',
  'duplicate-container-name': '同一 Pod 中的容器名称必须唯一（包括 initContainers）。',
  'invalid-container-name': '容器名称必须是 DNS 标签：小写字母数字和“-”，最多 63 个字符。',
  'invalid-port-name': '端口名称不合法：最多 15 个字符，小写字母数字和“-”，且至少包含一个字母。',
  'duplicate-port-name': '同一容器内的端口名称必须唯一。',
  'port-range': '端口号必须在 1 到 65535 之间。',
  'missing-port-name': '有多个端口时，每个端口都必须有名称。',
  'no-containers': 'Pod 至少需要一个容器。',
  'request-above-limit': '资源请求（requests）不能大于限制（limits）。',
  'restart-policy': '该工作负载不允许这个 restartPolicy：Deployment 等长期运行的 Pod 必须为 Always，Job 的 Pod 只能是 OnFailure 或 Never。',
  'container-restart-policy': '只有 initContainers 中的边车容器（sidecar）可以设置 restartPolicy: Always。',
  'init-container-field': '普通 init 容器运行结束即退出，不能设置探针或生命周期钩子；若要长期运行，请设为边车容器（restartPolicy: Always）。',
  'probe-handlers': '探针或生命周期钩子必须且只能指定一种处理方式（exec、httpGet、tcpSocket、grpc，钩子还可用 sleep）。',
  'probe-port': '探针端口必须是 1 到 65535 之间的数字，或合法的端口名称（最多 15 个字符，小写字母数字和“-”，至少一个字母）。',
  'probe-threshold': '探针设置无效：存活探针和启动探针的 successThreshold 必须为 1，探针自己的 terminationGracePeriodSeconds 必须大于 0。',
  'prestop-sleep': 'preStop 的 sleep 秒数不能为负，也不能超过 Pod 的 terminationGracePeriodSeconds（默认 30）。',
  'active-deadline': 'activeDeadlineSeconds 必须在 1 到 2147483647 之间。',
  'invalid-hostname': 'hostname 和 subdomain 必须是合法的 DNS 标签（小写字母、数字和“-”）。',
  'invalid-node-selector': 'nodeSelector 的键和值必须是合法的标签键和标签值（值里不能有空格）。',
  'invalid-service-account-name': 'serviceAccountName 必须是合法的 DNS 子域名（小写字母、数字、“-”和“.”）。',
  'invalid-toleration': '容忍（toleration）设置无效：operator 为 Exists 时不能写 value；设置了 tolerationSeconds 时 effect 必须是 NoExecute。',
  'image-typo': '镜像名或标签疑似拼写错误：这个镜像不存在，拉取会失败（ErrImagePull）。',
  'image-whitespace': '镜像名前后不能有空格。',
  'invalid-selector': '选择器无效：In/NotIn 需要 values，Exists/DoesNotExist 不能有 values，operator 区分大小写。',
  'node-port-range': 'nodePort 必须在默认范围 30000-32767 之内（或不写，由集群分配）。',
  'env-name': '环境变量名只能由可打印的 ASCII 字符组成，且不能包含“=”（它会把变量名和值分开）。',
  'env-value-from': '环境变量只能二选一：value 或 valueFrom（且 valueFrom 只能有一个来源）。',
  'run-as-root-image': '该镜像以 root 运行，而 runAsNonRoot 要求非 root 用户：kubelet 会拒绝启动容器。',
  // Volumes
  'duplicate-volume-name': 'Pod 中的卷名称必须唯一。',
  'invalid-volume-name': '卷名称必须是 DNS 标签：小写字母数字和“-”，最多 63 个字符。重命名时要同时修改引用它的 volumeMounts。',
  'undeclared-volume': 'volumeMounts 引用了 Pod 中未声明的卷（spec.volumes）。',
  'duplicate-mount-path': '同一容器内每个挂载路径（mountPath）只能挂载一个卷。',
  'invalid-sub-path': 'subPath 是卷内的相对路径，不能以“/”开头，也不能包含“..”。',
  'invalid-item-path': '写入卷中的文件路径必须是相对路径，且不能包含“..”。',
  'volume-sources': '每个卷必须且只能指定一种来源（emptyDir、configMap、secret、persistentVolumeClaim 等）。',
  'file-mode': '文件权限必须在 0 到 0777（八进制）之间：YAML 中写 0644 表示八进制，写 644 则是十进制，超出范围。',
  // Workloads
  'selector-mismatch': '选择器（selector）与 Pod 模板的标签不匹配：控制器将无法找到它创建的 Pod，apiserver 会拒绝该对象。',
  'empty-selector': '选择器不能为空：空选择器会匹配所有 Pod。',
  'surge-unavailable-zero': 'maxSurge 和 maxUnavailable 不能同时为 0，否则滚动更新既不能新增也不能删除 Pod。',
  'daemonset-surge-unavailable': 'DaemonSet 滚动更新时，maxUnavailable 和 maxSurge 必须恰好有一个非 0（maxUnavailable 默认为 1）。',
  'strategy-rolling-update': 'rollingUpdate 只属于 RollingUpdate 类型的更新策略：Recreate 的 Deployment 或 OnDelete 的 StatefulSet 不能设置它。',
  'invalid-int-or-percent': '必须是非负整数或百分比字符串（如 "25%"）。',
  'negative-value': '该值不能为负数。',
  'progress-deadline': 'progressDeadlineSeconds 必须大于 minReadySeconds。',
  'job-policy': 'Job 的失败策略、成功策略或索引设置不符合 apiserver 的规则。',
  'cronjob-schedule': 'schedule 是标准的 5 段 cron 表达式：分 时 日 月 周（没有秒）；时区请写在 timeZone 字段，而不是 TZ=。',
  'cronjob-time-zone': 'timeZone 必须是时区数据库中的名称（如 Asia/Shanghai），不能为空，也不能是 Local。',
  'autoscaler-missing-request': 'HPA 按 CPU/内存利用率扩缩时，目标 Pod 的每个容器都必须设置相应的 requests，否则无法计算利用率。',
  // Services and networking
  'service-ports-required': 'Service 至少需要一个端口（无头 Service 和 ExternalName 除外）。',
  'node-port-cluster-ip': 'ClusterIP 类型的 Service 不能设置 nodePort，请改为 NodePort 或 LoadBalancer 类型。',
  'duplicate-node-port': '同一协议下 nodePort 不能重复。',
  'duplicate-service-port': '同一协议下 Service 端口不能重复。',
  'headless-type': '无头 Service（clusterIP: None）不能是 LoadBalancer 或 NodePort 类型。',
  'external-name-required': 'ExternalName 类型的 Service 必须指定 externalName（它所代表的 DNS 名称）。',
  'service-selects-nothing': '工作区中没有任何 Pod 模板带有该 Service 选择的标签：该 Service 将没有后端端点。',
  'unknown-target-port': 'targetPort 使用了名称，但所选 Pod 中没有同名的容器端口。',
  'target-port-unserved': '所选 Pod 的镜像并不在此 targetPort 上监听：请求将被拒绝。',
  'probe-port-unserved': '容器的镜像并不在此端口上监听：探针将一直失败。',
  'ingress-invalid': 'Ingress 不符合 apiserver 的校验规则。',
  'ingress-no-class': 'Ingress 没有指定 ingressClassName，集群中也没有默认的 IngressClass：没有控制器会处理它。',
  'ingress-backend-port': 'Ingress 后端引用的 Service 没有这个端口。',
  'netpol-invalid': 'NetworkPolicy 不符合 apiserver 的校验规则。',
  'netpol-blocks-dns': '该出站（egress）策略没有放行 DNS（kube-dns 的 53 端口）：Pod 将无法解析任何名称。',
  'missing-reference': '引用的 ConfigMap、Secret 或其键在工作区中不存在：Pod 将无法启动（CreateContainerConfigError）。',
  // Storage
  'access-modes-required': 'PersistentVolumeClaim 至少需要一种访问模式（accessModes）。',
  'access-modes-rwop': 'ReadWriteOncePod 不能与其他访问模式同时使用。',
  'storage-request-required': 'PersistentVolumeClaim 必须请求存储容量（resources.requests.storage）。',
  'storage-request-positive': '请求的存储容量必须大于 0。',
  'invalid-storage-class-name': 'storageClassName 不是合法的名称。',
  'pv-capacity': 'PersistentVolume 的 capacity 只能包含 storage。',
  'pv-capacity-value': 'PersistentVolume 的容量必须是大于 0 的合法数量。',
  'pv-volume-type': 'PersistentVolume 必须且只能指定一种卷类型。',
  'pv-local-affinity': 'local 类型的 PersistentVolume 必须设置节点亲和性（nodeAffinity）。',
  'pv-node-affinity': 'PersistentVolume 的节点亲和性必须指定必需的节点约束。',
  // Policy and config
  'invalid-config-key': 'ConfigMap / Secret 的键会成为挂载卷中的文件名：只能由字母数字、“-”、“_”、“.”组成，且不能是“.”或以“..”开头。',
  'secret-type-required': '该类型的 Secret 缺少必需的键。',
  'rbac-invalid': 'RBAC 对象不符合 apiserver 的校验规则。',
  'rbac-rule-lint': '该 RBAC 规则可能不是你想要的（例如资源名或动词写错）。',
  'webhook-invalid': 'Webhook 配置不符合 apiserver 的校验规则。',
  'quota-invalid': 'ResourceQuota 不符合 apiserver 的校验规则。',
  'quota-must-specify': '命名空间的 ResourceQuota 限制了该资源：每个容器都必须声明相应的 requests/limits，否则 apiserver 会拒绝 Pod。',
  'limitrange-invalid': 'LimitRange 不符合 apiserver 的校验规则。',
  'pod-security-label': 'Pod 安全标签的值不合法（级别为 privileged、baseline、restricted，版本为 latest 或 v1.x）。',
  'pod-security': '该 Pod 不满足命名空间强制执行的 Pod 安全级别：apiserver 会拒绝创建。',
};

/** A diagnostic's message for the locale: with Chinese, the explanation first and the original words below. */
export function localizedMessage(code: string, message: string, zh: boolean): string {
  if (!zh) return message;
  const text = ZH_DIAGNOSTICS[code];
  return text ? `${text}\n${message}` : message;
}
