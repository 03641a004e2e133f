/**
 * The Pod Security Standards as the built-in PodSecurity admission plugin
 * (k8s.io/pod-security-admission, policy as of v1.32) checks them: the
 * namespace's `pod-security.kubernetes.io/<mode>[-version]` labels, and
 * each Baseline and Restricted check with upstream's reasons and details,
 * in upstream's order (check ids sorted, Baseline first; Restricted drops
 * the Baseline checks it overrides). Shared by the apiserver's admission
 * and the editor.
 */

type Obj = Record<string, any>;

export type PsaLevel = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: PsaLevel[] = ['privileged', 'baseline', 'restricted'];
const LABEL = 'pod-security.kubernetes.io/';
export const MODES = ['enforce', 'audit', 'warn'] as const;
export type PsaMode = (typeof MODES)[number];

export interface LevelVersion {
  level: PsaLevel;
  /** `latest` or `v1.N` as the label says it (messages print it as given). */
  version: string;
}

export interface NamespacePolicy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
  /** Label errors: [label key, value, detail]. */
  errors: [string, string, string][];
}

const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;
/** The newest policy version this implementation knows (a higher `v1.N`, and `latest`, are evaluated as it). */
const MAX_MINOR = 32;

export const lvString = (lv: LevelVersion) => `${lv.level}:${lv.version}`;

/** PolicyToEvaluate: a bad enforce level fails closed (restricted), a bad warn or audit level open (privileged). */
export function namespacePolicy(labels: Record<string, unknown> | undefined): NamespacePolicy {
  const out: NamespacePolicy = {
    enforce: { level: 'privileged', version: 'latest' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'privileged', version: 'latest' }, errors: [],
  };
  if (!labels) return out;
  for (const mode of MODES) {
    const level = labels[LABEL + mode];
    if (typeof level === 'string') {
      if ((LEVELS as string[]).includes(level)) out[mode].level = level as PsaLevel;
      else {
        out.errors.push([LABEL + mode, level, 'must be one of privileged, baseline, restricted']);
        out[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
      }
    }
    const version = labels[`${LABEL}${mode}-version`];
    if (typeof version === 'string') {
      if (version === 'latest' || VERSION_RE.test(version)) out[mode].version = version;
      else out.errors.push([`${LABEL}${mode}-version`, version, 'must be "latest" or "v1.x"']);
    }
  }
  // Since 1.26 warn defaults to a stricter enforce level (and its version, unless warn names one), so creating a
  // Deployment whose pods enforce would refuse says so at once.
  const enforce = labels[LABEL + 'enforce'];
  const enforceSet = typeof enforce === 'string' && (LEVELS as string[]).includes(enforce);
  if (enforceSet && labels[LABEL + 'warn'] === undefined && LEVELS.indexOf(out.enforce.level) > LEVELS.indexOf(out.warn.level)) {
    out.warn.level = out.enforce.level;
    if (labels[`${LABEL}warn-version`] === undefined) out.warn.version = out.enforce.version;
  }
  return out;
}

function minorOf(version: string): number {
  if (version === 'latest') return MAX_MINOR;
  return Math.min(MAX_MINOR, Number(VERSION_RE.exec(version)?.[1] ?? MAX_MINOR));
}

// ---------- helpers with upstream's wording ----------

const joinQuote = (items: string[]) => (items.length ? `"${items.join('", "')}"` : '');
const pluralize = (s: string, p: string, n: number) => (n === 1 ? s : p);
const C = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
/** Byte-order sort of distinct strings (Go's sets.String.List). */
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

interface Failure {
  reason: string;
  detail: string;
}

/** Init containers, then containers, then ephemeral containers, as the visitor walks them. */
function containersOf(spec: Obj): Obj[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((c) => c && typeof c === 'object') : []);
  return [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)];
}

const sc = (c: Obj): Obj => (c.securityContext && typeof c.securityContext === 'object' ? c.securityContext : {});
const podSc = (spec: Obj): Obj => (spec.securityContext && typeof spec.securityContext === 'object' ? spec.securityContext : {});
const nameOf = (c: Obj) => String(c.name ?? '');
const isWindows = (spec: Obj) => spec.os?.name === 'windows';

// ---------- the checks ----------

type Check = (meta: Obj, spec: Obj, minor: number) => Failure | undefined;

