/**
 * Service checks upstream ValidateService makes across the port list
 * (pkg/apis/core/validation): a Service needs ports unless it is headless or
 * ExternalName; a ClusterIP Service may not set nodePort; and no two ports may
 * share a (protocol, nodePort) or (protocol, port) pair. Protocol defaults to
 * TCP and type to ClusterIP before validation, so absent ones count as those.
 * The per-port checks (names, ranges) are servicePorts.ts.
 */
import type { Rule } from './context';
import { eachObject, isObject } from './context';

const NODE_PORT_CLUSTER_IP = "may not be used when `type` is 'ClusterIP'";

/**
 * `%#v` of the core.ServicePort key upstream reports a duplicate port with:
 * only Protocol and Port are set, the rest are zero values.
 */
function goServicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
    'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}';
}

export const serviceSpecRule: Rule = {
  codes: ['service-ports-required', 'node-port-cluster-ip', 'duplicate-node-port', 'duplicate-service-port', 'headless-type', 'external-name-required'],
  kinds: ['Service'],
  check(obj, _ctx, out) {
    const spec = obj.spec;
    if (!isObject(spec)) return;
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    const ports = spec.ports;
    const ips = spec.clusterIPs;
    const headless = spec.clusterIP === 'None' || (Array.isArray(ips) && ips.length === 1 && ips[0] === 'None');
    if ((!Array.isArray(ports) || ports.length === 0) && !headless && type !== 'ExternalName') {
      out.push({ code: 'service-ports-required', severity: 'error', path: ['spec', 'ports'], target: 'key',
        message: 'Required value: a Service needs at least one port (unless it is headless or ExternalName)', apiError: { type: 'FieldValueRequired', detail: '' } });
    }
    // A headless Service has no address for a node port or a load balancer to lead to (the strategy has copied
    // clusterIP into clusterIPs before validation, so upstream names clusterIPs[0]).
    if (headless && (type === 'LoadBalancer' || type === 'NodePort')) {
      const detail = `may not be set to 'None' for ${type} services`;
      out.push({ code: 'headless-type', severity: 'error', path: spec.clusterIP === 'None' ? ['spec', 'clusterIP'] : ['spec', 'clusterIPs', 0],
        message: `Invalid value: "None": ${detail}`, apiError: { type: 'FieldValueInvalid', value: 'None', detail, apiPath: ['spec', 'clusterIPs', 0] } });
    }
    if (type === 'ExternalName' && (typeof spec.externalName !== 'string' || spec.externalName.replace(/\.$/, '') === '')) {
      out.push({ code: 'external-name-required', severity: 'error', path: ['spec', 'type'],
        message: 'Required value: spec.externalName: an ExternalName Service needs the DNS name it stands for',
        apiError: { type: 'FieldValueRequired', detail: '', apiPath: ['spec', 'externalName'] } });
    }
    if (!Array.isArray(ports)) return;
    if (type === 'ClusterIP') {
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i];
        if (!isObject(p) || typeof p.nodePort !== 'number' || p.nodePort === 0) continue;
        out.push({ code: 'node-port-cluster-ip', severity: 'error', path: ['spec', 'ports', i, 'nodePort'], target: 'key',
          message: `Forbidden: ${NODE_PORT_CLUSTER_IP}; use type NodePort or LoadBalancer, or remove nodePort`,
          apiError: { type: 'FieldValueForbidden', detail: NODE_PORT_CLUSTER_IP } });
      }
    }
    // A single port cannot repeat itself: skip the bookkeeping for the common case.
    if (ports.length < 2) return;
    const nodePorts = new Set<string>();
    const seen = new Set<string>();
    eachObject(ports, (p, i) => {
      const protocol = protocolOf(p.protocol);
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
        const key = `${protocol}/${p.nodePort}`;
        if (nodePorts.has(key)) {
          out.push({ code: 'duplicate-node-port', severity: 'error', path: ['spec', 'ports', i, 'nodePort'], message: `Duplicate value: ${p.nodePort}`,
            apiError: { type: 'FieldValueDuplicate', value: p.nodePort } });
        }
        nodePorts.add(key);
      }
      const port = typeof p.port === 'number' ? p.port : 0;
      const key = `${protocol}/${port}`;
      if (seen.has(key)) {
        out.push({ code: 'duplicate-service-port', severity: 'error', path: ['spec', 'ports', i, 'port'],
          message: `Duplicate value: port ${port}/${protocol} is already exposed by an earlier port of this Service`,
          apiError: { type: 'FieldValueDuplicate', value: { protocol, port }, valueText: goServicePortKey(protocol, port), apiPath: ['spec', 'ports', i] } });
      }
      seen.add(key);
    });
  },
};

function protocolOf(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : 'TCP';
}
