/**
 * Images that cannot start as the pod asks, as their own entrypoints and servers refuse (imageConvention models
 * each, so the playground's containers fail the same way): nginx sent into the background, nginx with nowhere to
 * write, postgres, mysql and mariadb with no root password. One pass over the containers serves the checks, and a
 * container whose image names none of these costs a few string searches.
 */
import type { JsonObject, Rule } from './context';
import { eachObject, podSpecSites } from './context';
import type { FieldPath, Finding } from './types';
import { mongoHalfCredentials, mysqlRefusal, nginxDaemonizes, redisDaemonizes, nginxWriteFailure, postgresMissingPassword } from '../imageConvention';

export const imageStartupRule: Rule = {
  codes: ['nginx-daemonizes', 'nginx-cannot-write', 'postgres-no-password', 'mysql-no-password', 'mysql-root-user', 'redis-daemonizes', 'mongo-half-credentials'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          // An init container that exits 0 has done its work, and one that fails is the init container's own story;
          // a sidecar (restartPolicy Always) is meant to run on.
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          const image = ctr.image;
          if (typeof image !== 'string') return;
          if (image.includes('nginx')) {
            const at: FieldPath = [...site.specPath, list, i];
            nginxDaemon(ctr, at, out);
            nginxWrites(ctr, site.spec.securityContext, site.specPath, at, out);
          } else if (image.includes('postgres')) {
            postgresPassword(ctr, [...site.specPath, list, i], out);
          } else if (image.includes('mysql') || image.includes('mariadb')) {
            mysqlPassword(ctr, [...site.specPath, list, i], out);
          } else if (image.includes('redis')) {
            redisDaemon(ctr, [...site.specPath, list, i], out);
          } else if (image.includes('mongo')) {
            mongoCredentials(ctr, [...site.specPath, list, i], out);
          }
        });
      }
    }
  },
};

/**
 * nginx started by a container's own command or args without `-g 'daemon off;'` (imageConvention's nginxDaemonizes):
 * it goes into the background, its first process exits 0, and the container ends with it.
 */
function nginxDaemon(ctr: JsonObject, at: FieldPath, out: Finding[]): void {
  const d = nginxDaemonizes(ctr);
  if (!d) return;
  out.push({
    code: 'nginx-daemonizes', severity: 'warning', path: [...at, d.list, d.index],
    message: 'nginx started this way runs as a daemon: its first process forks the server into the background and exits 0 at once, '
      + 'which ends the container. Under restartPolicy Always it is started again and again (CrashLoopBackOff); in a Job it counts as done. '
      + `The image's own command keeps nginx in the foreground: nginx -g 'daemon off;'.`,
    data: { items: ['-g', 'daemon off;'] },
  });
}

/**
 * The official nginx image on a read-only root filesystem or as a user other than root, with no writable volume
 * where it writes as it starts (imageConvention's nginxWriteFailure): it exits 1 and crash-loops.
 */
function nginxWrites(ctr: JsonObject, podSecurity: unknown, specPath: FieldPath, at: FieldPath, out: Finding[]): void {
  const f = nginxWriteFailure(ctr, podSecurity);
  if (!f) return;
  const ownUser = (ctr.securityContext as { runAsUser?: unknown } | undefined)?.runAsUser;
  const path = f.readOnlyRoot ? [...at, 'securityContext', 'readOnlyRootFilesystem']
    : ownUser !== undefined ? [...at, 'securityContext', 'runAsUser'] : [...specPath, 'securityContext', 'runAsUser'];
  const uid = ownUser ?? (podSecurity as { runAsUser?: unknown } | undefined)?.runAsUser;
  const how = f.readOnlyRoot ? 'on a read-only root filesystem' : `as user ${String(uid)}, which may not write the image's folders (they are root's)`;
  out.push({
    code: 'nginx-cannot-write', severity: 'warning', path,
    message: `nginx cannot start ${how}: it writes its temporary folders under /var/cache/nginx and its PID file under /run as it starts, `
      + `and here ${f.call}() "${f.path}" fails (${f.errno}: ${f.error}), so the container exits 1 and is started again and again (CrashLoopBackOff). `
      + `Mount a writable volume, such as an emptyDir, at ${f.mountAt.join(' and ')}${f.nonRoot ? ', or use nginxinc/nginx-unprivileged, made to run as a user other than root' : ''}.`,
    data: { how: f.readOnlyRoot ? 'read-only' : 'non-root', uid: typeof uid === 'number' ? uid : undefined, call: f.call, path: f.path, errno: f.errno, error: f.error, mountAt: f.mountAt, nonRoot: f.nonRoot },
  });
}

