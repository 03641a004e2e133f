/**
 * One container's filesystem as the kubelet and the runtime set it up: the
 * image's directories and the kubelet-written files (/etc/hosts,
 * /etc/hostname, /etc/resolv.conf) under the container's writable layer, and
 * the pod's volumes mounted where its `volumeMounts` say (disk.ts keeps what
 * outlives a session).
 */
import type { KObject } from '../contract';
import { behaviourOf, fileExistsAt, parseImage } from '../../../kube/src/imageConvention';
import { ContainerFs, Disks, Tree, normalize, treeOf, type Mount } from './disk';
import { fillTree } from './tree';
import { imageFiles } from './imagefiles';
import { identityOf } from './procs';
import { ROOT_CA_CONFIGMAP } from '../auth/serviceaccount';
import type { ExecWorld } from './execenv';
import { containerSpecOf, decodeSecret, fieldValue, instanceOf, resolvConf } from './execenv';
import { kernelHostname } from './hostname';
import { etcHosts } from './hostsfile';

/** The busybox image's top-level directories. */
export const ROOT_DIRS = ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'];

/** Folders the well-known images ship, so that `kubectl cp` and `ls` find them (the files users meet: imagefiles.ts). */
const IMAGE_DIRS: Record<string, string[]> = {
  'library/nginx': ['usr/share/nginx/html', 'etc/nginx/conf.d', 'var/log/nginx', 'var/cache/nginx'],
  'nginxinc/nginx-unprivileged': ['usr/share/nginx/html', 'etc/nginx/conf.d', 'var/log/nginx', 'var/cache/nginx'],
  'nginx-slim': ['usr/share/nginx/html', 'etc/nginx/conf.d', 'var/log/nginx'],
  'google_containers/nginx-slim': ['usr/share/nginx/html', 'etc/nginx/conf.d', 'var/log/nginx'],
  'library/httpd': ['usr/local/apache2/htdocs', 'usr/local/apache2/conf'],
  'library/redis': ['data'],
  'library/postgres': ['var/lib/postgresql/data'],
  'library/mysql': ['var/lib/mysql'],
  'library/mariadb': ['var/lib/mysql'],
  'library/mongo': ['data/db'],
};

/** A downward API file's text: labels and annotations as `key="value"` lines, as the kubelet writes them. */
function downwardText(pod: KObject, path: string): string {
  const m = /^metadata\.(labels|annotations)$/.exec(path);
  if (m) {
    const map: Record<string, string> = (pod.metadata as any)?.[m[1]] ?? {};
    return Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n');
  }
  return fieldValue(pod, path);
}

/** The files of a configMap, secret or downwardAPI source (after `items`), or undefined when the object is missing. */
function sourceFiles(w: ExecWorld, src: any): Array<[string, string | Uint8Array]> | undefined {
  const ns = w.pod.metadata.namespace ?? 'default';
  const pick = (data: Record<string, string | Uint8Array>, items?: any[]) =>
    items?.length ? items.filter((i) => i.key in data).map((i): [string, string | Uint8Array] => [i.path, data[i.key]]) : Object.entries(data);
  if (src.configMap) {
    const cm = w.configMap(ns, src.configMap.name);
    if (!cm) return undefined;
    const data: Record<string, string | Uint8Array> = { ...(cm.data ?? {}) };
    for (const [k, v] of Object.entries<string>(cm.binaryData ?? {})) data[k] = new Uint8Array(Buffer.from(v, 'base64'));
    return pick(data, src.configMap.items);
  }
  if (src.secret) {
    const s = w.secret(ns, src.secret.secretName ?? src.secret.name);
    if (!s) return undefined;
    const data = Object.fromEntries(Object.keys({ ...(s.data ?? {}), ...(s.stringData ?? {}) }).map((k) => [k, decodeSecret(s, k) ?? '']));
    return pick(data, src.secret.items);
  }
  if (src.downwardAPI) {
    return (src.downwardAPI.items ?? []).filter((i: any) => i.fieldRef).map((i: any): [string, string] => [i.path, downwardText(w.pod, i.fieldRef.fieldPath)]);
  }
  if (src.serviceAccountToken) {
    const token = w.serviceAccountToken?.(src.serviceAccountToken);
    return token === undefined ? undefined : [[src.serviceAccountToken.path ?? 'token', token]];
  }
  return undefined;
}

export const isConfigVolume = (v: any): boolean => !!(v?.configMap || v?.secret || v?.downwardAPI || v?.projected);

/**
 * Whether the kubelet's first copy of a config volume must be taken when a container starts (startsnap.ts):
 * not for the service-account volume alone (its CA and namespace do not change, its token is made when read),
 * which every pod has and which would otherwise cost every pod a copy.
 */
