/**
 * One container's filesystem as the kubelet and the runtime set it up: the
 * image's directories and the kubelet-written files (/etc/hosts,
 * /etc/hostname, /etc/resolv.conf) under the container's writable layer, and
 * the pod's volumes mounted where its `volumeMounts` say (disk.ts keeps what
 * outlives a session).
 */
import type { KObject } from '../contract';
import { behaviourOf, containerRunsAs, fileExistsAt, parseImage } from '../../../kube/src/imageConvention';
import { ContainerFs, Disks, Tree, normalize, treeOf, type Mount } from './disk';
import { linkEntry, Overlay, type FileSpec } from './tree';
import { imageRoot } from './imageroot';
import { samePayload, writeAtomic } from './atomicwriter';
import { imageFiles } from './imagefiles';
import { identityOf, nginxLaunch } from './procs';
import { nginxDefaultConf } from './debianroot';
import { isTokenVolumeSource, ROOT_CA_CONFIGMAP } from '../auth/serviceaccount';
import type { ExecWorld } from './execenv';
import { containerSpecOf, decodeSecret, instanceOf, resolvConf } from './execenv';
import { downwardText, resourceFieldValue } from './downward';
import { kernelHostname } from './hostname';
import { etcHosts } from './hostsfile';
import { tmpfsSize } from './tmpfs';

/** The top-level directories of an image whose own are not modelled (imageroot.ts): busybox's. */
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

/** A mode from the spec when it is one (0 to 0777), else undefined. */
const modeOf = (m: unknown): number | undefined => (typeof m === 'number' && Number.isInteger(m) && m >= 0 && m <= 0o777 ? m : undefined);

/**
 * The files of a configMap, secret, downwardAPI or serviceAccountToken source (after `items`), each with its mode:
 * the item's `mode`, else the volume's `defaultMode`, else the API default 0644 (configmap.go, secret.go and
 * downwardapi.go MakePayload/CollectData); undefined when the object is missing.
 */
