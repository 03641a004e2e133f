/**
 * The Debian base that the Debian-based official images share, where a learner meets it in `kubectl exec`: the
 * merged-/usr root (bookworm and trixie images are usrmerged, so /bin, /sbin, /lib and /lib64 are links into
 * /usr), base-files' os-release and debian_version, base-passwd's /etc/passwd and /etc/group, and the
 * programs the simulated shell runs, in /usr/bin where Debian installs them. The official nginx image adds its
 * user and group (uid/gid 101, the Dockerfile's `groupadd --system --gid 101 nginx` and `useradd ... --uid 101`),
 * its Dockerfile's ENV, /usr/sbin/nginx, the nginx.org package's /etc/nginx files, the entrypoint and its
 * scripts, and the access and error logs linked to the container's stdout and stderr.
 *
 * Only what is known for certain of an image is modelled: nginx builds whose Dockerfile ENV is on record
 * (NGINX_BUILDS), `debian` itself, and the other images when their tag names the Debian release. The rest keep
 * the generic folders (mounts.ts).
 */
import { Tree, linkEntry } from './tree';
import { parseImage, type ImageRef } from '../../../kube/src/imageConvention';
import { userlandLacks as lacks, userlandOf } from '../../../kube/src/imageUserland';
import { nginxVersion } from './nginxversion';

export type Codename = 'bookworm' | 'trixie';

/**
 * The ENV lines of nginxinc/docker-nginx's mainline/stable debian/Dockerfile for each nginx build the playground
 * plays (images.ts nginxVersion), as the images' configs list them, in that order after PATH. 1.25.5's had no
 * DYNPKG_RELEASE yet; `point` is the Debian point release the last build of that tag was made on, where known.
 */
const NGINX_BUILDS: Record<string, { njs: string; njsRelease: string; pkg: string; dynpkg?: string; codename: Codename; point?: string; runPid: boolean }> = {
  '1.25.5': { njs: '0.8.4', njsRelease: '2~bookworm', pkg: '1~bookworm', codename: 'bookworm', runPid: false },
  '1.27.5': { njs: '0.8.10', njsRelease: '1~bookworm', pkg: '1~bookworm', dynpkg: '1~bookworm', codename: 'bookworm', runPid: true },
  '1.28.0': { njs: '0.8.10', njsRelease: '1~bookworm', pkg: '1~bookworm', dynpkg: '1~bookworm', codename: 'bookworm', point: '12.12', runPid: true },
  '1.29.0': { njs: '0.9.0', njsRelease: '1~bookworm', pkg: '1~bookworm', dynpkg: '1~bookworm', codename: 'bookworm', runPid: true },
  '1.29.1': { njs: '0.9.1', njsRelease: '1~bookworm', pkg: '1~bookworm', dynpkg: '1~bookworm', codename: 'bookworm', runPid: true },
  '1.29.3': { njs: '0.9.4', njsRelease: '1~trixie', pkg: '1~trixie', dynpkg: '1~trixie', codename: 'trixie', runPid: true },
  '1.29.4': { njs: '0.9.4', njsRelease: '1~trixie', pkg: '1~trixie', dynpkg: '1~trixie', codename: 'trixie', point: '13.2', runPid: true },
};

/** What is modelled of one Debian-based image. */
export interface DebianImage {
  codename: Codename;
  /** /etc/debian_version, when the point release the image was built on is known. */
  point?: string;
  /** The nginx version of the official nginx image (its ENV, /usr/sbin/nginx, /etc/nginx). */
  nginx?: string;
  /** The node image's `node` user (uid/gid 1000, docker-library/node's Dockerfile). */
  nodeUser?: boolean;
}

