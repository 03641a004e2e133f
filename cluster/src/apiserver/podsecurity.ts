/**
 * The PodSecurity admission plugin (Pod Security Admission): a namespace's
 * `pod-security.kubernetes.io/enforce` level refuses pods that break it
 * (`violates PodSecurity "restricted:latest": …`), its `warn` level answers
 * `would violate PodSecurity …` warnings for pods and for the workloads that
 * make them (never refused: their pods are, one by one, as FailedCreate
 * events show), and a stricter enforce label warns about the namespace's
 * pods that already break it. Bad labels are refused. No exemptions, as in
 * a cluster without a PodSecurityConfiguration.
 */
import type { KObject, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import type { AdmissionPlugin } from './api';
import { forbidden, invalid } from './status';
import {
  evaluatePod, forbiddenDetail, forbiddenReason, LEVELS, lvString, namespacePolicy, podTemplateOf, type LevelVersion, type NamespacePolicy,
} from '../../../kube/src/podSecurity';

const WORKLOADS: Record<string, string> = {
  '/replicationcontrollers': 'ReplicationController', '/podtemplates': 'PodTemplate', 'apps/replicasets': 'ReplicaSet', 'apps/deployments': 'Deployment',
  'apps/statefulsets': 'StatefulSet', 'apps/daemonsets': 'DaemonSet', 'batch/jobs': 'Job', 'batch/cronjobs': 'CronJob',
};
const WORKLOAD_BY_KIND = new Map(Object.entries(WORKLOADS).map(([id, kind]) => [kind, id]));
/** Pod subresources PodSecurity lets through without a look (ephemeralcontainers is judged as the whole pod). */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);
/** defaultNamespaceMaxPodsToCheck. */
const MAX_PODS_TO_CHECK = 3000;

/** Parsed labels per namespace object (objects in the store are immutable, so identity is a safe key). */
const policies = new WeakMap<KObject, NamespacePolicy>();

function policyOf(ns: KObject | undefined): NamespacePolicy | undefined {
  if (!ns) return undefined;
  let p = policies.get(ns);
  if (!p) policies.set(ns, (p = namespacePolicy(ns.metadata.labels)));
  return p;
}

const allPrivileged = (p: NamespacePolicy) => p.enforce.level === 'privileged' && p.warn.level === 'privileged' && p.audit.level === 'privileged';

/** isSignificantPodUpdate: only new containers, images or ephemeral containers are judged again. */
function significantPodUpdate(pod: KObject, old: KObject): boolean {
  const a = pod.spec ?? {};
  const b = old.spec ?? {};
  const seccomp = (o: KObject, name: string) => o.metadata.annotations?.[`container.seccomp.security.alpha.kubernetes.io/${name}`];
  for (const list of ['containers', 'initContainers']) {
    const x: any[] = a[list] ?? [];
    const y: any[] = b[list] ?? [];
    if (x.length !== y.length) return true;
    for (let i = 0; i < x.length; i++) {
      if (x[i]?.image !== y[i]?.image) return true;
      if (seccomp(pod, x[i]?.name) !== seccomp(old, x[i]?.name)) return true;
    }
  }
  const before = new Map<string, any>((b.ephemeralContainers ?? []).map((c: any) => [c?.name, c]));
  for (const c of a.ephemeralContainers ?? []) {
    const prev = before.get(c?.name);
    if (!prev || prev.image !== c?.image || seccomp(pod, c?.name) !== seccomp(old, c?.name)) return true;
  }
  return false;
}

