/**
 * Why a CronJob schedule does not parse, in the words of robfig/cron's
 * standard parser (cron.ParseStandard), which the apiserver's
 * validateScheduleFormat and the CronJob controller use: five fields
 * (minute, hour, day of month, month, day of week), lists, ranges, steps,
 * month and weekday names, `?`, and the `@yearly` … `@hourly` and `@every`
 * descriptors.
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
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

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

/** getRange's checks of one comma-separated part. */
function rangeError(expr: string, b: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
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
    if (lowAndHigh.length === 1) end = b.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

/** Go's `%s` of a []string: `[a b c]`. */
const goSlice = (xs: string[]) => `[${xs.join(' ')}]`;

/** The parser's error for `spec`, or undefined when it parses. */
export function cronError(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string';
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    s = i < 0 ? '' : s.slice(i).trim();
  }
  if (s.startsWith('@')) {
    if (DESCRIPTORS.has(s)) return undefined;
    if (s.startsWith('@every ')) {
      return /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))*$/.test(s.slice(7).trim()) ? undefined : `failed to parse duration ${s}: time: invalid duration ${JSON.stringify(s.slice(7).trim())}`;
    }
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${goSlice(fields)}`;
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i].split(',')) {
      const err = rangeError(part, FIELDS[i]);
      if (err) return err;
    }
  }
  return undefined;
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