const hubName = (ref: ImageRef) => (ref.registry !== 'docker.io' ? undefined : ref.repository.replace(/^library\//, ''));

/** The Debian release a tag names (`3.12-slim-bookworm`, `trixie`, `20-bookworm-slim`), if it names one. */
function tagCodename(tag: string): Codename | undefined {
  const m = /(?:^|-)(bookworm|trixie)(?:$|-)/.exec(tag);
  return m ? (m[1] as Codename) : undefined;
}

/** The Debian base of an image when it is known for certain; undefined otherwise (and for Alpine, busybox, Ubuntu). */
export function debianImageOf(image: string): DebianImage | undefined {
  const ref = parseImage(image);
  if (userlandOf(ref) !== 'debian') return undefined;
  const name = hubName(ref);
  const named = tagCodename(ref.tag);
  if (name === 'nginx') {
    const version = nginxVersion(ref.tag);
    const build = version ? NGINX_BUILDS[version] : undefined;
    if (!build || (named && named !== build.codename)) return undefined;
    return { codename: build.codename, nginx: version, ...(build.point ? { point: build.point } : {}) };
  }
  if (name === 'debian') {
    // debian:latest and stable are trixie since 13.0 (August 2025); 13.2 and 12.12 are the point releases the
    // images of late 2025 are built from.
    const codename = named ?? (/^(latest|stable|13)(?:$|[.-])/.test(ref.tag) ? 'trixie' : /^12(?:$|[.-])/.test(ref.tag) ? 'bookworm' : undefined);
    return codename ? { codename, point: codename === 'trixie' ? '13.2' : '12.12' } : undefined;
  }
  if (!named || name === 'ubuntu' || name === 'redis' || name === 'postgres') return undefined;
  return { codename: named, ...(name === 'node' ? { nodeUser: true } : {}) };
}

/** The image's Dockerfile ENV after PATH (which every one of these images sets to DEFAULT_PATH), in its order. */
export function debianImageEnv(image: string): Array<[string, string]> {
  const d = debianImageOf(image);
  const build = d?.nginx ? NGINX_BUILDS[d.nginx] : undefined;
  if (!build) return [];
  const env: Array<[string, string]> = [['NGINX_VERSION', d!.nginx!], ['NJS_VERSION', build.njs], ['NJS_RELEASE', build.njsRelease], ['PKG_RELEASE', build.pkg]];
  if (build.dynpkg) env.push(['DYNPKG_RELEASE', build.dynpkg]);
  return env;
}

/** base-files' /usr/lib/os-release (trixie's base-files 13.8 added DEBIAN_VERSION_FULL). */
function osRelease(d: DebianImage): string {
  const n = d.codename === 'trixie' ? '13' : '12';
  return `PRETTY_NAME="Debian GNU/Linux ${n} (${d.codename})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${n}"\nVERSION="${n} (${d.codename})"\n`
    + `VERSION_CODENAME=${d.codename}\n${d.codename === 'trixie' && d.point ? `DEBIAN_VERSION_FULL=${d.point}\n` : ''}ID=debian\n`
    + 'HOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n';
}

/** base-passwd's /etc/passwd of a bookworm or trixie image (apt's _apt has base-passwd's fixed uid 42). */
export const DEBIAN_PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
  'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'games:x:5:60:games:/usr/games:/usr/sbin/nologin',
  'man:x:6:12:man:/var/cache/man:/usr/sbin/nologin',
  'lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin',
  'mail:x:8:8:mail:/var/mail:/usr/sbin/nologin',
  'news:x:9:9:news:/var/spool/news:/usr/sbin/nologin',
  'uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin',
  'proxy:x:13:13:proxy:/bin:/usr/sbin/nologin',
  'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
  'backup:x:34:34:backup:/var/backups:/usr/sbin/nologin',
  'list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin',
  'irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin',
  '_apt:x:42:65534::/nonexistent:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
];

/** base-passwd's /etc/group. */
export const DEBIAN_GROUP = [
  'root', 'daemon', 'bin', 'sys', 'adm', 'tty', 'disk', 'lp', 'mail', 'news', 'uucp', 'man', 'proxy', 'kmem', 'dialout', 'fax', 'voice',
  'cdrom', 'floppy', 'tape', 'sudo', 'audio', 'dip', 'www-data', 'backup', 'operator', 'list', 'irc', 'src', 'shadow', 'utmp', 'video',
  'sasl', 'plugdev', 'staff', 'games', 'users', 'nogroup',
].map((g, i) => `${g}:x:${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 20, 21, 22, 24, 25, 26, 27, 29, 30, 33, 34, 37, 38, 39, 40, 42, 43, 44, 45, 46, 50, 60, 100, 65534][i]}:`);

/**
 * The programs the simulated shell runs that a Debian image has, each where its package installs it: coreutils,
 * findutils, grep, tar, sed-less basics, dash and bash, hostname, libc-bin's getent, debianutils' which and
 * ncurses-bin's clear (both Essential). Programs an image lacks (imageUserland.ts) are left out of it.
 */
const USR_BIN = ['[', 'basename', 'bash', 'cat', 'clear', 'cp', 'cut', 'dash', 'date', 'dd', 'dirname', 'du', 'echo', 'env', 'expr', 'false',
  'find', 'getent', 'grep', 'head', 'hostname', 'id', 'ln', 'ls', 'mkdir', 'mv', 'printenv', 'printf', 'pwd', 'readlink', 'rm', 'rmdir', 'seq',
  'sleep', 'sort', 'stat', 'tail', 'tar', 'tee', 'test', 'touch', 'tr', 'true', 'uname', 'uniq', 'wc', 'which', 'whoami'];
/** What the images that have them add (curl in nginx's and buildpack-deps', procps and wget in buildpack-deps'). */
const EXTRA_BIN = ['curl', 'wget', 'ps', 'top', 'kill'];

/** Every program the simulated shell runs (for the images whose files are not modelled, where `which` finds them in /bin). */
export const SIMULATED_PROGRAMS: ReadonlySet<string> = new Set([...USR_BIN, ...EXTRA_BIN, 'sh', 'ash', 'ip', 'ifconfig', 'route', 'netstat', 'nc', 'nslookup', 'ping', 'kubectl']);

/** The top-level folders of a usrmerged Debian image (debuerreotype's rootfs), and the links into /usr. */
const ROOT_FOLDERS = ['boot', 'dev', 'etc', 'home', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'srv', 'sys', 'tmp', 'usr', 'var'];
const ROOT_LINKS: Array<[string, string]> = [['bin', 'usr/bin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64'], ['sbin', 'usr/sbin']];

/** The nginx.org package's /etc/nginx/nginx.conf (the pid file moved from /var/run to /run in the 1.27 packages). */
const nginxConf = (runPid: boolean) => `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        ${runPid ? '/run' : '/var/run'}/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

/**
 * The package's /etc/nginx/conf.d/default.conf; `ipv6`: as the entrypoint's 10-listen-on-ipv6-by-default.sh
 * leaves it (a `listen  [::]:80;` line after `listen 80;`), which a container that ran the entrypoint has.
 */
export const nginxDefaultConf = (ipv6: boolean) => `server {
    listen       80;
${ipv6 ? '    listen  [::]:80;\n' : ''}    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \\.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \\.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\\.ht {
    #    deny  all;
    #}
}
`;

/** The scripts docker-nginx copies into /docker-entrypoint.d (15-local-resolvers.envsh since 1.25.3). */
const ENTRYPOINT_SCRIPTS = ['10-listen-on-ipv6-by-default.sh', '15-local-resolvers.envsh', '20-envsubst-on-templates.sh', '30-tune-worker-processes.sh'];

const roots = new Map<string, Tree>();

/** The image's shared tree (built once per kind of image), or undefined when its Debian base is not modelled. */
export function debianRoot(image: string): Tree | undefined {
  const d = debianImageOf(image);
  if (!d) return undefined;
  const ref = parseImage(image);
  const extra = EXTRA_BIN.filter((p) => !lacks(ref, p));
  const key = `${d.codename}|${d.point ?? ''}|${d.nginx ?? ''}|${d.nodeUser ? 'node' : ''}|${extra.join(',')}`;
  let t = roots.get(key);
  if (!t) roots.set(key, (t = buildDebian(d, extra)));
  return t;
}

function buildDebian(d: DebianImage, extra: string[]): Tree {
  const t = new Tree();
  const dir = (rel: string, mode = 0o755) => t.set(rel, { dir: true, mode, mtime: 0 }, false);
  const file = (rel: string, text: string, mode = 0o644) => t.set(rel, { dir: false, data: new Uint8Array(Buffer.from(text, 'utf8')), mode, mtime: 0 }, false);
  const program = (rel: string) => t.set(rel, { dir: false, data: new Uint8Array(0), mode: 0o755, mtime: 0 }, false);
  for (const f of ROOT_FOLDERS) dir(f, f === 'tmp' ? 0o1777 : f === 'root' ? 0o700 : 0o755);
  for (const f of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'usr/local/bin', 'usr/local/sbin', 'usr/share', 'var/log', 'var/cache', 'var/lib']) dir(f);
  for (const [name, target] of ROOT_LINKS) t.set(name, linkEntry(target, 0), false);
  for (const p of [...USR_BIN, ...extra]) program(`usr/bin/${p}`);
  // /bin/sh is dash (dash's postinst diverts it: a link to dash).
  t.set('usr/bin/sh', linkEntry('dash', 0), false);
  file('usr/lib/os-release', osRelease(d));
  t.set('etc/os-release', linkEntry('../usr/lib/os-release', 0), false);
  if (d.point) file('etc/debian_version', `${d.point}\n`);
  const passwd = [...DEBIAN_PASSWD], group = [...DEBIAN_GROUP];
  if (d.nginx) { passwd.push('nginx:x:101:101:nginx user:/nonexistent:/bin/false'); group.push('nginx:x:101:'); }
  if (d.nodeUser) { passwd.push('node:x:1000:1000::/home/node:/bin/bash'); group.push('node:x:1000:'); dir('home/node'); }
  file('etc/passwd', passwd.map((l) => l + '\n').join(''));
  file('etc/group', group.map((l) => l + '\n').join(''));
  if (d.nginx) {
    const build = NGINX_BUILDS[d.nginx];
    program('usr/sbin/nginx');
    program('usr/sbin/nginx-debug');
    file('etc/nginx/nginx.conf', nginxConf(build.runPid));
    file('etc/nginx/conf.d/default.conf', nginxDefaultConf(false));
    t.set('etc/nginx/modules', linkEntry('../../usr/lib/nginx/modules', 0), false);
    dir('usr/lib/nginx/modules');
    dir('var/cache/nginx');
    dir('var/log/nginx');
    // The Dockerfile forwards the logs to the container's output: `ln -sf /dev/stdout /var/log/nginx/access.log`.
    t.set('var/log/nginx/access.log', linkEntry('/dev/stdout', 0), false);
    t.set('var/log/nginx/error.log', linkEntry('/dev/stderr', 0), false);
    program('docker-entrypoint.sh');
    dir('docker-entrypoint.d');
    for (const s of ENTRYPOINT_SCRIPTS) program(`docker-entrypoint.d/${s}`);
  }
  return t;
}
