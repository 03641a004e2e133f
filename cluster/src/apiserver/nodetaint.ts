/**
 * The TaintNodesByCondition admission plugin (plugin/pkg/admission/nodetaint): every Node is created with the
 * node.kubernetes.io/not-ready:NoSchedule taint, so that no pod lands on it before its kubelet posts Ready. The node
 * lifecycle controller lifts the taint once the node is Ready (controllers/nodelifecycle).
 */
import type { AdmissionPlugin } from './api';

const NOT_READY = 'node.kubernetes.io/not-ready';

export function nodeTaintAdmission(): AdmissionPlugin {
  return {
    name: 'TaintNodesByCondition',
    resources: ['/nodes'],
    admit(op, obj, _old, _opts, subresource) {
      if (op !== 'CREATE' || subresource) return;
      const spec = (obj.spec ??= {});
      const taints: any[] = Array.isArray(spec.taints) ? spec.taints : [];
      if (taints.some((t) => t?.key === NOT_READY && t?.effect === 'NoSchedule')) return;
      spec.taints = [...taints, { key: NOT_READY, effect: 'NoSchedule' }];
    },
  };
}
