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
  'yaml-indent': 'YAML 缩进错误：同一个映射（或列表）的各项必须对齐在同一列，这一行的缩进与它的同级不一致，YAML 无法读取（见下方原文中的列数）。',
  'go-template': '这是 Go 模板（例如 Helm chart 中的 {{ … }}）：渲染之前它还不是 YAML，因此不做检查。请检查 `helm template` 渲染出的结果。',
  'duplicate-key': '同一映射中出现了重复的键：kubectl 不会报错，但只保留最后一个值，前面的值被悄悄丢弃。',
  tab: 'YAML 不允许用制表符（Tab）缩进，请改用空格。',
  'unquoted-star': '以“*”开头的值会被 YAML 当作别名（对锚点的引用），例如 CronJob 的 `schedule: */5 * * * *`：请给整个值加上引号。',
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
  'invalid-base64': '不是合法的 base64 编码：Secret 的 data 和 ConfigMap 的 binaryData 需要 base64 编码的值（明文请写在 Secret 的 stringData 或 ConfigMap 的 data 中）。',
  // Metadata
  'service-external-traffic-policy': 'externalTrafficPolicy 只适用于能从集群外访问的 Service（NodePort、LoadBalancer，或带 externalIPs 的 ClusterIP）：普通 ClusterIP Service 不能设置它。',
  'session-affinity-config': 'sessionAffinityConfig 只在 sessionAffinity: ClientIP 时有效，超时时间须在 1 到 86400 秒之间。',
  'external-name-invalid': 'ExternalName Service 的 externalName 必须是合法的 DNS 名称（小写字母、数字、“-”“.”），不能带协议、路径或端口。',
  'external-name-forbidden': 'ExternalName Service 只是一个 DNS 别名，没有集群 IP：不能设置 clusterIP、ipFamilies 或 ipFamilyPolicy。',
  'service-selector-label': 'Service 的 selector 是标签选择器：键和值都必须是合法的标签（值最多 63 个字符，字母数字开头和结尾）。',
  'load-balancer-only': '该字段只用于 type: LoadBalancer 的 Service（loadBalancerSourceRanges 的每一项还必须是 CIDR，例如 10.0.0.0/24）。',
  'health-check-node-port': 'healthCheckNodePort 只能用于 type: LoadBalancer 且 externalTrafficPolicy: Local 的 Service。',
  'invalid-volume-path': '卷的路径不合法：hostPath 与 local 卷的路径不能含有“..”，NFS 卷的 path 必须是以 / 开头的绝对路径。',
  'pv-recycle-root': '回收策略 Recycle 会清空卷的内容，不能用于挂载主机根目录“/”的 hostPath 卷。',
  'claim-retention-policy': 'StatefulSet 的 PVC 保留策略（whenDeleted、whenScaled）只能是 Retain（保留 PVC）或 Delete（随 Pod 删除 PVC）。',
  'job-name-label': 'Job 的名称会被写进其 Pod 的 job-name 标签，而标签值最多 63 个字符、只能由字母数字、“-”“_”“.”组成：请缩短名称（或改用 generateName）。',
  'invalid-name': '名称不合法：各类对象有各自的命名规则（见下方原文）。名称总是由小写字母、数字和“-”组成，以字母或数字开头和结尾；Deployment、ConfigMap 等还允许“.”，Namespace、Service 等不允许“.”，Service 还必须以字母开头。',
  'missing-name': '对象需要 metadata.name（或 generateName）。',
  'invalid-namespace': '命名空间名不合法：命名空间名是 DNS 标签，只能由小写字母、数字和“-”组成，以字母或数字开头和结尾，最多 63 个字符（例如 default、my-ns）。apiserver 找不到这样的命名空间，会回答 namespaces "…" not found。',
  'invalid-owner-reference': 'ownerReferences 不合法：每个引用都要写明 apiVersion、kind、name 和 uid；Event 不能做属主；一个对象最多只能有一个 controller: true 的引用（它的控制器只有一个）。',
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
  'restart-policy': 'restartPolicy 不合法（见下方原文）：Deployment 等长期运行的 Pod 只能是 Always；Job 的 Pod 必须写明 OnFailure 或 Never，设置了 podFailurePolicy 时只能是 Never。',
  'container-restart-policy': '只有 initContainers 中的边车容器（sidecar）可以设置 restartPolicy: Always。',
  'init-container-field': '普通 init 容器运行结束即退出，不能设置探针或生命周期钩子；若要长期运行，请设为边车容器（restartPolicy: Always）。',
  'probe-handlers': '探针或生命周期钩子必须且只能指定一种处理方式（exec、httpGet、tcpSocket、grpc，钩子还可用 sleep）。',
  'probe-port': '探针端口必须是 1 到 65535 之间的数字，或合法的端口名称（最多 15 个字符，小写字母数字和“-”，至少一个字母）。',
  'probe-threshold': '探针设置无效：存活探针和启动探针的 successThreshold 必须为 1，探针自己的 terminationGracePeriodSeconds 必须大于 0。',
  'prestop-sleep': 'preStop 的 sleep 秒数不能为负，也不能超过 Pod 的 terminationGracePeriodSeconds（默认 30）。',
  'active-deadline': 'activeDeadlineSeconds 必须在 1 到 2147483647 之间。',
  'invalid-hostname': 'hostname 和 subdomain 必须是合法的 DNS 标签（小写字母、数字和“-”）。',
  'invalid-dns-config': 'dnsConfig 不合法：dnsPolicy 为 None 时必须提供 dnsConfig 且至少有一个 nameserver；nameserver 必须是 IP 地址且最多 3 个；搜索域最多 32 个、合计不超过 2048 个字符，每个都须是合法的 DNS 子域名；每个 option 都要有 name。',
  'invalid-host-alias': 'hostAliases 不合法：ip 必须是 IP 地址，hostnames 中的每一项都必须是合法的 DNS 子域名。',
  'invalid-node-selector': 'nodeSelector 的键和值必须是合法的标签键和标签值（值里不能有空格）。',
  'invalid-service-account-name': 'serviceAccountName 必须是合法的 DNS 子域名（小写字母、数字、“-”和“.”）。',
  'invalid-toleration': '容忍（toleration）设置无效：operator 为 Exists 时不能写 value；设置了 tolerationSeconds 时 effect 必须是 NoExecute。',
  'invalid-resource-name': '容器只能申请 cpu、memory、ephemeral-storage、hugepages-* 或带域名的扩展资源（例如 nvidia.com/gpu，而不是 gpu）。',
  'invalid-resource-quantity': '资源数量不能为负；扩展资源（如 nvidia.com/gpu）只能是整数；大页内存（如 hugepages-2Mi）必须是页大小的整数倍（2Mi、4Mi……）。',
  'extended-resource-limit': '扩展资源不能超卖：必须写 limits，且 requests 与 limits 相等。',
  'hugepages-alone': '申请大页内存（hugepages）时必须同时申请 cpu 或 memory。',
  'pod-resources-claims': 'Pod 级别的 resources（spec.resources）不能设置 claims，资源声明只能写在容器的 resources 里。',
  'pod-requests-below-containers': 'Pod 级别的 requests 不能小于所有容器 requests 的总和（init 容器按运行时的峰值计算）；Pod 没写的 request 按 0 计算。',
  'container-limit-above-pod': '单个容器的 limit 不能大于 Pod 级别（spec.resources.limits）同一资源的 limit。',
  'fractional-bytes': '字节数不能是小数：`512m` 表示 0.512 字节（m 是“千分之一”），内存请写 `512Mi` 或 `512M`。',
  'duplicate-env': '同一个环境变量定义了两次：后一个会覆盖前一个，kubectl apply 时可能丢掉其中一个。',
  'duplicate-port': '同一个容器端口（含协议）声明了两次。',
  'negative-grace-period': 'terminationGracePeriodSeconds 不能为负数，负值会被当作 1 秒。',
  'image-tag-missing': '这个镜像标签不存在，拉取会失败（先是 ErrImagePull，随后是 ImagePullBackOff）。',
  'image-typo': '镜像名或标签疑似拼写错误：这个镜像不存在，拉取会失败（ErrImagePull）。',
  'image-whitespace': '镜像名前后不能有空格。',
  'nslookup-search': 'busybox 1.29 及以后版本的 nslookup 不看 ndots：不带点的名字会在每个搜索域里各查一遍，只要有一个查不到就以状态 1 退出；带点的名字按原样查询。所以 `until nslookup 名字` 永远不会结束，即使 Service 已经存在（kubernetes/kubernetes#66924）。请查询完整名字（`<service>.<namespace>.svc.cluster.local`），或像 Kubernetes 文档那样使用 busybox:1.28。',
  'pid1-term': '这个 shell 是容器的第一个进程（PID 1），而没有信号处理函数的 PID 1 会忽略 SIGTERM：删除 Pod 时要等满 terminationGracePeriodSeconds，再用 SIGKILL 结束它（退出码 137）。在脚本开头加上 `trap \'exit 0\' TERM`，脚本就会在被要求时结束：trap 要等前台命令结束才执行，所以循环会在当前这次 sleep 之后结束，而 `sleep infinity` 要写成 `sleep infinity & wait`（wait 会被信号立即打断）。',
  'invalid-spread-constraint': 'topologySpreadConstraints 无效：maxSkew 和 minDomains 必须大于 0，minDomains 只能与 whenUnsatisfiable: DoNotSchedule 一起使用，同一对 {topologyKey, whenUnsatisfiable} 只能出现一次；创建 Pod 时 apiserver 会把 matchLabelKeys 中的键（取 Pod 自己的标签值）合并进 labelSelector，所以这些键不能已经出现在 labelSelector 里。',
  'invalid-affinity-term': 'Pod 亲和性（podAffinity / podAntiAffinity）规则无效：topologyKey 不能为空且必须是合法的标签键（例如 kubernetes.io/hostname）；weight 必须在 1 到 100 之间；namespaces 中的每一项必须是合法的命名空间名；labelSelector 中 In/NotIn 需要 values，Exists/DoesNotExist 不能有 values。创建 Pod 时 apiserver 会把 matchLabelKeys（key In 标签值）和 mismatchLabelKeys（key NotIn 标签值）合并进 labelSelector，所以这些键不能已经出现在 labelSelector 里，同一个键也不能同时写在两个列表中；没有 labelSelector 时不能使用它们。',
  'invalid-node-affinity': '节点亲和性（nodeAffinity）规则无效：required 中至少要有一个 nodeSelectorTerms；In/NotIn 需要 values，Exists/DoesNotExist 不能有 values，Gt/Lt 只能有一个值；key 必须是合法的标签键，required 中的值必须是合法的标签值；matchFields 只支持 metadata.name，且只能写一个节点名；preferred 的 weight 必须在 1 到 100 之间。',
  'prestop-grace': '这个 preStop 钩子 sleep 的时间不短于 terminationGracePeriodSeconds，而宽限期也把钩子算在内：kubelet 最多让钩子运行一个宽限期，之后才发送 SIGTERM，再过 2 秒就用 SIGKILL 结束容器，应用几乎没有时间优雅退出。请把宽限期设得比钩子长，例如钩子时间再加上默认的 30 秒。',
  'command-whitespace': 'command 的第一项被当作可执行文件名（连同空格）：运行时找不到它，容器无法启动（StartError，退出码 128，随后 CrashLoopBackOff）。程序和每个参数都要各占一项。',
  'invalid-selector': '选择器无效：In/NotIn 需要 values，Exists/DoesNotExist 不能有 values，operator 区分大小写。',
  'service-ip': 'Service 的 IP 地址无效：clusterIP 必须是合法 IP（或 None）；externalIPs 还不能是 0.0.0.0、回环地址（127.0.0.0/8）或链路本地地址（169.254.0.0/16）。',
  'service-app-protocol': 'appProtocol 采用标签键的写法：IANA 服务名（如 http、grpc）或带域名前缀的名字（如 kubernetes.io/h2c），不能有空格。',
  'host-network-host-port': '使用 hostNetwork 时容器直接监听节点的端口，所以 hostPort 必须等于 containerPort（或者不写：Pod 的 hostPort 会被默认设为 containerPort）。',
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
  'downward-field-path': 'fieldRef 的 fieldPath 不受支持：环境变量只能引用 metadata.name、metadata.namespace、metadata.uid、spec.nodeName、spec.serviceAccountName、status.hostIP(s)、status.podIP(s) 以及 metadata.labels[\'键\'] / metadata.annotations[\'键\']；downwardAPI 卷文件还可以引用整个 metadata.labels 和 metadata.annotations。',
  'resource-field-ref': 'resourceFieldRef 不合法：resource 须为 limits.* 或 requests.*（cpu、memory、ephemeral-storage、hugepages-*），卷中的条目必须写 containerName；cpu 的 divisor 只能是 1m 或 1，内存类只能是 1、1k、1Mi 等单位。',
  'duplicate-projected-path': '投射卷（projected）的多个来源写入了同一路径：每个文件路径只能出现一次，apiserver 会以 “conflicting duplicate paths” 拒绝。',
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
  'priority-class-value': '用户自定义的 PriorityClass 的 value 最大为 1000000000（十亿），以免与系统关键组件同级；以 system- 开头的名字保留给 system-node-critical 和 system-cluster-critical 两个系统类。',
  'cronjob-job-selector': 'CronJob 创建的每个 Job 都会自动生成自己的 selector（按 controller-uid 匹配），jobTemplate 中不能写 selector，也不能把 manualSelector 设为 true。',
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
  'postgres-no-password': 'postgres 镜像没有超级用户密码就不会初始化数据库：入口脚本报错（Database is uninitialized and superuser password is not specified）后以 1 退出，容器反复重启（CrashLoopBackOff）。请在 env 中设置 POSTGRES_PASSWORD，最好从 Secret 读取（valueFrom.secretKeyRef）。',
  'mysql-no-password': 'mysql/mariadb 镜像没有 root 密码选项就不会初始化数据库：入口脚本报错（Database is uninitialized and password option is not specified）后以 1 退出，容器反复重启（CrashLoopBackOff）。请在 env 中设置 root 密码（MYSQL_ROOT_PASSWORD 或 MARIADB_ROOT_PASSWORD），最好从 Secret 读取（valueFrom.secretKeyRef）。',
  'mysql-root-user': 'MYSQL_USER 和 MYSQL_PASSWORD 用来创建普通用户，不能是 root：mysql 的入口脚本报错后以 1 退出，容器反复重启（CrashLoopBackOff）。请删除 MYSQL_USER；root 的密码由 MYSQL_ROOT_PASSWORD 设置。',
  'redis-daemonizes': 'redis-server 加了 --daemonize yes 会转入后台运行：第一个进程随即以 0 退出，容器随之结束。restartPolicy 为 Always 时容器会被反复重启（CrashLoopBackOff）；在 Job 中则直接算作完成。在容器里请保持 daemonize 的默认值 no。',
  'mongo-half-credentials': 'mongo 镜像要同时有 MONGO_INITDB_ROOT_USERNAME 和 MONGO_INITDB_ROOT_PASSWORD 才会创建 root 用户；只设置其中一个，入口脚本报错后以 1 退出，容器反复重启（CrashLoopBackOff）。请把另一个也设置上（密码最好从 Secret 读取），或者两个都不设置（服务器不开启认证）。',
  'shell-variable': '这个命令不经过 shell 运行，$NAME 不会被展开，程序收到的就是原文。Kubernetes 只在 command 和 args 中展开 $(NAME) 形式的引用（取自容器的 env）。请改写为 $(NAME)，或者用 sh -c 运行命令。',
  'nginx-cannot-write': 'nginx 启动时要在 /var/cache/nginx 下建临时目录、在 /run 下写 PID 文件；只读根文件系统或非 root 用户下写不了，容器以 1 退出并反复重启（CrashLoopBackOff）。请在这些位置挂载可写卷（如 emptyDir）。',
  'nginx-daemonizes': '这样启动的 nginx 会以守护进程方式运行：第一个进程把服务器放到后台后立即以 0 退出，容器随之结束。restartPolicy 为 Always 时容器会被反复重启（CrashLoopBackOff）；在 Job 中则直接算作完成。镜像自己的命令让 nginx 留在前台：nginx -g \'daemon off;\'。',
  'probe-path-unserved': '探针请求的路径在 nginx 镜像自带的站点中不存在：nginx 回答 404，探针一直失败。',
  'unknown-hook-port': '生命周期钩子的 httpGet 用名称指定端口，但容器没有这个名称的端口：kubelet 解析不了端口，钩子失败。',
  'unknown-probe-port': '探针用名称指定端口，但被探测的容器没有这个名称的端口：kubelet 解析不了端口，每次探测都出错（probe errored and resulted in unknown state），结果被丢弃。',
  'ingress-invalid': 'Ingress 不符合 apiserver 的校验规则。',
  'ingress-no-class': 'Ingress 没有指定 ingressClassName，集群中也没有默认的 IngressClass：没有控制器会处理它。',
  'ingress-backend-port': 'Ingress 后端引用的 Service 没有这个端口。',
  'netpol-invalid': 'NetworkPolicy 不符合 apiserver 的校验规则。',
  'netpol-blocks-dns': '该出站（egress）策略没有放行 DNS（kube-dns 的 53 端口）：Pod 将无法解析任何名称。',
  'missing-reference': '引用的 ConfigMap、Secret 或其键在工作区中不存在：Pod 将无法启动（CreateContainerConfigError）。',
  // Storage
  'access-modes-required': 'PersistentVolume 与 PersistentVolumeClaim 至少需要一种访问模式（accessModes），例如 ReadWriteOnce。',
  'access-modes-rwop': 'ReadWriteOncePod 不能与其他访问模式同时使用。',
  'storage-request-required': 'PersistentVolumeClaim 必须请求存储容量（resources.requests.storage）。',
  'storage-request-positive': '请求的存储容量必须大于 0。',
  'invalid-storage-class-name': 'storageClassName 不是合法的名称。',
  'pv-capacity': 'PersistentVolume 必须写明 capacity，且其中只能有 storage（例如 storage: 1Gi）。',
  'pv-capacity-value': 'PersistentVolume 的容量必须是大于 0 的合法数量。',
  'pv-volume-type': 'PersistentVolume 必须且只能指定一种卷类型。',
  'pv-local-affinity': 'local 类型的 PersistentVolume 必须设置节点亲和性（nodeAffinity）。',
  'pv-node-affinity': 'PersistentVolume 的节点亲和性必须指定必需的节点约束。',
  // Policy and config
  'config-too-large': 'ConfigMap / Secret 的数据（data、binaryData，以及并入 data 的 stringData）合计不能超过 1 MiB（1048576 字节），apiserver 会以 “Too long” 拒绝：大文件请放进镜像或持久卷。',
  'invalid-config-key': 'ConfigMap / Secret 的键会成为挂载卷中的文件名（见下方原文）：只能由字母数字、“-”、“_”、“.”组成，不能是“.”或以“..”开头；同一个键也不能同时出现在 data 和 binaryData 中。',
  'secret-type-required': 'Secret 的 type 对内容有要求（见下方原文）：例如 kubernetes.io/tls 需要 tls.crt 和 tls.key，dockerconfigjson 的值须是 JSON 对象，service-account-token 需要注解 kubernetes.io/service-account.name。',
  'rbac-invalid': 'RBAC 对象不符合 apiserver 的校验规则。',
  'rbac-rule-lint': '该 RBAC 规则可能不是你想要的（例如资源名或动词写错）。',
  'webhook-invalid': 'Webhook 配置不符合 apiserver 的校验规则。',
  'quota-invalid': 'ResourceQuota 不符合 apiserver 的校验规则。',
  'quota-must-specify': '命名空间的 ResourceQuota 限制了该资源：每个容器都必须声明相应的 requests/limits，否则 apiserver 会拒绝 Pod。',
  'limitrange-invalid': 'LimitRange 不符合 apiserver 的校验规则。',
  'pod-security-label': 'Pod 安全标签的值不合法（级别为 privileged、baseline、restricted，版本为 latest 或 v1.x）。',
  'pod-security': '该 Pod 不满足命名空间强制执行的 Pod 安全级别：apiserver 会拒绝创建。',
};

