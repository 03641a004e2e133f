/**
 * The pods a controller makes from one template are one object but for the name the apiserver generates: a
 * ReplicaSet's hundred pods validate alike. This memo keeps, per owner, the last pod that validated clean (no error,
 * no warning, no unknown or duplicate field) and answers for the next one when it equals that pod in everything
 * validation reads: every top-level field (the spec above all) and all of the metadata but the generated name, uid
 * and creationTimestamp. A name generated from the same generateName differs only in its five-character suffix from
 * one alphabet, which no rule tells apart. Validation is a pure function of these, so the answer is the same; any
 * difference at all, and the pod is validated in full.
 *
 * One difference more is let through: the node a DaemonSet pins each of its pods to (required node affinity,
 * `matchFields: [{key: metadata.name, operator: In, values: [<node>]}]`, the controller's ReplaceDaemonSetPodNodeNameNodeAffinity).
 * ValidateNodeFieldSelectorRequirement (pkg/apis/core/validation) reads such a value only through ValidateNodeName,
 * a DNS-1123 subdomain check, so two pods alike but for valid node names there validate alike.
 *
 * A ReplicaSet's pods go one step further: the controller hands the apiserver its cached template's frozen spec and
 * labels themselves (podFromTemplate), so its requests are equal, field for field and in the same order, but for
 * nothing at all. Everything the create path does before validation (decoding nulls, defaulting, dropping empty
 * fields, merging label keys) is a function of the request and its namespace alone, writing the generated name, the
 * uid and the creationTimestamp without reading them: for a request equal to the one a remembered pod came from,
 * a copy of that pod with its own name, uid and timestamp written over is what those steps would make, and it
 * validated clean. `prepared` answers that copy, so only the first pod of a template is defaulted and compared.
 */
import type { KObject } from '../contract';
import { isDNS1123Subdomain } from '../../../kube/src/names';
import { copySharingFrozen, deepEqual, deepFreeze } from '../runtime/objects';
import { internPodParts } from './podintern';

/** The metadata fields the create path sets itself, each pod its own. */
const OWN = new Set(['name', 'uid', 'creationTimestamp']);
/** At most this many owners remembered; past it the memo starts afresh. */
const MAX_ENTRIES = 4096;

interface Entry {
  /** The pod as it stood when it validated clean (before admission): a copy frozen but for its spine (`frozenBelowSpine`). */
  pod: KObject;
  /** The request it was made from and the namespace it was created in. */
  request: KObject;
  namespace: string | undefined;
}

export class ValidationMemo {
  private readonly entries = new Map<string, Entry>();

  /** Whether `o` (a pod whose name was generated) validates as a pod remembered clean. */
  clean(o: KObject): boolean {
    const key = keyOf(o.metadata, o.metadata.namespace);
    const prev = key === undefined ? undefined : this.entries.get(key);
    return prev !== undefined && same(o, prev.pod);
  }

  /** Remembers `o` (before admission changes it), which validated clean, and `request`, the body it was made from. */
  remember(o: KObject, request: KObject): void {
    const key = keyOf(o.metadata, o.metadata.namespace);
    if (key === undefined) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { pod: frozenBelowSpine(copySharingFrozen(o)), request: copySharingFrozen(request), namespace: o.metadata.namespace });
  }

  /**
   * For a request to create a pod in `namespace` equal to the one a remembered pod was made from: a copy of that
   * pod to write this one's name (left empty, to generate), uid and creationTimestamp into. Else undefined.
   * Only a request that holds the very spec the remembered one held (a cached template's, frozen) is compared: a
   * spec of its own, as a DaemonSet's pod pinned to its node has, would be walked to a difference deep inside.
   */
  prepared(request: KObject, namespace: string | undefined): KObject | undefined {
    const m = request.metadata;
    if (!m || typeof m !== 'object') return undefined;
    const key = keyOf(m, namespace);
    const prev = key === undefined ? undefined : this.entries.get(key);
    if (prev === undefined || prev.namespace !== namespace || request.spec !== (prev.request as KObject).spec) return undefined;
    if (!sameRequest(request, prev.request)) return undefined;
    const pod = copySpine(prev.pod);
    pod.metadata.name = '';
    return pod;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The pod fields that hold containers, which admission changes in place (a mount, default resources, each pod its own). */
const CONTAINER_LISTS = new Set(['initContainers', 'containers', 'ephemeralContainers']);

/**
 * A remembered pod (a copy of its own) frozen but for its spine: the pod, its metadata and spec, the container lists
 * and the containers. Every later step of a pod's create writes only there (the name, uid and timestamp into the
 * metadata; admission sets a spec field or a container's field to a new value: the service account's volume and
 * mounts, the priority, LimitRanger's resources; the pod's parts are interned by replacing them), and the store
 * freezes the pod anyway: what `prepared` copies from it, the pods of a template then share instead of copying, and the
 * store has only the spine left to freeze.
 */
function frozenBelowSpine(pod: KObject): KObject {
  // The parts a controller's pods have alike are the ones podintern.ts shares: the pods then hold those already.
  internPodParts(pod);
  for (const k in pod) if (k !== 'metadata' && k !== 'spec') deepFreeze(pod[k]);
  const m = pod.metadata;
  for (const k in m) deepFreeze(m[k]);
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) deepFreeze(spec);
  else {
    for (const k in spec) {
      const v = spec[k];
      if (!CONTAINER_LISTS.has(k) || !Array.isArray(v)) deepFreeze(v);
      else for (const c of v) if (!isRecord(c)) deepFreeze(c);
      else for (const f in c) deepFreeze(c[f]);
    }
  }
  return pod;
}

