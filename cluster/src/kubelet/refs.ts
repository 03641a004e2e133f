/**
 * What a kubelet refuses to go on without: the ConfigMaps and Secrets a pod
 * names in its volumes and in its containers' environment. Pure: the engine
 * hands in a lookup over its watch caches. The words are the kubelet's own.
 *
 * - Volumes (the configmap, secret and projected plugins' SetUp): a missing
 *   object is `configmap "x" not found` / `secret "x" not found` (the
 *   kubelet's managers name the resource in the singular); an `items` key the
 *   object lacks is `configmap references non-existent config key: k` or
 *   `references non-existent secret key: k`; `optional: true` mounts what
 *   there is. A projected volume reports every failing source, as an
 *   aggregate (`[e1, e2]`) when there are several.
 * - Environment (makeEnvironmentVariables): `envFrom` first, then `env`, each
 *   in order, the first failure wins; a missing key of a `*KeyRef` is
 *   `couldn't find key k in ConfigMap ns/x` (or Secret); `optional` skips.
 */
import type { KObject } from '../contract';

export type RefKind = 'ConfigMap' | 'Secret';
export type RefLookup = (kind: RefKind, name: string) => KObject | undefined;

const word = (kind: RefKind) => (kind === 'ConfigMap' ? 'configmap' : 'secret');
const own = (m: unknown, k: string) => !!m && typeof m === 'object' && Object.prototype.hasOwnProperty.call(m, k);
/** Whether the object holds the key (a volume takes `data` and `binaryData`). */
const hasKey = (o: KObject, k: string) => own(o.data, k) || own(o.binaryData, k);

/** One ConfigMap or Secret source of a volume: the first problem, or undefined. */
function sourceError(kind: RefKind, name: unknown, items: unknown, optional: unknown, get: RefLookup): string | undefined {
  if (typeof name !== 'string' || !name) return undefined;
  const obj = get(kind, name);
  if (!obj) return optional === true ? undefined : `${word(kind)} "${name}" not found`;
  if (!Array.isArray(items) || optional === true) return undefined;
  for (let i = 0; i < items.length; i++) {
    const key = items[i]?.key;
    if (typeof key === 'string' && !hasKey(obj, key)) {
      return kind === 'ConfigMap' ? `configmap references non-existent config key: ${key}` : `references non-existent secret key: ${key}`;
    }
  }
  return undefined;
}

/** The volumes of the pod that cannot be set up now, with the plugin's error, in spec order. */
export function volumeErrors(pod: KObject, get: RefLookup): Array<{ volume: string; message: string }> {
  const out: Array<{ volume: string; message: string }> = [];
  // Indexed loops, as each pod's volumes are looked at when its kubelet takes it up: the lists are frozen (see
  // deepFreeze).
  const volumes = pod.spec?.volumes ?? [];
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    let message: string | undefined;
    if (v?.configMap) message = sourceError('ConfigMap', v.configMap.name, v.configMap.items, v.configMap.optional, get);
    else if (v?.secret) message = sourceError('Secret', v.secret.secretName, v.secret.items, v.secret.optional, get);
    else if (v?.projected) {
      const errs: string[] = [];
      const sources = v.projected.sources ?? [];
      for (let j = 0; j < sources.length; j++) {
        const s = sources[j];
        const e = s?.configMap ? sourceError('ConfigMap', s.configMap.name, s.configMap.items, s.configMap.optional, get)
          : s?.secret ? sourceError('Secret', s.secret.name, s.secret.items, s.secret.optional, get) : undefined;
        if (e) errs.push(e);
      }
      // utilerrors.NewAggregate: repeated messages once; one message without brackets. (Most projected volumes, every
      // pod's kube-api-access one among them, have no error: no set for them.)
      const distinct = errs.length ? [...new Set(errs)] : errs;
      if (distinct.length) message = distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
    }
    if (message) out.push({ volume: String(v.name), message });
  }
  return out;
}

/** Why the container's environment cannot be built now, or undefined (the kubelet then creates it). */
export function envError(pod: KObject, container: any, get: RefLookup): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const e of container?.envFrom ?? []) {
    const ref = e?.configMapRef ? { kind: 'ConfigMap' as const, r: e.configMapRef } : e?.secretRef ? { kind: 'Secret' as const, r: e.secretRef } : undefined;
    if (!ref || typeof ref.r.name !== 'string' || !ref.r.name) continue;
    if (!get(ref.kind, ref.r.name) && ref.r.optional !== true) return `${word(ref.kind)} "${ref.r.name}" not found`;
  }
  for (const e of container?.env ?? []) {
    const vf = e?.valueFrom;
    const ref = vf?.configMapKeyRef ? { kind: 'ConfigMap' as const, r: vf.configMapKeyRef } : vf?.secretKeyRef ? { kind: 'Secret' as const, r: vf.secretKeyRef } : undefined;
    if (!ref || typeof ref.r.name !== 'string' || !ref.r.name) continue;
    const obj = get(ref.kind, ref.r.name);
    const optional = ref.r.optional === true;
    if (!obj) {
      if (optional) continue;
      return `${word(ref.kind)} "${ref.r.name}" not found`;
    }
    // Variables take `data` only (a ConfigMap's binaryData is for volumes).
    if (!own(obj.data, ref.r.key) && !optional) return `couldn't find key ${ref.r.key} in ${ref.kind} ${ns}/${ref.r.name}`;
  }
  return undefined;
}

/** The pod's imagePullSecrets that do not exist (getPullSecretsForPod warns about them and pulls anyway). */
export function missingPullSecrets(pod: KObject, get: RefLookup): string[] {
  return (pod.spec?.imagePullSecrets ?? []).map((s: any) => s?.name).filter((n: unknown): n is string => typeof n === 'string' && n !== '' && !get('Secret', n));
}
