/**
 * Short explanations of kinds, written for this project, shown on hover over
 * `kind` and `apiVersion`: what the object is for, which controller acts on
 * it, and how it relates to pods. English and Simplified Chinese.
 */

export interface KindText {
  en: string;
  zh: string;
}

export const KIND_TEXTS: Record<string, KindText> = {
  Pod: {
    en: 'The smallest thing Kubernetes runs: one or more containers that share a network address and volumes and are scheduled onto one node together. The scheduler picks the node and the kubelet on that node starts the containers. You rarely write Pods by hand; workload controllers (Deployment, Job, …) create them from a pod template and replace them when they go away.',
    zh: 'Kubernetes 运行的最小单元：一个或多个容器，共享同一网络地址和卷，并一起被调度到同一节点上。调度器（scheduler）选择节点，该节点上的 kubelet 启动容器。一般很少直接编写 Pod，而是由工作负载控制器（Deployment、Job 等）根据 Pod 模板创建，并在 Pod 消失时重新创建。',
  },
  Deployment: {
    en: 'Keeps a number of identical, stateless pods running and rolls out changes gradually. The deployment controller creates a ReplicaSet for each version of the pod template and scales the new one up and the old ones down (RollingUpdate or Recreate); the ReplicaSets in turn create the Pods. `spec.selector` must match the template labels.',
    zh: '让指定数量的相同、无状态的 Pod 持续运行，并逐步发布变更。Deployment 控制器为 Pod 模板的每个版本创建一个 ReplicaSet，把新的扩容、旧的缩容（RollingUpdate 或 Recreate 策略）；再由 ReplicaSet 创建 Pod。`spec.selector` 必须与模板标签匹配。',
  },
  ReplicaSet: {
    en: 'Keeps exactly `replicas` pods matching its selector alive: the replicaset controller creates pods from the template when there are too few and deletes some when there are too many. Usually owned and managed by a Deployment rather than written directly.',
    zh: '保证与其选择器匹配的 Pod 数量恰好等于 `replicas`：ReplicaSet 控制器在数量不足时按模板创建 Pod，过多时删除多余的 Pod。通常由 Deployment 拥有和管理，而不是直接编写。',
  },
  ReplicationController: {
    en: 'The original way to keep a fixed number of pods running, with an equality-only selector (a plain label map). The replication controller creates and deletes pods to match `replicas`. Superseded by ReplicaSet and Deployment; kept for compatibility.',
    zh: '最早用于维持固定数量 Pod 的对象，其选择器只支持等值匹配（普通标签映射）。ReplicationController 控制器创建或删除 Pod 以满足 `replicas`。已被 ReplicaSet 和 Deployment 取代，仅为兼容而保留。',
  },
  DaemonSet: {
    en: 'Runs one copy of a pod on every node (or on the nodes its node selector and tolerations allow), e.g. log collectors and node agents. The daemonset controller creates a pod for each eligible node, including nodes that join later, and removes it when the node goes.',
    zh: '在每个节点（或节点选择器、容忍度允许的节点）上运行一个 Pod 副本，例如日志采集器和节点代理。DaemonSet 控制器为每个符合条件的节点创建 Pod，包括之后加入的节点，节点移除时 Pod 也随之删除。',
  },
  StatefulSet: {
    en: 'Runs pods that need a stable identity and storage, such as databases: pods are named `<name>-0`, `<name>-1`, … are created and updated in order, and each can get its own PersistentVolumeClaim from `volumeClaimTemplates`. The statefulset controller manages them; a headless Service (`serviceName`) gives them stable DNS names.',
    zh: '运行需要稳定身份和存储的 Pod，例如数据库：Pod 名为 `<name>-0`、`<name>-1`……按顺序创建和更新，每个 Pod 可从 `volumeClaimTemplates` 获得自己的 PersistentVolumeClaim。由 StatefulSet 控制器管理；无头 Service（`serviceName`）为它们提供稳定的 DNS 名称。',
  },
  Job: {
    en: 'Runs pods until a number of them finish successfully, for batch work. The job controller creates pods from the template, retries failures up to `backoffLimit`, and marks the Job Complete or Failed. The template\'s `restartPolicy` must be `Never` or `OnFailure`.',
    zh: '运行 Pod 直到指定数量成功结束，用于批处理任务。Job 控制器按模板创建 Pod，失败时重试（最多 `backoffLimit` 次），并将 Job 标记为完成或失败。模板的 `restartPolicy` 必须是 `Never` 或 `OnFailure`。',
  },
  CronJob: {
    en: 'Creates a Job on a cron schedule (`schedule`, e.g. `*/5 * * * *`). The cronjob controller creates each Job from `jobTemplate`, and each Job creates the Pods; `concurrencyPolicy` decides what happens when runs overlap.',
    zh: '按 cron 计划（`schedule`，例如 `*/5 * * * *`）创建 Job。CronJob 控制器根据 `jobTemplate` 创建每个 Job，再由 Job 创建 Pod；`concurrencyPolicy` 决定运行重叠时如何处理。',
  },
  Service: {
    en: 'A stable virtual IP and DNS name in front of a changing set of pods: the pods whose labels match `spec.selector`. The endpoints controllers keep the list of ready pod addresses and kube-proxy routes `port` to each pod\'s `targetPort` (a number or a named container port). `type` decides whether it is reachable only inside the cluster (ClusterIP), on every node (NodePort) or through a load balancer.',
    zh: '在一组不断变化的 Pod 前提供稳定的虚拟 IP 和 DNS 名称：即标签与 `spec.selector` 匹配的 Pod。Endpoints 相关控制器维护就绪 Pod 的地址列表，kube-proxy 把 `port` 转发到各 Pod 的 `targetPort`（数字或容器端口名）。`type` 决定只在集群内可达（ClusterIP）、在每个节点上可达（NodePort）还是通过负载均衡器访问。',
  },
  Secret: {
    en: 'Holds small pieces of sensitive data (passwords, tokens, keys). Values in `data` are base64-encoded; `stringData` takes plain text. Pods use it as environment variables (`secretKeyRef`, `envFrom`) or as files in a `secret` volume; the kubelet fetches it for the pods on its node. No controller acts on it.',
    zh: '保存少量敏感数据（密码、令牌、密钥）。`data` 中的值需经过 base64 编码；`stringData` 可直接写明文。Pod 通过环境变量（`secretKeyRef`、`envFrom`）或 `secret` 卷中的文件使用它；由节点上的 kubelet 为其 Pod 获取。没有控制器作用于它。',
  },
  ConfigMap: {
    en: 'Holds non-secret configuration as key-value pairs. Pods read it as environment variables (`configMapKeyRef`, `envFrom`) or as files in a `configMap` volume, which the kubelet keeps up to date. No controller acts on it; changing it does not restart pods.',
    zh: '以键值对保存非敏感配置。Pod 通过环境变量（`configMapKeyRef`、`envFrom`）或 `configMap` 卷中的文件读取，kubelet 会保持卷中文件更新。没有控制器作用于它；修改它不会重启 Pod。',
  },
  Namespace: {
    en: 'A named scope for names: most objects (Pods, Services, Deployments…) live in a namespace, and names only need to be unique within it. The namespace controller deletes everything inside when the Namespace is deleted. Nodes and PersistentVolumes are cluster-wide and live in none.',
    zh: '名称的作用域：大多数对象（Pod、Service、Deployment……）都属于某个命名空间，名称只需在其中唯一。删除 Namespace 时，命名空间控制器会删除其中的所有对象。Node 和 PersistentVolume 属于集群级资源，不在任何命名空间中。',
  },
  PersistentVolume: {
    en: 'A piece of storage in the cluster (a disk, an NFS share, a host path), created by an administrator or by a provisioner. The persistent-volume controller binds it to a matching PersistentVolumeClaim; pods then use the claim, never the volume directly. Cluster-wide, not namespaced.',
    zh: '集群中的一块存储（磁盘、NFS 共享、主机路径），由管理员或存储供应器创建。PersistentVolume 控制器将其绑定到匹配的 PersistentVolumeClaim；Pod 通过声明使用存储，而不直接引用卷。属于集群级资源，不在命名空间中。',
  },
  PersistentVolumeClaim: {
    en: 'A request for storage (size and access mode) that pods mount through a `persistentVolumeClaim` volume. The persistent-volume controller binds it to a PersistentVolume or has one provisioned from its StorageClass; the pod waits until the claim is bound.',
    zh: '对存储的申请（容量和访问模式），Pod 通过 `persistentVolumeClaim` 卷挂载它。PersistentVolume 控制器将其绑定到某个 PersistentVolume，或按其 StorageClass 动态创建一个；在声明绑定之前 Pod 会一直等待。',
  },
  Node: {
    en: 'A worker machine that runs pods. The kubelet on it registers the Node and reports its capacity and conditions; the node lifecycle controller marks it NotReady and evicts pods when heartbeats stop; the scheduler assigns pods to nodes. Usually created by the kubelet, not written by hand.',
    zh: '运行 Pod 的工作机器。节点上的 kubelet 注册 Node 并上报其容量和状态；心跳停止时，节点生命周期控制器将其标记为 NotReady 并驱逐 Pod；调度器把 Pod 分配到节点上。通常由 kubelet 创建，而不是手写。',
  },
  Ingress: {
    en: 'HTTP(S) routing from outside the cluster to Services, by host and path. An ingress controller (nginx, Traefik, a cloud load balancer…) chosen by `ingressClassName` reads it and configures its proxy; the traffic then reaches the pods behind the Services.',
    zh: '按主机名和路径把集群外部的 HTTP(S) 流量路由到 Service。由 `ingressClassName` 选定的 Ingress 控制器（nginx、Traefik、云负载均衡器等）读取它并配置代理，流量再到达 Service 后面的 Pod。',
  },
  HorizontalPodAutoscaler: {
    en: 'Scales a Deployment, StatefulSet or ReplicaSet between `minReplicas` and `maxReplicas` from observed metrics such as CPU use. The horizontal-pod-autoscaler controller changes the target\'s replica count, which in turn adds or removes pods.',
    zh: '根据观测到的指标（如 CPU 使用率）在 `minReplicas` 与 `maxReplicas` 之间伸缩 Deployment、StatefulSet 或 ReplicaSet。HPA 控制器修改目标的副本数，进而增加或减少 Pod。',
  },
  NetworkPolicy: {
    en: 'Which connections the pods it selects may take in (ingress) and open (egress), by pod and namespace labels, IP blocks and ports. Once any policy selects a pod for a direction, only what some policy allows gets through; the rest is dropped and the client times out. The network plugin (Calico, Cilium…) enforces it; without one that does, it has no effect. Remember DNS: pods isolated for egress need a rule to the kube-dns pods on port 53.',
    zh: '规定其选中的 Pod 可以接受哪些入站连接（ingress）、可以发起哪些出站连接（egress），依据 Pod 和命名空间的标签、IP 段和端口。一旦有策略在某个方向选中了 Pod，该方向只放行某条策略允许的连接，其余被丢弃，客户端会等到超时。由网络插件（Calico、Cilium 等）执行；没有支持它的插件时不起作用。别忘了 DNS：出站被隔离的 Pod 需要一条规则放行到 kube-dns Pod 的 53 端口。',
  },
  ResourceQuota: {
    en: 'Caps what a namespace may use in total: pods and other object counts, the sum of CPU and memory requests and limits, storage. The resourcequota controller counts the usage into `status.used`; quota admission refuses what would go over (`exceeded quota: …`), and while a quota tracks requests or limits every container must state them.',
    zh: '限制一个命名空间的总用量：Pod 等对象的数量、CPU 和内存请求与限制之和、存储。resourcequota 控制器把用量统计到 `status.used`；配额准入会拒绝超限的对象（`exceeded quota: …`），并且配额跟踪请求或限制时，每个容器都必须声明它们。',
  },
  LimitRange: {
    en: 'Defaults and bounds for the containers, pods and claims of a namespace: the LimitRanger admission plugin fills in the requests and limits a container leaves out and refuses what is outside min, max or the limit/request ratio.',
    zh: '命名空间中容器、Pod 和存储卷声明的默认值与上下限：LimitRanger 准入插件为未写请求和限制的容器补上默认值，并拒绝超出 min、max 或限制/请求比的对象。',
  },
  ServiceAccount: {
    en: 'An identity for processes running in pods; a pod names it in `serviceAccountName` and gets its token mounted. The serviceaccount controller creates the `default` account in every namespace.',
    zh: 'Pod 中运行的进程所使用的身份；Pod 在 `serviceAccountName` 中指定它，并挂载其令牌。ServiceAccount 控制器会在每个命名空间中创建 `default` 账户。',
  },
  List: {
    en: 'Not a stored object: a wrapper that carries several objects in `items`, as `kubectl get -o yaml` prints them. Each item is checked as its own object.',
    zh: '不是存储的对象，而是把多个对象放在 `items` 中的包装，`kubectl get -o yaml` 就以这种形式输出。每个条目都会作为独立对象进行检查。',
  },
};
