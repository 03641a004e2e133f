/**
 * Chinese explanations, written for this project, of the fields learners meet
 * first. With a Chinese locale a field's hover (and completion documentation)
 * shows this text above the upstream English description, which stays as the
 * reference. Keyed by schema definition and field name, the way hover finds a
 * field (the parent type's `ref` and the key), so `Container.image` is found
 * in a Pod, a Deployment, a Job template and a CronJob alike.
 *
 * Only the served (v1) definitions are listed: the beta versions' defaults
 * differ (extensions/v1beta1 Deployments keep every old ReplicaSet and surge
 * by 1; pkg/apis/apps/v1/defaults.go SetDefaults_Deployment), so they keep
 * the English text alone. Defaults stated here follow pkg/apis/apps/v1,
 * pkg/apis/batch/v1 and pkg/apis/core/v1 defaults.go.
 */

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';

const TEXTS: Record<string, Record<string, string>> = {
  [META + 'ObjectMeta']: {
    name: '对象的名字，在同一命名空间内同一种资源中必须唯一，创建后不能修改。大多数资源要求它是小写字母、数字和 `-` 组成的 DNS 子域名。',
    namespace: '对象所在的命名空间，省略时为 `default`（或 kubectl 当前上下文的命名空间）。创建后不能修改；Node、PersistentVolume 等集群级资源没有命名空间。',
    labels: '附加在对象上的键值对标签，用于组织和选择对象。Service、Deployment 等的选择器（selector）按标签找到它们管理的 Pod。',
    annotations: '附加在对象上的键值对注解，用来保存工具或控制器读写的任意元数据（如 `kubectl.kubernetes.io/last-applied-configuration`）。与标签不同，注解不能用于选择对象。',
  },
  [APPS + 'DeploymentSpec']: {
    replicas: '期望运行的 Pod 副本数，默认为 1。Deployment 控制器通过 ReplicaSet 创建或删除 Pod，使副本数保持为这个值；`kubectl scale` 和 HPA 修改的就是它。',
    selector: '标签选择器：决定哪些 Pod（以及哪些 ReplicaSet）归这个 Deployment 管理。它必须与 `template.metadata.labels` 匹配，在 apps/v1 中创建后不能修改。',
    template: 'Pod 模板：Deployment 创建的每个 Pod 都按它生成。修改模板（例如换镜像）会触发一次新的发布（rollout）；`restartPolicy` 只能是 `Always`。',
    strategy: '用新 Pod 替换旧 Pod 的方式：`RollingUpdate`（默认，逐步替换，服务不中断）或 `Recreate`（先删除所有旧 Pod，再创建新 Pod）。',
    revisionHistoryLimit: '保留多少个旧的 ReplicaSet 以便回滚（`kubectl rollout undo`），默认为 10。设为 0 时将无法回滚。',
    progressDeadlineSeconds: '发布在多少秒内没有进展就被认为失败，默认为 600。超时后 Deployment 的 Progressing 状态条件变为 False，原因为 `ProgressDeadlineExceeded`，但控制器不会自动回滚。',
    minReadySeconds: '新 Pod 就绪后还要持续多少秒没有容器崩溃，才算可用（available），默认为 0。滚动更新按可用的 Pod 推进，调大它会让发布更慢、更稳。',
  },
  [APPS + 'DeploymentStrategy']: {
    type: '更新策略类型：`RollingUpdate`（默认）逐步用新 ReplicaSet 替换旧的；`Recreate` 先把旧 Pod 全部删除再创建新 Pod，期间服务不可用。',
    rollingUpdate: '滚动更新的参数（`maxSurge`、`maxUnavailable`），只在 `type: RollingUpdate` 时有效。',
  },
  [APPS + 'RollingUpdateDeployment']: {
    maxSurge: '滚动更新时最多可以比期望副本数多出几个 Pod，可写数字或百分比（向上取整），默认 25%。不能与 `maxUnavailable` 同时为 0。',
    maxUnavailable: '滚动更新时最多允许几个 Pod 不可用，可写数字或百分比（向下取整），默认 25%。设为 0 表示新 Pod 可用后才删除旧 Pod；不能与 `maxSurge` 同时为 0。',
  },
  [CORE + 'PodSpec']: {
    containers: 'Pod 中运行的容器列表，至少要有一个，每个容器的 `name` 必须唯一。同一 Pod 的容器共享网络（同一 IP）并可以挂载相同的卷。',
    initContainers: 'Init 容器：在普通容器启动之前按顺序逐个运行，每个都必须成功退出后才运行下一个，常用来等待依赖或准备文件。失败时按 Pod 的 `restartPolicy` 处理；设置 `restartPolicy: Always` 的 init 容器是一直运行的边车（sidecar）容器。',
    restartPolicy: 'Pod 中容器退出后 kubelet 是否在同一节点上重启它：`Always`（默认）、`OnFailure`（仅非零退出码时）或 `Never`。Deployment 等只允许 `Always`，Job 只允许 `Never` 或 `OnFailure`。',
    nodeSelector: '节点选择器：Pod 只能被调度器调度到标签包含这里所有键值对的节点上，例如 `kubernetes.io/os: linux`。没有节点匹配时，Pod 会一直处于 Pending。',
    affinity: '调度约束：节点亲和性（nodeAffinity，比 nodeSelector 更灵活的节点选择）、Pod 亲和性与反亲和性（podAffinity/podAntiAffinity，靠近或远离带某些标签的 Pod）。`required…` 规则必须满足，`preferred…` 规则只影响打分。',
    tolerations: '容忍：允许 Pod 被调度到带有相应污点（taint）的节点上，例如控制平面节点。容忍只是“允许”，并不会把 Pod 吸引到这些节点上。',
    volumes: 'Pod 级别定义的卷列表（emptyDir、configMap、secret、persistentVolumeClaim、hostPath 等）。容器要通过 `volumeMounts` 按名字挂载后才能使用。',
    serviceAccountName: 'Pod 以哪个 ServiceAccount 的身份运行，默认为 `default`。它的令牌会挂载到容器中，用来访问 API Server，权限由 RBAC 绑定决定。',
    terminationGracePeriodSeconds: '优雅退出的宽限期（秒），默认为 30。删除 Pod 时先运行 preStop 钩子，再向容器发送 SIGTERM，宽限期结束仍未退出的进程会被 SIGKILL 强制终止；设为 0 表示立即终止。',
    hostNetwork: '为 true 时 Pod 直接使用节点的网络命名空间：容器端口就是节点上的端口，Pod IP 就是节点 IP，默认为 false。声明的端口也占用节点端口，调度器不会把占用同一端口的两个 Pod 放到同一节点上。',
  },
  [CORE + 'Container']: {
    name: '容器的名字，在 Pod 的所有容器（包括 init 容器）中必须唯一，须是 DNS 标签（小写字母、数字和 `-`）。`kubectl logs -c`、`kubectl exec -c` 用它指定容器。',
    image: '容器使用的镜像，例如 `nginx:1.25` 或 `registry.example.com/app:v2`。不写标签等同于 `:latest`；镜像拉取失败时 Pod 会停在 `ErrImagePull`/`ImagePullBackOff`。',
    imagePullPolicy: '镜像拉取策略：`Always`（每次启动都拉取）、`IfNotPresent`（节点上没有才拉取）、`Never`（只用节点上已有的）。不写时，标签为 `:latest` 或既没有标签也没有 `@sha256:` 摘要则为 `Always`，否则为 `IfNotPresent`。',
    command: '容器的启动命令，替换镜像的 ENTRYPOINT；不写则使用镜像自带的。它不经过 shell 执行，需要管道或变量展开时写成 `["sh", "-c", "…"]`；`$(VAR)` 会用容器的环境变量替换。',
    args: '传给启动命令的参数，替换镜像的 CMD；不写则使用镜像自带的。与 `command` 一样不经过 shell，`$(VAR)` 会用容器的环境变量替换。',
    env: '为容器设置的环境变量列表：每项写 `name` 和 `value`，或用 `valueFrom` 从 ConfigMap、Secret、Pod 字段或资源量中取值。后定义的可以用 `$(NAME)` 引用前面的变量。',
    envFrom: '把整个 ConfigMap 或 Secret 的所有键导入为环境变量（可加 `prefix` 前缀）。同名时 `env` 中的定义优先，多个来源中靠后的优先。',
    ports: '容器监听的端口列表。这里只是说明，不写也不会阻止访问；但给端口起名字（`name`）后，Service 的 `targetPort` 和探针可以按名字引用它。',
    resources: '容器的资源请求（requests）和限制（limits），如 CPU 和内存。调度器按 requests 选择有足够资源的节点；超过内存 limits 的容器会被 OOMKilled，CPU 超过 limits 则被限流。',
    volumeMounts: '把 Pod 的卷挂载到容器中的路径：`name` 对应 `volumes` 中的卷名，`mountPath` 是容器内的目录。挂载会遮住镜像中该目录原有的内容。',
    livenessProbe: '存活探针：kubelet 定期检查容器是否还活着，连续失败达到阈值后杀死并按 `restartPolicy` 重启容器。只用于检测“卡死”，不要让它依赖外部服务。',
    readinessProbe: '就绪探针：kubelet 定期检查容器是否可以接收流量。失败时 Pod 变为未就绪，被从 Service 的端点中移除，但容器不会被重启。',
    startupProbe: '启动探针：在它成功之前，存活探针和就绪探针都不执行，适合启动很慢的应用。它失败达到阈值时，容器会像存活探针失败一样被重启。',
    lifecycle: '容器生命周期钩子：`postStart` 在容器创建后立即执行，`preStop` 在容器被终止前执行（计入 Pod 的宽限期），可以是命令、HTTP 请求或等待（sleep）。',
  },
  [CORE + 'ContainerPort']: {
    containerPort: '容器在 Pod IP 上监听的端口号（1–65535）。Service 的 `targetPort`、探针和 `kubectl port-forward` 最终都要连到容器真正监听的端口。',
  },
  [CORE + 'ResourceRequirements']: {
    requests: '容器至少需要的资源量（如 `cpu: 100m`、`memory: 128Mi`）。调度器只把 Pod 放到剩余可分配资源够这些请求的节点上；只写了 limits 时，requests 默认等于 limits。不能大于 limits。',
    limits: '容器最多可以使用的资源量。内存超过限制的容器会被杀死（OOMKilled，退出码 137），CPU 超过限制则被限流而不会被杀死。',
  },
  [CORE + 'ServiceSpec']: {
    type: 'Service 的暴露方式：`ClusterIP`（默认，只在集群内部可访问的虚拟 IP）、`NodePort`（另外在每个节点上开放一个端口）、`LoadBalancer`（再加一个外部负载均衡器）、`ExternalName`（只是指向外部域名的 DNS 别名）。',
    selector: '标签选择器：标签与这里所有键值对都匹配的 Pod 是这个 Service 的后端，其中已就绪的 Pod 才接收流量。不写时 Kubernetes 不管理它的端点，需要自己创建 EndpointSlice。',
    ports: 'Service 暴露的端口列表：每项把 Service 的 `port` 转发到后端 Pod 的 `targetPort`。有多个端口时每项都必须有 `name`。',
    clusterIP: 'Service 的集群内部虚拟 IP，通常不写，由系统从 Service 网段中自动分配。写 `None` 表示无头 Service（headless）：不分配虚拟 IP，DNS 直接返回各个 Pod 的 IP。',
  },
  [CORE + 'ServicePort']: {
    port: 'Service 自己对外暴露的端口：客户端访问 `<Service 名或 ClusterIP>:<port>`。',
    targetPort: '流量被转发到的 Pod 端口：可以写数字，也可以写容器端口的名字（`ports[].name`）。不写时与 `port` 相同。',
    nodePort: '`NodePort` 或 `LoadBalancer` 类型时在每个节点上开放的端口，默认范围 30000–32767。通常不写，由系统自动分配；写了则必须在范围内且未被占用。',
  },
  [BATCH + 'JobSpec']: {
    completions: '需要多少个 Pod 成功结束，Job 才算完成。它和 `parallelism` 都不写时都为 1（运行一个 Pod 直到成功）；只写 `parallelism` 时为工作队列模式，任一 Pod 成功即表示完成。',
    parallelism: '同一时刻最多同时运行多少个 Pod，默认为 1。剩余未完成的数量少于它时，实际运行的 Pod 会更少；设为 0 相当于暂停 Job。',
    backoffLimit: '失败重试的次数上限，默认为 6。失败的 Pod 数超过它后，Job 被标记为失败（原因 `BackoffLimitExceeded`），不再创建新 Pod；每次重试之间的等待时间会指数增长。',
    activeDeadlineSeconds: 'Job 从开始运行算起最多可以运行多少秒，优先于 `backoffLimit`。超时后 Job 的所有运行中的 Pod 被终止，Job 以原因 `DeadlineExceeded` 失败。',
  },
  [BATCH + 'CronJobSpec']: {
    schedule: 'Cron 格式的运行计划（分 时 日 月 周），例如 `*/5 * * * *` 表示每 5 分钟一次，也可以写 `@hourly`、`@daily` 等。按 kube-controller-manager 所在时区解释，除非设置了 `timeZone`。',
    concurrencyPolicy: '上一次 Job 还没结束、新的运行时间又到了时怎么办：`Allow`（默认，同时运行）、`Forbid`（跳过这一次）、`Replace`（删除正在运行的 Job，用新的替换它）。',
    suspend: '为 true 时暂停调度：不再创建新的 Job，已经在运行的 Job 不受影响，默认为 false。',
  },
  [APPS + 'StatefulSetSpec']: {
    serviceName: '管理这些 Pod 网络身份的无头 Service 的名字，必须先于 StatefulSet 存在。每个 Pod 由此得到稳定的 DNS 名称：`<pod 名>.<serviceName>.<命名空间>.svc.cluster.local`。',
    volumeClaimTemplates: '存储卷声明模板：StatefulSet 控制器为每个 Pod 按模板创建自己的 PersistentVolumeClaim（名为 `<模板名>-<pod 名>`），Pod 重建后仍挂载原来的存储。缩容或删除 StatefulSet 时默认保留这些声明。',
    podManagementPolicy: 'Pod 的创建和删除方式：`OrderedReady`（默认）按序号逐个创建，前一个就绪后才创建下一个，缩容时倒序逐个删除；`Parallel` 同时创建或删除所有 Pod，不等待。',
  },
  [CORE + 'ConfigMap']: {
    data: '配置数据：UTF-8 字符串的键值对，键只能由字母、数字、`-`、`_`、`.` 组成。Pod 可以把它们作为环境变量引用，或挂载为卷中的文件（每个键一个文件）。',
  },
  [CORE + 'Secret']: {
    data: '敏感数据的键值对，值必须是 base64 编码的（只是编码，不是加密）。Pod 可以把它们作为环境变量引用，或挂载为卷中的文件，文件内容是解码后的原始数据。',
    stringData: '以明文字符串写入的数据，写入时由 API Server 编码后合并进 `data`（同名键覆盖 `data` 中的值）。它只用于写入，读取 Secret 时不会返回。',
    type: 'Secret 的类型，决定必须包含哪些键，默认为 `Opaque`（任意数据）。例如 `kubernetes.io/tls` 需要 `tls.crt` 和 `tls.key`，`kubernetes.io/dockerconfigjson` 需要 `.dockerconfigjson`。',
  },
  [CORE + 'PersistentVolumeClaimSpec']: {
    accessModes: '需要的访问模式：`ReadWriteOnce`（单个节点读写）、`ReadOnlyMany`（多个节点只读）、`ReadWriteMany`（多个节点读写）、`ReadWriteOncePod`（单个 Pod 读写）。只能绑定到支持这些模式的持久卷。',
    resources: '声明需要的存储量，写在 `requests.storage` 中（例如 `1Gi`）。绑定的 PersistentVolume 容量不小于它；之后只能调大，并且需要存储类允许扩容。',
    storageClassName: '使用的存储类（StorageClass）名字，由它的供应器动态创建持久卷。不写时使用集群的默认存储类；写 `""` 表示不用动态供应，只绑定没有存储类的已有持久卷。',
  },
  [CORE + 'VolumeResourceRequirements']: {
    requests: '声明至少需要的存储量，键为 `storage`，例如 `storage: 1Gi`。',
  },
};

/** `definition|field` → Chinese text: one Map lookup per hover. */
const ZH = new Map<string, string>();
for (const [definition, fields] of Object.entries(TEXTS)) {
  for (const [field, text] of Object.entries(fields)) ZH.set(`${definition}|${field}`, text);
}

/** The Chinese explanation of field `field` of schema definition `definition`, if the project wrote one. */
export function fieldTextZh(definition: string, field: string): string | undefined {
  return ZH.get(`${definition}|${field}`);
}

/** How many fields have a Chinese explanation (for tests). */
export function fieldTextKeys(): string[] {
  return [...ZH.keys()];
}
