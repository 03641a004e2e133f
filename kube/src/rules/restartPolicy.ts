/**
 * restartPolicy by owner: Jobs (and CronJob job templates) need Never or
 * OnFailure — the pod default Always is refused; Deployment, ReplicaSet,
 * DaemonSet, StatefulSet and ReplicationController templates need Always.
 */
import type { Rule } from './context';
import { get, isObject, jobSpecPath, podSpecSites } from './context';

const ALWAYS_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController']);

/**
 * The restartPolicy values a `kind`'s pod template may hold, or undefined when the kind does not narrow them (a
 * Pod, a PodTemplate). The workloads' checks (pkg/apis/apps/validation ValidatePodTemplateSpecForReplicaSet,
 * ValidateDaemonSetSpec, ValidateStatefulSetSpec; pkg/apis/core/validation ValidatePodTemplateSpecForRC) support
 * Always only; validateJobSpec (pkg/apis/batch/validation) OnFailure and Never, and Never alone once the Job has
 * a podFailurePolicy. The editor's completion and hover offer these, so they agree with this rule.
 */
export function templateRestartPolicies(kind: string, obj?: unknown): readonly string[] | undefined {
  if (ALWAYS_KINDS.has(kind)) return ALWAYS;
  const job = jobSpecPath(kind);
  if (!job) return undefined;
  return isObject(get(obj, [...job, 'podFailurePolicy'])) ? NEVER : FINITE;
}
const ALWAYS = ['Always'] as const;
const FINITE = ['OnFailure', 'Never'] as const;
const NEVER = ['Never'] as const;

export const restartPolicyRule: Rule = {
  codes: ['restart-policy'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const rp = site.spec.restartPolicy;
      const path = [...site.specPath, 'restartPolicy'];
      if (ctx.kind === 'Job' || ctx.kind === 'CronJob') {
        if (rp === undefined || rp === 'Always' || rp === '') {
          const detail = 'valid values: "OnFailure", "Never"';
          out.push({ code: 'restart-policy', severity: 'error', path, target: rp === undefined ? 'key' : 'value',
            message: `Required value: ${detail}. A Job's pods must use restartPolicy Never or OnFailure (the default Always is not allowed).`,
            apiError: { type: 'FieldValueRequired', detail }, data: { allowed: ['OnFailure', 'Never'] } });
        } else if (rp === 'OnFailure' && isObject(get(obj, [...jobSpecPath(ctx.kind)!, 'podFailurePolicy']))) {
          const detail = 'only "Never" is supported when podFailurePolicy is specified';
          out.push({ code: 'restart-policy', severity: 'error', path, message: `Invalid value: "OnFailure": ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: rp, detail }, data: { allowed: ['Never'] } });
        }
        // Values outside the enum are the schema walk's enum-value finding.
      } else if (ALWAYS_KINDS.has(ctx.kind) && typeof rp === 'string' && rp !== 'Always' && ['OnFailure', 'Never'].includes(rp)) {
        out.push({ code: 'restart-policy', severity: 'error', path,
          message: `Unsupported value: ${JSON.stringify(rp)}: supported values: "Always". ${ctx.kind} pods must always restart.`,
          apiError: { type: 'FieldValueNotSupported', value: rp, supported: ['Always'] }, data: { allowed: ['Always'] } });
      }
    }
  },
};
