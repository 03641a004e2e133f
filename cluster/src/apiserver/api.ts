import type {
  Api, Clock, DeleteOptions, GVR, KObject, ListOptions, ListResult, PatchType, Rand, WatchEvent, WatchHandle, WriteOptions, WriteResult,
} from '../contract';
import { mergeLabelKeys } from './labelkeys';
import type { Store } from '../store/store';
import { deepCopy, deepEqual, deepFreeze, rfc3339 } from '../runtime/objects';
import { applyDefaults, defaultJobLabels, generateJobSelector } from './defaults';
import { generateName, newUid } from './meta';
import { apiVersionOf, resourceForKind, resourceInfo, storageId, type ResourceInfo } from './resources';
import {
  alreadyExists, badRequest, forbidden, invalid, notFound, staleConflict, conflict, type FieldError, StatusError, resourceVersionParseError, unknownError,
} from './status';
import { ingressStatusErrors } from '../../../kube/src/rules/ingress';
import { podSpecSites, type JsonObject } from '../../../kube/src/rules/context';
import { eventCreateErrors, eventUpdateErrors } from './eventvalidation';
import { createWarnings, dropDisabledFields, dropTypeDependentFields, immutableErrors, initialStatus, podTemplateWarnings, setTemplateGeneration, specChanged, tracksGeneration } from './strategy';
import { ephemeralContainerErrors } from './ephemeral';
import { resizedPod, resizeErrors } from './resize';
import { formatFieldPath, notRegisteredMessage } from '../../../kube/src/rules/status';
import { prune, runRules } from './validate';
import { decodeNulls } from './nulls';
import { deleteObject } from './delete';
import { checkContinue, listResource, watchResource } from './read';
import { applyPatch } from './patch';
import { getScale, scaleToUpdate } from './scale';
import { createSubresource } from './subresources';
import type { TokenIssuer } from '../auth/issuer';
import { fromServed, toServed } from './versions';
import { trackManagedFields } from './apply/managed';
import { ValidationMemo } from './validationmemo';
import { admitPodPriority, admitPriorityClass, keepPodPriority, PRIORITY_CLASSES } from './priority';
import { attachCustomResources, CRD_TABLE, type CustomResources } from './crd/registry';
import { checkCustomResource, customGeneration, decodeCustomResource, presentCustom, refuseWhileTerminating, validateCustomResource } from './crd/resource';
import { crdStatusFinalizers, defaultCRD, prepareCRDCreate, prepareCRDUpdate } from './crd/definition';
import { validateCRD } from './crd/validation';
import { ipAddressSpecErrors, serviceCIDRErrors } from './servicecidrvalidation';
import { flowSchemaErrors, priorityLevelErrors } from './flowcontrolvalidation';
import { FLOW_SCHEMAS, PRIORITY_LEVELS } from './flowcontrol';
import { CSR_TABLE, csrDecodeError, csrErrors, prepareCsrCreate, prepareCsrUpdate } from './certificates';
import { internPodParts } from './podintern';
import { VAP_BINDINGS, VAP_POLICIES } from './policy/vap';
import { validatingAdmissionPolicyBindingErrors, validatingAdmissionPolicyErrors } from './policy/validation';
import {
  DEVICE_CLASSES, deviceClassErrors, draValidation, RESOURCE_CLAIM_TEMPLATES, RESOURCE_CLAIMS, RESOURCE_SLICES, resourceClaimErrors,
  resourceClaimTemplateErrors, resourceSliceErrors,
} from './dravalidation';

/** A hook the network and storage parts register to allocate on create (ClusterIPs, NodePorts) or veto writes. */
export interface AdmissionPlugin {
  name: string;
  /** Store ids (`/services`, `apps/deployments`) it looks at; all when absent. */
  resources?: string[];
  /**
   * Mutating admission: may change `obj` (create and update), or throw a StatusError. Runs on dry runs too.
   * Answers true when it changed what the object's validation checks (LimitRanger's defaults), so validation runs again.
   */
  admit?(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, opts: WriteOptions, subresource?: string): void | boolean;
  /** Validating admission: after the object passed its own validation; may only refuse (throw), or answer warnings for the client. */
  validate?(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, opts: WriteOptions, subresource?: string): void | string[];
  /**
   * Validating admission of a DELETE (the generic registry's deleteValidation), before the object is marked or
   * removed: may only refuse (throw). `existing` is the stored object.
   */
  validateDelete?(info: ResourceInfo, existing: KObject, opts: DeleteOptions): void | string[];
  /**
   * Validating admission of a create through a subresource (pods/binding, pods/eviction, serviceaccounts/token) or
   * of the legacy bindings resource: the REST storage's createValidation, called with the subresource's own object
   * (a Binding, an Eviction, a TokenRequest) as the storage holds it then. `info` is the resource the request names
   * (pods, serviceaccounts, bindings), `subresource` '' for bindings, `name` the one in the URL. May only refuse.
   */
  validateCreateSubresource?(info: ResourceInfo, subresource: string, namespace: string | undefined, name: string, obj: KObject, opts: WriteOptions): void | string[];
  /**
   * Mutating admission of such a create: the handler's, before the REST storage's Create reads the object (so
   * before its own checks, a name that differs from the URL's among them). Same arguments; may refuse (throw).
   */
  admitCreateSubresource?(info: ResourceInfo, subresource: string, namespace: string | undefined, name: string, obj: KObject, opts: WriteOptions): void;
  /** Called after an object left the store (to release what `admit` allocated). */
  released?(obj: KObject): void;
  /**
   * Called when a write fails after admission began (a later plugin, validation, a name taken): undo what `admit`
   * took for this object, if anything (every plugin of the write is called, whether its admit ran or not).
   */
  aborted?(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined): void;
}

