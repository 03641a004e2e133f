/**
 * An autoscaler's TARGETS as upstream's printer writes them
 * (formatHPAMetrics in pkg/printers/internalversion): for `kubectl get hpa`
 * from the apiserver's tables, and for the trees of the editor and
 * `npm start`.
 */

/** formatHPAMetrics: each target as current/target (at most two, then "+ N more..."), `<unknown>` until measured. */
export function formatHpaMetrics(specs: any[], statuses: any[]): string {
  if (!specs.length) return '<none>';
  const q = (v: unknown) => (v === undefined || v === null ? '<unknown>' : String(v));
  const list = specs.map((spec, i) => {
    const st = statuses[i] ?? {};
    const utilizationOrValue = (name: string, target: any, current: any) => {
      if (target?.averageValue !== undefined) return `${name}: ${current ? q(current.current?.averageValue) : '<unknown>'}/${target.averageValue}`;
      const cur = current?.current?.averageUtilization !== undefined ? `${current.current.averageUtilization}%` : '<unknown>';
      const want = target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
      return `${name}: ${cur}/${want}`;
    };
    const valueOrAverage = (target: any, current: any) => {
      if (target?.averageValue !== undefined) return `${current && current.current?.averageValue !== undefined ? current.current.averageValue : '<unknown>'}/${target.averageValue} (avg)`;
      return `${current ? q(current.current?.value) : '<unknown>'}/${q(target?.value)}`;
    };
    switch (spec?.type) {
      case 'External': return valueOrAverage(spec.external?.target, st.external);
      case 'Pods': return `${st.pods ? q(st.pods.current?.averageValue) : '<unknown>'}/${q(spec.pods?.target?.averageValue)}`;
      case 'Object': return valueOrAverage(spec.object?.target, st.object);
      case 'Resource': return utilizationOrValue(spec.resource?.name ?? '', spec.resource?.target, st.resource);
      case 'ContainerResource': return utilizationOrValue(spec.containerResource?.name ?? '', spec.containerResource?.target, st.containerResource);
      default: return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}
