import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runValidate } from '../../../cli/src/validate';
import { repoRoot } from './helpers';

/** Runs `kubeplay validate` in-process, capturing stdout and stderr. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const capture = (sink: (s: string) => void) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink(String(chunk));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (cb) cb();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture((s) => (out += s));
  process.stderr.write = capture((s) => (err += s));
  try {
    const code = await runValidate(args);
    return { code, out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

/** The CLI as a child process: the compiled `kubeplay` when it dispatches `validate`, else the module through tsx. */
function spawnValidate(args: string[], input?: string) {
  const root = repoRoot();
  const main = path.join(root, 'out', 'cli', 'src', 'main.js');
  const compiled = !__filename.endsWith('.ts') && fs.existsSync(main) && fs.readFileSync(main, 'utf8').includes('./validate');
  const argv = compiled
    ? [main, 'validate', ...args]
    : ['-r', 'tsx/cjs', '-e', `require(${JSON.stringify(path.join(root, 'cli', 'src', 'validate.ts'))}).runValidate(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, ...args];
  return spawnSync(process.execPath, argv, { input, encoding: 'utf8', cwd: root });
}

let dir: string;
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};

const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: "1"\n';
const BAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: b}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
const UNKNOWN_FIELD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  nmae: x\n';

describe('validate/cli: kubeplay validate', () => {
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-validate-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 with a kubeconform-like summary when everything is valid', async () => {
    const r = await run([write('good.yaml', GOOD)]);
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /^Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0$/m);
  });

  it('exits 1 on an invalid resource, naming file:line, kind, name, path and code', async () => {
    const f = write('bad.yaml', GOOD + '---\n' + BAD);
    const r = await run([f]);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, new RegExp(`${f.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}:17:7 - Deployment bad is invalid: spec.template.metadata.labels: .*\\[selector-mismatch\\]`));
    assert.match(r.out, /Summary: 2 resources found in 1 file - Valid: 1, Invalid: 1, Errors: 0, Skipped: 0/);
  });

  it('names the field as the apiserver (and so kubectl) names it, while file:line:column points at the text', async () => {
    const f = write('affinity.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n'
      + '      - labelSelector:\n          matchExpressions:\n          - {key: app, operator: In}\n        namespaces: [Prod]\n        topologyKey: zone\n  containers:\n  - name: c\n    image: nginx\n');
    const r = await run([f]);
    assert.strictEqual(r.code, 1);
    const at = f.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    // The missing values are shown at the operator; the namespace at its place in the list, reported at upstream's `namespace`.
    assert.match(r.out, new RegExp(`${at}:11:34 - Pod p is invalid: spec\\.affinity\\.podAffinity\\.requiredDuringSchedulingIgnoredDuringExecution\\[0\\]\\.labelSelector\\.matchExpressions\\[0\\]\\.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn' \\[invalid-affinity-term\\]`));
    assert.match(r.out, new RegExp(`${at}:12:22 - Pod p is invalid: spec\\.affinity\\.podAffinity\\.requiredDuringSchedulingIgnoredDuringExecution\\[0\\]\\.namespace: Invalid value: "Prod": `));
  });

  it('walks folders recursively for .yaml, .yml and .json', async () => {
    const sub = path.join(dir, 'tree');
    write('tree/a.yaml', GOOD);
    write('tree/deep/b.yml', GOOD.replace('good', 'good-b'));
    write('tree/deep/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good-c' } }));
    write('tree/deep/ignored.txt', 'not yaml');
    const r = await run([sub]);
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /3 resources found in 3 files/);
  });

  it('--strict makes unknown fields invalid; without it they are warnings', async () => {
    const f = write('extra.yaml', UNKNOWN_FIELD);
    const lax = await run([f]);
    assert.strictEqual(lax.code, 0);
    assert.match(lax.out, /ConfigMap extra warning: metadata.nmae: Unknown field "nmae".*Did you mean "name"/);
    const strict = await run(['--strict', f]);
    assert.strictEqual(strict.code, 1);
    assert.match(strict.out, /Invalid: 1/);
  });

  it('--kubernetes-version judges removed APIs; --skip skips kinds', async () => {
    const f = write('seed.yaml', 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: seed\nspec:\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n');
    const now = await run([f]);
    assert.strictEqual(now.code, 1);
    assert.match(now.out, /no longer served since Kubernetes 1\.16.*apps\/v1.*\[removed-api\]/);
    const old = await run(['--kubernetes-version', '1.15', f]);
    assert.strictEqual(old.code, 0, old.out);
    assert.match(old.out, /warning: apiVersion: .*deprecated/);
    const skipped = await run(['--skip', 'Deployment', f]);
    assert.strictEqual(skipped.code, 0);
    assert.match(skipped.out, /Skipped: 1/);
  });

  it('unknown kinds are errors unless --ignore-missing-schemas; broken YAML is an error', async () => {
    const f = write('crd.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const r = await run([f]);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /could not find schema for Widget/);
    assert.strictEqual((await run(['--ignore-missing-schemas', f])).code, 0);
    const broken = await run([write('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: [x\n')]);
    assert.strictEqual(broken.code, 1);
    assert.match(broken.out, /Errors: 1/);
  });

  it('says a Helm template is one, and a value nested too deeply is too deep to check, instead of the parser\'s words', async () => {
    const tpl = await run([write('chart/templates/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n  labels:\n    {{- include "demo.labels" . | nindent 4 }}\n')]);
    assert.strictEqual(tpl.code, 1);
    assert.match(tpl.out, /deploy\.yaml:4 - Go template \("\{\{ … \}\}", as in a Helm chart\): no YAML until it is rendered; validate the output of `helm template` instead\n/);
    // A template in a quoted string or a block scalar (a Prometheus rule) is text.
    assert.strictEqual((await run([write('rule.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  summary: "{{ $labels.instance }} is down"\n  rule.yaml: |\n    annotations:\n      summary: {{ $value }}\n')])).code, 0);
    const deep = await run([write('deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)]);
    assert.match(deep.out, /deep\.yaml:6 - nested too deeply to check \(Maximum call stack size exceeded\)\n/);
  });

  it('exits 2 on usage and read errors', async () => {
    assert.strictEqual((await run([])).code, 2);
    assert.strictEqual((await run(['--output', 'xml', 'x.yaml'])).code, 2);
    assert.strictEqual((await run(['--bogus', 'x.yaml'])).code, 2);
    const missing = await run([path.join(dir, 'does-not-exist.yaml')]);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.out, /no such file/);
  });

  it('writes JSON, JUnit and SARIF', async () => {
    const f = write('mixed.yaml', GOOD + '---\n' + BAD);
    const json = await run(['-o', 'json', f]);
    const j = JSON.parse(json.out);
    assert.deepStrictEqual(j.summary, { valid: 1, invalid: 1, errors: 0, skipped: 0 });
    assert.strictEqual(j.resources[0].status, 'statusInvalid');
    assert.strictEqual(j.resources[0].validationErrors[0].code, 'selector-mismatch');
    const junit = await run(['-o', 'junit', f]);
    assert.match(junit.out, /^<\?xml/);
    assert.match(junit.out, /<testsuites name="kubeplay" tests="2" failures="1" errors="0"/);
    assert.match(junit.out, /<testcase name="ConfigMap good"/);
    assert.match(junit.out, /<failure message="[^"]+" type="ValidationError">/);
    const sarif = JSON.parse((await run(['--output=sarif', f])).out);
    assert.strictEqual(sarif.version, '2.1.0');
    const res = sarif.runs[0].results[0];
    assert.strictEqual(res.ruleId, 'selector-mismatch');
    assert.strictEqual(res.level, 'error');
    assert.strictEqual(res.locations[0].physicalLocation.region.startLine, 17);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'selector-mismatch'));
  });

  it('reads stdin with - (as a child process)', function () {
    this.timeout(30000);
    const r = spawnValidate(['-'], GOOD + '---\n' + BAD);
    assert.strictEqual(r.status, 1, r.stderr);
    assert.match(r.stdout, /^stdin:\d+:\d+ - Deployment bad is invalid/m);
    assert.match(r.stdout, /Summary: 2 resources found in 1 file/);
  });

  it("explains what is wrong with the seed document's Deployment (comments and all)", async () => {
    const f = write('seed.yaml', SEED_DEPLOYMENT);
    const r = await run([f]);
    assert.strictEqual(r.code, 1);
    const codes = [...r.out.matchAll(/\[([a-z-]+)\]$/gm)].map((m) => m[1]);
    // The volume named "String" is invalid, so its mount is "Not found", as ValidateVolumes counts it.
    assert.deepStrictEqual(codes, ['removed-api', 'wrong-type', 'undeclared-volume', 'wrong-type', 'invalid-volume-name', 'wrong-type']);
    assert.match(r.out, /Not found: "String": the volume of that name is invalid, so the apiserver does not count it as declared/);
    assert.match(r.out, /seed\.yaml:2:13 - Deployment mean is invalid: apiVersion: .*1\.16.*apps\/v1/);
    assert.match(r.out, /containers\[0\]\.command: Incorrect type: expected array, got object/);
  });

  it('validates the real-world corpus and the examples with no errors', async () => {
    const root = repoRoot();
    const r = await run(['--strict', path.join(root, 'test', 'fixtures', 'corpus'), path.join(root, 'examples')]);
    assert.strictEqual(r.code, 0, r.out);
    assert.match(r.out, /Invalid: 0, Errors: 0/);
  });
});