export interface ApiServerOptions {
  store: Store;
  clock: Clock;
  rand: Rand;
  /** Counts requests by verb (stats). */
  count?: (counter: string) => void;
  /** Skip the shared validation rules on creates of this many-th... false = always validate. */
  skipRules?: boolean;
}

/**
 * The apiserver's semantics with no HTTP: admission, defaulting, validation,
 * and the store. Every failure is a StatusError shaped as upstream's.
 */
export class ApiServer implements Api {
  readonly store: Store;
  readonly clock: Clock;
  readonly rand: Rand;
  readonly plugins: AdmissionPlugin[] = [];
  private readonly pluginsById = new Map<string, AdmissionPlugin[]>();
  /** The plugins that look at subresource creates (the scheduler's binding is on the hot path: kept, not filtered each time). */
  private subresourceValidators?: AdmissionPlugin[];
  private subresourceMutators?: AdmissionPlugin[];
  /** The service-account token issuer, for the TokenRequest subresource (absent: the subresource is not served). */
  tokens?: TokenIssuer;
  private readonly countFn: (c: string) => void;
  readonly skipRules: boolean;
  /** The last clean pod of each owner, so that its template's next pods need not be validated again. */
  private readonly podMemo = new ValidationMemo();
  /** The custom resources this store's CustomResourceDefinitions serve (crd/registry.ts). */
  readonly custom: CustomResources;

  constructor(opts: ApiServerOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.rand = opts.rand;
    this.countFn = opts.count ?? (() => undefined);
    this.skipRules = !!opts.skipRules;
    this.custom = attachCustomResources(this.store);
  }

  use(p: AdmissionPlugin): () => void {
    this.plugins.push(p);
    this.pluginsById.clear();
    this.subresourceValidators = undefined;
    this.subresourceMutators = undefined;
    return () => {
      const i = this.plugins.indexOf(p);
      if (i >= 0) this.plugins.splice(i, 1);
      this.pluginsById.clear();
      this.subresourceValidators = undefined;
      this.subresourceMutators = undefined;
    this.subresourceMutators = undefined;
    };
  }

  info(gvr: GVR): ResourceInfo {
    const info = resourceInfo(gvr.group, gvr.resource, gvr.version) ?? this.custom.info(gvr.group, gvr.resource, gvr.version);
    if (!info) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
    return info;
  }

  /** Namespace of a request: none for cluster-scoped resources, else the given one, the object's, or `default`. */
  nsOf(info: ResourceInfo, namespace: string | undefined, obj?: KObject): string | undefined {
    if (!info.namespaced) return undefined;
    const fromObj = obj?.metadata?.namespace;
    if (namespace && fromObj && namespace !== fromObj) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    return namespace || fromObj || 'default';
  }

  // ---------- read ----------

  get(gvr: GVR, namespace: string | undefined, name: string, subresource?: string): KObject {
    this.countFn('get');
    const info = this.info(gvr);
    const ns = this.nsOf(info, namespace);
    const o = this.store.get(storageId(info), ns, name);
    if (!o) throw notFound(info, name);
    if (subresource === 'scale') return getScale(info, o);
    return this.present(info, o);
  }

  list(gvr: GVR, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    this.countFn('list');
    return listResource(this, this.info(gvr), namespace, opts);
  }

  checkContinue(gvr: GVR, namespace: string | undefined, opts: ListOptions): void {
    checkContinue(this, this.info(gvr), namespace, opts);
  }

  watch(
    gvr: GVR,
    namespace: string | undefined,
    opts: ListOptions & { sendInitialEvents?: boolean; allowBookmarks?: boolean },
    onEvent: (e: WatchEvent) => void,
  ): WatchHandle {
    this.countFn('watch');
    return watchResource(this, this.info(gvr), namespace, opts, onEvent);
  }

  // ---------- write ----------