type Data = Record<string, unknown>;

/** The Chinese names of the types a wrong-type finding names (schemaWalk's `expected` and `actual`). */
const ZH_TYPES: Record<string, string> = {
  string: '字符串', integer: '整数', number: '数字', boolean: '布尔值', object: '对象（映射）', array: '列表', null: 'null',
  'integer or string': '整数或字符串', 'quantity (string or number)': '资源数量（字符串或数字）', 'string (RFC 3339 time)': 'RFC 3339 时间字符串',
};

const q = (v: unknown) => `“${String(v)}”`;
const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join('、') : '');

/**
 * The Chinese line with the case's specifics (the field, the suggestion, which way a type is wrong), made from the
 * finding's data; undefined when the data does not say enough, and the code's general line is used.
 */
const ZH_TEMPLATES: Partial<Record<string, (d: Data) => string | undefined>> = {
  'unknown-field': (d) => typeof d.field !== 'string' ? undefined
    : `此对象的结构中没有字段 ${q(d.field)}` + (typeof d.suggestion === 'string' && d.suggestion ? `：是否想写 ${q(d.suggestion)}？` : '（可能是拼写错误）。') + 'apiserver 会忽略或拒绝它。',
  'missing-required': (d) => typeof d.field === 'string' ? `缺少必填字段 ${q(d.field)}，apiserver 会拒绝该对象。` : undefined,
  'wrong-type': (d) => {
    const expected = String(d.expected ?? '');
    const actual = String(d.actual ?? '');
    const want = ZH_TYPES[expected];
    const got = ZH_TYPES[actual];
    if (!want || !got) return undefined;
    // A quoted number or boolean (`replicas: "3"`): the quotes make it a string.
    if (actual === 'string' && (expected === 'integer' || expected === 'number' || expected === 'boolean'))
      return `这里需要${want}，而加了引号的值是字符串：去掉引号（${expected === 'boolean' ? '写 true 而不是 "true"' : '写 3 而不是 "3"'}）。`;
    // A plain value YAML reads as a number or boolean where a string is wanted (`value: 8080`, `enabled: yes`).
    if (expected === 'string' && (actual === 'integer' || actual === 'number' || actual === 'boolean'))
      return `这里需要字符串，而 YAML 把这个值读成了${got}：kubectl 按 YAML 1.1 读取（yes/no/on/off 是布尔值，0644 是八进制），类型不符时 apiserver 无法解码该对象。请给值加上引号。`;
    return `值的类型不对：这里需要${want}，而写的是${got}，apiserver 无法解码该对象。`;
  },
  'enum-value': (d) => Array.isArray(d.supported) && d.supported.length ? `该值不在允许的取值范围内（区分大小写），可选值：${list(d.supported)}。` : undefined,
  'yaml-indent': (d) => typeof d.key !== 'string' || typeof d.col !== 'number' || typeof d.want !== 'number' ? undefined
    : `YAML 缩进错误：${d.key === '-' ? '这个“-”列表项' : q(d.key)}缩进了 ${d.col} 个空格，而与它同级的${d.key === '-' ? '列表项' : '键'}缩进 ${d.want} 个空格。同一个映射（或列表）的各项必须对齐在同一列，否则 YAML 无法读取。`,
  'image-tag-missing': (d) => {
    const tag = typeof d.tag === 'string' ? d.tag : '';
    const why = d.why === 'made-up' ? `标签 ${tag} 看起来是编造的，没有任何镜像带这个标签`
      : d.why === 'unknown-tag' && Array.isArray(d.tags) ? `${String(d.repo)} 只推送过 ${d.tags.join('、')} 这些标签`
        : d.why === 'past-line' ? `${String(d.repo)} 没有版本 ${tag}（允许的最新版本线是 ${String(d.line)}）` : undefined;
    return why ? `这次拉取会失败（先是 ErrImagePull，随后是 ImagePullBackOff）：${why}，依据模拟集群的镜像规则（docs/images.md）。` : undefined;
  },
  'image-typo': (d) => typeof d.suggestion === 'string' ? `镜像名或标签疑似拼写错误：是否想写 ${q(d.suggestion)}？这个镜像不存在，拉取会失败（ErrImagePull）。` : undefined,
  'missing-reference': (d) => typeof d.kind !== 'string' || typeof d.name !== 'string' ? undefined
    : `工作区中没有定义名为 ${q(d.name)} 的 ${d.kind}（它也许已存在于集群中）；若集群中也没有，Pod 无法启动或被拒绝（见下方原文）。`,
  'unknown-target-port': (d) => typeof d.targetPort !== 'string' ? undefined
    : `targetPort 使用了端口名称 ${q(d.targetPort)}，但所选 Pod 的容器中没有这个名称的端口` + (Array.isArray(d.portNames) && d.portNames.length ? `；已命名的端口有：${list(d.portNames)}。` : '，这些容器都没有给端口命名。'),
  'unknown-probe-port': (d) => {
    if (typeof d.port !== 'string' || typeof d.probe !== 'string') return undefined;
    const then = d.probe === 'readinessProbe' ? 'Pod 永远不会就绪（Ready）'
      : d.probe === 'startupProbe' ? '容器永远不算“已启动”：存活探针和就绪探针都不会运行，Pod 永远不会就绪'
        : '结果被丢弃：无论容器多不健康，这个存活探针都不会让它重启';
    const names = Array.isArray(d.portNames) && d.portNames.length ? `已命名的端口有：${list(d.portNames)}` : '这个容器没有给端口命名';
    return `被探测的容器没有名为 ${q(d.port)} 的端口（${names}）。kubelet 按名称在容器自己的 ports 中查找端口，找不到时每次探测都出错（probe errored and resulted in unknown state），${then}。`;
  },
  'mysql-no-password': (d) => {
    if (typeof d.image !== 'string' || typeof d.password !== 'string') return undefined;
    const options = d.server === 'mariadb' ? 'MARIADB_ROOT_PASSWORD、MARIADB_ROOT_PASSWORD_HASH、MARIADB_ALLOW_EMPTY_ROOT_PASSWORD 或 MARIADB_RANDOM_ROOT_PASSWORD'
      : 'MYSQL_ROOT_PASSWORD、MYSQL_ALLOW_EMPTY_PASSWORD 或 MYSQL_RANDOM_ROOT_PASSWORD';
    return `${d.image} 没有 root 密码就不会启动：入口脚本报错（Database is uninitialized and password option is not specified）后以 1 退出，容器反复重启（CrashLoopBackOff）。`
      + `env 中需要 ${options} 之一；请设置 ${d.password}，最好从 Secret 读取（valueFrom.secretKeyRef）。`;
  },
  'shell-variable': (d) => typeof d.name !== 'string' ? undefined
    : `这个命令不经过 shell 运行，$${d.name} 不会被展开，程序收到的就是原文。Kubernetes 只在 command 和 args 中展开 $(${d.name}) 形式的引用（取自容器的 env）。请改写为 $(${d.name})，或者用 sh -c 运行命令。`,
  'nginx-cannot-write': (d) => {
    if (typeof d.call !== 'string' || typeof d.path !== 'string' || !Array.isArray(d.mountAt)) return undefined;
    const how = d.how === 'read-only' ? '在只读根文件系统上' : `以用户 ${String(d.uid)} 运行时（镜像里的这些目录属于 root）`;
    return `nginx ${how}无法启动：它启动时要在 /var/cache/nginx 下建临时目录、在 /run 下写 PID 文件，这里 ${d.call}() "${d.path}" 失败（${String(d.errno)}: ${String(d.error)}），`
      + `容器以 1 退出并被反复重启（CrashLoopBackOff）。请在 ${list(d.mountAt)} 挂载可写卷（例如 emptyDir）${d.nonRoot ? '，或改用专为非 root 用户运行而做的 nginxinc/nginx-unprivileged' : ''}。`;
  },
  'probe-path-unserved': (d) => {
    if (typeof d.path !== 'string' || typeof d.probe !== 'string' || typeof d.root !== 'string') return undefined;
    const then = d.probe === 'readinessProbe' ? 'Pod 永远不会就绪（Ready）'
      : d.probe === 'startupProbe' ? '每次启动后，失败次数达到 failureThreshold 时 kubelet 都会杀掉容器'
        : '每当连续失败达到 failureThreshold 次，kubelet 就重启容器';
    return `nginx 对 ${d.path} 回答 404 Not Found：镜像自带的站点只提供 ${d.root} 中的文件（${list(d.files)}），除非你把自己的文件或配置挂载到那里。这个探针会一直失败（HTTP probe failed with statuscode: 404），${then}。`;
  },
  'unknown-hook-port': (d) => {
    if (typeof d.port !== 'string' || typeof d.hook !== 'string') return undefined;
    const then = d.hook === 'postStart' ? '钩子失败（FailedPostStartHook），容器每次启动都会被 kubelet 杀掉'
      : '钩子失败（FailedPreStopHook），容器不经过这个钩子就被停止';
    const names = Array.isArray(d.portNames) && d.portNames.length ? `已命名的端口有：${list(d.portNames)}` : '这个容器没有给端口命名';
    return `容器没有名为 ${q(d.port)} 的端口（${names}）。kubelet 按名称在容器自己的 ports 中查找 ${d.hook} 钩子的端口，找不到时${then}。`;
  },
  'service-selects-nothing': (d) => {
    const sel = d.selector && typeof d.selector === 'object' ? Object.entries(d.selector as Data).map(([k, v]) => `${k}=${String(v)}`).join(',') : '';
    return sel ? `工作区中没有任何 Pod 模板带有标签 ${sel}：该 Service 将没有后端端点。` : undefined;
  },
};

/**
 * A diagnostic's message for the locale: with Chinese, the explanation first (with the case's specifics when its
 * data has them) and the original words below.
 */
export function localizedMessage(code: string, message: string, zh: boolean, data?: unknown): string {
  if (!zh) return message;
  const fill = ZH_TEMPLATES[code];
  const text = (fill && data && typeof data === 'object' ? fill(data as Data) : undefined) ?? ZH_DIAGNOSTICS[code];
  return text ? `${text}\n${message}` : message;
}
