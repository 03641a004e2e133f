/**
 * Standard 5-field cron (minute hour day-of-month month day-of-week) as
 * robfig/cron's standard parser reads it: lists, ranges, steps, month and
 * weekday names, `?` as `*`, the @yearly/@monthly/@weekly/@daily/@hourly
 * macros. If both day fields are restricted, a day matches either (cron's
 * classic OR); if either is `*`, both must match. Times are evaluated in the
 * CronJob's timeZone (IANA name) or UTC.
 */
export interface Schedule {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domStar: boolean;
  dowStar: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(text: string, min: number, max: number, names?: string[], nameBase = 0): Set<number> {
  const out = new Set<number>();
  const num = (s: string): number => {
    const i = names?.indexOf(s.toLowerCase()) ?? -1;
    if (i >= 0) return i + nameBase;
    if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}`);
    return Number(s);
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`invalid step in ${part}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map(num) as [number, number];
    else {
      lo = num(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`end of range (${hi}) above maximum (${max}): ${part}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseSchedule(spec: string): Schedule {
  let s = spec.trim();
  if (/^(CRON_)?TZ=/.test(s)) s = s.replace(/^(CRON_)?TZ=\S+\s+/, '');
  s = MACROS[s] ?? s;
  const f = s.split(/\s+/);
  if (f.length !== 5) throw new Error(`expected exactly 5 fields, found ${f.length}: ${spec}`);
  const dow = field(f[4], 0, 7, DAYS);
  if (dow.has(7)) dow.add(0);
  return {
    minute: field(f[0], 0, 59), hour: field(f[1], 0, 23), dom: field(f[2], 1, 31), month: field(f[3], 1, 12, MONTHS, 1), dow,
    domStar: /^[*?]/.test(f[2]), dowStar: /^[*?]/.test(f[4]),
  };
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

export function matches(s: Schedule, ms: number, tz?: string): boolean {
  const t = fields(ms, tz);
  if (!s.minute.has(t.minute) || !s.hour.has(t.hour) || !s.month.has(t.month)) return false;
  const domOk = s.dom.has(t.dom);
  const dowOk = s.dow.has(t.dow);
  return s.domStar || s.dowStar ? domOk && dowOk : domOk || dowOk;
}

const MINUTE = 60_000;

/**
 * The first schedule time strictly after `after` (ms), searching up to
 * `limitMs` ahead. Skips whole days (UTC) or hours (other zones, where a day
 * may be 23 or 25 hours long) that cannot match, so yearly schedules stay cheap.
 */
export function next(s: Schedule, after: number, tz?: string, limitMs = 5 * 366 * 24 * 60 * MINUTE): number | undefined {
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

/**
 * The latest schedule time in (earliest, now], and how many were missed in
 * that window (upstream's mostRecentScheduleTime). Stops counting past 101.
 */
export function mostRecent(s: Schedule, earliest: number, now: number, tz?: string): { time?: number; missed: number } {
  let t = next(s, earliest, tz, Math.max(0, now - earliest));
  let last: number | undefined;
  let missed = 0;
  while (t !== undefined && t <= now) {
    last = t;
    missed++;
    if (missed > 101) {
      // Too many to walk one by one: find the latest directly, scanning back from now.
      for (let b = Math.floor(now / MINUTE) * MINUTE; b > t; b -= MINUTE) if (matches(s, b, tz)) return { time: b, missed };
      break;
    }
    t = next(s, t, tz, Math.max(0, now - t));
  }
  return { time: last, missed };
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
