/**
 * events.k8s.io/v1 Events share core/v1 Events' storage upstream; these
 * convert between the two shapes (pkg/apis/events/v1/conversion.go).
 */
import type { KObject } from '../contract';

export function toEventsV1(e: KObject): KObject {
  const out: KObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata };
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  };
  set('eventTime', e.eventTime ?? null);
  out.eventTime = e.eventTime ?? null;
  set('series', e.series);
  set('reportingController', e.reportingComponent);
  set('reportingInstance', e.reportingInstance);
  set('action', e.action);
  set('reason', e.reason);
  set('regarding', e.involvedObject);
  set('related', e.related);
  set('note', e.message);
  set('type', e.type);
  if (e.source && (e.source.component || e.source.host)) out.deprecatedSource = e.source;
  set('deprecatedFirstTimestamp', e.firstTimestamp);
  set('deprecatedLastTimestamp', e.lastTimestamp);
  set('deprecatedCount', e.count);
  return out;
}

export function fromEventsV1(e: KObject): KObject {
  const out: KObject = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata ?? {} };
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  };
  set('involvedObject', e.regarding ?? {});
  set('reason', e.reason);
  set('message', e.note);
  set('source', e.deprecatedSource);
  set('firstTimestamp', e.deprecatedFirstTimestamp);
  set('lastTimestamp', e.deprecatedLastTimestamp);
  set('count', e.deprecatedCount);
  set('type', e.type);
  set('eventTime', e.eventTime);
  set('series', e.series);
  set('action', e.action);
  set('related', e.related);
  set('reportingComponent', e.reportingController);
  set('reportingInstance', e.reportingInstance);
  return out;
}
