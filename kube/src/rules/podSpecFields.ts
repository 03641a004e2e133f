/**
 * The parts of upstream's ValidatePodSpec and ValidateTolerations a learner
 * trips over, in its words: probe counts and thresholds (validateProbe,
 * validateLivenessProbe, validateStartupProbe), a preStop sleep within the
 * grace period (validateSleepAction), activeDeadlineSeconds, hostname and
 * subdomain, nodeSelector labels, the service account name, tolerations,
 * a hostPort equal to its containerPort with hostNetwork (validatePodHostNetworkDeps),
 * and a Pod's image without surrounding spaces (validateContainerOnlyForPod).
 * Also the selectors of workloads (ValidateLabelSelector, which their specs
 * call) and, for the editor, a Service nodePort outside the default range.
 */
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../names';
import { imageTypoSuggestion, missingTagReason } from '../imageConvention';
import type { JsonObject, Rule } from './context';
import { apiFinding, eachObject, get, isObject, podSpecSites } from './context';
import { labelMapFindings, labelSelectorFindings } from './labelSelector';
import { labelKeyFindings, labelKeyTerms, mergedRequirements } from './labelKeys';
import { affinityFindings } from './affinity';
import { NONNEGATIVE_DETAIL } from './nonNegative';
import type { FieldPath, Finding } from './types';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const PROBE_COUNTS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];
const MAX_INT32 = 2147483647;
/** The pod's terminationGracePeriodSeconds when unset (SetDefaults_PodSpec). */
const DEFAULT_GRACE = 30;

function probe(p: JsonObject, at: FieldPath, name: string, out: Finding[]): void {
  for (const f of PROBE_COUNTS) {
    const v = p[f];
    if (typeof v === 'number' && v < 0) out.push(apiFinding('negative-value', [...at, f], 'FieldValueInvalid', v, NONNEGATIVE_DETAIL));
  }
  const tgps = p.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) out.push(apiFinding('probe-threshold', [...at, 'terminationGracePeriodSeconds'], 'FieldValueInvalid', tgps, 'must be greater than 0'));
  // A liveness or startup probe passes once: a second success means nothing (readiness may ask for more).
  // 0 is Go's unset, which SetDefaults_Probe makes 1 before validation; a negative value is also not 1.
  const st = p.successThreshold;
  if ((name === 'livenessProbe' || name === 'startupProbe') && typeof st === 'number' && st !== 0 && st !== 1) {
    out.push(apiFinding('probe-threshold', [...at, 'successThreshold'], 'FieldValueInvalid', st, 'must be 1'));
  }
}

/**
 * validateTopologySpreadConstraints' checks that the schema cannot make: maxSkew and minDomains above zero, minDomains
 * only with DoNotSchedule, no two constraints on the same {topologyKey, whenUnsatisfiable} (said at the first), a
 * topologyKey, the labelSelector (ValidateLabelSelector); their matchLabelKeys are labelKeys' below. order.ts puts
 * the findings in upstream's order.
 */