function appArmorProfile(meta: Obj, spec: Obj): Failure | undefined {
  const bad = (t: unknown) => t !== undefined && t !== null && t !== 'RuntimeDefault' && t !== 'Localhost';
  const badTypes: string[] = [];
  let pod = false;
  const pt = podSc(spec).appArmorProfile?.type;
  if (bad(pt)) {
    pod = true;
    badTypes.push(String(pt));
  }
  const containers: string[] = [];
  for (const c of containersOf(spec)) {
    const t = sc(c).appArmorProfile?.type;
    if (bad(t)) {
      containers.push(nameOf(c));
      badTypes.push(String(t));
    }
  }
  const annotations: string[] = [];
  for (const [k, v] of Object.entries(meta?.annotations ?? {})) {
    if (!k.startsWith('container.apparmor.security.beta.kubernetes.io/')) continue;
    const s = String(v);
    if (s === '' || s === 'runtime/default' || s.startsWith('localhost/')) continue;
    annotations.push(`${k}=${JSON.stringify(s)}`);
  }
  if (!pod && !containers.length && !annotations.length) return undefined;
  const setters = [...(pod ? ['pod'] : []), ...(containers.length ? [C(containers)] : []), ...(annotations.length ? [pluralize('annotation', 'annotations', annotations.length)] : [])];
  const values = [...sorted(badTypes), ...sorted(annotations)];
  return { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length), detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}` };
}

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

function capabilitiesBaseline(_m: Obj, spec: Obj): Failure | undefined {
  const names: string[] = [];
  const caps: string[] = [];
  for (const c of containersOf(spec)) {
    const add: unknown[] = Array.isArray(sc(c).capabilities?.add) ? sc(c).capabilities.add : [];
    const badCaps = add.map(String).filter((x) => !BASELINE_CAPS.has(x));
    if (badCaps.length) {
      names.push(nameOf(c));
      caps.push(...badCaps);
    }
  }
  if (!names.length) return undefined;
  return { reason: 'non-default capabilities', detail: `${C(names)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add` };
}

function hostNamespaces(_m: Obj, spec: Obj): Failure | undefined {
  const on = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => spec[f] === true).map((f) => `${f}=true`);
  return on.length ? { reason: 'host namespaces', detail: on.join(', ') } : undefined;
}

const volumesOf = (spec: Obj): Obj[] => (Array.isArray(spec.volumes) ? spec.volumes.filter((v: unknown) => v && typeof v === 'object') : []);

function hostPathVolumes(_m: Obj, spec: Obj): Failure | undefined {
  const names = volumesOf(spec).filter((v) => v.hostPath).map((v) => String(v.name ?? ''));
  return names.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}` } : undefined;
}

function hostPorts(_m: Obj, spec: Obj): Failure | undefined {
  const names: string[] = [];
  const ports: string[] = [];
  for (const c of containersOf(spec)) {
    const used = (Array.isArray(c.ports) ? c.ports : []).map((p: Obj) => p?.hostPort).filter((p: unknown) => typeof p === 'number' && p !== 0);
    if (used.length) {
      names.push(nameOf(c));
      ports.push(...used.map(String));
    }
  }
  if (!names.length) return undefined;
  const list = sorted(ports);
  return { reason: 'hostPort', detail: `${C(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}` };
}

function privileged(_m: Obj, spec: Obj): Failure | undefined {
  const names = containersOf(spec).filter((c) => sc(c).privileged === true).map(nameOf);
  return names.length ? { reason: 'privileged', detail: `${C(names)} must not set securityContext.privileged=true` } : undefined;
}

function procMount(_m: Obj, spec: Obj): Failure | undefined {
  const names: string[] = [];
  const values: string[] = [];
  for (const c of containersOf(spec)) {
    const v = sc(c).procMount;
    if (v !== undefined && v !== null && v !== 'Default') {
      names.push(nameOf(c));
      values.push(String(v));
    }
  }
  return names.length ? { reason: 'procMount', detail: `${C(names)} must not set securityContext.procMount to ${joinQuote(sorted(values))}` } : undefined;
}

function seLinuxOptions(_m: Obj, spec: Obj, minor: number): Failure | undefined {
  const types = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])]);
  const badTypes: string[] = [];
  let user = false;
  let role = false;
  const judge = (o: Obj | undefined): boolean => {
    if (!o || typeof o !== 'object') return false;
    let bad = false;
    if (o.type !== undefined && o.type !== null && !types.has(String(o.type))) {
      badTypes.push(String(o.type));
      bad = true;
    }
    if (o.user) (user = true), (bad = true);
    if (o.role) (role = true), (bad = true);
    return bad;
  };
  const pod = judge(podSc(spec).seLinuxOptions);
  const names = containersOf(spec).filter((c) => judge(sc(c).seLinuxOptions)).map(nameOf);
  if (!pod && !names.length) return undefined;
  const setters = [...(pod ? ['pod'] : []), ...(names.length ? [C(names)] : [])];
  const data: string[] = [];
  const t = sorted(badTypes);
  if (t.length) data.push(`${pluralize('type', 'types', t.length)} ${joinQuote(t)}`);
  if (user) data.push('user may not be set');
  if (role) data.push('role may not be set');
  return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
}

