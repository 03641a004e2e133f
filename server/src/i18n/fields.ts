/**
 * Chinese explanations, written for this project, of the fields learners meet
 * in the kinds the product teaches (Pod and container fields, the workload
 * controllers, Service, ConfigMap/Secret, volumes and claims, Namespace, Node,
 * metadata). With a Chinese locale a field's hover (and completion documentation)
 * shows this text above the upstream English description, which stays as the
 * reference. Keyed by schema definition and field name, the way hover finds a
 * field (the parent type's `ref` and the key), so `Container.image` is found
 * in a Pod, a Deployment, a Job template and a CronJob alike.
 *
 * Only the served (v1) definitions are listed: the beta versions' defaults
 * differ (extensions/v1beta1 Deployments keep every old ReplicaSet and surge
 * by 1; pkg/apis/apps/v1/defaults.go SetDefaults_Deployment), so they keep
 * the English text alone. Defaults stated here follow pkg/apis/apps/v1,
 * pkg/apis/batch/v1 and pkg/apis/core/v1 defaults.go. The same holds for the
 * types below a spec: apps/v1beta1 and extensions/v1beta1 default a
 * StatefulSet's and a DaemonSet's updateStrategy to OnDelete, so only the
 * apps/v1 StatefulSetUpdateStrategy and DaemonSetUpdateStrategy are listed.
 * Shared types (core/v1 Pod fields, meta/v1 ObjectMeta and LabelSelector) are
 * the same in every version and are found from beta kinds too.
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
    generateName: '名字前缀：没有写 `name` 时，API Server 在它后面加上 5 个随机字符生成唯一的名字（前缀过长时先截断），例如 `job-` 得到 `job-x7k2p`。`kubectl apply` 不接受只有 generateName 的对象，要用 `kubectl create`。',
    ownerReferences: '属主引用：这个对象所依赖的对象，例如 ReplicaSet 创建的 Pod 指向该 ReplicaSet。列出的属主全部被删除后，垃圾回收器会删除这个对象；`controller: true` 的一项是管理它的控制器，最多只能有一个。',
    finalizers: 'Finalizer 列表：只要列表不为空，删除请求只会给对象设置 `deletionTimestamp`，对象保留在删除中的状态；负责的组件完成清理后移除自己的条目，列表清空后对象才真正被删除。条目的处理没有先后顺序。',
  },
  [META + 'LabelSelector']: {
    matchLabels: '要求标签与这里的每个键值对都相等（每一对相当于一个 `operator: In` 且只有一个值的 matchExpressions）。与 `matchExpressions` 同时写时，全部条件都要满足。',
    matchExpressions: '基于集合的标签匹配条件列表，每项写 `key`、`operator`（`In`、`NotIn`、`Exists`、`DoesNotExist`）和 `values`，全部满足才算匹配。',
  },
  [APPS + 'DeploymentSpec']: {
    replicas: '期望运行的 Pod 副本数，默认为 1。Deployment 控制器通过 ReplicaSet 创建或删除 Pod，使副本数保持为这个值；`kubectl scale` 和 HPA 修改的就是它。',
    selector: '标签选择器：决定哪些 Pod（以及哪些 ReplicaSet）归这个 Deployment 管理。它必须与 `template.metadata.labels` 匹配，在 apps/v1 中创建后不能修改。',
    template: 'Pod 模板：Deployment 创建的每个 Pod 都按它生成。修改模板（例如换镜像）会触发一次新的发布（rollout）；`restartPolicy` 只能是 `Always`。',
    strategy: '用新 Pod 替换旧 Pod 的方式：`RollingUpdate`（默认，逐步替换，服务不中断）或 `Recreate`（先删除所有旧 Pod，再创建新 Pod）。',
    revisionHistoryLimit: '保留多少个旧的 ReplicaSet 以便回滚（`kubectl rollout undo`），默认为 10。设为 0 时将无法回滚。',
    progressDeadlineSeconds: '发布在多少秒内没有进展就被认为失败，默认为 600。超时后 Deployment 的 Progressing 状态条件变为 False，原因为 `ProgressDeadlineExceeded`，但控制器不会自动回滚。',
    minReadySeconds: '新 Pod 就绪后还要持续多少秒没有容器崩溃，才算可用（available），默认为 0。滚动更新按可用的 Pod 推进，调大它会让发布更慢、更稳。',
    paused: '为 true 时暂停发布：修改 Pod 模板不会触发新的发布，直到恢复为止，但扩缩容仍然生效。`kubectl rollout pause`/`resume` 修改的就是它；暂停期间不会因为 `progressDeadlineSeconds` 而判定发布失败。',
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
    securityContext: 'Pod 级别的安全设置（如 `runAsUser`、`runAsNonRoot`、`fsGroup`），对 Pod 中所有容器生效；容器自己的 `securityContext` 中设置了同名字段时，以容器的为准。',
    nodeName: 'Pod 所在节点的名字，通常由调度器选定节点后填入。直接写上节点名会绕过调度器，由该节点的 kubelet 直接运行（资源不足时 Pod 会失败而不是等待）；要把 Pod 放到指定节点，应该用 nodeSelector 或节点亲和性。',
    topologySpreadConstraints: '拓扑分布约束：让匹配 `labelSelector` 的 Pod 尽量均匀地分布在不同的拓扑域（如节点、可用区）之间，避免副本集中在一处。多条约束必须同时满足。',
    imagePullSecrets: '从私有镜像仓库拉取镜像时使用的凭据：同一命名空间中 Secret 的名字列表（通常是 `kubernetes.io/dockerconfigjson` 类型）。',
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
    securityContext: '容器级别的安全设置：以哪个用户运行、是否特权、根文件系统是否只读、增加或去掉哪些 Linux capabilities 等。与 Pod 的 `securityContext` 中的同名字段同时设置时，以这里的为准。',
    workingDir: '容器进程的工作目录；不写时使用容器运行时的默认值（通常是镜像中的 WORKDIR）。创建后不能修改。',
  },
  [CORE + 'Probe']: {
    exec: '命令检查：在容器内执行 `command`，退出码为 0 表示成功，非 0 表示失败。',
    // pkg/probe/http/http.go DoHTTPProbe: 200 <= code < 400 is success (a redirect is a success with a warning).
    httpGet: 'HTTP 检查：kubelet 向容器发送 HTTP GET 请求，状态码在 200 到 399 之间表示成功，其他状态码或无法连接表示失败。',
    tcpSocket: 'TCP 检查：kubelet 尝试连接容器的指定端口，能建立连接就表示成功，不发送任何数据。',
    grpc: 'gRPC 检查：kubelet 按 gRPC 健康检查协议调用容器中的服务，返回 `SERVING` 表示成功。',
    initialDelaySeconds: '容器启动后等待多少秒才开始第一次探测，默认为 0。定义了启动探针时，存活探针和就绪探针在启动探针成功之后才开始。',
    periodSeconds: '每隔多少秒探测一次，默认为 10，最小为 1。',
    timeoutSeconds: '每次探测等待结果的秒数，默认为 1，最小为 1。超时算作一次失败。',
    successThreshold: '失败之后要连续成功多少次才重新算作成功，默认为 1，最小为 1。存活探针和启动探针只能是 1。',
    failureThreshold: '连续失败多少次才判定为失败，默认为 3，最小为 1。存活或启动探针判定失败后容器被重启；就绪探针判定失败后 Pod 变为未就绪。',
    // pkg/apis/core/validation validateReadinessProbe: "must not be set for readinessProbes".
    terminationGracePeriodSeconds: '探针失败导致容器被杀死时使用的宽限期（秒），覆盖 Pod 的 `terminationGracePeriodSeconds`；不写时使用 Pod 的值。只用于存活探针和启动探针，就绪探针不能设置它。',
  },
  [CORE + 'HTTPGetAction']: {
    // pkg/apis/core/v1/defaults.go SetDefaults_HTTPGetAction: Path "/" and Scheme HTTP.
    path: '请求的 HTTP 路径，例如 `/healthz`；不写时为 `/`。',
    port: '请求发往的容器端口：端口号（1–65535），或容器 `ports` 中定义的端口名字。',
    scheme: '连接使用的协议：`HTTP`（默认）或 `HTTPS`。使用 HTTPS 时 kubelet 不校验服务器证书。',
    httpHeaders: '请求中附加的 HTTP 头，每项写 `name` 和 `value`。要设置 Host 头请写在这里，而不是使用 `host` 字段。',
  },
  [CORE + 'TCPSocketAction']: {
    port: '要连接的容器端口：端口号（1–65535），或容器 `ports` 中定义的端口名字。',
  },
  [CORE + 'ExecAction']: {
    command: '在容器内执行的命令及参数，工作目录是容器的根目录 `/`。它不经过 shell 执行，需要管道等 shell 语法时写成 `["sh", "-c", "…"]`；退出码 0 表示健康，非 0 表示不健康。',
  },
  [CORE + 'GRPCAction']: {
    port: 'gRPC 服务的端口号（1–65535），只能写数字，不能写端口名。',
  },
  [CORE + 'SecurityContext']: {
    runAsUser: '运行容器进程的用户 ID（UID）；不写时使用镜像中指定的用户。Pod 的 `securityContext` 中也设置了时，以这里的为准。',
    // pkg/kubelet/kuberuntime verifyRunAsNonRoot: the container is not started (CreateContainerConfigError).
    runAsNonRoot: '为 true 时 kubelet 在启动前检查容器不会以 root（UID 0）运行，否则不启动这个容器（状态为 `CreateContainerConfigError`）。不写或为 false 时不检查。',
    privileged: '为 true 时以特权模式运行：容器中的进程几乎等同于节点上的 root，默认为 false。',
    allowPrivilegeEscalation: '是否允许进程获得比父进程更多的权限（例如通过 setuid 程序），它直接控制容器进程的 `no_new_privs` 标志。容器是特权容器或拥有 `CAP_SYS_ADMIN` 时它总是为 true。',
    readOnlyRootFilesystem: '为 true 时容器的根文件系统是只读的，默认为 false。需要写入的目录可以另外挂载 emptyDir 等卷。',
    capabilities: '在容器运行时默认授予的 Linux capabilities 基础上增加（`add`）或去掉（`drop`）哪些，例如 `drop: ["ALL"]` 再 `add: ["NET_BIND_SERVICE"]`。',
  },
  [CORE + 'Capabilities']: {
    add: '要额外授予容器的 Linux capabilities，例如 `NET_BIND_SERVICE`（允许绑定 1024 以下的端口）。',
    drop: '要从容器中去掉的 Linux capabilities；`ALL` 表示全部去掉，常与 `add` 配合只保留真正需要的。',
  },
  [CORE + 'PodSecurityContext']: {
    runAsUser: 'Pod 中所有容器进程默认使用的用户 ID（UID）；不写时使用镜像中指定的用户。容器的 `securityContext.runAsUser` 优先于它。',
    runAsNonRoot: '为 true 时 Pod 中的容器都必须以非 root 用户运行：kubelet 在启动每个容器前检查，会以 UID 0 运行的容器不被启动。容器自己的设置优先于它。',
    fsGroup: '给 Pod 中所有容器附加的一个补充组 ID。支持的卷（如 emptyDir、持久卷）会被改为属于这个组、对组可读写，新建的文件也属于它，使非 root 进程可以使用卷。',
  },
  [CORE + 'VolumeMount']: {
    name: '要挂载的卷名，必须与 Pod 的 `volumes` 中某个卷的 `name` 相同。',
    mountPath: '卷在容器内的挂载路径（例如 `/data`），不能包含 `:`。镜像中该目录原有的内容会被卷遮住。',
    readOnly: '为 true 时以只读方式挂载，默认为 false（可读写）。',
    subPath: '只挂载卷中的某个子路径而不是整个卷，默认为 `""`（卷的根目录）。常用来把 ConfigMap 的单个文件放进已有目录；以 subPath 挂载的 ConfigMap、Secret 不会随之自动更新。',
  },
  [CORE + 'EnvVar']: {
    name: '环境变量名，可以由除 `=` 以外的可打印 ASCII 字符组成。',
    value: '变量的值，默认为空字符串。其中的 `$(VAR_NAME)` 会用前面已定义的变量展开，无法解析时保持原样；`$$` 表示一个字面的 `$`。',
    valueFrom: '从其他来源取值：ConfigMap 的键（`configMapKeyRef`）、Secret 的键（`secretKeyRef`）、Pod 的字段（`fieldRef`）或容器的资源量（`resourceFieldRef`）。不能与非空的 `value` 同时使用。',
  },
  [CORE + 'EnvVarSource']: {
    configMapKeyRef: '取同一命名空间中某个 ConfigMap 的一个键的值（`name` 为 ConfigMap 名，`key` 为键）。ConfigMap 或键不存在时容器无法启动（`CreateContainerConfigError`），除非写了 `optional: true`。',
    secretKeyRef: '取同一命名空间中某个 Secret 的一个键的值（解码后的原始内容；`name` 为 Secret 名，`key` 为键）。Secret 或键不存在时容器无法启动，除非写了 `optional: true`。',
    fieldRef: '取 Pod 自身的字段（Downward API），支持 `metadata.name`、`metadata.namespace`、`metadata.labels[\'<键>\']`、`metadata.annotations[\'<键>\']`、`spec.nodeName`、`spec.serviceAccountName`、`status.hostIP`、`status.podIP`、`status.podIPs`。',
    resourceFieldRef: '取容器的资源请求或限制（Downward API）：`limits.cpu`、`limits.memory`、`limits.ephemeral-storage` 及对应的 `requests.*`。容器没有设置 limits 时，取节点的可分配量。',
  },
  [CORE + 'ConfigMapKeySelector']: {
    key: '要读取的 ConfigMap 中的键名。',
    optional: '为 true 时，ConfigMap 或这个键不存在也照常启动容器（不设置这个变量）；不写或为 false 时，不存在则容器无法启动。',
  },
  [CORE + 'SecretKeySelector']: {
    key: '要读取的 Secret 中的键名，必须是合法的 Secret 键。',
    optional: '为 true 时，Secret 或这个键不存在也照常启动容器（不设置这个变量）；不写或为 false 时，不存在则容器无法启动。',
  },
  [CORE + 'ObjectFieldSelector']: {
    fieldPath: '要读取的 Pod 字段路径，例如 `metadata.name`、`status.podIP`、`metadata.labels[\'app\']`。',
  },
  [CORE + 'ResourceFieldSelector']: {
    resource: '要读取的资源，例如 `limits.memory`、`requests.cpu`，必填。',
    // pkg/api/v1/resource/helpers.go convertResourceCPUToString/convertResourceMemoryToString: the value divided by the divisor, rounded up.
    divisor: '输出的单位，默认为 `1`：资源量除以它后向上取整。例如 memory 用 `1Mi` 得到 MiB 数，cpu 用 `1m` 得到毫核数（cpu 用 `1` 时 `250m` 会变成 `1`）。',
  },
  [CORE + 'EnvFromSource']: {
    configMapRef: '把这个 ConfigMap（写 `name`）的所有键导入为环境变量。ConfigMap 不存在时容器无法启动，除非写了 `optional: true`。',
    secretRef: '把这个 Secret（写 `name`）的所有键导入为环境变量，值是解码后的内容。Secret 不存在时容器无法启动，除非写了 `optional: true`。',
    prefix: '加在每个导入的变量名前面的前缀，例如 `prefix: DB_` 把键 `HOST` 变成变量 `DB_HOST`。',
  },
  [CORE + 'Lifecycle']: {
    postStart: '容器创建后立即执行的钩子，与容器的启动命令同时开始，不保证谁先谁后。钩子完成之前容器不会变为 Running；钩子失败时容器被杀死，并按重启策略处理。',
    preStop: '容器因 API 请求、探针失败、抢占等原因被终止之前执行的钩子，执行完才向容器发送 SIGTERM。宽限期在钩子开始前就开始计时；容器自己崩溃或退出时不执行。',
  },
  [CORE + 'LifecycleHandler']: {
    sleep: '让钩子等待指定的秒数（`seconds`）后返回。常用于 preStop，在容器收到 SIGTERM 之前给负载均衡留出摘除 Pod 的时间，镜像中不需要有 `sleep` 命令。',
  },
  [CORE + 'ContainerPort']: {
    containerPort: '容器在 Pod IP 上监听的端口号（1–65535）。Service 的 `targetPort`、探针和 `kubectl port-forward` 最终都要连到容器真正监听的端口。',
    name: '端口名，须是 IANA 服务名格式（最多 15 个字符，小写字母、数字和 `-`），在 Pod 中唯一。Service 的 `targetPort` 和探针可以按这个名字引用端口。',
    protocol: '端口的协议：`TCP`（默认）、`UDP` 或 `SCTP`。',
    hostPort: '在节点上开放、转发到这个容器端口的端口号。大多数容器不需要它：同一节点上的同一个 hostPort 只能被一个 Pod 占用，调度器会避开已被占用的节点。',
  },
  [CORE + 'ResourceRequirements']: {
    requests: '容器至少需要的资源量（如 `cpu: 100m`、`memory: 128Mi`）。调度器只把 Pod 放到剩余可分配资源够这些请求的节点上；只写了 limits 时，requests 默认等于 limits。不能大于 limits。',
    limits: '容器最多可以使用的资源量。内存超过限制的容器会被杀死（OOMKilled，退出码 137），CPU 超过限制则被限流而不会被杀死。',
  },
  [CORE + 'Affinity']: {
    nodeAffinity: '节点亲和性：按节点的标签要求（`required…`）或偏好（`preferred…`）Pod 可以去的节点，比 nodeSelector 更灵活（支持 `In`、`NotIn`、`Exists` 等运算符）。',
    podAffinity: 'Pod 亲和性：让 Pod 调度到已经运行着匹配标签的 Pod 的同一拓扑域（例如同一节点或同一可用区）。',
    podAntiAffinity: 'Pod 反亲和性：让 Pod 避开已经运行着匹配标签的 Pod 的拓扑域，常用来把同一应用的副本分散到不同节点。',
  },
  [CORE + 'NodeAffinity']: {
    requiredDuringSchedulingIgnoredDuringExecution: '调度时必须满足的节点条件：`nodeSelectorTerms` 中任意一项满足即可（项与项之间是“或”，一项中的表达式之间是“与”）。没有节点满足时 Pod 保持 Pending；Pod 运行后条件不再满足，系统不一定会驱逐它。',
    preferredDuringSchedulingIgnoredDuringExecution: '调度时尽量满足的节点条件，每项带一个 `weight`（1–100）。满足条件的节点得到相应的加分，分数最高的节点优先；条件不满足时 Pod 仍然可以调度到其他节点。',
  },
  [CORE + 'PodAffinityTerm']: {
    labelSelector: '选择要靠近（亲和）或避开（反亲和）的 Pod 的标签选择器。不写时这一项不匹配任何 Pod。',
    topologyKey: '节点标签的键，决定什么算“在一起”：例如 `kubernetes.io/hostname` 表示同一节点，`topology.kubernetes.io/zone` 表示同一可用区。不能为空。',
  },
  [CORE + 'TopologySpreadConstraint']: {
    maxSkew: '允许的最大不均衡程度：`whenUnsatisfiable: DoNotSchedule` 时，任一拓扑域中匹配的 Pod 数与最少的拓扑域之差不能超过它；`ScheduleAnyway` 时只影响打分。必填，必须大于 0。',
    topologyKey: '节点标签的键：这个标签值相同的节点属于同一拓扑域，例如 `kubernetes.io/hostname`（每个节点一个域）、`topology.kubernetes.io/zone`（每个可用区一个域）。必填。',
    // pkg/apis/core/validation ValidateWhenUnsatisfiable: only DoNotSchedule and ScheduleAnyway, an empty value is rejected.
    whenUnsatisfiable: '无法满足约束时怎么办：`DoNotSchedule` 不调度（Pod 保持 Pending），`ScheduleAnyway` 仍然调度，但优先选择能减小不均衡的节点。必填。',
    labelSelector: '用来统计每个拓扑域中已有多少个匹配 Pod 的标签选择器，通常与 Pod 自己的标签一致。',
  },
  [CORE + 'Toleration']: {
    key: '容忍的污点键。为空时匹配所有污点键，此时 `operator` 必须是 `Exists`。',
    operator: '键与值的关系：`Equal`（默认，值必须相等）或 `Exists`（只要有这个键就匹配，不看值，此时不写 `value`）。',
    value: '要匹配的污点值；`operator` 为 `Exists` 时应为空。',
    effect: '要匹配的污点效果：`NoSchedule`、`PreferNoSchedule` 或 `NoExecute`；为空表示匹配所有效果。',
    tolerationSeconds: '只对 `NoExecute` 效果有效：节点出现这个污点后，Pod 还能在节点上继续运行多少秒，之后被驱逐。不写表示一直容忍（不驱逐），0 或负数表示立即驱逐。',
  },
  [CORE + 'Volume']: {
    name: '卷名，须是 DNS 标签（小写字母、数字和 `-`），在 Pod 中唯一。容器的 `volumeMounts[].name` 用它引用这个卷。',
    configMap: '用 ConfigMap 的数据填充这个卷：每个键成为一个文件，文件内容是对应的值。ConfigMap 更新后，挂载的文件会在一段时间后自动更新（以 subPath 挂载的除外）。',
    secret: '用 Secret 的数据填充这个卷：每个键成为一个文件，内容是解码后的值。文件存放在内存文件系统（tmpfs）中，不写入节点磁盘。',
    emptyDir: '空目录卷：Pod 被调度到节点上时创建，初始为空，Pod 中的容器可以共享它。容器崩溃重启时数据还在，Pod 从节点上删除时数据被永久删除。',
    persistentVolumeClaim: '使用同一命名空间中某个 PersistentVolumeClaim（写 `claimName`）绑定的持久卷；数据不会随 Pod 的删除而丢失。',
    hostPath: '把节点上的文件或目录直接挂载到容器中。Pod 换到另一个节点就会看到另一台机器的内容，还有安全风险，大多数应用不应使用。',
  },
  [CORE + 'ConfigMapVolumeSource']: {
    name: '要挂载的 ConfigMap 的名字（在 Pod 的命名空间中）。',
    items: '只挂载列出的键，并指定各自的文件路径（`key`、`path`）；不写时 ConfigMap 的每个键都成为一个同名文件。列出的键不存在时卷无法挂载，除非写了 `optional: true`。',
    defaultMode: '所创建文件的默认权限位，默认为 0644。YAML 中可以写八进制（如 `0400`），JSON 中只能写十进制（如 `256`）。',
  },
  [CORE + 'SecretVolumeSource']: {
    secretName: '要挂载的 Secret 的名字（在 Pod 的命名空间中）。',
    items: '只挂载列出的键，并指定各自的文件路径（`key`、`path`）；不写时 Secret 的每个键都成为一个同名文件。列出的键不存在时卷无法挂载，除非写了 `optional: true`。',
    defaultMode: '所创建文件的默认权限位，默认为 0644。YAML 中可以写八进制（如 `0400`），JSON 中只能写十进制（如 `256`）。',
  },
  [CORE + 'EmptyDirVolumeSource']: {
    medium: '存储介质：默认为 `""`，使用节点的默认存储（通常是磁盘）；写 `Memory` 则使用内存文件系统（tmpfs），写入的数据计入容器的内存用量。',
    sizeLimit: '这个 emptyDir 最多可以使用的本地存储量，例如 `1Gi`，对 `Memory` 介质同样有效；超过后 Pod 会被驱逐。不写表示不限制。',
  },
  [CORE + 'PersistentVolumeClaimVolumeSource']: {
    claimName: '与 Pod 在同一命名空间中的 PersistentVolumeClaim 的名字。',
    readOnly: '为 true 时强制以只读方式挂载，默认为 false。',
  },
  [CORE + 'HostPathVolumeSource']: {
    path: '节点上的文件或目录的路径；是符号链接时会跟随到真实路径。',
    type: '挂载前对路径的检查：默认为 `""`（不检查）；`DirectoryOrCreate`、`FileOrCreate` 在路径不存在时创建；`Directory`、`File`、`Socket` 等要求路径已存在且类型正确，否则 Pod 无法启动。',
  },
  [CORE + 'ServiceSpec']: {
    type: 'Service 的暴露方式：`ClusterIP`（默认，只在集群内部可访问的虚拟 IP）、`NodePort`（另外在每个节点上开放一个端口）、`LoadBalancer`（再加一个外部负载均衡器）、`ExternalName`（只是指向外部域名的 DNS 别名）。',
    selector: '标签选择器：标签与这里所有键值对都匹配的 Pod 是这个 Service 的后端，其中已就绪的 Pod 才接收流量。不写时 Kubernetes 不管理它的端点，需要自己创建 EndpointSlice。',
    ports: 'Service 暴露的端口列表：每项把 Service 的 `port` 转发到后端 Pod 的 `targetPort`。有多个端口时每项都必须有 `name`。',
    clusterIP: 'Service 的集群内部虚拟 IP，通常不写，由系统从 Service 网段中自动分配。写 `None` 表示无头 Service（headless）：不分配虚拟 IP，DNS 直接返回各个 Pod 的 IP。',
    sessionAffinity: '会话亲和性：`None`（默认）不保持会话；`ClientIP` 让来自同一客户端 IP 的连接总是转发到同一个后端 Pod（保持时间由 `sessionAffinityConfig` 设置，默认 3 小时）。',
    externalTrafficPolicy: '从集群外部（NodePort、LoadBalancer）进来的流量如何分发：`Cluster`（默认）转发到所有就绪的后端 Pod，客户端源 IP 会被改写；`Local` 只转发到收到流量的节点上的 Pod，保留客户端源 IP，该节点上没有后端时流量被丢弃。',
  },
  [CORE + 'ServicePort']: {
    port: 'Service 自己对外暴露的端口：客户端访问 `<Service 名或 ClusterIP>:<port>`。',
    targetPort: '流量被转发到的 Pod 端口：可以写数字，也可以写容器端口的名字（`ports[].name`）。不写时与 `port` 相同。',
    nodePort: '`NodePort` 或 `LoadBalancer` 类型时在每个节点上开放的端口，默认范围 30000–32767。通常不写，由系统自动分配；写了则必须在范围内且未被占用。',
    name: '端口名，须是 DNS 标签，在 Service 中唯一；Service 只有一个端口时可以省略。EndpointSlice 中的端口按这个名字对应。',
    protocol: '端口的协议：`TCP`（默认）、`UDP` 或 `SCTP`。',
  },
  [BATCH + 'JobSpec']: {
    completions: '需要多少个 Pod 成功结束，Job 才算完成。它和 `parallelism` 都不写时都为 1（运行一个 Pod 直到成功）；只写 `parallelism` 时为工作队列模式，任一 Pod 成功即表示完成。',
    parallelism: '同一时刻最多同时运行多少个 Pod，默认为 1。剩余未完成的数量少于它时，实际运行的 Pod 会更少；设为 0 相当于暂停 Job。',
    backoffLimit: '失败重试的次数上限，默认为 6；设置了 `backoffLimitPerIndex` 时默认为 2147483647（不限，失败只按索引计数）。失败的 Pod 数超过它后，Job 被标记为失败（原因 `BackoffLimitExceeded`），不再创建新 Pod；每次重试之间的等待时间会指数增长。',
    activeDeadlineSeconds: 'Job 从开始运行算起最多可以运行多少秒，优先于 `backoffLimit`。超时后 Job 的所有运行中的 Pod 被终止，Job 以原因 `DeadlineExceeded` 失败。',
    ttlSecondsAfterFinished: 'Job 结束（完成或失败）后再过多少秒被自动删除（它的 Pod 随之删除）。不写则不会自动删除；设为 0 表示结束后立即可以被删除。',
    completionMode: '完成的计数方式：`NonIndexed`（默认）成功的 Pod 数达到 `completions` 即完成；`Indexed` 给每个 Pod 分配 0 到 `completions - 1` 的索引（在注解 `batch.kubernetes.io/job-completion-index` 中），每个索引都有一个 Pod 成功才算完成。',
    podFailurePolicy: 'Pod 失败的处理策略：按规则根据容器退出码或 Pod 状态条件决定让 Job 立即失败（`FailJob`）、忽略这次失败（`Ignore`），还是照常计入 `backoffLimit`（`Count`）。不写时每次失败都计入 `backoffLimit`；不能与 `restartPolicy: OnFailure` 一起使用。',
    suspend: '为 true 时挂起 Job：控制器不创建 Pod，已在运行的 Pod 会被删除，默认为 false。挂起会重置 Job 的开始时间，`activeDeadlineSeconds` 也随之重新计时。',
  },
  [BATCH + 'PodFailurePolicy']: {
    rules: '按顺序检查的规则列表（最多 20 条），第一条匹配的规则生效；没有规则匹配时按默认方式处理，失败计入 `backoffLimit`。',
  },
  [BATCH + 'PodFailurePolicyRule']: {
    action: '规则匹配时的动作：`FailJob`（Job 立即失败并终止所有运行中的 Pod）、`FailIndex`（只把该索引标记为失败，用于 Indexed Job）、`Ignore`（不计入 `backoffLimit`，另外创建一个 Pod）、`Count`（照常计入 `backoffLimit`）。',
    onExitCodes: '按容器的退出码匹配（`operator` 为 `In` 或 `NotIn`，`values` 为退出码列表）；成功退出（退出码 0）的容器不参与检查。',
    onPodConditions: '按 Pod 的状态条件匹配，例如 `type: DisruptionTarget` 表示 Pod 因驱逐、抢占等中断而失败；列表中任一项匹配即可。',
  },
  [BATCH + 'CronJobSpec']: {
    schedule: 'Cron 格式的运行计划（分 时 日 月 周），例如 `*/5 * * * *` 表示每 5 分钟一次，也可以写 `@hourly`、`@daily` 等。按 kube-controller-manager 所在时区解释，除非设置了 `timeZone`。',
    concurrencyPolicy: '上一次 Job 还没结束、新的运行时间又到了时怎么办：`Allow`（默认，同时运行）、`Forbid`（跳过这一次）、`Replace`（删除正在运行的 Job，用新的替换它）。',
    suspend: '为 true 时暂停调度：不再创建新的 Job，已经在运行的 Job 不受影响，默认为 false。',
    jobTemplate: '每次到点时创建的 Job 的模板，其中的 `spec` 与 Job 的 spec 相同。',
    timeZone: '解释 `schedule` 所用的时区名，例如 `Asia/Shanghai`、`Etc/UTC`。不写时使用 kube-controller-manager 进程所在的时区；不能在 `schedule` 中写 `TZ=` 或 `CRON_TZ=` 代替它。',
    startingDeadlineSeconds: '错过计划时间（例如控制器暂时停止）后，最多晚多少秒仍然启动这一次 Job；超过期限的这次运行被跳过，计为失败。不写则没有期限。',
    successfulJobsHistoryLimit: '保留多少个成功结束的 Job（连同它们的 Pod），默认为 3，更早的会被删除。',
    failedJobsHistoryLimit: '保留多少个失败的 Job（连同它们的 Pod），默认为 1，更早的会被删除。',
  },
  [APPS + 'StatefulSetSpec']: {
    serviceName: '管理这些 Pod 网络身份的无头 Service 的名字，必须先于 StatefulSet 存在。每个 Pod 由此得到稳定的 DNS 名称：`<pod 名>.<serviceName>.<命名空间>.svc.cluster.local`。',
    volumeClaimTemplates: '存储卷声明模板：StatefulSet 控制器为每个 Pod 按模板创建自己的 PersistentVolumeClaim（名为 `<模板名>-<pod 名>`），Pod 重建后仍挂载原来的存储。缩容或删除 StatefulSet 时默认保留这些声明。',
    podManagementPolicy: 'Pod 的创建和删除方式：`OrderedReady`（默认）按序号逐个创建，前一个就绪后才创建下一个，缩容时倒序逐个删除；`Parallel` 同时创建或删除所有 Pod，不等待。',
    replicas: '期望的 Pod 副本数，默认为 1。Pod 按序号命名为 `<名字>-0`、`<名字>-1`……，每个都有稳定的名字和存储。',
    updateStrategy: '修改 Pod 模板后如何更新 Pod：`RollingUpdate`（默认）按序号从大到小逐个重建；`OnDelete` 只在 Pod 被手动删除后才按新模板重建。',
    persistentVolumeClaimRetentionPolicy: '由 `volumeClaimTemplates` 创建的 PVC 在 StatefulSet 被删除（`whenDeleted`）或缩容（`whenScaled`）时是保留（`Retain`，默认）还是删除（`Delete`）。',
  },
  [APPS + 'StatefulSetUpdateStrategy']: {
    type: '更新策略类型：`RollingUpdate`（默认）按序号从大到小自动逐个更新 Pod；`OnDelete` 不自动更新，Pod 被手动删除后才按新模板重建。',
    rollingUpdate: '滚动更新的参数（如 `partition`），只在 `type: RollingUpdate` 时有效。',
  },
  [APPS + 'RollingUpdateStatefulSetStrategy']: {
    partition: '分区序号，默认为 0：滚动更新时只更新序号大于或等于它的 Pod，序号更小的保持旧版本，可用来做金丝雀发布或分阶段发布。',
  },
  [APPS + 'StatefulSetPersistentVolumeClaimRetentionPolicy']: {
    whenDeleted: '删除 StatefulSet 时如何处理由 `volumeClaimTemplates` 创建的 PVC：`Retain`（默认）保留，`Delete` 一并删除。',
    whenScaled: '缩容时如何处理多出来的 Pod 的 PVC：`Retain`（默认）保留（再次扩容时重新使用），`Delete` 删除。',
  },
  [APPS + 'DaemonSetSpec']: {
    updateStrategy: '修改 Pod 模板后如何替换各节点上的旧 Pod：`RollingUpdate`（默认）自动逐步替换，`OnDelete` 只在旧 Pod 被手动删除后才创建新 Pod。',
    minReadySeconds: '新 Pod 就绪后还要持续多少秒没有容器崩溃才算可用，默认为 0（一就绪就算可用）。',
    revisionHistoryLimit: '保留多少个旧版本（ControllerRevision）以便回滚，默认为 10。',
  },
  [APPS + 'DaemonSetUpdateStrategy']: {
    type: '更新策略类型：`RollingUpdate`（默认）逐个节点地用新 Pod 替换旧 Pod；`OnDelete` 只在某个节点上的旧 Pod 被删除后才在该节点上创建新 Pod。',
    rollingUpdate: '滚动更新的参数（`maxUnavailable`、`maxSurge`），只在 `type: RollingUpdate` 时有效。',
  },
  [APPS + 'RollingUpdateDaemonSet']: {
    maxUnavailable: '更新时最多允许多少个节点上的 DaemonSet Pod 不可用，可写数字或百分比（向上取整），默认为 1。`maxSurge` 为 0 时它不能为 0。',
    maxSurge: '更新时最多允许多少个节点先启动新 Pod、等它可用后再删除旧 Pod（期间该节点上有两个 Pod），可写数字或百分比（向上取整，至少为 1），默认为 0。不能与 `maxUnavailable` 同时为 0。',
  },
  [CORE + 'ConfigMap']: {
    data: '配置数据：UTF-8 字符串的键值对，键只能由字母、数字、`-`、`_`、`.` 组成。Pod 可以把它们作为环境变量引用，或挂载为卷中的文件（每个键一个文件）。',
    immutable: '为 true 时 `data` 和 `binaryData` 不能再修改（只能改元数据），也不能再改回 false，只能删除后重建。不写时数据可以随时修改。',
  },
  [CORE + 'Secret']: {
    data: '敏感数据的键值对，值必须是 base64 编码的（只是编码，不是加密）。Pod 可以把它们作为环境变量引用，或挂载为卷中的文件，文件内容是解码后的原始数据。',
    stringData: '以明文字符串写入的数据，写入时由 API Server 编码后合并进 `data`（同名键覆盖 `data` 中的值）。它只用于写入，读取 Secret 时不会返回。',
    type: 'Secret 的类型，决定必须包含哪些键，默认为 `Opaque`（任意数据）。例如 `kubernetes.io/tls` 需要 `tls.crt` 和 `tls.key`，`kubernetes.io/dockerconfigjson` 需要 `.dockerconfigjson`。',
    immutable: '为 true 时 `data` 不能再修改（只能改元数据），也不能再改回 false，只能删除后重建。不写时数据可以随时修改。',
  },
  [CORE + 'PersistentVolumeClaimSpec']: {
    accessModes: '需要的访问模式：`ReadWriteOnce`（单个节点读写）、`ReadOnlyMany`（多个节点只读）、`ReadWriteMany`（多个节点读写）、`ReadWriteOncePod`（单个 Pod 读写）。只能绑定到支持这些模式的持久卷。',
    resources: '声明需要的存储量，写在 `requests.storage` 中（例如 `1Gi`）。绑定的 PersistentVolume 容量不小于它；之后只能调大，并且需要存储类允许扩容。',
    storageClassName: '使用的存储类（StorageClass）名字，由它的供应器动态创建持久卷。不写时使用集群的默认存储类；写 `""` 表示不用动态供应，只绑定没有存储类的已有持久卷。',
    volumeMode: '需要的卷模式：`Filesystem`（默认，挂载为目录）或 `Block`（原始块设备），只能绑定到模式相同的持久卷。',
    volumeName: '要绑定的 PersistentVolume 的名字。通常不写，由系统寻找合适的卷或动态创建，绑定后自动填入；写了则只绑定到这个卷。',
  },
  [CORE + 'PersistentVolumeSpec']: {
    capacity: '持久卷的容量，写在 `storage` 中，例如 `storage: 10Gi`。PVC 只会绑定到容量不小于它所请求的卷。',
    accessModes: '这个卷支持的访问模式（`ReadWriteOnce`、`ReadOnlyMany`、`ReadWriteMany`、`ReadWriteOncePod`）。PVC 请求的模式都在其中，才能绑定到这个卷。',
    persistentVolumeReclaimPolicy: '卷被 PVC 释放后怎么处理：`Retain`（手动创建的卷默认）保留数据，卷变为 Released，等待管理员处理；`Delete`（动态供应的卷默认）删除卷和底层存储；`Recycle` 已弃用。',
    storageClassName: '卷所属的存储类（StorageClass）名字。PVC 只会绑定到存储类名相同的卷；为空表示不属于任何存储类。',
    volumeMode: '卷的使用方式：`Filesystem`（默认，格式化为文件系统后挂载）或 `Block`（作为原始块设备交给容器）。',
  },
  [CORE + 'VolumeResourceRequirements']: {
    requests: '声明至少需要的存储量，键为 `storage`，例如 `storage: 1Gi`。',
  },
  [CORE + 'NamespaceSpec']: {
    finalizers: '命名空间的 finalizer 列表（通常只有 `kubernetes`）：删除命名空间时，系统先删除其中的所有对象，再移除这里的条目，命名空间才真正消失；在此之前它处于 `Terminating` 状态。',
  },
  [CORE + 'NodeSpec']: {
    unschedulable: '为 true 时节点不可调度：新的 Pod 不会被调度到这里，已在运行的 Pod 不受影响；不写时节点可调度。`kubectl cordon`/`uncordon` 修改的就是它。',
    taints: '节点的污点列表：没有相应容忍（toleration）的 Pod 不会被调度到这里（`NoSchedule`）、尽量不被调度到这里（`PreferNoSchedule`），或者连已在运行的也被驱逐（`NoExecute`）。',
    podCIDR: '分配给这个节点的 Pod IP 地址段（CIDR），节点上的 Pod 从中获得 IP，通常由控制器自动分配。',
  },
  [CORE + 'Taint']: {
    key: '污点的键，必填，例如 `node-role.kubernetes.io/control-plane`。',
    value: '污点的值，可以不写。',
    effect: '污点对不容忍它的 Pod 的作用，必填：`NoSchedule`（不调度新 Pod）、`PreferNoSchedule`（尽量不调度）、`NoExecute`（不调度，并驱逐已在运行的 Pod）。',
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
