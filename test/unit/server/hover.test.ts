import * as assert from 'assert';
import { getSchema } from '../../../kube/src/schema/index';
import { enumTextKeys } from '../../../server/src/i18n/enums';
import { fieldTextKeys } from '../../../server/src/i18n/fields';
import { doHover } from '../../../server/src/service/hover';
import { setup } from './harness';

function hover(marked: string, opts: Parameters<typeof setup>[1] = {}) {
  const { model, pos, ctx } = setup(marked, opts);
  return doHover(model, pos, ctx)?.contents.value;
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        imagePullPolicy: Always
        resources:
          limits:
            cpu: 500m
            memory: 128Mi
`;

describe('server/hover', () => {
  it('shows a file mode\'s default in octal, as upstream writes it, with its number (0644 is 420; 644 would be refused)', () => {
    const h = hover(DEPLOY.replace('        image: nginx\n', '        image: nginx\n').replace('      containers:', '      volumes:\n      - name: cfg\n        configMap:\n          name: cfg\n          default|Mode: 420\n      containers:'))!;
    assert.match(h, /Default: `0644` \(= 420\)/);
    // A projected volume's default is set by SetDefaults_ProjectedVolumeSource though its description does not say so.
    const projected = hover(DEPLOY.replace('      containers:', '      volumes:\n      - name: all\n        projected:\n          default|Mode: 420\n          sources: []\n      containers:'))!;
    assert.match(projected, /Default: `0644` \(= 420\)/);
  });

  it('shows description, type, required, default, allowed values, full path and reference link on a key', () => {
    const h = hover(DEPLOY.replace('imagePullPolicy: Always', 'imagePull|Policy: Always'))!;
    assert.match(h, /Image pull policy/);
    assert.match(h, /`string`/);
    assert.match(h, /optional/);
    assert.match(h, /Default: `"Always"`/, 'nginx has no tag: latest, so Always');
    assert.match(h, /`IfNotPresent`/);
    const tagged = hover(DEPLOY.replace('image: nginx', 'image: nginx:1.25').replace('imagePullPolicy: Always', 'imagePull|Policy: Always'))!;
    assert.match(tagged, /Default: `"IfNotPresent"`/, 'a tagged image defaults to IfNotPresent');
    assert.match(h, /Path: `spec\.template\.spec\.containers\[0\]\.imagePullPolicy`/);
    assert.match(h, /https:\/\/kubernetes\.io\/docs\/reference\/generated\/kubernetes-api\/v1\.\d+\/#container-v1-core/);
    const zh = hover(DEPLOY.replace('imagePullPolicy: Always', 'imagePull|Policy: Always'), { locale: 'zh-cn' })!;
    assert.match(zh, /可选值/);
    assert.match(zh, /路径：`spec\.template\.spec\.containers\[0\]\.imagePullPolicy`/);
    // The Chinese text first, then the facts and the link; upstream's English text last, so a long one does not
    // push the path out of a hover that fits the screen.
    const order = ['路径：', 'API 参考', 'Kubernetes 文档原文：Image pull policy'].map((x) => zh.indexOf(x));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), zh);
    const name = hover(DEPLOY.replace('- name: web', '- na|me: web'))!;
    assert.match(name, /\*\*required\*\*/);
  });

  it('explains the playground\'s KUBEPLAY_CPU, KUBEPLAY_MEMORY and KUBEPLAY_LOAD variables on their name and value', () => {
    const withEnv = (v: string) => DEPLOY.replace('        imagePullPolicy: Always\n', `        imagePullPolicy: Always\n        env:\n        - name: ${v}\n          value: 400m\n`);
    assert.match(hover(withEnv('KUBEPLAY_C|PU'))!, /In the Kubeplay playground:\*\* `KUBEPLAY_CPU`: the container uses this much CPU/);
    assert.match(hover(withEnv('KUBEPLAY_LOAD').replace('value: 400m', 'value: 40|0m'))!, /shared by the workload's Ready pods/);
    assert.match(hover(withEnv('KUBEPLAY_MEMORY').replace('KUBEPLAY_MEMORY', 'KUBEPLAY_MEM|ORY'), { locale: 'zh-cn' })!, /容器使用这么多内存/);
    assert.doesNotMatch(hover(withEnv('OTHER_V|AR')) ?? '', /Kubeplay playground/);
    // A variable the container's official database image reads.
    const db = (v: string) => withEnv(v).replace('image: nginx', 'image: postgres:17');
    assert.match(hover(db('POSTGRES_PASS|WORD'))!, /^\*\*Read by the image:\*\* `POSTGRES_PASSWORD`: The superuser's password\. The entrypoint will not initialize a new database without it/);
    assert.match(hover(db('PGDA|TA'), { locale: 'zh-cn' })!, /数据目录的位置/);
    assert.doesNotMatch(hover(withEnv('POSTGRES_PASS|WORD')) ?? '', /Read by the image/);
  });

  it('warns on the image of a container that asks for more memory than its limit that it will be OOM-killed', () => {
    const stress = DEPLOY.replace('image: nginx', 'image: polinux/st|ress\n        command: ["stress"]\n        args: ["--vm", "1", "--vm-bytes", "250M"]');
    assert.match(hover(stress)!, /It asks for 250Mi of memory, over its `limits.memory` of 128Mi: the OOM killer ends it about a second after each start \(`OOMKilled`, exit code 137\)/);
    assert.match(hover(stress, { locale: 'zh-cn' })!, /OOMKilled/);
    assert.doesNotMatch(hover(DEPLOY.replace('image: nginx', 'image: ngi|nx'))!, /OOM/);
  });

  it('says on an image where its container listens, and which declared ports nothing serves', () => {
    const wrong = DEPLOY.replace('image: nginx', 'image: ngi|nx\n        ports:\n        - containerPort: 8080');
    assert.match(hover(wrong)!, /It listens on TCP port 80\. Nothing listens on the declared `containerPort` 8080: a Service, probe or port-forward aimed there is refused\./);
    assert.match(hover(wrong, { locale: 'zh-cn' })!, /它在 TCP 端口 80 上监听。声明的 `containerPort` 8080 上没有进程监听/);
    assert.match(hover(DEPLOY.replace('image: nginx', 'image: re|dis:7'))!, /It listens on TCP port 6379\./);
    assert.doesNotMatch(hover(DEPLOY.replace('image: nginx', 'image: example.com/a|pp:1'))!, /listens/, 'an unknown image without declared ports: nothing to say');
  });

  it('says on an nginx image when a volume is mounted over the folder it serves (the seed\'s hostPath: 403 Forbidden)', () => {
    const seed = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: mean
    image: ngi|nx
    volumeMounts:
    - name: data
      mountPath: /usr/share/nginx/html
      readOnly: true
  volumes:
  - name: data
    hostPath:
      path: /opt
`;
    assert.match(hover(seed)!, /It serves the files in `\/usr\/share\/nginx\/html`, where the volume `data` \(hostPath `\/opt`\) is mounted: it answers with what that volume holds, and \*\*403 Forbidden\*\* while the folder has no `index.html`\./);
    assert.match(hover(seed, { locale: 'zh-cn' })!, /它提供 `\/usr\/share\/nginx\/html` 中的文件，而卷 `data`（hostPath `\/opt`）挂载在那里/);
    assert.doesNotMatch(hover(seed.replace('mountPath: /usr/share/nginx/html', 'mountPath: /data'))!, /serves the files/);
  });

  it('tells on a container image what the container does in the playground, in English and Chinese', () => {
    const crash = DEPLOY.replace('image: nginx', 'image: kubeplay/cr|ash:after-5s');
    const en = hover(crash)!;
    assert.match(en, /In the Kubeplay playground:\*\* the container exits with code 1 after 5 s \(`Error`\)/);
    assert.match(en, /CrashLoopBackOff/);
    const zh = hover(crash, { locale: 'zh-cn' })!;
    assert.match(zh, /在 Kubeplay 模拟集群中：\*\* 容器在 5 秒后以退出码 1 退出/);
    assert.match(hover(DEPLOY.replace('image: nginx', 'image: ngi|nx'))!, /runs until it is stopped/);
    assert.match(hover(DEPLOY.replace('image: nginx', 'image: kubeplay/mis|sing'))!, /ImagePullBackOff/);
    // A made-up tag or a version past the image's series fails its pull in the playground; the hover says so too.
    assert.match(hover(DEPLOY.replace('image: nginx', 'image: nginx:no-such-t|ag'))!, /the image pull fails/);
    assert.match(hover(DEPLOY.replace('image: nginx', 'image: nginx:v9|9'))!, /ImagePullBackOff/);
    assert.match(hover(DEPLOY.replace('image: nginx', 'image: kubeplay/unhealthy:after-3|0s'))!, /probes start failing 30 s after each start/);
    // A Job's container that exits 0 under restartPolicy Never is not restarted.
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: kubeplay/exit:code-0-after-1|0s
`;
    const j = hover(job)!;
    assert.match(j, /exits with code 0 after 10 s \(`Completed`\)/);
    assert.match(j, /not restarted/);
    // Keys and other values get no playground note.
    assert.doesNotMatch(hover(DEPLOY.replace('image: nginx', 'ima|ge: nginx')) ?? '', /Kubeplay playground/);
  });

  it('explains kinds in English and Chinese with the version status', () => {
    const en = hover(DEPLOY.replace('kind: Deployment', 'kind: Deploy|ment'))!;
    assert.match(en, /ReplicaSet/);
    assert.match(en, /served in Kubernetes/);
    assert.match(en, /#deployment-v1-apps/);
    const zh = hover(DEPLOY.replace('kind: Deployment', 'kind: Deploy|ment'), { locale: 'zh-CN' })!;
    assert.match(zh, /控制器/);
    const old = hover(DEPLOY.replace('apiVersion: apps/v1', 'apiVersion: extensions/v1|beta1'))!;
    assert.match(old, /removed in Kubernetes 1\.16/);
    assert.match(old, /apps\/v1/);
    const still = hover(DEPLOY.replace('apiVersion: apps/v1', 'apiVersion: extensions/v1|beta1'), { kubernetesVersion: '1.12' })!;
    assert.match(still, /deprecated since 1\.9/);
  });

  it('has an explanation for every kind the project teaches, in both languages', () => {
    for (const kind of ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'DaemonSet', 'StatefulSet', 'Service', 'Secret', 'ConfigMap', 'Namespace', 'PersistentVolume', 'PersistentVolumeClaim', 'Node']) {
      const en = hover(`apiVersion: v1\nkind: ${kind}|\n`)!;
      const zh = hover(`apiVersion: v1\nkind: ${kind}|\n`, { locale: 'zh-cn' })!;
      assert.ok(en && zh && en !== zh, kind);
      assert.match(zh, /[\u4e00-\u9fff]/, kind);
    }
  });

  it('with a Chinese locale, puts the project\'s Chinese text for a common field above the upstream English one, wherever the type is used', () => {
    const han = /[\u4e00-\u9fff]/;
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    ima|ge: nginx\n`;
    const job = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        ima|ge: busybox\n`;
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            ima|ge: busybox\n`;
    for (const doc of [DEPLOY.replace('image: nginx', 'ima|ge: nginx'), pod, job, cron]) {
      const zh = hover(doc, { locale: 'zh-cn' })!;
      const cn = zh.indexOf('容器使用的镜像');
      const en = zh.indexOf('Container image name');
      assert.ok(cn > 0 && en > cn, `Chinese first, then upstream's English: ${zh}`);
      assert.match(zh, /\*\*image\*\*: `string` — 可选/);
      // English hovers are unchanged: upstream's text alone.
      const plain = hover(doc)!;
      assert.doesNotMatch(plain, han);
      assert.match(plain, /^\*\*image\*\*: `string` — optional\n\nContainer image name/);
    }
    const zh = (doc: string) => hover(doc, { locale: 'zh-cn' })!;
    assert.match(zh(DEPLOY.replace('spec:\n  selector', 'spec:\n  replicas: 3\n  selector').replace('replicas: 3', 'repl|icas: 3')), /期望运行的 Pod 副本数，默认为 1[\s\S]*Number of desired pods/);
    assert.match(zh(DEPLOY.replace('    metadata:\n      labels', '    metadata:\n      lab|els')), /标签[\s\S]*Map of string keys and values/, 'ObjectMeta in a pod template too');
    assert.match(zh(DEPLOY.replace('        resources:\n          limits', '        resources:\n          lim|its')), /OOMKilled，退出码 137/);
    const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    target|Port: http\n`;
    assert.match(zh(svc), /流量被转发到的 Pod 端口[\s\S]*Number or name of the port/);
    const pvc = `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: d\nspec:\n  access|Modes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n`;
    assert.match(zh(pvc), /`ReadWriteOnce`（单个节点读写）[\s\S]*accessModes contains the desired access modes/);
    // A field the project has not written about keeps upstream's English only, under the Chinese labels.
    const other = zh(DEPLOY.replace('imagePullPolicy: Always', 'imagePullPolicy: Always\n        terminationMessage|Path: /tmp/done'));
    assert.match(other, /— 可选\n\nOptional: Path at which the file to which the container's termination message will be written/);
    // A removed beta version has other defaults (extensions/v1beta1 keeps every old ReplicaSet): no Chinese text there.
    const beta = zh(DEPLOY.replace('apiVersion: apps/v1', 'apiVersion: extensions/v1beta1').replace('spec:\n  selector', 'spec:\n  revision|HistoryLimit: 3\n  selector'));
    assert.match(beta, /old ReplicaSets to retain/);
    assert.doesNotMatch(beta, /回滚/);
  });

  it('has Chinese text for about two hundred fields, each a real field of a served v1 definition', () => {
    const schema = getSchema();
    const keys = fieldTextKeys();
    assert.ok(keys.length >= 200, String(keys.length));
    for (const key of keys) {
      const [definition, field] = key.split('|');
      assert.ok(schema.def(definition)?.properties[field], key);
      // Beta versions default differently (apps/v1beta1 StatefulSets and extensions/v1beta1 DaemonSets update OnDelete): v1 only.
      assert.match(definition, /^io\.k8s\.(api\.(core|apps|batch)\.v1|apimachinery\.pkg\.apis\.meta\.v1)\.[A-Z]\w*$/, key);
    }
  });

  it('explains in Chinese the fields below a Pod spec, a controller spec, a Service, a volume and a Node', () => {
    const zh = (doc: string) => hover(doc, { locale: 'zh-cn' })!;
    const probe = DEPLOY.replace('        imagePullPolicy: Always\n', '        imagePullPolicy: Always\n        livenessProbe:\n          httpGet: {path: /healthz, port: 8080}\n          periodSeconds: 5\n');
    assert.match(zh(probe.replace('periodSeconds: 5', 'period|Seconds: 5')), /每隔多少秒探测一次，默认为 10[\s\S]*How often \(in seconds\) to perform the probe/);
    assert.match(zh(probe.replace('httpGet: {path', 'http|Get: {path')), /状态码在 200 到 399 之间表示成功/);
    assert.match(zh(DEPLOY.replace('matchLabels: {app: web}', 'match|Labels: {app: web}')), /要求标签与这里的每个键值对都相等[\s\S]*matchLabels is a map of \{key,value\} pairs/);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  tolerations:\n  - key: node.kubernetes.io/unreachable\n    operator: Exists\n    effect: NoExecute\n    tolerationSeconds: 300\n  containers:\n  - name: c\n    image: nginx\n    volumeMounts:\n    - name: conf\n      mountPath: /etc/app/app.conf\n      subPath: app.conf\n  volumes:\n  - name: conf\n    configMap:\n      name: app\n`;
    assert.match(zh(pod.replace('tolerationSeconds: 300', 'toleration|Seconds: 300')), /只对 `NoExecute` 效果有效[\s\S]*TolerationSeconds represents the period of time/);
    assert.match(zh(pod.replace('subPath: app.conf', 'sub|Path: app.conf')), /以 subPath 挂载的 ConfigMap、Secret 不会随之自动更新/);
    assert.match(zh(pod.replace('    configMap:\n', '    config|Map:\n')), /用 ConfigMap 的数据填充这个卷/);
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: "0 * * * *"\n  successfulJobsHistoryLimit: 3\n  jobTemplate:\n    spec:\n      ttlSecondsAfterFinished: 60\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox\n`;
    assert.match(zh(cron.replace('successfulJobsHistoryLimit', 'successfulJobs|HistoryLimit')), /保留多少个成功结束的 Job（连同它们的 Pod），默认为 3/);
    assert.match(zh(cron.replace('ttlSecondsAfterFinished', 'ttlSeconds|AfterFinished')), /Job 结束（完成或失败）后再过多少秒被自动删除/);
    const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {app: web}\n  ports:\n  - port: 80\n`;
    assert.match(zh(svc.replace('externalTrafficPolicy', 'externalTraffic|Policy')), /`Local` 只转发到收到流量的节点上的 Pod，保留客户端源 IP/);
    const node = `apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nspec:\n  unschedulable: true\n  taints:\n  - key: dedicated\n    effect: NoSchedule\n`;
    assert.match(zh(node.replace('unschedulable', 'unschedul|able')), /`kubectl cordon`\/`uncordon` 修改的就是它/);
    assert.match(zh(node.replace('    effect: NoSchedule', '    eff|ect: NoSchedule')), /污点对不容忍它的 Pod 的作用/);
    // The apps/v1 update strategies have Chinese text; apps/v1beta1 (OnDelete by default) keeps upstream's English alone.
    const sts = (version: string) => `apiVersion: ${version}\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  updateStrategy:\n    ty|pe: RollingUpdate\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: c\n        image: postgres\n`;
    assert.match(zh(sts('apps/v1')), /`RollingUpdate`（默认）按序号从大到小自动逐个更新 Pod/);
    const beta = zh(sts('apps/v1beta1'));
    assert.match(beta, /StatefulSetUpdateStrategy/);
    assert.doesNotMatch(beta, /按序号从大到小/);
  });

  it('explains an enum value', () => {
    const h = hover(DEPLOY.replace('imagePullPolicy: Always', 'imagePullPolicy: Alw|ays'))!;
    assert.match(h, /kubelet always attempts to pull/);
    assert.match(h, /`IfNotPresent`/);
  });

  it('has Chinese notes for the allowed values of the enums learners set, each a real value of a served v1 field', () => {
    const schema = getSchema();
    const keys = enumTextKeys();
    const fields = new Map<string, Set<string>>();
    for (const key of keys) {
      const [definition, field, value] = key.split('|');
      const f = schema.def(definition)?.properties[field];
      assert.ok(f, key);
      const t = f.type.kind === 'array' ? f.type.items : f.type;
      assert.ok(t.kind === 'primitive' && t.enum?.includes(value), `${key}: not among ${JSON.stringify(t.kind === 'primitive' ? t.enum : t)}`);
      assert.match(definition, /^io\.k8s\.api\.(core|apps|batch)\.v1\.[A-Z]\w*$/, key);
      fields.set(`${definition}|${field}`, (fields.get(`${definition}|${field}`) ?? new Set()).add(value));
    }
    // A field's list is all Chinese or all English: every value of a field the project covers has its note.
    for (const [key, values] of fields) {
      const [definition, field] = key.split('|');
      const f = schema.def(definition)!.properties[field];
      const t = f.type.kind === 'array' ? f.type.items : f.type;
      assert.deepStrictEqual([...values].sort(), [...(t.kind === 'primitive' ? t.enum ?? [] : [])].sort(), key);
    }
    const core = 'io.k8s.api.core.v1.';
    for (const key of [
      'Container|imagePullPolicy', 'PodSpec|restartPolicy', 'PodSpec|dnsPolicy', 'ServiceSpec|type', 'ServiceSpec|externalTrafficPolicy', 'ServiceSpec|sessionAffinity',
      'PersistentVolumeSpec|persistentVolumeReclaimPolicy', 'PersistentVolumeClaimSpec|accessModes', 'PersistentVolumeClaimSpec|volumeMode', 'ContainerPort|protocol', 'ServicePort|protocol',
      'Toleration|operator', 'Toleration|effect', 'Taint|effect', 'NodeSelectorRequirement|operator', 'TopologySpreadConstraint|whenUnsatisfiable',
    ]) assert.ok(fields.has(core + key), key);
    for (const key of ['apps.v1.DeploymentStrategy|type', 'apps.v1.StatefulSetSpec|podManagementPolicy', 'apps.v1.StatefulSetUpdateStrategy|type', 'apps.v1.DaemonSetUpdateStrategy|type',
      'batch.v1.CronJobSpec|concurrencyPolicy', 'batch.v1.JobSpec|completionMode', 'batch.v1.PodFailurePolicyRule|action']) assert.ok(fields.has('io.k8s.api.' + key), key);
  });

  it('with a Chinese locale, gives an enum value\'s note in Chinese, on the value and in a key\'s allowed values, with upstream\'s English last', () => {
    const han = /[\u4e00-\u9fff]/;
    const zh = (doc: string) => hover(doc, { locale: 'zh-cn' })!;
    const before = (h: string, ...xs: string[]) => assert.ok(xs.map((x) => h.indexOf(x)).every((i, k, a) => i >= 0 && (k === 0 || i > a[k - 1])), `${xs.join(' < ')}\n${h}`);
    // On the value: the Chinese note, the allowed values, then upstream's English note.
    const value = zh(DEPLOY.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNot|Present'));
    before(value, '`IfNotPresent` 节点磁盘上没有这个镜像时 kubelet 才拉取', '可选值：`Always`、**`IfNotPresent`**、`Never`', 'Kubernetes 文档原文：`IfNotPresent` means that kubelet pulls if the image isn\'t present on disk');
    // On the key: each allowed value with its Chinese note, and the English notes after upstream's description.
    const key = zh(DEPLOY.replace('imagePullPolicy: Always', 'imagePull|Policy: Always'));
    before(key, '- `Always` kubelet 每次都尝试拉取最新的镜像', '- `Never` kubelet 从不拉取镜像', '路径：', 'Kubernetes 文档原文：Image pull policy', '- `Always` means that kubelet always attempts to pull the latest image');
    const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {app: web}\n  ports:\n  - port: 80\n`;
    before(zh(svc.replace('type: NodePort', 'type: Node|Port')), '在 ClusterIP 的基础上，还在每个节点的同一个端口上暴露这个 Service', 'Kubernetes 文档原文：`NodePort` means a service will be exposed on one port of every node');
    before(zh(svc.replace('externalTrafficPolicy: Local', 'externalTrafficPolicy: Lo|cal')), '只转发到收到流量的节点上的端点', 'preserves the source IP');
    // Values upstream gives no note: the Chinese one alone. A list's item (accessModes) is found through its list.
    const pvc = `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: d\nspec:\n  accessModes:\n  - ReadWriteO|nce\n`;
    assert.match(zh(pvc), /^`ReadWriteOnce` 可以被单个节点以读写方式挂载/);
    assert.doesNotMatch(zh(pvc), /Kubernetes 文档原文/);
    // The list's key lists its items' values.
    assert.match(hover(pvc.replace('ReadWriteO|nce', 'ReadWriteOnce').replace('accessModes', 'access|Modes'))!, /Allowed values:\n- `ReadOnlyMany`\n- `ReadWriteMany`\n- `ReadWriteOnce`\n- `ReadWriteOncePod`\n/);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: OnFai|lure\n  tolerations:\n  - key: dedicated\n    operator: Exists\n  containers:\n  - name: c\n    image: nginx\n`;
    assert.match(zh(pod), /^`OnFailure` 容器以非零退出码退出时才重启它/);
    assert.match(zh(pod.replace('restartPolicy: OnFai|lure', 'restartPolicy: OnFailure').replace('operator: Exists', 'operator: Exi|sts')), /^`Exists` 只要键相同就容忍，不看值/);
    // English hovers keep upstream's notes alone.
    const plain = hover(DEPLOY.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNot|Present'))!;
    assert.doesNotMatch(plain, han);
    assert.match(plain, /^`IfNotPresent` means that kubelet pulls if the image isn't present on disk[^]*Allowed values: `Always`, \*\*`IfNotPresent`\*\*, `Never`$/);
  });

  it('states quantities in plain units', () => {
    assert.match(hover(DEPLOY.replace('cpu: 500m', 'cpu: 50|0m'))!, /500m = 0\.5 CPU/);
    assert.match(hover(DEPLOY.replace('memory: 128Mi', 'memory: 12|8Mi'))!, /128Mi = 134,217,728 bytes/);
    // In Chinese too, the resource name's line and the migration note of a removed version with them.
    assert.match(hover(DEPLOY.replace('memory: 128Mi', 'mem|ory: 128Mi'), { locale: 'zh-cn' })!, /内存，单位为字节[\s\S]*128Mi = 134,217,728 字节/);
    assert.match(hover(DEPLOY.replace('cpu: 500m', 'cpu: 50|0m'), { locale: 'zh-cn' })!, /500m = 0\.5 个 CPU/);
    const old = hover(DEPLOY.replace('apiVersion: apps/v1', 'apiVersion: extensions/v1|beta1'), { locale: 'zh-cn' })!;
    assert.match(old, /apps\/v1 中必须写 spec\.selector。/);
    assert.doesNotMatch(old, /is required/);
  });

  it('says where a referenced ConfigMap is defined', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - name: v\n    configMap:\n      name: set|tings\n';
    assert.match(hover(pod, { others: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n' } })!, /ConfigMap `settings` is defined in cm\.yaml:1/);
    assert.match(hover(pod)!, /No ConfigMap `settings` is defined/);
  });

  it('documents resource names on keys and says which Services select a pod template', () => {
    assert.match(hover(DEPLOY.replace('memory: 128Mi', 'mem|ory: 128Mi'))!, /Memory, in bytes[\s\S]*128Mi = 134,217,728 bytes/);
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: front}\nspec:\n  selector: {app: web}\n';
    assert.match(hover(DEPLOY.replace('labels: {app: web}', 'labels: {app: w|eb}'), { others: { 'svc.yaml': svc } })!, /Selected by:\n- Service `front` — svc\.yaml:1/);
    assert.match(hover(DEPLOY.replace('labels: {app: web}', 'labels: {app: w|eb}'))!, /No Service in the workspace selects these pods/);
  });

  it('lists the workspace objects a selector matches', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector:\n    app: w|eb\n  ports: [{port: 80}]\n';
    const h = hover(svc, { others: { 'deploy.yaml': DEPLOY, 'other.yaml': DEPLOY.replace(/web/g, 'api') } })!;
    assert.match(h, /matches 1 object/);
    assert.match(h, /Deployment `web`/);
    const none = hover(svc.replace('w|eb', 'nothing|'), { others: { 'deploy.yaml': DEPLOY } })!;
    assert.match(none, /no object/);
  });

  it('explains an RBAC rule\'s verbs and says which groups serve its resources', () => {
    const role = (line: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- apiGroups: [""]\n${line}`;
    assert.match(hover(role('  verbs: ["deletecol|lection"]\n'))!, /`deletecollection`: Delete many objects at once/);
    assert.match(hover(role('  verbs: ["wat|ch"]\n'), { locale: 'zh-cn' })!, /监视变化/);
    assert.match(hover(role('  resources: ["deploy|ments"]\n'))!, /`deployments` is served by the API group `apps`\./);
  });
});

describe('hover on an API version the cluster no longer serves', () => {
  it('links to the migration guide\'s section for the release that removed it, not to a reference page that does not exist', () => {
    const text = hover('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 2\n  templa|te: {}\n')!;
    assert.match(text, /https:\/\/kubernetes\.io\/docs\/reference\/using-api\/deprecation-guide\/#v1-16/);
    assert.ok(!/generated\/kubernetes-api\/v1\.34\/#\w+-v1beta1-extensions/.test(text), text);
    assert.match(hover('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  repl|icas: 2\n')!, /generated\/kubernetes-api\/v1\.34\/#deploymentspec-v1-apps/);
  });
});

describe('hover lists the values the apiserver accepts at that place', () => {
  it('a Deployment template\'s restartPolicy: Always only', () => {
    const h = hover(DEPLOY.replace('    spec:\n      containers:', '    spec:\n      restart|Policy: Always\n      containers:'))!;
    assert.match(h, /Allowed values:\n- `Always`/);
    assert.doesNotMatch(h, /- `Never`|- `OnFailure`/);
    assert.match(h, /- `Always`[^\n]*\n\nA Deployment's pod template takes only `Always`: its pods run for ever, and the apiserver refuses the other values\./);
  });

  it('a restartPolicy value lists what its key lists, and says why in one line (English and Chinese)', () => {
    const deploy = DEPLOY.replace('    spec:\n      containers:', '    spec:\n      restartPolicy: Alw|ays\n      containers:');
    assert.match(hover(deploy)!, /Allowed values: \*\*`Always`\*\*\n\nA Deployment's pod template takes only `Always`/);
    const zh = hover(deploy, { locale: 'zh-cn' })!;
    assert.match(zh, /可选值：\*\*`Always`\*\*\n\nDeployment 的 Pod 模板只能用 `Always`：它的 Pod 要一直运行，apiserver 拒绝其他值。/);
    assert.doesNotMatch(zh, /`Never`|`OnFailure`/);
    // A value the workload refuses: the list still shows only what it accepts.
    assert.match(hover(deploy.replace('restartPolicy: Alw|ays', 'restartPolicy: Nev|er'))!, /Allowed values: `Always`\n/);
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFai|lure\n          containers:\n          - name: c\n            image: busybox\n`;
    assert.match(hover(cron)!, /Allowed values: `Never`, \*\*`OnFailure`\*\*\n\nA CronJob's pod template takes only `OnFailure` or `Never`/);
    assert.match(hover(cron, { locale: 'zh-cn' })!, /可选值：`Never`、\*\*`OnFailure`\*\*\n\nCronJob 的 Pod 模板只能用 `OnFailure` 或 `Never`/);
    // A bare Pod takes any, with no such line.
    const pod = hover('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Nev|er\n')!;
    assert.match(pod, /Allowed values: `Always`, \*\*`Never`\*\*, `OnFailure`/);
    assert.doesNotMatch(pod, /takes only/);
  });

  it('a CronJob schedule hover lists its next three runs, in its timeZone when it has one', () => {
    const cj = (extra: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "30 9 * * 1-|5"${extra}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
`;
    const now = Date.UTC(2026, 10, 27, 12, 0, 0); // a Friday, 12:00 UTC
    const utc = hover(cj(''), { now })!;
    assert.match(utc, /\(UTC\), next three runs: `2026-11-30 09:30:00Z`, `2026-12-01 09:30:00Z`, `2026-12-02 09:30:00Z`/);
    const tokyo = hover(cj('\n  timeZone: Asia/Tokyo'), { now })!;
    assert.match(tokyo, /\(Asia\/Tokyo\), next three runs: `2026-11-30 09:30:00\+09:00`/, 'Monday 09:30 in Tokyo is the next run after Friday 21:00 there');
    const zh = hover(cj(''), { now, locale: 'zh-cn' })!;
    assert.match(zh, /接下来三次/);
    assert.doesNotMatch(hover(cj('').replace('30 9 * * 1-|5', '61 * * * |*'), { now }) ?? '', /next three runs/, 'no runs for a schedule that does not parse');
    const never = hover(cj('').replace('30 9 * * 1-|5', '0 0 30 2 |*'), { now }) ?? '';
    assert.match(never, /does not fire within five years/);
  });
});

describe('server/hover: node labels', () => {
  const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  nodeSelector:
    kubernetes.io/os: linux
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: web}}
        topologyKey: topology.kubernetes.io/zone
  containers:
  - name: c
    image: nginx
`;
  it('says what a well-known node label is and which nodes carry it, at a topologyKey and a nodeSelector key', () => {
    assert.match(hover(POD.replace('topologyKey: topology.kubernetes.io/zone', 'topologyKey: topology.kubernetes.io/zo|ne'))!, /\*\*topology\.kubernetes\.io\/zone\*\*: .*kind's nodes, and the playground's, have none/);
    assert.match(hover(POD.replace('    kubernetes.io/os: linux', '    kubernetes.io/o|s: linux'))!, /\*\*kubernetes\.io\/os\*\*: The node's operating system/);
    assert.match(hover(POD.replace('topologyKey: topology.kubernetes.io/zone', 'topologyKey: topology.kubernetes.io/zo|ne'), { locale: 'zh-cn' })!, /节点所在的可用区/);
    // Another label key says nothing of nodes.
    assert.doesNotMatch(hover(POD.replace('  name: p\n', '  name: p\n  labels:\n    kubernetes.io/o|s: linux\n')) ?? '', /operating system/);
  });
});