export function copiedAtStart(v: any): boolean {
  if (!v?.projected) return isConfigVolume(v);
  return (v.projected.sources ?? []).some((s: any) => s?.secret || (s?.configMap && s.configMap.name !== ROOT_CA_CONFIGMAP)
    || s?.downwardAPI?.items?.some((i: any) => i?.fieldRef?.fieldPath !== 'metadata.namespace' || i?.resourceFieldRef));
}

/** A ConfigMap, Secret, downward API or projected volume's files as they are now, or undefined when its object is missing. */
export function configFiles(w: ExecWorld, v: any): Array<[string, string | Uint8Array]> | undefined {
  // A plain volume whose object is missing has nothing to show; a projected one shows what its sources have.
  if (!v.projected) return sourceFiles(w, v);
  const files: Array<[string, string | Uint8Array]> = [];
  for (const src of v.projected.sources ?? []) files.push(...(sourceFiles(w, src) ?? []));
  return files;
}

/** How often the kubelet's periodic pod sync rewrites a ConfigMap or Secret volume (its --sync-frequency, 1m). */
export const CONFIG_SYNC_MS = 60_000;

/**
 * The volume's files as the kubelet last wrote them: taken when the
 * container started (startsnap.ts) and rewritten from the objects at each
 * periodic sync after that, so an update shows within about a minute.
 * Undefined when no copy was taken (then the objects are read as they are).
 */
function refreshedConfigVolume(w: ExecWorld, disks: Disks, uid: string, v: any): Tree | undefined {
  const now = w.now();
  let t = disks.configVolume(uid, v.name);
  if (!t || t.at === undefined) {
    // Not written yet (a pod from before this kubelet kept copies): the first look writes it, as of now.
    const files = configFiles(w, v);
    if (!files) return undefined;
    t = disks.configVolume(uid, v.name, true)!;
    fillTree(t, files, now);
    t.at = now;
    disks.changed();
    return t;
  }
  if (now - t.at >= CONFIG_SYNC_MS) {
    const files = configFiles(w, v);
    if (files && !sameFiles(t, files)) {
      fillTree(t, files, now);
      disks.changed();
    }
    t.at = now - ((now - t.at) % CONFIG_SYNC_MS);
  }
  return t;
}

function sameFiles(t: Tree, files: Array<[string, string | Uint8Array]>): boolean {
  if (t.entries.size !== files.length) return false;
  for (const [rel, data] of files) {
    const e = t.entries.get(rel.replace(/^\/+/, ''));
    if (!e || !('data' in e) || !Buffer.from(e.data).equals(Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data))) return false;
  }
  return true;
}

/** Where a PersistentVolume's data lives: a node path for hostPath and local volumes, else the volume's own tree. */
function volumeTree(disks: Disks, pv: KObject, node: string): { tree: Tree; base: string } {
  const hostPath = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (hostPath) return { tree: disks.node(node), base: normalize(hostPath).slice(1) };
  return { tree: disks.volume(pv.metadata.name!), base: '' };
}

/** One mount of the container, or undefined when its volume has nothing to show (a missing ConfigMap, an unbound claim). */
function mountOf(w: ExecWorld, disks: Disks, vm: any, v: any): Mount | undefined {
  const pod = w.pod;
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  const node = pod.spec?.nodeName ?? '';
  const at = normalize(String(vm.mountPath ?? '/'));
  const sub = vm.subPath ? normalize(String(vm.subPath)).slice(1) : '';
  const with_ = (tree: Tree, base: string, readOnly: boolean): Mount => ({ at, tree, base: [base, sub].filter(Boolean).join('/'), readOnly: readOnly || !!vm.readOnly });
  // An emptyDir is made drwxrwxrwx; with the pod's fsGroup the kubelet gives it that group and the setgid bit
  // (SetVolumeOwnership), so what is made inside belongs to the group too. (A subPath inside it keeps the folder's own.)
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  const emptyRoot = sub ? undefined : typeof fsGroup === 'number' ? { mode: 0o2777, gid: fsGroup } : { mode: 0o777 };
  if (v.emptyDir) return { ...with_(disks.emptyDir(uid, v.name), '', false), ...(emptyRoot ? { root: emptyRoot } : {}) };
  if (v.hostPath) return with_(disks.node(node), normalize(String(v.hostPath.path ?? '/')).slice(1), false);
  const claim = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
  if (claim) {
    const pv = w.persistentVolume?.(pod.metadata.namespace ?? 'default', claim);
    if (!pv) return undefined;
    const t = volumeTree(disks, pv, node);
    return with_(t.tree, t.base, !!v.persistentVolumeClaim?.readOnly);
  }
  if (isConfigVolume(v)) {
    // A subPath mount is bound to the file as it was when the container started: it never sees an update.
    const inst = instanceOf(pod, w.container);
    const pinned = sub && inst.id ? w.disks?.startSnapshot('subpath', uid, w.container, inst.id)?.entries.get(`${vm.name}/${sub}`) : undefined;
    if (pinned && 'data' in pinned) return { at: normalize(String(vm.mountPath ?? '/')), tree: treeOf([[sub, pinned.data]], pinned.mtime), base: sub, readOnly: true };
    // The service-account volume alone is made when read (copiedAtStart): no copy kept, no token signed unless looked at.
    const copied = copiedAtStart(v);
    const tree = w.disks && copied ? refreshedConfigVolume(w, w.disks, uid, v) : undefined;
    // A view that lives on (a container's script) sees the kubelet's later rewrites: the copy refreshes as it is read.
    if (tree) return { ...with_(tree, '', true), refresh: () => { refreshedConfigVolume(w, w.disks!, uid, v); } };
    const files = configFiles(w, v);
    return files ? with_(treeOf(files, copied ? w.now() : inst.startedAt ?? w.now()), '', true) : undefined;
  }
  // Any other volume type (nfs, csi, ...): a disk of the pod's own, like emptyDir.
  return { ...with_(disks.emptyDir(uid, v.name), '', false), ...(emptyRoot ? { root: emptyRoot } : {}) };
}