  create(gvr: GVR, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}, subresource?: string, parentName?: string): WriteResult {
    this.countFn('create');
    const info = this.info(gvr);
    // The create handler's EnsureObjectNamespaceMatchesRequestNamespace holds for a Binding or an Eviction too.
    if (subresource) return createSubresource(this, info, this.nsOf(info, namespace, obj && typeof obj === 'object' ? obj : undefined), parentName ?? obj?.metadata?.name ?? '', subresource, obj, opts);
    // The legacy POST .../bindings names the pod in the Binding's metadata.
    if (info.resource === 'bindings' && !info.group) {
      const podInfo = resourceInfo('', 'pods')!;
      // Admission sees the request as it was made: resource bindings, no subresource (LegacyBindingREST).
      return createSubresource(this, podInfo, this.nsOf(info, namespace, obj), obj?.metadata?.name ?? '', 'binding', obj, opts, info);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request was in an unknown format');
    if (info.custom) refuseWhileTerminating(info);
    unregisteredKind(info, obj, this.store);
    const id = storageId(info);
    if (id === CSR_TABLE) undecodable(info, obj);
    const ns = this.nsOf(info, namespace, obj);
    // A controller's pods from one template are one request (validationmemo.ts): a pod of an equal request that
    // validated clean, decoded and defaulted already, only takes this one's name, uid and timestamp below.
    const prepared = id === '/pods' && !this.skipRules && !opts.duplicateFields?.length ? this.podMemo.prepared(obj, ns) : undefined;
    let o = prepared ?? (deepCopy(obj) as KObject);
    if (!prepared) {
      decodeNulls(o, apiVersionOf(info), info.kind);
      o = fromServed(info, o);
      o.metadata = o.metadata && typeof o.metadata === 'object' ? o.metadata : {};
      o.apiVersion = info.storage ?? apiVersionOf(info);
      o.kind = info.kind;
    }
    const m = o.metadata;
    if (m.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (ns) m.namespace = ns;
    else delete m.namespace;
    const generated = !m.name && typeof m.generateName === 'string' && m.generateName !== '';
    if (generated) m.name = generateName(this.rand, m.generateName!);
    m.uid = newUid(this.rand);
    m.creationTimestamp = rfc3339(this.clock.now());
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    if (tracksGeneration(id) || info.custom) m.generation = 1;
    else delete m.generation;
    if (id === 'apps/daemonsets') setTemplateGeneration(o, undefined);
    // customResourceStrategy.PrepareForCreate: a status subresource's status is not the creator's to set.
    if (info.custom && info.status) delete o.status;
    if (id === CRD_TABLE) {
      defaultCRD(o);
      prepareCRDCreate(o);
    }
    if (!prepared) {
      safeDefaults(id, o);
      dropDisabledFields(id, o);
    }
    // The Job strategy's PrepareForCreate puts the selector labels (job-name is the Job's name) on the pod
    // template before validation: a name too long for a label value is refused there.
    // SetDefaults_Job ran at decoding: a Job without labels shares its template's map when the template has one,
    // so the selector labels land on both before validation; a template without labels gets a map of its own, and
    // the Job shows it only when read back (defaulting again), after validation.
    // The pod strategy's PrepareForCreate: matchLabelKeys and mismatchLabelKeys join their selectors.
    if (id === '/pods' && !prepared) mergeLabelKeys(o);
    const jobLabels = id === 'batch/jobs' ? sharesTemplateLabels(o) : undefined;
    if (jobLabels !== undefined) {
      generateJobSelector(o);
      if (jobLabels) defaultJobLabels(o);
    }
    // A controller's pods from one template validate alike (validationmemo.ts): one equal to a pod that validated
    // clean is clean.
    const memo = id === '/pods' && generated && !this.skipRules && !opts.duplicateFields?.length;
    let checked: { errors: FieldError[]; warnings?: string[] };
    if (prepared || (memo && this.podMemo.clean(o))) checked = { errors: [] };
    else {
      checked = this.check(info, o, opts);
      if (memo && !checked.errors.length && !checked.warnings?.length) this.podMemo.remember(o, obj);
    }
    if (id === '/events') checked.errors.push(...eventCreateErrors(o, info.group === 'events.k8s.io'));
    if (jobLabels === false) defaultJobLabels(o);
    this.admitNamespace(info, ns, m.name ?? '');
    if (id === '/pods') admitPodPriority(this.store, info, o);
    else if (id === PRIORITY_CLASSES) admitPriorityClass(this.store, info, o, 'CREATE');
    const st = initialStatus(id, o);
    if (st !== undefined) o.status = st === null ? undefined : st;
    if (id === CSR_TABLE) prepareCsrCreate(o, opts.user);
    let recheck = false;
    const plugins = this.pluginsFor(id);
    try {
      for (const p of plugins) if (p.admit?.('CREATE', o, undefined, opts)) recheck = true;
      return this.finishCreate(info, id, ns, o, checked, recheck, opts, generated);
    } catch (e) {
      // Upstream's finishCreate(false): what mutating admission allocated (a ClusterIP, NodePorts) goes back.
      for (const p of plugins) p.aborted?.('CREATE', o, undefined);
      throw e;
    }
  }

  private finishCreate(info: ResourceInfo, id: string, ns: string | undefined, o: KObject, checked: { errors: FieldError[]; warnings?: string[] }, recheck: boolean, opts: WriteOptions, generated: boolean): WriteResult {
    const m = o.metadata;
    // Upstream validates after mutating admission; here the first check ran before it (it also decodes and prunes).
    if (recheck) checked.errors = this.check(info, o, opts).errors;
    if (checked.errors.length) throw invalid(info.group, info.kind, m.name ?? '', checked.errors);
    let admissionWarnings: string[] | undefined;
    for (const p of this.pluginsFor(id)) {
      const w = p.validate?.('CREATE', o, undefined, opts);
      if (w && w.length) (admissionWarnings ??= []).push(...w);
    }
    // WarningsOnCreate comes from the registry, before validating admission adds its own.
    const registryWarnings = createWarnings(id, o);
    const warnings = registryWarnings.length || admissionWarnings ? [...(checked.warnings ?? []), ...registryWarnings, ...(admissionWarnings ?? [])] : checked.warnings;
    if (opts.fieldManager) trackManagedFields(o, undefined, opts.fieldManager, 'Update', this.clock.now(), apiVersionOf(info));
    for (let attempt = 0; this.store.get(id, ns, m.name!); attempt++) {
      if (!generated || attempt >= 7) throw alreadyExists(info, m.name ?? '');
      m.name = generateName(this.rand, m.generateName!);
    }
    if (id === '/pods') internPodParts(o);
    if (opts.dryRun) return { object: this.present(info, deepFreeze(o)), warnings };
    return { object: this.present(info, this.store.put(id, o)), warnings };
  }

  update(gvr: GVR, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}, subresource?: string): WriteResult {
    this.countFn('update');
    const info = this.info(gvr);
    if (!obj || typeof obj !== 'object' || !obj.metadata?.name) throw badRequest('name is required');
    const ns = this.nsOf(info, namespace, obj);
    const id = storageId(info);
    const existing = this.store.get(id, ns, obj.metadata.name);
    if (!existing) throw notFound(info, obj.metadata.name);
    if (subresource === 'scale') return this.updateFrom(info, existing, scaleToUpdate(info, existing, obj), { ...opts, managedSubresource: 'scale' }, undefined, getScaleResult);
    let input = obj;
    if (info.storage) input = fromServed(info, deepCopy(obj));
    return this.updateFrom(info, existing, input, opts, subresource);
  }

  /**
   * The update pipeline shared by update, patch and scale: preconditions,
   * merging with what is stored (status subresource rules), defaulting,
   * generation, validation, and the write (or a no-op when nothing changed).
   */
  updateFrom(
    info: ResourceInfo,
    existing: KObject,
    input: KObject,
    opts: WriteOptions,
    subresource?: string,
    shape: (info: ResourceInfo, o: KObject) => KObject = (i, o) => this.present(i, o),
    managedOp?: { manager: string; operation: 'Apply' | 'Update' },
    /** The caller built `input` afresh and drops it (a merge or JSON patch result): its status needs no second copy. */
    inputOwned = false,
  ): WriteResult {
    const id = storageId(info);
    if (id === CSR_TABLE && input !== existing) undecodable(info, input);
    const name = existing.metadata.name!;
    const rv = input.metadata?.resourceVersion;
    if (rv && rv !== existing.metadata.resourceVersion) {
      // The generic store's Update reads the new object's resourceVersion inside GuaranteedUpdate
      // (Versioner().ObjectResourceVersion) and returns strconv's error as it is, before the optimistic-lock check;
      // a version that reads as 0 ("00") asks for an unconditional update, as "" does.
      const bad = resourceVersionParseError(rv);
      if (bad) throw unknownError(bad);
      if (!/^0+$/.test(rv)) throw staleConflict(info, name);
    }
    const uid = input.metadata?.uid;
    if (uid && uid !== existing.metadata.uid) {
      throw conflict(info, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${existing.metadata.uid}`);
    }
    let o: KObject;
    let warnings: string[] | undefined;
    /** A custom resource's body is decoded (pruned, defaulted) before its generation is judged, as upstream decodes first. */
    let decoded: { warnings?: string[] } | undefined;
    if (subresource === 'status' || (subresource === 'approval' && id === CSR_TABLE)) {
      // An input the caller owns is kept as it is: no mutating admission plugin here changes a subresource write
      // (ServiceAccount and LimitRanger admit creates only; mutating webhooks are called, but no webhook's patch is
      // applied), and the parts a patch result shares with `existing` are frozen.
      const copy = !inputOwned;
      o = { ...existing, metadata: { ...existing.metadata }, status: copy ? deepCopy(input.status) : input.status };
      if (o.status === undefined) delete o.status;
      // The apps and batch status strategies reset only spec and labels: annotations ride along
      // (the deployment controller records deployment.kubernetes.io/revision this way).
      if (STATUS_CARRIES_ANNOTATIONS.has(id) && input.metadata && 'annotations' in input.metadata) {
        o.metadata.annotations = deepCopy(input.metadata.annotations);
        if (o.metadata.annotations === undefined) delete o.metadata.annotations;
      }
      if (id === CRD_TABLE) crdStatusFinalizers(o, input);
      if (id === CSR_TABLE) o = prepareCsrUpdate(existing, o, input, subresource === 'approval' ? 'approval' : 'status', this.clock.now());
    } else if (subresource === 'ephemeralcontainers' && id === '/pods') {
      // Only spec.ephemeralContainers comes from the request; the rest is the stored pod (with defaults for the new ones).
      o = { ...existing, metadata: { ...existing.metadata }, spec: { ...(existing.spec ?? {}), ephemeralContainers: deepCopy(input.spec?.ephemeralContainers) } };
      if (o.spec.ephemeralContainers === undefined) delete o.spec.ephemeralContainers;
      safeDefaults(id, o);
    } else if (subresource === 'resize' && id === '/pods') {
      // Only the containers' resources and resizePolicy come from the request (podResizeStrategy.PrepareForUpdate).
      o = resizedPod(existing, input);
      safeDefaults(id, o);
      if (specChanged(id, existing, o)) o.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    } else if (subresource === 'finalize' && id === '/namespaces') {
      o = { ...existing, metadata: { ...existing.metadata }, spec: { ...(existing.spec ?? {}), finalizers: deepCopy(input.spec?.finalizers ?? []) } };
    } else {
      o = input === existing ? { ...existing } : info.status ? copyButStatus(input) : (deepCopy(input) as KObject);
      if (input !== existing) decodeNulls(o, apiVersionOf(info), info.kind);
      o.apiVersion = existing.apiVersion;
      o.kind = existing.kind;
      const m = (o.metadata = { ...(o.metadata ?? {}) });
      const em = existing.metadata;
      m.name = em.name;
      if (em.namespace) m.namespace = em.namespace;
      else delete m.namespace;
      m.uid = em.uid;
      m.creationTimestamp = em.creationTimestamp;
      if (em.deletionTimestamp) m.deletionTimestamp = em.deletionTimestamp;
      else delete m.deletionTimestamp;
      if (em.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = em.deletionGracePeriodSeconds;
      else delete m.deletionGracePeriodSeconds;
      if (em.generation !== undefined) m.generation = em.generation;
      else delete m.generation;
      if (m.managedFields === undefined && em.managedFields) m.managedFields = em.managedFields;
      if (info.status) {
        if (existing.status !== undefined) o.status = existing.status;
        else delete o.status;
      }
      safeDefaults(id, o);
      dropDisabledFields(id, o, existing);
      dropTypeDependentFields(id, o, existing);
      if (id === '/pods') keepPodPriority(o, existing);
      if (id === '/namespaces') o.spec = { ...(o.spec ?? {}), finalizers: existing.spec?.finalizers };
      if (info.custom) {
        decoded = { warnings: decodeCustomResource(info, o, opts) };
        customGeneration(info, existing, o);
      }
      else if (id === CRD_TABLE) {
        defaultCRD(o);
        prepareCRDUpdate(o, existing);
      } else if (tracksGeneration(id) && specChanged(id, existing, o)) m.generation = (em.generation ?? 1) + 1;
      if (id === 'apps/daemonsets' && !subresource) setTemplateGeneration(o, existing);
      if (id === CSR_TABLE) o = prepareCsrUpdate(existing, o, input, 'update', this.clock.now());
    }
    const checked = subresource === 'status' && id === 'networking.k8s.io/ingresses' ? { errors: ingressStatusErrors(o.status).map(([field, value, detail]): FieldError => ({ type: 'FieldValueInvalid', field, value, detail })), warnings: undefined }
      : subresource === 'status' && info.custom ? this.check(info, o, opts, existing)
      : subresource === 'status' || subresource === 'finalize' ? { errors: [], warnings: undefined }
      : subresource === 'ephemeralcontainers' ? { errors: ephemeralContainerErrors(existing, o), warnings: undefined }
      : subresource === 'resize' && id === '/pods' ? this.checkResize(info, existing, o, opts)
      : decoded ? this.checkDecodedCustom(info, o, existing, decoded.warnings)
      : this.check(info, o, opts, existing);
    // The CSR strategies validate every path, /status and /approval included (validation of certificates).
    if (id === CSR_TABLE) checked.errors = [...checked.errors, ...csrErrors(o, existing, subresource === 'status' || subresource === 'approval' ? subresource : 'update')];
    warnings = checked.warnings;
    o.metadata.resourceVersion = existing.metadata.resourceVersion;
    const errs: FieldError[] = [];
    if (existing.metadata.deletionTimestamp) {
      const added = (o.metadata.finalizers ?? []).filter((f) => !(existing.metadata.finalizers ?? []).includes(f));
      if (added.length) {
        errs.push({ type: 'FieldValueForbidden', field: 'metadata.finalizers', detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` });
      }
    }
    const immutable = subresource !== 'status' && subresource !== 'finalize' && subresource !== 'ephemeralcontainers' && subresource !== 'resize' ? immutableErrors(id, existing, o) : [];
    if (id === '/events') immutable.push(...eventUpdateErrors(o, existing, info.group === 'events.k8s.io'));
    if (id === PRIORITY_CLASSES) admitPriorityClass(this.store, info, o, 'UPDATE');
    const plugins = this.pluginsFor(id);
    try {
      for (const p of plugins) p.admit?.('UPDATE', o, existing, opts, subresource);
      // ValidateServiceUpdate, ValidateConfigMapUpdate and ValidateSecretUpdate check immutability before the
      // object; the workload and pod strategies validate the object first and append the update checks.
      if (IMMUTABLE_FIRST.has(id)) errs.push(...immutable, ...checked.errors);
      else errs.push(...checked.errors, ...immutable);
      if (errs.length) throw invalid(info.group, info.kind, name, errs);
      // WarningsOnUpdate: a Pod's spec, or a workload's pod template whose generation moved (GetWarningsForPodTemplate).
      if (!subresource && (id === '/pods' || o.metadata.generation !== existing.metadata.generation)) {
        const w = podTemplateWarnings(o);
        if (w.length) warnings = [...(warnings ?? []), ...w];
      }
      for (const p of this.pluginsFor(id)) {
        const w = p.validate?.('UPDATE', o, existing, opts, subresource);
        if (w && w.length) warnings = [...(warnings ?? []), ...w];
      }
      const manager = managedOp?.manager ?? opts.fieldManager;
      if (manager) trackManagedFields(o, existing, manager, managedOp?.operation ?? 'Update', this.clock.now(), apiVersionOf(info), subresource ?? opts.managedSubresource);
      // The status is what most writes change (every status write, and the kubelet's are two per pod): compared first,
      // a changed one answers without a walk of the metadata, which is always a copy here.
      if (deepEqual(o.status, existing.status) && deepEqual(o, existing)) return { object: shape(info, existing), warnings };
      if (opts.dryRun) return { object: shape(info, deepFreeze(o)), warnings };
      // Upstream's ShouldDeleteDuringUpdate: only once the grace period is over (a terminating pod's kubelet still writes status).
      if (o.metadata.deletionTimestamp && !(o.metadata.deletionGracePeriodSeconds ?? 0) && !(o.metadata.finalizers ?? []).length && !(id === '/namespaces' && (o.spec?.finalizers ?? []).length)) {
        const gone = this.store.remove(id, existing.metadata.namespace, name);
        this.released(id, existing);
        return { object: shape(info, gone ?? existing), warnings };
      }
      return { object: shape(info, this.store.put(id, o)), warnings };
    } catch (e) {
      for (const p of plugins) p.aborted?.('UPDATE', o, existing);
      throw e;
    }
  }

  patch(gvr: GVR, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}, subresource?: string): WriteResult {
    this.countFn('patch');
    const info = this.info(gvr);
    const ns = this.nsOf(info, namespace);
    return applyPatch(this, info, ns, name, type, patch, opts, subresource);
  }

  delete(gvr: GVR, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KObject {
    this.countFn('delete');
    const info = this.info(gvr);
    const ns = this.nsOf(info, namespace);
    return this.present(info, deleteObject(this, info, ns, name, opts));
  }

  // ---------- helpers used by the verbs' modules ----------

  pluginsFor(id: string): AdmissionPlugin[] {
    if (!this.plugins.length) return this.plugins;
    // Every write asks, several times: the answer per store id is kept until the plugins change.
    let list = this.pluginsById.get(id);
    if (!list) this.pluginsById.set(id, (list = this.plugins.filter((p) => !p.resources || p.resources.includes(id))));
    return list;
  }

  /** Runs validating admission on a subresource's create (AdmissionPlugin.validateCreateSubresource); answers the warnings. */
  validateCreateSubresource(info: ResourceInfo, subresource: string, namespace: string | undefined, name: string, obj: KObject, opts: WriteOptions): string[] | undefined {
    const plugins = (this.subresourceValidators ??= this.plugins.filter((p) => p.validateCreateSubresource));
    let warnings: string[] | undefined;
    for (const p of plugins) {
      const w = p.validateCreateSubresource!(info, subresource, namespace, name, obj, opts);
      if (w && w.length) (warnings ??= []).push(...w);
    }
    return warnings;
  }

  /** Runs mutating admission on a subresource's create (AdmissionPlugin.admitCreateSubresource). */
  admitCreateSubresource(info: ResourceInfo, subresource: string, namespace: string | undefined, name: string, obj: KObject, opts: WriteOptions): void {
    for (const p of (this.subresourceMutators ??= this.plugins.filter((q) => q.admitCreateSubresource))) p.admitCreateSubresource!(info, subresource, namespace, name, obj, opts);
  }

  released(id: string, o: KObject): void {
    for (const p of this.pluginsFor(id)) p.released?.(o);
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  admitNamespace(info: ResourceInfo, ns: string | undefined, name: string): void {
    if (!ns) return;
    const nsObj = this.store.get('/namespaces', undefined, ns);
    if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
      const err = forbidden(info, name, `unable to create new content in namespace ${ns} because it is being terminated`);
      // The cause clients and controllers test for (HasStatusCause(err, NamespaceTerminatingCause)).
      err.status.details = { ...(err.status.details ?? {}), causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] };
      throw err;
    }
  }

  /**
   * Runs the shared rules once over the defaulted object. Decoding failures
   * (wrong types; unknown fields under Strict) throw 400 at once, as decoding
   * comes first upstream; unknown fields are dropped (warned under Warn);
   * rule errors are returned for the caller to throw after admission.
   */
  check(info: ResourceInfo, o: KObject, opts: WriteOptions, existing?: KObject): { errors: FieldError[]; warnings?: string[] } {
    if (info.custom) return checkCustomResource(info, o, opts, existing);
    if (this.skipRules) return { errors: [] };
    const r = runRules(o, existing);
    if (r.typeErrors.length) {
      const t = r.typeErrors[0];
      throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${t.message}`);
    }
    let warnings: string[] | undefined;
    const dups = opts.duplicateFields ?? [];
    if (r.unknown.length || dups.length) {
      const msgs = [...dups.map((p) => `duplicate field "${p}"`), ...r.unknown.map((p) => `unknown field "${formatFieldPath(p, 'dot')}"`)];
      const mode = opts.fieldValidation ?? 'Warn';
      if (mode === 'Strict') {
        throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${msgs.join(', ')}`);
      }
      prune(o, r.unknown);
      if (mode === 'Warn') warnings = msgs;
    }
    const own = OWN_VALIDATION[storageId(info)];
    return { errors: own ? own(r.errors, o, existing) : r.errors, warnings };
  }

  /** A custom object's update, decoded already: validation against the stored object, ratcheted rules as warnings. */
  private checkDecodedCustom(info: ResourceInfo, o: KObject, existing: KObject, warnings: string[] | undefined): { errors: FieldError[]; warnings?: string[] } {
    const ratcheted: string[] = [];
    const errors = validateCustomResource(info, o, existing, ratcheted);
    return { errors, warnings: ratcheted.length ? [...(warnings ?? []), ...ratcheted] : warnings };
  }

  /** podResizeStrategy.ValidateUpdate: the pod's own validation, then ValidatePodResize's rules (resize.ts). */
  private checkResize(info: ResourceInfo, existing: KObject, o: KObject, opts: WriteOptions): { errors: FieldError[]; warnings?: string[] } {
    const c = this.check(info, o, opts, existing);
    return { errors: resizeErrors(existing, o, c.errors), warnings: c.warnings };
  }

  /** The object as the client sees it (events.k8s.io events are converted from the shared storage). */
  present(info: ResourceInfo, o: KObject): KObject {
    if (info.custom) return presentCustom(info, o);
    return info.storage ? toServed(info, o) : o;
  }

  now(): string {
    return rfc3339(this.clock.now());
  }
}