function sourceFiles(w: ExecWorld, src: any, defaultMode: number): FileSpec[] | undefined {
  const ns = w.pod.metadata.namespace ?? 'default';
  const pick = (data: Record<string, string | Uint8Array>, items?: any[]): FileSpec[] =>
    items?.length ? items.filter((i) => i.key in data).map((i): FileSpec => [i.path, data[i.key], modeOf(i.mode) ?? defaultMode])
      : Object.entries(data).map(([k, v]): FileSpec => [k, v, defaultMode]);
  // A missing object of an optional source is an empty payload (configmap.go and secret.go SetUpAt): the volume is
  // mounted, empty.
  if (src.configMap) {
    const cm = w.configMap(ns, src.configMap.name);
    if (!cm) return src.configMap.optional ? [] : undefined;
    const data: Record<string, string | Uint8Array> = { ...(cm.data ?? {}) };
    for (const [k, v] of Object.entries<string>(cm.binaryData ?? {})) data[k] = new Uint8Array(Buffer.from(v, 'base64'));
    return pick(data, src.configMap.items);
  }
  if (src.secret) {
    const s = w.secret(ns, src.secret.secretName ?? src.secret.name);
    if (!s) return src.secret.optional ? [] : undefined;
    const data = Object.fromEntries(Object.keys({ ...(s.data ?? {}), ...(s.stringData ?? {}) }).map((k) => [k, decodeSecret(s, k) ?? '']));
    return pick(data, src.secret.items);
  }
  if (src.downwardAPI) {
    // downwardapi.go CollectData: a resourceFieldRef item holds its container's value (a missing limit is the node's
    // allocatable), as the env variable does.
    const allocatable = (src.downwardAPI.items ?? []).some((i: any) => i?.resourceFieldRef) ? w.node?.()?.status?.allocatable : undefined;
    const files: FileSpec[] = [];
    for (const i of src.downwardAPI.items ?? []) {
      const text = i.fieldRef ? downwardText(w.pod, i.fieldRef.fieldPath) : i.resourceFieldRef ? resourceFieldValue(w.pod, undefined, i.resourceFieldRef, allocatable) : undefined;
      if (text !== undefined) files.push([i.path, text, modeOf(i.mode) ?? defaultMode]);
    }
    return files;
  }
  if (src.serviceAccountToken) {
    const token = w.serviceAccountToken?.(src.serviceAccountToken);
    return token === undefined ? undefined : [[src.serviceAccountToken.path ?? 'token', token, defaultMode]];
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
  // The plugin's own source, frozen and shared by every pod, is that volume: nothing to look through.
  if (isTokenVolumeSource(v.projected)) return false;
  return (v.projected.sources ?? []).some((s: any) => s?.secret || (s?.configMap && s.configMap.name !== ROOT_CA_CONFIGMAP)
    || s?.downwardAPI?.items?.some((i: any) => i?.fieldRef?.fieldPath !== 'metadata.namespace' || i?.resourceFieldRef));
}

/** A ConfigMap, Secret, downward API or projected volume's files as they are now, or undefined when its object is missing. */
export function configFiles(w: ExecWorld, v: any): FileSpec[] | undefined {
  // A plain volume whose object is missing has nothing to show; a projected one shows what its sources have.
  if (!v.projected) return sourceFiles(w, v, modeOf((v.configMap ?? v.secret ?? v.downwardAPI)?.defaultMode) ?? 0o644);
  const files: FileSpec[] = [];
  const mode = modeOf(v.projected.defaultMode) ?? 0o644;
  for (const src of v.projected.sources ?? []) files.push(...(sourceFiles(w, src, mode) ?? []));
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
    writeAtomic(t, files, now, `${uid}/${v.name}`);
    t.at = now;
    disks.changed();
    return t;
  }
  if (now - t.at >= CONFIG_SYNC_MS) {
    // The last sync came at this boundary, and wrote the objects as they were then: a change made since waits.
    const sync = now - ((now - t.at) % CONFIG_SYNC_MS);
    const then: ExecWorld = w.configAsOf
      ? { ...w, configMap: (ns, name) => w.configAsOf!('/configmaps', ns, name, sync), secret: (ns, name) => w.configAsOf!('/secrets', ns, name, sync) }
      : w;
    const files = configFiles(then, v);
    if (files && !samePayload(t, files)) {
      writeAtomic(t, files, sync, `${uid}/${v.name}`);
      disks.changed();
    }
    t.at = sync;
  }
  return t;
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
  if (v.emptyDir) {
    const m: Mount = { ...with_(disks.emptyDir(uid, v.name), '', false), ...(emptyRoot ? { root: emptyRoot } : {}) };
    // medium: Memory is a tmpfs of its own size (tmpfs.ts).
    if (v.emptyDir.medium === 'Memory') m.limitBytes = tmpfsSize(pod, v, w.node?.()?.status?.allocatable);
    return m;
  }
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
    if (pinned && 'data' in pinned) return { at: normalize(String(vm.mountPath ?? '/')), tree: treeOf([[sub, pinned.data, pinned.mode]], pinned.mtime), base: sub, readOnly: true };
    // The service-account volume alone is made when read (copiedAtStart): no copy kept, no token signed unless looked at.
    const copied = copiedAtStart(v);
    const tree = w.disks && copied ? refreshedConfigVolume(w, w.disks, uid, v) : undefined;
    // A view that lives on (a container's script) sees the kubelet's later rewrites: the copy refreshes as it is read.
    if (tree) return { ...with_(tree, '', true), refresh: () => { refreshedConfigVolume(w, w.disks!, uid, v); } };
    const files = configFiles(w, v);
    if (!files) return undefined;
    const made = new Tree();
    writeAtomic(made, files, copied ? w.now() : inst.startedAt ?? w.now(), `${uid}/${v.name}`);
    return with_(made, '', true);
  }
  // Any other volume type (nfs, csi, ...): a disk of the pod's own, like emptyDir.
  return { ...with_(disks.emptyDir(uid, v.name), '', false), ...(emptyRoot ? { root: emptyRoot } : {}) };
}

