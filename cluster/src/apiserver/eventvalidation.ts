/**
 * Event validation (pkg/apis/core/validation/events.go). Every write passes the legacy checks: an Event without an
 * eventTime (a core/v1 recorder's) lives in its object's namespace, or in `default` for a cluster-scoped object; one
 * with an eventTime names its reporter, action and reason. A write through events.k8s.io/v1 is strict besides: an
 * eventTime and a type of Normal or Warning are required, the deprecated core/v1 fields must stay unset, and an
 * update may change only the series.
 * The object here is the stored (core/v1) shape: an events.k8s.io/v1 body was converted before validation.
 */
import type { KObject } from '../contract';
import type { FieldError } from '../../../kube/src/rules/status';
import { isDNS1123Subdomain, isQualifiedName } from '../../../kube/src/names';

const REPORTING_INSTANCE_MAX = 128;
const ACTION_MAX = 128;
const REASON_MAX = 128;
const NOTE_MAX = 1024;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const isSet = (v: unknown) => v !== undefined && v !== null && v !== '';
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const required = (field: string): FieldError => ({ type: 'FieldValueRequired', field, detail: '' });

/** legacyValidateEvent. */
function legacyErrors(e: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(e.metadata?.namespace);
  const objNs = str(e.involvedObject?.namespace);
  const mismatch = () => errs.push(invalid('involvedObject.namespace', objNs, 'does not match event.namespace'));
  if (!isSet(e.eventTime)) {
    if (!objNs) { if (ns !== '' && ns !== 'default') mismatch(); }
    else if (ns !== objNs) mismatch();
  } else {
    if (!objNs && ns !== 'default' && ns !== 'kube-system') mismatch();
    const controller = str(e.reportingComponent);
    if (!controller) errs.push(required('reportingController'));
    for (const msg of isQualifiedName(controller)) errs.push(invalid('reportingController', controller, msg));
    const instance = str(e.reportingInstance);
    if (!instance) errs.push(required('reportingInstance'));
    if (instance.length > REPORTING_INSTANCE_MAX) errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_MAX} characters`));
    const action = str(e.action);
    if (!action) errs.push(required('action'));
    if (action.length > ACTION_MAX) errs.push(invalid('action', '', `can have at most ${ACTION_MAX} characters`));
    const reason = str(e.reason);
    if (!reason) errs.push(required('reason'));
    if (reason.length > REASON_MAX) errs.push(invalid('reason', '', `can have at most ${REASON_MAX} characters`));
    if (str(e.message).length > NOTE_MAX) errs.push(invalid('message', '', `can have at most ${NOTE_MAX} characters`));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, msg));
  return errs;
}

/** validateV1EventSeries. */
function seriesErrors(e: KObject): FieldError[] {
  const s = e.series;
  if (s === undefined || s === null) return [];
  const errs: FieldError[] = [];
  if (!(Number(s.count) >= 2)) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!isSet(s.lastObservedTime)) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate: `strict` for a request through events.k8s.io/v1. */
export function eventCreateErrors(e: KObject, strict: boolean): FieldError[] {
  const errs = legacyErrors(e);
  if (!strict) return errs;
  errs.push(...seriesErrors(e));
  if (!isSet(e.eventTime)) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${str(e.type)}`));
  if (isSet(e.firstTimestamp)) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (isSet(e.lastTimestamp)) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (isSet(e.count) && e.count !== 0) errs.push(invalid('count', '', 'needs to be unset'));
  if (isSet(e.source?.component) || isSet(e.source?.host)) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

/**
 * ValidateEventUpdate: through events.k8s.io/v1, the fields an update may not change. The ones of struct type
 * (involvedObject, source, timestamps, related) are reported without their value, which Go prints as a struct.
 */
export function eventUpdateErrors(e: KObject, old: KObject, strict: boolean): FieldError[] {
  const errs = legacyErrors(e);
  if (!strict) return errs;
  if (JSON.stringify(e.series ?? null) !== JSON.stringify(old.series ?? null)) errs.push(...seriesErrors(e));
  const fixed: Array<[string, string, boolean]> = [
    ['involvedObject', 'involvedObject', false], ['reason', 'reason', true], ['message', 'message', true], ['source', 'source', false],
    ['firstTimestamp', 'firstTimestamp', false], ['lastTimestamp', 'lastTimestamp', false], ['count', 'count', true],
    ['reason', 'reason', true], ['type', 'type', true], ['eventTime', 'eventTime', false], ['action', 'action', true],
    ['related', 'related', false], ['reportingComponent', 'reportingController', true], ['reportingInstance', 'reportingInstance', true],
  ];
  for (const [key, field, scalar] of fixed) {
    if (JSON.stringify(e[key] ?? null) === JSON.stringify(old[key] ?? null)) continue;
    errs.push(scalar ? invalid(field, e[key] ?? (key === 'count' ? 0 : ''), 'field is immutable') : { type: 'FieldValueInvalid', field, detail: 'field is immutable', omitValue: true });
  }
  return errs;
}

/**
 * The fields a core/v1 Event always has on the wire (no `omitempty` in Go): null times, empty reporting fields and
 * an empty source, as every Event dump shows them.
 */
export function defaultEvent(e: Record<string, any>): void {
  if (e.involvedObject === undefined || e.involvedObject === null) e.involvedObject = {};
  if (e.source === undefined || e.source === null) e.source = {};
  for (const k of ['firstTimestamp', 'lastTimestamp', 'eventTime']) if (e[k] === undefined) e[k] = null;
  for (const k of ['reportingComponent', 'reportingInstance']) if (e[k] === undefined || e[k] === null) e[k] = '';
}
