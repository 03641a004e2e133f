/**
 * The PersistentVolume controller (persistentvolume-controller) with a
 * simulated external provisioner. Claims bind to the smallest Available PV
 * that matches storage class, access modes, volume mode, selector and
 * capacity; failing that, a class with a provisioner creates `pvc-<uid>` —
 * at once for Immediate classes, and for WaitForFirstConsumer classes once
 * the scheduler has annotated the claim with the consumer's node
 * (volume.kubernetes.io/selected-node). A claim's deletion releases its
 * volume: Delete removes it, Retain leaves it Released.
 *
 * The component plays several processes, each writing as its own user: the binder (the context's,
 * persistent-volume-binder), the pv- and pvc-protection controllers (their kube-system service accounts), and the
 * local-path provisioner, whose pod's token is local-path-storage/local-path-provisioner-service-account in kind's
 * manifest: the volumes it makes and deletes and its helper pods are its writes.
 */
import { labelSelectorMatches } from '../../../kube/src/labels';
import type { Component, ComponentContext, KObject, WriteOptions } from '../contract';
import { WorkQueue } from '../runtime/queue';
import { quantity } from '../scheduler/resources';
import { GVRS, objKey, ObjectCache } from '../scheduler/watch';
import { newUid } from '../apiserver/meta';
import { LOCAL_PATH_SA, runHelperPod, type HelperVolume } from './helperpod';
import { contextAs, controllerActor, serviceAccountActor, writeAs } from '../auth/identities';

const COMPONENT = 'persistentvolume-controller';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const PROVISION_DELAY_MS = 1000;
/** PVClaimBinderSyncPeriod: every claim and volume is synced again this often (pv_controller_base's resync). */
export const RESYNC_MS = 15_000;
const LOCAL_PATH = 'rancher.io/local-path';
/** Where kind runs its local-path provisioner, and its pods' labels (playground/localpath.ts installs it). */
export const LOCAL_PATH_NAMESPACE = 'local-path-storage';
export const LOCAL_PATH_LABELS = Object.freeze({ app: 'local-path-provisioner' });
const PROVISIONER = serviceAccountActor(LOCAL_PATH_NAMESPACE, LOCAL_PATH_SA);
const PROVISIONER_WRITE = writeAs(PROVISIONER);
const PV_PROTECTION_WRITE = writeAs(controllerActor('pv-protection-controller'));
const PVC_PROTECTION_WRITE = writeAs(controllerActor('pvc-protection-controller'));

export interface PersistentVolumeControllerOptions {
  /**
   * The local-path provisioner is a pod of the cluster (kind's local-path-storage Deployment): claims of its
   * classes are provisioned only while such a pod runs, and its events name it. Without this, a stand-in
   * provisioner that is always there does the work (a bare control plane, a playground saved before it had one).
   */
  provisionerPods?: boolean;
}

const className = (o: KObject) => o.spec?.storageClassName ?? '';
/** Provision's folder for a volume: `<pv>_<namespace>_<claim>` under kind's nodePathMap path. */
const hostFolder = (pv: string, pvc: KObject) => `/var/local-path-provisioner/${pv}_${pvc.metadata.namespace}_${pvc.metadata.name}`;
const modesOk = (pv: KObject, pvc: KObject) => (pvc.spec?.accessModes ?? []).every((m: string) => (pv.spec?.accessModes ?? []).includes(m));
const size = (o: KObject, path: 'pv' | 'pvc') => quantity(path === 'pv' ? o.spec?.capacity?.storage : o.spec?.resources?.requests?.storage);

