/**
 * What the official mysql and mariadb images' entrypoints write when they refuse to initialize a database
 * (imageConvention's mysqlRefusal), line by line, as `kubectl logs` shows them.
 *
 * Both log through one function: `<date --rfc-3339=seconds> [<type>] [Entrypoint]: <text>`. Run as root, each says
 * which server build it starts, then steps down to the `mysql` user (gosu) and runs itself again, which says the
 * build once more; mariadb's root pass also warns that it may not take over the container's memory.pressure file,
 * which a cluster's container sees read-only. Then it checks the environment and stops with `[ERROR]`.
 */
import type { DatabaseRefusal } from '../../../kube/src/imageConvention';

/**
 * The server build (the image's MYSQL_VERSION or MARIADB_VERSION) of the tags whose build is known: those that named
 * late 2025's releases, as containers of them logged it then. Any other tag's build is not known here, and its log
 * leaves out the two lines that name it.
 */
const BUILDS: Record<'mysql' | 'mariadb', Record<string, string>> = {
  mysql: {
    latest: '9.5.0-1.el9', oracle: '9.5.0-1.el9', innovation: '9.5.0-1.el9', '9': '9.5.0-1.el9', '9.5': '9.5.0-1.el9', '9.5.0': '9.5.0-1.el9',
    lts: '8.4.7-1.el9', '8': '8.4.7-1.el9', '8.4': '8.4.7-1.el9', '8.4.7': '8.4.7-1.el9',
    '8.0': '8.0.44-1.el9', '8.0.44': '8.0.44-1.el9',
    // 5.7's last release, which its tags have named since late 2023.
    '5': '5.7.44-1.el7', '5.7': '5.7.44-1.el7', '5.7.44': '5.7.44-1.el7',
  },
  mariadb: {
    latest: '1:12.1.2+maria~ubu2404', noble: '1:12.1.2+maria~ubu2404', '12': '1:12.1.2+maria~ubu2404', '12.1': '1:12.1.2+maria~ubu2404',
    '12.1.2': '1:12.1.2+maria~ubu2404', '12.0': '1:12.0.2+maria~ubu2404', '12.0.2': '1:12.0.2+maria~ubu2404',
  },
};

/** The build a tag names, if known: mysql's `-oracle` and mariadb's `-noble` variants are the default builds. */
export function databaseBuild(image: 'mysql' | 'mariadb', tag: string): string | undefined {
  const base = image === 'mysql' ? tag.replace(/-oracle(?:linux9)?$/, '') : tag.replace(/-noble$/, '');
  return BUILDS[image][base || 'latest'];
}

const MYSQL_ROOT_OPTIONS = ['    - MYSQL_ROOT_PASSWORD', '    - MYSQL_ALLOW_EMPTY_PASSWORD', '    - MYSQL_RANDOM_ROOT_PASSWORD'];

/**
 * The log of a refused start. `asRoot`: the container runs as root (the entrypoint then steps down and runs again);
 * `privileged`: its cgroup files are writable (no memory.pressure warning from mariadb).
 */
export function databaseRefusalLog(refusal: DatabaseRefusal, tag: string, startedAt: number, asRoot: boolean, privileged: boolean): string[] {
  const t = new Date(startedAt).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00:00');
  const line = (type: string, text: string) => `${t} [${type}] [Entrypoint]: ${text}`;
  const server = refusal.image === 'mysql' ? 'MySQL' : 'MariaDB';
  const build = databaseBuild(refusal.image, tag);
  const started = build ? [line('Note', `Entrypoint script for ${server} Server ${build} started.`)] : [];
  const out = [...started];
  if (asRoot) {
    if (refusal.image === 'mariadb' && !privileged) out.push(line('Warn', '/sys/fs/cgroup///memory.pressure not writable, functionality unavailable to MariaDB'));
    out.push(line('Note', "Switching to dedicated user 'mysql'"), ...started);
  }
  if (refusal.image === 'mariadb') {
    out.push(line('ERROR', 'Database is uninitialized and password option is not specified'),
      '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD');
  } else if (refusal.reason === 'no-password') {
    out.push(line('ERROR', 'Database is uninitialized and password option is not specified'),
      '    You need to specify one of the following as an environment variable:', ...MYSQL_ROOT_OPTIONS);
  } else {
    out.push(line('ERROR', 'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user'),
      '    Remove MYSQL_USER="root" and use one of the following to control the root user password:', ...MYSQL_ROOT_OPTIONS);
  }
  return out;
}
