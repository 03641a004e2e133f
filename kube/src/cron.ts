/**
 * CronJob schedules as robfig/cron's standard parser (cron.ParseStandard)
 * reads them, for the apiserver's validateScheduleFormat, the editor and the
 * CronJob controller alike: five fields (minute, hour, day of month, month,
 * day of week), lists, ranges, steps, month and weekday names, `?`, the
 * `@yearly` … `@hourly` descriptors and `@every <duration>`. Errors are the
 * parser's own words.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DOW_NAMES },
];
/** The descriptors, as the five fields they stand for. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
/** The times a five-field schedule allows; a day field set from `*` or `?` (no step above 1) has its star bit. */
export interface FieldSchedule {
  kind: 'fields';
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  /** robfig's star bits: with either set, a day must match both day fields; with neither, either one. */
  domStar: boolean;
  dowStar: boolean;
}

/** `@every <duration>` (robfig's ConstantDelaySchedule): whole seconds, at least one. */
export interface EverySchedule {
  kind: 'every';
  delayMs: number;
}

export type CronSchedule = FieldSchedule | EverySchedule;

/** strconv.Atoi, with its error text. */
function atoi(s: string): number | string {
  if (/^[+-]?\d+$/.test(s)) return Number(s);
  return `failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

function mustParseInt(s: string): number | string {
  const n = atoi(s);
  if (typeof n === 'string') return n;
  if (n < 0) return `negative number (${n}) not allowed: ${s}`;
  return n;
}

function parseIntOrName(s: string, names?: Record<string, number>): number | string {
  const named = names?.[s.toLowerCase()];
  return named !== undefined ? named : mustParseInt(s);
}

/** getRange: one comma-separated part into `into`; answers whether it sets the star bit, or the error. */
function getRange(expr: string, b: Bounds, into: Set<number>): boolean | string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    const s = parseIntOrName(lowAndHigh[0], b.names);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1], b.names);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = mustParseInt(rangeAndStep[1]);
    if (typeof st === 'string') return st;
    step = st;
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

/** Go's `%s` of a []string: `[a b c]`. */
const goSlice = (xs: string[]) => `[${xs.join(' ')}]`;

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds, or its error. */
export function goParseDuration(text: string): number | string {
  const q = JSON.stringify(text);
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return `time: invalid duration ${q}`;
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if ((m[1] === '' && (m[2] ?? '') === '') || m[0] === '') return `time: invalid duration ${q}`;
    s = s.slice(m[0].length);
    const u = /^[^\d.]*/.exec(s)![0];
    if (u === '') return `time: missing unit in duration ${q}`;
    const scale = DURATION_UNITS[u];
    if (scale === undefined) return `time: unknown unit ${JSON.stringify(u)} in duration ${q}`;
    s = s.slice(u.length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * scale;
  }
  return neg ? -total : total;
}

/** Parses a schedule as cron.ParseStandard does: the schedule, or the parser's error. */
export function parseCron(spec: string): CronSchedule | { error: string } {
  if (spec.length === 0) return { error: 'empty spec string' };
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    s = i < 0 ? '' : s.slice(i).trim();
  }
  if (s.startsWith('@')) {
    if (s.startsWith('@every ')) {
      const d = goParseDuration(s.slice('@every '.length));
      if (typeof d === 'string') return { error: `failed to parse duration ${s}: ${d}` };
      // cron.Every: at least a second, and whole seconds.
      return { kind: 'every', delayMs: d < 1000 ? 1000 : d - (d % 1000) };
    }
    const fields = DESCRIPTORS[s];
    if (!fields) return { error: `unrecognized descriptor: ${s}` };
    s = fields;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return { error: `expected exactly 5 fields, found ${fields.length}: ${goSlice(fields)}` };
  const sets: Set<number>[] = [];
  const stars: boolean[] = [];
  for (let i = 0; i < 5; i++) {
    const into = new Set<number>();
    let star = false;
    for (const part of fields[i].split(',')) {
      const r = getRange(part, FIELDS[i], into);
      if (typeof r === 'string') return { error: r };
      star ||= r;
    }
    sets.push(into);
    stars.push(star);
  }
  return { kind: 'fields', minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: sets[4], domStar: stars[2], dowStar: stars[4] };
}

/** The parser's error for `spec`, or undefined when it parses. */
export function cronError(spec: string): string | undefined {
  const r = parseCron(spec);
  return 'error' in r ? r.error : undefined;
}

/** Whether the runtime's time zone database (Intl) knows the zone, as time.LoadLocation would. */
export function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