/** The container's filesystem; without `w.disks`, a throwaway one (nothing outlives the session). */
export function containerFs(w: ExecWorld): ContainerFs {
  const pod = w.pod;
  const disks = w.disks ?? new Disks();
  const spec = containerSpecOf(w);
  const inst = instanceOf(pod, w.container);
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  // The layer is kept only once something is written to it (reads and probes leave nothing behind).
  const scratch = new Tree();
  const kept = w.disks && inst.id ? () => w.disks!.layer(uid, w.container, inst.id!) : undefined;
  const claim = w.disks && inst.id ? () => { if (!kept!()) w.disks!.adoptLayer(uid, w.container, inst.id!, scratch, inst.startedAt); } : undefined;
  const generated = new Tree();
  for (const d of ROOT_DIRS) generated.set(d, { dir: true, mode: d === 'tmp' ? 0o1777 : 0o755, mtime: 0 }, false);
  for (const d of IMAGE_DIRS[parseImage(String(spec.image ?? '')).repository] ?? []) generated.set(d, { dir: true, mode: 0o755, mtime: 0 });
  for (const [p, text] of imageFiles(String(spec.image ?? ''))) generated.set(p, { dir: false, data: new Uint8Array(Buffer.from(text, 'utf8')), mode: 0o644, mtime: 0 });
  generated.set('dev/null', { dir: false, data: new Uint8Array(0), mode: 0o666, mtime: 0 });
  for (const [p, text] of [['etc/hostname', `${kernelHostname(pod)}\n`], ['etc/hosts', etcHosts(pod)], ['etc/resolv.conf', resolvConf(pod)]]) {
    generated.set(p, { dir: false, data: new Uint8Array(Buffer.from(text, 'utf8')), mode: 0o644, mtime: inst.startedAt ?? 0 });
  }
  // What the container's own command touched and has not removed by now (the image convention's timeline):
  // the liveness-exec example's /tmp/healthy is there for its first 30 s. A script the kubelet plays makes its
  // files itself, in its own order (and cannot write into a folder that is not there).
  const b = behaviourOf(spec, pod.spec?.restartPolicy ?? 'Always');
  if (b.files && inst.startedAt !== undefined && !w.playsScript?.(w.container)) {
    const runningMs = w.now() - inst.startedAt;
    for (const path of b.files.keys()) {
      const rel = normalize(path).slice(1);
      if (rel && path.startsWith('/') && fileExistsAt(b, path, runningMs)) generated.set(rel, { dir: false, data: new Uint8Array(0), mode: 0o644, mtime: inst.startedAt }, false);
    }
  }
  const mounts: Mount[] = [];
  const volumes = new Map<string, any>((pod.spec?.volumes ?? []).map((v: any) => [v.name, v]));
  for (const vm of spec.volumeMounts ?? []) {
    const v = volumes.get(vm.name);
    const m = v ? mountOf(w, disks, vm, v) : undefined;
    if (m) mounts.push(m);
  }
  const fs = new ContainerFs(scratch, mounts, generated, () => w.now(), w.disks, inst.startedAt ?? w.now(), claim, kept);
  const id = identityOf(pod, spec);
  fs.owner = { uid: id.uid, gid: id.gid };
  return fs;
}
