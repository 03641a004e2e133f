import * as assert from 'assert';
import { World, START } from './harness/world';
import { formatInZone, formatRFC1123Z, matches, mostRecent, next, parseSchedule } from '../../../../cluster/src/controllers/cronjob/schedule';

const CRONJOBS = { group: 'batch', version: 'v1', resource: 'cronjobs' };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };

function cron(name: string, schedule: string, extra: any = {}, image = 'busybox'): any {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: { schedule, ...extra, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image }] } } } } },
  };
}

describe('cron schedule', () => {
  const at = (s: string) => Date.parse(s);
  it('parses fields, names, steps and macros', () => {
    const s = parseSchedule('*/15 9-17 * JAN-MAR mon-fri');
    assert.ok(matches(s, at('2024-01-02T09:45:00Z')));
    assert.ok(!matches(s, at('2024-01-06T09:45:00Z')), 'Saturday');
    assert.ok(!matches(s, at('2024-04-02T09:45:00Z')), 'April');
    assert.strictEqual(next(parseSchedule('@hourly'), at('2024-01-01T10:00:00Z')), at('2024-01-01T11:00:00Z'));
    assert.throws(() => parseSchedule('* * *'));
    assert.throws(() => parseSchedule('61 * * * *'));
  });
  it('day-of-month and day-of-week are OR-ed when both are restricted', () => {
    const s = parseSchedule('0 0 13 * 5');
    assert.ok(matches(s, at('2024-09-13T00:00:00Z'))); // a Friday the 13th
    assert.ok(matches(s, at('2024-09-06T00:00:00Z'))); // any Friday
    assert.ok(matches(s, at('2024-10-13T00:00:00Z'))); // any 13th
  });
  it('honours timeZone', () => {
    const s = parseSchedule('0 9 * * *');
    assert.ok(matches(s, at('2024-01-15T08:00:00Z'), 'Europe/Berlin'));
    assert.ok(!matches(s, at('2024-01-15T09:00:00Z'), 'Europe/Berlin'));
  });
  it('counts missed slots', () => {
    const r = mostRecent(parseSchedule('*/5 * * * *'), at('2024-01-01T00:00:00Z'), at('2024-01-01T00:17:00Z'));
    assert.deepStrictEqual(r, { time: at('2024-01-01T00:15:00Z'), missed: 3 });
  });
});

describe('cronjob controller', () => {
  it('creates a Job per slot named by minutes since the epoch, keeps 3 successful', () => {
    const w = new World({ jobMs: 10_000 });
    w.api.create(CRONJOBS, 'default', cron('tick', '* * * * *'));
    w.advance(6 * 60_000);
    const jobs = w.api.all(JOBS, 'default');
    const firstSlot = Math.ceil((START + 1) / 60_000);
    assert.ok(jobs.every((j) => /^tick-\d+$/.test(j.metadata.name!)));
    assert.strictEqual(w.eventsFor('SuccessfulCreate').filter((e) => e.component === 'cronjob-controller')[0].message, `Created job tick-${firstSlot}`);
    const cj = w.api.get(CRONJOBS, 'default', 'tick');
    assert.strictEqual(cj.status.lastScheduleTime, new Date((firstSlot + 5) * 60_000).toISOString().replace('.000Z', 'Z'));
    assert.ok(cj.status.lastSuccessfulTime);
    const finished = jobs.filter((j) => j.status?.conditions?.some((c: any) => c.type === 'Complete'));
    assert.strictEqual(finished.length, 3, jobs.map((j) => j.metadata.name).join());
    assert.ok(w.eventsFor('SawCompletedJob').some((e) => /^Saw completed job: tick-\d+, condition: Complete$/.test(e.message)));
    assert.ok(w.eventsFor('SuccessfulDelete').some((e) => e.component === 'cronjob-controller' && /^Deleted job tick-\d+$/.test(e.message)));
    assert.strictEqual(jobs.find((j) => j.metadata.name === `tick-${firstSlot + 5}`)!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], cj.status.lastScheduleTime);
  });

  it('Forbid skips a slot while the previous Job runs; Replace deletes it', () => {
    for (const [policy, expectJobs] of [['Forbid', 1], ['Replace', 1], ['Allow', 4]] as const) {
      const w = new World({ jobMs: 10 * 60_000 });
      w.api.create(CRONJOBS, 'default', cron('long', '* * * * *', { concurrencyPolicy: policy }));
      w.advance(3 * 60_000 + 30_000);
      const jobs = w.api.all(JOBS, 'default');
      assert.strictEqual(jobs.length, expectJobs, policy);
      const cj = w.api.get(CRONJOBS, 'default', 'long');
      assert.strictEqual(cj.status.active.length, expectJobs, policy);
      if (policy === 'Forbid') assert.ok(w.eventsFor('JobAlreadyActive').length >= 2);
    }
  });

  it('suspend stops scheduling', () => {
    const w = new World();
    w.api.create(CRONJOBS, 'default', cron('off', '* * * * *', { suspend: true }));
    w.advance(5 * 60_000);
    assert.strictEqual(w.api.all(JOBS, 'default').length, 0);
  });
});

