/**
 * The resource claim controller (kube-controller-manager's `resourceclaim-controller`, pkg/controller/resourceclaim),
 * on by default since DRA went GA in v1.34.
 *
 * - A pod whose spec.resourceClaims entry names a resourceClaimTemplateName gets a ResourceClaim made from the
 *   template (generateName `<pod>-<claim>-`, the pod as controller), recorded in pod.status.resourceClaimStatuses
 *   through a server-side apply of the status subresource. A missing template fails the sync: a
 *   FailedResourceClaimCreation event on the pod, and a retry with the queue's back-off (nothing watches templates,
 *   so a template created later is found on the next retry).
 * - A scheduled pod gets reserved on an allocated claim; reservations of pods that are gone or done are dropped,
 *   and a claim left unused loses its allocation and its delete-protection finalizer.
 * - A claim generated for a pod that is done (or replaced) is deleted; one whose pod is gone is left to the
 *   garbage collector, through its ownerReference.
 *
 * Only pods with spec.resourceClaims reach the queue: every other pod event costs one length check.
 */
import type { Component, ComponentContext, EventSource, KObject } from '../../contract.js';
import type { Informers, ObjectCache } from '../util/cache.js';
import { PODS, RESOURCECLAIMS, RESOURCECLAIMTEMPLATES } from '../util/gvr.js';
import { deepCopy } from '../util/owner.js';
import { WorkQueue, keyOf, newQueue, splitKey } from '../util/queue.js';
import { errorMessage, isNotFound } from '../util/write.js';
import {
  DELETE_PROTECTION_FINALIZER, POD_CLAIM_NAME_ANNOTATION, claimFromTemplate, claimName, isPodDone, isPodTerminal, isReservedForPod,
  notForPod, owningPod, podNeedsClaims,
} from './claims.js';

const NAME = 'resourceclaim-controller';
/** The field manager of the pod status apply. */
const FIELD_MANAGER = 'ResourceClaimController';
const CLAIM_PREFIX = 'claim:';
const POD_PREFIX = 'pod:';
/** maxUIDCacheEntries: how many deleted pods are remembered. */
const MAX_DELETED = 500;

export class ResourceClaimController implements Component {
  readonly name = NAME;
  private readonly queue: WorkQueue;
  private readonly pods: ObjectCache;
  private readonly claims: ObjectCache;
  private readonly templates: ObjectCache;
  /** The recorder's source in Run: events read `resource_claim` in kubectl describe. */
  private readonly source: EventSource = Object.freeze({ component: 'resource_claim' });
  /** UIDs of pods seen deleted (the uidCache): their reservations go without asking the apiserver. */
  private readonly deleted = new Set<string>();
  /** Names of the pods with spec.resourceClaims, per namespace: what podResourceClaimIndex looks through. */
  private readonly withClaims = new Map<string, Set<string>>();

  constructor(private readonly ctx: ComponentContext, informers: Informers) {
    this.pods = informers.for(PODS);
    this.claims = informers.for(RESOURCECLAIMS);
    this.templates = informers.for(RESOURCECLAIMTEMPLATES);
    // processNextWorkItem: HandleError, then AddRateLimited.
    this.queue = newQueue(ctx.clock, (k) => this.sync(k), (k, err) => ctx.log(NAME, `"Unhandled Error" err="${k} failed with: ${errorMessage(err)}"`));
    this.pods.onEvent((t, pod) => {
      if (!pod.spec?.resourceClaims?.length) return;
      this.track(pod, t === 'DELETED');
      this.enqueuePod(pod, t === 'DELETED');
    });
    this.claims.onEvent((_t, claim) => this.enqueueClaim(claim));
  }

  start(): void {
    this.pods.start();
    this.claims.start();
    this.templates.start();
    // The informers' initial adds.
    for (const pod of this.pods.list()) {
      if (!pod.spec?.resourceClaims?.length) continue;
      this.track(pod, false);
      this.enqueuePod(pod, false);
    }
    for (const claim of this.claims.list()) this.queue.add(CLAIM_PREFIX + keyOf(claim.metadata.namespace, claim.metadata.name!));
  }

