/**
 * Hover on a CronJob's schedule: when it fires next, read by the same
 * robfig/cron port the apiserver and the playground's CronJob controller use,
 * in the CronJob's timeZone (or UTC, the kube-controller-manager's zone in a
 * kind or kubeadm cluster).
 */
import { parseCron } from '../../../kube/src/cron';
import { formatInZone, next } from '../../../kube/src/cronSchedule';
import type { FieldPath, KubeObject } from './model';

/** The hover text for the value at `rest`, or undefined when it is not a valid schedule. */
export function cronHover(o: KubeObject, rest: FieldPath, zh: boolean, now: number): string | undefined {
  if (o.kind !== 'CronJob' || rest.length !== 2 || rest[0] !== 'spec' || rest[1] !== 'schedule') return undefined;
  const spec = (o.value as any)?.spec;
  const text = spec?.schedule;
  if (typeof text !== 'string') return undefined;
  const s = parseCron(text);
  if ('error' in s) return undefined;
  const tz = typeof spec.timeZone === 'string' && spec.timeZone ? spec.timeZone : undefined;
  const times: string[] = [];
  for (let t = next(s, now, tz); t !== undefined && times.length < 3; t = next(s, t, tz)) times.push(formatInZone(t, tz).replace('T', ' '));
  if (!times.length) return zh ? `**调度：** \`${text}\` 在五年之内不会触发。` : `**Schedule:** \`${text}\` does not fire within five years.`;
  const zone = tz ?? 'UTC';
  return zh
    ? `**调度：** \`${text}\`（${zone}），接下来三次：${times.map((t) => `\`${t}\``).join('、')}`
    : `**Schedule:** \`${text}\` (${zone}), next three runs: ${times.map((t) => `\`${t}\``).join(', ')}`;
}