function spreadConstraints(list: unknown, at: FieldPath, apiserver: boolean, out: Finding[]): void {
  const all = Array.isArray(list) ? list : [];
  eachObject(list, (c, i) => {
    const cp = [...at, i];
    const when = typeof c.whenUnsatisfiable === 'string' ? c.whenUnsatisfiable : '';
    if (typeof c.maxSkew === 'number' && c.maxSkew <= 0) out.push(apiFinding('invalid-spread-constraint', [...cp, 'maxSkew'], 'FieldValueInvalid', c.maxSkew, 'must be greater than zero'));
    // ValidateTopologyKey: only emptiness (a missing key is the schema walk's in the editor, "" to the apiserver).
    if (c.topologyKey === '' || ((c.topologyKey === undefined || c.topologyKey === null) && apiserver)) {
      out.push(apiFinding('invalid-spread-constraint', [...cp, 'topologyKey'], 'FieldValueRequired', undefined, 'can not be empty'));
    }
    const later = all.slice(i + 1).some((o) => isObject(o) && o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable);
    if (later && typeof c.topologyKey === 'string') {
      const text = `{${c.topologyKey}, ${when}}`;
      out.push({ code: 'invalid-spread-constraint', severity: 'error', path: [...cp, 'topologyKey'], message: `Duplicate value: ${JSON.stringify(text)}`,
        apiError: { type: 'FieldValueDuplicate', value: text, apiPath: [...cp, '{topologyKey, whenUnsatisfiable}'] } });
    }
    // Last of a constraint's checks (after its label keys, which labelKeys() below reports).
    labelSelectorFindings('invalid-spread-constraint', c.labelSelector, [...cp, 'labelSelector'], out);
    if (typeof c.minDomains === 'number') {
      if (c.minDomains <= 0) out.push(apiFinding('invalid-spread-constraint', [...cp, 'minDomains'], 'FieldValueInvalid', c.minDomains, 'must be greater than zero'));
      if (when !== 'DoNotSchedule') {
        out.push(apiFinding('invalid-spread-constraint', [...cp, 'minDomains'], 'FieldValueInvalid', c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
      }
    }
  });
}

/**
 * matchLabelKeys and mismatchLabelKeys of the pod's affinity terms and spread constraints (labelKeys.ts). The
 * apiserver validates a Pod after its creation merged them into the selectors, and a template as written; the editor
 * merges a Pod's itself, so that it says what the apiserver will, and warns when a template's pods would be refused.
 */
/** Labels a workload's controller puts on each pod besides its template's (their values do not matter here). */
function controllerLabels(kind: string): Record<string, string> {
  const keys = kind === 'Deployment' ? ['pod-template-hash']
    : kind === 'StatefulSet' ? ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']
      : kind === 'DaemonSet' ? ['controller-revision-hash', 'pod-template-generation']
        : kind === 'Job' || kind === 'CronJob' ? ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name', 'batch.kubernetes.io/job-completion-index']
          : [];
  return Object.fromEntries(keys.map((k) => [k, 'x']));
}

function labelKeys(spec: JsonObject, sp: FieldPath, labels: JsonObject, template: boolean, apiserver: boolean, kind: string, out: Finding[]): void {
  for (const [term, at, mismatch] of labelKeyTerms(spec, sp)) {
    const code = mismatch ? 'invalid-affinity-term' : 'invalid-spread-constraint';
    const extra = apiserver || template ? [] : mergedRequirements(term, labels, mismatch);
    const own: Finding[] = [];
    labelKeyFindings(code, term, at, mismatch, extra, own);
    // The apiserver lists a repeated error in its causes; the editor shows it once.
    const shown = new Set<string>();
    for (const f of own) {
      const k = `${f.path.join('\u0000')}\u0000${f.message}`;
      if (apiserver || !shown.has(k)) out.push(f);
      shown.add(k);
    }
    if (!template || apiserver) continue;
    const merged = mergedRequirements(term, { ...controllerLabels(kind), ...labels }, mismatch);
    if (!merged.length) continue;
    const before = new Set(own.map((f) => f.message));
    const asPods: Finding[] = [];
    labelKeyFindings(code, term, at, mismatch, merged, asPods);
    for (const f of asPods) {
      if (f.apiError?.detail !== 'exists in both matchLabelKeys and labelSelector' || before.has(f.message)) continue;
      out.push({ code, severity: 'warning', path: f.path,
        message: `Every pod made from this template is refused: creating a pod merges ${JSON.stringify(f.apiError.value)} In (the pod's value of that label) into the labelSelector, which names it already (${f.message})` });
    }
  }
}

function tolerations(list: unknown, at: FieldPath, out: Finding[]): void {
  eachObject(list, (t, i) => {
    const tp = [...at, i];
    const key = typeof t.key === 'string' ? t.key : '';
    const op = typeof t.operator === 'string' ? t.operator : '';
    const value = typeof t.value === 'string' ? t.value : '';
    const effect = typeof t.effect === 'string' ? t.effect : '';
    if (key) for (const d of isQualifiedName(key)) out.push(apiFinding('invalid-toleration', [...tp, 'key'], 'FieldValueInvalid', key, d));
    if (!key && op !== 'Exists') {
      const f = apiFinding('invalid-toleration', [...tp, t.operator === undefined ? 'key' : 'operator'], 'FieldValueInvalid', op,
        'operator must be Exists when `key` is empty, which means "match all values and all keys"');
      f.apiError!.apiPath = [...tp, 'operator'];
      out.push(f);
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      const f = apiFinding('invalid-toleration', [...tp, t.effect === undefined ? 'tolerationSeconds' : 'effect'], 'FieldValueInvalid', effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
      f.apiError!.apiPath = [...tp, 'effect'];
      out.push(f);
    }
    if (op === 'Equal' || op === '') {
      const errs = isValidLabelValue(value);
      if (errs.length) {
        const f = apiFinding('invalid-toleration', [...tp, 'value'], 'FieldValueInvalid', value, errs.join(';'));
        f.apiError!.apiPath = [...tp, 'operator'];
        out.push(f);
      }
    } else if (op === 'Exists') {
      if (value) {
        // Upstream hands the whole toleration to field.Invalid, which prints it with %#v.
        const seconds = typeof t.tolerationSeconds === 'number' ? '(*int64)(0xc000a1c2d8)' : '(*int64)(nil)';
        const text = `core.Toleration{Key:${JSON.stringify(key)}, Operator:"Exists", Value:${JSON.stringify(value)}, Effect:${JSON.stringify(effect)}, TolerationSeconds:${seconds}}`;
        const f = apiFinding('invalid-toleration', [...tp, 'value'], 'FieldValueInvalid', value, "value must be empty when `operator` is 'Exists'",
          `Invalid value: ${text}: value must be empty when \`operator\` is 'Exists'`);
        f.apiError!.apiPath = [...tp, 'operator'];
        f.apiError!.valueText = text;
        out.push(f);
      }
    }
    // Any other operator is the schema's enum finding ("Unsupported value"), as is an unknown effect.
  });
}

/**
 * validatePodHostNetworkDeps: with hostNetwork the container listens on the node's port, so a hostPort must be the
 * containerPort (the app containers only). A Pod's unset or 0 hostPort is defaulted to the containerPort before
 * validation (SetDefaults_Pod, defaultHostNetworkPorts); a template's 0 is allowed (ResourceIsPod false), so only
 * a set, different port is refused either way.
 */
function hostNetworkPorts(spec: JsonObject, sp: FieldPath, out: Finding[]): void {
  eachObject(spec.containers, (ctr, i) => eachObject(ctr.ports, (p, j) => {
    const hp = p.hostPort;
    if (typeof hp !== 'number' || hp === 0 || typeof p.containerPort !== 'number' || hp === p.containerPort) return;
    out.push(apiFinding('host-network-host-port', [...sp, 'containers', i, 'ports', j, 'hostPort'], 'FieldValueInvalid', hp, 'must match `containerPort` when `hostNetwork` is true'));
  }));
}

export const podSpecFieldsRule: Rule = {
  codes: ['probe-threshold', 'prestop-sleep', 'invalid-spread-constraint', 'invalid-affinity-term', 'invalid-node-affinity', 'active-deadline', 'invalid-hostname', 'invalid-node-selector', 'invalid-service-account-name', 'invalid-toleration', 'image-whitespace', 'image-typo', 'image-tag-missing', 'host-network-host-port'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const spec = site.spec;
      const sp = site.specPath;
      const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : DEFAULT_GRACE;
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(spec[list], (ctr, i) => {
          const at = [...sp, list, i];
          // Probes on a plain init container are refused as such (sidecars); a restartable one is checked like any.
          const restartable = list === 'containers' || ctr.restartPolicy === 'Always';
          if (restartable) for (const p of PROBES) if (isObject(ctr[p])) probe(ctr[p] as JsonObject, [...at, p], p, out);
          const sleep = get(ctr, ['lifecycle', 'preStop', 'sleep', 'seconds']);
          if (typeof sleep === 'number' && (sleep < 0 || sleep > grace)) {
            const f = apiFinding('prestop-sleep', [...at, 'lifecycle', 'preStop', 'sleep', 'seconds'], 'FieldValueInvalid', sleep,
              `must be non-negative and less than terminationGracePeriodSeconds (${grace})`);
            f.apiError!.apiPath = [...at, 'lifecycle', 'preStop', 'sleep'];
            out.push(f);
          }
          // A slip in a popular image's name or tag: no such image exists, so the pull will fail (editor only).
          const judged = typeof ctr.image === 'string' ? judgeImage(ctr.image.trim()) : undefined;
          const meant = judged?.meant;
          if (meant) {
            out.push({ code: 'image-typo', severity: 'warning', path: [...at, 'image'], data: { suggestion: meant },
              message: `No image ${JSON.stringify(ctr.image)} exists, so its pull fails (ErrImagePull): did you mean ${JSON.stringify(meant)}?` });
          }
          // A tag no registry has (made up, or a version past the image's releases): said once, mildly, since a learner
          // may write one on purpose to watch a rollout stall.
          const missing = judged?.missing;
          if (missing) {
            const tag = JSON.stringify(String(ctr.image).trim().split('/').pop()!.split(':').slice(1).join(':'));
            const why = missing.why === 'made-up' ? `the tag ${tag} reads as made up and no image has it`
              : missing.why === 'unknown-tag' ? `${missing.repo} was only pushed as ${missing.tags.join(', ')}`
                : `${missing.repo} has no version ${tag} (the newest line allowed is ${missing.line})`;
            out.push({ code: 'image-tag-missing', severity: 'information', path: [...at, 'image'], data: { ...missing, tag },
              message: `This pull fails (ErrImagePull, then ImagePullBackOff): ${why}, as the playground's image rules say (docs/images.md).` });
          }
          if (!site.template && typeof ctr.image === 'string' && ctr.image !== '' && ctr.image.trim() !== ctr.image) {
            out.push(apiFinding('image-whitespace', [...at, 'image'], 'FieldValueInvalid', ctr.image, 'must not have leading or trailing whitespace'));
          }
        });
      }
      if (spec.hostNetwork === true) hostNetworkPorts(spec, sp, out);
      const ads = spec.activeDeadlineSeconds;
      if (typeof ads === 'number' && (ads < 1 || ads > MAX_INT32)) {
        out.push(apiFinding('active-deadline', [...sp, 'activeDeadlineSeconds'], 'FieldValueInvalid', ads, `must be between 1 and ${MAX_INT32}, inclusive`));
      }
      for (const f of ['hostname', 'subdomain']) {
        const v = spec[f];
        if (typeof v === 'string' && v !== '') for (const d of isDNS1123Label(v)) out.push(apiFinding('invalid-hostname', [...sp, f], 'FieldValueInvalid', v, d));
      }
      const ns = spec.nodeSelector;
      if (isObject(ns)) labelMapFindings('invalid-node-selector', ns, [...sp, 'nodeSelector'], out);
      const sa = spec.serviceAccountName;
      if (typeof sa === 'string' && sa !== '') for (const d of isDNS1123Subdomain(sa)) out.push(apiFinding('invalid-service-account-name', [...sp, 'serviceAccountName'], 'FieldValueInvalid', sa, d));
      affinityFindings(spec, sp, !!ctx.apiserver, out);
      tolerations(spec.tolerations, [...sp, 'tolerations'], out);
      spreadConstraints(spec.topologySpreadConstraints, [...sp, 'topologySpreadConstraints'], !!ctx.apiserver, out);
      const labels = get(obj, [...site.metaPath, 'labels']);
      labelKeys(spec, sp, isObject(labels) ? labels : {}, site.template, !!ctx.apiserver, ctx.kind, out);
    }
  },
};

/** What the image rules say of one (trimmed) image: a slip in its name or tag, or else why no registry has its tag. */
interface ImageJudgement {
  meant?: string;
  missing?: ReturnType<typeof missingTagReason>;
}

/**
 * The last image judged and its judgement, which depends on the image alone: a stream of workloads repeats its
 * images from one object to the next, and parsing the reference again for each is most of this rule's work.
 * Callers only read the judgement.
 */
let lastImage: string | undefined;
let lastJudgement: ImageJudgement = {};

function judgeImage(image: string): ImageJudgement {
  if (image === lastImage) return lastJudgement;
  const meant = imageTypoSuggestion(image);
  lastJudgement = { meant, missing: !meant && image !== '' ? missingTagReason(image) : undefined };
  lastImage = image;
  return lastJudgement;
}

/** The selector each workload's spec validation hands to ValidateLabelSelector. */
export const workloadSelectorRule: Rule = {
  codes: ['invalid-selector'],
  // A claim's selector picks the volumes it may bind (ValidatePersistentVolumeClaimSpec validates it the same way).
  kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'PersistentVolumeClaim'],
  check(obj, ctx, out) {
    const at: FieldPath = ctx.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'selector'] : ['spec', 'selector'];
    labelSelectorFindings('invalid-selector', get(obj, at), at, out);
  },
};

/**
 * A nodePort outside 30000-32767, the apiserver's default --service-node-port-range. The port allocator
 * refuses it after validation, so this finding is the editor's alone (the playground's allocator says it).
 */
export const nodePortRangeRule: Rule = {
  codes: ['node-port-range'],
  kinds: ['Service'],
  editorOnly: true,
  check(obj, _ctx, out) {
    const type = get(obj, ['spec', 'type']);
    if (type !== 'NodePort' && type !== 'LoadBalancer') return;
    eachObject(get(obj, ['spec', 'ports']), (p, i) => {
      const n = p.nodePort;
      if (typeof n !== 'number' || n === 0 || (n >= 30000 && n <= 32767)) return;
      out.push({ code: 'node-port-range', severity: 'error', path: ['spec', 'ports', i, 'nodePort'],
        message: `Invalid value: ${n}: provided port is not in the valid range. The range of valid ports is 30000-32767` });
    });
  },
};
