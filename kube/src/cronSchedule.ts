/**
 * When a CronJob's schedule fires (the controller's simulated clock, the editor's hover): the schedule is
 * parsed once, by kube/'s port of robfig/cron (the apiserver and the editor
 * use the same), and evaluated here in the CronJob's timeZone (an IANA name)
 * or UTC. With either day field's star bit set, a day must match both day
 * fields; with neither, either one (robfig's dayMatches).
 */
import { parseCron, type CronSchedule } from './cron.js';

export type Schedule = CronSchedule;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The schedule, or an Error with the parser's words. */
export function parseSchedule(spec: string): Schedule {
  const r = parseCron(spec);
  if ('error' in r) throw new Error(r.error);
  return r;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of `ms` in `tz`. */
function fields(ms: number, tz: string | undefined): { minute: number; hour: number; dom: number; month: number; dow: number } {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') {
    const d = new Date(ms);
    return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), dom: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() };
  }
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' });
    fmtCache.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return { minute: Number(parts.minute), hour: Number(parts.hour) % 24, dom: Number(parts.day), month: Number(parts.month), dow: DAYS.indexOf(parts.weekday.toLowerCase().slice(0, 3)) };
}

/** Whether a five-field schedule fires at `ms` (a constant delay has no wall-clock pattern: never). */
export function matches(s: Schedule, ms: number, tz?: string): boolean {
  if (s.kind === 'every') return false;
  const t = fields(ms, tz);
  if (!s.minute.has(t.minute) || !s.hour.has(t.hour) || !s.month.has(t.month)) return false;
  const domOk = s.dom.has(t.dom);
  const dowOk = s.dow.has(t.dow);
  return s.domStar || s.dowStar ? domOk && dowOk : domOk || dowOk;
}

const MINUTE = 60_000;

/**
 * The first schedule time strictly after `after` (ms), as robfig's Next: a
 * constant delay counts from `after`'s whole second; five fields are searched
 * up to `limitMs` ahead (robfig gives up after five years), skipping whole
 * days (UTC) or hours (other zones, where a day may be 23 or 25 hours long)
 * that cannot match, so yearly schedules stay cheap.
 */
export function next(s: Schedule, after: number, tz?: string, limitMs = 5 * 366 * 24 * 60 * MINUTE): number | undefined {
  if (s.kind === 'every') return Math.floor(after / 1000) * 1000 + s.delayMs;
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const end = after + limitMs;
  const utc = !tz || tz === 'UTC' || tz === 'Etc/UTC';
  while (t <= end) {
    const f = fields(t, tz);
    const dayOk = s.month.has(f.month) && (s.domStar || s.dowStar ? s.dom.has(f.dom) && s.dow.has(f.dow) : s.dom.has(f.dom) || s.dow.has(f.dow));
    if (!dayOk && utc) t += (24 * 60 - (f.hour * 60 + f.minute)) * MINUTE;
    else if (!dayOk || !s.hour.has(f.hour)) t += (60 - f.minute) * MINUTE;
    else if (!s.minute.has(f.minute)) t += MINUTE;
    else return t;
  }
  return undefined;
}

/** What upstream's mostRecentScheduleTime answers. */
export interface RecentSchedule {
  /** The latest schedule time in (earliest, now], if any. */
  time?: number;
  /** Its rough count of the schedule times in (earliest, now]: past 100 the controller warns. */
  missed: number;
  /** A schedule whose next two times are not a second apart (or never come), as upstream refuses it. */
  error?: string;
}

/**
 * Upstream's mostRecentScheduleTime: the next two schedule times after
 * `earliest` give an interval; the count of missed times is the time since
 * the first over that interval, plus one, and the search for the latest
 * starts that many intervals (less two) past the first. So a schedule
 * whose times are not evenly spaced counts roughly, as upstream does.
 */
export function mostRecent(s: Schedule, earliest: number, now: number, tz?: string): RecentSchedule {
  const t1 = next(s, earliest, tz);
  const t2 = t1 === undefined ? undefined : next(s, t1, tz);
  if (t1 !== undefined && now < t1) return { missed: 0 };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { time: t1, missed: 0 };
  // robfig answers the zero time when nothing comes within five years ("59 23 31 2 *").
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) return { missed: 0, error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.trunc((now - t1!) / 1000);
  const missed = Math.floor(elapsed / between) + 1;
  let time: number | undefined;
  for (let t = next(s, t1! + (missed - 2) * between * 1000, tz); t !== undefined && t <= now; t = next(s, t, tz)) time = t;
  return { time, missed };
}

const offsetFmtCache = new Map<string, Intl.DateTimeFormat>();

/**
 * `ms` as Go's time.RFC3339 writes it in the location `tz` (time.LoadLocation: empty is UTC):
 * `2026-01-01T09:01:00+09:00`, or `…Z` wherever the offset is zero.
 */
export function formatInZone(ms: number, tz: string | undefined): string {
  const whole = Math.floor(ms / 1000) * 1000;
  let offsetMin = 0;
  if (tz && tz !== 'UTC' && tz !== 'Etc/UTC') {
    let f = offsetFmtCache.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      offsetFmtCache.set(tz, f);
    }
    const part: Record<string, number> = {};
    for (const x of f.formatToParts(whole)) if (x.type !== 'literal') part[x.type] = Number(x.value);
    offsetMin = Math.round((Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second) - whole) / 60_000);
  }
  const local = new Date(whole + offsetMin * 60_000).toISOString().slice(0, 19);
  if (offsetMin === 0) return local + 'Z';
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const title = (w: string) => w[0].toUpperCase() + w.slice(1);

/** `ms` in UTC as Go's time.RFC1123Z writes it: `Thu, 01 Jan 2026 00:05:00 +0000`. */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${title(DAYS[d.getUTCDay()])}, ${two(d.getUTCDate())} ${title(MONTHS[d.getUTCMonth()])} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