/**
 * Validation of its own for a resource whose rules the shared table does not hold (they have no schema in the editor):
 * each gets the shared rules' errors and answers the full list.
 */
const OWN_VALIDATION: Record<string, (shared: FieldError[], o: KObject, existing: KObject | undefined) => FieldError[]> = {
  [CRD_TABLE]: (shared, o, existing) => [...shared, ...validateCRD(o, existing)],
  'networking.k8s.io/servicecidrs': (shared, o) => [...shared, ...serviceCIDRErrors(o)],
  // validateIPAddressParentReference reports the parentRef's required fields itself, in its own order.
  'networking.k8s.io/ipaddresses': (shared, o) => [
    ...shared.filter((e) => !(e.type === 'FieldValueRequired' && e.field.startsWith('spec.parentRef'))),
    ...ipAddressSpecErrors(o),
  ],
  [FLOW_SCHEMAS]: (shared, o) => [...shared, ...flowSchemaErrors(o)],
  [PRIORITY_LEVELS]: (shared, o) => [...shared, ...priorityLevelErrors(o)],
  // On create the status is the one PrepareForCreate leaves (none); updates are checked by updateFrom.
  [CSR_TABLE]: (shared, o, existing) => (existing ? shared : [...shared, ...csrErrors({ ...o, status: {} }, undefined, 'create')]),
  [VAP_POLICIES]: (shared, o) => ownRequired(shared, validatingAdmissionPolicyErrors(o)),
  [VAP_BINDINGS]: (shared, o) => ownRequired(shared, validatingAdmissionPolicyBindingErrors(o)),
  // A claim's and a template's spec is immutable: an update is only checked for that (strategy.ts immutableErrors).
  [RESOURCE_CLAIMS]: (shared, o, existing) => draValidation(existing ? () => [] : resourceClaimErrors)(shared, o),
  [RESOURCE_CLAIM_TEMPLATES]: (shared, o, existing) => draValidation(existing ? () => [] : resourceClaimTemplateErrors)(shared, o),
  // validateDeviceClassSpec treats unchanged selectors as stored: their CEL is not compiled again.
  [DEVICE_CLASSES]: (shared, o, existing) =>
    draValidation(existing && deepEqual(existing.spec?.selectors, o.spec?.selectors) ? () => [] : deviceClassErrors)(shared, o),
  [RESOURCE_SLICES]: draValidation(resourceSliceErrors),
};

