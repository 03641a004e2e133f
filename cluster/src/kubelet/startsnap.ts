/**
 * What a container gets once, when it starts, and keeps for its life, as the
 * kubelet and the runtime fix it then:
 * - variables read from ConfigMaps and Secrets (`env`, `envFrom`): a change
 *   to the object reaches only a new container;
 * - files mounted with `subPath` from a ConfigMap, Secret or downward API
 *   volume: bound to that version of the file for good;
 * - the pod's ConfigMap/Secret volumes as first written, which the kubelet
 *   rewrites at its periodic syncs after that (mounts.ts).
 * Only containers that use them pay anything here.
 */
import { normalize, type Disks } from './disk';
import { containerSpecOf, declaredEnv, envReadsObjects, instanceOf, type ExecWorld } from './execenv';
import { configFiles, copiedAtStart } from './mounts';
import { writeAtomic } from './atomicwriter';

/** Whether a container of this pod has anything to keep from its start (cheap: most containers have nothing). */
export function startSnapshotNeeded(podSpec: any, containerSpec: any): boolean {
  return envReadsObjects(containerSpec) || !!podSpec?.volumes?.some(copiedAtStart);
}

export function snapshotAtStart(w: ExecWorld): void {
  const disks: Disks | undefined = w.disks;
  const pod = w.pod;
  const spec = containerSpecOf(w);
  const volumes: any[] = pod.spec?.volumes ?? [];
  const configVolumes = volumes.length ? volumes.filter(copiedAtStart) : [];
  if (!disks || (!envReadsObjects(spec) && !configVolumes.length)) return;
  const inst = instanceOf(pod, w.container);
  if (!inst.id) return;
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  const now = w.now();
  if (envReadsObjects(spec)) {
    const env = JSON.stringify([...declaredEnv(w)]);
    disks.startSnapshot('env', uid, w.container, inst.id, true)!.set('env.json', { dir: false, data: new Uint8Array(Buffer.from(env, 'utf8')), mode: 0o600, mtime: now });
  }
  for (const v of configVolumes) {
    const files = configFiles(w, v);
    if (!files) continue;
    // The pod's copy is written once, by the first container to start; later ones see the kubelet's current copy.
    if (disks.configVolume(uid, v.name)?.at === undefined) {
      const t = disks.configVolume(uid, v.name, true)!;
      writeAtomic(t, files, now, `${uid}/${v.name}`);
      t.at = now;
    }
    for (const vm of spec.volumeMounts ?? []) {
      if (vm.name !== v.name || !vm.subPath) continue;
      const sub = normalize(String(vm.subPath)).slice(1);
      const file = files.find(([p]) => normalize(p).slice(1) === sub);
      if (!file) continue;
      const data = typeof file[1] === 'string' ? new Uint8Array(Buffer.from(file[1], 'utf8')) : file[1];
      disks.startSnapshot('subpath', uid, w.container, inst.id, true)!.set(`${vm.name}/${sub}`, { dir: false, data, mode: file[2] ?? 0o644, mtime: now });
    }
  }
  disks.changed();
}