  stop(): void {
    this.queue.stop();
  }

  private track(pod: KObject, deleted: boolean): void {
    const ns = pod.metadata.namespace ?? '';
    let names = this.withClaims.get(ns);
    if (deleted) {
      names?.delete(pod.metadata.name!);
      if (names?.size === 0) this.withClaims.delete(ns);
      // uidCache: an LRU of the newest deleted pods.
      this.deleted.add(pod.metadata.uid!);
      if (this.deleted.size > MAX_DELETED) this.deleted.delete(this.deleted.values().next().value as string);
      return;
    }
    if (!names) this.withClaims.set(ns, (names = new Set()));
    names.add(pod.metadata.name!);
  }

  /** enqueuePod: the claims a finished pod releases, and the pod itself when it needs work. */
  private enqueuePod(pod: KObject, deleted: boolean): void {
    const ns = pod.metadata.namespace;
    if (!podNeedsClaims(pod, deleted)) {
      for (const pc of pod.spec.resourceClaims) {
        const n = claimName(pod, pc);
        if (n.error === undefined && n.name !== null) this.queue.add(CLAIM_PREFIX + keyOf(ns, n.name));
      }
    }
    if (this.podNeedsWork(pod)) this.queue.add(POD_PREFIX + keyOf(ns, pod.metadata.name!));
  }

  /** podNeedsWork: a claim to create from a template, or (once scheduled) an allocated claim to reserve. */
  private podNeedsWork(pod: KObject): boolean {
    // A finished pod is cleanup-only (as kubernetes#141276 has it): making its deleted claim again would undo syncClaim.
    if (pod.metadata.deletionTimestamp || isPodTerminal(pod)) return false;
    for (const pc of pod.spec.resourceClaims) {
      const n = claimName(pod, pc);
      if (n.error !== undefined) return true;
      if (n.name === null) return false;
      const claim = this.claims.get(pod.metadata.namespace, n.name);
      if (!claim) return typeof pc?.resourceClaimTemplateName === 'string';
      if (n.checkOwner && notForPod(pod, claim)) return false;
      if (!pod.spec.nodeName) continue;
      if (claim.status?.allocation && !isReservedForPod(pod, claim)) return true;
    }
    return false;
  }

  /** enqueueResourceClaim: the claim itself (stale reservations), and the known pods that use it. */
  private enqueueClaim(claim: KObject): void {
    const ns = claim.metadata.namespace ?? '';
    this.queue.add(CLAIM_PREFIX + keyOf(ns, claim.metadata.name!));
    const names = this.withClaims.get(ns);
    if (!names) return;
    for (const name of names) {
      const pod = this.pods.get(ns, name);
      if (!pod?.spec?.resourceClaims?.length) continue;
      if (pod.spec.resourceClaims.some((pc: any) => { const n = claimName(pod, pc); return n.error === undefined && n.name === claim.metadata.name; })) this.enqueuePod(pod, false);
    }
  }

  private sync(key: string): void {
    if (key.startsWith(POD_PREFIX)) return this.syncPod(...splitKey(key.slice(POD_PREFIX.length)));
    if (key.startsWith(CLAIM_PREFIX)) return this.syncClaim(...splitKey(key.slice(CLAIM_PREFIX.length)));
  }

