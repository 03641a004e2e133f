/**
 * The helper pods of kind's local-path provisioner (rancher/local-path-provisioner provisioner.go,
 * createHelperPod). Each volume it makes or removes is a pod of its own in its namespace, pinned to the volume's
 * node: `helper-pod-create-<pv>` runs the ConfigMap's `setup` script, `helper-pod-delete-<pv>` its `teardown`.
 * The provisioner polls the pod once a second until it has Succeeded (120 tries, then "create process timeout"),
 * deletes it either way, and only then creates the PersistentVolume (or deletes it). So a learner watching
 * `kubectl get pods -A -w` sees one come and go with its own Pulled/Created/Started events, as on kind.
 */
import type { ComponentContext, KObject } from '../contract';
import { GVRS } from '../scheduler/watch';
import { errorMessage, isAlreadyExists } from '../controllers/util/write';
import { LOCAL_PATH_HELPER_IMAGE } from '../kubelet/staticpods';

export const LOCAL_PATH_SA = 'local-path-provisioner-service-account';
export const LOCAL_PATH_CONFIGMAP = 'local-path-config';
/** defaultCmdTimeoutSeconds: the provisioner looks at its helper pod this many times, a second apart. */
export const HELPER_TIMEOUT_S = 120;
/** HelperPodNameMaxLength: a longer name is cut. */
const NAME_MAX = 128;

export type HelperAction = 'create' | 'delete';

export interface HelperVolume {
  /** The PersistentVolume's name (`pvc-<claim uid>`). */
  name: string;
  /** The folder on the node (`/var/local-path-provisioner/<pv>_<ns>_<claim>`). */
  path: string;
  node: string;
  mode: string;
  sizeBytes: number;
}

/** `helperPod.Name + "-" + action + "-" + pv`, cut at 128 characters; the ConfigMap's helperPod.yaml names it helper-pod. */
export const helperPodName = (action: HelperAction, pv: string) => `helper-pod-${action}-${pv}`.slice(0, NAME_MAX);

/**
 * The pod createHelperPod makes from kind's helperPod.yaml: the volume's parent folder mounted at the same path
 * (hostPath, DirectoryOrCreate), the setup/teardown scripts at /script, VOL_DIR/VOL_MODE/VOL_SIZE_BYTES and the same
 * as `-p -s -m` arguments, privileged, tolerating every taint, on the node itself (no scheduler).
 */
export function helperPod(namespace: string, action: HelperAction, v: HelperVolume): KObject {
  // filepath.Split keeps the parent's trailing slash for the hostPath and the mount; VOL_DIR is joined without it.
  const clean = v.path.replace(/\/+$/, '');
  const cut = clean.lastIndexOf('/');
  const parent = clean.slice(0, cut + 1);
  const dir = `${parent.replace(/\/+$/, '')}/${clean.slice(cut + 1)}`;
  const size = String(Math.ceil(v.sizeBytes));
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: helperPodName(action, v.name), namespace },
    spec: {
      containers: [{
        name: 'helper-pod',
        image: LOCAL_PATH_HELPER_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', `/script/${action === 'create' ? 'setup' : 'teardown'}`],
        args: ['-p', dir, '-s', size, '-m', v.mode],
        env: [{ name: 'VOL_DIR', value: dir }, { name: 'VOL_MODE', value: v.mode }, { name: 'VOL_SIZE_BYTES', value: size }],
        volumeMounts: [{ name: 'script', mountPath: '/script' }, { name: 'data', mountPath: parent }],
        securityContext: { privileged: true },
      }],
      nodeName: v.node,
      restartPolicy: 'Never',
      serviceAccountName: LOCAL_PATH_SA,
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        { name: 'data', hostPath: { path: parent, type: 'DirectoryOrCreate' } },
        { name: 'script', configMap: { name: LOCAL_PATH_CONFIGMAP, items: [{ key: 'setup', path: 'setup' }, { key: 'teardown', path: 'teardown' }] } },
      ],
    },
  } as KObject;
}

/**
 * createHelperPod's cycle: create the pod (one left over from an earlier try is reused), look at it now and once a
 * second until it has Succeeded, then delete it and report. `done` gets the error text, wrapped as upstream wraps it
 * (`failed to <action> volume <pv>: …`), or undefined on success.
 */
export function runHelperPod(ctx: ComponentContext, namespace: string, action: HelperAction, v: HelperVolume, done: (err?: string) => void): void {
  const pod = helperPod(namespace, action, v);
  const name = pod.metadata.name!;
  const fail = (why: string) => done(`failed to ${action} volume ${v.name}: ${why}`);
  try {
    ctx.api.create(GVRS.pods, namespace, pod);
  } catch (e) {
    if (!isAlreadyExists(e)) return fail(errorMessage(e));
  }
  const finish = (err?: string) => {
    try { ctx.api.delete(GVRS.pods, namespace, name); } catch { /* gone already */ }
    if (err) fail(err);
    else done();
  };
  let tries = 0;
  const look = () => {
    let phase: string | undefined;
    try { phase = ctx.api.get(GVRS.pods, namespace, name).status?.phase; } catch (e) { return finish(errorMessage(e)); }
    if (phase === 'Succeeded') return finish();
    if (++tries >= HELPER_TIMEOUT_S) return finish(`create process timeout after ${HELPER_TIMEOUT_S} seconds`);
    ctx.clock.setTimer(1000, look);
  };
  look();
}
