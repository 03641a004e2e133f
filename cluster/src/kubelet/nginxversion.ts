/**
 * Which nginx release an image tag plays (a leaf module: the image tree, the logs and the sites all read it).
 */

/** The nginx version of an image tag: the one it names, else (latest, mainline, alpine...) the playground's. */
const NGINX_DEFAULT_VERSION = '1.29.4';
/** The last release of the nginx lines whose images the playground knows, for a tag naming a line only (`1.27`). */
const NGINX_LAST: Record<string, string> = { '1.25': '1.25.5', '1.27': '1.27.5', '1.28': '1.28.0' };

export function nginxVersion(tag: string): string | undefined {
  const full = /^(\d+\.\d+\.\d+)(?:$|-)/.exec(tag);
  if (full) return full[1];
  const line = /^(\d+\.\d+)(?:$|-)/.exec(tag);
  if (line) return NGINX_LAST[line[1]] ?? (NGINX_DEFAULT_VERSION.startsWith(`${line[1]}.`) ? NGINX_DEFAULT_VERSION : undefined);
  return NGINX_DEFAULT_VERSION;
}
