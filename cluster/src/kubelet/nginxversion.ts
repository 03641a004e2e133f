/**
 * Which nginx release an image tag plays (a leaf module: the image tree, the logs and the sites all read it).
 */

/** The nginx version of an image tag: the one it names, else (latest, mainline, alpine...) the playground's. */
const NGINX_DEFAULT_VERSION = '1.29.4';
/** The last release of the nginx lines whose images the playground knows, for a tag naming a line only (`1.27`). */
const NGINX_LAST: Record<string, string> = { '1.25': '1.25.5', '1.27': '1.27.5', '1.28': '1.28.0' };
/** The stable line of late 2025. */
const NGINX_STABLE_LINE = '1.28';

export function nginxVersion(tag: string): string | undefined {
  const full = /^(\d+\.\d+\.\d+)(?:$|-)/.exec(tag);
  if (full) return full[1];
  const line = /^(\d+\.\d+)(?:$|-)/.exec(tag);
  if (line) return NGINX_LAST[line[1]] ?? (NGINX_DEFAULT_VERSION.startsWith(`${line[1]}.`) ? NGINX_DEFAULT_VERSION : undefined);
  // `stable` and its variants (`stable-alpine`, `stable-perl`) are the even line, 1.28, where `latest` and
  // `mainline` are the odd one (docker-nginx's generate-stackbrew-library.sh tags the stable branch so).
  if (/^stable(?:$|-)/.test(tag)) return NGINX_LAST[NGINX_STABLE_LINE];
  return NGINX_DEFAULT_VERSION;
}