/** The shared rules' schema-required errors, less those the resource's own validation reports in its own words. */
function ownRequired(shared: FieldError[], own: FieldError[]): FieldError[] {
  const fields = new Set(own.filter((e) => e.type === 'FieldValueRequired').map((e) => e.field));
  return [...shared.filter((e) => !(e.type === 'FieldValueRequired' && fields.has(e.field))), ...own];
}

const IMMUTABLE_FIRST = new Set(['/services', '/configmaps', '/secrets']);

const STATUS_CARRIES_ANNOTATIONS = new Set(['apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs']);

/** Defaulting never fails a request by itself: a value of the wrong type is reported by validation instead. */
function safeDefaults(id: string, o: KObject): void {
  try {
    applyDefaults(id, o);
  } catch {
    /* wrong shapes are caught by check() */
  }
  dropEmpty(o);
}

const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : !!v && typeof v === 'object' && Object.keys(v).length === 0);
const CONTAINER_LISTS = ['command', 'args', 'env', 'envFrom', 'ports', 'volumeMounts', 'volumeDevices'];
/**
 * What Go's `omitempty` leaves out when the stored object is encoded: an empty map or list in metadata (labels,
 * annotations, finalizers, ownerReferences: `kubectl label cm x a-` leaves no `labels: {}`), a ConfigMap's or
 * Secret's empty data, and a container's empty lists.
 */
