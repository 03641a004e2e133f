import { labelSelectorToString, type LabelSelector } from '../../../kube/src/labels';
import { parseQuantity, quantityMilli } from '../../../kube/src/quantity';
import { humanDuration, since } from '../../../kube/src/duration';

/**
 * Small formatting helpers shared by the tree and the describe formatter.
 * They follow apimachinery's conventions (HumanDuration, RFC1123Z) so what
 * the tree shows agrees with what kubectl prints.
 */

export { humanDuration, since };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z layout, in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function rfc1123z(timestamp: string | undefined): string {
  if (!timestamp) return '';
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export { formatLabels } from '../../../kube/src/labels';

/** metav1.FormatLabelSelector (kube/'s implementation): `app=web,tier in (a,b)`, or `<none>`. */
export function formatSelector(sel: LabelSelector | undefined): string {
  return labelSelectorToString(sel);
}

/**
 * CPU in millicores and plain values (bytes) of quantities read from live
 * objects. A malformed value must not break the tree, so it counts as 0.
 */
export function cpuMilli(q: string | number | undefined): number {
  if (q === undefined || q === '') return 0;
  try {
    return quantityMilli(q);
  } catch {
    return 0;
  }
}

export function quantityValue(q: string | number | undefined): number {
  if (q === undefined || q === '') return 0;
  try {
    return parseQuantity(q);
  } catch {
    return 0;
  }
}

/** Binary-friendly memory for the UI: 1.5Gi, 512Mi. */
export function formatBytes(n: number): string {
  const units: [string, number][] = [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [u, v] of units) if (n >= v) return `${+(n / v).toFixed(1)}${u}`;
  return String(Math.round(n));
}
