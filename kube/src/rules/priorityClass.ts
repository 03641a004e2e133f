/**
 * A PriorityClass as upstream's ValidatePriorityClass checks it: a name with the reserved `system-` prefix must be
 * one of the two system classes, with their value and globalDefault; any other class's value is at most one
 * billion (HighestUserDefinablePriority), so no user class ranks with the system-critical ones.
 */
import type { Rule } from './context';
import { apiFinding } from './context';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_CLASSES: Record<string, { value: number; globalDefault: boolean }> = {
  'system-node-critical': { value: 2_000_001_000, globalDefault: false },
  'system-cluster-critical': { value: 2_000_000_000, globalDefault: false },
};

/** IsKnownSystemPriorityClass's error, or undefined when the class is one of them as it should be. */
function systemClassError(name: string, value: unknown, globalDefault: boolean): string | undefined {
  const spc = SYSTEM_CLASSES[name];
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if (spc.globalDefault !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${spc.globalDefault}`;
  return undefined;
}

export const priorityClassRule: Rule = {
  codes: ['priority-class-value'],
  kinds: ['PriorityClass'],
  check(obj, _ctx, out) {
    const name = obj.metadata && typeof obj.metadata === 'object' ? (obj.metadata as any).name : undefined;
    if (typeof name === 'string' && name.startsWith('system-')) {
      const err = systemClassError(name, obj.value, obj.globalDefault === true);
      if (err) {
        out.push(apiFinding('priority-class-value', ['metadata', 'name'], 'FieldValueForbidden', undefined,
          `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
      }
    } else if (typeof obj.value === 'number' && obj.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      out.push(apiFinding('priority-class-value', ['value'], 'FieldValueForbidden', undefined, `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
    }
  },
};