/** The static PV a claim binds to: matching, available, the smallest that is big enough (upstream findBestMatchForClaim). */
export function bestMatch(pvc: KObject, pvs: Iterable<KObject>): KObject | undefined {
  let best: KObject | undefined;
  const want = size(pvc, 'pvc');
  for (const pv of pvs) {
    const ref = pv.spec?.claimRef;
    if (ref && !(ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid))) continue;
    if (pv.metadata.deletionTimestamp || (pv.status?.phase && !['Available', 'Pending'].includes(pv.status.phase) && !ref)) continue;
    if (className(pv) !== className(pvc)) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) continue;
    if (!modesOk(pv, pvc)) continue;
    if (pvc.spec?.selector && !labelSelectorMatches(pvc.spec.selector, pv.metadata.labels ?? {})) continue;
    const cap = size(pv, 'pv');
    if (cap < want) continue;
    if (ref) return pv; // pre-bound to this claim
    if (!best || cap < size(best, 'pv')) best = pv;
  }
  return best;
}

/**
 * The pvc-protection controller's podUsesPVC: only a scheduled pod holds a claim (the kubelet will not start a
 * pod whose claim is being deleted, and the scheduler will not place it), whatever its phase, so a Completed
 * pod keeps its claim until it is deleted. A generic ephemeral volume's claim (`<pod>-<volume>`, owned by the
 * pod) is let go once the pod is shut down (deleted with no grace left).
 */
function podUsesClaim(pod: KObject, pvc: KObject): boolean {
  if (!pod.spec?.nodeName) return false;
  const shutDown = !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0;
  return (pod.spec.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name
    || (!shutDown && v.ephemeral && `${pod.metadata.name}-${v.name}` === pvc.metadata.name
      && (pvc.metadata.ownerReferences ?? []).some((o: any) => o.controller && o.uid === pod.metadata.uid)));
}

const isProvisioner = (p: KObject) => p.metadata.labels?.app === LOCAL_PATH_LABELS.app && !p.metadata.deletionTimestamp;
/** The container ID of the pod's running container, if one runs. */
const runningContainer = (p: KObject): string | undefined => {
  const st = (p.status?.containerStatuses ?? []).find((c: any) => c.state?.running);
  return st ? String(st.containerID ?? '') : undefined;
};