describe('cron next()', () => {
  it('finds rare slots (Feb 29) and honours time zones across DST', () => {
    const at = (s: string) => Date.parse(s);
    assert.strictEqual(next(parseSchedule('0 0 29 2 *'), at('2025-03-01T00:00:00Z')), at('2028-02-29T00:00:00Z'));
    // 02:30 does not exist in Berlin on 2024-03-31; 03:30 local is 01:30Z.
    assert.strictEqual(next(parseSchedule('30 3 * * *'), at('2024-03-30T12:00:00Z'), 'Europe/Berlin'), at('2024-03-31T01:30:00Z'));
    assert.strictEqual(next(parseSchedule('30 0 * * *'), at('2024-03-30T12:00:00Z'), 'Europe/Berlin'), at('2024-03-30T23:30:00Z'));
  });
});

describe('cronjob deadlines', () => {
  it('startingDeadlineSeconds: a slot missed by more than the deadline is not started late', () => {
    const w = new World();
    // Suspended across the 09:04 slot, resumed at 09:06:24: 144 s late.
    w.api.create(CRONJOBS, 'default', cron('late', '4 9 * * *', { startingDeadlineSeconds: 30, suspend: true }));
    w.advance(2.5 * 60_000);
    const c = structuredClone(w.api.get(CRONJOBS, 'default', 'late'));
    c.spec.suspend = false;
    w.api.update(CRONJOBS, 'default', c);
    w.advance(1_000);
    assert.strictEqual(w.api.all(JOBS, 'default').length, 0);
    // With the deadline, the 09:04 slot is simply out of the window: nothing runs and nothing is reported missing.
    const c2 = structuredClone(w.api.get(CRONJOBS, 'default', 'late'));
    c2.spec.startingDeadlineSeconds = 3600;
    w.api.update(CRONJOBS, 'default', c2);
    w.advance(1_000);
    assert.strictEqual(w.api.all(JOBS, 'default').length, 1, 'a wider deadline still catches the 09:04 slot');
  });
});

