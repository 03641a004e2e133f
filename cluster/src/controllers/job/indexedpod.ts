/** The pod of one completion index (upstream manageJob's template edits for Indexed Jobs, indexed_job_utils.go). */
import type { KObject } from '../../contract.js';
import { podFromTemplate } from '../util/write.js';
import { FAILURE_COUNT_ANNOTATION, IGNORED_COUNT_ANNOTATION, INDEX_ANNOTATION, INDEX_LABEL, indexFailureCount, indexIgnoredCount, matchPodFailurePolicy } from './util.js';

/** names.MaxGeneratedNameLength: 63 less the 5 random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so the index survives the apiserver's cut at 58. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/**
 * Indexed pods: the index as annotation, label and JOB_COMPLETION_INDEX
 * (added to a container only if it has no such variable yet), hostname
 * `<job>-<index>`; with backoffLimitPerIndex, the failure counts inherited
 * from the pod it replaces plus that pod's own failure (getNewIndexFailureCounts).
 */
export function indexedPod(job: KObject, index: number, replacing?: KObject): KObject {
  const pod = podFromTemplate(job.spec.template, job, { generateName: indexedGenerateName(job.metadata.name!, index) });
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [INDEX_ANNOTATION]: String(index) };
  if (typeof job.spec?.backoffLimitPerIndex === 'number') {
    let failures = replacing ? indexFailureCount(replacing) : 0;
    let ignored = replacing ? indexIgnoredCount(replacing) : 0;
    if (replacing) {
      if (job.spec.podFailurePolicy && matchPodFailurePolicy(job, replacing)?.action === 'Ignore') ignored++;
      else failures++;
    }
    pod.metadata.annotations[FAILURE_COUNT_ANNOTATION] = String(failures);
    if (ignored > 0) pod.metadata.annotations[IGNORED_COUNT_ANNOTATION] = String(ignored);
  }
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [INDEX_LABEL]: String(index) };
  pod.spec.hostname = `${job.metadata.name}-${index}`;
  const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${INDEX_LABEL}']` } } };
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    if (!(c.env ?? []).some((e: any) => e?.name === env.name)) c.env = [...(c.env ?? []), env];
  }
  return pod;
}