/** A namespace's new enforce level, tried on the pods it already has: the warnings `kubectl label` prints. */
function dryRun(store: Store, ns: string, lv: LevelVersion): string[] {
  const pods = [...store.list('/pods', ns)];
  // prioritizePods: pods of no controller, and one pod per controller, first.
  const seen = new Set<string>();
  const first: KObject[] = [];
  const rest: KObject[] = [];
  for (const p of pods) {
    const owner = (p.metadata.ownerReferences ?? []).find((r) => r.controller)?.uid;
    if (!owner || !seen.has(owner)) {
      if (owner) seen.add(owner);
      first.push(p);
    } else rest.push(p);
  }
  const ordered = [...first, ...rest];
  const checked = ordered.slice(0, MAX_PODS_TO_CHECK);
  const groups = new Map<string, { count: number; name: string }>();
  for (const p of checked) {
    const f = evaluatePod(lv, p.metadata, p.spec);
    if (!f.length) continue;
    const key = forbiddenReason(f);
    const g = groups.get(key);
    const name = p.metadata.name!;
    if (!g) groups.set(key, { count: 1, name });
    else {
      g.count++;
      if (name < g.name) g.name = name;
    }
  }
  const out: string[] = [];
  if (checked.length < ordered.length) out.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${ordered.length} existing pods`);
  if (!groups.size) return out;
  out.push(`existing pods in namespace "${ns}" violate the new PodSecurity enforce level "${lvString(lv)}"`);
  const lines = [...groups].map(([reasons, g]) => `${g.name}${g.count === 2 ? ' (and 1 other pod)' : g.count > 2 ? ` (and ${g.count - 1} other pods)` : ''}: ${reasons}`);
  return [...out, ...lines.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))];
}

/** Whether a new enforce level can refuse pods the old one let in: stricter, or another version. */
function enforceTightened(next: LevelVersion, prev: LevelVersion): boolean {
  if (next.level === 'privileged') return false;
  if (next.level === prev.level && next.version === prev.version) return false;
  if (next.version === prev.version && LEVELS.indexOf(next.level) <= LEVELS.indexOf(prev.level)) return false;
  return true;
}

export function podSecurityAdmission(store: Store): AdmissionPlugin {
  return {
    name: 'PodSecurity',
    resources: ['/pods', '/namespaces', ...Object.keys(WORKLOADS)],
    validate(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, _opts: WriteOptions, subresource?: string): string[] | void {
      if (obj.kind === 'Namespace') {
        if (subresource) return;
        const p = namespacePolicy(obj.metadata.labels);
        if (p.errors.length) {
          const before = op === 'UPDATE' && old ? namespacePolicy(old.metadata.labels).errors : [];
          // Sending the same bad labels again is let through; new errors are not.
          if (op === 'CREATE' || !before.length || JSON.stringify(before) !== JSON.stringify(p.errors)) {
            throw invalid('', 'Namespace', obj.metadata.name ?? '', p.errors.map(([key, value, detail]) => ({ type: 'FieldValueInvalid' as const, field: `metadata.labels[${key}]`, value, detail })));
          }
          return;
        }
        if (op !== 'UPDATE' || !old) return;
        const prev = namespacePolicy(old.metadata.labels);
        if (!enforceTightened(p.enforce, prev.enforce)) return;
        return dryRun(store, obj.metadata.name!, p.enforce);
      }
      // A pod subresource the policy never judges (every kubelet's status write) needs no look at the namespace.
      if (obj.kind === 'Pod' && subresource && IGNORED_POD_SUBRESOURCES.has(subresource)) return;
      const ns = obj.metadata.namespace;
      if (!ns) return;
      const policy = policyOf(store.get('/namespaces', undefined, ns));
      if (!policy || (!policy.errors.length && allPrivileged(policy))) return;
      if (obj.kind === 'Pod') {
        if (op === 'UPDATE' && old && !significantPodUpdate(obj, old)) return;
        const enforced = evaluatePod(policy.enforce, obj.metadata, obj.spec);
        if (enforced.length) throw forbidden({ group: '', resource: 'pods' }, obj.metadata.name ?? '', `violates PodSecurity "${lvString(policy.enforce)}": ${forbiddenDetail(enforced)}`);
        const warned = evaluatePod(policy.warn, obj.metadata, obj.spec);
        return warned.length ? [`would violate PodSecurity "${lvString(policy.warn)}": ${forbiddenDetail(warned)}`] : undefined;
      }
      // Workloads are only warned about (enforce applies to their pods); scale and status writes are not looked at.
      if (subresource || !WORKLOAD_BY_KIND.has(obj.kind)) return;
      if (policy.warn.level === 'privileged') return;
      const template = podTemplateOf(obj.kind, obj);
      if (!template) return;
      const warned = evaluatePod(policy.warn, template.metadata, template.spec);
      return warned.length ? [`would violate PodSecurity "${lvString(policy.warn)}": ${forbiddenDetail(warned)}`] : undefined;
    },
  };
}