describe('cronjob controller against upstream syncCronJob', () => {
  it('reports an unfinished Job it did not create (kubectl create job --from) as UnexpectedJob and does not count it for Forbid', () => {
    const w = new World({ jobMs: 30 * 60_000 });
    const cj = w.api.create(CRONJOBS, 'default', cron('c', '*/5 * * * *', { concurrencyPolicy: 'Forbid' })).object;
    w.api.create(JOBS, 'default', {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name: 'c-manual', namespace: 'default', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c', uid: cj.metadata.uid, controller: true }] },
      spec: structuredClone(cj.spec.jobTemplate.spec),
    } as any);
    w.advance(11 * 60_000);
    const status = w.api.get(CRONJOBS, 'default', 'c').status;
    const names = w.api.all(JOBS, 'default').map((j) => j.metadata.name).sort();
    assert.strictEqual(names.length, 2, names.join());
    assert.ok(!status.active.some((r: any) => r.name === 'c-manual'));
    assert.ok(w.eventsFor('UnexpectedJob').some((e) => e.type === 'Warning' && e.message === 'Saw a job that the controller did not create or forgot: c-manual'));
    // The first scheduled Job runs for 30 minutes, so Forbid holds back the 00:10 slot for it, not for c-manual.
    assert.strictEqual(status.active.length, 1);
    assert.ok(w.eventsFor('JobAlreadyActive').length >= 1);
  });

  it('says MissingJob when an active Job is gone, and stamps the scheduled time in the CronJob time zone', () => {
    const w = new World({ jobMs: 10 * 60_000 });
    w.api.create(CRONJOBS, 'default', cron('t', '* * * * *', { timeZone: 'Asia/Tokyo' }));
    w.advance(61_000);
    const [job] = w.api.all(JOBS, 'default');
    const slot = Number(job.metadata.name!.slice(2)) * 60_000;
    const tokyo = new Date(slot + 9 * 3_600_000).toISOString().slice(0, 19) + '+09:00';
    assert.strictEqual(job.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], tokyo);
    w.api.delete(JOBS, 'default', job.metadata.name!);
    w.advance(2_000);
    assert.ok(w.eventsFor('MissingJob').some((e) => e.message === `Active job went missing: ${job.metadata.name}`));
    assert.ok(!(w.api.get(CRONJOBS, 'default', 't').status.active ?? []).some((r: any) => r.name === job.metadata.name));
  });

  it('an empty timeZone (stored before validation refused it) runs in UTC, as time.LoadLocation("") does', () => {
    const w = new World({ jobMs: 10_000 });
    w.api.create(CRONJOBS, 'default', cron('utc', '* * * * *', { timeZone: '' }));
    w.advance(3 * 60_000);
    assert.ok(w.api.all(JOBS, 'default').length >= 2);
    assert.strictEqual(w.eventsFor('UnknownTimeZone').length, 0);
  });

  it('words TooManyMissedTimes and MissSchedule as upstream, and writes times as Go does', () => {
    const w = new World();
    w.api.create(CRONJOBS, 'default', cron('m', '* * * * *', { suspend: true }));
    w.advance(200 * 60_000);
    const c = structuredClone(w.api.get(CRONJOBS, 'default', 'm'));
    c.spec.suspend = false;
    w.api.update(CRONJOBS, 'default', c);
    w.advance(1_000);
    assert.deepStrictEqual([...new Set(w.eventsFor('TooManyMissedTimes').map((e) => e.message))], ['too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew']);

    // MissSchedule names the slot as Go's RFC1123Z in UTC (the window clamp makes it rare upstream too).
    assert.strictEqual(formatRFC1123Z(Date.parse('2026-01-01T09:04:00Z')), 'Thu, 01 Jan 2026 09:04:00 +0000');
    assert.strictEqual(formatInZone(Date.parse('2026-07-01T09:04:05.250Z'), 'America/New_York'), '2026-07-01T05:04:05-04:00');
    assert.strictEqual(formatInZone(Date.parse('2026-01-01T09:04:00Z'), 'Asia/Kolkata'), '2026-01-01T14:34:00+05:30');
    assert.strictEqual(formatInZone(Date.parse('2026-01-01T09:04:00Z'), 'Europe/London'), '2026-01-01T09:04:00Z');
  });
});

