/**
 * What an official image's userland is made of, where a learner meets it in `kubectl exec`: which shell its
 * `/bin/sh` is, and which of the playground's simulated programs it lacks. Images the playground knows nothing
 * of get none of this (undefined): their shell stays the busybox-like one, with every program.
 *
 * - busybox: busybox ash and its applets (no curl, no getent, no bash).
 * - alpine (`alpine`, and every `*-alpine*` tag of an official image): busybox ash and applets, no bash; alpine
 *   itself has no curl either (busybox's wget only).
 * - debian (the official images built FROM debian:*-slim or buildpack-deps, and debian and ubuntu themselves):
 *   /bin/sh is dash (no `ash`), bash is there, and the programs are Debian's Essential set (coreutils, findutils, grep,
 *   tar, hostname, libc-bin's getent) without procps (ps, top, /usr/bin/kill), iproute2 (ip), iputils-ping,
 *   net-tools (ifconfig, route, netstat), netcat, bind9-dnsutils (nslookup), wget or curl, unless the image's
 *   Dockerfile installs them:
 *   - nginx: nginxinc/docker-nginx mainline/debian/Dockerfile installs `$nginxPackages gettext-base curl`;
 *   - python and node (their non-slim tags): FROM buildpack-deps, whose curl/Dockerfile installs curl and wget
 *     and scm/Dockerfile procps.
 */
import type { ImageRef } from './imageConvention';

export type Userland = 'busybox' | 'alpine' | 'debian';

/** The official images (and nginx's unprivileged build) whose default tags are Debian-based. */
const DEBIAN_IMAGES = new Set(['nginx', 'nginxinc/nginx-unprivileged', 'httpd', 'redis', 'postgres', 'python', 'node', 'debian', 'ubuntu']);

/** Docker Hub's name of the image: `nginx` for docker.io/library/nginx, the repository path otherwise. */
function hubName(ref: ImageRef): string | undefined {
  if (ref.registry !== 'docker.io') return undefined;
  return ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
}

export function userlandOf(ref: ImageRef): Userland | undefined {
  // busybox under any registry (registry.k8s.io/busybox, gcr.io/google-containers/busybox) is busybox alone.
  if (/(^|\/)busybox$/.test(ref.repository)) return 'busybox';
  const name = hubName(ref);
  if (name === undefined) return undefined;
  if (name === 'alpine' || (DEBIAN_IMAGES.has(name) && /(^|-)alpine/.test(ref.tag))) return 'alpine';
  return DEBIAN_IMAGES.has(name) ? 'debian' : undefined;
}

/** The simulated programs a Debian slim image does not ship (see above). */
const DEBIAN_SLIM_LACKS: ReadonlySet<string> = new Set(['ash', 'ps', 'top', 'kill', 'ip', 'ping', 'ifconfig', 'route', 'netstat', 'nc', 'nslookup', 'wget', 'curl']);
/** What buildpack-deps' curl and scm layers add back. */
const BUILDPACK_DEPS_HAS: ReadonlySet<string> = new Set(['curl', 'wget', 'ps', 'top', 'kill']);

/** Whether the image's userland lacks `program` (a command name, no path). */
export function userlandLacks(ref: ImageRef, program: string): boolean {
  switch (userlandOf(ref)) {
    case 'busybox': return program === 'curl' || program === 'getent' || program === 'bash';
    case 'alpine': return program === 'bash' || (program === 'curl' && hubName(ref) === 'alpine');
    case 'debian': {
      if (!DEBIAN_SLIM_LACKS.has(program)) return false;
      const name = hubName(ref)!;
      if (name === 'nginx' || name === 'nginxinc/nginx-unprivileged') return program !== 'curl';
      if ((name === 'python' || name === 'node') && !/slim/.test(ref.tag)) return !BUILDPACK_DEPS_HAS.has(program);
      return true;
    }
    default: return false;
  }
}

/**
 * The shell `sh` runs in the image: dash in the Debian-based ones, busybox ash elsewhere (and in images the
 * playground does not know).
 */
export function shOf(ref: ImageRef): 'ash' | 'dash' {
  return userlandOf(ref) === 'debian' ? 'dash' : 'ash';
}
