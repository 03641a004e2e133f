import * as assert from 'node:assert/strict';
import { ShellState, execCommand } from '../../../../cluster/src/kubelet/exec';
import { imageSh, lacksProgram } from '../../../../kube/src/imageConvention';
import { shellPlayground, manifests, podYaml, SHELL_PODS } from './shellharness';

/**
 * Each image's own shell: the official nginx image (Debian) has dash as /bin/sh, with its `# ` prompt and its
 * `sh: 1: ps: not found`, bash beside it, curl but no procps; busybox and alpine keep busybox ash.
 */
const PODS_YAML = manifests(
  SHELL_PODS.web,
  podYaml('webuser', '{name: web, image: "nginxinc/nginx-unprivileged:1.27", securityContext: {runAsUser: 101}}'),
  SHELL_PODS.box,
  SHELL_PODS.small,
  podYaml('dashscript', '{name: web, image: nginx, command: [sh, -c, "echo start\\nps\\nsleep 3600"]}'),
  podYaml('bashscript', '{name: web, image: nginx, command: [bash, -c, "ps; sleep 3600"]}'),
);

describe('the shell of each image', () => {
  const h = shellPlayground(PODS_YAML);
  const { world, terminal } = h;

  it('nginx\'s sh is dash: prompt `# ` for root, and dash\'s not-found words, numbered by the lines read', () => {
    const t = terminal('web');
    assert.equal(t.first, '# ');
    assert.equal(t.type('ps'), 'sh: 1: ps: not found\n# ');
    assert.equal(t.type('echo $?'), '127\n# ');
    assert.equal(t.type('cd /nope'), 'sh: 3: cd: can\'t cd to /nope\n# ');
    assert.equal(t.type('cd /etc; pwd'), '/etc\n# ', 'no directory in the prompt');
    // A compound command read over two lines: the error names the line its command is on.
    assert.equal(t.type('if true; then'), '> ');
    assert.equal(t.type('ping -c1 web; fi'), 'sh: 6: ping: not found\n# ');
    // $0 is the name the shell was run by.
    assert.equal(terminal('web', '/bin/sh').type('ip addr'), '/bin/sh: 1: ip: not found\n# ');
  });

  it('a user other than root gets dash\'s `$ `', () => {
    assert.equal(terminal('webuser').first, '$ ');
  });

  it('nginx has curl, GNU\'s and Debian\'s programs, and bash; not procps, iproute2, ping, nslookup or wget', () => {
    const sh = new ShellState(world('web'));
    assert.equal(sh.run('curl -s localhost | head -1').stdout, '<!DOCTYPE html>\n');
    assert.equal(sh.run('hostname').stdout, 'web\n');
    assert.equal(sh.run('cat /usr/share/nginx/html/50x.html | wc -l').code, 0);
    for (const p of ['ps', 'top', 'ip', 'ping', 'ifconfig', 'netstat', 'nc', 'nslookup', 'wget']) {
      const r = new ShellState(world('web')).run(`${p} x`);
      assert.deepEqual([r.stderr, r.code], [`sh: 1: ${p}: not found\n`, 127], p);
    }
    // `sh -c`: a script's lines, from 1.
    assert.equal(sh.run(`sh -c 'echo a
ps'`).stderr, 'sh: 2: ps: not found\n');
    // dash's kill builtin runs although procps's /usr/bin/kill is not there; exec'd directly, it is not found.
    assert.equal(sh.run('kill -l 15').stdout, 'TERM\n');
    assert.equal(execCommand(world('web'), ['kill', '-l', '15']).notFound, true);
    assert.equal(execCommand(world('web'), ['ps']).notFound, true);
  });

  it('bash says `command not found`, with the line in a script', () => {
    const t = terminal('web', 'bash', 'bash');
    assert.match(t.first, /^root@web:\/# $/);
    assert.equal(t.type('ps').split('\n')[0], 'bash: ps: command not found');
    assert.equal(new ShellState(world('web')).run("bash -c 'ps'").stderr, 'bash: line 1: ps: command not found\n');
  });

  it('busybox and nginx:alpine keep busybox ash: `/ # ` and `sh: ps: …`', () => {
    const box = terminal('box');
    assert.equal(box.first, '/ # ');
    assert.equal(box.type('wget2'), 'sh: wget2: not found\n/ # ');
    assert.equal(box.type('curl x'), 'sh: curl: not found\n/ # ');
    assert.equal(terminal('small').first, '/ # ');
    assert.equal(new ShellState(world('small')).run('bash').stderr, 'sh: bash: not found\n');
  });

  it('a container\'s own script speaks its shell\'s words in the log', () => {
    assert.deepEqual([...h.pg.logs('default', 'dashscript')], ['start', 'sh: 2: ps: not found']);
    assert.deepEqual([...h.pg.logs('default', 'bashscript')], ['bash: line 1: ps: command not found']);
  });

  it('knows which images are Debian-based', () => {
    for (const image of ['nginx', 'nginx:1.27', 'httpd:2.4', 'redis', 'postgres:16', 'python:3.12', 'node:20-slim', 'debian', 'ubuntu:24.04']) {
      assert.equal(imageSh(image), 'dash', image);
      assert.ok(!lacksProgram(image, 'bash') && lacksProgram(image, 'ash'), image);
    }
    for (const image of ['busybox', 'busybox:1.36', 'alpine:3.20', 'nginx:alpine', 'nginx:1.27-alpine', 'redis:7-alpine', 'python:3.12-alpine', 'traefik/whoami', 'registry.k8s.io/e2e-test-images/agnhost:2.39']) {
      assert.equal(imageSh(image), 'ash', image);
    }
    assert.ok(lacksProgram('redis', 'ps') && lacksProgram('python:3.12-slim', 'curl') && lacksProgram('nginx', 'ps'));
    // The non-slim python and node images are buildpack-deps: curl, wget and procps.
    assert.ok(!lacksProgram('python:3.12', 'ps') && !lacksProgram('node:20', 'wget') && !lacksProgram('nginx', 'curl'));
    assert.ok(lacksProgram('alpine', 'curl') && lacksProgram('alpine', 'bash') && !lacksProgram('nginx:alpine', 'curl'));
  });
});