/**
 * What a container's /dev holds under containerd and runc (the default spec's mounts and devices, runc's
 * setupDevSymlinks), with the kubelet's termination-message file: the character devices (as empty files here:
 * reads and writes of them are the commands' business, containerfs.ts and ddcmd.ts), pts, shm and mqueue, and the
 * links into /proc.
 */
function addDevices(t: Tree, spec: any): void {
  for (const d of ['null', 'zero', 'full', 'random', 'urandom', 'tty']) t.set(`dev/${d}`, { dir: false, data: new Uint8Array(0), mode: 0o666, mtime: 0 }, false);
  for (const [d, mode] of [['pts', 0o755], ['shm', 0o1777], ['mqueue', 0o1777]] as const) t.set(`dev/${d}`, { dir: true, mode, mtime: 0 }, false);
  for (const [name, target] of DEV_LINKS) t.set(`dev/${name}`, linkEntry(target, 0), false);
  const msg = typeof spec.terminationMessagePath === 'string' ? normalize(spec.terminationMessagePath).slice(1) : 'dev/termination-log';
  if (msg) t.set(msg, { dir: false, data: new Uint8Array(0), mode: 0o666, mtime: 0 }, false);
}
const DEV_LINKS = [['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2'], ['core', '/proc/kcore'], ['ptmx', 'pts/ptmx']];

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
  // The image's own files where they are modelled (busybox: /bin, /etc/passwd, …), built once and shared.
  const root = imageRoot(String(spec.image ?? ''));
  for (const d of ROOT_DIRS) if (!root?.get(d)) generated.set(d, { dir: true, mode: d === 'tmp' ? 0o1777 : 0o755, mtime: 0 }, false);
  for (const d of IMAGE_DIRS[parseImage(String(spec.image ?? '')).repository] ?? []) generated.set(d, { dir: true, mode: 0o755, mtime: 0 });
  for (const [p, text] of imageFiles(String(spec.image ?? ''))) generated.set(p, { dir: false, data: new Uint8Array(Buffer.from(text, 'utf8')), mode: 0o644, mtime: 0 });
  // The nginx image's entrypoint (10-listen-on-ipv6-by-default.sh) adds an IPv6 listen to default.conf as it starts,
  // where it can write the file: not on a read-only root, nor as a user other than root.
  const runsAs = containerRunsAs(spec, pod.spec?.securityContext);
  if (root?.get('etc/nginx/conf.d/default.conf') && nginxLaunch(spec)?.entrypoint && inst.startedAt !== undefined && !runsAs.nonRoot && !runsAs.readOnlyRoot) {
    generated.set('etc/nginx/conf.d/default.conf', { dir: false, data: new Uint8Array(Buffer.from(nginxDefaultConf(true), 'utf8')), mode: 0o644, mtime: inst.startedAt });
  }
  addDevices(generated, spec);
  for (const [p, text] of [['etc/hostname', `${kernelHostname(pod)}\n`], ['etc/hosts', etcHosts(pod)], ['etc/resolv.conf', resolvConf(pod)]]) {
    generated.set(p, { dir: false, data: new Uint8Array(Buffer.from(text, 'utf8')), mode: 0o644, mtime: inst.startedAt ?? 0 });
  }
  // What the container's own command touched and has not removed by now (the image convention's timeline):
  // the liveness-exec example's /tmp/healthy is there for its first 30 s. A script the kubelet plays makes its
  // files itself, in its own order (and cannot write into a folder that is not there).
  const b = behaviourOf(spec, pod.spec?.restartPolicy ?? 'Always', pod.spec?.securityContext);
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
  const fs = new ContainerFs(scratch, mounts, root ? new Overlay(generated, root) : generated, () => w.now(), w.disks, inst.startedAt ?? w.now(), claim, kept);
  const id = identityOf(pod, spec);
  fs.owner = { uid: id.uid, gid: id.gid };
  return fs;
}
