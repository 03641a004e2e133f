import * as assert from 'assert';
import { applyEdits, byCode, diagnose, quickFixes, textAt } from './helpers';

const deployment = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.27
${container}`;

const CODE = 'unknown-probe-port';

describe('a probe port named by a name its container does not declare', () => {
  it('warns at the port, saying what the kubelet does with each kind of probe', () => {
    const text = deployment(`        ports:
        - name: web
          containerPort: 80
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
        livenessProbe:
          tcpSocket:
            port: htp
        startupProbe:
          httpGet:
            port: web
`);
    const { list } = diagnose(text);
    const found = byCode(list, CODE);
    assert.strictEqual(found.length, 2, JSON.stringify(found.map((d) => d.message)));
    const [ready, live] = found;
    assert.strictEqual(ready.severity, 2);
    assert.strictEqual(textAt(text, ready.range), 'http');
    assert.strictEqual(ready.message,
      'Container "api" has no port named "http" (its named ports: web), so the kubelet cannot resolve this readinessProbe\'s port: '
      + 'every probe errors (Readiness probe errored: port "http" not found) and the pod never becomes Ready.');
    assert.strictEqual(textAt(text, live.range), 'htp');
    assert.match(live.message, /\(Liveness probe errored: port "htp" not found\) and its result is discarded, so this probe never restarts the container/);
  });

  it('tells a startup probe\'s consequence, and says when the container names no ports', () => {
    const [d] = byCode(diagnose(deployment(`        startupProbe:
          tcpSocket:
            port: app
`)).list, CODE);
    assert.match(d.message, /^Container "api" has no port named "app" \(it names no ports\),/);
    assert.match(d.message, /never counts as started: its liveness and readiness probes never run and the pod never becomes Ready\.$/);
  });

  it('says nothing of numbers, of declared names, of exec probes, or of a sidecar whose own port has the name', () => {
    const quiet = [
      '        readinessProbe:\n          httpGet:\n            port: 80\n',
      '        ports:\n        - name: http\n          containerPort: 80\n        livenessProbe:\n          httpGet:\n            port: http\n',
      '        readinessProbe:\n          exec:\n            command: ["true"]\n',
    ];
    for (const c of quiet) assert.deepStrictEqual(byCode(diagnose(deployment(c)).list, CODE), [], c);
    const sidecar = deployment('').replace('      containers:', `      initContainers:
      - name: proxy
        image: nginx:1.27
        restartPolicy: Always
        ports:
        - name: admin
          containerPort: 9901
        readinessProbe:
          httpGet:
            port: admin
      containers:`);
    assert.deepStrictEqual(byCode(diagnose(sidecar).list, CODE), []);
  });

  it('looks in the probed container only: a name another container of the pod declares does not resolve', () => {
    const text = deployment(`        readinessProbe:
          httpGet:
            port: metrics
      - name: exporter
        image: nginx:1.27
        ports:
        - name: metrics
          containerPort: 9113
`);
    assert.strictEqual(byCode(diagnose(text).list, CODE).length, 1);
  });

  it('offers the container\'s port names, or its port numbers when it names none', () => {
    const named = deployment(`        ports:
        - name: web
          containerPort: 80
        readinessProbe:
          httpGet:
            port: http
`);
    const { actions, uri } = quickFixes(named, CODE);
    assert.deepStrictEqual(actions.map((a) => a.title), ['Use port web']);
    const fixed = applyEdits(named, actions[0].edit.changes[uri]);
    assert.match(fixed, /httpGet:\n {12}port: web\n$/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, CODE), []);
    const numbered = deployment(`        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            port: http
`);
    const n = quickFixes(numbered, CODE);
    assert.deepStrictEqual(n.actions.map((a) => a.title), ['Use port 8080']);
    const fixedNumber = applyEdits(numbered, n.actions[0].edit.changes[n.uri]);
    assert.match(fixedNumber, /port: 8080\n$/);
    assert.deepStrictEqual(byCode(diagnose(fixedNumber).list, CODE), []);
  });

  it('warns of an HTTP lifecycle hook\'s port name the same way, saying what a failed postStart or preStop hook does', () => {
    const text = deployment(`        ports:
        - name: web
          containerPort: 80
        lifecycle:
          postStart:
            httpGet:
              path: /warm
              port: http
          preStop:
            httpGet:
              path: /drain
              port: web
`);
    const found = byCode(diagnose(text).list, 'unknown-hook-port');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(textAt(text, found[0].range), 'http');
    assert.strictEqual(found[0].message, 'Container "api" has no port named "http" (its named ports: web), so the kubelet cannot resolve this postStart hook\'s port '
      + '(port "http" not found): the hook fails (FailedPostStartHook) and the kubelet kills the container, each time it starts.');
    const [pre] = byCode(diagnose(text.replace('port: web', 'port: admin')).list, 'unknown-hook-port').slice(1);
    assert.match(pre.message, /preStop hook's port \(port "admin" not found\): the hook fails \(FailedPreStopHook\) and the container is stopped without it\.$/);
    const { actions } = quickFixes(text, 'unknown-hook-port');
    assert.deepStrictEqual(actions.map((a) => a.title), ['Use port web']);
    const [zh] = byCode(diagnose(text, { locale: 'zh-cn' }).list, 'unknown-hook-port');
    assert.match(zh.message, /^容器没有名为 “http” 的端口（已命名的端口有：web）。kubelet 按名称在容器自己的 ports 中查找 postStart 钩子的端口，找不到（port not found）时钩子失败（FailedPostStartHook），容器每次启动都会被 kubelet 杀掉。\n/);
  });

  it('explains it in Chinese with the case\'s names, the original words below', () => {
    const [d] = byCode(diagnose(deployment(`        ports:
        - name: web
          containerPort: 80
        readinessProbe:
          httpGet:
            port: http
`), { locale: 'zh-cn' }).list, CODE);
    const [zh, en] = d.message.split('\n');
    assert.strictEqual(zh, '被探测的容器没有名为 “http” 的端口（已命名的端口有：web）。kubelet 按名称在容器自己的 ports 中查找端口，找不到时每次探测都出错（probe errored: port not found），Pod 永远不会就绪（Ready）。');
    assert.match(en, /^Container "api" has no port named "http"/);
  });
});