/** The Deployment from the seed document (docs/ seed 000), its stray prose lines removed and hostPath re-indented. */
const SEED_DEPLOYMENT = `kind: Deployment  #指定创建资源的角色/类型
apiVersion: extensions/v1beta1 #指定api版本，此值必须在kubectl apiversion中
metadata:   #资源的元数据/属性
  name: mean #资源的名字，在同一个namespace中必须唯一
  namespace: default
  generation: 1 # 用于标识当前对象目标状态的代别；
  annotations:  #自定义注解列表
    deployment.kubernetes.io/revision: '1'  #自定义注解名字
spec:   #specification of the resource content 指定该资源的内容
  replicas: 1 #副本数量* etcd保存了整个集群的状态;
  selector:
    matchLabels:
      app: mean
  template:  #这里Pod的定义
    metadata:
      name: mean
      creationTimestamp: #当前对象创建的日期时间时间戳；
      labels:
        app: mean
    spec:
      containers:
      - name: mean  #容器的名字
        image: nginx #容器使用的镜像地址
        resources: {}  #资源管理
        terminationMessagePath: "/dev/termination-log"
        terminationMessagePolicy: File
        imagePullPolicy: Always #[Always|Never|IfNotPresent]获取镜像的策略
        command: {}    #容器的启动命令列表（不配置的话使用镜像内部的命令）
        workingDir: String #容器的工作目录
        securityContext:
          privileged: false
        volumeMounts:        #挂载到到容器内部的存储卷设置
            - name: String    #挂载设备的名字
              mountPath: String  #挂载到容器的某个路径下
              readOnly: boolean
      volumes:                #定义一组挂载设备
      - name: String          #定义一个挂载设备的名字
        hostPath:
          path:String       #挂载设备类型为hostPath，路径为宿主机下的/opt,这里设备类型支持很多种
      restartPolicy: Always   #表明该容器一直运行，默认k8s的策略，在此容器退出后，会立即创建一个相同的容器
      terminationGracePeriodSeconds: 30
      dnsPolicy: ClusterFirst
      securityContext: {}
      schedulerName: default-scheduler
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 25%
      maxSurge: 25%
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
status:
  observedGeneration: 1
  replicas: 1
  updatedReplicas: 1
  readyReplicas: 1
  availableReplicas: 1
  conditions:
  - type: Available
    status: 'True'
    lastUpdateTime: '2018-03-06T09:03:59Z'
    lastTransitionTime: '2018-03-06T09:03:59Z'
    reason: MinimumReplicasAvailable
    message: Deployment has minimum availability.
  - type: Progressing
    status: 'True'
    lastUpdateTime: '2018-03-06T09:03:59Z'
    lastTransitionTime: '2018-03-06T09:03:54Z'
`;