describe('cron schedules as robfig/cron reads them (one parser for the apiserver, the editor and the controller)', () => {
  const at = (s: string) => Date.parse(s);
  it('a day field with a step above 1 has no star bit, so the day fields are OR-ed', () => {
    // "0 0 */2 * 1": robfig clears the star bit of */2, so odd days or Mondays; a leading "*" alone is AND.
    const odd = parseSchedule('0 0 */2 * 1');
    assert.strictEqual(next(odd, at('2024-01-01T12:00:00Z')), at('2024-01-03T00:00:00Z'), 'the 3rd is odd (a Wednesday)');
    assert.ok(matches(odd, at('2024-01-08T00:00:00Z')), 'a Monday the 8th');
    const every = parseSchedule('0 0 */1 * 1');
    assert.ok(!matches(every, at('2024-01-03T00:00:00Z')), '*/1 keeps the star bit: Mondays only');
    assert.ok(matches(parseSchedule('0 0 5,* * 1'), at('2024-01-08T00:00:00Z')) && !matches(parseSchedule('0 0 5,* * 1'), at('2024-01-05T00:00:00Z')), 'a star in a list sets the bit');
  });

  it('@every counts whole seconds from the time it is given, at least one second', () => {
    const s = parseSchedule('@every 1h30m');
    assert.deepStrictEqual(s, { kind: 'every', delayMs: 90 * 60_000 });
    assert.strictEqual(next(s, at('2024-01-01T00:00:07.500Z')), at('2024-01-01T01:30:07Z'));
    assert.deepStrictEqual(parseSchedule('@every 1.5s'), { kind: 'every', delayMs: 1000 });
    assert.deepStrictEqual(parseSchedule('@every 200ms'), { kind: 'every', delayMs: 1000 });
    assert.throws(() => parseSchedule('@every 5d'), /^Error: failed to parse duration @every 5d: time: unknown unit "d" in duration "5d"$/);
    assert.throws(() => parseSchedule('@every 5'), /^Error: failed to parse duration @every 5: time: missing unit in duration "5"$/);
    assert.throws(() => parseSchedule('@every  5m'), /time: invalid duration " 5m"$/);
  });

  it('counts missed times as upstream mostRecentScheduleTime does: by the first interval', () => {
    // 30 6-16/4 * * *: 06:30, 10:30, 14:30; the first interval (4 h) gives the rough count.
    const s = parseSchedule('30 6-16/4 * * *');
    const r = mostRecent(s, at('2024-01-01T00:00:00Z'), at('2024-01-03T12:00:00Z'));
    assert.strictEqual(r.time, at('2024-01-03T10:30:00Z'));
    assert.strictEqual(r.missed, Math.floor((at('2024-01-03T12:00:00Z') - at('2024-01-01T06:30:00Z')) / 1000 / (4 * 3600)) + 1);
    assert.deepStrictEqual(mostRecent(parseSchedule('0 0 31 2 *'), at('2024-01-01T00:00:00Z'), at('2024-03-01T00:00:00Z')), { missed: 0, error: 'time difference between two schedules is less than 1 second' });
  });

  it('runs an @every CronJob in the phase of its creation, and says InvalidSchedule for a day that never comes', () => {
    const w = new World({ jobMs: 10_000 });
    w.api.create(CRONJOBS, 'default', cron('every', '@every 90m'));
    const created = Date.parse(w.api.get(CRONJOBS, 'default', 'every').metadata.creationTimestamp!);
    w.advance(200 * 60_000);
    const names = w.api.all(JOBS, 'default').map((j) => j.metadata.name).sort();
    assert.deepStrictEqual(names, [1, 2].map((k) => `every-${Math.floor((created + k * 90 * 60_000) / 60_000)}`));
    assert.deepStrictEqual(w.eventsFor('UnparseableSchedule'), []);

    w.api.create(CRONJOBS, 'default', cron('never', '0 0 31 2 *'));
    w.advance(60_000);
    assert.deepStrictEqual([...new Set(w.eventsFor('InvalidSchedule').map((e) => e.message))], ['invalid schedule: 0 0 31 2 * : time difference between two schedules is less than 1 second']);
  });
});
