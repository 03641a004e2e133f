import type { KObject } from '../../contract';

/** Records field ownership in metadata.managedFields (filled in with field sets in apply/fieldset.ts). */
export function trackManagedFields(
  _o: KObject, _old: KObject | undefined, _manager: string, _operation: 'Apply' | 'Update', _now: number, _apiVersion: string, _subresource?: string,
): void {}
