/**
 * Pod spec defaulting as pkg/apis/core/v1/defaults.go does it. The generated
 * defaulters apply these wherever a PodSpec appears (pods and the templates of
 * every workload), so workloads call `defaultPodTemplate` too.
 */

import { defaultPullPolicy } from '../../../../kube/src/pullPolicy.js';
import { defaultContainerRequests, defaultPodLevelResources } from '../../../../kube/src/podResources';
import { canonicalPodSpecQuantities } from './quantity';
import { EMPTY_OBJECT } from '../../runtime/intern';

type Obj = Record<string, any>;

export { defaultPullPolicy };

function defaultProbe(p: Obj | undefined): void {
  if (!p || typeof p !== 'object') return;
  // SetDefaults_Probe: a 0 (Go's zero value) is unset too.
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (p.httpGet && typeof p.httpGet === 'object') {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
  if (p.grpc && typeof p.grpc === 'object') p.grpc.service ??= '';
}

function defaultEnv(env: unknown): void {
  if (!Array.isArray(env)) return;
  for (const e of env) {
    const fr = e?.valueFrom?.fieldRef;
    if (fr && typeof fr === 'object') fr.apiVersion ??= 'v1';
  }
}

/** Whether a value is `{}`: no own keys (checked without making a key list). */
function isEmptyObject(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  for (const _ in v) return false;
  return true;
}

function defaultContainer(c: Obj): void {
  if (!c || typeof c !== 'object') return;
  // Container.Resources is a ResourceRequirements struct, not a pointer (core/v1 types.go): encoding/json writes a
  // struct even under omitempty, so every container reads back with `resources: {}`, and a JSON null decodes to the
  // same zero struct. Resources comes before the fields below in the Go struct, so it is placed first. One frozen
  // object serves every container without resources.
  const r = c.resources;
  if (r === undefined || r === null || (r !== EMPTY_OBJECT && isEmptyObject(r))) c.resources = EMPTY_OBJECT;
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) {
      if (!p || typeof p !== 'object') continue;
      p.protocol ??= 'TCP';
    }
  }
  defaultEnv(c.env);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolumes(vols: unknown): void {
  if (!Array.isArray(vols)) return;
  for (const v of vols) {
    if (!v || typeof v !== 'object') continue;
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) v.emptyDir = {};
    if (v.secret && typeof v.secret === 'object') v.secret.defaultMode ??= 420;
    if (v.configMap && typeof v.configMap === 'object') v.configMap.defaultMode ??= 420;
    if (v.downwardAPI && typeof v.downwardAPI === 'object') v.downwardAPI.defaultMode ??= 420;
    if (v.projected && typeof v.projected === 'object') v.projected.defaultMode ??= 420;
    if (v.hostPath && typeof v.hostPath === 'object') v.hostPath.type ??= '';
    if (v.iscsi && typeof v.iscsi === 'object') v.iscsi.iscsiInterface ??= 'default';
    const claim = v.ephemeral?.volumeClaimTemplate;
    if (claim && typeof claim === 'object') defaultTemplateMeta(claim);
  }
}

/** SetDefaults_PodSpec + the container/volume defaults under it. */
export function defaultPodSpec(spec: Obj | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  // The deprecated serviceAccount names the account when serviceAccountName does not (v1 conversion); then both read the same.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    if (Array.isArray(list)) for (const c of list) defaultContainer(c);
  }
  defaultVolumes(spec.volumes);
  canonicalPodSpecQuantities(spec);
}

/**
 * The metadata of a template (PodTemplateSpec, JobTemplateSpec, PersistentVolumeClaimTemplate) as the apiserver
 * writes it. ObjectMeta is embedded as a struct, so `metadata` is always there, `{}` at least, ahead of `spec` as in
 * the Go struct. Its CreationTimestamp is tagged omitzero since v1.34 (kubernetes#130989, "Omit null
 * creationTimestamp"): the `creationTimestamp: null` older clients send (kubectl's rollout undo, `create --dry-run
 * -o yaml` output applied back) decodes to the zero time and is left out.
 */
export function defaultTemplateMeta(tpl: Obj): void {
  const m = tpl.metadata;
  if (m === undefined || m === null) {
    const spec = tpl.spec;
    delete tpl.spec;
    tpl.metadata = {};
    if (spec !== undefined) tpl.spec = spec;
  } else if (typeof m === 'object' && m.creationTimestamp === null) delete m.creationTimestamp;
}

/** A workload's pod template. */
export function defaultPodTemplate(tpl: Obj | undefined): void {
  if (!tpl || typeof tpl !== 'object') return;
  defaultTemplateMeta(tpl);
  defaultPodSpec(tpl.spec);
}

/**
 * A Pod object: SetDefaults_Pod and the spec; priority comes from admission (../priority.ts). SetDefaults_Pod alone
 * (not a template's SetDefaults_PodSpec) copies a container's limits into the requests it lacks, then defaults the
 * pod-level resources from them.
 */
export function defaultPod(pod: Obj): void {
  pod.spec ??= {};
  defaultPodSpec(pod.spec);
  for (const list of [pod.spec.containers, pod.spec.initContainers]) {
    if (Array.isArray(list)) for (const c of list) defaultContainerRequests(c);
  }
  defaultPodLevelResources(pod);
  // defaultHostNetworkPorts: with hostNetwork an unset (0) hostPort is the containerPort. Pods only since 1.28
  // (DefaultHostNetworkHostPortsInPodTemplates, removed in 1.31): a template keeps its 0.
  if (pod.spec.hostNetwork === true) {
    for (const list of [pod.spec.containers, pod.spec.initContainers]) {
      if (Array.isArray(list)) for (const c of list) if (Array.isArray(c?.ports)) for (const p of c.ports) if (p && typeof p === 'object' && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  pod.spec.enableServiceLinks ??= true;
  // The service account admission plugin names the default account when none is given; it leaves mirror pods alone.
  if (!pod.spec.serviceAccountName && pod.metadata?.annotations?.['kubernetes.io/config.mirror'] === undefined) {
    pod.spec.serviceAccountName = 'default';
    pod.spec.serviceAccount ??= 'default';
  }
  // The DefaultTolerationSeconds admission plugin: tolerate NotReady/Unreachable for 300 s.
  const tolerations: Obj[] = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some((t) => t && (t.key === key || (t.operator === 'Exists' && !t.key)) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  pod.spec.tolerations = tolerations;
}
