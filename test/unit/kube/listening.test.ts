import * as assert from 'assert';
import { behaviourOf, docRoot, hasNoPrograms, imageTypoSuggestion, lacksProgram, listeningPorts, listensOn } from '../../../kube/src/imageConvention';

describe('which ports a simulated container listens on (docs/images.md)', () => {
  it('follows the image for well-known images, whatever the pod declares', () => {
    assert.deepStrictEqual(listeningPorts({ image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }), [80]);
    assert.deepStrictEqual(listeningPorts({ image: 'docker.io/library/redis:7' }), [6379]);
    assert.deepStrictEqual(listeningPorts({ image: 'postgres:16' }), [5432]);
    assert.deepStrictEqual(listeningPorts({ image: 'registry.k8s.io/pause:3.10' }), []);
    assert.deepStrictEqual(listeningPorts({ image: 'registry.k8s.io/coredns/coredns:v1.12.1' }), [53, 8080, 8181, 9153]);
    assert.deepStrictEqual(listeningPorts({ image: 'hashicorp/http-echo', args: ['-listen=:8080', '-text=hi'] }), [8080]);
    assert.deepStrictEqual(listeningPorts({ image: 'hashicorp/http-echo:1.0', args: ['-text=hi'] }), [5678]);
    assert.deepStrictEqual(listeningPorts({ image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', args: ['--secure-port=10250'] }), [10250]);
    assert.deepStrictEqual(listeningPorts({ image: 'rabbitmq:3-management' }), [5672, 15672]);
  });

  it('a shell loop with arithmetic (the Logging Architecture counter) listens nowhere; pause and distroless have no programs', () => {
    assert.deepStrictEqual(listeningPorts({ image: 'busybox:1.28', command: ['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'] }), []);
    assert.deepStrictEqual(listeningPorts({ image: 'busybox', args: ['sh', '-c', 'n=0; while [ $n -lt 3 ]; do ((n++)); sleep 1; done'] }), []);
    for (const image of ['registry.k8s.io/pause:3.1', 'gcr.io/distroless/static', 'gcr.io/distroless/java17-debian12']) {
      assert.ok(hasNoPrograms(image) && lacksProgram(image, 'sh') && lacksProgram(image, 'tar'), image);
    }
    assert.ok(!hasNoPrograms('gcr.io/distroless/base:debug'), 'the debug tags carry busybox');
    assert.ok(!lacksProgram('nginx', 'tar'));
  });

  it('takes the declared ports of a server whose configuration is mounted over the image\'s own', () => {
    const conf = { volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf.d' }] };
    assert.deepStrictEqual(listeningPorts({ image: 'nginx', ports: [{ containerPort: 8080 }], ...conf }), [8080]);
    assert.strictEqual(listeningPorts({ image: 'nginx', ...conf }), 'any', 'the mounted file decides, and no port is declared');
    assert.deepStrictEqual(listeningPorts({ image: 'nginx', ports: [{ containerPort: 8080 }], volumeMounts: [{ name: 'c', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' }] }), [8080]);
    assert.deepStrictEqual(listeningPorts({ image: 'nginx', ports: [{ containerPort: 8080 }], volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html' }] }), [80], 'content is not configuration');
    assert.deepStrictEqual(listeningPorts({ image: 'httpd:2.4', ports: [{ containerPort: 8081 }], volumeMounts: [{ name: 'c', mountPath: '/usr/local/apache2/conf/httpd.conf', subPath: 'httpd.conf' }] }), [8081]);
  });

  it('follows the flags that move a server\'s port, and a command that replaces the server', () => {
    assert.deepStrictEqual(listeningPorts({ image: 'traefik/whoami', args: ['--port', '8080'] }), [8080]);
    assert.deepStrictEqual(listeningPorts({ image: 'redis:7', command: ['redis-server', '--port', '7000'] }), [7000]);
    assert.deepStrictEqual(listeningPorts({ image: 'hashicorp/http-echo', args: ['-listen', ':8080', '-text=hi'] }), [8080]);
    assert.deepStrictEqual(listeningPorts({ image: 'postgres:16', args: ['-c', 'port=6000'] }), [6000]);
    assert.deepStrictEqual(listeningPorts({ image: 'nginx', command: ['sleep', '3600'] }), [], 'sleep runs instead of nginx');
    assert.deepStrictEqual(listeningPorts({ image: 'nginx', command: ['nginx', '-g', 'daemon off;'] }), [80]);
    assert.strictEqual(listeningPorts({ image: 'nginx', command: ['/app/server'] }), 'any', 'an unknown replacement is not second-guessed');
  });

  it('lets a shell image listen only where its command starts a server', () => {
    assert.deepStrictEqual(listeningPorts({ image: 'busybox:1.36', command: ['sleep', '3600'] }), []);
    assert.deepStrictEqual(listeningPorts({ image: 'busybox:1.36', command: ['httpd', '-f', '-p', '8080'] }), [8080]);
    assert.deepStrictEqual(listeningPorts({ image: 'busybox', command: ['sh', '-c', 'echo hi > /www/index.html; httpd -f -h /www'] }), [80]);
    assert.deepStrictEqual(listeningPorts({ image: 'alpine', command: ['sh', '-c', 'while true; do nc -lk -p 9000; done'] }), [9000]);
    assert.deepStrictEqual(listeningPorts({ image: 'busybox', command: ['nc', '-l', '7000'] }), [7000]);
    assert.deepStrictEqual(listeningPorts({ image: 'busybox', command: ['sh', '-c', 'while true; do echo $(date); sleep 5; done'] }), []);
    assert.deepStrictEqual(listeningPorts({ image: 'busybox' }), [], 'the default shell listens nowhere');
    assert.strictEqual(listeningPorts({ image: 'ubuntu', command: ['python3', '-m', 'http.server', '8000'] }), 'any', 'a program the convention does not know');
  });

  it('takes an unknown image at its declared TCP ports, and answers anywhere when it declares none', () => {
    assert.deepStrictEqual(listeningPorts({ image: 'example.com/shop/api:2.1', ports: [{ containerPort: 3000 }, { containerPort: 53, protocol: 'UDP' }] }), [3000]);
    assert.strictEqual(listeningPorts({ image: 'example.com/shop/api:2.1' }), 'any');
    assert.ok(listensOn({ image: 'kubeplay/warmup:30s' }, 8080));
    assert.ok(!listensOn({ image: 'nginx' }, 8080));
  });
});

describe('nginx-slim, the StatefulSet tutorial\'s image, is nginx', () => {
  it('listens on 80 and serves /usr/share/nginx/html', () => {
    for (const image of ['registry.k8s.io/nginx-slim:0.21', 'k8s.gcr.io/nginx-slim:0.8']) {
      assert.deepStrictEqual(listeningPorts({ name: 'nginx', image }), [80], image);
      assert.strictEqual(docRoot({ name: 'nginx', image }), '/usr/share/nginx/html', image);
    }
    assert.strictEqual(docRoot({ name: 'c', image: 'registry.k8s.io/pause:3.10' }), undefined);
  });
});

describe('images that do not exist: a slip in a popular name or tag', () => {
  it('pulls as Docker Hub answers: access denied for a repository, not found for a tag', () => {
    const b = behaviourOf({ name: 'c', image: 'ngnix' }, 'Always');
    assert.strictEqual(b.kind, 'pull-error');
    assert.match(b.pullError!, /^rpc error: code = Unknown desc = failed to pull and unpack image "docker\.io\/library\/ngnix:latest": failed to resolve reference "docker\.io\/library\/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/);
    assert.match(behaviourOf({ name: 'c', image: 'nginx:lates' }, 'Always').pullError!, /: docker\.io\/library\/nginx:lates: not found$/);
    for (const ok of ['nginx', 'nginx:latest', 'busybox:1.36', 'mono', 'node:22', 'python:slim', 'alpine:3.20']) assert.strictEqual(behaviourOf({ name: 'c', image: ok }, 'Always').kind, 'run', ok);
    assert.strictEqual(imageTypoSuggestion('docker.io/library/busybx:1.36'), 'docker.io/library/busybox:1.36');
    assert.strictEqual(imageTypoSuggestion('nginx'), undefined);
  });
});