function dropEmpty(o: KObject): void {
  const m = o.metadata;
  if (m && typeof m === 'object') for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences']) if (isEmpty((m as any)[k])) delete (m as any)[k];
  if (o.kind === 'ConfigMap' || o.kind === 'Secret') for (const k of ['data', 'binaryData', 'stringData']) if (isEmpty(o[k])) delete o[k];
  try {
    for (const site of podSpecSites(o as JsonObject, String(o.kind))) {
      for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
        const cs = (site.spec as any)[list];
        if (!Array.isArray(cs)) continue;
        for (const c of cs) if (c && typeof c === 'object') for (const k of CONTAINER_LISTS) if (Array.isArray(c[k]) && !c[k].length) delete c[k];
      }
      // A pod template's own metadata (the pod's is `o.metadata`, done above).
      if (site.template) {
        let tm: any = o;
        for (const k of site.metaPath) tm = tm?.[k];
        if (tm && typeof tm === 'object') for (const k of ['labels', 'annotations']) if (isEmpty(tm[k])) delete tm[k];
      }
    }
  } catch { /* an odd shape is validation's to report */ }
}

function getScaleResult(info: ResourceInfo, o: KObject): KObject {
  return getScale(info, o);
}

/**
 * A body whose kind the scheme does not know (`kind: deployment`: kubectl's RESTMapper also maps
 * lower-case kinds, so it sends it) fails the decode before anything else, in the words of the
 * apiserver's transformDecodeError and the scheme's notRegisteredErr.
 */
