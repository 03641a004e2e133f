import type { Clock } from '../../contract.js';
import { WorkQueue } from '../../runtime/queue.js';
import { objectKey, splitKey as split } from '../../runtime/objects.js';

export { WorkQueue };

/** A controller queue on the runtime's WorkQueue, logging sync errors. */
export function newQueue(clock: Clock, sync: (key: string) => void, onError: (key: string, err: unknown) => void): WorkQueue {
  return new WorkQueue(clock, sync, { onError });
}

export const keyOf = objectKey;

export function splitKey(key: string): [string, string] {
  const { namespace, name } = split(key);
  return [namespace ?? '', name];
}
