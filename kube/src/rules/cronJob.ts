/**
 * A CronJob's schedule and time zone as upstream validateCronJobSpec checks them (pkg/apis/batch/validation):
 * the schedule as robfig/cron parses it, without TZ=; the zone (validateTimeZone) not empty, each part made of
 * the characters tz database names use, not `Local`, and a zone the time zone database knows.
 */
import type { Rule } from './context';
import { apiFinding, isObject } from './context';
import { goLabelSelector } from './status';
import { cronError, knownTimeZone } from '../cron';

const PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export function timeZoneErrors(tz: string): string[] {
  if (tz === '') return ['timeZone must be nil or non-empty string'];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !PART.test(part)) return [`unknown time zone ${tz}`];
  }
  const errs: string[] = [];
  if (tz.toLowerCase() === 'local') errs.push('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  else if (!knownTimeZone(tz)) errs.push(`unknown time zone ${tz}`);
  return errs;
}

export const cronJobRule: Rule = {
  codes: ['cronjob-time-zone', 'cronjob-schedule', 'cronjob-job-selector'],
  kinds: ['CronJob'],
  check(obj, _ctx, out) {
    const spec = obj.spec;
    if (!isObject(spec)) return;
    // validateScheduleFormat, as on create: robfig/cron's parse, and no TZ= inside the schedule.
    const schedule = spec.schedule;
    if (schedule === '') {
      out.push({ code: 'cronjob-schedule', severity: 'error', path: ['spec', 'schedule'], message: 'Required value: a CronJob needs a schedule', apiError: { type: 'FieldValueRequired', detail: '' } });
    } else if (typeof schedule === 'string') {
      const err = cronError(schedule);
      if (err) {
        out.push({ code: 'cronjob-schedule', severity: 'error', path: ['spec', 'schedule'],
          message: `Invalid value: ${JSON.stringify(schedule)}: ${err}: five fields, minute hour day-of-month month day-of-week (no seconds)`,
          apiError: { type: 'FieldValueInvalid', value: schedule, detail: err } });
      }
      if (schedule.includes('TZ')) {
        const detail = 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
        out.push({ code: 'cronjob-schedule', severity: 'error', path: ['spec', 'schedule'], message: `Invalid value: ${JSON.stringify(schedule)}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value: schedule, detail } });
      }
    }
    // ValidateJobTemplateSpec: each Job gets its own generated selector, so the template may not give one.
    const jobSpec = isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    if (jobSpec && isObject(jobSpec.selector)) {
      const f = apiFinding('cronjob-job-selector', ['spec', 'jobTemplate', 'spec', 'selector'], 'FieldValueInvalid', jobSpec.selector, '`selector` will be auto-generated',
        'Invalid value: `selector` will be auto-generated: a CronJob\'s Jobs each get a selector of their own (their controller-uid); leave it out');
      f.apiError!.valueText = goLabelSelector(jobSpec.selector);
      out.push(f);
    }
    if (jobSpec && jobSpec.manualSelector === true) {
      out.push({ code: 'cronjob-job-selector', severity: 'error', path: ['spec', 'jobTemplate', 'spec', 'manualSelector'],
        message: 'Unsupported value: true: supported values: "nil", "false"',
        apiError: { type: 'FieldValueNotSupported', value: true, detail: '', supported: ['nil', 'false'] } });
    }
    if (typeof spec.timeZone !== 'string') return;
    for (const detail of timeZoneErrors(spec.timeZone)) {
      out.push({ code: 'cronjob-time-zone', severity: 'error', path: ['spec', 'timeZone'], message: `Invalid value: ${JSON.stringify(spec.timeZone)}: ${detail}`,
        apiError: { type: 'FieldValueInvalid', value: spec.timeZone, detail } });
    }
  },
};