/** The official postgres image with no superuser password (imageConvention's postgresMissingPassword): it exits 1. */
function postgresPassword(ctr: JsonObject, at: FieldPath, out: Finding[]): void {
  if (!postgresMissingPassword(ctr)) return;
  out.push({
    code: 'postgres-no-password', severity: 'warning', path: [...at, 'image'],
    message: `${String(ctr.image)} will not start without a superuser password: its entrypoint stops with "Error: Database is uninitialized and `
      + 'superuser password is not specified." and the container exits 1, again and again (CrashLoopBackOff). Set POSTGRES_PASSWORD in its env, '
      + 'best from a Secret (valueFrom.secretKeyRef); POSTGRES_HOST_AUTH_METHOD=trust also starts it, but lets anyone connect without a password.',
    data: { image: String(ctr.image), password: 'POSTGRES_PASSWORD' },
  });
}

/**
 * The official mysql or mariadb image with no root password option, or mysql with MYSQL_USER=root
 * (imageConvention's mysqlRefusal): the entrypoint stops and the container exits 1.
 */
function mysqlPassword(ctr: JsonObject, at: FieldPath, out: Finding[]): void {
  const r = mysqlRefusal(ctr);
  if (!r) return;
  const image = String(ctr.image);
  if (r.reason === 'root-user') {
    const env = Array.isArray(ctr.env) ? ctr.env : [];
    const i = env.findIndex((e: any) => e?.name === 'MYSQL_USER' && e.value === 'root');
    out.push({
      code: 'mysql-root-user', severity: 'warning', path: [...at, 'env', i, 'value'],
      message: `${image} will not start with MYSQL_USER=root: MYSQL_USER and MYSQL_PASSWORD create a regular user, so the entrypoint stops with `
        + '"MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user" and the '
        + 'container exits 1, again and again (CrashLoopBackOff). Remove MYSQL_USER; the root password is MYSQL_ROOT_PASSWORD.',
      data: { image },
    });
    return;
  }
  const options = r.image === 'mysql' ? 'MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD'
    : 'MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD';
  const password = r.image === 'mysql' ? 'MYSQL_ROOT_PASSWORD' : 'MARIADB_ROOT_PASSWORD';
  out.push({
    code: 'mysql-no-password', severity: 'warning', path: [...at, 'image'],
    message: `${image} will not start without a root password: its entrypoint stops with "Database is uninitialized and password option is not specified" `
      + `and the container exits 1, again and again (CrashLoopBackOff). It needs one of ${options} in its env; `
      + `set ${password}, best from a Secret (valueFrom.secretKeyRef).`,
    data: { image, server: r.image, password },
  });
}

/**
 * redis-server told `--daemonize yes` (imageConvention's redisDaemonizes): it forks into the background and its first
 * process exits 0, which ends the container. Found at the `yes`.
 */
function redisDaemon(ctr: JsonObject, at: FieldPath, out: Finding[]): void {
  if (!redisDaemonizes(ctr)) return;
  const command = Array.isArray(ctr.command) ? ctr.command.map(String) : [];
  const args = Array.isArray(ctr.args) ? ctr.args.map(String) : [];
  const argv = [...command, ...args];
  const yes = argv.lastIndexOf('--daemonize') + 1;
  const [list, index] = yes < command.length ? ['command', yes] : ['args', yes - command.length];
  out.push({
    code: 'redis-daemonizes', severity: 'warning', path: [...at, list, index],
    message: 'redis-server told --daemonize yes forks into the background, and its first process exits 0 at once, which ends the container. '
      + 'Under restartPolicy Always it is started again and again (CrashLoopBackOff); in a Job it counts as done. In a container, leave daemonize at its default, no.',
  });
}

/**
 * The official mongo image with the root user's name but no password, or the password but no name
 * (imageConvention's mongoHalfCredentials): the entrypoint exits 1. Found at the one that is set.
 */
function mongoCredentials(ctr: JsonObject, at: FieldPath, out: Finding[]): void {
  const setOne = mongoHalfCredentials(ctr);
  if (!setOne) return;
  const other = setOne === 'MONGO_INITDB_ROOT_USERNAME' ? 'MONGO_INITDB_ROOT_PASSWORD' : 'MONGO_INITDB_ROOT_USERNAME';
  const env = Array.isArray(ctr.env) ? ctr.env : [];
  const i = env.findIndex((e: any) => e?.name === setOne || e?.name === `${setOne}_FILE`);
  out.push({
    code: 'mongo-half-credentials', severity: 'warning', path: [...at, 'env', i, 'name'],
    message: `${String(ctr.image)} will not start with ${setOne} but no ${other}: its entrypoint creates the root user only from both, `
      + `and with one alone it stops with "error: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'" and the container exits 1, `
      + `again and again (CrashLoopBackOff). Set ${other} too (a password best from a Secret), or neither, for a server without authentication.`,
    data: { image: String(ctr.image), set: setOne, missing: other },
  });
}
