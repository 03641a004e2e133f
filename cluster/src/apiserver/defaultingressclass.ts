/**
 * The DefaultIngressClass admission plugin
 * (plugin/pkg/admission/network/defaultingressclass): on create, an Ingress
 * that names no class (neither `spec.ingressClassName` nor the legacy
 * `kubernetes.io/ingress.class` annotation, even empty) gets the default
 * IngressClass's name. A class is the default when its
 * `ingressclass.kubernetes.io/is-default-class` annotation is exactly "true";
 * of several, the newest wins (ties: the smaller name), as since 1.25.
 */
import type { AdmissionPlugin } from './api';
import type { Store } from '../store/store';

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function defaultIngressClassAdmission(store: Store): AdmissionPlugin {
  return {
    name: 'DefaultIngressClass',
    resources: ['networking.k8s.io/ingresses'],
    admit(op, obj) {
      if (op !== 'CREATE') return;
      const spec = (obj.spec ??= {});
      if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) return;
      if (obj.metadata.annotations && CLASS_ANNOTATION in obj.metadata.annotations) return;
      const defaults = [...store.list('networking.k8s.io/ingressclasses')].filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
      if (!defaults.length) return;
      defaults.sort((a, b) => {
        const ta = Date.parse(a.metadata.creationTimestamp ?? ''), tb = Date.parse(b.metadata.creationTimestamp ?? '');
        if (ta !== tb) return tb - ta;
        return a.metadata.name! < b.metadata.name! ? -1 : 1;
      });
      spec.ingressClassName = defaults[0].metadata.name;
    },
  };
}
