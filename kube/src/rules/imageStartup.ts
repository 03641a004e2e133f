/**
 * Images that cannot start as the pod asks, as their own entrypoints and servers refuse (imageConvention models
 * each, so the playground's containers fail the same way): nginx sent into the background, nginx with nowhere to
 * write, postgres with no superuser password.
 */
import type { Rule } from './context';
import { eachObject, podSpecSites } from './context';
import { containerRunsAs, nginxDaemonizes, nginxWriteFailure, postgresMissingPassword } from '../imageConvention';

/**
 * nginx started by a container's own command or args without `-g 'daemon off;'` (imageConvention's nginxDaemonizes):
 * it goes into the background, its first process exits 0, and the container ends with it.
 */
export const nginxDaemonRule: Rule = {
  codes: ['nginx-daemonizes'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          // An init container that exits 0 has done its work; a sidecar (restartPolicy Always) is meant to run on.
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          const at = nginxDaemonizes(ctr);
          if (!at) return;
          out.push({
            code: 'nginx-daemonizes', severity: 'warning', path: [...site.specPath, list, i, at.list, at.index],
            message: 'nginx started this way runs as a daemon: its first process forks the server into the background and exits 0 at once, '
              + 'which ends the container. Under restartPolicy Always it is started again and again (CrashLoopBackOff); in a Job it counts as done. '
              + `The image's own command keeps nginx in the foreground: nginx -g 'daemon off;'.`,
            data: { items: ['-g', 'daemon off;'] },
          });
        });
      }
    }
  },
};

/**
 * The official nginx image on a read-only root filesystem or as a user other than root, with no writable volume
 * where it writes as it starts (imageConvention's nginxWriteFailure): it exits 1 and crash-loops.
 */
export const nginxWritesRule: Rule = {
  codes: ['nginx-cannot-write'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const podSecurity = site.spec.securityContext;
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          const f = nginxWriteFailure(ctr, podSecurity);
          if (!f) return;
          const at = [...site.specPath, list, i];
          const runsAs = containerRunsAs(ctr, podSecurity);
          const ownUser = (ctr.securityContext as { runAsUser?: unknown } | undefined)?.runAsUser;
          const path = runsAs.readOnlyRoot ? [...at, 'securityContext', 'readOnlyRootFilesystem']
            : ownUser !== undefined ? [...at, 'securityContext', 'runAsUser'] : [...site.specPath, 'securityContext', 'runAsUser'];
          const uid = ownUser ?? (podSecurity as { runAsUser?: unknown } | undefined)?.runAsUser;
          const how = runsAs.readOnlyRoot ? 'on a read-only root filesystem' : `as user ${String(uid)}, which may not write the image's folders (they are root's)`;
          out.push({
            code: 'nginx-cannot-write', severity: 'warning', path,
            message: `nginx cannot start ${how}: it writes its temporary folders under /var/cache/nginx and its PID file under /run as it starts, `
              + `and here ${f.call}() "${f.path}" fails (${f.errno}: ${f.error}), so the container exits 1 and is started again and again (CrashLoopBackOff). `
              + `Mount a writable volume, such as an emptyDir, at ${f.mountAt.join(' and ')}${runsAs.nonRoot ? ', or use nginxinc/nginx-unprivileged, made to run as a user other than root' : ''}.`,
            data: { how: runsAs.readOnlyRoot ? 'read-only' : 'non-root', uid: typeof uid === 'number' ? uid : undefined, call: f.call, path: f.path, errno: f.errno, error: f.error, mountAt: f.mountAt, nonRoot: runsAs.nonRoot },
          });
        });
      }
    }
  },
};

/** The official postgres image with no superuser password (imageConvention's postgresMissingPassword): it exits 1. */
export const postgresPasswordRule: Rule = {
  codes: ['postgres-no-password'],
  editorOnly: true,
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          if (list === 'initContainers' && ctr.restartPolicy !== 'Always') return;
          if (!postgresMissingPassword(ctr)) return;
          out.push({
            code: 'postgres-no-password', severity: 'warning', path: [...site.specPath, list, i, 'image'],
            message: `${String(ctr.image)} will not start without a superuser password: its entrypoint stops with "Error: Database is uninitialized and `
              + 'superuser password is not specified." and the container exits 1, again and again (CrashLoopBackOff). Set POSTGRES_PASSWORD in its env, '
              + 'best from a Secret (valueFrom.secretKeyRef); POSTGRES_HOST_AUTH_METHOD=trust also starts it, but lets anyone connect without a password.',
            data: { image: String(ctr.image) },
          });
        });
      }
    }
  },
};
