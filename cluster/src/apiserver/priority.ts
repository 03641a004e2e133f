/**
 * The Priority admission plugin (plugin/pkg/admission/priority), which
 * upstream enables by default, and the system PriorityClasses the apiserver
 * bootstraps (pkg/apis/scheduling/helpers.go).
 *
 * - A new pod's `priorityClassName` is resolved against the stored
 *   PriorityClasses; its value becomes `spec.priority` and its policy
 *   `spec.preemptionPolicy`. Without a name the global default class applies
 *   (the lowest-valued one if several claim it), or priority 0 and
 *   PreemptLowerPriority when there is none.
 * - A name that resolves to nothing, or a `priority`/`preemptionPolicy` in the
 *   pod that differs from the class's, is Forbidden.
 * - Only one PriorityClass may be the global default.
 */
import type { KObject } from '../contract';
import type { Store } from '../store/store';
import { forbidden } from './status';
import type { ResourceInfo } from './resources';

export const PRIORITY_CLASSES = 'scheduling.k8s.io/priorityclasses';

/** The built-in classes the apiserver creates at startup. */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyArray<{ name: string; value: number; description: string }> = [
  { name: 'system-node-critical', value: 2_000_001_000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2_000_000_000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/** The system classes as stored objects (PriorityClass defaulting gives them PreemptLowerPriority). */
export function systemPriorityClassObjects(): KObject[] {
  return SYSTEM_PRIORITY_CLASSES.map((pc) => ({
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description, preemptionPolicy: 'PreemptLowerPriority',
  }) as KObject);
}

/**
 * getDefaultPriorityClass: with several global defaults (a race upstream), the lowest value wins. PriorityClasses
 * are cluster-scoped, so the store holds them all under the namespace '': its map of them is walked as it stands,
 * without the generator of a walk over every namespace (one per pod created).
 */
function globalDefault(store: Store): KObject | undefined {
  let best: KObject | undefined;
  for (const pc of store.list(PRIORITY_CLASSES, '')) {
    if (pc.globalDefault === true && (!best || best.value > pc.value)) best = pc;
  }
  return best;
}

/** A class by name. The system classes always exist upstream (re-created at every start), so they answer even before bootstrap. */
function classNamed(store: Store, name: string): { value: number; preemptionPolicy?: string } | undefined {
  const pc = store.get(PRIORITY_CLASSES, undefined, name);
  if (pc) return { value: pc.value, preemptionPolicy: pc.preemptionPolicy };
  const sys = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  return sys && { value: sys.value, preemptionPolicy: 'PreemptLowerPriority' };
}

/** Admits a pod being created: sets spec.priority and spec.preemptionPolicy from its class, or throws Forbidden. */
export function admitPodPriority(store: Store, info: ResourceInfo, pod: KObject): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object') return;
  const name = pod.metadata.name ?? '';
  let priority: number;
  let policy: string | undefined;
  if (!spec.priorityClassName) {
    const dpc = globalDefault(store);
    if (dpc) {
      spec.priorityClassName = dpc.metadata.name;
      priority = dpc.value;
      policy = dpc.preemptionPolicy;
    } else {
      priority = 0;
      policy = 'PreemptLowerPriority';
    }
  } else {
    const pc = classNamed(store, String(spec.priorityClassName));
    if (!pc) throw forbidden(info, name, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    policy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(info, name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (policy !== undefined) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
      throw forbidden(info, name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = policy;
  }
}

/** On update the plugin keeps what it set at create when the new object leaves it out (a PUT built from a manifest). */
export function keepPodPriority(pod: KObject, old: KObject): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object' || !old.spec) return;
  if ((spec.priority === undefined || spec.priority === null) && old.spec.priority !== undefined) spec.priority = old.spec.priority;
  if ((spec.preemptionPolicy === undefined || spec.preemptionPolicy === null) && old.spec.preemptionPolicy !== undefined) spec.preemptionPolicy = old.spec.preemptionPolicy;
}

/** Admits a PriorityClass being created or updated: a second global default is Forbidden. */
export function admitPriorityClass(store: Store, info: ResourceInfo, pc: KObject, op: 'CREATE' | 'UPDATE'): void {
  if (pc.globalDefault !== true) return;
  const dpc = globalDefault(store);
  if (dpc && (op === 'CREATE' || dpc.metadata.name !== pc.metadata.name)) {
    throw forbidden(info, pc.metadata.name ?? '', `PriorityClass ${dpc.metadata.name} is already marked as default. Only one default can exist`);
  }
}
