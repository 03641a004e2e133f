/**
 * Service ports as upstream validateServicePort checks them: port and
 * targetPort in 1..65535 (or a valid port name), and every port named, with
 * unique names, once there is more than one.
 */
import { isDNS1123Label } from '../names';
import type { Rule } from './context';
import { eachObject } from './context';
import { portNameErrors, portNumErrors } from './ports';

export const servicePortsRule: Rule = {
  codes: ['port-range', 'invalid-port-name', 'duplicate-port-name', 'missing-port-name'],
  kinds: ['Service'],
  check(obj, _ctx, out) {
    const spec = obj.spec;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return;
    const ports = spec.ports;
    const requireName = Array.isArray(ports) && ports.length > 1;
    const names = new Set<string>();
    eachObject(ports, (p, i) => {
      const base = ['spec', 'ports', i];
      const name = p.name;
      if (typeof name === 'string' && name !== '') {
        for (const detail of isDNS1123Label(name)) {
          out.push({ code: 'invalid-port-name', severity: 'error', path: [...base, 'name'], message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: name, detail } });
        }
        if (names.has(name)) {
          out.push({ code: 'duplicate-port-name', severity: 'error', path: [...base, 'name'], message: `Duplicate value: ${JSON.stringify(name)}`,
            apiError: { type: 'FieldValueDuplicate', value: name } });
        }
        names.add(name);
      } else if (requireName) {
        out.push({ code: 'missing-port-name', severity: 'error', path: [...base, 'name'], target: 'key',
          message: 'Required value: every port of a Service with more than one port needs a name', apiError: { type: 'FieldValueRequired', detail: '' } });
      }
      if (typeof p.port === 'number') {
        for (const detail of portNumErrors(p.port)) {
          out.push({ code: 'port-range', severity: 'error', path: [...base, 'port'], message: `Invalid value: ${p.port}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: p.port, detail } });
        }
      }
      const tp = p.targetPort;
      if (typeof tp === 'number' && tp !== 0) {
        for (const detail of portNumErrors(tp)) {
          out.push({ code: 'port-range', severity: 'error', path: [...base, 'targetPort'], message: `Invalid value: ${tp}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: tp, detail } });
        }
      } else if (typeof tp === 'string' && tp !== '') {
        for (const detail of portNameErrors(tp)) {
          out.push({ code: 'invalid-port-name', severity: 'error', path: [...base, 'targetPort'], message: `Invalid value: ${JSON.stringify(tp)}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: tp, detail } });
        }
      }
    });
  },
};
