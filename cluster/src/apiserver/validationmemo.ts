/**
 * The pods a controller makes from one template are one object but for the name the apiserver generates: a
 * ReplicaSet's hundred pods validate alike. This memo keeps, per owner, the last pod that validated clean (no error,
 * no warning, no unknown or duplicate field) and answers for the next one when it equals that pod in everything
 * validation reads: every top-level field (the spec above all) and all of the metadata but the generated name, uid
 * and creationTimestamp. A name generated from the same generateName differs only in its five-character suffix from
 * one alphabet, which no rule tells apart. Validation is a pure function of these, so the answer is the same; any
 * difference at all, and the pod is validated in full.
 */
import type { KObject } from '../contract';
import { deepCopy, deepEqual } from '../runtime/objects';

/** The metadata fields the create path sets itself, each pod its own. */
const OWN = new Set(['name', 'uid', 'creationTimestamp']);
/** At most this many owners remembered; past it the memo starts afresh. */
const MAX_ENTRIES = 4096;

export class ValidationMemo {
  private readonly entries = new Map<string, KObject>();

  /** Whether `o` (a pod whose name was generated) validates as a pod remembered clean. */
  clean(o: KObject): boolean {
    const key = keyOf(o);
    const prev = key === undefined ? undefined : this.entries.get(key);
    return prev !== undefined && same(o, prev);
  }

  /** Remembers `o` (before admission changes it), which validated clean. */
  remember(o: KObject): void {
    const key = keyOf(o);
    if (key === undefined) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, deepCopy(o));
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The owner the pods come from (its controller's uid), else their namespace and generateName. */
function keyOf(o: KObject): string | undefined {
  const m = o.metadata;
  if (typeof m.generateName !== 'string') return undefined;
  const refs = m.ownerReferences;
  const owner = Array.isArray(refs) ? refs.find((r: any) => r?.controller === true)?.uid : undefined;
  return typeof owner === 'string' ? owner : `${m.namespace ?? ''}\u0000${m.generateName}`;
}

function same(a: KObject, b: KObject): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] === undefined) continue;
    n++;
    if (k === 'metadata' ? !sameMeta(a.metadata, b.metadata) : !deepEqual(a[k], b[k])) return false;
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
