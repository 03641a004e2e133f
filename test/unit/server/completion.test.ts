import * as assert from 'assert';
import { doComplete, yamlString } from '../../../server/src/service/completion';
import { setup } from './harness';

function labels(marked: string, others?: Record<string, string>) {
  const { model, pos, ctx } = setup(marked, { others });
  return doComplete(model, pos, ctx).items;
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
      volumes:
      - name: data
        emptyDir: {}
      - name: cache
        emptyDir: {}
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
          name: http
`;

describe('server/completion', () => {
  it('offers container keys on a fresh line, leaving out present ones, required first, with docs', () => {
    const items = labels(DEPLOY + '        |\n');
    const names = items.map((i) => i.label);
    assert.ok(names.includes('imagePullPolicy'));
    assert.ok(!names.includes('image'), 'present key left out');
    assert.ok(!names.includes('name'));
    assert.ok(items.every((i) => i.documentation && i.documentation.value.length > 0));
    // With a Chinese locale a common field's documentation starts with the project's Chinese text, as its hover does.
    const zh = setup(DEPLOY + '        |\n', { locale: 'zh-cn' });
    const pull = doComplete(zh.model, zh.pos, zh.ctx).items.find((i) => i.label === 'imagePullPolicy')!;
    assert.match(String((pull.documentation as any).value), /^\*\*imagePullPolicy\*\*: `string` — 可选\n\n镜像拉取策略[\s\S]*\n\nKubernetes 文档原文：Image pull policy/);
    assert.doesNotMatch(String((items.find((i) => i.label === 'imagePullPolicy')!.documentation as any).value), /镜像/);
    // A probe's fields are explained in Chinese too.
    const probe = setup(DEPLOY + '        livenessProbe:\n          |\n', { locale: 'zh-cn' });
    const period = doComplete(probe.model, probe.pos, probe.ctx).items.find((i) => i.label === 'periodSeconds')!;
    assert.match(String((period.documentation as any).value), /^\*\*periodSeconds\*\*: `integer` — 可选\n\n每隔多少秒探测一次，默认为 10/);
    const spec = labels('apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - |\n');
    const sorted = [...spec].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.strictEqual(sorted[0].label, 'port', 'required first');
  });

  it('completes half-typed keys and new sequence items', () => {
    const items = labels(DEPLOY + '        imagePull|\n');
    const ipp = items.find((i) => i.label === 'imagePullPolicy')!;
    assert.ok(ipp);
    assert.strictEqual(ipp.textEdit!.range.start.character, 8);
    assert.match(ipp.textEdit!.newText, /^imagePullPolicy: \$\{1\|Always,IfNotPresent,Never\|\}$/);
    const fresh = labels(DEPLOY + '      - |\n');
    assert.ok(fresh.some((i) => i.label === 'image'));
    assert.ok(fresh.some((i) => i.label === 'name'), 'new container item offers name');
    const env = labels(DEPLOY + '        env:\n        - name: A\n          |\n');
    assert.ok(env.some((i) => i.label === 'valueFrom'));
  });

  it('completes enums and booleans', () => {
    assert.deepStrictEqual(labels(DEPLOY + '        imagePullPolicy: |\n').map((i) => i.label), ['Always', 'IfNotPresent', 'Never']);
    // A Deployment's pods always restart; a Job's finish; a bare Pod may do any.
    assert.deepStrictEqual(labels(DEPLOY + '      restartPolicy: |\n').map((i) => i.label), ['Always']);
    assert.deepStrictEqual(labels('apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: |\n').map((i) => i.label), ['Never', 'OnFailure']);
    assert.deepStrictEqual(labels('apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: |\n').map((i) => i.label), ['Always', 'Never', 'OnFailure']);
    // Only an init container (a sidecar) has a restartPolicy of its own.
    const keys = (list: string) => labels(`apiVersion: v1\nkind: Pod\nspec:\n  ${list}:\n  - name: c\n    |\n`).map((i) => i.label);
    assert.ok(!keys('containers').includes('restartPolicy') && !keys('containers').includes('restartPolicyRules'));
    assert.ok(keys('initContainers').includes('restartPolicy'));
    assert.deepStrictEqual(labels(DEPLOY + '        stdin: |\n').map((i) => i.label), ['true', 'false']);
    const colon = labels(DEPLOY + '        imagePullPolicy:|\n');
    assert.strictEqual(colon[0].textEdit!.newText, ' Always', 'a space after the colon');
    assert.ok(labels('apiVersion: v1\nkind: Service\nspec:\n  type: |\n').some((i) => i.label === 'NodePort'));
    const modes = labels('apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  accessModes:\n  - |\n').map((i) => i.label);
    assert.ok(modes.includes('ReadWriteOnce') && modes.includes('ReadWriteMany'), modes.join());
  });

  it('with a Chinese locale, documents enum values with the Chinese note and the field\'s Chinese text, upstream\'s English last', () => {
    const items = (marked: string, locale?: string) => {
      const { model, pos, ctx } = setup(marked, { locale });
      return doComplete(model, pos, ctx).items;
    };
    const doc = (list: ReturnType<typeof items>, label: string) => String(list.find((i) => i.label === label)?.documentation?.value);
    const before = (h: string, ...xs: string[]) => assert.ok(xs.map((x) => h.indexOf(x)).every((i, k, a) => i >= 0 && (k === 0 || i > a[k - 1])), `${xs.join(' < ')}\n${h}`);
    const pull = items(DEPLOY + '        imagePullPolicy: |\n', 'zh-cn');
    assert.deepStrictEqual(pull.map((i) => i.label), ['Always', 'IfNotPresent', 'Never']);
    before(doc(pull, 'Never'), '`Never` kubelet 从不拉取镜像，只使用节点上已有的', '镜像拉取策略：', 'Kubernetes 文档原文：`Never` means that kubelet never pulls an image', 'Image pull policy.');
    const cron = items('apiVersion: batch/v1\nkind: CronJob\nspec:\n  concurrencyPolicy: |\n', 'zh-cn');
    before(doc(cron, 'Forbid'), '`Forbid` 禁止并发运行：上一次还没结束时跳过这一次', 'Kubernetes 文档原文：`Forbid` forbids concurrent runs');
    // A list's item: the list's field describes it; upstream has no note for an access mode.
    const modes = items('apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  accessModes:\n  - |\n', 'zh-cn');
    before(doc(modes, 'ReadWriteOncePod'), '`ReadWriteOncePod` 只能被单个 Pod 以读写方式挂载', '需要的访问模式', 'Kubernetes 文档原文：accessModes contains the desired access modes');
    // English items keep upstream's note and description alone.
    const en = items(DEPLOY + '        imagePullPolicy: |\n');
    assert.match(doc(en, 'Never'), /^`Never` means that kubelet never pulls an image, but only uses a local image\. Container will fail if the image isn't present\n\nImage pull policy\./);
    assert.doesNotMatch(doc(en, 'Never'), /[\u4e00-\u9fff]/);
  });

  it('completes apiVersions for a kind and kinds for an apiVersion', () => {
    const av = labels('apiVersion: |\nkind: Deployment\n');
    assert.ok(av.some((i) => i.label === 'apps/v1'));
    assert.ok(!av.some((i) => i.label === 'v1'));
    const k = labels('apiVersion: batch/v1\nkind: |\n').map((i) => i.label);
    assert.deepStrictEqual(k.sort(), ['CronJob', 'Job']);
  });

  it('tags a group-version whose every kind is removed or deprecated when no kind is written yet, and says why', () => {
    const av = labels('apiVersion: |\n');
    const ext = av.find((i) => i.label === 'extensions/v1beta1')!;
    assert.deepStrictEqual(ext.tags, [1]);
    assert.match((ext.documentation as any).value, /- Deployment: Removed in 1\.16; use `apps\/v1`\.\n/);
    assert.match((ext.documentation as any).value, /- Ingress: Removed in 1\.22; use `networking\.k8s\.io\/v1`\./);
    for (const gv of ['batch/v1beta1', 'policy/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta3']) assert.deepStrictEqual(av.find((i) => i.label === gv)!.tags, [1], gv);
    // One kind still served (v1's Pod beside the deprecated Endpoints) leaves the group-version untagged.
    for (const gv of ['v1', 'apps/v1', 'batch/v1']) assert.strictEqual(av.find((i) => i.label === gv)!.tags, undefined, gv);
    // Against an older cluster a version is what it was then.
    const { model, pos, ctx } = setup('apiVersion: |\n', { kubernetesVersion: '1.24' });
    assert.deepStrictEqual(doComplete(model, pos, ctx).items.find((i) => i.label === 'batch/v1beta1')!.tags, [1], 'deprecated in 1.21');
    assert.match((doComplete(model, pos, ctx).items.find((i) => i.label === 'batch/v1beta1')!.documentation as any).value, /CronJob: Deprecated since 1\.21/);
  });

  it('completes resource names and recommended labels in free-form maps', () => {
    const res = labels(DEPLOY + '        resources:\n          limits:\n            cpu: 1\n            |\n').map((i) => i.label);
    assert.ok(res.includes('memory') && !res.includes('cpu'), res.join());
    const lab = labels('apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    |\n').map((i) => i.label);
    assert.ok(lab.includes('app.kubernetes.io/name'));
  });

  it('offers the playground\'s KUBEPLAY_* variables where a container\'s env names a variable', () => {
    const items = labels(DEPLOY + '        env:\n        - name: |\n');
    assert.deepStrictEqual(items.map((i) => i.label), ['KUBEPLAY_CPU', 'KUBEPLAY_MEMORY', 'KUBEPLAY_LOAD']);
    assert.match(String((items[2].documentation as any).value), /shared by the workload's Ready pods/);
  });

  it('offers the variables an official database image reads first, the password first, leaving out those set', () => {
    const withImage = (image: string, env: string) => labels(DEPLOY.replace('image: nginx', `image: ${image}`) + `        env:\n${env}        - name: |\n`).map((i) => i.label);
    const mysql = withImage('mysql:8.0', '');
    assert.deepStrictEqual(mysql.slice(0, 4), ['MYSQL_ROOT_PASSWORD', 'MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_PASSWORD']);
    assert.ok(mysql.includes('KUBEPLAY_CPU'));
    assert.deepStrictEqual(withImage('postgres:16', '        - name: POSTGRES_PASSWORD\n          value: x\n').slice(0, 2), ['POSTGRES_USER', 'POSTGRES_DB']);
    assert.strictEqual(withImage('mariadb', '')[0], 'MARIADB_ROOT_PASSWORD');
    assert.deepStrictEqual(withImage('wordpress:6.8-apache', '').slice(0, 3), ['WORDPRESS_DB_HOST', 'WORDPRESS_DB_USER', 'WORDPRESS_DB_PASSWORD']);
    assert.strictEqual(withImage('mongo:8', '')[0], 'MONGO_INITDB_ROOT_USERNAME');
    assert.deepStrictEqual(withImage('bitnami/mysql:8.0', ''), ['KUBEPLAY_CPU', 'KUBEPLAY_MEMORY', 'KUBEPLAY_LOAD']);
    const zh = setup(DEPLOY.replace('image: nginx', 'image: mysql') + '        env:\n        - name: |\n', { locale: 'zh-cn' });
    const [first] = doComplete(zh.model, zh.pos, zh.ctx).items;
    assert.match(String((first.documentation as any).value), /^\*\*镜像读取的变量：\*\* `root` 账户的密码/);
  });

  it('completes volumeMounts names from the pod volumes', () => {
    const items = labels(DEPLOY + '        volumeMounts:\n        - mountPath: /x\n          name: |\n');
    assert.deepStrictEqual(items.map((i) => i.label), ['data', 'cache']);
  });

  it('completes probe ports and Service targetPorts by name', () => {
    const probe = labels(DEPLOY + '        livenessProbe:\n          httpGet:\n            port: |\n');
    assert.ok(probe.some((i) => i.label === 'http'));
    const grpc = labels(DEPLOY + '        readinessProbe:\n          grpc:\n            port: |\n');
    assert.deepStrictEqual(grpc.map((i) => i.label), ['8080']);
    const svc = labels('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: |\n', { 'deploy.yaml': DEPLOY });
    assert.deepStrictEqual(svc.map((i) => i.label), ['http', '8080']);
  });

  it('completes names of ConfigMaps, Secrets and PVCs from the workspace', () => {
    const others = {
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: disk}\n',
    };
    const cm = labels(DEPLOY + '        env:\n        - name: A\n          valueFrom:\n            configMapKeyRef:\n              name: |\n', others);
    assert.deepStrictEqual(cm.map((i) => i.label), ['settings']);
    const sec = labels(DEPLOY + '        envFrom:\n        - secretRef:\n            name: |\n', others);
    assert.deepStrictEqual(sec.map((i) => i.label), ['creds']);
    const pvc = labels(DEPLOY.replace('        emptyDir: {}\n      containers', '        persistentVolumeClaim:\n          claimName: |\n      containers'), others);
    assert.deepStrictEqual(pvc.map((i) => i.label), ['disk']);
    const ips = labels(DEPLOY.replace('      containers:', '      imagePullSecrets:\n      - name: |\n      containers:'), others);
    assert.deepStrictEqual(ips.map((i) => i.label), ['creds']);
    // A pod's account: the workspace's ServiceAccounts, and `default`, which every namespace has.
    const sa = labels(DEPLOY.replace('      containers:', '      serviceAccountName: |\n      containers:'), { 'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n' });
    assert.deepStrictEqual(sa.map((i) => i.label), ['robot', 'default']);
  });

  it('completes RBAC rules: verbs, the served groups, the resources of the rule\'s groups, and the default roles', () => {
    const role = (line: string) => labels(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- apiGroups: ["apps"]\n${line}`);
    const verbs = role('  verbs:\n  - |\n').map((i) => i.label);
    assert.deepStrictEqual(verbs.slice(0, 8), ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']);
    const resources = role('  resources:\n  - |\n').map((i) => i.label);
    assert.ok(resources.includes('deployments') && resources.includes('statefulsets'));
    assert.ok(!resources.includes('pods'), 'only the resources of the rule\'s groups');
    const groups = labels('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: c}\nrules:\n- apiGroups:\n  - |\n').map((i) => i.label);
    assert.ok(groups.includes('""') && groups.includes('apps') && groups.includes('batch'));
    assert.ok(!groups.includes('extensions'), 'groups whose APIs are all removed are not offered');
    const roles = labels('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: |\n').map((i) => i.label);
    assert.deepStrictEqual(roles, ['view', 'edit', 'admin', 'cluster-admin']);
    // `*` goes in quoted (bare, YAML would read an alias); a Role binding offers the workspace's Roles.
    const star = labels('apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- apiGroups: [""]\n  verbs:\n  - |\n');
    assert.equal((star.find((i) => i.label === '*')!.textEdit as any).newText, '"*"');
    const mine = labels('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef:\n  kind: Role\n  name: |\n', { 'r.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pod-reader}\n' });
    assert.deepStrictEqual(mine.map((i) => i.label), ['pod-reader']);
  });

  it('completes inside kind: List items, at the root of a document and with CRLF line ends', () => {
    const list = labels('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  |\n');
    assert.ok(list.some((i) => i.label === 'data'));
    assert.ok(!list.some((i) => i.label === 'kind'));
    const root = labels('apiVersion: v1\nkind: Pod\nsp|\n');
    assert.ok(root.some((i) => i.label === 'spec'));
    assert.ok(!root.some((i) => i.label === 'status'), 'status is written by the system');
    const crlf = labels('apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - name: a\r\n    |\r\n');
    assert.ok(crlf.some((i) => i.label === 'image'));
    assert.deepStrictEqual(labels('apiVersion: v1\nkind: Pod\n---|\n'), []);
  });

  it('offers skeletons in an empty document and keys in every document of a file', () => {
    const items = labels('apiVersion: v1\nkind: Pod\n---\n|\n');
    for (const k of ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'DaemonSet', 'StatefulSet', 'Service', 'Secret', 'ConfigMap', 'Namespace', 'PersistentVolume', 'PersistentVolumeClaim', 'Node']) {
      assert.ok(items.some((i) => i.filterText === k && i.kind === 15), k);
    }
    const typed = labels('Depl|');
    const dep = typed.find((i) => i.filterText === 'Deployment')!;
    assert.deepStrictEqual(dep.textEdit!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
    assert.match(dep.textEdit!.newText, /^apiVersion: apps\/v1\nkind: Deployment\n/);
    const second = labels('apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\nspec:\n  |\n');
    assert.ok(second.some((i) => i.label === 'clusterIP'));
  });
});

