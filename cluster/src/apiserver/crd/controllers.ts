/**
 * The apiextensions-apiserver's controllers for CustomResourceDefinitions, on one queue of CRD names:
 * - the naming controller (pkg/controller/status NamingConditionController): accepts the requested names unless
 *   another CRD of the group holds them (NamesAccepted NoConflicts / PluralConflict ...), and sets Established
 *   False Installing until the names are served;
 * - the establishing controller: Established True InitialNamesAccepted once the names are accepted (with one
 *   apiserver, at once);
 * - the finalizer (pkg/controller/finalizer CRDFinalizer): a CRD marked for deletion has its instances deleted,
 *   then its customresourcecleanup finalizer removed, which lets it go.
 */
import type { ComponentContext, KObject } from '../../contract';
import type { ChangeRecord, Store } from '../../store/store';
import { TapController } from '../../runtime/tapcontroller';
import { deepEqual } from '../../runtime/objects';
import { isStatusError } from '../status';
import { CRD_GVR, CRD_TABLE, crdCondition, customResourcesOf } from './registry';
import { CLEANUP_FINALIZER, setCRDCondition } from './definition';

export const CRD_CONTROLLERS = 'apiextensions-controllers';

type Obj = Record<string, any>;
type Cond = { type: string; status: string; reason: string; message: string };

/** How often the finalizer looks again for instances still being deleted (its poll interval, 5 s). */
const RECHECK_MS = 5000;

export class CustomResourceDefinitionControllers extends TapController {
  protected readonly scope = { only: [CRD_TABLE] };
  readonly name = CRD_CONTROLLERS;

  constructor(ctx: ComponentContext, store: Store) {
    super(ctx, store, (k, message) => `error syncing customresourcedefinition ${k}: ${message}`);
  }

  protected seed(): void {
    for (const crd of this.store.list(CRD_TABLE)) this.queue.add(crd.metadata.name!);
  }

  protected observe(table: string, rec: ChangeRecord): void {
    if (table !== CRD_TABLE) return;
    const name = rec.object.metadata.name!;
    this.queue.add(name);
    // A CRD that went (or changed its accepted names) may free names another CRD of its group waits for.
    if (rec.type === 'DELETED' || !deepEqual(rec.prev?.status?.acceptedNames, rec.object.status?.acceptedNames)) {
      for (const other of this.store.list(CRD_TABLE)) if (other.spec?.group === rec.object.spec?.group && other.metadata.name !== name) this.queue.add(other.metadata.name!);
    }
  }

