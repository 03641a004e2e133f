import * as assert from 'node:assert/strict';
import { ShellState, execCommand } from '../../../../cluster/src/kubelet/exec';
import { shellPlayground, manifests, podYaml, SHELL_PODS } from './shellharness';
import { nginxVersion } from '../../../../cluster/src/kubelet/nginxversion';

/**
 * The Debian-based images' own files (kubelet/debianroot.ts): a usrmerged root, base-files' os-release, base-passwd's
 * /etc/passwd with the nginx user the image adds, the nginx.org package's /etc/nginx, the Dockerfile's ENV in the
 * environment, and the commands that find programs (`type`, `command -v`, `which`) with ncurses' `clear` and
 * `nginx -v`/`-t`.
 */
const PODS_YAML = manifests(
  podYaml('web', '{name: web, image: nginx, env: [{name: NJS_VERSION, value: mine}, {name: GREETING, value: hi}]}'),
  podYaml('old', '{name: web, image: "nginx:1.27"}'),
  podYaml('deb', '{name: deb, image: "debian:bookworm", command: [sleep, infinity]}'),
  SHELL_PODS.box,
  SHELL_PODS.small,
);

const run = (sh: ShellState, line: string) => { const r = sh.run(line); return r.stdout + r.stderr; };

describe('the Debian-based images\' files and the commands that find programs', () => {
  const h = shellPlayground(PODS_YAML);
  const { world, terminal } = h;
  const sh = (name: string) => new ShellState(world(name));

  it('nginx has a usrmerged Debian root: /bin, /sbin and /lib are links into /usr, the entrypoint beside them', () => {
    assert.equal(run(sh('web'), 'ls /'), 'bin\nboot\ndev\ndocker-entrypoint.d\ndocker-entrypoint.sh\netc\nhome\nlib\nlib64\nmedia\nmnt\nopt\nproc\nroot\nrun\nsbin\nsrv\nsys\ntmp\nusr\nvar\n');
    assert.equal(run(sh('web'), 'for f in /bin /sbin /lib /usr/bin/sh; do readlink $f; done'), 'usr/bin\nusr/sbin\nusr/lib\ndash\n');
    const bin = run(sh('web'), 'ls /bin').split('\n');
    for (const p of ['ls', 'cat', 'bash', 'dash', 'sh', 'curl', 'which', 'clear', 'getent']) assert.ok(bin.includes(p), p);
    // What the image lacks (procps, iproute2) is not there either.
    for (const p of ['ps', 'ip', 'wget', 'busybox']) assert.ok(!bin.includes(p), p);
    assert.equal(run(sh('web'), 'ls /usr/sbin'), 'nginx\nnginx-debug\n');
    assert.match(run(sh('web'), 'ls -l /var/log/nginx'), /access\.log -> \/dev\/stdout\n.*error\.log -> \/dev\/stderr\n$/s);
  });

  it('/etc: trixie\'s os-release and debian_version, base-passwd\'s users with nginx (101), nginx.conf and default.conf', () => {
    assert.equal(run(sh('web'), 'cat /etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\n'
      + 'VERSION="13 (trixie)"\nVERSION_CODENAME=trixie\nDEBIAN_VERSION_FULL=13.2\nID=debian\nHOME_URL="https://www.debian.org/"\n'
      + 'SUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n');
    assert.equal(run(sh('web'), 'cat /etc/debian_version'), '13.2\n');
    const passwd = run(sh('web'), 'cat /etc/passwd').split('\n');
    assert.equal(passwd[0], 'root:x:0:0:root:/root:/bin/bash');
    assert.ok(passwd.includes('_apt:x:42:65534::/nonexistent:/usr/sbin/nologin'));
    assert.equal(passwd[passwd.length - 2], 'nginx:x:101:101:nginx user:/nonexistent:/bin/false');
    assert.match(run(sh('web'), 'cat /etc/group'), /^root:x:0:\n[\s\S]*\nnogroup:x:65534:\nnginx:x:101:\n$/);
    assert.equal(run(sh('web'), 'grep -c "" /etc/passwd'), '19\n');
    assert.match(run(sh('web'), 'cat /etc/nginx/nginx.conf'), /^\nuser  nginx;\nworker_processes  auto;\n\nerror_log  \/var\/log\/nginx\/error\.log notice;\npid        \/run\/nginx\.pid;\n[\s\S]*include \/etc\/nginx\/conf\.d\/\*\.conf;\n}\n$/);
    // The entrypoint ran: 10-listen-on-ipv6-by-default.sh added the IPv6 listen.
    assert.equal(run(sh('web'), 'head -4 /etc/nginx/conf.d/default.conf'), 'server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n');
    // nginx 1.27.5's image is bookworm's; its point release is not known, so no debian_version.
    assert.match(run(sh('old'), 'cat /etc/os-release'), /^PRETTY_NAME="Debian GNU\/Linux 12 \(bookworm\)"\n[\s\S]*VERSION_CODENAME=bookworm\nID=debian\n/);
    assert.match(run(sh('old'), 'grep pid /etc/nginx/nginx.conf'), /\/run\/nginx\.pid/);
    assert.equal(run(sh('deb'), 'grep VERSION_CODENAME /etc/os-release; cat /etc/debian_version; grep -c nginx /etc/passwd'), 'VERSION_CODENAME=bookworm\n12.12\n0\n');
  });

  it('env: PATH, HOSTNAME, then the Dockerfile\'s ENV, a variable the pod sets replacing the image\'s in its place', () => {
    const env = run(sh('web'), 'env').split('\n');
    assert.deepEqual(env.slice(0, 7), ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=web', 'NGINX_VERSION=1.29.4',
      'NJS_VERSION=mine', 'NJS_RELEASE=1~trixie', 'PKG_RELEASE=1~trixie', 'DYNPKG_RELEASE=1~trixie']);
    assert.equal(env.filter((l) => l.startsWith('NJS_VERSION=')).length, 1);
    assert.ok(env.includes('GREETING=hi'));
    // `kubectl exec web -- printenv NGINX_VERSION`: the runtime starts the program with the same environment.
    assert.equal(execCommand(world('web'), ['printenv', 'NGINX_VERSION']).stdout, '1.29.4\n');
    assert.deepEqual(run(sh('old'), 'env').split('\n').slice(2, 7), ['NGINX_VERSION=1.27.5', 'NJS_VERSION=0.8.10', 'NJS_RELEASE=1~bookworm', 'PKG_RELEASE=1~bookworm', 'DYNPKG_RELEASE=1~bookworm']);
    // Images whose Dockerfile is not modelled get none.
    assert.doesNotMatch(run(sh('small'), 'env'), /NGINX_VERSION/);
  });

  it('dash\'s type and command -v: the path along PATH, builtins, keywords; `NAME: not found` on stdout, 127', () => {
    const s = sh('web');
    assert.deepEqual([run(s, 'type ls cd exit if'), s.last], ['ls is /usr/bin/ls\ncd is a shell builtin\nexit is a special shell builtin\nif is a shell keyword\n', 0]);
    const r = s.run('type nope');
    assert.deepEqual([r.stdout, r.stderr, r.code], ['nope: not found\n', '', 127]);
    // Once run, dash remembers where ls is: a tracked alias.
    assert.equal(run(s, 'ls / >/dev/null; type ls'), 'ls is a tracked alias for /usr/bin/ls\n');
    assert.equal(run(s, 'f() { :; }; type f'), 'f is a shell function\n');
    assert.equal(run(s, 'command -v ls; command -v cd; command -v nope; echo $?'), '/usr/bin/ls\ncd\n127\n');
    assert.equal(run(s, 'command -V nginx'), 'nginx is /usr/sbin/nginx\n');
    // bash's words differ: `hashed`, and a name not found is an error on stderr with status 1.
    const b = s.run('bash -c "type ls cd nope"');
    assert.deepEqual([b.stdout, b.stderr, b.code], ['ls is /usr/bin/ls\ncd is a shell builtin\n', 'bash: line 1: type: nope: not found\n', 1]);
  });

  it('which prints each program\'s path and is silent for one it lacks (status 1); busybox\'s finds its applets', () => {
    assert.equal(run(sh('web'), 'which ls nginx curl; echo $?'), '/usr/bin/ls\n/usr/sbin/nginx\n/usr/bin/curl\n0\n');
    assert.equal(run(sh('web'), 'which ps cd; echo $?'), '1\n');
    assert.equal(run(sh('web'), 'which -a ls'), '/usr/bin/ls\n/bin/ls\n');
    assert.equal(run(sh('box'), 'which ls env; type ls'), '/bin/ls\n/usr/bin/env\nls is /bin/ls\n');
  });

  it('clear writes xterm\'s clear and scrollback sequences on a terminal; nginx -v and -t answer on stderr', () => {
    const t = terminal('web');
    assert.equal(t.type('clear'), '\x1b[H\x1b[2J\x1b[3J# ');
    assert.equal(t.type('type type'), 'type is a shell builtin\n# ');
    const v = sh('web').run('nginx -v');
    assert.deepEqual([v.stdout, v.stderr, v.code], ['', 'nginx version: nginx/1.29.4\n', 0]);
    assert.equal(sh('old').run('nginx -v').stderr, 'nginx version: nginx/1.27.5\n');
    assert.equal(sh('web').run('nginx -t').stderr, 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
    assert.equal(sh('web').run('nginx -x').stderr, 'nginx: invalid option: "x"\n');
    // Not nginx's image: not found.
    assert.equal(sh('deb').run('nginx -v').stderr, 'sh: 1: nginx: not found\n');
  });

  it('busybox and alpine keep their own roots', () => {
    assert.equal(run(sh('box'), 'ls /'), 'bin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n');
    assert.match(run(sh('small'), 'cat /etc/os-release'), /No such file/);
  });
});

describe('which nginx release a tag plays', () => {
  it('a named version, a line\'s last release, the stable line for `stable*`, the mainline for the rest', () => {
    assert.equal(nginxVersion('1.27.3-alpine'), '1.27.3');
    assert.equal(nginxVersion('1.27'), '1.27.5');
    assert.equal(nginxVersion('stable'), '1.28.0');
    assert.equal(nginxVersion('stable-alpine'), '1.28.0');
    assert.equal(nginxVersion('stable-perl'), '1.28.0');
    assert.equal(nginxVersion('mainline'), '1.29.4');
    assert.equal(nginxVersion('latest'), '1.29.4');
  });
});