const externalProvisioning = (provisioner: string) => `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;

/** The pod names the claim among its volumes (a generic ephemeral volume's claim is `<pod>-<volume>`). */
const podClaims = (pod: KObject, pvc: KObject) => (pod.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name
  || (v.ephemeral && `${pod.metadata.name}-${v.name}` === pvc.metadata.name));

export class PersistentVolumeController implements Component {
  readonly name = COMPONENT;
  private pvcs?: ObjectCache;
  private pvs?: ObjectCache;
  private classes?: ObjectCache;
  private pods?: ObjectCache;
  private queue: WorkQueue;
  private provisioning = new Set<string>();
  /** Volumes the local-path provisioner is tearing down (its helper pod runs). */
  private deleting = new Set<string>();
  private resyncTimer?: ReturnType<ComponentContext['clock']['setTimer']>;
  /** Each provisioner process's identity (`<provisioner>_<hostname>_<uuid>`), by pod uid and container ID. */
  private identities = new Map<string, string>();

  /** The provisioner's side: its writes as its service account. */
  private readonly provisioner: ComponentContext;

  constructor(private ctx: ComponentContext, private readonly opts: PersistentVolumeControllerOptions = {}) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { batch: 100 });
    this.provisioner = contextAs(ctx, PROVISIONER);
  }

  start(): void {
    this.classes = new ObjectCache(this.ctx.api, GVRS.storageClasses).start();
    this.pvs = new ObjectCache(this.ctx.api, GVRS.pvs, (t, pv) => {
      this.queue.add(`pv:${pv.metadata.name}`);
      if (t !== 'MODIFIED') for (const c of this.pvcs?.list() ?? []) if (!c.spec?.volumeName) this.queue.add(`pvc:${objKey(c)}`);
    }).start();
    this.pvcs = new ObjectCache(this.ctx.api, GVRS.pvcs, (t, c) => {
      this.queue.add(`pvc:${objKey(c)}`);
      if (t === 'DELETED' && c.spec?.volumeName) this.queue.add(`pv:${c.spec.volumeName}`);
    }).start();
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, (t, p) => {
      // A provisioner that starts takes up the claims waiting for it, and the released volumes it is to delete.
      if (this.opts.provisionerPods && p.metadata.namespace === LOCAL_PATH_NAMESPACE && t !== 'DELETED' && isProvisioner(p) && runningContainer(p)) {
        for (const c of this.pvcs?.list() ?? []) if (c.status?.phase !== 'Bound') this.queue.add(`pvc:${objKey(c)}`);
        for (const v of this.pvs?.list() ?? []) if (v.status?.phase === 'Released') this.queue.add(`pv:${v.metadata.name}`);
      }
      if (t === 'DELETED' || p.metadata.deletionTimestamp || !p.spec?.nodeName) {
        // Indexed, as it runs for every new pod: the stored list is frozen (see deepFreeze).
        const volumes = p.spec?.volumes ?? [];
        for (let i = 0; i < volumes.length; i++) {
          const v = volumes[i];
          if (v.persistentVolumeClaim) this.queue.add(`pvc:${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
          else if (v.ephemeral) this.queue.add(`pvc:${p.metadata.namespace}/${p.metadata.name}-${v.name}`);
        }
      }
    }).start();
    this.armResync();
  }

  stop(): void {
    this.queue.stop();
    if (this.resyncTimer !== undefined) this.ctx.clock.clearTimer(this.resyncTimer);
    this.resyncTimer = undefined;
    for (const c of [this.classes, this.pvs, this.pvcs, this.pods]) c?.stop();
  }

  /** resync: every claim not yet bound and every volume, again and again (a PV made Available by hand binds). */
  private armResync(): void {
    this.resyncTimer = this.ctx.clock.setTimer(RESYNC_MS, () => {
      for (const c of this.pvcs?.list() ?? []) if (c.status?.phase !== 'Bound' || c.metadata.deletionTimestamp) this.queue.add(`pvc:${objKey(c)}`);
      for (const v of this.pvs?.list() ?? []) if (v.spec?.claimRef && v.status?.phase !== 'Bound') this.queue.add(`pv:${v.metadata.name}`);
      this.armResync();
    });
  }

  private sync(key: string): void {
    if (key.startsWith('pv:')) return this.syncVolume(key.slice(3));
    const k = key.slice(4);
    const ns = k.slice(0, k.indexOf('/')), name = k.slice(k.indexOf('/') + 1);
    const pvc = this.pvcs!.get(ns, name);
    if (pvc) this.syncClaim(pvc);
  }

  private event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, component = COMPONENT): void {
    this.ctx.events.event({ component }, obj, type, reason, message);
    this.ctx.log(component, `${obj.kind} ${objKey(obj)}: ${reason}: ${message}`);
  }

  /**
   * syncUnboundClaim. Its events come at every sync (the resync included), as upstream's do, so a waiting claim's
   * `kubectl describe` counts them (`x3 over 37s`).
   */
  private syncClaim(pvc: KObject): void {
    if (pvc.metadata.deletionTimestamp) return this.releaseProtection(pvc);
    if (pvc.status?.phase === 'Bound') return;
    if (pvc.spec?.volumeName) return this.syncPrebound(pvc);
    const sc = className(pvc) ? this.classes!.get(undefined, className(pvc)) : undefined;
    const delayed = sc?.volumeBindingMode === 'WaitForFirstConsumer';
    const node = pvc.metadata.annotations?.[SELECTED_NODE];
    if (delayed && !node) {
      // emitEventForUnboundDelayBindingClaim: a consumer the scheduler has not placed yet is named.
      const waiting = this.pods!.list(pvc.metadata.namespace).filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && podClaims(p, pvc)).map((p) => p.metadata.name!).sort();
      if (!waiting.length) this.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      else this.event(pvc, 'Normal', 'WaitForPodScheduled', waiting.length > 1 ? `waiting for pods ${waiting.join(',')} to be scheduled` : `waiting for pod ${waiting[0]} to be scheduled`);
      return;
    }
    const pv = bestMatch(pvc, this.pvs!.list());
    if (pv) return this.bind(pvc, pv);
    if (!className(pvc)) {
      this.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    // provisionClaimOperation: a class that does not exist fails the provisioning.
    if (!sc) return this.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className(pvc)}" not found`);
    if (sc.provisioner && sc.provisioner !== 'kubernetes.io/no-provisioner') return this.provision(pvc, sc, node);
  }

  /**
   * A claim that names its volume (spec.volumeName): it binds only to a volume free or pre-bound to it, which
   * checkVolumeSatisfyClaim accepts; otherwise it stays Pending and says why.
   */
  private syncPrebound(pvc: KObject): void {
    const pv = this.pvs!.get(undefined, pvc.spec.volumeName);
    if (!pv) return;
    const ref = pv.spec?.claimRef;
    const mine = ref && ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid);
    if (ref && !mine) {
      this.event(pvc, 'Warning', 'FailedBinding', `volume "${pv.metadata.name}" already bound to a different claim.`);
      return;
    }
    if (!ref) {
      const why = size(pv, 'pv') < size(pvc, 'pvc') ? 'requested PV is too small'
        : className(pv) !== className(pvc) ? 'storageClassName does not match'
        : (pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem') ? 'incompatible volumeMode'
        : !modesOk(pv, pvc) ? 'incompatible accessMode' : undefined;
      if (why) {
        this.event(pvc, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${pv.metadata.name}": ${why}`);
        return;
      }
    }
    this.bind(pvc, pv);
  }

  /**
   * The identity the local-path provisioner's events carry (sig-storage-lib-external-provisioner's
   * `<provisioner>_<hostname>_<uuid>`, a new uuid at each start of the process), or undefined while none runs.
   */
  private provisionerIdentity(): string | undefined {
    if (!this.opts.provisionerPods) return `${LOCAL_PATH}_local-path-provisioner`;
    let best: KObject | undefined;
    for (const p of this.pods?.list(LOCAL_PATH_NAMESPACE) ?? []) {
      if (!isProvisioner(p) || !runningContainer(p)) continue;
      if (!best || (p.metadata.creationTimestamp ?? '') < (best.metadata.creationTimestamp ?? '')
        || (p.metadata.creationTimestamp === best.metadata.creationTimestamp && p.metadata.name! < best.metadata.name!)) best = p;
    }
    if (!best) return undefined;
    const key = `${best.metadata.uid}/${runningContainer(best)}`;
    let id = this.identities.get(key);
    if (!id) this.identities.set(key, (id = `${LOCAL_PATH}_${best.metadata.name}_${newUid(this.ctx.rand)}`));
    return id;
  }

  private provision(pvc: KObject, sc: KObject, node: string | undefined): void {
    const key = objKey(pvc);
    if (this.provisioning.has(key)) return;
    const provisioner = sc.provisioner;
    // provisionClaimOperationExternal names the provisioner on the claim first (setClaimProvisioner).
    try {
      const ann = { 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner };
      if (pvc.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] !== provisioner) {
        this.ctx.api.patch(GVRS.pvcs, pvc.metadata.namespace, pvc.metadata.name!, 'merge', { metadata: { annotations: ann } });
      }
    } catch { /* next sync */ }
    // An external provisioner that does not run leaves the claim Pending; the controller says what it waits for
    // at each sync. With the provisioner as a pod, only the local-path one runs in the cluster.
    const component = provisioner === LOCAL_PATH ? this.provisionerIdentity() : undefined;
    if (!component && (this.opts.provisionerPods || provisioner === LOCAL_PATH)) {
      this.event(pvc, 'Normal', 'ExternalProvisioning', externalProvisioning(provisioner));
      return;
    }
    const by = component ?? `${provisioner}_local-path-provisioner`;
    // The helper pod goes to the selected node, so the local-path Provision needs one (an Immediate class has none).
    const helper = this.opts.provisionerPods && provisioner === LOCAL_PATH;
    // What kind's local-path provisioner refuses (its Provision, and the provisioner library's canProvision).
    const refusal = provisioner !== LOCAL_PATH ? undefined
      : pvc.spec?.volumeMode === 'Block' ? `${LOCAL_PATH} does not support block volume provisioning`
      : pvc.spec?.selector ? 'claim.Spec.Selector is not supported'
      : (pvc.spec?.accessModes ?? []).some((m: string) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod') ? 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes'
      : helper && !node ? 'configuration error, no node was specified'
      : undefined;
    if (refusal) {
      this.event(pvc, 'Normal', 'ExternalProvisioning', externalProvisioning(provisioner));
      this.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${refusal}`, by);
      return;
    }
    this.provisioning.add(key);
    this.event(pvc, 'Normal', 'ExternalProvisioning', externalProvisioning(provisioner));
    this.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`, by);
    if (!helper) {
      // The stand-in provisioner (a bare control plane) makes the volume itself, a moment later.
      this.ctx.clock.setTimer(PROVISION_DELAY_MS, () => {
        this.provisioning.delete(key);
        this.createVolume(pvc, sc, node, by);
      });
      return;
    }
    // Provision: the setup script runs in a helper pod on the node first; the volume is made once it has succeeded.
    const pvName = `pvc-${pvc.metadata.uid}`;
    const volume: HelperVolume = { name: pvName, path: hostFolder(pvName, pvc), node: node!, mode: pvc.spec?.volumeMode ?? 'Filesystem', sizeBytes: size(pvc, 'pvc') };
    runHelperPod(this.provisioner, LOCAL_PATH_NAMESPACE, 'create', volume, (err) => {
      this.provisioning.delete(key);
      if (err) this.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${err}`, by);
      else this.createVolume(pvc, sc, node, by);
    });
  }

  /** The provisioner's volume for a claim it has provisioned, unless the claim is gone or bound meanwhile. */
  private createVolume(pvc: KObject, sc: KObject, node: string | undefined, by: string): void {
    const provisioner = sc.provisioner;
    const cur = this.pvcs!.get(pvc.metadata.namespace, pvc.metadata.name!);
    if (!cur || cur.metadata.uid !== pvc.metadata.uid || cur.status?.phase === 'Bound') return;
    const pvName = `pvc-${pvc.metadata.uid}`;
    const pv: KObject = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': provisioner, ...(node ? { 'local.path.provisioner/selected-node': node } : {}) }, finalizers: ['kubernetes.io/pv-protection'] },
      spec: {
        capacity: { storage: cur.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: cur.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: cur.spec?.volumeMode ?? 'Filesystem',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: cur.metadata.namespace, name: cur.metadata.name, uid: cur.metadata.uid, resourceVersion: cur.metadata.resourceVersion },
        hostPath: { path: hostFolder(pvName, cur), type: 'DirectoryOrCreate' },
        ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } } : {}),
      },
    };
    try {
      this.ctx.api.create(GVRS.pvs, undefined, pv, PROVISIONER_WRITE);
      this.event(cur, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, by);
      this.ctx.count(COMPONENT, 'provisioned');
    } catch (e) {
      this.event(cur, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${(e as Error).message}`, by);
    }
  }

  private bind(pvc: KObject, pv: KObject): void {
    const ns = pvc.metadata.namespace!, name = pvc.metadata.name!;
    try {
      const fresh = this.ctx.api.get(GVRS.pvs, undefined, pv.metadata.name!);
      const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion };
      const byController = !fresh.spec?.claimRef;
      const updated = this.ctx.api.update(GVRS.pvs, undefined, {
        ...fresh,
        metadata: { ...fresh.metadata, annotations: { ...(fresh.metadata.annotations ?? {}), ...(byController ? { 'pv.kubernetes.io/bound-by-controller': 'yes' } : {}) } },
        spec: { ...fresh.spec, claimRef },
      }).object;
      this.ctx.api.patch(GVRS.pvs, undefined, pv.metadata.name!, 'merge', { status: { phase: 'Bound' } }, undefined, 'status');
      const ann: Record<string, string> = { 'pv.kubernetes.io/bind-completed': 'yes' };
      if (!pvc.spec?.volumeName) ann['pv.kubernetes.io/bound-by-controller'] = 'yes';
      this.ctx.api.patch(GVRS.pvcs, ns, name, 'merge', { metadata: { annotations: ann }, spec: { volumeName: pv.metadata.name } });
      this.ctx.api.patch(GVRS.pvcs, ns, name, 'merge', {
        status: { phase: 'Bound', accessModes: updated.spec.accessModes, capacity: { storage: updated.spec.capacity.storage } },
      }, undefined, 'status');
      this.ctx.log(COMPONENT, `bound PersistentVolumeClaim ${ns}/${name} to PersistentVolume ${pv.metadata.name}`);
      this.ctx.count(COMPONENT, 'bound');
    } catch (e) {
      this.ctx.log(COMPONENT, `binding ${ns}/${name} to ${pv.metadata.name} failed: ${(e as Error).message}`);
      this.queue.addRateLimited(`pvc:${ns}/${name}`);
    }
  }

  private syncVolume(name: string): void {
    const pv = this.pvs!.get(undefined, name);
    if (!pv) return;
    if (pv.metadata.deletionTimestamp) {
      if (pv.status?.phase !== 'Bound' && (pv.metadata.finalizers ?? []).includes('kubernetes.io/pv-protection')) {
        this.tryUpdate(GVRS.pvs, { ...pv, metadata: { ...pv.metadata, finalizers: pv.metadata.finalizers!.filter((f: string) => f !== 'kubernetes.io/pv-protection') } }, PV_PROTECTION_WRITE);
      }
      return;
    }
    const ref = pv.spec?.claimRef;
    if (!ref) {
      if (pv.status?.phase !== 'Available') this.setPhase(pv, 'Available');
      return;
    }
    const claim = this.pvcs!.get(ref.namespace, ref.name);
    if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) {
      if (!ref.uid && pv.status?.phase !== 'Available') this.setPhase(pv, 'Available');
      return;
    }
    if (!ref.uid) { if (pv.status?.phase !== 'Available') this.setPhase(pv, 'Available'); return; }
    // The claim is gone: reclaim.
    const provisionedBy: string | undefined = pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'];
    const policy = pv.spec.persistentVolumeReclaimPolicy ?? 'Retain';
    if (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed') {
      // A released volume its provisioner has not deleted yet (it did not run): it does so when it can.
      if (pv.status.phase === 'Released' && policy === 'Delete' && provisionedBy) this.provisionerDelete(pv);
      return;
    }
    if (policy === 'Delete') {
      this.setPhase(pv, 'Released');
      // doDeleteVolume: a provisioned volume has no in-tree deleter ("external deleter ... requested, ignoring"):
      // the controller only marks it Released and its provisioner deletes it. A hand-written volume needs an
      // in-tree deleter, and hostPath's deletes only under /tmp/. Failing that the volume is Failed, and says why.
      if (provisionedBy) return this.provisionerDelete(pv);
      const hostPath: string | undefined = pv.spec.hostPath?.path;
      const failure = hostPath !== undefined ? (/^\/tmp\/.+/.test(hostPath) ? undefined : `host_path deleter only supports /tmp/.+ but received provided ${hostPath}`)
        : `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      if (failure) {
        try { this.ctx.api.patch(GVRS.pvs, undefined, name, 'merge', { status: { phase: 'Failed', message: failure } }, undefined, 'status'); } catch { /* gone */ }
        this.event(pv, 'Warning', 'VolumeFailedDelete', failure);
        return;
      }
      try {
        this.ctx.api.delete(GVRS.pvs, undefined, name);
        this.ctx.log(COMPONENT, `deleted PersistentVolume ${name} (reclaim policy Delete)`);
      } catch { /* gone */ }
    } else {
      this.setPhase(pv, 'Released');
      this.ctx.log(COMPONENT, `PersistentVolume ${name} released (reclaim policy ${policy})`);
    }
  }

  /**
   * The provisioner's side of a released Delete volume (sig-storage-lib-external-provisioner's shouldDelete and
   * deleteVolumeOperation): the local-path provisioner runs its teardown in a helper pod on the volume's node,
   * then deletes the PersistentVolume; a failure is a VolumeFailedDelete event, tried again later. With the
   * provisioner as a pod, a volume waits Released while none runs, and another provisioner's waits for good.
   */
  private provisionerDelete(pv: KObject): void {
    const name = pv.metadata.name!;
    const deleteVolume = () => {
      try {
        this.ctx.api.delete(GVRS.pvs, undefined, name, PROVISIONER_WRITE);
        this.ctx.log(COMPONENT, `deleted PersistentVolume ${name} (reclaim policy Delete)`);
      } catch { /* gone */ }
    };
    if (!this.opts.provisionerPods) return deleteVolume(); // the stand-in provisioner, always there
    if (pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] !== LOCAL_PATH || this.deleting.has(name)) return;
    const by = this.provisionerIdentity();
    if (!by) return;
    // getPathAndNodeForPV: the folder and the one node of the volume's affinity (its errors wrapped twice, by it and Delete).
    const path: string | undefined = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
    const terms: any[] = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
    const expr = terms.flatMap((t) => t.matchExpressions ?? []).find((e: any) => e.key === 'kubernetes.io/hostname' && e.operator === 'In');
    const why = !path ? 'no path set' : !pv.spec?.nodeAffinity ? 'no NodeAffinity set' : !pv.spec.nodeAffinity.required ? 'no NodeAffinity.Required set'
      : expr && (expr.values ?? []).length !== 1 ? 'multiple values for the node affinity' : !expr ? 'cannot find affinited node' : undefined;
    const failed = (err: string) => this.event(pv, 'Warning', 'VolumeFailedDelete', `failed to delete volume ${name}: ${err}`, by);
    if (why) return failed(`failed to delete volume ${name}: ${why}`);
    this.deleting.add(name);
    const volume: HelperVolume = { name, path: path!, node: expr.values[0], mode: pv.spec.volumeMode ?? 'Filesystem', sizeBytes: size(pv, 'pv') };
    runHelperPod(this.provisioner, LOCAL_PATH_NAMESPACE, 'delete', volume, (err) => {
      this.deleting.delete(name);
      if (err) failed(err);
      else deleteVolume();
    });
  }

  /** pvc-protection: a claim being deleted keeps its finalizer while a pod still uses it. */
  private releaseProtection(pvc: KObject): void {
    const fin: string[] = pvc.metadata.finalizers ?? [];
    if (!fin.includes('kubernetes.io/pvc-protection')) return;
    const inUse = this.pods!.list(pvc.metadata.namespace).some((p) => podUsesClaim(p, pvc));
    if (inUse) return;
    this.tryUpdate(GVRS.pvcs, { ...pvc, metadata: { ...pvc.metadata, finalizers: fin.filter((f) => f !== 'kubernetes.io/pvc-protection') } }, PVC_PROTECTION_WRITE);
  }

  private setPhase(pv: KObject, phase: string): void {
    try { this.ctx.api.patch(GVRS.pvs, undefined, pv.metadata.name!, 'merge', { status: { phase } }, undefined, 'status'); } catch { /* gone */ }
  }
  private tryUpdate(gvr: typeof GVRS.pvs, obj: KObject, as: WriteOptions): void {
    try { this.ctx.api.update(gvr, obj.metadata.namespace, obj, as); } catch { /* retried on the next event */ }
  }
}