  protected sync(name: string): void {
    const crd = this.store.get(CRD_TABLE, undefined, name);
    if (!crd) return;
    if (crd.metadata.deletionTimestamp && (crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) {
      this.finalize(crd);
      return;
    }
    if (!deepEqual(crd.spec?.names ?? {}, crd.status?.acceptedNames ?? {})) {
      const { names, accepted, established } = this.namesAndConditions(crd);
      if (!deepEqual(names, crd.status?.acceptedNames) || !sameCondition(accepted, crd)) {
        let status: Obj = { ...(crd.status ?? {}), acceptedNames: names };
        status = setCRDCondition(status, accepted, this.ctx.clock.now());
        status = setCRDCondition(status, established, this.ctx.clock.now());
        this.writeStatus(crd, status);
        return;
      }
    }
    if (crdCondition(crd, 'NamesAccepted') && !crdCondition(crd, 'Established')) {
      const status = setCRDCondition(crd.status ?? {}, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, this.ctx.clock.now());
      this.writeStatus(crd, status);
    }
  }

  /** calculateNamesAndConditions: each requested name is taken unless another CRD of the group accepted it. */
  private namesAndConditions(crd: KObject): { names: Obj; accepted: Cond; established: Cond } {
    const group = crd.spec?.group;
    const resources = new Set<string>();
    const kinds = new Set<string>();
    for (const other of this.store.list(CRD_TABLE)) {
      if (other.spec?.group !== group) continue;
      const a = other.status?.acceptedNames ?? {};
      for (const n of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (n) resources.add(n);
      for (const n of [a.kind, a.listKind]) if (n) kinds.add(n);
    }
    const requested: Obj = crd.spec?.names ?? {};
    const current: Obj = crd.status?.acceptedNames ?? {};
    const names: Obj = { ...current };
    let accepted: Cond | undefined;
    const conflict = (reason: string, message: string) => (accepted = { type: 'NamesAccepted', status: 'False', reason, message });
    const free = (want: string | undefined, have: string | undefined, used: Set<string>) => want === have || !want || !used.has(want);
    if (free(requested.plural, current.plural, resources)) names.plural = requested.plural;
    else conflict('PluralConflict', `"${requested.plural}" is already in use`);
    if (free(requested.singular, current.singular, resources)) names.singular = requested.singular;
    else conflict('SingularConflict', `"${requested.singular}" is already in use`);
    if (!deepEqual(requested.shortNames, current.shortNames)) {
      const mine = new Set<string>(current.shortNames ?? []);
      const taken = (requested.shortNames ?? []).filter((s: string) => !mine.has(s) && resources.has(s)).map((s: string) => `"${s}" is already in use`);
      if (taken.length) conflict('ShortNamesConflict', taken.length === 1 ? taken[0] : `[${taken.join(', ')}]`);
      else names.shortNames = requested.shortNames;
    }
    if (free(requested.kind, current.kind, kinds)) names.kind = requested.kind;
    else conflict('KindConflict', `"${requested.kind}" is already in use`);
    if (free(requested.listKind, current.listKind, kinds)) names.listKind = requested.listKind;
    else conflict('ListKindConflict', `"${requested.listKind}" is already in use`);
    if (requested.categories !== undefined) names.categories = requested.categories;
    else delete names.categories;
    // CustomResourceDefinitionNames' field order: plural, singular, shortNames, kind, listKind, categories.
    const ordered: Obj = {};
    for (const k of ['plural', 'singular', 'shortNames', 'kind', 'listKind', 'categories']) if (names[k] !== undefined) ordered[k] = names[k];
    const namesAccepted: Cond = accepted ?? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
    // Established stays as it was once True; before that it says why it waits.
    const prev = (crd.status?.conditions ?? []).find((c: Obj) => c.type === 'Established');
    let established: Cond = prev ? { type: prev.type, status: prev.status, reason: prev.reason, message: prev.message } : { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
    if (established.status !== 'True' && namesAccepted.status === 'True') established = { type: 'Established', status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
    return { names: ordered, accepted: namesAccepted, established };
  }

  /** CRDFinalizer.sync: InstanceDeletionInProgress, every instance deleted, then the finalizer removed. */
  private finalize(crd: KObject): void {
    const now = () => this.ctx.clock.now();
    let status: Obj = crd.status ?? {};
    const inProgress: Cond = { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' };
    if (!sameCondition(inProgress, crd)) {
      status = setCRDCondition(status, inProgress, now());
      crd = this.writeStatus(crd, status) ?? crd;
      status = crd.status ?? {};
    }
    let done: Cond;
    if (crdCondition(crd, 'Established')) {
      const table = `${crd.spec.group}/${crd.spec.names?.plural}`;
      const info = customResourcesOf(this.store)?.info(crd.spec.group, crd.spec.names?.plural);
      if (info) {
        const gvr = { group: info.group, version: info.version, resource: info.resource };
        for (const o of [...this.store.list(table)]) {
          if (o.metadata.deletionTimestamp) continue;
          try {
            this.ctx.api.delete(gvr, o.metadata.namespace, o.metadata.name!);
          } catch (e) {
            if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
          }
        }
      }
      // Instances with finalizers of their own stay until those are done: look again later.
      if (this.store.count(table) > 0) {
        this.queue.addAfter(crd.metadata.name!, RECHECK_MS);
        return;
      }
      done = { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' };
    } else {
      done = { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' };
    }
    status = setCRDCondition(status, done, now());
    const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    this.writeStatus({ ...crd, metadata: { ...crd.metadata, finalizers } }, status);
  }

  private writeStatus(crd: KObject, status: Obj): KObject | undefined {
    try {
      return this.ctx.api.update(CRD_GVR, undefined, { ...crd, status }, undefined, 'status').object;
    } catch (e) {
      // Deleted or changed meanwhile: its own event brings it back.
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
      return undefined;
    }
  }
}

/** IsCRDConditionEquivalent: the same type, status, reason and message. */
function sameCondition(c: Cond, crd: KObject): boolean {
  const have = (crd.status?.conditions ?? []).find((x: Obj) => x.type === c.type);
  return !!have && have.status === c.status && have.reason === c.reason && have.message === c.message;
}