/**
 * What `copySharingFrozen` makes of a remembered pod, built from its spine alone: all else in it is frozen, so it is
 * shared without a look inside. Built field by field as that copy is, so that the pods' objects have its shapes.
 */
function copySpine(pod: KObject): KObject {
  const out: Record<string, any> = {};
  for (const k in pod) {
    const v = pod[k];
    if (v !== undefined) out[k] = k === 'metadata' ? copyFields(v) : k === 'spec' && isRecord(v) ? copySpec(v) : v;
  }
  return out as KObject;
}

function copySpec(spec: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k in spec) {
    const v = spec[k];
    if (v === undefined) continue;
    if (!CONTAINER_LISTS.has(k) || !Array.isArray(v)) out[k] = v;
    else {
      const list = new Array(v.length);
      for (let i = 0; i < v.length; i++) list[i] = isRecord(v[i]) ? copyFields(v[i]) : v[i];
      out[k] = list;
    }
  }
  return out;
}

/** An object's own copy holding its (frozen) values. */
function copyFields(o: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The owner the pods come from (its controller's uid), else their namespace and generateName. */
function keyOf(m: any, namespace: string | undefined): string | undefined {
  if (typeof m.generateName !== 'string') return undefined;
  const refs = m.ownerReferences;
  // Asked for every pod a controller creates: a plain loop, no closure.
  let owner: unknown;
  if (Array.isArray(refs)) {
    for (let i = 0; i < refs.length; i++) {
      if (refs[i]?.controller === true) {
        owner = refs[i].uid;
        break;
      }
    }
  }
  return typeof owner === 'string' ? owner : `${namespace ?? ''}\u0000${m.generateName}`;
}

/**
 * Whether a request equals a remembered one (`copySharingFrozen`'s copy) as the create path reads it: the same fields in
 * the same order (the stored pod keeps the request's order), with the same values; a field holding undefined is
 * left out as `deepCopy` leaves it out. A value the copy shares is frozen, so one the request holds too is equal.
 */
function sameRequest(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameRequest(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(b);
  let i = 0;
  for (const k in a as Record<string, unknown>) {
    const x = (a as Record<string, unknown>)[k];
    if (x === undefined) continue;
    if (k !== keys[i++] || !sameRequest(x, (b as Record<string, unknown>)[k])) return false;
  }
  return i === keys.length;
}

function same(a: KObject, b: KObject): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] === undefined) continue;
    n++;
    if (k === 'metadata' ? !sameMeta(a.metadata, b.metadata) : k === 'spec' ? !sameSpec(a.spec, b.spec) : !deepEqual(a[k], b[k])) return false;
  }
  for (const k in b) if (b[k] !== undefined) n--;
  return n === 0;
}

function sameMeta(a: any, b: any): boolean {
  if (!a || !b) return a === b;
  let n = 0;
  for (const k in a) {
    if (a[k] === undefined || OWN.has(k)) continue;
    n++;
    if (!deepEqual(a[k], b[k])) return false;
  }
  for (const k in b) if (b[k] !== undefined && !OWN.has(k)) n--;
  return n === 0;
}

/** The specs equal, or equal once `a`'s node-name field selector values, each a valid node name, are `b`'s. */
function sameSpec(a: any, b: any): boolean {
  if (deepEqual(a, b)) return true;
  const va = pinnedNames(a), vb = pinnedNames(b);
  if (!va?.length || !vb || va.length !== vb.length) return false;
  for (let i = 0; i < va.length; i++) {
    if (va[i] === vb[i]) continue;
    if (typeof va[i] !== 'string' || typeof vb[i] !== 'string' || isDNS1123Subdomain(va[i] as string).length) return false;
  }
  return deepEqual(repinned(a, vb), b);
}

const requiredTerms = (spec: any): unknown => spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
const isNameField = (f: any): boolean => f?.key === 'metadata.name' && Array.isArray(f.values);

/** The values of the required node affinity's `metadata.name` field requirements, in order. */
function pinnedNames(spec: any): unknown[] | undefined {
  const terms = requiredTerms(spec);
  if (!Array.isArray(terms)) return undefined;
  const out: unknown[] = [];
  for (const t of terms) if (Array.isArray(t?.matchFields)) for (const f of t.matchFields) if (isNameField(f)) out.push(...f.values);
  return out;
}

/** `spec` with those values replaced, in order, by `names` (a copy along the path; the rest shared). */
function repinned(spec: any, names: unknown[]): any {
  let i = 0;
  const na = spec.affinity.nodeAffinity;
  const req = na.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = (req.nodeSelectorTerms as any[]).map((t) => (!Array.isArray(t?.matchFields) ? t
    : { ...t, matchFields: t.matchFields.map((f: any) => (isNameField(f) ? { ...f, values: f.values.map(() => names[i++]) } : f)) }));
  return { ...spec, affinity: { ...spec.affinity, nodeAffinity: { ...na, requiredDuringSchedulingIgnoredDuringExecution: { ...req, nodeSelectorTerms: terms } } } };
}
