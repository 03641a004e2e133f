/**
 * Versions served from another version's storage, as upstream converts them:
 * events.k8s.io/v1 Events from core/v1 Events, autoscaling/v1
 * HorizontalPodAutoscalers from autoscaling/v2. `toServed` shapes a stored
 * object for the version asked for; `fromServed` turns a client's object
 * into the stored form.
 */
import type { KObject } from '../contract';
import type { ResourceInfo } from './resources';
import { fromEventsV1, toEventsV1 } from './eventsv1';
import { fromHpaV1, toHpaV1 } from './hpav1';

const isEventsV1 = (info: ResourceInfo) => info.group === 'events.k8s.io' && info.resource === 'events';
const isHpaV1 = (info: ResourceInfo) => info.group === 'autoscaling' && info.version === 'v1' && info.resource === 'horizontalpodautoscalers';

export function toServed(info: ResourceInfo, o: KObject): KObject {
  if (!info.storage) return o;
  if (isEventsV1(info)) return toEventsV1(o);
  if (isHpaV1(info)) return toHpaV1(o);
  return o;
}

export function fromServed(info: ResourceInfo, o: KObject): KObject {
  if (!info.storage) return o;
  if (isEventsV1(info)) return fromEventsV1(o);
  if (isHpaV1(info)) return fromHpaV1(o);
  return o;
}