  private syncPod(ns: string, name: string): void {
    const pod = this.pods.get(ns, name);
    if (!pod || pod.metadata.deletionTimestamp || isPodTerminal(pod) || !pod.spec?.resourceClaims?.length) return;
    const created: Array<[string, string]> = [];
    for (const pc of pod.spec.resourceClaims) {
      try {
        this.handleClaim(pod, pc, created);
      } catch (err) {
        const msg = errorMessage(err);
        this.ctx.events.event(this.source, pod, 'Warning', 'FailedResourceClaimCreation', `PodResourceClaim ${pc?.name}: ${msg}`);
        throw new Error(`pod ${ns}/${name}, PodResourceClaim ${pc?.name}: ${msg}`);
      }
    }
    if (created.length) {
      // An apply of the status subresource with only the new entries (listType=map, keyed by name).
      const apply = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, status: { resourceClaimStatuses: created.map(([n, c]) => ({ name: n, resourceClaimName: c })) } };
      try {
        this.ctx.api.patch(PODS, ns, name, 'apply', apply, { fieldManager: FIELD_MANAGER, force: true }, 'status');
      } catch (err) {
        throw new Error(`update pod ${ns}/${name} ResourceClaimStatuses: ${errorMessage(err)}`);
      }
    }
    // Before the pod is scheduled, the scheduler reserves its claims.
    if (!pod.spec.nodeName) return;
    for (const pc of pod.spec.resourceClaims) {
      const n = claimName(pod, pc);
      if (n.error !== undefined) throw new Error(n.error);
      if (n.name === null) continue;
      const claim = this.claims.get(ns, n.name);
      if (!claim) return;
      const notOwner = n.checkOwner ? notForPod(pod, claim) : undefined;
      if (notOwner) throw new Error(notOwner);
      if (claim.status?.allocation && !isReservedForPod(pod, claim)) this.reserveForPod(pod, claim);
    }
  }

  /** handleClaim: makes the claim of one pod entry from its template, unless it exists. */
  private handleClaim(pod: KObject, pc: any, created: Array<[string, string]>): void {
    const ns = pod.metadata.namespace!;
    const n = claimName(pod, pc);
    if (n.error !== undefined) {
      if (!n.notCreated) throw new Error(`checking for claim before creating it: ${n.error}`);
    } else if (n.name === null) {
      return;
    } else if (n.name !== '') {
      // Recorded in the pod's status; made again if it was deleted, or if it now belongs to someone else.
      const existing = this.claims.get(ns, n.name);
      if (existing) {
        const notOwner = n.checkOwner ? notForPod(pod, existing) : undefined;
        if (!notOwner) return;
        this.ctx.log(NAME, `"claim that was created for the pod is no longer owned by the pod, creating a new one" err="${notOwner}" podClaim="${pc.name}" resourceClaim="${n.name}"`);
      }
    }
    const templateName = pc?.resourceClaimTemplateName;
    if (typeof templateName !== 'string') return;
    // An orphan made for this entry before the status write failed (findPodResourceClaim).
    let claim = this.claims.ownedBy(pod.metadata.uid!).find((c) => c.metadata.annotations?.[POD_CLAIM_NAME_ANNOTATION] === pc.name);
    if (!claim) {
      const template = this.templates.get(ns, templateName);
      // The lister's NotFound names the resource in the singular.
      if (!template) throw new Error(`resource claim template ${JSON.stringify(templateName)}: resourceclaimtemplate.resource.k8s.io ${JSON.stringify(templateName)} not found`);
      try {
        claim = this.ctx.api.create(RESOURCECLAIMS, ns, claimFromTemplate(pod, pc.name, template)).object;
      } catch (err) {
        // Upstream names claim.Name, empty with only a generateName.
        throw new Error(`create ResourceClaim : ${errorMessage(err)}`);
      }
      this.claims.upsert(claim);
      this.ctx.log(NAME, `Created ResourceClaim ${ns}/${claim.metadata.name} for pod ${ns}/${pod.metadata.name}`);
    }
    created.push([pc.name, claim.metadata.name!]);
  }

  private reserveForPod(pod: KObject, claim: KObject): void {
    const status = { ...(claim.status ?? {}), reservedFor: [...(claim.status?.reservedFor ?? []), { resource: 'pods', name: pod.metadata.name, uid: pod.metadata.uid }] };
    try {
      this.claims.upsert(this.ctx.api.update(RESOURCECLAIMS, claim.metadata.namespace, { ...claim, status }, undefined, 'status').object);
    } catch (err) {
      throw new Error(`reserve claim ${claim.metadata.namespace}/${claim.metadata.name} for pod: ${errorMessage(err)}`);
    }
  }

  /** syncClaim: drops reservations of pods that are gone or done, deallocates an unused claim, deletes a done pod's claim. */
  private syncClaim(ns: string, name: string): void {
    let claim = this.claims.get(ns, name);
    if (!claim) return;
    const reserved: any[] = claim.status?.reservedFor ?? [];
    const valid = reserved.filter((r) => this.keepReservation(claim!, r));
    let finalizer = (claim.metadata.finalizers ?? []).indexOf(DELETE_PROTECTION_FINALIZER);
    if (valid.length < reserved.length) {
      // An update, not a patch: it must fail if the claim changed meanwhile.
      const status = { ...claim.status };
      if (valid.length) status.reservedFor = valid; else delete status.reservedFor;
      // The last consumer gone: the scheduler's allocation is released, so a later consumer may get any device.
      if (!valid.length && finalizer >= 0) delete status.allocation;
      claim = this.ctx.api.update(RESOURCECLAIMS, ns, { ...claim, status }, undefined, 'status').object;
      this.claims.upsert(claim);
      finalizer = (claim.metadata.finalizers ?? []).indexOf(DELETE_PROTECTION_FINALIZER);
      if (finalizer >= 0 && !claim.status?.allocation) claim = this.dropFinalizer(claim, finalizer);
    } else if (finalizer >= 0 && claim.metadata.deletionTimestamp && !valid.length) {
      if (claim.status?.allocation) {
        const status = { ...claim.status };
        delete status.allocation;
        claim = this.ctx.api.update(RESOURCECLAIMS, ns, { ...claim, status }, undefined, 'status').object;
      }
      claim = this.dropFinalizer(claim, (claim.metadata.finalizers ?? []).indexOf(DELETE_PROTECTION_FINALIZER));
    }
    if (valid.length) return;
    // Not reserved: a claim generated for a pod that will not run goes now, rather than when the pod is deleted.
    const owner = owningPod(claim);
    if (!owner) return;
    const pod = this.pods.get(ns, owner.name);
    // A pod not (yet) known: the garbage collector deals with a claim whose pod is really gone.
    if (!pod || (pod.metadata.uid === owner.uid && !isPodDone(pod)) || claim.metadata.deletionTimestamp) return;
    try {
      const res = this.ctx.api.delete(RESOURCECLAIMS, ns, name);
      if (res.metadata.deletionTimestamp) this.claims.upsert(res); else this.claims.remove(res);
      this.ctx.log(NAME, `deleted unused generated claim ${ns}/${name} of pod ${ns}/${owner.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw new Error(`delete claim ${ns}/${name}: ${errorMessage(err)}`);
    }
  }

  private dropFinalizer(claim: KObject, at: number): KObject {
    if (at < 0) return claim;
    const finalizers = [...claim.metadata.finalizers!];
    finalizers.splice(at, 1);
    const res = this.ctx.api.update(RESOURCECLAIMS, claim.metadata.namespace, { ...deepCopy(claim), metadata: { ...claim.metadata, finalizers } }).object;
    this.claims.upsert(res);
    return res;
  }

  /** Whether a reservedFor entry stays: its pod is known, the same instance, and not done. */
  private keepReservation(claim: KObject, r: any): boolean {
    if ((r?.apiGroup ?? '') !== '' || r?.resource !== 'pods') {
      throw new Error(`unsupported ReservedFor entry: {${r?.apiGroup ?? ''} ${r?.resource ?? ''} ${r?.name ?? ''} ${r?.uid ?? ''}}`);
    }
    if (this.deleted.has(r.uid)) return false;
    const pod = this.pods.get(claim.metadata.namespace, r.name);
    if (!pod) {
      // Not in the cache yet, perhaps: the apiserver has the last word before a reservation goes.
      try {
        return this.ctx.api.get(PODS, claim.metadata.namespace, r.name).metadata.uid === r.uid;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    }
    return pod.metadata.uid === r.uid && !isPodDone(pod);
  }
}