function unregisteredKind(info: ResourceInfo, obj: KObject, store: Store): void {
  const kind = obj.kind;
  if (typeof kind !== 'string' || kind === '' || kind === info.kind) return;
  const apiVersion = typeof obj.apiVersion === 'string' && obj.apiVersion ? obj.apiVersion : apiVersionOf(info);
  if (resourceForKind(apiVersion, kind, store)) return;
  throw badRequest(notRegisteredMessage(kind, apiVersion, info.kind));
}

/** Whether a new Job has no labels of its own and a pod template with a labels map, which SetDefaults_Job shares. */
function sharesTemplateLabels(o: KObject): boolean {
  const tl = o.spec?.template?.metadata?.labels;
  return !!tl && typeof tl === 'object' && Object.keys(o.metadata.labels ?? {}).length === 0;
}

/** A CertificateSigningRequest body whose []byte fields are not base64 does not decode (csrDecodeError). */
function undecodable(info: ResourceInfo, o: KObject): void {
  const why = csrDecodeError(o);
  if (why) throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${why}`);
}

/**
 * A deep copy of an update's body but for its status, which the main resource's update strategies reset to the
 * stored one right after (PrepareForUpdate: newNode.Status = oldNode.Status, and so for every resource with a
 * status subresource): the status key keeps its place, holding null until then.
 */
function copyButStatus(input: KObject): KObject {
  const out: Record<string, unknown> = {};
  for (const k in input) {
    const x = input[k];
    if (x !== undefined) out[k] = k === 'status' ? null : deepCopy(x);
  }
  return out as KObject;
}