describe('completion inside flow collections', () => {
  const POD = (line: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${line}\n`;
  const complete = (marked: string) => {
    const { model, pos, ctx } = setup(marked);
    return doComplete(model, pos, ctx).items;
  };
  it('offers the container\'s other keys and replaces only what is typed, in flow style', () => {
    const items = complete(POD('  - {name: c, image: nginx, |}'));
    const args = items.find((i) => i.label === 'args')!;
    assert.ok(args, items.map((i) => i.label).join());
    assert.ok(!items.some((i) => i.label === 'name' || i.label === 'image'), 'keys already there are not offered');
    const r = (args.textEdit as any).range;
    assert.deepStrictEqual([r.start.line, r.start.character, r.end.character], [6, 28, 28], 'an empty range at the cursor');
    assert.strictEqual((args.textEdit as any).newText, 'args: [$0]');
    const typed = complete(POD('  - {name: c, image: nginx, imagePu|}'));
    const ipp = typed.find((i) => i.label === 'imagePullPolicy')!;
    assert.deepStrictEqual([(ipp.textEdit as any).range.start.character, (ipp.textEdit as any).range.end.character], [28, 35]);
  });

  it('offers values after a key in a flow map, and keys in a flow map inside a flow list', () => {
    const values = complete(POD('  - {name: c, image: nginx, imagePullPolicy: |}')).map((i) => i.label);
    assert.deepStrictEqual(values.sort(), ['Always', 'IfNotPresent', 'Never']);
    const ports = complete(POD('  - name: c\n    image: nginx\n    ports: [{containerPort: 80, |}]')).map((i) => i.label);
    assert.ok(ports.includes('protocol') && !ports.includes('containerPort'), ports.join());
    const meta = complete('apiVersion: v1\nkind: Pod\nmetadata: {name: p, |}\n').map((i) => i.label);
    assert.ok(meta.includes('labels') && meta.includes('namespace'), meta.join());
  });
});

describe('completion in a flow map still being typed at the end of the file', () => {
  it('replaces only the typed word when no closing brace follows', () => {
    const { model, pos, ctx } = setup('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - {name: c, image: nginx, |');
    const items = doComplete(model, pos, ctx).items;
    const args = items.find((i) => i.label === 'args');
    assert.ok(args, items.map((i) => i.label).join());
    const r = (args!.textEdit as any).range;
    assert.deepStrictEqual([r.start.line, r.start.character, r.end.line, r.end.character], [6, 28, 6, 28]);
    assert.strictEqual((args!.textEdit as any).newText, 'args: [$0]');
  });
});

describe('completion of values and keys that have usual names outside the schema', () => {
  it('a Secret\'s type offers the known types, and a typed Secret\'s data the keys its type requires', () => {
    const types = labels('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: |\n').map((i) => i.label);
    assert.deepStrictEqual(types.slice(0, 3), ['Opaque', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson']);
    const keys = labels('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/tls\ndata:\n  |\n').map((i) => i.label);
    assert.deepStrictEqual(keys, ['tls.crt', 'tls.key']);
  });

  it('a claim\'s requests and a volume\'s capacity offer storage alone', () => {
    const pvc = labels('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  resources:\n    requests:\n      |\n').map((i) => i.label);
    assert.deepStrictEqual(pvc, ['storage']);
    const pod = labels('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    resources:\n      requests:\n        |\n').map((i) => i.label);
    assert.ok(pod.includes('cpu') && pod.includes('memory'), pod.join());
  });
});

describe('completion of a CronJob\'s schedule and time zone', () => {
  it('offers the descriptors and common forms, quoting the ones YAML would read as an alias', () => {
    const items = labels('apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: |\n');
    assert.deepStrictEqual(items.slice(0, 2).map((i) => i.label), ['@hourly', '@daily']);
    const every5 = items.find((i) => i.label === '*/5 * * * *')!;
    assert.strictEqual((every5.textEdit as any).newText, '"*/5 * * * *"');
    const zones = labels('apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  timeZone: |\n').map((i) => i.label);
    assert.ok(zones.includes('Asia/Shanghai') && zones.includes('Etc/UTC'), zones.join());
  });

  it('offers a Service\'s IP families without the schema\'s empty value', () => {
    const fams = labels('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ipFamilies:\n  - |\n').map((i) => i.label);
    assert.deepStrictEqual(fams, ['IPv4', 'IPv6']);
  });
});

describe('server/completion: node labels', () => {
  const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
`;
  it('offers well-known topology keys at a topologyKey, and node labels at a node affinity key and in a nodeSelector', () => {
    const anti = labels(POD + '  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {app: web}}\n        topologyKey: |\n');
    assert.deepStrictEqual(anti.filter((i) => i.label.includes('/')).map((i) => i.label), ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region']);
    const zone = anti.find((i) => i.label === 'topology.kubernetes.io/zone')!;
    assert.match((zone.documentation as any).value, /kind's nodes, and the playground's, have none/);
    const spread = labels(POD + '  topologySpreadConstraints:\n  - maxSkew: 1\n    whenUnsatisfiable: DoNotSchedule\n    topologyKey: |\n');
    assert.ok(spread.some((i) => i.label === 'kubernetes.io/hostname'));
    const node = labels(POD + '  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - key: |\n');
    assert.ok(['kubernetes.io/os', 'kubernetes.io/arch', 'node.kubernetes.io/instance-type'].every((l) => node.some((i) => i.label === l)), node.map((i) => i.label).join());
    const fields = labels(POD + '  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchFields:\n          - key: |\n');
    assert.deepStrictEqual(fields.map((i) => i.label), ['metadata.name']);
    const sel = labels(POD + '  nodeSelector:\n    |\n');
    assert.ok(sel.some((i) => i.label === 'kubernetes.io/os' && i.textEdit && (i.textEdit as any).newText === 'kubernetes.io/os: '), sel.map((i) => i.label).join());
    // A label key elsewhere is no topology key.
    const other = labels(POD.replace('  name: p\n', '  name: p\n  labels:\n    |\n'));
    assert.ok(!other.some((i) => i.label === 'topology.kubernetes.io/zone'));
  });
});

describe('completion of the first key typed under a new block', () => {
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n';
  const edit = (i: { textEdit?: unknown }) => (i.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string });
  it('offers the keys of the block although YAML reads the word as the key\'s value (`spec:⏎  c`)', () => {
    const spec = labels(POD + '  c|\n');
    const containers = spec.find((i) => i.label === 'containers')!;
    assert.ok(containers, spec.map((i) => i.label).join());
    assert.deepStrictEqual(edit(containers).range, { start: { line: 5, character: 2 }, end: { line: 5, character: 3 } });
    assert.ok(labels(POD + '  cont|').some((i) => i.label === 'containers'), 'at the end of the text too');
    assert.ok(labels('apiVersion: v1\nkind: Pod\nmetadata:\n  na|\n').some((i) => i.label === 'name'));
    assert.ok(labels('apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      c|\n').some((i) => i.label === 'containers'));
    assert.ok(labels(POD + '  containers:\n  - name: c\n    resources:\n      l|\n').some((i) => i.label === 'limits'));
    assert.ok(labels('apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    a|\n').some((i) => i.label === 'app.kubernetes.io/name'));
    // Typed above a sibling, the word and the next key parse as one key over two lines: only the word is replaced.
    const above = labels(POD + '  c|\n  restartPolicy: Always\n').find((i) => i.label === 'containers')!;
    assert.deepStrictEqual(edit(above).range, { start: { line: 5, character: 2 }, end: { line: 5, character: 3 } });
    // A string field's value written on the next line stays a value.
    assert.deepStrictEqual(labels('apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy:\n    N|\n').map((i) => i.label), ['Always', 'Never', 'OnFailure']);
  });

  it('keeps every edit on the cursor\'s line after a quote that is not closed yet (LSP 3.17 textEdit)', () => {
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "|\n  jobTemplate:\n    spec: {}\n';
    const items = labels(cron);
    assert.ok(items.length > 0);
    for (const i of items) assert.deepStrictEqual(edit(i).range, { start: { line: 5, character: 12 }, end: { line: 5, character: 13 } });
    assert.strictEqual(edit(items.find((i) => i.label === '@daily')!).newText, '"@daily"');
    assert.strictEqual(items[0].filterText, '"@hourly', 'the client filters from the quote');
    const policy = labels(POD + '  restartPolicy: "Ne|\n  containers: []\n');
    const never = policy.find((i) => i.label === 'Never')!;
    assert.deepStrictEqual(edit(never).range, { start: { line: 5, character: 17 }, end: { line: 5, character: 20 } });
    assert.strictEqual(never.filterText, '"Never');
  });

  it('quotes the values YAML would not read back as the same string (`@hourly`, `*`, `on`)', () => {
    const items = labels('apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: |\n');
    assert.deepStrictEqual(items.slice(0, 5).map((i) => edit(i).newText), ['"@hourly"', '"@daily"', '"@weekly"', '"@monthly"', '"@yearly"']);
    const inQuotes = labels('apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "|"\n');
    assert.strictEqual(edit(inQuotes[0]).newText, '"@hourly"', 'the editor\'s closed quotes are replaced by quoted text');
    assert.deepStrictEqual(['Always', '@hourly', '*', 'on', 'yes', '1.5', '0x1F', 'null', '-', 'a b', 'v1.34', 'kubernetes.io/os', ''].map(yamlString),
      ['Always', '"@hourly"', '"*"', '"on"', '"yes"', '"1.5"', '"0x1F"', '"null"', '"-"', '"a b"', 'v1.34', 'kubernetes.io/os', '""']);
  });
});

describe('completion: what stands beside an enum value\'s label', () => {
  const items = (marked: string, opts: Parameters<typeof setup>[1] = {}) => {
    const { model, pos, ctx } = setup(marked, { labelDetails: true, ...opts });
    return doComplete(model, pos, ctx).items;
  };
  const beside = (list: ReturnType<typeof items>) => list.map((i): [string, string, string, boolean] => [i.label, i.labelDetails?.detail ?? '', i.labelDetails?.description ?? '', !!i.preselect]);
  const pull = (image: string) => DEPLOY.replace('image: nginx', `image: ${image}`) + '        imagePullPolicy: |\n';
  const JOB = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: |\n';

  it('the note\'s first clause and the default the field gets when left out, preselected (English)', () => {
    // SetDefaults_Container: a tagged image pulls IfNotPresent, an untagged (latest) one Always.
    assert.deepStrictEqual(beside(items(pull('nginx:1.25'))), [
      ['Always', '', 'kubelet always attempts to pull the…', false],
      ['IfNotPresent', ' (default)', 'kubelet pulls if the image isn\'t…', true],
      ['Never', '', 'kubelet never pulls an image', false],
    ]);
    assert.deepStrictEqual(beside(items(pull('nginx'))).map(([l, d]) => l + d), ['Always (default)', 'IfNotPresent', 'Never']);
    // The schema's default elsewhere; a value with no upstream note has no description.
    const svc = beside(items('apiVersion: v1\nkind: Service\nspec:\n  type: |\n'));
    assert.deepStrictEqual(svc.find(([l]) => l === 'ClusterIP'), ['ClusterIP', ' (default)', 'a service will only be accessible…', true]);
    assert.deepStrictEqual(beside(items('apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: |\n')), [['Always', ' (default)', '', true], ['Never', '', '', false], ['OnFailure', '', '', false]]);
    // A field without a stated default marks none; nor does a Job, whose pods may not take the default Always.
    assert.ok(items('apiVersion: v1\nkind: Pod\nspec:\n  tolerations:\n  - operator: Exists\n    effect: |\n').every((i) => !i.preselect && !i.labelDetails?.detail));
    assert.ok(items(JOB).every((i) => !i.preselect && !i.labelDetails?.detail));
    // Every description fits beside a label: about 40 columns.
    for (const i of [...items(pull('nginx')), ...items('apiVersion: v1\nkind: Pod\nspec:\n  dnsPolicy: |\n'), ...items('apiVersion: apps/v1\nkind: Deployment\nspec:\n  strategy:\n    type: |\n')]) {
      assert.ok((i.labelDetails?.description ?? '').length <= 41, JSON.stringify(i.labelDetails));
    }
  });

  it('in Chinese, the Chinese note\'s first clause and （默认）', () => {
    assert.deepStrictEqual(beside(items(pull('nginx:1.25'), { locale: 'zh-cn' })), [
      ['Always', '', 'kubelet 每次都尝试拉取最新的镜像', false],
      ['IfNotPresent', ' （默认）', '节点磁盘上没有这个镜像时 kubelet 才拉取', true],
      ['Never', '', 'kubelet 从不拉取镜像', false],
    ]);
    assert.deepStrictEqual(beside(items('apiVersion: v1\nkind: Pod\nspec:\n  dnsPolicy: |\n', { locale: 'zh-cn' }))[0], ['ClusterFirst', ' （默认）', '优先使用集群 DNS', true]);
  });

  it('a client without labelDetailsSupport gets the items as before: notes in the documentation only', () => {
    const plain = items(pull('nginx:1.25'), { labelDetails: false });
    assert.ok(plain.every((i) => i.labelDetails === undefined && i.detail === undefined));
    assert.match(String(plain[2].documentation!.value), /^`Never` means that kubelet never pulls an image, but only uses a local image/);
  });

  it('says in one line why a pod template\'s restartPolicy offers fewer values, and a Job with a podFailurePolicy only Never', () => {
    const doc = (list: ReturnType<typeof items>, label: string) => String(list.find((i) => i.label === label)?.documentation?.value);
    assert.match(doc(items(DEPLOY.replace('      containers:', '      restartPolicy: |\n      containers:')), 'Always'), /A Deployment's pod template takes only `Always`: its pods run for ever/);
    assert.match(doc(items(JOB), 'Never'), /A Job's pod template takes only `OnFailure` or `Never`: its pods run to completion, and the apiserver refuses the default `Always`\./);
    assert.match(doc(items(JOB, { locale: 'zh-cn' }), 'Never'), /Job 的 Pod 模板只能用 `OnFailure` 或 `Never`：它的 Pod 运行到结束为止/);
    // validateJobSpec: only "Never" is supported when podFailurePolicy is specified.
    const pfp = JOB.replace('spec:\n  template:', 'spec:\n  podFailurePolicy:\n    rules: []\n  template:');
    assert.deepStrictEqual(items(pfp).map((i) => i.label), ['Never']);
    assert.match(doc(items(pfp), 'Never'), /A Job with a `podFailurePolicy` takes only `Never` in its pod template\./);
    assert.doesNotMatch(doc(items('apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: |\n'), 'Never'), /takes only/);
  });
});
