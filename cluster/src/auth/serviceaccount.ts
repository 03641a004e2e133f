/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount):
 * a pod runs as an account that must exist, and unless automounting is off
 * every container (init containers too) gets the account's token, the
 * cluster's CA and the namespace at /var/run/secrets/kubernetes.io/serviceaccount,
 * from one projected volume named kube-api-access-<5 chars>.
 */
import type { AdmissionPlugin } from '../apiserver/api';
import type { KObject } from '../contract';
import type { Store } from '../store/store';
import { NAME_ALPHABET } from '../apiserver/meta';
import { forbidden } from '../apiserver/status';
import { deepFreeze } from '../runtime/objects';
import { WARN_ONLY_SECONDS } from './issuer';

const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const SA_VOLUME_PREFIX = 'kube-api-access-';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** TokenVolumeSource(); one frozen copy is shared by every pod (objects in the store are frozen anyway). */
const PROJECTED = deepFreeze({ defaultMode: 420, sources: [
  { serviceAccountToken: { expirationSeconds: WARN_ONLY_SECONDS, path: 'token' } },
  { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: ROOT_CA_CONFIGMAP } },
  { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
] });

/** Whether a projected volume source is the one the plugin adds (every pod's), the very object. */
export const isTokenVolumeSource = (projected: unknown): boolean => projected === PROJECTED;

/** The names a pod without volumes has taken: none. */
const NO_NAMES: ReadonlySet<string> = new Set();

/** The volume name's character codes: the prefix's, then the five drawn ones, written over for each pod. */
const volumeCodes: number[] = Array.from(SA_VOLUME_PREFIX, (c) => c.charCodeAt(0)).concat([0, 0, 0, 0, 0]);

/**
 * Upstream draws the 5 characters at random; here they come from the pod's uid (itself from the seeded
 * source), so the plugin takes nothing from the cluster's random stream and a run stays the same. The name is
 * made as one flat string (five appends would leave a chain of string pieces to flatten at its first look-up).
 */
function volumeName(uid: string, taken: ReadonlySet<string>): string {
  for (let salt = 0; ; salt++) {
    let h = 0x811c9dc5 ^ salt;
    for (let i = 0; i < uid.length; i++) h = Math.imul(h ^ uid.charCodeAt(i), 0x01000193);
    for (let i = SA_VOLUME_PREFIX.length; i < volumeCodes.length; i++) {
      volumeCodes[i] = NAME_ALPHABET.charCodeAt((h >>> 0) % NAME_ALPHABET.length);
      h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    }
    const s = String.fromCharCode.apply(null, volumeCodes);
    if (!taken.has(s)) return s;
  }
}

/**
 * The name a refusal shows: upstream admits before a generated name is made, so it shows the generateName
 * (`pods "web-5d8c9f7b4-" is forbidden: …`); here the name is made first, and is taken back off.
 */
function shownName(pod: KObject): string {
  const { name = '', generateName } = pod.metadata;
  return generateName && name.length === generateName.length + 5 && name.startsWith(generateName) ? generateName : name;
}

/** pod.spec.automountServiceAccountToken wins; then the account's; then true. */
function shouldAutomount(pod: KObject, sa: KObject | undefined): boolean {
  const p = pod.spec?.automountServiceAccountToken;
  if (typeof p === 'boolean') return p;
  const a = (sa as any)?.automountServiceAccountToken;
  return typeof a === 'boolean' ? a : true;
}

/** An empty list to read when a pod has none. */
const NO_ITEMS: readonly any[] = Object.freeze([]);

/** Mounts the token volume `vname` into each container of `list` that has nothing at the path; answers how many got it. */
function mountToken(list: unknown, vname: string): number {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (!c || typeof c !== 'object') continue;
    const mounts: any[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : NO_ITEMS;
    // A container that mounts something at the path itself keeps its own.
    if (mounts.length && mounts.some((m) => m?.mountPath === SA_MOUNT_PATH)) continue;
    const mount = { mountPath: SA_MOUNT_PATH, name: vname, readOnly: true };
    // Most containers mount nothing else: a literal is built at once, where a spread walks an iterator.
    c.volumeMounts = mounts.length ? [...mounts, mount] : [mount];
    n++;
  }
  return n;
}

export function serviceAccountAdmission(store: Store): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    resources: ['/pods'],
    admit(op, pod) {
      if (op !== 'CREATE' || pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return;
      const spec = pod.spec;
      if (!spec || typeof spec !== 'object') return;
      const ns = pod.metadata.namespace ?? 'default';
      const name = (spec.serviceAccountName ||= 'default');
      const sa = store.get('/serviceaccounts', ns, name);
      // Upstream retries the `default` account for a while, as its controller makes it with the namespace;
      // here that controller runs in the same turn, so the account is as good as there.
      if (!sa && name !== 'default') {
        throw forbidden({ group: '', resource: 'pods' }, shownName(pod),
          `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
      }
      // Pull secrets come from the account when the pod names none.
      const pull = (sa as any)?.imagePullSecrets;
      if (Array.isArray(pull) && pull.length && !(Array.isArray(spec.imagePullSecrets) && spec.imagePullSecrets.length)) {
        spec.imagePullSecrets = pull.filter((r: any) => r?.name).map((r: any) => ({ name: r.name }));
      }
      if (!shouldAutomount(pod, sa)) return;
      const volumes: any[] = Array.isArray(spec.volumes) ? spec.volumes : NO_ITEMS;
      // A spec copied from a pod that already had one (a `get -o yaml` applied again) keeps its volume.
      const existing = volumes.length ? volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(SA_VOLUME_PREFIX))?.name : undefined;
      const vname = existing ?? volumeName(pod.metadata.uid ?? pod.metadata.name ?? '', volumes.length ? new Set(volumes.map((v) => v?.name)) : NO_NAMES);
      // Every pod passes here: its two lists are walked by index, with no list of lists or closure made for them.
      const needed = mountToken(spec.initContainers, vname) + mountToken(spec.containers, vname) > 0;
      if (needed && !existing) {
        const volume = { name: vname, projected: PROJECTED };
        spec.volumes = volumes.length ? [...volumes, volume] : [volume];
      }
    },
  };
}
