import * as assert from 'assert';
import { applyEdits, byCode, diagnose, quickFixes, textAt } from './helpers';
import { newTestPlayground, R } from '../../../cluster/src/testing';
import type { KObject } from '../../../cluster/src/contract';

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

describe('a probe or hook port named by a name its container does not declare', () => {
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
      + 'every probe errors (Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax) and the pod never becomes Ready.');
    assert.strictEqual(textAt(text, live.range), 'htp');
    assert.match(live.message, /\(Liveness probe errored and resulted in unknown state: strconv\.Atoi: parsing "htp": invalid syntax\) and its result is discarded, so this probe never restarts the container/);
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
    assert.strictEqual(found[0].message, 'Container "api" has no port named "http" (its named ports: web), so the kubelet cannot resolve this postStart hook\'s port'
      + ': the hook fails (FailedPostStartHook) and the kubelet kills the container, each time it starts.');
    const [pre] = byCode(diagnose(text.replace('port: web', 'port: admin')).list, 'unknown-hook-port').slice(1);
    assert.match(pre.message, /preStop hook's port: the hook fails \(FailedPreStopHook\) and the container is stopped without it\.$/);
    const { actions } = quickFixes(text, 'unknown-hook-port');
    assert.deepStrictEqual(actions.map((a) => a.title), ['Use port web']);
    const [zh] = byCode(diagnose(text, { locale: 'zh-cn' }).list, 'unknown-hook-port');
    assert.match(zh.message, /^容器没有名为 “http” 的端口（已命名的端口有：web）。kubelet 按名称在容器自己的 ports 中查找 postStart 钩子的端口，找不到时钩子失败（FailedPostStartHook），容器每次启动都会被 kubelet 杀掉。\n/);
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
    assert.strictEqual(zh, '被探测的容器没有名为 “http” 的端口（已命名的端口有：web）。kubelet 按名称在容器自己的 ports 中查找端口，找不到时每次探测都出错（probe errored and resulted in unknown state），Pod 永远不会就绪（Ready）。');
    assert.match(en, /^Container "api" has no port named "http"/);
  });
});

describe('an HTTP probe of a path a stock nginx site does not hold', () => {
  const CODE_PATH = 'probe-path-unserved';
  const probe = (path: string, extra = '', kind = 'readinessProbe') => deployment(`${extra}        ${kind}:
          httpGet:
            path: ${JSON.stringify(path)}
            port: 80
`);

  it('warns at the path that nginx answers 404 and the probe fails, offering /', () => {
    const text = probe('/healthz');
    const [d] = byCode(diagnose(text).list, CODE_PATH);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(textAt(text, d.range), '"/healthz"');
    assert.strictEqual(d.message, 'nginx answers /healthz with 404 Not Found: nginx:1.27 serves the files of /usr/share/nginx/html, which holds only '
      + 'index.html and 50x.html unless you mount your own files or configuration there. This readinessProbe fails (HTTP probe failed with statuscode: 404) '
      + 'and the pod never becomes Ready.');
    const { actions, uri } = quickFixes(text, CODE_PATH);
    assert.deepStrictEqual(actions.map((a) => [a.title, a.isPreferred]), [['Probe / instead', true]]);
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed, /path: \/\n/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, CODE_PATH), []);
    assert.match(byCode(diagnose(probe('/live', '', 'livenessProbe')).list, CODE_PATH)[0].message, /This livenessProbe fails .* and the kubelet restarts the container every time failureThreshold probes in a row have failed\.$/);
    const [zh] = byCode(diagnose(text, { locale: 'zh-cn' }).list, CODE_PATH);
    assert.match(zh.message, /^nginx 对 \/healthz 回答 404 Not Found：镜像自带的站点只提供 \/usr\/share\/nginx\/html 中的文件（index\.html、50x\.html）/);
  });

  it('says nothing where nginx serves something else: mounts over its files or configuration, another program, another port or host', () => {
    const quiet = [
      probe('/healthz', '        volumeMounts:\n        - name: conf\n          mountPath: /etc/nginx/conf.d\n'),
      probe('/healthz', '        volumeMounts:\n        - name: html\n          mountPath: /usr/share/nginx/html/health\n'),
      probe('/healthz', '        command: ["sh", "-c", "echo ok > /usr/share/nginx/html/healthz && exec nginx -g \'daemon off;\'"]\n'),
      probe('/healthz').replace('port: 80', 'port: 8080'),
      probe('/healthz').replace('httpGet:', 'httpGet:\n            host: example.com'),
      probe('/healthz').replace('image: nginx:1.27', 'image: httpd:2.4'),
    ];
    for (const t of quiet) assert.deepStrictEqual(byCode(diagnose(t).list, CODE_PATH), [], t);
  });

  it('agrees with the playground\'s nginx on every path it judges: a warning exactly where the probe gets 404', () => {
    const paths = ['/', '', '/index.html', '/50x.html', '/./index.html', 'index.html', '/index.html?v=1', '/?probe=1', '/healthz', '/index.htm', '/HEALTHZ',
      '/nginx_status', '/api/health', '/healthz?full=1', '/usr/share/nginx/html/index.html'];
    const pg = newTestPlayground();
    try {
      paths.forEach((path, i) => pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path, port: 80 }, periodSeconds: 2 } }] } } as KObject));
      pg.advance(30_000);
      paths.forEach((path, i) => {
        const ready = pg.api.get(R.pods, 'default', `p${i}`).status!.containerStatuses[0].ready;
        const notFound = [...pg.store.list('/events')].some((e) => e.involvedObject.name === `p${i}` && / statuscode: 404$/.test(e.message));
        const warned = byCode(diagnose(probe(path)).list, CODE_PATH).length === 1;
        assert.strictEqual(warned, notFound, `${JSON.stringify(path)}: warned ${warned}, playground 404 ${notFound}`);
        assert.strictEqual(ready, !notFound, path);
      });
    } finally {
      pg.close();
    }
  });
});