function seccompBaseline(_m: Obj, spec: Obj): Failure | undefined {
  const bad = (p: Obj | undefined) => !!p && p.type !== undefined && p.type !== 'RuntimeDefault' && p.type !== 'Localhost';
  const values: string[] = [];
  const pod = bad(podSc(spec).seccompProfile);
  if (pod) values.push(String(podSc(spec).seccompProfile.type));
  const names: string[] = [];
  for (const c of containersOf(spec)) {
    if (bad(sc(c).seccompProfile)) {
      names.push(nameOf(c));
      values.push(String(sc(c).seccompProfile.type));
    }
  }
  if (!pod && !names.length) return undefined;
  const setters = [...(pod ? ['pod'] : []), ...(names.length ? [C(names)] : [])];
  return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` };
}

const SYSCTLS: [number, string[]][] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];

function sysctls(_m: Obj, spec: Obj, minor: number): Failure | undefined {
  const allowed = new Set(SYSCTLS.filter(([v]) => v <= minor).flatMap(([, names]) => names));
  const list = Array.isArray(podSc(spec).sysctls) ? podSc(spec).sysctls : [];
  const bad = list.map((s: Obj) => String(s?.name ?? '')).filter((n: string) => !allowed.has(n));
  return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
}

function windowsHostProcess(_m: Obj, spec: Obj): Failure | undefined {
  const pod = podSc(spec).windowsOptions?.hostProcess === true;
  const names = containersOf(spec).filter((c) => sc(c).windowsOptions?.hostProcess === true).map(nameOf);
  if (!pod && !names.length) return undefined;
  const setters = [...(pod ? ['pod'] : []), ...(names.length ? [C(names)] : [])];
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
}

function allowPrivilegeEscalation(_m: Obj, spec: Obj, minor: number): Failure | undefined {
  if (minor >= 25 && isWindows(spec)) return undefined;
  const names = containersOf(spec).filter((c) => sc(c).allowPrivilegeEscalation !== false).map(nameOf);
  return names.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${C(names)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
}

function capabilitiesRestricted(_m: Obj, spec: Obj, minor: number): Failure | undefined {
  if (minor >= 25 && isWindows(spec)) return undefined;
  const noDrop: string[] = [];
  const adding: string[] = [];
  const caps: string[] = [];
  for (const c of containersOf(spec)) {
    const cap = sc(c).capabilities;
    if (!cap || typeof cap !== 'object') {
      noDrop.push(nameOf(c));
      continue;
    }
    if (!(Array.isArray(cap.drop) && cap.drop.includes('ALL'))) noDrop.push(nameOf(c));
    const bad = (Array.isArray(cap.add) ? cap.add : []).map(String).filter((x: string) => x !== 'NET_BIND_SERVICE');
    if (bad.length) {
      adding.push(nameOf(c));
      caps.push(...bad);
    }
  }
  const parts: string[] = [];
  if (noDrop.length) parts.push(`${C(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) parts.push(`${C(adding)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add`);
  return parts.length ? { reason: 'unrestricted capabilities', detail: parts.join('; ') } : undefined;
}

const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const VOLUME_TYPES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs',
  'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

function restrictedVolumes(_m: Obj, spec: Obj): Failure | undefined {
  const names: string[] = [];
  const types: string[] = [];
  for (const v of volumesOf(spec)) {
    if (ALLOWED_VOLUMES.some((k) => v[k])) continue;
    names.push(String(v.name ?? ''));
    types.push(VOLUME_TYPES.find((k) => v[k]) ?? 'unknown');
  }
  if (!names.length) return undefined;
  const t = sorted(types);
  return { reason: 'restricted volume types', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('restricted volume type', 'restricted volume types', t.length)} ${joinQuote(t)}` };
}

function runAsNonRoot(_m: Obj, spec: Obj): Failure | undefined {
  const podValue = podSc(spec).runAsNonRoot;
  const pod = podValue === false;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containersOf(spec)) {
    const v = sc(c).runAsNonRoot;
    if (v === false) explicit.push(nameOf(c));
    else if (v === undefined || v === null) {
      if (podValue !== true) implicit.push(nameOf(c));
    }
  }
  if (pod || explicit.length) {
    const setters = [...(pod ? ['pod'] : []), ...(explicit.length ? [C(explicit)] : [])];
    return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  }
  if (implicit.length) return { reason: 'runAsNonRoot != true', detail: `pod or ${C(implicit)} must set securityContext.runAsNonRoot=true` };
  return undefined;
}

function runAsUser(_m: Obj, spec: Obj): Failure | undefined {
  const pod = podSc(spec).runAsUser === 0;
  const names = containersOf(spec).filter((c) => sc(c).runAsUser === 0).map(nameOf);
  if (!pod && !names.length) return undefined;
  const setters = [...(pod ? ['pod'] : []), ...(names.length ? [C(names)] : [])];
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` };
}

