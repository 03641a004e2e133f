/** Printers for the less common kinds the playground serves: controller revisions, quotas, ingress classes, pod templates. */
import { AGE_COL, NAME_COL, Printer, age, col, containerImages, containerNames, formatLabels } from './format';

export const controllerRevisionPrinter: Printer = {
  columns: [NAME_COL, col('Controller', 'string', 'Controller of the object'), col('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'), AGE_COL],
  row: (o, now) => {
    const owner = (o.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
    let controller = '<none>';
    if (owner) {
      const group = String(owner.apiVersion ?? '').includes('/') ? String(owner.apiVersion).split('/')[0] : '';
      controller = `${String(owner.kind).toLowerCase()}${group ? '.' + group : ''}/${owner.name}`;
    }
    return { cells: [o.metadata.name, controller, o.revision ?? 0, age(o, now)] };
  },
};

/** `pods: 1/10, requests.cpu: 500m/2` for the requests side, `limits.*` for the other, as upstream prints quota usage. */
function quotaUsage(o: any, limits: boolean): string {
  const hard = o.status?.hard ?? o.spec?.hard ?? {};
  const used = o.status?.used ?? {};
  return Object.keys(hard)
    .filter((k) => k.startsWith('limits.') === limits)
    .sort()
    .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
    .join(', ');
}

export const resourceQuotaPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    AGE_COL,
  ],
  row: (o, now) => ({ cells: [o.metadata.name, quotaUsage(o, false), quotaUsage(o, true), age(o, now)] }),
};

export const ingressClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE_COL,
  ],
  row: (o, now) => {
    const p = o.spec?.parameters;
    const params = p ? `${p.kind}.${p.apiGroup ?? ''}/${p.name}`.replace('./', '/') : '<none>';
    return { cells: [o.metadata.name, o.spec?.controller ?? '', params, age(o, now)] };
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  row: (o) => ({ cells: [o.metadata.name, containerNames(o.template?.spec), containerImages(o.template?.spec), formatLabels(o.template?.metadata?.labels)] }),
};

/** Status comes from the Healthy condition: True is Healthy, anything else Unhealthy, no such condition Unknown (printComponentStatus). */
export const componentStatusPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ],
  row: (o) => {
    const c = (o.conditions ?? []).find((x: any) => x?.type === 'Healthy');
    if (!c) return { cells: [o.metadata.name, 'Unknown', '', ''] };
    return { cells: [o.metadata.name, c.status === 'True' ? 'Healthy' : 'Unhealthy', c.message ?? '', c.error ?? ''] };
  },
};

/** Validating and mutating webhook configurations: how many webhooks each holds (printValidatingWebhook). */
export const webhookConfigurationPrinter: Printer = {
  columns: [NAME_COL, col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, Array.isArray(o.webhooks) ? o.webhooks.length : 0, age(o, now)] }),
};