function seccompRestricted(_m: Obj, spec: Obj, minor: number): Failure | undefined {
  if (minor >= 25 && isWindows(spec)) return undefined;
  const ok = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const pp = podSc(spec).seccompProfile;
  const pod = !!pp && !ok(pp.type);
  const podSet = !!pp && ok(pp.type);
  const values: string[] = pod ? [String(pp.type)] : [];
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containersOf(spec)) {
    const p = sc(c).seccompProfile;
    if (p) {
      if (!ok(p.type)) {
        explicit.push(nameOf(c));
        values.push(String(p.type));
      }
    } else if (!podSet) implicit.push(nameOf(c));
  }
  if (pod || explicit.length) {
    const setters = [...(pod ? ['pod'] : []), ...(explicit.length ? [C(explicit)] : [])];
    return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` };
  }
  if (implicit.length) return { reason: 'seccompProfile', detail: `pod or ${C(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  return undefined;
}

/** The registry: id, level, the first policy version it applies at, the Baseline ids it replaces. */
const CHECKS: { id: string; level: 'baseline' | 'restricted'; min: number; overrides?: string[]; fn: Check }[] = [
  { id: 'appArmorProfile', level: 'baseline', min: 0, fn: appArmorProfile },
  { id: 'capabilities_baseline', level: 'baseline', min: 0, fn: capabilitiesBaseline },
  { id: 'hostNamespaces', level: 'baseline', min: 0, fn: hostNamespaces },
  { id: 'hostPathVolumes', level: 'baseline', min: 0, fn: hostPathVolumes },
  { id: 'hostPorts', level: 'baseline', min: 0, fn: hostPorts },
  { id: 'privileged', level: 'baseline', min: 0, fn: privileged },
  { id: 'procMount', level: 'baseline', min: 0, fn: procMount },
  { id: 'seLinuxOptions', level: 'baseline', min: 0, fn: seLinuxOptions },
  { id: 'seccompProfile_baseline', level: 'baseline', min: 19, fn: seccompBaseline },
  { id: 'sysctls', level: 'baseline', min: 0, fn: sysctls },
  { id: 'windowsHostProcess', level: 'baseline', min: 0, fn: windowsHostProcess },
  { id: 'allowPrivilegeEscalation', level: 'restricted', min: 8, fn: allowPrivilegeEscalation },
  { id: 'capabilities_restricted', level: 'restricted', min: 22, overrides: ['capabilities_baseline'], fn: capabilitiesRestricted },
  { id: 'restrictedVolumes', level: 'restricted', min: 0, overrides: ['hostPathVolumes'], fn: restrictedVolumes },
  { id: 'runAsNonRoot', level: 'restricted', min: 0, fn: runAsNonRoot },
  { id: 'runAsUser', level: 'restricted', min: 23, fn: runAsUser },
  { id: 'seccompProfile_restricted', level: 'restricted', min: 19, overrides: ['seccompProfile_baseline'], fn: seccompRestricted },
];

/** The failures of a pod (its metadata and spec) at a level and version, in upstream's order. */
export function evaluatePod(lv: LevelVersion, meta: Obj | undefined, spec: Obj | undefined): Failure[] {
  if (lv.level === 'privileged' || !spec || typeof spec !== 'object') return [];
  const minor = minorOf(lv.version);
  const active = CHECKS.filter((c) => c.min <= minor && (c.level === 'baseline' || lv.level === 'restricted'));
  const overridden = new Set(active.flatMap((c) => c.overrides ?? []));
  const out: Failure[] = [];
  for (const c of active) {
    if (overridden.has(c.id)) continue;
    const f = c.fn(meta ?? {}, spec, minor);
    if (f) out.push(f);
  }
  return out;
}

/** ForbiddenDetail: `reason (detail), reason (detail)`. */
export function forbiddenDetail(failures: Failure[]): string {
  return failures.map((f) => (f.detail ? `${f.reason} (${f.detail})` : f.reason)).join(', ');
}

/** ForbiddenReason: the reasons alone (the namespace dry run groups pods by it). */
export function forbiddenReason(failures: Failure[]): string {
  return failures.map((f) => f.reason).join(', ');
}

/** Where a workload keeps the pod template PodSecurity looks at. */
export function podTemplateOf(kind: string, obj: Obj): Obj | undefined {
  switch (kind) {
    case 'PodTemplate': return obj.template;
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template;
    case 'ReplicationController': case 'ReplicaSet': case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'Job': return obj.spec?.template;
    default: return undefined;
  }
}
